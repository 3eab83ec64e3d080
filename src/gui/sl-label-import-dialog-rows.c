/* sl-label-import-dialog-rows.c — the import dialog's rows: scene, fields, class mapping
 *
 * The scene row offers "By the File’s Date Field" only for GIS formats; the field rows show
 * a GIS file's attribute names, read once with OGR; the mapping rows are one per class name
 * of the file that the project lacks, read again whenever the format or class field changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-label-import-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdal.h>
#include <ogr_api.h>

#include "sl-label-import-dialog-private.h"

static const char * const class_field_defaults[] = { "class", "class_name", "label", "category", "type" };
static const char * const date_field_defaults[] = { "acquired", "date" };

/* --- helpers --- */

static char *
describe_scene (SlScene *scene)
{
  GDateTime *when = sl_scene_get_acquired (scene);
  const char *label = sl_scene_get_label (scene);
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%-d %B %Y") : g_strdup (_("Undated"));

  if (label != NULL && *label != '\0')
    return g_strdup_printf ("%s — %s", date, label);
  return g_steal_pointer (&date);
}

static const char *
selected_string (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static int
find_in (const char * const *names,
         guint               n_names,
         const char         *field)
{
  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (names[i], field) == 0)
      return (int) i;
  return -1;
}

/* The attribute names of the file's first layer, with OGR. */
static GStrv
read_fields (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);

  if (ds != NULL)
    {
      OGRLayerH layer = GDALDatasetGetLayerCount (ds) > 0 ? GDALDatasetGetLayer (ds, 0) : NULL;
      OGRFeatureDefnH defn = layer != NULL ? OGR_L_GetLayerDefn (layer) : NULL;

      for (int i = 0; defn != NULL && i < OGR_FD_GetFieldCount (defn); i++)
        g_strv_builder_add (builder, OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
      GDALClose (ds);
    }
  return g_strv_builder_end (builder);
}

/* The field among @defaults that the file has (first in @defaults' order), else -1. */
static int
default_field (GStrv               fields,
               const char * const *defaults,
               guint               n_defaults)
{
  for (guint d = 0; d < n_defaults; d++)
    {
      int i = find_in ((const char * const *) fields, g_strv_length (fields), defaults[d]);

      if (i >= 0)
        return i;
    }
  return -1;
}

/* --- options --- */

void
_sl_label_import_dialog_fill_options (SlLabelImportDialog  *self,
                                      SlLabelImportOptions *options)
{
  SlLabelFormat format = sl_label_import_dialog_get_format (self);

  memset (options, 0, sizeof *options);
  options->format = format;
  options->scene_id = sl_label_import_dialog_get_scene (self);
  if (!sl_label_format_is_pixel (format) && self->fields != NULL && self->fields[0] != NULL)
    {
      options->class_field = g_strdup (selected_string (self->class_field_row));
      /* A chosen scene takes every object; otherwise each goes on the scene of its date. */
      options->date_field = g_strdup (options->scene_id == 0 ? selected_string (self->date_field_row) : "");
    }
}

void
_sl_label_import_dialog_clear_options (SlLabelImportOptions *options)
{
  g_clear_pointer (&options->class_field, g_free);
  g_clear_pointer (&options->date_field, g_free);
  g_clear_pointer (&options->class_map, g_hash_table_unref);
}

/* --- rows --- */

void
_sl_label_import_dialog_update_scene_row (SlLabelImportDialog *self)
{
  gboolean pixel = sl_label_format_is_pixel (sl_label_import_dialog_get_format (self));
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = 0;
  gint64 wanted = self->wanted_scene;

  self->updating = TRUE;
  g_array_set_size (self->scene_ids, 0);
  /* A pixel format needs a scene: the one the dialog was opened for. */
  if (pixel && wanted == 0)
    wanted = self->initial_scene;
  if (!pixel)
    {
      gint64 none = 0;

      gtk_string_list_append (model, _("By the File’s Date Field"));
      g_array_append_val (self->scene_ids, none);
    }
  for (guint i = 0; i < self->scenes->len; i++)
    {
      SlScene *scene = g_ptr_array_index (self->scenes, i);
      g_autofree char *title = describe_scene (scene);
      gint64 id = sl_scene_get_id (scene);

      if (id == wanted)
        selected = self->scene_ids->len;
      gtk_string_list_append (model, title);
      g_array_append_val (self->scene_ids, id);
    }
  adw_combo_row_set_model (self->scene_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->scene_row, selected);
  self->updating = FALSE;
  _sl_label_import_dialog_update_scene_subtitle (self);
}

/* What the chosen scene means, and whether the date field is used. */
void
_sl_label_import_dialog_update_scene_subtitle (SlLabelImportDialog *self)
{
  gboolean pixel = sl_label_format_is_pixel (sl_label_import_dialog_get_format (self));
  gboolean by_date = !pixel && sl_label_import_dialog_get_scene (self) == 0;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scene_row),
                               pixel ? _("The image the pixel coordinates refer to")
                               : by_date ? _("Each object goes on the scene of its date")
                               : _("Every object goes on this scene"));
  gtk_widget_set_visible (GTK_WIDGET (self->date_field_row), by_date);
}

