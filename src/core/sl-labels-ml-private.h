/* sl-labels-ml-private.h — what the pixel (machine-learning) label formats share
 *
 * Every pixel format converts between site coordinates and the pixels of one image: a scene,
 * or a chip cut from one (sl-labels-chips.c). These helpers do that conversion, the rules of
 * what is written (clipping to the image), what is read back (rectangles become boxes or
 * rotated boxes), file loading with the size limit, and messages that name file and line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-labels-private.h"

G_BEGIN_DECLS

/* Objects whose pixel bounding box lies less than this fraction inside a chip are left out
 * of the chip (they belong to a neighbour); whole scenes keep anything that overlaps them. */
#define SL_LABELS_CHIP_MIN_INSIDE 0.5

/* One image labels are written for: a whole scene, or a chip of it. */
typedef struct
{
  SlScene       *scene;
  SlScenePixels *pixels;       /* that scene's mapping (not owned) */
  const char    *file_name;    /* the image's name as label files cite it */
  int            width, height;
  int            off_x, off_y; /* the scene pixel at this image's (0, 0) (chips) */
  gint64         id;           /* COCO image id */
} SlMlImage;

/* One annotation in an image's pixels, clamped to the image. */
typedef struct
{
  const SlAnnotation *annotation;
  const SlClass      *klass;
  guint               class_index;   /* 0-based, in ctx->class_list */
  SlShapeKind         kind;
  SlPoint            *points;        /* pixels of the image, clamped to it */
  guint               n_points;
  double              x0, y0, x1, y1; /* bounding box, clamped */
  gboolean            truncated;     /* part of it lay outside the image */
} SlMlShape;

void        _sl_ml_shape_free      (SlMlShape *shape);

/* The annotations of @scene among @annotations in its pixels (@pixels), not clipped:
 * SlMlShape * (owned by the array). */
GPtrArray  *_sl_ml_project         (SlLabelContext  *ctx,
                                    SlScene         *scene,
                                    SlScenePixels   *pixels,
                                    GPtrArray       *annotations,
                                    GError         **error);
/* Of @projected (from _sl_ml_project), those on @img (a window of the scene at off_x,
 * off_y): at least @min_inside of their bounding box inside it, any part when 0; points
 * inside. Moved to the window's pixels and clamped to it. */
GPtrArray  *_sl_ml_crop            (GPtrArray       *projected,
                                    const SlMlImage *img,
                                    double           min_inside);
/* Both: the annotations of @img->scene among @annotations that lie on @img (at least @min_inside of
 * their bounding box; points inside it), in pixels: SlMlShape * (owned by the array). */
GPtrArray  *_sl_ml_shapes          (SlLabelContext  *ctx,
                                    const SlMlImage *img,
                                    GPtrArray       *annotations,
                                    double           min_inside,
                                    GError         **error);

/* The scene's image file name (base name of its source), the same without its extension. */
char       *_sl_ml_scene_file_name (SlScene         *scene);
char       *_sl_ml_stem            (const char      *file_name);
/* A class name usable as one token (DOTA): blanks become ‘-’. */
char       *_sl_ml_token           (const char      *name);

/* The scene an export writes (one), or a NO_SCENE error for formats of one image. */
gboolean    _sl_ml_whole_scene     (SlLabelContext  *ctx,
                                    SlMlImage       *img,
                                    SlLabelFormat    format,
                                    GError         **error);

/* The whole file, refused beyond SL_LABELS_MAX_FILE_SIZE (TOO_LARGE) or when empty
 * (MALFORMED). NUL-terminated. */
char       *_sl_ml_load            (const char      *path,
                                    gsize           *length,
                                    GError         **error);
/* JSON documents (sl-labels-json.c): parsed in one pass, every value in a few blocks. */
typedef enum
{
  SL_JSON_NULL,
  SL_JSON_BOOL,
  SL_JSON_NUMBER,
  SL_JSON_STRING,
  SL_JSON_ARRAY,
  SL_JSON_OBJECT,
} SlJsonType;

typedef struct _SlJsonValue SlJsonValue;
struct _SlJsonValue
{
  SlJsonType   type;
  guint        n;            /* elements of an array, members of an object */
  const char  *key;          /* a member's name */
  union
  {
    double       number;
    gboolean     boolean;
    const char  *string;
    SlJsonValue *items;      /* elements or members */
  } v;
};

typedef struct _SlJson SlJson;

/* Parses @text (taken: strings are unescaped in it) of @path; a syntax error names the file
 * and the line ("labels.json line 3: not valid JSON: expected ‘,’ or ‘]’"). */
SlJson            *_sl_json_parse  (const char *path, char *text, gsize length, GError **error);
void               _sl_json_free   (SlJson *doc);
const SlJsonValue *_sl_json_root   (SlJson *doc);
/* A member of an object (NULL when @object is not one or has no such member). */
const SlJsonValue *_sl_json_get    (const SlJsonValue *object, const char *key);
gboolean           _sl_json_number (const SlJsonValue *value, double *number);
const char        *_sl_json_string (const SlJsonValue *value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlJson, _sl_json_free)

/* Writes @contents to @path (the driver's temporary name, or a file in its directory). */
gboolean    _sl_ml_save            (const char      *path,
                                    const char      *contents,
                                    gssize           length,
                                    GError         **error);

/* An error "labels.txt line 12: …" (base name of @path, then @where when not NULL). */
void        _sl_ml_error           (GError         **error,
                                    SlLabelsError    code,
                                    const char      *path,
                                    const char      *where,
                                    const char      *format,
                                    ...) G_GNUC_PRINTF (5, 6);

/* An annotation of ctx->scene from @n pixel points (@xy: x0, y0, x1, y1, …) of kind @kind.
 * Points more than half a pixel outside the image are an error; four corners of a rectangle
 * (in site coordinates) become a box when axis-aligned, else a rotated box, whatever @kind
 * says among BOX / ROTATED_BOX / POLYGON. Checked with sl_annotation_is_valid. */
SlAnnotation *_sl_ml_annotation    (SlLabelContext  *ctx,
                                    const char      *path,
                                    const char      *where,
                                    SlShapeKind      kind,
                                    const double    *xy,
                                    guint            n,
                                    GError         **error);

/* Writers of one image's labels, for scenes and chips (sl-labels-chips.c). */
char       *_sl_yolo_format_image    (SlLabelContext *ctx, GPtrArray *shapes, gboolean obb,
                                      const SlMlImage *img);
/* classes.txt in @dir, and data.yaml when @images (the images' folder, relative) is set. */
gboolean    _sl_yolo_write_class_files (SlLabelContext *ctx, const char *dir, const char *images,
                                      GError **error);
char       *_sl_dota_format_image    (SlLabelContext *ctx, GPtrArray *shapes, const SlMlImage *img);
char       *_sl_voc_format_image     (SlLabelContext *ctx, GPtrArray *shapes, const SlMlImage *img);
char       *_sl_labelme_format_image (SlLabelContext *ctx, GPtrArray *shapes, const SlMlImage *img);
/* COCO: @images (SlMlImage *) and, for each, its shapes (GPtrArray * of SlMlShape *). Lines
 * cannot be written; their number goes to @n_skipped. */
char       *_sl_coco_format_images   (SlLabelContext *ctx, GPtrArray *images, GPtrArray *shapes,
                                      guint *n_skipped);

G_END_DECLS
