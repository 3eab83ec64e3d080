/* test-scene.c — probing images with GDAL: structure, georeference, dates, bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-core.h"
#include "sl-scene.h"
#include "sl-test-util.h"

static char *tmp;

static char *
fixture (const char *name, const SlTestImage *spec)
{
  char *path = g_build_filename (tmp, name, NULL);
  sl_test_write_image (path, spec);
  return path;
}

static void
test_georeferenced_16bit_nodata (void)
{
  SlTestImage spec = { .width = 300, .height = 200, .bands = 4, .data_type = "UInt16",
                       .crs = "EPSG:32636", .origin_x = 510000, .origin_y = 6048000, .pixel_size = 0.3,
                       .datetime = "2022:02:21 08:52:11", .with_nodata = TRUE, .nodata = 0 };
  g_autofree char *path = fixture ("wv3.tif", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = sl_scene_probe (path, &error);
  g_autofree char *when = NULL, *georef = NULL, *pixels = NULL;
  double gt[6], nodata = -1;

  g_assert_no_error (error);
  g_assert_cmpint (sl_scene_get_width (scene), ==, 300);
  g_assert_cmpint (sl_scene_get_height (scene), ==, 200);
  g_assert_cmpint (sl_scene_get_band_count (scene), ==, 4);
  g_assert_cmpstr (sl_scene_get_data_type (scene), ==, "UInt16");
  g_assert_cmpstr (sl_scene_get_driver (scene), ==, "GTiff");
  g_assert_true (sl_scene_get_nodata (scene, &nodata));
  g_assert_cmpfloat (nodata, ==, 0);
  g_assert_false (sl_scene_get_has_palette (scene));
  g_assert_cmpint (sl_scene_get_georef (scene), ==, SL_GEOREF_GEOTRANSFORM);
  g_assert_true (sl_scene_get_geotransform (scene, gt));
  g_assert_cmpfloat (gt[0], ==, 510000);
  g_assert_cmpfloat (gt[5], ==, -0.3);
  georef = sl_scene_describe_georef (scene);
  g_assert_cmpstr (georef, ==, "Georeferenced (WGS 84 / UTM zone 36N)");
  pixels = sl_scene_describe_pixels (scene);
  g_assert_cmpstr (pixels, ==, "300 × 200, 4 × UInt16");

  /* The acquisition date comes from the TIFF tag. */
  when = sl_scene_format_acquired (scene);
  g_assert_cmpstr (when, ==, "2022-02-21T08:52:11.000Z");
  g_assert_cmpuint (strlen (sl_scene_get_sha256 (scene)), ==, 64);
  g_assert_cmpint (sl_scene_get_file_size (scene), >, 0);
  g_assert_true (g_path_is_absolute (sl_scene_get_source_path (scene)));
}

static void
test_palette_and_press_image (void)
{
  SlTestImage pal = { .width = 64, .height = 64, .bands = 1, .palette = TRUE };
  SlTestImage jpg = { .width = 120, .height = 80, .bands = 3, .driver = "JPEG" };
  g_autofree char *pal_path = fixture ("landcover.tif", &pal);
  g_autofree char *jpg_path = fixture ("press.jpg", &jpg);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) a = sl_scene_probe (pal_path, &error);
  g_autoptr(SlScene) b = NULL;
  g_autofree char *georef = NULL;

  g_assert_no_error (error);
  g_assert_true (sl_scene_get_has_palette (a));
  g_assert_null (sl_scene_get_acquired (a));

  b = sl_scene_probe (jpg_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sl_scene_get_driver (b), ==, "JPEG");
  g_assert_cmpint (sl_scene_get_georef (b), ==, SL_GEOREF_NONE);
  g_assert_false (sl_scene_get_geotransform (b, NULL));
  g_assert_null (sl_scene_get_crs_wkt (b));
  georef = sl_scene_describe_georef (b);
  g_assert_cmpstr (georef, ==, "Not registered");
}

static void
test_gcps_only (void)
{
  SlTestImage spec = { .width = 64, .height = 64, .bands = 1, .crs = "EPSG:4326",
                       .origin_x = 33.1, .origin_y = 54.6, .pixel_size = 0.0001, .gcps = 4 };
  g_autofree char *path = fixture ("gcps.tif", &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = sl_scene_probe (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sl_scene_get_georef (scene), ==, SL_GEOREF_GCPS);
  g_assert_cmpint (sl_scene_get_gcp_count (scene), ==, 4);
  g_assert_nonnull (sl_scene_get_crs_wkt (scene));
}

static void
assert_probe_fails (const char *path, int code, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = sl_scene_probe (path, &error);

  g_assert_null (scene);
  g_assert_error (error, SL_SCENE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_bad_files (void)
{
  SlTestImage spec = { .width = 1024, .height = 1024, .bands = 3 };
  g_autofree char *missing = g_build_filename (tmp, "nope.tif", NULL);
  g_autofree char *empty = g_build_filename (tmp, "zero.tif", NULL);
  g_autofree char *text = g_build_filename (tmp, "readme.tif", NULL);
  g_autofree char *truncated = fixture ("truncated.tif", &spec);

  assert_probe_fails (missing, SL_SCENE_ERROR_NOT_FOUND, "No such file");
  sl_test_write_bytes (empty, "", 0);
  assert_probe_fails (empty, SL_SCENE_ERROR_EMPTY, "empty");
  sl_test_write_bytes (text, "just some words, no pixels\n", 27);
  assert_probe_fails (text, SL_SCENE_ERROR_NOT_RASTER, "not a raster format");
  assert_probe_fails (tmp, SL_SCENE_ERROR_NOT_RASTER, "folder");

  /* The header and first tiles survive, the rest of the file is gone. */
  sl_test_truncate (truncated, 0.5);
  assert_probe_fails (truncated, SL_SCENE_ERROR_UNREADABLE, "damaged or truncated");
}

static void
test_parse_date (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "2022-02-21", "2022-02-21T00:00:00" },
    { "2022-02-21T08:52:11Z", "2022-02-21T08:52:11" },
    { "2022-02-21T10:52:11+02:00", "2022-02-21T08:52:11" },
    { "2022:02:21 08:52:11", "2022-02-21T08:52:11" },
    { "2022-02-21 08:52", "2022-02-21T08:52:00" },
    { " 2022-02-21T08:52:11.250Z ", "2022-02-21T08:52:11" },
  };
  const char *const bad[] = { NULL, "", "yesterday", "2022-13-45", "21/02/2022", "2022-02-21Tnoon", "0000-00-00" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) dt = sl_scene_parse_date (cases[i].in);
      g_autofree char *s = NULL;

      g_assert_nonnull (dt);
      s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
      g_assert_cmpstr (s, ==, cases[i].out);
      g_assert_cmpint (g_date_time_get_utc_offset (dt), ==, 0);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) dt = sl_scene_parse_date (bad[i]);
      g_assert_null (dt);
    }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();
  tmp = sl_test_tmpdir_new ();

  g_test_add_func ("/scene/georeferenced-16bit-nodata", test_georeferenced_16bit_nodata);
  g_test_add_func ("/scene/palette-and-press-image", test_palette_and_press_image);
  g_test_add_func ("/scene/gcps-only", test_gcps_only);
  g_test_add_func ("/scene/bad-files", test_bad_files);
  g_test_add_func ("/scene/parse-date", test_parse_date);
  ret = g_test_run ();
  sl_test_tmpdir_free (tmp);
  return ret;
}
