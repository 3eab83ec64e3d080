/* test-viewport.c — the shared viewport's arithmetic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sl-viewport.h"

static SlViewport *
new_viewport (void)
{
  g_autoptr(SlSiteGrid) grid = sl_site_grid_new_around ("EPSG:32636", 500000, 6050000, 0.5);
  SlViewport *vp = sl_viewport_new ();

  sl_viewport_set_grid (vp, grid);
  sl_viewport_set_center (vp, 500000, 6050000);
  sl_viewport_set_zoom (vp, 1.0);
  return vp;
}

static void
test_round_trip (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  double sx, sy, wx, wy;

  g_assert_cmpfloat (sl_viewport_get_resolution (vp), ==, 0.5);
  sl_viewport_widget_to_site (vp, 800, 600, 400, 300, &sx, &sy);
  g_assert_cmpfloat (sx, ==, 500000);
  g_assert_cmpfloat (sy, ==, 6050000);
  sl_viewport_widget_to_site (vp, 800, 600, 410, 290, &sx, &sy);
  g_assert_cmpfloat (sx, ==, 500005);   /* east is right */
  g_assert_cmpfloat (sy, ==, 6050005);  /* north is up */
  sl_viewport_site_to_widget (vp, 800, 600, sx, sy, &wx, &wy);
  g_assert_cmpfloat (wx, ==, 410);
  g_assert_cmpfloat (wy, ==, 290);
}

static void
test_zoom_at_keeps_point (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  double before_x, before_y, after_x, after_y;

  sl_viewport_widget_to_site (vp, 1000, 700, 123, 456, &before_x, &before_y);
  sl_viewport_zoom_at (vp, 2.5, 123, 456, 1000, 700);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_zoom (vp), 2.5, 1e-12);
  sl_viewport_widget_to_site (vp, 1000, 700, 123, 456, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (after_y, before_y, 1e-6);

  /* Clamped at 32 × and at the whole world, and the anchor still holds at the clamp. */
  sl_viewport_zoom_at (vp, 1000, 123, 456, 1000, 700);
  g_assert_cmpfloat (sl_viewport_get_zoom (vp), ==, 32);
  sl_viewport_widget_to_site (vp, 1000, 700, 123, 456, &after_x, &after_y);
  g_assert_cmpfloat_with_epsilon (after_x, before_x, 1e-6);
  sl_viewport_set_zoom (vp, 1e-30);
  g_assert_cmpfloat (sl_viewport_get_zoom (vp), ==, sl_viewport_get_min_zoom (vp));
}

static void
test_pan_and_fit (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  SlBounds b = { 500100, 6049000, 500300, 6049100 }, visible;

  sl_viewport_pan_pixels (vp, 10, -20);
  g_assert_cmpfloat (sl_viewport_get_center_x (vp), ==, 500000 - 5);
  g_assert_cmpfloat (sl_viewport_get_center_y (vp), ==, 6050000 - 10);

  sl_viewport_fit (vp, &b, 420, 220, 10);
  g_assert_cmpfloat (sl_viewport_get_resolution (vp), ==, 0.5);  /* 200 m in 400 px */
  sl_viewport_get_visible_bounds (vp, 420, 220, &visible);
  g_assert_cmpfloat (visible.min_x, <=, b.min_x);
  g_assert_cmpfloat (visible.max_x, >=, b.max_x);
  g_assert_cmpfloat (visible.min_y, <=, b.min_y);
  g_assert_cmpfloat (visible.max_y, >=, b.max_y);
}

static void
test_level_for_scale_factor (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  int base = SL_SITE_GRID_BASE_LEVELS;

  g_assert_cmpint (sl_viewport_get_level (vp, 1), ==, base);
  sl_viewport_set_zoom (vp, 0.5);
  g_assert_cmpint (sl_viewport_get_level (vp, 1), ==, base - 1);
  /* On a 2× display the finer level is sharp. */
  g_assert_cmpint (sl_viewport_get_level (vp, 2), ==, base);
  sl_viewport_set_zoom (vp, 0.3);
  g_assert_cmpint (sl_viewport_get_level (vp, 1), ==, base - 1);
}

static void
count_notify (GObject *object, GParamSpec *pspec, int *n)
{
  (*n)++;
}

static void
test_notifies_once (void)
{
  g_autoptr(SlViewport) vp = new_viewport ();
  int n = 0;

  g_signal_connect (vp, "notify::center-x", G_CALLBACK (count_notify), &n);
  sl_viewport_zoom_at (vp, 2, 10, 10, 100, 100);
  g_assert_cmpint (n, ==, 1);
  sl_viewport_set_center (vp, sl_viewport_get_center_x (vp), 0);
  g_assert_cmpint (n, ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/viewport/round-trip", test_round_trip);
  g_test_add_func ("/viewport/zoom-at-keeps-point", test_zoom_at_keeps_point);
  g_test_add_func ("/viewport/pan-and-fit", test_pan_and_fit);
  g_test_add_func ("/viewport/level-for-scale-factor", test_level_for_scale_factor);
  g_test_add_func ("/viewport/notifies-once", test_notifies_once);
  return g_test_run ();
}
