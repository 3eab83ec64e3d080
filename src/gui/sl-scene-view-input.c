/* sl-scene-view-input.c — SlSceneView's gestures, keyboard actions and animations
 *
 * Drag (primary or middle button) pans and flings; the wheel and touchpad zoom at the
 * pointer; a pinch zooms at its centre and pans with it; view.* actions zoom and pan with a
 * short ease-out animation. All of them change the shared SlViewport only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-view"

#include "config.h"

#include <math.h>

#include "sl-scene-view-private.h"

/* Keyboard and button zoom: four steps double the zoom. Wheel: one notch is one step. */
#define ZOOM_STEP        1.4142135623730951
/* Touchpad scrolling: this many pixels of scroll double the zoom. */
#define SMOOTH_ZOOM_PIXELS 150.0
/* Arrow keys, in logical pixels. */
#define PAN_STEP         96.0
#define ANIMATION_USEC   (200 * G_TIME_SPAN_MILLISECOND)
/* Flings: slower than this (px/s) stop; the speed decays by e every FLING_DECAY seconds. */
#define FLING_MIN_SPEED  40.0
#define FLING_MAX_SPEED  6000.0
#define FLING_DECAY      0.3
/* A drag that rested this long before the button went up does not fling. */
#define FLING_REST_USEC  (80 * G_TIME_SPAN_MILLISECOND)
/* The drag's speed is measured over at least this long. */
#define VELOCITY_WINDOW  (12 * G_TIME_SPAN_MILLISECOND)

static gboolean
animations_enabled (SlSceneView *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);
  return enabled && gtk_widget_get_mapped (GTK_WIDGET (self));
}

/* Where the view is going: the end of the running animation, or where it is. */
static void
get_target (SlSceneView *self,
            double      *x,
            double      *y,
            double      *resolution)
{
  if (self->animating)
    {
      *x = self->anim_to_x;
      *y = self->anim_to_y;
      *resolution = exp (self->anim_to_log_res);
      return;
    }
  *x = sl_viewport_get_center_x (self->viewport);
  *y = sl_viewport_get_center_y (self->viewport);
  *resolution = sl_viewport_get_resolution (self->viewport);
}

static void
apply (SlSceneView *self,
       double       x,
       double       y,
       double       resolution)
{
  g_object_freeze_notify (G_OBJECT (self->viewport));
  sl_viewport_set_resolution (self->viewport, resolution);
  sl_viewport_set_center (self->viewport, x, y);
  g_object_thaw_notify (G_OBJECT (self->viewport));
}

/* The resolution the viewport accepts nearest to @resolution. */
static double
clamp_resolution (SlSceneView *self,
                  double       resolution)
{
  double finest = sl_viewport_get_resolution (self->viewport) * sl_viewport_get_zoom (self->viewport);

  return CLAMP (resolution,
                finest / sl_viewport_get_max_zoom (self->viewport),
                finest / sl_viewport_get_min_zoom (self->viewport));
}

static void
animate_to (SlSceneView *self,
            double       x,
            double       y,
            double       resolution,
            gboolean     animate)
{
  self->kinetic = FALSE;
  resolution = clamp_resolution (self, resolution);

  if (!animate || !animations_enabled (self))
    {
      self->animating = FALSE;
      apply (self, x, y, resolution);
      return;
    }

  self->anim_from_x = sl_viewport_get_center_x (self->viewport);
  self->anim_from_y = sl_viewport_get_center_y (self->viewport);
  self->anim_from_log_res = log (sl_viewport_get_resolution (self->viewport));
  self->anim_to_x = x;
  self->anim_to_y = y;
  self->anim_to_log_res = log (resolution);
  self->anim_start = 0;
  self->animating = TRUE;
  _sl_scene_view_schedule_tick (self);
}

void
_sl_scene_view_stop_motion (SlSceneView *self)
{
  self->animating = FALSE;
  self->kinetic = FALSE;
}

gboolean
_sl_scene_view_is_animating (SlSceneView *self)
{
  g_return_val_if_fail (SL_IS_SCENE_VIEW (self), FALSE);

  return self->animating || self->kinetic;
}

