/* sl-scene-pixels.c — site coordinates ⇄ the pixel coordinates of one scene
 *
 * The label formats of machine-learning pipelines count in pixels of one image; annotations
 * live in site coordinates. A scene is placed on the site either by an affine transform
 * (inverted once here) or, when it is warped from its own CRS, by GDAL's GenImgProj
 * transformer between its geotransform + CRS and the site CRS — the same placement the
 * raster source and sl_scene_measure use, so a label lands on the pixel the pane shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-pixels"

#include "config.h"

#include <math.h>

#include <gdal_alg.h>
#include <ogr_srs_api.h>

#include "sl-autocleanups-private.h"
#include "sl-core.h"
#include "sl-scene-pixels.h"

struct _SlScenePixels
{
  int     width, height;
  double  p2s[6];        /* affine: pixel → site */
  double  s2p[6];        /* affine: site → pixel */
  void   *warp;          /* GenImgProj transformer (pixel → site forward); NULL: affine */
  GMutex  lock;          /* GDAL's transformer keeps scratch state: one caller at a time */
  double  gsd;           /* metres per pixel, 0: unknown */
};

static const double identity[6] = { 0, 1, 0, 0, 0, 1 };

/* Metres per pixel from the scene's mean resolution in site units and the site CRS's unit. */
static double
measure_gsd (SlScene *scene, const char *site_wkt)
{
  g_auto(SlOgrSrs) srs = NULL;
  SlBounds b;
  double res;

  if (site_wkt == NULL || !sl_scene_measure (scene, site_wkt, &b, &res))
    return 0;
  srs = OSRNewSpatialReference (NULL);
  if (OSRImportFromWkt (srs, (char *[]) { (char *) site_wkt }) != OGRERR_NONE)
    return 0;
  if (OSRIsGeographic (srs))
    {
      /* Degrees: metres along the meridian and the parallel at the scene's middle. */
      double lat = (b.min_y + b.max_y) / 2 * G_PI / 180;
      return res * 111320.0 * sqrt (fabs (cos (lat)));
    }
  if (OSRIsProjected (srs))
    return res * OSRGetLinearUnits (srs, NULL);
  return 0;
}

SlScenePixels *
sl_scene_pixels_new (SlProject  *project,
                     SlScene    *scene,
                     GError    **error)
{
  g_autofree char *site_wkt = NULL;
  SlScenePixels *self;
  double gt[6];

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();
  site_wkt = sl_project_dup_crs_wkt (project);

  self = g_new0 (SlScenePixels, 1);
  g_mutex_init (&self->lock);
  self->width = sl_scene_get_width (scene);
  self->height = sl_scene_get_height (scene);

  if (sl_scene_get_pixel_to_site (scene, self->p2s))
    {
      if (!GDALInvGeoTransform (self->p2s, self->s2p))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cannot map ‘%s’ to pixels: its placement on the site cannot be inverted",
                       sl_scene_get_source_path (scene));
          sl_scene_pixels_free (self);
          return NULL;
        }
    }
  else if (sl_scene_get_geotransform (scene, gt) && sl_scene_get_crs_wkt (scene) != NULL && site_wkt != NULL)
    {
      self->warp = GDALCreateGenImgProjTransformer3 (sl_scene_get_crs_wkt (scene), gt, site_wkt, identity);
      if (self->warp == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Cannot map ‘%s’ to pixels: GDAL cannot transform its CRS into the site’s (%s)",
                       sl_scene_get_source_path (scene), CPLGetLastErrorMsg ());
          sl_scene_pixels_free (self);
          return NULL;
        }
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot map ‘%s’ to pixels: it has no placement on the site",
                   sl_scene_get_source_path (scene));
      sl_scene_pixels_free (self);
      return NULL;
    }
  self->gsd = measure_gsd (scene, site_wkt);
  return self;
}

void
sl_scene_pixels_free (SlScenePixels *self)
{
  if (self == NULL)
    return;
  if (self->warp)
    GDALDestroyGenImgProjTransformer (self->warp);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gboolean
transform (SlScenePixels *self, gboolean to_pixel, double ax, double ay, double *bx, double *by)
{
  double x = ax, y = ay, z = 0;
  int ok = FALSE;

  if (self->warp == NULL)
    {
      const double *t = to_pixel ? self->s2p : self->p2s;

      x = t[0] + ax * t[1] + ay * t[2];
      y = t[3] + ax * t[4] + ay * t[5];
      ok = TRUE;
    }
  else
    {
      g_mutex_lock (&self->lock);
      GDALGenImgProjTransform (self->warp, to_pixel, 1, &x, &y, &z, &ok);
      g_mutex_unlock (&self->lock);
    }
  if (!ok || !isfinite (x) || !isfinite (y))
    return FALSE;
  *bx = x;
  *by = y;
  return TRUE;
}

gboolean
sl_scene_pixels_to_pixel (SlScenePixels *self,
                          double         x,
                          double         y,
                          double        *px,
                          double        *py)
{
  g_return_val_if_fail (self != NULL && px != NULL && py != NULL, FALSE);
  return transform (self, TRUE, x, y, px, py);
}

gboolean
sl_scene_pixels_to_site (SlScenePixels *self,
                         double         px,
                         double         py,
                         double        *x,
                         double        *y)
{
  g_return_val_if_fail (self != NULL && x != NULL && y != NULL, FALSE);
  return transform (self, FALSE, px, py, x, y);
}

int
sl_scene_pixels_get_width (SlScenePixels *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
sl_scene_pixels_get_height (SlScenePixels *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->height;
}

double
sl_scene_pixels_get_gsd (SlScenePixels *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->gsd;
}
