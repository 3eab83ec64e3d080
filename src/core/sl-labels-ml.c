/* sl-labels-ml.c — what the pixel (machine-learning) label formats share
 *
 * Export: each annotation is mapped into the pixels of the image written (a scene, or a chip
 * of it) through SlScenePixels, kept when it lies on the image (whole scenes: any overlap;
 * chips: at least SL_LABELS_CHIP_MIN_INSIDE of its bounding box) and clamped to the image, so
 * every file a training tool reads has coordinates inside its image. Import: pixel points
 * more than half a pixel outside the image are an error; four corners that form a rectangle
 * in site coordinates (within 1 % of its size, the rounding of normalised text formats)
 * become an exact box when axis-aligned, else an exact rotated box, long side first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sl-labels-ml-private.h"

/* How far (pixels) a point read from a file may lie outside the image and still be clamped. */
#define EDGE_TOLERANCE 0.5
/* Four corners within this fraction of their extent of a rectangle are one. */
#define RECT_FRACTION 0.01
/* |sin| of the angle under which a rectangle counts as axis-aligned. */
#define AXIS_SIN 1e-6

void
_sl_ml_shape_free (SlMlShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->points);
  g_free (shape);
}

void
_sl_ml_error (GError        **error,
              SlLabelsError   code,
              const char     *path,
              const char     *where,
              const char     *format,
              ...)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (where)
    g_set_error (error, SL_LABELS_ERROR, code, "%s %s: %s", base, where, text);
  else
    g_set_error (error, SL_LABELS_ERROR, code, "%s: %s", base, text);
}

char *
_sl_ml_scene_file_name (SlScene *scene)
{
  const char *source = sl_scene_get_source_path (scene);

  if (source == NULL || *source == '\0')
    return g_strdup_printf ("scene-%" G_GINT64_FORMAT, sl_scene_get_id (scene));
  return g_path_get_basename (source);
}

char *
_sl_ml_stem (const char *file_name)
{
  g_autofree char *base = g_path_get_basename (file_name);
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

char *
_sl_ml_token (const char *name)
{
  char *token = g_strdup (name);

  for (char *p = token; *p; p++)
    if (g_ascii_isspace (*p))
      *p = '-';
  return token;
}

gboolean
_sl_ml_whole_scene (SlLabelContext  *ctx,
                    SlMlImage       *img,
                    SlLabelFormat    format,
                    GError         **error)
{
  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "%s labels one image: choose a scene", sl_label_format_describe (format));
      return FALSE;
    }
  *img = (SlMlImage) {
    .scene = ctx->scene,
    .pixels = ctx->pixels,
    .width = sl_scene_pixels_get_width (ctx->pixels),
    .height = sl_scene_pixels_get_height (ctx->pixels),
    .id = 1,
  };
  return TRUE;
}

char *
_sl_ml_load (const char  *path,
             gsize       *length,
             GError     **error)
{
  GStatBuf st;
  char *contents = NULL;
  g_autoptr(GError) local = NULL;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      _sl_ml_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot be read: %s", g_strerror (saved));
      return NULL;
    }
  if ((goffset) st.st_size > SL_LABELS_MAX_FILE_SIZE)
    {
      _sl_ml_error (error, SL_LABELS_ERROR_TOO_LARGE, path, NULL,
                    "%" G_GOFFSET_FORMAT " MB is beyond the limit of %" G_GOFFSET_FORMAT " MB for a label file",
                    (goffset) st.st_size / (1024 * 1024), SL_LABELS_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, length, &local))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot be read: %s", local->message);
      return NULL;
    }
  for (gsize i = 0; i < *length; i++)
    if (!g_ascii_isspace (contents[i]))
      return contents;
  g_free (contents);
  _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "the file is empty");
  return NULL;
}

gboolean
_sl_ml_save (const char  *path,
             const char  *contents,
             gssize       length,
             GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (path, contents, length, &local))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot be written: %s", local->message);
      return FALSE;
    }
  return TRUE;
}

static int
class_index (SlLabelContext *ctx, gint64 class_id)
{
  for (guint i = 0; i < ctx->class_list->len; i++)
    if (((SlClass *) g_ptr_array_index (ctx->class_list, i))->id == class_id)
      return (int) i;
  return -1;
}

/* The fraction of [lo, hi] inside [0, size]; a zero extent counts as 1 inside, 0 outside. */
static double
inside_fraction (double lo, double hi, double size)
{
  if (hi - lo <= 0)
    return lo >= 0 && lo <= size ? 1 : 0;
  return MAX (0, MIN (hi, size) - MAX (lo, 0)) / (hi - lo);
}

