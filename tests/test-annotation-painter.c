/* test-annotation-painter.c — annotations drawn into cairo image surfaces, checked by pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sl-annotation-painter.h"

#define W 120
#define H 100

/* One site unit per pixel, the site point (60, 50) in the middle: site (x, y) is pixel
 * (x, 100 − y). */
static SlViewport *
new_viewport (void)
{
  SlViewport *vp = sl_viewport_new ();

  sl_viewport_set_resolution (vp, 1.0);
  sl_viewport_set_center (vp, 60, 50);
  return vp;
}

static cairo_surface_t *
new_white_surface (cairo_t **cr)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);

  *cr = cairo_create (surface);
  cairo_set_source_rgb (*cr, 1, 1, 1);
  cairo_paint (*cr);
  return surface;
}

static void
get_pixel (cairo_surface_t *surface,
           int              x,
           int              y,
           guint           *r,
           guint           *g,
           guint           *b)
{
  guint32 pixel;

  cairo_surface_flush (surface);
  pixel = *(guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + x * 4);
  *r = (pixel >> 16) & 0xff;
  *g = (pixel >> 8) & 0xff;
  *b = pixel & 0xff;
}

static SlAnnotation *
new_box (gint64 id,
         double x0,
         double y0,
         double x1,
         double y1)
{
  /* Clockwise from the north-west corner. */
  SlPoint points[4] = { { x0, y1 }, { x1, y1 }, { x1, y0 }, { x0, y0 } };
  SlAnnotation *a = sl_annotation_new (SL_SHAPE_BOX, points, 4);

  a->id = id;
  a->class_id = 7;
  return a;
}

