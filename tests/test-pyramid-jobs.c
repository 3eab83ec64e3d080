/* test-pyramid-jobs.c — background pyramids: which sources need one, building, cancelling,
 * reopening, over real projects and rasters written with GDAL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <cpl_conv.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-pyramid-jobs.h"
#include "sl-pyramid-survey.h"
#include "sl-tile-cache.h"
#include "sl-tile-store.h"
#include "sl-test-util.h"

#define TIMEOUT_S 60

typedef struct
{
  char        *dir;
  char        *path;
  SlProject   *project;
  int          n_scenes;

  /* What the jobs object said. */
  guint        started;
  guint        finished;
  guint        failed;
  int          last_mode;
  GError      *last_error;
  guint        fraction_notes;
  gboolean     cancel_on_start;
  SlPyramidJobs *jobs;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sl_core_init ();
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (f->path, "Pyramid test site", &error);
  g_assert_no_error (error);
  f->last_mode = -1;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->project)
    sl_project_close (f->project);
  g_clear_object (&f->project);
  g_clear_error (&f->last_error);
  sl_test_tmpdir_free (f->dir);
  g_free (f->path);
}

static char *
file_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
write_image (Fixture *f, const char *name, const char *driver, int size)
{
  char *path = file_in (f, name);
  SlTestImage spec = {
    .width = size, .height = size, .bands = 3, .driver = driver, .crs = "EPSG:32636",
    .origin_x = 500000, .origin_y = 5600000, .pixel_size = 0.5,
    .seed = (guint32) ++f->n_scenes,
  };

  sl_test_write_image (path, &spec);
  return path;
}

/* Internal overviews down to a quarter of a tile's worth of the image. */
static void
add_overviews (const char *path)
{
  int levels[] = { 2, 4, 8 };
  GDALDatasetH ds = GDALOpen (path, GA_Update);

  g_assert_nonnull (ds);
  g_assert_cmpint (GDALBuildOverviews (ds, "AVERAGE", G_N_ELEMENTS (levels), levels, 0, NULL, NULL, NULL), ==, CE_None);
  GDALClose (ds);
}

static gint64
add_scene (Fixture *f, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = sl_scene_probe (path, &error);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(SlScene) stored = NULL;

  g_assert_no_error (error);
  when = g_date_time_new_utc (2022, 1, 1 + f->n_scenes, 10, 0, 0);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static SlTileCache *
new_cache (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SlTileCache *cache = sl_tile_cache_new (f->project, 0, 2, &error);

  g_assert_no_error (error);
  return cache;
}

static void
on_started (SlPyramidJobs *jobs, gint64 scene_id, int mode, Fixture *f)
{
  f->started++;
  f->last_mode = mode;
  g_assert_cmpint (sl_pyramid_jobs_get_scene_id (jobs), ==, scene_id);
  if (f->cancel_on_start)
    sl_pyramid_jobs_cancel (jobs);
}

static void
on_finished (SlPyramidJobs *jobs, gint64 scene_id, GError *error, Fixture *f)
{
  f->finished++;
  if (error != NULL)
    {
      f->failed++;
      g_clear_error (&f->last_error);
      f->last_error = g_error_copy (error);
    }
}

static void
on_fraction (Fixture *f)
{
  double fraction = sl_pyramid_jobs_get_fraction (f->jobs);

  g_assert_cmpfloat (fraction, >=, 0);
  g_assert_cmpfloat (fraction, <=, 1);
  f->fraction_notes++;
}

static SlPyramidJobs *
new_jobs (Fixture *f, SlTileCache *cache)
{
  SlPyramidJobs *jobs = sl_pyramid_jobs_new (f->project, cache);

  f->jobs = jobs;
  f->started = f->finished = f->failed = f->fraction_notes = 0;
  g_signal_connect (jobs, "scene-started", G_CALLBACK (on_started), f);
  g_signal_connect (jobs, "scene-finished", G_CALLBACK (on_finished), f);
  g_signal_connect_swapped (jobs, "notify::fraction", G_CALLBACK (on_fraction), f);
  return jobs;
}

static void
spin_until_idle (SlPyramidJobs *jobs)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  /* "busy" goes up at once when there is anything to look at. */
  while (sl_pyramid_jobs_get_busy (jobs))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Opens a cache and jobs on the project, runs them to the end; returns the seconds it took. */
static double
run_jobs (Fixture *f, SlTileCache **cache_out)
{
  g_autoptr(SlTileCache) cache = new_cache (f);
  g_autoptr(SlPyramidJobs) jobs = new_jobs (f, cache);
  gint64 start = g_get_monotonic_time ();

  sl_pyramid_jobs_start (jobs);
  g_assert_true (sl_pyramid_jobs_get_busy (jobs));
  spin_until_idle (jobs);
  if (cache_out)
    *cache_out = g_object_ref (cache);
  f->jobs = NULL;
  return (g_get_monotonic_time () - start) / 1e6;
}

static SlPyramidExtent
extent_of (Fixture *f, SlTileCache *cache, gint64 scene)
{
  SlPyramidExtent extent;

  g_assert_true (sl_pyramid_extent_init (&extent, f->project, cache, scene));
  g_assert_cmpint (extent.native_zoom, >, 2);
  return extent;
}

static int
count_levels (Fixture *f, const SlPyramidExtent *extent)
{
  g_autoptr(GError) error = NULL;
  int levels = sl_pyramid_survey_count_levels (f->path, extent, &error);

  g_assert_no_error (error);
  return levels;
}

/* Tiles of the scene's pyramid from zoom @from to @to, as the builder covers them. */
static guint64
pyramid_size (const SlPyramidExtent *e, int from, int to)
{
  guint64 n = 0;

  for (int z = from; z <= to; z++)
    {
      int s = e->native_zoom - z;
      n += (guint64) ((e->x1 >> s) - (e->x0 >> s) + 1) * (guint64) ((e->y1 >> s) - (e->y0 >> s) + 1);
    }
  return n;
}

static guint64
stored_tiles (Fixture *f, gint64 scene, int *max_zoom)
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

      if (s->scene_id == scene)
        {
          if (max_zoom)
            *max_zoom = s->max_zoom;
          return s->n_tiles;
        }
    }
  if (max_zoom)
    *max_zoom = -1;
  return 0;
}

