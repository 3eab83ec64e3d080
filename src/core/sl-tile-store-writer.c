/* sl-tile-store-writer.c — the tile store's one writer thread and what it does to the file
 *
 * It owns the read-write connection (synchronous=NORMAL: tiles are a cache, and losing the
 * last batch to a power cut costs a re-render, never a corrupt file). Writes are committed
 * in batches of up to SL_TILE_STORE_BATCH_TILES, or what came within SL_TILE_STORE_BATCH_DELAY,
 * one transaction each, with INSERT OR REPLACE; control ops (ensure, purge, extent, clear) run
 * alone, in queue order. The store's lock is never held while SQLite works.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-store"

#include "config.h"

#include "sl-autocleanups-private.h"
#include "sl-project.h"
#include "sl-tile-store-private.h"

static gboolean
exec (sqlite3 *db, const char *path, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _sl_tile_store_set_db_error (error, db, path, "Cannot write tiles to");
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
      g_autofree char *name = _sl_tile_store_table_name (scene_id);
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
  g_autofree char *name = _sl_tile_store_table_name (scene_id);

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
      SlTileOp *op = g_ptr_array_index (batch, i);
      sqlite3_stmt *stmt = writer_insert_stmt (w, op->key.scene_id);
      gsize size;
      const void *data = g_bytes_get_data (op->blob, &size);

      if (stmt == NULL)
        {
          if (g_str_has_prefix (sqlite3_errmsg (w->db), "no such table"))
            continue;
          _sl_tile_store_set_db_error (&error, w->db, self->path, "Cannot write tiles to");
          goto fail;
        }
      sqlite3_bind_int (stmt, 1, op->key.z);
      sqlite3_bind_int (stmt, 2, op->key.x);
      sqlite3_bind_int (stmt, 3, op->key.y);
      sqlite3_bind_blob64 (stmt, 4, data, size, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          /* The scene was removed (sl_project_remove_scene drops its table) after this
           * statement was prepared: its queued tiles have nowhere to go, and need none. */
          if (g_str_has_prefix (sqlite3_errmsg (w->db), "no such table"))
            {
              g_hash_table_remove (w->inserts, &op->key.scene_id);
              continue;
            }
          _sl_tile_store_set_db_error (&error, w->db, self->path, "Cannot write tiles to");
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
        _sl_tile_store_set_db_error (&error, w->db, self->path, "Cannot write tiles to");
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
  g_autofree char *name = _sl_tile_store_table_name (scene_id);
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
  _sl_tile_store_set_db_error (error, w->db, w->self->path, "Cannot write tiles to");
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
register_table (Writer *w, SlTileOp *op, GError **error)
{
  g_autofree char *name = _sl_tile_store_table_name (op->scene_id);
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
                                 " ON CONFLICT (table_name) DO UPDATE SET srs_id = excluded.srs_id",
                          -1, &stmt, NULL) != SQLITE_OK)
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
  _sl_tile_store_set_db_error (error, w->db, w->self->path, "Cannot create the tile table in");
  return FALSE;
}

