/* sl-annotation-layer.h — a pane's annotations: drawn over its imagery, and the tools that edit them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-annotation-painter.h"
#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-reference-layer.h"
#include "sl-undo-stack.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

typedef enum
{
  SL_ANNOTATION_TOOL_SELECT,       /* V */
  SL_ANNOTATION_TOOL_POINT,        /* . or K */
  SL_ANNOTATION_TOOL_BOX,          /* R */
  SL_ANNOTATION_TOOL_ROTATED_BOX,  /* Shift+R */
  SL_ANNOTATION_TOOL_POLYGON,      /* P */
  SL_ANNOTATION_TOOL_LINE,         /* L */
  SL_ANNOTATION_N_TOOLS,
} SlAnnotationTool;

GType             sl_annotation_tool_get_type    (void) G_GNUC_CONST;
/* "select", "point", "box", "rotated-box", "polygon", "line". */
const char       *sl_annotation_tool_to_string   (SlAnnotationTool  tool);
gboolean          sl_annotation_tool_from_string (const char       *text,
                                                  SlAnnotationTool *tool);

/* Lies over one SlSceneView (same size, same SlViewport) and draws the annotations of
 * "scene-id" from "store" through one SlAnnotationPainter: it queries the store for a
 * margin around the visible area and keeps the result until the view leaves it or the store
 * changes; no widget per annotation. Another date's annotations ("ghost-scene-id") can be
 * drawn as thin outlines under them.
 *
 * The tools run on pointer events: select/move (click, Shift+click, Shift+drag for a
 * rubber band, drag to move, handles to resize and rotate), point (each click one point),
 * box (drag), rotated box (drag the long side, then move for the width and click), polygon
 * (clicks; double-click or sl_annotation_layer_finish closes; _cancel drops it) and line
 * (clicks or a drag; its length is shown). With the select tool a press on bare imagery is
 * not claimed, so the pane under the layer pans; the middle button and the wheel are never
 * taken. Every edit goes through "undo-stack"; a read-only store refuses edits and says so
 * with "message". The layer takes its input from itself, or from the widget given to
 * sl_annotation_layer_set_input_widget (the compare view, which holds panes and layers). */
#define SL_TYPE_ANNOTATION_LAYER (sl_annotation_layer_get_type ())
G_DECLARE_FINAL_TYPE (SlAnnotationLayer, sl_annotation_layer, SL, ANNOTATION_LAYER, GtkWidget)

GtkWidget         *sl_annotation_layer_new              (void);

void               sl_annotation_layer_set_store        (SlAnnotationLayer *self,
                                                         SlAnnotationStore *store);
SlAnnotationStore *sl_annotation_layer_get_store        (SlAnnotationLayer *self);
void               sl_annotation_layer_set_class_set    (SlAnnotationLayer *self,
                                                         SlClassSet        *classes);
void               sl_annotation_layer_set_undo_stack   (SlAnnotationLayer *self,
                                                         SlUndoStack       *undo);
SlUndoStack       *sl_annotation_layer_get_undo_stack   (SlAnnotationLayer *self);
void               sl_annotation_layer_set_viewport     (SlAnnotationLayer *self,
                                                         SlViewport        *viewport);
SlViewport        *sl_annotation_layer_get_viewport     (SlAnnotationLayer *self);
void               sl_annotation_layer_set_scene_id     (SlAnnotationLayer *self,
                                                         gint64             scene_id);
gint64             sl_annotation_layer_get_scene_id     (SlAnnotationLayer *self);
/* 0: none. */
void               sl_annotation_layer_set_ghost_scene_id (SlAnnotationLayer *self,
                                                         gint64             scene_id);
void               sl_annotation_layer_set_tool         (SlAnnotationLayer *self,
                                                         SlAnnotationTool   tool);
SlAnnotationTool   sl_annotation_layer_get_tool         (SlAnnotationLayer *self);
/* The class new annotations get. */
void               sl_annotation_layer_set_class_id     (SlAnnotationLayer *self,
                                                         gint64             class_id);
gint64             sl_annotation_layer_get_class_id     (SlAnnotationLayer *self);
/* Lengths in metres (a projected site) rather than site units. */
void               sl_annotation_layer_set_metric       (SlAnnotationLayer *self,
                                                         gboolean           metric);
/* FALSE hides every annotation (Shift+H). */
void               sl_annotation_layer_set_annotations_visible (SlAnnotationLayer *self,
                                                         gboolean           visible);
gboolean           sl_annotation_layer_get_annotations_visible (SlAnnotationLayer *self);
/* Read-only overlays (SlReferenceLayer *, drawing order; NULL: none) drawn under the
 * annotations, also while they are hidden. The array is referenced, not copied. */
void               sl_annotation_layer_set_reference_layers (SlAnnotationLayer *self,
                                                         GPtrArray         *layers);
/* Pointer input from @widget (NULL: the layer itself), converted to the layer's
 * coordinates; within @region only (layer coordinates; NULL: all of it). */
void               sl_annotation_layer_set_input_widget (SlAnnotationLayer *self,
                                                         GtkWidget         *widget);
void               sl_annotation_layer_set_input_region (SlAnnotationLayer *self,
                                                         const graphene_rect_t *region);

/* The pointer is over the layer's input region. */
gboolean           sl_annotation_layer_has_pointer      (SlAnnotationLayer *self);

/* The selected ids, gint64, in no order. */
GArray            *sl_annotation_layer_get_selection    (SlAnnotationLayer *self);
void               sl_annotation_layer_select           (SlAnnotationLayer *self,
                                                         const gint64      *ids,
                                                         guint              n_ids);
/* The annotations shown now (the cached query), SlAnnotation *, drawing order. */
GPtrArray         *sl_annotation_layer_get_shown        (SlAnnotationLayer *self);

/* Edits of the selection; FALSE when nothing was done (nothing selected, read-only, …). */
gboolean           sl_annotation_layer_delete_selection (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_duplicate_selection (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_copy_selection   (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_paste            (SlAnnotationLayer *self);
/* Copies the selection to @scene_id keeping each object's identity (Ctrl+B). */
gboolean           sl_annotation_layer_copy_selection_to_scene (SlAnnotationLayer *self,
                                                         gint64             scene_id);
/* Tab / Shift+Tab: the next (@step > 0) or previous object of the date, brought into view. */
gboolean           sl_annotation_layer_select_next      (SlAnnotationLayer *self,
                                                         int                step);
gboolean           sl_annotation_layer_frame_selection  (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_hide_selection   (SlAnnotationLayer *self);
/* Locks the selection, or unlocks it when all of it is locked. */
gboolean           sl_annotation_layer_toggle_lock      (SlAnnotationLayer *self);
/* The attributes popover of the selection (Enter). */
gboolean           sl_annotation_layer_show_properties  (SlAnnotationLayer *self);
/* Closes the polygon or line being drawn (Enter) / drops it (Escape). */
gboolean           sl_annotation_layer_finish           (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_cancel           (SlAnnotationLayer *self);
gboolean           sl_annotation_layer_is_drawing       (SlAnnotationLayer *self);

G_END_DECLS