static void
assert_valid_project (Fixture *f)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!sl_project_validate (f->project, problems))
    for (guint i = 0; i < problems->len; i++)
      g_test_message ("%s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* --- the survey --- */

static void
assert_survey (const char *path, const char *driver, SlPyramidNeed need)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSourceSurvey) survey = sl_source_survey_run (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (survey->driver, ==, driver);
  g_assert_cmpint (survey->need, ==, need);
}

static void
test_survey_decides (Fixture *f, gconstpointer data)
{
  g_autofree char *plain = write_image (f, "plain.tif", NULL, 2048);
  g_autofree char *with_ovr = write_image (f, "ovr.tif", NULL, 2048);
  g_autofree char *small = write_image (f, "small.tif", NULL, 1000);
  g_autofree char *jpeg = write_image (f, "big.jpg", "JPEG", 2048);
  g_autofree char *small_jpeg = write_image (f, "small.jpg", "JPEG", 512);
  g_autofree char *jp2 = write_image (f, "tiny.jp2", "JP2OpenJPEG", 256);
  g_autofree char *text = file_in (f, "notes.txt");
  g_autofree char *missing = file_in (f, "gone.tif");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSourceSurvey) survey = NULL;

  add_overviews (with_ovr);
  sl_test_write_bytes (text, "not a raster\n", 13);

  survey = sl_source_survey_run (plain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (survey->n_overviews, ==, 0);
  g_assert_cmpint (survey->coarsest, ==, 2048);
  g_assert_cmpint (survey->need, ==, SL_PYRAMID_NEED_OVERVIEWS);
  g_clear_pointer (&survey, sl_source_survey_free);

  survey = sl_source_survey_run (with_ovr, &error);
  g_assert_no_error (error);
  g_assert_cmpint (survey->n_overviews, ==, 3);
  g_assert_cmpint (survey->coarsest, ==, 256);
  g_assert_cmpint (survey->need, ==, SL_PYRAMID_NEED_NONE);

  assert_survey (small, "GTiff", SL_PYRAMID_NEED_NONE);
  /* GDAL reports a JPEG's DCT scales and a JPEG2000's resolution levels as overviews. */
  assert_survey (jpeg, "JPEG", SL_PYRAMID_NEED_FULL);
  assert_survey (small_jpeg, "JPEG", SL_PYRAMID_NEED_NONE);
  assert_survey (jp2, "JP2OpenJPEG", SL_PYRAMID_NEED_FULL);
  g_assert_cmpint (sl_pyramid_need_to_mode (SL_PYRAMID_NEED_FULL), ==, SL_PYRAMID_FULL);
  g_assert_cmpint (sl_pyramid_need_to_mode (SL_PYRAMID_NEED_OVERVIEWS), ==, SL_PYRAMID_OVERVIEWS);

  g_clear_pointer (&survey, sl_source_survey_free);
  survey = sl_source_survey_run (missing, &error);
  g_assert_null (survey);
  g_assert_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "gone.tif"));
  g_clear_error (&error);
  survey = sl_source_survey_run (text, &error);
  g_assert_null (survey);
  g_assert_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
}

