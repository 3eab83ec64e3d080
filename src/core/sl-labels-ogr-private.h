/* sl-labels-ogr-private.h — what the GIS label formats' writer (sl-labels-ogr.c) and reader
 * (sl-labels-ogr-read.c) share: the attribute fields, the drivers, messages, the site CRS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "sl-labels-private.h"

G_BEGIN_DECLS

/* The attributes every GIS export carries, in this order. */
enum
{
  SL_OGR_CLASS, SL_OGR_CLASS_KEY, SL_OGR_ACQUIRED, SL_OGR_SCENE, SL_OGR_SCENE_ID, SL_OGR_KIND,
  SL_OGR_OBJECT_UID, SL_OGR_CONFIDENCE, SL_OGR_NOTE, SL_OGR_AUTHOR, SL_OGR_CREATED, SL_OGR_UPDATED,
  SL_OGR_N_FIELDS
};

typedef struct
{
  const char   *name;
  OGRFieldType  type;
} SlOgrField;

extern const SlOgrField _sl_ogr_fields[SL_OGR_N_FIELDS];

typedef struct
{
  SlLabelFormat  format;
  const char    *driver;
  const char    *fallback;   /* another driver that does the job */
  gboolean       lonlat;     /* WGS 84 by definition (or by default) */
} SlOgrFormat;

const SlOgrFormat   *_sl_ogr_find_format  (SlLabelFormat format);
/* "labels.geojson feature 3: …": the file's base name, then the object (may be NULL). */
void                 _sl_ogr_error        (GError       **error,
                                           SlLabelsError  code,
                                           const char    *path,
                                           const char    *where,
                                           const char    *format,
                                           ...) G_GNUC_PRINTF (5, 6);
/* GDAL's last error without its newline, or @fallback. */
char                *_sl_ogr_gdal_message (const char    *fallback);
/* A new empty SRS in lon/lat (x/y) axis order. */
OGRSpatialReferenceH _sl_ogr_new_srs      (void);
/* The site CRS; NULL for a site in pixel space. */
OGRSpatialReferenceH _sl_ogr_site_srs     (SlLabelContext *ctx);

/* The reader of every GIS format (sl-labels-ogr-read.c). */
GPtrArray           *_sl_ogr_read         (SlLabelContext *ctx,
                                           SlLabelFormat   format,
                                           const char     *path,
                                           GError        **error);

G_END_DECLS
