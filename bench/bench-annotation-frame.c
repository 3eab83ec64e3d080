/* bench-annotation-frame.c — the annotation layer's frames (issue 5's "Performance", GUI part)
 *
 * `bench-annotation-frame [--frames N] PROJECT`, under `xvfb-run -s "-screen 0 1920x1200x24"`,
 * on a project made by bench-annotations (bench/work/annotations/annotations-100000.gpkg). The
 * process starts with nothing open, then:
 *   1. open + first frame: sl_project_open, the store and class set, an SlAnnotationLayer of
 *      1920 × 1080 in a window at 100 % (0.5 m/px) on the last date, centred on an object,
 *      until the frame clock has painted the first frame that holds the layer;
 *   2. frame build with ~5 000 visible: the view zoomed out until 5 000 annotations of the date
 *      are in it, then the layer's snapshot (the frame build GTK does on the main thread) timed
 *      N times from its cached query, and once per view change with the query; with the
 *      default level of detail (dots above 3 000 in view) and with shapes forced (threshold
 *      raised to 10 000); plus the rendering of the node by the window's GSK renderer;
 *   3. a dense view of the 1 000 000 project works the same way (run it on that file).
 * Figures print as "name: value unit".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-annotation-frame"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gtk/gtk.h>

#include "sl-annotation-layer-private.h"
#include "sl-core.h"

#define VIEW_W 1920
#define VIEW_H 1080
#define PIXEL 0.5

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values, double p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p / 100 * values->len)));
}

static gboolean painted;

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  painted = TRUE;
}

static void
on_realize (GtkWidget *widget, gpointer data)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (on_after_paint), NULL);
}

/* One snapshot of the layer, as GTK takes it for a frame. */
static GskRenderNode *
snapshot_layer (GtkWidget *layer, double *ms)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  double t0 = now_ms ();

  GTK_WIDGET_GET_CLASS (layer)->snapshot (layer, snapshot);
  *ms = now_ms () - t0;
  return gtk_snapshot_free_to_node (snapshot);
}

