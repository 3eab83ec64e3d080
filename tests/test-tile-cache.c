/* test-tile-cache.c — the tile cache over real projects and GeoTIFFs written with GDAL
 *
 * Asynchronous tests run the default main context until the signals they wait for arrive,
 * with a deadline, so a hang fails instead of blocking. The whole program also arms an alarm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-tile-cache.h"
#include "sl-tile-lru.h"
#include "sl-tile-store.h"
#include "sl-test-util.h"

#define TIMEOUT_MS 20000

typedef struct
{
  char       *dir;
  char       *path;
  SlProject  *project;
  int         n_scenes;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sl_core_init ();
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (f->path, "Cache test site", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->project)
    sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
  g_free (f->path);
}

static char *
fixture_file (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static gint64
add_scene (Fixture *f, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = sl_scene_probe (path, &error);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(SlScene) stored = NULL;

  g_assert_no_error (error);
  when = g_date_time_new_utc (2022, 1, 1 + f->n_scenes++, 10, 0, 0);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static const SlTestImage rgb_spec = {
  .width = 1024, .height = 1024, .bands = 3, .crs = "EPSG:32636",
  .origin_x = 500000, .origin_y = 5600000, .pixel_size = 0.5,
};

static gint64
add_rgb (Fixture *f, const char *name, int size)
{
  g_autofree char *path = fixture_file (f, name);
  SlTestImage spec = rgb_spec;

  spec.width = spec.height = size;
  spec.seed = (guint32) f->n_scenes + 1;
  sl_test_write_image (path, &spec);
  return add_scene (f, path);
}

/* One band with nodata holes in every 16 × 16 block: every tile has transparent pixels, so
 * the store keeps them as PNG and they come back exactly. */
static gint64
add_holed (Fixture *f, const char *name, int size)
{
  g_autofree char *path = fixture_file (f, name);
  g_autofree guint8 *data = g_malloc ((gsize) size * size);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  double gt[6] = { 500000, 0.5, 0, 5600000, 0, -0.5 };
  const char *options[] = { "TILED=YES", NULL };
  GDALDatasetH mem, out;
  char *wkt = NULL;

  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      data[(gsize) y * size + x] = (x % 16 == 5 && y % 16 == 7) ? 0 : (guint8) (1 + (x * 7 + y * 13) % 250);

  mem = GDALCreate (GDALGetDriverByName ("MEM"), "", size, size, 1, GDT_Byte, NULL);
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (mem, 1), GF_Write, 0, 0, size, size, data, size, size,
                                 GDT_Byte, 0, 0), ==, CE_None);
  GDALSetRasterNoDataValue (GDALGetRasterBand (mem, 1), 0);
  g_assert_cmpint (OSRSetFromUserInput (srs, "EPSG:32636"), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (mem, wkt);
  GDALSetGeoTransform (mem, gt);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);

  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  out = GDALCreateCopy (GDALGetDriverByName ("GTiff"), path, mem, FALSE, (char **) options, NULL, NULL);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);
  g_assert_nonnull (out);
  GDALClose (out);
  GDALClose (mem);
  return add_scene (f, path);
}

static SlTileCache *
new_cache (Fixture *f, gsize budget, guint n_workers)
{
  g_autoptr(GError) error = NULL;
  SlTileCache *cache = sl_tile_cache_new (f->project, budget, n_workers, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

/* The native tiles of a scene: inclusive range at its native zoom. */
static int
native_range (SlTileCache *cache, gint64 scene, int *x0, int *y0, int *x1, int *y1)
{
  int z = sl_tile_cache_get_native_zoom (cache, scene);
  SlBounds b;

  g_assert_cmpint (z, >, 0);
  g_assert_true (sl_tile_cache_get_footprint (cache, scene, &b));
  sl_site_grid_tile_range (sl_tile_cache_get_grid (cache), z, &b, x0, y0, x1, y1);
  return z;
}

static SlTile *
get_tile (SlTileCache *cache, const SlTileKey *key)
{
  g_autoptr(GError) error = NULL;
  SlTile *tile = sl_tile_cache_get_sync (cache, key, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tile);
  return tile;
}

static guint32
pixel (const SlTile *tile, int i, int j)
{
  if (tile->argb == NULL)
    return 0;
  return ((const guint32 *) g_bytes_get_data (tile->argb, NULL))[j * SL_TILE_SIZE + i];
}

static guint64
stored_tiles (Fixture *f, gint64 scene, int *min_zoom, int *max_zoom)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = sl_tile_store_new (f->path, &error);
  g_autoptr(GArray) stats = NULL;

  g_assert_no_error (error);
  stats = sl_tile_store_get_stats (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < stats->len; i++)
    {
      SlTileStoreStats *s = &g_array_index (stats, SlTileStoreStats, i);

      if (s->scene_id != scene)
        continue;
      if (min_zoom)
        *min_zoom = s->min_zoom;
      if (max_zoom)
        *max_zoom = s->max_zoom;
      return s->n_tiles;
    }
  return 0;
}

/* --- waiting for signals --- */

typedef struct
{
  GHashTable *ready;      /* SlTileKey * → SlTile * */
  GHashTable *failed;     /* SlTileKey * → number of reports */
  GPtrArray  *messages;
  guint       n_ready, n_failed;
  GArray     *invalidated;  /* gint64 */
} Recorder;

static void
on_tile_ready (SlTileCache *cache, SlTileKey *key, const SlTile *tile, Recorder *rec)
{
  g_assert_true (sl_tile_key_equal (key, &tile->key));
  rec->n_ready++;
  g_hash_table_replace (rec->ready, g_memdup2 (key, sizeof *key), sl_tile_copy (tile));
}

static void
on_tile_failed (SlTileCache *cache, SlTileKey *key, GError *error, Recorder *rec)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (rec->failed, key));

  g_assert_nonnull (error);
  rec->n_failed++;
  g_hash_table_replace (rec->failed, g_memdup2 (key, sizeof *key), GUINT_TO_POINTER (n + 1));
  g_ptr_array_add (rec->messages, g_strdup (error->message));
}

static void
on_scene_invalidated (SlTileCache *cache, gint64 scene, Recorder *rec)
{
  g_array_append_val (rec->invalidated, scene);
}

