/* sl-tile-cache-scenes.c — the tile cache's view of the project's scenes
 *
 * The project is main-thread only, so the cache keeps an immutable snapshot of each scene
 * (SlSceneInfo) that workers read: its generation, source, render parameters, grid and
 * footprint. The main thread replaces snapshots when the project says scenes or render
 * parameters changed; a new generation drops the scene's tiles from memory, its queued jobs
 * and its remembered failures, and tells the store.
 *
 * Stretches: a scene whose percentiles are not computed yet cannot be rendered. A worker
 * computes them (once per generation), the main thread stores them in the project — which
 * starts a new generation — and only then are the scene's tiles rendered, so nothing
 * rendered is thrown away by that bump. Keys asked for meanwhile are not queued;
 * "scene-invalidated" tells their owners to ask again with the new generation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-cache"

#include "config.h"

#include <math.h>

#include <gdal_alg.h>

#include "sl-tile-cache-private.h"


typedef struct
{
  SlTileCache *self;
  SlSceneInfo *info;
} SceneTask;

SlSceneInfo *
_sl_scene_info_ref (SlSceneInfo *info)
{
  g_atomic_ref_count_inc (&info->ref_count);
  return info;
}

void
_sl_scene_info_unref (SlSceneInfo *info)
{
  if (!g_atomic_ref_count_dec (&info->ref_count))
    return;
  g_clear_object (&info->scene);
  g_free (info->path);
  g_clear_pointer (&info->params, sl_render_params_free);
  g_clear_pointer (&info->grid, sl_site_grid_unref);
  g_clear_error (&info->resolve_error);
  g_free (info);
}

/* The scene's footprint on the site grid and its native level, without opening the file. */
static gboolean
measure (SlScene *scene, SlSiteGrid *grid, SlBounds *footprint, int *native_zoom)
{
  double res;

  if (!sl_scene_measure (scene, sl_site_grid_get_crs_wkt (grid), footprint, &res))
    return FALSE;
  *native_zoom = MIN (sl_site_grid_native_zoom (grid, res), sl_site_grid_get_max_zoom (grid));
  return TRUE;
}

static SlSceneInfo *
info_new (SlTileCache *self, SlScene *scene, SlSiteGrid *grid)
{
  SlSceneInfo *info = g_new0 (SlSceneInfo, 1);
  const SlRenderParams *params = sl_scene_get_render_params (scene);

  g_atomic_ref_count_init (&info->ref_count);
  info->id = sl_scene_get_id (scene);
  info->generation = sl_scene_get_render_generation (scene);
  info->scene = g_object_ref (scene);
  info->path = sl_project_resolve_source (self->project, scene);
  info->params = params ? sl_render_params_copy (params)
                        : sl_render_params_new_for (sl_scene_get_band_count (scene), sl_scene_get_data_type (scene),
                                                    sl_scene_get_has_palette (scene));
  info->grid = sl_site_grid_ref (grid);
  info->placed = measure (scene, grid, &info->footprint, &info->native_zoom);
  return info;
}

/* A new snapshot of the same scene and generation with other render parameters or error. */
static SlSceneInfo *
info_derive (SlSceneInfo *old, const SlRenderParams *params, const GError *resolve_error)
{
  SlSceneInfo *info = g_new0 (SlSceneInfo, 1);

  g_atomic_ref_count_init (&info->ref_count);
  info->id = old->id;
  info->generation = old->generation;
  info->scene = g_object_ref (old->scene);
  info->path = g_strdup (old->path);
  info->params = sl_render_params_copy (params ? params : old->params);
  info->grid = sl_site_grid_ref (old->grid);
  info->placed = old->placed;
  info->footprint = old->footprint;
  info->native_zoom = old->native_zoom;
  info->resolve_error = resolve_error ? g_error_copy (resolve_error) : NULL;
  return info;
}

static gboolean
info_same (SlSceneInfo *a, SlSceneInfo *b)
{
  return a->generation == b->generation && g_strcmp0 (a->path, b->path) == 0 &&
         sl_render_params_equal (a->params, b->params) && sl_site_grid_equal (a->grid, b->grid) &&
         a->placed == b->placed && a->native_zoom == b->native_zoom &&
         a->footprint.min_x == b->footprint.min_x && a->footprint.max_x == b->footprint.max_x &&
         a->footprint.min_y == b->footprint.min_y && a->footprint.max_y == b->footprint.max_y;
}

