/* sl-project-private.h — internals shared by the project's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sl-project.h"

G_BEGIN_DECLS

struct _SlProject
{
  GObject   parent_instance;

  char     *path;        /* absolute */
  char     *dir;         /* the folder sources are stored relative to */
  sqlite3  *db;          /* main-thread connection; workers open their own */
  int       schema_version;
};

/* sl-project.c */
sqlite3  *_sl_project_get_db          (SlProject *self);
/* Opens a further connection to the same file (for worker threads), configured like the
 * main one: WAL, foreign keys, busy timeout, GeoPackage functions. */
sqlite3  *_sl_project_open_connection (const char *path, gboolean read_only, GError **error);
gboolean  _sl_project_exec            (SlProject *self, const char *sql, GError **error);
gboolean  _sl_project_begin           (SlProject *self, GError **error);
gboolean  _sl_project_commit          (SlProject *self, GError **error);
void      _sl_project_rollback        (SlProject *self);
/* Sets @error from the connection's last SQLite error, naming the project file. */
void      _sl_project_set_sqlite_error (SlProject *self, GError **error, const char *what);
/* Finds or inserts @wkt in gpkg_spatial_ref_sys; returns its srs_id, or 0 with @error. */
gint64    _sl_project_ensure_srs      (SlProject *self, const char *wkt, GError **error);

/* sl-project-schema.c */
/* Creates every table of the current schema in an empty database (inside a transaction
 * the caller holds). */
gboolean  _sl_project_schema_create   (SlProject *self, const char *site_name, GError **error);
/* Reads the schema version; checks the file is a Sitelapse GeoPackage this build can read. */
gboolean  _sl_project_schema_check    (SlProject *self, GError **error);
/* Runs the forward migrations from the file's version to SL_PROJECT_SCHEMA_VERSION in one
 * transaction. */
gboolean  _sl_project_schema_migrate  (SlProject *self, GError **error);
gboolean  _sl_project_schema_validate (SlProject *self, GPtrArray *problems);

G_END_DECLS

G_BEGIN_DECLS
/* sl-project-crs.c */
/* Records @wkt and makes it the site CRS if the site has none yet (first georeferenced
 * scene). Inside the caller's transaction. */
gboolean  _sl_project_adopt_crs       (SlProject *self, const char *wkt, gint64 *srs_id, GError **error);

/* sl-project-grid.c */
/* Sets @scene's placement (pixel_to_site) and founds or extends the site grid. Inside the
 * caller's transaction, before the scene is inserted. */
gboolean  _sl_project_place_scene     (SlProject *self, SlScene *scene, GError **error);
/* The site grid made fine enough for a scene now placed at @resolution site units a pixel. */
gboolean  _sl_project_extend_grid     (SlProject *self, double resolution, GError **error);

/* sl-annotation-indexes.c: a large insert (@removing: removal) pauses the triggers that
 * index each new row (drop each removed one), writes its rows, then resumes them (the
 * triggers recreated as they were) and writes both R-trees of the annotations anew as packed
 * trees. Inside the caller's transaction. */
gboolean  _sl_project_bulk_indexing_pays         (SlProject *self, guint n_changed, gboolean removing);
gboolean  _sl_project_pause_annotation_indexes   (SlProject *self, gboolean removing, GStrv *saved,
                                                  GError **error);
gboolean  _sl_project_resume_annotation_indexes  (SlProject *self, GStrv saved, GError **error);
/* Both R-trees from the rows, in bulk (also the migration that creates the date index). */
gboolean  _sl_project_rebuild_annotation_indexes (SlProject *self, GError **error);

/* sl-project-scenes.c */
gboolean  _sl_project_store_placement (SlProject *self, gint64 scene_id, gboolean has_affine,
                                       const double t[6], gboolean new_generation, GError **error);
G_END_DECLS
