/* sl-project.h — a Sitelapse project: one SQLite file that is an OGC GeoPackage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <gio/gio.h>

#include "sl-registration.h"
#include "sl-render-params.h"
#include "sl-scene.h"
#include "sl-site-grid.h"

G_BEGIN_DECLS

#define SL_PROJECT_ERROR (sl_project_error_quark ())

typedef enum
{
  SL_PROJECT_ERROR_NOT_FOUND,        /* the file does not exist */
  SL_PROJECT_ERROR_EXISTS,           /* creating over an existing file */
  SL_PROJECT_ERROR_NOT_GEOPACKAGE,   /* not SQLite, or SQLite but not a GeoPackage */
  SL_PROJECT_ERROR_NOT_PROJECT,      /* a GeoPackage without the Sitelapse tables */
  SL_PROJECT_ERROR_NEWER_SCHEMA,     /* written by a newer Sitelapse */
  SL_PROJECT_ERROR_CORRUPT,          /* integrity or schema checks failed */
  SL_PROJECT_ERROR_IO,               /* SQLite reported an error */
  SL_PROJECT_ERROR_DUPLICATE_SCENE,  /* the same image (by SHA-256) is already in the project */
  SL_PROJECT_ERROR_NO_DATE,          /* a scene needs an acquisition date and none was found */
  SL_PROJECT_ERROR_REGISTRATION,     /* a registration that cannot place the scene */
} SlProjectError;

/* The schema version this build writes; files with a newer one are refused. */
#define SL_PROJECT_SCHEMA_VERSION 4

#define SL_TYPE_PROJECT (sl_project_get_type ())
G_DECLARE_FINAL_TYPE (SlProject, sl_project, SL, PROJECT, GObject)

GQuark      sl_project_error_quark     (void);

SlProject  *sl_project_create          (const char  *path,
                                        const char  *site_name,
                                        GError     **error);
SlProject  *sl_project_open            (const char  *path,
                                        GError     **error);
void        sl_project_close           (SlProject   *self);

const char *sl_project_get_path        (SlProject   *self);
/* TRUE when the file (or its folder) could not be written when it was opened: it was
 * opened read-only and every change fails. */
gboolean    sl_project_is_read_only    (SlProject   *self);
char       *sl_project_dup_name        (SlProject   *self);
gboolean    sl_project_set_name        (SlProject   *self,
                                        const char  *name,
                                        GError     **error);
int         sl_project_get_schema_version (SlProject *self);
/* What the window showed last (SlCompareState's JSON; NULL when never saved). */
char       *sl_project_dup_view_state  (SlProject   *self);
gboolean    sl_project_set_view_state  (SlProject   *self,
                                        const char  *json,
                                        GError     **error);

/* The site CRS: the srs_id in gpkg_spatial_ref_sys (-1: undefined cartesian, no
 * georeferenced scene yet) and its WKT (NULL when undefined). */
gint64      sl_project_get_srs_id      (SlProject   *self);
char       *sl_project_dup_crs_wkt     (SlProject   *self);
char       *sl_project_dup_crs_name    (SlProject   *self);
gboolean    sl_project_set_crs         (SlProject   *self,
                                        const char  *crs_user_input,
                                        GError     **error);

/* Scenes, sorted by acquisition date (then id). */
GPtrArray  *sl_project_list_scenes     (SlProject   *self,
                                        GError     **error);
SlScene    *sl_project_get_scene       (SlProject   *self,
                                        gint64       scene_id,
                                        GError     **error);
/* Adds an image probed with sl_scene_probe(). The acquisition date must be set on
 * @scene (from the caller or from the image metadata). Returns the stored scene with
 * its id. The project is unchanged when it fails. */
SlScene    *sl_project_add_scene       (SlProject   *self,
                                        SlScene     *scene,
                                        GError     **error);
gboolean    sl_project_update_scene    (SlProject   *self,
                                        SlScene     *scene,
                                        GError     **error);
gboolean    sl_project_remove_scene    (SlProject   *self,
                                        gint64       scene_id,
                                        GError     **error);
/* The absolute path of a scene's source, resolved against the project's folder. */
char       *sl_project_resolve_source  (SlProject   *self,
                                        SlScene     *scene);

/* The grid every scene is drawn on; NULL until the first scene is added. */
SlSiteGrid *sl_project_dup_site_grid   (SlProject   *self);
/* Changes a scene's band mapping and stretch and starts a new render generation for it
 * (emits "scene-render-changed" with the scene id). */
gboolean    sl_project_set_render_params (SlProject            *self,
                                        gint64                 scene_id,
                                        const SlRenderParams  *params,
                                        GError               **error);

guint       sl_project_count_classes   (SlProject   *self);
guint       sl_project_count_annotations (SlProject *self);

/* Runs the GeoPackage and Sitelapse schema checks. Returns TRUE when the file is
 * valid; every problem found is appended to @problems (human-readable). */
gboolean    sl_project_validate        (SlProject   *self,
                                        GPtrArray   *problems);

/* sl-project-registration.c: placing a scene on another by tie points. */
/* Places @scene_id through @registration (its pixels → @reference_id's pixels) on the site, in
 * one transaction: the scene's placement becomes the reference's composed with the transform —
 * an affine placement (georeferenced in the site CRS when the site has one) for similarity and
 * affine transforms; for projective, polynomial and thin-plate-spline ones the registration
 * itself, warped through when tiles are drawn (the reference must then be georeferenced) —
 * its tiles a new generation (drawn again), the tie points go to sl_tie_points and the
 * registration to the scene's record, and its annotations move with it (drawn on the image,
 * they stay on the same pixels). The reference must be placed by an affine transform (not
 * warped from another CRS). On any error nothing changes: the previous registration is kept
 * (SL_PROJECT_ERROR_REGISTRATION, or IO). Emits "scenes-changed"; annotation stores are not
 * told: call sl_annotation_store_notify_changed. */
gboolean        sl_project_register_scene   (SlProject      *self,
                                             gint64          scene_id,
                                             gint64          reference_id,
                                             SlRegistration *registration,
                                             GError        **error);
/* The stored registration of @scene_id and its reference, or NULL (none; or + @error). */
SlRegistration *sl_project_dup_registration (SlProject      *self,
                                             gint64          scene_id,
                                             gint64         *reference_id,
                                             GError        **error);

G_END_DECLS
