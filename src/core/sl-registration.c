/* sl-registration.c — tie points → a transform, its checks, residuals and storage form
 *
 * Similarity, affine and projective are fitted here (sl-registration-fit.c); polynomials
 * and the thin-plate spline are GDAL's GCP transformers, so a VRT written with the same
 * points warps exactly as Sitelapse draws. The inverse of GDAL's transformers is polished by
 * Newton's method on the forward one: GDAL fits the inverse separately, and a tie-point
 * editor needs forward and back to agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal_alg.h>

#include "sl-registration-private.h"

G_DEFINE_FINAL_TYPE (SlRegistration, sl_registration, G_TYPE_OBJECT)

G_DEFINE_QUARK (sl-registration-error-quark, sl_registration_error)

static const struct
{
  const char *name;
  const char *described;  /* "an affine transform needs …" */
  guint       min_points;
} kinds[] = {
  [SL_TRANSFORM_SIMILARITY] = { "similarity", "a similarity transform (shift, scale and rotation)", 2 },
  [SL_TRANSFORM_AFFINE]     = { "affine", "an affine transform", 3 },
  [SL_TRANSFORM_PROJECTIVE] = { "projective", "a projective transform", 4 },
  [SL_TRANSFORM_POLY2]      = { "poly2", "a polynomial transform of order 2", 6 },
  [SL_TRANSFORM_POLY3]      = { "poly3", "a polynomial transform of order 3", 10 },
  [SL_TRANSFORM_TPS]        = { "tps", "a thin-plate spline", 3 },
};

/* "polynomial transform of order 2": the description without its article. */
static const char *
noun (SlTransformKind kind)
{
  const char *d = kinds[kind].described;

  return strchr (d, ' ') + 1;
}

/* --- transforms ---------------------------------------------------------------- */

static gboolean
gdal_transform (SlRegistration *self,
                gboolean        backward,
                guint           n,
                double         *x,
                double         *y,
                int            *ok)
{
  g_autofree double *z = g_new0 (double, MAX (n, 1));
  gboolean all;

  g_mutex_lock (&self->gdal_lock);
  if (self->kind == SL_TRANSFORM_TPS)
    all = GDALTPSTransform (self->gdal, backward, (int) n, x, y, z, ok);
  else
    all = GDALGCPTransform (self->gdal, backward, (int) n, x, y, z, ok);
  g_mutex_unlock (&self->gdal_lock);
  return all;
}

static gboolean
forward_point (SlRegistration *self,
               double          x,
               double          y,
               double         *u,
               double         *v)
{
  switch (self->kind)
    {
    case SL_TRANSFORM_SIMILARITY:
    case SL_TRANSFORM_AFFINE:
      *u = self->t[0] + self->t[1] * x + self->t[2] * y;
      *v = self->t[3] + self->t[4] * x + self->t[5] * y;
      return TRUE;
    case SL_TRANSFORM_PROJECTIVE:
      {
        const double *h = self->h;
        double w = h[6] * x + h[7] * y + h[8];

        if (fabs (w) < 1e-12)
          return FALSE;
        *u = (h[0] * x + h[1] * y + h[2]) / w;
        *v = (h[3] * x + h[4] * y + h[5]) / w;
        return isfinite (*u) && isfinite (*v);
      }
    case SL_TRANSFORM_POLY2:
    case SL_TRANSFORM_POLY3:
    case SL_TRANSFORM_TPS:
    default:
      {
        int ok = FALSE;

        *u = x;
        *v = y;
        gdal_transform (self, FALSE, 1, u, v, &ok);
        return ok && isfinite (*u) && isfinite (*v);
      }
    }
}

