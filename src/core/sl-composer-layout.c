/* sl-composer-layout.c — where the panels and text blocks of a graphic go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-composer"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sl-composer-private.h"

gboolean
_sl_composer_parse_colour (const char *text, double rgba[4])
{
  unsigned r, g, b, a = 255;
  size_t len = text ? strlen (text) : 0;

  if (len > 0 && (g_ascii_strcasecmp (text, "none") == 0 || g_ascii_strcasecmp (text, "transparent") == 0))
    {
      rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0;
      return TRUE;
    }
  if ((len != 7 && len != 9) || text[0] != '#' ||
      sscanf (text + 1, len == 7 ? "%2x%2x%2x" : "%2x%2x%2x%2x", &r, &g, &b, &a) < 3)
    return FALSE;
  rgba[0] = r / 255.0;
  rgba[1] = g / 255.0;
  rgba[2] = b / 255.0;
  rgba[3] = a / 255.0;
  return TRUE;
}

void
_sl_composer_theme_colours (SlComposer *self, double background[4], double text[4])
{
  gboolean dark = self->composition->theme == SL_THEME_DARK;
  double bg[4] = { 0.110, 0.110, 0.118, 1 }, light_bg[4] = { 1, 1, 1, 1 };
  double fg[4] = { 0.95, 0.95, 0.95, 1 }, light_fg[4] = { 0.10, 0.10, 0.11, 1 };

  memcpy (background, dark ? bg : light_bg, sizeof bg);
  memcpy (text, dark ? fg : light_fg, sizeof fg);
  if (self->composition->background)
    _sl_composer_parse_colour (self->composition->background, background);
}

PangoLayout *
_sl_composer_text (SlComposer  *self,
                   cairo_t     *cr,
                   const char  *text,
                   double       size_px,
                   PangoWeight  weight,
                   int          width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics: the layout is the same at every scale, so a preview wraps its lines
   * where the export does. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_layout_context_changed (layout);

  pango_font_description_set_family (font, self->composition->font_family ? self->composition->font_family : "Sans");
  pango_font_description_set_absolute_size (font, MAX (size_px, 1.0) * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
text_height (SlComposer *self, cairo_t *cr, const char *text, double size, PangoWeight weight, int width)
{
  g_autoptr(PangoLayout) layout = _sl_composer_text (self, cr, text, size, weight, width);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

void
_sl_composer_default_frame (SlComposer *self, SlComposerFrame *frame)
{
  const SlComposition *c = self->composition;

  memset (frame, 0, sizeof *frame);
  frame->kind = c->layout;
  switch (c->layout)
    {
    case SL_LAYOUT_SINGLE:
      frame->n_scenes = 1;
      break;
    case SL_LAYOUT_GRID:
      frame->n_scenes = self->scenes->len;
      break;
    default:
      frame->n_scenes = 2;
      break;
    }
  for (guint i = 0; i < frame->n_scenes; i++)
    frame->scenes[i] = i;
  frame->divider = c->divider;
  frame->dates = c->show_dates;
  frame->text = TRUE;
}

/* The centre and resolution (site units per output pixel) that show the area in a panel. */
static void
place_area (SlComposer *self, SlComposerPanel *panel)
{
  const SlComposition *c = self->composition;
  SlBounds b = c->area == SL_AREA_BOUNDS ? c->bounds : self->site;

  panel->center_x = (b.min_x + b.max_x) / 2;
  panel->center_y = (b.min_y + b.max_y) / 2;
  /* Fit: all of the area shows; the panel's other direction shows more of the ground. */
  panel->resolution = MAX ((b.max_x - b.min_x) / MAX (panel->w, 1), (b.max_y - b.min_y) / MAX (panel->h, 1));
  if (!(panel->resolution > 0))
    panel->resolution = sl_site_grid_get_resolution (self->grid, sl_site_grid_get_max_zoom (self->grid));
  if (c->area == SL_AREA_VIEW)
    {
      /* A centre without a scale keeps the site's fitting scale. */
      panel->center_x = c->center_x;
      panel->center_y = c->center_y;
      if (c->resolution > 0)
        panel->resolution = c->resolution;
    }
}

/* The width / height of the ground the panels show; 0 when they fill whatever they get (a view). */
static double
area_aspect (SlComposer *self)
{
  const SlComposition *c = self->composition;
  SlBounds b = c->area == SL_AREA_BOUNDS ? c->bounds : self->site;

  if (c->area == SL_AREA_VIEW || !(b.max_x > b.min_x && b.max_y > b.min_y))
    return 0;
  return (b.max_x - b.min_x) / (b.max_y - b.min_y);
}

