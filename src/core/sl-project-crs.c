/* sl-project-crs.c — the site CRS and gpkg_spatial_ref_sys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project-crs"

#include "config.h"

#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"

/* GeoPackage 1.2 stores WKT 1 in `definition`; GDAL and QGIS read it. */
static char *
export_wkt1 (OGRSpatialReferenceH srs)
{
  char *wkt = NULL;
  char *out;

  if (OSRExportToWkt (srs, &wkt) != OGRERR_NONE || wkt == NULL)
    {
      CPLFree (wkt);
      return NULL;
    }
  out = g_strdup (wkt);
  CPLFree (wkt);
  return out;
}

gint64
_sl_project_ensure_srs (SlProject *self, const char *wkt, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_auto(SlOgrSrs) srs = OSRNewSpatialReference (NULL);
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *definition = NULL;
  const char *auth, *code, *name;
  gint64 srs_id = 0;
  gint64 org_code;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  CPLErrorReset ();
  if (OSRSetFromUserInput (srs, wkt) != OGRERR_NONE)
    {
      g_autofree char *shown = g_utf8_substring (wkt, 0, MIN (g_utf8_strlen (wkt, -1), 60));

      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot use the coordinate reference system “%s” in ‘%s’: %s", shown, self->path,
                   *CPLGetLastErrorMsg () ? CPLGetLastErrorMsg () : "GDAL cannot parse it");
      CPLPopErrorHandler ();
      return 0;
    }
  CPLPopErrorHandler ();
  if (OSRGetAuthorityCode (srs, NULL) == NULL)
    OSRAutoIdentifyEPSG (srs);
  auth = OSRGetAuthorityName (srs, NULL);
  code = OSRGetAuthorityCode (srs, NULL);
  name = OSRGetName (srs);
  definition = export_wkt1 (srs);
  if (definition == NULL)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot use a coordinate reference system in ‘%s’: it has no WKT 1 form", self->path);
      return 0;
    }

  /* EPSG systems use their code as srs_id, as GDAL does; others get ids from 100000 up. */
  if (auth && code && g_ascii_strcasecmp (auth, "EPSG") == 0)
    {
      srs_id = g_ascii_strtoll (code, NULL, 10);
      if (sqlite3_prepare_v2 (db, "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?", -1, &stmt, NULL) != SQLITE_OK)
        goto sql_fail;
      sqlite3_bind_int64 (stmt, 1, srs_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return srs_id;
      org_code = srs_id;
    }
  else
    {
      if (sqlite3_prepare_v2 (db, "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE definition = ?", -1, &stmt, NULL) != SQLITE_OK)
        goto sql_fail;
      sqlite3_bind_text (stmt, 1, definition, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
      if (sqlite3_prepare_v2 (db, "SELECT max(100000, coalesce(max(srs_id), 0) + 1) FROM gpkg_spatial_ref_sys",
                              -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
        goto sql_fail;
      srs_id = sqlite3_column_int64 (stmt, 0);
      org_code = srs_id;
      auth = "NONE";
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (db, "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization,"
                              " organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto sql_fail;
  sqlite3_bind_text (stmt, 1, name ? name : "Unnamed", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, srs_id);
  sqlite3_bind_text (stmt, 3, auth, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, org_code);
  sqlite3_bind_text (stmt, 5, definition, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, "added by Sitelapse", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sql_fail;
  return srs_id;

sql_fail:
  _sl_project_set_sqlite_error (self, error, "Cannot record a coordinate reference system in");
  return 0;
}

/* Moves the site (and the still-empty annotations layer) to @srs_id. Annotations already
 * drawn are in the old site coordinates, so the CRS cannot change under them. */
static gboolean
assign_site_srs (SlProject *self, gint64 srs_id, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  static const char *const updates[] = {
    "UPDATE sl_site SET srs_id = ?1 WHERE id = 1",
    "UPDATE gpkg_contents SET srs_id = ?1 WHERE table_name = 'annotations'",
    "UPDATE gpkg_geometry_columns SET srs_id = ?1 WHERE table_name = 'annotations'",
  };

  if (sl_project_count_annotations (self) > 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot change the site CRS of ‘%s’: it already holds annotations in the current one",
                   self->path);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (updates); i++)
    {
      g_autoptr(SlStmt) stmt = NULL;

      if (sqlite3_prepare_v2 (db, updates[i], -1, &stmt, NULL) != SQLITE_OK)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, srs_id);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }
  return TRUE;

fail:
  _sl_project_set_sqlite_error (self, error, "Cannot set the site CRS of");
  return FALSE;
}

gboolean
_sl_project_adopt_crs (SlProject *self, const char *wkt, gint64 *srs_id, GError **error)
{
  gint64 id = _sl_project_ensure_srs (self, wkt, error);

  if (id == 0)
    return FALSE;
  if (srs_id)
    *srs_id = id;
  if (sl_project_get_srs_id (self) == -1)
    return assign_site_srs (self, id, error);
  return TRUE;
}

gboolean
sl_project_set_crs (SlProject   *self,
                    const char  *crs_user_input,
                    GError     **error)
{
  gint64 srs_id;

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (crs_user_input != NULL, FALSE);

  if (!_sl_project_begin (self, error))
    return FALSE;
  srs_id = _sl_project_ensure_srs (self, crs_user_input, error);
  if (srs_id == 0 || !assign_site_srs (self, srs_id, error) || !_sl_project_commit (self, error))
    {
      _sl_project_rollback (self);
      return FALSE;
    }
  g_signal_emit_by_name (self, "site-changed");
  return TRUE;
}
