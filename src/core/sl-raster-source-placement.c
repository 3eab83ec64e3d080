/* sl-raster-source-placement.c — where a scene's pixels land on the site grid
 *
 * A north-up scene with an affine placement is read directly: its pixel → site transform is
 * the whole story. Anything else (rotated or sheared placements, a georeference in another
 * CRS, a registration on another scene by a transform that is not affine) is read through a
 * warped VRT on the site grid at the scene's native level, which GDAL gives implicit overviews
 * from the source's. This file decides which, measures the footprint, and builds that VRT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <gdal_alg.h>
#include <gdalwarper.h>
#include <cpl_error.h>
#include <cpl_string.h>

#include "sl-raster-source-private.h"

/* A warped VRT larger than this many pixels a side is a placement gone wrong. */
#define MAX_VRT_SIDE 4000000

static gboolean
is_north_up (const double t[6])
{
  return t[2] == 0 && t[4] == 0 && t[1] > 0 && t[5] < 0;
}

gboolean
_sl_raster_source_place (SlRasterSource *self, SlScene *scene, GError **error)
{
  double res = 0, t[6];
  const char *dst_wkt = sl_site_grid_get_crs_wkt (self->grid);

  if (sl_scene_get_pixel_to_site (scene, t))
    {
      memcpy (self->src_gt, t, sizeof t);
      self->src_wkt = NULL;
      self->warp = !is_north_up (t);
      memcpy (self->p2s, t, sizeof t);
    }
  else if (sl_scene_get_registration (scene) != NULL &&
           (self->scene_transform = sl_scene_transform_new (scene, dst_wkt)) != NULL)
    self->warp = TRUE;
  else if (sl_scene_get_geotransform (scene, self->src_gt) && sl_scene_get_crs_wkt (scene) != NULL &&
           dst_wkt != NULL)
    {
      self->src_wkt = g_strdup (sl_scene_get_crs_wkt (scene));
      self->warp = TRUE;
    }
  else
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot place ‘%s’ on the site grid: it has no placement and no georeference "
                   "in a coordinate system the site can use", self->path);
      return FALSE;
    }

  if (!sl_scene_measure (scene, dst_wkt, &self->footprint, &res))
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot place ‘%s’ on the site grid: its corners do not transform into the "
                   "site’s coordinate system", self->path);
      return FALSE;
    }
  self->native_zoom = sl_site_grid_native_zoom (self->grid, res);

  if (self->warp)
    {
      double ax, ay, r = sl_site_grid_get_resolution (self->grid, self->native_zoom);
      double gx0, gx1, gy0, gy1;

      sl_site_grid_get_anchor (self->grid, &ax, &ay);
      gx0 = floor ((self->footprint.min_x - ax) / r);
      gx1 = ceil ((self->footprint.max_x - ax) / r);
      gy0 = floor ((ay - self->footprint.max_y) / r);
      gy1 = ceil ((ay - self->footprint.min_y) / r);
      if (!(gx1 - gx0 >= 1 && gx1 - gx0 <= MAX_VRT_SIDE && gy1 - gy0 >= 1 && gy1 - gy0 <= MAX_VRT_SIDE))
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot place ‘%s’ on the site grid: it would cover %.0f × %.0f pixels",
                       self->path, gx1 - gx0, gy1 - gy0);
          return FALSE;
        }
      self->vrt_width = (int) (gx1 - gx0);
      self->vrt_height = (int) (gy1 - gy0);
      self->vrt_gt[0] = ax + gx0 * r;
      self->vrt_gt[1] = r;
      self->vrt_gt[2] = 0;
      self->vrt_gt[3] = ay - gy0 * r;
      self->vrt_gt[4] = 0;
      self->vrt_gt[5] = -r;
    }
  return TRUE;
}

/* A warped VRT of the mapped bands (plus an alpha band) on the site grid at the native level.
 * GDAL gives it implicit overviews from the source's. Rebuilt when the band mapping changes. */
