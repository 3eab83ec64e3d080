/* test-labels-ml.c — the machine-learning label formats (COCO, YOLO, YOLO-OBB, DOTA, Pascal
 * VOC, LabelMe) and image chips, through sl_labels_export / sl_labels_import: round trips of
 * every shape a format holds, the COCO file's consistency, chips' pixels and labels, and bad
 * input that must import nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sl-core.h"
#include "sl-labels.h"
#include "sl-labels-ml-private.h"
#include "sl-scene-pixels.h"
#include "sl-test-util.h"

#define W 200
#define H 150
#define N_SHAPES 5

typedef struct
{
  char              *dir;
  char              *image;         /* scene.tif */
  SlProject         *source;        /* annotated */
  SlAnnotationStore *source_store;
  SlClassSet        *source_classes;
  gint64             scene_id;      /* scene.tif in source */
  gint64             later_id;      /* later.tif in source */
  SlProject         *target;        /* the same scene.tif, no annotations */
  SlAnnotationStore *target_store;
  SlClassSet        *target_classes;
  gint64             target_scene;
  SlScenePixels     *pixels;        /* scene.tif (the same placement in both) */
} Fixture;

/* The shapes, in pixels of scene.tif: a box, a rotated box, a polygon, a point, a line. */
static const char *const shape_class[N_SHAPES] = { "Tank", "Engineering vehicle", "Fuel & <ammo>", "Truck", "Tent" };
/* A note every JSON format must escape and restore. */
#define NOTE "under \"netting\" \\ tab\tend — ✓"

static void
shape_pixels (guint i, double *xy, guint *n)
{
  switch (i)
    {
    case 0:
      {
        const double c[] = { 10, 20, 40, 20, 40, 35, 10, 35 };
        memcpy (xy, c, sizeof c), *n = 4;
      }
      break;
    case 1:
      {
        /* 30 × 12 pixels about (100, 80), the long side at 30°. */
        double a = G_PI / 6, ex = cos (a), ey = sin (a), nx = -ey, ny = ex;
        double x0 = 100 - ex * 15 - nx * 6, y0 = 80 - ey * 15 - ny * 6;
        const double c[] = { x0, y0, x0 + ex * 30, y0 + ey * 30, x0 + ex * 30 + nx * 12, y0 + ey * 30 + ny * 12,
                             x0 + nx * 12, y0 + ny * 12 };
        memcpy (xy, c, sizeof c), *n = 4;
      }
      break;
    case 2:
      {
        const double c[] = { 150, 20, 180, 25, 185, 60, 160, 70, 145, 45 };
        memcpy (xy, c, sizeof c), *n = 5;
      }
      break;
    case 3:
      xy[0] = 60, xy[1] = 100, *n = 1;
      break;
    default:
      {
        const double c[] = { 5, 140, 60, 120 };
        memcpy (xy, c, sizeof c), *n = 2;
      }
    }
}

static const SlShapeKind shape_kind[N_SHAPES] = { SL_SHAPE_BOX, SL_SHAPE_ROTATED_BOX, SL_SHAPE_POLYGON,
                                                  SL_SHAPE_POINT, SL_SHAPE_LINE };

static SlProject *
make_project (Fixture *f, const char *name, gboolean with_later, gint64 *scene_id, gint64 *later_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  SlProject *project = sl_project_create (path, "Range", &error);
  const char *const files[2] = { "scene.tif", "later.tif" };
  const char *const dates[2] = { "2022-02-07T08:30:00Z", "2022-02-14T08:30:00Z" };

  g_assert_no_error (error);
  {
    /* A class whose name XML and JSON must escape. */
    g_autoptr(SlClassSet) classes = sl_class_set_new (project);
    g_autoptr(SlClass) fuel = sl_class_set_add (classes, "Fuel & <ammo>", NULL, &error);

    g_assert_no_error (error);
  }
  for (guint i = 0; i < (with_later ? 2u : 1u); i++)
    {
      g_autofree char *tif = g_build_filename (f->dir, files[i], NULL);
      g_autoptr(SlScene) probe = sl_scene_probe (tif, &error);
      g_autoptr(GDateTime) when = sl_scene_parse_date (dates[i]);
      g_autoptr(SlScene) stored = NULL;

      g_assert_no_error (error);
      sl_scene_set_acquired (probe, when);
      stored = sl_project_add_scene (project, probe, &error);
      g_assert_no_error (error);
      *(i == 0 ? scene_id : later_id) = sl_scene_get_id (stored);
    }
  return project;
}

static gint64
class_id (SlClassSet *classes, const char *name)
{
  g_autoptr(GPtrArray) list = sl_class_set_list (classes, NULL);

  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((SlClass *) list->pdata[i])->name, name) == 0)
      return ((SlClass *) list->pdata[i])->id;
  g_assert_not_reached ();
}

