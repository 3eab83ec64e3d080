/* sl-annotation-painter.c — annotations drawn with cairo, for the screen and for exports
 *
 * Every shape is turned into widget coordinates with one affine map taken from the viewport
 * (site units to logical pixels, y flipped), so a frame of thousands of shapes costs a few
 * multiplications per point. Shapes are stroked twice: a wide dark halo, then the class
 * colour; the halo is what keeps a yellow box readable on snow and a brown one on mud.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-painter"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "sl-annotation-painter.h"

#define LINE_WIDTH        2.0
#define SELECTED_WIDTH    3.0
#define HALO_EXTRA        2.5   /* the halo is this much wider than the line on each side */
#define POINT_RADIUS      5.0
#define HANDLE_SIZE       8.0
#define ROTATE_OFFSET     24.0  /* the rotation handle, this far out from the first edge */
#define GHOST_WIDTH       1.25
#define FILL_ALPHA        0.14
#define SELECTED_FILL     0.28

typedef struct
{
  double r, g, b;
  char  *name;
} ClassStyle;

struct _SlAnnotationPainter
{
  GObject       parent_instance;

  GHashTable   *classes;        /* gint64 * → ClassStyle * */
  SlPaintStyle  style;
  gboolean      show_labels;
  gboolean      metric;
  guint         lod_threshold;
  PangoFontDescription *font;
};

G_DEFINE_FINAL_TYPE (SlAnnotationPainter, sl_annotation_painter, G_TYPE_OBJECT)

/* Site → widget: wx = ax * sx + bx, wy = ay * sy + by. */
typedef struct
{
  double ax, bx, ay, by;
} Map;

/* Logical pixels around the view within which shapes are still drawn: halos, handles and
 * labels reach beyond a shape's bounds. */
#define VIEW_PAD 48

static const ClassStyle fallback_style = { 0.75, 0.75, 0.75, NULL };

static void
class_style_free (gpointer data)
{
  ClassStyle *style = data;

  g_free (style->name);
  g_free (style);
}

static void
make_map (SlViewport *viewport,
          int         width,
          int         height,
          Map        *map)
{
  double x0, y0, x1, y1;
  double cx = sl_viewport_get_center_x (viewport);
  double cy = sl_viewport_get_center_y (viewport);

  /* Two points one site unit apart, around the centre: no precision lost on UTM-sized
   * coordinates. */
  sl_viewport_site_to_widget (viewport, width, height, cx, cy, &x0, &y0);
  sl_viewport_site_to_widget (viewport, width, height, cx + 1, cy + 1, &x1, &y1);
  map->ax = x1 - x0;
  map->ay = y1 - y0;
  map->bx = x0 - map->ax * cx;
  map->by = y0 - map->ay * cy;
}

static inline void
map_point (const Map     *map,
           const SlPoint *p,
           double        *x,
           double        *y)
{
  *x = map->ax * p->x + map->bx;
  *y = map->ay * p->y + map->by;
}

static const ClassStyle *
lookup_class (SlAnnotationPainter *self,
              gint64               class_id)
{
  ClassStyle *style = g_hash_table_lookup (self->classes, &class_id);

  return style != NULL ? style : &fallback_style;
}

static gboolean
is_closed (SlShapeKind kind)
{
  return kind == SL_SHAPE_BOX || kind == SL_SHAPE_ROTATED_BOX || kind == SL_SHAPE_POLYGON;
}

static void
shape_path (cairo_t            *cr,
            const Map          *map,
            const SlAnnotation *annotation)
{
  double x, y;

  cairo_new_path (cr);
  if (annotation->kind == SL_SHAPE_POINT || annotation->n_points == 1)
    {
      if (annotation->n_points == 0)
        return;
      map_point (map, &annotation->points[0], &x, &y);
      cairo_arc (cr, x, y, POINT_RADIUS, 0, 2 * G_PI);
      return;
    }
  for (guint i = 0; i < annotation->n_points; i++)
    {
      map_point (map, &annotation->points[i], &x, &y);
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  if (is_closed (annotation->kind))
    cairo_close_path (cr);
}

static void
draw_label (SlAnnotationPainter *self,
            cairo_t             *cr,
            const char          *text,
            double               x,
            double               y)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);

  pango_layout_set_font_description (layout, self->font);
  pango_layout_set_text (layout, text, -1);
  cairo_save (cr);
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.8);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  cairo_restore (cr);
}

