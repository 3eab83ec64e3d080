/* sl-label-import-dialog.c — importing a label file: format, scene, fields, class mapping
 *
 * Every change of format or class field reads the file again for the class names it uses
 * (sl_labels_unknown_classes): a file that does not parse shows its error at once and
 * "Import" stays off. The import itself runs on a worker thread with a connection of its
 * own (sl_labels_import_async) while the spinner turns and the window keeps drawing; closing
 * the dialog meanwhile cancels it if it is still reading, and waits for it to say how it
 * ended (an import already writing completes, and is reported as usual).
 *
 * The rows are filled in sl-label-import-dialog-rows.c, the import runs from
 * sl-label-import-dialog-run.c; sl-label-import-dialog-private.h lists what they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-label-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-label-import-dialog-private.h"

G_DEFINE_FINAL_TYPE (SlLabelImportDialog, sl_label_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- helpers --- */

SlScene *
_sl_label_import_dialog_find_scene (SlLabelImportDialog *self,
                                    gint64               scene_id)
{
  for (guint i = 0; i < self->scenes->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (self->scenes, i)) == scene_id)
      return g_ptr_array_index (self->scenes, i);
  return NULL;
}

void
_sl_label_import_dialog_show_error (SlLabelImportDialog *self,
                                    const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_group, message != NULL);
}

/* --- callbacks --- */

static void
on_format_changed (SlLabelImportDialog *self)
{
  if (self->updating)
    return;
  _sl_label_import_dialog_update_fields (self);
  _sl_label_import_dialog_update_scene_row (self);
  _sl_label_import_dialog_update_mapping (self);
}

static void
on_scene_changed (SlLabelImportDialog *self)
{
  if (self->updating)
    return;
  self->wanted_scene = sl_label_import_dialog_get_scene (self);
  _sl_label_import_dialog_update_scene_subtitle (self);
}

static void
on_class_field_changed (SlLabelImportDialog *self)
{
  if (!self->updating)
    _sl_label_import_dialog_update_mapping (self);
}

static void
on_import_clicked (SlLabelImportDialog *self)
{
  /* (Off while the file is read for its class names, or an import runs.) */
  if (self->cancellable == NULL && self->scan == NULL)
    _sl_label_import_dialog_start_import (self);
}

/* --- GObject --- */

/* Closing while importing waits for the import to end (sl-label-import-dialog-run.c). */
static gboolean
sl_label_import_dialog_close_request (GtkWindow *window)
{
  SlLabelImportDialog *self = SL_LABEL_IMPORT_DIALOG (window);

  if (_sl_label_import_dialog_close_when_done (self))
    return TRUE;
  return GTK_WINDOW_CLASS (sl_label_import_dialog_parent_class)->close_request (window);
}

static void
sl_label_import_dialog_dispose (GObject *object)
{
  SlLabelImportDialog *self = SL_LABEL_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->scan != NULL)
    g_cancellable_cancel (self->scan);
  g_clear_object (&self->scan);
  self->disposed = TRUE;
  g_clear_object (&self->store);
  g_clear_object (&self->classes);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (sl_label_import_dialog_parent_class)->dispose (object);
}

