/* test-annotation-layer.c — the annotation tools on a real compare view, and in the real program
 *
 * Two solid-colour GeoTIFFs of one site (1 m pixels, UTM 36N), written here with GDAL, in a
 * project. The compare view shows them at 100 %, so a logical pixel is a metre: each shape
 * is drawn by driving the layer's own gesture and motion controllers with the events they
 * would get, and its geometry is checked in the project file in site coordinates. Selecting,
 * moving, resizing, rotating, deleting, undo and redo, copy and paste across dates and "copy
 * to the next date" (same object identity) go through the same path. The compare view is
 * rendered offscreen to check that each side of a swipe shows its own date's annotations.
 * A real SlWindow takes the tool and class shortcuts. Finally the real program is started
 * on a project, a point is added with xdotool, the program is killed (SIGKILL) once the row
 * is visible from another connection, and the reopened file has it and passes
 * `PRAGMA integrity_check`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-annotation-layer"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>

#include "sl-annotation-layer-private.h"
#include "sl-compare-view-private.h"
#include "sl-core.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define SCENE_W 600
#define SCENE_H 400
#define VIEW_W  400
#define VIEW_H  300
#define ORIGIN_X 500000.0
#define ORIGIN_Y 6050000.0
/* Widget (x, y) at 100 % on the site's middle is site (SX (x), SY (y)). */
#define SX(x) (ORIGIN_X + SCENE_W / 2.0 - VIEW_W / 2.0 + (x))
#define SY(y) (ORIGIN_Y - SCENE_H / 2.0 + VIEW_H / 2.0 - (y))

static SlApplication *app;

static const guint8 colours[2][3] = {
  { 200, 60, 30 },
  { 40, 120, 220 },
};

typedef struct
{
  char              *dir;
  char              *path;
  SlProject         *project;
  gint64             ids[2];
  SlTileCache       *cache;
  SlViewport        *viewport;
  GListStore        *scenes;
  GtkWindow         *window;
  SlCompareView     *view;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  SlUndoStack       *undo;
  gint64             tank;      /* the first class */
  gint64             apc;       /* the second */
  GPtrArray         *messages;
} Fixture;

static void
write_scene (const char   *path,
             guint         index,
             const char   *datetime)
{
  g_autofree guint8 *bands = g_malloc ((gsize) SCENE_W * SCENE_H * 3);
  double gt[6] = { ORIGIN_X, 1, 0, ORIGIN_Y, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds;

  for (int b = 0; b < 3; b++)
    memset (bands + (gsize) b * SCENE_W * SCENE_H, colours[index][b], (gsize) SCENE_W * SCENE_H);
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, SCENE_W, SCENE_H, 3, GDT_Byte, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, SCENE_W, SCENE_H, bands, SCENE_W, SCENE_H,
                                        GDT_Byte, 3, NULL, 0, 0, 0), ==, CE_None);
  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", datetime, NULL);
  GDALClose (ds);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
}

static char *
make_project_file (const char *dir,
                   gint64      ids[2])
{
  static const char * const dates[2] = { "2022:01:18 09:30:00", "2022:02:21 08:52:00" };
  char *path = g_build_filename (dir, "site.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (path, "Annotation Site", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("scene-%u.tif", i);
      g_autofree char *image = g_build_filename (dir, name, NULL);
      g_autoptr(SlScene) probed = NULL;
      g_autoptr(SlScene) stored = NULL;

      write_scene (image, i, dates[i]);
      probed = sl_scene_probe (image, &error);
      g_assert_no_error (error);
      stored = sl_project_add_scene (project, probed, &error);
      g_assert_no_error (error);
      ids[i] = sl_scene_get_id (stored);
    }
  sl_project_close (project);
  return path;
}

static gboolean
view_is_ready (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_width (GTK_WIDGET (f->view)) == VIEW_W && sl_compare_view_is_settled (f->view) &&
         gtk_widget_get_mapped (GTK_WIDGET (sl_compare_view_get_layer (f->view, 0)));
}

static void
on_message (Fixture    *f,
            const char *message)
{
  g_ptr_array_add (f->messages, g_strdup (message));
}

