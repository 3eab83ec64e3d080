/* sl-project-schema.c — the project file's tables, forward migrations and validation
 *
 * The file is an OGC GeoPackage 1.3 (application_id 'GPKG', user_version 10300): the core
 * gpkg_* tables, one feature table `annotations` with its R-tree index, and Sitelapse's own
 * attributes tables (sl_site, sl_scenes, sl_classes, sl_tie_points) registered in
 * gpkg_contents so GIS tools list them. sl_meta holds the schema version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project-schema"

#include "config.h"

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"

#define GPKG_APPLICATION_ID 0x47504B47 /* 'GPKG' */
#define GPKG_USER_VERSION   10300

static const char schema_core[] =
  "CREATE TABLE gpkg_spatial_ref_sys ("
  "  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,"
  "  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);"
  "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326,"
  "  'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
  "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,"
  "AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],"
  "AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]',"
  "  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');"
  "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined',"
  "  'undefined cartesian coordinate reference system');"
  "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined',"
  "  'undefined geographic coordinate reference system');"
  "CREATE TABLE gpkg_contents ("
  "  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,"
  "  description TEXT DEFAULT '',"
  "  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
  "  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,"
  "  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));"
  "CREATE TABLE gpkg_geometry_columns ("
  "  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,"
  "  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,"
  "  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),"
  "  CONSTRAINT uk_gc_table_name UNIQUE (table_name),"
  "  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
  "  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
  "CREATE TABLE gpkg_tile_matrix_set ("
  "  table_name TEXT NOT NULL PRIMARY KEY, srs_id INTEGER NOT NULL,"
  "  min_x DOUBLE NOT NULL, min_y DOUBLE NOT NULL, max_x DOUBLE NOT NULL, max_y DOUBLE NOT NULL,"
  "  CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),"
  "  CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
  "CREATE TABLE gpkg_tile_matrix ("
  "  table_name TEXT NOT NULL, zoom_level INTEGER NOT NULL, matrix_width INTEGER NOT NULL,"
  "  matrix_height INTEGER NOT NULL, tile_width INTEGER NOT NULL, tile_height INTEGER NOT NULL,"
  "  pixel_x_size DOUBLE NOT NULL, pixel_y_size DOUBLE NOT NULL,"
  "  CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),"
  "  CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name));"
  "CREATE TABLE gpkg_extensions ("
  "  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,"
  "  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));";

