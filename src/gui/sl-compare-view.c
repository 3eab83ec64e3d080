/* sl-compare-view.c — panes of one site that follow one viewport, in six comparison modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-compare-view-private.h"
#include "sl-scene-view-private.h"

G_DEFINE_FINAL_TYPE (SlCompareView, sl_compare_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODE,
  PROP_CURRENT,
  PROP_PLAYING,
  PROP_SWIPE,
  PROP_OPACITY,
  PROP_GAIN,
  PROP_GRID_COUNT,
  PROP_HORIZONTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  STATE_CHANGED,
  POINTER_CHANGED,
  TILE_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The divider moves by this much for [ and ]. */
#define DIVIDER_STEP 0.05

static GType
sl_compare_mode_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SL_COMPARE_SINGLE, "SL_COMPARE_SINGLE", "single" },
        { SL_COMPARE_GRID, "SL_COMPARE_GRID", "grid" },
        { SL_COMPARE_SWIPE, "SL_COMPARE_SWIPE", "swipe" },
        { SL_COMPARE_BLEND, "SL_COMPARE_BLEND", "blend" },
        { SL_COMPARE_BLINK, "SL_COMPARE_BLINK", "blink" },
        { SL_COMPARE_DIFFERENCE, "SL_COMPARE_DIFFERENCE", "difference" },
        { 0, NULL, NULL },
      };
      GType t = g_enum_register_static (g_intern_static_string ("SlCompareMode"), values);

      g_once_init_leave (&type, t);
    }
  return type;
}

gboolean
_sl_compare_view_is_overlay (SlCompareView *self)
{
  return self->state.mode != SL_COMPARE_SINGLE && self->state.mode != SL_COMPARE_GRID;
}

guint
_sl_compare_view_n_panes (SlCompareView *self)
{
  return sl_compare_state_n_panes (&self->state);
}

int
_sl_compare_view_solo_pane (SlCompareView *self)
{
  if (!_sl_compare_view_is_overlay (self))
    return -1;
  if (self->holding_b)
    return 1;
  if (self->state.mode == SL_COMPARE_BLINK)
    return self->blink_b ? 1 : 0;
  return -1;
}

double
_sl_compare_view_divider_px (SlCompareView *self)
{
  int size = self->state.swipe_horizontal ? gtk_widget_get_height (GTK_WIDGET (self))
                                          : gtk_widget_get_width (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  /* On a whole device pixel: no pixel of the view is half A, half B. */
  return floor (self->state.swipe * size * scale + 0.5) / scale;
}

static gboolean
on_blink (gpointer user_data)
{
  SlCompareView *self = user_data;

  self->blink_b = !self->blink_b;
  _sl_compare_view_update_layers (self);
  _sl_compare_view_update_labels (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_CONTINUE;
}

static void
update_blink (SlCompareView *self)
{
  gboolean blinking = self->state.mode == SL_COMPARE_BLINK && !self->holding_b &&
                      gtk_widget_get_mapped (GTK_WIDGET (self));

  g_clear_handle_id (&self->blink_id, g_source_remove);
  if (blinking)
    self->blink_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (1000.0 / self->state.blink_hz),
                                         on_blink, self, NULL);
}

/* Resolves what each pane shows and shows it. */
static void
apply_state (SlCompareView *self)
{
  guint n = _sl_compare_view_n_panes (self);
  const gint64 *ids = (const gint64 *) self->scene_ids->data;

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      gint64 scene_id = i < n ? sl_compare_state_resolve (&self->state, i, ids, self->scene_ids->len) : 0;

      self->shown[i] = self->cache != NULL ? scene_id : 0;
      sl_scene_view_set_scene_id (self->panes[i], self->shown[i]);
      gtk_widget_set_child_visible (GTK_WIDGET (self->panes[i]), i < n);
    }
  _sl_compare_view_update_layers (self);
  _sl_compare_view_update_labels (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
state_changed (SlCompareView *self)
{
  apply_state (self);
  g_signal_emit (self, signals[STATE_CHANGED], 0);
}

static void
reload_scene_ids (SlCompareView *self)
{
  guint n = self->scenes != NULL ? g_list_model_get_n_items (self->scenes) : 0;

  g_array_set_size (self->scene_ids, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (self->scenes, i);
      gint64 id = sl_scene_get_id (scene);

      g_array_append_val (self->scene_ids, id);
    }
}

static void
on_scenes_changed (SlCompareView *self)
{
  reload_scene_ids (self);
  apply_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

/* Steps the current date; playback wraps around to the first date. */
static void
step (SlCompareView *self,
      int            steps,
      gboolean       wrap)
{
  const gint64 *ids = (const gint64 *) self->scene_ids->data;
  guint n = self->scene_ids->len;
  gint64 next;

  if (n == 0)
    return;
  next = sl_compare_state_step (&self->state, steps, ids, n);
  if (wrap && next == sl_compare_state_step (&self->state, 0, ids, n))
    next = steps > 0 ? ids[0] : ids[n - 1];
  sl_compare_view_set_current (self, next);
}

static gboolean
on_play_tick (gpointer user_data)
{
  step (user_data, 1, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
on_pane_pointer_changed (SlCompareView *self,
                         SlSceneView   *pane)
{
  double x, y;

  self->pointer_pane = sl_scene_view_get_pointer (pane, &x, &y) ? pane
                       : self->pointer_pane == pane ? NULL : self->pointer_pane;
  g_signal_emit (self, signals[POINTER_CHANGED], 0);
}

static void
on_pane_tile_error (SlCompareView *self,
                    GError        *error,
                    SlSceneView   *pane)
{
  g_signal_emit (self, signals[TILE_ERROR], 0, error);
}

/* Actions */

static void
cycle_mode_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);

  sl_compare_view_set_mode (self, (self->state.mode + 1) % SL_COMPARE_N_MODES);
}

static void
swap_dates_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);
  SlPaneBinding a = self->state.pair[0];

  self->state.pair[0] = self->state.pair[1];
  self->state.pair[1] = a;
  state_changed (self);
}

static void
toggle_orientation_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);

  self->state.swipe_horizontal = !self->state.swipe_horizontal;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HORIZONTAL]);
}