static const char *
class_name (SlClassSet *classes, gint64 id)
{
  SlClass *c = sl_class_set_get (classes, id);
  static char name[64];

  g_assert_nonnull (c);
  g_strlcpy (name, c->name, sizeof name);
  sl_class_free (c);
  return name;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SlTestImage spec = { .width = W, .height = H, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = 500000, .origin_y = 6000075, .pixel_size = 0.5, .seed = 7 };
  g_autoptr(GPtrArray) annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *later = NULL;
  g_autoptr(SlScene) scene = NULL;
  gint64 unused;

  f->dir = sl_test_tmpdir_new ();
  f->image = g_build_filename (f->dir, "scene.tif", NULL);
  later = g_build_filename (f->dir, "later.tif", NULL);
  sl_test_write_image (f->image, &spec);
  spec.seed = 8;
  sl_test_write_image (later, &spec);

  f->source = make_project (f, "source.sitelapse", TRUE, &f->scene_id, &f->later_id);
  f->source_store = sl_annotation_store_new (f->source);
  f->source_classes = sl_class_set_new (f->source);
  f->target = make_project (f, "target.sitelapse", FALSE, &f->target_scene, &unused);
  f->target_store = sl_annotation_store_new (f->target);
  f->target_classes = sl_class_set_new (f->target);
  scene = sl_project_get_scene (f->source, f->scene_id, &error);
  g_assert_no_error (error);
  f->pixels = sl_scene_pixels_new (f->source, scene, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_SHAPES; i++)
    {
      double xy[10];
      SlPoint pts[5];
      guint n;
      SlAnnotation *a;

      shape_pixels (i, xy, &n);
      for (guint k = 0; k < n; k++)
        g_assert_true (sl_scene_pixels_to_site (f->pixels, xy[2 * k], xy[2 * k + 1], &pts[k].x, &pts[k].y));
      a = sl_annotation_new (shape_kind[i], pts, n);
      a->scene_id = f->scene_id;
      a->class_id = class_id (f->source_classes, shape_class[i]);
      if (i == 0)
        a->confidence = SL_CONFIDENCE_LOW;
      if (i == 2)
        a->note = g_strdup (NOTE);
      g_ptr_array_add (annotations, a);
    }
  {
    /* One object on the later date too, for COCO's several images. */
    SlAnnotation *copy = sl_annotation_copy (annotations->pdata[0]);

    copy->scene_id = f->later_id;
    g_ptr_array_add (annotations, copy);
  }
  g_assert_true (sl_annotation_store_add_many (f->source_store, annotations, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->pixels, sl_scene_pixels_free);
  g_clear_object (&f->source_store);
  g_clear_object (&f->source_classes);
  g_clear_object (&f->target_store);
  g_clear_object (&f->target_classes);
  sl_project_close (f->source);
  sl_project_close (f->target);
  g_clear_object (&f->source);
  g_clear_object (&f->target);
  g_free (f->image);
  sl_test_tmpdir_free (f->dir);
}

static guint
target_count (Fixture *f)
{
  g_autoptr(GPtrArray) all = sl_annotation_store_query (f->target_store, f->target_scene, NULL, NULL);

  return all->len;
}

static gssize
export_scene (Fixture *f, SlLabelFormat format, gint64 scene_id, const char *path)
{
  SlLabelExportOptions options = { .format = format, .scene_id = scene_id };
  g_autoptr(GError) error = NULL;
  gssize n = sl_labels_export (f->source_store, f->source_classes, path, &options, NULL, &error);

  g_assert_no_error (error);
  return n;
}

static SlLabelImportReport *
import_file (Fixture *f, SlLabelFormat format, const char *path, GError **error)
{
  SlLabelImportOptions options = { .format = format, .scene_id = f->target_scene };
  SlLabelImportReport *report = sl_labels_import (f->target_store, f->target_classes, path, &options, NULL, error);

  /* The report holds what was stored, each with its id, on the scene (for the undo history). */
  if (report != NULL)
    {
      g_assert_cmpuint (report->annotations->len, ==, report->n_imported);
      for (guint i = 0; i < report->annotations->len; i++)
        {
          const SlAnnotation *a = report->annotations->pdata[i];

          g_assert_cmpint (a->id, >, 0);
          g_assert_cmpint (a->scene_id, ==, f->target_scene);
        }
    }
  return report;
}

/* --- round trips --- */

typedef struct
{
  SlLabelFormat format;
  const char   *file;
  double        tolerance;             /* pixels */
  int           kinds[N_SHAPES];       /* SlShapeKind back, −1: not held by the format */
  gboolean      bbox[N_SHAPES];        /* only the bounding box comes back */
} RoundTrip;

#define BOX SL_SHAPE_BOX
#define ROT SL_SHAPE_ROTATED_BOX
#define POLY SL_SHAPE_POLYGON
static const RoundTrip round_trips[] = {
  { SL_LABEL_FORMAT_COCO, "coco.json", 0.01, { BOX, ROT, POLY, SL_SHAPE_POINT, -1 }, { 0 } },
  { SL_LABEL_FORMAT_YOLO, "yolo/scene.txt", 0.01, { BOX, BOX, BOX, -1, -1 }, { 0, 1, 1 } },
  { SL_LABEL_FORMAT_YOLO_OBB, "obb/scene.txt", 0.01, { BOX, ROT, BOX, -1, -1 }, { 0, 0, 1 } },
  { SL_LABEL_FORMAT_DOTA, "scene.dota.txt", 0.01, { BOX, ROT, BOX, -1, -1 }, { 0, 0, 1 } },
  { SL_LABEL_FORMAT_VOC, "scene.xml", 0.5 + 1e-9, { BOX, BOX, BOX, -1, -1 }, { 0, 1, 1 } },
  { SL_LABEL_FORMAT_LABELME, "scene.json", 0.001, { BOX, ROT, POLY, SL_SHAPE_POINT, SL_SHAPE_LINE }, { 0 } },
};

static void
pixel_points (Fixture *f, const SlAnnotation *a, double *xy)
{
  for (guint k = 0; k < a->n_points; k++)
    g_assert_true (sl_scene_pixels_to_pixel (f->pixels, a->points[k].x, a->points[k].y, &xy[2 * k], &xy[2 * k + 1]));
}

static void
bounds (const double *xy, guint n, double b[4])
{
  b[0] = b[2] = xy[0], b[1] = b[3] = xy[1];
  for (guint k = 1; k < n; k++)
    {
      b[0] = MIN (b[0], xy[2 * k]), b[2] = MAX (b[2], xy[2 * k]);
      b[1] = MIN (b[1], xy[2 * k + 1]), b[3] = MAX (b[3], xy[2 * k + 1]);
    }
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *path = g_build_filename (f->dir, "out", rt->file, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  guint expected = 0;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_assert_cmpint (export_scene (f, rt->format, f->scene_id, path), >=, 0);
  if (rt->format == SL_LABEL_FORMAT_YOLO || rt->format == SL_LABEL_FORMAT_YOLO_OBB)
    {
      /* classes.txt beside the labels: 13 names, the fuel class last. */
      g_autofree char *classes = g_build_filename (folder, "classes.txt", NULL);
      g_autofree char *names = NULL;

      g_assert_true (g_file_get_contents (classes, &names, NULL, NULL));
      g_assert_true (g_str_has_prefix (names, "Tank\nIFV/APC\n"));
      g_assert_true (g_str_has_suffix (names, "\nFuel & <ammo>\n"));
    }
  report = import_file (f, rt->format, path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_SHAPES; i++)
    expected += rt->kinds[i] >= 0;
  g_assert_cmpuint (report->n_imported, ==, expected);
  g_assert_cmpuint (report->n_classes_created, ==, 0);
  back = sl_annotation_store_query (f->target_store, f->target_scene, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, expected);

  for (guint i = 0; i < N_SHAPES; i++)
    {
      double want[10], got[10], wb[4], gb[4];
      const SlAnnotation *a = NULL;
      guint n;

      if (rt->kinds[i] < 0)
        continue;
      for (guint k = 0; k < back->len; k++)
        if (g_strcmp0 (class_name (f->target_classes, ((SlAnnotation *) back->pdata[k])->class_id), shape_class[i]) == 0)
          a = back->pdata[k];
      g_assert_nonnull (a);
      g_assert_cmpint (a->kind, ==, rt->kinds[i]);
      shape_pixels (i, want, &n);
      pixel_points (f, a, got);
      if (rt->bbox[i] || a->kind == SL_SHAPE_BOX)
        {
          bounds (want, n, wb);
          bounds (got, a->n_points, gb);
          for (guint k = 0; k < 4; k++)
            g_assert_cmpfloat_with_epsilon (gb[k], wb[k], rt->tolerance);
          continue;
        }
      /* The same corners (any starting corner, either direction): each has its twin. */
      g_assert_cmpuint (a->n_points, ==, n);
      for (guint k = 0; k < n; k++)
        {
          double best = G_MAXDOUBLE;

          for (guint m = 0; m < n; m++)
            best = MIN (best, hypot (got[2 * m] - want[2 * k], got[2 * m + 1] - want[2 * k + 1]));
          g_assert_cmpfloat (best, <=, rt->tolerance);
        }
      if (a->kind == SL_SHAPE_ROTATED_BOX)
        {
          /* The long side first, at 30° (or 210°) in the image. */
          double angle = atan2 (got[3] - got[1], got[2] - got[0]) * 180 / G_PI;

          g_assert_cmpfloat (fabs (fmod (angle + 360, 180) - 30), <, 0.05);
        }
    }
  if (rt->format == SL_LABEL_FORMAT_COCO || rt->format == SL_LABEL_FORMAT_LABELME)
    {
      /* The note travels, escaped and restored; COCO reports the line it could not hold. */
      guint notes = 0;

      for (guint k = 0; k < back->len; k++)
        notes += g_strcmp0 (((SlAnnotation *) back->pdata[k])->note, NOTE) == 0;
      g_assert_cmpuint (notes, ==, 1);
    }
  if (rt->format == SL_LABEL_FORMAT_DOTA || rt->format == SL_LABEL_FORMAT_VOC || rt->format == SL_LABEL_FORMAT_COCO)
    for (guint k = 0; k < back->len; k++)
      {
        const SlAnnotation *a = back->pdata[k];
        gboolean tank = g_strcmp0 (class_name (f->target_classes, a->class_id), "Tank") == 0;

        g_assert_cmpint (a->confidence == SL_CONFIDENCE_LOW, ==, tank);
      }
}

/* DOTA: class names with blanks as one hyphenated token, and header lines. */
static void
test_dota_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "scene.txt", NULL);
  g_autofree char *text = NULL;

  export_scene (f, SL_LABEL_FORMAT_DOTA, f->scene_id, path);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "imagesource:scene.tif\ngsd:0.5\n"));
  g_assert_nonnull (strstr (text, " Engineering-vehicle 0\n"));
  g_assert_nonnull (strstr (text, "10.00 20.00 40.00 20.00 40.00 35.00 10.00 35.00 Tank 1\n"));
}

