/* test-registration.c — tie points → transforms: recovery, residuals, noise, bad input, exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <ogr_srs_api.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-registration.h"
#include "sl-test-util.h"

#define W 800
#define H 600

static const double utm_gt[6] = { 500000, 0.5, 0, 6050000, 0, -0.5 };

typedef void (*MapFunc) (const double *params, double x, double y, double *u, double *v);

static void
map_affine (const double *t, double x, double y, double *u, double *v)
{
  *u = t[0] + t[1] * x + t[2] * y;
  *v = t[3] + t[4] * x + t[5] * y;
}

static void
map_projective (const double *h, double x, double y, double *u, double *v)
{
  double w = h[6] * x + h[7] * y + h[8];

  *u = (h[0] * x + h[1] * y + h[2]) / w;
  *v = (h[3] * x + h[4] * y + h[5]) / w;
}

/* A smooth non-linear warp (a lens-like bend). */
static void
map_bend (const double *unused, double x, double y, double *u, double *v)
{
  *u = 20 + 1.1 * x + 0.05 * y + 2e-4 * x * y;
  *v = 40 - 0.03 * x + 0.95 * y + 1.5e-4 * x * x;
}

static void
map_cubic (const double *unused, double x, double y, double *u, double *v)
{
  *u = 3 + 0.9 * x + 0.1 * y + 1e-4 * x * x - 2e-5 * x * y + 1e-7 * x * x * x;
  *v = -7 + 0.05 * x + 1.05 * y + 3e-5 * y * y + 2e-8 * x * y * y;
}

/* Points scattered over the image (a jittered grid, deterministic). */
static GArray *
make_points (guint n, MapFunc map, const double *params, double sigma, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GArray *points = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));

  for (guint i = 0; i < n; i++)
    {
      SlTiePoint p = { 0 };

      p.image_x = g_rand_double_range (rand, 0.02, 0.98) * W;
      p.image_y = g_rand_double_range (rand, 0.02, 0.98) * H;
      map (params, p.image_x, p.image_y, &p.ref_x, &p.ref_y);
      if (sigma > 0)
        {
          /* Box–Muller */
          double r = sqrt (-2 * log (g_rand_double_range (rand, 1e-12, 1))), a = 2 * G_PI * g_rand_double (rand);

          p.ref_x += sigma * r * cos (a);
          p.ref_y += sigma * r * sin (a);
        }
      p.enabled = TRUE;
      g_array_append_val (points, p);
    }
  return points;
}

static SlRegistration *
solve (SlTransformKind kind, GArray *points, GError **error)
{
  return sl_registration_solve (kind, (SlTiePoint *) (void *) points->data, points->len, W, H, error);
}

/* The solved transform agrees with @map over a grid of the image, forward and back. */
static void
assert_matches (SlRegistration *reg, MapFunc map, const double *params, double tolerance)
{
  for (int j = 0; j <= 6; j++)
    for (int i = 0; i <= 6; i++)
      {
        double x = W * i / 6.0, y = H * j / 6.0, u, v, tu, tv, bx, by;

        map (params, x, y, &tu, &tv);
        g_assert_true (sl_registration_forward (reg, x, y, &u, &v));
        g_assert_cmpfloat_with_epsilon (u, tu, tolerance);
        g_assert_cmpfloat_with_epsilon (v, tv, tolerance);
        g_assert_true (sl_registration_inverse (reg, tu, tv, &bx, &by));
        g_assert_cmpfloat_with_epsilon (bx, x, tolerance);
        g_assert_cmpfloat_with_epsilon (by, y, tolerance);
      }
}

static void
assert_exact_residuals (SlRegistration *reg)
{
  guint n;
  const SlTiePoint *points = sl_registration_get_points (reg, &n);

  g_assert_nonnull (points);
  for (guint i = 0; i < n; i++)
    {
      SlResidual r;

      sl_registration_get_residual (reg, i, &r);
      g_assert_cmpfloat (r.ref_error, <, 1e-6);
      g_assert_cmpfloat (r.image_error, <, 1e-6);
    }
  g_assert_cmpfloat (sl_registration_get_rms (reg), <, 1e-6);
  g_assert_cmpfloat (sl_registration_get_rms_image (reg), <, 1e-6);
}