static void
set_mode (Fixture       *f,
          SlCompareMode  mode)
{
  SlCompareState state;

  sl_compare_state_init (&state);
  state.mode = mode;
  state.current = f->ids[0];
  state.pair[0].scene_id = f->ids[0];
  state.pair[1].scene_id = f->ids[1];
  state.has_view = TRUE;
  state.center_x = ORIGIN_X + SCENE_W / 2.0;
  state.center_y = ORIGIN_Y - SCENE_H / 2.0;
  state.resolution = 1.0;
  sl_compare_view_set_state (f->view, &state);
  sl_test_spin_until (view_is_ready, f, "the view");
  sl_test_spin_for (20);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GPtrArray) classes = NULL;

  f->dir = sl_test_tmpdir_new ();
  f->path = make_project_file (f->dir, f->ids);
  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  f->store = sl_annotation_store_new (f->project);
  f->classes = sl_class_set_new (f->project);
  f->undo = sl_undo_stack_new (f->store);
  classes = sl_class_set_list (f->classes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (classes->len, >=, 2);
  f->tank = ((SlClass *) classes->pdata[0])->id;
  f->apc = ((SlClass *) classes->pdata[1])->id;
  f->messages = g_ptr_array_new_with_free_func (g_free);

  grid = sl_project_dup_site_grid (f->project);
  scenes = sl_project_list_scenes (f->project, &error);
  g_assert_no_error (error);
  f->cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_assert_no_error (error);
  f->viewport = sl_viewport_new ();
  sl_viewport_set_grid (f->viewport, grid);
  f->scenes = g_list_store_new (SL_TYPE_SCENE);
  for (guint i = 0; i < scenes->len; i++)
    g_list_store_append (f->scenes, scenes->pdata[i]);

  f->view = SL_COMPARE_VIEW (sl_compare_view_new ());
  sl_compare_view_set_viewport (f->view, f->viewport);
  sl_compare_view_set_cache (f->view, f->cache);
  sl_compare_view_set_scenes (f->view, G_LIST_MODEL (f->scenes));
  sl_compare_view_set_annotations (f->view, f->store, f->classes, f->undo);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      sl_annotation_layer_set_class_id (sl_compare_view_get_layer (f->view, i), f->tank);
      g_signal_connect_swapped (sl_compare_view_get_layer (f->view, i), "message", G_CALLBACK (on_message), f);
    }

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_resizable (f->window, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (f->view), VIEW_W, VIEW_H);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  set_mode (f, SL_COMPARE_SINGLE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->scenes);
  g_clear_object (&f->cache);
  g_clear_object (&f->viewport);
  g_clear_object (&f->undo);
  g_clear_object (&f->classes);
  g_clear_object (&f->store);
  g_clear_object (&f->project);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static SlAnnotationLayer *
layer (Fixture *f)
{
  return sl_compare_view_get_layer (f->view, 0);
}

/* The events the layer's controllers get for a press at (@x0, @y0), a move to (@x1, @y1) and
 * a release there, in the compare view's coordinates. */
static void
drag (SlAnnotationLayer *l,
      double             x0,
      double             y0,
      double             x1,
      double             y1)
{
  GtkGesture *gesture = _sl_annotation_layer_get_drag_gesture (l);

  g_signal_emit_by_name (gesture, "drag-begin", x0, y0);
  g_signal_emit_by_name (gesture, "drag-update", (x1 - x0) / 2, (y1 - y0) / 2);
  g_signal_emit_by_name (gesture, "drag-update", x1 - x0, y1 - y0);
  g_signal_emit_by_name (gesture, "drag-end", x1 - x0, y1 - y0);
}

static void
click (SlAnnotationLayer *l,
       double             x,
       double             y)
{
  GtkGesture *gesture = _sl_annotation_layer_get_drag_gesture (l);

  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-end", 0.0, 0.0);
}

static void
move_to (SlAnnotationLayer *l,
         double             x,
         double             y)
{
  g_signal_emit_by_name (_sl_annotation_layer_get_motion_controller (l), "motion", x, y);
}

static GPtrArray *
stored (Fixture *f,
        gint64   scene_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = sl_annotation_store_query (f->store, scene_id, NULL, &error);

  g_assert_no_error (error);
  return list;
}

