/* test-scene-thumbnails.c — thumbnails made from a real project's tile cache
 *
 * Solid-colour GeoTIFFs of different shapes are written here with GDAL into a project; the
 * thumbnails must arrive for each, have the scene's aspect ratio and exactly its colour, be
 * made again after a render-parameter change, and not be asked for endlessly when a scene
 * cannot be placed or read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scene-thumbnails"

#include "config.h"

#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "sl-core.h"
#include "sl-scene-thumbnails.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"

#define THUMB_SIZE 96
#define TOLERANCE  4

typedef struct
{
  int         width, height;
  double      x, y;          /* top-left, metres in UTM 36N */
  guint8      rgb[3];
  const char *date;
} SolidScene;

/* Three shapes: wide (the founding scene), tall, square; each its own colour and place. */
static const SolidScene solid_scenes[] = {
  { 600, 400, 500000, 6050000, { 200, 60, 30 }, "2022-01-18T09:30:00Z" },
  { 300, 500, 501000, 6049000, { 40, 170, 90 }, "2022-03-02T10:00:00Z" },
  { 256, 256, 499000, 6051000, { 20, 50, 220 }, "2023-07-21T11:15:00Z" },
};

static SlApplication *app;

typedef struct
{
  char              *dir;
  SlProject         *project;
  gint64             ids[G_N_ELEMENTS (solid_scenes)];
  char              *paths[G_N_ELEMENTS (solid_scenes)];
  SlTileCache       *cache;
  SlSceneThumbnails *thumbnails;
  GHashTable        *ready;   /* gint64 * → GUINT_TO_POINTER (times "thumbnail-ready" came) */
} Fixture;

static char *
write_solid (const char       *dir,
             guint             index,
             const SolidScene *s)
{
  g_autofree char *name = g_strdup_printf ("solid-%u.tif", index);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *bands = g_malloc ((gsize) s->width * s->height * 3);
  double gt[6] = { s->x, 1, 0, s->y, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds;

  for (int b = 0; b < 3; b++)
    memset (bands + (gsize) b * s->width * s->height, s->rgb[b], (gsize) s->width * s->height);
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, s->width, s->height, 3, GDT_Byte, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, s->width, s->height, bands, s->width, s->height,
                                        GDT_Byte, 3, NULL, 0, 0, 0), ==, CE_None);
  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  GDALClose (ds);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
  return path;
}

static gint64
add_scene (SlProject  *project,
           const char *path,
           const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probed = sl_scene_probe (path, &error);
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) acquired = sl_scene_parse_date (date);

  g_assert_no_error (error);
  sl_scene_set_acquired (probed, acquired);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static void
on_thumbnail_ready (SlSceneThumbnails *thumbnails,
                    gint64             scene_id,
                    Fixture           *f)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (f->ready, &scene_id));

  /* Emitted only once the thumbnail is there. */
  g_assert_nonnull (sl_scene_thumbnails_lookup (thumbnails, scene_id));
  g_hash_table_insert (f->ready, g_memdup2 (&scene_id, sizeof scene_id), GUINT_TO_POINTER (n + 1));
}

static guint
times_ready (Fixture *f,
             gint64   scene_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (f->ready, &scene_id));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *project_path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = sl_test_tmpdir_new ();
  project_path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (project_path, "Thumbnails", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    {
      f->paths[i] = write_solid (f->dir, i, &solid_scenes[i]);
      f->ids[i] = add_scene (f->project, f->paths[i], solid_scenes[i].date);
    }
  f->cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_assert_no_error (error);
  f->thumbnails = sl_scene_thumbnails_new (f->cache, THUMB_SIZE);
  f->ready = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_signal_connect (f->thumbnails, "thumbnail-ready", G_CALLBACK (on_thumbnail_ready), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->thumbnails);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->cache);
  g_clear_object (&f->project);
  g_clear_pointer (&f->ready, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    g_free (f->paths[i]);
  sl_test_tmpdir_free (f->dir);
}

