/* sl-window-counts.c — counts over time: the counts window (win.show-counts, Ctrl+Shift+T, a
 * button on the annotation bar) and the timeline's per-date totals
 *
 * The totals follow the project's annotation store: every "changed" queues one recount at
 * the next idle, so a paste of a thousand annotations or an undo of a batch recounts once.
 * The counts window is a non-modal companion of the window, kept (hidden) when closed so
 * reopening it is instant; it follows the window's project and current date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-window-private.h"

static void
update_totals (SlWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCountsTable) table = NULL;
  g_autoptr(GHashTable) totals = NULL;

  g_clear_handle_id (&self->totals_idle, g_source_remove);
  if (self->counts_store == NULL)
    {
      sl_timeline_set_totals (self->timeline, NULL);
      return;
    }
  table = sl_annotation_store_count (self->counts_store, &error);
  if (table == NULL)
    {
      g_warning ("%s", error->message);
      sl_timeline_set_totals (self->timeline, NULL);
      return;
    }
  /* Keys point into the table: the timeline copies them. */
  totals = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint s = 0; s < table->scene_ids->len; s++)
    {
      guint total = 0;

      for (guint c = 0; c < table->class_ids->len; c++)
        total += table->counts[(gsize) c * table->scene_ids->len + s];
      g_hash_table_insert (totals, &g_array_index (table->scene_ids, gint64, s), GUINT_TO_POINTER (total));
    }
  sl_timeline_set_totals (self->timeline, totals);
}

static gboolean
on_totals_idle (gpointer user_data)
{
  SlWindow *self = user_data;

  self->totals_idle = 0;
  update_totals (self);
  return G_SOURCE_REMOVE;
}

static void
queue_totals (SlWindow *self)
{
  if (self->totals_idle == 0)
    self->totals_idle = g_idle_add (on_totals_idle, self);
}

static void
disconnect_totals (SlWindow *self)
{
  if (self->counts_store != NULL)
    g_signal_handlers_disconnect_by_func (self->counts_store, queue_totals, self);
  if (self->counts_classes != NULL)
    g_signal_handlers_disconnect_by_func (self->counts_classes, queue_totals, self);
  g_clear_object (&self->counts_store);
  g_clear_object (&self->counts_classes);
}

static void
update_counts_title (SlWindow *self)
{
  AdwWindowTitle *title;
  g_autofree char *name = NULL;

  if (self->counts_window == NULL)
    return;
  title = g_object_get_data (G_OBJECT (self->counts_window), "sl-title");
  name = self->project != NULL ? sl_project_dup_name (self->project) : NULL;
  adw_window_title_set_subtitle (title, name);
}

/* A new project (or none): its store for the totals and the counts window. */
static void
on_project_changed (SlWindow *self)
{
  disconnect_totals (self);
  g_set_object (&self->counts_store, self->annotations);
  g_set_object (&self->counts_classes, self->classes);
  if (self->counts_store != NULL)
    g_signal_connect_swapped (self->counts_store, "changed", G_CALLBACK (queue_totals), self);
  if (self->counts_classes != NULL)
    g_signal_connect_swapped (self->counts_classes, "changed", G_CALLBACK (queue_totals), self);
  update_totals (self);

  if (self->counts_view != NULL)
    {
      sl_counts_view_set_sources (self->counts_view, self->annotations, self->classes);
      sl_counts_view_set_current (self->counts_view, sl_compare_view_get_current (self->compare_view));
    }
  update_counts_title (self);
  if (self->counts_window != NULL && self->project == NULL)
    gtk_widget_set_visible (self->counts_window, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-counts", self->project != NULL);
}

static void
on_current_changed (SlWindow *self)
{
  if (self->counts_view != NULL)
    sl_counts_view_set_current (self->counts_view, sl_compare_view_get_current (self->compare_view));
}

static GtkWidget *
build_counts_window (SlWindow *self)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *title = adw_window_title_new (_("Counts over Time"), NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);
  self->counts_view = SL_COUNTS_VIEW (sl_counts_view_new ());
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->counts_view));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  gtk_window_set_title (GTK_WINDOW (window), _("Counts over Time"));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 720);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_hide_on_close (GTK_WINDOW (window), TRUE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);
  g_object_set_data (G_OBJECT (window), "sl-title", title);
  return window;
}

static void
show_counts_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (self->project == NULL)
    return;
  if (self->counts_window == NULL)
    {
      self->counts_window = build_counts_window (self);
      sl_counts_view_set_current (self->counts_view, sl_compare_view_get_current (self->compare_view));
      sl_counts_view_set_sources (self->counts_view, self->annotations, self->classes);
      update_counts_title (self);
    }
  gtk_window_present (GTK_WINDOW (self->counts_window));
}

/* --- shared with the other files --- */

void
_sl_window_class_init_counts (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-counts", NULL, show_counts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_T, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-counts", NULL);
}

void
_sl_window_init_counts (SlWindow *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("x-office-spreadsheet-symbolic");

  /* At the end of the annotation bar, beside the other views of the annotations. */
  gtk_widget_set_tooltip_text (button, _("Counts over Time (Ctrl+Shift+T)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Counts over Time"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-counts");
  gtk_box_append (GTK_BOX (self->annotate_bar), button);

  g_signal_connect (self, "notify::project", G_CALLBACK (on_project_changed), NULL);
  g_signal_connect_object (self->compare_view, "notify::current", G_CALLBACK (on_current_changed), self,
                           G_CONNECT_SWAPPED);
  on_project_changed (self);
}

void
_sl_window_dispose_counts (SlWindow *self)
{
  g_clear_handle_id (&self->totals_idle, g_source_remove);
  disconnect_totals (self);
  if (self->counts_view != NULL)
    sl_counts_view_set_sources (self->counts_view, NULL, NULL);
  self->counts_view = NULL;
  if (self->counts_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->counts_window));
  self->counts_window = NULL;
}

/* For tests */
SlCountsView *
_sl_window_get_counts_view (SlWindow *self)
{
  return self->counts_view;
}

GtkWidget *
_sl_window_get_counts_window (SlWindow *self)
{
  return self->counts_window;
}
