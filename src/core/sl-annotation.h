/* sl-annotation.h — one tagged object on one date: a shape in site coordinates, a class, attributes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sl-site-grid.h"

G_BEGIN_DECLS

typedef enum
{
  SL_SHAPE_POINT,        /* 1 point: fast counting */
  SL_SHAPE_BOX,          /* 4 corners of an axis-aligned rectangle, clockwise from the north-west */
  SL_SHAPE_ROTATED_BOX,  /* 4 corners: the long side first (p0 → p1), then the width (p1 → p2) */
  SL_SHAPE_POLYGON,      /* 3 or more points, not closed (the ring closes itself) */
  SL_SHAPE_LINE,         /* 2 or more points: a line or a measured distance */
} SlShapeKind;

typedef enum
{
  SL_CONFIDENCE_NONE,
  SL_CONFIDENCE_LOW,
  SL_CONFIDENCE_MEDIUM,
  SL_CONFIDENCE_HIGH,
} SlConfidence;

typedef struct
{
  double x, y;   /* site coordinates (x east, y north) */
} SlPoint;

/* A value type. Stored in the project's GeoPackage `annotations` feature table: POINT for
 * points, POLYGON (closed ring) for boxes, rotated boxes and polygons, LINESTRING for lines,
 * in site coordinates, so an annotation stays on the same ground on every date. */
typedef struct
{
  gint64        id;           /* the feature id; 0 until stored */
  gint64        scene_id;     /* the date it was tagged on */
  gint64        class_id;     /* required */
  SlShapeKind   kind;
  SlPoint      *points;
  guint         n_points;
  char         *object_uid;   /* the same object on several dates shares it; set when stored */
  SlConfidence  confidence;
  char         *note;         /* may be NULL */
  char         *author;       /* may be NULL */
  gint64        created;      /* µs since the epoch, UTC; set when stored */
  gint64        updated;
  gboolean      hidden;       /* H: not drawn, not hit; still counted */
  gboolean      locked;       /* Ctrl+L: drawn and counted, cannot be moved or edited */
} SlAnnotation;

/* What a dense view draws instead of shapes: an annotation's class and the centre of its
 * bounds (sl_annotation_store_query_marks reads them from the spatial index alone). */
typedef struct
{
  gint64 id;
  gint64 class_id;
  double x, y;   /* site coordinates */
} SlAnnotationMark;

#define SL_TYPE_ANNOTATION (sl_annotation_get_type ())
GType          sl_annotation_get_type     (void) G_GNUC_CONST;

/* A new annotation with a copy of @points (checked by sl_annotation_is_valid, not here). */
SlAnnotation  *sl_annotation_new          (SlShapeKind          kind,
                                           const SlPoint       *points,
                                           guint                n_points);
SlAnnotation  *sl_annotation_copy         (const SlAnnotation  *self);
void           sl_annotation_free         (SlAnnotation        *self);
/* Replaces the shape's points (a copy). */
void           sl_annotation_set_points   (SlAnnotation        *self,
                                           const SlPoint       *points,
                                           guint                n_points);
/* The right number of finite points for the kind, a non-degenerate box or polygon. FALSE
 * with a message ("a polygon needs at least 3 points") otherwise. */
gboolean       sl_annotation_is_valid     (const SlAnnotation  *self,
                                           GError             **error);
void           sl_annotation_get_bounds   (const SlAnnotation  *self,
                                           SlBounds            *bounds);
/* Distance (site units) from (@x, @y) to the shape: 0 inside a closed shape, else to its
 * outline or point. For hit-testing. */
double         sl_annotation_distance     (const SlAnnotation  *self,
                                           double               x,
                                           double               y);
/* Moved by (@dx, @dy); rotated by @radians about @cx, @cy. */
void           sl_annotation_translate    (SlAnnotation        *self,
                                           double               dx,
                                           double               dy);
void           sl_annotation_rotate       (SlAnnotation        *self,
                                           double               cx,
                                           double               cy,
                                           double               radians);
/* Length of a line (or perimeter of a closed shape) and area of a closed shape, site units. */
double         sl_annotation_length       (const SlAnnotation  *self);
double         sl_annotation_area         (const SlAnnotation  *self);

const char    *sl_shape_kind_to_string    (SlShapeKind          kind);   /* "point", "box", … */
gboolean       sl_shape_kind_from_string  (const char          *text,
                                           SlShapeKind         *kind);
const char    *sl_confidence_to_string    (SlConfidence         confidence); /* NULL, "low", … */
gboolean       sl_confidence_from_string  (const char          *text,
                                           SlConfidence        *confidence);

/* The GeoPackage geometry blob of the shape (header with envelope, srs_id, then WKB), and back. */
GBytes        *sl_annotation_to_gpkg_blob (const SlAnnotation  *self,
                                           int                  srs_id);
gboolean       sl_annotation_set_from_gpkg_blob (SlAnnotation *self,
                                                 const guint8 *blob,
                                                 gsize         size,
                                                 GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlAnnotation, sl_annotation_free)

G_END_DECLS