/* --- the jobs --- */

static void
test_builds_missing_overviews (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "plain.tif", NULL, 2048);
  gint64 scene = add_scene (f, path);
  g_autoptr(SlTileCache) cache = NULL;
  SlPyramidExtent extent;
  int max_zoom;

  run_jobs (f, &cache);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_cmpint (f->last_mode, ==, SL_PYRAMID_OVERVIEWS);
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_no_error (f->last_error);
  g_assert_cmpuint (f->fraction_notes, >, 0);

  /* Every level coarser than native is in the project, the native one is not. */
  extent = extent_of (f, cache, scene);
  g_assert_true (extent.resolved);
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);
  g_assert_cmpuint (stored_tiles (f, scene, &max_zoom), ==, pyramid_size (&extent, 0, extent.native_zoom - 1));
  g_assert_cmpint (max_zoom, ==, extent.native_zoom - 1);
  assert_valid_project (f);
}

/* 16-bit: the cache computes the stretch as the build starts, which starts a generation;
 * the scene is surveyed again after the build, found complete, and not built twice. */
static void
test_stretch_resolved_during_build (Fixture *f, gconstpointer data)
{
  g_autofree char *path = file_in (f, "deep.tif");
  SlTestImage spec = {
    .width = 2048, .height = 2048, .bands = 3, .data_type = "UInt16", .crs = "EPSG:32636",
    .origin_x = 500000, .origin_y = 5600000, .pixel_size = 0.5, .seed = 3,
  };
  g_autoptr(SlTileCache) cache = NULL;
  SlPyramidExtent extent;
  gint64 scene;

  sl_test_write_image (path, &spec);
  scene = add_scene (f, path);
  run_jobs (f, &cache);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_cmpuint (f->finished, ==, 1);
  g_assert_no_error (f->last_error);
  extent = extent_of (f, cache, scene);
  g_assert_true (extent.resolved);
  g_assert_cmpuint (extent.generation, >, 0);
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);
}

static void
test_overviews_start_nothing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "ovr.tif", NULL, 2048);
  g_autofree char *small = write_image (f, "small.tif", NULL, 600);
  gint64 scene, small_scene;

  add_overviews (path);
  scene = add_scene (f, path);
  small_scene = add_scene (f, small);
  run_jobs (f, NULL);
  g_assert_cmpuint (f->started, ==, 0);
  g_assert_cmpuint (f->finished, ==, 0);
  g_assert_cmpuint (stored_tiles (f, scene, NULL), ==, 0);
  g_assert_cmpuint (stored_tiles (f, small_scene, NULL), ==, 0);
}

static void
on_cache_gone (gpointer data, GObject *where)
{
  *(gboolean *) data = TRUE;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "plain.tif", NULL, 2048);
  gint64 scene = add_scene (f, path);
  SlTileCache *cache = new_cache (f);
  SlPyramidJobs *jobs = new_jobs (f, cache);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  gboolean gone = FALSE;
  SlPyramidExtent extent;

  /* Cancelled as it starts: idle at once, nothing reported. */
  f->cancel_on_start = TRUE;
  sl_pyramid_jobs_start (jobs);
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_cmpuint (f->finished, ==, 0);
  g_assert_cmpint (sl_pyramid_jobs_get_scene_id (jobs), ==, 0);
  g_assert_cmpfloat (sl_pyramid_jobs_get_fraction (jobs), ==, 0);

  /* Declined: a project change does not bring it back. */
  g_signal_emit_by_name (f->project, "scenes-changed");
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 1);

  /* The build really stops: the cache it holds is released well before it could finish. */
  extent = extent_of (f, cache, scene);
  g_object_weak_ref (G_OBJECT (cache), on_cache_gone, &gone);
  g_object_unref (jobs);
  g_object_unref (cache);
  while (!gone)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpint (count_levels (f, &extent), <, extent.native_zoom);
  assert_valid_project (f);

  /* Started again (a new window): it resumes and completes. */
  f->cancel_on_start = FALSE;
  {
    g_autoptr(SlTileCache) again = NULL;

    run_jobs (f, &again);
    g_assert_cmpuint (f->started, ==, 1);
    g_assert_cmpuint (f->failed, ==, 0);
    extent = extent_of (f, again, scene);
    g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);
  }
  assert_valid_project (f);
}

