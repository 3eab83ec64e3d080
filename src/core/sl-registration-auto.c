/* sl-registration-auto.c — propose a registration: coarse by FFT, then tie points by correlation
 *
 * 1. Both images are read as greyscale at about 1024 px (GDAL picks overviews), and the
 *    coarse similarity comes from sl-registration-auto-fft.c.
 * 2. A grid of patches of the image is matched against the reference resampled through the
 *    current transform, by normalised cross-correlation, at finer and finer steps down to
 *    the images' own pixels. Each patch is read on its own (a few kilobytes), so memory stays
 *    bounded however large the images are.
 * 3. RANSAC on affine triples drops the mismatches; the inliers are fitted by least squares,
 *    and that transform predicts the next level.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>

#include "sl-autocleanups-private.h"
#include "sl-registration-auto.h"
#include "sl-registration-auto-private.h"

#define COARSE_SIZE   1024   /* greyscale side for the FFT stage */
#define GRID          8      /* tie points per side */
#define PATCH         40     /* template side, patch pixels */
#define SEARCH        10     /* search radius, patch pixels */
#define MIN_NCC       0.45
#define MIN_PEAK_RATIO 2.0

typedef struct
{
  GDALDatasetH ds;
  const char  *path;
  int          width, height;
  int          bands[3];
  int          n_bands;
} Source;

static void
source_clear (Source *s)
{
  g_clear_pointer (&s->ds, GDALClose);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

static gboolean
source_open (Source      *s,
             const char  *path,
             GError     **error)
{
  s->path = path;
  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  s->ds = GDALOpenEx (path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  CPLPopErrorHandler ();
  if (s->ds == NULL || GDALGetRasterCount (s->ds) < 1)
    {
      const char *msg = CPLGetLastErrorMsg ();

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open ‘%s’: %s", path,
                   msg && *msg ? msg : "not a raster format GDAL recognizes");
      return FALSE;
    }
  s->width = GDALGetRasterXSize (s->ds);
  s->height = GDALGetRasterYSize (s->ds);
  s->n_bands = GDALGetRasterCount (s->ds) >= 3 ? 3 : 1;
  for (int b = 0; b < 3; b++)
    s->bands[b] = b + 1;
  return TRUE;
}

/* Reads the window [x0, x0 + w) × [y0, y0 + h) of @s into @out (bw × bh) as luminance. */
static gboolean
read_grey (Source  *s,
           int      x0,
           int      y0,
           int      w,
           int      h,
           int      bw,
           int      bh,
           float   *out,
           GError **error)
{
  g_autofree float *bands = g_new (float, (gsize) bw * bh * s->n_bands);
  GDALRasterIOExtraArg extra;
  gsize n = (gsize) bw * bh;

  INIT_RASTERIO_EXTRA_ARG (extra);
  extra.eResampleAlg = (w > 1.5 * bw || h > 1.5 * bh) ? GRIORA_Average : GRIORA_Bilinear;
  if (GDALDatasetRasterIOEx (s->ds, GF_Read, x0, y0, w, h, bands, bw, bh, GDT_Float32, s->n_bands, s->bands,
                             sizeof (float), (GSpacing) sizeof (float) * bw, (GSpacing) (sizeof (float) * n),
                             &extra) != CE_None)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot read ‘%s’: %s", s->path, CPLGetLastErrorMsg ());
      return FALSE;
    }
  if (s->n_bands == 3)
    for (gsize i = 0; i < n; i++)
      out[i] = 0.299f * bands[i] + 0.587f * bands[n + i] + 0.114f * bands[2 * n + i];
  else
    memcpy (out, bands, n * sizeof (float));
  return TRUE;
}

/* Samples @s at the dataset positions (@xs, @ys) (continuous pixel coordinates), bilinear
 * from a window read at about the positions' own spacing. NAN outside the image. */