static void
sl_label_import_dialog_finalize (GObject *object)
{
  SlLabelImportDialog *self = SL_LABEL_IMPORT_DIALOG (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->scenes, g_ptr_array_unref);
  g_clear_pointer (&self->class_list, g_ptr_array_unref);
  g_clear_pointer (&self->formats, g_array_unref);
  g_clear_pointer (&self->scene_ids, g_array_unref);
  g_clear_pointer (&self->fields, g_strfreev);
  g_clear_pointer (&self->unknown, g_ptr_array_unref);
  g_clear_pointer (&self->map_rows, g_ptr_array_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (sl_label_import_dialog_parent_class)->finalize (object);
}

static void
sl_label_import_dialog_class_init (SlLabelImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_label_import_dialog_dispose;
  object_class->finalize = sl_label_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = sl_label_import_dialog_close_request;

  /* A summary for a toast: "Imported 1 234 objects on 14 March 2022 (3 warnings)". */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_PTR_ARRAY);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sl_label_import_dialog_init (SlLabelImportDialog *self)
{
  self->formats = g_array_new (FALSE, FALSE, sizeof (SlLabelFormat));
  self->scene_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->unknown = g_ptr_array_new_with_free_func (g_free);
  self->map_rows = g_ptr_array_new ();
}

static GtkWidget *
build_content (SlLabelImportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *file_group = adw_preferences_group_new ();
  GtkWidget *file_row = adw_action_row_new ();
  g_autoptr(GtkStringList) format_names = gtk_string_list_new (NULL);
  g_autofree char *base = g_filename_display_basename (self->path);
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autofree char *folder_name = g_filename_display_name (folder);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (on_import_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (GTK_BOX (box), self->page);

  /* Errors first, where they are seen. */
  self->error_group = adw_preferences_group_new ();
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->error_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_add_css_class (self->error_label, "error");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->error_group), self->error_label);
  gtk_widget_set_visible (self->error_group, FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->error_group));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (file_group), _("File"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (file_row), base);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (file_row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (file_row), folder_name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (file_row), gtk_image_new_from_icon_name ("text-x-generic-symbolic"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (file_group), file_row);
  for (SlLabelFormat f = SL_LABEL_FORMAT_GEOJSON; f < SL_LABEL_N_FORMATS; f++)
    if (sl_label_format_can_import (f))
      {
        g_array_append_val (self->formats, f);
        gtk_string_list_append (format_names, sl_label_format_describe (f));
      }
  self->format_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->format_row), _("Format"));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (format_names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (file_group), GTK_WIDGET (self->format_row));
  self->scene_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->scene_row), _("Scene"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (file_group), GTK_WIDGET (self->scene_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (file_group));

  self->fields_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->fields_group), _("Fields"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->fields_group),
                                         _("The attributes of the file that hold each object’s class and date"));
  self->class_field_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->class_field_row), _("Class Field"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->fields_group), GTK_WIDGET (self->class_field_row));
  self->date_field_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_field_row), _("Date Field"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->fields_group), GTK_WIDGET (self->date_field_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->fields_group));

  self->classes_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->classes_group), _("Classes"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->classes_group),
                                         _("The file uses classes this project does not have: choose what each becomes"));
  gtk_widget_set_visible (self->classes_group, FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->classes_group));
  return box;
}

/* --- public API --- */

SlLabelImportDialog *
sl_label_import_dialog_new (GtkWindow         *parent,
                            SlProject         *project,
                            SlAnnotationStore *store,
                            SlClassSet        *classes,
                            const char        *path,
                            gint64             scene_id)
{
  SlLabelImportDialog *self;
  g_autofree char *base = NULL;
  g_autofree char *title = NULL;
  SlLabelFormat format;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SL_TYPE_LABEL_IMPORT_DIALOG, NULL);
  self->project = g_object_ref (project);
  self->store = g_object_ref (store);
  self->classes = g_object_ref (classes);
  self->path = g_strdup (path);
  self->scenes = sl_project_list_scenes (project, NULL);
  if (self->scenes == NULL)
    self->scenes = g_ptr_array_new_with_free_func (g_object_unref);
  self->class_list = sl_class_set_list (classes, NULL);
  if (self->class_list == NULL)
    self->class_list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_class_free);
  self->wanted_scene = scene_id;
  if (_sl_label_import_dialog_find_scene (self, scene_id) == NULL && self->scenes->len > 0)
    self->wanted_scene = sl_scene_get_id (g_ptr_array_index (self->scenes, self->scenes->len - 1));
  self->initial_scene = self->wanted_scene;

  base = g_filename_display_basename (path);
  /* Translators: the import dialog's title, e.g. "Import ‘tanks.json’" */
  title = g_strdup_printf (_("Import ‘%s’"), base);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 600);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  adw_window_set_content (ADW_WINDOW (self), build_content (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);

  /* Not a default GIS format when the file says nothing: GeoJSON. */
  format = sl_label_format_guess (path, TRUE);
  self->updating = TRUE;
  sl_label_import_dialog_set_format (self, format != SL_LABEL_FORMAT_UNKNOWN ? format : SL_LABEL_FORMAT_GEOJSON);
  self->updating = FALSE;
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (on_format_changed), self);
  g_signal_connect_swapped (self->scene_row, "notify::selected", G_CALLBACK (on_scene_changed), self);
  g_signal_connect_swapped (self->class_field_row, "notify::selected", G_CALLBACK (on_class_field_changed), self);
  on_format_changed (self);
  return self;
}

