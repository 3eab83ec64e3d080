/* sl-site-grid.h — the one grid every scene of a site is drawn on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Display tiles are square, SL_TILE_SIZE pixels a side, 4 bytes a pixel in cairo's
 * CAIRO_FORMAT_ARGB32 layout (premultiplied, native-endian 0xAARRGGBB; GDK_MEMORY_DEFAULT),
 * stride SL_TILE_STRIDE. */
#define SL_TILE_SIZE   256
#define SL_TILE_STRIDE (SL_TILE_SIZE * 4)
#define SL_TILE_BYTES  (SL_TILE_STRIDE * SL_TILE_SIZE)

/* How many levels lie between zoom 0 and the resolution of the scene that founded the
 * grid. Zoom 0's single tile covers 2^22 × 256 pixels of that scene (2^22 × 128 m at
 * 0.5 m, some 537 000 km): every later scene fits, so adding scenes never renumbers or invalidates tiles. */
#define SL_SITE_GRID_BASE_LEVELS 22
#define SL_SITE_GRID_MAX_LEVELS  30

typedef struct
{
  double min_x, min_y, max_x, max_y;
} SlBounds;

/* Tile levels are addressed GeoPackage-style: zoom 0 is the coarsest, one tile; level z has
 * 2^z × 2^z tiles; x grows east, y grows south, from the grid's top-left anchor. Site
 * coordinates are in the site CRS (map units, y up), or for a site with no georeferenced
 * scene in "pixel space": x = column, y = −row of the founding scene. */
typedef struct _SlSiteGrid SlSiteGrid;

#define SL_TYPE_SITE_GRID (sl_site_grid_get_type ())
GType        sl_site_grid_get_type          (void) G_GNUC_CONST;

/* A grid whose level SL_SITE_GRID_BASE_LEVELS has @resolution site units per pixel, with
 * (@center_x, @center_y) at the centre of zoom 0. @crs_wkt NULL: pixel space. */
SlSiteGrid  *sl_site_grid_new_around        (const char *crs_wkt,
                                             double      center_x,
                                             double      center_y,
                                             double      resolution);
SlSiteGrid  *sl_site_grid_ref               (SlSiteGrid *self);
void         sl_site_grid_unref             (SlSiteGrid *self);

/* Stored in sl_site.grid. */
char        *sl_site_grid_to_json           (SlSiteGrid *self);
SlSiteGrid  *sl_site_grid_new_from_json     (const char *json,
                                             GError    **error);
gboolean     sl_site_grid_equal             (SlSiteGrid *a,
                                             SlSiteGrid *b);

const char  *sl_site_grid_get_crs_wkt       (SlSiteGrid *self);
/* Top-left corner of zoom 0 and its resolution. */
void         sl_site_grid_get_anchor        (SlSiteGrid *self,
                                             double     *x,
                                             double     *y);
/* The finest level any scene needs (at least SL_SITE_GRID_BASE_LEVELS). */
int          sl_site_grid_get_max_zoom      (SlSiteGrid *self);
/* A copy whose finest level is at least @max_zoom (a finer scene was added). */
SlSiteGrid  *sl_site_grid_with_max_zoom     (SlSiteGrid *self,
                                             int         max_zoom);

/* Site units per pixel at level @z. */
double       sl_site_grid_get_resolution    (SlSiteGrid *self,
                                             int         z);
/* The coarsest level whose pixels are no larger than @resolution site units (so drawing it
 * never magnifies), clamped to [0, max zoom]. */
int          sl_site_grid_zoom_for_resolution (SlSiteGrid *self,
                                             double      resolution);
/* The finest level needed for a scene of @resolution site units per pixel (its native level;
 * a scene up to 10 % finer than a level's resolution is served by that level). */
int          sl_site_grid_native_zoom       (SlSiteGrid *self,
                                             double      resolution);

void         sl_site_grid_get_tile_bounds   (SlSiteGrid *self,
                                             int         z,
                                             int         x,
                                             int         y,
                                             SlBounds   *bounds);
/* Site coordinates ⇄ the global pixel coordinates of level @z (0,0 = top-left of zoom 0). */
void         sl_site_grid_site_to_pixel     (SlSiteGrid *self,
                                             int         z,
                                             double      site_x,
                                             double      site_y,
                                             double     *px,
                                             double     *py);
void         sl_site_grid_pixel_to_site     (SlSiteGrid *self,
                                             int         z,
                                             double      px,
                                             double      py,
                                             double     *site_x,
                                             double     *site_y);
/* The tiles of level @z that cover @bounds: inclusive ranges, clamped to the level. */
void         sl_site_grid_tile_range        (SlSiteGrid     *self,
                                             int             z,
                                             const SlBounds *bounds,
                                             int            *x0,
                                             int            *y0,
                                             int            *x1,
                                             int            *y1);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSiteGrid, sl_site_grid_unref)

G_END_DECLS
