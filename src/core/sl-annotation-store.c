/* sl-annotation-store.c — a project's annotations: adding, changing and removing them
 *
 * Each edit is one IMMEDIATE transaction on the project's main connection, committed before
 * the call returns (WAL, synchronous=FULL), so an edit the caller was told about survives a
 * crash. Statements are prepared once and cached. The R-tree indexes and the per-date counts
 * are kept by triggers (sl-project-schema.c); a large insert has the two R-trees written in
 * bulk instead (sl-annotation-indexes.c). Queries are in sl-annotation-store-queries.c,
 * removals in sl-annotation-store-remove.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-store"

#include "config.h"

#include <string.h>

#include "sl-annotation-store-private.h"
#include "sl-autocleanups-private.h"
#include "sl-project-private.h"

G_DEFINE_FINAL_TYPE (SlAnnotationStore, sl_annotation_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (sl-annotation-store-error-quark, sl_annotation_store_error)

static const char *const stmt_sql[N_STMTS] = {
  /* An insert stages its rows, then writes them all in one statement (see ensure_staging). */
  [STMT_STAGE] =
    "INSERT INTO temp.sl_staging (fid, geom, scene_id, class_id, kind, object_uid, confidence, note, author,"
    " created, updated, hidden, locked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
  [STMT_INSERT] =
    "INSERT INTO annotations (fid, geom, scene_id, acquired, class_id, kind, object_uid, confidence,"
    " note, author, created, updated, hidden, locked)"
    " SELECT t.fid, t.geom, s.id, s.acquired, t.class_id, t.kind, t.object_uid, t.confidence, t.note, t.author,"
    " t.created, t.updated, t.hidden, t.locked FROM temp.sl_staging t JOIN sl_scenes s ON s.id = t.scene_id"
    " ORDER BY t.seq",
  [STMT_UNSTAGE] = "DELETE FROM temp.sl_staging",
  [STMT_UPDATE] =
    "UPDATE annotations SET geom = ?2, scene_id = ?3, acquired = (SELECT acquired FROM sl_scenes WHERE id = ?3),"
    " class_id = ?4, kind = ?5, confidence = ?7, note = ?8, author = ?9, updated = ?11, hidden = ?12,"
    " locked = ?13 WHERE fid = ?1",
  /* A removal marks its ids, then deletes them all in one statement (sl-annotation-store-remove.c). */
  [STMT_MARK_REMOVAL] = "INSERT OR IGNORE INTO temp.sl_removing (fid) VALUES (?1)",
  [STMT_REMOVAL_MISSING] =
    "SELECT r.fid FROM temp.sl_removing r WHERE NOT EXISTS (SELECT 1 FROM annotations a WHERE a.fid = r.fid) LIMIT 1",
  [STMT_REMOVAL_SCOPE] =
    "SELECT count(*), min(scene_id), max(scene_id) FROM annotations WHERE fid IN (SELECT fid FROM temp.sl_removing)",
  [STMT_DELETE] = "DELETE FROM annotations WHERE fid IN (SELECT fid FROM temp.sl_removing)",
  [STMT_UNMARK_REMOVAL] = "DELETE FROM temp.sl_removing",
  [STMT_SCENE_OF] = "SELECT scene_id FROM annotations WHERE fid = ?1",
  [STMT_GET] = "SELECT " SL_ANNOTATION_COLUMNS " FROM annotations a WHERE a.fid = ?1",
  [STMT_QUERY_ALL] = "SELECT " SL_ANNOTATION_COLUMNS " FROM annotations a WHERE a.scene_id = ?1 ORDER BY a.fid",
  [STMT_CLASS_EXISTS] = "SELECT 1 FROM sl_classes WHERE id = ?1",
  [STMT_SCENE_EXISTS] = "SELECT 1 FROM sl_scenes WHERE id = ?1",
  /* Viewport statements on the date-aware R-tree (see sl-project-schema.c). CROSS JOIN makes
   * the R-tree drive the query: a viewport holds far fewer annotations than a date. */
  [STMT_QUERY] =
    "SELECT " SL_ANNOTATION_COLUMNS " FROM sl_annotations_by_scene r CROSS JOIN annotations a ON a.fid = r.id"
    " WHERE r.minx <= ?4 AND r.maxx >= ?2 AND r.miny <= ?5 AND r.maxy >= ?3"
    " AND r.min_scene <= ?1 AND r.max_scene >= ?1 AND a.scene_id = ?1 ORDER BY a.fid",
  /* The index alone answers these two: no row of the table is read. */
  [STMT_COUNT_IN] =
    "SELECT count(*) FROM sl_annotations_by_scene r"
    " WHERE r.minx <= ?4 AND r.maxx >= ?2 AND r.miny <= ?5 AND r.maxy >= ?3"
    " AND r.min_scene <= ?1 AND r.max_scene >= ?1",
  [STMT_MARKS] =
    "SELECT r.id, r.class_id, r.minx, r.maxx, r.miny, r.maxy, r.hidden FROM sl_annotations_by_scene r"
    " WHERE r.minx <= ?4 AND r.maxx >= ?2 AND r.miny <= ?5 AND r.maxy >= ?3"
    " AND r.min_scene <= ?1 AND r.max_scene >= ?1",
  [STMT_HIT] =
    "SELECT a.fid, a.kind, a.geom FROM sl_annotations_by_scene r CROSS JOIN annotations a ON a.fid = r.id"
    " WHERE r.minx <= ?4 AND r.maxx >= ?2 AND r.miny <= ?5 AND r.maxy >= ?3"
    " AND r.min_scene <= ?1 AND r.max_scene >= ?1 AND a.scene_id = ?1 AND NOT a.hidden ORDER BY a.fid DESC",
};