/* --- COCO's structure --- */

static void
test_coco_consistent (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "all.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *array;
  guint n_points = 0;

  g_assert_cmpint (export_scene (f, SL_LABEL_FORMAT_COCO, 0, path), >=, 0);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));

  array = json_object_get_array_member (root, "images");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      gint64 id = json_object_get_int_member (o, "id");
      int size[2] = { (int) json_object_get_int_member (o, "width"), (int) json_object_get_int_member (o, "height") };

      g_assert_false (g_hash_table_contains (images, &id));
      g_assert_cmpint (size[0], ==, W);
      g_assert_cmpint (size[1], ==, H);
      g_assert_nonnull (json_object_get_string_member (o, "date_captured"));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "file_name"), ".tif"));
      g_hash_table_insert (images, g_memdup2 (&id, sizeof id), g_memdup2 (size, sizeof size));
    }
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "date_captured"), ==,
                   "2022-02-07 08:30:00");

  array = json_object_get_array_member (root, "categories");
  g_assert_cmpuint (json_array_get_length (array), ==, 13);   /* the default taxonomy + fuel */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      gint64 id = json_object_get_int_member (o, "id");

      g_assert_cmpint (id, ==, i + 1);
      g_hash_table_insert (categories, g_memdup2 (&id, sizeof id), NULL);
      if (g_strcmp0 (json_object_get_string_member (o, "name"), "Tank") == 0)
        g_assert_cmpstr (json_object_get_string_member (o, "supercategory"), ==, "Armour");
    }

  array = json_object_get_array_member (root, "annotations");
  g_assert_cmpuint (json_array_get_length (array), ==, 5);   /* 4 of scene.tif (no line) + 1 later */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      JsonArray *bbox = json_object_get_array_member (o, "bbox");
      gint64 id = json_object_get_int_member (o, "id");
      gint64 image_id = json_object_get_int_member (o, "image_id");
      gint64 category_id = json_object_get_int_member (o, "category_id");
      const int *size = g_hash_table_lookup (images, &image_id);
      double x = json_array_get_double_element (bbox, 0), y = json_array_get_double_element (bbox, 1);
      double w = json_array_get_double_element (bbox, 2), h = json_array_get_double_element (bbox, 3);
      JsonObject *attrs = json_object_get_object_member (o, "attributes");

      g_assert_false (g_hash_table_contains (ids, &id));
      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
      g_assert_nonnull (size);
      g_assert_true (g_hash_table_contains (categories, &category_id));
      g_assert_cmpint (json_object_get_int_member (o, "iscrowd"), ==, 0);
      g_assert_cmpfloat (x, >=, 0);
      g_assert_cmpfloat (y, >=, 0);
      g_assert_cmpfloat (x + w, <=, size[0]);
      g_assert_cmpfloat (y + h, <=, size[1]);
      g_assert_nonnull (json_object_get_string_member (attrs, "object_uid"));
      if (json_object_has_member (o, "keypoints"))
        n_points++;
      else
        g_assert_cmpfloat (json_object_get_double_member (o, "area"), >, 0);
      if (category_id == class_id (f->source_classes, "Engineering vehicle"))
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (attrs, "rotation"), 30, 0.01);
    }
  g_assert_cmpuint (n_points, ==, 1);
}

