/* sl-demo.c — deterministic demo site: a training area filling up with armour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes three dated GeoTIFF scenes of one square kilometre near 54.58°N 33.17°E
 * (WGS 84 / UTM zone 36N), the ground truth of every object in each, and a press
 * image of the last date that has lost its georeference. The scenes are rendered
 * in strips of 256 rows, all three dates at once, so memory stays small at any
 * size: the ground by sl-demo-terrain.c, then vehicles and buildings by cairo,
 * then a touch of optical blur and sensor noise.
 */
#define G_LOG_DOMAIN "sl-demo"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "sl-core.h"
#include "sl-demo.h"
#include "sl-demo-private.h"

#define SITE_LAT      54.58
#define SITE_LON      33.17
#define SITE_EPSG     32636
#define STRIP_ROWS    256
#define MIN_SIZE      256
#define MAX_SIZE      16384
#define PRESS_CROP    0.70
#define PRESS_SCALE   0.80
#define PRESS_ROTATE  3.0   /* degrees */
#define PROVIDER      "Sitelapse demo (synthetic)"
#define SENSOR        "Synthetic 0.5 m RGB"
#define CREDIT        "Synthetic image © Sitelapse demo"

static const struct
{
  int         year, month, day, hour, minute, second;
  const char *setting;
} dates[SL_DEMO_N_DATES] = {
  { 2022, 1, 18, 8, 14, 37, "Snow on the fields, low winter sun" },
  { 2022, 2, 6, 8, 21, 52, "Thaw under thin haze, the last snow in the shade" },
  { 2022, 2, 21, 8, 9, 18, "Bare wet ground, tracks churned to mud" },
};

/* Look of each acquisition: gain and offset (haze) per channel. */
static const double grade[SL_DEMO_N_DATES][6] = {
  { 0.96, 0.99, 1.04, 0.020, 0.026, 0.042 },
  { 0.94, 0.95, 0.96, 0.060, 0.062, 0.072 },
  { 1.04, 1.01, 0.95, 0.012, 0.012, 0.018 },
};

typedef struct
{
  char        *dir;
  int          size;
  double       origin[2];     /* UTM easting, northing of the north-west corner */
  SlDemoWorld *world;
  GDateTime   *acquired[SL_DEMO_N_DATES];
  char        *tif[SL_DEMO_N_DATES];
  GPtrArray   *scenes;
} Demo;

void
sl_demo_scene_free (SlDemoScene *scene)
{
  if (scene == NULL)
    return;
  g_free (scene->path);
  g_clear_pointer (&scene->acquired, g_date_time_unref);
  g_free (scene->label);
  g_free (scene->provider);
  g_free (scene->sensor);
  g_free (scene->credit);
  g_free (scene->caption);
  g_free (scene);
}

static void
demo_clear (Demo *demo)
{
  g_free (demo->dir);
  _sl_demo_world_free (demo->world);
  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      g_clear_pointer (&demo->acquired[d], g_date_time_unref);
      g_free (demo->tif[d]);
    }
  g_clear_pointer (&demo->scenes, g_ptr_array_unref);
}

static gboolean
gdal_failed (GError    **error,
             const char *path,
             const char *what)
{
  const char *reason = CPLGetLastErrorMsg ();

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot %s ‘%s’: %s", what, path,
               reason && *reason ? reason : "GDAL gave no reason");
  return FALSE;
}

/* "18 Jan 2022", the same in every locale. */
static char *
format_day (GDateTime *dt)
{
  static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

  return g_strdup_printf ("%d %s %d", g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1], g_date_time_get_year (dt));
}

/* GDALClose () returns nothing before GDAL 3.7: a failed final flush shows in
 * the error state. */
static gboolean
close_dataset (GDALDatasetH ds,
               gboolean     ok,
               const char  *path,
               GError     **error)
{
  CPLErrorReset ();
  GDALClose (ds);
  if (ok && CPLGetLastErrorType () >= CE_Failure)
    return gdal_failed (error, path, "finish writing");
  return ok;
}

static char *
scene_file (Demo       *demo,
            guint       date,
            const char *suffix)
{
  g_autofree char *name = g_date_time_format (demo->acquired[date], "%Y-%m-%d");
  g_autofree char *base = g_strconcat (name, suffix, NULL);

  return g_build_filename (demo->dir, base, NULL);
}

