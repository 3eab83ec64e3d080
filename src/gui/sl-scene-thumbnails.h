/* sl-scene-thumbnails.h — small pictures of a project's scenes, made from the tile cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-tile-cache.h"

G_BEGIN_DECLS

/* One picture per scene, its whole footprint fitted in @size device pixels on the longer
 * side, composited on the main thread from the display tiles of the cache (no thread of its
 * own: it asks the cache, with itself as the owner, and draws what arrives). Cached per
 * scene id; a scene the cache cannot place (native zoom −1) gets none. */
#define SL_TYPE_SCENE_THUMBNAILS (sl_scene_thumbnails_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneThumbnails, sl_scene_thumbnails, SL, SCENE_THUMBNAILS, GObject)

/* @size: the longest side in device pixels (e.g. 192). */
SlSceneThumbnails *sl_scene_thumbnails_new       (SlTileCache       *cache,
                                                  int                size);
SlTileCache       *sl_scene_thumbnails_get_cache (SlSceneThumbnails *self);
/* Main thread. The thumbnail if it is ready (borrowed; RGBA with transparency outside the
 * scene's footprint), else NULL and it is made in the background; "thumbnail-ready" (gint64
 * scene_id) is emitted when it arrives. Follows the cache's "scene-invalidated" (a new stretch
 * gives a new thumbnail, and "thumbnail-ready" again). */
GdkTexture        *sl_scene_thumbnails_lookup    (SlSceneThumbnails *self,
                                                  gint64             scene_id);

G_END_DECLS