static gboolean
sample (Source       *s,
        const double *xs,
        const double *ys,
        guint         n,
        double        spacing,
        float        *out,
        GError      **error)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE, step;
  int wx0, wy0, wx1, wy1, bw, bh;
  g_autofree float *buf = NULL;

  for (guint i = 0; i < n; i++)
    {
      x0 = MIN (x0, xs[i]);
      x1 = MAX (x1, xs[i]);
      y0 = MIN (y0, ys[i]);
      y1 = MAX (y1, ys[i]);
    }
  wx0 = MAX (0, (int) floor (x0) - 2);
  wy0 = MAX (0, (int) floor (y0) - 2);
  wx1 = MIN (s->width, (int) ceil (x1) + 2);
  wy1 = MIN (s->height, (int) ceil (y1) + 2);
  if (wx1 - wx0 < 2 || wy1 - wy0 < 2)
    {
      for (guint i = 0; i < n; i++)
        out[i] = NAN;
      return TRUE;
    }
  step = MAX (1.0, spacing);
  bw = MAX (2, (int) ceil ((wx1 - wx0) / step));
  bh = MAX (2, (int) ceil ((wy1 - wy0) / step));
  buf = g_new (float, (gsize) bw * bh);
  if (!read_grey (s, wx0, wy0, wx1 - wx0, wy1 - wy0, bw, bh, buf, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      double bx = (xs[i] - wx0) * bw / (wx1 - wx0) - 0.5, by = (ys[i] - wy0) * bh / (wy1 - wy0) - 0.5;
      int ix = (int) floor (bx), iy = (int) floor (by);
      double fx = bx - ix, fy = by - iy;

      if (xs[i] < 0 || ys[i] < 0 || xs[i] > s->width || ys[i] > s->height || ix < 0 || iy < 0 || ix + 1 >= bw || iy + 1 >= bh)
        {
          /* At the very edge of the image: clamp within the buffer, but not beyond the image. */
          if (xs[i] < 0 || ys[i] < 0 || xs[i] > s->width || ys[i] > s->height)
            {
              out[i] = NAN;
              continue;
            }
          ix = CLAMP (ix, 0, bw - 2);
          iy = CLAMP (iy, 0, bh - 2);
          fx = CLAMP (bx - ix, 0, 1);
          fy = CLAMP (by - iy, 0, 1);
        }
      out[i] = (float) ((buf[(gsize) iy * bw + ix] * (1 - fx) + buf[(gsize) iy * bw + ix + 1] * fx) * (1 - fy)
                        + (buf[(gsize) (iy + 1) * bw + ix] * (1 - fx) + buf[(gsize) (iy + 1) * bw + ix + 1] * fx) * fy);
    }
  return TRUE;
}

/* The best offset of @tpl (PATCH²) inside @area ((PATCH + 2·SEARCH)²), sub-pixel; its NCC. */
static double
match_patch (const float *tpl,
             const float *area,
             double      *dx,
             double      *dy)
{
  const int side = PATCH + 2 * SEARCH, span = 2 * SEARCH + 1;
  double tmean = 0, tvar = 0, scores[(2 * SEARCH + 1) * (2 * SEARCH + 1)];
  int best = -1;

  for (int i = 0; i < PATCH * PATCH; i++)
    tmean += tpl[i];
  tmean /= PATCH * PATCH;
  for (int i = 0; i < PATCH * PATCH; i++)
    tvar += (tpl[i] - tmean) * (tpl[i] - tmean);
  if (!isfinite (tvar) || tvar < PATCH * PATCH * 4.0)  /* featureless: σ < 2 grey levels */
    return -1;

  for (int oy = 0; oy < span; oy++)
    for (int ox = 0; ox < span; ox++)
      {
        double sm = 0, sv = 0, cov = 0;
        gboolean valid = TRUE;

        for (int y = 0; y < PATCH && valid; y++)
          for (int x = 0; x < PATCH; x++)
            {
              float v = area[(oy + y) * side + ox + x];

              if (isnan (v))
                {
                  valid = FALSE;
                  break;
                }
              sm += v;
            }
        if (!valid)
          {
            scores[oy * span + ox] = -1;
            continue;
          }
        sm /= PATCH * PATCH;
        for (int y = 0; y < PATCH; y++)
          for (int x = 0; x < PATCH; x++)
            {
              double v = area[(oy + y) * side + ox + x] - sm;

              sv += v * v;
              cov += v * (tpl[y * PATCH + x] - tmean);
            }
        scores[oy * span + ox] = sv > 0 ? cov / sqrt (sv * tvar) : -1;
        if (best < 0 || scores[oy * span + ox] > scores[best])
          best = oy * span + ox;
      }
  if (best < 0)
    return -1;
  {
    int bx = best % span, by = best / span;
    double a, b = scores[best], c, d;

    /* A peak on the border of the search may lie beyond it. */
    if (bx == 0 || by == 0 || bx == span - 1 || by == span - 1)
      return -1;
    a = scores[best - 1];
    c = scores[best + 1];
    d = a - 2 * b + c;
    *dx = bx - SEARCH + (d < 0 ? CLAMP (0.5 * (a - c) / d, -0.5, 0.5) : 0);
    a = scores[best - span];
    c = scores[best + span];
    d = a - 2 * b + c;
    *dy = by - SEARCH + (d < 0 ? CLAMP (0.5 * (a - c) / d, -0.5, 0.5) : 0);
    return b;
  }
}