static void
test_similarity (void)
{
  double th = 17 * G_PI / 180, s = 1.3;
  double truth[6] = { 120, s * cos (th), -s * sin (th), -45, s * sin (th), s * cos (th) }, t[6];
  g_autoptr(GArray) points = make_points (7, map_affine, truth, 0, 1);
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;

  reg = solve (SL_TRANSFORM_SIMILARITY, points, &error);
  g_assert_no_error (error);
  g_assert_true (sl_registration_get_affine (reg, t));
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat_with_epsilon (t[i], truth[i], 1e-6);
  assert_exact_residuals (reg);
  assert_matches (reg, map_affine, truth, 1e-6);

  /* Two points are enough. */
  g_clear_object (&reg);
  g_array_set_size (points, 2);
  reg = solve (SL_TRANSFORM_SIMILARITY, points, &error);
  g_assert_no_error (error);
  assert_matches (reg, map_affine, truth, 1e-6);

  /* A reference in map coordinates (y up) mirrors the image: found from 3+ points. */
  {
    double mirrored[6] = { 500000, 0.5, 0, 6050000, 0, -0.5 };
    g_autoptr(GArray) map_points = make_points (5, map_affine, mirrored, 0, 2);
    g_autoptr(SlRegistration) m = solve (SL_TRANSFORM_SIMILARITY, map_points, &error);

    g_assert_no_error (error);
    assert_matches (m, map_affine, mirrored, 1e-6);
  }
}

static void
test_affine (void)
{
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 }, t[6], h[9];
  g_autoptr(GArray) points = make_points (12, map_affine, truth, 0, 3);
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;

  reg = solve (SL_TRANSFORM_AFFINE, points, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sl_registration_get_kind (reg), ==, SL_TRANSFORM_AFFINE);
  g_assert_true (sl_registration_get_affine (reg, t));
  g_assert_false (sl_registration_get_homography (reg, h));
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat_with_epsilon (t[i], truth[i], 1e-6);
  assert_exact_residuals (reg);
  assert_matches (reg, map_affine, truth, 1e-6);
}

static void
test_projective (void)
{
  double truth[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 }, h[9], t[6];
  g_autoptr(GArray) points = make_points (9, map_projective, truth, 0, 4);
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;

  reg = solve (SL_TRANSFORM_PROJECTIVE, points, &error);
  g_assert_no_error (error);
  g_assert_true (sl_registration_get_homography (reg, h));
  g_assert_false (sl_registration_get_affine (reg, t));
  for (int i = 0; i < 9; i++)
    g_assert_cmpfloat_with_epsilon (h[i], truth[i], 1e-6 * MAX (1, fabs (truth[i])));
  assert_exact_residuals (reg);
  assert_matches (reg, map_projective, truth, 1e-6);

  /* Exactly four points. */
  g_clear_object (&reg);
  g_array_set_size (points, 4);
  reg = solve (SL_TRANSFORM_PROJECTIVE, points, &error);
  g_assert_no_error (error);
  assert_matches (reg, map_projective, truth, 1e-6);
}

static void
test_tps (void)
{
  double affine[6] = { 5, 0.98, 0.02, 7, -0.03, 1.01 };
  g_autoptr(GArray) bent = make_points (15, map_bend, NULL, 0, 5);
  g_autoptr(GArray) flat = make_points (8, map_affine, affine, 0, 6);
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;

  /* A thin-plate spline passes through every point exactly… */
  reg = solve (SL_TRANSFORM_TPS, bent, &error);
  g_assert_no_error (error);
  assert_exact_residuals (reg);
  /* …and between them, bends only as much as the points ask: on affine points it is that affine. */
  g_clear_object (&reg);
  reg = solve (SL_TRANSFORM_TPS, flat, &error);
  g_assert_no_error (error);
  assert_exact_residuals (reg);
  assert_matches (reg, map_affine, affine, 1e-6);
}