static gboolean
is_small (const Map          *map,
          const SlAnnotation *annotation)
{
  SlBounds b;

  if (annotation->kind == SL_SHAPE_POINT || annotation->n_points < 2)
    return FALSE;
  sl_annotation_get_bounds (annotation, &b);
  return MAX ((b.max_x - b.min_x) * fabs (map->ax), (b.max_y - b.min_y) * fabs (map->ay)) < 14;
}

static void
draw_shape (SlAnnotationPainter *self,
            cairo_t             *cr,
            const Map           *map,
            const SlAnnotation  *annotation,
            gboolean             selected)
{
  const ClassStyle *style = lookup_class (self, annotation->class_id);
  gboolean closed = is_closed (annotation->kind) || annotation->kind == SL_SHAPE_POINT;
  double width = selected ? SELECTED_WIDTH : LINE_WIDTH;
  double halo = HALO_EXTRA;

  /* A shape of a few pixels (a vehicle seen from afar) gets thinner lines: its halo would
   * otherwise cover it. */
  if (is_small (map, annotation))
    {
      width = selected ? 2.0 : 1.25;
      halo = 1.0;
    }

  shape_path (cr, map, annotation);
  if (self->style == SL_PAINT_STYLE_GHOST)
    {
      static const double dashes[] = { 4.0, 3.0 };

      /* Dashes of the class colour over a white line on a thin dark halo: an outline that
       * reads even where the imagery has the class colour. */
      cairo_set_line_width (cr, GHOST_WIDTH + 2);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
      cairo_stroke_preserve (cr);
      cairo_set_line_width (cr, GHOST_WIDTH);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_set_source_rgb (cr, style->r, style->g, style->b);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      return;
    }

  if (closed)
    {
      cairo_set_source_rgba (cr, style->r, style->g, style->b, selected ? SELECTED_FILL : FILL_ALPHA);
      cairo_fill_preserve (cr);
    }
  cairo_set_line_width (cr, width + 2 * halo);
  cairo_set_source_rgba (cr, 0.05, 0.05, 0.08, selected ? 0.85 : 0.7);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, width);
  cairo_set_source_rgb (cr, style->r, style->g, style->b);
  cairo_stroke (cr);

  if (selected && annotation->kind == SL_SHAPE_POINT && annotation->n_points > 0)
    {
      double x, y;

      /* A white dot in the ring says which points are selected. */
      map_point (map, &annotation->points[0], &x, &y);
      cairo_arc (cr, x, y, 1.8, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill (cr);
    }

  if (self->show_labels || (annotation->kind == SL_SHAPE_LINE && selected))
    {
      g_autofree char *text = NULL;
      SlBounds bounds;
      double x, y;

      if (annotation->kind == SL_SHAPE_LINE)
        text = sl_annotation_painter_format_length (self, sl_annotation_length (annotation));
      else if (style->name != NULL)
        text = g_strdup (style->name);
      if (text == NULL || annotation->n_points == 0)
        return;
      sl_annotation_get_bounds (annotation, &bounds);
      if (annotation->kind == SL_SHAPE_LINE)
        map_point (map, &annotation->points[annotation->n_points - 1], &x, &y);
      else
        map_point (map, &(SlPoint) { bounds.min_x, bounds.min_y }, &x, &y);
      draw_label (self, cr, text, x + 6, y + 2);
    }
}

/* The marks of @annotations: their bounds' centres, in drawing order. */
static GArray *
marks_of (GPtrArray *annotations)
{
  GArray *marks = g_array_sized_new (FALSE, FALSE, sizeof (SlAnnotationMark), annotations->len);

  for (guint i = 0; i < annotations->len; i++)
    {
      const SlAnnotation *a = g_ptr_array_index (annotations, i);
      SlAnnotationMark m;
      SlBounds b;

      if (a->n_points == 0 || a->hidden)
        continue;
      sl_annotation_get_bounds (a, &b);
      m.id = a->id;
      m.class_id = a->class_id;
      m.x = (b.min_x + b.max_x) / 2;
      m.y = (b.min_y + b.max_y) / 2;
      g_array_append_val (marks, m);
    }
  return marks;
}

