/* test-project.c — the project file: a valid GeoPackage, scenes, CRS, bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-gpkg-functions.h"
#include "sl-gpkg-geometry.h"
#include "sl-project.h"
#include "sl-test-util.h"
#include "sl-tile-codec.h"
#include "sl-tile-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse.gpkg", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static char *
make_scene_file (Fixture *f, const char *name, const char *crs, double origin_x, guint32 seed)
{
  char *path = g_build_filename (f->dir, name, NULL);
  SlTestImage spec = { .width = 96, .height = 64, .bands = 3, .crs = crs,
                       .origin_x = origin_x, .origin_y = 6050000, .pixel_size = 0.5, .seed = seed };

  if (crs == NULL && g_str_has_suffix (name, ".png"))
    spec.driver = "PNG";
  sl_test_write_image (path, &spec);
  return path;
}

static SlScene *
add_scene (SlProject *project, const char *path, const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = sl_scene_probe (path, &error);
  g_autoptr(GDateTime) when = sl_scene_parse_date (date);
  SlScene *stored;

  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (project, probe, &error);
  g_assert_no_error (error);
  return stored;
}

static gint64
sql_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 v;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return v;
}

static void
test_create_is_valid_geopackage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, "Training area", &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = NULL;
  g_autofree char *out = NULL, *err = NULL;
  GDALDatasetH ds;
  OGRLayerH layer;
  int status;

  g_assert_no_error (error);
  g_assert_nonnull (project);
  name = sl_project_dup_name (project);
  g_assert_cmpstr (name, ==, "Training area");
  g_assert_cmpint (sl_project_get_srs_id (project), ==, -1);
  g_assert_cmpuint (sl_project_count_classes (project), ==, 12);
  g_assert_cmpuint (sl_project_count_annotations (project), ==, 0);
  g_assert_true (sl_project_validate (project, problems));
  g_assert_cmpuint (problems->len, ==, 0);
  sl_project_close (project);

  /* GDAL's own GeoPackage validator, as a user would run it. */
  status = sl_test_run (&out, &err, "/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", f->path, NULL);
  if (status != 0)
    g_test_message ("validate_gpkg: %s %s", out, err);
  g_assert_cmpint (status, ==, 0);

  /* OGR sees the annotations layer with its spatial index. */
  ds = GDALOpenEx (f->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayerByName (ds, "annotations");
  g_assert_nonnull (layer);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, 0);
  g_assert_cmpstr (OGR_L_GetGeometryColumn (layer), ==, "geom");
  g_assert_true (OGR_L_TestCapability (layer, OLCFastSpatialFilter));
  GDALClose (ds);
}

static void
test_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) created = sl_project_create (f->path, NULL, &error);
  g_autoptr(SlProject) opened = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_clear_object (&created);

  opened = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  name = sl_project_dup_name (opened);
  g_assert_cmpstr (name, ==, "site");   /* default: the file name */
  g_assert_cmpint (sl_project_get_schema_version (opened), ==, SL_PROJECT_SCHEMA_VERSION);
  g_assert_true (sl_project_set_name (opened, "Renamed", &error));
  g_clear_object (&opened);

  opened = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_free (name);
  name = sl_project_dup_name (opened);
  g_assert_cmpstr (name, ==, "Renamed");
}

static void
assert_open_fails (const char *path, int code, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_file_test (path, G_FILE_TEST_IS_REGULAR) ? sl_test_sha256_file (path) : NULL;
  g_autoptr(SlProject) project = sl_project_open (path, &error);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_assert_null (project);
  g_assert_error (error, SL_PROJECT_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, words));
  /* The file is exactly as it was. */
  if (before)
    {
      g_autofree char *after = sl_test_sha256_file (path);
      g_assert_cmpstr (before, ==, after);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
}

