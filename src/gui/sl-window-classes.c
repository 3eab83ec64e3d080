/* sl-window-classes.c — the class menu of the annotation bar: colour, key and count per class
 *
 * A menu button shows the class new annotations get (its colour and name); its popover lists
 * the project's classes with their colour, their key (1…9, 0) and how many annotations of
 * each the current date has, kept up to date as annotations are added and removed. Picking
 * a row is the same as pressing the class's key. "Edit Classes…" under the list opens the
 * class editor (the action "annotate.edit-classes"); the list follows the class set's
 * "changed", and a current class that is removed gives way to the first one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-class-editor.h"
#include "sl-window-private.h"

#define SWATCH_SIZE 14
#define KEY_COLUMN_WIDTH 104

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *colour = g_object_get_data (G_OBJECT (area), "sl-colour");
  GdkRGBA rgba = { 0.6f, 0.6f, 0.6f, 1 };

  if (colour != NULL)
    gdk_rgba_parse (&rgba, colour);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static GtkWidget *
new_swatch (void)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), SWATCH_SIZE);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), SWATCH_SIZE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, NULL, NULL);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  return area;
}

static void
set_swatch_colour (GtkWidget  *swatch,
                   const char *colour)
{
  g_object_set_data_full (G_OBJECT (swatch), "sl-colour", g_strdup (colour), g_free);
  gtk_widget_queue_draw (swatch);
}

static void
on_row_activated (SlWindow      *self,
                  GtkListBoxRow *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "sl-class-id");

  if (id != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->annotate_actions), "class", g_variant_new_int64 (*id));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->class_button));
}

/* The editor over this window, if one is open. */
static SlClassEditor *
find_editor (SlWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SL_IS_CLASS_EDITOR (window) && gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (self))
        return SL_CLASS_EDITOR (window);
    }
  return NULL;
}

static void
edit_classes_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  SlWindow *self = user_data;
  SlClassEditor *editor;

  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->class_button));
  if (self->annotations == NULL || self->classes == NULL)
    return;
  editor = find_editor (self);
  if (editor == NULL)
    editor = sl_class_editor_new (GTK_WINDOW (self), self->annotations, self->classes, self->undo);
  gtk_window_present (GTK_WINDOW (editor));
}

static GtkWidget *
new_row (const SlClass *klass,
         guint          count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *swatch = new_swatch ();
  GtkWidget *name = gtk_label_new (klass->name);
  g_autofree char *text = g_strdup_printf ("%u", count);
  GtkWidget *number = gtk_label_new (text);
  GtkWidget *key_column;

  set_swatch_colour (swatch, klass->colour);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (number, "numeric");
  if (count == 0)
    gtk_widget_add_css_class (number, "dim-label");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), number);
  /* Keys right-aligned in a column as wide as "Shift + 1", so the counts line up. */
  key_column = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_size_request (key_column, KEY_COLUMN_WIDTH, -1);
  gtk_widget_set_hexpand (key_column, FALSE);
  if (klass->shortcut != NULL && *klass->shortcut != '\0')
    {
      GtkWidget *key = gtk_shortcut_label_new (klass->shortcut);

      gtk_widget_set_hexpand (key, TRUE);
      gtk_widget_set_halign (key, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (key_column), key);
    }
  gtk_box_append (GTK_BOX (box), key_column);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "sl-class-id", g_memdup2 (&klass->id, sizeof klass->id), g_free);
  return row;
}

