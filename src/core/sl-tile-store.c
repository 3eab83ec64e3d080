/* sl-tile-store.c — the persistent tier of the tile cache: tile tables in the project file
 *
 * One writer thread owns a read-write connection (synchronous=NORMAL: tiles are a cache, and
 * losing the last batch to a power cut costs a re-render) and commits queued tiles in batches
 * of up to BATCH_MAX_TILES or BATCH_MAX_DELAY, with INSERT OR REPLACE. Everything that
 * changes the file goes through that one queue, in order: tile writes, table creation
 * (ensure_scene), generation purges and clears. So the store never contends with itself for
 * the SQLite write lock, and a purge can never overtake a write queued before it.
 *
 * Readers use one read-only connection per thread (WAL: they never wait for the writer),
 * kept in a GPrivate table keyed by the store's serial number. Their connections are also
 * listed in a registry shared with the store, so disposing the store closes all of them even
 * though the threads live on; a thread that exits closes its own.
 *
 * A write is readable as soon as it is queued (from the pending map) and until it is
 * committed; then from the file.
 *
 * Each table's render generation is recorded in sl_meta (`sl_tiles_<id>.generation`), in
 * the same transaction as the purge, so tiles of an old generation left by a crash are
 * recognised and deleted by the next ensure_scene().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-store"

#include "config.h"

#include <string.h>

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-tile-store.h"

#define BATCH_MAX_TILES    1000
#define BATCH_MAX_DELAY    (100 * G_TIME_SPAN_MILLISECOND)
/* Producers wait when this many encoded bytes are queued (a writer far behind must not eat
 * the memory budget). */
#define QUEUE_MAX_BYTES    (64 * 1024 * 1024)

typedef enum
{
  OP_WRITE,
  OP_ENSURE,
  OP_PURGE,    /* set_generation */
  OP_CLEAR,
} OpKind;

typedef struct
{
  OpKind      kind;
  SlTileKey   key;         /* WRITE */
  GBytes     *blob;        /* WRITE */
  gint64      queued_at;   /* WRITE, monotonic µs */
  gint64      scene_id;    /* ENSURE, PURGE, CLEAR (0: every scene) */
  guint32     generation;  /* ENSURE, PURGE */
  SlSiteGrid *grid;        /* ENSURE */
  gboolean    done;        /* ENSURE, CLEAR: set by the writer; the caller frees the op */
  GError     *error;
} Op;

typedef struct
{
  guint32 generation;
  int     max_zoom;        /* -1 until ensured */
  guint   pending_purges;  /* reads miss until the old tiles are deleted */
} SceneState;

/* Reader connections of one store, across threads. Outlives the store while threads still
 * hold entries. */
typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  GPtrArray       *conns;  /* ReaderConn *, not owned */
  gboolean         closed;
} ReaderRegistry;

typedef struct
{
  guint64         store_uid;
  ReaderRegistry *registry;  /* a ref */
  sqlite3        *db;        /* NULL once closed */
  GHashTable     *stmts;     /* scene id (gint64 *) → SlStmt * */
} ReaderConn;

struct _SlTileStore
{
  GObject         parent_instance;

  char           *path;
  guint64         uid;
  ReaderRegistry *readers;

  GMutex          lock;          /* everything below */
  GCond           work_cond;     /* to the writer: work queued, flush or stop requested */
  GCond           done_cond;     /* from the writer: ops completed */
  GHashTable     *scenes;        /* gint64 * → SceneState * */
  GQueue          queue;         /* Op * */
  guint           n_queued_writes;
  guint           n_queued_controls;
  gsize           queued_bytes;
  GHashTable     *pending;       /* SlTileKey * (inside the op) → newest queued write Op * */
  guint64         n_enqueued, n_done;
  guint           flush_waiters;
  gboolean        stopping;
  guint64         committed, batches, dropped;

  GThread        *writer;
  sqlite3        *writer_db;     /* owned by the writer thread once it runs */
};

G_DEFINE_FINAL_TYPE (SlTileStore, sl_tile_store, G_TYPE_OBJECT)

static void free_thread_readers (gpointer table);
static GPrivate thread_readers = G_PRIVATE_INIT (free_thread_readers);
static gint next_store_uid;

/* --- small helpers --- */

static char *
table_name (gint64 scene_id)
{
  return g_strdup_printf ("sl_tiles_%" G_GINT64_FORMAT, scene_id);
}