GPtrArray *
_sl_ml_project (SlLabelContext  *ctx,
                SlScene         *scene,
                SlScenePixels   *pixels,
                GPtrArray       *annotations,
                GError         **error)
{
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) _sl_ml_shape_free);
  gint64 scene_id = sl_scene_get_id (scene);

  for (guint i = 0; i < annotations->len; i++)
    {
      const SlAnnotation *a = g_ptr_array_index (annotations, i);
      SlMlShape *shape;
      int index;

      if (a->scene_id != scene_id || a->n_points == 0)
        continue;
      index = class_index (ctx, a->class_id);
      if (index < 0)
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID,
                       "Annotation %" G_GINT64_FORMAT " has class %" G_GINT64_FORMAT ", which is not in the project",
                       a->id, a->class_id);
          return NULL;
        }
      shape = g_new0 (SlMlShape, 1);
      g_ptr_array_add (shapes, shape);
      shape->annotation = a;
      shape->klass = g_ptr_array_index (ctx->class_list, index);
      shape->class_index = (guint) index;
      shape->kind = a->kind;
      shape->n_points = a->n_points;
      shape->points = g_new (SlPoint, a->n_points);
      shape->x0 = shape->y0 = G_MAXDOUBLE;
      shape->x1 = shape->y1 = -G_MAXDOUBLE;
      for (guint k = 0; k < a->n_points; k++)
        {
          SlPoint *p = &shape->points[k];

          if (!sl_scene_pixels_to_pixel (pixels, a->points[k].x, a->points[k].y, &p->x, &p->y))
            {
              g_autofree char *name = _sl_ml_scene_file_name (scene);

              g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID,
                           "Annotation %" G_GINT64_FORMAT " cannot be placed in the pixels of ‘%s’", a->id, name);
              return NULL;
            }
          shape->x0 = MIN (shape->x0, p->x), shape->y0 = MIN (shape->y0, p->y);
          shape->x1 = MAX (shape->x1, p->x), shape->y1 = MAX (shape->y1, p->y);
        }
    }
  return g_steal_pointer (&shapes);
}

GPtrArray *
_sl_ml_crop (GPtrArray       *projected,
             const SlMlImage *img,
             double           min_inside)
{
  GPtrArray *shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) _sl_ml_shape_free);

  for (guint i = 0; i < projected->len; i++)
    {
      const SlMlShape *src = g_ptr_array_index (projected, i);
      double x0 = src->x0 - img->off_x, x1 = src->x1 - img->off_x;
      double y0 = src->y0 - img->off_y, y1 = src->y1 - img->off_y;
      double inside;
      SlMlShape *shape;

      if (x1 < 0 || y1 < 0 || x0 > img->width || y0 > img->height)
        continue;
      inside = inside_fraction (x0, x1, img->width) * inside_fraction (y0, y1, img->height);
      if (inside <= 0 || inside < min_inside)
        continue;

      shape = g_memdup2 (src, sizeof *src);
      shape->points = g_new (SlPoint, src->n_points);
      shape->truncated = FALSE;
      for (guint k = 0; k < src->n_points; k++)
        {
          double px = src->points[k].x - img->off_x, py = src->points[k].y - img->off_y;
          double cx = CLAMP (px, 0, img->width), cy = CLAMP (py, 0, img->height);

          shape->truncated |= cx != px || cy != py;
          shape->points[k] = (SlPoint) { cx, cy };
        }
      shape->x0 = CLAMP (x0, 0, img->width);
      shape->y0 = CLAMP (y0, 0, img->height);
      shape->x1 = CLAMP (x1, 0, img->width);
      shape->y1 = CLAMP (y1, 0, img->height);
      g_ptr_array_add (shapes, shape);
    }
  return shapes;
}

GPtrArray *
_sl_ml_shapes (SlLabelContext  *ctx,
               const SlMlImage *img,
               GPtrArray       *annotations,
               double           min_inside,
               GError         **error)
{
  g_autoptr(GPtrArray) projected = _sl_ml_project (ctx, img->scene, img->pixels, annotations, error);

  return projected ? _sl_ml_crop (projected, img, min_inside) : NULL;
}

/* Four corners (site coordinates) that form a rectangle within RECT_FRACTION of their extent
 * become an exact one: a box (NW, NE, SE, SW) when axis-aligned, else a rotated box with its
 * long side first. FALSE: not a rectangle. */
