/* sl-compare-view.h — the dates of a site side by side, swiped, blended, blinked or differenced
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-annotation-layer.h"
#include "sl-compare-state.h"
#include "sl-scene-view.h"

G_BEGIN_DECLS

/* Up to four SlSceneView panes that all follow one SlViewport, composed as the
 * SlCompareState says: one pane (single), a grid, or two panes stacked over the whole area
 * and composed in the snapshot (swipe: each clipped to its side of the divider; blend: B with
 * an opacity; blink: one of them; difference: a GSK difference blend with a colour-matrix
 * gain). Every pane draws its own neutral ground where its scene has no data, so a date never
 * shows through another. Each pane is labelled with its date and credit.
 *
 * The scenes come from "scenes" (a GListModel of SlScene in date order: the visible ones);
 * the state picks among them. Actions (group "compare"): compare.cycle-mode (C),
 * compare.swap-dates (X), compare.toggle-orientation (Shift+C), compare.divider-left ([),
 * compare.divider-right (]), compare.next-date (D, Page Down), compare.previous-date (A,
 * Page Up), compare.play (Space), compare.mode (s); holding B shows B in blink mode. */
#define SL_TYPE_COMPARE_VIEW (sl_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (SlCompareView, sl_compare_view, SL, COMPARE_VIEW, GtkWidget)

GtkWidget   *sl_compare_view_new            (void);

void         sl_compare_view_set_cache      (SlCompareView        *self,
                                             SlTileCache          *cache);
SlTileCache *sl_compare_view_get_cache      (SlCompareView        *self);
void         sl_compare_view_set_viewport   (SlCompareView        *self,
                                             SlViewport           *viewport);
SlViewport  *sl_compare_view_get_viewport   (SlCompareView        *self);
/* SlScene items, date order. */
void         sl_compare_view_set_scenes     (SlCompareView        *self,
                                             GListModel           *scenes);

/* The whole state (a copy, with the viewport's view); setting it emits "state-changed" when
 * it changed. Its view, when it has one, moves the viewport there (no pane fits it then). */
void         sl_compare_view_get_state      (SlCompareView        *self,
                                             SlCompareState       *state);
void         sl_compare_view_set_state      (SlCompareView        *self,
                                             const SlCompareState *state);

SlCompareMode sl_compare_view_get_mode      (SlCompareView        *self);
void         sl_compare_view_set_mode       (SlCompareView        *self,
                                             SlCompareMode         mode);
/* The current date's scene (the timeline's and sidebar's), 0: the latest. */
gint64       sl_compare_view_get_current    (SlCompareView        *self);
void         sl_compare_view_set_current    (SlCompareView        *self,
                                             gint64                scene_id);
/* The scene pane @index shows now (0 when none). */
gint64       sl_compare_view_get_pane_scene (SlCompareView        *self,
                                             guint                 index);
/* Pins pane @index of the mode shown (a grid pane, or A or B) to @scene_id (0: follow the
 * current date again). */
void         sl_compare_view_pin_pane       (SlCompareView        *self,
                                             guint                 index,
                                             gint64                scene_id);
/* In the two-date modes, the date compared with the current one (0 in the others). */
gint64       sl_compare_view_get_secondary  (SlCompareView        *self);

void         sl_compare_view_set_swipe      (SlCompareView        *self,
                                             double                position);
void         sl_compare_view_set_opacity    (SlCompareView        *self,
                                             double                opacity);
void         sl_compare_view_set_gain       (SlCompareView        *self,
                                             double                gain);
void         sl_compare_view_set_grid_count (SlCompareView        *self,
                                             guint                 count);
void         sl_compare_view_set_playing    (SlCompareView        *self,
                                             gboolean              playing);
gboolean     sl_compare_view_get_playing    (SlCompareView        *self);

/* While B is held, in the modes that overlay two dates, B shows alone. */
void         sl_compare_view_hold_b         (SlCompareView        *self,
                                             gboolean              held);

/* The pane that has the pointer, else the first one. */
SlSceneView *sl_compare_view_get_active_pane (SlCompareView       *self);
SlSceneView *sl_compare_view_get_pane       (SlCompareView        *self,
                                             guint                 index);
/* Every pane shown has its tiles (for screenshots and tests). */
gboolean     sl_compare_view_is_settled     (SlCompareView        *self);
/* The site point under the pointer in whichever pane has it. */
gboolean     sl_compare_view_get_pointer    (SlCompareView        *self,
                                             double               *site_x,
                                             double               *site_y);

/* Annotations (sl-compare-view-annotations.c): every pane's layer draws and edits the
 * annotations of its date in @store through @undo. */
void         sl_compare_view_set_annotations (SlCompareView       *self,
                                             SlAnnotationStore    *store,
                                             SlClassSet           *classes,
                                             SlUndoStack          *undo);
SlAnnotationLayer *sl_compare_view_get_layer (SlCompareView       *self,
                                             guint                 index);
/* The layer under the pointer, else the current date's: where keyboard commands go. */
SlAnnotationLayer *sl_compare_view_get_active_layer (SlCompareView *self);
/* Outlines the other date's annotations in each pane. */
void         sl_compare_view_set_show_other_annotations (SlCompareView *self,
                                             gboolean              show);
gboolean     sl_compare_view_get_show_other_annotations (SlCompareView *self);
/* Read-only overlays (SlReferenceLayer *) drawn in every pane under the annotations. */
void         sl_compare_view_set_reference_layers (SlCompareView  *self,
                                             GPtrArray            *layers);
/* The scene shown at (@x, @y) in the view's coordinates: the grid cell's, the swipe side's,
 * in blend and difference the current date's; 0 when none is there. */
gint64       sl_compare_view_get_scene_at   (SlCompareView        *self,
                                             double                x,
                                             double                y);

G_END_DECLS
