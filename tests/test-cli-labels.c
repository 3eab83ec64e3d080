/* test-cli-labels.c — `sitelapse-cli import` and `export` as a user runs them: formats, scenes
 * by id, label or date, class maps, exit codes and messages
 *
 * A project of two dated UTM scenes made with the CLI itself; labels written here as GeoJSON in
 * lon/lat, the way QGIS users hand them over.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-core.h"
#include "sl-test-util.h"

#define CLI(out, err, ...) sl_test_run (out, err, sl_test_cli (), __VA_ARGS__, NULL)

typedef struct
{
  char *dir;
  char *project;
} Fixture;

static char *
path_in (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static char *
write_file (Fixture *f, const char *name, const char *text)
{
  char *path = path_in (f, name);

  sl_test_write_bytes (path, text, strlen (text));
  return path;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char *const dates[] = { "2022-03-01T09:00:00Z", "2022-03-15T09:05:00Z" };
  static const char *const labels[] = { "Before", "After" };

  f->dir = sl_test_tmpdir_new ();
  f->project = path_in (f, "site.sitelapse");
  g_assert_cmpint (CLI (NULL, NULL, "new", f->project), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *name = g_strdup_printf ("scene-%u.tif", i);
      g_autofree char *tif = path_in (f, name);
      SlTestImage spec = { .width = 32, .height = 32, .bands = 3, .crs = "EPSG:32636", .origin_x = 500000,
                           .origin_y = 6000032, .pixel_size = 0.5, .seed = 70 + i };

      sl_test_write_image (tif, &spec);
      g_assert_cmpint (CLI (NULL, NULL, "add", f->project, tif, "--date", dates[i], "--label", labels[i]), ==, 0);
    }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->project);
  sl_test_tmpdir_free (f->dir);
}

#define FEATURE(cls, date, lon, lat) \
  "{\"type\":\"Feature\",\"properties\":{\"class\":\"" cls "\",\"acquired\":\"" date "\"}," \
  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" lon "," lat "]}}"

static const char labels_geojson[] =
  "{\"type\":\"FeatureCollection\",\"features\":["
  FEATURE ("Tank", "2022-03-01", "33.00001", "54.13001") ","
  FEATURE ("truck", "2022-03-01", "33.00002", "54.13002") ","
  FEATURE ("Tank", "2022-03-15", "33.00003", "54.13003")
  "]}";

/* The counts CSV's "Total" row. */
static char *
totals (Fixture *f)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (CLI (&out, NULL, "counts", f->project, "--csv"), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "Total,"))
      return g_strdup (lines[i]);
  g_assert_not_reached ();
}

static guint
ogr_count (const char *path)
{
  g_autofree char *out = NULL;
  const char *p;

  g_assert_cmpint (sl_test_run (&out, NULL, "ogrinfo", "-so", "-al", path, NULL), ==, 0);
  p = strstr (out, "Feature Count: ");
  g_assert_nonnull (p);
  return (guint) g_ascii_strtoull (p + strlen ("Feature Count: "), NULL, 10);
}

