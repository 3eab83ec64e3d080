/* sl-window.c — a project window: scenes by date beside the compare area
 *
 * A window shows one project, or the welcome page until it gets one; the application
 * routes each project to its own window. The actions live in sl-window-actions.c,
 * drag-and-drop in sl-window-dnd.c, adding images in sl-window-import.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-window-private.h"

G_DEFINE_FINAL_TYPE (SlWindow, sl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_BUSY,
  PROP_SIDEBAR_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ERROR_TOAST_TIMEOUT 10

static void
update_title (SlWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *window_title = NULL;

  if (self->project == NULL)
    {
      adw_window_title_set_title (self->window_title, _("Sitelapse"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Sitelapse"));
      return;
    }

  file_name = g_filename_display_basename (sl_project_get_path (self->project));
  name = sl_project_dup_name (self->project);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = g_strdup (file_name);
    }

  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, file_name);

  /* Translators: the window title for the task switcher: "Site name — Sitelapse" */
  window_title = g_strdup_printf (_("%s — Sitelapse"), name);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
on_project_site_changed (SlWindow  *self,
                         SlProject *project)
{
  update_title (self);
}

static void
update_page (SlWindow *self)
{
  gboolean has_project = self->project != NULL;
  gint64 scene_id = sl_scene_list_get_selected_scene_id (self->scene_list);
  gboolean shows_scene = has_project && self->cache != NULL && scene_id > 0;

  gtk_stack_set_visible_child_name (self->main_stack, has_project ? "project" : "welcome");
  gtk_widget_set_visible (self->sidebar_button, has_project);
  gtk_widget_set_visible (self->add_images_button, has_project);

  /* The dates selected in the sidebar and the timeline; the overview for a project without
   * scenes. */
  if (shows_scene)
    sl_compare_view_set_current (self->compare_view, scene_id);
  gtk_stack_set_visible_child_name (self->content_stack, shows_scene ? "scene" : "overview");
  gtk_widget_set_visible (self->zoom_box, shows_scene);
}

static void
update_zoom_label (SlWindow *self)
{
  g_autofree char *text = NULL;
  double percent = sl_viewport_get_zoom (self->viewport) * 100;

  /* Translators: the zoom on the header bar's zoom button, e.g. "25 %" */
  text = g_strdup_printf (_("%.*f %%"), percent >= 10 ? 0 : 1, percent);
  gtk_label_set_label (self->zoom_label, text);
}

static void
on_selected_scene_changed (SlWindow *self)
{
  update_page (self);
  _sl_window_update_actions (self);
}

static void
on_project_scenes_changed (SlWindow  *self,
                           SlProject *project)
{
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (project);

  /* The first scene founds the grid; a finer one extends it. */
  sl_viewport_set_grid (self->viewport, grid);
}

static void
on_tile_error (SlWindow      *self,
               GError        *error,
               SlCompareView *view)
{
  sl_window_show_error (self, error);
}

static void
on_budget_changed (SlWindow *self)
{
  if (self->cache != NULL)
    sl_tile_cache_set_budget (self->cache,
                              (gsize) g_settings_get_uint (self->settings, "tile-cache-budget-mb") * 1024 * 1024);
}

static void
on_pyramid_finished (SlWindow      *self,
                     gint64         scene_id,
                     const GError  *error,
                     SlPyramidJobs *jobs)
{
  /* A missing source is often reported by the pane too: one toast says it. */
  if (error != NULL && g_strcmp0 (error->message, self->last_toast_title) != 0)
    sl_window_show_error (self, error);
}

static void
on_pyramid_busy_changed (SlWindow *self)
{
  _sl_window_update_actions (self);
}

/* Stops and drops the background builds (they hold the cache). */
static void
clear_pyramid_jobs (SlWindow *self)
{
  if (self->pyramid_jobs == NULL)
    return;
  sl_status_bar_set_jobs (self->status_bar, NULL);
  g_signal_handlers_disconnect_by_data (self->pyramid_jobs, self);
  sl_pyramid_jobs_cancel (self->pyramid_jobs);
  g_clear_object (&self->pyramid_jobs);
}

/* One cache per project: memory tier, tile tables of the project file and GDAL workers; and
 * the background builds of the pyramids its scenes lack. */
