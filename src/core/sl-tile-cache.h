/* sl-tile-cache.h — memory LRU + project tile tables + GDAL, behind one scheduler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-project.h"
#include "sl-raster-source.h"
#include "sl-tile-key.h"

G_BEGIN_DECLS

#define SL_TILE_CACHE_ERROR (sl_tile_cache_error_quark ())

typedef enum
{
  SL_TILE_CACHE_ERROR_NO_SCENE,  /* the project has no such scene (any more) */
  SL_TILE_CACHE_ERROR_PARTIAL,   /* a pyramid was built, but some tiles could not be read */
} SlTileCacheError;

/* A decoded display tile: SL_TILE_BYTES of cairo ARGB32 (premultiplied), immutable. The GUI
 * wraps it in a GdkMemoryTexture (GDK_MEMORY_DEFAULT) without a copy. */
typedef struct
{
  SlTileKey      key;
  GBytes        *argb;      /* NULL for an EMPTY tile (nothing to draw) */
  SlTileContent  content;
} SlTile;

/* The pipeline of DESIGN.md:
 *   memory LRU (byte budget) ─miss→ scheduler (one job per key, priority, cancellation)
 *   → worker: project tile table ─miss→ GDAL (this thread's own SlRasterSource) → encode
 *   → single batching writer.
 * The main-thread API never blocks on I/O or decoding. Results come back on the main context
 * that created the cache, as the "tile-ready" signal (SlTileKey *, const SlTile *) or
 * "tile-failed" (SlTileKey *, GError *), each once per key; a failed key is not retried in
 * its generation. "scene-invalidated" (gint64 scene id) says a scene's keys changed (a new
 * render generation, its stretch resolved, added or removed): ask for new keys.
 *
 * A scene whose stretch is not resolved yet (percentiles not computed) gets it computed once
 * on a worker before any of its tiles is rendered; the cache then stores it in the project
 * (on the main thread), which starts the generation its tiles are rendered with. */
#define SL_TYPE_TILE_CACHE (sl_tile_cache_get_type ())
G_DECLARE_FINAL_TYPE (SlTileCache, sl_tile_cache, SL, TILE_CACHE, GObject)

GQuark        sl_tile_cache_error_quark    (void);

/* @budget_bytes: memory tier (0: an eighth of RAM, at most 256 MB); @n_workers: GDAL threads (0: number of cores).
 * Follows the project's scenes and render parameters (its signals). The calling thread is
 * the cache's main thread, and its thread-default main context gets the results. */
SlTileCache  *sl_tile_cache_new            (SlProject       *project,
                                            gsize            budget_bytes,
                                            guint            n_workers,
                                            GError         **error);
/* Main thread: the site grid (NULL for a project without scenes). */
SlSiteGrid   *sl_tile_cache_get_grid       (SlTileCache     *self);
/* Main thread: the memory tier's byte budget (0: the default, as for _new), e.g. from the preferences. */
void          sl_tile_cache_set_budget     (SlTileCache     *self,
                                            gsize            budget_bytes);
/* The key of tile (z, x, y) of @scene_id in its current generation. */
SlTileKey     sl_tile_cache_key            (SlTileCache     *self,
                                            gint64           scene_id,
                                            int              z,
                                            int              x,
                                            int              y);
/* The finest level worth rendering for a scene (-1 for an unknown scene or one that cannot
 * be placed), and its footprint in site coordinates. Any thread, no I/O. */
int           sl_tile_cache_get_native_zoom (SlTileCache    *self,
                                            gint64           scene_id);
gboolean      sl_tile_cache_get_footprint  (SlTileCache     *self,
                                            gint64           scene_id,
                                            SlBounds        *bounds);

/* Main thread, no I/O: the tile if it is in memory (refreshes its LRU position). It stays
 * valid until the main loop runs again, or the main thread calls get_sync, set_budget or
 * clear (only those, and results arriving, change the memory tier). */
