/* sl-tile-scheduler.c — one job per tile key on a bounded pool of worker threads
 *
 * Modelled on papers' job scheduler: a priority queue shared by a fixed set of threads,
 * each of which owns its copy of the backend. Everything shared lives behind one mutex;
 * the work itself (reading, decoding, encoding) runs outside it.
 *
 * A tile job that comes up while finer jobs under it are pending may be deferred
 * (funcs->defer): it goes back to the queue and is skipped until no finer job under it is
 * queued or running. The finest pending job is never deferred, so the queue always moves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-scheduler"

#include "config.h"

#include "sl-tile-scheduler.h"

typedef enum
{
  JOB_QUEUED,
  JOB_RUNNING,
  JOB_DONE,
} JobState;

typedef struct
{
  gatomicrefcount  ref_count;
  SlTileKey        key;
  SlTileTaskFunc   task;        /* a plain task (no key) when set */
  gpointer         task_data;
  gint64           priority;
  guint64          seq;         /* first come first served among equal priorities */
  JobState         state;
  guint            n_sync;      /* callers blocked in run_sync on it */
  gboolean         async;       /* an owner asked for it: hand the result to finished() */
  int              deferrable;  /* -1 not asked yet; TRUE: it waits for finer jobs under it */
  SlTile          *tile;        /* the result, once DONE */
  GError          *error;
} Job;

typedef struct
{
  GError   *error;
  gboolean  reported;   /* an owner has been told (tile-failed) */
} Failure;

struct _SlTileScheduler
{
  SlTileSchedulerFuncs funcs;
  gpointer             user_data;
  GThread            **threads;
  guint                n_threads;

  GMutex               lock;       /* protects every field below */
  GCond                work_cond;  /* the queue gained a job, or stopping */
  GCond                done_cond;  /* a job finished or was dropped, a caller was cancelled,
                                    * or a blocked caller left */
  GHashTable          *jobs;       /* SlTileKey * → Job *: queued and running tile jobs */
  GPtrArray           *queue;      /* queued Job *, best last once sorted */
  gboolean             unsorted;
  GHashTable          *wanted;     /* the owners' ranks (see set_wanted), or NULL */
  GHashTable          *failed;     /* SlTileKey * → Failure * */
  guint                running;
  guint                n_blocked;  /* callers inside run_sync */
  guint                n_deferrable; /* queued jobs that wait while finer ones are pending */
  guint64              seq;
  guint64              cancelled;
  guint64              coalesced;
  guint64              failures;
  gboolean             stopping;
};

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;
  g_clear_pointer (&job->tile, sl_tile_free);
  g_clear_error (&job->error);
  g_free (job);
}

static Job *
job_new (SlTileScheduler *self, gint64 priority)
{
  Job *job = g_new0 (Job, 1);

  g_atomic_ref_count_init (&job->ref_count);
  job->priority = priority;
  job->seq = self->seq++;
  job->state = JOB_QUEUED;
  job->deferrable = -1;
  return job;
}

static void
failure_free (Failure *failure)
{
  g_error_free (failure->error);
  g_free (failure);
}

void
sl_tile_failure_clear (SlTileFailure *failure)
{
  g_clear_error (&failure->error);
}

/* Best last, so popping is O(1). */
static int
compare_jobs (gconstpointer a, gconstpointer b)
{
  const Job *ja = *(Job * const *) a, *jb = *(Job * const *) b;

  if (ja->priority != jb->priority)
    return ja->priority < jb->priority ? 1 : -1;
  if (ja->seq != jb->seq)
    return ja->seq < jb->seq ? 1 : -1;
  return 0;
}

static void
enqueue (SlTileScheduler *self, Job *job)
{
  g_ptr_array_add (self->queue, job);
  self->unsorted = TRUE;
  g_cond_signal (&self->work_cond);
}

/* Takes a queued tile job out of the queue and the table, as done with @error. */
static void
drop_queued (SlTileScheduler *self, Job *job, GQuark domain, int code, const char *message)
{
  g_assert (job->state == JOB_QUEUED && job->task == NULL);
  if (job->deferrable == TRUE)
    self->n_deferrable--;

  g_hash_table_remove (self->jobs, &job->key);
  job->state = JOB_DONE;
  job->error = g_error_new_literal (domain, code, message);
  self->cancelled++;
  g_cond_broadcast (&self->done_cond);
}

