/* sl-tile-store-private.h — what the tile store's files share: the queue, its ops, the state
 *
 * sl-tile-store.c holds the object and the public API (queueing), sl-tile-store-writer.c the
 * writer thread and everything it does to the file, sl-tile-store-readers.c the per-thread
 * read connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sl-tile-store.h"

G_BEGIN_DECLS

/* A batch (one transaction) is at most this many tiles, or what came within this delay of its
 * first tile. */
#define SL_TILE_STORE_BATCH_TILES 1000
#define SL_TILE_STORE_BATCH_DELAY (100 * G_TIME_SPAN_MILLISECOND)
/* Producers wait when this many encoded bytes are queued (a writer far behind must not eat
 * the memory budget). */
#define SL_TILE_STORE_QUEUE_BYTES (64 * 1024 * 1024)

typedef enum
{
  SL_TILE_OP_WRITE,
  SL_TILE_OP_ENSURE,
  SL_TILE_OP_PURGE,    /* set_generation */
  SL_TILE_OP_EXTENT,   /* set_extent */
  SL_TILE_OP_CLEAR,
} SlTileOpKind;

/* One entry of the writer's queue. */
typedef struct
{
  SlTileOpKind  kind;
  SlTileKey     key;         /* WRITE */
  GBytes       *blob;        /* WRITE */
  gint64        queued_at;   /* WRITE, monotonic µs */
  gint64        scene_id;    /* ENSURE, PURGE, EXTENT, CLEAR (0: every scene) */
  guint32       generation;  /* ENSURE, PURGE */
  SlSiteGrid   *grid;        /* ENSURE */
  SlBounds      extent;      /* EXTENT */
  gboolean      done;        /* ENSURE, CLEAR: set by the writer; the caller frees the op */
  GError       *error;
} SlTileOp;

/* What the store knows of one scene. */
typedef struct
{
  guint32 generation;
  int     max_zoom;        /* -1 until ensured */
  guint   pending_purges;  /* reads miss until the old tiles are deleted */
} SlTileSceneState;

typedef struct _SlTileReaders SlTileReaders;

struct _SlTileStore
{
  GObject         parent_instance;

  char           *path;
  guint64         uid;
  SlTileReaders  *readers;

  GMutex          lock;          /* everything below */
  GCond           work_cond;     /* to the writer: work queued, flush or stop requested */
  GCond           done_cond;     /* from the writer: ops completed */
  GHashTable     *scenes;        /* gint64 * → SlTileSceneState * */
  GQueue          queue;         /* SlTileOp * */
  guint           n_queued_writes;
  guint           n_queued_controls;
  gsize           queued_bytes;
  GHashTable     *pending;       /* SlTileKey * (inside the op) → newest queued write SlTileOp * */
  guint64         n_enqueued, n_done;
  guint           flush_waiters;
  gboolean        stopping;
  guint64         committed, batches, dropped;

  GThread        *writer;
  sqlite3        *writer_db;     /* owned by the writer thread once it runs */
};

/* sl-tile-store.c */
char             *_sl_tile_store_table_name    (gint64 scene_id);
void              _sl_tile_store_set_db_error  (GError **error, sqlite3 *db, const char *path, const char *what);
void              _sl_tile_store_finalize_stmt (gpointer stmt);
void              _sl_tile_store_op_free       (SlTileOp *op);
/* With the lock held. */
SlTileSceneState *_sl_tile_store_lookup_scene  (SlTileStore *self, gint64 scene_id);

/* sl-tile-store-writer.c: the writer thread's body; drains the queue, returns once stopping. */
gpointer          _sl_tile_store_run_writer    (gpointer store);

/* sl-tile-store-readers.c */
SlTileReaders    *_sl_tile_store_readers_new   (void);
/* Closes every reader connection of the store (any thread's) and drops its registry. */
void              _sl_tile_store_readers_close (SlTileStore *self);
/* This thread's read-only connection to the store's file, opened on first use. */
sqlite3          *_sl_tile_store_reader_db     (SlTileStore *self, GError **error);
/* This thread's prepared SELECT of a tile of @scene_id; NULL without @error when the scene
 * has no table (yet). */
sqlite3_stmt     *_sl_tile_store_reader_select (SlTileStore *self, gint64 scene_id, GError **error);

G_END_DECLS
