/* test-tile-store.c — tile tables in the project file: batched writer, per-thread readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gdal.h>
#include <sqlite3.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"
#include "sl-tile-codec.h"
#include "sl-tile-store.h"

typedef struct
{
  char       *dir;
  char       *path;
  SlProject  *project;
  gint64      scene_id;
  gint64      scene2_id;
  SlSiteGrid *grid;
  int         zoom;     /* the scenes' native level */
} Fixture;

static gint64
add_scene (Fixture *f, const char *name, double origin_x, guint32 seed)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  SlTestImage spec = { .width = 600, .height = 400, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = origin_x, .origin_y = 6050000, .pixel_size = 0.5, .seed = seed };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date (seed == 1 ? "2022-02-20" : "2022-02-21");

  sl_test_write_image (path, &spec);
  probe = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse.gpkg", NULL);
  f->project = sl_project_create (f->path, "Tiles", &error);
  g_assert_no_error (error);
  f->scene_id = add_scene (f, "a.tif", 500000, 1);
  f->scene2_id = add_scene (f, "b.tif", 500100, 2);
  f->grid = sl_project_dup_site_grid (f->project);
  g_assert_nonnull (f->grid);
  f->zoom = SL_SITE_GRID_BASE_LEVELS;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->grid, sl_site_grid_unref);
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static SlTileKey
key_at (gint64 scene, guint32 generation, int z, int x, int y)
{
  return (SlTileKey) { .scene_id = scene, .generation = generation, .z = z, .x = x, .y = y };
}

/* A blob that names its key, padded to @size: lets readers check what they got. */
static GBytes *
blob_for (const SlTileKey *key, gsize size)
{
  g_autofree char *head = g_strdup_printf ("%" G_GINT64_FORMAT "/%u/%d/%d/%d;", key->scene_id, key->generation,
                                           key->z, key->x, key->y);
  gsize head_len = strlen (head);
  guint8 *data = g_malloc (MAX (size, head_len));

  memcpy (data, head, head_len);
  for (gsize i = head_len; i < size; i++)
    data[i] = (guint8) (i * 31 + (gsize) key->x);
  return g_bytes_new_take (data, MAX (size, head_len));
}

static gint64
count_rows (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gint64
count_tiles (Fixture *f, gint64 scene)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sl_tiles_%" G_GINT64_FORMAT, scene);

  return count_rows (f->path, sql);
}

static SlTileStore *
open_store (Fixture *f, guint32 generation)
{
  g_autoptr(GError) error = NULL;
  SlTileStore *store = sl_tile_store_new (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (sl_tile_store_ensure_scene (store, f->scene_id, generation, f->grid, &error));
  g_assert_no_error (error);
  return store;
}

static void
assert_read (SlTileStore *store, const SlTileKey *key, GBytes *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = sl_tile_store_read (store, key, &error);

  g_assert_no_error (error);
  if (expected == NULL)
    g_assert_null (got);
  else
    {
      g_assert_nonnull (got);
      g_assert_true (g_bytes_equal (got, expected));
    }
}

static void
test_write_read (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = sl_tile_store_new (f->path, &error);
  SlTileKey key = key_at (f->scene_id, 0, f->zoom, 100, 200);
  g_autoptr(GBytes) blob = blob_for (&key, 15000);
  guint64 committed, batches, dropped;

  g_assert_no_error (error);
  /* No table yet: a miss, not an error. */
  assert_read (store, &key, NULL);
  g_assert_true (sl_tile_store_ensure_scene (store, f->scene_id, 0, f->grid, &error));
  g_assert_no_error (error);
  assert_read (store, &key, NULL);

  /* Readable at once (queued), and after the commit from the file. */
  sl_tile_store_write (store, &key, blob);
  assert_read (store, &key, blob);
  sl_tile_store_flush (store);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 1);
  assert_read (store, &key, blob);
  sl_tile_store_get_writer_stats (store, &committed, &batches, &dropped);
  g_assert_cmpuint (committed, ==, 1);
  g_assert_cmpuint (batches, ==, 1);
  g_assert_cmpuint (dropped, ==, 0);

  /* Replacing a tile keeps one row; neighbours, other levels and generations miss. */
  {
    g_autoptr(GBytes) newer = blob_for (&key, 900);
    SlTileKey right = key_at (f->scene_id, 0, f->zoom, 101, 200);
    SlTileKey coarser = key_at (f->scene_id, 0, f->zoom - 1, 50, 100);
    SlTileKey other_gen = key_at (f->scene_id, 1, f->zoom, 100, 200);
    SlTileKey other_scene = key_at (f->scene2_id, 0, f->zoom, 100, 200);

    sl_tile_store_write (store, &key, newer);
    sl_tile_store_flush (store);
    g_assert_cmpint (count_tiles (f, f->scene_id), ==, 1);
    assert_read (store, &key, newer);
    assert_read (store, &right, NULL);
    assert_read (store, &coarser, NULL);
    assert_read (store, &other_gen, NULL);
    assert_read (store, &other_scene, NULL);
  }

  /* Writes for a scene that was never ensured are dropped, not failed. */
  {
    SlTileKey stranger = key_at (f->scene2_id, 0, f->zoom, 1, 1);
    g_autoptr(GBytes) b = blob_for (&stranger, 100);

    sl_tile_store_write (store, &stranger, b);
    sl_tile_store_flush (store);
    sl_tile_store_get_writer_stats (store, NULL, NULL, &dropped);
    g_assert_cmpuint (dropped, ==, 1);
  }
}