const SlTile *sl_tile_cache_lookup         (SlTileCache     *self,
                                            const SlTileKey *key);
/* Main thread: what @owner (a pane, an export) wants now, most important first (the order
 * is the priority). Replaces @owner's previous wants; queued jobs nobody wants any more are
 * cancelled. Tiles already in memory are not queued. */
void          sl_tile_cache_want           (SlTileCache     *self,
                                            gpointer         owner,
                                            const SlTileKey *keys,
                                            guint            n_keys);
void          sl_tile_cache_forget_owner   (SlTileCache     *self,
                                            gpointer         owner);

/* Blocking, any thread but the main one of a GUI: the tile through every tier. For the CLI,
 * exports and benchmarks. Returns a new SlTile (free with sl_tile_free) or NULL + error.
 * Works without a main loop: called on the thread that created the cache, it iterates that
 * thread's main context while it waits for a stretch to be resolved. A key of an older
 * generation gets the tile of the current one (the returned tile's key says which). */
SlTile       *sl_tile_cache_get_sync       (SlTileCache     *self,
                                            const SlTileKey *key,
                                            GCancellable    *cancellable,
                                            GError         **error);
SlTile       *sl_tile_new                  (const SlTileKey *key,
                                            GBytes          *argb,
                                            SlTileContent    content);
SlTile       *sl_tile_copy                 (const SlTile    *tile);
void          sl_tile_free                 (SlTile          *tile);

typedef void (*SlTileProgress) (guint64 done, guint64 total, gpointer user_data);
/* Renders and stores every tile of @scene_id (0: every scene) from its native level up to
 * zoom 0 — the "display pyramid" — on all workers, reading the source once at full
 * resolution and building coarser levels from finer tiles. @progress is called from the
 * calling thread. Same as sl_tile_cache_build_pyramid (…, SL_PYRAMID_FULL, …). */
gboolean      sl_tile_cache_warm           (SlTileCache     *self,
                                            gint64           scene_id,
                                            SlTileProgress   progress,
                                            gpointer         user_data,
                                            GCancellable    *cancellable,
                                            GError         **error);

typedef enum
{
  SL_PYRAMID_FULL,       /* every level, native resolution included: a self-contained project */
  SL_PYRAMID_OVERVIEWS,  /* only the levels coarser than native (a source without overviews);
                          * native tiles are still read, once, but not stored */
} SlPyramidMode;

/* Blocking, any thread (on the main one only without a running main loop). Tiles already
 * stored are reused. Tiles that cannot be read are left out (with the levels above them) and
 * reported as SL_TILE_CACHE_ERROR_PARTIAL after the rest is built. */
gboolean      sl_tile_cache_build_pyramid  (SlTileCache     *self,
                                            gint64           scene_id,
                                            SlPyramidMode    mode,
                                            SlTileProgress   progress,
                                            gpointer         user_data,
                                            GCancellable    *cancellable,
                                            GError         **error);
/* The same in the background (the GUI): @progress is called on the main context. */
void          sl_tile_cache_build_pyramid_async  (SlTileCache        *self,
                                                  gint64              scene_id,
                                                  SlPyramidMode       mode,
                                                  SlTileProgress      progress,
                                                  gpointer            progress_data,
                                                  GDestroyNotify      progress_data_free,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean      sl_tile_cache_build_pyramid_finish (SlTileCache        *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
/* Empties the memory tier and (with @persistent) the project's tile tables. */
gboolean      sl_tile_cache_clear          (SlTileCache     *self,
                                            gint64           scene_id,
                                            gboolean         persistent,
                                            GError         **error);

typedef struct
{
  guint64 memory_hits, store_hits, source_reads, failures, cancelled, coalesced;
  gsize   memory_bytes, budget_bytes;
  guint   memory_tiles, queued, running;
} SlTileCacheStats;

void          sl_tile_cache_get_stats      (SlTileCache     *self,
                                            SlTileCacheStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTile, sl_tile_free)

G_END_DECLS
