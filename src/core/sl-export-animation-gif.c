/* sl-export-animation-gif.c — animated GIF through giflib, palettes by libimagequant
 *
 * Every frame gets its own 256-colour palette from libimagequant (quality target from the
 * options, Floyd–Steinberg dithering unless turned off) and is written whole: time-lapse
 * frames change everywhere, so sub-rectangles would buy little. giflib streams straight
 * into the temporary file, so a long 4K animation never sits in memory as a whole.
 *
 * GIF has one fully transparent palette index or none: palette entries under half opacity
 * all map to one transparent index, and frames of an animation with transparency are
 * disposed to the background, so the previous frame does not show through.
 *
 * Loop count: GIF's NETSCAPE2.0 block counts repetitions after the first play, so an
 * animation that plays N times stores N − 1, and one that plays once has no such block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-animation"

#include "config.h"

#include <gif_lib.h>
#include <libimagequant.h>

#include "sl-export-animation-private.h"
#include "sl-export-file-private.h"

#define GIF_MAX_SIDE 65535
#define QUANTIZE_SPEED 4   /* libimagequant's default: 1 best … 10 fastest */

typedef struct
{
  SlExportFile *file;
  GError       *error;   /* the first write error */
} Sink;

typedef liq_attr SlLiqAttr;
typedef liq_image SlLiqImage;
typedef liq_result SlLiqResult;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlLiqAttr, liq_attr_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlLiqImage, liq_image_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlLiqResult, liq_result_destroy)

static int
write_to_sink (GifFileType     *gif,
               const GifByteType *bytes,
               int              len)
{
  Sink *sink = gif->UserData;

  if (sink->error != NULL)
    return 0;
  if (!sl_export_file_write (sink->file, bytes, (gsize) len, &sink->error))
    return 0;

  return len;
}

static gboolean
has_transparency (GPtrArray *frames)
{
  for (guint i = 0; i < frames->len; i++)
    {
      cairo_surface_t *frame = g_ptr_array_index (frames, i);
      int width = cairo_image_surface_get_width (frame);
      int height = cairo_image_surface_get_height (frame);
      int stride = cairo_image_surface_get_stride (frame);
      const guint8 *data;

      if (cairo_image_surface_get_format (frame) != CAIRO_FORMAT_ARGB32)
        continue;
      cairo_surface_flush (frame);
      data = cairo_image_surface_get_data (frame);
      for (int y = 0; y < height; y++)
        {
          const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

          for (int x = 0; x < width; x++)
            if ((row[x] >> 24) < 128)
              return TRUE;
        }
    }

  return FALSE;
}

/* The NETSCAPE2.0 application extension: how often the animation repeats. */
static gboolean
put_loop (GifFileType *gif,
          int          repetitions)
{
  static const GifByteType netscape[11] = "NETSCAPE2.0";
  GifByteType params[3] = { 1, repetitions & 0xff, (repetitions >> 8) & 0xff };

  return EGifPutExtensionLeader (gif, APPLICATION_EXT_FUNC_CODE) == GIF_OK &&
         EGifPutExtensionBlock (gif, sizeof netscape, netscape) == GIF_OK &&
         EGifPutExtensionBlock (gif, sizeof params, params) == GIF_OK &&
         EGifPutExtensionTrailer (gif) == GIF_OK;
}

/* Quantizes one frame and writes its control block, palette and indices. FALSE with
 * @error set for a quantizer failure; FALSE with @error unset for a giflib failure (the
 * caller reads gif->Error). */
