/* sl-tile-lru.h — the memory tier of the tile cache: decoded tiles under a byte budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-tile-cache.h"

G_BEGIN_DECLS

/* Decoded tiles, least recently used first out, with tiles some owner currently wants kept
 * until every other tile has gone. The cache's main thread is the only one that adds or
 * removes tiles (so a `const SlTile *` it got from sl_tile_lru_lookup() stays valid until
 * it adds or removes tiles again); other threads may only copy tiles out. A mutex makes
 * those copies safe against the main thread's changes. */
typedef struct _SlTileLru SlTileLru;

SlTileLru    *sl_tile_lru_new          (gsize             budget_bytes);
void          sl_tile_lru_free         (SlTileLru        *self);

/* Main thread. Evicts down to the new budget. */
void          sl_tile_lru_set_budget   (SlTileLru        *self,
                                        gsize             budget_bytes);
/* Main thread: the tile, moved to the front. */
const SlTile *sl_tile_lru_lookup       (SlTileLru        *self,
                                        const SlTileKey  *key);
/* Any thread: a new SlTile sharing the tile's pixels, moved to the front; NULL if absent. */
SlTile       *sl_tile_lru_dup          (SlTileLru        *self,
                                        const SlTileKey  *key);
/* Any thread, no LRU update. */
gboolean      sl_tile_lru_contains     (SlTileLru        *self,
                                        const SlTileKey  *key);
/* Main thread: takes @tile (replacing a tile of the same key), then evicts down to the
 * budget — never the tile just added. */
void          sl_tile_lru_insert       (SlTileLru        *self,
                                        SlTile           *tile,
                                        gboolean          wanted);
/* Main thread: @wanted (a set of SlTileKey *, borrowed) is what the owners want now. */
void          sl_tile_lru_set_wanted   (SlTileLru        *self,
                                        GHashTable       *wanted);
/* Main thread: drops the tiles of @scene_id (every scene when 0) whose generation is below
 * @below_generation (G_MAXUINT32: all of them). */
void          sl_tile_lru_drop         (SlTileLru        *self,
                                        gint64            scene_id,
                                        guint32           below_generation);
void          sl_tile_lru_get_usage    (SlTileLru        *self,
                                        gsize            *bytes,
                                        guint            *n_tiles,
                                        gsize            *budget_bytes);
/* The memory a tile is counted for. */
gsize         sl_tile_lru_tile_size    (const SlTile     *tile);

G_END_DECLS
