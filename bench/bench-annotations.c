/* bench-annotations.c — the annotation layer's figures (issue 5): open + first query, viewport
 * queries with attributes, hit-testing, the counts table, at 100 000 and 1 000 000 annotations
 *
 * `bench-annotations [--work DIR] [--sizes 100000,1000000] [--views N]`. For each size it
 * makes a project of 10 dated scenes and fills it with vehicles clustered like a training
 * area (parks, columns, a few strays), mixed kinds, the same objects followed over the dates,
 * then measures in the same process after reopening the file. The peer is GDAL's own
 * GeoPackage driver reading the same views (OGR spatial + attribute filter) in-process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-annotations"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <glib/gstdio.h>

#include "sl-annotation-painter.h"
#include "sl-annotation-store.h"
#include "sl-core.h"
#include "sl-project.h"

#define N_DATES    10
#define N_CLUSTERS 60
#define SITE_X0    500000.0
#define SITE_Y0    6000000.0
#define SITE_SIZE  6000.0    /* metres: a 6 km × 6 km training area */
#define PIXEL      0.5       /* metres per screen pixel at 100 % */

typedef struct
{
  double cx, cy, spread, angle;
} Cluster;

static double
now (void)
{
  return g_get_monotonic_time () / 1e3; /* ms */
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, (guint) MIN (values->len - 1, floor (p / 100 * values->len)));
}

static double
mean (GArray *values)
{
  double sum = 0;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return sum / values->len;
}

