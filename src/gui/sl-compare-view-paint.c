/* sl-compare-view-paint.c — composing the panes: clip, opacity, difference, and the divider
 *
 * The overlaid panes are composed as render nodes, so the GPU (or cairo) does the per-pixel
 * work and nothing is read back: swipe clips each pane to its side of a divider placed on a
 * whole device pixel; blend draws B in an opacity node over A; difference draws B in a
 * difference blend node over A, wrapped in a colour matrix that multiplies RGB by the gain.
 * Each pane brings its own neutral ground, so where a date has no data the ground shows, not
 * the other date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-view"

#include "config.h"

#include <math.h>

#include "sl-compare-view-private.h"

#define HANDLE_RADIUS 16.0
#define LINE_WIDTH 2.0

static void
snapshot_imagery (SlCompareView *self,
                  GtkSnapshot   *snapshot,
                  guint          index)
{
  gtk_widget_snapshot_child (GTK_WIDGET (self), GTK_WIDGET (self->panes[index]), snapshot);
}

static void
snapshot_layer (SlCompareView *self,
                GtkSnapshot   *snapshot,
                guint          index)
{
  gtk_widget_snapshot_child (GTK_WIDGET (self), GTK_WIDGET (self->layers[index]), snapshot);
}

/* A pane and, over it, its annotations. */
static void
snapshot_pane (SlCompareView *self,
               GtkSnapshot   *snapshot,
               guint          index)
{
  snapshot_imagery (self, snapshot, index);
  snapshot_layer (self, snapshot, index);
}

static void
snapshot_clipped (SlCompareView         *self,
                  GtkSnapshot           *snapshot,
                  guint                  index,
                  const graphene_rect_t *clip)
{
  if (clip->size.width <= 0 || clip->size.height <= 0)
    return;
  gtk_snapshot_push_clip (snapshot, clip);
  snapshot_pane (self, snapshot, index);
  gtk_snapshot_pop (snapshot);
}

/* The round handle in the middle of the divider, with two arrows pointing along the swipe. */
static void
draw_handle (cairo_t  *cr,
             double    cx,
             double    cy,
             gboolean  horizontal)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  if (horizontal)
    cairo_rotate (cr, G_PI / 2);

  cairo_arc (cr, 0, 1.5, HANDLE_RADIUS, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.25);
  cairo_fill (cr);
  cairo_arc (cr, 0, 0, HANDLE_RADIUS, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.2, 0.2, 0.22);
  for (int side = -1; side <= 1; side += 2)
    {
      cairo_move_to (cr, side * 3.0, -5.5);
      cairo_line_to (cr, side * 9.0, 0);
      cairo_line_to (cr, side * 3.0, 5.5);
      cairo_close_path (cr);
    }
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
snapshot_divider (SlCompareView *self,
                  GtkSnapshot   *snapshot,
                  int            width,
                  int            height)
{
  const GdkRGBA shade = { 0, 0, 0, 0.35f };
  const GdkRGBA white = { 1, 1, 1, 1 };
  gboolean horizontal = self->state.swipe_horizontal;
  double d = _sl_compare_view_divider_px (self);
  graphene_rect_t line, outline, handle_box;
  double cx, cy;
  cairo_t *cr;

  if (horizontal)
    {
      line = GRAPHENE_RECT_INIT (0, d - LINE_WIDTH / 2, width, LINE_WIDTH);
      outline = GRAPHENE_RECT_INIT (0, d - LINE_WIDTH / 2 - 1, width, LINE_WIDTH + 2);
      cx = width / 2.0;
      cy = d;
    }
  else
    {
      line = GRAPHENE_RECT_INIT (d - LINE_WIDTH / 2, 0, LINE_WIDTH, height);
      outline = GRAPHENE_RECT_INIT (d - LINE_WIDTH / 2 - 1, 0, LINE_WIDTH + 2, height);
      cx = d;
      cy = height / 2.0;
    }
  gtk_snapshot_append_color (snapshot, &shade, &outline);
  gtk_snapshot_append_color (snapshot, &white, &line);

  handle_box = GRAPHENE_RECT_INIT (cx - HANDLE_RADIUS - 2, cy - HANDLE_RADIUS - 2,
                                   2 * HANDLE_RADIUS + 4, 2 * HANDLE_RADIUS + 6);
  cr = gtk_snapshot_append_cairo (snapshot, &handle_box);
  draw_handle (cr, cx, cy, horizontal);
  cairo_destroy (cr);
}

