/* sl-annotation-layer-input.c — the pointer tools: select, move, handles, drawing each shape
 *
 * One drag gesture (primary button) runs every tool. In the compare view the controllers
 * sit on the compare view in the capture phase, so a layer sees a press before the pane
 * under it: it claims the press only where it has something to do (a drawing tool, or an
 * annotation or handle under the select tool, or Shift for a rubber band) and denies the
 * rest, which then pans the pane as usual. The middle button and the wheel are never taken.
 * Clicks of the multi-click tools (polygon, line) are told apart from double-clicks by the
 * settings' double-click time and distance.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sl-annotation-layer-private.h"

static gboolean test_shift;

static void
to_layer (SlAnnotationLayer *self,
          double             x,
          double             y,
          double            *lx,
          double            *ly)
{
  graphene_point_t out;

  *lx = x;
  *ly = y;
  if (self->input_widget != NULL && self->input_widget != GTK_WIDGET (self) &&
      gtk_widget_compute_point (self->input_widget, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &out))
    {
      *lx = out.x;
      *ly = out.y;
    }
}

static gboolean
accepts_input (SlAnnotationLayer *self,
               double             x,
               double             y)
{
  if (self->viewport == NULL || self->store == NULL || self->scene_id <= 0 ||
      !gtk_widget_get_child_visible (GTK_WIDGET (self)) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  if (x < 0 || y < 0 || x >= gtk_widget_get_width (GTK_WIDGET (self)) || y >= gtk_widget_get_height (GTK_WIDGET (self)))
    return FALSE;
  return !self->has_region || graphene_rect_contains_point (&self->region, &GRAPHENE_POINT_INIT (x, y));
}

static GPtrArray *
new_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
}

void
_sl_annotation_layer_clear_drag (SlAnnotationLayer *self)
{
  g_clear_pointer (&self->originals, g_ptr_array_unref);
  g_clear_pointer (&self->editing, g_ptr_array_unref);
  self->drag_kind = DRAG_NONE;
}

static void
clear_draft (SlAnnotationLayer *self)
{
  g_clear_pointer (&self->draft, g_array_unref);
  self->draft_width = FALSE;
  self->draft_follow = FALSE;
}

static void
start_draft (SlAnnotationLayer *self,
             SlShapeKind        kind,
             gboolean           follow)
{
  clear_draft (self);
  self->draft = g_array_new (FALSE, FALSE, sizeof (SlPoint));
  self->draft_kind = kind;
  self->draft_follow = follow;
}

/* The top-most shown annotation within the hit tolerance of (@x, @y), or NULL. */
static SlAnnotation *
hit_test (SlAnnotationLayer *self,
          double             x,
          double             y)
{
  double tolerance = SL_LAYER_HIT_TOLERANCE * _sl_annotation_layer_resolution (self);
  SlPoint p;

  _sl_annotation_layer_ensure_shown (self);
  if (!self->visible)
    return NULL;
  _sl_annotation_layer_widget_to_site (self, x, y, &p);
  for (guint i = self->shown->len; i > 0; i--)
    {
      SlAnnotation *a = g_ptr_array_index (self->shown, i - 1);
      /* Points are drawn as rings: the ring's radius counts as the point. */
      double slack = a->kind == SL_SHAPE_POINT ? 5.0 * _sl_annotation_layer_resolution (self) : 0;

      if (!a->hidden && sl_annotation_distance (a, p.x, p.y) <= tolerance + slack)
        return a;
    }
  return NULL;
}

static SlAnnotation *
single_selection (SlAnnotationLayer *self)
{
  GHashTableIter iter;
  gint64 *id;

  if (g_hash_table_size (self->selected) != 1)
    return NULL;
  g_hash_table_iter_init (&iter, self->selected);
  g_hash_table_iter_next (&iter, (gpointer *) &id, NULL);
  return _sl_annotation_layer_lookup (self, *id);
}

static gboolean
hit_handle (SlAnnotationLayer *self,
            double             x,
            double             y,
            SlHandle          *handle)
{
  SlAnnotation *a = single_selection (self);
  g_autoptr(GArray) handles = NULL;
  double best = SL_LAYER_HANDLE_GRAB;
  gboolean found = FALSE;

  if (a == NULL || a->locked)
    return FALSE;
  handles = sl_annotation_painter_get_handles (self->viewport, gtk_widget_get_width (GTK_WIDGET (self)),
                                               gtk_widget_get_height (GTK_WIDGET (self)), a);
  for (guint i = 0; i < handles->len; i++)
    {
      const SlHandle *h = &g_array_index (handles, SlHandle, i);
      double d = hypot (h->x - x, h->y - y);

      if (d <= best)
        {
          best = d;
          *handle = *h;
          found = TRUE;
        }
    }
  return found;
}

