/* sl-composer-decorations.c — title, caption, credit, date labels, scale bar, north arrow, divider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-composer"

#include "config.h"

#include <math.h>

#include <ogr_srs_api.h>

#include "sl-composer-private.h"

void
_sl_composer_measure_crs (SlComposer *self, const char *wkt, double x, double y)
{
  OGRSpatialReferenceH srs, geo;
  OGRCoordinateTransformationH to_geo = NULL, from_geo = NULL;

  self->has_crs = FALSE;
  self->metres_per_unit = 0;
  self->has_north = FALSE;
  self->north_degrees = 0;
  if (wkt == NULL || *wkt == '\0')
    return;

  srs = OSRNewSpatialReference (NULL);
  if (OSRImportFromWkt (srs, (char **) &wkt) != OGRERR_NONE)
    {
      OSRDestroySpatialReference (srs);
      return;
    }
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  self->has_crs = TRUE;
  geo = OSRCloneGeogCS (srs);
  if (geo)
    OSRSetAxisMappingStrategy (geo, OAMS_TRADITIONAL_GIS_ORDER);

  if (OSRIsProjected (srs))
    self->metres_per_unit = OSRGetLinearUnits (srs, NULL);
  else if (OSRIsGeographic (srs))
    /* Degrees: metres of one degree of longitude at the area's latitude (a scale bar runs
     * east–west). */
    self->metres_per_unit = 111319.49 * cos (y * G_PI / 180.0);

  if (geo)
    {
      to_geo = OCTNewCoordinateTransformation (srs, geo);
      from_geo = OCTNewCoordinateTransformation (geo, srs);
    }
  if (to_geo && from_geo)
    {
      double lon = x, lat = y, nx, ny;

      /* True north: the direction in which latitude grows, seen in the grid (the grid
       * convergence), from a small step north of the centre mapped back. */
      if (OCTTransform (to_geo, 1, &lon, &lat, NULL) && fabs (lat) < 89.9)
        {
          nx = lon;
          ny = lat + 0.001;
          if (OCTTransform (from_geo, 1, &nx, &ny, NULL) && (nx != x || ny != y))
            {
              self->has_north = TRUE;
              self->north_degrees = atan2 (nx - x, ny - y) * 180.0 / G_PI;
            }
        }
    }
  if (to_geo)
    OCTDestroyCoordinateTransformation (to_geo);
  if (from_geo)
    OCTDestroyCoordinateTransformation (from_geo);
  if (geo)
    OSRDestroySpatialReference (geo);
  OSRDestroySpatialReference (srs);
}

static void
set_rgba (cairo_t *cr, const double c[4], double alpha)
{
  cairo_set_source_rgba (cr, c[0], c[1], c[2], c[3] * alpha);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Labels over imagery sit on a plate in the theme's colours, so they read on snow and on
 * shadow alike. */
static void
plate_colours (SlComposer *self, double plate[4], double ink[4])
{
  gboolean dark = self->composition->theme == SL_THEME_DARK;

  plate[0] = plate[1] = plate[2] = dark ? 0.07 : 1.0;
  plate[3] = dark ? 0.72 : 0.86;
  ink[0] = ink[1] = ink[2] = dark ? 0.97 : 0.08;
  ink[3] = 1;
}

/* Fills the current path with the plate, with a faint edge that keeps a light plate apart
 * from snow or cloud. */
static void
fill_plate (cairo_t *cr, const double plate[4], double size)
{
  set_rgba (cr, plate, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, plate[0] > 0.5 ? 0.22 : 0.0);
  cairo_set_line_width (cr, MAX (1.0, size * 0.05));
  cairo_stroke (cr);
}

static void
show_layout (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

void
_sl_composer_draw_text (SlComposer *self, cairo_t *cr, const SlComposerFrame *frame, const SlComposerLayout *layout)
{
  const SlComposition *c = self->composition;
  double background[4], text[4];
  int width = MAX (layout->text_w, 1);

  if (!frame->text)
    return;
  _sl_composer_theme_colours (self, background, text);
  if (c->title && *c->title)
    {
      g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, c->title, layout->text_px * 1.55, PANGO_WEIGHT_BOLD, width);

      set_rgba (cr, text, 1);
      show_layout (cr, l, layout->text_x, layout->title_y);
    }
  if (self->credit && *self->credit)
    {
      /* Like a newsroom's photo credit: small, flush right under the imagery. */
      g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, self->credit, layout->text_px * 0.72, PANGO_WEIGHT_NORMAL,
                                                    MAX (layout->image_w, 1));

      pango_layout_set_alignment (l, PANGO_ALIGN_RIGHT);
      set_rgba (cr, text, 0.7);
      show_layout (cr, l, layout->image_x, layout->credit_y);
    }
  if (c->caption && *c->caption)
    {
      g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, c->caption, layout->text_px, PANGO_WEIGHT_NORMAL, width);

      set_rgba (cr, text, 1);
      show_layout (cr, l, layout->text_x, layout->caption_y);
    }
}

