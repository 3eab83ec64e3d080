/* sl-project-scenes.c — the project's scenes (sl_scenes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project-scenes"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-scene-private.h"

#define SCENE_COLUMNS \
  "id, acquired, label, provider, sensor, credit, caption, source_path, sha256, file_size," \
  " driver, width, height, band_count, data_type, nodata, has_mask, has_palette, georef," \
  " geotransform, crs_wkt, gcp_count, pixel_to_site, render_params, render_generation, visible," \
  " registration"

static const char *const georef_names[] = { "none", "geotransform", "gcps" };

/* How far up a stored relative path may climb: "../imagery/x.tif" keeps working when the
 * project folder and its imagery move together; beyond that an absolute path is clearer. */
#define MAX_PARENT_STEPS 2

static char *
relative_source_path (const char *project_dir, const char *abs_path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (project_dir);
  g_autoptr(GFile) file = g_file_new_for_path (abs_path);
  g_autoptr(GFile) ancestor = g_object_ref (dir);
  g_autoptr(GString) rel = g_string_new (NULL);

  for (int up = 0; up <= MAX_PARENT_STEPS && ancestor != NULL; up++)
    {
      g_autofree char *below = g_file_get_relative_path (ancestor, file);
      GFile *parent;

      if (below != NULL)
        {
          g_string_append (rel, below);
          return g_string_free (g_steal_pointer (&rel), FALSE);
        }
      g_string_append (rel, "../");
      parent = g_file_get_parent (ancestor);
      g_object_unref (ancestor);
      ancestor = parent;
      if (ancestor == NULL || !g_file_has_parent (ancestor, NULL))
        break; /* never relative through the filesystem root */
    }
  return g_strdup (abs_path);
}

static char *
format_geotransform (const double gt[6])
{
  char buf[6][G_ASCII_DTOSTR_BUF_SIZE];

  for (int i = 0; i < 6; i++)
    g_ascii_dtostr (buf[i], sizeof buf[i], gt[i]);
  return g_strdup_printf ("[%s,%s,%s,%s,%s,%s]", buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
}

static gboolean
parse_geotransform (const char *text, double gt[6])
{
  const char *p = text;

  if (p == NULL || *p++ != '[')
    return FALSE;
  for (int i = 0; i < 6; i++)
    {
      char *end;

      gt[i] = g_ascii_strtod (p, &end);
      if (end == p)
        return FALSE;
      p = end;
      if (*p == ',' || *p == ']')
        p++;
    }
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt, int col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static SlScene *
scene_from_row (sqlite3_stmt *stmt)
{
  SlScene *scene = sl_scene_new ();
  const char *georef = column_text (stmt, 18);

  scene->id = sqlite3_column_int64 (stmt, 0);
  scene->acquired = sl_scene_parse_date (column_text (stmt, 1));
  scene->label = g_strdup (column_text (stmt, 2));
  scene->provider = g_strdup (column_text (stmt, 3));
  scene->sensor = g_strdup (column_text (stmt, 4));
  scene->credit = g_strdup (column_text (stmt, 5));
  scene->caption = g_strdup (column_text (stmt, 6));
  scene->source_path = g_strdup (column_text (stmt, 7));
  scene->sha256 = g_strdup (column_text (stmt, 8));
  scene->file_size = sqlite3_column_int64 (stmt, 9);
  scene->driver = g_strdup (column_text (stmt, 10));
  scene->width = sqlite3_column_int (stmt, 11);
  scene->height = sqlite3_column_int (stmt, 12);
  scene->band_count = sqlite3_column_int (stmt, 13);
  scene->data_type = g_strdup (column_text (stmt, 14));
  scene->has_nodata = sqlite3_column_type (stmt, 15) != SQLITE_NULL;
  scene->nodata = sqlite3_column_double (stmt, 15);
  scene->has_mask = sqlite3_column_int (stmt, 16) != 0;
  scene->has_palette = sqlite3_column_int (stmt, 17) != 0;
  scene->georef = SL_GEOREF_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (georef_names); i++)
    if (g_strcmp0 (georef, georef_names[i]) == 0)
      scene->georef = i;
  if (!parse_geotransform (column_text (stmt, 19), scene->geotransform) &&
      scene->georef == SL_GEOREF_GEOTRANSFORM)
    scene->georef = SL_GEOREF_NONE;
  scene->crs_wkt = g_strdup (column_text (stmt, 20));
  scene->gcp_count = sqlite3_column_int (stmt, 21);
  scene->has_pixel_to_site = parse_geotransform (column_text (stmt, 22), scene->pixel_to_site);
  if (column_text (stmt, 23))
    scene->render_params = sl_render_params_new_from_json (column_text (stmt, 23), NULL);
  if (scene->render_params == NULL)
    scene->render_params = sl_render_params_new_for (scene->band_count, scene->data_type, scene->has_palette);
  scene->render_generation = (guint32) sqlite3_column_int64 (stmt, 24);
  scene->visible = sqlite3_column_int (stmt, 25) != 0;
  scene->registration = g_strdup (column_text (stmt, 26));
  return scene;
}

GPtrArray *
sl_project_list_scenes (SlProject  *self,
                        GError    **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) stmt = NULL;
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);

  if (sqlite3_prepare_v2 (db, "SELECT " SCENE_COLUMNS " FROM sl_scenes ORDER BY acquired, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the scenes of");
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (scenes, scene_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the scenes of");
      return NULL;
    }
  return g_steal_pointer (&scenes);
}

