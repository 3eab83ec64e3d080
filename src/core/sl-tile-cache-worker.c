/* sl-tile-cache-worker.c — what the tile cache's worker threads do
 *
 * A tile job: the project's tile table (this thread's read connection), else this thread's
 * own GDAL handle for the scene, rendered, delivered, then encoded and queued to the store's
 * writer. Coarse tiles of a source without overviews wait for the finer tiles wanted under
 * them and are averaged from those. Each worker keeps one SlRasterSource per scene, opened
 * the first time it needs it and closed on the same thread when the thread ends (when the
 * cache is disposed) or the scene leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-cache"

#include "config.h"

#include <string.h>

#include "sl-raster-source-private.h"
#include "sl-tile-cache-private.h"
#include "sl-tile-codec.h"

/* One worker thread's own state. */
typedef struct
{
  SlTileCache *cache;
  GHashTable  *sources;  /* gint64 * → SourceSlot * */
  gint         epoch;    /* the cache's scenes_epoch when unused sources were last pruned */
  SlSceneInfo *unstored; /* the last job's tile was read from this scene's source: store it
                          * once it is delivered (after_tile) */
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
  g_clear_pointer (&wd->unstored, _sl_scene_info_unref);
  g_free (wd);
}

/* A source opened for @a serves @b when the file, the grid and the placement (affine, or a
 * registration) are the same (a new stretch alone needs no new handle). */
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
  return ha == hb && (!ha || memcmp (ta, tb, sizeof ta) == 0) &&
         g_strcmp0 (sl_scene_get_registration (a->scene), sl_scene_get_registration (b->scene)) == 0;
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

/* --- coarse tiles from finer ones in memory --- */

/* A source without overviews is read whole for every coarse tile: from this many levels
 * above native on (8× and more), a coarse tile is averaged from finer tiles already in memory
 * when there are any, and waits for finer tiles that are on their way (defer_tile). Only for
 * sources where that average is what GDAL would give (can_compose): with nodata or masks GDAL
 * averages the valid pixels alone, and palettes are resampled by nearest neighbour. */
#define COMPOSE_MIN_LEVELS 3
#define COMPOSE_MAX_DEPTH  3

/* A source without overviews whose coarse tiles are the averages of finer ones. */
static gboolean
can_compose (SlRasterSource *source)
{
  return !sl_raster_source_has_overviews (source) && _sl_raster_source_can_average (source);
}

static gboolean
overlaps_footprint (SlSceneInfo *info, int z, int x, int y)
{
  SlBounds b;

  sl_site_grid_get_tile_bounds (info->grid, z, x, y, &b);
  return b.min_x < info->footprint.max_x && info->footprint.min_x < b.max_x &&
         b.min_y < info->footprint.max_y && info->footprint.min_y < b.max_y;
}

/* Whether some tile @depth levels under @key that the footprint touches is in memory. */
static gboolean
any_in_memory (SlTileCache *self, SlSceneInfo *info, const SlTileKey *key, int depth)
{
  int n = 1 << depth;

  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++)
      {
        SlTileKey k = { key->scene_id, key->generation, key->z + depth, (key->x << depth) + i, (key->y << depth) + j };
        g_autoptr(SlTile) tile = NULL;

        if (!overlaps_footprint (info, k.z, k.x, k.y))
          continue;
        if ((tile = _sl_tile_cache_dup_in_memory (self, &k)) != NULL)
          return TRUE;
      }
  return FALSE;
}

/* The pixels of @key (NULL: transparent) from memory, else averaged from its children
 * (@depth more levels at most), else read from this worker's source. FALSE when a read failed. */
static gboolean
gather (SlTileCache *self, SlSceneInfo *info, SlRasterSource *source, const SlTileKey *key, int depth,
        GBytes **pixels, SlTileContent *content)
{
  g_autoptr(SlTile) tile = NULL;
  GBytes *children[4] = { NULL, NULL, NULL, NULL };
  gboolean ok = TRUE;
  guint8 *argb;

  *pixels = NULL;
  *content = SL_TILE_CONTENT_EMPTY;
  if (!overlaps_footprint (info, key->z, key->x, key->y))
    return TRUE;
  if ((tile = _sl_tile_cache_dup_in_memory (self, key)) != NULL)
    {
      *pixels = tile->argb ? g_bytes_ref (tile->argb) : NULL;
      *content = tile->content;
      return TRUE;
    }

  argb = g_malloc (SL_TILE_BYTES);
  if (depth == 0)
    {
      if (!sl_raster_source_render_tile (source, info->params, key->z, key->x, key->y, argb, content, NULL))
        {
          g_free (argb);
          return FALSE;
        }
    }
  else
    {
      for (int q = 0; q < 4 && ok; q++)
        {
          SlTileKey k = { key->scene_id, key->generation, key->z + 1, 2 * key->x + (q & 1), 2 * key->y + (q >> 1) };
          SlTileContent c;

          ok = gather (self, info, source, &k, depth - 1, &children[q], &c);
        }
      if (ok)
        *content = _sl_tile_cache_average (children, argb);
      for (int q = 0; q < 4; q++)
        g_clear_pointer (&children[q], g_bytes_unref);
      if (!ok)
        {
          g_free (argb);
          return FALSE;
        }
    }
  if (*content == SL_TILE_CONTENT_EMPTY)
    g_free (argb);
  else
    *pixels = g_bytes_new_take (argb, SL_TILE_BYTES);
  return TRUE;
}

