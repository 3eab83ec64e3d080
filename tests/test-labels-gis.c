/* test-labels-gis.c — annotations through the GIS formats: round trips through GeoJSON,
 * GeoPackage, KML, KMZ, Shapefile and FlatGeobuf (checked by ogrinfo), dates spread over
 * scenes, class mapping, bad input that leaves the project as it was, unwritable targets
 *
 * Two projects over the same four dated GeoTIFFs (UTM 36N; two scenes share 21 Feb): the
 * source gets one annotation of every kind on every date, with attributes; each export is
 * imported into the target, which must then hold the same objects within 1 cm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sl-core.h"
#include "sl-labels.h"
#include "sl-test-util.h"

#define N_SCENES 4
#define TANK 1    /* the seeded taxonomy: 1 tank … 7 truck */
#define TRUCK 7

typedef struct
{
  char              *dir;
  SlProject         *project[2];   /* source, target */
  SlAnnotationStore *store[2];
  SlClassSet        *classes[2];
  gint64             scenes[2][N_SCENES];
} Fixture;

static const char *const dates[N_SCENES] = {
  "2022-02-07T08:30:00Z", "2022-02-14T08:31:00Z", "2022-02-21T08:32:00Z", "2022-02-21T14:00:00Z"
};

static void
open_project (Fixture *f, guint p, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  f->project[p] = sl_project_create (path, "Range", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_SCENES; i++)
    {
      g_autofree char *file = g_strdup_printf ("scene%u.tif", i);
      g_autofree char *tif = g_build_filename (f->dir, file, NULL);
      g_autoptr(SlScene) probe = sl_scene_probe (tif, &error);
      g_autoptr(SlScene) stored = NULL;
      g_autoptr(GDateTime) when = sl_scene_parse_date (dates[i]);

      g_assert_no_error (error);
      sl_scene_set_acquired (probe, when);
      stored = sl_project_add_scene (f->project[p], probe, &error);
      g_assert_no_error (error);
      f->scenes[p][i] = sl_scene_get_id (stored);
    }
  f->store[p] = sl_annotation_store_new (f->project[p]);
  f->classes[p] = sl_class_set_new (f->project[p]);
}

static SlAnnotation *
make (SlShapeKind kind, gint64 scene, gint64 class_id, double x, double y)
{
  SlPoint pts[5];
  guint n = 0;
  SlAnnotation *a;

  switch (kind)
    {
    case SL_SHAPE_POINT:
      pts[n++] = (SlPoint) { x, y };
      break;
    case SL_SHAPE_BOX:
      pts[0] = (SlPoint) { x, y };
      pts[1] = (SlPoint) { x + 4.25, y };
      pts[2] = (SlPoint) { x + 4.25, y - 2.5 };
      pts[3] = (SlPoint) { x, y - 2.5 };
      n = 4;
      break;
    case SL_SHAPE_ROTATED_BOX:
      {
        /* 7 m × 3.5 m, long side first, turned by 30°. */
        double c = cos (G_PI / 6), s = sin (G_PI / 6);
        pts[0] = (SlPoint) { x, y };
        pts[1] = (SlPoint) { x + 7 * c, y + 7 * s };
        pts[2] = (SlPoint) { x + 7 * c - 3.5 * s, y + 7 * s + 3.5 * c };
        pts[3] = (SlPoint) { x - 3.5 * s, y + 3.5 * c };
        n = 4;
      }
      break;
    case SL_SHAPE_POLYGON:
      pts[0] = (SlPoint) { x, y };
      pts[1] = (SlPoint) { x + 5, y + 1 };
      pts[2] = (SlPoint) { x + 6, y - 3 };
      pts[3] = (SlPoint) { x + 2, y - 5 };
      pts[4] = (SlPoint) { x - 1, y - 2 };
      n = 5;
      break;
    case SL_SHAPE_LINE:
      pts[0] = (SlPoint) { x, y };
      pts[1] = (SlPoint) { x + 10, y + 2 };
      pts[2] = (SlPoint) { x + 12, y - 6 };
      n = 3;
      break;
    }
  a = sl_annotation_new (kind, pts, n);
  a->scene_id = scene;
  a->class_id = class_id;
  return a;
}

