/* test-export-dialog.c — the export dialog on a real window: opened from the comparison, a
 * live preview, exports, errors and presets
 *
 * A project of three dated GeoTIFFs (written here with GDAL, different pixels and a credit
 * line) is opened in a real SlWindow; win.export opens the dialog. The preview must start
 * from the comparison, redraw (other pixels) soon after a change of layout or title, an
 * export must write a PNG of the size chosen and tell the window, an unwritable destination
 * must leave the message in the dialog and no file, and presets must survive a reopening.
 * Set SL_TEST_PNG_DIR=dir to keep pictures of the dialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-export-dialog"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-export-dialog-private.h"
#include "sl-export-presets.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define N_SCENES 3
/* A preview must follow a change within this (the target is 100 ms; a loaded CI machine
 * running tests side by side gets some slack). */
#define PREVIEW_BOUND_MS 1500

static SlApplication *app;

typedef struct
{
  char      *dir;
  SlProject *project;
  gint64     ids[N_SCENES];
  SlWindow  *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static const char * const dates[N_SCENES] = { "2022:01:10 09:30:00", "2022:01:20 09:31:00", "2022:03:01 09:32:00" };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "export.sitelapse", NULL);
  f->project = sl_project_create (path, "Export Site", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_SCENES; i++)
    {
      g_autofree char *name = g_strdup_printf ("scene-%u.tif", i);
      g_autofree char *image = g_build_filename (f->dir, name, NULL);
      SlTestImage spec = { .width = 256, .height = 192, .bands = 3, .crs = "EPSG:32636",
                           .origin_x = 500000, .origin_y = 6050000, .pixel_size = 1,
                           .datetime = dates[i], .seed = 7 + 31 * i };
      g_autoptr(SlScene) probed = NULL;
      g_autoptr(SlScene) stored = NULL;

      sl_test_write_image (image, &spec);
      probed = sl_scene_probe (image, &error);
      g_assert_no_error (error);
      sl_scene_set_credit (probed, "Image © Test Satellites");
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
      g_assert_true (sl_scene_is_registered (stored));
      f->ids[i] = sl_scene_get_id (stored);
    }
  f->window = sl_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  sl_window_set_project (f->window, f->project);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_project_close (f->project);
  g_clear_object (&f->project);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_test_tmpdir_free (f->dir);
}

static gboolean
has_preview (gpointer data)
{
  return _sl_export_dialog_get_preview_count (data) > 0;
}

static gboolean
window_shows_scene (gpointer data)
{
  SlCompareView *view = _sl_window_get_compare_view (data);

  return gtk_widget_get_width (GTK_WIDGET (sl_compare_view_get_pane (view, 0))) > 0;
}

/* The window in swipe mode, A the first date, B the third, a horizontal divider at 30 %;
 * then win.export, and the dialog's first preview. */
static SlExportDialog *
open_dialog (Fixture *f)
{
  SlCompareView *view = _sl_window_get_compare_view (f->window);
  SlCompareState state;
  SlExportDialog *dialog;

  sl_test_spin_until (window_shows_scene, f->window, "the comparison");
  sl_compare_view_get_state (view, &state);
  state.mode = SL_COMPARE_SWIPE;
  state.current = f->ids[2];
  state.pair[0] = (SlPaneBinding) { f->ids[0], 0 };
  state.pair[1] = (SlPaneBinding) { f->ids[2], 0 };
  state.swipe = 0.3;
  state.swipe_horizontal = TRUE;
  state.has_view = FALSE;
  sl_compare_view_set_state (view, &state);
  sl_test_wait_frame (GTK_WIDGET (view));

  g_assert_null (_sl_window_get_export_dialog (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL));
  dialog = _sl_window_get_export_dialog (f->window);
  g_assert_nonnull (dialog);
  sl_test_spin_until (has_preview, dialog, "the first preview");
  return dialog;
}

/* The preview's pixels (a copy). */
static GBytes *
preview_pixels (SlExportDialog *dialog)
{
  cairo_surface_t *surface = _sl_export_dialog_get_preview_surface (dialog);

  g_assert_nonnull (surface);
  return g_bytes_new (cairo_image_surface_get_data (surface),
                      (gsize) cairo_image_surface_get_stride (surface) * cairo_image_surface_get_height (surface));
}

typedef struct
{
  SlExportDialog *dialog;
  guint           count;
} Wait;

static gboolean
preview_newer (gpointer data)
{
  Wait *w = data;

  return _sl_export_dialog_get_preview_count (w->dialog) > w->count;
}