static void
test_batching (Fixture *f, gconstpointer data)
{
  g_autoptr(SlTileStore) store = open_store (f, 0);
  guint64 committed, batches;
  gint64 start;

  /* A burst is committed in batches of at most 1000. */
  for (int i = 0; i < 2500; i++)
    {
      SlTileKey key = key_at (f->scene_id, 0, f->zoom, i % 50, i / 50);
      g_autoptr(GBytes) blob = blob_for (&key, 2000);

      sl_tile_store_write (store, &key, blob);
    }
  sl_tile_store_flush (store);
  sl_tile_store_get_writer_stats (store, &committed, &batches, NULL);
  g_assert_cmpuint (committed, ==, 2500);
  g_assert_cmpuint (batches, >=, 3);
  g_assert_cmpuint (batches, <, 2500 / 4);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 2500);

  /* A lone write is committed within the batch delay, without a flush. */
  {
    SlTileKey key = key_at (f->scene_id, 0, f->zoom, 9999, 9999);
    g_autoptr(GBytes) blob = blob_for (&key, 10);

    start = g_get_monotonic_time ();
    sl_tile_store_write (store, &key, blob);
    while (count_tiles (f, f->scene_id) != 2501)
      {
        g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
        g_usleep (10000);
      }
    g_test_message ("lone write committed after %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
    g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * 1000);
  }
}

typedef struct
{
  SlTileStore *store;
  gint64       scene_id;
  int          zoom;
  int          index;
  gint        *stop;
  guint        reads_found;
  guint        bad_reads;
} Worker;

#define N_WRITERS        8
#define WRITES_PER_WRITER 2000
#define SHARED_KEYS      500

/* Each writer writes 1500 keys of its own and 500 keys every writer writes too. */
static SlTileKey
worker_key (Worker *w, int i)
{
  if (i < SHARED_KEYS)
    return key_at (w->scene_id, 0, w->zoom, i, 0);
  return key_at (w->scene_id, 0, w->zoom, i, 1 + w->index);
}

static gpointer
write_many (gpointer data)
{
  Worker *w = data;

  for (int i = 0; i < WRITES_PER_WRITER; i++)
    {
      SlTileKey key = worker_key (w, (i * 7 + w->index * 13) % WRITES_PER_WRITER);
      g_autoptr(GBytes) blob = blob_for (&key, 1500 + (gsize) (key.x % 7) * 100);

      sl_tile_store_write (w->store, &key, blob);
      if (i % 500 == 0)
        g_thread_yield ();
    }
  return NULL;
}