GtkWidget *
_sl_window_build_class_menu (SlWindow *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *edit_button = gtk_button_new_with_mnemonic (_("_Edit Classes…"));
  g_autoptr(GSimpleAction) edit_action = g_simple_action_new ("edit-classes", NULL);

  self->class_swatch = new_swatch ();
  self->class_label = gtk_label_new (_("No Class"));
  gtk_box_append (GTK_BOX (box), self->class_swatch);
  gtk_box_append (GTK_BOX (box), self->class_label);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), box);
  gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (button), TRUE);
  gtk_widget_set_tooltip_text (button, _("Class of New Annotations (1 to 9, 0)"));

  self->class_heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->class_heading), 0);
  gtk_widget_add_css_class (self->class_heading, "heading");
  gtk_widget_set_margin_start (self->class_heading, 6);
  gtk_box_append (GTK_BOX (content), self->class_heading);

  self->class_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->class_list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->class_list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->class_list), "boxed-list");
  g_signal_connect_object (self->class_list, "row-activated", G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 520);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->class_list));
  gtk_widget_set_size_request (scrolled, 320, -1);
  gtk_box_append (GTK_BOX (content), scrolled);

  g_signal_connect_object (edit_action, "activate", G_CALLBACK (edit_classes_action), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self->annotate_actions), G_ACTION (edit_action));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (edit_button), "annotate.edit-classes");
  gtk_widget_set_tooltip_text (edit_button, _("Rename, Recolour, Add, Merge or Delete Classes"));
  gtk_widget_add_css_class (edit_button, "flat");
  gtk_box_append (GTK_BOX (content), edit_button);
  gtk_popover_set_child (GTK_POPOVER (popover), content);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);

  self->class_button = button;
  return button;
}

/* The heading: whose counts the list shows. */
static char *
format_heading (SlWindow *self,
                gint64    scene_id)
{
  g_autoptr(SlScene) scene = self->project != NULL && scene_id > 0 ? sl_project_get_scene (self->project, scene_id, NULL) : NULL;
  GDateTime *acquired = scene != NULL ? sl_scene_get_acquired (scene) : NULL;

  if (acquired != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (acquired);
      /* Translators: see g_date_time_format(); the date the class counts are for */
      g_autofree char *date = g_date_time_format (utc, _("%-e %b %Y"));

      /* Translators: the class menu's heading, with the date its counts are for */
      return g_strdup_printf (_("Classes · counts on %s"), date);
    }
  return g_strdup (_("Classes"));
}

void
_sl_window_update_class_menu (SlWindow      *self,
                              GPtrArray     *classes,
                              SlCountsTable *counts,
                              gint64         scene_id)
{
  GtkWidget *child;
  g_autofree char *heading = format_heading (self, scene_id);
  gboolean current_found = FALSE;

  gtk_label_set_text (GTK_LABEL (self->class_heading), heading);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->class_list))) != NULL)
    gtk_list_box_remove (self->class_list, child);
  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      SlClass *klass = g_ptr_array_index (classes, i);
      guint n = counts != NULL ? sl_counts_table_get (counts, klass->id, scene_id) : 0;

      gtk_list_box_append (self->class_list, new_row (klass, n));
      current_found = current_found || klass->id == self->class_id;
    }
  /* The current class was merged or deleted: new annotations get the first one. */
  if (!current_found && self->class_id > 0 && classes != NULL && classes->len > 0)
    g_action_group_activate_action (G_ACTION_GROUP (self->annotate_actions), "class",
                                    g_variant_new_int64 (((SlClass *) g_ptr_array_index (classes, 0))->id));
  _sl_window_show_class (self);
}

void
_sl_window_show_class (SlWindow *self)
{
  g_autoptr(SlClass) klass = self->classes != NULL && self->class_id > 0 ? sl_class_set_get (self->classes, self->class_id) : NULL;

  gtk_label_set_text (GTK_LABEL (self->class_label), klass != NULL ? klass->name : _("No Class"));
  set_swatch_colour (self->class_swatch, klass != NULL ? klass->colour : NULL);
  gtk_widget_set_sensitive (self->class_button, self->classes != NULL);
  if (self->annotate_actions != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->annotate_actions),
                                                                              "edit-classes")),
                                 self->classes != NULL);
}

/* For tests: the class menu's rows, as "Tank 30". */
char *
_sl_window_describe_class_row (SlWindow *self,
                               guint     index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->class_list, index);
  GtkWidget *box, *name, *number;

  if (row == NULL)
    return NULL;
  box = gtk_list_box_row_get_child (row);
  name = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
  number = gtk_widget_get_next_sibling (name);
  return g_strdup_printf ("%s %s", gtk_label_get_text (GTK_LABEL (name)), gtk_label_get_text (GTK_LABEL (number)));
}
