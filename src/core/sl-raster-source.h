/* sl-raster-source.h — one scene's pixels, read with GDAL onto the site grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sl-render-params.h"
#include "sl-scene.h"
#include "sl-site-grid.h"

G_BEGIN_DECLS

#define SL_RASTER_SOURCE_ERROR (sl_raster_source_error_quark ())

typedef enum
{
  SL_RASTER_SOURCE_ERROR_MISSING,     /* the source file was moved or deleted */
  SL_RASTER_SOURCE_ERROR_OPEN,        /* GDAL cannot open it (any more) */
  SL_RASTER_SOURCE_ERROR_READ,        /* a block failed to read or decode */
  SL_RASTER_SOURCE_ERROR_PLACEMENT,   /* the scene cannot be placed on the site grid */
} SlRasterSourceError;

/* What a rendered tile holds. */
typedef enum
{
  SL_TILE_CONTENT_EMPTY,    /* outside the scene (or all nodata): fully transparent */
  SL_TILE_CONTENT_OPAQUE,   /* every pixel has alpha 255 */
  SL_TILE_CONTENT_PARTIAL,  /* some pixels are transparent (edges, nodata, masks) */
} SlTileContent;

/* One scene's GDAL dataset handle(s), rendering display tiles of the site grid: band mapping,
 * contrast stretch to 8 bits, palette expansion, nodata and masks to alpha, the best
 * overview for each level, and a warp when the scene is in another CRS or rotated.
 *
 * GDAL datasets are not thread-safe: an SlRasterSource belongs to the thread that opened it;
 * every worker thread opens its own for each scene it reads. */
#define SL_TYPE_RASTER_SOURCE (sl_raster_source_get_type ())
G_DECLARE_FINAL_TYPE (SlRasterSource, sl_raster_source, SL, RASTER_SOURCE, GObject)

GQuark          sl_raster_source_error_quark   (void);

/* Opens @path (the scene's resolved source) for @scene, placed on @grid as @scene says
 * (sl_scene_get_pixel_to_site, or its geotransform + CRS for a warp). */
SlRasterSource *sl_raster_source_open          (const char      *path,
                                                SlScene         *scene,
                                                SlSiteGrid      *grid,
                                                GError         **error);

/* The scene's footprint in site coordinates, and the level of the site grid that matches
 * its own resolution (the finest worth rendering). */
void            sl_raster_source_get_footprint (SlRasterSource  *self,
                                                SlBounds        *bounds);
int             sl_raster_source_get_native_zoom (SlRasterSource *self);
gboolean        sl_raster_source_has_overviews (SlRasterSource  *self);

/* Fills @params->low/high for its mode (percentile or min/max) from sampled statistics of
 * the mapped bands, leaving nodata and masked pixels out. Reads an overview or a decimated
 * grid of at most ~1 Mpixel, never the whole image. Sets @params->resolved. */
gboolean        sl_raster_source_compute_stretch (SlRasterSource *self,
                                                SlRenderParams  *params,
                                                GError         **error);

/* Renders tile (@z, @x, @y) of the site grid into @argb (SL_TILE_BYTES, SL_TILE_STRIDE, cairo
 * ARGB32 premultiplied). @params must be resolved. Returns FALSE with @error when reading
 * fails; @argb is then undefined. */
gboolean        sl_raster_source_render_tile   (SlRasterSource       *self,
                                                const SlRenderParams *params,
                                                int                   z,
                                                int                   x,
                                                int                   y,
                                                guint8               *argb,
                                                SlTileContent        *content,
                                                GError              **error);

G_END_DECLS
