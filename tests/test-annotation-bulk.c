/* test-annotation-bulk.c — large inserts write the annotations' R-trees in bulk: the trees
 * are packed, valid for SQLite and for the project's checks, answer every view as a scan of
 * the rows does, keep working with row-by-row edits afterwards, and a failed insert leaves the
 * project (rows, trees, triggers) as it was
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "sl-annotation-store.h"
#include "sl-core.h"
#include "sl-gpkg-functions.h"
#include "sl-gpkg-geometry.h"
#include "sl-project.h"
#include "sl-undo-stack.h"
#include "sl-test-util.h"

#define N_SCENES 3

typedef struct
{
  char      *dir;
  char      *path;
  SlProject *project;
  SlAnnotationStore *store;
  gint64     scenes[N_SCENES];
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char *const dates[N_SCENES] = { "2022-02-07T08:30:00Z", "2022-02-14T08:31:00Z", "2022-02-21T08:32:00Z" };

  f->dir = sl_test_tmpdir_new ();
  f->project = sl_test_project_with_scenes (f->dir, N_SCENES, dates, f->scenes, &f->path);
  f->store = sl_annotation_store_new (f->project);
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

/* @n vehicles around a training area of 3 × 3 km: boxes, rotated boxes and points, over the
 * three dates and five classes, every seventh hidden. */
static GPtrArray *
make_vehicles (Fixture *f, guint n, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint i = 0; i < n; i++)
    {
      double x = 500000 + g_rand_double_range (rand, 0, 3000), y = 6000000 - g_rand_double_range (rand, 0, 3000);
      SlPoint box[4] = { { x, y }, { x + 7, y }, { x + 7, y - 3.5 }, { x, y - 3.5 } };
      SlPoint rot[4] = { { x, y }, { x + 6, y + 2 }, { x + 5, y + 5 }, { x - 1, y + 3 } };
      guint kind = i % 3;
      SlAnnotation *a = kind == 0 ? sl_annotation_new (SL_SHAPE_BOX, box, 4)
                      : kind == 1 ? sl_annotation_new (SL_SHAPE_ROTATED_BOX, rot, 4)
                                  : sl_annotation_new (SL_SHAPE_POINT, box, 1);

      a->scene_id = f->scenes[g_rand_int_range (rand, 0, N_SCENES)];
      a->class_id = 1 + i % 5;
      a->hidden = i % 7 == 0;
      g_ptr_array_add (all, a);
    }
  return all;
}

static void
add_many (Fixture *f, GPtrArray *annotations)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_annotation_store_add_many (f->store, annotations, &error));
  g_assert_no_error (error);
}

/* Both trees pass SQLite's rtreecheck and the project's own checks (which include it). */
static void
assert_valid (Fixture *f)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  if (!sl_project_validate (f->project, problems))
    g_error ("invalid project: %s", (char *) problems->pdata[0]);
}

static gboolean
meets (const SlAnnotation *a, const SlBounds *view)
{
  SlBounds b;

  sl_annotation_get_bounds (a, &b);
  return b.min_x <= view->max_x && b.max_x >= view->min_x && b.min_y <= view->max_y && b.max_y >= view->min_y;
}

/* Views on each date answer as a scan of every row of the date does: the annotations, their
 * count, and the level-of-detail marks (read from the date-aware tree alone). An R-tree keeps
 * single-precision boxes rounded outwards (half a metre at 6 000 km from the origin), so a
 * view may also bring what lies within a metre of its edge, never less than what meets it. */