static void
test_polynomial (void)
{
  g_autoptr(GArray) quadratic = make_points (12, map_bend, NULL, 0, 7);
  g_autoptr(GArray) cubic = make_points (20, map_cubic, NULL, 0, 8);
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(GError) error = NULL;

  reg = solve (SL_TRANSFORM_POLY2, quadratic, &error);
  g_assert_no_error (error);
  assert_exact_residuals (reg);
  assert_matches (reg, map_bend, NULL, 1e-6);

  g_clear_object (&reg);
  reg = solve (SL_TRANSFORM_POLY3, cubic, &error);
  g_assert_no_error (error);
  assert_exact_residuals (reg);
  assert_matches (reg, map_cubic, NULL, 1e-6);

  /* A quadratic cannot follow a cubic: residuals, but forward and back still agree. */
  g_clear_object (&reg);
  reg = solve (SL_TRANSFORM_POLY2, cubic, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sl_registration_get_rms (reg), >, 1e-3);
  {
    double u, v, x, y;

    g_assert_true (sl_registration_forward (reg, 321.5, 123.25, &u, &v));
    g_assert_true (sl_registration_inverse (reg, u, v, &x, &y));
    g_assert_cmpfloat_with_epsilon (x, 321.5, 1e-6);
    g_assert_cmpfloat_with_epsilon (y, 123.25, 1e-6);
  }
}

static void
test_arrays (void)
{
  double truth[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };
  g_autoptr(GArray) points = make_points (6, map_projective, truth, 0, 9);
  g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_PROJECTIVE, points, NULL);
  double x[3] = { 0, 400, W }, y[3] = { 0, 300, H };
  gboolean ok[3] = { FALSE, FALSE, FALSE };

  g_assert_nonnull (reg);
  g_assert_true (sl_registration_forward_array (reg, 3, x, y, ok));
  g_assert_true (ok[0] && ok[1] && ok[2]);
  for (int i = 0; i < 3; i++)
    {
      double u, v;

      map_projective (truth, i == 0 ? 0 : i == 1 ? 400 : W, i == 0 ? 0 : i == 1 ? 300 : H, &u, &v);
      g_assert_cmpfloat_with_epsilon (x[i], u, 1e-6);
      g_assert_cmpfloat_with_epsilon (y[i], v, 1e-6);
    }
  g_assert_true (sl_registration_inverse_array (reg, 3, x, y, NULL));
  g_assert_cmpfloat_with_epsilon (x[1], 400, 1e-6);
  g_assert_cmpfloat_with_epsilon (y[2], H, 1e-6);
}

/* With noise σ per coordinate, the RMS of n points is about σ·√(2(n − k/2)/n), k parameters. */
static void
check_noise (SlTransformKind kind, MapFunc map, const double *params, int k)
{
  const guint n = 200;
  const double sigma = 0.5;
  g_autoptr(GArray) points = make_points (n, map, params, sigma, 10 + kind);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = solve (kind, points, &error);
  double expected, rms;

  g_assert_no_error (error);
  /* make_points adds σ·N(0,1) to each coordinate */
  expected = sigma * sqrt (2.0 * (n - k / 2.0) / n);
  rms = sl_registration_get_rms (reg);
  g_test_message ("%s: RMS %.4f, expected %.4f", sl_transform_kind_to_string (kind), rms, expected);
  g_assert_cmpfloat (rms, >, 0.85 * expected);
  g_assert_cmpfloat (rms, <, 1.15 * expected);
  /* The fit is still close to the truth: σ/√n-ish. */
  assert_matches (reg, map, params, 0.3);
}

static void
test_noise (void)
{
  double th = -8 * G_PI / 180;
  double similarity[6] = { 10, 0.9 * cos (th), -0.9 * sin (th), 20, 0.9 * sin (th), 0.9 * cos (th) };
  double affine[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 };
  double projective[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };

  check_noise (SL_TRANSFORM_SIMILARITY, map_affine, similarity, 4);
  check_noise (SL_TRANSFORM_AFFINE, map_affine, affine, 6);
  check_noise (SL_TRANSFORM_PROJECTIVE, map_projective, projective, 8);
}

static void
test_worst (void)
{
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 };
  g_autoptr(GArray) points = make_points (30, map_affine, truth, 0, 11);
  g_autoptr(SlRegistration) reg = NULL;
  guint worst[3];

  g_array_index (points, SlTiePoint, 6).ref_x += 12;
  g_array_index (points, SlTiePoint, 2).ref_y -= 6;
  /* A disabled point far off neither drags the fit nor counts among the worst. */
  g_array_index (points, SlTiePoint, 9).ref_x += 500;
  g_array_index (points, SlTiePoint, 9).enabled = FALSE;
  reg = solve (SL_TRANSFORM_AFFINE, points, NULL);
  g_assert_nonnull (reg);
  g_assert_cmpuint (sl_registration_get_n_enabled (reg), ==, 29);
  g_assert_cmpuint (sl_registration_get_worst (reg, 3, worst), ==, 3);
  g_assert_cmpuint (worst[0], ==, 6);
  g_assert_cmpuint (worst[1], ==, 2);
  {
    SlResidual r;

    sl_registration_get_residual (reg, 9, &r);
    g_assert_cmpfloat (r.ref_error, >, 400);
  }
}