static gboolean
regularise_rectangle (SlPoint p[4], SlShapeKind *kind)
{
  double minx = p[0].x, maxx = p[0].x, miny = p[0].y, maxy = p[0].y, tol;
  double cx = 0, cy = 0, ux, uy, vx, vy, len_u, len_v, ex, ey, nx, ny, w, cross;

  for (int i = 0; i < 4; i++)
    {
      minx = MIN (minx, p[i].x), maxx = MAX (maxx, p[i].x);
      miny = MIN (miny, p[i].y), maxy = MAX (maxy, p[i].y);
      cx += p[i].x / 4, cy += p[i].y / 4;
    }
  tol = MAX (maxx - minx, maxy - miny) * RECT_FRACTION;
  if (!(tol > 0))
    return FALSE;
  /* A parallelogram (diagonals bisect each other) with equal diagonals. */
  if (fabs ((p[0].x + p[2].x) - (p[1].x + p[3].x)) > 2 * tol ||
      fabs ((p[0].y + p[2].y) - (p[1].y + p[3].y)) > 2 * tol ||
      fabs (hypot (p[2].x - p[0].x, p[2].y - p[0].y) - hypot (p[3].x - p[1].x, p[3].y - p[1].y)) > tol)
    return FALSE;

  ux = ((p[1].x - p[0].x) + (p[2].x - p[3].x)) / 2;
  uy = ((p[1].y - p[0].y) + (p[2].y - p[3].y)) / 2;
  vx = ((p[2].x - p[1].x) + (p[3].x - p[0].x)) / 2;
  vy = ((p[2].y - p[1].y) + (p[3].y - p[0].y)) / 2;
  len_u = hypot (ux, uy);
  len_v = hypot (vx, vy);
  if (!(len_u > 0 && len_v > 0))
    return FALSE;
  if (len_v > len_u)
    {
      /* Start one corner later: the long side comes first. */
      double tx = ux, ty = uy, tl = len_u;

      ux = vx, uy = vy, len_u = len_v;
      vx = -tx, vy = -ty, len_v = tl;
    }
  ex = ux / len_u, ey = uy / len_u;
  cross = ux * vy - uy * vx;
  nx = -ey * (cross >= 0 ? 1 : -1);
  ny = ex * (cross >= 0 ? 1 : -1);
  w = fabs (vx * nx + vy * ny);

  if (fabs (ey) <= AXIS_SIN || fabs (ex) <= AXIS_SIN)
    {
      double hw = (fabs (ex) > fabs (ey) ? len_u : w) / 2, hh = (fabs (ex) > fabs (ey) ? w : len_u) / 2;

      p[0] = (SlPoint) { cx - hw, cy + hh };
      p[1] = (SlPoint) { cx + hw, cy + hh };
      p[2] = (SlPoint) { cx + hw, cy - hh };
      p[3] = (SlPoint) { cx - hw, cy - hh };
      *kind = SL_SHAPE_BOX;
      return TRUE;
    }
  p[0] = (SlPoint) { cx - ex * len_u / 2 - nx * w / 2, cy - ey * len_u / 2 - ny * w / 2 };
  p[1] = (SlPoint) { p[0].x + ex * len_u, p[0].y + ey * len_u };
  p[2] = (SlPoint) { p[1].x + nx * w, p[1].y + ny * w };
  p[3] = (SlPoint) { p[0].x + nx * w, p[0].y + ny * w };
  *kind = SL_SHAPE_ROTATED_BOX;
  return TRUE;
}

SlAnnotation *
_sl_ml_annotation (SlLabelContext  *ctx,
                   const char      *path,
                   const char      *where,
                   SlShapeKind      kind,
                   const double    *xy,
                   guint            n,
                   GError         **error)
{
  g_autofree SlPoint *pts = NULL;
  g_autoptr(SlAnnotation) a = NULL;
  g_autoptr(GError) local = NULL;
  int w, h;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: pixel labels need a scene to be placed on", path);
      return NULL;
    }
  w = sl_scene_pixels_get_width (ctx->pixels);
  h = sl_scene_pixels_get_height (ctx->pixels);
  pts = g_new (SlPoint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      double px = xy[2 * i], py = xy[2 * i + 1];

      if (!isfinite (px) || !isfinite (py) || px < -EDGE_TOLERANCE || py < -EDGE_TOLERANCE ||
          px > w + EDGE_TOLERANCE || py > h + EDGE_TOLERANCE)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "point (%g, %g) is outside the %d × %d pixels of the image", px, py, w, h);
          return NULL;
        }
      if (!sl_scene_pixels_to_site (ctx->pixels, CLAMP (px, 0, w), CLAMP (py, 0, h), &pts[i].x, &pts[i].y))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "point (%g, %g) cannot be placed on the site", px, py);
          return NULL;
        }
    }
  if (n == 4 && (kind == SL_SHAPE_BOX || kind == SL_SHAPE_ROTATED_BOX || kind == SL_SHAPE_POLYGON))
    {
      if (!regularise_rectangle (pts, &kind) && kind != SL_SHAPE_POLYGON)
        kind = SL_SHAPE_POLYGON;
    }
  a = sl_annotation_new (kind, pts, n);
  a->scene_id = sl_scene_get_id (ctx->scene);
  if (!sl_annotation_is_valid (a, &local))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where, "%s", local->message);
      return NULL;
    }
  return g_steal_pointer (&a);
}