static void
fail (const char *what, const GError *error)
{
  fprintf (stderr, "bench-annotations: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* A small georeferenced GeoTIFF per date (distinct pixels, so distinct SHA-256). */
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

static void
make_shape (SlAnnotation *a, GRand *rand, double x, double y, double angle)
{
  double r = g_rand_double (rand);
  double c = cos (angle), s = sin (angle);

  if (r < 0.5)
    {
      SlPoint p = { x, y };
      a->kind = SL_SHAPE_POINT;
      sl_annotation_set_points (a, &p, 1);
    }
  else if (r < 0.8)
    {
      /* A vehicle: 7 × 3.5 m along the column's heading. */
      double l = 7, w = 3.5;
      SlPoint p[4] = { { x, y }, { x + l * c, y + l * s }, { x + l * c - w * s, y + l * s + w * c }, { x - w * s, y + w * c } };
      a->kind = SL_SHAPE_ROTATED_BOX;
      sl_annotation_set_points (a, p, 4);
    }
  else if (r < 0.9)
    {
      /* A tent: 5 × 5 m, axis-aligned, clockwise from the north-west. */
      SlPoint p[4] = { { x, y }, { x + 5, y }, { x + 5, y - 5 }, { x, y - 5 } };
      a->kind = SL_SHAPE_BOX;
      sl_annotation_set_points (a, p, 4);
    }
  else if (r < 0.95)
    {
      SlPoint p[6];
      for (int i = 0; i < 6; i++)
        p[i] = (SlPoint) { x + 8 * cos (i * G_PI / 3), y + 6 * sin (i * G_PI / 3) };
      a->kind = SL_SHAPE_POLYGON;
      sl_annotation_set_points (a, p, 6);
    }
  else
    {
      SlPoint p[3] = { { x, y }, { x + 30 * c, y + 30 * s }, { x + 45 * c, y + 20 * s } };
      a->kind = SL_SHAPE_LINE;
      sl_annotation_set_points (a, p, 3);
    }
}

/* Object j of the site: its cluster and place, fixed over the dates (plus a little movement). */
static void
object_place (const Cluster *clusters, guint j, double *x, double *y, double *angle, int *class_id)
{
  GRand *rand = g_rand_new_with_seed (j * 2654435761u + 17);
  const Cluster *c = &clusters[j % N_CLUSTERS];
  double u = g_rand_double (rand), v = g_rand_double (rand);
  /* Box–Muller: a vehicle park is denser in the middle. */
  double rr = c->spread * sqrt (-2 * log (MAX (u, 1e-12))), t = 2 * G_PI * v;

  if (j % 20 == 0)
    {
      /* A stray: anywhere on the site. */
      *x = SITE_X0 + g_rand_double (rand) * SITE_SIZE;
      *y = SITE_Y0 + g_rand_double (rand) * SITE_SIZE;
    }
  else
    {
      *x = c->cx + rr * cos (t);
      *y = c->cy + rr * sin (t);
    }
  *angle = c->angle + g_rand_double_range (rand, -0.2, 0.2);
  /* Mostly tanks, APCs and trucks; the twelve seeded classes all appear. */
  *class_id = (int) (g_rand_double (rand) < 0.8 ? (guint[]) { 1, 2, 7, 2, 1, 7, 3 }[g_rand_int_range (rand, 0, 7)]
                                                 : (guint) g_rand_int_range (rand, 1, 13));
  g_rand_free (rand);
}

static gboolean interleaved;

static void
fill (SlProject *project, const gint64 *scenes, guint total, const Cluster *clusters)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint per_date = total / N_DATES;
  /* Each date keeps 90 % of the previous one's objects: a sliding window over object ids. */
  guint step = per_date / 10;
  double t0 = now ();

  for (guint d = 0; d < N_DATES; d++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
      g_autofree guint *order = g_new (guint, per_date);
      guint m = 0;

      /* By default in the order an analyst tags them, one vehicle park after the other (so
       * neighbours get near fids); --interleaved: each next object in another park, the worst
       * case for reading a view's rows. Park of object j: j % N_CLUSTERS. */
      for (guint c = 0; c < (interleaved ? 1 : N_CLUSTERS); c++)
        for (guint k = 0; k < per_date; k++)
          if (interleaved || (d * step + k) % N_CLUSTERS == c)
            order[m++] = k;
      g_assert (m == per_date);

      for (guint n = 0; n < per_date; n++)
        {
          guint k = order[n];
          guint j = d * step + k;
          double x, y, angle;
          int class_id;
          SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, NULL, 0);

          object_place (clusters, j, &x, &y, &angle, &class_id);
          x += g_rand_double_range (rand, -1, 1);
          y += g_rand_double_range (rand, -1, 1);
          make_shape (a, rand, x, y, angle);
          a->scene_id = scenes[d];
          a->class_id = class_id;
          a->object_uid = g_strdup_printf ("%08x-0000-4000-8000-%012x", j, j);
          a->confidence = (SlConfidence) g_rand_int_range (rand, 0, 4);
          if (k % 7 == 0)
            a->note = g_strdup ("under netting, tracks leading north-east");
          a->author = g_strdup ("bench");
          g_ptr_array_add (batch, a);
          if (batch->len == 5000 || n + 1 == per_date)
            {
              if (!sl_annotation_store_add_many (store, batch, &error))
                fail ("adding annotations", error);
              g_ptr_array_set_size (batch, 0);
            }
        }
    }
  printf ("  generated %u annotations in %.1f s (%.0f/s, batches of 5000)\n", total, (now () - t0) / 1000,
          total / ((now () - t0) / 1000));
}

static SlBounds
view_at (double cx, double cy, double scale)
{
  double w = 1920 * PIXEL * scale, h = 1080 * PIXEL * scale;
  return (SlBounds) { cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2 };
}

/* View centres where an analyst looks: on the objects, i.e. at random annotations. */
static void
pick_centres (const Cluster *clusters, guint n, double *xs, double *ys, guint per_date)
{
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      double angle;
      int class_id;

      object_place (clusters, g_rand_int_range (rand, 0, (gint32) per_date), &xs[i], &ys[i], &angle, &class_id);
    }
  g_rand_free (rand);
}