static void
set_db_error (GError **error, sqlite3 *db, const char *path, const char *what)
{
  int code = sqlite3_errcode (db) & 0xff;

  g_set_error (error, SL_PROJECT_ERROR,
               code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? SL_PROJECT_ERROR_CORRUPT : SL_PROJECT_ERROR_IO,
               "%s ‘%s’: %s", what, path, sqlite3_errmsg (db));
}

static gboolean
exec (sqlite3 *db, const char *path, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, db, path, "Cannot write tiles to");
      return FALSE;
    }
  return TRUE;
}

static gboolean
table_exists (sqlite3 *db, const char *name)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
op_free (Op *op)
{
  g_clear_pointer (&op->blob, g_bytes_unref);
  g_clear_pointer (&op->grid, sl_site_grid_unref);
  g_clear_error (&op->error);
  g_free (op);
}

static SceneState *
lookup_scene (SlTileStore *self, gint64 scene_id)
{
  return g_hash_table_lookup (self->scenes, &scene_id);
}

static SceneState *
ensure_scene_state (SlTileStore *self, gint64 scene_id)
{
  SceneState *state = lookup_scene (self, scene_id);

  if (state == NULL)
    {
      gint64 *id = g_new (gint64, 1);

      *id = scene_id;
      state = g_new0 (SceneState, 1);
      state->max_zoom = -1;
      g_hash_table_insert (self->scenes, id, state);
    }
  return state;
}

/* Called with the lock held. */
static void
enqueue (SlTileStore *self, Op *op)
{
  g_queue_push_tail (&self->queue, op);
  self->n_enqueued++;
  if (op->kind == OP_WRITE)
    {
      self->n_queued_writes++;
      self->queued_bytes += g_bytes_get_size (op->blob);
    }
  else
    self->n_queued_controls++;
  g_cond_signal (&self->work_cond);
}

/* Queues a control op and waits for the writer to run it. */
static gboolean
run_sync (SlTileStore *self, Op *op, GError **error)
{
  gboolean ok;

  g_mutex_lock (&self->lock);
  enqueue (self, op);
  while (!op->done)
    g_cond_wait (&self->done_cond, &self->lock);
  g_mutex_unlock (&self->lock);

  ok = op->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&op->error));
  op_free (op);
  return ok;
}

/* --- the writer thread --- */

typedef struct
{
  SlTileStore *self;
  sqlite3     *db;
  GHashTable  *inserts;  /* scene id → SlStmt * */
} Writer;

