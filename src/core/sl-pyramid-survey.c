/* sl-pyramid-survey.c — whether a scene needs a display pyramid built in the background
 *
 * Two cheap questions, asked off the main thread before any background build:
 *  - the source: GDAL reads a GeoTIFF with overviews fast at every zoom, but a file without
 *    them must be read whole for a zoomed-out view, and a JPEG2000 (or a baseline JPEG, a
 *    PNG: one compressed stream, no random access) is slow at any zoom;
 *  - the project: whether the levels such a source needs are already stored, in the scene's
 *    current generation. The pyramid builder reuses stored tiles, but in OVERVIEWS mode it
 *    still reads every native tile from the source (those are not stored), so asking it
 *    again would cost as much as the first build. Counting the stored tiles per level on
 *    the table's unique index takes milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-pyramid-survey"

#include "config.h"

#include <string.h>

#include "sl-autocleanups-private.h"
#include "sl-core.h"
#include "sl-project-private.h"
#include "sl-pyramid-survey.h"
#include "sl-raster-source-private.h"

/* Wavelet codecs: every read decodes code blocks at some resolution level, 15× the cost of a
 * JPEG-tiled GeoTIFF (PLATFORM-NOTES.md); GDAL reports their levels as overviews. */
static const char * const wavelet_drivers[] = {
  "JP2OpenJPEG", "JP2KAK", "JP2ECW", "JP2MrSID", "JP2Lura", "JPEG2000", "ECW", "MrSID", NULL,
};

/* One compressed stream: a read above the last decoded line starts over from the top. */
static const char * const sequential_drivers[] = {
  "JPEG", "PNG", "GIF", NULL,
};

static gboolean
in_list (const char * const *list, const char *name)
{
  return name != NULL && g_strv_contains (list, name);
}

void
sl_source_survey_free (SlSourceSurvey *survey)
{
  if (survey == NULL)
    return;
  g_free (survey->driver);
  g_free (survey);
}

SlPyramidMode
sl_pyramid_need_to_mode (SlPyramidNeed need)
{
  return need == SL_PYRAMID_NEED_FULL ? SL_PYRAMID_FULL : SL_PYRAMID_OVERVIEWS;
}

static SlPyramidNeed
decide (const SlSourceSurvey *s)
{
  if (in_list (wavelet_drivers, s->driver))
    return SL_PYRAMID_NEED_FULL;
  if (MAX (s->width, s->height) <= SL_PYRAMID_SURVEY_SMALL)
    return SL_PYRAMID_NEED_NONE;
  if (in_list (sequential_drivers, s->driver))
    return SL_PYRAMID_NEED_FULL;
  return s->coarsest > SL_PYRAMID_SURVEY_SMALL ? SL_PYRAMID_NEED_OVERVIEWS : SL_PYRAMID_NEED_NONE;
}

SlSourceSurvey *
sl_source_survey_run (const char  *path,
                      GError     **error)
{
  g_auto(SlGdalDataset) ds = NULL;
  SlGdalErrors errors = { NULL };
  SlSourceSurvey *s;
  GDALRasterBandH band;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();
  if (!g_str_has_prefix (path, "/vsi") && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING,
                   "Cannot open ‘%s’: the file was moved or deleted", path);
      return NULL;
    }

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  ds = GDALOpenEx (path, GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
  CPLPopErrorHandler ();
  if (ds == NULL || GDALGetRasterCount (ds) < 1)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_OPEN, "Cannot open ‘%s’: %s", path,
                   errors.message != NULL && *errors.message != '\0' ? errors.message
                                                                    : "not a raster format GDAL recognizes");
      g_free (errors.message);
      return NULL;
    }
  g_free (errors.message);

  s = g_new0 (SlSourceSurvey, 1);
  s->driver = g_strdup (GDALGetDriverShortName (GDALGetDatasetDriver (ds)));
  s->width = GDALGetRasterXSize (ds);
  s->height = GDALGetRasterYSize (ds);
  s->coarsest = MAX (s->width, s->height);

  band = GDALGetRasterBand (ds, 1);
  s->n_overviews = GDALGetOverviewCount (band);
  for (int i = 0; i < s->n_overviews; i++)
    {
      GDALRasterBandH ov = GDALGetOverview (band, i);

      if (ov != NULL)
        s->coarsest = MIN (s->coarsest, MAX (GDALGetRasterBandXSize (ov), GDALGetRasterBandYSize (ov)));
    }
  s->need = decide (s);
  return s;
}