SlSceneInfo *
_sl_tile_cache_dup_scene (SlTileCache *self, gint64 scene_id)
{
  SlSceneInfo *info;

  g_mutex_lock (&self->scenes_lock);
  info = g_hash_table_lookup (self->scenes, &scene_id);
  if (info != NULL)
    _sl_scene_info_ref (info);
  g_mutex_unlock (&self->scenes_lock);
  return info;
}

/* Main thread. Takes @info; NULL removes the scene. */
static void
publish (SlTileCache *self, gint64 scene_id, SlSceneInfo *info)
{
  g_mutex_lock (&self->scenes_lock);
  if (info != NULL)
    g_hash_table_replace (self->scenes, g_memdup2 (&scene_id, sizeof scene_id), info);
  else
    g_hash_table_remove (self->scenes, &scene_id);
  g_cond_broadcast (&self->scenes_cond);
  g_mutex_unlock (&self->scenes_lock);
}

/* --- workers: the store and stretches --- */

gboolean
_sl_tile_cache_sync_store (SlTileCache *self, SlSceneInfo *info)
{
  g_autoptr(SlSceneInfo) cur = NULL;
  gboolean current;

  if (g_atomic_int_get (&info->store_synced))
    return TRUE;

  g_mutex_lock (&self->store_lock);
  cur = _sl_tile_cache_dup_scene (self, info->id);
  if (cur != NULL && !g_atomic_int_get (&cur->store_synced))
    {
      gint64 key = cur->id;
      int max_zoom = sl_site_grid_get_max_zoom (cur->grid);
      gpointer zoom = g_hash_table_lookup (self->store_zoom, &key);

      /* Under store_lock and with the current snapshot: the store only moves forward. */
      if (zoom == NULL || GPOINTER_TO_INT (zoom) - 1 < max_zoom)
        {
          g_autoptr(GError) error = NULL;

          if (sl_tile_store_ensure_scene (self->store, cur->id, cur->generation, cur->grid, &error))
            g_hash_table_replace (self->store_zoom, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (max_zoom + 1));
          else
            {
              g_warning ("Tiles of scene %" G_GINT64_FORMAT " will not be kept: %s", cur->id, error->message);
              g_atomic_int_set (&cur->store_failed, TRUE);
            }
        }
      else
        sl_tile_store_set_generation (self->store, cur->id, cur->generation);
      /* So GDAL and QGIS size the tile table's raster to the scene, not to zoom 0. */
      if (cur->placed && !g_atomic_int_get (&cur->store_failed))
        sl_tile_store_set_extent (self->store, cur->id, &cur->footprint);
      g_atomic_int_set (&cur->store_synced, TRUE);
    }
  current = cur != NULL && cur->generation == info->generation &&
            sl_site_grid_get_max_zoom (cur->grid) >= sl_site_grid_get_max_zoom (info->grid);
  if (current && cur != info)
    {
      g_atomic_int_set (&info->store_failed, g_atomic_int_get (&cur->store_failed));
      g_atomic_int_set (&info->store_synced, TRUE);
    }
  g_mutex_unlock (&self->store_lock);
  return current;
}

gboolean
_sl_tile_cache_can_store (SlSceneInfo *info, int z)
{
  return !g_atomic_int_get (&info->store_failed) && z <= sl_site_grid_get_max_zoom (info->grid);
}

static void
scene_task_free (SceneTask *task)
{
  _sl_scene_info_unref (task->info);
  g_free (task);
}

static void
run_sync_store (gpointer thread_data, gpointer data)
{
  SceneTask *task = data;

  if (thread_data != NULL)
    _sl_tile_cache_sync_store (task->self, task->info);
  scene_task_free (task);
}

static void
run_resolve (gpointer thread_data, gpointer data)
{
  SceneTask *task = data;

  if (thread_data != NULL)
    {
      SlDelivery *d = g_new0 (SlDelivery, 1);
      g_autoptr(SlRenderParams) params = sl_render_params_copy (task->info->params);
      SlRasterSource *source;

      d->kind = DELIVERY_RESOLVED;
      d->key.scene_id = task->info->id;
      d->key.generation = task->info->generation;
      source = _sl_tile_cache_worker_source (thread_data, task->info, &d->error);
      if (source != NULL && sl_raster_source_compute_stretch (source, params, &d->error))
        d->params = g_steal_pointer (&params);
      _sl_tile_cache_deliver (task->self, d);
    }
  scene_task_free (task);
}

