/* sl-tie-point-editor.c — the window that registers a scene (a press image, a screenshot) on
 * a reference scene by tie points
 *
 * Left the scene to register, right the reference; a click on one side then on the other adds
 * a pair. Every change solves the transform again (SlRegistration is immutable and cheap for
 * tens of points), so residuals, the RMS, the worst pairs and the overlay are always those of
 * the points shown; a failed solve shows its message inline and disables Apply. Apply hands
 * the registration to the project, which keeps the previous one when it refuses. The widgets
 * and the image previews are made in sl-tie-point-editor-ui.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sl-registration-auto.h"
#include "sl-tie-point-editor-private.h"

static const SlTransformKind kinds[] = {
  SL_TRANSFORM_SIMILARITY, SL_TRANSFORM_AFFINE, SL_TRANSFORM_PROJECTIVE,
  SL_TRANSFORM_POLY2, SL_TRANSFORM_POLY3, SL_TRANSFORM_TPS,
};


G_DEFINE_FINAL_TYPE (SlTiePointEditor, sl_tie_point_editor, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- state → widgets --- */

static guint
count_enabled (SlTiePointEditor *self)
{
  guint n = 0;

  for (guint i = 0; i < self->points->len; i++)
    n += g_array_index (self->points, SlTiePoint, i).enabled ? 1 : 0;
  return n;
}

static void
set_message (SlTiePointEditor *self,
             const char       *message)
{
  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : "");
  gtk_label_set_label (GTK_LABEL (self->message_label), self->message);
  gtk_widget_set_visible (self->message_box, *self->message != '\0');
}

/* The image → reference affine the overlay is drawn through: the transform itself when it is
 * one, else the affine fit of the same points (a preview). */
static gboolean
overlay_matrix (SlTiePointEditor *self,
                cairo_matrix_t   *matrix)
{
  g_autoptr(SlRegistration) fit = NULL;
  double t[6];

  if (self->registration == NULL)
    return FALSE;
  if (!sl_registration_get_affine (self->registration, t))
    {
      fit = sl_registration_solve (count_enabled (self) >= 3 ? SL_TRANSFORM_AFFINE : SL_TRANSFORM_SIMILARITY,
                                   (const SlTiePoint *) self->points->data, self->points->len, 0, 0, NULL);
      if (fit == NULL || !sl_registration_get_affine (fit, t))
        return FALSE;
    }
  cairo_matrix_init (matrix, t[1], t[4], t[2], t[5], t[0], t[3]);
  return TRUE;
}

static void
update_overlay (SlTiePointEditor *self)
{
  cairo_matrix_t matrix;

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->overlay_button)) &&
      self->image_surface != NULL && overlay_matrix (self, &matrix))
    sl_tie_point_view_set_overlay (SL_TIE_POINT_VIEW (self->ref_view), self->image_surface, self->image_scale,
                                   &matrix, gtk_range_get_value (GTK_RANGE (self->opacity_scale)));
  else
    sl_tie_point_view_set_overlay (SL_TIE_POINT_VIEW (self->ref_view), NULL, 1, NULL, 0);
  gtk_widget_set_sensitive (self->opacity_scale, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->overlay_button)));
}

static void
update_markers (SlTiePointEditor *self)
{
  const gboolean *worst = (const gboolean *) self->worst->data;

  g_autoptr(GArray) left = g_array_new (FALSE, FALSE, sizeof (SlTieMarker));
  g_autoptr(GArray) right = g_array_new (FALSE, FALSE, sizeof (SlTieMarker));

  for (guint i = 0; i < self->points->len; i++)
    {
      const SlTiePoint *p = &g_array_index (self->points, SlTiePoint, i);
      SlTieMarker m = { p->image_x, p->image_y, i + 1, 0 };

      if ((int) i == self->selected)
        m.flags |= SL_TIE_MARKER_SELECTED;
      if (worst[i])
        m.flags |= SL_TIE_MARKER_WORST;
      if (!p->enabled)
        m.flags |= SL_TIE_MARKER_DISABLED;
      g_array_append_val (left, m);
      m.x = p->ref_x;
      m.y = p->ref_y;
      g_array_append_val (right, m);
    }
  if (self->pending_side != 0)
    {
      SlTieMarker m = { self->pending_x, self->pending_y, self->points->len + 1, SL_TIE_MARKER_PENDING };

      g_array_append_val (self->pending_side == 1 ? left : right, m);
    }
  sl_tie_point_view_set_markers (SL_TIE_POINT_VIEW (self->image_view), (SlTieMarker *) left->data, left->len);
  sl_tie_point_view_set_markers (SL_TIE_POINT_VIEW (self->ref_view), (SlTieMarker *) right->data, right->len);
}

