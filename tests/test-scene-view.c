/* test-scene-view.c — the scene pane on real projects: pixels, seams, pans, zooms, fallbacks
 *
 * Scenes are GeoTIFFs written here with GDAL: a "pattern" whose every pixel names its own
 * column and row (R = column mod 256, G = row mod 256, B = 0x40 | column / 256 << 2 |
 * row / 256, plus 0x80 on every other pixel like a checkerboard, so that any blend of
 * neighbours is not a valid pixel), and a solid-colour one. The pane is rendered offscreen as the window would
 * draw it (GtkWidgetPaintable → the window's renderer) and compared pixel by pixel with
 * what the pixels must be, and with `sitelapse-cli render`'s code path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-scene-view"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <cpl_conv.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <ogr_srs_api.h>

#include "sl-application.h"
#include "sl-core.h"
#include "sl-scene-render.h"
#include "sl-scene-view-private.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define SCENE_W 600
#define SCENE_H 400
#define VIEW_W  400
#define VIEW_H  300
/* The founding scene's middle, a tile corner of the site grid (see make_project). */
#define MID_X   (500000.0 + 300)
#define MID_Y   (6050000.0 - 200)
#define SOLID_R 200
#define SOLID_G 60
#define SOLID_B 30

static SlApplication *app;

typedef struct
{
  char        *dir;
  SlProject   *project;
  gint64       pattern_id;
  gint64       solid_id;
  SlTileCache *cache;
  SlViewport  *viewport;
  GtkWindow   *window;
  SlSceneView *view;
} Fixture;

/* --- fixtures --- */

static void
pattern_pixel (int col, int row, guint8 rgb[3])
{
  rgb[0] = col & 0xff;
  rgb[1] = row & 0xff;
  rgb[2] = ((col + row) & 1) << 7 | 0x40 | (col >> 8) << 2 | (row >> 8);
}

/* The scene pixel an opaque pattern colour names; FALSE for a colour that is none. */
static gboolean
pattern_decode (guint32  p,
                int     *col,
                int     *row)
{
  guint8 b = p & 0xff, rgb[3];

  *col = (int) ((p >> 16) & 0xff) | (int) ((b >> 2) & 0x3) << 8;
  *row = (int) ((p >> 8) & 0xff) | (int) (b & 0x1) << 8;
  if ((p >> 24) != 0xff || *col >= SCENE_W || *row >= SCENE_H)
    return FALSE;
  pattern_pixel (*col, *row, rgb);
  return p == (0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2]);
}

static char *
write_scene (const char *dir,
             const char *name,
             const char *datetime,
             gboolean    pattern)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *bands = g_malloc ((gsize) SCENE_W * SCENE_H * 3);
  double gt[6] = { 500000, 1, 0, 6050000, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds;

  for (int row = 0; row < SCENE_H; row++)
    for (int col = 0; col < SCENE_W; col++)
      {
        guint8 rgb[3] = { SOLID_R, SOLID_G, SOLID_B };

        if (pattern)
          pattern_pixel (col, row, rgb);
        for (int b = 0; b < 3; b++)
          bands[(gsize) b * SCENE_W * SCENE_H + (gsize) row * SCENE_W + col] = rgb[b];
      }

  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, SCENE_W, SCENE_H, 3, GDT_Byte, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, SCENE_W, SCENE_H, bands, SCENE_W, SCENE_H,
                                        GDT_Byte, 3, NULL, 0, 0, 0), ==, CE_None);
  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", datetime, NULL);
  GDALClose (ds);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
  return path;
}