static const char schema_sitelapse[] =
  "CREATE TABLE sl_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);"
  "CREATE TABLE sl_site ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL,"
  "  srs_id INTEGER NOT NULL DEFAULT -1 REFERENCES gpkg_spatial_ref_sys(srs_id),"
  "  created DATETIME NOT NULL, grid TEXT, view_state TEXT);"
  "CREATE TABLE sl_scenes ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  acquired DATETIME NOT NULL, label TEXT NOT NULL, provider TEXT, sensor TEXT,"
  "  credit TEXT, caption TEXT,"
  "  source_path TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, file_size INTEGER NOT NULL,"
  "  driver TEXT, width INTEGER NOT NULL CHECK (width > 0), height INTEGER NOT NULL CHECK (height > 0),"
  "  band_count INTEGER NOT NULL CHECK (band_count > 0), data_type TEXT NOT NULL,"
  "  nodata DOUBLE, has_mask BOOLEAN NOT NULL DEFAULT 0, has_palette BOOLEAN NOT NULL DEFAULT 0,"
  "  georef TEXT NOT NULL CHECK (georef IN ('none', 'geotransform', 'gcps')),"
  "  geotransform TEXT, crs_wkt TEXT,"
  "  srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id), gcp_count INTEGER NOT NULL DEFAULT 0,"
  "  render_params TEXT, render_generation INTEGER NOT NULL DEFAULT 0,"
  "  pixel_to_site TEXT, visible BOOLEAN NOT NULL DEFAULT 1, added DATETIME NOT NULL, registration TEXT);"
  "CREATE INDEX sl_scenes_by_date ON sl_scenes (acquired, id);"
  "CREATE TABLE sl_classes ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE COLLATE NOCASE, colour TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),"
  "  shortcut TEXT UNIQUE, class_group TEXT, sort_order INTEGER NOT NULL);"
  "CREATE TABLE sl_tie_points ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  scene_id INTEGER NOT NULL REFERENCES sl_scenes(id) ON DELETE CASCADE,"
  "  reference_scene_id INTEGER REFERENCES sl_scenes(id) ON DELETE SET NULL,"
  "  pixel_x DOUBLE NOT NULL, pixel_y DOUBLE NOT NULL, ref_x DOUBLE NOT NULL, ref_y DOUBLE NOT NULL,"
  "  enabled BOOLEAN NOT NULL DEFAULT 1);"
  "CREATE INDEX sl_tie_points_by_scene ON sl_tie_points (scene_id);"
  "CREATE TABLE annotations ("
  "  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom GEOMETRY,"
  "  scene_id INTEGER NOT NULL REFERENCES sl_scenes(id) ON DELETE CASCADE,"
  "  acquired DATETIME NOT NULL,"
  "  class_id INTEGER NOT NULL REFERENCES sl_classes(id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('point', 'box', 'rotated_box', 'polygon', 'line')),"
  "  object_uid TEXT, confidence TEXT CHECK (confidence IN ('low', 'medium', 'high')),"
  "  note TEXT, author TEXT, created DATETIME NOT NULL, updated DATETIME NOT NULL,"
  "  hidden BOOLEAN NOT NULL DEFAULT 0, locked BOOLEAN NOT NULL DEFAULT 0);"
  "CREATE INDEX annotations_by_scene ON annotations (scene_id, class_id);"
  "CREATE INDEX annotations_by_object ON annotations (object_uid);"
  "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES"
  "  ('annotations', 'features', 'annotations', 'Objects tagged on each date (Sitelapse)', -1),"
  "  ('sl_site', 'attributes', 'sl_site', 'The site: name and CRS (Sitelapse)', NULL),"
  "  ('sl_scenes', 'attributes', 'sl_scenes', 'Dated images of the site and their provenance (Sitelapse)', NULL),"
  "  ('sl_classes', 'attributes', 'sl_classes', 'Object classes (Sitelapse)', NULL),"
  "  ('sl_tie_points', 'attributes', 'sl_tie_points', 'Tie points of registered scenes (Sitelapse)', NULL);"
  "INSERT INTO gpkg_geometry_columns VALUES ('annotations', 'geom', 'GEOMETRY', -1, 0, 0);"
  "CREATE VIRTUAL TABLE rtree_annotations_geom USING rtree (id, minx, maxx, miny, maxy);"
  "INSERT INTO gpkg_extensions VALUES ('annotations', 'geom', 'gpkg_rtree_index',"
  "  'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');"
  /* The R-tree triggers exactly as in the GeoPackage 1.2/1.3 specification. */
  "CREATE TRIGGER rtree_annotations_geom_insert AFTER INSERT ON annotations"
  "  WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN"
  "  INSERT OR REPLACE INTO rtree_annotations_geom VALUES (NEW.fid,"
  "    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER rtree_annotations_geom_update1 AFTER UPDATE OF geom ON annotations"
  "  WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN"
  "  INSERT OR REPLACE INTO rtree_annotations_geom VALUES (NEW.fid,"
  "    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER rtree_annotations_geom_update2 AFTER UPDATE OF geom ON annotations"
  "  WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN"
  "  DELETE FROM rtree_annotations_geom WHERE id = OLD.fid; END;"
  "CREATE TRIGGER rtree_annotations_geom_update3 AFTER UPDATE ON annotations"
  "  WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN"
  "  DELETE FROM rtree_annotations_geom WHERE id = OLD.fid;"
  "  INSERT OR REPLACE INTO rtree_annotations_geom VALUES (NEW.fid,"
  "    ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END;"
  "CREATE TRIGGER rtree_annotations_geom_update4 AFTER UPDATE ON annotations"
  "  WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) BEGIN"
  "  DELETE FROM rtree_annotations_geom WHERE id IN (OLD.fid, NEW.fid); END;"
  "CREATE TRIGGER rtree_annotations_geom_delete AFTER DELETE ON annotations"
  "  WHEN old.geom NOT NULL BEGIN"
  "  DELETE FROM rtree_annotations_geom WHERE id = OLD.fid; END;";