static void
push_scene_task (SlTileCache *self, SlSceneInfo *info, SlTileTaskFunc func)
{
  SceneTask *task = g_new0 (SceneTask, 1);

  task->self = self;
  task->info = _sl_scene_info_ref (info);
  sl_tile_scheduler_push_task (self->scheduler, SL_TILE_PRIORITY_URGENT, func, task);
}

/* Main thread. */
static void
start_resolve (SlTileCache *self, SlSceneInfo *info)
{
  gpointer busy;

  if (info->params->resolved || info->resolve_error != NULL)
    return;
  busy = g_hash_table_lookup (self->resolving, &info->id);
  if (busy != NULL && GPOINTER_TO_UINT (busy) - 1 == info->generation)
    return;
  g_hash_table_replace (self->resolving, g_memdup2 (&info->id, sizeof info->id),
                        GUINT_TO_POINTER (info->generation + 1));
  push_scene_task (self, info, run_resolve);
}

/* --- following the project (main thread) --- */

static void
reload (SlTileCache *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self->project, &error);
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (self->project);
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) invalid = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  if (scenes == NULL || grid == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot follow the scenes of ‘%s’: %s", sl_project_get_path (self->project), error->message);
      if (scenes == NULL)
        return;
    }

  if (grid != NULL && !sl_site_grid_equal (grid, self->grid))
    {
      g_mutex_lock (&self->scenes_lock);
      g_clear_pointer (&self->grid, sl_site_grid_unref);
      self->grid = sl_site_grid_ref (grid);
      g_mutex_unlock (&self->scenes_lock);
    }

  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = scenes->pdata[i];
      gint64 id = sl_scene_get_id (scene);
      g_autoptr(SlSceneInfo) old = _sl_tile_cache_dup_scene (self, id);
      SlSceneInfo *info;

      if (grid == NULL)
        continue;
      info = info_new (self, scene, grid);
      if (old != NULL && info_same (old, info))
        {
          _sl_scene_info_unref (info);
          continue;
        }
      /* A resolved stretch kept in memory only (the project refused it) stays. */
      if (old != NULL && old->generation == info->generation && old->params->resolved &&
          !info->params->resolved)
        {
          sl_render_params_free (info->params);
          info->params = sl_render_params_copy (old->params);
        }
      publish (self, id, _sl_scene_info_ref (info));
      if (old == NULL || old->generation != info->generation)
        {
          if (old != NULL)
            {
              sl_tile_lru_drop (self->lru, id, info->generation);
              sl_tile_scheduler_drop (self->scheduler, id, info->generation);
              push_scene_task (self, info, run_sync_store);
            }
          g_array_append_val (invalid, id);
        }
      start_resolve (self, info);
      _sl_scene_info_unref (info);
    }

  /* Scenes that went away. */
  g_mutex_lock (&self->scenes_lock);
  g_hash_table_iter_init (&iter, self->scenes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gboolean found = FALSE;

      for (guint i = 0; i < scenes->len && !found; i++)
        found = sl_scene_get_id (scenes->pdata[i]) == *(gint64 *) key;
      if (!found)
        g_array_append_val (gone, *(gint64 *) key);
    }
  g_mutex_unlock (&self->scenes_lock);
  for (guint i = 0; i < gone->len; i++)
    {
      gint64 id = g_array_index (gone, gint64, i);

      publish (self, id, NULL);
      g_hash_table_remove (self->resolving, &id);
      sl_tile_lru_drop (self->lru, id, G_MAXUINT32);
      sl_tile_scheduler_drop (self->scheduler, id, G_MAXUINT32);
      g_array_append_val (invalid, id);
    }
  if (gone->len > 0)
    g_atomic_int_inc (&self->scenes_epoch);

  for (guint i = 0; i < invalid->len; i++)
    g_signal_emit_by_name (self, "scene-invalidated", g_array_index (invalid, gint64, i));
}

static void
on_project_scenes_changed (SlProject *project, SlTileCache *self)
{
  reload (self);
}

