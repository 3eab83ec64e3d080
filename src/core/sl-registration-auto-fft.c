/* sl-registration-auto-fft.c — rotation, scale and shift between two images by phase correlation
 *
 * The magnitude of a spectrum ignores shifts; a rotation of the image rotates it and a
 * scaling shrinks it. In log-polar coordinates both become shifts, which phase correlation
 * finds (Reddy & Chatterji, 1996). Undo them, and phase correlation of the images gives the
 * shift. Everything is on buffers of at most 1024² so memory stays bounded.
 *
 * FFTW's planner is not thread-safe (its executor is): plans are made under a lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <math.h>
#include <string.h>

#include <fftw3.h>

#include "sl-registration.h"
#include "sl-registration-auto-private.h"

#define N_THETA 512      /* angle samples over [0, π) */
#define N_RHO   512      /* log-radius samples */
#define N_CANDIDATES 3   /* log-polar peaks tried */

static GMutex planner_lock;

typedef struct
{
  int           n;              /* canvas side */
  fftw_complex *a, *b, *c;      /* n × n work arrays */
  fftw_plan     forward, backward;
} Canvas;

static void
canvas_clear (Canvas *c)
{
  g_mutex_lock (&planner_lock);
  g_clear_pointer (&c->forward, fftw_destroy_plan);
  g_clear_pointer (&c->backward, fftw_destroy_plan);
  g_mutex_unlock (&planner_lock);
  g_clear_pointer (&c->a, fftw_free);
  g_clear_pointer (&c->b, fftw_free);
  g_clear_pointer (&c->c, fftw_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Canvas, canvas_clear)

static void
canvas_init (Canvas *c,
             int     rows,
             int     cols)
{
  gsize n = (gsize) rows * cols;

  c->n = rows;
  c->a = fftw_alloc_complex (n);
  c->b = fftw_alloc_complex (n);
  c->c = fftw_alloc_complex (n);
  g_mutex_lock (&planner_lock);
  c->forward = fftw_plan_dft_2d (rows, cols, c->a, c->b, FFTW_FORWARD, FFTW_ESTIMATE);
  c->backward = fftw_plan_dft_2d (rows, cols, c->a, c->b, FFTW_BACKWARD, FFTW_ESTIMATE);
  g_mutex_unlock (&planner_lock);
}

/* A Tukey window: flat in the middle, a cosine taper over @taper of each edge. */
static double
tukey (double t,
       double taper)
{
  if (t < taper)
    return 0.5 - 0.5 * cos (G_PI * t / taper);
  if (t > 1 - taper)
    return 0.5 - 0.5 * cos (G_PI * (1 - t) / taper);
  return 1;
}

/* Zero mean, apodised, into a plain double buffer of the same size. */
static double *
apodise (const float *src,
         int          w,
         int          h)
{
  double *out = g_new (double, (gsize) w * h), mean = 0;

  for (gsize i = 0; i < (gsize) w * h; i++)
    mean += src[i];
  mean /= (double) w * h;
  for (int y = 0; y < h; y++)
    {
      double wy = tukey ((y + 0.5) / h, 0.15);

      for (int x = 0; x < w; x++)
        out[(gsize) y * w + x] = (src[(gsize) y * w + x] - mean) * wy * tukey ((x + 0.5) / w, 0.15);
    }
  return out;
}

static void
load_canvas (fftw_complex *dst,
             int           n,
             const double *src,
             int           w,
             int           h)
{
  memset (dst, 0, sizeof (fftw_complex) * n * n);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      dst[(gsize) y * n + x][0] = src[(gsize) y * w + x];
}

/* High-passed log magnitude, shifted so frequency 0 is at (n/2, n/2). */
static double *
magnitude_spectrum (Canvas       *c,
                    const double *img,
                    int           w,
                    int           h)
{
  int n = c->n;
  double *mag = g_new (double, (gsize) n * n);

  load_canvas (c->a, n, img, w, h);
  fftw_execute_dft (c->forward, c->a, c->b);
  for (int ky = 0; ky < n; ky++)
    for (int kx = 0; kx < n; kx++)
      {
        int fy = ky < n / 2 ? ky : ky - n, fx = kx < n / 2 ? kx : kx - n;
        double xx = cos (G_PI * fx / n) * cos (G_PI * fy / n);
        double hp = (1 - xx) * (2 - xx);
        const double *v = c->b[(gsize) ky * n + kx];

        mag[(gsize) (fy + n / 2) * n + (fx + n / 2)] = log1p (hypot (v[0], v[1])) * hp;
      }
  return mag;
}

static double
bilinear (const double *img,
          int           w,
          int           h,
          double        x,
          double        y)
{
  int x0 = (int) floor (x), y0 = (int) floor (y);
  double fx = x - x0, fy = y - y0;

  if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h)
    return 0;
  return (img[(gsize) y0 * w + x0] * (1 - fx) + img[(gsize) y0 * w + x0 + 1] * fx) * (1 - fy)
         + (img[(gsize) (y0 + 1) * w + x0] * (1 - fx) + img[(gsize) (y0 + 1) * w + x0 + 1] * fx) * fy;
}