/* YOLO of every scene: a directory with one labels file per scene, classes.txt and data.yaml;
 * importing the directory takes the scene's own file. */
static void
test_yolo_all (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "dataset", NULL);
  g_autofree char *later = g_build_filename (out, "later.txt", NULL);
  g_autofree char *yaml_path = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *classes_path = g_build_filename (out, "classes.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *yaml = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (export_scene (f, SL_LABEL_FORMAT_YOLO_OBB, 0, out), >=, 0);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_get_contents (later, &text, NULL, NULL));
  /* later.tif holds one object, the tank's box: one line, class 0. */
  g_assert_true (g_str_has_prefix (text, "0 "));
  g_assert_true (strchr (text, '\n') == text + strlen (text) - 1);
  g_assert_true (g_file_get_contents (yaml_path, &yaml, NULL, NULL));
  g_assert_nonnull (strstr (yaml, "nc: 13\n"));
  g_assert_nonnull (strstr (yaml, "  12: 'Fuel & <ammo>'\n"));
  g_assert_true (g_file_test (classes_path, G_FILE_TEST_IS_REGULAR));

  report = import_file (f, SL_LABEL_FORMAT_YOLO_OBB, out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 3);   /* the box, the rotated box, the polygon */
  g_assert_cmpuint (target_count (f), ==, 3);
}

