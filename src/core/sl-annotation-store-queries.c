/* sl-annotation-store-queries.c — reading annotations: by id, by viewport, hit-testing, counts
 *
 * Viewport queries go through the date-aware R-tree (sl_annotations_by_scene) joined on fid,
 * on cached statements, in fid order (the drawing order: oldest first, so the top-most is the
 * newest). Dense views read marks from the index alone; counts come from a table kept by
 * triggers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-store"

#include "config.h"

#include <math.h>

#include "sl-annotation-store-private.h"
#include "sl-autocleanups-private.h"
#include "sl-project-private.h"

SlAnnotation *
_sl_annotation_store_read_row (SlAnnotationStore  *self,
                               sqlite3_stmt       *stmt,
                               GError            **error)
{
  g_autoptr(SlAnnotation) a = g_new0 (SlAnnotation, 1);
  g_autoptr(GError) local = NULL;
  const char *kind = (const char *) sqlite3_column_text (stmt, 4);

  a->id = sqlite3_column_int64 (stmt, 0);
  if (!sl_shape_kind_from_string (kind, &a->kind))
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot read annotation %" G_GINT64_FORMAT " of ‘%s’: unknown shape kind ‘%s’",
                   a->id, sl_project_get_path (self->project), kind ? kind : "");
      return NULL;
    }
  if (sqlite3_column_type (stmt, 1) != SQLITE_BLOB ||
      !sl_annotation_set_from_gpkg_blob (a, sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1), &local))
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot read annotation %" G_GINT64_FORMAT " of ‘%s’: %s", a->id,
                   sl_project_get_path (self->project), local ? local->message : "it has no geometry");
      return NULL;
    }
  a->scene_id = sqlite3_column_int64 (stmt, 2);
  a->class_id = sqlite3_column_int64 (stmt, 3);
  a->object_uid = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  if (!sl_confidence_from_string ((const char *) sqlite3_column_text (stmt, 6), &a->confidence))
    a->confidence = SL_CONFIDENCE_NONE;
  a->note = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  a->author = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  a->created = _sl_annotation_parse_time ((const char *) sqlite3_column_text (stmt, 9));
  a->updated = _sl_annotation_parse_time ((const char *) sqlite3_column_text (stmt, 10));
  a->hidden = sqlite3_column_int (stmt, 11) != 0;
  a->locked = sqlite3_column_int (stmt, 12) != 0;
  return g_steal_pointer (&a);
}

/* A row another tool wrote that is no annotation (no geometry, an empty or unreadable one, an
 * unknown kind: a feature added in QGIS without a shape) is left out of what a query returns,
 * and said once a row, rather than making every view, export and walk of its date fail.
 * `sitelapse-cli validate` names them too. */
static void
leave_out (SlAnnotationStore *self, gint64 fid, const GError *why)
{
  gint64 *key;

  if (self->unreadable == NULL)
    self->unreadable = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  if (g_hash_table_contains (self->unreadable, &fid))
    return;
  key = g_new (gint64, 1);
  *key = fid;
  g_hash_table_add (self->unreadable, key);
  g_warning ("%s: left out", why->message);
}

static void
bind_bounds (sqlite3_stmt *stmt, gint64 scene_id, const SlBounds *b)
{
  sqlite3_bind_int64 (stmt, 1, scene_id);
  sqlite3_bind_double (stmt, 2, b->min_x);
  sqlite3_bind_double (stmt, 3, b->min_y);
  sqlite3_bind_double (stmt, 4, b->max_x);
  sqlite3_bind_double (stmt, 5, b->max_y);
}

SlAnnotation *
sl_annotation_store_get (SlAnnotationStore  *self,
                         gint64              id,
                         GError            **error)
{
  sqlite3_stmt *stmt;
  SlAnnotation *a = NULL;
  int rc;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _sl_annotation_store_stmt (self, STMT_GET, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    a = _sl_annotation_store_read_row (self, stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND,
                 "Cannot read annotation %" G_GINT64_FORMAT " of ‘%s’: there is no such annotation",
                 id, sl_project_get_path (self->project));
  else
    _sl_annotation_store_set_error (self, error, "Cannot read the annotations of");
  sqlite3_reset (stmt);
  return a;
}

GPtrArray *
sl_annotation_store_query (SlAnnotationStore  *self,
                           gint64              scene_id,
                           const SlBounds     *bounds,
                           GError            **error)
{
  g_autoptr(GPtrArray) result = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _sl_annotation_store_stmt (self, bounds == NULL ? STMT_QUERY_ALL : STMT_QUERY, error);
  if (stmt == NULL)
    return NULL;
  if (bounds)
    bind_bounds (stmt, scene_id, bounds);
  else
    sqlite3_bind_int64 (stmt, 1, scene_id);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local = NULL;
      SlAnnotation *a = _sl_annotation_store_read_row (self, stmt, &local);

      if (a == NULL)
        leave_out (self, sqlite3_column_int64 (stmt, 0), local);
      else
        g_ptr_array_add (result, a);
    }
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot read the annotations of");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&result);
}