static gpointer
read_many (gpointer data)
{
  Worker *w = data;
  GRand *rand = g_rand_new_with_seed ((guint32) w->index);

  while (!g_atomic_int_get (w->stop))
    {
      SlTileKey key = key_at (w->scene_id, 0, w->zoom, g_rand_int_range (rand, 0, WRITES_PER_WRITER),
                              g_rand_int_range (rand, 0, N_WRITERS + 1));
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) got = sl_tile_store_read (w->store, &key, &error);

      if (error != NULL)
        w->bad_reads++;
      else if (got != NULL)
        {
          g_autoptr(GBytes) expected = blob_for (&key, 1500 + (gsize) (key.x % 7) * 100);

          w->reads_found++;
          if (!g_bytes_equal (got, expected))
            w->bad_reads++;
        }
    }
  g_rand_free (rand);
  return NULL;
}

static void
test_concurrent (Fixture *f, gconstpointer data)
{
  g_autoptr(SlTileStore) store = open_store (f, 0);
  Worker writers[N_WRITERS], readers[3];
  GThread *writer_threads[N_WRITERS], *reader_threads[3];
  gint stop = 0;
  guint64 committed, batches, dropped;
  gint64 distinct = SHARED_KEYS + (gint64) N_WRITERS * (WRITES_PER_WRITER - SHARED_KEYS);
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < 3; i++)
    {
      readers[i] = (Worker) { store, f->scene_id, f->zoom, 100 + i, &stop, 0, 0 };
      reader_threads[i] = g_thread_new ("reader", read_many, &readers[i]);
    }
  for (int i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Worker) { store, f->scene_id, f->zoom, i, &stop, 0, 0 };
      writer_threads[i] = g_thread_new ("writer", write_many, &writers[i]);
    }
  for (int i = 0; i < N_WRITERS; i++)
    g_thread_join (writer_threads[i]);
  sl_tile_store_flush (store);
  g_test_message ("%d tiles from %d threads committed in %.0f ms", N_WRITERS * WRITES_PER_WRITER, N_WRITERS,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_atomic_int_set (&stop, 1);
  for (int i = 0; i < 3; i++)
    {
      g_thread_join (reader_threads[i]);
      g_assert_cmpuint (readers[i].bad_reads, ==, 0);
      g_test_message ("reader %d found %u tiles", i, readers[i].reads_found);
    }

  sl_tile_store_get_writer_stats (store, &committed, &batches, &dropped);
  g_assert_cmpuint (committed, ==, N_WRITERS * WRITES_PER_WRITER);
  g_assert_cmpuint (dropped, ==, 0);
  /* No lost or duplicated tile: one row per distinct key, every key there. */
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, distinct);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (SELECT DISTINCT zoom_level, tile_column, tile_row"
                                            " FROM sl_tiles_%" G_GINT64_FORMAT ")", f->scene_id);
    g_assert_cmpint (count_rows (f->path, sql), ==, distinct);
  }
  for (int w = 0; w < N_WRITERS; w++)
    for (int i = 0; i < WRITES_PER_WRITER; i += 37)
      {
        SlTileKey key = worker_key (&writers[w], i);
        g_autoptr(GBytes) expected = blob_for (&key, 1500 + (gsize) (key.x % 7) * 100);

        assert_read (store, &key, expected);
      }
}

