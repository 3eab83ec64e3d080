/* sl-registration-fit.c — least squares for the closed-form transforms
 *
 * Similarity and affine have closed forms on centred coordinates. The projective transform
 * is Hartley's normalised DLT (the eigenvector of AᵀA with the smallest eigenvalue, found
 * with Jacobi rotations), polished by Gauss–Newton on the geometric error so that noisy
 * points get a true least-squares fit rather than an algebraic one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-registration-private.h"

static void
centroid (const double *xy,
          guint         n,
          double       *cx,
          double       *cy)
{
  double sx = 0, sy = 0;

  for (guint i = 0; i < n; i++)
    {
      sx += xy[2 * i];
      sy += xy[2 * i + 1];
    }
  *cx = sx / n;
  *cy = sy / n;
}

/* Hartley's normalisation: centroid at 0, mean distance √2. m maps raw → normalised. */
static void
normaliser (const double *xy,
            guint         n,
            double        m[9])
{
  double cx, cy, d = 0, s;

  centroid (xy, n, &cx, &cy);
  for (guint i = 0; i < n; i++)
    d += hypot (xy[2 * i] - cx, xy[2 * i + 1] - cy);
  d /= n;
  s = d > 0 ? G_SQRT2 / d : 1;
  memset (m, 0, 9 * sizeof (double));
  m[0] = s;
  m[2] = -s * cx;
  m[4] = s;
  m[5] = -s * cy;
  m[8] = 1;
}

static void
matrix3_multiply (const double a[9],
                  const double b[9],
                  double       out[9])
{
  double r[9];

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++)
      r[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
  memcpy (out, r, sizeof r);
}

/* Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations; @a is
 * destroyed, its diagonal ends up holding the eigenvalues; @v gets the eigenvectors as
 * columns. */
static void
jacobi_eigen (double *a,
              double *v,
              int     n)
{
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      v[i * n + j] = i == j;

  for (int sweep = 0; sweep < 100; sweep++)
    {
      double off = 0, total = 0;

      for (int p = 0; p < n; p++)
        for (int q = 0; q < n; q++)
          {
            total += a[p * n + q] * a[p * n + q];
            if (p != q)
              off += a[p * n + q] * a[p * n + q];
          }
      if (off <= 1e-30 * total)
        break;

      for (int p = 0; p < n - 1; p++)
        for (int q = p + 1; q < n; q++)
          {
            double apq = a[p * n + q], theta, tt, c, s;

            if (fabs (apq) < 1e-300)
              continue;
            theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
            tt = (theta >= 0 ? 1 : -1) / (fabs (theta) + sqrt (theta * theta + 1));
            c = 1 / sqrt (tt * tt + 1);
            s = tt * c;
            for (int k = 0; k < n; k++)
              {
                double akp = a[k * n + p], akq = a[k * n + q];

                a[k * n + p] = c * akp - s * akq;
                a[k * n + q] = s * akp + c * akq;
              }
            for (int k = 0; k < n; k++)
              {
                double apk = a[p * n + k], aqk = a[q * n + k];

                a[p * n + k] = c * apk - s * aqk;
                a[q * n + k] = s * apk + c * aqk;
              }
            for (int k = 0; k < n; k++)
              {
                double vkp = v[k * n + p], vkq = v[k * n + q];

                v[k * n + p] = c * vkp - s * vkq;
                v[k * n + q] = s * vkp + c * vkq;
              }
          }
    }
}