typedef struct
{
  SlTiePoint point;
  double     ncc;
} Match;

/* Matches the grid at step @r image pixels per patch pixel through @model. */
static gboolean
match_grid (Source         *image,
            Source         *reference,
            SlRegistration *model,
            double          model_scale,
            double          r,
            GArray         *matches,
            GCancellable   *cancellable,
            GError        **error)
{
  const int side = PATCH + 2 * SEARCH;
  double tx[PATCH * PATCH], ty[PATCH * PATCH], ax[side * side], ay[side * side];
  float tpl[PATCH * PATCH], area[side * side];
  double margin_x = MIN (0.45 * image->width, r * side / 2.0 + 1), margin_y = MIN (0.45 * image->height, r * side / 2.0 + 1);

  g_array_set_size (matches, 0);
  for (int j = 0; j < GRID; j++)
    for (int i = 0; i < GRID; i++)
      {
        double px = margin_x + (image->width - 2 * margin_x) * (i + 0.5) / GRID;
        double py = margin_y + (image->height - 2 * margin_y) * (j + 0.5) / GRID;
        double qx, qy, dx = 0, dy = 0, ncc;
        Match m;

        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return FALSE;
        if (!sl_registration_forward (model, px, py, &qx, &qy)
            || qx < 0 || qy < 0 || qx > reference->width || qy > reference->height)
          continue;
        for (int y = 0; y < PATCH; y++)
          for (int x = 0; x < PATCH; x++)
            {
              tx[y * PATCH + x] = px + r * (x + 0.5 - PATCH / 2.0);
              ty[y * PATCH + x] = py + r * (y + 0.5 - PATCH / 2.0);
            }
        for (int y = 0; y < side; y++)
          for (int x = 0; x < side; x++)
            {
              ax[y * side + x] = px + r * (x + 0.5 - side / 2.0);
              ay[y * side + x] = py + r * (y + 0.5 - side / 2.0);
            }
        if (!sl_registration_forward_array (model, side * side, ax, ay, NULL))
          continue;
        if (!sample (image, tx, ty, PATCH * PATCH, r, tpl, error)
            || !sample (reference, ax, ay, side * side, r * model_scale, area, error))
          return FALSE;
        if ((ncc = match_patch (tpl, area, &dx, &dy)) < MIN_NCC)
          continue;
        m.point.image_x = px;
        m.point.image_y = py;
        if (!sl_registration_forward (model, px + r * dx, py + r * dy, &m.point.ref_x, &m.point.ref_y))
          continue;
        m.point.enabled = TRUE;
        m.ncc = ncc;
        g_array_append_val (matches, m);
      }
  return TRUE;
}

/* RANSAC on affine triples; marks the inliers (@threshold in image pixels). */
static guint
ransac (GArray *matches,
        double  scale,
        double  threshold)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20221);
  g_autofree gboolean *best_in = g_new0 (gboolean, MAX (matches->len, 1));
  g_autofree gboolean *in = g_new0 (gboolean, MAX (matches->len, 1));
  guint best = 0, n = matches->len;

  if (n < 3)
    return 0;
  for (int iter = 0; iter < 500; iter++)
    {
      guint a = g_rand_int_range (rand, 0, (gint32) n), b = g_rand_int_range (rand, 0, (gint32) n);
      guint c = g_rand_int_range (rand, 0, (gint32) n), count = 0;
      SlTiePoint tri[3];
      g_autoptr(SlRegistration) fit = NULL;

      if (a == b || b == c || a == c)
        continue;
      tri[0] = g_array_index (matches, Match, a).point;
      tri[1] = g_array_index (matches, Match, b).point;
      tri[2] = g_array_index (matches, Match, c).point;
      if ((fit = sl_registration_solve (SL_TRANSFORM_AFFINE, tri, 3, 0, 0, NULL)) == NULL)
        continue;
      for (guint k = 0; k < n; k++)
        {
          const SlTiePoint *p = &g_array_index (matches, Match, k).point;
          double u, v;

          in[k] = sl_registration_forward (fit, p->image_x, p->image_y, &u, &v)
                  && hypot (u - p->ref_x, v - p->ref_y) / scale <= threshold;
          count += in[k];
        }
      if (count > best)
        {
          best = count;
          memcpy (best_in, in, n * sizeof (gboolean));
        }
    }
  for (guint k = 0; k < n; k++)
    g_array_index (matches, Match, k).point.enabled = best_in[k];
  return best;
}

