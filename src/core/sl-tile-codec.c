/* sl-tile-codec.c — display tiles to and from JPEG / PNG / WebP blobs
 *
 * Tiles are cairo ARGB32 (premultiplied, native-endian 0xAARRGGBB words). JPEG goes through
 * TurboJPEG straight from that layout (BGRX in memory on little-endian machines); PNG and
 * WebP store straight (un-premultiplied) RGBA, so the buffers are converted on the way.
 *
 * A TurboJPEG handle is created per call: measured here, tjInitCompress + tjDestroy cost
 * 1–6 µs against 110–180 µs for the compression itself, so per-thread handles (and their
 * destroy-at-thread-exit bookkeeping) would buy nothing.
 *
 * Per 256² tile of demo imagery, one core: JPEG q85 encode 0.20 ms, decode 0.18 ms, 11–14 KB;
 * PNG (settings below) 1.8–2.6 ms, 1.0 ms, 59–82 KB; WebP q75 4.8 ms, 0.5 ms, 3–6 KB. WebP
 * halves JPEG's bytes but costs 24x its encoding time and 3x its decoding: it does not pay
 * for a cache whose budget is CPU, not disk.
 *
 * Every decoder checks the size in the header before touching pixels and reports corrupt or
 * truncated data as a GError: libpng longjmps back to decode_png(), TurboJPEG is told to
 * stop on warnings (a truncated JPEG is a warning to libjpeg), libwebp returns NULL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tile-codec"

#include "config.h"

#include <setjmp.h>
#include <string.h>

#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include "sl-site-grid.h"
#include "sl-tile-codec-private.h"

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define TJ_FORMAT_OPAQUE TJPF_BGRX
#define TJ_FORMAT_DECODE TJPF_BGRA
#else
#define TJ_FORMAT_OPAQUE TJPF_XRGB
#define TJ_FORMAT_DECODE TJPF_ARGB
#endif

/* Fast settings, measured on demo-imagery tiles with a transparent margin (zlib level /
 * filter → ms per tile, KB): 6 / adaptive (libpng's default) 12.8 ms, 48 KB; 1 / up 2.0 ms,
 * 54 KB; 1 / sub 2.2 ms, 59 KB; 1 / paeth 2.7 ms, 56 KB; 2 / up 2.3 ms, 53 KB; Z_RLE 1.8 ms,
 * 66 KB. Level 1 with the UP filter is 6x faster for 12 % more bytes. */
#define PNG_ZLIB_LEVEL 1
#define PNG_FILTER     PNG_FILTER_UP

#define JPEG_DEFAULT_QUALITY 85
#define WEBP_DEFAULT_QUALITY 75

G_DEFINE_QUARK (sl-tile-codec-error-quark, sl_tile_codec_error)

/* --- pixel conversions --- */

static inline guint8
premultiply (guint c, guint a)
{
  guint t = c * a + 128;

  /* Exact round (c * a / 255). */
  return (guint8) ((t + (t >> 8)) >> 8);
}

/* Converts cairo ARGB32 words to straight RGBA bytes. Returns the smallest alpha seen, so
 * callers can drop the alpha channel of an opaque tile. */
static guint8
argb_to_rgba (const guint8 *argb, guint8 *rgba)
{
  const guint32 *src = (const guint32 *) argb;
  guint8 min_alpha = 255;

  for (gsize i = 0; i < SL_TILE_SIZE * SL_TILE_SIZE; i++)
    {
      guint32 p = src[i];
      guint a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
      guint8 *d = rgba + i * 4;

      if (a == 255)
        {
          d[0] = r, d[1] = g, d[2] = b;
        }
      else if (a == 0)
        {
          d[0] = d[1] = d[2] = 0;
        }
      else
        {
          /* Round (c * 255 / a); clamp data that was not validly premultiplied. */
          d[0] = (guint8) MIN (255u, (r * 255 + a / 2) / a);
          d[1] = (guint8) MIN (255u, (g * 255 + a / 2) / a);
          d[2] = (guint8) MIN (255u, (b * 255 + a / 2) / a);
        }
      d[3] = (guint8) a;
      min_alpha = MIN (min_alpha, (guint8) a);
    }
  return min_alpha;
}

