/* test-registration-auto.c — the automatic proposal on the demo's press image, and where it must fail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <json-glib/json-glib.h>

#include "sl-core.h"
#include "sl-demo.h"
#include "sl-registration-auto.h"
#include "sl-test-util.h"

#define SIZE 1024

static char *tmp;
static GPtrArray *scenes;
static double truth[6];   /* press pixel → source pixel */
static int press_size;

static const char *
scene_path (guint i)
{
  g_assert_cmpuint (i, <, scenes->len);
  return ((SlDemoScene *) g_ptr_array_index (scenes, i))->path;
}

static void
load_truth (void)
{
  const char *press = scene_path (scenes->len - 1);
  g_autofree char *stem = g_strndup (press, strrchr (press, '.') - press);
  g_autofree char *path = g_strconcat (stem, ".truth.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *t;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  t = json_object_get_array_member (root, "transform");
  g_assert_cmpuint (json_array_get_length (t), ==, 6);
  for (guint i = 0; i < 6; i++)
    truth[i] = json_array_get_double_element (t, i);
  press_size = (int) json_object_get_int_member (root, "width");
  g_assert_cmpint (press_size, >, 0);
}

/* Corners, edge midpoints and the centre: the proposal must hold over the whole image. */
static void
assert_close_to_truth (SlRegistration *reg,
                       double          tolerance)
{
  double w = press_size, worst = 0;

  for (int j = 0; j <= 2; j++)
    for (int i = 0; i <= 2; i++)
      {
        double x = w * i / 2, y = w * j / 2, u, v, bx, by;
        double tu = truth[0] + truth[1] * x + truth[2] * y, tv = truth[3] + truth[4] * x + truth[5] * y;

        g_assert_true (sl_registration_forward (reg, x, y, &u, &v));
        worst = MAX (worst, hypot (u - tu, v - tv));
        g_assert_cmpfloat (hypot (u - tu, v - tv), <=, tolerance);
        /* And back: the reference's point lands on the image's. */
        g_assert_true (sl_registration_inverse (reg, tu, tv, &bx, &by));
        g_assert_cmpfloat (hypot (bx - x, by - y), <=, tolerance);
      }
  g_test_message ("worst distance from the truth: %.3f px", worst);
}

static void
test_demo_press (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) result = NULL;
  double t[6];

  result = sl_registration_auto (scene_path (scenes->len - 1), scene_path (scenes->len - 2),
                                 SL_TRANSFORM_AFFINE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_test_message ("peak ratio %.2f, rotation %.2f°, scale %.4f, %u of %u inliers, NCC %.3f, RMS %.3f px",
                  result->peak_ratio, result->rotation_deg, result->scale, result->n_inliers,
                  result->n_candidates, result->mean_ncc, result->rms_image);
  g_assert_cmpfloat (result->peak_ratio, >=, 2);
  /* The coarse stage alone already finds the rotation and scale (3°, 1/0.8). */
  g_assert_cmpfloat (fabs (result->rotation_deg - 3), <, 0.5);
  g_assert_cmpfloat (fabs (result->scale - 1.25), <, 0.02);
  g_assert_cmpuint (result->n_inliers, >=, 20);
  g_assert_cmpfloat (result->rms_image, <, 1);
  g_assert_true (sl_registration_get_affine (result->registration, t));
  assert_close_to_truth (result->registration, 2.0);
}

static void
test_demo_press_projective (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) result = NULL;
  double h[9];

  result = sl_registration_auto (scene_path (scenes->len - 1), scene_path (scenes->len - 2),
                                 SL_TRANSFORM_PROJECTIVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_registration_get_homography (result->registration, h));
  assert_close_to_truth (result->registration, 2.0);
}

