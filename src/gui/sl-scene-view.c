/* sl-scene-view.c — one pane: a scene drawn through the tile cache, panned and zoomed
 *
 * This file holds the properties, follows the tile cache and decides what to ask it for:
 * once a frame (in the tick callback, before layout and paint) when the viewport, the size
 * or the scale factor changed. Drawing is in sl-scene-view-paint.c, input in
 * sl-scene-view-input.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-view"

#include "config.h"

#include <math.h>

#include "sl-scene-view-private.h"

/* Levels above the drawn one whose few tiles are asked for first: they cover the whole view
 * quickly while the sharp tiles load (2³ × 2³ drawn tiles per coarse tile). */
#define COARSE_LEVELS 3

G_DEFINE_FINAL_TYPE (SlSceneView, sl_scene_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CACHE,
  PROP_VIEWPORT,
  PROP_SCENE_ID,
  PROP_PENDING_TILES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  POINTER_CHANGED,
  TILE_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  int    x, y;
  double distance;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  return (ca->distance > cb->distance) - (ca->distance < cb->distance);
}

static gboolean
get_visible_part (SlSceneView *self,
                  int          width,
                  int          height,
                  SlBounds    *visible)
{
  SlBounds footprint;

  sl_viewport_get_visible_bounds (self->viewport, width, height, visible);
  if (!sl_tile_cache_get_footprint (self->cache, self->scene_id, &footprint))
    return FALSE;
  visible->min_x = MAX (visible->min_x, footprint.min_x);
  visible->max_x = MIN (visible->max_x, footprint.max_x);
  visible->min_y = MAX (visible->min_y, footprint.min_y);
  visible->max_y = MIN (visible->max_y, footprint.max_y);
  return visible->min_x < visible->max_x && visible->min_y < visible->max_y;
}

gboolean
_sl_scene_view_get_tile_range (SlSceneView *self,
                               int          width,
                               int          height,
                               int          scale,
                               int         *z,
                               int         *x0,
                               int         *y0,
                               int         *x1,
                               int         *y1)
{
  SlSiteGrid *grid;
  SlBounds visible;
  int native;

  if (self->cache == NULL || self->viewport == NULL || self->scene_id == 0 || width <= 0 || height <= 0)
    return FALSE;
  grid = sl_viewport_get_grid (self->viewport);
  native = sl_tile_cache_get_native_zoom (self->cache, self->scene_id);
  if (grid == NULL || native < 0 || !get_visible_part (self, width, height, &visible))
    return FALSE;

  /* Never finer than the scene itself: above 100 % its own tiles are magnified. */
  *z = MIN (sl_viewport_get_level (self->viewport, scale), native);
  sl_site_grid_tile_range (grid, *z, &visible, x0, y0, x1, y1);
  return TRUE;
}

/* Appends the tiles of level @z in view, nearest to the centre of the view first. */
static void
append_level (SlSceneView *self,
              GArray      *keys,
              int          z,
              int          width,
              int          height)
{
  SlSiteGrid *grid = sl_viewport_get_grid (self->viewport);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  SlBounds visible;
  double cx, cy;
  int x0, y0, x1, y1;

  if (!get_visible_part (self, width, height, &visible))
    return;
  sl_site_grid_tile_range (grid, z, &visible, &x0, &y0, &x1, &y1);
  sl_site_grid_site_to_pixel (grid, z, sl_viewport_get_center_x (self->viewport),
                              sl_viewport_get_center_y (self->viewport), &cx, &cy);
  cx /= SL_TILE_SIZE;
  cy /= SL_TILE_SIZE;

  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        Candidate c = { x, y, (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) };
        g_array_append_val (candidates, c);
      }
  g_array_sort (candidates, compare_candidates);

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);
      SlTileKey key = { self->scene_id, self->generation, z, c->x, c->y };

      g_array_append_val (keys, key);
    }
}

static void
set_pending (SlSceneView *self)
{
  guint n = g_hash_table_size (self->pending);

  if (self->has_stale_generation && n == 0)
    self->has_stale_generation = FALSE;

  /* SITELAPSE_DEBUG=frames: how long the view waited for its tiles. */
  if (n > 0 && self->loading_since == 0)
    {
      self->loading_since = g_get_monotonic_time ();
      self->loading_max = n;
    }
  self->loading_max = MAX (self->loading_max, n);
  if (n == 0 && self->loading_since != 0)
    {
      if (self->debug_flags & SL_SCENE_VIEW_DEBUG_FRAMES)
        g_message ("%u tiles loaded in %.1f ms", self->loading_max,
                   (g_get_monotonic_time () - self->loading_since) / 1000.0);
      self->loading_since = 0;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_TILES]);
}

