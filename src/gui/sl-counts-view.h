/* sl-counts-view.h — counts over time: changes since the previous date, a chart and a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"

G_BEGIN_DECLS

/* How a project's annotations count over time, kept up to date as they change (the store's,
 * the class set's and the project's "changed" signals, coalesced into one refresh per
 * main-loop idle):
 * - for the current date against the previous one, objects new, gone and persisting (followed
 *   across dates by their object identity), or a note when no object is linked;
 * - an SlCountsChart of the classes annotated on some date;
 * - a table, one row per date and one column per annotated class, with the change from the
 *   previous date beside each count ("+12" green, "−3" red), a total column and a totals row;
 *   the current date's row is marked. */
#define SL_TYPE_COUNTS_VIEW (sl_counts_view_get_type ())
G_DECLARE_FINAL_TYPE (SlCountsView, sl_counts_view, SL, COUNTS_VIEW, GtkWidget)

GtkWidget *sl_counts_view_new          (void);
/* The annotations and classes of one project; NULL, NULL: none. */
void       sl_counts_view_set_sources  (SlCountsView      *self,
                                        SlAnnotationStore *store,
                                        SlClassSet        *classes);
gint64     sl_counts_view_get_current  (SlCountsView      *self);
void       sl_counts_view_set_current  (SlCountsView      *self,
                                        gint64             scene_id);
/* Reads the counts again now (otherwise done at the next idle after a change). */
void       sl_counts_view_refresh      (SlCountsView      *self);

/* What the table shows, for tests and screen readers: row 0 is the heading, then one row
 * per date, then the totals; column 0 the dates, then one per class, then the total. A cell
 * reads "12 +3" (count and change, "−" for a fall), "12" on the first date; NULL outside. */
char      *sl_counts_view_dup_cell     (SlCountsView      *self,
                                        guint              row,
                                        guint              column);
/* The current date against the previous one; FALSE when it has no previous date. */
gboolean   sl_counts_view_get_changes  (SlCountsView      *self,
                                        guint             *n_new,
                                        guint             *n_gone,
                                        guint             *n_persisting);
GtkWidget *sl_counts_view_get_chart    (SlCountsView      *self);

G_END_DECLS