static void
assert_point (const SlPoint *p,
              double         x,
              double         y)
{
  g_assert_cmpfloat_with_epsilon (p->x, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (p->y, y, 1e-6);
}

static SlAnnotation *
last_of (GPtrArray *list)
{
  g_assert_cmpuint (list->len, >, 0);
  return g_ptr_array_index (list, list->len - 1);
}

static void
test_draw_shapes (Fixture       *f,
                  gconstpointer  data)
{
  SlAnnotationLayer *l = layer (f);
  g_autoptr(GPtrArray) list = NULL;
  SlAnnotation *a;

  g_assert_false (gtk_widget_get_can_target (GTK_WIDGET (l)));

  /* Point: one click, one point, where the click was. Two more clicks: fast counting. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_POINT);
  click (l, 100, 80);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 1);
  a = last_of (list);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_POINT);
  g_assert_cmpint (a->class_id, ==, f->tank);
  g_assert_cmpint (a->scene_id, ==, f->ids[0]);
  g_assert_nonnull (a->object_uid);
  assert_point (&a->points[0], SX (100), SY (80));
  sl_test_spin_for (500);  /* not a double click */
  click (l, 120, 80);
  sl_test_spin_for (500);
  click (l, 140, 80);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 3);

  /* Box: a drag, corners clockwise from the north-west, in another class. */
  sl_annotation_layer_set_class_id (l, f->apc);
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_BOX);
  drag (l, 50, 150, 110, 190);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  a = last_of (list);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_BOX);
  g_assert_cmpint (a->class_id, ==, f->apc);
  g_assert_cmpuint (a->n_points, ==, 4);
  assert_point (&a->points[0], SX (50), SY (150));
  assert_point (&a->points[1], SX (110), SY (150));
  assert_point (&a->points[2], SX (110), SY (190));
  assert_point (&a->points[3], SX (50), SY (190));
  /* A slip of the mouse adds nothing. */
  drag (l, 50, 150, 52, 151);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 4);

  /* Rotated box: the long side by dragging, then the width by moving, then a click. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_ROTATED_BOX);
  drag (l, 200, 100, 260, 160);
  g_assert_true (sl_annotation_layer_is_drawing (l));
  move_to (l, 270, 150);
  click (l, 270, 150);
  g_assert_false (sl_annotation_layer_is_drawing (l));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  a = last_of (list);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_ROTATED_BOX);
  assert_point (&a->points[0], SX (200), SY (100));
  assert_point (&a->points[1], SX (260), SY (160));
  /* The pointer at (270, 150) is 10√2 px from the long side, across it: p2 = p1 + (10, −10) px. */
  assert_point (&a->points[2], SX (270), SY (150));
  assert_point (&a->points[3], SX (210), SY (90));
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (a), 60 * sqrt (2) * 10 * sqrt (2), 1e-3);

  /* Polygon: clicks, and a double click on the last point closes it. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_POLYGON);
  click (l, 300, 200);
  sl_test_spin_for (500);
  click (l, 350, 200);
  sl_test_spin_for (500);
  click (l, 330, 250);
  click (l, 330, 250);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  a = last_of (list);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_POLYGON);
  g_assert_cmpuint (a->n_points, ==, 3);
  assert_point (&a->points[2], SX (330), SY (250));
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (a), 50 * 50 / 2.0, 1e-6);

  /* Polygon closed with Enter (finish); Escape drops one. */
  click (l, 10, 10);
  sl_test_spin_for (500);
  click (l, 40, 10);
  sl_test_spin_for (500);
  click (l, 40, 40);
  g_assert_true (sl_annotation_layer_finish (l));
  click (l, 10, 100);
  g_assert_true (sl_annotation_layer_cancel (l));
  g_assert_false (sl_annotation_layer_finish (l));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 7);

  /* Line: a drag of 100 px is 100 m. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_LINE);
  drag (l, 20, 280, 120, 280);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  a = last_of (list);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_LINE);
  g_assert_cmpfloat_with_epsilon (sl_annotation_length (a), 100, 1e-6);
  g_assert_cmpuint (list->len, ==, 8);

  /* Nothing went to the other date, and nothing was refused. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[1]);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static gint64
add_box (Fixture *f,
         gint64   scene_id,
         double   x0,
         double   y0,
         double   x1,
         double   y1)
{
  SlPoint corners[4] = { { SX (x0), SY (y0) }, { SX (x1), SY (y0) }, { SX (x1), SY (y1) }, { SX (x0), SY (y1) } };
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;
  SlAnnotation *a = sl_annotation_new (SL_SHAPE_BOX, corners, 4);

  a->scene_id = scene_id;
  a->class_id = f->tank;
  g_ptr_array_add (list, a);
  g_assert_true (sl_annotation_store_add_many (f->store, list, &error));
  g_assert_no_error (error);
  return a->id;
}

static SlAnnotation *
get (Fixture *f,
     gint64   id)
{
  return sl_annotation_store_get (f->store, id, NULL);
}

static guint
n_selected (SlAnnotationLayer *l)
{
  g_autoptr(GArray) ids = sl_annotation_layer_get_selection (l);

  return ids->len;
}


static void render_view (Fixture *f, SlTestPixels *out, const char *name);
static void rgb_at (const SlTestPixels *p, int x, int y, guint *r, guint *g, guint *b);

static void
test_select_move_delete (Fixture       *f,
                         gconstpointer  data)
{
  SlAnnotationLayer *l = layer (f);
  gint64 box = add_box (f, f->ids[0], 100, 100, 160, 140);
  gint64 other = add_box (f, f->ids[0], 250, 100, 300, 140);
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(GPtrArray) list = NULL;
  guint changes = 0;

  sl_test_spin_for (20);
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_SELECT);

  /* A click inside selects; a drag moves it 10 m east and 20 m south. */
  click (l, 130, 120);
  g_assert_cmpuint (n_selected (l), ==, 1);
  drag (l, 130, 120, 140, 140);
  a = get (f, box);
  assert_point (&a->points[0], SX (110), SY (120));
  assert_point (&a->points[2], SX (170), SY (160));
  g_clear_pointer (&a, sl_annotation_free);
  changes++;

  /* Shift+click adds the other; a rubber band (Shift+drag on bare ground) takes both too. */
  _sl_annotation_layer_set_test_shift (l, TRUE);
  click (l, 275, 120);
  g_assert_cmpuint (n_selected (l), ==, 2);
  sl_annotation_layer_select (l, NULL, 0);
  drag (l, 90, 90, 320, 180);
  _sl_annotation_layer_set_test_shift (l, FALSE);
  g_assert_cmpuint (n_selected (l), ==, 2);

  /* Delete both; undo brings them back where they were; redo deletes them again. */
  g_assert_true (sl_annotation_layer_delete_selection (l));
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_true (sl_undo_stack_undo (f->undo, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 2);
  a = get (f, box);
  g_assert_nonnull (a);
  assert_point (&a->points[0], SX (110), SY (120));
  g_clear_pointer (&a, sl_annotation_free);
  g_assert_true (sl_undo_stack_redo (f->undo, NULL));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 0);
  /* Undo twice: the delete, then the move. */
  g_assert_true (sl_undo_stack_undo (f->undo, NULL));
  g_assert_true (sl_undo_stack_undo (f->undo, NULL));
  a = get (f, box);
  assert_point (&a->points[0], SX (100), SY (100));
  g_clear_pointer (&a, sl_annotation_free);
  g_assert_nonnull ((a = get (f, other)));
  g_assert_cmpuint (changes, ==, 1);

  /* A click on bare ground with the select tool is not taken (the pane pans). */
  sl_annotation_layer_select (l, &box, 1);
  click (l, 30, 250);
  g_assert_cmpuint (n_selected (l), ==, 1);

  /* Enter: the attributes popover; its class, confidence and note are undoable edits. */
  g_assert_true (sl_annotation_layer_show_properties (l));
  sl_test_spin_for (50);
  {
    GtkWidget *popover = _sl_annotation_layer_get_popover (l);
    GtkWidget *content = gtk_popover_get_child (GTK_POPOVER (popover));
    GtkGrid *grid = GTK_GRID (gtk_widget_get_last_child (content));
    GtkDropDown *class_drop = GTK_DROP_DOWN (gtk_grid_get_child_at (grid, 1, 0));
    GtkDropDown *confidence = GTK_DROP_DOWN (gtk_grid_get_child_at (grid, 1, 1));
    GtkEditable *note = GTK_EDITABLE (gtk_grid_get_child_at (grid, 1, 2));

    g_assert_cmpuint (gtk_drop_down_get_selected (class_drop), ==, 0);
    gtk_drop_down_set_selected (confidence, SL_CONFIDENCE_HIGH);
    gtk_drop_down_set_selected (class_drop, 1);
    gtk_editable_set_text (note, "Hull down, west of the track");
    g_signal_emit_by_name (note, "activate");
    g_clear_pointer (&a, sl_annotation_free);
    a = get (f, box);
    g_assert_cmpint (a->confidence, ==, SL_CONFIDENCE_HIGH);
    g_assert_cmpint (a->class_id, ==, f->apc);
    g_assert_cmpstr (a->note, ==, "Hull down, west of the track");
    g_clear_pointer (&a, sl_annotation_free);
    g_assert_true (sl_undo_stack_undo (f->undo, NULL));
    a = get (f, box);
    g_assert_null (a->note);
    g_assert_cmpint (a->class_id, ==, f->apc);
  }
}

