/* sl-tie-point-editor-actions.c — the tie-point editor's "tie.*" actions and their keys, and
 * its widgets' signals: clicks and drags on the two views, the dropdowns, the overlay controls
 *
 * A click on one view then on the other adds a pair; the list's rows activate the actions with
 * the pair's index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include "sl-tie-point-editor-private.h"

/* --- the widgets' signals --- */

static void
on_point_clicked (SlTiePointEditor *self,
                  double            x,
                  double            y,
                  SlTiePointView   *view)
{
  int side = GTK_WIDGET (view) == self->image_view ? 1 : 2;

  if (self->pending_side != 0 && self->pending_side != side)
    {
      double ix = side == 1 ? x : self->pending_x, iy = side == 1 ? y : self->pending_y;
      double rx = side == 2 ? x : self->pending_x, ry = side == 2 ? y : self->pending_y;

      self->pending_side = 0;
      sl_tie_point_editor_add_pair (self, ix, iy, rx, ry);
      return;
    }
  /* The first half of a pair (or a new place for it). */
  self->pending_side = side;
  self->pending_x = x;
  self->pending_y = y;
  self->selected = -1;
  _sl_tie_point_editor_update (self);
}

static void
on_marker_pressed (SlTiePointEditor *self,
                   guint             index,
                   SlTiePointView   *view)
{
  if (index >= self->points->len || (int) index == self->selected)
    return;
  self->selected = index;
  _sl_tie_point_editor_update_markers (self);
  _sl_tie_pair_list_select (self->pair_list, index);
}

static void
on_marker_moved (SlTiePointEditor *self,
                 guint             index,
                 double            x,
                 double            y,
                 gboolean          done,
                 SlTiePointView   *view)
{
  SlTiePoint *p;

  if (index >= self->points->len)
    return;
  p = &g_array_index (self->points, SlTiePoint, index);
  if (GTK_WIDGET (view) == self->image_view)
    {
      p->image_x = x;
      p->image_y = y;
    }
  else
    {
      p->ref_x = x;
      p->ref_y = y;
    }
  /* Solved again (and the list rebuilt) at the release; the marker follows until then. */
  if (done)
    _sl_tie_point_editor_update (self);
  else
    _sl_tie_point_editor_update_markers (self);
}

static void
on_kind_selected (SlTiePointEditor *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->kind_dropdown));

  if (self->syncing || i >= G_N_ELEMENTS (_sl_tie_point_editor_kinds))
    return;
  sl_tie_point_editor_set_kind (self, _sl_tie_point_editor_kinds[i]);
}

static void
on_reference_selected (SlTiePointEditor *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->ref_dropdown));

  if (self->syncing || i >= self->references->len)
    return;
  sl_tie_point_editor_set_reference_id (self, sl_scene_get_id (g_ptr_array_index (self->references, i)));
}

static void
on_opacity_changed (SlTiePointEditor *self)
{
  _sl_tie_point_editor_update_overlay (self);
}

/* --- actions --- */

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);
  guint index = g_variant_get_uint32 (param);

  if (index < self->points->len && (int) index != self->selected)
    {
      self->selected = index;
      _sl_tie_point_editor_update_markers (self);
      _sl_tie_pair_list_select (self->pair_list, index);
    }
}

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);
  guint index = g_variant_get_uint32 (param);

  if (index >= self->points->len)
    return;
  g_array_index (self->points, SlTiePoint, index).enabled = !g_array_index (self->points, SlTiePoint, index).enabled;
  _sl_tie_point_editor_defer_list (self);
  _sl_tie_point_editor_update (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  _sl_tie_point_editor_defer_list (SL_TIE_POINT_EDITOR (widget));
  sl_tie_point_editor_remove_pair (SL_TIE_POINT_EDITOR (widget), g_variant_get_uint32 (param));
}

static void
delete_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);

  if (self->selected >= 0)
    sl_tie_point_editor_remove_pair (self, self->selected);
}

/* Escape: first forgets half a pair, then closes. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);

  if (self->pending_side != 0)
    {
      self->pending_side = 0;
      _sl_tie_point_editor_update (self);
    }
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
auto_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sl_tie_point_editor_run_auto (SL_TIE_POINT_EDITOR (widget));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  sl_tie_point_editor_apply (SL_TIE_POINT_EDITOR (widget));
}

/* The widgets _sl_tie_point_editor_build () made, to the callbacks above. */
void
_sl_tie_point_editor_connect_signals (SlTiePointEditor *self)
{
  g_signal_connect_swapped (self->kind_dropdown, "notify::selected", G_CALLBACK (on_kind_selected), self);
  g_signal_connect_swapped (self->ref_dropdown, "notify::selected", G_CALLBACK (on_reference_selected), self);
  g_signal_connect_swapped (self->overlay_button, "toggled", G_CALLBACK (on_opacity_changed), self);
  g_signal_connect_swapped (self->opacity_scale, "value-changed", G_CALLBACK (on_opacity_changed), self);
  for (int i = 0; i < 2; i++)
    {
      GtkWidget *view = i == 0 ? self->image_view : self->ref_view;

      g_signal_connect_swapped (view, "point-clicked", G_CALLBACK (on_point_clicked), self);
      g_signal_connect_swapped (view, "marker-pressed", G_CALLBACK (on_marker_pressed), self);
      g_signal_connect_swapped (view, "marker-moved", G_CALLBACK (on_marker_moved), self);
    }
}

void
_sl_tie_point_editor_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "tie.select", "u", select_action);
  gtk_widget_class_install_action (widget_class, "tie.toggle", "u", toggle_action);
  gtk_widget_class_install_action (widget_class, "tie.delete", "u", delete_action);
  gtk_widget_class_install_action (widget_class, "tie.delete-selected", NULL, delete_selected_action);
  gtk_widget_class_install_action (widget_class, "tie.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "tie.auto", NULL, auto_action);
  gtk_widget_class_install_action (widget_class, "tie.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "tie.delete-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "tie.delete-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "tie.cancel", NULL);
}
