/* sl-tile-cache-worker.c — what the tile cache's worker threads do
 *
 * A tile job: the project's tile table (this thread's read connection), else this thread's
 * own GDAL handle for the scene, rendered, encoded and queued to the store's writer. Each
 * worker keeps one SlRasterSource per scene, opened the first time it needs it and closed
 * on the same thread when the thread ends (when the cache is disposed) or the scene leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-cache"

#include "config.h"

#include <string.h>

#include "sl-tile-cache-private.h"
#include "sl-tile-codec.h"

/* One worker thread's own state. */
typedef struct
{
  SlTileCache *cache;
  GHashTable  *sources;  /* gint64 * → SourceSlot * */
  gint         epoch;    /* the cache's scenes_epoch when unused sources were last pruned */
} WorkerData;

typedef struct
{
  SlSceneInfo    *info;    /* the snapshot the source was opened for */
  SlRasterSource *source;
  GError         *error;   /* the open failed: not retried for this snapshot */
} SourceSlot;

/* Takes @argb (SL_TILE_BYTES). */
static SlTile *
tile_take (const SlTileKey *key, guint8 *argb, SlTileContent content)
{
  g_autoptr(GBytes) bytes = NULL;

  if (content == SL_TILE_CONTENT_EMPTY)
    g_free (argb);
  else
    bytes = g_bytes_new_take (argb, SL_TILE_BYTES);
  return sl_tile_new (key, bytes, content);
}

SlTile *
_sl_tile_cache_decode (const SlTileKey *key, GBytes *blob, GError **error)
{
  guint8 *argb = g_malloc (SL_TILE_BYTES);
  SlTileContent content;
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  if (!sl_tile_codec_decode (data, len, argb, &content, error))
    {
      g_free (argb);
      return NULL;
    }
  return tile_take (key, argb, content);
}

/* --- worker threads --- */

static void
source_slot_free (SourceSlot *slot)
{
  _sl_scene_info_unref (slot->info);
  g_clear_object (&slot->source);
  g_clear_error (&slot->error);
  g_free (slot);
}

static gpointer
worker_init (gpointer user_data)
{
  WorkerData *wd = g_new0 (WorkerData, 1);

  wd->cache = user_data;
  wd->sources = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) source_slot_free);
  wd->epoch = g_atomic_int_get (&wd->cache->scenes_epoch);
  return wd;
}

/* On the worker as it ends: its GDAL handles close on the thread that used them. */
static void
worker_free (gpointer thread_data)
{
  WorkerData *wd = thread_data;

  g_hash_table_unref (wd->sources);
  g_free (wd);
}

/* A source opened for @a serves @b when the file, the grid and the placement are the same
 * (a new stretch alone needs no new handle). */
static gboolean
same_source (SlSceneInfo *a, SlSceneInfo *b)
{
  double ta[6], tb[6];
  gboolean ha, hb;

  if (a == b)
    return TRUE;
  if (g_strcmp0 (a->path, b->path) != 0 || !sl_site_grid_equal (a->grid, b->grid))
    return FALSE;
  ha = sl_scene_get_pixel_to_site (a->scene, ta);
  hb = sl_scene_get_pixel_to_site (b->scene, tb);
  return ha == hb && (!ha || memcmp (ta, tb, sizeof ta) == 0);
}

SlRasterSource *
_sl_tile_cache_worker_source (gpointer thread_data, SlSceneInfo *info, GError **error)
{
  WorkerData *wd = thread_data;
  gint epoch = g_atomic_int_get (&wd->cache->scenes_epoch);
  SourceSlot *slot;

  if (epoch != wd->epoch)
    {
      GHashTableIter iter;
      gpointer key;

      /* Close the handles of scenes that left the project. */
      g_hash_table_iter_init (&iter, wd->sources);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_autoptr(SlSceneInfo) cur = _sl_tile_cache_dup_scene (wd->cache, *(gint64 *) key);

          if (cur == NULL)
            g_hash_table_iter_remove (&iter);
        }
      wd->epoch = epoch;
    }

  slot = g_hash_table_lookup (wd->sources, &info->id);
  if (slot != NULL && slot->source != NULL && same_source (slot->info, info))
    return slot->source;
  if (slot == NULL || slot->info != info)
    {
      slot = g_new0 (SourceSlot, 1);
      slot->info = _sl_scene_info_ref (info);
      slot->source = sl_raster_source_open (info->path, info->scene, info->grid, &slot->error);
      g_hash_table_replace (wd->sources, g_memdup2 (&info->id, sizeof info->id), slot);
    }
  if (slot->source != NULL)
    return slot->source;
  g_propagate_error (error, g_error_copy (slot->error));
  return NULL;
}

