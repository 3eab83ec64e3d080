/* sl-scene-private.h — SlScene's fields, shared by the probe and the project store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-render-params.h"
#include "sl-scene.h"

G_BEGIN_DECLS

struct _SlScene
{
  GObject     parent_instance;

  gint64      id;               /* 0 until stored in a project */
  GDateTime  *acquired;         /* UTC */
  char       *label;
  char       *provider;
  char       *sensor;
  char       *credit;
  char       *caption;
  gboolean    visible;          /* shown in comparisons */
  char       *registration;     /* JSON: placed on another scene by tie points (see
                                 * sl-project-registration.c), or NULL */

  char       *source_path;      /* as stored (relative to the project when possible) */
  char       *sha256;
  gint64      file_size;
  char       *driver;           /* GDAL short name */
  int         width;
  int         height;
  int         band_count;
  char       *data_type;        /* GDAL name of band 1's type */
  gboolean    has_nodata;
  double      nodata;
  gboolean    has_mask;
  gboolean    has_palette;

  SlGeoref    georef;
  double      geotransform[6];
  char       *crs_wkt;
  int         gcp_count;

  /* Placement on the site grid: an affine pixel → site transform, or none when the scene is
   * warped from another CRS. */
  gboolean    has_pixel_to_site;
  double      pixel_to_site[6];
  SlRenderParams *render_params;
  guint32     render_generation;
};

void  _sl_scene_set_id           (SlScene *self, gint64 id);
void  _sl_scene_set_source_path  (SlScene *self, const char *path);
/* Builds the label "Site — 21 Feb 2022" style default from the date and file name. */
char *_sl_scene_default_label    (const char *path, GDateTime *acquired);

G_END_DECLS
