/* sl-tie-point-editor-view.c — one side of the tie-point editor: an image that pans (drag,
 * middle drag) and zooms (scroll) on its own, its numbered markers, an overlay warped through
 * an affine transform, and a magnifier for sub-pixel placement
 *
 * The view only shows and reports: a click on the image is "point-clicked", a press on a
 * marker "marker-pressed", dragging it "marker-moved"; the editor owns the pairs. Everything is
 * drawn with cairo so the picture can be magnified with nearest-neighbour sampling (GTK 4.8
 * has no filtered texture scaling).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <math.h>

#include "sl-tie-point-editor-private.h"

#define MARKER_RADIUS     8.0
#define HIT_RADIUS        12.0
#define DRAG_THRESHOLD    4.0
#define MAGNIFIER_SIZE    168.0
#define MAGNIFIER_MARGIN  12.0
#define MAGNIFIER_MIN_ZOOM 8.0

typedef enum
{
  DRAG_NONE,
  DRAG_CLICK,   /* pressed on the image, not moved yet: a click if released here */
  DRAG_PAN,
  DRAG_MARKER,
} DragMode;

struct _SlTiePointView
{
  GtkWidget         parent_instance;

  cairo_surface_t  *surface;
  double            surface_scale;
  int               width, height;

  double            cx, cy, zoom;
  gboolean          fitted;  /* follows the widget's size until the user pans or zooms */

  GArray           *markers;  /* SlTieMarker */

  cairo_surface_t  *overlay;
  double            overlay_scale;
  cairo_matrix_t    overlay_matrix;
  double            overlay_opacity;

  gboolean          magnifier;
  double            mag_x, mag_y;
  double            pointer_x, pointer_y;
  gboolean          has_pointer;

  GtkGesture       *drag;
  DragMode          drag_mode;
  double            start_wx, start_wy;
  double            start_cx, start_cy;
  guint             drag_marker;
  double            grab_dx, grab_dy;  /* marker minus pointer, image pixels */
};

G_DEFINE_FINAL_TYPE (SlTiePointView, sl_tie_point_view, GTK_TYPE_WIDGET)

enum {
  POINT_CLICKED,
  MARKER_PRESSED,
  MARKER_MOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fit (SlTiePointView *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));

  self->cx = self->width / 2.0;
  self->cy = self->height / 2.0;
  if (self->width > 0 && self->height > 0 && w > 0 && h > 0)
    self->zoom = 0.96 * MIN ((double) w / self->width, (double) h / self->height);
  else
    self->zoom = 1;
}

static int
hit_marker (SlTiePointView *self,
            double          wx,
            double          wy)
{
  int best = -1;
  double best_d = HIT_RADIUS;

  for (guint i = 0; i < self->markers->len; i++)
    {
      const SlTieMarker *m = &g_array_index (self->markers, SlTieMarker, i);
      double mx, my, d;

      if (m->flags & SL_TIE_MARKER_PENDING)
        continue;
      sl_tie_point_view_image_to_widget (self, m->x, m->y, &mx, &my);
      d = hypot (mx - wx, my - wy);
      if (d <= best_d)
        {
          best_d = d;
          best = (int) i;
        }
    }
  return best;
}

static void
marker_colour (const SlTieMarker *m,
               GdkRGBA           *colour)
{
  if (m->flags & SL_TIE_MARKER_PENDING)
    gdk_rgba_parse (colour, "#ff7800");
  else if (m->flags & SL_TIE_MARKER_DISABLED)
    gdk_rgba_parse (colour, "#9a9996");
  else if (m->flags & SL_TIE_MARKER_WORST)
    gdk_rgba_parse (colour, "#e01b24");
  else if (m->flags & SL_TIE_MARKER_SELECTED)
    gdk_rgba_parse (colour, "#f6d32d");
  else
    gdk_rgba_parse (colour, "#33d17a");
}

/* A ring with a cross-hair whose gap marks the exact point, on a dark halo so it reads on any
 * imagery; with @label, the number in a pill beside it. */
