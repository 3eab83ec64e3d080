/* sl-pyramid-jobs.c — display pyramids built in the background for the scenes that need one
 *
 * One step at a time: a scene is surveyed on a GLib worker thread (its source opened with
 * GDAL, its stored levels counted), then, if something is missing, its pyramid is built with
 * sl_tile_cache_build_pyramid_async. The builder's native reads are background tasks on the
 * cache's scheduler, behind every tile a pane wants.
 *
 * A render change (a new stretch, or the stretch the cache resolves on first use) starts a
 * new generation and drops the scene's stored tiles, so a scene is surveyed again when its
 * generation moves; one that changed while it was surveyed or built is surveyed again after
 * the step. A scene is settled (left alone) at the generation it was found complete, found
 * not to need a pyramid, or failed in, so errors are reported once and nothing loops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-pyramid-jobs"

#include "config.h"

#include "sl-pyramid-jobs.h"

typedef struct
{
  guint     changes;     /* render changes seen */
  gint64    built_at;    /* `changes` when its last successful build started; -1: none */
  guint32   settled_gen;
  gboolean  settled;
  gboolean  declined;    /* cancelled by the user */
  gboolean  queued;
} SceneState;

struct _SlPyramidJobs
{
  GObject        parent_instance;

  SlProject     *project;
  SlTileCache   *cache;
  char          *project_path;
  GMainContext  *context;      /* of the creating thread: everything happens there */
  GHashTable    *scenes;       /* gint64 * → SceneState * */
  GQueue         queue;        /* gint64 * waiting for a survey */
  guint          kick_id;      /* idle that starts the next step */

  /* The step in progress: a survey, then maybe a build. */
  guint          serial;       /* results of older steps are ignored */
  GCancellable  *cancellable;
  gint64         current;      /* 0: none */
  guint          changes_at_start;
  gboolean       building;
  SlPyramidMode  mode;
  double         fraction;
  gboolean       busy;         /* as last notified */
};