static void
update_sensitivity (SlTiePointEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tie.apply",
                                 self->registration != NULL && !self->busy && self->reference_id > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tie.auto", !self->busy && self->reference_id > 0);
  gtk_widget_set_visible (self->auto_spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->auto_spinner), self->busy);
}

static void
update_list (SlTiePointEditor *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (SlTiePairRow));

  for (guint i = 0; i < self->points->len; i++)
    {
      SlTiePairRow row = { g_array_index (self->points, SlTiePoint, i), FALSE, { 0 },
                           g_array_index (self->worst, gboolean, i) };

      if (self->registration != NULL)
        {
          row.has_residual = TRUE;
          sl_registration_get_residual (self->registration, i, &row.residual);
        }
      g_array_append_val (rows, row);
    }
  _sl_tie_pair_list_update (self->pair_list, (SlTiePairRow *) rows->data, rows->len, self->selected);
}

static gboolean
on_list_idle (gpointer user_data)
{
  SlTiePointEditor *self = user_data;

  self->list_idle = 0;
  update_list (self);
  return G_SOURCE_REMOVE;
}

/* A row's own check box or button changed the pairs: the list is rebuilt once that row's
 * signal is over, not under it. */
static void
defer_list (SlTiePointEditor *self)
{
  if (self->list_idle == 0)
    self->list_idle = g_idle_add (on_list_idle, self);
}

/* Solves again and shows the result everywhere. */
static void
update (SlTiePointEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean *worst;
  guint n_enabled = count_enabled (self), min = sl_transform_kind_min_points (self->kind);

  g_array_set_size (self->worst, 0);
  g_array_set_size (self->worst, self->points->len + 1);
  worst = (gboolean *) self->worst->data;
  g_clear_object (&self->registration);
  if (self->points->len == 0)
    set_message (self, NULL);
  else
    {
      self->registration = sl_registration_solve (self->kind, (const SlTiePoint *) self->points->data,
                                                  self->points->len, sl_scene_get_width (self->scene),
                                                  sl_scene_get_height (self->scene), &error);
      set_message (self, error != NULL ? error->message : NULL);
    }

  g_clear_pointer (&self->rms_text, g_free);
  if (self->registration != NULL)
    {
      guint idx[8], n_worst;

      /* The largest residuals stand out only where the fit has points to spare. */
      n_worst = sl_registration_get_worst (self->registration, CLAMP (n_enabled / 5, 1, G_N_ELEMENTS (idx)), idx);
      for (guint i = 0; i < n_worst && n_enabled > min; i++)
        {
          SlResidual r;

          sl_registration_get_residual (self->registration, idx[i], &r);
          if (r.image_error > 1.0)
            worst[idx[i]] = TRUE;
        }
      self->rms_text = g_strdup_printf (_("RMS %.2f px image · %.2f px reference · %u of %u pairs"),
                                        sl_registration_get_rms_image (self->registration),
                                        sl_registration_get_rms (self->registration), n_enabled, self->points->len);
    }
  else if (self->points->len == 0)
    self->rms_text = g_strdup_printf (_("No pairs yet: %s needs at least %u"),
                                      sl_transform_kind_to_string (self->kind), min);
  else
    self->rms_text = g_strdup_printf (_("%u of %u pairs"), n_enabled, self->points->len);
  gtk_label_set_label (GTK_LABEL (self->rms_label), self->rms_text);

  if (self->list_idle == 0)
    update_list (self);
  update_markers (self);
  update_overlay (self);
  update_sensitivity (self);
}

static void
update_min_label (SlTiePointEditor *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pair or more", "%u pairs or more",
                                                        sl_transform_kind_min_points (self->kind)),
                                           sl_transform_kind_min_points (self->kind));

  gtk_label_set_label (GTK_LABEL (self->min_label), text);
}

/* --- callbacks --- */

static void
on_image_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  SlTiePointEditor *self;

  if (surface == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (SL_TIE_POINT_EDITOR (source), error->message);
      return;
    }
  self = SL_TIE_POINT_EDITOR (source);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  self->image_surface = surface;
  self->image_scale = (double) cairo_image_surface_get_width (surface) / sl_scene_get_width (self->scene);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->image_view), surface, self->image_scale,
                               sl_scene_get_width (self->scene), sl_scene_get_height (self->scene));
  update_overlay (self);
}

