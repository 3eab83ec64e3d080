/* test-tie-point-editor.c — the tie-point editor on the demo's press image: pairs by API and by
 * clicks, residuals and RMS, the worst pair, bad points, the automatic proposal, Apply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sl-demo.h"
#include "sl-scene-row.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-tie-point-editor-private.h"
#include "sl-window-private.h"

#define DEMO_SIZE 1024

static SlApplication *app;
static char *demo_dir;
static GPtrArray *demo;
static double truth[6];  /* press pixel → pixel of the last dated scene */
static int press_width, press_height;

typedef struct
{
  char             *dir;
  SlProject        *project;
  gint64            press_id, reference_id;
  SlWindow         *window;
  SlTiePointEditor *editor;
} Fixture;

static void
load_truth (void)
{
  const char *press = ((SlDemoScene *) g_ptr_array_index (demo, demo->len - 1))->path;
  g_autofree char *stem = g_strndup (press, strrchr (press, '.') - press);
  g_autofree char *path = g_strconcat (stem, ".truth.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *t;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  t = json_object_get_array_member (root, "transform");
  g_assert_cmpuint (json_array_get_length (t), ==, 6);
  for (guint i = 0; i < 6; i++)
    truth[i] = json_array_get_double_element (t, i);
  press_width = (int) json_object_get_int_member (root, "width");
  press_height = (int) json_object_get_int_member (root, "height");
  g_assert_cmpint (press_width, >, 0);
  g_assert_cmpint (press_height, >, 0);
}

static void
truth_forward (double  x,
               double  y,
               double *u,
               double *v)
{
  *u = truth[0] + truth[1] * x + truth[2] * y;
  *v = truth[3] + truth[4] * x + truth[5] * y;
}

static gboolean
window_is_idle (gpointer data)
{
  return !sl_window_get_busy (data);
}

static gboolean
editor_is_loaded (gpointer data)
{
  SlTiePointEditor *editor = data;

  return _sl_tie_point_editor_is_loaded (editor) &&
         gtk_widget_get_width (GTK_WIDGET (_sl_tie_point_editor_get_image_view (editor))) > 200 &&
         gtk_widget_get_width (GTK_WIDGET (_sl_tie_point_editor_get_reference_view (editor))) > 200;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "demo.sitelapse", NULL);
  f->project = sl_project_create (path, "Demo Site", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < demo->len; i++)
    {
      SlDemoScene *d = demo->pdata[i];
      g_autoptr(SlScene) probed = sl_scene_probe (d->path, &error);
      g_autoptr(SlScene) stored = NULL;

      g_assert_no_error (error);
      sl_scene_set_acquired (probed, d->acquired);
      sl_scene_set_label (probed, d->label);
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
      if (!d->georeferenced)
        f->press_id = sl_scene_get_id (stored);
      else
        f->reference_id = sl_scene_get_id (stored);  /* the last dated one, the press image's date */
    }
  g_assert_cmpint (f->press_id, >, 0);

  f->window = sl_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  sl_window_set_project (f->window, f->project);
  gtk_window_present (GTK_WINDOW (f->window));
  sl_scene_list_set_selected_scene_id (f->window->scene_list, f->press_id);

  /* From the window's project menu, as a user would. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.register-selected-scene", NULL));
  f->editor = SL_TIE_POINT_EDITOR (_sl_window_get_tie_point_editor (f->window));
  g_assert_nonnull (f->editor);
  gtk_window_set_default_size (GTK_WINDOW (f->editor), 1100, 760);
  sl_test_spin_until (editor_is_loaded, f->editor, "the editor's two images");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sl_test_spin_until (window_is_idle, f->window, "the window's background work");
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (g_steal_pointer (&f->dir));
}

/* A press on (x, y) image pixels of @view and its release there, as the view's gesture
 * receives them. */
static void
click_view (SlTiePointView *view,
            double          x,
            double          y)
{
  GtkGesture *gesture = _sl_tie_point_view_get_drag_gesture (view);
  double wx, wy;

  sl_tie_point_view_image_to_widget (view, x, y, &wx, &wy);
  g_assert_cmpfloat (wx, >, 0);
  g_assert_cmpfloat (wx, <, gtk_widget_get_width (GTK_WIDGET (view)));
  g_assert_cmpfloat (wy, >, 0);
  g_assert_cmpfloat (wy, <, gtk_widget_get_height (GTK_WIDGET (view)));
  g_signal_emit_by_name (gesture, "drag-begin", wx, wy);
  g_signal_emit_by_name (gesture, "drag-end", 0.0, 0.0);
}

static SlSceneRow *
row_of (SlWindow *window,
        gint64    scene_id)
{
  GtkListBox *box = _sl_scene_list_get_list_box (window->scene_list);

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (box, i);

      if (row == NULL)
        return NULL;
      if (sl_scene_get_id (sl_scene_row_get_scene (SL_SCENE_ROW (row))) == scene_id)
        return SL_SCENE_ROW (row);
    }
}