static void
test_generation (Fixture *f, gconstpointer data)
{
  g_autoptr(SlTileStore) store = open_store (f, 1);
  g_autoptr(GError) error = NULL;
  SlTileKey old_key = key_at (f->scene_id, 1, f->zoom, 3, 3);
  g_autoptr(GBytes) old_blob = blob_for (&old_key, 500);
  guint64 dropped;

  for (int i = 0; i < 100; i++)
    {
      SlTileKey key = key_at (f->scene_id, 1, f->zoom, i, 3);
      g_autoptr(GBytes) blob = blob_for (&key, 500);

      sl_tile_store_write (store, &key, blob);
    }
  sl_tile_store_flush (store);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 100);
  assert_read (store, &old_key, old_blob);

  /* Queued writes of generation 1, then generation 2, then stale writes again: only the
   * generation-2 tiles remain, whatever the writer had committed before. */
  for (int i = 100; i < 300; i++)
    {
      SlTileKey key = key_at (f->scene_id, 1, f->zoom, i, 3);
      g_autoptr(GBytes) blob = blob_for (&key, 500);

      sl_tile_store_write (store, &key, blob);
    }
  sl_tile_store_set_generation (store, f->scene_id, 2);
  assert_read (store, &old_key, NULL);
  for (int i = 0; i < 10; i++)
    {
      SlTileKey key = key_at (f->scene_id, 2, f->zoom, i, 4);
      SlTileKey stale = key_at (f->scene_id, 1, f->zoom, i, 5);
      g_autoptr(GBytes) blob = blob_for (&key, 500);
      g_autoptr(GBytes) stale_blob = blob_for (&stale, 500);

      sl_tile_store_write (store, &key, blob);
      sl_tile_store_write (store, &stale, stale_blob);
    }
  sl_tile_store_flush (store);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 10);
  assert_read (store, &old_key, NULL);
  {
    SlTileKey key = key_at (f->scene_id, 2, f->zoom, 7, 4);
    g_autoptr(GBytes) blob = blob_for (&key, 500);

    assert_read (store, &key, blob);
  }
  sl_tile_store_get_writer_stats (store, NULL, NULL, &dropped);
  g_assert_cmpuint (dropped, >=, 10);
  g_assert_cmpuint (dropped, <=, 210);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT value FROM sl_meta WHERE key = 'sl_tiles_%" G_GINT64_FORMAT
                                            ".generation'", f->scene_id);
    g_assert_cmpint (count_rows (f->path, sql), ==, 2);
  }
  g_clear_object (&store);

  /* The file remembers which generation its tiles are: reopening with the same one keeps
   * them, with another (a crash after the project bumped it) deletes them. */
  store = sl_tile_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (sl_tile_store_ensure_scene (store, f->scene_id, 2, f->grid, &error));
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 10);
  g_assert_true (sl_tile_store_ensure_scene (store, f->scene_id, 3, f->grid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 0);
}

static void
test_persistence (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = open_store (f, 4);
  GPtrArray *blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (int i = 0; i < 64; i++)
    {
      SlTileKey key = key_at (f->scene_id, 4, f->zoom - i % 3, i, i);
      GBytes *blob = blob_for (&key, 3000);

      sl_tile_store_write (store, &key, blob);
      g_ptr_array_add (blobs, blob);
    }
  /* No flush: disposing the store drains its queue. */
  g_clear_object (&store);
  g_clear_object (&f->project);

  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  store = open_store (f, 4);
  for (int i = 0; i < 64; i++)
    {
      SlTileKey key = key_at (f->scene_id, 4, f->zoom - i % 3, i, i);

      assert_read (store, &key, g_ptr_array_index (blobs, i));
    }
  g_ptr_array_unref (blobs);
}

static guint8 *
solid_tile (guint32 argb)
{
  guint32 *px = g_malloc (SL_TILE_BYTES);

  for (int i = 0; i < SL_TILE_SIZE * SL_TILE_SIZE; i++)
    px[i] = argb;
  return (guint8 *) px;
}

/* The value of band @b at the centre of tile (@z, @x, @y), read by GDAL from @band (the level
 * GDAL chose for @z) whose dataset has geotransform @gt scaled for that level. */
static guint8
gdal_pixel (GDALRasterBandH band, SlSiteGrid *grid, const double gt[6], double scale, int z, int x, int y)
{
  SlBounds b;
  double cx, cy;
  int px, py;
  guint8 value = 0;

  sl_site_grid_get_tile_bounds (grid, z, x, y, &b);
  cx = (b.min_x + b.max_x) / 2;
  cy = (b.min_y + b.max_y) / 2;
  px = (int) ((cx - gt[0]) / (gt[1] * scale));
  py = (int) ((cy - gt[3]) / (gt[5] * scale));
  g_assert_cmpint (GDALRasterIO (band, GF_Read, px, py, 1, 1, &value, 1, 1, GDT_Byte, 0, 0), ==, CE_None);
  return value;
}

