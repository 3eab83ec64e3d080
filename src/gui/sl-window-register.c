/* sl-window-register.c — registering a scene by tie points: win.register-scene (a scene id,
 * from the scene rows' menu) and win.register-selected-scene (the project menu) open the
 * tie-point editor, one at a time
 *
 * The editor is a non-modal companion of the window; it goes when the window changes project
 * or closes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-tie-point-editor.h"
#include "sl-window-private.h"

static void
close_editor (SlWindow *self)
{
  GtkWidget *editor = self->register_editor;

  if (editor == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (editor), (gpointer *) &self->register_editor);
  self->register_editor = NULL;
  /* Its image loads or automatic proposal may keep it a moment longer than this window. */
  gtk_window_set_transient_for (GTK_WINDOW (editor), NULL);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static void
on_editor_applied (SlWindow         *self,
                   SlTiePointEditor *editor)
{
  g_autoptr(SlScene) scene = NULL;
  g_autofree char *title = NULL;

  if (self->project == NULL)
    return;
  scene = sl_project_get_scene (self->project, sl_tie_point_editor_get_scene_id (editor), NULL);
  if (scene == NULL)
    return;
  title = g_strdup_printf (_("‘%s’ registered"), sl_scene_get_label (scene) != NULL ? sl_scene_get_label (scene) : "");
  sl_window_show_toast (self, title);
}

static void
open_editor (SlWindow *self,
             gint64    scene_id)
{
  g_autoptr(SlScene) scene = NULL;
  SlTiePointEditor *editor;

  if (self->project == NULL || scene_id <= 0)
    return;
  if (self->register_editor != NULL &&
      sl_tie_point_editor_get_scene_id (SL_TIE_POINT_EDITOR (self->register_editor)) == scene_id)
    {
      gtk_window_present (GTK_WINDOW (self->register_editor));
      return;
    }
  scene = sl_project_get_scene (self->project, scene_id, NULL);
  if (scene == NULL)
    return;
  close_editor (self);
  editor = sl_tie_point_editor_new (self->project, self->annotations, scene_id);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "applied", G_CALLBACK (on_editor_applied), self, G_CONNECT_SWAPPED);
  self->register_editor = GTK_WIDGET (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &self->register_editor);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
register_scene_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  open_editor (SL_WINDOW (widget), g_variant_get_int64 (param));
}

static void
register_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  open_editor (self, sl_scene_list_get_selected_scene_id (self->scene_list));
}

static void
update_enabled (SlWindow *self)
{
  gboolean has_project = self->project != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.register-scene", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.register-selected-scene",
                                 has_project && sl_scene_list_get_selected_scene_id (self->scene_list) > 0);
}

static void
on_project_changed (SlWindow *self)
{
  /* The editor belongs to the project it was opened on. */
  close_editor (self);
  update_enabled (self);
}

/* --- shared with the other files --- */

void
_sl_window_class_init_register (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.register-scene", "x", register_scene_action);
  gtk_widget_class_install_action (widget_class, "win.register-selected-scene", NULL, register_selected_action);
}

void
_sl_window_init_register (SlWindow *self)
{
  g_signal_connect (self, "notify::project", G_CALLBACK (on_project_changed), NULL);
  g_signal_connect_object (self->scene_list, "notify::selected-scene-id", G_CALLBACK (update_enabled), self,
                           G_CONNECT_SWAPPED);
  update_enabled (self);
}

void
_sl_window_dispose_register (SlWindow *self)
{
  close_editor (self);
}

/* For tests */
GtkWidget *
_sl_window_get_tie_point_editor (SlWindow *self)
{
  return self->register_editor;
}
