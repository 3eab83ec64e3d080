/* test-compare-view.c — the comparison modes, pixel by pixel, on real projects
 *
 * Four solid-colour GeoTIFFs of one site (written here with GDAL), each with a white marker
 * square at the same ground position; the last covers only the western half. The compare
 * view is rendered offscreen as the window draws it and checked pixel by pixel: swipe gives
 * exactly A on one side and B on the other, blend the mean, difference |A − B| × gain, the
 * grid four labelled dates; a pan of one grid pane moves every pane by the same ground
 * distance; where a date has no data its pane's neutral ground shows, never another date.
 * Run at scale factor 1 and, in a subprocess, 2.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-compare-view"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include "sl-compare-view-private.h"
#include "sl-core.h"
#include "sl-scene-view-private.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define SCENE_W 600
#define SCENE_H 400
#define VIEW_W  400
#define VIEW_H  300
#define ORIGIN_X 500000.0
#define ORIGIN_Y 6050000.0
/* The marker: scene columns and rows 20–39, outside the view of the pixel tests. */
#define MARK_0 20
#define MARK_1 40
/* Labels sit in the top rows; the pixel checks stay below them. */
#define LABEL_ROWS 70

static SlApplication *app;

static const guint8 colours[4][3] = {
  { 200, 60, 30 },    /* A */
  { 40, 120, 220 },   /* B */
  { 90, 180, 60 },    /* C */
  { 230, 200, 40 },   /* D: the western half only */
};

typedef struct
{
  char          *dir;
  SlProject     *project;
  gint64         ids[4];
  SlTileCache   *cache;
  SlViewport    *viewport;
  GListStore    *scenes;
  GtkWindow     *window;
  SlCompareView *view;
} Fixture;