/* Scale of @model at the image's centre: reference pixels per image pixel. */
static double
model_scale (SlRegistration *model,
             Source         *image)
{
  double cx = image->width / 2.0, cy = image->height / 2.0, ax, ay, bx, by, cx2, cy2;

  if (!sl_registration_forward (model, cx, cy, &ax, &ay) || !sl_registration_forward (model, cx + 1, cy, &bx, &by)
      || !sl_registration_forward (model, cx, cy + 1, &cx2, &cy2))
    return 1;
  return sqrt (fabs ((bx - ax) * (cy2 - ay) - (cx2 - ax) * (by - ay)));
}

static SlRegistration *
coarse_model (Source         *image,
              Source         *reference,
              SlRegistrationAutoResult *result,
              double         *error_px,
              GCancellable   *cancellable,
              GError        **error)
{
  double fi = MIN (1.0, (double) COARSE_SIZE / MAX (image->width, image->height));
  double fr = MIN (1.0, (double) COARSE_SIZE / MAX (reference->width, reference->height));
  int iw = MAX (8, (int) round (image->width * fi)), ih = MAX (8, (int) round (image->height * fi));
  int rw = MAX (8, (int) round (reference->width * fr)), rh = MAX (8, (int) round (reference->height * fr));
  g_autofree float *img = g_new (float, (gsize) iw * ih), *ref = g_new (float, (gsize) rw * rh);
  double sxi = (double) iw / image->width, syi = (double) ih / image->height;
  double sxr = (double) rw / reference->width, syr = (double) rh / reference->height;
  double c, s, t[6];
  SlTiePoint corners[4];
  SlCoarseMatch m;

  if (!read_grey (image, 0, 0, image->width, image->height, iw, ih, img, error)
      || !read_grey (reference, 0, 0, reference->width, reference->height, rw, rh, ref, error)
      || !_sl_coarse_match (img, iw, ih, ref, rw, rh, &m, cancellable, error))
    return NULL;

  result->peak_ratio = m.peak_ratio;
  if (m.peak_ratio < MIN_PEAK_RATIO)
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_NO_MATCH,
                   "No reliable match between ‘%s’ and ‘%s’: peak ratio %.1f (%.1f needed); "
                   "do they show the same place?", image->path, reference->path, m.peak_ratio, MIN_PEAK_RATIO);
      return NULL;
    }

  /* ref_ds = A (img_ds − ci) + cr + d, then back to full resolution on both sides. */
  c = m.scale * cos (m.rotation);
  s = m.scale * sin (m.rotation);
  t[1] = c * sxi / sxr;
  t[2] = -s * syi / sxr;
  t[4] = s * sxi / syr;
  t[5] = c * syi / syr;
  t[0] = (-c * iw / 2.0 + s * ih / 2.0 + rw / 2.0 + m.shift_x) / sxr;
  t[3] = (-s * iw / 2.0 - c * ih / 2.0 + rh / 2.0 + m.shift_y) / syr;
  for (int k = 0; k < 4; k++)
    {
      double x = (k & 1) ? image->width : 0, y = (k & 2) ? image->height : 0;

      corners[k].image_x = x;
      corners[k].image_y = y;
      corners[k].ref_x = t[0] + t[1] * x + t[2] * y;
      corners[k].ref_y = t[3] + t[4] * x + t[5] * y;
      corners[k].enabled = TRUE;
    }
  result->rotation_deg = m.rotation * 180 / G_PI;
  result->scale = m.scale * sxi / sxr;
  /* About two coarse pixels, in image pixels. */
  *error_px = 2 * MAX (1 / sxi, 1 / (sxr * result->scale));
  return sl_registration_solve (SL_TRANSFORM_AFFINE, corners, 4, 0, 0, error);
}

/* --- public API ---------------------------------------------------------------- */

void
sl_registration_auto_result_free (SlRegistrationAutoResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->registration);
  g_free (result);
}

