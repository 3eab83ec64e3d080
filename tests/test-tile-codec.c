/* test-tile-codec.c — JPEG / PNG / WebP tile blobs: round trips, content, bad data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gdal.h>
#include <cpl_vsi.h>

#include "sl-core.h"
#include "sl-site-grid.h"
#include "sl-tile-codec.h"

#define N_PIXELS (SL_TILE_SIZE * SL_TILE_SIZE)

static inline guint32
pack (guint a, guint r, guint g, guint b)
{
  return ((guint32) a << 24) | (r << 16) | (g << 8) | b;
}

/* Premultiplied the way cairo does it. */
static inline guint
premul (guint c, guint a)
{
  return (c * a + 127) / 255;
}

static guint8 *
new_gradient_tile (void)
{
  guint32 *px = g_malloc (SL_TILE_BYTES);

  for (int y = 0; y < SL_TILE_SIZE; y++)
    for (int x = 0; x < SL_TILE_SIZE; x++)
      px[y * SL_TILE_SIZE + x] = pack (255, x, y, (x + y) / 2);
  return (guint8 *) px;
}

/* Random colours and alphas (0 and 255 included), validly premultiplied. */
static guint8 *
new_random_alpha_tile (GRand *rand)
{
  guint32 *px = g_malloc (SL_TILE_BYTES);

  for (int i = 0; i < N_PIXELS; i++)
    {
      guint a = (guint) g_rand_int_range (rand, 0, 256);

      if (i % 7 == 0)
        a = 255;
      else if (i % 11 == 0)
        a = 0;
      px[i] = pack (a, premul ((guint) g_rand_int_range (rand, 0, 256), a),
                    premul ((guint) g_rand_int_range (rand, 0, 256), a),
                    premul ((guint) g_rand_int_range (rand, 0, 256), a));
    }
  return (guint8 *) px;
}

static void
channel_error (const guint8 *a, const guint8 *b, int *max_diff, double *mean_diff)
{
  gint64 sum = 0;

  *max_diff = 0;
  for (int i = 0; i < SL_TILE_BYTES; i++)
    {
      int d = ABS ((int) a[i] - (int) b[i]);

      *max_diff = MAX (*max_diff, d);
      sum += d;
    }
  *mean_diff = (double) sum / SL_TILE_BYTES;
}

static GBytes *
decode_ok (GBytes *blob, guint8 *out, SlTileContent *content)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  g_assert_true (sl_tile_codec_decode (data, len, out, content, &error));
  g_assert_no_error (error);
  return blob;
}

static void
test_jpeg_round_trip (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_OPAQUE, &error);
  SlTileContent content = SL_TILE_CONTENT_EMPTY;
  SlTileFormat format;
  int max_diff;
  double mean_diff;

  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_JPEG);
  g_assert_cmpuint (g_bytes_get_size (blob), <, 20 * 1024);
  decode_ok (blob, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
  channel_error (tile, out, &max_diff, &mean_diff);
  g_test_message ("JPEG q85 gradient: %" G_GSIZE_FORMAT " bytes, max error %d, mean %.2f",
                  g_bytes_get_size (blob), max_diff, mean_diff);
  g_assert_cmpint (max_diff, <=, 12);
  g_assert_cmpfloat (mean_diff, <, 1.5);

  /* Alpha comes back 255 everywhere. */
  for (int i = 0; i < N_PIXELS; i++)
    g_assert_cmpuint (((guint32 *) out)[i] >> 24, ==, 255);

  /* Quality matters: a low quality is smaller and worse. */
  {
    g_autoptr(GBytes) low = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_JPEG, 20, &error);
    int low_max;
    double low_mean;

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (low), <, g_bytes_get_size (blob));
    decode_ok (low, out, NULL);
    channel_error (tile, out, &low_max, &low_mean);
    g_assert_cmpfloat (low_mean, >, mean_diff);
  }
}