static void
test_bad_files (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.sitelapse", NULL);
  g_autofree char *text = g_build_filename (f->dir, "notes.sitelapse", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "empty.sitelapse", NULL);
  g_autofree char *plain = g_build_filename (f->dir, "plain.sqlite", NULL);
  g_autofree char *foreign = g_build_filename (f->dir, "buildings.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  GDALDatasetH ds;

  assert_open_fails (missing, SL_PROJECT_ERROR_NOT_FOUND, "No such file");

  sl_test_write_bytes (text, "hello, this is not a database\n", 30);
  assert_open_fails (text, SL_PROJECT_ERROR_NOT_GEOPACKAGE, "not an SQLite database");

  sl_test_write_bytes (empty, "", 0);
  assert_open_fails (empty, SL_PROJECT_ERROR_NOT_GEOPACKAGE, "empty");

  g_assert_cmpint (sqlite3_open (plain, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_open_fails (plain, SL_PROJECT_ERROR_NOT_GEOPACKAGE, "not a GeoPackage");

  /* A GeoPackage from another program (made by GDAL, as QGIS would). */
  ds = GDALCreate (GDALGetDriverByName ("GPKG"), foreign, 0, 0, 0, GDT_Unknown, NULL);
  g_assert_nonnull (ds);
  g_assert_nonnull (GDALDatasetCreateLayer (ds, "buildings", NULL, wkbPolygon, NULL));
  GDALClose (ds);
  assert_open_fails (foreign, SL_PROJECT_ERROR_NOT_PROJECT, "not a Sitelapse project");

  /* Creating over an existing file refuses and leaves it alone. */
  g_assert_null (sl_project_create (text, NULL, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_EXISTS);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&project);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sl_meta SET value = '99' WHERE key = 'schema_version';"
                                     "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_open_fails (f->path, SL_PROJECT_ERROR_NEWER_SCHEMA, "newer Sitelapse");
}

static void
test_scenes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *utm36 = make_scene_file (f, "b-utm36.tif", "EPSG:32636", 500000, 1);
  g_autofree char *utm37 = make_scene_file (f, "a-utm37.tif", "EPSG:32637", 300000, 2);
  g_autofree char *press = make_scene_file (f, "press.png", NULL, 0, 3);
  g_autoptr(SlScene) s1 = NULL, s2 = NULL, s3 = NULL, dup = NULL, probe = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *crs_name = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint n_signals = 0;

  g_assert_no_error (error);
  g_signal_connect_swapped (project, "scenes-changed", G_CALLBACK (g_atomic_int_inc), &n_signals);

  /* The first georeferenced scene sets the site CRS; another zone is accepted. */
  s1 = add_scene (project, utm36, "2022-02-21T08:52:11Z");
  g_assert_cmpint (sl_project_get_srs_id (project), ==, 32636);
  s2 = add_scene (project, utm37, "2022-01-18");
  g_assert_cmpint (sl_project_get_srs_id (project), ==, 32636);
  s3 = add_scene (project, press, "2022-02-06T10:00:00+02:00");
  g_assert_cmpuint (n_signals, ==, 3);
  crs_name = sl_project_dup_crs_name (project);
  g_assert_cmpstr (crs_name, ==, "WGS 84 / UTM zone 36N");

  /* Placement on the site grid: by geotransform in the site CRS, warped from another zone,
   * and by its pixels at the site's resolution, centred, for the press image. */
  {
    g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (project);
    double t[6], gt[6], ax, ay, half;

    g_assert_nonnull (grid);
    g_assert_nonnull (sl_site_grid_get_crs_wkt (grid));
    g_assert_cmpint (sl_site_grid_get_max_zoom (grid), ==, SL_SITE_GRID_BASE_LEVELS);
    g_assert_true (sl_scene_get_pixel_to_site (s1, t));
    g_assert_true (sl_scene_get_geotransform (s1, gt));
    g_assert_cmpmem (t, sizeof t, gt, sizeof gt);
    g_assert_true (sl_scene_is_registered (s1));
    g_assert_false (sl_scene_get_pixel_to_site (s2, NULL));
    g_assert_true (sl_scene_get_pixel_to_site (s3, t));
    g_assert_false (sl_scene_is_registered (s3));
    g_assert_cmpfloat (t[1], ==, 0.5);
    g_assert_cmpfloat (t[5], ==, -0.5);
    sl_site_grid_get_anchor (grid, &ax, &ay);
    half = sl_site_grid_get_resolution (grid, 0) * SL_TILE_SIZE / 2;
    /* Centred on the founding scene (s1: 96 × 64 at 0.5 m from 500000, 6050000). */
    g_assert_cmpfloat_with_epsilon (t[0] + 96 * 0.5 / 2, 500000 + 96 * 0.5 / 2, 1e-6);
    g_assert_cmpfloat_with_epsilon (t[3] - 64 * 0.5 / 2, 6050000 - 64 * 0.5 / 2, 1e-6);
    /* Zoom 0 is centred on the founding scene's top-left corner, so its pixels and blocks
     * fall on tile edges. */
    g_assert_cmpfloat_with_epsilon (ax + half, 500000, 1e-6);
    g_assert_cmpfloat_with_epsilon (ay - half, 6050000, 1e-6);
    /* Defaults: 8-bit RGB is shown as it is. */
    g_assert_nonnull (sl_scene_get_render_params (s1));
    g_assert_cmpint (sl_scene_get_render_params (s1)->mode, ==, SL_STRETCH_NONE);
  }

  /* Stored relative to the project, resolved back to the file. */
  g_assert_cmpstr (sl_scene_get_source_path (s1), ==, "b-utm36.tif");
  resolved = sl_project_resolve_source (project, s1);
  g_assert_cmpstr (resolved, ==, utm36);
  g_assert_cmpint (sl_scene_get_georef (s3), ==, SL_GEOREF_NONE);
  g_assert_cmpint (sl_scene_get_width (s1), ==, 96);
  g_assert_cmpint (sl_scene_get_band_count (s1), ==, 3);
  g_assert_cmpstr (sl_scene_get_data_type (s1), ==, "Byte");
  g_assert_cmpuint (strlen (sl_scene_get_sha256 (s1)), ==, 64);

  /* Listed by date, not by insertion order; time zones normalised to UTC. */
  scenes = sl_project_list_scenes (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scenes->len, ==, 3);
  g_assert_cmpint (sl_scene_get_id (scenes->pdata[0]), ==, sl_scene_get_id (s2));
  g_assert_cmpint (sl_scene_get_id (scenes->pdata[1]), ==, sl_scene_get_id (s3));
  g_assert_cmpint (sl_scene_get_id (scenes->pdata[2]), ==, sl_scene_get_id (s1));
  g_assert_cmpint (g_date_time_get_hour (sl_scene_get_acquired (scenes->pdata[1])), ==, 8);

  /* The same image twice is refused, the project unchanged. */
  probe = sl_scene_probe (utm36, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GDateTime) when = sl_scene_parse_date ("2023-01-01");
    sl_scene_set_acquired (probe, when);
  }
  dup = sl_project_add_scene (project, probe, &error);
  g_assert_null (dup);
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_DUPLICATE_SCENE);
  g_clear_error (&error);
  g_clear_pointer (&scenes, g_ptr_array_unref);
  scenes = sl_project_list_scenes (project, &error);
  g_assert_cmpuint (scenes->len, ==, 3);

  /* Editing provenance in place. */
  sl_scene_set_credit (s3, "Satellite image ©2022 Maxar Technologies");
  sl_scene_set_label (s3, "Press release");
  g_assert_true (sl_project_update_scene (project, s3, &error));
  g_assert_no_error (error);
  g_clear_object (&probe);
  probe = sl_project_get_scene (project, sl_scene_get_id (s3), &error);
  g_assert_cmpstr (sl_scene_get_credit (probe), ==, "Satellite image ©2022 Maxar Technologies");
  g_assert_cmpstr (sl_scene_get_label (probe), ==, "Press release");

  g_assert_true (sl_project_remove_scene (project, sl_scene_get_id (s2), &error));
  g_assert_false (sl_project_remove_scene (project, sl_scene_get_id (s2), &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sl_project_validate (project, problems));
}

static void
test_scene_without_date_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *press = make_scene_file (f, "press.png", NULL, 0, 9);
  g_autoptr(SlScene) probe = sl_scene_probe (press, &error);
  g_autoptr(GPtrArray) scenes = NULL;

  g_assert_no_error (error);
  g_assert_null (sl_scene_get_acquired (probe));
  g_assert_null (sl_project_add_scene (project, probe, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NO_DATE);
  g_assert_nonnull (strstr (error->message, press));
  scenes = sl_project_list_scenes (project, NULL);
  g_assert_cmpuint (scenes->len, ==, 0);
}

static GBytes *
polygon_blob (gint32 srs, double x, double y, double w)
{
  g_autofree char *wkt = g_strdup_printf ("POLYGON ((%.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f))",
                                          x, y, x + w, y, x + w, y + w, x, y);
  OGRGeometryH geom = NULL;
  char *p = wkt;
  gsize len;
  g_autofree guint8 *wkb = NULL;

  g_assert_cmpint (OGR_G_CreateFromWkt (&p, NULL, &geom), ==, OGRERR_NONE);
  len = OGR_G_WkbSize (geom);
  wkb = g_malloc (len);
  OGR_G_ExportToIsoWkb (geom, wkbNDR, wkb);
  OGR_G_DestroyGeometry (geom);
  return sl_gpkg_blob_from_wkb (srs, wkb, len);
}

/* The R-tree triggers run our ST_* functions on every write, from any connection that
 * registered them; GDAL then reads the features through the index. */
static void
test_rtree_triggers (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *tif = make_scene_file (f, "s.tif", "EPSG:32636", 500000, 4);
  g_autoptr(SlScene) scene = add_scene (project, tif, "2022-01-18");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) blob = polygon_blob (32636, 500010, 6049990, 7);
  g_autoptr(GBytes) moved = polygon_blob (32636, 500020, 6049980, 3);
  g_autofree char *sql = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GDALDatasetH ds;
  OGRLayerH layer;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sl_gpkg_register_functions (db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO annotations (geom, scene_id, acquired, class_id, kind, created, updated)"
                         " VALUES (?, %" G_GINT64_FORMAT ", '2022-01-18T00:00:00.000Z', 1, 'box',"
                         " '2022-01-18T00:00:00.000Z', '2022-01-18T00:00:00.000Z')", sl_scene_get_id (scene));
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM rtree_annotations_geom WHERE minx = 500010 AND maxy = 6049997"), ==, 1);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE annotations SET geom = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (moved, NULL), g_bytes_get_size (moved), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM rtree_annotations_geom WHERE minx = 500020 AND maxx = 500023"), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM rtree_annotations_geom"), ==, 1);
  sqlite3_close (db);

  g_assert_true (sl_project_validate (project, problems));
  g_assert_cmpuint (sl_project_count_annotations (project), ==, 1);
  g_clear_object (&project);

  ds = GDALOpenEx (f->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  layer = GDALDatasetGetLayerByName (ds, "annotations");
  OGR_L_SetSpatialFilterRect (layer, 500019, 6049979, 500024, 6049984);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, 1);
  OGR_L_SetSpatialFilterRect (layer, 500000, 6049000, 500005, 6049005);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, 0);
  GDALClose (ds);

  /* Deleting the scene removes its annotations and their index entries. */
  project = sl_project_open (f->path, &error);
  g_assert_true (sl_project_remove_scene (project, sl_scene_get_id (scene), &error));
  g_assert_cmpuint (sl_project_count_annotations (project), ==, 0);
  g_ptr_array_set_size (problems, 0);
  g_assert_true (sl_project_validate (project, problems));
}