static void
test_opens (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SlScene) press = sl_project_get_scene (f->project, f->press_id, NULL);
  g_autofree char *badge = sl_scene_row_dup_badge (press);
  const char *title = gtk_window_get_title (GTK_WINDOW (f->editor));

  g_assert_cmpint (sl_tie_point_editor_get_scene_id (f->editor), ==, f->press_id);
  g_assert_true (g_str_has_prefix (title, "Register ‘"));
  g_assert_nonnull (strstr (title, sl_scene_get_label (press)));
  /* The georeferenced scene of the same date. */
  g_assert_cmpint (sl_tie_point_editor_get_reference_id (f->editor), ==, f->reference_id);
  g_assert_cmpuint (sl_tie_point_editor_get_n_pairs (f->editor), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (_sl_tie_point_editor_get_apply_button (f->editor)));
  g_assert_cmpstr (badge, ==, "Not registered");

  /* The row's right-click menu offers it. */
  {
    SlSceneRow *row = row_of (f->window, f->press_id);
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (row));
    GtkWidget *popover = NULL;
    GMenuModel *model;
    g_autoptr(GVariant) target = NULL;
    g_autofree char *action = NULL;
    gboolean pressed = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller) &&
            gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_SECONDARY)
          {
            g_signal_emit_by_name (controller, "pressed", 1, 20.0, 20.0);
            pressed = TRUE;
          }
      }
    g_assert_true (pressed);
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child; child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER_MENU (child))
        popover = child;
    g_assert_nonnull (popover);
    model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
    g_assert_cmpint (g_menu_model_get_n_items (model), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (model, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.register-scene");
    target = g_menu_model_get_item_attribute_value (model, 1, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_INT64);
    g_assert_cmpint (g_variant_get_int64 (target), ==, f->press_id);
    gtk_popover_popdown (GTK_POPOVER (popover));
  }

  /* The same scene again: the same editor, presented. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.register-scene", "x", f->press_id));
  g_assert_true (_sl_window_get_tie_point_editor (f->window) == GTK_WIDGET (f->editor));
}

static gboolean
first_row_off (gpointer data)
{
  g_autofree char *row = _sl_tie_pair_list_describe_row (data, 0);

  return row != NULL && g_str_has_prefix (row, "1 off");
}

static void
test_pairs (Fixture       *f,
            gconstpointer  data)
{
  static const double at[4][2] = { { 0.15, 0.2 }, { 0.85, 0.25 }, { 0.3, 0.85 }, { 0.7, 0.7 } };
  SlTiePointView *image_view = _sl_tie_point_editor_get_image_view (f->editor);
  SlTiePointView *ref_view = _sl_tie_point_editor_get_reference_view (f->editor);
  GtkWidget *list = _sl_tie_point_editor_get_pair_list (f->editor);
  g_auto(SlTestPixels) pixels = { 0 };
  const SlTiePoint *pairs;
  g_autofree char *row = NULL, *worst_row = NULL;
  double x, y, u, v;
  guint n;

  for (guint i = 0; i < 3; i++)
    {
      x = at[i][0] * press_width;
      y = at[i][1] * press_height;
      truth_forward (x, y, &u, &v);
      g_assert_cmpuint (sl_tie_point_editor_add_pair (f->editor, x, y, u, v), ==, i);
    }
  g_assert_nonnull (sl_tie_point_editor_get_registration (f->editor));
  g_assert_cmpstr (_sl_tie_point_editor_get_message (f->editor), ==, "");
  g_assert_true (g_str_has_prefix (_sl_tie_point_editor_get_rms_text (f->editor), "RMS 0.00 px"));

  /* The fourth by clicks: the image, then the reference. */
  x = at[3][0] * press_width;
  y = at[3][1] * press_height;
  truth_forward (x, y, &u, &v);
  click_view (image_view, x, y);
  g_assert_cmpuint (sl_tie_point_editor_get_n_pairs (f->editor), ==, 3);
  click_view (ref_view, u, v);
  pairs = sl_tie_point_editor_get_pairs (f->editor, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat_with_epsilon (pairs[3].image_x, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (pairs[3].image_y, y, 1e-6);
  g_assert_cmpfloat_with_epsilon (pairs[3].ref_x, u, 1e-6);
  g_assert_cmpfloat_with_epsilon (pairs[3].ref_y, v, 1e-6);
  g_assert_true (pairs[3].enabled);
  /* Exact points: residuals near zero, and nothing stands out. */
  g_assert_cmpfloat (sl_registration_get_rms (sl_tie_point_editor_get_registration (f->editor)), <, 1e-6);
  row = _sl_tie_pair_list_describe_row (list, 3);
  g_assert_cmpstr (row, ==, "4 on 0.00 0.00");
  g_assert_true (gtk_widget_get_sensitive (_sl_tie_point_editor_get_apply_button (f->editor)));

  /* Its reference marker dragged 6 screen pixels right: moved by 6 / zoom reference pixels. */
  {
    GtkGesture *gesture = _sl_tie_point_view_get_drag_gesture (ref_view);
    double wx, wy, zoom = sl_tie_point_view_get_zoom (ref_view);

    sl_tie_point_view_image_to_widget (ref_view, u, v, &wx, &wy);
    g_signal_emit_by_name (gesture, "drag-begin", wx, wy);
    g_signal_emit_by_name (gesture, "drag-update", 6.0, 0.0);
    g_signal_emit_by_name (gesture, "drag-end", 6.0, 0.0);
    pairs = sl_tie_point_editor_get_pairs (f->editor, &n);
    g_assert_cmpuint (n, ==, 4);
    g_assert_cmpfloat_with_epsilon (pairs[3].ref_x, u + 6 / zoom, 1e-6);
    g_assert_cmpfloat_with_epsilon (pairs[3].ref_y, v, 1e-6);
    g_assert_cmpfloat (sl_registration_get_rms (sl_tie_point_editor_get_registration (f->editor)), >, 0.1);
    /* And back. */
    g_signal_emit_by_name (gesture, "drag-begin", wx + 6, wy);
    g_signal_emit_by_name (gesture, "drag-update", -6.0, 0.0);
    g_signal_emit_by_name (gesture, "drag-end", -6.0, 0.0);
    pairs = sl_tie_point_editor_get_pairs (f->editor, &n);
    g_assert_cmpfloat_with_epsilon (pairs[3].ref_x, u, 1e-6);
  }

  /* A fifth pair 12 reference pixels off: the worst, in the list and on the markers. */
  truth_forward (0.5 * press_width, 0.45 * press_height, &u, &v);
  sl_tie_point_editor_add_pair (f->editor, 0.5 * press_width, 0.45 * press_height, u + 12, v);
  g_assert_cmpfloat (sl_registration_get_rms (sl_tie_point_editor_get_registration (f->editor)), >, 1);
  worst_row = _sl_tie_pair_list_describe_row (list, 4);
  g_test_message ("worst row: %s; %s", worst_row, _sl_tie_point_editor_get_rms_text (f->editor));
  g_assert_true (g_str_has_suffix (worst_row, " worst"));
  g_clear_pointer (&row, g_free);
  row = _sl_tie_pair_list_describe_row (list, 0);
  g_assert_false (g_str_has_suffix (row, " worst"));

  /* Look at it, with the overlay on. */
  sl_tie_point_editor_set_overlay (f->editor, TRUE, 0.5);
  sl_tie_point_view_set_view (ref_view, u, v, 3);
  sl_tie_point_view_show_magnifier (image_view, TRUE, 0.5 * press_width, 0.45 * press_height);
  sl_test_wait_frame (GTK_WIDGET (f->editor));
  sl_test_render_widget (adw_window_get_content (ADW_WINDOW (f->editor)), &pixels, "tie-point-editor.png");
  g_assert_cmpint (pixels.width, >=, 1000);

  /* Selected and deleted with the Delete key's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "tie.select", "u", (guint32) 4));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "tie.delete-selected", NULL));
  g_assert_cmpuint (sl_tie_point_editor_get_n_pairs (f->editor), ==, 4);
  g_assert_cmpfloat (sl_registration_get_rms (sl_tie_point_editor_get_registration (f->editor)), <, 1e-6);

  /* Disabled pairs stay in the list but leave the fit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "tie.toggle", "u", (guint32) 0));
  g_assert_cmpuint (sl_registration_get_n_enabled (sl_tie_point_editor_get_registration (f->editor)), ==, 3);
  /* The list follows once the row's own signal is over. */
  sl_test_spin_until (first_row_off, list, "the list to show the pair disabled");
}

static void
test_bad_points (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *apply = _sl_tie_point_editor_get_apply_button (f->editor);
  g_auto(SlTestPixels) pixels = { 0 };

  sl_tie_point_editor_set_kind (f->editor, SL_TRANSFORM_AFFINE);
  sl_tie_point_editor_add_pair (f->editor, 100, 100, 200, 200);
  sl_tie_point_editor_add_pair (f->editor, 300, 300, 400, 400);
  /* Two points: too few for an affine transform. */
  g_assert_null (sl_tie_point_editor_get_registration (f->editor));
  g_test_message ("two points: %s", _sl_tie_point_editor_get_message (f->editor));
  g_assert_nonnull (strstr (_sl_tie_point_editor_get_message (f->editor), "3"));
  g_assert_false (gtk_widget_get_sensitive (apply));
  g_assert_false (sl_tie_point_editor_apply (f->editor));

  /* A third on the same line: collinear. */
  sl_tie_point_editor_add_pair (f->editor, 500, 500, 600, 600);
  g_test_message ("three on a line: %s", _sl_tie_point_editor_get_message (f->editor));
  g_assert_null (sl_tie_point_editor_get_registration (f->editor));
  g_assert_nonnull (strstr (_sl_tie_point_editor_get_message (f->editor), "line"));
  g_assert_false (gtk_widget_get_sensitive (apply));
  sl_test_wait_frame (GTK_WIDGET (f->editor));
  sl_test_render_widget (adw_window_get_content (ADW_WINDOW (f->editor)), &pixels, "tie-point-editor-collinear.png");

  /* A similarity needs only the two. */
  sl_tie_point_editor_remove_pair (f->editor, 2);
  sl_tie_point_editor_set_kind (f->editor, SL_TRANSFORM_SIMILARITY);
  g_assert_nonnull (sl_tie_point_editor_get_registration (f->editor));
  g_assert_cmpstr (_sl_tie_point_editor_get_message (f->editor), ==, "");
  g_assert_true (gtk_widget_get_sensitive (apply));

  /* Every kind is offered: a projective one from four pairs. */
  sl_tie_point_editor_add_pair (f->editor, 100, 600, 200, 700);
  sl_tie_point_editor_add_pair (f->editor, 650, 90, 740, 180);
  sl_tie_point_editor_set_kind (f->editor, SL_TRANSFORM_PROJECTIVE);
  g_assert_nonnull (sl_tie_point_editor_get_registration (f->editor));
  g_assert_cmpint (sl_registration_get_kind (sl_tie_point_editor_get_registration (f->editor)), ==,
                   SL_TRANSFORM_PROJECTIVE);
  g_assert_true (gtk_widget_get_sensitive (apply));
  /* Back to too few for it. */
  sl_tie_point_editor_remove_pair (f->editor, 3);
  g_assert_null (sl_tie_point_editor_get_registration (f->editor));
  g_assert_nonnull (strstr (_sl_tie_point_editor_get_message (f->editor), "4"));
  g_assert_false (gtk_widget_get_sensitive (apply));
}

static gboolean
editor_is_idle (gpointer data)
{
  return !_sl_tie_point_editor_is_busy (data);
}

static gboolean
editor_closed (gpointer data)
{
  return _sl_window_get_tie_point_editor (data) == NULL;
}

static void
test_automatic_and_apply (Fixture       *f,
                          gconstpointer  data)
{
  GtkWidget *button = _sl_tie_point_editor_get_auto_button (f->editor);
  g_autoptr(SlScene) press = NULL;
  SlRegistration *reg;
  SlSceneRow *row;
  double worst = 0;

  row = row_of (f->window, f->press_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (_sl_scene_row_get_text (row, 4), ==, "Not registered");

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (_sl_tie_point_editor_is_busy (f->editor));
  g_assert_false (gtk_widget_get_sensitive (_sl_tie_point_editor_get_apply_button (f->editor)));
  sl_test_spin_until (editor_is_idle, f->editor, "the automatic proposal");
  g_assert_cmpstr (_sl_tie_point_editor_get_message (f->editor), ==, "");
  g_assert_cmpuint (sl_tie_point_editor_get_n_pairs (f->editor), >=, 20);
  reg = sl_tie_point_editor_get_registration (f->editor);
  g_assert_nonnull (reg);
  g_test_message ("automatic: %s", _sl_tie_point_editor_get_rms_text (f->editor));

  /* Within 2 px of the truth at the corners, edge middles and centre. */
  for (int j = 0; j <= 2; j++)
    for (int i = 0; i <= 2; i++)
      {
        double x = press_width * i / 2.0, y = press_height * j / 2.0, u, v, tu, tv;

        g_assert_true (sl_registration_forward (reg, x, y, &u, &v));
        truth_forward (x, y, &tu, &tv);
        worst = MAX (worst, hypot (u - tu, v - tv));
      }
  g_test_message ("worst distance from the truth: %.3f px", worst);
  g_assert_cmpfloat (worst, <=, 2.0);

  /* Apply: registered, the editor closed, the sidebar's badge changed. */
  g_signal_emit_by_name (_sl_tie_point_editor_get_apply_button (f->editor), "clicked");
  sl_test_spin_until (editor_closed, f->window, "the editor to close");
  press = sl_project_get_scene (f->project, f->press_id, NULL);
  g_assert_true (sl_scene_is_registered (press));
  sl_test_spin_for (100);
  row = row_of (f->window, f->press_id);
  g_assert_nonnull (row);
  g_test_message ("badge after: %s", _sl_scene_row_get_text (row, 4));
  g_assert_cmpstr (_sl_scene_row_get_text (row, 4), !=, "Not registered");
  g_assert_nonnull (strstr (_sl_window_get_last_toast_title (f->window), "registered"));

  /* Opened again: the stored points, to edit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.register-scene", "x", f->press_id));
  f->editor = SL_TIE_POINT_EDITOR (_sl_window_get_tie_point_editor (f->window));
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (sl_tie_point_editor_get_n_pairs (f->editor), >=, 20);
  g_assert_cmpint (sl_tie_point_editor_get_reference_id (f->editor), ==, f->reference_id);
  g_assert_nonnull (sl_tie_point_editor_get_registration (f->editor));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  app = sl_test_gui_init (&argc, &argv);
  demo_dir = sl_test_tmpdir_new ();
  demo = sl_demo_generate (demo_dir, DEMO_SIZE, &error);
  g_assert_no_error (error);
  load_truth ();

  g_test_add ("/tie-point-editor/opens", Fixture, NULL, fixture_setup, test_opens, fixture_teardown);
  g_test_add ("/tie-point-editor/pairs", Fixture, NULL, fixture_setup, test_pairs, fixture_teardown);
  g_test_add ("/tie-point-editor/bad-points", Fixture, NULL, fixture_setup, test_bad_points, fixture_teardown);
  g_test_add ("/tie-point-editor/automatic-and-apply", Fixture, NULL, fixture_setup, test_automatic_and_apply,
              fixture_teardown);
  status = g_test_run ();

  g_ptr_array_unref (demo);
  sl_test_tmpdir_free (demo_dir);
  return status;
}