/* Every kind on every date; a tank followed over the first three dates (one object_uid). */
static void
fill_source (Fixture *f)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;

  for (guint s = 0; s < N_SCENES; s++)
    for (int k = SL_SHAPE_POINT; k <= SL_SHAPE_LINE; k++)
      {
        SlAnnotation *a = make (k, f->scenes[0][s], k % 2 ? TANK : TRUCK, 500003.25 + k * 5.5, 6000028.75 - s * 1.25);

        a->confidence = (SlConfidence) ((s + k) % 4);
        if (k == SL_SHAPE_BOX)
          a->note = g_strdup ("Näher am Waldrand, \"half hidden\", 2 tracks");
        if (k == SL_SHAPE_POLYGON)
          a->author = g_strdup ("analyst-7");
        if (k == SL_SHAPE_ROTATED_BOX && s < 3)
          a->object_uid = g_strdup ("tank-followed-0001");
        g_ptr_array_add (all, a);
      }
  g_assert_true (sl_annotation_store_add_many (f->store[0], all, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = sl_test_tmpdir_new ();
  for (guint i = 0; i < N_SCENES; i++)
    {
      g_autofree char *file = g_strdup_printf ("scene%u.tif", i);
      g_autofree char *tif = g_build_filename (f->dir, file, NULL);
      SlTestImage spec = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636",
                           .origin_x = 500000, .origin_y = 6000032, .pixel_size = 0.5, .seed = i + 1 };

      sl_test_write_image (tif, &spec);
    }
  open_project (f, 0, "source.sitelapse");
  open_project (f, 1, "target.sitelapse");
  fill_source (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (guint p = 0; p < 2; p++)
    {
      g_clear_object (&f->store[p]);
      g_clear_object (&f->classes[p]);
      if (f->project[p])
        sl_project_close (f->project[p]);
      g_clear_object (&f->project[p]);
    }
  sl_test_tmpdir_free (f->dir);
}

static GPtrArray *
all_of (SlAnnotationStore *store, const gint64 *scenes)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint s = 0; s < N_SCENES; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) some = sl_annotation_store_query (store, scenes[s], NULL, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (all, g_steal_pointer (&some->pdata[i]));
    }
  return all;
}

static guint
scene_index (const gint64 *scenes, gint64 id)
{
  for (guint s = 0; s < N_SCENES; s++)
    if (scenes[s] == id)
      return s;
  g_assert_not_reached ();
}

static gboolean
points_match (const SlAnnotation *a, const SlAnnotation *b, gboolean reversed, double tol)
{
  for (guint i = 0; i < a->n_points; i++)
    {
      guint j = reversed ? (a->n_points - i) % a->n_points : i;

      if (fabs (a->points[i].x - b->points[j].x) > tol || fabs (a->points[i].y - b->points[j].y) > tol)
        return FALSE;
    }
  return TRUE;
}

/* The target holds the source's objects: same date, class, kind, attributes, and geometry
 * within 1 cm (a polygon's ring may come back reversed: RFC 7946 winds it). */
