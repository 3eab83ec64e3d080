/* test-raster-source.c — display tiles from real files written with GDAL
 *
 * Every scene goes through a real project (sl_project_create + sl_scene_probe +
 * sl_project_add_scene), so its placement on the site grid is the project's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-raster-source.h"
#include "sl-raster-source-private.h"
#include "sl-test-util.h"

typedef struct
{
  char       *dir;
  SlProject  *project;
  SlSiteGrid *grid;
  int         n_scenes;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  sl_core_init ();
  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "site.sitelapse", NULL);
  f->project = sl_project_create (path, "Raster test site", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->grid, sl_site_grid_unref);
  if (f->project)
    sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_tmpdir_free (f->dir);
}

static char *
fixture_path (Fixture *f, const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* Adds @path to the project as its next scene and refreshes the site grid. */
static SlScene *
add_scene (Fixture *f, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScene) probe = sl_scene_probe (path, &error);
  g_autoptr(GDateTime) when = NULL;
  SlScene *stored;

  g_assert_no_error (error);
  when = g_date_time_new_utc (2022, 1, 1 + f->n_scenes++, 10, 0, 0);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  g_clear_pointer (&f->grid, sl_site_grid_unref);
  f->grid = sl_project_dup_site_grid (f->project);
  g_assert_nonnull (f->grid);
  return stored;
}

static SlRasterSource *
open_source (Fixture *f, SlScene *scene)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = sl_project_resolve_source (f->project, scene);
  SlRasterSource *src = sl_raster_source_open (path, scene, f->grid, &error);

  g_assert_no_error (error);
  g_assert_nonnull (src);
  return src;
}

/* ---- writing fixtures -------------------------------------------------------------------- */

static GDALDatasetH
mem_new (int width, int height, int bands, GDALDataType type)
{
  GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("MEM"), "", width, height, bands, type, NULL);

  g_assert_nonnull (ds);
  return ds;
}

static void
set_georef (GDALDatasetH ds, const char *crs, const double gt[6])
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  char *wkt = NULL;

  g_assert_cmpint (OSRSetFromUserInput (srs, crs), ==, OGRERR_NONE);
  OSRExportToWkt (srs, &wkt);
  GDALSetProjection (ds, wkt);
  GDALSetGeoTransform (ds, (double *) gt);
  CPLFree (wkt);
  OSRDestroySpatialReference (srs);
}

static void
write_band (GDALDatasetH ds, int band, GDALDataType type, const void *data)
{
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, band), GF_Write, 0, 0, GDALGetRasterXSize (ds),
                                 GDALGetRasterYSize (ds), (void *) data, GDALGetRasterXSize (ds),
                                 GDALGetRasterYSize (ds), type, 0, 0), ==, CE_None);
}

static void
save_copy (GDALDatasetH mem, const char *path, const char *const *options)
{
  GDALDatasetH out;

  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  out = GDALCreateCopy (GDALGetDriverByName ("GTiff"), path, mem, FALSE, (char **) options, NULL, NULL);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);
  g_assert_nonnull (out);
  GDALClose (out);
  GDALClose (mem);
}

/* Reads a whole file band as bytes / 16-bit values (fixtures are small). */
static guint8 *
read_all_u8 (const char *path, int band)
{
  GDALDatasetH ds = GDALOpen (path, GA_ReadOnly);
  int w = GDALGetRasterXSize (ds), h = GDALGetRasterYSize (ds);
  guint8 *buf = g_malloc ((gsize) w * h);

  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, band), GF_Read, 0, 0, w, h, buf, w, h, GDT_Byte, 0, 0),
                   ==, CE_None);
  GDALClose (ds);
  return buf;
}

static guint16 *
read_all_u16 (const char *path, int band)
{
  GDALDatasetH ds = GDALOpen (path, GA_ReadOnly);
  int w = GDALGetRasterXSize (ds), h = GDALGetRasterYSize (ds);
  guint16 *buf = g_new (guint16, (gsize) w * h);

  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, band), GF_Read, 0, 0, w, h, buf, w, h, GDT_UInt16, 0, 0),
                   ==, CE_None);
  GDALClose (ds);
  return buf;
}

/* ---- reading tiles ----------------------------------------------------------------------- */

static inline guint32
tile_pixel (const guint8 *argb, int i, int j)
{
  return ((const guint32 *) (argb + (gsize) j * SL_TILE_STRIDE))[i];
}

#define A(p) ((p) >> 24)
#define R(p) (((p) >> 16) & 0xff)
#define G(p) (((p) >> 8) & 0xff)
#define B(p) ((p) & 0xff)

static SlTileContent
render (SlRasterSource *src, const SlRenderParams *params, int z, int x, int y, guint8 *argb)
{
  g_autoptr(GError) error = NULL;
  SlTileContent content = 99;

  memset (argb, 0xab, SL_TILE_BYTES);
  g_assert_true (sl_raster_source_render_tile (src, params, z, x, y, argb, &content, &error));
  g_assert_no_error (error);
  return content;
}

/* The tiles of level @z under the source's footprint. */
static void
footprint_tiles (Fixture *f, SlRasterSource *src, int z, int *x0, int *y0, int *x1, int *y1)
{
  SlBounds fp;

  sl_raster_source_get_footprint (src, &fp);
  sl_site_grid_tile_range (f->grid, z, &fp, x0, y0, x1, y1);
}

/* Global pixel (level @z) of the top-left corner of a north-up scene. */
static void
scene_origin_pixel (Fixture *f, SlScene *scene, int z, double *px, double *py)
{
  double t[6];

  g_assert_true (sl_scene_get_pixel_to_site (scene, t));
  sl_site_grid_site_to_pixel (f->grid, z, t[0], t[3], px, py);
}

/* ---- tests ------------------------------------------------------------------------------- */

static const SlTestImage rgb_spec = { .width = 800, .height = 600, .bands = 3, .crs = "EPSG:32636",
                                      .origin_x = 510000, .origin_y = 6050000, .pixel_size = 0.5,
                                      .seed = 7 };

/* At its native level a Byte RGB scene is copied pixel for pixel; outside it is transparent. */
static void
test_byte_native_exact (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "rgb.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *r = NULL, *g = NULL, *b = NULL;
  const SlRenderParams *params;
  int z, x0, y0, x1, y1, n_opaque = 0, n_partial = 0;
  double ox, oy;
  SlBounds fp;

  sl_test_write_image (path, &rgb_spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);
  g_assert_nonnull (params);
  g_assert_cmpint (params->mode, ==, SL_STRETCH_NONE);

  z = sl_raster_source_get_native_zoom (src);
  g_assert_cmpint (z, ==, SL_SITE_GRID_BASE_LEVELS);
  g_assert_false (sl_raster_source_has_overviews (src));
  sl_raster_source_get_footprint (src, &fp);
  g_assert_cmpfloat_with_epsilon (fp.min_x, 510000, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.max_x, 510400, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.min_y, 6049700, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.max_y, 6050000, 1e-6);

  r = read_all_u8 (path, 1), g = read_all_u8 (path, 2), b = read_all_u8 (path, 3);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  g_assert_cmpfloat (ox, ==, floor (ox));
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  /* 800 × 600 pixels from a tile corner (the grid is anchored on the founding scene's
   * top-left corner): 4 × 3 tiles, the last column and row partial. */
  g_assert_cmpint ((x1 - x0 + 1) * (y1 - y0 + 1), ==, 12);

  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        SlTileContent content = render (src, params, z, tx, ty, argb);
        gboolean all_inside = TRUE;

        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              int col = (int) ((double) tx * SL_TILE_SIZE + i - ox);
              int row = (int) ((double) ty * SL_TILE_SIZE + j - oy);
              guint32 p = tile_pixel (argb, i, j);

              if (col < 0 || row < 0 || col >= 800 || row >= 600)
                {
                  all_inside = FALSE;
                  g_assert_cmphex (p, ==, 0);
                }
              else
                {
                  gsize k = (gsize) row * 800 + col;
                  g_assert_cmphex (p, ==, 0xff000000u | (guint32) r[k] << 16 | (guint32) g[k] << 8 | b[k]);
                }
            }
        g_assert_cmpint (content, ==, all_inside ? SL_TILE_CONTENT_OPAQUE : SL_TILE_CONTENT_PARTIAL);
        n_opaque += content == SL_TILE_CONTENT_OPAQUE;
        n_partial += content == SL_TILE_CONTENT_PARTIAL;
      }
  g_assert_cmpint (n_opaque, ==, 6);
  g_assert_cmpint (n_partial, ==, 6);
}

