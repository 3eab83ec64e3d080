/* sl-scene-list.h — the sidebar list of a project's scenes, by acquisition date
 *
 * Actions (int64 scene id): "scenes.toggle-visible" hides a scene from comparisons or shows
 * it again, "scenes.edit" opens the dialog that edits its details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-project.h"
#include "sl-scene-editor.h"
#include "sl-scene-thumbnails.h"

G_BEGIN_DECLS

#define SL_TYPE_SCENE_LIST (sl_scene_list_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneList, sl_scene_list, SL, SCENE_LIST, GtkWidget)

GtkWidget  *sl_scene_list_new         (void);
SlProject  *sl_scene_list_get_project (SlSceneList *self);
void        sl_scene_list_set_project (SlSceneList *self,
                                       SlProject   *project);
/* The scenes shown (SlScene), in date order; follows the project's changes. */
GListModel *sl_scene_list_get_model   (SlSceneList *self);
/* Only the scenes not hidden from comparisons, in date order; follows the project's changes
 * (hiding or showing one in the list changes it). For the compare view and the timeline. */
GListModel *sl_scene_list_get_visible_model (SlSceneList *self);
/* Where the rows' pictures come from; NULL: placeholders. */
void        sl_scene_list_set_thumbnails (SlSceneList       *self,
                                          SlSceneThumbnails *thumbnails);
SlSceneThumbnails *sl_scene_list_get_thumbnails (SlSceneList *self);
/* The scene selected (0: none). Selecting one that is not in the list selects the latest;
 * so does loading a project. */
gint64      sl_scene_list_get_selected_scene_id (SlSceneList *self);
void        sl_scene_list_set_selected_scene_id (SlSceneList *self,
                                                 gint64       scene_id);

/* For tests: the list the rows are in; the details dialog open (NULL: none). */
GtkListBox *_sl_scene_list_get_list_box (SlSceneList *self);
SlSceneEditor *_sl_scene_list_get_editor (SlSceneList *self);

G_END_DECLS
