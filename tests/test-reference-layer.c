/* test-reference-layer.c — read-only vector overlays: reprojection, drawing, errors, the
 * project's list
 *
 * A GeoJSON file in EPSG:4326 (written here with OGR) over a UTM 36N site: its vertices must
 * land where OGR's own transformation puts them, its outline must be drawn where the feature
 * is and nowhere else, and a missing file must be refused with its name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-reference-layer"

#include "config.h"

#include <cpl_conv.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-reference-layer.h"
#include "sl-scene.h"
#include "sl-test-util.h"

/* A square of 0.001° around (33.0, 54.6), in UTM 36N roughly 64 m × 111 m. */
#define LON 33.0
#define LAT 54.6
#define D   0.001

static char *
site_wkt (void)
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  char *copy;

  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  copy = g_strdup (wkt);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
  return copy;
}

static char *
write_square (const char *dir)
{
  char *path = g_build_filename (dir, "aoi.geojson", NULL);
  g_autofree char *json =
    g_strdup_printf ("{\"type\":\"FeatureCollection\",\"features\":["
                     "{\"type\":\"Feature\",\"properties\":{\"name\":\"Depot\"},\"geometry\":{\"type\":\"Polygon\","
                     "\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}},"
                     "{\"type\":\"Feature\",\"properties\":{\"name\":\"Mast\"},\"geometry\":{\"type\":\"Point\","
                     "\"coordinates\":[%.6f,%.6f]}}]}",
                     LON, LAT, LON + D, LAT, LON + D, LAT + D, LON, LAT + D, LON, LAT, LON + 0.01, LAT + 0.01);

  sl_test_write_bytes (path, json, strlen (json));
  return path;
}

/* OGR's own transformation of (lon, lat) into the site CRS. */
static void
ogr_transform (double lon, double lat, double *x, double *y)
{
  OGRSpatialReferenceH from = OSRNewSpatialReference (NULL);
  OGRSpatialReferenceH to = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;

  OSRImportFromEPSG (from, 4326);
  OSRImportFromEPSG (to, 32636);
  OSRSetAxisMappingStrategy (from, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (to, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (from, to);
  *x = lon;
  *y = lat;
  g_assert_true (OCTTransform (ct, 1, x, y, NULL));
  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (from);
  OSRDestroySpatialReference (to);
}

static void
test_reprojects (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = write_square (dir);
  g_autofree char *wkt = site_wkt ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReferenceLayer) layer = sl_reference_layer_load (path, wkt, "name", &error);
  const SlPoint *points;
  guint n = 0;
  double x, y;

  g_assert_no_error (error);
  g_assert_cmpuint (sl_reference_layer_get_n_features (layer), ==, 2);
  points = sl_reference_layer_get_points (layer, 0, &n);
  g_assert_cmpuint (n, ==, 5);
  ogr_transform (LON + D, LAT + D, &x, &y);
  g_assert_cmpfloat_with_epsilon (points[2].x, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (points[2].y, y, 1e-6);
  /* Metres of UTM, not degrees: a real reprojection happened. */
  g_assert_cmpfloat (points[2].x, >, 100000);
  g_assert_cmpfloat (points[2].y, >, 6000000);
  g_assert_cmpstr (sl_reference_layer_get_label (layer, 0), ==, "Depot");
  g_assert_cmpstr (sl_reference_layer_get_label (layer, 1), ==, "Mast");
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static guint32
pixel (cairo_surface_t *surface, int x, int y)
{
  return *(guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + x * 4);
}

static void
test_draws (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = write_square (dir);
  g_autofree char *wkt = site_wkt ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReferenceLayer) layer = sl_reference_layer_load (path, wkt, NULL, &error);
  g_autoptr(SlViewport) viewport = sl_viewport_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
  cairo_t *cr = cairo_create (surface);
  double x0, y0, x1, y1, wx, wy;
  SlBounds bounds;
  guint drawn;
  guint32 edge;

  g_assert_no_error (error);
  ogr_transform (LON, LAT, &x0, &y0);
  ogr_transform (LON + D, LAT + D, &x1, &y1);
  /* The square's centre in the middle, 1 m a pixel: the square spans about 64 × 111 px. */
  sl_viewport_set_center (viewport, (x0 + x1) / 2, (y0 + y1) / 2);
  sl_viewport_set_resolution (viewport, 1.0);
  sl_reference_layer_set_colour (layer, "#ff0000");
  drawn = sl_reference_layer_draw (layer, cr, viewport, 200, 200);
  cairo_surface_flush (surface);
  /* The point, 0.01° away, is out of view: culled. */
  g_assert_cmpuint (drawn, ==, 1);
  g_assert_true (sl_reference_layer_get_bounds (layer, &bounds));

  /* The middle of the square's south edge is red (premultiplied, opaque). */
  {
    const SlPoint *p;
    guint n;

    p = sl_reference_layer_get_points (layer, 0, &n);
    sl_viewport_site_to_widget (viewport, 200, 200, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2, &wx, &wy);
  }
  edge = pixel (surface, (int) floor (wx), (int) floor (wy));
  g_assert_cmphex (edge & 0xff000000, ==, 0xff000000);
  g_assert_cmpuint ((edge >> 16) & 0xff, >, 200);
  g_assert_cmpuint ((edge >> 8) & 0xff, <, 60);
  /* Inside (no fill) and far outside: nothing. */
  g_assert_cmphex (pixel (surface, 100, 100), ==, 0);
  g_assert_cmphex (pixel (surface, 3, 3), ==, 0);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReferenceLayer) layer = sl_reference_layer_load ("/nonexistent/footprints.shp", NULL, NULL, &error);

  g_assert_null (layer);
  g_assert_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "footprints.shp"));
}

