/* sl-counts-painter.c — counts per class over time drawn with cairo
 *
 * The layout is computed afresh for each size (legend rows, the width of the count labels,
 * the plot rectangle), the same way for drawing and for sl_counts_painter_get_point (), so
 * what a test asks for is where the point is drawn. Text is measured with Pango on the
 * caller's cairo_t, or on a scratch image surface when there is none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-counts-painter"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "sl-class-set.h"
#include "sl-counts-painter.h"
#include "sl-scene.h"

/* Logical pixels. */
#define PAD           12.0  /* around everything */
#define LEGEND_SWATCH 10.0
#define LEGEND_GAP    18.0  /* between two legend entries */
#define LEGEND_ROW    20.0
#define LEGEND_TO_PLOT 10.0
#define LABEL_GAP     8.0   /* count labels to the plot, date labels below the axis */
#define X_INSET       18.0  /* first and last date from the plot's sides */
#define POINT_RADIUS  3.5
#define CURRENT_POINT_RADIUS 5.0
#define LINE_WIDTH    2.25

typedef struct
{
  gint64  id;
  char   *name;
  double  rgb[3];
  guint  *values;   /* one per date */
} Series;

struct _SlCountsPainter
{
  GObject               parent_instance;

  GArray               *scene_ids;  /* gint64, date order */
  GArray               *times;      /* gint64 unix seconds, same order */
  GPtrArray            *series;     /* Series * */
  guint                 max_value;
  gint64                current;
  double                fg[4];
  double                bg[4];
  double                accent[4];
  PangoFontDescription *font;
};

G_DEFINE_FINAL_TYPE (SlCountsPainter, sl_counts_painter, G_TYPE_OBJECT)

typedef struct
{
  double plot_x, plot_y, plot_w, plot_h;  /* the area the lines span */
  double legend_y;
  guint  top;      /* the count at the plot's top */
  guint  step;     /* between gridlines */
  double date_label_y;
} Layout;

static void
series_free (Series *series)
{
  g_free (series->name);
  g_free (series->values);
  g_free (series);
}

static void
parse_colour (const char *text,
              double      rgb[3])
{
  guint r, g, b;

  rgb[0] = rgb[1] = rgb[2] = 0.55;
  if (text != NULL && sscanf (text, "#%02x%02x%02x", &r, &g, &b) == 3)
    {
      rgb[0] = r / 255.0;
      rgb[1] = g / 255.0;
      rgb[2] = b / 255.0;
    }
}