/* Not an error to remember: the key's generation is gone (or not started yet). */
static SlTile *
stale (GError **error, const SlTileKey *key)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
               "Tile %d/%d/%d of scene %" G_GINT64_FORMAT " is stale", key->z, key->x, key->y, key->scene_id);
  return NULL;
}

static void
store_tile (SlTileCache *self, SlSceneInfo *info, const SlTileKey *key, const guint8 *argb, SlTileContent content)
{
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;

  if (!_sl_tile_cache_can_store (info, key->z))
    return;
  blob = sl_tile_codec_encode (argb, content, &error);
  if (blob == NULL)
    {
      g_warning ("Cannot keep tile %d/%d/%d: %s", key->z, key->x, key->y, error->message);
      return;
    }
  sl_tile_store_write (self->store, key, blob);
}

/* A worker: the tile of @key through the store, then the source. */
static SlTile *
run_tile (const SlTileKey *key, gpointer thread_data, gpointer user_data, GError **error)
{
  SlTileCache *self = user_data;
  g_autoptr(SlSceneInfo) info = _sl_tile_cache_dup_scene (self, key->scene_id);
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) local = NULL;
  SlRasterSource *source;
  SlTileContent content;
  guint8 *argb;

  if (info == NULL || info->generation != key->generation)
    return stale (error, key);
  if (info->resolve_error != NULL)
    {
      g_propagate_error (error, g_error_copy (info->resolve_error));
      return NULL;
    }
  if (!info->params->resolved || !_sl_tile_cache_sync_store (self, info))
    return stale (error, key);

  blob = sl_tile_store_read (self->store, key, &local);
  if (local != NULL)
    g_debug ("%s", local->message);
  g_clear_error (&local);
  if (blob != NULL)
    {
      SlTile *tile = _sl_tile_cache_decode (key, blob, &local);

      if (tile != NULL)
        {
          _sl_tile_cache_count (self, STAT_STORE_HIT);
          return tile;
        }
      g_warning ("A stored tile of ‘%s’ is damaged, rendering it again: %s", self->project_path, local->message);
    }

  source = _sl_tile_cache_worker_source (thread_data, info, error);
  if (source == NULL)
    return NULL;
  argb = g_malloc (SL_TILE_BYTES);
  if (!sl_raster_source_render_tile (source, info->params, key->z, key->x, key->y, argb, &content, error))
    {
      g_free (argb);
      return NULL;
    }
  _sl_tile_cache_count (self, STAT_SOURCE_READ);
  store_tile (self, info, key, argb, content);
  return tile_take (key, argb, content);
}

/* A worker, after a job an owner asked for: the result goes to the main context. */
static void
job_finished (const SlTileKey *key, const SlTile *tile, const GError *error, gpointer user_data)
{
  SlTileCache *self = user_data;
  SlDelivery *d;

  if (error != NULL && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                        g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED)))
    return;
  d = g_new0 (SlDelivery, 1);
  d->key = *key;
  if (tile != NULL)
    {
      d->kind = DELIVERY_TILE;
      d->tile = sl_tile_copy (tile);
    }
  else
    {
      d->kind = DELIVERY_FAILURE;
      d->error = g_error_copy (error);
    }
  _sl_tile_cache_deliver (self, d);
}

static const SlTileSchedulerFuncs worker_funcs = {
  .thread_init = worker_init,
  .thread_free = worker_free,
  .run = run_tile,
  .finished = job_finished,
};

const SlTileSchedulerFuncs *
_sl_tile_cache_get_worker_funcs (void)
{
  return &worker_funcs;
}
