/* sl-export-dialog-private.h — SlExportDialog's fields and the helpers its files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-class-set.h"
#include "sl-export-dialog.h"

G_BEGIN_DECLS

/* The rows of the size choice. */
typedef enum
{
  SIZE_WEB_1200,
  SIZE_WEB_1600,
  SIZE_WEB_2048,
  SIZE_SOCIAL,
  SIZE_4K,
  SIZE_CUSTOM,
  SIZE_PRINT,
  N_SIZES
} SlExportSize;

/* The rows of the layout choice: the swipe comes in two orientations. */
typedef enum
{
  CHOICE_SWIPE_VERTICAL,
  CHOICE_SWIPE_HORIZONTAL,
  CHOICE_SIDE_BY_SIDE,
  CHOICE_STACKED,
  CHOICE_GRID,
  CHOICE_SINGLE,
  N_CHOICES
} SlLayoutChoice;

struct _SlExportDialog
{
  AdwWindow        parent_instance;

  SlProject       *project;
  SlTileCache     *cache;
  GListModel      *scenes;        /* SlScene, date order */
  GArray          *scene_ids;     /* gint64, as in @scenes */
  GPtrArray       *classes;       /* SlClass */
  SlComposition   *composition;
  SlExportFormat   format;
  SlExportSize     size;
  /* The comparison's view: its centre and the ground its pane's width shows, so the scale
   * follows the output width. */
  gboolean         has_view;
  double           view_x, view_y, view_ground, view_aspect;
  gboolean         syncing;       /* the rows are being set from the composition */
  char            *auto_credit;   /* the scenes' credit the credit row shows while unedited */

  /* Preview (sl-export-dialog.c) */
  GtkWidget       *preview;       /* GtkDrawingArea */
  GtkWidget       *preview_status;
  GtkWidget       *preview_spinner;
  cairo_surface_t *preview_surface;  /* the last good image, device pixels */
  SlComposer      *preview_composer; /* what drew it (for the drawn area) */
  int              preview_width, preview_height;   /* logical size it was drawn for */
  GCancellable    *preview_cancellable;
  guint            preview_timeout;
  guint            preview_serial;
  guint            preview_count;  /* images shown */
  GArray          *render_ms;      /* double */
  gboolean         dragging;
  double           drag_x0, drag_y0, drag_x1, drag_y1;

  /* Export */
  GtkWidget       *export_button;
  GtkWidget       *progress_box;
  GtkWidget       *progress_bar;
  GtkWidget       *error_label;
  GCancellable    *export_cancellable;
  char            *export_path;
  char            *error;

  /* Settings (sl-export-dialog-settings.c) */
  GtkWidget       *page;
  AdwComboRow     *preset_row;
  GtkStringList   *preset_names;
  GtkWidget       *delete_preset_button;
  AdwEntryRow     *save_preset_row;
  AdwComboRow     *layout_row;
  AdwComboRow     *date_a_row;
  AdwComboRow     *date_b_row;
  AdwExpanderRow  *grid_dates_row;
  GPtrArray       *grid_checks;   /* GtkCheckButton, as @scene_ids */
  GtkSpinButton   *columns_spin;
  GtkWidget       *columns_row;
  GtkSpinButton   *divider_spin;
  GtkWidget       *divider_row;
  AdwComboRow     *area_row;
  AdwComboRow     *size_row;
  GtkWidget       *pixels_box;    /* width and height rows */
  GtkSpinButton   *width_spin;
  GtkSpinButton   *height_spin;
  GtkWidget       *width_row;
  GtkWidget       *height_row;
  GtkSpinButton   *width_mm_spin;
  GtkSpinButton   *height_mm_spin;
  GtkSpinButton   *dpi_spin;
  GtkWidget       *width_mm_row;
  GtkWidget       *height_mm_row;
  GtkWidget       *dpi_row;
  AdwEntryRow     *title_row;
  AdwEntryRow     *caption_row;
  AdwEntryRow     *credit_row;
  GtkWidget       *font_button;
  GtkSwitch       *dates_switch;
  AdwComboRow     *date_format_row;
  AdwComboRow     *corner_row;
  GtkSwitch       *scale_bar_switch;
  GtkSwitch       *north_switch;
  AdwExpanderRow  *annotations_row;
  GPtrArray       *class_checks;  /* GtkCheckButton, as @classes */
  AdwComboRow     *theme_row;
  GtkSpinButton   *margin_spin;
  GtkWidget       *divider_colour_button;
  GtkSpinButton   *divider_width_spin;
  GtkSwitch       *handle_switch;
  GtkWidget       *divider_style_group;
  AdwComboRow     *format_row;
  GtkSpinButton   *quality_spin;
  GtkWidget       *quality_row;
  AdwComboRow     *animation_row;
  GtkSpinButton   *frame_spin;
  GtkWidget       *frame_row;
};

/* sl-export-dialog.c */
/* The settings changed: redraw the preview a moment after the last change. */
void      _sl_export_dialog_changed          (SlExportDialog *self);
/* A message under the preview (NULL: none). */
void      _sl_export_dialog_show_error       (SlExportDialog *self,
                                              const char     *message);
/* The scale of the current view for the output width. */
void      _sl_export_dialog_apply_view       (SlExportDialog *self);

/* sl-export-dialog-settings.c */
/* Builds the settings page (self->page) and its rows. */
void      _sl_export_dialog_build_settings   (SlExportDialog *self);
/* The rows show self->composition, self->format and self->size. */
void      _sl_export_dialog_sync_rows        (SlExportDialog *self);
/* Reads the presets of the project into the preset row. */
void      _sl_export_dialog_load_presets     (SlExportDialog *self,
                                              const char     *select);
/* The height of a web size for @width: the view's shape, or 3:2. */
int       _sl_export_dialog_web_height       (SlExportDialog *self,
                                              int             width);
const char *_sl_export_format_extension      (SlExportFormat  format);

/* For tests */
guint     _sl_export_dialog_get_preview_count (SlExportDialog *self);
/* The preview's last image (device pixels, ARGB32), NULL before the first. */
cairo_surface_t *_sl_export_dialog_get_preview_surface (SlExportDialog *self);
/* The median render time of the previews so far, ms (0: none). */
double    _sl_export_dialog_get_median_render_ms (SlExportDialog *self);
/* A drag on the preview from (x0, y0) to (x1, y1), logical pixels. */
void      _sl_export_dialog_drag_area        (SlExportDialog *self,
                                              double          x0,
                                              double          y0,
                                              double          x1,
                                              double          y1);

G_END_DECLS