/* Newton's method on the forward transform, from GDAL's own inverse as the first guess. */
static gboolean
inverse_gdal_point (SlRegistration *self,
                    double          u,
                    double          v,
                    double         *x,
                    double         *y)
{
  int ok = FALSE;
  double px = u, py = v;
  double step = 1e-3 * MAX (1, MAX (self->width, self->height)) / 1000.0;

  gdal_transform (self, TRUE, 1, &px, &py, &ok);
  if (!ok || !isfinite (px) || !isfinite (py))
    return FALSE;
  for (int iter = 0; iter < 30; iter++)
    {
      double fu, fv, ax, ay, bx, by, cx, cy, dx, dy, j00, j01, j10, j11, det, ex, ey;

      if (!forward_point (self, px, py, &fu, &fv)
          || !forward_point (self, px + step, py, &ax, &ay) || !forward_point (self, px - step, py, &bx, &by)
          || !forward_point (self, px, py + step, &cx, &cy) || !forward_point (self, px, py - step, &dx, &dy))
        return FALSE;
      j00 = (ax - bx) / (2 * step);
      j10 = (ay - by) / (2 * step);
      j01 = (cx - dx) / (2 * step);
      j11 = (cy - dy) / (2 * step);
      det = j00 * j11 - j01 * j10;
      if (det == 0 || !isfinite (det))
        return FALSE;
      ex = u - fu;
      ey = v - fv;
      dx = (j11 * ex - j01 * ey) / det;
      dy = (-j10 * ex + j00 * ey) / det;
      px += dx;
      py += dy;
      if (fabs (dx) + fabs (dy) < 1e-10 * (1 + fabs (px) + fabs (py)))
        break;
    }
  *x = px;
  *y = py;
  return isfinite (px) && isfinite (py);
}

static gboolean
inverse_point (SlRegistration *self,
               double          u,
               double          v,
               double         *x,
               double         *y)
{
  switch (self->kind)
    {
    case SL_TRANSFORM_SIMILARITY:
    case SL_TRANSFORM_AFFINE:
      *x = self->t_inv[0] + self->t_inv[1] * u + self->t_inv[2] * v;
      *y = self->t_inv[3] + self->t_inv[4] * u + self->t_inv[5] * v;
      return TRUE;
    case SL_TRANSFORM_PROJECTIVE:
      {
        const double *h = self->h_inv;
        double w = h[6] * u + h[7] * v + h[8];

        if (fabs (w) < 1e-300)
          return FALSE;
        *x = (h[0] * u + h[1] * v + h[2]) / w;
        *y = (h[3] * u + h[4] * v + h[5]) / w;
        return isfinite (*x) && isfinite (*y);
      }
    case SL_TRANSFORM_POLY2:
    case SL_TRANSFORM_POLY3:
    case SL_TRANSFORM_TPS:
    default:
      return inverse_gdal_point (self, u, v, x, y);
    }
}

/* --- checks -------------------------------------------------------------------- */

/* Tie point coordinates are pixels: a billion is beyond any image. */
#define MAX_COORDINATE 1e9

static gboolean
check_duplicates (const SlTiePoint *p,
                  guint             n,
                  GError          **error)
{
  double image_extent = 1, ref_extent = 1;

  /* Pixels of images: anything beyond a billion (or not a number) is a broken points file,
   * and would make every tolerance below meaningless. */
  for (guint i = 0; i < n; i++)
    {
      if (!p[i].enabled)
        continue;
      if (!(fabs (p[i].image_x) <= MAX_COORDINATE && fabs (p[i].image_y) <= MAX_COORDINATE &&
            fabs (p[i].ref_x) <= MAX_COORDINATE && fabs (p[i].ref_y) <= MAX_COORDINATE))
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                       "Tie point %u is out of range (image %g, %g; reference %g, %g): coordinates are pixels",
                       i + 1, p[i].image_x, p[i].image_y, p[i].ref_x, p[i].ref_y);
          return FALSE;
        }
      image_extent = MAX (image_extent, MAX (fabs (p[i].image_x), fabs (p[i].image_y)));
      ref_extent = MAX (ref_extent, MAX (fabs (p[i].ref_x), fabs (p[i].ref_y)));
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        gboolean same_image, same_ref;

        if (!p[i].enabled || !p[j].enabled)
          continue;
        same_image = hypot (p[i].image_x - p[j].image_x, p[i].image_y - p[j].image_y) <= 1e-9 * image_extent;
        same_ref = hypot (p[i].ref_x - p[j].ref_x, p[i].ref_y - p[j].ref_y) <= 1e-9 * ref_extent;
        if (same_image && same_ref)
          {
            g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_DUPLICATE,
                         "Tie points %u and %u are duplicates (image %.2f, %.2f): remove one",
                         i + 1, j + 1, p[i].image_x, p[i].image_y);
            return FALSE;
          }
        if (same_image || same_ref)
          {
            g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_DUPLICATE,
                         "Tie points %u and %u share the same %s position (%.2f, %.2f) but not the other: "
                         "one of them is misplaced",
                         i + 1, j + 1, same_image ? "image" : "reference",
                         same_image ? p[i].image_x : p[i].ref_x, same_image ? p[i].image_y : p[i].ref_y);
            return FALSE;
          }
      }
  return TRUE;
}