static void
assert_fails (SlTransformKind kind, GArray *points, int code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = solve (kind, points, &error);

  g_assert_null (reg);
  g_assert_error (error, SL_REGISTRATION_ERROR, code);
  g_test_message ("%s", error->message);
  if (message)
    g_assert_cmpstr (error->message, ==, message);
}

/* The first @n of @all. */
static GArray *
prefix (GArray *all, guint n)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));

  g_array_append_vals (out, all->data, MIN (n, all->len));
  return out;
}

static void
test_too_few (void)
{
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 };
  g_autoptr(GArray) points = make_points (12, map_affine, truth, 0, 12);
  g_autoptr(GArray) three = NULL, one = prefix (points, 1), nine = prefix (points, 9), five = prefix (points, 5);

  g_array_index (points, SlTiePoint, 2).enabled = FALSE;
  three = prefix (points, 3);
  assert_fails (SL_TRANSFORM_AFFINE, three, SL_REGISTRATION_ERROR_TOO_FEW_POINTS,
                "An affine transform needs at least 3 tie points; 2 are enabled");
  assert_fails (SL_TRANSFORM_SIMILARITY, one, SL_REGISTRATION_ERROR_TOO_FEW_POINTS,
                "A similarity transform (shift, scale and rotation) needs at least 2 tie points; 1 is enabled");
  assert_fails (SL_TRANSFORM_POLY3, nine, SL_REGISTRATION_ERROR_TOO_FEW_POINTS,
                "A polynomial transform of order 3 needs at least 10 tie points; 9 are enabled");
  assert_fails (SL_TRANSFORM_POLY2, five, SL_REGISTRATION_ERROR_TOO_FEW_POINTS, NULL);
  assert_fails (SL_TRANSFORM_PROJECTIVE, three, SL_REGISTRATION_ERROR_TOO_FEW_POINTS, NULL);
  assert_fails (SL_TRANSFORM_TPS, one, SL_REGISTRATION_ERROR_TOO_FEW_POINTS, NULL);
}

static void
test_duplicate (void)
{
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 };
  g_autoptr(GArray) points = make_points (5, map_affine, truth, 0, 13);

  g_array_index (points, SlTiePoint, 3) = g_array_index (points, SlTiePoint, 1);
  assert_fails (SL_TRANSFORM_AFFINE, points, SL_REGISTRATION_ERROR_DUPLICATE, NULL);
  /* Same image position, another reference position: contradictory. */
  g_array_index (points, SlTiePoint, 3).ref_x += 10;
  assert_fails (SL_TRANSFORM_SIMILARITY, points, SL_REGISTRATION_ERROR_DUPLICATE, NULL);
  /* Disabled, the copy is harmless. */
  g_array_index (points, SlTiePoint, 3).enabled = FALSE;
  {
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_AFFINE, points, NULL);

    g_assert_nonnull (reg);
  }
  /* A hostile points file: a coordinate no image has (it used to swamp the duplicate
   * tolerance and be reported as a duplicate), or not a number. */
  g_array_index (points, SlTiePoint, 0).ref_x = 1e308;
  assert_fails (SL_TRANSFORM_AFFINE, points, SL_REGISTRATION_ERROR_INVALID, NULL);
  g_array_index (points, SlTiePoint, 0).ref_x = NAN;
  assert_fails (SL_TRANSFORM_AFFINE, points, SL_REGISTRATION_ERROR_INVALID, NULL);
}