static char *
write_scene (const char   *dir,
             guint         index,
             const char   *datetime,
             int           width)
{
  g_autofree char *name = g_strdup_printf ("scene-%u.tif", index);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *bands = g_malloc ((gsize) width * SCENE_H * 3);
  double gt[6] = { ORIGIN_X, 1, 0, ORIGIN_Y, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds;

  for (int row = 0; row < SCENE_H; row++)
    for (int col = 0; col < width; col++)
      {
        gboolean mark = col >= MARK_0 && col < MARK_1 && row >= MARK_0 && row < MARK_1;

        for (int b = 0; b < 3; b++)
          bands[(gsize) b * width * SCENE_H + (gsize) row * width + col] = mark ? 255 : colours[index][b];
      }

  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, width, SCENE_H, 3, GDT_Byte, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, width, SCENE_H, bands, width, SCENE_H,
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

static void
make_project (Fixture *f)
{
  static const char * const dates[4] = {
    "2022:01:18 09:30:00", "2022:02:21 08:52:00", "2022:03:02 09:10:00", "2022:04:11 08:40:00",
  };
  g_autofree char *project_path = g_build_filename (f->dir, "site.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;

  f->project = sl_project_create (project_path, "Compare Site", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *path = write_scene (f->dir, i, dates[i], i == 3 ? SCENE_W / 2 : SCENE_W);
      g_autoptr(SlScene) probed = sl_scene_probe (path, &error);
      g_autoptr(SlScene) stored = NULL;

      g_assert_no_error (error);
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
      f->ids[i] = sl_scene_get_id (stored);
    }
}

static gboolean
view_is_settled (gpointer data)
{
  Fixture *f = data;
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (f->cache, &stats);
  return gtk_widget_get_width (GTK_WIDGET (f->view)) == VIEW_W && sl_compare_view_is_settled (f->view) &&
         stats.queued == 0 && stats.running == 0;
}

static void
wait_frame (Fixture *f)
{
  sl_test_wait_frame (GTK_WIDGET (f->view));
}

static void
wait_settled (Fixture *f)
{
  /* A frame may ask for more once it has drawn: settle, draw, settle. */
  sl_test_spin_until (view_is_settled, f, "the compare view's tiles");
  wait_frame (f);
  sl_test_spin_until (view_is_settled, f, "the compare view's tiles");
  wait_frame (f);
}

/* The compare view as the window draws it, at its scale factor. */
static void
render_view (Fixture      *f,
             SlTestPixels *out)
{
  static guint n;
  g_autofree char *name = g_strdup_printf ("compare-%02u.png", n++);

  sl_test_render_widget (GTK_WIDGET (f->view), out, name);
}

/* A state on the site's middle at 100 %. */
static void
set_state (Fixture        *f,
           SlCompareState *state)
{
  state->has_view = TRUE;
  state->center_x = ORIGIN_X + SCENE_W / 2.0;
  state->center_y = ORIGIN_Y - SCENE_H / 2.0;
  state->resolution = 1.0;
  sl_compare_view_set_state (f->view, state);
  wait_settled (f);
}

static void
show_view (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSiteGrid) grid = sl_project_dup_site_grid (f->project);
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (f->project, &error);
  SlCompareState state;

  g_assert_no_error (error);
  f->cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_assert_no_error (error);
  f->viewport = sl_viewport_new ();
  sl_viewport_set_grid (f->viewport, grid);
  f->scenes = g_list_store_new (SL_TYPE_SCENE);
  for (guint i = 0; i < scenes->len; i++)
    g_list_store_append (f->scenes, scenes->pdata[i]);

  f->view = SL_COMPARE_VIEW (sl_compare_view_new ());
  sl_compare_view_set_viewport (f->view, f->viewport);
  sl_compare_view_set_cache (f->view, f->cache);
  sl_compare_view_set_scenes (f->view, G_LIST_MODEL (f->scenes));

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_resizable (f->window, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (f->view), VIEW_W, VIEW_H);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);

  sl_compare_state_init (&state);
  state.current = f->ids[1];
  set_state (f, &state);
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
  g_clear_object (&f->scenes);
  g_clear_object (&f->cache);
  g_clear_object (&f->viewport);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
}

static guint32
argb (const guint8 rgb[3])
{
  return 0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
}

static gboolean
near_colour (guint32 p,
             int     r,
             int     g,
             int     b,
             int     tolerance)
{
  return (p >> 24) == 0xff && ABS ((int) ((p >> 16) & 0xff) - r) <= tolerance &&
         ABS ((int) ((p >> 8) & 0xff) - g) <= tolerance && ABS ((int) (p & 0xff) - b) <= tolerance;
}

/* Every device pixel of the logical rectangle [x0, x1) × [y0, y1) is @expected (± tolerance). */
static void
assert_region (const SlTestPixels *p,
               int           x0,
               int           y0,
               int           x1,
               int           y1,
               int           r,
               int           g,
               int           b,
               int           tolerance,
               const char   *what)
{
  for (int y = y0 * p->scale; y < y1 * p->scale; y++)
    for (int x = x0 * p->scale; x < x1 * p->scale; x++)
      {
        guint32 v = sl_test_pixel (p, x, y);

        if (!near_colour (v, r, g, b, tolerance))
          g_error ("%s: device pixel %d,%d is %08x, not %02x%02x%02x (scale %d)", what, x, y, v, r, g, b, p->scale);
      }
}

static void
assert_region_rgb (const SlTestPixels *p,
                   int x0, int y0, int x1, int y1,
                   const guint8 rgb[3],
                   const char   *what)
{
  /* ± 3: a tile shown from the project file is JPEG (a flat colour comes back within 2 levels);
   * one still in memory is exact. Which one a pane shows depends on timing (a background
   * pyramid job may have stored it first). Blend and difference combine two such tiles. */
  assert_region (p, x0, y0, x1, y1, rgb[0], rgb[1], rgb[2], 3, what);
}

/* --- the modes --- */

static void
check_swipe (Fixture *f)
{
  g_auto(SlTestPixels) shown = { 0 };
  SlCompareState state;
  int d;

  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_SWIPE;
  state.current = f->ids[1];
  state.swipe = 0.5;
  set_state (f, &state);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 0), ==, f->ids[0]);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 1), ==, f->ids[1]);
  render_view (f, &shown);
  d = VIEW_W / 2;
  /* Exactly A up to the divider line (and its handle), exactly B after it. */
  assert_region_rgb (&shown, 0, LABEL_ROWS, d - 20, VIEW_H, colours[0], "swipe, left of the divider");
  assert_region_rgb (&shown, 0, LABEL_ROWS, d - 3, 120, colours[0], "swipe, up to the line");
  assert_region_rgb (&shown, d + 3, LABEL_ROWS, d + 20, 120, colours[1], "swipe, from the line");
  assert_region_rgb (&shown, d + 20, LABEL_ROWS, VIEW_W, VIEW_H, colours[1], "swipe, right of the divider");
  /* The divider's line is white. */
  assert_region (&shown, d, LABEL_ROWS, d + 1, 100, 255, 255, 255, 0, "the divider");

  /* Horizontal: A above, B below. */
  state.swipe_horizontal = TRUE;
  state.swipe = 0.6;
  set_state (f, &state);
  render_view (f, &shown);
  d = (int) (VIEW_H * 0.6);
  assert_region_rgb (&shown, 0, LABEL_ROWS, 150, d - 3, colours[0], "horizontal swipe, above");
  /* B's label sits on the left, below the divider. */
  assert_region_rgb (&shown, 220, d + 3, VIEW_W, VIEW_H, colours[1], "horizontal swipe, below");

  /* X swaps the dates. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.swap-dates", NULL);
  wait_settled (f);
  render_view (f, &shown);
  assert_region_rgb (&shown, 0, LABEL_ROWS, 150, d - 3, colours[1], "swapped, above");
  assert_region_rgb (&shown, 220, d + 3, VIEW_W, VIEW_H, colours[0], "swapped, below");
}

static void
check_blend_and_difference (Fixture *f)
{
  g_auto(SlTestPixels) shown = { 0 };
  SlCompareState state;

  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_BLEND;
  state.current = f->ids[1];
  state.opacity = 0.5;
  set_state (f, &state);
  render_view (f, &shown);
  assert_region (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H,
                 (colours[0][0] + colours[1][0]) / 2, (colours[0][1] + colours[1][1]) / 2,
                 (colours[0][2] + colours[1][2]) / 2, 3, "blend at 0.5");

  state.mode = SL_COMPARE_DIFFERENCE;
  state.gain = 1;
  set_state (f, &state);
  render_view (f, &shown);
  assert_region (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H,
                 ABS (colours[0][0] - colours[1][0]), ABS (colours[0][1] - colours[1][1]),
                 ABS (colours[0][2] - colours[1][2]), 4, "difference");

  /* A gain multiplies it (and saturates). */
  state.gain = 2;
  set_state (f, &state);
  render_view (f, &shown);
  assert_region (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H,
                 MIN (255, 2 * ABS (colours[0][0] - colours[1][0])), MIN (255, 2 * ABS (colours[0][1] - colours[1][1])),
                 MIN (255, 2 * ABS (colours[0][2] - colours[1][2])), 8, "difference × 2");

  /* Blink shows one date at a time; holding B shows B. */
  state.mode = SL_COMPARE_BLINK;
  state.blink_hz = 0.25;
  set_state (f, &state);
  render_view (f, &shown);
  assert_region_rgb (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H, colours[0], "blink, first");
  sl_compare_view_hold_b (f->view, TRUE);
  wait_frame (f);
  render_view (f, &shown);
  assert_region_rgb (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H, colours[1], "B held");
  sl_compare_view_hold_b (f->view, FALSE);
  wait_frame (f);
  render_view (f, &shown);
  assert_region_rgb (&shown, 0, LABEL_ROWS, VIEW_W, VIEW_H, colours[0], "B released");
}

