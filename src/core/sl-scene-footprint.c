/* sl-scene-footprint.c — where a scene lies on the site, measured without opening it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-footprint"

#include "config.h"

#include <math.h>

#include "sl-scene-transform.h"

/* Points per image edge: enough to follow the curve of an outline warped into another CRS. */
#define OUTLINE_STEPS 32

gboolean
sl_scene_measure (SlScene    *scene,
                  const char *site_wkt,
                  SlBounds   *footprint,
                  double     *resolution)
{
  const int n = 4 * OUTLINE_STEPS;
  double xs[4 * OUTLINE_STEPS], ys[4 * OUTLINE_STEPS], zs[4 * OUTLINE_STEPS] = { 0 };
  int ok[4 * OUTLINE_STEPS];
  double area = 0, res;
  int w, h;
  g_autoptr(SlSceneTransform) transform = NULL;
  SlBounds b = { 0 };

  g_return_val_if_fail (SL_IS_SCENE (scene), FALSE);

  w = sl_scene_get_width (scene);
  h = sl_scene_get_height (scene);
  if (w <= 0 || h <= 0 || (transform = sl_scene_transform_new (scene, site_wkt)) == NULL)
    return FALSE;
  for (int i = 0; i < OUTLINE_STEPS; i++)
    {
      double f = (double) i / OUTLINE_STEPS;

      xs[i] = w * f, ys[i] = 0;
      xs[OUTLINE_STEPS + i] = w, ys[OUTLINE_STEPS + i] = h * f;
      xs[2 * OUTLINE_STEPS + i] = w * (1 - f), ys[2 * OUTLINE_STEPS + i] = h;
      xs[3 * OUTLINE_STEPS + i] = 0, ys[3 * OUTLINE_STEPS + i] = h * (1 - f);
    }
  sl_scene_transform_apply (transform, FALSE, n, xs, ys, zs, ok);

  for (int i = 0; i < n; i++)
    {
      int j = (i + 1) % n;

      if (!ok[i] || !isfinite (xs[i]) || !isfinite (ys[i]))
        return FALSE;   /* an outline point outside the site CRS's domain */
      if (i == 0)
        b = (SlBounds) { xs[i], ys[i], xs[i], ys[i] };
      b.min_x = MIN (b.min_x, xs[i]);
      b.max_x = MAX (b.max_x, xs[i]);
      b.min_y = MIN (b.min_y, ys[i]);
      b.max_y = MAX (b.max_y, ys[i]);
      area += xs[i] * ys[j] - xs[j] * ys[i];   /* shoelace */
    }
  res = sqrt (fabs (area) / 2 / ((double) w * h));
  if (!isfinite (res) || !(res > 0))
    return FALSE;
  if (footprint)
    *footprint = b;
  if (resolution)
    *resolution = res;
  return TRUE;
}