SlScene *
sl_project_get_scene (SlProject  *self,
                      gint64      scene_id,
                      GError    **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);

  if (sqlite3_prepare_v2 (db, "SELECT " SCENE_COLUMNS " FROM sl_scenes WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read a scene of");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, scene_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return scene_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND,
                 "‘%s’ has no scene %" G_GINT64_FORMAT, sl_project_get_path (self), scene_id);
  else
    _sl_project_set_sqlite_error (self, error, "Cannot read a scene of");
  return NULL;
}

static gboolean
check_not_duplicate (SlProject *self, SlScene *scene, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self), "SELECT label FROM sl_scenes WHERE sha256 = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the scenes of");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, scene->sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_DUPLICATE_SCENE,
                   "Cannot add ‘%s’: the same image is already in the project as “%s”",
                   scene->source_path, column_text (stmt, 0));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_scene (SlProject *self, SlScene *scene, const char *stored_path, gint64 srs_id, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *acquired = sl_scene_format_acquired (scene);
  g_autofree char *gt = format_geotransform (scene->geotransform);
  g_autofree char *placement = format_geotransform (scene->pixel_to_site);
  g_autoptr(SlRenderParams) params = sl_render_params_new_for (scene->band_count, scene->data_type, scene->has_palette);
  g_autofree char *params_json = sl_render_params_to_json (params);

  if (sqlite3_prepare_v2 (db, "INSERT INTO sl_scenes (acquired, label, provider, sensor, credit, caption,"
                              " source_path, sha256, file_size, driver, width, height, band_count, data_type,"
                              " nodata, has_mask, has_palette, georef, geotransform, crs_wkt, srs_id, gcp_count,"
                              " pixel_to_site, render_params, visible, added) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                              " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
                              " ?25, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, acquired, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, scene->label ? scene->label : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, scene->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, scene->sensor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, scene->credit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, scene->caption, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, stored_path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, scene->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, scene->file_size);
  sqlite3_bind_text (stmt, 10, scene->driver, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 11, scene->width);
  sqlite3_bind_int (stmt, 12, scene->height);
  sqlite3_bind_int (stmt, 13, scene->band_count);
  sqlite3_bind_text (stmt, 14, scene->data_type, -1, SQLITE_TRANSIENT);
  if (scene->has_nodata)
    sqlite3_bind_double (stmt, 15, scene->nodata);
  sqlite3_bind_int (stmt, 16, scene->has_mask);
  sqlite3_bind_int (stmt, 17, scene->has_palette);
  sqlite3_bind_text (stmt, 18, georef_names[scene->georef], -1, SQLITE_STATIC);
  if (scene->georef == SL_GEOREF_GEOTRANSFORM)
    sqlite3_bind_text (stmt, 19, gt, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 20, scene->crs_wkt, -1, SQLITE_TRANSIENT);
  if (srs_id != 0)
    sqlite3_bind_int64 (stmt, 21, srs_id);
  sqlite3_bind_int (stmt, 22, scene->gcp_count);
  if (scene->has_pixel_to_site)
    sqlite3_bind_text (stmt, 23, placement, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 24, params_json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 25, scene->visible ? 1 : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  return TRUE;

fail:
  _sl_project_set_sqlite_error (self, error, "Cannot add a scene to");
  return FALSE;
}

SlScene *
sl_project_add_scene (SlProject  *self,
                      SlScene    *scene,
                      GError    **error)
{
  g_autofree char *stored_path = NULL;
  gint64 srs_id = 0, id;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);
  g_return_val_if_fail (scene->source_path != NULL && scene->sha256 != NULL, NULL);

  if (scene->acquired == NULL)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NO_DATE,
                   "Cannot add ‘%s’: it has no acquisition date in its metadata; give one", scene->source_path);
      return NULL;
    }

  stored_path = g_path_is_absolute (scene->source_path)
                ? relative_source_path (self->dir, scene->source_path)
                : g_strdup (scene->source_path);

  if (scene->label == NULL || *scene->label == '\0')
    {
      g_autofree char *label = _sl_scene_default_label (scene->source_path, scene->acquired);
      sl_scene_set_label (scene, label);
    }

  if (!_sl_project_begin (self, error))
    return NULL;
  if (!check_not_duplicate (self, scene, error) ||
      (scene->georef == SL_GEOREF_GEOTRANSFORM && !_sl_project_adopt_crs (self, scene->crs_wkt, &srs_id, error)) ||
      !_sl_project_place_scene (self, scene, error) ||
      !insert_scene (self, scene, stored_path, srs_id, error))
    {
      _sl_project_rollback (self);
      return NULL;
    }
  id = sqlite3_last_insert_rowid (_sl_project_get_db (self));
  if (!_sl_project_commit (self, error))
    {
      _sl_project_rollback (self);
      return NULL;
    }

  g_signal_emit_by_name (self, "scenes-changed");
  return sl_project_get_scene (self, id, error);
}