/* Sitelapse's own indexes of the annotations (schema 3), kept by triggers so edits made in QGIS
 * or GDAL (which register ST_MinX & co.) keep them right. GeoPackage readers ignore them:
 * they are neither in gpkg_contents nor named like GeoPackage tables.
 *
 * sl_annotations_by_scene: the GeoPackage R-tree indexes every date together, so a view of
 * one date in a ten-date project walks ten times the entries it keeps, each joined to its
 * row to read the scene. This R-tree adds the scene as a third dimension, stored as the
 * interval [id − ¼, id + ¼], not [id, id]: with a zero-width dimension every box has zero
 * volume, the R*-tree's insertion heuristics see no difference between subtrees and cluster
 * nothing spatially (a point query on 1 000 000 took 2 ms instead of 6 µs). The class rides
 * and whether it is hidden ride along as auxiliary columns, so a dense view's level-of-detail marks (a dot per object in
 * its class colour) come from the index alone, without reading a row.
 *
 * sl_annotation_counts: how many annotations each (scene, class) has, for the counts table
 * (a scan of a million-row index took 54 ms; this is a few dozen rows). */
static const char schema_annotation_indexes[] =
  "CREATE VIRTUAL TABLE sl_annotations_by_scene USING rtree (id, minx, maxx, miny, maxy, min_scene, max_scene,"
  "  +class_id, +hidden);"
  "CREATE TRIGGER sl_annotations_by_scene_insert AFTER INSERT ON annotations"
  "  WHEN NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom) BEGIN"
  "  INSERT OR REPLACE INTO sl_annotations_by_scene VALUES (NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom),"
  "    ST_MinY(NEW.geom), ST_MaxY(NEW.geom), NEW.scene_id - 0.25, NEW.scene_id + 0.25, NEW.class_id, NEW.hidden); END;"
  "CREATE TRIGGER sl_annotations_by_scene_update AFTER UPDATE OF fid, geom, scene_id, class_id, hidden ON annotations"
  "  BEGIN"
  "  DELETE FROM sl_annotations_by_scene WHERE id = OLD.fid;"
  "  INSERT OR REPLACE INTO sl_annotations_by_scene SELECT NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom),"
  "    ST_MinY(NEW.geom), ST_MaxY(NEW.geom), NEW.scene_id - 0.25, NEW.scene_id + 0.25, NEW.class_id,"
  "    NEW.hidden WHERE NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom); END;"
  "CREATE TRIGGER sl_annotations_by_scene_delete AFTER DELETE ON annotations BEGIN"
  "  DELETE FROM sl_annotations_by_scene WHERE id = OLD.fid; END;"
  "CREATE TABLE sl_annotation_counts (scene_id INTEGER NOT NULL, class_id INTEGER NOT NULL,"
  "  n INTEGER NOT NULL, PRIMARY KEY (scene_id, class_id)) WITHOUT ROWID;"
  "CREATE TRIGGER sl_annotation_counts_insert AFTER INSERT ON annotations BEGIN"
  "  INSERT INTO sl_annotation_counts VALUES (NEW.scene_id, NEW.class_id, 1)"
  "    ON CONFLICT (scene_id, class_id) DO UPDATE SET n = n + 1; END;"
  "CREATE TRIGGER sl_annotation_counts_delete AFTER DELETE ON annotations BEGIN"
  "  UPDATE sl_annotation_counts SET n = n - 1 WHERE scene_id = OLD.scene_id AND class_id = OLD.class_id; END;"
  "CREATE TRIGGER sl_annotation_counts_update AFTER UPDATE OF scene_id, class_id ON annotations"
  "  WHEN OLD.scene_id IS NOT NEW.scene_id OR OLD.class_id IS NOT NEW.class_id BEGIN"
  "  UPDATE sl_annotation_counts SET n = n - 1 WHERE scene_id = OLD.scene_id AND class_id = OLD.class_id;"
  "  INSERT INTO sl_annotation_counts VALUES (NEW.scene_id, NEW.class_id, 1)"
  "    ON CONFLICT (scene_id, class_id) DO UPDATE SET n = n + 1; END;";

/* Fills the indexes above from the rows (a migration): the counts here, the R-trees by
 * _sl_project_rebuild_annotation_indexes. */
static const char fill_annotation_counts[] =
  "INSERT INTO sl_annotation_counts SELECT scene_id, class_id, count(*) FROM annotations"
  "  GROUP BY scene_id, class_id;";

/* The default taxonomy for military-vehicle and shelter counting. Colours are from the GNOME
 * palette, chosen to stay distinct from each other and from vegetation and bare soil. */