guint
sl_annotation_store_count_in (SlAnnotationStore *self,
                              gint64             scene_id,
                              const SlBounds    *bounds)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), 0);
  g_return_val_if_fail (bounds != NULL, 0);

  stmt = _sl_annotation_store_stmt (self, STMT_COUNT_IN, NULL);
  if (stmt == NULL)
    return 0;
  bind_bounds (stmt, scene_id, bounds);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

GArray *
sl_annotation_store_query_marks (SlAnnotationStore  *self,
                                 gint64              scene_id,
                                 const SlBounds     *bounds,
                                 GError            **error)
{
  g_autoptr(GArray) marks = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  g_return_val_if_fail (bounds != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _sl_annotation_store_stmt (self, STMT_MARKS, error);
  if (stmt == NULL)
    return NULL;
  bind_bounds (stmt, scene_id, bounds);
  marks = g_array_new (FALSE, FALSE, sizeof (SlAnnotationMark));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SlAnnotationMark m;

      if (sqlite3_column_int (stmt, 6) != 0)
        continue;
      m.id = sqlite3_column_int64 (stmt, 0);
      m.class_id = sqlite3_column_int64 (stmt, 1);
      /* The R-tree stores 32-bit floats rounded outwards: the centre is within a few
       * centimetres of the shape's, far below a dot's size at the zooms that draw marks. */
      m.x = (sqlite3_column_double (stmt, 2) + sqlite3_column_double (stmt, 3)) / 2;
      m.y = (sqlite3_column_double (stmt, 4) + sqlite3_column_double (stmt, 5)) / 2;
      g_array_append_val (marks, m);
    }
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot read the annotations of");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&marks);
}

gint64
sl_annotation_store_hit_test (SlAnnotationStore *self,
                              gint64             scene_id,
                              double             x,
                              double             y,
                              double             tolerance)
{
  SlBounds b = { x - tolerance, y - tolerance, x + tolerance, y + tolerance };
  SlAnnotation a = { 0 };
  sqlite3_stmt *stmt;
  gint64 hit = 0;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), 0);
  g_return_val_if_fail (tolerance >= 0, 0);

  stmt = _sl_annotation_store_stmt (self, STMT_HIT, NULL);
  if (stmt == NULL)
    return 0;
  bind_bounds (stmt, scene_id, &b);
  /* Newest first: the first shape close enough is the one drawn on top. */
  while (hit == 0 && sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (!sl_shape_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &a.kind) ||
          sqlite3_column_type (stmt, 2) != SQLITE_BLOB ||
          !sl_annotation_set_from_gpkg_blob (&a, sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2), NULL))
        continue;
      if (sl_annotation_distance (&a, x, y) <= tolerance)
        hit = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  g_free (a.points);
  return hit;
}

/* --- counts --- */

void
sl_counts_table_free (SlCountsTable *table)
{
  if (table == NULL)
    return;
  g_clear_pointer (&table->class_ids, g_array_unref);
  g_clear_pointer (&table->scene_ids, g_array_unref);
  g_free (table->counts);
  g_free (table);
}

static int
index_of (GArray *ids, gint64 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return (int) i;
  return -1;
}

guint
sl_counts_table_get (const SlCountsTable *table,
                     gint64               class_id,
                     gint64               scene_id)
{
  int c, s;

  g_return_val_if_fail (table != NULL, 0);

  c = index_of (table->class_ids, class_id);
  s = index_of (table->scene_ids, scene_id);
  if (c < 0 || s < 0)
    return 0;
  return table->counts[(gsize) c * table->scene_ids->len + (gsize) s];
}

static gboolean
read_ids (SlAnnotationStore *self, const char *sql, GArray *out, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self->project), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_annotation_store_set_error (self, error, "Cannot count the annotations of");
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (out, id);
    }
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot count the annotations of");
      return FALSE;
    }
  return TRUE;
}

