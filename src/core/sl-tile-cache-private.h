/* sl-tile-cache-private.h — SlTileCache's internals, shared by its source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-tile-cache.h"
#include "sl-tile-lru.h"
#include "sl-tile-scheduler.h"
#include "sl-tile-store.h"

G_BEGIN_DECLS

#define SL_TILE_CACHE_N_RECENT 16

/* What the workers need to know of one scene, as of one moment: immutable, reference
 * counted, replaced (never changed) when the scene changes. */
typedef struct
{
  gatomicrefcount  ref_count;
  gint64           id;
  guint32          generation;
  SlScene         *scene;          /* our own copy: nobody changes it */
  char            *path;           /* the resolved source */
  SlRenderParams  *params;
  SlSiteGrid      *grid;
  gboolean         placed;         /* footprint and native_zoom are known */
  SlBounds         footprint;
  int              native_zoom;
  GError          *resolve_error;  /* its stretch could not be computed: every tile fails */
  gint             store_synced;   /* atomic: the store knows this generation and grid */
  gint             store_failed;   /* atomic: the store cannot take this scene's tiles */
} SlSceneInfo;

typedef enum
{
  DELIVERY_TILE,
  DELIVERY_FAILURE,
  DELIVERY_RESOLVED,
} DeliveryKind;

/* A result on its way to the main context. */
typedef struct
{
  DeliveryKind     kind;
  SlTileKey        key;        /* TILE, FAILURE; RESOLVED: scene id and generation */
  SlTile          *tile;       /* TILE */
  GError          *error;      /* FAILURE; RESOLVED when the stretch failed */
  SlRenderParams  *params;     /* RESOLVED */
} SlDelivery;

typedef enum
{
  STAT_MEMORY_HIT,
  STAT_STORE_HIT,
  STAT_SOURCE_READ,
  STAT_COALESCED,
} SlTileStat;

struct _SlTileCache
{
  GObject           parent_instance;

  SlProject        *project;          /* main thread only */
  char             *project_path;
  GMainContext     *context;          /* of the creating thread: results are delivered there */
  GThread          *owner;            /* the creating thread */
  gulong            scenes_changed_id;
  gulong            render_changed_id;
  SlTileStore      *store;            /* thread-safe */
  SlTileLru        *lru;              /* its own lock; tiles are added and removed on the main thread */
  SlTileScheduler  *scheduler;        /* its own lock */

  GMutex            scenes_lock;      /* protects scenes and grid */
  GCond             scenes_cond;      /* a scene's snapshot was replaced */
  GHashTable       *scenes;           /* gint64 * → SlSceneInfo * */
  SlSiteGrid       *grid;
  gint              scenes_epoch;     /* atomic: bumped when scenes go away */

  GMutex            store_lock;       /* held while telling the store about a scene, so the store
                                       * only ever moves to newer generations; protects store_zoom */
  GHashTable       *store_zoom;       /* gint64 * → finest level the store's table was set up for */

  /* Main thread only. */
  GHashTable       *owners;           /* gpointer → GArray of SlTileKey */
  GHashTable       *wanted;           /* the union of the owners' wants: SlTileKey * → rank + 1 */
  GHashTable       *resolving;        /* scene ids (gint64 *) whose stretch a worker computes */

  GMutex            deliver_lock;     /* protects deliveries, deliver_source and recent */
  GQueue            deliveries;       /* SlDelivery * */
  GHashTable       *delivering;       /* keys of the tiles in deliveries: a set; a tile on its
                                       * way to memory is not asked for again */
  GSource          *deliver_source;   /* attached to context while deliveries wait */
  SlTile           *recent[SL_TILE_CACHE_N_RECENT];  /* the last tiles workers produced (a ring),
                                       * for coarser tiles built from them before the main
                                       * thread has put them in the memory tier */
  guint             recent_next;

  GMutex            stats_lock;       /* protects stats */
  SlTileCacheStats  stats;
};

/* sl-tile-cache.c */
void            _sl_tile_cache_count           (SlTileCache   *self,
                                                SlTileStat     stat);
/* Any thread: queues @delivery (taken) for the main context. */
void            _sl_tile_cache_deliver         (SlTileCache   *self,
                                                SlDelivery    *delivery);

/* Any thread: remembers @tile (copied) among the recent ones. */
void            _sl_tile_cache_add_recent      (SlTileCache   *self,
                                                const SlTile  *tile);
/* Any thread: the tile of @key from the memory tier or the recent ones (a new SlTile sharing
 * its pixels), or NULL. */
SlTile         *_sl_tile_cache_dup_in_memory   (SlTileCache   *self,
                                                const SlTileKey *key);

/* sl-tile-cache-pyramid.c: the 2×2 box average of four tiles (NULL: transparent) into @out. */
SlTileContent   _sl_tile_cache_average         (GBytes *const  children[4],
                                                guint8        *out);

/* sl-tile-cache-worker.c */
const SlTileSchedulerFuncs *_sl_tile_cache_get_worker_funcs (void);
/* On a worker, with its thread data: this thread's source for @info's scene, opened lazily
 * (an open that failed is not retried for the same snapshot). Borrowed. */
SlRasterSource *_sl_tile_cache_worker_source   (gpointer       thread_data,
                                                SlSceneInfo   *info,
                                                GError       **error);
/* Decodes a stored blob into a new tile of @key. */
SlTile         *_sl_tile_cache_decode          (const SlTileKey *key,
                                                GBytes        *blob,
                                                GError       **error);

/* sl-tile-cache-scenes.c */
SlSceneInfo    *_sl_scene_info_ref             (SlSceneInfo   *info);
void            _sl_scene_info_unref           (SlSceneInfo   *info);
/* Any thread: the scene's current snapshot, or NULL. */
SlSceneInfo    *_sl_tile_cache_dup_scene       (SlTileCache   *self,
                                                gint64         scene_id);
/* Main thread: reads the project's scenes and grid, and follows its signals. */
gboolean        _sl_tile_cache_load_scenes     (SlTileCache   *self,
                                                GError       **error);
/* Main thread: the stretch of a scene was computed on a worker. */
void            _sl_tile_cache_apply_resolved  (SlTileCache   *self,
                                                SlDelivery    *delivery);
/* Any thread: the scene's snapshot once its stretch is resolved (waiting for that), or NULL
 * with an error. */
SlSceneInfo    *_sl_tile_cache_wait_resolved   (SlTileCache   *self,
                                                gint64         scene_id,
                                                GCancellable  *cancellable,
                                                GError       **error);
/* A worker: makes sure the store has the scene's table and generation before reading or
 * writing its tiles. FALSE when @info is no longer current. */
gboolean        _sl_tile_cache_sync_store      (SlTileCache   *self,
                                                SlSceneInfo   *info);
/* Whether tiles of @info may be written to the store (its table is set up, @z not too fine). */
gboolean        _sl_tile_cache_can_store       (SlSceneInfo   *info,
                                                int            z);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSceneInfo, _sl_scene_info_unref)

G_END_DECLS
