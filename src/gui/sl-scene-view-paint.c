/* sl-scene-view-paint.c — SlSceneView's snapshot: tiles as textures, fallbacks, sharp pixels
 *
 * Each tile in memory becomes a GdkMemoryTexture over the cache's own pixels (no copy),
 * kept while it is on screen so the renderer uploads it once. Every tile is placed on whole
 * device pixels computed from its grid edges, so neighbours share edges exactly at any zoom
 * and scale factor, as sl_scene_render_paint_tile (the CLI) places them.
 *
 * Above 100 % the scene's own tiles are magnified. GTK 4.8 samples textures bilinearly and
 * has no nearest filter (gtk_snapshot_append_scaled_texture is 4.10), so the part of such a
 * tile in view, plus a margin, is magnified here into a texture of exactly its device pixels;
 * panning reuses it until the view leaves the margin, and the renderer uploads it once.
 * Measured on the demo (1280 × 800 window, 2 cores): panning at 800 % the snapshot takes
 * 0.01–0.03 ms a frame on average, 0.5 ms at most (a rebuild); a zoom animation at 600–800 %
 * rebuilds every frame, 0.21 ms. A cairo node with CAIRO_FILTER_NEAREST instead would repaint
 * the whole view every frame (0.6 ms here) and upload it again (4 MB a frame on GL).
 *
 * Tiles not in memory yet are covered by the nearest coarser tile in memory (clipped to the
 * missing tile) and by finer ones; tiles of the previous render generation stand in while a
 * new stretch loads. Nothing is decoded or read here: the cache's memory tier only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-scene-view-private.h"

/* How far up the pyramid a missing tile looks for a stand-in (256 × magnified at most). */
#define MAX_FALLBACK_DEPTH 8
/* Textures not drawn for this many frames are released. */
#define KEEP_FRAMES 8
/* Device pixels magnified beyond the view on each side, so that panning reuses them. */
#define MAGNIFY_MARGIN 256
/* Below this size on screen (logical px) a failed tile gets no icon. */
#define ERROR_ICON_MIN 40
#define ERROR_ICON_SIZE 16

/* A tile's pixels on screen, in device pixels (whole numbers). */
typedef struct
{
  double x0, y0, x1, y1;
} DeviceRect;

typedef struct
{
  GBytes     *argb;           /* the cache's pixels; NULL: an EMPTY tile, nothing to draw */
  GdkTexture *texture;        /* over argb */
  guint64     used;           /* the last frame that drew it */
  /* Part of the tile magnified nearest-neighbour for a W × H device-pixel placement. */
  GdkTexture *zoomed;
  guint64     zoomed_used;
  int         zoomed_w, zoomed_h;
  int         zx0, zy0, zx1, zy1; /* the part, in device pixels from the tile's top-left */
} TileTexture;

/* What one snapshot needs to place tiles. */
typedef struct
{
  SlSceneView *self;
  GtkSnapshot *snapshot;
  SlSiteGrid  *grid;
  int          width;
  int          height;
  int          scale;
} Frame;

static const GDebugKey debug_keys[] = {
  { "frames", SL_SCENE_VIEW_DEBUG_FRAMES },
};

static void
tile_texture_free (TileTexture *tt)
{
  g_clear_object (&tt->texture);
  g_clear_object (&tt->zoomed);
  g_clear_pointer (&tt->argb, g_bytes_unref);
  g_free (tt);
}

static gboolean
tile_device_rect (Frame      *f,
                  int         z,
                  int         x,
                  int         y,
                  DeviceRect *r)
{
  SlViewport *viewport = f->self->viewport;
  double sx0, sy0, sx1, sy1, wx0, wy0, wx1, wy1;

  /* Both corners from grid pixel indices: the right edge of a tile is computed exactly like
   * the left edge of its neighbour, and a parent's edges like its children's. */
  sl_site_grid_pixel_to_site (f->grid, z, (double) x * SL_TILE_SIZE, (double) y * SL_TILE_SIZE, &sx0, &sy0);
  sl_site_grid_pixel_to_site (f->grid, z, (double) (x + 1) * SL_TILE_SIZE, (double) (y + 1) * SL_TILE_SIZE, &sx1, &sy1);
  sl_viewport_site_to_widget (viewport, f->width, f->height, sx0, sy0, &wx0, &wy0);
  sl_viewport_site_to_widget (viewport, f->width, f->height, sx1, sy1, &wx1, &wy1);
  /* floor (v + ½), not round (): round () takes halves away from zero, so a tile from
   * −227.5 to 28.5 would get 257 pixels at 100 % and be resampled. */
  r->x0 = floor (wx0 * f->scale + 0.5);
  r->y0 = floor (wy0 * f->scale + 0.5);
  r->x1 = floor (wx1 * f->scale + 0.5);
  r->y1 = floor (wy1 * f->scale + 0.5);
  return r->x1 > r->x0 && r->y1 > r->y0;
}