static void
draw_marker (SlTiePointView    *self,
             cairo_t           *cr,
             const SlTieMarker *m,
             double             wx,
             double             wy,
             gboolean           label)
{
  GdkRGBA c;
  double r = (m->flags & SL_TIE_MARKER_SELECTED) ? MARKER_RADIUS + 2 : MARKER_RADIUS;
  gboolean dashed = (m->flags & (SL_TIE_MARKER_PENDING | SL_TIE_MARKER_DISABLED)) != 0;

  marker_colour (m, &c);
  for (int pass = 0; pass < 2; pass++)
    {
      double dash[] = { 3, 2 };

      cairo_new_path (cr);
      cairo_arc (cr, wx, wy, r, 0, 2 * G_PI);
      cairo_move_to (cr, wx - r - 5, wy);
      cairo_line_to (cr, wx - 2.5, wy);
      cairo_move_to (cr, wx + 2.5, wy);
      cairo_line_to (cr, wx + r + 5, wy);
      cairo_move_to (cr, wx, wy - r - 5);
      cairo_line_to (cr, wx, wy - 2.5);
      cairo_move_to (cr, wx, wy + 2.5);
      cairo_line_to (cr, wx, wy + r + 5);
      if (pass == 0)
        {
          cairo_set_dash (cr, NULL, 0, 0);
          cairo_set_source_rgba (cr, 0, 0, 0, 0.65);
          cairo_set_line_width (cr, 3.5);
        }
      else
        {
          cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
          gdk_cairo_set_source_rgba (cr, &c);
          cairo_set_line_width (cr, (m->flags & SL_TIE_MARKER_SELECTED) ? 2.0 : 1.5);
        }
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  if (label)
    {
      g_autofree char *text = g_strdup_printf ("%u", m->number);
      PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      PangoAttrList *attrs = pango_attr_list_new ();
      int tw, th;
      double bx, by, bw, bh;

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &tw, &th);
      bw = MAX (tw + 8, th);
      bh = th;
      bx = wx + r + 2;
      by = wy - r - bh + 2;
      cairo_new_path (cr);
      cairo_arc (cr, bx + bh / 2, by + bh / 2, bh / 2, G_PI / 2, 3 * G_PI / 2);
      cairo_arc (cr, bx + bw - bh / 2, by + bh / 2, bh / 2, -G_PI / 2, G_PI / 2);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
      cairo_set_line_width (cr, 2);
      cairo_stroke_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &c);
      cairo_fill (cr);
      if (c.red * 0.3 + c.green * 0.59 + c.blue * 0.11 > 0.6)
        cairo_set_source_rgb (cr, 0, 0, 0);
      else
        cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, bx + (bw - tw) / 2, by);
      pango_cairo_show_layout (cr, layout);
      g_object_unref (layout);
    }
}

/* The image (and overlay) with image pixels mapped by the current cairo matrix. */
static void
paint_image (SlTiePointView *self,
             cairo_t        *cr,
             double          screen_per_pixel)
{
  cairo_filter_t filter = screen_per_pixel / self->surface_scale > 2 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD;

  cairo_save (cr);
  cairo_scale (cr, 1 / self->surface_scale, 1 / self->surface_scale);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), filter);
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_NONE);
  cairo_paint (cr);
  cairo_restore (cr);

  if (self->overlay != NULL)
    {
      cairo_save (cr);
      cairo_transform (cr, &self->overlay_matrix);
      cairo_scale (cr, 1 / self->overlay_scale, 1 / self->overlay_scale);
      cairo_set_source_surface (cr, self->overlay, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), filter);
      cairo_paint_with_alpha (cr, self->overlay_opacity);
      cairo_restore (cr);
    }
}