static void
check_grid (Fixture *f)
{
  g_auto(SlTestPixels) shown = { 0 };
  SlCompareState state;
  static const char * const dates[4] = { "18 Jan 2022", "21 Feb 2022", "2 Mar 2022", "11 Apr 2022" };

  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_GRID;
  state.grid_count = 4;
  state.current = f->ids[3];
  /* Pane 3 shows the western half: look at the west. */
  set_state (f, &state);
  sl_viewport_set_center (f->viewport, ORIGIN_X + 150, ORIGIN_Y - 200);
  wait_settled (f);
  render_view (f, &shown);

  for (guint i = 0; i < 4; i++)
    {
      int cw = (VIEW_W - SL_COMPARE_GRID_GAP) / 2, ch = (VIEW_H - SL_COMPARE_GRID_GAP) / 2;
      int x0 = (int) (i % 2) * (cw + SL_COMPARE_GRID_GAP), y0 = (int) (i / 2) * (ch + SL_COMPARE_GRID_GAP);
      g_autofree char *what = g_strdup_printf ("grid pane %u", i);

      g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, i), ==, f->ids[i]);
      g_assert_cmpstr (_sl_compare_view_get_label (f->view, i), ==, dates[i]);
      /* The middle of each cell, below its label. */
      assert_region_rgb (&shown, x0 + cw / 4, y0 + ch / 2, x0 + 3 * cw / 4, y0 + ch - 4, colours[i], what);
    }
}