static void
assert_views_match_rows (Fixture *f, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint meeting = 0;

  for (int q = 0; q < 24; q++)
    {
      gint64 scene = f->scenes[q % N_SCENES];
      double x = 500000 + g_rand_double_range (rand, -100, 3000), y = 6000000 - g_rand_double_range (rand, 0, 3100);
      double size = q < 12 ? 150 : 1200;
      SlBounds view = { x, y, x + size, y + size }, near = { x - 1, y - 1, x + size + 1, y + size + 1 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) all = NULL, in_view = NULL;
      g_autoptr(GArray) marks = NULL;
      g_autoptr(GHashTable) found = g_hash_table_new (g_int64_hash, g_int64_equal);
      guint shown = 0;

      all = sl_annotation_store_query (f->store, scene, NULL, &error);
      g_assert_no_error (error);
      in_view = sl_annotation_store_query (f->store, scene, &view, &error);
      g_assert_no_error (error);
      marks = sl_annotation_store_query_marks (f->store, scene, &view, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < in_view->len; i++)
        {
          SlAnnotation *a = in_view->pdata[i];

          g_assert_true (meets (a, &near));
          g_assert_cmpint (a->scene_id, ==, scene);
          g_hash_table_add (found, &a->id);
          shown += !a->hidden;
        }
      for (guint i = 0; i < all->len; i++)
        {
          SlAnnotation *a = all->pdata[i];

          if (meets (a, &view))
            {
              g_assert_true (g_hash_table_contains (found, &a->id));
              meeting++;
            }
        }
      g_assert_cmpuint (sl_annotation_store_count_in (f->store, scene, &view), ==, in_view->len);
      g_assert_cmpuint (marks->len, ==, shown);
    }
  g_assert_cmpuint (meeting, >, 100);
}

/* The GeoPackage tree written in bulk has as few nodes as 51 cells a node allow (the tree
 * SQLite grows row by row has about half again as many). */
static void
assert_packed (Fixture *f, gint64 n)
{
  gint64 leaves = (n + 50) / 51, nodes = sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom_node");

  g_assert_cmpint (nodes, <=, leaves + (leaves + 50) / 51 + 1);
  nodes = sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene_node");
  g_assert_cmpint (nodes, <=, leaves + (leaves + 50) / 51 + 1);
}

static void
test_import (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) vehicles = make_vehicles (f, 6000, 1);
  g_autoptr(GPtrArray) few = make_vehicles (f, 40, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCountsTable) counts = NULL;
  guint total = 0;

  add_many (f, vehicles);
  assert_packed (f, 6000);
  assert_valid (f);
  assert_views_match_rows (f, 3);
  /* Every id came back, consecutive, in the order given. */
  for (guint i = 1; i < vehicles->len; i++)
    g_assert_cmpint (((SlAnnotation *) vehicles->pdata[i])->id, ==, ((SlAnnotation *) vehicles->pdata[i - 1])->id + 1);
  counts = sl_annotation_store_count (f->store, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < N_SCENES; s++)
    for (gint64 c = 1; c <= 5; c++)
      total += sl_counts_table_get (counts, c, f->scenes[s]);
  g_assert_cmpuint (total, ==, 6000);

  /* Row-by-row edits afterwards go through the triggers, as before. */
  add_many (f, few);
  for (guint i = 0; i < 300; i++)
    {
      SlAnnotation *a = vehicles->pdata[i * 17];

      sl_annotation_translate (a, 250, -40);
      if (i % 4 == 0)
        a->scene_id = f->scenes[(i / 4) % N_SCENES];
      g_assert_true (sl_annotation_store_update (f->store, a, &error));
      g_assert_no_error (error);
    }
  {
    gint64 ids[500];

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      ids[i] = ((SlAnnotation *) vehicles->pdata[i * 11 + 3])->id;
    g_assert_true (sl_annotation_store_remove (f->store, ids, G_N_ELEMENTS (ids), &error));
    g_assert_no_error (error);
  }
  assert_valid (f);
  assert_views_match_rows (f, 4);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom"), ==, 6040 - 500);
}

/* Into a project that already holds annotations: the trees hold the old rows and the new. */
static void
test_import_onto_existing (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = make_vehicles (f, 3000, 5);
  g_autoptr(GPtrArray) second = make_vehicles (f, 2500, 6);

  add_many (f, first);
  add_many (f, second);
  assert_packed (f, 5500);
  assert_valid (f);
  assert_views_match_rows (f, 7);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene"), ==, 5500);
}

