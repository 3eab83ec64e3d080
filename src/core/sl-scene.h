/* sl-scene.h — one dated image of the site and its provenance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sl-render-params.h"
#include "sl-site-grid.h"

G_BEGIN_DECLS

#define SL_SCENE_ERROR (sl_scene_error_quark ())

typedef enum
{
  SL_SCENE_ERROR_NOT_FOUND,     /* no such file */
  SL_SCENE_ERROR_EMPTY,         /* a file of zero bytes */
  SL_SCENE_ERROR_NOT_RASTER,    /* GDAL does not recognise it as a raster */
  SL_SCENE_ERROR_UNREADABLE,    /* GDAL opened it but reading pixels fails (truncated, corrupt) */
  SL_SCENE_ERROR_UNSUPPORTED,   /* opens, but cannot be displayed (no bands, absurd size, …) */
} SlSceneError;

typedef enum
{
  SL_GEOREF_NONE,          /* press image: placed by tie points later */
  SL_GEOREF_GEOTRANSFORM,  /* affine geotransform + CRS */
  SL_GEOREF_GCPS,          /* ground control points only */
} SlGeoref;

#define SL_TYPE_SCENE (sl_scene_get_type ())
G_DECLARE_FINAL_TYPE (SlScene, sl_scene, SL, SCENE, GObject)

GQuark       sl_scene_error_quark      (void);

SlScene     *sl_scene_new              (void);

/* Reads an image with GDAL: size, bands, data type, nodata, mask, colour table,
 * georeference, and the acquisition date from its metadata (TIFFTAG_DATETIME, EXIF,
 * ACQUISITIONDATETIME, …) when there is one. Checks that pixels can be read. */
SlScene     *sl_scene_probe            (const char   *path,
                                        GError      **error);
/* Parses ISO 8601 ("2022-02-20", "2022-02-20T09:41:00Z", "2022:02:20 09:41:00") as UTC. */
GDateTime   *sl_scene_parse_date       (const char   *text);

gint64       sl_scene_get_id           (SlScene *self);
GDateTime   *sl_scene_get_acquired     (SlScene *self);
void         sl_scene_set_acquired     (SlScene *self, GDateTime *acquired);
/* "2022-02-20T09:41:00.000Z", GeoPackage DATETIME form; NULL if unset. */
char        *sl_scene_format_acquired  (SlScene *self);
const char  *sl_scene_get_label        (SlScene *self);
void         sl_scene_set_label        (SlScene *self, const char *label);
const char  *sl_scene_get_provider     (SlScene *self);
void         sl_scene_set_provider     (SlScene *self, const char *provider);
const char  *sl_scene_get_sensor       (SlScene *self);
void         sl_scene_set_sensor       (SlScene *self, const char *sensor);
const char  *sl_scene_get_credit       (SlScene *self);
void         sl_scene_set_credit       (SlScene *self, const char *credit);
const char  *sl_scene_get_caption      (SlScene *self);
void         sl_scene_set_caption      (SlScene *self, const char *caption);
/* Whether the scene takes part in comparisons (the compare view, the timeline); a hidden
 * scene stays in the project and its list. TRUE for a new scene. */
gboolean     sl_scene_get_visible      (SlScene *self);
void         sl_scene_set_visible      (SlScene *self, gboolean visible);

/* As stored: relative to the project's folder where possible. */
const char  *sl_scene_get_source_path  (SlScene *self);
const char  *sl_scene_get_sha256       (SlScene *self);
gint64       sl_scene_get_file_size    (SlScene *self);
int          sl_scene_get_width        (SlScene *self);
int          sl_scene_get_height       (SlScene *self);
int          sl_scene_get_band_count   (SlScene *self);
/* GDAL's name: "Byte", "UInt16", "Float32", … */
const char  *sl_scene_get_data_type    (SlScene *self);
gboolean     sl_scene_get_nodata       (SlScene *self, double *nodata);
gboolean     sl_scene_get_has_mask     (SlScene *self);
gboolean     sl_scene_get_has_palette  (SlScene *self);
const char  *sl_scene_get_driver       (SlScene *self);
SlGeoref     sl_scene_get_georef       (SlScene *self);
/* Georeferenced with an affine geotransform (TRUE) — fills @gt[6] when non-NULL. */
gboolean     sl_scene_get_geotransform (SlScene *self, double gt[6]);
/* WKT of the scene's CRS (or of its GCPs), NULL when none. */
const char  *sl_scene_get_crs_wkt      (SlScene *self);
int          sl_scene_get_gcp_count    (SlScene *self);
/* "Georeferenced (WGS 84 / UTM zone 36N)", "GCPs only", "Not registered" */
char        *sl_scene_describe_georef  (SlScene *self);
/* The scene's placement on the site grid as an affine transform from its pixels to site
 * coordinates; FALSE when it is warped from another CRS (or not stored in a project yet). */
gboolean     sl_scene_get_pixel_to_site (SlScene *self, double t[6]);
/* FALSE when the scene is only placed by its pixel grid (no georeference, no tie points yet). */
gboolean     sl_scene_is_registered    (SlScene *self);
/* Its registration on another scene by tie points (JSON, see sl_project_register_scene), or
 * NULL. */
const char  *sl_scene_get_registration (SlScene *self);
/* Band mapping and stretch (NULL until stored in a project), and their generation: a new
 * generation invalidates the scene's display tiles. */
const SlRenderParams *sl_scene_get_render_params (SlScene *self);
guint32      sl_scene_get_render_generation (SlScene *self);
/* The scene's outline projected into site coordinates (through pixel_to_site, or warped from
 * its own CRS into @site_wkt): its bounding box and its mean resolution in site units per
 * pixel (from the outline's area). FALSE when it cannot be placed. No file access. */
gboolean     sl_scene_measure          (SlScene    *self,
                                        const char *site_wkt,
                                        SlBounds   *footprint,
                                        double     *resolution);
/* Human summary of the pixels: "2048 × 2048, 3 × Byte" */
char        *sl_scene_describe_pixels  (SlScene *self);

G_END_DECLS
