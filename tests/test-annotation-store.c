/* test-annotation-store.c — annotations in the project file: edits, R-tree queries, hit-testing,
 * counts, GDAL reading the layer, read-only files and durability under kill -9
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "sl-annotation-store.h"
#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"

#define N_SCENES 3

typedef struct
{
  char      *dir;
  char      *path;
  SlProject *project;
  SlAnnotationStore *store;
  gint64     scenes[N_SCENES];
  gint64     tank, truck;
} Fixture;

/* A project with three georeferenced scenes (UTM 36N) a week apart. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char *const dates[N_SCENES] = { "2022-02-07T08:30:00Z", "2022-02-14T08:31:00Z", "2022-02-21T08:32:00Z" };

  f->dir = sl_test_tmpdir_new ();
  f->project = sl_test_project_with_scenes (f->dir, N_SCENES, dates, f->scenes, &f->path);
  f->store = sl_annotation_store_new (f->project);
  f->tank = 1;   /* the seeded taxonomy: 1 tank … 7 truck */
  f->truck = 7;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  if (f->project)
    sl_project_close (f->project);
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static SlAnnotation *
make (SlShapeKind kind, gint64 scene, gint64 class_id, double x, double y)
{
  SlPoint pts[4] = { { x, y }, { x + 4, y }, { x + 4, y - 2 }, { x, y - 2 } };
  guint n = kind == SL_SHAPE_POINT ? 1 : kind == SL_SHAPE_LINE ? 2 : 4;
  SlAnnotation *a = sl_annotation_new (kind, pts, n);

  a->scene_id = scene;
  a->class_id = class_id;
  return a;
}

static gint64
add (Fixture *f, SlShapeKind kind, gint64 scene, gint64 class_id, double x, double y)
{
  g_autoptr(SlAnnotation) a = make (kind, scene, class_id, x, y);
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_annotation_store_add (f->store, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->id, >, 0);
  return a->id;
}

/* The scene-aware index holds exactly the table's rows, each with its scene and the same box
 * as the GeoPackage R-tree. */
static void
assert_scene_index_matches (const char *path)
{
  g_autofree char *ok = sl_test_sql_text (path,
    "SELECT (SELECT count(*) FROM annotations) || ' ' || (SELECT count(*) FROM sl_annotations_by_scene) || ' ' ||"
    " (SELECT count(*) FROM sl_annotations_by_scene r JOIN annotations a ON a.fid = r.id"
    "  JOIN rtree_annotations_geom g ON g.id = r.id WHERE r.min_scene = a.scene_id - 0.25 AND r.max_scene = a.scene_id + 0.25"
    "  AND g.minx = r.minx AND g.maxx = r.maxx AND g.miny = r.miny AND g.maxy = r.maxy)");
  g_auto(GStrv) n = g_strsplit (ok, " ", -1);

  g_assert_cmpstr (n[0], ==, n[1]);
  g_assert_cmpstr (n[0], ==, n[2]);
}

/* A project as schema 2 left it: no date index, no counts table, no hidden/locked columns. */
#define DOWNGRADE_TO_SCHEMA_2 \
  "DROP TRIGGER sl_annotations_by_scene_insert; DROP TRIGGER sl_annotations_by_scene_update;" \
  " DROP TRIGGER sl_annotations_by_scene_delete; DROP TABLE sl_annotations_by_scene;" \
  " DROP TRIGGER sl_annotation_counts_insert; DROP TRIGGER sl_annotation_counts_update;" \
  " DROP TRIGGER sl_annotation_counts_delete; DROP TABLE sl_annotation_counts;" \
  " ALTER TABLE annotations DROP COLUMN hidden; ALTER TABLE annotations DROP COLUMN locked;" \
  " UPDATE sl_meta SET value = '2' WHERE key = 'schema_version';"

