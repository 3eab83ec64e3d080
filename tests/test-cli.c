/* test-cli.c — sitelapse-cli as a user runs it: exit codes, messages, the demo project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo.h>
#include <gdal.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-core.h"
#include "sl-test-util.h"

static char *tmp;

#define CLI(out, err, ...) sl_test_run (out, err, sl_test_cli (), __VA_ARGS__, NULL)

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static void
test_usage (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (sl_test_run (NULL, &err, sl_test_cli (), NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Usage: sitelapse-cli COMMAND"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (NULL, &err, "frobnicate"), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command ‘frobnicate’"));
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, NULL, "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "validate"));
  g_clear_pointer (&out, g_free);

  /* Every command has --help, and missing arguments are a usage error (2). */
  for (const char *const *c = (const char *const[]) { "new", "add", "info", "validate", "demo", NULL }; *c; c++)
    {
      g_assert_cmpint (CLI (&out, NULL, *c, "--help"), ==, 0);
      g_assert_nonnull (strstr (out, "Usage:"));
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (CLI (NULL, &err, *c), ==, 2);
      g_assert_nonnull (strstr (err, "Try 'sitelapse-cli"));
      g_clear_pointer (&err, g_free);
    }
  g_assert_cmpint (CLI (NULL, &err, "info", "--bogus", "x"), ==, 2);
}