/* The annotations of @all that meet the view (with room for halos and labels), not hidden:
 * a new array of borrowed pointers, in the same order. */
static GPtrArray *
in_view (SlViewport *viewport,
         int         width,
         int         height,
         GPtrArray  *all)
{
  GPtrArray *list = g_ptr_array_sized_new (all->len);
  double pad = VIEW_PAD * sl_viewport_get_resolution (viewport);
  SlBounds view;

  sl_viewport_get_visible_bounds (viewport, width, height, &view);
  for (guint i = 0; i < all->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (all, i);
      SlBounds b;

      if (a->n_points == 0 || a->hidden)
        continue;
      sl_annotation_get_bounds (a, &b);
      if (b.max_x >= view.min_x - pad && b.min_x <= view.max_x + pad &&
          b.max_y >= view.min_y - pad && b.min_y <= view.max_y + pad)
        g_ptr_array_add (list, a);
    }
  return list;
}

static void
draw_points_lod (SlAnnotationPainter    *self,
                 cairo_t                *cr,
                 const Map              *map,
                 int                     width,
                 int                     height,
                 const SlAnnotationMark *marks,
                 guint                   n_marks)
{
  gint64 last_class = -1;

  /* One dot per annotation; one fill per run of a class. */
  for (guint i = 0; i < n_marks; i++)
    {
      double x, y;

      if (marks[i].class_id != last_class)
        {
          const ClassStyle *style = lookup_class (self, marks[i].class_id);

          cairo_fill (cr);
          cairo_set_source_rgb (cr, style->r, style->g, style->b);
          last_class = marks[i].class_id;
        }
      map_point (map, &(SlPoint) { marks[i].x, marks[i].y }, &x, &y);
      if (x < -2 || y < -2 || x > width + 2 || y > height + 2)
        continue;
      cairo_rectangle (cr, floor (x) - 1, floor (y) - 1, 3, 3);
    }
  cairo_fill (cr);
}

static void
draw_clusters (SlAnnotationPainter    *self,
               cairo_t                *cr,
               const Map              *map,
               int                     width,
               int                     height,
               const SlAnnotationMark *marks,
               guint                   n_marks)
{
  const int cell = SL_ANNOTATION_PAINTER_CLUSTER_CELL;
  int columns = MAX (1, (width + cell - 1) / cell);
  int rows = MAX (1, (height + cell - 1) / cell);
  g_autofree guint *counts = g_new0 (guint, (gsize) columns * rows);
  g_autofree double *sum_x = g_new0 (double, (gsize) columns * rows);
  g_autofree double *sum_y = g_new0 (double, (gsize) columns * rows);

  for (guint i = 0; i < n_marks; i++)
    {
      double x, y;
      int c, r;

      map_point (map, &(SlPoint) { marks[i].x, marks[i].y }, &x, &y);
      if (x < 0 || y < 0 || x >= columns * cell || y >= rows * cell)
        continue;
      c = (int) (x / cell);
      r = (int) (y / cell);
      counts[r * columns + c]++;
      sum_x[r * columns + c] += x;
      sum_y[r * columns + c] += y;
    }

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 11);
  for (int i = 0; i < columns * rows; i++)
    {
      char text[16];
      cairo_text_extents_t extents;
      double x, y, radius;

      if (counts[i] == 0)
        continue;
      /* At the cell's centre of mass; bigger discs for more, within the cell. */
      x = sum_x[i] / counts[i];
      y = sum_y[i] / counts[i];
      radius = MIN (cell / 2.0 - 2, 9 + 3 * log10 (counts[i]));
      cairo_arc (cr, x, y, radius + 2, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.05, 0.05, 0.08, 0.75);
      cairo_fill (cr);
      cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.92);
      cairo_fill (cr);
      g_snprintf (text, sizeof text, "%u", counts[i]);
      cairo_text_extents (cr, text, &extents);
      cairo_move_to (cr, x - extents.width / 2 - extents.x_bearing, y - extents.height / 2 - extents.y_bearing);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_show_text (cr, text);
    }
}