/* In place: straight RGBA bytes → premultiplied cairo ARGB32 words. */
static SlTileContent
rgba_to_argb_in_place (guint8 *buf)
{
  guint32 *dst = (guint32 *) buf;
  gboolean all_opaque = TRUE, all_clear = TRUE;

  for (gsize i = 0; i < SL_TILE_SIZE * SL_TILE_SIZE; i++)
    {
      const guint8 *s = buf + i * 4;
      guint r = s[0], g = s[1], b = s[2], a = s[3];

      if (a != 255)
        {
          all_opaque = FALSE;
          r = premultiply (r, a), g = premultiply (g, a), b = premultiply (b, a);
        }
      if (a != 0)
        all_clear = FALSE;
      dst[i] = ((guint32) a << 24) | (r << 16) | (g << 8) | b;
    }
  return all_opaque ? SL_TILE_CONTENT_OPAQUE : all_clear ? SL_TILE_CONTENT_EMPTY : SL_TILE_CONTENT_PARTIAL;
}

/* --- JPEG --- */

static GBytes *
encode_jpeg (const guint8 *argb, int quality, GError **error)
{
  tjhandle tj = tjInitCompress ();
  unsigned long capacity = tjBufSize (SL_TILE_SIZE, SL_TILE_SIZE, TJSAMP_420);
  unsigned long size = capacity;
  guint8 *buf;

  if (tj == NULL)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode JPEG tile: %s", tjGetErrorStr2 (NULL));
      return NULL;
    }
  /* Compress into a worst-case buffer, then shrink it in place: one allocation, no copy. */
  buf = g_malloc (capacity);
  if (tjCompress2 (tj, argb, SL_TILE_SIZE, SL_TILE_STRIDE, SL_TILE_SIZE, TJ_FORMAT_OPAQUE,
                   &buf, &size, TJSAMP_420, quality, TJFLAG_FASTDCT | TJFLAG_NOREALLOC) != 0)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode JPEG tile: %s", tjGetErrorStr2 (tj));
      tjDestroy (tj);
      g_free (buf);
      return NULL;
    }
  tjDestroy (tj);
  return g_bytes_new_take (g_realloc (buf, size), size);
}

static gboolean
decode_jpeg (const guint8 *blob, gsize len, guint8 *argb, GError **error)
{
  tjhandle tj;
  int width = 0, height = 0, subsamp = 0, colorspace = 0;

  if (len > G_MAXULONG)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode JPEG tile: %" G_GSIZE_FORMAT " bytes is too large", len);
      return FALSE;
    }
  tj = tjInitDecompress ();
  if (tj == NULL)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode JPEG tile: %s", tjGetErrorStr2 (NULL));
      return FALSE;
    }
  if (tjDecompressHeader3 (tj, blob, (unsigned long) len, &width, &height, &subsamp, &colorspace) != 0)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode JPEG tile: %s", tjGetErrorStr2 (tj));
      tjDestroy (tj);
      return FALSE;
    }
  if (width != SL_TILE_SIZE || height != SL_TILE_SIZE)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_SIZE,
                   "Cannot decode JPEG tile: %d × %d pixels, expected %d × %d",
                   width, height, SL_TILE_SIZE, SL_TILE_SIZE);
      tjDestroy (tj);
      return FALSE;
    }
  /* A truncated or damaged stream is only a warning to libjpeg (it pads with grey): stop.
   * LIMITSCANS refuses progressive streams crafted to take seconds to decode. */
  if (tjDecompress2 (tj, blob, (unsigned long) len, argb, SL_TILE_SIZE, SL_TILE_STRIDE, SL_TILE_SIZE,
                     TJ_FORMAT_DECODE, TJFLAG_FASTDCT | TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS) != 0)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode JPEG tile: %s", tjGetErrorStr2 (tj));
      tjDestroy (tj);
      return FALSE;
    }
  tjDestroy (tj);
  return TRUE;
}

/* --- PNG --- */

typedef struct
{
  jmp_buf     jmp;
  char        message[128];
  const guint8 *data;      /* reading */
  gsize       len, pos;
  GByteArray *out;         /* writing */
} PngIo;

static void
on_png_error (png_structp png, png_const_charp message)
{
  PngIo *io = png_get_error_ptr (png);

  g_strlcpy (io->message, message, sizeof io->message);
  longjmp (io->jmp, 1);
}

static void
on_png_warning (png_structp png, png_const_charp message)
{
  /* Ancillary-chunk problems: the pixels are still good. */
}

static void
on_png_read (png_structp png, png_bytep out, size_t n)
{
  PngIo *io = png_get_io_ptr (png);

  if (n > io->len - io->pos)
    png_error (png, "the data is truncated");
  memcpy (out, io->data + io->pos, n);
  io->pos += n;
}

static void
on_png_write (png_structp png, png_bytep data, size_t n)
{
  PngIo *io = png_get_io_ptr (png);

  g_byte_array_append (io->out, data, (guint) n);
}

static void
on_png_flush (png_structp png)
{
}

