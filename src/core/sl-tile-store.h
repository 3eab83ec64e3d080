/* sl-tile-store.h — the persistent tier of the tile cache: tile tables in the project file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-site-grid.h"
#include "sl-tile-key.h"

G_BEGIN_DECLS

/* Each scene's display tiles live in a GeoPackage tile table `sl_tiles_<scene id>` of the
 * project file (registered in gpkg_contents / gpkg_tile_matrix_set / gpkg_tile_matrix, so
 * QGIS can show them), filled lazily as tiles are rendered.
 *
 * Reads come from any thread, each on its own read connection. Writes are queued to ONE
 * writer thread that commits them in batches (up to 1000 tiles or 100 ms); a write whose
 * generation is older than the scene's current one is dropped. */
#define SL_TYPE_TILE_STORE (sl_tile_store_get_type ())
G_DECLARE_FINAL_TYPE (SlTileStore, sl_tile_store, SL, TILE_STORE, GObject)

SlTileStore *sl_tile_store_new              (const char    *project_path,
                                             GError       **error);
/* Creates the scene's tile table and its tile matrix rows (levels 0 … max zoom of @grid) if
 * missing, and records @generation as current for the scene. The file remembers the
 * generation of its tiles (sl_meta `sl_tiles_<id>.generation`): stored tiles of another
 * generation (left by a crash between the project's bump and the purge) are deleted.
 * Call it before writing a scene's tiles. Synchronous (waits for the writer), any thread. */
gboolean     sl_tile_store_ensure_scene     (SlTileStore   *self,
                                             gint64         scene_id,
                                             guint32        generation,
                                             SlSiteGrid    *grid,
                                             GError       **error);
/* A new render generation: queued writes of older ones are dropped and the scene's stored
 * tiles are deleted (by the writer thread, in order with the writes). */
void         sl_tile_store_set_generation   (SlTileStore   *self,
                                             gint64         scene_id,
                                             guint32        generation);
/* Sets the scene's extent in gpkg_contents (clipped to the tile matrix set) to @footprint,
 * its footprint in site coordinates; queued like a write. Until then gpkg_contents holds zoom
 * 0's extent, about 2^22 × 256 pixels a side: GDAL sizes a tile table's raster from that
 * extent, so without a footprint it cannot open tiles finer than zoom 22 (over 2^31 pixels)
 * and QGIS's "zoom to layer" shows half a planet. */
void         sl_tile_store_set_extent       (SlTileStore    *self,
                                             gint64          scene_id,
                                             const SlBounds *footprint);
/* The encoded blob of @key, or NULL when not stored (or stale, or the scene was never
 * ensured). Writes still queued are found too. Any thread; each has its own read-only
 * connection, closed when the thread exits or the store is disposed. */
GBytes      *sl_tile_store_read             (SlTileStore   *self,
                                             const SlTileKey *key,
                                             GError       **error);
/* Queues @blob for writing; returns at once (unless 64 MB of tiles already wait for the
 * writer: then it waits for room). Writes of another generation than the scene's current
 * one, or of a scene never ensured, are dropped. */
void         sl_tile_store_write            (SlTileStore   *self,
                                             const SlTileKey *key,
                                             GBytes        *blob);
/* Blocks until every write queued before this call is committed (or dropped). */
void         sl_tile_store_flush            (SlTileStore   *self);
/* Deletes the tiles of one scene (@scene_id > 0) or of all scenes (0). */
gboolean     sl_tile_store_clear            (SlTileStore   *self,
                                             gint64         scene_id,
                                             GError       **error);

typedef struct
{
  gint64  scene_id;
  guint64 n_tiles;
  guint64 n_bytes;
  int     min_zoom, max_zoom;
} SlTileStoreStats;

/* One entry per scene table, sorted by scene id: committed tiles only (flush first for
 * queued ones). min/max_zoom are -1 when the table is empty. */
GArray      *sl_tile_store_get_stats        (SlTileStore   *self,
                                             GError       **error);
/* Writer figures since creation: tiles committed, batches, tiles dropped as stale. */
void         sl_tile_store_get_writer_stats (SlTileStore   *self,
                                             guint64       *committed,
                                             guint64       *batches,
                                             guint64       *dropped);

G_END_DECLS