static const struct
{
  const char *key, *name, *colour, *shortcut, *group;
} default_classes[] = {
  { "tank",            "Tank",                    "#e01b24", "1", "Armour" },
  { "ifv_apc",         "IFV/APC",                 "#ff7800", "2", "Armour" },
  { "sp_artillery",    "Self-propelled artillery", "#f5c211", "3", "Artillery" },
  { "towed_artillery", "Towed artillery",         "#986a44", "4", "Artillery" },
  { "mlrs",            "MLRS",                    "#c061cb", "5", "Artillery" },
  { "air_defence",     "Air defence",             "#1c71d8", "6", "Air defence" },
  { "truck",           "Truck",                   "#33d17a", "7", "Logistics" },
  { "engineering",     "Engineering vehicle",     "#613583", "8", "Logistics" },
  { "helicopter",      "Helicopter",              "#99c1f1", "9", "Aviation" },
  { "tent",            "Tent",                    "#cdab8f", "0", "Shelters" },
  { "shelter",         "Field camp/shelter",      "#dc8add", "<Shift>1", "Shelters" },
  { "other",           "Other",                   "#9a9996", "<Shift>2", "Other" },
};

static gboolean
has_column (SlProject *self, const char *table, const char *column, gboolean *found, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  *found = FALSE;
  if (sqlite3_prepare_v2 (_sl_project_get_db (self), "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the tables of");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (self, error, "Cannot read the tables of");
      return FALSE;
    }
  *found = rc == SQLITE_ROW;
  return TRUE;
}

/* 1 → 2: scenes can be hidden from comparisons (sl_scenes.visible, shown by default). The
 * first schema 1 files were written with the column already declared but never used, later
 * ones may lack it: add it where it is missing, and make every stored value a plain 0 or 1. */
static gboolean
migrate_scene_visibility (SlProject *self, GError **error)
{
  gboolean found;

  if (!has_column (self, "sl_scenes", "visible", &found, error))
    return FALSE;
  if (!found && !_sl_project_exec (self, "ALTER TABLE sl_scenes ADD COLUMN visible BOOLEAN NOT NULL DEFAULT 1",
                                   error))
    return FALSE;
  return _sl_project_exec (self, "UPDATE sl_scenes SET visible = 1 WHERE visible IS NOT 0 AND visible IS NOT 1",
                           error);
}

/* 2 → 3: annotations can be hidden and locked (stored, so they stay so), and the annotation
 * indexes above. Files of schema 2 may hold the first form of the scene index, which the
 * annotation store built on its own (without the class); it is replaced. */
static gboolean
migrate_annotation_indexes (SlProject *self, GError **error)
{
  gboolean found;

  if (!has_column (self, "annotations", "hidden", &found, error))
    return FALSE;
  if (!found && !_sl_project_exec (self, "ALTER TABLE annotations ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT 0",
                                   error))
    return FALSE;
  if (!has_column (self, "annotations", "locked", &found, error))
    return FALSE;
  if (!found && !_sl_project_exec (self, "ALTER TABLE annotations ADD COLUMN locked BOOLEAN NOT NULL DEFAULT 0",
                                   error))
    return FALSE;
  return _sl_project_exec (self,
                           "DROP TRIGGER IF EXISTS sl_annotations_by_scene_insert;"
                           "DROP TRIGGER IF EXISTS sl_annotations_by_scene_update;"
                           "DROP TRIGGER IF EXISTS sl_annotations_by_scene_delete;"
                           "DROP TABLE IF EXISTS sl_annotations_by_scene;"
                           "DROP TRIGGER IF EXISTS sl_annotation_counts_insert;"
                           "DROP TRIGGER IF EXISTS sl_annotation_counts_delete;"
                           "DROP TRIGGER IF EXISTS sl_annotation_counts_update;"
                           "DROP TABLE IF EXISTS sl_annotation_counts;", error) &&
         _sl_project_exec (self, schema_annotation_indexes, error) &&
         _sl_project_exec (self, fill_annotation_counts, error) &&
         _sl_project_rebuild_annotation_indexes (self, error);
}

/* 3 → 4: a scene registered on another by tie points keeps its registration (the reference,
 * the transform and its points as JSON) with its record. */