/* Copies of the selection to edit: those shown and not locked. */
static void
begin_edit (SlAnnotationLayer *self)
{
  GHashTableIter iter;
  gint64 *id;

  _sl_annotation_layer_clear_drag (self);
  self->originals = new_list ();
  self->editing = new_list ();
  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      SlAnnotation *a = _sl_annotation_layer_lookup (self, *id);

      if (a == NULL || a->locked)
        continue;
      g_ptr_array_add (self->originals, sl_annotation_copy (a));
      g_ptr_array_add (self->editing, sl_annotation_copy (a));
    }
}

/* A box or rotated box resized by a corner or an edge, in the box's own frame. */
static void
resize_box (const SlAnnotation *orig,
            SlAnnotation       *edit,
            const SlHandle     *handle,
            const SlPoint      *p)
{
  const SlPoint *q = orig->points;
  double a = hypot (q[1].x - q[0].x, q[1].y - q[0].y);
  double b = hypot (q[3].x - q[0].x, q[3].y - q[0].y);
  double ux, uy, vx, vy, s, t, s0 = 0, s1 = a, t0 = 0, t1 = b;
  SlPoint corners[4];

  if (a < 1e-12 || b < 1e-12)
    return;
  ux = (q[1].x - q[0].x) / a, uy = (q[1].y - q[0].y) / a;
  vx = (q[3].x - q[0].x) / b, vy = (q[3].y - q[0].y) / b;
  s = (p->x - q[0].x) * ux + (p->y - q[0].y) * uy;
  t = (p->x - q[0].x) * vx + (p->y - q[0].y) * vy;

  if (handle->kind == SL_HANDLE_CORNER)
    {
      if (handle->index == 0 || handle->index == 3)
        s0 = s;
      else
        s1 = s;
      if (handle->index == 0 || handle->index == 1)
        t0 = t;
      else
        t1 = t;
    }
  else
    switch (handle->index)
      {
      case 0: t0 = t; break;
      case 1: s1 = s; break;
      case 2: t1 = t; break;
      default: s0 = s; break;
      }
  /* Dragged past the opposite side: the box turns over, its corners keep their order. */
  if (s1 < s0)
    {
      double tmp = s0;
      s0 = s1, s1 = tmp;
    }
  if (t1 < t0)
    {
      double tmp = t0;
      t0 = t1, t1 = tmp;
    }
  corners[0] = (SlPoint) { q[0].x + ux * s0 + vx * t0, q[0].y + uy * s0 + vy * t0 };
  corners[1] = (SlPoint) { q[0].x + ux * s1 + vx * t0, q[0].y + uy * s1 + vy * t0 };
  corners[2] = (SlPoint) { q[0].x + ux * s1 + vx * t1, q[0].y + uy * s1 + vy * t1 };
  corners[3] = (SlPoint) { q[0].x + ux * s0 + vx * t1, q[0].y + uy * s0 + vy * t1 };
  sl_annotation_set_points (edit, corners, 4);
}

static void
apply_handle (SlAnnotationLayer *self)
{
  SlAnnotation *orig, *edit;
  SlPoint p, start;

  if (self->originals == NULL || self->originals->len != 1)
    return;
  orig = g_ptr_array_index (self->originals, 0);
  edit = g_ptr_array_index (self->editing, 0);
  _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &p);
  sl_annotation_set_points (edit, orig->points, orig->n_points);
  edit->kind = orig->kind;

  switch (self->handle.kind)
    {
    case SL_HANDLE_VERTEX:
      if (self->handle.index < edit->n_points)
        edit->points[self->handle.index] = p;
      break;

    case SL_HANDLE_ROTATE:
      {
        double cx = 0, cy = 0;

        for (guint i = 0; i < orig->n_points; i++)
          cx += orig->points[i].x / orig->n_points, cy += orig->points[i].y / orig->n_points;
        _sl_annotation_layer_widget_to_site (self, self->press_x, self->press_y, &start);
        sl_annotation_rotate (edit, cx, cy, atan2 (p.y - cy, p.x - cx) - atan2 (start.y - cy, start.x - cx));
        /* A turned box is no longer aligned with the axes. */
        if (edit->kind == SL_SHAPE_BOX)
          edit->kind = SL_SHAPE_ROTATED_BOX;
      }
      break;

    case SL_HANDLE_CORNER:
    case SL_HANDLE_EDGE:
    default:
      if (orig->n_points == 4)
        resize_box (orig, edit, &self->handle, &p);
      break;
    }
}