static void
test_handles (Fixture       *f,
              gconstpointer  data)
{
  SlAnnotationLayer *l = layer (f);
  gint64 box = add_box (f, f->ids[0], 100, 100, 160, 140);
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(GArray) handles = NULL;
  const SlHandle *rot;

  sl_test_spin_for (20);
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_SELECT);
  sl_annotation_layer_select (l, &box, 1);

  /* The south-east corner handle, dragged 20 px right and 10 px down. */
  drag (l, 160, 140, 180, 150);
  a = get (f, box);
  assert_point (&a->points[0], SX (100), SY (100));
  assert_point (&a->points[2], SX (180), SY (150));
  g_assert_cmpint (a->kind, ==, SL_SHAPE_BOX);

  /* The east edge's middle: only the width changes. */
  drag (l, 180, 125, 170, 110);
  g_clear_pointer (&a, sl_annotation_free);
  a = get (f, box);
  assert_point (&a->points[1], SX (170), SY (100));
  assert_point (&a->points[2], SX (170), SY (150));

  /* The handles are drawn: white squares with a dark edge at the corners. */
  {
    SlTestPixels shown = { 0 };
    guint r, g, b;

    sl_test_spin_for (50);
    render_view (f, &shown, "annotation-handles.png");
    rgb_at (&shown, 170, 150, &r, &g, &b);
    g_assert_cmpuint (r + g + b, >, 3 * 240);
    rgb_at (&shown, 170 + 4, 150, &r, &g, &b);
    g_assert_cmpuint (r + g + b, <, 3 * 80);
    g_free (shown.data);
  }

  /* The rotation handle, turned a quarter about the centre: a rotated box of the same size. */
  handles = sl_annotation_painter_get_handles (f->viewport, VIEW_W, VIEW_H, a);
  rot = &g_array_index (handles, SlHandle, handles->len - 1);
  g_assert_cmpint (rot->kind, ==, SL_HANDLE_ROTATE);
  {
    double cx = 135, cy = 125;
    double rx = rot->x - cx, ry = rot->y - cy;

    /* (rx, ry) turned by 90° clockwise on screen. */
    drag (l, rot->x, rot->y, cx - ry, cy + rx);
  }
  g_clear_pointer (&a, sl_annotation_free);
  a = get (f, box);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_ROTATED_BOX);
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (a), 70 * 50, 1e-3);
  g_assert_cmpfloat_with_epsilon (fabs (a->points[1].x - a->points[0].x), 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (fabs (a->points[1].y - a->points[0].y), 70, 1e-6);

  /* Locked: the handles no longer move it. */
  g_assert_true (sl_annotation_layer_toggle_lock (l));
  {
    g_autoptr(SlAnnotation) before = get (f, box);

    g_assert_true (before->locked);
    drag (l, 135, 125, 200, 200);
    g_clear_pointer (&a, sl_annotation_free);
    a = get (f, box);
    assert_point (&a->points[0], before->points[0].x, before->points[0].y);
  }
}

