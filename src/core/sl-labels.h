/* sl-labels.h — annotations in and out of a project: GIS and machine-learning label formats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"

G_BEGIN_DECLS

#define SL_LABELS_ERROR (sl_labels_error_quark ())

typedef enum
{
  SL_LABELS_ERROR_FORMAT,          /* unknown or ambiguous format, or one that cannot do this */
  SL_LABELS_ERROR_MALFORMED,       /* the file does not parse; the message names file and line/object */
  SL_LABELS_ERROR_INVALID,         /* parses, but a value is wrong: class index beyond the list,
                                    * coordinates outside the image, a missing image, … */
  SL_LABELS_ERROR_UNKNOWN_CLASSES, /* class names not in the project and not mapped (see below) */
  SL_LABELS_ERROR_NO_SCENE,        /* a pixel format needs a scene; a date matches no scene */
  SL_LABELS_ERROR_TOO_LARGE,       /* beyond the size limits */
  SL_LABELS_ERROR_IO,              /* reading or writing failed; names the file */
} SlLabelsError;

typedef enum
{
  SL_LABEL_FORMAT_UNKNOWN,
  /* GIS, through GDAL/OGR, in map coordinates */
  SL_LABEL_FORMAT_GEOJSON,         /* RFC 7946, lon/lat */
  SL_LABEL_FORMAT_GPKG,            /* a layer in another GeoPackage */
  SL_LABEL_FORMAT_KML,
  SL_LABEL_FORMAT_KMZ,
  SL_LABEL_FORMAT_SHAPEFILE,
  SL_LABEL_FORMAT_FLATGEOBUF,
  /* machine learning, in pixel coordinates of one scene */
  SL_LABEL_FORMAT_COCO,
  SL_LABEL_FORMAT_YOLO,            /* axis-aligned: class cx cy w h, normalised */
  SL_LABEL_FORMAT_YOLO_OBB,        /* class x1 y1 … x4 y4, normalised */
  SL_LABEL_FORMAT_DOTA,            /* x1 y1 … x4 y4 class difficult, pixels */
  SL_LABEL_FORMAT_VOC,             /* Pascal VOC XML */
  SL_LABEL_FORMAT_LABELME,
  /* the class × date table (export only) */
  SL_LABEL_FORMAT_COUNTS_CSV,
  SL_LABEL_FORMAT_COUNTS_JSON,
  SL_LABEL_N_FORMATS
} SlLabelFormat;

GQuark         sl_labels_error_quark       (void);

/* "geojson", "gpkg", "kml", "kmz", "shapefile", "flatgeobuf", "coco", "yolo", "yolo-obb",
 * "dota", "voc", "labelme", "counts-csv", "counts-json"; and back (also accepts "shp", "fgb",
 * "obb", "pascal-voc", "csv", "json" for counts… where unambiguous). */
const char    *sl_label_format_to_string   (SlLabelFormat format);
SlLabelFormat  sl_label_format_from_string (const char   *name);
/* "GeoJSON", "COCO JSON", … for menus and messages. */
const char    *sl_label_format_describe    (SlLabelFormat format);
/* From the file name's extension where that is unambiguous (".geojson", ".gpkg", ".kml",
 * ".kmz", ".shp", ".fgb", ".xml" → VOC, ".csv" → counts); for import, @path's content is
 * sniffed when the extension is not enough (".json": GeoJSON, COCO or LabelMe; ".txt": YOLO,
 * YOLO-OBB or DOTA). UNKNOWN when it cannot tell. */
SlLabelFormat  sl_label_format_guess       (const char   *path,
                                            gboolean      for_import);
/* Pixel coordinates of one scene (needs a scene), as opposed to map coordinates. */
gboolean       sl_label_format_is_pixel    (SlLabelFormat format);
gboolean       sl_label_format_can_import  (SlLabelFormat format);

typedef struct
{
  SlLabelFormat format;        /* UNKNOWN: guessed from the path */
  gint64        scene_id;      /* 0: every date (GIS formats, COCO: one image per scene) */
  GArray       *class_ids;     /* gint64; NULL: every class */
  char         *crs;           /* GIS: the output CRS as OGR understands it ("EPSG:4326");
                                * NULL: WGS 84 for GeoJSON/KML/KMZ, the site CRS otherwise */
  int           chip_size;     /* pixel formats: > 0 cuts the scene into chips this many
                                * pixels a side (then the output is a directory) */
  int           chip_overlap;  /* pixels shared by neighbouring chips */
  gboolean      chip_skip_empty; /* chips without labels are not written */
} SlLabelExportOptions;