static void
spin_until (gboolean (*done) (Fixture *),
            Fixture   *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for thumbnails");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Runs the main loop for @msec, whatever happens. */
static void
spin_for (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
all_ready (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    if (times_ready (f, f->ids[i]) == 0)
      return FALSE;
  return TRUE;
}

static gboolean
cache_idle (Fixture *f)
{
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (f->cache, &stats);
  return stats.queued == 0 && stats.running == 0;
}

/* Every pixel of @texture but a one-pixel border (where the reduction meets the footprint's
 * edge) is opaque @rgb. Within TOLERANCE: coarse levels of a source without overviews are
 * composed from finer tiles, which may come back from the project as JPEG (q85, 4:2:0 moves
 * a flat colour by up to 3). The scenes' colours are 100+ apart. */
static void
assert_solid (GdkTexture   *texture,
              const guint8  rgb[3])
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) w * h);

  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      {
        guint32 p = pixels[(gsize) y * w + x];

        if ((p >> 24) != 0xff || ABS ((int) ((p >> 16) & 0xff) - rgb[0]) > TOLERANCE ||
            ABS ((int) ((p >> 8) & 0xff) - rgb[1]) > TOLERANCE || ABS ((int) (p & 0xff) - rgb[2]) > TOLERANCE)
          g_error ("Thumbnail pixel %d, %d is %08x, not opaque %02x%02x%02x", x, y, p, rgb[0], rgb[1], rgb[2]);
      }
}

static void
assert_shape (GdkTexture       *texture,
              const SolidScene *s)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);

  g_assert_cmpint (MAX (w, h), ==, THUMB_SIZE);
  if (s->width >= s->height)
    g_assert_cmpint (h, ==, (int) (THUMB_SIZE * (double) s->height / s->width + 0.5));
  else
    g_assert_cmpint (w, ==, (int) (THUMB_SIZE * (double) s->width / s->height + 0.5));
}

static void
test_arrive (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SlSceneThumbnails) again = NULL;

  /* Nothing is in memory yet: made in the background. */
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[i]));
  spin_until (all_ready, f);

  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    {
      GdkTexture *texture = sl_scene_thumbnails_lookup (f->thumbnails, f->ids[i]);

      g_assert_nonnull (texture);
      g_assert_cmpuint (times_ready (f, f->ids[i]), ==, 1);
      assert_shape (texture, &solid_scenes[i]);
      assert_solid (texture, solid_scenes[i].rgb);
    }
  g_assert_true (sl_scene_thumbnails_get_cache (f->thumbnails) == f->cache);

  /* A second set over the same cache finds the tiles in memory: at once, no signal. */
  again = sl_scene_thumbnails_new (f->cache, THUMB_SIZE);
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    {
      GdkTexture *texture = sl_scene_thumbnails_lookup (again, f->ids[i]);

      g_assert_nonnull (texture);
      assert_solid (texture, solid_scenes[i].rgb);
    }

  /* Nothing more happens, and nothing more is asked for. */
  spin_until (cache_idle, f);
  spin_for (100);
  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    g_assert_cmpuint (times_ready (f, f->ids[i]), ==, 1);
}

static gboolean
first_ready_twice (Fixture *f)
{
  return times_ready (f, f->ids[0]) >= 2;
}

static void
test_remade_after_render_change (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GdkTexture) before = NULL;
  const guint8 swapped[3] = { solid_scenes[0].rgb[2], solid_scenes[0].rgb[1], solid_scenes[0].rgb[0] };

  for (guint i = 0; i < G_N_ELEMENTS (solid_scenes); i++)
    g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[i]));
  spin_until (all_ready, f);
  before = g_object_ref (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]));
  assert_solid (before, solid_scenes[0].rgb);

  /* Blue and red swapped: a new render generation. */
  scene = sl_project_get_scene (f->project, f->ids[0], &error);
  g_assert_no_error (error);
  params = sl_render_params_copy (sl_scene_get_render_params (scene));
  params->bands[0] = 3;
  params->bands[2] = 1;
  g_assert_true (sl_project_set_render_params (f->project, f->ids[0], params, &error));
  g_assert_no_error (error);

  /* The old picture stands in until the new one is made. */
  g_assert_true (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]) == before);
  spin_until (first_ready_twice, f);
  g_assert_true (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]) != before);
  assert_solid (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]), swapped);
  assert_shape (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]), &solid_scenes[0]);
  /* The other scenes were not touched. */
  g_assert_cmpuint (times_ready (f, f->ids[1]), ==, 1);
  assert_solid (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]), solid_scenes[1].rgb);
}