SlRegistrationAutoResult *
sl_registration_auto (const char       *image_path,
                      const char       *reference_path,
                      SlTransformKind   kind,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_auto(Source) image = { 0 };
  g_auto(Source) reference = { 0 };
  g_autoptr(SlRegistrationAutoResult) result = g_new0 (SlRegistrationAutoResult, 1);
  g_autoptr(SlRegistration) model = NULL;
  g_autoptr(GArray) matches = g_array_new (FALSE, TRUE, sizeof (Match));
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  double error_px, r, r_min, scale, ncc_sum = 0;
  guint n_inliers = 0, needed;
  gboolean last = FALSE;

  g_return_val_if_fail (image_path != NULL && reference_path != NULL, NULL);
  g_return_val_if_fail (kind <= SL_TRANSFORM_TPS, NULL);

  if (!source_open (&image, image_path, error) || !source_open (&reference, reference_path, error))
    return NULL;
  if ((model = coarse_model (&image, &reference, result, &error_px, cancellable, error)) == NULL)
    return NULL;

  scale = model_scale (model, &image);
  r_min = MAX (1.0, 1.0 / scale);
  r = MAX (r_min, error_px / (SEARCH / 3.0));
  needed = MAX (8, sl_transform_kind_min_points (kind) + 2);
  while (!last)
    {
      g_autoptr(SlRegistration) next = NULL;
      SlTransformKind fit_kind = kind == SL_TRANSFORM_PROJECTIVE ? kind : SL_TRANSFORM_AFFINE;

      last = r <= r_min;
      if (!match_grid (&image, &reference, model, scale, r, matches, cancellable, error))
        return NULL;
      n_inliers = ransac (matches, scale, MAX (1.5, 1.5 * r));
      g_debug ("level r=%.2f: %u matches, %u inliers", r, matches->len, n_inliers);
      if (n_inliers < needed || n_inliers < 0.4 * matches->len)
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_NO_MATCH,
                       "No reliable match between ‘%s’ and ‘%s’: only %u of %u tie points agree "
                       "(peak ratio %.1f); do they show the same place?",
                       image_path, reference_path, n_inliers, GRID * GRID, result->peak_ratio);
          return NULL;
        }
      g_array_set_size (points, 0);
      for (guint k = 0; k < matches->len; k++)
        g_array_append_val (points, g_array_index (matches, Match, k).point);
      next = sl_registration_solve (last ? kind : fit_kind, (SlTiePoint *) (void *) points->data, points->len,
                                    image.width, image.height, error);
      if (next == NULL)
        return NULL;
      g_set_object (&model, next);
      scale = model_scale (model, &image);
      r = MAX (r_min, r / 4);
    }

  for (guint k = 0; k < matches->len; k++)
    if (g_array_index (matches, Match, k).point.enabled)
      ncc_sum += g_array_index (matches, Match, k).ncc;
  result->registration = g_steal_pointer (&model);
  result->n_candidates = matches->len;
  result->n_inliers = n_inliers;
  result->mean_ncc = n_inliers ? ncc_sum / n_inliers : 0;
  result->rms_image = sl_registration_get_rms_image (result->registration);
  return g_steal_pointer (&result);
}

typedef struct
{
  char           *image_path, *reference_path;
  SlTransformKind kind;
} AutoTask;

static void
auto_task_free (AutoTask *t)
{
  g_free (t->image_path);
  g_free (t->reference_path);
  g_free (t);
}

static void
run_auto (GTask        *task,
          gpointer      source_object,
          gpointer      task_data,
          GCancellable *cancellable)
{
  AutoTask *t = task_data;
  GError *error = NULL;
  SlRegistrationAutoResult *result = sl_registration_auto (t->image_path, t->reference_path, t->kind,
                                                           cancellable, &error);

  if (result)
    g_task_return_pointer (task, result, (GDestroyNotify) sl_registration_auto_result_free);
  else
    g_task_return_error (task, error);
}

void
sl_registration_auto_async (const char          *image_path,
                            const char          *reference_path,
                            SlTransformKind      kind,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AutoTask *t = g_new0 (AutoTask, 1);

  t->image_path = g_strdup (image_path);
  t->reference_path = g_strdup (reference_path);
  t->kind = kind;
  g_task_set_source_tag (task, sl_registration_auto_async);
  g_task_set_task_data (task, t, (GDestroyNotify) auto_task_free);
  g_task_run_in_thread (task, run_auto);
}

SlRegistrationAutoResult *
sl_registration_auto_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
