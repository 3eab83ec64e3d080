/* sl-tile-cache-pyramid.c — building a scene's display pyramid into the project
 *
 * The source is read once, at its native level; every coarser tile is the 2×2 box average
 * of its four children (premultiplied ARGB, so transparent pixels weigh nothing). That is
 * what makes a source without overviews cheap: GDAL would read it again for each level.
 *
 * The calling thread walks the native tiles in Z-order (a quadtree, depth first) and hands
 * them to the workers, a bounded number at a time. A worker that finishes the last child
 * of a tile averages it right away, and so on up, so the tiles waiting for siblings are at
 * most about three per level plus the window: memory stays flat whatever the image size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-cache"

#include "config.h"

#include <string.h>

#include "sl-tile-cache-private.h"
#include "sl-tile-codec.h"

/* Native tiles handed to the workers at once, per worker. */
#define WINDOW_PER_WORKER 4
#define PROGRESS_INTERVAL (50 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  GBytes   *pixels[4];  /* children by (y & 1) * 2 + (x & 1); NULL: transparent */
  guint8    have;
  guint8    need;
  gboolean  tainted;    /* a child failed: this tile is not stored */
} Node;

typedef struct
{
  SlTileCache   *cache;
  SlSceneInfo   *info;
  SlPyramidMode  mode;
  int            native;
  int            x0, y0, x1, y1;   /* native tiles covering the footprint */
  gboolean       fresh;            /* nothing stored yet: no store reads */
  guint          window;           /* native tiles handed out at most */

  GMutex         lock;             /* protects every field below */
  GCond          cond;             /* a native tile (and what it completed above) is done */
  GHashTable    *nodes;            /* SlTileKey * → Node *: tiles waiting for children */
  guint          in_flight;
  guint64        done;
  guint64        n_failed;
  GError        *first_error;
  gint           stop;             /* atomic: cancelled, or the source cannot be read */
} Build;

typedef struct
{
  Build *build;
  int    x, y;
} Leaf;

static void
node_free (Node *node)
{
  for (int i = 0; i < 4; i++)
    g_clear_pointer (&node->pixels[i], g_bytes_unref);
  g_free (node);
}

static void
level_range (Build *b, int z, int *x0, int *y0, int *x1, int *y1)
{
  int shift = b->native - z;

  *x0 = b->x0 >> shift;
  *y0 = b->y0 >> shift;
  *x1 = b->x1 >> shift;
  *y1 = b->y1 >> shift;
}

