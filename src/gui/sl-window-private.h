/* sl-window-private.h — SlWindow's fields and the helpers its source files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-compare-view.h"
#include "sl-counts-view.h"
#include "sl-date-dialog.h"
#include "sl-export-dialog.h"
#include "sl-project-overview.h"
#include "sl-pyramid-jobs.h"
#include "sl-scene-list.h"
#include "sl-scene-view.h"
#include "sl-scene-thumbnails.h"
#include "sl-status-bar.h"
#include "sl-timeline.h"
#include "sl-welcome-page.h"
#include "sl-window.h"

G_BEGIN_DECLS

struct _SlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *sidebar_button;
  GtkWidget            *add_images_button;
  GtkSpinner           *spinner;
  GtkStack             *main_stack;
  SlWelcomePage        *welcome_page;
  AdwFlap              *flap;
  SlSceneList          *scene_list;
  GtkStack             *content_stack;
  SlProjectOverview    *overview;
  SlCompareView        *compare_view;
  GtkWidget            *compare_bar;
  GtkBox               *mode_box;
  GtkStack             *mode_controls;
  GtkBox               *grid_count_box;
  GtkLabel             *slider_label;
  GtkScale             *mode_scale;
  GtkAdjustment        *mode_adjustment;
  GtkAdjustment        *fps_adjustment;
  GtkScale             *date_scale;
  GtkLabel             *fps_label;
  GtkMenuButton        *speed_button;
  GtkWidget            *play_button;
  GtkAdjustment        *date_adjustment;
  GtkWidget            *swap_button;
  GtkWidget            *orientation_button;
  SlTimeline           *timeline;
  SlStatusBar          *status_bar;
  GtkWidget            *zoom_box;
  GtkLabel             *zoom_label;
  GMenu                *project_section;

  GSettings            *settings;
  SlProject            *project;
  /* One tile cache for the project, one viewport every pane of the window follows. */
  SlTileCache          *cache;
  /* Pyramids of the project's scenes that need one, built into it in the background. */
  SlPyramidJobs        *pyramid_jobs;
  SlViewport           *viewport;
  SlSceneThumbnails    *thumbnails;
  /* The comparison is saved to the project a moment after it last changed. */
  guint                 save_view_id;
  gboolean              no_view_saves;  /* a screenshot: the project is not written */
  gboolean              syncing_scale;
  /* Cancelled when the window goes away or changes project. */
  GCancellable         *cancellable;
  guint                 busy_count;
  gboolean              sidebar_visible;
  char                 *last_toast_title;

  /* Probed scenes that wait for the user to give their acquisition date, in order. */
  GQueue                pending_dates;
  SlDateDialog         *date_dialog;
  /* The messages behind the last "n images could not be added" toast. */
  GStrv                 import_errors;

  /* sl-window-annotate.c: the project's annotations, classes and undo history. */
  SlAnnotationStore    *annotations;
  SlClassSet           *classes;
  SlUndoStack          *undo;
  GSimpleActionGroup   *annotate_actions;
  GtkWidget            *annotate_bar;
  GtkWidget            *read_only_label;
  GtkWidget            *class_button;  /* sl-window-classes.c: the class menu */
  GtkWidget            *class_swatch;
  GtkWidget            *class_label;
  GtkWidget            *class_heading;
  GtkListBox           *class_list;
  guint                 class_list_idle;
  gint64                class_id;      /* of new annotations */
  SlAnnotationTool      last_draw_tool;  /* for N */
  char                 *last_annotate_message;
  gint64                last_annotate_message_time;

  /* sl-window-counts.c: the counts window and the timeline's totals. */
  GtkWidget            *counts_window;
  SlCountsView         *counts_view;
  SlAnnotationStore    *counts_store;  /* whose "changed" the totals follow */
  SlClassSet           *counts_classes;  /* removing a class may remove annotations */
  guint                 totals_idle;

  /* sl-window-export.c: the export dialog while it is open, the last file it wrote. */
  GtkWidget            *export_dialog;
  char                 *export_path;

  /* sl-window-labels.c: the label import or export dialog while open, the folder of the last
   * label export, the project's reference overlays and the menu section that lists them. */
  GtkWidget            *label_dialog;
  char                 *labels_folder;
  GPtrArray            *reference_layers;
  GMenu                *labels_section;

  /* sl-window-register.c: the tie-point editor while it is open. */
  GtkWidget            *register_editor;
};

/* sl-window-actions.c */
void        _sl_window_class_install_actions (GtkWidgetClass *widget_class);
void        _sl_window_update_actions        (SlWindow       *self);
void        _sl_window_update_recent_menu    (SlWindow       *self);
void        _sl_window_choose_new_project    (SlWindow       *self,
                                              GFile         **images,
                                              guint           n_images);

/* sl-window-compare.c */
void        _sl_window_class_init_compare    (GtkWidgetClass *widget_class);
void        _sl_window_init_compare          (SlWindow       *self);
/* A new project (or none): its saved comparison, thumbnails, timeline. */
void        _sl_window_set_compare_project   (SlWindow       *self);
/* Saves the comparison now if a save is due (closing, changing project). */
void        _sl_window_flush_view_state      (SlWindow       *self);
/* FALSE: the comparison shown is not saved to the project (screenshots). */
void        _sl_window_set_saves_view        (SlWindow       *self,
                                              gboolean        saves);

/* sl-window-annotate.c */
void        _sl_window_class_init_annotate   (GtkWidgetClass *widget_class);
void        _sl_window_init_annotate         (SlWindow       *self);
/* A new project (or none): its store, classes and undo history. */
void        _sl_window_set_annotate_project  (SlWindow       *self);
void        _sl_window_dispose_annotate      (SlWindow       *self);
/* For tests. */
SlAnnotationStore *_sl_window_get_annotation_store (SlWindow *self);
SlUndoStack       *_sl_window_get_undo_stack       (SlWindow *self);
gint64             _sl_window_get_annotation_class (SlWindow *self);