/* One level down each pixel is the average of the 2 × 2 source pixels under it. */
static void
test_byte_zoomed_out_average (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "rgb.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  guint8 *bands[3] = { NULL, NULL, NULL };
  const SlRenderParams *params;
  int z, x0, y0, x1, y1, checked = 0;
  double ox, oy;

  sl_test_write_image (path, &rgb_spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);
  for (int c = 0; c < 3; c++)
    bands[c] = read_all_u8 (path, c + 1);

  z = sl_raster_source_get_native_zoom (src) - 1;
  scene_origin_pixel (f, scene, z, &ox, &oy);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        render (src, params, z, tx, ty, argb);
        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              int col = 2 * (int) ((double) tx * SL_TILE_SIZE + i - ox);
              int row = 2 * (int) ((double) ty * SL_TILE_SIZE + j - oy);
              guint32 p = tile_pixel (argb, i, j);

              if ((double) tx * SL_TILE_SIZE + i < ox || (double) ty * SL_TILE_SIZE + j < oy ||
                  col >= 800 || row >= 600)
                {
                  g_assert_cmphex (p, ==, 0);
                  continue;
                }
              g_assert_cmpuint (A (p), ==, 255);
              for (int c = 0; c < 3; c++)
                {
                  const guint8 *s = bands[c];
                  gsize k = (gsize) row * 800 + col;
                  int mean = (s[k] + s[k + 1] + s[k + 800] + s[k + 801] + 2) / 4;
                  int got = (p >> (16 - 8 * c)) & 0xff;

                  g_assert_cmpint (abs (got - mean), <=, 1);
                }
              checked++;
            }
      }
  g_assert_cmpint (checked, ==, 400 * 300);
  for (int c = 0; c < 3; c++)
    g_free (bands[c]);
}

/* ---- reduced reads of JPEG GeoTIFFs by DCT scaling ---------------------------------------- */

/* A 3-band JPEG GeoTIFF of @width × @height with smooth shapes and grain, as imagery is. */
static void
write_jpeg_tiff (const char *path, int width, int height, const char *const *options)
{
  GDALDatasetH mem = mem_new (width, height, 3, GDT_Byte);
  g_autofree guint8 *data = g_malloc ((gsize) width * height);
  const double gt[6] = { 520000, 0.5, 0, 6040000, 0, -0.5 };
  guint32 seed = 12345;

  for (int b = 0; b < 3; b++)
    {
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            double v = 128 + 60 * sin (x / (23.0 + 7 * b)) * cos (y / (31.0 - 5 * b)) + ((x / 97 + y / 61) % 3) * 20;

            seed = seed * 1664525u + 1013904223u;
            data[(gsize) y * width + x] = (guint8) CLAMP (v + (int) (seed >> 28) - 8, 0, 255);
          }
      write_band (mem, b + 1, GDT_Byte, data);
    }
  set_georef (mem, "EPSG:32636", gt);
  save_copy (mem, path, options);
}

static SlRasterSource *
open_source_without_scaling (Fixture *f, SlScene *scene)
{
  SlRasterSource *src;

  g_setenv ("SL_NO_JPEG_SCALING", "1", TRUE);
  src = open_source (f, scene);
  g_unsetenv ("SL_NO_JPEG_SCALING");
  return src;
}

/* Every tile of the native level (decoded by TurboJPEG: the very same pixels) and of levels
 * native−1 … native−5 through DCT scaling against GDAL's own reduced reads (its implicit JPEG
 * overviews, then averaging): the same alpha, colours within JPEG's tolerance. Returns the
 * tiles the fast path took. */
static guint64
compare_scaled (Fixture *f, const char *name, int width, int height, const char *const *options,
                gboolean overviews, int *n_native)
{
  g_autofree char *path = fixture_path (f, name);
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) fast = NULL;
  g_autoptr(SlRasterSource) gdal = NULL;
  g_autofree guint8 *a = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *b = g_malloc (SL_TILE_BYTES);
  const SlRenderParams *params;
  int native, n_tiles = 0;

  write_jpeg_tiff (path, width, height, options);
  if (overviews)
    {
      GDALDatasetH ds = GDALOpen (path, GA_Update);
      int levels[] = { 2, 4, 8 };

      g_assert_nonnull (ds);
      g_assert_cmpint (GDALBuildOverviews (ds, "AVERAGE", 3, levels, 0, NULL, NULL, NULL), ==, CE_None);
      GDALClose (ds);
    }
  scene = add_scene (f, path);
  fast = open_source (f, scene);
  gdal = open_source_without_scaling (f, scene);
  params = sl_scene_get_render_params (scene);
  g_assert_cmpuint (_sl_raster_source_get_scaled_reads (gdal), ==, 0);
  native = sl_raster_source_get_native_zoom (fast);

  for (int z = native; z >= native - 5; z--)
    {
      int x0, y0, x1, y1;

      footprint_tiles (f, fast, z, &x0, &y0, &x1, &y1);
      for (int ty = y0; ty <= y1; ty++)
        for (int tx = x0; tx <= x1; tx++)
          {
            SlTileContent ca = render (fast, params, z, tx, ty, a);
            SlTileContent cb = render (gdal, params, z, tx, ty, b);
            guint64 sum = 0, n = 0;
            int worst = 0;

            g_assert_cmpint (ca, ==, cb);
            for (int j = 0; j < SL_TILE_SIZE; j++)
              for (int i = 0; i < SL_TILE_SIZE; i++)
                {
                  guint32 pa = tile_pixel (a, i, j), pb = tile_pixel (b, i, j);

                  g_assert_cmpuint (A (pa), ==, A (pb));
                  if (A (pa) == 0)
                    continue;
                  for (int shift = 0; shift < 24; shift += 8)
                    {
                      int d = abs ((int) ((pa >> shift) & 0xff) - (int) ((pb >> shift) & 0xff));

                      sum += d;
                      worst = MAX (worst, d);
                    }
                  n += 3;
                }
            /* GDAL may average a finer implicit overview than the DCT scale used here (its
             * chroma is then sharper), and it stretches the window of a tile the image's
             * edge cuts by a fraction of a pixel: hence a mean, and more room at the edges. */
            if (n > 0)
              g_assert_cmpfloat ((double) sum / n, <, ca == SL_TILE_CONTENT_OPAQUE ? 3.0 : 6.0);
            /* At full resolution both are the same libjpeg-turbo decode. */
            g_assert_cmpint (worst, <=, z == native || overviews ? 0 : 96);
            n_tiles++;
            if (z == native && n_native != NULL)
              (*n_native)++;
          }
    }
  g_assert_cmpint (n_tiles, >, 5);
  g_test_message ("%s: %d tiles, %" G_GUINT64_FORMAT " by TurboJPEG", name, n_tiles,
                  _sl_raster_source_get_scaled_reads (fast));
  return _sl_raster_source_get_scaled_reads (fast);
}