/* @key averaged from the finest of the next COMPOSE_MAX_DEPTH levels that has tiles in memory
 * (the missing ones read from the source at that level), or NULL when none has any or a read
 * failed (the caller then reads @key from the source, and reports its errors). */
static SlTile *
compose (SlTileCache *self, SlSceneInfo *info, SlRasterSource *source, const SlTileKey *key)
{
  g_autoptr(GBytes) pixels = NULL;
  SlTileContent content;
  int depth = 0;

  for (int d = COMPOSE_MAX_DEPTH; d >= 1 && depth == 0; d--)
    if (key->z + d <= info->native_zoom && any_in_memory (self, info, key, d))
      depth = d;
  if (depth == 0 || !gather (self, info, source, key, depth, &pixels, &content))
    return NULL;
  return sl_tile_new (key, pixels, content);
}

/* A worker, when a job comes up while finer jobs under it are pending: a coarse tile of a
 * source without overviews waits for them, to be averaged from them rather than read. */
static gboolean
defer_tile (const SlTileKey *key, gpointer thread_data, gpointer user_data)
{
  g_autoptr(SlSceneInfo) info = _sl_tile_cache_dup_scene (user_data, key->scene_id);
  g_autoptr(GBytes) stored = NULL;
  SlRasterSource *source;

  if (info == NULL || info->generation != key->generation || info->resolve_error != NULL ||
      !info->params->resolved || info->native_zoom - key->z < COMPOSE_MIN_LEVELS ||
      !_sl_tile_cache_sync_store (user_data, info))
    return FALSE;
  /* A stored tile is cheaper than anything: no waiting (and no source to open). */
  if ((stored = sl_tile_store_read (((SlTileCache *) user_data)->store, key, NULL)) != NULL)
    return FALSE;
  source = _sl_tile_cache_worker_source (thread_data, info, NULL);
  return source != NULL && can_compose (source);
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
  if (info->native_zoom - key->z >= COMPOSE_MIN_LEVELS && can_compose (source))
    {
      SlTile *tile = compose (self, info, source, key);

      if (tile != NULL)
        {
          g_clear_pointer (&((WorkerData *) thread_data)->unstored, _sl_scene_info_unref);
          ((WorkerData *) thread_data)->unstored = g_steal_pointer (&info);
          return tile;
        }
    }
  argb = g_malloc (SL_TILE_BYTES);
  if (!sl_raster_source_render_tile (source, info->params, key->z, key->x, key->y, argb, &content, error))
    {
      g_free (argb);
      return NULL;
    }
  _sl_tile_cache_count (self, STAT_SOURCE_READ);
  /* Encoded and queued for the store in after_tile, once the tile is on its way to the
   * screen: a first frame does not wait for the encoder. */
  g_clear_pointer (&((WorkerData *) thread_data)->unstored, _sl_scene_info_unref);
  ((WorkerData *) thread_data)->unstored = g_steal_pointer (&info);
  return tile_take (key, argb, content);
}

/* A worker, after a job's tile was handed out: a tile read from the source goes to the store. */
static void
after_tile (const SlTileKey *key, const SlTile *tile, gpointer thread_data, gpointer user_data)
{
  WorkerData *wd = thread_data;
  g_autoptr(SlSceneInfo) info = g_steal_pointer (&wd->unstored);

  if (info != NULL)
    store_tile (user_data, info, key, tile->argb ? g_bytes_get_data (tile->argb, NULL) : NULL, tile->content);
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
  if (tile != NULL && tile->argb != NULL)
    _sl_tile_cache_add_recent (self, tile);   /* before the main thread has it */
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
  .defer = defer_tile,
  .after = after_tile,
};

const SlTileSchedulerFuncs *
_sl_tile_cache_get_worker_funcs (void)
{
  return &worker_funcs;
}
