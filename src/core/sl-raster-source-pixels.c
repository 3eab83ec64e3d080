/* sl-raster-source-pixels.c — scratch samples to premultiplied ARGB display pixels
 *
 * The inner loops of tile rendering: one call per row, no call per pixel. Integer data goes
 * through per-channel lookup tables built once per render parameters, so the 8-bit path never
 * touches a double and 16-bit data costs one table load per channel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <math.h>

#include "sl-raster-source-private.h"

static inline guint
mul255 (guint c, guint a)
{
  guint t = c * a + 128;

  return (t + (t >> 8)) >> 8;
}

static inline guint32
pack (guint r, guint g, guint b, guint a)
{
  if (a == 255)
    return 0xff000000u | r << 16 | g << 8 | b;
  return a << 24 | mul255 (r, a) << 16 | mul255 (g, a) << 8 | mul255 (b, a);
}

static inline guint32
scale_argb (guint32 c, guint a)
{
  return mul255 (c >> 24, a) << 24 | mul255 ((c >> 16) & 0xff, a) << 16 |
         mul255 ((c >> 8) & 0xff, a) << 8 | mul255 (c & 0xff, a);
}

static inline guint8
to8 (float f)
{
  return f <= 0 ? 0 : f >= 255 ? 255 : (guint8) (f + 0.5f);
}

/* Integer samples: alpha from nodata values or an alpha band in the same buffer; colour from
 * the tables (index = value + BIAS) or the palette. */
#define DEFINE_INTEGER_ROWS(SUFFIX, T, BIAS)                                                    \
static void                                                                                     \
alpha_row_##SUFFIX (const SlPixelConverter *conv, const T *s, guint8 *alpha, int w)             \
{                                                                                               \
  const int step = conv->step;                                                                  \
                                                                                                \
  if (conv->coverage == SL_COVER_ALPHA)                                                         \
    {                                                                                           \
      const T *a = s + conv->n_colour;                                                          \
      for (int i = 0; i < w; i++, a += step)                                                    \
        alpha[i] = *a <= 0 ? 0 : *a >= 255 ? 255 : (guint8) *a;                                 \
    }                                                                                           \
  else if (conv->n_colour == 1)                                                                 \
    {                                                                                           \
      const T n0 = (T) conv->nodata[0];                                                         \
      for (int i = 0; i < w; i++, s += step)                                                    \
        alpha[i] = s[0] == n0 ? 0 : 255;                                                        \
    }                                                                                           \
  else                                                                                          \
    {                                                                                           \
      const T n0 = (T) conv->nodata[0], n1 = (T) conv->nodata[1], n2 = (T) conv->nodata[2];    \
      for (int i = 0; i < w; i++, s += step)                                                    \
        alpha[i] = (s[0] == n0 && s[1] == n1 && s[2] == n2) ? 0 : 255;                          \
    }                                                                                           \
}                                                                                               \
                                                                                                \
static void                                                                                     \
colour_row_##SUFFIX (const SlPixelConverter *conv, const T *s, const guint8 *alpha,             \
                     guint32 *out, int w, guint *and_a, guint *or_a)                            \
{                                                                                               \
  const guint8 *l0 = conv->lut[0], *l1 = conv->lut[1], *l2 = conv->lut[2];                      \
  const int step = conv->step;                                                                  \
  const int o1 = conv->n_colour == 3 ? 1 : 0, o2 = conv->n_colour == 3 ? 2 : 0;                 \
                                                                                                \
  if (alpha == NULL)                                                                            \
    {                                                                                           \
      for (int i = 0; i < w; i++, s += step)                                                    \
        out[i] = 0xff000000u | (guint32) l0[(guint16) (s[0] + BIAS)] << 16 |                    \
                 (guint32) l1[(guint16) (s[o1] + BIAS)] << 8 | l2[(guint16) (s[o2] + BIAS)];    \
      *or_a |= 255;                                                                             \
    }                                                                                           \
  else                                                                                          \
    {                                                                                           \
      guint an = 255, ao = 0;                                                                   \
      for (int i = 0; i < w; i++, s += step)                                                    \
        {                                                                                       \
          guint a = alpha[i];                                                                   \
          an &= a;                                                                              \
          ao |= a;                                                                              \
          out[i] = pack (l0[(guint16) (s[0] + BIAS)], l1[(guint16) (s[o1] + BIAS)],             \
                         l2[(guint16) (s[o2] + BIAS)], a);                                      \
        }                                                                                       \
      *and_a &= an;                                                                             \
      *or_a |= ao;                                                                              \
    }                                                                                           \
}                                                                                               \
                                                                                                \
