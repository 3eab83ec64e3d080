/* sl-annotation.c — one tagged object on one date: the value type and its geometry maths
 *
 * An annotation is a plain boxed struct, copied freely: the store hands out copies and the
 * undo stack keeps them as before-images. The GeoPackage blob encoding lives in
 * sl-annotation-geometry.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "sl-annotation.h"

/* More points than any hand-drawn shape has; bounds what a hostile file can make us allocate. */
#define MAX_POINTS 100000

/* Relative tolerance for "is this a rectangle": corners typed in or computed from a drag in
 * floating point are square to far better than this. */
#define RECT_TOLERANCE 1e-6

G_DEFINE_BOXED_TYPE (SlAnnotation, sl_annotation, sl_annotation_copy, sl_annotation_free)

static const char *const kind_names[] = { "point", "box", "rotated_box", "polygon", "line" };
static const char *const confidence_names[] = { NULL, "low", "medium", "high" };

static gboolean
is_closed_kind (SlShapeKind kind)
{
  return kind == SL_SHAPE_BOX || kind == SL_SHAPE_ROTATED_BOX || kind == SL_SHAPE_POLYGON;
}

/* Twice the signed area of the ring (shoelace), positive counter-clockwise. Coordinates are
 * taken relative to the first point so large map coordinates keep their precision. */
static double
signed_area2 (const SlPoint *p, guint n)
{
  double sum = 0;

  for (guint i = 1; i + 1 < n; i++)
    {
      double ax = p[i].x - p[0].x, ay = p[i].y - p[0].y;
      double bx = p[i + 1].x - p[0].x, by = p[i + 1].y - p[0].y;

      sum += ax * by - bx * ay;
    }
  return sum;
}

static double
segment_distance (double px, double py, const SlPoint *a, const SlPoint *b)
{
  double dx = b->x - a->x, dy = b->y - a->y;
  double len2 = dx * dx + dy * dy;
  double t = 0;

  if (len2 > 0)
    t = CLAMP (((px - a->x) * dx + (py - a->y) * dy) / len2, 0.0, 1.0);
  return hypot (px - (a->x + t * dx), py - (a->y + t * dy));
}

/* Even-odd rule: TRUE when (x, y) is inside the closed ring. */
static gboolean
ring_contains (const SlPoint *p, guint n, double x, double y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      if ((p[i].y > y) != (p[j].y > y) &&
          x < (p[j].x - p[i].x) * (y - p[i].y) / (p[j].y - p[i].y) + p[i].x)
        inside = !inside;
    }
  return inside;
}

/* The longest side of the shape's bounds, to scale tolerances to the shape. */
static double
extent (const SlAnnotation *self)
{
  SlBounds b;

  sl_annotation_get_bounds (self, &b);
  return MAX (b.max_x - b.min_x, b.max_y - b.min_y);
}

SlAnnotation *
sl_annotation_new (SlShapeKind    kind,
                   const SlPoint *points,
                   guint          n_points)
{
  SlAnnotation *self = g_new0 (SlAnnotation, 1);

  g_return_val_if_fail (points != NULL || n_points == 0, self);

  self->kind = kind;
  sl_annotation_set_points (self, points, n_points);
  return self;
}

SlAnnotation *
sl_annotation_copy (const SlAnnotation *self)
{
  SlAnnotation *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new (SlAnnotation, 1);
  *copy = *self;
  copy->points = g_memdup2 (self->points, sizeof (SlPoint) * self->n_points);
  copy->object_uid = g_strdup (self->object_uid);
  copy->note = g_strdup (self->note);
  copy->author = g_strdup (self->author);
  return copy;
}

void
sl_annotation_free (SlAnnotation *self)
{
  if (self == NULL)
    return;
  g_free (self->points);
  g_free (self->object_uid);
  g_free (self->note);
  g_free (self->author);
  g_free (self);
}

