/* test-scene-pixels.c — site coordinates ⇄ the pixels of one scene: an affine scene, a scene
 * warped from another CRS, a scene placed only by its pixel grid; known pixels and round trips
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <ogr_srs_api.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-scene-pixels.h"
#include "sl-test-util.h"

typedef struct
{
  char      *dir;
  SlProject *project;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (path, "Pixels", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
}

static SlScene *
add_scene (Fixture *f, const char *name, const SlTestImage *spec, const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date (date);
  SlScene *stored;

  sl_test_write_image (path, spec);
  probe = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  return stored;
}

/* Pixels → site → pixels over the image and a little beyond, within @tol pixels. */
static void
check_round_trips (SlScenePixels *pixels, double tol)
{
  int w = sl_scene_pixels_get_width (pixels), h = sl_scene_pixels_get_height (pixels);

  for (int j = -2; j <= 12; j++)
    for (int i = -2; i <= 12; i++)
      {
        double px = w * i / 10.0 + 0.37, py = h * j / 10.0 + 0.61, x, y, qx, qy;

        g_assert_true (sl_scene_pixels_to_site (pixels, px, py, &x, &y));
        g_assert_true (sl_scene_pixels_to_pixel (pixels, x, y, &qx, &qy));
        g_assert_cmpfloat_with_epsilon (qx, px, tol);
        g_assert_cmpfloat_with_epsilon (qy, py, tol);
      }
}