/* [ and ]: the divider in swipe mode, the opacity in blend mode, the gain in difference. */
static void
adjust_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);
  int direction = g_str_has_suffix (action_name, "right") ? 1 : -1;

  switch (self->state.mode)
    {
    case SL_COMPARE_BLEND:
      sl_compare_view_set_opacity (self, self->state.opacity + direction * DIVIDER_STEP);
      break;
    case SL_COMPARE_DIFFERENCE:
      sl_compare_view_set_gain (self, direction > 0 ? self->state.gain * 2 : self->state.gain / 2);
      break;
    case SL_COMPARE_SWIPE:
    case SL_COMPARE_SINGLE:
    case SL_COMPARE_GRID:
    case SL_COMPARE_BLINK:
    case SL_COMPARE_N_MODES:
    default:
      sl_compare_view_set_swipe (self, self->state.swipe + direction * DIVIDER_STEP);
      break;
    }
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  step (SL_COMPARE_VIEW (widget), g_str_has_suffix (action_name, "next-date") ? 1 : -1, FALSE);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);

  sl_compare_view_set_playing (self, !sl_compare_view_get_playing (self));
}

/* Layout */

static void
sl_compare_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sl_compare_view_parent_class)->map (widget);
  update_blink (SL_COMPARE_VIEW (widget));
}

static void
sl_compare_view_unmap (GtkWidget *widget)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);

  g_clear_handle_id (&self->blink_id, g_source_remove);
  sl_compare_view_set_playing (self, FALSE);
  GTK_WIDGET_CLASS (sl_compare_view_parent_class)->unmap (widget);
}

