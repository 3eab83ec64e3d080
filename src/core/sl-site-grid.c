/* sl-site-grid.c — the one grid every scene of a site is drawn on
 *
 * An immutable, reference-counted value: workers read it without locks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-site-grid"

#include "config.h"

#include <math.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sl-site-grid.h"

struct _SlSiteGrid
{
  gatomicrefcount ref_count;
  char   *crs_wkt;     /* NULL: pixel space */
  double  anchor_x;    /* top-left of zoom 0 */
  double  anchor_y;
  double  res0;        /* site units per pixel at zoom 0 */
  int     max_zoom;
};

G_DEFINE_BOXED_TYPE (SlSiteGrid, sl_site_grid, sl_site_grid_ref, sl_site_grid_unref)

static SlSiteGrid *
grid_new (const char *crs_wkt, double anchor_x, double anchor_y, double res0, int max_zoom)
{
  SlSiteGrid *self = g_new0 (SlSiteGrid, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->crs_wkt = crs_wkt && *crs_wkt ? g_strdup (crs_wkt) : NULL;
  self->anchor_x = anchor_x;
  self->anchor_y = anchor_y;
  self->res0 = res0;
  self->max_zoom = CLAMP (max_zoom, 0, SL_SITE_GRID_MAX_LEVELS);
  return self;
}

SlSiteGrid *
sl_site_grid_new_around (const char *crs_wkt,
                         double      center_x,
                         double      center_y,
                         double      resolution)
{
  double res0;

  g_return_val_if_fail (resolution > 0 && isfinite (resolution), NULL);
  g_return_val_if_fail (isfinite (center_x) && isfinite (center_y), NULL);

  res0 = ldexp (resolution, SL_SITE_GRID_BASE_LEVELS);
  return grid_new (crs_wkt, center_x - res0 * SL_TILE_SIZE / 2, center_y + res0 * SL_TILE_SIZE / 2,
                   res0, SL_SITE_GRID_BASE_LEVELS);
}

SlSiteGrid *
sl_site_grid_ref (SlSiteGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sl_site_grid_unref (SlSiteGrid *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->crs_wkt);
      g_free (self);
    }
}

char *
sl_site_grid_to_json (SlSiteGrid *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tile_size");
  json_builder_add_int_value (b, SL_TILE_SIZE);
  json_builder_set_member_name (b, "anchor_x");
  json_builder_add_double_value (b, self->anchor_x);
  json_builder_set_member_name (b, "anchor_y");
  json_builder_add_double_value (b, self->anchor_y);
  json_builder_set_member_name (b, "res0");
  json_builder_add_double_value (b, self->res0);
  json_builder_set_member_name (b, "max_zoom");
  json_builder_add_int_value (b, self->max_zoom);
  json_builder_set_member_name (b, "crs_wkt");
  if (self->crs_wkt)
    json_builder_add_string_value (b, self->crs_wkt);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

SlSiteGrid *
sl_site_grid_new_from_json (const char  *json,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  double res0;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "res0") || !json_object_has_member (o, "anchor_x") ||
      !json_object_has_member (o, "anchor_y") || !json_object_has_member (o, "max_zoom") ||
      json_object_get_int_member_with_default (o, "tile_size", 0) != SL_TILE_SIZE)
    goto bad;
  res0 = json_object_get_double_member (o, "res0");
  if (!(res0 > 0) || !isfinite (res0))
    goto bad;
  return grid_new (json_object_get_string_member_with_default (o, "crs_wkt", NULL),
                   json_object_get_double_member (o, "anchor_x"),
                   json_object_get_double_member (o, "anchor_y"),
                   res0, (int) json_object_get_int_member (o, "max_zoom"));

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a Sitelapse site grid");
  return NULL;
}

gboolean
sl_site_grid_equal (SlSiteGrid *a, SlSiteGrid *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_strcmp0 (a->crs_wkt, b->crs_wkt) == 0 && a->anchor_x == b->anchor_x &&
         a->anchor_y == b->anchor_y && a->res0 == b->res0 && a->max_zoom == b->max_zoom;
}

const char *
sl_site_grid_get_crs_wkt (SlSiteGrid *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->crs_wkt;
}