static PangoLayout *
new_layout (SlCountsPainter *self,
            cairo_t         *cr,
            const char      *text,
            gboolean         bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);

  if (bold)
    {
      g_autoptr(PangoFontDescription) font = pango_font_description_copy (self->font);

      pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
      pango_layout_set_font_description (layout, font);
    }
  else
    {
      pango_layout_set_font_description (layout, self->font);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
text_size (SlCountsPainter *self,
           cairo_t         *cr,
           const char      *text,
           gboolean         bold,
           double          *width,
           double          *height)
{
  g_autoptr(PangoLayout) layout = new_layout (self, cr, text, bold);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* A step of 1, 2 or 5 × 10^k giving about four gridlines. */
static guint
nice_step (guint max_value)
{
  double raw = MAX (max_value, 1) / 4.0;
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;
  double step = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;

  return MAX ((guint) (step * magnitude), 1);
}

static char *
format_date (SlCountsPainter *self,
             guint            index)
{
  gint64 first = g_array_index (self->times, gint64, 0);
  gint64 last = g_array_index (self->times, gint64, self->times->len - 1);
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (g_array_index (self->times, gint64, index));
  g_autoptr(GDateTime) a = g_date_time_new_from_unix_utc (first);
  g_autoptr(GDateTime) b = g_date_time_new_from_unix_utc (last);

  if (t == NULL)
    return g_strdup ("?");
  /* Translators: see g_date_time_format(); dates of the counts chart, within one year, and across years */
  if (a != NULL && b != NULL && g_date_time_get_year (a) == g_date_time_get_year (b))
    return g_date_time_format (t, _("%-d %b"));
  return g_date_time_format (t, _("%-d %b %Y"));
}

static void
compute_layout (SlCountsPainter *self,
                cairo_t         *cr,
                int              width,
                int              height,
                Layout          *l)
{
  double x = PAD;
  double rows = self->series->len > 0 ? 1 : 0;
  double label_w, label_h, top_w;
  g_autofree char *top_text = NULL;

  /* The legend flows in rows across the top. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      double w;

      text_size (self, cr, s->name, FALSE, &w, NULL);
      w += LEGEND_SWATCH + 6;
      if (x > PAD && x + w > width - PAD)
        {
          rows++;
          x = PAD;
        }
      x += w + LEGEND_GAP;
    }
  l->legend_y = PAD;

  l->step = nice_step (self->max_value);
  l->top = MAX ((self->max_value + l->step - 1) / l->step * l->step, l->step);
  top_text = g_strdup_printf ("%u", l->top);
  text_size (self, cr, top_text, FALSE, &top_w, &label_h);
  text_size (self, cr, "0", FALSE, &label_w, NULL);
  label_w = MAX (label_w, top_w);

  l->plot_x = PAD + label_w + LABEL_GAP;
  l->plot_y = PAD + rows * LEGEND_ROW + (rows > 0 ? LEGEND_TO_PLOT : 0) + label_h / 2;
  l->plot_w = MAX (width - PAD - l->plot_x, 1);
  l->plot_h = MAX (height - PAD - (label_h + 4) - LABEL_GAP - l->plot_y, 1);
  l->date_label_y = l->plot_y + l->plot_h + LABEL_GAP;
}

static double
x_of (SlCountsPainter *self,
      const Layout    *l,
      guint            index)
{
  gint64 first = g_array_index (self->times, gint64, 0);
  gint64 last = g_array_index (self->times, gint64, self->times->len - 1);
  double span = l->plot_w - 2 * X_INSET;

  if (last <= first)
    return l->plot_x + l->plot_w / 2;
  return l->plot_x + X_INSET + span * (double) (g_array_index (self->times, gint64, index) - first) / (double) (last - first);
}

static double
y_of (const Layout *l,
      guint         value)
{
  return l->plot_y + l->plot_h - l->plot_h * (double) value / l->top;
}

static void
set_source (cairo_t      *cr,
            const double  c[4],
            double        alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

static void
show_text (SlCountsPainter *self,
           cairo_t         *cr,
           const char      *text,
           gboolean         bold,
           double           x,
           double           y)
{
  g_autoptr(PangoLayout) layout = new_layout (self, cr, text, bold);

  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_legend (SlCountsPainter *self,
             cairo_t         *cr,
             int              width,
             const Layout    *l)
{
  double x = PAD, y = l->legend_y;

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      double w, h;

      text_size (self, cr, s->name, FALSE, &w, &h);
      if (x > PAD && x + w + LEGEND_SWATCH + 6 > width - PAD)
        {
          x = PAD;
          y += LEGEND_ROW;
        }
      rounded_rectangle (cr, x, y + (h - LEGEND_SWATCH) / 2, LEGEND_SWATCH, LEGEND_SWATCH, 2.5);
      cairo_set_source_rgb (cr, s->rgb[0], s->rgb[1], s->rgb[2]);
      cairo_fill (cr);
      set_source (cr, self->fg, 0.9);
      show_text (self, cr, s->name, FALSE, x + LEGEND_SWATCH + 6, y);
      x += LEGEND_SWATCH + 6 + w + LEGEND_GAP;
    }
}

static void
draw_grid (SlCountsPainter *self,
           cairo_t         *cr,
           const Layout    *l)
{
  cairo_set_line_width (cr, 1);
  for (guint v = 0; v <= l->top; v += l->step)
    {
      g_autofree char *text = g_strdup_printf ("%u", v);
      double y = round (y_of (l, v)) + 0.5;
      double w, h;

      set_source (cr, self->fg, v == 0 ? 0.35 : 0.1);
      cairo_move_to (cr, l->plot_x, y);
      cairo_line_to (cr, l->plot_x + l->plot_w, y);
      cairo_stroke (cr);

      text_size (self, cr, text, FALSE, &w, &h);
      set_source (cr, self->fg, 0.55);
      show_text (self, cr, text, FALSE, l->plot_x - LABEL_GAP - w, y - h / 2);
    }
}

static gboolean
overlaps (GArray *placed,
          double  left,
          double  right)
{
  for (guint i = 0; i < placed->len; i += 2)
    if (left < g_array_index (placed, double, i + 1) + 10 && right + 10 > g_array_index (placed, double, i))
      return TRUE;
  return FALSE;
}

/* Ticks at every date; labels at the current date first, then at every date whose label
 * does not touch one already placed. */
static void
draw_dates (SlCountsPainter *self,
            cairo_t         *cr,
            int              width,
            const Layout    *l)
{
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (double));
  double axis_y = l->plot_y + l->plot_h;
  int current_index = -1;

  for (guint i = 0; i < self->scene_ids->len; i++)
    if (g_array_index (self->scene_ids, gint64, i) == self->current)
      current_index = (int) i;

  if (current_index >= 0)
    {
      double x = round (x_of (self, l, (guint) current_index));
      g_autofree char *text = format_date (self, (guint) current_index);
      double w, h;

      set_source (cr, self->accent, 0.12);
      cairo_rectangle (cr, x - 9, l->plot_y, 18, l->plot_h);
      cairo_fill (cr);
      set_source (cr, self->accent, 0.8);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, x, l->plot_y);
      cairo_line_to (cr, x, axis_y);
      cairo_stroke (cr);

      text_size (self, cr, text, TRUE, &w, &h);
      {
        double left = CLAMP (x - w / 2, 2 + 6, width - 2 - 6 - w);
        double span[2] = { left - 6, left + w + 6 };

        set_source (cr, self->accent, 1);
        rounded_rectangle (cr, left - 6, l->date_label_y - 2, w + 12, h + 4, (h + 4) / 2);
        cairo_fill (cr);
        cairo_set_source_rgb (cr, 1, 1, 1);
        show_text (self, cr, text, TRUE, left, l->date_label_y);
        g_array_append_vals (placed, span, 2);
      }
    }

  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < self->scene_ids->len; i++)
    {
      double x = round (x_of (self, l, i)) + 0.5;
      g_autofree char *text = NULL;
      double w, left;

      set_source (cr, self->fg, 0.35);
      cairo_move_to (cr, x, axis_y);
      cairo_line_to (cr, x, axis_y + 4);
      cairo_stroke (cr);

      if ((int) i == current_index)
        continue;
      text = format_date (self, i);
      text_size (self, cr, text, FALSE, &w, NULL);
      left = CLAMP (x - w / 2, 2, width - 2 - w);
      if (overlaps (placed, left, left + w))
        continue;
      set_source (cr, self->fg, 0.6);
      show_text (self, cr, text, FALSE, left, l->date_label_y);
      {
        double span[2] = { left, left + w };

        g_array_append_vals (placed, span, 2);
      }
    }
}