/* Writes @rows (SL_TILE_SIZE rows in @color_type/@bit_depth). @clear_palette: a palette of
 * one fully transparent entry (for PNG_COLOR_TYPE_PALETTE). */
static GBytes *
write_png (png_bytep *rows, int color_type, int bit_depth, gboolean clear_palette, int level,
           GError **error)
{
  PngIo io = { 0 };
  png_structp png;
  png_infop info = NULL;

  io.out = g_byte_array_sized_new (16 * 1024);
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &io, on_png_error, on_png_warning);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (png == NULL || info == NULL)
    {
      png_destroy_write_struct (&png, &info);
      g_byte_array_unref (io.out);
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode PNG tile: out of memory");
      return NULL;
    }
  if (setjmp (io.jmp))
    {
      png_destroy_write_struct (&png, &info);
      g_byte_array_unref (io.out);
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode PNG tile: %s", io.message);
      return NULL;
    }
  png_set_write_fn (png, &io, on_png_write, on_png_flush);
  png_set_compression_level (png, level);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER);
  png_set_IHDR (png, info, SL_TILE_SIZE, SL_TILE_SIZE, bit_depth, color_type,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (clear_palette)
    {
      static const png_color black = { 0, 0, 0 };
      static const png_byte clear = 0;

      png_set_PLTE (png, info, &black, 1);
      png_set_tRNS (png, info, &clear, 1, NULL);
    }
  png_set_rows (png, info, rows);
  png_write_png (png, info, PNG_TRANSFORM_IDENTITY, NULL);
  png_destroy_write_struct (&png, &info);
  return g_byte_array_free_to_bytes (io.out);
}

static GBytes *
encode_png (const guint8 *argb, GError **error)
{
  g_autofree guint8 *rgba = g_malloc (SL_TILE_BYTES);
  png_bytep rows[SL_TILE_SIZE];
  guint8 min_alpha = argb_to_rgba (argb, rgba);
  int color_type = PNG_COLOR_TYPE_RGBA;

  if (min_alpha == 255)
    {
      /* Opaque: pack RGB in place, a quarter fewer bytes to filter and deflate. */
      for (gsize i = 0; i < SL_TILE_SIZE * SL_TILE_SIZE; i++)
        memmove (rgba + i * 3, rgba + i * 4, 3);
      color_type = PNG_COLOR_TYPE_RGB;
    }
  for (int y = 0; y < SL_TILE_SIZE; y++)
    rows[y] = rgba + (gsize) y * SL_TILE_SIZE * (color_type == PNG_COLOR_TYPE_RGB ? 3 : 4);
  return write_png (rows, color_type, 8, FALSE, PNG_ZLIB_LEVEL, error);
}

/* "Nothing here": a 1-bit palette PNG whose only entry is transparent, ~100 bytes (built
 * once, so zlib's best level costs nothing). A palette
 * rather than grey + tRNS: GDAL's GeoPackage reader turns a palette's alpha into alpha, but a
 * grey tRNS into nodata, which QGIS would paint black. */
static GBytes *
build_empty_png (void)
{
  static guint8 zero_row[SL_TILE_SIZE / 8];
  png_bytep rows[SL_TILE_SIZE];
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  for (int y = 0; y < SL_TILE_SIZE; y++)
    rows[y] = zero_row;
  bytes = write_png (rows, PNG_COLOR_TYPE_PALETTE, 1, TRUE, 9, &error);
  if (bytes == NULL)
    g_error ("%s", error->message);
  return bytes;
}

static GBytes *
empty_tile (void)
{
  static GBytes *empty;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, build_empty_png ());
  return empty;
}

static gboolean
is_empty_tile (const guint8 *blob, gsize len)
{
  gsize empty_len;
  const guint8 *empty = g_bytes_get_data (empty_tile (), &empty_len);

  return len == empty_len && memcmp (blob, empty, len) == 0;
}

