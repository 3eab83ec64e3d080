/* test-timeline.c — the strip of dates on a real project: positions, picking, keys, ticks
 *
 * Scenes are small GeoTIFFs written here with GDAL and added to a project with chosen
 * acquisition dates; the timeline shows them from a GListStore of the project's SlScenes in
 * a real window. SL_TEST_PNG_DIR=dir keeps the rendered strips as PNGs to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "sl-core.h"
#include "sl-scene-thumbnails.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-timeline-private.h"

#define WIDTH  600
#define MARGIN 28.0

static SlApplication *app;

/* Uneven gaps: 14 days, then 98, then 227. */
static const char *main_dates[] = {
  "2022-01-10T09:00:00Z",
  "2022-01-24T09:00:00Z",
  "2022-05-02T10:00:00Z",
  "2022-12-15T08:00:00Z",
};
#define N_MAIN G_N_ELEMENTS (main_dates)

typedef struct
{
  char        *dir;
  SlProject   *project;
  guint        n_files;
  gint64       ids[N_MAIN];
  GListStore  *store;
  GtkWindow   *window;
  SlTimeline  *timeline;
  GArray      *activated;   /* gint64 */
} Fixture;

/* --- fixtures --- */

static gint64
add_scene (Fixture    *f,
           const char *date)
{
  g_autofree char *name = g_strdup_printf ("scene-%u.tif", f->n_files);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  SlTestImage spec = { .width = 48, .height = 32, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = 500000 + 40.0 * f->n_files, .origin_y = 6050000, .pixel_size = 1,
                       .seed = f->n_files + 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) acquired = sl_scene_parse_date (date);

  f->n_files++;
  sl_test_write_image (path, &spec);
  probed = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (acquired);
  sl_scene_set_acquired (probed, acquired);
  sl_scene_set_label (probed, name);
  stored = sl_project_add_scene (f->project, probed, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

/* @store holds exactly @ids' scenes, by date as the project lists them. */
static void
fill_store (Fixture      *f,
            GListStore   *store,
            const gint64 *ids,
            guint         n_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (f->project, &error);

  g_assert_no_error (error);
  g_list_store_remove_all (store);
  for (guint i = 0; i < scenes->len; i++)
    for (guint j = 0; j < n_ids; j++)
      if (sl_scene_get_id (scenes->pdata[i]) == ids[j])
        g_list_store_append (store, scenes->pdata[i]);
}

static void
on_scene_activated (SlTimeline *timeline,
                    gint64      scene_id,
                    Fixture    *f)
{
  g_array_append_val (f->activated, scene_id);
}

static gboolean
is_allocated (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->timeline)) == WIDTH &&
         gtk_widget_get_height (GTK_WIDGET (f->timeline)) == SL_TIMELINE_HEIGHT;
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *project_path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = sl_test_tmpdir_new ();
  project_path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (project_path, "Timeline", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_MAIN; i++)
    f->ids[i] = add_scene (f, main_dates[i]);
  f->store = g_list_store_new (SL_TYPE_SCENE);
  fill_store (f, f->store, f->ids, N_MAIN);
  f->activated = g_array_new (FALSE, FALSE, sizeof (gint64));

  f->timeline = SL_TIMELINE (sl_timeline_new ());
  sl_timeline_set_model (f->timeline, G_LIST_MODEL (f->store));
  g_signal_connect (f->timeline, "scene-activated", G_CALLBACK (on_scene_activated), f);
  gtk_widget_set_size_request (GTK_WIDGET (f->timeline), WIDTH, -1);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, "Sitelapse timeline test");
  gtk_window_set_resizable (f->window, FALSE);
  gtk_window_set_child (f->window, GTK_WIDGET (f->timeline));
  gtk_window_present (f->window);
  spin_until (is_allocated, f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  g_clear_object (&f->project);
  g_array_unref (f->activated);
  sl_test_tmpdir_free (f->dir);
}

static double
mark_x (Fixture *f,
        gint64   scene_id)
{
  double axis_x, x;

  g_assert_true (_sl_timeline_get_mark_x (f->timeline, scene_id, &axis_x, &x));
  return x;
}