static void
clear_wants (SlSceneView *self)
{
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->wanted);
  if (self->cache != NULL)
    sl_tile_cache_forget_owner (self->cache, self);
}

/* What this view needs now, most important first: a few coarse tiles that cover the view,
 * the tiles of the drawn level from the centre out, then the level above them (what zooming
 * out or a fallback needs next). */
static void
recompute_wants (SlSceneView *self)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int z, x0, y0, x1, y1, coarse;
  guint32 generation;

  self->wants_dirty = FALSE;
  self->last_width = width;
  self->last_height = height;
  self->last_scale = scale;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !_sl_scene_view_get_tile_range (self, width, height, scale, &z, &x0, &y0, &x1, &y1))
    {
      clear_wants (self);
      set_pending (self);
      return;
    }

  generation = sl_tile_cache_key (self->cache, self->scene_id, 0, 0, 0).generation;
  if (self->has_generation && generation != self->generation)
    {
      /* A new stretch: the old tiles still stand in until the new ones arrive. */
      self->stale_generation = self->generation;
      self->has_stale_generation = TRUE;
    }
  self->generation = generation;
  self->has_generation = TRUE;

  coarse = MAX (0, z - COARSE_LEVELS);
  if (coarse < z)
    append_level (self, keys, coarse, width, height);
  append_level (self, keys, z, width, height);
  if (z - 1 > coarse)
    append_level (self, keys, z - 1, width, height);

  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->wanted);
  for (guint i = 0; i < keys->len; i++)
    {
      SlTileKey *key = g_memdup2 (&g_array_index (keys, SlTileKey, i), sizeof (SlTileKey));

      g_hash_table_add (self->wanted, key);
      if (!g_hash_table_contains (self->failed, key) && sl_tile_cache_lookup (self->cache, key) == NULL)
        g_hash_table_add (self->pending, key);
    }
  sl_tile_cache_want (self->cache, self, (SlTileKey *) keys->data, keys->len);
  set_pending (self);
  _sl_scene_view_add_timing (&self->wants_times, g_get_monotonic_time () - start);
}

