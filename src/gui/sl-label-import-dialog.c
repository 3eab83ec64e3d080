/* sl-label-import-dialog.c — importing a label file: format, scene, fields, class mapping
 *
 * Every change of format or class field reads the file again for the class names it uses
 * (sl_labels_unknown_classes): a file that does not parse shows its error at once and
 * "Import" stays off. The import itself runs on a worker thread with a connection of its
 * own (sl_labels_import_async) while the spinner turns and the window keeps drawing; closing
 * the dialog meanwhile cancels it if it is still reading, and waits for it to say how it
 * ended (an import already writing completes, and is reported as usual).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-label-import-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <gdal.h>
#include <ogr_api.h>

#include "sl-label-import-dialog.h"

struct _SlLabelImportDialog
{
  AdwWindow          parent_instance;

  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  char              *path;
  GPtrArray         *scenes;        /* SlScene *, by date */
  GPtrArray         *class_list;    /* SlClass *, the project's */
  GArray            *formats;       /* SlLabelFormat, those the format row offers */
  GArray            *scene_ids;     /* gint64, those the scene row offers (0: by date field) */
  GStrv              fields;        /* a GIS file's attribute names */
  GPtrArray         *unknown;       /* char *, the names of the mapping rows */
  GPtrArray         *map_rows;      /* AdwComboRow *, one per unknown name */
  gint64             wanted_scene;  /* kept across format changes (0: by date field) */
  gint64             initial_scene; /* the one asked for */
  char              *error;
  gboolean           updating;

  GtkWidget         *page;
  AdwComboRow       *format_row;
  AdwComboRow       *scene_row;
  AdwComboRow       *class_field_row;
  AdwComboRow       *date_field_row;
  GtkWidget         *fields_group;
  GtkWidget         *classes_group;
  GtkWidget         *error_group;
  GtkWidget         *error_label;
  GtkWidget         *import_button;
  GtkWidget         *spinner;
  GCancellable      *cancellable;   /* of the import running, NULL when none */
  gboolean           close_when_done;
  gboolean           import_ok;     /* how the last import ended */
  gboolean           disposed;      /* destroyed while importing: no widgets left */
};

G_DEFINE_FINAL_TYPE (SlLabelImportDialog, sl_label_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const class_field_defaults[] = { "class", "class_name", "label", "category", "type" };
static const char * const date_field_defaults[] = { "acquired", "date" };

/* --- helpers --- */

/* "1 234": thousands apart, as the toast reads. */
static char *
format_count (guint n)
{
  g_autofree char *digits = g_strdup_printf ("%u", n);
  GString *s = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, " ");
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

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

static SlScene *
find_scene (SlLabelImportDialog *self,
            gint64               scene_id)
{
  for (guint i = 0; i < self->scenes->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (self->scenes, i)) == scene_id)
      return g_ptr_array_index (self->scenes, i);
  return NULL;
}

static void
show_error (SlLabelImportDialog *self,
            const char          *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_group, message != NULL);
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

static void
fill_options (SlLabelImportDialog  *self,
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

static void
clear_options (SlLabelImportOptions *options)
{
  g_clear_pointer (&options->class_field, g_free);
  g_clear_pointer (&options->date_field, g_free);
  g_clear_pointer (&options->class_map, g_hash_table_unref);
}

/* --- rows --- */

static void update_scene_subtitle (SlLabelImportDialog *self);

static void
update_scene_row (SlLabelImportDialog *self)
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
  update_scene_subtitle (self);
}

/* What the chosen scene means, and whether the date field is used. */
static void
update_scene_subtitle (SlLabelImportDialog *self)
{
  gboolean pixel = sl_label_format_is_pixel (sl_label_import_dialog_get_format (self));
  gboolean by_date = !pixel && sl_label_import_dialog_get_scene (self) == 0;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scene_row),
                               pixel ? _("The image the pixel coordinates refer to")
                               : by_date ? _("Each object goes on the scene of its date")
                               : _("Every object goes on this scene"));
  gtk_widget_set_visible (GTK_WIDGET (self->date_field_row), by_date);
}

static void
update_fields (SlLabelImportDialog *self)
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