static void
test_collinear (void)
{
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 };
  double h[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  g_autoptr(GArray) quad = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  double on_line[4][2] = { { 10, 10 }, { 200, 150 }, { 390, 290 }, { 0, 500 } };

  /* Points along a road. */
  for (int i = 0; i < 6; i++)
    {
      SlTiePoint p = { 50.0 + 100 * i, 20.0 + 75 * i, 0, 0, TRUE };

      map_affine (truth, p.image_x, p.image_y, &p.ref_x, &p.ref_y);
      g_array_append_val (points, p);
    }
  assert_fails (SL_TRANSFORM_AFFINE, points, SL_REGISTRATION_ERROR_COLLINEAR, NULL);
  assert_fails (SL_TRANSFORM_PROJECTIVE, points, SL_REGISTRATION_ERROR_COLLINEAR, NULL);
  assert_fails (SL_TRANSFORM_TPS, points, SL_REGISTRATION_ERROR_COLLINEAR, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_AFFINE, points, &error);

    g_assert_nonnull (strstr (error->message, "lie on a line"));
  }
  /* A similarity needs no spread: two points on a line are all it uses. */
  {
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_SIMILARITY, points, NULL);

    g_assert_nonnull (reg);
  }

  /* Four points, three of them on a line: no unique homography. */
  for (int i = 0; i < 4; i++)
    {
      SlTiePoint p = { on_line[i][0], on_line[i][1], 0, 0, TRUE };

      map_projective (h, p.image_x, p.image_y, &p.ref_x, &p.ref_y);
      g_array_append_val (quad, p);
    }
  assert_fails (SL_TRANSFORM_PROJECTIVE, quad, SL_REGISTRATION_ERROR_COLLINEAR, NULL);
}

static void
test_folds (void)
{
  /* The four corners with two of them swapped on the reference: a bow tie. */
  double img[4][2] = { { 0, 0 }, { W, 0 }, { W, H }, { 0, H } };
  double ref[4][2] = { { 0, 0 }, { W, 0 }, { 0, H }, { W, H } };
  g_autoptr(GArray) quad = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  g_autoptr(GArray) grid = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = NULL;

  for (int i = 0; i < 4; i++)
    {
      SlTiePoint p = { img[i][0], img[i][1], ref[i][0], ref[i][1], TRUE };

      g_array_append_val (quad, p);
    }
  assert_fails (SL_TRANSFORM_PROJECTIVE, quad, SL_REGISTRATION_ERROR_FOLDS, NULL);
  reg = solve (SL_TRANSFORM_PROJECTIVE, quad, &error);
  g_assert_nonnull (strstr (error->message, "horizon"));
  g_clear_error (&error);

  /* A 3 × 3 grid whose middle point is dragged past its right neighbour. */
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < 3; i++)
      {
        SlTiePoint p = { W * (0.1 + 0.4 * i), H * (0.1 + 0.4 * j), W * (0.1 + 0.4 * i), H * (0.1 + 0.4 * j), TRUE };

        if (i == 1 && j == 1)
          p.ref_x += 0.6 * W;
        g_array_append_val (grid, p);
      }
  assert_fails (SL_TRANSFORM_TPS, grid, SL_REGISTRATION_ERROR_FOLDS, NULL);
  g_clear_object (&reg);
  reg = solve (SL_TRANSFORM_TPS, grid, &error);
  g_assert_nonnull (strstr (error->message, "folds the image near pixel"));
  g_clear_error (&error);
  /* Without an image size there is nothing to fold. */
  g_clear_object (&reg);
  reg = sl_registration_solve (SL_TRANSFORM_TPS, (SlTiePoint *) (void *) grid->data, grid->len, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reg);
}

