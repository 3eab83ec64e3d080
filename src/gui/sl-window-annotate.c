/* sl-window-annotate.c — the window's annotations: store, classes and undo per project, the
 * tool bar, the "annotate" actions and their shortcuts
 *
 * The window owns one SlAnnotationStore, one SlClassSet and one SlUndoStack per project and
 * hands them to the compare view's layers. Tools and the current class are the window's (every
 * pane draws with them); commands on the selection go to the active layer: the one under the
 * pointer, else the current date's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>
#include <ogr_srs_api.h>

#include "sl-window-private.h"

static const struct
{
  const char *tool;
  const char *icon;
  const char *tooltip;
} tools[] = {
  { "select", "sl-tool-select-symbolic", N_("Select and Move (V)") },
  { "point", "sl-tool-point-symbolic", N_("Point: One Click per Object (. or K)") },
  { "box", "sl-tool-box-symbolic", N_("Box (R)") },
  { "rotated-box", "sl-tool-rotated-box-symbolic", N_("Rotated Box: Long Side, then Width (Shift+R)") },
  { "polygon", "sl-tool-polygon-symbolic", N_("Polygon: Double-Click or Enter Closes (P)") },
  { "line", "sl-tool-line-symbolic", N_("Line and Distance (L)") },
};

/* Actions that change annotations: off for a read-only project. */
static const char * const editing_actions[] = {
  "delete", "duplicate", "paste", "copy-to-next", "undo", "redo",
};

static SlAnnotationLayer *
active_layer (SlWindow *self)
{
  return sl_compare_view_get_active_layer (self->compare_view);
}

static void
for_each_layer (SlWindow *self,
                void    (*func) (SlAnnotationLayer *, gint64),
                gint64    value)
{
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    func (sl_compare_view_get_layer (self->compare_view, i), value);
}

static void
set_layer_tool (SlAnnotationLayer *layer,
                gint64             tool)
{
  sl_annotation_layer_set_tool (layer, (SlAnnotationTool) tool);
}

static void
set_layer_visible (SlAnnotationLayer *layer,
                   gint64             visible)
{
  sl_annotation_layer_set_annotations_visible (layer, visible != 0);
}

static GAction *
lookup (SlWindow   *self,
        const char *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self->annotate_actions), name);
}

static void
set_enabled (SlWindow   *self,
             const char *name,
             gboolean    enabled)
{
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, name)), enabled);
}

static void
update_undo_actions (SlWindow *self)
{
  gboolean writable = self->annotations != NULL && !sl_annotation_store_is_read_only (self->annotations);

  set_enabled (self, "undo", writable && self->undo != NULL && sl_undo_stack_can_undo (self->undo));
  set_enabled (self, "redo", writable && self->undo != NULL && sl_undo_stack_can_redo (self->undo));
}

/* The class menu: every class with its key and its count on the current date. */
static void
update_class_list (SlWindow *self)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(SlCountsTable) counts = NULL;
  gint64 current = sl_compare_view_get_current (self->compare_view);

  g_clear_handle_id (&self->class_list_idle, g_source_remove);
  if (self->classes != NULL)
    classes = sl_class_set_list (self->classes, NULL);
  if (self->annotations != NULL)
    counts = sl_annotation_store_count (self->annotations, NULL);
  _sl_window_update_class_menu (self, classes, counts, current);
}

static gboolean
on_class_list_idle (gpointer user_data)
{
  SlWindow *self = user_data;

  self->class_list_idle = 0;
  update_class_list (self);
  return G_SOURCE_REMOVE;
}

static void
queue_class_list (SlWindow *self)
{
  /* Not while the window goes away. */
  if (self->annotate_actions == NULL || self->compare_view == NULL)
    return;
  if (self->class_list_idle == 0)
    self->class_list_idle = g_idle_add_full (G_PRIORITY_LOW, on_class_list_idle, self, NULL);
}

static void
set_class (SlWindow *self,
           gint64    class_id)
{
  self->class_id = class_id;
  for_each_layer (self, sl_annotation_layer_set_class_id, class_id);
  _sl_window_show_class (self);
}

/* --- actions --- */