static gint64
add_scene (SlProject  *project,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probed = sl_scene_probe (path, &error);
  g_autoptr(SlScene) stored = NULL;

  g_assert_no_error (error);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

/* The pattern founds the site grid around its pixel corner (300, 200): tile edges fall on
 * columns 44, 300, 556 and rows 200 + k × 256. The solid scene lies exactly on it. */
static void
make_project (Fixture *f)
{
  g_autofree char *project_path = g_build_filename (f->dir, "site.sitelapse", NULL);
  g_autofree char *pattern = write_scene (f->dir, "pattern.tif", "2022:01:18 09:30:00", TRUE);
  g_autofree char *solid = write_scene (f->dir, "solid.tif", "2022:02:21 08:52:00", FALSE);
  g_autoptr(GError) error = NULL;

  f->project = sl_project_create (project_path, "Test Site", &error);
  g_assert_no_error (error);
  f->pattern_id = add_scene (f->project, pattern);
  f->solid_id = add_scene (f->project, solid);
}

static gboolean
view_is_settled (gpointer data)
{
  Fixture *f = data;
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (f->cache, &stats);
  return gtk_widget_get_width (GTK_WIDGET (f->view)) == VIEW_W && _sl_scene_view_is_settled (f->view) &&
         stats.queued == 0 && stats.running == 0;
}

static void
wait_settled (Fixture *f)
{
  sl_test_spin_until (view_is_settled, f, "the scene view's tiles");
}

/* A window of VIEW_W × VIEW_H holding only the pane, on scene @scene_id. */
static void
show_view (Fixture *f,
           gint64   scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (f->project);

  f->cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_assert_no_error (error);
  f->viewport = sl_viewport_new ();
  sl_viewport_set_grid (f->viewport, grid);

  f->view = SL_SCENE_VIEW (sl_scene_view_new ());
  sl_scene_view_set_viewport (f->view, f->viewport);
  sl_scene_view_set_cache (f->view, f->cache);
  sl_scene_view_set_scene_id (f->view, scene_id);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_resizable (f->window, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (f->view), VIEW_W, VIEW_H);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  wait_settled (f);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sl_test_tmpdir_new ();
  make_project (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->cache);
  g_clear_object (&f->viewport);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
}

/* --- rendering --- */

/* The pane as the window draws it (its CSS background included), at the scale factor the
 * pane works with. */
static void
render_view (Fixture *f,
             SlTestPixels  *out)
{
  sl_test_render_widget (GTK_WIDGET (f->view), out, NULL);
}

/* What `sitelapse-cli render` draws for the same viewport, over @background. */
static void
render_cli (Fixture      *f,
            const SlTestPixels *background,
            SlTestPixels       *out)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  guint n_failed = 0;

  out->width = background->width;
  out->height = background->height;
  out->stride = background->stride;
  out->data = g_memdup2 (background->data, background->stride * background->height);
  surface = cairo_image_surface_create_for_data (out->data, CAIRO_FORMAT_ARGB32, out->width, out->height,
                                                 (int) out->stride);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  g_assert_true (sl_scene_render_view (f->cache, sl_scene_view_get_scene_id (f->view), f->viewport, cr,
                                       out->width / scale, out->height / scale, scale,
                                       &n_failed, &failure, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_failed, ==, 0);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);
}

/* The pane with no scene: its background. */
static void
render_background (Fixture *f,
                   SlTestPixels  *out)
{
  gint64 scene_id = sl_scene_view_get_scene_id (f->view);

  sl_scene_view_set_scene_id (f->view, 0);
  render_view (f, out);
  sl_scene_view_set_scene_id (f->view, scene_id);
  wait_settled (f);
}

static guint32
argb (guint8 r, guint8 g, guint8 b)
{
  return 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | b;
}

/* The scene column and row a device pixel's centre falls on, for a pane at @scale. */
static void
site_pixel_at (Fixture *f,
               int      scale,
               int      x,
               int      y,
               double  *col,
               double  *row)
{
  double sx, sy;

  sl_viewport_widget_to_site (f->viewport, VIEW_W, VIEW_H, (x + 0.5) / scale, (y + 0.5) / scale, &sx, &sy);
  *col = sx - 500000.0;
  *row = 6050000.0 - sy;
}

static void
set_view (Fixture *f,
          double   col,
          double   row,
          double   zoom)
{
  sl_viewport_set_zoom (f->viewport, zoom);
  sl_viewport_set_center (f->viewport, 500000.0 + col, 6050000.0 - row);
}

/* SL_TEST_DUMP=1: the two images as /tmp/pane-test-{a,b}.png, to look at a failure. */
static void
dump_pixels (const SlTestPixels *a,
             const SlTestPixels *b)
{
  if (g_getenv ("SL_TEST_DUMP") == NULL)
    return;
  {
      cairo_surface_t *sa = cairo_image_surface_create_for_data (a->data, CAIRO_FORMAT_ARGB32, a->width, a->height, (int) a->stride);
      cairo_surface_t *sb = cairo_image_surface_create_for_data (b->data, CAIRO_FORMAT_ARGB32, b->width, b->height, (int) b->stride);

      cairo_surface_write_to_png (sa, "/tmp/pane-test-a.png");
      cairo_surface_write_to_png (sb, "/tmp/pane-test-b.png");
      cairo_surface_destroy (sa);
      cairo_surface_destroy (sb);
  }
}