static void
assert_same_annotations (Fixture *f)
{
  g_autoptr(GPtrArray) src = all_of (f->store[0], f->scenes[0]);
  g_autoptr(GPtrArray) dst = all_of (f->store[1], f->scenes[1]);
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  g_assert_cmpuint (dst->len, ==, src->len);
  for (guint i = 0; i < src->len; i++)
    {
      const SlAnnotation *a = src->pdata[i];
      const SlAnnotation *b = NULL;

      /* The same object on the same date. */
      for (guint j = 0; j < dst->len && b == NULL; j++)
        {
          const SlAnnotation *c = dst->pdata[j];

          if (g_strcmp0 (a->object_uid, c->object_uid) == 0 && !g_hash_table_contains (used, c) &&
              scene_index (f->scenes[0], a->scene_id) == scene_index (f->scenes[1], c->scene_id))
            b = c;
        }
      g_assert_nonnull (b);
      g_hash_table_add (used, (gpointer) b);
      g_assert_cmpint (b->kind, ==, a->kind);
      g_assert_cmpint (b->class_id, ==, a->class_id);
      g_assert_cmpint (b->confidence, ==, a->confidence);
      g_assert_cmpstr (b->note, ==, a->note);
      g_assert_cmpstr (b->author, ==, a->author);
      g_assert_cmpuint (b->n_points, ==, a->n_points);
      if (a->kind == SL_SHAPE_POLYGON)
        g_assert_true (points_match (a, b, FALSE, 0.01) || points_match (a, b, TRUE, 0.01));
      else
        g_assert_true (points_match (a, b, FALSE, 0.01));
    }
}

/* ogrinfo's summary: total features and the CRS's name. */
static void
assert_ogrinfo (const char *path, guint n_features, const char *crs_name)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *p;
  guint total = 0;

  g_assert_cmpint (sl_test_run (&out, &err, "ogrinfo", "-so", "-al", path, NULL), ==, 0);
  for (p = out; (p = strstr (p, "Feature Count: ")) != NULL; p++)
    total += (guint) g_ascii_strtoull (p + strlen ("Feature Count: "), NULL, 10);
  g_assert_cmpuint (total, ==, n_features);
  if (crs_name)
    g_assert_nonnull (strstr (out, crs_name));
  else
    g_assert_nonnull (strstr (out, "Layer SRS WKT:\n(unknown)"));
}

typedef struct
{
  SlLabelFormat  format;
  const char    *file;
  const char    *crs_name;   /* in ogrinfo's output */
} RoundTrip;

static const RoundTrip round_trips[] = {
  { SL_LABEL_FORMAT_GEOJSON,    "out.geojson", "GEOGCRS[\"WGS 84\"" },
  { SL_LABEL_FORMAT_GPKG,       "out.gpkg",    "WGS 84 / UTM zone 36N" },
  { SL_LABEL_FORMAT_KML,        "out.kml",     "GEOGCRS[\"WGS 84\"" },
  { SL_LABEL_FORMAT_KMZ,        "out.kmz",     "GEOGCRS[\"WGS 84\"" },
  { SL_LABEL_FORMAT_SHAPEFILE,  "out.shp",     "WGS 84 / UTM zone 36N" },
  { SL_LABEL_FORMAT_FLATGEOBUF, "out.fgb",     "WGS 84 / UTM zone 36N" },
};

