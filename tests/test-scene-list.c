/* test-scene-list.c — the scene sidebar on real projects: visibility, details, thumbnails
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scene-list"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "sl-demo.h"
#include "sl-scene-editor.h"
#include "sl-scene-list.h"
#include "sl-scene-row.h"
#include "sl-scene-thumbnails.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-tile-cache.h"

static SlApplication *app;

typedef struct
{
  char        *dir;
  char        *path;     /* the project file */
  SlProject   *project;
  GtkWindow   *window;
  SlSceneList *list;
  guint        visible_changes;
} Fixture;

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
        g_error ("Timed out");
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  spin_until_idle ();
}

/* What a click on the button does (gtk_widget_activate() waits for its press animation). */
static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  spin_until_idle ();
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static void
add_image (Fixture    *f,
           const char *name,
           const char *datetime,
           guint32     seed)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GError) error = NULL;
  SlTestImage spec = {
    .width = 64, .height = 48, .bands = 3,
    .crs = "EPSG:32636", .origin_x = 500000, .origin_y = 6050000, .pixel_size = 10,
    .datetime = datetime, .seed = seed,
  };

  sl_test_write_image (path, &spec);
  probed = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  stored = sl_project_add_scene (f->project, probed, &error);
  g_assert_no_error (error);
}

static void
on_visible_items_changed (Fixture *f)
{
  f->visible_changes++;
}

/* The list, alone in a window, on a project of three dated scenes. */
static void
show_list (Fixture *f,
           int      width,
           int      height)
{
  f->list = SL_SCENE_LIST (sl_scene_list_new ());
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, width, height);
  gtk_window_set_child (f->window, GTK_WIDGET (f->list));
  gtk_window_present (f->window);
  sl_scene_list_set_project (f->list, f->project);
  g_signal_connect_swapped (sl_scene_list_get_visible_model (f->list), "items-changed",
                            G_CALLBACK (on_visible_items_changed), f);
  spin_until_idle ();
}

static void
make_project (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->project = sl_project_create (f->path, "Test Site", &error);
  g_assert_no_error (error);
  add_image (f, "march.tif", "2022:03:05 07:15:00", 3);
  add_image (f, "january.tif", "2022:01:18 09:30:00", 1);
  add_image (f, "february.tif", "2022:02:21 08:52:00", 2);
}

static SlSceneRow *
get_row (Fixture *f,
         int      index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (_sl_scene_list_get_list_box (f->list), index);

  g_assert_true (row == NULL || SL_IS_SCENE_ROW (row));
  return (SlSceneRow *) row;
}

static gint64
row_scene_id (Fixture *f,
              int      index)
{
  return sl_scene_get_id (sl_scene_row_get_scene (get_row (f, index)));
}

/* The ids in a model of scenes, "1,3". */
static char *
model_ids (GListModel *model)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", sl_scene_get_id (scene));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static SlScene *
stored_scene (const char *path,
              gint64      scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (path, &error);
  SlScene *scene;

  g_assert_no_error (error);
  scene = sl_project_get_scene (project, scene_id, &error);
  g_assert_no_error (error);
  return scene;
}

/* The thumbnail and texts of a row (its first box), not its buttons. */
static gboolean
row_dimmed (SlSceneRow *row)
{
  GtkWidget *content = gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));

  return gtk_widget_has_css_class (content, "dim-label");
}