static double
axis_x (Fixture *f,
        gint64   scene_id)
{
  double x, drawn;

  g_assert_true (_sl_timeline_get_mark_x (f->timeline, scene_id, &x, &drawn));
  return x;
}

static gint64
unix_time (const char *date)
{
  g_autoptr(GDateTime) t = sl_scene_parse_date (date);

  return g_date_time_to_unix (t);
}

static gint64
last_activated (Fixture *f)
{
  g_assert_cmpuint (f->activated->len, >, 0);
  return g_array_index (f->activated, gint64, f->activated->len - 1);
}

/* --- rendering --- */

/* The strip as the window draws it, over the window's background when @background. */
static GdkTexture *
render (Fixture  *f,
        gboolean  background)
{
  GtkWidget *widget = GTK_WIDGET (f->timeline);
  GtkWidget *parent = gtk_widget_get_parent (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  graphene_point_t origin;

  if (background)
    {
      GdkRGBA bg;

      g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &bg));
      gtk_snapshot_append_color (snapshot, &bg, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  g_assert_true (gtk_widget_compute_point (widget, parent, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  /* A transparent pixel keeps an empty strip a node of the full size. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0 }, &GRAPHENE_RECT_INIT (origin.x, origin.y, width, height));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
save_png (GdkTexture *texture,
          const char *name)
{
  const char *dir = g_getenv ("SL_TEST_PNG_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static guint32
pixel_at (GdkTexture *texture,
          int         x,
          int         y)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) w * h);

  g_assert_true (x >= 0 && y >= 0 && x < w && y < h);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  return pixels[(gsize) y * w + x];
}

/* @p is @color over @background (opaque). */
static gboolean
pixel_is_color (guint32        p,
                const GdkRGBA *color,
                const GdkRGBA *background,
                int            tolerance)
{
  double a = color->alpha;
  int r = (int) round ((color->red * a + background->red * (1 - a)) * 255);
  int g = (int) round ((color->green * a + background->green * (1 - a)) * 255);
  int b = (int) round ((color->blue * a + background->blue * (1 - a)) * 255);

  return (p >> 24) == 0xff && ABS ((int) ((p >> 16) & 0xff) - r) <= tolerance &&
         ABS ((int) ((p >> 8) & 0xff) - g) <= tolerance && ABS ((int) (p & 0xff) - b) <= tolerance;
}

/* --- tests --- */

static void
test_positions (Fixture       *f,
                gconstpointer  data)
{
  double t0 = (double) unix_time (main_dates[0]), t1 = (double) unix_time (main_dates[N_MAIN - 1]);

  for (guint i = 0; i < N_MAIN; i++)
    {
      double expected = MARGIN + ((double) unix_time (main_dates[i]) - t0) / (t1 - t0) * (WIDTH - 2 * MARGIN);

      g_assert_cmpfloat_with_epsilon (axis_x (f, f->ids[i]), expected, 1e-6);
      /* Far enough apart: drawn where they belong. */
      g_assert_cmpfloat_with_epsilon (mark_x (f, f->ids[i]), expected, 1e-6);
    }
  g_assert_cmpfloat_with_epsilon (axis_x (f, f->ids[0]), MARGIN, 1e-9);
  g_assert_cmpfloat_with_epsilon (axis_x (f, f->ids[N_MAIN - 1]), WIDTH - MARGIN, 1e-9);
  /* Uneven gaps show as uneven gaps. */
  g_assert_cmpfloat (axis_x (f, f->ids[1]) - axis_x (f, f->ids[0]), <, 0.2 * (axis_x (f, f->ids[2]) - axis_x (f, f->ids[1])));
  g_assert_cmpfloat (axis_x (f, f->ids[2]) - axis_x (f, f->ids[1]), <, 0.5 * (axis_x (f, f->ids[3]) - axis_x (f, f->ids[2])));
}

static void
stop_activation (SlTimeline *timeline,
                 gint64      scene_id,
                 gpointer    data)
{
  g_signal_stop_emission_by_name (timeline, "scene-activated");
}

static void
test_click (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->timeline));
  GtkGesture *click = NULL;
  double between = (mark_x (f, f->ids[2]) + mark_x (f, f->ids[3])) / 2;
  gulong handler;

  for (guint i = 0; i < N_MAIN; i++)
    {
      g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, f->ids[i])), ==, f->ids[i]);
      g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, f->ids[i]) + 6), ==, f->ids[i]);
    }
  /* Far from every mark: nothing. */
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, between), ==, 0);
  /* The nearest of two neighbours. */
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, f->ids[0]) + 10), ==, f->ids[0]);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, f->ids[1]) - 10), ==, f->ids[1]);

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && click == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        click = GTK_GESTURE (controller);
    }
  g_assert_nonnull (click);

  /* A press at a mark activates it, and by default makes it current. */
  g_signal_emit_by_name (click, "pressed", 1, mark_x (f, f->ids[2]), 20.0);
  g_assert_cmpuint (f->activated->len, ==, 1);
  g_assert_cmpint (last_activated (f), ==, f->ids[2]);
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[2]);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (f->timeline)));

  /* Between marks: nothing. */
  g_signal_emit_by_name (click, "pressed", 1, between, 20.0);
  g_assert_cmpuint (f->activated->len, ==, 1);

  /* An owner that decides otherwise stops the default. */
  handler = g_signal_connect (f->timeline, "scene-activated", G_CALLBACK (stop_activation), NULL);
  g_signal_emit_by_name (click, "pressed", 1, mark_x (f, f->ids[0]), 20.0);
  g_assert_cmpuint (f->activated->len, ==, 2);
  g_assert_cmpint (last_activated (f), ==, f->ids[0]);
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[2]);
  g_signal_handler_disconnect (f->timeline, handler);
}