G_DEFINE_FINAL_TYPE (SlPyramidJobs, sl_pyramid_jobs, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_SCENE_ID,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCENE_STARTED,
  SCENE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A callback's handle on the step it belongs to. */
typedef struct
{
  GWeakRef  self;
  guint     serial;
  gint64    scene_id;
} Step;

typedef struct
{
  SlPyramidExtent  extent;
  gboolean         placed;
  char            *path;
  char            *project_path;
} SurveyInput;

typedef struct
{
  SlSourceSurvey  *survey;
  GError          *error;   /* the source could not be surveyed */
  int              levels;  /* complete levels from zoom 0 */
} SurveyOutput;

static void kick_soon (SlPyramidJobs *self);

static Step *
step_new (SlPyramidJobs *self)
{
  Step *step = g_new0 (Step, 1);

  g_weak_ref_init (&step->self, self);
  step->serial = self->serial;
  step->scene_id = self->current;
  return step;
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_weak_ref_clear (&step->self);
  g_free (step);
}

/* The jobs object if @step is still its current step (a new reference), else NULL. */
static SlPyramidJobs *
step_owner (Step *step)
{
  SlPyramidJobs *self = g_weak_ref_get (&step->self);

  if (self != NULL && (self->serial != step->serial || self->current != step->scene_id))
    g_clear_object (&self);
  return self;
}

static void
survey_input_free (SurveyInput *in)
{
  g_free (in->path);
  g_free (in->project_path);
  g_free (in);
}

static void
survey_output_free (SurveyOutput *out)
{
  g_clear_pointer (&out->survey, sl_source_survey_free);
  g_clear_error (&out->error);
  g_free (out);
}

static SceneState *
state_for (SlPyramidJobs *self, gint64 scene_id)
{
  SceneState *state = g_hash_table_lookup (self->scenes, &scene_id);

  if (state == NULL)
    {
      state = g_new0 (SceneState, 1);
      state->built_at = -1;
      g_hash_table_insert (self->scenes, g_memdup2 (&scene_id, sizeof scene_id), state);
    }
  return state;
}

static void
update_busy (SlPyramidJobs *self)
{
  gboolean busy = self->current != 0 || self->queue.length > 0 || self->kick_id != 0;

  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_fraction (SlPyramidJobs *self, double fraction)
{
  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
settle (SlPyramidJobs *self, gint64 scene_id, guint32 generation)
{
  SceneState *state = state_for (self, scene_id);

  state->settled = TRUE;
  state->settled_gen = generation;
}

/* Queues @scene for a survey unless it is settled in its generation, declined or in hand. */
static void
enqueue (SlPyramidJobs *self, SlScene *scene)
{
  gint64 id = sl_scene_get_id (scene);
  SceneState *state = state_for (self, id);

  if (state->declined || state->queued || self->current == id ||
      (state->settled && state->settled_gen == sl_scene_get_render_generation (scene)))
    return;
  state->queued = TRUE;
  g_queue_push_tail (&self->queue, g_memdup2 (&id, sizeof id));
  kick_soon (self);
}

static void
enqueue_id (SlPyramidJobs *self, gint64 scene_id)
{
  g_autoptr(SlScene) scene = sl_project_get_scene (self->project, scene_id, NULL);

  if (scene != NULL)
    enqueue (self, scene);
}

static void
enqueue_all (SlPyramidJobs *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self->project, &error);

  if (scenes == NULL)
    {
      g_warning ("Cannot list the scenes of ‘%s’: %s", self->project_path, error->message);
      return;
    }
  for (guint i = 0; i < scenes->len; i++)
    enqueue (self, scenes->pdata[i]);
}

/* Forgets the step in progress; its callbacks will find they are stale. */
static void
abandon_step (SlPyramidJobs *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->serial++;
  self->current = 0;
  self->building = FALSE;
  set_fraction (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE_ID]);
}

static void
finish_step (SlPyramidJobs *self)
{
  gint64 id = self->current;
  SceneState *state = g_hash_table_lookup (self->scenes, &id);
  gboolean changed = state != NULL && state->changes != self->changes_at_start;

  abandon_step (self);
  if (changed)
    enqueue_id (self, id);
  kick_soon (self);
  update_busy (self);
}

/* --- surveys, on a GLib worker thread --- */

static void
run_survey (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SurveyInput *in = task_data;
  SurveyOutput *out = g_new0 (SurveyOutput, 1);
  g_autoptr(GError) error = NULL;

  if (in->placed)
    {
      out->levels = sl_pyramid_survey_count_levels (in->project_path, &in->extent, &error);
      if (out->levels < 0)
        {
          /* Then the build tells what is wrong with the file. */
          g_debug ("%s", error->message);
          out->levels = 0;
        }
      /* Everything stored: the source is not even opened (it may be gone). */
      if (out->levels <= in->extent.native_zoom)
        out->survey = sl_source_survey_run (in->path, &out->error);
    }
  g_task_return_pointer (task, out, (GDestroyNotify) survey_output_free);
}

static void
on_build_progress (guint64 done, guint64 total, gpointer data)
{
  g_autoptr(SlPyramidJobs) self = step_owner (data);

  if (self != NULL && self->building)
    set_fraction (self, total > 0 ? MIN ((double) done / (double) total, 1.0) : 0);
}

static void
on_built (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sl_tile_cache_build_pyramid_finish (SL_TILE_CACHE (source), result, &error);
  g_autoptr(SlPyramidJobs) self = step_owner (data);
  g_autoptr(SlScene) scene = NULL;
  SceneState *state;
  gboolean report;
  gint64 id;

  step_free (data);
  if (self == NULL)
    return;
  id = self->current;
  scene = sl_project_get_scene (self->project, id, NULL);
  state = state_for (self, id);
  report = scene != NULL && (ok || (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
                                    !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) &&
                                    !g_error_matches (error, SL_TILE_CACHE_ERROR, SL_TILE_CACHE_ERROR_NO_SCENE)));
  if (ok)
    state->built_at = self->changes_at_start;
  /* Settled in this generation, unless a new one started meanwhile (finish_step looks at
   * it again). A failure is not retried: the same blocks would fail the same way. */
  if (report && state->changes == self->changes_at_start)
    settle (self, id, sl_scene_get_render_generation (scene));
  finish_step (self);
  if (report)
    g_signal_emit (self, signals[SCENE_FINISHED], 0, id, error);
}

