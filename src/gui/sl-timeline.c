/* sl-timeline.c — the strip of dates below the compare view
 *
 * One widget draws every date (no widget per scene): this file holds the properties, follows
 * the model, turns clicks and keys into "scene-activated", fills the hover popup and keeps
 * the accessible slider value up to date. Layout and drawing are in sl-timeline-layout.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-timeline"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sl-scene-row.h"
#include "sl-timeline-private.h"

/* How far from a mark (logical px) a click or the pointer still picks it. */
#define HIT_DISTANCE 16.0
/* Largest thumbnail side in the popup, logical px. */
#define POPUP_PICTURE_MAX 200

G_DEFINE_FINAL_TYPE (SlTimeline, sl_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_THUMBNAILS,
  PROP_CURRENT,
  PROP_SECONDARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCENE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mark_clear (gpointer data)
{
  SlTimelineMark *m = data;

  g_clear_object (&m->scene);
}

static void
label_clear (gpointer data)
{
  SlTimelineLabel *label = data;

  g_clear_pointer (&label->text, g_free);
}

static int
compare_marks (gconstpointer a,
               gconstpointer b)
{
  const SlTimelineMark *ma = a, *mb = b;

  /* Ties keep the model's order (x holds it while sorting). */
  if (ma->time != mb->time)
    return ma->time < mb->time ? -1 : 1;
  return (ma->x > mb->x) - (ma->x < mb->x);
}

int
_sl_timeline_find_mark (SlTimeline *self,
                        gint64      scene_id)
{
  for (guint i = 0; i < self->marks->len && scene_id != 0; i++)
    if (g_array_index (self->marks, SlTimelineMark, i).scene_id == scene_id)
      return (int) i;
  return -1;
}

static void
update_accessible (SlTimeline *self)
{
  int current = _sl_timeline_find_mark (self, self->current);
  g_autofree char *text = current >= 0 ? _sl_timeline_format_mark_date (self, current) : g_strdup (_("No date"));

  /* A slider over the dates: its value is the index of the current one. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) MAX (1, (int) self->marks->len) - 1,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) MAX (current, 0),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
reload_marks (SlTimeline *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  g_array_set_size (self->marks, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (self->model, i);
      GDateTime *acquired = scene != NULL ? sl_scene_get_acquired (scene) : NULL;
      SlTimelineMark m = { 0 };

      if (acquired == NULL)
        continue;
      m.scene_id = sl_scene_get_id (scene);
      m.scene = g_steal_pointer (&scene);
      m.time = g_date_time_to_unix (acquired);
      m.x = i;
      g_array_append_val (self->marks, m);
    }
  g_array_sort (self->marks, compare_marks);

  if (_sl_timeline_find_mark (self, self->hovered) < 0)
    self->hovered = 0;
  _sl_timeline_invalidate_layout (self);
  update_accessible (self);
}

static void
on_items_changed (SlTimeline *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *model)
{
  reload_marks (self);
}

static void
activate_scene (SlTimeline *self,
                gint64      scene_id)
{
  if (scene_id != 0)
    g_signal_emit (self, signals[SCENE_ACTIVATED], 0, scene_id);
}

static void
sl_timeline_real_scene_activated (SlTimeline *self,
                                  gint64      scene_id)
{
  sl_timeline_set_current (self, scene_id);
}

/* The mark @delta dates away from the current one; from outside the marks, the first
 * (forwards) or the last (backwards). */
static gint64
step_from_current (SlTimeline *self,
                   int         delta)
{
  int n = (int) self->marks->len, current = _sl_timeline_find_mark (self, self->current), target;

  if (n == 0)
    return 0;
  if (current < 0)
    target = delta > 0 ? 0 : n - 1;
  else
    target = CLAMP (current + delta, 0, n - 1);
  if (target == current)
    return 0;
  return g_array_index (self->marks, SlTimelineMark, target).scene_id;
}

static void
action_step (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlTimeline *self = SL_TIMELINE (widget);
  int n = (int) self->marks->len;

  if (g_str_equal (action_name, "timeline.previous-date"))
    activate_scene (self, step_from_current (self, -1));
  else if (g_str_equal (action_name, "timeline.next-date"))
    activate_scene (self, step_from_current (self, 1));
  else if (g_str_equal (action_name, "timeline.first-date") && n > 0)
    activate_scene (self, step_from_current (self, -n));
  else if (g_str_equal (action_name, "timeline.last-date") && n > 0)
    activate_scene (self, step_from_current (self, n));
  else if (g_str_equal (action_name, "timeline.activate-date") && _sl_timeline_find_mark (self, self->current) >= 0)
    activate_scene (self, self->current);
}

static void
on_click_pressed (SlTimeline      *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  gint64 scene_id = _sl_timeline_scene_at (self, x);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (scene_id == 0)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  activate_scene (self, scene_id);
}

static void
set_hovered (SlTimeline *self,
             gint64      scene_id)
{
  if (self->hovered == scene_id)
    return;
  self->hovered = scene_id;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), scene_id != 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (SlTimeline               *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  set_hovered (self, _sl_timeline_scene_at (self, x));
}

static void
on_leave (SlTimeline               *self,
          GtkEventControllerMotion *motion)
{
  set_hovered (self, 0);
}

/* --- the hover popup: thumbnail, label, date --- */

static void
build_popup (SlTimeline *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *spinner = gtk_spinner_new ();

  self->popup = g_object_ref_sink (box);
  gtk_widget_add_css_class (box, "timeline-popup");

  self->popup_stack = GTK_STACK (gtk_stack_new ());
  self->popup_picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->popup_picture, TRUE);
  gtk_picture_set_content_fit (self->popup_picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_stack_add_named (self->popup_stack, GTK_WIDGET (self->popup_picture), "picture");
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_stack_add_named (self->popup_stack, spinner, "loading");
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->popup_stack), 2);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->popup_stack));

  self->popup_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->popup_title), "heading");
  gtk_label_set_xalign (self->popup_title, 0);
  gtk_label_set_ellipsize (self->popup_title, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->popup_title, 32);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->popup_title));

  self->popup_date = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->popup_date), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->popup_date), "dim-label");
  gtk_label_set_xalign (self->popup_date, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->popup_date));
}