static gboolean
decode_png (const guint8 *blob, gsize len, guint8 *argb, GError **error)
{
  PngIo io = { .data = blob, .len = len };
  png_structp png;
  png_infop info = NULL;
  png_bytep rows[SL_TILE_SIZE];
  png_uint_32 width, height;
  int bit_depth, color_type, interlace;

  png = png_create_read_struct (PNG_LIBPNG_VER_STRING, &io, on_png_error, on_png_warning);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (png == NULL || info == NULL)
    {
      png_destroy_read_struct (&png, &info, NULL);
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode PNG tile: out of memory");
      return FALSE;
    }
  /* Nothing below changes a local that is read after a longjmp. */
  if (setjmp (io.jmp))
    {
      png_destroy_read_struct (&png, &info, NULL);
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode PNG tile: %s", io.message);
      return FALSE;
    }
  png_set_read_fn (png, &io, on_png_read);
  /* Never let a header drive a huge allocation: the only valid size is a tile. */
  png_set_user_limits (png, SL_TILE_SIZE, SL_TILE_SIZE);
  png_set_chunk_malloc_max (png, 1024 * 1024);
  png_read_info (png, info);
  png_get_IHDR (png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
  if (width != SL_TILE_SIZE || height != SL_TILE_SIZE)
    png_error (png, "wrong size"); /* unreachable with the user limits unless smaller */

  if (color_type == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb (png);
  if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8)
    png_set_expand_gray_1_2_4_to_8 (png);
  if (png_get_valid (png, info, PNG_INFO_tRNS))
    png_set_tRNS_to_alpha (png);
  if (bit_depth == 16)
    png_set_strip_16 (png);
  if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA)
    png_set_gray_to_rgb (png);
  if (!(color_type & PNG_COLOR_MASK_ALPHA) && !png_get_valid (png, info, PNG_INFO_tRNS))
    png_set_add_alpha (png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling (png);
  png_read_update_info (png, info);
  if (png_get_rowbytes (png, info) != SL_TILE_STRIDE)
    png_error (png, "unexpected pixel layout");

  for (int y = 0; y < SL_TILE_SIZE; y++)
    rows[y] = argb + (gsize) y * SL_TILE_STRIDE;
  png_read_image (png, rows);
  /* Through IEND: a blob cut anywhere, even after the last pixel, is an error. */
  png_read_end (png, NULL);
  png_destroy_read_struct (&png, &info, NULL);
  return TRUE;
}

/* Size check without libpng: IHDR is always the first chunk. */
static gboolean
check_png_size (const guint8 *blob, gsize len, GError **error)
{
  guint32 width, height;

  if (len < 24 || memcmp (blob + 12, "IHDR", 4) != 0)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode PNG tile: the header is missing or truncated");
      return FALSE;
    }
  memcpy (&width, blob + 16, 4);
  memcpy (&height, blob + 20, 4);
  width = GUINT32_FROM_BE (width);
  height = GUINT32_FROM_BE (height);
  if (width != SL_TILE_SIZE || height != SL_TILE_SIZE)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_SIZE,
                   "Cannot decode PNG tile: %u × %u pixels, expected %d × %d",
                   width, height, SL_TILE_SIZE, SL_TILE_SIZE);
      return FALSE;
    }
  return TRUE;
}

/* --- WebP --- */

static GBytes *
encode_webp (const guint8 *argb, int quality, GError **error)
{
  g_autofree guint8 *rgba = g_malloc (SL_TILE_BYTES);
  guint8 *out = NULL;
  size_t size;
  GBytes *bytes;

  /* libwebp leaves the alpha plane out by itself when every alpha is 255. */
  argb_to_rgba (argb, rgba);
  size = WebPEncodeRGBA (rgba, SL_TILE_SIZE, SL_TILE_SIZE, SL_TILE_STRIDE, (float) quality, &out);
  if (size == 0)
    {
      WebPFree (out);
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode WebP tile: libwebp failed");
      return NULL;
    }
  bytes = g_bytes_new (out, size);
  WebPFree (out);
  return bytes;
}

static gboolean
decode_webp (const guint8 *blob, gsize len, guint8 *argb, GError **error)
{
  int width = 0, height = 0;

  if (!WebPGetInfo (blob, len, &width, &height))
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode WebP tile: the header is corrupt or truncated");
      return FALSE;
    }
  if (width != SL_TILE_SIZE || height != SL_TILE_SIZE)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_SIZE,
                   "Cannot decode WebP tile: %d × %d pixels, expected %d × %d",
                   width, height, SL_TILE_SIZE, SL_TILE_SIZE);
      return FALSE;
    }
  if (WebPDecodeRGBAInto (blob, len, argb, SL_TILE_BYTES, SL_TILE_STRIDE) == NULL)
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                   "Cannot decode WebP tile: the data is corrupt or truncated");
      return FALSE;
    }
  return TRUE;
}

/* --- JPEG with alpha (sl-tile-codec-alpha.c) --- */

/* A tile with transparency: JPEG + run-length alpha when its alpha has few runs, else PNG. */
static GBytes *
encode_partial (const guint8 *argb, GError **error)
{
  g_autoptr(GByteArray) rle = _sl_tile_alpha_encode_rle (argb, SL_TILE_ALPHA_MAX_RLE);
  g_autofree guint8 *colours = NULL;
  g_autoptr(GBytes) jpeg = NULL;

  if (rle == NULL)
    return encode_png (argb, error);
  colours = g_malloc (SL_TILE_BYTES);
  _sl_tile_alpha_fill_colours (argb, colours);
  jpeg = encode_jpeg (colours, JPEG_DEFAULT_QUALITY, error);
  if (jpeg == NULL)
    return NULL;
  return _sl_tile_alpha_attach (jpeg, rle->data, rle->len);
}

