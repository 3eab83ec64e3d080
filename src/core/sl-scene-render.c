/* sl-scene-render.c — drawing a scene as a viewport shows it, blocking, with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-render"

#include "config.h"

#include <math.h>

#include "sl-scene-render.h"

typedef struct
{
  SlTileCache  *cache;
  GCancellable *cancellable;
  SlTileKey     key;
  SlTile       *tile;     /* result */
  GError       *error;
  GMutex       *lock;
  GCond        *done;
  guint        *pending;
} Fetch;

static void
fetch_tile (gpointer data, gpointer user_data)
{
  Fetch *f = data;
  SlTile *tile = sl_tile_cache_get_sync (f->cache, &f->key, f->cancellable, &f->error);

  g_mutex_lock (f->lock);
  f->tile = tile;
  if (--(*f->pending) == 0)
    g_cond_signal (f->done);
  g_mutex_unlock (f->lock);
}

void
sl_scene_render_paint_tile (cairo_t      *cr,
                            SlViewport   *viewport,
                            int           width,
                            int           height,
                            double        scale_factor,
                            int           z,
                            int           x,
                            int           y,
                            const guint8 *argb)
{
  SlSiteGrid *grid = sl_viewport_get_grid (viewport);
  cairo_surface_t *surface;
  cairo_pattern_t *pattern;
  SlBounds b;
  double wx0, wy0, wx1, wy1, dx0, dy0, dx1, dy1;

  sl_site_grid_get_tile_bounds (grid, z, x, y, &b);
  sl_viewport_site_to_widget (viewport, width, height, b.min_x, b.max_y, &wx0, &wy0);
  sl_viewport_site_to_widget (viewport, width, height, b.max_x, b.min_y, &wx1, &wy1);
  /* Whole device pixels: neighbouring tiles share an edge exactly, so no seams. */
  /* floor (v + 0.5), not round (): halves must round the same way on both edges of a tile
   * (round () goes away from zero), or a tile at a .5 position gets 255 or 257 pixels. */
  dx0 = floor (wx0 * scale_factor + 0.5);
  dy0 = floor (wy0 * scale_factor + 0.5);
  dx1 = floor (wx1 * scale_factor + 0.5);
  dy1 = floor (wy1 * scale_factor + 0.5);
  if (dx1 <= dx0 || dy1 <= dy0)
    return;

  surface = cairo_image_surface_create_for_data ((guint8 *) argb, CAIRO_FORMAT_ARGB32,
                                                 SL_TILE_SIZE, SL_TILE_SIZE, SL_TILE_STRIDE);
  cairo_save (cr);
  cairo_identity_matrix (cr);
  cairo_rectangle (cr, dx0, dy0, dx1 - dx0, dy1 - dy0);
  cairo_clip (cr);
  cairo_translate (cr, dx0, dy0);
  cairo_scale (cr, (dx1 - dx0) / SL_TILE_SIZE, (dy1 - dy0) / SL_TILE_SIZE);
  cairo_set_source_surface (cr, surface, 0, 0);
  pattern = cairo_get_source (cr);
  /* Magnified: sharp pixels. Reduced (never by more than 2×, the level is chosen so): smooth. */
  cairo_pattern_set_filter (pattern, (dx1 - dx0) > SL_TILE_SIZE + 0.5 || (dy1 - dy0) > SL_TILE_SIZE + 0.5
                                     ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

gboolean
sl_scene_render_view (SlTileCache   *cache,
                      gint64         scene_id,
                      SlViewport    *viewport,
                      cairo_t       *cr,
                      int            width,
                      int            height,
                      double         scale_factor,
                      guint         *n_failed,
                      char         **first_failure,
                      GCancellable  *cancellable,
                      GError       **error)
{
  SlSiteGrid *grid;
  SlBounds visible, footprint;
  int z, x0, y0, x1, y1;
  g_autoptr(GArray) fetches = g_array_new (FALSE, TRUE, sizeof (Fetch));
  GThreadPool *pool;
  GMutex lock;
  GCond done;
  guint pending, failed = 0, drawn = 0;  /* drawn: fetched, even if EMPTY */
  GError *first = NULL;

  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), FALSE);
  g_return_val_if_fail (SL_IS_VIEWPORT (viewport), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  grid = sl_viewport_get_grid (viewport);
  g_return_val_if_fail (grid != NULL, FALSE);

  /* Never finer than the scene's own resolution: above 100 % its native tiles are magnified. */
  z = MIN (sl_viewport_get_level (viewport, scale_factor), sl_tile_cache_get_native_zoom (cache, scene_id));
  sl_viewport_get_visible_bounds (viewport, width, height, &visible);
  if (sl_tile_cache_get_footprint (cache, scene_id, &footprint))
    {
      visible.min_x = MAX (visible.min_x, footprint.min_x);
      visible.max_x = MIN (visible.max_x, footprint.max_x);
      visible.min_y = MAX (visible.min_y, footprint.min_y);
      visible.max_y = MIN (visible.max_y, footprint.max_y);
      if (visible.min_x >= visible.max_x || visible.min_y >= visible.max_y)
        {
          if (n_failed)
            *n_failed = 0;
          if (first_failure)
            *first_failure = NULL;
          return TRUE;  /* the scene is not in view: nothing to draw is not an error */
        }
    }
  sl_site_grid_tile_range (grid, z, &visible, &x0, &y0, &x1, &y1);

  g_mutex_init (&lock);
  g_cond_init (&done);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        Fetch f = { cache, cancellable, sl_tile_cache_key (cache, scene_id, z, x, y), NULL, NULL, &lock, &done, &pending };
        g_array_append_val (fetches, f);
      }
  pending = fetches->len;

  pool = g_thread_pool_new (fetch_tile, NULL, MAX (2, (int) g_get_num_processors ()), FALSE, NULL);
  for (guint i = 0; i < fetches->len; i++)
    g_thread_pool_push (pool, &g_array_index (fetches, Fetch, i), NULL);
  g_mutex_lock (&lock);
  while (pending > 0)
    g_cond_wait (&done, &lock);
  g_mutex_unlock (&lock);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_mutex_clear (&lock);
  g_cond_clear (&done);

  for (guint i = 0; i < fetches->len; i++)
    {
      Fetch *f = &g_array_index (fetches, Fetch, i);

      if (f->tile == NULL)
        {
          failed++;
          if (first == NULL)
            first = g_steal_pointer (&f->error);
          g_clear_error (&f->error);
          continue;
        }
      if (f->tile->argb)
        sl_scene_render_paint_tile (cr, viewport, width, height, scale_factor, f->key.z, f->key.x, f->key.y,
                                    g_bytes_get_data (f->tile->argb, NULL));
      drawn++;
      sl_tile_free (f->tile);
    }

  if (n_failed)
    *n_failed = failed;
  if (first_failure)
    *first_failure = first ? g_strdup (first->message) : NULL;
  if (failed > 0 && drawn == 0)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  g_clear_error (&first);
  return TRUE;
}
