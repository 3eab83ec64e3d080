/* test-registration-cli.c — sitelapse-cli register on the demo project: points files, --auto, exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <json-glib/json-glib.h>

#include "sl-core.h"
#include "sl-test-util.h"

#define CLI(out, err, ...) sl_test_run (out, err, sl_test_cli (), __VA_ARGS__, NULL)
#define SIZE "1024"

static char *tmp, *project;
static double truth[6], geo[6];   /* press pixel → source pixel, press pixel → map */
static int press_size;

static void
load_truth (void)
{
  g_autofree char *path = g_build_filename (tmp, "2022-02-21_press.truth.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < 6; i++)
    {
      truth[i] = json_array_get_double_element (json_object_get_array_member (root, "transform"), i);
      geo[i] = json_array_get_double_element (json_object_get_array_member (root, "geo_transform"), i);
    }
  press_size = (int) json_object_get_int_member (root, "width");
}

static JsonObject *
parse_object (JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The press image's truth as tie points: CSV in pixels, and QGIS's .points in map units. */
static void
write_points (const char *csv, const char *qgis, guint n)
{
  g_autoptr(GString) a = g_string_new ("image_x,image_y,ref_x,ref_y,enabled\n");
  g_autoptr(GString) b = g_string_new ("#CRS: EPSG:32636\nmapX,mapY,sourceX,sourceY,enable,dX,dY,residual\n");

  for (guint i = 0; i < n; i++)
    {
      double x = press_size * (0.1 + 0.8 * (i % 3) / 2.0) + 7 * i, y = press_size * (0.1 + 0.8 * (i / 3) / 2.0);

      g_string_append_printf (a, "%.6f,%.6f,%.6f,%.6f,1\n", x, y,
                              truth[0] + truth[1] * x + truth[2] * y, truth[3] + truth[4] * x + truth[5] * y);
      g_string_append_printf (b, "%.6f,%.6f,%.6f,%.6f,1,0,0,0\n",
                              geo[0] + geo[1] * x + geo[2] * y, geo[3] + geo[4] * x + geo[5] * y, x, -y);
    }
  g_assert_true (g_file_set_contents (csv, a->str, -1, NULL));
  g_assert_true (g_file_set_contents (qgis, b->str, -1, NULL));
}

static void
test_points (void)
{
  g_autofree char *csv = g_build_filename (tmp, "points.csv", NULL);
  g_autofree char *qgis = g_build_filename (tmp, "press.jpg.points", NULL);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  write_points (csv, qgis, 6);
  g_assert_cmpint (CLI (&out, &err, "register", project, "4", "--reference", "3", "--points", csv), ==, 0);
  g_assert_nonnull (strstr (out, "affine transform, 6 of 6 tie points enabled"));
  g_assert_nonnull (strstr (out, "RMS: 0.000 reference px, 0.000 image px, 0.000 map units"));

  /* QGIS's file, in map coordinates with the source's y negative, gives the same points. */
  g_assert_cmpint (CLI (&out2, &err2, "register", project, "Press image — 21 Feb 2022", "--reference",
                        "Training area — 21 Feb 2022", "--points", qgis, "--transform", "projective", "--json"), ==, 0);
  root = parse_object (parser, out2);
  g_assert_cmpstr (json_object_get_string_member (root, "transform"), ==, "projective");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "points")), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (root, "rms"), <, 1e-3);
  g_assert_cmpfloat (json_object_get_double_member (root, "rms_image"), <, 1e-3);
  g_assert_true (json_object_has_member (root, "registration"));
}

