/* sl-export-animation-webp.c — animated WebP through libwebp's WebPAnimEncoder
 *
 * Each frame goes to the encoder as straight ARGB (use_argb, so lossy frames are converted
 * to YUV once, by the encoder), stamped with the sum of the delays before it; a last call
 * with no frame closes the final frame's duration. The encoder picks sub-rectangles and
 * key frames itself. It merges a frame identical to the previous one into it (a longer
 * duration): a time-lapse whose frames carry their dates never has two identical frames.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-animation"

#include "config.h"

#include <webp/encode.h>
#include <webp/mux.h>

#include "sl-export-animation-private.h"
#include "sl-export-file-private.h"

typedef WebPAnimEncoder SlWebPAnimEncoder;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlWebPAnimEncoder, WebPAnimEncoderDelete)

gboolean
_sl_export_animation_write_webp (const char                *path,
                                 const char                *display,
                                 GPtrArray                 *frames,
                                 const int                 *delays_ms,
                                 int                        loop_count,
                                 const SlAnimationOptions  *options,
                                 GError                   **error)
{
  cairo_surface_t *first = g_ptr_array_index (frames, 0);
  int width = cairo_image_surface_get_width (first);
  int height = cairo_image_surface_get_height (first);
  g_autoptr(SlWebPAnimEncoder) encoder = NULL;
  WebPAnimEncoderOptions encoder_options;
  WebPConfig config;
  WebPData data;
  int timestamp = 0;
  gboolean ok;

  if (width > WEBP_MAX_DIMENSION || height > WEBP_MAX_DIMENSION)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_SIZE,
                   "Cannot write ‘%s’: frames of %d×%d pixels are larger than WebP allows (%d pixels a side)",
                   display, width, height, WEBP_MAX_DIMENSION);
      return FALSE;
    }

  if (!WebPAnimEncoderOptionsInit (&encoder_options) || !WebPConfigInit (&config))
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: this libwebp does not match the one Sitelapse was built with",
                   display);
      return FALSE;
    }
  encoder_options.anim_params.loop_count = loop_count;
  /* Transparent: what a viewer shows where a frame has no pixels. */
  encoder_options.anim_params.bgcolor = 0x00000000;
  config.lossless = options->lossless ? 1 : 0;
  config.quality = options->quality;
  config.method = 4;
  g_assert (WebPValidateConfig (&config));

  encoder = WebPAnimEncoderNew (width, height, &encoder_options);
  if (encoder == NULL)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: the WebP encoder did not start (out of memory?)", display);
      return FALSE;
    }

  for (guint i = 0; i < frames->len; i++)
    {
      g_autofree guint8 *rgba = _sl_export_animation_to_rgba (g_ptr_array_index (frames, i));
      WebPPicture picture;

      WebPPictureInit (&picture);
      picture.use_argb = 1;
      picture.width = width;
      picture.height = height;
      if (!WebPPictureImportRGBA (&picture, rgba, width * 4))
        {
          g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                       "Cannot write ‘%s’: frame %u did not fit in memory", display, i + 1);
          WebPPictureFree (&picture);
          return FALSE;
        }
      ok = WebPAnimEncoderAdd (encoder, &picture, timestamp, &config);
      WebPPictureFree (&picture);
      if (!ok)
        {
          g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                       "Cannot write ‘%s’: frame %u did not encode as WebP (%s)",
                       display, i + 1, WebPAnimEncoderGetError (encoder));
          return FALSE;
        }
      if (delays_ms[i] > G_MAXINT - timestamp)
        {
          g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                       "Cannot write ‘%s’: the animation is longer than WebP can time", display);
          return FALSE;
        }
      timestamp += delays_ms[i];
    }

  WebPDataInit (&data);
  if (!WebPAnimEncoderAdd (encoder, NULL, timestamp, NULL) ||
      !WebPAnimEncoderAssemble (encoder, &data))
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: the WebP animation did not assemble (%s)",
                   display, WebPAnimEncoderGetError (encoder));
      WebPDataClear (&data);
      return FALSE;
    }

  ok = sl_export_file_replace (path, data.bytes, data.size, error);
  WebPDataClear (&data);

  return ok;
}
