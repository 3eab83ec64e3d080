/* sl-registration-auto.h — an automatic registration proposal for a scene against a reference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-registration.h"

G_BEGIN_DECLS

/* What the proposal found. The registration holds every candidate tie point (in image and
 * reference pixels), the outliers disabled, so an editor can show and review them. */
typedef struct
{
  SlRegistration *registration;
  double          peak_ratio;    /* coarse phase correlation: peak over the runner-up (≥ 2 is reliable) */
  double          rotation_deg;  /* coarse estimate: image → reference, clockwise on screen */
  double          scale;         /* coarse estimate: reference pixels per image pixel */
  guint           n_candidates;  /* tie points matched by correlation */
  guint           n_inliers;     /* of those, the ones that agree with the transform */
  double          mean_ncc;      /* mean normalised cross-correlation of the inliers, 0 … 1 */
  double          rms_image;     /* RMS of the inliers, in image pixels */
} SlRegistrationAutoResult;

void  sl_registration_auto_result_free (SlRegistrationAutoResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlRegistrationAutoResult, sl_registration_auto_result_free)

/* Finds the transform from @image_path's pixels to @reference_path's pixels: rotation and
 * scale from the log-polar spectra, shift by phase correlation, all on greyscale copies of
 * about 1024 px; then tie points on a grid by normalised cross-correlation at finer and
 * finer resolution (down to the images' own), outliers dropped by RANSAC, and a least-squares
 * fit of @kind (affine or projective are the useful ones; others are fitted to the same
 * points). Memory stays bounded whatever the image sizes. Blocks: call it from a worker
 * thread, or use the async form. Fails with SL_REGISTRATION_ERROR_NO_MATCH ("no reliable
 * match: …") when the images do not overlap. */
SlRegistrationAutoResult *sl_registration_auto        (const char           *image_path,
                                                       const char           *reference_path,
                                                       SlTransformKind       kind,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
void                      sl_registration_auto_async  (const char           *image_path,
                                                       const char           *reference_path,
                                                       SlTransformKind       kind,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
SlRegistrationAutoResult *sl_registration_auto_finish (GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