static void
step (Fixture    *f,
      const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->timeline), action, NULL));
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (f->timeline)));

  /* No current date: forwards starts at the first. */
  step (f, "timeline.next-date");
  g_assert_cmpint (last_activated (f), ==, f->ids[0]);
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[0]);
  step (f, "timeline.next-date");
  step (f, "timeline.next-date");
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[2]);
  step (f, "timeline.previous-date");
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[1]);
  g_assert_cmpuint (f->activated->len, ==, 4);

  step (f, "timeline.last-date");
  g_assert_cmpint (last_activated (f), ==, f->ids[N_MAIN - 1]);
  /* At the end: nothing more. */
  step (f, "timeline.next-date");
  step (f, "timeline.last-date");
  g_assert_cmpuint (f->activated->len, ==, 5);
  step (f, "timeline.first-date");
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[0]);
  step (f, "timeline.previous-date");
  g_assert_cmpuint (f->activated->len, ==, 6);
  /* Enter activates the current date again. */
  step (f, "timeline.activate-date");
  g_assert_cmpuint (f->activated->len, ==, 7);
  g_assert_cmpint (last_activated (f), ==, f->ids[0]);
}

static void
test_model_changes (Fixture       *f,
                    gconstpointer  data)
{
  double t0 = (double) unix_time (main_dates[0]);
  double t_new = (double) unix_time ("2023-06-01T12:00:00Z");
  gint64 added;
  double axis_b;

  sl_timeline_set_current (f->timeline, f->ids[3]);

  /* The last date goes: the one before it becomes the end of the axis. */
  g_list_store_remove (f->store, N_MAIN - 1);
  {
    double a, m;
    g_assert_false (_sl_timeline_get_mark_x (f->timeline, f->ids[3], &a, &m));
  }
  g_assert_cmpfloat_with_epsilon (axis_x (f, f->ids[2]), WIDTH - MARGIN, 1e-9);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, WIDTH - MARGIN), ==, f->ids[2]);

  /* A later one arrives: it ends the axis, the others move closer together. */
  added = add_scene (f, "2023-06-01T12:00:00Z");
  {
    gint64 ids[N_MAIN] = { f->ids[0], f->ids[1], f->ids[2], added };
    fill_store (f, f->store, ids, N_MAIN);
  }
  axis_b = MARGIN + ((double) unix_time (main_dates[1]) - t0) / (t_new - t0) * (WIDTH - 2 * MARGIN);
  g_assert_cmpfloat_with_epsilon (axis_x (f, added), WIDTH - MARGIN, 1e-9);
  g_assert_cmpfloat_with_epsilon (axis_x (f, f->ids[1]), axis_b, 1e-6);

  /* Emptied: nothing to pick, nothing drawn. */
  g_list_store_remove_all (f->store);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, WIDTH / 2), ==, 0);
  {
    guint n;
    _sl_timeline_get_labels (f->timeline, &n);
    g_assert_cmpuint (n, ==, 0);
  }
  {
    g_autoptr(GdkTexture) texture = render (f, FALSE);
    int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
    g_autofree guint32 *pixels = g_new (guint32, (gsize) w * h);

    gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
    for (gsize i = 0; i < (gsize) w * h; i++)
      g_assert_cmphex (pixels[i], ==, 0);
  }
  step (f, "timeline.next-date");
  g_assert_cmpuint (f->activated->len, ==, 0);
}

