/* sl-scene-editor.h — a dialog to edit a scene's details: label, date, provenance, caption
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-project.h"

G_BEGIN_DECLS

#define SL_TYPE_SCENE_EDITOR (sl_scene_editor_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneEditor, sl_scene_editor, SL, SCENE_EDITOR, AdwWindow)

/* A modal dialog over @parent showing @scene's editable fields. "Save" (the action
 * "editor.save", Enter in a field) writes them with sl_project_update_scene() and closes
 * it; a date that does not parse, or a write that fails, is shown in the dialog and nothing
 * is saved. Escape or "Cancel" closes it unchanged. */
SlSceneEditor *sl_scene_editor_new          (GtkWindow     *parent,
                                             SlProject     *project,
                                             SlScene       *scene);
gint64         sl_scene_editor_get_scene_id (SlSceneEditor *self);

/* For tests: a field by name ("label", "date", "provider", "sensor", "credit": GtkEditable;
 * "caption": GtkTextView), and the message shown (NULL: none). */
GtkWidget     *_sl_scene_editor_get_field   (SlSceneEditor *self,
                                             const char    *name);
const char    *_sl_scene_editor_get_message (SlSceneEditor *self);

G_END_DECLS