static void
start_build (SlPyramidJobs *self, SlPyramidMode mode)
{
  gint64 id = self->current;

  self->building = TRUE;
  self->mode = mode;
  set_fraction (self, 0);
  sl_tile_cache_build_pyramid_async (self->cache, id, mode,
                                     on_build_progress, step_new (self), step_free,
                                     self->cancellable, on_built, step_new (self));
  /* Last: a handler may cancel it. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE_ID]);
  g_signal_emit (self, signals[SCENE_STARTED], 0, id, (int) mode);
}

static void
on_surveyed (GObject *source, GAsyncResult *result, gpointer data)
{
  SurveyInput *in = g_task_get_task_data (G_TASK (result));
  SurveyOutput *out = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(SlPyramidJobs) self = step_owner (data);
  g_autoptr(GError) error = NULL;
  SceneState *state;
  int native = in->extent.native_zoom, required;
  gint64 id;

  step_free (data);
  if (self == NULL || out == NULL)
    {
      g_clear_pointer (&out, survey_output_free);
      return;
    }
  id = self->current;
  state = state_for (self, id);

  /* Without the source, what matters is whether the display's levels are stored. */
  if (!in->placed || out->survey == NULL)
    required = in->placed ? native : 0;
  else if (out->survey->need == SL_PYRAMID_NEED_NONE)
    required = 0;
  else
    required = out->survey->need == SL_PYRAMID_NEED_FULL ? native + 1 : native;
  g_debug ("Scene %" G_GINT64_FORMAT ": %s, %d of %d levels stored, %d needed", id,
           out->survey ? out->survey->driver : "no source", out->levels, native + 1, required);

  if (out->levels >= required)
    settle (self, id, in->extent.generation);
  else if (out->survey == NULL)
    {
      settle (self, id, in->extent.generation);
      error = g_steal_pointer (&out->error);
    }
  else if (state->built_at == (gint64) state->changes)
    {
      /* Built since its last render change, yet incomplete: the tiles were not kept. */
      g_warning ("The pyramid of scene %" G_GINT64_FORMAT " of ‘%s’ is still incomplete after a build "
                 "(%d of %d levels)", id, self->project_path, out->levels, required);
      settle (self, id, in->extent.generation);
    }
  else
    {
      start_build (self, sl_pyramid_need_to_mode (out->survey->need));
      survey_output_free (out);
      return;
    }
  survey_output_free (out);
  finish_step (self);
  if (error != NULL)
    g_signal_emit (self, signals[SCENE_FINISHED], 0, id, error);
}

static void
start_survey (SlPyramidJobs *self, SlScene *scene)
{
  g_autoptr(GTask) task = NULL;
  SurveyInput *in = g_new0 (SurveyInput, 1);

  self->current = sl_scene_get_id (scene);
  self->serial++;
  self->cancellable = g_cancellable_new ();
  self->changes_at_start = state_for (self, self->current)->changes;

  in->placed = sl_pyramid_extent_init (&in->extent, self->project, self->cache, self->current);
  in->path = sl_project_resolve_source (self->project, scene);
  in->project_path = g_strdup (self->project_path);

  task = g_task_new (NULL, self->cancellable, on_surveyed, step_new (self));
  g_task_set_source_tag (task, start_survey);
  g_task_set_name (task, "[sitelapse] pyramid survey");
  g_task_set_task_data (task, in, (GDestroyNotify) survey_input_free);
  g_task_run_in_thread (task, run_survey);
}

static gboolean
kick (gpointer data)
{
  SlPyramidJobs *self = data;

  self->kick_id = 0;
  while (self->current == 0 && self->queue.length > 0)
    {
      g_autofree gint64 *id = g_queue_pop_head (&self->queue);
      g_autoptr(SlScene) scene = sl_project_get_scene (self->project, *id, NULL);

      state_for (self, *id)->queued = FALSE;
      if (scene != NULL)
        start_survey (self, scene);
    }
  update_busy (self);
  return G_SOURCE_REMOVE;
}

static void
clear_kick (SlPyramidJobs *self)
{
  GSource *source;

  if (self->kick_id == 0)
    return;
  source = g_main_context_find_source_by_id (self->context, self->kick_id);
  if (source != NULL)
    g_source_destroy (source);
  self->kick_id = 0;
}

/* From an idle, so the cache has seen the project's signals first. */
static void
kick_soon (SlPyramidJobs *self)
{
  if (self->kick_id == 0)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_callback (source, kick, self, NULL);
      g_source_set_static_name (source, "[sitelapse] pyramid jobs");
      self->kick_id = g_source_attach (source, self->context);
    }
  update_busy (self);
}

/* --- the project --- */

static void
on_scenes_changed (SlPyramidJobs *self, SlProject *project)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, NULL);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  if (scenes == NULL)
    return;
  for (guint i = 0; i < scenes->len; i++)
    {
      gint64 id = sl_scene_get_id (scenes->pdata[i]);

      g_hash_table_add (present, g_memdup2 (&id, sizeof id));
    }
  g_hash_table_iter_init (&iter, self->scenes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key) && *(gint64 *) key != self->current)
      g_hash_table_iter_remove (&iter);
  if (self->current != 0 && !g_hash_table_contains (present, &self->current))
    {
      g_hash_table_remove (self->scenes, &self->current);
      abandon_step (self);
      kick_soon (self);
    }
  for (guint i = 0; i < scenes->len; i++)
    enqueue (self, scenes->pdata[i]);
  update_busy (self);
}

