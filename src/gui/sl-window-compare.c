/* sl-window-compare.c — the window's comparison: the compare bar, the timeline, the sidebar's
 * selection, shortcuts, and saving the comparison in the project
 *
 * The compare view owns the comparison (SlCompareState). The window keeps the sidebar's
 * selection, the timeline and the compare bar in step with it, forwards the "compare"
 * actions and shortcuts to it, and writes the state (with the view) to the project a second
 * after it last changed, and when the project closes, so reopening shows the same view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-window-private.h"

#define SAVE_DELAY_MS 1000
/* The gain slider runs over log2 (gain), 0–4. */
#define GAIN_LOG2_MAX 4.0
/* Thumbnails: the longest side in device pixels. */
#define THUMBNAIL_SIZE 192

static const struct
{
  SlCompareMode  mode;
  const char    *label;
  const char    *tooltip;
} modes[] = {
  { SL_COMPARE_SINGLE, N_("Single"), N_("One Date at a Time") },
  { SL_COMPARE_GRID, N_("Grid"), N_("Dates Side by Side") },
  { SL_COMPARE_SWIPE, N_("Swipe"), N_("Two Dates on Either Side of a Divider") },
  { SL_COMPARE_BLEND, N_("Blend"), N_("The Second Date over the First") },
  { SL_COMPARE_BLINK, N_("Blink"), N_("The Two Dates in Turn (Hold B)") },
  { SL_COMPARE_DIFFERENCE, N_("Difference"), N_("What Changed between the Two Dates") },
};

/* Actions the compare bar and the shortcuts reach, forwarded to the compare view. */
static const char * const forwarded[] = {
  "cycle-mode", "swap-dates", "toggle-orientation", "divider-left", "divider-right",
  "next-date", "previous-date", "play",
};

static gboolean
save_view_state (gpointer user_data)
{
  SlWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  SlCompareState state;

  self->save_view_id = 0;
  if (self->project == NULL)
    return G_SOURCE_REMOVE;
  sl_compare_view_get_state (self->compare_view, &state);
  json = sl_compare_state_to_json (&state);
  /* The view is a convenience: a read-only project keeps its old one. */
  if (!sl_project_set_view_state (self->project, json, &error))
    g_message ("%s", error->message);
  return G_SOURCE_REMOVE;
}

void
_sl_window_flush_view_state (SlWindow *self)
{
  if (self->save_view_id == 0)
    return;
  g_clear_handle_id (&self->save_view_id, g_source_remove);
  save_view_state (self);
}

static void
schedule_save (SlWindow *self)
{
  if (self->project == NULL || self->no_view_saves || sl_compare_view_get_cache (self->compare_view) == NULL)
    return;
  g_clear_handle_id (&self->save_view_id, g_source_remove);
  self->save_view_id = g_timeout_add (SAVE_DELAY_MS, save_view_state, self);
}

/* The compare bar shows the controls of the mode. */
static void
update_bar (SlWindow *self)
{
  SlCompareMode mode = sl_compare_view_get_mode (self->compare_view);
  SlCompareState state;
  const char *page = "slider";
  const char *label = NULL;
  double value = 0;

  sl_compare_view_get_state (self->compare_view, &state);
  switch (mode)
    {
    case SL_COMPARE_SINGLE:
    case SL_COMPARE_BLINK:
      page = "single";
      break;
    case SL_COMPARE_GRID:
      page = "grid";
      break;
    case SL_COMPARE_SWIPE:
      label = _("Divider");
      value = state.swipe;
      break;
    case SL_COMPARE_BLEND:
      label = _("Opacity");
      value = state.opacity;
      break;
    case SL_COMPARE_DIFFERENCE:
      label = _("Gain");
      value = log2 (state.gain) / GAIN_LOG2_MAX;
      break;
    case SL_COMPARE_N_MODES:
    default:
      break;
    }
  gtk_stack_set_visible_child_name (self->mode_controls, page);
  if (label != NULL)
    {
      gtk_label_set_label (self->slider_label, label);
      self->syncing_scale = TRUE;
      gtk_adjustment_set_value (self->mode_adjustment, value);
      self->syncing_scale = FALSE;
    }
  /* Single mode plays the dates; blink sets how fast it alternates. */
  gtk_widget_set_visible (GTK_WIDGET (self->date_scale), mode == SL_COMPARE_SINGLE);
  gtk_widget_set_visible (self->play_button, mode == SL_COMPARE_SINGLE);
  gtk_label_set_label (self->fps_label, mode == SL_COMPARE_BLINK ? _("blinks per second") : _("dates per second"));
  gtk_widget_set_visible (self->orientation_button, mode == SL_COMPARE_SWIPE);
  gtk_widget_set_visible (self->swap_button, mode != SL_COMPARE_SINGLE && mode != SL_COMPARE_GRID);
  gtk_widget_set_visible (self->compare_bar, sl_compare_view_get_cache (self->compare_view) != NULL);
}

