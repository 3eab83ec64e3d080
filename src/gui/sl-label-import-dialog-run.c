/* sl-label-import-dialog-run.c — the import dialog's import, on a worker thread
 *
 * sl_labels_import_async writes through a connection of its own while the spinner turns;
 * when it ends, the window's store and class set are told, and a summary goes out with
 * "imported" for a toast. Closing the dialog meanwhile waits for that end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-label-import-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sl-label-import-dialog-private.h"

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
  if (n_dates == 1 && _sl_label_import_dialog_find_scene (self, only) != NULL)
    {
      GDateTime *when = sl_scene_get_acquired (_sl_label_import_dialog_find_scene (self, only));

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

/* --- import --- */

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
        _sl_label_import_dialog_show_error (self, error->message);
      return;
    }
  after = sl_annotation_store_count (run->store, NULL);
  summary = summarize (self, report, run->before, after);
  for (guint i = 0; report->warnings != NULL && i < report->warnings->len; i++)
    g_debug ("%s", (const char *) g_ptr_array_index (report->warnings, i));
  g_signal_emit_by_name (self, "imported", summary, report->annotations);
  gtk_window_destroy (GTK_WINDOW (self));
}

void
_sl_label_import_dialog_start_import (SlLabelImportDialog *self)
{
  SlLabelImportOptions options;
  ImportRun *run;

  _sl_label_import_dialog_fill_options (self, &options);
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
  _sl_label_import_dialog_show_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  sl_labels_import_async (self->project, self->path, &options, self->cancellable, on_import_done, run);
  _sl_label_import_dialog_clear_options (&options);
}

/* Closing while importing cancels what can be cancelled, and closes once the import says how
 * it ended: the window must still hear of objects it wrote. */
gboolean
_sl_label_import_dialog_close_when_done (SlLabelImportDialog *self)
{
  if (self->cancellable == NULL)
    return FALSE;
  self->close_when_done = TRUE;
  g_cancellable_cancel (self->cancellable);
  return TRUE;
}
