/* sl-scene-thumbnails.c — small pictures of a project's scenes, made from the tile cache
 *
 * A thumbnail is the scene's footprint drawn from the display tiles of the level at which
 * it spans between @size and 2 × @size pixels (never finer than the scene's native level).
 * No thread of its own: the object is one more owner of wants in the cache, the tiles come
 * back as "tile-ready" on the main thread, and when all of a scene's tiles are in (or have
 * failed: what came is drawn) they are laid side by side on whole pixels in a scratch
 * surface and reduced once with cairo's GOOD filter, so tile edges never show as seams.
 *
 * The tiles are kept (a reference to the cache's immutable pixels) as they arrive, so the
 * memory tier may evict them meanwhile. A new render generation ("scene-invalidated")
 * makes the thumbnail again; the old one is still returned until the new one is in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-thumbnails"

#include "config.h"

#include <math.h>

#include "sl-scene-thumbnails.h"

/* A thumbnail spans fewer than 2 × size + 2 pixels of its level per side: at size 512, 25 tiles. */
#define MAX_SIZE 512

typedef enum
{
  PIECE_WAITING,
  PIECE_READY,    /* pixels, or an EMPTY tile (argb NULL) */
  PIECE_FAILED,
} PieceState;

typedef struct
{
  PieceState  state;
  GBytes     *argb;
} Piece;

typedef enum
{
  THUMB_IDLE,         /* made (or never asked for again since) */
  THUMB_MAKING,       /* tiles asked for */
  THUMB_UNPLACEABLE,  /* the cache cannot place the scene: nothing to ask for */
  THUMB_FAILED,       /* no tile of it could be read in this generation */
} ThumbState;

typedef struct
{
  gint64      scene_id;
  ThumbState  state;
  GdkTexture *texture;     /* the last one made, perhaps of an older generation */
  guint64     seq;         /* when it was last asked for: the latest first */

  /* The plan of the job (MAKING), or of the texture or failure it led to. */
  guint32     generation;
  int         z;
  int         x0, y0, nx, ny;       /* the tiles, from (x0, y0) */
  double      px0, py0, px1, py1;   /* the footprint in level z's global pixels */
  int         width, height;        /* of the thumbnail */

  /* The job, while MAKING. */
  Piece      *pieces;               /* nx × ny, row by row */
  guint       n_waiting;
} Thumb;

struct _SlSceneThumbnails
{
  GObject      parent_instance;

  SlTileCache *cache;
  int          size;
  GHashTable  *thumbs;      /* gint64 * scene id → Thumb * */
  guint64      seq;
  guint        wants_idle;
  gulong       tile_ready_id;
  gulong       tile_failed_id;
  gulong       invalidated_id;
};