static void
on_project_scene_render_changed (SlProject *project, gint64 scene_id, SlTileCache *self)
{
  reload (self);
}

gboolean
_sl_tile_cache_load_scenes (SlTileCache *self, GError **error)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self->project, error);

  if (scenes == NULL)
    return FALSE;
  self->grid = sl_project_dup_site_grid (self->project);
  if (self->grid != NULL)
    for (guint i = 0; i < scenes->len; i++)
      {
        SlSceneInfo *info = info_new (self, scenes->pdata[i], self->grid);

        publish (self, info->id, info);
        start_resolve (self, info);
      }
  self->scenes_changed_id = g_signal_connect (self->project, "scenes-changed",
                                              G_CALLBACK (on_project_scenes_changed), self);
  self->render_changed_id = g_signal_connect (self->project, "scene-render-changed",
                                              G_CALLBACK (on_project_scene_render_changed), self);
  return TRUE;
}

void
_sl_tile_cache_apply_resolved (SlTileCache *self, SlDelivery *d)
{
  g_autoptr(SlSceneInfo) info = _sl_tile_cache_dup_scene (self, d->key.scene_id);
  g_autoptr(GError) error = NULL;
  gpointer busy = g_hash_table_lookup (self->resolving, &d->key.scene_id);

  if (busy != NULL && GPOINTER_TO_UINT (busy) - 1 == d->key.generation)
    g_hash_table_remove (self->resolving, &d->key.scene_id);
  /* Stale: the scene changed while its statistics were read. */
  if (info == NULL || info->generation != d->key.generation || info->params->resolved)
    return;

  if (d->error != NULL)
    {
      publish (self, info->id, info_derive (info, NULL, d->error));
      g_signal_emit_by_name (self, "scene-invalidated", info->id);
      return;
    }
  /* Storing the stretch starts the generation the tiles are rendered with: our handler of
   * "scene-render-changed" publishes it. */
  if (!sl_project_set_render_params (self->project, info->id, d->params, &error))
    {
      g_warning ("Cannot keep the contrast stretch of scene %" G_GINT64_FORMAT ": %s", info->id, error->message);
      publish (self, info->id, info_derive (info, d->params, NULL));
      g_signal_emit_by_name (self, "scene-invalidated", info->id);
    }
}

static void
on_wait_cancelled (GCancellable *cancellable, gpointer data)
{
  SlTileCache *self = data;

  g_mutex_lock (&self->scenes_lock);
  g_cond_broadcast (&self->scenes_cond);
  g_mutex_unlock (&self->scenes_lock);
  g_main_context_wakeup (self->context);
}

SlSceneInfo *
_sl_tile_cache_wait_resolved (SlTileCache   *self,
                              gint64         scene_id,
                              GCancellable  *cancellable,
                              GError       **error)
{
  /* Only the creating thread may run its context (and the project's code) while it waits;
   * any other thread waits for that thread to do it. */
  gboolean iterate = g_thread_self () == self->owner && g_main_context_acquire (self->context);
  SlSceneInfo *info = NULL;
  gulong handler = 0;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_wait_cancelled), self, NULL);

  g_mutex_lock (&self->scenes_lock);
  for (;;)
    {
      info = g_hash_table_lookup (self->scenes, &scene_id);
      if (info == NULL)
        {
          g_set_error (error, SL_TILE_CACHE_ERROR, SL_TILE_CACHE_ERROR_NO_SCENE,
                       "‘%s’ has no scene %" G_GINT64_FORMAT, self->project_path, scene_id);
          break;
        }
      if (info->resolve_error != NULL)
        {
          g_propagate_error (error, g_error_copy (info->resolve_error));
          info = NULL;
          break;
        }
      if (info->params->resolved)
        {
          _sl_scene_info_ref (info);
          break;
        }
      info = NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      if (iterate)
        {
          g_mutex_unlock (&self->scenes_lock);
          g_main_context_iteration (self->context, TRUE);
          g_mutex_lock (&self->scenes_lock);
        }
      else
        g_cond_wait (&self->scenes_cond, &self->scenes_lock);
    }
  g_mutex_unlock (&self->scenes_lock);

  if (iterate)
    g_main_context_release (self->context);
  g_cancellable_disconnect (cancellable, handler);
  return info;
}