static SlScene *
find_reference (SlTiePointEditor *self,
                gint64            id,
                guint            *position)
{
  for (guint i = 0; i < self->references->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (self->references, i)) == id)
      {
        if (position != NULL)
          *position = i;
        return g_ptr_array_index (self->references, i);
      }
  return NULL;
}

static void
on_ref_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  SlTiePointEditor *self;
  SlScene *ref;

  if (surface == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (SL_TIE_POINT_EDITOR (source), error->message);
      return;
    }
  self = SL_TIE_POINT_EDITOR (source);
  ref = find_reference (self, self->reference_id, NULL);
  if (ref == NULL)
    {
      cairo_surface_destroy (surface);
      return;
    }
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  self->ref_surface = surface;
  self->ref_scale = (double) cairo_image_surface_get_width (surface) / sl_scene_get_width (ref);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->ref_view), surface, self->ref_scale,
                               sl_scene_get_width (ref), sl_scene_get_height (ref));
}

static void
load_reference (SlTiePointEditor *self)
{
  SlScene *ref = find_reference (self, self->reference_id, NULL);

  g_cancellable_cancel (self->ref_cancellable);
  g_clear_object (&self->ref_cancellable);
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->ref_view), NULL, 1, 0, 0);
  if (ref == NULL)
    return;
  self->ref_cancellable = g_cancellable_new ();
  _sl_tie_point_editor_load_preview (self, ref, self->ref_cancellable, on_ref_loaded);
}

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
  update (self);
}

static void
on_marker_pressed (SlTiePointEditor *self,
                   guint             index,
                   SlTiePointView   *view)
{
  if (index >= self->points->len || (int) index == self->selected)
    return;
  self->selected = index;
  update_markers (self);
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
    update (self);
  else
    update_markers (self);
}

static void
on_kind_selected (SlTiePointEditor *self)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->kind_dropdown));

  if (self->syncing || i >= G_N_ELEMENTS (kinds))
    return;
  sl_tie_point_editor_set_kind (self, kinds[i]);
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
on_auto_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) found = sl_registration_auto_finish (result, &error);
  g_autoptr(SlTiePointEditor) self = user_data;
  const SlTiePoint *points;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  g_clear_object (&self->auto_cancellable);
  if (found == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No automatic proposal: %s"), error->message);

      update (self);
      set_message (self, message);
      return;
    }
  points = sl_registration_get_points (found->registration, &n);
  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n);
  self->selected = -1;
  self->pending_side = 0;
  update (self);
}

static void
on_opacity_changed (SlTiePointEditor *self)
{
  update_overlay (self);
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
      update_markers (self);
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
  defer_list (self);
  update (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  defer_list (SL_TIE_POINT_EDITOR (widget));
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
      update (self);
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
static void
connect_signals (SlTiePointEditor *self)
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

/* "Press image — 21 Feb 2022": the label, with the date unless the label already says it. */
static char *
describe_scene (SlScene *scene)
{
  GDateTime *acquired = sl_scene_get_acquired (scene);
  const char *label = sl_scene_get_label (scene);
  g_autofree char *date = acquired != NULL ? g_date_time_format (acquired, "%-d %b %Y") : NULL;

  if (label == NULL || *label == '\0')
    return g_strdup (date != NULL ? date : _("Untitled Scene"));
  if (date == NULL || strstr (label, date) != NULL)
    return g_strdup (label);
  return g_strdup_printf ("%s — %s", label, date);
}

/* The other scenes for the dropdown, and the default reference: the georeferenced one closest
 * in date (any other when none is). */
static void
list_references (SlTiePointEditor *self)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self->project, NULL);
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->ref_dropdown)));
  GDateTime *when = sl_scene_get_acquired (self->scene);
  double best = G_MAXDOUBLE;

  for (guint i = 0; scenes != NULL && i < scenes->len; i++)
    {
      SlScene *s = g_ptr_array_index (scenes, i);
      GDateTime *acquired = sl_scene_get_acquired (s);
      g_autofree char *name = NULL;
      double distance;

      if (sl_scene_get_id (s) == sl_scene_get_id (self->scene))
        continue;
      name = describe_scene (s);
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->references, g_object_ref (s));
      distance = (when != NULL && acquired != NULL) ? fabs ((double) g_date_time_difference (acquired, when)) : 1e15;
      if (sl_scene_get_georef (s) != SL_GEOREF_GEOTRANSFORM)
        distance += 1e18;
      if (distance < best)
        {
          best = distance;
          self->reference_id = sl_scene_get_id (s);
        }
    }
}