static void
test_one_scene (Fixture       *f,
                gconstpointer  data)
{
  const SlTimelineLabel *labels;
  guint n;

  fill_store (f, f->store, &f->ids[2], 1);
  g_assert_cmpfloat_with_epsilon (mark_x (f, f->ids[2]), WIDTH / 2.0, 1e-9);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, WIDTH / 2.0), ==, f->ids[2]);
  /* Its date is written under it. */
  labels = _sl_timeline_get_labels (f->timeline, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (labels[0].kind, ==, SL_TIMELINE_LABEL_DATE);
  g_assert_cmpstr (labels[0].text, ==, "2 May 2022");
  g_assert_cmpfloat (fabs (labels[0].x + labels[0].width / 2 - WIDTH / 2.0), <=, 1.0);
}

/* Tick labels match @pattern, and no two labels of a row come closer than 8 px. */
static void
assert_labels (Fixture    *f,
               const char *pattern,
               guint       min_ticks)
{
  const SlTimelineLabel *labels;
  guint n, n_ticks = 0;

  labels = _sl_timeline_get_labels (f->timeline, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (labels[i].x, >=, 0);
      g_assert_cmpfloat (labels[i].x + labels[i].width, <=, WIDTH);
      if (labels[i].kind == SL_TIMELINE_LABEL_TICK)
        {
          if (!g_regex_match_simple (pattern, labels[i].text, 0, 0))
            g_error ("Tick label “%s” does not match %s", labels[i].text, pattern);
          n_ticks++;
        }
      for (guint j = 0; j < i; j++)
        if ((labels[i].kind == SL_TIMELINE_LABEL_TOTAL) == (labels[j].kind == SL_TIMELINE_LABEL_TOTAL))
          g_assert_true (labels[i].x >= labels[j].x + labels[j].width + 8 ||
                         labels[j].x >= labels[i].x + labels[i].width + 8);
    }
  g_assert_cmpuint (n_ticks, >=, min_ticks);
}

static void
test_ticks_adapt (Fixture       *f,
                  gconstpointer  data)
{
  static const char *hours[] = { "2022-03-01T05:10:00Z", "2022-03-01T19:40:00Z" };
  static const char *days[] = { "2022-03-01T09:00:00Z", "2022-03-05T09:00:00Z", "2022-03-12T09:00:00Z" };
  static const char *years[] = { "2010-06-01T09:00:00Z", "2022-06-01T09:00:00Z" };
  gint64 ids[3];

  /* Months: the main set spans eleven months. */
  assert_labels (f, "^[A-Z][a-z]{2} 20[0-9]{2}$", 4);

  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    ids[i] = add_scene (f, hours[i]);
  fill_store (f, f->store, ids, G_N_ELEMENTS (hours));
  assert_labels (f, "^([0-2][0-9]:00|[0-9]+ Mar)$", 4);

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    ids[i] = add_scene (f, days[i]);
  fill_store (f, f->store, ids, G_N_ELEMENTS (days));
  assert_labels (f, "^[0-9]{1,2} (Feb|Mar)$", 4);
  /* With the current date labelled too, in full. */
  sl_timeline_set_current (f->timeline, ids[1]);
  assert_labels (f, "^[0-9]{1,2} (Feb|Mar)$", 3);
  {
    const SlTimelineLabel *labels;
    guint n;
    gboolean found = FALSE;

    labels = _sl_timeline_get_labels (f->timeline, &n);
    for (guint i = 0; i < n; i++)
      if (labels[i].kind == SL_TIMELINE_LABEL_CURRENT)
        {
          g_assert_cmpstr (labels[i].text, ==, "5 Mar 2022");
          found = TRUE;
        }
    g_assert_true (found);
  }

  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    ids[i] = add_scene (f, years[i]);
  fill_store (f, f->store, ids, G_N_ELEMENTS (years));
  assert_labels (f, "^20[0-2][0-9]$", 4);
}