static void
test_validate_finds_damage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;

  g_assert_no_error (error);
  sl_project_close (project);
  g_clear_object (&project);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER rtree_annotations_geom_delete;"
                                     "INSERT INTO rtree_annotations_geom VALUES (77, 0, 1, 0, 1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (sl_project_validate (project, problems));
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_nonnull (strstr (problems->pdata[0], "rtree_annotations_geom_delete"));
  g_assert_nonnull (strstr (problems->pdata[1], "77"));
  /* The date-aware index was not given the stray entry. */
  g_assert_nonnull (strstr (problems->pdata[2], "the date index holds 0 annotations, the spatial index 1"));
}

static void
on_render_changed (SlProject *project, gint64 scene_id, gint64 *seen)
{
  *seen = scene_id;
}

static void
test_render_params_and_grid (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *press = g_build_filename (f->dir, "press.png", NULL);
  g_autofree char *fine = g_build_filename (f->dir, "fine.tif", NULL);
  SlTestImage png = { .width = 80, .height = 60, .bands = 1, .driver = "PNG", .seed = 5 };
  SlTestImage tif = { .width = 64, .height = 64, .bands = 1, .data_type = "UInt16", .crs = "EPSG:32636",
                      .origin_x = 500000, .origin_y = 6050000, .pixel_size = 0.25, .seed = 6 };
  g_autoptr(SlScene) a = NULL, b = NULL, again = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  gint64 seen = 0;
  double t[6];

  sl_test_write_image (press, &png);
  sl_test_write_image (fine, &tif);

  /* A press image alone founds a grid in its own pixel space. */
  a = add_scene (project, press, "2022-01-01");
  grid = sl_project_dup_site_grid (project);
  g_assert_null (sl_site_grid_get_crs_wkt (grid));
  g_assert_true (sl_scene_get_pixel_to_site (a, t));
  g_assert_cmpfloat (t[0], ==, 0);
  g_assert_cmpfloat (t[5], ==, -1);
  g_assert_true (sl_render_params_is_grey (sl_scene_get_render_params (a)));

  /* The first georeferenced scene re-founds it in the site CRS (no annotations yet), at its
   * finer resolution, and the press image moves to the middle at that resolution. */
  b = add_scene (project, fine, "2022-01-02");
  g_clear_pointer (&grid, sl_site_grid_unref);
  grid = sl_project_dup_site_grid (project);
  g_assert_nonnull (sl_site_grid_get_crs_wkt (grid));
  g_assert_cmpfloat (sl_site_grid_get_resolution (grid, sl_site_grid_get_max_zoom (grid)), ==, 0.25);
  again = sl_project_get_scene (project, sl_scene_get_id (a), &error);
  g_assert_true (sl_scene_get_pixel_to_site (again, t));
  g_assert_cmpfloat (t[1], ==, 0.25);
  g_assert_cmpuint (sl_scene_get_render_generation (again), ==, 1);

  /* 16-bit gets a percentile stretch, not yet resolved; changing it bumps the generation. */
  params = sl_render_params_copy (sl_scene_get_render_params (b));
  g_assert_cmpint (params->mode, ==, SL_STRETCH_PERCENTILE);
  g_assert_false (params->resolved);
  params->mode = SL_STRETCH_MANUAL;
  params->low[0] = params->low[1] = params->low[2] = 100;
  params->high[0] = params->high[1] = params->high[2] = 4000;
  params->resolved = TRUE;
  g_signal_connect (project, "scene-render-changed", G_CALLBACK (on_render_changed), &seen);
  g_assert_true (sl_project_set_render_params (project, sl_scene_get_id (b), params, &error));
  g_assert_cmpint (seen, ==, sl_scene_get_id (b));
  g_clear_object (&again);
  again = sl_project_get_scene (project, sl_scene_get_id (b), &error);
  g_assert_cmpuint (sl_scene_get_render_generation (again), ==, sl_scene_get_render_generation (b) + 1);
  g_assert_true (sl_render_params_equal (sl_scene_get_render_params (again), params));
  g_assert_false (sl_project_set_render_params (project, 999, params, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND);
}

/* Removing a scene removes its stored display tiles too, and the file stays a valid GeoPackage. */
static void
test_remove_scene_drops_tiles (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *tif = make_scene_file (f, "s.tif", "EPSG:32636", 500000, 8);
  g_autoptr(SlScene) scene = add_scene (project, tif, "2022-01-18");
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (project);
  g_autoptr(SlTileStore) store = sl_tile_store_new (f->path, &error);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GBytes) blob = NULL;
  guint8 argb[SL_TILE_BYTES] = { 0 };
  SlTileKey key = { sl_scene_get_id (scene), sl_scene_get_render_generation (scene), 3, 1, 2 };
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_true (sl_tile_store_ensure_scene (store, key.scene_id, key.generation, grid, &error));
  blob = sl_tile_codec_encode (argb, SL_TILE_CONTENT_EMPTY, &error);
  sl_tile_store_write (store, &key, blob);
  sl_tile_store_flush (store);
  g_clear_object (&store);

  g_assert_true (sl_project_remove_scene (project, key.scene_id, &error));
  g_assert_true (sl_project_validate (project, problems));
  g_clear_object (&project);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sl_tiles_%'"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM gpkg_contents WHERE data_type = 'tiles'"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM gpkg_tile_matrix"), ==, 0);
  sqlite3_close (db);
}

