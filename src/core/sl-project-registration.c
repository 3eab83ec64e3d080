/* sl-project-registration.c — placing a scene on another by tie points
 *
 * A press image has no georeference: it is placed on its pixel grid until it is registered
 * on a reference scene. The registration maps its pixels to the reference's pixels; composed
 * with the reference's placement (pixels → site) it places the scene on the site. Stored as
 * JSON in the scene's record ({"reference": id, "transform": …}, the transform as
 * sl_registration_to_json writes it, points included) and the points in sl_tie_points, so
 * GIS tools see them too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project"

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "sl-annotation.h"
#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-scene-private.h"
#include "sl-scene-transform.h"

static void
compose (const double outer[6], const double inner[6], double out[6])
{
  out[0] = outer[0] + outer[1] * inner[0] + outer[2] * inner[3];
  out[1] = outer[1] * inner[1] + outer[2] * inner[4];
  out[2] = outer[1] * inner[2] + outer[2] * inner[5];
  out[3] = outer[3] + outer[4] * inner[0] + outer[5] * inner[3];
  out[4] = outer[4] * inner[1] + outer[5] * inner[4];
  out[5] = outer[4] * inner[2] + outer[5] * inner[5];
}

static gboolean
invert (const double t[6], double inv[6])
{
  double det = t[1] * t[5] - t[2] * t[4];

  if (det == 0 || !isfinite (det))
    return FALSE;
  inv[1] = t[5] / det;
  inv[2] = -t[2] / det;
  inv[4] = -t[4] / det;
  inv[5] = t[1] / det;
  inv[0] = -(inv[1] * t[0] + inv[2] * t[3]);
  inv[3] = -(inv[4] * t[0] + inv[5] * t[3]);
  return TRUE;
}

static char *
format_affine (const double t[6])
{
  char b[6][G_ASCII_DTOSTR_BUF_SIZE];

  for (int i = 0; i < 6; i++)
    g_ascii_formatd (b[i], sizeof b[i], "%.17g", t[i]);
  return g_strdup_printf ("[%s, %s, %s, %s, %s, %s]", b[0], b[1], b[2], b[3], b[4], b[5]);
}

static gboolean
refuse (GError **error, SlScene *scene, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
refuse (GError **error, SlScene *scene, const char *format, ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_REGISTRATION, "Cannot register ‘%s’: %s",
               sl_scene_get_label (scene), reason);
  return FALSE;
}

/* Every annotation of @scene_id moved from the old placement to the new one: site → the
 * scene's pixels (old) → site (new). Inside the caller's transaction. */
static gboolean
move_annotations (SlProject *self, gint64 scene_id, SlSceneTransform *old, SlSceneTransform *now,
                  GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) select = NULL, update = NULL;
  int srs_id = (int) sl_project_get_srs_id (self);
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT fid, geom FROM annotations WHERE scene_id = ?1", -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "UPDATE annotations SET geom = ?2,"
                              " updated = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE fid = ?1", -1, &update, NULL)
        != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (select, 1, scene_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(SlAnnotation) a = g_new0 (SlAnnotation, 1);
      g_autoptr(GBytes) blob = NULL;
      gboolean moved = TRUE;
      gsize size;
      const void *data;

      if (!sl_annotation_set_from_gpkg_blob (a, sqlite3_column_blob (select, 1), sqlite3_column_bytes (select, 1), NULL))
        continue;
      for (guint i = 0; i < a->n_points && moved; i++)
        {
          double z = 0;
          int ok = FALSE;

          sl_scene_transform_apply (old, TRUE, 1, &a->points[i].x, &a->points[i].y, &z, &ok);
          if (ok)
            sl_scene_transform_apply (now, FALSE, 1, &a->points[i].x, &a->points[i].y, &z, &ok);
          moved = ok;
        }
      if (!moved)
        {
          g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_REGISTRATION,
                       "Cannot register scene %" G_GINT64_FORMAT " in ‘%s’: annotation %" G_GINT64_FORMAT
                       " cannot be carried to the new placement", scene_id, sl_project_get_path (self),
                       (gint64) sqlite3_column_int64 (select, 0));
          return FALSE;
        }
      blob = sl_annotation_to_gpkg_blob (a, srs_id);
      data = g_bytes_get_data (blob, &size);
      sqlite3_reset (update);
      sqlite3_bind_int64 (update, 1, sqlite3_column_int64 (select, 0));
      sqlite3_bind_blob64 (update, 2, data, size, SQLITE_TRANSIENT);
      if (sqlite3_step (update) != SQLITE_DONE)
        goto fail;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