static gboolean
migrate_scene_registration (SlProject *self, GError **error)
{
  gboolean found;

  if (!has_column (self, "sl_scenes", "registration", &found, error))
    return FALSE;
  return found || _sl_project_exec (self, "ALTER TABLE sl_scenes ADD COLUMN registration TEXT", error);
}

/* Forward migrations: migrations[v - 1] takes a file from schema v to v + 1, inside the
 * transaction of _sl_project_schema_migrate. Append only; never edit a released step. */
static gboolean (*const migrations[]) (SlProject *self, GError **error) = {
  migrate_scene_visibility,    /* 1 → 2 */
  migrate_annotation_indexes,  /* 2 → 3 */
  migrate_scene_registration,  /* 3 → 4 */
};

static gboolean
seed (SlProject *self, const char *site_name, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *meta = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT INTO sl_site (id, name, srs_id, created) VALUES "
                              "(1, ?, -1, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (stmt, 1, site_name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (db, "INSERT INTO sl_classes (key, name, colour, shortcut, class_group, sort_order)"
                              " VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (default_classes); i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, default_classes[i].key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, default_classes[i].name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, default_classes[i].colour, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, default_classes[i].shortcut, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, default_classes[i].group, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, (int) i);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto fail;
    }

  meta = g_strdup_printf ("INSERT INTO sl_meta VALUES ('schema_version', '%d'),"
                          " ('created_by', 'Sitelapse %s');",
                          SL_PROJECT_SCHEMA_VERSION, PACKAGE_VERSION);
  return _sl_project_exec (self, meta, error);

fail:
  _sl_project_set_sqlite_error (self, error, "Cannot create");
  return FALSE;
}

gboolean
_sl_project_schema_create (SlProject *self, const char *site_name, GError **error)
{
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                              GPKG_APPLICATION_ID, GPKG_USER_VERSION);

  if (!_sl_project_exec (self, pragmas, error) ||
      !_sl_project_exec (self, schema_core, error) ||
      !_sl_project_exec (self, schema_sitelapse, error) ||
      !_sl_project_exec (self, schema_annotation_indexes, error) ||
      !seed (self, site_name, error))
    return FALSE;
  self->schema_version = SL_PROJECT_SCHEMA_VERSION;
  return TRUE;
}

static gboolean
query_int (sqlite3 *db, const char *sql, gint64 *out)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *out = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

gboolean
_sl_project_schema_check (SlProject *self, GError **error)
{
  sqlite3 *db = _sl_project_get_db (self);
  gint64 app_id = 0, has_meta = 0, version = 0;

  if (!query_int (db, "PRAGMA application_id", &app_id))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_GEOPACKAGE,
                   "Cannot open ‘%s’: not a GeoPackage or Sitelapse project (%s)",
                   self->path, sqlite3_errmsg (db));
      return FALSE;
    }
  if (app_id != GPKG_APPLICATION_ID)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_GEOPACKAGE,
                   "Cannot open ‘%s’: it is an SQLite database but not a GeoPackage", self->path);
      return FALSE;
    }
  if (!query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sl_meta'",
                  &has_meta) || has_meta == 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_PROJECT,
                   "Cannot open ‘%s’: it is a GeoPackage but not a Sitelapse project", self->path);
      return FALSE;
    }
  if (!query_int (db, "SELECT CAST(value AS INTEGER) FROM sl_meta WHERE key = 'schema_version'", &version) ||
      version < 1)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_CORRUPT,
                   "Cannot open ‘%s’: the project has no valid schema version", self->path);
      return FALSE;
    }
  if (version > SL_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NEWER_SCHEMA,
                   "Cannot open ‘%s’: it was saved by a newer Sitelapse (project schema %" G_GINT64_FORMAT
                   ", this version reads up to %d); update Sitelapse to open it",
                   self->path, version, SL_PROJECT_SCHEMA_VERSION);
      return FALSE;
    }
  self->schema_version = (int) version;
  return TRUE;
}