static void
test_set_crs (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *wkt = NULL;

  g_assert_true (sl_project_set_crs (project, "EPSG:3857", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_project_get_srs_id (project), ==, 3857);
  wkt = sl_project_dup_crs_wkt (project);
  g_assert_nonnull (strstr (wkt, "Pseudo-Mercator"));

  /* A custom CRS (no EPSG code) gets an id of its own. */
  g_assert_true (sl_project_set_crs (project, "+proj=laea +lat_0=54.5 +lon_0=33 +datum=WGS84 +units=m", &error));
  g_assert_cmpint (sl_project_get_srs_id (project), >=, 100000);

  g_assert_false (sl_project_set_crs (project, "EPSG:999999999", &error));
  g_assert_nonnull (error);
}

/* Sets a stored file back to how schema 1 looked: @drop_visible removes sl_scenes.visible
 * (the shape the migration must add it to); without, the column stays, as schema 1 declared it. */
static void
downgrade_to_v1 (const char *path, gboolean drop_visible)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (drop_visible)
    g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE sl_scenes DROP COLUMN visible", NULL, NULL, NULL), ==, SQLITE_OK);
  /* What schema 3 added (see sl-project-schema.c). */
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER sl_annotations_by_scene_insert;"
                                     "DROP TRIGGER sl_annotations_by_scene_update;"
                                     "DROP TRIGGER sl_annotations_by_scene_delete;"
                                     "DROP TRIGGER sl_annotation_counts_insert;"
                                     "DROP TRIGGER sl_annotation_counts_update;"
                                     "DROP TRIGGER sl_annotation_counts_delete;"
                                     "DROP TABLE sl_annotations_by_scene; DROP TABLE sl_annotation_counts;"
                                     "ALTER TABLE annotations DROP COLUMN hidden;"
                                     "ALTER TABLE annotations DROP COLUMN locked;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sl_meta SET value = '1' WHERE key = 'schema_version';"
                                     "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gint64
file_sql_int (const char *path, const char *sql)
{
  sqlite3 *db;
  gint64 v;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  v = sql_int (db, sql);
  sqlite3_close (db);
  return v;
}

static void
assert_valid (SlProject *project)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  gboolean valid = sl_project_validate (project, problems);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (valid);
}

