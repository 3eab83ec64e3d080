/* sl-label-export-dialog.c — exporting annotations as labels: format, scope, classes, CRS, chips
 *
 * The rows show only what the chosen format can use: a CRS for GIS formats, chips for pixel
 * formats, a scope where the format holds several dates. The export runs on a worker thread
 * with a connection of its own (sl_labels_export_async) while the spinner turns; closing the
 * dialog meanwhile cancels it (nothing is left half-written) and closes once it has stopped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-label-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-label-export-dialog.h"

#define DEFAULT_CHIP_SIZE 512
#define DEFAULT_CHIP_OVERLAP 64

enum { CRS_SITE, CRS_WGS84, CRS_OTHER };

struct _SlLabelExportDialog
{
  AdwWindow          parent_instance;

  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  gint64             scene_id;
  GPtrArray         *class_list;    /* SlClass * */
  GPtrArray         *class_checks;  /* GtkCheckButton *, one per class */
  char              *error;
  GCancellable      *cancellable;   /* of the export running, NULL when none */
  gboolean           close_when_done;
  gssize             written;       /* what the last export wrote, -1 when it failed */
  gboolean           disposed;

  GtkWidget         *page;
  AdwComboRow       *format_row;
  AdwComboRow       *scope_row;
  AdwExpanderRow    *classes_row;
  GtkWidget         *crs_group;
  AdwComboRow       *crs_row;
  AdwEntryRow       *crs_entry;
  GtkWidget         *chips_group;
  AdwExpanderRow    *chips_row;
  GtkSpinButton     *chip_size;
  GtkSpinButton     *chip_overlap;
  GtkSwitch         *skip_empty;
  GtkWidget         *error_group;
  GtkWidget         *error_label;
  GtkWidget         *export_button;
  GtkWidget         *spinner;
};

G_DEFINE_FINAL_TYPE (SlLabelExportDialog, sl_label_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  SlLabelFormat format;
  const char   *suffix;   /* NULL: the output is a folder */
} formats[] = {
  { SL_LABEL_FORMAT_GEOJSON, "geojson" },
  { SL_LABEL_FORMAT_GPKG, "gpkg" },
  { SL_LABEL_FORMAT_KML, "kml" },
  { SL_LABEL_FORMAT_KMZ, "kmz" },
  { SL_LABEL_FORMAT_SHAPEFILE, "shp" },
  { SL_LABEL_FORMAT_FLATGEOBUF, "fgb" },
  { SL_LABEL_FORMAT_COCO, "json" },
  { SL_LABEL_FORMAT_YOLO, "txt" },
  { SL_LABEL_FORMAT_YOLO_OBB, "txt" },
  { SL_LABEL_FORMAT_DOTA, "txt" },
  { SL_LABEL_FORMAT_VOC, "xml" },
  { SL_LABEL_FORMAT_LABELME, "json" },
  { SL_LABEL_FORMAT_COUNTS_CSV, "csv" },
  { SL_LABEL_FORMAT_COUNTS_JSON, "json" },
};

/* --- helpers --- */

static guint
format_index (SlLabelExportDialog *self)
{
  return MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1);
}

static gboolean
is_counts (SlLabelFormat format)
{
  return format == SL_LABEL_FORMAT_COUNTS_CSV || format == SL_LABEL_FORMAT_COUNTS_JSON;
}

/* Formats that hold several dates in one output. */
static gboolean
holds_dates (SlLabelFormat format)
{
  return !sl_label_format_is_pixel (format) || format == SL_LABEL_FORMAT_COCO ||
         format == SL_LABEL_FORMAT_YOLO || format == SL_LABEL_FORMAT_YOLO_OBB;
}

static void
show_error (SlLabelExportDialog *self,
            const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_group, message != NULL);
}

static void
set_busy (SlLabelExportDialog *self,
          gboolean             busy)
{
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->export_button, !busy);
  gtk_widget_set_sensitive (self->page, !busy);
}