static void
test_visibility_toggle (Fixture       *f,
                        gconstpointer  data)
{
  GListModel *visible;
  GtkWidget *button;
  g_autofree char *ids = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(SlScene) stored = NULL;
  GtkWidget *focus;
  gint64 february;

  make_project (f);
  show_list (f, 320, 600);
  visible = sl_scene_list_get_visible_model (f->list);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 3);
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (f, 1), 0), ==, "february — 21 Feb 2022");
  february = row_scene_id (f, 1);

  /* The eye of February's row, with the keyboard. */
  button = _sl_scene_row_get_visibility_button (get_row (f, 1));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "view-reveal-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Hide in Comparison");
  gtk_widget_grab_focus (button);
  f->visible_changes = 0;
  click (button);
  spin_until_idle ();

  /* The comparisons lose it; the list keeps it, dimmed, with the other eye. */
  g_assert_cmpuint (f->visible_changes, >, 0);
  ids = model_ids (visible);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, row_scene_id (f, 0), row_scene_id (f, 2));
  g_assert_cmpstr (ids, ==, expected);
  g_assert_cmpuint (g_list_model_get_n_items (sl_scene_list_get_model (f->list)), ==, 3);
  g_assert_cmpint (row_scene_id (f, 1), ==, february);
  button = _sl_scene_row_get_visibility_button (get_row (f, 1));
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (button)), ==, "view-conceal-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Show in Comparison");
  g_assert_true (row_dimmed (get_row (f, 1)));
  g_assert_false (row_dimmed (get_row (f, 0)));
  g_assert_false (gtk_widget_has_css_class (button, "dim-label"));
  /* The rows were made again; the focus stayed on the same button. */
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == button);

  /* In the file: another process opening it sees the scene hidden. */
  stored = stored_scene (f->path, february);
  g_assert_false (sl_scene_get_visible (stored));
  g_clear_object (&stored);

  /* And shown again. */
  click (button);
  spin_until_idle ();
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 3);
  stored = stored_scene (f->path, february);
  g_assert_true (sl_scene_get_visible (stored));
}

static void
test_visible_model_follows_project (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = NULL;
  GListModel *visible;

  make_project (f);
  show_list (f, 320, 600);
  visible = sl_scene_list_get_visible_model (f->list);

  /* A change made elsewhere (the CLI, another window's project object) reaches the model. */
  scene = sl_project_get_scene (f->project, row_scene_id (f, 0), &error);
  g_assert_no_error (error);
  sl_scene_set_visible (scene, FALSE);
  g_assert_true (sl_project_update_scene (f->project, scene, &error));
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);

  /* A new scene comes in visible, in its date's place. */
  add_image (f, "april.tif", "2022:04:01 10:00:00", 4);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 3);
  g_clear_object (&scene);
  scene = g_list_model_get_item (visible, 2);
  g_assert_cmpstr (sl_scene_get_label (scene), ==, "april — 1 Apr 2022");

  /* No project, no scenes. */
  sl_scene_list_set_project (f->list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
}

static SlSceneEditor *
open_editor (Fixture *f,
             int      index)
{
  SlSceneEditor *editor;

  click (_sl_scene_row_get_edit_button (get_row (f, index)));
  spin_until_idle ();
  editor = _sl_scene_list_get_editor (f->list);
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpint (sl_scene_editor_get_scene_id (editor), ==, row_scene_id (f, index));
  return editor;
}

static void
set_field (SlSceneEditor *editor,
           const char    *name,
           const char    *text)
{
  GtkWidget *field = _sl_scene_editor_get_field (editor, name);

  if (GTK_IS_TEXT_VIEW (field))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (field), text);
}

static const char *
field_text (SlSceneEditor *editor,
            const char    *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (_sl_scene_editor_get_field (editor, name)));
}