static void
test_geopackage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = open_store (f, 0);
  g_autofree guint8 *red = solid_tile (0xffc80000);
  g_autofree guint8 *half = solid_tile (0x80004000); /* alpha 128, green 64 premultiplied */
  g_autoptr(GBytes) jpeg = sl_tile_codec_encode (red, SL_TILE_CONTENT_OPAQUE, &error);
  g_autoptr(GBytes) png = sl_tile_codec_encode (half, SL_TILE_CONTENT_PARTIAL, &error);
  g_autoptr(GBytes) empty = sl_tile_codec_encode (NULL, SL_TILE_CONTENT_EMPTY, &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *table = g_strdup_printf ("TABLE=sl_tiles_%" G_GINT64_FORMAT, f->scene_id);
  g_autoptr(SlSiteGrid) finer = sl_site_grid_with_max_zoom (f->grid, f->zoom + 2);
  int z = f->zoom, x0 = 1 << (z - 1), y0 = 1 << (z - 1); /* the centre of the grid */
  SlBounds extent, corner;
  SlTileKey k;

  g_assert_no_error (error);
  k = key_at (f->scene_id, 0, z, x0, y0), sl_tile_store_write (store, &k, jpeg);
  k = key_at (f->scene_id, 0, z, x0 + 1, y0), sl_tile_store_write (store, &k, png);
  k = key_at (f->scene_id, 0, z, x0, y0 + 1), sl_tile_store_write (store, &k, empty);
  k = key_at (f->scene_id, 0, 0, 0, 0), sl_tile_store_write (store, &k, jpeg);

  /* The grid gains finer levels: the tile matrix follows, and a tile one level finer than
   * zoom 22 (over 2^31 pixels across the whole grid) still opens in GDAL once the table has
   * its footprint. */
  g_assert_true (sl_tile_store_ensure_scene (store, f->scene_id, 0, finer, &error));
  g_assert_no_error (error);
  k = key_at (f->scene_id, 0, z + 1, 2 * x0 + 1, 2 * y0 + 1), sl_tile_store_write (store, &k, png);
  sl_site_grid_get_tile_bounds (f->grid, z, x0, y0, &extent);
  sl_site_grid_get_tile_bounds (f->grid, z, x0 + 1, y0 + 1, &corner);
  extent.max_x = corner.max_x;
  extent.min_y = corner.min_y;
  sl_tile_store_set_extent (store, f->scene_id, &extent);

  g_assert_true (sl_tile_store_ensure_scene (store, f->scene2_id, 0, f->grid, &error));
  k = key_at (f->scene2_id, 0, z, x0, y0), sl_tile_store_write (store, &k, jpeg);
  sl_tile_store_flush (store);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM gpkg_tile_matrix WHERE table_name = 'sl_tiles_%"
                                            G_GINT64_FORMAT "'", f->scene_id);
    g_assert_cmpint (count_rows (f->path, sql), ==, z + 3);
  }
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM gpkg_contents WHERE data_type = 'tiles'"
                                        " AND srs_id = (SELECT srs_id FROM sl_site) AND srs_id > 0"), ==, 2);

  /* The project's own checks, then (all connections closed, so the WAL is checkpointed into
   * the file the validator reads byte by byte) GDAL's validator and gdalinfo. */
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

    if (!sl_project_validate (f->project, problems))
      g_error ("%s", (char *) g_ptr_array_index (problems, 0));
  }
  g_clear_object (&store);
  g_clear_object (&f->project);
  if (sl_test_run (&out, &err, "/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", f->path, NULL) != 0 ||
      *err != '\0')
    g_error ("validate_gpkg failed: %s%s", out, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  if (sl_test_run (&out, &err, "gdalinfo", f->path, "-oo", table, NULL) != 0 || strstr (err, "ERROR") != NULL)
    g_error ("gdalinfo failed: %s%s", out, err);
  g_assert_nonnull (strstr (out, "Driver: GPKG/GeoPackage"));
  g_assert_nonnull (strstr (out, "UTM zone 36N"));
  g_assert_nonnull (strstr (out, "Size is 1024, 1024")); /* the footprint at zoom 23 */

  /* The scene that has no footprint yet opens too (zoom 22: exactly 2^30 pixels across). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (table);
  table = g_strdup_printf ("TABLE=sl_tiles_%" G_GINT64_FORMAT, f->scene2_id);
  if (sl_test_run (&out, &err, "gdalinfo", "-nomd", "-noct", f->path, "-oo", table, NULL) != 0)
    g_error ("gdalinfo failed: %s%s", out, err);
  g_free (table);
  table = g_strdup_printf ("TABLE=sl_tiles_%" G_GINT64_FORMAT, f->scene_id);

  /* GDAL reads our pixels where we put them: row 0 is the top, as our y. Its full resolution
   * is zoom 23, the first overview zoom 22. */
  {
    const char *options[] = { table, NULL };
    GDALDatasetH ds = GDALOpenEx (f->path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, options, NULL);
    double gt[6];
    guint8 jpeg_px[4], png_px[4], empty_px[4], finer_px[4];

    g_assert_nonnull (ds);
    g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
    g_assert_cmpfloat_with_epsilon (gt[1], sl_site_grid_get_resolution (finer, z + 1), 1e-9);
    for (int b = 0; b < 4; b++)
      {
        GDALRasterBandH band = GDALGetRasterBand (ds, b + 1);
        GDALRasterBandH level_z = GDALGetOverview (band, 0);

        g_assert_nonnull (level_z);
        jpeg_px[b] = gdal_pixel (level_z, f->grid, gt, 2, z, x0, y0);
        png_px[b] = gdal_pixel (level_z, f->grid, gt, 2, z, x0 + 1, y0);
        empty_px[b] = gdal_pixel (level_z, f->grid, gt, 2, z, x0, y0 + 1);
        finer_px[b] = gdal_pixel (band, finer, gt, 1, z + 1, 2 * x0 + 1, 2 * y0 + 1);
      }
    GDALClose (ds);
    g_assert_cmpint (ABS ((int) jpeg_px[0] - 200), <=, 3);
    g_assert_cmpint (jpeg_px[1], <=, 3);
    g_assert_cmpint (jpeg_px[3], ==, 255);
    g_assert_cmpint (png_px[1], ==, 128); /* straight green 128 under alpha 128 */
    g_assert_cmpint (png_px[3], ==, 128);
    g_assert_cmpint (empty_px[3], ==, 0);
    g_assert_cmpint (finer_px[1], ==, 128);
    g_assert_cmpint (finer_px[3], ==, 128);
  }
}

