/* test-counts.c — counts over time: the table, new/gone/persisting, the chart, the timeline's
 * totals and the window action
 *
 * A project of three dated GeoTIFFs (written here with GDAL, uneven gaps) gets annotations
 * through the store: 3 tanks and 1 APC on the first date; on the second, 2 of those tanks
 * followed there (same object identity) and 3 new ones; 1 APC on the third. The counts view
 * must show exactly those counts and changes, the chart must paint each class's colour where
 * its points are, and the real window must keep the timeline's totals in step with an add
 * and its undo, and open the view with win.show-counts. Set SL_TEST_SAVE=dir to keep PNGs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-counts"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "sl-core.h"
#include "sl-counts-chart.h"
#include "sl-counts-view.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-timeline-private.h"
#include "sl-undo-stack.h"
#include "sl-window-private.h"

#define N_SCENES 3
#define ORIGIN_X 500000.0
#define ORIGIN_Y 6050000.0
#define CHART_W  640
#define CHART_H  300

static SlApplication *app;

typedef struct
{
  char              *dir;
  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  gint64             ids[N_SCENES];
  SlClass           *tank;
  SlClass           *apc;
} Fixture;

static void
write_scene (const char *path,
             guint       index)
{
  static const char * const dates[N_SCENES] = { "2022:01:10 09:30:00", "2022:01:20 09:31:00", "2022:03:01 09:32:00" };
  g_autofree guint8 *pixels = g_malloc0 (64 * 64 * 3);
  double gt[6] = { ORIGIN_X, 1, 0, ORIGIN_Y, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, 64, 64, 3, GDT_Byte, NULL);

  g_assert_nonnull (ds);
  memset (pixels, 40 + 60 * index, 64 * 64 * 3);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, 64, 64, pixels, 64, 64, GDT_Byte, 3, NULL, 0, 0, 0), ==, CE_None);
  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", dates[index], NULL);
  GDALClose (ds);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
}

static gint64
add_point (Fixture *f,
           gint64   scene_id,
           gint64   class_id,
           double   x)
{
  g_autoptr(GError) error = NULL;
  SlPoint p = { ORIGIN_X + x, ORIGIN_Y - 10 };
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

  a->scene_id = scene_id;
  a->class_id = class_id;
  g_assert_true (sl_annotation_store_add (f->store, a, &error));
  g_assert_no_error (error);
  return a->id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GArray) copied = NULL;
  gint64 tanks[3];

  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "counts.sitelapse", NULL);
  f->project = sl_project_create (path, "Counts Site", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_SCENES; i++)
    {
      g_autofree char *name = g_strdup_printf ("scene-%u.tif", i);
      g_autofree char *image = g_build_filename (f->dir, name, NULL);
      g_autoptr(SlScene) probed = NULL;
      g_autoptr(SlScene) stored = NULL;

      write_scene (image, i);
      probed = sl_scene_probe (image, &error);
      g_assert_no_error (error);
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
      f->ids[i] = sl_scene_get_id (stored);
    }

  f->store = sl_annotation_store_new (f->project);
  f->classes = sl_class_set_new (f->project);
  classes = sl_class_set_list (f->classes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (classes->len, >=, 2);
  f->tank = sl_class_copy (g_ptr_array_index (classes, 0));
  f->apc = sl_class_copy (g_ptr_array_index (classes, 1));
  g_assert_cmpstr (f->tank->colour, !=, f->apc->colour);

  for (guint i = 0; i < 3; i++)
    tanks[i] = add_point (f, f->ids[0], f->tank->id, 10 + i * 5);
  add_point (f, f->ids[0], f->apc->id, 40);
  copied = sl_annotation_store_copy_to_scene (f->store, tanks, 2, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copied->len, ==, 2);
  for (guint i = 0; i < 3; i++)
    add_point (f, f->ids[1], f->tank->id, 30 + i * 5);
  add_point (f, f->ids[2], f->apc->id, 20);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->tank, sl_class_free);
  g_clear_pointer (&f->apc, sl_class_free);
  g_clear_object (&f->store);
  g_clear_object (&f->classes);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_test_tmpdir_free (f->dir);
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
spin_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_cell (SlCountsView *view,
             guint         row,
             guint         column,
             const char   *expected)
{
  g_autofree char *text = sl_counts_view_dup_cell (view, row, column);

  g_assert_cmpstr (text, ==, expected);
}

/* Rows: heading, the three dates, totals; columns: date, Tank, APC, total. */
static void
test_table (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *view = g_object_ref_sink (sl_counts_view_new ());
  SlCountsView *counts = SL_COUNTS_VIEW (view);
  guint n_new = 99, n_gone = 99, n_persisting = 99;

  sl_counts_view_set_sources (counts, f->store, f->classes);
  sl_counts_view_set_current (counts, f->ids[1]);
  sl_counts_view_refresh (counts);

  assert_cell (counts, 0, 0, "Date");
  assert_cell (counts, 0, 1, f->tank->name);
  assert_cell (counts, 0, 2, f->apc->name);
  assert_cell (counts, 0, 3, "Total");
  assert_cell (counts, 1, 0, "10 Jan 2022");
  assert_cell (counts, 1, 1, "3");
  assert_cell (counts, 1, 2, "1");
  assert_cell (counts, 1, 3, "4");
  assert_cell (counts, 2, 0, "20 Jan 2022");
  assert_cell (counts, 2, 1, "5 +2");
  assert_cell (counts, 2, 2, "0 −1");
  assert_cell (counts, 2, 3, "5 +1");
  assert_cell (counts, 3, 0, "1 Mar 2022");
  assert_cell (counts, 3, 1, "0 −5");
  assert_cell (counts, 3, 2, "1 +1");
  assert_cell (counts, 3, 3, "1 −4");
  assert_cell (counts, 4, 0, "All dates");
  assert_cell (counts, 4, 1, "8");
  assert_cell (counts, 4, 2, "2");
  assert_cell (counts, 4, 3, "10");
  g_assert_null (sl_counts_view_dup_cell (counts, 5, 0));
  g_assert_null (sl_counts_view_dup_cell (counts, 0, 4));

  /* The second date against the first: 2 tanks followed, 3 new, 1 tank and 1 APC gone. */
  g_assert_true (sl_counts_view_get_changes (counts, &n_new, &n_gone, &n_persisting));
  g_assert_cmpuint (n_new, ==, 3);
  g_assert_cmpuint (n_gone, ==, 2);
  g_assert_cmpuint (n_persisting, ==, 2);
  /* The third against the second: nothing linked. */
  sl_counts_view_set_current (counts, f->ids[2]);
  sl_counts_view_refresh (counts);
  g_assert_true (sl_counts_view_get_changes (counts, &n_new, &n_gone, &n_persisting));
  g_assert_cmpuint (n_new, ==, 1);
  g_assert_cmpuint (n_gone, ==, 5);
  g_assert_cmpuint (n_persisting, ==, 0);
  /* The first date has nothing to compare with. */
  sl_counts_view_set_current (counts, f->ids[0]);
  sl_counts_view_refresh (counts);
  g_assert_false (sl_counts_view_get_changes (counts, NULL, NULL, NULL));

  /* Live: an edit shows after the next idle, without asking. */
  add_point (f, f->ids[2], f->tank->id, 50);
  add_point (f, f->ids[2], f->tank->id, 55);
  assert_cell (counts, 3, 1, "0 −5");
  spin_idle ();
  assert_cell (counts, 3, 1, "2 −3");
  assert_cell (counts, 3, 3, "3 −2");
  assert_cell (counts, 4, 3, "12");

  sl_counts_view_set_sources (counts, NULL, NULL);
  g_assert_null (sl_counts_view_dup_cell (counts, 0, 0));
  g_object_unref (view);
}