/* The Jacobian's sign over a grid of the image: where it flips, the image is folded. */
static gboolean
check_folding (SlRegistration *self,
               GError        **error)
{
  const int grid = 32;
  double step, w = self->width, h = self->height;
  int positive = 0, negative = 0;
  double fold_x = 0, fold_y = 0, centre_det = 0;
  gboolean found = FALSE;

  if (self->width <= 0 || self->height <= 0)
    return TRUE;

  if (self->kind == SL_TRANSFORM_SIMILARITY || self->kind == SL_TRANSFORM_AFFINE)
    return TRUE;  /* constant Jacobian, non-zero once the points passed the line check */

  if (self->kind == SL_TRANSFORM_PROJECTIVE)
    {
      const double *m = self->h;
      double corners[4][2] = { { 0, 0 }, { w, 0 }, { 0, h }, { w, h } };
      double wmin = G_MAXDOUBLE, wmax = -G_MAXDOUBLE;

      for (int k = 0; k < 4; k++)
        {
          double ww = m[6] * corners[k][0] + m[7] * corners[k][1] + m[8];

          wmin = MIN (wmin, ww);
          wmax = MAX (wmax, ww);
        }
      if (wmin <= 0 && wmax >= 0)
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_FOLDS,
                       "The projective transform folds the image: its horizon crosses the %d × %d image, "
                       "sending part of it to infinity; check the tie points or use an affine transform",
                       self->width, self->height);
          return FALSE;
        }
      return TRUE;
    }

  step = MAX (w, h) * 1e-4;
  {
    double ax, ay, bx, by, cx, cy;

    if (forward_point (self, w / 2, h / 2, &ax, &ay) && forward_point (self, w / 2 + step, h / 2, &bx, &by)
        && forward_point (self, w / 2, h / 2 + step, &cx, &cy))
      centre_det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
  }
  for (int j = 0; j <= grid; j++)
    for (int i = 0; i <= grid; i++)
      {
        double x = w * i / grid, y = h * j / grid, ax, ay, bx, by, cx, cy, det;

        if (!forward_point (self, x, y, &ax, &ay) || !forward_point (self, x + step, y, &bx, &by)
            || !forward_point (self, x, y + step, &cx, &cy))
          continue;
        det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
        if (det > 0)
          positive++;
        else if (det < 0)
          negative++;
        /* Report where the sign differs from the centre's, the part that is turned over. */
        if (det != 0 && (det > 0) != (centre_det > 0) && !found)
          {
            fold_x = x;
            fold_y = y;
            found = TRUE;
          }
      }
  if (positive > 0 && negative > 0)
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_FOLDS,
                   "The %s folds the image near pixel (%.0f, %.0f): it turns part of the image inside out; "
                   "check the tie points there, or use a transform with fewer degrees of freedom",
                   noun (self->kind), fold_x, fold_y);
      return FALSE;
    }
  return TRUE;
}