static gboolean
put_frame (GifFileType               *gif,
           cairo_surface_t           *frame,
           int                        delay_ms,
           gboolean                   dispose,
           const SlAnimationOptions  *options,
           const char                *display,
           guint                      number,
           GError                   **error)
{
  int width = cairo_image_surface_get_width (frame);
  int height = cairo_image_surface_get_height (frame);
  g_autofree guint8 *rgba = _sl_export_animation_to_rgba (frame);
  g_autofree guint8 *indices = g_malloc ((gsize) width * height);
  g_autoptr(SlLiqAttr) attr = liq_attr_create ();
  g_autoptr(SlLiqImage) image = NULL;
  g_autoptr(SlLiqResult) result = NULL;
  const liq_palette *palette;
  GifColorType colors[256] = { { 0, }, };
  guint8 remap[256];
  int transparent = NO_TRANSPARENT_COLOR;
  int map_size = 2;
  GraphicsControlBlock gcb = { 0, };
  GifByteType gcb_bytes[4];
  size_t gcb_len;
  ColorMapObject *map;
  liq_error status;
  gboolean ok;

  if (attr == NULL)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: the colour quantizer did not start", display);
      return FALSE;
    }
  liq_set_speed (attr, QUANTIZE_SPEED);
  liq_set_quality (attr, 0, options->quality);
  image = liq_image_create_rgba (attr, rgba, width, height, 0.0);
  status = image != NULL ? liq_image_quantize (image, attr, &result) : LIQ_OUT_OF_MEMORY;
  if (status == LIQ_OK)
    {
      liq_set_dithering_level (result, options->no_dither ? 0.0f : 1.0f);
      status = liq_write_remapped_image (result, image, indices, (size_t) width * height);
    }
  if (status != LIQ_OK)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: frame %u could not be reduced to 256 colours (libimagequant error %d)",
                   display, number, (int) status);
      return FALSE;
    }

  palette = liq_get_palette (result);
  g_assert (palette->count >= 1 && palette->count <= 256);
  for (guint i = 0; i < palette->count; i++)
    {
      const liq_color *c = &palette->entries[i];

      remap[i] = i;
      if (c->a < 128)
        {
          if (transparent == NO_TRANSPARENT_COLOR)
            transparent = i;
          remap[i] = transparent;
        }
      colors[i].Red = c->r;
      colors[i].Green = c->g;
      colors[i].Blue = c->b;
    }
  if (transparent != NO_TRANSPARENT_COLOR)
    for (gsize i = 0; i < (gsize) width * height; i++)
      indices[i] = remap[indices[i]];
  while (map_size < (int) palette->count)
    map_size *= 2;

  gcb.DisposalMode = dispose ? DISPOSE_BACKGROUND : DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = CLAMP ((delay_ms + 5) / 10, 1, 65535);
  gcb.TransparentColor = transparent;
  gcb_len = EGifGCBToExtension (&gcb, gcb_bytes);

  map = GifMakeMapObject (map_size, colors);
  if (map == NULL)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: out of memory for the palette of frame %u", display, number);
      return FALSE;
    }
  ok = EGifPutExtension (gif, GRAPHICS_EXT_FUNC_CODE, (int) gcb_len, gcb_bytes) == GIF_OK &&
       EGifPutImageDesc (gif, 0, 0, width, height, false, map) == GIF_OK &&
       EGifPutLine (gif, indices, width * height) == GIF_OK;
  GifFreeMapObject (map);

  return ok;
}

gboolean
_sl_export_animation_write_gif (const char                *path,
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
  g_autoptr(SlExportFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  Sink sink = { NULL, NULL };
  GifFileType *gif;
  gboolean dispose;
  gboolean ok;
  int gif_error = 0;

  if (width > GIF_MAX_SIDE || height > GIF_MAX_SIDE)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_SIZE,
                   "Cannot write ‘%s’: frames of %d×%d pixels are larger than GIF allows (%d pixels a side)",
                   display, width, height, GIF_MAX_SIDE);
      return FALSE;
    }

  file = sl_export_file_open (path, error);
  if (file == NULL)
    return FALSE;
  sink.file = file;

  gif = EGifOpen (&sink, write_to_sink, &gif_error);
  if (gif == NULL)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: %s", display, GifErrorString (gif_error));
      return FALSE;
    }
  dispose = has_transparency (frames);

  EGifSetGifVersion (gif, true);
  ok = EGifPutScreenDesc (gif, width, height, 8, 0, NULL) == GIF_OK &&
       (loop_count == 1 || put_loop (gif, loop_count == 0 ? 0 : loop_count - 1));
  for (guint i = 0; ok && i < frames->len; i++)
    ok = put_frame (gif, g_ptr_array_index (frames, i), delays_ms[i], dispose, options, display,
                    i + 1, &local_error);
  if (!ok && local_error == NULL && sink.error == NULL)
    gif_error = gif->Error;

  /* Closing writes the trailer (when all went well) and frees @gif in every case. */
  if (EGifCloseFile (gif, ok ? &gif_error : NULL) != GIF_OK && ok)
    ok = FALSE;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (sink.error != NULL)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (!ok)
    {
      g_set_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_ENCODE,
                   "Cannot write ‘%s’: %s", display, GifErrorString (gif_error));
      return FALSE;
    }

  return sl_export_file_commit (file, error);
}
