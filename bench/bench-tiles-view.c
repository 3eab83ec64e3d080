/* bench-tiles-view.c — what a pane sees: the first frame, panning, and a sweep for memory
 *
 * These drive the cache exactly as the scene pane does (sl-scene-view.c): on the main thread,
 * with a GMainLoop, asking with sl_tile_cache_want() for the pane's list (coarse cover, drawn
 * level centre-out, the level above) and taking the results from "tile-ready". GTK itself is
 * not involved (no display here): what is measured is the core's share of the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-tiles"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>

#include "bench-tiles.h"
#include "sl-scene-render.h"

/* --- waiting for a set of tiles --- */

typedef struct
{
  SlTileCache *cache;
  GMainLoop   *loop;
  GHashTable  *level;        /* drawn-level keys not arrived yet (SlTileKey * → itself) */
  GHashTable  *coarse;       /* coarse-cover keys not arrived yet */
  double       t_want;
  double       first_tile;   /* seconds after t_want; < 0 until then */
  double       coarse_done;
  double       level_done;
  double       cpu0, cpu_level;  /* process CPU seconds at the want, and used until level_done */
  guint        n_ready, n_failed;
  guint        timeout_id;
} Waiter;

static void
waiter_arrived (Waiter *w, const SlTileKey *key, gboolean ok)
{
  double t = bench_now () - w->t_want;

  if (ok)
    w->n_ready++;
  else
    w->n_failed++;
  if (w->first_tile < 0)
    w->first_tile = t;
  if (g_hash_table_remove (w->coarse, key) && g_hash_table_size (w->coarse) == 0)
    w->coarse_done = t;
  if (g_hash_table_remove (w->level, key) && g_hash_table_size (w->level) == 0)
    {
      w->level_done = t;
      w->cpu_level = bench_process_cpu () - w->cpu0;
    }
  /* The coarse cover may come after the drawn level (built from it): wait for both. */
  if (w->level_done >= 0 && g_hash_table_size (w->coarse) == 0)
    g_main_loop_quit (w->loop);
}

static void
on_tile_ready (SlTileCache *cache, SlTileKey *key, const SlTile *tile, gpointer user_data)
{
  waiter_arrived (user_data, key, TRUE);
}

static void
on_tile_failed (SlTileCache *cache, SlTileKey *key, GError *error, gpointer user_data)
{
  g_warning ("tile %d/%d/%d failed: %s", key->z, key->x, key->y, error->message);
  waiter_arrived (user_data, key, FALSE);
}