static void
tool_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SlWindow *self = user_data;
  const char *name = g_variant_get_string (param, NULL);
  SlAnnotationTool tool;

  if (!sl_annotation_tool_from_string (name, &tool))
    return;
  if (tool != SL_ANNOTATION_TOOL_SELECT)
    self->last_draw_tool = tool;
  g_simple_action_set_state (action, param);
  for_each_layer (self, set_layer_tool, tool);
}

static void
repeat_tool_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SlWindow *self = user_data;

  g_action_activate (lookup (self, "tool"), g_variant_new_string (sl_annotation_tool_to_string (self->last_draw_tool)));
}

static void
class_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  set_class (user_data, g_variant_get_int64 (param));
}

/* 1…9: the class with that shortcut, else the one at that place in the list. */
static void
class_key_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  SlWindow *self = user_data;
  const char *key = g_variant_get_string (param, NULL);
  g_autoptr(GPtrArray) classes = self->classes != NULL ? sl_class_set_list (self->classes, NULL) : NULL;
  guint64 index = g_ascii_isdigit (key[0]) ? g_ascii_strtoull (key, NULL, 10) : 0;

  for (guint i = 0; classes != NULL && i < classes->len; i++)
    if (g_strcmp0 (((SlClass *) g_ptr_array_index (classes, i))->shortcut, key) == 0)
      {
        set_class (self, ((SlClass *) g_ptr_array_index (classes, i))->id);
        return;
      }
  if (classes != NULL && index >= 1 && index <= classes->len)
    set_class (self, ((SlClass *) g_ptr_array_index (classes, index - 1))->id);
}

static void
undo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SlWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean redo = g_str_equal (g_action_get_name (G_ACTION (action)), "redo");
  gint64 scene_id;
  gboolean shown = FALSE;

  if (self->undo == NULL)
    return;
  if (!(redo ? sl_undo_stack_redo (self->undo, &error) : sl_undo_stack_undo (self->undo, &error)))
    {
      _sl_window_show_error_message (self, error->message);
      return;
    }
  /* An edit of another date: go there, so the change is seen. */
  scene_id = sl_undo_stack_get_last_scene_id (self->undo);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      SlAnnotationLayer *layer = sl_compare_view_get_layer (self->compare_view, i);

      shown = shown || (gtk_widget_get_child_visible (GTK_WIDGET (layer)) &&
                        sl_annotation_layer_get_scene_id (layer) == scene_id);
    }
  if (scene_id > 0 && !shown)
    sl_compare_view_set_current (self->compare_view, scene_id);
}

static gint64
next_scene (SlWindow *self,
            gint64    scene_id)
{
  g_autoptr(GPtrArray) scenes = self->project != NULL ? sl_project_list_scenes (self->project, NULL) : NULL;

  for (guint i = 0; scenes != NULL && i + 1 < scenes->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (scenes, i)) == scene_id)
      return sl_scene_get_id (g_ptr_array_index (scenes, i + 1));
  return 0;
}

static void
command_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  SlWindow *self = user_data;
  SlAnnotationLayer *layer = active_layer (self);
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "delete"))
    sl_annotation_layer_delete_selection (layer);
  else if (g_str_equal (name, "duplicate"))
    sl_annotation_layer_duplicate_selection (layer);
  else if (g_str_equal (name, "copy"))
    sl_annotation_layer_copy_selection (layer);
  else if (g_str_equal (name, "paste"))
    sl_annotation_layer_paste (layer);
  else if (g_str_equal (name, "copy-to-next"))
    {
      gint64 next = next_scene (self, sl_annotation_layer_get_scene_id (layer));

      if (next == 0)
        _sl_window_show_error_message (self, _("There is no later date to copy to"));
      else if (sl_annotation_layer_copy_selection_to_scene (layer, next))
        {
          g_autoptr(GArray) ids = sl_annotation_layer_get_selection (layer);
          g_autofree char *title = g_strdup_printf (ngettext ("%u annotation copied to the next date",
                                                              "%u annotations copied to the next date", ids->len),
                                                    ids->len);

          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
        }
    }
  else if (g_str_equal (name, "next-object"))
    sl_annotation_layer_select_next (layer, 1);
  else if (g_str_equal (name, "previous-object"))
    sl_annotation_layer_select_next (layer, -1);
  else if (g_str_equal (name, "frame"))
    sl_annotation_layer_frame_selection (layer);
  else if (g_str_equal (name, "hide"))
    sl_annotation_layer_hide_selection (layer);
  else if (g_str_equal (name, "lock"))
    sl_annotation_layer_toggle_lock (layer);
  else if (g_str_equal (name, "enter"))
    {
      /* Enter closes the shape being drawn, else opens the attributes. */
      if (!sl_annotation_layer_finish (layer))
        sl_annotation_layer_show_properties (layer);
    }
  else if (g_str_equal (name, "cancel"))
    {
      if (!sl_annotation_layer_cancel (layer))
        sl_annotation_layer_select (layer, NULL, 0);
    }
}