fail:
  _sl_project_set_sqlite_error (self, error, "Cannot move the annotations of a registered scene in");
  return FALSE;
}

static gboolean
store_points (SlProject *self, gint64 scene_id, gint64 reference_id, SlRegistration *registration, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) del = NULL, ins = NULL;
  const SlTiePoint *points;
  guint n;

  points = sl_registration_get_points (registration, &n);
  if (sqlite3_prepare_v2 (db, "DELETE FROM sl_tie_points WHERE scene_id = ?1", -1, &del, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "INSERT INTO sl_tie_points (scene_id, reference_scene_id, pixel_x, pixel_y, ref_x, ref_y,"
                              " enabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &ins, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_int64 (del, 1, scene_id);
  if (sqlite3_step (del) != SQLITE_DONE)
    goto fail;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, scene_id);
      sqlite3_bind_int64 (ins, 2, reference_id);
      sqlite3_bind_double (ins, 3, points[i].image_x);
      sqlite3_bind_double (ins, 4, points[i].image_y);
      sqlite3_bind_double (ins, 5, points[i].ref_x);
      sqlite3_bind_double (ins, 6, points[i].ref_y);
      sqlite3_bind_int (ins, 7, points[i].enabled ? 1 : 0);
      if (sqlite3_step (ins) != SQLITE_DONE)
        goto fail;
    }
  return TRUE;
fail:
  _sl_project_set_sqlite_error (self, error, "Cannot store the tie points of");
  return FALSE;
}

static char *
registration_json (gint64 reference_id, const double ref_p2s[6], SlRegistration *registration)
{
  g_autofree char *transform = sl_registration_to_json (registration);
  g_autofree char *placement = format_affine (ref_p2s);

  return g_strdup_printf ("{\"reference\": %" G_GINT64_FORMAT ", \"reference_pixel_to_site\": %s,"
                          " \"transform\": %s}", reference_id, placement, transform);
}