static void
test_clear_and_stats (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = open_store (f, 0);
  g_autoptr(GArray) stats = NULL;
  guint64 bytes1 = 0;

  g_assert_true (sl_tile_store_ensure_scene (store, f->scene2_id, 0, f->grid, &error));
  for (int i = 0; i < 30; i++)
    {
      SlTileKey a = key_at (f->scene_id, 0, f->zoom - (i % 4), i, 0);
      SlTileKey b = key_at (f->scene2_id, 0, f->zoom, i, 0);
      g_autoptr(GBytes) ba = blob_for (&a, 100 + (gsize) i);
      g_autoptr(GBytes) bb = blob_for (&b, 50);

      if (i < 20)
        sl_tile_store_write (store, &a, ba), bytes1 += g_bytes_get_size (ba);
      sl_tile_store_write (store, &b, bb);
    }
  sl_tile_store_flush (store);

  stats = sl_tile_store_get_stats (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->len, ==, 2);
  {
    SlTileStoreStats *s1 = &g_array_index (stats, SlTileStoreStats, 0);
    SlTileStoreStats *s2 = &g_array_index (stats, SlTileStoreStats, 1);

    g_assert_cmpint (s1->scene_id, ==, f->scene_id);
    g_assert_cmpuint (s1->n_tiles, ==, 20);
    g_assert_cmpuint (s1->n_bytes, ==, bytes1);
    g_assert_cmpint (s1->min_zoom, ==, f->zoom - 3);
    g_assert_cmpint (s1->max_zoom, ==, f->zoom);
    g_assert_cmpint (s2->scene_id, ==, f->scene2_id);
    g_assert_cmpuint (s2->n_tiles, ==, 30);
    g_assert_cmpuint (s2->n_bytes, ==, 30 * 50);
  }
  g_clear_pointer (&stats, g_array_unref);

  g_assert_true (sl_tile_store_clear (store, f->scene_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 0);
  g_assert_cmpint (count_tiles (f, f->scene2_id), ==, 30);
  stats = sl_tile_store_get_stats (store, &error);
  g_assert_cmpuint (g_array_index (stats, SlTileStoreStats, 0).n_tiles, ==, 0);
  g_assert_cmpint (g_array_index (stats, SlTileStoreStats, 0).min_zoom, ==, -1);
  g_clear_pointer (&stats, g_array_unref);

  /* Clearing everything, with writes still queued ahead of it. */
  {
    SlTileKey a = key_at (f->scene_id, 0, f->zoom, 77, 77);
    g_autoptr(GBytes) ba = blob_for (&a, 10);

    sl_tile_store_write (store, &a, ba);
  }
  g_assert_true (sl_tile_store_clear (store, 0, &error));
  g_assert_cmpint (count_tiles (f, f->scene_id), ==, 0);
  g_assert_cmpint (count_tiles (f, f->scene2_id), ==, 0);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *missing = g_build_filename (dir, "missing.sitelapse", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  SlTileStore *store;
  sqlite3 *db = NULL;

  store = sl_tile_store_new (missing, &error);
  g_assert_null (store);
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.sitelapse"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (plain, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = sl_tile_store_new (plain, &error);
  g_assert_null (store);
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_PROJECT);
  g_clear_error (&error);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

typedef struct
{
  SlTileStore *store;
  SlTileKey    key;
  GMutex       lock;
  GCond        cond;
  int          stage;  /* 1: has read; 2: may exit */
} IdleReader;

static gpointer
read_then_wait (gpointer data)
{
  IdleReader *r = data;
  g_autoptr(GBytes) got = sl_tile_store_read (r->store, &r->key, NULL);

  g_assert_nonnull (got);
  g_mutex_lock (&r->lock);
  r->stage = 1;
  g_cond_broadcast (&r->cond);
  while (r->stage != 2)
    g_cond_wait (&r->cond, &r->lock);
  g_mutex_unlock (&r->lock);
  return NULL;
}

/* Disposing the store closes every reader connection, even those of threads still alive;
 * SQLite removes the WAL file only when the last connection closes. */
static void
test_readers_closed (Fixture *f, gconstpointer data)
{
  SlTileStore *store = open_store (f, 0);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  IdleReader r = { .store = store, .key = key_at (f->scene_id, 0, f->zoom, 5, 5) };
  g_autoptr(GBytes) blob = blob_for (&r.key, 100);
  GThread *thread;

  sl_tile_store_write (store, &r.key, blob);
  sl_tile_store_flush (store);
  assert_read (store, &r.key, blob); /* the main thread has a reader too */
  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  thread = g_thread_new ("idle-reader", read_then_wait, &r);
  g_mutex_lock (&r.lock);
  while (r.stage != 1)
    g_cond_wait (&r.cond, &r.lock);
  g_mutex_unlock (&r.lock);

  g_clear_object (&f->project);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_object_unref (store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* The thread exits after the store is gone: its entry is freed, not closed twice. */
  g_mutex_lock (&r.lock);
  r.stage = 2;
  g_cond_broadcast (&r.cond);
  g_mutex_unlock (&r.lock);
  g_thread_join (thread);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/tile-store/write-read", test_write_read);
  ADD ("/tile-store/batching", test_batching);
  ADD ("/tile-store/concurrent", test_concurrent);
  ADD ("/tile-store/generation", test_generation);
  ADD ("/tile-store/persistence", test_persistence);
  ADD ("/tile-store/geopackage", test_geopackage);
  ADD ("/tile-store/clear-and-stats", test_clear_and_stats);
  ADD ("/tile-store/readers-closed", test_readers_closed);
#undef ADD
  g_test_add_func ("/tile-store/bad-files", test_bad_files);
  return g_test_run ();
}
