/* test-rtree-bulk.c — R-trees written as packed nodes straight into SQLite's shadow tables:
 * SQLite's own rtreecheck() accepts them, they answer every query as a tree SQLite built from
 * the same boxes, and SQLite's later inserts, updates and deletes keep working on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "sl-core.h"
#include "sl-rtree-bulk-private.h"
#include "sl-test-util.h"

typedef struct
{
  char    *dir;
  sqlite3 *db;
} Fixture;

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static char *
text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
integer (sqlite3 *db, const char *sql)
{
  g_autofree char *value = text (db, sql);

  return value ? g_ascii_strtoll (value, NULL, 10) : -1;
}

static void
open_db (Fixture *f, int page_size)
{
  g_autofree char *path = g_build_filename (f->dir, "t.sqlite", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA page_size = %d", page_size);

  g_assert_cmpint (sqlite3_open (path, &f->db), ==, SQLITE_OK);
  exec (f->db, pragma);
  exec (f->db, "PRAGMA synchronous = OFF");
  exec (f->db, "CREATE VIRTUAL TABLE flat USING rtree (id, minx, maxx, miny, maxy);"
               "CREATE VIRTUAL TABLE flat_ref USING rtree (id, minx, maxx, miny, maxy);"
               "CREATE VIRTUAL TABLE dated USING rtree (id, minx, maxx, miny, maxy, mins, maxs, +cls, +hid);"
               "CREATE VIRTUAL TABLE dated_ref USING rtree (id, minx, maxx, miny, maxy, mins, maxs, +cls, +hid);");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = sl_test_tmpdir_new ();
  open_db (f, data ? GPOINTER_TO_INT (data) : 65536);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (sqlite3_close (f->db), ==, SQLITE_OK);
  sl_test_tmpdir_free (f->dir);
}

/* @n boxes in clusters (as vehicles in a training area), on integer and quarter coordinates
 * (exact in single precision, so a query on the tree and on the list agree exactly), some
 * of them points, over @n_scenes scenes. */
static SlRtreeEntry *
make_entries (gsize n, guint n_scenes, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  SlRtreeEntry *entries = g_new0 (SlRtreeEntry, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      double cx = g_rand_int_range (rand, 0, 40) * 1000.0 + g_rand_int_range (rand, -400, 400);
      double cy = g_rand_int_range (rand, 0, 40) * 1000.0 + g_rand_int_range (rand, -400, 400) - 20000;
      double w = g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 40) / 4.0;
      double h = w == 0 ? 0 : g_rand_int_range (rand, 1, 40) / 4.0;
      guint scene = (guint) g_rand_int_range (rand, 1, (gint32) n_scenes + 1);

      entries[i].id = (gint64) (i * 3 + 1);   /* gaps, as after deletes */
      g_assert_true (_sl_rtree_entry_set_box (&entries[i], 0, cx, cx + w));
      g_assert_true (_sl_rtree_entry_set_box (&entries[i], 1, cy, cy + h));
      g_assert_true (_sl_rtree_entry_set_box (&entries[i], 2, scene - 0.25, scene + 0.25));
      entries[i].aux[0] = g_rand_int_range (rand, 1, 13);
      entries[i].aux[1] = g_rand_int_range (rand, 0, 2);
    }
  return entries;
}

/* The same entries inserted through the R-tree module: the reference. */
static void
insert_reference (sqlite3 *db, const SlRtreeEntry *entries, gsize n)
{
  sqlite3_stmt *flat = NULL, *dated = NULL;
  gboolean own = sqlite3_get_autocommit (db);

  if (own)
    exec (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO flat_ref VALUES (?1, ?2, ?3, ?4, ?5)", -1, &flat, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO dated_ref VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
                                       &dated, NULL), ==, SQLITE_OK);
  for (gsize i = 0; i < n; i++)
    {
      const SlRtreeEntry *e = &entries[i];

      for (int k = 0; k < 2; k++)
        {
          sqlite3_stmt *s = k == 0 ? flat : dated;

          sqlite3_bind_int64 (s, 1, e->id);
          for (guint d = 0; d < (k == 0 ? 2u : 3u); d++)
            {
              sqlite3_bind_double (s, 2 + 2 * d, e->lo[d]);
              sqlite3_bind_double (s, 3 + 2 * d, e->hi[d]);
            }
          if (k == 1)
            {
              sqlite3_bind_int64 (s, 8, e->aux[0]);
              sqlite3_bind_int64 (s, 9, e->aux[1]);
            }
          g_assert_cmpint (sqlite3_step (s), ==, SQLITE_DONE);
          sqlite3_reset (s);
        }
    }
  sqlite3_finalize (flat);
  sqlite3_finalize (dated);
  if (own)
    exec (db, "COMMIT");
}