gboolean
sl_project_register_scene (SlProject      *self,
                           gint64          scene_id,
                           gint64          reference_id,
                           SlRegistration *registration,
                           GError        **error)
{
  g_autoptr(SlScene) scene = NULL, reference = NULL, placed = NULL;
  g_autoptr(SlSceneTransform) old = NULL, now = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *json = NULL, *placement = NULL, *site_wkt = NULL;
  double affine[6], ref_p2s[6], new_p2s[6], scratch[6], resolution = 0;
  gboolean is_affine, georef;

  g_return_val_if_fail (SL_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (SL_IS_REGISTRATION (registration), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((scene = sl_project_get_scene (self, scene_id, error)) == NULL ||
      (reference = sl_project_get_scene (self, reference_id, error)) == NULL)
    return FALSE;
  site_wkt = sl_project_dup_crs_wkt (self);
  if (scene_id == reference_id)
    return refuse (error, scene, "a scene cannot be registered on itself");
  if (reference->registration != NULL)
    {
      g_autoptr(SlRegistration) back = NULL;
      gint64 back_ref = 0;

      back = sl_project_dup_registration (self, reference_id, &back_ref, NULL);
      if (back_ref == scene_id)
        return refuse (error, scene, "its reference ‘%s’ is itself registered on it",
                       sl_scene_get_label (reference));
    }
  if (!sl_scene_get_pixel_to_site (reference, ref_p2s))
    return refuse (error, scene, "the reference ‘%s’ is warped from another CRS; choose a reference in the "
                   "site's CRS", sl_scene_get_label (reference));
  is_affine = sl_registration_get_affine (registration, affine);
  /* A transform that is not affine is kept as it is and composed with the reference's
   * placement at drawing time: the reference must not move later (a georeferenced one). */
  if (!is_affine && sl_scene_get_georef (reference) != SL_GEOREF_GEOTRANSFORM)
    return refuse (error, scene, "a %s transform needs a georeferenced reference; ‘%s’ is placed only by its pixels",
                   sl_transform_kind_to_string (sl_registration_get_kind (registration)),
                   sl_scene_get_label (reference));
  if ((old = sl_scene_transform_new (scene, site_wkt)) == NULL)
    return refuse (error, scene, "its current placement cannot be read");
  if (is_affine)
    {
      compose (ref_p2s, affine, new_p2s);
      if (!invert (new_p2s, scratch))
        return refuse (error, scene, "the transform is degenerate");
      placement = format_affine (new_p2s);
    }

  /* Georeferenced in the site CRS when the site has one and the placement is affine: exports,
   * counts and GIS tools then treat it like any other georeferenced scene. */
  georef = site_wkt != NULL && is_affine;
  json = registration_json (reference_id, ref_p2s, registration);

  if (!_sl_project_begin (self, error))
    return FALSE;
  if (sqlite3_prepare_v2 (_sl_project_get_db (self),
                          "UPDATE sl_scenes SET registration = ?2, pixel_to_site = ?3,"
                          " render_generation = render_generation + 1,"
                          " georef = CASE WHEN ?4 THEN 'geotransform' WHEN ?6 THEN 'none' ELSE georef END,"
                          " geotransform = CASE WHEN ?4 THEN ?3 WHEN ?6 THEN NULL ELSE geotransform END,"
                          " crs_wkt = CASE WHEN ?4 THEN ?5 WHEN ?6 THEN NULL ELSE crs_wkt END,"
                          " srs_id = CASE WHEN ?4 THEN (SELECT srs_id FROM sl_site WHERE id = 1)"
                          "   WHEN ?6 THEN NULL ELSE srs_id END"
                          " WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    goto sql_fail;
  sqlite3_bind_int64 (stmt, 1, scene_id);
  sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, placement, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, georef);
  sqlite3_bind_text (stmt, 5, site_wkt, -1, SQLITE_STATIC);
  /* Not affine: what an earlier registration made of its georeference goes (its own file's
   * georeference, if any, was replaced by that one already). */
  sqlite3_bind_int (stmt, 6, !is_affine && scene->registration != NULL);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sql_fail;
  /* The scene as now placed (this transaction sees its own change). */
  if ((placed = sl_project_get_scene (self, scene_id, error)) == NULL)
    goto fail;
  if ((now = sl_scene_transform_new (placed, site_wkt)) == NULL ||
      !sl_scene_measure (placed, site_wkt, NULL, &resolution))
    {
      refuse (error, scene, "the transform does not place it on the site");
      goto fail;
    }
  if (!store_points (self, scene_id, reference_id, registration, error) ||
      !move_annotations (self, scene_id, old, now, error) ||
      !_sl_project_extend_grid (self, resolution, error) ||
      !_sl_project_commit (self, error))
    goto fail;
  g_signal_emit_by_name (self, "scenes-changed");
  return TRUE;

sql_fail:
  _sl_project_set_sqlite_error (self, error, "Cannot register a scene in");
fail:
  _sl_project_rollback (self);
  return FALSE;
}

SlRegistration *
sl_project_dup_registration (SlProject  *self,
                             gint64      scene_id,
                             gint64     *reference_id,
                             GError    **error)
{
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  JsonObject *root;
  JsonNode *transform;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (self), NULL);

  if (reference_id)
    *reference_id = 0;
  if ((scene = sl_project_get_scene (self, scene_id, error)) == NULL || scene->registration == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, scene->registration, -1, &local) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (transform = json_object_get_member (root = json_node_get_object (json_parser_get_root (parser)),
                                           "transform")) == NULL)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_CORRUPT,
                   "Cannot read the registration of ‘%s’ in ‘%s’: it is not valid JSON",
                   sl_scene_get_label (scene), sl_project_get_path (self));
      return NULL;
    }
  if (reference_id)
    *reference_id = json_object_get_int_member_with_default (root, "reference", 0);
  text = json_to_string (transform, FALSE);
  return sl_registration_new_from_json (text, error);
}