static gboolean
is_transient (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
finish_job (SlTileScheduler *self, Job *job, SlTile *tile, GError *error)
{
  job->tile = tile;
  job->error = error;
  job->state = JOB_DONE;
  if (g_hash_table_lookup (self->jobs, &job->key) == job)
    g_hash_table_remove (self->jobs, &job->key);
  if (error != NULL && !is_transient (error))
    {
      Failure *failure = g_new0 (Failure, 1);

      failure->error = g_error_copy (error);
      failure->reported = job->async;
      g_hash_table_replace (self->failed, g_memdup2 (&job->key, sizeof job->key), failure);
      self->failures++;
    }
  g_cond_broadcast (&self->done_cond);
  if (self->n_deferrable > 0)
    g_cond_broadcast (&self->work_cond);   /* a deferred job may be runnable now */
}

/* Whether a job finer than @key and under it (same scene and generation) is queued or running. */
static gboolean
finer_pending (SlTileScheduler *self, const SlTileKey *key)
{
  GHashTableIter iter;
  gpointer k;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &k, NULL))
    {
      const SlTileKey *o = k;
      int dz = o->z - key->z;

      if (o->scene_id == key->scene_id && o->generation == key->generation && dz > 0 && dz < 31 &&
          (o->x >> dz) == key->x && (o->y >> dz) == key->y)
        return TRUE;
    }
  return FALSE;
}

/* The best queued job that may run now (a deferrable one waits for finer jobs under it), or
 * -1. The queue is sorted, best last. */
static int
pick_job (SlTileScheduler *self)
{
  for (int i = (int) self->queue->len - 1; i >= 0; i--)
    {
      Job *job = self->queue->pdata[i];

      if (job->task != NULL || job->deferrable != TRUE || !finer_pending (self, &job->key))
        return i;
    }
  return -1;
}

static gpointer
worker_main (gpointer data)
{
  SlTileScheduler *self = data;
  gpointer thread_data = self->funcs.thread_init ? self->funcs.thread_init (self->user_data) : NULL;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      Job *job;
      int at = -1;

      while (!self->stopping)
        {
          if (self->unsorted)
            {
              g_ptr_array_sort (self->queue, compare_jobs);
              self->unsorted = FALSE;
            }
          if ((at = pick_job (self)) >= 0)
            break;
          g_cond_wait (&self->work_cond, &self->lock);
        }
      if (self->stopping)
        break;
      job = g_ptr_array_steal_index (self->queue, at);
      if (job->deferrable == TRUE)
        self->n_deferrable--;
      job->state = JOB_RUNNING;
      self->running++;

      /* First time out: may it wait for finer tiles under it (and be built from them)? */
      if (job->task == NULL && job->deferrable < 0 && self->funcs.defer != NULL && finer_pending (self, &job->key))
        {
          gboolean deferrable;

          g_mutex_unlock (&self->lock);
          deferrable = self->funcs.defer (&job->key, thread_data, self->user_data);
          g_mutex_lock (&self->lock);
          job->deferrable = deferrable;
          /* Not once stopping: the queue has been emptied for good. */
          if (deferrable && !self->stopping && finer_pending (self, &job->key))
            {
              job->state = JOB_QUEUED;
              self->running--;
              self->n_deferrable++;
              g_ptr_array_add (self->queue, job);
              self->unsorted = TRUE;
              continue;
            }
        }
      g_mutex_unlock (&self->lock);

      if (job->task != NULL)
        {
          job->task (thread_data, job->task_data);
          g_mutex_lock (&self->lock);
          self->running--;
          g_mutex_unlock (&self->lock);
        }
      else
        {
          GError *error = NULL;
          SlTile *tile = self->funcs.run (&job->key, thread_data, self->user_data, &error);
          gboolean async;

          g_assert ((tile != NULL) != (error != NULL));
          g_mutex_lock (&self->lock);
          self->running--;
          finish_job (self, job, tile, error);
          async = job->async;
          g_mutex_unlock (&self->lock);
          /* The job is DONE: nobody changes its result any more. */
          if (async && self->funcs.finished)
            self->funcs.finished (&job->key, job->tile, job->error, self->user_data);
          if (job->tile != NULL && self->funcs.after)
            self->funcs.after (&job->key, job->tile, thread_data, self->user_data);
        }
      job_unref (job);
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);

  if (self->funcs.thread_free)
    self->funcs.thread_free (thread_data);
  return NULL;
}

SlTileScheduler *
sl_tile_scheduler_new (guint                       n_workers,
                       const SlTileSchedulerFuncs *funcs,
                       gpointer                    user_data)
{
  SlTileScheduler *self;

  g_return_val_if_fail (funcs != NULL && funcs->run != NULL, NULL);

  self = g_new0 (SlTileScheduler, 1);
  self->funcs = *funcs;
  self->user_data = user_data;
  g_mutex_init (&self->lock);
  g_cond_init (&self->work_cond);
  g_cond_init (&self->done_cond);
  self->jobs = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  self->queue = g_ptr_array_new ();
  self->failed = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, (GDestroyNotify) failure_free);

  self->n_threads = MAX (n_workers, 1);
  self->threads = g_new0 (GThread *, self->n_threads);
  for (guint i = 0; i < self->n_threads; i++)
    {
      g_autofree char *name = g_strdup_printf ("sl-tile-%u", i);
      self->threads[i] = g_thread_new (name, worker_main, self);
    }
  return self;
}