static SlLabelImportReport *
import_ok (Fixture *f, const char *path, const SlLabelImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  SlLabelImportReport *report = sl_labels_import (f->store[1], f->classes[1], path, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* RFC 7946 §3.1.6: every polygon's exterior ring counter-clockwise (in lon/lat). */
static void
assert_rings_ccw (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *features;
  guint n_polygons = 0;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  features = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "features");
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *geom = json_object_get_object_member (json_array_get_object_element (features, i), "geometry");
      JsonArray *ring;
      double area2 = 0;

      if (g_strcmp0 (json_object_get_string_member (geom, "type"), "Polygon") != 0)
        continue;
      ring = json_array_get_array_element (json_object_get_array_member (geom, "coordinates"), 0);
      for (guint k = 0; k + 1 < json_array_get_length (ring); k++)
        {
          JsonArray *a = json_array_get_array_element (ring, k), *b = json_array_get_array_element (ring, k + 1);

          area2 += json_array_get_double_element (a, 0) * json_array_get_double_element (b, 1) -
                   json_array_get_double_element (b, 0) * json_array_get_double_element (a, 1);
        }
      g_assert_cmpfloat (area2, >, 0);
      n_polygons++;
    }
  g_assert_cmpuint (n_polygons, >, 0);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *path = g_build_filename (f->dir, rt->file, NULL);
  g_autoptr(GError) error = NULL;
  SlLabelExportOptions options = { 0 };
  guint n = sl_project_count_annotations (f->project[0]);
  gssize written;

  /* The format comes from the name. */
  written = sl_labels_export (f->store[0], f->classes[0], path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (written, ==, n);
  g_assert_cmpuint (n, ==, N_SCENES * 5);

  if (rt->format == SL_LABEL_FORMAT_SHAPEFILE)
    {
      /* One file a geometry type. */
      static const char *const parts[] = { "out-points.shp", "out-polygons.shp", "out-lines.shp" };
      static const guint counts[] = { N_SCENES, N_SCENES * 3, N_SCENES };

      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        {
          g_autofree char *part = g_build_filename (f->dir, parts[i], NULL);
          g_autoptr(SlLabelImportReport) report = NULL;

          assert_ogrinfo (part, counts[i], rt->crs_name);
          report = import_ok (f, part, NULL);
          g_assert_cmpuint (report->n_imported, ==, counts[i]);
        }
    }
  else
    {
      g_autoptr(SlLabelImportReport) report = NULL;

      assert_ogrinfo (path, n, rt->crs_name);
      if (rt->format == SL_LABEL_FORMAT_GEOJSON)
        {
          g_autofree char *text = NULL;

          assert_rings_ccw (path);
          /* RFC 7946 removed the "crs" member: WGS 84 lon/lat goes without saying. */
          g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
          g_assert_null (strstr (text, "\"crs\""));
        }
      report = import_ok (f, path, NULL);
      g_assert_cmpuint (report->n_imported, ==, n);
      g_assert_cmpuint (report->n_classes_created, ==, 0);
    }
  assert_same_annotations (f);

  /* Nothing but the output next to it: the temporary folder is gone. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (name[0] == '.');
  }
}

/* Another CRS on request, through OGR; the round trip still holds. */
static void
test_crs (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "mercator.fgb", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "bad.fgb", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  SlLabelExportOptions options = { .crs = (char *) "EPSG:3857" };

  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], path, &options, NULL, &error), ==, N_SCENES * 5);
  g_assert_no_error (error);
  assert_ogrinfo (path, N_SCENES * 5, "WGS 84 / Pseudo-Mercator");
  report = import_ok (f, path, NULL);
  assert_same_annotations (f);

  options.crs = (char *) "EPSG:999999";
  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], bad, &options, NULL, &error), ==, -1);
  g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "EPSG:999999"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

/* One scene, some classes. */
static void
test_subset (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "subset.geojson", NULL);
  g_autoptr(GArray) classes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 tank = TANK;
  SlLabelExportOptions options = { .scene_id = f->scenes[0][1] };

  g_array_append_val (classes, tank);
  options.class_ids = classes;
  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], path, &options, NULL, &error), ==, 2);
  g_assert_no_error (error);
  assert_ogrinfo (path, 2, "WGS 84");
}

static void
write_text (Fixture *f, const char *name, const char *text, char **path)
{
  *path = g_build_filename (f->dir, name, NULL);
  sl_test_write_bytes (*path, text, strlen (text));
}

#define FEATURE(cls, when, lon, lat) \
  "{\"type\":\"Feature\",\"properties\":{\"category\":\"" cls "\",\"when\":\"" when "\"}," \
  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" lon "," lat "]}}"

