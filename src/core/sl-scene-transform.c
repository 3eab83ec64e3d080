/* sl-scene-transform.c — a scene's pixels ⇄ site coordinates, whatever places it
 *
 * Three kinds of placement share one GDAL-style transformer, so footprints, tile warping and
 * pixel label formats treat them alike: an affine pixel_to_site (inverted once), the scene's
 * own georeference warped into the site CRS (GDAL's GenImgProj transformer), and a
 * registration on a reference scene by a transform that is not affine (SlRegistration
 * composed with the reference's affine placement, stored in the scene's record by
 * sl_project_register_scene).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-transform"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal_alg.h>
#include <json-glib/json-glib.h>

#include "sl-registration.h"
#include "sl-scene-transform.h"

struct _SlSceneTransform
{
  double          p2s[6], s2p[6];   /* affine, or the reference's placement for a registration */
  gboolean        affine;
  void           *gen;              /* GenImgProj transformer; its calls are serialised */
  SlRegistration *registration;     /* pixels → reference pixels */
  GMutex          lock;
};

/* The registration of @scene when it places it by a transform that is not affine. */
static SlRegistration *
registration_warp (SlScene *scene, double ref_p2s[6])
{
  const char *json = sl_scene_get_registration (scene);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *transform = NULL;
  g_autoptr(SlRegistration) registration = NULL;
  JsonObject *root;
  JsonArray *t;
  double affine[6];

  if (json == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "transform") || !json_object_has_member (root, "reference_pixel_to_site"))
    return NULL;
  t = json_object_get_array_member (root, "reference_pixel_to_site");
  if (t == NULL || json_array_get_length (t) != 6)
    return NULL;
  for (guint i = 0; i < 6; i++)
    ref_p2s[i] = json_array_get_double_element (t, i);
  transform = json_to_string (json_object_get_member (root, "transform"), FALSE);
  registration = sl_registration_new_from_json (transform, NULL);
  if (registration == NULL || sl_registration_get_affine (registration, affine))
    return NULL;   /* affine ones are a plain pixel_to_site */
  return g_steal_pointer (&registration);
}

SlSceneTransform *
sl_scene_transform_new (SlScene    *scene,
                        const char *site_wkt)
{
  static const double identity[6] = { 0, 1, 0, 0, 0, 1 };
  g_autoptr(SlSceneTransform) self = g_new0 (SlSceneTransform, 1);
  double gt[6];

  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);

  g_mutex_init (&self->lock);
  if (sl_scene_get_pixel_to_site (scene, self->p2s))
    {
      self->affine = TRUE;
      return GDALInvGeoTransform (self->p2s, self->s2p) ? g_steal_pointer (&self) : NULL;
    }
  if ((self->registration = registration_warp (scene, self->p2s)) != NULL)
    return GDALInvGeoTransform (self->p2s, self->s2p) ? g_steal_pointer (&self) : NULL;
  if (sl_scene_get_geotransform (scene, gt) && sl_scene_get_crs_wkt (scene) != NULL && site_wkt != NULL)
    {
      self->gen = GDALCreateGenImgProjTransformer3 (sl_scene_get_crs_wkt (scene), gt, site_wkt, identity);
      if (self->gen != NULL)
        return g_steal_pointer (&self);
    }
  return NULL;
}

void
sl_scene_transform_free (SlSceneTransform *self)
{
  if (self == NULL)
    return;
  if (self->gen)
    GDALDestroyGenImgProjTransformer (self->gen);
  g_clear_object (&self->registration);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
sl_scene_transform_is_affine (SlSceneTransform *self,
                              double            t[6])
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->affine && t != NULL)
    memcpy (t, self->p2s, sizeof self->p2s);
  return self->affine;
}

static void
apply_affine (const double t[6], int n, double *x, double *y, int *ok)
{
  for (int i = 0; i < n; i++)
    {
      double px = x[i], py = y[i];

      x[i] = t[0] + px * t[1] + py * t[2];
      y[i] = t[3] + px * t[4] + py * t[5];
      ok[i] = isfinite (x[i]) && isfinite (y[i]);
    }
}

