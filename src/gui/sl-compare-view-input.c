/* sl-compare-view-input.c — dragging the swipe divider, and the pane menu
 *
 * The divider is not a widget: a drag gesture on the compare view, in the capture phase,
 * claims presses within SL_COMPARE_DIVIDER_GRAB pixels of it before the panes see them, and
 * denies the rest, which then pan the panes as usual. Keyboard users move it with [ and ],
 * and the compare bar's slider reaches it too.
 *
 * A right click on a pane opens its menu: follow the timeline, or stay on one date (a pinned
 * grid pane, or A or B of a two-date mode).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-compare-view-private.h"

static gboolean
is_swiping (SlCompareView *self)
{
  return self->state.mode == SL_COMPARE_SWIPE && _sl_compare_view_solo_pane (self) < 0;
}

static gboolean
near_divider (SlCompareView *self,
              double         x,
              double         y)
{
  double d = _sl_compare_view_divider_px (self);
  double along = self->state.swipe_horizontal ? y : x;

  return is_swiping (self) && fabs (along - d) <= SL_COMPARE_DIVIDER_GRAB;
}

static void
set_divider_cursor (SlCompareView *self,
                    gboolean       near)
{
  const char *name = self->state.swipe_horizontal ? "row-resize" : "col-resize";

  if (self->near_divider == near)
    return;
  self->near_divider = near;
  /* On the panes: the cursor comes from the widget under the pointer. */
  for (guint i = 0; i < 2; i++)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self->panes[i]), near ? name : NULL);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SlCompareView  *self)
{
  if (!near_divider (self, x, y))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->dragging_divider = TRUE;
  self->drag_start = self->state.swipe;
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SlCompareView  *self)
{
  int size;

  if (!self->dragging_divider)
    return;
  size = self->state.swipe_horizontal ? gtk_widget_get_height (GTK_WIDGET (self))
                                      : gtk_widget_get_width (GTK_WIDGET (self));
  if (size > 0)
    sl_compare_view_set_swipe (self, self->drag_start + (self->state.swipe_horizontal ? dy : dx) / size);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SlCompareView  *self)
{
  self->dragging_divider = FALSE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SlCompareView            *self)
{
  set_divider_cursor (self, self->dragging_divider || near_divider (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          SlCompareView            *self)
{
  if (!self->dragging_divider)
    set_divider_cursor (self, FALSE);
}

int
_sl_compare_view_pane_at (SlCompareView *self,
                          double         x,
                          double         y)
{
  guint n = _sl_compare_view_n_panes (self);
  int solo = _sl_compare_view_solo_pane (self);

  switch (self->state.mode)
    {
    case SL_COMPARE_SINGLE:
      return 0;
    case SL_COMPARE_GRID:
      for (guint i = 0; i < n; i++)
        {
          graphene_rect_t bounds;

          if (gtk_widget_compute_bounds (GTK_WIDGET (self->panes[i]), GTK_WIDGET (self), &bounds) &&
              graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)))
            return (int) i;
        }
      return -1;
    case SL_COMPARE_SWIPE:
      if (solo >= 0)
        return solo;
      return (self->state.swipe_horizontal ? y : x) < _sl_compare_view_divider_px (self) ? 0 : 1;
    case SL_COMPARE_BLEND:
    case SL_COMPARE_BLINK:
    case SL_COMPARE_DIFFERENCE:
    case SL_COMPARE_N_MODES:
    default:
      return solo;
    }
}

static GMenuModel *
pane_section (SlCompareView *self,
              guint          pane)
{
  GMenu *section = g_menu_new ();
  guint n = self->scenes != NULL ? g_list_model_get_n_items (self->scenes) : 0;
  g_autoptr(GMenuItem) follow = g_menu_item_new (self->state.mode == SL_COMPARE_SINGLE ? _("Latest Date")
                                                                                      : _("Follow the Timeline"),
                                                 NULL);

  g_menu_item_set_action_and_target (follow, "compare.pin-pane", "(ux)", pane, (gint64) 0);
  g_menu_append_item (section, follow);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (self->scenes, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree char *date = NULL;
      const char *label = sl_scene_get_label (scene);
      GDateTime *acquired = sl_scene_get_acquired (scene);

      if (acquired != NULL)
        {
          g_autoptr(GDateTime) utc = g_date_time_to_utc (acquired);

          date = g_date_time_format (utc, _("%-e %b %Y"));
        }
      /* The label names the scene (two scenes of one day differ by it), else the date. */
      item = g_menu_item_new (label != NULL && *label != '\0' ? label : date != NULL ? date : _("No date"), NULL);
      g_menu_item_set_action_and_target (item, "compare.pin-pane", "(ux)", pane, sl_scene_get_id (scene));
      g_menu_append_item (section, item);
    }
  return G_MENU_MODEL (section);
}

GMenuModel *
_sl_compare_view_build_pane_menu (SlCompareView *self,
                                  double         x,
                                  double         y)
{
  GMenu *menu = g_menu_new ();
  int pane = _sl_compare_view_pane_at (self, x, y);

  if (pane >= 0)
    {
      g_autoptr(GMenuModel) section = pane_section (self, (guint) pane);

      g_menu_append_section (menu, self->state.mode == SL_COMPARE_SINGLE ? _("Show") : _("This Pane Shows"), section);
    }
  else if (_sl_compare_view_is_overlay (self))
    {
      g_autoptr(GMenuModel) first = pane_section (self, 0);
      g_autoptr(GMenuModel) second = pane_section (self, 1);

      g_menu_append_section (menu, _("First Date"), first);
      g_menu_append_section (menu, _("Second Date"), second);
    }
  return G_MENU_MODEL (menu);
}

static void
pin_pane_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);
  guint32 pane;
  gint64 scene_id;

  g_variant_get (param, "(ux)", &pane, &scene_id);
  if (pane >= SL_COMPARE_MAX_PANES)
    return;
  if (self->state.mode == SL_COMPARE_SINGLE)
    sl_compare_view_set_current (self, scene_id);
  else
    sl_compare_view_pin_pane (self, pane, scene_id);
}

static void
on_menu_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 SlCompareView   *self)
{
  g_autoptr(GMenuModel) model = NULL;

  if (self->cache == NULL || self->scenes == NULL)
    return;
  model = _sl_compare_view_build_pane_menu (self, x, y);
  if (g_menu_model_get_n_items (model) == 0)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  self->menu = gtk_popover_menu_new_from_model (model);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

void
_sl_compare_view_class_init_input (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "compare.pin-pane", "(ux)", pin_pane_action);
}

void
_sl_compare_view_init_input (SlCompareView *self)
{
  GtkGesture *menu_click = gtk_gesture_click_new ();

  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_event_controller_set_propagation_phase (motion, GTK_PHASE_CAPTURE);
  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (menu_click), GDK_BUTTON_SECONDARY);
  g_signal_connect (menu_click, "pressed", G_CALLBACK (on_menu_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (menu_click));
}