/* --- chips --- */

static guint
count_files (const char *dir, const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

static void
test_chips (Fixture *f, gconstpointer data)
{
  g_autofree char *out = g_build_filename (f->dir, "chips", NULL);
  g_autofree char *images = g_build_filename (out, "images", NULL);
  g_autofree char *first_png = g_build_filename (images, "scene_0_0.png", NULL);
  g_autofree char *last_png = g_build_filename (images, "scene_136_86.png", NULL);
  g_autofree char *first_txt = g_build_filename (out, "labels", "scene_0_0.txt", NULL);
  g_autofree char *classes = g_build_filename (out, "classes.txt", NULL);
  g_autofree char *yaml = g_build_filename (out, "data.yaml", NULL);
  g_autofree char *text = NULL;
  SlLabelExportOptions options = { .format = SL_LABEL_FORMAT_YOLO, .scene_id = f->scene_id,
                                   .chip_size = 64, .chip_overlap = 16 };
  g_autoptr(GError) error = NULL;
  cairo_surface_t *png;
  GDALDatasetH ds;
  guint8 rgb[3];

  g_assert_cmpint (sl_labels_export (f->source_store, f->source_classes, out, &options, NULL, &error), >=, 0);
  g_assert_no_error (error);
  /* 200 × 150 in 64-pixel chips every 48: columns 0 48 96 136, rows 0 48 86. */
  g_assert_cmpuint (count_files (images, ".png"), ==, 12);
  g_assert_true (g_file_test (last_png, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (classes, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (yaml, G_FILE_TEST_EXISTS));

  /* The chip's pixels are the scene's (8-bit RGB, no stretch): chip (136, 86) pixel (5, 9). */
  png = cairo_image_surface_create_from_png (last_png);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 64);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 64);
  ds = GDALOpen (f->image, GA_ReadOnly);
  g_assert_nonnull (ds);
  for (int b = 0; b < 3; b++)
    g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, b + 1), GF_Read, 136 + 5, 86 + 9, 1, 1, &rgb[b], 1, 1,
                                   GDT_Byte, 0, 0), ==, CE_None);
  GDALClose (ds);
  {
    const guint32 *px = (const guint32 *) (cairo_image_surface_get_data (png) + 9 * cairo_image_surface_get_stride (png));

    g_assert_cmphex (px[5] & 0xffffff, ==, (guint32) rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
  }
  cairo_surface_destroy (png);

  /* The tank's box (10, 20)–(40, 35) lies wholly in chip (0, 0): class 0, in chip pixels. */
  g_assert_true (g_file_get_contents (first_txt, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "0 0.390625 0.429688 0.468750 0.234375\n"));
  g_assert_true (g_file_test (first_png, G_FILE_TEST_EXISTS));

  /* Without the empty chips: fewer, each with labels. */
  {
    g_autofree char *out2 = g_build_filename (f->dir, "chips-dota", NULL);
    g_autofree char *images2 = g_build_filename (out2, "images", NULL);
    g_autofree char *labels2 = g_build_filename (out2, "labels", NULL);
    g_autoptr(GDir) d = NULL;
    const char *name;
    guint n;

    options.format = SL_LABEL_FORMAT_DOTA;
    options.chip_skip_empty = TRUE;
    g_assert_cmpint (sl_labels_export (f->source_store, f->source_classes, out2, &options, NULL, &error), >=, 0);
    g_assert_no_error (error);
    n = count_files (images2, ".png");
    g_assert_cmpuint (n, >, 0);
    g_assert_cmpuint (n, <, 12);
    g_assert_cmpuint (count_files (labels2, ".txt"), ==, n);
    d = g_dir_open (labels2, 0, NULL);
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (labels2, name, NULL);
        g_autofree char *t = NULL;
        g_auto(GStrv) lines = NULL;

        g_assert_true (g_file_get_contents (p, &t, NULL, NULL));
        lines = g_strsplit (t, "\n", -1);
        g_assert_cmpuint (g_strv_length (lines), >=, 4);   /* 2 header lines, an object, "" */
      }
  }

  /* COCO: one annotations.json listing every chip written. */
  {
    g_autofree char *out3 = g_build_filename (f->dir, "chips-coco", NULL);
    g_autofree char *json = g_build_filename (out3, "annotations.json", NULL);
    g_autofree char *images3 = g_build_filename (out3, "images", NULL);
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root;

    options.format = SL_LABEL_FORMAT_COCO;
    options.chip_skip_empty = FALSE;
    g_assert_cmpint (sl_labels_export (f->source_store, f->source_classes, out3, &options, NULL, &error), >=, 0);
    g_assert_no_error (error);
    g_assert_true (json_parser_load_from_file (parser, json, &error));
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "images")), ==,
                      count_files (images3, ".png"));
  }
}

