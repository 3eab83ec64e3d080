/* sl-annotation-store-remove.c — removing annotations, one or a hundred thousand at once
 *
 * The ids are marked in a temporary table and deleted by one statement: one DELETE per row
 * kept a statement journal per row through the R-tree triggers (95 µs a row: undoing an
 * import of 100 000 labels took ten seconds; one statement: 22 µs). A large removal also
 * pauses the R-trees' delete triggers and writes both trees anew from the rows that remain
 * (sl-annotation-indexes.c). All in one transaction: an unknown id removes nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-store"

#include "config.h"

#include "sl-annotation-store-private.h"
#include "sl-project-private.h"

static gboolean
step_done (SlAnnotationStore *self, SlAnnotationStmt which, GError **error)
{
  sqlite3_stmt *stmt = _sl_annotation_store_stmt (self, which, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  _sl_annotation_store_set_error (self, error, "Cannot remove annotations from");
  return FALSE;
}

static gboolean
mark (SlAnnotationStore *self, const gint64 *ids, guint n_ids, GError **error)
{
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_stmt *stmt = _sl_annotation_store_stmt (self, STMT_MARK_REMOVAL, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _sl_annotation_store_set_error (self, error, "Cannot remove annotations from");
          return FALSE;
        }
    }
  return TRUE;
}

/* Every marked id names an annotation; @n_rows of them, all on @scene (0: several). */
static gboolean
check_marked (SlAnnotationStore *self, guint *n_rows, gint64 *scene, GError **error)
{
  sqlite3_stmt *stmt = _sl_annotation_store_stmt (self, STMT_REMOVAL_MISSING, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 missing = sqlite3_column_int64 (stmt, 0);

      sqlite3_reset (stmt);
      _sl_annotation_store_not_found (self, missing, error);
      return FALSE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || (stmt = _sl_annotation_store_stmt (self, STMT_REMOVAL_SCOPE, error)) == NULL)
    {
      if (rc != SQLITE_DONE)
        _sl_annotation_store_set_error (self, error, "Cannot remove annotations from");
      return FALSE;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _sl_annotation_store_set_error (self, error, "Cannot remove annotations from");
      sqlite3_reset (stmt);
      return FALSE;
    }
  *n_rows = (guint) sqlite3_column_int64 (stmt, 0);
  *scene = sqlite3_column_int64 (stmt, 1) == sqlite3_column_int64 (stmt, 2) ? sqlite3_column_int64 (stmt, 1) : 0;
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sl_annotation_store_remove (SlAnnotationStore  *self,
                            const gint64       *ids,
                            guint               n_ids,
                            GError            **error)
{
  g_auto(GStrv) paused = NULL;
  gboolean bulk;
  guint n_rows = 0;
  gint64 scene = 0;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_sl_annotation_store_check_writable (self, error))
    return FALSE;
  if (n_ids == 0)
    return TRUE;
  if (!_sl_annotation_store_ensure_temp_tables (self, error) || !_sl_annotation_store_begin (self, error))
    return FALSE;
  if (!mark (self, ids, n_ids, error) || !check_marked (self, &n_rows, &scene, error))
    goto fail;
  bulk = _sl_project_bulk_indexing_pays (self->project, n_rows, TRUE);
  if ((bulk && !_sl_project_pause_annotation_indexes (self->project, TRUE, &paused, error)) ||
      !step_done (self, STMT_DELETE, error) ||
      (bulk && !_sl_project_resume_annotation_indexes (self->project, paused, error)) ||
      !step_done (self, STMT_UNMARK_REMOVAL, error))
    goto fail;
  if (!_sl_annotation_store_commit (self, error))
    return FALSE;
  _sl_annotation_store_emit_changed (self, scene);
  return TRUE;

fail:
  _sl_project_rollback (self->project);
  return FALSE;
}