static gboolean
try_fit (SlSceneView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  SlBounds footprint;

  if (!self->fit_pending || self->cache == NULL || self->viewport == NULL || self->scene_id == 0 ||
      width <= 0 || height <= 0 || sl_viewport_get_grid (self->viewport) == NULL ||
      !sl_tile_cache_get_footprint (self->cache, self->scene_id, &footprint))
    return FALSE;

  self->fit_pending = FALSE;
  /* Margin 0, as `sitelapse-cli render` fits a scene. */
  sl_viewport_fit (self->viewport, &footprint, width, height, 0);
  return TRUE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  SlSceneView *self = SL_SCENE_VIEW (widget);
  gboolean more = _sl_scene_view_step_motion (self, gdk_frame_clock_get_frame_time (frame_clock));

  try_fit (self);
  if (self->wants_dirty)
    recompute_wants (self);
  if (more)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

void
_sl_scene_view_schedule_tick (SlSceneView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

static void
invalidate (SlSceneView *self)
{
  self->wants_dirty = TRUE;
  _sl_scene_view_schedule_tick (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_sl_scene_view_notify_pointer (SlSceneView *self)
{
  g_signal_emit (self, signals[POINTER_CHANGED], 0);
}

static void
on_viewport_notify (SlSceneView *self,
                    GParamSpec  *pspec,
                    SlViewport  *viewport)
{
  invalidate (self);
  if (self->has_pointer)
    _sl_scene_view_notify_pointer (self);
}

static void
on_tile_ready (SlTileCache  *cache,
               SlTileKey    *key,
               const SlTile *tile,
               SlSceneView  *self)
{
  /* Only what this view asked for changes what it draws. */
  if (!g_hash_table_contains (self->wanted, key))
    return;
  if (g_hash_table_remove (self->pending, key))
    set_pending (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_tile_failed (SlTileCache *cache,
                SlTileKey   *key,
                GError      *error,
                SlSceneView *self)
{
  if (!g_hash_table_contains (self->wanted, key))
    return;

  g_hash_table_replace (self->failed, g_memdup2 (key, sizeof *key), g_strdup (error->message));
  if (g_hash_table_remove (self->pending, key))
    set_pending (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* Once per scene and generation: a damaged file fails many tiles for one reason. */
  if (!self->reported)
    {
      self->reported = TRUE;
      g_signal_emit (self, signals[TILE_ERROR], 0, error);
    }
}

static gboolean
is_failure_of_scene (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  return ((SlTileKey *) key)->scene_id == *(gint64 *) user_data;
}

static void
on_scene_invalidated (SlTileCache *cache,
                      gint64       scene_id,
                      SlSceneView *self)
{
  if (scene_id != self->scene_id)
    return;

  /* New keys (a new generation, or the scene moved or left): ask again. */
  g_hash_table_foreach_remove (self->failed, is_failure_of_scene, &scene_id);
  self->reported = FALSE;
  invalidate (self);
}

static void
disconnect_cache (SlSceneView *self)
{
  if (self->cache == NULL)
    return;
  g_clear_signal_handler (&self->tile_ready_id, self->cache);
  g_clear_signal_handler (&self->tile_failed_id, self->cache);
  g_clear_signal_handler (&self->invalidated_id, self->cache);
  clear_wants (self);
}

static void
reset_scene_state (SlSceneView *self)
{
  /* The previous scene's tiles are not wanted any more, from now on. */
  clear_wants (self);
  g_hash_table_remove_all (self->failed);
  self->has_generation = FALSE;
  self->has_stale_generation = FALSE;
  self->reported = FALSE;
  _sl_scene_view_clear_textures (self);
  set_pending (self);
}

static void
sl_scene_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SlSceneView *self = SL_SCENE_VIEW (widget);

  /* Fitting here would change the viewport, and the widgets following it, in the middle of
   * layout: the tick callback fits before the next layout instead. */
  if (self->fit_pending)
    _sl_scene_view_schedule_tick (self);
  if (width != self->last_width || height != self->last_height ||
      gtk_widget_get_scale_factor (widget) != self->last_scale)
    {
      self->wants_dirty = TRUE;
      _sl_scene_view_schedule_tick (self);
    }
}

static void
sl_scene_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sl_scene_view_parent_class)->realize (widget);
  _sl_scene_view_realize_paint (SL_SCENE_VIEW (widget));
}

static void
sl_scene_view_unrealize (GtkWidget *widget)
{
  _sl_scene_view_unrealize_paint (SL_SCENE_VIEW (widget));
  GTK_WIDGET_CLASS (sl_scene_view_parent_class)->unrealize (widget);
}

static void
sl_scene_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sl_scene_view_parent_class)->map (widget);
  invalidate (SL_SCENE_VIEW (widget));
}

static void
sl_scene_view_unmap (GtkWidget *widget)
{
  SlSceneView *self = SL_SCENE_VIEW (widget);

  /* A hidden pane asks for nothing. */
  clear_wants (self);
  set_pending (self);
  _sl_scene_view_stop_motion (self);
  GTK_WIDGET_CLASS (sl_scene_view_parent_class)->unmap (widget);
}

static void
on_scale_factor_changed (SlSceneView *self)
{
  invalidate (self);
}

static void
sl_scene_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SlSceneView *self = SL_SCENE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case PROP_VIEWPORT:
      g_value_set_object (value, self->viewport);
      break;

    case PROP_SCENE_ID:
      g_value_set_int64 (value, self->scene_id);
      break;

    case PROP_PENDING_TILES:
      g_value_set_uint (value, sl_scene_view_get_pending_tiles (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SlSceneView *self = SL_SCENE_VIEW (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      sl_scene_view_set_cache (self, g_value_get_object (value));
      break;

    case PROP_VIEWPORT:
      sl_scene_view_set_viewport (self, g_value_get_object (value));
      break;

    case PROP_SCENE_ID:
      sl_scene_view_set_scene_id (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_view_dispose (GObject *object)
{
  SlSceneView *self = SL_SCENE_VIEW (object);

  _sl_scene_view_stop_motion (self);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  disconnect_cache (self);
  g_clear_object (&self->cache);
  g_clear_object (&self->viewport);
  _sl_scene_view_clear_textures (self);

  G_OBJECT_CLASS (sl_scene_view_parent_class)->dispose (object);
}

static void
sl_scene_view_finalize (GObject *object)
{
  SlSceneView *self = SL_SCENE_VIEW (object);

  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->wanted);
  g_hash_table_unref (self->failed);
  _sl_scene_view_finalize_paint (self);

  G_OBJECT_CLASS (sl_scene_view_parent_class)->finalize (object);
}

static void
sl_scene_view_class_init (SlSceneViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_scene_view_get_property;
  object_class->set_property = sl_scene_view_set_property;
  object_class->dispose = sl_scene_view_dispose;
  object_class->finalize = sl_scene_view_finalize;

  widget_class->snapshot = _sl_scene_view_snapshot;
  widget_class->size_allocate = sl_scene_view_size_allocate;
  widget_class->realize = sl_scene_view_realize;
  widget_class->unrealize = sl_scene_view_unrealize;
  widget_class->map = sl_scene_view_map;
  widget_class->unmap = sl_scene_view_unmap;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL,
                         SL_TYPE_TILE_CACHE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, NULL,
                         SL_TYPE_VIEWPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCENE_ID] =
    g_param_spec_int64 ("scene-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_TILES] =
    g_param_spec_uint ("pending-tiles", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The pointer moved over the view, left it, or the map moved under it. */
  signals[POINTER_CHANGED] =
    g_signal_new ("pointer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (GError *error): tiles of the scene could not be read; once per scene and generation. */
  signals[TILE_ERROR] =
    g_signal_new ("tile-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  _sl_scene_view_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "sceneview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_scene_view_init (SlSceneView *self)
{
  self->wanted = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, NULL);
  self->pending = g_hash_table_new (sl_tile_key_hash, sl_tile_key_equal);
  self->failed = g_hash_table_new_full (sl_tile_key_hash, sl_tile_key_equal, g_free, g_free);
  self->fit_pending = TRUE;

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  /* Tiles reach past the edges. */
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  _sl_scene_view_init_paint (self);
  _sl_scene_view_init_input (self);
}

GtkWidget *
sl_scene_view_new (void)
{
  return g_object_new (SL_TYPE_SCENE_VIEW, NULL);
}

SlTileCache *
sl_scene_view_get_cache (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), NULL);

  return self->cache;
}

void
sl_scene_view_set_cache (SlSceneView *self,
                         SlTileCache *cache)
{
  g_return_if_fail (SL_IS_SCENE_VIEW (self));
  g_return_if_fail (cache == NULL || SL_IS_TILE_CACHE (cache));

  if (self->cache == cache)
    return;

  disconnect_cache (self);
  g_set_object (&self->cache, cache);
  reset_scene_state (self);
  self->fit_pending = TRUE;

  if (cache != NULL)
    {
      self->tile_ready_id = g_signal_connect (cache, "tile-ready", G_CALLBACK (on_tile_ready), self);
      self->tile_failed_id = g_signal_connect (cache, "tile-failed", G_CALLBACK (on_tile_failed), self);
      self->invalidated_id = g_signal_connect (cache, "scene-invalidated", G_CALLBACK (on_scene_invalidated), self);
    }

  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
}

SlViewport *
sl_scene_view_get_viewport (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), NULL);

  return self->viewport;
}

void
sl_scene_view_set_viewport (SlSceneView *self,
                            SlViewport  *viewport)
{
  g_return_if_fail (SL_IS_SCENE_VIEW (self));
  g_return_if_fail (viewport == NULL || SL_IS_VIEWPORT (viewport));

  if (self->viewport == viewport)
    return;

  _sl_scene_view_stop_motion (self);
  if (self->viewport != NULL)
    g_signal_handlers_disconnect_by_func (self->viewport, on_viewport_notify, self);
  g_set_object (&self->viewport, viewport);
  if (viewport != NULL)
    g_signal_connect_object (viewport, "notify", G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);

  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWPORT]);
}

gint64
sl_scene_view_get_scene_id (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), 0);

  return self->scene_id;
}