static void
test_reopen_does_not_rebuild (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "plain.tif", NULL, 2048);
  g_autofree char *jpeg = write_image (f, "press.jpg", "JPEG", 1536);
  g_autoptr(SlTileCache) cache = NULL;
  SlTileCacheStats stats;
  double first, second;

  add_scene (f, path);
  add_scene (f, jpeg);
  first = run_jobs (f, NULL);
  g_assert_cmpuint (f->started, ==, 2);
  g_assert_cmpuint (f->failed, ==, 0);

  /* The project is closed and opened again. */
  sl_project_close (f->project);
  g_clear_object (&f->project);
  {
    g_autoptr(GError) error = NULL;

    f->project = sl_project_open (f->path, &error);
    g_assert_no_error (error);
  }
  second = run_jobs (f, &cache);
  g_test_message ("first open: %.3f s (two builds), second: %.3f s (two surveys)", first, second);
  g_assert_cmpuint (f->started, ==, 0);
  g_assert_cmpuint (f->finished, ==, 0);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 0);
  g_assert_cmpuint (stats.store_hits, ==, 0);
  g_assert_cmpfloat (second, <, first);
  g_assert_cmpfloat (second, <, 1.0);
}

static void
test_jpeg2000_full (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "scene.jp2", "JP2OpenJPEG", 1024);
  gint64 scene = add_scene (f, path);
  g_autoptr(SlTileCache) cache = NULL;
  SlPyramidExtent extent;
  SlTileCacheStats stats;
  int max_zoom;

  run_jobs (f, &cache);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_cmpint (f->last_mode, ==, SL_PYRAMID_FULL);
  g_assert_no_error (f->last_error);
  g_clear_object (&cache);

  /* Every level, native included: a new cache never reads the JPEG2000 again. */
  cache = new_cache (f);
  extent = extent_of (f, cache, scene);
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom + 1);
  g_assert_cmpuint (stored_tiles (f, scene, &max_zoom), ==, pyramid_size (&extent, 0, extent.native_zoom));
  g_assert_cmpint (max_zoom, ==, extent.native_zoom);
  for (int y = extent.y0; y <= extent.y1; y++)
    for (int x = extent.x0; x <= extent.x1; x++)
      {
        g_autoptr(GError) error = NULL;
        SlTileKey key = sl_tile_cache_key (cache, scene, extent.native_zoom, x, y);
        g_autoptr(SlTile) tile = sl_tile_cache_get_sync (cache, &key, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (tile->argb);
      }
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 0);
  g_assert_cmpuint (stats.store_hits, ==, pyramid_size (&extent, extent.native_zoom, extent.native_zoom));
  g_clear_object (&cache);

  /* The project is self-contained now: without the file, nothing is missed or reported. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  run_jobs (f, NULL);
  g_assert_cmpuint (f->started, ==, 0);
  g_assert_cmpuint (f->finished, ==, 0);
}

static void
test_render_change_rebuilds (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "plain.tif", NULL, 2048);
  gint64 scene = add_scene (f, path);
  g_autoptr(SlTileCache) cache = new_cache (f);
  g_autoptr(SlPyramidJobs) jobs = new_jobs (f, cache);
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GError) error = NULL;
  SlPyramidExtent extent;
  guint32 generation;

  sl_pyramid_jobs_start (jobs);
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 1);
  extent = extent_of (f, cache, scene);
  generation = extent.generation;
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);

  /* Grey from the green band: a new generation, the stored tiles are dropped and rebuilt. */
  params = sl_render_params_new_for (3, "Byte", FALSE);
  params->bands[0] = params->bands[1] = params->bands[2] = 2;
  g_assert_true (sl_project_set_render_params (f->project, scene, params, &error));
  g_assert_no_error (error);
  g_assert_true (sl_pyramid_jobs_get_busy (jobs));
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 2);
  g_assert_cmpuint (f->failed, ==, 0);
  extent = extent_of (f, cache, scene);
  g_assert_cmpuint (extent.generation, >, generation);
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);
}