/* The zoom-out factor (1 = 100 %, 0.5 m per pixel) at which views hold about @target. */
static double
scale_for (SlAnnotationStore *store, gint64 scene, const double *xs, const double *ys, guint target)
{
  double lo = 0.05, hi = 40;

  for (int it = 0; it < 30; it++)
    {
      double mid = sqrt (lo * hi), sum = 0;

      for (guint i = 0; i < 20; i++)
        {
          SlBounds b = view_at (xs[i], ys[i], mid);
          sum += sl_annotation_store_count_in (store, scene, &b);
        }
      if (sum / 20 < target)
        lo = mid;
      else
        hi = mid;
    }
  return sqrt (lo * hi);
}

static void
measure_views (SlAnnotationStore *store, const char *path, gint64 scene, const double *xs, const double *ys,
               guint n_views, double scale, const char *label)
{
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) count_only = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) peer = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) marks_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) layer_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  guint n_dense = 0;
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH layer = ds ? GDALDatasetGetLayerByName (ds, "annotations") : NULL;
  g_autofree char *filter = g_strdup_printf ("scene_id = %" G_GINT64_FORMAT, scene);
  guint mismatches = 0;

  if (layer)
    OGR_L_SetAttributeFilter (layer, filter);
  for (guint i = 0; i < n_views; i++)
    {
      SlBounds b = view_at (xs[i], ys[i], scale);
      double t0 = now (), t1, n;
      g_autoptr(GPtrArray) hits = sl_annotation_store_query (store, scene, &b, &error);

      t1 = now ();
      if (hits == NULL)
        fail ("querying", error);
      n = hits->len;
      g_array_append_val (ours, (double) { t1 - t0 });
      g_array_append_val (counts, n);
      t0 = now ();
      sl_annotation_store_count_in (store, scene, &b);
      g_array_append_val (count_only, (double) { now () - t0 });

      /* Marks from the index alone, and what the layer fetches: rows when the view holds up
       * to the painter's level-of-detail threshold, marks (drawn as dots or clusters) above. */
      {
        g_autoptr(GArray) marks = NULL;
        gboolean dense;

        t0 = now ();
        marks = sl_annotation_store_query_marks (store, scene, &b, &error);
        if (marks == NULL)
          fail ("reading marks", error);
        g_array_append_val (marks_times, (double) { now () - t0 });
        t0 = now ();
        dense = sl_annotation_store_count_in (store, scene, &b) > SL_ANNOTATION_PAINTER_LOD_THRESHOLD;
        g_clear_pointer (&marks, g_array_unref);
        if (dense)
          marks = sl_annotation_store_query_marks (store, scene, &b, NULL);
        else
          g_ptr_array_unref (sl_annotation_store_query (store, scene, &b, NULL));
        g_array_append_val (layer_times, (double) { now () - t0 });
        n_dense += dense;
      }

      if (layer)
        {
          OGRFeatureH feature;
          guint m = 0;

          t0 = now ();
          OGR_L_SetSpatialFilterRect (layer, b.min_x, b.min_y, b.max_x, b.max_y);
          OGR_L_ResetReading (layer);
          while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
            {
              m++;
              OGR_F_Destroy (feature);
            }
          g_array_append_val (peer, (double) { now () - t0 });
          /* OGR drops a few whose float32 R-tree box meets the view but whose exact one does not. */
          mismatches += m != hits->len;
        }
    }
  printf ("  %-34s %5.0f visible (min %.0f, max %.0f), view %.0f × %.0f m\n", label, mean (counts),
          percentile (counts, 0), percentile (counts, 100), 1920 * PIXEL * scale, 1080 * PIXEL * scale);
  printf ("  %-34s mean %7.3f ms  p95 %7.3f ms   (%.2f µs per annotation)\n", "    query with attributes",
          mean (ours), percentile (ours, 95), 1000 * mean (ours) / MAX (mean (counts), 1));
  printf ("  %-34s mean %7.3f ms  p95 %7.3f ms\n", "    count only (LOD decision)", mean (count_only),
          percentile (count_only, 95));
  printf ("  %-34s mean %7.3f ms  p95 %7.3f ms   (%.2f µs per annotation)\n", "    marks from the index",
          mean (marks_times), percentile (marks_times, 95), 1000 * mean (marks_times) / MAX (mean (counts), 1));
  printf ("  %-34s mean %7.3f ms  p95 %7.3f ms   (%u of %u views dense: marks)\n",
          "    what the layer fetches", mean (layer_times), percentile (layer_times, 95), n_dense, n_views);
  if (peer->len)
    printf ("  %-34s mean %7.3f ms  p95 %7.3f ms   ratio %.1fx (%u views differ by an edge case)\n",
            "    peer: OGR GPKG driver, same views", mean (peer), percentile (peer, 95), mean (peer) / mean (ours),
            mismatches);
  if (ds)
    GDALClose (ds);
}