static void
assert_valid_project (SlProject *project)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!sl_project_validate (project, problems))
    g_error ("invalid project: %s", (char *) problems->pdata[0]);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  for (int k = SL_SHAPE_POINT; k <= SL_SHAPE_LINE; k++)
    {
      g_autoptr(SlAnnotation) a = make (k == SL_SHAPE_POLYGON ? SL_SHAPE_ROTATED_BOX : k, f->scenes[1], f->tank,
                                        500010 + k, 6000020);
      g_autoptr(SlAnnotation) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = NULL, *acquired = NULL, *created = NULL;
      gint64 before = g_get_real_time ();

      a->kind = k;
      a->confidence = SL_CONFIDENCE_HIGH;
      a->note = g_strdup ("under netting");
      a->author = g_strdup ("analyst");
      g_assert_true (sl_annotation_store_add (f->store, a, &error));
      g_assert_no_error (error);
      g_assert_true (g_uuid_string_is_valid (a->object_uid));
      g_assert_cmpint (a->created, >=, before / 1000 * 1000);
      g_assert_cmpint (a->created % 1000, ==, 0);
      g_assert_cmpint (a->updated, ==, a->created);

      back = sl_annotation_store_get (f->store, a->id, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->id, ==, a->id);
      g_assert_cmpint (back->kind, ==, k);
      g_assert_cmpint (back->scene_id, ==, f->scenes[1]);
      g_assert_cmpint (back->class_id, ==, f->tank);
      g_assert_cmpuint (back->n_points, ==, a->n_points);
      g_assert_cmpmem (back->points, sizeof (SlPoint) * back->n_points, a->points, sizeof (SlPoint) * a->n_points);
      g_assert_cmpstr (back->object_uid, ==, a->object_uid);
      g_assert_cmpint (back->confidence, ==, SL_CONFIDENCE_HIGH);
      g_assert_cmpstr (back->note, ==, "under netting");
      g_assert_cmpstr (back->author, ==, "analyst");
      g_assert_cmpint (back->created, ==, a->created);
      g_assert_cmpint (back->updated, ==, a->updated);

      /* The row carries its scene's date, for QGIS's temporal controller, and ISO times. */
      sql = g_strdup_printf ("SELECT a.acquired = s.acquired FROM annotations a JOIN sl_scenes s ON s.id = a.scene_id"
                             " WHERE a.fid = %" G_GINT64_FORMAT, a->id);
      acquired = sl_test_sql_text (f->path, sql);
      g_assert_cmpstr (acquired, ==, "1");
      g_free (sql);
      sql = g_strdup_printf ("SELECT created FROM annotations WHERE fid = %" G_GINT64_FORMAT, a->id);
      created = sl_test_sql_text (f->path, sql);
      g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", created, 0, 0));
    }
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 5);
  assert_valid_project (f->project);
}

static void
test_query (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) inside = g_array_new (FALSE, FALSE, sizeof (gint64));
  SlBounds view = { 500020, 6000020, 500060, 6000040 };
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  /* A 10 × 10 grid of boxes 10 m apart on scene 0, and the same grid on scene 1. */
  for (int j = 0; j < 10; j++)
    for (int i = 0; i < 10; i++)
      {
        double x = 500000 + i * 10, y = 6000000 + j * 10;
        gint64 id = add (f, SL_SHAPE_BOX, f->scenes[0], f->tank, x, y);

        add (f, SL_SHAPE_BOX, f->scenes[1], f->truck, x, y);
        /* Box [x, x+4] × [y-2, y] meets the view when it overlaps it. */
        if (x <= view.max_x && x + 4 >= view.min_x && y - 2 <= view.max_y && y >= view.min_y)
          g_array_append_val (inside, id);
      }
  g_assert_cmpuint (inside->len, >, 5);

  hits = sl_annotation_store_query (f->store, f->scenes[0], &view, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, inside->len);
  for (guint i = 0; i < hits->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (hits, i);

      g_assert_cmpint (a->id, ==, g_array_index (inside, gint64, i)); /* fid order */
      g_assert_cmpint (a->scene_id, ==, f->scenes[0]);
    }
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[0], &view), ==, inside->len);
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[2], &view), ==, 0);

  all = sl_annotation_store_query (f->store, f->scenes[1], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 100);
}