/* A failure after the rows are written (here a trigger of another tool refusing one row)
 * rolls back everything: no row, the trees as they were, the index triggers in place. */
static void
test_failure_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = make_vehicles (f, 2500, 8);
  g_autoptr(GPtrArray) second = make_vehicles (f, 5000, 9);
  g_autoptr(GPtrArray) one = make_vehicles (f, 1, 10);
  g_autoptr(GError) error = NULL;
  SlAnnotation *last = second->pdata[second->len - 1];
  gint64 triggers = sl_test_sql_int (f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
  SlBounds everywhere = { 499000, 5996000, 504000, 6001000 };

  add_many (f, first);
  sl_test_sql_exec (f->path, "CREATE TRIGGER refuse AFTER INSERT ON annotations WHEN NEW.note = 'refuse'"
                     " BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END");
  last->note = g_strdup ("refuse");
  g_assert_false (sl_annotation_store_add_many (f->store, second, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "site.sitelapse.gpkg"));
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM annotations"), ==, 2500);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom"), ==, 2500);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), ==, triggers + 1);
  sl_test_sql_exec (f->path, "DROP TRIGGER refuse");
  assert_valid (f);

  /* The triggers index the next row, row by row. */
  add_many (f, one);
  g_assert_cmpuint (sl_annotation_store_count_in (f->store, ((SlAnnotation *) one->pdata[0])->scene_id, &everywhere),
                    >=, 1);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene"), ==, 2501);
  assert_views_match_rows (f, 11);
}

/* Removing most of the annotations (undoing an import) writes the trees anew from the rows
 * that remain; an unknown id among many removes nothing. */
static void
test_remove_many (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) vehicles = make_vehicles (f, 9000, 13);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  gint64 unknown = 999999;

  add_many (f, vehicles);
  for (guint i = 0; i < vehicles->len; i++)
    if (i % 4 != 0)
      g_array_append_val (ids, ((SlAnnotation *) vehicles->pdata[i])->id);

  /* All or nothing. */
  g_array_append_val (ids, unknown);
  g_assert_false (sl_annotation_store_remove (f->store, (gint64 *) ids->data, ids->len, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999999"));
  g_clear_error (&error);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM annotations"), ==, 9000);
  g_array_set_size (ids, ids->len - 1);

  /* The same id twice is removed once. */
  g_array_append_val (ids, g_array_index (ids, gint64, 0));
  g_assert_true (sl_annotation_store_remove (f->store, (gint64 *) ids->data, ids->len, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM annotations"), ==, 2250);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom"), ==, 2250);
  assert_packed (f, 2250);
  assert_valid (f);
  assert_views_match_rows (f, 14);
}

/* Undoing and redoing an import of thousands (a bulk removal, then a bulk insert of the rows
 * exactly as they were) leaves the same rows and valid trees. */
static void
test_undo_redo_import (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) vehicles = make_vehicles (f, 4000, 18);
  g_autoptr(SlUndoStack) undo = sl_undo_stack_new (f->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  const char *rows = "SELECT group_concat(fid || hex(geom) || scene_id || class_id || object_uid || created || updated"
                     " || hidden, ',') FROM (SELECT * FROM annotations ORDER BY fid)";

  add_many (f, vehicles);
  sl_undo_stack_record_added (undo, vehicles, "Import vehicles.json");
  g_assert_cmpstr (sl_undo_stack_get_undo_label (undo), ==, "Undo Import vehicles.json");
  before = sl_test_sql_text (f->path, rows);
  g_assert_true (sl_undo_stack_undo (undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM annotations"), ==, 0);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene"), ==, 0);
  g_assert_true (sl_undo_stack_redo (undo, &error));
  g_assert_no_error (error);
  after = sl_test_sql_text (f->path, rows);
  g_assert_cmpstr (after, ==, before);
  assert_packed (f, 4000);
  assert_valid (f);
  assert_views_match_rows (f, 19);
}

/* The project's checks run SQLite's rtreecheck on both trees: a damaged node is reported. */
static void
test_validate_finds_damaged_tree (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) vehicles = make_vehicles (f, 3000, 12);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  add_many (f, vehicles);
  assert_valid (f);
  sl_test_sql_exec (f->path, "UPDATE sl_annotations_by_scene_node SET data = zeroblob(length(data)) WHERE nodeno = 5");
  g_assert_false (sl_project_validate (f->project, problems));
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) problems->pdata[i]);
  g_assert_true (g_str_has_prefix (problems->pdata[0], "date index: "));
}