static void
run (const char *work, guint total, guint n_views)
{
  g_autofree char *path = g_strdup_printf ("%s/annotations-%u%s.gpkg", work, total, interleaved ? "-interleaved" : "");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) hit_times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 scenes[N_DATES];
  Cluster clusters[N_CLUSTERS];
  g_autofree double *xs = g_new (double, n_views), *ys = g_new (double, n_views);
  GRand *rand = g_rand_new_with_seed (1);
  double t0, typical_scale, scale5000;
  guint hits = 0;

  for (guint c = 0; c < N_CLUSTERS; c++)
    clusters[c] = (Cluster) { SITE_X0 + 300 + g_rand_double (rand) * (SITE_SIZE - 600),
                              SITE_Y0 + 300 + g_rand_double (rand) * (SITE_SIZE - 600),
                              g_rand_double_range (rand, 20, 120), g_rand_double (rand) * G_PI };
  g_rand_free (rand);

  printf ("\n== %u annotations (%u per date, %d dates) ==\n", total, total / N_DATES, N_DATES);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *tmp = g_strconcat (path, ".part", NULL);

      g_unlink (tmp);
      project = sl_project_create (tmp, "Training area", &error);
      if (project == NULL)
        fail ("creating the project", error);
      for (guint d = 0; d < N_DATES; d++)
        {
          g_autofree char *tif = g_strdup_printf ("%s/annotations-scene-%u.tif", work, d);
          g_autoptr(SlScene) probe = NULL, stored = NULL;
          g_autoptr(GDateTime) when = g_date_time_new_utc (2022, 1 + d, 10, 8, 30, 0);

          write_scene (tif, (int) d);
          if ((probe = sl_scene_probe (tif, &error)) == NULL)
            fail ("probing a scene", error);
          sl_scene_set_acquired (probe, when);
          if ((stored = sl_project_add_scene (project, probe, &error)) == NULL)
            fail ("adding a scene", error);
          scenes[d] = sl_scene_get_id (stored);
        }
      fill (project, scenes, total, clusters);
      sl_project_close (project);
      g_clear_object (&project);
      if (g_rename (tmp, path) != 0)
        fail ("renaming the project", NULL);
    }
  pick_centres (clusters, n_views, xs, ys, total / N_DATES);

  /* 1. Open + the first query of a 1920 × 1080 view at 100 %, then a few more times warm. */
  for (int k = 0; k < 5; k++)
    {
      g_autoptr(GPtrArray) first = NULL;
      SlBounds b = view_at (xs[0], ys[0], 1);

      g_clear_object (&store);
      g_clear_object (&project);
      t0 = now ();
      if ((project = sl_project_open (path, &error)) == NULL)
        fail ("opening", error);
      store = sl_annotation_store_new (project);
      {
        g_autoptr(GPtrArray) list = sl_project_list_scenes (project, &error);
        if (list == NULL)
          fail ("listing scenes", error);
        for (guint d = 0; d < N_DATES; d++)
          scenes[d] = sl_scene_get_id (list->pdata[d]);
      }
      if ((first = sl_annotation_store_query (store, scenes[N_DATES - 1], &b, &error)) == NULL)
        fail ("querying", error);
      g_array_append_val (times, (double) { now () - t0 });
      if (k == 0)
        printf ("  open + first 1920×1080 view at 100 %%:  %.1f ms (%u annotations; file cached by the OS)\n",
                g_array_index (times, double, 0), first->len);
    }
  printf ("  open + first view, next 4 runs:          median %.1f ms\n", percentile (times, 50));

  /* 2. Viewport queries: a typical view at 100 %, and views zoomed out to ~5 000 visible. */
  typical_scale = 1;
  measure_views (store, path, scenes[N_DATES - 1], xs, ys, n_views, typical_scale, "1920×1080 at 100 % (0.5 m/px):");
  scale5000 = scale_for (store, scenes[N_DATES - 1], xs, ys, 5000);
  measure_views (store, path, scenes[N_DATES - 1], xs, ys, n_views, scale5000, "zoomed out to ~5 000 visible:");

  /* 3. Hit-testing: 1 000 clicks on objects (3 px tolerance at 100 %). */
  for (guint i = 0; i < 1000; i++)
    {
      double x = xs[i % n_views] + (i / n_views) * 0.3, y = ys[i % n_views];

      t0 = now ();
      hits += sl_annotation_store_hit_test (store, scenes[N_DATES - 1], x, y, 3 * PIXEL) != 0;
      g_array_append_val (hit_times, (double) { now () - t0 });
    }
  printf ("  hit-test (1 000 clicks, %u hit):       mean %.3f ms  p95 %.3f ms\n", hits, mean (hit_times),
          percentile (hit_times, 95));

  /* 4. The counts table. */
  g_array_set_size (times, 0);
  for (int k = 0; k < 20; k++)
    {
      g_autoptr(SlCountsTable) table = NULL;

      t0 = now ();
      if ((table = sl_annotation_store_count (store, &error)) == NULL)
        fail ("counting", error);
      g_array_append_val (times, (double) { now () - t0 });
    }
  printf ("  counts table (12 classes × %d dates):    mean %.2f ms  p95 %.2f ms\n", N_DATES, mean (times),
          percentile (times, 95));
}