static void
test_hit_test (Fixture *f, gconstpointer data)
{
  gint64 under = add (f, SL_SHAPE_BOX, f->scenes[0], f->tank, 500010, 6000010);
  gint64 over = add (f, SL_SHAPE_BOX, f->scenes[0], f->tank, 500012, 6000010);
  gint64 other_date = add (f, SL_SHAPE_BOX, f->scenes[1], f->tank, 500030, 6000010);
  gint64 pt = add (f, SL_SHAPE_POINT, f->scenes[0], f->truck, 500030, 6000030);
  gint64 line = add (f, SL_SHAPE_LINE, f->scenes[0], f->truck, 500040, 6000040);

  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500011, 6000009, 0), ==, under);
  /* Where both overlap, the newer one is on top. */
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500013, 6000009, 0), ==, over);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500031, 6000009, 0.5), ==, 0);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[1], 500031, 6000009, 0.5), ==, other_date);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500030.3, 6000030.3, 0.5), ==, pt);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500030.6, 6000030.6, 0.5), ==, 0);
  /* Within the line's bounding box but far from the line itself: no hit. */
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500042, 6000039.9, 0.05), ==, 0);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500042, 6000040.04, 0.05), ==, line);
}

static void
on_changed (SlAnnotationStore *store, gint64 scene_id, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, scene_id);
}