gboolean
sl_pyramid_extent_init (SlPyramidExtent *extent,
                        SlProject       *project,
                        SlTileCache     *cache,
                        gint64           scene_id)
{
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRenderParams) defaults = NULL;
  const SlRenderParams *params;
  SlSiteGrid *grid;
  SlBounds footprint;

  g_return_val_if_fail (extent != NULL, FALSE);
  g_return_val_if_fail (SL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), FALSE);

  memset (extent, 0, sizeof *extent);
  extent->scene_id = scene_id;
  extent->native_zoom = -1;
  scene = sl_project_get_scene (project, scene_id, NULL);
  grid = sl_tile_cache_get_grid (cache);
  if (scene == NULL || grid == NULL)
    return FALSE;
  /* A scene without stored parameters is drawn with the defaults, as the cache does. */
  params = sl_scene_get_render_params (scene);
  if (params == NULL)
    params = defaults = sl_render_params_new_for (sl_scene_get_band_count (scene), sl_scene_get_data_type (scene),
                                                  sl_scene_get_has_palette (scene));
  extent->generation = sl_scene_get_render_generation (scene);
  extent->resolved = params->resolved;
  extent->native_zoom = sl_tile_cache_get_native_zoom (cache, scene_id);
  if (extent->native_zoom < 0 || !sl_tile_cache_get_footprint (cache, scene_id, &footprint))
    return FALSE;
  sl_site_grid_tile_range (grid, extent->native_zoom, &footprint, &extent->x0, &extent->y0, &extent->x1, &extent->y1);
  return TRUE;
}

static void
set_db_error (GError **error, sqlite3 *db, const char *project_path)
{
  g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO, "Cannot read the tiles of ‘%s’: %s",
               project_path, sqlite3_errmsg (db));
}

/* The generation the scene's stored tiles belong to, or -1 when none is recorded. */
static gint64
stored_generation (sqlite3 *db, gint64 scene_id)
{
  g_autofree char *key = g_strdup_printf ("sl_tiles_%" G_GINT64_FORMAT ".generation", scene_id);
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT CAST(value AS INTEGER) FROM sl_meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

int
sl_pyramid_survey_count_levels (const char            *project_path,
                                const SlPyramidExtent *extent,
                                GError               **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db;
  int complete = 0;

  g_return_val_if_fail (project_path != NULL, -1);
  g_return_val_if_fail (extent != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!extent->resolved || extent->native_zoom < 0)
    return 0;
  db = _sl_project_open_connection (project_path, TRUE, error);
  if (db == NULL)
    return -1;
  if (stored_generation (db, extent->scene_id) != extent->generation)
    goto out;

  sql = g_strdup_printf ("SELECT count(*) FROM \"sl_tiles_%" G_GINT64_FORMAT "\" WHERE zoom_level = ?1"
                         " AND tile_column BETWEEN ?2 AND ?3 AND tile_row BETWEEN ?4 AND ?5", extent->scene_id);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      /* A scene whose tiles were never stored has no table yet. */
      if (!g_str_has_prefix (sqlite3_errmsg (db), "no such table"))
        {
          set_db_error (error, db, project_path);
          complete = -1;
        }
      goto out;
    }
  for (int z = 0; z <= extent->native_zoom; z++)
    {
      int s = extent->native_zoom - z;
      int x0 = extent->x0 >> s, x1 = extent->x1 >> s, y0 = extent->y0 >> s, y1 = extent->y1 >> s;
      gint64 expected = (gint64) (x1 - x0 + 1) * (y1 - y0 + 1);

      sqlite3_reset (stmt);
      sqlite3_bind_int (stmt, 1, z);
      sqlite3_bind_int (stmt, 2, x0);
      sqlite3_bind_int (stmt, 3, x1);
      sqlite3_bind_int (stmt, 4, y0);
      sqlite3_bind_int (stmt, 5, y1);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          set_db_error (error, db, project_path);
          complete = -1;
          goto out;
        }
      if (sqlite3_column_int64 (stmt, 0) < expected)
        break;
      complete = z + 1;
    }

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);
  return complete;
}