static void
recorder_init (Recorder *rec, SlTileCache *cache)
{
  rec->ready = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, (GDestroyNotify) sl_tile_free);
  rec->failed = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, NULL);
  rec->messages = g_ptr_array_new_with_free_func (g_free);
  rec->invalidated = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (cache, "tile-ready", G_CALLBACK (on_tile_ready), rec);
  g_signal_connect (cache, "tile-failed", G_CALLBACK (on_tile_failed), rec);
  g_signal_connect (cache, "scene-invalidated", G_CALLBACK (on_scene_invalidated), rec);
}

static void
recorder_clear (Recorder *rec, SlTileCache *cache)
{
  g_signal_handlers_disconnect_by_data (cache, rec);
  g_hash_table_unref (rec->ready);
  g_hash_table_unref (rec->failed);
  g_ptr_array_unref (rec->messages);
  g_array_unref (rec->invalidated);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @done, or fails the test after TIMEOUT_MS. */
static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint id = g_timeout_add (10, tick, NULL);

  while (!done (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_true (done (data));
}

/* Runs the main context for @ms. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint id = g_timeout_add (5, tick, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

typedef struct
{
  Recorder        *rec;
  const SlTileKey *keys;
  guint            n;
} KeysDone;

static gboolean
all_ready (gpointer data)
{
  KeysDone *kd = data;

  for (guint i = 0; i < kd->n; i++)
    if (!g_hash_table_contains (kd->rec->ready, &kd->keys[i]))
      return FALSE;
  return TRUE;
}

static gboolean
all_failed (gpointer data)
{
  KeysDone *kd = data;

  for (guint i = 0; i < kd->n; i++)
    if (!g_hash_table_contains (kd->rec->failed, &kd->keys[i]))
      return FALSE;
  return TRUE;
}

/* --- tests --- */

static void
test_memory_hit (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 1024);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(SlTile) again = NULL;
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey key = sl_tile_cache_key (cache, scene, z, x0 + 1, y0 + 1);
  int owner;
  Recorder rec = { 0 };
  KeysDone kd = { &rec, &key, 1 };
  SlTileCacheStats stats;
  const SlTile *tile;

  recorder_init (&rec, cache);
  g_assert_null (sl_tile_cache_lookup (cache, &key));
  sl_tile_cache_want (cache, &owner, &key, 1);
  wait_until (all_ready, &kd);

  tile = sl_tile_cache_lookup (cache, &key);
  g_assert_nonnull (tile);
  g_assert_cmpint (tile->content, ==, SL_TILE_CONTENT_OPAQUE);
  g_assert_cmpuint (g_bytes_get_size (tile->argb), ==, SL_TILE_BYTES);
  g_assert_true (g_bytes_equal (tile->argb, ((SlTile *) g_hash_table_lookup (rec.ready, &key))->argb));

  /* Wanting it again queues nothing; reading it through every tier stops at memory. */
  sl_tile_cache_want (cache, &owner, &key, 1);
  again = get_tile (cache, &key);
  g_assert_true (g_bytes_equal (again->argb, tile->argb));
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 1);
  g_assert_cmpuint (stats.memory_hits, ==, 2);
  g_assert_cmpuint (stats.memory_tiles, ==, 1);
  g_assert_cmpuint (stats.queued, ==, 0);
  g_assert_cmpuint (rec.n_ready, ==, 1);
  g_assert_cmpuint (stats.budget_bytes, ==, 256 * 1024 * 1024);

  sl_tile_cache_forget_owner (cache, &owner);
  recorder_clear (&rec, cache);
}

static void
test_store_hit_after_reopen (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 1024);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_tile_free);
  SlTileCacheStats stats;
  int x0, y0, x1, y1, z;

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);

    z = native_range (cache, scene, &x0, &y0, &x1, &y1);
    for (int y = y0; y <= y1; y++)
      for (int x = x0; x <= x1; x++)
        {
          SlTileKey key = sl_tile_cache_key (cache, scene, z, x, y);
          g_ptr_array_add (first, get_tile (cache, &key));
        }
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.source_reads, ==, first->len);
    g_assert_cmpuint (stats.store_hits, ==, 0);
  }
  g_assert_cmpuint (stored_tiles (f, scene, NULL, NULL), ==, first->len);

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);

    for (guint i = 0; i < first->len; i++)
      {
        const SlTile *was = first->pdata[i];
        g_autoptr(SlTile) tile = get_tile (cache, &was->key);
        double diff = 0;

        g_assert_true (sl_tile_key_equal (&tile->key, &was->key));
        g_assert_cmpint (tile->content, ==, was->content);
        /* JPEG: close on average, not equal. */
        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int k = 0; k < SL_TILE_SIZE; k++)
            diff += ABS ((int) (pixel (tile, k, j) & 0xff) - (int) (pixel (was, k, j) & 0xff));
        g_assert_cmpfloat (diff / (SL_TILE_SIZE * SL_TILE_SIZE), <, 32);
      }
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.store_hits, ==, first->len);
    g_assert_cmpuint (stats.source_reads, ==, 0);
    g_assert_cmpuint (stats.memory_hits, ==, 0);
  }
}

static void
test_coalescing (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 1024);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey keys[4];
  int a, b;
  Recorder rec = { 0 };
  KeysDone kd = { &rec, keys, G_N_ELEMENTS (keys) };
  SlTileCacheStats stats;

  for (int i = 0; i < 4; i++)
    keys[i] = sl_tile_cache_key (cache, scene, z, x0 + i, y0 + 2);
  recorder_init (&rec, cache);

  /* Two panes want the same tiles, in different orders. */
  sl_tile_cache_want (cache, &a, keys, 4);
  {
    SlTileKey reversed[4] = { keys[3], keys[2], keys[1], keys[0] };
    sl_tile_cache_want (cache, &b, reversed, 4);
  }
  wait_until (all_ready, &kd);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 4);
  g_assert_cmpuint (stats.coalesced, >=, 4);
  g_assert_cmpuint (rec.n_ready, ==, 4);

  /* A blocking read of a key a pane is loading joins that job. */
  {
    SlTileKey key = sl_tile_cache_key (cache, scene, z, x0, y0);
    g_autoptr(SlTile) tile = NULL;

    sl_tile_cache_want (cache, &a, &key, 1);
    tile = get_tile (cache, &key);
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.source_reads, ==, 5);
  }
  sl_tile_cache_forget_owner (cache, &a);
  sl_tile_cache_forget_owner (cache, &b);
  recorder_clear (&rec, cache);
}