/* Where B has no data its pane's neutral ground shows, not A. */
static void
check_no_data (Fixture *f)
{
  g_auto(SlTestPixels) shown = { 0 };
  g_auto(SlTestPixels) ground = { 0 };
  SlCompareState state;
  guint32 neutral;

  /* The ground: a view west of every scene. */
  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_SINGLE;
  state.current = f->ids[0];
  set_state (f, &state);
  sl_viewport_set_center (f->viewport, ORIGIN_X - 1000, ORIGIN_Y - 200);
  wait_settled (f);
  render_view (f, &ground);
  neutral = sl_test_pixel (&ground, ground.width / 2, ground.height - 2);
  g_assert_true (neutral != argb (colours[0]));

  /* Swipe A | D at 0.25: D covers the site's western half (widget x < 50 at this view). */
  state.mode = SL_COMPARE_SWIPE;
  state.current = f->ids[3];
  state.pair[0] = (SlPaneBinding) { f->ids[0], -1 };
  state.swipe = 0.25;
  set_state (f, &state);
  render_view (f, &shown);
  assert_region_rgb (&shown, 0, LABEL_ROWS, 80, VIEW_H, colours[0], "A left of the divider");
  assert_region_rgb (&shown, 120, LABEL_ROWS, 200, VIEW_H, colours[3], "D where it has data");
  /* (The ground may be translucent: the window's background is under it.) */
  for (int y = LABEL_ROWS * shown.scale; y < shown.height; y++)
    for (int x = 230 * shown.scale; x < shown.width; x++)
      if (sl_test_pixel (&shown, x, y) != neutral)
        g_error ("no data: device pixel %d,%d is %08x, not the ground %08x", x, y, sl_test_pixel (&shown, x, y), neutral);
}

static void
test_modes (Fixture       *f,
            gconstpointer  data)
{
  show_view (f);
  check_swipe (f);
  check_blend_and_difference (f);
  check_grid (f);
  check_no_data (f);
}

/* The marker's centre in a logical rectangle of the rendering (mean of white pixels). */
static gboolean
find_marker (const SlTestPixels *p,
             int           x0,
             int           y0,
             int           x1,
             int           y1,
             double       *mx,
             double       *my)
{
  double sx = 0, sy = 0;
  guint n = 0;

  for (int y = y0 * p->scale; y < y1 * p->scale; y++)
    for (int x = x0 * p->scale; x < x1 * p->scale; x++)
      if (near_colour (sl_test_pixel (p, x, y), 255, 255, 255, 12))
        {
          sx += x;
          sy += y;
          n++;
        }
  if (n < 16)
    return FALSE;
  *mx = sx / n / p->scale;
  *my = sy / n / p->scale;
  return TRUE;
}

