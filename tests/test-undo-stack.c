/* test-undo-stack.c — undo and redo restore the exact rows of the annotations table
 *
 * Snapshots of the whole `annotations` table and its R-tree, read through a separate SQLite
 * connection, are compared before an edit and after its undo (and after the edit and its
 * redo): every column, the geometry blob and the index must be identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"
#include "sl-undo-stack.h"

typedef struct
{
  char              *dir;
  char              *path;
  SlProject         *project;
  SlAnnotationStore *store;
  SlUndoStack       *undo;
  gint64             scenes[2];
  guint              notified[4];  /* can-undo, can-redo, undo-label, last-scene-id */
} Fixture;

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  Fixture *f = user_data;
  const char *names[] = { "can-undo", "can-redo", "undo-label", "last-scene-id" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (pspec->name, names[i]) == 0)
      f->notified[i]++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "undo.sitelapse", NULL);
  f->project = sl_project_create (f->path, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("d%u.tif", i);
      g_autofree char *tif = g_build_filename (f->dir, name, NULL);
      g_autoptr(GDateTime) when = g_date_time_new_utc (2022, 3, 1 + 7 * i, 9, 0, 0);
      SlTestImage spec = { .width = 32, .height = 32, .bands = 3, .crs = "EPSG:32636",
                           .origin_x = 500000, .origin_y = 6000016, .pixel_size = 0.5, .seed = 10 + i };
      g_autoptr(SlScene) probe = NULL;
      g_autoptr(SlScene) stored = NULL;

      sl_test_write_image (tif, &spec);
      probe = sl_scene_probe (tif, &error);
      g_assert_no_error (error);
      sl_scene_set_acquired (probe, when);
      stored = sl_project_add_scene (f->project, probe, &error);
      g_assert_no_error (error);
      f->scenes[i] = sl_scene_get_id (stored);
    }
  f->store = sl_annotation_store_new (f->project);
  f->undo = sl_undo_stack_new (f->store);
  g_signal_connect (f->undo, "notify", G_CALLBACK (on_notify), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->undo);
  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

/* Every row of the table and of its R-tree, as text. */
static char *
snapshot (Fixture *f)
{
  static const char sql[] =
    "SELECT ifnull((SELECT group_concat(r, char(10)) FROM (SELECT fid || '|' || hex(geom) || '|' || scene_id"
    " || '|' || acquired || '|' || class_id || '|' || kind || '|' || ifnull(object_uid, '-') || '|'"
    " || ifnull(confidence, '-') || '|' || ifnull(note, '-') || '|' || ifnull(author, '-') || '|' || created"
    " || '|' || updated AS r FROM annotations ORDER BY fid)), '') || char(10) || ifnull((SELECT"
    " group_concat(r, char(10)) FROM (SELECT id || ':' || minx || ',' || maxx || ',' || miny || ',' || maxy AS r"
    " FROM rtree_annotations_geom ORDER BY id)), '')";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static SlAnnotation *
make (Fixture *f, SlShapeKind kind, guint scene, double x)
{
  SlPoint pts[4] = { { x, 6000010 }, { x + 3, 6000010 }, { x + 3, 6000008 }, { x, 6000008 } };
  SlAnnotation *a = sl_annotation_new (kind, pts, kind == SL_SHAPE_POINT ? 1 : 4);

  a->scene_id = f->scenes[scene];
  a->class_id = 1;
  a->confidence = SL_CONFIDENCE_MEDIUM;
  a->author = g_strdup ("tester");
  return a;
}

/* Adds @n annotations through the stack, returns their ids. */
static GArray *
add_some (Fixture *f, guint n, guint scene, const char *label)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (batch, make (f, i % 2 ? SL_SHAPE_BOX : SL_SHAPE_POINT, scene, 500001 + 5 * i));
  g_assert_true (sl_undo_stack_add (f->undo, batch, label, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_array_append_val (ids, ((SlAnnotation *) batch->pdata[i])->id);
  return ids;
}

static void
undo (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_undo_stack_undo (f->undo, &error));
  g_assert_no_error (error);
}

static void
redo (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_undo_stack_redo (f->undo, &error));
  g_assert_no_error (error);
}