static graphene_rect_t
to_logical (Frame            *f,
            const DeviceRect *r)
{
  return GRAPHENE_RECT_INIT (r->x0 / f->scale, r->y0 / f->scale,
                             (r->x1 - r->x0) / f->scale, (r->y1 - r->y0) / f->scale);
}

/* The texture of @key if its tile is in memory (made once, then kept while drawn). */
static TileTexture *
get_texture (SlSceneView     *self,
             const SlTileKey *key)
{
  TileTexture *tt = g_hash_table_lookup (self->textures, key);
  const SlTile *tile;

  if (tt != NULL)
    return tt;

  tile = sl_tile_cache_lookup (self->cache, key);
  if (tile == NULL)
    return NULL;

  tt = g_new0 (TileTexture, 1);
  if (tile->argb != NULL)
    {
      /* The texture shares the cache's immutable pixels: no copy. */
      tt->argb = g_bytes_ref (tile->argb);
      tt->texture = gdk_memory_texture_new (SL_TILE_SIZE, SL_TILE_SIZE, GDK_MEMORY_DEFAULT,
                                            tt->argb, SL_TILE_STRIDE);
    }
  g_hash_table_insert (self->textures, g_memdup2 (key, sizeof *key), tt);
  return tt;
}

static void
draw_texture (Frame            *f,
              GdkTexture       *texture,
              const DeviceRect *r)
{
  graphene_rect_t bounds = to_logical (f, r);

  gtk_snapshot_append_texture (f->snapshot, texture, &bounds);
}

/* Nearest-neighbour: device pixel i of a W-pixel placement shows texel floor((i + ½)·256/W),
 * ties going down as in pixman (cairo's CAIRO_FILTER_NEAREST, which the CLI uses). */
static inline int
nearest_texel (int i,
               int size)
{
  int t = (int) floor ((i + 0.5) * SL_TILE_SIZE / size - 1.0 / 65536);

  return CLAMP (t, 0, SL_TILE_SIZE - 1);
}

static GdkTexture *
magnify (GBytes *argb,
         int     w,
         int     h,
         int     x0,
         int     y0,
         int     x1,
         int     y1)
{
  const guint8 *src = g_bytes_get_data (argb, NULL);
  int rw = x1 - x0, rh = y1 - y0;
  gsize stride = (gsize) rw * 4;
  guint8 *dst = g_malloc (stride * rh);
  g_autofree int *columns = g_new (int, rw);
  g_autoptr(GBytes) bytes = NULL;
  int previous = -1;

  for (int i = 0; i < rw; i++)
    columns[i] = nearest_texel (x0 + i, w) * 4;

  for (int j = 0; j < rh; j++)
    {
      int sy = nearest_texel (y0 + j, h);
      guint8 *row = dst + j * stride;

      if (sy == previous)
        {
          /* Magnified rows repeat: copy the one above. */
          memcpy (row, row - stride, stride);
          continue;
        }
      for (int i = 0; i < rw; i++)
        memcpy (row + 4 * i, src + (gsize) sy * SL_TILE_STRIDE + columns[i], 4);
      previous = sy;
    }

  bytes = g_bytes_new_take (dst, stride * rh);
  return gdk_memory_texture_new (rw, rh, GDK_MEMORY_DEFAULT, bytes, stride);
}