static gboolean
writes_folder (SlLabelExportDialog *self)
{
  SlLabelExportOptions options;
  gboolean folder;

  sl_label_export_dialog_get_options (self, &options);
  folder = options.chip_size > 0 ||
           ((options.format == SL_LABEL_FORMAT_YOLO || options.format == SL_LABEL_FORMAT_YOLO_OBB) && options.scene_id == 0);
  sl_label_export_dialog_clear_options (&options);
  return folder;
}

/* --- rows --- */

static void
update_rows (SlLabelExportDialog *self)
{
  SlLabelFormat format = formats[format_index (self)].format;
  gboolean pixel = sl_label_format_is_pixel (format);
  gboolean chips = pixel && adw_expander_row_get_enable_expansion (self->chips_row);

  gtk_widget_set_visible (GTK_WIDGET (self->scope_row), !is_counts (format));
  gtk_widget_set_sensitive (GTK_WIDGET (self->scope_row), holds_dates (format) && !chips);
  if ((!holds_dates (format) || chips) && adw_combo_row_get_selected (self->scope_row) != 0)
    adw_combo_row_set_selected (self->scope_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->classes_row), !is_counts (format));
  gtk_widget_set_visible (self->crs_group, !pixel && !is_counts (format));
  gtk_widget_set_visible (GTK_WIDGET (self->crs_entry), adw_combo_row_get_selected (self->crs_row) == CRS_OTHER);
  gtk_widget_set_visible (self->chips_group, pixel);
  gtk_button_set_label (GTK_BUTTON (self->export_button), writes_folder (self) ? _("_Export to Folder…") : _("_Export…"));
  show_error (self, NULL);
}

/* --- exporting --- */

typedef struct
{
  SlLabelExportDialog *self;
  char                *path;
} ExportRun;

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExportRun *run = user_data;
  g_autoptr(SlLabelExportDialog) self = run->self;
  g_autofree char *path = run->path;
  g_autoptr(GError) error = NULL;

  g_free (run);
  self->written = sl_labels_export_finish (SL_PROJECT (source), result, &error);
  g_clear_object (&self->cancellable);
  if (self->disposed)
    return;
  set_busy (self, FALSE);
  if (self->written < 0)
    {
      if (self->close_when_done)
        gtk_window_destroy (GTK_WINDOW (self));
      else
        show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[EXPORTED], 0, path, (guint) self->written);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Starts writing to @path; FALSE (the reason shown) when the rows ask for nothing writable. */
static gboolean
start_export (SlLabelExportDialog *self,
              const char          *path)
{
  SlLabelExportOptions options;
  ExportRun *run;

  sl_label_export_dialog_get_options (self, &options);
  if (options.crs != NULL && *options.crs == '\0')
    {
      sl_label_export_dialog_clear_options (&options);
      show_error (self, _("Type the CRS to export in, e.g. EPSG:32636"));
      return FALSE;
    }
  if (options.class_ids != NULL && options.class_ids->len == 0)
    {
      sl_label_export_dialog_clear_options (&options);
      show_error (self, _("Choose at least one class to export"));
      return FALSE;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  run = g_new0 (ExportRun, 1);
  run->self = g_object_ref (self);
  run->path = g_strdup (path);
  self->cancellable = g_cancellable_new ();
  sl_labels_export_async (self->project, path, &options, self->cancellable, on_export_done, run);
  sl_label_export_dialog_clear_options (&options);
  return TRUE;
}

/* Closing while exporting cancels the export and closes once it has stopped. */
static gboolean
sl_label_export_dialog_close_request (GtkWindow *window)
{
  SlLabelExportDialog *self = SL_LABEL_EXPORT_DIALOG (window);

  if (self->cancellable == NULL)
    return GTK_WINDOW_CLASS (sl_label_export_dialog_parent_class)->close_request (window);
  self->close_when_done = TRUE;
  g_cancellable_cancel (self->cancellable);
  return TRUE;
}

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     SlLabelExportDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file != NULL && g_file_peek_path (file) != NULL && self->cancellable == NULL)
    start_export (self, g_file_peek_path (file));
  g_object_unref (self);
}