/* sl-window-classes.c */
GtkWidget  *_sl_window_build_class_menu      (SlWindow       *self);
/* The rows: @classes (SlClass *) with their counts on @scene_id. */
void        _sl_window_update_class_menu     (SlWindow       *self,
                                              GPtrArray      *classes,
                                              SlCountsTable  *counts,
                                              gint64          scene_id);
/* The button shows the current class. */
void        _sl_window_show_class            (SlWindow       *self);
/* For tests: row @index as "Tank 30" (name and count), NULL past the end. */
char       *_sl_window_describe_class_row    (SlWindow       *self,
                                              guint           index);

/* sl-window-counts.c */
void        _sl_window_class_init_counts     (GtkWidgetClass *widget_class);
/* After _sl_window_init_annotate (): its button goes on the annotation bar. */
void        _sl_window_init_counts           (SlWindow       *self);
void        _sl_window_dispose_counts        (SlWindow       *self);
/* For tests: NULL until win.show-counts first opens them. */
SlCountsView *_sl_window_get_counts_view     (SlWindow       *self);
GtkWidget  *_sl_window_get_counts_window     (SlWindow       *self);

/* sl-window-export.c */
void        _sl_window_class_init_export     (GtkWidgetClass *widget_class);
void        _sl_window_init_export           (SlWindow       *self);
void        _sl_window_dispose_export        (SlWindow       *self);
/* For tests: NULL while the dialog is closed. */
SlExportDialog *_sl_window_get_export_dialog (SlWindow       *self);
const char *_sl_window_get_export_path       (SlWindow       *self);

/* sl-window-labels.c */
void        _sl_window_class_init_labels     (GtkWidgetClass *widget_class);
void        _sl_window_init_labels           (SlWindow       *self);
void        _sl_window_dispose_labels        (SlWindow       *self);
/* A label file (.json .geojson .gpkg .kml .kmz .shp .fgb .txt .xml, not a project) or a
 * folder with classes.txt: dropping it imports labels rather than adding a scene. */
gboolean    _sl_window_is_label_file         (GFile          *file);
/* Opens the import dialog for @file on the scene under (@x, @y), compare view coordinates
 * (the current date when no pane is there). FALSE without a writable project. */
gboolean    _sl_window_drop_label_file       (SlWindow       *self,
                                              GFile          *file,
                                              double          x,
                                              double          y);
/* Shows @path as a reference overlay and remembers it in the project; FALSE with @error. */
gboolean    _sl_window_add_reference_layer   (SlWindow       *self,
                                              const char     *path,
                                              GError        **error);
/* For tests: the open dialog (SlLabelImportDialog or SlLabelExportDialog), or NULL. */
GtkWidget  *_sl_window_get_label_dialog      (SlWindow       *self);
GPtrArray  *_sl_window_get_reference_layers  (SlWindow       *self);
const char *_sl_window_get_labels_folder     (SlWindow       *self);

/* sl-window-register.c */
void        _sl_window_class_init_register   (GtkWidgetClass *widget_class);
void        _sl_window_init_register         (SlWindow       *self);
void        _sl_window_dispose_register      (SlWindow       *self);
/* For tests: the SlTiePointEditor while open, or NULL. */
GtkWidget  *_sl_window_get_tie_point_editor  (SlWindow       *self);

/* sl-window-dnd.c */
void        _sl_window_setup_drop_target     (SlWindow       *self);

/* sl-window-import.c */
void        _sl_window_clear_import          (SlWindow       *self);
void        _sl_window_show_import_errors    (SlWindow       *self);

/* sl-window.c */
void        _sl_window_hold_busy             (SlWindow       *self);
/* Releases one hold, or all of them when @all (the work was cancelled). */
void        _sl_window_release_busy          (SlWindow       *self,
                                              gboolean        all);
void        _sl_window_show_error_message    (SlWindow       *self,
                                              const char     *message);
/* Opens a file or folder in the desktop's default application; a failure is shown. */
void        _sl_window_launch_path           (SlWindow       *self,
                                              const char     *path);
void        _sl_window_show_toast_with_action (SlWindow      *self,
                                              const char     *title,
                                              const char     *button_label,
                                              const char     *action_name);

/* For tests: what the window shows. */
const char        *_sl_window_get_last_toast_title (SlWindow *self);
SlSceneList       *_sl_window_get_scene_list       (SlWindow *self);
SlProjectOverview *_sl_window_get_overview         (SlWindow *self);
SlWelcomePage     *_sl_window_get_welcome_page     (SlWindow *self);
SlDateDialog      *_sl_window_get_date_dialog      (SlWindow *self);
/* The compare view's first pane. */
SlSceneView       *_sl_window_get_scene_view       (SlWindow *self);
SlCompareView     *_sl_window_get_compare_view     (SlWindow *self);
SlTimeline        *_sl_window_get_timeline         (SlWindow *self);
SlStatusBar       *_sl_window_get_status_bar       (SlWindow *self);
SlPyramidJobs     *_sl_window_get_pyramid_jobs     (SlWindow *self);
/* "overview" or "scene" */
const char        *_sl_window_get_content_page     (SlWindow *self);
/* "welcome" or "project" */
const char        *_sl_window_get_visible_page     (SlWindow *self);
const char        *_sl_window_get_heading          (SlWindow *self);
const char        *_sl_window_get_subtitle         (SlWindow *self);

G_END_DECLS
