/* test-window.c — the application shell on real projects: windows, scene list, toasts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sl-application.h"
#include "sl-core.h"
#include "sl-project-overview.h"
#include "sl-recent-projects.h"
#include "sl-scene-row.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-welcome-page.h"
#include "sl-window-private.h"

/* One registered application for the whole run: GApplication registers once. */
static SlApplication *app;

typedef struct
{
  char *dir;
  char *path;  /* the project file */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse", NULL);
}

static void
destroy_all_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  destroy_all_windows ();
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static void
spin_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done says so; fails the test after 30 s. */
static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, on_tick, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the window");
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
  spin_until_idle ();
}

static gboolean
window_is_idle (gpointer data)
{
  return !sl_window_get_busy (SL_WINDOW (data));
}

static gboolean
window_asks_date (gpointer data)
{
  return _sl_window_get_date_dialog (SL_WINDOW (data)) != NULL;
}

static char *
write_scene (Fixture    *f,
             const char *name,
             const char *datetime,
             const char *crs,
             guint32     seed)
{
  char *path = g_build_filename (f->dir, name, NULL);
  SlTestImage spec = {
    .width = 64, .height = 48, .bands = 3,
    .crs = crs, .origin_x = 500000, .origin_y = 6050000, .pixel_size = 10,
    .datetime = datetime,
    .seed = seed,
  };

  sl_test_write_image (path, &spec);
  return path;
}

static void
add_scene (SlProject  *project,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probed = sl_scene_probe (path, &error);
  g_autoptr(SlScene) stored = NULL;

  g_assert_no_error (error);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
}

/* A project with two scenes added latest first: the list must still sort them by date. */
static void
make_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autofree char *late = write_scene (f, "south.tif", "2022:02:21 08:52:00", NULL, 2);
  g_autofree char *early = write_scene (f, "north.tif", "2022:01:18 09:30:00", "EPSG:32636", 1);

  project = sl_project_create (f->path, "Test Site", &error);
  g_assert_no_error (error);
  add_scene (project, late);
  add_scene (project, early);
}

static SlWindow *
open_in_app (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWindow *window;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  spin_until_idle ();

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL && gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_true (SL_IS_WINDOW (window));
  return SL_WINDOW (window);
}

/* The rows the user sees, not the model behind them. */
static SlSceneRow *
get_row (SlWindow *window,
         int       index)
{
  GtkListBox *list_box = _sl_scene_list_get_list_box (_sl_window_get_scene_list (window));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box, index);

  g_assert_true (row == NULL || SL_IS_SCENE_ROW (row));
  return (SlSceneRow *) row;
}

static guint
count_rows (SlWindow *window)
{
  guint n = 0;

  while (get_row (window, n) != NULL)
    n++;

  return n;
}

static void
test_welcome_without_project (Fixture       *f,
                              gconstpointer  data)
{
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
  spin_until_idle ();

  g_assert_cmpstr (_sl_window_get_visible_page (window), ==, "welcome");
  g_assert_cmpstr (_sl_window_get_heading (window), ==, "Sitelapse");
  g_assert_null (sl_window_get_project (window));
  g_assert_null (_sl_window_get_last_toast_title (window));
}

static void
test_scenes_by_date (Fixture       *f,
                     gconstpointer  data)
{
  SlWindow *window;
  SlSceneRow *row;
  const char *summary;

  make_project (f);
  window = open_in_app (f->path);

  g_assert_nonnull (sl_window_get_project (window));
  g_assert_cmpstr (_sl_window_get_visible_page (window), ==, "project");
  g_assert_cmpstr (_sl_window_get_heading (window), ==, "Test Site");
  g_assert_cmpstr (_sl_window_get_subtitle (window), ==, "site.sitelapse");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Test Site — Sitelapse");

  g_assert_cmpuint (count_rows (window), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (sl_scene_list_get_model (_sl_window_get_scene_list (window))), ==, 2);

  row = get_row (window, 0);
  g_assert_cmpstr (_sl_scene_row_get_text (row, 0), ==, "north — 18 Jan 2022");
  g_assert_cmpstr (_sl_scene_row_get_text (row, 1), ==, "18 Jan 2022 09:30 UTC");
  g_assert_cmpstr (_sl_scene_row_get_text (row, 3), ==, "64 × 48 · 3 × Byte");
  g_assert_cmpstr (_sl_scene_row_get_text (row, 4), ==, "UTM 36N");

  row = get_row (window, 1);
  g_assert_cmpstr (_sl_scene_row_get_text (row, 0), ==, "south — 21 Feb 2022");
  g_assert_cmpstr (_sl_scene_row_get_text (row, 1), ==, "21 Feb 2022 08:52 UTC");
  g_assert_cmpstr (_sl_scene_row_get_text (row, 4), ==, "Not registered");

  summary = _sl_project_overview_get_title (_sl_window_get_overview (window));
  g_assert_cmpstr (summary, ==, "2 dates · 18 Jan – 21 Feb 2022");
}