/* The site's north-west corner: the UTM coordinates of the centre, rounded to
 * the metre, less half the extent. */
static gboolean
compute_origin (Demo    *demo,
                GError **error)
{
  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference (NULL);
  OGRSpatialReferenceH utm = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH ct = NULL;
  double x = SITE_LON, y = SITE_LAT;
  gboolean ok = FALSE;

  if (OSRImportFromEPSG (wgs84, 4326) == OGRERR_NONE && OSRImportFromEPSG (utm, SITE_EPSG) == OGRERR_NONE)
    {
      OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
      OSRSetAxisMappingStrategy (utm, OAMS_TRADITIONAL_GIS_ORDER);
      ct = OCTNewCoordinateTransformation (wgs84, utm);
    }
  if (ct != NULL && OCTTransform (ct, 1, &x, &y, NULL))
    {
      demo->origin[0] = round (x) - SL_DEMO_EXTENT_M / 2;
      demo->origin[1] = round (y) + SL_DEMO_EXTENT_M / 2;
      ok = TRUE;
    }
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "Cannot place the demo site: no transformation from WGS 84 to EPSG:%d (%s)",
                 SITE_EPSG, CPLGetLastErrorMsg ());
  if (ct != NULL)
    OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (wgs84);
  OSRDestroySpatialReference (utm);
  return ok;
}

/* --- scenes ------------------------------------------------------------------ */