static void
test_cancellation (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 2048);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(GArray) many = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey few[5];
  int owner;
  Recorder rec = { 0 };
  KeysDone kd = { &rec, few, G_N_ELEMENTS (few) };
  SlTileCacheStats stats;

  /* 500 tiles around the scene (a pane zoomed far out at this level), then 5 others. */
  for (int y = y0 - 6; many->len < 500; y++)
    for (int x = x0 - 6; x < x0 - 6 + 25 && many->len < 500; x++)
      {
        SlTileKey key = sl_tile_cache_key (cache, scene, z, x, y);
        g_array_append_val (many, key);
      }
  for (int i = 0; i < 5; i++)
    few[i] = sl_tile_cache_key (cache, scene, z - 1, (x0 >> 1) + i % 4, (y0 >> 1) + i / 4);

  recorder_init (&rec, cache);
  sl_tile_cache_want (cache, &owner, (SlTileKey *) many->data, many->len);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.queued + stats.running, >=, 490);
  sl_tile_cache_want (cache, &owner, few, G_N_ELEMENTS (few));
  wait_until (all_ready, &kd);

  sl_tile_cache_get_stats (cache, &stats);
  g_test_message ("cancelled %" G_GUINT64_FORMAT ", read %" G_GUINT64_FORMAT, stats.cancelled, stats.source_reads);
  /* Most of the 500 lie outside the scene: empty tiles that a worker may finish before the
   * second request arrives (a loaded machine delays it). What counts is that the ones inside
   * were not read: at most the few in flight besides the 5. */
  g_assert_cmpuint (stats.cancelled, >, 0);
  g_assert_cmpuint (stats.source_reads, <=, 5 + 10);
  g_assert_cmpuint (stats.queued, ==, 0);
  sl_tile_cache_forget_owner (cache, &owner);
  recorder_clear (&rec, cache);
}

static void
test_lru_unit (void)
{
  SlTileLru *lru = sl_tile_lru_new (3 * (SL_TILE_BYTES + 160));
  g_autoptr(GHashTable) wanted = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  SlTileKey keys[5];
  gsize bytes;
  guint n;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) argb = g_bytes_new_take (g_malloc0 (SL_TILE_BYTES), SL_TILE_BYTES);

      keys[i] = (SlTileKey) { 1, 0, 10, i, 0 };
      g_assert_cmpuint (sl_tile_lru_tile_size (&(SlTile) { keys[i], argb, SL_TILE_CONTENT_OPAQUE }), ==,
                        SL_TILE_BYTES + 160);
      if (i == 0)
        g_hash_table_add (wanted, &keys[0]);
      sl_tile_lru_set_wanted (lru, wanted);
      sl_tile_lru_insert (lru, sl_tile_new (&keys[i], argb, SL_TILE_CONTENT_OPAQUE), i == 0);
      if (i == 2)
        g_assert_nonnull (sl_tile_lru_lookup (lru, &keys[1])); /* 1 is now more recent than 2 */
    }
  /* Budget 3: the wanted tile stays though it is the oldest; of the others, 2 went first
   * (1 was used after it), then 1. */
  sl_tile_lru_get_usage (lru, &bytes, &n, NULL);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (bytes, <=, 3 * (SL_TILE_BYTES + 160));
  g_assert_true (sl_tile_lru_contains (lru, &keys[0]));
  g_assert_false (sl_tile_lru_contains (lru, &keys[1]));
  g_assert_false (sl_tile_lru_contains (lru, &keys[2]));
  g_assert_true (sl_tile_lru_contains (lru, &keys[3]));
  g_assert_true (sl_tile_lru_contains (lru, &keys[4]));

  /* Unwanted, it is just another tile; a smaller budget evicts the least recent. */
  sl_tile_lru_set_wanted (lru, NULL);
  sl_tile_lru_set_budget (lru, 1 * (SL_TILE_BYTES + 160));
  sl_tile_lru_get_usage (lru, &bytes, &n, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (sl_tile_lru_contains (lru, &keys[0]));
  sl_tile_lru_free (lru);
}

static void
test_lru_budget (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 2048);
  gsize budget = 4 * (SL_TILE_BYTES + 160);
  g_autoptr(SlTileCache) cache = new_cache (f, budget, 2);
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey pinned = sl_tile_cache_key (cache, scene, z, x0, y0);
  int owner;
  Recorder rec = { 0 };
  KeysDone kd = { &rec, &pinned, 1 };
  SlTileCacheStats stats;
  SlTileKey keys[10];

  recorder_init (&rec, cache);
  sl_tile_cache_want (cache, &owner, &pinned, 1);
  wait_until (all_ready, &kd);

  /* Blocking reads on the main thread go to memory too: ten of them in a budget of four. */
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(SlTile) tile = NULL;

      keys[i] = sl_tile_cache_key (cache, scene, z, x0 + 1 + i % 6, y0 + 1 + i / 6);
      tile = get_tile (cache, &keys[i]);
      sl_tile_cache_get_stats (cache, &stats);
      g_assert_cmpuint (stats.memory_bytes, <=, budget);
    }
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.memory_tiles, ==, 4);
  g_assert_cmpuint (stats.budget_bytes, ==, budget);
  /* The wanted tile survived although it is the least recently used. */
  g_assert_nonnull (sl_tile_cache_lookup (cache, &pinned));
  for (int i = 0; i < 7; i++)
    g_assert_null (sl_tile_cache_lookup (cache, &keys[i]));
  for (int i = 7; i < 10; i++)
    g_assert_nonnull (sl_tile_cache_lookup (cache, &keys[i]));

  /* Nobody wants it any more: it goes like any other. */
  sl_tile_cache_forget_owner (cache, &owner);
  for (int i = 0; i < 4; i++)
    {
      g_autoptr(SlTile) tile = get_tile (cache, &keys[i]);
    }
  g_assert_null (sl_tile_cache_lookup (cache, &pinned));
  recorder_clear (&rec, cache);
}

