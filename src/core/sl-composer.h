/* sl-composer.h — publication graphics of a comparison: layout, labels, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "sl-compare-state.h"
#include "sl-project.h"
#include "sl-site-grid.h"
#include "sl-tile-cache.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

#define SL_COMPOSER_ERROR (sl_composer_error_quark ())

typedef enum
{
  SL_COMPOSER_ERROR_INVALID,    /* a composition that cannot be drawn: no or unknown scenes, bad values */
  SL_COMPOSER_ERROR_TOO_LARGE,  /* beyond SL_COMPOSER_MAX_SIDE or SL_COMPOSER_MAX_PIXELS */
  SL_COMPOSER_ERROR_FONT,       /* the font family is not installed; the message names it */
  SL_COMPOSER_ERROR_WRITE,      /* the destination cannot be written; names the folder or file */
  SL_COMPOSER_ERROR_FORMAT,     /* a format this build cannot write, or an unknown extension */
  SL_COMPOSER_ERROR_IMAGERY,    /* the imagery of a panel could not be read */
} SlComposerError;

/* Exports larger than this are refused (memory: an ARGB image of the output is held). */
#define SL_COMPOSER_MAX_SIDE   16384
#define SL_COMPOSER_MAX_PIXELS 200000000
/* Dates of a grid. */
#define SL_COMPOSITION_MAX_SCENES 16

typedef enum
{
  SL_LAYOUT_SWIPE,         /* scenes[0] (A) left of / above the divider, scenes[1] (B) beyond it */
  SL_LAYOUT_SIDE_BY_SIDE,  /* A | B */
  SL_LAYOUT_STACKED,       /* A over B */
  SL_LAYOUT_GRID,          /* every scene, in reading order, grid_columns (0: about square) */
  SL_LAYOUT_SINGLE,        /* scenes[0] */
} SlLayout;

typedef enum
{
  SL_CORNER_TOP_LEFT,
  SL_CORNER_TOP_RIGHT,
  SL_CORNER_BOTTOM_LEFT,
  SL_CORNER_BOTTOM_RIGHT,
} SlCorner;

typedef enum
{
  SL_THEME_LIGHT,
  SL_THEME_DARK,
} SlTheme;

typedef enum
{
  SL_AREA_SITE,    /* every chosen scene's footprint, fitted into each panel */
  SL_AREA_BOUNDS,  /* @bounds (site coordinates), fitted into each panel: a rectangle drawn on
                    * the image, or --area */
  SL_AREA_VIEW,    /* centred on (@center_x, @center_y) at @resolution site units per output
                    * pixel: the GUI's current view (sl_composition_set_view), or --center/--zoom */
} SlAreaKind;

typedef enum
{
  SL_ANIMATION_TIMELAPSE,  /* one frame per scene, a single panel with its date burned in */
  SL_ANIMATION_SWEEP,      /* a swipe of scenes[0] and [1] whose divider sweeps across */
} SlAnimationKind;

typedef enum
{
  SL_EXPORT_PNG,
  SL_EXPORT_JPEG,
  SL_EXPORT_PDF,
  SL_EXPORT_SVG,
  SL_EXPORT_HTML,   /* a self-contained before/after slider of scenes[0] and [1] */
  SL_EXPORT_WEBP,   /* animated, see SlAnimationKind */
  SL_EXPORT_GIF,
  SL_EXPORT_N_FORMATS
} SlExportFormat;

/* What a graphic shows and how: a value type (copy it with sl_composition_copy), stored as
 * JSON in presets. Strings are owned (g_free), NULL means the default. Sizes, widths and
 * margins are in output pixels (device pixels of the exported image; for PDF/SVG, 1 px is
 * 1/dpi inch when a size in millimetres is given, else 1 pt). */