static void
bulk_write (Fixture *f, const SlRtreeEntry *entries, gsize n)
{
  g_autoptr(GError) error = NULL;

  exec (f->db, "BEGIN");
  g_assert_true (_sl_rtree_bulk_write (f->db, "flat", entries, n, &error));
  g_assert_no_error (error);
  g_assert_true (_sl_rtree_bulk_write (f->db, "dated", entries, n, &error));
  g_assert_no_error (error);
  exec (f->db, "COMMIT");
}

/* rtreecheck() walks the whole tree: node sizes, cell counts, boxes within their parents,
 * depth, and the %_rowid / %_parent maps against the nodes. */
static void
assert_trees_check (sqlite3 *db)
{
  g_autofree char *flat = text (db, "SELECT rtreecheck('flat')");
  g_autofree char *dated = text (db, "SELECT rtreecheck('dated')");

  g_assert_cmpstr (flat, ==, "ok");
  g_assert_cmpstr (dated, ==, "ok");
}

/* Ids answering the same query on a tree and on its reference, as "id,id,…". */
static void
assert_same_answer (sqlite3 *db, const char *tree, const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) || ':' || coalesce(group_concat(id), '') FROM"
                                          " (SELECT id FROM %s WHERE %s ORDER BY id)", tree, where);
  g_autofree char *ref_sql = g_strdup_printf ("SELECT count(*) || ':' || coalesce(group_concat(id), '') FROM"
                                              " (SELECT id FROM %s_ref WHERE %s ORDER BY id)", tree, where);
  g_autofree char *got = text (db, sql);
  g_autofree char *want = text (db, ref_sql);

  g_assert_cmpstr (got, ==, want);
}

static void
assert_same_answers (sqlite3 *db, guint32 seed, guint n_scenes)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (int q = 0; q < 60; q++)
    {
      int x = g_rand_int_range (rand, -1000, 41000), y = g_rand_int_range (rand, -21000, 21000);
      int w = g_rand_int_range (rand, 0, q < 40 ? 2000 : 20000), h = g_rand_int_range (rand, 0, 2000);
      int scene = g_rand_int_range (rand, 1, (gint32) n_scenes + 1);
      g_autofree char *box = g_strdup_printf ("minx <= %d AND maxx >= %d AND miny <= %d AND maxy >= %d",
                                              x + w, x, y + h, y);
      g_autofree char *dated = g_strdup_printf ("%s AND mins <= %d AND maxs >= %d AND cls != 3", box, scene, scene);

      assert_same_answer (db, "flat", box);
      assert_same_answer (db, "dated", dated);
    }
  /* Every entry, and the auxiliary columns stored with each. */
  assert_same_answer (db, "flat", "1");
  {
    g_autofree char *got = text (db, "SELECT group_concat(id || '/' || cls || '/' || hid) FROM"
                                     " (SELECT * FROM dated ORDER BY id)");
    g_autofree char *want = text (db, "SELECT group_concat(id || '/' || cls || '/' || hid) FROM"
                                      " (SELECT * FROM dated_ref ORDER BY id)");

    g_assert_cmpstr (got, ==, want);
  }
}

/* Tree sizes around every level boundary (51 cells a node with 64 KB pages): empty, a leaf
 * root, a full leaf, one more, two levels full, three levels (2 602 and more). */