static gboolean
in_range (Build *b, int z, int x, int y)
{
  int x0, y0, x1, y1;

  level_range (b, z, &x0, &y0, &x1, &y1);
  return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

static guint64
count_tiles (Build *b)
{
  guint64 total = 0;

  for (int z = 0; z <= b->native; z++)
    {
      int x0, y0, x1, y1;

      level_range (b, z, &x0, &y0, &x1, &y1);
      total += (guint64) (x1 - x0 + 1) * (guint64) (y1 - y0 + 1);
    }
  return total;
}

/* The 2×2 box average of four tiles into one, with its content. */
SlTileContent
_sl_tile_cache_average (GBytes *const children[4], guint8 *out)
{
  const guint32 m = 0x00ff00ff;
  guint32 all = 0xffffffff, any = 0;
  const int half = SL_TILE_SIZE / 2;

  for (int q = 0; q < 4; q++)
    {
      const guint8 *src = children[q] ? g_bytes_get_data (children[q], NULL) : NULL;
      int ox = (q & 1) * half, oy = (q >> 1) * half;

      for (int j = 0; j < half; j++)
        {
          guint32 *dst = (guint32 *) (out + (gsize) (oy + j) * SL_TILE_STRIDE) + ox;

          if (src == NULL)
            {
              memset (dst, 0, half * 4);
              all = 0;
              continue;
            }
          {
            const guint32 *r0 = (const guint32 *) (src + (gsize) (2 * j) * SL_TILE_STRIDE);
            const guint32 *r1 = (const guint32 *) (src + (gsize) (2 * j + 1) * SL_TILE_STRIDE);

            for (int i = 0; i < half; i++)
              {
                guint32 a = r0[2 * i], b = r0[2 * i + 1], c = r1[2 * i], d = r1[2 * i + 1];
                /* Two channels per 32-bit lane pair: four 8-bit values sum to at most 1020. */
                guint32 lo = (a & m) + (b & m) + (c & m) + (d & m) + 0x00020002;
                guint32 hi = ((a >> 8) & m) + ((b >> 8) & m) + ((c >> 8) & m) + ((d >> 8) & m) + 0x00020002;
                guint32 p = ((lo >> 2) & m) | (((hi >> 2) & m) << 8);

                dst[i] = p;
                all &= p;
                any |= p;
              }
          }
        }
    }
  if ((any >> 24) == 0)
    return SL_TILE_CONTENT_EMPTY;
  return (all >> 24) == 0xff ? SL_TILE_CONTENT_OPAQUE : SL_TILE_CONTENT_PARTIAL;
}

static void
write_tile (Build *b, const SlTileKey *key, const guint8 *argb, SlTileContent content)
{
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;

  if (!_sl_tile_cache_can_store (b->info, key->z))
    return;
  blob = sl_tile_codec_encode (argb, content, &error);
  if (blob == NULL)
    g_warning ("Cannot keep tile %d/%d/%d: %s", key->z, key->x, key->y, error->message);
  else
    sl_tile_store_write (b->cache->store, key, blob);
}

/* A stored tile's pixels (*@pixels NULL when it is transparent); FALSE when not stored. */
static gboolean
read_stored (Build *b, const SlTileKey *key, GBytes **pixels)
{
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(SlTile) tile = NULL;

  if (b->fresh)
    return FALSE;
  blob = sl_tile_store_read (b->cache->store, key, NULL);
  if (blob == NULL || (tile = _sl_tile_cache_decode (key, blob, NULL)) == NULL)
    return FALSE;
  _sl_tile_cache_count (b->cache, STAT_STORE_HIT);
  *pixels = tile->argb ? g_bytes_ref (tile->argb) : NULL;
  return TRUE;
}

static void
fail (Build *b, GError *error)
{
  g_mutex_lock (&b->lock);
  b->n_failed++;
  if (b->first_error == NULL)
    b->first_error = g_error_copy (error);
  g_mutex_unlock (&b->lock);
  /* Only a source that cannot be opened stops the build; a bad block leaves a hole. */
  if (!g_error_matches (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ))
    g_atomic_int_set (&b->stop, TRUE);
}

/* A native tile: stored, or read from this worker's source. FALSE when it failed. */
static gboolean
make_leaf (Build *b, gpointer thread_data, int x, int y, GBytes **pixels)
{
  SlTileKey key = { b->info->id, b->info->generation, b->native, x, y };
  g_autoptr(GError) error = NULL;
  SlRasterSource *source;
  SlTileContent content;
  guint8 *argb;

  if (read_stored (b, &key, pixels))
    return TRUE;
  source = _sl_tile_cache_worker_source (thread_data, b->info, &error);
  argb = g_malloc (SL_TILE_BYTES);
  if (source == NULL ||
      !sl_raster_source_render_tile (source, b->info->params, key.z, x, y, argb, &content, &error))
    {
      g_free (argb);
      fail (b, error);
      return FALSE;
    }
  _sl_tile_cache_count (b->cache, STAT_SOURCE_READ);
  if (b->mode == SL_PYRAMID_FULL)
    write_tile (b, &key, argb, content);
  if (content == SL_TILE_CONTENT_EMPTY)
    g_free (argb);
  else
    *pixels = g_bytes_new_take (argb, SL_TILE_BYTES);
  return TRUE;
}

/* Tile (@z, @x, @y) from its complete @node: stored already, or averaged and stored. */
static GBytes *
combine (Build *b, int z, int x, int y, Node *node)
{
  SlTileKey key = { b->info->id, b->info->generation, z, x, y };
  GBytes *pixels = NULL;
  SlTileContent content;
  guint8 *argb;

  if (read_stored (b, &key, &pixels))
    return pixels;
  argb = g_malloc (SL_TILE_BYTES);
  content = _sl_tile_cache_average (node->pixels, argb);
  write_tile (b, &key, argb, content);
  if (content == SL_TILE_CONTENT_EMPTY)
    {
      g_free (argb);
      return NULL;
    }
  return g_bytes_new_take (argb, SL_TILE_BYTES);
}

/* Hands a finished tile to its parent; completes the parents it was the last child of. */
static void
climb (Build *b, int z, int x, int y, GBytes *pixels, gboolean tainted)
{
  for (;;)
    {
      SlTileKey parent = { 0, 0, z - 1, x / 2, y / 2 };
      Node *node;

      g_mutex_lock (&b->lock);
      b->done++;
      if (z == 0)
        {
          g_mutex_unlock (&b->lock);
          g_clear_pointer (&pixels, g_bytes_unref);
          return;
        }
      node = g_hash_table_lookup (b->nodes, &parent);
      if (node == NULL)
        {
          node = g_new0 (Node, 1);
          for (int i = 0; i < 4; i++)
            node->need += in_range (b, z, 2 * parent.x + (i & 1), 2 * parent.y + (i >> 1));
          g_hash_table_insert (b->nodes, g_memdup2 (&parent, sizeof parent), node);
        }
      node->pixels[(y & 1) * 2 + (x & 1)] = pixels;
      node->tainted |= tainted;
      if (++node->have < node->need)
        {
          g_mutex_unlock (&b->lock);
          return;
        }
      {
        gpointer stolen_key = NULL;

        g_hash_table_steal_extended (b->nodes, &parent, &stolen_key, NULL);
        g_free (stolen_key);
      }
      g_mutex_unlock (&b->lock);

      tainted = node->tainted || g_atomic_int_get (&b->stop);
      pixels = tainted ? NULL : combine (b, parent.z, parent.x, parent.y, node);
      node_free (node);
      z = parent.z, x = parent.x, y = parent.y;
    }
}

static void
run_leaf (gpointer thread_data, gpointer data)
{
  Leaf *leaf = data;
  Build *b = leaf->build;
  GBytes *pixels = NULL;
  gboolean ok = FALSE;

  /* Dropped unrun (the cache is closing) or stopped: still climb, so parents complete. */
  if (thread_data != NULL && !g_atomic_int_get (&b->stop))
    ok = make_leaf (b, thread_data, leaf->x, leaf->y, &pixels);
  if (thread_data == NULL)
    g_atomic_int_set (&b->stop, TRUE);
  climb (b, b->native, leaf->x, leaf->y, pixels, !ok);

  g_mutex_lock (&b->lock);
  /* Wake the walker only when half the window is free: fewer context switches. */
  if (--b->in_flight <= b->window / 2)
    g_cond_broadcast (&b->cond);
  g_mutex_unlock (&b->lock);
  g_free (leaf);
}

typedef struct
{
  SlTileProgress  func;
  gpointer        data;
  guint64         base;   /* done by earlier scenes */
  guint64         total;
  gint64          last;   /* monotonic time of the last report */
  GCancellable   *cancellable;
} Progress;

static void
report (Progress *p, guint64 done, gboolean force)
{
  gint64 now = g_get_monotonic_time ();

  if (p->func == NULL || (!force && now - p->last < PROGRESS_INTERVAL))
    return;
  p->last = now;
  p->func (p->base + done, p->total, p->data);
}

/* The calling thread, with b->lock held: waits until at most @limit (≤ window / 2) native
 * tiles are out, reporting progress and watching for cancellation meanwhile. */
static void
wait_below (Build *b, guint limit, Progress *p)
{
  while (b->in_flight > limit)
    {
      guint64 done;

      g_cond_wait_until (&b->cond, &b->lock, g_get_monotonic_time () + PROGRESS_INTERVAL);
      done = b->done;
      g_mutex_unlock (&b->lock);
      report (p, done, FALSE);
      if (g_cancellable_is_cancelled (p->cancellable))
        g_atomic_int_set (&b->stop, TRUE);
      g_mutex_lock (&b->lock);
    }
}

/* Depth first over the quadtree, children in Z-order, pruned to the footprint. */
static void
visit (Build *b, int z, int x, int y, Progress *p)
{
  if (g_atomic_int_get (&b->stop) || !in_range (b, z, x, y))
    return;
  if (z < b->native)
    {
      for (int i = 0; i < 4; i++)
        visit (b, z + 1, 2 * x + (i & 1), 2 * y + (i >> 1), p);
      return;
    }

  g_mutex_lock (&b->lock);
  if (b->in_flight >= b->window)
    wait_below (b, b->window / 2, p);
  if (g_atomic_int_get (&b->stop))
    {
      g_mutex_unlock (&b->lock);
      return;
    }
  b->in_flight++;
  g_mutex_unlock (&b->lock);
  {
    Leaf *leaf = g_new0 (Leaf, 1);

    leaf->build = b;
    leaf->x = x;
    leaf->y = y;
    sl_tile_scheduler_push_task (b->cache->scheduler, SL_TILE_PRIORITY_BACKGROUND, run_leaf, leaf);
  }
}

static gboolean
nothing_stored (SlTileCache *self, gint64 scene_id)
{
  g_autoptr(GArray) stats = NULL;

  sl_tile_store_flush (self->store);
  stats = sl_tile_store_get_stats (self->store, NULL);
  if (stats == NULL)
    return FALSE;
  for (guint i = 0; i < stats->len; i++)
    {
      SlTileStoreStats *s = &g_array_index (stats, SlTileStoreStats, i);

      if (s->scene_id == scene_id)
        return s->n_tiles == 0;
    }
  return TRUE;
}

static void
init_build (Build *b, SlTileCache *self, SlSceneInfo *info, SlPyramidMode mode)
{
  memset (b, 0, sizeof *b);
  b->cache = self;
  b->info = info;
  b->mode = mode;
  b->native = info->native_zoom;
  sl_site_grid_tile_range (info->grid, b->native, &info->footprint, &b->x0, &b->y0, &b->x1, &b->y1);
}

static gboolean
build_scene (SlTileCache *self, SlSceneInfo *info, SlPyramidMode mode, Progress *p, GError **error)
{
  Build b;
  gboolean ok = TRUE;

  init_build (&b, self, info, mode);
  b.window = WINDOW_PER_WORKER * sl_tile_scheduler_get_n_workers (self->scheduler);
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);
  b.nodes = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, (GDestroyNotify) node_free);

  if (!_sl_tile_cache_sync_store (self, info))
    g_atomic_int_set (&b.stop, TRUE);
  else
    b.fresh = nothing_stored (self, info->id);

  visit (&b, 0, 0, 0, p);
  g_mutex_lock (&b.lock);
  wait_below (&b, 0, p);
  g_mutex_unlock (&b.lock);
  sl_tile_store_flush (self->store);

  if (g_cancellable_set_error_if_cancelled (p->cancellable, error))
    ok = FALSE;
  else if (b.first_error != NULL && g_atomic_int_get (&b.stop))
    {
      g_propagate_error (error, g_steal_pointer (&b.first_error));
      ok = FALSE;
    }
  else if (b.first_error != NULL)
    {
      g_set_error (error, SL_TILE_CACHE_ERROR, SL_TILE_CACHE_ERROR_PARTIAL,
                   "%" G_GUINT64_FORMAT " tile%s of ‘%s’ could not be read (%s)", b.n_failed,
                   b.n_failed == 1 ? "" : "s", info->path, b.first_error->message);
      ok = FALSE;
    }
  else if (g_atomic_int_get (&b.stop))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The tile cache of ‘%s’ was closed", self->project_path);
      ok = FALSE;
    }
  p->base += b.done;

  g_clear_error (&b.first_error);
  g_hash_table_unref (b.nodes);
  g_cond_clear (&b.cond);
  g_mutex_clear (&b.lock);
  return ok;
}