static void
test_generation_bump (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 1024);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(SlTile) before = NULL, after = NULL, again = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GError) error = NULL;
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey old_key = sl_tile_cache_key (cache, scene, z, x0 + 1, y0 + 1), new_key;
  Recorder rec = { 0 };
  SlTileCacheStats stats;
  guint32 r0, r1;

  recorder_init (&rec, cache);
  before = get_tile (cache, &old_key);
  g_assert_nonnull (sl_tile_cache_lookup (cache, &old_key));

  /* Blue, green, red. */
  stored = sl_project_get_scene (f->project, scene, &error);
  g_assert_no_error (error);
  params = sl_render_params_copy (sl_scene_get_render_params (stored));
  params->bands[0] = 3;
  params->bands[2] = 1;
  g_assert_true (sl_project_set_render_params (f->project, scene, params, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (rec.invalidated->len, ==, 1);
  g_assert_cmpint (g_array_index (rec.invalidated, gint64, 0), ==, scene);
  new_key = sl_tile_cache_key (cache, scene, z, x0 + 1, y0 + 1);
  g_assert_cmpuint (new_key.generation, ==, old_key.generation + 1);
  g_assert_null (sl_tile_cache_lookup (cache, &old_key));

  after = get_tile (cache, &new_key);
  g_assert_cmpuint (after->key.generation, ==, new_key.generation);
  r0 = pixel (before, 10, 10);
  r1 = pixel (after, 10, 10);
  g_assert_cmpuint ((r0 >> 16) & 0xff, ==, r1 & 0xff);
  g_assert_cmpuint (r0 & 0xff, ==, (r1 >> 16) & 0xff);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 2);

  /* An old key asked for blocking gets the current generation's tile, not the old one. */
  again = get_tile (cache, &old_key);
  g_assert_true (sl_tile_key_equal (&again->key, &new_key));
  g_assert_true (g_bytes_equal (again->argb, after->argb));

  recorder_clear (&rec, cache);
  g_clear_object (&cache);
  g_assert_cmpuint (stored_tiles (f, scene, NULL, NULL), ==, 1);
}

static gboolean
scene_invalidated (gpointer data)
{
  Recorder *rec = data;

  return rec->invalidated->len > 0;
}

static void
test_stretch_resolved_once (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_file (f, "u16.tif");
  SlTestImage spec = rgb_spec;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlTile) tile = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GError) error = NULL;
  SlTileCacheStats stats;
  SlTileKey key;
  int x0, y0, x1, y1, z;
  gint64 scene, second;
  Recorder rec = { 0 };
  int owner;

  spec.bands = 1;
  spec.data_type = "UInt16";
  sl_test_write_image (path, &spec);
  scene = add_scene (f, path);
  stored = sl_project_get_scene (f->project, scene, &error);
  g_assert_no_error (error);
  g_assert_false (sl_scene_get_render_params (stored)->resolved);

  /* The CLI way: no main loop runs; the blocking read resolves the stretch first. */
  cache = new_cache (f, 0, 2);
  z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  key = sl_tile_cache_key (cache, scene, z, x0 + 1, y0 + 1);
  tile = get_tile (cache, &key);
  g_assert_cmpuint (tile->key.generation, ==, key.generation + 1);
  g_assert_cmpint (tile->content, ==, SL_TILE_CONTENT_OPAQUE);
  g_clear_object (&stored);
  stored = sl_project_get_scene (f->project, scene, &error);
  g_assert_true (sl_scene_get_render_params (stored)->resolved);
  g_assert_cmpuint (sl_scene_get_render_generation (stored), ==, tile->key.generation);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 1);

  /* The GUI way: a scene added later is resolved in the background; its first keys are not
   * rendered, "scene-invalidated" asks for new ones. */
  recorder_init (&rec, cache);
  spec.seed = 7;
  g_clear_pointer (&path, g_free);
  path = fixture_file (f, "u16b.tif");
  sl_test_write_image (path, &spec);
  second = add_scene (f, path);
  g_assert_cmpuint (rec.invalidated->len, ==, 1);
  g_array_set_size (rec.invalidated, 0);
  key = sl_tile_cache_key (cache, second, z, x0 + 1, y0 + 1);
  sl_tile_cache_want (cache, &owner, &key, 1);
  wait_until (scene_invalidated, &rec);
  g_assert_cmpint (g_array_index (rec.invalidated, gint64, 0), ==, second);
  g_assert_cmpuint (rec.n_ready, ==, 0);
  {
    SlTileKey fresh = sl_tile_cache_key (cache, second, z, x0 + 1, y0 + 1);
    KeysDone kd = { &rec, &fresh, 1 };

    g_assert_cmpuint (fresh.generation, ==, key.generation + 1);
    sl_tile_cache_want (cache, &owner, &fresh, 1);
    wait_until (all_ready, &kd);
  }
  g_assert_cmpuint (rec.n_ready, ==, 1);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 2);
  sl_tile_cache_forget_owner (cache, &owner);
  recorder_clear (&rec, cache);
}

static void
test_missing_source (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "gone.tif", 1024);
  g_autofree char *path = fixture_file (f, "gone.tif");
  SlTileKey kept[3], lost[2];
  int x0, y0, x1, y1, z;
  SlTileCacheStats stats;

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);

    z = native_range (cache, scene, &x0, &y0, &x1, &y1);
    for (int i = 0; i < 3; i++)
      {
        g_autoptr(SlTile) tile = NULL;

        kept[i] = sl_tile_cache_key (cache, scene, z, x0 + i, y0);
        tile = get_tile (cache, &kept[i]);
      }
    for (int i = 0; i < 2; i++)
      lost[i] = sl_tile_cache_key (cache, scene, z, x0 + i, y0 + 3);
  }
  g_assert_cmpint (g_unlink (path), ==, 0);

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
    g_autoptr(GError) error = NULL;
    g_autoptr(SlTile) none = NULL;
    Recorder rec = { 0 };
    KeysDone kd = { &rec, lost, 2 };
    KeysDone kk = { &rec, kept, 3 };
    SlTileKey all[5] = { kept[0], lost[0], kept[1], lost[1], kept[2] };
    int owner;

    recorder_init (&rec, cache);
    for (int i = 0; i < 3; i++)
      {
        g_autoptr(SlTile) tile = get_tile (cache, &kept[i]);
        g_assert_nonnull (tile->argb);
      }

    /* A pane: the stored tiles show, the others fail once each, with the file's name. */
    sl_tile_cache_clear (cache, scene, FALSE, &error);
    g_assert_no_error (error);
    sl_tile_cache_want (cache, &owner, all, 5);
    wait_until (all_ready, &kk);
    wait_until (all_failed, &kd);
    spin (100);
    sl_tile_cache_want (cache, &owner, all, 5);
    sl_tile_cache_want (cache, &owner, lost, 2);
    spin (200);
    g_assert_cmpuint (rec.n_failed, ==, 2);
    for (guint i = 0; i < rec.messages->len; i++)
      g_assert_nonnull (strstr (rec.messages->pdata[i], "gone.tif"));

    none = sl_tile_cache_get_sync (cache, &lost[0], NULL, &error);
    g_assert_null (none);
    g_assert_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING);
    g_assert_nonnull (strstr (error->message, "gone.tif"));

    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.store_hits, ==, 6);
    g_assert_cmpuint (stats.source_reads, ==, 0);
    g_assert_cmpuint (stats.failures, ==, 2);
    sl_tile_cache_forget_owner (cache, &owner);
    recorder_clear (&rec, cache);
  }
}

