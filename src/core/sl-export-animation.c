/* sl-export-animation.c — animated WebP and GIF: checks, pixel conversion, dispatch
 *
 * The encoders themselves are libwebp's WebPAnimEncoder (sl-export-animation-webp.c) and
 * giflib with libimagequant's palettes (sl-export-animation-gif.c). This file checks the
 * arguments once for both and holds what they share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-animation"

#include "config.h"

#include "sl-export-animation-private.h"

#define DEFAULT_WEBP_QUALITY 80
#define DEFAULT_GIF_QUALITY  90

G_DEFINE_QUARK (sl-export-animation-error-quark, sl_export_animation_error)

static gboolean
is_frame (cairo_surface_t *surface)
{
  return surface != NULL &&
         cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_IMAGE &&
         (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32 ||
          cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24);
}

guint8 *
_sl_export_animation_to_rgba (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gboolean opaque = cairo_image_surface_get_format (surface) == CAIRO_FORMAT_RGB24;
  const guint8 *data;
  guint8 *rgba;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  rgba = g_malloc ((gsize) width * height * 4);

  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (data + (gsize) y * stride);
      guint8 *dst = rgba + (gsize) y * width * 4;

      for (int x = 0; x < width; x++, dst += 4)
        {
          guint32 p = src[x];
          guint a = opaque ? 255 : p >> 24;
          guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

          if (a != 255 && a != 0)
            {
              /* Undo the premultiplication, rounded. */
              r = MIN (255, (r * 255 + a / 2) / a);
              g = MIN (255, (g * 255 + a / 2) / a);
              b = MIN (255, (b * 255 + a / 2) / a);
            }
          else if (a == 0)
            r = g = b = 0;
          dst[0] = r;
          dst[1] = g;
          dst[2] = b;
          dst[3] = a;
        }
    }

  return rgba;
}

gboolean
sl_export_animation_write (const char         *path,
                           SlAnimationFormat   format,
                           GPtrArray          *frames,
                           const int          *delays_ms,
                           int                 loop_count,
                           GError            **error)
{
  return sl_export_animation_write_full (path, format, frames, delays_ms, loop_count, NULL, error);
}

gboolean
sl_export_animation_write_full (const char                *path,
                                SlAnimationFormat          format,
                                GPtrArray                 *frames,
                                const int                 *delays_ms,
                                int                        loop_count,
                                const SlAnimationOptions  *options,
                                GError                   **error)
{
  g_autofree char *display = NULL;
  SlAnimationOptions opts = { 0, };
  cairo_surface_t *first;

  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (format == SL_ANIMATION_WEBP || format == SL_ANIMATION_GIF, FALSE);
  g_return_val_if_fail (frames != NULL && frames->len > 0, FALSE);
  g_return_val_if_fail (delays_ms != NULL, FALSE);
  g_return_val_if_fail (loop_count >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  first = g_ptr_array_index (frames, 0);
  g_return_val_if_fail (is_frame (first), FALSE);
  for (guint i = 0; i < frames->len; i++)
    {
      cairo_surface_t *frame = g_ptr_array_index (frames, i);

      g_return_val_if_fail (is_frame (frame), FALSE);
      g_return_val_if_fail (cairo_image_surface_get_width (frame) == cairo_image_surface_get_width (first) &&
                            cairo_image_surface_get_height (frame) == cairo_image_surface_get_height (first),
                            FALSE);
      g_return_val_if_fail (delays_ms[i] > 0, FALSE);
    }

  if (options != NULL)
    opts = *options;
  if (opts.quality <= 0)
    opts.quality = format == SL_ANIMATION_WEBP ? DEFAULT_WEBP_QUALITY : DEFAULT_GIF_QUALITY;
  opts.quality = MIN (opts.quality, 100);

  display = g_filename_display_name (path);
  if (format == SL_ANIMATION_WEBP)
    return _sl_export_animation_write_webp (path, display, frames, delays_ms, MIN (loop_count, 65535),
                                            &opts, error);
  else
    return _sl_export_animation_write_gif (path, display, frames, delays_ms, MIN (loop_count, 65535),
                                           &opts, error);
}
