/* sl-window-actions.c — the win.* actions, their shortcuts and the project menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-application.h"
#include "sl-recent-projects.h"
#include "sl-window-private.h"

/* The menu section holds "New Project…", "Open Project…", then "Recent Projects". */
#define N_FIXED_PROJECT_ITEMS 2

typedef struct
{
  SlWindow  *window;
  GPtrArray *images;  /* GFile, to add to the new project */
} NewProjectData;

static void
new_project_data_free (NewProjectData *data)
{
  g_clear_object (&data->window);
  g_clear_pointer (&data->images, g_ptr_array_unref);
  g_free (data);
}

static SlApplication *
get_application (SlWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  g_return_val_if_fail (SL_IS_APPLICATION (application), NULL);

  return SL_APPLICATION (application);
}

static gboolean
has_project_suffix (const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);

  return g_str_has_suffix (lower, ".sitelapse") || g_str_has_suffix (lower, ".gpkg");
}

static void
add_project_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) projects = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (projects, _("Sitelapse Projects"));
  gtk_file_filter_add_mime_type (projects, "application/x-sitelapse-project");
  gtk_file_filter_add_suffix (projects, "sitelapse");
  gtk_file_filter_add_suffix (projects, "gpkg");
  gtk_file_chooser_add_filter (chooser, projects);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);

  gtk_file_chooser_set_filter (chooser, projects);
}

static void
set_folder_of (GtkFileChooser *chooser,
               GFile          *file)
{
  g_autoptr(GFile) folder = g_file_get_parent (file);

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
on_new_project_response (GtkNativeDialog *dialog,
                         int              response,
                         NewProjectData  *data)
{
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (chosen != NULL)
    {
      name = g_file_get_basename (chosen);
      if (has_project_suffix (name))
        {
          file = g_object_ref (chosen);
        }
      else
        {
          g_autoptr(GFile) parent = g_file_get_parent (chosen);
          g_autofree char *with_suffix = g_strconcat (name, ".sitelapse", NULL);

          file = parent != NULL ? g_file_get_child (parent, with_suffix) : g_object_ref (chosen);
        }

      sl_application_create_project (get_application (data->window), file, data->window,
                                     (GFile **) data->images->pdata, data->images->len);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  new_project_data_free (data);
}

void
_sl_window_choose_new_project (SlWindow  *self,
                               GFile    **images,
                               guint      n_images)
{
  GtkFileChooserNative *chooser;
  NewProjectData *data;
  g_autofree char *title = NULL;

  if (n_images > 0)
    /* Translators: the title of the file chooser that saves a project for dropped images */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "New Project for %u Image",
                                          "New Project for %u Images",
                                          n_images),
                             n_images);
  else
    title = g_strdup (_("New Project"));

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Create"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_project_filters (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("New Site.sitelapse"));
  if (n_images > 0)
    set_folder_of (GTK_FILE_CHOOSER (chooser), images[0]);

  data = g_new0 (NewProjectData, 1);
  data->window = g_object_ref (self);
  data->images = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_images; i++)
    g_ptr_array_add (data->images, g_object_ref (images[i]));

  g_signal_connect (chooser, "response", G_CALLBACK (on_new_project_response), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
new_project_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  _sl_window_choose_new_project (SL_WINDOW (widget), NULL, 0);
}

static void
on_open_project_response (GtkNativeDialog *dialog,
                          int              response,
                          SlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        sl_application_open_project (get_application (self), file, self);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_project_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_project_filters (GTK_FILE_CHOOSER (chooser));

  g_signal_connect (chooser, "response", G_CALLBACK (on_open_project_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  sl_application_open_project (get_application (self), file, self);
}

static void
on_add_images_response (GtkNativeDialog *dialog,
                        int              response,
                        SlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (files);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));

      sl_window_add_images (self, (GFile **) array->pdata, array->len);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
add_images_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  static const char * const suffixes[] = { "tif", "tiff", "jp2", "j2k", "jpg", "jpeg", "png", "vrt" };
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Add Images"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Add"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  gtk_file_filter_set_name (images, _("Images (GeoTIFF, JPEG 2000, JPEG, PNG, VRT)"));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (images, suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), images);

  if (self->project != NULL)
    {
      g_autoptr(GFile) project_file = g_file_new_for_path (sl_project_get_path (self->project));
      set_folder_of (GTK_FILE_CHOOSER (chooser), project_file);
    }

  g_signal_connect (chooser, "response", G_CALLBACK (on_add_images_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
show_import_errors_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  _sl_window_show_import_errors (SL_WINDOW (widget));
}

static void
cancel_pyramids_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (self->pyramid_jobs != NULL)
    sl_pyramid_jobs_cancel (self->pyramid_jobs);
}