static void
test_box_edge (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint r, g, b;

  sl_annotation_painter_set_class (painter, 7, "#ff0000", "Tank");
  /* Site x 30…90, y 20…80: pixels x 30…90, y 20…80. */
  g_ptr_array_add (list, new_box (1, 30, 20, 90, 80));
  surface = new_white_surface (&cr);
  g_assert_cmpint (sl_annotation_painter_draw (painter, cr, vp, W, H, list, NULL), ==, SL_PAINT_LOD_SHAPES);

  /* On the left edge: the class colour. */
  get_pixel (surface, 30, 50, &r, &g, &b);
  g_assert_cmpuint (r, >, 200);
  g_assert_cmpuint (g, <, 60);
  g_assert_cmpuint (b, <, 60);
  /* On the top edge too. */
  get_pixel (surface, 60, 20, &r, &g, &b);
  g_assert_cmpuint (r, >, 200);
  g_assert_cmpuint (g, <, 60);
  /* Just outside: the dark halo. */
  get_pixel (surface, 27, 50, &r, &g, &b);
  g_assert_cmpuint (r, <, 110);
  g_assert_cmpuint (g, <, 110);
  /* Inside: a light tint of the colour, the imagery still shows. */
  get_pixel (surface, 60, 50, &r, &g, &b);
  g_assert_cmpuint (r, >, 240);
  g_assert_cmpuint (g, <, 240);
  g_assert_cmpuint (g, >, 190);
  /* Far outside: untouched. */
  get_pixel (surface, 5, 5, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);
  get_pixel (surface, 110, 50, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_ghost_and_point (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autoptr(SlAnnotation) box = new_box (1, 30, 20, 90, 80);
  g_autoptr(SlAnnotation) point = sl_annotation_new (SL_SHAPE_POINT, &(SlPoint) { 10, 90 }, 1);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint r, g, b;

  sl_annotation_painter_set_class (painter, 7, "#0000ff", NULL);
  sl_annotation_painter_set_style (painter, SL_PAINT_STYLE_GHOST);
  surface = new_white_surface (&cr);
  sl_annotation_painter_draw_one (painter, cr, vp, W, H, box, FALSE);
  /* A ghost has no fill and no wide halo. */
  get_pixel (surface, 60, 50, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);
  get_pixel (surface, 26, 50, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);

  /* A selected point: a ring of radius 5 with a white dot in its middle. */
  sl_annotation_painter_set_style (painter, SL_PAINT_STYLE_NORMAL);
  point->class_id = 7;
  sl_annotation_painter_draw_one (painter, cr, vp, W, H, point, TRUE);
  get_pixel (surface, 15, 10, &r, &g, &b);
  g_assert_cmpuint (b, >, 180);
  g_assert_cmpuint (r, <, 80);
  get_pixel (surface, 10, 10, &r, &g, &b);
  g_assert_cmpuint (r, >, 200);
  g_assert_cmpuint (g, >, 200);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_handles (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  SlPoint rotated[4] = { { 40, 40 }, { 80, 80 }, { 70, 90 }, { 30, 50 } };
  SlPoint line[3] = { { 10, 10 }, { 20, 10 }, { 20, 30 } };
  g_autoptr(SlAnnotation) box = sl_annotation_new (SL_SHAPE_ROTATED_BOX, rotated, 4);
  g_autoptr(SlAnnotation) polyline = sl_annotation_new (SL_SHAPE_LINE, line, 3);
  g_autoptr(SlAnnotation) point = sl_annotation_new (SL_SHAPE_POINT, line, 1);
  g_autoptr(GArray) handles = sl_annotation_painter_get_handles (vp, W, H, box);
  g_autoptr(GArray) vertices = sl_annotation_painter_get_handles (vp, W, H, polyline);
  g_autoptr(GArray) none = sl_annotation_painter_get_handles (vp, W, H, point);
  const SlHandle *h;

  g_assert_cmpuint (handles->len, ==, 9);
  h = &g_array_index (handles, SlHandle, 1);
  g_assert_cmpint (h->kind, ==, SL_HANDLE_CORNER);
  g_assert_cmpfloat_with_epsilon (h->x, 80, 1e-9);
  g_assert_cmpfloat_with_epsilon (h->y, 20, 1e-9);
  h = &g_array_index (handles, SlHandle, 4);
  g_assert_cmpint (h->kind, ==, SL_HANDLE_EDGE);
  g_assert_cmpfloat_with_epsilon (h->x, 60, 1e-9);
  g_assert_cmpfloat_with_epsilon (h->y, 40, 1e-9);
  /* The rotation handle lies beyond the first edge, away from the centre. */
  h = &g_array_index (handles, SlHandle, 8);
  g_assert_cmpint (h->kind, ==, SL_HANDLE_ROTATE);
  g_assert_cmpfloat_with_epsilon (hypot (h->x - 60, h->y - 40), 24, 1e-6);
  g_assert_cmpfloat (h->x, >, 60);
  g_assert_cmpfloat (h->y, >, 40);

  g_assert_cmpuint (vertices->len, ==, 3);
  g_assert_cmpint (g_array_index (vertices, SlHandle, 2).kind, ==, SL_HANDLE_VERTEX);
  g_assert_cmpfloat_with_epsilon (g_array_index (vertices, SlHandle, 2).y, 70, 1e-9);
  g_assert_cmpuint (none->len, ==, 0);
}

static GPtrArray *
many_points (guint n)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint i = 0; i < n; i++)
    {
      /* All in the right half of the view. */
      SlPoint p = { 70 + (i % 40), 10 + (i / 40) % 80 };
      SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

      a->id = i + 1;
      a->class_id = 7;
      g_ptr_array_add (list, a);
    }
  return list;
}

static void
test_level_of_detail (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autoptr(GPtrArray) few = many_points (50);
  g_autoptr(GPtrArray) some = many_points (300);
  g_autoptr(GPtrArray) lots = many_points (2000);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint r, g, b;

  sl_annotation_painter_set_class (painter, 7, "#00ff00", NULL);
  sl_annotation_painter_set_lod_threshold (painter, 100);
  g_assert_cmpuint (sl_annotation_painter_get_lod_threshold (painter), ==, 100);

  surface = new_white_surface (&cr);
  g_assert_cmpint (sl_annotation_painter_draw (painter, cr, vp, W, H, few, NULL), ==, SL_PAINT_LOD_SHAPES);
  g_assert_cmpint (sl_annotation_painter_draw (painter, cr, vp, W, H, some, NULL), ==, SL_PAINT_LOD_POINTS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* Clusters: discs with counts in the right half, nothing in the left half. */
  surface = new_white_surface (&cr);
  g_assert_cmpint (sl_annotation_painter_draw (painter, cr, vp, W, H, lots, NULL), ==, SL_PAINT_LOD_CLUSTERS);
  get_pixel (surface, 10, 50, &r, &g, &b);
  g_assert_cmpuint (r + g + b, ==, 3 * 255);
  {
    gboolean blue = FALSE;

    for (int y = 0; y < H && !blue; y++)
      for (int x = 60; x < W && !blue; x++)
        {
          get_pixel (surface, x, y, &r, &g, &b);
          blue = b > 180 && r < 90 && g > 100 && g < 160;
        }
    g_assert_true (blue);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Marks (from the index): dots in the class colour where they are, clusters when too many
 * are in view; those outside the view do not count towards the decision. Hidden shapes are
 * not drawn. */
static void
test_marks (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SlAnnotationMark));
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint r, g, b;

  sl_annotation_painter_set_class (painter, 7, "#00ff00", NULL);
  sl_annotation_painter_set_lod_threshold (painter, 10);
  /* 30 in view (x 20…49, y 50), 1000 far outside it. */
  for (int i = 0; i < 1030; i++)
    {
      SlAnnotationMark m = { i + 1, 7, i < 30 ? 20 + i : 100000 + i, 50 };

      g_array_append_val (marks, m);
    }
  surface = new_white_surface (&cr);
  g_assert_cmpint (sl_annotation_painter_draw_marks (painter, cr, vp, W, H, (SlAnnotationMark *) marks->data,
                                                     marks->len), ==, SL_PAINT_LOD_POINTS);
  {
    double x, y;

    sl_viewport_site_to_widget (vp, W, H, 25, 50, &x, &y);
    get_pixel (surface, (int) floor (x), (int) floor (y), &r, &g, &b);
    g_assert_cmpuint (g, ==, 255);
    g_assert_cmpuint (r, ==, 0);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* 41 in view: more than four times the threshold. */
  for (int i = 0; i < 11; i++)
    {
      SlAnnotationMark m = { 2000 + i, 7, 20 + i, 40 };

      g_array_append_val (marks, m);
    }
  surface = new_white_surface (&cr);
  g_assert_cmpint (sl_annotation_painter_draw_marks (painter, cr, vp, W, H, (SlAnnotationMark *) marks->data,
                                                     marks->len), ==, SL_PAINT_LOD_CLUSTERS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  /* A hidden box draws nothing. */
  g_ptr_array_add (hidden, new_box (1, 40, 40, 80, 60));
  ((SlAnnotation *) hidden->pdata[0])->hidden = TRUE;
  surface = new_white_surface (&cr);
  sl_annotation_painter_draw (painter, cr, vp, W, H, hidden, NULL);
  cairo_surface_flush (surface);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        get_pixel (surface, x, y, &r, &g, &b);
        g_assert_cmpuint (r + g + b, ==, 3 * 255);
      }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* Not a benchmark (no assertion on time): the figures go to the TAP log. */
static void
test_frame_time (void)
{
  g_autoptr(SlViewport) vp = sl_viewport_new ();
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1400, 900);
  cairo_t *cr = cairo_create (surface);
  guint sizes[] = { 1000, 3000, 5000, 20000 };

  sl_viewport_set_resolution (vp, 1.0);
  sl_viewport_set_center (vp, 700, 450);
  sl_annotation_painter_set_class (painter, 7, "#e01b24", "Tank");
  for (guint i = 0; i < 20000; i++)
    {
      double x = 10 + (i * 37) % 1380, y = 10 + (i * 101) % 880;
      SlAnnotation *a = new_box (i + 1, x, y, x + 7, y + 3);

      g_ptr_array_add (list, a);
    }
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      GPtrArray view = *list;
      gint64 start;
      SlPaintLod lod;

      view.len = sizes[s];
      start = g_get_monotonic_time ();
      lod = sl_annotation_painter_draw (painter, cr, vp, 1400, 900, &view, NULL);
      g_test_message ("%u boxes in a 1400 × 900 view: %.2f ms (level of detail %d)", sizes[s],
                      (g_get_monotonic_time () - start) / 1000.0, lod);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_format_length (void)
{
  g_autoptr(SlAnnotationPainter) painter = sl_annotation_painter_new ();
  g_autofree char *plain = sl_annotation_painter_format_length (painter, 12.34);
  g_autofree char *metres = NULL;
  g_autofree char *km = NULL;

  g_assert_cmpstr (plain, ==, "12.3");
  sl_annotation_painter_set_metric (painter, TRUE);
  metres = sl_annotation_painter_format_length (painter, 12.34);
  km = sl_annotation_painter_format_length (painter, 1234);
  g_assert_cmpstr (metres, ==, "12.3 m");
  g_assert_cmpstr (km, ==, "1.23 km");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/annotation-painter/box-edge", test_box_edge);
  g_test_add_func ("/annotation-painter/ghost-and-point", test_ghost_and_point);
  g_test_add_func ("/annotation-painter/handles", test_handles);
  g_test_add_func ("/annotation-painter/level-of-detail", test_level_of_detail);
  g_test_add_func ("/annotation-painter/marks", test_marks);
  g_test_add_func ("/annotation-painter/format-length", test_format_length);
  g_test_add_func ("/annotation-painter/frame-time", test_frame_time);
  return g_test_run ();
}