G_DEFINE_FINAL_TYPE (SlSceneThumbnails, sl_scene_thumbnails, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CACHE,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  THUMBNAIL_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_job (Thumb *t)
{
  for (int i = 0; t->pieces != NULL && i < t->nx * t->ny; i++)
    g_clear_pointer (&t->pieces[i].argb, g_bytes_unref);
  g_clear_pointer (&t->pieces, g_free);
  t->n_waiting = 0;
}

static void
thumb_free (Thumb *t)
{
  clear_job (t);
  g_clear_object (&t->texture);
  g_free (t);
}

/* The piece of @key if it belongs to the job of its scene. */
static Piece *
find_piece (SlSceneThumbnails *self,
            const SlTileKey   *key,
            Thumb            **thumb)
{
  Thumb *t = g_hash_table_lookup (self->thumbs, &key->scene_id);
  int i, j;

  if (t == NULL || t->state != THUMB_MAKING || key->generation != t->generation || key->z != t->z)
    return NULL;
  i = key->x - t->x0;
  j = key->y - t->y0;
  if (i < 0 || j < 0 || i >= t->nx || j >= t->ny)
    return NULL;
  *thumb = t;
  return &t->pieces[j * t->nx + i];
}

static void
take_tile (Thumb        *t,
           Piece        *piece,
           const SlTile *tile)
{
  g_assert (piece->state == PIECE_WAITING);
  piece->state = PIECE_READY;
  piece->argb = tile->argb != NULL ? g_bytes_ref (tile->argb) : NULL;
  t->n_waiting--;
}

static void
free_surface (gpointer data)
{
  cairo_surface_destroy (data);
}

/* The tiles side by side on whole pixels, then reduced once to the thumbnail. */
static GdkTexture *
composite (Thumb *t)
{
  int ix0 = (int) floor (t->px0), iy0 = (int) floor (t->py0);
  int iw = MAX (1, (int) ceil (t->px1) - ix0), ih = MAX (1, (int) ceil (t->py1) - iy0);
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, iw, ih);
  cairo_surface_t *out = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, t->width, t->height);
  int stride = cairo_image_surface_get_stride (out);
  g_autoptr(GBytes) bytes = NULL;
  cairo_pattern_t *pattern;
  cairo_t *cr;

  cr = cairo_create (scratch);
  for (int j = 0; j < t->ny; j++)
    for (int i = 0; i < t->nx; i++)
      {
        Piece *piece = &t->pieces[j * t->nx + i];
        cairo_surface_t *tile;

        if (piece->state != PIECE_READY || piece->argb == NULL)
          continue;
        /* Read only: cairo takes a non-const pointer for surfaces it may also draw into. */
        tile = cairo_image_surface_create_for_data ((guchar *) g_bytes_get_data (piece->argb, NULL),
                                                    CAIRO_FORMAT_ARGB32, SL_TILE_SIZE, SL_TILE_SIZE,
                                                    SL_TILE_STRIDE);
        cairo_set_source_surface (cr, tile,
                                  (double) (t->x0 + i) * SL_TILE_SIZE - ix0,
                                  (double) (t->y0 + j) * SL_TILE_SIZE - iy0);
        cairo_paint (cr);
        cairo_surface_destroy (tile);
      }
  cairo_destroy (cr);

  cr = cairo_create (out);
  cairo_scale (cr, t->width / (t->px1 - t->px0), t->height / (t->py1 - t->py0));
  cairo_set_source_surface (cr, scratch, ix0 - t->px0, iy0 - t->py0);
  pattern = cairo_get_source (cr);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
  /* The footprint lies inside the scratch surface: padding only keeps its edges opaque. */
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);

  /* cairo's ARGB32 is GDK_MEMORY_DEFAULT: the texture keeps the surface, no copy. */
  cairo_surface_flush (out);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (out), (gsize) stride * t->height,
                                      free_surface, out);
  return gdk_memory_texture_new (t->width, t->height, GDK_MEMORY_DEFAULT, bytes, stride);
}

/* All of a job's tiles are in: the thumbnail (announced when @notify), or none if no tile
 * could be read. */
static void
finish (SlSceneThumbnails *self,
        Thumb             *t,
        gboolean           notify)
{
  gboolean any = FALSE;

  g_assert (t->state == THUMB_MAKING && t->n_waiting == 0);
  for (int i = 0; i < t->nx * t->ny; i++)
    any |= t->pieces[i].state == PIECE_READY;

  if (!any)
    {
      t->state = THUMB_FAILED;
      clear_job (t);
      return;
    }
  g_clear_object (&t->texture);
  t->texture = composite (t);
  t->state = THUMB_IDLE;
  clear_job (t);
  if (notify)
    g_signal_emit (self, signals[THUMBNAIL_READY], 0, t->scene_id);
}

static int
compare_seq_latest_first (gconstpointer a,
                          gconstpointer b)
{
  const Thumb *ta = *(Thumb * const *) a, *tb = *(Thumb * const *) b;

  return (ta->seq < tb->seq) - (ta->seq > tb->seq);
}

