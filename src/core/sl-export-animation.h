/* sl-export-animation.h — animated WebP and GIF from a series of frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define SL_EXPORT_ANIMATION_ERROR (sl_export_animation_error_quark ())

typedef enum
{
  SL_EXPORT_ANIMATION_ERROR_SIZE,    /* frames too large for the format */
  SL_EXPORT_ANIMATION_ERROR_ENCODE,  /* the encoder or quantizer failed */
} SlExportAnimationError;

typedef enum
{
  SL_ANIMATION_WEBP,  /* libwebp's WebPAnimEncoder: lossy (quality 80) unless lossless */
  SL_ANIMATION_GIF,   /* giflib, one 256-colour palette per frame by libimagequant, dithered */
} SlAnimationFormat;

typedef struct
{
  int       quality;    /* WebP 1–100 (0: 80); GIF: libimagequant's target quality (0: 90) */
  gboolean  lossless;   /* WebP only: lossless frames (much larger files) */
  gboolean  no_dither;  /* GIF only: nearest palette colours instead of Floyd–Steinberg */
} SlAnimationOptions;

GQuark    sl_export_animation_error_quark (void);

/* Writes @frames (cairo image surfaces, ARGB32 or RGB24, all the same size) as an animation.
 * @delays_ms[i] > 0 is how long frame i shows (GIF stores hundredths of a second, so delays are
 * rounded to 10 ms; browsers show GIF delays under 20 ms as 100 ms). @loop_count is how
 * many times the whole animation plays, 0 for ever. Frames with transparency keep it
 * (GIF: pixels under half opacity become transparent). The file is written beside @path and
 * renamed into place: on error nothing is left behind. Thread-safe. */
gboolean  sl_export_animation_write       (const char                *path,
                                           SlAnimationFormat          format,
                                           GPtrArray                 *frames,
                                           const int                 *delays_ms,
                                           int                        loop_count,
                                           GError                   **error);
/* The same with encoder options; @options NULL means the defaults. */
gboolean  sl_export_animation_write_full  (const char                *path,
                                           SlAnimationFormat          format,
                                           GPtrArray                 *frames,
                                           const int                 *delays_ms,
                                           int                        loop_count,
                                           const SlAnimationOptions  *options,
                                           GError                   **error);

G_END_DECLS