static int
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 ia = *(const gint64 *) a, ib = *(const gint64 *) b;

  return ia < ib ? -1 : ia > ib;
}

static guint64
scene_total (SlTileCache *self, SlSceneInfo *info)
{
  Build b;

  init_build (&b, self, info, SL_PYRAMID_FULL);
  return count_tiles (&b);
}

gboolean
sl_tile_cache_build_pyramid (SlTileCache     *self,
                             gint64           scene_id,
                             SlPyramidMode    mode,
                             SlTileProgress   progress,
                             gpointer         user_data,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr(SlTileCache) hold = NULL;
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) _sl_scene_info_unref);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) first = NULL;
  Progress p = { progress, user_data, 0, 0, 0, cancellable };

  g_return_val_if_fail (SL_IS_TILE_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  hold = g_object_ref (self);
  if (scene_id != 0)
    g_array_append_val (ids, scene_id);
  else
    {
      GHashTableIter iter;
      gpointer key;

      g_mutex_lock (&self->scenes_lock);
      g_hash_table_iter_init (&iter, self->scenes);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_array_append_val (ids, *(gint64 *) key);
      g_mutex_unlock (&self->scenes_lock);
      g_array_sort (ids, compare_ids);
    }

  /* Every stretch resolved first (that may start new generations), then the totals. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local = NULL;
      SlSceneInfo *info = _sl_tile_cache_wait_resolved (self, g_array_index (ids, gint64, i), cancellable, &local);

      if (info != NULL && !info->placed)
        {
          g_set_error (&local, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot place ‘%s’ on the site grid", info->path);
          g_clear_pointer (&info, _sl_scene_info_unref);
        }
      if (info == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) || scene_id != 0)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (first == NULL)
            first = g_steal_pointer (&local);
          continue;
        }
      g_ptr_array_add (infos, info);
      p.total += scene_total (self, info);
    }

  report (&p, 0, TRUE);
  for (guint i = 0; i < infos->len; i++)
    {
      g_autoptr(GError) local = NULL;

      if (!build_scene (self, infos->pdata[i], mode, &p, &local))
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CLOSED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (first == NULL)
            first = g_steal_pointer (&local);
        }
    }
  report (&p, 0, TRUE);

  if (first != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  return TRUE;
}

gboolean
sl_tile_cache_warm (SlTileCache     *self,
                    gint64           scene_id,
                    SlTileProgress   progress,
                    gpointer         user_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  return sl_tile_cache_build_pyramid (self, scene_id, SL_PYRAMID_FULL, progress, user_data, cancellable, error);
}

/* --- in the background --- */

typedef struct
{
  gint64          scene_id;
  SlPyramidMode   mode;
  SlTileProgress  progress;
  gpointer        progress_data;
  GDestroyNotify  progress_data_free;
  GMainContext   *context;

  GMutex          lock;       /* protects done, total, pending */
  guint64         done, total;
  gboolean        pending;    /* a report is on its way to the main context */
} AsyncBuild;

static void
async_build_free (AsyncBuild *ab)
{
  if (ab->progress_data_free)
    ab->progress_data_free (ab->progress_data);
  g_main_context_unref (ab->context);
  g_mutex_clear (&ab->lock);
}

static void
async_build_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) async_build_free);
}