typedef enum
{
  SAME_EXACT,     /* every pixel equal */
  SAME_MAGNIFIED, /* equal but where a block edge falls exactly on a pixel centre */
  SAME_REDUCED,   /* within renderers' filtering differences */
} Sameness;

static gboolean
neighbour_is (const SlTestPixels *p,
              int           x,
              int           y,
              guint32       value)
{
  const int d[4][2] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } };

  for (int i = 0; i < 4; i++)
    if (x + d[i][0] >= 0 && x + d[i][0] < p->width && y + d[i][1] >= 0 && y + d[i][1] < p->height &&
        sl_test_pixel (p, x + d[i][0], y + d[i][1]) == value)
      return TRUE;
  return FALSE;
}

/* @a shows what @b shows.
 * SAME_MAGNIFIED: nearest-neighbour ties (a texel edge exactly on a pixel centre) go either
 * way with cairo's fixed-point matrices, so a pixel may show its neighbour's texel there:
 * at most one such edge per block, never a new colour.
 * SAME_REDUCED: the renderers filter differently; the pattern's column and row ramps (R, G),
 * away from their wrap-arounds, agree within 2, and alpha exactly. The checkerboard bit in
 * B is left out: filters disagree on it most. */
static void
assert_same_pixels (const SlTestPixels *a,
                    const SlTestPixels *b,
                    Sameness      sameness)
{
  guint compared = 0, ties = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (int y = 0; y < a->height; y++)
    for (int x = 0; x < a->width; x++)
      {
        guint32 pa = sl_test_pixel (a, x, y), pb = sl_test_pixel (b, x, y);
        int ra = (pa >> 16) & 0xff, ga = (pa >> 8) & 0xff, rb = (pb >> 16) & 0xff, gb = (pb >> 8) & 0xff;
        gboolean same;

        if (sameness == SAME_REDUCED)
          {
            if ((pb >> 24) != 0xff || rb < 8 || rb > 247 || gb < 8 || gb > 247)
              same = (pa >> 24) == (pb >> 24);
            else
              same = (pa >> 24) == 0xff && ABS (ra - rb) <= 2 && ABS (ga - gb) <= 2;
          }
        else if (pa != pb && sameness == SAME_MAGNIFIED && neighbour_is (b, x, y, pa))
          {
            same = TRUE;
            ties++;
          }
        else
          same = pa == pb;

        if (!same)
          {
            dump_pixels (a, b);
            g_error ("Pixel %d, %d differs: %08x, expected %08x", x, y, pa, pb);
          }
        compared++;
      }
  g_assert_cmpuint (compared, ==, (guint) (a->width * a->height));
  g_assert_cmpuint (ties, <, compared / 50);
}

/* --- tests --- */