static void
sl_annotation_painter_finalize (GObject *object)
{
  SlAnnotationPainter *self = SL_ANNOTATION_PAINTER (object);

  g_clear_pointer (&self->classes, g_hash_table_unref);
  g_clear_pointer (&self->font, pango_font_description_free);
  G_OBJECT_CLASS (sl_annotation_painter_parent_class)->finalize (object);
}

static void
sl_annotation_painter_class_init (SlAnnotationPainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_annotation_painter_finalize;
}

static void
sl_annotation_painter_init (SlAnnotationPainter *self)
{
  self->classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, class_style_free);
  self->lod_threshold = SL_ANNOTATION_PAINTER_LOD_THRESHOLD;
  self->font = pango_font_description_from_string ("Sans Bold 9");
}

SlAnnotationPainter *
sl_annotation_painter_new (void)
{
  return g_object_new (SL_TYPE_ANNOTATION_PAINTER, NULL);
}

void
sl_annotation_painter_set_class (SlAnnotationPainter *self,
                                 gint64               class_id,
                                 const char          *colour,
                                 const char          *name)
{
  ClassStyle *style;
  unsigned int r = 0xbf, g = 0xbf, b = 0xbf;

  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));

  if (colour != NULL && colour[0] == '#' && strlen (colour) == 7)
    sscanf (colour + 1, "%2x%2x%2x", &r, &g, &b);
  style = g_new0 (ClassStyle, 1);
  style->r = r / 255.0;
  style->g = g / 255.0;
  style->b = b / 255.0;
  style->name = g_strdup (name);
  g_hash_table_replace (self->classes, g_memdup2 (&class_id, sizeof class_id), style);
}

void
sl_annotation_painter_clear_classes (SlAnnotationPainter *self)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  g_hash_table_remove_all (self->classes);
}

void
sl_annotation_painter_set_style (SlAnnotationPainter *self,
                                 SlPaintStyle         style)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  self->style = style;
}

void
sl_annotation_painter_set_show_labels (SlAnnotationPainter *self,
                                       gboolean             show)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  self->show_labels = !!show;
}

void
sl_annotation_painter_set_metric (SlAnnotationPainter *self,
                                  gboolean             metric)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  self->metric = !!metric;
}

void
sl_annotation_painter_set_lod_threshold (SlAnnotationPainter *self,
                                         guint                threshold)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  self->lod_threshold = MAX (threshold, 1);
}

guint
sl_annotation_painter_get_lod_threshold (SlAnnotationPainter *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_PAINTER (self), 0);
  return self->lod_threshold;
}