gboolean
_sl_raster_source_ensure_vrt (SlRasterSource *self, const int *colour, int n, gboolean palette,
                              GError **error)
{
  SlGdalErrors errors = { NULL };
  GDALWarpOptions *wo;
  gboolean all_nodata = TRUE;
  void *gen, *approx;

  if (self->vrt && self->vrt_n == n && memcmp (self->vrt_bands, colour, n * sizeof (int)) == 0)
    return TRUE;
  g_clear_pointer (&self->vrt, GDALClose);

  if (self->scene_transform != NULL)
    {
      /* Ours to free (after the VRT, in finalize): the approximation does not own it. */
      if (self->scene_warp == NULL &&
          (self->scene_warp = sl_scene_transform_new_warper (self->scene_transform, self->vrt_gt)) == NULL)
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot warp ‘%s’ onto the site grid: the grid cannot be inverted", self->path);
          return FALSE;
        }
      approx = GDALCreateApproxTransformer (GDALUseTransformer, self->scene_warp, 0.125);
    }
  else
    {
      gen = GDALCreateGenImgProjTransformer3 (self->src_wkt, self->src_gt,
                                              self->src_wkt ? sl_site_grid_get_crs_wkt (self->grid) : NULL,
                                              self->vrt_gt);
      if (gen == NULL)
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot warp ‘%s’ onto the site grid: GDAL has no transformation for it", self->path);
          return FALSE;
        }
      approx = GDALCreateApproxTransformer (GDALGenImgProjTransform, gen, 0.125);
      GDALApproxTransformerOwnsSubtransformer (approx, TRUE);
    }

  wo = GDALCreateWarpOptions ();
  wo->hSrcDS = self->ds;
  wo->eResampleAlg = palette ? GRA_NearestNeighbour : GRA_Bilinear;
  wo->eWorkingDataType = self->kind == SL_PIXEL_FLOAT ? GDT_Float32 : _sl_raster_source_kind_type (self->kind);
  wo->nBandCount = n;
  wo->panSrcBands = CPLMalloc (n * sizeof (int));
  wo->panDstBands = CPLMalloc (n * sizeof (int));
  for (int i = 0; i < n; i++)
    {
      wo->panSrcBands[i] = colour[i];
      wo->panDstBands[i] = i + 1;
      all_nodata = all_nodata && self->has_nodata[colour[i] - 1];
    }
  wo->nDstAlphaBand = n + 1;
  if (all_nodata)
    {
      wo->padfSrcNoDataReal = CPLMalloc (n * sizeof (double));
      for (int i = 0; i < n; i++)
        wo->padfSrcNoDataReal[i] = self->nodata[colour[i] - 1];
      wo->papszWarpOptions = CSLSetNameValue (wo->papszWarpOptions, "UNIFIED_SRC_NODATA", "YES");
    }
  else if (self->alpha_band > 0)
    wo->nSrcAlphaBand = self->alpha_band;
  /* Otherwise the warper reads a per-dataset mask (internal, .msk, JPEG) by itself. */
  wo->papszWarpOptions = CSLSetNameValue (wo->papszWarpOptions, "INIT_DEST", "0");
  wo->pfnTransformer = GDALApproxTransform;
  wo->pTransformerArg = approx;

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  self->vrt = GDALCreateWarpedVRT (self->ds, self->vrt_width, self->vrt_height, self->vrt_gt, wo);
  CPLPopErrorHandler ();
  GDALDestroyWarpOptions (wo);   /* the VRT owns the transformer now */

  if (self->vrt == NULL)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot warp ‘%s’ onto the site grid: %s", self->path,
                   _sl_raster_source_gdal_reason (&errors, "GDAL could not set up the warp"));
      g_free (errors.message);
      return FALSE;
    }
  g_free (errors.message);
  memcpy (self->vrt_bands, colour, n * sizeof (int));
  self->vrt_n = n;
  return TRUE;
}