SlLabelFormat
sl_label_import_dialog_get_format (SlLabelImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), SL_LABEL_FORMAT_UNKNOWN);

  selected = adw_combo_row_get_selected (self->format_row);
  return selected < self->formats->len ? g_array_index (self->formats, SlLabelFormat, selected)
                                       : SL_LABEL_FORMAT_UNKNOWN;
}

void
sl_label_import_dialog_set_format (SlLabelImportDialog *self,
                                   SlLabelFormat        format)
{
  g_return_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self));

  for (guint i = 0; i < self->formats->len; i++)
    if (g_array_index (self->formats, SlLabelFormat, i) == format)
      adw_combo_row_set_selected (self->format_row, i);
}

gint64
sl_label_import_dialog_get_scene (SlLabelImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), 0);

  selected = adw_combo_row_get_selected (self->scene_row);
  return selected < self->scene_ids->len ? g_array_index (self->scene_ids, gint64, selected) : 0;
}

void
sl_label_import_dialog_set_scene (SlLabelImportDialog *self,
                                  gint64               scene_id)
{
  g_return_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self));

  for (guint i = 0; i < self->scene_ids->len; i++)
    if (g_array_index (self->scene_ids, gint64, i) == scene_id)
      adw_combo_row_set_selected (self->scene_row, i);
}

GStrv
sl_label_import_dialog_dup_unknown_classes (SlLabelImportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), NULL);

  for (guint i = 0; i < self->unknown->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->unknown, i));
  return g_strv_builder_end (builder);
}

gboolean
sl_label_import_dialog_map_class (SlLabelImportDialog *self,
                                  const char          *name,
                                  gint64               class_id)
{
  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < self->unknown->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->unknown, i), name) != 0)
        continue;
      if (class_id == 0)
        {
          adw_combo_row_set_selected (g_ptr_array_index (self->map_rows, i), 0);
          return TRUE;
        }
      for (guint c = 0; c < self->class_list->len; c++)
        if (((SlClass *) g_ptr_array_index (self->class_list, c))->id == class_id)
          {
            adw_combo_row_set_selected (g_ptr_array_index (self->map_rows, i), c + 1);
            return TRUE;
          }
    }
  return FALSE;
}

gboolean
sl_label_import_dialog_import_now (SlLabelImportDialog *self)
{
  g_autoptr(SlLabelImportDialog) keep = NULL;

  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (self->cancellable == NULL, FALSE);

  keep = g_object_ref (self);
  while (self->scan != NULL)
    g_main_context_iteration (NULL, TRUE);
  _sl_label_import_dialog_start_import (self);
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
  return self->import_ok;
}

gboolean
sl_label_import_dialog_is_reading (SlLabelImportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), FALSE);
  return self->scan != NULL;
}

gboolean
sl_label_import_dialog_is_importing (SlLabelImportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

const char *
sl_label_import_dialog_get_path (SlLabelImportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), NULL);
  return self->path;
}

const char *
sl_label_import_dialog_get_error (SlLabelImportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_IMPORT_DIALOG (self), NULL);
  return self->error;
}