SlPaintLod
sl_annotation_painter_draw (SlAnnotationPainter *self,
                            cairo_t             *cr,
                            SlViewport          *viewport,
                            int                  width,
                            int                  height,
                            GPtrArray           *annotations,
                            GHashTable          *selected)
{
  SlPaintLod lod = SL_PAINT_LOD_SHAPES;
  Map map;

  g_return_val_if_fail (SL_IS_ANNOTATION_PAINTER (self), SL_PAINT_LOD_SHAPES);
  g_return_val_if_fail (cr != NULL && SL_IS_VIEWPORT (viewport), SL_PAINT_LOD_SHAPES);

  if (annotations == NULL || annotations->len == 0 || width <= 0 || height <= 0)
    return lod;
  make_map (viewport, width, height, &map);
  /* Only what meets the view (callers pass a margin around it, so that a pan draws from the
   * same query): drawing is the cost, and the level of detail depends on what is seen. */
  annotations = in_view (viewport, width, height, annotations);

  cairo_save (cr);
  /* Mitred corners: round joins cost three to four times as much to stroke, and boxes
   * look sharper this way. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit (cr, 4);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  if (annotations->len > self->lod_threshold)
    {
      g_autoptr(GArray) marks = marks_of (annotations);

      lod = annotations->len > 4 * (gsize) self->lod_threshold ? SL_PAINT_LOD_CLUSTERS : SL_PAINT_LOD_POINTS;
      if (lod == SL_PAINT_LOD_CLUSTERS)
        draw_clusters (self, cr, &map, width, height, (SlAnnotationMark *) marks->data, marks->len);
      else
        draw_points_lod (self, cr, &map, width, height, (SlAnnotationMark *) marks->data, marks->len);
    }
  else
    {
      for (guint i = 0; i < annotations->len; i++)
        {
          const SlAnnotation *a = g_ptr_array_index (annotations, i);

          if (!a->hidden && (selected == NULL || !g_hash_table_contains (selected, &a->id)))
            draw_shape (self, cr, &map, a, FALSE);
        }
      /* Selected ones last, on top. */
      if (selected != NULL && g_hash_table_size (selected) > 0)
        for (guint i = 0; i < annotations->len; i++)
          {
            const SlAnnotation *a = g_ptr_array_index (annotations, i);

            if (!a->hidden && g_hash_table_contains (selected, &a->id))
              draw_shape (self, cr, &map, a, TRUE);
          }
    }
  cairo_restore (cr);
  g_ptr_array_unref (annotations);
  return lod;
}

SlPaintLod
sl_annotation_painter_draw_marks (SlAnnotationPainter    *self,
                                  cairo_t                *cr,
                                  SlViewport             *viewport,
                                  int                     width,
                                  int                     height,
                                  const SlAnnotationMark *marks,
                                  guint                   n_marks)
{
  SlPaintLod lod;
  gsize in_view = 0;
  Map map;

  g_return_val_if_fail (SL_IS_ANNOTATION_PAINTER (self), SL_PAINT_LOD_POINTS);
  g_return_val_if_fail (cr != NULL && SL_IS_VIEWPORT (viewport), SL_PAINT_LOD_POINTS);
  g_return_val_if_fail (marks != NULL || n_marks == 0, SL_PAINT_LOD_POINTS);

  if (n_marks == 0 || width <= 0 || height <= 0)
    return SL_PAINT_LOD_POINTS;
  make_map (viewport, width, height, &map);
  /* Decided by what is in view: the caller may pass a margin around it. */
  for (guint i = 0; i < n_marks && in_view <= 4 * (gsize) self->lod_threshold; i++)
    {
      double x, y;

      map_point (&map, &(SlPoint) { marks[i].x, marks[i].y }, &x, &y);
      in_view += x >= 0 && y >= 0 && x < width && y < height;
    }
  lod = in_view > 4 * (gsize) self->lod_threshold ? SL_PAINT_LOD_CLUSTERS : SL_PAINT_LOD_POINTS;
  cairo_save (cr);
  if (lod == SL_PAINT_LOD_CLUSTERS)
    draw_clusters (self, cr, &map, width, height, marks, n_marks);
  else
    draw_points_lod (self, cr, &map, width, height, marks, n_marks);
  cairo_restore (cr);
  return lod;
}

void
sl_annotation_painter_draw_one (SlAnnotationPainter *self,
                                cairo_t             *cr,
                                SlViewport          *viewport,
                                int                  width,
                                int                  height,
                                const SlAnnotation  *annotation,
                                gboolean             selected)
{
  Map map;

  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  g_return_if_fail (cr != NULL && SL_IS_VIEWPORT (viewport) && annotation != NULL);

  make_map (viewport, width, height, &map);
  cairo_save (cr);
  /* Mitred corners: round joins cost three to four times as much to stroke, and boxes
   * look sharper this way. */
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_miter_limit (cr, 4);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  draw_shape (self, cr, &map, annotation, selected);
  cairo_restore (cr);
}

