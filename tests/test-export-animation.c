/* test-export-animation.c — animated WebP and GIF, decoded again with libwebp and giflib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-export-animation"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <gif_lib.h>
#include <glib/gstdio.h>
#include <webp/demux.h>

#include "sl-export-animation.h"
#include "sl-test-util.h"

#define W 160
#define H 96

typedef struct { guint8 r, g, b; } Rgb;

/* Per frame: a background colour and a rectangle whose colour and place change with the
 * frame, so no two frames are alike; every frame also has a fixed green square and a grey
 * ramp along its bottom rows, which shows how well the GIF palette covers a smooth tone. */
static const Rgb backgrounds[] = { { 200, 40, 40 }, { 40, 90, 200 }, { 230, 200, 50 }, { 20, 20, 20 } };
static const Rgb boxes[] = { { 255, 255, 255 }, { 250, 140, 0 }, { 120, 30, 160 }, { 0, 200, 200 } };
static const Rgb green = { 30, 170, 60 };

#define RAMP_Y 80

static void
box_rect (int i, int *x, int *y)
{
  *x = 10 + i * 30;
  *y = 10;
}

static cairo_surface_t *
make_frame (int i)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *ramp;
  int x, y;

  cairo_set_source_rgb (cr, backgrounds[i].r / 255.0, backgrounds[i].g / 255.0, backgrounds[i].b / 255.0);
  cairo_paint (cr);
  box_rect (i, &x, &y);
  cairo_set_source_rgb (cr, boxes[i].r / 255.0, boxes[i].g / 255.0, boxes[i].b / 255.0);
  cairo_rectangle (cr, x, y, 24, 24);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, green.r / 255.0, green.g / 255.0, green.b / 255.0);
  cairo_rectangle (cr, 120, 40, 30, 30);
  cairo_fill (cr);
  ramp = cairo_pattern_create_linear (0, 0, W, 0);
  cairo_pattern_add_color_stop_rgb (ramp, 0, 0, 0, 0);
  cairo_pattern_add_color_stop_rgb (ramp, 1, 1, 1, 1);
  cairo_set_source (cr, ramp);
  cairo_rectangle (cr, 0, RAMP_Y, W, H - RAMP_Y);
  cairo_fill (cr);
  cairo_pattern_destroy (ramp);
  cairo_destroy (cr);

  return surface;
}

static GPtrArray *
make_frames (int n)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);

  for (int i = 0; i < n; i++)
    g_ptr_array_add (frames, make_frame (i));

  return frames;
}

/* The ramp's grey at column @x, as cairo drew it. */
static int
ramp_value (cairo_surface_t *frame, int x)
{
  const guint8 *data = cairo_image_surface_get_data (frame);
  const guint32 *row = (const guint32 *) (data + (gsize) (RAMP_Y + 4) * cairo_image_surface_get_stride (frame));

  return (row[x] >> 8) & 0xff;
}

static void
assert_close (const guint8 *rgb, Rgb want, int tolerance, const char *what, int frame)
{
  if (ABS (rgb[0] - want.r) > tolerance || ABS (rgb[1] - want.g) > tolerance || ABS (rgb[2] - want.b) > tolerance)
    g_error ("frame %d, %s: got %d,%d,%d, want %d,%d,%d (±%d)", frame, what, rgb[0], rgb[1], rgb[2],
             want.r, want.g, want.b, tolerance);
}

/* Checks the known colours of frame @i in decoded RGB(A) pixels (@bpp bytes each), and
 * returns the mean absolute error along the grey ramp. */
static double
check_pixels (const guint8 *pixels, int bpp, int stride, int i, cairo_surface_t *frame, int tolerance)
{
  int bx, by;
  double ramp_error = 0;

  box_rect (i, &bx, &by);
  assert_close (pixels + (by + 12) * stride + (bx + 12) * bpp, boxes[i], tolerance, "box", i);
  assert_close (pixels + 55 * stride + 135 * bpp, green, tolerance, "green square", i);
  assert_close (pixels + 60 * stride + 40 * bpp, backgrounds[i], tolerance, "background", i);
  for (int x = 0; x < W; x++)
    ramp_error += ABS (pixels[(RAMP_Y + 4) * stride + x * bpp] - ramp_value (frame, x));

  return ramp_error / W;
}