static void
on_auto_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  SlRegistrationAutoResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = sl_registration_auto_finish (res, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  SlRegistrationAutoResult *result = NULL;

  sl_registration_auto_async (scene_path (scenes->len - 1), scene_path (scenes->len - 2),
                              SL_TRANSFORM_AFFINE, NULL, on_auto_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_close_to_truth (result->registration, 2.0);
  sl_registration_auto_result_free (result);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) result = NULL;

  g_cancellable_cancel (cancellable);
  result = sl_registration_auto (scene_path (scenes->len - 1), scene_path (scenes->len - 2),
                                 SL_TRANSFORM_AFFINE, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
}

/* A window of a scene, written as its own GeoTIFF. */
static char *
write_crop (const char *source,
            const char *name,
            int         x0,
            int         y0,
            int         size)
{
  char *path = g_build_filename (tmp, name, NULL);
  GDALDatasetH src = GDALOpen (source, GA_ReadOnly), dst;
  g_autofree guint8 *buf = g_malloc ((gsize) size * size * 3);

  g_assert_nonnull (src);
  g_assert_cmpint (GDALDatasetRasterIO (src, GF_Read, x0, y0, size, size, buf, size, size, GDT_Byte, 3, NULL,
                                        0, 0, 0), ==, CE_None);
  GDALClose (src);
  dst = GDALCreate (GDALGetDriverByName ("GTiff"), path, size, size, 3, GDT_Byte, NULL);
  g_assert_nonnull (dst);
  g_assert_cmpint (GDALDatasetRasterIO (dst, GF_Write, 0, 0, size, size, buf, size, size, GDT_Byte, 3, NULL,
                                        0, 0, 0), ==, CE_None);
  GDALClose (dst);
  return path;
}

static void
test_no_overlap (void)
{
  int part = SIZE * 2 / 5;
  g_autofree char *a = write_crop (scene_path (scenes->len - 2), "corner-a.tif", 0, 0, part);
  g_autofree char *b = write_crop (scene_path (scenes->len - 2), "corner-b.tif", SIZE - part, SIZE - part, part);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) result = NULL;

  result = sl_registration_auto (a, b, SL_TRANSFORM_AFFINE, NULL, &error);
  g_assert_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_NO_MATCH);
  g_assert_null (result);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "No reliable match between"));
  g_assert_nonnull (strstr (error->message, "peak ratio"));

  /* The same crops do match themselves shifted: the failure is the overlap, not the crops. */
  {
    g_autofree char *c = write_crop (scene_path (scenes->len - 2), "corner-c.tif", part / 4, part / 5, part);
    g_autoptr(GError) local = NULL;
    g_autoptr(SlRegistrationAutoResult) ok = sl_registration_auto (a, c, SL_TRANSFORM_AFFINE, NULL, &local);
    double u, v;

    g_assert_no_error (local);
    g_assert_true (sl_registration_forward (ok->registration, part / 2.0, part / 2.0, &u, &v));
    g_assert_cmpfloat (fabs (u - (part / 2.0 - part / 4)), <, 0.5);
    g_assert_cmpfloat (fabs (v - (part / 2.0 - part / 5)), <, 0.5);
  }
}

static void
test_missing_file (void)
{
  g_autofree char *missing = g_build_filename (tmp, "nowhere.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) result = NULL;

  result = sl_registration_auto (missing, scene_path (0), SL_TRANSFORM_AFFINE, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (result);
  g_assert_nonnull (strstr (error->message, "nowhere.jpg"));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  tmp = sl_test_tmpdir_new ();
  scenes = sl_demo_generate (tmp, SIZE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scenes->len, >=, 2);
  g_assert_false (((SlDemoScene *) g_ptr_array_index (scenes, scenes->len - 1))->georeferenced);
  load_truth ();

  g_test_add_func ("/registration-auto/demo-press", test_demo_press);
  g_test_add_func ("/registration-auto/demo-press-projective", test_demo_press_projective);
  g_test_add_func ("/registration-auto/async", test_async);
  g_test_add_func ("/registration-auto/cancelled", test_cancelled);
  g_test_add_func ("/registration-auto/no-overlap", test_no_overlap);
  g_test_add_func ("/registration-auto/missing-file", test_missing_file);
  status = g_test_run ();

  g_ptr_array_unref (scenes);
  sl_test_tmpdir_free (tmp);
  return status;
}