static JsonObject *
info_json (const char *project)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (CLI (&out, NULL, "info", "--json", project), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_new_add_info (void)
{
  g_autofree char *project = tmp_path ("cli.sitelapse.gpkg");
  g_autofree char *tif = tmp_path ("cli-scene.tif");
  g_autofree char *png = tmp_path ("cli-press.png");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) info = NULL;
  JsonArray *scenes;
  JsonObject *scene;
  SlTestImage geo = { .width = 128, .height = 96, .bands = 3, .crs = "EPSG:32636", .origin_x = 500000,
                      .origin_y = 6050000, .pixel_size = 0.5, .datetime = "2022:01:18 08:30:00", .seed = 11 };
  SlTestImage press = { .width = 64, .height = 64, .bands = 3, .driver = "PNG", .seed = 12 };

  sl_test_write_image (tif, &geo);
  sl_test_write_image (png, &press);

  g_assert_cmpint (CLI (&out, &err, "new", project, "--name", "Range 12"), ==, 0);
  g_assert_nonnull (strstr (out, "Created"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Creating twice fails and names the file. */
  g_assert_cmpint (CLI (NULL, &err, "new", project), ==, 1);
  g_assert_nonnull (strstr (err, project));
  g_clear_pointer (&err, g_free);

  /* Date from the TIFF tag; the press image has none and stdin is not a terminal. */
  g_assert_cmpint (CLI (&out, &err, "add", project, tif, "--credit", "Satellite image ©2022 Maxar Technologies"), ==, 0);
  g_assert_nonnull (strstr (out, "2022-01-18T08:30:00.000Z"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "add", project, png), ==, 1);
  g_assert_nonnull (strstr (err, "no acquisition date"));
  g_assert_nonnull (strstr (err, png));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "add", project, png, "--date", "last tuesday"), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "add", project, png, "--date", "2022-02-21T09:00:00Z", "--label", "Press"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  info = info_json (project);
  g_assert_cmpstr (json_object_get_string_member (info, "site"), ==, "Range 12");
  g_assert_cmpint (json_object_get_int_member (info, "srs_id"), ==, 32636);
  g_assert_cmpint (json_object_get_int_member (info, "classes"), ==, 12);
  scenes = json_object_get_array_member (info, "scenes");
  g_assert_cmpuint (json_array_get_length (scenes), ==, 2);
  scene = json_array_get_object_element (scenes, 0);
  g_assert_cmpstr (json_object_get_string_member (scene, "credit"), ==, "Satellite image ©2022 Maxar Technologies");
  g_assert_cmpstr (json_object_get_string_member (scene, "georef"), ==, "geotransform");
  g_assert_cmpstr (json_object_get_string_member (scene, "source_path"), ==, "cli-scene.tif");
  scene = json_array_get_object_element (scenes, 1);
  g_assert_cmpstr (json_object_get_string_member (scene, "label"), ==, "Press");
  g_assert_cmpstr (json_object_get_string_member (scene, "georef"), ==, "none");

  g_assert_cmpint (CLI (&out, NULL, "info", project), ==, 0);
  g_assert_nonnull (strstr (out, "WGS 84 / UTM zone 36N"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, NULL, "validate", project), ==, 0);
  g_assert_nonnull (strstr (out, "valid"));
}

static void
test_bad_input_leaves_project_unchanged (void)
{
  g_autofree char *project = tmp_path ("bad.sitelapse.gpkg");
  g_autofree char *good = tmp_path ("good.tif");
  g_autofree char *missing = tmp_path ("missing.tif");
  g_autofree char *zero = tmp_path ("zero.tif");
  g_autofree char *text = tmp_path ("text.jpg");
  g_autofree char *truncated = tmp_path ("truncated.tif");
  g_autofree char *notproject = tmp_path ("notes.sitelapse");
  SlTestImage spec = { .width = 1024, .height = 1024, .bands = 3, .seed = 21, .datetime = "2022:01:01 00:00:00" };
  const char *bad[] = { missing, zero, text, truncated };
  const char *reason[] = { "No such file", "empty", "not a raster format", "damaged or truncated" };
  g_autofree char *before = NULL;

  sl_test_write_image (good, &spec);
  spec.seed = 22;
  sl_test_write_image (truncated, &spec);
  sl_test_truncate (truncated, 0.4);
  sl_test_write_bytes (zero, "", 0);
  sl_test_write_bytes (text, "<html>not an image</html>", 25);
  sl_test_write_bytes (notproject, "PK\3\4 a zip, not a project", 26);

  g_assert_cmpint (CLI (NULL, NULL, "new", project), ==, 0);
  g_assert_cmpint (CLI (NULL, NULL, "add", project, good), ==, 0);
  before = sl_test_sha256_file (project);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *after = NULL;
      g_autoptr(JsonObject) info = NULL;

      /* A good image listed first is not added either: all or nothing. */
      g_assert_cmpint (CLI (NULL, &err, "add", project, good, bad[i]), ==, 1);
      g_test_message ("%s", err);
      g_assert_nonnull (strstr (err, bad[i]));
      g_assert_nonnull (strstr (err, reason[i]));
      info = info_json (project);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (info, "scenes")), ==, 1);
      after = sl_test_sha256_file (project);
      g_assert_cmpstr (before, ==, after);
    }

  for (const char *const *p = (const char *const[]) { missing, notproject, text, NULL }; *p; p++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (CLI (NULL, &err, "info", *p), ==, 1);
      g_assert_nonnull (strstr (err, *p));
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (CLI (NULL, &err, "validate", *p), ==, 1);
      g_assert_nonnull (strstr (err, *p));
    }

  /* A bad CRS fails and leaves no project behind. */
  {
    g_autofree char *other = tmp_path ("crs.sitelapse.gpkg");
    g_autofree char *err = NULL;

    g_assert_cmpint (CLI (NULL, &err, "new", other, "--crs", "EPSG:999999999"), ==, 1);
    g_assert_nonnull (strstr (err, "EPSG:999999999"));
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
}

