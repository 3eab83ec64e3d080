/* test-demo.c — the demo site: files, georeference, dates, ground truth, determinism
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <json-glib/json-glib.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "sl-demo.h"
#include "sl-test-util.h"

#define SIZE 512

/* One demo generated for the whole run: most tests only read it. */
static char *tmp;
static GPtrArray *scenes;

static SlDemoScene *
scene_at (guint i)
{
  g_assert_nonnull (scenes);
  g_assert_cmpuint (i, <, scenes->len);
  return g_ptr_array_index (scenes, i);
}

static char *
truth_path (const SlDemoScene *scene)
{
  g_autofree char *stem = g_strndup (scene->path, strrchr (scene->path, '.') - scene->path);

  return g_strconcat (stem, scene->georeferenced ? ".truth.geojson" : ".truth.json", NULL);
}

static OGRCoordinateTransformationH
transform_new (int from_epsg, int to_epsg)
{
  OGRSpatialReferenceH a = OSRNewSpatialReference (NULL), b = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;

  g_assert_cmpint (OSRImportFromEPSG (a, from_epsg), ==, OGRERR_NONE);
  g_assert_cmpint (OSRImportFromEPSG (b, to_epsg), ==, OGRERR_NONE);
  OSRSetAxisMappingStrategy (a, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (b, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (a, b);
  g_assert_nonnull (ct);
  OSRDestroySpatialReference (a);
  OSRDestroySpatialReference (b);
  return ct;
}

/* RGB of a whole scene, interleaved. */
static guint8 *
read_rgb (const char *path, int *width, int *height)
{
  GDALDatasetH ds = GDALOpen (path, GA_ReadOnly);
  guint8 *rgb;

  g_assert_nonnull (ds);
  *width = GDALGetRasterXSize (ds);
  *height = GDALGetRasterYSize (ds);
  rgb = g_malloc ((gsize) *width * *height * 3);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Read, 0, 0, *width, *height, rgb, *width, *height,
                                        GDT_Byte, 3, NULL, 3, *width * 3, 1), ==, CE_None);
  GDALClose (ds);
  return rgb;
}

/* Footprints from a truth file, in scene pixels: 4 corners each. */
static GArray *
read_footprints (const char *truth, GPtrArray *ids, GPtrArray *classes)
{
  GDALDatasetH ds = GDALOpenEx (truth, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRCoordinateTransformationH ct = transform_new (4326, 32636);
  GDALDatasetH scene;
  GArray *corners = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *tif = g_strndup (truth, strlen (truth) - strlen (".truth.geojson"));
  g_autofree char *tif_path = g_strconcat (tif, ".tif", NULL);
  double gt[6];
  OGRLayerH layer;
  OGRFeatureH f;

  g_assert_nonnull (ds);
  scene = GDALOpen (tif_path, GA_ReadOnly);
  g_assert_nonnull (scene);
  g_assert_cmpint (GDALGetGeoTransform (scene, gt), ==, CE_None);
  GDALClose (scene);

  layer = GDALDatasetGetLayer (ds, 0);
  OGR_L_ResetReading (layer);
  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH ring = OGR_G_GetGeometryRef (OGR_F_GetGeometryRef (f), 0);

      g_assert_cmpint (OGR_G_GetPointCount (ring), ==, 5);
      for (int k = 0; k < 4; k++)
        {
          double x = OGR_G_GetX (ring, k), y = OGR_G_GetY (ring, k);

          g_assert_true (OCTTransform (ct, 1, &x, &y, NULL));
          x = (x - gt[0]) / gt[1];
          y = (y - gt[3]) / gt[5];
          g_array_append_val (corners, x);
          g_array_append_val (corners, y);
        }
      if (ids)
        g_ptr_array_add (ids, GINT_TO_POINTER (OGR_F_GetFieldAsInteger (f, OGR_F_GetFieldIndex (f, "object_id"))));
      if (classes)
        g_ptr_array_add (classes, g_strdup (OGR_F_GetFieldAsString (f, OGR_F_GetFieldIndex (f, "class"))));
      OGR_F_Destroy (f);
    }
  OCTDestroyCoordinateTransformation (ct);
  GDALClose (ds);
  return corners;
}