static void
measure_frames (GtkWidget *layer, int frames, const char *label)
{
  g_autoptr(GArray) cached = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) renders = g_array_new (FALSE, FALSE, sizeof (double));
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (layer));
  double with_query, ms;
  GskRenderNode *node;

  _sl_annotation_layer_invalidate (SL_ANNOTATION_LAYER (layer));
  node = snapshot_layer (layer, &with_query);
  if (node != NULL)
    gsk_render_node_unref (node);
  for (int i = 0; i < frames; i++)
    {
      node = snapshot_layer (layer, &ms);
      g_array_append_val (cached, ms);
      if (node != NULL && renderer != NULL)
        {
          double t0 = now_ms ();
          GdkTexture *texture = gsk_renderer_render_texture (renderer, node, NULL);

          g_array_append_val (renders, (double) { now_ms () - t0 });
          g_object_unref (texture);
        }
      g_clear_pointer (&node, gsk_render_node_unref);
    }
  printf ("%s, frame build after a view change (with the query): %.2f ms\n", label, with_query);
  printf ("%s, frame build from the cached query: median %.2f ms, p95 %.2f ms\n", label,
          percentile (cached, 50), percentile (cached, 95));
  if (renders->len > 0)
    printf ("%s, rendering the frame's node (%s): median %.1f ms\n", label, G_OBJECT_TYPE_NAME (renderer),
            percentile (renders, 50));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(SlViewport) viewport = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GArray) marks = NULL;
  GtkWidget *window, *layer;
  double t0, t_open, cx, cy, scale;
  gint64 scene;
  int frames = 50;

  if (argc >= 3 && g_str_equal (argv[1], "--frames"))
    {
      frames = MAX (5, atoi (argv[2]));
      argv += 2;
      argc -= 2;
    }
  if (argc != 2)
    {
      fprintf (stderr, "Usage: bench-annotation-frame [--frames N] PROJECT (under xvfb-run)\n");
      return 2;
    }
  gtk_init ();
  sl_core_init ();

  /* Where to look: an object of the last date (found before the clock starts). */
  {
    g_autoptr(SlProject) probe = sl_project_open (argv[1], &error);
    g_autoptr(SlAnnotationStore) probe_store = NULL;
    g_autoptr(GPtrArray) list = NULL;
    SlBounds all = { -1e12, -1e12, 1e12, 1e12 };

    if (probe == NULL)
      g_error ("%s", error->message);
    probe_store = sl_annotation_store_new (probe);
    list = sl_project_list_scenes (probe, &error);
    if (list == NULL || list->len == 0)
      g_error ("%s has no scenes", argv[1]);
    marks = sl_annotation_store_query_marks (probe_store, sl_scene_get_id (list->pdata[list->len - 1]), &all, &error);
    if (marks == NULL || marks->len == 0)
      g_error ("%s has no annotations on its last date", argv[1]);
    cx = g_array_index (marks, SlAnnotationMark, marks->len / 2).x;
    cy = g_array_index (marks, SlAnnotationMark, marks->len / 2).y;
    sl_project_close (probe);
  }

  /* 1. Open + first frame. */
  t0 = now_ms ();
  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    g_error ("%s", error->message);
  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  scenes = sl_project_list_scenes (project, &error);
  scene = sl_scene_get_id (scenes->pdata[scenes->len - 1]);
  viewport = sl_viewport_new ();
  sl_viewport_set_resolution (viewport, PIXEL);
  sl_viewport_set_center (viewport, cx, cy);
  t_open = now_ms () - t0;

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), VIEW_W, VIEW_H);
  layer = sl_annotation_layer_new ();
  gtk_widget_set_size_request (layer, VIEW_W, VIEW_H);
  sl_annotation_layer_set_store (SL_ANNOTATION_LAYER (layer), store);
  sl_annotation_layer_set_class_set (SL_ANNOTATION_LAYER (layer), classes);
  sl_annotation_layer_set_viewport (SL_ANNOTATION_LAYER (layer), viewport);
  sl_annotation_layer_set_scene_id (SL_ANNOTATION_LAYER (layer), scene);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_set_child (GTK_WINDOW (window), layer);
  gtk_window_present (GTK_WINDOW (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  printf ("project: %s, %u annotations\n", argv[1], sl_project_count_annotations (project));
  printf ("open (project, store, classes): %.1f ms\n", t_open);
  printf ("open + first frame with annotations (1920x1080 at 100 %%, %u in view): %.1f ms\n",
          sl_annotation_store_count_in (store, scene, &(SlBounds) { cx - VIEW_W * PIXEL / 2, cy - VIEW_H * PIXEL / 2,
                                                                    cx + VIEW_W * PIXEL / 2, cy + VIEW_H * PIXEL / 2 }),
          now_ms () - t0);

  /* 2. Zoomed out to ~5 000 in view. */
  for (scale = 1; scale < 4096; scale *= 1.05)
    {
      SlBounds b = { cx - VIEW_W * PIXEL * scale / 2, cy - VIEW_H * PIXEL * scale / 2,
                     cx + VIEW_W * PIXEL * scale / 2, cy + VIEW_H * PIXEL * scale / 2 };

      if (sl_annotation_store_count_in (store, scene, &b) >= 5000)
        break;
    }
  sl_viewport_set_resolution (viewport, PIXEL * scale);
  printf ("view of %.0f x %.0f m with %u annotations\n", VIEW_W * PIXEL * scale, VIEW_H * PIXEL * scale,
          sl_annotation_store_count_in (store, scene, &(SlBounds) { cx - VIEW_W * PIXEL * scale / 2,
                                                                    cy - VIEW_H * PIXEL * scale / 2,
                                                                    cx + VIEW_W * PIXEL * scale / 2,
                                                                    cy + VIEW_H * PIXEL * scale / 2 }));
  measure_frames (layer, frames, "~5000 visible, level of detail (dots)");
  sl_annotation_painter_set_lod_threshold (SL_ANNOTATION_LAYER (layer)->painter, 10000);
  measure_frames (layer, frames, "~5000 visible, every shape drawn");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
