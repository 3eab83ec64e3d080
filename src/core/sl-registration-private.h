/* sl-registration-private.h — SlRegistration's internals, shared by its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-registration.h"

G_BEGIN_DECLS

struct _SlRegistration
{
  GObject          parent_instance;

  SlTransformKind  kind;
  SlTiePoint      *points;
  guint            n_points;
  guint            n_enabled;
  int              width, height;   /* image size the fold check used; 0 when unknown */

  double           t[6];            /* similarity / affine: image → reference */
  double           t_inv[6];
  double           h[9];            /* projective: image → reference, h[8] = 1 */
  double           h_inv[9];
  void            *gdal;            /* GDAL GCP or TPS transformer (poly2, poly3, tps) */
  GMutex           gdal_lock;       /* GDAL's transformers are not documented as thread-safe */

  SlResidual      *residuals;       /* one per point */
  double           rms, rms_image;
};

/* Least squares with closed forms, on @n pairs of interleaved xy (src → dst). */
void      _sl_fit_similarity      (const double *src,
                                   const double *dst,
                                   guint         n,
                                   double        t[6]);
gboolean  _sl_fit_affine          (const double *src,
                                   const double *dst,
                                   guint         n,
                                   double        t[6]);
/* Normalised DLT, then Gauss–Newton on the reprojection error. FALSE when the points do
 * not determine a homography. @h is scaled to h[8] = 1 unless h[8] is (near) 0. */
gboolean  _sl_fit_projective      (const double *src,
                                   const double *dst,
                                   guint         n,
                                   double        h[9]);
/* How far @n points are from lying on a line: sqrt (λmin / λmax) of their covariance,
 * 0 for collinear points, 1 for an isotropic cloud. */
double    _sl_point_spread        (const double *xy,
                                   guint         n);
gboolean  _sl_affine_invert       (const double  t[6],
                                   double        inv[6]);
gboolean  _sl_matrix3_invert      (const double  m[9],
                                   double        inv[9]);
/* Solves a·x = b in place (b becomes x); a is n×n row-major and destroyed. */
gboolean  _sl_solve_linear        (double       *a,
                                   double       *b,
                                   int           n);

G_END_DECLS
