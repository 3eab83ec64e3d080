/* sl-raster-source.c — one scene's pixels, read with GDAL onto the site grid
 *
 * A tile is one GDALDatasetRasterIOEx call: the tile's window of the source (or of a warped VRT
 * for scenes that are rotated or in another CRS), all mapped bands at once, pixel-interleaved
 * into a tile-sized scratch buffer, with GDAL resampling (average when zooming out, nearest
 * otherwise) and choosing the best overview itself. Then one pass turns the scratch into
 * premultiplied ARGB through per-channel lookup tables (256 entries for Byte, 65536 for 16-bit
 * data, built once per render parameters), with nodata, alpha bands and masks as alpha.
 * Plain tiled JPEG GeoTIFFs skip GDAL: their blocks go to TurboJPEG, at full size or DCT-scaled
 * for reduced levels (sl-raster-source-jpeg.c).
 *
 * Where the pixels land and the warped VRT are in sl-raster-source-placement.c; which bands,
 * alpha and source window a tile reads in sl-raster-source-plan.c; the conversion pass in
 * sl-raster-source-pixels.c, the stretch's statistics in sl-raster-source-stats.c.
 *
 * Each SlRasterSource owns its GDAL dataset and is used by one thread at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-raster-source"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <gdal_alg.h>
#include <cpl_error.h>
#include <gio/gio.h>

#include "sl-core.h"
#include "sl-raster-source-private.h"
#include "sl-scene-transform.h"

G_DEFINE_FINAL_TYPE (SlRasterSource, sl_raster_source, G_TYPE_OBJECT)

G_DEFINE_QUARK (sl-raster-source-error-quark, sl_raster_source_error)

void CPL_STDCALL
_sl_raster_source_collect_error (CPLErr klass, CPLErrorNum num, const char *msg)
{
  SlGdalErrors *errors = CPLGetErrorHandlerUserData ();

  if (klass >= CE_Failure && errors->message == NULL)
    errors->message = g_strdup (msg);
  else
    g_debug ("GDAL: %s", msg);
}

const char *
_sl_raster_source_gdal_reason (SlGdalErrors *errors, const char *fallback)
{
  if (errors->message == NULL || *errors->message == '\0')
    return fallback;
  if (strlen (errors->message) > 200)
    strcpy (errors->message + 197, "…");
  return errors->message;
}

static int
kind_size (SlPixelKind kind)
{
  static const int sizes[] = { 1, 2, 2, 4 };
  return sizes[kind];
}

GDALDataType
_sl_raster_source_kind_type (SlPixelKind kind)
{
  static const GDALDataType types[] = { GDT_Byte, GDT_UInt16, GDT_Int16, GDT_Float32 };
  return types[kind];
}

static SlPixelKind
kind_for (GDALDataType type)
{
  switch (type)
    {
    case GDT_Byte:
      return SL_PIXEL_BYTE;
    case GDT_UInt16:
      return SL_PIXEL_UINT16;
    case GDT_Int16:
      return SL_PIXEL_INT16;
    default:
      return SL_PIXEL_FLOAT;
    }
}

/* The per-channel tables for @params, rebuilt only when they change. */
static void
ensure_luts (SlRasterSource *self, const SlRenderParams *params)
{
  if (self->lut_valid && memcmp (self->lut_params.bands, params->bands, sizeof params->bands) == 0 &&
      self->lut_params.mode == params->mode &&
      memcmp (self->lut_params.low, params->low, sizeof params->low) == 0 &&
      memcmp (self->lut_params.high, params->high, sizeof params->high) == 0)
    return;

  for (int c = 0; c < 3; c++)
    {
      gboolean none = params->mode == SL_STRETCH_NONE;

      if (self->lut[c] == NULL && self->kind != SL_PIXEL_FLOAT)
        self->lut[c] = g_malloc (self->kind == SL_PIXEL_BYTE ? 256 : 65536);
      _sl_raster_source_build_lut (self->kind, none ? 0 : params->low[c], none ? 255 : params->high[c],
                                   self->lut[c], &self->scale[c], &self->offset[c]);
    }
  self->lut_params = *params;
  self->lut_valid = TRUE;
}

/* ---- tile reads -------------------------------------------------------------------------- */