static void
compute_residuals (SlRegistration *self)
{
  double sum = 0, sum_image = 0;

  self->residuals = g_new0 (SlResidual, MAX (self->n_points, 1));
  for (guint i = 0; i < self->n_points; i++)
    {
      const SlTiePoint *p = &self->points[i];
      SlResidual *r = &self->residuals[i];
      double u, v, x, y;

      if (forward_point (self, p->image_x, p->image_y, &u, &v))
        {
          r->ref_dx = u - p->ref_x;
          r->ref_dy = v - p->ref_y;
          r->ref_error = hypot (r->ref_dx, r->ref_dy);
        }
      else
        r->ref_dx = r->ref_dy = r->ref_error = INFINITY;
      if (inverse_point (self, p->ref_x, p->ref_y, &x, &y))
        {
          r->image_dx = x - p->image_x;
          r->image_dy = y - p->image_y;
          r->image_error = hypot (r->image_dx, r->image_dy);
        }
      else
        r->image_dx = r->image_dy = r->image_error = INFINITY;
      if (p->enabled)
        {
          sum += r->ref_error * r->ref_error;
          sum_image += r->image_error * r->image_error;
        }
    }
  self->rms = self->n_enabled ? sqrt (sum / self->n_enabled) : 0;
  self->rms_image = self->n_enabled ? sqrt (sum_image / self->n_enabled) : 0;
}

static gboolean
fit (SlRegistration *self,
     GError        **error)
{
  const char *what = kinds[self->kind].described;
  g_autofree double *src = g_new (double, 2 * MAX (self->n_enabled, 1));
  g_autofree double *dst = g_new (double, 2 * MAX (self->n_enabled, 1));
  g_autofree GDAL_GCP *gcps = g_new0 (GDAL_GCP, MAX (self->n_enabled, 1));
  guint k = 0;

  for (guint i = 0; i < self->n_points; i++)
    if (self->points[i].enabled)
      {
        src[2 * k] = gcps[k].dfGCPPixel = self->points[i].image_x;
        src[2 * k + 1] = gcps[k].dfGCPLine = self->points[i].image_y;
        dst[2 * k] = gcps[k].dfGCPX = self->points[i].ref_x;
        dst[2 * k + 1] = gcps[k].dfGCPY = self->points[i].ref_y;
        gcps[k].pszId = (char *) "";
        gcps[k].pszInfo = (char *) "";
        k++;
      }

  if (self->kind != SL_TRANSFORM_SIMILARITY
      && (_sl_point_spread (src, k) < 1e-3 || _sl_point_spread (dst, k) < 1e-3))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_COLLINEAR,
                   "The %u enabled tie points lie on a line in the %s: %s needs points spread over the image",
                   k, _sl_point_spread (src, k) < 1e-3 ? "image" : "reference", what);
      return FALSE;
    }

  /* Four points pin a homography only when no three of them are on a line. */
  if (self->kind == SL_TRANSFORM_PROJECTIVE && k == 4)
    for (int side = 0; side < 2; side++)
      {
        const double *p = side == 0 ? src : dst;
        double extent = 0;

        for (int a = 0; a < 4; a++)
          for (int b = a + 1; b < 4; b++)
            extent = MAX (extent, hypot (p[2 * a] - p[2 * b], p[2 * a + 1] - p[2 * b + 1]));
        for (int skip = 0; skip < 4; skip++)
          {
            int i0 = skip == 0 ? 1 : 0, i1 = skip <= 1 ? 2 : 1, i2 = skip <= 2 ? 3 : 2;
            double area = fabs ((p[2 * i1] - p[2 * i0]) * (p[2 * i2 + 1] - p[2 * i0 + 1])
                                - (p[2 * i2] - p[2 * i0]) * (p[2 * i1 + 1] - p[2 * i0 + 1]));

            if (area <= 1e-6 * extent * extent)
              {
                g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_COLLINEAR,
                             "Three of the 4 enabled tie points lie on a line in the %s: a projective transform "
                             "needs four points with no three on a line; move one or add more",
                             side == 0 ? "image" : "reference");
                return FALSE;
              }
          }
      }

  switch (self->kind)
    {
    case SL_TRANSFORM_SIMILARITY:
      _sl_fit_similarity (src, dst, k, self->t);
      if (!_sl_affine_invert (self->t, self->t_inv))
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_COLLINEAR,
                       "The tie points put the whole image on one point of the reference: check them");
          return FALSE;
        }
      return TRUE;
    case SL_TRANSFORM_AFFINE:
      if (!_sl_fit_affine (src, dst, k, self->t) || !_sl_affine_invert (self->t, self->t_inv))
        break;
      return TRUE;
    case SL_TRANSFORM_PROJECTIVE:
      if (!_sl_fit_projective (src, dst, k, self->h) || !_sl_matrix3_invert (self->h, self->h_inv))
        break;
      if (self->h[8] != 1)
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_FOLDS,
                       "The projective transform folds the image: its horizon passes through the image's "
                       "corner, sending it to infinity; check the tie points or use an affine transform");
          return FALSE;
        }
      return TRUE;
    case SL_TRANSFORM_POLY2:
    case SL_TRANSFORM_POLY3:
      self->gdal = GDALCreateGCPTransformer ((int) k, gcps, self->kind == SL_TRANSFORM_POLY2 ? 2 : 3, FALSE);
      if (self->gdal == NULL)
        break;
      return TRUE;
    case SL_TRANSFORM_TPS:
    default:
      self->gdal = GDALCreateTPSTransformer ((int) k, gcps, FALSE);
      if (self->gdal == NULL)
        break;
      return TRUE;
    }
  g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_COLLINEAR,
               "The %u enabled tie points do not determine %s: too many of them lie on one line "
               "(or curve); move or add points", k, what);
  return FALSE;
}

