/* sl-scene-transform.h — a scene's pixels ⇄ site coordinates, whatever places it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-scene.h"

G_BEGIN_DECLS

typedef struct _SlSceneTransform SlSceneTransform;

/* How @scene lies on a site whose CRS is @site_wkt (NULL: a pixel site): its affine placement
 * (pixel_to_site), its own georeference warped into the site CRS, or its registration on
 * another scene by a transform that is not affine (projective, polynomial, thin-plate spline:
 * the scene's pixels → the reference's pixels → the site). NULL when it cannot be placed. */
SlSceneTransform *sl_scene_transform_new   (SlScene          *scene,
                                            const char       *site_wkt);
void              sl_scene_transform_free  (SlSceneTransform *self);
/* TRUE when the placement is an affine transform, filled into @t when non-NULL. */
gboolean          sl_scene_transform_is_affine (SlSceneTransform *self,
                                                double            t[6]);
/* A GDALTransformerFunc: source = the scene's pixels (0,0 the top-left corner), destination =
 * site coordinates; @dst_to_src maps site → pixels. Safe to call from several threads. */
int               sl_scene_transform_apply (void             *self,
                                            int               dst_to_src,
                                            int               n,
                                            double           *x,
                                            double           *y,
                                            double           *z,
                                            int              *ok);

/* A GDAL transformer (use with GDALUseTransformer, free with GDALDestroyTransformer) from the
 * pixels of a destination raster whose geotransform in site coordinates is @dst_gt to the
 * scene's pixels, for GDAL's warper; it makes similar ones for the source's overviews. @self
 * must outlive it. NULL when @dst_gt cannot be inverted. */
void             *sl_scene_transform_new_warper (SlSceneTransform *self,
                                                 const double      dst_gt[6]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSceneTransform, sl_scene_transform_free)

G_END_DECLS
