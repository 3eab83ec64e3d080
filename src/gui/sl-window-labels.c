/* sl-window-labels.c — labels in and out of the window, and reference overlays
 *
 * win.import-labels (Ctrl+I) asks for a label file and opens the import dialog on the
 * current date; dropping a label file onto a pane opens it on that pane's date (see
 * sl-window-dnd.c). win.export-labels (Ctrl+Shift+E) opens the export dialog; its toast
 * offers to open the folder written to. An import is one transaction and one step of the
 * undo history ("Undo Import tanks.json": the objects go, classes it created stay); the
 * store's "changed" refreshes the panes, the class menu and the counts.
 *
 * Reference overlays (win.add-reference-layer) are read-only vector files drawn in every
 * pane under the annotations; the project remembers them, and one that cannot be read when
 * the project opens is named in a toast and left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "sl-label-export-dialog.h"
#include "sl-label-import-dialog.h"
#include "sl-reference-layer.h"
#include "sl-window-private.h"

/* The menu section holds Import, Export and Add Reference Layer, then the overlays' submenu. */
#define N_FIXED_LABEL_ITEMS 3

static const char * const label_suffixes[] = {
  "json", "geojson", "gpkg", "kml", "kmz", "shp", "fgb", "txt", "xml",
};

static const char * const reference_suffixes[] = {
  "geojson", "json", "gpkg", "kml", "kmz", "shp", "fgb", "gml", "gpx", "csv", "sqlite",
};

/* Outline colours of successive overlays: readable on imagery, apart from the classes'. */
static const char * const reference_colours[] = {
  "#ffd400", "#00e5ff", "#ff6ec7", "#a6ff00", "#ff8c00",
};

static gboolean
is_project_file (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean project = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sl_scenes'", -1,
                          &stmt, NULL) == SQLITE_OK)
    project = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return project;
}

static gboolean
can_import (SlWindow *self)
{
  return self->project != NULL && self->annotations != NULL && !sl_annotation_store_is_read_only (self->annotations);
}

static void
update_label_actions (SlWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import-labels", can_import (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-labels", self->project != NULL && self->annotations != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-reference-layer", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-reference-layer",
                                 self->reference_layers != NULL && self->reference_layers->len > 0);
}

static void
close_label_dialog (SlWindow *self)
{
  if (self->label_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->label_dialog));
  self->label_dialog = NULL;
}

static void
on_label_dialog_destroyed (SlWindow *self)
{
  self->label_dialog = NULL;
}

static void
present_dialog (SlWindow  *self,
                GtkWidget *dialog)
{
  close_label_dialog (self);
  self->label_dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_label_dialog_destroyed), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- import --- */

static void
on_imported (SlWindow            *self,
             const char          *summary,
             GPtrArray           *annotations,
             SlLabelImportDialog *dialog)
{
  g_autofree char *base = g_filename_display_basename (sl_label_import_dialog_get_path (dialog));
  /* Translators: the undo history's step of a label import: "Undo Import tanks.json" */
  g_autofree char *label = g_strdup_printf (_("Import %s"), base);

  if (self->undo != NULL && annotations != NULL)
    sl_undo_stack_record_added (self->undo, annotations, label);
  sl_window_show_toast (self, summary);
}

static void
open_import_dialog (SlWindow   *self,
                    const char *path,
                    gint64      scene_id)
{
  SlLabelImportDialog *dialog;

  dialog = sl_label_import_dialog_new (GTK_WINDOW (self), self->project, self->annotations, self->classes, path, scene_id);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WIDGET (dialog));
}

static void
on_import_chosen (GtkNativeDialog *chooser,
                  int              response,
                  SlWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file != NULL && g_file_peek_path (file) != NULL && can_import (self))
    open_import_dialog (self, g_file_peek_path (file), sl_compare_view_get_current (self->compare_view));
  g_object_unref (self);
}

static void
add_suffix_filter (GtkFileChooser      *chooser,
                   const char          *name,
                   const char * const  *suffixes,
                   guint                n_suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; i < n_suffixes; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, filter);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, filter);
}

static void
choose_file (SlWindow           *self,
             const char         *title,
             const char         *filter_name,
             const char * const *suffixes,
             guint               n_suffixes,
             GCallback           callback)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) project_file = g_file_new_for_path (sl_project_get_path (self->project));
  g_autoptr(GFile) folder = g_file_get_parent (project_file);

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_suffix_filter (GTK_FILE_CHOOSER (chooser), filter_name, suffixes, n_suffixes);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", callback, g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
import_labels_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (!can_import (self))
    return;
  choose_file (self, _("Import Labels"), _("Label Files (GeoJSON, GeoPackage, KML, COCO, YOLO, DOTA, VOC, …)"),
               label_suffixes, G_N_ELEMENTS (label_suffixes), G_CALLBACK (on_import_chosen));
}

