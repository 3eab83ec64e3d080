/* test-composer.c — publication graphics: layout, labels, scale, formats, bad input, presets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <gif_lib.h>

#include <cairo.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <cpl_conv.h>
#include <ogr_srs_api.h>

#include "sl-composer.h"
#include "sl-core.h"
#include "sl-export-presets.h"
#include "sl-test-util.h"

#define CREDIT "Satellite image ©2022 Maxar Technologies"

typedef struct
{
  char        *dir;
  SlProject   *project;
  SlTileCache *cache;
  gint64       a, b;
} Fixture;

/* A solid-colour 3-band GeoTIFF, 500 × 500 pixels of 2 m (1 km square), WGS 84 / UTM 36N,
 * west of the zone's central meridian (so true north is not grid north). */
static void
write_solid (const char *path, const guint8 rgb[3], gboolean georeferenced)
{
  GDALDriverH driver = GDALGetDriverByName ("GTiff");
  GDALDatasetH ds = GDALCreate (driver, path, 500, 500, 3, GDT_Byte, NULL);
  g_autofree guint8 *row = g_malloc (500);

  g_assert_nonnull (ds);
  if (georeferenced)
    {
      double gt[6] = { 300000, 2, 0, 6000000, 0, -2 };
      OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
      char *wkt = NULL;

      OSRImportFromEPSG (srs, 32636);
      OSRExportToWkt (srs, &wkt);
      GDALSetProjection (ds, wkt);
      GDALSetGeoTransform (ds, gt);
      CPLFree (wkt);
      OSRDestroySpatialReference (srs);
    }
  for (int b = 0; b < 3; b++)
    {
      memset (row, rgb[b], 500);
      for (int y = 0; y < 500; y++)
        g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, b + 1), GF_Write, 0, y, 500, 1, row, 500, 1,
                                       GDT_Byte, 0, 0), ==, CE_None);
    }
  GDALClose (ds);
}

