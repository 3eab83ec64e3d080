/* sl-registration-auto-private.h — the coarse, FFT-based stage of the automatic registration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ref = A · (img − img_centre) + ref_centre + shift, A = scale · R(rotation), in the
 * pixels of the two greyscale buffers given (x right, y down, (0, 0) the outer corner). */
typedef struct
{
  double scale;
  double rotation;    /* radians */
  double shift_x, shift_y;
  double peak_ratio;  /* of the translation's phase correlation */
} SlCoarseMatch;

/* Rotation and scale from the log-polar transform of the two magnitude spectra (Reddy &
 * Chatterji), then the shift by phase correlation; the best of a few candidate peaks, and
 * of each rotation and its opposite (spectra cannot tell them apart). Buffers are greyscale,
 * row-major, at most 1024 px a side. */
gboolean  _sl_coarse_match (const float   *image,
                            int            image_width,
                            int            image_height,
                            const float   *reference,
                            int            reference_width,
                            int            reference_height,
                            SlCoarseMatch *match,
                            GCancellable  *cancellable,
                            GError       **error);

G_END_DECLS