/* The picture's size on screen: the thumbnail's (or, while it is made, the footprint's
 * shape at the thumbnails' size), in logical pixels. FALSE when the scene gets none. */
static gboolean
popup_picture_size (SlTimeline *self,
                    gint64      scene_id,
                    GdkTexture *texture,
                    int        *width,
                    int        *height)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  double w, h, fit;

  if (texture != NULL)
    {
      w = gdk_texture_get_width (texture) / (double) scale;
      h = gdk_texture_get_height (texture) / (double) scale;
    }
  else
    {
      SlTileCache *cache = self->thumbnails != NULL ? sl_scene_thumbnails_get_cache (self->thumbnails) : NULL;
      SlBounds footprint;
      int size = 192;

      if (cache == NULL || sl_tile_cache_get_native_zoom (cache, scene_id) < 0 ||
          !sl_tile_cache_get_footprint (cache, scene_id, &footprint) ||
          footprint.max_x <= footprint.min_x || footprint.max_y <= footprint.min_y)
        return FALSE;
      g_object_get (self->thumbnails, "size", &size, NULL);
      w = footprint.max_x - footprint.min_x;
      h = footprint.max_y - footprint.min_y;
      fit = size / (double) scale / MAX (w, h);
      w *= fit;
      h *= fit;
    }
  fit = MIN (1.0, POPUP_PICTURE_MAX / MAX (w, h));
  *width = MAX (1, (int) round (w * fit));
  *height = MAX (1, (int) round (h * fit));
  return TRUE;
}

