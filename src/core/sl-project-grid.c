/* sl-project-grid.c — the site grid and where each scene sits on it
 *
 * The grid is founded by the first scene (in the site CRS when it is georeferenced, else in
 * that scene's pixel space) and never moves afterwards: later scenes only add finer levels.
 * A georeferenced scene in the site CRS is placed by its geotransform; one in another CRS is
 * warped (no affine placement); a scene without georeference is placed by its pixel grid at
 * the site's resolution, centred on the site, and marked "not registered" until tie points
 * place it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project-grid"

#include "config.h"

#include <math.h>

#include <ogr_srs_api.h>
#include <cpl_error.h>

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-scene-private.h"

static double
affine_resolution (const double t[6])
{
  return sqrt (fabs (t[1] * t[5] - t[2] * t[4]));
}

static void
apply (const double t[6], double px, double py, double *x, double *y)
{
  *x = t[0] + px * t[1] + py * t[2];
  *y = t[3] + px * t[4] + py * t[5];
}

SlSiteGrid *
sl_project_dup_site_grid (SlProject *self)
{
  g_autoptr(SlStmt) stmt = NULL;
  const char *json;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);

  if (sqlite3_prepare_v2 (_sl_project_get_db (self), "SELECT grid FROM sl_site WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  json = (const char *) sqlite3_column_text (stmt, 0);
  return json ? sl_site_grid_new_from_json (json, NULL) : NULL;
}

static gboolean
store_grid (SlProject *self, SlSiteGrid *grid, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *json = sl_site_grid_to_json (grid);

  if (sqlite3_prepare_v2 (_sl_project_get_db (self), "UPDATE sl_site SET grid = ? WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
fail:
  _sl_project_set_sqlite_error (self, error, "Cannot store the site grid of");
  return FALSE;
}

gboolean
_sl_project_extend_grid (SlProject *self, double resolution, GError **error)
{
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (self);
  g_autoptr(SlSiteGrid) updated = NULL;

  if (grid == NULL)
    return TRUE;
  updated = sl_site_grid_with_max_zoom (grid, sl_site_grid_native_zoom (grid, resolution));
  return store_grid (self, updated, error);
}

static gboolean
same_crs (const char *a, const char *b)
{
  g_auto(SlOgrSrs) sa = OSRNewSpatialReference (NULL);
  g_auto(SlOgrSrs) sb = OSRNewSpatialReference (NULL);

  return OSRSetFromUserInput (sa, a) == OGRERR_NONE && OSRSetFromUserInput (sb, b) == OGRERR_NONE &&
         OSRIsSame (sa, sb);
}

/* Where a scene without georeference goes until tie points place it: at the site's resolution,
 * centred on (@cx, @cy), its pixels on the grid's pixels. */
static void
default_placement (SlSiteGrid *grid, SlScene *scene, double cx, double cy, double t[6])
{
  double ax, ay;
  double res = sl_site_grid_get_resolution (grid, SL_SITE_GRID_BASE_LEVELS);

  sl_site_grid_get_anchor (grid, &ax, &ay);
  cx = ax + round ((cx - ax) / res) * res;
  cy = ay - round ((ay - cy) / res) * res;
  t[0] = cx - (scene->width / 2) * res;
  t[1] = res;
  t[2] = 0;
  t[3] = cy + (scene->height / 2) * res;
  t[4] = 0;
  t[5] = -res;
}

/* The middle of the site: the centre of the scene that founded the grid (the oldest
 * georeferenced one, else the oldest scene). */
static void
site_center (SlProject *self, SlSiteGrid *grid, double *cx, double *cy)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self, NULL);
  SlScene *founder = NULL;
  double ax, ay, half = sl_site_grid_get_resolution (grid, 0) * SL_TILE_SIZE / 2;
  SlBounds b;

  sl_site_grid_get_anchor (grid, &ax, &ay);
  *cx = ax + half;
  *cy = ay - half;
  for (guint i = 0; scenes && i < scenes->len; i++)
    {
      SlScene *s = scenes->pdata[i];
      gboolean georef = s->georef == SL_GEOREF_GEOTRANSFORM;
      gboolean founder_georef = founder && founder->georef == SL_GEOREF_GEOTRANSFORM;

      if (founder == NULL || (georef && !founder_georef) || (georef == founder_georef && s->id < founder->id))
        founder = s;
    }
  if (founder && sl_scene_measure (founder, sl_site_grid_get_crs_wkt (grid), &b, NULL))
    {
      *cx = (b.min_x + b.max_x) / 2;
      *cy = (b.min_y + b.max_y) / 2;
    }
}