/* A label on a plate with its corner @corner at (@x, @y), clipped to @clip. */
static void
draw_label (SlComposer *self, cairo_t *cr, const char *text, double size, SlCorner corner,
            double x, double y, const double clip[4])
{
  g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, text, size, PANGO_WEIGHT_BOLD, -1);
  PangoRectangle ink, logical;
  double plate[4], fg[4], pad_x = size * 0.5, pad_y = size * 0.28, w, h;

  plate_colours (self, plate, fg);
  pango_layout_get_pixel_extents (l, &ink, &logical);
  w = logical.width + 2 * pad_x;
  h = logical.height + 2 * pad_y;
  if (corner == SL_CORNER_TOP_RIGHT || corner == SL_CORNER_BOTTOM_RIGHT)
    x -= w;
  if (corner == SL_CORNER_BOTTOM_LEFT || corner == SL_CORNER_BOTTOM_RIGHT)
    y -= h;
  cairo_save (cr);
  cairo_rectangle (cr, clip[0], clip[1], clip[2] - clip[0], clip[3] - clip[1]);
  cairo_clip (cr);
  rounded_rect (cr, x, y, w, h, size * 0.25);
  fill_plate (cr, plate, size);
  set_rgba (cr, fg, 1);
  show_layout (cr, l, x + pad_x - logical.x, y + pad_y - logical.y);
  cairo_restore (cr);
}

static void
draw_dates (SlComposer *self, cairo_t *cr, const SlComposerFrame *frame, const SlComposerLayout *layout)
{
  const SlComposition *c = self->composition;
  double size = layout->text_px, inset = layout->text_px * 0.6;

  for (guint i = 0; i < layout->n_panels; i++)
    {
      const SlComposerPanel *p = &layout->panels[i];
      guint sides = frame->kind == SL_LAYOUT_SWIPE && p->scene_b != p->scene ? 2 : 1;

      for (guint side = 0; side < sides; side++)
        {
          guint scene = side == 0 ? p->scene : p->scene_b;
          const char *text = g_array_index (self->scenes, SlComposerScene, scene).date_label;
          double clip[4] = { p->x, p->y, p->x + p->w, p->y + p->h };
          gboolean right = c->date_corner == SL_CORNER_TOP_RIGHT || c->date_corner == SL_CORNER_BOTTOM_RIGHT;
          gboolean bottom = c->date_corner == SL_CORNER_BOTTOM_LEFT || c->date_corner == SL_CORNER_BOTTOM_RIGHT;

          if (sides == 2)
            {
              /* Each date on its own side of the divider, in the mirrored corner. */
              if (c->horizontal)
                {
                  bottom = side == 1;
                  clip[side == 0 ? 3 : 1] = layout->divider_px;
                }
              else
                {
                  right = side == 1;
                  clip[side == 0 ? 2 : 0] = layout->divider_px;
                }
            }
          draw_label (self, cr, text, size,
                      bottom ? (right ? SL_CORNER_BOTTOM_RIGHT : SL_CORNER_BOTTOM_LEFT)
                             : (right ? SL_CORNER_TOP_RIGHT : SL_CORNER_TOP_LEFT),
                      right ? p->x + p->w - inset : p->x + inset,
                      bottom ? p->y + p->h - inset : p->y + inset, clip);
        }
    }
}