static void
test_copy_across_dates (Fixture       *f,
                        gconstpointer  data)
{
  SlAnnotationLayer *l = layer (f);
  gint64 box = add_box (f, f->ids[0], 100, 100, 160, 140);
  g_autoptr(SlAnnotation) original = get (f, box);
  g_autoptr(GPtrArray) later = NULL;
  SlAnnotation *copy;

  sl_test_spin_for (20);
  sl_annotation_layer_select (l, &box, 1);

  /* Ctrl+B: the same object on the next date. */
  g_assert_true (sl_annotation_layer_copy_selection_to_scene (l, f->ids[1]));
  later = stored (f, f->ids[1]);
  g_assert_cmpuint (later->len, ==, 1);
  copy = g_ptr_array_index (later, 0);
  g_assert_cmpstr (copy->object_uid, ==, original->object_uid);
  g_assert_cmpint (copy->id, !=, box);
  assert_point (&copy->points[0], original->points[0].x, original->points[0].y);
  {
    guint n_new = 9, n_gone = 9, n_persisting = 0;

    g_assert_true (sl_annotation_store_compare (f->store, f->ids[0], f->ids[1], 0, &n_new, &n_gone, &n_persisting, NULL));
    g_assert_cmpuint (n_persisting, ==, 1);
    g_assert_cmpuint (n_new, ==, 0);
  }
  /* Undone across dates. */
  g_assert_true (sl_undo_stack_undo (f->undo, NULL));
  g_clear_pointer (&later, g_ptr_array_unref);
  later = stored (f, f->ids[1]);
  g_assert_cmpuint (later->len, ==, 0);
  g_assert_cmpint (sl_undo_stack_get_last_scene_id (f->undo), ==, f->ids[1]);

  /* Copy, change date, paste: the same ground, a new object. */
  g_assert_true (sl_annotation_layer_copy_selection (l));
  sl_compare_view_set_current (f->view, f->ids[1]);
  sl_test_spin_until (view_is_ready, f, "the view");
  g_assert_cmpint (sl_annotation_layer_get_scene_id (l), ==, f->ids[1]);
  g_assert_true (sl_annotation_layer_paste (l));
  g_clear_pointer (&later, g_ptr_array_unref);
  later = stored (f, f->ids[1]);
  g_assert_cmpuint (later->len, ==, 1);
  copy = g_ptr_array_index (later, 0);
  g_assert_cmpstr (copy->object_uid, !=, original->object_uid);
  assert_point (&copy->points[2], original->points[2].x, original->points[2].y);

  /* Duplicate: beside it, on the same date. */
  g_assert_true (sl_annotation_layer_duplicate_selection (l));
  g_clear_pointer (&later, g_ptr_array_unref);
  later = stored (f, f->ids[1]);
  g_assert_cmpuint (later->len, ==, 2);
  g_assert_cmpfloat (((SlAnnotation *) later->pdata[1])->points[0].x, >, original->points[0].x);

  /* Tab walks, H hides (drawn no more), F frames. */
  sl_annotation_layer_select (l, NULL, 0);
  g_assert_true (sl_annotation_layer_select_next (l, 1));
  g_assert_cmpuint (n_selected (l), ==, 1);
  g_assert_true (sl_annotation_layer_frame_selection (l));
  {
    g_autoptr(GArray) walked = sl_annotation_layer_get_selection (l);
    gint64 id = g_array_index (walked, gint64, 0);
    g_autoptr(SlAnnotation) hidden = NULL;
    g_autoptr(SlAnnotation) shown = NULL;

    g_assert_true (sl_annotation_layer_hide_selection (l));
    g_assert_cmpuint (n_selected (l), ==, 0);
    /* Stored (so it stays hidden after reopening), and not hit where it is drawn. */
    hidden = get (f, id);
    g_assert_true (hidden->hidden);
    /* Walked to again, H shows it. */
    sl_annotation_layer_select (l, &id, 1);
    g_assert_true (sl_annotation_layer_hide_selection (l));
    shown = get (f, id);
    g_assert_false (shown->hidden);
  }
}

/* --- rendering --- */

static void
render_view (Fixture      *f,
             SlTestPixels *out,
             const char   *name)
{
  sl_test_render_widget (GTK_WIDGET (f->view), out, name);
}

static void
rgb_at (const SlTestPixels *p,
        int           x,
        int           y,
        guint        *r,
        guint        *g,
        guint        *b)
{
  guint32 v;

  memcpy (&v, p->data + (gsize) y * p->stride + (gsize) x * 4, 4);
  *r = (v >> 16) & 0xff;
  *g = (v >> 8) & 0xff;
  *b = v & 0xff;
}

/* Tank red (#e01b24) on the outline. */
static gboolean
is_tank_red (const SlTestPixels *p,
             int           x,
             int           y)
{
  guint r, g, b;

  rgb_at (p, x, y, &r, &g, &b);
  return r >= 212 && r <= 236 && g < 45 && b >= 20 && b <= 52;
}

static gboolean
is_colour (const SlTestPixels *p,
           int           x,
           int           y,
           guint         index)
{
  guint r, g, b;

  rgb_at (p, x, y, &r, &g, &b);
  return r == colours[index][0] && g == colours[index][1] && b == colours[index][2];
}