/* Columns and rows for @n panels in @w × @h: as given, or those that make the panels of
 * @aspect largest (a square area in a wide image: a row). */
static void
grid_shape (guint n, guint columns, double aspect, int w, int h, int gap, guint *cols, guint *rows)
{
  double best = -1;

  if (columns > 0)
    {
      *cols = MIN (columns, n);
      *rows = (n + *cols - 1) / *cols;
      return;
    }
  for (guint c = 1; c <= n; c++)
    {
      guint r = (n + c - 1) / c;
      double pw = (double) (w - (int) (c - 1) * gap) / c, ph = (double) (h - (int) (r - 1) * gap) / r;
      double a = aspect > 0 ? aspect : 4.0 / 3.0;
      double fit = MIN (pw / a, ph) * MIN (pw / a, ph) * a;

      /* A little preference for fewer empty cells. */
      fit *= 1.0 - 0.02 * (c * r - n);
      if (fit > best)
        {
          best = fit;
          *cols = c;
          *rows = r;
        }
    }
}

/* Lays the text out for a @text_w wide column and returns the imagery's box. */
static void
place_blocks (SlComposer *self, cairo_t *cr, const SlComposerFrame *frame, SlComposerLayout *layout,
              int text_w, int *top, int *bottom)
{
  const SlComposition *c = self->composition;
  const char *title = frame->text && c->title && *c->title ? c->title : NULL;
  const char *caption = frame->text && c->caption && *c->caption ? c->caption : NULL;
  const char *credit = frame->text && self->credit && *self->credit ? self->credit : NULL;
  double small_gap = layout->text_px * 0.4, credit_h = 0;
  int m = layout->margin;

  *top = m;
  if (title)
    {
      layout->title_y = *top;
      *top += (int) ceil (text_height (self, cr, title, layout->text_px * 1.55, PANGO_WEIGHT_BOLD, text_w)
                          + layout->text_px * 0.5);
    }
  *bottom = layout->height - m;
  if (caption)
    *bottom -= (int) ceil (text_height (self, cr, caption, layout->text_px, PANGO_WEIGHT_NORMAL, text_w) + small_gap);
  if (credit)
    {
      credit_h = text_height (self, cr, credit, layout->text_px * 0.72, PANGO_WEIGHT_NORMAL, text_w);
      *bottom -= (int) ceil (credit_h + small_gap);
    }
  layout->text_w = text_w;
  layout->credit_h = credit_h;
}

