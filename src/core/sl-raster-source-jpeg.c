/* sl-raster-source-jpeg.c — reduced reads of JPEG-compressed tiled GeoTIFFs by DCT scaling
 *
 * Zoomed out on a JPEG GeoTIFF without overviews, GDAL decodes every source block through
 * its implicit JPEG overviews (a JPEG dataset opened per block) and then averages: 6.4 s for
 * a 30000² image into a 1080² view on this machine, most of it overhead around libjpeg. Here
 * each source tile's bytes are read directly (their offsets from GDAL's "TIFF" metadata
 * domain), joined to the file's JPEGTables, and decoded by TurboJPEG at 1/2, 1/4 or 1/8 of
 * its size (the DCT does the first 8× of the reduction almost for free); a box average of
 * the scaled pixels finishes it. That is the picture GDAL's implicit overviews give, at a
 * fraction of the cost. At full resolution a block is decoded straight into the tile's ARGB
 * bytes: the same pixels as GDAL's (the same libjpeg-turbo, same settings), without libtiff's
 * and GDAL's block cache copies.
 *
 * Only the plain case is taken: 3 Byte bands, pixel-interleaved, tiled, JPEG in RGB or YCbCr,
 * every pixel valid (no mask, nodata or alpha); reduced reads only when the file has no real
 * overviews (the caller's choice). Anything unusual, or a block that does not decode as
 * expected, goes back to GDAL, which also reports errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <string.h>

#include <cpl_vsi.h>
#include <turbojpeg.h>

#include "sl-raster-source-private.h"

/* Source blocks larger than this are left to GDAL. */
#define MAX_BLOCK_SIDE 2048

struct _SlJpegTiles
{
  char          *path;
  VSILFILE      *file;
  GDALRasterBandH band;
  tjhandle       tj;
  int            width, height;
  int            block_w, block_h;
  gboolean       ycbcr;
  guint8        *tables;     /* the JPEGTables stream without its EOI, or NULL */
  gsize          tables_len;
  GByteArray    *stream;     /* tables + one block's stream */
  guint8        *scaled;     /* one block decoded at its scale, BGRX */
  guint32       *sums;       /* per output pixel: B, G, R sums and a count */
};

static guint8 *
parse_hex (const char *hex, gsize *len)
{
  gsize n = strlen (hex) / 2;
  guint8 *out = g_malloc (MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (out);
          return NULL;
        }
      out[i] = (guint8) (hi << 4 | lo);
    }
  *len = n;
  return out;
}

void
_sl_jpeg_tiles_free (SlJpegTiles *self)
{
  if (self == NULL)
    return;
  if (self->file != NULL)
    VSIFCloseL (self->file);
  if (self->tj != NULL)
    tjDestroy (self->tj);
  if (self->stream != NULL)
    g_byte_array_unref (self->stream);
  g_free (self->tables);
  g_free (self->scaled);
  g_free (self->sums);
  g_free (self->path);
  g_free (self);
}

SlJpegTiles *
_sl_jpeg_tiles_open (GDALDatasetH ds, const char *path)
{
  g_autoptr(SlJpegTiles) self = NULL;
  GDALDriverH driver = GDALGetDatasetDriver (ds);
  const char *compression = GDALGetMetadataItem (ds, "COMPRESSION", "IMAGE_STRUCTURE");
  const char *interleave = GDALGetMetadataItem (ds, "INTERLEAVE", "IMAGE_STRUCTURE");
  const char *colour = GDALGetMetadataItem (ds, "SOURCE_COLOR_SPACE", "IMAGE_STRUCTURE");
  const char *tables;
  GDALRasterBandH band;

  if (g_getenv ("SL_NO_JPEG_SCALING") != NULL)   /* the benchmark's and the tests' reference */
    return NULL;
  if (G_BYTE_ORDER != G_LITTLE_ENDIAN)
    return NULL;   /* BGRA bytes are cairo's ARGB32 words on little-endian machines only */
  if (driver == NULL || g_strcmp0 (GDALGetDriverShortName (driver), "GTiff") != 0 ||
      GDALGetRasterCount (ds) != 3 || g_strcmp0 (interleave, "PIXEL") != 0 ||
      (g_strcmp0 (compression, "JPEG") != 0 && g_strcmp0 (compression, "YCbCr JPEG") != 0))
    return NULL;
  if (colour != NULL && g_strcmp0 (colour, "YCbCr") != 0)
    return NULL;   /* CMYK, or anything libtiff would convert differently */

  self = g_new0 (SlJpegTiles, 1);
  band = GDALGetRasterBand (ds, 1);
  for (int b = 1; b <= 3; b++)
    {
      GDALRasterBandH h = GDALGetRasterBand (ds, b);
      int bw, bh;

      GDALGetBlockSize (h, &bw, &bh);
      if (GDALGetRasterDataType (h) != GDT_Byte || GDALGetMaskFlags (h) != GMF_ALL_VALID)
        return NULL;
      if (b == 1)
        self->block_w = bw, self->block_h = bh;
      else if (bw != self->block_w || bh != self->block_h)
        return NULL;
    }
  /* Tiles only: a block as wide as the image is a strip (whose last one is coded shorter). */
  if (self->block_w % 16 != 0 || self->block_h % 16 != 0 || self->block_w > MAX_BLOCK_SIDE ||
      self->block_h > MAX_BLOCK_SIDE || self->block_w >= GDALGetRasterXSize (ds))
    return NULL;

  self->band = band;
  self->width = GDALGetRasterXSize (ds);
  self->height = GDALGetRasterYSize (ds);
  self->ycbcr = colour != NULL;
  tables = GDALGetMetadataItem (band, "JPEGTABLES", "TIFF");
  if (tables != NULL && *tables != '\0')
    {
      self->tables = parse_hex (tables, &self->tables_len);
      if (self->tables == NULL || self->tables_len < 4 || self->tables[0] != 0xff || self->tables[1] != 0xd8 ||
          self->tables[self->tables_len - 2] != 0xff || self->tables[self->tables_len - 1] != 0xd9)
        return NULL;
      self->tables_len -= 2;   /* the stream goes on with the block's own markers */
    }
  self->path = g_strdup (path);
  self->file = VSIFOpenL (path, "rb");
  self->tj = tjInitDecompress ();
  if (self->file == NULL || self->tj == NULL)
    return NULL;
  self->stream = g_byte_array_sized_new (64 * 1024);
  self->scaled = g_malloc ((gsize) self->block_w * self->block_h * 4);
  self->sums = g_malloc ((gsize) SL_TILE_SIZE * SL_TILE_SIZE * 4 * sizeof (guint32));
  return g_steal_pointer (&self);
}