/* --- GObject ------------------------------------------------------------------- */

static void
sl_registration_finalize (GObject *object)
{
  SlRegistration *self = SL_REGISTRATION (object);

  if (self->gdal)
    {
      if (self->kind == SL_TRANSFORM_TPS)
        GDALDestroyTPSTransformer (self->gdal);
      else
        GDALDestroyGCPTransformer (self->gdal);
    }
  g_mutex_clear (&self->gdal_lock);
  g_free (self->points);
  g_free (self->residuals);
  G_OBJECT_CLASS (sl_registration_parent_class)->finalize (object);
}

static void
sl_registration_class_init (SlRegistrationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_registration_finalize;
}

static void
sl_registration_init (SlRegistration *self)
{
  g_mutex_init (&self->gdal_lock);
}

/* --- public API ---------------------------------------------------------------- */

const char *
sl_transform_kind_to_string (SlTransformKind kind)
{
  g_return_val_if_fail (kind <= SL_TRANSFORM_TPS, NULL);
  return kinds[kind].name;
}

gboolean
sl_transform_kind_from_string (const char      *text,
                               SlTransformKind *kind)
{
  for (guint i = 0; text && i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (text, kinds[i].name) == 0)
      {
        *kind = (SlTransformKind) i;
        return TRUE;
      }
  return FALSE;
}

guint
sl_transform_kind_min_points (SlTransformKind kind)
{
  g_return_val_if_fail (kind <= SL_TRANSFORM_TPS, 0);
  return kinds[kind].min_points;
}

SlRegistration *
sl_registration_solve (SlTransformKind   kind,
                       const SlTiePoint *points,
                       guint             n_points,
                       int               image_width,
                       int               image_height,
                       GError          **error)
{
  g_autoptr(SlRegistration) self = NULL;

  g_return_val_if_fail (kind <= SL_TRANSFORM_TPS, NULL);
  g_return_val_if_fail (points != NULL || n_points == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SL_TYPE_REGISTRATION, NULL);
  self->kind = kind;
  self->points = g_memdup2 (points, sizeof (SlTiePoint) * MAX (n_points, 1));
  self->n_points = n_points;
  self->width = MAX (image_width, 0);
  self->height = MAX (image_height, 0);
  for (guint i = 0; i < n_points; i++)
    {
      if (!isfinite (points[i].image_x) || !isfinite (points[i].image_y)
          || !isfinite (points[i].ref_x) || !isfinite (points[i].ref_y))
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                       "Tie point %u has a coordinate that is not a number", i + 1);
          return NULL;
        }
      self->points[i].enabled = points[i].enabled != FALSE;
      self->n_enabled += self->points[i].enabled;
    }

  if (self->n_enabled < kinds[kind].min_points)
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_TOO_FEW_POINTS,
                   "%c%s needs at least %u tie points; %u %s enabled",
                   g_ascii_toupper (kinds[kind].described[0]), kinds[kind].described + 1,
                   kinds[kind].min_points, self->n_enabled, self->n_enabled == 1 ? "is" : "are");
      return NULL;
    }
  if (!check_duplicates (self->points, n_points, error) || !fit (self, error) || !check_folding (self, error))
    return NULL;
  compute_residuals (self);
  return g_steal_pointer (&self);
}