static void
test_affine (Fixture *f, gconstpointer data)
{
  SlTestImage spec = { .width = 120, .height = 80, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = 500000, .origin_y = 6000040, .pixel_size = 0.5, .seed = 1 };
  g_autoptr(SlScene) scene = add_scene (f, "a.tif", &spec, "2022-02-07T08:30:00Z");
  g_autoptr(SlScenePixels) pixels = NULL;
  g_autoptr(GError) error = NULL;
  double px, py, x, y;

  pixels = sl_scene_pixels_new (f->project, scene, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl_scene_pixels_get_width (pixels), ==, 120);
  g_assert_cmpint (sl_scene_pixels_get_height (pixels), ==, 80);
  g_assert_cmpfloat_with_epsilon (sl_scene_pixels_get_gsd (pixels), 0.5, 1e-9);

  /* Pixel (0, 0) is the top-left corner of the first pixel; (10, 20) lies 5 m east, 10 m south. */
  g_assert_true (sl_scene_pixels_to_site (pixels, 0, 0, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 500000, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 6000040, 1e-9);
  g_assert_true (sl_scene_pixels_to_pixel (pixels, 500005, 6000030, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (py, 20, 1e-9);
  g_assert_true (sl_scene_pixels_to_pixel (pixels, 500060, 6000000, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 120, 1e-9);
  g_assert_cmpfloat_with_epsilon (py, 80, 1e-9);
  check_round_trips (pixels, 1e-9);
}

/* The site founded in UTM 36N by a first scene; a second scene in WGS 84 is warped. Its known
 * pixel is checked against OGR's own transformation of the geotransform's coordinates. */
static void
test_warped (Fixture *f, gconstpointer data)
{
  SlTestImage utm = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636",
                      .origin_x = 500000, .origin_y = 6010000, .pixel_size = 0.5, .seed = 1 };
  SlTestImage geo = { .width = 100, .height = 90, .bands = 3, .crs = "EPSG:4326",
                      .origin_x = 33.001, .origin_y = 54.2, .pixel_size = 1e-5, .seed = 2 };
  g_autoptr(SlScene) first = add_scene (f, "utm.tif", &utm, "2022-02-07T08:30:00Z");
  g_autoptr(SlScene) scene = add_scene (f, "geo.tif", &geo, "2022-02-14T08:30:00Z");
  g_autoptr(SlScenePixels) pixels = NULL;
  g_autoptr(GError) error = NULL;
  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference (NULL), site = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;
  double t[6], lon = 33.001 + 40 * 1e-5, lat = 54.2 - 30 * 1e-5, x, y, px, py;

  g_assert_false (sl_scene_get_pixel_to_site (scene, t));   /* warped, not affine */
  pixels = sl_scene_pixels_new (f->project, scene, &error);
  g_assert_no_error (error);

  OSRImportFromEPSG (wgs84, 4326);
  OSRImportFromEPSG (site, 32636);
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (site, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (wgs84, site);
  g_assert_nonnull (ct);
  g_assert_true (OCTTransform (ct, 1, &lon, &lat, NULL));

  g_assert_true (sl_scene_pixels_to_site (pixels, 40, 30, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, lon, 1e-3);   /* metres */
  g_assert_cmpfloat_with_epsilon (y, lat, 1e-3);
  g_assert_true (sl_scene_pixels_to_pixel (pixels, lon, lat, &px, &py));
  g_assert_cmpfloat_with_epsilon (px, 40, 1e-4);
  g_assert_cmpfloat_with_epsilon (py, 30, 1e-4);
  /* About 0.64 m east-west and 1.11 m north-south per pixel: the mean, in metres. */
  g_assert_cmpfloat (sl_scene_pixels_get_gsd (pixels), >, 0.75);
  g_assert_cmpfloat (sl_scene_pixels_get_gsd (pixels), <, 0.95);
  check_round_trips (pixels, 1e-6);

  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (wgs84);
  OSRDestroySpatialReference (site);
}

static void
test_pixel_space (Fixture *f, gconstpointer data)
{
  SlTestImage spec = { .width = 50, .height = 40, .bands = 3, .seed = 3 };
  g_autoptr(SlScene) scene = add_scene (f, "press.png", &spec, "2022-02-07T08:30:00Z");
  g_autoptr(SlScenePixels) pixels = NULL;
  g_autoptr(GError) error = NULL;
  double x, y;

  pixels = sl_scene_pixels_new (f->project, scene, &error);
  g_assert_no_error (error);
  /* The first scene of an ungeoreferenced site founds pixel space: x = column, y = −row. */
  g_assert_true (sl_scene_pixels_to_site (pixels, 12, 7, &x, &y));
  g_assert_cmpfloat_with_epsilon (x, 12, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, -7, 1e-12);
  g_assert_cmpfloat (sl_scene_pixels_get_gsd (pixels), ==, 0);
  check_round_trips (pixels, 1e-9);
}

typedef struct
{
  SlScenePixels *pixels;
  guint          failures;
} Worker;

static gpointer
round_trip_worker (gpointer data)
{
  Worker *w = data;

  for (int i = 0; i < 2000; i++)
    {
      double px = (i * 37) % 100 + 0.25, py = (i * 53) % 90 + 0.75, x, y, qx, qy;

      if (!sl_scene_pixels_to_site (w->pixels, px, py, &x, &y) ||
          !sl_scene_pixels_to_pixel (w->pixels, x, y, &qx, &qy) || fabs (qx - px) > 1e-6 || fabs (qy - py) > 1e-6)
        w->failures++;
    }
  return NULL;
}

/* Two threads sharing one warped mapping get the same answers as one. */
static void
test_threads (Fixture *f, gconstpointer data)
{
  SlTestImage utm = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636",
                      .origin_x = 500000, .origin_y = 6010000, .pixel_size = 0.5, .seed = 1 };
  SlTestImage geo = { .width = 100, .height = 90, .bands = 3, .crs = "EPSG:4326",
                      .origin_x = 33.001, .origin_y = 54.2, .pixel_size = 1e-5, .seed = 2 };
  g_autoptr(SlScene) first = add_scene (f, "utm.tif", &utm, "2022-02-07T08:30:00Z");
  g_autoptr(SlScene) scene = add_scene (f, "geo.tif", &geo, "2022-02-14T08:30:00Z");
  g_autoptr(SlScenePixels) pixels = sl_scene_pixels_new (f->project, scene, NULL);
  Worker a = { pixels, 0 }, b = { pixels, 0 };
  GThread *ta, *tb;

  g_assert_nonnull (pixels);
  ta = g_thread_new ("a", round_trip_worker, &a);
  tb = g_thread_new ("b", round_trip_worker, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_cmpuint (a.failures, ==, 0);
  g_assert_cmpuint (b.failures, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add ("/scene-pixels/affine", Fixture, NULL, fixture_setup, test_affine, fixture_teardown);
  g_test_add ("/scene-pixels/warped", Fixture, NULL, fixture_setup, test_warped, fixture_teardown);
  g_test_add ("/scene-pixels/pixel-space", Fixture, NULL, fixture_setup, test_pixel_space, fixture_teardown);
  g_test_add ("/scene-pixels/threads", Fixture, NULL, fixture_setup, test_threads, fixture_teardown);
  return g_test_run ();
}