typedef struct
{
  SlLabelFormat format;        /* UNKNOWN: guessed from the path and content */
  gint64        scene_id;      /* pixel formats: required. GIS: used for features whose date
                                * field is missing or matches no scene; 0: those are errors */
  char         *class_field;   /* GIS: the attribute holding the class name (NULL: "class",
                                * then "class_name", "label", "category", "type") */
  char         *date_field;    /* GIS: the attribute holding the date (NULL: "acquired",
                                * then "date"; "": none, every object goes on scene_id) */
  GHashTable   *class_map;     /* char * (name as in the file) → char * (a project class's
                                * name or key); NULL: names must match a class's name or key,
                                * ignoring case */
  gboolean      create_classes; /* unknown names become new classes instead of an error */
} SlLabelImportOptions;

typedef struct
{
  guint       n_imported;
  guint       n_classes_created;
  GPtrArray  *warnings;        /* char *: things skipped on purpose, e.g. "object 12: crowd
                                * annotation (RLE) skipped" */
  GPtrArray  *annotations;     /* SlAnnotation *: what was stored, ids and times set (for an
                                * undo history: sl_undo_stack_record_added) */
} SlLabelImportReport;

void                 sl_label_import_report_free (SlLabelImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlLabelImportReport, sl_label_import_report_free)

/* Writes the annotations chosen by @options to @path (a file, or a directory for chips and
 * for YOLO with several scenes) in one go: written to a temporary name in the same folder
 * and renamed, so a failure leaves nothing half-written. Returns the number of annotations
 * written, or -1 with @error. */
gssize               sl_labels_export   (SlAnnotationStore           *store,
                                         SlClassSet                  *classes,
                                         const char                  *path,
                                         const SlLabelExportOptions  *options,
                                         GCancellable                *cancellable,
                                         GError                     **error);

/* The class × date table as COUNTS_CSV or COUNTS_JSON text (what an export of that format
 * writes), or NULL + @error. */
char                *sl_labels_format_counts (SlAnnotationStore  *store,
                                              SlClassSet         *classes,
                                              SlLabelFormat       format,
                                              GError            **error);

/* The class names a file uses that are not in the project (after @options->class_map), for a
 * mapping dialog: char *, sorted. NULL + @error when the file cannot be read. */
GPtrArray           *sl_labels_unknown_classes (SlAnnotationStore          *store,
                                                SlClassSet                 *classes,
                                                const char                 *path,
                                                const SlLabelImportOptions *options,
                                                GError                    **error);

/* sl_labels_unknown_classes on a worker thread, through a connection of its own to @project's
 * file (a large file takes a second to read). @options are copied. */
void                 sl_labels_unknown_classes_async  (SlProject                  *project,
                                                       const char                 *path,
                                                       const SlLabelImportOptions *options,
                                                       GCancellable               *cancellable,
                                                       GAsyncReadyCallback         callback,
                                                       gpointer                    user_data);
GPtrArray           *sl_labels_unknown_classes_finish (SlProject                  *project,
                                                       GAsyncResult               *result,
                                                       GError                    **error);

/* Reads the whole file, checks every object, then adds them all in one transaction: on any
 * error nothing is imported and the project is as it was. */
SlLabelImportReport *sl_labels_import   (SlAnnotationStore           *store,
                                         SlClassSet                  *classes,
                                         const char                  *path,
                                         const SlLabelImportOptions  *options,
                                         GCancellable                *cancellable,
                                         GError                     **error);

/* sl_labels_import on a worker thread, through a connection of its own to @project's file,
 * so that the window keeps drawing. @options are copied. Once it is done, the caller's
 * annotation stores and class sets on @project have not seen the change: tell them
 * (sl_annotation_store_notify_changed, the class set's "changed"). Cancelling stops the
 * reading; an import already writing completes, and its report still comes back. */
void                 sl_labels_import_async  (SlProject                  *project,
                                              const char                 *path,
                                              const SlLabelImportOptions *options,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data);
SlLabelImportReport *sl_labels_import_finish (SlProject                  *project,
                                              GAsyncResult               *result,
                                              GError                    **error);

/* sl_labels_export on a worker thread, through a connection of its own to @project's file.
 * @options are copied. Cancelling stops it and leaves no file. */
void                 sl_labels_export_async  (SlProject                  *project,
                                              const char                 *path,
                                              const SlLabelExportOptions *options,
                                              GCancellable               *cancellable,
                                              GAsyncReadyCallback         callback,
                                              gpointer                    user_data);
/* The number of annotations written, or -1 + @error. */
gssize               sl_labels_export_finish (SlProject                  *project,
                                              GAsyncResult               *result,
                                              GError                    **error);

G_END_DECLS