static void
test_update_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 id = add (f, SL_SHAPE_BOX, f->scenes[0], f->tank, 500010, 6000010);
  gint64 keep = add (f, SL_SHAPE_POINT, f->scenes[0], f->tank, 500050, 6000050);
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(SlAnnotation) back = NULL;
  g_autoptr(GError) error = NULL;
  SlBounds old_place = { 500009, 6000007, 500015, 6000011 };
  SlBounds new_place = { 500109, 6000107, 500115, 6000111 };
  gint64 ids[] = { keep, 999999 };
  char *created;

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), changes);
  a = sl_annotation_store_get (f->store, id, &error);
  g_assert_no_error (error);
  created = g_strdup (a->object_uid);
  sl_annotation_translate (a, 100, 100);
  a->class_id = f->truck;
  a->note = g_strdup ("moved");
  g_usleep (2000);
  g_assert_true (sl_annotation_store_update (f->store, a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->updated, >, a->created);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpint (g_array_index (changes, gint64, 0), ==, f->scenes[0]);

  back = sl_annotation_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->object_uid, ==, created);
  g_assert_cmpint (back->class_id, ==, f->truck);
  g_assert_cmpstr (back->note, ==, "moved");
  g_assert_cmpint (back->created, ==, a->created);
  g_assert_cmpint (back->updated, ==, a->updated);
  g_free (created);
  /* The R-tree followed the move. */
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[0], &old_place), ==, 0);
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[0], &new_place), ==, 1);

  /* Removing a missing id removes nothing (all or nothing). */
  g_assert_false (sl_annotation_store_remove (f->store, ids, 2, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 2);
  g_assert_cmpuint (changes->len, ==, 1);

  g_assert_true (sl_annotation_store_remove (f->store, &id, 1, &error));
  g_assert_no_error (error);
  g_assert_null (sl_annotation_store_get (f->store, id, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[0], &new_place), ==, 0);
  g_assert_cmpuint (changes->len, ==, 2);

  /* Updating a removed annotation says so. */
  g_assert_false (sl_annotation_store_update (f->store, a, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  assert_valid_project (f->project);
}

static void
test_invalid (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(SlAnnotation) no_class = make (SL_SHAPE_POINT, f->scenes[0], 9999, 500001, 6000001);
  g_autoptr(SlAnnotation) no_scene = make (SL_SHAPE_POINT, 9999, f->tank, 500001, 6000001);
  g_autoptr(SlAnnotation) bad_shape = make (SL_SHAPE_BOX, f->scenes[0], f->tank, 500001, 6000001);
  g_autoptr(GError) error = NULL;

  g_assert_false (sl_annotation_store_add (f->store, no_class, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "class 9999"));
  g_clear_error (&error);
  g_assert_false (sl_annotation_store_add (f->store, no_scene, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  bad_shape->n_points = 3;
  g_assert_false (sl_annotation_store_add (f->store, bad_shape, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "4 corners"));
  g_clear_error (&error);
  g_assert_cmpint (no_class->id, ==, 0);

  /* A batch with one bad annotation stores none of them. */
  g_ptr_array_add (batch, make (SL_SHAPE_POINT, f->scenes[0], f->tank, 500001, 6000001));
  g_ptr_array_add (batch, make (SL_SHAPE_POINT, f->scenes[0], 9999, 500002, 6000002));
  g_assert_false (sl_annotation_store_add_many (f->store, batch, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (((SlAnnotation *) batch->pdata[0])->id, ==, 0);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 0);

  ((SlAnnotation *) batch->pdata[1])->class_id = f->truck;
  g_assert_true (sl_annotation_store_add_many (f->store, batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 2);
}

static void
test_copy_and_compare (Fixture *f, gconstpointer data)
{
  gint64 ids[3];
  g_autoptr(GArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  guint n_new, n_gone, n_persisting;

  for (guint i = 0; i < 3; i++)
    ids[i] = add (f, SL_SHAPE_ROTATED_BOX, f->scenes[0], i == 2 ? f->truck : f->tank, 500010 + 10 * i, 6000010);
  /* Two of the three stay to the next date; one new arrives there. */
  copies = sl_annotation_store_copy_to_scene (f->store, ids, 2, f->scenes[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copies->len, ==, 2);
  add (f, SL_SHAPE_POINT, f->scenes[1], f->tank, 500080, 6000080);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SlAnnotation) orig = sl_annotation_store_get (f->store, ids[i], NULL);
      g_autoptr(SlAnnotation) copy = sl_annotation_store_get (f->store, g_array_index (copies, gint64, i), NULL);
      g_autofree char *sql = g_strdup_printf ("SELECT acquired FROM annotations WHERE fid = %" G_GINT64_FORMAT,
                                              copy->id);
      g_autofree char *acquired = sl_test_sql_text (f->path, sql);

      g_assert_cmpint (copy->id, !=, orig->id);
      g_assert_cmpint (copy->scene_id, ==, f->scenes[1]);
      g_assert_cmpstr (copy->object_uid, ==, orig->object_uid);
      g_assert_cmpmem (copy->points, sizeof (SlPoint) * 4, orig->points, sizeof (SlPoint) * 4);
      g_assert_cmpstr (acquired, ==, "2022-02-14T08:31:00.000Z");
    }

  g_assert_true (sl_annotation_store_compare (f->store, f->scenes[0], f->scenes[1], 0,
                                              &n_new, &n_gone, &n_persisting, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_new, ==, 1);
  g_assert_cmpuint (n_gone, ==, 1);
  g_assert_cmpuint (n_persisting, ==, 2);
  g_assert_true (sl_annotation_store_compare (f->store, f->scenes[0], f->scenes[1], f->truck,
                                              &n_new, &n_gone, &n_persisting, &error));
  g_assert_cmpuint (n_new, ==, 0);
  g_assert_cmpuint (n_gone, ==, 1);
  g_assert_cmpuint (n_persisting, ==, 0);

  ids[0] = 424242;
  g_assert_null (sl_annotation_store_copy_to_scene (f->store, ids, 1, f->scenes[2], &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
}

static void
test_counts (Fixture *f, gconstpointer data)
{
  g_autoptr(SlCountsTable) table = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 4; i++)
    add (f, SL_SHAPE_POINT, f->scenes[0], f->tank, 500001 + i, 6000001);
  for (int i = 0; i < 2; i++)
    add (f, SL_SHAPE_POINT, f->scenes[2], f->tank, 500001 + i, 6000001);
  add (f, SL_SHAPE_BOX, f->scenes[2], f->truck, 500020, 6000020);

  table = sl_annotation_store_count (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->class_ids->len, ==, sl_project_count_classes (f->project));
  g_assert_cmpuint (table->scene_ids->len, ==, N_SCENES);
  for (guint i = 0; i < N_SCENES; i++)
    g_assert_cmpint (g_array_index (table->scene_ids, gint64, i), ==, f->scenes[i]);
  g_assert_cmpint (g_array_index (table->class_ids, gint64, 0), ==, f->tank);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[0]), ==, 4);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[1]), ==, 0);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[2]), ==, 2);
  g_assert_cmpuint (sl_counts_table_get (table, f->truck, f->scenes[2]), ==, 1);
  g_assert_cmpuint (sl_counts_table_get (table, f->truck, f->scenes[0]), ==, 0);
  g_assert_cmpuint (sl_counts_table_get (table, 12345, f->scenes[0]), ==, 0);
}

/* The second R-tree (scene as a third dimension) follows every kind of edit, and a project
 * of schema 2 (without it) gets it back, filled, when it is opened. */
static void
test_scene_index (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlAnnotation) moved = NULL;
  g_autoptr(GArray) copies = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  SlBounds view = { 500000, 6000000, 500100, 6000100 };
  gint64 ids[12];
  guint count;

  for (guint i = 0; i < 12; i++)
    ids[i] = add (f, i % 3 ? SL_SHAPE_BOX : SL_SHAPE_POINT, f->scenes[i % N_SCENES], f->tank,
                  500005 + 7 * i, 6000050);
  /* Moved to another place and date; one removed; two copied to the last date. */
  moved = sl_annotation_store_get (f->store, ids[0], &error);
  g_assert_no_error (error);
  sl_annotation_translate (moved, 3, 3);
  moved->scene_id = f->scenes[2];
  g_assert_true (sl_annotation_store_update (f->store, moved, &error));
  g_assert_true (sl_annotation_store_remove (f->store, &ids[4], 1, &error));
  copies = sl_annotation_store_copy_to_scene (f->store, &ids[1], 2, f->scenes[2], &error);
  g_assert_no_error (error);
  assert_scene_index_matches (f->path);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[2], 500008, 6000053, 0.1), ==, ids[0]);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500008, 6000053, 0.1), ==, 0);

  before = sl_annotation_store_query (f->store, f->scenes[2], &view, &error);
  g_assert_no_error (error);
  count = sl_annotation_store_count_in (f->store, f->scenes[2], &view);
  g_assert_cmpuint (count, ==, before->len);
  g_assert_cmpuint (count, ==, 4 + 1 + 2);

  g_clear_object (&f->store);
  sl_project_close (f->project);
  sl_test_sql_exec (f->path, DOWNGRADE_TO_SCHEMA_2);
  g_clear_object (&f->project);
  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  f->store = sl_annotation_store_new (f->project);
  assert_scene_index_matches (f->path);
  after = sl_annotation_store_query (f->store, f->scenes[2], &view, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpint (((SlAnnotation *) after->pdata[i])->id, ==, ((SlAnnotation *) before->pdata[i])->id);
  g_assert_cmpint (sl_project_get_schema_version (f->project), ==, SL_PROJECT_SCHEMA_VERSION);
  /* The per-date counts were rebuilt from the rows too (the validator compares them). */
  assert_valid_project (f->project);
}

