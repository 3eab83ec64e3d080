/* sl-window-import.c — adding images to the window's project as scenes
 *
 * Images are probed on a worker thread (sl-image-probe.c); the scenes go into the
 * project back on the main thread. An image without an acquisition date waits for
 * the user to give one in an SlDateDialog, one dialog at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window-import"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-image-probe.h"
#include "sl-window-private.h"

static void ask_next_date (SlWindow *self);

static gboolean
add_scene (SlWindow  *self,
           SlScene   *scene,
           GError   **error)
{
  g_autoptr(SlScene) stored = sl_project_add_scene (self->project, scene, error);

  return stored != NULL;
}

static void
report_errors (SlWindow *self,
               GStrv     messages)
{
  guint n = g_strv_length (messages);
  g_autofree char *title = NULL;

  if (n == 0)
    return;

  if (n == 1)
    {
      _sl_window_show_error_message (self, messages[0]);
      return;
    }

  g_clear_pointer (&self->import_errors, g_strfreev);
  self->import_errors = g_strdupv (messages);
  _sl_window_update_actions (self);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u image could not be added",
                                        "%u images could not be added",
                                        n),
                           n);
  _sl_window_show_toast_with_action (self, title, _("_Details"), "win.show-import-errors");
}

static void
on_images_probed (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SlWindow *self = SL_WINDOW (source_object);
  g_autoptr(SlProject) project = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) errors = g_strv_builder_new ();
  g_auto(GStrv) messages = NULL;

  results = sl_image_probe_finish (result, &error);

  /* Cancelled: the window closed or changed project, and dropped its busy state. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  _sl_window_release_busy (self, FALSE);

  if (results == NULL)
    {
      sl_window_show_error (self, error);
      return;
    }

  g_assert (project == self->project);

  for (guint i = 0; i < results->len; i++)
    {
      SlProbeResult *probed = g_ptr_array_index (results, i);
      g_autoptr(GError) add_error = NULL;

      if (probed->error != NULL)
        g_strv_builder_add (errors, probed->error->message);
      else if (sl_scene_get_acquired (probed->scene) == NULL)
        g_queue_push_tail (&self->pending_dates, g_object_ref (probed->scene));
      else if (!add_scene (self, probed->scene, &add_error))
        g_strv_builder_add (errors, add_error->message);
    }

  messages = g_strv_builder_end (errors);
  report_errors (self, messages);
  ask_next_date (self);
}

static void
on_date_dialog_response (SlDateDialog *dialog,
                         const char   *response,
                         SlWindow     *self)
{
  g_autoptr(SlScene) scene = g_queue_pop_head (&self->pending_dates);
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (dialog == self->date_dialog);
  g_assert (scene != NULL);

  /* The dialog closes itself after this signal. */
  g_signal_handlers_disconnect_by_func (dialog, on_date_dialog_response, self);
  self->date_dialog = NULL;

  if (g_strcmp0 (response, "add") == 0)
    date = sl_date_dialog_dup_date (dialog);

  if (date != NULL)
    {
      sl_scene_set_acquired (scene, date);
      if (!add_scene (self, scene, &error))
        sl_window_show_error (self, error);
    }

  ask_next_date (self);
}

static void
ask_next_date (SlWindow *self)
{
  SlScene *scene;
  g_autofree char *name = NULL;

  if (self->date_dialog != NULL || g_queue_is_empty (&self->pending_dates))
    return;

  scene = g_queue_peek_head (&self->pending_dates);
  name = g_filename_display_basename (sl_scene_get_source_path (scene));

  self->date_dialog = sl_date_dialog_new (GTK_WINDOW (self), name);
  g_signal_connect_object (self->date_dialog, "response",
                           G_CALLBACK (on_date_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (self->date_dialog));
}

void
sl_window_add_images (SlWindow  *self,
                      GFile    **files,
                      guint      n_files)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (n_files == 0)
    return;

  if (self->project == NULL)
    {
      _sl_window_choose_new_project (self, files, n_files);
      return;
    }

  _sl_window_hold_busy (self);
  sl_image_probe_async (self, files, n_files, self->cancellable,
                        on_images_probed, g_object_ref (self->project));
}

void
_sl_window_clear_import (SlWindow *self)
{
  _sl_window_release_busy (self, TRUE);
  g_queue_clear_full (&self->pending_dates, g_object_unref);
  g_clear_pointer (&self->import_errors, g_strfreev);

  if (self->date_dialog != NULL)
    {
      SlDateDialog *dialog = g_steal_pointer (&self->date_dialog);

      g_signal_handlers_disconnect_by_func (dialog, on_date_dialog_response, self);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

void
_sl_window_show_import_errors (SlWindow *self)
{
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->import_errors == NULL)
    return;

  body = g_strjoinv ("\n\n", self->import_errors);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Some Images Could Not Be Added"),
                                                       body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}