static void
on_export_clicked (SlLabelExportDialog *self)
{
  guint index = format_index (self);
  gboolean folder = writes_folder (self);
  g_autofree char *site = sl_project_dup_name (self->project);
  g_autofree char *name = NULL;
  g_autoptr(GFile) project_file = g_file_new_for_path (sl_project_get_path (self->project));
  g_autoptr(GFile) parent = g_file_get_parent (project_file);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (folder ? _("Export Labels to a New Folder") : _("Export Labels"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (site == NULL || *site == '\0')
    {
      g_free (site);
      site = g_strdup (_("Site"));
    }
  if (folder)
    /* Translators: a folder name, e.g. "Airfield labels" */
    name = g_strdup_printf (_("%s labels"), site);
  else
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      name = g_strdup_printf (_("%s labels.%s"), site, formats[index].suffix);
      gtk_file_filter_set_name (filter, sl_label_format_describe (formats[index].format));
      gtk_file_filter_add_suffix (filter, formats[index].suffix);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (parent != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), parent, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- GObject --- */

static void
sl_label_export_dialog_dispose (GObject *object)
{
  SlLabelExportDialog *self = SL_LABEL_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->disposed = TRUE;
  g_clear_object (&self->store);
  g_clear_object (&self->classes);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (sl_label_export_dialog_parent_class)->dispose (object);
}

static void
sl_label_export_dialog_finalize (GObject *object)
{
  SlLabelExportDialog *self = SL_LABEL_EXPORT_DIALOG (object);

  g_clear_pointer (&self->class_list, g_ptr_array_unref);
  g_clear_pointer (&self->class_checks, g_ptr_array_unref);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (sl_label_export_dialog_parent_class)->finalize (object);
}

static void
sl_label_export_dialog_class_init (SlLabelExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_label_export_dialog_dispose;
  object_class->finalize = sl_label_export_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = sl_label_export_dialog_close_request;

  /* The path written (a file or a folder) and how many annotations went there. */
  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sl_label_export_dialog_init (SlLabelExportDialog *self)
{
  self->class_checks = g_ptr_array_new ();
}

static GtkWidget *
spin_row (const char     *title,
          const char     *subtitle,
          int             lower,
          int             upper,
          int             value,
          GtkSpinButton **spin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_spin_button_new_with_range (lower, upper, 16);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  *spin = GTK_SPIN_BUTTON (button);
  return row;
}

static GtkWidget *
build_content (SlLabelExportDialog *self,
               SlScene             *shown)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *what = adw_preferences_group_new ();
  GtkWidget *skip_row = adw_action_row_new ();
  g_autoptr(GtkStringList) format_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) scopes = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) crs_names = gtk_string_list_new (NULL);
  g_autofree char *shown_title = NULL;
  g_autofree char *site_crs = sl_project_dup_crs_name (self->project);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->export_button = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_button_set_use_underline (GTK_BUTTON (self->export_button), TRUE);
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (GTK_BOX (box), self->page);

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

  /* What: format, dates, classes. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    gtk_string_list_append (format_names, sl_label_format_describe (formats[i].format));
  self->format_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->format_row), _("Format"));
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (format_names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->format_row));

  if (shown != NULL && sl_scene_get_acquired (shown) != NULL)
    {
      g_autofree char *date = g_date_time_format (sl_scene_get_acquired (shown), "%-d %B %Y");

      /* Translators: the scope of an export, e.g. "Shown Date (14 March 2022)" */
      shown_title = g_strdup_printf (_("Shown Date (%s)"), date);
    }
  gtk_string_list_append (scopes, shown_title != NULL ? shown_title : _("Shown Date"));
  gtk_string_list_append (scopes, _("All Dates"));
  self->scope_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->scope_row), _("Dates"));
  adw_combo_row_set_model (self->scope_row, G_LIST_MODEL (scopes));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->scope_row));

  self->classes_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->classes_row), _("Only Some Classes"));
  adw_expander_row_set_subtitle (self->classes_row, _("Off: every class"));
  adw_expander_row_set_show_enable_switch (self->classes_row, TRUE);
  adw_expander_row_set_enable_expansion (self->classes_row, FALSE);
  for (guint i = 0; i < self->class_list->len; i++)
    {
      SlClass *klass = g_ptr_array_index (self->class_list, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), klass->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->classes_row, row);
      g_ptr_array_add (self->class_checks, check);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->classes_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (what));

  /* GIS: the CRS. */
  self->crs_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->crs_group), _("Coordinates"));
  {
    g_autofree char *site_title = g_strdup_printf (_("Site CRS (%s)"), site_crs != NULL ? site_crs : _("none"));

    gtk_string_list_append (crs_names, site_title);
  }
  gtk_string_list_append (crs_names, _("WGS 84 (longitude, latitude)"));
  gtk_string_list_append (crs_names, _("Other"));
  self->crs_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crs_row), _("CRS"));
  adw_combo_row_set_model (self->crs_row, G_LIST_MODEL (crs_names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->crs_group), GTK_WIDGET (self->crs_row));
  self->crs_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crs_entry), _("CRS, e.g. EPSG:32636"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->crs_group), GTK_WIDGET (self->crs_entry));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->crs_group));

  /* Pixel formats: chips. */
  self->chips_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->chips_group), _("Image Chips"));
  self->chips_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->chips_row), _("Cut the Scene into Chips"));
  adw_expander_row_set_subtitle (self->chips_row, _("Each chip’s image and its labels, as training pipelines take them"));
  adw_expander_row_set_show_enable_switch (self->chips_row, TRUE);
  adw_expander_row_set_enable_expansion (self->chips_row, FALSE);
  adw_expander_row_add_row (self->chips_row, spin_row (_("Size"), _("Pixels a side"), 64, 8192, DEFAULT_CHIP_SIZE,
                                                       &self->chip_size));
  adw_expander_row_add_row (self->chips_row, spin_row (_("Overlap"), _("Pixels shared by neighbouring chips"), 0, 4096,
                                                       DEFAULT_CHIP_OVERLAP, &self->chip_overlap));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (skip_row), _("Skip Empty Chips"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (skip_row), _("Chips without labels are not written"));
  self->skip_empty = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->skip_empty, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->skip_empty), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (skip_row), GTK_WIDGET (self->skip_empty));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (skip_row), GTK_WIDGET (self->skip_empty));
  adw_expander_row_add_row (self->chips_row, skip_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->chips_group), GTK_WIDGET (self->chips_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->chips_group));

  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->scope_row, "notify::selected", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->crs_row, "notify::selected", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->chips_row, "notify::enable-expansion", G_CALLBACK (update_rows), self);
  return box;
}