static void
draw_magnifier (SlTiePointView *self,
                cairo_t        *cr,
                int             w,
                int             h)
{
  double zoom = MAX (MAGNIFIER_MIN_ZOOM, self->zoom * 4);
  double s = MAGNIFIER_SIZE, x0, y0, px, py;

  /* In the top corner away from the pointer, so it never hides what is being placed. */
  sl_tie_point_view_image_to_widget (self, self->mag_x, self->mag_y, &px, &py);
  x0 = px > w / 2.0 ? MAGNIFIER_MARGIN : w - s - MAGNIFIER_MARGIN;
  y0 = MAGNIFIER_MARGIN;
  if (w < s + 2 * MAGNIFIER_MARGIN || h < s + 2 * MAGNIFIER_MARGIN)
    return;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_rectangle (cr, x0 - 1, y0 - 1, s + 2, s + 2);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
  cairo_set_line_width (cr, 4);
  cairo_stroke (cr);
  cairo_rectangle (cr, x0, y0, s, s);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.12);
  cairo_paint (cr);

  cairo_save (cr);
  cairo_translate (cr, x0 + s / 2, y0 + s / 2);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -self->mag_x, -self->mag_y);
  paint_image (self, cr, zoom);
  cairo_restore (cr);

  /* The markers inside, at the magnifier's scale, without their numbers. */
  for (guint i = 0; i < self->markers->len; i++)
    {
      const SlTieMarker *m = &g_array_index (self->markers, SlTieMarker, i);
      double mx = x0 + s / 2 + (m->x - self->mag_x) * zoom, my = y0 + s / 2 + (m->y - self->mag_y) * zoom;

      if (mx > x0 - 20 && mx < x0 + s + 20 && my > y0 - 20 && my < y0 + s + 20)
        draw_marker (self, cr, m, mx, my, FALSE);
    }

  /* The pointer's exact spot. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x0 + s / 2 + 0.5, y0 + s / 2 - 14);
  cairo_line_to (cr, x0 + s / 2 + 0.5, y0 + s / 2 - 4);
  cairo_move_to (cr, x0 + s / 2 + 0.5, y0 + s / 2 + 4);
  cairo_line_to (cr, x0 + s / 2 + 0.5, y0 + s / 2 + 14);
  cairo_move_to (cr, x0 + s / 2 - 14, y0 + s / 2 + 0.5);
  cairo_line_to (cr, x0 + s / 2 - 4, y0 + s / 2 + 0.5);
  cairo_move_to (cr, x0 + s / 2 + 4, y0 + s / 2 + 0.5);
  cairo_line_to (cr, x0 + s / 2 + 14, y0 + s / 2 + 0.5);
  cairo_stroke (cr);
  cairo_restore (cr);

  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, s - 1, s - 1);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
set_magnifier_at_pointer (SlTiePointView *self)
{
  double x, y;

  if (self->surface == NULL || !self->has_pointer)
    {
      sl_tie_point_view_show_magnifier (self, FALSE, 0, 0);
      return;
    }
  sl_tie_point_view_widget_to_image (self, self->pointer_x, self->pointer_y, &x, &y);
  sl_tie_point_view_show_magnifier (self, x >= 0 && y >= 0 && x <= self->width && y <= self->height, x, y);
}

/* --- input --- */