static void
commit_edit (SlAnnotationLayer *self,
             const char        *label)
{
  g_autoptr(GError) error = NULL;

  if (self->editing == NULL || self->editing->len == 0 || _sl_annotation_layer_refuse_edit (self))
    return;
  for (guint i = 0; i < self->editing->len; i++)
    if (!sl_annotation_is_valid (g_ptr_array_index (self->editing, i), NULL))
      return;
  if (!sl_undo_stack_update (self->undo, self->editing, label, &error))
    _sl_annotation_layer_report_error (self, error);
}

/* The rotated box being drawn: its long side, and the width from the pointer. */
static void
update_rotated_width (SlAnnotationLayer *self)
{
  SlPoint p0, p1, p, corners[4];
  double lx, ly, len, nx, ny, w;

  if (self->draft == NULL || self->draft->len < 2)
    return;
  p0 = g_array_index (self->draft, SlPoint, 0);
  p1 = g_array_index (self->draft, SlPoint, 1);
  _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &p);
  lx = p1.x - p0.x, ly = p1.y - p0.y;
  len = hypot (lx, ly);
  if (len < 1e-12)
    return;
  /* The signed distance of the pointer from the long side, across it. */
  nx = -ly / len, ny = lx / len;
  w = (p.x - p1.x) * nx + (p.y - p1.y) * ny;
  corners[0] = p0;
  corners[1] = p1;
  corners[2] = (SlPoint) { p1.x + nx * w, p1.y + ny * w };
  corners[3] = (SlPoint) { p0.x + nx * w, p0.y + ny * w };
  g_array_set_size (self->draft, 4);
  memcpy (self->draft->data, corners, sizeof corners);
}

static gboolean
is_double_click (SlAnnotationLayer *self,
                 double             x,
                 double             y)
{
  int time = 400, distance = 5;
  gint64 now = g_get_monotonic_time ();
  gboolean result;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)),
                "gtk-double-click-time", &time, "gtk-double-click-distance", &distance, NULL);
  result = self->last_click_time > 0 && (now - self->last_click_time) <= (gint64) time * 1000 &&
           fabs (x - self->last_click_x) <= MAX (distance, 4) && fabs (y - self->last_click_y) <= MAX (distance, 4);
  self->last_click_time = result ? 0 : now;
  self->last_click_x = x;
  self->last_click_y = y;
  return result;
}

static void
set_cursor (SlAnnotationLayer *self,
            const char        *name)
{
  if (self->input_widget != NULL)
    gtk_widget_set_cursor_from_name (self->input_widget, name);
}

/* --- callbacks --- */

