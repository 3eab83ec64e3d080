/* sl-scene-view.h — one pane: a scene drawn through the tile cache, panned and zoomed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-tile-cache.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

/* Draws scene "scene-id" through "cache" as "viewport" says, the way `sitelapse-cli render`
 * does: tiles of the viewport's level (never finer than the scene's own), placed on whole
 * device pixels, magnified nearest-neighbour above 100 %. Tiles still loading are covered by
 * coarser (or finer) tiles already in memory. The view keeps no position of its own: every
 * pane following the same SlViewport shows the same place.
 *
 * Actions: view.zoom-in, view.zoom-out, view.zoom-fit, view.zoom-100 and view.pan((dd),
 * logical pixels), with their shortcuts (Ctrl++, Ctrl+−, Ctrl+0, Ctrl+1, arrows). */
#define SL_TYPE_SCENE_VIEW (sl_scene_view_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneView, sl_scene_view, SL, SCENE_VIEW, GtkWidget)

GtkWidget   *sl_scene_view_new               (void);

SlTileCache *sl_scene_view_get_cache         (SlSceneView *self);
/* A new cache (a new project) also fits the next scene shown to the view. */
void         sl_scene_view_set_cache         (SlSceneView *self,
                                              SlTileCache *cache);
SlViewport  *sl_scene_view_get_viewport      (SlSceneView *self);
void         sl_scene_view_set_viewport      (SlSceneView *self,
                                              SlViewport  *viewport);
/* 0: none. */
gint64       sl_scene_view_get_scene_id      (SlSceneView *self);
void         sl_scene_view_set_scene_id      (SlSceneView *self,
                                              gint64       scene_id);

/* Tiles the current view still waits for ("loading 12 tiles"). */
guint        sl_scene_view_get_pending_tiles (SlSceneView *self);
/* The site point under the pointer; FALSE when the pointer is not over the view. Changes
 * are signalled by "pointer-changed". */
gboolean     sl_scene_view_get_pointer       (SlSceneView *self,
                                              double      *site_x,
                                              double      *site_y);

/* Shows the whole scene. */
void         sl_scene_view_zoom_fit          (SlSceneView *self,
                                              gboolean     animate);
/* @zoom as SlViewport's (1: 100 %), keeping the centre. */
void         sl_scene_view_zoom_to           (SlSceneView *self,
                                              double       zoom,
                                              gboolean     animate);
/* Multiplies the zoom by @factor, keeping the centre. */
void         sl_scene_view_zoom_by           (SlSceneView *self,
                                              double       factor,
                                              gboolean     animate);

G_END_DECLS