/* A magnified tile: its part in view, sharp. */
static void
draw_magnified (Frame            *f,
                TileTexture      *tt,
                const DeviceRect *r)
{
  SlSceneView *self = f->self;
  int w = (int) (r->x1 - r->x0), h = (int) (r->y1 - r->y0);
  int nx0 = MAX (0, (int) -r->x0), ny0 = MAX (0, (int) -r->y0);
  int nx1 = MIN (w, f->width * f->scale - (int) r->x0);
  int ny1 = MIN (h, f->height * f->scale - (int) r->y0);
  DeviceRect part;

  if (nx1 <= nx0 || ny1 <= ny0)
    return;

  if (tt->zoomed == NULL || tt->zoomed_w != w || tt->zoomed_h != h ||
      nx0 < tt->zx0 || ny0 < tt->zy0 || nx1 > tt->zx1 || ny1 > tt->zy1)
    {
      /* While the zoom changes every frame (an animation, a pinch) a margin would never be
       * reused: magnify only what shows. */
      int margin = tt->zoomed != NULL && tt->zoomed_w == w && tt->zoomed_h == h ? MAGNIFY_MARGIN : 0;

      g_clear_object (&tt->zoomed);
      tt->zoomed_w = w;
      tt->zoomed_h = h;
      tt->zx0 = MAX (0, nx0 - margin);
      tt->zy0 = MAX (0, ny0 - margin);
      tt->zx1 = MIN (w, nx1 + margin);
      tt->zy1 = MIN (h, ny1 + margin);
      tt->zoomed = magnify (tt->argb, w, h, tt->zx0, tt->zy0, tt->zx1, tt->zy1);
    }
  tt->zoomed_used = self->frame;

  part = (DeviceRect) { r->x0 + tt->zx0, r->y0 + tt->zy0, r->x0 + tt->zx1, r->y0 + tt->zy1 };
  draw_texture (f, tt->zoomed, &part);
}

static void
draw_clipped (Frame            *f,
              GdkTexture       *texture,
              const DeviceRect *placement,
              const DeviceRect *clip)
{
  graphene_rect_t clip_bounds = to_logical (f, clip);

  gtk_snapshot_push_clip (f->snapshot, &clip_bounds);
  draw_texture (f, texture, placement);
  gtk_snapshot_pop (f->snapshot);
}

/* Covers a missing tile with what is in memory: the nearest coarser tile of the current
 * generation (or the same tile or a coarser one of the previous generation), then the finer
 * tiles on top. TRUE when something stood in. */
static gboolean
draw_fallback (Frame           *f,
               const SlTileKey *key,
               const DeviceRect *r)
{
  SlSceneView *self = f->self;
  gboolean found = FALSE;
  guint32 generations[2] = { key->generation, self->stale_generation };
  guint n_generations = self->has_stale_generation && self->stale_generation != key->generation ? 2 : 1;

  for (guint g = 0; g < n_generations && !found; g++)
    for (int dz = g == 0 ? 1 : 0; dz <= MIN (key->z, MAX_FALLBACK_DEPTH) && !found; dz++)
      {
        SlTileKey parent = { key->scene_id, generations[g], key->z - dz, key->x >> dz, key->y >> dz };
        TileTexture *tt = get_texture (self, &parent);
        DeviceRect pr;

        if (tt == NULL)
          continue;
        found = TRUE;
        tt->used = self->frame;
        if (tt->texture != NULL && tile_device_rect (f, parent.z, parent.x, parent.y, &pr))
          draw_clipped (f, tt->texture, &pr, r);
      }

  /* Zooming out: the finer tiles are often still in memory. */
  for (int i = 0; i < 4; i++)
    {
      SlTileKey child = { key->scene_id, key->generation, key->z + 1, 2 * key->x + i % 2, 2 * key->y + i / 2 };
      TileTexture *tt;
      DeviceRect cr;

      if (child.z > SL_SITE_GRID_MAX_LEVELS || (tt = get_texture (self, &child)) == NULL)
        continue;
      found = TRUE;
      tt->used = self->frame;
      if (tt->texture != NULL && tile_device_rect (f, child.z, child.x, child.y, &cr))
        draw_texture (f, tt->texture, &cr);
    }

  return found;
}

static GdkPaintable *
get_error_icon (SlSceneView *self,
                int          scale)
{
  if (self->error_icon == NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));

      self->error_icon = GDK_PAINTABLE (gtk_icon_theme_lookup_icon (theme, "dialog-error-symbolic", NULL,
                                                                    ERROR_ICON_SIZE, scale,
                                                                    GTK_TEXT_DIR_NONE, 0));
    }
  return self->error_icon;
}