void
sl_site_grid_get_anchor (SlSiteGrid *self, double *x, double *y)
{
  g_return_if_fail (self != NULL);
  if (x)
    *x = self->anchor_x;
  if (y)
    *y = self->anchor_y;
}

int
sl_site_grid_get_max_zoom (SlSiteGrid *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_zoom;
}

SlSiteGrid *
sl_site_grid_with_max_zoom (SlSiteGrid *self, int max_zoom)
{
  g_return_val_if_fail (self != NULL, NULL);
  return grid_new (self->crs_wkt, self->anchor_x, self->anchor_y, self->res0, MAX (max_zoom, self->max_zoom));
}

double
sl_site_grid_get_resolution (SlSiteGrid *self, int z)
{
  g_return_val_if_fail (self != NULL, 0);
  return ldexp (self->res0, -z);
}

int
sl_site_grid_zoom_for_resolution (SlSiteGrid *self, double resolution)
{
  double z;

  g_return_val_if_fail (self != NULL, 0);
  if (!(resolution > 0))
    return self->max_zoom;
  /* Tolerate rounding: a resolution within 1e-6 of a level's is that level. */
  z = ceil (log2 (self->res0 / resolution) - 1e-6);
  return (int) CLAMP (z, 0, self->max_zoom);
}

int
sl_site_grid_native_zoom (SlSiteGrid *self, double resolution)
{
  double z;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (resolution > 0, 0);
  /* A scene up to 10 % finer than a level is shown at that level: a UTM scene warped into the
   * neighbouring zone, or 0.49 m imagery on a 0.5 m grid, should not cost 4× the tiles. */
  z = ceil (log2 (self->res0 / resolution) - log2 (1.1));
  return (int) CLAMP (z, 0, SL_SITE_GRID_MAX_LEVELS);
}

void
sl_site_grid_get_tile_bounds (SlSiteGrid *self, int z, int x, int y, SlBounds *bounds)
{
  double span;

  g_return_if_fail (self != NULL && bounds != NULL);
  span = sl_site_grid_get_resolution (self, z) * SL_TILE_SIZE;
  bounds->min_x = self->anchor_x + x * span;
  bounds->max_x = bounds->min_x + span;
  bounds->max_y = self->anchor_y - y * span;
  bounds->min_y = bounds->max_y - span;
}

void
sl_site_grid_site_to_pixel (SlSiteGrid *self, int z, double site_x, double site_y, double *px, double *py)
{
  double res;

  g_return_if_fail (self != NULL);
  res = sl_site_grid_get_resolution (self, z);
  if (px)
    *px = (site_x - self->anchor_x) / res;
  if (py)
    *py = (self->anchor_y - site_y) / res;
}

void
sl_site_grid_pixel_to_site (SlSiteGrid *self, int z, double px, double py, double *site_x, double *site_y)
{
  double res;

  g_return_if_fail (self != NULL);
  res = sl_site_grid_get_resolution (self, z);
  if (site_x)
    *site_x = self->anchor_x + px * res;
  if (site_y)
    *site_y = self->anchor_y - py * res;
}

void
sl_site_grid_tile_range (SlSiteGrid *self, int z, const SlBounds *bounds, int *x0, int *y0, int *x1, int *y1)
{
  double px0, py0, px1, py1;
  double n;

  g_return_if_fail (self != NULL && bounds != NULL);
  n = ldexp (1.0, z) - 1;
  sl_site_grid_site_to_pixel (self, z, bounds->min_x, bounds->max_y, &px0, &py0);
  sl_site_grid_site_to_pixel (self, z, bounds->max_x, bounds->min_y, &px1, &py1);
  /* A bound exactly on a tile edge does not pull in the next tile. */
  *x0 = (int) CLAMP (floor (px0 / SL_TILE_SIZE), 0, n);
  *y0 = (int) CLAMP (floor (py0 / SL_TILE_SIZE), 0, n);
  *x1 = (int) CLAMP (ceil (px1 / SL_TILE_SIZE) - 1, 0, n);
  *y1 = (int) CLAMP (ceil (py1 / SL_TILE_SIZE) - 1, 0, n);
}