/* Tells the cache what the jobs still wait for, the latest asked for first. */
static void
update_wants (SlSceneThumbnails *self)
{
  g_autoptr(GPtrArray) making = g_ptr_array_new ();
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  GHashTableIter iter;
  Thumb *t;

  g_hash_table_iter_init (&iter, self->thumbs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &t))
    if (t->state == THUMB_MAKING)
      g_ptr_array_add (making, t);
  g_ptr_array_sort (making, compare_seq_latest_first);

  for (guint k = 0; k < making->len; k++)
    {
      t = making->pdata[k];
      for (int j = 0; j < t->ny; j++)
        for (int i = 0; i < t->nx; i++)
          {
            SlTileKey key = { t->scene_id, t->generation, t->z, t->x0 + i, t->y0 + j };

            if (t->pieces[j * t->nx + i].state == PIECE_WAITING)
              g_array_append_val (keys, key);
          }
    }
  sl_tile_cache_want (self->cache, self, (SlTileKey *) keys->data, keys->len);
}

static gboolean
on_wants_idle (gpointer data)
{
  SlSceneThumbnails *self = data;

  self->wants_idle = 0;
  update_wants (self);
  return G_SOURCE_REMOVE;
}

/* Several thumbnails asked for in one go (a list binding its rows) make one request. */
static void
queue_wants (SlSceneThumbnails *self)
{
  if (self->wants_idle == 0)
    self->wants_idle = g_idle_add_full (G_PRIORITY_DEFAULT, on_wants_idle, self, NULL);
}

static gboolean
same_plan (const Thumb *a,
           const Thumb *b)
{
  return a->generation == b->generation && a->z == b->z && a->x0 == b->x0 && a->y0 == b->y0 &&
         a->nx == b->nx && a->ny == b->ny && a->px0 == b->px0 && a->py0 == b->py0 &&
         a->px1 == b->px1 && a->py1 == b->py1 && a->width == b->width && a->height == b->height;
}

/* Plans @t's tiles for the scene's current generation and takes those in memory already.
 * TRUE when they all were (the job can be finished at once). A plan that has not changed
 * (the cache also says "scene-invalidated" when a stretch turns out to need no work) keeps
 * its job, its thumbnail or its failure. */