/* Rows another tool wrote: a blob that is no geometry, a point of NaN (empty, as GeoPackage
 * says), a point at infinity. A bulk write indexes what the triggers index and nothing else,
 * and does not stumble on them. */
static void
test_foreign_rows (Fixture *f, gconstpointer data)
{
  static const guint8 nan_point[] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f };
  static const guint8 far_point[] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f };
  g_autoptr(GBytes) nan_blob = sl_gpkg_blob_from_wkb ((gint32) sl_project_get_srs_id (f->project), nan_point,
                                                      sizeof nan_point);
  g_autoptr(GBytes) far_blob = sl_gpkg_blob_from_wkb ((gint32) sl_project_get_srs_id (f->project), far_point,
                                                      sizeof far_point);
  g_autoptr(GPtrArray) vehicles = make_vehicles (f, 3000, 16);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *sql = "INSERT INTO annotations (geom, scene_id, acquired, class_id, kind, created, updated)"
                    " SELECT ?1, id, acquired, 1, 'point', acquired, acquired FROM sl_scenes LIMIT 1";

  g_assert_nonnull (nan_blob);
  g_assert_nonnull (far_blob);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sl_gpkg_register_functions (db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, "not a geometry", 14, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (nan_blob, NULL), (int) g_bytes_get_size (nan_blob), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (far_blob, NULL), (int) g_bytes_get_size (far_blob), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  /* What the triggers made of them: only the point at infinity is indexed. */
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom"), ==, 1);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene"), ==, 1);

  add_many (f, vehicles);
  assert_packed (f, 3000);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM rtree_annotations_geom"), ==, 3001);
  g_assert_cmpint (sl_test_sql_int (f->path, "SELECT count(*) FROM sl_annotations_by_scene"), ==, 3001);
  {
    sqlite3 *check = NULL;
    sqlite3_stmt *rc = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &check, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (check, "SELECT rtreecheck('rtree_annotations_geom') || rtreecheck('sl_annotations_by_scene')",
                                         -1, &rc, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (rc), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (rc, 0), ==, "okok");
    sqlite3_finalize (rc);
    sqlite3_close (check);
  }
  /* Reading every row of a date leaves the three out, each named once. */
  g_test_expect_message ("sl-annotation-store", G_LOG_LEVEL_WARNING, "Cannot read annotation 1 of*: left out");
  g_test_expect_message ("sl-annotation-store", G_LOG_LEVEL_WARNING, "Cannot read annotation 2 of*empty*: left out");
  g_test_expect_message ("sl-annotation-store", G_LOG_LEVEL_WARNING,
                         "Cannot read annotation 3 of*not a finite coordinate*: left out");
  assert_views_match_rows (f, 17);
  g_test_assert_expected_messages ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) all = sl_annotation_store_query (f->store, f->scenes[0], NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < all->len; i++)
      g_assert_cmpint (((SlAnnotation *) all->pdata[i])->id, >, 3);
  }
}

/* --- durability: a writer of bulk inserts and removals killed with SIGKILL --- */

/* The child: adds 5 000 annotations, removes the first half of them, again and again (each a
 * bulk write of both trees), printing each range it was told is saved or removed. */