static void
test_swipe_render (Fixture       *f,
                   gconstpointer  data)
{
  SlTestPixels shown = { 0 };

  /* A on the left half, B on the right: each date a box on both halves. */
  add_box (f, f->ids[0], 40, 100, 120, 200);
  add_box (f, f->ids[0], 260, 100, 340, 200);
  add_box (f, f->ids[1], 60, 120, 140, 220);
  add_box (f, f->ids[1], 280, 120, 360, 220);
  set_mode (f, SL_COMPARE_SWIPE);
  sl_compare_view_set_swipe (f->view, 0.5);
  sl_test_spin_for (50);
  render_view (f, &shown, "annotation-swipe.png");

  /* Left: A's box (west edge at x = 40), not B's (x = 60). Right: B's (x = 280), not A's (260). */
  g_assert_true (is_tank_red (&shown, 40, 150));
  g_assert_false (is_tank_red (&shown, 60, 210));
  g_assert_true (is_tank_red (&shown, 280, 160));
  g_assert_false (is_tank_red (&shown, 260, 110));
  /* Far from any outline each side shows its own date. */
  g_assert_true (is_colour (&shown, 20, 280, 0));
  g_assert_true (is_colour (&shown, 380, 280, 1));
  g_clear_pointer (&shown.data, g_free);

  /* The other date's annotations as outlines: B's box now shows on A's side, thin. */
  sl_compare_view_set_show_other_annotations (f->view, TRUE);
  sl_test_spin_for (50);
  render_view (f, &shown, "annotation-swipe-other.png");
  {
    guint r, g, b;

    /* B's west edge, below A's box, on A's side. */
    rgb_at (&shown, 60, 210, &r, &g, &b);
    g_assert_false (is_colour (&shown, 60, 210, 0));
  }
  g_clear_pointer (&shown.data, g_free);

  /* In swipe mode input goes to the side it lands on: a point on the right is B's. */
  {
    SlAnnotationLayer *right = sl_compare_view_get_layer (f->view, 1);
    g_autoptr(GPtrArray) later = NULL;

    sl_annotation_layer_set_tool (right, SL_ANNOTATION_TOOL_POINT);
    sl_annotation_layer_set_tool (layer (f), SL_ANNOTATION_TOOL_POINT);
    click (right, 300, 60);
    click (layer (f), 300, 60);
    later = stored (f, f->ids[1]);
    g_assert_cmpuint (later->len, ==, 3);
    g_clear_pointer (&later, g_ptr_array_unref);
    later = stored (f, f->ids[0]);
    g_assert_cmpuint (later->len, ==, 2);
  }
}

/* --- the window --- */