gboolean
_sl_solve_linear (double *a,
                  double *b,
                  int     n)
{
  double scale = 0;

  for (int i = 0; i < n * n; i++)
    scale = MAX (scale, fabs (a[i]));
  if (scale == 0)
    return FALSE;

  for (int col = 0; col < n; col++)
    {
      int pivot = col;

      for (int r = col + 1; r < n; r++)
        if (fabs (a[r * n + col]) > fabs (a[pivot * n + col]))
          pivot = r;
      if (fabs (a[pivot * n + col]) <= 1e-14 * scale)
        return FALSE;
      if (pivot != col)
        {
          for (int k = 0; k < n; k++)
            {
              double tmp = a[col * n + k];

              a[col * n + k] = a[pivot * n + k];
              a[pivot * n + k] = tmp;
            }
          {
            double tmp = b[col];

            b[col] = b[pivot];
            b[pivot] = tmp;
          }
        }
      for (int r = col + 1; r < n; r++)
        {
          double f = a[r * n + col] / a[col * n + col];

          if (f == 0)
            continue;
          for (int k = col; k < n; k++)
            a[r * n + k] -= f * a[col * n + k];
          b[r] -= f * b[col];
        }
    }
  for (int r = n - 1; r >= 0; r--)
    {
      double s = b[r];

      for (int k = r + 1; k < n; k++)
        s -= a[r * n + k] * b[k];
      b[r] = s / a[r * n + r];
    }
  return TRUE;
}