static void
hide_all_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  SlWindow *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean hidden = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (hidden));
  for_each_layer (self, set_layer_visible, !hidden);
}

static void
show_other_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  SlWindow *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));
  gboolean show = !g_variant_get_boolean (state);

  g_simple_action_set_state (action, g_variant_new_boolean (show));
  sl_compare_view_set_show_other_annotations (self->compare_view, show);
}

static const GActionEntry entries[] = {
  { "tool", tool_action, "s", "'select'", NULL },
  { "repeat-tool", repeat_tool_action },
  { "class", class_action, "x" },
  { "class-key", class_key_action, "s" },
  { "undo", undo_action },
  { "redo", undo_action },
  { "delete", command_action },
  { "duplicate", command_action },
  { "copy", command_action },
  { "paste", command_action },
  { "copy-to-next", command_action },
  { "next-object", command_action },
  { "previous-object", command_action },
  { "frame", command_action },
  { "hide", command_action },
  { "lock", command_action },
  { "enter", command_action },
  { "cancel", command_action },
  { "hide-all", hide_all_action, NULL, "false" },
  { "show-other", show_other_action, NULL, "false" },
};

/* --- callbacks --- */

static void
on_layer_message (SlWindow   *self,
                  const char *message)
{
  gint64 now = g_get_monotonic_time ();

  /* One toast for a burst of refused clicks. */
  if (g_strcmp0 (message, self->last_annotate_message) == 0 && now - self->last_annotate_message_time < 3 * G_USEC_PER_SEC)
    return;
  g_free (self->last_annotate_message);
  self->last_annotate_message = g_strdup (message);
  self->last_annotate_message_time = now;
  _sl_window_show_error_message (self, message);
}