static void
test_not_vector (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "notes.geojson", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReferenceLayer) layer = NULL;

  sl_test_write_bytes (path, "not json at all", 15);
  layer = sl_reference_layer_load (path, NULL, NULL, &error);
  g_assert_null (layer);
  g_assert_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "notes.geojson"));
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* The project remembers paths and colours; a file gone since is reported, not fatal. */
static void
test_project (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = write_square (dir);
  g_autofree char *gone = g_build_filename (dir, "gone.geojson", NULL);
  g_autofree char *image = g_build_filename (dir, "scene.tif", NULL);
  g_autofree char *project_path = g_build_filename (dir, "site.sitelapse", NULL);
  SlTestImage spec = { .width = 32, .height = 32, .bands = 3, .crs = "EPSG:32636", .origin_x = 500000,
                       .origin_y = 6050000, .pixel_size = 1, .datetime = "2022:03:14 10:00:00" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *wkt = NULL;
  SlReferenceLayer *layer;

  sl_test_write_image (image, &spec);
  project = sl_project_create (project_path, "Site", &error);
  g_assert_no_error (error);
  probed = sl_scene_probe (image, &error);
  g_assert_no_error (error);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  wkt = sl_project_dup_crs_wkt (project);

  layer = sl_reference_layer_load (path, wkt, NULL, &error);
  g_assert_no_error (error);
  sl_reference_layer_set_colour (layer, "#00E5FF");
  g_ptr_array_add (layers, layer);
  sl_test_write_bytes (gone, "{\"type\":\"FeatureCollection\",\"features\":[]}", 42);
  layer = sl_reference_layer_load (gone, wkt, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (layers, layer);
  g_assert_true (sl_reference_layers_save_for_project (project, layers, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (gone), ==, 0);

  loaded = sl_reference_layers_load_for_project (project, failures, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 1);
  g_assert_cmpstr (sl_reference_layer_get_path (g_ptr_array_index (loaded, 0)), ==, path);
  g_assert_cmpstr (sl_reference_layer_get_colour (g_ptr_array_index (loaded, 0)), ==, "#00e5ff");
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (failures, 0), "gone.geojson"));

  sl_project_close (project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/reference-layer/reprojects", test_reprojects);
  g_test_add_func ("/reference-layer/draws-where-the-feature-is", test_draws);
  g_test_add_func ("/reference-layer/missing-file", test_missing);
  g_test_add_func ("/reference-layer/not-vector", test_not_vector);
  g_test_add_func ("/reference-layer/remembered-by-project", test_project);
  return g_test_run ();
}