static void
test_json (void)
{
  double truth[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };
  g_autoptr(GArray) points = make_points (12, map_projective, truth, 0.3, 14);
  const SlTransformKind all[] = { SL_TRANSFORM_SIMILARITY, SL_TRANSFORM_AFFINE, SL_TRANSFORM_PROJECTIVE,
                                  SL_TRANSFORM_POLY2, SL_TRANSFORM_POLY3, SL_TRANSFORM_TPS };
  const char *bad[] = { "", "[]", "{\"kind\": \"warp\", \"points\": []}", "{\"kind\": \"affine\"}",
                        "{\"kind\": \"affine\", \"points\": [{\"image_x\": 1}]}" };

  g_array_index (points, SlTiePoint, 4).enabled = FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (all); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlRegistration) reg = solve (all[k], points, &error);
      g_autoptr(SlRegistration) back = NULL;
      g_autofree char *json = NULL;
      guint n;
      SlTransformKind parsed;

      g_assert_no_error (error);
      json = sl_registration_to_json (reg);
      back = sl_registration_new_from_json (json, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sl_registration_get_kind (back), ==, all[k]);
      g_assert_true (sl_transform_kind_from_string (sl_transform_kind_to_string (all[k]), &parsed));
      g_assert_cmpint (parsed, ==, all[k]);
      g_assert_cmpint (sl_registration_get_image_width (back), ==, W);
      g_assert_cmpint (sl_registration_get_image_height (back), ==, H);
      sl_registration_get_points (back, &n);
      g_assert_cmpuint (n, ==, points->len);
      g_assert_false (sl_registration_get_points (back, NULL)[4].enabled);
      g_assert_cmpfloat_with_epsilon (sl_registration_get_rms (back), sl_registration_get_rms (reg), 1e-9);
      for (int i = 0; i <= 4; i++)
        {
          double u1, v1, u2, v2;

          g_assert_true (sl_registration_forward (reg, i * W / 4.0, i * H / 4.0, &u1, &v1));
          g_assert_true (sl_registration_forward (back, i * W / 4.0, i * H / 4.0, &u2, &v2));
          g_assert_cmpfloat_with_epsilon (u1, u2, 1e-9);
          g_assert_cmpfloat_with_epsilon (v1, v2, 1e-9);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlRegistration) reg = sl_registration_new_from_json (bad[i], &error);

      g_assert_null (reg);
      g_assert_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID);
    }
}

static char *
write_jpeg (const char *dir)
{
  char *path = g_build_filename (dir, "press.jpg", NULL);
  SlTestImage spec = { .width = W, .height = H, .bands = 3, .driver = "JPEG", .seed = 3 };

  sl_test_write_image (path, &spec);
  return path;
}