/* --- bad input: a clear error naming file and line/object, and nothing imported --- */

static void
expect_refused (Fixture *f, SlLabelFormat format, const char *name, const char *contents, int code,
                const char *const *words)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint before = target_count (f);

  if (contents)
    sl_test_write_bytes (path, contents, strlen (contents));
  report = import_file (f, format, path, &error);
  g_assert_null (report);
  g_assert_error (error, SL_LABELS_ERROR, code);
  g_test_message ("%s: %s", name, error->message);
  for (guint i = 0; words[i]; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("‘%s’ not in “%s”", words[i], error->message);
  g_assert_cmpuint (target_count (f), ==, before);
}

static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autofree char *classes = g_build_filename (f->dir, "classes.txt", NULL);
  g_autofree char *huge = g_build_filename (f->dir, "huge.json", NULL);
  int fd;

  /* Malformed JSON: the line of the fault. */
  expect_refused (f, SL_LABEL_FORMAT_COCO, "broken.json",
                  "{\n  \"images\": [\n    {\"id\": 1,, \"file_name\": \"scene.tif\"}\n  ]\n}\n",
                  SL_LABELS_ERROR_MALFORMED, (const char *[]) { "broken.json", "line 3", NULL });
  /* COCO: an annotation whose image is not in the file. */
  expect_refused (f, SL_LABEL_FORMAT_COCO, "orphan.json",
                  "{\"images\": [{\"id\": 1, \"file_name\": \"scene.tif\", \"width\": 200, \"height\": 150}],"
                  " \"categories\": [{\"id\": 1, \"name\": \"Tank\"}],"
                  " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 5, 5]},"
                  "                   {\"id\": 2, \"image_id\": 9, \"category_id\": 1, \"bbox\": [1, 1, 5, 5]}]}",
                  SL_LABELS_ERROR_INVALID, (const char *[]) { "orphan.json", "annotation 2", "image 9", NULL });
  /* COCO: several images, none the scene's. */
  expect_refused (f, SL_LABEL_FORMAT_COCO, "others.json",
                  "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}, {\"id\": 2, \"file_name\": \"b.png\"}],"
                  " \"categories\": [], \"annotations\": []}",
                  SL_LABELS_ERROR_INVALID, (const char *[]) { "others.json", "scene.tif", NULL });
  /* LabelMe of another image. */
  expect_refused (f, SL_LABEL_FORMAT_LABELME, "other.json",
                  "{\"shapes\": [{\"label\": \"Tank\", \"points\": [[1, 1], [5, 5]], \"shape_type\": \"rectangle\"}],"
                  " \"imagePath\": \"elsewhere.png\", \"imageWidth\": 200, \"imageHeight\": 150}",
                  SL_LABELS_ERROR_INVALID, (const char *[]) { "other.json", "elsewhere.png", NULL });
  /* YOLO: a class index beyond classes.txt, after a good line (nothing of it is imported). */
  sl_test_write_bytes (classes, "Tank\nTruck\nTent\n", 16);
  expect_refused (f, SL_LABEL_FORMAT_YOLO, "labels.txt", "0 0.5 0.5 0.1 0.1\n7 0.5 0.5 0.1 0.1\n",
                  SL_LABELS_ERROR_INVALID,
                  (const char *[]) { "labels.txt line 2", "class index 7", "3 classes of classes.txt", NULL });
  /* DOTA: a corner outside the 200 × 150 image. */
  expect_refused (f, SL_LABEL_FORMAT_DOTA, "outside.txt",
                  "imagesource:x\ngsd:0.5\n10 10 20 10 20 20 10 20 Tank 0\n190 10 260 10 260 20 190 20 Tank 0\n",
                  SL_LABELS_ERROR_INVALID, (const char *[]) { "outside.txt line 4", "outside", NULL });
  /* VOC: a box past the edge. */
  expect_refused (f, SL_LABEL_FORMAT_VOC, "outside.xml",
                  "<annotation><filename>scene.tif</filename><object><name>Tank</name><bndbox><xmin>5</xmin>"
                  "<ymin>5</ymin><xmax>300</xmax><ymax>20</ymax></bndbox></object></annotation>",
                  SL_LABELS_ERROR_INVALID, (const char *[]) { "outside.xml", "object 1", NULL });
  /* Empty files. */
  expect_refused (f, SL_LABEL_FORMAT_DOTA, "empty.txt", "", SL_LABELS_ERROR_MALFORMED,
                  (const char *[]) { "empty.txt", "empty", NULL });
  expect_refused (f, SL_LABEL_FORMAT_COCO, "empty.json", "  \n", SL_LABELS_ERROR_MALFORMED,
                  (const char *[]) { "empty.json", "empty", NULL });
  /* A sparse 1 GB file is refused before it is read. */
  fd = g_open (huge, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 1 << 30), ==, 0);
  close (fd);
  expect_refused (f, SL_LABEL_FORMAT_COCO, "huge.json", NULL, SL_LABELS_ERROR_TOO_LARGE,
                  (const char *[]) { "huge.json", "1024 MB", NULL });
  g_assert_cmpuint (target_count (f), ==, 0);
}