static void
draw_series (SlCountsPainter *self,
             cairo_t         *cr,
             const Layout    *l)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      /* Text leaves a current point behind: start afresh. */
      cairo_new_path (cr);
      cairo_set_line_width (cr, LINE_WIDTH);
      cairo_set_source_rgb (cr, s->rgb[0], s->rgb[1], s->rgb[2]);
      for (guint d = 0; d < self->scene_ids->len; d++)
        cairo_line_to (cr, x_of (self, l, d), y_of (l, s->values[d]));
      cairo_stroke (cr);
    }
  /* Points over every line, so a crossing never hides one. */
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      for (guint d = 0; d < self->scene_ids->len; d++)
        {
          gboolean current = g_array_index (self->scene_ids, gint64, d) == self->current;
          double r = current ? CURRENT_POINT_RADIUS : POINT_RADIUS;

          cairo_new_path (cr);
          cairo_arc (cr, x_of (self, l, d), y_of (l, s->values[d]), r, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, s->rgb[0], s->rgb[1], s->rgb[2]);
          cairo_fill_preserve (cr);
          set_source (cr, self->bg, 1);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
    }
}

static void
draw_message (SlCountsPainter *self,
              cairo_t         *cr,
              const char      *text,
              double           cx,
              double           cy)
{
  double w, h;

  text_size (self, cr, text, FALSE, &w, &h);
  set_source (cr, self->fg, 0.55);
  show_text (self, cr, text, FALSE, cx - w / 2, cy - h / 2);
}

static void
sl_counts_painter_finalize (GObject *object)
{
  SlCountsPainter *self = SL_COUNTS_PAINTER (object);

  g_clear_pointer (&self->scene_ids, g_array_unref);
  g_clear_pointer (&self->times, g_array_unref);
  g_clear_pointer (&self->series, g_ptr_array_unref);
  g_clear_pointer (&self->font, pango_font_description_free);

  G_OBJECT_CLASS (sl_counts_painter_parent_class)->finalize (object);
}

static void
sl_counts_painter_class_init (SlCountsPainterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_counts_painter_finalize;
}

static void
sl_counts_painter_init (SlCountsPainter *self)
{
  static const double fg[4] = { 0.0, 0.0, 0.0, 0.8 };
  static const double bg[4] = { 1.0, 1.0, 1.0, 1.0 };
  static const double accent[4] = { 0.21, 0.52, 0.89, 1.0 };

  self->scene_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->font = pango_font_description_from_string ("Sans 9");
  sl_counts_painter_set_colors (self, fg, bg, accent);
}

SlCountsPainter *
sl_counts_painter_new (void)
{
  return g_object_new (SL_TYPE_COUNTS_PAINTER, NULL);
}

