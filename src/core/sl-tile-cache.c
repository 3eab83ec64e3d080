/* sl-tile-cache.c — memory LRU + project tile tables + GDAL, behind one scheduler
 *
 * Who owns what:
 * - the main thread (the one that created the cache) owns the project, the owners' want
 *   lists, and every change to the memory tier: tiles enter memory when their results are
 *   delivered there (or when get_sync runs on it), so a `const SlTile *` from lookup stays
 *   valid while the main thread does not call back into the cache;
 * - each worker thread owns its GDAL handles (one SlRasterSource per scene, opened lazily,
 *   closed on that thread when it ends) and reads the store on its own connection;
 * - the scene snapshots, the scheduler, the LRU and the delivery queue are shared, each
 *   behind its own mutex (see sl-tile-cache-private.h). Locks nest in one order only:
 *   store_lock → scenes_lock → the LRU's; the scheduler's and the delivery lock are never
 *   held while another of ours is taken.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-cache"

#include "config.h"

#include <unistd.h>

#include "sl-core.h"
#include "sl-tile-cache-private.h"

#define MAX_DEFAULT_BUDGET ((gsize) 256 * 1024 * 1024)

/* The default memory tier: an eighth of the machine's memory, at most 256 MB (the issue's
 * budget; the whole app then stays under 512 MB whatever the image size). */
static gsize
default_budget (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), page_size = sysconf (_SC_PAGESIZE);

  if (pages <= 0 || page_size <= 0)
    return MAX_DEFAULT_BUDGET;
  return MIN (MAX_DEFAULT_BUDGET, MAX ((gsize) 32 * 1024 * 1024, (gsize) pages * page_size / 8));
}

G_DEFINE_FINAL_TYPE (SlTileCache, sl_tile_cache, G_TYPE_OBJECT)

G_DEFINE_QUARK (sl-tile-cache-error-quark, sl_tile_cache_error)

