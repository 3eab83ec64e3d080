/* sl-labels-private.h — what the label formats share: the context, the parsed records, the
 * table of readers and writers
 *
 * sl-labels.c drives every import and export: it resolves the format, gathers the annotations
 * to export (with their classes and scenes) or, for import, takes the records a reader
 * returns, maps their class names, checks them and adds them in one transaction. A format's
 * file (sl-labels-ogr.c, sl-labels-coco.c, …) only converts between a file and records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-labels.h"
#include "sl-scene-pixels.h"

G_BEGIN_DECLS

/* Files beyond this are refused before they are parsed (SL_LABELS_ERROR_TOO_LARGE). */
#define SL_LABELS_MAX_FILE_SIZE ((goffset) 512 * 1024 * 1024)

typedef struct
{
  SlProject                  *project;
  SlAnnotationStore          *store;
  SlClassSet                 *classes;
  GPtrArray                  *class_list;   /* SlClass *, the project's classes in sort order */
  GPtrArray                  *scenes;       /* SlScene *, every scene of the project by date */
  /* Export: the scenes written (one, or all for formats that hold several images); import:
   * the chosen scene (may be NULL for GIS formats). */
  SlScene                    *scene;
  SlScenePixels              *pixels;       /* site ⇄ pixels of @scene; NULL without one */
  const SlLabelExportOptions *export_options;  /* NULL on import */
  const SlLabelImportOptions *import_options;  /* NULL on export */
  GCancellable               *cancellable;
  GPtrArray                  *warnings;     /* char *: import, what was skipped or changed on
                                             * purpose ("feature 3: a MultiPolygon of 2 parts
                                             * became 2 annotations"); see sl_label_context_warn */
} SlLabelContext;

/* One object read from a file, before its class name is mapped to a class. */
typedef struct
{
  SlAnnotation *annotation;  /* site coordinates; scene_id set (0: the date decides, GIS);
                              * class_id 0; object_uid, confidence, note, author when the
                              * file has them */
  char         *class_name;  /* as in the file */
  char         *date;        /* GIS: the date field's text when the feature has one, else NULL */
  char         *where;       /* "line 12", "annotation 7", "feature 3": for messages */
} SlLabelRecord;

SlLabelRecord *sl_label_record_new  (SlAnnotation *annotation,   /* taken */
                                     const char   *class_name,
                                     const char   *where);
void           sl_label_record_free (SlLabelRecord *record);

/* For export: the annotation's class (from ctx->class_list) and scene (from ctx->scenes). */
const SlClass *sl_label_context_class (SlLabelContext *ctx, gint64 class_id);
SlScene       *sl_label_context_scene (SlLabelContext *ctx, gint64 scene_id);
/* Adds a warning to the import report (the same text only once). */
void           sl_label_context_warn  (SlLabelContext *ctx,
                                       const char     *format,
                                       ...) G_GNUC_PRINTF (2, 3);

typedef struct
{
  SlLabelFormat       format;
  /* Reads every object of @path; returns SlLabelRecord * (owned by the array) or NULL +
   * @error naming the file and the line or object. NULL: the format cannot be imported. */
  GPtrArray        *(*read)  (SlLabelContext  *ctx,
                              const char      *path,
                              GError         **error);
  /* Writes @annotations (SlAnnotation *, every one of ctx's scene or scenes) to @path, which
   * the caller has made a temporary name (a file, or a directory it created for formats
   * that write several files); the caller renames it. */
  gboolean          (*write) (SlLabelContext  *ctx,
                              GPtrArray       *annotations,
                              const char      *path,
                              GError         **error);
} SlLabelFormatIo;

/* Each format's file defines its table entry (or entries). */
extern const SlLabelFormatIo sl_labels_ogr_io[6];      /* GEOJSON … FLATGEOBUF, sl-labels-ogr.c */
extern const SlLabelFormatIo sl_labels_coco_io;        /* sl-labels-coco.c */
extern const SlLabelFormatIo sl_labels_yolo_io[2];     /* YOLO, YOLO_OBB, sl-labels-yolo.c */
extern const SlLabelFormatIo sl_labels_dota_io;        /* sl-labels-dota.c */
extern const SlLabelFormatIo sl_labels_voc_io;         /* sl-labels-voc.c */
extern const SlLabelFormatIo sl_labels_labelme_io;     /* sl-labels-labelme.c */
extern const SlLabelFormatIo sl_labels_counts_io[2];   /* COUNTS_CSV, COUNTS_JSON, sl-labels-counts.c */

/* Chips (sl-labels-chips.c): cuts ctx->scene into options->chip_size chips read through the
 * project's tile cache at full resolution, writes each chip's image (PNG) and its labels in
 * @format (a pixel format, coordinates relative to the chip) under the directory @path. */
gboolean       sl_labels_write_chips (SlLabelContext  *ctx,
                                      SlLabelFormat    format,
                                      GPtrArray       *annotations,
                                      const char      *path,
                                      GError         **error);

G_END_DECLS