static void
assert_no_leftovers (const char *dir, const char *only)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (only == NULL || strcmp (name, only) != 0)
      g_error ("unexpected file left in the export folder: %s", name);
}

/* --- WebP --- */

typedef struct
{
  int       frame_count, loop_count, width, height;
  int       delays[8];
  guint8   *rgba[8];
} Decoded;

static void
decoded_clear (Decoded *d)
{
  for (int i = 0; i < 8; i++)
    g_free (d->rgba[i]);
}

static void
decode_webp (const char *path, Decoded *out)
{
  g_autofree char *bytes = NULL;
  gsize len;
  WebPData data;
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder;
  WebPAnimInfo info;
  int previous = 0;

  memset (out, 0, sizeof *out);
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  data.bytes = (const uint8_t *) bytes;
  data.size = len;
  g_assert_true (WebPAnimDecoderOptionsInit (&options));
  options.color_mode = MODE_RGBA;
  decoder = WebPAnimDecoderNew (&data, &options);
  g_assert_nonnull (decoder);
  g_assert_true (WebPAnimDecoderGetInfo (decoder, &info));
  out->frame_count = info.frame_count;
  out->loop_count = info.loop_count;
  out->width = info.canvas_width;
  out->height = info.canvas_height;
  g_assert_cmpint (out->frame_count, <=, 8);
  for (int i = 0; WebPAnimDecoderHasMoreFrames (decoder); i++)
    {
      uint8_t *pixels;
      int timestamp;

      g_assert_cmpint (i, <, 8);
      g_assert_true (WebPAnimDecoderGetNext (decoder, &pixels, &timestamp));
      out->rgba[i] = g_memdup2 (pixels, (gsize) info.canvas_width * info.canvas_height * 4);
      out->delays[i] = timestamp - previous;
      previous = timestamp;
    }
  WebPAnimDecoderDelete (decoder);
}

static void
test_webp_frames (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "sweep.webp", NULL);
  g_autoptr(GPtrArray) frames = make_frames (4);
  const int delays[] = { 500, 250, 1000, 120 };
  g_autoptr(GError) error = NULL;
  Decoded d;

  g_assert_true (sl_export_animation_write (path, SL_ANIMATION_WEBP, frames, delays, 0, &error));
  g_assert_no_error (error);
  assert_no_leftovers (dir, "sweep.webp");

  decode_webp (path, &d);
  g_assert_cmpint (d.frame_count, ==, 4);
  g_assert_cmpint (d.width, ==, W);
  g_assert_cmpint (d.height, ==, H);
  g_assert_cmpint (d.loop_count, ==, 0);
  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (d.delays[i], ==, delays[i]);
      /* Lossy at quality 80: solid areas stay within a few levels. */
      g_assert_cmpfloat (check_pixels (d.rgba[i], 4, W * 4, i, g_ptr_array_index (frames, i), 14), <, 6.0);
    }
  decoded_clear (&d);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_webp_lossless (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "lossless.webp", NULL);
  g_autoptr(GPtrArray) frames = make_frames (3);
  const int delays[] = { 100, 200, 300 };
  SlAnimationOptions options = { .lossless = TRUE };
  g_autoptr(GError) error = NULL;
  Decoded d;

  g_assert_true (sl_export_animation_write_full (path, SL_ANIMATION_WEBP, frames, delays, 3, &options, &error));
  g_assert_no_error (error);
  decode_webp (path, &d);
  g_assert_cmpint (d.frame_count, ==, 3);
  g_assert_cmpint (d.loop_count, ==, 3);
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (d.delays[i], ==, delays[i]);
      /* Lossless: every pixel as drawn. */
      g_assert_cmpfloat (check_pixels (d.rgba[i], 4, W * 4, i, g_ptr_array_index (frames, i), 0), ==, 0.0);
    }
  decoded_clear (&d);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* --- GIF --- */