static gboolean
second_ready (Fixture *f)
{
  return times_ready (f, f->ids[1]) >= 1;
}

static void
test_unplaceable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SlTileCacheStats before, after;

  /* An id the project does not have: no picture, nothing asked of the cache. */
  g_assert_cmpint (sl_tile_cache_get_native_zoom (f->cache, 9999), ==, -1);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, 9999));
  spin_for (50);
  sl_tile_cache_get_stats (f->cache, &before);
  g_assert_cmpuint (before.queued + before.running, ==, 0);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, 9999));
  g_assert_cmpuint (g_hash_table_size (f->ready), ==, 0);

  /* A scene removed: its thumbnail goes, and is not asked for again. */
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  spin_until (second_ready, f);
  g_assert_nonnull (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  g_assert_true (sl_project_remove_scene (f->project, f->ids[1], &error));
  g_assert_no_error (error);
  spin_until (cache_idle, f);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  sl_tile_cache_get_stats (f->cache, &before);
  spin_for (100);
  sl_tile_cache_get_stats (f->cache, &after);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  g_assert_cmpuint (after.source_reads + after.store_hits, ==, before.source_reads + before.store_hits);
  g_assert_cmpuint (times_ready (f, f->ids[1]), ==, 1);
}

static void
on_tile_failed (SlTileCache *cache,
                SlTileKey   *key,
                GError      *error,
                guint       *n_failed)
{
  (*n_failed)++;
}

typedef struct
{
  Fixture *f;
  guint    n_failed;
} Unreadable;

static gboolean
settled_with_failures (gpointer data)
{
  Unreadable *u = data;

  return times_ready (u->f, u->f->ids[0]) == 1 && u->n_failed > 0 && cache_idle (u->f);
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  SlTileCacheStats before, after;
  Unreadable u = { f, 0 };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gulong handler = g_signal_connect (f->cache, "tile-failed", G_CALLBACK (on_tile_failed), &u.n_failed);

  /* The source of the tall scene is replaced by bytes no driver reads: every tile fails. */
  sl_test_write_bytes (f->paths[1], "not an image at all", 19);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[0]));
  while (!settled_with_failures (&u))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  /* Deliveries in flight arrive. */
  spin_for (200);

  sl_tile_cache_get_stats (f->cache, &before);
  g_assert_cmpuint (before.failures, >, 0);
  g_assert_cmpuint (before.queued + before.running, ==, 0);
  g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  g_assert_cmpuint (times_ready (f, f->ids[1]), ==, 0);
  /* The readable scene still came. */
  g_assert_cmpuint (times_ready (f, f->ids[0]), ==, 1);

  /* Asking again does not ask the cache again: failures stay failures in a generation. */
  for (int i = 0; i < 5; i++)
    g_assert_null (sl_scene_thumbnails_lookup (f->thumbnails, f->ids[1]));
  spin_for (200);
  sl_tile_cache_get_stats (f->cache, &after);
  g_assert_cmpuint (after.failures, ==, before.failures);
  g_assert_cmpuint (after.queued + after.running, ==, 0);
  g_assert_cmpuint (times_ready (f, f->ids[1]), ==, 0);
  g_signal_handler_disconnect (f->cache, handler);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

  g_test_add ("/scene-thumbnails/arrive", Fixture, NULL, fixture_setup, test_arrive, fixture_teardown);
  g_test_add ("/scene-thumbnails/remade-after-render-change", Fixture, NULL, fixture_setup,
              test_remade_after_render_change, fixture_teardown);
  g_test_add ("/scene-thumbnails/unplaceable", Fixture, NULL, fixture_setup, test_unplaceable, fixture_teardown);
  g_test_add ("/scene-thumbnails/unreadable", Fixture, NULL, fixture_setup, test_unreadable, fixture_teardown);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
