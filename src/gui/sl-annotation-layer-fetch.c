/* sl-annotation-layer-fetch.c — the annotations a pane shows: the cached query, lookups by id
 *
 * The store is asked for the annotations of a margin around the visible area (half a view
 * on every side); panning within it, or zooming by less than a factor of two, draws from
 * that result. A change in the store, another date or a bigger move queries again. Dense
 * views (more in the margin than four times the painter's level-of-detail threshold, so about
 * the threshold in view) fetch marks from the spatial index alone — class and position, no
 * row read — which the painter draws as dots or counted clusters: a million-annotation
 * project pans as fast as a small one. Beyond MAX_MARKS, a label asks to zoom in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include "sl-annotation-layer-private.h"

/* Beyond this many in the margin, not even marks are fetched: a label asks to zoom in. */
#define MAX_MARKS 500000

static gboolean
bounds_contain (const SlBounds *outer,
                const SlBounds *inner)
{
  return inner->min_x >= outer->min_x && inner->max_x <= outer->max_x &&
         inner->min_y >= outer->min_y && inner->max_y <= outer->max_y;
}

static GPtrArray *
query (SlAnnotationLayer *self,
       gint64             scene_id,
       const SlBounds    *bounds)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *result = sl_annotation_store_query (self->store, scene_id, bounds, &error);

  if (result == NULL)
    {
      g_warning ("%s", error->message);
      result = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
    }
  return result;
}

static void
query_marks (SlAnnotationLayer *self,
             const SlBounds    *bounds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) marks = sl_annotation_store_query_marks (self->store, self->scene_id, bounds, &error);

  if (marks == NULL)
    g_warning ("%s", error->message);
  else
    g_array_append_vals (self->marks, marks->data, marks->len);
}

void
_sl_annotation_layer_invalidate (SlAnnotationLayer *self)
{
  self->cache_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_sl_annotation_layer_ensure_shown (SlAnnotationLayer *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  SlBounds visible, margin;
  double resolution;
  guint64 dense;
  guint count;

  if (self->store == NULL || self->viewport == NULL || self->scene_id <= 0 || width <= 0 || height <= 0)
    {
      g_ptr_array_set_size (self->shown, 0);
      g_ptr_array_set_size (self->ghosts, 0);
      g_array_set_size (self->marks, 0);
      g_hash_table_remove_all (self->shown_by_id);
      self->too_many = 0;
      return;
    }

  sl_viewport_get_visible_bounds (self->viewport, width, height, &visible);
  resolution = sl_viewport_get_resolution (self->viewport);
  if (self->cache_valid && bounds_contain (&self->cached_bounds, &visible) &&
      resolution > self->cached_resolution / 2 && resolution < self->cached_resolution * 2)
    return;

  margin.min_x = visible.min_x - (visible.max_x - visible.min_x) / 2;
  margin.max_x = visible.max_x + (visible.max_x - visible.min_x) / 2;
  margin.min_y = visible.min_y - (visible.max_y - visible.min_y) / 2;
  margin.max_y = visible.max_y + (visible.max_y - visible.min_y) / 2;

  g_hash_table_remove_all (self->shown_by_id);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->ghosts, g_ptr_array_unref);
  g_array_set_size (self->marks, 0);
  dense = 4 * (guint64) sl_annotation_painter_get_lod_threshold (self->painter);
  count = sl_annotation_store_count_in (self->store, self->scene_id, &margin);
  self->too_many = count > MAX_MARKS ? count : 0;
  if (count > dense)
    {
      self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
      if (self->too_many == 0)
        query_marks (self, &margin);
    }
  else
    self->shown = query (self, self->scene_id, &margin);
  if (self->ghost_scene_id > 0 && self->ghost_scene_id != self->scene_id &&
      sl_annotation_store_count_in (self->store, self->ghost_scene_id, &margin) <= dense)
    self->ghosts = query (self, self->ghost_scene_id, &margin);
  else
    self->ghosts = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint i = 0; i < self->shown->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (self->shown, i);

      g_hash_table_insert (self->shown_by_id, &a->id, a);
    }
  self->cached_bounds = margin;
  self->cached_resolution = resolution;
  self->cache_valid = TRUE;
}

SlAnnotation *
_sl_annotation_layer_lookup (SlAnnotationLayer *self,
                             gint64             id)
{
  _sl_annotation_layer_ensure_shown (self);
  return g_hash_table_lookup (self->shown_by_id, &id);
}

/* --- public API --- */

GPtrArray *
sl_annotation_layer_get_shown (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), NULL);

  _sl_annotation_layer_ensure_shown (self);
  return self->shown;
}