static void
set_cache_for (SlWindow  *self,
               SlProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;

  sl_compare_view_set_cache (self->compare_view, NULL);
  clear_pyramid_jobs (self);
  g_clear_object (&self->cache);
  if (project == NULL)
    return;

  grid = sl_project_dup_site_grid (project);
  sl_viewport_set_grid (self->viewport, grid);
  self->cache = sl_tile_cache_new (project,
                                   (gsize) g_settings_get_uint (self->settings, "tile-cache-budget-mb") * 1024 * 1024,
                                   0, &error);
  if (self->cache == NULL)
    {
      sl_window_show_error (self, error);
      return;
    }
  sl_compare_view_set_cache (self->compare_view, self->cache);

  self->pyramid_jobs = sl_pyramid_jobs_new (project, self->cache);
  g_signal_connect_object (self->pyramid_jobs, "scene-finished", G_CALLBACK (on_pyramid_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pyramid_jobs, "notify::busy", G_CALLBACK (on_pyramid_busy_changed), self,
                           G_CONNECT_SWAPPED);
  sl_status_bar_set_jobs (self->status_bar, self->pyramid_jobs);
  sl_pyramid_jobs_start (self->pyramid_jobs);
}

static void
restore_window_state (SlWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
on_settings_changed (SlWindow   *self,
                     const char *key,
                     GSettings  *settings)
{
  _sl_window_update_recent_menu (self);
}

static gboolean
sl_window_close_request (GtkWindow *window)
{
  SlWindow *self = SL_WINDOW (window);
  int width;
  int height;

  _sl_window_flush_view_state (self);
  /* Outside maximized and fullscreen states GTK keeps the default size current. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && !gtk_window_is_fullscreen (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (sl_window_parent_class)->close_request (window);
}

static void
sl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, sl_window_get_busy (self));
      break;

    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar_visible);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      sl_window_set_project (self, g_value_get_object (value));
      break;

    case PROP_SIDEBAR_VISIBLE:
      if (self->sidebar_visible != g_value_get_boolean (value))
        {
          self->sidebar_visible = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_window_dispose (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  _sl_window_clear_import (self);
  _sl_window_flush_view_state (self);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_settings_changed, self);
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, on_project_site_changed, self);
      g_signal_handlers_disconnect_by_func (self->project, on_project_scenes_changed, self);
    }

  /* The builds first: they stop at once, and hold the cache until they do. */
  clear_pyramid_jobs (self);
  /* Its property actions hold the compare view (and so the cache). */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "compare", NULL);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "annotate", NULL);
  _sl_window_dispose_counts (self);
  _sl_window_dispose_export (self);
  _sl_window_dispose_labels (self);
  _sl_window_dispose_register (self);
  _sl_window_dispose_annotate (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_WINDOW);

  /* After the panes, which stop asking it for tiles. */
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->cache);
  g_clear_object (&self->viewport);
  g_clear_object (&self->project);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sl_window_parent_class)->dispose (object);
}

static void
sl_window_finalize (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  g_clear_pointer (&self->last_toast_title, g_free);
  g_clear_pointer (&self->import_errors, g_strfreev);

  G_OBJECT_CLASS (sl_window_parent_class)->finalize (object);
}

static void
sl_window_class_init (SlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = sl_window_get_property;
  object_class->set_property = sl_window_set_property;
  object_class->dispose = sl_window_dispose;
  object_class->finalize = sl_window_finalize;
  window_class->close_request = sl_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         SL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SL_TYPE_WELCOME_PAGE);
  g_type_ensure (SL_TYPE_SCENE_LIST);
  g_type_ensure (SL_TYPE_PROJECT_OVERVIEW);
  g_type_ensure (SL_TYPE_COMPARE_VIEW);
  g_type_ensure (SL_TYPE_TIMELINE);
  g_type_ensure (SL_TYPE_STATUS_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, add_images_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, scene_list);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, compare_view);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, compare_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, mode_box);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, mode_controls);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, grid_count_box);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, slider_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, mode_scale);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, mode_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, fps_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, date_scale);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, fps_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, speed_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, date_adjustment);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, swap_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, orientation_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, project_section);

  _sl_window_class_install_actions (widget_class);
  _sl_window_class_init_compare (widget_class);
  _sl_window_class_init_annotate (widget_class);
  _sl_window_class_init_counts (widget_class);
  _sl_window_class_init_export (widget_class);
  _sl_window_class_init_labels (widget_class);
  _sl_window_class_init_register (widget_class);
}

static void
sl_window_init (SlWindow *self)
{
  self->sidebar_visible = TRUE;
  g_queue_init (&self->pending_dates);

  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (on_settings_changed), self,
                           G_CONNECT_SWAPPED);

  g_object_bind_property (self, "sidebar-visible", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->viewport = sl_viewport_new ();
  sl_compare_view_set_viewport (self->compare_view, self->viewport);
  g_signal_connect_object (self->viewport, "notify::zoom", G_CALLBACK (update_zoom_label), self, G_CONNECT_SWAPPED);
  update_zoom_label (self);
  g_signal_connect_object (self->scene_list, "notify::selected-scene-id",
                           G_CALLBACK (on_selected_scene_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->compare_view, "tile-error", G_CALLBACK (on_tile_error), self, G_CONNECT_SWAPPED);
  _sl_window_init_compare (self);
  _sl_window_init_annotate (self);
  _sl_window_init_counts (self);
  _sl_window_init_export (self);
  _sl_window_init_labels (self);
  _sl_window_init_register (self);
  g_signal_connect_object (self->settings, "changed::tile-cache-budget-mb",
                           G_CALLBACK (on_budget_changed), self, G_CONNECT_SWAPPED);

  restore_window_state (self);
  _sl_window_setup_drop_target (self);
  _sl_window_update_recent_menu (self);
  update_title (self);
  update_page (self);
  _sl_window_update_actions (self);
}

SlWindow *
sl_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SL_TYPE_WINDOW, "application", application, NULL);
}

