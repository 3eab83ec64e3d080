/* sl-scene-render.h — drawing a scene as a viewport shows it, blocking, with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "sl-tile-cache.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

/* Draws scene @scene_id into @cr (whose user space is @width × @height logical pixels at
 * @scale_factor device pixels each) exactly as a pane with @viewport shows it: the tiles of
 * the viewport's level, fetched through every tier of @cache on all its workers, each placed
 * on whole device pixels (no seams), magnified with nearest-neighbour above 100 % so pixels
 * stay sharp. Areas without data are left untouched.
 *
 * The code path of `sitelapse-cli render` and of exports. Tiles that failed are counted in
 * @n_failed with the first reason in @first_failure (free it); the good ones are drawn. Returns
 * FALSE with @error only when tiles were needed and none could be drawn. */
gboolean  sl_scene_render_view (SlTileCache   *cache,
                                gint64         scene_id,
                                SlViewport    *viewport,
                                cairo_t       *cr,
                                int            width,
                                int            height,
                                double         scale_factor,
                                guint         *n_failed,
                                char         **first_failure,
                                GCancellable  *cancellable,
                                GError       **error);

/* Paints one decoded tile @argb whose site-grid placement is (@z, @x, @y) into @cr, for a
 * viewport of @width × @height logical pixels at @scale_factor. Shared with exports. */
void      sl_scene_render_paint_tile (cairo_t       *cr,
                                      SlViewport    *viewport,
                                      int            width,
                                      int            height,
                                      double         scale_factor,
                                      int            z,
                                      int            x,
                                      int            y,
                                      const guint8  *argb);

G_END_DECLS
