/* sl-timeline-private.h — SlTimeline's fields and the helpers its source files share
 *
 * sl-timeline.c         properties, the model, input, the hover popup, accessibility
 * sl-timeline-layout.c  where marks, ticks and labels go, and drawing them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-scene.h"
#include "sl-timeline.h"

G_BEGIN_DECLS

/* The strip's height in logical pixels. */
#define SL_TIMELINE_HEIGHT 56

typedef struct
{
  gint64   scene_id;
  SlScene *scene;     /* owned */
  gint64   time;      /* acquisition, seconds since 1970 (UTC) */
  double   x;         /* its time on the axis */
  double   mx;        /* where its mark is drawn: x, moved apart from marks too close */
} SlTimelineMark;

typedef enum
{
  SL_TIMELINE_LABEL_TICK,
  SL_TIMELINE_LABEL_CURRENT,
  SL_TIMELINE_LABEL_SECONDARY,
  SL_TIMELINE_LABEL_DATE,      /* the only scene's date, when it is not current */
  SL_TIMELINE_LABEL_TOTAL,
} SlTimelineLabelKind;

typedef struct
{
  SlTimelineLabelKind kind;
  char               *text;
  double              x, y;           /* top-left, logical pixels */
  double              width, height;
} SlTimelineLabel;

struct _SlTimeline
{
  GtkWidget          parent_instance;

  GListModel        *model;
  gulong             items_changed_id;
  SlSceneThumbnails *thumbnails;
  gulong             thumbnail_ready_id;
  gint64             current;
  gint64             secondary;
  GHashTable        *totals;         /* gint64 * → GUINT_TO_POINTER (count) */
  GArray            *marks;          /* SlTimelineMark, by time */

  /* sl-timeline-layout.c: valid for layout_width × layout_height. */
  gboolean           layout_valid;
  int                layout_width;
  int                layout_height;
  double             axis_y;
  double             axis_x0;
  double             axis_x1;
  double             spacing;        /* between neighbouring marks */
  double             bars_top;       /* where totals bars may reach up to */
  GArray            *ticks;          /* double x */
  GArray            *labels;         /* SlTimelineLabel, in drawing order */
  int                tick_step;      /* index into the table of tick steps */

  /* sl-timeline.c: pointer and hover popup. */
  gint64             hovered;
  GtkWidget         *popup;          /* owned: reused by every query-tooltip */
  GtkStack          *popup_stack;
  GtkPicture        *popup_picture;
  GtkLabel          *popup_title;
  GtkLabel          *popup_date;
  gint64             popup_scene;
};

/* sl-timeline-layout.c */
void               _sl_timeline_invalidate_layout (SlTimeline     *self);
/* Lays the strip out for its current size (nothing when it has none). */
void               _sl_timeline_ensure_layout     (SlTimeline     *self);
void               _sl_timeline_snapshot          (GtkWidget      *widget,
                                                   GtkSnapshot    *snapshot);
void               _sl_timeline_clear_labels      (SlTimeline     *self);
/* "14 Mar 2022" (with the time when another scene shares the day). */
char              *_sl_timeline_format_mark_date  (SlTimeline     *self,
                                                   guint           index);

/* sl-timeline.c */
/* The index of @scene_id's mark, -1 if it has none. */
int                _sl_timeline_find_mark         (SlTimeline     *self,
                                                   gint64          scene_id);

/* For tests, and the click and hover handlers: the scene whose mark is nearest to @x
 * (widget coordinates) within reach of a pointer, 0 if none. */
gint64             _sl_timeline_scene_at          (SlTimeline     *self,
                                                   double          x);
/* For tests: where @scene_id's time falls on the axis, and where its mark is drawn. */
gboolean           _sl_timeline_get_mark_x        (SlTimeline     *self,
                                                   gint64          scene_id,
                                                   double         *axis_x,
                                                   double         *mark_x);
/* For tests: the labels drawn (ticks, dates, totals). */
const SlTimelineLabel *_sl_timeline_get_labels    (SlTimeline     *self,
                                                   guint          *n_labels);
/* For tests: fills the hover popup for @x as query-tooltip does; the scene shown (0: none). */
gint64             _sl_timeline_fill_popup        (SlTimeline     *self,
                                                   double          x);
GtkPicture        *_sl_timeline_get_popup_picture (SlTimeline     *self);

G_END_DECLS