void
_sl_composer_layout (SlComposer *self, const SlComposerFrame *frame, SlComposerLayout *layout)
{
  const SlComposition *c = self->composition;
  cairo_surface_t *scratch = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (scratch);
  int W = self->width, H = self->height, m, gap, top = 0, bottom = 0, iw = 0, ih = 0, pw = 0, ph = 0;
  double aspect = area_aspect (self), small_gap;
  guint cols = 1, rows = 1, n = MAX (frame->n_scenes, 1);
  gboolean one = frame->kind == SL_LAYOUT_SWIPE || frame->kind == SL_LAYOUT_SINGLE;

  memset (layout, 0, sizeof *layout);
  layout->width = W;
  layout->height = H;
  layout->text_px = MAX (10.0, sqrt ((double) W * H) * 0.0165);
  m = c->margin >= 0 ? c->margin : (int) floor (layout->text_px * 1.1 + 0.5);
  layout->margin = m;
  small_gap = layout->text_px * 0.4;
  gap = m > 0 ? MAX (2, m / 2) : 0;

  /* The text wraps to the imagery's width, which depends on the text's height: a few rounds
   * until they agree. */
  for (int pass = 0, text_w = MAX (W - 2 * m, 1), last_w = -1; pass < 4 && text_w != last_w; pass++)
    {
      last_w = text_w;
      place_blocks (self, cr, frame, layout, text_w, &top, &bottom);
      iw = MAX (W - 2 * m, 1);
      ih = MAX (bottom - top, 1);
      if (frame->kind == SL_LAYOUT_SIDE_BY_SIDE)
        cols = MIN (n, 2), rows = 1;
      else if (frame->kind == SL_LAYOUT_STACKED)
        cols = 1, rows = MIN (n, 2);
      else if (frame->kind == SL_LAYOUT_GRID)
        grid_shape (n, c->grid_columns, aspect, iw, ih, gap, &cols, &rows);
      pw = MAX ((iw - (int) (cols - 1) * gap) / (int) cols, 1);
      ph = MAX ((ih - (int) (rows - 1) * gap) / (int) rows, 1);
      /* An area (not a view) is shown whole and no more: the panels take its shape. */
      if (aspect > 0)
        {
          if (pw / aspect <= ph)
            ph = MAX ((int) floor (pw / aspect + 0.5), 1);
          else
            pw = MAX ((int) floor (ph * aspect + 0.5), 1);
        }
      text_w = (int) (cols * pw + (cols - 1) * gap);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (scratch);

  layout->image_w = (int) (cols * pw + (cols - 1) * gap);
  layout->image_h = (int) (rows * ph + (rows - 1) * gap);
  layout->image_x = m + (iw - layout->image_w) / 2;
  layout->image_y = top + (ih - layout->image_h) / 2;
  /* The text hugs the imagery: title above it, credit and caption right under it. */
  layout->text_x = layout->image_x;
  if (layout->title_y > 0 || (frame->text && c->title && *c->title))
    layout->title_y = layout->image_y - (top - m);
  layout->credit_y = layout->image_y + layout->image_h + small_gap;
  layout->caption_y = layout->credit_h > 0 ? layout->credit_y + layout->credit_h + small_gap : layout->credit_y;

  layout->n_panels = one ? 1 : MIN (n, cols * rows);
  for (guint i = 0; i < layout->n_panels; i++)
    {
      SlComposerPanel *p = &layout->panels[i];
      guint col = i % cols, row = i / cols;

      p->x = layout->image_x + (int) col * (pw + gap);
      p->y = layout->image_y + (int) row * (ph + gap);
      p->w = pw;
      p->h = ph;
      p->scene = frame->scenes[MIN (i, frame->n_scenes - 1)];
      p->scene_b = frame->kind == SL_LAYOUT_SWIPE && frame->n_scenes > 1 ? frame->scenes[1] : p->scene;
      place_area (self, p);
    }
  if (frame->kind == SL_LAYOUT_SWIPE)
    {
      const SlComposerPanel *p = &layout->panels[0];

      layout->divider_px = c->horizontal ? p->y + floor (frame->divider * p->h + 0.5)
                                         : p->x + floor (frame->divider * p->w + 0.5);
    }
}

/* The site point under output point (@ox, @oy) of panel @p, clamped to the panel. */
static void
panel_to_site (SlComposer            *self,
               const SlComposerPanel *p,
               double                 ox,
               double                 oy,
               double                *sx,
               double                *sy)
{
  g_autoptr(SlViewport) viewport = sl_viewport_new ();

  sl_viewport_set_grid (viewport, self->grid);
  sl_viewport_set_resolution (viewport, p->resolution);
  sl_viewport_set_center (viewport, p->center_x, p->center_y);
  sl_viewport_widget_to_site (viewport, p->w, p->h, CLAMP (ox - p->x, 0, p->w), CLAMP (oy - p->y, 0, p->h), sx, sy);
}

gboolean
sl_composer_pick_area (SlComposer *self,
                       double      x0,
                       double      y0,
                       double      x1,
                       double      y1,
                       SlBounds   *bounds)
{
  SlComposerFrame frame;
  SlComposerLayout layout;
  const SlComposerPanel *panel = NULL;
  double ax, ay, bx, by, best = G_MAXDOUBLE;

  g_return_val_if_fail (SL_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  /* The layout sl_composer_render draws at the composer's own size. */
  _sl_composer_default_frame (self, &frame);
  _sl_composer_layout (self, &frame, &layout);
  for (guint i = 0; i < layout.n_panels; i++)
    {
      const SlComposerPanel *p = &layout.panels[i];
      double dx = MAX (0, MAX (p->x - x0, x0 - (p->x + p->w))), dy = MAX (0, MAX (p->y - y0, y0 - (p->y + p->h)));

      if (dx * dx + dy * dy < best)
        {
          best = dx * dx + dy * dy;
          panel = p;
        }
    }
  if (panel == NULL)
    return FALSE;
  panel_to_site (self, panel, x0, y0, &ax, &ay);
  panel_to_site (self, panel, x1, y1, &bx, &by);
  *bounds = (SlBounds) { MIN (ax, bx), MIN (ay, by), MAX (ax, bx), MAX (ay, by) };
  return bounds->max_x > bounds->min_x && bounds->max_y > bounds->min_y;
}