static void
test_add (Fixture *f, gconstpointer data)
{
  g_autofree char *empty = snapshot (f);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *added = NULL, *undone = NULL, *redone = NULL;

  g_assert_false (sl_undo_stack_can_undo (f->undo));
  g_assert_null (sl_undo_stack_get_undo_label (f->undo));
  ids = add_some (f, 3, 0, "Add Tank");
  added = snapshot (f);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 3);
  g_assert_true (sl_undo_stack_can_undo (f->undo));
  g_assert_cmpstr (sl_undo_stack_get_undo_label (f->undo), ==, "Undo Add Tank");

  undo (f);
  undone = snapshot (f);
  g_assert_cmpstr (undone, ==, empty);
  g_assert_false (sl_undo_stack_can_undo (f->undo));
  g_assert_true (sl_undo_stack_can_redo (f->undo));
  g_assert_cmpstr (sl_undo_stack_get_redo_label (f->undo), ==, "Redo Add Tank");
  g_assert_cmpint (sl_undo_stack_get_last_scene_id (f->undo), ==, f->scenes[0]);

  /* Redo brings back the same rows: same ids, object_uids and times. */
  redo (f);
  redone = snapshot (f);
  g_assert_cmpstr (redone, ==, added);
  g_assert_false (sl_undo_stack_can_redo (f->undo));
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    g_assert_true (sl_project_validate (f->project, problems));
  }
}