static gboolean
report_on_main (gpointer data)
{
  AsyncBuild *ab = data;
  guint64 done, total;

  g_mutex_lock (&ab->lock);
  done = ab->done;
  total = ab->total;
  ab->pending = FALSE;
  g_mutex_unlock (&ab->lock);
  ab->progress (done, total, ab->progress_data);
  return G_SOURCE_REMOVE;
}

static void
forward_progress (guint64 done, guint64 total, gpointer data)
{
  AsyncBuild *ab = data;
  gboolean schedule;

  g_mutex_lock (&ab->lock);
  ab->done = done;
  ab->total = total;
  schedule = !ab->pending;
  ab->pending = TRUE;
  g_mutex_unlock (&ab->lock);
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, report_on_main, g_atomic_rc_box_acquire (ab), async_build_release);
      g_source_set_static_name (source, "[sitelapse] pyramid progress");
      g_source_attach (source, ab->context);
      g_source_unref (source);
    }
}

static void
run_build (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  AsyncBuild *ab = task_data;
  GError *error = NULL;

  if (sl_tile_cache_build_pyramid (source_object, ab->scene_id, ab->mode,
                                   ab->progress ? forward_progress : NULL, ab, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sl_tile_cache_build_pyramid_async (SlTileCache         *self,
                                   gint64               scene_id,
                                   SlPyramidMode        mode,
                                   SlTileProgress       progress,
                                   gpointer             progress_data,
                                   GDestroyNotify       progress_data_free,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncBuild *ab;

  g_return_if_fail (SL_IS_TILE_CACHE (self));

  ab = g_atomic_rc_box_new0 (AsyncBuild);
  ab->scene_id = scene_id;
  ab->mode = mode;
  ab->progress = progress;
  ab->progress_data = progress_data;
  ab->progress_data_free = progress_data_free;
  ab->context = g_main_context_ref_thread_default ();
  g_mutex_init (&ab->lock);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_tile_cache_build_pyramid_async);
  g_task_set_task_data (task, ab, async_build_release);
  g_task_run_in_thread (task, run_build);
}

gboolean
sl_tile_cache_build_pyramid_finish (SlTileCache   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
