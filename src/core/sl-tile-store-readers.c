/* sl-tile-store-readers.c — the tile store's read-only connections, one per thread
 *
 * Each thread keeps its connections in a GPrivate table keyed by the store's serial number
 * (never its address, which a later store may reuse). The connections are also listed in a
 * registry shared with the store, so disposing the store closes all of them even though the
 * threads live on; a thread that exits closes its own (GPrivate's destroy notify), and
 * entries of disposed stores are pruned when the thread opens its next connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-store"

#include "config.h"

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-tile-store-private.h"

/* Reader connections of one store, across threads. Outlives the store while threads still
 * hold entries. */
struct _SlTileReaders
{
  gatomicrefcount  ref;
  GMutex           lock;
  GPtrArray       *conns;  /* ReaderConn *, not owned */
  gboolean         closed;
};

typedef struct
{
  guint64        store_uid;
  SlTileReaders *registry;  /* a ref */
  sqlite3       *db;        /* NULL once closed */
  GHashTable    *stmts;     /* scene id (gint64 *) → SlStmt * */
} ReaderConn;

static void free_thread_readers (gpointer table);
static GPrivate thread_readers = G_PRIVATE_INIT (free_thread_readers);

static void
registry_unref (SlTileReaders *reg)
{
  if (!g_atomic_ref_count_dec (&reg->ref))
    return;
  g_assert (reg->conns->len == 0);
  g_ptr_array_unref (reg->conns);
  g_mutex_clear (&reg->lock);
  g_free (reg);
}

SlTileReaders *
_sl_tile_store_readers_new (void)
{
  SlTileReaders *reg = g_new0 (SlTileReaders, 1);

  g_atomic_ref_count_init (&reg->ref);
  g_mutex_init (&reg->lock);
  reg->conns = g_ptr_array_new ();
  return reg;
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
  SlTileReaders *reg = conn->registry;

  g_mutex_lock (&reg->lock);
  if (!reg->closed)
    g_ptr_array_remove_fast (reg->conns, conn);
  reader_conn_close (conn);
  g_mutex_unlock (&reg->lock);
  registry_unref (reg);
  g_free (conn);
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
  conn->stmts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, _sl_tile_store_finalize_stmt);
  g_atomic_ref_count_inc (&self->readers->ref);
  conn->registry = self->readers;
  g_mutex_lock (&self->readers->lock);
  g_ptr_array_add (self->readers->conns, conn);
  g_mutex_unlock (&self->readers->lock);
  g_hash_table_insert (table, &conn->store_uid, conn);
  return conn;
}

void
_sl_tile_store_readers_close (SlTileStore *self)
{
  SlTileReaders *reg = g_steal_pointer (&self->readers);
  GHashTable *table = g_private_get (&thread_readers);

  if (reg == NULL)
    return;
  g_mutex_lock (&reg->lock);
  reg->closed = TRUE;
  for (guint i = 0; i < reg->conns->len; i++)
    reader_conn_close (g_ptr_array_index (reg->conns, i));
  g_ptr_array_set_size (reg->conns, 0);
  g_mutex_unlock (&reg->lock);

  /* This thread's entry goes now, and its table with it once empty: the main thread never
   * runs GPrivate destructors. */
  if (table != NULL)
    {
      g_hash_table_remove (table, &self->uid);
      if (g_hash_table_size (table) == 0)
        g_private_replace (&thread_readers, NULL);
    }
  registry_unref (reg);
}

sqlite3 *
_sl_tile_store_reader_db (SlTileStore *self, GError **error)
{
  ReaderConn *conn = get_reader (self, error);

  return conn != NULL ? conn->db : NULL;
}

sqlite3_stmt *
_sl_tile_store_reader_select (SlTileStore *self, gint64 scene_id, GError **error)
{
  ReaderConn *conn = get_reader (self, error);
  sqlite3_stmt *stmt;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (conn == NULL)
    return NULL;
  stmt = g_hash_table_lookup (conn->stmts, &scene_id);
  if (stmt != NULL)
    return stmt;
  name = _sl_tile_store_table_name (scene_id);
  sql = g_strdup_printf ("SELECT tile_data FROM \"%s\" WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                         name);
  if (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      if (!g_str_has_prefix (sqlite3_errmsg (conn->db), "no such table"))
        _sl_tile_store_set_db_error (error, conn->db, self->path, "Cannot read tiles from");
      return NULL;
    }
  g_hash_table_insert (conn->stmts, g_memdup2 (&scene_id, sizeof scene_id), stmt);
  return stmt;
}