static void
test_scene_visibility (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *a_path = make_scene_file (f, "a.tif", "EPSG:32636", 500000, 11);
  g_autofree char *b_path = make_scene_file (f, "b.tif", "EPSG:32636", 500000, 12);
  g_autoptr(SlScene) a = NULL, b = NULL, probe = NULL, again = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  guint n_signals = 0;

  g_assert_no_error (error);
  a = add_scene (project, a_path, "2022-02-20T09:00:00Z");
  g_assert_true (sl_scene_get_visible (a));

  /* A scene hidden before it is added is stored hidden. */
  probe = sl_scene_probe (b_path, &error);
  g_assert_no_error (error);
  g_assert_true (sl_scene_get_visible (probe));
  sl_scene_set_acquired (probe, sl_scene_get_acquired (a));
  sl_scene_set_visible (probe, FALSE);
  b = sl_project_add_scene (project, probe, &error);
  g_assert_no_error (error);
  g_assert_false (sl_scene_get_visible (b));

  /* Hiding one and showing the other, each its own committed edit. */
  g_signal_connect_swapped (project, "scenes-changed", G_CALLBACK (g_atomic_int_inc), &n_signals);
  sl_scene_set_visible (a, FALSE);
  g_assert_true (sl_project_update_scene (project, a, &error));
  g_assert_no_error (error);
  sl_scene_set_visible (b, TRUE);
  g_assert_true (sl_project_update_scene (project, b, &error));
  g_assert_cmpuint (n_signals, ==, 2);

  scenes = sl_project_list_scenes (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scenes->len, ==, 2);
  for (guint i = 0; i < scenes->len; i++)
    g_assert_cmpint (sl_scene_get_visible (scenes->pdata[i]), ==,
                     sl_scene_get_id (scenes->pdata[i]) == sl_scene_get_id (b));
  assert_valid (project);
  g_clear_object (&project);

  /* In the file as a plain 0/1 column, and so after reopening. */
  g_assert_cmpint (file_sql_int (f->path, "SELECT group_concat(visible, ',') = '0,1' FROM"
                                          " (SELECT visible FROM sl_scenes ORDER BY id)"), ==, 1);
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  again = sl_project_get_scene (project, sl_scene_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_false (sl_scene_get_visible (again));
  g_clear_object (&again);
  again = sl_project_get_scene (project, sl_scene_get_id (b), &error);
  g_assert_true (sl_scene_get_visible (again));

  /* A scene removed meanwhile cannot be updated, and says so. */
  g_assert_true (sl_project_remove_scene (project, sl_scene_get_id (b), &error));
  g_assert_false (sl_project_update_scene (project, again, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, f->path));
}

static void
test_migrate_v1_adds_visibility (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, "Old site", &error);
  g_autofree char *a_path = make_scene_file (f, "a.tif", "EPSG:32636", 500000, 21);
  g_autofree char *b_path = make_scene_file (f, "b.tif", "EPSG:32636", 500000, 22);
  g_autoptr(SlScene) a = NULL, b = NULL, stored = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_no_error (error);
  a = add_scene (project, a_path, "2022-02-20T09:00:00Z");
  b = add_scene (project, b_path, "2022-03-20T09:00:00Z");
  g_clear_object (&project);
  downgrade_to_v1 (f->path, TRUE);
  g_assert_cmpint (file_sql_int (f->path, "SELECT count(*) FROM pragma_table_info('sl_scenes') WHERE name = 'visible'"), ==, 0);

  /* Opening upgrades it: the column is back, every scene shown, the version is current. */
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl_project_get_schema_version (project), ==, SL_PROJECT_SCHEMA_VERSION);
  scenes = sl_project_list_scenes (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scenes->len, ==, 2);
  g_assert_true (sl_scene_get_visible (scenes->pdata[0]));
  g_assert_true (sl_scene_get_visible (scenes->pdata[1]));
  assert_valid (project);

  /* And the flag works in the upgraded file. */
  sl_scene_set_visible (b, FALSE);
  g_assert_true (sl_project_update_scene (project, b, &error));
  g_assert_no_error (error);
  g_clear_object (&project);

  g_assert_cmpint (file_sql_int (f->path, "SELECT value FROM sl_meta WHERE key = 'schema_version'"), ==,
                   SL_PROJECT_SCHEMA_VERSION);
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  stored = sl_project_get_scene (project, sl_scene_get_id (b), &error);
  g_assert_no_error (error);
  g_assert_false (sl_scene_get_visible (stored));
  g_clear_object (&project);

  /* Still a GeoPackage by GDAL's own validator. */
  status = sl_test_run (&out, &err, "/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", f->path, NULL);
  if (status != 0)
    g_test_message ("validate_gpkg: %s %s", out, err);
  g_assert_cmpint (status, ==, 0);
}