/* A press photo nobody has placed or tagged is no date of the count (a zero there would read as
 * "all gone"); tagged, it counts. A scene hidden from the comparison is left out too. */
static void
test_uncounted_dates (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *view = g_object_ref_sink (sl_counts_view_new ());
  SlCountsView *counts = SL_COUNTS_VIEW (view);
  g_autofree char *image = g_build_filename (f->dir, "press.tif", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) press = NULL;
  g_autoptr(SlScene) second = NULL;
  SlTestImage spec = { .width = 300, .height = 200, .bands = 3, .datetime = "2022:02:01 10:00:00", .seed = 9 };

  sl_test_write_image (image, &spec);
  probed = sl_scene_probe (image, &error);
  g_assert_no_error (error);
  press = sl_project_add_scene (f->project, probed, &error);
  g_assert_no_error (error);
  g_assert_false (sl_scene_is_registered (press));

  sl_counts_view_set_sources (counts, f->store, f->classes);
  sl_counts_view_set_current (counts, f->ids[2]);
  sl_counts_view_refresh (counts);
  assert_cell (counts, 2, 0, "20 Jan 2022");
  assert_cell (counts, 3, 0, "1 Mar 2022");
  assert_cell (counts, 3, 1, "0 −5");

  /* Tagged, it is a date like the others. */
  add_point (f, sl_scene_get_id (press), f->tank->id, 10);
  sl_counts_view_refresh (counts);
  assert_cell (counts, 3, 0, "1 Feb 2022");
  assert_cell (counts, 3, 1, "1 −4");
  assert_cell (counts, 4, 0, "1 Mar 2022");

  /* Hidden from the comparison: left out. */
  second = sl_project_get_scene (f->project, f->ids[1], &error);
  g_assert_no_error (error);
  sl_scene_set_visible (second, FALSE);
  g_assert_true (sl_project_update_scene (f->project, second, &error));
  g_assert_no_error (error);
  sl_counts_view_refresh (counts);
  assert_cell (counts, 1, 0, "10 Jan 2022");
  assert_cell (counts, 2, 0, "1 Feb 2022");
  assert_cell (counts, 2, 1, "1 −2");

  sl_counts_view_set_sources (counts, NULL, NULL);
  g_object_unref (view);
}

