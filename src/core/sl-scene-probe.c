/* sl-scene-probe.c — reading an image's description with GDAL
 *
 * The probe answers "can Sitelapse show this file, and what is it?" before anything is stored:
 * it opens the file read-only, reads its structure and georeference, takes the acquisition date
 * from whatever metadata the format carries, hashes the file, and reads a few blocks so a
 * truncated file fails here rather than later in the tile pipeline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-probe"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gdal.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "sl-autocleanups-private.h"
#include "sl-core.h"
#include "sl-scene-private.h"

/* Larger than any real single image (a 1 000 000 px side is 500 km at 0.5 m). A header
 * claiming more is hostile or corrupt; refusing it here keeps later stages from sizing
 * buffers from it. */
#define MAX_SIDE 1000000

typedef struct
{
  CPLErr  worst;
  char   *message;
} GdalErrors;

static void CPL_STDCALL
collect_gdal_error (CPLErr klass, CPLErrorNum num, const char *msg)
{
  GdalErrors *errors = CPLGetErrorHandlerUserData ();

  if (klass >= CE_Failure && (errors->message == NULL || klass > errors->worst))
    {
      g_free (errors->message);
      errors->message = g_strdup (msg);
      errors->worst = klass;
    }
}

/* GDAL's own words are often precise ("TIFFFillTile:Read error at row…"); keep them, short. */
static const char *
gdal_reason (GdalErrors *errors, const char *fallback)
{
  if (errors->message == NULL || *errors->message == '\0')
    return fallback;
  /* GDAL often starts with the path we already name: "/a/b.tif: TIFFFetchDirectory: …". */
  {
    const char *colon = strstr (errors->message, ": ");

    if (colon && colon > errors->message && errors->message[0] == '/' &&
        memchr (errors->message, ' ', colon - errors->message) == NULL)
      memmove (errors->message, colon + 2, strlen (colon + 2) + 1);
  }
  if (strlen (errors->message) > 200)
    strcpy (errors->message + 197, "…");
  return errors->message;
}

static char *
hash_file (const char *path, gint64 *size, GError **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buf = g_malloc (1 << 20);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  gssize n;

  *size = 0;
  if (in == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, 1 << 20, NULL, error)) > 0)
    {
      g_checksum_update (sum, buf, n);
      *size += n;
    }
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (sum));
}

static GDateTime *
date_from_metadata (GDALDatasetH ds, char **sensor)
{
  static const struct { const char *domain; const char *key; } keys[] = {
    { "IMAGERY", "ACQUISITIONDATETIME" },   /* GDAL's normalised provider metadata (DG/Maxar, Pleiades…) */
    { NULL, "ACQUISITIONDATETIME" },
    { NULL, "ACQUISITION_DATETIME" },
    { NULL, "ACQUISITION_DATE" },
    { NULL, "EXIF_DateTimeOriginal" },
    { NULL, "EXIF_DateTimeDigitized" },
    { NULL, "TIFFTAG_DATETIME" },
    { NULL, "EXIF_DateTime" },
  };

  const char *sat = GDALGetMetadataItem (ds, "SATELLITEID", "IMAGERY");
  if (sat && *sat)
    *sensor = g_strdup (sat);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = GDALGetMetadataItem (ds, keys[i].key, keys[i].domain);
      GDateTime *dt = sl_scene_parse_date (v);

      if (dt)
        return dt;
    }
  return NULL;
}

static void
read_georeference (SlScene *self, GDALDatasetH ds)
{
  const char *wkt = GDALGetProjectionRef (ds);
  double gt[6];

  if (GDALGetGeoTransform (ds, gt) == CE_None && wkt && *wkt)
    {
      self->georef = SL_GEOREF_GEOTRANSFORM;
      memcpy (self->geotransform, gt, sizeof gt);
      self->crs_wkt = g_strdup (wkt);
      return;
    }

  self->gcp_count = GDALGetGCPCount (ds);
  if (self->gcp_count > 0)
    {
      const char *gcp_wkt = GDALGetGCPProjection (ds);

      self->georef = SL_GEOREF_GCPS;
      self->crs_wkt = gcp_wkt && *gcp_wkt ? g_strdup (gcp_wkt) : NULL;
    }
}

/* Reads the first, middle and last block of band 1: enough to catch truncated files and
 * broken codecs without reading a gigapixel image. */