/* Rows: log radius from r_min to r_max; columns: angle over [0, π). */
static void
log_polar (const double *mag,
           int           n,
           double        r_min,
           double        log_base,
           double       *out)
{
  for (int i = 0; i < N_RHO; i++)
    {
      double r = r_min * exp (i * log_base), window = 0.5 - 0.5 * cos (2 * G_PI * (i + 0.5) / N_RHO);

      for (int j = 0; j < N_THETA; j++)
        {
          double th = G_PI * j / N_THETA;

          out[i * N_THETA + j] = window * bilinear (mag, n, n, n / 2 + r * cos (th), n / 2 + r * sin (th));
        }
    }
}

typedef struct
{
  double dx, dy;   /* shift, sub-pixel, in (−size/2, size/2] */
  double value;
} Peak;

static double
parabola (double a,
          double b,
          double c)
{
  double d = a - 2 * b + c;

  return d < 0 ? CLAMP (0.5 * (a - c) / d, -0.5, 0.5) : 0;
}

/* Phase correlation of two spectra already in @fa and @fb (rows × cols): finds up to
 * @n_peaks peaks, separated by at least @gap, best first; returns how many. The ratio of
 * the best to the runner-up (outside @gap) goes to @ratio. */
static int
correlate (Canvas       *c,
           int           rows,
           int           cols,
           fftw_complex *fa,
           fftw_complex *fb,
           int           gap,
           Peak         *peaks,
           int           n_peaks,
           double       *ratio)
{
  gsize n = (gsize) rows * cols;
  double *surface;
  int found = 0;
  double runner_up = 0;

  for (gsize i = 0; i < n; i++)
    {
      double re = fa[i][0] * fb[i][0] + fa[i][1] * fb[i][1];
      double im = fa[i][1] * fb[i][0] - fa[i][0] * fb[i][1];
      double m = hypot (re, im);

      c->a[i][0] = m > 1e-12 ? re / m : 0;
      c->a[i][1] = m > 1e-12 ? im / m : 0;
    }
  fftw_execute_dft (c->backward, c->a, c->b);
  surface = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    surface[i] = c->b[i][0] / n;

  for (int k = 0; k < n_peaks + 1; k++)
    {
      gsize best = 0;
      int bx, by;
      Peak p;

      for (gsize i = 1; i < n; i++)
        if (surface[i] > surface[best])
          best = i;
      bx = (int) (best % cols);
      by = (int) (best / cols);
      p.value = surface[best];
      p.dx = bx + parabola (surface[by * cols + (bx + cols - 1) % cols], p.value, surface[by * cols + (bx + 1) % cols]);
      p.dy = by + parabola (surface[((by + rows - 1) % rows) * cols + bx], p.value, surface[((by + 1) % rows) * cols + bx]);
      if (p.dx > cols / 2.0)
        p.dx -= cols;
      if (p.dy > rows / 2.0)
        p.dy -= rows;
      if (k == 1)
        runner_up = p.value;
      if (k < n_peaks)
        peaks[found++] = p;
      /* Suppress the neighbourhood (circularly). */
      for (int dy = -gap; dy <= gap; dy++)
        for (int dx = -gap; dx <= gap; dx++)
          surface[((by + dy + rows) % rows) * cols + (bx + dx + cols) % cols] = -G_MAXDOUBLE;
    }
  g_free (surface);
  *ratio = runner_up > 0 ? peaks[0].value / runner_up : G_MAXDOUBLE;
  return found;
}

/* Warps the apodised image into the reference's canvas through the candidate similarity
 * and phase-correlates; fills the shift and its peak ratio. */
