/* sl-annotation-indexes.c — the annotations' two R-trees written in bulk
 *
 * Triggers keep the GeoPackage R-tree (rtree_annotations_geom) and the date-aware one
 * (sl_annotations_by_scene, see sl-project-schema.c) right row by row, which costs two R*-tree
 * inserts (8–9 µs each) an annotation. A large insert (an import of tens of thousands of
 * labels; the migration that creates the date index) instead pauses the two insert triggers
 * (a large removal: the two delete triggers), writes its rows, and writes both trees anew
 * from the table as packed trees (sl-rtree-bulk.c), all in the caller's transaction: a
 * failure anywhere rolls back the rows, the trees and the dropped triggers together.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project"

#include "config.h"

#include "sl-autocleanups-private.h"
#include "sl-gpkg-geometry.h"
#include "sl-project-private.h"
#include "sl-rtree-bulk-private.h"

/* The triggers that index each new row, or drop each removed one, in the R-trees; the
 * others (updates, the counts) stay. */
#define INDEX_INSERT_TRIGGERS "'rtree_annotations_geom_insert', 'sl_annotations_by_scene_insert'"
#define INDEX_DELETE_TRIGGERS "'rtree_annotations_geom_delete', 'sl_annotations_by_scene_delete'"

/* A bulk write reads and writes every row the table keeps, the triggers touch only the
 * changed ones: bulk pays from a few thousand rows, as long as the table keeps no more than
 * a few times as many (measured with bench-labels-ml: the triggers cost ~17 µs a new row, a
 * removal ~20, a rebuild ~1.5 µs a row of the table). */
#define BULK_MIN_ROWS              2000
#define BULK_MAX_KEPT_PER_CHANGED  8

gboolean
_sl_project_bulk_indexing_pays (SlProject *self, guint n_changed, gboolean removing)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) stmt = NULL;
  gint64 kept;

  if (n_changed < BULK_MIN_ROWS || !_sl_rtree_bulk_supported (db))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT coalesce(sum(n), 0) FROM sl_annotation_counts", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  kept = sqlite3_column_int64 (stmt, 0) - (removing ? n_changed : 0);
  return kept <= (gint64) n_changed * BULK_MAX_KEPT_PER_CHANGED;
}

gboolean
_sl_project_pause_annotation_indexes (SlProject *self, gboolean removing, GStrv *saved, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(GStrvBuilder) sql = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) drop = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  *saved = NULL;
  if (!_sl_rtree_bulk_supported (db))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot write the indexes of ‘%s’ in bulk: the connection is in defensive mode", self->path);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, removing ? "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                         " AND tbl_name = 'annotations' AND name IN (" INDEX_DELETE_TRIGGERS ")"
                                       : "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                                         " AND tbl_name = 'annotations' AND name IN (" INDEX_INSERT_TRIGGERS ")",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the triggers of");
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
      g_strv_builder_add (sql, (const char *) sqlite3_column_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the triggers of");
      return FALSE;
    }
  drop = g_strv_builder_end (names);
  for (guint i = 0; drop[i] != NULL; i++)
    {
      char *statement = sqlite3_mprintf ("DROP TRIGGER \"%w\"", drop[i]);
      gboolean ok = _sl_project_exec (self, statement, error);

      sqlite3_free (statement);
      if (!ok)
        return FALSE;
    }
  *saved = g_strv_builder_end (sql);
  return TRUE;
}

gboolean
_sl_project_resume_annotation_indexes (SlProject *self, GStrv saved, GError **error)
{
  for (guint i = 0; saved != NULL && saved[i] != NULL; i++)
    if (!_sl_project_exec (self, saved[i], error))
      return FALSE;
  return _sl_project_rebuild_annotation_indexes (self, error);
}

gboolean
_sl_project_rebuild_annotation_indexes (SlProject *self, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(GArray) geo = g_array_new (FALSE, TRUE, sizeof (SlRtreeEntry));
  g_autoptr(GArray) dated = g_array_new (FALSE, TRUE, sizeof (SlRtreeEntry));
  g_autoptr(SlStmt) stmt = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int rc;

  /* Where the shadow tables may not be written, through the module, row by row. */
  if (!_sl_rtree_bulk_supported (db))
    return _sl_project_exec (self,
      "DELETE FROM rtree_annotations_geom; DELETE FROM sl_annotations_by_scene;"
      "INSERT INTO rtree_annotations_geom SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom)"
      "  FROM annotations WHERE geom NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY fid;"
      "INSERT INTO sl_annotations_by_scene SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom),"
      "  scene_id - 0.25, scene_id + 0.25, class_id, hidden FROM annotations"
      "  WHERE geom NOT NULL AND NOT ST_IsEmpty(geom) ORDER BY fid;", error);

  /* The rows the triggers would index: a readable, non-empty geometry (ST_IsEmpty is NULL
   * for an unreadable blob, so the triggers' WHEN skips it too). */
  if (sqlite3_prepare_v2 (db, "SELECT fid, geom, scene_id, class_id, hidden FROM annotations"
                          " WHERE geom NOT NULL ORDER BY fid", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the annotations of");
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SlRtreeEntry e = { 0 };
      SlEnvelope env;
      gboolean empty = TRUE;
      double scene = (double) sqlite3_column_int64 (stmt, 2);

      if (!sl_gpkg_blob_parse (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                               NULL, &env, &empty, NULL, NULL) || empty)
        continue;
      e.id = sqlite3_column_int64 (stmt, 0);
      /* A row written by another tool with bounds that are not numbers stays out of the
       * indexes, as an unreadable one does (validate reports both), rather than refusing
       * every later import. */
      if (!_sl_rtree_entry_set_box (&e, 0, env.min_x, env.max_x) ||
          !_sl_rtree_entry_set_box (&e, 1, env.min_y, env.max_y))
        {
          g_warning ("annotation %" G_GINT64_FORMAT " of ‘%s’ has bounds that are not numbers: not indexed",
                     e.id, self->path);
          continue;
        }
      g_array_append_val (geo, e);
      /* The scene as the interval [id − ¼, id + ¼], as the trigger stores it. */
      _sl_rtree_entry_set_box (&e, 2, scene - 0.25, scene + 0.25);
      e.aux[0] = sqlite3_column_int64 (stmt, 3);
      e.aux[1] = sqlite3_column_int64 (stmt, 4);
      g_array_append_val (dated, e);
    }
  if (rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the annotations of");
      return FALSE;
    }
  if (!_sl_rtree_bulk_write (db, "rtree_annotations_geom", (SlRtreeEntry *) geo->data, geo->len, error) ||
      !_sl_rtree_bulk_write (db, "sl_annotations_by_scene", (SlRtreeEntry *) dated->data, dated->len, error))
    return FALSE;
  g_debug ("indexed %u annotations in bulk in %.0f ms", geo->len, (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}
