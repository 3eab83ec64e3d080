/* sl-tile-scheduler.h — one job per tile key on a bounded pool of worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-tile-cache.h"

G_BEGIN_DECLS

/* The tile cache's worker pool. A tile job exists once per key however many requests it
 * has (owners' want lists and blocked sync callers: they coalesce). Queued jobs run by
 * priority (lower first): an owner's want list gives each key its rank, so the order the
 * pane computes (visible, centre out) is the order the tiles arrive. A queued job that no
 * owner wants and no caller waits for any more is cancelled; a running one always finishes.
 *
 * Each worker thread has its own data (funcs->thread_init / thread_free run on it), so a
 * backend that is not thread-safe (a GDAL dataset) gets one instance per thread and is
 * closed on the thread that used it. Besides tile jobs, the pool runs plain tasks (stretch
 * statistics, pyramid building) in the same priority order.
 *
 * Failures (other than cancellation) are remembered per key: a failed key is not queued
 * again, and its error is handed out instead, until sl_tile_scheduler_drop() forgets it. */
typedef struct _SlTileScheduler SlTileScheduler;

/* Priorities: owners' ranks are 0, 1, 2 … */
#define SL_TILE_PRIORITY_URGENT     (-1)
#define SL_TILE_PRIORITY_SYNC       0
#define SL_TILE_PRIORITY_BACKGROUND ((gint64) G_MAXINT32)

typedef struct
{
  /* On each worker thread as it starts / ends. */
  gpointer (*thread_init) (gpointer user_data);
  void     (*thread_free) (gpointer thread_data);
  /* On a worker: produce the tile of @key, or NULL with @error. */
  SlTile  *(*run)         (const SlTileKey *key,
                           gpointer         thread_data,
                           gpointer         user_data,
                           GError         **error);
  /* On the worker, after a job an owner asked for finished: @tile or @error (borrowed). */
  void     (*finished)    (const SlTileKey *key,
                           const SlTile    *tile,
                           const GError    *error,
                           gpointer         user_data);
  /* Optional, on a worker when a tile job comes up while finer jobs under it (same scene
   * and generation) are queued or running: TRUE to let it wait until they are done (it is
   * cheaper built from them). Asked once per job; the job then runs when no finer job under
   * it is pending, in its turn. */
  gboolean (*defer)       (const SlTileKey *key,
                           gpointer         thread_data,
                           gpointer         user_data);
  /* Optional, on the worker after every tile job that produced @tile, once its result was
   * handed out (finished() called, blocked callers woken): work that must not delay it,
   * such as encoding the tile for the store. */
  void     (*after)       (const SlTileKey *key,
                           const SlTile    *tile,
                           gpointer         thread_data,
                           gpointer         user_data);
} SlTileSchedulerFuncs;

/* On a worker with its thread data; with @thread_data NULL when the task is dropped
 * unrun (the scheduler is being freed): free @task_data then. */
typedef void (*SlTileTaskFunc) (gpointer thread_data,
                                gpointer task_data);

typedef struct
{
  SlTileKey  key;
  GError    *error;
} SlTileFailure;

SlTileScheduler *sl_tile_scheduler_new        (guint                       n_workers,
                                               const SlTileSchedulerFuncs *funcs,
                                               gpointer                    user_data);
/* Drops the queue (blocked callers get G_IO_ERROR_CLOSED, tasks run with NULL thread
 * data), waits for running jobs, joins the workers. */
void             sl_tile_scheduler_free       (SlTileScheduler            *self);

guint            sl_tile_scheduler_get_n_workers (SlTileScheduler         *self);

/* Replaces the owners' wants: @ranks maps SlTileKey * → GINT_TO_POINTER (rank + 1) (the
 * scheduler keeps a reference). Queues the keys without a job, re-prioritises queued jobs
 * and cancels those nobody waits for any more. Returns the failed keys of @ranks whose
 * failure no owner has been told of yet (an array of SlTileFailure, now told), and adds to
 * @n_coalesced the newly wanted keys that joined an existing job. */
GArray          *sl_tile_scheduler_set_wanted (SlTileScheduler            *self,
                                               GHashTable                 *ranks,
                                               guint                      *n_coalesced);
/* Blocks until the job of @key is done (queuing it, or joining the existing one). */
SlTile          *sl_tile_scheduler_run_sync   (SlTileScheduler            *self,
                                               const SlTileKey            *key,
                                               GCancellable               *cancellable,
                                               GError                    **error);
void             sl_tile_scheduler_push_task  (SlTileScheduler            *self,
                                               gint64                      priority,
                                               SlTileTaskFunc              func,
                                               gpointer                    task_data);
/* Forgets queued jobs and failures of @scene_id (0: all scenes) whose generation is below
 * @below_generation (G_MAXUINT32: all): blocked callers get G_IO_ERROR_CANCELLED. */
void             sl_tile_scheduler_drop       (SlTileScheduler            *self,
                                               gint64                      scene_id,
                                               guint32                     below_generation);
gboolean         sl_tile_scheduler_has_failed (SlTileScheduler            *self,
                                               const SlTileKey            *key);
void             sl_tile_scheduler_get_counts (SlTileScheduler            *self,
                                               guint                      *queued,
                                               guint                      *running,
                                               guint64                    *cancelled,
                                               guint64                    *coalesced,
                                               guint64                    *failures);

void             sl_tile_failure_clear        (SlTileFailure              *failure);

G_END_DECLS