static void
init_extra (GDALRasterIOExtraArg *extra, const SlTileWindow *win, GDALRIOResampleAlg alg)
{
  INIT_RASTERIO_EXTRA_ARG (*extra);
  extra->eResampleAlg = alg;
  extra->bFloatingPointWindowValidity = TRUE;
  extra->dfXOff = win->sx;
  extra->dfYOff = win->sy;
  extra->dfXSize = win->sw;
  extra->dfYSize = win->sh;
}

static gboolean
overlaps (const SlBounds *a, const SlBounds *b)
{
  return a->min_x < b->max_x && b->min_x < a->max_x && a->min_y < b->max_y && b->min_y < a->max_y;
}

/* A window of a plain JPEG GeoTIFF decoded by TurboJPEG (sl-raster-source-jpeg.c): at full
 * resolution, or reduced by DCT scaling — whole source pixels per output pixel, a power of two
 * of them. FALSE: read it through GDAL. */
static gboolean
read_scaled_jpeg (SlRasterSource *self, const SlRenderParams *params, const SlReadPlan *plan,
                  const SlTileWindow *win, guint8 *argb)
{
  int r = (int) win->fx, bw = win->x1 - win->x0, bh = win->y1 - win->y0;
  int scale, shifts[3];
  guint8 *out = argb + (gsize) win->y0 * SL_TILE_STRIDE + (gsize) win->x0 * 4;

  if (win->fx != win->fy || win->fx != (double) r || r < 1 || (r & (r - 1)) != 0 ||
      win->sx != floor (win->sx) || win->sy != floor (win->sy))
    return FALSE;
  if (r > 1 && self->has_overviews)
    return FALSE;   /* GDAL reads its real overviews */
  scale = MIN (r, 8);
  if ((int) win->sx % scale != 0 || (int) win->sy % scale != 0)
    return FALSE;
  for (int c = 0; c < 3; c++)
    {
      if (plan->bands[c] < 1 || plan->bands[c] > 3)
        return FALSE;
      shifts[c] = 8 * (3 - plan->bands[c]);   /* band 1 is red: bits 16–23 */
    }
  if (bw != SL_TILE_SIZE || bh != SL_TILE_SIZE)
    memset (argb, 0, SL_TILE_BYTES);
  if (!_sl_jpeg_tiles_read (self->jpeg, (int) win->sx, (int) win->sy, r, bw, bh, out, SL_TILE_STRIDE))
    return FALSE;
  self->scaled_reads++;

  /* Band mapping and stretch, when they are not the identity. */
  if (params->mode != SL_STRETCH_NONE || shifts[0] != 16 || shifts[1] != 8 || shifts[2] != 0)
    for (int j = 0; j < bh; j++)
      {
        guint32 *row = (guint32 *) (out + (gsize) j * SL_TILE_STRIDE);

        for (int i = 0; i < bw; i++)
          {
            guint32 p = row[i];
            guint v0 = (p >> shifts[0]) & 0xff, v1 = (p >> shifts[1]) & 0xff, v2 = (p >> shifts[2]) & 0xff;

            if (params->mode != SL_STRETCH_NONE)
              v0 = self->lut[0][v0], v1 = self->lut[1][v1], v2 = self->lut[2][v2];
            row[i] = 0xff000000u | v0 << 16 | v1 << 8 | v2;
          }
      }
  return TRUE;
}

/* ---- GObject ----------------------------------------------------------------------------- */

static void
sl_raster_source_finalize (GObject *object)
{
  SlRasterSource *self = SL_RASTER_SOURCE (object);

  /* The warped VRT holds a reference on the source dataset: close it first. Its transformer
   * uses scene_warp. */
  g_clear_pointer (&self->vrt, GDALClose);
  g_clear_pointer (&self->scene_warp, GDALDestroyTransformer);
  g_clear_pointer (&self->scene_transform, sl_scene_transform_free);
  g_clear_pointer (&self->jpeg, _sl_jpeg_tiles_free);
  g_clear_pointer (&self->ds, GDALClose);
  g_clear_pointer (&self->grid, sl_site_grid_unref);
  g_free (self->path);
  g_free (self->src_wkt);
  g_free (self->has_nodata);
  g_free (self->nodata);
  g_free (self->data);
  g_free (self->mask);
  for (int c = 0; c < 3; c++)
    g_free (self->lut[c]);

  G_OBJECT_CLASS (sl_raster_source_parent_class)->finalize (object);
}

static void
sl_raster_source_class_init (SlRasterSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_raster_source_finalize;
}

static void
sl_raster_source_init (SlRasterSource *self)
{
}

/* ---- public API -------------------------------------------------------------------------- */