static GDALDatasetH
create_scene (Demo    *demo,
              guint    date,
              GError **error)
{
  const char *options[] = {
    "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=JPEG",
    "PHOTOMETRIC=YCBCR", "JPEG_QUALITY=90", NULL,
  };
  GDALDriverH driver = GDALGetDriverByName ("GTiff");
  OGRSpatialReferenceH srs;
  GDALDatasetH ds;
  double res = SL_DEMO_EXTENT_M / demo->size;
  double gt[6] = { demo->origin[0], res, 0, demo->origin[1], 0, -res };
  g_autofree char *stamp = g_date_time_format (demo->acquired[date], "%Y:%m:%d %H:%M:%S");
  g_autofree char *iso = g_date_time_format (demo->acquired[date], "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *description = NULL;

  ds = driver ? GDALCreate (driver, demo->tif[date], demo->size, demo->size, 3, GDT_Byte, (char **) options) : NULL;
  if (ds == NULL)
    {
      gdal_failed (error, demo->tif[date], "create the GeoTIFF");
      return NULL;
    }
  srs = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (srs, SITE_EPSG);
  GDALSetSpatialRef (ds, srs);
  OSRDestroySpatialReference (srs);
  GDALSetGeoTransform (ds, gt);

  description = g_strdup_printf ("Sitelapse demo: synthetic %.3g m RGB scene of a training area near "
                                 "%.2f°N %.2f°E, acquired %s. %s.",
                                 res, SITE_LAT, SITE_LON, iso, dates[date].setting);
  GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", stamp, NULL);
  GDALSetMetadataItem (ds, "TIFFTAG_IMAGEDESCRIPTION", description, NULL);
  GDALSetMetadataItem (ds, "TIFFTAG_SOFTWARE", "Sitelapse " PACKAGE_VERSION " demo generator", NULL);
  GDALSetMetadataItem (ds, "TIFFTAG_COPYRIGHT", CREDIT, NULL);
  GDALSetMetadataItem (ds, "ACQUISITIONDATETIME", iso, NULL);
  GDALSetMetadataItem (ds, "PROVIDER", PROVIDER, NULL);
  GDALSetMetadataItem (ds, "SENSOR", SENSOR, NULL);
  return ds;
}

/* Blur a little (a real lens and detector are not perfect), grade for the day's
 * light and haze, add sensor noise, and pack rows 1 … n_rows of @src (which has
 * one extra row above and below) as RGB bytes. */
static void
develop (const guint32 *src,
         int            stride,
         int            width,
         int            n_rows,
         int            row0,
         guint          date,
         guint8        *out)
{
  const int words = stride / 4;

  for (int r = 0; r < n_rows; r++)
    {
      const guint32 *rows[3] = { src + (gsize) r * words, src + (gsize) (r + 1) * words, src + (gsize) (r + 2) * words };

      for (int c = 0; c < width; c++)
        {
          int cl = MAX (c - 1, 0), cr = MIN (c + 1, width - 1);
          guint32 noise = _sl_demo_hash (c, row0 + r, 1000 + date);

          for (int ch = 0; ch < 3; ch++)
            {
              int shift = 16 - 8 * ch;
              double sum = 0;
              int v;

              for (int k = 0; k < 3; k++)
                {
                  double wk = k == 1 ? 4 : 1;

                  sum += wk * (((rows[k][cl] >> shift) & 0xff) + 4.0 * ((rows[k][c] >> shift) & 0xff)
                               + ((rows[k][cr] >> shift) & 0xff));
                }
              sum /= 36 * 255.0;
              sum = sum * grade[date][ch] + grade[date][3 + ch];
              v = (int) floor (sum * 255 + 0.5 + (((noise >> (8 * ch)) & 0xff) - 127.5) / 64.0);
              out[((gsize) r * width + c) * 3 + ch] = (guint8) CLAMP (v, 0, 255);
            }
        }
    }
}

static gboolean
render_scenes (Demo    *demo,
               GError **error)
{
  GDALDatasetH ds[SL_DEMO_N_DATES] = { NULL };
  cairo_surface_t *surfaces[SL_DEMO_N_DATES] = { NULL };
  int size = demo->size, stride;
  double px = SL_DEMO_EXTENT_M / size;
  g_autofree guint8 *rgb = g_malloc ((gsize) size * STRIP_ROWS * 3);
  gboolean ok = TRUE;

  for (guint d = 0; d < SL_DEMO_N_DATES && ok; d++)
    {
      ds[d] = create_scene (demo, d, error);
      ok = ds[d] != NULL;
      surfaces[d] = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, STRIP_ROWS + 2);
    }
  stride = cairo_image_surface_get_stride (surfaces[0]);

  for (int row0 = 0; row0 < size && ok; row0 += STRIP_ROWS)
    {
      int n = MIN (STRIP_ROWS, size - row0);
      guint32 *rows[SL_DEMO_N_DATES];

      for (guint d = 0; d < SL_DEMO_N_DATES; d++)
        {
          cairo_surface_flush (surfaces[d]);
          rows[d] = (guint32 *) cairo_image_surface_get_data (surfaces[d]);
        }
      _sl_demo_world_shade (demo->world, size, row0 - 1, n + 2, rows, stride);

      for (guint d = 0; d < SL_DEMO_N_DATES && ok; d++)
        {
          cairo_t *cr;

          cairo_surface_mark_dirty (surfaces[d]);
          cr = cairo_create (surfaces[d]);
          cairo_translate (cr, 0, -(row0 - 1));
          cairo_scale (cr, 1 / px, 1 / px);
          _sl_demo_draw_features (demo->world, cr, d, (row0 - 1) * px, (row0 + n + 1) * px);
          cairo_destroy (cr);
          cairo_surface_flush (surfaces[d]);

          develop ((const guint32 *) cairo_image_surface_get_data (surfaces[d]), stride, size, n, row0, d, rgb);
          if (GDALDatasetRasterIO (ds[d], GF_Write, 0, row0, size, n, rgb, size, n, GDT_Byte,
                                   3, NULL, 3, size * 3, 1) != CE_None)
            ok = gdal_failed (error, demo->tif[d], "write");
          /* Write the finished row of tiles out now: the block cache would
           * otherwise hold the whole image at large sizes. */
          GDALFlushCache (ds[d]);
        }
    }

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      if (ds[d] != NULL)
        ok = close_dataset (ds[d], ok, demo->tif[d], error);
      if (surfaces[d] != NULL)
        cairo_surface_destroy (surfaces[d]);
    }
  return ok;
}

/* Internal overviews for the last scene only, so the tile pipeline meets both
 * a source with a pyramid and sources without. */
static gboolean
build_overviews (Demo    *demo,
                 GError **error)
{
  const char *path = demo->tif[SL_DEMO_N_DATES - 1];
  GDALDatasetH ds = GDALOpen (path, GA_Update);
  int levels[16], n = 0;
  gboolean ok;

  if (ds == NULL)
    return gdal_failed (error, path, "reopen");
  for (int f = 2; n == 0 || demo->size / f >= 128; f *= 2)
    levels[n++] = f;
  /* Building the pyramid reads the whole scene through GDAL's block cache, which
   * sl_core_init() bounds (32 MB unless GDAL_CACHEMAX says otherwise). */
  CPLSetThreadLocalConfigOption ("JPEG_QUALITY_OVERVIEW", "90");
  ok = GDALBuildOverviews (ds, "AVERAGE", n, levels, 0, NULL, NULL, NULL) == CE_None;
  CPLSetThreadLocalConfigOption ("JPEG_QUALITY_OVERVIEW", NULL);
  if (!ok)
    gdal_failed (error, path, "build overviews in");
  return close_dataset (ds, ok, path, error);
}