/* At 100 % every screen pixel is exactly one scene pixel: the pattern says which. */
static void
test_pixels_at_100 (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(SlTestPixels) shown = { 0 };
  g_auto(SlTestPixels) background = { 0 };
  guint inside = 0, outside = 0;

  show_view (f, f->pattern_id);
  set_view (f, 300, 200, 1.0);
  wait_settled (f);
  render_view (f, &shown);

  /* The view spans columns 100–499, rows 50–349, across the tile edges at column 300
   * (x = 200) and row 200 (y = 150). */
  for (int y = 0; y < VIEW_H; y++)
    for (int x = 0; x < VIEW_W; x++)
      {
        guint8 rgb[3];

        pattern_pixel (x + 100, y + 50, rgb);
        if (sl_test_pixel (&shown, x, y) != argb (rgb[0], rgb[1], rgb[2]))
          g_error ("Pixel %d, %d shows %08x, not scene pixel %d, %d", x, y, sl_test_pixel (&shown, x, y), x + 100, y + 50);
      }

  /* Tile edges exactly half-way between screen pixels, at negative and positive positions
   * (columns 22.5 − 212 and 22.5 + 44, rows 28.5 − 56 and 28.5 + 200): still one scene pixel
   * per screen pixel, none repeated or skipped at the seams. */
  set_view (f, 177.5, 121.5, 1.0);
  wait_settled (f);
  sl_test_pixels_clear (&shown);
  render_view (f, &shown);
  for (int y = 0; y < VIEW_H; y++)
    for (int x = 0; x < VIEW_W; x++)
      {
        int col, row;

        if (x < 23 || y < 29)
          continue;
        if (!pattern_decode (sl_test_pixel (&shown, x, y), &col, &row) || col != x - 23 || row != y - 29)
          g_error ("Pixel %d, %d shows %08x, not scene pixel %d, %d", x, y, sl_test_pixel (&shown, x, y), x - 23, y - 29);
        inside++;
      }
  g_assert_cmpuint (inside, ==, (VIEW_W - 23) * (VIEW_H - 29));
  inside = 0;

  /* Past the scene's top-left corner: the pane's own background. */
  render_background (f, &background);
  set_view (f, 100, 60, 1.0);
  wait_settled (f);
  sl_test_pixels_clear (&shown);
  render_view (f, &shown);
  for (int y = 0; y < VIEW_H; y++)
    for (int x = 0; x < VIEW_W; x++)
      {
        double col, row;
        guint8 rgb[3];

        site_pixel_at (f, 1, x, y, &col, &row);
        if (col < 0 || row < 0)
          {
            g_assert_cmphex (sl_test_pixel (&shown, x, y), ==, sl_test_pixel (&background, x, y));
            outside++;
            continue;
          }
        pattern_pixel ((int) col, (int) row, rgb);
        g_assert_cmphex (sl_test_pixel (&shown, x, y), ==, argb (rgb[0], rgb[1], rgb[2]));
        inside++;
      }
  g_assert_cmpuint (outside, ==, 100 * VIEW_H + 90 * VIEW_W - 100 * 90);
  g_assert_cmpuint (inside, >, 0);
}

/* Above 100 % each scene pixel is a sharp block: no blended colour, the right pixel. */
static void
test_sharp_magnified (Fixture       *f,
                      gconstpointer  data)
{
  const double zooms[] = { 8.0, 3.0, 2.37 };
  g_auto(SlTestPixels) shown = { 0 };

  show_view (f, f->pattern_id);
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      guint n_cols = 0;
      int last_col = -1;

      /* Off the tile corner by a fraction, so tile edges fall between screen pixels. */
      set_view (f, 300.3, 200.6, zooms[z]);
      wait_settled (f);
      sl_test_pixels_clear (&shown);
      render_view (f, &shown);

      for (int y = 0; y < VIEW_H; y++)
        for (int x = 0; x < VIEW_W; x++)
          {
            guint32 p = sl_test_pixel (&shown, x, y);
            double true_col, true_row;
            int col, row;

            /* A real scene pixel, not a mix of neighbours. */
            if (!pattern_decode (p, &col, &row))
              g_error ("Zoom %g: pixel %d, %d is a blend: %08x", zooms[z], x, y, p);
            /* The nearest one: the pane places tiles on whole device pixels, so a pixel may
             * show its neighbour by at most the half-pixel that rounding moved the tile. */
            site_pixel_at (f, 1, x, y, &true_col, &true_row);
            g_assert_cmpfloat (fabs (col + 0.5 - true_col), <=, 0.5 + 0.5 / zooms[z] + 1e-9);
            g_assert_cmpfloat (fabs (row + 0.5 - true_row), <=, 0.5 + 0.5 / zooms[z] + 1e-9);
            if (y == VIEW_H / 2 && col != last_col)
              {
                n_cols++;
                last_col = col;
              }
          }
      /* Blocks as wide as the zoom: that many scene columns across the view. */
      g_assert_cmpint (ABS ((int) n_cols - (int) ceil (VIEW_W / zooms[z])), <=, 1);
    }
}

/* The pane shows what `sitelapse-cli render` draws, at fit, 100 % and magnified. */
static void
test_same_as_cli (Fixture       *f,
                  gconstpointer  data)
{
  const struct { double col, row, zoom; Sameness sameness; } views[] = {
    { 300, 200, 0.61, SAME_REDUCED },     /* fit-like */
    { 310.4, 190.1, 0.37, SAME_REDUCED }, /* a coarser level */
    { 177.3, 321.4, 1.0, SAME_EXACT },
    { 300.3, 200.6, 8.0, SAME_MAGNIFIED },
    { 41.7, 199.2, 2.37, SAME_MAGNIFIED }, /* the scene's left edge */
  };
  g_auto(SlTestPixels) background = { 0 };

  show_view (f, f->pattern_id);
  render_background (f, &background);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_auto(SlTestPixels) shown = { 0 };
      g_auto(SlTestPixels) cli = { 0 };

      set_view (f, views[i].col, views[i].row, views[i].zoom);
      wait_settled (f);
      render_view (f, &shown);
      render_cli (f, &background, &cli);
      assert_same_pixels (&shown, &cli, views[i].sameness);
    }
}

