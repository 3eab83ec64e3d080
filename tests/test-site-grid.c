/* test-site-grid.c — tile addressing on the site grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sl-site-grid.h"

static void
test_levels_and_bounds (void)
{
  g_autoptr(SlSiteGrid) grid = sl_site_grid_new_around ("EPSG:32636", 500000, 6050000, 0.5);
  SlBounds b;
  double px, py, sx, sy;

  g_assert_cmpint (sl_site_grid_get_max_zoom (grid), ==, SL_SITE_GRID_BASE_LEVELS);
  g_assert_cmpfloat (sl_site_grid_get_resolution (grid, SL_SITE_GRID_BASE_LEVELS), ==, 0.5);
  g_assert_cmpfloat (sl_site_grid_get_resolution (grid, SL_SITE_GRID_BASE_LEVELS - 3), ==, 4.0);

  /* The centre lies on a tile corner at every level below zoom 0. */
  sl_site_grid_site_to_pixel (grid, SL_SITE_GRID_BASE_LEVELS, 500000, 6050000, &px, &py);
  g_assert_cmpfloat (px, ==, ldexp (128, SL_SITE_GRID_BASE_LEVELS));
  g_assert_cmpfloat (py, ==, px);
  sl_site_grid_pixel_to_site (grid, SL_SITE_GRID_BASE_LEVELS, px + 10, py + 4, &sx, &sy);
  g_assert_cmpfloat (sx, ==, 500005);
  g_assert_cmpfloat (sy, ==, 6049998);

  /* Tile bounds tile the plane without gaps, y growing south. */
  {
    int z = SL_SITE_GRID_BASE_LEVELS, x = (int) (px / 256), y = (int) (py / 256);
    SlBounds right, below;

    sl_site_grid_get_tile_bounds (grid, z, x, y, &b);
    sl_site_grid_get_tile_bounds (grid, z, x + 1, y, &right);
    sl_site_grid_get_tile_bounds (grid, z, x, y + 1, &below);
    g_assert_cmpfloat (b.min_x, ==, 500000);
    g_assert_cmpfloat (b.max_y, ==, 6050000);
    g_assert_cmpfloat (b.max_x - b.min_x, ==, 128);
    g_assert_cmpfloat (right.min_x, ==, b.max_x);
    g_assert_cmpfloat (below.max_y, ==, b.min_y);
  }
}

static void
test_zoom_for_resolution (void)
{
  g_autoptr(SlSiteGrid) grid = sl_site_grid_new_around (NULL, 1000, -1000, 1.0);
  int base = SL_SITE_GRID_BASE_LEVELS;

  g_assert_cmpint (sl_site_grid_zoom_for_resolution (grid, 1.0), ==, base);
  g_assert_cmpint (sl_site_grid_zoom_for_resolution (grid, 1.5), ==, base);      /* never magnify */
  g_assert_cmpint (sl_site_grid_zoom_for_resolution (grid, 2.0), ==, base - 1);
  g_assert_cmpint (sl_site_grid_zoom_for_resolution (grid, 0.25), ==, base);     /* clamped to max */
  g_assert_cmpint (sl_site_grid_zoom_for_resolution (grid, 1e12), ==, 0);
  g_assert_cmpint (sl_site_grid_native_zoom (grid, 0.3), ==, base + 2);          /* 0.25 ≤ 0.3 */
  g_assert_cmpint (sl_site_grid_native_zoom (grid, 1.0 + 1e-9), ==, base);

  {
    g_autoptr(SlSiteGrid) finer = sl_site_grid_with_max_zoom (grid, base + 2);
    g_assert_cmpint (sl_site_grid_get_max_zoom (finer), ==, base + 2);
    g_assert_cmpint (sl_site_grid_zoom_for_resolution (finer, 0.25), ==, base + 2);
    g_assert_false (sl_site_grid_equal (grid, finer));
  }
}

static void
test_tile_range (void)
{
  g_autoptr(SlSiteGrid) grid = sl_site_grid_new_around (NULL, 0, 0, 1.0);
  int z = SL_SITE_GRID_BASE_LEVELS;
  double ax, ay;
  SlBounds view;
  int x0, y0, x1, y1;

  sl_site_grid_get_anchor (grid, &ax, &ay);
  /* Exactly two tiles wide and one tall, edges on tile boundaries. */
  view.min_x = 0; view.max_x = 512; view.max_y = 0; view.min_y = -256;
  sl_site_grid_tile_range (grid, z, &view, &x0, &y0, &x1, &y1);
  g_assert_cmpint (x1 - x0, ==, 1);
  g_assert_cmpint (y1 - y0, ==, 0);
  /* One pixel more pulls in the next column. */
  view.max_x = 513;
  sl_site_grid_tile_range (grid, z, &view, &x0, &y0, &x1, &y1);
  g_assert_cmpint (x1 - x0, ==, 2);
  /* Far outside the world: clamped, never negative. */
  view.min_x = ax - 1e12; view.max_x = ax - 1e11; view.max_y = ay + 1e12; view.min_y = ay + 1e11;
  sl_site_grid_tile_range (grid, 3, &view, &x0, &y0, &x1, &y1);
  g_assert_cmpint (x0, ==, 0);
  g_assert_cmpint (y0, ==, 0);
}

static void
test_json (void)
{
  g_autoptr(SlSiteGrid) grid = sl_site_grid_new_around ("PROJCS[\"x\"]", 12.5, -3.25, 0.3);
  g_autofree char *json = sl_site_grid_to_json (grid);
  g_autoptr(SlSiteGrid) back = sl_site_grid_new_from_json (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSiteGrid) bad = sl_site_grid_new_from_json ("{\"res0\": -1}", &error);

  g_assert_true (sl_site_grid_equal (grid, back));
  g_assert_null (bad);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/site-grid/levels-and-bounds", test_levels_and_bounds);
  g_test_add_func ("/site-grid/zoom-for-resolution", test_zoom_for_resolution);
  g_test_add_func ("/site-grid/tile-range", test_tile_range);
  g_test_add_func ("/site-grid/json", test_json);
  return g_test_run ();
}