enum {
  TILE_READY,
  TILE_FAILED,
  SCENE_INVALIDATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a key wanted by the owners needs. */
typedef struct
{
  int     rank;       /* the best position in any owner's list */
  int     n_owners;
  GArray *last_list;  /* the last owner's list that counted (duplicates count once) */
} Want;

/* --- tiles --- */

SlTile *
sl_tile_new (const SlTileKey *key, GBytes *argb, SlTileContent content)
{
  SlTile *tile;

  g_return_val_if_fail (key != NULL, NULL);

  tile = g_new0 (SlTile, 1);
  tile->key = *key;
  tile->argb = argb ? g_bytes_ref (argb) : NULL;
  tile->content = content;
  return tile;
}

SlTile *
sl_tile_copy (const SlTile *tile)
{
  g_return_val_if_fail (tile != NULL, NULL);
  return sl_tile_new (&tile->key, tile->argb, tile->content);
}

void
sl_tile_free (SlTile *tile)
{
  if (tile == NULL)
    return;
  g_clear_pointer (&tile->argb, g_bytes_unref);
  g_free (tile);
}

static gboolean
key_is_valid (const SlTileKey *key)
{
  return key->z >= 0 && key->z <= SL_SITE_GRID_MAX_LEVELS && key->x >= 0 && key->y >= 0 &&
         key->x < (1 << key->z) && key->y < (1 << key->z);
}

static void
delivery_free (SlDelivery *d)
{
  g_clear_pointer (&d->tile, sl_tile_free);
  g_clear_error (&d->error);
  g_clear_pointer (&d->params, sl_render_params_free);
  g_free (d);
}

void
_sl_tile_cache_count (SlTileCache *self, SlTileStat stat)
{
  g_mutex_lock (&self->stats_lock);
  switch (stat)
    {
    case STAT_MEMORY_HIT:
      self->stats.memory_hits++;
      break;
    case STAT_STORE_HIT:
      self->stats.store_hits++;
      break;
    case STAT_SOURCE_READ:
      self->stats.source_reads++;
      break;
    case STAT_COALESCED:
    default:
      self->stats.coalesced++;
      break;
    }
  g_mutex_unlock (&self->stats_lock);
}

/* --- deliveries to the main context --- */

static gboolean
is_current (SlTileCache *self, const SlTileKey *key)
{
  g_autoptr(SlSceneInfo) info = _sl_tile_cache_dup_scene (self, key->scene_id);

  return info != NULL && info->generation == key->generation;
}

static void
forget_delivering (SlTileCache *self, const SlTileKey *key)
{
  g_mutex_lock (&self->deliver_lock);
  g_hash_table_remove (self->delivering, key);
  g_mutex_unlock (&self->deliver_lock);
}

static gboolean
dispatch_deliveries (gpointer data)
{
  g_autoptr(SlTileCache) self = g_object_ref (data);
  GQueue queue;
  SlDelivery *d;

  g_mutex_lock (&self->deliver_lock);
  queue = self->deliveries;
  g_queue_init (&self->deliveries);
  g_clear_pointer (&self->deliver_source, g_source_unref);
  g_mutex_unlock (&self->deliver_lock);

  while ((d = g_queue_pop_head (&queue)) != NULL)
    {
      /* In memory now, or never going to be (stale, disposed). */
      if (d->kind == DELIVERY_TILE && (self->scheduler == NULL || !is_current (self, &d->key)))
        forget_delivering (self, &d->key);
      /* A handler may have disposed of the cache. */
      if (self->scheduler == NULL)
        ;
      else if (d->kind == DELIVERY_RESOLVED)
        _sl_tile_cache_apply_resolved (self, d);
      else if (!is_current (self, &d->key))
        ;
      else if (d->kind == DELIVERY_TILE)
        {
          sl_tile_lru_insert (self->lru, sl_tile_copy (d->tile),
                              self->wanted != NULL && g_hash_table_contains (self->wanted, &d->key));
          forget_delivering (self, &d->key);
          g_signal_emit (self, signals[TILE_READY], 0, &d->key, d->tile);
        }
      else
        g_signal_emit (self, signals[TILE_FAILED], 0, &d->key, d->error);
      delivery_free (d);
    }
  return G_SOURCE_REMOVE;
}

void
_sl_tile_cache_deliver (SlTileCache *self, SlDelivery *delivery)
{
  g_mutex_lock (&self->deliver_lock);
  g_queue_push_tail (&self->deliveries, delivery);
  if (delivery->kind == DELIVERY_TILE)
    g_hash_table_add (self->delivering, g_memdup2 (&delivery->key, sizeof delivery->key));
  if (self->deliver_source == NULL)
    {
      GSource *source = g_idle_source_new ();

      /* Before GTK's layout and drawing, so a frame shows what arrived. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_deliveries, self, NULL);
      g_source_set_static_name (source, "[sitelapse] tile results");
      g_source_attach (source, self->context);
      self->deliver_source = source;
    }
  g_mutex_unlock (&self->deliver_lock);
}

void
_sl_tile_cache_add_recent (SlTileCache *self, const SlTile *tile)
{
  SlTile *copy = sl_tile_copy (tile);

  g_mutex_lock (&self->deliver_lock);
  g_clear_pointer (&self->recent[self->recent_next], sl_tile_free);
  self->recent[self->recent_next] = copy;
  self->recent_next = (self->recent_next + 1) % SL_TILE_CACHE_N_RECENT;
  g_mutex_unlock (&self->deliver_lock);
}

SlTile *
_sl_tile_cache_dup_in_memory (SlTileCache *self, const SlTileKey *key)
{
  SlTile *tile = NULL;

  if (self->lru != NULL && (tile = sl_tile_lru_dup (self->lru, key)) != NULL)
    return tile;
  g_mutex_lock (&self->deliver_lock);
  for (guint i = 0; i < SL_TILE_CACHE_N_RECENT && tile == NULL; i++)
    if (self->recent[i] != NULL && sl_tile_key_equal (&self->recent[i]->key, key))
      tile = sl_tile_copy (self->recent[i]);
  g_mutex_unlock (&self->deliver_lock);
  return tile;
}

/* --- GObject --- */

static void
sl_tile_cache_dispose (GObject *object)
{
  SlTileCache *self = SL_TILE_CACHE (object);

  if (self->project != NULL)
    {
      g_clear_signal_handler (&self->scenes_changed_id, self->project);
      g_clear_signal_handler (&self->render_changed_id, self->project);
    }
  /* Joins the workers (their GDAL handles close on them); queued work is dropped. */
  g_clear_pointer (&self->scheduler, sl_tile_scheduler_free);
  if (self->store != NULL)
    sl_tile_store_flush (self->store);
  g_clear_object (&self->store);

  g_mutex_lock (&self->deliver_lock);
  if (self->deliver_source != NULL)
    {
      g_source_destroy (self->deliver_source);
      g_clear_pointer (&self->deliver_source, g_source_unref);
    }
  g_queue_clear_full (&self->deliveries, (GDestroyNotify) delivery_free);
  g_hash_table_remove_all (self->delivering);
  for (guint i = 0; i < SL_TILE_CACHE_N_RECENT; i++)
    g_clear_pointer (&self->recent[i], sl_tile_free);
  g_mutex_unlock (&self->deliver_lock);

  g_clear_pointer (&self->lru, sl_tile_lru_free);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_hash_table_remove_all (self->owners);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (sl_tile_cache_parent_class)->dispose (object);
}

static void
sl_tile_cache_finalize (GObject *object)
{
  SlTileCache *self = SL_TILE_CACHE (object);

  g_hash_table_unref (self->scenes);
  g_hash_table_unref (self->store_zoom);
  g_hash_table_unref (self->owners);
  g_hash_table_unref (self->resolving);
  g_hash_table_unref (self->delivering);
  g_clear_pointer (&self->grid, sl_site_grid_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->project_path);
  g_mutex_clear (&self->scenes_lock);
  g_cond_clear (&self->scenes_cond);
  g_mutex_clear (&self->store_lock);
  g_mutex_clear (&self->deliver_lock);
  g_mutex_clear (&self->stats_lock);

  G_OBJECT_CLASS (sl_tile_cache_parent_class)->finalize (object);
}

static void
sl_tile_cache_class_init (SlTileCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_tile_cache_dispose;
  object_class->finalize = sl_tile_cache_finalize;

  /* (SlTileKey *key, const SlTile *tile): a tile some owner wanted is in memory. */
  signals[TILE_READY] =
    g_signal_new ("tile-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_POINTER);
  /* (SlTileKey *key, GError *error): once per key and generation. */
  signals[TILE_FAILED] =
    g_signal_new ("tile-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* (gint64 scene_id): the scene's keys changed; ask again. */
  signals[SCENE_INVALIDATED] =
    g_signal_new ("scene-invalidated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sl_tile_cache_init (SlTileCache *self)
{
  g_mutex_init (&self->scenes_lock);
  g_cond_init (&self->scenes_cond);
  g_mutex_init (&self->store_lock);
  g_mutex_init (&self->deliver_lock);
  g_mutex_init (&self->stats_lock);
  g_queue_init (&self->deliveries);
  self->delivering = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, NULL);
  self->scenes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) _sl_scene_info_unref);
  self->store_zoom = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->owners = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  self->resolving = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* --- public API --- */

SlTileCache *
sl_tile_cache_new (SlProject  *project,
                   gsize       budget_bytes,
                   guint       n_workers,
                   GError    **error)
{
  g_autoptr(SlTileCache) self = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();
  self = g_object_new (SL_TYPE_TILE_CACHE, NULL);
  self->project = g_object_ref (project);
  self->project_path = g_strdup (sl_project_get_path (project));
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
  self->store = sl_tile_store_new (self->project_path, error);
  if (self->store == NULL)
    return NULL;
  self->lru = sl_tile_lru_new (budget_bytes ? budget_bytes : default_budget ());
  self->scheduler = sl_tile_scheduler_new (n_workers ? n_workers : g_get_num_processors (),
                                           _sl_tile_cache_get_worker_funcs (), self);
  if (!_sl_tile_cache_load_scenes (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

SlSiteGrid *
sl_tile_cache_get_grid (SlTileCache *self)
{
  g_return_val_if_fail (SL_IS_TILE_CACHE (self), NULL);
  return self->grid;
}

void
sl_tile_cache_set_budget (SlTileCache *self, gsize budget_bytes)
{
  g_return_if_fail (SL_IS_TILE_CACHE (self));
  sl_tile_lru_set_budget (self->lru, budget_bytes ? budget_bytes : default_budget ());
}

SlTileKey
sl_tile_cache_key (SlTileCache *self, gint64 scene_id, int z, int x, int y)
{
  g_autoptr(SlSceneInfo) info = NULL;
  SlTileKey key = { scene_id, 0, z, x, y };

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), key);

  info = _sl_tile_cache_dup_scene (self, scene_id);
  if (info != NULL)
    key.generation = info->generation;
  return key;
}

/* -1 when the scene is unknown or cannot be placed. */
int
sl_tile_cache_get_native_zoom (SlTileCache *self, gint64 scene_id)
{
  g_autoptr(SlSceneInfo) info = NULL;

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), -1);

  info = _sl_tile_cache_dup_scene (self, scene_id);
  return info != NULL && info->placed ? info->native_zoom : -1;
}

gboolean
sl_tile_cache_get_footprint (SlTileCache *self, gint64 scene_id, SlBounds *bounds)
{
  g_autoptr(SlSceneInfo) info = NULL;

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  info = _sl_tile_cache_dup_scene (self, scene_id);
  if (info == NULL || !info->placed)
    return FALSE;
  *bounds = info->footprint;
  return TRUE;
}

const SlTile *
sl_tile_cache_lookup (SlTileCache *self, const SlTileKey *key)
{
  const SlTile *tile;

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (self->lru == NULL)
    return NULL;
  tile = sl_tile_lru_lookup (self->lru, key);
  if (tile != NULL)
    _sl_tile_cache_count (self, STAT_MEMORY_HIT);
  return tile;
}

/* Main thread: recomputes the union of the owners' wants and hands the keys that need work
 * to the scheduler. @owner's list just changed from @before (a set, or NULL). */
static void
update_wants (SlTileCache *self, gpointer owner, GHashTable *before)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, g_free);
  g_autoptr(GHashTable) ranks = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, NULL);
  g_autoptr(GArray) untold = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n_coalesced = 0;

  g_hash_table_iter_init (&iter, self->owners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *keys = value;

      for (guint i = 0; i < keys->len; i++)
        {
          const SlTileKey *k = &g_array_index (keys, SlTileKey, i);
          Want *want = g_hash_table_lookup (wanted, k);

          if (want == NULL)
            {
              want = g_new0 (Want, 1);
              want->rank = (int) i;
              want->last_list = keys;
              want->n_owners = 1;
              g_hash_table_insert (wanted, g_memdup2 (k, sizeof *k), want);
              continue;
            }
          want->rank = MIN (want->rank, (int) i);
          if (want->last_list != keys)
            {
              want->last_list = keys;
              want->n_owners++;
            }
        }
    }

  /* The changed owner's new keys that another owner wants already join that request. */
  if (owner != NULL && g_hash_table_lookup (self->owners, owner) != NULL)
    {
      GArray *keys = g_hash_table_lookup (self->owners, owner);
      g_autoptr(GHashTable) counted = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);

      for (guint i = 0; i < keys->len; i++)
        {
          const SlTileKey *k = &g_array_index (keys, SlTileKey, i);
          Want *want = g_hash_table_lookup (wanted, k);

          if (want->n_owners > 1 && (before == NULL || !g_hash_table_contains (before, k)) &&
              g_hash_table_add (counted, (gpointer) k))
            _sl_tile_cache_count (self, STAT_COALESCED);
        }
    }

