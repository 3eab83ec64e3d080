/* sl-counts-chart.h — the counts-over-time chart as a widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-counts-painter.h"

G_BEGIN_DECLS

/* Draws an SlCountsPainter (counts per class on a time axis, the current date marked) in the
 * widget's style: its foreground colour and font, libadwaita's accent and view colours, so
 * light, dark and high-contrast styles all read. What it shows is what an export of the same
 * painter shows. */
#define SL_TYPE_COUNTS_CHART (sl_counts_chart_get_type ())
G_DECLARE_FINAL_TYPE (SlCountsChart, sl_counts_chart, SL, COUNTS_CHART, GtkWidget)

GtkWidget       *sl_counts_chart_new         (void);
/* As sl_counts_painter_set_counts (); redraws. */
void             sl_counts_chart_set_counts  (SlCountsChart       *self,
                                              const SlCountsTable *table,
                                              GPtrArray           *classes,
                                              GPtrArray           *scenes);
void             sl_counts_chart_set_current (SlCountsChart       *self,
                                              gint64               scene_id);
/* Where points are (sl_counts_painter_get_point () at the widget's size). */
SlCountsPainter *sl_counts_chart_get_painter (SlCountsChart       *self);

G_END_DECLS
