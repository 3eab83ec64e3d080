/* bench-labels-ml.c — issue 7's import figures for the pixel formats: 100 000 objects from
 * COCO JSON and from DOTA text into a project (target: under 2 s, ≥ 50 000 features/s)
 *
 * `bench-labels-ml [--work DIR] [--objects N]`. Makes a project with one 10000 × 10000 scene
 * (UTM 36N, 0.5 m) holding N vehicles (boxes, rotated boxes, polygons), exports them to
 * COCO and DOTA with sl_labels_export, then imports each file into a fresh project with the
 * same scene through sl_labels_import — the real pipeline: size check, parse, records, class
 * mapping, checks, one add_many transaction. Where the time goes is measured separately in
 * the same run: the format's reader alone (parse → records in site coordinates) and
 * sl_annotation_store_add_many alone (the same annotations into another fresh project), then
 * the removal of all of them in one call, as undoing the import does ("undo").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-labels-ml"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gdal.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-labels-private.h"

#define SIZE 10000
#define ORIGIN_X 500000.0
#define ORIGIN_Y 6005000.0
#define PIXEL 0.5

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1e3;
}

/* CPU time of the process: on a shared machine, wall time counts the neighbours too. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
fail (const char *what, const GError *error)
{
  fprintf (stderr, "bench-labels-ml: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static void
write_scene (const char *path)
{
  char *options[] = { "TILED=YES", "COMPRESS=DEFLATE", "SPARSE_OK=TRUE", NULL };
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, SIZE, SIZE, 3, GDT_Byte, options);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  double gt[6] = { ORIGIN_X, PIXEL, 0, ORIGIN_Y, 0, -PIXEL };
  guint8 block[256 * 256];
  char *wkt = NULL;

  if (ds == NULL)
    fail ("creating the scene", NULL);
  OSRImportFromEPSG (srs, 32636);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  for (int i = 0; i < 256 * 256; i++)
    block[i] = (guint8) (i * 7);
  for (int b = 1; b <= 3; b++)
    if (GDALRasterIO (GDALGetRasterBand (ds, b), GF_Write, 0, 0, 256, 256, block, 256, 256, GDT_Byte, 0, 0) != CE_None)
      fail ("writing the scene", NULL);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
  GDALClose (ds);
}

static SlProject *
make_project (const char *path, const char *image, gint64 *scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date ("2022-02-21T08:30:00Z");
  SlProject *project;

  g_unlink (path);
  if ((project = sl_project_create (path, "Bench", &error)) == NULL)
    fail (path, error);
  if ((probe = sl_scene_probe (image, &error)) == NULL)
    fail (image, error);
  sl_scene_set_acquired (probe, when);
  if ((stored = sl_project_add_scene (project, probe, &error)) == NULL)
    fail ("adding the scene", error);
  *scene_id = sl_scene_get_id (stored);
  return project;
}

/* N vehicles in site coordinates: 50 % rotated boxes (7 × 3.5 m), 35 % boxes, 15 % hexagons. */
static GPtrArray *
make_objects (guint n, gint64 scene_id, GPtrArray *classes)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      double x = ORIGIN_X + g_rand_double_range (rand, 20, SIZE * PIXEL - 20);
      double y = ORIGIN_Y - g_rand_double_range (rand, 20, SIZE * PIXEL - 20);
      double r = g_rand_double (rand), a = g_rand_double_range (rand, 0.1, 1.4), c = cos (a), s = sin (a);
      SlAnnotation *ann;

      if (r < 0.5)
        {
          SlPoint p[4] = { { x, y }, { x + 7 * c, y + 7 * s }, { x + 7 * c - 3.5 * s, y + 7 * s + 3.5 * c },
                           { x - 3.5 * s, y + 3.5 * c } };
          ann = sl_annotation_new (SL_SHAPE_ROTATED_BOX, p, 4);
        }
      else if (r < 0.85)
        {
          SlPoint p[4] = { { x, y }, { x + 5, y }, { x + 5, y - 5 }, { x, y - 5 } };
          ann = sl_annotation_new (SL_SHAPE_BOX, p, 4);
        }
      else
        {
          SlPoint p[6];
          for (int k = 0; k < 6; k++)
            p[k] = (SlPoint) { x + 6 * cos (k * G_PI / 3), y + 4 * sin (k * G_PI / 3) };
          ann = sl_annotation_new (SL_SHAPE_POLYGON, p, 6);
        }
      ann->scene_id = scene_id;
      ann->class_id = ((SlClass *) classes->pdata[g_rand_int_range (rand, 0, classes->len)])->id;
      g_ptr_array_add (all, ann);
    }
  return all;
}