static void
on_scene_render_changed (SlPyramidJobs *self, gint64 scene_id, SlProject *project)
{
  state_for (self, scene_id)->changes++;
  /* The scene in hand is looked at again when its step ends. */
  if (self->current != scene_id)
    enqueue_id (self, scene_id);
}

/* --- GObject --- */

static void
sl_pyramid_jobs_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SlPyramidJobs *self = SL_PYRAMID_JOBS (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_SCENE_ID:
      g_value_set_int64 (value, sl_pyramid_jobs_get_scene_id (self));
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_pyramid_jobs_dispose (GObject *object)
{
  SlPyramidJobs *self = SL_PYRAMID_JOBS (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->serial++;
  clear_kick (self);
  g_queue_clear_full (&self->queue, g_free);
  g_clear_object (&self->cache);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (sl_pyramid_jobs_parent_class)->dispose (object);
}

static void
sl_pyramid_jobs_finalize (GObject *object)
{
  SlPyramidJobs *self = SL_PYRAMID_JOBS (object);

  g_hash_table_unref (self->scenes);
  g_free (self->project_path);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (sl_pyramid_jobs_parent_class)->finalize (object);
}

static void
sl_pyramid_jobs_class_init (SlPyramidJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sl_pyramid_jobs_get_property;
  object_class->dispose = sl_pyramid_jobs_dispose;
  object_class->finalize = sl_pyramid_jobs_finalize;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCENE_ID] =
    g_param_spec_int64 ("scene-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SCENE_STARTED] =
    g_signal_new ("scene-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT);
  signals[SCENE_FINISHED] =
    g_signal_new ("scene-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_ERROR);
}

static void
sl_pyramid_jobs_init (SlPyramidJobs *self)
{
  self->scenes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_queue_init (&self->queue);
  self->context = g_main_context_ref_thread_default ();
}

/* --- public API --- */

SlPyramidJobs *
sl_pyramid_jobs_new (SlProject   *project,
                     SlTileCache *cache)
{
  SlPyramidJobs *self;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), NULL);

  self = g_object_new (SL_TYPE_PYRAMID_JOBS, NULL);
  self->project = g_object_ref (project);
  self->cache = g_object_ref (cache);
  self->project_path = g_strdup (sl_project_get_path (project));
  g_signal_connect_swapped (project, "scenes-changed", G_CALLBACK (on_scenes_changed), self);
  g_signal_connect_swapped (project, "scene-render-changed", G_CALLBACK (on_scene_render_changed), self);
  return self;
}

void
sl_pyramid_jobs_start (SlPyramidJobs *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (SL_IS_PYRAMID_JOBS (self));
  g_return_if_fail (self->project != NULL);

  g_hash_table_iter_init (&iter, self->scenes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((SceneState *) value)->declined = FALSE;
  enqueue_all (self);
}

void
sl_pyramid_jobs_cancel (SlPyramidJobs *self)
{
  gint64 *id;

  g_return_if_fail (SL_IS_PYRAMID_JOBS (self));

  while ((id = g_queue_pop_head (&self->queue)) != NULL)
    {
      SceneState *state = state_for (self, *id);

      state->queued = FALSE;
      state->declined = TRUE;
      g_free (id);
    }
  if (self->current != 0)
    {
      state_for (self, self->current)->declined = TRUE;
      abandon_step (self);
    }
  clear_kick (self);
  update_busy (self);
}

gboolean
sl_pyramid_jobs_get_busy (SlPyramidJobs *self)
{
  g_return_val_if_fail (SL_IS_PYRAMID_JOBS (self), FALSE);
  return self->busy;
}

gint64
sl_pyramid_jobs_get_scene_id (SlPyramidJobs *self)
{
  g_return_val_if_fail (SL_IS_PYRAMID_JOBS (self), 0);
  return self->building ? self->current : 0;
}

SlPyramidMode
sl_pyramid_jobs_get_mode (SlPyramidJobs *self)
{
  g_return_val_if_fail (SL_IS_PYRAMID_JOBS (self), SL_PYRAMID_OVERVIEWS);
  return self->mode;
}

double
sl_pyramid_jobs_get_fraction (SlPyramidJobs *self)
{
  g_return_val_if_fail (SL_IS_PYRAMID_JOBS (self), 0);
  return self->fraction;
}