/* A solid scene at fractional zooms: any seam between tiles would show another colour. */
static void
check_no_seams (Fixture *f)
{
  const double zooms[] = { 0.37, 0.77, 1.0, 1.43, 2.37 };
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));

  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_auto(SlTestPixels) shown = { 0 };
      guint checked = 0;

      set_view (f, 300.37, 200.71, zooms[z]);
      wait_settled (f);
      render_view (f, &shown);
      for (int y = 0; y < shown.height; y++)
        for (int x = 0; x < shown.width; x++)
          {
            double col, row;

            site_pixel_at (f, scale, x, y, &col, &row);
            /* Inside the scene, away from its own edges. */
            if (col < 2 || row < 2 || col > SCENE_W - 2 || row > SCENE_H - 2)
              continue;
            if (sl_test_pixel (&shown, x, y) != argb (SOLID_R, SOLID_G, SOLID_B))
              g_error ("Seam at %d, %d (zoom %g): %08x", x, y, zooms[z], sl_test_pixel (&shown, x, y));
            checked++;
          }
      g_assert_cmpuint (checked, >, 1000);
    }
}

static void
test_no_seams (Fixture       *f,
               gconstpointer  data)
{
  show_view (f, f->solid_id);
  check_no_seams (f);
}

/* Panning through the viewport moves the picture by exactly as many pixels. */
static void
test_pan_moves_content (Fixture       *f,
                        gconstpointer  data)
{
  const double zooms[] = { 1.0, 8.0 };

  show_view (f, f->pattern_id);
  for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
    {
      g_auto(SlTestPixels) before = { 0 };
      g_auto(SlTestPixels) after = { 0 };
      const int dx = 37, dy = -11;

      set_view (f, 300.3, 200.6, zooms[z]);
      wait_settled (f);
      render_view (f, &before);
      sl_viewport_pan_pixels (f->viewport, dx, dy);
      wait_settled (f);
      render_view (f, &after);

      for (int y = MAX (0, -dy); y < VIEW_H - MAX (0, dy); y++)
        for (int x = MAX (0, -dx); x < VIEW_W - MAX (0, dx); x++)
          if (sl_test_pixel (&after, x + dx, y + dy) != sl_test_pixel (&before, x, y))
            g_error ("Zoom %g: pixel %d, %d did not move by %d, %d", zooms[z], x, y, dx, dy);
    }
}

static gboolean
not_animating (gpointer data)
{
  return !_sl_scene_view_is_animating (SL_SCENE_VIEW (data));
}

static void
activate (Fixture    *f,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), action, NULL));
  g_assert_true (_sl_scene_view_is_animating (f->view));
  sl_test_spin_until (not_animating, f->view, "the zoom animation");
}

static void
test_zoom_actions (Fixture       *f,
                   gconstpointer  data)
{
  SlBounds footprint;
  double x, y;

  show_view (f, f->pattern_id);
  /* Fitted when first shown: the whole scene, centred. */
  g_assert_true (sl_tile_cache_get_footprint (f->cache, f->pattern_id, &footprint));
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_resolution (f->viewport), (double) SCENE_W / VIEW_W, 1e-9);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), MID_X, 1e-6);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_y (f->viewport), MID_Y, 1e-6);

  activate (f, "view.zoom-100");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_zoom (f->viewport), 1.0, 1e-9);
  activate (f, "view.zoom-in");
  activate (f, "view.zoom-in");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_zoom (f->viewport), 2.0, 1e-9);
  activate (f, "view.zoom-out");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_zoom (f->viewport), G_SQRT2, 1e-9);
  /* Zooming keeps the centre. */
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), MID_X, 1e-6);

  /* Arrows: Left shows what is west. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "view.pan", "(dd)", 96.0, 0.0));
  sl_test_spin_until (not_animating, f->view, "the zoom animation");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), MID_X - 96 / G_SQRT2, 1e-6);

  activate (f, "view.zoom-fit");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_resolution (f->viewport), (double) SCENE_W / VIEW_W, 1e-9);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_center_x (f->viewport), MID_X, 1e-6);

  /* The wheel zooms at the pointer: the site point under it stays under it. */
  _sl_scene_view_move_pointer (f->view, TRUE, 100, 80);
  g_assert_true (sl_scene_view_get_pointer (f->view, &x, &y));
  sl_viewport_zoom_at (f->viewport, 3.0, 100, 80, VIEW_W, VIEW_H);
  {
    double x2, y2;

    g_assert_true (sl_scene_view_get_pointer (f->view, &x2, &y2));
    g_assert_cmpfloat_with_epsilon (x2, x, 1e-6);
    g_assert_cmpfloat_with_epsilon (y2, y, 1e-6);
  }
  _sl_scene_view_move_pointer (f->view, FALSE, 0, 0);
  g_assert_false (sl_scene_view_get_pointer (f->view, &x, &y));
}