static gboolean
on_timeout (gpointer user_data)
{
  Waiter *w = user_data;

  w->timeout_id = 0;
  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

static void
waiter_init (Waiter *w, SlTileCache *cache)
{
  memset (w, 0, sizeof *w);
  w->cache = cache;
  w->loop = g_main_loop_new (NULL, FALSE);
  w->level = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  w->coarse = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  g_signal_connect (cache, "tile-ready", G_CALLBACK (on_tile_ready), w);
  g_signal_connect (cache, "tile-failed", G_CALLBACK (on_tile_failed), w);
}

static void
waiter_clear (Waiter *w)
{
  g_signal_handlers_disconnect_by_data (w->cache, w);
  g_hash_table_unref (w->level);
  g_hash_table_unref (w->coarse);
  g_main_loop_unref (w->loop);
}

/* Asks for @keys as the pane does and runs the main loop until every drawn-level key arrived
 * (or @timeout seconds passed: FALSE). Keys already in memory count as arrived. */
static gboolean
waiter_run (Waiter *w, gpointer owner, GArray *keys, guint n_coarse, guint n_level, double timeout)
{
  for (guint i = 0; i < n_coarse + n_level; i++)
    {
      SlTileKey *key = &g_array_index (keys, SlTileKey, i);

      if (sl_tile_cache_lookup (w->cache, key) == NULL)
        g_hash_table_add (i < n_coarse ? w->coarse : w->level, key);
    }
  w->first_tile = w->coarse_done = w->level_done = -1;
  w->cpu0 = bench_process_cpu ();
  w->t_want = bench_now ();
  if (g_hash_table_size (w->coarse) == 0)
    w->coarse_done = 0;
  sl_tile_cache_want (w->cache, owner, (SlTileKey *) keys->data, keys->len);
  if (g_hash_table_size (w->level) == 0)
    {
      w->level_done = 0;
      if (w->coarse_done == 0)
        return TRUE;
    }
  w->timeout_id = g_timeout_add_seconds ((guint) ceil (timeout), on_timeout, w);
  g_main_loop_run (w->loop);
  g_clear_handle_id (&w->timeout_id, g_source_remove);
  return g_hash_table_size (w->level) == 0 && g_hash_table_size (w->coarse) == 0;
}

static void
report_cache (SlTileCache *cache)
{
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (cache, &stats);
  bench_report ("store_hits", stats.store_hits, "tiles");
  bench_report ("source_reads", stats.source_reads, "tiles");
  bench_report ("memory_tier", stats.memory_bytes / 1048576.0, "MB");
}

/* --- frame --- */

int
bench_cmd_frame (int argc, char **argv)
{
  g_autofree char *view = NULL, *size = NULL;
  gboolean render = FALSE, level_only = FALSE;
  GOptionEntry entries[] = {
    { "level-only", 0, 0, G_OPTION_ARG_NONE, &level_only, "Ask for the drawn level only (no coarse cover, no level above)", NULL },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, "fit, or a zoom in percent (default 100)", "VIEW" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Pane size (default 1920x1080)", "WxH" },
    { "render", 0, 0, G_OPTION_ARG_NONE, &render, "Then draw it again through sl_scene_render_view with a new cache", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlViewport) viewport = sl_viewport_new ();
  g_autoptr(GArray) keys = NULL;
  gint64 scene_id;
  int width = 1920, height = 1080, z;
  guint n_coarse, n_level;
  double t0, t_open;
  Waiter w;
  int owner;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  if (size)
    bench_parse_size (size, &width, &height);

  /* Reopening: the project file and a new cache (cold memory tier, new SQLite connections). */
  t0 = bench_now ();
  project = bench_open_project (argv[1], &scene_id);
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    bench_fail ("%s", error->message);
  t_open = bench_now () - t0;

  bench_set_view (viewport, cache, scene_id, view ? view : "100", width, height);
  keys = bench_pane_keys (cache, scene_id, viewport, width, height, &z, &n_coarse, &n_level);
  if (level_only)
    {
      g_array_remove_range (keys, 0, n_coarse);
      g_array_set_size (keys, n_level);
      n_coarse = 0;
    }
  waiter_init (&w, cache);
  if (!waiter_run (&w, &owner, keys, n_coarse, n_level, 120))
    bench_fail ("%u tiles still missing after 120 s", g_hash_table_size (w.level) + g_hash_table_size (w.coarse));

  bench_report ("open_ms", 1000 * t_open, "ms");
  bench_report ("first_tile_ms", 1000 * w.first_tile, "ms");
  bench_report ("coarse_ms", 1000 * w.coarse_done, "ms");
  bench_report ("complete_ms", 1000 * w.level_done, "ms");
  bench_report ("cpu_ms", 1000 * w.cpu_level, "ms");
  bench_report ("total_ms", 1000 * (t_open + w.level_done), "ms");
  bench_report ("zoom", 100 * sl_viewport_get_zoom (viewport), "%");
  bench_report ("level_below_native", sl_tile_cache_get_native_zoom (cache, scene_id) - z, "levels");
  bench_report ("tiles", n_level, "tiles");
  bench_report ("coarse_tiles", n_coarse, "tiles");
  bench_report ("failed", w.n_failed, "tiles");
  report_cache (cache);
  sl_tile_cache_forget_owner (cache, &owner);
  waiter_clear (&w);
  g_clear_object (&cache);

  if (render)
    {
      /* The CLI/export path: a new cache again, every visible tile through get_sync, painted. */
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      cairo_t *cr = cairo_create (surface);
      guint n_failed = 0;
      g_autofree char *failure = NULL;
      double t1 = bench_now ();

      cache = sl_tile_cache_new (project, 0, 0, &error);
      if (cache == NULL ||
          !sl_scene_render_view (cache, scene_id, viewport, cr, width, height, 1, &n_failed, &failure, NULL, &error))
        bench_fail ("%s", error->message);
      bench_report ("render_view_ms", 1000 * (bench_now () - t1), "ms");
      if (n_failed > 0)
        bench_fail ("%u tiles failed: %s", n_failed, failure);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  bench_report ("peak_rss", bench_peak_rss_mb (), "MB");
  return 0;
}

/* --- pan --- */

typedef struct
{
  SlTileCache *cache;
  SlViewport  *viewport;
  gint64       scene_id;
  int          width, height;
  double       speed;         /* logical pixels a second */
  double       seconds;
  double       cx0, cy0;      /* where the pan starts (site) */
  double       min_x, max_x, min_y, max_y;  /* the centres that keep the view on the scene */
  double       start;
  GMainLoop   *loop;
  GHashTable  *pending;       /* newly exposed drawn-level key → double * (when it was exposed) */
  GArray      *latency_ms;
  GArray      *keys_us;       /* the pane's want list for the frame */
  GArray      *lookup_us;     /* a lookup per visible tile (+ the fallbacks of missing ones) */
  GArray      *want_us;
  GArray      *frame_us;      /* the three together */
  guint        frames, exposed, abandoned, missing_frames;
} Pan;

/* Bounces between the edges, like a ball: a diagonal pan exposes rows and columns. */
static double
bounce (double start, double travel, double lo, double hi)
{
  double span = hi - lo, p;

  if (span <= 0)
    return (lo + hi) / 2;
  p = fmod (start - lo + travel, 2 * span);
  if (p < 0)
    p += 2 * span;
  return lo + (p <= span ? p : 2 * span - p);
}

static void
on_pan_ready (SlTileCache *cache, SlTileKey *key, const SlTile *tile, gpointer user_data)
{
  Pan *pan = user_data;
  double *exposed = g_hash_table_lookup (pan->pending, key);

  if (exposed != NULL)
    {
      double ms = 1000 * (bench_now () - *exposed);

      g_array_append_val (pan->latency_ms, ms);
      g_hash_table_remove (pan->pending, key);
    }
}

static gboolean
on_frame (gpointer user_data)
{
  Pan *pan = user_data;
  double t = bench_now () - pan->start, res = sl_viewport_get_resolution (pan->viewport);
  double travel = pan->speed * t * res, ta, tk, tb, tc, us;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GHashTable) visible = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  GHashTableIter iter;
  gpointer key;
  guint n_coarse, n_level, missing = 0;
  int z;

  /* 30° off the horizontal: new columns and new rows of tiles. */
  sl_viewport_set_center (pan->viewport, bounce (pan->cx0, travel * cos (G_PI / 6), pan->min_x, pan->max_x),
                          bounce (pan->cy0, -travel * sin (G_PI / 6), pan->min_y, pan->max_y));

  /* What the pane does on the main thread each frame: its want list, a lookup per visible
   * tile (and the coarser fallbacks of missing ones), and the want itself. */
  ta = bench_now ();
  keys = bench_pane_keys (pan->cache, pan->scene_id, pan->viewport, pan->width, pan->height, &z, &n_coarse, &n_level);
  tk = bench_now ();
  for (guint i = n_coarse; i < n_coarse + n_level; i++)
    {
      SlTileKey *k = &g_array_index (keys, SlTileKey, i);

      g_hash_table_add (visible, k);
      if (sl_tile_cache_lookup (pan->cache, k) != NULL)
        continue;
      missing++;
      for (int up = 1; up <= 3 && k->z - up >= 0; up++)
        {
          SlTileKey parent = *k;

          parent.z -= up;
          parent.x >>= up;
          parent.y >>= up;
          if (sl_tile_cache_lookup (pan->cache, &parent) != NULL)
            break;
        }
      if (!g_hash_table_contains (pan->pending, k))
        {
          double *when = g_new (double, 1);

          *when = ta;
          g_hash_table_insert (pan->pending, g_memdup2 (k, sizeof *k), when);
          pan->exposed++;
        }
    }
  tb = bench_now ();
  sl_tile_cache_want (pan->cache, pan, (SlTileKey *) keys->data, keys->len);
  tc = bench_now ();

  us = 1e6 * (tk - ta);
  g_array_append_val (pan->keys_us, us);
  us = 1e6 * (tb - tk);
  g_array_append_val (pan->lookup_us, us);
  us = 1e6 * (tc - tb);
  g_array_append_val (pan->want_us, us);
  us = 1e6 * (tc - ta);
  g_array_append_val (pan->frame_us, us);
  pan->frames++;
  pan->missing_frames += missing > 0;

  /* Exposed tiles that left the view before arriving: cancelled, not late. */
  g_hash_table_iter_init (&iter, pan->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (visible, key))
      {
        g_hash_table_iter_remove (&iter);
        pan->abandoned++;
      }

  if (t >= pan->seconds)
    {
      g_main_loop_quit (pan->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

int
bench_cmd_pan (int argc, char **argv)
{
  g_autofree char *size = NULL;
  double speed = 2000, seconds = 5;
  GOptionEntry entries[] = {
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "Pan speed in screen pixels a second (default 2000)", "PX" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long to pan (default 5)", "S" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Pane size (default 1920x1080)", "WxH" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlViewport) viewport = sl_viewport_new ();
  g_autoptr(GArray) keys = NULL;
  Pan pan = { 0 };
  SlBounds fp;
  Waiter w;
  guint n_coarse, n_level;
  int z;
  double res, cpu0, cpu;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  pan.width = 1920;
  pan.height = 1080;
  if (size)
    bench_parse_size (size, &pan.width, &pan.height);
  project = bench_open_project (argv[1], &pan.scene_id);
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    bench_fail ("%s", error->message);
  bench_set_view (viewport, cache, pan.scene_id, "100", pan.width, pan.height);
  sl_tile_cache_get_footprint (cache, pan.scene_id, &fp);
  res = sl_viewport_get_resolution (viewport);
  pan.cache = cache;
  pan.viewport = viewport;
  pan.speed = speed;
  pan.seconds = seconds;
  pan.min_x = fp.min_x + res * pan.width / 2;
  pan.max_x = fp.max_x - res * pan.width / 2;
  pan.min_y = fp.min_y + res * pan.height / 2;
  pan.max_y = fp.max_y - res * pan.height / 2;
  pan.cx0 = pan.min_x;
  pan.cy0 = pan.max_y;
  sl_viewport_set_center (viewport, pan.cx0, pan.cy0);

  /* The first view complete, as after opening; then the pan starts. */
  keys = bench_pane_keys (cache, pan.scene_id, viewport, pan.width, pan.height, &z, &n_coarse, &n_level);
  waiter_init (&w, cache);
  if (!waiter_run (&w, &pan, keys, n_coarse, n_level, 60))
    bench_fail ("the first view did not complete in 60 s");
  waiter_clear (&w);

  pan.loop = g_main_loop_new (NULL, FALSE);
  pan.pending = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, g_free);
  pan.latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  pan.keys_us = g_array_new (FALSE, FALSE, sizeof (double));
  pan.lookup_us = g_array_new (FALSE, FALSE, sizeof (double));
  pan.want_us = g_array_new (FALSE, FALSE, sizeof (double));
  pan.frame_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (cache, "tile-ready", G_CALLBACK (on_pan_ready), &pan);
  cpu0 = bench_thread_cpu ();
  pan.start = bench_now ();
  g_timeout_add_full (G_PRIORITY_DEFAULT, 16, on_frame, &pan, NULL);
  g_main_loop_run (pan.loop);
  cpu = bench_thread_cpu () - cpu0;
  g_signal_handlers_disconnect_by_data (cache, &pan);

  bench_report ("frames", pan.frames, "frames");
  bench_report ("fps", pan.frames / (bench_now () - pan.start), "frames/s");
  bench_report ("main_cpu_per_frame_ms", 1000 * cpu / MAX (pan.frames, 1), "ms");
  bench_report ("keys_p50_us", bench_percentile (pan.keys_us, 50), "us");
  bench_report ("keys_p95_us", bench_percentile (pan.keys_us, 95), "us");
  bench_report ("lookup_p50_us", bench_percentile (pan.lookup_us, 50), "us");
  bench_report ("lookup_p95_us", bench_percentile (pan.lookup_us, 95), "us");
  bench_report ("lookup_max_us", bench_percentile (pan.lookup_us, 100), "us");
  bench_report ("want_p50_us", bench_percentile (pan.want_us, 50), "us");
  bench_report ("want_p95_us", bench_percentile (pan.want_us, 95), "us");
  bench_report ("want_max_us", bench_percentile (pan.want_us, 100), "us");
  bench_report ("frame_p50_us", bench_percentile (pan.frame_us, 50), "us");
  bench_report ("frame_p95_us", bench_percentile (pan.frame_us, 95), "us");
  bench_report ("frame_max_us", bench_percentile (pan.frame_us, 100), "us");
  bench_report ("exposed_tiles", pan.exposed, "tiles");
  bench_report ("arrived_tiles", pan.latency_ms->len, "tiles");
  bench_report ("left_view_before_arriving", pan.abandoned, "tiles");
  bench_report ("frames_with_missing_tiles", pan.missing_frames, "frames");
  bench_report ("latency_p50_ms", bench_percentile (pan.latency_ms, 50), "ms");
  bench_report ("latency_p95_ms", bench_percentile (pan.latency_ms, 95), "ms");
  bench_report ("latency_max_ms", bench_percentile (pan.latency_ms, 100), "ms");
  report_cache (cache);
  bench_report ("peak_rss", bench_peak_rss_mb (), "MB");

  sl_tile_cache_forget_owner (cache, &pan);
  g_hash_table_unref (pan.pending);
  g_array_unref (pan.latency_ms);
  g_array_unref (pan.keys_us);
  g_array_unref (pan.lookup_us);
  g_array_unref (pan.want_us);
  g_array_unref (pan.frame_us);
  g_main_loop_unref (pan.loop);
  return 0;
}

/* --- sweep --- */

int
bench_cmd_sweep (int argc, char **argv)
{
  g_autofree char *size = NULL, *view = NULL;
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, "Zoom in percent (default 100)", "ZOOM" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Pane size (default 1920x1080)", "WxH" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlViewport) viewport = sl_viewport_new ();
  gint64 scene_id;
  int width = 1920, height = 1080, owner;
  guint steps = 0, tiles = 0, failed = 0;
  double t0, res, rss_max = 0;
  SlBounds fp;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  if (size)
    bench_parse_size (size, &width, &height);
  project = bench_open_project (argv[1], &scene_id);
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    bench_fail ("%s", error->message);
  bench_set_view (viewport, cache, scene_id, view ? view : "100", width, height);
  sl_tile_cache_get_footprint (cache, scene_id, &fp);
  res = sl_viewport_get_resolution (viewport);

  /* Row by row, back and forth, one view at a time, each view complete before the next. */
  t0 = bench_now ();
  for (int row = 0; fp.max_y - row * height * res > fp.min_y; row++)
    {
      int n_cols = (int) ceil ((fp.max_x - fp.min_x) / (width * res));

      for (int c = 0; c < n_cols; c++)
        {
          int col = row % 2 ? n_cols - 1 - c : c;
          g_autoptr(GArray) keys = NULL;
          guint n_coarse, n_level;
          Waiter w;
          int z;

          sl_viewport_set_center (viewport, fp.min_x + (col + 0.5) * width * res,
                                  fp.max_y - (row + 0.5) * height * res);
          keys = bench_pane_keys (cache, scene_id, viewport, width, height, &z, &n_coarse, &n_level);
          waiter_init (&w, cache);
          if (!waiter_run (&w, &owner, keys, n_coarse, n_level, 60))
            bench_fail ("view %d,%d did not complete in 60 s", col, row);
          tiles += w.n_ready;
          failed += w.n_failed;
          waiter_clear (&w);
          steps++;
        }
      rss_max = MAX (rss_max, bench_peak_rss_mb ());
    }

  bench_report ("time", bench_now () - t0, "s");
  bench_report ("views", steps, "views");
  bench_report ("tiles_arrived", tiles, "tiles");
  bench_report ("failed", failed, "tiles");
  report_cache (cache);
  sl_tile_cache_forget_owner (cache, &owner);
  bench_report ("peak_rss", MAX (rss_max, bench_peak_rss_mb ()), "MB");
  return 0;
}