/* COCO crowd annotations are skipped with a warning; YOLO reads data.yaml's names. */
static void
test_lenient_input (Fixture *f, gconstpointer data)
{
  g_autofree char *coco = g_build_filename (f->dir, "crowd.json", NULL);
  g_autofree char *sub = g_build_filename (f->dir, "ds", NULL);
  g_autofree char *yolo = g_build_filename (sub, "scene.txt", NULL);
  g_autofree char *yaml = g_build_filename (sub, "data.yaml", NULL);
  const char *coco_text =
    "{\"images\": [{\"id\": 4, \"file_name\": \"photo.jpg\", \"width\": 200, \"height\": 150}],"
    " \"categories\": [{\"id\": 3, \"name\": \"truck\"}],"
    " \"annotations\": [{\"id\": 1, \"image_id\": 4, \"category_id\": 3, \"bbox\": [1, 1, 5, 5], \"iscrowd\": 0},"
    "   {\"id\": 2, \"image_id\": 4, \"category_id\": 3, \"segmentation\": {\"counts\": [1, 2], \"size\": [150, 200]},"
    "    \"bbox\": [1, 1, 5, 5], \"iscrowd\": 1}]}";
  const char *yaml_text = "path: .\nnames:\n  0: 'Tent'\n  1: \"Field camp/shelter\"\nnc: 2\n";
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) back = NULL;

  sl_test_write_bytes (coco, coco_text, strlen (coco_text));
  report = import_file (f, SL_LABEL_FORMAT_COCO, coco, &error);   /* the only image */
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1);
  g_assert_cmpuint (report->warnings->len, ==, 1);
  g_assert_nonnull (strstr (report->warnings->pdata[0], "crowd"));
  g_clear_pointer (&report, sl_label_import_report_free);

  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  sl_test_write_bytes (yaml, yaml_text, strlen (yaml_text));
  sl_test_write_bytes (yolo, "1 0.5 0.5 0.2 0.2 0.93\n", 23);
  report = import_file (f, SL_LABEL_FORMAT_YOLO, yolo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1);
  back = sl_annotation_store_query (f->target_store, f->target_scene, NULL, NULL);
  g_assert_cmpuint (back->len, ==, 2);
  g_assert_cmpstr (class_name (f->target_classes, ((SlAnnotation *) back->pdata[1])->class_id), ==, "Field camp/shelter");
}

/* The JSON reader behind COCO and LabelMe import: values, escapes, and errors with lines. */
static SlJson *
parse_json (const char *text, GError **error)
{
  return _sl_json_parse ("t.json", g_strdup (text), strlen (text), error);
}