static void
test_jpeg_scaled_ycbcr (Fixture *f, gconstpointer data)
{
  const char *options[] = { "TILED=YES", "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", "JPEG_QUALITY=85", NULL };

  /* Not a multiple of 8 nor of the 256-pixel blocks: edge blocks are partial. */
  g_assert_cmpuint (compare_scaled (f, "ycbcr.tif", 2011, 1533, options, FALSE, NULL), >, 0);
}

static void
test_jpeg_scaled_rgb (Fixture *f, gconstpointer data)
{
  const char *options[] = { "TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=JPEG",
                            "PHOTOMETRIC=RGB", NULL };

  g_assert_cmpuint (compare_scaled (f, "rgb-jpeg.tif", 1203, 1789, options, FALSE, NULL), >, 0);
}

/* With real overviews: full resolution by TurboJPEG, reduced levels from GDAL's overviews
 * (so those match exactly). */
static void
test_jpeg_with_overviews (Fixture *f, gconstpointer data)
{
  const char *options[] = { "TILED=YES", "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", NULL };
  int n_native = 0;

  g_assert_cmpuint (compare_scaled (f, "ovr.tif", 1500, 1100, options, TRUE, &n_native), ==, (guint64) n_native);
  g_assert_cmpint (n_native, >, 0);
}

/* Anything unusual goes through GDAL: strips, a JPEG mask, deflate. */
static void
test_jpeg_scaled_fallbacks (Fixture *f, gconstpointer data)
{
  const char *stripped[] = { "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", NULL };
  const char *deflate[] = { "TILED=YES", "COMPRESS=DEFLATE", NULL };

  g_assert_cmpuint (compare_scaled (f, "stripped.tif", 1024, 900, stripped, FALSE, NULL), ==, 0);
  g_assert_cmpuint (compare_scaled (f, "deflate.tif", 1100, 900, deflate, FALSE, NULL), ==, 0);
}