static void
update_popup_picture (SlTimeline *self)
{
  GdkTexture *texture = NULL;
  int width, height;

  if (self->thumbnails != NULL)
    texture = sl_scene_thumbnails_lookup (self->thumbnails, self->popup_scene);
  if (!popup_picture_size (self, self->popup_scene, texture, &width, &height))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->popup_stack), FALSE);
      gtk_picture_set_paintable (self->popup_picture, NULL);
      return;
    }
  gtk_widget_set_size_request (GTK_WIDGET (self->popup_stack), width, height);
  gtk_picture_set_paintable (self->popup_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->popup_stack, texture != NULL ? "picture" : "loading");
  gtk_widget_set_visible (GTK_WIDGET (self->popup_stack), TRUE);
}

static void
fill_popup (SlTimeline *self,
            int         index)
{
  SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, index);
  const char *title = sl_scene_get_label (m->scene);
  g_autofree char *date = sl_scene_row_format_date (sl_scene_get_acquired (m->scene));

  if (self->popup == NULL)
    build_popup (self);
  self->popup_scene = m->scene_id;
  gtk_label_set_label (self->popup_title, title != NULL && *title != '\0' ? title : _("Untitled scene"));
  gtk_label_set_label (self->popup_date, date);
  update_popup_picture (self);
}

static gboolean
on_query_tooltip (SlTimeline *self,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  gint64 scene_id = keyboard_mode ? self->current : _sl_timeline_scene_at (self, x);
  int index = _sl_timeline_find_mark (self, scene_id);
  SlTimelineMark *m;

  if (index < 0)
    return FALSE;
  fill_popup (self, index);
  gtk_tooltip_set_custom (tooltip, self->popup);
  /* Moving to another mark asks again. */
  m = &g_array_index (self->marks, SlTimelineMark, index);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { (int) floor (m->mx - self->spacing / 2), 0,
                                                        MAX (2, (int) ceil (self->spacing)), self->layout_height });
  return TRUE;
}

static void
on_thumbnail_ready (SlTimeline        *self,
                    gint64             scene_id,
                    SlSceneThumbnails *thumbnails)
{
  if (self->popup != NULL && scene_id == self->popup_scene)
    update_popup_picture (self);
}

/* --- vfuncs --- */

static void
sl_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = SL_TIMELINE_HEIGHT;
  else
    {
      *minimum = 160;
      *natural = 480;
    }
}

static void
sl_timeline_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  SlTimeline *self = SL_TIMELINE (widget);

  if (width != self->layout_width || height != self->layout_height)
    _sl_timeline_invalidate_layout (self);
}

static void
sl_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sl_timeline_parent_class)->css_changed (widget, change);
  /* The font may have changed: labels are measured again. */
  _sl_timeline_invalidate_layout (SL_TIMELINE (widget));
}

static void
sl_timeline_state_flags_changed (GtkWidget     *widget,
                                 GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (sl_timeline_parent_class)->state_flags_changed (widget, previous);
  /* The focus ring. */
  gtk_widget_queue_draw (widget);
}

static void
sl_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SlTimeline *self = SL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_THUMBNAILS:
      g_value_set_object (value, self->thumbnails);
      break;

    case PROP_CURRENT:
      g_value_set_int64 (value, self->current);
      break;

    case PROP_SECONDARY:
      g_value_set_int64 (value, self->secondary);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SlTimeline *self = SL_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      sl_timeline_set_model (self, g_value_get_object (value));
      break;

    case PROP_THUMBNAILS:
      sl_timeline_set_thumbnails (self, g_value_get_object (value));
      break;

    case PROP_CURRENT:
      sl_timeline_set_current (self, g_value_get_int64 (value));
      break;

    case PROP_SECONDARY:
      sl_timeline_set_secondary (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_timeline_dispose (GObject *object)
{
  SlTimeline *self = SL_TIMELINE (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_clear_object (&self->model);
  if (self->thumbnails != NULL)
    g_clear_signal_handler (&self->thumbnail_ready_id, self->thumbnails);
  g_clear_object (&self->thumbnails);
  g_array_set_size (self->marks, 0);
  g_clear_pointer (&self->totals, g_hash_table_unref);
  /* The tooltip window may still hold the popup: it only shows widgets, no callbacks. */
  g_clear_object (&self->popup);

  G_OBJECT_CLASS (sl_timeline_parent_class)->dispose (object);
}

static void
sl_timeline_finalize (GObject *object)
{
  SlTimeline *self = SL_TIMELINE (object);

  g_array_unref (self->marks);
  g_array_unref (self->labels);
  g_array_unref (self->ticks);

  G_OBJECT_CLASS (sl_timeline_parent_class)->finalize (object);
}

static void
add_step_binding (GtkWidgetClass *widget_class,
                  guint           key,
                  guint           keypad_key,
                  const char     *action)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, action, NULL);
  gtk_widget_class_add_binding_action (widget_class, keypad_key, 0, action, NULL);
}