/* A tile that could not be read: red hatching and, when there is room, an icon. */
static void
draw_failed (Frame            *f,
             const DeviceRect *r)
{
  static const GskColorStop stops[] = {
    { 0.0f, { 0.75f, 0.11f, 0.16f, 0.45f } },
    { 0.35f, { 0.75f, 0.11f, 0.16f, 0.45f } },
    { 0.5f, { 0.75f, 0.11f, 0.16f, 0.0f } },
    { 1.0f, { 0.75f, 0.11f, 0.16f, 0.0f } },
  };
  const GdkRGBA tint = { 0.75f, 0.11f, 0.16f, 0.12f };
  const GdkRGBA icon_colors[4] = {
    { 0.75f, 0.11f, 0.16f, 1.0f }, { 0.75f, 0.11f, 0.16f, 1.0f },
    { 0.8f, 0.5f, 0.0f, 1.0f }, { 0.2f, 0.6f, 0.3f, 1.0f },
  };
  graphene_rect_t bounds = to_logical (f, r);
  graphene_rect_t shown;
  GdkPaintable *icon;

  gtk_snapshot_append_color (f->snapshot, &tint, &bounds);
  gtk_snapshot_append_repeating_linear_gradient (f->snapshot, &bounds,
                                                 &GRAPHENE_POINT_INIT (bounds.origin.x, bounds.origin.y),
                                                 &GRAPHENE_POINT_INIT (bounds.origin.x + 8, bounds.origin.y + 8),
                                                 stops, G_N_ELEMENTS (stops));

  /* The icon sits in the middle of the part in view. */
  if (!graphene_rect_intersection (&bounds, &GRAPHENE_RECT_INIT (0, 0, f->width, f->height), &shown) ||
      shown.size.width < ERROR_ICON_MIN || shown.size.height < ERROR_ICON_MIN)
    return;
  icon = get_error_icon (f->self, f->scale);
  if (icon == NULL)
    return;
  gtk_snapshot_save (f->snapshot);
  gtk_snapshot_translate (f->snapshot,
                          &GRAPHENE_POINT_INIT (roundf (shown.origin.x + (shown.size.width - ERROR_ICON_SIZE) / 2),
                                                roundf (shown.origin.y + (shown.size.height - ERROR_ICON_SIZE) / 2)));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), f->snapshot,
                                            ERROR_ICON_SIZE, ERROR_ICON_SIZE, icon_colors, G_N_ELEMENTS (icon_colors));
  gtk_snapshot_restore (f->snapshot);
}

static void
draw_tile (Frame           *f,
           const SlTileKey *key)
{
  SlSceneView *self = f->self;
  TileTexture *tt;
  DeviceRect r;

  if (!tile_device_rect (f, key->z, key->x, key->y, &r))
    return;

  if (g_hash_table_contains (self->failed, key))
    {
      draw_fallback (f, key, &r);
      draw_failed (f, &r);
      return;
    }

  tt = get_texture (self, key);
  if (tt == NULL)
    {
      draw_fallback (f, key, &r);
      return;
    }

  tt->used = self->frame;
  if (tt->texture == NULL)
    return;
  if (r.x1 - r.x0 > SL_TILE_SIZE || r.y1 - r.y0 > SL_TILE_SIZE)
    draw_magnified (f, tt, &r);
  else
    draw_texture (f, tt->texture, &r);
}

static void
prune_textures (SlSceneView *self)
{
  GHashTableIter iter;
  TileTexture *tt;

  g_hash_table_iter_init (&iter, self->textures);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tt))
    {
      if (self->frame - tt->used > KEEP_FRAMES)
        g_hash_table_iter_remove (&iter);
      else if (tt->zoomed != NULL && tt->zoomed_used != self->frame)
        g_clear_object (&tt->zoomed);  /* large: only while magnified on screen */
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 ta = *(const gint64 *) a, tb = *(const gint64 *) b;

  return (ta > tb) - (ta < tb);
}

void
_sl_scene_view_add_timing (SlTimings *timings,
                           gint64     usec)
{
  timings->samples[timings->n++ % SL_SCENE_VIEW_FRAME_SAMPLES] = usec;
}