static void
test_png_round_trip_exact (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree guint8 *tile = new_random_alpha_tile (rand);
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  SlTileContent content = SL_TILE_CONTENT_EMPTY;
  SlTileFormat format;

  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_PNG);
  decode_ok (blob, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
  /* Un-premultiplying and premultiplying again is exact for valid premultiplied data. */
  g_assert_cmpmem (out, SL_TILE_BYTES, tile, SL_TILE_BYTES);

  /* Every alpha level with every colour level it can carry. */
  for (int i = 0; i < N_PIXELS; i++)
    {
      guint a = (guint) i / 256, c = (guint) i % 256;

      ((guint32 *) tile)[i] = pack (a, MIN (c, a), MIN (c, a) / 2, a - MIN (c, a));
    }
  g_clear_pointer (&blob, g_bytes_unref);
  blob = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_PNG, 0, &error);
  g_assert_no_error (error);
  decode_ok (blob, out, &content);
  g_assert_cmpmem (out, SL_TILE_BYTES, tile, SL_TILE_BYTES);
}

static void
test_png_opaque (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_PNG, 0, &error);
  const guint8 *data;
  SlTileContent content = SL_TILE_CONTENT_EMPTY;

  g_assert_no_error (error);
  data = g_bytes_get_data (blob, NULL);
  g_assert_cmpuint (data[25], ==, 2); /* IHDR colour type: RGB, no alpha channel */
  decode_ok (blob, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
  g_assert_cmpmem (out, SL_TILE_BYTES, tile, SL_TILE_BYTES);
}

static void
test_webp_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_WEBP, 90, &error);
  SlTileContent content = SL_TILE_CONTENT_EMPTY;
  SlTileFormat format;
  int max_diff;
  double mean_diff;

  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_WEBP);
  decode_ok (blob, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
  channel_error (tile, out, &max_diff, &mean_diff);
  g_test_message ("WebP q90 gradient: %" G_GSIZE_FORMAT " bytes, max error %d, mean %.2f",
                  g_bytes_get_size (blob), max_diff, mean_diff);
  g_assert_cmpint (max_diff, <=, 16);
  g_assert_cmpfloat (mean_diff, <, 2.0);

  /* Transparency survives: alpha is stored losslessly. */
  {
    guint32 *px = (guint32 *) tile;

    for (int i = 0; i < N_PIXELS; i++)
      if ((i % SL_TILE_SIZE) < 64)
        px[i] = 0;
      else if ((i % SL_TILE_SIZE) < 128)
        px[i] = pack (128, premul (200, 128), premul (100, 128), premul (50, 128));
    g_clear_pointer (&blob, g_bytes_unref);
    blob = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_WEBP, 0, &error);
    g_assert_no_error (error);
    decode_ok (blob, out, &content);
    g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
    for (int i = 0; i < N_PIXELS; i++)
      g_assert_cmpuint (((guint32 *) out)[i] >> 24, ==, px[i] >> 24);
  }
  (void) rand;
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) a = sl_tile_codec_encode (NULL, SL_TILE_CONTENT_EMPTY, &error);
  g_autoptr(GBytes) b = sl_tile_codec_encode (NULL, SL_TILE_CONTENT_EMPTY, &error);
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  SlTileContent content = SL_TILE_CONTENT_OPAQUE;
  SlTileFormat format;

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_true (g_bytes_get_data (a, NULL) == g_bytes_get_data (b, NULL)); /* cached */
  g_assert_cmpuint (g_bytes_get_size (a), <, 160);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (a, NULL), g_bytes_get_size (a), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_PNG);
  memset (out, 0x5a, SL_TILE_BYTES);
  decode_ok (a, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_EMPTY);
  for (int i = 0; i < SL_TILE_BYTES; i++)
    g_assert_cmpuint (out[i], ==, 0);

  /* A valid PNG to other readers too (the decoder above recognises the cached bytes). */
  {
    g_autofree char *path = g_strdup_printf ("/vsimem/empty-%u.png", g_random_int ());
    VSILFILE *fp = VSIFileFromMemBuffer (path, (GByte *) g_bytes_get_data (a, NULL), g_bytes_get_size (a), FALSE);
    GDALDatasetH ds;
    GDALColorTableH ct;
    guint8 value = 1;

    VSIFCloseL (fp);
    ds = GDALOpen (path, GA_ReadOnly);
    g_assert_nonnull (ds);
    g_assert_cmpint (GDALGetRasterXSize (ds), ==, SL_TILE_SIZE);
    g_assert_cmpint (GDALGetRasterYSize (ds), ==, SL_TILE_SIZE);
    ct = GDALGetRasterColorTable (GDALGetRasterBand (ds, 1));
    g_assert_nonnull (ct);
    g_assert_cmpint (GDALGetColorEntry (ct, 0)->c4, ==, 0);
    g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, 1), GF_Read, 200, 100, 1, 1, &value, 1, 1, GDT_Byte,
                                   0, 0), ==, CE_None);
    g_assert_cmpuint (value, ==, 0);
    GDALClose (ds);
    VSIUnlink (path);
  }
}