typedef struct
{
  SlLayout         layout;
  guint            n_scenes;
  gint64           scene_ids[SL_COMPOSITION_MAX_SCENES];  /* in panel order */
  guint            grid_columns;       /* 0: automatic */

  SlAreaKind       area;
  SlBounds         bounds;             /* SL_AREA_BOUNDS */
  double           center_x, center_y; /* SL_AREA_VIEW */
  double           resolution;         /* SL_AREA_VIEW: site units per output pixel */

  int              width, height;      /* output pixels, used when width_mm is 0 */
  double           width_mm, height_mm;/* > 0: print size … */
  double           dpi;                /* … at this resolution (default 300) */

  double           divider;            /* swipe: 0–1 of the imagery's width (or height) */
  gboolean         horizontal;         /* swipe: a horizontal divider, A above */
  char            *divider_colour;     /* "#rrggbb[aa]", NULL: white */
  double           divider_width;      /* 0: automatic */
  gboolean         divider_handle;     /* a round grip in the middle of the divider */

  gboolean         show_dates;
  char            *date_format;        /* g_date_time_format () syntax; NULL: "%-d %B %Y" */
  SlCorner         date_corner;
  char            *title;              /* NULL or "": none */
  char            *caption;
  char            *credit;             /* NULL: the scenes' credits, joined, de-duplicated;
                                        * "": none */
  gboolean         scale_bar;          /* drawn only for a site with a CRS */
  gboolean         north_arrow;        /* true north (grid convergence); only with a CRS */
  gboolean         annotations;
  guint            n_classes;          /* > 0: only annotations of these classes */
  gint64          *class_ids;

  int              margin;             /* around and between panels; −1: automatic */
  SlTheme          theme;
  char            *background;         /* NULL: the theme's; "#rrggbb[aa]" or "none" */
  char            *font_family;        /* NULL: "Sans" */
  int              jpeg_quality;       /* 1–100 */

  SlAnimationKind  animation;
  int              frame_ms;           /* per frame; 0: 1000 (time-lapse) or 40 (sweep) */
  int              sweep_frames;       /* 0: 48 */
} SlComposition;

#define SL_TYPE_COMPOSITION (sl_composition_get_type ())
GType          sl_composition_get_type     (void) G_GNUC_CONST;

/* Swipe at 0.5, site area, 1600 × 1200, dates top-left, scale bar, north arrow and
 * annotations on, automatic margins, light theme, JPEG quality 90, no scenes. */
SlComposition *sl_composition_new          (void);
SlComposition *sl_composition_copy         (const SlComposition *self);
void           sl_composition_free         (SlComposition       *self);
/* Scenes and layout from the GUI's comparison: single → single (the current date), swipe →
 * swipe (A, B, divider, orientation), grid → grid of its panes, blend, blink and difference →
 * side by side of A and B. @scene_ids are the scenes shown, by date. */
void           sl_composition_set_from_compare_state (SlComposition        *self,
                                                      const SlCompareState *state,
                                                      const gint64         *scene_ids,
                                                      guint                 n_scenes);
/* SL_AREA_VIEW showing what @viewport shows in a pane of @pane_width × @pane_height logical
 * pixels, scaled to the output width. */
void           sl_composition_set_view     (SlComposition       *self,
                                            SlViewport          *viewport,
                                            int                  pane_width,
                                            int                  pane_height);
void           sl_composition_set_scenes   (SlComposition       *self,
                                            const gint64        *scene_ids,
                                            guint                n_scenes);
/* Replaces a string member, e.g. sl_composition_set_string (c, &c->title, "…"). */
void           sl_composition_set_string   (SlComposition       *self,
                                            char               **member,
                                            const char          *value);
/* The output size in pixels (from millimetres and DPI when given). */
void           sl_composition_get_pixel_size (const SlComposition *self,
                                              int                 *width,
                                              int                 *height);

char          *sl_composition_to_json      (const SlComposition *self);
/* Missing members keep the defaults of sl_composition_new (); unknown ones are ignored.
 * FALSE + error (SL_COMPOSER_ERROR_INVALID) for text that is not a JSON object or a value
 * of the wrong kind. */
SlComposition *sl_composition_new_from_json (const char         *json,
                                             GError            **error);

