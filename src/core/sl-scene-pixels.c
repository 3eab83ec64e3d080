/* sl-scene-pixels.c — site coordinates ⇄ the pixel coordinates of one scene
 *
 * The label formats of machine-learning pipelines count in pixels of one image; annotations
 * live in site coordinates. The mapping is the scene's SlSceneTransform (affine, warped from
 * its own CRS, or registered on another scene) — the same placement the raster source and
 * sl_scene_measure use, so a label lands on the pixel the pane shows.
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
#include "sl-scene-transform.h"

struct _SlScenePixels
{
  int               width, height;
  SlSceneTransform *transform;
  double            gsd;           /* metres per pixel, 0: unknown */
};

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

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();
  site_wkt = sl_project_dup_crs_wkt (project);

  self = g_new0 (SlScenePixels, 1);
  self->width = sl_scene_get_width (scene);
  self->height = sl_scene_get_height (scene);
  self->transform = sl_scene_transform_new (scene, site_wkt);
  if (self->transform == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Cannot map ‘%s’ to pixels: it has no placement on the site that can be inverted",
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
  g_clear_pointer (&self->transform, sl_scene_transform_free);
  g_free (self);
}

static gboolean
transform (SlScenePixels *self, gboolean to_pixel, double ax, double ay, double *bx, double *by)
{
  double x = ax, y = ay, z = 0;
  int ok = FALSE;

  sl_scene_transform_apply (self->transform, to_pixel, 1, &x, &y, &z, &ok);
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