/* Reads the file's class names again: the mapping rows, or the error that it cannot be read. */
static void
update_mapping (SlLabelImportDialog *self)
{
  SlLabelImportOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unknown = NULL;

  clear_mapping (self);
  fill_options (self, &options);
  unknown = sl_labels_unknown_classes (self->store, self->classes, self->path, &options, &error);
  clear_options (&options);
  if (unknown == NULL)
    {
      show_error (self, error->message);
      gtk_widget_set_sensitive (self->import_button, FALSE);
      return;
    }
  show_error (self, NULL);
  gtk_widget_set_sensitive (self->import_button, TRUE);

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

/* --- import --- */

static char *
summarize (SlLabelImportDialog *self,
           SlLabelImportReport *report,
           SlCountsTable       *before,
           SlCountsTable       *after)
{
  g_autofree char *count = format_count (report->n_imported);
  g_autofree char *where = NULL;
  g_autofree char *title = NULL;
  gint64 only = 0;
  guint n_dates = 0;

  for (guint s = 0; after != NULL && s < after->scene_ids->len; s++)
    {
      gint64 id = g_array_index (after->scene_ids, gint64, s);
      guint sum_after = 0, sum_before = 0;

      for (guint c = 0; c < after->class_ids->len; c++)
        {
          gint64 class_id = g_array_index (after->class_ids, gint64, c);

          sum_after += after->counts[(gsize) c * after->scene_ids->len + s];
          sum_before += before != NULL ? sl_counts_table_get (before, class_id, id) : 0;
        }
      if (sum_after > sum_before)
        {
          n_dates++;
          only = id;
        }
    }
  if (n_dates == 1 && find_scene (self, only) != NULL)
    {
      GDateTime *when = sl_scene_get_acquired (find_scene (self, only));

      if (when != NULL)
        where = g_date_time_format (when, "%-d %B %Y");
    }

  if (where != NULL)
    /* Translators: a toast, e.g. "Imported 1 234 objects on 14 March 2022" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s object on %s", "Imported %s objects on %s",
                                          report->n_imported), count, where);
  else if (n_dates > 1)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s objects on %u date", "Imported %s objects on %u dates",
                                          n_dates), count, n_dates);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s object", "Imported %s objects",
                                          report->n_imported), count);
  if (report->warnings != NULL && report->warnings->len > 0)
    {
      g_autofree char *warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                                                report->warnings->len), report->warnings->len);
      char *both = g_strdup_printf ("%s (%s)", title, warnings);

      g_free (title);
      title = both;
    }
  return g_steal_pointer (&title);
}

static void
set_busy (SlLabelImportDialog *self,
          gboolean             busy)
{
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  gtk_widget_set_sensitive (self->import_button, !busy);
  gtk_widget_set_sensitive (self->page, !busy);
}

/* What an import needs after the dialog may have been closed. */
typedef struct
{
  SlLabelImportDialog *self;
  SlAnnotationStore   *store;
  SlClassSet          *classes;
  SlCountsTable       *before;
} ImportRun;

static void
import_run_free (ImportRun *run)
{
  g_object_unref (run->self);
  g_object_unref (run->store);
  g_object_unref (run->classes);
  g_clear_pointer (&run->before, sl_counts_table_free);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportRun, import_run_free)

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ImportRun) run = user_data;
  SlLabelImportDialog *self = run->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLabelImportReport) report = sl_labels_import_finish (SL_PROJECT (source), result, &error);
  g_autoptr(SlCountsTable) after = NULL;
  g_autofree char *summary = NULL;

  g_clear_object (&self->cancellable);
  self->import_ok = report != NULL;
  if (report != NULL)
    {
      /* Written through another connection: the window's store and class set are told. */
      sl_annotation_store_notify_changed (run->store, 0);
      if (report->n_classes_created > 0)
        g_signal_emit_by_name (run->classes, "changed");
    }
  if (self->disposed)
    return;
  set_busy (self, FALSE);
  if (report == NULL)
    {
      if (self->close_when_done)
        gtk_window_destroy (GTK_WINDOW (self));
      else
        show_error (self, error->message);
      return;
    }
  after = sl_annotation_store_count (run->store, NULL);
  summary = summarize (self, report, run->before, after);
  for (guint i = 0; report->warnings != NULL && i < report->warnings->len; i++)
    g_debug ("%s", (const char *) g_ptr_array_index (report->warnings, i));
  g_signal_emit (self, signals[IMPORTED], 0, summary, report->annotations);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_import (SlLabelImportDialog *self)
{
  SlLabelImportOptions options;
  ImportRun *run;

  fill_options (self, &options);
  for (guint i = 0; i < self->map_rows->len; i++)
    {
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->map_rows, i));

      if (selected == 0 || selected > self->class_list->len)
        options.create_classes = TRUE;
      else
        {
          SlClass *klass = g_ptr_array_index (self->class_list, selected - 1);

          if (options.class_map == NULL)
            options.class_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_insert (options.class_map, g_strdup (g_ptr_array_index (self->unknown, i)), g_strdup (klass->name));
        }
    }
  run = g_new0 (ImportRun, 1);
  run->self = g_object_ref (self);
  run->store = g_object_ref (self->store);
  run->classes = g_object_ref (self->classes);
  run->before = sl_annotation_store_count (self->store, NULL);
  show_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  sl_labels_import_async (self->project, self->path, &options, self->cancellable, on_import_done, run);
  clear_options (&options);
}

static void
on_import_clicked (SlLabelImportDialog *self)
{
  if (self->cancellable == NULL)
    start_import (self);
}

/* Closing while importing cancels what can be cancelled, and closes once the import says how
 * it ended: the window must still hear of objects it wrote. */
static gboolean
sl_label_import_dialog_close_request (GtkWindow *window)
{
  SlLabelImportDialog *self = SL_LABEL_IMPORT_DIALOG (window);

  if (self->cancellable == NULL)
    return GTK_WINDOW_CLASS (sl_label_import_dialog_parent_class)->close_request (window);
  self->close_when_done = TRUE;
  g_cancellable_cancel (self->cancellable);
  return TRUE;
}

/* --- callbacks --- */

static void
on_format_changed (SlLabelImportDialog *self)
{
  if (self->updating)
    return;
  update_fields (self);
  update_scene_row (self);
  update_mapping (self);
}

static void
on_scene_changed (SlLabelImportDialog *self)
{
  if (self->updating)
    return;
  self->wanted_scene = sl_label_import_dialog_get_scene (self);
  update_scene_subtitle (self);
}

static void
on_class_field_changed (SlLabelImportDialog *self)
{
  if (!self->updating)
    update_mapping (self);
}

/* --- GObject --- */

static void
sl_label_import_dialog_dispose (GObject *object)
{
  SlLabelImportDialog *self = SL_LABEL_IMPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
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
  if (find_scene (self, scene_id) == NULL && self->scenes->len > 0)
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
  start_import (self);
  while (self->cancellable != NULL)
    g_main_context_iteration (NULL, TRUE);
  return self->import_ok;
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