void
_sl_label_import_dialog_update_fields (SlLabelImportDialog *self)
{
  gboolean gis = !sl_label_format_is_pixel (sl_label_import_dialog_get_format (self));
  g_autoptr(GtkStringList) classes = NULL;
  g_autoptr(GtkStringList) dates = NULL;
  int class_index, date_index;

  self->updating = TRUE;
  gtk_widget_set_visible (self->fields_group, gis && self->fields != NULL && self->fields[0] != NULL);
  if (gis && self->fields == NULL)
    {
      self->fields = read_fields (self->path);
      gtk_widget_set_visible (self->fields_group, self->fields[0] != NULL);
    }
  else
    {
      self->updating = FALSE;
      return;
    }
  if (self->fields[0] != NULL)
    {
      classes = gtk_string_list_new ((const char * const *) self->fields);
      dates = gtk_string_list_new ((const char * const *) self->fields);
      adw_combo_row_set_model (self->class_field_row, G_LIST_MODEL (classes));
      adw_combo_row_set_model (self->date_field_row, G_LIST_MODEL (dates));
      class_index = default_field (self->fields, class_field_defaults, G_N_ELEMENTS (class_field_defaults));
      date_index = default_field (self->fields, date_field_defaults, G_N_ELEMENTS (date_field_defaults));
      adw_combo_row_set_selected (self->class_field_row, MAX (class_index, 0));
      adw_combo_row_set_selected (self->date_field_row, MAX (date_index, 0));
      /* With a date field, each object by its date; without, on the chosen scene. */
      if (date_index >= 0)
        self->wanted_scene = 0;
    }
  self->updating = FALSE;
}

static void
clear_mapping (SlLabelImportDialog *self)
{
  for (guint i = 0; i < self->map_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->classes_group), g_ptr_array_index (self->map_rows, i));
  g_ptr_array_set_size (self->map_rows, 0);
  g_ptr_array_set_size (self->unknown, 0);
  gtk_widget_set_visible (self->classes_group, FALSE);
}

/* A scan of the file's class names; a newer one makes it stale. */
typedef struct
{
  SlLabelImportDialog *self;
  GCancellable        *scan;
} ScanRun;

static void
add_mapping_rows (SlLabelImportDialog *self,
                  GPtrArray           *unknown)
{
  for (guint i = 0; i < unknown->len; i++)
    {
      const char *name = g_ptr_array_index (unknown, i);
      g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
      GtkWidget *row = adw_combo_row_new ();

      gtk_string_list_append (model, _("New Class"));
      for (guint c = 0; c < self->class_list->len; c++)
        gtk_string_list_append (model, ((SlClass *) g_ptr_array_index (self->class_list, c))->name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->classes_group), row);
      g_ptr_array_add (self->map_rows, row);
      g_ptr_array_add (self->unknown, g_strdup (name));
    }
  gtk_widget_set_visible (self->classes_group, unknown->len > 0);
}

static void
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ScanRun *run = user_data;
  g_autoptr(SlLabelImportDialog) self = run->self;
  g_autoptr(GCancellable) scan = run->scan;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unknown = sl_labels_unknown_classes_finish (SL_PROJECT (source), result, &error);

  g_free (run);
  if (self->disposed || scan != self->scan)
    return;   /* the dialog is gone, or a newer scan replaced this one */
  g_clear_object (&self->scan);
  if (self->cancellable == NULL)
    {
      gtk_widget_set_visible (self->spinner, FALSE);
      gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
    }
  if (unknown == NULL)
    {
      _sl_label_import_dialog_show_error (self, error->message);
      return;
    }
  _sl_label_import_dialog_show_error (self, NULL);
  gtk_widget_set_sensitive (self->import_button, TRUE);
  add_mapping_rows (self, unknown);
}

/* Reads the file's class names again, on a worker thread (a large file takes a second): the
 * mapping rows, or the error that it cannot be read. "Import" waits for it. */
void
_sl_label_import_dialog_update_mapping (SlLabelImportDialog *self)
{
  SlLabelImportOptions options;
  ScanRun *run;

  if (self->scan != NULL)
    g_cancellable_cancel (self->scan);
  g_clear_object (&self->scan);
  clear_mapping (self);
  gtk_widget_set_sensitive (self->import_button, FALSE);
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  self->scan = g_cancellable_new ();
  run = g_new0 (ScanRun, 1);
  run->self = g_object_ref (self);
  run->scan = g_object_ref (self->scan);
  _sl_label_import_dialog_fill_options (self, &options);
  sl_labels_unknown_classes_async (self->project, self->path, &options, self->scan, on_scan_done, run);
  _sl_label_import_dialog_clear_options (&options);
}
