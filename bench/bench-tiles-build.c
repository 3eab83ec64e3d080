/* bench-tiles-build.c — building the display pyramid, and the tile store's writer alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-tiles"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "bench-tiles.h"
#include "sl-tile-cache-private.h"  /* the cache's store, for its writer's figures */
#include "sl-tile-codec.h"
#include "sl-tile-store.h"

typedef struct
{
  guint64 done, total;
} Progress;

static void
on_progress (guint64 done, guint64 total, gpointer user_data)
{
  Progress *p = user_data;

  p->done = done;
  p->total = total;
}

static void
report_store (const char *path, gint64 scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = sl_tile_store_new (path, &error);
  g_autoptr(GArray) stats = NULL;

  if (store == NULL || (stats = sl_tile_store_get_stats (store, &error)) == NULL)
    bench_fail ("%s", error->message);
  for (guint i = 0; i < stats->len; i++)
    {
      SlTileStoreStats *s = &g_array_index (stats, SlTileStoreStats, i);

      if (s->scene_id != scene_id)
        continue;
      bench_report ("stored_tiles", s->n_tiles, "tiles");
      bench_report ("stored_mb", s->n_bytes / 1048576.0, "MB");
      bench_report ("stored_levels", s->max_zoom - s->min_zoom + 1, "levels");
      bench_report ("bytes_per_tile", s->n_tiles ? (double) s->n_bytes / s->n_tiles : 0, "B");
    }
}

int
bench_cmd_pyramid (int argc, char **argv)
{
  g_autofree char *mode_name = NULL;
  int workers = 0;
  GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode_name, "full (every level) or overviews (coarser than native)", "MODE" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, "Worker threads (default: one per core)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  SlPyramidMode mode = SL_PYRAMID_FULL;
  Progress progress = { 0, 0 };
  guint64 committed = 0, batches = 0, dropped = 0;
  gint64 scene_id;
  double t0, cpu0, elapsed, cpu;
  guint n_workers;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  if (g_strcmp0 (mode_name, "overviews") == 0)
    mode = SL_PYRAMID_OVERVIEWS;
  else if (mode_name != NULL && g_strcmp0 (mode_name, "full") != 0)
    bench_fail ("--mode takes full or overviews, not ‘%s’", mode_name);
  n_workers = workers > 0 ? (guint) workers : g_get_num_processors ();

  /* Timed like the peers' commands: from opening the project to the last tile committed. */
  t0 = bench_now ();
  cpu0 = bench_process_cpu ();
  project = bench_open_project (argv[1], &scene_id);
  cache = sl_tile_cache_new (project, 0, n_workers, &error);
  if (cache == NULL ||
      !sl_tile_cache_build_pyramid (cache, scene_id, mode, on_progress, &progress, NULL, &error))
    bench_fail ("%s", error->message);
  elapsed = bench_now () - t0;
  cpu = bench_process_cpu () - cpu0;
  sl_tile_store_get_writer_stats (cache->store, &committed, &batches, &dropped);

  bench_report ("time", elapsed, "s");
  bench_report ("workers", n_workers, "threads");
  bench_report ("tiles_processed", progress.done, "tiles");
  bench_report ("tiles_per_s", progress.done / elapsed, "tiles/s");
  bench_report ("tiles_per_s_per_core", progress.done / elapsed / n_workers, "tiles/s");
  bench_report ("cpu", cpu, "s");
  bench_report ("cpu_use", 100 * cpu / elapsed / g_get_num_processors (), "%");
  bench_report ("tiles_per_cpu_s", progress.done / cpu, "tiles/s");
  bench_report ("writer_committed", committed, "tiles");
  bench_report ("writer_batches", batches, "batches");
  bench_report ("writer_dropped", dropped, "tiles");
  bench_report ("writer_tiles_per_s", committed / elapsed, "tiles/s");
  bench_report ("peak_rss", bench_peak_rss_mb (), "MB");
  g_clear_object (&cache);
  report_store (argv[1], scene_id);
  return 0;
}

