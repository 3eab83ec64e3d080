/* sl-tie-point-editor-private.h — the parts of the tie-point editor: the two image views, the
 * list of pairs, and the editor's state shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gtk/gtk.h>

#include "sl-tie-point-editor.h"

G_BEGIN_DECLS

/* --- sl-tie-point-editor-view.c: one image with its own pan and zoom, numbered markers, an
 * optional overlay drawn through an affine transform, and a magnifier --- */

typedef enum
{
  SL_TIE_MARKER_SELECTED = 1 << 0,
  SL_TIE_MARKER_WORST    = 1 << 1,  /* among the largest residuals: drawn red */
  SL_TIE_MARKER_DISABLED = 1 << 2,  /* kept but not fitted: drawn hollow and grey */
  SL_TIE_MARKER_PENDING  = 1 << 3,  /* one half of a pair still waiting for the other */
} SlTieMarkerFlags;

typedef struct
{
  double            x, y;    /* image pixels */
  guint             number;  /* shown, 1-based */
  SlTieMarkerFlags  flags;
} SlTieMarker;

#define SL_TYPE_TIE_POINT_VIEW (sl_tie_point_view_get_type ())
G_DECLARE_FINAL_TYPE (SlTiePointView, sl_tie_point_view, SL, TIE_POINT_VIEW, GtkWidget)

GtkWidget  *sl_tie_point_view_new           (void);
/* The picture: @surface (may be NULL) holds the image at @surface_scale surface pixels per image
 * pixel; the image is @width × @height pixels. Fits it in the view. */
void        sl_tie_point_view_set_image     (SlTiePointView  *self,
                                             cairo_surface_t *surface,
                                             double           surface_scale,
                                             int              width,
                                             int              height);
gboolean    sl_tie_point_view_has_image     (SlTiePointView  *self);
/* Markers are indexed as given: signals name them by that index. */
void        sl_tie_point_view_set_markers   (SlTiePointView    *self,
                                             const SlTieMarker *markers,
                                             guint              n_markers);
/* Another image drawn over this one through @matrix (its image pixels → this image's), or
 * none (@surface NULL). */
void        sl_tie_point_view_set_overlay   (SlTiePointView       *self,
                                             cairo_surface_t      *surface,
                                             double                surface_scale,
                                             const cairo_matrix_t *matrix,
                                             double                opacity);
/* Centre on image pixel (@x, @y), @zoom screen pixels per image pixel (≤ 0: fit). */
void        sl_tie_point_view_set_view      (SlTiePointView  *self,
                                             double           x,
                                             double           y,
                                             double           zoom);
double      sl_tie_point_view_get_zoom      (SlTiePointView  *self);
void        sl_tie_point_view_image_to_widget (SlTiePointView *self,
                                               double          x,
                                               double          y,
                                               double         *wx,
                                               double         *wy);
void        sl_tie_point_view_widget_to_image (SlTiePointView *self,
                                               double          wx,
                                               double          wy,
                                               double         *x,
                                               double         *y);
/* The magnifier shown around image pixel (@x, @y) (a pointer there), or hidden. */
void        sl_tie_point_view_show_magnifier (SlTiePointView *self,
                                              gboolean        show,
                                              double          x,
                                              double          y);
/* For tests: the gesture that places, selects and drags markers and pans. */
GtkGesture *_sl_tie_point_view_get_drag_gesture (SlTiePointView *self);

/* --- sl-tie-point-editor-list.c: the pairs with their residuals --- */

typedef struct
{
  SlTiePoint  point;
  gboolean    has_residual;
  SlResidual  residual;
  gboolean    worst;
} SlTiePairRow;

/* A list box of the pairs; its rows activate "tie.select" / "tie.toggle" / "tie.delete"
 * with the pair's index (uint32). */
GtkWidget  *_sl_tie_pair_list_new           (void);
void        _sl_tie_pair_list_update        (GtkWidget          *list,
                                             const SlTiePairRow *rows,
                                             guint               n_rows,
                                             int                 selected);
/* Selects row @index without rebuilding (a marker pressed). */
void        _sl_tie_pair_list_select        (GtkWidget          *list,
                                             guint               index);
/* For tests: row @index as text, NULL past the end. */
char       *_sl_tie_pair_list_describe_row  (GtkWidget          *list,
                                             guint               index);

/* --- the editor's state, shared by its files --- */

struct _SlTiePointEditor
{
  AdwWindow          parent_instance;

  SlProject         *project;
  SlAnnotationStore *annotations;
  SlScene           *scene;
  gint64             reference_id;
  GPtrArray         *references;  /* SlScene: the other scenes, as in the dropdown */

