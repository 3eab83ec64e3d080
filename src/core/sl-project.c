/* sl-project.c — a Sitelapse project: one SQLite file that is an OGC GeoPackage
 *
 * SlProject owns the main-thread connection to the file. Every change is its own committed
 * transaction (WAL, synchronous=FULL), so there is no "save" step and nothing shown as saved
 * can be lost, even to kill -9. Worker threads open their own connections with
 * _sl_project_open_connection().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "sl-autocleanups-private.h"
#include "sl-core.h"
#include "sl-gpkg-functions.h"
#include "sl-project-private.h"
#include "sl-scene-private.h"

G_DEFINE_FINAL_TYPE (SlProject, sl_project, G_TYPE_OBJECT)

enum {
  SCENES_CHANGED,
  SITE_CHANGED,
  SCENE_RENDER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (sl-project-error-quark, sl_project_error)

static void
remove_database_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      g_unlink (p);
    }
}

static gboolean
looks_like_sqlite (const char *path, GError **error)
{
  static const char magic[16] = "SQLite format 3";
  char header[16] = { 0 };
  FILE *f = g_fopen (path, "rb");
  size_t n;

  if (f == NULL)
    {
      int saved = errno;
      g_set_error (error, SL_PROJECT_ERROR,
                   saved == ENOENT ? SL_PROJECT_ERROR_NOT_FOUND : SL_PROJECT_ERROR_IO,
                   "Cannot open ‘%s’: %s", path, g_strerror (saved));
      return FALSE;
    }
  n = fread (header, 1, sizeof header, f);
  fclose (f);
  if (n == 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_GEOPACKAGE,
                   "Cannot open ‘%s’: the file is empty (0 bytes)", path);
      return FALSE;
    }
  if (n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_GEOPACKAGE,
                   "Cannot open ‘%s’: not a Sitelapse project or GeoPackage (it is not an SQLite database)",
                   path);
      return FALSE;
    }
  return TRUE;
}

static char *
absolute_path (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  return g_file_get_path (file);
}

static void
sl_project_dispose (GObject *object)
{
  sl_project_close (SL_PROJECT (object));
  G_OBJECT_CLASS (sl_project_parent_class)->dispose (object);
}

static void
sl_project_finalize (GObject *object)
{
  SlProject *self = SL_PROJECT (object);

  g_free (self->path);
  g_free (self->dir);
  G_OBJECT_CLASS (sl_project_parent_class)->finalize (object);
}

static void
sl_project_class_init (SlProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_project_dispose;
  object_class->finalize = sl_project_finalize;

  /* Emitted after a scene is added, changed or removed. */
  signals[SCENES_CHANGED] =
    g_signal_new ("scenes-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted after a scene's render parameters change, with its id: its tiles are stale. */
  signals[SCENE_RENDER_CHANGED] =
    g_signal_new ("scene-render-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* Emitted after the site's name or CRS changes. */
  signals[SITE_CHANGED] =
    g_signal_new ("site-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_project_init (SlProject *self)
{
}

/* --- connections and transactions --- */

/* A read-only connection to a WAL file needs its -shm and -wal beside it, or a folder where
 * SQLite may create them. When neither is there (a project on read-only media or in a folder
 * without write permission), the file is opened as immutable: it cannot change under us, as
 * nobody can write it. Returns SQLITE_OK when a connection that can read is in *db. */
static int
open_read_only (const char *path, sqlite3 **db)
{
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  int rc = sqlite3_open_v2 (path, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc == SQLITE_OK &&
      sqlite3_exec (*db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) == SQLITE_OK)
    return SQLITE_OK;
  sqlite3_close (*db);
  *db = NULL;

  escaped = g_uri_escape_string (path, "/", FALSE);
  uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
  return sqlite3_open_v2 (uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
}

/* TRUE when SQLite could not write @path in WAL mode: the file, or the folder that holds its
 * -wal and -shm, is not writable by us. */
static gboolean
needs_read_only (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (path, W_OK) != 0 || g_access (dir, W_OK) != 0;
}

sqlite3 *
_sl_project_open_connection (const char *path, gboolean read_only, GError **error)
{
  sqlite3 *db = NULL;
  int rc = read_only ? open_read_only (path, &db)
                     : sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO, "Cannot open ‘%s’: %s",
                   path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);
  if (sl_gpkg_register_functions (db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO, "Cannot open ‘%s’: %s",
                   path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

sqlite3 *
_sl_project_get_db (SlProject *self)
{
  return self->db;
}

void
_sl_project_set_sqlite_error (SlProject *self, GError **error, const char *what)
{
  int code = sqlite3_errcode (self->db) & 0xff;
  SlProjectError kind = code == SQLITE_CORRUPT || code == SQLITE_NOTADB
                        ? SL_PROJECT_ERROR_CORRUPT : SL_PROJECT_ERROR_IO;

  g_set_error (error, SL_PROJECT_ERROR, kind, "%s ‘%s’: %s", what, self->path, sqlite3_errmsg (self->db));
}

gboolean
_sl_project_exec (SlProject *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      int code = sqlite3_errcode (self->db) & 0xff;

      g_set_error (error, SL_PROJECT_ERROR,
                   code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? SL_PROJECT_ERROR_CORRUPT : SL_PROJECT_ERROR_IO,
                   "Cannot write to ‘%s’: %s", self->path, msg ? msg : sqlite3_errmsg (self->db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
_sl_project_begin (SlProject *self, GError **error)
{
  return _sl_project_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_sl_project_commit (SlProject *self, GError **error)
{
  return _sl_project_exec (self, "COMMIT", error);
}

void
_sl_project_rollback (SlProject *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Annotation queries read rows all over the table: with the project's 64 KB pages SQLite's
 * default 2 MB cache holds 31 pages and a viewport query of a few thousand rows spends most
 * of its time re-reading them (13 ms instead of 1.7 for 17 000 R-tree hits, measured with
 * bench-annotations). A cap, not an allocation: pages are cached as they are read. Only the
 * main connection: the tile workers' connections read each tile once. */
static void
set_page_cache (SlProject *self)
{
  sqlite3_exec (self->db, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
}

static gboolean
configure_main_connection (SlProject *self, GError **error)
{
  /* FULL: each committed edit is on disk before we report it saved. */
  return _sl_project_exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error);
}

/* --- lifecycle --- */

SlProject *
sl_project_create (const char  *path,
                   const char  *site_name,
                   GError     **error)
{
  g_autoptr(SlProject) self = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_EXISTS,
                   "Cannot create ‘%s’: a file of that name already exists", path);
      return NULL;
    }

  self = g_object_new (SL_TYPE_PROJECT, NULL);
  self->path = absolute_path (path);
  self->dir = g_path_get_dirname (self->path);

  if (site_name == NULL || *site_name == '\0')
    {
      g_autofree char *base = g_path_get_basename (path);
      static const char *const extensions[] = { ".gpkg", ".sitelapse" };

      /* "Kyiv north.sitelapse.gpkg" names the site "Kyiv north". */
      for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
        if (g_str_has_suffix (base, extensions[i]) && strlen (base) > strlen (extensions[i]))
          base[strlen (base) - strlen (extensions[i])] = '\0';
      name = g_steal_pointer (&base);
    }
  else
    name = g_strdup (site_name);

  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO, "Cannot create ‘%s’: %s",
                   path, self->db ? sqlite3_errmsg (self->db) : "out of memory");
      sqlite3_close (self->db);
      self->db = NULL;
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);
  sl_gpkg_register_functions (self->db);

  /* 64 KB pages: the project file is mostly tile blobs of ~15 KB, and the single tile writer
   * sustains 18–27k tiles/s with them against 8–15k with 4 KB pages (measured here). The page
   * size can only be chosen before the first table, and never changed in WAL mode. The
   * checkpoint at the end puts the GeoPackage header in the file itself at once, for tools
   * that sniff it while the project is open. */
  set_page_cache (self);
  if (!_sl_project_exec (self, "PRAGMA page_size = 65536; PRAGMA foreign_keys = ON", error) ||
      !configure_main_connection (self, error) ||
      !_sl_project_begin (self, error) ||
      !_sl_project_schema_create (self, name, error) ||
      !_sl_project_commit (self, error) ||
      !_sl_project_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    {
      _sl_project_rollback (self);
      sqlite3_close (self->db);
      self->db = NULL;
      remove_database_files (self->path);
      g_prefix_error (error, "Cannot create ‘%s’: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

SlProject *
sl_project_open (const char  *path,
                 GError     **error)
{
  g_autoptr(SlProject) self = NULL;
  gboolean read_only;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_GEOPACKAGE,
                   "Cannot open ‘%s’: it is a folder, not a project file", path);
      return NULL;
    }
  if (!looks_like_sqlite (path, error))
    return NULL;

  self = g_object_new (SL_TYPE_PROJECT, NULL);
  self->path = absolute_path (path);
  self->dir = g_path_get_dirname (self->path);
  /* A file we may not write opens read-only (the window disables editing) rather than
   * failing on the first write. */
  read_only = needs_read_only (self->path);
  self->db = _sl_project_open_connection (self->path, read_only, error);
  if (self->db == NULL)
    return NULL;
  set_page_cache (self);

  /* Check before changing anything: a foreign or newer file is left exactly as it was. */
  if (!_sl_project_schema_check (self, error))
    return NULL;
  if (read_only && self->schema_version < SL_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot open ‘%s’: it needs upgrading to project schema %d and the file is read-only",
                   self->path, SL_PROJECT_SCHEMA_VERSION);
      return NULL;
    }
  if (!read_only &&
      (!configure_main_connection (self, error) || !_sl_project_schema_migrate (self, error)))
    return NULL;

#if DEVELOPMENT
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    if (!_sl_project_schema_validate (self, problems))
      g_warning ("%s: %s", self->path, (char *) problems->pdata[0]);
  }
#endif
  return g_steal_pointer (&self);
}

void
sl_project_close (SlProject *self)
{
  g_return_if_fail (SL_IS_PROJECT (self));

  if (self->db)
    {
      /* Checkpoint so the .sitelapse file alone is complete when handed to someone. */
      if (sqlite3_db_readonly (self->db, "main") != 1)
        sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

gboolean
sl_project_is_read_only (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), TRUE);
  return self->db == NULL || sqlite3_db_readonly (self->db, "main") == 1;
}

const char *
sl_project_get_path (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  return self->path;
}

int
sl_project_get_schema_version (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), 0);
  return self->schema_version;
}

static char *
query_text (SlProject *self, const char *sql)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (self->db == NULL || sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static gint64
query_int64 (SlProject *self, const char *sql, gint64 fallback)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (self->db == NULL || sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return fallback;
  return sqlite3_column_int64 (stmt, 0);
}

char *
sl_project_dup_name (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  return query_text (self, "SELECT name FROM sl_site WHERE id = 1");
}

gboolean
sl_project_set_name (SlProject *self, const char *name, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  if (sqlite3_prepare_v2 (self->db, "UPDATE sl_site SET name = ? WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot rename the site in");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot rename the site in");
      return FALSE;
    }
  g_signal_emit (self, signals[SITE_CHANGED], 0);
  return TRUE;
}

char *
sl_project_dup_view_state (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  return query_text (self, "SELECT view_state FROM sl_site WHERE id = 1");
}

/* No "site-changed": the view state is the window's own, written as it changes. */
gboolean
sl_project_set_view_state (SlProject   *self,
                           const char  *json,
                           GError     **error)
{
  g_autoptr(SlStmt) stmt = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "UPDATE sl_site SET view_state = ? WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot save the view in");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot save the view in");
      return FALSE;
    }
  return TRUE;
}

gint64
sl_project_get_srs_id (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), -1);
  return query_int64 (self, "SELECT srs_id FROM sl_site WHERE id = 1", -1);
}

char *
sl_project_dup_crs_wkt (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  return query_text (self, "SELECT r.definition FROM sl_site s JOIN gpkg_spatial_ref_sys r"
                           " ON r.srs_id = s.srs_id WHERE s.id = 1 AND s.srs_id > 0");
}

char *
sl_project_dup_crs_name (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  return query_text (self, "SELECT r.srs_name FROM sl_site s JOIN gpkg_spatial_ref_sys r"
                           " ON r.srs_id = s.srs_id WHERE s.id = 1");
}

guint
sl_project_count_classes (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), 0);
  return (guint) query_int64 (self, "SELECT count(*) FROM sl_classes", 0);
}

guint
sl_project_count_annotations (SlProject *self)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), 0);
  return (guint) query_int64 (self, "SELECT count(*) FROM annotations", 0);
}

gboolean
sl_project_validate (SlProject *self, GPtrArray *problems)
{
  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  return _sl_project_schema_validate (self, problems);
}