static gboolean
inside_quad (const double *q, double x, double y)
{
  int sign = 0;

  for (int e = 0; e < 4; e++)
    {
      double ax = q[2 * e], ay = q[2 * e + 1], bx = q[(2 * e + 2) % 8], by = q[(2 * e + 3) % 8];
      double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
      int s = cross > 0 ? 1 : -1;

      if (sign != 0 && s != sign)
        return FALSE;
      sign = s;
    }
  return TRUE;
}

static void
test_files (void)
{
  static const char *names[] = {
    "2022-01-18_site.tif", "2022-02-06_site.tif", "2022-02-21_site.tif", "2022-02-21_press.jpg",
  };

  g_assert_cmpuint (scenes->len, ==, 4);
  for (guint i = 0; i < scenes->len; i++)
    {
      SlDemoScene *s = scene_at (i);
      g_autofree char *base = g_path_get_basename (s->path);
      g_autofree char *truth = truth_path (s);

      g_assert_true (g_path_is_absolute (s->path));
      g_assert_cmpstr (base, ==, names[i]);
      g_assert_true (g_file_test (s->path, G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (truth, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (s->georeferenced, ==, i < 3);
      g_assert_cmpstr (s->provider, ==, "Sitelapse demo (synthetic)");
      g_assert_cmpstr (s->sensor, ==, "Synthetic 0.5 m RGB");
      g_assert_cmpstr (s->credit, ==, "Synthetic image © Sitelapse demo");
      g_assert_nonnull (strstr (s->label, "2022"));
      g_assert_cmpuint (strlen (s->caption), >, 20);
      g_assert_nonnull (s->acquired);
      g_assert_true (g_date_time_get_utc_offset (s->acquired) == 0);
      if (i > 0 && i < 3)
        g_assert_cmpint (g_date_time_compare (scene_at (i - 1)->acquired, s->acquired), <, 0);
    }
  g_assert_cmpint (g_date_time_compare (scene_at (2)->acquired, scene_at (3)->acquired), ==, 0);
}

static void
test_georeference (void)
{
  OGRCoordinateTransformationH to_utm = transform_new (4326, 32636);
  double site_x = 33.17, site_y = 54.58;

  g_assert_true (OCTTransform (to_utm, 1, &site_x, &site_y, NULL));
  for (guint i = 0; i < 3; i++)
    {
      GDALDatasetH ds = GDALOpen (scene_at (i)->path, GA_ReadOnly);
      OGRSpatialReferenceH srs;
      double gt[6], cx, cy;
      const char *code;

      g_assert_nonnull (ds);
      g_assert_cmpstr (GDALGetDriverShortName (GDALGetDatasetDriver (ds)), ==, "GTiff");
      g_assert_cmpint (GDALGetRasterXSize (ds), ==, SIZE);
      g_assert_cmpint (GDALGetRasterYSize (ds), ==, SIZE);
      g_assert_cmpint (GDALGetRasterCount (ds), ==, 3);
      g_assert_cmpint (GDALGetRasterDataType (GDALGetRasterBand (ds, 1)), ==, GDT_Byte);
      srs = GDALGetSpatialRef (ds);
      g_assert_nonnull (srs);
      code = OSRGetAuthorityCode (srs, NULL);
      g_assert_cmpstr (code, ==, "32636");
      g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
      /* The same square kilometre at every size. */
      g_assert_cmpfloat_with_epsilon (gt[1], 1024.0 / SIZE, 1e-9);
      g_assert_cmpfloat_with_epsilon (gt[5], -1024.0 / SIZE, 1e-9);
      cx = gt[0] + gt[1] * SIZE / 2;
      cy = gt[3] + gt[5] * SIZE / 2;
      g_assert_cmpfloat (hypot (cx - site_x, cy - site_y), <, 50);
      /* Only the last scene carries overviews. */
      g_assert_cmpint (GDALGetOverviewCount (GDALGetRasterBand (ds, 1)) > 0, ==, i == 2);
      g_assert_cmpstr (GDALGetMetadataItem (ds, "COMPRESSION", "IMAGE_STRUCTURE"), ==, "YCbCr JPEG");
      GDALClose (ds);
    }
  OCTDestroyCoordinateTransformation (to_utm);
}

static void
test_dates (void)
{
  for (guint i = 0; i < 3; i++)
    {
      GDALDatasetH ds = GDALOpen (scene_at (i)->path, GA_ReadOnly);
      g_autofree char *expected = g_date_time_format (scene_at (i)->acquired, "%Y:%m:%d %H:%M:%S");

      g_assert_nonnull (ds);
      g_assert_cmpstr (GDALGetMetadataItem (ds, "TIFFTAG_DATETIME", NULL), ==, expected);
      g_assert_nonnull (GDALGetMetadataItem (ds, "TIFFTAG_IMAGEDESCRIPTION", NULL));
      g_assert_nonnull (strstr (GDALGetMetadataItem (ds, "TIFFTAG_SOFTWARE", NULL), "Sitelapse"));
      GDALClose (ds);
    }
}

static void
test_press_not_georeferenced (void)
{
  SlDemoScene *press = scene_at (3);
  g_autofree char *aux = g_strconcat (press->path, ".aux.xml", NULL);
  g_autofree char *stem = g_strndup (press->path, strlen (press->path) - 4);
  g_autofree char *jgw = g_strconcat (stem, ".jgw", NULL);
  g_autofree char *wld = g_strconcat (stem, ".wld", NULL);
  GDALDatasetH ds;
  double gt[6];

  g_assert_false (g_file_test (aux, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (jgw, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wld, G_FILE_TEST_EXISTS));
  ds = GDALOpen (press->path, GA_ReadOnly);
  g_assert_nonnull (ds);
  g_assert_cmpstr (GDALGetDriverShortName (GDALGetDatasetDriver (ds)), ==, "JPEG");
  g_assert_cmpint (GDALGetGeoTransform (ds, gt), !=, CE_None);
  g_assert_null (GDALGetSpatialRef (ds));
  g_assert_cmpint (GDALGetGCPCount (ds), ==, 0);
  g_assert_cmpint (GDALGetRasterCount (ds), ==, 3);
  /* About the central 70 %, scaled by 0.8. */
  g_assert_cmpint (abs (GDALGetRasterXSize (ds) - (int) (SIZE * 0.56)), <=, 1);
  GDALClose (ds);
}

/* The transform in the press truth maps press pixels onto the same ground in
 * the source scene: luminance along a grid correlates strongly, and much less
 * when the transform is off by a few pixels. */
static double
press_correlation (const double t[6], double shift)
{
  int pw, ph, sw, sh;
  g_autofree guint8 *press = read_rgb (scene_at (3)->path, &pw, &ph);
  g_autofree guint8 *src = read_rgb (scene_at (2)->path, &sw, &sh);
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  int n = 0;

  for (int v = 2; v < ph - 2; v += 3)
    for (int u = 2; u < pw - 2; u += 3)
      {
        double cu = u + 0.5, cv = v + 0.5;
        int x = (int) floor (t[0] + t[1] * cu + t[2] * cv + shift);
        int y = (int) floor (t[3] + t[4] * cu + t[5] * cv + shift);
        const guint8 *p = press + ((gsize) v * pw + u) * 3, *q;
        double a, b;

        g_assert_true (x >= 0 && y >= 0 && x < sw && y < sh);
        q = src + ((gsize) y * sw + x) * 3;
        a = p[0] + p[1] + p[2];
        b = q[0] + q[1] + q[2];
        sa += a;
        sb += b;
        saa += a * a;
        sbb += b * b;
        sab += a * b;
        n++;
      }
  return (sab - sa * sb / n) / sqrt ((saa - sa * sa / n) * (sbb - sb * sb / n));
}

static void
test_press_truth (void)
{
  g_autofree char *path = truth_path (scene_at (3));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *transform, *objects;
  double t[6], exact, off;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "source"), ==, "2022-02-21_site.tif");
  transform = json_object_get_array_member (root, "transform");
  g_assert_cmpuint (json_array_get_length (transform), ==, 6);
  for (int i = 0; i < 6; i++)
    t[i] = json_array_get_double_element (transform, i);
  /* Scaled by 0.8 and rotated by about 3°. */
  g_assert_cmpfloat_with_epsilon (hypot (t[1], t[4]), 1 / 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (atan2 (t[4], t[1]) * 180 / G_PI, 3.0, 0.5);

  exact = press_correlation (t, 0);
  off = press_correlation (t, 3);
  g_test_message ("press/source correlation %.3f exact, %.3f three pixels off", exact, off);
  g_assert_cmpfloat (exact, >, 0.9);
  g_assert_cmpfloat (exact - off, >, 0.05);

  objects = json_object_get_array_member (root, "objects");
  g_assert_cmpuint (json_array_get_length (objects), ==, scene_at (3)->n_objects);
  g_assert_cmpuint (scene_at (3)->n_objects, >, 0);
  g_assert_cmpuint (scene_at (3)->n_objects, <=, scene_at (2)->n_objects);
}

static void
test_truth_counts (void)
{
  static const char *known[] = { "tank", "ifv_apc", "sp_artillery", "truck", "tent" };
  g_autoptr(GHashTable) before = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = truth_path (scene_at (i));
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autoptr(GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) corners = read_footprints (path, ids, classes);
      GHashTable *now = g_hash_table_new (NULL, NULL);

      g_assert_cmpuint (ids->len, ==, scene_at (i)->n_objects);
      if (i > 0)
        g_assert_cmpuint (scene_at (i)->n_objects, >, scene_at (i - 1)->n_objects);
      for (guint k = 0; k < ids->len; k++)
        {
          gboolean ok = FALSE;

          for (guint c = 0; c < G_N_ELEMENTS (known); c++)
            ok = ok || g_strcmp0 (known[c], classes->pdata[k]) == 0;
          g_assert_true (ok);
          g_assert_false (g_hash_table_contains (now, ids->pdata[k]));
          g_hash_table_add (now, ids->pdata[k]);
        }
      /* Identity across dates: nothing seen earlier has vanished. */
      if (before)
        {
          GHashTableIter iter;
          gpointer id;

          g_hash_table_iter_init (&iter, before);
          while (g_hash_table_iter_next (&iter, &id, NULL))
            g_assert_true (g_hash_table_contains (now, id));
        }
      g_clear_pointer (&before, g_hash_table_unref);
      before = now;
    }
}

static void
test_truth_inside (void)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = truth_path (scene_at (i));
      g_autoptr(GArray) corners = read_footprints (path, NULL, NULL);

      g_assert_cmpuint (corners->len, >, 0);
      for (guint k = 0; k < corners->len; k++)
        {
          double v = g_array_index (corners, double, k);

          g_assert_cmpfloat (v, >=, 0);
          g_assert_cmpfloat (v, <=, SIZE);
        }
    }
}