static int
run_bulk_writer (const char *path, char **scenes)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;

  f.project = sl_project_open (path, &error);
  if (f.project == NULL)
    g_error ("%s", error->message);
  f.store = sl_annotation_store_new (f.project);
  for (guint i = 0; i < N_SCENES; i++)
    f.scenes[i] = g_ascii_strtoll (scenes[i], NULL, 10);
  for (guint32 round = 0;; round++)
    {
      g_autoptr(GPtrArray) batch = make_vehicles (&f, 5000, 100 + round);
      g_autofree gint64 *ids = g_new (gint64, 2500);
      gint64 first, last;

      if (!sl_annotation_store_add_many (f.store, batch, &error))
        g_error ("%s", error->message);
      first = ((SlAnnotation *) batch->pdata[0])->id;
      last = ((SlAnnotation *) batch->pdata[batch->len - 1])->id;
      printf ("added %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", first, last);
      fflush (stdout);
      for (guint i = 0; i < 2500; i++)
        ids[i] = first + i;
      if (!sl_annotation_store_remove (f.store, ids, 2500, &error))
        g_error ("%s", error->message);
      printf ("removed %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", first, first + 2499);
      fflush (stdout);
    }
  return 0;
}

static void
test_durability (Fixture *f, gconstpointer data)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *s0 = g_strdup_printf ("%" G_GINT64_FORMAT, f->scenes[0]);
  g_autofree char *s1 = g_strdup_printf ("%" G_GINT64_FORMAT, f->scenes[1]);
  g_autofree char *s2 = g_strdup_printf ("%" G_GINT64_FORMAT, f->scenes[2]);
  const char *argv[] = { self_exe, "--bulk-writer", f->path, s0, s1, s2, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) saved = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (gint64));
  GPid pid;
  int out_fd, status;
  FILE *out;
  char line[128];
  guint lines = 0;

  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  /* Killed right after its third report: in the middle of the next bulk write. */
  while (lines < 3 && fgets (line, sizeof line, out) != NULL)
    {
      char what[16];
      gint64 first, last;

      g_assert_cmpint (sscanf (line, "%15s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, what, &first, &last), ==, 3);
      /* The child never removes the second half of a batch; the first half may be removed
       * before it can say so. */
      for (gint64 id = strcmp (what, "added") == 0 ? first + 2500 : first; id <= last; id++)
        g_array_append_val (strcmp (what, "added") == 0 ? saved : removed, id);
      lines++;
    }
  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);
  fclose (out);
  g_assert_cmpuint (lines, ==, 3);

  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  f->store = sl_annotation_store_new (f->project);
  /* What it reported saved is there, what it reported removed is gone, and both trees are
   * whole. */
  for (guint k = 0; k < saved->len; k += 7)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_store_get (f->store, g_array_index (saved, gint64, k), &error);

      g_assert_no_error (error);
      g_assert_nonnull (a);
    }
  for (guint k = 0; k < removed->len; k += 7)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_store_get (f->store, g_array_index (removed, gint64, k), NULL);

      g_assert_null (a);
    }
  g_assert_cmpuint (saved->len, ==, 5000);
  g_assert_cmpuint (removed->len, ==, 2500);
  g_assert_cmpuint (sl_project_count_annotations (f->project), >=, saved->len);
  assert_valid (f);
  assert_views_match_rows (f, 15);
}

int
main (int argc, char **argv)
{
  if (argc == 6 && strcmp (argv[1], "--bulk-writer") == 0)
    {
      sl_core_init ();
      return run_bulk_writer (argv[2], argv + 3);
    }

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/annotation-bulk/import", test_import);
  ADD ("/annotation-bulk/import-onto-existing", test_import_onto_existing);
  ADD ("/annotation-bulk/failure-rolls-back", test_failure_rolls_back);
  ADD ("/annotation-bulk/remove-many", test_remove_many);
  ADD ("/annotation-bulk/undo-redo-import", test_undo_redo_import);
  ADD ("/annotation-bulk/durability", test_durability);
  ADD ("/annotation-bulk/foreign-rows", test_foreign_rows);
  ADD ("/annotation-bulk/validate-finds-damaged-tree", test_validate_finds_damaged_tree);
#undef ADD
  return g_test_run ();
}