static int
compare_u16 (const void *a, const void *b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

/* 16-bit data with nodata: nodata is transparent and left out of the statistics; the
 * 2nd/98th percentiles land on ~0/~255. */
static void
test_uint16_nodata_stretch (Fixture *f, gconstpointer data)
{
  const SlTestImage spec = { .width = 512, .height = 512, .bands = 3, .data_type = "UInt16",
                             .crs = "EPSG:32636", .origin_x = 510000, .origin_y = 6050000,
                             .pixel_size = 0.5, .with_nodata = TRUE, .nodata = 65535, .seed = 3 };
  g_autofree char *path = fixture_path (f, "wv3.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  guint16 *band[3] = { NULL, NULL, NULL };
  int z, x0, y0, x1, y1, n_transparent = 0, n_low = 0, n_high = 0, n_valid = 0;
  double ox, oy;

  sl_test_write_image (path, &spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_render_params_copy (sl_scene_get_render_params (scene));
  g_assert_cmpint (params->mode, ==, SL_STRETCH_PERCENTILE);
  g_assert_false (params->resolved);
  g_assert_true (sl_raster_source_compute_stretch (src, params, &error));
  g_assert_no_error (error);
  g_assert_true (params->resolved);

  for (int c = 0; c < 3; c++)
    {
      g_autofree guint16 *sorted = g_new (guint16, 512 * 512);
      gsize n = 0;

      band[c] = read_all_u16 (path, c + 1);
      for (gsize k = 0; k < 512 * 512; k++)
        if (band[c][k] != 65535)
          sorted[n++] = band[c][k];
      g_assert_cmpuint (n, ==, 512 * 448);
      qsort (sorted, n, sizeof (guint16), compare_u16);
      /* Nodata is out: with it, the 98th percentile would be 65535. */
      g_assert_cmpfloat (params->high[c], <, 5000);
      g_assert_cmpfloat (fabs (params->low[c] - sorted[(gsize) (0.02 * (n - 1))]), <=, 16);
      g_assert_cmpfloat (fabs (params->high[c] - sorted[(gsize) ceil (0.98 * (n - 1))]), <=, 16);
    }

  z = sl_raster_source_get_native_zoom (src);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        SlTileContent content = render (src, params, z, tx, ty, argb);
        gboolean any_nodata = FALSE;

        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              int col = (int) ((double) tx * SL_TILE_SIZE + i - ox);
              int row = (int) ((double) ty * SL_TILE_SIZE + j - oy);
              guint32 p = tile_pixel (argb, i, j);
              gsize k = (gsize) row * 512 + col;

              if (band[0][k] == 65535)
                {
                  any_nodata = TRUE;
                  n_transparent++;
                  g_assert_cmphex (p, ==, 0);
                  continue;
                }
              g_assert_cmpuint (A (p), ==, 255);
              for (int c = 0; c < 3; c++)
                {
                  double want = (band[c][k] - params->low[c]) * 255 / (params->high[c] - params->low[c]);
                  int got = (p >> (16 - 8 * c)) & 0xff;

                  g_assert_cmpfloat (fabs (got - CLAMP (want, 0, 255)), <=, 0.51);
                  n_low += got == 0;
                  n_high += got == 255;
                  n_valid++;
                }
            }
        g_assert_cmpint (content, ==, any_nodata ? SL_TILE_CONTENT_PARTIAL : SL_TILE_CONTENT_OPAQUE);
      }
  g_assert_cmpint (n_transparent, ==, 64 * 512);
  /* Neither black nor white: about 2 % clip at each end. */
  g_assert_cmpfloat ((double) n_low / n_valid, <, 0.05);
  g_assert_cmpfloat ((double) n_high / n_valid, <, 0.05);
  g_assert_cmpfloat ((double) n_low / n_valid, >, 0.002);
  g_assert_cmpfloat ((double) n_high / n_valid, >, 0.002);
  for (int c = 0; c < 3; c++)
    g_free (band[c]);
}

/* Statistics of a larger image come from windows, still without its nodata; min/max too. */
static void
test_stretch_sampled_excludes_nodata (Fixture *f, gconstpointer data)
{
  const SlTestImage spec = { .width = 2048, .height = 1024, .bands = 1, .data_type = "UInt16",
                             .crs = "EPSG:32636", .origin_x = 510000, .origin_y = 6050000,
                             .pixel_size = 0.5, .with_nodata = TRUE, .nodata = 65535, .seed = 5 };
  g_autofree char *path = fixture_path (f, "pan.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GError) error = NULL;

  sl_test_write_image (path, &spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_render_params_copy (sl_scene_get_render_params (scene));
  g_assert_true (sl_render_params_is_grey (params));

  g_assert_true (sl_raster_source_compute_stretch (src, params, &error));
  g_assert_no_error (error);
  /* The generator's values are 16 × 0..255, roughly uniform. */
  for (int c = 0; c < 3; c++)
    {
      g_assert_cmpfloat (params->low[c], ==, params->low[0]);
      g_assert_cmpfloat (params->high[c], ==, params->high[0]);
    }
  g_assert_cmpfloat (params->low[0], >=, 0);
  g_assert_cmpfloat (params->low[0], <, 300);
  g_assert_cmpfloat (params->high[0], >, 3700);
  g_assert_cmpfloat (params->high[0], <=, 4080);

  params->mode = SL_STRETCH_MINMAX;
  params->resolved = FALSE;
  g_assert_true (sl_raster_source_compute_stretch (src, params, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (params->high[0], <=, 4080);
  g_assert_cmpfloat (params->high[0], >, 3900);
  g_assert_cmpfloat (params->low[0], <, 100);
}

/* Float data: nodata and NaN are transparent. */
static void
test_float_nodata (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "dem.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree float *v = g_new (float, 256 * 256);
  const double gt[6] = { 510000, 1, 0, 6050000, 0, -1 };
  GDALDatasetH mem = mem_new (256, 256, 1, GDT_Float32);
  SlTileContent content;
  double ox, oy;
  int z;

  for (int k = 0; k < 256 * 256; k++)
    v[k] = (k % 256 < 16) ? -9999.f : (k % 256 == 100) ? NAN : 100.f + (k % 256);
  write_band (mem, 1, GDT_Float32, v);
  GDALSetRasterNoDataValue (GDALGetRasterBand (mem, 1), -9999);
  set_georef (mem, "EPSG:32636", gt);
  save_copy (mem, path, (const char *const[]) { "TILED=YES", NULL });

  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_render_params_copy (sl_scene_get_render_params (scene));
  params->mode = SL_STRETCH_MINMAX;
  g_assert_true (sl_raster_source_compute_stretch (src, params, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (params->low[0], ==, 116);
  g_assert_cmpfloat (params->high[0], ==, 355);

  z = sl_raster_source_get_native_zoom (src);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  content = render (src, params, z, (int) (ox / SL_TILE_SIZE), (int) (oy / SL_TILE_SIZE), argb);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);
  {
    int i0 = (int) (ox - floor (ox / SL_TILE_SIZE) * SL_TILE_SIZE);
    int j0 = (int) (oy - floor (oy / SL_TILE_SIZE) * SL_TILE_SIZE);

    g_assert_cmphex (tile_pixel (argb, i0 + 3, j0 + 5), ==, 0);        /* nodata */
    g_assert_cmphex (tile_pixel (argb, i0 + 100, j0 + 5), ==, 0);      /* NaN */
    g_assert_cmphex (tile_pixel (argb, i0 + 16, j0 + 5), ==, 0xff000000);
    g_assert_cmpuint (R (tile_pixel (argb, i0 + 17, j0 + 5)), ==, 1);
  }
}

/* A palette image shows the colour table's colours. */
static void
test_palette_expanded (Fixture *f, gconstpointer data)
{
  const SlTestImage spec = { .width = 256, .height = 256, .bands = 1, .palette = TRUE,
                             .crs = "EPSG:32636", .origin_x = 510000, .origin_y = 6050000,
                             .pixel_size = 1, .seed = 11 };
  g_autofree char *path = fixture_path (f, "landcover.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *idx = NULL;
  const SlRenderParams *params;
  int z, x0, y0, x1, y1, checked = 0;
  double ox, oy;

  sl_test_write_image (path, &spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);
  idx = read_all_u8 (path, 1);

  z = sl_raster_source_get_native_zoom (src);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        render (src, params, z, tx, ty, argb);
        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              int col = (int) ((double) tx * SL_TILE_SIZE + i - ox);
              int row = (int) ((double) ty * SL_TILE_SIZE + j - oy);
              guint v;

              if (col < 0 || row < 0 || col >= 256 || row >= 256)
                continue;
              v = idx[row * 256 + col];
              /* sl_test_write_image's table: (i, 255 − i, 7i mod 256). */
              g_assert_cmphex (tile_pixel (argb, i, j), ==, 0xff000000u | v << 16 | (255 - v) << 8 | ((v * 7) & 0xff));
              checked++;
            }
      }
  g_assert_cmpint (checked, ==, 256 * 256);
}

/* An RGBA image: its alpha band becomes the tile's (premultiplied) alpha. */
static void
test_rgba_alpha (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "rgba.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *buf = g_malloc (256 * 256);
  const double gt[6] = { 510000, 1, 0, 6050000, 0, -1 };
  GDALDatasetH mem = mem_new (256, 256, 4, GDT_Byte);
  const SlRenderParams *params;
  SlTileContent content;
  double ox, oy;
  int z, tx, ty, i0, j0;

  for (int b = 1; b <= 4; b++)
    {
      for (int k = 0; k < 256 * 256; k++)
        buf[k] = b < 4 ? (guint8) (k * b + b * 50) : (k % 256 < 64 ? 0 : k % 256 < 128 ? 128 : 255);
      write_band (mem, b, GDT_Byte, buf);
    }
  GDALSetRasterColorInterpretation (GDALGetRasterBand (mem, 4), GCI_AlphaBand);
  set_georef (mem, "EPSG:32636", gt);
  save_copy (mem, path, (const char *const[]) { "TILED=YES", "PHOTOMETRIC=RGB", "ALPHA=YES", NULL });

  scene = add_scene (f, path);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);
  z = sl_raster_source_get_native_zoom (src);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  tx = (int) (ox / SL_TILE_SIZE), ty = (int) (oy / SL_TILE_SIZE);
  i0 = (int) (ox - (double) tx * SL_TILE_SIZE), j0 = (int) (oy - (double) ty * SL_TILE_SIZE);
  content = render (src, params, z, tx, ty, argb);
  g_assert_cmpint (content, ==, SL_TILE_CONTENT_PARTIAL);

  for (int j = j0; j < SL_TILE_SIZE; j++)
    for (int i = i0; i < SL_TILE_SIZE; i++)
      {
        int col = i - i0, row = j - j0, k = row * 256 + col;
        guint a = col < 64 ? 0 : col < 128 ? 128 : 255;
        guint32 p = tile_pixel (argb, i, j);

        g_assert_cmpuint (A (p), ==, a);
        for (int b = 1; b <= 3; b++)
          {
            guint v = (guint8) (k * b + b * 50);
            guint got = (p >> (24 - 8 * b)) & 0xff;

            g_assert_cmpint (abs ((int) got - (int) ((v * a + 127) / 255)), <=, 1);
          }
      }
}

/* A JPEG-compressed GeoTIFF with an internal mask: the masked area is transparent, at the
 * native level and zoomed out. */
static void
test_masked_jpeg (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "masked.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *buf = g_malloc (512 * 512);
  const double gt[6] = { 510000, 0.5, 0, 6050000, 0, -0.5 };
  char **options = NULL;
  const SlRenderParams *params;
  GDALDatasetH ds;
  double ox, oy;
  int z;

  options = CSLSetNameValue (options, "TILED", "YES");
  options = CSLSetNameValue (options, "COMPRESS", "JPEG");
  CPLSetThreadLocalConfigOption ("GDAL_TIFF_INTERNAL_MASK", "YES");
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, 512, 512, 3, GDT_Byte, options);
  CSLDestroy (options);
  g_assert_nonnull (ds);
  for (int b = 1; b <= 3; b++)
    {
      for (int k = 0; k < 512 * 512; k++)
        buf[k] = (guint8) (60 + 40 * b + (k % 512) / 16);
      write_band (ds, b, GDT_Byte, buf);
    }
  g_assert_cmpint (GDALCreateDatasetMaskBand (ds, GMF_PER_DATASET), ==, CE_None);
  /* Masked: the left 200 columns. */
  for (int k = 0; k < 512 * 512; k++)
    buf[k] = k % 512 < 200 ? 0 : 255;
  g_assert_cmpint (GDALRasterIO (GDALGetMaskBand (GDALGetRasterBand (ds, 1)), GF_Write, 0, 0, 512, 512, buf,
                                 512, 512, GDT_Byte, 0, 0), ==, CE_None);
  set_georef (ds, "EPSG:32636", gt);
  GDALClose (ds);
  CPLSetThreadLocalConfigOption ("GDAL_TIFF_INTERNAL_MASK", NULL);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);

  scene = add_scene (f, path);
  g_assert_true (sl_scene_get_has_mask (scene));
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);

  for (int level = 0; level < 2; level++)
    {
      int x0, y0, x1, y1, n_masked = 0, n_shown = 0;

      z = sl_raster_source_get_native_zoom (src) - level;
      scene_origin_pixel (f, scene, z, &ox, &oy);
      footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
      for (int ty = y0; ty <= y1; ty++)
        for (int tx = x0; tx <= x1; tx++)
          {
            SlTileContent content = render (src, params, z, tx, ty, argb);

            g_assert_cmpint (content, !=, SL_TILE_CONTENT_EMPTY);
            for (int j = 0; j < SL_TILE_SIZE; j++)
              for (int i = 0; i < SL_TILE_SIZE; i++)
                {
                  double col = ((double) tx * SL_TILE_SIZE + i + 0.5 - ox) * (1 << level);
                  double row = ((double) ty * SL_TILE_SIZE + j + 0.5 - oy) * (1 << level);
                  guint32 p = tile_pixel (argb, i, j);

                  if (row < 0 || row >= 512 || col < 0 || col >= 512)
                    g_assert_cmphex (p, ==, 0);
                  else if (col < 198)
                    {
                      g_assert_cmphex (p, ==, 0);
                      n_masked++;
                    }
                  else if (col > 202)
                    {
                      g_assert_cmpuint (A (p), ==, 255);
                      g_assert_cmpint (abs ((int) R (p) - (int) (100 + (int) col / 16)), <=, 6);
                      g_assert_cmpint (abs ((int) B (p) - (int) (180 + (int) col / 16)), <=, 6);
                      n_shown++;
                    }
                }
          }
      g_assert_cmpint (n_masked, >, 0);
      g_assert_cmpint (n_shown, >, 0);
    }
}

/* A rotated geotransform goes through the warper: the footprint is the rotated rectangle's
 * bounding box, its corners are transparent, and pixels land where the transform says. */
static void
test_rotated_geotransform (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "rotated.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *buf = g_malloc (400 * 320);
  const double th = G_PI / 6, c = cos (th), s = sin (th);
  const double gt[6] = { 510000, c, s, 6050000, s, -c };
  double xs[4] = { 0, 400, 400, 0 }, ys[4] = { 0, 0, 320, 320 };
  const SlRenderParams *params;
  GDALDatasetH mem = mem_new (400, 320, 3, GDT_Byte);
  SlBounds fp, want = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  SlTileContent content;
  double t[6];
  int z, x0, y0, x1, y1, n_partial = 0, n_checked = 0;

  /* 16 × 16 px blocks of one colour each. */
  for (int b = 1; b <= 3; b++)
    {
      for (int k = 0; k < 400 * 320; k++)
        {
          int bx = (k % 400) / 16, by = (k / 400) / 16;
          buf[k] = (guint8) (b == 1 ? bx * 10 : b == 2 ? by * 12 : 200);
        }
      write_band (mem, b, GDT_Byte, buf);
    }
  set_georef (mem, "EPSG:32636", gt);
  save_copy (mem, path, (const char *const[]) { "TILED=YES", NULL });

  scene = add_scene (f, path);
  g_assert_true (sl_scene_get_pixel_to_site (scene, t));
  g_assert_cmpfloat (t[2], !=, 0);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);

  for (int k = 0; k < 4; k++)
    {
      double x = gt[0] + xs[k] * gt[1] + ys[k] * gt[2], y = gt[3] + xs[k] * gt[4] + ys[k] * gt[5];
      want.min_x = MIN (want.min_x, x), want.max_x = MAX (want.max_x, x);
      want.min_y = MIN (want.min_y, y), want.max_y = MAX (want.max_y, y);
    }
  sl_raster_source_get_footprint (src, &fp);
  g_assert_cmpfloat_with_epsilon (fp.min_x, want.min_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.max_x, want.max_x, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.min_y, want.min_y, 1e-6);
  g_assert_cmpfloat_with_epsilon (fp.max_y, want.max_y, 1e-6);

  z = sl_raster_source_get_native_zoom (src);
  g_assert_cmpint (z, ==, SL_SITE_GRID_BASE_LEVELS);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        content = render (src, params, z, tx, ty, argb);
        n_partial += content == SL_TILE_CONTENT_PARTIAL;
        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              double sx, sy, det = gt[1] * gt[5] - gt[2] * gt[4], col, row;
              guint32 p = tile_pixel (argb, i, j);

              sl_site_grid_pixel_to_site (f->grid, z, (double) tx * SL_TILE_SIZE + i + 0.5,
                                          (double) ty * SL_TILE_SIZE + j + 0.5, &sx, &sy);
              sx -= gt[0], sy -= gt[3];
              col = (sx * gt[5] - sy * gt[2]) / det;
              row = (sy * gt[1] - sx * gt[4]) / det;
              if (col < -1 || row < -1 || col > 401 || row > 321)
                g_assert_cmphex (p, ==, 0);
              else if (fmod (col, 16) > 2 && fmod (col, 16) < 14 && fmod (row, 16) > 2 && fmod (row, 16) < 14 &&
                       col > 1 && row > 1 && col < 399 && row < 319)
                {
                  /* Well inside one block: its colour, opaque. */
                  g_assert_cmpuint (A (p), ==, 255);
                  g_assert_cmpint (abs ((int) R (p) - ((int) col / 16) * 10), <=, 1);
                  g_assert_cmpint (abs ((int) G (p) - ((int) row / 16) * 12), <=, 1);
                  g_assert_cmpint (abs ((int) B (p) - 200), <=, 1);
                  n_checked++;
                }
            }
      }
  g_assert_cmpint (n_partial, >, 0);
  g_assert_cmpint (n_checked, >, 400 * 320 / 2);

  /* The bounding box's corners lie outside the rotated image. */
  {
    double px, py;
    int tx, ty;

    sl_site_grid_site_to_pixel (f->grid, z, fp.min_x + 0.5, fp.max_y - 0.5, &px, &py);
    tx = (int) (px / SL_TILE_SIZE), ty = (int) (py / SL_TILE_SIZE);
    render (src, params, z, tx, ty, argb);
    g_assert_cmphex (tile_pixel (argb, (int) px - tx * SL_TILE_SIZE, (int) py - ty * SL_TILE_SIZE), ==, 0);
    sl_site_grid_site_to_pixel (f->grid, z, fp.max_x - 0.5, fp.min_y + 0.5, &px, &py);
    tx = (int) (px / SL_TILE_SIZE), ty = (int) (py / SL_TILE_SIZE);
    render (src, params, z, tx, ty, argb);
    g_assert_cmphex (tile_pixel (argb, (int) px - tx * SL_TILE_SIZE, (int) py - ty * SL_TILE_SIZE), ==, 0);
  }
}