int
sl_scene_transform_apply (void   *data,
                          int     dst_to_src,
                          int     n,
                          double *x,
                          double *y,
                          double *z,
                          int    *ok)
{
  SlSceneTransform *self = data;
  gboolean all = TRUE;

  if (self->gen != NULL)
    {
      int done;

      g_mutex_lock (&self->lock);
      done = GDALGenImgProjTransform (self->gen, dst_to_src, n, x, y, z, ok);
      g_mutex_unlock (&self->lock);
      return done;
    }
  if (self->registration == NULL)
    apply_affine (dst_to_src ? self->s2p : self->p2s, n, x, y, ok);
  else if (dst_to_src)
    {
      /* Site → the reference's pixels → ours (GDAL's GCP and TPS transformers behind the
       * registration are not documented as thread-safe: one caller at a time). */
      apply_affine (self->s2p, n, x, y, ok);
      g_mutex_lock (&self->lock);
      for (int i = 0; i < n; i++)
        ok[i] = ok[i] && sl_registration_inverse (self->registration, x[i], y[i], &x[i], &y[i]);
      g_mutex_unlock (&self->lock);
    }
  else
    {
      g_mutex_lock (&self->lock);
      for (int i = 0; i < n; i++)
        ok[i] = sl_registration_forward (self->registration, x[i], y[i], &x[i], &y[i]);
      g_mutex_unlock (&self->lock);
      for (int i = 0; i < n; i++)
        if (ok[i])
          {
            double px = x[i], py = y[i];

            x[i] = self->p2s[0] + px * self->p2s[1] + py * self->p2s[2];
            y[i] = self->p2s[3] + px * self->p2s[4] + py * self->p2s[5];
          }
    }
  for (int i = 0; i < n; i++)
    all = all && ok[i];
  return all;
}

/* --- a transformer for GDAL's warper --- */

/* GDAL's warper maps destination pixels to source pixels: the destination's geotransform to
 * the site, then the scene's transform from the site to its pixels. A GDAL transformer (it
 * starts with GDALTransformerInfo) so that a warped VRT can make similar ones for the
 * source's overviews (pixels @ratio times larger). */
typedef struct
{
  GDALTransformerInfo info;
  SlSceneTransform   *transform;   /* not owned: it outlives the warper */
  double              gt[6], inv[6];
  double              ratio_x, ratio_y;
} Warper;

static int
warper_transform (void *data, int dst_to_src, int n, double *x, double *y, double *z, int *ok)
{
  Warper *w = data;
  int done;

  if (dst_to_src)
    {
      for (int i = 0; i < n; i++)
        {
          double px = x[i], py = y[i];

          x[i] = w->gt[0] + px * w->gt[1] + py * w->gt[2];
          y[i] = w->gt[3] + px * w->gt[4] + py * w->gt[5];
        }
      done = sl_scene_transform_apply (w->transform, TRUE, n, x, y, z, ok);
      for (int i = 0; i < n; i++)
        x[i] /= w->ratio_x, y[i] /= w->ratio_y;
      return done;
    }
  for (int i = 0; i < n; i++)
    x[i] *= w->ratio_x, y[i] *= w->ratio_y;
  sl_scene_transform_apply (w->transform, FALSE, n, x, y, z, ok);
  for (int i = 0; i < n; i++)
    {
      double sx = x[i], sy = y[i];

      x[i] = w->inv[0] + sx * w->inv[1] + sy * w->inv[2];
      y[i] = w->inv[3] + sx * w->inv[4] + sy * w->inv[5];
    }
  return TRUE;
}

static void *warper_create_similar (void *data, double ratio_x, double ratio_y);

static Warper *
warper_new (SlSceneTransform *transform, const double gt[6], double ratio_x, double ratio_y)
{
  Warper *w = g_new0 (Warper, 1);

  memcpy (w->info.abySignature, GDAL_GTI2_SIGNATURE, strlen (GDAL_GTI2_SIGNATURE));
  w->info.pszClassName = "SlSceneTransformWarper";
  w->info.pfnTransform = warper_transform;
  w->info.pfnCleanup = g_free;
  w->info.pfnCreateSimilar = warper_create_similar;
  w->transform = transform;
  memcpy (w->gt, gt, sizeof w->gt);
  w->ratio_x = ratio_x;
  w->ratio_y = ratio_y;
  if (!GDALInvGeoTransform (w->gt, w->inv))
    g_clear_pointer (&w, g_free);
  return w;
}

static void *
warper_create_similar (void *data, double ratio_x, double ratio_y)
{
  Warper *w = data;

  return warper_new (w->transform, w->gt, w->ratio_x * ratio_x, w->ratio_y * ratio_y);
}

void *
sl_scene_transform_new_warper (SlSceneTransform *self,
                               const double      dst_gt[6])
{
  g_return_val_if_fail (self != NULL && dst_gt != NULL, NULL);

  return warper_new (self, dst_gt, 1, 1);
}