typedef struct
{
  guint64 last_done, total;
  guint   calls;
  gboolean monotonic;
} ProgressLog;

static void
on_progress (guint64 done, guint64 total, gpointer data)
{
  ProgressLog *log = data;

  if (done < log->last_done || (log->total != 0 && total != log->total))
    log->monotonic = FALSE;
  log->last_done = done;
  log->total = total;
  log->calls++;
}

static guint64
pyramid_size (SlTileCache *cache, gint64 scene, int from_z, int to_z)
{
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  guint64 n = 0;

  for (int l = from_z; l <= to_z; l++)
    {
      int s = z - l;
      n += (guint64) ((x1 >> s) - (x0 >> s) + 1) * (guint64) ((y1 >> s) - (y0 >> s) + 1);
    }
  return n;
}

/* Every channel of @parent within 1 of the average of its four children. */
static void
assert_is_average (SlTileCache *cache, const SlTileKey *parent_key)
{
  g_autoptr(SlTile) parent = get_tile (cache, parent_key);
  SlTile *children[4];
  int worst = 0;

  for (int q = 0; q < 4; q++)
    {
      SlTileKey k = *parent_key;

      k.z++;
      k.x = 2 * k.x + (q & 1);
      k.y = 2 * k.y + (q >> 1);
      children[q] = get_tile (cache, &k);
    }
  for (int j = 0; j < SL_TILE_SIZE; j++)
    for (int i = 0; i < SL_TILE_SIZE; i++)
      {
        SlTile *c = children[(j >= SL_TILE_SIZE / 2) * 2 + (i >= SL_TILE_SIZE / 2)];
        int ci = (2 * i) % SL_TILE_SIZE, cj = (2 * j) % SL_TILE_SIZE;
        guint32 p = pixel (parent, i, j);

        for (int shift = 0; shift < 32; shift += 8)
          {
            int sum = (int) ((pixel (c, ci, cj) >> shift) & 0xff) + (int) ((pixel (c, ci + 1, cj) >> shift) & 0xff) +
                      (int) ((pixel (c, ci, cj + 1) >> shift) & 0xff) + (int) ((pixel (c, ci + 1, cj + 1) >> shift) & 0xff);
            worst = MAX (worst, ABS ((int) ((p >> shift) & 0xff) * 4 - sum));
          }
      }
  for (int q = 0; q < 4; q++)
    sl_tile_free (children[q]);
  /* |4p − Σ| ≤ 4 ⇔ |p − mean| ≤ 1 */
  g_assert_cmpint (worst, <=, 4);
}

static void
test_warm_pyramid (Fixture *f, gconstpointer data)
{
  gint64 scene = add_holed (f, "holed.tif", 1536);
  ProgressLog log = { 0, 0, 0, TRUE };
  g_autoptr(GError) error = NULL;
  SlTileCacheStats stats;
  int x0, y0, x1, y1, z, min_zoom = -1, max_zoom = -1;
  guint64 total, native;

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);

    z = native_range (cache, scene, &x0, &y0, &x1, &y1);
    total = pyramid_size (cache, scene, 0, z);
    native = pyramid_size (cache, scene, z, z);
    g_assert_cmpuint (native, ==, 36);
    g_assert_true (sl_tile_cache_warm (cache, scene, on_progress, &log, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (log.monotonic);
    g_assert_cmpuint (log.total, ==, total);
    g_assert_cmpuint (log.last_done, ==, total);
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.source_reads, ==, native);
  }
  g_assert_cmpuint (stored_tiles (f, scene, &min_zoom, &max_zoom), ==, total);
  g_assert_cmpint (min_zoom, ==, 0);
  g_assert_cmpint (max_zoom, ==, z);

  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);

    /* A second warm reuses every stored tile. */
    g_assert_true (sl_tile_cache_warm (cache, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.source_reads, ==, 0);

    for (int l = z - 1; l >= z - 3; l--)
      {
        SlTileKey key = sl_tile_cache_key (cache, scene, l, x0 >> (z - l), y0 >> (z - l));
        assert_is_average (cache, &key);
      }
    {
      SlTileKey key = sl_tile_cache_key (cache, scene, z - 1, (x0 >> 1) + 1, (y0 >> 1) + 1);
      assert_is_average (cache, &key);
    }
  }
}

static void
test_overview_pyramid (Fixture *f, gconstpointer data)
{
  gint64 scene = add_holed (f, "holed.tif", 1024);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(GError) error = NULL;
  SlTileCacheStats stats;
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1), max_zoom = -1;
  guint64 native = pyramid_size (cache, scene, z, z);
  guint64 coarser = pyramid_size (cache, scene, 0, z - 1);

  g_assert_true (sl_tile_cache_build_pyramid (cache, scene, SL_PYRAMID_OVERVIEWS, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, native);
  g_clear_object (&cache);
  g_assert_cmpuint (stored_tiles (f, scene, NULL, &max_zoom), ==, coarser);
  g_assert_cmpint (max_zoom, ==, z - 1);
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  guint      progress_calls;
} AsyncWait;

static void
on_async_progress (guint64 done, guint64 total, gpointer data)
{
  ((AsyncWait *) data)->progress_calls++;
}