static GtkWidget *
build_bar (SlWindow *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *linked = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *undo_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button;

  gtk_widget_add_css_class (linked, "linked");
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      button = gtk_toggle_button_new ();
      gtk_button_set_icon_name (GTK_BUTTON (button), tools[i].icon);
      gtk_widget_set_tooltip_text (button, _(tools[i].tooltip));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annotate.tool");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", tools[i].tool);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _(tools[i].tooltip), -1);
      gtk_box_append (GTK_BOX (linked), button);
    }
  gtk_box_append (GTK_BOX (bar), linked);

  gtk_box_append (GTK_BOX (bar), _sl_window_build_class_menu (self));

  gtk_widget_add_css_class (undo_box, "linked");
  button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_tooltip_text (button, _("Undo (Ctrl+Z)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annotate.undo");
  gtk_box_append (GTK_BOX (undo_box), button);
  button = gtk_button_new_from_icon_name ("edit-redo-symbolic");
  gtk_widget_set_tooltip_text (button, _("Redo (Ctrl+Shift+Z)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annotate.redo");
  gtk_box_append (GTK_BOX (undo_box), button);
  gtk_box_append (GTK_BOX (bar), undo_box);

  /* On the right: what is shown, and whether it can be changed. */
  self->read_only_label = gtk_label_new (_("Read-only project"));
  gtk_widget_add_css_class (self->read_only_label, "dim-label");
  gtk_widget_set_tooltip_text (self->read_only_label, _("The project file cannot be written: annotations can be viewed, not changed"));
  gtk_widget_set_hexpand (self->read_only_label, TRUE);
  gtk_widget_set_halign (self->read_only_label, GTK_ALIGN_END);
  gtk_widget_set_visible (self->read_only_label, FALSE);
  gtk_box_append (GTK_BOX (bar), self->read_only_label);

  button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (button), "view-dual-symbolic");
  gtk_widget_set_tooltip_text (button, _("Outline the Other Date’s Annotations"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annotate.show-other");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (bar), button);
  button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (button), "view-conceal-symbolic");
  gtk_widget_set_tooltip_text (button, _("Hide All Annotations (Shift+H)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annotate.hide-all");
  gtk_box_append (GTK_BOX (bar), button);

  gtk_widget_add_css_class (bar, "compare-bar");
  gtk_widget_add_css_class (bar, "annotate-bar");
  return bar;
}

/* --- shared with the other files --- */

void
_sl_window_class_init_annotate (GtkWidgetClass *widget_class)
{
  static const struct
  {
    guint           keyval;
    GdkModifierType mods;
    const char     *action;
    const char     *target;  /* a string parameter, or NULL */
  } keys[] = {
    { GDK_KEY_v, 0, "annotate.tool", "select" },
    { GDK_KEY_period, 0, "annotate.tool", "point" },
    { GDK_KEY_KP_Decimal, 0, "annotate.tool", "point" },
    { GDK_KEY_k, 0, "annotate.tool", "point" },
    { GDK_KEY_r, 0, "annotate.tool", "box" },
    { GDK_KEY_R, GDK_SHIFT_MASK, "annotate.tool", "rotated-box" },
    { GDK_KEY_p, 0, "annotate.tool", "polygon" },
    { GDK_KEY_l, 0, "annotate.tool", "line" },
    { GDK_KEY_n, 0, "annotate.repeat-tool", NULL },
    { GDK_KEY_z, GDK_CONTROL_MASK, "annotate.undo", NULL },
    { GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "annotate.redo", NULL },
    { GDK_KEY_Delete, 0, "annotate.delete", NULL },
    { GDK_KEY_KP_Delete, 0, "annotate.delete", NULL },
    { GDK_KEY_d, GDK_CONTROL_MASK, "annotate.duplicate", NULL },
    { GDK_KEY_c, GDK_CONTROL_MASK, "annotate.copy", NULL },
    { GDK_KEY_v, GDK_CONTROL_MASK, "annotate.paste", NULL },
    { GDK_KEY_b, GDK_CONTROL_MASK, "annotate.copy-to-next", NULL },
    { GDK_KEY_f, 0, "annotate.frame", NULL },
    { GDK_KEY_h, 0, "annotate.hide", NULL },
    { GDK_KEY_H, GDK_SHIFT_MASK, "annotate.hide-all", NULL },
    { GDK_KEY_l, GDK_CONTROL_MASK, "annotate.lock", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (keys[i].target != NULL)
        gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, keys[i].mods, keys[i].action, "s", keys[i].target);
      else
        gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, keys[i].mods, keys[i].action, NULL);
    }
  for (guint i = 0; i <= 9; i++)
    {
      char key[2] = { (char) ('0' + i), '\0' };

      g_autofree char *shifted = g_strdup_printf ("<Shift>%u", i);

      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, 0, "annotate.class-key", "s", key);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + i, 0, "annotate.class-key", "s", key);
      /* Classes past the tenth: Shift and a digit. */
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_SHIFT_MASK, "annotate.class-key", "s", shifted);
    }
}

void
_sl_window_init_annotate (SlWindow *self)
{
  /* Keys the window itself would take for focus moves and default activation: on the
   * compare view, where they bubble up from the focused pane first. */
  static const struct
  {
    guint           keyval;
    GdkModifierType mods;
    const char     *action;
  } view_keys[] = {
    { GDK_KEY_Tab, 0, "annotate.next-object" },
    { GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK, "annotate.previous-object" },
    { GDK_KEY_Tab, GDK_SHIFT_MASK, "annotate.previous-object" },
    { GDK_KEY_Return, 0, "annotate.enter" },
    { GDK_KEY_KP_Enter, 0, "annotate.enter" },
    { GDK_KEY_Escape, 0, "annotate.cancel" },
  };
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->annotate_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->annotate_actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "annotate", G_ACTION_GROUP (self->annotate_actions));
  self->last_draw_tool = SL_ANNOTATION_TOOL_POINT;

  for (guint i = 0; i < G_N_ELEMENTS (view_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (view_keys[i].keyval, view_keys[i].mods),
                                                            gtk_named_action_new (view_keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self->compare_view), shortcuts);

  /* A row of its own under the compare bar: the window's width stays what it was. */
  self->annotate_bar = build_bar (self);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->compare_bar)), self->annotate_bar,
                              self->compare_bar);

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    g_signal_connect_object (sl_compare_view_get_layer (self->compare_view, i), "message",
                             G_CALLBACK (on_layer_message), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_view, "notify::current", G_CALLBACK (queue_class_list), self, G_CONNECT_SWAPPED);
  _sl_window_set_annotate_project (self);
}