/* Objects are drawn: inside a footprint the colour clearly differs from the
 * ground a few metres around it (outside every footprint). Dark vehicles in
 * churned mud do not always stand out, and with the vehicles left out only
 * about one in ten footprints differs (trails and churned snow): ask for two
 * in three overall and half on every date. */
static void
test_objects_visible (void)
{
  guint total = 0, total_distinct = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = truth_path (scene_at (i));
      g_autoptr(GArray) corners = read_footprints (path, NULL, NULL);
      int w, h;
      g_autofree guint8 *rgb = read_rgb (scene_at (i)->path, &w, &h);
      guint n = corners->len / 8, distinct = 0;

      for (guint o = 0; o < n; o++)
        {
          const double *q = &g_array_index (corners, double, o * 8);
          double cx = (q[0] + q[2] + q[4] + q[6]) / 4, cy = (q[1] + q[3] + q[5] + q[7]) / 4;
          double in[3] = { 0 }, out[3] = { 0 }, diff = 0;
          int n_in = 0, n_out = 0;

          for (int y = (int) cy - 8; y <= (int) cy + 8; y++)
            for (int x = (int) cx - 8; x <= (int) cx + 8; x++)
              {
                double r = hypot (x + 0.5 - cx, y + 0.5 - cy);
                gboolean in_any = FALSE;

                if (x < 0 || y < 0 || x >= w || y >= h)
                  continue;
                for (guint k = 0; k < n && !in_any; k++)
                  in_any = inside_quad (&g_array_index (corners, double, k * 8), x + 0.5, y + 0.5);
                for (int c = 0; c < 3; c++)
                  {
                    if (inside_quad (q, x + 0.5, y + 0.5))
                      in[c] += rgb[((gsize) y * w + x) * 3 + c];
                    else if (!in_any && r > 4 && r < 8)
                      out[c] += rgb[((gsize) y * w + x) * 3 + c];
                  }
                n_in += inside_quad (q, x + 0.5, y + 0.5);
                n_out += !in_any && r > 4 && r < 8;
              }
          if (n_in == 0 || n_out == 0)
            continue;
          for (int c = 0; c < 3; c++)
            diff += fabs (in[c] / n_in - out[c] / n_out);
          distinct += diff > 45;
        }
      g_test_message ("%s: %u of %u objects stand out", scene_at (i)->path, distinct, n);
      g_assert_cmpuint (distinct * 2, >=, n);
      total += n;
      total_distinct += distinct;
    }
  g_assert_cmpuint (total_distinct * 3, >=, total * 2);
}