/* The header bar's zoom buttons and the window-wide shortcuts act on the scene pane
 * (whose own view.* actions also answer its shortcuts while it has the focus). */
static void
forward_to_view_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  gtk_widget_activate_action_variant (GTK_WIDGET (sl_compare_view_get_active_pane (self->compare_view)),
                                      action_name, param);
}

void
_sl_window_class_install_actions (GtkWidgetClass *widget_class)
{
  static const char * const view_actions[] = { "view.zoom-in", "view.zoom-out", "view.zoom-fit", "view.zoom-100" };
  static const struct { guint keyval; const char *action; } view_keys[] = {
    { GDK_KEY_plus, "view.zoom-in" }, { GDK_KEY_equal, "view.zoom-in" }, { GDK_KEY_KP_Add, "view.zoom-in" },
    { GDK_KEY_minus, "view.zoom-out" }, { GDK_KEY_KP_Subtract, "view.zoom-out" },
    { GDK_KEY_0, "view.zoom-fit" }, { GDK_KEY_KP_0, "view.zoom-fit" },
    { GDK_KEY_1, "view.zoom-100" }, { GDK_KEY_KP_1, "view.zoom-100" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (view_actions); i++)
    gtk_widget_class_install_action (widget_class, view_actions[i], NULL, forward_to_view_action);
  for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, view_keys[i].keyval, GDK_CONTROL_MASK,
                                         view_keys[i].action, NULL);

  gtk_widget_class_install_action (widget_class, "win.new-project", NULL, new_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-project", NULL, open_project_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.add-images", NULL, add_images_action);
  gtk_widget_class_install_action (widget_class, "win.show-import-errors", NULL, show_import_errors_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-pyramids", NULL, cancel_pyramids_action);
  gtk_widget_class_install_property_action (widget_class, "win.toggle-sidebar", "sidebar-visible");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open-project", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-images", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

void
_sl_window_update_actions (SlWindow *self)
{
  static const char * const zoom_actions[] = { "view.zoom-in", "view.zoom-out", "view.zoom-fit", "view.zoom-100" };
  gboolean has_project = self->project != NULL;
  gboolean shows_scene = has_project && sl_compare_view_get_pane_scene (self->compare_view, 0) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-images", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.toggle-sidebar", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-import-errors",
                                 self->import_errors != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-pyramids",
                                 self->pyramid_jobs != NULL && sl_pyramid_jobs_get_busy (self->pyramid_jobs));

  for (guint i = 0; i < G_N_ELEMENTS (zoom_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), zoom_actions[i], shows_scene);
}

/* Menu labels take mnemonics: a file named "my_site" must not lose its underscore. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

void
_sl_window_update_recent_menu (SlWindow *self)
{
  g_auto(GStrv) paths = sl_recent_projects_list (self->settings);
  g_autoptr(GMenu) recent = NULL;
  g_autoptr(GMenuItem) submenu = NULL;

  while (g_menu_model_get_n_items (G_MENU_MODEL (self->project_section)) > N_FIXED_PROJECT_ITEMS)
    g_menu_remove (self->project_section, N_FIXED_PROJECT_ITEMS);

  if (paths[0] == NULL)
    return;

  recent = g_menu_new ();
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *title = sl_recent_projects_dup_title (paths[i]);
      g_autofree char *label = escape_mnemonic (title);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (paths[i]));
      g_menu_append_item (recent, item);
    }

  submenu = g_menu_item_new_submenu (_("_Recent Projects"), G_MENU_MODEL (recent));
  g_menu_append_item (self->project_section, submenu);
}