static gint64
add_solid (SlProject *project, const char *dir, const char *name, const guint8 rgb[3], int day,
           const char *credit, gboolean georeferenced)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2022, 2, day, 9, 0, 0);

  write_solid (path, rgb, georeferenced);
  probe = sl_scene_probe (path, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  sl_scene_set_credit (probe, credit);
  stored = sl_project_add_scene (project, probe, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  sl_core_init ();
  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (path, "Composer test site", &error);
  g_assert_no_error (error);
  f->a = add_solid (f->project, f->dir, "a.tif", (const guint8[]) { 200, 40, 40 }, 6, CREDIT, TRUE);
  f->b = add_solid (f->project, f->dir, "b.tif", (const guint8[]) { 40, 60, 200 }, 21, CREDIT, TRUE);
  f->cache = sl_tile_cache_new (f->project, 0, 2, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->cache);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
}

/* A bare composition: the imagery alone, edge to edge. */
static SlComposition *
bare (Fixture *f, SlLayout layout, int width, int height)
{
  SlComposition *c = sl_composition_new ();

  c->layout = layout;
  sl_composition_set_scenes (c, (const gint64[]) { f->a, f->b }, 2);
  c->width = width;
  c->height = height;
  c->margin = 0;
  c->show_dates = c->scale_bar = c->north_arrow = c->divider_handle = FALSE;
  sl_composition_set_string (c, &c->credit, "");
  return c;
}

static SlComposer *
composer_new (Fixture *f, const SlComposition *c)
{
  g_autoptr(GError) error = NULL;
  SlComposer *composer = sl_composer_new (f->project, f->cache, c, &error);

  g_assert_no_error (error);
  return composer;
}

static cairo_surface_t *
export_png (Fixture *f, const SlComposition *c, const char *name)
{
  g_autoptr(SlComposer) composer = composer_new (f, c);
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  g_assert_true (sl_composer_export (composer, path, SL_EXPORT_PNG, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static void
pixel (cairo_surface_t *s, int x, int y, int rgb[3])
{
  guint32 p = *(guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + x * 4);

  rgb[0] = (p >> 16) & 0xff;
  rgb[1] = (p >> 8) & 0xff;
  rgb[2] = p & 0xff;
}

static gboolean
is_red (cairo_surface_t *s, int x, int y)
{
  int c[3];

  pixel (s, x, y, c);
  return ABS (c[0] - 200) < 12 && ABS (c[1] - 40) < 12 && ABS (c[2] - 40) < 12;
}

static gboolean
is_blue (cairo_surface_t *s, int x, int y)
{
  int c[3];

  pixel (s, x, y, c);
  return ABS (c[0] - 40) < 12 && ABS (c[1] - 60) < 12 && ABS (c[2] - 200) < 12;
}

/* The divider sits at the requested column (or row): A on one side, B on the other. */
static void
test_swipe_divider (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SWIPE, 400, 400);
  cairo_surface_t *s;
  int last_red = -1;

  c->divider = 0.25;
  s = export_png (f, c, "swipe.png");
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 400);
  for (int x = 0; x < 400; x++)
    if (is_red (s, x, 200))
      last_red = x;
  /* The white divider line covers a couple of pixels around column 100. */
  g_assert_cmpint (last_red, >=, 96);
  g_assert_cmpint (last_red, <=, 100);
  for (int y = 0; y < 400; y += 37)
    {
      g_assert_true (is_red (s, 90, y));
      g_assert_true (is_blue (s, 110, y));
      g_assert_true (is_blue (s, 390, y));
    }
  cairo_surface_destroy (s);

  c->divider = 0.75;
  c->horizontal = TRUE;
  s = export_png (f, c, "swipe-h.png");
  for (int x = 0; x < 400; x += 37)
    {
      g_assert_true (is_red (s, x, 290));
      g_assert_true (is_blue (s, x, 310));
    }
  cairo_surface_destroy (s);
}

/* Side by side and stacked: two panels, A first. */
static void
test_panels (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SIDE_BY_SIDE, 800, 400);
  cairo_surface_t *s = export_png (f, c, "side.png");

  g_assert_true (is_red (s, 200, 200));
  g_assert_true (is_blue (s, 600, 200));
  cairo_surface_destroy (s);

  c->layout = SL_LAYOUT_STACKED;
  c->width = 400;
  c->height = 800;
  s = export_png (f, c, "stacked.png");
  g_assert_true (is_red (s, 200, 200));
  g_assert_true (is_blue (s, 200, 600));
  cairo_surface_destroy (s);
}

static guint
count_not_red (cairo_surface_t *s, int x0, int y0, int x1, int y1)
{
  guint n = 0;

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      n += !is_red (s, x, y);
  return n;
}

/* Date labels: ink in the label's box when they are on, none when they are off. */
static void
test_labels (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SINGLE, 600, 600);
  g_autoptr(SlComposer) composer = NULL;
  g_autofree char *label = NULL;
  cairo_surface_t *s;

  c->theme = SL_THEME_DARK;
  s = export_png (f, c, "plain.png");
  g_assert_cmpuint (count_not_red (s, 0, 0, 120, 40), ==, 0);
  cairo_surface_destroy (s);

  c->show_dates = TRUE;
  composer = composer_new (f, c);
  label = sl_composer_format_date (composer, 0);
  g_assert_cmpstr (label, ==, "6 February 2022");
  s = export_png (f, c, "dated.png");
  g_assert_cmpuint (count_not_red (s, 0, 0, 120, 40), >, 400);
  /* The rest of the image is the scene. */
  g_assert_cmpuint (count_not_red (s, 300, 300, 600, 600), ==, 0);
  cairo_surface_destroy (s);
}

/* The scale bar is as long as its label says, for the area shown: a 1 km square in 500
 * pixels is 2 m a pixel, and a fifth of the width (200 m) is 100 pixels. */
static void
test_scale_bar (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SINGLE, 500, 500);
  cairo_surface_t *s;
  int longest = 0;

  c->scale_bar = TRUE;
  s = export_png (f, c, "scale.png");
  for (int y = 400; y < 500; y++)
    for (int x = 0, run = 0; x < 250; x++)
      {
        int p[3];

        pixel (s, x, y, p);
        run = p[0] < 60 && p[1] < 60 && p[2] < 60 ? run + 1 : 0;
        longest = MAX (longest, run);
      }
  g_assert_cmpint (longest, >=, 99);
  g_assert_cmpint (longest, <=, 101);
  cairo_surface_destroy (s);

  /* Half the area in the same pixels: 1 m a pixel, 100 m is 100 pixels again, and a quarter
   * of the area shows 50 m as 100 pixels. */
  c->area = SL_AREA_BOUNDS;
  c->bounds = (SlBounds) { 300000, 5999000, 300250, 5999250 };
  s = export_png (f, c, "scale-zoomed.png");
  longest = 0;
  for (int y = 400; y < 500; y++)
    for (int x = 0, run = 0; x < 250; x++)
      {
        int p[3];

        pixel (s, x, y, p);
        run = p[0] < 60 && p[1] < 60 && p[2] < 60 ? run + 1 : 0;
        longest = MAX (longest, run);
      }
  g_assert_cmpint (longest, >=, 99);
  g_assert_cmpint (longest, <=, 101);
  cairo_surface_destroy (s);
}