static void
test_content (void)
{
  g_autofree guint8 *tile = g_malloc0 (SL_TILE_BYTES);
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  guint32 *px = (guint32 *) tile;
  g_autoptr(GError) error = NULL;
  SlTileContent content;
  GBytes *blob;

  /* All transparent, through the normal PNG path. */
  blob = sl_tile_codec_encode_as (tile, SL_TILE_FORMAT_PNG, 0, &error);
  g_assert_no_error (error);
  g_bytes_unref (decode_ok (blob, out, &content));
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_EMPTY);

  /* One opaque pixel is enough to be partial; one transparent pixel stops being opaque. */
  px[4321] = pack (255, 1, 2, 3);
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_bytes_unref (decode_ok (blob, out, &content));
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);

  for (int i = 0; i < N_PIXELS; i++)
    px[i] = pack (255, 10, 20, 30);
  px[N_PIXELS - 1] = pack (254, 10, 20, 30);
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_bytes_unref (decode_ok (blob, out, &content));
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
  g_assert_cmphex (((guint32 *) out)[N_PIXELS - 1] >> 24, ==, 254);
  g_assert_cmphex (((guint32 *) out)[0] >> 24, ==, 255);
  g_assert_cmpint (ABS ((int) ((((guint32 *) out)[0] >> 8) & 0xff) - 20), <=, 3);
}

static gsize
count_app9 (GBytes *blob)
{
  gsize len, n = 0;
  const guint8 *data = g_bytes_get_data (blob, &len);

  for (gsize i = 0; i + 12 < len; i++)
    if (data[i] == 0xff && data[i + 1] == 0xe9 && memcmp (data + i + 4, "SlAlpha", 8) == 0)
      n++;
  return n;
}

/* A tile the scene's edge cuts: JPEG + alpha runs, the alpha exact, the colours as close as
 * an opaque JPEG's, and GDAL opens the blob as a plain 256² JPEG. */
static void
test_edge_jpeg_alpha (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  guint32 *px = (guint32 *) tile;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = NULL;
  SlTileContent content;
  SlTileFormat format;
  int max_diff, worst = 0;
  double mean;

  /* Covered: columns 0–200, rows 30–255; a soft column (alpha 128) as on coarser levels. */
  for (int y = 0; y < SL_TILE_SIZE; y++)
    for (int x = 0; x < SL_TILE_SIZE; x++)
      {
        guint32 *p = px + y * SL_TILE_SIZE + x;
        guint a = y < 30 || x > 201 ? 0 : x == 201 ? 128 : 255;

        *p = pack (a, premul ((*p >> 16) & 0xff, a), premul ((*p >> 8) & 0xff, a), premul (*p & 0xff, a));
      }
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_JPEG);
  g_assert_cmpuint (count_app9 (blob), ==, 1);
  g_assert_cmpuint (g_bytes_get_size (blob), <, 20000);
  decode_ok (blob, out, &content);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
  for (int i = 0; i < N_PIXELS; i++)
    {
      guint32 a = ((guint32 *) tile)[i], b = ((guint32 *) out)[i];

      g_assert_cmphex (a >> 24, ==, b >> 24);
      if ((a >> 24) == 0)
        g_assert_cmphex (b, ==, 0);
      for (int shift = 0; shift < 24; shift += 8)
        worst = MAX (worst, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
    }
  channel_error (tile, out, &max_diff, &mean);
  g_assert_cmpint (worst, <=, 12);
  g_assert_cmpfloat (mean, <, 1.5);

  /* Any JPEG reader: GDAL sees three bands of 256² (the alpha segment skipped). */
  {
    g_autofree char *path = g_strdup_printf ("/vsimem/edge-%u.jpg", g_random_int ());
    VSILFILE *f = VSIFileFromMemBuffer (path, (GByte *) g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), FALSE);
    GDALDatasetH ds;

    VSIFCloseL (f);
    ds = GDALOpen (path, GA_ReadOnly);
    g_assert_nonnull (ds);
    g_assert_cmpstr (GDALGetDriverShortName (GDALGetDatasetDriver (ds)), ==, "JPEG");
    g_assert_cmpint (GDALGetRasterXSize (ds), ==, SL_TILE_SIZE);
    g_assert_cmpint (GDALGetRasterCount (ds), ==, 3);
    GDALClose (ds);
    VSIUnlink (path);
  }
}

