/* sl-raster-source-stats.c — sampled statistics for a scene's contrast stretch
 *
 * A stretch must come quickly from a gigapixel image, so it never reads the whole of it: it
 * takes the largest overview of at most ~1 Mpixel, or else a 16 × 16 grid of 64² windows
 * placed inside blocks (one block decoded each) of the smallest level larger than that.
 * Nodata, NaN and masked pixels are left out, so a black collar never drags the stretch down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cpl_error.h>

#include "sl-raster-source-private.h"

#define SAMPLE_PIXELS  (1 << 20)
#define SAMPLE_MIN     (1 << 16)  /* an overview smaller than this is too coarse to trust */
#define SAMPLE_WINDOW  64
#define SAMPLE_GRID    16
#define HISTOGRAM_BINS 65536

static gint64
band_pixels (GDALRasterBandH band)
{
  return (gint64) GDALGetRasterBandXSize (band) * GDALGetRasterBandYSize (band);
}

/* The level to sample: the largest overview of at most SAMPLE_PIXELS (read whole) when it is
 * not too coarse, else the smallest level above that (sampled by windows). */
static GDALRasterBandH
pick_level (GDALRasterBandH band)
{
  GDALRasterBandH small = NULL, large = band;
  gint64 small_px = 0, large_px = band_pixels (band);
  int n = GDALGetOverviewCount (band);

  if (large_px <= SAMPLE_PIXELS)
    return band;
  for (int i = 0; i < n; i++)
    {
      GDALRasterBandH ov = GDALGetOverview (band, i);
      gint64 px = ov ? band_pixels (ov) : 0;

      if (px == 0)
        continue;
      if (px <= SAMPLE_PIXELS && px > small_px)
        small = ov, small_px = px;
      else if (px > SAMPLE_PIXELS && px < large_px)
        large = ov, large_px = px;
    }
  return small && small_px >= SAMPLE_MIN ? small : large;
}

static void
percentiles (const float *v, gsize n, gboolean integral, SlStretchMode mode,
             double percent_low, double percent_high, double *low, double *high)
{
  g_autofree guint32 *hist = NULL;
  float mn = v[0], mx = v[0];
  double width;
  guint64 rank[2], cum = 0;
  double *out[2] = { low, high };
  int bins, k = 0;

  for (gsize i = 1; i < n; i++)
    {
      mn = MIN (mn, v[i]);
      mx = MAX (mx, v[i]);
    }
  if (mode == SL_STRETCH_MINMAX || mn == mx)
    {
      *low = mn;
      *high = mx;
      return;
    }

  bins = integral ? (int) (mx - mn) + 1 : HISTOGRAM_BINS;
  width = integral ? 1.0 : ((double) mx - mn) / HISTOGRAM_BINS;
  hist = g_new0 (guint32, bins);
  for (gsize i = 0; i < n; i++)
    {
      int b = (int) (((double) v[i] - mn) / width);
      hist[MIN (b, bins - 1)]++;
    }

  rank[0] = (guint64) floor (CLAMP (percent_low, 0, 100) / 100 * (n - 1));
  rank[1] = (guint64) ceil (CLAMP (percent_high, 0, 100) / 100 * (n - 1));
  for (int b = 0; b < bins && k < 2; b++)
    {
      cum += hist[b];
      while (k < 2 && cum > rank[k])
        {
          *out[k] = integral ? mn + b : MIN (mn + (b + 0.5) * width, mx);
          k++;
        }
    }
  for (; k < 2; k++)
    *out[k] = mx;
}

gboolean
_sl_raster_source_sample_stretch (GDALDatasetH   ds,
                                  const char    *path,
                                  int            band_no,
                                  gboolean       integral,
                                  SlStretchMode  mode,
                                  double         percent_low,
                                  double         percent_high,
                                  double        *low,
                                  double        *high,
                                  GError       **error)
{
  GDALRasterBandH full = GDALGetRasterBand (ds, band_no);
  GDALRasterBandH level = pick_level (full);
  GDALRasterBandH mask = NULL;
  SlGdalErrors errors = { NULL };
  int lw = GDALGetRasterBandXSize (level), lh = GDALGetRasterBandYSize (level);
  int bw, bh, ww, wh, grid, flags, has_nodata = FALSE, failed = 0;
  double nodata = GDALGetRasterNoDataValue (full, &has_nodata);
  g_autofree float *buf = NULL;
  g_autofree float *values = NULL;
  g_autofree guint8 *mbuf = NULL;
  gsize n = 0;

  flags = GDALGetMaskFlags (level);
  if (!(flags & GMF_ALL_VALID) && flags != GMF_NODATA)
    mask = GDALGetMaskBand (level);
  if (flags != GMF_NODATA)
    has_nodata = FALSE;

  if ((gint64) lw * lh <= SAMPLE_PIXELS)
    grid = 1, ww = lw, wh = lh;
  else
    grid = SAMPLE_GRID, ww = MIN (SAMPLE_WINDOW, lw), wh = MIN (SAMPLE_WINDOW, lh);
  GDALGetBlockSize (level, &bw, &bh);
  bw = MAX (bw, 1), bh = MAX (bh, 1);

  buf = g_new (float, (gsize) ww * wh);
  mbuf = mask ? g_new (guint8, (gsize) ww * wh) : NULL;
  values = g_new (float, (gsize) ww * wh * grid * grid);

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  for (int gy = 0; gy < grid; gy++)
    for (int gx = 0; gx < grid; gx++)
      {
        int x = 0, y = 0;

        if (grid > 1)
          {
            /* Centre the window in the block under this cell of the grid. */
            int cx = (int) ((gx + 0.5) * lw / grid), cy = (int) ((gy + 0.5) * lh / grid);
            int bx = cx / bw * bw, by = cy / bh * bh;

            x = CLAMP (bx + MAX (0, (MIN (bw, lw - bx) - ww) / 2), 0, lw - ww);
            y = CLAMP (by + MAX (0, (MIN (bh, lh - by) - wh) / 2), 0, lh - wh);
          }
        if (GDALRasterIO (level, GF_Read, x, y, ww, wh, buf, ww, wh, GDT_Float32, 0, 0) != CE_None ||
            (mask && GDALRasterIO (mask, GF_Read, x, y, ww, wh, mbuf, ww, wh, GDT_Byte, 0, 0) != CE_None))
          {
            failed++;
            continue;
          }
        for (gsize i = 0; i < (gsize) ww * wh; i++)
          {
            float v = buf[i];

            if (isnan (v) || (has_nodata && v == (float) nodata) || (mask && mbuf[i] < 128))
              continue;
            values[n++] = v;
          }
      }
  CPLPopErrorHandler ();

  if (failed == grid * grid)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ,
                   "Cannot read band %d of ‘%s’ for its statistics: %s", band_no, path,
                   errors.message ? errors.message : "no block could be read");
      g_free (errors.message);
      return FALSE;
    }
  g_free (errors.message);

  if (n == 0)
    {
      /* Nothing but nodata where we looked: any stretch shows it the same. */
      *low = 0;
      *high = 255;
      return TRUE;
    }
  percentiles (values, n, integral, mode, percent_low, percent_high, low, high);
  return TRUE;
}