/* Renders every tile of the scene's native level and compares it with the file's own pixels
 * as GDAL decodes them: exact inside, transparent outside. */
static void
assert_native_matches_file (Fixture *f, SlScene *scene, SlRasterSource *src, const char *path)
{
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *pix = NULL;
  GDALDatasetH ds = GDALOpen (path, GA_ReadOnly);
  int w = GDALGetRasterXSize (ds), h = GDALGetRasterYSize (ds);
  int z = sl_raster_source_get_native_zoom (src), x0, y0, x1, y1;
  double ox, oy;

  pix = g_malloc ((gsize) w * h * 3);
  g_assert_cmpint (GDALDatasetRasterIO (ds, GF_Read, 0, 0, w, h, pix, w, h, GDT_Byte, 3, NULL, 3, 3 * w, 1), ==, CE_None);
  GDALClose (ds);

  scene_origin_pixel (f, scene, z, &ox, &oy);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  for (int ty = y0; ty <= y1; ty++)
    for (int tx = x0; tx <= x1; tx++)
      {
        render (src, sl_scene_get_render_params (scene), z, tx, ty, argb);
        for (int j = 0; j < SL_TILE_SIZE; j++)
          for (int i = 0; i < SL_TILE_SIZE; i++)
            {
              double col = (double) tx * SL_TILE_SIZE + i - ox, row = (double) ty * SL_TILE_SIZE + j - oy;
              guint32 p = tile_pixel (argb, i, j);
              const guint8 *q;

              if (col < 0 || row < 0 || col >= w || row >= h)
                {
                  g_assert_cmphex (p, ==, 0);
                  continue;
                }
              q = pix + ((gsize) row * w + (gsize) col) * 3;
              g_assert_cmphex (p, ==, 0xff000000u | (guint32) q[0] << 16 | (guint32) q[1] << 8 | q[2]);
            }
      }
}