/* The NETSCAPE2.0 repetition count, or -1 when the file has none (plays once). */
static int
gif_repetitions (GifFileType *gif)
{
  SavedImage *first = &gif->SavedImages[0];

  for (int i = 0; i + 1 < first->ExtensionBlockCount; i++)
    {
      ExtensionBlock *b = &first->ExtensionBlocks[i];

      if (b->Function == APPLICATION_EXT_FUNC_CODE && b->ByteCount == 11 &&
          memcmp (b->Bytes, "NETSCAPE2.0", 11) == 0)
        {
          ExtensionBlock *sub = &first->ExtensionBlocks[i + 1];

          g_assert_cmpint (sub->Function, ==, CONTINUE_EXT_FUNC_CODE);
          g_assert_cmpint (sub->ByteCount, ==, 3);
          g_assert_cmpint (sub->Bytes[0], ==, 1);
          return sub->Bytes[1] | (sub->Bytes[2] << 8);
        }
    }

  return -1;
}

/* Frame @i of @gif as RGB bytes through its palette; transparent pixels give NULL's place
 * (@transparent counts them). */
static guint8 *
gif_frame_rgb (GifFileType *gif, int i, int *transparent, int *disposal, int *delay_cs)
{
  SavedImage *image = &gif->SavedImages[i];
  ColorMapObject *map = image->ImageDesc.ColorMap ? image->ImageDesc.ColorMap : gif->SColorMap;
  GraphicsControlBlock gcb;
  guint8 *rgb = g_malloc0 ((gsize) W * H * 3);

  g_assert_nonnull (map);
  g_assert_cmpint (DGifSavedExtensionToGCB (gif, i, &gcb), ==, GIF_OK);
  *disposal = gcb.DisposalMode;
  *delay_cs = gcb.DelayTime;
  *transparent = 0;
  g_assert_cmpint (image->ImageDesc.Left, ==, 0);
  g_assert_cmpint (image->ImageDesc.Top, ==, 0);
  g_assert_cmpint (image->ImageDesc.Width, ==, W);
  g_assert_cmpint (image->ImageDesc.Height, ==, H);
  for (int p = 0; p < W * H; p++)
    {
      int index = image->RasterBits[p];

      g_assert_cmpint (index, <, map->ColorCount);
      if (index == gcb.TransparentColor)
        {
          (*transparent)++;
          continue;
        }
      rgb[p * 3] = map->Colors[index].Red;
      rgb[p * 3 + 1] = map->Colors[index].Green;
      rgb[p * 3 + 2] = map->Colors[index].Blue;
    }

  return rgb;
}

static GifFileType *
open_gif (const char *path)
{
  int error = 0;
  GifFileType *gif = DGifOpenFileName (path, &error);

  g_assert_nonnull (gif);
  g_assert_cmpint (DGifSlurp (gif), ==, GIF_OK);

  return gif;
}

static void
test_gif_frames (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "timelapse.gif", NULL);
  g_autoptr(GPtrArray) frames = make_frames (4);
  const int delays[] = { 500, 250, 1000, 120 };
  g_autoptr(GError) error = NULL;
  GifFileType *gif;

  g_assert_true (sl_export_animation_write (path, SL_ANIMATION_GIF, frames, delays, 0, &error));
  g_assert_no_error (error);
  assert_no_leftovers (dir, "timelapse.gif");

  gif = open_gif (path);
  g_assert_cmpint (gif->ImageCount, ==, 4);
  g_assert_cmpint (gif->SWidth, ==, W);
  g_assert_cmpint (gif->SHeight, ==, H);
  g_assert_cmpint (gif_repetitions (gif), ==, 0);
  for (int i = 0; i < 4; i++)
    {
      int transparent, disposal, delay_cs;
      g_autofree guint8 *rgb = gif_frame_rgb (gif, i, &transparent, &disposal, &delay_cs);
      double ramp_error;

      g_assert_cmpint (delay_cs * 10, ==, delays[i]);
      g_assert_cmpint (transparent, ==, 0);
      g_assert_cmpint (disposal, ==, DISPOSE_DO_NOT);
      /* Few colours besides the ramp: the solid areas get exact palette entries. */
      ramp_error = check_pixels (rgb, 3, W * 3, i, g_ptr_array_index (frames, i), 3);
      /* 256 colours shared with the ramp: dithered, the grey stays within a few levels. */
      g_assert_cmpfloat (ramp_error, <, 4.0);
    }
  DGifCloseFile (gif, NULL);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A photo-like frame: smooth colour gradients in both directions, far more than 256
 * colours. Dithering keeps the local average, so a 4x4 box filter of the output stays
 * closer to the input than the nearest-colour palette alone. */
