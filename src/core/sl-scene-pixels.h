/* sl-scene-pixels.h — site coordinates ⇄ the pixel coordinates of one scene
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-project.h"
#include "sl-scene.h"

G_BEGIN_DECLS

/* Maps between the site CRS and one scene's own pixel grid, where pixel (0, 0) is the
 * top-left corner of the first pixel and (width, height) the bottom-right corner of the last
 * (GDAL's convention). A scene placed by an affine transform (same CRS as the site, tie
 * points, or only its pixel grid) is mapped by that transform and its inverse; a scene warped
 * from its own CRS goes through GDAL's GenImgProjTransformer. Safe to use from several
 * threads at once (the warped case holds a lock around GDAL's transformer). */
typedef struct _SlScenePixels SlScenePixels;

SlScenePixels *sl_scene_pixels_new       (SlProject      *project,
                                          SlScene        *scene,
                                          GError        **error);
void           sl_scene_pixels_free      (SlScenePixels  *self);

/* FALSE when the point cannot be transformed (outside the CRS's domain). */
gboolean       sl_scene_pixels_to_pixel  (SlScenePixels  *self,
                                          double          x,
                                          double          y,
                                          double         *px,
                                          double         *py);
gboolean       sl_scene_pixels_to_site   (SlScenePixels  *self,
                                          double          px,
                                          double          py,
                                          double         *x,
                                          double         *y);
int            sl_scene_pixels_get_width  (SlScenePixels *self);
int            sl_scene_pixels_get_height (SlScenePixels *self);
/* Mean ground size of a pixel in metres (from the site CRS's linear unit), or 0 when the
 * site is not georeferenced (pixel space) or its unit is not linear. For DOTA's gsd. */
double         sl_scene_pixels_get_gsd    (SlScenePixels *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlScenePixels, sl_scene_pixels_free)

G_END_DECLS