static double
try_candidate (Canvas              *c,
               fftw_complex        *ref_spectrum,
               const double        *img,
               int                  iw,
               int                  ih,
               int                  rw,
               int                  rh,
               double               scale,
               double               rotation,
               SlCoarseMatch       *m)
{
  int n = c->n;
  double cs = cos (rotation) / scale, sn = sin (rotation) / scale, ratio, value;
  fftw_complex *spectrum = fftw_alloc_complex ((gsize) n * n);
  Peak peak;

  memset (c->a, 0, sizeof (fftw_complex) * n * n);
  for (int y = 0; y < n; y++)
    for (int x = 0; x < n; x++)
      {
        /* img = A⁻¹ (ref − ref_centre) + img_centre, sampled at pixel centres */
        double px = x + 0.5 - rw / 2.0, py = y + 0.5 - rh / 2.0;
        double ix = cs * px + sn * py + iw / 2.0 - 0.5, iy = -sn * px + cs * py + ih / 2.0 - 0.5;

        c->a[(gsize) y * n + x][0] = bilinear (img, iw, ih, ix, iy);
      }
  fftw_execute_dft (c->forward, c->a, spectrum);
  correlate (c, n, n, ref_spectrum, spectrum, 4, &peak, 1, &ratio);
  value = peak.value;
  m->scale = scale;
  m->rotation = rotation;
  m->shift_x = peak.dx;
  m->shift_y = peak.dy;
  m->peak_ratio = ratio;
  fftw_free (spectrum);
  return value;
}

gboolean
_sl_coarse_match (const float   *image,
                  int            iw,
                  int            ih,
                  const float   *reference,
                  int            rw,
                  int            rh,
                  SlCoarseMatch *match,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_auto(Canvas) canvas = { 0 };
  g_auto(Canvas) polar = { 0 };
  g_autofree double *img = apodise (image, iw, ih), *ref = apodise (reference, rw, rh);
  g_autofree double *mag_img = NULL, *mag_ref = NULL;
  g_autofree double *lp_img = g_new (double, N_RHO * N_THETA), *lp_ref = g_new (double, N_RHO * N_THETA);
  fftw_complex *ref_spectrum = NULL, *lp_spectrum = NULL;
  double r_min, log_base, ratio, best_value = -G_MAXDOUBLE;
  Peak peaks[N_CANDIDATES];
  int n = 64, n_found;

  while (n < MAX (MAX (iw, ih), MAX (rw, rh)))
    n *= 2;
  canvas_init (&canvas, n, n);
  canvas_init (&polar, N_RHO, N_THETA);

  mag_img = magnitude_spectrum (&canvas, img, iw, ih);
  mag_ref = magnitude_spectrum (&canvas, ref, rw, rh);
  /* The reference's spectrum is needed again for the shift. */
  ref_spectrum = fftw_alloc_complex ((gsize) n * n);
  load_canvas (canvas.a, n, ref, rw, rh);
  fftw_execute_dft (canvas.forward, canvas.a, ref_spectrum);

  r_min = MAX (2.0, n / 64.0);
  log_base = log (0.45 * n / r_min) / N_RHO;
  log_polar (mag_img, n, r_min, log_base, lp_img);
  log_polar (mag_ref, n, r_min, log_base, lp_ref);
  g_clear_pointer (&mag_img, g_free);
  g_clear_pointer (&mag_ref, g_free);

  lp_spectrum = fftw_alloc_complex (N_RHO * N_THETA);
  for (int i = 0; i < N_RHO * N_THETA; i++)
    {
      polar.a[i][0] = lp_img[i];
      polar.a[i][1] = 0;
    }
  fftw_execute_dft (polar.forward, polar.a, lp_spectrum);
  for (int i = 0; i < N_RHO * N_THETA; i++)
    {
      polar.a[i][0] = lp_ref[i];
      polar.a[i][1] = 0;
    }
  fftw_execute_dft (polar.forward, polar.a, polar.c);
  /* M_img(ρ, θ) = M_ref(ρ − ln s, θ + α): the peak of img against ref sits at (ln s, −α). */
  n_found = correlate (&polar, N_RHO, N_THETA, lp_spectrum, polar.c, 3, peaks, N_CANDIDATES, &ratio);
  fftw_free (lp_spectrum);

  for (int k = 0; k < n_found; k++)
    for (int flip = 0; flip < 2; flip++)
      {
        double scale = exp (peaks[k].dy * log_base);
        double rotation = -peaks[k].dx * G_PI / N_THETA + flip * G_PI;
        SlCoarseMatch candidate;
        double value;

        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          {
            fftw_free (ref_spectrum);
            return FALSE;
          }
        value = try_candidate (&canvas, ref_spectrum, img, iw, ih, rw, rh, scale, rotation, &candidate);
        g_debug ("coarse candidate: scale %.4f rotation %.2f° shift %.1f, %.1f peak %.4f ratio %.2f",
                 scale, rotation * 180 / G_PI, candidate.shift_x, candidate.shift_y, value, candidate.peak_ratio);
        if (value > best_value)
          {
            best_value = value;
            *match = candidate;
          }
      }
  fftw_free (ref_spectrum);
  return TRUE;
}
