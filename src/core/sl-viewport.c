/* sl-viewport.c — what part of the site is shown, shared by every pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-viewport"

#include "config.h"

#include <math.h>

#include "sl-viewport.h"

/* How far past 100 % one may zoom in (pixels become 32 × 32 blocks). */
#define MAX_MAGNIFICATION 32.0

struct _SlViewport
{
  GObject     parent_instance;

  SlSiteGrid *grid;
  double      center_x;
  double      center_y;
  double      resolution;
};

G_DEFINE_FINAL_TYPE (SlViewport, sl_viewport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  PROP_RESOLUTION,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
finest_resolution (SlViewport *self)
{
  return self->grid ? sl_site_grid_get_resolution (self->grid, sl_site_grid_get_max_zoom (self->grid)) : 1.0;
}

static double
clamp_resolution (SlViewport *self, double resolution)
{
  double finest = finest_resolution (self);
  double coarsest = self->grid ? sl_site_grid_get_resolution (self->grid, 0) : 1e12;

  if (!isfinite (resolution) || resolution <= 0)
    return self->resolution;
  return CLAMP (resolution, finest / MAX_MAGNIFICATION, coarsest);
}

static void
sl_viewport_finalize (GObject *object)
{
  SlViewport *self = SL_VIEWPORT (object);

  g_clear_pointer (&self->grid, sl_site_grid_unref);
  G_OBJECT_CLASS (sl_viewport_parent_class)->finalize (object);
}

static void
sl_viewport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SlViewport *self = SL_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X: g_value_set_double (value, self->center_x); break;
    case PROP_CENTER_Y: g_value_set_double (value, self->center_y); break;
    case PROP_RESOLUTION: g_value_set_double (value, self->resolution); break;
    case PROP_ZOOM: g_value_set_double (value, sl_viewport_get_zoom (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_viewport_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SlViewport *self = SL_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X: sl_viewport_set_center (self, g_value_get_double (value), self->center_y); break;
    case PROP_CENTER_Y: sl_viewport_set_center (self, self->center_x, g_value_get_double (value)); break;
    case PROP_RESOLUTION: sl_viewport_set_resolution (self, g_value_get_double (value)); break;
    case PROP_ZOOM: sl_viewport_set_zoom (self, g_value_get_double (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_viewport_class_init (SlViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sl_viewport_finalize;
  object_class->get_property = sl_viewport_get_property;
  object_class->set_property = sl_viewport_set_property;

  properties[PROP_CENTER_X] = g_param_spec_double ("center-x", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_CENTER_Y] = g_param_spec_double ("center-y", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_RESOLUTION] = g_param_spec_double ("resolution", NULL, NULL, 0, G_MAXDOUBLE, 1, flags);
  properties[PROP_ZOOM] = g_param_spec_double ("zoom", NULL, NULL, 0, G_MAXDOUBLE, 1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_viewport_init (SlViewport *self)
{
  self->resolution = 1.0;
}

SlViewport *
sl_viewport_new (void)
{
  return g_object_new (SL_TYPE_VIEWPORT, NULL);
}

SlSiteGrid *
sl_viewport_get_grid (SlViewport *self)
{
  g_return_val_if_fail (SL_IS_VIEWPORT (self), NULL);
  return self->grid;
}

void
sl_viewport_set_grid (SlViewport *self, SlSiteGrid *grid)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));

  if (sl_site_grid_equal (self->grid, grid))
    return;
  g_clear_pointer (&self->grid, sl_site_grid_unref);
  self->grid = grid ? sl_site_grid_ref (grid) : NULL;
  sl_viewport_set_resolution (self, self->resolution);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

double sl_viewport_get_center_x (SlViewport *self) { g_return_val_if_fail (SL_IS_VIEWPORT (self), 0); return self->center_x; }
double sl_viewport_get_center_y (SlViewport *self) { g_return_val_if_fail (SL_IS_VIEWPORT (self), 0); return self->center_y; }
double sl_viewport_get_resolution (SlViewport *self) { g_return_val_if_fail (SL_IS_VIEWPORT (self), 1); return self->resolution; }

void
sl_viewport_set_center (SlViewport *self, double x, double y)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));

  if (!isfinite (x) || !isfinite (y))
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (x != self->center_x)
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (y != self->center_y)
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
sl_viewport_set_resolution (SlViewport *self, double resolution)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));

  resolution = clamp_resolution (self, resolution);
  if (resolution == self->resolution)
    return;
  self->resolution = resolution;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLUTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  g_object_thaw_notify (G_OBJECT (self));
}