/* --- helpers shared with the other files --- */

sqlite3_stmt *
_sl_annotation_store_stmt (SlAnnotationStore  *self,
                           SlAnnotationStmt    which,
                           GError            **error)
{
  sqlite3 *db = _sl_project_get_db (self->project);

  g_assert (which < N_STMTS);

  if (db == NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_IO,
                   "Cannot read the annotations of ‘%s’: the project is closed",
                   sl_project_get_path (self->project));
      return NULL;
    }
  if (self->stmts[which] == NULL &&
      sqlite3_prepare_v3 (db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &self->stmts[which], NULL) != SQLITE_OK)
    {
      _sl_annotation_store_set_error (self, error, "Cannot read the annotations of");
      return NULL;
    }
  sqlite3_reset (self->stmts[which]);
  sqlite3_clear_bindings (self->stmts[which]);
  return self->stmts[which];
}

void
_sl_annotation_store_set_error (SlAnnotationStore  *self,
                                GError            **error,
                                const char         *what)
{
  sqlite3 *db = _sl_project_get_db (self->project);
  int code = db ? sqlite3_errcode (db) & 0xff : SQLITE_MISUSE;

  g_set_error (error, SL_ANNOTATION_STORE_ERROR,
               code == SQLITE_READONLY || code == SQLITE_PERM ? SL_ANNOTATION_STORE_ERROR_READ_ONLY
                                                               : SL_ANNOTATION_STORE_ERROR_IO,
               "%s ‘%s’: %s", what, sl_project_get_path (self->project),
               db ? sqlite3_errmsg (db) : "the project is closed");
}

void
_sl_annotation_store_emit_changed (SlAnnotationStore *self,
                                   gint64             scene_id)
{
  g_signal_emit (self, signals[CHANGED], 0, scene_id);
}

char *
_sl_annotation_format_time (gint64 usec)
{
  gint64 secs = usec / G_USEC_PER_SEC;
  int ms = (int) ((usec % G_USEC_PER_SEC) / 1000);
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;

  if (ms < 0)
    secs--, ms += 1000;
  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, ms);
}

/* Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static gint64
days_from_civil (gint64 y, int m, int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
digits (const char *p, int n, int *out)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      v = v * 10 + (p[i] - '0');
    }
  *out = v;
  return TRUE;
}

gint64
_sl_annotation_parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;

  /* The form we write, "2022-02-14T08:31:00.000Z", parsed directly: queries read two per row
   * and GDateTime costs microseconds each. Anything else (edited elsewhere) goes through it. */
  if (text && strlen (text) == 24 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
      text[16] == ':' && text[19] == '.' && text[23] == 'Z' &&
      digits (text, 4, &y) && digits (text + 5, 2, &mo) && digits (text + 8, 2, &d) && digits (text + 11, 2, &h) &&
      digits (text + 14, 2, &mi) && digits (text + 17, 2, &s) && digits (text + 20, 3, &ms) &&
      mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61)
    return ((days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000 + ms) * 1000;

  dt = text ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (dt == NULL)
    return 0;
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* --- validation and row writing --- */

gboolean
_sl_annotation_store_check_writable (SlAnnotationStore *self, GError **error)
{
  if (!self->read_only)
    return TRUE;
  g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY,
               "Cannot change the annotations of ‘%s’: the project file is read-only (no write permission)",
               sl_project_get_path (self->project));
  return FALSE;
}

