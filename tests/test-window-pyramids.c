/* test-window-pyramids.c — a project window builds missing pyramids in the background and
 * shows it in the status line, with a stop button; closing the window stops the build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window-pyramids"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sl-application.h"
#include "sl-core.h"
#include "sl-pyramid-survey.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define TIMEOUT_S 60

static SlApplication *app;

typedef struct
{
  char      *dir;
  char      *path;
  char      *image;
  gint64     scene_id;
  SlWindow  *window;
  gboolean   cache_gone;
} Fixture;

/* A project with one GeoTIFF without overviews (2048², or the side @data points to), dated
 * 18 Jan 2022. */
static void
fixture_setup (Fixture *f, gconstpointer data)
{
  int side = data != NULL ? *(const int *) data : 2048;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) stored = NULL;
  SlTestImage spec = {
    .width = side, .height = side, .bands = 3, .crs = "EPSG:32636",
    .origin_x = 500000, .origin_y = 6050000, .pixel_size = 0.5,
    .datetime = "2022:01:18 09:30:00", .seed = 7,
  };

  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->image = g_build_filename (f->dir, "plain.tif", NULL);
  sl_test_write_image (f->image, &spec);

  project = sl_project_create (f->path, "Pyramid Site", &error);
  g_assert_no_error (error);
  probed = sl_scene_probe (f->image, &error);
  g_assert_no_error (error);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  f->scene_id = sl_scene_get_id (stored);
  sl_project_close (project);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_test_tmpdir_free (f->dir);
  g_free (f->path);
  g_free (f->image);
}

static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (f->path, &error);

  g_assert_no_error (error);
  f->window = sl_window_new (GTK_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (f->window));
  sl_window_set_project (f->window, project);
}

static void
spin_until (gboolean (*done) (Fixture *), Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the window");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static const char *
build_text (Fixture *f)
{
  return _sl_status_bar_get_text (_sl_window_get_status_bar (f->window), SL_STATUS_FIELD_BUILD);
}

static gboolean
shows_build (Fixture *f)
{
  return *build_text (f) != '\0';
}

static gboolean
jobs_idle (Fixture *f)
{
  return !sl_pyramid_jobs_get_busy (_sl_window_get_pyramid_jobs (f->window));
}

static GtkWidget *
find_cancel_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)),
                                              "win.cancel-pyramids") == 0)
        return child;
      if ((found = find_cancel_button (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Levels stored, from zoom 0, and the number the scene's overviews take. */
static int
stored_levels (Fixture *f, int *needed)
{
  SlProject *project = sl_window_get_project (f->window);
  SlTileCache *cache = sl_scene_view_get_cache (_sl_window_get_scene_view (f->window));
  g_autoptr(GError) error = NULL;
  SlPyramidExtent extent;
  int levels;

  g_assert_true (sl_pyramid_extent_init (&extent, project, cache, f->scene_id));
  levels = sl_pyramid_survey_count_levels (f->path, &extent, &error);
  g_assert_no_error (error);
  *needed = extent.native_zoom;
  return levels;
}

static void
test_progress_in_status_line (Fixture *f, gconstpointer data)
{
  GtkWidget *button;
  int needed;

  open_window (f);
  spin_until (shows_build, f);
  g_assert_true (g_str_has_prefix (build_text (f), "Building overviews · 18 Jan 2022 · "));
  g_assert_true (g_str_has_suffix (build_text (f), " %"));
  button = find_cancel_button (GTK_WIDGET (_sl_window_get_status_bar (f->window)));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "process-stop-symbolic");
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));

  /* Done: the line is hidden again, the button with it, and the levels are in the project. */
  spin_until (jobs_idle, f);
  g_assert_cmpstr (build_text (f), ==, "");
  g_assert_false (gtk_widget_is_visible (button));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpint (stored_levels (f, &needed), ==, needed);
  g_assert_null (_sl_window_get_last_toast_title (f->window));
}

static void
test_stop_button (Fixture *f, gconstpointer data)
{
  GtkWidget *button;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  int needed;

  open_window (f);
  spin_until (shows_build, f);
  button = find_cancel_button (GTK_WIDGET (_sl_window_get_status_bar (f->window)));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (build_text (f), ==, "");
  g_assert_true (jobs_idle (f));
  g_assert_false (gtk_widget_is_sensitive (button));

  /* Nothing restarts by itself; the project stays valid with what was stored. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_assert_true (jobs_idle (f));
  g_assert_cmpint (stored_levels (f, &needed), <, needed);
  g_assert_true (sl_project_validate (sl_window_get_project (f->window), problems));
  g_assert_null (_sl_window_get_last_toast_title (f->window));
}

static void
on_cache_finalized (gpointer data, GObject *where)
{
  ((Fixture *) data)->cache_gone = TRUE;
}

static gboolean
cache_gone (Fixture *f)
{
  return f->cache_gone;
}

static void
test_close_stops (Fixture *f, gconstpointer data)
{
  SlTileCache *cache;

  open_window (f);
  spin_until (shows_build, f);
  cache = sl_scene_view_get_cache (_sl_window_get_scene_view (f->window));
  g_object_weak_ref (G_OBJECT (cache), on_cache_finalized, f);

  /* The build holds the cache: it is released as soon as the build has stopped. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  spin_until (cache_gone, f);
}

static void
test_missing_source_toast (Fixture *f, gconstpointer data)
{
  g_assert_cmpint (g_unlink (f->image), ==, 0);
  open_window (f);
  spin_until (jobs_idle, f);
  g_assert_cmpstr (build_text (f), ==, "");
  g_assert_nonnull (_sl_window_get_last_toast_title (f->window));
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (f->window), "plain.tif"));
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (f->window), "moved or deleted"));
}

int
main (int argc, char **argv)
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

  static const int big_side = 6144;

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/window-pyramids/progress-in-status-line", test_progress_in_status_line);
  /* Big enough that the build is still running when Stop is pressed, on a loaded machine too. */
  g_test_add ("/window-pyramids/stop-button", Fixture, &big_side, fixture_setup, test_stop_button, fixture_teardown);
  ADD ("/window-pyramids/close-stops", test_close_stops);
  ADD ("/window-pyramids/missing-source-toast", test_missing_source_toast);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