typedef struct
{
  double total_ms, read_ms, add_ms;
  double total_cpu, read_cpu, add_cpu;
  guint  n;
  double remove_ms;
  gint64 file_size;
} Figures;

static Figures
measure (const char *work, const char *image, const char *file, SlLabelFormat format, const SlLabelFormatIo *io)
{
  g_autofree char *target = g_build_filename (work, "import.sitelapse", NULL);
  g_autofree char *scratch = g_build_filename (work, "add-many.sitelapse", NULL);
  g_autoptr(GError) error = NULL;
  Figures fig = { 0 };
  GStatBuf st;
  gint64 scene_id;
  double t0, c0;

  g_stat (file, &st);
  fig.file_size = st.st_size;

  /* 1. The whole import. */
  {
    g_autoptr(SlProject) project = make_project (target, image, &scene_id);
    g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
    g_autoptr(SlClassSet) classes = sl_class_set_new (project);
    g_autoptr(SlLabelImportReport) report = NULL;
    SlLabelImportOptions options = { .format = format, .scene_id = scene_id };

    t0 = now_ms (), c0 = cpu_ms ();
    report = sl_labels_import (store, classes, file, &options, NULL, &error);
    fig.total_ms = now_ms () - t0, fig.total_cpu = cpu_ms () - c0;
    if (report == NULL)
      fail (file, error);
    fig.n = report->n_imported;
    sl_project_close (project);
  }

  /* 2. The reader alone, then 3. add_many alone of what it read, into a fresh project. */
  {
    g_autoptr(SlProject) project = make_project (scratch, image, &scene_id);
    g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
    g_autoptr(SlClassSet) classes = sl_class_set_new (project);
    g_autoptr(GPtrArray) class_list = sl_class_set_list (classes, NULL);
    g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, NULL);
    g_autoptr(GPtrArray) records = NULL;
    g_autoptr(GPtrArray) annotations = NULL;
    g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
    SlLabelContext ctx = { .project = project, .store = store, .classes = classes, .class_list = class_list,
                           .scenes = scenes, .scene = scenes->pdata[0] };

    ctx.pixels = sl_scene_pixels_new (project, ctx.scene, &error);
    if (ctx.pixels == NULL)
      fail ("pixels", error);
    t0 = now_ms (), c0 = cpu_ms ();
    records = io->read (&ctx, file, &error);
    fig.read_ms = now_ms () - t0, fig.read_cpu = cpu_ms () - c0;
    if (records == NULL)
      fail (file, error);
    for (guint i = 0; i < class_list->len; i++)
      {
        SlClass *c = class_list->pdata[i];
        g_hash_table_insert (by_name, c->name, c);
        g_hash_table_insert (by_name, c->key, c);
      }
    annotations = g_ptr_array_sized_new (records->len);
    for (guint i = 0; i < records->len; i++)
      {
        SlLabelRecord *r = records->pdata[i];
        SlClass *c = g_hash_table_lookup (by_name, r->class_name);

        if (c == NULL)   /* DOTA's hyphenated names: the reader already maps them back */
          fail (r->class_name, NULL);
        r->annotation->class_id = c->id;
        g_ptr_array_add (annotations, r->annotation);
      }
    t0 = now_ms (), c0 = cpu_ms ();
    if (!sl_annotation_store_add_many (store, annotations, &error))
      fail ("add_many", error);
    fig.add_ms = now_ms () - t0, fig.add_cpu = cpu_ms () - c0;
    /* 4. Undoing the import: removing every annotation it added, in one call. */
    {
      g_autofree gint64 *ids = g_new (gint64, annotations->len);

      for (guint i = 0; i < annotations->len; i++)
        ids[i] = ((SlAnnotation *) annotations->pdata[i])->id;
      t0 = now_ms ();
      if (!sl_annotation_store_remove (store, ids, annotations->len, &error))
        fail ("remove", error);
      fig.remove_ms = now_ms () - t0;
    }
    sl_scene_pixels_free (ctx.pixels);
    sl_project_close (project);
  }
  return fig;
}