static gint64
sql_int (const char *path, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static void
test_demo_project (void)
{
  g_autofree char *dir = tmp_path ("demo");
  g_autofree char *project = g_build_filename (dir, "demo.sitelapse.gpkg", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) info = NULL;
  JsonArray *scenes;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (CLI (&out, &err, "demo", dir, "--size", "256"), ==, 0);
  g_test_message ("%s", out);
  g_assert_true (g_file_test (project, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A second run refuses to overwrite without --force. */
  g_assert_cmpint (CLI (NULL, &err, "demo", dir, "--size", "256"), ==, 1);
  g_assert_nonnull (strstr (err, "--force"));
  g_clear_pointer (&err, g_free);

  info = info_json (project);
  g_assert_cmpint (json_object_get_int_member (info, "srs_id"), ==, 32636);
  scenes = json_object_get_array_member (info, "scenes");
  g_assert_cmpuint (json_array_get_length (scenes), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (scenes, 3), "georef"), ==, "none");

  /* The checks the issue names: our validator, GDAL's, ogrinfo, integrity_check. */
  g_assert_cmpint (CLI (NULL, NULL, "validate", project), ==, 0);
  g_assert_cmpint (sl_test_run (&out, &err, "/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg",
                                project, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sl_test_run (&out, &err, "ogrinfo", "-ro", "-q", project, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "annotations"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (sqlite3_open_v2 (project, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (sql_int (project, "SELECT count(*) FROM sl_scenes WHERE credit LIKE '%demo%'"), ==, 4);
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  cairo_surface_flush (surface);
  return *(guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + x * 4);
}

/* render draws what a pane shows, through the tile cache; cache warms, reports and clears the
 * tiles stored in the project. */
static void
test_render_and_cache (void)
{
  g_autofree char *dir = tmp_path ("render");
  g_autofree char *project = g_build_filename (dir, "demo.sitelapse.gpkg", NULL);
  g_autofree char *png = tmp_path ("render.png");
  g_autofree char *png2 = tmp_path ("render2.png");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *a = NULL, *b = NULL;
  cairo_surface_t *surface;

  g_assert_cmpint (CLI (NULL, NULL, "demo", dir, "--size", "512"), ==, 0);

  g_assert_cmpint (CLI (&out, &err, "render", project, "--scene", "3", "--size", "300x200",
                        "--background", "#ff00ff", "-o", png), ==, 0);
  g_test_message ("%s%s", out, err);
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 300);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 200);
  /* The square scene fits the height: imagery in the middle, the background at the sides. */
  g_assert_cmphex (pixel_at (surface, 150, 100), !=, 0xffff00ff);
  g_assert_cmphex (pixel_at (surface, 150, 100) >> 24, ==, 0xff);
  g_assert_cmphex (pixel_at (surface, 5, 100), ==, 0xffff00ff);
  g_assert_cmphex (pixel_at (surface, 294, 100), ==, 0xffff00ff);
  cairo_surface_destroy (surface);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The second render comes from the tiles the first stored (JPEG: within a few levels), and
   * every later one is the same, pixel for pixel. */
  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--scene", "3", "--size", "300x200",
                        "--background", "#ff00ff", "-o", png2), ==, 0);
  {
    cairo_surface_t *first = cairo_image_surface_create_from_png (png);
    cairo_surface_t *second = cairo_image_surface_create_from_png (png2);
    double total = 0;

    for (int y = 0; y < 200; y++)
      for (int x = 0; x < 300; x++)
        for (int shift = 0; shift < 32; shift += 8)
          total += ABS ((int) ((pixel_at (first, x, y) >> shift) & 0xff) - (int) ((pixel_at (second, x, y) >> shift) & 0xff));
    g_assert_cmpfloat (total / (300 * 200 * 4), <, 4.0);
    cairo_surface_destroy (first);
    cairo_surface_destroy (second);
  }
  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--scene", "3", "--size", "300x200",
                        "--background", "#ff00ff", "-o", png), ==, 0);
  a = sl_test_sha256_file (png);
  b = sl_test_sha256_file (png2);
  g_assert_cmpstr (a, ==, b);

  g_assert_cmpint (CLI (&out, NULL, "cache", project, "--warm", "--scene", "1"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, NULL, "cache", project, "--stats", "--json"), ==, 0);
  g_assert_nonnull (strstr (out, "\"scene\" : 1"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (NULL, NULL, "cache", project, "--clear"), ==, 0);
  g_assert_cmpint (CLI (&out, NULL, "cache", project, "--stats"), ==, 0);
  g_assert_true (g_regex_match_simple ("all +0 ", out, G_REGEX_MULTILINE, 0));
  g_clear_pointer (&out, g_free);

  /* Bad usage and bad input. */
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--size", "huge", "-o", png), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "-o", "out.tiff"), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--scene", "99", "-o", png), ==, 1);
  g_assert_nonnull (strstr (err, "no scene 99"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "cache", project, "--warm", "--clear"), ==, 2);
}