/* True north from the CRS: 3° west of UTM 36N's central meridian at 54° N the meridians lean
 * towards the pole, true north about 2.5° clockwise of grid north; a site without a CRS has
 * none. */
static void
test_north (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SINGLE, 400, 400);
  g_autoptr(SlComposer) composer = composer_new (f, c);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "plain.sitelapse", NULL);
  g_autoptr(SlProject) plain = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlComposer) plain_composer = NULL;
  double north = 0;
  gint64 id;

  g_assert_true (sl_composer_get_north (composer, &north));
  g_assert_cmpfloat (north, >, 2.0);
  g_assert_cmpfloat (north, <, 3.0);

  plain = sl_project_create (path, "No CRS", &error);
  g_assert_no_error (error);
  id = add_solid (plain, dir, "p.tif", (const guint8[]) { 10, 200, 10 }, 1, NULL, FALSE);
  cache = sl_tile_cache_new (plain, 0, 1, &error);
  g_assert_no_error (error);
  sl_composition_set_scenes (c, &id, 1);
  plain_composer = sl_composer_new (plain, cache, c, &error);
  g_assert_no_error (error);
  g_assert_false (sl_composer_get_north (plain_composer, &north));
  g_clear_object (&plain_composer);
  g_clear_object (&cache);
  sl_project_close (plain);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The credit line: the scenes' credits once, as text in the PDF and in the SVG's XML. */