static void
on_built (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncWait *w = data;

  sl_tile_cache_build_pyramid_finish (SL_TILE_CACHE (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
test_pyramid_async_cancel (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "a.tif", 2048);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncWait w = { g_main_loop_new (NULL, FALSE), NULL, 0 };
  guint timeout = g_timeout_add (TIMEOUT_MS, quit_loop, w.loop);

  /* Finishes in the background, with progress on the main thread. */
  sl_tile_cache_build_pyramid_async (cache, scene, SL_PYRAMID_FULL, on_async_progress, &w, NULL, NULL, on_built, &w);
  g_main_loop_run (w.loop);
  g_assert_no_error (w.error);
  g_assert_cmpuint (w.progress_calls, >, 0);
  g_source_remove (timeout);

  /* Cancelled at once: stops with G_IO_ERROR_CANCELLED. */
  g_assert_true (sl_tile_cache_clear (cache, scene, TRUE, &w.error));
  g_assert_no_error (w.error);
  g_cancellable_cancel (cancellable);
  timeout = g_timeout_add (TIMEOUT_MS, quit_loop, w.loop);
  sl_tile_cache_build_pyramid_async (cache, scene, SL_PYRAMID_FULL, NULL, NULL, NULL, cancellable, on_built, &w);
  g_main_loop_run (w.loop);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_source_remove (timeout);
  g_clear_error (&w.error);
  g_main_loop_unref (w.loop);
}

/* --- coarse tiles of a source without overviews, from finer ones --- */

typedef struct
{
  GArray *order;   /* SlTileKey, as they arrived */
} Arrivals;

static void
on_arrival (SlTileCache *cache, SlTileKey *key, const SlTile *tile, Arrivals *a)
{
  g_array_append_val (a->order, *key);
}

/* The pane asks for a coarse cover (3 levels up) first, then the drawn level: the coarse tile
 * waits for the drawn level's tiles and is averaged from them instead of reading the whole
 * source again; it matches the source read within rounding. */
static void
test_coarse_from_finer (Fixture *f, gconstpointer data)
{
  gint64 scene = add_rgb (f, "plain.tif", 2048);
  g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *direct = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  int x0, y0, x1, y1, z = native_range (cache, scene, &x0, &y0, &x1, &y1);
  SlTileKey coarse = sl_tile_cache_key (cache, scene, z - 3, x0 >> 3, y0 >> 3);
  Arrivals arrivals = { g_array_new (FALSE, FALSE, sizeof (SlTileKey)) };
  Recorder rec = { 0 };
  SlTileCacheStats stats;
  const SlTile *tile;
  SlTileContent content;
  KeysDone kd;
  int owner, worst = 0;
  guint n_fine;

  g_assert_cmpint (x1 - x0, ==, 7);
  g_assert_cmpint ((x1 >> 3) - (x0 >> 3), ==, 0);
  g_array_append_val (keys, coarse);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        SlTileKey k = sl_tile_cache_key (cache, scene, z, x, y);

        g_array_append_val (keys, k);
      }
  n_fine = keys->len - 1;

  recorder_init (&rec, cache);
  g_signal_connect (cache, "tile-ready", G_CALLBACK (on_arrival), &arrivals);
  sl_tile_cache_want (cache, &owner, (SlTileKey *) keys->data, keys->len);
  kd = (KeysDone) { &rec, (SlTileKey *) keys->data, keys->len };
  wait_until (all_ready, &kd);

  /* The coarse tile came last, and only the drawn level was read from the source. */
  g_assert_cmpuint (arrivals.order->len, ==, keys->len);
  g_assert_true (sl_tile_key_equal (&g_array_index (arrivals.order, SlTileKey, keys->len - 1), &coarse));
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, n_fine);

  /* Against the source read of the same tile (GDAL's average of 8 × 8 pixels). */
  {
    g_autoptr(SlScene) s = sl_project_get_scene (f->project, scene, &error);
    g_autofree char *path = sl_project_resolve_source (f->project, s);
    g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (f->project);

    src = sl_raster_source_open (path, s, grid, &error);
    g_assert_no_error (error);
    g_assert_true (sl_raster_source_render_tile (src, sl_scene_get_render_params (s), coarse.z, coarse.x, coarse.y,
                                                 direct, &content, &error));
    g_assert_no_error (error);
  }
  tile = g_hash_table_lookup (rec.ready, &coarse);
  g_assert_nonnull (tile);
  g_assert_cmpint (tile->content, ==, content);
  for (int j = 0; j < SL_TILE_SIZE; j++)
    for (int i = 0; i < SL_TILE_SIZE; i++)
      {
        guint32 a = pixel (tile, i, j), b = ((guint32 *) direct)[j * SL_TILE_SIZE + i];

        for (int shift = 0; shift < 32; shift += 8)
          worst = MAX (worst, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
      }
  g_assert_cmpint (worst, <=, 2);

  sl_tile_cache_forget_owner (cache, &owner);
  g_signal_handlers_disconnect_by_data (cache, &arrivals);
  g_array_unref (arrivals.order);
  recorder_clear (&rec, cache);
}

/* --- the concurrency stress test --- */

#define STRESS_THREADS 6
#define STRESS_SECONDS 3

typedef struct
{
  SlTileCache  *cache;
  gint64        scene;
  int           native;
  int           x0, y0, x1, y1;
  gint          stop;

  GMutex        lock;                      /* protects everything below */
  GCancellable *current[STRESS_THREADS];   /* each thread's request in flight */
  GHashTable   *results;                   /* SlTileKey * → SlTile *: first result per key */
  guint64       n_tiles, n_cancelled, n_mismatch;
  GPtrArray    *errors;
} Stress;

typedef struct
{
  Stress *s;
  int     index;
  gint   *running;
} StressThread;

static void
random_key (Stress *s, GRand *rand, int *z, int *x, int *y)
{
  int shift;

  *z = g_rand_int_range (rand, s->native - 3, s->native + 1);
  shift = s->native - *z;
  *x = g_rand_int_range (rand, s->x0 >> shift, (s->x1 >> shift) + 1);
  *y = g_rand_int_range (rand, s->y0 >> shift, (s->y1 >> shift) + 1);
}

/* Same key, same pixels: the same alpha, and colours within JPEG's error (edge tiles are
 * JPEG + alpha runs, so a fresh render and a stored one differ like opaque tiles do). */
static gboolean
same_pixels (const SlTile *a, const SlTile *b)
{
  const guint8 *pa, *pb;
  guint64 diff = 0;

  if (a->content != b->content || (a->argb == NULL) != (b->argb == NULL))
    return FALSE;
  if (a->argb == NULL || a->content == SL_TILE_CONTENT_OPAQUE)
    return TRUE; /* JPEG tiles differ between a fresh render and a stored one */
  pa = g_bytes_get_data (a->argb, NULL);
  pb = g_bytes_get_data (b->argb, NULL);
  for (gsize i = 0; i < SL_TILE_BYTES; i++)
    {
      int d = ABS ((int) pa[i] - (int) pb[i]);

      if (i % 4 == 3 && d > 1)   /* alpha (straight in PNG: within 1) */
        return FALSE;
      diff += d;
    }
  return diff <= (guint64) SL_TILE_BYTES * 4;   /* a mean error of at most 4 levels */
}

static void
record (Stress *s, SlTile *tile)
{
  SlTile *first;

  g_mutex_lock (&s->lock);
  s->n_tiles++;
  first = g_hash_table_lookup (s->results, &tile->key);
  if (first == NULL)
    g_hash_table_insert (s->results, g_memdup2 (&tile->key, sizeof tile->key), sl_tile_copy (tile));
  else if (!same_pixels (first, tile))
    s->n_mismatch++;
  g_mutex_unlock (&s->lock);
}

static gpointer
stress_thread (gpointer data)
{
  StressThread *t = data;
  Stress *s = t->s;
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) t->index * 7919u + 1);

  while (!g_atomic_int_get (&s->stop))
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(SlTile) tile = NULL;
      SlTileKey key;
      int z, x, y;

      random_key (s, rand, &z, &x, &y);
      key = sl_tile_cache_key (s->cache, s->scene, z, x, y);
      g_mutex_lock (&s->lock);
      s->current[t->index] = cancellable;
      g_mutex_unlock (&s->lock);

      tile = sl_tile_cache_get_sync (s->cache, &key, cancellable, &error);

      g_mutex_lock (&s->lock);
      s->current[t->index] = NULL;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        s->n_cancelled++;
      else if (error != NULL)
        g_ptr_array_add (s->errors, g_strdup (error->message));
      g_mutex_unlock (&s->lock);
      if (tile != NULL)
        {
          g_assert_cmpint (tile->key.z, ==, z);
          g_assert_cmpuint (tile->key.generation, >=, key.generation);
          record (s, tile);
        }
    }
  g_atomic_int_dec_and_test (t->running);
  return NULL;
}