static void
test_edit_details (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(GDateTime) precise = NULL;
  g_autofree char *acquired = NULL;
  SlSceneEditor *editor;
  gint64 january;

  make_project (f);
  show_list (f, 320, 600);
  january = row_scene_id (f, 0);

  /* Hidden first: saving the details must not show it again. */
  click (_sl_scene_row_get_visibility_button (get_row (f, 0)));
  spin_until_idle ();

  editor = open_editor (f, 0);
  g_assert_cmpstr (field_text (editor, "label"), ==, "january — 18 Jan 2022");
  g_assert_cmpstr (field_text (editor, "date"), ==, "2022-01-18 09:30");
  g_assert_cmpstr (field_text (editor, "provider"), ==, "");
  g_assert_null (_sl_scene_editor_get_message (editor));

  set_field (editor, "label", "  Airfield, before  ");
  set_field (editor, "date", "2022-03-10 11:05");
  set_field (editor, "provider", "Maxar Technologies");
  set_field (editor, "sensor", "WorldView-3");
  set_field (editor, "credit", "Satellite image ©2022 Maxar Technologies");
  set_field (editor, "caption", "Vehicles parked along the treeline.\nSecond line.\n");
  /* Enter in a field saves, as the Save button does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin_until_idle ();
  g_assert_null (_sl_scene_list_get_editor (f->list));

  scene = stored_scene (f->path, january);
  acquired = sl_scene_format_acquired (scene);
  g_assert_cmpstr (sl_scene_get_label (scene), ==, "Airfield, before");
  g_assert_cmpstr (acquired, ==, "2022-03-10T11:05:00.000Z");
  g_assert_cmpstr (sl_scene_get_provider (scene), ==, "Maxar Technologies");
  g_assert_cmpstr (sl_scene_get_sensor (scene), ==, "WorldView-3");
  g_assert_cmpstr (sl_scene_get_credit (scene), ==, "Satellite image ©2022 Maxar Technologies");
  g_assert_cmpstr (sl_scene_get_caption (scene), ==, "Vehicles parked along the treeline.\nSecond line.");
  g_assert_false (sl_scene_get_visible (scene));
  g_clear_object (&scene);

  /* The list shows it, moved to its new date (after March 5th's scene). */
  g_assert_cmpint (row_scene_id (f, 2), ==, january);
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (f, 2), 0), ==, "Airfield, before");
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (f, 2), 1), ==, "10 Mar 2022 11:05 UTC");
  g_assert_cmpstr (_sl_scene_row_get_text (get_row (f, 2), 2), ==, "Maxar Technologies · WorldView-3");

  /* A date the text does not show exactly (milliseconds) survives a save that leaves it be;
   * an emptied provider is removed. */
  scene = sl_project_get_scene (f->project, january, &error);
  g_assert_no_error (error);
  precise = g_date_time_new_utc (2022, 3, 10, 11, 5, 7.25);
  sl_scene_set_acquired (scene, precise);
  g_assert_true (sl_project_update_scene (f->project, scene, &error));
  g_clear_object (&scene);
  spin_until_idle ();
  editor = open_editor (f, 2);
  g_assert_cmpstr (field_text (editor, "date"), ==, "2022-03-10 11:05:07");
  set_field (editor, "provider", "   ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin_until_idle ();
  scene = stored_scene (f->path, january);
  g_clear_pointer (&acquired, g_free);
  acquired = sl_scene_format_acquired (scene);
  g_assert_cmpstr (acquired, ==, "2022-03-10T11:05:07.250Z");
  g_assert_null (sl_scene_get_provider (scene));
}

static void
test_edit_refuses_bad_date (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SlScene) before = NULL;
  g_autoptr(SlScene) after = NULL;
  g_autofree char *before_date = NULL;
  g_autofree char *after_date = NULL;
  GtkWidget *date_row;
  SlSceneEditor *editor;
  const char *message;
  gint64 id;

  make_project (f);
  show_list (f, 320, 600);
  id = row_scene_id (f, 1);
  before = stored_scene (f->path, id);
  before_date = sl_scene_format_acquired (before);

  editor = open_editor (f, 1);
  date_row = _sl_scene_editor_get_field (editor, "date");
  set_field (editor, "label", "Should not be saved");

  /* Nonsense, a month 13, text after the time, nothing: each is refused with a message. */
  {
    const char *const bad[] = { "last Tuesday", "2022-13-45", "2022-02-21 08:52 or so", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        set_field (editor, "date", bad[i]);
        g_assert_true (gtk_widget_has_css_class (date_row, "error"));
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
        spin_until_idle ();

        g_assert_true (_sl_scene_list_get_editor (f->list) == editor);
        message = _sl_scene_editor_get_message (editor);
        g_assert_nonnull (message);
        g_assert_nonnull (strstr (message, *bad[i] != '\0' ? bad[i] : "needs its acquisition date"));
        g_assert_nonnull (strstr (message, "UTC"));
      }
  }
  after = stored_scene (f->path, id);
  after_date = sl_scene_format_acquired (after);
  g_assert_cmpstr (sl_scene_get_label (after), ==, sl_scene_get_label (before));
  g_assert_cmpstr (after_date, ==, before_date);

  /* Fixing the date clears the message as it is typed. */
  set_field (editor, "date", "2022-02-21 10:52 +02:00");
  g_assert_false (gtk_widget_has_css_class (date_row, "error"));
  g_assert_null (_sl_scene_editor_get_message (editor));

  /* Cancel (Escape) leaves the project as it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  spin_until_idle ();
  g_assert_null (_sl_scene_list_get_editor (f->list));
  g_clear_object (&after);
  after = stored_scene (f->path, id);
  g_assert_cmpstr (sl_scene_get_label (after), ==, sl_scene_get_label (before));
}

static void
test_edit_removed_scene (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) other = NULL;
  SlSceneEditor *editor;
  const char *message;
  gint64 id;

  make_project (f);
  show_list (f, 320, 600);
  id = row_scene_id (f, 0);
  editor = open_editor (f, 0);

  /* Removed through another connection to the file while the dialog is open. */
  other = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (sl_project_remove_scene (other, id, &error));
  g_clear_object (&other);

  set_field (editor, "label", "Too late");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin_until_idle ();
  message = _sl_scene_editor_get_message (editor);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, f->path));
}

