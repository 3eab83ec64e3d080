/* sl-export-dialog.h — the export dialog: a graphic of the comparison, previewed live
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-composer.h"

G_BEGIN_DECLS

/* A window beside the project window: the graphic's preview on the left, its settings on the
 * right (layout, dates, area, size, text, map elements, style, format, presets). The preview
 * is drawn by the same SlComposer that writes the file, on a worker thread, a moment after
 * the last change. "Export…" asks for a file and writes it off the main thread with progress
 * and Cancel; errors stay in the dialog, a success emits "exported" and closes it.
 *
 * "scenes" are the dates offered (SlScene, date order: the comparison's visible ones). */
#define SL_TYPE_EXPORT_DIALOG (sl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SlExportDialog, sl_export_dialog, SL, EXPORT_DIALOG, AdwWindow)

/* @composition: where to start (the comparison's layout, dates and view, see
 * sl_composition_set_from_compare_state and sl_composition_set_view). */
SlExportDialog      *sl_export_dialog_new             (GtkWindow           *parent,
                                                       SlProject           *project,
                                                       SlTileCache         *cache,
                                                       GListModel          *scenes,
                                                       const SlComposition *composition);
/* What the settings say now. */
const SlComposition *sl_export_dialog_get_composition (SlExportDialog      *self);
SlExportFormat       sl_export_dialog_get_format      (SlExportDialog      *self);
void                 sl_export_dialog_set_format      (SlExportDialog      *self,
                                                       SlExportFormat       format);
/* Replaces the settings (the rows follow). */
void                 sl_export_dialog_set_composition (SlExportDialog      *self,
                                                       const SlComposition *composition);
/* Writes the graphic to @path in the chosen format, as "Export…" does once a file is chosen. */
void                 sl_export_dialog_export_to       (SlExportDialog      *self,
                                                       const char          *path);
/* Whether an export runs. */
gboolean             sl_export_dialog_get_exporting   (SlExportDialog      *self);
/* The message shown for the last failure (NULL: none). */
const char          *sl_export_dialog_get_error       (SlExportDialog      *self);

G_END_DECLS