typedef struct
{
  Stress   *s;
  Fixture  *f;
  GRand    *rand;
  int       owners[3];
  guint     n_bumps;
  guint     n_wants;
  guint     n_cancels;
} StressMain;

static gboolean
stress_want (gpointer data)
{
  StressMain *m = data;
  SlTileKey keys[40];
  int owner = g_rand_int_range (m->rand, 0, 3);
  guint n = (guint) g_rand_int_range (m->rand, 0, G_N_ELEMENTS (keys) + 1);

  for (guint i = 0; i < n; i++)
    {
      int z, x, y;

      random_key (m->s, m->rand, &z, &x, &y);
      keys[i] = sl_tile_cache_key (m->s->cache, m->s->scene, z, x, y);
    }
  sl_tile_cache_want (m->s->cache, &m->owners[owner], keys, n);
  m->n_wants++;
  return G_SOURCE_CONTINUE;
}

static gboolean
stress_cancel (gpointer data)
{
  StressMain *m = data;
  int i = g_rand_int_range (m->rand, 0, STRESS_THREADS);

  g_mutex_lock (&m->s->lock);
  if (m->s->current[i] != NULL)
    {
      g_cancellable_cancel (m->s->current[i]);
      m->n_cancels++;
    }
  g_mutex_unlock (&m->s->lock);
  return G_SOURCE_CONTINUE;
}

/* A new generation: in turn a manual stretch, none, and a percentile one to be computed. */
static gboolean
stress_bump (gpointer data)
{
  StressMain *m = data;
  g_autoptr(SlRenderParams) params = sl_render_params_new_for (1, "Byte", FALSE);
  g_autoptr(GError) error = NULL;

  switch (m->n_bumps++ % 3)
    {
    case 0:
      params->mode = SL_STRETCH_MANUAL;
      for (int c = 0; c < 3; c++)
        params->low[c] = 20, params->high[c] = 200 + m->n_bumps;
      params->resolved = TRUE;
      break;
    case 1:
      break;
    default:
      params->mode = SL_STRETCH_PERCENTILE;
      params->resolved = FALSE;
      break;
    }
  g_assert_true (sl_project_set_render_params (m->f->project, m->s->scene, params, &error));
  g_assert_no_error (error);
  return G_SOURCE_CONTINUE;
}

static gboolean
stress_stop (gpointer data)
{
  g_atomic_int_set (&((Stress *) data)->stop, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
stress_stopped (gpointer data)
{
  return g_atomic_int_get (&((Stress *) data)->stop);
}

static gboolean
threads_done (gpointer data)
{
  return g_atomic_int_get ((gint *) data) == 0;
}

typedef struct
{
  Stress  *s;
  gint    *running;
  guint    part;
} FinalThread;

/* Every tile of the final generation, from two threads each (in opposite orders). */
static gpointer
final_thread (gpointer data)
{
  FinalThread *ft = data;
  Stress *s = ft->s;
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));

  for (int z = 0; z <= s->native; z++)
    {
      int shift = s->native - z;

      for (int y = s->y0 >> shift; y <= s->y1 >> shift; y++)
        for (int x = s->x0 >> shift; x <= s->x1 >> shift; x++)
          {
            SlTileKey key = sl_tile_cache_key (s->cache, s->scene, z, x, y);
            g_array_append_val (keys, key);
          }
    }
  for (guint n = 0; n < keys->len; n++)
    {
      guint i = ft->part % 2 ? keys->len - 1 - n : n;
      g_autoptr(GError) error = NULL;
      g_autoptr(SlTile) tile = sl_tile_cache_get_sync (s->cache, &g_array_index (keys, SlTileKey, i), NULL, &error);

      if (tile != NULL)
        record (s, tile);
      else
        {
          g_mutex_lock (&s->lock);
          g_ptr_array_add (s->errors, g_strdup (error->message));
          g_mutex_unlock (&s->lock);
        }
    }
  g_atomic_int_dec_and_test (ft->running);
  return NULL;
}