GArray *
sl_annotation_painter_get_handles (SlViewport         *viewport,
                                   int                 width,
                                   int                 height,
                                   const SlAnnotation *annotation)
{
  GArray *handles = g_array_new (FALSE, FALSE, sizeof (SlHandle));
  double x[4], y[4];
  Map map;

  g_return_val_if_fail (SL_IS_VIEWPORT (viewport) && annotation != NULL, handles);

  make_map (viewport, width, height, &map);
  switch (annotation->kind)
    {
    case SL_SHAPE_BOX:
    case SL_SHAPE_ROTATED_BOX:
      if (annotation->n_points != 4)
        break;
      for (guint i = 0; i < 4; i++)
        {
          map_point (&map, &annotation->points[i], &x[i], &y[i]);
          g_array_append_val (handles, ((SlHandle) { SL_HANDLE_CORNER, i, x[i], y[i] }));
        }
      for (guint i = 0; i < 4; i++)
        g_array_append_val (handles, ((SlHandle) { SL_HANDLE_EDGE, i,
                                                   (x[i] + x[(i + 1) % 4]) / 2,
                                                   (y[i] + y[(i + 1) % 4]) / 2 }));
      {
        /* Out from the middle of the first edge, away from the box's centre. */
        double mx = (x[0] + x[1]) / 2, my = (y[0] + y[1]) / 2;
        double cx = (x[0] + x[2]) / 2, cy = (y[0] + y[2]) / 2;
        double dx = mx - cx, dy = my - cy, len = hypot (dx, dy);

        if (len < 1e-9)
          dx = 0, dy = -1, len = 1;
        g_array_append_val (handles, ((SlHandle) { SL_HANDLE_ROTATE, 0,
                                                   mx + dx / len * ROTATE_OFFSET,
                                                   my + dy / len * ROTATE_OFFSET }));
      }
      break;

    case SL_SHAPE_POLYGON:
    case SL_SHAPE_LINE:
      for (guint i = 0; i < annotation->n_points; i++)
        {
          double hx, hy;

          map_point (&map, &annotation->points[i], &hx, &hy);
          g_array_append_val (handles, ((SlHandle) { SL_HANDLE_VERTEX, i, hx, hy }));
        }
      break;

    case SL_SHAPE_POINT:
    default:
      break;
    }
  return handles;
}

void
sl_annotation_painter_draw_handles (SlAnnotationPainter *self,
                                    cairo_t             *cr,
                                    GArray              *handles)
{
  g_return_if_fail (SL_IS_ANNOTATION_PAINTER (self));
  g_return_if_fail (cr != NULL && handles != NULL);

  cairo_save (cr);
  for (guint i = 0; i < handles->len; i++)
    {
      const SlHandle *h = &g_array_index (handles, SlHandle, i);
      double s = h->kind == SL_HANDLE_EDGE ? HANDLE_SIZE - 2 : HANDLE_SIZE;

      if (h->kind == SL_HANDLE_ROTATE)
        {
          const SlHandle *edge = NULL;

          /* A stem from the first edge's middle to the round handle. */
          for (guint j = 0; j < handles->len; j++)
            if (g_array_index (handles, SlHandle, j).kind == SL_HANDLE_EDGE &&
                g_array_index (handles, SlHandle, j).index == 0)
              edge = &g_array_index (handles, SlHandle, j);
          if (edge != NULL)
            {
              cairo_move_to (cr, edge->x, edge->y);
              cairo_line_to (cr, h->x, h->y);
              cairo_set_line_width (cr, 3);
              cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
              cairo_stroke_preserve (cr);
              cairo_set_line_width (cr, 1);
              cairo_set_source_rgb (cr, 1, 1, 1);
              cairo_stroke (cr);
            }
          cairo_arc (cr, h->x, h->y, s / 2 + 0.5, 0, 2 * G_PI);
        }
      else
        cairo_rectangle (cr, round (h->x) - s / 2, round (h->y) - s / 2, s, s);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.5);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

char *
sl_annotation_painter_format_length (SlAnnotationPainter *self,
                                     double               length)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_PAINTER (self), NULL);

  if (!self->metric)
    return g_strdup_printf ("%.1f", length);
  if (length >= 1000)
    return g_strdup_printf ("%.2f km", length / 1000);
  return g_strdup_printf ("%.1f m", length);
}
