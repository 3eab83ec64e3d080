/* sl-welcome-page.c — what a window without a project shows: new, open and recent projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-recent-projects.h"
#include "sl-welcome-page.h"

struct _SlWelcomePage
{
  AdwBin               parent_instance;

  GSettings           *settings;
  guint                n_recent;

  AdwStatusPage       *status_page;
  AdwPreferencesGroup *recent_group;
  GtkListBox          *recent_list;
};

G_DEFINE_FINAL_TYPE (SlWelcomePage, sl_welcome_page, ADW_TYPE_BIN)

static GtkWidget *
create_recent_row (const char *path)
{
  g_autofree char *title = sl_recent_projects_dup_title (path);
  g_autofree char *folder = sl_recent_projects_dup_folder (path);
  GtkWidget *row;
  GtkWidget *icon;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), folder);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-recent");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (path));
  gtk_widget_set_tooltip_text (row, path);

  icon = gtk_image_new_from_icon_name ("go-next-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
reload_recent (SlWelcomePage *self)
{
  g_auto(GStrv) paths = sl_recent_projects_list (self->settings);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  self->n_recent = g_strv_length (paths);
  for (guint i = 0; i < self->n_recent; i++)
    gtk_list_box_append (self->recent_list, create_recent_row (paths[i]));

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), self->n_recent > 0);
}

static void
on_settings_changed (SlWelcomePage *self,
                     const char    *key,
                     GSettings     *settings)
{
  reload_recent (self);
}

static void
sl_welcome_page_map (GtkWidget *widget)
{
  SlWelcomePage *self = SL_WELCOME_PAGE (widget);

  /* Projects may have been deleted or moved since the list was built. */
  reload_recent (self);

  GTK_WIDGET_CLASS (sl_welcome_page_parent_class)->map (widget);
}

static void
sl_welcome_page_dispose (GObject *object)
{
  SlWelcomePage *self = SL_WELCOME_PAGE (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_settings_changed, self);
  g_clear_object (&self->settings);

  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself. */
  G_OBJECT_CLASS (sl_welcome_page_parent_class)->dispose (object);
}

static void
sl_welcome_page_class_init (SlWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_welcome_page_dispose;
  widget_class->map = sl_welcome_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SlWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, SlWelcomePage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, SlWelcomePage, recent_list);
}

static void
sl_welcome_page_init (SlWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The application icon; a development build shows its own. */
  adw_status_page_set_icon_name (self->status_page, APP_ID);

  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (on_settings_changed), self,
                           G_CONNECT_SWAPPED);
  reload_recent (self);
}

GtkWidget *
sl_welcome_page_new (void)
{
  return g_object_new (SL_TYPE_WELCOME_PAGE, NULL);
}

guint
_sl_welcome_page_get_n_recent (SlWelcomePage *self)
{
  g_return_val_if_fail (SL_IS_WELCOME_PAGE (self), 0);

  return self->n_recent;
}
