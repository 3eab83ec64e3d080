/* sl-counts-painter.h — counts per class over time drawn with cairo, for the screen and exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "sl-annotation-store.h"

G_BEGIN_DECLS

/* A line chart of how many objects of each class were annotated on each date: one line per
 * class in the class's colour, the dates placed along a real time axis (uneven gaps show as
 * gaps, as on the timeline), a legend of the classes, integer count gridlines, and the
 * current date marked by an accent band and label. Only classes annotated on some date get a
 * line. Draws into any cairo_t (a widget's snapshot, a PNG export, a test's image surface);
 * coordinates are logical pixels, the caller's cairo_t carries any device scale. */
#define SL_TYPE_COUNTS_PAINTER (sl_counts_painter_get_type ())
G_DECLARE_FINAL_TYPE (SlCountsPainter, sl_counts_painter, SL, COUNTS_PAINTER, GObject)

SlCountsPainter *sl_counts_painter_new          (void);

/* @classes: SlClass * (names and colours); @scenes: SlScene * in date order (the dates).
 * Copies what it needs; NULL @table clears the chart. */
void             sl_counts_painter_set_counts   (SlCountsPainter     *self,
                                                 const SlCountsTable *table,
                                                 GPtrArray           *classes,
                                                 GPtrArray           *scenes);
/* The date marked as current; 0: none. */
void             sl_counts_painter_set_current  (SlCountsPainter     *self,
                                                 gint64               scene_id);
gint64           sl_counts_painter_get_current  (SlCountsPainter     *self);
/* RGBA, 0…1: text and axes, the ground under the chart (it rings the points), and the
 * current date's mark. Defaults suit a light background. */
void             sl_counts_painter_set_colors   (SlCountsPainter     *self,
                                                 const double         foreground[4],
                                                 const double         background[4],
                                                 const double         accent[4]);
/* A Pango font description string, e.g. "Cantarell 10"; NULL: "Sans 9". */
void             sl_counts_painter_set_font     (SlCountsPainter     *self,
                                                 const char          *font);

void             sl_counts_painter_draw         (SlCountsPainter     *self,
                                                 cairo_t             *cr,
                                                 int                  width,
                                                 int                  height);
/* Where the point of @class_id on @scene_id is drawn in a @width × @height chart; FALSE
 * when that class has no line or the scene is not on the chart. */
gboolean         sl_counts_painter_get_point    (SlCountsPainter     *self,
                                                 int                  width,
                                                 int                  height,
                                                 gint64               class_id,
                                                 gint64               scene_id,
                                                 double              *x,
                                                 double              *y);
/* How many classes have a line. */
guint            sl_counts_painter_get_n_series (SlCountsPainter     *self);

G_END_DECLS