SlProject *
sl_window_get_project (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->project;
}

void
sl_window_set_project (SlWindow  *self,
                       SlProject *project)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (project == NULL || SL_IS_PROJECT (project));

  if (self->project == project)
    return;

  _sl_window_flush_view_state (self);
  /* Work started for the previous project must not land in this one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  _sl_window_clear_import (self);

  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, on_project_site_changed, self);
      g_signal_handlers_disconnect_by_func (self->project, on_project_scenes_changed, self);
    }

  g_set_object (&self->project, project);

  if (project != NULL)
    {
      g_signal_connect_object (project, "site-changed",
                               G_CALLBACK (on_project_site_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "scenes-changed",
                               G_CALLBACK (on_project_scenes_changed), self,
                               G_CONNECT_SWAPPED);
    }

  set_cache_for (self, project);
  sl_status_bar_set_project (self->status_bar, project);
  sl_scene_list_set_project (self->scene_list, project);
  sl_project_overview_set_project (self->overview, project);

  update_title (self);
  update_page (self);
  _sl_window_set_compare_project (self);
  _sl_window_set_annotate_project (self);
  _sl_window_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

gboolean
sl_window_get_busy (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);

  return self->busy_count > 0;
}

void
_sl_window_hold_busy (SlWindow *self)
{
  if (self->busy_count++ == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
      gtk_spinner_start (self->spinner);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

void
_sl_window_release_busy (SlWindow *self,
                         gboolean  all)
{
  if (self->busy_count == 0)
    return;

  self->busy_count = all ? 0 : self->busy_count - 1;
  if (self->busy_count == 0)
    {
      gtk_spinner_stop (self->spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static AdwToast *
add_toast (SlWindow   *self,
           const char *title,
           guint       timeout)
{
  g_autofree char *markup = NULL;
  g_autofree char *old_title = g_steal_pointer (&self->last_toast_title);
  AdwToast *toast;

  self->last_toast_title = g_strdup (title);

  /* A toast title is Pango markup; file names may hold '&' or '<'. */
  markup = g_markup_escape_text (title, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, timeout);
  return toast;
}

void
sl_window_show_toast (SlWindow   *self,
                      const char *title)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, add_toast (self, title, 5));
}

static void
on_launched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SlWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _sl_window_show_error_message (self, error->message);
}

void
_sl_window_launch_path (SlWindow   *self,
                        const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;

  g_return_if_fail (SL_IS_WINDOW (self));

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  uri = g_file_get_uri (file);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), self->cancellable,
                                           on_launched, g_object_ref (self));
}

void
_sl_window_show_error_message (SlWindow   *self,
                               const char *message)
{
  AdwToast *toast;

  g_debug ("%s", message);
  toast = add_toast (self, message, ERROR_TOAST_TIMEOUT);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sl_window_show_error (SlWindow     *self,
                      const GError *error)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  _sl_window_show_error_message (self, error->message);
}

void
_sl_window_show_toast_with_action (SlWindow   *self,
                                   const char *title,
                                   const char *button_label,
                                   const char *action_name)
{
  AdwToast *toast = add_toast (self, title, ERROR_TOAST_TIMEOUT);

  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
_sl_window_get_last_toast_title (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->last_toast_title;
}

SlSceneList *
_sl_window_get_scene_list (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->scene_list;
}

SlProjectOverview *
_sl_window_get_overview (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->overview;
}

SlWelcomePage *
_sl_window_get_welcome_page (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->welcome_page;
}

SlDateDialog *
_sl_window_get_date_dialog (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->date_dialog;
}

SlSceneView *
_sl_window_get_scene_view (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return sl_compare_view_get_pane (self->compare_view, 0);
}

SlStatusBar *
_sl_window_get_status_bar (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->status_bar;
}

SlPyramidJobs *
_sl_window_get_pyramid_jobs (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return self->pyramid_jobs;
}

const char *
_sl_window_get_content_page (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

const char *
_sl_window_get_visible_page (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
_sl_window_get_subtitle (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return adw_window_title_get_subtitle (self->window_title);
}

const char *
_sl_window_get_heading (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  return adw_window_title_get_title (self->window_title);
}