/* A date field spread over the dates, a class field found by its usual name, a mapping. */
static void
test_dates (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) map = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(SlCountsTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  SlLabelImportOptions options = { .date_field = (char *) "when", .class_map = map };
  gboolean warned = FALSE;

  write_text (f, "dated.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":["
              FEATURE ("Tank", "2022-02-07", "33.0001", "54.1301") ","
              FEATURE ("truck", "2022-02-07T23:59:00Z", "33.0002", "54.1302") ","
              FEATURE ("Panzer", "2022-02-14T08:31:00Z", "33.0003", "54.1303") ","
              FEATURE ("TANK", "2022-02-21", "33.0004", "54.1304") ","
              FEATURE ("Truck", "2022-02-21T14:00:00Z", "33.0005", "54.1305") ","
              FEATURE ("Tank", "2022-02-21T14:00:00+00:00", "33.0006", "54.1306")
              "]}", &path);
  g_hash_table_insert (map, (char *) "panzer", (char *) "tank");
  report = sl_labels_import (f->store[1], f->classes[1], path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 6);

  counts = sl_annotation_store_count (f->store[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_counts_table_get (counts, TANK, f->scenes[1][0]), ==, 1);
  g_assert_cmpuint (sl_counts_table_get (counts, TRUCK, f->scenes[1][0]), ==, 1);
  g_assert_cmpuint (sl_counts_table_get (counts, TANK, f->scenes[1][1]), ==, 1);
  /* A day of two scenes: the earliest, unless the time says which. */
  g_assert_cmpuint (sl_counts_table_get (counts, TANK, f->scenes[1][2]), ==, 1);
  g_assert_cmpuint (sl_counts_table_get (counts, TRUCK, f->scenes[1][3]), ==, 1);
  g_assert_cmpuint (sl_counts_table_get (counts, TANK, f->scenes[1][3]), ==, 1);
  for (guint i = 0; i < report->warnings->len; i++)
    warned |= strstr (report->warnings->pdata[i], "2 scenes were acquired on 2022-02-21") != NULL;
  g_assert_true (warned);

  /* No date field ("") with a chosen scene: every object goes on that scene. */
  g_clear_pointer (&report, sl_label_import_report_free);
  g_clear_pointer (&counts, sl_counts_table_free);
  options.date_field = (char *) "";
  options.scene_id = f->scenes[1][1];
  report = sl_labels_import (f->store[1], f->classes[1], path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 6);
  counts = sl_annotation_store_count (f->store[1], &error);
  g_assert_cmpuint (sl_counts_table_get (counts, TANK, f->scenes[1][1]), ==, 1 + 4);
  g_assert_cmpuint (sl_counts_table_get (counts, TRUCK, f->scenes[1][1]), ==, 2);
}

static guint
count_classes (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = sl_class_set_list (f->classes[1], &error);

  g_assert_no_error (error);
  return list->len;
}

/* Unknown names: an error naming them, nothing imported; created on request. */
static void
test_classes (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  SlLabelImportOptions options = { .class_field = (char *) "category", .date_field = (char *) "when" };
  guint n_classes = count_classes (f);

  write_text (f, "zeppelins.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":["
              FEATURE ("Tank", "2022-02-07", "33.0001", "54.1301") ","
              FEATURE ("Zeppelin", "2022-02-07", "33.0002", "54.1302") ","
              FEATURE ("Airship", "2022-02-14", "33.0003", "54.1303") ","
              FEATURE ("zeppelin", "2022-02-14", "33.0004", "54.1304")
              "]}", &path);
  unknown = sl_labels_unknown_classes (f->store[1], f->classes[1], path, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unknown->len, ==, 2);
  g_assert_cmpstr (unknown->pdata[0], ==, "Airship");
  g_assert_cmpstr (unknown->pdata[1], ==, "Zeppelin");

  report = sl_labels_import (f->store[1], f->classes[1], path, &options, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_UNKNOWN_CLASSES);
  g_assert_nonnull (strstr (error->message, "zeppelins.geojson"));
  g_assert_nonnull (strstr (error->message, "‘Zeppelin’"));
  g_assert_nonnull (strstr (error->message, "‘Airship’"));
  g_assert_cmpuint (sl_project_count_annotations (f->project[1]), ==, 0);
  g_clear_error (&error);

  options.create_classes = TRUE;
  report = sl_labels_import (f->store[1], f->classes[1], path, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 4);
  g_assert_cmpuint (report->n_classes_created, ==, 2);
  g_assert_cmpuint (count_classes (f), ==, n_classes + 2);
  g_assert_cmpuint (sl_project_count_annotations (f->project[1]), ==, 4);
}

static void
assert_import_fails (Fixture *f, const char *path, const SlLabelImportOptions *options, int code,
                     const char *const *fragments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  guint n = sl_project_count_annotations (f->project[1]);
  guint n_classes = count_classes (f);

  report = sl_labels_import (f->store[1], f->classes[1], path, options, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, SL_LABELS_ERROR, code);
  for (guint i = 0; fragments[i]; i++)
    if (strstr (error->message, fragments[i]) == NULL)
      g_error ("‘%s’ is not in the message “%s”", fragments[i], error->message);
  g_assert_cmpuint (sl_project_count_annotations (f->project[1]), ==, n);
  g_assert_cmpuint (count_classes (f), ==, n_classes);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *malformed = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *undated = NULL;
  g_autofree char *noclass = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "missing.geojson", NULL);
  SlLabelImportOptions options = { .date_field = (char *) "when", .create_classes = TRUE };
  SlLabelImportOptions plain = { 0 };

  write_text (f, "malformed.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":[\n"
              FEATURE ("Tank", "2022-02-07", "33.0001", "54.1301") ",\n"
              "{\"type\":\"Feature\",\"properties\":{\"category\":\"Tank\"", &malformed);
  assert_import_fails (f, malformed, &options, SL_LABELS_ERROR_MALFORMED,
                       (const char *const[]) { "malformed.geojson", NULL });

  write_text (f, "empty.geojson", "", &empty);
  assert_import_fails (f, empty, &options, SL_LABELS_ERROR_MALFORMED,
                       (const char *const[]) { "empty.geojson", "empty", NULL });

  /* A date that matches no scene, after a good feature and a new class: nothing stays. */
  write_text (f, "undated.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":["
              FEATURE ("Zeppelin", "2022-02-07", "33.0001", "54.1301") ","
              FEATURE ("Tank", "2023-05-01", "33.0002", "54.1302")
              "]}", &undated);
  assert_import_fails (f, undated, &options, SL_LABELS_ERROR_NO_SCENE,
                       (const char *const[]) { "undated.geojson", "feature 2", "2023-05-01", NULL });

  /* No class field at all. */
  write_text (f, "noclass.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"x\":1},"
              "\"geometry\":{\"type\":\"Point\",\"coordinates\":[33,54]}}]}", &noclass);
  assert_import_fails (f, noclass, &plain, SL_LABELS_ERROR_INVALID,
                       (const char *const[]) { "noclass.geojson", "no class field", NULL });

  assert_import_fails (f, missing, &plain, SL_LABELS_ERROR_IO, (const char *const[]) { "missing.geojson", NULL });
}

/* Multi-geometries become one annotation a part, and say so. */
static void
test_multi (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  SlLabelImportOptions options = { .scene_id = 0 };
  gboolean warned = FALSE;

  options.scene_id = f->scenes[1][1];
  write_text (f, "multi.geojson",
              "{\"type\":\"FeatureCollection\",\"features\":["
              "{\"type\":\"Feature\",\"properties\":{\"class\":\"tent\"},\"geometry\":{\"type\":\"MultiPolygon\","
              "\"coordinates\":[[[[33.0,54.13],[33.0001,54.13],[33.0001,54.1301],[33.0,54.1301],[33.0,54.13]]],"
              "[[[33.001,54.13],[33.0012,54.1302],[33.0008,54.1303],[33.001,54.13]]]]}},"
              "{\"type\":\"Feature\",\"properties\":{\"class\":\"truck\"},\"geometry\":{\"type\":\"MultiPoint\","
              "\"coordinates\":[[33.0,54.13],[33.0,54.131],[33.0,54.132]]}}]}", &path);
  report = import_ok (f, path, &options);
  g_assert_cmpuint (report->n_imported, ==, 5);
  for (guint i = 0; i < report->warnings->len; i++)
    warned |= strstr (report->warnings->pdata[i], "feature 1: a MULTIPOLYGON of 2 parts became 2 annotations") != NULL;
  g_assert_true (warned);
}

static void
test_unwritable (Fixture *f, gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *inside = g_build_filename (file, "out.geojson", NULL);
  g_autofree char *project_path = g_strdup (sl_project_get_path (f->project[0]));
  g_autoptr(GError) error = NULL;
  SlLabelExportOptions options = { 0 };
  SlLabelExportOptions gpkg = { .format = SL_LABEL_FORMAT_GPKG };

  sl_test_write_bytes (file, "x", 1);
  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], inside, &options, NULL, &error), ==, -1);
  g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, inside));
  g_clear_error (&error);

  if (geteuid () != 0)
    {
      g_autofree char *ro = g_build_filename (f->dir, "read-only", NULL);
      g_autofree char *target = g_build_filename (ro, "out.gpkg", NULL);

      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], target, &options, NULL, &error), ==, -1);
      g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO);
      g_clear_error (&error);
      g_chmod (ro, 0755);
    }

  /* Never into the project itself. */
  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], project_path, &gpkg, NULL, &error), ==, -1);
  g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT);
  g_assert_cmpuint (sl_project_count_annotations (f->project[0]), ==, N_SCENES * 5);
}