static gboolean
check_readable (GDALDatasetH ds, GError **error, const char *path, GdalErrors *errors)
{
  GDALRasterBandH band = GDALGetRasterBand (ds, 1);
  int bw, bh, nbx, nby;
  int w = GDALGetRasterXSize (ds), h = GDALGetRasterYSize (ds);
  g_autofree double *buf = NULL;

  GDALGetBlockSize (band, &bw, &bh);
  bw = CLAMP (bw, 1, MIN (w, 4096));
  bh = CLAMP (bh, 1, MIN (h, 4096));
  nbx = (w + bw - 1) / bw;
  nby = (h + bh - 1) / bh;
  buf = g_new (double, (gsize) bw * bh);

  for (int i = 0; i < 3; i++)
    {
      int bx = (int[]) { 0, nbx / 2, nbx - 1 }[i];
      int by = (int[]) { 0, nby / 2, nby - 1 }[i];
      int x = bx * bw, y = by * bh;
      int cw = MIN (bw, w - x), ch = MIN (bh, h - y);

      if (GDALRasterIO (band, GF_Read, x, y, cw, ch, buf, cw, ch, GDT_Float64, 0, 0) != CE_None)
        {
          g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_UNREADABLE,
                       "Cannot read ‘%s’: the file is damaged or truncated (%s)",
                       path, gdal_reason (errors, "a block could not be read"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
probe_dataset (SlScene *self, GDALDatasetH ds, const char *path, GdalErrors *errors, GError **error)
{
  GDALRasterBandH band;
  int mask_flags, has_nodata = FALSE;

  self->width = GDALGetRasterXSize (ds);
  self->height = GDALGetRasterYSize (ds);
  self->band_count = GDALGetRasterCount (ds);
  self->driver = g_strdup (GDALGetDriverShortName (GDALGetDatasetDriver (ds)));

  if (self->band_count < 1)
    {
      g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_UNSUPPORTED,
                   "Cannot use ‘%s’: it has no raster bands (is it a container of subdatasets?)", path);
      return FALSE;
    }
  if (self->width < 1 || self->height < 1 || self->width > MAX_SIDE || self->height > MAX_SIDE)
    {
      g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_UNSUPPORTED,
                   "Cannot use ‘%s’: its header claims %d × %d pixels, which is not a plausible image",
                   path, self->width, self->height);
      return FALSE;
    }

  band = GDALGetRasterBand (ds, 1);
  self->data_type = g_strdup (GDALGetDataTypeName (GDALGetRasterDataType (band)));
  self->nodata = GDALGetRasterNoDataValue (band, &has_nodata);
  self->has_nodata = has_nodata;
  mask_flags = GDALGetMaskFlags (band);
  self->has_mask = (mask_flags & (GMF_ALL_VALID | GMF_NODATA)) == 0;
  self->has_palette = GDALGetRasterColorInterpretation (band) == GCI_PaletteIndex &&
                      GDALGetRasterColorTable (band) != NULL;

  read_georeference (self, ds);
  return check_readable (ds, error, path, errors);
}

SlScene *
sl_scene_probe (const char  *path,
                GError     **error)
{
  g_autoptr(SlScene) self = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *abs = NULL;
  GdalErrors errors = { CE_None, NULL };
  GStatBuf st;
  GDALDatasetH ds;
  gboolean ok;
  char *sensor = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();

  file = g_file_new_for_path (path);
  abs = g_file_get_path (file);

  if (g_stat (abs, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_NOT_FOUND,
                   "Cannot open ‘%s’: %s", path, g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_NOT_RASTER,
                   "Cannot open ‘%s’: it is a folder, not an image", path);
      return NULL;
    }
  if (st.st_size == 0)
    {
      g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_EMPTY,
                   "Cannot open ‘%s’: the file is empty (0 bytes)", path);
      return NULL;
    }

  self = sl_scene_new ();

  CPLPushErrorHandlerEx (collect_gdal_error, &errors);
  ds = GDALOpenEx (abs, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      CPLPopErrorHandler ();
      if (errors.message)
        g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_UNREADABLE,
                     "Cannot open ‘%s’: %s", path, gdal_reason (&errors, ""));
      else
        g_set_error (error, SL_SCENE_ERROR, SL_SCENE_ERROR_NOT_RASTER,
                     "Cannot open ‘%s’: not a raster format GDAL recognizes", path);
      g_free (errors.message);
      return NULL;
    }
  ok = probe_dataset (self, ds, path, &errors, error);
  if (ok)
    self->acquired = date_from_metadata (ds, &sensor);
  GDALClose (ds);
  CPLPopErrorHandler ();
  g_free (errors.message);
  if (!ok)
    {
      g_free (sensor);
      return NULL;
    }
  self->sensor = sensor;

  self->sha256 = hash_file (abs, &self->file_size, error);
  if (self->sha256 == NULL)
    return NULL;

  self->source_path = g_steal_pointer (&abs);
  return g_steal_pointer (&self);
}