const char    *sl_layout_to_string         (SlLayout             layout);
/* "swipe", "side-by-side", "stacked", "grid", "single". */
gboolean       sl_layout_from_string       (const char          *text,
                                            SlLayout            *layout);
const char    *sl_export_format_to_string  (SlExportFormat       format);
/* From a name or a path's extension: png, jpg/jpeg, pdf, svg, html/htm, webp, gif. */
gboolean       sl_export_format_from_path  (const char          *path,
                                            SlExportFormat      *format);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlComposition, sl_composition_free)

/* An immutable plan for one SlComposition: made on the main thread (it reads the project's
 * scenes, classes and annotations, resolves the credit line, the north and the font), then
 * drawn or exported from any thread, several at once if need be: the imagery comes from the
 * tile cache's blocking path (sl_scene_render_view: the tiles of the requested area at the
 * output's resolution, never the whole source), the text and annotations are drawn as vectors
 * (pango, SlAnnotationPainter) on top, so they stay vectors in PDF and SVG. The GUI's preview
 * and `sitelapse-cli render` use the same plan. Make a new one when the composition changes. */
#define SL_TYPE_COMPOSER (sl_composer_get_type ())
G_DECLARE_FINAL_TYPE (SlComposer, sl_composer, SL, COMPOSER, GObject)

typedef void (*SlComposerProgress) (double   fraction,
                                    gpointer user_data);

GQuark               sl_composer_error_quark     (void);

/* Main thread. Fails for unknown scenes, a layout without enough scenes, a size beyond the
 * limits, a font family that is not installed. */
SlComposer          *sl_composer_new             (SlProject           *project,
                                                  SlTileCache         *cache,
                                                  const SlComposition *composition,
                                                  GError             **error);
const SlComposition *sl_composer_get_composition (SlComposer          *self);
/* The output size in pixels. */
/* The site area under a rectangle of the graphic (output pixels, corners in any order): the
 * panel where (@x0, @y0) lies, or the nearest, and the rectangle clamped to it. FALSE when it
 * covers no area. For a rectangle dragged on a preview of the graphic. */
gboolean             sl_composer_pick_area       (SlComposer          *self,
                                                  double               x0,
                                                  double               y0,
                                                  double               x1,
                                                  double               y1,
                                                  SlBounds            *bounds);
void                 sl_composer_get_size        (SlComposer          *self,
                                                  int                 *width,
                                                  int                 *height);
/* The credit line drawn (the composition's, or the scenes' joined); may be "". */
const char          *sl_composer_get_credit      (SlComposer          *self);
/* The date label of scene @index of the composition, formatted. */
char                *sl_composer_format_date     (SlComposer          *self,
                                                  guint                index);
/* Degrees from grid north (up) to true north, clockwise; FALSE without a CRS. */
gboolean             sl_composer_get_north       (SlComposer          *self,
                                                  double              *degrees);

/* Draws the whole graphic into @cr (an image, PDF or SVG surface) filling @width × @height
 * user units: the layout of the output size, scaled (a preview draws at its own size, its
 * imagery read at the preview's resolution). Blocking (tiles). */
gboolean             sl_composer_render          (SlComposer          *self,
                                                  cairo_t             *cr,
                                                  int                  width,
                                                  int                  height,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* Writes the graphic to @path in @format, any thread but a GUI's main one: into a temporary
 * file in @path's folder, renamed over @path at the end, so a failure or cancellation leaves
 * nothing behind. HTML, WebP and GIF go through sl-export-html / sl-export-animation.
 * @progress (may be NULL) is called on the calling thread. */
gboolean             sl_composer_export          (SlComposer          *self,
                                                  const char          *path,
                                                  SlExportFormat       format,
                                                  SlComposerProgress   progress,
                                                  gpointer             user_data,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* The same on a worker thread; @progress is called on the caller's main context. */
void                 sl_composer_export_async    (SlComposer          *self,
                                                  const char          *path,
                                                  SlExportFormat       format,
                                                  SlComposerProgress   progress,
                                                  gpointer             progress_data,
                                                  GDestroyNotify       progress_data_free,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean             sl_composer_export_finish   (SlComposer          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
