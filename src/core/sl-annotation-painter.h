/* sl-annotation-painter.h — annotations drawn with cairo, for the screen and for exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "sl-annotation.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

typedef enum
{
  SL_PAINT_STYLE_NORMAL,   /* class colour outlines with a dark halo, a light fill */
  SL_PAINT_STYLE_GHOST,    /* thin dashed outlines: another date's annotations */
} SlPaintStyle;

/* How a frame was drawn: every shape, or (too many visible) dots or counted clusters. */
typedef enum
{
  SL_PAINT_LOD_SHAPES,
  SL_PAINT_LOD_POINTS,
  SL_PAINT_LOD_CLUSTERS,
} SlPaintLod;

typedef enum
{
  SL_HANDLE_CORNER,   /* index 0–3: the shape's corner */
  SL_HANDLE_EDGE,     /* index 0–3: the middle of the edge from corner index to index + 1 */
  SL_HANDLE_ROTATE,   /* above the box's first edge */
  SL_HANDLE_VERTEX,   /* index: the polygon's or line's point */
} SlHandleKind;

typedef struct
{
  SlHandleKind kind;
  guint        index;
  double       x, y;   /* widget coordinates */
} SlHandle;

/* Draws annotations for an SlViewport at a widget size into any cairo_t (a pane's snapshot,
 * a PNG export, a test's image surface), so the screen and exports look the same: class
 * colour outlines over a dark halo (they read on snow and on mud), points as small rings,
 * a light fill inside closed shapes, the selection thicker with handles (corners, edge
 * middles and a rotation handle for boxes; vertices for polygons and lines), optional
 * labels (class name, a line's length). When more than "lod-threshold" annotations are to
 * be drawn, a frame draws dots (up to four times the threshold) or one counted disc per
 * screen cell, so a dense view never slows down. Widget coordinates are logical pixels;
 * the caller's cairo_t carries any device scale. */
#define SL_TYPE_ANNOTATION_PAINTER (sl_annotation_painter_get_type ())
G_DECLARE_FINAL_TYPE (SlAnnotationPainter, sl_annotation_painter, SL, ANNOTATION_PAINTER, GObject)

/* Logical pixels of a cluster cell, and the default threshold. */
#define SL_ANNOTATION_PAINTER_CLUSTER_CELL 56
#define SL_ANNOTATION_PAINTER_LOD_THRESHOLD 3000

SlAnnotationPainter *sl_annotation_painter_new              (void);

/* "#rrggbb"; classes without a colour draw grey. */
void        sl_annotation_painter_set_class        (SlAnnotationPainter *self,
                                                    gint64               class_id,
                                                    const char          *colour,
                                                    const char          *name);
void        sl_annotation_painter_clear_classes    (SlAnnotationPainter *self);
void        sl_annotation_painter_set_style        (SlAnnotationPainter *self,
                                                    SlPaintStyle         style);
void        sl_annotation_painter_set_show_labels  (SlAnnotationPainter *self,
                                                    gboolean             show);
/* A line's length is labelled in metres when TRUE (a projected site), else in site units. */
void        sl_annotation_painter_set_metric       (SlAnnotationPainter *self,
                                                    gboolean             metric);
void        sl_annotation_painter_set_lod_threshold (SlAnnotationPainter *self,
                                                    guint                threshold);
guint       sl_annotation_painter_get_lod_threshold (SlAnnotationPainter *self);

/* Draws @annotations (SlAnnotation *, drawing order) of a @width × @height view, except hidden
 * ones; those whose id is in @selected (a set of gint64 *, may be NULL) as selected. Returns
 * how it drew. */
SlPaintLod  sl_annotation_painter_draw             (SlAnnotationPainter *self,
                                                    cairo_t             *cr,
                                                    SlViewport          *viewport,
                                                    int                  width,
                                                    int                  height,
                                                    GPtrArray           *annotations,
                                                    GHashTable          *selected);
/* What a dense view draws from the index alone (SlAnnotationMark, any order): a dot per
 * annotation in its class colour, or counted clusters beyond four times the threshold. */
SlPaintLod  sl_annotation_painter_draw_marks       (SlAnnotationPainter    *self,
                                                    cairo_t                *cr,
                                                    SlViewport             *viewport,
                                                    int                     width,
                                                    int                     height,
                                                    const SlAnnotationMark *marks,
                                                    guint                   n_marks);
/* One annotation, e.g. the shape being drawn. */
void        sl_annotation_painter_draw_one         (SlAnnotationPainter *self,
                                                    cairo_t             *cr,
                                                    SlViewport          *viewport,
                                                    int                  width,
                                                    int                  height,
                                                    const SlAnnotation  *annotation,
                                                    gboolean             selected);
/* The handles of a selected annotation, in widget coordinates; the array holds SlHandle. */
GArray     *sl_annotation_painter_get_handles      (SlViewport          *viewport,
                                                    int                  width,
                                                    int                  height,
                                                    const SlAnnotation  *annotation);
void        sl_annotation_painter_draw_handles     (SlAnnotationPainter *self,
                                                    cairo_t             *cr,
                                                    GArray              *handles);
/* "12.3 m", "1.24 km", or "12.3" (site units) for a length. */
char       *sl_annotation_painter_format_length    (SlAnnotationPainter *self,
                                                    double               length);

G_END_DECLS