static void
sl_timeline_class_init (SlTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_timeline_get_property;
  object_class->set_property = sl_timeline_set_property;
  object_class->dispose = sl_timeline_dispose;
  object_class->finalize = sl_timeline_finalize;

  widget_class->snapshot = _sl_timeline_snapshot;
  widget_class->measure = sl_timeline_measure;
  widget_class->size_allocate = sl_timeline_size_allocate;
  widget_class->css_changed = sl_timeline_css_changed;
  widget_class->state_flags_changed = sl_timeline_state_flags_changed;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAILS] =
    g_param_spec_object ("thumbnails", NULL, NULL,
                         SL_TYPE_SCENE_THUMBNAILS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT] =
    g_param_spec_int64 ("current", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECONDARY] =
    g_param_spec_int64 ("secondary", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (gint64 scene_id): the user picked a date; by default it becomes current. */
  signals[SCENE_ACTIVATED] =
    g_signal_new_class_handler ("scene-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (sl_timeline_real_scene_activated), NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "timeline.previous-date", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "timeline.next-date", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "timeline.first-date", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "timeline.last-date", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "timeline.activate-date", NULL, action_step);
  add_step_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "timeline.previous-date");
  add_step_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "timeline.next-date");
  add_step_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "timeline.first-date");
  add_step_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "timeline.last-date");
  add_step_binding (widget_class, GDK_KEY_Return, GDK_KEY_KP_Enter, "timeline.activate-date");

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
sl_timeline_init (SlTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->marks = g_array_new (FALSE, TRUE, sizeof (SlTimelineMark));
  g_array_set_clear_func (self->marks, mark_clear);
  self->labels = g_array_new (FALSE, TRUE, sizeof (SlTimelineLabel));
  g_array_set_clear_func (self->labels, label_clear);
  self->ticks = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dates"),
                                  GTK_ACCESSIBLE_PROPERTY_ORIENTATION, GTK_ORIENTATION_HORIZONTAL,
                                  -1);
  update_accessible (self);
}

/* --- for tests --- */

gint64
_sl_timeline_scene_at (SlTimeline *self,
                       double      x)
{
  double best = G_MAXDOUBLE;
  gint64 scene_id = 0;

  g_return_val_if_fail (SL_IS_TIMELINE (self), 0);

  _sl_timeline_ensure_layout (self);
  if (self->layout_width <= 0)
    return 0;
  for (guint i = 0; i < self->marks->len; i++)
    {
      SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, i);
      double d = fabs (m->mx - x);

      if (d < best)
        {
          best = d;
          scene_id = m->scene_id;
        }
    }
  return best <= HIT_DISTANCE ? scene_id : 0;
}

gboolean
_sl_timeline_get_mark_x (SlTimeline *self,
                         gint64      scene_id,
                         double     *axis_x,
                         double     *mark_x)
{
  int i;

  g_return_val_if_fail (SL_IS_TIMELINE (self), FALSE);

  _sl_timeline_ensure_layout (self);
  i = _sl_timeline_find_mark (self, scene_id);
  if (i < 0 || self->layout_width <= 0)
    return FALSE;
  *axis_x = g_array_index (self->marks, SlTimelineMark, i).x;
  *mark_x = g_array_index (self->marks, SlTimelineMark, i).mx;
  return TRUE;
}