/* A site of press images only: site pixel coordinates, no CRS, said so; KML refused. */
static void
test_pixel_space (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *jpg = g_build_filename (dir, "press.tif", NULL);
  g_autofree char *path = g_build_filename (dir, "press.sitelapse", NULL);
  g_autofree char *fgb = g_build_filename (dir, "press.fgb", NULL);
  g_autofree char *geojson = g_build_filename (dir, "press.geojson", NULL);
  g_autofree char *kml = g_build_filename (dir, "press.kml", NULL);
  SlTestImage spec = { .width = 80, .height = 60, .bands = 3, .seed = 9 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date ("2022-03-01T10:00:00Z");
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(SlAnnotation) box = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GPtrArray) back = NULL;
  gboolean warned = FALSE;

  sl_test_write_image (jpg, &spec);
  project = sl_project_create (path, "Press", &error);
  g_assert_no_error (error);
  probe = sl_scene_probe (jpg, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  scene = sl_project_add_scene (project, probe, &error);
  g_assert_no_error (error);
  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  box = make (SL_SHAPE_BOX, sl_scene_get_id (scene), TANK, 10.5, -20.25);
  g_assert_true (sl_annotation_store_add (store, box, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sl_labels_export (store, classes, fgb, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  assert_ogrinfo (fgb, 1, NULL);
  g_assert_cmpint (sl_labels_export (store, classes, geojson, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (sl_labels_export (store, classes, kml, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "no CRS"));
  g_clear_error (&error);

  report = sl_labels_import (store, classes, geojson, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1);
  for (guint i = 0; i < report->warnings->len; i++)
    warned |= strstr (report->warnings->pdata[i], "site pixel coordinates") != NULL;
  g_assert_true (warned);
  back = sl_annotation_store_query (store, sl_scene_get_id (scene), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_true (points_match (back->pdata[0], back->pdata[1], FALSE, 1e-9));

  g_clear_object (&store);
  g_clear_object (&classes);
  sl_project_close (project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_counts (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "counts.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (sl_labels_export (f->store[0], f->classes[0], path, NULL, NULL, &error), ==, N_SCENES * 5);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "class,2022-02-07,2022-02-14,2022-02-21T08:32Z,2022-02-21T14:00Z");
  g_assert_cmpstr (lines[1], ==, "Tank,2,2,2,2");   /* box, polygon */
  g_assert_cmpstr (lines[7], ==, "Truck,3,3,3,3");  /* point, rotated box, line */
  g_assert_cmpstr (lines[g_strv_length (lines) - 3], ==, "Total,5,5,5,5");
  g_assert_cmpstr (lines[g_strv_length (lines) - 2], ==, "Change from previous,,0,0,0");
}

static void
test_formats (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *json = g_build_filename (dir, "a.json", NULL);
  g_autofree char *coco = g_build_filename (dir, "b.json", NULL);
  g_autofree char *yolo = g_build_filename (dir, "c.txt", NULL);
  g_autofree char *dota = g_build_filename (dir, "d.txt", NULL);

  for (SlLabelFormat format = SL_LABEL_FORMAT_GEOJSON; format < SL_LABEL_N_FORMATS; format++)
    g_assert_cmpint (sl_label_format_from_string (sl_label_format_to_string (format)), ==, format);
  g_assert_cmpint (sl_label_format_from_string ("SHP"), ==, SL_LABEL_FORMAT_SHAPEFILE);
  g_assert_cmpint (sl_label_format_from_string ("fgb"), ==, SL_LABEL_FORMAT_FLATGEOBUF);
  g_assert_cmpint (sl_label_format_from_string ("nonsense"), ==, SL_LABEL_FORMAT_UNKNOWN);
  g_assert_cmpint (sl_label_format_guess ("x/Labels.GeoJSON", FALSE), ==, SL_LABEL_FORMAT_GEOJSON);
  g_assert_cmpint (sl_label_format_guess ("x.kmz", FALSE), ==, SL_LABEL_FORMAT_KMZ);
  g_assert_cmpint (sl_label_format_guess ("x.json", FALSE), ==, SL_LABEL_FORMAT_UNKNOWN);
  g_assert_true (sl_label_format_is_pixel (SL_LABEL_FORMAT_DOTA));
  g_assert_false (sl_label_format_is_pixel (SL_LABEL_FORMAT_GPKG));
  g_assert_false (sl_label_format_can_import (SL_LABEL_FORMAT_COUNTS_CSV));
  g_assert_true (sl_label_format_can_import (SL_LABEL_FORMAT_FLATGEOBUF));

  sl_test_write_bytes (json, "{\"type\": \"FeatureCollection\", \"features\": []}", 45);
  sl_test_write_bytes (coco, "{\"images\": [], \"annotations\": [], \"categories\": []}", 51);
  sl_test_write_bytes (yolo, "0 0.5 0.5 0.1 0.2\n", 18);
  sl_test_write_bytes (dota, "imagesource:x\ngsd:0.5\n1 1 2 1 2 2 1 2 tank 0\n", 45);
  g_assert_cmpint (sl_label_format_guess (json, TRUE), ==, SL_LABEL_FORMAT_GEOJSON);
  g_assert_cmpint (sl_label_format_guess (coco, TRUE), ==, SL_LABEL_FORMAT_COCO);
  g_assert_cmpint (sl_label_format_guess (yolo, TRUE), ==, SL_LABEL_FORMAT_YOLO);
  g_assert_cmpint (sl_label_format_guess (dota, TRUE), ==, SL_LABEL_FORMAT_DOTA);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *name = g_strdup_printf ("/labels-gis/round-trip/%s", sl_label_format_to_string (round_trips[i].format));

      g_test_add (name, Fixture, &round_trips[i], fixture_setup, test_round_trip, fixture_teardown);
    }
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/labels-gis/crs", test_crs);
  ADD ("/labels-gis/subset", test_subset);
  ADD ("/labels-gis/date-field", test_dates);
  ADD ("/labels-gis/classes", test_classes);
  ADD ("/labels-gis/bad-input", test_bad_input);
  ADD ("/labels-gis/multi-geometry", test_multi);
  ADD ("/labels-gis/unwritable", test_unwritable);
  ADD ("/labels-gis/counts-csv", test_counts);
  g_test_add_func ("/labels-gis/pixel-space", test_pixel_space);
  g_test_add_func ("/labels-gis/formats", test_formats);
  return g_test_run ();
}