/* Hidden and locked are stored; hidden ones are neither hit nor marked, but still counted;
 * marks come from the index and match the rows; the counts follow every kind of edit. */
static void
test_hidden_locked_marks (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlAnnotation) a = NULL, back = NULL;
  g_autoptr(GArray) marks = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(SlCountsTable) table = NULL;
  SlBounds view = { 500000, 6000000, 500200, 6000200 };
  gint64 ids[6];

  for (guint i = 0; i < 6; i++)
    ids[i] = add (f, i % 2 ? SL_SHAPE_BOX : SL_SHAPE_POINT, f->scenes[0], i < 4 ? f->tank : f->truck,
                  500010 + 20 * i, 6000100);

  a = sl_annotation_store_get (f->store, ids[1], &error);
  g_assert_no_error (error);
  g_assert_false (a->hidden);
  g_assert_false (a->locked);
  a->hidden = TRUE;
  a->locked = TRUE;
  g_assert_true (sl_annotation_store_update (f->store, a, &error));
  g_assert_no_error (error);
  back = sl_annotation_store_get (f->store, ids[1], &error);
  g_assert_true (back->hidden);
  g_assert_true (back->locked);

  /* Hidden: no hit where it is drawn, no mark; the query still returns it (the layer
   * decides) and the counts keep it. */
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500031, 6000099, 0.5), ==, 0);
  g_assert_cmpint (sl_annotation_store_hit_test (f->store, f->scenes[0], 500050.2, 6000100, 0.5), ==, ids[2]);
  marks = sl_annotation_store_query_marks (f->store, f->scenes[0], &view, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (marks->len, ==, 5);
  rows = sl_annotation_store_query (f->store, f->scenes[0], &view, &error);
  g_assert_cmpuint (rows->len, ==, 6);
  for (guint i = 0; i < marks->len; i++)
    {
      SlAnnotationMark *m = &g_array_index (marks, SlAnnotationMark, i);
      SlAnnotation *row = NULL;
      SlBounds b;

      g_assert_cmpint (m->id, !=, ids[1]);
      for (guint j = 0; j < rows->len; j++)
        if (((SlAnnotation *) rows->pdata[j])->id == m->id)
          row = rows->pdata[j];
      g_assert_nonnull (row);
      g_assert_cmpint (m->class_id, ==, row->class_id);
      sl_annotation_get_bounds (row, &b);
      g_assert_cmpfloat (fabs (m->x - (b.min_x + b.max_x) / 2), <, 0.1);
      g_assert_cmpfloat (fabs (m->y - (b.min_y + b.max_y) / 2), <, 0.1);
    }

  /* Counts through a class change, a move to another date and a removal. */
  g_clear_pointer (&a, sl_annotation_free);
  a = sl_annotation_store_get (f->store, ids[0], &error);
  a->class_id = f->truck;
  g_assert_true (sl_annotation_store_update (f->store, a, &error));
  g_clear_pointer (&a, sl_annotation_free);
  a = sl_annotation_store_get (f->store, ids[2], &error);
  a->scene_id = f->scenes[1];
  g_assert_true (sl_annotation_store_update (f->store, a, &error));
  g_assert_true (sl_annotation_store_remove (f->store, &ids[5], 1, &error));
  g_assert_no_error (error);
  table = sl_annotation_store_count (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[0]), ==, 2);
  g_assert_cmpuint (sl_counts_table_get (table, f->truck, f->scenes[0]), ==, 2);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[1]), ==, 1);
  assert_valid_project (f->project);

  /* Hidden and locked survive closing the project. */
  g_clear_object (&f->store);
  g_clear_object (&f->project);
  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  f->store = sl_annotation_store_new (f->project);
  g_clear_pointer (&back, sl_annotation_free);
  back = sl_annotation_store_get (f->store, ids[1], &error);
  g_assert_no_error (error);
  g_assert_true (back->hidden && back->locked);
}