/* Runs @change, then waits for the next preview: its time in ms. */
static double
time_preview (SlExportDialog *dialog,
              void          (*change) (SlExportDialog *),
              GBytes        **before,
              GBytes        **after)
{
  Wait w = { dialog, _sl_export_dialog_get_preview_count (dialog) };
  gint64 start;

  *before = preview_pixels (dialog);
  start = g_get_monotonic_time ();
  change (dialog);
  sl_test_spin_until (preview_newer, &w, "a new preview");
  *after = preview_pixels (dialog);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
choose_side_by_side (SlExportDialog *dialog)
{
  adw_combo_row_set_selected (dialog->layout_row, CHOICE_SIDE_BY_SIDE);
}

static void
type_title (SlExportDialog *dialog)
{
  gtk_editable_set_text (GTK_EDITABLE (dialog->title_row), "Before and after");
}

static void
test_opens_from_comparison (Fixture       *f,
                            gconstpointer  data)
{
  SlExportDialog *dialog = open_dialog (f);
  const SlComposition *c = sl_export_dialog_get_composition (dialog);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) titled = NULL;
  SlTestPixels pixels = { 0 };
  double ms;

  /* The comparison as it was. */
  g_assert_cmpint (c->layout, ==, SL_LAYOUT_SWIPE);
  g_assert_true (c->horizontal);
  g_assert_cmpfloat_with_epsilon (c->divider, 0.3, 1e-9);
  g_assert_cmpuint (c->n_scenes, ==, 2);
  g_assert_cmpint (c->scene_ids[0], ==, f->ids[0]);
  g_assert_cmpint (c->scene_ids[1], ==, f->ids[2]);
  g_assert_cmpint (c->area, ==, SL_AREA_VIEW);
  g_assert_cmpfloat (c->resolution, >, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (dialog->layout_row), ==, CHOICE_SWIPE_HORIZONTAL);
  g_assert_cmpuint (adw_combo_row_get_selected (dialog->date_b_row), ==, 2);
  /* The scenes' credit, editable. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog->credit_row)), ==, "Image © Test Satellites");
  g_assert_null (c->credit);

  /* A new layout: other pixels, soon. */
  ms = time_preview (dialog, choose_side_by_side, &before, &after);
  g_test_message ("side by side: preview after %.0f ms", ms);
  g_assert_cmpint (c->layout, ==, SL_LAYOUT_SIDE_BY_SIDE);
  g_assert_cmpfloat (ms, <, PREVIEW_BOUND_MS);
  g_assert_false (g_bytes_equal (before, after));
  /* A title: other pixels again. */
  g_clear_pointer (&before, g_bytes_unref);
  ms = time_preview (dialog, type_title, &before, &titled);
  g_test_message ("title: preview after %.0f ms", ms);
  g_assert_cmpstr (c->title, ==, "Before and after");
  g_assert_cmpfloat (ms, <, PREVIEW_BOUND_MS);
  g_assert_false (g_bytes_equal (after, titled));
  g_test_message ("median preview render: %.1f ms", _sl_export_dialog_get_median_render_ms (dialog));

  sl_test_wait_frame (GTK_WIDGET (dialog));
  sl_test_render_widget (adw_window_get_content (ADW_WINDOW (dialog)), &pixels, "export-dialog.png");
  sl_test_pixels_clear (&pixels);

  /* Asking again brings the same dialog forward. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.export", NULL));
  g_assert_true (_sl_window_get_export_dialog (f->window) == dialog);
}

static gboolean
dialog_closed (gpointer data)
{
  return _sl_window_get_export_dialog (data) == NULL;
}

static void
test_export_png (Fixture       *f,
                 gconstpointer  data)
{
  SlExportDialog *dialog = open_dialog (f);
  g_autofree char *path = g_build_filename (f->dir, "graphic.png", NULL);
  cairo_surface_t *png;

  adw_combo_row_set_selected (dialog->size_row, SIZE_CUSTOM);
  gtk_spin_button_set_value (dialog->width_spin, 640);
  gtk_spin_button_set_value (dialog->height_spin, 480);
  g_assert_cmpint (sl_export_dialog_get_composition (dialog)->width, ==, 640);
  g_assert_cmpint (sl_export_dialog_get_format (dialog), ==, SL_EXPORT_PNG);

  sl_export_dialog_export_to (dialog, path);
  g_assert_true (sl_export_dialog_get_exporting (dialog));
  /* Done, the dialog closes and the window offers to open the file. */
  sl_test_spin_until (dialog_closed, f->window, "the export");
  g_assert_cmpstr (_sl_window_get_export_path (f->window), ==, path);
  g_assert_cmpstr (_sl_window_get_last_toast_title (f->window), ==, "Exported ‘graphic.png’");

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 640);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 480);
  cairo_surface_destroy (png);
}

static gboolean
export_over (gpointer data)
{
  return !sl_export_dialog_get_exporting (data);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_unwritable (Fixture       *f,
                 gconstpointer  data)
{
  SlExportDialog *dialog = open_dialog (f);
  /* A "folder" that is a file: nobody, root included, can write in it. */
  g_autofree char *blocker = g_build_filename (f->dir, "not-a-folder", NULL);
  g_autofree char *path = g_build_filename (blocker, "graphic.png", NULL);
  g_autofree char *big = g_build_filename (f->dir, "huge.png", NULL);
  guint n_files;
  const char *message;

  sl_test_write_bytes (blocker, "x", 1);
  n_files = count_files (f->dir);
  sl_export_dialog_export_to (dialog, path);
  sl_test_spin_until (export_over, dialog, "the failed export");
  message = sl_export_dialog_get_error (dialog);
  g_test_message ("%s", message);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "not-a-folder"));
  g_assert_true (gtk_widget_get_visible (dialog->error_label));
  /* Still open, nothing written. */
  g_assert_true (_sl_window_get_export_dialog (f->window) == dialog);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->dir), ==, n_files);

  /* A size beyond the limits: said before anything is written. */
  adw_combo_row_set_selected (dialog->size_row, SIZE_CUSTOM);
  gtk_spin_button_set_value (dialog->width_spin, SL_COMPOSER_MAX_SIDE + 100);
  sl_export_dialog_export_to (dialog, big);
  g_assert_false (sl_export_dialog_get_exporting (dialog));
  message = sl_export_dialog_get_error (dialog);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "huge.png"));
  g_assert_nonnull (strstr (message, "too large"));
  g_assert_false (g_file_test (big, G_FILE_TEST_EXISTS));
}

