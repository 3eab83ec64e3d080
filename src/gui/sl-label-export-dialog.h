/* sl-label-export-dialog.h — exporting annotations as labels: format, scope, classes, CRS, chips
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-labels.h"
#include "sl-project.h"

G_BEGIN_DECLS

/* A modal window: the format (every export format), the scope (the shown date or all dates,
 * where the format can hold several), the classes (all, or a chosen few), the CRS of GIS
 * formats (the site's, WGS 84, or one typed as "EPSG:xxxx") and, for pixel formats, chips
 * (size, overlap, skip empty ones). "Export…" asks where (a file, or a new folder for chips
 * and for YOLO over all dates) and writes there on a worker thread behind a spinner (closing
 * the dialog cancels it); errors stay in the dialog, a success emits "exported" (path, count)
 * and closes it. */
#define SL_TYPE_LABEL_EXPORT_DIALOG (sl_label_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SlLabelExportDialog, sl_label_export_dialog, SL, LABEL_EXPORT_DIALOG, AdwWindow)

/* @scene_id: the date shown (the scope "Shown Date"). */
SlLabelExportDialog *sl_label_export_dialog_new        (GtkWindow           *parent,
                                                        SlProject           *project,
                                                        SlAnnotationStore   *store,
                                                        SlClassSet          *classes,
                                                        gint64               scene_id);

SlLabelFormat        sl_label_export_dialog_get_format (SlLabelExportDialog *self);
void                 sl_label_export_dialog_set_format (SlLabelExportDialog *self,
                                                        SlLabelFormat        format);
void                 sl_label_export_dialog_set_all_dates (SlLabelExportDialog *self,
                                                        gboolean             all_dates);
/* NULL: every class; else only those (gint64). */
void                 sl_label_export_dialog_set_classes (SlLabelExportDialog *self,
                                                        const gint64        *class_ids,
                                                        guint                n_class_ids);
/* NULL: the site CRS; "EPSG:4326": WGS 84; another: typed. */
void                 sl_label_export_dialog_set_crs    (SlLabelExportDialog *self,
                                                        const char          *crs);
/* @size 0: no chips. */
void                 sl_label_export_dialog_set_chips  (SlLabelExportDialog *self,
                                                        int                  size,
                                                        int                  overlap,
                                                        gboolean             skip_empty);
/* The options the rows say now; free with sl_label_export_dialog_clear_options. */
void                 sl_label_export_dialog_get_options (SlLabelExportDialog *self,
                                                        SlLabelExportOptions *options);
void                 sl_label_export_dialog_clear_options (SlLabelExportOptions *options);
/* Writes to @path as "Export…" does once it is chosen, and returns when the export has
 * ended (the main loop runs meanwhile): the count, or -1 (see _get_error). */
gssize               sl_label_export_dialog_export_to  (SlLabelExportDialog *self,
                                                        const char          *path);
const char          *sl_label_export_dialog_get_error  (SlLabelExportDialog *self);

G_END_DECLS
