/* sl-compare-state.h — how a project's dates are compared: mode, dates, divider, view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SL_COMPARE_SINGLE,      /* one date, stepped or played back */
  SL_COMPARE_GRID,        /* 2–4 synchronized panes */
  SL_COMPARE_SWIPE,       /* two dates, a divider between them */
  SL_COMPARE_BLEND,       /* the second date over the first, with an opacity */
  SL_COMPARE_BLINK,       /* the two dates alternate */
  SL_COMPARE_DIFFERENCE,  /* |first − second| per pixel, with a gain */
  SL_COMPARE_N_MODES
} SlCompareMode;

#define SL_COMPARE_MAX_PANES 4

/* What an overlaid pane shows: a fixed scene (scene_id > 0), or the scene @offset dates from
 * the current one among the scenes shown (scene_id 0; offset −1: the previous date). */
typedef struct
{
  gint64 scene_id;
  int    offset;
} SlPaneBinding;

/* A value type, stored as JSON in the project (sl_site.view_state), so reopening a project
 * shows the same comparison. Single mode shows the current date. Swipe, blend, blink and
 * difference compare pane 0 ("A": left or top, the base; by default the previous date) with
 * pane 1 ("B": right or bottom, the one on top; by default the current date). The grid's
 * panes show, in reading order, the dates up to the current one, each unless pinned to a
 * scene. */
typedef struct
{
  SlCompareMode  mode;
  gint64         current;        /* the current date's scene (0: the latest) */
  SlPaneBinding  pair[2];        /* A and B */
  gint64         grid[SL_COMPARE_MAX_PANES]; /* pinned scenes of the grid's panes (0: follow) */
  guint          grid_count;     /* 2–4 */
  double         swipe;          /* the divider, 0–1 of the width (or height) */
  gboolean       swipe_horizontal; /* a horizontal divider: A above, B below */
  double         opacity;        /* blend: B's opacity, 0–1 */
  double         blink_hz;       /* blink: alternations per second */
  double         gain;           /* difference: the factor, 1–16 */
  double         play_fps;       /* single mode playback: dates per second */
  gboolean       has_view;       /* the fields below hold a view */
  double         center_x;       /* site coordinates */
  double         center_y;
  double         resolution;     /* site units per logical pixel */
} SlCompareState;

/* Single mode, A the previous date and B the current one, divider in the middle. */
void           sl_compare_state_init      (SlCompareState       *self);
char          *sl_compare_state_to_json   (const SlCompareState *self);
/* Missing members keep their defaults, values out of range are clamped, unknown members are
 * ignored (a newer Sitelapse may add some). FALSE + error only for text that is not a JSON
 * object. */
gboolean       sl_compare_state_from_json (SlCompareState       *self,
                                           const char           *json,
                                           GError              **error);
gboolean       sl_compare_state_equal     (const SlCompareState *a,
                                           const SlCompareState *b);

/* How many panes @mode shows. */
guint          sl_compare_state_n_panes   (const SlCompareState *self);
/* The scene pane @pane shows, given the scenes shown in date order (0 when there are none).
 * A fixed scene that is not among them falls back to the current date; offsets clamp to the
 * first and last dates. */
gint64         sl_compare_state_resolve   (const SlCompareState *self,
                                           guint                 pane,
                                           const gint64         *scene_ids,
                                           guint                 n_scenes);
/* The scene @steps dates after (before, when negative) the current one, clamped. */
gint64         sl_compare_state_step      (const SlCompareState *self,
                                           int                   steps,
                                           const gint64         *scene_ids,
                                           guint                 n_scenes);

const char    *sl_compare_mode_to_string  (SlCompareMode         mode);
gboolean       sl_compare_mode_from_string (const char          *text,
                                            SlCompareMode       *mode);

G_END_DECLS