static void
sl_compare_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SlCompareView *self = SL_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->state.mode);
      break;
    case PROP_CURRENT:
      g_value_set_int64 (value, sl_compare_view_get_current (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, sl_compare_view_get_playing (self));
      break;
    case PROP_SWIPE:
      g_value_set_double (value, self->state.swipe);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, self->state.opacity);
      break;
    case PROP_GAIN:
      g_value_set_double (value, self->state.gain);
      break;
    case PROP_GRID_COUNT:
      g_value_set_uint (value, self->state.grid_count);
      break;
    case PROP_HORIZONTAL:
      g_value_set_boolean (value, self->state.swipe_horizontal);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_compare_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SlCompareView *self = SL_COMPARE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      sl_compare_view_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_CURRENT:
      sl_compare_view_set_current (self, g_value_get_int64 (value));
      break;
    case PROP_PLAYING:
      sl_compare_view_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_SWIPE:
      sl_compare_view_set_swipe (self, g_value_get_double (value));
      break;
    case PROP_OPACITY:
      sl_compare_view_set_opacity (self, g_value_get_double (value));
      break;
    case PROP_GAIN:
      sl_compare_view_set_gain (self, g_value_get_double (value));
      break;
    case PROP_GRID_COUNT:
      sl_compare_view_set_grid_count (self, g_value_get_uint (value));
      break;
    case PROP_HORIZONTAL:
      if (g_value_get_boolean (value) != self->state.swipe_horizontal)
        toggle_orientation_action (GTK_WIDGET (self), "compare.toggle-orientation", NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_compare_view_dispose (GObject *object)
{
  SlCompareView *self = SL_COMPARE_VIEW (object);

  g_clear_handle_id (&self->blink_id, g_source_remove);
  g_clear_handle_id (&self->play_id, g_source_remove);
  sl_compare_view_set_scenes (self, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      if (self->layers[i] != NULL)
        gtk_widget_unparent (GTK_WIDGET (self->layers[i]));
      self->layers[i] = NULL;
      if (self->panes[i] != NULL)
        gtk_widget_unparent (GTK_WIDGET (self->panes[i]));
      self->panes[i] = NULL;
      g_clear_pointer (&self->labels[i], gtk_widget_unparent);
    }
  g_clear_object (&self->cache);
  g_clear_object (&self->viewport);

  G_OBJECT_CLASS (sl_compare_view_parent_class)->dispose (object);
}

static void
sl_compare_view_finalize (GObject *object)
{
  SlCompareView *self = SL_COMPARE_VIEW (object);

  g_clear_pointer (&self->scene_ids, g_array_unref);

  G_OBJECT_CLASS (sl_compare_view_parent_class)->finalize (object);
}

static void
sl_compare_view_class_init (SlCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_compare_view_get_property;
  object_class->set_property = sl_compare_view_set_property;
  object_class->dispose = sl_compare_view_dispose;
  object_class->finalize = sl_compare_view_finalize;

  widget_class->size_allocate = _sl_compare_view_size_allocate;
  widget_class->measure = _sl_compare_view_measure;
  widget_class->snapshot = _sl_compare_view_snapshot;
  widget_class->map = sl_compare_view_map;
  widget_class->unmap = sl_compare_view_unmap;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, sl_compare_mode_get_type (), SL_COMPARE_SINGLE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT] =
    g_param_spec_int64 ("current", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SWIPE] =
    g_param_spec_double ("swipe", NULL, NULL, 0, 1, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL, 0, 1, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GAIN] =
    g_param_spec_double ("gain", NULL, NULL, 1, 16, 2,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GRID_COUNT] =
    g_param_spec_uint ("grid-count", NULL, NULL, 2, SL_COMPARE_MAX_PANES, 2,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HORIZONTAL] =
    g_param_spec_boolean ("horizontal", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything persistent changed (mode, dates, divider, opacity, gain, …): save it. */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[POINTER_CHANGED] =
    g_signal_new ("pointer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TILE_ERROR] =
    g_signal_new ("tile-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_property_action (widget_class, "compare.mode", "mode");
  gtk_widget_class_install_property_action (widget_class, "compare.grid-count", "grid-count");
  gtk_widget_class_install_action (widget_class, "compare.cycle-mode", NULL, cycle_mode_action);
  gtk_widget_class_install_action (widget_class, "compare.swap-dates", NULL, swap_dates_action);
  gtk_widget_class_install_action (widget_class, "compare.toggle-orientation", NULL, toggle_orientation_action);
  gtk_widget_class_install_action (widget_class, "compare.divider-left", NULL, adjust_action);
  gtk_widget_class_install_action (widget_class, "compare.divider-right", NULL, adjust_action);
  gtk_widget_class_install_action (widget_class, "compare.next-date", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.previous-date", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.play", NULL, play_action);
  _sl_compare_view_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "compareview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_compare_view_init (SlCompareView *self)
{
  self->scene_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sl_compare_state_init (&self->state);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      self->panes[i] = SL_SCENE_VIEW (sl_scene_view_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->panes[i]), GTK_WIDGET (self));
      g_signal_connect_object (self->panes[i], "pointer-changed", G_CALLBACK (on_pane_pointer_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->panes[i], "tile-error", G_CALLBACK (on_pane_tile_error), self,
                               G_CONNECT_SWAPPED);
    }
  /* The annotation layers over the panes: they take their input from the compare view (in
   * the capture phase), each where its pane shows, and let the rest through to the panes. */
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      self->layers[i] = SL_ANNOTATION_LAYER (sl_annotation_layer_new ());
      gtk_widget_set_parent (GTK_WIDGET (self->layers[i]), GTK_WIDGET (self));
      sl_annotation_layer_set_input_widget (self->layers[i], GTK_WIDGET (self));
    }
  /* Labels above every pane. */
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      self->labels[i] = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->labels[i]), 0);
      gtk_widget_add_css_class (self->labels[i], "osd");
      gtk_widget_add_css_class (self->labels[i], "pane-label");
      gtk_widget_set_can_target (self->labels[i], FALSE);
      gtk_widget_set_parent (self->labels[i], GTK_WIDGET (self));
      gtk_widget_set_child_visible (self->labels[i], FALSE);
    }
  _sl_compare_view_init_input (self);
  apply_state (self);
}

