/* sl-labels-async.c — label imports and exports on a worker thread
 *
 * Reading a label file of 100 000 objects and storing them takes about a second, writing
 * them as GeoJSON as long, cutting a large scene into chips minutes; the window must keep
 * drawing meanwhile. The worker opens its own connection to the project file (an
 * SlProject of its own: SQLite connections are not shared between threads here), runs
 * sl_labels_import or sl_labels_export there, and closes it. The file is in WAL mode, so the
 * window's connection keeps reading while an import writes; when it is done, the caller tells
 * the window's stores (sl_annotation_store_notify_changed) and class sets what changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <gio/gio.h>

#include "sl-labels.h"

typedef enum
{
  JOB_IMPORT,
  JOB_EXPORT,
  JOB_SCAN,       /* the class names the project lacks */
} JobKind;

typedef struct
{
  JobKind               kind;
  char                 *project_path;
  char                 *path;
  SlLabelImportOptions  options;         /* importing, scanning */
  SlLabelExportOptions  export_options;  /* exporting */
} Job;

static void
job_free (Job *job)
{
  g_free (job->project_path);
  g_free (job->path);
  g_free (job->options.class_field);
  g_free (job->options.date_field);
  g_clear_pointer (&job->options.class_map, g_hash_table_unref);
  g_clear_pointer (&job->export_options.class_ids, g_array_unref);
  g_free (job->export_options.crs);
  g_free (job);
}

/* Deep copies: the caller's options may be freed as soon as the call returns. */
static void
copy_import_options (SlLabelImportOptions *to, const SlLabelImportOptions *from)
{
  GHashTableIter iter;
  gpointer key, value;

  *to = *from;
  to->class_field = g_strdup (from->class_field);
  to->date_field = g_strdup (from->date_field);
  to->class_map = NULL;
  if (from->class_map == NULL)
    return;
  to->class_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, from->class_map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (to->class_map, g_strdup (key), g_strdup (value));
}

static void
copy_export_options (SlLabelExportOptions *to, const SlLabelExportOptions *from)
{
  *to = *from;
  to->crs = g_strdup (from->crs);
  to->class_ids = NULL;
  if (from->class_ids == NULL)
    return;
  to->class_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), from->class_ids->len);
  g_array_append_vals (to->class_ids, from->class_ids->data, from->class_ids->len);
}

/* The worker: the project opened again, the import, export or scan run there, closed. */
static void
run_job (GTask        *task,
         gpointer      source_object,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  SlLabelImportReport *report = NULL;
  GPtrArray *names = NULL;
  gssize n = -1;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      (project = sl_project_open (job->project_path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  switch (job->kind)
    {
    case JOB_IMPORT:
      report = sl_labels_import (store, classes, job->path, &job->options, cancellable, &error);
      break;
    case JOB_EXPORT:
      n = sl_labels_export (store, classes, job->path, &job->export_options, cancellable, &error);
      break;
    case JOB_SCAN:
      names = sl_labels_unknown_classes (store, classes, job->path, &job->options, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  g_clear_object (&store);
  g_clear_object (&classes);
  sl_project_close (project);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (job->kind == JOB_EXPORT)
    g_task_return_int (task, n);
  else if (job->kind == JOB_SCAN)
    g_task_return_pointer (task, names, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sl_label_import_report_free);
}

static Job *
start_job (SlProject           *project,
           const char          *path,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag,
           GTask              **task)
{
  Job *job = g_new0 (Job, 1);

  *task = g_task_new (project, cancellable, callback, user_data);
  g_task_set_source_tag (*task, source_tag);
  job->project_path = g_strdup (sl_project_get_path (project));
  job->path = g_strdup (path);
  g_task_set_task_data (*task, job, (GDestroyNotify) job_free);
  /* A cancelled import may already be writing: its result still comes back (the caller must
   * learn what was stored), and a cancelled export removes what it wrote; so cancellation
   * is checked by the job itself, not by the task. */
  g_task_set_return_on_cancel (*task, FALSE);
  return job;
}

void
sl_labels_import_async (SlProject                  *project,
                        const char                 *path,
                        const SlLabelImportOptions *options,
                        GCancellable               *cancellable,
                        GAsyncReadyCallback         callback,
                        gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SL_IS_PROJECT (project));
  g_return_if_fail (path != NULL);

  job = start_job (project, path, cancellable, callback, user_data, sl_labels_import_async, &task);
  if (options != NULL)
    copy_import_options (&job->options, options);
  g_task_run_in_thread (task, run_job);
}

SlLabelImportReport *
sl_labels_import_finish (SlProject     *project,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_labels_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sl_labels_export_async (SlProject                  *project,
                        const char                 *path,
                        const SlLabelExportOptions *options,
                        GCancellable               *cancellable,
                        GAsyncReadyCallback         callback,
                        gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SL_IS_PROJECT (project));
  g_return_if_fail (path != NULL);

  job = start_job (project, path, cancellable, callback, user_data, sl_labels_export_async, &task);
  job->kind = JOB_EXPORT;
  if (options != NULL)
    copy_export_options (&job->export_options, options);
  g_task_run_in_thread (task, run_job);
}

gssize
sl_labels_export_finish (SlProject     *project,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_labels_export_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

void
sl_labels_unknown_classes_async (SlProject                  *project,
                                 const char                 *path,
                                 const SlLabelImportOptions *options,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SL_IS_PROJECT (project));
  g_return_if_fail (path != NULL);

  job = start_job (project, path, cancellable, callback, user_data, sl_labels_unknown_classes_async, &task);
  job->kind = JOB_SCAN;
  if (options != NULL)
    copy_import_options (&job->options, options);
  /* Nothing is written: a cancelled scan may end at once. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, run_job);
}

GPtrArray *
sl_labels_unknown_classes_finish (SlProject     *project,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, project), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_labels_unknown_classes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