/* --- ground truth ------------------------------------------------------------- */

static gboolean
write_truth (Demo    *demo,
             guint    date,
             GError **error)
{
  const char *options[] = { "RFC7946=YES", "WRITE_NAME=NO", NULL };
  GDALDriverH driver = GDALGetDriverByName ("GeoJSON");
  g_autofree char *path = scene_file (demo, date, "_site.truth.geojson");
  g_autofree char *day = g_date_time_format (demo->acquired[date], "%Y-%m-%d");
  OGRSpatialReferenceH srs;
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFieldDefnH field;
  const SlDemoObject *objects;
  guint n;
  gboolean ok = TRUE;

  g_remove (path);
  ds = driver ? GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL) : NULL;
  if (ds == NULL)
    return gdal_failed (error, path, "create the ground truth");
  srs = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (srs, SITE_EPSG);
  layer = GDALDatasetCreateLayer (ds, "truth", srs, wkbPolygon, (char **) options);
  OSRDestroySpatialReference (srs);
  if (layer == NULL)
    {
      GDALClose (ds);
      return gdal_failed (error, path, "create the ground truth");
    }

  field = OGR_Fld_Create ("class", OFTString);
  OGR_L_CreateField (layer, field, TRUE);
  OGR_Fld_Destroy (field);
  field = OGR_Fld_Create ("object_id", OFTInteger);
  OGR_L_CreateField (layer, field, TRUE);
  OGR_Fld_Destroy (field);
  field = OGR_Fld_Create ("date", OFTString);
  OGR_L_CreateField (layer, field, TRUE);
  OGR_Fld_Destroy (field);
  field = OGR_Fld_Create ("heading_deg", OFTReal);
  OGR_L_CreateField (layer, field, TRUE);
  OGR_Fld_Destroy (field);

  objects = _sl_demo_world_get_objects (demo->world, &n);
  for (guint i = 0; i < n && ok; i++)
    {
      const SlDemoObject *ob = &objects[i];
      OGRFeatureH feature;
      OGRGeometryH poly, ring;
      double corners[8];

      if (ob->first_date > date)
        continue;
      _sl_demo_object_footprint (ob, date, corners);
      feature = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGR_F_SetFieldString (feature, 0, _sl_demo_class_name (ob->klass));
      OGR_F_SetFieldInteger (feature, 1, (int) ob->id);
      OGR_F_SetFieldString (feature, 2, day);
      OGR_F_SetFieldDouble (feature, 3, round (ob->heading[date] * 180 / G_PI * 100) / 100);
      ring = OGR_G_CreateGeometry (wkbLinearRing);
      for (int k = 0; k <= 4; k++)
        OGR_G_AddPoint_2D (ring, demo->origin[0] + corners[2 * (k % 4)], demo->origin[1] - corners[2 * (k % 4) + 1]);
      poly = OGR_G_CreateGeometry (wkbPolygon);
      OGR_G_AddGeometryDirectly (poly, ring);
      OGR_F_SetGeometryDirectly (feature, poly);
      if (OGR_L_CreateFeature (layer, feature) != OGRERR_NONE)
        ok = gdal_failed (error, path, "write a feature to");
      OGR_F_Destroy (feature);
    }
  return close_dataset (ds, ok, path, error);
}

/* --- the press image --------------------------------------------------------- */

/* Press pixel (u, v) → source pixel: src = t[0] + t[1]·u + t[2]·v, t[3] + t[4]·u + t[5]·v. */
static void
press_transform (int     size,
                 int     width,
                 double  t[6])
{
  double th = PRESS_ROTATE * G_PI / 180, c = cos (th) / PRESS_SCALE, s = sin (th) / PRESS_SCALE;

  t[1] = c;
  t[2] = -s;
  t[4] = s;
  t[5] = c;
  t[0] = size / 2.0 - (c * width / 2.0 - s * width / 2.0);
  t[3] = size / 2.0 - (s * width / 2.0 + c * width / 2.0);
}