static void
test_crowded (Fixture       *f,
              gconstpointer  data)
{
  gint64 ids[40];
  double spacing;

  /* Two on one day, an hour and a half apart, amid the main set. */
  ids[0] = add_scene (f, "2022-05-02T11:30:00Z");
  {
    gint64 with[N_MAIN + 1] = { f->ids[0], f->ids[1], f->ids[2], f->ids[3], ids[0] };
    fill_store (f, f->store, with, N_MAIN + 1);
  }
  g_assert_cmpfloat (fabs (mark_x (f, ids[0]) - mark_x (f, f->ids[2])), >=, 11 - 1e-9);
  /* Moved apart symmetrically around their times. */
  g_assert_cmpfloat_with_epsilon ((mark_x (f, ids[0]) + mark_x (f, f->ids[2])) / 2,
                                  (axis_x (f, ids[0]) + axis_x (f, f->ids[2])) / 2, 1e-6);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, ids[0])), ==, ids[0]);
  g_assert_cmpint (_sl_timeline_scene_at (f->timeline, mark_x (f, f->ids[2])), ==, f->ids[2]);
  /* Their labels carry the time. */
  sl_timeline_set_current (f->timeline, f->ids[2]);
  {
    g_autofree char *text = _sl_timeline_format_mark_date (f->timeline, _sl_timeline_find_mark (f->timeline, f->ids[2]));
    g_assert_cmpstr (text, ==, "2 May 2022 10:00");
  }

  /* Forty scenes in a month in a narrow strip: still in order, apart, inside, labels clear. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *date = g_strdup_printf ("2021-03-%02uT%02u:00:00Z", 1 + i * 3 / 4, (i * 7) % 24);
      ids[i] = add_scene (f, date);
    }
  fill_store (f, f->store, ids, G_N_ELEMENTS (ids));
  sl_timeline_set_current (f->timeline, ids[20]);
  spacing = MIN (11.0, (WIDTH - 2 * MARGIN) / (G_N_ELEMENTS (ids) - 1));
  {
    double previous = -G_MAXDOUBLE;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->store)); i++)
      {
        g_autoptr(SlScene) scene = g_list_model_get_item (G_LIST_MODEL (f->store), i);
        double x = mark_x (f, sl_scene_get_id (scene));

        g_assert_cmpfloat (x, >=, previous + spacing - 1e-6);
        g_assert_cmpfloat (x, >=, MARGIN - 1e-6);
        g_assert_cmpfloat (x, <=, WIDTH - MARGIN + 1e-6);
        g_assert_cmpint (_sl_timeline_scene_at (f->timeline, x), ==, sl_scene_get_id (scene));
        previous = x;
      }
  }
  assert_labels (f, "^[0-9]{1,2} (Feb|Mar|Apr)$", 3);
  {
    g_autoptr(GdkTexture) texture = render (f, TRUE);
    save_png (texture, "timeline-crowded.png");
  }
}

static void
test_totals (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const guint counts[N_MAIN] = { 3, 0, 12, 7 };
  const SlTimelineLabel *labels;
  g_autoptr(GdkTexture) texture = NULL;
  guint n, n_totals = 0;
  int bar_y;

  for (guint i = 0; i < N_MAIN; i++)
    if (counts[i] > 0)
      g_hash_table_insert (totals, g_memdup2 (&f->ids[i], sizeof (gint64)), GUINT_TO_POINTER (counts[i]));
  sl_timeline_set_totals (f->timeline, totals);
  /* Copied: the caller's table may go. */
  g_hash_table_remove_all (totals);

  labels = _sl_timeline_get_labels (f->timeline, &n);
  for (guint i = 0; i < n; i++)
    if (labels[i].kind == SL_TIMELINE_LABEL_TOTAL)
      {
        gboolean matched = FALSE;

        for (guint k = 0; k < N_MAIN; k++)
          if (counts[k] > 0 && fabs (labels[i].x + labels[i].width / 2 - mark_x (f, f->ids[k])) <= 1.0)
            {
              g_autofree char *text = g_strdup_printf ("%u", counts[k]);
              g_assert_cmpstr (labels[i].text, ==, text);
              matched = TRUE;
            }
        g_assert_true (matched);
        /* Above the marks. */
        g_assert_cmpfloat (labels[i].y + labels[i].height, <, f->timeline->axis_y);
        n_totals++;
      }
  g_assert_cmpuint (n_totals, ==, 3);
  assert_labels (f, "^[A-Z][a-z]{2} 20[0-9]{2}$", 3);

  /* Bars: the largest count reaches up, a date without objects has none. */
  texture = render (f, FALSE);
  bar_y = (int) (f->timeline->axis_y - 11);
  g_assert_cmpuint (pixel_at (texture, (int) mark_x (f, f->ids[2]), bar_y) >> 24, >, 0);
  g_assert_cmpuint (pixel_at (texture, (int) mark_x (f, f->ids[1]), bar_y) >> 24, ==, 0);

  sl_timeline_set_totals (f->timeline, NULL);
  labels = _sl_timeline_get_labels (f->timeline, &n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (labels[i].kind, !=, SL_TIMELINE_LABEL_TOTAL);
}

