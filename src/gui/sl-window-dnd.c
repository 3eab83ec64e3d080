/* sl-window-dnd.c — dropping images (new scenes), projects and label files onto a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window-dnd"

#include "config.h"

#include "sl-application.h"
#include "sl-window-private.h"

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SlWindow      *self)
{
  GdkFileList *list;
  g_autoptr(GPtrArray) files = NULL;
  GSList *items;
  GtkApplication *application;
  gboolean labels_done = FALSE;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  items = gdk_file_list_get_files (list);
  files = g_ptr_array_new_with_free_func (g_object_unref);
  for (GSList *l = items; l != NULL; l = l->next)
    {
      /* A label file imports onto the date under the pointer (sl-window-labels.c). */
      if (self->project != NULL && _sl_window_is_label_file (l->data))
        {
          double cx = x, cy = y;

          if (!labels_done)
            gtk_widget_translate_coordinates (GTK_WIDGET (self->main_stack), GTK_WIDGET (self->compare_view),
                                              x, y, &cx, &cy);
          labels_done = labels_done || _sl_window_drop_label_file (self, l->data, cx, cy);
          continue;
        }
      g_ptr_array_add (files, g_object_ref (l->data));
    }
  g_slist_free (items);

  if (files->len == 0)
    return labels_done;

  application = gtk_window_get_application (GTK_WINDOW (self));
  if (!SL_IS_APPLICATION (application))
    return FALSE;

  sl_application_open_files (SL_APPLICATION (application),
                             (GFile **) files->pdata, files->len, self);
  return TRUE;
}

void
_sl_window_setup_drop_target (SlWindow *self)
{
  GtkDropTarget *target;

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->main_stack), GTK_EVENT_CONTROLLER (target));
}
