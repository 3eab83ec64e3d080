/* sl-image-probe.c — reads image files with GDAL in a worker thread
 *
 * Probing opens the image, checks that its pixels read and hashes the whole file:
 * seconds for a large scene, so it never runs on the main thread. sl_scene_probe()
 * is thread-safe; the SlProject stays on the main thread, where the results go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-image-probe"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-image-probe.h"

typedef struct
{
  GPtrArray *files;  /* GFile */
} ProbeData;

static void
probe_data_free (ProbeData *data)
{
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_free (data);
}

void
sl_probe_result_free (SlProbeResult *result)
{
  if (result == NULL)
    return;

  g_clear_object (&result->file);
  g_clear_object (&result->scene);
  g_clear_error (&result->error);
  g_free (result);
}

static void
probe_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ProbeData *data = task_data;
  g_autoptr(GPtrArray) results = NULL;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_probe_result_free);

  for (guint i = 0; i < data->files->len; i++)
    {
      GFile *file = g_ptr_array_index (data->files, i);
      g_autofree char *path = g_file_get_path (file);
      SlProbeResult *result = g_new0 (SlProbeResult, 1);
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        {
          sl_probe_result_free (result);
          return;
        }

      result->file = g_object_ref (file);
      if (path == NULL)
        {
          g_autofree char *name = g_file_get_parse_name (file);
          g_set_error (&result->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Cannot add ‘%s’: only local files can be added"), name);
        }
      else
        {
          result->scene = sl_scene_probe (path, &error);
          result->error = error;
        }

      g_ptr_array_add (results, result);
    }

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

void
sl_image_probe_async (gpointer              source_object,
                      GFile               **files,
                      guint                 n_files,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ProbeData *data;

  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ProbeData, 1);
  data->files = g_ptr_array_new_full (n_files, g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (data->files, g_object_ref (files[i]));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_image_probe_async);
  g_task_set_name (task, "[sl] probe images");
  g_task_set_task_data (task, data, (GDestroyNotify) probe_data_free);
  g_task_run_in_thread (task, probe_in_thread);
}

GPtrArray *
sl_image_probe_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_image_probe_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