void
sl_tile_scheduler_free (SlTileScheduler *self)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) job_unref);

  if (self == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  for (guint i = 0; i < self->queue->len; i++)
    {
      Job *job = self->queue->pdata[i];

      if (job->task != NULL)
        g_ptr_array_add (tasks, job);
      else
        {
          drop_queued (self, job, G_IO_ERROR, G_IO_ERROR_CLOSED, "The tile cache was closed");
          job_unref (job);
        }
    }
  g_ptr_array_set_size (self->queue, 0);
  g_cond_broadcast (&self->work_cond);
  g_cond_broadcast (&self->done_cond);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < tasks->len; i++)
    {
      Job *job = tasks->pdata[i];
      job->task (NULL, job->task_data);
    }
  for (guint i = 0; i < self->n_threads; i++)
    g_thread_join (self->threads[i]);

  /* Callers woken above may still be on their way out of run_sync. */
  g_mutex_lock (&self->lock);
  while (self->n_blocked > 0)
    g_cond_wait (&self->done_cond, &self->lock);
  g_mutex_unlock (&self->lock);

  g_assert (g_hash_table_size (self->jobs) == 0);
  g_hash_table_unref (self->jobs);
  g_ptr_array_unref (self->queue);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_hash_table_unref (self->failed);
  g_cond_clear (&self->work_cond);
  g_cond_clear (&self->done_cond);
  g_mutex_clear (&self->lock);
  g_free (self->threads);
  g_free (self);
}

guint
sl_tile_scheduler_get_n_workers (SlTileScheduler *self)
{
  return self->n_threads;
}

GArray *
sl_tile_scheduler_set_wanted (SlTileScheduler *self,
                              GHashTable      *ranks,
                              guint           *n_coalesced)
{
  GArray *untold = g_array_new (FALSE, FALSE, sizeof (SlTileFailure));
  GHashTable *old;
  GHashTableIter iter;
  gpointer key, value;
  guint kept = 0;

  g_array_set_clear_func (untold, (GDestroyNotify) sl_tile_failure_clear);

  g_mutex_lock (&self->lock);
  old = self->wanted;
  self->wanted = ranks ? g_hash_table_ref (ranks) : NULL;

  /* Queued jobs: new priority, or cancelled when nobody needs them any more. */
  for (guint i = 0; i < self->queue->len; i++)
    {
      Job *job = self->queue->pdata[i];
      gpointer rank = NULL;

      if (job->task == NULL && ranks != NULL)
        rank = g_hash_table_lookup (ranks, &job->key);
      if (job->task != NULL)
        ;
      else if (rank != NULL)
        {
          job->priority = GPOINTER_TO_INT (rank) - 1;
          job->async = TRUE;
        }
      else if (job->n_sync > 0)
        job->priority = SL_TILE_PRIORITY_SYNC;
      else
        {
          drop_queued (self, job, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Nobody wants the tile any more");
          job_unref (job);
          continue;
        }
      self->queue->pdata[kept++] = job;
    }
  g_ptr_array_set_size (self->queue, kept);
  self->unsorted = TRUE;

  /* Keys without a job. */
  if (ranks != NULL)
    {
      g_hash_table_iter_init (&iter, ranks);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const SlTileKey *k = key;
          Failure *failure = g_hash_table_lookup (self->failed, k);
          Job *job;

          if (failure != NULL)
            {
              if (!failure->reported)
                {
                  SlTileFailure f = { *k, g_error_copy (failure->error) };

                  failure->reported = TRUE;
                  g_array_append_val (untold, f);
                }
              continue;
            }
          job = g_hash_table_lookup (self->jobs, k);
          if (job != NULL)
            {
              job->async = TRUE;
              if (old == NULL || !g_hash_table_contains (old, k))
                {
                  self->coalesced++;
                  if (n_coalesced)
                    (*n_coalesced)++;
                }
              continue;
            }
          job = job_new (self, GPOINTER_TO_INT (value) - 1);
          job->key = *k;
          job->async = TRUE;
          g_hash_table_insert (self->jobs, &job->key, job);
          g_ptr_array_add (self->queue, job);
        }
    }
  if (self->queue->len > 0)
    g_cond_broadcast (&self->work_cond);
  g_mutex_unlock (&self->lock);

  g_clear_pointer (&old, g_hash_table_unref);
  return untold;
}

static void
on_cancelled (GCancellable *cancellable, gpointer data)
{
  SlTileScheduler *self = data;

  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->done_cond);
  g_mutex_unlock (&self->lock);
}