static sqlite3_stmt *
writer_insert_stmt (Writer *w, gint64 scene_id)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (w->inserts, &scene_id);

  if (stmt == NULL)
    {
      g_autofree char *name = table_name (scene_id);
      g_autofree char *sql = g_strdup_printf ("INSERT OR REPLACE INTO \"%s\" (zoom_level, tile_column, tile_row,"
                                              " tile_data) VALUES (?, ?, ?, ?)", name);
      gint64 *id;

      if (sqlite3_prepare_v2 (w->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
      id = g_new (gint64, 1);
      *id = scene_id;
      g_hash_table_insert (w->inserts, id, stmt);
    }
  return stmt;
}

static gboolean
touch_contents (Writer *w, gint64 scene_id)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *name = table_name (scene_id);

  if (sqlite3_prepare_v2 (w->db, "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                                 " WHERE table_name = ?", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

/* Inserts @batch in one transaction; returns how many were committed. Tiles of a table that
 * vanished (dropped behind our back) are skipped. */
static guint
commit_batch (Writer *w, GPtrArray *batch)
{
  SlTileStore *self = w->self;
  g_autoptr(GHashTable) touched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer scene;
  guint n = 0;

  if (!exec (w->db, self->path, "BEGIN IMMEDIATE", &error))
    goto fail;
  for (guint i = 0; i < batch->len; i++)
    {
      Op *op = g_ptr_array_index (batch, i);
      sqlite3_stmt *stmt = writer_insert_stmt (w, op->key.scene_id);
      gsize size;
      const void *data = g_bytes_get_data (op->blob, &size);

      if (stmt == NULL)
        {
          if (g_str_has_prefix (sqlite3_errmsg (w->db), "no such table"))
            continue;
          set_db_error (&error, w->db, self->path, "Cannot write tiles to");
          goto fail;
        }
      sqlite3_bind_int (stmt, 1, op->key.z);
      sqlite3_bind_int (stmt, 2, op->key.x);
      sqlite3_bind_int (stmt, 3, op->key.y);
      sqlite3_bind_blob64 (stmt, 4, data, size, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_db_error (&error, w->db, self->path, "Cannot write tiles to");
          sqlite3_reset (stmt);
          goto fail;
        }
      sqlite3_reset (stmt);
      if (!g_hash_table_contains (touched, &op->key.scene_id))
        g_hash_table_add (touched, g_memdup2 (&op->key.scene_id, sizeof (gint64)));
      n++;
    }
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &scene, NULL))
    if (!touch_contents (w, *(gint64 *) scene))
      {
        set_db_error (&error, w->db, self->path, "Cannot write tiles to");
        goto fail;
      }
  if (!exec (w->db, self->path, "COMMIT", &error))
    goto fail;
  return n;

fail:
  if (!sqlite3_get_autocommit (w->db))
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  g_warning ("%s (%u tiles lost)", error->message, batch->len);
  return 0;
}

/* Deletes the scene's tiles (if its table exists) and records @generation. */
static gboolean
purge_tiles (Writer *w, gint64 scene_id, guint32 generation, GError **error)
{
  g_autofree char *name = table_name (scene_id);
  g_autofree char *meta_key = g_strdup_printf ("%s.generation", name);
  g_autoptr(SlStmt) stmt = NULL;

  if (table_exists (w->db, name))
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\"", name);

      if (!exec (w->db, w->self->path, sql, error) || !touch_contents (w, scene_id))
        return FALSE;
    }
  if (sqlite3_prepare_v2 (w->db, "INSERT OR REPLACE INTO sl_meta (key, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, meta_key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, generation);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  return TRUE;

fail:
  set_db_error (error, w->db, w->self->path, "Cannot write tiles to");
  return FALSE;
}

static gboolean
stored_generation (Writer *w, gint64 scene_id, gint64 *generation)
{
  g_autofree char *meta_key = g_strdup_printf ("sl_tiles_%" G_GINT64_FORMAT ".generation", scene_id);
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (w->db, "SELECT CAST(value AS INTEGER) FROM sl_meta WHERE key = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, meta_key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *generation = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The tile table in the GeoPackage way: gpkg_contents, gpkg_tile_matrix_set and one
 * gpkg_tile_matrix row per level, in the site CRS; zoom 0's tile is the matrix set's extent. */
static gboolean
register_table (Writer *w, Op *op, GError **error)
{
  g_autofree char *name = table_name (op->scene_id);
  g_autofree char *create = NULL;
  g_autofree char *description = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  gint64 srs_id = -1;
  SlBounds bounds;
  int max_zoom = sl_site_grid_get_max_zoom (op->grid);

  if (sqlite3_prepare_v2 (w->db, "SELECT srs_id FROM sl_site WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    srs_id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  create = g_strdup_printf ("CREATE TABLE IF NOT EXISTS \"%s\" ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " zoom_level INTEGER NOT NULL,"
                            " tile_column INTEGER NOT NULL,"
                            " tile_row INTEGER NOT NULL,"
                            " tile_data BLOB NOT NULL,"
                            " UNIQUE (zoom_level, tile_column, tile_row))", name);
  if (!exec (w->db, w->self->path, create, error))
    return FALSE;

  sl_site_grid_get_tile_bounds (op->grid, 0, 0, 0, &bounds);
  description = g_strdup_printf ("Display tiles of scene %" G_GINT64_FORMAT " (Sitelapse cache)", op->scene_id);
  if (sqlite3_prepare_v2 (w->db, "INSERT INTO gpkg_contents (table_name, data_type, identifier, description,"
                                 " min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'tiles', ?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                 " ON CONFLICT (table_name) DO UPDATE SET min_x = excluded.min_x,"
                                 " min_y = excluded.min_y, max_x = excluded.max_x, max_y = excluded.max_y,"
                                 " srs_id = excluded.srs_id", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, description, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, bounds.min_x);
  sqlite3_bind_double (stmt, 4, bounds.min_y);
  sqlite3_bind_double (stmt, 5, bounds.max_x);
  sqlite3_bind_double (stmt, 6, bounds.max_y);
  sqlite3_bind_int64 (stmt, 7, srs_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (w->db, "INSERT OR REPLACE INTO gpkg_tile_matrix_set (table_name, srs_id, min_x, min_y,"
                                 " max_x, max_y) VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, srs_id);
  sqlite3_bind_double (stmt, 3, bounds.min_x);
  sqlite3_bind_double (stmt, 4, bounds.min_y);
  sqlite3_bind_double (stmt, 5, bounds.max_x);
  sqlite3_bind_double (stmt, 6, bounds.max_y);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Every level down to the grid's finest: a grid that gained finer levels gains rows. */
  if (sqlite3_prepare_v2 (w->db, "INSERT OR REPLACE INTO gpkg_tile_matrix (table_name, zoom_level, matrix_width,"
                                 " matrix_height, tile_width, tile_height, pixel_x_size, pixel_y_size)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (int z = 0; z <= max_zoom; z++)
    {
      double res = sl_site_grid_get_resolution (op->grid, z);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, z);
      sqlite3_bind_int64 (stmt, 3, (gint64) 1 << z);
      sqlite3_bind_int64 (stmt, 4, (gint64) 1 << z);
      sqlite3_bind_int (stmt, 5, SL_TILE_SIZE);
      sqlite3_bind_int (stmt, 6, SL_TILE_SIZE);
      sqlite3_bind_double (stmt, 7, res);
      sqlite3_bind_double (stmt, 8, res);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  return TRUE;

fail:
  set_db_error (error, w->db, w->self->path, "Cannot create the tile table in");
  return FALSE;
}

static gboolean
run_ensure (Writer *w, Op *op, GError **error)
{
  gint64 generation = -1;

  if (!exec (w->db, w->self->path, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!register_table (w, op, error) ||
      ((!stored_generation (w, op->scene_id, &generation) || generation != op->generation) &&
       !purge_tiles (w, op->scene_id, op->generation, error)) ||
      !exec (w->db, w->self->path, "COMMIT", error))
    {
      sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_purge (Writer *w, Op *op, GError **error)
{
  if (!exec (w->db, w->self->path, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!purge_tiles (w, op->scene_id, op->generation, error) ||
      !exec (w->db, w->self->path, "COMMIT", error))
    {
      sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_clear (Writer *w, Op *op, GError **error)
{
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SlStmt) stmt = NULL;

  if (!exec (w->db, w->self->path, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (sqlite3_prepare_v2 (w->db, "SELECT CAST(substr(table_name, 10) AS INTEGER) FROM gpkg_contents"
                                 " WHERE data_type = 'tiles' AND table_name GLOB 'sl_tiles_[0-9]*'",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (op->scene_id == 0 || op->scene_id == id)
        g_ptr_array_add (scenes, g_memdup2 (&id, sizeof id));
    }
  for (guint i = 0; i < scenes->len; i++)
    {
      g_autofree char *name = table_name (*(gint64 *) g_ptr_array_index (scenes, i));
      g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\"", name);

      if (table_exists (w->db, name) &&
          (!exec (w->db, w->self->path, sql, error) || !touch_contents (w, *(gint64 *) g_ptr_array_index (scenes, i))))
        {
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  if (exec (w->db, w->self->path, "COMMIT", error))
    return TRUE;
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;

fail:
  set_db_error (error, w->db, w->self->path, "Cannot clear the tiles of");
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Called with the lock held; drops it while SQLite works. */
static void
run_control (Writer *w, Op *op)
{
  SlTileStore *self = w->self;
  GError *error = NULL;

  self->n_queued_controls--;
  g_mutex_unlock (&self->lock);
  switch (op->kind)
    {
    case OP_ENSURE:
      run_ensure (w, op, &error);
      break;
    case OP_PURGE:
      run_purge (w, op, &error);
      break;
    case OP_CLEAR:
    default:
      run_clear (w, op, &error);
      break;
    }
  g_mutex_lock (&self->lock);

  self->n_done++;
  if (op->kind == OP_PURGE || op->kind == OP_ENSURE)
    {
      SceneState *state = lookup_scene (self, op->scene_id);

      g_assert (state != NULL && state->pending_purges > 0);
      state->pending_purges--;
    }
  if (op->kind == OP_PURGE)
    {
      /* Nobody waits for a purge: report a failure here. */
      if (error != NULL)
        g_warning ("%s", error->message);
      g_clear_error (&error);
      op_free (op);
    }
  else
    {
      op->error = error;
      op->done = TRUE;
    }
  g_cond_broadcast (&self->done_cond);
}

/* Called with the lock held: waits for a full batch (or a full queue), a control op, a flush,
 * a stop, or the first write's deadline; then commits up to BATCH_MAX_TILES writes with the
 * lock dropped. */
static void
run_batch (Writer *w, Op *head)
{
  SlTileStore *self = w->self;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  gint64 deadline = head->queued_at + BATCH_MAX_DELAY;
  guint n_committed = 0, n_stale = 0;
  Op *op;

  while (self->n_queued_writes < BATCH_MAX_TILES && self->queued_bytes < QUEUE_MAX_BYTES &&
         self->n_queued_controls == 0 && self->flush_waiters == 0 && !self->stopping)
    if (!g_cond_wait_until (&self->work_cond, &self->lock, deadline))
      break;

  while (taken->len < BATCH_MAX_TILES && (op = g_queue_peek_head (&self->queue)) != NULL && op->kind == OP_WRITE)
    {
      SceneState *state = lookup_scene (self, op->key.scene_id);

      g_queue_pop_head (&self->queue);
      self->n_queued_writes--;
      self->queued_bytes -= g_bytes_get_size (op->blob);
      g_ptr_array_add (taken, op);
      /* The generation changed after it was queued: its purge is ahead in the queue. */
      if (state == NULL || state->generation != op->key.generation)
        n_stale++;
      else
        g_ptr_array_add (batch, op);
    }

  if (batch->len > 0)
    {
      g_mutex_unlock (&self->lock);
      n_committed = commit_batch (w, batch);
      g_mutex_lock (&self->lock);
      self->batches++;
    }

  for (guint i = 0; i < taken->len; i++)
    {
      op = g_ptr_array_index (taken, i);
      if (g_hash_table_lookup (self->pending, &op->key) == op)
        g_hash_table_remove (self->pending, &op->key);
    }
  self->committed += n_committed;
  self->dropped += n_stale + (batch->len - n_committed);
  /* Only now: a flush must not return before the tiles ahead of it are committed. */
  self->n_done += taken->len;
  g_cond_broadcast (&self->done_cond);
}

static gpointer
run_writer (gpointer data)
{
  Writer w = { .self = data };
  SlTileStore *self = w.self;
  Op *head;

  w.db = self->writer_db;
  w.inserts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, finalize_stmt);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      while (g_queue_is_empty (&self->queue) && !self->stopping)
        g_cond_wait (&self->work_cond, &self->lock);
      head = g_queue_peek_head (&self->queue);
      if (head == NULL)
        break; /* stopping, and everything is written */
      if (head->kind == OP_WRITE)
        run_batch (&w, head);
      else
        run_control (&w, g_queue_pop_head (&self->queue));
    }
  g_mutex_unlock (&self->lock);

  g_hash_table_unref (w.inserts);
  return NULL;
}

/* --- reader connections --- */

static ReaderRegistry *
registry_new (void)
{
  ReaderRegistry *reg = g_new0 (ReaderRegistry, 1);

  g_atomic_ref_count_init (&reg->ref);
  g_mutex_init (&reg->lock);
  reg->conns = g_ptr_array_new ();
  return reg;
}

static void
registry_unref (ReaderRegistry *reg)
{
  if (!g_atomic_ref_count_dec (&reg->ref))
    return;
  g_assert (reg->conns->len == 0);
  g_ptr_array_unref (reg->conns);
  g_mutex_clear (&reg->lock);
  g_free (reg);
}

/* With the registry's lock held. */
static void
reader_conn_close (ReaderConn *conn)
{
  g_clear_pointer (&conn->stmts, g_hash_table_unref);
  g_clear_pointer (&conn->db, sqlite3_close);
}

static void
reader_conn_free (gpointer data)
{
  ReaderConn *conn = data;
  ReaderRegistry *reg = conn->registry;

  g_mutex_lock (&reg->lock);
  if (!reg->closed)
    g_ptr_array_remove_fast (reg->conns, conn);
  reader_conn_close (conn);
  g_mutex_unlock (&reg->lock);
  registry_unref (reg);
  g_free (conn);
}

/* Closes every reader connection of a store being disposed. */
static void
registry_close (ReaderRegistry *reg)
{
  g_mutex_lock (&reg->lock);
  reg->closed = TRUE;
  for (guint i = 0; i < reg->conns->len; i++)
    reader_conn_close (g_ptr_array_index (reg->conns, i));
  g_ptr_array_set_size (reg->conns, 0);
  g_mutex_unlock (&reg->lock);
}

static void
free_thread_readers (gpointer table)
{
  g_hash_table_unref (table);
}

static gboolean
is_closed (gpointer key, gpointer value, gpointer user_data)
{
  ReaderConn *conn = value;
  gboolean closed;

  g_mutex_lock (&conn->registry->lock);
  closed = conn->registry->closed;
  g_mutex_unlock (&conn->registry->lock);
  return closed;
}

/* Drops this thread's connection to a store being disposed, and the thread's table with it
 * once empty (the main thread never runs GPrivate destructors). */
static void
forget_thread_reader (guint64 uid)
{
  GHashTable *table = g_private_get (&thread_readers);

  if (table == NULL)
    return;
  g_hash_table_remove (table, &uid);
  if (g_hash_table_size (table) == 0)
    g_private_replace (&thread_readers, NULL);
}

static ReaderConn *
get_reader (SlTileStore *self, GError **error)
{
  GHashTable *table = g_private_get (&thread_readers);
  ReaderConn *conn;
  sqlite3 *db;

  if (table == NULL)
    {
      table = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, reader_conn_free);
      g_private_set (&thread_readers, table);
    }
  conn = g_hash_table_lookup (table, &self->uid);
  if (conn != NULL)
    return conn;

  /* Stores disposed while this thread lived leave closed entries behind. */
  g_hash_table_foreach_remove (table, is_closed, NULL);

  db = _sl_project_open_connection (self->path, TRUE, error);
  if (db == NULL)
    return NULL;
  conn = g_new0 (ReaderConn, 1);
  conn->store_uid = self->uid;
  conn->db = db;
  conn->stmts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, finalize_stmt);
  g_atomic_ref_count_inc (&self->readers->ref);
  conn->registry = self->readers;
  g_mutex_lock (&self->readers->lock);
  g_ptr_array_add (self->readers->conns, conn);
  g_mutex_unlock (&self->readers->lock);
  g_hash_table_insert (table, &conn->store_uid, conn);
  return conn;
}

/* NULL without @error when the scene has no table (yet). */
static sqlite3_stmt *
reader_select_stmt (SlTileStore *self, ReaderConn *conn, gint64 scene_id, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->stmts, &scene_id);
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (stmt != NULL)
    return stmt;
  name = table_name (scene_id);
  sql = g_strdup_printf ("SELECT tile_data FROM \"%s\" WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                         name);
  if (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      if (!g_str_has_prefix (sqlite3_errmsg (conn->db), "no such table"))
        set_db_error (error, conn->db, self->path, "Cannot read tiles from");
      return NULL;
    }
  g_hash_table_insert (conn->stmts, g_memdup2 (&scene_id, sizeof scene_id), stmt);
  return stmt;
}

/* --- GObject --- */

static void
sl_tile_store_dispose (GObject *object)
{
  SlTileStore *self = SL_TILE_STORE (object);

  /* Readers first: when the read-write connection is the file's last, SQLite checkpoints and
   * removes the WAL as it closes; a read-only last connection cannot. */
  if (self->readers != NULL)
    {
      registry_close (self->readers);
      forget_thread_reader (self->uid);
      g_clear_pointer (&self->readers, registry_unref);
    }
  if (self->writer != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_signal (&self->work_cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->writer));
    }
  g_clear_pointer (&self->writer_db, sqlite3_close);
  G_OBJECT_CLASS (sl_tile_store_parent_class)->dispose (object);
}

static void
sl_tile_store_finalize (GObject *object)
{
  SlTileStore *self = SL_TILE_STORE (object);

  g_assert (g_queue_is_empty (&self->queue));
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->scenes);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->work_cond);
  g_cond_clear (&self->done_cond);
  g_free (self->path);
  G_OBJECT_CLASS (sl_tile_store_parent_class)->finalize (object);
}

static void
sl_tile_store_class_init (SlTileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_tile_store_dispose;
  object_class->finalize = sl_tile_store_finalize;
}

static void
sl_tile_store_init (SlTileStore *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->work_cond);
  g_cond_init (&self->done_cond);
  g_queue_init (&self->queue);
  self->scenes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->pending = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
}

/* --- public API --- */

SlTileStore *
sl_tile_store_new (const char  *project_path,
                   GError     **error)
{
  g_autoptr(SlTileStore) self = NULL;
  g_autoptr(SlStmt) stmt = NULL;

  g_return_val_if_fail (project_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SL_TYPE_TILE_STORE, NULL);
  self->path = g_strdup (project_path);
  self->uid = (guint64) g_atomic_int_add (&next_store_uid, 1) + 1;
  self->readers = registry_new ();

  self->writer_db = _sl_project_open_connection (project_path, FALSE, error);
  if (self->writer_db == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (self->writer_db, "SELECT 1 FROM sl_meta, sl_site LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_PROJECT,
                   "Cannot store tiles in ‘%s’: it is not a Sitelapse project", project_path);
      return NULL;
    }
  /* NORMAL: a committed batch may be lost to a power cut, never corrupted; tiles re-render. */
  if (!exec (self->writer_db, project_path, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384", error))
    return NULL;

  self->writer = g_thread_try_new ("sl-tile-writer", run_writer, self, error);
  if (self->writer == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
sl_tile_store_ensure_scene (SlTileStore  *self,
                            gint64        scene_id,
                            guint32       generation,
                            SlSiteGrid   *grid,
                            GError      **error)
{
  Op *op;
  SceneState *state;

  g_return_val_if_fail (SL_IS_TILE_STORE (self), FALSE);
  g_return_val_if_fail (scene_id > 0, FALSE);
  g_return_val_if_fail (grid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = g_new0 (Op, 1);
  op->kind = OP_ENSURE;
  op->scene_id = scene_id;
  op->generation = generation;
  op->grid = sl_site_grid_ref (grid);

  g_mutex_lock (&self->lock);
  state = ensure_scene_state (self, scene_id);
  /* Reads miss until the writer has checked (and maybe purged) the stored generation. */
  state->generation = generation;
  state->max_zoom = MAX (state->max_zoom, sl_site_grid_get_max_zoom (grid));
  state->pending_purges++;
  g_mutex_unlock (&self->lock);

  return run_sync (self, op, error);
}

void
sl_tile_store_set_generation (SlTileStore *self,
                              gint64       scene_id,
                              guint32      generation)
{
  SceneState *state;
  Op *op;

  g_return_if_fail (SL_IS_TILE_STORE (self));
  g_return_if_fail (scene_id > 0);

  g_mutex_lock (&self->lock);
  state = ensure_scene_state (self, scene_id);
  if (state->generation == generation && state->max_zoom >= 0)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  state->generation = generation;
  state->pending_purges++;
  op = g_new0 (Op, 1);
  op->kind = OP_PURGE;
  op->scene_id = scene_id;
  op->generation = generation;
  enqueue (self, op);
  g_mutex_unlock (&self->lock);
}

GBytes *
sl_tile_store_read (SlTileStore      *self,
                    const SlTileKey  *key,
                    GError          **error)
{
  SceneState *state;
  Op *pending;
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  GBytes *blob = NULL;
  int rc;

  g_return_val_if_fail (SL_IS_TILE_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->lock);
  state = lookup_scene (self, key->scene_id);
  if (state == NULL || state->max_zoom < 0 || state->generation != key->generation)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  /* Queued after any purge of older tiles, so current. */
  pending = g_hash_table_lookup (self->pending, key);
  if (pending != NULL)
    blob = g_bytes_ref (pending->blob);
  else if (state->pending_purges > 0)
    {
      /* The file may still hold tiles of the previous generation under this key. */
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  g_mutex_unlock (&self->lock);
  if (blob != NULL)
    return blob;

  conn = get_reader (self, error);
  if (conn == NULL)
    return NULL;
  stmt = reader_select_stmt (self, conn, key->scene_id, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, key->z);
  sqlite3_bind_int (stmt, 2, key->x);
  sqlite3_bind_int (stmt, 3, key->y);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    blob = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_DONE)
    set_db_error (error, conn->db, self->path, "Cannot read tiles from");
  sqlite3_reset (stmt);
  return blob;
}

void
sl_tile_store_write (SlTileStore     *self,
                     const SlTileKey *key,
                     GBytes          *blob)
{
  SceneState *state;
  Op *op;

  g_return_if_fail (SL_IS_TILE_STORE (self));
  g_return_if_fail (key != NULL && blob != NULL);
  g_return_if_fail (key->z >= 0 && key->z <= SL_SITE_GRID_MAX_LEVELS);
  g_return_if_fail (key->x >= 0 && key->y >= 0 && key->x < (1 << key->z) && key->y < (1 << key->z));

  g_mutex_lock (&self->lock);
  state = lookup_scene (self, key->scene_id);
  if (state == NULL || state->generation != key->generation)
    {
      self->dropped++;
      g_mutex_unlock (&self->lock);
      return;
    }
  if (key->z > state->max_zoom)
    {
      g_mutex_unlock (&self->lock);
      g_critical ("%s: zoom %d is finer than the grid of scene %" G_GINT64_FORMAT " (call ensure_scene first)",
                  G_STRFUNC, key->z, key->scene_id);
      return;
    }
  /* Backpressure: wait while the writer is far behind. */
  while (self->queued_bytes >= QUEUE_MAX_BYTES && !self->stopping)
    g_cond_wait (&self->done_cond, &self->lock);

  op = g_new0 (Op, 1);
  op->kind = OP_WRITE;
  op->key = *key;
  op->blob = g_bytes_ref (blob);
  op->queued_at = g_get_monotonic_time ();
  /* replace, not insert: the key pointer must be the newest op's. */
  g_hash_table_replace (self->pending, &op->key, op);
  enqueue (self, op);
  g_mutex_unlock (&self->lock);
}

void
sl_tile_store_flush (SlTileStore *self)
{
  guint64 target;

  g_return_if_fail (SL_IS_TILE_STORE (self));

  g_mutex_lock (&self->lock);
  target = self->n_enqueued;
  self->flush_waiters++;
  g_cond_signal (&self->work_cond);
  while (self->n_done < target)
    g_cond_wait (&self->done_cond, &self->lock);
  self->flush_waiters--;
  g_mutex_unlock (&self->lock);
}

gboolean
sl_tile_store_clear (SlTileStore  *self,
                     gint64        scene_id,
                     GError      **error)
{
  Op *op;

  g_return_val_if_fail (SL_IS_TILE_STORE (self), FALSE);
  g_return_val_if_fail (scene_id >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  op = g_new0 (Op, 1);
  op->kind = OP_CLEAR;
  op->scene_id = scene_id;
  return run_sync (self, op, error);
}

GArray *
sl_tile_store_get_stats (SlTileStore  *self,
                         GError      **error)
{
  g_autoptr(GArray) stats = g_array_new (FALSE, TRUE, sizeof (SlTileStoreStats));
  g_autoptr(SlStmt) tables = NULL;
  ReaderConn *conn;
  int rc;

  g_return_val_if_fail (SL_IS_TILE_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = get_reader (self, error);
  if (conn == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (conn->db, "SELECT CAST(substr(table_name, 10) AS INTEGER) FROM gpkg_contents"
                                    " WHERE data_type = 'tiles' AND table_name GLOB 'sl_tiles_[0-9]*'"
                                    " ORDER BY 1", -1, &tables, NULL) != SQLITE_OK)
    goto fail;
  while ((rc = sqlite3_step (tables)) == SQLITE_ROW)
    {
      SlTileStoreStats s = { .scene_id = sqlite3_column_int64 (tables, 0), .min_zoom = -1, .max_zoom = -1 };
      g_autofree char *name = table_name (s.scene_id);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*), total(length(tile_data)), min(zoom_level),"
                                              " max(zoom_level) FROM \"%s\"", name);
      g_autoptr(SlStmt) stmt = NULL;

      if (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          if (g_str_has_prefix (sqlite3_errmsg (conn->db), "no such table"))
            continue; /* registered but dropped by someone else */
          goto fail;
        }
      if (sqlite3_step (stmt) != SQLITE_ROW)
        goto fail;
      s.n_tiles = (guint64) sqlite3_column_int64 (stmt, 0);
      s.n_bytes = (guint64) sqlite3_column_double (stmt, 1);
      if (s.n_tiles > 0)
        {
          s.min_zoom = sqlite3_column_int (stmt, 2);
          s.max_zoom = sqlite3_column_int (stmt, 3);
        }
      g_array_append_val (stats, s);
    }
  if (rc != SQLITE_DONE)
    goto fail;
  return g_steal_pointer (&stats);

fail:
  set_db_error (error, conn->db, self->path, "Cannot read tile statistics from");
  return NULL;
}

void
sl_tile_store_get_writer_stats (SlTileStore *self,
                                guint64     *committed,
                                guint64     *batches,
                                guint64     *dropped)
{
  g_return_if_fail (SL_IS_TILE_STORE (self));

  g_mutex_lock (&self->lock);
  if (committed)
    *committed = self->committed;
  if (batches)
    *batches = self->batches;
  if (dropped)
    *dropped = self->dropped;
  g_mutex_unlock (&self->lock);
}