static gboolean
replace_unregistered (SlProject *self, SlSiteGrid *grid, double cx, double cy, GError **error)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self, error);

  if (scenes == NULL)
    return FALSE;
  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *s = scenes->pdata[i];
      double t[6];

      if (s->georef == SL_GEOREF_GEOTRANSFORM || s->registration != NULL)
        continue;
      default_placement (grid, s, cx, cy, t);
      if (!_sl_project_store_placement (self, s->id, TRUE, t, TRUE, error))
        return FALSE;
    }
  /* Scenes registered on one of those by tie points follow it (a pixel site has no CRS, so
   * they were not georeferenced). */
  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *s = scenes->pdata[i];
      g_autoptr(SlRegistration) registration = NULL;
      g_autoptr(SlScene) reference = NULL;
      gint64 reference_id = 0;
      double a[6], r[6], t[6];

      if (s->georef == SL_GEOREF_GEOTRANSFORM || s->registration == NULL ||
          (registration = sl_project_dup_registration (self, s->id, &reference_id, NULL)) == NULL ||
          !sl_registration_get_affine (registration, a) ||
          (reference = sl_project_get_scene (self, reference_id, NULL)) == NULL ||
          !sl_scene_get_pixel_to_site (reference, r))
        continue;
      t[0] = r[0] + r[1] * a[0] + r[2] * a[3];
      t[1] = r[1] * a[1] + r[2] * a[4];
      t[2] = r[1] * a[2] + r[2] * a[5];
      t[3] = r[3] + r[4] * a[0] + r[5] * a[3];
      t[4] = r[4] * a[1] + r[5] * a[4];
      t[5] = r[4] * a[2] + r[5] * a[5];
      if (!_sl_project_store_placement (self, s->id, TRUE, t, TRUE, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_sl_project_place_scene (SlProject *self, SlScene *scene, GError **error)
{
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (self);
  g_autoptr(SlSiteGrid) updated = NULL;
  g_autofree char *site_wkt = sl_project_dup_crs_wkt (self);
  double cx = 0, cy = 0, res = 1;   /* the scene's centre and resolution in site units */
  double ox = 0, oy = 0;            /* its top-left corner */
  gboolean placed_by_georef = FALSE;

  scene->has_pixel_to_site = FALSE;
  if (scene->georef == SL_GEOREF_GEOTRANSFORM && site_wkt != NULL &&
      (grid == NULL || sl_site_grid_get_crs_wkt (grid) != NULL || sl_project_count_annotations (self) == 0))
    {
      if (same_crs (scene->crs_wkt, site_wkt))
        {
          memcpy (scene->pixel_to_site, scene->geotransform, sizeof scene->geotransform);
          scene->has_pixel_to_site = TRUE;
          apply (scene->geotransform, scene->width / 2.0, scene->height / 2.0, &cx, &cy);
          apply (scene->geotransform, 0, 0, &ox, &oy);
          res = affine_resolution (scene->geotransform);
          placed_by_georef = TRUE;
        }
      else
        {
          SlBounds b;

          /* Warped from another CRS: no affine placement; the centre and mean pixel size of
           * its outline in the site CRS. */
          placed_by_georef = sl_scene_measure (scene, site_wkt, &b, &res);
          cx = (b.min_x + b.max_x) / 2;
          cy = (b.min_y + b.max_y) / 2;
          ox = b.min_x;
          oy = b.max_y;
        }
    }

  if (placed_by_georef && (grid == NULL || sl_site_grid_get_crs_wkt (grid) == NULL))
    {
      /* The first georeferenced scene founds the grid in the site CRS; scenes placed before
       * only by their pixels move to the middle of it. */
      gboolean refound = grid != NULL;

      g_clear_pointer (&grid, sl_site_grid_unref);
      /* Zoom 0 is centred on the founding scene's top-left pixel corner: tile edges then fall
       * on its pixel edges and on its 256-pixel source blocks at every level, so a tile reads
       * whole blocks and overviews on whole pixels (27–32 % less CPU than a centred grid,
       * measured on a 30000² JPEG GeoTIFF in bench/). */
      grid = sl_site_grid_new_around (site_wkt, ox, oy, res);
      if (refound && !replace_unregistered (self, grid, cx, cy, error))
        return FALSE;
    }
  else if (!placed_by_georef)
    {
      if (grid == NULL)
        {
          /* Pixel space: x = column, y = −row of this first scene. */
          const double identity[6] = { 0, 1, 0, 0, 0, -1 };

          grid = sl_site_grid_new_around (NULL, 0, 0, 1.0);
          memcpy (scene->pixel_to_site, identity, sizeof identity);
        }
      else
        {
          double sx, sy;

          site_center (self, grid, &sx, &sy);
          default_placement (grid, scene, sx, sy, scene->pixel_to_site);
        }
      scene->has_pixel_to_site = TRUE;
      res = affine_resolution (scene->pixel_to_site);
    }

  updated = sl_site_grid_with_max_zoom (grid, sl_site_grid_native_zoom (grid, res));
  return store_grid (self, updated, error);
}

gboolean
sl_project_set_render_params (SlProject             *self,
                              gint64                 scene_id,
                              const SlRenderParams  *params,
                              GError               **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *json = NULL;
  sqlite3 *db;

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  db = _sl_project_get_db (self);
  json = sl_render_params_to_json (params);
  if (sqlite3_prepare_v2 (db, "UPDATE sl_scenes SET render_params = ?2,"
                              " render_generation = render_generation + 1 WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, scene_id);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND,
                   "‘%s’ has no scene %" G_GINT64_FORMAT, sl_project_get_path (self), scene_id);
      return FALSE;
    }
  g_signal_emit_by_name (self, "scene-render-changed", scene_id);
  return TRUE;

fail:
  _sl_project_set_sqlite_error (self, error, "Cannot change how a scene is displayed in");
  return FALSE;
}