/* Writes what the user edits: date, label, provider, sensor, credit, caption and visibility.
 * The pixels' facts and the placement have their own paths. */
gboolean
sl_project_update_scene (SlProject  *self,
                         SlScene    *scene,
                         GError    **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *acquired = NULL;
  sqlite3 *db = _sl_project_get_db (self);

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (SL_IS_SCENE (scene) && scene->id > 0, FALSE);
  g_return_val_if_fail (scene->acquired != NULL, FALSE);

  acquired = sl_scene_format_acquired (scene);
  if (!_sl_project_begin (self, error))
    return FALSE;
  /* The annotations of a scene carry its date (for QGIS's temporal controller): keep them
   * in step in the same transaction. */
  if (sqlite3_prepare_v2 (db, "UPDATE sl_scenes SET acquired = ?2, label = ?3, provider = ?4, sensor = ?5,"
                              " credit = ?6, caption = ?7, visible = ?8 WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  sqlite3_bind_text (stmt, 2, acquired, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, scene->label ? scene->label : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, scene->provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, scene->sensor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, scene->credit, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, scene->caption, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 8, scene->visible ? 1 : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  if (sqlite3_changes (db) != 1)
    {
      /* Removed meanwhile (by another window of the same file, say). */
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND,
                   "Cannot update a scene of ‘%s’: it has no scene %" G_GINT64_FORMAT " any more",
                   sl_project_get_path (self), scene->id);
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_prepare_v2 (db, "UPDATE annotations SET acquired = ?2 WHERE scene_id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, scene->id);
  sqlite3_bind_text (stmt, 2, acquired, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE || !_sl_project_commit (self, error))
    goto fail;

  g_signal_emit_by_name (self, "scenes-changed");
  return TRUE;

fail:
  if (error && *error == NULL)
    _sl_project_set_sqlite_error (self, error, "Cannot update a scene of");
  _sl_project_rollback (self);
  return FALSE;
}

/* A scene's display tiles (sl-tile-store.c) go with it: the table and its GeoPackage rows. */
static gboolean
drop_tile_table (SlProject *self, gint64 scene_id, GError **error)
{
  g_autofree char *table = g_strdup_printf ("sl_tiles_%" G_GINT64_FORMAT, scene_id);
  g_autofree char *sql = g_strdup_printf (
    "DROP TABLE IF EXISTS \"%s\";"
    "DELETE FROM gpkg_tile_matrix WHERE table_name = '%s';"
    "DELETE FROM gpkg_tile_matrix_set WHERE table_name = '%s';"
    "DELETE FROM gpkg_contents WHERE table_name = '%s';"
    "DELETE FROM sl_meta WHERE key = '%s.generation';",
    table, table, table, table, table);

  return _sl_project_exec (self, sql, error);
}

gboolean
sl_project_remove_scene (SlProject  *self,
                         gint64      scene_id,
                         GError    **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  sqlite3 *db = _sl_project_get_db (self);

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);

  if (!_sl_project_begin (self, error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "DELETE FROM sl_scenes WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, scene_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  if (sqlite3_changes (db) == 0)
    {
      _sl_project_rollback (self);
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND,
                   "‘%s’ has no scene %" G_GINT64_FORMAT, sl_project_get_path (self), scene_id);
      return FALSE;
    }
  if (!drop_tile_table (self, scene_id, error) || !_sl_project_commit (self, error))
    {
      _sl_project_rollback (self);
      return FALSE;
    }
  g_signal_emit_by_name (self, "scenes-changed");
  return TRUE;

fail:
  _sl_project_set_sqlite_error (self, error, "Cannot remove a scene from");
  _sl_project_rollback (self);
  return FALSE;
}

gboolean
_sl_project_store_placement (SlProject *self, gint64 scene_id, gboolean has_affine, const double t[6],
                             gboolean new_generation, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *json = has_affine ? format_geotransform (t) : NULL;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self),
                          "UPDATE sl_scenes SET pixel_to_site = ?2,"
                          " render_generation = render_generation + ?3 WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, scene_id);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, new_generation ? 1 : 0);
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
fail:
  _sl_project_set_sqlite_error (self, error, "Cannot place a scene in");
  return FALSE;
}

char *
sl_project_resolve_source (SlProject *self,
                           SlScene   *scene)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);

  if (scene->source_path == NULL)
    return NULL;
  if (g_path_is_absolute (scene->source_path))
    return g_strdup (scene->source_path);
  dir = g_file_new_for_path (self->dir);
  file = g_file_resolve_relative_path (dir, scene->source_path);
  return g_file_get_path (file);
}