static SlTileKey
key_at (Fixture *f,
        double   col,
        double   row)
{
  SlSiteGrid *grid = sl_viewport_get_grid (f->viewport);
  int z = MIN (sl_viewport_get_level (f->viewport, 1), sl_tile_cache_get_native_zoom (f->cache, f->solid_id));
  double px, py;

  sl_site_grid_site_to_pixel (grid, z, 500000.0 + col, 6050000.0 - row, &px, &py);
  return sl_tile_cache_key (f->cache, f->solid_id, z, (int) floor (px / SL_TILE_SIZE), (int) floor (py / SL_TILE_SIZE));
}

static gboolean
tiles_loaded (gpointer data)
{
  Fixture *f = data;
  GArray *keys = g_object_get_data (G_OBJECT (f->view), "test-keys");
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (f->cache, &stats);
  for (guint i = 0; i < keys->len; i++)
    if (sl_tile_cache_lookup (f->cache, &g_array_index (keys, SlTileKey, i)) == NULL)
      return FALSE;
  return stats.queued == 0 && stats.running == 0;
}

/* Empties the memory tier and the pane, then loads only the solid scene's level-@z tiles. */
static void
load_only_level (Fixture *f,
                 int      z)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  SlBounds footprint;
  int x0, y0, x1, y1;

  sl_scene_view_set_scene_id (f->view, 0);
  g_assert_true (sl_tile_cache_clear (f->cache, f->solid_id, FALSE, NULL));
  g_assert_true (sl_tile_cache_get_footprint (f->cache, f->solid_id, &footprint));
  sl_site_grid_tile_range (sl_viewport_get_grid (f->viewport), z, &footprint, &x0, &y0, &x1, &y1);
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        SlTileKey key = sl_tile_cache_key (f->cache, f->solid_id, z, x, y);
        g_array_append_val (keys, key);
      }
  sl_tile_cache_want (f->cache, f, (SlTileKey *) keys->data, keys->len);
  g_object_set_data (G_OBJECT (f->view), "test-keys", keys);
  sl_test_spin_until (tiles_loaded, f, "the tiles");
  g_object_set_data (G_OBJECT (f->view), "test-keys", NULL);
  sl_tile_cache_forget_owner (f->cache, f);
}

static gboolean
near_colour (guint32 a, guint32 b, int tolerance)
{
  for (int shift = 0; shift < 32; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > tolerance)
      return FALSE;
  return TRUE;
}

static void
assert_solid_inside (Fixture      *f,
                     const SlTestPixels *shown)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->view));
  guint checked = 0;

  for (int y = 0; y < shown->height; y++)
    for (int x = 0; x < shown->width; x++)
      {
        double col, row;

        site_pixel_at (f, scale, x, y, &col, &row);
        if (col < 4 || row < 4 || col > SCENE_W - 4 || row > SCENE_H - 4)
          continue;
        /* Within JPEG's rounding: these tiles come back from the project's tile table. */
        if (!near_colour (sl_test_pixel (shown, x, y), argb (SOLID_R, SOLID_G, SOLID_B), 4))
          g_error ("Hole at %d, %d: %08x", x, y, sl_test_pixel (shown, x, y));
        checked++;
      }
  g_assert_cmpuint (checked, >, 1000);
}

/* Zooming in, the tiles of the new level are not loaded yet: the coarser ones stand in.
 * Zooming out, the finer ones do. Never a hole. */