/* Alphas that are not a footprint keep PNG: a hole inside, uniform translucency. */
static void
test_mask_stays_png (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  guint32 *px = (guint32 *) tile;
  g_autoptr(GError) error = NULL;
  SlTileFormat format;
  GBytes *blob;

  px[100 * SL_TILE_SIZE + 100] = 0;
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_PNG);
  g_bytes_unref (blob);

  for (int i = 0; i < N_PIXELS; i++)
    px[i] = pack (128, 64, 0, 0);
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_tile_codec_detect (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), &format));
  g_assert_cmpint (format, ==, SL_TILE_FORMAT_PNG);
  g_bytes_unref (blob);
}

/* Alpha runs that do not add up to the tile are an error, never a crash or a wrong tile. */
static void
test_bad_alpha_runs (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autofree guint8 *copy = NULL;
  gsize len;
  gsize at = 0;

  for (int i = 0; i < SL_TILE_SIZE * 10; i++)
    ((guint32 *) tile)[i] = 0;
  blob = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (blob);
  copy = g_memdup2 (g_bytes_get_data (blob, NULL), len);
  for (gsize i = 0; i + 12 < len && at == 0; i++)
    if (copy[i] == 0xff && copy[i + 1] == 0xe9)
      at = i + 4 + 8;
  g_assert_cmpuint (at, >, 0);
  copy[at] ^= 0x40;   /* the first run's length */
  g_assert_false (sl_tile_codec_decode (copy, len, out, NULL, &error));
  g_assert_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_CORRUPT);
}

/* Blobs written by GDAL's own drivers: foreign encoders, palettes, grey, other sizes. */
static GBytes *
gdal_blob (const char *driver, int width, int height, int bands, gboolean palette)
{
  g_autofree char *path = g_strdup_printf ("/vsimem/tile-codec-%s-%d.img", driver, g_random_int ());
  GDALDatasetH mem = GDALCreate (GDALGetDriverByName ("MEM"), "", width, height, bands, GDT_Byte, NULL);
  g_autofree guint8 *row = g_malloc (width);
  GDALDatasetH out;
  vsi_l_offset len = 0;
  guint8 *data;
  GBytes *bytes;

  g_assert_nonnull (mem);
  for (int b = 1; b <= bands; b++)
    for (int y = 0; y < height; y++)
      {
        for (int x = 0; x < width; x++)
          row[x] = (guint8) (palette ? (x / 32) % 4 : (x * b + y) & 0xff);
        g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (mem, b), GF_Write, 0, y, width, 1, row, width, 1,
                                       GDT_Byte, 0, 0), ==, CE_None);
      }
  if (palette)
    {
      GDALColorTableH ct = GDALCreateColorTable (GPI_RGB);

      for (int i = 0; i < 4; i++)
        {
          GDALColorEntry e = { (short) (i * 60), (short) (255 - i * 60), 40, (short) (i == 0 ? 0 : 255) };
          GDALSetColorEntry (ct, i, &e);
        }
      GDALSetRasterColorTable (GDALGetRasterBand (mem, 1), ct);
      GDALDestroyColorTable (ct);
    }
  out = GDALCreateCopy (GDALGetDriverByName (driver), path, mem, FALSE, NULL, NULL, NULL);
  g_assert_nonnull (out);
  GDALClose (out);
  GDALClose (mem);
  data = VSIGetMemFileBuffer (path, &len, FALSE);
  g_assert_nonnull (data);
  bytes = g_bytes_new (data, (gsize) len);
  VSIUnlink (path);
  {
    g_autofree char *aux = g_strconcat (path, ".aux.xml", NULL);
    VSIUnlink (aux);
  }
  return bytes;
}