double
sl_viewport_get_zoom (SlViewport *self)
{
  g_return_val_if_fail (SL_IS_VIEWPORT (self), 1);
  return finest_resolution (self) / self->resolution;
}

void
sl_viewport_set_zoom (SlViewport *self, double zoom)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));
  if (zoom > 0 && isfinite (zoom))
    sl_viewport_set_resolution (self, finest_resolution (self) / zoom);
}

double
sl_viewport_get_min_zoom (SlViewport *self)
{
  g_return_val_if_fail (SL_IS_VIEWPORT (self), 1);
  return self->grid ? finest_resolution (self) / sl_site_grid_get_resolution (self->grid, 0) : 1e-12;
}

double
sl_viewport_get_max_zoom (SlViewport *self)
{
  g_return_val_if_fail (SL_IS_VIEWPORT (self), 1);
  return MAX_MAGNIFICATION;
}

void
sl_viewport_widget_to_site (SlViewport *self, int width, int height, double wx, double wy, double *sx, double *sy)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));
  if (sx)
    *sx = self->center_x + (wx - width / 2.0) * self->resolution;
  if (sy)
    *sy = self->center_y - (wy - height / 2.0) * self->resolution;
}

void
sl_viewport_site_to_widget (SlViewport *self, int width, int height, double sx, double sy, double *wx, double *wy)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));
  if (wx)
    *wx = width / 2.0 + (sx - self->center_x) / self->resolution;
  if (wy)
    *wy = height / 2.0 - (sy - self->center_y) / self->resolution;
}

void
sl_viewport_zoom_at (SlViewport *self, double factor, double wx, double wy, int width, int height)
{
  double sx, sy, old_res;

  g_return_if_fail (SL_IS_VIEWPORT (self));
  if (!(factor > 0) || !isfinite (factor))
    return;

  sl_viewport_widget_to_site (self, width, height, wx, wy, &sx, &sy);
  old_res = self->resolution;
  g_object_freeze_notify (G_OBJECT (self));
  sl_viewport_set_resolution (self, old_res / factor);
  /* Keep (sx, sy) under the pointer with the resolution actually applied (it may be clamped). */
  sl_viewport_set_center (self,
                          sx - (wx - width / 2.0) * self->resolution,
                          sy + (wy - height / 2.0) * self->resolution);
  g_object_thaw_notify (G_OBJECT (self));
}

void
sl_viewport_pan_pixels (SlViewport *self, double dx, double dy)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));
  sl_viewport_set_center (self, self->center_x - dx * self->resolution, self->center_y + dy * self->resolution);
}

void
sl_viewport_fit (SlViewport *self, const SlBounds *bounds, int width, int height, int margin)
{
  double w, h;

  g_return_if_fail (SL_IS_VIEWPORT (self));
  g_return_if_fail (bounds != NULL);

  w = MAX (1, width - 2 * margin);
  h = MAX (1, height - 2 * margin);
  g_object_freeze_notify (G_OBJECT (self));
  sl_viewport_set_resolution (self, MAX ((bounds->max_x - bounds->min_x) / w, (bounds->max_y - bounds->min_y) / h));
  sl_viewport_set_center (self, (bounds->min_x + bounds->max_x) / 2, (bounds->min_y + bounds->max_y) / 2);
  g_object_thaw_notify (G_OBJECT (self));
}

void
sl_viewport_get_visible_bounds (SlViewport *self, int width, int height, SlBounds *bounds)
{
  g_return_if_fail (SL_IS_VIEWPORT (self));
  g_return_if_fail (bounds != NULL);

  bounds->min_x = self->center_x - width / 2.0 * self->resolution;
  bounds->max_x = self->center_x + width / 2.0 * self->resolution;
  bounds->min_y = self->center_y - height / 2.0 * self->resolution;
  bounds->max_y = self->center_y + height / 2.0 * self->resolution;
}

int
sl_viewport_get_level (SlViewport *self, double scale_factor)
{
  g_return_val_if_fail (SL_IS_VIEWPORT (self), 0);
  if (self->grid == NULL)
    return 0;
  return sl_site_grid_zoom_for_resolution (self->grid, self->resolution / MAX (scale_factor, 1e-3));
}