SlTile *
sl_tile_scheduler_run_sync (SlTileScheduler  *self,
                            const SlTileKey  *key,
                            GCancellable     *cancellable,
                            GError          **error)
{
  SlTile *tile = NULL;
  gulong handler = 0;
  Failure *failure;
  Job *job;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  g_mutex_lock (&self->lock);
  if (self->stopping)
    {
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, handler);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The tile cache was closed");
      return NULL;
    }
  failure = g_hash_table_lookup (self->failed, key);
  if (failure != NULL)
    {
      if (error)
        *error = g_error_copy (failure->error);
      g_mutex_unlock (&self->lock);
      g_cancellable_disconnect (cancellable, handler);
      return NULL;
    }

  job = g_hash_table_lookup (self->jobs, key);
  if (job != NULL)
    {
      self->coalesced++;
      if (job->state == JOB_QUEUED && job->priority > SL_TILE_PRIORITY_SYNC)
        {
          job->priority = SL_TILE_PRIORITY_SYNC;
          self->unsorted = TRUE;
        }
    }
  else
    {
      job = job_new (self, SL_TILE_PRIORITY_SYNC);
      job->key = *key;
      g_hash_table_insert (self->jobs, &job->key, job);
      enqueue (self, job);
    }
  job_ref (job);
  job->n_sync++;
  self->n_blocked++;

  while (job->state != JOB_DONE && !g_cancellable_is_cancelled (cancellable))
    g_cond_wait (&self->done_cond, &self->lock);

  job->n_sync--;
  if (job->state == JOB_DONE)
    {
      if (job->tile)
        tile = sl_tile_copy (job->tile);
      else if (error)
        *error = g_error_copy (job->error);
    }
  else
    {
      /* Cancelled: the job goes too unless someone else still needs it. */
      if (job->state == JOB_QUEUED && job->n_sync == 0 && !job->async)
        {
          g_ptr_array_remove (self->queue, job);
          drop_queued (self, job, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
          job_unref (job);
        }
      g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  self->n_blocked--;
  if (self->stopping)
    g_cond_broadcast (&self->done_cond);
  g_mutex_unlock (&self->lock);

  g_cancellable_disconnect (cancellable, handler);
  job_unref (job);
  return tile;
}

void
sl_tile_scheduler_push_task (SlTileScheduler *self,
                             gint64           priority,
                             SlTileTaskFunc   func,
                             gpointer         task_data)
{
  Job *job;

  g_return_if_fail (func != NULL);

  g_mutex_lock (&self->lock);
  if (self->stopping)
    {
      g_mutex_unlock (&self->lock);
      func (NULL, task_data);
      return;
    }
  job = job_new (self, priority);
  job->task = func;
  job->task_data = task_data;
  enqueue (self, job);
  g_mutex_unlock (&self->lock);
}

static gboolean
matches (const SlTileKey *key, gint64 scene_id, guint32 below_generation)
{
  return (scene_id == 0 || key->scene_id == scene_id) &&
         (below_generation == G_MAXUINT32 || key->generation < below_generation);
}

void
sl_tile_scheduler_drop (SlTileScheduler *self,
                        gint64           scene_id,
                        guint32          below_generation)
{
  GHashTableIter iter;
  gpointer key;
  guint kept = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->queue->len; i++)
    {
      Job *job = self->queue->pdata[i];

      if (job->task == NULL && matches (&job->key, scene_id, below_generation))
        {
          drop_queued (self, job, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The tile is stale");
          job_unref (job);
          continue;
        }
      self->queue->pdata[kept++] = job;
    }
  g_ptr_array_set_size (self->queue, kept);

  g_hash_table_iter_init (&iter, self->failed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (matches (key, scene_id, below_generation))
      g_hash_table_iter_remove (&iter);
  g_mutex_unlock (&self->lock);
}

gboolean
sl_tile_scheduler_has_failed (SlTileScheduler *self,
                              const SlTileKey *key)
{
  gboolean failed;

  g_mutex_lock (&self->lock);
  failed = g_hash_table_contains (self->failed, key);
  g_mutex_unlock (&self->lock);
  return failed;
}

void
sl_tile_scheduler_get_counts (SlTileScheduler *self,
                              guint           *queued,
                              guint           *running,
                              guint64         *cancelled,
                              guint64         *coalesced,
                              guint64         *failures)
{
  g_mutex_lock (&self->lock);
  if (queued)
    *queued = self->queue->len;
  if (running)
    *running = self->running;
  if (cancelled)
    *cancelled = self->cancelled;
  if (coalesced)
    *coalesced = self->coalesced;
  if (failures)
    *failures = self->failures;
  g_mutex_unlock (&self->lock);
}
