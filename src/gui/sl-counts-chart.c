/* sl-counts-chart.c — the counts-over-time chart as a widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-counts-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-counts-chart.h"

struct _SlCountsChart
{
  GtkWidget        parent_instance;

  SlCountsPainter *painter;
};

G_DEFINE_FINAL_TYPE (SlCountsChart, sl_counts_chart, GTK_TYPE_WIDGET)

static void
to_doubles (const GdkRGBA *rgba,
            double         out[4])
{
  out[0] = rgba->red;
  out[1] = rgba->green;
  out[2] = rgba->blue;
  out[3] = rgba->alpha;
}

static void
lookup (GtkStyleContext *context,
        const char      *name,
        const GdkRGBA   *fallback,
        double           out[4])
{
  GdkRGBA rgba;

  if (!gtk_style_context_lookup_color (context, name, &rgba))
    rgba = *fallback;
  to_doubles (&rgba, out);
}

/* The style's colours and font, read at each frame: a switch to the dark style redraws. */
static void
apply_style (SlCountsChart *self)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  G_GNUC_END_IGNORE_DEPRECATIONS
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA blue = { 0.21f, 0.52f, 0.89f, 1 };
  PangoContext *pango = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontDescription *font = pango_context_get_font_description (pango);
  g_autofree char *font_text = font != NULL ? pango_font_description_to_string (font) : NULL;
  GdkRGBA fg;
  double fg_d[4], bg_d[4], accent_d[4];

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, &fg);
  lookup (context, "view_bg_color", &white, bg_d);
  lookup (context, "accent_bg_color", &blue, accent_d);
  G_GNUC_END_IGNORE_DEPRECATIONS
  to_doubles (&fg, fg_d);
  sl_counts_painter_set_colors (self->painter, fg_d, bg_d, accent_d);
  sl_counts_painter_set_font (self->painter, font_text);
}

static void
sl_counts_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SlCountsChart *self = SL_COUNTS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  apply_style (self);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sl_counts_painter_draw (self->painter, cr, width, height);
  cairo_destroy (cr);
}

static void
sl_counts_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 280;
}

static void
sl_counts_chart_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sl_counts_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
sl_counts_chart_dispose (GObject *object)
{
  SlCountsChart *self = SL_COUNTS_CHART (object);

  g_clear_object (&self->painter);

  G_OBJECT_CLASS (sl_counts_chart_parent_class)->dispose (object);
}

static void
sl_counts_chart_class_init (SlCountsChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_counts_chart_dispose;
  widget_class->snapshot = sl_counts_chart_snapshot;
  widget_class->measure = sl_counts_chart_measure;
  widget_class->css_changed = sl_counts_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "countschart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_counts_chart_init (SlCountsChart *self)
{
  self->painter = sl_counts_painter_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Counts per class over time"), -1);
}

GtkWidget *
sl_counts_chart_new (void)
{
  return g_object_new (SL_TYPE_COUNTS_CHART, NULL);
}

void
sl_counts_chart_set_counts (SlCountsChart       *self,
                            const SlCountsTable *table,
                            GPtrArray           *classes,
                            GPtrArray           *scenes)
{
  g_return_if_fail (SL_IS_COUNTS_CHART (self));

  sl_counts_painter_set_counts (self->painter, table, classes, scenes);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_counts_chart_set_current (SlCountsChart *self,
                             gint64         scene_id)
{
  g_return_if_fail (SL_IS_COUNTS_CHART (self));

  if (sl_counts_painter_get_current (self->painter) == scene_id)
    return;
  sl_counts_painter_set_current (self->painter, scene_id);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

SlCountsPainter *
sl_counts_chart_get_painter (SlCountsChart *self)
{
  g_return_val_if_fail (SL_IS_COUNTS_CHART (self), NULL);

  return self->painter;
}
