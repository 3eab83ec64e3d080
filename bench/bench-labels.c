/* bench-labels.c — the GIS label figures of issue 7: GeoJSON export of 100 000 annotations
 * against `ogr2ogr -f GeoJSON out.geojson PROJECT annotations` in the same run, and import of
 * 100 000 objects from a GeoJSON file
 *
 * `bench-labels [--work DIR] [--count N] [--runs N]`. Makes a project of 3 dated UTM scenes
 * holding N annotations (half points, the rest rotated boxes, boxes, polygons and lines, with
 * notes and confidences), then, alternating, exports them with sl_labels_export (RFC 7946:
 * reprojected to lon/lat, 9 decimals, every attribute) and runs ogr2ogr on the project's
 * annotations layer (no reprojection: GeoJSON in the site CRS); the best of the runs counts.
 * The import reads a GeoJSON of N features in lon/lat written here by hand (class, date, kind,
 * confidence per feature; dates spread over the scenes) into a fresh project over the same
 * scenes, one transaction. Prints a table and one JSON line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-labels"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>
#include <glib/gstdio.h>

#include "sl-annotation-store.h"
#include "sl-core.h"
#include "sl-labels.h"
#include "sl-project.h"

#define N_DATES   3
#define SITE_X0   500000.0
#define SITE_Y0   6000000.0
#define SITE_SIZE 6000.0

static const char *const dates[N_DATES] = { "2022-01-18T08:14:00Z", "2022-02-06T08:21:00Z", "2022-02-21T08:09:00Z" };

static double
now (void)
{
  return g_get_monotonic_time () / 1e3; /* ms */
}

