/* sl-label-import-dialog-private.h — SlLabelImportDialog's fields and the helpers its files share
 *
 * sl-label-import-dialog.c       the window's content, the rows' signals, the public API
 * sl-label-import-dialog-rows.c  the scene and field rows, the class-mapping rows, the options
 * sl-label-import-dialog-run.c   the import on a worker thread, its summary, closing meanwhile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-label-import-dialog.h"

G_BEGIN_DECLS

struct _SlLabelImportDialog
{
  AdwWindow          parent_instance;

  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  char              *path;
  GPtrArray         *scenes;        /* SlScene *, by date */
  GPtrArray         *class_list;    /* SlClass *, the project's */
  GArray            *formats;       /* SlLabelFormat, those the format row offers */
  GArray            *scene_ids;     /* gint64, those the scene row offers (0: by date field) */
  GStrv              fields;        /* a GIS file's attribute names */
  GPtrArray         *unknown;       /* char *, the names of the mapping rows */
  GPtrArray         *map_rows;      /* AdwComboRow *, one per unknown name */
  gint64             wanted_scene;  /* kept across format changes (0: by date field) */
  gint64             initial_scene; /* the one asked for */
  char              *error;
  gboolean           updating;

  GtkWidget         *page;
  AdwComboRow       *format_row;
  AdwComboRow       *scene_row;
  AdwComboRow       *class_field_row;
  AdwComboRow       *date_field_row;
  GtkWidget         *fields_group;
  GtkWidget         *classes_group;
  GtkWidget         *error_group;
  GtkWidget         *error_label;
  GtkWidget         *import_button;
  GtkWidget         *spinner;
  GCancellable      *scan;          /* of the class-name scan running, NULL when none */
  GCancellable      *cancellable;   /* of the import running, NULL when none */
  gboolean           close_when_done;
  gboolean           import_ok;     /* how the last import ended */
  gboolean           disposed;      /* destroyed while importing: no widgets left */
};

/* sl-label-import-dialog.c */
/* The project's scene of that id, or NULL. */
SlScene  *_sl_label_import_dialog_find_scene            (SlLabelImportDialog  *self,
                                                         gint64                scene_id);
/* Shows @message above the rows and keeps it for _get_error; NULL hides it. */
void      _sl_label_import_dialog_show_error            (SlLabelImportDialog  *self,
                                                         const char           *message);

/* sl-label-import-dialog-rows.c */
/* Fills @options with what the rows say, not the class mapping; free with _clear_options. */
void      _sl_label_import_dialog_fill_options          (SlLabelImportDialog  *self,
                                                         SlLabelImportOptions *options);
/* Frees what _fill_options (and a class map) put in @options. */
void      _sl_label_import_dialog_clear_options         (SlLabelImportOptions *options);
/* Offers the scenes the format allows and selects the wanted one. */
void      _sl_label_import_dialog_update_scene_row      (SlLabelImportDialog  *self);
/* What the chosen scene means, and whether the date field is used. */
void      _sl_label_import_dialog_update_scene_subtitle (SlLabelImportDialog  *self);
/* Shows the field rows for a GIS format; the first time, reads the file's attribute names. */
void      _sl_label_import_dialog_update_fields         (SlLabelImportDialog  *self);
/* Reads the file's class names again on a worker thread: the mapping rows, or the error that
 * it cannot be read; "Import" is off meanwhile. */
void      _sl_label_import_dialog_update_mapping        (SlLabelImportDialog  *self);

/* sl-label-import-dialog-run.c */
/* Starts the import the rows describe on a worker thread; the caller checks none is running. */
void      _sl_label_import_dialog_start_import          (SlLabelImportDialog  *self);
/* TRUE while importing: cancels what it can and closes the dialog when the import ends. */
gboolean  _sl_label_import_dialog_close_when_done       (SlLabelImportDialog  *self);

G_END_DECLS