static void
test_update (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = add_some (f, 2, 0, NULL);
  g_autofree char *before = snapshot (f), *after = NULL, *undone = NULL, *redone = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (sl_undo_stack_get_undo_label (f->undo), ==, "Undo Add 2 Annotations");
  for (guint i = 0; i < 2; i++)
    {
      SlAnnotation *a = sl_annotation_store_get (f->store, g_array_index (ids, gint64, i), &error);

      g_assert_no_error (error);
      sl_annotation_translate (a, 20, -4);
      a->class_id = 7;
      g_clear_pointer (&a->author, g_free);
      a->note = g_strdup ("moved into the tree line");
      g_ptr_array_add (changed, a);
    }
  g_usleep (2000); /* so the updated time differs */
  g_assert_true (sl_undo_stack_update (f->undo, changed, "Move", &error));
  g_assert_no_error (error);
  after = snapshot (f);
  g_assert_cmpstr (after, !=, before);

  undo (f);
  undone = snapshot (f);
  g_assert_cmpstr (undone, ==, before);
  redo (f);
  redone = snapshot (f);
  g_assert_cmpstr (redone, ==, after);

  /* Undo twice: back to nothing, then redo both. */
  undo (f);
  undo (f);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 0);
  redo (f);
  redo (f);
  g_free (redone);
  redone = snapshot (f);
  g_assert_cmpstr (redone, ==, after);
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = add_some (f, 4, 1, NULL);
  g_autofree char *before = snapshot (f), *undone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlAnnotation) back = NULL;
  gint64 gone[2] = { g_array_index (ids, gint64, 1), g_array_index (ids, gint64, 2) };
  SlBounds around = { 500000, 6000000, 500030, 6000020 };

  g_assert_true (sl_undo_stack_remove (f->undo, gone, 2, "Delete", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[1], &around), ==, 2);
  undo (f);
  undone = snapshot (f);
  g_assert_cmpstr (undone, ==, before);
  back = sl_annotation_store_get (f->store, gone[0], &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, gone[0]);
  /* Back in the spatial index too. */
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, f->scenes[1], &around), ==, 4);
  g_assert_cmpint (sl_undo_stack_get_last_scene_id (f->undo), ==, f->scenes[1]);
  redo (f);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 2);

  /* Removing a missing annotation fails and records nothing. */
  g_assert_false (sl_undo_stack_remove (f->undo, gone, 1, "Delete", &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (sl_undo_stack_get_undo_label (f->undo), ==, "Undo Delete");
}

static void
test_copy_to_scene (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = add_some (f, 2, 0, NULL);
  g_autoptr(GArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = snapshot (f), *after = NULL, *undone = NULL, *redone = NULL;

  g_assert_true (sl_undo_stack_copy_to_scene (f->undo, (gint64 *) (gpointer) ids->data, ids->len, f->scenes[1],
                                              &copies, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copies->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_store_get (f->store, g_array_index (ids, gint64, i), NULL);
      g_autoptr(SlAnnotation) b = sl_annotation_store_get (f->store, g_array_index (copies, gint64, i), NULL);

      g_assert_cmpstr (a->object_uid, ==, b->object_uid);
      g_assert_cmpint (b->scene_id, ==, f->scenes[1]);
    }
  after = snapshot (f);
  g_assert_cmpstr (sl_undo_stack_get_undo_label (f->undo), ==, "Undo Copy 2 Annotations to Date");
  undo (f);
  undone = snapshot (f);
  g_assert_cmpstr (undone, ==, before);
  g_assert_cmpint (sl_undo_stack_get_last_scene_id (f->undo), ==, f->scenes[1]);
  redo (f);
  redone = snapshot (f);
  g_assert_cmpstr (redone, ==, after);
}

static void
test_branch_and_notify (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) a = add_some (f, 1, 0, "Add Tank");
  g_autoptr(GArray) b = NULL;
  gboolean can_redo;
  g_autofree char *label = NULL;

  g_assert_cmpuint (f->notified[0], ==, 1);  /* can-undo became TRUE */
  g_assert_cmpuint (f->notified[2], ==, 1);
  undo (f);
  g_assert_cmpuint (f->notified[0], ==, 2);
  g_assert_cmpuint (f->notified[1], ==, 1);
  g_assert_cmpuint (f->notified[3], ==, 1);  /* last-scene-id */

  /* A new edit after an undo drops the redo branch. */
  b = add_some (f, 1, 1, "Add Truck");
  g_assert_false (sl_undo_stack_can_redo (f->undo));
  g_object_get (f->undo, "can-redo", &can_redo, "undo-label", &label, NULL);
  g_assert_false (can_redo);
  g_assert_cmpstr (label, ==, "Undo Add Truck");
  g_assert_cmpuint (f->notified[1], ==, 2);
  /* Nothing to redo: a no-op. */
  g_assert_true (sl_undo_stack_redo (f->undo, NULL));
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 1);

  /* Undo works across dates: the last edit was on the second date. */
  undo (f);
  g_assert_cmpint (sl_undo_stack_get_last_scene_id (f->undo), ==, f->scenes[1]);
  g_assert_null (sl_annotation_store_get (f->store, g_array_index (b, gint64, 0), NULL));
  g_assert_false (sl_undo_stack_can_undo (f->undo));

  sl_undo_stack_clear (f->undo);
  g_assert_false (sl_undo_stack_can_redo (f->undo));
  g_assert_null (sl_undo_stack_get_redo_label (f->undo));
}

/* An undo that cannot be applied (the row was removed behind the stack's back) fails and
 * leaves the history as it was. */
static void
test_failed_undo (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = add_some (f, 1, 0, "Add Tank");
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_annotation_store_remove (f->store, (gint64 *) (gpointer) ids->data, 1, &error));
  g_assert_false (sl_undo_stack_undo (f->undo, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_assert_true (sl_undo_stack_can_undo (f->undo));
  g_assert_false (sl_undo_stack_can_redo (f->undo));
}

/* A merge of class 1 into 7: the history's rows follow, so undoing a move and the add and
 * redoing them works, and every row comes back as class 7 (class 1 is gone). (Their
 * "updated" times come back as the history has them, from before the merge.) */
static void
test_reclass (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) ids = add_some (f, 2, 0, "Add two");
  g_autoptr(SlClassSet) classes = sl_class_set_new (f->project);
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;

  a = sl_annotation_store_get (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  sl_annotation_translate (a, 10, 0);
  g_ptr_array_add (moved, sl_annotation_copy (a));
  g_assert_true (sl_undo_stack_update (f->undo, moved, "Move", &error));
  g_assert_no_error (error);
  g_assert_true (sl_class_set_merge (classes, 1, 7, &error));
  g_assert_no_error (error);
  sl_undo_stack_reclass (f->undo, 1, 7);

  undo (f);
  g_clear_pointer (&a, sl_annotation_free);
  a = sl_annotation_store_get (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->class_id, ==, 7);
  g_assert_cmpfloat (a->points[0].x, ==, 500001);
  undo (f);
  g_assert_cmpuint (sl_class_set_count_uses (classes, 7), ==, 0);
  redo (f);
  redo (f);
  g_assert_cmpuint (sl_class_set_count_uses (classes, 7), ==, 2);
  g_clear_pointer (&a, sl_annotation_free);
  a = sl_annotation_store_get (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->class_id, ==, 7);
  g_assert_cmpfloat (a->points[0].x, ==, 500011);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/undo-stack/add", test_add);
  ADD ("/undo-stack/update", test_update);
  ADD ("/undo-stack/remove", test_remove);
  ADD ("/undo-stack/copy-to-scene", test_copy_to_scene);
  ADD ("/undo-stack/branch-and-notify", test_branch_and_notify);
  ADD ("/undo-stack/failed-undo", test_failed_undo);
  ADD ("/undo-stack/reclass", test_reclass);
#undef ADD
  return g_test_run ();
}
