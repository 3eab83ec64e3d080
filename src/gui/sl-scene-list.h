/* sl-scene-list.h — the sidebar list of a project's scenes, by acquisition date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-project.h"

G_BEGIN_DECLS

#define SL_TYPE_SCENE_LIST (sl_scene_list_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneList, sl_scene_list, SL, SCENE_LIST, GtkWidget)

GtkWidget  *sl_scene_list_new         (void);
SlProject  *sl_scene_list_get_project (SlSceneList *self);
void        sl_scene_list_set_project (SlSceneList *self,
                                       SlProject   *project);
/* The scenes shown (SlScene), in date order; follows the project's changes. */
GListModel *sl_scene_list_get_model   (SlSceneList *self);
/* The scene selected (0: none). Selecting one that is not in the list selects the latest;
 * so does loading a project. */
gint64      sl_scene_list_get_selected_scene_id (SlSceneList *self);
void        sl_scene_list_set_selected_scene_id (SlSceneList *self,
                                                 gint64       scene_id);

/* For tests: the list the rows are in. */
GtkListBox *_sl_scene_list_get_list_box (SlSceneList *self);

G_END_DECLS