/* The first column of the row @which finds for @id, or 0 when there is none. */
static gboolean
lookup (SlAnnotationStore *self, SlAnnotationStmt which, gint64 id, gint64 *value, GError **error)
{
  sqlite3_stmt *stmt = _sl_annotation_store_stmt (self, which, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  *value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot read the annotations of");
      return FALSE;
    }
  return TRUE;
}

static gboolean
exists (SlAnnotationStore *self, SlAnnotationStmt which, gint64 id, gboolean *found, GError **error)
{
  gint64 one;

  if (!lookup (self, which, id, &one, error))
    return FALSE;
  *found = one != 0;
  return TRUE;
}

/* A valid shape on a scene and class of the project. */
static gboolean
check_annotation (SlAnnotationStore *self, const SlAnnotation *a, GError **error)
{
  g_autoptr(GError) local = NULL;
  gboolean found;
  const char *path = sl_project_get_path (self->project);

  if (!sl_annotation_is_valid (a, &local))
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot store an annotation in ‘%s’: %s", path, local->message);
      return FALSE;
    }
  if (!exists (self, STMT_CLASS_EXISTS, a->class_id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot store an annotation in ‘%s’: it has no class (class %" G_GINT64_FORMAT " does not exist)",
                   path, a->class_id);
      return FALSE;
    }
  if (!exists (self, STMT_SCENE_EXISTS, a->scene_id, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot store an annotation in ‘%s’: scene %" G_GINT64_FORMAT " does not exist",
                   path, a->scene_id);
      return FALSE;
    }
  return TRUE;
}

/* Binds every column of @a to the INSERT or UPDATE statement (same parameter numbers). */
static void
bind_row (sqlite3_stmt *stmt, const SlAnnotation *a, gint64 fid, int srs_id,
          const char *uid, const char *created, const char *updated)
{
  g_autoptr(GBytes) blob = sl_annotation_to_gpkg_blob (a, srs_id);
  gsize size;
  const void *data = g_bytes_get_data (blob, &size);

  if (fid > 0)
    sqlite3_bind_int64 (stmt, 1, fid);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_blob64 (stmt, 2, data, size, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, a->scene_id);
  sqlite3_bind_int64 (stmt, 4, a->class_id);
  sqlite3_bind_text (stmt, 5, sl_shape_kind_to_string (a->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, sl_confidence_to_string (a->confidence), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, a->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, a->author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, created, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, updated, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 12, a->hidden ? 1 : 0);
  sqlite3_bind_int (stmt, 13, a->locked ? 1 : 0);
}

/* What the rows of one insert share: its time (every new row of a batch is created at the same
 * millisecond) and the classes and scenes already checked. */
typedef struct
{
  gint64      now;        /* µs, whole milliseconds, as stored */
  char       *now_text;
  GHashTable *checked;    /* (class_id << 1 | 0) and (scene_id << 1 | 1) already found */
} Batch;

static void
batch_init (Batch *batch)
{
  batch->now = g_get_real_time () / 1000 * 1000;
  batch->now_text = _sl_annotation_format_time (batch->now);
  batch->checked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->now_text, g_free);
  g_clear_pointer (&batch->checked, g_hash_table_unref);
}

/* check_annotation, with the class and scene looked up once per batch. */
static gboolean
check_in_batch (SlAnnotationStore *self, Batch *batch, const SlAnnotation *a, GError **error)
{
  gint64 keys[2] = { a->class_id * 2, a->scene_id * 2 + 1 };
  g_autoptr(GError) local = NULL;

  if (g_hash_table_contains (batch->checked, &keys[0]) && g_hash_table_contains (batch->checked, &keys[1]))
    {
      if (sl_annotation_is_valid (a, &local))
        return TRUE;
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot store an annotation in ‘%s’: %s", sl_project_get_path (self->project), local->message);
      return FALSE;
    }
  if (!check_annotation (self, a, error))
    return FALSE;
  g_hash_table_add (batch->checked, g_memdup2 (&keys[0], sizeof keys[0]));
  g_hash_table_add (batch->checked, g_memdup2 (&keys[1], sizeof keys[1]));
  return TRUE;
}