gboolean
_sl_project_schema_migrate (SlProject *self, GError **error)
{
  g_autofree char *bump = NULL;

  if (self->schema_version >= SL_PROJECT_SCHEMA_VERSION)
    return TRUE;

  if (!_sl_project_begin (self, error))
    return FALSE;
  for (int v = self->schema_version; v < SL_PROJECT_SCHEMA_VERSION; v++)
    {
      g_assert ((gsize) v <= G_N_ELEMENTS (migrations) && migrations[v - 1] != NULL);
      if (!migrations[v - 1] (self, error))
        {
          _sl_project_rollback (self);
          g_prefix_error (error, "Cannot upgrade ‘%s’ from project schema %d: ", self->path, v);
          return FALSE;
        }
    }
  bump = g_strdup_printf ("UPDATE sl_meta SET value = '%d' WHERE key = 'schema_version'",
                          SL_PROJECT_SCHEMA_VERSION);
  if (!_sl_project_exec (self, bump, error) || !_sl_project_commit (self, error))
    {
      _sl_project_rollback (self);
      return FALSE;
    }
  self->schema_version = SL_PROJECT_SCHEMA_VERSION;
  return TRUE;
}

/* Each check is an SQL query returning problem descriptions, one row per problem. */
static const struct
{
  const char *sql;
} checks[] = {
  { "SELECT 'application_id is not GPKG' WHERE (SELECT application_id FROM pragma_application_id) != 1196444487" },
  { "SELECT 'user_version ' || user_version || ' is not a GeoPackage version (>= 10200)'"
    " FROM pragma_user_version WHERE user_version < 10200" },
  { "SELECT 'missing table ' || t.name FROM (SELECT 'gpkg_spatial_ref_sys' AS name UNION ALL"
    " SELECT 'gpkg_contents' UNION ALL SELECT 'gpkg_geometry_columns' UNION ALL SELECT 'gpkg_extensions'"
    " UNION ALL SELECT 'sl_meta' UNION ALL SELECT 'sl_site' UNION ALL SELECT 'sl_scenes'"
    " UNION ALL SELECT 'sl_classes' UNION ALL SELECT 'sl_tie_points' UNION ALL SELECT 'annotations'"
    " UNION ALL SELECT 'rtree_annotations_geom') AS t"
    " WHERE t.name NOT IN (SELECT name FROM sqlite_master WHERE type = 'table')" },
  { "SELECT 'gpkg_spatial_ref_sys lacks the required srs_id ' || r.id FROM (SELECT 4326 AS id UNION ALL"
    " SELECT -1 UNION ALL SELECT 0) AS r WHERE r.id NOT IN (SELECT srs_id FROM gpkg_spatial_ref_sys)" },
  { "SELECT 'gpkg_contents lists ' || table_name || ', which does not exist' FROM gpkg_contents"
    " WHERE table_name NOT IN (SELECT name FROM sqlite_master WHERE type IN ('table', 'view'))" },
  { "SELECT 'missing R-tree trigger ' || t.name FROM (SELECT 'rtree_annotations_geom_insert' AS name"
    " UNION ALL SELECT 'rtree_annotations_geom_update1' UNION ALL SELECT 'rtree_annotations_geom_update2'"
    " UNION ALL SELECT 'rtree_annotations_geom_update3' UNION ALL SELECT 'rtree_annotations_geom_update4'"
    " UNION ALL SELECT 'rtree_annotations_geom_delete') AS t"
    " WHERE t.name NOT IN (SELECT name FROM sqlite_master WHERE type = 'trigger')" },
  { "SELECT 'annotations is not registered in gpkg_geometry_columns' WHERE NOT EXISTS"
    " (SELECT 1 FROM gpkg_geometry_columns WHERE table_name = 'annotations' AND column_name = 'geom')" },
  { "SELECT 'the annotations layer CRS (' || g.srs_id || ') differs from the site CRS (' || s.srs_id || ')'"
    " FROM gpkg_geometry_columns g, sl_site s WHERE g.table_name = 'annotations' AND g.srs_id != s.srs_id"
    " AND EXISTS (SELECT 1 FROM annotations)" },
  { "SELECT 'annotation ' || fid || ' has a geometry that is not a GeoPackage blob' FROM annotations"
    " WHERE geom IS NOT NULL AND ST_IsEmpty(geom) IS NULL LIMIT 20" },
  { "SELECT 'annotation ' || a.fid || ' is missing from the spatial index' FROM annotations a"
    " WHERE a.geom IS NOT NULL AND NOT ST_IsEmpty(a.geom) AND NOT EXISTS (SELECT 1 FROM"
    " rtree_annotations_geom r WHERE r.id = a.fid AND r.minx <= ST_MinX(a.geom) AND r.maxx >= ST_MaxX(a.geom)"
    " AND r.miny <= ST_MinY(a.geom) AND r.maxy >= ST_MaxY(a.geom)) LIMIT 20" },
  { "SELECT 'spatial index entry ' || id || ' has no annotation' FROM rtree_annotations_geom"
    " WHERE id NOT IN (SELECT fid FROM annotations) LIMIT 20" },
  /* SQLite's own check of each R-tree: node sizes, boxes within their parents, the maps of
   * rows and parents (both trees may be written in bulk, sl-annotation-indexes.c). */
  { "SELECT 'spatial index: ' || r FROM (SELECT rtreecheck('rtree_annotations_geom') AS r) WHERE r != 'ok'" },
  { "SELECT 'date index: ' || r FROM (SELECT rtreecheck('sl_annotations_by_scene') AS r) WHERE r != 'ok'" },
  { "SELECT 'the date index holds ' || d || ' annotations, the spatial index ' || g FROM (SELECT"
    " (SELECT count(*) FROM sl_annotations_by_scene) AS d, (SELECT count(*) FROM rtree_annotations_geom) AS g)"
    " WHERE d != g" },
  { "SELECT 'missing index trigger ' || t.name FROM (SELECT 'sl_annotations_by_scene_insert' AS name"
    " UNION ALL SELECT 'sl_annotations_by_scene_update' UNION ALL SELECT 'sl_annotations_by_scene_delete'"
    " UNION ALL SELECT 'sl_annotation_counts_insert' UNION ALL SELECT 'sl_annotation_counts_update'"
    " UNION ALL SELECT 'sl_annotation_counts_delete') AS t"
    " WHERE t.name NOT IN (SELECT name FROM sqlite_master WHERE type = 'trigger')" },
  { "SELECT 'scene ' || id || ' has an acquisition date that is not a GeoPackage DATETIME: ' || acquired"
    " FROM sl_scenes WHERE acquired NOT GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9]Z'" },
  { "SELECT 'annotation ' || fid || ' has a date different from its scene''s' FROM annotations a"
    " JOIN sl_scenes s ON s.id = a.scene_id WHERE a.acquired != s.acquired LIMIT 20" },
  { "SELECT 'the project has no object classes' WHERE NOT EXISTS (SELECT 1 FROM sl_classes)" },
  { "SELECT 'the site row is missing' WHERE NOT EXISTS (SELECT 1 FROM sl_site WHERE id = 1)" },
  { "SELECT 'scene ' || id || ' has a visibility that is neither 0 nor 1: ' || quote(visible) FROM sl_scenes"
    " WHERE visible IS NOT 0 AND visible IS NOT 1 LIMIT 20" },
  { "SELECT 'foreign key violation in ' || \"table\" || ' row ' || rowid FROM pragma_foreign_key_check LIMIT 20" },
};