static void
on_mode_scale_changed (SlWindow      *self,
                       GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (self->syncing_scale)
    return;
  switch (sl_compare_view_get_mode (self->compare_view))
    {
    case SL_COMPARE_SWIPE:
      sl_compare_view_set_swipe (self->compare_view, value);
      break;
    case SL_COMPARE_BLEND:
      sl_compare_view_set_opacity (self->compare_view, value);
      break;
    case SL_COMPARE_DIFFERENCE:
      sl_compare_view_set_gain (self->compare_view, round (exp2 (value * GAIN_LOG2_MAX) * 4) / 4);
      break;
    case SL_COMPARE_SINGLE:
    case SL_COMPARE_GRID:
    case SL_COMPARE_BLINK:
    case SL_COMPARE_N_MODES:
    default:
      break;
    }
}

static void
on_fps_changed (SlWindow      *self,
                GtkAdjustment *adjustment)
{
  SlCompareState state;
  gboolean blink;

  sl_compare_view_get_state (self->compare_view, &state);
  blink = state.mode == SL_COMPARE_BLINK;
  if (blink)
    state.blink_hz = gtk_adjustment_get_value (adjustment);
  else
    state.play_fps = gtk_adjustment_get_value (adjustment);
  state.has_view = FALSE;
  sl_compare_view_set_state (self->compare_view, &state);
}

static void
sync_fps (SlWindow *self)
{
  SlCompareState state;
  g_autofree char *speed = NULL;

  sl_compare_view_get_state (self->compare_view, &state);
  /* Translators: a speed on the compare bar: "2/s" (dates or blinks per second) */
  speed = g_strdup_printf (_("%g/s"), state.mode == SL_COMPARE_BLINK ? state.blink_hz : state.play_fps);
  gtk_menu_button_set_label (self->speed_button, speed);
  g_signal_handlers_block_by_func (self->fps_adjustment, on_fps_changed, self);
  gtk_adjustment_set_value (self->fps_adjustment,
                            state.mode == SL_COMPARE_BLINK ? state.blink_hz : state.play_fps);
  g_signal_handlers_unblock_by_func (self->fps_adjustment, on_fps_changed, self);
}

/* The date slider of single mode: one stop per date shown. */
static void
sync_date_scale (SlWindow *self)
{
  GListModel *scenes = self->project != NULL ? sl_scene_list_get_visible_model (self->scene_list) : NULL;
  guint n = scenes != NULL ? g_list_model_get_n_items (scenes) : 0;
  gint64 current = sl_compare_view_get_current (self->compare_view);
  guint index = 0;

  gtk_scale_clear_marks (self->date_scale);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (scenes, i);

      gtk_scale_add_mark (self->date_scale, i, GTK_POS_BOTTOM, NULL);
      if (sl_scene_get_id (scene) == current)
        index = i;
    }
  self->syncing_scale = TRUE;
  gtk_adjustment_configure (self->date_adjustment, index, 0, MAX (n, 1) - 1, 1, 1, 0);
  self->syncing_scale = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->date_scale), n > 1);
}

static void
on_date_scale_changed (SlWindow      *self,
                       GtkAdjustment *adjustment)
{
  GListModel *scenes = sl_scene_list_get_visible_model (self->scene_list);
  guint index = (guint) MAX (0, round (gtk_adjustment_get_value (adjustment)));
  g_autoptr(SlScene) scene = NULL;

  if (self->syncing_scale || scenes == NULL || index >= g_list_model_get_n_items (scenes))
    return;
  scene = g_list_model_get_item (scenes, index);
  sl_compare_view_set_current (self->compare_view, sl_scene_get_id (scene));
}

static void
on_compare_state_changed (SlWindow *self)
{
  gint64 current = sl_compare_view_get_current (self->compare_view);

  update_bar (self);
  sync_fps (self);
  sync_date_scale (self);
  sl_timeline_set_current (self->timeline, current);
  sl_timeline_set_secondary (self->timeline, sl_compare_view_get_secondary (self->compare_view));
  if (current > 0 && sl_scene_list_get_selected_scene_id (self->scene_list) != current)
    sl_scene_list_set_selected_scene_id (self->scene_list, current);
  schedule_save (self);
}

static void
on_timeline_activated (SlWindow   *self,
                       gint64      scene_id,
                       SlTimeline *timeline)
{
  sl_compare_view_set_current (self->compare_view, scene_id);
}

static void
on_pointer_changed (SlWindow *self)
{
  SlSceneView *pane = sl_compare_view_get_active_pane (self->compare_view);

  if (sl_status_bar_get_view (self->status_bar) != pane)
    sl_status_bar_set_view (self->status_bar, pane);
}

static void
forward_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  SlWindow *self = user_data;
  g_autofree char *name = g_strconcat ("compare.", g_action_get_name (G_ACTION (action)), NULL);

  gtk_widget_activate_action_variant (GTK_WIDGET (self->compare_view), name, param);
}

static gboolean
on_key_pressed (SlWindow              *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_b || keyval == GDK_KEY_B) &&
      !(state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) &&
      sl_compare_view_get_cache (self->compare_view) != NULL)
    {
      sl_compare_view_hold_b (self->compare_view, TRUE);
      return TRUE;
    }
  return FALSE;
}