  g_mutex_lock (&self->scenes_lock);
  g_hash_table_iter_init (&iter, wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const SlTileKey *k = key;
      SlSceneInfo *info = g_hash_table_lookup (self->scenes, &k->scene_id);

      /* Stale keys, and scenes whose stretch is being computed, wait for new keys. */
      if (info == NULL || info->generation != k->generation ||
          (!info->params->resolved && info->resolve_error == NULL))
        continue;
      if (sl_tile_lru_contains (self->lru, k))
        continue;
      g_hash_table_insert (ranks, g_memdup2 (k, sizeof *k), GINT_TO_POINTER (((Want *) value)->rank + 1));
    }
  g_mutex_unlock (&self->scenes_lock);

  /* Finished and on its way to memory: asking again would run it twice (alone: the delivery
   * lock nests in no other). */
  g_mutex_lock (&self->deliver_lock);
  g_hash_table_iter_init (&iter, ranks);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (self->delivering, key))
      g_hash_table_iter_remove (&iter);
  g_mutex_unlock (&self->deliver_lock);

  untold = sl_tile_scheduler_set_wanted (self->scheduler, ranks, &n_coalesced);
  for (guint i = 0; i < untold->len; i++)
    {
      SlTileFailure *f = &g_array_index (untold, SlTileFailure, i);
      SlDelivery *d = g_new0 (SlDelivery, 1);

      d->kind = DELIVERY_FAILURE;
      d->key = f->key;
      d->error = g_steal_pointer (&f->error);
      _sl_tile_cache_deliver (self, d);
    }
  sl_tile_lru_set_wanted (self->lru, wanted);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  self->wanted = g_steal_pointer (&wanted);
}