GtkWidget *
sl_compare_view_new (void)
{
  return g_object_new (SL_TYPE_COMPARE_VIEW, NULL);
}

void
sl_compare_view_set_cache (SlCompareView *self,
                           SlTileCache   *cache)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  if (!g_set_object (&self->cache, cache))
    return;
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      sl_scene_view_set_cache (self->panes[i], cache);
      /* Pane 0 fits a new project's first scene; the others follow it. */
      if (i > 0)
        _sl_scene_view_cancel_fit (self->panes[i]);
    }
  apply_state (self);
}

SlTileCache *
sl_compare_view_get_cache (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);
  return self->cache;
}

void
sl_compare_view_set_viewport (SlCompareView *self,
                              SlViewport    *viewport)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  if (!g_set_object (&self->viewport, viewport))
    return;
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      sl_scene_view_set_viewport (self->panes[i], viewport);
      sl_annotation_layer_set_viewport (self->layers[i], viewport);
    }
}

SlViewport *
sl_compare_view_get_viewport (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);
  return self->viewport;
}

void
sl_compare_view_set_scenes (SlCompareView *self,
                            GListModel    *scenes)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  if (self->scenes == scenes)
    return;
  if (self->scenes != NULL)
    g_signal_handlers_disconnect_by_func (self->scenes, on_scenes_changed, self);
  g_set_object (&self->scenes, scenes);
  if (scenes != NULL)
    g_signal_connect_object (scenes, "items-changed", G_CALLBACK (on_scenes_changed), self, G_CONNECT_SWAPPED);
  if (self->scene_ids != NULL)
    on_scenes_changed (self);
}

void
sl_compare_view_get_state (SlCompareView  *self,
                           SlCompareState *state)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));
  g_return_if_fail (state != NULL);

  *state = self->state;
  state->has_view = self->viewport != NULL && sl_viewport_get_grid (self->viewport) != NULL;
  if (state->has_view)
    {
      state->center_x = sl_viewport_get_center_x (self->viewport);
      state->center_y = sl_viewport_get_center_y (self->viewport);
      state->resolution = sl_viewport_get_resolution (self->viewport);
    }
}

void
sl_compare_view_set_state (SlCompareView        *self,
                           const SlCompareState *state)
{
  SlCompareState old;

  g_return_if_fail (SL_IS_COMPARE_VIEW (self));
  g_return_if_fail (state != NULL);

  old = self->state;
  self->state = *state;
  self->state.has_view = FALSE;
  if (state->has_view && self->viewport != NULL && sl_viewport_get_grid (self->viewport) != NULL)
    {
      sl_viewport_set_resolution (self->viewport, state->resolution);
      sl_viewport_set_center (self->viewport, state->center_x, state->center_y);
      /* A restored view is not fitted over. */
      for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
        _sl_scene_view_cancel_fit (self->panes[i]);
    }
  old.has_view = FALSE;
  if (sl_compare_state_equal (&old, &self->state))
    return;
  update_blink (self);
  state_changed (self);
  for (guint i = 1; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

SlCompareMode
sl_compare_view_get_mode (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), SL_COMPARE_SINGLE);
  return self->state.mode;
}

void
sl_compare_view_set_mode (SlCompareView *self,
                          SlCompareMode  mode)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));
  g_return_if_fail (mode < SL_COMPARE_N_MODES);

  if (self->state.mode == mode)
    return;
  self->state.mode = mode;
  self->blink_b = FALSE;
  update_blink (self);
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

gint64
sl_compare_view_get_current (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), 0);

  return sl_compare_state_step (&self->state, 0, (const gint64 *) self->scene_ids->data, self->scene_ids->len);
}