static gboolean
start (SlSceneThumbnails *self,
       Thumb             *t)
{
  SlSiteGrid *grid = sl_tile_cache_get_grid (self->cache);
  int native = sl_tile_cache_get_native_zoom (self->cache, t->scene_id);
  SlBounds footprint;
  double fw, fh;
  Thumb plan = { 0 };
  int x1, y1;

  if (grid == NULL || native < 0 || !sl_tile_cache_get_footprint (self->cache, t->scene_id, &footprint) ||
      !(footprint.max_x > footprint.min_x && footprint.max_y > footprint.min_y))
    {
      /* Not on the grid (any more): no picture, and nothing to wait for. */
      clear_job (t);
      t->state = THUMB_UNPLACEABLE;
      g_clear_object (&t->texture);
      return FALSE;
    }

  fw = footprint.max_x - footprint.min_x;
  fh = footprint.max_y - footprint.min_y;
  plan.z = MIN (sl_site_grid_zoom_for_resolution (grid, MAX (fw, fh) / self->size), native);
  plan.generation = sl_tile_cache_key (self->cache, t->scene_id, plan.z, 0, 0).generation;
  sl_site_grid_site_to_pixel (grid, plan.z, footprint.min_x, footprint.max_y, &plan.px0, &plan.py0);
  sl_site_grid_site_to_pixel (grid, plan.z, footprint.max_x, footprint.min_y, &plan.px1, &plan.py1);
  sl_site_grid_tile_range (grid, plan.z, &footprint, &plan.x0, &plan.y0, &x1, &y1);
  plan.nx = x1 - plan.x0 + 1;
  plan.ny = y1 - plan.y0 + 1;
  g_assert (plan.nx > 0 && plan.ny > 0 && plan.nx * plan.ny <= 64);
  if (fw >= fh)
    {
      plan.width = self->size;
      plan.height = MAX (1, (int) round (self->size * fh / fw));
    }
  else
    {
      plan.height = self->size;
      plan.width = MAX (1, (int) round (self->size * fw / fh));
    }

  if (same_plan (t, &plan) &&
      (t->state == THUMB_MAKING || t->state == THUMB_FAILED || (t->state == THUMB_IDLE && t->texture != NULL)))
    return FALSE;

  clear_job (t);
  t->generation = plan.generation;
  t->z = plan.z;
  t->x0 = plan.x0;
  t->y0 = plan.y0;
  t->nx = plan.nx;
  t->ny = plan.ny;
  t->px0 = plan.px0;
  t->py0 = plan.py0;
  t->px1 = plan.px1;
  t->py1 = plan.py1;
  t->width = plan.width;
  t->height = plan.height;

  t->state = THUMB_MAKING;
  t->seq = ++self->seq;
  t->pieces = g_new0 (Piece, t->nx * t->ny);
  t->n_waiting = t->nx * t->ny;
  for (int j = 0; j < t->ny; j++)
    for (int i = 0; i < t->nx; i++)
      {
        SlTileKey key = { t->scene_id, t->generation, t->z, t->x0 + i, t->y0 + j };
        const SlTile *tile = sl_tile_cache_lookup (self->cache, &key);

        if (tile != NULL)
          take_tile (t, &t->pieces[j * t->nx + i], tile);
      }
  queue_wants (self);
  return t->n_waiting == 0;
}

static void
on_tile_ready (SlTileCache       *cache,
               SlTileKey         *key,
               const SlTile      *tile,
               SlSceneThumbnails *self)
{
  Thumb *t = NULL;
  Piece *piece = find_piece (self, key, &t);

  if (piece == NULL || piece->state != PIECE_WAITING)
    return;
  take_tile (t, piece, tile);
  if (t->n_waiting == 0)
    {
      finish (self, t, TRUE);
      queue_wants (self);
    }
}

static void
on_tile_failed (SlTileCache       *cache,
                SlTileKey         *key,
                GError            *error,
                SlSceneThumbnails *self)
{
  Thumb *t = NULL;
  Piece *piece = find_piece (self, key, &t);

  if (piece == NULL || piece->state != PIECE_WAITING)
    return;
  g_debug ("Thumbnail of scene %" G_GINT64_FORMAT " misses tile %d/%d/%d: %s",
           key->scene_id, key->z, key->x, key->y, error->message);
  piece->state = PIECE_FAILED;
  t->n_waiting--;
  if (t->n_waiting == 0)
    {
      finish (self, t, TRUE);
      queue_wants (self);
    }
}

static void
on_scene_invalidated (SlTileCache       *cache,
                      gint64             scene_id,
                      SlSceneThumbnails *self)
{
  Thumb *t = g_hash_table_lookup (self->thumbs, &scene_id);

  /* Only scenes someone asked for are made again. */
  if (t == NULL)
    return;
  if (start (self, t))
    finish (self, t, TRUE);
  else if (t->state == THUMB_UNPLACEABLE)
    queue_wants (self);
}

static void
sl_scene_thumbnails_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SlSceneThumbnails *self = SL_SCENE_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case PROP_SIZE:
      g_value_set_int (value, self->size);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_thumbnails_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SlSceneThumbnails *self = SL_SCENE_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      self->cache = g_value_dup_object (value);
      break;

    case PROP_SIZE:
      self->size = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_thumbnails_constructed (GObject *object)
{
  SlSceneThumbnails *self = SL_SCENE_THUMBNAILS (object);

  G_OBJECT_CLASS (sl_scene_thumbnails_parent_class)->constructed (object);

  g_assert (self->cache != NULL);
  self->tile_ready_id = g_signal_connect (self->cache, "tile-ready", G_CALLBACK (on_tile_ready), self);
  self->tile_failed_id = g_signal_connect (self->cache, "tile-failed", G_CALLBACK (on_tile_failed), self);
  self->invalidated_id = g_signal_connect (self->cache, "scene-invalidated",
                                           G_CALLBACK (on_scene_invalidated), self);
}