static char *
badge_for (Fixture    *f,
           const char *crs,
           int         gcps)
{
  g_autofree char *path = g_build_filename (f->dir, "badge.tif", NULL);
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(GError) error = NULL;
  SlTestImage spec = {
    .width = 32, .height = 32, .bands = 1,
    .crs = crs, .origin_x = 500000, .origin_y = 6050000, .pixel_size = 10,
    .gcps = gcps,
  };

  if (crs != NULL && strcmp (crs, "EPSG:4326") == 0)
    {
      spec.origin_x = 33.1;
      spec.origin_y = 54.6;
      spec.pixel_size = 0.0001;
    }
  sl_test_write_image (path, &spec);
  scene = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  return sl_scene_row_dup_badge (scene);
}

static void
test_georef_badges (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *utm = badge_for (f, "EPSG:32636", 0);
  g_autofree char *mercator = badge_for (f, "EPSG:3857", 0);
  g_autofree char *geographic = badge_for (f, "EPSG:4326", 0);
  g_autofree char *gcps = badge_for (f, "EPSG:32636", 4);
  g_autofree char *none = badge_for (f, NULL, 0);

  g_assert_cmpstr (utm, ==, "UTM 36N");
  g_assert_cmpstr (mercator, ==, "Pseudo-Mercator");
  g_assert_cmpstr (geographic, ==, "WGS 84");
  g_assert_cmpstr (gcps, ==, "GCPs only");
  g_assert_cmpstr (none, ==, "Not registered");
}

static void
test_open_again_focuses (Fixture       *f,
                         gconstpointer  data)
{
  SlWindow *first;
  SlWindow *second;

  make_project (f);
  first = open_in_app (f->path);
  second = open_in_app (f->path);

  g_assert_true (first == second);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
}

static void
test_second_project_new_window (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->dir, "other.sitelapse", NULL);
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (other);
  SlWindow *first;
  SlWindow *second;

  make_project (f);
  project = sl_project_create (other, "Other Site", &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  first = open_in_app (f->path);
  second = sl_application_open_project (app, file, first);
  spin_until_idle ();

  g_assert_true (first != second);
  g_assert_cmpstr (_sl_window_get_heading (first), ==, "Test Site");
  g_assert_cmpstr (_sl_window_get_heading (second), ==, "Other Site");
  g_assert_true (sl_application_find_window (app, file) == second);
}

static void
test_open_not_a_project (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *bogus = g_build_filename (f->dir, "notes.gpkg", NULL);
  SlWindow *window;
  const char *title;

  sl_test_write_bytes (bogus, "just some notes\n", strlen ("just some notes\n"));

  /* No window yet: the error shows in a welcome window. */
  window = open_in_app (bogus);
  title = _sl_window_get_last_toast_title (window);

  g_assert_nonnull (title);
  g_assert_nonnull (strstr (title, "notes.gpkg"));
  g_assert_null (sl_window_get_project (window));
  g_assert_cmpstr (_sl_window_get_visible_page (window), ==, "welcome");
}

static void
test_open_missing_from_project_window (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "gone.sitelapse", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  SlWindow *window;
  SlWindow *used;

  make_project (f);
  window = open_in_app (f->path);
  used = sl_application_open_project (app, file, window);

  /* The failure lands in the window it came from, which keeps its project. */
  g_assert_true (used == window);
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (window), "gone.sitelapse"));
  g_assert_cmpstr (_sl_window_get_heading (window), ==, "Test Site");
}