static void
test_manifest (void)
{
  g_autofree char *path = g_build_filename (tmp, "demo.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *list;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "scenes");
  g_assert_cmpuint (json_array_get_length (list), ==, scenes->len);
  for (guint i = 0; i < scenes->len; i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);
      g_autofree char *base = g_path_get_basename (scene_at (i)->path);

      g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, base);
      g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, scene_at (i)->label);
      g_assert_cmpint (json_object_get_int_member (o, "n_objects"), ==, scene_at (i)->n_objects);
      g_assert_cmpint (json_object_get_boolean_member (o, "georeferenced"), ==, scene_at (i)->georeferenced);
    }
}

static void
test_deterministic (void)
{
  char *again = sl_test_tmpdir_new ();
  char *small = sl_test_tmpdir_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) second = sl_demo_generate (again, SIZE, &error);
  g_autoptr(GPtrArray) other = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, scenes->len);
  for (guint i = 0; i < scenes->len; i++)
    {
      SlDemoScene *a = scene_at (i), *b = g_ptr_array_index (second, i);
      g_autofree char *ha = sl_test_sha256_file (a->path);
      g_autofree char *hb = sl_test_sha256_file (b->path);
      g_autofree char *ta = truth_path (a), *tb = truth_path (b);
      g_autofree char *hta = sl_test_sha256_file (ta), *htb = sl_test_sha256_file (tb);

      g_assert_cmpstr (ha, ==, hb);
      g_assert_cmpstr (hta, ==, htb);
      g_assert_cmpuint (a->n_objects, ==, b->n_objects);
    }

  /* Another size: other pixels, the same ground and the same objects. */
  other = sl_demo_generate (small, 256, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      SlDemoScene *a = scene_at (i), *b = g_ptr_array_index (other, i);
      g_autofree char *ha = sl_test_sha256_file (a->path), *hb = sl_test_sha256_file (b->path);
      g_autofree char *ta = truth_path (a), *tb = truth_path (b);
      g_autofree char *hta = sl_test_sha256_file (ta), *htb = sl_test_sha256_file (tb);

      g_assert_cmpstr (ha, !=, hb);
      g_assert_cmpstr (hta, ==, htb);
    }
  sl_test_tmpdir_free (again);
  sl_test_tmpdir_free (small);
}