/* 1, 2 or 5 × 10^k, at most @value. */
static double
nice_length (double value)
{
  double p = pow (10, floor (log10 (value))), f = value / p;

  return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * p;
}

static char *
format_metres (double metres)
{
  if (metres >= 1000)
    return g_strdup_printf ("%g km", metres / 1000);
  return g_strdup_printf ("%g m", metres);
}

static void
draw_scale_bar (SlComposer *self, cairo_t *cr, const SlComposerPanel *p, double size, gboolean top, gboolean right)
{
  double plate[4], fg[4], inset = size * 0.6, pad = size * 0.45;
  double metres_per_px = p->resolution * self->metres_per_unit;
  double metres = nice_length (0.2 * p->w * metres_per_px);
  double bar = metres / metres_per_px, bar_h = MAX (2.0, floor (size * 0.3 + 0.5));
  g_autofree char *text = format_metres (metres);
  g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, text, size * 0.85, PANGO_WEIGHT_BOLD, -1);
  PangoRectangle logical;
  double w, h, x, y, bx, by;

  pango_layout_get_pixel_extents (l, NULL, &logical);
  w = pad + bar + pad * 0.8 + logical.width + pad;
  h = MAX (logical.height, bar_h * 3) + pad;
  x = right ? p->x + p->w - inset - w : p->x + inset;
  y = top ? p->y + inset : p->y + p->h - inset - h;
  plate_colours (self, plate, fg);
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->w, p->h);
  cairo_clip (cr);
  rounded_rect (cr, x, y, w, h, size * 0.25);
  fill_plate (cr, plate, size);
  /* The bar: exactly @metres on the ground, whole pixels long; end ticks above it. */
  bx = floor (x + pad + 0.5);
  by = floor (y + h / 2 + bar_h / 2 + 0.5);
  set_rgba (cr, fg, 1);
  cairo_rectangle (cr, bx, by - bar_h, floor (bar + 0.5), bar_h);
  cairo_rectangle (cr, bx, by - bar_h * 2.5, bar_h * 0.6, bar_h * 2.5);
  cairo_rectangle (cr, bx + floor (bar + 0.5) - bar_h * 0.6, by - bar_h * 2.5, bar_h * 0.6, bar_h * 2.5);
  cairo_fill (cr);
  show_layout (cr, l, bx + floor (bar + 0.5) + pad * 0.8 - logical.x, y + (h - logical.height) / 2 - logical.y);
  cairo_restore (cr);
}

static void
draw_north_arrow (SlComposer *self, cairo_t *cr, const SlComposerPanel *p, double size, gboolean top, gboolean left)
{
  double plate[4], fg[4], r = size * 1.25, inset = size * 0.6, cx, cy;
  g_autoptr(PangoLayout) l = _sl_composer_text (self, cr, "N", size * 0.75, PANGO_WEIGHT_BOLD, -1);
  PangoRectangle logical;

  plate_colours (self, plate, fg);
  cx = left ? p->x + inset + r : p->x + p->w - inset - r;
  cy = top ? p->y + inset + r : p->y + p->h - inset - r;
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->w, p->h);
  cairo_clip (cr);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  fill_plate (cr, plate, size);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, self->north_degrees * G_PI / 180.0);
  /* A split arrowhead pointing to true north, the "N" beneath its tip. */
  set_rgba (cr, fg, 1);
  cairo_move_to (cr, 0, -r * 0.82);
  cairo_line_to (cr, r * 0.36, r * 0.1);
  cairo_line_to (cr, 0, -r * 0.08);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_move_to (cr, 0, -r * 0.82);
  cairo_line_to (cr, -r * 0.36, r * 0.1);
  cairo_line_to (cr, 0, -r * 0.08);
  cairo_close_path (cr);
  cairo_set_line_width (cr, MAX (1.0, size * 0.06));
  cairo_stroke (cr);
  pango_layout_get_pixel_extents (l, NULL, &logical);
  show_layout (cr, l, -logical.width / 2.0 - logical.x, r * 0.18 - logical.y);
  cairo_restore (cr);
}