/* Compressions and formats GDAL reads: each renders exactly what GDAL decodes. */
static void
test_formats (Fixture *f, gconstpointer data)
{
  /* JPEG 2000 resolution levels and JPEG's DCT scaling count as overviews, as GDAL reports. */
  static const struct { const char *name, *driver; const char *options[5]; gboolean overviews; } formats[] = {
    { "deflate.tif", "GTiff", { "TILED=YES", "COMPRESS=DEFLATE", NULL }, FALSE },
    { "zstd.tif", "GTiff", { "TILED=YES", "COMPRESS=ZSTD", NULL }, FALSE },
    { "webp.tif", "GTiff", { "TILED=YES", "COMPRESS=WEBP", "WEBP_LEVEL=80", NULL }, FALSE },
    { "jpeg.tif", "GTiff", { "TILED=YES", "COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", NULL }, FALSE },
    { "cog.tif", "COG", { "COMPRESS=JPEG", "BLOCKSIZE=256", NULL }, TRUE },
    { "lossless.jp2", "JP2OpenJPEG", { "REVERSIBLE=YES", "QUALITY=100", "BLOCKXSIZE=256", "BLOCKYSIZE=256", NULL }, TRUE },
    { "press.png", "PNG", { NULL }, FALSE },
    { "press.jpg", "JPEG", { NULL }, TRUE },
  };
  const double gt[6] = { 510000, 0.5, 0, 6050000, 0, -0.5 };
  g_autofree guint8 *buf = g_malloc (640 * 512);

  for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
    {
      g_autofree char *path = fixture_path (f, formats[k].name);
      g_autoptr(SlScene) scene = NULL;
      g_autoptr(SlRasterSource) src = NULL;
      GDALDriverH driver = GDALGetDriverByName (formats[k].driver);
      GDALDatasetH mem, out;

      if (driver == NULL)
        {
          g_test_message ("GDAL has no %s driver: %s not tested", formats[k].driver, formats[k].name);
          continue;
        }
      mem = mem_new (640, 512, 3, GDT_Byte);
      for (int b = 1; b <= 3; b++)
        {
          for (int i = 0; i < 640 * 512; i++)
            buf[i] = (guint8) (((i % 640) / 3 + (i / 640) / 2 * b + ((i * 7919u) >> 5) % 23) & 0xff);
          write_band (mem, b, GDT_Byte, buf);
        }
      if (g_str_has_suffix (formats[k].name, ".tif") || g_str_has_suffix (formats[k].name, ".jp2"))
        set_georef (mem, "EPSG:32636", gt);
      CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
      out = GDALCreateCopy (driver, path, mem, FALSE, (char **) formats[k].options, NULL, NULL);
      CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);
      g_assert_nonnull (out);
      GDALClose (out);
      GDALClose (mem);

      scene = add_scene (f, path);
      src = open_source (f, scene);
      g_assert_cmpint (sl_raster_source_has_overviews (src), ==, formats[k].overviews);
      assert_native_matches_file (f, scene, src, path);
    }
}

/* ---- two UTM zones ----------------------------------------------------------------------- */

static const double feature_lat[2] = { 48.0012, 47.9986 };
static const double feature_lon[2] = { 35.9478, 35.9531 };