/* Real tiles of the scene, rendered from its source: @n from the middle of the native level
 * (@edge FALSE) or down its left edge, where the footprint cuts them (@edge TRUE). Decoded
 * ARGB buffers when @argb_out, else blobs encoded as the cache does. */
static GPtrArray *
render_tiles (SlProject *project, gint64 scene_id, SlSiteGrid *grid, guint n, gboolean edge, gboolean argb_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = sl_project_get_scene (project, scene_id, &error);
  g_autofree char *path = NULL;
  g_autoptr(SlRasterSource) source = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  GPtrArray *blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  SlBounds footprint;
  int z, x0, y0, x1, y1, side;

  if (scene == NULL)
    bench_fail ("%s", error->message);
  path = sl_project_resolve_source (project, scene);
  source = sl_raster_source_open (path, scene, grid, &error);
  if (source == NULL)
    bench_fail ("%s", error->message);
  params = sl_render_params_copy (sl_scene_get_render_params (scene));
  if (!params->resolved && !sl_raster_source_compute_stretch (source, params, &error))
    bench_fail ("%s", error->message);

  z = sl_raster_source_get_native_zoom (source);
  sl_raster_source_get_footprint (source, &footprint);
  sl_site_grid_tile_range (grid, z, &footprint, &x0, &y0, &x1, &y1);
  side = (int) ceil (sqrt (n));
  for (guint i = 0; i < n; i++)
    {
      int x = (x0 + x1) / 2 - side / 2 + (int) i % side, y = (y0 + y1) / 2 - side / 2 + (int) i / side;
      SlTileContent content;
      GBytes *blob;

      if (edge)
        x = x0, y = y0 + 1 + (int) i % MAX (1, y1 - y0 - 1);
      if (!sl_raster_source_render_tile (source, params, z, x, y, argb, &content, &error))
        bench_fail ("%s", error->message);
      if (argb_out)
        blob = g_bytes_new (argb, SL_TILE_BYTES);
      else if ((blob = sl_tile_codec_encode (argb, content, &error)) == NULL)
        bench_fail ("%s", error->message);
      g_ptr_array_add (blobs, blob);
    }
  return blobs;
}