/* "mean 0.120 ms, p95 0.200 ms, max 0.350 ms" over the last @n samples. */
static char *
summarize (const SlTimings *timings,
           guint            n)
{
  gint64 sorted[SL_SCENE_VIEW_FRAME_SAMPLES];
  gint64 sum = 0;

  n = MIN (n, MIN (timings->n, SL_SCENE_VIEW_FRAME_SAMPLES));
  if (n == 0)
    return g_strdup ("no samples");
  for (guint i = 0; i < n; i++)
    {
      sorted[i] = timings->samples[(timings->n - n + i) % SL_SCENE_VIEW_FRAME_SAMPLES];
      sum += sorted[i];
    }
  qsort (sorted, n, sizeof (gint64), compare_times);
  return g_strdup_printf ("mean %.3f ms, p95 %.3f ms, max %.3f ms (%u)",
                          sum / 1000.0 / n, sorted[MIN (n - 1, (n * 95) / 100)] / 1000.0, sorted[n - 1] / 1000.0, n);
}

#define REPORT_EVERY 60

static void
report_timings (SlSceneView *self,
                int          z,
                guint        n_tiles)
{
  g_autofree char *snapshot = NULL;
  g_autofree char *frame = NULL;
  g_autofree char *wants = NULL;

  if (!(self->debug_flags & SL_SCENE_VIEW_DEBUG_FRAMES) || self->snapshot_times.n % REPORT_EVERY != 0)
    return;

  snapshot = summarize (&self->snapshot_times, REPORT_EVERY);
  frame = summarize (&self->frame_times, REPORT_EVERY);
  wants = summarize (&self->wants_times, REPORT_EVERY);
  g_message ("zoom %.1f %%, level %d, %u tiles, %u textures\n"
             "  snapshot: %s\n  whole frame (ticks, layout, snapshot, render): %s\n  tile requests: %s",
             self->viewport ? sl_viewport_get_zoom (self->viewport) * 100 : 0, z, n_tiles,
             g_hash_table_size (self->textures), snapshot, frame, wants);
}

static void
on_before_paint (GdkFrameClock *clock,
                 SlSceneView   *self)
{
  self->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                SlSceneView   *self)
{
  if (self->frame_start != 0)
    _sl_scene_view_add_timing (&self->frame_times, g_get_monotonic_time () - self->frame_start);
  self->frame_start = 0;
}

void
_sl_scene_view_realize_paint (SlSceneView *self)
{
  if (!(self->debug_flags & SL_SCENE_VIEW_DEBUG_FRAMES))
    return;
  self->debug_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  g_signal_connect (self->debug_clock, "before-paint", G_CALLBACK (on_before_paint), self);
  g_signal_connect_after (self->debug_clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

void
_sl_scene_view_unrealize_paint (SlSceneView *self)
{
  if (self->debug_clock == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->debug_clock, self);
  g_clear_object (&self->debug_clock);
}

void
_sl_scene_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SlSceneView *self = SL_SCENE_VIEW (widget);
  gint64 start = g_get_monotonic_time ();
  Frame f = { self, snapshot, NULL, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
              gtk_widget_get_scale_factor (widget) };
  int z = -1, x0, y0, x1, y1;
  guint n_tiles = 0;

  self->frame++;
  /* Not fitted yet (the view just got its size): the next frame is. */
  if (!self->fit_pending && _sl_scene_view_get_tile_range (self, f.width, f.height, f.scale, &z, &x0, &y0, &x1, &y1))
    {
      guint32 generation = self->has_generation ? self->generation
                                                : sl_tile_cache_key (self->cache, self->scene_id, 0, 0, 0).generation;

      f.grid = sl_viewport_get_grid (self->viewport);
      for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
          {
            SlTileKey key = { self->scene_id, generation, z, x, y };

            draw_tile (&f, &key);
            n_tiles++;
          }
    }
  prune_textures (self);
  _sl_scene_view_add_timing (&self->snapshot_times, g_get_monotonic_time () - start);
  report_timings (self, z, n_tiles);
}

void
_sl_scene_view_init_paint (SlSceneView *self)
{
  self->textures = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free,
                                          (GDestroyNotify) tile_texture_free);
  self->debug_flags = g_parse_debug_string (g_getenv ("SITELAPSE_DEBUG"), debug_keys, G_N_ELEMENTS (debug_keys));
}

void
_sl_scene_view_clear_textures (SlSceneView *self)
{
  if (self->textures != NULL)
    g_hash_table_remove_all (self->textures);
}

void
_sl_scene_view_finalize_paint (SlSceneView *self)
{
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_object (&self->error_icon);
}