gboolean
_sl_scene_view_step_motion (SlSceneView *self,
                            gint64       frame_time)
{
  if (self->viewport == NULL)
    {
      _sl_scene_view_stop_motion (self);
      return FALSE;
    }

  if (self->animating)
    {
      double t, p;

      if (self->anim_start == 0)
        self->anim_start = frame_time;
      t = (double) (frame_time - self->anim_start) / ANIMATION_USEC;
      if (t >= 1.0)
        {
          self->animating = FALSE;
          apply (self, self->anim_to_x, self->anim_to_y, exp (self->anim_to_log_res));
        }
      else
        {
          /* Ease-out cubic; the scale moves evenly in log space, as zooming feels. */
          p = 1.0 - pow (1.0 - t, 3);
          apply (self,
                 self->anim_from_x + (self->anim_to_x - self->anim_from_x) * p,
                 self->anim_from_y + (self->anim_to_y - self->anim_from_y) * p,
                 exp (self->anim_from_log_res + (self->anim_to_log_res - self->anim_from_log_res) * p));
        }
    }

  if (self->kinetic)
    {
      double dt = self->kinetic_last_time == 0 ? 0 : (frame_time - self->kinetic_last_time) / (double) G_USEC_PER_SEC;
      double decay = exp (-dt / FLING_DECAY);

      self->kinetic_last_time = frame_time;
      /* The distance covered over dt at an exponentially decaying speed. */
      sl_viewport_pan_pixels (self->viewport,
                              self->velocity_x * FLING_DECAY * (1 - decay),
                              self->velocity_y * FLING_DECAY * (1 - decay));
      self->velocity_x *= decay;
      self->velocity_y *= decay;
      if (hypot (self->velocity_x, self->velocity_y) < FLING_MIN_SPEED)
        self->kinetic = FALSE;
    }

  return self->animating || self->kinetic;
}

static void
pan_by (SlSceneView *self,
        double       dx,
        double       dy)
{
  double x, y, resolution;

  if (self->viewport == NULL)
    return;
  get_target (self, &x, &y, &resolution);
  animate_to (self, x - dx * resolution, y + dy * resolution, resolution, TRUE);
}

/* --- actions --- */

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  sl_scene_view_zoom_by (SL_SCENE_VIEW (widget), ZOOM_STEP, TRUE);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sl_scene_view_zoom_by (SL_SCENE_VIEW (widget), 1.0 / ZOOM_STEP, TRUE);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sl_scene_view_zoom_fit (SL_SCENE_VIEW (widget), TRUE);
}

static void
zoom_100_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sl_scene_view_zoom_to (SL_SCENE_VIEW (widget), 1.0, TRUE);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  pan_by (SL_SCENE_VIEW (widget), dx, dy);
}

/* --- pointer --- */

void
_sl_scene_view_move_pointer (SlSceneView *self,
                             gboolean     inside,
                             double       x,
                             double       y)
{
  self->has_pointer = inside;
  self->pointer_x = x;
  self->pointer_y = y;
  _sl_scene_view_notify_pointer (self);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SlSceneView              *self)
{
  _sl_scene_view_move_pointer (self, TRUE, x, y);
}

static void
on_leave (GtkEventControllerMotion *controller,
          SlSceneView              *self)
{
  _sl_scene_view_move_pointer (self, FALSE, self->pointer_x, self->pointer_y);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SlSceneView    *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  /* The secondary button is kept for context menus; touch counts as primary. */
  if (button != 0 && button != GDK_BUTTON_PRIMARY && button != GDK_BUTTON_MIDDLE)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  _sl_scene_view_stop_motion (self);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->drag_last_x = 0;
  self->drag_last_y = 0;
  self->drag_acc_x = 0;
  self->drag_acc_y = 0;
  self->velocity_x = 0;
  self->velocity_y = 0;
  self->drag_last_time = self->drag_moved_time = g_get_monotonic_time ();
}

static void
drag_to (SlSceneView *self,
         double       offset_x,
         double       offset_y)
{
  gint64 now = g_get_monotonic_time ();
  double dx = offset_x - self->drag_last_x;
  double dy = offset_y - self->drag_last_y;
  double dt;

  self->drag_last_x = offset_x;
  self->drag_last_y = offset_y;
  if (dx != 0 || dy != 0)
    {
      self->drag_moved_time = now;
      if (self->viewport != NULL)
        sl_viewport_pan_pixels (self->viewport, dx, dy);
    }

  /* Speed over at least VELOCITY_WINDOW: events often arrive in bursts, microseconds
   * apart, and one burst must not decide the fling. */
  self->drag_acc_x += dx;
  self->drag_acc_y += dy;
  dt = (now - self->drag_last_time) / (double) G_USEC_PER_SEC;
  if (now - self->drag_last_time >= VELOCITY_WINDOW)
    {
      self->velocity_x = 0.7 * self->drag_acc_x / dt + 0.3 * self->velocity_x;
      self->velocity_y = 0.7 * self->drag_acc_y / dt + 0.3 * self->velocity_y;
      self->drag_acc_x = 0;
      self->drag_acc_y = 0;
      self->drag_last_time = now;
    }
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                SlSceneView    *self)
{
  drag_to (self, offset_x, offset_y);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             SlSceneView    *self)
{
  double speed;

  drag_to (self, offset_x, offset_y);
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);

  speed = hypot (self->velocity_x, self->velocity_y);
  if (speed > FLING_MAX_SPEED)
    {
      self->velocity_x *= FLING_MAX_SPEED / speed;
      self->velocity_y *= FLING_MAX_SPEED / speed;
    }
  g_debug ("Drag ended at %.0f, %.0f px/s, %.0f ms after it last moved", self->velocity_x, self->velocity_y,
           (g_get_monotonic_time () - self->drag_moved_time) / 1000.0);
  if (g_get_monotonic_time () - self->drag_moved_time < FLING_REST_USEC &&
      speed > 5 * FLING_MIN_SPEED && animations_enabled (self))
    {
      self->kinetic = TRUE;
      self->kinetic_last_time = 0;
      _sl_scene_view_schedule_tick (self);
    }
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SlSceneView              *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double factor;

  if (self->viewport == NULL || dy == 0)
    return FALSE;

  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    factor = pow (ZOOM_STEP, -dy);
  else
    factor = pow (2.0, -dy / SMOOTH_ZOOM_PIXELS);

  _sl_scene_view_stop_motion (self);
  sl_viewport_zoom_at (self->viewport, factor,
                       self->has_pointer ? self->pointer_x : width / 2.0,
                       self->has_pointer ? self->pointer_y : height / 2.0,
                       width, height);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                SlSceneView      *self)
{
  _sl_scene_view_stop_motion (self);
  self->pinch_last_scale = 1.0;
  gtk_gesture_get_bounding_box_center (gesture, &self->pinch_last_x, &self->pinch_last_y);
}