static void
test_fallback (Fixture       *f,
               gconstpointer  data)
{
  g_auto(SlTestPixels) zoomed_in = { 0 };
  g_auto(SlTestPixels) zoomed_out = { 0 };
  SlTileKey fine, coarse;

  show_view (f, f->solid_id);
  set_view (f, 300, 200, 0.5);
  coarse = key_at (f, 300, 200);
  set_view (f, 300, 200, 1.0);
  fine = key_at (f, 300, 200);
  g_assert_cmpint (fine.z, ==, coarse.z + 1);

  /* Only the coarse level in memory; the snapshot comes before any frame asks for more. */
  load_only_level (f, coarse.z);
  sl_scene_view_set_scene_id (f->view, f->solid_id);
  g_assert_null (sl_tile_cache_lookup (f->cache, &fine));
  render_view (f, &zoomed_in);
  assert_solid_inside (f, &zoomed_in);

  /* Only the fine level, and the view zoomed out. */
  load_only_level (f, fine.z);
  set_view (f, 300, 200, 0.5);
  sl_scene_view_set_scene_id (f->view, f->solid_id);
  g_assert_null (sl_tile_cache_lookup (f->cache, &coarse));
  render_view (f, &zoomed_out);
  assert_solid_inside (f, &zoomed_out);

  /* And the view then loads its own level. */
  wait_settled (f);
  g_assert_nonnull (sl_tile_cache_lookup (f->cache, &coarse));
}

typedef struct
{
  guint  n_errors;
  char  *message;
} ErrorCount;

static void
on_tile_error (SlSceneView *view,
               GError      *error,
               ErrorCount  *count)
{
  count->n_errors++;
  g_free (count->message);
  count->message = g_strdup (error->message);
}

/* A source deleted since: its tiles are marked (not left as holes) and the reason is told
 * once, not once per tile. */
static void
test_failed_tiles (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *solid = g_build_filename (f->dir, "solid.tif", NULL);
  g_auto(SlTestPixels) shown = { 0 };
  g_auto(SlTestPixels) background = { 0 };
  ErrorCount count = { 0 };
  guint marked = 0;

  g_assert_cmpint (g_unlink (solid), ==, 0);
  show_view (f, f->pattern_id);
  g_signal_connect (f->view, "tile-error", G_CALLBACK (on_tile_error), &count);
  render_background (f, &background);

  sl_scene_view_set_scene_id (f->view, f->solid_id);
  set_view (f, 300, 200, 1.0);
  wait_settled (f);
  render_view (f, &shown);

  g_assert_cmpuint (count.n_errors, ==, 1);
  g_assert_nonnull (strstr (count.message, "solid.tif"));
  g_assert_cmpuint (sl_scene_view_get_pending_tiles (f->view), ==, 0);
  /* The whole view lies on the scene: every pixel is tinted red, none is the background or
   * the scene's colour. */
  for (int y = 0; y < VIEW_H; y++)
    for (int x = 0; x < VIEW_W; x++)
      {
        guint32 p = sl_test_pixel (&shown, x, y);
        int red = (p >> 16) & 0xff, green = (p >> 8) & 0xff;

        g_assert_cmphex (p, !=, argb (SOLID_R, SOLID_G, SOLID_B));
        g_assert_cmphex (p, !=, sl_test_pixel (&background, x, y));
        if (red - green > 10)
          marked++;
      }
  g_assert_cmpuint (marked, ==, VIEW_W * VIEW_H);
  g_free (count.message);
}

/* The project window: the latest scene in a pane, the sidebar picks another, the status
 * line tells where the pointer is. */