static void
test_gif_quantization (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *dithered = g_build_filename (dir, "dithered.gif", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.gif", NULL);
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  guint32 *data = (guint32 *) cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface) / 4;
  const int delays[] = { 100 };
  SlAnimationOptions no_dither = { .no_dither = TRUE };
  g_autoptr(GError) error = NULL;
  double errors[2];

  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++)
      {
        guint r = x * 255 / (W - 1), g = y * 255 / (H - 1), b = (x + y) * 255 / (W + H - 2);

        data[y * stride + x] = 0xff000000u | (r << 16) | (g << 8) | b;
      }
  cairo_surface_mark_dirty (surface);
  g_ptr_array_add (frames, surface);

  g_assert_true (sl_export_animation_write (dithered, SL_ANIMATION_GIF, frames, delays, 1, &error));
  g_assert_no_error (error);
  g_assert_true (sl_export_animation_write_full (plain, SL_ANIMATION_GIF, frames, delays, 1, &no_dither, &error));
  g_assert_no_error (error);

  for (int k = 0; k < 2; k++)
    {
      GifFileType *gif = open_gif (k == 0 ? dithered : plain);
      int transparent, disposal, delay_cs;
      g_autofree guint8 *rgb = gif_frame_rgb (gif, 0, &transparent, &disposal, &delay_cs);
      double sum = 0, worst_pixel = 0;
      int n = 0;

      g_assert_cmpint (gif->ImageCount, ==, 1);
      g_assert_cmpint (gif_repetitions (gif), ==, -1);  /* plays once: no NETSCAPE block */
      for (int y = 0; y + 4 <= H; y += 4)
        for (int x = 0; x + 4 <= W; x += 4)
          for (int c = 0; c < 3; c++)
            {
              double got = 0, want = 0;

              for (int j = 0; j < 4; j++)
                for (int i = 0; i < 4; i++)
                  {
                    guint32 p = data[(y + j) * stride + x + i];

                    got += rgb[((y + j) * W + x + i) * 3 + c];
                    want += (p >> (16 - 8 * c)) & 0xff;
                    worst_pixel = MAX (worst_pixel, ABS ((int) rgb[((y + j) * W + x + i) * 3 + c] -
                                                         (int) ((p >> (16 - 8 * c)) & 0xff)));
                  }
              sum += fabs (got - want) / 16;
              n++;
            }
      errors[k] = sum / n;
      g_test_message ("%s: mean error of 4x4 means %.2f, worst pixel %.0f",
                      k == 0 ? "dithered" : "plain", errors[k], worst_pixel);
      g_assert_cmpfloat (worst_pixel, <, 40);
      DGifCloseFile (gif, NULL);
    }
  g_assert_cmpfloat (errors[0], <, 1.5);
  g_assert_cmpfloat (errors[0], <, errors[1]);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_gif_loop_and_transparency (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "three.gif", NULL);
  g_autoptr(GPtrArray) frames = make_frames (2);
  const int delays[] = { 40, 2000 };
  g_autoptr(GError) error = NULL;
  cairo_t *cr = cairo_create (g_ptr_array_index (frames, 1));
  GifFileType *gif;

  /* A transparent hole in the second frame. */
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_rectangle (cr, 0, 40, 20, 20);
  cairo_fill (cr);
  cairo_destroy (cr);

  g_assert_true (sl_export_animation_write (path, SL_ANIMATION_GIF, frames, delays, 3, &error));
  g_assert_no_error (error);
  gif = open_gif (path);
  g_assert_cmpint (gif->ImageCount, ==, 2);
  g_assert_cmpint (gif_repetitions (gif), ==, 2);   /* plays 3 times: 2 repetitions */
  for (int i = 0; i < 2; i++)
    {
      int transparent, disposal, delay_cs;
      g_autofree guint8 *rgb = gif_frame_rgb (gif, i, &transparent, &disposal, &delay_cs);

      g_assert_cmpint (delay_cs * 10, ==, delays[i]);
      g_assert_cmpint (transparent, ==, i == 1 ? 400 : 0);
      /* The previous frame must not show through the hole. */
      g_assert_cmpint (disposal, ==, DISPOSE_BACKGROUND);
    }
  DGifCloseFile (gif, NULL);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A destination that cannot be written, frames beyond the format's limits: a clear error
 * naming the file, nothing left behind, an older file of the same name untouched. */