int
main (int argc, char **argv)
{
  g_autofree char *work = NULL;
  int n_objects = 100000;
  GOptionEntry entries[] = {
    { "work", 0, 0, G_OPTION_ARG_FILENAME, &work, "Folder for the generated files (default: bench/work/labels-ml)", "DIR" },
    { "objects", 0, 0, G_OPTION_ARG_INT, &n_objects, "Objects to import (default 100000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— import figures of the pixel label formats");
  g_autoptr(GError) error = NULL;
  g_autofree char *image = NULL;
  g_autofree char *source_path = NULL;
  g_autofree char *coco = NULL;
  g_autofree char *dota = NULL;
  static const struct { const char *name; SlLabelFormat format; } formats[] = {
    { "COCO", SL_LABEL_FORMAT_COCO }, { "DOTA", SL_LABEL_FORMAT_DOTA },
  };
  gint64 scene_id;
  double t0, add_source_ms, export_ms[2];

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    fail ("options", error);
  sl_core_init ();
  if (work == NULL)
    work = g_strdup ("bench/work/labels-ml");
  g_mkdir_with_parents (work, 0755);
  image = g_build_filename (work, "scene.tif", NULL);
  source_path = g_build_filename (work, "source.sitelapse", NULL);
  coco = g_build_filename (work, "scene.json", NULL);
  dota = g_build_filename (work, "scene.txt", NULL);
  write_scene (image);

  {
    g_autoptr(SlProject) project = make_project (source_path, image, &scene_id);
    g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
    g_autoptr(SlClassSet) classes = sl_class_set_new (project);
    g_autoptr(GPtrArray) list = sl_class_set_list (classes, NULL);
    g_autoptr(GPtrArray) objects = make_objects ((guint) n_objects, scene_id, list);
    const char *paths[2] = { coco, dota };

    t0 = now_ms ();
    if (!sl_annotation_store_add_many (store, objects, &error))
      fail ("filling the project", error);
    add_source_ms = now_ms () - t0;
    for (guint i = 0; i < 2; i++)
      {
        SlLabelExportOptions opts = { .format = formats[i].format, .scene_id = scene_id };

        t0 = now_ms ();
        if (sl_labels_export (store, classes, paths[i], &opts, NULL, &error) < 0)
          fail (paths[i], error);
        export_ms[i] = now_ms () - t0;
      }
    sl_project_close (project);
  }

  printf ("bench-labels-ml: %d objects (50 %% rotated boxes, 35 %% boxes, 15 %% hexagons) on a 10000² scene\n",
          n_objects);
  printf ("  add_many of the source objects (generated in memory): %.0f ms (%.0f features/s)\n",
          add_source_ms, n_objects / (add_source_ms / 1e3));
  printf ("%-5s %8s %8s | %17s %12s | %15s %15s %8s | %s\n", "form", "file MB", "export", "import wall (cpu)",
          "features/s", "reader (cpu)", "add_many (cpu)", "undo", "target: < 2000 ms, >= 50 000/s");
  for (guint i = 0; i < 2; i++)
    {
      const SlLabelFormatIo *io = formats[i].format == SL_LABEL_FORMAT_COCO ? &sl_labels_coco_io : &sl_labels_dota_io;
      Figures fig = measure (work, image, i == 0 ? coco : dota, formats[i].format, io);
      double rate = fig.n / (fig.total_ms / 1e3);

      printf ("%-5s %8.1f %8.0f | %8.0f (%6.0f) %12.0f | %6.0f (%6.0f) %6.0f (%6.0f) %8.0f | %s\n", formats[i].name,
              fig.file_size / 1048576.0, export_ms[i], fig.total_ms, fig.total_cpu, rate, fig.read_ms, fig.read_cpu,
              fig.add_ms, fig.add_cpu, fig.remove_ms,
              fig.total_ms < 2000 && rate >= 50000 && fig.n == (guint) n_objects ? "met" : "missed");
      fprintf (stderr, "{\"bench\": \"labels-ml\", \"format\": \"%s\", \"objects\": %u, \"import_ms\": %.1f, "
               "\"import_cpu_ms\": %.1f, \"reader_ms\": %.1f, \"reader_cpu_ms\": %.1f, \"add_many_ms\": %.1f, "
               "\"add_many_cpu_ms\": %.1f, \"remove_ms\": %.1f, \"export_ms\": %.1f}\n", formats[i].name, fig.n,
               fig.total_ms, fig.total_cpu, fig.read_ms, fig.read_cpu, fig.add_ms, fig.add_cpu, fig.remove_ms,
               export_ms[i]);
    }
  return 0;
}