/* A press agency's look: punchier contrast, warmer, more saturated. */
static guint8
press_grade (double value,
             double luma,
             int    channel)
{
  static const double warm[3] = { 1.05, 1.01, 0.92 };
  double v = luma + (value - luma) * 1.18;

  v = 0.5 + (v - 0.5) * 1.12;
  v = pow (CLAMP (v, 0.0, 1.0), 0.94) * warm[channel] + 0.01;
  return (guint8) CLAMP ((int) (v * 255 + 0.5), 0, 255);
}

static gboolean
render_press (Demo       *demo,
              const char *path,
              int         width,
              const double t[6],
              GError    **error)
{
  const char *source = demo->tif[SL_DEMO_N_DATES - 1];
  const char *options[] = { "QUALITY=84", NULL };
  GDALDatasetH src = GDALOpen (source, GA_ReadOnly);
  GDALDatasetH mem = NULL, jpeg = NULL;
  GDALDriverH mem_driver = GDALGetDriverByName ("MEM"), jpeg_driver = GDALGetDriverByName ("JPEG");
  const int chunk = 128;
  g_autofree guint8 *line = g_malloc ((gsize) width * chunk * 3);
  g_autofree char *aux = g_strconcat (path, ".aux.xml", NULL);
  gboolean ok = TRUE;

  if (src == NULL)
    return gdal_failed (error, source, "read");
  if (mem_driver == NULL || jpeg_driver == NULL
      || (mem = GDALCreate (mem_driver, "", width, width, 3, GDT_Byte, NULL)) == NULL)
    {
      GDALClose (src);
      return gdal_failed (error, path, "create");
    }

  for (int v0 = 0; v0 < width && ok; v0 += chunk)
    {
      int rows = MIN (chunk, width - v0);
      double xs[4], ys[4], x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
      int wx, wy, ww, wh, sstride, dstride;
      cairo_surface_t *window, *strip;
      guint8 *wdata, *sdata, *buf;
      cairo_pattern_t *pattern;
      cairo_matrix_t m;
      cairo_t *cr;

      for (int k = 0; k < 4; k++)
        {
          double u = (k & 1) ? width : 0, v = v0 + ((k & 2) ? rows : 0);

          xs[k] = t[0] + t[1] * u + t[2] * v;
          ys[k] = t[3] + t[4] * u + t[5] * v;
          x0 = MIN (x0, xs[k]);
          x1 = MAX (x1, xs[k]);
          y0 = MIN (y0, ys[k]);
          y1 = MAX (y1, ys[k]);
        }
      wx = MAX (0, (int) floor (x0) - 3);
      wy = MAX (0, (int) floor (y0) - 3);
      ww = MIN (demo->size, (int) ceil (x1) + 3) - wx;
      wh = MIN (demo->size, (int) ceil (y1) + 3) - wy;

      buf = g_malloc ((gsize) ww * wh * 3);
      if (GDALDatasetRasterIO (src, GF_Read, wx, wy, ww, wh, buf, ww, wh, GDT_Byte, 3, NULL,
                               3, ww * 3, 1) != CE_None)
        {
          g_free (buf);
          ok = gdal_failed (error, source, "read");
          break;
        }
      /* Decoded tiles are not needed again: keep the block cache small. */
      GDALFlushCache (src);

      window = cairo_image_surface_create (CAIRO_FORMAT_RGB24, ww, wh);
      wdata = cairo_image_surface_get_data (window);
      sstride = cairo_image_surface_get_stride (window);
      for (int y = 0; y < wh; y++)
        for (int x = 0; x < ww; x++)
          {
            const guint8 *p = buf + ((gsize) y * ww + x) * 3;

            ((guint32 *) (wdata + (gsize) y * sstride))[x] = 0xff000000u | p[0] << 16 | p[1] << 8 | p[2];
          }
      g_free (buf);
      cairo_surface_mark_dirty (window);

      strip = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, rows);
      cr = cairo_create (strip);
      pattern = cairo_pattern_create_for_surface (window);
      cairo_matrix_init (&m, t[1], t[4], t[2], t[5], t[0] + t[2] * v0 - wx, t[3] + t[5] * v0 - wy);
      cairo_pattern_set_matrix (pattern, &m);
      cairo_pattern_set_filter (pattern, CAIRO_FILTER_GOOD);
      cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
      cairo_set_source (cr, pattern);
      cairo_paint (cr);
      cairo_pattern_destroy (pattern);
      cairo_destroy (cr);
      cairo_surface_flush (strip);

      sdata = cairo_image_surface_get_data (strip);
      dstride = cairo_image_surface_get_stride (strip);
      for (int y = 0; y < rows; y++)
        for (int x = 0; x < width; x++)
          {
            guint32 px = ((guint32 *) (sdata + (gsize) y * dstride))[x];
            double c[3] = { ((px >> 16) & 0xff) / 255.0, ((px >> 8) & 0xff) / 255.0, (px & 0xff) / 255.0 };
            double luma = 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2];

            for (int ch = 0; ch < 3; ch++)
              line[((gsize) y * width + x) * 3 + ch] = press_grade (c[ch], luma, ch);
          }
      cairo_surface_destroy (strip);
      cairo_surface_destroy (window);

      if (GDALDatasetRasterIO (mem, GF_Write, 0, v0, width, rows, line, width, rows, GDT_Byte,
                               3, NULL, 3, width * 3, 1) != CE_None)
        ok = gdal_failed (error, path, "compose");
    }
  GDALClose (src);

  if (ok)
    {
      g_remove (path);
      jpeg = GDALCreateCopy (jpeg_driver, path, mem, FALSE, (char **) options, NULL, NULL);
      if (jpeg == NULL)
        ok = gdal_failed (error, path, "write the press image");
      else
        ok = close_dataset (jpeg, ok, path, error);
    }
  GDALClose (mem);
  /* A press JPEG comes with no georeference: no world file, no PAM sidecar. */
  g_remove (aux);
  return ok;
}