static void
test_auto_exports (void)
{
  g_autofree char *vrt = g_build_filename (tmp, "press.vrt", NULL);
  g_autofree char *copy = g_build_filename (tmp, "copy.jpg", NULL);
  g_autofree char *jgw = g_build_filename (tmp, "copy.jgw", NULL);
  g_autofree char *press = g_build_filename (tmp, "2022-02-21_press.jpg", NULL);
  g_autofree char *out = NULL, *err = NULL, *bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  JsonObject *root, *automatic;
  double gt[6];
  GDALDatasetH ds;

  g_assert_true (g_file_get_contents (press, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, NULL));
  g_assert_cmpint (CLI (&out, &err, "register", project, "4", "--reference", "3", "--auto", "--json",
                        "--vrt", vrt, "--world-file", jgw), ==, 0);
  root = parse_object (parser, out);
  automatic = json_object_get_object_member (root, "automatic");
  g_assert_cmpfloat (json_object_get_double_member (automatic, "peak_ratio"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (automatic, "n_inliers"), >=, 20);
  g_assert_cmpfloat (json_object_get_double_member (root, "rms_image"), <, 1);

  /* Both files place the press image where the truth says, to within 2 pixels (1 m) everywhere. */
  for (int pass = 0; pass < 2; pass++)
    {
      ds = GDALOpen (pass == 0 ? vrt : copy, GA_ReadOnly);
      g_assert_nonnull (ds);
      g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
      if (pass == 0)
        g_assert_nonnull (strstr (GDALGetProjectionRef (ds), "UTM zone 36N"));
      GDALClose (ds);
      for (int k = 0; k < 5; k++)
        {
          double x = k == 4 ? press_size / 2.0 : (k & 1) * press_size, y = k == 4 ? press_size / 2.0 : (k / 2) * press_size;
          double ex = gt[0] + gt[1] * x + gt[2] * y - (geo[0] + geo[1] * x + geo[2] * y);
          double ey = gt[3] + gt[4] * x + gt[5] * y - (geo[3] + geo[4] * x + geo[5] * y);

          g_assert_cmpfloat (hypot (ex, ey) / hypot (geo[1], geo[2]), <, 2);
        }
    }
}

static void
test_errors (void)
{
  g_autofree char *csv = g_build_filename (tmp, "two.csv", NULL);
  g_autofree char *jgw = g_build_filename (tmp, "never.jgw", NULL);
  g_autofree char *all = g_build_filename (tmp, "six.csv", NULL);
  g_autofree char *all_qgis = g_build_filename (tmp, "six.points", NULL);
  struct { int code; const char *message; const char *args[10]; } cases[] = {
    { 2, "either --points FILE or --auto", { "4", "--reference", "3", NULL } },
    { 2, "either --points FILE or --auto", { "4", "--reference", "3", "--auto", "--points", csv, NULL } },
    { 2, "--reference SCENE is required", { "4", "--auto", NULL } },
    { 2, "unknown transform ‘warp’", { "4", "--reference", "3", "--auto", "--transform", "warp", NULL } },
    { 2, "the same scene", { "3", "--reference", "3", "--auto", NULL } },
    { 1, "matches 2 scenes", { "4", "--reference", "2022-02-21", "--auto", NULL } },
    { 1, "has no scene ‘nowhere’", { "nowhere", "--reference", "3", "--auto", NULL } },
    { 1, "An affine transform needs at least 3 tie points; 2 are enabled", { "4", "--reference", "3", "--points", csv, NULL } },
    { 1, "projective transform needs a VRT", { "4", "--reference", "3", "--points", all, "--transform", "projective", "--world-file", jgw, NULL } },
  };

  g_assert_true (g_file_set_contents (csv, "10,10,20,20\n100,50,200,100\n", -1, NULL));
  write_points (all, all_qgis, 6);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      const char **a = cases[i].args;
      int code;

      code = sl_test_run (&out, &err, sl_test_cli (), "register", project, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7],
                          a[8], a[9], NULL);
      g_test_message ("%s", err);
      g_assert_cmpint (code, ==, cases[i].code);
      g_assert_nonnull (strstr (err, cases[i].message));
    }
  g_assert_false (g_file_test (jgw, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL, *err = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();
  tmp = sl_test_tmpdir_new ();
  g_assert_cmpint (CLI (&out, &err, "demo", "--size", SIZE, tmp), ==, 0);
  project = g_build_filename (tmp, "demo.sitelapse.gpkg", NULL);
  load_truth ();

  g_test_add_func ("/registration-cli/points", test_points);
  g_test_add_func ("/registration-cli/auto-exports", test_auto_exports);
  g_test_add_func ("/registration-cli/errors", test_errors);
  {
    int status = g_test_run ();

    g_free (project);
    sl_test_tmpdir_free (tmp);
    return status;
  }
}
