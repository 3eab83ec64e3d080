/* test-screenshot.c — `sitelapse --screenshot`: the real program renders a project's window
 *
 * Two solid-colour GeoTIFFs of one site; the program is run as a user would run it (under the
 * test's X display) and the PNG it writes is read back: a swipe at 0.5 shows colour A on the
 * left of the pane and B on the right, in equal parts. Bad command lines and files give a
 * message naming the problem and a non-zero exit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-screenshot"

#include "config.h"

#include <cairo.h>
#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"

#define SIDE 512

static const guint8 colour_a[3] = { 200, 60, 30 };
static const guint8 colour_b[3] = { 40, 120, 220 };

/* The system's data folders, before G_TEST_OPTION_ISOLATE_DIRS hides them: the program needs
 * the MIME database there to load its SVG icons. */
static char *system_data_dirs;

static const char *
app_path (void)
{
  const char *app = g_getenv ("SL_APP");

  g_assert_nonnull (app);
  g_setenv ("XDG_DATA_DIRS", system_data_dirs, TRUE);
  return app;
}

static void
write_solid (const char   *path,
             const guint8  rgb[3],
             const char   *datetime)
{
  g_autofree guint8 *bands = g_malloc ((gsize) SIDE * SIDE * 3);
  double gt[6] = { 500000, 1, 0, 6050000, 0, -1 };
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;
  GDALDatasetH ds;

  for (int b = 0; b < 3; b++)
    memset (bands + (gsize) b * SIDE * SIDE, rgb[b], (gsize) SIDE * SIDE);
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, SIDE, SIDE, 3, GDT_Byte, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Write, 0, 0, SIDE, SIDE, bands, SIDE, SIDE, GDT_Byte, 3, NULL,
                                        0, 0, 0), ==, CE_None);
  g_assert_cmpint (OSRImportFromEPSG (srs, 32636), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, gt);
  GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", datetime, NULL);
  GDALClose (ds);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
}

static char *
make_project (const char *dir)
{
  char *path = g_build_filename (dir, "site.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (path, "Screenshot Site", &error);
  const char * const names[2] = { "a.tif", "b.tif" };

  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *image = g_build_filename (dir, names[i], NULL);
      g_autoptr(SlScene) probed = NULL;
      g_autoptr(SlScene) stored = NULL;

      write_solid (image, i == 0 ? colour_a : colour_b, i == 0 ? "2022:01:18 09:30:00" : "2022:02:21 08:52:00");
      probed = sl_scene_probe (image, &error);
      g_assert_no_error (error);
      stored = sl_project_add_scene (project, probed, &error);
      g_assert_no_error (error);
    }
  sl_project_close (project);
  return path;
}

static gboolean
is_colour (const guint8 *p,
           const guint8  rgb[3])
{
  guint32 v;

  memcpy (&v, p, 4);
  return v == (0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2]);
}

static void
test_swipe (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *project = make_project (dir);
  g_autofree char *png = g_build_filename (dir, "swipe.png", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  cairo_surface_t *surface;
  const guint8 *data;
  int width, height, stride, status;
  int last_a = -1, first_b = -1, n_a = 0, n_b = 0;

  status = sl_test_run (&out, &err, app_path (), "--screenshot", png, "--mode", "swipe", "--dates", "2022-01-18,2022-02-21",
                        "--swipe", "0.5", "--zoom", "1", "--size", "900x700", project, NULL);
  if (status != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (status, ==, 0);

  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  /* About the size asked for (the window manager and the screen may take a little). */
  g_assert_cmpint (width, >=, 800);
  g_assert_cmpint (height, >=, 600);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  /* A row through the middle of the pane (below its labels): A, then B. */
  for (int x = 0; x < width; x++)
    {
      const guint8 *p = data + (gsize) (height * 2 / 3) * stride + (gsize) x * 4;

      if (is_colour (p, colour_a))
        {
          g_assert_cmpint (first_b, ==, -1);
          last_a = x;
          n_a++;
        }
      else if (is_colour (p, colour_b))
        {
          if (first_b < 0)
            first_b = x;
          n_b++;
        }
    }
  g_assert_cmpint (n_a, >, 150);
  g_assert_cmpint (n_b, >, 150);
  g_assert_cmpint (last_a, <, first_b);
  /* The divider in the middle: as much of each date, give or take the line and the handle. */
  g_assert_cmpint (ABS (n_a - n_b), <=, 8);

  cairo_surface_destroy (surface);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_errors (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *project = make_project (dir);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "nowhere.sitelapse.gpkg", NULL);
  struct {
    const char *args[4];
    int         status;
    const char *message;
  } cases[] = {
    { { "--mode", "teleport", NULL }, 2, "Unknown mode ‘teleport’" },
    { { "--swipe", "1.5", NULL }, 2, "--swipe" },
    { { "--size", "10x10", NULL }, 2, "--size" },
    { { "--center", "abc", NULL }, 2, "--center" },
    { { "--dates", "1999-01-01", NULL }, 1, "No scene of the project matches the date ‘1999-01-01’" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      int status = sl_test_run (NULL, &err, app_path (), "--screenshot", png, cases[i].args[0], cases[i].args[1],
                                project, NULL);

      g_assert_cmpint (status, ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].message));
      g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
    }

  /* A project that is not there: its name in the message. */
  {
    g_autofree char *err = NULL;
    int status = sl_test_run (NULL, &err, app_path (), "--screenshot", png, missing, NULL);

    g_assert_cmpint (status, ==, 1);
    g_assert_nonnull (strstr (err, "nowhere.sitelapse.gpkg"));
  }
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int   argc,
      char *argv[])
{
  system_data_dirs = g_strjoinv (":", (char **) g_get_system_data_dirs ());
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The program renders with cairo, as the other GUI tests do: pixel-exact, and no Mesa GL
   * threads (which deadlock under ASan's unwinder). */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  sl_core_init ();

  g_test_add_func ("/screenshot/swipe", test_swipe);
  g_test_add_func ("/screenshot/errors", test_errors);
  return g_test_run ();
}