static void
lonlat_to (const char *crs, double lon, double lat, double *x, double *y)
{
  OGRSpatialReferenceH a = OSRNewSpatialReference (NULL), b = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;

  OSRSetFromUserInput (a, "EPSG:4326");
  OSRSetFromUserInput (b, crs);
  OSRSetAxisMappingStrategy (a, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (b, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (a, b);
  *x = lon, *y = lat;
  g_assert_true (OCTTransform (ct, 1, x, y, NULL));
  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (a);
  OSRDestroySpatialReference (b);
}

static double
overlap (double a0, double a1, double b0, double b1)
{
  return MAX (0, MIN (a1, b1) - MAX (a0, b0));
}

/* A 2 m scene in @crs centred on 48.0° N 35.95° E, dark, with a bright 4-pixel square
 * (anti-aliased, so its centroid is exact) at each feature. */
static void
write_utm_scene (const char *path, const char *crs)
{
  const int n = 512;
  const double res = 2;
  g_autofree guint8 *buf = g_malloc (n * n);
  double cx, cy, gt[6];
  GDALDatasetH mem = mem_new (n, n, 3, GDT_Byte);

  lonlat_to (crs, 35.95, 48.0, &cx, &cy);
  gt[0] = round (cx) - n / 2 * res, gt[1] = res, gt[2] = 0;
  gt[3] = round (cy) + n / 2 * res, gt[4] = 0, gt[5] = -res;
  memset (buf, 40, n * n);
  for (int k = 0; k < 2; k++)
    {
      double fx, fy, px, py;

      lonlat_to (crs, feature_lon[k], feature_lat[k], &fx, &fy);
      px = (fx - gt[0]) / res, py = (gt[3] - fy) / res;
      for (int row = (int) py - 4; row <= (int) py + 4; row++)
        for (int col = (int) px - 4; col <= (int) px + 4; col++)
          {
            double cover = overlap (col, col + 1, px - 2, px + 2) * overlap (row, row + 1, py - 2, py + 2);
            buf[row * n + col] = (guint8) (40 + round (210 * cover));
          }
    }
  for (int b = 1; b <= 3; b++)
    write_band (mem, b, GDT_Byte, buf);
  set_georef (mem, crs, gt);
  save_copy (mem, path, (const char *const[]) { "TILED=YES", NULL });
}

/* Brightness-weighted centroid of a feature on level @z, in global pixels of that level. */
static void
find_feature (Fixture *f, SlRasterSource *src, const SlRenderParams *params, int z,
              double ex, double ey, double *cx, double *cy)
{
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  double sw = 0, sx = 0, sy = 0;
  int cached_tx = -1, cached_ty = -1;

  for (int gy = (int) ey - 8; gy <= (int) ey + 8; gy++)
    for (int gx = (int) ex - 8; gx <= (int) ex + 8; gx++)
      {
        int tx = gx / SL_TILE_SIZE, ty = gy / SL_TILE_SIZE;
        guint32 p;
        double w;

        if (tx != cached_tx || ty != cached_ty)
          {
            render (src, params, z, tx, ty, argb);
            cached_tx = tx, cached_ty = ty;
          }
        p = tile_pixel (argb, gx - tx * SL_TILE_SIZE, gy - ty * SL_TILE_SIZE);
        g_assert_cmpuint (A (p), ==, 255);
        w = MAX (0, (double) R (p) - 44);
        sw += w, sx += w * (gx + 0.5), sy += w * (gy + 0.5);
      }
  g_assert_cmpfloat (sw, >, 500);
  *cx = sx / sw;
  *cy = sy / sw;
}

static void
test_utm_zones_line_up (Fixture *f, gconstpointer data)
{
  g_autofree char *path36 = fixture_path (f, "zone36.tif");
  g_autofree char *path37 = fixture_path (f, "zone37.tif");
  g_autoptr(SlScene) s36 = NULL, s37 = NULL;
  g_autoptr(SlRasterSource) a = NULL, b = NULL;
  double t[6];
  int z;

  write_utm_scene (path36, "EPSG:32636");
  write_utm_scene (path37, "EPSG:32637");
  s36 = add_scene (f, path36);
  s37 = add_scene (f, path37);
  g_assert_true (sl_scene_get_pixel_to_site (s36, t));
  g_assert_false (sl_scene_get_pixel_to_site (s37, t));  /* warped from its own zone */

  a = open_source (f, s36);
  b = open_source (f, s37);
  z = sl_raster_source_get_native_zoom (a);
  g_assert_cmpint (abs (sl_raster_source_get_native_zoom (b) - z), <=, 1);

  for (int k = 0; k < 2; k++)
    {
      double sx, sy, ex, ey, ax, ay, bx, by;

      lonlat_to ("EPSG:32636", feature_lon[k], feature_lat[k], &sx, &sy);
      sl_site_grid_site_to_pixel (f->grid, z, sx, sy, &ex, &ey);
      find_feature (f, a, sl_scene_get_render_params (s36), z, ex, ey, &ax, &ay);
      find_feature (f, b, sl_scene_get_render_params (s37), z, ex, ey, &bx, &by);
      g_test_message ("feature %d: expected %.2f,%.2f; zone 36 %.2f,%.2f; zone 37 %.2f,%.2f",
                      k, ex, ey, ax, ay, bx, by);
      g_assert_cmpfloat (hypot (ax - bx, ay - by), <, 1.0);
      g_assert_cmpfloat (hypot (ax - ex, ay - ey), <, 1.0);
      g_assert_cmpfloat (hypot (bx - ex, by - ey), <, 1.0);
    }
}

/* Scenes warped from another zone keep their nodata and masks transparent. */
static void
test_warped_nodata_and_mask (Fixture *f, gconstpointer data)
{
  g_autofree char *site = fixture_path (f, "zone36.tif");
  g_autofree char *u16 = fixture_path (f, "nodata37.tif");
  g_autofree char *jpg = fixture_path (f, "masked37.tif");
  g_autoptr(SlScene) founder = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint16 *buf = g_new (guint16, 256 * 256);
  OGRSpatialReferenceH s36 = OSRNewSpatialReference (NULL), s37 = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct;
  double cx, cy, gt[6];
  char **options = NULL;
  GDALDatasetH ds;

  write_utm_scene (site, "EPSG:32636");
  founder = add_scene (f, site);

  lonlat_to ("EPSG:32637", 35.95, 48.0, &cx, &cy);
  gt[0] = round (cx) - 256, gt[1] = 2, gt[2] = 0, gt[3] = round (cy) + 256, gt[4] = 0, gt[5] = -2;

  ds = mem_new (256, 256, 3, GDT_UInt16);
  for (int b = 1; b <= 3; b++)
    {
      for (int k = 0; k < 256 * 256; k++)
        buf[k] = k % 256 < 64 ? 0 : 1000 + 10 * (k % 256) + b;
      write_band (ds, b, GDT_UInt16, buf);
      GDALSetRasterNoDataValue (GDALGetRasterBand (ds, b), 0);
    }
  set_georef (ds, "EPSG:32637", gt);
  save_copy (ds, u16, (const char *const[]) { "TILED=YES", NULL });

  options = CSLSetNameValue (options, "TILED", "YES");
  options = CSLSetNameValue (options, "COMPRESS", "JPEG");
  CPLSetThreadLocalConfigOption ("GDAL_TIFF_INTERNAL_MASK", "YES");
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), jpg, 256, 256, 3, GDT_Byte, options);
  CSLDestroy (options);
  for (int b = 1; b <= 3; b++)
    {
      for (int k = 0; k < 256 * 256; k++)
        buf[k] = 120;
      g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, b), GF_Write, 0, 0, 256, 256, buf, 256, 256,
                                     GDT_UInt16, 0, 0), ==, CE_None);
    }
  g_assert_cmpint (GDALCreateDatasetMaskBand (ds, GMF_PER_DATASET), ==, CE_None);
  for (int k = 0; k < 256 * 256; k++)
    buf[k] = k % 256 < 64 ? 0 : 255;
  g_assert_cmpint (GDALRasterIO (GDALGetMaskBand (GDALGetRasterBand (ds, 1)), GF_Write, 0, 0, 256, 256, buf,
                                 256, 256, GDT_UInt16, 0, 0), ==, CE_None);
  set_georef (ds, "EPSG:32637", gt);
  GDALClose (ds);
  CPLSetThreadLocalConfigOption ("GDAL_TIFF_INTERNAL_MASK", NULL);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);

  OSRSetFromUserInput (s36, "EPSG:32636");
  OSRSetFromUserInput (s37, "EPSG:32637");
  OSRSetAxisMappingStrategy (s36, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (s37, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (s36, s37);

  for (int k = 0; k < 2; k++)
    {
      g_autoptr(SlScene) scene = add_scene (f, k == 0 ? u16 : jpg);
      g_autoptr(SlRasterSource) src = open_source (f, scene);
      g_autoptr(SlRenderParams) params = sl_render_params_copy (sl_scene_get_render_params (scene));
      g_autoptr(GError) error = NULL;
      int z = sl_raster_source_get_native_zoom (src), x0, y0, x1, y1, n_hidden = 0, n_shown = 0;

      g_assert_true (sl_raster_source_compute_stretch (src, params, &error));
      g_assert_no_error (error);
      if (k == 0)
        g_assert_cmpfloat (params->low[0], >=, 1000);   /* nodata left out */
      footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
      for (int ty = y0; ty <= y1; ty++)
        for (int tx = x0; tx <= x1; tx++)
          {
            render (src, params, z, tx, ty, argb);
            for (int j = 0; j < SL_TILE_SIZE; j++)
              for (int i = 0; i < SL_TILE_SIZE; i++)
                {
                  double sx, sy, col, row;
                  guint a = A (tile_pixel (argb, i, j));

                  sl_site_grid_pixel_to_site (f->grid, z, (double) tx * SL_TILE_SIZE + i + 0.5,
                                              (double) ty * SL_TILE_SIZE + j + 0.5, &sx, &sy);
                  g_assert_true (OCTTransform (ct, 1, &sx, &sy, NULL));
                  col = (sx - gt[0]) / gt[1], row = (sy - gt[3]) / gt[5];
                  if (col < -2 || row < -2 || col > 258 || row > 258)
                    g_assert_cmpuint (a, ==, 0);
                  else if (row > 4 && row < 252 && col > 4 && col < 60)
                    {
                      g_assert_cmpuint (a, ==, 0);
                      n_hidden++;
                    }
                  else if (row > 4 && row < 252 && col > 68 && col < 252)
                    {
                      g_assert_cmpuint (a, ==, 255);
                      n_shown++;
                    }
                }
          }
      g_assert_cmpint (n_hidden, >, 13000);
      g_assert_cmpint (n_shown, >, 40000);
    }
  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (s36);
  OSRDestroySpatialReference (s37);
}

/* ---- edges and bad input ----------------------------------------------------------------- */

static void
test_outside_is_empty (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "rgb.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *zero = g_malloc0 (SL_TILE_BYTES);
  int z, x0, y0, x1, y1;

  sl_test_write_image (path, &rgb_spec);
  scene = add_scene (f, path);
  src = open_source (f, scene);
  z = sl_raster_source_get_native_zoom (src);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);

  g_assert_cmpint (render (src, sl_scene_get_render_params (scene), z, x1 + 1, y0, argb), ==, SL_TILE_CONTENT_EMPTY);
  g_assert_cmpmem (argb, SL_TILE_BYTES, zero, SL_TILE_BYTES);
  g_assert_cmpint (render (src, sl_scene_get_render_params (scene), z, x0 + 1000, y0 - 1000, argb), ==,
                   SL_TILE_CONTENT_EMPTY);
  g_assert_cmpmem (argb, SL_TILE_BYTES, zero, SL_TILE_BYTES);
  /* Far finer than native, still outside. */
  g_assert_cmpint (render (src, sl_scene_get_render_params (scene), z + 3, (x1 + 2) * 8, y0 * 8, argb), ==,
                   SL_TILE_CONTENT_EMPTY);
}

