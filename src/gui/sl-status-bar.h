/* sl-status-bar.h — the status line under a scene pane: where the pointer is, zoom, scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-project.h"
#include "sl-pyramid-jobs.h"
#include "sl-scene-view.h"

G_BEGIN_DECLS

typedef enum
{
  SL_STATUS_FIELD_PIXEL,    /* "Pixel 1024, 768" in the scene's own pixels, "—" when warped */
  SL_STATUS_FIELD_MAP,      /* "511234.5, 6048123.4 (UTM 36N)" in site coordinates */
  SL_STATUS_FIELD_LATLON,   /* "54.57123° N, 33.08912° E" when georeferenced */
  SL_STATUS_FIELD_ZOOM,     /* "25 %" */
  SL_STATUS_FIELD_SCALE,    /* "1:4534" at 96 dpi */
  SL_STATUS_FIELD_LOADING,  /* "Loading 12 tiles…" */
  SL_STATUS_FIELD_BUILD,    /* "Building overviews · 18 Jan 2022 · 45 %", with a stop button */
  SL_STATUS_N_FIELDS
} SlStatusField;

/* Follows one SlSceneView: the pointer in scene pixels, site coordinates (with the site
 * CRS's short name) and latitude/longitude, the zoom and map scale, and how many tiles are
 * still loading; and the window's background pyramid builds, with a button that activates
 * "win.cancel-pyramids". */
#define SL_TYPE_STATUS_BAR (sl_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (SlStatusBar, sl_status_bar, SL, STATUS_BAR, GtkWidget)

GtkWidget   *sl_status_bar_new         (void);
SlSceneView *sl_status_bar_get_view    (SlStatusBar *self);
void         sl_status_bar_set_view    (SlStatusBar *self,
                                        SlSceneView *view);
/* Where the view's scenes come from (their pixel placement). */
SlProject   *sl_status_bar_get_project (SlStatusBar *self);
void         sl_status_bar_set_project (SlStatusBar *self,
                                        SlProject   *project);

/* The background builds shown (the window's). */
SlPyramidJobs *sl_status_bar_get_jobs  (SlStatusBar   *self);
void           sl_status_bar_set_jobs  (SlStatusBar   *self,
                                        SlPyramidJobs *jobs);

/* For tests: the text a field shows ("" when hidden). */
const char  *_sl_status_bar_get_text   (SlStatusBar  *self,
                                        SlStatusField field);

G_END_DECLS