static void
test_sizes (Fixture *f, gconstpointer data)
{
  static const gsize sizes[] = { 0, 1, 50, 51, 52, 2601, 2602, 2700 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree SlRtreeEntry *entries = make_entries (sizes[s], 3, 100 + s);
      gsize leaves = MAX ((sizes[s] + 50) / 51, 1), above = leaves > 1 ? (leaves + 50) / 51 : 0;
      gsize top = above > 1 ? 1 : 0;
      gint64 depth = top ? 2 : above ? 1 : 0;
      g_autofree char *root_depth = g_strdup_printf ("%04" G_GINT64_MODIFIER "X", depth);
      g_autofree char *stored_depth = NULL;
      gint64 nodes;

      exec (f->db, "DELETE FROM flat_ref; DELETE FROM dated_ref;");
      insert_reference (f->db, entries, sizes[s]);
      bulk_write (f, entries, sizes[s]);
      assert_trees_check (f->db);
      assert_same_answers (f->db, 7 + s, 3);
      /* Packed: as few nodes as the cells allow; every one but the root has a parent; the
       * root holds the depth. */
      nodes = integer (f->db, "SELECT count(*) FROM flat_node");
      g_test_message ("%" G_GSIZE_FORMAT " entries: %" G_GINT64_FORMAT " nodes", sizes[s], nodes);
      g_assert_cmpint (nodes, ==, (gint64) (leaves + above + top));
      g_assert_cmpint (integer (f->db, "SELECT count(*) FROM flat_parent"), ==, nodes - 1);
      stored_depth = text (f->db, "SELECT hex(substr(data, 1, 2)) FROM flat_node WHERE nodeno = 1");
      g_assert_cmpstr (stored_depth, ==, root_depth);
    }
}

/* After a bulk write, SQLite's module inserts, moves and deletes on the packed tree; the tree
 * stays valid and keeps answering as the reference. */
static void
test_module_edits_after (Fixture *f, gconstpointer data)
{
  gsize n = 3000;
  g_autofree SlRtreeEntry *entries = make_entries (n, 4, 42);
  g_autofree SlRtreeEntry *more = make_entries (1500, 4, 43);

  insert_reference (f->db, entries, n);
  bulk_write (f, entries, n);
  for (gsize i = 0; i < 1500; i++)
    more[i].id = (gint64) (n * 3 + 10 + i);
  exec (f->db, "BEGIN");
  insert_reference (f->db, more, 1500);
  exec (f->db, "INSERT INTO flat SELECT * FROM flat_ref WHERE id > 9000;"
               "INSERT INTO dated SELECT * FROM dated_ref WHERE id > 9000;"
               "COMMIT");
  assert_trees_check (f->db);
  assert_same_answers (f->db, 5, 4);

  /* Deletes of two thirds (underfull nodes are dissolved and their cells reinserted), and
   * moves. */
  for (int k = 0; k < 2; k++)
    {
      const char *t = k == 0 ? "flat" : "dated";
      g_autofree char *sql = g_strdup_printf (
        "DELETE FROM %1$s WHERE id %% 3 != 0 OR id %% 7 = 0; DELETE FROM %1$s_ref WHERE id %% 3 != 0 OR id %% 7 = 0;"
        "UPDATE %1$s SET minx = minx + 5000, maxx = maxx + 5000 WHERE id %% 11 = 0;"
        "UPDATE %1$s_ref SET minx = minx + 5000, maxx = maxx + 5000 WHERE id %% 11 = 0;", t);

      exec (f->db, sql);
    }
  assert_trees_check (f->db);
  assert_same_answers (f->db, 6, 4);
  exec (f->db, "DELETE FROM flat; DELETE FROM dated");
  assert_trees_check (f->db);
  g_assert_cmpint (integer (f->db, "SELECT count(*) FROM flat"), ==, 0);
}

/* A rebuild replaces whatever the tree held, and the connection's R-tree module (which may
 * have read the old nodes) sees the new ones. */
static void
test_rebuild_replaces (Fixture *f, gconstpointer data)
{
  g_autofree SlRtreeEntry *first = make_entries (5000, 2, 1);
  g_autofree SlRtreeEntry *second = make_entries (700, 2, 2);

  bulk_write (f, first, 5000);
  g_assert_cmpint (integer (f->db, "SELECT count(*) FROM flat WHERE minx <= 1e9"), ==, 5000);
  insert_reference (f->db, second, 700);
  bulk_write (f, second, 700);
  assert_trees_check (f->db);
  assert_same_answers (f->db, 3, 2);
  g_assert_cmpint (integer (f->db, "SELECT count(*) FROM flat_rowid"), ==, 700);
}