const SlTimelineLabel *
_sl_timeline_get_labels (SlTimeline *self,
                         guint      *n_labels)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), NULL);

  _sl_timeline_ensure_layout (self);
  *n_labels = self->labels->len;
  return (const SlTimelineLabel *) (const void *) self->labels->data;
}

gint64
_sl_timeline_fill_popup (SlTimeline *self,
                         double      x)
{
  int index;

  g_return_val_if_fail (SL_IS_TIMELINE (self), 0);

  index = _sl_timeline_find_mark (self, _sl_timeline_scene_at (self, x));
  if (index < 0)
    return 0;
  fill_popup (self, index);
  return self->popup_scene;
}

GtkPicture *
_sl_timeline_get_popup_picture (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), NULL);

  return self->popup_picture;
}

/* --- public API --- */

GtkWidget *
sl_timeline_new (void)
{
  return g_object_new (SL_TYPE_TIMELINE, NULL);
}

GListModel *
sl_timeline_get_model (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), NULL);

  return self->model;
}

void
sl_timeline_set_model (SlTimeline *self,
                       GListModel *scenes)
{
  g_return_if_fail (SL_IS_TIMELINE (self));
  g_return_if_fail (scenes == NULL || G_IS_LIST_MODEL (scenes));

  if (self->model == scenes)
    return;
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_set_object (&self->model, scenes);
  if (self->model != NULL)
    self->items_changed_id = g_signal_connect_swapped (self->model, "items-changed",
                                                       G_CALLBACK (on_items_changed), self);
  reload_marks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

SlSceneThumbnails *
sl_timeline_get_thumbnails (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), NULL);

  return self->thumbnails;
}

void
sl_timeline_set_thumbnails (SlTimeline        *self,
                            SlSceneThumbnails *thumbnails)
{
  g_return_if_fail (SL_IS_TIMELINE (self));
  g_return_if_fail (thumbnails == NULL || SL_IS_SCENE_THUMBNAILS (thumbnails));

  if (self->thumbnails == thumbnails)
    return;
  if (self->thumbnails != NULL)
    g_clear_signal_handler (&self->thumbnail_ready_id, self->thumbnails);
  g_set_object (&self->thumbnails, thumbnails);
  if (self->thumbnails != NULL)
    self->thumbnail_ready_id = g_signal_connect_swapped (self->thumbnails, "thumbnail-ready",
                                                         G_CALLBACK (on_thumbnail_ready), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAILS]);
}

gint64
sl_timeline_get_current (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), 0);

  return self->current;
}

void
sl_timeline_set_current (SlTimeline *self,
                         gint64      scene_id)
{
  g_return_if_fail (SL_IS_TIMELINE (self));
  g_return_if_fail (scene_id >= 0);

  if (self->current == scene_id)
    return;
  self->current = scene_id;
  _sl_timeline_invalidate_layout (self);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

gint64
sl_timeline_get_secondary (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), 0);

  return self->secondary;
}

void
sl_timeline_set_secondary (SlTimeline *self,
                           gint64      scene_id)
{
  g_return_if_fail (SL_IS_TIMELINE (self));
  g_return_if_fail (scene_id >= 0);

  if (self->secondary == scene_id)
    return;
  self->secondary = scene_id;
  _sl_timeline_invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDARY]);
}

void
sl_timeline_set_totals (SlTimeline *self,
                        GHashTable *scene_id_to_count)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (SL_IS_TIMELINE (self));

  g_clear_pointer (&self->totals, g_hash_table_unref);
  if (scene_id_to_count != NULL)
    {
      self->totals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, scene_id_to_count);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (self->totals, g_memdup2 (key, sizeof (gint64)), value);
    }
  _sl_timeline_invalidate_layout (self);
}