void
sl_annotation_set_points (SlAnnotation  *self,
                          const SlPoint *points,
                          guint          n_points)
{
  SlPoint *copy;

  g_return_if_fail (self != NULL);
  g_return_if_fail (points != NULL || n_points == 0);

  /* Copy first: @points may be self->points. */
  copy = g_memdup2 (points, sizeof (SlPoint) * n_points);
  g_free (self->points);
  self->points = copy;
  self->n_points = n_points;
}

gboolean
sl_annotation_is_valid (const SlAnnotation  *self,
                        GError             **error)
{
  double scale;

  g_return_val_if_fail (self != NULL, FALSE);

  if ((guint) self->kind >= G_N_ELEMENTS (kind_names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown shape kind %d", (int) self->kind);
      return FALSE;
    }
  if (self->n_points > MAX_POINTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a shape has at most %d points, this one has %u", MAX_POINTS, self->n_points);
      return FALSE;
    }
  for (guint i = 0; i < self->n_points; i++)
    if (!isfinite (self->points[i].x) || !isfinite (self->points[i].y))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "point %u of the %s is not a finite coordinate", i + 1, kind_names[self->kind]);
        return FALSE;
      }

  switch (self->kind)
    {
    case SL_SHAPE_POINT:
      if (self->n_points != 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "a point needs exactly 1 point, not %u", self->n_points);
          return FALSE;
        }
      return TRUE;

    case SL_SHAPE_LINE:
      if (self->n_points < 2)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a line needs at least 2 points");
          return FALSE;
        }
      if (sl_annotation_length (self) <= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a line needs 2 distinct points");
          return FALSE;
        }
      return TRUE;

    case SL_SHAPE_POLYGON:
      if (self->n_points < 3)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a polygon needs at least 3 points");
          return FALSE;
        }
      break;

    case SL_SHAPE_BOX:
    case SL_SHAPE_ROTATED_BOX:
      if (self->n_points != 4)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a %s needs exactly 4 corners, not %u",
                       self->kind == SL_SHAPE_BOX ? "box" : "rotated box", self->n_points);
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  scale = extent (self);
  if (!(scale > 0) || fabs (signed_area2 (self->points, self->n_points)) <= scale * scale * 1e-12)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the %s has no area",
                   self->kind == SL_SHAPE_POLYGON ? "polygon" : "box");
      return FALSE;
    }

  if (self->kind != SL_SHAPE_POLYGON)
    {
      const SlPoint *p = self->points;
      double tol = scale * RECT_TOLERANCE;
      /* A rectangle: opposite corners are the same vector apart and the sides are square. */
      double ux = p[1].x - p[0].x, uy = p[1].y - p[0].y;
      double vx = p[2].x - p[1].x, vy = p[2].y - p[1].y;
      gboolean rect = fabs (p[3].x - (p[0].x + vx)) <= tol && fabs (p[3].y - (p[0].y + vy)) <= tol &&
                      fabs (ux * vx + uy * vy) <= tol * scale;

      if (rect && self->kind == SL_SHAPE_BOX)
        rect = (fabs (uy) <= tol && fabs (vx) <= tol) || (fabs (ux) <= tol && fabs (vy) <= tol);
      if (!rect)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               self->kind == SL_SHAPE_BOX ? "the corners of a box must form an axis-aligned rectangle"
                                                          : "the corners of a rotated box must form a rectangle");
          return FALSE;
        }
    }
  return TRUE;
}

void
sl_annotation_get_bounds (const SlAnnotation *self,
                          SlBounds           *bounds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (bounds != NULL);

  if (self->n_points == 0)
    {
      *bounds = (SlBounds) { 0, 0, 0, 0 };
      return;
    }
  bounds->min_x = bounds->max_x = self->points[0].x;
  bounds->min_y = bounds->max_y = self->points[0].y;
  for (guint i = 1; i < self->n_points; i++)
    {
      bounds->min_x = MIN (bounds->min_x, self->points[i].x);
      bounds->max_x = MAX (bounds->max_x, self->points[i].x);
      bounds->min_y = MIN (bounds->min_y, self->points[i].y);
      bounds->max_y = MAX (bounds->max_y, self->points[i].y);
    }
}