static void
on_drag_begin (SlTiePointView *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  int hit;

  self->start_wx = x;
  self->start_wy = y;
  self->start_cx = self->cx;
  self->start_cy = self->cy;
  self->drag_mode = DRAG_NONE;
  if (self->surface == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (button == GDK_BUTTON_MIDDLE)
    {
      self->drag_mode = DRAG_PAN;
      return;
    }
  if (button != 0 && button != GDK_BUTTON_PRIMARY)
    return;
  hit = hit_marker (self, x, y);
  if (hit >= 0)
    {
      const SlTieMarker *m = &g_array_index (self->markers, SlTieMarker, hit);
      double ix, iy;

      sl_tie_point_view_widget_to_image (self, x, y, &ix, &iy);
      self->drag_mode = DRAG_MARKER;
      self->drag_marker = hit;
      self->grab_dx = m->x - ix;
      self->grab_dy = m->y - iy;
      g_signal_emit (self, signals[MARKER_PRESSED], 0, (guint) hit);
      return;
    }
  self->drag_mode = DRAG_CLICK;
}

static void
on_drag_update (SlTiePointView *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double ix, iy;

  switch (self->drag_mode)
    {
    case DRAG_CLICK:
      if (hypot (dx, dy) < DRAG_THRESHOLD)
        return;
      self->drag_mode = DRAG_PAN;
      G_GNUC_FALLTHROUGH;
    case DRAG_PAN:
      self->fitted = FALSE;
      self->cx = self->start_cx - dx / self->zoom;
      self->cy = self->start_cy - dy / self->zoom;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;

    case DRAG_MARKER:
      sl_tie_point_view_widget_to_image (self, self->start_wx + dx, self->start_wy + dy, &ix, &iy);
      ix = CLAMP (ix + self->grab_dx, 0, self->width);
      iy = CLAMP (iy + self->grab_dy, 0, self->height);
      sl_tie_point_view_show_magnifier (self, TRUE, ix, iy);
      g_signal_emit (self, signals[MARKER_MOVED], 0, self->drag_marker, ix, iy, FALSE);
      break;

    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (SlTiePointView *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  DragMode mode = self->drag_mode;
  double ix, iy;

  self->drag_mode = DRAG_NONE;
  if (mode == DRAG_CLICK && hypot (dx, dy) < DRAG_THRESHOLD)
    {
      sl_tie_point_view_widget_to_image (self, self->start_wx, self->start_wy, &ix, &iy);
      if (ix >= 0 && iy >= 0 && ix <= self->width && iy <= self->height)
        g_signal_emit (self, signals[POINT_CLICKED], 0, ix, iy);
    }
  else if (mode == DRAG_MARKER && hypot (dx, dy) > 0)
    {
      sl_tie_point_view_widget_to_image (self, self->start_wx + dx, self->start_wy + dy, &ix, &iy);
      ix = CLAMP (ix + self->grab_dx, 0, self->width);
      iy = CLAMP (iy + self->grab_dy, 0, self->height);
      g_signal_emit (self, signals[MARKER_MOVED], 0, self->drag_marker, ix, iy, TRUE);
    }
  set_magnifier_at_pointer (self);
}

static gboolean
on_scroll (SlTiePointView           *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  double x, y, wx, wy, zoom;

  if (self->surface == NULL || dy == 0)
    return FALSE;
  wx = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  wy = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  /* The image point under the pointer stays there. */
  sl_tie_point_view_widget_to_image (self, wx, wy, &x, &y);
  zoom = CLAMP (self->zoom * pow (1.25, -dy), 0.02, 64);
  self->cx = x - (wx - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / zoom;
  self->cy = y - (wy - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / zoom;
  self->zoom = zoom;
  self->fitted = FALSE;
  set_magnifier_at_pointer (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
on_motion (SlTiePointView *self,
           double          x,
           double          y)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  if (self->drag_mode != DRAG_MARKER)
    set_magnifier_at_pointer (self);
}

static void
on_leave (SlTiePointView *self)
{
  self->has_pointer = FALSE;
  if (self->drag_mode != DRAG_MARKER)
    sl_tie_point_view_show_magnifier (self, FALSE, 0, 0);
}

/* --- vfuncs --- */

static void
sl_tie_point_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SlTiePointView *self = SL_TIE_POINT_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (w <= 0 || h <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_source_rgb (cr, 0.14, 0.14, 0.15);
  cairo_paint (cr);

  if (self->surface != NULL)
    {
      cairo_save (cr);
      cairo_translate (cr, w / 2.0, h / 2.0);
      cairo_scale (cr, self->zoom, self->zoom);
      cairo_translate (cr, -self->cx, -self->cy);
      paint_image (self, cr, self->zoom);
      cairo_restore (cr);

      for (guint i = 0; i < self->markers->len; i++)
        {
          const SlTieMarker *m = &g_array_index (self->markers, SlTieMarker, i);
          double mx, my;

          sl_tie_point_view_image_to_widget (self, m->x, m->y, &mx, &my);
          if (mx > -40 && my > -40 && mx < w + 40 && my < h + 40)
            draw_marker (self, cr, m, mx, my, TRUE);
        }
      if (self->magnifier)
        draw_magnifier (self, cr, w, h);
    }
  cairo_destroy (cr);
}

static void
sl_tie_point_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = 200;
  *natural = 480;
}

static void
sl_tie_point_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  SlTiePointView *self = SL_TIE_POINT_VIEW (widget);

  if (self->fitted)
    fit (self);
}

static void
sl_tie_point_view_dispose (GObject *object)
{
  SlTiePointView *self = SL_TIE_POINT_VIEW (object);

  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->overlay, cairo_surface_destroy);
  G_OBJECT_CLASS (sl_tie_point_view_parent_class)->dispose (object);
}

static void
sl_tie_point_view_finalize (GObject *object)
{
  SlTiePointView *self = SL_TIE_POINT_VIEW (object);

  g_array_unref (self->markers);
  G_OBJECT_CLASS (sl_tie_point_view_parent_class)->finalize (object);
}

static void
sl_tie_point_view_class_init (SlTiePointViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_tie_point_view_dispose;
  object_class->finalize = sl_tie_point_view_finalize;
  widget_class->snapshot = sl_tie_point_view_snapshot;
  widget_class->measure = sl_tie_point_view_measure;
  widget_class->size_allocate = sl_tie_point_view_size_allocate;

  /* (x, y): image pixels clicked, away from any marker. */
  signals[POINT_CLICKED] =
    g_signal_new ("point-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /* (index): a marker pressed, which selects its pair. */
  signals[MARKER_PRESSED] =
    g_signal_new ("marker-pressed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /* (index, x, y, done): a marker dragged there; done at the release. */
  signals[MARKER_MOVED] =
    g_signal_new ("marker-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_BOOLEAN);

  gtk_widget_class_set_css_name (widget_class, "tie-point-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_tie_point_view_init (SlTiePointView *self)
{
  GtkEventController *scroll, *motion;

  self->markers = g_array_new (FALSE, FALSE, sizeof (SlTieMarker));
  self->surface_scale = 1;
  self->overlay_scale = 1;
  self->zoom = 1;
  self->fitted = TRUE;
  cairo_matrix_init_identity (&self->overlay_matrix);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");

  self->drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->drag), 0);
  g_signal_connect_swapped (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drag));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/* --- API --- */

GtkWidget *
sl_tie_point_view_new (void)
{
  return g_object_new (SL_TYPE_TIE_POINT_VIEW, NULL);
}

void
sl_tie_point_view_set_image (SlTiePointView  *self,
                             cairo_surface_t *surface,
                             double           surface_scale,
                             int              width,
                             int              height)
{
  g_return_if_fail (SL_IS_TIE_POINT_VIEW (self));
  g_return_if_fail (surface == NULL || surface_scale > 0);

  g_clear_pointer (&self->surface, cairo_surface_destroy);
  if (surface != NULL)
    self->surface = cairo_surface_reference (surface);
  self->surface_scale = surface != NULL ? surface_scale : 1;
  self->width = width;
  self->height = height;
  self->fitted = TRUE;
  fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sl_tie_point_view_has_image (SlTiePointView *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_VIEW (self), FALSE);
  return self->surface != NULL;
}

void
sl_tie_point_view_set_markers (SlTiePointView    *self,
                               const SlTieMarker *markers,
                               guint              n_markers)
{
  g_return_if_fail (SL_IS_TIE_POINT_VIEW (self));

  g_array_set_size (self->markers, 0);
  if (n_markers > 0)
    g_array_append_vals (self->markers, markers, n_markers);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_tie_point_view_set_overlay (SlTiePointView       *self,
                               cairo_surface_t      *surface,
                               double                surface_scale,
                               const cairo_matrix_t *matrix,
                               double                opacity)
{
  g_return_if_fail (SL_IS_TIE_POINT_VIEW (self));
  g_return_if_fail (surface == NULL || (matrix != NULL && surface_scale > 0));

  g_clear_pointer (&self->overlay, cairo_surface_destroy);
  if (surface != NULL)
    {
      self->overlay = cairo_surface_reference (surface);
      self->overlay_scale = surface_scale;
      self->overlay_matrix = *matrix;
      self->overlay_opacity = CLAMP (opacity, 0, 1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_tie_point_view_set_view (SlTiePointView *self,
                            double          x,
                            double          y,
                            double          zoom)
{
  g_return_if_fail (SL_IS_TIE_POINT_VIEW (self));

  if (zoom <= 0)
    {
      self->fitted = TRUE;
      fit (self);
    }
  else
    {
      self->fitted = FALSE;
      self->cx = x;
      self->cy = y;
      self->zoom = zoom;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
sl_tie_point_view_get_zoom (SlTiePointView *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_VIEW (self), 1);
  return self->zoom;
}

void
sl_tie_point_view_image_to_widget (SlTiePointView *self,
                                   double          x,
                                   double          y,
                                   double         *wx,
                                   double         *wy)
{
  *wx = (x - self->cx) * self->zoom + gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  *wy = (y - self->cy) * self->zoom + gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
}

void
sl_tie_point_view_widget_to_image (SlTiePointView *self,
                                   double          wx,
                                   double          wy,
                                   double         *x,
                                   double         *y)
{
  *x = (wx - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0) / self->zoom + self->cx;
  *y = (wy - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0) / self->zoom + self->cy;
}

void
sl_tie_point_view_show_magnifier (SlTiePointView *self,
                                  gboolean        show,
                                  double          x,
                                  double          y)
{
  g_return_if_fail (SL_IS_TIE_POINT_VIEW (self));

  if (!show && !self->magnifier)
    return;
  self->magnifier = show;
  self->mag_x = x;
  self->mag_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkGesture *
_sl_tie_point_view_get_drag_gesture (SlTiePointView *self)
{
  return self->drag;
}