int
bench_cmd_writer (int argc, char **argv)
{
  int n_tiles = 50000;
  GOptionEntry entries[] = {
    { "tiles", 'n', 0, G_OPTION_ARG_INT, &n_tiles, "Tiles to write (default 50000)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(SlTileStore) store = NULL;
  g_autoptr(GPtrArray) blobs = NULL;
  guint64 committed = 0, batches = 0, dropped = 0, bytes = 0;
  gint64 scene_id;
  guint32 generation;
  double t0, t_queued, elapsed;
  int z, row;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  project = bench_open_project (argv[1], &scene_id);
  scene = sl_project_get_scene (project, scene_id, &error);
  grid = sl_project_dup_site_grid (project);
  if (scene == NULL || grid == NULL)
    bench_fail ("%s", error ? error->message : "the project has no site grid");
  generation = sl_scene_get_render_generation (scene);
  blobs = render_tiles (project, scene_id, grid, 64, FALSE, FALSE);

  store = sl_tile_store_new (argv[1], &error);
  if (store == NULL || !sl_tile_store_ensure_scene (store, scene_id, generation, grid, &error))
    bench_fail ("%s", error->message);

  /* Distinct keys, row by row, in the scene's native level as a pyramid build writes them. */
  z = sl_site_grid_get_max_zoom (grid);
  row = 256;
  t0 = bench_now ();
  for (int i = 0; i < n_tiles; i++)
    {
      SlTileKey key = { scene_id, generation, z, (1 << (z - 1)) + i % row, (1 << (z - 1)) + i / row };
      GBytes *blob = blobs->pdata[i % blobs->len];

      bytes += g_bytes_get_size (blob);
      sl_tile_store_write (store, &key, blob);
    }
  t_queued = bench_now () - t0;
  sl_tile_store_flush (store);
  elapsed = bench_now () - t0;
  sl_tile_store_get_writer_stats (store, &committed, &batches, &dropped);
  if (committed != (guint64) n_tiles)
    bench_fail ("the writer committed %" G_GUINT64_FORMAT " of %d tiles (%" G_GUINT64_FORMAT " dropped)",
                committed, n_tiles, dropped);

  bench_report ("tiles", n_tiles, "tiles");
  bench_report ("mean_tile_kb", bytes / 1024.0 / n_tiles, "KB");
  bench_report ("queue_time", t_queued, "s");
  bench_report ("time", elapsed, "s");
  bench_report ("tiles_per_s", n_tiles / elapsed, "tiles/s");
  bench_report ("mb_per_s", bytes / 1048576.0 / elapsed, "MB/s");
  bench_report ("batches", batches, "batches");
  bench_report ("tiles_per_batch", (double) committed / MAX (batches, 1), "tiles");
  bench_report ("peak_rss", bench_peak_rss_mb (), "MB");
  return 0;
}

/* --- codec --- */

/* Encodes and decodes @tiles (ARGB) as @format (-1: as the cache stores a partial tile, JPEG +
 * alpha runs or PNG), one thread: mean ms each way and bytes. */
static void
measure_codec (GPtrArray *tiles, int format, const char *name)
{
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *enc = g_strdup_printf ("%s_encode_ms", name);
  g_autofree char *dec = g_strdup_printf ("%s_decode_ms", name);
  g_autofree char *size = g_strdup_printf ("%s_kb", name);
  double t0, t_enc, t_dec;
  gsize bytes = 0;

  t0 = bench_now ();
  for (guint i = 0; i < tiles->len; i++)
    {
      const guint8 *argb = g_bytes_get_data (tiles->pdata[i], NULL);
      GBytes *blob = format < 0 ? sl_tile_codec_encode (argb, SL_TILE_CONTENT_PARTIAL, &error)
                                : sl_tile_codec_encode_as (argb, format, 0, &error);

      if (blob == NULL)
        bench_fail ("%s", error->message);
      bytes += g_bytes_get_size (blob);
      g_ptr_array_add (blobs, blob);
    }
  t_enc = bench_now () - t0;
  t0 = bench_now ();
  for (guint i = 0; i < blobs->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (blobs->pdata[i], &len);

      if (!sl_tile_codec_decode (data, len, out, NULL, &error))
        bench_fail ("%s", error->message);
    }
  t_dec = bench_now () - t0;
  bench_report (enc, 1000 * t_enc / tiles->len, "ms");
  bench_report (dec, 1000 * t_dec / tiles->len, "ms");
  bench_report (size, bytes / 1024.0 / tiles->len, "KB");
}

int
bench_cmd_codec (int argc, char **argv)
{
  int n_tiles = 64;
  GOptionEntry entries[] = {
    { "tiles", 'n', 0, G_OPTION_ARG_INT, &n_tiles, "Tiles of each kind (default 64)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(GPtrArray) inner = NULL;
  g_autoptr(GPtrArray) edge = NULL;
  gint64 scene_id;

  bench_parse ("PROJECT", entries, &argc, &argv, 1);
  project = bench_open_project (argv[1], &scene_id);
  grid = sl_project_dup_site_grid (project);
  if (grid == NULL)
    bench_fail ("‘%s’ has no site grid", argv[1]);
  inner = render_tiles (project, scene_id, grid, n_tiles, FALSE, TRUE);
  edge = render_tiles (project, scene_id, grid, n_tiles, TRUE, TRUE);

  /* Opaque tiles from the middle; edge tiles that the footprint cuts (JPEG + alpha runs in the
   * cache; PNG before). */
  measure_codec (inner, SL_TILE_FORMAT_JPEG, "opaque_jpeg");
  measure_codec (inner, SL_TILE_FORMAT_WEBP, "opaque_webp");
  measure_codec (edge, SL_TILE_FORMAT_PNG, "edge_png");
  measure_codec (edge, SL_TILE_FORMAT_WEBP, "edge_webp");
  measure_codec (edge, SL_TILE_FORMAT_JPEG, "edge_jpeg");
  measure_codec (edge, -1, "edge_stored");
  return 0;
}