void
sl_counts_painter_set_counts (SlCountsPainter     *self,
                              const SlCountsTable *table,
                              GPtrArray           *classes,
                              GPtrArray           *scenes)
{
  g_return_if_fail (SL_IS_COUNTS_PAINTER (self));

  g_array_set_size (self->scene_ids, 0);
  g_array_set_size (self->times, 0);
  g_ptr_array_set_size (self->series, 0);
  self->max_value = 0;
  if (table == NULL || classes == NULL || scenes == NULL)
    return;

  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = g_ptr_array_index (scenes, i);
      GDateTime *acquired = sl_scene_get_acquired (scene);
      gint64 id = sl_scene_get_id (scene);
      gint64 t;

      if (acquired == NULL)
        continue;
      t = g_date_time_to_unix (acquired);
      g_array_append_val (self->scene_ids, id);
      g_array_append_val (self->times, t);
    }
  for (guint c = 0; c < classes->len; c++)
    {
      const SlClass *klass = g_ptr_array_index (classes, c);
      Series *s = g_new0 (Series, 1);
      guint used = 0;

      s->id = klass->id;
      s->name = g_strdup (klass->name);
      parse_colour (klass->colour, s->rgb);
      s->values = g_new0 (guint, MAX (self->scene_ids->len, 1));
      for (guint d = 0; d < self->scene_ids->len; d++)
        {
          s->values[d] = sl_counts_table_get (table, klass->id, g_array_index (self->scene_ids, gint64, d));
          used += s->values[d];
          self->max_value = MAX (self->max_value, s->values[d]);
        }
      if (used > 0)
        g_ptr_array_add (self->series, s);
      else
        series_free (s);
    }
}

void
sl_counts_painter_set_current (SlCountsPainter *self,
                               gint64           scene_id)
{
  g_return_if_fail (SL_IS_COUNTS_PAINTER (self));

  self->current = scene_id;
}

gint64
sl_counts_painter_get_current (SlCountsPainter *self)
{
  g_return_val_if_fail (SL_IS_COUNTS_PAINTER (self), 0);

  return self->current;
}

void
sl_counts_painter_set_colors (SlCountsPainter *self,
                              const double     foreground[4],
                              const double     background[4],
                              const double     accent[4])
{
  g_return_if_fail (SL_IS_COUNTS_PAINTER (self));

  memcpy (self->fg, foreground, sizeof self->fg);
  memcpy (self->bg, background, sizeof self->bg);
  memcpy (self->accent, accent, sizeof self->accent);
}

void
sl_counts_painter_set_font (SlCountsPainter *self,
                            const char      *font)
{
  g_return_if_fail (SL_IS_COUNTS_PAINTER (self));

  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = pango_font_description_from_string (font != NULL ? font : "Sans 9");
}

void
sl_counts_painter_draw (SlCountsPainter *self,
                        cairo_t         *cr,
                        int              width,
                        int              height)
{
  Layout l;

  g_return_if_fail (SL_IS_COUNTS_PAINTER (self));
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  if (self->scene_ids->len == 0)
    {
      draw_message (self, cr, _("No dated scenes"), width / 2.0, height / 2.0);
      cairo_restore (cr);
      return;
    }
  compute_layout (self, cr, width, height, &l);
  draw_legend (self, cr, width, &l);
  draw_grid (self, cr, &l);
  draw_dates (self, cr, width, &l);
  if (self->series->len == 0)
    draw_message (self, cr, _("No annotations yet"), l.plot_x + l.plot_w / 2, l.plot_y + l.plot_h / 2);
  else
    draw_series (self, cr, &l);
  cairo_restore (cr);
}

gboolean
sl_counts_painter_get_point (SlCountsPainter *self,
                             int              width,
                             int              height,
                             gint64           class_id,
                             gint64           scene_id,
                             double          *x,
                             double          *y)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  Layout l;

  g_return_val_if_fail (SL_IS_COUNTS_PAINTER (self), FALSE);

  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);

      if (s->id != class_id)
        continue;
      for (guint d = 0; d < self->scene_ids->len; d++)
        {
          if (g_array_index (self->scene_ids, gint64, d) != scene_id)
            continue;
          surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
          cr = cairo_create (surface);
          compute_layout (self, cr, width, height, &l);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          if (x != NULL)
            *x = x_of (self, &l, d);
          if (y != NULL)
            *y = y_of (&l, s->values[d]);
          return TRUE;
        }
    }
  return FALSE;
}

guint
sl_counts_painter_get_n_series (SlCountsPainter *self)
{
  g_return_val_if_fail (SL_IS_COUNTS_PAINTER (self), 0);

  return self->series->len;
}