static void
fail (const char *what, const GError *error)
{
  fprintf (stderr, "bench-labels: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static void
write_scene (const char *path, int seed)
{
  GDALDriverH drv = GDALGetDriverByName ("GTiff");
  GDALDatasetH ds = GDALCreate (drv, path, 64, 64, 3, GDT_Byte, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  double gt[6] = { SITE_X0, SITE_SIZE / 64, 0, SITE_Y0 + SITE_SIZE, 0, -SITE_SIZE / 64 };
  guint8 pixels[64 * 64];
  char *wkt = NULL;

  OSRImportFromEPSG (srs, 32636);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  for (int b = 1; b <= 3; b++)
    {
      for (int i = 0; i < 64 * 64; i++)
        pixels[i] = (guint8) ((i * (seed + 3) + b * 50) & 0xff);
      if (GDALRasterIO (GDALGetRasterBand (ds, b), GF_Write, 0, 0, 64, 64, pixels, 64, 64, GDT_Byte, 0, 0) != CE_None)
        fail ("writing a scene", NULL);
    }
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
  GDALClose (ds);
}

static SlProject *
make_project (const char *work, const char *name)
{
  g_autofree char *path = g_build_filename (work, name, NULL);
  g_autoptr(GError) error = NULL;
  SlProject *project;

  g_unlink (path);
  project = sl_project_create (path, "Bench", &error);
  if (project == NULL)
    fail (path, error);
  for (guint d = 0; d < N_DATES; d++)
    {
      g_autofree char *file = g_strdup_printf ("labels-scene-%u.tif", d);
      g_autofree char *tif = g_build_filename (work, file, NULL);
      g_autoptr(SlScene) probe = NULL;
      g_autoptr(SlScene) stored = NULL;
      g_autoptr(GDateTime) when = sl_scene_parse_date (dates[d]);

      if (!g_file_test (tif, G_FILE_TEST_EXISTS))
        write_scene (tif, (int) d + 1);
      if ((probe = sl_scene_probe (tif, &error)) == NULL)
        fail (tif, error);
      sl_scene_set_acquired (probe, when);
      if ((stored = sl_project_add_scene (project, probe, &error)) == NULL)
        fail (tif, error);
    }
  return project;
}

static SlAnnotation *
random_annotation (GRand *rand, gint64 scene_id)
{
  double x = SITE_X0 + g_rand_double (rand) * SITE_SIZE, y = SITE_Y0 + g_rand_double (rand) * SITE_SIZE;
  double angle = g_rand_double (rand) * G_PI, c = cos (angle), s = sin (angle);
  double r = g_rand_double (rand);
  SlAnnotation *a;

  if (r < 0.5)
    a = sl_annotation_new (SL_SHAPE_POINT, &(SlPoint) { x, y }, 1);
  else if (r < 0.8)
    {
      SlPoint p[4] = { { x, y }, { x + 7 * c, y + 7 * s }, { x + 7 * c - 3.5 * s, y + 7 * s + 3.5 * c },
                       { x - 3.5 * s, y + 3.5 * c } };
      a = sl_annotation_new (SL_SHAPE_ROTATED_BOX, p, 4);
    }
  else if (r < 0.9)
    {
      SlPoint p[4] = { { x, y }, { x + 5, y }, { x + 5, y - 5 }, { x, y - 5 } };
      a = sl_annotation_new (SL_SHAPE_BOX, p, 4);
    }
  else if (r < 0.95)
    {
      SlPoint p[6];
      for (int i = 0; i < 6; i++)
        p[i] = (SlPoint) { x + 8 * cos (i * G_PI / 3), y + 6 * sin (i * G_PI / 3) };
      a = sl_annotation_new (SL_SHAPE_POLYGON, p, 6);
    }
  else
    {
      SlPoint p[3] = { { x, y }, { x + 30 * c, y + 30 * s }, { x + 45 * c, y + 20 * s } };
      a = sl_annotation_new (SL_SHAPE_LINE, p, 3);
    }
  a->scene_id = scene_id;
  a->class_id = g_rand_int_range (rand, 1, 13);
  a->confidence = (SlConfidence) g_rand_int_range (rand, 0, 4);
  if (g_rand_int_range (rand, 0, 10) == 0)
    a->note = g_strdup ("half hidden under netting");
  return a;
}

static void
fill (SlProject *project, guint total)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;

  if ((scenes = sl_project_list_scenes (project, &error)) == NULL)
    fail ("scenes", error);
  for (guint i = 0; i < total; i++)
    g_ptr_array_add (batch, random_annotation (rand, sl_scene_get_id (scenes->pdata[i % N_DATES])));
  if (!sl_annotation_store_add_many (store, batch, &error))
    fail ("filling the project", error);
}

/* N features in lon/lat, the way another GIS hands them over. */
static void
write_geojson (const char *path, guint total)
{
  static const char *const classes[] = { "tank", "ifv_apc", "truck", "Tent", "MLRS", "Helicopter" };
  static const char *const confidences[] = { "low", "medium", "high" };
  static const char *const days[N_DATES] = { "2022-01-18", "2022-02-06", "2022-02-21" };
  g_autoptr(GString) out = g_string_sized_new ((gsize) total * 330);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GError) error = NULL;
  OGRSpatialReferenceH utm = OSRNewSpatialReference (NULL), wgs84 = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  OSRImportFromEPSG (utm, 32636);
  OSRImportFromEPSG (wgs84, 4326);
  OSRSetAxisMappingStrategy (utm, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (utm, wgs84);

  g_string_append (out, "{\"type\":\"FeatureCollection\",\"features\":[\n");
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(SlAnnotation) a = random_annotation (rand, 1);
      double xs[7], ys[7];
      guint n = a->n_points;
      gboolean ring = a->kind == SL_SHAPE_BOX || a->kind == SL_SHAPE_ROTATED_BOX || a->kind == SL_SHAPE_POLYGON;

      for (guint k = 0; k < n; k++)
        {
          xs[k] = a->points[k].x;
          ys[k] = a->points[k].y;
        }
      if (ring)
        {
          xs[n] = xs[0];
          ys[n] = ys[0];
          n++;
        }
      OCTTransform (ct, (int) n, xs, ys, NULL);
      g_string_append_printf (out, "%s{\"type\":\"Feature\",\"properties\":{\"class\":\"%s\",\"date\":\"%s\","
                              "\"kind\":\"%s\",\"confidence\":\"%s\"},\"geometry\":{\"type\":\"%s\",\"coordinates\":",
                              i ? ",\n" : "", classes[i % G_N_ELEMENTS (classes)], days[i % N_DATES],
                              sl_shape_kind_to_string (a->kind), confidences[i % 3],
                              a->kind == SL_SHAPE_POINT ? "Point" : a->kind == SL_SHAPE_LINE ? "LineString" : "Polygon");
      g_string_append (out, ring ? "[[" : a->kind == SL_SHAPE_LINE ? "[" : "");
      for (guint k = 0; k < n; k++)
        {
          g_string_append_printf (out, "%s[%s,", k ? "," : "", g_ascii_formatd (buf, sizeof buf, "%.9f", xs[k]));
          g_string_append_printf (out, "%s]", g_ascii_formatd (buf, sizeof buf, "%.9f", ys[k]));
        }
      g_string_append (out, ring ? "]]" : a->kind == SL_SHAPE_LINE ? "]" : "");
      g_string_append (out, "}}");
    }
  g_string_append (out, "\n]}\n");
  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (utm);
  OSRDestroySpatialReference (wgs84);
  if (!g_file_set_contents (path, out->str, (gssize) out->len, &error))
    fail (path, error);
}

/* What the export spends reading the project: every annotation of every scene. */
static double
run_query (SlProject *project)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, NULL);
  double t0 = now ();

  for (guint s = 0; s < scenes->len; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) some = sl_annotation_store_query (store, sl_scene_get_id (scenes->pdata[s]), NULL, &error);

      if (some == NULL)
        fail ("querying", error);
    }
  return now () - t0;
}