/* Block (@bx, @by)'s stream, tables first. FALSE when GDAL does not know where it is (a
 * sparse block) or it cannot be read. */
static gboolean
load_block (SlJpegTiles *self, int bx, int by)
{
  char name[64];
  const char *offset_s, *size_s;
  guint64 offset, size;
  gsize at;

  g_snprintf (name, sizeof name, "BLOCK_OFFSET_%d_%d", bx, by);
  offset_s = GDALGetMetadataItem (self->band, name, "TIFF");
  g_snprintf (name, sizeof name, "BLOCK_SIZE_%d_%d", bx, by);
  size_s = GDALGetMetadataItem (self->band, name, "TIFF");
  if (offset_s == NULL || size_s == NULL)
    return FALSE;
  offset = g_ascii_strtoull (offset_s, NULL, 10);
  size = g_ascii_strtoull (size_s, NULL, 10);
  if (offset == 0 || size < 4 || size > 64 * 1024 * 1024)
    return FALSE;

  g_byte_array_set_size (self->stream, 0);
  if (self->tables != NULL)
    g_byte_array_append (self->stream, self->tables, self->tables_len);
  at = self->stream->len;
  g_byte_array_set_size (self->stream, at + size);
  if (VSIFSeekL (self->file, offset, SEEK_SET) != 0 ||
      VSIFReadL (self->stream->data + at, 1, size, self->file) != size)
    return FALSE;
  if (self->stream->data[at] != 0xff || self->stream->data[at + 1] != 0xd8)
    return FALSE;
  if (self->tables != NULL)
    {
      /* Drop the block's SOI: the tables' opened the stream. */
      memmove (self->stream->data + at, self->stream->data + at + 2, size - 2);
      g_byte_array_set_size (self->stream, at + size - 2);
    }
  return TRUE;
}

/* Decodes block (@bx, @by) at 1/@scale into @out (@pitch bytes a row, BGRA, alpha 255).
 * FALSE when it is not the plain JPEG expected. */
static gboolean
decode_block (SlJpegTiles *self, int bx, int by, int scale, guint8 *out, int pitch)
{
  tjscalingfactor factor = { 1, scale };
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  int sw = self->block_w / scale, sh = self->block_h / scale;

  if (!load_block (self, bx, by) ||
      tjDecompressHeader3 (self->tj, self->stream->data, self->stream->len, &w, &h, &subsamp, &colorspace) != 0 ||
      w != self->block_w || h != self->block_h || colorspace != (self->ycbcr ? TJCS_YCbCr : TJCS_RGB) ||
      TJSCALED (w, factor) != sw || TJSCALED (h, factor) != sh ||
      tjDecompress2 (self->tj, self->stream->data, self->stream->len, out, sw, pitch, sh, TJPF_BGRA,
                     TJFLAG_STOPONWARNING) != 0)
    {
      g_debug ("%s: block %d,%d is not plain JPEG, reading it through GDAL", self->path, bx, by);
      return FALSE;
    }
  return TRUE;
}

/* Full resolution: each block decoded straight into the tile when it is exactly one block
 * (the site grid is anchored on the scene's corner, so native tiles usually are), else
 * through the scratch buffer. */