static gboolean
all_rows_have_thumbnails (gpointer data)
{
  Fixture *f = data;
  guint n = g_list_model_get_n_items (sl_scene_list_get_model (f->list));

  for (guint i = 0; i < n; i++)
    if (_sl_scene_row_get_thumbnail (get_row (f, i)) == NULL)
      return FALSE;
  return n > 0;
}

static SlSceneThumbnails *
make_thumbnails (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileCache) cache = sl_tile_cache_new (f->project, 16 * 1024 * 1024, 2, &error);

  g_assert_no_error (error);
  return sl_scene_thumbnails_new (cache, 128);
}

static void
test_thumbnails_in_rows (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SlSceneThumbnails) thumbnails = NULL;

  make_project (f);
  show_list (f, 320, 600);

  /* Placeholders until there is a source of pictures. */
  for (guint i = 0; i < 3; i++)
    g_assert_null (_sl_scene_row_get_thumbnail (get_row (f, i)));

  thumbnails = make_thumbnails (f);
  sl_scene_list_set_thumbnails (f->list, thumbnails);
  g_assert_true (sl_scene_list_get_thumbnails (f->list) == thumbnails);
  spin_until (all_rows_have_thumbnails, f);

  /* Each row shows the picture made for its own scene. */
  for (guint i = 0; i < 3; i++)
    {
      GdkTexture *texture = sl_scene_thumbnails_lookup (thumbnails, row_scene_id (f, i));

      g_assert_nonnull (texture);
      g_assert_true (_sl_scene_row_get_thumbnail (get_row (f, i)) == GDK_PAINTABLE (texture));
      g_assert_cmpint (MAX (gdk_texture_get_width (texture), gdk_texture_get_height (texture)), <=, 128);
    }

  /* Rows made again after a change get theirs at once, or as it arrives. */
  add_image (f, "april.tif", "2022:04:01 10:00:00", 4);
  spin_until (all_rows_have_thumbnails, f);
  g_assert_cmpuint (g_list_model_get_n_items (sl_scene_list_get_model (f->list)), ==, 4);

  /* Without a source, placeholders again. */
  sl_scene_list_set_thumbnails (f->list, NULL);
  g_assert_null (_sl_scene_row_get_thumbnail (get_row (f, 0)));
}

static void
on_after_paint (gboolean *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits for a frame drawn with everything the window holds laid out. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_resize (widget);
  spin_until (is_true, &painted);
  g_signal_handler_disconnect (clock, id);
}

/* @widget as its parent draws it (its CSS background included), saved as a PNG beside the
 * test program for people to look at; returns the pixels (B, G, R, A premultiplied). */
static guint8 *
render_widget (GtkWidget  *widget,
               const char *png_name,
               int        *width,
               int        *height)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, png_name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  graphene_point_t origin;
  guint8 *pixels;

  wait_for_frame (widget);
  snapshot = gtk_snapshot_new ();
  *width = gtk_widget_get_width (widget) * scale;
  *height = gtk_widget_get_height (widget) * scale;
  g_assert_true (gtk_widget_compute_point (widget, parent, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_snapshot_scale (snapshot, scale, scale);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_test_message ("Rendered %s", png);

  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return pixels;
}

/* The spread of brightness over a rectangle of the render: a picture has some, a flat
 * placeholder next to none. */
static double
brightness_spread (const guint8          *pixels,
                   int                    stride_px,
                   const graphene_rect_t *r)
{
  double sum = 0, sum2 = 0;
  guint n = 0;

  for (int y = (int) r->origin.y; y < (int) (r->origin.y + r->size.height); y++)
    for (int x = (int) r->origin.x; x < (int) (r->origin.x + r->size.width); x++)
      {
        const guint8 *p = pixels + ((gsize) y * stride_px + x) * 4;
        double v = 0.114 * p[0] + 0.587 * p[1] + 0.299 * p[2];

        sum += v;
        sum2 += v * v;
        n++;
      }
  g_assert_cmpuint (n, >, 0);
  return sqrt (MAX (0, sum2 / n - (sum / n) * (sum / n)));
}

static graphene_rect_t
thumbnail_bounds (Fixture *f,
                  int      index)
{
  GtkWidget *content = gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (get_row (f, index))));
  GtkWidget *stack = gtk_widget_get_first_child (content);
  graphene_rect_t bounds;

  g_assert_true (GTK_IS_STACK (stack));
  g_assert_true (gtk_widget_compute_bounds (stack, GTK_WIDGET (f->list), &bounds));
  return bounds;
}