static void
test_added_scene (Fixture *f, gconstpointer data)
{
  g_autofree char *with_ovr = write_image (f, "ovr.tif", NULL, 2048);
  g_autofree char *plain = write_image (f, "plain.tif", NULL, 2048);
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlPyramidJobs) jobs = NULL;
  gint64 scene;
  SlPyramidExtent extent;

  add_overviews (with_ovr);
  add_scene (f, with_ovr);
  cache = new_cache (f);
  jobs = new_jobs (f, cache);
  sl_pyramid_jobs_start (jobs);
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 0);

  scene = add_scene (f, plain);
  g_assert_true (sl_pyramid_jobs_get_busy (jobs));
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_cmpuint (f->finished, ==, 1);
  extent = extent_of (f, cache, scene);
  g_assert_cmpint (count_levels (f, &extent), ==, extent.native_zoom);
}

static void
test_missing_source (Fixture *f, gconstpointer data)
{
  g_autofree char *built = write_image (f, "built.tif", NULL, 2048);
  g_autofree char *never = write_image (f, "never.tif", NULL, 2048);
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlPyramidJobs) jobs = NULL;

  add_scene (f, built);
  run_jobs (f, NULL);
  g_assert_cmpuint (f->started, ==, 1);

  /* Both sources go away: the built scene needs nothing, the other one is reported once. */
  add_scene (f, never);
  g_assert_cmpint (g_unlink (built), ==, 0);
  g_assert_cmpint (g_unlink (never), ==, 0);
  cache = new_cache (f);
  jobs = new_jobs (f, cache);
  sl_pyramid_jobs_start (jobs);
  spin_until_idle (jobs);
  g_assert_cmpuint (f->started, ==, 0);
  g_assert_cmpuint (f->failed, ==, 1);
  g_assert_error (f->last_error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING);
  g_assert_nonnull (strstr (f->last_error->message, "never.tif"));

  g_signal_emit_by_name (f->project, "scenes-changed");
  spin_until_idle (jobs);
  g_assert_cmpuint (f->failed, ==, 1);
}

static void
test_removed_scene_stops (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_image (f, "plain.tif", NULL, 2048);
  gint64 scene = add_scene (f, path);
  g_autoptr(SlTileCache) cache = new_cache (f);
  g_autoptr(SlPyramidJobs) jobs = new_jobs (f, cache);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  sl_pyramid_jobs_start (jobs);
  while (sl_pyramid_jobs_get_scene_id (jobs) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (sl_project_remove_scene (f->project, scene, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_pyramid_jobs_get_scene_id (jobs), ==, 0);
  spin_until_idle (jobs);
  g_assert_cmpuint (f->failed, ==, 0);
  assert_valid_project (f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* A hang fails the run rather than blocking it. */
  alarm (300);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/pyramid-survey/decides", test_survey_decides);
  ADD ("/pyramid-jobs/builds-missing-overviews", test_builds_missing_overviews);
  ADD ("/pyramid-jobs/stretch-resolved-during-build", test_stretch_resolved_during_build);
  ADD ("/pyramid-jobs/overviews-start-nothing", test_overviews_start_nothing);
  ADD ("/pyramid-jobs/cancel", test_cancel);
  ADD ("/pyramid-jobs/reopen-does-not-rebuild", test_reopen_does_not_rebuild);
  ADD ("/pyramid-jobs/jpeg2000-full", test_jpeg2000_full);
  ADD ("/pyramid-jobs/render-change-rebuilds", test_render_change_rebuilds);
  ADD ("/pyramid-jobs/added-scene", test_added_scene);
  ADD ("/pyramid-jobs/missing-source", test_missing_source);
  ADD ("/pyramid-jobs/removed-scene-stops", test_removed_scene_stops);
#undef ADD

  return g_test_run ();
}