static void
on_key_released (SlWindow              *self,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 GtkEventControllerKey *controller)
{
  if (keyval == GDK_KEY_b || keyval == GDK_KEY_B)
    sl_compare_view_hold_b (self->compare_view, FALSE);
}

static GtkWidget *
new_toggle (const char *label,
            const char *tooltip,
            const char *action,
            GVariant   *target)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

void
_sl_window_init_compare (SlWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  static const char * const properties[] = { "mode", "grid-count", "horizontal", "playing" };
  GtkEventController *keys;

  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    {
      g_autoptr(GPropertyAction) action = g_property_action_new (properties[i], self->compare_view, properties[i]);

      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (forwarded[i], NULL);

      g_signal_connect (action, "activate", G_CALLBACK (forward_action), self);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "compare", G_ACTION_GROUP (group));

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    gtk_box_append (self->mode_box,
                    new_toggle (_(modes[i].label), _(modes[i].tooltip), "compare.mode",
                                g_variant_new_string (sl_compare_mode_to_string (modes[i].mode))));
  for (guint n = 2; n <= SL_COMPARE_MAX_PANES; n++)
    {
      g_autofree char *label = g_strdup_printf ("%u", n);
      g_autofree char *tooltip = g_strdup_printf (ngettext ("%u Pane", "%u Panes", n), n);

      gtk_box_append (self->grid_count_box, new_toggle (label, tooltip, "compare.grid-count", g_variant_new_uint32 (n)));
    }

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (keys, "key-released", G_CALLBACK (on_key_released), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_object (self->compare_view, "state-changed", G_CALLBACK (on_compare_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_view, "notify::current", G_CALLBACK (on_compare_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_view, "pointer-changed", G_CALLBACK (on_pointer_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->viewport, "notify", G_CALLBACK (schedule_save), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "scene-activated", G_CALLBACK (on_timeline_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mode_adjustment, "value-changed", G_CALLBACK (on_mode_scale_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fps_adjustment, "value-changed", G_CALLBACK (on_fps_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_adjustment, "value-changed", G_CALLBACK (on_date_scale_changed), self,
                           G_CONNECT_SWAPPED);
  sl_status_bar_set_view (self->status_bar, sl_compare_view_get_pane (self->compare_view, 0));
  update_bar (self);
}

void
_sl_window_class_init_compare (GtkWidgetClass *widget_class)
{
  static const struct { guint keyval; GdkModifierType mods; const char *action; } keys[] = {
    { GDK_KEY_c, 0, "compare.cycle-mode" },
    { GDK_KEY_C, GDK_SHIFT_MASK, "compare.toggle-orientation" },
    { GDK_KEY_x, 0, "compare.swap-dates" },
    { GDK_KEY_bracketleft, 0, "compare.divider-left" },
    { GDK_KEY_bracketright, 0, "compare.divider-right" },
    { GDK_KEY_d, 0, "compare.next-date" },
    { GDK_KEY_Page_Down, 0, "compare.next-date" },
    { GDK_KEY_a, 0, "compare.previous-date" },
    { GDK_KEY_Page_Up, 0, "compare.previous-date" },
    { GDK_KEY_space, 0, "compare.play" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, keys[i].mods, keys[i].action, NULL);
}

void
_sl_window_set_compare_project (SlWindow *self)
{
  g_autofree char *json = NULL;
  /* The scenes shown in the comparison: those not hidden in the sidebar. */
  GListModel *scenes = self->project != NULL ? sl_scene_list_get_visible_model (self->scene_list) : NULL;
  SlCompareState state;

  g_clear_object (&self->thumbnails);
  if (self->cache != NULL)
    self->thumbnails = sl_scene_thumbnails_new (self->cache, THUMBNAIL_SIZE);
  sl_timeline_set_thumbnails (self->timeline, self->thumbnails);
  sl_scene_list_set_thumbnails (self->scene_list, self->thumbnails);
  sl_timeline_set_model (self->timeline, scenes);
  sl_compare_view_set_scenes (self->compare_view, scenes);

  sl_compare_state_init (&state);
  if (self->project != NULL && (json = sl_project_dup_view_state (self->project)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!sl_compare_state_from_json (&state, json, &error))
        {
          g_message ("Ignoring the saved view of ‘%s’: %s", sl_project_get_path (self->project), error->message);
          sl_compare_state_init (&state);
        }
    }
  if (state.current == 0)
    state.current = sl_scene_list_get_selected_scene_id (self->scene_list);
  sl_compare_view_set_state (self->compare_view, &state);
  /* Restoring is no change to save. */
  g_clear_handle_id (&self->save_view_id, g_source_remove);
  on_compare_state_changed (self);
  g_clear_handle_id (&self->save_view_id, g_source_remove);
}

void
_sl_window_set_saves_view (SlWindow *self,
                           gboolean  saves)
{
  self->no_view_saves = !saves;
  if (!saves)
    g_clear_handle_id (&self->save_view_id, g_source_remove);
}

SlCompareView *
_sl_window_get_compare_view (SlWindow *self)
{
  return self->compare_view;
}

SlTimeline *
_sl_window_get_timeline (SlWindow *self)
{
  return self->timeline;
}