static void
snapshot_overlay (SlCompareView *self,
                  GtkSnapshot   *snapshot,
                  int            width,
                  int            height)
{
  int solo = _sl_compare_view_solo_pane (self);

  if (solo >= 0)
    {
      snapshot_pane (self, snapshot, solo);
      return;
    }

  switch (self->state.mode)
    {
    case SL_COMPARE_SWIPE:
      {
        double d = _sl_compare_view_divider_px (self);

        if (self->state.swipe_horizontal)
          {
            snapshot_clipped (self, snapshot, 0, &GRAPHENE_RECT_INIT (0, 0, width, d));
            snapshot_clipped (self, snapshot, 1, &GRAPHENE_RECT_INIT (0, d, width, height - d));
          }
        else
          {
            snapshot_clipped (self, snapshot, 0, &GRAPHENE_RECT_INIT (0, 0, d, height));
            snapshot_clipped (self, snapshot, 1, &GRAPHENE_RECT_INIT (d, 0, width - d, height));
          }
        snapshot_divider (self, snapshot, width, height);
      }
      break;

    case SL_COMPARE_BLEND:
      /* The annotations are not blended: both dates' at full strength over the images. */
      snapshot_imagery (self, snapshot, 0);
      gtk_snapshot_push_opacity (snapshot, self->state.opacity);
      snapshot_imagery (self, snapshot, 1);
      gtk_snapshot_pop (snapshot);
      snapshot_layer (self, snapshot, 0);
      snapshot_layer (self, snapshot, 1);
      break;

    case SL_COMPARE_DIFFERENCE:
      {
        float g = (float) self->state.gain;
        graphene_matrix_t matrix;
        graphene_vec4_t offset;

        graphene_matrix_init_from_float (&matrix, (float[16]) { g, 0, 0, 0,
                                                                0, g, 0, 0,
                                                                0, 0, g, 0,
                                                                0, 0, 0, 1 });
        graphene_vec4_init (&offset, 0, 0, 0, 0);
        gtk_snapshot_push_color_matrix (snapshot, &matrix, &offset);
        gtk_snapshot_push_blend (snapshot, GSK_BLEND_MODE_DIFFERENCE);
        snapshot_imagery (self, snapshot, 0);
        gtk_snapshot_pop (snapshot);
        snapshot_imagery (self, snapshot, 1);
        gtk_snapshot_pop (snapshot);
        gtk_snapshot_pop (snapshot);
        /* Outlines are not differenced: drawn over the result. */
        snapshot_layer (self, snapshot, 0);
        snapshot_layer (self, snapshot, 1);
      }
      break;

    case SL_COMPARE_BLINK:
    case SL_COMPARE_SINGLE:
    case SL_COMPARE_GRID:
    case SL_COMPARE_N_MODES:
    default:
      snapshot_pane (self, snapshot, self->blink_b ? 1 : 0);
      break;
    }
}

void
_sl_compare_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);
  gint64 start = g_get_monotonic_time ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint n = _sl_compare_view_n_panes (self);

  if (_sl_compare_view_is_overlay (self))
    snapshot_overlay (self, snapshot, width, height);
  else
    for (guint i = 0; i < n; i++)
      snapshot_pane (self, snapshot, i);

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    gtk_widget_snapshot_child (widget, self->labels[i], snapshot);

  self->snapshot_times[self->n_snapshots++ % G_N_ELEMENTS (self->snapshot_times)] = g_get_monotonic_time () - start;
}