static void
sl_scene_thumbnails_dispose (GObject *object)
{
  SlSceneThumbnails *self = SL_SCENE_THUMBNAILS (object);

  g_clear_handle_id (&self->wants_idle, g_source_remove);
  if (self->cache != NULL)
    {
      g_clear_signal_handler (&self->tile_ready_id, self->cache);
      g_clear_signal_handler (&self->tile_failed_id, self->cache);
      g_clear_signal_handler (&self->invalidated_id, self->cache);
      sl_tile_cache_forget_owner (self->cache, self);
    }
  g_clear_object (&self->cache);
  g_hash_table_remove_all (self->thumbs);

  G_OBJECT_CLASS (sl_scene_thumbnails_parent_class)->dispose (object);
}

static void
sl_scene_thumbnails_finalize (GObject *object)
{
  SlSceneThumbnails *self = SL_SCENE_THUMBNAILS (object);

  g_hash_table_unref (self->thumbs);

  G_OBJECT_CLASS (sl_scene_thumbnails_parent_class)->finalize (object);
}

static void
sl_scene_thumbnails_class_init (SlSceneThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sl_scene_thumbnails_get_property;
  object_class->set_property = sl_scene_thumbnails_set_property;
  object_class->constructed = sl_scene_thumbnails_constructed;
  object_class->dispose = sl_scene_thumbnails_dispose;
  object_class->finalize = sl_scene_thumbnails_finalize;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL,
                         SL_TYPE_TILE_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZE] =
    g_param_spec_int ("size", NULL, NULL,
                      1, MAX_SIZE, 192,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (gint64 scene_id): a thumbnail was made, or made again after "scene-invalidated". */
  signals[THUMBNAIL_READY] =
    g_signal_new ("thumbnail-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
sl_scene_thumbnails_init (SlSceneThumbnails *self)
{
  self->size = 192;
  self->thumbs = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) thumb_free);
}

SlSceneThumbnails *
sl_scene_thumbnails_new (SlTileCache *cache,
                         int          size)
{
  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), NULL);
  g_return_val_if_fail (size > 0 && size <= MAX_SIZE, NULL);

  return g_object_new (SL_TYPE_SCENE_THUMBNAILS, "cache", cache, "size", size, NULL);
}

SlTileCache *
sl_scene_thumbnails_get_cache (SlSceneThumbnails *self)
{
  g_return_val_if_fail (SL_IS_SCENE_THUMBNAILS (self), NULL);

  return self->cache;
}

GdkTexture *
sl_scene_thumbnails_lookup (SlSceneThumbnails *self,
                            gint64             scene_id)
{
  Thumb *t;

  g_return_val_if_fail (SL_IS_SCENE_THUMBNAILS (self), NULL);

  if (scene_id <= 0 || self->cache == NULL)
    return NULL;

  t = g_hash_table_lookup (self->thumbs, &scene_id);
  if (t == NULL)
    {
      t = g_new0 (Thumb, 1);
      t->scene_id = scene_id;
      g_hash_table_insert (self->thumbs, &t->scene_id, t);
      /* All in memory already: made here, and returned without a signal. */
      if (start (self, t))
        finish (self, t, FALSE);
    }
  else if (t->state == THUMB_MAKING && t->seq != self->seq)
    {
      /* Asked for again (a hover): its tiles go first. */
      t->seq = ++self->seq;
      queue_wants (self);
    }

  return t->texture;
}