static void
test_render (Fixture       *f,
             gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const guint counts[N_MAIN] = { 4, 9, 0, 15 };
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (f->timeline));
  guint32 light_mark = 0, dark_mark = 0;

  for (guint i = 0; i < N_MAIN; i++)
    if (counts[i] > 0)
      g_hash_table_insert (totals, g_memdup2 (&f->ids[i], sizeof (gint64)), GUINT_TO_POINTER (counts[i]));
  sl_timeline_set_totals (f->timeline, totals);
  sl_timeline_set_current (f->timeline, f->ids[1]);
  sl_timeline_set_secondary (f->timeline, f->ids[2]);

  for (int dark = 0; dark < 2; dark++)
    {
      g_autoptr(GdkTexture) texture = NULL;
      GdkRGBA accent, fg, bg;
      int y;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      texture = render (f, TRUE);
      save_png (texture, dark ? "timeline-dark.png" : "timeline-light.png");

      /* The current date in the accent colour, the secondary ringed in the text colour. */
      g_assert_true (gtk_style_context_lookup_color (context, "accent_bg_color", &accent));
      g_assert_true (gtk_style_context_lookup_color (context, "window_bg_color", &bg));
      gtk_style_context_get_color (context, &fg);
      /* Pixel centres: on a mark's centre (on the axis), and 5 px above one, in the ring
       * (4 to 6 px out) and off the axis line. */
      y = (int) f->timeline->axis_y;
      g_assert_true (pixel_is_color (pixel_at (texture, (int) floor (mark_x (f, f->ids[1])), y), &accent, &bg, 2));
      g_assert_true (pixel_is_color (pixel_at (texture, (int) floor (mark_x (f, f->ids[2])), y - 5), &fg, &bg, 3));
      /* An ordinary mark follows the style: different in dark. */
      if (dark)
        dark_mark = pixel_at (texture, (int) floor (mark_x (f, f->ids[0])), y);
      else
        light_mark = pixel_at (texture, (int) floor (mark_x (f, f->ids[0])), y);
    }
  g_assert_cmphex (light_mark, !=, dark_mark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

typedef struct
{
  SlSceneThumbnails *thumbnails;
  gint64             scene_id;
} Waiting;

static gboolean
thumbnail_made (gpointer data)
{
  Waiting *w = data;

  return sl_scene_thumbnails_lookup (w->thumbnails, w->scene_id) != NULL;
}

static void
test_popup (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileCache) cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_autoptr(SlSceneThumbnails) thumbnails = NULL;
  GtkPicture *picture;
  Waiting w;

  g_assert_no_error (error);
  thumbnails = sl_scene_thumbnails_new (cache, 96);
  sl_timeline_set_thumbnails (f->timeline, thumbnails);

  /* Hovering the second date: its label and date at once, the picture when it is made. */
  g_assert_cmpint (_sl_timeline_fill_popup (f->timeline, mark_x (f, f->ids[1]) + 3), ==, f->ids[1]);
  picture = _sl_timeline_get_popup_picture (f->timeline);
  g_assert_null (gtk_picture_get_paintable (picture));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->timeline->popup_stack), ==, "loading");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->timeline->popup_stack)));
  g_assert_cmpstr (gtk_label_get_label (f->timeline->popup_title), ==, "scene-1.tif");
  g_assert_cmpstr (gtk_label_get_label (f->timeline->popup_date), ==, "24 Jan 2022 09:00 UTC");

  w = (Waiting) { thumbnails, f->ids[1] };
  spin_until (thumbnail_made, &w);
  g_assert_true (gtk_picture_get_paintable (picture) == GDK_PAINTABLE (sl_scene_thumbnails_lookup (thumbnails, f->ids[1])));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->timeline->popup_stack), ==, "picture");
  /* The scene's shape (48 × 32) at the thumbnails' size. */
  g_assert_cmpint (gdk_texture_get_width (sl_scene_thumbnails_lookup (thumbnails, f->ids[1])), ==, 96);
  g_assert_cmpint (gdk_texture_get_height (sl_scene_thumbnails_lookup (thumbnails, f->ids[1])), ==, 64);

  /* Between dates: no popup. */
  g_assert_cmpint (_sl_timeline_fill_popup (f->timeline, (mark_x (f, f->ids[2]) + mark_x (f, f->ids[3])) / 2), ==, 0);
  sl_timeline_set_thumbnails (f->timeline, NULL);
}

