/* sl-window-export.c — exporting a graphic of the comparison: win.export (Ctrl+E) opens the
 * export dialog on the comparison shown, a toast offers to open what it wrote
 *
 * The action is enabled while the project has a registered scene among those shown. The
 * dialog starts from the comparison as it is: its layout, dates, divider and orientation, and
 * the view of the first pane. One dialog at a time: asking again while it is open brings it
 * forward.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-export-dialog.h"
#include "sl-window-private.h"

static gboolean
can_export (SlWindow *self)
{
  GListModel *scenes;
  guint n;

  if (self->project == NULL || self->cache == NULL)
    return FALSE;
  scenes = sl_scene_list_get_visible_model (self->scene_list);
  n = scenes != NULL ? g_list_model_get_n_items (scenes) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (scenes, i);

      if (sl_scene_is_registered (scene))
        return TRUE;
    }
  return FALSE;
}

static void
update_export_action (SlWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", can_export (self));
}

static void
on_project_changed (SlWindow *self)
{
  /* The dialog belongs to the project it was opened on. */
  if (self->export_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->export_dialog));
  update_export_action (self);
}

static void
on_exported (SlWindow       *self,
             const char     *path,
             SlExportDialog *dialog)
{
  g_autofree char *name = g_filename_display_basename (path);
  /* Translators: a toast after an export, e.g. "Exported ‘Site swipe.png’" */
  g_autofree char *title = g_strdup_printf (_("Exported ‘%s’"), name);

  g_free (self->export_path);
  self->export_path = g_strdup (path);
  _sl_window_show_toast_with_action (self, title, _("Open"), "win.open-export");
}

static void
on_dialog_destroyed (SlWindow *self)
{
  self->export_dialog = NULL;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  GListModel *scenes = sl_scene_list_get_visible_model (self->scene_list);
  g_autoptr(SlComposition) composition = sl_composition_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  SlSceneView *pane = sl_compare_view_get_pane (self->compare_view, 0);
  SlCompareState state;
  SlExportDialog *dialog;
  int width, height;

  if (!can_export (self))
    return;
  if (self->export_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->export_dialog));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (scenes, i);
      gint64 id = sl_scene_get_id (scene);

      g_array_append_val (ids, id);
    }
  sl_compare_view_get_state (self->compare_view, &state);
  sl_composition_set_from_compare_state (composition, &state, (const gint64 *) ids->data, ids->len);
  width = pane != NULL ? gtk_widget_get_width (GTK_WIDGET (pane)) : 0;
  height = pane != NULL ? gtk_widget_get_height (GTK_WIDGET (pane)) : 0;
  if (width > 0 && height > 0 && sl_viewport_get_grid (self->viewport) != NULL)
    sl_composition_set_view (composition, self->viewport, width, height);

  dialog = sl_export_dialog_new (GTK_WINDOW (self), self->project, self->cache, scenes, composition);
  self->export_dialog = GTK_WIDGET (dialog);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_dialog_destroyed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_export_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  _sl_window_launch_path (self, self->export_path);
}

/* --- shared with the other files --- */

void
_sl_window_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", NULL, open_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
}

void
_sl_window_init_export (SlWindow *self)
{
  g_signal_connect (self, "notify::project", G_CALLBACK (on_project_changed), NULL);
  g_signal_connect_object (sl_scene_list_get_visible_model (self->scene_list), "items-changed",
                           G_CALLBACK (update_export_action), self, G_CONNECT_SWAPPED);
  update_export_action (self);
}

void
_sl_window_dispose_export (SlWindow *self)
{
  if (self->export_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->export_dialog));
  self->export_dialog = NULL;
  g_clear_pointer (&self->export_path, g_free);
}

SlExportDialog *
_sl_window_get_export_dialog (SlWindow *self)
{
  return self->export_dialog != NULL ? SL_EXPORT_DIALOG (self->export_dialog) : NULL;
}

const char *
_sl_window_get_export_path (SlWindow *self)
{
  return self->export_path;
}