/* Stages @a for the caller's INSERT (inside its transaction). @exact keeps its fid,
 * object_uid and times; otherwise they are new. Returns the row as it will be stored (a copy
 * of @a, its id still to come), or NULL. */
static SlAnnotation *
stage_row (SlAnnotationStore *self, Batch *batch, const SlAnnotation *a, gboolean exact, int srs_id,
           GError **error)
{
  g_autoptr(SlAnnotation) stored = NULL;
  g_autofree char *created = NULL, *updated = NULL;
  sqlite3_stmt *stmt;

  if (!check_in_batch (self, batch, a, error))
    return NULL;
  stmt = _sl_annotation_store_stmt (self, STMT_STAGE, error);
  if (stmt == NULL)
    return NULL;

  stored = sl_annotation_copy (a);
  if (exact)
    {
      created = _sl_annotation_format_time (stored->created);
      updated = _sl_annotation_format_time (stored->updated);
    }
  else
    {
      /* Milliseconds, as stored: what the caller holds equals what a query returns. */
      stored->created = stored->updated = batch->now;
      stored->id = 0;
      if (stored->object_uid == NULL || *stored->object_uid == '\0')
        {
          g_free (stored->object_uid);
          stored->object_uid = g_uuid_string_random ();
        }
    }
  bind_row (stmt, stored, exact ? stored->id : 0, srs_id, stored->object_uid,
            exact ? created : batch->now_text, exact ? updated : batch->now_text);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot store an annotation in");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&stored);
}

/* Moves the staged rows into the table in one statement, in staging order, and gives each
 * of @stored its id. */
static gboolean
insert_staged (SlAnnotationStore *self, GPtrArray *stored, gboolean exact, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self->project);
  sqlite3_stmt *stmt = _sl_annotation_store_stmt (self, STMT_INSERT, error);
  gint64 last;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot store an annotation in");
      return FALSE;
    }
  if ((guint) sqlite3_changes (db) != stored->len)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot store annotations in ‘%s’: %u of %u rows were written (a scene was removed?)",
                   sl_project_get_path (self->project), (guint) sqlite3_changes (db), stored->len);
      return FALSE;
    }
  /* New rows take consecutive ids after the largest (AUTOINCREMENT, one statement on the
   * one connection that writes), so the last one's tells them all. */
  last = sqlite3_last_insert_rowid (db);
  if (!exact)
    for (guint i = 0; i < stored->len; i++)
      ((SlAnnotation *) stored->pdata[i])->id = last - (stored->len - 1) + i;
  stmt = _sl_annotation_store_stmt (self, STMT_UNSTAGE, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot store an annotation in");
      return FALSE;
    }
  return TRUE;
}

/* The tables the rows of an insert are staged in (sl_staging), and the ids of a removal
 * (sl_removing, see sl-annotation-store-remove.c): rows staged there are written to
 * `annotations` by one statement. A statement that writes to a virtual table (the R-trees,
 * through the triggers) keeps a statement journal — the original of every page it touches —
 * so that it can be undone alone; one INSERT per row made that 630 KB per annotation with
 * 64 KB pages (12.6 GB of temporary file for 20 000 annotations, measured with strace; 8 500
 * rows/s). One statement for the batch journals each page once. In the connection's temporary
 * database (in memory), rolled back with the transaction. */
gboolean
_sl_annotation_store_ensure_temp_tables (SlAnnotationStore *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (self->staging)
    return TRUE;
  if (!_sl_project_exec (self->project,
                         "CREATE TEMP TABLE IF NOT EXISTS sl_staging (seq INTEGER PRIMARY KEY, fid INTEGER, geom BLOB,"
                         " scene_id INTEGER, class_id INTEGER, kind TEXT, object_uid TEXT, confidence TEXT, note TEXT,"
                         " author TEXT, created TEXT, updated TEXT, hidden INTEGER, locked INTEGER);"
                         "CREATE TEMP TABLE IF NOT EXISTS sl_removing (fid INTEGER PRIMARY KEY);", &local))
    {
      _sl_annotation_store_set_error (self, error, "Cannot change the annotations of");
      return FALSE;
    }
  self->staging = TRUE;
  return TRUE;
}

/* The scene @fid is on (0 when there is no such annotation). */
static gboolean
scene_of (SlAnnotationStore *self, gint64 fid, gint64 *scene_id, GError **error)
{
  return lookup (self, STMT_SCENE_OF, fid, scene_id, error);
}