/* --- real input, through the X server --- */

static gboolean
popup_shows_picture (gpointer data)
{
  Fixture *f = data;

  return f->timeline->popup != NULL && gtk_widget_get_mapped (f->timeline->popup) &&
         gtk_widget_get_mapped (GTK_WIDGET (f->timeline->popup_picture));
}

/* Runs the main loop for @msec, whatever happens. */
static void
spin_for (guint msec)
{
  gint64 end = g_get_monotonic_time () + msec * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
can_drive_x (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  return xdotool != NULL && g_getenv ("DISPLAY") != NULL &&
         g_str_equal (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11Display");
}

typedef struct
{
  Fixture *f;
  guint    n;
} Count;

static gboolean
activated_n (gpointer data)
{
  Count *c = data;

  return c->f->activated->len >= c->n;
}

static void
test_real_events (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *window_id = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  graphene_point_t origin;
  double sx, sy;
  Count c = { f, 1 };

  if (!can_drive_x ())
    {
      g_test_skip ("Needs an X display and xdotool");
      return;
    }
  window_id = sl_test_find_window ("Sitelapse timeline test", 20);

  /* GUI tests run in parallel on one X server with no window manager, every window at 0, 0:
   * ours goes to the bottom right corner, on top, so that the pointer reaches it. */
  {
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
    g_autofree char *wx = NULL;
    g_autofree char *wy = NULL;
    GdkRectangle screen;

    gdk_monitor_get_geometry (monitor, &screen);
    wx = g_strdup_printf ("%d", MAX (0, screen.width - WIDTH - 20));
    wy = g_strdup_printf ("%d", MAX (0, screen.height - SL_TIMELINE_HEIGHT - 2));
    g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "windowmove", "--sync", window_id, wx, wy,
                                  "windowraise", window_id, NULL), ==, 0);
    spin_for (50);
  }

  /* Where the third mark is, in the X window's pixels. */
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->timeline), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (mark_x (f, f->ids[2]), f->timeline->axis_y),
                                           &origin));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  x = g_strdup_printf ("%d", (int) round (origin.x + sx));
  y = g_strdup_printf ("%d", (int) round (origin.y + sy));

  g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "mousemove", "--sync", "--window", window_id, x, y,
                                "click", "1", NULL), ==, 0);
  spin_until (activated_n, &c);
  g_assert_cmpint (last_activated (f), ==, f->ids[2]);
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[2]);
  /* The strip is the window's focus (the window itself may not be active: other tests'
   * windows come and go on the same X server). */
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (f->timeline)));

  /* The Right key, to the focused strip: the next date. Another test's window may take the
   * X focus in between: then press again (from the last date, Right changes nothing). */
  c.n = 2;
  for (int attempt = 0; attempt < 3 && !activated_n (&c); attempt++)
    {
      gint64 wait_until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "windowfocus", "--sync", window_id,
                                    "key", "Right", NULL), ==, 0);
      while (!activated_n (&c) && g_get_monotonic_time () < wait_until)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }
    }
  g_assert_cmpuint (f->activated->len, ==, 2);
  g_assert_cmpint (last_activated (f), ==, f->ids[3]);
  g_assert_cmpint (sl_timeline_get_current (f->timeline), ==, f->ids[3]);

  /* Resting on the second mark: the popup shows, and its thumbnail arrives in it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SlTileCache) cache = sl_tile_cache_new (f->project, 0, 2, &error);
    g_autoptr(SlSceneThumbnails) thumbnails = NULL;
    g_autofree char *hx = NULL;
    const char *dir = g_getenv ("SL_TEST_PNG_DIR");
    Waiting w;

    g_assert_no_error (error);
    thumbnails = sl_scene_thumbnails_new (cache, 128);
    sl_timeline_set_thumbnails (f->timeline, thumbnails);
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (f->timeline), GTK_WIDGET (f->window),
                                             &GRAPHENE_POINT_INIT (mark_x (f, f->ids[1]), f->timeline->axis_y),
                                             &origin));
    hx = g_strdup_printf ("%d", (int) round (origin.x + sx));
    /* Out of the window first: a click or key press hides tooltips until the pointer comes back. */
    g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "mousemove", "--sync", "--window", window_id,
                                  hx, "300", NULL), ==, 0);
    spin_for (100);
    g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "mousemove", "--sync", "--window", window_id,
                                  hx, y, NULL), ==, 0);
    w = (Waiting) { thumbnails, f->ids[1] };
    spin_until (thumbnail_made, &w);
    spin_until (popup_shows_picture, f);
    g_assert_cmpint (f->timeline->popup_scene, ==, f->ids[1]);
    g_assert_true (gtk_picture_get_paintable (f->timeline->popup_picture) ==
                   GDK_PAINTABLE (sl_scene_thumbnails_lookup (thumbnails, f->ids[1])));
    if (dir != NULL)
      {
        g_autofree char *path = g_build_filename (dir, "timeline-popup.png", NULL);

        spin_for (300);
        g_assert_cmpint (sl_test_run (NULL, NULL, "import", "-window", "root", path, NULL), ==, 0);
        g_test_message ("Saved %s", path);
      }
    sl_timeline_set_thumbnails (f->timeline, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/timeline/positions-follow-time", test_positions);
  ADD ("/timeline/click-activates", test_click);
  ADD ("/timeline/keyboard-steps", test_keyboard);
  ADD ("/timeline/model-changes", test_model_changes);
  ADD ("/timeline/one-scene-centred", test_one_scene);
  ADD ("/timeline/ticks-adapt", test_ticks_adapt);
  ADD ("/timeline/crowded-dates", test_crowded);
  ADD ("/timeline/totals", test_totals);
  ADD ("/timeline/render", test_render);
  ADD ("/timeline/popup-thumbnail", test_popup);
  ADD ("/timeline/real-events", test_real_events);
#undef ADD

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