int
main (int argc, char **argv)
{
  g_autofree char *work = NULL;
  g_autofree char *sizes = NULL;
  int n_views = 200;
  g_auto(GStrv) list = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— annotation layer benchmarks");
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "work", 0, 0, G_OPTION_ARG_FILENAME, &work, "Folder for the generated projects (kept and reused)", "DIR" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes, "Annotation counts (default 100000,1000000)", "N,N" },
    { "views", 0, 0, G_OPTION_ARG_INT, &n_views, "Random views per measurement (default 200)", "N" },
    { "interleaved", 0, 0, G_OPTION_ARG_NONE, &interleaved, "Store each next object in another park (worst case)", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_views < 20)
    {
      fprintf (stderr, "bench-annotations: %s\n", error ? error->message : "--views must be at least 20");
      return 2;
    }
  sl_core_init ();
  if (work == NULL)
    work = g_strdup ("bench/work/annotations");
  g_mkdir_with_parents (work, 0755);
  list = g_strsplit (sizes ? sizes : "100000,1000000", ",", -1);

  {
    g_autofree char *loadavg = NULL;
    g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
    printf ("bench-annotations: %d views per measurement; load average at start: %s", n_views,
            loadavg ? loadavg : "?\n");
  }
  for (guint i = 0; list[i]; i++)
    run (work, (guint) g_ascii_strtoull (list[i], NULL, 10), (guint) n_views);
  {
    g_autofree char *loadavg = NULL;
    g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
    printf ("\nload average at the end: %s", loadavg ? loadavg : "?\n");
  }
  return 0;
}