static void
test_window_actions (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  gint64 ids[2];
  g_autofree char *path = make_project_file (dir, ids);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (path, &error);
  SlWindow *window;
  SlCompareView *view;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GVariant) state = NULL;

  g_assert_no_error (error);
  window = sl_window_new (GTK_APPLICATION (app));
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  sl_test_spin_for (100);
  view = _sl_window_get_compare_view (window);
  g_assert_nonnull (_sl_window_get_annotation_store (window));

  /* annotate.tool reaches every pane's layer and shows in the tool bar's state. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.tool", "s", "rotated-box"));
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    g_assert_cmpint (sl_annotation_layer_get_tool (sl_compare_view_get_layer (view, i)), ==, SL_ANNOTATION_TOOL_ROTATED_BOX);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window->annotate_actions), "tool");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "rotated-box");

  /* Class keys: 2 is the second class (the default taxonomy's "2"). */
  classes = sl_class_set_list (window->classes, NULL);
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, ((SlClass *) classes->pdata[0])->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.class-key", "s", "2"));
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, ((SlClass *) classes->pdata[1])->id);
  g_assert_cmpint (sl_annotation_layer_get_class_id (sl_compare_view_get_layer (view, 0)), ==, ((SlClass *) classes->pdata[1])->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.class-key", "s", "<Shift>1"));
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, ((SlClass *) classes->pdata[10])->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.class", "x", ((SlClass *) classes->pdata[2])->id));
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, ((SlClass *) classes->pdata[2])->id);

  /* N repeats the last drawing tool after V. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.tool", "s", "select"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.repeat-tool", NULL));
  g_assert_cmpint (sl_annotation_layer_get_tool (sl_compare_view_get_layer (view, 0)), ==, SL_ANNOTATION_TOOL_ROTATED_BOX);

  /* Undo is off until an edit, then undoes it. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window->annotate_actions), "undo"));
  {
    g_autofree char *row = _sl_window_describe_class_row (window, 0);

    g_assert_cmpstr (row, ==, "Tank 0");
  }
  {
    SlPoint p = { SX (100), SY (100) };
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
    SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

    a->scene_id = sl_compare_view_get_current (view);
    a->class_id = ((SlClass *) classes->pdata[0])->id;
    g_ptr_array_add (list, a);
    g_assert_true (sl_undo_stack_add (_sl_window_get_undo_stack (window), list, "Add Tank", NULL));
  }
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window->annotate_actions), "undo"));
  /* The class menu counts it on the shown date, once the store says it changed. */
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    char *row = NULL;

    while (g_strcmp0 ((row = _sl_window_describe_class_row (window, 0)), "Tank 1") != 0 &&
           g_get_monotonic_time () < until)
      {
        g_free (row);
        sl_test_spin_for (20);
      }
    g_assert_cmpstr (row, ==, "Tank 1");
    g_free (row);
  }
  if (g_getenv ("SL_TEST_PNG_DIR") != NULL)
    {
      GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (window->class_button)));
      g_autofree char *png = g_build_filename (g_getenv ("SL_TEST_PNG_DIR"), "annotation-classes.png", NULL);
      g_autoptr(GdkPaintable) paintable = NULL;
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      gtk_menu_button_popup (GTK_MENU_BUTTON (window->class_button));
      sl_test_spin_for (300);
      paintable = gtk_widget_paintable_new (popover);
      gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (popover), gtk_widget_get_height (popover));
      node = gtk_snapshot_to_node (snapshot);
      if (node != NULL)
        {
          texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (popover)), node, NULL);
          gdk_texture_save_to_png (texture, png);
        }
      gtk_menu_button_popdown (GTK_MENU_BUTTON (window->class_button));
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.undo", NULL));
  g_assert_cmpuint (sl_project_count_annotations (project), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  sl_test_spin_for (50);
  sl_project_close (project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* --- durability: the real program, killed --- */

static gboolean
can_drive_x (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  return xdotool != NULL && g_getenv ("DISPLAY") != NULL && g_getenv ("SL_APP") != NULL &&
         g_str_equal (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11Display");
}

static int
count_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM annotations", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_durability (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  gint64 ids[2];
  g_autofree char *path = make_project_file (dir, ids);
  g_autofree char *out = NULL;
  g_autofree char *window_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *title = NULL;
  gint64 deadline;
  int rows = 0;

  if (!can_drive_x ())
    {
      g_test_skip ("Needs an X display, xdotool and SL_APP");
      sl_test_tmpdir_free (g_steal_pointer (&dir));
      return;
    }
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                            g_getenv ("SL_APP"), path, NULL);
  g_assert_no_error (error);
  /* The window's title is the project's name. */
  window_id = sl_test_find_window ("Annotation Site", 30);
  g_assert_cmpint (sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "windowmove", "--sync", window_id, "0", "0",
                                "windowsize", "--sync", window_id, "1000", "700", "windowraise", window_id, NULL), ==, 0);
  g_usleep (2500 * 1000);  /* the first frame with the scene */

  /* K: the point tool; a click in the middle of the compare area adds a point. Another
   * test's window may take the focus or cover ours in between: then once more. */
  for (int attempt = 0; attempt < 8 && (rows = count_rows (path)) < 1; attempt++)
    {
      sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "windowraise", window_id, "windowfocus", "--sync", window_id,
                   "key", "k", "mousemove", "--window", window_id, "560", "360", NULL);
      g_usleep (100 * 1000);
      sl_test_run (NULL, NULL, "timeout", "10", "xdotool", "click", "1", NULL);
      deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      while ((rows = count_rows (path)) < 1 && g_get_monotonic_time () < deadline)
        g_usleep (50 * 1000);
    }
  /* Seen from another connection: committed. Now the program dies at once. */
  g_assert_cmpint (rows, >=, 1);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);

  {
    g_autoptr(SlProject) project = sl_project_open (path, &error);
    g_autoptr(SlAnnotationStore) store = NULL;
    g_autoptr(GPtrArray) list = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_no_error (error);
    store = sl_annotation_store_new (project);
    /* On whichever date the window showed. */
    list = sl_annotation_store_query (store, ids[1], NULL, &error);
    g_assert_no_error (error);
    if (list->len == 0)
      {
        g_clear_pointer (&list, g_ptr_array_unref);
        list = sl_annotation_store_query (store, ids[0], NULL, &error);
        g_assert_no_error (error);
      }
    g_assert_cmpuint (list->len, ==, (guint) rows);
    g_assert_cmpint (((SlAnnotation *) list->pdata[0])->kind, ==, SL_SHAPE_POINT);
    sl_project_close (project);

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* --- real pointer events (X, xdotool): panning through the layer, drawing on it --- */

static gboolean
can_drive_x_here (void)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");

  return xdotool != NULL && g_getenv ("DISPLAY") != NULL &&
         g_str_equal (G_OBJECT_TYPE_NAME (gdk_display_get_default ()), "GdkX11Display");
}