void
sl_tile_cache_want (SlTileCache     *self,
                    gpointer         owner,
                    const SlTileKey *keys,
                    guint            n_keys)
{
  g_autoptr(GHashTable) before = NULL;
  GArray *old, *list;

  g_return_if_fail (SL_IS_TILE_CACHE (self));
  g_return_if_fail (owner != NULL);
  g_return_if_fail (keys != NULL || n_keys == 0);

  if (self->scheduler == NULL)
    return;

  old = g_hash_table_lookup (self->owners, owner);
  if (old != NULL)
    {
      before = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
      for (guint i = 0; i < old->len; i++)
        g_hash_table_add (before, &g_array_index (old, SlTileKey, i));
    }

  list = g_array_sized_new (FALSE, FALSE, sizeof (SlTileKey), n_keys);
  for (guint i = 0; i < n_keys; i++)
    if (key_is_valid (&keys[i]))
      g_array_append_val (list, keys[i]);

  /* @before points into @old: keep it alive until the wants are updated. */
  if (old != NULL)
    g_array_ref (old);
  if (list->len > 0)
    g_hash_table_replace (self->owners, owner, list);
  else
    {
      g_hash_table_remove (self->owners, owner);
      g_array_unref (list);
    }
  update_wants (self, owner, before);
  if (old != NULL)
    g_array_unref (old);
}