static void
test_import_export (Fixture *f, gconstpointer data)
{
  g_autofree char *labels = write_file (f, "labels.geojson", labels_geojson);
  g_autofree char *all = path_in (f, "all.fgb");
  g_autofree char *after = path_in (f, "after.geojson");
  g_autofree char *tanks = path_in (f, "tanks.kml");
  g_autofree char *counts = path_in (f, "counts.json");
  g_autofree char *out = NULL, *err = NULL, *total = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 3 annotations from"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  total = totals (f);
  g_assert_cmpstr (total, ==, "Total,2,1");

  /* Every date, the format from the name. */
  g_assert_cmpint (CLI (&out, &err, "export", f->project, all), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote 3 annotations to"));
  g_assert_nonnull (strstr (out, "FlatGeobuf"));
  g_assert_cmpuint (ogr_count (all), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A scene by label, by date, by id. */
  g_assert_cmpint (CLI (&out, NULL, "export", f->project, after, "--scene", "After"), ==, 0);
  g_assert_cmpuint (ogr_count (after), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, NULL, "export", f->project, after, "--scene", "2022-03-01"), ==, 0);
  g_assert_cmpuint (ogr_count (after), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (CLI (&out, NULL, "export", f->project, after, "--scene", "2", "--format", "geojson"), ==, 0);
  g_assert_cmpuint (ogr_count (after), ==, 1);
  g_clear_pointer (&out, g_free);

  /* Some classes, by key or name. */
  g_assert_cmpint (CLI (&out, NULL, "export", f->project, tanks, "--class", "TANK", "--all"), ==, 0);
  g_assert_nonnull (strstr (out, "Wrote 2 annotations"));
  g_assert_cmpuint (ogr_count (tanks), ==, 2);
  g_clear_pointer (&out, g_free);

  /* Counts through export. */
  g_assert_cmpint (CLI (&out, NULL, "export", f->project, counts, "--format", "counts-json"), ==, 0);
  g_assert_true (json_parser_load_from_file (parser, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (
                     json_node_get_object (json_parser_get_root (parser)), "totals"), 0), ==, 2);
  g_clear_pointer (&out, g_free);

  /* Round trip: the FlatGeobuf back in doubles the counts. */
  g_assert_cmpint (CLI (&out, &err, "import", f->project, all, "--json"), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "imported"), ==, 3);
  g_clear_pointer (&total, g_free);
  total = totals (f);
  g_assert_cmpstr (total, ==, "Total,4,2");
}

static void
test_classes (Fixture *f, gconstpointer data)
{
  g_autofree char *labels = write_file (f, "odd.geojson",
                                        "{\"type\":\"FeatureCollection\",\"features\":["
                                        FEATURE ("Panzer", "2022-03-01", "33.00001", "54.13001") ","
                                        FEATURE ("Kübelwagen", "2022-03-15", "33.00002", "54.13002")
                                        "]}");
  g_autofree char *csv_map = write_file (f, "map.csv", "name,class\nPanzer,tank\n\"Kübelwagen\",Truck\n");
  g_autofree char *json_map = write_file (f, "map.json", "{\"Panzer\": \"Tank\"}");
  g_autofree char *bad_map = write_file (f, "bad-map.csv", "Panzer,tank\njust-one-field\n");
  g_autofree char *out = NULL, *err = NULL, *total = NULL;

  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels), ==, 1);
  g_assert_nonnull (strstr (err, "odd.geojson"));
  g_assert_nonnull (strstr (err, "‘Panzer’"));
  g_assert_nonnull (strstr (err, "‘Kübelwagen’"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  total = totals (f);
  g_assert_cmpstr (total, ==, "Total,0,0");

  /* Half mapped: still the other name. */
  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels, "--class-map", json_map), ==, 1);
  g_assert_null (strstr (err, "Panzer"));
  g_assert_nonnull (strstr (err, "‘Kübelwagen’"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels, "--class-map", bad_map), ==, 1);
  g_assert_nonnull (strstr (err, "bad-map.csv line 2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels, "--class-map", csv_map), ==, 0);
  g_assert_nonnull (strstr (out, "Imported 2 annotations"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&total, g_free);
  total = totals (f);
  g_assert_cmpstr (total, ==, "Total,1,1");

  g_assert_cmpint (CLI (&out, &err, "import", f->project, labels, "--create-classes"), ==, 0);
  g_assert_nonnull (strstr (out, "(2 new classes)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "info", f->project), ==, 0);
  g_assert_true (g_regex_match_simple ("^Classes +14$", out, G_REGEX_MULTILINE, 0));
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *labels = write_file (f, "labels.geojson", labels_geojson);
  g_autofree char *broken = write_file (f, "broken.geojson", "{\"type\":\"FeatureCollection\",\n\"features\":[\n{,}]}\n");
  g_autofree char *late = write_file (f, "late.geojson",
                                      "{\"type\":\"FeatureCollection\",\"features\":["
                                      FEATURE ("Tank", "2022-03-01", "33.00001", "54.13001") ","
                                      FEATURE ("Tank", "2024-01-01", "33.00002", "54.13002")
                                      "]}");
  g_autofree char *blocked = g_build_filename (labels, "out.geojson", NULL);
  g_autofree char *out = NULL, *err = NULL, *total = NULL;

  /* Bad usage: 2. */
  g_assert_cmpint (CLI (NULL, &err, "import", f->project), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "import", f->project, labels, "--format", "gml"), ==, 2);
  g_assert_nonnull (strstr (err, "unknown format ‘gml’"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "export", f->project, "x.geojson", "--scene", "1", "--all"), ==, 2);
  g_clear_pointer (&err, g_free);
  for (const char *const *c = (const char *const[]) { "import", "export", NULL }; *c; c++)
    {
      g_assert_cmpint (CLI (&out, NULL, *c, "--help"), ==, 0);
      g_assert_nonnull (strstr (out, "--format"));
      g_clear_pointer (&out, g_free);
    }

  /* Failures: 1, with the file and the place. */
  g_assert_cmpint (CLI (NULL, &err, "import", f->project, broken), ==, 1);
  g_assert_nonnull (strstr (err, "broken.geojson line 3"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "import", f->project, late), ==, 1);
  g_assert_nonnull (strstr (err, "late.geojson feature 2: its date 2024-01-01 matches no scene"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "import", f->project, labels, "--scene", "Sometime"), ==, 1);
  g_assert_nonnull (strstr (err, "no scene ‘Sometime’"));
  g_assert_nonnull (strstr (err, "Before"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "export", f->project, "labels.json"), ==, 1);
  g_assert_nonnull (strstr (err, "cannot tell the label format"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "export", f->project, blocked), ==, 1);
  g_assert_nonnull (strstr (err, blocked));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "export", f->project, f->project, "--format", "gpkg"), ==, 1);
  g_assert_nonnull (strstr (err, "the project itself"));
  g_clear_pointer (&err, g_free);

  /* Nothing was imported by any of them. */
  total = totals (f);
  g_assert_cmpstr (total, ==, "Total,0,0");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add ("/cli-labels/import-export", Fixture, NULL, fixture_setup, test_import_export, fixture_teardown);
  g_test_add ("/cli-labels/classes", Fixture, NULL, fixture_setup, test_classes, fixture_teardown);
  g_test_add ("/cli-labels/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  return g_test_run ();
}