static JsonNode *
polygon_node (const double *xy,
              guint         n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i <= n; i++)
    {
      json_builder_begin_array (b);
      json_builder_add_double_value (b, round (xy[2 * (i % n)] * 1000) / 1000);
      json_builder_add_double_value (b, round (xy[2 * (i % n) + 1] * 1000) / 1000);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

static gboolean
write_json (JsonBuilder *builder,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents (path, text, -1, &local))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local->code), "Cannot write ‘%s’: %s",
                   path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* Ground truth of the press image: the exact mapping back to its source scene,
 * and the objects that lie wholly inside its frame, in press pixels. */
static gboolean
write_press_truth (Demo         *demo,
                   const char   *path,
                   const char   *image,
                   int           width,
                   const double  t[6],
                   guint        *n_visible,
                   GError      **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *src_base = g_path_get_basename (demo->tif[SL_DEMO_N_DATES - 1]);
  g_autofree char *img_base = g_path_get_basename (image);
  double res = SL_DEMO_EXTENT_M / demo->size, det = t[1] * t[5] - t[2] * t[4];
  double geo[6] = {
    demo->origin[0] + res * t[0], res * t[1], res * t[2],
    demo->origin[1] - res * t[3], -res * t[4], -res * t[5],
  };
  guint n, last = SL_DEMO_N_DATES - 1;
  const SlDemoObject *objects = _sl_demo_world_get_objects (demo->world, &n);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "image");
  json_builder_add_string_value (b, img_base);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, width);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, src_base);
  json_builder_set_member_name (b, "transform_convention");
  json_builder_add_string_value (b, "press pixel (u, v) to source pixel: x = t0 + t1*u + t2*v, "
                                 "y = t3 + t4*u + t5*v; (0, 0) is the outer corner of the first pixel");
  json_builder_set_member_name (b, "transform");
  json_builder_begin_array (b);
  for (int i = 0; i < 6; i++)
    json_builder_add_double_value (b, t[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "geo_transform");
  json_builder_begin_array (b);
  for (int i = 0; i < 6; i++)
    json_builder_add_double_value (b, geo[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "crs");
  json_builder_add_string_value (b, "EPSG:32636");
  json_builder_set_member_name (b, "crop_fraction");
  json_builder_add_double_value (b, PRESS_CROP);
  json_builder_set_member_name (b, "scale");
  json_builder_add_double_value (b, PRESS_SCALE);
  json_builder_set_member_name (b, "rotation_deg");
  json_builder_add_double_value (b, PRESS_ROTATE);

  *n_visible = 0;
  json_builder_set_member_name (b, "objects");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      double corners[8], uv[8];
      gboolean inside = TRUE;

      if (objects[i].first_date > last)
        continue;
      _sl_demo_object_footprint (&objects[i], last, corners);
      for (int k = 0; k < 4; k++)
        {
          /* World metres → source pixel → press pixel (inverse of t). */
          double sx = corners[2 * k] / res - t[0], sy = corners[2 * k + 1] / res - t[3];

          uv[2 * k] = (t[5] * sx - t[2] * sy) / det;
          uv[2 * k + 1] = (-t[4] * sx + t[1] * sy) / det;
          inside = inside && uv[2 * k] >= 0 && uv[2 * k] <= width && uv[2 * k + 1] >= 0 && uv[2 * k + 1] <= width;
        }
      if (!inside)
        continue;
      (*n_visible)++;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "object_id");
      json_builder_add_int_value (b, objects[i].id);
      json_builder_set_member_name (b, "class");
      json_builder_add_string_value (b, _sl_demo_class_name (objects[i].klass));
      json_builder_set_member_name (b, "polygon");
      json_builder_add_value (b, polygon_node (uv, 4));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return write_json (b, path, error);
}