double
_sl_point_spread (const double *xy,
                  guint         n)
{
  double cx, cy, sxx = 0, syy = 0, sxy = 0, tr, det, disc, lmax, lmin;

  if (n < 2)
    return 0;
  centroid (xy, n, &cx, &cy);
  for (guint i = 0; i < n; i++)
    {
      double dx = xy[2 * i] - cx, dy = xy[2 * i + 1] - cy;

      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  tr = sxx + syy;
  det = sxx * syy - sxy * sxy;
  disc = sqrt (MAX (0, tr * tr / 4 - det));
  lmax = tr / 2 + disc;
  lmin = MAX (0, tr / 2 - disc);
  return lmax > 0 ? sqrt (lmin / lmax) : 0;
}

gboolean
_sl_affine_invert (const double t[6],
                   double       inv[6])
{
  double det = t[1] * t[5] - t[2] * t[4];

  if (det == 0 || !isfinite (det))
    return FALSE;
  inv[1] = t[5] / det;
  inv[2] = -t[2] / det;
  inv[4] = -t[4] / det;
  inv[5] = t[1] / det;
  inv[0] = -(inv[1] * t[0] + inv[2] * t[3]);
  inv[3] = -(inv[4] * t[0] + inv[5] * t[3]);
  return TRUE;
}

gboolean
_sl_matrix3_invert (const double m[9],
                    double       inv[9])
{
  double det = m[0] * (m[4] * m[8] - m[5] * m[7])
             - m[1] * (m[3] * m[8] - m[5] * m[6])
             + m[2] * (m[3] * m[7] - m[4] * m[6]);

  if (det == 0 || !isfinite (det))
    return FALSE;
  inv[0] = (m[4] * m[8] - m[5] * m[7]) / det;
  inv[1] = (m[2] * m[7] - m[1] * m[8]) / det;
  inv[2] = (m[1] * m[5] - m[2] * m[4]) / det;
  inv[3] = (m[5] * m[6] - m[3] * m[8]) / det;
  inv[4] = (m[0] * m[8] - m[2] * m[6]) / det;
  inv[5] = (m[2] * m[3] - m[0] * m[5]) / det;
  inv[6] = (m[3] * m[7] - m[4] * m[6]) / det;
  inv[7] = (m[1] * m[6] - m[0] * m[7]) / det;
  inv[8] = (m[0] * m[4] - m[1] * m[3]) / det;
  return TRUE;
}

/* Rotation + scale (+ shift) on centred coordinates; with @mirror the image's y is flipped
 * first, which a reference in map coordinates (y up) needs. Returns the squared error. */
static double
fit_similarity_oriented (const double *src,
                         const double *dst,
                         guint         n,
                         gboolean      mirror,
                         double        t[6])
{
  double scx, scy, dcx, dcy, sa = 0, sb = 0, ss = 0, a, b, sse = 0;
  double f = mirror ? -1 : 1;

  centroid (src, n, &scx, &scy);
  centroid (dst, n, &dcx, &dcy);
  for (guint i = 0; i < n; i++)
    {
      double x = src[2 * i] - scx, y = f * (src[2 * i + 1] - scy);
      double u = dst[2 * i] - dcx, v = dst[2 * i + 1] - dcy;

      sa += x * u + y * v;
      sb += x * v - y * u;
      ss += x * x + y * y;
    }
  a = ss > 0 ? sa / ss : 0;
  b = ss > 0 ? sb / ss : 0;
  /* u = a·x − b·y', v = b·x + a·y' with y' = f·y */
  t[1] = a;
  t[2] = -b * f;
  t[4] = b;
  t[5] = a * f;
  t[0] = dcx - t[1] * scx - t[2] * scy;
  t[3] = dcy - t[4] * scx - t[5] * scy;
  for (guint i = 0; i < n; i++)
    {
      double du = t[0] + t[1] * src[2 * i] + t[2] * src[2 * i + 1] - dst[2 * i];
      double dv = t[3] + t[4] * src[2 * i] + t[5] * src[2 * i + 1] - dst[2 * i + 1];

      sse += du * du + dv * dv;
    }
  return sse;
}

void
_sl_fit_similarity (const double *src,
                    const double *dst,
                    guint         n,
                    double        t[6])
{
  double mirrored[6];
  double sse = fit_similarity_oriented (src, dst, n, FALSE, t);

  /* Two points fit either handedness exactly: keep the image's own then. */
  if (n >= 3 && fit_similarity_oriented (src, dst, n, TRUE, mirrored) < 0.5 * sse)
    memcpy (t, mirrored, sizeof mirrored);
}

gboolean
_sl_fit_affine (const double *src,
                const double *dst,
                guint         n,
                double        t[6])
{
  double scx, scy, dcx, dcy, sxx = 0, sxy = 0, syy = 0, uxs = 0, uys = 0, vxs = 0, vys = 0, det;

  centroid (src, n, &scx, &scy);
  centroid (dst, n, &dcx, &dcy);
  for (guint i = 0; i < n; i++)
    {
      double x = src[2 * i] - scx, y = src[2 * i + 1] - scy;
      double u = dst[2 * i] - dcx, v = dst[2 * i + 1] - dcy;

      sxx += x * x;
      sxy += x * y;
      syy += y * y;
      uxs += u * x;
      uys += u * y;
      vxs += v * x;
      vys += v * y;
    }
  det = sxx * syy - sxy * sxy;
  if (det <= 0 || !isfinite (det))
    return FALSE;
  /* [t1 t2; t4 t5] = [Σux Σuy; Σvx Σvy] · [Σxx Σxy; Σxy Σyy]⁻¹ */
  t[1] = (uxs * syy - uys * sxy) / det;
  t[2] = (uys * sxx - uxs * sxy) / det;
  t[4] = (vxs * syy - vys * sxy) / det;
  t[5] = (vys * sxx - vxs * sxy) / det;
  t[0] = dcx - t[1] * scx - t[2] * scy;
  t[3] = dcy - t[4] * scx - t[5] * scy;
  return TRUE;
}

static double
projective_sse (const double *src,
                const double *dst,
                guint         n,
                const double  h[9])
{
  double sse = 0;

  for (guint i = 0; i < n; i++)
    {
      double x = src[2 * i], y = src[2 * i + 1];
      double w = h[6] * x + h[7] * y + h[8];
      double du = (h[0] * x + h[1] * y + h[2]) / w - dst[2 * i];
      double dv = (h[3] * x + h[4] * y + h[5]) / w - dst[2 * i + 1];

      sse += du * du + dv * dv;
    }
  return isfinite (sse) ? sse : G_MAXDOUBLE;
}

/* Gauss–Newton on the 8 free entries (h[8] = 1), in normalised coordinates. */
static void
polish_projective (const double *src,
                   const double *dst,
                   guint         n,
                   double        h[9])
{
  double sse = projective_sse (src, dst, n, h);

  for (int iter = 0; iter < 20 && sse > 0; iter++)
    {
      double jtj[64] = { 0 }, jtr[8] = { 0 }, trial[9], next;

      for (guint i = 0; i < n; i++)
        {
          double x = src[2 * i], y = src[2 * i + 1];
          double w = h[6] * x + h[7] * y + h[8];
          double u = (h[0] * x + h[1] * y + h[2]) / w, v = (h[3] * x + h[4] * y + h[5]) / w;
          double ju[8] = { x / w, y / w, 1 / w, 0, 0, 0, -u * x / w, -u * y / w };
          double jv[8] = { 0, 0, 0, x / w, y / w, 1 / w, -v * x / w, -v * y / w };
          double ru = u - dst[2 * i], rv = v - dst[2 * i + 1];

          for (int a = 0; a < 8; a++)
            {
              jtr[a] -= ju[a] * ru + jv[a] * rv;
              for (int b = 0; b < 8; b++)
                jtj[a * 8 + b] += ju[a] * ju[b] + jv[a] * jv[b];
            }
        }
      if (!_sl_solve_linear (jtj, jtr, 8))
        return;
      for (int a = 0; a < 8; a++)
        trial[a] = h[a] + jtr[a];
      trial[8] = 1;
      next = projective_sse (src, dst, n, trial);
      if (next >= sse)
        return;
      memcpy (h, trial, sizeof trial);
      if (sse - next <= 1e-15 * sse)
        return;
      sse = next;
    }
}

gboolean
_sl_fit_projective (const double *src,
                    const double *dst,
                    guint         n,
                    double        h[9])
{
  double ns[9], nd[9], nd_inv[9], ata[81] = { 0 }, vecs[81], hn[9], tmp[9];
  g_autofree double *psrc = g_new (double, 2 * n), *pdst = g_new (double, 2 * n);
  double lmax = 0, lmin = G_MAXDOUBLE, lsecond = G_MAXDOUBLE;
  int imin = 0;

  normaliser (src, n, ns);
  normaliser (dst, n, nd);
  for (guint i = 0; i < n; i++)
    {
      psrc[2 * i] = ns[0] * src[2 * i] + ns[2];
      psrc[2 * i + 1] = ns[4] * src[2 * i + 1] + ns[5];
      pdst[2 * i] = nd[0] * dst[2 * i] + nd[2];
      pdst[2 * i + 1] = nd[4] * dst[2 * i + 1] + nd[5];
    }
  for (guint i = 0; i < n; i++)
    {
      double x = psrc[2 * i], y = psrc[2 * i + 1], u = pdst[2 * i], v = pdst[2 * i + 1];
      double r1[9] = { -x, -y, -1, 0, 0, 0, u * x, u * y, u };
      double r2[9] = { 0, 0, 0, -x, -y, -1, v * x, v * y, v };

      for (int a = 0; a < 9; a++)
        for (int b = 0; b < 9; b++)
          ata[a * 9 + b] += r1[a] * r1[b] + r2[a] * r2[b];
    }
  jacobi_eigen (ata, vecs, 9);
  for (int k = 0; k < 9; k++)
    {
      double l = ata[k * 9 + k];

      lmax = MAX (lmax, l);
      if (l < lmin)
        {
          lsecond = lmin;
          lmin = l;
          imin = k;
        }
      else if (l < lsecond)
        lsecond = l;
    }
  /* A second (near) null direction: the points do not pin the homography down. */
  if (lmax <= 0 || lsecond <= 1e-10 * lmax)
    return FALSE;
  for (int k = 0; k < 9; k++)
    hn[k] = vecs[k * 9 + imin];
  /* The polish fixes h[8] = 1: not possible when the centroid goes to infinity. */
  if (n > 4 && fabs (hn[8]) > 1e-6)
    {
      for (int k = 0; k < 9; k++)
        tmp[k] = hn[k] / hn[8];
      memcpy (hn, tmp, sizeof tmp);
      polish_projective (psrc, pdst, n, hn);
    }

  /* H = Nd⁻¹ · Hn · Ns */
  if (!_sl_matrix3_invert (nd, nd_inv))
    return FALSE;
  matrix3_multiply (hn, ns, tmp);
  matrix3_multiply (nd_inv, tmp, h);
  {
    double norm = 0;

    for (int k = 0; k < 9; k++)
      norm += h[k] * h[k];
    norm = sqrt (norm);
    /* h[8] = 0 puts the image's origin on the horizon; the caller reports the fold. */
    if (fabs (h[8]) > 1e-12 * norm)
      norm = h[8];
    for (int k = 0; k < 9; k++)
      h[k] /= norm;
  }
  return TRUE;
}