static double
run_ogr2ogr (const char *project, const char *out)
{
  const char *argv[] = { "ogr2ogr", "-f", "GeoJSON", out, project, "annotations", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  double t0;

  g_unlink (out);
  t0 = now ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
    fail ("ogr2ogr", error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    fail ("ogr2ogr exited with an error", NULL);
  return now () - t0;
}

static double
run_export (SlProject *project, const char *out, gssize expected)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(SlClassSet) classes = sl_class_set_new (project);
  g_autoptr(GError) error = NULL;
  double t0 = now ();
  gssize n = sl_labels_export (store, classes, out, NULL, NULL, &error);

  if (n != expected)
    fail ("exporting", error);
  return now () - t0;
}

int
main (int argc, char **argv)
{
  g_autofree char *work = g_strdup ("bench/work/labels");
  int count = 100000, runs = 3;
  GOptionEntry entries[] = {
    { "work", 0, 0, G_OPTION_ARG_FILENAME, &work, "Folder for the projects and outputs", "DIR" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Annotations (default 100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Export runs of each (best counts; default 3)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— GeoJSON export vs ogr2ogr, GeoJSON import");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) source = NULL;
  g_autoptr(SlProject) target = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autofree char *ours = NULL, *peer = NULL, *input = NULL;
  SlLabelImportOptions options = { .create_classes = TRUE };
  double best_ours = G_MAXDOUBLE, best_peer = G_MAXDOUBLE, best_query = G_MAXDOUBLE, t0, fill_ms, import_ms, read_ms;
  GStatBuf st_ours, st_peer;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("options", error);
  sl_core_init ();
  if (g_mkdir_with_parents (work, 0755) != 0)
    fail (work, NULL);

  source = make_project (work, "labels-source.sitelapse.gpkg");
  t0 = now ();
  fill (source, (guint) count);
  fill_ms = now () - t0;
  sl_project_close (source);
  g_clear_object (&source);
  {
    g_autofree char *path = g_build_filename (work, "labels-source.sitelapse.gpkg", NULL);
    if ((source = sl_project_open (path, &error)) == NULL)
      fail (path, error);
  }

  ours = g_build_filename (work, "ours.geojson", NULL);
  peer = g_build_filename (work, "ogr2ogr.geojson", NULL);
  for (int r = 0; r < runs; r++)
    {
      /* Alternating, so both see the same machine. */
      best_ours = MIN (best_ours, run_export (source, ours, count));
      best_peer = MIN (best_peer, run_ogr2ogr (sl_project_get_path (source), peer));
      best_query = MIN (best_query, run_query (source));
    }
  g_stat (ours, &st_ours);
  g_stat (peer, &st_peer);

  input = g_build_filename (work, "input.geojson", NULL);
  write_geojson (input, (guint) count);
  target = make_project (work, "labels-target.sitelapse.gpkg");
  store = sl_annotation_store_new (target);
  classes = sl_class_set_new (target);
  /* The reading alone (OGR, reprojection, records), as the mapping dialog does it. */
  t0 = now ();
  unknown = sl_labels_unknown_classes (store, classes, input, &options, &error);
  read_ms = now () - t0;
  if (unknown == NULL)
    fail ("reading", error);
  t0 = now ();
  report = sl_labels_import (store, classes, input, &options, NULL, &error);
  import_ms = now () - t0;
  if (report == NULL || report->n_imported != (guint) count)
    fail ("importing", error);

  printf ("GIS labels, %d annotations\n", count);
  printf ("  %-44s %9.0f ms  %6.1f MB\n", "GeoJSON export (sl_labels_export, RFC 7946)", best_ours,
          st_ours.st_size / 1e6);
  printf ("  %-44s %9.0f ms  %6.1f MB\n", "ogr2ogr -f GeoJSON out.geojson PROJECT annotations", best_peer,
          st_peer.st_size / 1e6);
  printf ("  %-44s %9.2f ×   (target ≤ 1.2)\n", "ratio", best_ours / best_peer);
  printf ("  %-44s %9.0f ms\n", "  of which querying the store", best_query);
  printf ("  %-44s %9.0f ms  %6.0f features/s\n", "GeoJSON import (one transaction)", import_ms,
          count / (import_ms / 1000));
  printf ("  %-44s %9.0f ms  %6.0f features/s\n", "  of which reading the file (OGR, reprojection)", read_ms,
          count / (read_ms / 1000));
  printf ("  %-44s %9.0f ms  %6.0f annotations/s\n", "filling the source: add_many alone", fill_ms,
          count / (fill_ms / 1000));
  printf ("{\"bench\": \"labels\", \"count\": %d, \"export_ms\": %.1f, \"ogr2ogr_ms\": %.1f, \"ratio\": %.3f, "
          "\"import_ms\": %.1f, \"import_per_s\": %.0f, \"read_ms\": %.1f, \"add_many_ms\": %.1f, \"query_ms\": %.1f}\n", count,
          best_ours, best_peer, best_ours / best_peer, import_ms, count / (import_ms / 1000), read_ms, fill_ms, best_query);

  g_clear_object (&store);
  g_clear_object (&classes);
  sl_project_close (source);
  sl_project_close (target);
  return 0;
}