static void
test_errors (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *bad = g_build_filename (blocker, "out.gif", NULL);
  g_autofree char *big = g_build_filename (dir, "big.webp", NULL);
  g_autofree char *old = g_build_filename (dir, "old.gif", NULL);
  g_autoptr(GPtrArray) frames = make_frames (2);
  g_autoptr(GPtrArray) wide = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  const int delays[] = { 100, 100 };
  g_autofree char *contents = NULL;

  sl_test_write_bytes (blocker, "x", 1);
  sl_test_write_bytes (old, "older export", 12);
  for (int f = 0; f < 2; f++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sl_export_animation_write (bad, f == 0 ? SL_ANIMATION_GIF : SL_ANIMATION_WEBP,
                                                 frames, delays, 0, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR);
      g_assert_nonnull (strstr (error->message, "out.gif"));
    }

  /* WebP's limit is 16383 pixels a side (cairo's own is 32767, below GIF's 65535). The
   * older file of that name stays as it was. */
  sl_test_write_bytes (big, "older export", 12);
  g_ptr_array_add (wide, cairo_image_surface_create (CAIRO_FORMAT_RGB24, 16384, 2));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sl_export_animation_write (big, SL_ANIMATION_WEBP, wide, delays, 0, &error));
    g_assert_error (error, SL_EXPORT_ANIMATION_ERROR, SL_EXPORT_ANIMATION_ERROR_SIZE);
    g_assert_nonnull (strstr (error->message, "big.webp"));
    g_assert_nonnull (strstr (error->message, "16384"));
  }
  g_assert_true (g_file_get_contents (big, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "older export");
  g_clear_pointer (&contents, g_free);
  g_assert_cmpint (g_unlink (big), ==, 0);

  /* Success replaces the older file in place, with no temporary file left. */
  {
    g_autoptr(GError) error = NULL;
    GifFileType *gif;

    g_assert_true (sl_export_animation_write (old, SL_ANIMATION_GIF, frames, delays, 0, &error));
    g_assert_no_error (error);
    gif = open_gif (old);
    g_assert_cmpint (gif->ImageCount, ==, 2);
    DGifCloseFile (gif, NULL);
  }
  g_assert_cmpint (g_unlink (blocker), ==, 0);
  assert_no_leftovers (dir, "old.gif");
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/export-animation/webp-frames-delays-colours", test_webp_frames);
  g_test_add_func ("/export-animation/webp-lossless-exact", test_webp_lossless);
  g_test_add_func ("/export-animation/gif-frames-delays-colours", test_gif_frames);
  g_test_add_func ("/export-animation/gif-dithered-quantization", test_gif_quantization);
  g_test_add_func ("/export-animation/gif-loop-count-transparency", test_gif_loop_and_transparency);
  g_test_add_func ("/export-animation/errors-leave-nothing-behind", test_errors);

  return g_test_run ();
}