void
_sl_annotation_store_not_found (SlAnnotationStore *self, gint64 fid, GError **error)
{
  g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND,
               "Cannot change annotation %" G_GINT64_FORMAT " of ‘%s’: there is no such annotation",
               fid, sl_project_get_path (self->project));
}

static gboolean
update_row (SlAnnotationStore *self, SlAnnotation *a, gboolean exact, int srs_id,
            gint64 *old_scene, GError **error)
{
  g_autofree char *updated = NULL;
  sqlite3_stmt *stmt;
  gint64 updated_us = exact ? a->updated : g_get_real_time () / 1000 * 1000;

  if (!check_annotation (self, a, error) || !scene_of (self, a->id, old_scene, error))
    return FALSE;
  if (*old_scene == 0)
    {
      _sl_annotation_store_not_found (self, a->id, error);
      return FALSE;
    }
  stmt = _sl_annotation_store_stmt (self, STMT_UPDATE, error);
  if (stmt == NULL)
    return FALSE;
  updated = _sl_annotation_format_time (updated_us);
  bind_row (stmt, a, a->id, srs_id, NULL, NULL, updated);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _sl_annotation_store_set_error (self, error, "Cannot change an annotation in");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  a->updated = updated_us;
  return TRUE;
}

gboolean
_sl_annotation_store_begin (SlAnnotationStore *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (_sl_project_begin (self->project, &local))
    return TRUE;
  _sl_annotation_store_set_error (self, error, "Cannot change the annotations of");
  return FALSE;
}

gboolean
_sl_annotation_store_commit (SlAnnotationStore *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (_sl_project_commit (self->project, &local))
    return TRUE;
  _sl_annotation_store_set_error (self, error, "Cannot save the annotations of");
  _sl_project_rollback (self->project);
  return FALSE;
}

/* Inserts every annotation of @annotations in one transaction; on success each one gets its
 * stored id, object_uid and times. */
static gboolean
insert_many (SlAnnotationStore *self, GPtrArray *annotations, gboolean exact, GError **error)
{
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_auto(GStrv) paused = NULL;
  gboolean bulk;
  int srs_id;
  gint64 scene = -1;
  Batch batch;

  if (!_sl_annotation_store_check_writable (self, error))
    return FALSE;
  if (annotations->len == 0)
    return TRUE;
  srs_id = (int) sl_project_get_srs_id (self->project);
  if (!_sl_annotation_store_ensure_temp_tables (self, error) || !_sl_annotation_store_begin (self, error))
    return FALSE;
  bulk = _sl_project_bulk_indexing_pays (self->project, annotations->len, FALSE);
  batch_init (&batch);
  for (guint i = 0; i < annotations->len; i++)
    {
      const SlAnnotation *a = g_ptr_array_index (annotations, i);
      SlAnnotation *row = stage_row (self, &batch, a, exact, srs_id, error);

      if (row == NULL)
        {
          batch_clear (&batch);
          _sl_project_rollback (self->project);
          return FALSE;
        }
      g_ptr_array_add (stored, row);
      scene = scene == -1 || scene == a->scene_id ? a->scene_id : 0;
    }
  batch_clear (&batch);
  /* A large insert writes the R-trees once, after its rows (sl-annotation-indexes.c). */
  if ((bulk && !_sl_project_pause_annotation_indexes (self->project, FALSE, &paused, error)) ||
      !insert_staged (self, stored, exact, error) ||
      (bulk && !_sl_project_resume_annotation_indexes (self->project, paused, error)))
    {
      _sl_project_rollback (self->project);
      return FALSE;
    }
  if (!_sl_annotation_store_commit (self, error))
    return FALSE;

  for (guint i = 0; i < annotations->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (annotations, i);
      SlAnnotation *row = g_ptr_array_index (stored, i);

      a->id = row->id;
      a->created = row->created;
      a->updated = row->updated;
      if (g_strcmp0 (a->object_uid, row->object_uid) != 0)
        {
          g_free (a->object_uid);
          a->object_uid = g_strdup (row->object_uid);
        }
    }
  _sl_annotation_store_emit_changed (self, scene);
  return TRUE;
}

