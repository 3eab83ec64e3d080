/* sl-compare-view-annotations.c — the annotation layer over each pane
 *
 * Every pane has an SlAnnotationLayer of the same size, drawn right after it inside the same
 * clip, showing the annotations of the date the pane shows. In swipe mode each layer takes
 * input on its own side of the divider only (not within the divider's grab zone), in blend
 * and difference mode the current date's layer does, in blink mode the one shown. With
 * "show other annotations" a layer also outlines the other date's annotations (the other
 * side of a two-date mode, else the previous date), to spot what appeared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-view"

#include "config.h"

#include "sl-compare-view-private.h"

/* A region that holds no point: a layer that takes no input now. */
#define NO_INPUT GRAPHENE_RECT_INIT (-10, -10, 0, 0)

static gint64
previous_scene (SlCompareView *self,
                gint64         scene_id)
{
  for (guint i = 1; i < self->scene_ids->len; i++)
    if (g_array_index (self->scene_ids, gint64, i) == scene_id)
      return g_array_index (self->scene_ids, gint64, i - 1);
  return 0;
}

static void
set_swipe_region (SlCompareView     *self,
                  SlAnnotationLayer *layer,
                  guint              index)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double d = _sl_compare_view_divider_px (self);
  double g = SL_COMPARE_DIVIDER_GRAB;
  graphene_rect_t region;

  if (self->state.swipe_horizontal)
    region = index == 0 ? GRAPHENE_RECT_INIT (0, 0, width, MAX (0, d - g))
                        : GRAPHENE_RECT_INIT (0, d + g, width, MAX (0, height - d - g));
  else
    region = index == 0 ? GRAPHENE_RECT_INIT (0, 0, MAX (0, d - g), height)
                        : GRAPHENE_RECT_INIT (d + g, 0, MAX (0, width - d - g), height);
  sl_annotation_layer_set_input_region (layer, &region);
}

void
_sl_compare_view_update_layers (SlCompareView *self)
{
  guint n = _sl_compare_view_n_panes (self);
  int solo = _sl_compare_view_solo_pane (self);
  gboolean overlay = _sl_compare_view_is_overlay (self);
  gint64 current = sl_compare_view_get_current (self);
  int input_pane = self->shown[0] == current ? 0 : 1;

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      SlAnnotationLayer *layer = self->layers[i];
      gboolean shown = i < n && self->shown[i] != 0;
      gboolean visible = shown && (!overlay || solo < 0 || solo == (int) i);
      gint64 ghost = 0;

      if (layer == NULL)
        continue;
      sl_annotation_layer_set_scene_id (layer, shown ? self->shown[i] : 0);
      gtk_widget_set_child_visible (GTK_WIDGET (layer), visible);
      if (self->show_other_annotations && shown)
        ghost = overlay && i < 2 ? self->shown[1 - i] : previous_scene (self, self->shown[i]);
      sl_annotation_layer_set_ghost_scene_id (layer, ghost);

      if (!overlay || solo >= 0)
        sl_annotation_layer_set_input_region (layer, NULL);
      else if (self->state.mode == SL_COMPARE_SWIPE)
        set_swipe_region (self, layer, i);
      else
        sl_annotation_layer_set_input_region (layer, (int) i == input_pane ? NULL : &NO_INPUT);
    }
}

void
sl_compare_view_set_annotations (SlCompareView     *self,
                                 SlAnnotationStore *store,
                                 SlClassSet        *classes,
                                 SlUndoStack       *undo)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      sl_annotation_layer_set_store (self->layers[i], store);
      sl_annotation_layer_set_class_set (self->layers[i], classes);
      sl_annotation_layer_set_undo_stack (self->layers[i], undo);
    }
}

SlAnnotationLayer *
sl_compare_view_get_layer (SlCompareView *self,
                           guint          index)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (index < SL_COMPARE_MAX_PANES, NULL);

  return self->layers[index];
}

SlAnnotationLayer *
sl_compare_view_get_active_layer (SlCompareView *self)
{
  gint64 current;
  SlAnnotationLayer *first = NULL;

  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);

  /* The one under the pointer, else the current date's, else the first shown. */
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (self->layers[i])) &&
        sl_annotation_layer_has_pointer (self->layers[i]))
      return self->layers[i];
  current = sl_compare_view_get_current (self);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (self->layers[i])))
      {
        if (sl_annotation_layer_get_scene_id (self->layers[i]) == current)
          return self->layers[i];
        if (first == NULL)
          first = self->layers[i];
      }
  return first != NULL ? first : self->layers[0];
}

void
sl_compare_view_set_show_other_annotations (SlCompareView *self,
                                            gboolean       show)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  show = !!show;
  if (self->show_other_annotations == show)
    return;
  self->show_other_annotations = show;
  _sl_compare_view_update_layers (self);
}

gboolean
sl_compare_view_get_show_other_annotations (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), FALSE);
  return self->show_other_annotations;
}

void
sl_compare_view_set_reference_layers (SlCompareView *self,
                                      GPtrArray     *layers)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    sl_annotation_layer_set_reference_layers (self->layers[i], layers);
}

gint64
sl_compare_view_get_scene_at (SlCompareView *self,
                              double         x,
                              double         y)
{
  int pane;

  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), 0);

  if (x < 0 || y < 0 || x >= gtk_widget_get_width (GTK_WIDGET (self)) ||
      y >= gtk_widget_get_height (GTK_WIDGET (self)))
    return 0;
  pane = _sl_compare_view_pane_at (self, x, y);
  if (pane >= 0)
    return self->shown[pane];
  /* Two dates over each other: the one that takes the annotations. */
  if (_sl_compare_view_is_overlay (self))
    return sl_compare_view_get_current (self);
  return 0;
}