static void
test_foreign_blobs (void)
{
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  SlTileContent content;

  /* Right size, other encoders and layouts: decoded. */
  {
    g_autoptr(GBytes) grey_jpeg = gdal_blob ("JPEG", 256, 256, 1, FALSE);
    g_autoptr(GBytes) rgb_png = gdal_blob ("PNG", 256, 256, 3, FALSE);
    g_autoptr(GBytes) grey_alpha_png = gdal_blob ("PNG", 256, 256, 2, FALSE);
    g_autoptr(GBytes) palette_png = gdal_blob ("PNG", 256, 256, 1, TRUE);
    guint32 *px = (guint32 *) out;

    decode_ok (grey_jpeg, out, &content);
    g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
    decode_ok (rgb_png, out, &content);
    g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
    g_assert_cmphex (px[SL_TILE_SIZE * 3 + 5], ==, pack (255, 5 + 3, 10 + 3, 15 + 3));
    decode_ok (grey_alpha_png, out, &content);
    g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
    decode_ok (palette_png, out, &content);
    g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL); /* entry 0 is transparent */
    g_assert_cmphex (px[0], ==, 0);
    g_assert_cmphex (px[40], ==, pack (255, 60, 195, 40));
  }

  /* Other sizes: refused with a SIZE error, whatever the format. */
  {
    const struct { const char *driver; int w, h; } wrong[] = {
      { "JPEG", 128, 128 }, { "PNG", 512, 512 }, { "PNG", 256, 255 }, { "WEBP", 300, 256 }, { "JPEG", 4000, 3 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_autoptr(GBytes) blob = gdal_blob (wrong[i].driver, wrong[i].w, wrong[i].h, 3, FALSE);
        gsize len;
        const guint8 *data = g_bytes_get_data (blob, &len);

        g_assert_false (sl_tile_codec_decode (data, len, out, &content, &error));
        g_assert_error (error, SL_TILE_CODEC_ERROR, SL_TILE_CODEC_ERROR_SIZE);
        g_assert_nonnull (strstr (error->message, "expected 256 × 256"));
        g_clear_error (&error);
      }
  }
}

static void
assert_all_prefixes_fail (GBytes *blob, const char *what)
{
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  gsize len;
  const guint8 *data = g_bytes_get_data (blob, &len);

  for (gsize n = 0; n < len; n++)
    {
      /* A copy of exactly n bytes, so ASan catches any read past the end. */
      g_autofree guint8 *prefix = g_memdup2 (data, n);
      g_autoptr(GError) error = NULL;

      if (sl_tile_codec_decode (prefix, n, out, NULL, &error))
        g_error ("%s cut to %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes decoded without error", what, n, len);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SL_TILE_CODEC_ERROR);
    }
}

static void
test_truncated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree guint8 *gradient = new_gradient_tile ();
  g_autofree guint8 *alpha = new_random_alpha_tile (rand);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = sl_tile_codec_encode (gradient, SL_TILE_CONTENT_OPAQUE, &error);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) webp = sl_tile_codec_encode_as (gradient, SL_TILE_FORMAT_WEBP, 0, &error);
  g_autoptr(GBytes) empty = sl_tile_codec_encode (NULL, SL_TILE_CONTENT_EMPTY, &error);

  /* A smaller PNG keeps the test quick (every prefix is decoded): noise in 8 rows of 256. */
  memset (alpha, 0, SL_TILE_BYTES - 8 * SL_TILE_STRIDE);
  png = sl_tile_codec_encode (alpha, SL_TILE_CONTENT_PARTIAL, &error);
  g_assert_no_error (error);

  assert_all_prefixes_fail (jpeg, "JPEG");
  assert_all_prefixes_fail (png, "PNG");
  assert_all_prefixes_fail (webp, "WebP");
  assert_all_prefixes_fail (empty, "empty PNG");
}