/* --- export --- */

static void
on_exported (SlWindow   *self,
             const char *path,
             guint       count)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *title = NULL;

  g_free (self->labels_folder);
  self->labels_folder = g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strdup (path) : g_path_get_dirname (path);
  /* Translators: a toast after a label export, e.g. "Exported 1 234 annotations to ‘site.geojson’" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u annotation to ‘%s’", "Exported %u annotations to ‘%s’",
                                        count), count, name);
  _sl_window_show_toast_with_action (self, title, _("Open Folder"), "win.open-labels-folder");
}

static void
export_labels_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  SlLabelExportDialog *dialog;

  if (self->project == NULL || self->annotations == NULL)
    return;
  dialog = sl_label_export_dialog_new (GTK_WINDOW (self), self->project, self->annotations, self->classes,
                                       sl_compare_view_get_current (self->compare_view));
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_exported), self, G_CONNECT_SWAPPED);
  present_dialog (self, GTK_WIDGET (dialog));
}

static void
open_labels_folder_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  _sl_window_launch_path (self, self->labels_folder);
}

/* --- reference overlays --- */

static void
update_reference_menu (SlWindow *self)
{
  g_autoptr(GMenu) submenu = NULL;
  g_autoptr(GMenuItem) item = NULL;

  if (self->labels_section == NULL)
    return;
  while (g_menu_model_get_n_items (G_MENU_MODEL (self->labels_section)) > N_FIXED_LABEL_ITEMS)
    g_menu_remove (self->labels_section, N_FIXED_LABEL_ITEMS);
  if (self->reference_layers == NULL || self->reference_layers->len == 0)
    return;

  submenu = g_menu_new ();
  for (guint i = 0; i < self->reference_layers->len; i++)
    {
      SlReferenceLayer *layer = g_ptr_array_index (self->reference_layers, i);
      g_auto(GStrv) parts = g_strsplit (sl_reference_layer_get_name (layer), "_", -1);
      g_autofree char *escaped = g_strjoinv ("__", parts);
      /* Translators: a menu item removing an overlay, e.g. "Remove ‘buildings.geojson’" */
      g_autofree char *label = g_strdup_printf (_("Remove ‘%s’"), escaped);
      g_autoptr(GMenuItem) remove = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (remove, "win.remove-reference-layer",
                                               g_variant_new_string (sl_reference_layer_get_path (layer)));
      g_menu_append_item (submenu, remove);
    }
  item = g_menu_item_new_submenu (_("Reference _Layers"), G_MENU_MODEL (submenu));
  g_menu_append_item (self->labels_section, item);
}

static void
references_changed (SlWindow *self,
                    gboolean  save)
{
  g_autoptr(GError) error = NULL;

  sl_compare_view_set_reference_layers (self->compare_view, self->reference_layers);
  update_reference_menu (self);
  update_label_actions (self);
  if (save && self->project != NULL &&
      !sl_reference_layers_save_for_project (self->project, self->reference_layers, &error))
    _sl_window_show_error_message (self, error->message);
}

static void
load_reference_layers (SlWindow *self)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->reference_layers, g_ptr_array_unref);
  if (self->project != NULL)
    {
      self->reference_layers = sl_reference_layers_load_for_project (self->project, failures, &error);
      if (self->reference_layers == NULL)
        _sl_window_show_error_message (self, error->message);
      for (guint i = 0; i < failures->len; i++)
        _sl_window_show_error_message (self, g_ptr_array_index (failures, i));
    }
  if (self->reference_layers == NULL)
    self->reference_layers = g_ptr_array_new_with_free_func (g_object_unref);
  references_changed (self, FALSE);
}

static void
on_reference_chosen (GtkNativeDialog *chooser,
                     int              response,
                     SlWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file != NULL && g_file_peek_path (file) != NULL && self->project != NULL &&
      !_sl_window_add_reference_layer (self, g_file_peek_path (file), &error))
    _sl_window_show_error_message (self, error->message);
  g_object_unref (self);
}

static void
add_reference_layer_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (self->project == NULL)
    return;
  choose_file (self, _("Add Reference Layer"), _("Vector Files (GeoJSON, GeoPackage, Shapefile, KML, FlatGeobuf, …)"),
               reference_suffixes, G_N_ELEMENTS (reference_suffixes), G_CALLBACK (on_reference_chosen));
}