/* GDAL reads the layer: every shape, in the site CRS, and GDAL's GeoPackage validator passes. */
static void
test_gdal_reads (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *integrity = NULL;
  g_autofree char *ogrinfo = g_find_program_in_path ("ogrinfo");
  int status;

  for (int k = SL_SHAPE_POINT; k <= SL_SHAPE_LINE; k++)
    add (f, k == SL_SHAPE_POLYGON ? SL_SHAPE_ROTATED_BOX : k, f->scenes[k % N_SCENES], f->tank,
         500010 + 10 * k, 6000020);
  sl_project_close (f->project);

  if (ogrinfo == NULL)
    {
      g_test_skip ("ogrinfo is not installed");
      return;
    }
  status = sl_test_run (&out, &err, "ogrinfo", "-ro", "-al", f->path, "annotations", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Feature Count: 5"));
  g_assert_nonnull (strstr (out, "Geometry: Unknown (any)"));
  g_assert_nonnull (strstr (out, "UTM zone 36N"));
  g_assert_nonnull (strstr (out, "POINT (500010 6000020)"));
  g_assert_nonnull (strstr (out, "LINESTRING (500050 6000020,500054 6000020)"));
  g_assert_nonnull (strstr (out, "POLYGON ((500020 6000020,500024 6000020,500024 6000018,500020 6000018,500020 6000020))"));
  g_assert_nonnull (strstr (out, "acquired (DateTime) = 2022/02/14 08:31:00"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A spatial filter through GDAL uses the same R-tree. */
  status = sl_test_run (&out, &err, "ogrinfo", "-ro", "-q", f->path, "annotations",
                        "-spat", "500015", "6000015", "500035", "6000025", "-fid", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "OGRFeature(annotations):2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = sl_test_run (&out, &err, "/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", f->path, NULL);
  if (status != 0 && err && strstr (err, "No module named"))
    g_test_message ("validate_gpkg is not available: %s", err);
  else
    {
      if (status != 0)
        g_test_message ("validate_gpkg: %s %s", out, err);
      g_assert_cmpint (status, ==, 0);
    }
  integrity = sl_test_sql_text (f->path, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
}

/* --- read-only project files --- */

static void
check_read_only (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (f->path, &error);
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(SlCountsTable) table = NULL;
  SlBounds view = { 500010, 6000005, 500020, 6000012 };
  gint64 id = 1;

  g_assert_no_error (error);
  g_assert_true (sl_project_is_read_only (project));
  store = sl_annotation_store_new (project);
  g_assert_true (sl_annotation_store_is_read_only (store));

  /* Reading works. */
  all = sl_annotation_store_query (store, f->scenes[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  /* Through the GeoPackage R-tree: the file has no scene-aware index and cannot get one. */
  g_assert_cmpuint (sl_annotation_store_count_in (store, f->scenes[0], &view), ==, 1);
  g_assert_cmpint (sl_annotation_store_hit_test (store, f->scenes[0], 500013, 6000010, 0), ==,
                   ((SlAnnotation *) all->pdata[1])->id);
  table = sl_annotation_store_count (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_counts_table_get (table, f->tank, f->scenes[0]), ==, 2);

  /* Every edit says why, naming the file. */
  a = make (SL_SHAPE_POINT, f->scenes[0], f->tank, 500001, 6000001);
  g_assert_false (sl_annotation_store_add (store, a, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "site.sitelapse"));
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_clear_error (&error);
  a->id = 1;
  g_assert_false (sl_annotation_store_update (store, a, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (sl_annotation_store_remove (store, &id, 1, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_null (sl_annotation_store_copy_to_scene (store, &id, 1, f->scenes[1], &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_cmpuint (sl_project_count_annotations (project), ==, 2);
  sl_project_close (project);
}

static void
test_read_only (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL, *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root: file permissions are not enforced");
      return;
    }
  add (f, SL_SHAPE_POINT, f->scenes[0], f->tank, 500001, 6000001);
  add (f, SL_SHAPE_BOX, f->scenes[0], f->tank, 500011, 6000011);
  sl_project_close (f->project);
  before = sl_test_sha256_file (f->path);

  /* The file read-only, then the folder. */
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  check_read_only (f);
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0555), ==, 0);
  check_read_only (f);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);

  after = sl_test_sha256_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* --- durability: a writer killed with SIGKILL loses nothing it reported --- */

#define WRITER_X(i) (500000.0 + (i) % 50 * 1.5)
#define WRITER_Y(i) (6000000.0 + (i) / 50 * 1.5)

/* The child: adds points one by one, printing each id once its transaction committed. */
static int
run_writer (const char *path, gint64 scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (path, &error);
  g_autoptr(SlAnnotationStore) store = NULL;

  if (project == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  store = sl_annotation_store_new (project);
  for (int i = 0; i < 100000; i++)
    {
      SlPoint p = { WRITER_X (i), WRITER_Y (i) };
      g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

      a->scene_id = scene_id;
      a->class_id = 1;
      if (!sl_annotation_store_add (store, a, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      printf ("%" G_GINT64_FORMAT " %d\n", a->id, i);
      fflush (stdout);
    }
  return 0;
}

static void
test_durability (Fixture *f, gconstpointer data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *scene = g_strdup_printf ("%" G_GINT64_FORMAT, f->scenes[1]);
  const char *argv[] = { self_exe, "--writer", f->path, scene, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(SlAnnotationStore) store = NULL;
  GPid pid;
  int out_fd, status;
  FILE *out;
  char line[128];
  const guint wanted = 60;

  g_assert_nonnull (self_exe);
  /* The project is written by the child alone. */
  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  while (ids->len < wanted && fgets (line, sizeof line, out) != NULL)
    {
      gint64 id;
      int i;

      g_assert_cmpint (sscanf (line, "%" G_GINT64_FORMAT " %d", &id, &i), ==, 2);
      g_array_append_val (ids, id);
      g_array_append_val (indices, i);
    }
  /* Killed at once after the last edit it reported, in the middle of later ones. */
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);
  fclose (out);
  g_assert_cmpuint (ids->len, ==, wanted);

  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  store = sl_annotation_store_new (f->project);
  for (guint k = 0; k < ids->len; k++)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_store_get (store, g_array_index (ids, gint64, k), &error);
      int i = g_array_index (indices, int, k);

      g_assert_no_error (error);
      g_assert_cmpint (a->kind, ==, SL_SHAPE_POINT);
      g_assert_cmpint (a->scene_id, ==, f->scenes[1]);
      g_assert_cmpfloat (a->points[0].x, ==, WRITER_X (i));
      g_assert_cmpfloat (a->points[0].y, ==, WRITER_Y (i));
    }
  g_assert_cmpuint (sl_project_count_annotations (f->project), >=, wanted);
  assert_valid_project (f->project);
  sl_project_close (f->project);
  {
    g_autofree char *integrity = sl_test_sql_text (f->path, "PRAGMA integrity_check");
    g_assert_cmpstr (integrity, ==, "ok");
  }
}

int
main (int argc, char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "--writer") == 0)
    {
      sl_core_init ();
      return run_writer (argv[2], g_ascii_strtoll (argv[3], NULL, 10));
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/annotation-store/round-trip", test_round_trip);
  ADD ("/annotation-store/query", test_query);
  ADD ("/annotation-store/hit-test", test_hit_test);
  ADD ("/annotation-store/update-remove", test_update_remove);
  ADD ("/annotation-store/invalid", test_invalid);
  ADD ("/annotation-store/copy-and-compare", test_copy_and_compare);
  ADD ("/annotation-store/counts", test_counts);
  ADD ("/annotation-store/scene-index", test_scene_index);
  ADD ("/annotation-store/hidden-locked-marks", test_hidden_locked_marks);
  ADD ("/annotation-store/gdal-reads", test_gdal_reads);
  ADD ("/annotation-store/read-only", test_read_only);
  ADD ("/annotation-store/durability", test_durability);
#undef ADD
  return g_test_run ();
}