gboolean
_sl_project_schema_validate (SlProject *self, GPtrArray *problems)
{
  sqlite3 *db = _sl_project_get_db (self);
  guint before = problems->len;
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *msg = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (msg, "ok") != 0)
            g_ptr_array_add (problems, g_strdup_printf ("integrity check: %s", msg));
        }
    }
  else
    g_ptr_array_add (problems, g_strdup_printf ("integrity check failed to run: %s", sqlite3_errmsg (db)));

  /* Table checks only make sense once the tables exist. */
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(SlStmt) check = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, checks[i].sql, -1, &check, NULL) != SQLITE_OK)
        {
          if (i >= 3 && problems->len > before)
            continue; /* a missing table was already reported */
          g_ptr_array_add (problems, g_strdup_printf ("check %u could not run: %s", i, sqlite3_errmsg (db)));
          continue;
        }
      while ((rc = sqlite3_step (check)) == SQLITE_ROW)
        g_ptr_array_add (problems, g_strdup ((const char *) sqlite3_column_text (check, 0)));
      if (rc != SQLITE_DONE)
        g_ptr_array_add (problems, g_strdup_printf ("check %u failed: %s", i, sqlite3_errmsg (db)));
    }

  if (self->schema_version != SL_PROJECT_SCHEMA_VERSION)
    g_ptr_array_add (problems, g_strdup_printf ("project schema %d, expected %d",
                                                self->schema_version, SL_PROJECT_SCHEMA_VERSION));
  return problems->len == before;
}