/* --- provenance ------------------------------------------------------------- */

static char *
describe_objects (SlDemoWorld *world,
                  guint        date)
{
  static const char *plural[SL_DEMO_N_CLASSES][2] = {
    { "tank", "tanks" }, { "IFV/APC", "IFVs/APCs" }, { "self-propelled gun", "self-propelled guns" },
    { "truck", "trucks" }, { "tent", "tents" },
  };
  guint counts[SL_DEMO_N_CLASSES] = { 0 }, n;
  const SlDemoObject *objects = _sl_demo_world_get_objects (world, &n);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    if (objects[i].first_date <= date)
      counts[objects[i].klass]++;
  for (int c = 0; c < SL_DEMO_N_CLASSES; c++)
    if (counts[c] > 0)
      g_string_append_printf (s, "%s%u %s", s->len ? ", " : "", counts[c], plural[c][counts[c] != 1]);
  return g_string_free (s, FALSE);
}

static SlDemoScene *
scene_new (const char *path,
           GDateTime  *acquired,
           char       *label,
           char       *caption,
           gboolean    georeferenced,
           guint       n_objects)
{
  SlDemoScene *scene = g_new0 (SlDemoScene, 1);

  scene->path = g_strdup (path);
  scene->acquired = g_date_time_ref (acquired);
  scene->label = label;
  scene->provider = g_strdup (PROVIDER);
  scene->sensor = g_strdup (SENSOR);
  scene->credit = g_strdup (CREDIT);
  scene->caption = caption;
  scene->georeferenced = georeferenced;
  scene->n_objects = n_objects;
  return scene;
}

static gboolean
write_manifest (Demo    *demo,
                GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *path = g_build_filename (demo->dir, "demo.json", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "Sitelapse " PACKAGE_VERSION " demo generator");
  json_builder_set_member_name (b, "site");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Training area");
  json_builder_set_member_name (b, "latitude");
  json_builder_add_double_value (b, SITE_LAT);
  json_builder_set_member_name (b, "longitude");
  json_builder_add_double_value (b, SITE_LON);
  json_builder_set_member_name (b, "crs");
  json_builder_add_string_value (b, "EPSG:32636");
  json_builder_set_member_name (b, "origin");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, demo->origin[0]);
  json_builder_add_double_value (b, demo->origin[1]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "extent_m");
  json_builder_add_double_value (b, SL_DEMO_EXTENT_M);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, demo->size);
  json_builder_set_member_name (b, "resolution_m");
  json_builder_add_double_value (b, SL_DEMO_EXTENT_M / demo->size);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "scenes");
  json_builder_begin_array (b);
  for (guint i = 0; i < demo->scenes->len; i++)
    {
      SlDemoScene *sc = g_ptr_array_index (demo->scenes, i);
      g_autofree char *base = g_path_get_basename (sc->path);
      g_autofree char *stem = g_strndup (base, strrchr (base, '.') - base);
      g_autofree char *truth = g_strconcat (stem, sc->georeferenced ? ".truth.geojson" : ".truth.json", NULL);
      g_autofree char *iso = g_date_time_format (sc->acquired, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, base);
      json_builder_set_member_name (b, "truth");
      json_builder_add_string_value (b, truth);
      json_builder_set_member_name (b, "acquired");
      json_builder_add_string_value (b, iso);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, sc->label);
      json_builder_set_member_name (b, "provider");
      json_builder_add_string_value (b, sc->provider);
      json_builder_set_member_name (b, "sensor");
      json_builder_add_string_value (b, sc->sensor);
      json_builder_set_member_name (b, "credit");
      json_builder_add_string_value (b, sc->credit);
      json_builder_set_member_name (b, "caption");
      json_builder_add_string_value (b, sc->caption);
      json_builder_set_member_name (b, "georeferenced");
      json_builder_add_boolean_value (b, sc->georeferenced);
      json_builder_set_member_name (b, "n_objects");
      json_builder_add_int_value (b, sc->n_objects);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return write_json (b, path, error);
}