/* A file truncated after it was added: the tiles whose blocks are intact render, the others
 * fail with a READ error naming the file, and the source keeps working. */
static void
test_truncated_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "truncated.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *buf = g_malloc (1024 * 1024);
  const double gt[6] = { 510000, 0.5, 0, 6050000, 0, -0.5 };
  GDALDatasetH mem = mem_new (1024, 1024, 3, GDT_Byte);
  const SlRenderParams *params;
  guint32 state = 1;
  int z, x0, y0, x1, y1, good = 0, bad = 0;

  for (int b = 1; b <= 3; b++)
    {
      for (int k = 0; k < 1024 * 1024; k++)
        buf[k] = (guint8) ((state = state * 1664525u + 1013904223u) >> 24);
      write_band (mem, b, GDT_Byte, buf);
    }
  set_georef (mem, "EPSG:32636", gt);
  save_copy (mem, path, (const char *const[]) { "TILED=YES", "COMPRESS=DEFLATE", NULL });

  scene = add_scene (f, path);
  sl_test_truncate (path, 0.5);
  src = open_source (f, scene);
  params = sl_scene_get_render_params (scene);

  z = sl_raster_source_get_native_zoom (src);
  footprint_tiles (f, src, z, &x0, &y0, &x1, &y1);
  g_assert_cmpint ((x1 - x0 + 1) * (y1 - y0 + 1), ==, 16);   /* 1024² from a tile corner */
  for (int round = 0; round < 2; round++)
    for (int ty = y0; ty <= y1; ty++)
      for (int tx = x0; tx <= x1; tx++)
        {
          g_autoptr(GError) error = NULL;
          SlTileContent content;

          if (sl_raster_source_render_tile (src, params, z, tx, ty, argb, &content, &error))
            {
              g_assert_no_error (error);
              g_assert_cmpint (content, ==, SL_TILE_CONTENT_OPAQUE);
              good += round == 0;
            }
          else
            {
              g_assert_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ);
              g_assert_nonnull (strstr (error->message, "truncated.tif"));
              bad += round == 0;
            }
        }
  g_test_message ("%d good tiles, %d failed", good, bad);
  g_assert_cmpint (good, >=, 4);
  g_assert_cmpint (bad, >=, 4);
}

static void
test_missing_source (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "gone.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree char *resolved = NULL;

  sl_test_write_image (path, &rgb_spec);
  scene = add_scene (f, path);
  g_assert_cmpint (g_unlink (path), ==, 0);
  resolved = sl_project_resolve_source (f->project, scene);
  src = sl_raster_source_open (resolved, scene, f->grid, &error);
  g_assert_null (src);
  g_assert_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "gone.tif"));
}

/* Peak resident memory since the last reset_peak () (Linux ≥ 4.0). */
static void
reset_peak (void)
{
  FILE *fp = fopen ("/proc/self/clear_refs", "w");

  g_assert_nonnull (fp);
  g_assert_cmpint (fputs ("5", fp), >=, 0);
  g_assert_cmpint (fclose (fp), ==, 0);
}

static gint64
status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, key);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* A 100 000 × 100 000 sparse GeoTIFF of a few MB renders with tile-sized buffers. */
static void
test_sparse_huge (Fixture *f, gconstpointer data)
{
  g_autofree char *path = fixture_path (f, "huge.tif");
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlRasterSource) src = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  g_autofree guint8 *patch = g_malloc (256 * 256);
  const double gt[6] = { 500000, 0.5, 0, 6100000, 0, -0.5 };
  char **options = NULL;
  GDALDatasetH ds;
  gint64 before, after;
  double ox, oy;
  int z, tx, ty;

  options = CSLSetNameValue (options, "TILED", "YES");
  options = CSLSetNameValue (options, "SPARSE_OK", "TRUE");
  options = CSLSetNameValue (options, "BIGTIFF", "YES");
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  ds = GDALCreate (GDALGetDriverByName ("GTiff"), path, 100000, 100000, 1, GDT_Byte, options);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);
  CSLDestroy (options);
  g_assert_nonnull (ds);
  memset (patch, 200, 256 * 256);
  g_assert_cmpint (GDALRasterIO (GDALGetRasterBand (ds, 1), GF_Write, 50000, 50000, 256, 256, patch, 256, 256,
                                 GDT_Byte, 0, 0), ==, CE_None);
  set_georef (ds, "EPSG:32636", gt);
  GDALClose (ds);

  scene = add_scene (f, path);
  src = open_source (f, scene);
  reset_peak ();
  before = status_kb ("VmRSS:");

  z = sl_raster_source_get_native_zoom (src);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  tx = (int) ((ox + 50000 + 128) / SL_TILE_SIZE);
  ty = (int) ((oy + 50000 + 128) / SL_TILE_SIZE);
  render (src, sl_scene_get_render_params (scene), z, tx, ty, argb);
  {
    int i = (int) (ox + 50000 + 128 - (double) tx * SL_TILE_SIZE);
    int j = (int) (oy + 50000 + 128 - (double) ty * SL_TILE_SIZE);

    g_assert_cmphex (tile_pixel (argb, i, j), ==, 0xffc8c8c8);
  }
  /* Zoomed out 8× (a 2048² window of the source), and the far corner. */
  render (src, sl_scene_get_render_params (scene), z - 3, tx / 8, ty / 8, argb);
  scene_origin_pixel (f, scene, z, &ox, &oy);
  render (src, sl_scene_get_render_params (scene), z, (int) ((ox + 99999) / SL_TILE_SIZE),
          (int) ((oy + 99999) / SL_TILE_SIZE), argb);
  after = status_kb ("VmHWM:");
  g_test_message ("resident: %" G_GINT64_FORMAT " kB before, peak %" G_GINT64_FORMAT " kB while rendering",
                  before, after);
  g_assert_cmpint (after - before, <, 64 * 1024);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/raster-source/byte-native-exact", test_byte_native_exact);
  ADD ("/raster-source/byte-zoomed-out-average", test_byte_zoomed_out_average);
  ADD ("/raster-source/uint16-nodata-stretch", test_uint16_nodata_stretch);
  ADD ("/raster-source/stretch-sampled-excludes-nodata", test_stretch_sampled_excludes_nodata);
  ADD ("/raster-source/float-nodata", test_float_nodata);
  ADD ("/raster-source/formats", test_formats);
  ADD ("/raster-source/palette-expanded", test_palette_expanded);
  ADD ("/raster-source/rgba-alpha", test_rgba_alpha);
  ADD ("/raster-source/masked-jpeg", test_masked_jpeg);
  ADD ("/raster-source/rotated-geotransform", test_rotated_geotransform);
  ADD ("/raster-source/utm-zones-line-up", test_utm_zones_line_up);
  ADD ("/raster-source/warped-nodata-and-mask", test_warped_nodata_and_mask);
  ADD ("/raster-source/outside-is-empty", test_outside_is_empty);
  ADD ("/raster-source/truncated-file", test_truncated_file);
  ADD ("/raster-source/missing-source", test_missing_source);
  ADD ("/raster-source/sparse-huge", test_sparse_huge);
  ADD ("/raster-source/jpeg-scaled-ycbcr", test_jpeg_scaled_ycbcr);
  ADD ("/raster-source/jpeg-scaled-rgb", test_jpeg_scaled_rgb);
  ADD ("/raster-source/jpeg-scaled-fallbacks", test_jpeg_scaled_fallbacks);
  ADD ("/raster-source/jpeg-with-overviews", test_jpeg_with_overviews);
#undef ADD

  return g_test_run ();
}