static void
test_bad_size (void)
{
  static const int sizes[] = { 0, -1, 255, 16385 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) none = sl_demo_generate (tmp, sizes[i], &error);
      g_autofree char *number = g_strdup_printf ("%d", sizes[i]);

      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, number));
    }
}

static void
test_unwritable (void)
{
  char *dir = sl_test_tmpdir_new ();
  g_autofree char *file = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *below = g_build_filename (file, "demo", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;

  sl_test_write_bytes (file, "x", 1);
  none = sl_demo_generate (below, SIZE, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, below));
  sl_test_tmpdir_free (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  GDALAllRegister ();

  tmp = sl_test_tmpdir_new ();
  scenes = sl_demo_generate (tmp, SIZE, &error);
  g_assert_no_error (error);

  g_test_add_func ("/demo/files", test_files);
  g_test_add_func ("/demo/georeference", test_georeference);
  g_test_add_func ("/demo/dates", test_dates);
  g_test_add_func ("/demo/press/not-georeferenced", test_press_not_georeferenced);
  g_test_add_func ("/demo/press/truth-transform", test_press_truth);
  g_test_add_func ("/demo/truth/counts-grow", test_truth_counts);
  g_test_add_func ("/demo/truth/inside-image", test_truth_inside);
  g_test_add_func ("/demo/objects-visible", test_objects_visible);
  g_test_add_func ("/demo/manifest", test_manifest);
  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/bad-size", test_bad_size);
  g_test_add_func ("/demo/unwritable-dir", test_unwritable);
  status = g_test_run ();

  g_ptr_array_unref (scenes);
  sl_test_tmpdir_free (tmp);
  GDALDestroyDriverManager ();
  return status;
}
