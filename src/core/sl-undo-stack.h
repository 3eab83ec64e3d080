/* sl-undo-stack.h — undo and redo of annotation edits, across dates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-annotation-store.h"

G_BEGIN_DECLS

/* Every edit made through it is applied to the store at once (its own transaction) and
 * recorded with what it replaced; undo and redo apply the inverse or the edit again, also each
 * in its own transaction. Edits of any date share one history (undo after changing date undoes
 * the last edit wherever it was; "last-scene-id" says where, so the window can go there).
 * Properties "can-undo", "can-redo", "undo-label", "redo-label" ("Undo Add Tank"), "last-scene-id".
 * An edit made after an undo drops what could have been redone. */
#define SL_TYPE_UNDO_STACK (sl_undo_stack_get_type ())
G_DECLARE_FINAL_TYPE (SlUndoStack, sl_undo_stack, SL, UNDO_STACK, GObject)

SlUndoStack *sl_undo_stack_new         (SlAnnotationStore *store);

/* @label: what the edit did, shown as "Undo @label". Annotations are copied. */
gboolean     sl_undo_stack_add         (SlUndoStack       *self,
                                        GPtrArray         *annotations,  /* SlAnnotation *; ids set on success */
                                        const char        *label,
                                        GError           **error);
/* Records annotations another path has just added to the store (an import: @annotations
 * as stored, ids and times set), so that undo removes them and redo adds them back. Nothing
 * is written now. Annotations are copied. */
void         sl_undo_stack_record_added (SlUndoStack      *self,
                                        GPtrArray         *annotations,
                                        const char        *label);
gboolean     sl_undo_stack_update      (SlUndoStack       *self,
                                        GPtrArray         *annotations,  /* the new versions */
                                        const char        *label,
                                        GError           **error);
gboolean     sl_undo_stack_remove      (SlUndoStack       *self,
                                        const gint64      *ids,
                                        guint              n_ids,
                                        const char        *label,
                                        GError           **error);
gboolean     sl_undo_stack_copy_to_scene (SlUndoStack     *self,
                                        const gint64      *ids,
                                        guint              n_ids,
                                        gint64             scene_id,
                                        GArray           **new_ids,
                                        GError           **error);

/* Every annotation of class @from became @into (a merge, or a class removed with its
 * annotations moved): the history's rows say so too, so that undo and redo keep working. */
void         sl_undo_stack_reclass     (SlUndoStack       *self,
                                        gint64             from,
                                        gint64             into);
gboolean     sl_undo_stack_can_undo    (SlUndoStack       *self);
gboolean     sl_undo_stack_can_redo    (SlUndoStack       *self);
/* "Undo Add Tank" / "Redo Add Tank" (the properties); NULL when there is nothing to do. */
const char  *sl_undo_stack_get_undo_label (SlUndoStack    *self);
const char  *sl_undo_stack_get_redo_label (SlUndoStack    *self);
gboolean     sl_undo_stack_undo        (SlUndoStack       *self,
                                        GError           **error);
gboolean     sl_undo_stack_redo        (SlUndoStack       *self,
                                        GError           **error);
/* The scene of the edit undone or redone last (0: none). */
gint64       sl_undo_stack_get_last_scene_id (SlUndoStack *self);
void         sl_undo_stack_clear       (SlUndoStack       *self);

G_END_DECLS