/* The demo site: three dated satellite scenes and a press photo, with provenance. */
static void
make_demo_project (Fixture *f)
{
  g_autofree char *demo_dir = g_build_filename (f->dir, "demo", NULL);
  g_autoptr(GPtrArray) demo = NULL;
  g_autoptr(GError) error = NULL;

  demo = sl_demo_generate (demo_dir, 256, &error);
  g_assert_no_error (error);
  f->project = sl_project_create (f->path, "Demo Site", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < demo->len; i++)
    {
      SlDemoScene *d = demo->pdata[i];
      g_autoptr(SlScene) probed = sl_scene_probe (d->path, &error);
      g_autoptr(SlScene) stored = NULL;

      g_assert_no_error (error);
      sl_scene_set_acquired (probed, d->acquired);
      sl_scene_set_label (probed, d->label);
      sl_scene_set_provider (probed, d->provider);
      sl_scene_set_sensor (probed, d->sensor);
      sl_scene_set_credit (probed, d->credit);
      sl_scene_set_caption (probed, d->caption);
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
    }
}

static void
test_render_sidebar (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SlSceneThumbnails) thumbnails = NULL;
  g_autofree guint8 *pixels = NULL;
  g_autofree guint8 *editor_pixels = NULL;
  graphene_rect_t shown, hidden;
  SlSceneEditor *editor;
  int width, height;
  guint n;

  make_demo_project (f);
  show_list (f, 300, 560);
  n = g_list_model_get_n_items (sl_scene_list_get_model (f->list));
  g_assert_cmpuint (n, ==, 4);
  thumbnails = make_thumbnails (f);
  sl_scene_list_set_thumbnails (f->list, thumbnails);
  spin_until (all_rows_have_thumbnails, f);

  /* The second date hidden from comparisons. */
  click (_sl_scene_row_get_visibility_button (get_row (f, 1)));
  spin_until (all_rows_have_thumbnails, f);
  g_assert_cmpuint (g_list_model_get_n_items (sl_scene_list_get_visible_model (f->list)), ==, n - 1);

  pixels = render_widget (GTK_WIDGET (f->list), "scene-list.png", &width, &height);
  g_assert_cmpint (width, >=, 300);

  /* Pictures, not placeholders, in the rows; the hidden one drawn fainter. */
  shown = thumbnail_bounds (f, 0);
  hidden = thumbnail_bounds (f, 1);
  g_assert_cmpfloat (shown.size.width, ==, 64);
  g_assert_cmpfloat (brightness_spread (pixels, width, &shown), >, 12);
  g_assert_cmpfloat (brightness_spread (pixels, width, &hidden), >, 4);
  g_assert_cmpfloat (brightness_spread (pixels, width, &hidden), <, brightness_spread (pixels, width, &shown));

  /* The details dialog, with a date it refuses. */
  editor = open_editor (f, n - 1);
  gtk_window_set_default_size (GTK_WINDOW (editor), 480, -1);
  set_field (editor, "date", "2022-02-30");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  spin_until_idle ();
  g_assert_nonnull (_sl_scene_editor_get_message (editor));
  editor_pixels = render_widget (adw_window_get_content (ADW_WINDOW (editor)), "scene-editor.png", &width, &height);
  g_assert_cmpint (width, >=, 360);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/scene-list/visibility-toggle", test_visibility_toggle);
  ADD ("/scene-list/visible-model-follows-project", test_visible_model_follows_project);
  ADD ("/scene-list/edit-details", test_edit_details);
  ADD ("/scene-list/edit-refuses-bad-date", test_edit_refuses_bad_date);
  ADD ("/scene-list/edit-removed-scene", test_edit_removed_scene);
  ADD ("/scene-list/thumbnails-in-rows", test_thumbnails_in_rows);
  ADD ("/scene-list/render-sidebar", test_render_sidebar);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
