/* sl-compare-view-private.h — SlCompareView's fields and the helpers its files share
 *
 * sl-compare-view.c        state, scenes, panes, timers, actions
 * sl-compare-view-layout.c the panes' cells and their date labels
 * sl-compare-view-paint.c  the snapshot: composing the panes, the divider and its handle
 * sl-compare-view-input.c  dragging the divider, holding B
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-annotation-layer.h"
#include "sl-compare-view.h"

G_BEGIN_DECLS

/* Logical pixels between grid panes. */
#define SL_COMPARE_GRID_GAP 2
/* How near the divider (logical px) a press grabs it. */
#define SL_COMPARE_DIVIDER_GRAB 10

struct _SlCompareView
{
  GtkWidget       parent_instance;

  SlTileCache    *cache;
  SlViewport     *viewport;
  GListModel     *scenes;
  GArray         *scene_ids;   /* gint64, of scenes, in order */
  SlCompareState  state;

  SlSceneView    *panes[SL_COMPARE_MAX_PANES];
  /* Each pane's annotations, drawn right after it inside the same clip. */
  SlAnnotationLayer *layers[SL_COMPARE_MAX_PANES];
  gboolean        show_other_annotations;
  GtkWidget      *labels[SL_COMPARE_MAX_PANES];
  gint64          shown[SL_COMPARE_MAX_PANES];  /* the scene each pane shows */
  SlSceneView    *pointer_pane;                  /* the pane with the pointer, or NULL */

  guint           blink_id;
  gboolean        blink_b;     /* blink: B is showing */
  gboolean        holding_b;   /* B is held down: B shows alone */
  guint           play_id;

  /* sl-compare-view-input.c */
  GtkWidget      *menu;        /* the pane menu (right click): which date a pane shows */
  gboolean        dragging_divider;
  double          drag_start;  /* the divider's position when the drag began */
  gboolean        near_divider;

  /* Durations (µs) of the last snapshots, for the frame figures. */
  gint64          snapshot_times[240];
  guint           n_snapshots;
};

/* sl-compare-view.c */
/* Whether the mode shows two panes over each other (swipe, blend, blink, difference). */
gboolean  _sl_compare_view_is_overlay       (SlCompareView *self);
/* The panes drawn now: all the grid's, both overlaid ones, or one. */
guint     _sl_compare_view_n_panes          (SlCompareView *self);
/* Which overlaid pane shows in blink mode (or while B is held): 0 or 1; -1 both. */
int       _sl_compare_view_solo_pane        (SlCompareView *self);
/* The divider, in logical px from the left (or top). */
double    _sl_compare_view_divider_px       (SlCompareView *self);

/* Each layer's date, the other date it outlines, and where it takes input (its visible part). */
void      _sl_compare_view_update_layers    (SlCompareView *self);

/* sl-compare-view-layout.c */
/* The labels' texts and visibility, for the panes shown now. */
void      _sl_compare_view_update_labels    (SlCompareView *self);
void      _sl_compare_view_size_allocate    (GtkWidget     *widget,
                                             int            width,
                                             int            height,
                                             int            baseline);
void      _sl_compare_view_measure          (GtkWidget     *widget,
                                             GtkOrientation orientation,
                                             int            for_size,
                                             int           *minimum,
                                             int           *natural,
                                             int           *minimum_baseline,
                                             int           *natural_baseline);

/* sl-compare-view-paint.c */
void      _sl_compare_view_snapshot         (GtkWidget     *widget,
                                             GtkSnapshot   *snapshot);

/* sl-compare-view-input.c */
void      _sl_compare_view_init_input       (SlCompareView *self);
void      _sl_compare_view_class_init_input (GtkWidgetClass *widget_class);
/* The pane menu of the pane at (@x, @y), as a menu model (for tests too). */
GMenuModel *_sl_compare_view_build_pane_menu (SlCompareView *self,
                                              double         x,
                                              double         y);
/* The pane shown at (@x, @y): a grid cell, or a swipe's side; -1 over several or none. */
int       _sl_compare_view_pane_at          (SlCompareView *self,
                                             double         x,
                                             double         y);

/* For tests and figures: durations of the last snapshots in µs, in no order. */
guint     _sl_compare_view_get_snapshot_times (SlCompareView *self,
                                               const gint64 **times);
/* For tests: the text of pane @index's label. */
const char *_sl_compare_view_get_label      (SlCompareView *self,
                                             guint          index);

G_END_DECLS