void
sl_tile_cache_forget_owner (SlTileCache *self,
                            gpointer     owner)
{
  sl_tile_cache_want (self, owner, NULL, 0);
}

SlTile *
sl_tile_cache_get_sync (SlTileCache      *self,
                        const SlTileKey  *key,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(SlTileCache) hold = NULL;

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!key_is_valid (key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "There is no tile %d/%d/%d",
                   key->z, key->x, key->y);
      return NULL;
    }

  hold = g_object_ref (self);
  for (;;)
    {
      g_autoptr(SlSceneInfo) info = _sl_tile_cache_wait_resolved (self, key->scene_id, cancellable, error);
      g_autoptr(GError) local = NULL;
      SlTileKey k = *key;
      SlTile *tile;

      if (info == NULL)
        return NULL;
      k.generation = info->generation;
      tile = sl_tile_lru_dup (self->lru, &k);
      if (tile != NULL)
        {
          _sl_tile_cache_count (self, STAT_MEMORY_HIT);
          return tile;
        }
      tile = sl_tile_scheduler_run_sync (self->scheduler, &k, cancellable, &local);
      if (tile != NULL)
        {
          /* Only the main thread changes the memory tier. */
          if (g_thread_self () == self->owner && is_current (self, &k))
            sl_tile_lru_insert (self->lru, sl_tile_copy (tile),
                                self->wanted != NULL && g_hash_table_contains (self->wanted, &k));
          return tile;
        }
      /* Stale (a new generation came meanwhile): again, with the current one. */
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !g_cancellable_is_cancelled (cancellable))
        continue;
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
}

gboolean
sl_tile_cache_clear (SlTileCache  *self,
                     gint64        scene_id,
                     gboolean      persistent,
                     GError      **error)
{
  g_return_val_if_fail (SL_IS_TILE_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sl_tile_lru_drop (self->lru, scene_id, G_MAXUINT32);
  /* Forget failures too: clearing is how a user retries. */
  sl_tile_scheduler_drop (self->scheduler, scene_id, G_MAXUINT32);
  if (!persistent)
    return TRUE;
  sl_tile_store_flush (self->store);
  return sl_tile_store_clear (self->store, scene_id, error);
}

void
sl_tile_cache_get_stats (SlTileCache      *self,
                         SlTileCacheStats *stats)
{
  guint64 coalesced = 0;

  g_return_if_fail (SL_IS_TILE_CACHE (self));
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->stats_lock);
  *stats = self->stats;
  g_mutex_unlock (&self->stats_lock);
  sl_tile_scheduler_get_counts (self->scheduler, &stats->queued, &stats->running, &stats->cancelled,
                                &coalesced, &stats->failures);
  stats->coalesced += coalesced;
  sl_tile_lru_get_usage (self->lru, &stats->memory_bytes, &stats->memory_tiles, &stats->budget_bytes);
}