static void
test_corrupt (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree guint8 *gradient = new_gradient_tile ();
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);
  g_autoptr(GError) error = NULL;
  GBytes *valid[3];
  guint jpeg_detected = 0;

  valid[0] = sl_tile_codec_encode (gradient, SL_TILE_CONTENT_OPAQUE, &error);
  valid[1] = sl_tile_codec_encode_as (gradient, SL_TILE_FORMAT_PNG, 0, &error);
  valid[2] = sl_tile_codec_encode_as (gradient, SL_TILE_FORMAT_WEBP, 0, &error);
  g_assert_no_error (error);

  /* Random bytes, bare and behind each format's magic. */
  for (int i = 0; i < 3000; i++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 4096);
      g_autofree guint8 *junk = g_malloc (len + 1);

      for (gsize k = 0; k < len; k++)
        junk[k] = (guint8) g_rand_int_range (rand, 0, 256);
      if (i % 3 == 1 && len >= 64)
        memcpy (junk, g_bytes_get_data (valid[i % 2 == 0 ? 0 : 1], NULL), 32);
      else if (i % 3 == 2 && len >= 12)
        memcpy (junk, "RIFF\x10\x00\x00\x00WEBP", 12);
      g_assert_false (sl_tile_codec_decode (junk, len, out, NULL, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  /* Flipped bytes in valid blobs: never a crash. PNG's CRCs catch every one; JPEG has no
   * checksum, so some flips decode to wrong pixels, but most are detected. */
  for (int f = 0; f < 3; f++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (valid[f], &len);

      for (int i = 0; i < 400; i++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, len);
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len);
          gboolean ok;

          copy[at] ^= (guint8) g_rand_int_range (rand, 1, 256);
          ok = sl_tile_codec_decode (copy, len, out, NULL, &error);
          if (f == 1)
            {
              if (ok)
                g_error ("PNG with byte %" G_GSIZE_FORMAT " flipped decoded without error", at);
            }
          if (!ok)
            {
              g_assert_nonnull (error);
              jpeg_detected += f == 0;
            }
          g_clear_error (&error);
        }
    }
  g_test_message ("JPEG: %u of 400 single-byte corruptions detected", jpeg_detected);
  g_assert_cmpuint (jpeg_detected, >, 0);

  for (int f = 0; f < 3; f++)
    g_bytes_unref (valid[f]);
}

typedef struct
{
  const guint8 *tile;
  GBytes       *expected;
  GBytes       *expected_partial;
  gboolean      ok;
} ThreadJob;

static gpointer
encode_decode_many (gpointer data)
{
  ThreadJob *job = data;
  g_autofree guint8 *out = g_malloc (SL_TILE_BYTES);

  job->ok = TRUE;
  for (int i = 0; i < 200; i++)
    {
      g_autoptr(GBytes) blob = sl_tile_codec_encode (job->tile, i % 2 ? SL_TILE_CONTENT_OPAQUE
                                                                : SL_TILE_CONTENT_PARTIAL, NULL);
      SlTileContent content;

      if (blob == NULL || !sl_tile_codec_decode (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), out,
                                                 &content, NULL))
        job->ok = FALSE;
      else if (i % 2 == 1 && !g_bytes_equal (blob, job->expected))
        job->ok = FALSE; /* JPEG encoding is deterministic whatever the thread */
      else if (i % 2 == 0 && !g_bytes_equal (blob, job->expected_partial))
        job->ok = FALSE;
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autofree guint8 *tile = new_gradient_tile ();
  g_autoptr(GBytes) expected = sl_tile_codec_encode (tile, SL_TILE_CONTENT_OPAQUE, NULL);
  g_autoptr(GBytes) expected_partial = sl_tile_codec_encode (tile, SL_TILE_CONTENT_PARTIAL, NULL);
  ThreadJob jobs[4];
  GThread *threads[4];

  for (int i = 0; i < 4; i++)
    {
      jobs[i] = (ThreadJob) { tile, expected, expected_partial, FALSE };
      threads[i] = g_thread_new ("codec", encode_decode_many, &jobs[i]);
    }
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (jobs[i].ok);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/tile-codec/jpeg-round-trip", test_jpeg_round_trip);
  g_test_add_func ("/tile-codec/png-round-trip-exact", test_png_round_trip_exact);
  g_test_add_func ("/tile-codec/png-opaque", test_png_opaque);
  g_test_add_func ("/tile-codec/webp-round-trip", test_webp_round_trip);
  g_test_add_func ("/tile-codec/empty", test_empty);
  g_test_add_func ("/tile-codec/content", test_content);
  g_test_add_func ("/tile-codec/edge-jpeg-alpha", test_edge_jpeg_alpha);
  g_test_add_func ("/tile-codec/mask-stays-png", test_mask_stays_png);
  g_test_add_func ("/tile-codec/bad-alpha-runs", test_bad_alpha_runs);
  g_test_add_func ("/tile-codec/foreign-blobs", test_foreign_blobs);
  g_test_add_func ("/tile-codec/truncated", test_truncated);
  g_test_add_func ("/tile-codec/corrupt", test_corrupt);
  g_test_add_func ("/tile-codec/threads", test_threads);
  return g_test_run ();
}