/* Destroyed: nothing left to load or propose (the tasks may hold it a moment longer). */
static void
sl_tie_point_editor_unrealize (GtkWidget *widget)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->ref_cancellable);
  g_cancellable_cancel (self->auto_cancellable);
  GTK_WIDGET_CLASS (sl_tie_point_editor_parent_class)->unrealize (widget);
}

static void
sl_tie_point_editor_dispose (GObject *object)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (object);

  g_clear_handle_id (&self->list_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->ref_cancellable);
  g_cancellable_cancel (self->auto_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ref_cancellable);
  g_clear_object (&self->auto_cancellable);
  g_clear_object (&self->registration);
  g_clear_object (&self->project);
  g_clear_object (&self->annotations);
  g_clear_object (&self->scene);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  G_OBJECT_CLASS (sl_tie_point_editor_parent_class)->dispose (object);
}

static void
sl_tie_point_editor_finalize (GObject *object)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (object);

  g_array_unref (self->points);
  g_array_unref (self->worst);
  g_free (self->message);
  g_free (self->rms_text);
  G_OBJECT_CLASS (sl_tie_point_editor_parent_class)->finalize (object);
}

static void
sl_tie_point_editor_class_init (SlTiePointEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_tie_point_editor_dispose;
  object_class->finalize = sl_tie_point_editor_finalize;
  widget_class->unrealize = sl_tie_point_editor_unrealize;

  /* The scene was registered: the window closes after this. */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

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

static void
sl_tie_point_editor_init (SlTiePointEditor *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (SlTiePoint));
  self->worst = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->references = g_ptr_array_new_with_free_func (g_object_unref);
  self->kind = SL_TRANSFORM_AFFINE;
  self->selected = -1;
  self->cancellable = g_cancellable_new ();
  _sl_tie_point_editor_add_style ();
  _sl_tie_point_editor_build (self);
  connect_signals (self);
  gtk_window_set_default_size (GTK_WINDOW (self), 1200, 820);
}

/* --- public API --- */

SlTiePointEditor *
sl_tie_point_editor_new (SlProject         *project,
                         SlAnnotationStore *annotations,
                         gint64             scene_id)
{
  SlTiePointEditor *self;
  g_autoptr(SlRegistration) stored = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autofree char *title = NULL, *name = NULL;
  gint64 stored_ref = 0;
  guint position;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (annotations == NULL || SL_IS_ANNOTATION_STORE (annotations), NULL);
  scene = sl_project_get_scene (project, scene_id, NULL);
  g_return_val_if_fail (scene != NULL, NULL);

  self = g_object_new (SL_TYPE_TIE_POINT_EDITOR, NULL);
  self->project = g_object_ref (project);
  self->annotations = annotations != NULL ? g_object_ref (annotations) : NULL;
  self->scene = g_steal_pointer (&scene);

  name = describe_scene (self->scene);
  title = g_strdup_printf (_("Register ‘%s’"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);

  list_references (self);
  stored = sl_project_dup_registration (project, scene_id, &stored_ref, NULL);
  if (stored != NULL && find_reference (self, stored_ref, NULL) != NULL)
    {
      guint n;
      const SlTiePoint *points = sl_registration_get_points (stored, &n);

      g_array_append_vals (self->points, points, n);
      self->kind = sl_registration_get_kind (stored);
      self->reference_id = stored_ref;
    }

  self->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == self->kind)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->kind_dropdown), i);
  if (find_reference (self, self->reference_id, &position) != NULL)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->ref_dropdown), position);
  self->syncing = FALSE;
  update_min_label (self);

  _sl_tie_point_editor_load_preview (self, self->scene, self->cancellable, on_image_loaded);
  load_reference (self);
  update (self);
  if (self->reference_id <= 0)
    set_message (self, _("No other scene to register on: add a georeferenced scene of the site first"));
  return self;
}

gint64
sl_tie_point_editor_get_scene_id (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return sl_scene_get_id (self->scene);
}

gint64
sl_tie_point_editor_get_reference_id (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return self->reference_id;
}

gboolean
sl_tie_point_editor_set_reference_id (SlTiePointEditor *self,
                                      gint64            reference_id)
{
  guint position;

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), FALSE);

  if (find_reference (self, reference_id, &position) == NULL)
    return FALSE;
  if (reference_id == self->reference_id)
    return TRUE;
  self->reference_id = reference_id;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->ref_dropdown), position);
  self->syncing = FALSE;
  load_reference (self);
  update (self);
  return TRUE;
}