/* Panning one pane of a grid moves every pane by the same ground distance. */
static void
test_grid_pan (Fixture       *f,
               gconstpointer  data)
{
  g_auto(SlTestPixels) before = { 0 };
  g_auto(SlTestPixels) after = { 0 };
  SlCompareState state;
  int cw = (VIEW_W - SL_COMPARE_GRID_GAP) / 2, ch = (VIEW_H - SL_COMPARE_GRID_GAP) / 2;
  double cx0, cy0;

  show_view (f);
  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_GRID;
  state.grid_count = 4;
  state.current = f->ids[3];
  set_state (f, &state);
  /* The marker near the middle of each cell. */
  sl_viewport_set_center (f->viewport, ORIGIN_X + 40, ORIGIN_Y - 20);
  wait_settled (f);
  render_view (f, &before);
  cx0 = sl_viewport_get_center_x (f->viewport);
  cy0 = sl_viewport_get_center_y (f->viewport);

  /* Pan the last pane with its own action: 37 px right, 23 px down. */
  gtk_widget_activate_action (GTK_WIDGET (sl_compare_view_get_pane (f->view, 3)), "view.pan", "(dd)", 37.0, 23.0);
  wait_settled (f);
  render_view (f, &after);
  g_assert_cmpfloat (fabs (sl_viewport_get_center_x (f->viewport) - cx0), >, 1);
  g_assert_cmpfloat (fabs (sl_viewport_get_center_y (f->viewport) - cy0), >, 1);

  for (guint i = 0; i < 4; i++)
    {
      int x0 = (int) (i % 2) * (cw + SL_COMPARE_GRID_GAP), y0 = (int) (i / 2) * (ch + SL_COMPARE_GRID_GAP);
      double bx, by, ax, ay;

      g_assert_true (find_marker (&before, x0, y0, x0 + cw, y0 + ch, &bx, &by));
      g_assert_true (find_marker (&after, x0, y0, x0 + cw, y0 + ch, &ax, &ay));
      g_assert_cmpfloat_with_epsilon (ax - bx, 37.0, 0.5);
      g_assert_cmpfloat_with_epsilon (ay - by, 23.0, 0.5);
    }
}

/* Stepping through dates, cycling modes, the divider keys, playback. */
static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *w;
  SlCompareState state;

  show_view (f);
  w = GTK_WIDGET (f->view);
  g_assert_cmpint (sl_compare_view_get_current (f->view), ==, f->ids[1]);
  gtk_widget_activate_action (w, "compare.next-date", NULL);
  g_assert_cmpint (sl_compare_view_get_current (f->view), ==, f->ids[2]);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 0), ==, f->ids[2]);
  gtk_widget_activate_action (w, "compare.next-date", NULL);
  gtk_widget_activate_action (w, "compare.next-date", NULL);
  g_assert_cmpint (sl_compare_view_get_current (f->view), ==, f->ids[3]);
  gtk_widget_activate_action (w, "compare.previous-date", NULL);
  g_assert_cmpint (sl_compare_view_get_current (f->view), ==, f->ids[2]);

  for (guint i = 1; i <= SL_COMPARE_N_MODES; i++)
    {
      gtk_widget_activate_action (w, "compare.cycle-mode", NULL);
      g_assert_cmpint (sl_compare_view_get_mode (f->view), ==, i % SL_COMPARE_N_MODES);
    }
  gtk_widget_activate_action (w, "compare.mode", "s", "swipe");
  g_assert_cmpint (sl_compare_view_get_mode (f->view), ==, SL_COMPARE_SWIPE);
  g_assert_cmpint (sl_compare_view_get_secondary (f->view), ==, f->ids[1]);
  gtk_widget_activate_action (w, "compare.divider-right", NULL);
  sl_compare_view_get_state (f->view, &state);
  g_assert_cmpfloat_with_epsilon (state.swipe, 0.55, 1e-9);
  gtk_widget_activate_action (w, "compare.toggle-orientation", NULL);
  sl_compare_view_get_state (f->view, &state);
  g_assert_true (state.swipe_horizontal);

  /* The pane menu: a swipe's side, a grid's cell; pinning a pane keeps it on its date. */
  g_assert_cmpint (_sl_compare_view_pane_at (f->view, VIEW_W - 10, 10), ==, 0);   /* above a horizontal divider */
  g_assert_cmpint (_sl_compare_view_pane_at (f->view, 10, VIEW_H - 10), ==, 1);
  sl_compare_view_set_mode (f->view, SL_COMPARE_GRID);
  sl_compare_view_set_grid_count (f->view, 4);
  wait_settled (f);
  g_assert_cmpint (_sl_compare_view_pane_at (f->view, VIEW_W - 10, 10), ==, 1);
  g_assert_cmpint (_sl_compare_view_pane_at (f->view, 10, VIEW_H - 10), ==, 2);
  {
    g_autoptr(GMenuModel) menu = _sl_compare_view_build_pane_menu (f->view, VIEW_W - 10, 10);
    g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);

    g_assert_cmpint (g_menu_model_get_n_items (section), ==, 1 + 4);
  }
  gtk_widget_activate_action (w, "compare.pin-pane", "(ux)", 1, f->ids[3]);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 1), ==, f->ids[3]);
  gtk_widget_activate_action (w, "compare.previous-date", NULL);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 1), ==, f->ids[3]);
  gtk_widget_activate_action (w, "compare.pin-pane", "(ux)", 1, (gint64) 0);
  g_assert_cmpint (sl_compare_view_get_pane_scene (f->view, 1), !=, f->ids[3]);
  sl_compare_view_set_mode (f->view, SL_COMPARE_SWIPE);

  /* Playback steps the current date on a timer and wraps around. */
  state.play_fps = 30;
  state.has_view = FALSE;
  sl_compare_view_set_state (f->view, &state);
  sl_compare_view_set_playing (f->view, TRUE);
  {
    gint64 start = sl_compare_view_get_current (f->view);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (sl_compare_view_get_current (f->view) == start && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (sl_compare_view_get_current (f->view), !=, start);
  }
  sl_compare_view_set_playing (f->view, FALSE);
  g_assert_false (sl_compare_view_get_playing (f->view));
}