static gboolean
read_native (SlJpegTiles *self, int sx, int sy, int out_w, int out_h, guint8 *out, gsize out_stride)
{
  int bx0 = sx / self->block_w, by0 = sy / self->block_h;
  int bx1 = (sx + out_w - 1) / self->block_w, by1 = (sy + out_h - 1) / self->block_h;

  if (sx + out_w > self->width || sy + out_h > self->height)
    return FALSE;
  for (int by = by0; by <= by1; by++)
    for (int bx = bx0; bx <= bx1; bx++)
      {
        int x0 = bx * self->block_w, y0 = by * self->block_h;
        int ix0 = MAX (sx, x0), ix1 = MIN (sx + out_w, x0 + self->block_w);
        int iy0 = MAX (sy, y0), iy1 = MIN (sy + out_h, y0 + self->block_h);
        guint8 *dst = out + (gsize) (iy0 - sy) * out_stride + (gsize) (ix0 - sx) * 4;

        if (ix0 == x0 && iy0 == y0 && ix1 - ix0 == self->block_w && iy1 - iy0 == self->block_h)
          {
            if (!decode_block (self, bx, by, 1, dst, (int) out_stride))
              return FALSE;
            continue;
          }
        if (!decode_block (self, bx, by, 1, self->scaled, self->block_w * 4))
          return FALSE;
        for (int y = iy0; y < iy1; y++)
          memcpy (out + (gsize) (y - sy) * out_stride + (gsize) (ix0 - sx) * 4,
                  self->scaled + ((gsize) (y - y0) * self->block_w + (ix0 - x0)) * 4, (gsize) (ix1 - ix0) * 4);
      }
  return TRUE;
}

gboolean
_sl_jpeg_tiles_read (SlJpegTiles *self,
                     int          sx,
                     int          sy,
                     int          reduction,
                     int          out_w,
                     int          out_h,
                     guint8      *out,
                     gsize        out_stride)
{
  int scale = MIN (reduction, 8), step = reduction / scale, shift = 0;
  int sw = self->block_w / scale, sh = self->block_h / scale;
  int bx0, by0, bx1, by1;

  g_return_val_if_fail (out_w <= SL_TILE_SIZE && out_h <= SL_TILE_SIZE, FALSE);
  if (reduction < 1 || (reduction & (reduction - 1)) != 0 || sx % scale != 0 || sy % scale != 0 ||
      sx < 0 || sy < 0 || sx >= self->width || sy >= self->height)
    return FALSE;
  if (reduction == 1)
    return read_native (self, sx, sy, out_w, out_h, out, out_stride);
  while ((1 << shift) < step)
    shift++;

  memset (self->sums, 0, (gsize) out_w * out_h * 4 * sizeof (guint32));
  bx0 = sx / self->block_w;
  by0 = sy / self->block_h;
  bx1 = MIN ((int) (((gint64) sx + (gint64) out_w * reduction - 1) / self->block_w), (self->width - 1) / self->block_w);
  by1 = MIN ((int) (((gint64) sy + (gint64) out_h * reduction - 1) / self->block_h), (self->height - 1) / self->block_h);

  for (int by = by0; by <= by1; by++)
    for (int bx = bx0; bx <= bx1; bx++)
      {
        /* The block's valid scaled pixels (a partial edge block is coded at full size). */
        int vw = MIN (sw, (self->width - bx * self->block_w + scale - 1) / scale);
        int vh = MIN (sh, (self->height - by * self->block_h + scale - 1) / scale);
        int ox = bx * self->block_w / scale - sx / scale, oy = by * self->block_h / scale - sy / scale;

        if (!decode_block (self, bx, by, scale, self->scaled, sw * 4))
          return FALSE;

        for (int v = 0; v < vh; v++)
          {
            int j = (oy + v) >> shift;
            const guint8 *row = self->scaled + (gsize) v * sw * 4;

            if (oy + v < 0 || j >= out_h)
              continue;
            for (int u = 0; u < vw; u++)
              {
                int i = (ox + u) >> shift;
                guint32 *acc;

                if (ox + u < 0 || i >= out_w)
                  continue;
                acc = self->sums + ((gsize) j * out_w + i) * 4;
                acc[0] += row[u * 4];
                acc[1] += row[u * 4 + 1];
                acc[2] += row[u * 4 + 2];
                acc[3]++;
              }
          }
      }

  for (int j = 0; j < out_h; j++)
    {
      guint32 *dst = (guint32 *) (out + (gsize) j * out_stride);
      const guint32 *acc = self->sums + (gsize) j * out_w * 4;

      for (int i = 0; i < out_w; i++, acc += 4)
        {
          guint32 n = acc[3];

          if (n == 0)
            dst[i] = 0;
          else
            dst[i] = 0xff000000u | ((acc[2] + n / 2) / n) << 16 | ((acc[1] + n / 2) / n) << 8 | ((acc[0] + n / 2) / n);
        }
    }
  return TRUE;
}