SlTransformKind
sl_tie_point_editor_get_kind (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), SL_TRANSFORM_AFFINE);
  return self->kind;
}

void
sl_tie_point_editor_set_kind (SlTiePointEditor *self,
                              SlTransformKind   kind)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  self->kind = kind;
  self->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i] == kind)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->kind_dropdown), i);
  self->syncing = FALSE;
  update_min_label (self);
  update (self);
}

guint
sl_tie_point_editor_add_pair (SlTiePointEditor *self,
                              double            ix,
                              double            iy,
                              double            rx,
                              double            ry)
{
  SlTiePoint p = { ix, iy, rx, ry, TRUE };

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);

  g_array_append_val (self->points, p);
  self->selected = self->points->len - 1;
  update (self);
  return self->points->len - 1;
}

void
sl_tie_point_editor_remove_pair (SlTiePointEditor *self,
                                 guint             index)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  if (index >= self->points->len)
    return;
  g_array_remove_index (self->points, index);
  self->selected = -1;
  update (self);
}

guint
sl_tie_point_editor_get_n_pairs (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return self->points->len;
}

const SlTiePoint *
sl_tie_point_editor_get_pairs (SlTiePointEditor *self,
                               guint            *n_pairs)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), NULL);
  if (n_pairs != NULL)
    *n_pairs = self->points->len;
  return (const SlTiePoint *) self->points->data;
}

void
sl_tie_point_editor_set_overlay (SlTiePointEditor *self,
                                 gboolean          show,
                                 double            opacity)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  gtk_range_set_value (GTK_RANGE (self->opacity_scale), CLAMP (opacity, 0, 1));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->overlay_button), show);
  update_overlay (self);
}

SlRegistration *
sl_tie_point_editor_get_registration (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), NULL);
  return self->registration;
}

void
sl_tie_point_editor_run_auto (SlTiePointEditor *self)
{
  SlScene *ref;
  g_autofree char *image_path = NULL, *ref_path = NULL;

  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  ref = find_reference (self, self->reference_id, NULL);
  if (self->busy || ref == NULL)
    return;
  image_path = sl_project_resolve_source (self->project, self->scene);
  ref_path = sl_project_resolve_source (self->project, ref);
  self->busy = TRUE;
  self->auto_cancellable = g_cancellable_new ();
  set_message (self, NULL);
  update_sensitivity (self);
  sl_registration_auto_async (image_path, ref_path, self->kind, self->auto_cancellable, on_auto_done,
                              g_object_ref (self));
}

gboolean
sl_tie_point_editor_apply (SlTiePointEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) registration = NULL;

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), FALSE);

  if (self->registration == NULL || self->busy)
    return FALSE;
  registration = g_object_ref (self->registration);
  if (!sl_project_register_scene (self->project, sl_scene_get_id (self->scene), self->reference_id,
                                  registration, &error))
    {
      set_message (self, error->message);
      return FALSE;
    }
  if (self->annotations != NULL)
    sl_annotation_store_notify_changed (self->annotations, sl_scene_get_id (self->scene));
  g_signal_emit (self, signals[APPLIED], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

/* For tests */
SlTiePointView *
_sl_tie_point_editor_get_image_view (SlTiePointEditor *self)
{
  return SL_TIE_POINT_VIEW (self->image_view);
}

SlTiePointView *
_sl_tie_point_editor_get_reference_view (SlTiePointEditor *self)
{
  return SL_TIE_POINT_VIEW (self->ref_view);
}

GtkWidget *
_sl_tie_point_editor_get_pair_list (SlTiePointEditor *self)
{
  return self->pair_list;
}

GtkWidget *
_sl_tie_point_editor_get_auto_button (SlTiePointEditor *self)
{
  return self->auto_button;
}

GtkWidget *
_sl_tie_point_editor_get_apply_button (SlTiePointEditor *self)
{
  return self->apply_button;
}

const char *
_sl_tie_point_editor_get_message (SlTiePointEditor *self)
{
  return self->message != NULL ? self->message : "";
}

const char *
_sl_tie_point_editor_get_rms_text (SlTiePointEditor *self)
{
  return self->rms_text != NULL ? self->rms_text : "";
}

gboolean
_sl_tie_point_editor_is_busy (SlTiePointEditor *self)
{
  return self->busy;
}

gboolean
_sl_tie_point_editor_is_loaded (SlTiePointEditor *self)
{
  return self->image_surface != NULL && self->ref_surface != NULL;
}