static gboolean
run_ensure (Writer *w, SlTileOp *op, GError **error)
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
run_purge (Writer *w, SlTileOp *op, GError **error)
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
run_extent (Writer *w, SlTileOp *op, GError **error)
{
  g_autofree char *name = _sl_tile_store_table_name (op->scene_id);
  g_autoptr(SlStmt) stmt = NULL;

  /* Within the tile matrix set, as the specification requires. */
  if (sqlite3_prepare_v2 (w->db, "UPDATE gpkg_contents SET"
                                 " min_x = max(?2, (SELECT min_x FROM gpkg_tile_matrix_set WHERE table_name = ?1)),"
                                 " min_y = max(?3, (SELECT min_y FROM gpkg_tile_matrix_set WHERE table_name = ?1)),"
                                 " max_x = min(?4, (SELECT max_x FROM gpkg_tile_matrix_set WHERE table_name = ?1)),"
                                 " max_y = min(?5, (SELECT max_y FROM gpkg_tile_matrix_set WHERE table_name = ?1)),"
                                 " last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                                 " WHERE table_name = ?1 AND EXISTS"
                                 " (SELECT 1 FROM gpkg_tile_matrix_set WHERE table_name = ?1)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 2, op->extent.min_x);
  sqlite3_bind_double (stmt, 3, op->extent.min_y);
  sqlite3_bind_double (stmt, 4, op->extent.max_x);
  sqlite3_bind_double (stmt, 5, op->extent.max_y);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;

fail:
  _sl_tile_store_set_db_error (error, w->db, w->self->path, "Cannot write tiles to");
  return FALSE;
}

static gboolean
run_clear (Writer *w, SlTileOp *op, GError **error)
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
      g_autofree char *name = _sl_tile_store_table_name (*(gint64 *) g_ptr_array_index (scenes, i));
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
  _sl_tile_store_set_db_error (error, w->db, w->self->path, "Cannot clear the tiles of");
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Called with the lock held; drops it while SQLite works. */
static void
run_control (Writer *w, SlTileOp *op)
{
  SlTileStore *self = w->self;
  GError *error = NULL;

  self->n_queued_controls--;
  g_mutex_unlock (&self->lock);
  switch (op->kind)
    {
    case SL_TILE_OP_ENSURE:
      run_ensure (w, op, &error);
      break;
    case SL_TILE_OP_PURGE:
      run_purge (w, op, &error);
      break;
    case SL_TILE_OP_EXTENT:
      run_extent (w, op, &error);
      break;
    case SL_TILE_OP_CLEAR:
    default:
      run_clear (w, op, &error);
      break;
    }
  g_mutex_lock (&self->lock);

  self->n_done++;
  if (op->kind == SL_TILE_OP_PURGE || op->kind == SL_TILE_OP_ENSURE)
    {
      SlTileSceneState *state = _sl_tile_store_lookup_scene (self, op->scene_id);

      g_assert (state != NULL && state->pending_purges > 0);
      state->pending_purges--;
    }
  if (op->kind == SL_TILE_OP_PURGE || op->kind == SL_TILE_OP_EXTENT)
    {
      /* Nobody waits for these: report a failure here. */
      if (error != NULL)
        g_warning ("%s", error->message);
      g_clear_error (&error);
      _sl_tile_store_op_free (op);
    }
  else
    {
      op->error = error;
      op->done = TRUE;
    }
  g_cond_broadcast (&self->done_cond);
}

/* Called with the lock held: waits for a full batch (or a full queue), a control op, a flush,
 * a stop, or the first write's deadline; then commits up to SL_TILE_STORE_BATCH_TILES writes
 * with the lock dropped. */
static void
run_batch (Writer *w, SlTileOp *head)
{
  SlTileStore *self = w->self;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func ((GDestroyNotify) _sl_tile_store_op_free);
  gint64 deadline = head->queued_at + SL_TILE_STORE_BATCH_DELAY;
  guint n_committed = 0, n_stale = 0;
  SlTileOp *op;

  while (self->n_queued_writes < SL_TILE_STORE_BATCH_TILES &&
         self->queued_bytes < SL_TILE_STORE_QUEUE_BYTES &&
         self->n_queued_controls == 0 && self->flush_waiters == 0 && !self->stopping)
    if (!g_cond_wait_until (&self->work_cond, &self->lock, deadline))
      break;

  while (taken->len < SL_TILE_STORE_BATCH_TILES && (op = g_queue_peek_head (&self->queue)) != NULL &&
         op->kind == SL_TILE_OP_WRITE)
    {
      SlTileSceneState *state = _sl_tile_store_lookup_scene (self, op->key.scene_id);

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

gpointer
_sl_tile_store_run_writer (gpointer data)
{
  Writer w = { .self = data };
  SlTileStore *self = w.self;
  SlTileOp *head;

  w.db = self->writer_db;
  w.inserts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, _sl_tile_store_finalize_stmt);

  g_mutex_lock (&self->lock);
  for (;;)
    {
      while (g_queue_is_empty (&self->queue) && !self->stopping)
        g_cond_wait (&self->work_cond, &self->lock);
      head = g_queue_peek_head (&self->queue);
      if (head == NULL)
        break; /* stopping, and everything is written */
      if (head->kind == SL_TILE_OP_WRITE)
        run_batch (&w, head);
      else
        run_control (&w, g_queue_pop_head (&self->queue));
    }
  g_mutex_unlock (&self->lock);

  g_hash_table_unref (w.inserts);
  return NULL;
}
