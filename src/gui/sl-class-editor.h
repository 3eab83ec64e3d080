/* sl-class-editor.h — a dialog to edit a project's classes: names, colours, merge, delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-undo-stack.h"

G_BEGIN_DECLS

#define SL_TYPE_CLASS_EDITOR (sl_class_editor_get_type ())
G_DECLARE_FINAL_TYPE (SlClassEditor, sl_class_editor, SL, CLASS_EDITOR, AdwWindow)

/* A modal dialog over @parent listing the classes of @store's project: colour, name (edited
 * in place), key and how many annotations use each. Every change is written at once (one
 * transaction each): a name applied with Enter or the row's apply button, a colour picked,
 * a class added, merged into another or deleted. Deleting a class that annotations use
 * asks whether to move them to another class or delete them. A class removed (merged or
 * deleted) clears @undo, whose edits could refer to it. Errors (a name another class has, a
 * read-only project) are shown in the dialog; a read-only project is shown, not edited. */
SlClassEditor *sl_class_editor_new (GtkWindow         *parent,
                                    SlAnnotationStore *store,
                                    SlClassSet        *classes,
                                    SlUndoStack       *undo);

/* For tests: the widgets of the class @class_id ("name": AdwEntryRow, its title saying how
 * many annotations use the class; "colour": GtkColorButton; "key": GtkShortcutLabel;
 * "menu": GtkMenuButton), or
 * "add" (the new class's AdwEntryRow) with @class_id 0; NULL when there is none. */
GtkWidget     *_sl_class_editor_get_widget   (SlClassEditor *self,
                                              gint64         class_id,
                                              const char    *name);
/* The message shown (NULL: none), and the question being asked (NULL: none): an
 * AdwMessageDialog whose extra child holds an AdwComboRow of the other classes. */
const char    *_sl_class_editor_get_message  (SlClassEditor *self);
AdwMessageDialog *_sl_class_editor_get_question (SlClassEditor *self);

G_END_DECLS