static void
xdotool (const char *window_id,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;
  int status;
  g_autofree char *err = NULL;

  g_ptr_array_add (args, (char *) "timeout");
  g_ptr_array_add (args, (char *) "10");
  g_ptr_array_add (args, (char *) "xdotool");
  va_start (ap, window_id);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, g_strcmp0 (arg, "WINDOW") == 0 ? (char *) window_id : (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool %s %s %s %s failed (%d): %s", (char *) args->pdata[3], (char *) args->pdata[4], (char *) args->pdata[6], (char *) args->pdata[7], status, err);
}

static void
test_real_events (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *window_id = NULL;
  g_autofree char *wy = NULL;
  g_autoptr(GPtrArray) list = NULL;
  SlAnnotationLayer *l = layer (f);
  double x0, y0, x1;
  SlPoint expected;

  if (!can_drive_x_here ())
    {
      g_test_skip ("Needs an X display and xdotool");
      return;
    }
  gtk_window_set_title (f->window, "Sitelapse annotation layer test");
  sl_test_spin_for (200);
  window_id = sl_test_find_window ("Sitelapse annotation layer test", 20);
  /* GUI tests share one X server with no window manager: ours goes to the bottom left, on top. */
  {
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
    GdkRectangle screen;

    gdk_monitor_get_geometry (monitor, &screen);
    wy = g_strdup_printf ("%d", MAX (0, screen.height - VIEW_H - 2));
  }
  xdotool (window_id, "windowmove", "--sync", "WINDOW", "0", wy, "windowraise", "WINDOW", NULL);
  sl_test_spin_for (200);

  /* The select tool, a drag on bare imagery: the pane under the layer pans the view (a drag
   * to the right shows what is west), nothing is selected. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_SELECT);
  x0 = sl_viewport_get_center_x (f->viewport);
  y0 = sl_viewport_get_center_y (f->viewport);
  xdotool (window_id, "mousemove", "--window", "WINDOW", "60", "250", "mousedown", "1", NULL);
  sl_test_spin_for (50);
  for (int x = 80; x <= 160; x += 20)
    {
      g_autofree char *xs = g_strdup_printf ("%d", x);

      xdotool (window_id, "mousemove", "--window", "WINDOW", xs, "250", NULL);
      sl_test_spin_for (30);
    }
  xdotool (window_id, "mouseup", "1", NULL);
  sl_test_spin_for (100);
  x1 = sl_viewport_get_center_x (f->viewport);
  g_assert_cmpfloat (x1, <, x0 - 50);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_y (f->viewport), y0, 1.0);
  g_assert_cmpuint (n_selected (l), ==, 0);

  /* The point tool: a real click adds a point where it was. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_POINT);
  sl_viewport_widget_to_site (f->viewport, VIEW_W, VIEW_H, 200, 150, &expected.x, &expected.y);
  xdotool (window_id, "mousemove", "--window", "WINDOW", "200", "150", "click", "1", NULL);
  sl_test_spin_for (100);
  list = stored (f, f->ids[0]);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (((SlAnnotation *) list->pdata[0])->points[0].x, expected.x, 1.0);
  g_assert_cmpfloat_with_epsilon (((SlAnnotation *) list->pdata[0])->points[0].y, expected.y, 1.0);
  /* It did not pan. */
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), x1, 1e-9);

  /* The select tool again: a drag that starts on the point moves the point, not the view. */
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_SELECT);
  xdotool (window_id, "mousemove", "--window", "WINDOW", "200", "150", "mousedown", "1", NULL);
  sl_test_spin_for (50);
  xdotool (window_id, "mousemove", "--window", "WINDOW", "220", "150", NULL);
  sl_test_spin_for (50);
  xdotool (window_id, "mousemove", "--window", "WINDOW", "240", "150", "mouseup", "1", NULL);
  sl_test_spin_for (100);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), x1, 1e-9);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = stored (f, f->ids[0]);
  g_assert_cmpfloat_with_epsilon (((SlAnnotation *) list->pdata[0])->points[0].x, expected.x + 40, 1.0);
}

/* --- read-only --- */

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlUndoStack) undo = NULL;
  g_autoptr(GPtrArray) list = NULL;
  SlAnnotationLayer *l = layer (f);

  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  if (access (f->path, W_OK) == 0)
    {
      g_test_skip ("Permissions do not stop this user (root) from writing");
      return;
    }
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  store = sl_annotation_store_new (project);
  undo = sl_undo_stack_new (store);
  g_assert_true (sl_annotation_store_is_read_only (store));
  sl_annotation_layer_set_store (l, store);
  sl_annotation_layer_set_undo_stack (l, undo);
  sl_annotation_layer_set_tool (l, SL_ANNOTATION_TOOL_POINT);
  click (l, 100, 100);
  /* Said, and nothing written. */
  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (f->messages, 0), "read-only"));
  list = sl_annotation_store_query (store, f->ids[0], NULL, &error);
  g_assert_cmpuint (list->len, ==, 0);
  sl_annotation_layer_set_store (l, NULL);
  sl_annotation_layer_set_undo_stack (l, NULL);
}

int
main (int    argc,
      char **argv)
{
  app = sl_test_gui_init (&argc, &argv);

  g_test_add ("/annotation-layer/draw-shapes", Fixture, NULL, fixture_setup, test_draw_shapes, fixture_teardown);
  g_test_add ("/annotation-layer/select-move-delete-undo", Fixture, NULL, fixture_setup, test_select_move_delete,
              fixture_teardown);
  g_test_add ("/annotation-layer/handles", Fixture, NULL, fixture_setup, test_handles, fixture_teardown);
  g_test_add ("/annotation-layer/copy-across-dates", Fixture, NULL, fixture_setup, test_copy_across_dates,
              fixture_teardown);
  g_test_add ("/annotation-layer/swipe-render", Fixture, NULL, fixture_setup, test_swipe_render, fixture_teardown);
  g_test_add ("/annotation-layer/read-only", Fixture, NULL, fixture_setup, test_read_only, fixture_teardown);
  g_test_add ("/annotation-layer/real-events", Fixture, NULL, fixture_setup, test_real_events, fixture_teardown);
  g_test_add_func ("/annotation-layer/window-actions", test_window_actions);
  g_test_add_func ("/annotation-layer/durability-kill", test_durability);
  return g_test_run ();
}