/* --- public API --- */

GBytes *
sl_tile_codec_encode (const guint8   *argb,
                      SlTileContent   content,
                      GError        **error)
{
  g_return_val_if_fail (argb != NULL || content == SL_TILE_CONTENT_EMPTY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (content)
    {
    case SL_TILE_CONTENT_EMPTY:
      return g_bytes_ref (empty_tile ());
    case SL_TILE_CONTENT_OPAQUE:
      return encode_jpeg (argb, JPEG_DEFAULT_QUALITY, error);
    case SL_TILE_CONTENT_PARTIAL:
    default:
      return encode_partial (argb, error);
    }
}

GBytes *
sl_tile_codec_encode_as (const guint8   *argb,
                         SlTileFormat    format,
                         int             quality,
                         GError        **error)
{
  g_return_val_if_fail (argb != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (format)
    {
    case SL_TILE_FORMAT_JPEG:
      return encode_jpeg (argb, quality > 0 ? CLAMP (quality, 1, 100) : JPEG_DEFAULT_QUALITY, error);
    case SL_TILE_FORMAT_PNG:
      return encode_png (argb, error);
    case SL_TILE_FORMAT_WEBP:
      return encode_webp (argb, quality > 0 ? CLAMP (quality, 1, 100) : WEBP_DEFAULT_QUALITY, error);
    default:
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_ENCODE,
                   "Cannot encode tile: unknown format %d", (int) format);
      return NULL;
    }
}

gboolean
sl_tile_codec_detect (const guint8 *blob,
                      gsize         len,
                      SlTileFormat *format)
{
  static const guint8 png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (blob != NULL || len == 0, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  if (len >= 3 && blob[0] == 0xff && blob[1] == 0xd8 && blob[2] == 0xff)
    *format = SL_TILE_FORMAT_JPEG;
  else if (len >= 8 && memcmp (blob, png_magic, 8) == 0)
    *format = SL_TILE_FORMAT_PNG;
  else if (len >= 12 && memcmp (blob, "RIFF", 4) == 0 && memcmp (blob + 8, "WEBP", 4) == 0)
    *format = SL_TILE_FORMAT_WEBP;
  else
    return FALSE;
  return TRUE;
}

gboolean
sl_tile_codec_decode (const guint8   *blob,
                      gsize           len,
                      guint8         *argb,
                      SlTileContent  *content,
                      GError        **error)
{
  SlTileFormat format;
  SlTileContent found;

  g_return_val_if_fail (blob != NULL || len == 0, FALSE);
  g_return_val_if_fail (argb != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sl_tile_codec_detect (blob, len, &format))
    {
      g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_FORMAT,
                   "Cannot decode tile: %" G_GSIZE_FORMAT " bytes that are not JPEG, PNG or WebP", len);
      return FALSE;
    }

  switch (format)
    {
    case SL_TILE_FORMAT_JPEG:
      {
        gsize rle_len = 0;
        const guint8 *rle = _sl_tile_alpha_find (blob, len, &rle_len);

        if (!decode_jpeg (blob, len, argb, error))
          return FALSE;
        found = SL_TILE_CONTENT_OPAQUE; /* TurboJPEG writes alpha 255 */
        if (rle != NULL && !_sl_tile_alpha_apply (rle, rle_len, argb, &found))
          {
            g_set_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT,
                         "Cannot decode JPEG tile: its alpha runs do not cover %d × %d pixels",
                         SL_TILE_SIZE, SL_TILE_SIZE);
            return FALSE;
          }
      }
      break;
    case SL_TILE_FORMAT_PNG:
      /* Common (everything outside a scene) and known: skip libpng. */
      if (is_empty_tile (blob, len))
        {
          memset (argb, 0, SL_TILE_BYTES);
          found = SL_TILE_CONTENT_EMPTY;
          break;
        }
      if (!check_png_size (blob, len, error) || !decode_png (blob, len, argb, error))
        return FALSE;
      found = rgba_to_argb_in_place (argb);
      break;
    case SL_TILE_FORMAT_WEBP:
    default:
      if (!decode_webp (blob, len, argb, error))
        return FALSE;
      found = rgba_to_argb_in_place (argb);
      break;
    }
  if (content != NULL)
    *content = found;
  return TRUE;
}