static void
test_vrt (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *jpeg = write_jpeg (dir);
  g_autofree char *vrt = g_build_filename (dir, "press.vrt", NULL);
  g_autofree char *wkt = NULL;
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 }, gt[6];
  g_autoptr(GArray) points = make_points (8, map_affine, truth, 0, 15);
  g_autoptr(GArray) bent = make_points (15, map_bend, NULL, 0, 16);
  g_autoptr(GError) error = NULL;
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  GDALDatasetH ds;

  OSRSetFromUserInput (srs, "EPSG:32636");
  OSRExportToWkt (srs, &wkt);
  OSRDestroySpatialReference (srs);

  /* Affine: a geotransform = the reference's geotransform after the registration. */
  {
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_AFFINE, points, NULL);

    g_assert_true (sl_registration_export_vrt (reg, jpeg, utm_gt, wkt, vrt, &error));
    g_assert_no_error (error);
    ds = GDALOpen (vrt, GA_ReadOnly);
    g_assert_nonnull (ds);
    g_assert_cmpint (GDALGetRasterXSize (ds), ==, W);
    g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
    g_assert_cmpfloat_with_epsilon (gt[0], 500000 + 0.5 * 35.5, 1e-6);
    g_assert_cmpfloat_with_epsilon (gt[1], 0.5 * 1.2, 1e-9);
    g_assert_cmpfloat_with_epsilon (gt[2], 0.5 * 0.15, 1e-9);
    g_assert_cmpfloat_with_epsilon (gt[3], 6050000 + 0.5 * 20.25, 1e-6);
    g_assert_cmpfloat_with_epsilon (gt[4], 0.5 * 0.08, 1e-9);
    g_assert_cmpfloat_with_epsilon (gt[5], -0.5 * 0.9, 1e-9);
    g_assert_nonnull (strstr (GDALGetProjectionRef (ds), "UTM zone 36N"));
    g_assert_cmpstr (GDALGetMetadataItem (ds, "SITELAPSE_TRANSFORM", NULL), ==, "affine");
    GDALClose (ds);
  }
  /* TPS: the enabled points as GCPs, in map coordinates. */
  {
    g_autoptr(SlRegistration) reg = NULL;
    const GDAL_GCP *gcps;

    g_array_index (bent, SlTiePoint, 0).enabled = FALSE;
    reg = solve (SL_TRANSFORM_TPS, bent, NULL);
    g_assert_true (sl_registration_export_vrt (reg, jpeg, utm_gt, wkt, vrt, &error));
    g_assert_no_error (error);
    ds = GDALOpen (vrt, GA_ReadOnly);
    g_assert_nonnull (ds);
    g_assert_cmpint (GDALGetGCPCount (ds), ==, 14);
    g_assert_nonnull (strstr (GDALGetGCPProjection (ds), "UTM zone 36N"));
    gcps = GDALGetGCPs (ds);
    for (int i = 0; i < 14; i++)
      {
        const SlTiePoint *p = &g_array_index (bent, SlTiePoint, i + 1);

        /* VRT stores pixel and line with 4 decimals. */
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPPixel, p->image_x, 1e-4);
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPLine, p->image_y, 1e-4);
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPX, 500000 + 0.5 * p->ref_x, 1e-6);
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPY, 6050000 - 0.5 * p->ref_y, 1e-6);
      }
    GDALClose (ds);
  }
  /* Projective: a grid of GCPs on the homography. */
  {
    double hh[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };
    g_autoptr(GArray) pp = make_points (6, map_projective, hh, 0, 17);
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_PROJECTIVE, pp, NULL);
    const GDAL_GCP *gcps;

    g_assert_true (sl_registration_export_vrt (reg, jpeg, NULL, NULL, vrt, &error));
    g_assert_no_error (error);
    ds = GDALOpen (vrt, GA_ReadOnly);
    g_assert_cmpint (GDALGetGCPCount (ds), ==, 81);
    gcps = GDALGetGCPs (ds);
    for (int i = 0; i < 81; i++)
      {
        double u, v;

        map_projective (hh, gcps[i].dfGCPPixel, gcps[i].dfGCPLine, &u, &v);
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPX, u, 1e-6);
        g_assert_cmpfloat_with_epsilon (gcps[i].dfGCPY, v, 1e-6);
      }
    GDALClose (ds);
  }
  /* A missing image: the message names it. */
  {
    g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_AFFINE, points, NULL);
    g_autofree char *missing = g_build_filename (dir, "gone.jpg", NULL);

    g_assert_false (sl_registration_export_vrt (reg, missing, NULL, NULL, vrt, &error));
    g_assert_nonnull (strstr (error->message, "gone.jpg"));
  }
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_world_file (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *jpeg = write_jpeg (dir);
  g_autofree char *jgw = g_build_filename (dir, "press.jgw", NULL);
  g_autofree char *txt = g_build_filename (dir, "press.txt", NULL);
  double truth[6] = { 35.5, 1.2, 0.15, -20.25, -0.08, 0.9 }, gt[6];
  double h[9] = { 1.1, 0.12, 15, -0.05, 0.95, 30, 2e-4, -1.5e-4, 1 };
  g_autoptr(GArray) points = make_points (8, map_affine, truth, 0, 18);
  g_autoptr(GArray) pp = make_points (8, map_projective, h, 0, 19);
  g_autoptr(SlRegistration) reg = solve (SL_TRANSFORM_AFFINE, points, NULL);
  g_autoptr(SlRegistration) proj = solve (SL_TRANSFORM_PROJECTIVE, pp, NULL);
  g_autoptr(GError) error = NULL;
  GDALDatasetH ds;

  g_assert_true (sl_registration_export_world_file (reg, utm_gt, jgw, &error));
  g_assert_no_error (error);
  /* GDAL reads the world file beside the JPEG. */
  ds = GDALOpen (jpeg, GA_ReadOnly);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALGetGeoTransform (ds, gt), ==, CE_None);
  g_assert_cmpfloat_with_epsilon (gt[0], 500000 + 0.5 * 35.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (gt[1], 0.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (gt[2], 0.075, 1e-9);
  g_assert_cmpfloat_with_epsilon (gt[3], 6050000 + 0.5 * 20.25, 1e-6);
  g_assert_cmpfloat_with_epsilon (gt[4], 0.04, 1e-9);
  g_assert_cmpfloat_with_epsilon (gt[5], -0.45, 1e-9);
  GDALClose (ds);

  g_assert_false (sl_registration_export_world_file (proj, utm_gt, jgw, &error));
  g_assert_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_NOT_AFFINE);
  g_assert_nonnull (strstr (error->message, "projective transform needs a VRT"));
  g_clear_error (&error);
  g_assert_false (sl_registration_export_world_file (reg, utm_gt, txt, &error));
  g_assert_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID);
  g_assert_false (g_file_test (txt, G_FILE_TEST_EXISTS));
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_points_file (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *csv = g_build_filename (dir, "points.csv", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare.csv", NULL);
  g_autofree char *qgis = g_build_filename (dir, "press.jpg.points", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.csv", NULL);
  const char *csv_text = "image_x,image_y,ref_x,ref_y,enabled\n10,20,30.5,40.25,1\n100, 200, 300, 400, 0\n";
  const char *bare_text = "10,20,30.5,40.25\n\n100,200,300,400\n";
  /* QGIS: map coordinates of the reference, source y negative. */
  const char *qgis_text = "#CRS: PROJCRS[\"WGS 84 / UTM zone 36N\"]\n"
                          "mapX,mapY,sourceX,sourceY,enable,dX,dY,residual\n"
                          "500015.25,6049980,10,-20,1,0,0,0\n"
                          "500150,6049800,100,-200,0,0,0,0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL;
  SlTiePoint *p;

  g_assert_true (g_file_set_contents (csv, csv_text, -1, NULL));
  g_assert_true (g_file_set_contents (bare, bare_text, -1, NULL));
  g_assert_true (g_file_set_contents (qgis, qgis_text, -1, NULL));
  g_assert_true (g_file_set_contents (broken, "image_x,image_y,ref_x,ref_y\n1,2,3,4\n5,6,seven,8\n", -1, NULL));

  a = sl_tie_points_load (csv, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 2);
  p = &g_array_index (a, SlTiePoint, 0);
  g_assert_true (p->image_x == 10 && p->image_y == 20 && p->ref_x == 30.5 && p->ref_y == 40.25 && p->enabled);
  g_assert_false (g_array_index (a, SlTiePoint, 1).enabled);

  b = sl_tie_points_load (bare, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 2);
  g_assert_true (g_array_index (b, SlTiePoint, 1).enabled);
  g_assert_cmpfloat (g_array_index (b, SlTiePoint, 1).ref_y, ==, 400);

  c = sl_tie_points_load (qgis, utm_gt, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 2);
  p = &g_array_index (c, SlTiePoint, 0);
  g_assert_cmpfloat_with_epsilon (p->image_x, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->image_y, 20, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->ref_x, 30.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->ref_y, 40, 1e-9);
  g_assert_false (g_array_index (c, SlTiePoint, 1).enabled);
  /* QGIS against an unreferenced reference: its pixels, y negative. */
  d = sl_tie_points_load (qgis, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (g_array_index (d, SlTiePoint, 0).ref_y, -6049980, 1e-6);
  /* Older QGIS: pixelX, pixelY. */
  {
    g_autoptr(GArray) old = NULL;

    g_assert_true (g_file_set_contents (qgis, "mapX,mapY,pixelX,pixelY,enable\n500015.25,6049980,10,-20,1\n", -1, NULL));
    old = sl_tie_points_load (qgis, utm_gt, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (old->len, ==, 1);
    g_assert_cmpfloat_with_epsilon (g_array_index (old, SlTiePoint, 0).image_y, 20, 1e-9);
    g_assert_cmpfloat_with_epsilon (g_array_index (old, SlTiePoint, 0).ref_x, 30.5, 1e-9);
  }

  e = sl_tie_points_load (broken, NULL, &error);
  g_assert_null (e);
  g_assert_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_nonnull (strstr (error->message, "broken.csv"));
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/registration/similarity", test_similarity);
  g_test_add_func ("/registration/affine", test_affine);
  g_test_add_func ("/registration/projective", test_projective);
  g_test_add_func ("/registration/tps", test_tps);
  g_test_add_func ("/registration/polynomial", test_polynomial);
  g_test_add_func ("/registration/arrays", test_arrays);
  g_test_add_func ("/registration/noise-rms", test_noise);
  g_test_add_func ("/registration/worst-points", test_worst);
  g_test_add_func ("/registration/too-few-points", test_too_few);
  g_test_add_func ("/registration/duplicate-points", test_duplicate);
  g_test_add_func ("/registration/collinear-points", test_collinear);
  g_test_add_func ("/registration/folds", test_folds);
  g_test_add_func ("/registration/json", test_json);
  g_test_add_func ("/registration/vrt", test_vrt);
  g_test_add_func ("/registration/world-file", test_world_file);
  g_test_add_func ("/registration/points-file", test_points_file);
  return g_test_run ();
}