static void                                                                                     \
palette_row_##SUFFIX (const SlPixelConverter *conv, const T *s, const guint8 *alpha,            \
                      guint32 *out, int w, guint *and_a, guint *or_a)                           \
{                                                                                               \
  const guint32 *pal = conv->palette;                                                           \
  const int n = conv->palette_size, step = conv->step;                                          \
  guint an = 255, ao = 0;                                                                       \
                                                                                                \
  for (int i = 0; i < w; i++, s += step)                                                        \
    {                                                                                           \
      int v = s[0];                                                                             \
      guint32 c = v >= 0 && v < n ? pal[v] : 0;                                                 \
      if (alpha && alpha[i] != 255)                                                             \
        c = scale_argb (c, alpha[i]);                                                           \
      an &= c >> 24;                                                                            \
      ao |= c >> 24;                                                                            \
      out[i] = c;                                                                               \
    }                                                                                           \
  *and_a &= an;                                                                                 \
  *or_a |= ao;                                                                                  \
}                                                                                               \
                                                                                                \
static void                                                                                     \
convert_row_##SUFFIX (const SlPixelConverter *conv, const T *s, const guint8 *mask,             \
                      guint32 *out, int w, guint *and_a, guint *or_a)                           \
{                                                                                               \
  guint8 alpha[SL_TILE_SIZE];                                                                   \
  const guint8 *a = NULL;                                                                       \
                                                                                                \
  if (conv->coverage == SL_COVER_MASK)                                                          \
    a = mask;                                                                                   \
  else if (conv->coverage != SL_COVER_ALL)                                                      \
    {                                                                                           \
      alpha_row_##SUFFIX (conv, s, alpha, w);                                                   \
      a = alpha;                                                                                \
    }                                                                                           \
  if (conv->palette)                                                                            \
    palette_row_##SUFFIX (conv, s, a, out, w, and_a, or_a);                                     \
  else                                                                                          \
    colour_row_##SUFFIX (conv, s, a, out, w, and_a, or_a);                                      \
}

DEFINE_INTEGER_ROWS (u8, guint8, 0)
DEFINE_INTEGER_ROWS (u16, guint16, 0)
DEFINE_INTEGER_ROWS (i16, gint16, 32768)

/* Float samples: scale and offset per channel; NaN is never a colour. */
static void
convert_row_float (const SlPixelConverter *conv, const float *s, const guint8 *mask,
                   guint32 *out, int w, guint *and_a, guint *or_a)
{
  const int n = conv->n_colour, step = conv->step, o1 = n == 3 ? 1 : 0, o2 = n == 3 ? 2 : 0;
  const float n0 = conv->nodata[0], n1 = conv->nodata[o1], n2 = conv->nodata[o2];
  const float *scale = conv->scale, *offset = conv->offset;
  guint an = 255, ao = 0;

  for (int i = 0; i < w; i++, s += step)
    {
      guint a = 255;

      if (conv->coverage == SL_COVER_ALPHA)
        a = to8 (s[n]);
      else if (conv->coverage == SL_COVER_MASK)
        a = mask[i];
      else if (conv->coverage == SL_COVER_NODATA && s[0] == n0 && s[o1] == n1 && s[o2] == n2)
        a = 0;
      if (isnan (s[0]) || isnan (s[o1]) || isnan (s[o2]))
        a = 0;
      an &= a;
      ao |= a;
      out[i] = pack (to8 (s[0] * scale[0] + offset[0]), to8 (s[o1] * scale[1] + offset[1]),
                     to8 (s[o2] * scale[2] + offset[2]), a);
    }
  *and_a &= an;
  *or_a |= ao;
}

void
_sl_raster_source_convert_row (const SlPixelConverter *conv,
                               const guint8           *src,
                               const guint8           *mask,
                               guint32                *out,
                               int                     width,
                               guint                  *and_alpha,
                               guint                  *or_alpha)
{
  g_assert (width <= SL_TILE_SIZE);

  switch (conv->kind)
    {
    case SL_PIXEL_BYTE:
      convert_row_u8 (conv, src, mask, out, width, and_alpha, or_alpha);
      break;
    case SL_PIXEL_UINT16:
      convert_row_u16 (conv, (const guint16 *) src, mask, out, width, and_alpha, or_alpha);
      break;
    case SL_PIXEL_INT16:
      convert_row_i16 (conv, (const gint16 *) src, mask, out, width, and_alpha, or_alpha);
      break;
    case SL_PIXEL_FLOAT:
      convert_row_float (conv, (const float *) src, mask, out, width, and_alpha, or_alpha);
      break;
    }
}

void
_sl_raster_source_build_lut (SlPixelKind  kind,
                             double       low,
                             double       high,
                             guint8      *lut,
                             float       *scale,
                             float       *offset)
{
  double s = high > low ? 255.0 / (high - low) : 1e9;
  int n = kind == SL_PIXEL_BYTE ? 256 : 65536;

  *scale = (float) s;
  *offset = (float) (-low * s);
  if (lut == NULL)
    return;
  for (int i = 0; i < n; i++)
    {
      double v = kind == SL_PIXEL_INT16 ? i - 32768 : i;
      double f = floor ((v - low) * s + 0.5);

      lut[i] = (guint8) CLAMP (f, 0, 255);
    }
}

guint32
_sl_raster_source_premultiply (guint r, guint g, guint b, guint a)
{
  return pack (r, g, b, a);
}
