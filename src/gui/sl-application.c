/* sl-application.c — the Sitelapse application: one window per open project
 *
 * GApplication makes the program single-instance: `sitelapse FILE…` from a second
 * process lands in ::open here. Projects each get one window (opening one again
 * focuses it); images become scenes of the project window they are opened with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-application"

#include "config.h"

#include <gdal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sl-application.h"
#include "sl-recent-projects.h"
#include "sl-screenshot.h"
#include "sl-window.h"

struct _SlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  /* `--screenshot FILE …`: render a project's window and exit. */
  SlScreenshot   *screenshot;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (SlApplication, sl_application, ADW_TYPE_APPLICATION)

static gboolean
is_project_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;

  lower = g_utf8_strdown (name, -1);
  return g_str_has_suffix (lower, ".sitelapse") || g_str_has_suffix (lower, ".gpkg");
}

static GPtrArray *
list_sl_windows (SlApplication *self)
{
  GPtrArray *windows = g_ptr_array_new ();

  /* Most recently focused first. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SL_IS_WINDOW (l->data))
      g_ptr_array_add (windows, l->data);

  return windows;
}

static SlWindow *
new_window (SlApplication *self)
{
  return sl_window_new (GTK_APPLICATION (self));
}

/* The window a project should go to: @from when it is free, else a free window,
 * else a new one. A window showing work in progress is never reused. */
static SlWindow *
pick_window_for_project (SlApplication *self,
                         SlWindow      *from)
{
  g_autoptr(GPtrArray) windows = NULL;

  if (from != NULL && sl_window_get_project (from) == NULL)
    return from;

  windows = list_sl_windows (self);
  for (guint i = 0; i < windows->len; i++)
    {
      SlWindow *window = g_ptr_array_index (windows, i);

      if (sl_window_get_project (window) == NULL && !sl_window_get_busy (window))
        return window;
    }

  return new_window (self);
}

/* Where to report a failure: @from, else the active window, else a welcome window. */
static SlWindow *
pick_window_for_error (SlApplication *self,
                       SlWindow      *from)
{
  g_autoptr(GPtrArray) windows = NULL;

  if (from != NULL)
    return from;

  windows = list_sl_windows (self);
  if (windows->len > 0)
    return g_ptr_array_index (windows, 0);

  return new_window (self);
}

static SlWindow *
pick_window_for_images (SlApplication *self,
                        SlWindow      *from)
{
  g_autoptr(GPtrArray) windows = NULL;

  if (from != NULL && sl_window_get_project (from) != NULL)
    return from;

  windows = list_sl_windows (self);
  for (guint i = 0; i < windows->len; i++)
    {
      SlWindow *window = g_ptr_array_index (windows, i);

      if (sl_window_get_project (window) != NULL)
        return window;
    }

  /* No project yet: the window asks where to create one for the images. */
  return pick_window_for_error (self, from);
}

static SlWindow *
show_error_in (SlApplication *self,
               SlWindow      *from,
               const GError  *error)
{
  SlWindow *window = pick_window_for_error (self, from);

  gtk_window_present (GTK_WINDOW (window));
  sl_window_show_error (window, error);
  return window;
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SlApplication *self = user_data;
  static const char *developers[] = { "The Sitelapse developers", NULL };
  static const char *built_with[] = {
    "GDAL https://gdal.org",
    "GTK https://gtk.org",
    "libadwaita https://gnome.pages.gitlab.gnome.org/libadwaita/",
    "SQLite https://sqlite.org",
    NULL
  };
  g_autofree char *debug_info = NULL;
  GtkWidget *about;

  debug_info = g_strdup_printf ("Sitelapse %s (%s)\n"
                                "GLib %u.%u.%u\n"
                                "GTK %u.%u.%u\n"
                                "libadwaita %u.%u.%u\n"
                                "%s\n",
                                PACKAGE_VERSION, APP_ID,
                                glib_major_version, glib_minor_version, glib_micro_version,
                                gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                                adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
                                GDALVersionInfo ("--version"));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Sitelapse"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Sitelapse developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Compare and annotate satellite imagery of one site over time."),
                        "website", "https://github.com/sitelapse/sitelapse",
                        "issue-url", "https://github.com/sitelapse/sitelapse/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© The Sitelapse developers"),
                        "developers", developers,
                        /* Translators: your names, one per line, for the About window */
                        "translator-credits", _("translator-credits"),
                        "debug-info", debug_info,
                        "debug-info-filename", "sitelapse-debug-info.txt",
                        NULL);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), _("Built With"), built_with);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SlApplication *self = user_data;
  g_autoptr(GPtrArray) windows = NULL;
  GList *all = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing, not destroying, so each window saves its state on the way out. */
  windows = g_ptr_array_new_with_free_func (g_object_unref);
  for (GList *l = all; l != NULL; l = l->next)
    g_ptr_array_add (windows, g_object_ref (l->data));
  for (guint i = 0; i < windows->len; i++)
    gtk_window_close (g_ptr_array_index (windows, i));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
};