typedef struct
{
  int     width, height;
  guint8 *data;   /* RGBA */
} Pixels;

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) == CHART_W;
}

static void
render (GtkWidget *widget,
        Pixels    *out,
        const char *name)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  graphene_point_t origin;

  g_assert_true (gtk_widget_compute_point (widget, parent, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (g_getenv ("SL_TEST_SAVE") != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s.png", g_getenv ("SL_TEST_SAVE"), name);

      gdk_texture_save_to_png (texture, file);
    }
  out->width = gdk_texture_get_width (texture);
  out->height = gdk_texture_get_height (texture);
  out->data = g_malloc ((gsize) out->width * out->height * 4);
  gdk_texture_download (texture, out->data, (gsize) out->width * 4);
}

/* GdkTexture downloads are native-endian ARGB32 (B, G, R, A in memory on little-endian). */
static void
assert_colour_at (const Pixels *p,
                  double        x,
                  double        y,
                  const char   *colour)
{
  guint r, g, b;
  const guint8 *px = p->data + ((gsize) (int) y * p->width + (int) x) * 4;

  g_assert_cmpint (sscanf (colour, "#%02x%02x%02x", &r, &g, &b), ==, 3);
  if (abs ((int) px[2] - (int) r) > 6 || abs ((int) px[1] - (int) g) > 6 || abs ((int) px[0] - (int) b) > 6)
    g_error ("At %.0f,%.0f: %02x%02x%02x, expected %s", x, y, px[2], px[1], px[0], colour);
}

static void
test_chart (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCountsTable) table = sl_annotation_store_count (f->store, &error);
  g_autoptr(GPtrArray) classes = sl_class_set_list (f->classes, NULL);
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (f->project, NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = sl_counts_chart_new ();
  SlCountsPainter *painter = sl_counts_chart_get_painter (SL_COUNTS_CHART (chart));
  Pixels pixels = { 0 };
  double x[N_SCENES], y[N_SCENES], ax, ay;

  g_assert_no_error (error);
  sl_counts_chart_set_counts (SL_COUNTS_CHART (chart), table, classes, scenes);
  sl_counts_chart_set_current (SL_COUNTS_CHART (chart), f->ids[1]);
  /* Only the classes used get a line. */
  g_assert_cmpuint (sl_counts_painter_get_n_series (painter), ==, 2);
  gtk_widget_set_size_request (chart, CHART_W, CHART_H);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_present (GTK_WINDOW (window));
  spin_until (is_mapped, chart);
  spin_idle ();
  g_assert_cmpint (gtk_widget_get_height (chart), ==, CHART_H);

  for (guint i = 0; i < N_SCENES; i++)
    g_assert_true (sl_counts_painter_get_point (painter, CHART_W, CHART_H, f->tank->id, f->ids[i], &x[i], &y[i]));
  g_assert_false (sl_counts_painter_get_point (painter, CHART_W, CHART_H, f->tank->id, 9999, NULL, NULL));
  /* Time, not order: 10 days then 40 days apart. */
  g_assert_cmpfloat_with_epsilon ((x[2] - x[1]) / (x[1] - x[0]), 40.0 / 10.0, 0.01);
  /* Counts: 3, 5, 0 from the bottom. */
  g_assert_cmpfloat (y[1], <, y[0]);
  g_assert_cmpfloat (y[0], <, y[2]);

  render (chart, &pixels, "counts-chart");
  for (guint i = 0; i < N_SCENES; i++)
    assert_colour_at (&pixels, x[i], y[i], f->tank->colour);
  g_assert_true (sl_counts_painter_get_point (painter, CHART_W, CHART_H, f->apc->id, f->ids[0], &ax, &ay));
  assert_colour_at (&pixels, ax, ay, f->apc->colour);
  /* Half-way between two tank points, well above the line: no tank colour there. */
  {
    const guint8 *px = pixels.data + ((gsize) (int) (y[1] - 30) * pixels.width + (int) ((x[0] + x[1]) / 2)) * 4;
    guint r, g, b;

    g_assert_cmpint (sscanf (f->tank->colour, "#%02x%02x%02x", &r, &g, &b), ==, 3);
    g_assert_false (px[2] == r && px[1] == g && px[0] == b);
  }
  g_free (pixels.data);
  gtk_window_destroy (GTK_WINDOW (window));
  spin_idle ();
}

static guint
timeline_total (SlWindow *window,
                gint64    scene_id)
{
  SlTimeline *timeline = _sl_window_get_timeline (window);

  g_assert_nonnull (timeline->totals);
  return GPOINTER_TO_UINT (g_hash_table_lookup (timeline->totals, &scene_id));
}

static gboolean
counts_shown (gpointer data)
{
  GtkWidget *counts = _sl_window_get_counts_window (data);

  return counts != NULL && gtk_widget_get_mapped (counts) &&
         gtk_widget_get_width (GTK_WIDGET (_sl_window_get_counts_view (data))) > 0;
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));
  SlUndoStack *undo;
  SlCountsView *view;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  SlPoint p = { ORIGIN_X + 5, ORIGIN_Y - 5 };
  SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);
  g_autoptr(GBytes) overlay = NULL;
  Pixels pixels = { 0 };

  sl_window_set_project (window, f->project);
  gtk_window_present (GTK_WINDOW (window));
  sl_compare_view_set_current (_sl_window_get_compare_view (window), f->ids[1]);
  spin_idle ();

  /* The timeline's totals: every annotation of each date. */
  g_assert_cmpuint (timeline_total (window, f->ids[0]), ==, 4);
  g_assert_cmpuint (timeline_total (window, f->ids[1]), ==, 5);
  g_assert_cmpuint (timeline_total (window, f->ids[2]), ==, 1);

  /* An add and its undo, through the window's own undo stack. */
  undo = _sl_window_get_undo_stack (window);
  a->scene_id = f->ids[2];
  a->class_id = f->apc->id;
  g_ptr_array_add (added, a);
  g_assert_true (sl_undo_stack_add (undo, added, "Add", &error));
  g_assert_no_error (error);
  /* Once per idle, not at once. */
  g_assert_cmpuint (timeline_total (window, f->ids[2]), ==, 1);
  spin_idle ();
  g_assert_cmpuint (timeline_total (window, f->ids[2]), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (window), "annotate.undo", NULL);
  spin_idle ();
  g_assert_cmpuint (timeline_total (window, f->ids[2]), ==, 1);
  g_assert_cmpuint (timeline_total (window, f->ids[1]), ==, 5);

  /* The action opens the view on the window's project and current date (the undo went to
   * the date it changed). */
  g_assert_cmpint (sl_compare_view_get_current (_sl_window_get_compare_view (window)), ==, f->ids[2]);
  sl_compare_view_set_current (_sl_window_get_compare_view (window), f->ids[1]);
  g_assert_null (_sl_window_get_counts_window (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-counts", NULL));
  spin_until (counts_shown, window);
  view = _sl_window_get_counts_view (window);
  g_assert_cmpint (sl_counts_view_get_current (view), ==, f->ids[1]);
  assert_cell (view, 2, 1, "5 +2");
  /* It follows the date… */
  sl_compare_view_set_current (_sl_window_get_compare_view (window), f->ids[2]);
  spin_idle ();
  g_assert_cmpint (sl_counts_view_get_current (view), ==, f->ids[2]);
  /* …and the annotations. */
  g_assert_true (sl_undo_stack_redo (undo, &error));
  g_assert_no_error (error);
  spin_idle ();
  assert_cell (view, 3, 2, "2 +2");
  g_assert_cmpuint (timeline_total (window, f->ids[2]), ==, 2);
  /* A few frames, so the table and chart are laid out before the picture. */
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  render (GTK_WIDGET (view), &pixels, "counts-view");
  g_free (pixels.data);
  render (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)), &pixels, "counts-window");
  g_free (pixels.data);

  /* Listed with the other shortcuts. */
  overlay = g_resources_lookup_data ("/io/github/sitelapse/Sitelapse/gtk/help-overlay.ui", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (overlay, NULL), g_bytes_get_size (overlay),
                                  "&lt;Control&gt;&lt;Shift&gt;t"));

  gtk_window_destroy (GTK_WINDOW (window));
  spin_idle ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/counts/table", test_table);
  ADD ("/counts/uncounted-dates", test_uncounted_dates);
  ADD ("/counts/chart", test_chart);
  ADD ("/counts/window", test_window);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