static void
read_bands (SlRasterSource *self)
{
  GDALDataType common = GDT_Unknown;

  self->has_nodata = g_new0 (gboolean, self->band_count);
  self->nodata = g_new0 (double, self->band_count);
  for (int b = 0; b < self->band_count; b++)
    {
      GDALRasterBandH band = GDALGetRasterBand (self->ds, b + 1);
      GDALDataType type = GDALGetRasterDataType (band);
      int has = FALSE;

      self->nodata[b] = GDALGetRasterNoDataValue (band, &has);
      self->has_nodata[b] = has;
      if (self->alpha_band == 0 && GDALGetRasterColorInterpretation (band) == GCI_AlphaBand)
        self->alpha_band = b + 1;
      common = b == 0 ? type : common == type ? common : GDT_Float32;
    }
  self->kind = kind_for (common);
  self->has_overviews = GDALGetOverviewCount (GDALGetRasterBand (self->ds, 1)) > 0;

  /* A palette on band 1 (the only place GDAL's drivers put one) is expanded by table. */
  {
    GDALRasterBandH band = GDALGetRasterBand (self->ds, 1);
    GDALColorTableH ct = GDALGetRasterColorTable (band);

    if (ct && GDALGetRasterColorInterpretation (band) == GCI_PaletteIndex &&
        (self->kind == SL_PIXEL_BYTE || self->kind == SL_PIXEL_UINT16))
      {
        self->palette_band = 1;
        self->palette_size = MIN (GDALGetColorEntryCount (ct), 256);
        for (int i = 0; i < self->palette_size; i++)
          {
            GDALColorEntry e;

            GDALGetColorEntryAsRGB (ct, i, &e);
            self->palette[i] = _sl_raster_source_premultiply (CLAMP (e.c1, 0, 255), CLAMP (e.c2, 0, 255), CLAMP (e.c3, 0, 255),
                                     CLAMP (e.c4, 0, 255));
          }
      }
  }
}

SlRasterSource *
sl_raster_source_open (const char  *path,
                       SlScene     *scene,
                       SlSiteGrid  *grid,
                       GError     **error)
{
  g_autoptr(SlRasterSource) self = NULL;
  SlGdalErrors errors = { NULL };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);
  g_return_val_if_fail (grid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sl_core_init ();

  /* GDAL's virtual paths (/vsizip/…, /vsicurl/…) are checked by opening them. */
  if (!g_str_has_prefix (path, "/vsi") && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_MISSING,
                   "Cannot open ‘%s’: the file was moved or deleted", path);
      return NULL;
    }

  self = g_object_new (SL_TYPE_RASTER_SOURCE, NULL);
  self->path = g_strdup (path);
  self->grid = sl_site_grid_ref (grid);

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  self->ds = GDALOpenEx (path, GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
  CPLPopErrorHandler ();
  if (self->ds == NULL)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_OPEN, "Cannot open ‘%s’: %s",
                   path, _sl_raster_source_gdal_reason (&errors, "not a raster format GDAL recognizes"));
      g_free (errors.message);
      return NULL;
    }
  g_free (errors.message);

  self->width = GDALGetRasterXSize (self->ds);
  self->height = GDALGetRasterYSize (self->ds);
  self->band_count = GDALGetRasterCount (self->ds);
  if (self->width != sl_scene_get_width (scene) || self->height != sl_scene_get_height (scene) ||
      self->band_count != sl_scene_get_band_count (scene))
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_OPEN,
                   "Cannot open ‘%s’: it has changed since it was added (%d × %d, %d bands; "
                   "the scene has %d × %d, %d bands)", path, self->width, self->height,
                   self->band_count, sl_scene_get_width (scene), sl_scene_get_height (scene),
                   sl_scene_get_band_count (scene));
      return NULL;
    }

  read_bands (self);
  if (!_sl_raster_source_place (self, scene, error))
    return NULL;

  if (!self->warp)
    self->jpeg = _sl_jpeg_tiles_open (self->ds, path);
  self->data = g_malloc ((gsize) SL_TILE_SIZE * SL_TILE_SIZE * 4 * sizeof (float));
  self->mask = g_malloc ((gsize) SL_TILE_SIZE * SL_TILE_SIZE);
  return g_steal_pointer (&self);
}

void
sl_raster_source_get_footprint (SlRasterSource *self,
                                SlBounds       *bounds)
{
  g_return_if_fail (SL_IS_RASTER_SOURCE (self));
  g_return_if_fail (bounds != NULL);
  *bounds = self->footprint;
}