static void
test_presets (Fixture       *f,
              gconstpointer  data)
{
  SlExportDialog *dialog = open_dialog (f);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  const SlComposition *c;

  gtk_editable_set_text (GTK_EDITABLE (dialog->title_row), "Preset title");
  adw_combo_row_set_selected (dialog->theme_row, 1);
  adw_combo_row_set_selected (dialog->layout_row, CHOICE_STACKED);
  gtk_editable_set_text (GTK_EDITABLE (dialog->save_preset_row), "Dark stacked");
  g_signal_emit_by_name (dialog->save_preset_row, "apply");
  g_assert_null (sl_export_dialog_get_error (dialog));
  names = sl_export_presets_list (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char * const[]) { "Dark stacked", NULL }));
  g_assert_cmpstr (gtk_string_list_get_string (dialog->preset_names, adw_combo_row_get_selected (dialog->preset_row)),
                   ==, "Dark stacked");

  /* Closed and opened again: the preset is in the project; choosing it restores it. */
  gtk_window_close (GTK_WINDOW (dialog));
  sl_test_spin_until (dialog_closed, f->window, "the dialog to close");
  dialog = open_dialog (f);
  c = sl_export_dialog_get_composition (dialog);
  g_assert_null (c->title);
  g_assert_cmpint (c->layout, ==, SL_LAYOUT_SWIPE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dialog->preset_names)), ==, 2);
  adw_combo_row_set_selected (dialog->preset_row, 1);
  c = sl_export_dialog_get_composition (dialog);
  g_assert_cmpstr (c->title, ==, "Preset title");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog->title_row)), ==, "Preset title");
  g_assert_cmpint (c->theme, ==, SL_THEME_DARK);
  g_assert_cmpint (c->layout, ==, SL_LAYOUT_STACKED);
  /* The dates stay this comparison's. */
  g_assert_cmpint (c->scene_ids[0], ==, f->ids[0]);
  g_assert_cmpint (c->scene_ids[1], ==, f->ids[2]);

  /* Deleted. */
  g_signal_emit_by_name (dialog->delete_preset_button, "clicked");
  g_clear_pointer (&names, g_strfreev);
  names = sl_export_presets_list (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char * const[]) { NULL }));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dialog->preset_names)), ==, 1);
}

/* A rectangle dragged on the preview becomes the area, inside what was shown. */
static void
test_drag_area (Fixture       *f,
                gconstpointer  data)
{
  SlExportDialog *dialog = open_dialog (f);
  const SlComposition *c = sl_export_dialog_get_composition (dialog);
  int w = gtk_widget_get_width (dialog->preview), h = gtk_widget_get_height (dialog->preview);

  _sl_export_dialog_drag_area (dialog, w * 0.45, h * 0.45, w * 0.55, h * 0.55);
  g_assert_cmpint (c->area, ==, SL_AREA_BOUNDS);
  g_assert_cmpfloat (c->bounds.max_x, >, c->bounds.min_x);
  g_assert_cmpfloat (c->bounds.max_y, >, c->bounds.min_y);
  /* Within the site (256 × 192 m from 500000, 6050000), and much smaller than it. */
  g_assert_cmpfloat (c->bounds.min_x, >=, 500000 - 1);
  g_assert_cmpfloat (c->bounds.max_x, <=, 500256 + 1);
  g_assert_cmpfloat (c->bounds.min_y, >=, 6050000 - 192 - 1);
  g_assert_cmpfloat (c->bounds.max_y, <=, 6050000 + 1);
  g_assert_cmpfloat (c->bounds.max_x - c->bounds.min_x, <, 200);
  g_assert_cmpuint (adw_combo_row_get_selected (dialog->area_row), ==, 2);
}

static void
test_needs_scenes (void)
{
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));

  /* No project: nothing to export. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  g_assert_null (_sl_window_get_export_dialog (window));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/export-dialog/opens-from-comparison", test_opens_from_comparison);
  ADD ("/export-dialog/export-png", test_export_png);
  ADD ("/export-dialog/unwritable", test_unwritable);
  ADD ("/export-dialog/presets", test_presets);
  ADD ("/export-dialog/drag-area", test_drag_area);
#undef ADD
  g_test_add_func ("/export-dialog/needs-scenes", test_needs_scenes);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