/* --- public API --- */

SlLabelExportDialog *
sl_label_export_dialog_new (GtkWindow         *parent,
                            SlProject         *project,
                            SlAnnotationStore *store,
                            SlClassSet        *classes,
                            gint64             scene_id)
{
  SlLabelExportDialog *self;
  g_autoptr(SlScene) shown = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), NULL);

  self = g_object_new (SL_TYPE_LABEL_EXPORT_DIALOG, NULL);
  self->project = g_object_ref (project);
  self->store = g_object_ref (store);
  self->classes = g_object_ref (classes);
  self->scene_id = scene_id;
  self->class_list = sl_class_set_list (classes, NULL);
  if (self->class_list == NULL)
    self->class_list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_class_free);
  shown = scene_id > 0 ? sl_project_get_scene (project, scene_id, NULL) : NULL;

  gtk_window_set_title (GTK_WINDOW (self), _("Export Labels"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 620);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  adw_window_set_content (ADW_WINDOW (self), build_content (self, shown));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->export_button);
  update_rows (self);
  return self;
}

SlLabelFormat
sl_label_export_dialog_get_format (SlLabelExportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self), SL_LABEL_FORMAT_UNKNOWN);
  return formats[format_index (self)].format;
}

void
sl_label_export_dialog_set_format (SlLabelExportDialog *self,
                                   SlLabelFormat        format)
{
  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      adw_combo_row_set_selected (self->format_row, i);
}

void
sl_label_export_dialog_set_all_dates (SlLabelExportDialog *self,
                                      gboolean             all_dates)
{
  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));
  adw_combo_row_set_selected (self->scope_row, all_dates ? 1 : 0);
}