/* The window saves the comparison in the project; a new window shows it again. */
static void
test_window_restores (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));
  SlCompareView *view;
  SlCompareState state;
  g_autofree char *path = g_strdup (sl_project_get_path (f->project));

  sl_window_set_project (window, f->project);
  gtk_window_present (GTK_WINDOW (window));
  view = _sl_window_get_compare_view (window);
  sl_compare_view_set_mode (view, SL_COMPARE_SWIPE);
  sl_compare_view_set_current (view, f->ids[2]);
  sl_compare_view_set_swipe (view, 0.3);
  g_assert_cmpint (sl_compare_view_get_secondary (view), ==, f->ids[1]);
  /* The sidebar and the timeline follow the current date. */
  g_assert_cmpint (sl_scene_list_get_selected_scene_id (_sl_window_get_scene_list (window)), ==, f->ids[2]);
  g_assert_cmpint (sl_timeline_get_current (_sl_window_get_timeline (window)), ==, f->ids[2]);
  g_assert_cmpint (sl_timeline_get_secondary (_sl_window_get_timeline (window)), ==, f->ids[1]);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  sl_project_close (f->project);
  g_clear_object (&f->project);

  f->project = sl_project_open (path, &error);
  g_assert_no_error (error);
  window = sl_window_new (GTK_APPLICATION (app));
  sl_window_set_project (window, f->project);
  gtk_window_present (GTK_WINDOW (window));
  view = _sl_window_get_compare_view (window);
  sl_compare_view_get_state (view, &state);
  g_assert_cmpint (state.mode, ==, SL_COMPARE_SWIPE);
  g_assert_cmpint (state.current, ==, f->ids[2]);
  g_assert_cmpfloat (state.swipe, ==, 0.3);
  g_assert_cmpint (sl_compare_view_get_pane_scene (view, 0), ==, f->ids[1]);
  g_assert_cmpint (sl_scene_list_get_selected_scene_id (_sl_window_get_scene_list (window)), ==, f->ids[2]);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_scale_2_subprocess (Fixture       *f,
                         gconstpointer  data)
{
  if (!g_test_subprocess ())
    {
      g_test_skip ("Run by /compare-view/scale-2 with GDK_SCALE=2");
      return;
    }
  show_view (f);
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (f->view)), ==, 2);
  check_swipe (f);
  check_blend_and_difference (f);
  check_grid (f);
  check_no_data (f);
}

static void
test_scale_2 (void)
{
  g_setenv ("GDK_SCALE", "2", TRUE);
  g_test_trap_subprocess ("/compare-view/scale-2/subprocess", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
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
  ADD ("/compare-view/modes", test_modes);
  ADD ("/compare-view/grid-pan", test_grid_pan);
  ADD ("/compare-view/actions", test_actions);
  ADD ("/compare-view/window-restores", test_window_restores);
  ADD ("/compare-view/scale-2/subprocess", test_scale_2_subprocess);
#undef ADD
  g_test_add_func ("/compare-view/scale-2", test_scale_2);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