SlTransformKind
sl_registration_get_kind (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), SL_TRANSFORM_AFFINE);
  return self->kind;
}

const SlTiePoint *
sl_registration_get_points (SlRegistration *self,
                            guint          *n_points)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), NULL);
  if (n_points)
    *n_points = self->n_points;
  return self->points;
}

guint
sl_registration_get_n_enabled (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  return self->n_enabled;
}

int
sl_registration_get_image_width (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  return self->width;
}

int
sl_registration_get_image_height (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  return self->height;
}

gboolean
sl_registration_forward (SlRegistration *self,
                         double          x,
                         double          y,
                         double         *ref_x,
                         double         *ref_y)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  return forward_point (self, x, y, ref_x, ref_y);
}

gboolean
sl_registration_inverse (SlRegistration *self,
                         double          ref_x,
                         double          ref_y,
                         double         *x,
                         double         *y)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  return inverse_point (self, ref_x, ref_y, x, y);
}

static gboolean
transform_array (SlRegistration *self,
                 gboolean        backward,
                 guint           n,
                 double         *x,
                 double         *y,
                 gboolean       *ok)
{
  gboolean all = TRUE;

  for (guint i = 0; i < n; i++)
    {
      double u, v;
      gboolean done = backward ? inverse_point (self, x[i], y[i], &u, &v) : forward_point (self, x[i], y[i], &u, &v);

      if (done)
        {
          x[i] = u;
          y[i] = v;
        }
      if (ok)
        ok[i] = done;
      all = all && done;
    }
  return all;
}

gboolean
sl_registration_forward_array (SlRegistration *self,
                               guint           n,
                               double         *x,
                               double         *y,
                               gboolean       *ok)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  return transform_array (self, FALSE, n, x, y, ok);
}

gboolean
sl_registration_inverse_array (SlRegistration *self,
                               guint           n,
                               double         *x,
                               double         *y,
                               gboolean       *ok)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  return transform_array (self, TRUE, n, x, y, ok);
}

gboolean
sl_registration_get_affine (SlRegistration *self,
                            double          t[6])
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  if (self->kind != SL_TRANSFORM_SIMILARITY && self->kind != SL_TRANSFORM_AFFINE)
    return FALSE;
  memcpy (t, self->t, sizeof self->t);
  return TRUE;
}

gboolean
sl_registration_get_homography (SlRegistration *self,
                                double          h[9])
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  if (self->kind != SL_TRANSFORM_PROJECTIVE)
    return FALSE;
  memcpy (h, self->h, sizeof self->h);
  return TRUE;
}

void
sl_registration_get_residual (SlRegistration *self,
                              guint           index,
                              SlResidual     *residual)
{
  g_return_if_fail (SL_IS_REGISTRATION (self));
  g_return_if_fail (index < self->n_points);
  *residual = self->residuals[index];
}

double
sl_registration_get_rms (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  return self->rms;
}

double
sl_registration_get_rms_image (SlRegistration *self)
{
  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  return self->rms_image;
}

static int
compare_worst (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const SlResidual *r = user_data;
  double ea = r[*(const guint *) a].image_error, eb = r[*(const guint *) b].image_error;

  return ea < eb ? 1 : ea > eb ? -1 : (int) *(const guint *) a - (int) *(const guint *) b;
}

guint
sl_registration_get_worst (SlRegistration *self,
                           guint           max,
                           guint          *indices)
{
  g_autofree guint *order = NULL;
  guint n = 0;

  g_return_val_if_fail (SL_IS_REGISTRATION (self), 0);
  order = g_new (guint, MAX (self->n_points, 1));
  for (guint i = 0; i < self->n_points; i++)
    if (self->points[i].enabled)
      order[n++] = i;
  g_qsort_with_data (order, (int) n, sizeof (guint), compare_worst, self->residuals);
  n = MIN (n, max);
  memcpy (indices, order, n * sizeof (guint));
  return n;
}