/* Bounds are rounded outwards to single precision as the module rounds them; not numbers or
 * reversed bounds are refused; beyond the float range they become infinite. */
static void
test_rounding (void)
{
  SlRtreeEntry e = { 0 };

  g_assert_true (_sl_rtree_entry_set_box (&e, 0, 0.1, 0.1));
  g_assert_cmpfloat ((double) e.lo[0], <, 0.1);
  g_assert_cmpfloat ((double) e.hi[0], >, 0.1);
  g_assert_cmpfloat (e.hi[0], ==, nextafterf (e.lo[0], INFINITY));
  g_assert_true (_sl_rtree_entry_set_box (&e, 1, 500000.25, 6000000.5));
  g_assert_cmpfloat (e.lo[1], ==, 500000.25f);
  g_assert_cmpfloat (e.hi[1], ==, 6000000.5f);
  g_assert_true (_sl_rtree_entry_set_box (&e, 1, 6000000.3, 6000000.3));
  g_assert_cmpfloat ((double) e.lo[1], <=, 6000000.3);
  g_assert_cmpfloat ((double) e.hi[1], >=, 6000000.3);
  g_assert_false (_sl_rtree_entry_set_box (&e, 0, NAN, 1));
  g_assert_false (_sl_rtree_entry_set_box (&e, 0, 0, NAN));
  g_assert_false (_sl_rtree_entry_set_box (&e, 0, 2, 1));
  g_assert_true (_sl_rtree_entry_set_box (&e, 2, -1e39, 1e39));
  g_assert_true (isinf (e.lo[2]) && e.lo[2] < 0);
  g_assert_true (isinf (e.hi[2]) && e.hi[2] > 0);
}

/* Failures leave the tree as it was once the transaction rolls back, and say which index. */
static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autofree SlRtreeEntry *entries = make_entries (300, 2, 9);
  g_autoptr(GError) error = NULL;

  bulk_write (f, entries, 300);
  exec (f->db, "CREATE TABLE plain (id INTEGER PRIMARY KEY)");
  exec (f->db, "BEGIN");
  g_assert_false (_sl_rtree_bulk_write (f->db, "plain", entries, 300, &error));
  g_assert_nonnull (strstr (error->message, "plain"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* Two entries with one id: the rowid map refuses the second. */
  entries[7].id = entries[8].id;
  g_assert_false (_sl_rtree_bulk_write (f->db, "flat", entries, 300, &error));
  g_assert_nonnull (strstr (error->message, "flat"));
  g_assert_nonnull (strstr (error->message, "t.sqlite"));
  g_test_message ("%s", error->message);
  exec (f->db, "ROLLBACK");
  assert_trees_check (f->db);
  g_assert_cmpint (integer (f->db, "SELECT count(*) FROM flat"), ==, 300);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/rtree-bulk/rounding", test_rounding);
  g_test_add ("/rtree-bulk/sizes", Fixture, NULL, fixture_setup, test_sizes, fixture_teardown);
  /* Small pages: 4 KB pages still hold 51 cells a node; 1 KB pages fewer (39 in 2-D, 29 in 3-D). */
  g_test_add ("/rtree-bulk/pages-4k", Fixture, GINT_TO_POINTER (4096), fixture_setup,
              test_module_edits_after, fixture_teardown);
  g_test_add ("/rtree-bulk/pages-1k", Fixture, GINT_TO_POINTER (1024), fixture_setup,
              test_module_edits_after, fixture_teardown);
  g_test_add ("/rtree-bulk/module-edits-after", Fixture, NULL, fixture_setup, test_module_edits_after,
              fixture_teardown);
  g_test_add ("/rtree-bulk/rebuild-replaces", Fixture, NULL, fixture_setup, test_rebuild_replaces,
              fixture_teardown);
  g_test_add ("/rtree-bulk/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  return g_test_run ();
}
