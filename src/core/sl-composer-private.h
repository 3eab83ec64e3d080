/* sl-composer-private.h — internals shared by the composer's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

#include "sl-composer.h"

G_BEGIN_DECLS

#define SL_COMPOSER_MAX_PANELS SL_COMPOSITION_MAX_SCENES

/* What a plan knows of one scene of the composition, read on the main thread. */
typedef struct
{
  gint64      id;
  char       *date_label;   /* formatted with the composition's date format */
  GPtrArray  *annotations;  /* SlAnnotation *, the class filter applied; NULL when off */
} SlComposerScene;

typedef struct
{
  gint64  id;
  char   *colour;
  char   *name;
} SlComposerKind;

struct _SlComposer
{
  GObject          parent_instance;

  SlComposition   *composition;
  SlTileCache     *cache;
  SlSiteGrid      *grid;
  int              width, height;     /* output pixels */
  GArray          *scenes;            /* SlComposerScene, in composition order */
  GArray          *classes;           /* SlComposerKind */
  char            *credit;
  SlBounds         site;              /* the chosen scenes' footprints */
  gboolean         has_crs;
  double           metres_per_unit;   /* 0: not a length (pixel space) */
  gboolean         has_north;
  double           north_degrees;     /* clockwise from up */
};

/* A panel: one rectangle of imagery in output pixels, and what it shows. */
typedef struct
{
  int     x, y, w, h;
  guint   scene;        /* index into the plan's scenes */
  guint   scene_b;      /* swipe: the scene beyond the divider (== scene otherwise) */
  double  center_x, center_y, resolution;   /* site units per output pixel */
} SlComposerPanel;

/* What one drawing shows: the composition's own, or a variant for HTML panels and
 * animation frames. Scenes are indices into the plan's scenes. */
typedef struct
{
  SlLayout  kind;
  guint     n_scenes;
  guint     scenes[SL_COMPOSER_MAX_PANELS];
  double    divider;
  gboolean  dates;      /* date labels burned in */
  gboolean  text;       /* title, caption, credit */
} SlComposerFrame;

/* The whole graphic in output pixels. Computed from the plan, the frame and the output size
 * only, so a preview and the export place everything alike. */
typedef struct
{
  int              width, height;
  double           text_px;       /* body text size */
  int              margin;
  guint            n_panels;
  SlComposerPanel  panels[SL_COMPOSER_MAX_PANELS];
  int              image_x, image_y, image_w, image_h;  /* the panels' union */
  double           title_y, credit_y, caption_y;        /* tops of the text blocks */
  int              text_x, text_w;                      /* the text column */
  double           credit_h;
  double           divider_px;    /* swipe: the divider's column (or row), output pixels */
} SlComposerLayout;

/* sl-composer-layout.c */
void      _sl_composer_default_frame  (SlComposer          *self,
                                       SlComposerFrame     *frame);
void      _sl_composer_layout         (SlComposer          *self,
                                       const SlComposerFrame *frame,
                                       SlComposerLayout    *layout);
/* A PangoLayout of @text for @cr in the plan's font at @size_px, @weight, wrapped to @width
 * (≤ 0: no wrapping). */
PangoLayout *_sl_composer_text        (SlComposer          *self,
                                       cairo_t             *cr,
                                       const char          *text,
                                       double               size_px,
                                       PangoWeight          weight,
                                       int                  width);
/* The background (alpha 0: none) and text colours of the theme. */
void      _sl_composer_theme_colours  (SlComposer          *self,
                                       double               background[4],
                                       double               text[4]);
gboolean  _sl_composer_parse_colour   (const char          *text,
                                       double               rgba[4]);

/* sl-composer-decorations.c */
/* Scale (metres per site unit) and true north at (@x, @y) from the site CRS (@wkt, NULL:
 * pixel space, neither). */
void      _sl_composer_measure_crs    (SlComposer          *self,
                                       const char          *wkt,
                                       double               x,
                                       double               y);
/* Title, caption and credit line around the imagery. */
void      _sl_composer_draw_text      (SlComposer          *self,
                                       cairo_t             *cr,
                                       const SlComposerFrame *frame,
                                       const SlComposerLayout *layout);
/* Date labels, scale bar, north arrow and the swipe's divider over the imagery. */
void      _sl_composer_draw_overlays  (SlComposer          *self,
                                       cairo_t             *cr,
                                       const SlComposerFrame *frame,
                                       const SlComposerLayout *layout);

/* sl-composer-output.c */
/* Gives an opaque @image its JPEG encoding (the composition's quality) as mime data, so PDF
 * and SVG surfaces embed that instead of compressing the pixels themselves (several times
 * faster, and smaller). Images with any transparency are left alone. */
void      _sl_composer_attach_jpeg    (SlComposer          *self,
                                       cairo_surface_t     *image);

/* sl-composer.c */
/* Draws @frame into @cr filling @width × @height user units (see sl_composer_render). */
gboolean  _sl_composer_render_frame   (SlComposer          *self,
                                       cairo_t             *cr,
                                       int                  width,
                                       int                  height,
                                       const SlComposerFrame *frame,
                                       GCancellable        *cancellable,
                                       GError             **error);

G_END_DECLS