/* @data: GINT_TO_POINTER (TRUE) for an RGB scene without nodata, whose coarse tiles wait for
 * and are averaged from finer ones (the scheduler's deferral under stress); else one with
 * nodata holes, whose every tile is read from the source or the store. */
static void
test_stress (Fixture *f, gconstpointer data)
{
  gint64 scene = GPOINTER_TO_INT (data) ? add_rgb (f, "rgb.tif", 2048) : add_holed (f, "holed.tif", 2048);
  Stress s = { 0 };
  StressMain m = { &s, f, g_rand_new_with_seed (42) };
  GThread *threads[STRESS_THREADS];
  StressThread args[STRESS_THREADS];
  Recorder rec = { 0 };
  SlTileCacheStats stats;
  guint ids[4];
  guint32 final_generation;
  guint64 distinct = 0;
  gint running = STRESS_THREADS;

  s.scene = scene;
  s.cache = new_cache (f, 40 * (SL_TILE_BYTES + 160), 3);
  s.native = native_range (s.cache, scene, &s.x0, &s.y0, &s.x1, &s.y1);
  g_mutex_init (&s.lock);
  s.results = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, (GDestroyNotify) sl_tile_free);
  s.errors = g_ptr_array_new_with_free_func (g_free);
  recorder_init (&rec, s.cache);

  for (int i = 0; i < STRESS_THREADS; i++)
    {
      args[i] = (StressThread) { &s, i, &running };
      threads[i] = g_thread_new ("stress", stress_thread, &args[i]);
    }
  ids[0] = g_timeout_add (15, stress_want, &m);
  ids[1] = g_timeout_add (40, stress_cancel, &m);
  ids[2] = g_timeout_add (250, stress_bump, &m);
  ids[3] = g_timeout_add_seconds (STRESS_SECONDS, stress_stop, &s);
  wait_until (stress_stopped, &s);
  for (int i = 0; i < 3; i++)
    g_source_remove (ids[i]);
  /* A thread may be waiting for a stretch the main context resolves: keep it running. */
  wait_until (threads_done, &running);
  for (int i = 0; i < STRESS_THREADS; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < 3; i++)
    sl_tile_cache_forget_owner (s.cache, &m.owners[i]);

  /* The final generation, from four threads at once, while the main context runs. */
  {
    FinalThread ft[4];
    GThread *finals[4];

    running = 4;
    for (guint i = 0; i < 4; i++)
      {
        ft[i] = (FinalThread) { &s, &running, i };
        finals[i] = g_thread_new ("final", final_thread, &ft[i]);
      }
    wait_until (threads_done, &running);
    for (guint i = 0; i < 4; i++)
      g_thread_join (finals[i]);
  }
  final_generation = sl_tile_cache_key (s.cache, scene, 0, 0, 0).generation;
  sl_tile_cache_get_stats (s.cache, &stats);
  g_test_message ("%" G_GUINT64_FORMAT " tiles, %" G_GUINT64_FORMAT " cancelled (%u cancels), %u bumps, "
                  "%u want lists; %u tile-ready; store hits %" G_GUINT64_FORMAT ", source reads %"
                  G_GUINT64_FORMAT ", coalesced %" G_GUINT64_FORMAT ", cancelled jobs %" G_GUINT64_FORMAT,
                  s.n_tiles, s.n_cancelled, m.n_cancels, m.n_bumps, m.n_wants, rec.n_ready, stats.store_hits,
                  stats.source_reads, stats.coalesced, stats.cancelled);
  for (guint i = 0; i < s.errors->len; i++)
    g_test_message ("error: %s", (char *) s.errors->pdata[i]);
  g_assert_cmpuint (s.errors->len, ==, 0);
  g_assert_cmpuint (rec.n_failed, ==, 0);
  g_assert_cmpuint (s.n_mismatch, ==, 0);
  g_assert_cmpuint (m.n_bumps, >=, 6);
  g_assert_cmpuint (s.n_tiles, >, 100);
  g_assert_cmpuint (stats.memory_bytes, <=, stats.budget_bytes);

  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, s.results);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      distinct += ((SlTileKey *) key)->generation == final_generation;
  }
  g_assert_cmpuint (distinct, ==, pyramid_size (s.cache, scene, 0, s.native));

  recorder_clear (&rec, s.cache);
  g_clear_object (&s.cache);
  /* No tile lost, none twice: the store holds exactly the final generation's tiles. */
  g_assert_cmpuint (stored_tiles (f, scene, NULL, NULL), ==, distinct);

  /* And they come back as they were rendered. */
  {
    g_autoptr(SlTileCache) cache = new_cache (f, 0, 2);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, s.results);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (((SlTileKey *) key)->generation == final_generation)
        {
          g_autoptr(SlTile) tile = get_tile (cache, key);
          g_assert_true (same_pixels (tile, value));
        }
    sl_tile_cache_get_stats (cache, &stats);
    g_assert_cmpuint (stats.source_reads, ==, 0);
  }

  g_hash_table_unref (s.results);
  g_ptr_array_unref (s.errors);
  g_mutex_clear (&s.lock);
  g_rand_free (m.rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A deadlock fails the run rather than hanging it. */
  alarm (300);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/tile-cache/memory-hit", test_memory_hit);
  ADD ("/tile-cache/store-hit-after-reopen", test_store_hit_after_reopen);
  ADD ("/tile-cache/coalescing", test_coalescing);
  ADD ("/tile-cache/cancellation", test_cancellation);
  g_test_add_func ("/tile-cache/lru-evicts-unwanted-first", test_lru_unit);
  ADD ("/tile-cache/lru-budget", test_lru_budget);
  ADD ("/tile-cache/generation-bump", test_generation_bump);
  ADD ("/tile-cache/stretch-resolved-once", test_stretch_resolved_once);
  ADD ("/tile-cache/missing-source", test_missing_source);
  ADD ("/tile-cache/warm-pyramid", test_warm_pyramid);
  ADD ("/tile-cache/overview-pyramid", test_overview_pyramid);
  ADD ("/tile-cache/pyramid-async-cancel", test_pyramid_async_cancel);
  ADD ("/tile-cache/coarse-from-finer", test_coarse_from_finer);
  ADD ("/tile-cache/stress", test_stress);
  g_test_add ("/tile-cache/stress-composed", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_stress,
              fixture_teardown);
#undef ADD

  return g_test_run ();
}