static void
test_migrate_v1_with_declared_column (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  g_autofree char *a_path = make_scene_file (f, "a.tif", "EPSG:32636", 500000, 31);
  g_autoptr(SlScene) a = NULL, stored = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  gboolean found = FALSE;
  sqlite3 *db;

  g_assert_no_error (error);
  a = add_scene (project, a_path, "2022-02-20T09:00:00Z");
  g_clear_object (&project);

  /* Schema 1 files declared the column already; a stray value in it is made a plain "shown". */
  downgrade_to_v1 (f->path, FALSE);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sl_scenes SET visible = 'yes'; PRAGMA wal_checkpoint(TRUNCATE);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl_project_get_schema_version (project), ==, SL_PROJECT_SCHEMA_VERSION);
  stored = sl_project_get_scene (project, sl_scene_get_id (a), &error);
  g_assert_no_error (error);
  g_assert_true (sl_scene_get_visible (stored));
  assert_valid (project);
  g_clear_object (&project);
  g_assert_cmpint (file_sql_int (f->path, "SELECT typeof(visible) = 'integer' AND visible = 1 FROM sl_scenes"), ==, 1);

  /* Validation notices a value that is not a flag. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE sl_scenes SET visible = 7; PRAGMA wal_checkpoint(TRUNCATE);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (sl_project_validate (project, problems));
  for (guint i = 0; i < problems->len; i++)
    found |= strstr (problems->pdata[i], "visibility") != NULL;
  g_assert_true (found);
}

static void
test_migrate_failure_leaves_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (f->path, NULL, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_object (&project);

  /* A damaged schema 1 file (its scenes table gone): the upgrade fails as a whole. */
  downgrade_to_v1 (f->path, TRUE);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE sl_scenes; PRAGMA wal_checkpoint(TRUNCATE);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  assert_open_fails (f->path, SL_PROJECT_ERROR_IO, "Cannot upgrade");
  g_assert_cmpint (file_sql_int (f->path, "SELECT value FROM sl_meta WHERE key = 'schema_version'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/project/create-is-valid-geopackage", test_create_is_valid_geopackage);
  ADD ("/project/reopen", test_reopen);
  ADD ("/project/bad-files-leave-them-unchanged", test_bad_files);
  ADD ("/project/newer-schema-refused", test_newer_schema_refused);
  ADD ("/project/scenes", test_scenes);
  ADD ("/project/scene-without-date-refused", test_scene_without_date_refused);
  ADD ("/project/rtree-triggers", test_rtree_triggers);
  ADD ("/project/validate-finds-damage", test_validate_finds_damage);
  ADD ("/project/render-params-and-grid", test_render_params_and_grid);
  ADD ("/project/remove-scene-drops-tiles", test_remove_scene_drops_tiles);
  ADD ("/project/set-crs", test_set_crs);
  ADD ("/project/scene-visibility", test_scene_visibility);
  ADD ("/project/migrate-v1-adds-visibility", test_migrate_v1_adds_visibility);
  ADD ("/project/migrate-v1-with-declared-column", test_migrate_v1_with_declared_column);
  ADD ("/project/migrate-failure-leaves-file", test_migrate_failure_leaves_file);
#undef ADD
  return g_test_run ();
}