void
sl_compare_view_set_current (SlCompareView *self,
                             gint64         scene_id)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  if (self->state.current == scene_id)
    return;
  self->state.current = scene_id;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

gint64
sl_compare_view_get_pane_scene (SlCompareView *self,
                                guint          index)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), 0);
  g_return_val_if_fail (index < SL_COMPARE_MAX_PANES, 0);

  return self->shown[index];
}

void
sl_compare_view_pin_pane (SlCompareView *self,
                          guint          index,
                          gint64         scene_id)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));
  g_return_if_fail (index < SL_COMPARE_MAX_PANES);

  if (self->state.mode == SL_COMPARE_GRID)
    {
      if (self->state.grid[index] == scene_id)
        return;
      self->state.grid[index] = scene_id;
    }
  else
    {
      if (index > 1 || self->state.pair[index].scene_id == scene_id)
        return;
      self->state.pair[index].scene_id = scene_id;
    }
  state_changed (self);
}

gint64
sl_compare_view_get_secondary (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), 0);

  if (!_sl_compare_view_is_overlay (self))
    return 0;
  /* The date compared with the current one, on whichever side it is (after a swap, A). */
  return self->shown[0] != sl_compare_view_get_current (self) ? self->shown[0] : self->shown[1];
}

void
sl_compare_view_set_swipe (SlCompareView *self,
                           double         position)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->state.swipe == position)
    return;
  self->state.swipe = position;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SWIPE]);
}

void
sl_compare_view_set_opacity (SlCompareView *self,
                             double         opacity)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  opacity = CLAMP (opacity, 0.0, 1.0);
  if (self->state.opacity == opacity)
    return;
  self->state.opacity = opacity;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

void
sl_compare_view_set_gain (SlCompareView *self,
                          double         gain)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  gain = CLAMP (gain, 1.0, 16.0);
  if (self->state.gain == gain)
    return;
  self->state.gain = gain;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GAIN]);
}

void
sl_compare_view_set_grid_count (SlCompareView *self,
                                guint          count)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  count = CLAMP (count, 2, SL_COMPARE_MAX_PANES);
  if (self->state.grid_count == count)
    return;
  self->state.grid_count = count;
  state_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRID_COUNT]);
}

void
sl_compare_view_set_playing (SlCompareView *self,
                             gboolean       playing)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  playing = playing && self->scene_ids->len > 1;
  if ((self->play_id != 0) == playing)
    return;
  g_clear_handle_id (&self->play_id, g_source_remove);
  if (playing)
    self->play_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (1000.0 / self->state.play_fps),
                                        on_play_tick, self, NULL);
  update_blink (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
sl_compare_view_get_playing (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), FALSE);
  return self->play_id != 0;
}

SlSceneView *
sl_compare_view_get_pane (SlCompareView *self,
                          guint          index)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);
  g_return_val_if_fail (index < SL_COMPARE_MAX_PANES, NULL);

  return self->panes[index];
}

SlSceneView *
sl_compare_view_get_active_pane (SlCompareView *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), NULL);

  return self->pointer_pane != NULL ? self->pointer_pane : self->panes[0];
}

gboolean
sl_compare_view_is_settled (SlCompareView *self)
{
  guint n = _sl_compare_view_n_panes (self);

  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), FALSE);

  for (guint i = 0; i < n; i++)
    if (self->shown[i] != 0 && !_sl_scene_view_is_settled (self->panes[i]))
      return FALSE;
  return TRUE;
}

gboolean
sl_compare_view_get_pointer (SlCompareView *self,
                             double        *site_x,
                             double        *site_y)
{
  g_return_val_if_fail (SL_IS_COMPARE_VIEW (self), FALSE);

  return self->pointer_pane != NULL && sl_scene_view_get_pointer (self->pointer_pane, site_x, site_y);
}

void
sl_compare_view_hold_b (SlCompareView *self,
                        gboolean       held)
{
  g_return_if_fail (SL_IS_COMPARE_VIEW (self));

  held = held && _sl_compare_view_is_overlay (self);
  if (self->holding_b == held)
    return;
  self->holding_b = held;
  update_blink (self);
  _sl_compare_view_update_layers (self);
  _sl_compare_view_update_labels (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
_sl_compare_view_get_snapshot_times (SlCompareView  *self,
                                     const gint64  **times)
{
  *times = self->snapshot_times;
  return MIN (self->n_snapshots, G_N_ELEMENTS (self->snapshot_times));
}