int
sl_raster_source_get_native_zoom (SlRasterSource *self)
{
  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), 0);
  return self->native_zoom;
}

gboolean
sl_raster_source_has_overviews (SlRasterSource *self)
{
  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), FALSE);
  return self->has_overviews;
}

guint64
_sl_raster_source_get_scaled_reads (SlRasterSource *self)
{
  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), 0);
  return self->scaled_reads;
}

gboolean
_sl_raster_source_can_average (SlRasterSource *self)
{
  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), FALSE);

  if (self->warp || self->alpha_band > 0 || self->palette_band > 0)
    return FALSE;
  for (int b = 1; b <= self->band_count; b++)
    if (GDALGetMaskFlags (GDALGetRasterBand (self->ds, b)) != GMF_ALL_VALID)
      return FALSE;
  return TRUE;
}

gboolean
sl_raster_source_compute_stretch (SlRasterSource  *self,
                                  SlRenderParams  *params,
                                  GError         **error)
{
  double low[3], high[3];

  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), FALSE);
  g_return_val_if_fail (params != NULL, FALSE);

  if (params->mode == SL_STRETCH_MANUAL || params->mode == SL_STRETCH_NONE)
    {
      params->resolved = TRUE;
      return TRUE;
    }

  for (int c = 0; c < 3; c++)
    {
      int b = params->bands[c];
      int same = -1;

      if (b < 1 || b > self->band_count)
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ,
                       "Cannot show band %d of ‘%s’: it has %d band%s", b, self->path,
                       self->band_count, self->band_count == 1 ? "" : "s");
          return FALSE;
        }
      for (int k = 0; k < c; k++)
        if (params->bands[k] == b)
          same = k;
      if (same >= 0)
        {
          low[c] = low[same];
          high[c] = high[same];
        }
      else if (!_sl_raster_source_sample_stretch (self->ds, self->path, b, self->kind != SL_PIXEL_FLOAT,
                                                  params->mode, params->percent_low, params->percent_high,
                                                  &low[c], &high[c], error))
        return FALSE;
      if (!(high[c] > low[c]))
        high[c] = low[c] + 1;
    }

  memcpy (params->low, low, sizeof low);
  memcpy (params->high, high, sizeof high);
  params->resolved = TRUE;
  return TRUE;
}