static void
test_json (void)
{
  static const struct { const char *text; const char *words; } bad[] = {
    { "{\n\"a\": [1,]\n}", "t.json line 2: not valid JSON: a comma before ‘]’" },
    { "[1 2]", "line 1: not valid JSON: expected ‘,’ or ‘]’" },
    { "\n\n\"abc", "line 3: not valid JSON: a string is not closed" },
    { "{\"a\": 1} x", "more after the end" },
    { "[01]", "expected ‘,’ or ‘]’" },
    { "[NaN]", "a number is malformed" },
    { "[1e999]", "out of range" },
    { "[\"\\ud800\"]", "lone UTF-16 surrogate" },
    { "[\"a\tb\"]", "control character" },
    { "{\"a\" 1}", "expected ‘:’" },
    { "{\"a\": tru}", "unexpected character" },
    { "[\"\\x\"]", "unknown escape" },
    { "", "ends too early" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlJson) doc = parse_json ("\xef\xbb\xbf{\"a\": \"x\\u00e9\\ud83d\\ude00\\n\\\"\\/\", \"b\": [1, -2.5e2, true, false, null, {}],\n"
                                      " \"c\": {\"d\": []}, \"a2\": 0.125}", &error);
  const SlJsonValue *root, *b;
  double v;
  GString *deep = g_string_new (NULL);

  g_assert_no_error (error);
  root = _sl_json_root (doc);
  g_assert_cmpint (root->type, ==, SL_JSON_OBJECT);
  g_assert_cmpuint (root->n, ==, 4);
  g_assert_cmpstr (_sl_json_string (_sl_json_get (root, "a")), ==, "xé😀\n\"/");
  b = _sl_json_get (root, "b");
  g_assert_cmpint (b->type, ==, SL_JSON_ARRAY);
  g_assert_cmpuint (b->n, ==, 6);
  g_assert_true (_sl_json_number (&b->v.items[1], &v));
  g_assert_cmpfloat (v, ==, -250);
  g_assert_true (b->v.items[2].type == SL_JSON_BOOL && b->v.items[2].v.boolean);
  g_assert_cmpint (b->v.items[4].type, ==, SL_JSON_NULL);
  g_assert_cmpint (b->v.items[5].type, ==, SL_JSON_OBJECT);
  g_assert_cmpuint (_sl_json_get (_sl_json_get (root, "c"), "d")->n, ==, 0);
  g_assert_true (_sl_json_number (_sl_json_get (root, "a2"), &v));
  g_assert_cmpfloat (v, ==, 0.125);
  g_assert_null (_sl_json_get (root, "missing"));
  g_assert_null (_sl_json_get (b, "a"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(SlJson) none = parse_json (bad[i].text, &e);

      g_assert_null (none);
      g_assert_error (e, SL_LABELS_ERROR, SL_LABELS_ERROR_MALFORMED);
      if (strstr (e->message, bad[i].words) == NULL)
        g_error ("‘%s’: “%s” does not say ‘%s’", bad[i].text, e->message, bad[i].words);
    }
  for (int i = 0; i < 300; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(GError) e = NULL;
    g_autoptr(SlJson) none = parse_json (deep->str, &e);

    g_assert_null (none);
    g_assert_nonnull (strstr (e->message, "nested too deep"));
  }
  g_string_free (deep, TRUE);
}

static void
on_import_finished (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* On a worker thread through a connection of its own: the report comes back to the main
 * loop, the rows are in the file for the fixture's store; cancelled before it writes,
 * nothing is. */
static void
test_import_async (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "async.json", NULL);
  SlLabelImportOptions options = { .format = SL_LABEL_FORMAT_COCO, .scene_id = f->target_scene };
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gssize n = export_scene (f, SL_LABEL_FORMAT_COCO, f->scene_id, path);

  g_assert_cmpint (n, >, 0);
  /* The class names the target lacks (none), read on a worker thread: as read here. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) here = sl_labels_unknown_classes (f->target_store, f->target_classes, path, &options, &error);

    g_assert_no_error (error);
    sl_labels_unknown_classes_async (f->target, path, &options, NULL, on_import_finished, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    names = sl_labels_unknown_classes_finish (f->target, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (names->len, ==, here->len);
    for (guint i = 0; i < names->len; i++)
      g_assert_cmpstr (names->pdata[i], ==, here->pdata[i]);
  }
  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(SlLabelImportReport) report = NULL;

      /* (Cancelled before it starts: after, it may have finished first.) */
      if (round == 0)
        g_cancellable_cancel (cancelled);
      sl_labels_import_async (f->target, path, &options, round == 0 ? cancelled : NULL, on_import_finished, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      report = sl_labels_import_finish (f->target, result, &error);
      if (round == 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_null (report);
          g_assert_cmpuint (target_count (f), ==, 0);
          g_clear_error (&error);
          continue;
        }
      /* (COCO holds no line: one of the five shapes does not come back.) */
      g_assert_no_error (error);
      g_assert_cmpuint (report->n_imported, ==, (guint) n - 1);
      g_assert_cmpuint (report->annotations->len, ==, report->n_imported);
      g_assert_cmpuint (target_count (f), ==, report->n_imported);
    }
}

/* Exports on a worker thread: the count comes back to the main loop; cancelled, no file. */
static void
test_export_async (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "async-out.json", NULL);
  SlLabelExportOptions options = { .format = SL_LABEL_FORMAT_COCO, .scene_id = f->scene_id };
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gssize n;

      if (round == 0)
        g_cancellable_cancel (cancelled);
      sl_labels_export_async (f->source, path, &options, round == 0 ? cancelled : NULL, on_import_finished, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      n = sl_labels_export_finish (f->source, result, &error);
      if (round == 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpint (n, ==, -1);
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 5);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *name = g_strdup_printf ("/labels-ml/round-trip/%s", sl_label_format_to_string (round_trips[i].format));

      g_test_add (name, Fixture, &round_trips[i], fixture_setup, test_round_trip, fixture_teardown);
    }
  g_test_add_func ("/labels-ml/json", test_json);
  g_test_add ("/labels-ml/dota-file", Fixture, NULL, fixture_setup, test_dota_file, fixture_teardown);
  g_test_add ("/labels-ml/coco-consistent", Fixture, NULL, fixture_setup, test_coco_consistent, fixture_teardown);
  g_test_add ("/labels-ml/yolo-all", Fixture, NULL, fixture_setup, test_yolo_all, fixture_teardown);
  g_test_add ("/labels-ml/chips", Fixture, NULL, fixture_setup, test_chips, fixture_teardown);
  g_test_add ("/labels-ml/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/labels-ml/lenient-input", Fixture, NULL, fixture_setup, test_lenient_input, fixture_teardown);
  g_test_add ("/labels-ml/import-async", Fixture, NULL, fixture_setup, test_import_async, fixture_teardown);
  g_test_add ("/labels-ml/export-async", Fixture, NULL, fixture_setup, test_export_async, fixture_teardown);
  return g_test_run ();
}