static void
on_drag_begin (GtkGestureDrag    *gesture,
               double             x,
               double             y,
               SlAnnotationLayer *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  SlAnnotation *hit;
  double lx, ly;

  to_layer (self, x, y, &lx, &ly);
  self->pending_clear = FALSE;
  if (!accepts_input (self, lx, ly))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->shift = (state & GDK_SHIFT_MASK) != 0 || test_shift;
  self->press_x = self->pointer_x = lx;
  self->press_y = self->pointer_y = ly;
  self->has_pointer = TRUE;
  _sl_annotation_layer_clear_drag (self);

  if (self->tool == SL_ANNOTATION_TOOL_SELECT)
    {
      if (!self->shift && hit_handle (self, lx, ly, &self->handle))
        {
          begin_edit (self);
          self->drag_kind = DRAG_HANDLE;
        }
      else if ((hit = hit_test (self, lx, ly)) != NULL)
        {
          gint64 id = hit->id;

          if (self->shift && g_hash_table_contains (self->selected, &id))
            {
              g_hash_table_remove (self->selected, &id);
              _sl_annotation_layer_selection_changed (self);
            }
          else if (!g_hash_table_contains (self->selected, &id))
            _sl_annotation_layer_set_selection (self, &id, 1, self->shift);
          begin_edit (self);
          self->drag_kind = DRAG_MOVE;
        }
      else if (self->shift)
        self->drag_kind = DRAG_RUBBER_BAND;
      else
        {
          /* Bare imagery: the pane pans; a click without a drag clears the selection. */
          self->pending_clear = TRUE;
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (_sl_annotation_layer_refuse_edit (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  switch (self->tool)
    {
    case SL_ANNOTATION_TOOL_BOX:
      self->drag_kind = DRAG_DRAW;
      start_draft (self, SL_SHAPE_BOX, FALSE);
      break;
    case SL_ANNOTATION_TOOL_ROTATED_BOX:
      if (self->draft_width)
        {
          /* The click that sets the width. */
          update_rotated_width (self);
          if (self->draft->len == 4)
            _sl_annotation_layer_add_shape (self, SL_SHAPE_ROTATED_BOX, (SlPoint *) self->draft->data, 4);
          clear_draft (self);
          self->drag_kind = DRAG_NONE;
        }
      else
        {
          SlPoint p;

          self->drag_kind = DRAG_DRAW;
          start_draft (self, SL_SHAPE_LINE, TRUE);
          _sl_annotation_layer_widget_to_site (self, lx, ly, &p);
          g_array_append_val (self->draft, p);
        }
      break;
    case SL_ANNOTATION_TOOL_POINT:
    case SL_ANNOTATION_TOOL_POLYGON:
    case SL_ANNOTATION_TOOL_LINE:
    case SL_ANNOTATION_TOOL_SELECT:
    case SL_ANNOTATION_N_TOOLS:
    default:
      self->drag_kind = DRAG_CLICK;
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag    *gesture,
                double             dx,
                double             dy,
                SlAnnotationLayer *self)
{
  double res = _sl_annotation_layer_resolution (self);

  self->pointer_x = self->press_x + dx;
  self->pointer_y = self->press_y + dy;
  switch (self->drag_kind)
    {
    case DRAG_MOVE:
      for (guint i = 0; self->editing != NULL && i < self->editing->len; i++)
        {
          SlAnnotation *orig = g_ptr_array_index (self->originals, i);
          SlAnnotation *edit = g_ptr_array_index (self->editing, i);

          sl_annotation_set_points (edit, orig->points, orig->n_points);
          sl_annotation_translate (edit, dx * res, -dy * res);
        }
      break;
    case DRAG_HANDLE:
      apply_handle (self);
      break;
    case DRAG_DRAW:
      if (self->draft_kind == SL_SHAPE_BOX)
        {
          SlPoint a, b, corners[4];

          _sl_annotation_layer_widget_to_site (self, self->press_x, self->press_y, &a);
          _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &b);
          corners[0] = (SlPoint) { MIN (a.x, b.x), MAX (a.y, b.y) };
          corners[1] = (SlPoint) { MAX (a.x, b.x), MAX (a.y, b.y) };
          corners[2] = (SlPoint) { MAX (a.x, b.x), MIN (a.y, b.y) };
          corners[3] = (SlPoint) { MIN (a.x, b.x), MIN (a.y, b.y) };
          g_array_set_size (self->draft, 0);
          g_array_append_vals (self->draft, corners, 4);
        }
      break;
    case DRAG_CLICK:
      /* The line tool also draws a two-point line by dragging. */
      if (self->tool == SL_ANNOTATION_TOOL_LINE && (self->draft == NULL || self->draft->len == 0) &&
          hypot (dx, dy) > SL_LAYER_CLICK_SLOP)
        {
          SlPoint p;

          self->drag_kind = DRAG_DRAW;
          start_draft (self, SL_SHAPE_LINE, TRUE);
          _sl_annotation_layer_widget_to_site (self, self->press_x, self->press_y, &p);
          g_array_append_val (self->draft, p);
        }
      break;
    case DRAG_RUBBER_BAND:
    case DRAG_NONE:
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
select_in_band (SlAnnotationLayer *self)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  SlPoint a, b;
  SlBounds band;

  _sl_annotation_layer_widget_to_site (self, self->press_x, self->press_y, &a);
  _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &b);
  band = (SlBounds) { MIN (a.x, b.x), MIN (a.y, b.y), MAX (a.x, b.x), MAX (a.y, b.y) };
  for (guint i = 0; i < self->shown->len; i++)
    {
      SlAnnotation *an = g_ptr_array_index (self->shown, i);
      SlBounds bounds;

      sl_annotation_get_bounds (an, &bounds);
      /* Wholly inside the band, as in most editors. */
      if (!an->hidden &&
          bounds.min_x >= band.min_x && bounds.max_x <= band.max_x &&
          bounds.min_y >= band.min_y && bounds.max_y <= band.max_y)
        g_array_append_val (ids, an->id);
    }
  _sl_annotation_layer_set_selection (self, (gint64 *) ids->data, ids->len, TRUE);
}

static void
on_drag_end (GtkGestureDrag    *gesture,
             double             dx,
             double             dy,
             SlAnnotationLayer *self)
{
  gboolean moved = hypot (dx, dy) > SL_LAYER_CLICK_SLOP;
  SlPoint p;

  on_drag_update (gesture, dx, dy, self);
  switch (self->drag_kind)
    {
    case DRAG_MOVE:
      if (moved)
        commit_edit (self, self->editing != NULL && self->editing->len == 1 ? _("Move Annotation") : _("Move Annotations"));
      break;
    case DRAG_HANDLE:
      commit_edit (self, self->handle.kind == SL_HANDLE_ROTATE ? _("Rotate Annotation")
                         : self->handle.kind == SL_HANDLE_VERTEX ? _("Move Point") : _("Resize Annotation"));
      break;
    case DRAG_RUBBER_BAND:
      select_in_band (self);
      break;
    case DRAG_DRAW:
      if (self->draft_kind == SL_SHAPE_BOX)
        {
          if (moved && self->draft->len == 4)
            _sl_annotation_layer_add_shape (self, SL_SHAPE_BOX, (SlPoint *) self->draft->data, 4);
          clear_draft (self);
        }
      else if (self->tool == SL_ANNOTATION_TOOL_ROTATED_BOX)
        {
          /* The long side is drawn: the width follows the pointer until a click. */
          if (moved)
            {
              _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &p);
              g_array_set_size (self->draft, 1);
              g_array_append_val (self->draft, p);
              self->draft_kind = SL_SHAPE_ROTATED_BOX;
              self->draft_width = TRUE;
              self->draft_follow = FALSE;
              update_rotated_width (self);
            }
          else
            clear_draft (self);
        }
      else if (self->tool == SL_ANNOTATION_TOOL_LINE)
        {
          _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &p);
          g_array_append_val (self->draft, p);
          _sl_annotation_layer_add_shape (self, SL_SHAPE_LINE, (SlPoint *) self->draft->data, self->draft->len);
          clear_draft (self);
        }
      break;
    case DRAG_CLICK:
      _sl_annotation_layer_widget_to_site (self, self->press_x, self->press_y, &p);
      if (self->tool == SL_ANNOTATION_TOOL_POINT)
        _sl_annotation_layer_add_shape (self, SL_SHAPE_POINT, &p, 1);
      else if (is_double_click (self, self->press_x, self->press_y) && self->draft != NULL)
        sl_annotation_layer_finish (self);
      else
        {
          if (self->draft == NULL)
            start_draft (self, self->tool == SL_ANNOTATION_TOOL_POLYGON ? SL_SHAPE_POLYGON : SL_SHAPE_LINE, TRUE);
          g_array_append_val (self->draft, p);
        }
      break;
    case DRAG_NONE:
    default:
      break;
    }
  _sl_annotation_layer_clear_drag (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_hover_cursor (SlAnnotationLayer *self)
{
  SlHandle handle;

  if (self->tool != SL_ANNOTATION_TOOL_SELECT)
    set_cursor (self, "crosshair");
  else if (hit_handle (self, self->pointer_x, self->pointer_y, &handle))
    set_cursor (self, handle.kind == SL_HANDLE_ROTATE ? "grab" : "move");
  else if (hit_test (self, self->pointer_x, self->pointer_y) != NULL)
    set_cursor (self, "pointer");
  else
    set_cursor (self, NULL);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SlAnnotationLayer        *self)
{
  double lx, ly;
  gboolean inside;

  to_layer (self, x, y, &lx, &ly);
  inside = accepts_input (self, lx, ly);
  if (!inside && !self->has_pointer)
    return;
  self->pointer_x = lx;
  self->pointer_y = ly;
  if (self->has_pointer && !inside)
    {
      self->has_pointer = FALSE;
      if (self->drag_kind == DRAG_NONE)
        set_cursor (self, NULL);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  self->has_pointer = TRUE;
  if (self->draft_width)
    update_rotated_width (self);
  if (self->drag_kind == DRAG_NONE)
    update_hover_cursor (self);
  if (self->draft != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller,
          SlAnnotationLayer        *self)
{
  if (!self->has_pointer)
    return;
  self->has_pointer = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Sees the release of a press the layer left to the pane: without a drag, a click on bare
 * imagery, which clears the selection. */
static gboolean
on_event (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          SlAnnotationLayer        *self)
{
  if (gdk_event_get_event_type (event) == GDK_BUTTON_RELEASE && self->pending_clear)
    {
      self->pending_clear = FALSE;
      if (hypot (self->pointer_x - self->press_x, self->pointer_y - self->press_y) <= SL_LAYER_CLICK_SLOP &&
          g_hash_table_size (self->selected) > 0)
        _sl_annotation_layer_set_selection (self, NULL, 0, FALSE);
    }
  return GDK_EVENT_PROPAGATE;
}

/* --- shared with the other files --- */

void
_sl_annotation_layer_init_input (SlAnnotationLayer *self)
{
  self->drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);

  self->motion = gtk_event_controller_motion_new ();
  g_signal_connect (self->motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (self->motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (self->motion, "leave", G_CALLBACK (on_leave), self);

  self->legacy = gtk_event_controller_legacy_new ();
  g_signal_connect (self->legacy, "event", G_CALLBACK (on_event), self);

  _sl_annotation_layer_attach_input (self, GTK_WIDGET (self));
}

void
_sl_annotation_layer_attach_input (SlAnnotationLayer *self,
                                   GtkWidget         *widget)
{
  GtkEventController *controllers[] = { GTK_EVENT_CONTROLLER (self->drag), self->motion, self->legacy };
  /* Over another widget, before its children see the events. */
  GtkPropagationPhase phase = widget == GTK_WIDGET (self) ? GTK_PHASE_BUBBLE : GTK_PHASE_CAPTURE;

  if (self->input_widget == widget)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (controllers); i++)
    {
      if (controllers[i] == NULL)
        continue;
      if (self->input_widget != NULL)
        gtk_widget_remove_controller (self->input_widget, controllers[i]);
      if (widget != NULL)
        {
          gtk_event_controller_set_propagation_phase (controllers[i], phase);
          gtk_widget_add_controller (widget, g_object_ref (controllers[i]));
        }
    }
  if (self->input_widget != NULL && self->input_widget != GTK_WIDGET (self))
    g_object_remove_weak_pointer (G_OBJECT (self->input_widget), (gpointer *) &self->input_widget);
  self->input_widget = widget;
  /* Input from another widget: the layer itself lets every event through to the pane. */
  gtk_widget_set_can_target (GTK_WIDGET (self), widget == GTK_WIDGET (self));
  if (widget != NULL && widget != GTK_WIDGET (self))
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->input_widget);
}

GtkGesture *
_sl_annotation_layer_get_drag_gesture (SlAnnotationLayer *self)
{
  return self->drag;
}

GtkEventController *
_sl_annotation_layer_get_motion_controller (SlAnnotationLayer *self)
{
  return self->motion;
}

void
_sl_annotation_layer_set_test_shift (SlAnnotationLayer *self,
                                     gboolean           shift)
{
  test_shift = shift;
}

/* --- public API --- */

gboolean
sl_annotation_layer_finish (SlAnnotationLayer *self)
{
  gboolean added = FALSE;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (self->draft == NULL || self->draft_width)
    return FALSE;
  if (self->draft_kind == SL_SHAPE_POLYGON && self->draft->len >= 3)
    added = _sl_annotation_layer_add_shape (self, SL_SHAPE_POLYGON, (SlPoint *) self->draft->data, self->draft->len);
  else if (self->draft_kind == SL_SHAPE_LINE && self->draft->len >= 2)
    added = _sl_annotation_layer_add_shape (self, SL_SHAPE_LINE, (SlPoint *) self->draft->data, self->draft->len);
  clear_draft (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return added;
}

gboolean
sl_annotation_layer_cancel (SlAnnotationLayer *self)
{
  gboolean had = FALSE;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  had = self->draft != NULL || self->drag_kind != DRAG_NONE;
  clear_draft (self);
  _sl_annotation_layer_clear_drag (self);
  if (self->drag != NULL)
    gtk_event_controller_reset (GTK_EVENT_CONTROLLER (self->drag));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return had;
}

gboolean
sl_annotation_layer_is_drawing (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);
  return self->draft != NULL;
}