SlCountsTable *
sl_annotation_store_count (SlAnnotationStore  *self,
                           GError            **error)
{
  g_autoptr(SlCountsTable) table = NULL;
  g_autoptr(GHashTable) class_index = NULL, scene_index = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_sl_project_get_db (self->project) == NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_IO,
                   "Cannot count the annotations of ‘%s’: the project is closed",
                   sl_project_get_path (self->project));
      return NULL;
    }
  table = g_new0 (SlCountsTable, 1);
  table->class_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  table->scene_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!read_ids (self, "SELECT id FROM sl_classes ORDER BY sort_order, id", table->class_ids, error) ||
      !read_ids (self, "SELECT id FROM sl_scenes ORDER BY acquired, id", table->scene_ids, error))
    return NULL;
  table->counts = g_new0 (guint, MAX ((gsize) table->class_ids->len * table->scene_ids->len, 1));

  class_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  scene_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < table->class_ids->len; i++)
    g_hash_table_insert (class_index, &g_array_index (table->class_ids, gint64, i), GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < table->scene_ids->len; i++)
    g_hash_table_insert (scene_index, &g_array_index (table->scene_ids, gint64, i), GUINT_TO_POINTER (i + 1));

  /* Kept by triggers: a few dozen rows, whatever the number of annotations. */
  if (sqlite3_prepare_v2 (_sl_project_get_db (self->project),
                          "SELECT scene_id, class_id, n FROM sl_annotation_counts WHERE n > 0",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_annotation_store_set_error (self, error, "Cannot count the annotations of");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 scene_id = sqlite3_column_int64 (stmt, 0);
      gint64 class_id = sqlite3_column_int64 (stmt, 1);
      guint s = GPOINTER_TO_UINT (g_hash_table_lookup (scene_index, &scene_id));
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (class_index, &class_id));

      if (s > 0 && c > 0)
        table->counts[(gsize) (c - 1) * table->scene_ids->len + (s - 1)] = (guint) sqlite3_column_int64 (stmt, 2);
    }
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot count the annotations of");
      return NULL;
    }
  return g_steal_pointer (&table);
}

gboolean
sl_annotation_store_compare (SlAnnotationStore  *self,
                             gint64              scene_a,
                             gint64              scene_b,
                             gint64              class_id,
                             guint              *n_new,
                             guint              *n_gone,
                             guint              *n_persisting,
                             GError            **error)
{
  /* Objects are counted once per date even if tagged twice there. ?3 <= 0: every class. */
  static const char sql[] =
    "SELECT"
    " (SELECT count(DISTINCT b.object_uid) FROM annotations b WHERE b.scene_id = ?2"
    "   AND (?3 <= 0 OR b.class_id = ?3) AND NOT EXISTS (SELECT 1 FROM annotations a"
    "   WHERE a.object_uid = b.object_uid AND a.scene_id = ?1 AND (?3 <= 0 OR a.class_id = ?3))),"
    " (SELECT count(DISTINCT a.object_uid) FROM annotations a WHERE a.scene_id = ?1"
    "   AND (?3 <= 0 OR a.class_id = ?3) AND NOT EXISTS (SELECT 1 FROM annotations b"
    "   WHERE b.object_uid = a.object_uid AND b.scene_id = ?2 AND (?3 <= 0 OR b.class_id = ?3))),"
    " (SELECT count(DISTINCT a.object_uid) FROM annotations a WHERE a.scene_id = ?1"
    "   AND (?3 <= 0 OR a.class_id = ?3) AND EXISTS (SELECT 1 FROM annotations b"
    "   WHERE b.object_uid = a.object_uid AND b.scene_id = ?2 AND (?3 <= 0 OR b.class_id = ?3)))";
  g_autoptr(SlStmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _sl_project_get_db (self->project);
  if (db == NULL || sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_annotation_store_set_error (self, error, "Cannot compare the annotations of");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, scene_a);
  sqlite3_bind_int64 (stmt, 2, scene_b);
  sqlite3_bind_int64 (stmt, 3, class_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _sl_annotation_store_set_error (self, error, "Cannot compare the annotations of");
      return FALSE;
    }
  if (n_new)
    *n_new = (guint) sqlite3_column_int64 (stmt, 0);
  if (n_gone)
    *n_gone = (guint) sqlite3_column_int64 (stmt, 1);
  if (n_persisting)
    *n_persisting = (guint) sqlite3_column_int64 (stmt, 2);
  return TRUE;
}