double
sl_annotation_distance (const SlAnnotation *self,
                        double              x,
                        double              y)
{
  const SlPoint *p;
  guint n;
  double best = INFINITY;

  g_return_val_if_fail (self != NULL, INFINITY);

  p = self->points;
  n = self->n_points;
  if (n == 0)
    return INFINITY;
  if (n == 1)
    return hypot (x - p[0].x, y - p[0].y);

  if (is_closed_kind (self->kind) && n >= 3)
    {
      if (ring_contains (p, n, x, y))
        return 0;
      for (guint i = 0; i < n; i++)
        best = MIN (best, segment_distance (x, y, &p[i], &p[(i + 1) % n]));
      return best;
    }
  for (guint i = 0; i + 1 < n; i++)
    best = MIN (best, segment_distance (x, y, &p[i], &p[i + 1]));
  return best;
}

void
sl_annotation_translate (SlAnnotation *self,
                         double        dx,
                         double        dy)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->n_points; i++)
    {
      self->points[i].x += dx;
      self->points[i].y += dy;
    }
}

/* A box turned by anything but whole quarter turns is no longer axis-aligned: it becomes a
 * rotated box, so the result stays valid. */
void
sl_annotation_rotate (SlAnnotation *self,
                      double        cx,
                      double        cy,
                      double        radians)
{
  double c, s, quarters;

  g_return_if_fail (self != NULL);

  c = cos (radians);
  s = sin (radians);
  for (guint i = 0; i < self->n_points; i++)
    {
      double dx = self->points[i].x - cx, dy = self->points[i].y - cy;

      self->points[i].x = cx + dx * c - dy * s;
      self->points[i].y = cy + dx * s + dy * c;
    }
  quarters = radians / G_PI_2;
  if (self->kind == SL_SHAPE_BOX && fabs (quarters - round (quarters)) > 1e-9)
    self->kind = SL_SHAPE_ROTATED_BOX;
}

double
sl_annotation_length (const SlAnnotation *self)
{
  double sum = 0;
  guint n;

  g_return_val_if_fail (self != NULL, 0);

  n = self->n_points;
  if (n < 2)
    return 0;
  for (guint i = 0; i + 1 < n; i++)
    sum += hypot (self->points[i + 1].x - self->points[i].x, self->points[i + 1].y - self->points[i].y);
  if (is_closed_kind (self->kind) && n >= 3)
    sum += hypot (self->points[0].x - self->points[n - 1].x, self->points[0].y - self->points[n - 1].y);
  return sum;
}

double
sl_annotation_area (const SlAnnotation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (!is_closed_kind (self->kind) || self->n_points < 3)
    return 0;
  return fabs (signed_area2 (self->points, self->n_points)) / 2;
}

const char *
sl_shape_kind_to_string (SlShapeKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
sl_shape_kind_from_string (const char  *text,
                           SlShapeKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (text, kind_names[i]) == 0)
      {
        *kind = (SlShapeKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sl_confidence_to_string (SlConfidence confidence)
{
  g_return_val_if_fail ((guint) confidence < G_N_ELEMENTS (confidence_names), NULL);
  return confidence_names[confidence];
}

/* NULL (SQL NULL) reads as SL_CONFIDENCE_NONE. */
gboolean
sl_confidence_from_string (const char   *text,
                           SlConfidence *confidence)
{
  g_return_val_if_fail (confidence != NULL, FALSE);

  if (text == NULL)
    {
      *confidence = SL_CONFIDENCE_NONE;
      return TRUE;
    }
  for (guint i = 1; i < G_N_ELEMENTS (confidence_names); i++)
    if (strcmp (text, confidence_names[i]) == 0)
      {
        *confidence = (SlConfidence) i;
        return TRUE;
      }
  return FALSE;
}