void
sl_label_export_dialog_set_classes (SlLabelExportDialog *self,
                                    const gint64        *class_ids,
                                    guint                n_class_ids)
{
  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));

  adw_expander_row_set_enable_expansion (self->classes_row, class_ids != NULL);
  for (guint i = 0; i < self->class_list->len; i++)
    {
      gint64 id = ((SlClass *) g_ptr_array_index (self->class_list, i))->id;
      gboolean on = class_ids == NULL;

      for (guint k = 0; !on && k < n_class_ids; k++)
        on = class_ids[k] == id;
      gtk_check_button_set_active (g_ptr_array_index (self->class_checks, i), on);
    }
}

void
sl_label_export_dialog_set_crs (SlLabelExportDialog *self,
                                const char          *crs)
{
  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));

  if (crs == NULL)
    adw_combo_row_set_selected (self->crs_row, CRS_SITE);
  else if (g_ascii_strcasecmp (crs, "EPSG:4326") == 0)
    adw_combo_row_set_selected (self->crs_row, CRS_WGS84);
  else
    {
      adw_combo_row_set_selected (self->crs_row, CRS_OTHER);
      gtk_editable_set_text (GTK_EDITABLE (self->crs_entry), crs);
    }
}

void
sl_label_export_dialog_set_chips (SlLabelExportDialog *self,
                                  int                  size,
                                  int                  overlap,
                                  gboolean             skip_empty)
{
  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));

  adw_expander_row_set_enable_expansion (self->chips_row, size > 0);
  if (size > 0)
    gtk_spin_button_set_value (self->chip_size, size);
  gtk_spin_button_set_value (self->chip_overlap, overlap);
  gtk_switch_set_active (self->skip_empty, skip_empty);
}

void
sl_label_export_dialog_get_options (SlLabelExportDialog  *self,
                                    SlLabelExportOptions *options)
{
  SlLabelFormat format;

  g_return_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self));

  format = formats[format_index (self)].format;
  memset (options, 0, sizeof *options);
  options->format = format;
  options->scene_id = adw_combo_row_get_selected (self->scope_row) == 1 ? 0 : self->scene_id;
  if (adw_expander_row_get_enable_expansion (self->classes_row))
    {
      options->class_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < self->class_list->len; i++)
        if (gtk_check_button_get_active (g_ptr_array_index (self->class_checks, i)))
          g_array_append_val (options->class_ids, ((SlClass *) g_ptr_array_index (self->class_list, i))->id);
    }
  if (!sl_label_format_is_pixel (format) && !is_counts (format))
    {
      switch (adw_combo_row_get_selected (self->crs_row))
        {
        case CRS_WGS84:
          options->crs = g_strdup ("EPSG:4326");
          break;
        case CRS_OTHER:
          options->crs = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->crs_entry))));
          break;
        case CRS_SITE:
        default:
          {
            /* NULL would mean WGS 84 for GeoJSON and KML: the site's, said outright. */
            g_autofree char *wkt = sl_project_dup_crs_wkt (self->project);

            options->crs = wkt != NULL && *wkt != '\0' ? g_steal_pointer (&wkt) : NULL;
          }
          break;
        }
    }
  if (sl_label_format_is_pixel (format) && adw_expander_row_get_enable_expansion (self->chips_row))
    {
      options->chip_size = gtk_spin_button_get_value_as_int (self->chip_size);
      options->chip_overlap = gtk_spin_button_get_value_as_int (self->chip_overlap);
      options->chip_skip_empty = gtk_switch_get_active (self->skip_empty);
      options->scene_id = self->scene_id;
    }
}

void
sl_label_export_dialog_clear_options (SlLabelExportOptions *options)
{
  g_clear_pointer (&options->class_ids, g_array_unref);
  g_clear_pointer (&options->crs, g_free);
}

gssize
sl_label_export_dialog_export_to (SlLabelExportDialog *self,
                                  const char          *path)
{
  g_autoptr(SlLabelExportDialog) keep = NULL;

  g_return_val_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self), -1);
  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (self->cancellable == NULL, -1);

  keep = g_object_ref (self);
  if (!start_export (self, path))
    return -1;
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
  return self->written;
}

const char *
sl_label_export_dialog_get_error (SlLabelExportDialog *self)
{
  g_return_val_if_fail (SL_IS_LABEL_EXPORT_DIALOG (self), NULL);
  return self->error;
}