static void
test_credit_vector (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = sl_composition_new ();
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "graphic.pdf", NULL);
  g_autofree char *svg = g_build_filename (f->dir, "graphic.svg", NULL);
  g_autofree char *out = NULL, *xml = NULL;

  sl_composition_set_scenes (c, (const gint64[]) { f->a, f->b }, 2);
  c->width = 800;
  c->height = 600;
  sl_composition_set_string (c, &c->title, "Armour gathers");
  sl_composition_set_string (c, &c->caption, "Vehicles arrived in February.");
  composer = composer_new (f, c);
  g_assert_cmpstr (sl_composer_get_credit (composer), ==, CREDIT);

  g_assert_true (sl_composer_export (composer, pdf, SL_EXPORT_PDF, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_run (&out, NULL, "pdftotext", pdf, "-", NULL), ==, 0);
  g_assert_nonnull (strstr (out, CREDIT));
  g_assert_nonnull (strstr (out, "Armour gathers"));
  g_assert_nonnull (strstr (out, "21 February 2022"));

  g_assert_true (sl_composer_export (composer, svg, SL_EXPORT_SVG, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  xml = read_text (svg);
  g_assert_true (g_str_has_prefix (xml, "<?xml"));
  g_assert_nonnull (strstr (xml, CREDIT));
  g_assert_nonnull (strstr (xml, "<title>Armour gathers</title>"));
}

/* Millimetres at a DPI give the pixels; a PDF's page is the print size. */
static void
test_print_size (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SIDE_BY_SIDE, 10, 10);
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "print.pdf", NULL);
  g_autofree char *info = NULL;
  cairo_surface_t *s;
  int w, h;

  c->width_mm = 100;
  c->height_mm = 50;
  c->dpi = 254;
  sl_composition_get_pixel_size (c, &w, &h);
  g_assert_cmpint (w, ==, 1000);
  g_assert_cmpint (h, ==, 500);
  s = export_png (f, c, "print.png");
  g_assert_cmpint (cairo_image_surface_get_width (s), ==, 1000);
  g_assert_cmpint (cairo_image_surface_get_height (s), ==, 500);
  cairo_surface_destroy (s);

  composer = composer_new (f, c);
  g_assert_true (sl_composer_export (composer, pdf, SL_EXPORT_PDF, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_run (&info, NULL, "pdfinfo", pdf, NULL), ==, 0);
  /* 100 × 50 mm = 283.46 × 141.73 pt */
  g_assert_nonnull (strstr (info, "283.465 x 141.732 pts"));
}

/* JPEG: a real JPEG of the size asked; GIF and WebP through the animation writer. */
static void
test_formats (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SWIPE, 320, 240);
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jpg = g_build_filename (f->dir, "g.jpg", NULL);
  g_autofree char *gif = g_build_filename (f->dir, "g.gif", NULL);
  g_autofree char *webp = g_build_filename (f->dir, "g.webp", NULL);
  g_autofree char *html = g_build_filename (f->dir, "g.html", NULL);
  g_autofree char *page = NULL;
  GDALDatasetH ds;
  SlExportFormat format;

  g_assert_true (sl_export_format_from_path ("x/y.JPG", &format));
  g_assert_cmpint (format, ==, SL_EXPORT_JPEG);
  g_assert_false (sl_export_format_from_path ("y.tiff", &format));

  composer = composer_new (f, c);
  g_assert_true (sl_composer_export (composer, jpg, SL_EXPORT_JPEG, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  ds = GDALOpen (jpg, GA_ReadOnly);
  g_assert_nonnull (ds);
  g_assert_cmpstr (GDALGetDriverShortName (GDALGetDatasetDriver (ds)), ==, "JPEG");
  g_assert_cmpint (GDALGetRasterXSize (ds), ==, 320);
  g_assert_cmpint (GDALGetRasterYSize (ds), ==, 240);
  GDALClose (ds);

  g_assert_true (sl_composer_export (composer, gif, SL_EXPORT_GIF, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sl_composer_export (composer, webp, SL_EXPORT_WEBP, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  page = read_text (gif);
  g_assert_true (g_str_has_prefix (page, "GIF89a"));
  g_clear_pointer (&page, g_free);
  /* The time-lapse: one frame per date, in both formats. */
  {
    int gif_error = 0;
    GifFileType *decoded = DGifOpenFileName (gif, &gif_error);
    g_autofree char *bytes = NULL;
    gsize length = 0, n_frames = 0;

    g_assert_nonnull (decoded);
    g_assert_cmpint (DGifSlurp (decoded), ==, GIF_OK);
    g_assert_cmpint (decoded->ImageCount, ==, 2);
    DGifCloseFile (decoded, &gif_error);
    /* An animated WebP holds one ANMF chunk a frame. */
    g_assert_true (g_file_get_contents (webp, &bytes, &length, NULL));
    g_assert_true (length > 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0);
    for (gsize i = 12; i + 8 <= length;)
      {
        guint32 size = (guint8) bytes[i + 4] | (guint8) bytes[i + 5] << 8 | (guint8) bytes[i + 6] << 16 |
                       (guint32) (guint8) bytes[i + 7] << 24;

        n_frames += memcmp (bytes + i, "ANMF", 4) == 0;
        i += 8 + size + (size & 1);
      }
    g_assert_cmpuint (n_frames, ==, 2);
  }

  g_assert_true (sl_composer_export (composer, html, SL_EXPORT_HTML, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  page = read_text (html);
  g_assert_nonnull (strstr (page, "data:image/jpeg;base64,"));
  g_assert_nonnull (strstr (page, "6 February 2022"));
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

/* Bad input gets a message that names the problem, and leaves no file behind. */
static void
test_bad_input (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SWIPE, 320, 240);
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-folder", "g.png", NULL);
  g_autofree char *under_file = g_build_filename (f->dir, "a.tif", "g.png", NULL);
  g_autofree char *target = NULL;

  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  target = g_build_filename (out, "g.png", NULL);

  c->width = 20000;
  g_assert_null (sl_composer_new (f->project, f->cache, c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "20000 × 240"));
  g_clear_error (&error);
  c->width = 16000;
  c->height = 16000;
  g_assert_null (sl_composer_new (f->project, f->cache, c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_TOO_LARGE);
  g_clear_error (&error);
  c->width = 320;
  c->height = 240;

  sl_composition_set_string (c, &c->font_family, "No Such Typeface Sitelapse");
  g_assert_null (sl_composer_new (f->project, f->cache, c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_FONT);
  g_assert_nonnull (strstr (error->message, "No Such Typeface Sitelapse"));
  g_clear_error (&error);
  sl_composition_set_string (c, &c->font_family, "DejaVu Sans");

  sl_composition_set_scenes (c, (const gint64[]) { f->a, 99 }, 2);
  g_assert_null (sl_composer_new (f->project, f->cache, c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no scene 99"));
  g_clear_error (&error);
  sl_composition_set_scenes (c, (const gint64[]) { f->a }, 1);
  g_assert_null (sl_composer_new (f->project, f->cache, c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
  g_clear_error (&error);
  sl_composition_set_scenes (c, (const gint64[]) { f->a, f->b }, 2);

  composer = composer_new (f, c);
  g_assert_false (sl_composer_export (composer, missing, SL_EXPORT_PNG, NULL, NULL, NULL, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);
  g_assert_false (sl_composer_export (composer, under_file, SL_EXPORT_PNG, NULL, NULL, NULL, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "a.tif"));
  g_clear_error (&error);
  if (geteuid () != 0)
    {
      /* root writes anywhere: only an ordinary user can meet a read-only folder. */
      g_assert_cmpint (g_chmod (out, 0555), ==, 0);
      g_assert_false (sl_composer_export (composer, target, SL_EXPORT_PNG, NULL, NULL, NULL, &error));
      g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE);
      g_assert_nonnull (strstr (error->message, out));
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (out, 0755), ==, 0);
    }

  /* Cancelled: an error, and neither the file nor its temporary. */
  g_cancellable_cancel (cancellable);
  for (SlExportFormat format = SL_EXPORT_PNG; format <= SL_EXPORT_SVG; format++)
    {
      g_assert_false (sl_composer_export (composer, target, format, NULL, NULL, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
    }
  g_assert_cmpuint (count_files (out), ==, 0);
  g_assert_true (sl_composer_export (composer, target, SL_EXPORT_PNG, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (out), ==, 1);
}

static void
on_progress (double fraction, gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Wait;

static void
on_exported (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  sl_composer_export_finish (SL_COMPOSER (source), result, &wait->error);
  wait->done = TRUE;
}

/* Off the main thread, with progress back on it. */
static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SWIPE, 640, 480);
  g_autoptr(SlComposer) composer = composer_new (f, c);
  g_autofree char *path = g_build_filename (f->dir, "async.jpg", NULL);
  Wait wait = { FALSE, NULL };
  double last = -1;

  sl_composer_export_async (composer, path, SL_EXPORT_JPEG, on_progress, &last, NULL, NULL, on_exported, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_no_error (wait.error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* JSON and presets keep every member. */
static void
test_presets (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_GRID, 1080, 1080);
  g_autoptr(SlComposition) back = NULL;
  g_autoptr(SlComposition) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *json = NULL, *json2 = NULL, *json3 = NULL;

  c->divider = 0.3;
  c->horizontal = TRUE;
  c->theme = SL_THEME_DARK;
  c->date_corner = SL_CORNER_BOTTOM_RIGHT;
  c->area = SL_AREA_BOUNDS;
  c->bounds = (SlBounds) { 1, 2, 3, 4 };
  c->n_classes = 2;
  c->class_ids = g_new (gint64, 2);
  c->class_ids[0] = 3;
  c->class_ids[1] = 7;
  sl_composition_set_string (c, &c->title, "Título «quoted»");
  sl_composition_set_string (c, &c->font_family, "DejaVu Serif");
  json = sl_composition_to_json (c);
  back = sl_composition_new_from_json (json, &error);
  g_assert_no_error (error);
  json2 = sl_composition_to_json (back);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpstr (back->credit, ==, "");
  g_assert_cmpint (back->class_ids[1], ==, 7);

  g_assert_null (sl_composition_new_from_json ("[1, 2]", &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sl_composition_new_from_json ("{\"width\": \"wide\"}", &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "width"));
  g_clear_error (&error);

  g_assert_true (sl_export_presets_save (f->project, "Social square", c, &error));
  g_assert_true (sl_export_presets_save (f->project, "A4 print", back, &error));
  g_assert_no_error (error);
  names = sl_export_presets_list (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "A4 print");
  stored = sl_export_presets_get (f->project, "Social square", &error);
  g_assert_no_error (error);
  json3 = sl_composition_to_json (stored);
  g_assert_cmpstr (json, ==, json3);
  g_assert_true (sl_export_presets_remove (f->project, "Social square", &error));
  g_assert_null (sl_export_presets_get (f->project, "Social square", &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sl_export_presets_save (f->project, "  ", c, &error));
  g_assert_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID);
}

/* A preview at another size draws the same layout, scaled. */
static void
test_preview (Fixture *f, gconstpointer data)
{
  g_autoptr(SlComposition) c = bare (f, SL_LAYOUT_SWIPE, 800, 800);
  g_autoptr(SlComposer) composer = composer_new (f, c);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 200, 200);
  cairo_t *cr = cairo_create (s);

  g_assert_true (sl_composer_render (composer, cr, 200, 200, NULL, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  g_assert_true (is_red (s, 90, 50));
  g_assert_true (is_blue (s, 110, 50));
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add ("/composer/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("swipe-divider", test_swipe_divider);
  ADD ("panels", test_panels);
  ADD ("labels", test_labels);
  ADD ("scale-bar", test_scale_bar);
  ADD ("north", test_north);
  ADD ("credit-in-vector-text", test_credit_vector);
  ADD ("print-size", test_print_size);
  ADD ("formats", test_formats);
  ADD ("bad-input", test_bad_input);
  ADD ("async", test_async);
  ADD ("presets", test_presets);
  ADD ("preview", test_preview);
#undef ADD
  return g_test_run ();
}