static void
test_add_images_updates_list (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *march = write_scene (f, "march.tif", "2022:03:05 07:15:00", "EPSG:32636", 3);
  g_autofree char *broken = g_build_filename (f->dir, "broken.tif", NULL);
  g_autoptr(GFile) march_file = g_file_new_for_path (march);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  GFile *files[2] = { march_file, broken_file };
  SlWindow *window;

  sl_test_write_bytes (broken, "II*\0garbage", 11);
  make_project (f);
  window = open_in_app (f->path);
  g_assert_cmpuint (count_rows (window), ==, 2);

  sl_window_add_images (window, files, G_N_ELEMENTS (files));
  g_assert_true (sl_window_get_busy (window));
  spin_until (window_is_idle, window);

  g_assert_cmpuint (count_rows (window), ==, 3);
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (window, 2), 0), ==, "march — 5 Mar 2022");
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (window), "broken.tif"));
  g_assert_cmpstr (_sl_project_overview_get_title (_sl_window_get_overview (window)), ==,
                   "3 dates · 18 Jan – 5 Mar 2022");

  /* The same image again is refused, by name. */
  sl_window_add_images (window, files, 1);
  spin_until (window_is_idle, window);
  g_assert_cmpuint (count_rows (window), ==, 3);
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (window), "march"));
}

static void
test_add_image_asks_date (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *undated = write_scene (f, "press.tif", NULL, NULL, 4);
  g_autoptr(GFile) file = g_file_new_for_path (undated);
  AdwMessageDialog *dialog;
  SlWindow *window;

  make_project (f);
  window = open_in_app (f->path);

  sl_window_add_images (window, &file, 1);
  spin_until (window_asks_date, window);
  dialog = ADW_MESSAGE_DIALOG (_sl_window_get_date_dialog (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "press.tif"));

  /* Nothing typed, or nonsense: the dialog will not add the image. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  sl_date_dialog_set_text (SL_DATE_DIALOG (dialog), "2022-13-45", "");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  sl_date_dialog_set_text (SL_DATE_DIALOG (dialog), "2022-02-01", "25:99");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));

  sl_date_dialog_set_text (SL_DATE_DIALOG (dialog), "2022-02-01", "10:15");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  adw_message_dialog_response (dialog, "add");
  spin_until_idle ();

  g_assert_null (_sl_window_get_date_dialog (window));
  g_assert_cmpuint (count_rows (window), ==, 3);
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (window, 1), 1), ==, "1 Feb 2022 10:15 UTC");
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (window, 1), 4), ==, "Not registered");
}

static void
test_skip_undated_image (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *undated = write_scene (f, "press.tif", NULL, NULL, 5);
  g_autoptr(GFile) file = g_file_new_for_path (undated);
  SlWindow *window;

  make_project (f);
  window = open_in_app (f->path);

  sl_window_add_images (window, &file, 1);
  spin_until (window_asks_date, window);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (_sl_window_get_date_dialog (window)), "skip");
  spin_until_idle ();

  g_assert_null (_sl_window_get_date_dialog (window));
  g_assert_cmpuint (count_rows (window), ==, 2);
}

static void
test_open_images_with_project (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *march = write_scene (f, "march.tif", "2022:03:05 07:15:00", "EPSG:32636", 6);
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(GFile) image_file = g_file_new_for_path (march);
  SlWindow *window;

  make_project (f);
  window = open_in_app (f->path);

  /* `sitelapse march.tif` while the project is open: a new scene of it. */
  g_application_open (G_APPLICATION (app), &image_file, 1, "");
  spin_until (window_is_idle, window);

  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  g_assert_cmpuint (count_rows (window), ==, 3);
  project_file = g_file_new_for_path (f->path);
  g_assert_true (sl_application_find_window (app, project_file) == window);
}

static void
test_create_project (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "Kherson Bridge.sitelapse", NULL);
  g_autofree char *image = write_scene (f, "april.tif", "2022:04:02 10:00:00", "EPSG:32636", 7);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) image_file = g_file_new_for_path (image);
  SlWindow *welcome = sl_window_new (GTK_APPLICATION (app));
  SlWindow *window;

  /* Replacing a file the user confirmed in the chooser. */
  sl_test_write_bytes (path, "old", 3);

  window = sl_application_create_project (app, file, welcome, &image_file, 1);
  g_assert_true (window == welcome);
  spin_until (window_is_idle, window);

  g_assert_cmpstr (_sl_window_get_heading (window), ==, "Kherson Bridge");
  g_assert_cmpuint (count_rows (window), ==, 1);
}

