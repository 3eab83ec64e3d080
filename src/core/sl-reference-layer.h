/* sl-reference-layer.h — a read-only vector overlay from any OGR file, drawn in every pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "sl-annotation.h"
#include "sl-project.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

#define SL_REFERENCE_LAYER_ERROR (sl_reference_layer_error_quark ())

typedef enum
{
  SL_REFERENCE_LAYER_ERROR_OPEN,       /* missing, unreadable, or not a vector format GDAL knows */
  SL_REFERENCE_LAYER_ERROR_CRS,        /* cannot be reprojected into the site CRS */
  SL_REFERENCE_LAYER_ERROR_TOO_LARGE,  /* more features or vertices than an overlay holds */
  SL_REFERENCE_LAYER_ERROR_INVALID,    /* the stored list of a project's overlays is damaged */
} SlReferenceLayerError;

/* Every feature of every layer of a vector file (building footprints, areas of interest),
 * read once with OGR, reprojected into the site CRS and kept in memory as flat arrays of
 * points with a bounding box per feature (fine up to a few hundred thousand features).
 * Drawn with cairo for a viewport: features outside the view are skipped, outlines are thin
 * in the layer's colour over a faint dark halo, points are small rings, and with a label
 * field each feature large enough on screen carries its value. Immutable after loading
 * except for the colour. */
#define SL_TYPE_REFERENCE_LAYER (sl_reference_layer_get_type ())
G_DECLARE_FINAL_TYPE (SlReferenceLayer, sl_reference_layer, SL, REFERENCE_LAYER, GObject)

GQuark            sl_reference_layer_error_quark   (void);

/* Reads @path; @site_crs_wkt is the CRS to reproject into (NULL or "": the site has none, so
 * only a file without a CRS can be shown, as is). @label_field: an attribute drawn beside
 * each feature (NULL: none); a field the file lacks is an error. */
SlReferenceLayer *sl_reference_layer_load          (const char        *path,
                                                    const char        *site_crs_wkt,
                                                    const char        *label_field,
                                                    GError           **error);

const char       *sl_reference_layer_get_path      (SlReferenceLayer  *self);
/* The file's display name. */
const char       *sl_reference_layer_get_name      (SlReferenceLayer  *self);
const char       *sl_reference_layer_get_label_field (SlReferenceLayer *self);
/* "#rrggbb" (default "#ffd400"). */
const char       *sl_reference_layer_get_colour    (SlReferenceLayer  *self);
void              sl_reference_layer_set_colour    (SlReferenceLayer  *self,
                                                    const char        *colour);

guint             sl_reference_layer_get_n_features (SlReferenceLayer *self);
/* The site-CRS bounds of all features; FALSE when there are none. */
gboolean          sl_reference_layer_get_bounds    (SlReferenceLayer  *self,
                                                    SlBounds          *bounds);
/* Feature @index's vertices in site coordinates, all its parts one after the other (a
 * polygon's rings, a multi-geometry's members), and its label (NULL without a label field). */
const SlPoint    *sl_reference_layer_get_points    (SlReferenceLayer  *self,
                                                    guint              index,
                                                    guint             *n_points);
const char       *sl_reference_layer_get_label     (SlReferenceLayer  *self,
                                                    guint              index);

/* Draws the features that meet the view of @viewport at @width × @height logical pixels.
 * Returns how many features were drawn. */
guint             sl_reference_layer_draw          (SlReferenceLayer  *self,
                                                    cairo_t           *cr,
                                                    SlViewport        *viewport,
                                                    int                width,
                                                    int                height);

/* A project's overlays, remembered in its sl_meta table (key "reference_layers": a JSON array
 * of { "path", "colour", "label_field" }). Loading reads each file again: those that cannot
 * be read are left out and their errors added to @failures (char *, may be NULL); @error only
 * when the list itself cannot be read. Returns SlReferenceLayer *, in drawing order. */
GPtrArray        *sl_reference_layers_load_for_project (SlProject     *project,
                                                    GPtrArray         *failures,
                                                    GError           **error);
gboolean          sl_reference_layers_save_for_project (SlProject     *project,
                                                    GPtrArray         *layers,
                                                    GError           **error);

G_END_DECLS