static gboolean
update_many (SlAnnotationStore *self, GPtrArray *annotations, gboolean exact, GError **error)
{
  g_autofree gint64 *updated = NULL;
  int srs_id;
  gint64 scene = -1;

  if (!_sl_annotation_store_check_writable (self, error))
    return FALSE;
  if (annotations->len == 0)
    return TRUE;
  srs_id = (int) sl_project_get_srs_id (self->project);
  updated = g_new (gint64, annotations->len);
  if (!_sl_annotation_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < annotations->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (annotations, i);
      gint64 old_scene;

      updated[i] = a->updated;
      if (!update_row (self, a, exact, srs_id, &old_scene, error))
        {
          for (guint j = 0; j <= i; j++)
            ((SlAnnotation *) g_ptr_array_index (annotations, j))->updated = updated[j];
          _sl_project_rollback (self->project);
          return FALSE;
        }
      if (old_scene != a->scene_id)
        scene = 0;
      scene = scene == -1 || scene == a->scene_id ? a->scene_id : 0;
    }
  if (!_sl_annotation_store_commit (self, error))
    {
      for (guint j = 0; j < annotations->len; j++)
        ((SlAnnotation *) g_ptr_array_index (annotations, j))->updated = updated[j];
      return FALSE;
    }
  _sl_annotation_store_emit_changed (self, scene);
  return TRUE;
}

gboolean
_sl_annotation_store_insert (SlAnnotationStore  *self,
                             GPtrArray          *annotations,
                             gboolean            exact,
                             GError            **error)
{
  return insert_many (self, annotations, exact, error);
}

gboolean
_sl_annotation_store_update (SlAnnotationStore  *self,
                             GPtrArray          *annotations,
                             gboolean            exact,
                             GError            **error)
{
  return update_many (self, annotations, exact, error);
}

/* --- the object --- */

static void
sl_annotation_store_dispose (GObject *object)
{
  SlAnnotationStore *self = SL_ANNOTATION_STORE (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->unreadable, g_hash_table_unref);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (sl_annotation_store_parent_class)->dispose (object);
}

static void
sl_annotation_store_class_init (SlAnnotationStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_annotation_store_dispose;

  /* After every committed change, with the scene it touched (0: several). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sl_annotation_store_init (SlAnnotationStore *self)
{
}

/* --- public API --- */

SlAnnotationStore *
sl_annotation_store_new (SlProject *project)
{
  SlAnnotationStore *self;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);

  self = g_object_new (SL_TYPE_ANNOTATION_STORE, NULL);
  self->project = g_object_ref (project);
  self->read_only = sl_project_is_read_only (project);
  return self;
}

SlProject *
sl_annotation_store_get_project (SlAnnotationStore *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  return self->project;
}

gboolean
sl_annotation_store_is_read_only (SlAnnotationStore *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), TRUE);
  return self->read_only;
}

gboolean
sl_annotation_store_add (SlAnnotationStore  *self,
                         SlAnnotation       *annotation,
                         GError            **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), FALSE);
  g_return_val_if_fail (annotation != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_ptr_array_add (one, annotation);
  return insert_many (self, one, FALSE, error);
}

gboolean
sl_annotation_store_add_many (SlAnnotationStore  *self,
                              GPtrArray          *annotations,
                              GError            **error)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), FALSE);
  g_return_val_if_fail (annotations != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return insert_many (self, annotations, FALSE, error);
}

gboolean
sl_annotation_store_update (SlAnnotationStore  *self,
                            SlAnnotation       *annotation,
                            GError            **error)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), FALSE);
  g_return_val_if_fail (annotation != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_ptr_array_add (one, annotation);
  return update_many (self, one, FALSE, error);
}

void
sl_annotation_store_notify_changed (SlAnnotationStore *self,
                                    gint64             scene_id)
{
  g_return_if_fail (SL_IS_ANNOTATION_STORE (self));
  _sl_annotation_store_emit_changed (self, scene_id);
}

GArray *
sl_annotation_store_copy_to_scene (SlAnnotationStore  *self,
                                   const gint64       *ids,
                                   guint               n_ids,
                                   gint64              scene_id,
                                   GError            **error)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  GArray *new_ids;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_sl_annotation_store_check_writable (self, error))
    return NULL;
  for (guint i = 0; i < n_ids; i++)
    {
      SlAnnotation *a = sl_annotation_store_get (self, ids[i], error);

      if (a == NULL)
        return NULL;
      /* Same object (object_uid kept), new row on the other date with its own times. */
      a->id = 0;
      a->scene_id = scene_id;
      g_ptr_array_add (copies, a);
    }
  if (!insert_many (self, copies, FALSE, error))
    return NULL;
  new_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  for (guint i = 0; i < copies->len; i++)
    g_array_append_val (new_ids, ((SlAnnotation *) g_ptr_array_index (copies, i))->id);
  return new_ids;
}