static void
test_recent_projects (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autofree char *gone = g_build_filename (f->dir, "gone.sitelapse", NULL);
  g_autoptr(GFile) gone_file = g_file_new_for_path (gone);
  g_auto(GStrv) recent = NULL;
  SlWindow *welcome;

  g_settings_reset (settings, "recent-projects");
  sl_test_write_bytes (gone, "x", 1);
  sl_recent_projects_add (settings, gone_file);

  make_project (f);
  open_in_app (f->path);

  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpstr (recent[0], ==, f->path);
  g_assert_cmpstr (recent[1], ==, gone);

  /* A project deleted since is no longer offered. */
  g_unlink (gone);
  g_clear_pointer (&recent, g_strfreev);
  recent = sl_recent_projects_list (settings);
  g_assert_cmpuint (g_strv_length (recent), ==, 1);
  g_assert_cmpstr (recent[0], ==, f->path);

  welcome = sl_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (welcome));
  spin_until_idle ();
  g_assert_cmpuint (_sl_welcome_page_get_n_recent (_sl_window_get_welcome_page (welcome)), ==, 1);

  /* At most ten, newest first. */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("p%u.sitelapse", i);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      sl_test_write_bytes (path, "x", 1);
      sl_recent_projects_add (settings, file);
    }
  g_clear_pointer (&recent, g_strfreev);
  recent = sl_recent_projects_list (settings);
  g_assert_cmpuint (g_strv_length (recent), ==, SL_RECENT_PROJECTS_MAX);
  g_assert_true (g_str_has_suffix (recent[0], "p11.sitelapse"));
  g_assert_cmpuint (_sl_welcome_page_get_n_recent (_sl_window_get_welcome_page (welcome)), ==,
                    SL_RECENT_PROJECTS_MAX);
}

static gboolean
get_sidebar_visible (SlWindow *window)
{
  gboolean visible;

  g_object_get (window, "sidebar-visible", &visible, NULL);
  return visible;
}

static gboolean
window_is_wide (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) >= 1200;
}

static void
test_toggle_sidebar (Fixture       *f,
                     gconstpointer  data)
{
  SlWindow *window;

  make_project (f);
  window = open_in_app (f->path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  /* Wide enough for the sidebar not to fold away (a loaded machine maps the window late). */
  sl_test_spin_until (window_is_wide, window, "the window at its default size");
  spin_until_idle ();

  /* F9's action hides and shows the scene list. */
  g_assert_true (get_sidebar_visible (window));
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (_sl_window_get_scene_list (window))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
  spin_until_idle ();
  g_assert_false (get_sidebar_visible (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
  spin_until_idle ();
  g_assert_true (get_sidebar_visible (window));
}

static void
test_window_state_saved (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  SlWindow *window;
  int width;
  int height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = sl_window_new (GTK_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);

  /* What the user resized it to is what the next window gets. */
  gtk_window_present (GTK_WINDOW (window));
  spin_until_idle ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  spin_until_idle ();
  /* Ctrl+W's action: closing, which saves the state. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  spin_until_idle ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/window/welcome-without-project", test_welcome_without_project);
  ADD ("/window/scenes-by-date", test_scenes_by_date);
  ADD ("/window/georef-badges", test_georef_badges);
  ADD ("/window/open-again-focuses", test_open_again_focuses);
  ADD ("/window/second-project-new-window", test_second_project_new_window);
  ADD ("/window/open-not-a-project", test_open_not_a_project);
  ADD ("/window/open-missing-from-project-window", test_open_missing_from_project_window);
  ADD ("/window/add-images-updates-list", test_add_images_updates_list);
  ADD ("/window/add-image-asks-date", test_add_image_asks_date);
  ADD ("/window/skip-undated-image", test_skip_undated_image);
  ADD ("/window/open-images-with-project", test_open_images_with_project);
  ADD ("/window/create-project", test_create_project);
  ADD ("/window/recent-projects", test_recent_projects);
  ADD ("/window/toggle-sidebar", test_toggle_sidebar);
  ADD ("/window/window-state-saved", test_window_state_saved);
#undef ADD

  status = g_test_run ();

  destroy_all_windows ();
  g_clear_object (&app);
  return status;
}