static gint
sl_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  SlApplication *self = SL_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sitelapse %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_contains (options, "screenshot"))
    {
      g_autoptr(GError) error = NULL;

      self->screenshot = sl_screenshot_new (options, &error);
      if (self->screenshot == NULL)
        {
          g_printerr ("sitelapse: %s\n", error->message);
          return 2;
        }
      /* Its own process, whatever else runs. */
      g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
sl_application_startup (GApplication *application)
{
  SlApplication *self = SL_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (sl_application_parent_class)->startup (application);

  g_set_application_name (_("Sitelapse"));
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = g_settings_new (BASE_ID);
  /* GDAL's block cache: the preference when set, else the core's default (sl_core_init). An
   * explicit GDAL_CACHEMAX in the environment wins over both. */
  if (g_settings_get_uint (self->settings, "gdal-cache-mb") > 0 && g_getenv ("GDAL_CACHEMAX") == NULL)
    GDALSetCacheMax64 ((GIntBig) g_settings_get_uint (self->settings, "gdal-cache-mb") * 1024 * 1024);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
on_screenshot_done (SlApplication *self,
                    GError        *error,
                    SlScreenshot  *screenshot)
{
  if (error != NULL)
    {
      g_printerr ("sitelapse: %s\n", error->message);
      self->exit_status = 1;
    }
  g_application_quit (G_APPLICATION (self));
}

/* The project in a window of the size asked for, set up and rendered by the screenshot. */
static void
take_screenshot (SlApplication  *self,
                 GFile         **files,
                 int             n_files)
{
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = n_files == 1 ? g_file_get_path (files[0]) : NULL;
  SlWindow *window;
  int width, height;

  if (path == NULL)
    {
      g_printerr ("sitelapse: %s\n", _("--screenshot needs one project file"));
      self->exit_status = 2;
      return;
    }
  project = sl_project_open (path, &error);
  if (project == NULL)
    {
      g_printerr ("sitelapse: %s\n", error->message);
      self->exit_status = 1;
      return;
    }

  window = new_window (self);
  sl_screenshot_get_size (self->screenshot, &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect_object (self->screenshot, "done", G_CALLBACK (on_screenshot_done), self, G_CONNECT_SWAPPED);
  sl_screenshot_start (self->screenshot, window);
}

static void
sl_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (SL_APPLICATION (application)->screenshot != NULL)
    {
      take_screenshot (SL_APPLICATION (application), NULL, 0);
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (new_window (SL_APPLICATION (application)));

  gtk_window_present (window);
}

static void
sl_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  SlApplication *self = SL_APPLICATION (application);

  if (self->screenshot != NULL)
    {
      take_screenshot (self, files, n_files);
      return;
    }
  sl_application_open_files (self, files, n_files, NULL);
}

static void
sl_application_dispose (GObject *object)
{
  SlApplication *self = SL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->screenshot);

  G_OBJECT_CLASS (sl_application_parent_class)->dispose (object);
}

static void
sl_application_class_init (SlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sl_application_dispose;
  application_class->handle_local_options = sl_application_handle_local_options;
  application_class->startup = sl_application_startup;
  application_class->activate = sl_application_activate;
  application_class->open = sl_application_open;
}

static void
sl_application_init (SlApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Render the project’s window to a PNG once every visible tile is loaded, and exit"), N_("FILE") },
    { "mode", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --screenshot: single, grid, swipe, blend, blink or difference"), N_("MODE") },
    { "dates", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --screenshot: the dates compared, as scene ids or dates (2022-03-14)"), N_("A,B") },
    { "swipe", 0, 0, G_OPTION_ARG_DOUBLE, NULL, N_("With --screenshot: the divider, 0 to 1"), N_("POSITION") },
    { "center", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --screenshot: the centre in site coordinates"), N_("X,Y") },
    { "zoom", 0, 0, G_OPTION_ARG_DOUBLE, NULL, N_("With --screenshot: the zoom (1 is 100 %)"), N_("ZOOM") },
    { "size", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --screenshot: the window size (1400x900)"), N_("WxH") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PROJECT|IMAGE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Open a Sitelapse project, or add images to the open one."));
}

int
sl_application_get_exit_status (SlApplication *self)
{
  g_return_val_if_fail (SL_IS_APPLICATION (self), 1);

  return self->exit_status;
}

SlApplication *
sl_application_new (void)
{
  return g_object_new (SL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* Also for the .Devel id: the resources are compiled in once. */
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

SlWindow *
sl_application_find_window (SlApplication *self,
                            GFile         *file)
{
  g_autoptr(GPtrArray) windows = NULL;

  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  windows = list_sl_windows (self);
  for (guint i = 0; i < windows->len; i++)
    {
      SlWindow *window = g_ptr_array_index (windows, i);
      SlProject *project = sl_window_get_project (window);
      g_autoptr(GFile) shown = NULL;

      if (project == NULL)
        continue;

      shown = g_file_new_for_path (sl_project_get_path (project));
      if (g_file_equal (shown, file))
        return window;
    }

  return NULL;
}

SlWindow *
sl_application_open_project (SlApplication *self,
                             GFile         *file,
                             SlWindow      *from)
{
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  SlWindow *window;

  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (from == NULL || SL_IS_WINDOW (from), NULL);

  window = sl_application_find_window (self, file);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot open ‘%s’: only local files can be opened"), name);
      return show_error_in (self, from, error);
    }

  project = sl_project_open (path, &error);
  if (project == NULL)
    {
      if (g_error_matches (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_NOT_FOUND))
        sl_recent_projects_remove (self->settings, file);
      return show_error_in (self, from, error);
    }

  window = pick_window_for_project (self, from);
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  sl_recent_projects_add (self->settings, file);

  return window;
}

SlWindow *
sl_application_create_project (SlApplication  *self,
                               GFile          *file,
                               SlWindow       *from,
                               GFile         **images,
                               guint           n_images)
{
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *site_name = NULL;
  SlWindow *window;

  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (from == NULL || SL_IS_WINDOW (from), NULL);
  g_return_val_if_fail (images != NULL || n_images == 0, NULL);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot create ‘%s’: projects must be local files"), name);
      return show_error_in (self, from, error);
    }

  if (sl_application_find_window (self, file) != NULL)
    {
      g_autofree char *name = g_filename_display_basename (path);

      g_set_error (&error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_EXISTS,
                   _("Cannot replace ‘%s’: it is open in another window"), name);
      return show_error_in (self, from, error);
    }

  /* The file chooser asked the user before choosing an existing file: replace it,
   * with the SQLite journal files a previous project may have left beside it. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      static const char *sidecars[] = { "-wal", "-shm", "-journal" };

      if (!g_file_delete (file, NULL, &error))
        {
          g_autofree char *name = g_filename_display_basename (path);
          g_autoptr(GError) replace_error = NULL;

          g_set_error (&replace_error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_EXISTS,
                       _("Cannot replace ‘%s’: %s"), name, error->message);
          return show_error_in (self, from, replace_error);
        }

      for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
        {
          g_autofree char *sidecar = g_strconcat (path, sidecars[i], NULL);
          g_unlink (sidecar);
        }
    }

  site_name = sl_recent_projects_dup_title (path);
  project = sl_project_create (path, site_name, &error);
  if (project == NULL)
    {
      return show_error_in (self, from, error);
    }

  window = pick_window_for_project (self, from);
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  sl_recent_projects_add (self->settings, file);

  if (n_images > 0)
    sl_window_add_images (window, images, n_images);

  return window;
}

void
sl_application_open_files (SlApplication  *self,
                           GFile         **files,
                           guint           n_files,
                           SlWindow       *from)
{
  g_autoptr(GPtrArray) images = NULL;
  SlWindow *target = NULL;

  g_return_if_fail (SL_IS_APPLICATION (self));
  g_return_if_fail (files != NULL || n_files == 0);
  g_return_if_fail (from == NULL || SL_IS_WINDOW (from));

  images = g_ptr_array_new ();
  for (guint i = 0; i < n_files; i++)
    {
      if (is_project_file (files[i]))
        target = sl_application_open_project (self, files[i], from);
      else
        g_ptr_array_add (images, files[i]);
    }

  if (images->len == 0)
    return;

  /* Images opened together with a project go into it. */
  if (target == NULL || sl_window_get_project (target) == NULL)
    target = pick_window_for_images (self, from);

  gtk_window_present (GTK_WINDOW (target));
  sl_window_add_images (target, (GFile **) images->pdata, images->len);
}
