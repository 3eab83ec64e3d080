/* sl-annotation-layer-private.h — SlAnnotationLayer's fields and the helpers its files share
 *
 * sl-annotation-layer.c        properties, signals, selection, edits, coordinates
 * sl-annotation-layer-fetch.c  the cached query of what is in view, lookups by id
 * sl-annotation-layer-draw.c   the snapshot, the painters' classes
 * sl-annotation-layer-input.c  pointer tools: select, move, handles, drawing each shape
 * sl-annotation-layer-tools.c  commands on the selection, the clipboard, the attributes popover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-annotation-layer.h"

G_BEGIN_DECLS

/* Logical pixels: how near a press must be to a shape or a handle to take it. */
#define SL_LAYER_HIT_TOLERANCE 6.0
#define SL_LAYER_HANDLE_GRAB   7.0
/* A drag shorter than this is a click. */
#define SL_LAYER_CLICK_SLOP    4.0

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,        /* the selection follows the pointer */
  DRAG_HANDLE,      /* a corner, edge, vertex or the rotation handle */
  DRAG_RUBBER_BAND,
  DRAG_DRAW,        /* a box, or a rotated box's long side, or a line by dragging */
  DRAG_CLICK,       /* a press of a clicking tool: point, polygon, line */
} DragKind;

struct _SlAnnotationLayer
{
  GtkWidget            parent_instance;

  SlAnnotationStore   *store;
  SlClassSet          *classes;
  SlUndoStack         *undo;
  SlViewport          *viewport;
  SlAnnotationPainter *painter;
  SlAnnotationPainter *ghost_painter;
  gint64               scene_id;
  gint64               ghost_scene_id;
  SlAnnotationTool     tool;
  gint64               class_id;
  gboolean             visible;       /* "annotations-visible" */
  GPtrArray           *reference_layers;  /* SlReferenceLayer *, drawn under the annotations */
  gulong               store_changed_id;
  gulong               classes_changed_id;

  /* The query, for a margin around what was visible when it ran. */
  GPtrArray           *shown;         /* SlAnnotation * */
  GHashTable          *shown_by_id;   /* gint64 * → SlAnnotation * of shown */
  GPtrArray           *ghosts;
  GArray              *marks;         /* SlAnnotationMark: a dense view, instead of shown */
  SlBounds             cached_bounds;
  double               cached_resolution;
  gboolean             cache_valid;
  guint                too_many;      /* > 0: so many in view that not even marks were fetched */

  GHashTable          *selected;      /* gint64 * set */

  /* Input */
  GtkWidget           *input_widget;  /* where the controllers are, not owned */
  GtkGesture          *drag;
  GtkEventController  *motion;
  GtkEventController  *legacy;
  gboolean             has_region;
  graphene_rect_t      region;
  DragKind             drag_kind;
  double               press_x, press_y;   /* layer coordinates */
  double               pointer_x, pointer_y;
  gboolean             has_pointer;
  gboolean             shift;
  SlHandle             handle;
  GPtrArray           *originals;     /* the selection as the drag began */
  GPtrArray           *editing;       /* their edited copies, drawn instead */
  /* A shape being drawn over several clicks (polygon, line, rotated box's width). */
  GArray              *draft;         /* SlPoint, site coordinates */
  SlShapeKind          draft_kind;
  gboolean             draft_follow;  /* the pointer is the draft's next point */
  gboolean             draft_width;   /* a rotated box waits for its width */
  gint64               last_click_time;
  double               last_click_x, last_click_y;
  /* A press on bare imagery, not claimed: a click there clears the selection. */
  gboolean             pending_clear;
  gboolean             told_read_only;

  GtkWidget           *popover;
};

/* sl-annotation-layer.c */
void          _sl_annotation_layer_selection_changed (SlAnnotationLayer *self);
void          _sl_annotation_layer_set_selection    (SlAnnotationLayer  *self,
                                                     const gint64       *ids,
                                                     guint               n_ids,
                                                     gboolean            add);
/* Says why an edit is refused; FALSE when editing is possible. */
gboolean      _sl_annotation_layer_refuse_edit      (SlAnnotationLayer  *self);
void          _sl_annotation_layer_report_error     (SlAnnotationLayer  *self,
                                                     GError             *error);
void          _sl_annotation_layer_widget_to_site   (SlAnnotationLayer  *self,
                                                     double              wx,
                                                     double              wy,
                                                     SlPoint            *p);
double        _sl_annotation_layer_resolution       (SlAnnotationLayer  *self);
/* The class's name, newly allocated. */
char         *_sl_annotation_layer_class_name       (SlAnnotationLayer  *self,
                                                     gint64              class_id);
/* Adds a new annotation of the current class through the undo stack and selects it. */
gboolean      _sl_annotation_layer_add_shape        (SlAnnotationLayer  *self,
                                                     SlShapeKind         kind,
                                                     const SlPoint      *points,
                                                     guint               n_points);

/* sl-annotation-layer-fetch.c */
/* Forgets the cached query and queues a draw: the next draw or lookup queries again. */
void          _sl_annotation_layer_invalidate       (SlAnnotationLayer  *self);
/* Queries the store unless the cache still covers the view at about its resolution. */
void          _sl_annotation_layer_ensure_shown     (SlAnnotationLayer  *self);
/* A shown annotation by id (the cache brought up to date first), or NULL. */
SlAnnotation *_sl_annotation_layer_lookup           (SlAnnotationLayer  *self,
                                                     gint64              id);

/* sl-annotation-layer-draw.c */
/* The snapshot vfunc. */
void          _sl_annotation_layer_snapshot         (GtkWidget          *widget,
                                                     GtkSnapshot        *snapshot);
/* Gives both painters the class set's colours and names, and queues a draw. */
void          _sl_annotation_layer_update_classes   (SlAnnotationLayer  *self);

/* sl-annotation-layer-input.c */
void          _sl_annotation_layer_init_input       (SlAnnotationLayer  *self);
void          _sl_annotation_layer_attach_input     (SlAnnotationLayer  *self,
                                                     GtkWidget          *widget);
void          _sl_annotation_layer_clear_drag       (SlAnnotationLayer  *self);
/* For tests: the controllers that drive the tools. */
GtkGesture   *_sl_annotation_layer_get_drag_gesture (SlAnnotationLayer  *self);
GtkEventController *_sl_annotation_layer_get_motion_controller (SlAnnotationLayer *self);
/* For tests: a press with modifiers, as the gesture would see it. */
void          _sl_annotation_layer_set_test_shift   (SlAnnotationLayer  *self,
                                                     gboolean            shift);

/* sl-annotation-layer-tools.c */
void          _sl_annotation_layer_dispose_tools    (SlAnnotationLayer  *self);
/* For tests: the attributes popover (NULL until shown). */
GtkWidget    *_sl_annotation_layer_get_popover      (SlAnnotationLayer  *self);

G_END_DECLS