static void
draw_divider (SlComposer *self, cairo_t *cr, const SlComposerLayout *layout)
{
  const SlComposition *c = self->composition;
  const SlComposerPanel *p = &layout->panels[0];
  double colour[4] = { 1, 1, 1, 1 };
  double width = c->divider_width > 0 ? c->divider_width : MAX (2.0, floor (layout->text_px * 0.14 + 0.5));
  double d = layout->divider_px, r = layout->text_px * 1.05, cx, cy, shade = MAX (1.0, width / 2);

  if (c->divider_colour)
    _sl_composer_parse_colour (c->divider_colour, colour);
  cairo_save (cr);
  cairo_rectangle (cr, p->x, p->y, p->w, p->h);
  cairo_clip (cr);
  /* A faint dark edge on each side keeps a white line visible over bright ground. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  if (c->horizontal)
    cairo_rectangle (cr, p->x, d - width / 2 - shade, p->w, width + 2 * shade);
  else
    cairo_rectangle (cr, d - width / 2 - shade, p->y, width + 2 * shade, p->h);
  cairo_fill (cr);
  set_rgba (cr, colour, 1);
  if (c->horizontal)
    cairo_rectangle (cr, p->x, d - width / 2, p->w, width);
  else
    cairo_rectangle (cr, d - width / 2, p->y, width, p->h);
  cairo_fill (cr);

  if (c->divider_handle)
    {
      cx = c->horizontal ? p->x + p->w / 2.0 : d;
      cy = c->horizontal ? d : p->y + p->h / 2.0;
      cairo_arc (cr, cx, cy, r + shade, 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
      cairo_fill (cr);
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
      set_rgba (cr, colour, 1);
      cairo_fill (cr);
      /* Two arrowheads across the divider: it can be dragged. */
      cairo_translate (cr, cx, cy);
      if (c->horizontal)
        cairo_rotate (cr, G_PI / 2);
      cairo_set_source_rgba (cr, 0.1, 0.1, 0.1, 0.9);
      for (int s = -1; s <= 1; s += 2)
        {
          cairo_move_to (cr, s * r * 0.72, 0);
          cairo_line_to (cr, s * r * 0.2, -r * 0.38);
          cairo_line_to (cr, s * r * 0.2, r * 0.38);
          cairo_close_path (cr);
        }
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

void
_sl_composer_draw_overlays (SlComposer *self, cairo_t *cr, const SlComposerFrame *frame, const SlComposerLayout *layout)
{
  const SlComposition *c = self->composition;
  gboolean dates_at_top = c->date_corner == SL_CORNER_TOP_LEFT || c->date_corner == SL_CORNER_TOP_RIGHT;
  gboolean dates_right = c->date_corner == SL_CORNER_TOP_RIGHT || c->date_corner == SL_CORNER_BOTTOM_RIGHT;
  gboolean swipe = frame->kind == SL_LAYOUT_SWIPE && layout->panels[0].scene_b != layout->panels[0].scene;
  /* Scale and north go where the dates leave room: the other edge (scale bar left, north
   * right); a horizontal swipe has a date at the top and one at the bottom, so they take the
   * other side, scale bar below and north above. */
  gboolean bar_top = frame->dates && !dates_at_top, bar_right = FALSE;
  gboolean north_top = bar_top, north_left = FALSE;

  if (swipe && c->horizontal && frame->dates)
    {
      bar_top = FALSE;
      bar_right = !dates_right;
      north_top = TRUE;
      north_left = dates_right;
    }
  if (swipe)
    draw_divider (self, cr, layout);
  if (frame->dates)
    draw_dates (self, cr, frame, layout);
  if (c->scale_bar && self->metres_per_unit > 0 && layout->n_panels > 0)
    draw_scale_bar (self, cr, &layout->panels[0], layout->text_px, bar_top, bar_right);
  if (c->north_arrow && self->has_north && layout->n_panels > 0)
    draw_north_arrow (self, cr, &layout->panels[layout->n_panels - 1], layout->text_px, north_top, north_left);
}