void
sl_scene_view_set_scene_id (SlSceneView *self,
                            gint64       scene_id)
{
  g_return_if_fail (SL_IS_SCENE_VIEW (self));
  g_return_if_fail (scene_id >= 0);

  if (self->scene_id == scene_id)
    return;

  self->scene_id = scene_id;
  reset_scene_state (self);
  /* Also fits, in the tick, when a fit waited for a scene. */
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE_ID]);
}

guint
sl_scene_view_get_pending_tiles (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), 0);

  return g_hash_table_size (self->pending);
}

gboolean
sl_scene_view_get_pointer (SlSceneView *self,
                           double      *site_x,
                           double      *site_y)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), FALSE);

  if (!self->has_pointer || self->viewport == NULL || sl_viewport_get_grid (self->viewport) == NULL)
    return FALSE;

  sl_viewport_widget_to_site (self->viewport,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)),
                              self->pointer_x, self->pointer_y, site_x, site_y);
  return TRUE;
}

void
_sl_scene_view_cancel_fit (SlSceneView *self)
{
  g_return_if_fail (SL_IS_SCENE_VIEW (self));

  self->fit_pending = FALSE;
}

gboolean
_sl_scene_view_is_settled (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), FALSE);

  return !self->fit_pending && !self->wants_dirty && self->tick_id == 0 &&
         g_hash_table_size (self->pending) == 0 && !_sl_scene_view_is_animating (self);
}

guint
_sl_scene_view_get_snapshot_times (SlSceneView   *self,
                                   const gint64 **times)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), 0);

  *times = self->snapshot_times.samples;
  return MIN (self->snapshot_times.n, SL_SCENE_VIEW_FRAME_SAMPLES);
}