static gboolean
generate (Demo    *demo,
          GError **error)
{
  guint last = SL_DEMO_N_DATES - 1, n_press = 0;
  int press_width = (int) round (demo->size * PRESS_CROP * PRESS_SCALE);
  double t[6];
  g_autofree char *press = scene_file (demo, last, "_press.jpg");
  g_autofree char *press_truth = scene_file (demo, last, "_press.truth.json");
  g_autofree char *day = NULL;

  if (!compute_origin (demo, error))
    return FALSE;
  demo->world = _sl_demo_world_new ();
  if (!render_scenes (demo, error) || !build_overviews (demo, error))
    return FALSE;

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      g_autofree char *what = describe_objects (demo->world, d);

      if (!write_truth (demo, d, error))
        return FALSE;
      day = format_day (demo->acquired[d]);
      g_ptr_array_add (demo->scenes,
                       scene_new (demo->tif[d], demo->acquired[d],
                                  g_strdup_printf ("Training area — %s", day),
                                  g_strdup_printf ("%s. Visible: %s, parked along the tracks and the "
                                                   "forest edge of a training area.", dates[d].setting, what),
                                  TRUE, _sl_demo_world_count_objects (demo->world, d)));
      g_clear_pointer (&day, g_free);
    }

  press_transform (demo->size, press_width, t);
  if (!render_press (demo, press, press_width, t, error)
      || !write_press_truth (demo, press_truth, press, press_width, t, &n_press, error))
    return FALSE;
  day = format_day (demo->acquired[last]);
  g_ptr_array_add (demo->scenes,
                   scene_new (press, demo->acquired[last], g_strdup_printf ("Press image — %s", day),
                              g_strdup_printf ("The training area on %s as released to the press: cropped, "
                                               "scaled and slightly rotated, with no georeference. "
                                               "%u objects in frame.", day, n_press),
                              FALSE, n_press));
  return write_manifest (demo, error);
}

/**
 * sl_demo_generate:
 * @dir: folder to write into; created if needed
 * @size: width and height of each scene in pixels, 256 … 16384
 * @error: return location for a #GError
 *
 * Returns: (transfer full): #SlDemoScene in date order, the press image last
 */
GPtrArray *
sl_demo_generate (const char  *dir,
                  int          size,
                  GError     **error)
{
  Demo demo = { 0 };
  char *previous_pam;
  gboolean ok;

  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size < MIN_SIZE || size > MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Cannot make a demo of %d × %d pixels: the size must be between %d and %d",
                   size, size, MIN_SIZE, MAX_SIZE);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create the demo folder ‘%s’: %s",
                   dir, g_strerror (saved));
      return NULL;
    }

  sl_core_init ();
  demo.dir = g_canonicalize_filename (dir, NULL);
  demo.size = size;
  demo.scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_demo_scene_free);
  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      demo.acquired[d] = g_date_time_new_utc (dates[d].year, dates[d].month, dates[d].day,
                                              dates[d].hour, dates[d].minute, dates[d].second);
      demo.tif[d] = scene_file (&demo, d, "_site.tif");
    }

  /* No .aux.xml beside what we write: everything goes inside the files. */
  previous_pam = g_strdup (CPLGetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL));
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
  CPLErrorReset ();
  ok = generate (&demo, error);
  CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", previous_pam);
  g_free (previous_pam);

  if (!ok)
    {
      demo_clear (&demo);
      return NULL;
    }
  {
    GPtrArray *scenes = g_steal_pointer (&demo.scenes);

    demo_clear (&demo);
    return scenes;
  }
}