static void
remove_reference_layer_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);
  const char *path = g_variant_get_string (param, NULL);

  for (guint i = 0; self->reference_layers != NULL && i < self->reference_layers->len; i++)
    if (g_strcmp0 (sl_reference_layer_get_path (g_ptr_array_index (self->reference_layers, i)), path) == 0)
      {
        g_ptr_array_remove_index (self->reference_layers, i);
        references_changed (self, TRUE);
        return;
      }
}

/* --- callbacks --- */

static void
on_project_changed (SlWindow *self)
{
  /* A dialog belongs to the project it was opened on. */
  close_label_dialog (self);
  load_reference_layers (self);
  update_label_actions (self);
}

/* --- shared with the other files --- */

void
_sl_window_class_init_labels (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child_full (widget_class, "labels_section", FALSE,
                                             G_STRUCT_OFFSET (SlWindow, labels_section));
  gtk_widget_class_install_action (widget_class, "win.import-labels", NULL, import_labels_action);
  gtk_widget_class_install_action (widget_class, "win.export-labels", NULL, export_labels_action);
  gtk_widget_class_install_action (widget_class, "win.open-labels-folder", NULL, open_labels_folder_action);
  gtk_widget_class_install_action (widget_class, "win.add-reference-layer", NULL, add_reference_layer_action);
  gtk_widget_class_install_action (widget_class, "win.remove-reference-layer", "s", remove_reference_layer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-labels", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.export-labels", NULL);
}

void
_sl_window_init_labels (SlWindow *self)
{
  /* After the annotations' own handler: the store and classes are the new project's. */
  g_signal_connect (self, "notify::project", G_CALLBACK (on_project_changed), NULL);
  on_project_changed (self);
}

void
_sl_window_dispose_labels (SlWindow *self)
{
  close_label_dialog (self);
  if (self->compare_view != NULL)
    sl_compare_view_set_reference_layers (self->compare_view, NULL);
  g_clear_pointer (&self->reference_layers, g_ptr_array_unref);
  g_clear_pointer (&self->labels_folder, g_free);
}

gboolean
_sl_window_is_label_file (GFile *file)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *lower = NULL;

  if (path == NULL)
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *classes = g_build_filename (path, "classes.txt", NULL);

      return g_file_test (classes, G_FILE_TEST_IS_REGULAR);
    }
  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (label_suffixes); i++)
    {
      g_autofree char *suffix = g_strconcat (".", label_suffixes[i], NULL);

      if (g_str_has_suffix (lower, suffix))
        /* A .gpkg may be a project, which opens as one. */
        return !g_str_equal (label_suffixes[i], "gpkg") || !is_project_file (path);
    }
  return FALSE;
}

gboolean
_sl_window_drop_label_file (SlWindow *self,
                            GFile    *file,
                            double    x,
                            double    y)
{
  gint64 scene_id;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!can_import (self) || g_file_peek_path (file) == NULL)
    {
      if (self->project != NULL)
        _sl_window_show_error_message (self, _("This project is read-only: labels cannot be imported"));
      return FALSE;
    }
  scene_id = sl_compare_view_get_scene_at (self->compare_view, x, y);
  if (scene_id == 0)
    scene_id = sl_compare_view_get_current (self->compare_view);
  open_import_dialog (self, g_file_peek_path (file), scene_id);
  return TRUE;
}

gboolean
_sl_window_add_reference_layer (SlWindow    *self,
                                const char  *path,
                                GError     **error)
{
  g_autofree char *wkt = NULL;
  SlReferenceLayer *layer;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (self->project != NULL, FALSE);

  for (guint i = 0; i < self->reference_layers->len; i++)
    if (g_strcmp0 (sl_reference_layer_get_path (g_ptr_array_index (self->reference_layers, i)), path) == 0)
      return TRUE;
  wkt = sl_project_dup_crs_wkt (self->project);
  layer = sl_reference_layer_load (path, wkt, NULL, error);
  if (layer == NULL)
    return FALSE;
  sl_reference_layer_set_colour (layer, reference_colours[self->reference_layers->len % G_N_ELEMENTS (reference_colours)]);
  g_ptr_array_add (self->reference_layers, layer);
  references_changed (self, TRUE);
  return TRUE;
}

GtkWidget *
_sl_window_get_label_dialog (SlWindow *self)
{
  return self->label_dialog;
}

GPtrArray *
_sl_window_get_reference_layers (SlWindow *self)
{
  return self->reference_layers;
}

const char *
_sl_window_get_labels_folder (SlWindow *self)
{
  return self->labels_folder;
}