/* counts: a project tagged through the core, counted by the CLI in its three formats. */
static void
test_counts (void)
{
  static const char *const dates[] = { "2022-01-18T08:30:00Z", "2022-02-01T08:30:00Z", "2022-02-21T08:30:00Z" };
  /* tank, truck per date */
  static const guint tanks[] = { 3, 0, 2 }, trucks[] = { 1, 1, 0 };
  g_autofree char *project_path = tmp_path ("counts.sitelapse.gpkg");
  g_autofree char *missing = tmp_path ("no-such.sitelapse");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(SlClass) decoy = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonObject *root;
  JsonArray *counts;

  g_assert_cmpint (CLI (NULL, NULL, "new", project_path), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *name = g_strdup_printf ("counts-%u.tif", i);
      g_autofree char *tif = tmp_path (name);
      SlTestImage spec = { .width = 32, .height = 32, .bands = 3, .crs = "EPSG:32636", .origin_x = 500000,
                           .origin_y = 6050000, .pixel_size = 0.5, .seed = 40 + i };

      sl_test_write_image (tif, &spec);
      g_assert_cmpint (CLI (NULL, NULL, "add", project_path, tif, "--date", dates[i]), ==, 0);
    }

  project = sl_project_open (project_path, &error);
  g_assert_no_error (error);
  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  decoy = sl_class_set_add (classes, "Decoy, inflatable", NULL, &error);
  g_assert_no_error (error);
  scenes = sl_project_list_scenes (project, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < scenes->len; s++)
    for (guint n = 0; n < tanks[s] + trucks[s]; n++)
      {
        SlPoint p = { 500001 + n, 6049990 };
        g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

        a->scene_id = sl_scene_get_id (scenes->pdata[s]);
        a->class_id = n < tanks[s] ? 1 : 7;
        g_assert_true (sl_annotation_store_add (store, a, &error));
        g_assert_no_error (error);
      }
  sl_project_close (project);

  /* Text: ISO date columns, every class (zeros too), totals and the change. */
  g_assert_cmpint (CLI (&out, &err, "counts", project_path), ==, 0);
  g_assert_true (g_regex_match_simple ("^Class +2022-01-18  2022-02-01  2022-02-21$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Tank +3 +0 +2$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Truck +1 +1 +0$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Helicopter +0 +0 +0$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Total +4 +1 +2$", out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Change from previous +– +-3 +\\+1$", out, G_REGEX_MULTILINE, 0));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* CSV: a header row, one row per class (quoted where needed), then totals. */
  g_assert_cmpint (CLI (&out, &err, "counts", project_path, "--csv"), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 13 + 2 + 1);
  g_assert_cmpstr (lines[0], ==, "class,2022-01-18,2022-02-01,2022-02-21");
  g_assert_cmpstr (lines[1], ==, "Tank,3,0,2");
  g_assert_cmpstr (lines[7], ==, "Truck,1,1,0");
  g_assert_cmpstr (lines[13], ==, "\"Decoy, inflatable\",0,0,0");
  g_assert_cmpstr (lines[14], ==, "Total,4,1,2");
  g_assert_cmpstr (lines[15], ==, "Change from previous,,-3,1");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* JSON: {classes, dates, counts[class][date]}. */
  g_assert_cmpint (CLI (&out, &err, "counts", project_path, "--json"), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "classes")), ==, 13);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "classes"), 12), ==,
                   "Decoy, inflatable");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (root, "dates"), 2), ==, "2022-02-21");
  counts = json_object_get_array_member (root, "counts");
  g_assert_cmpuint (json_array_get_length (counts), ==, 13);
  for (guint s = 0; s < 3; s++)
    {
      g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (counts, 0), s), ==, tanks[s]);
      g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (counts, 6), s), ==, trucks[s]);
      g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (root, "totals"), s), ==,
                       tanks[s] + trucks[s]);
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Exit codes: 1 for a file that is not there (named), 2 for bad usage. */
  g_assert_cmpint (CLI (NULL, &err, "counts", missing), ==, 1);
  g_assert_nonnull (strstr (err, missing));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "counts"), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "counts", project_path, "--csv", "--json"), ==, 2);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();
  tmp = sl_test_tmpdir_new ();

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/new-add-info", test_new_add_info);
  g_test_add_func ("/cli/bad-input-leaves-project-unchanged", test_bad_input_leaves_project_unchanged);
  g_test_add_func ("/cli/demo-project", test_demo_project);
  g_test_add_func ("/cli/render-and-cache", test_render_and_cache);
  g_test_add_func ("/cli/counts", test_counts);
  ret = g_test_run ();
  sl_test_tmpdir_free (tmp);
  return ret;
}