  GArray            *points;      /* SlTiePoint */
  GArray            *worst;       /* gboolean per point: among the largest residuals */
  guint              list_idle;   /* the list rebuilt after its own row's signal */
  SlTransformKind    kind;
  SlRegistration    *registration;
  char              *message;
  char              *rms_text;
  int                selected;
  int                pending_side;  /* 0 none, 1 image, 2 reference */
  double             pending_x, pending_y;

  cairo_surface_t   *image_surface, *ref_surface;
  double             image_scale, ref_scale;
  GCancellable      *cancellable;      /* image loads; cancelled when the window goes */
  GCancellable      *ref_cancellable;  /* the reference's load, replaced on each change */
  GCancellable      *auto_cancellable;
  gboolean           busy;
  gboolean           syncing;

  GtkWidget         *image_view, *ref_view;
  GtkWidget         *pair_list;
  GtkWidget         *kind_dropdown, *min_label, *ref_dropdown;
  GtkWidget         *overlay_button, *opacity_scale;
  GtkWidget         *auto_button, *auto_spinner, *apply_button;
  GtkWidget         *message_box, *message_label, *rms_label;
};

/* sl-tie-point-editor-ui.c: the widgets (no signals connected), the style they use, and a
 * preview of @scene's image read in a worker thread: @callback gets a GTask whose pointer is
 * a cairo_surface_t (RGB24, at most 2048 px a side). */
void        _sl_tie_point_editor_build        (SlTiePointEditor    *self);
void        _sl_tie_point_editor_add_style    (void);
void        _sl_tie_point_editor_load_preview (SlTiePointEditor    *self,
                                               SlScene             *scene,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback);

/* sl-tie-point-editor-refresh.c: the state shown in the widgets */
/* Solves again and shows the result everywhere (residuals, worst pairs, RMS, list, markers). */
void        _sl_tie_point_editor_update             (SlTiePointEditor *self);
/* The inline message, hidden when @message is NULL or "". */
void        _sl_tie_point_editor_set_message        (SlTiePointEditor *self,
                                                     const char       *message);
/* The markers of both views (selection, worst, disabled, the pending half pair), without solving. */
void        _sl_tie_point_editor_update_markers     (SlTiePointEditor *self);
/* The scene drawn over the reference through the transform, as the toggle and slider say. */
void        _sl_tie_point_editor_update_overlay     (SlTiePointEditor *self);
/* Apply and Automatic enabled, the spinner shown, as the state and the busy flag say. */
void        _sl_tie_point_editor_update_sensitivity (SlTiePointEditor *self);
/* A row's own signal changed the pairs: the list is rebuilt in an idle, not under it. */
void        _sl_tie_point_editor_defer_list         (SlTiePointEditor *self);
/* "N pairs or more" beside the kind dropdown. */
void        _sl_tie_point_editor_update_min_label   (SlTiePointEditor *self);

/* sl-tie-point-editor-actions.c: the "tie.*" actions and the widgets' signals */
/* Installs the "tie.*" actions and their keys (Delete, BackSpace, Escape) on the class. */
void        _sl_tie_point_editor_class_install_actions (GtkWidgetClass   *widget_class);
/* Connects the signals of the widgets _sl_tie_point_editor_build () made. */
void        _sl_tie_point_editor_connect_signals       (SlTiePointEditor *self);

/* --- sl-tie-point-editor.c --- */
/* The transforms in the order of the kind dropdown's names (sl-tie-point-editor-ui.c). */
extern const SlTransformKind _sl_tie_point_editor_kinds[6];

/* For tests */
SlTiePointView *_sl_tie_point_editor_get_image_view     (SlTiePointEditor *self);
SlTiePointView *_sl_tie_point_editor_get_reference_view (SlTiePointEditor *self);
GtkWidget      *_sl_tie_point_editor_get_pair_list      (SlTiePointEditor *self);
GtkWidget      *_sl_tie_point_editor_get_auto_button    (SlTiePointEditor *self);
GtkWidget      *_sl_tie_point_editor_get_apply_button   (SlTiePointEditor *self);
/* The inline message ("" when none) and the RMS line. */
const char     *_sl_tie_point_editor_get_message        (SlTiePointEditor *self);
const char     *_sl_tie_point_editor_get_rms_text       (SlTiePointEditor *self);
gboolean        _sl_tie_point_editor_is_busy            (SlTiePointEditor *self);
gboolean        _sl_tie_point_editor_is_loaded          (SlTiePointEditor *self);

G_END_DECLS
