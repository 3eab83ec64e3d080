/* sl-viewport.h — what part of the site is shown, shared by every pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sl-site-grid.h"

G_BEGIN_DECLS

/* The centre of the view in site coordinates and its scale, in site units per logical
 * pixel. Panes of a comparison all follow one SlViewport, so panning or zooming one moves
 * every pane by exactly the same map distance. "Zoom" is the scale relative to the site's
 * finest level: 1.0 is 100 % (one pixel of the finest imagery per logical pixel).
 *
 * Pure arithmetic, no GTK: the GUI panes, `sitelapse-cli render` and the export composer use
 * the same conversions, so what a pane shows is what the CLI renders. */
#define SL_TYPE_VIEWPORT (sl_viewport_get_type ())
G_DECLARE_FINAL_TYPE (SlViewport, sl_viewport, SL, VIEWPORT, GObject)

SlViewport *sl_viewport_new                (void);

SlSiteGrid *sl_viewport_get_grid           (SlViewport *self);
/* The grid defines 100 % and the zoom limits (from the whole site to 32 × its finest level). */
void        sl_viewport_set_grid           (SlViewport *self,
                                            SlSiteGrid *grid);

double      sl_viewport_get_center_x       (SlViewport *self);
double      sl_viewport_get_center_y       (SlViewport *self);
void        sl_viewport_set_center         (SlViewport *self,
                                            double      x,
                                            double      y);
/* Site units per logical pixel. */
double      sl_viewport_get_resolution     (SlViewport *self);
void        sl_viewport_set_resolution     (SlViewport *self,
                                            double      resolution);
double      sl_viewport_get_zoom           (SlViewport *self);
void        sl_viewport_set_zoom           (SlViewport *self,
                                            double      zoom);
double      sl_viewport_get_min_zoom       (SlViewport *self);
double      sl_viewport_get_max_zoom       (SlViewport *self);

/* Zooms by @factor keeping the site point under widget point (@wx, @wy) fixed, for a widget of
 * @width × @height logical pixels. */
void        sl_viewport_zoom_at            (SlViewport *self,
                                            double      factor,
                                            double      wx,
                                            double      wy,
                                            int         width,
                                            int         height);
/* Moves the view by (@dx, @dy) logical pixels (drag to the right: dx > 0 shows what is west). */
void        sl_viewport_pan_pixels         (SlViewport *self,
                                            double      dx,
                                            double      dy);
/* Centres @bounds and picks the scale that shows all of it in @width × @height with @margin
 * logical pixels around. */
void        sl_viewport_fit                (SlViewport     *self,
                                            const SlBounds *bounds,
                                            int             width,
                                            int             height,
                                            int             margin);

void        sl_viewport_widget_to_site     (SlViewport *self,
                                            int         width,
                                            int         height,
                                            double      wx,
                                            double      wy,
                                            double     *sx,
                                            double     *sy);
void        sl_viewport_site_to_widget     (SlViewport *self,
                                            int         width,
                                            int         height,
                                            double      sx,
                                            double      sy,
                                            double     *wx,
                                            double     *wy);
/* The site area a @width × @height widget shows. */
void        sl_viewport_get_visible_bounds (SlViewport *self,
                                            int         width,
                                            int         height,
                                            SlBounds   *bounds);
/* The grid level to draw at @scale_factor device pixels per logical pixel: the coarsest level
 * whose pixels are no larger than a device pixel. */
int         sl_viewport_get_level          (SlViewport *self,
                                            double      scale_factor);

G_END_DECLS