static void
test_window_pane (Fixture       *f,
                  gconstpointer  data)
{
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));
  SlSceneView *view = _sl_window_get_scene_view (window);
  SlStatusBar *status = _sl_window_get_status_bar (window);
  SlViewport *viewport = sl_scene_view_get_viewport (view);
  g_autofree char *expected_lat_lon = NULL;

  sl_window_set_project (window, f->project);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_nonnull (sl_scene_view_get_cache (view));
  g_assert_cmpstr (_sl_window_get_content_page (window), ==, "scene");
  g_assert_cmpint (sl_scene_view_get_scene_id (view), ==, f->solid_id);

  sl_scene_list_set_selected_scene_id (_sl_window_get_scene_list (window), f->pattern_id);
  g_assert_cmpint (sl_scene_view_get_scene_id (view), ==, f->pattern_id);
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!_sl_scene_view_is_settled (view))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, FALSE);
      }
  }

  /* The header bar's zoom buttons act on the pane. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "view.zoom-100", NULL));
  sl_test_spin_until (not_animating, view, "the zoom animation");
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_zoom (viewport), 1.0, 1e-9);
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_ZOOM), ==, "100 %");
  /* 1 m per pixel at 96 dpi. */
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_SCALE), ==, "1:3780");

  /* The pointer over scene pixel (123, 45). */
  sl_viewport_set_center (viewport, 500000.0 + 123.5, 6050000.0 - 45.5);
  _sl_scene_view_move_pointer (view, TRUE,
                               gtk_widget_get_width (GTK_WIDGET (view)) / 2.0,
                               gtk_widget_get_height (GTK_WIDGET (view)) / 2.0);
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_PIXEL), ==, "Pixel 123, 45");
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_MAP), ==, "500123.5, 6049954.5 (UTM 36N)");
  {
    OGRSpatialReferenceH utm = OSRNewSpatialReference (NULL), wgs84 = OSRNewSpatialReference (NULL);
    OGRCoordinateTransformationH ct;
    double lon = 500123.5, lat = 6049954.5;

    OSRImportFromEPSG (utm, 32636);
    OSRImportFromEPSG (wgs84, 4326);
    OSRSetAxisMappingStrategy (utm, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation (utm, wgs84);
    g_assert_true (OCTTransform (ct, 1, &lon, &lat, NULL));
    /* UTM 36N's central meridian is 33° E. */
    g_assert_cmpfloat (fabs (lon - 33.0), <, 0.01);
    expected_lat_lon = g_strdup_printf ("%.5f° N, %.5f° E", lat, lon);
    OCTDestroyCoordinateTransformation (ct);
    OSRDestroySpatialReference (utm);
    OSRDestroySpatialReference (wgs84);
  }
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_LATLON), ==, expected_lat_lon);

  /* Outside the scene: no scene pixel. */
  sl_viewport_set_center (viewport, 500000.0 - 50, 6050000.0 + 50);
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_PIXEL), ==, "Pixel —");
  _sl_scene_view_move_pointer (view, FALSE, 0, 0);
  g_assert_cmpstr (_sl_status_bar_get_text (status, SL_STATUS_FIELD_MAP), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* GDK_SCALE=2: the pane snaps to device pixels and still matches the CLI. */
static void
test_scale_2_subprocess (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(SlTestPixels) background = { 0 };
  g_auto(SlTestPixels) shown = { 0 };
  g_auto(SlTestPixels) cli = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_skip ("Run by /scene-view/scale-2 with GDK_SCALE=2");
      return;
    }
  show_view (f, f->pattern_id);
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (f->view)), ==, 2);
  render_background (f, &background);

  set_view (f, 177.3, 321.4, 1.0);
  wait_settled (f);
  render_view (f, &shown);
  render_cli (f, &background, &cli);
  assert_same_pixels (&shown, &cli, SAME_MAGNIFIED);
  sl_test_pixels_clear (&shown);
  sl_test_pixels_clear (&cli);

  set_view (f, 300.3, 200.6, 2.37);
  wait_settled (f);
  render_view (f, &shown);
  render_cli (f, &background, &cli);
  assert_same_pixels (&shown, &cli, SAME_MAGNIFIED);

  sl_scene_view_set_scene_id (f->view, f->solid_id);
  wait_settled (f);
  check_no_seams (f);
}

static void
test_scale_2 (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("No display");
      return;
    }
  g_setenv ("GDK_SCALE", "2", TRUE);
  g_test_trap_subprocess ("/scene-view/scale-2/subprocess", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GDK_SCALE");
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/scene-view/pixels-at-100", test_pixels_at_100);
  ADD ("/scene-view/sharp-magnified", test_sharp_magnified);
  ADD ("/scene-view/same-as-cli", test_same_as_cli);
  ADD ("/scene-view/no-seams", test_no_seams);
  ADD ("/scene-view/pan-moves-content", test_pan_moves_content);
  ADD ("/scene-view/zoom-actions", test_zoom_actions);
  ADD ("/scene-view/fallback", test_fallback);
  ADD ("/scene-view/failed-tiles", test_failed_tiles);
  ADD ("/scene-view/window-pane", test_window_pane);
  ADD ("/scene-view/scale-2/subprocess", test_scale_2_subprocess);
#undef ADD
  g_test_add_func ("/scene-view/scale-2", test_scale_2);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