static gboolean
is_projected (SlProject *project)
{
  g_autofree char *wkt = sl_project_dup_crs_wkt (project);
  OGRSpatialReferenceH srs;
  gboolean projected = FALSE;

  if (wkt == NULL || *wkt == '\0')
    return FALSE;
  srs = OSRNewSpatialReference (wkt);
  if (srs != NULL)
    {
      projected = OSRIsProjected (srs);
      OSRDestroySpatialReference (srs);
    }
  return projected;
}

void
_sl_window_set_annotate_project (SlWindow *self)
{
  gboolean writable;

  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_func (self->annotations, queue_class_list, self);
  if (self->classes != NULL)
    g_signal_handlers_disconnect_by_func (self->classes, queue_class_list, self);
  if (self->undo != NULL)
    g_signal_handlers_disconnect_by_func (self->undo, update_undo_actions, self);
  sl_compare_view_set_annotations (self->compare_view, NULL, NULL, NULL);
  g_clear_object (&self->undo);
  g_clear_object (&self->classes);
  g_clear_object (&self->annotations);
  self->class_id = 0;

  if (self->project != NULL)
    {
      g_autoptr(GPtrArray) classes = NULL;

      self->annotations = sl_annotation_store_new (self->project);
      self->classes = sl_class_set_new (self->project);
      self->undo = sl_undo_stack_new (self->annotations);
      g_signal_connect_swapped (self->annotations, "changed", G_CALLBACK (queue_class_list), self);
      g_signal_connect_swapped (self->classes, "changed", G_CALLBACK (queue_class_list), self);
      g_signal_connect_swapped (self->undo, "notify::can-undo", G_CALLBACK (update_undo_actions), self);
      g_signal_connect_swapped (self->undo, "notify::can-redo", G_CALLBACK (update_undo_actions), self);
      sl_compare_view_set_annotations (self->compare_view, self->annotations, self->classes, self->undo);
      for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
        sl_annotation_layer_set_metric (sl_compare_view_get_layer (self->compare_view, i), is_projected (self->project));
      /* The first class until one is chosen. */
      classes = sl_class_set_list (self->classes, NULL);
      if (classes != NULL && classes->len > 0)
        self->class_id = ((SlClass *) g_ptr_array_index (classes, 0))->id;
    }
  for_each_layer (self, sl_annotation_layer_set_class_id, self->class_id);

  writable = self->annotations != NULL && !sl_annotation_store_is_read_only (self->annotations);
  for (guint i = 0; i < G_N_ELEMENTS (editing_actions); i++)
    set_enabled (self, editing_actions[i], writable);
  update_undo_actions (self);
  gtk_widget_set_visible (self->read_only_label, self->annotations != NULL && !writable);
  if (self->annotations != NULL && !writable)
    on_layer_message (self, _("This project is read-only: annotations can be viewed but not changed"));
  update_class_list (self);
}

void
_sl_window_dispose_annotate (SlWindow *self)
{
  g_clear_handle_id (&self->class_list_idle, g_source_remove);
  if (self->annotations != NULL)
    g_signal_handlers_disconnect_by_func (self->annotations, queue_class_list, self);
  if (self->classes != NULL)
    g_signal_handlers_disconnect_by_func (self->classes, queue_class_list, self);
  if (self->undo != NULL)
    g_signal_handlers_disconnect_by_func (self->undo, update_undo_actions, self);
  if (self->compare_view != NULL)
    sl_compare_view_set_annotations (self->compare_view, NULL, NULL, NULL);
  g_clear_object (&self->undo);
  g_clear_object (&self->classes);
  g_clear_object (&self->annotations);
  g_clear_object (&self->annotate_actions);
  g_clear_pointer (&self->last_annotate_message, g_free);
}

/* For tests */
SlAnnotationStore *
_sl_window_get_annotation_store (SlWindow *self)
{
  return self->annotations;
}

SlUndoStack *
_sl_window_get_undo_stack (SlWindow *self)
{
  return self->undo;
}

gint64
_sl_window_get_annotation_class (SlWindow *self)
{
  return self->class_id;
}
