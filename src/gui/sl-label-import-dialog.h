/* sl-label-import-dialog.h — importing a label file: format, scene, fields, class mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-labels.h"
#include "sl-project.h"

G_BEGIN_DECLS

/* A modal window shown after a label file was chosen or dropped: the format detected from
 * the file (changeable), the scene the objects go on (pixel formats: a date; GIS formats:
 * by the file's date field or a chosen date), the class and date fields of a GIS file (read
 * with OGR), and, when the file names classes the project lacks (read on a worker thread),
 * one row per unknown name to map it to a project class or make it a new class. "Import"
 * shows a spinner while the import runs on a worker thread, in one transaction; a failure is
 * shown in the dialog and nothing is imported; a success emits "imported" with a summary for a
 * toast ("Imported 1 234 objects on 14 March 2022") and the annotations as stored (a
 * GPtrArray of SlAnnotation *, for the undo history), and closes the dialog. */
#define SL_TYPE_LABEL_IMPORT_DIALOG (sl_label_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SlLabelImportDialog, sl_label_import_dialog, SL, LABEL_IMPORT_DIALOG, AdwWindow)

/* @scene_id: the date to preselect (the pane the file was dropped on, or the current one). */
SlLabelImportDialog *sl_label_import_dialog_new          (GtkWindow           *parent,
                                                          SlProject           *project,
                                                          SlAnnotationStore   *store,
                                                          SlClassSet          *classes,
                                                          const char          *path,
                                                          gint64               scene_id);

SlLabelFormat        sl_label_import_dialog_get_format   (SlLabelImportDialog *self);
void                 sl_label_import_dialog_set_format   (SlLabelImportDialog *self,
                                                          SlLabelFormat        format);
/* 0: by the file's date field (GIS formats only). */
gint64               sl_label_import_dialog_get_scene    (SlLabelImportDialog *self);
void                 sl_label_import_dialog_set_scene    (SlLabelImportDialog *self,
                                                          gint64               scene_id);
/* The names listed for mapping, sorted (NULL-terminated; empty when none). */
GStrv                sl_label_import_dialog_dup_unknown_classes (SlLabelImportDialog *self);
/* Maps @name to the project class @class_id (0: a new class of that name). */
gboolean             sl_label_import_dialog_map_class    (SlLabelImportDialog *self,
                                                          const char          *name,
                                                          gint64               class_id);
/* Imports as "Import" does once the file's class names are read, and returns when the import
 * has ended (the main loop runs meanwhile); FALSE when it failed (see _get_error). */
gboolean             sl_label_import_dialog_import_now   (SlLabelImportDialog *self);
/* Whether the file is being read for its class names (after opening, or a change of format
 * or class field): the mapping rows and the file's error come when it is done. */
gboolean             sl_label_import_dialog_is_reading   (SlLabelImportDialog *self);
/* Whether an import started by "Import" is running. */
gboolean             sl_label_import_dialog_is_importing (SlLabelImportDialog *self);
/* The label file being imported. */
const char          *sl_label_import_dialog_get_path     (SlLabelImportDialog *self);
/* The message shown for the last failure, or NULL. */
const char          *sl_label_import_dialog_get_error    (SlLabelImportDialog *self);

G_END_DECLS
