/* sl-raster-source-plan.c — what one tile read needs, and the window it reads
 *
 * A plan names the dataset a tile is read from (the source itself, or its warped VRT), the
 * bands, and where alpha comes from (every pixel valid, nodata, an alpha band or GDAL's mask
 * band); the window is the part of a tile the raster covers and the fractional source window
 * under it, which GDALDatasetRasterIOEx resamples into the tile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>

#include "sl-raster-source-private.h"

/* Whether a sample of @kind can hold @v: a nodata value it cannot hold marks no pixel. */
static gboolean
nodata_fits (SlPixelKind kind, double v)
{
  switch (kind)
    {
    case SL_PIXEL_BYTE:
      return v == floor (v) && v >= 0 && v <= 255;
    case SL_PIXEL_UINT16:
      return v == floor (v) && v >= 0 && v <= 65535;
    case SL_PIXEL_INT16:
      return v == floor (v) && v >= -32768 && v <= 32767;
    default:
      return TRUE;
    }
}

gboolean
_sl_raster_source_make_plan (SlRasterSource *self, const SlRenderParams *params, SlReadPlan *plan,
                             GError **error)
{
  gboolean grey = sl_render_params_is_grey (params);
  GDALRasterBandH first;
  int flags;

  memset (plan, 0, sizeof *plan);
  for (int c = 0; c < 3; c++)
    if (params->bands[c] < 1 || params->bands[c] > self->band_count)
      {
        g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ,
                     "Cannot show band %d of ‘%s’: it has %d band%s", params->bands[c], self->path,
                     self->band_count, self->band_count == 1 ? "" : "s");
        return FALSE;
      }
  plan->n_colour = grey ? 1 : 3;
  plan->palette = grey && params->bands[0] == self->palette_band;

  if (self->warp)
    {
      if (!_sl_raster_source_ensure_vrt (self, params->bands, plan->n_colour, plan->palette, error))
        return FALSE;
      plan->ds = self->vrt;
      plan->gt = self->vrt_gt;
      plan->width = self->vrt_width;
      plan->height = self->vrt_height;
      for (int i = 0; i <= plan->n_colour; i++)
        plan->bands[i] = i + 1;
      plan->n_read = plan->n_colour + 1;
      plan->coverage = SL_COVER_ALPHA;
      return TRUE;
    }

  plan->ds = self->ds;
  plan->gt = self->p2s;
  plan->width = self->width;
  plan->height = self->height;
  memcpy (plan->bands, params->bands, plan->n_colour * sizeof (int));
  plan->n_read = plan->n_colour;

  first = GDALGetRasterBand (self->ds, params->bands[0]);
  flags = GDALGetMaskFlags (first);
  if (flags & GMF_ALL_VALID)
    plan->coverage = SL_COVER_ALL;
  else if (flags == GMF_NODATA)
    {
      plan->coverage = SL_COVER_NODATA;
      for (int c = 0; c < plan->n_colour; c++)
        {
          int b = params->bands[c] - 1;

          if (!self->has_nodata[b] || !nodata_fits (self->kind, self->nodata[b]))
            plan->coverage = SL_COVER_ALL;   /* a band that is never nodata: no pixel is */
          plan->nodata[c] = self->nodata[b];
        }
    }
  else if ((flags & GMF_ALPHA) && self->alpha_band > 0)
    {
      plan->coverage = SL_COVER_ALPHA;
      plan->bands[plan->n_colour] = self->alpha_band;
      plan->n_read++;
    }
  else
    {
      plan->coverage = SL_COVER_MASK;
      plan->mask = GDALGetMaskBand (first);
    }
  return TRUE;
}

gboolean
_sl_raster_source_tile_window (SlSiteGrid *grid, int z, int x, int y, const SlReadPlan *plan,
                               SlTileWindow *win)
{
  const double *gt = plan->gt;
  double r = sl_site_grid_get_resolution (grid, z);
  double sx0, sy0, wx0, wx1, wy0, wy1;
  SlBounds b;

  sl_site_grid_get_tile_bounds (grid, z, x, y, &b);
  win->fx = r / gt[1];
  win->fy = r / -gt[5];
  sx0 = (b.min_x - gt[0]) / gt[1];
  sy0 = (gt[3] - b.max_y) / -gt[5];

  win->x0 = (int) CLAMP (ceil (-sx0 / win->fx - 0.5 - SL_RASTER_SOURCE_EDGE_EPS), 0, SL_TILE_SIZE);
  win->x1 = (int) CLAMP (ceil ((plan->width - sx0) / win->fx - 0.5 - SL_RASTER_SOURCE_EDGE_EPS), 0, SL_TILE_SIZE);
  win->y0 = (int) CLAMP (ceil (-sy0 / win->fy - 0.5 - SL_RASTER_SOURCE_EDGE_EPS), 0, SL_TILE_SIZE);
  win->y1 = (int) CLAMP (ceil ((plan->height - sy0) / win->fy - 0.5 - SL_RASTER_SOURCE_EDGE_EPS), 0, SL_TILE_SIZE);
  if (win->x0 >= win->x1 || win->y0 >= win->y1)
    return FALSE;

  wx0 = CLAMP (sx0 + win->x0 * win->fx, 0, plan->width);
  wx1 = CLAMP (sx0 + win->x1 * win->fx, 0, plan->width);
  wy0 = CLAMP (sy0 + win->y0 * win->fy, 0, plan->height);
  wy1 = CLAMP (sy0 + win->y1 * win->fy, 0, plan->height);
  /* Snap windows that are whole pixels up to rounding, so native tiles are plain copies. */
#define SNAP(v) (fabs ((v) - round (v)) < SL_RASTER_SOURCE_EDGE_EPS ? round (v) : (v))
  wx0 = SNAP (wx0), wx1 = SNAP (wx1), wy0 = SNAP (wy0), wy1 = SNAP (wy1);
#undef SNAP
  if (!(wx1 > wx0 && wy1 > wy0))
    return FALSE;
  win->sx = wx0, win->sw = wx1 - wx0;
  win->sy = wy0, win->sh = wy1 - wy0;
  return TRUE;
}