static void
on_pinch_scale_changed (GtkGestureZoom *gesture,
                        double          scale,
                        SlSceneView    *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double x, y;

  if (self->viewport == NULL || !(scale > 0) ||
      !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;

  g_object_freeze_notify (G_OBJECT (self->viewport));
  /* The fingers' centre carries the map along, and the spread zooms around it. */
  sl_viewport_pan_pixels (self->viewport, x - self->pinch_last_x, y - self->pinch_last_y);
  sl_viewport_zoom_at (self->viewport, scale / self->pinch_last_scale, x, y, width, height);
  g_object_thaw_notify (G_OBJECT (self->viewport));
  self->pinch_last_scale = scale;
  self->pinch_last_x = x;
  self->pinch_last_y = y;
}

void
_sl_scene_view_class_init_input (GtkWidgetClass *widget_class)
{
  static const guint zoom_in_keys[] = { GDK_KEY_plus, GDK_KEY_equal, GDK_KEY_KP_Add };
  static const guint zoom_out_keys[] = { GDK_KEY_minus, GDK_KEY_underscore, GDK_KEY_KP_Subtract };

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-100", NULL, zoom_100_action);
  gtk_widget_class_install_action (widget_class, "view.pan", "(dd)", pan_action);

  for (guint i = 0; i < G_N_ELEMENTS (zoom_in_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i], GDK_CONTROL_MASK, "view.zoom-in", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_out_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_out_keys[i], GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "view.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "view.zoom-100", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_CONTROL_MASK, "view.zoom-100", NULL);

  /* Left shows what is west: the map moves right. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "view.pan", "(dd)", PAN_STEP, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "view.pan", "(dd)", -PAN_STEP, 0.0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, 0, "view.pan", "(dd)", 0.0, PAN_STEP);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, 0, "view.pan", "(dd)", 0.0, -PAN_STEP);
}

void
_sl_scene_view_init_input (SlSceneView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *pinch = gtk_gesture_zoom_new ();

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pinch));
}

/* --- public API (the zooms) --- */

void
sl_scene_view_zoom_fit (SlSceneView *self,
                        gboolean     animate)
{
  int width, height;
  SlBounds footprint;

  g_return_if_fail (SL_IS_SCENE_VIEW (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0 || self->viewport == NULL || self->cache == NULL ||
      !sl_tile_cache_get_footprint (self->cache, self->scene_id, &footprint))
    {
      /* No size or scene yet: fit as soon as there are. */
      self->fit_pending = TRUE;
      return;
    }

  self->fit_pending = FALSE;
  animate_to (self,
              (footprint.min_x + footprint.max_x) / 2, (footprint.min_y + footprint.max_y) / 2,
              MAX ((footprint.max_x - footprint.min_x) / width, (footprint.max_y - footprint.min_y) / height),
              animate);
}

void
sl_scene_view_zoom_to (SlSceneView *self,
                       double       zoom,
                       gboolean     animate)
{
  double x, y, resolution;

  g_return_if_fail (SL_IS_SCENE_VIEW (self));
  g_return_if_fail (zoom > 0);

  if (self->viewport == NULL)
    return;
  get_target (self, &x, &y, &resolution);
  /* Resolution × zoom is the finest level's resolution, whatever the zoom. */
  animate_to (self, x, y, sl_viewport_get_resolution (self->viewport) * sl_viewport_get_zoom (self->viewport) / zoom,
              animate);
}

void
sl_scene_view_zoom_by (SlSceneView *self,
                       double       factor,
                       gboolean     animate)
{
  double x, y, resolution;

  g_return_if_fail (SL_IS_SCENE_VIEW (self));
  g_return_if_fail (factor > 0);

  if (self->viewport == NULL)
    return;
  /* Repeated steps add up from where the running animation is going. */
  get_target (self, &x, &y, &resolution);
  animate_to (self, x, y, resolution / factor, animate);
}