gboolean
sl_raster_source_render_tile (SlRasterSource       *self,
                              const SlRenderParams *params,
                              int                   z,
                              int                   x,
                              int                   y,
                              guint8               *argb,
                              SlTileContent        *content,
                              GError              **error)
{
  SlGdalErrors errors = { NULL };
  GDALRasterIOExtraArg extra;
  GDALRIOResampleAlg alg;
  SlBounds tile;
  SlTileWindow win;
  SlReadPlan plan;
  CPLErr err;
  int bw, bh, size, pixel;
  gsize line;
  guint an = 255, ao = 0;
  SlPixelConverter conv;
  gboolean direct;

  g_return_val_if_fail (SL_IS_RASTER_SOURCE (self), FALSE);
  g_return_val_if_fail (params != NULL && params->resolved, FALSE);
  g_return_val_if_fail (argb != NULL && content != NULL, FALSE);
  g_return_val_if_fail (z >= 0 && z <= SL_SITE_GRID_MAX_LEVELS, FALSE);

  sl_site_grid_get_tile_bounds (self->grid, z, x, y, &tile);
  if (!overlaps (&tile, &self->footprint))
    goto empty;
  if (!_sl_raster_source_make_plan (self, params, &plan, error))
    return FALSE;
  if (!_sl_raster_source_tile_window (self->grid, z, x, y, &plan, &win))
    goto empty;

  ensure_luts (self, params);
  bw = win.x1 - win.x0;
  bh = win.y1 - win.y0;
  size = kind_size (self->kind);
  pixel = plan.n_read * size;
  line = (gsize) bw * pixel;
  alg = (win.fx > 1 + SL_RASTER_SOURCE_EDGE_EPS || win.fy > 1 + SL_RASTER_SOURCE_EDGE_EPS) && !plan.palette
          ? GRIORA_Average : GRIORA_NearestNeighbour;
  init_extra (&extra, &win, alg);

  if (self->jpeg != NULL && plan.coverage == SL_COVER_ALL && plan.n_colour == 3 && !plan.palette &&
      read_scaled_jpeg (self, params, &plan, &win, argb))
    {
      *content = bw == SL_TILE_SIZE && bh == SL_TILE_SIZE ? SL_TILE_CONTENT_OPAQUE : SL_TILE_CONTENT_PARTIAL;
      return TRUE;
    }

  /* Plain 8-bit RGB shown as it is (the common case for satellite and press imagery): GDAL
   * writes straight into the tile's BGRA bytes (little-endian ARGB32), no conversion pass. */
  direct = self->kind == SL_PIXEL_BYTE && plan.n_colour == 3 && plan.n_read == 3 &&
           plan.coverage == SL_COVER_ALL && !plan.palette && params->mode == SL_STRETCH_NONE &&
           G_BYTE_ORDER == G_LITTLE_ENDIAN;
  if (direct && (bw != SL_TILE_SIZE || bh != SL_TILE_SIZE))
    memset (argb, 0, SL_TILE_BYTES);

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  {
    int nx = (int) floor (win.sx), ny = (int) floor (win.sy);
    int nw = (int) ceil (win.sx + win.sw) - nx, nh = (int) ceil (win.sy + win.sh) - ny;

    if (direct)
      {
        int bgr[3] = { plan.bands[2], plan.bands[1], plan.bands[0] };

        err = GDALDatasetRasterIOEx (plan.ds, GF_Read, nx, ny, nw, nh,
                                     argb + (gsize) win.y0 * SL_TILE_STRIDE + (gsize) win.x0 * 4, bw, bh,
                                     GDT_Byte, 3, bgr, 4, SL_TILE_STRIDE, 1, &extra);
      }
    else
      err = GDALDatasetRasterIOEx (plan.ds, GF_Read, nx, ny, nw, nh, self->data, bw, bh,
                                   _sl_raster_source_kind_type (self->kind), plan.n_read, plan.bands,
                                   pixel, line, size, &extra);
    if (err == CE_None && plan.coverage == SL_COVER_MASK)
      {
        init_extra (&extra, &win, alg);
        err = GDALRasterIOEx (plan.mask, GF_Read, nx, ny, nw, nh, self->mask, bw, bh, GDT_Byte,
                              1, bw, &extra);
      }
  }
  CPLPopErrorHandler ();
  if (err != CE_None || errors.message != NULL)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ,
                   "Cannot read tile %d/%d/%d of ‘%s’: %s", z, x, y, self->path,
                   _sl_raster_source_gdal_reason (&errors, "a block could not be read"));
      g_free (errors.message);
      return FALSE;
    }

  if (direct)
    {
      for (int j = 0; j < bh; j++)
        {
          guint8 *row = argb + (gsize) (win.y0 + j) * SL_TILE_STRIDE + (gsize) win.x0 * 4;

          for (int i = 0; i < bw; i++)
            row[i * 4 + 3] = 255;
        }
      *content = bw == SL_TILE_SIZE && bh == SL_TILE_SIZE ? SL_TILE_CONTENT_OPAQUE : SL_TILE_CONTENT_PARTIAL;
      return TRUE;
    }

  if (bw != SL_TILE_SIZE || bh != SL_TILE_SIZE)
    memset (argb, 0, SL_TILE_BYTES);

  conv = (SlPixelConverter) {
    .kind = self->kind,
    .n_colour = plan.n_colour,
    .step = plan.n_read,
    .coverage = plan.coverage,
    .nodata = { plan.nodata[0], plan.nodata[1], plan.nodata[2] },
    .palette = plan.palette ? self->palette : NULL,
    .palette_size = self->palette_size,
    .lut = self->lut,
    .scale = self->scale,
    .offset = self->offset,
  };
  for (int j = 0; j < bh; j++)
    _sl_raster_source_convert_row (&conv, self->data + j * line, self->mask + (gsize) j * bw,
                                   (guint32 *) (argb + (gsize) (win.y0 + j) * SL_TILE_STRIDE) + win.x0,
                                   bw, &an, &ao);

  if (ao == 0)
    *content = SL_TILE_CONTENT_EMPTY;
  else if (an == 255 && bw == SL_TILE_SIZE && bh == SL_TILE_SIZE)
    *content = SL_TILE_CONTENT_OPAQUE;
  else
    *content = SL_TILE_CONTENT_PARTIAL;
  return TRUE;

empty:
  memset (argb, 0, SL_TILE_BYTES);
  *content = SL_TILE_CONTENT_EMPTY;
  return TRUE;
}
