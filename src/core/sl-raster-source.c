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
#include <gdalwarper.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gio/gio.h>

#include "sl-core.h"
#include "sl-raster-source-private.h"
#include "sl-scene-transform.h"

/* A warped VRT larger than this many pixels a side is a placement gone wrong. */
#define MAX_VRT_SIDE 4000000
/* Tolerance, in pixels, for windows that land on pixel edges. */
#define EDGE_EPS 1e-6

/* What one tile read needs: the dataset, where its pixels sit on the site grid, the bands. */
typedef struct
{
  GDALDatasetH     ds;
  const double    *gt;          /* pixel → site, north-up */
  int              width, height;
  int              n_colour;    /* 1 (grey, palette) or 3 */
  int              bands[4];    /* colour bands, then the alpha band for SL_COVER_ALPHA */
  int              n_read;
  SlCoverage       coverage;
  GDALRasterBandH  mask;        /* SL_COVER_MASK */
  double           nodata[3];   /* SL_COVER_NODATA, per colour band */
  gboolean         palette;
} Plan;

struct _SlRasterSource
{
  GObject        parent_instance;

  char          *path;
  SlSiteGrid    *grid;
  GDALDatasetH   ds;
  int            width, height, band_count;
  SlPixelKind      kind;
  int            native_zoom;
  SlBounds       footprint;
  gboolean       has_overviews;

  gboolean      *has_nodata;    /* per band, index 0 = band 1 */
  double        *nodata;
  int            alpha_band;    /* 0: none */
  int            palette_band;  /* 0: none */
  guint32        palette[256];  /* premultiplied ARGB */
  int            palette_size;

  /* Placement: direct reads of a north-up scene, or reads of a warped VRT. */
  double         p2s[6];
  gboolean       warp;
  char          *src_wkt;       /* NULL: the transform below already ends in site units */
  double         src_gt[6];
  /* A scene registered on another by a transform that is not affine: the warp goes through it
   * (scene_warp maps VRT pixels ⇄ the scene's pixels, for GDAL's warper). */
  SlSceneTransform *scene_transform;
  void             *scene_warp;   /* GDAL transformer, see sl_scene_transform_new_warper */
  double         vrt_gt[6];     /* the VRT covers the footprint at native_zoom */
  int            vrt_width, vrt_height;
  GDALDatasetH   vrt;
  int            vrt_bands[3];
  int            vrt_n;

  SlJpegTiles   *jpeg;          /* TurboJPEG reads of a plain JPEG GeoTIFF, or NULL */
  guint64        scaled_reads;

  /* Tile-sized scratch, reused by every tile. */
  guint8        *data;
  guint8        *mask;

  SlRenderParams lut_params;
  gboolean       lut_valid;
  guint8        *lut[3];
  float          scale[3], offset[3];
};

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

static const char *
gdal_reason (SlGdalErrors *errors, const char *fallback)
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

static GDALDataType
kind_type (SlPixelKind kind)
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

/* ---- placement --------------------------------------------------------------------------- */

static gboolean
is_north_up (const double t[6])
{
  return t[2] == 0 && t[4] == 0 && t[1] > 0 && t[5] < 0;
}

static gboolean
place (SlRasterSource *self, SlScene *scene, GError **error)
{
  double res = 0, t[6];
  const char *dst_wkt = sl_site_grid_get_crs_wkt (self->grid);

  if (sl_scene_get_pixel_to_site (scene, t))
    {
      memcpy (self->src_gt, t, sizeof t);
      self->src_wkt = NULL;
      self->warp = !is_north_up (t);
      memcpy (self->p2s, t, sizeof t);
    }
  else if (sl_scene_get_registration (scene) != NULL &&
           (self->scene_transform = sl_scene_transform_new (scene, dst_wkt)) != NULL)
    self->warp = TRUE;
  else if (sl_scene_get_geotransform (scene, self->src_gt) && sl_scene_get_crs_wkt (scene) != NULL &&
           dst_wkt != NULL)
    {
      self->src_wkt = g_strdup (sl_scene_get_crs_wkt (scene));
      self->warp = TRUE;
    }
  else
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot place ‘%s’ on the site grid: it has no placement and no georeference "
                   "in a coordinate system the site can use", self->path);
      return FALSE;
    }

  if (!sl_scene_measure (scene, dst_wkt, &self->footprint, &res))
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot place ‘%s’ on the site grid: its corners do not transform into the "
                   "site’s coordinate system", self->path);
      return FALSE;
    }
  self->native_zoom = sl_site_grid_native_zoom (self->grid, res);

  if (self->warp)
    {
      double ax, ay, r = sl_site_grid_get_resolution (self->grid, self->native_zoom);
      double gx0, gx1, gy0, gy1;

      sl_site_grid_get_anchor (self->grid, &ax, &ay);
      gx0 = floor ((self->footprint.min_x - ax) / r);
      gx1 = ceil ((self->footprint.max_x - ax) / r);
      gy0 = floor ((ay - self->footprint.max_y) / r);
      gy1 = ceil ((ay - self->footprint.min_y) / r);
      if (!(gx1 - gx0 >= 1 && gx1 - gx0 <= MAX_VRT_SIDE && gy1 - gy0 >= 1 && gy1 - gy0 <= MAX_VRT_SIDE))
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot place ‘%s’ on the site grid: it would cover %.0f × %.0f pixels",
                       self->path, gx1 - gx0, gy1 - gy0);
          return FALSE;
        }
      self->vrt_width = (int) (gx1 - gx0);
      self->vrt_height = (int) (gy1 - gy0);
      self->vrt_gt[0] = ax + gx0 * r;
      self->vrt_gt[1] = r;
      self->vrt_gt[2] = 0;
      self->vrt_gt[3] = ay - gy0 * r;
      self->vrt_gt[4] = 0;
      self->vrt_gt[5] = -r;
    }
  return TRUE;
}

/* A warped VRT of the mapped bands (plus an alpha band) on the site grid at the native level.
 * GDAL gives it implicit overviews from the source's. Rebuilt when the band mapping changes. */
static gboolean
ensure_vrt (SlRasterSource *self, const int *colour, int n, gboolean palette, GError **error)
{
  SlGdalErrors errors = { NULL };
  GDALWarpOptions *wo;
  gboolean all_nodata = TRUE;
  void *gen, *approx;

  if (self->vrt && self->vrt_n == n && memcmp (self->vrt_bands, colour, n * sizeof (int)) == 0)
    return TRUE;
  g_clear_pointer (&self->vrt, GDALClose);

  if (self->scene_transform != NULL)
    {
      /* Ours to free (after the VRT, in finalize): the approximation does not own it. */
      if (self->scene_warp == NULL &&
          (self->scene_warp = sl_scene_transform_new_warper (self->scene_transform, self->vrt_gt)) == NULL)
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot warp ‘%s’ onto the site grid: the grid cannot be inverted", self->path);
          return FALSE;
        }
      approx = GDALCreateApproxTransformer (GDALUseTransformer, self->scene_warp, 0.125);
    }
  else
    {
      gen = GDALCreateGenImgProjTransformer3 (self->src_wkt, self->src_gt,
                                              self->src_wkt ? sl_site_grid_get_crs_wkt (self->grid) : NULL,
                                              self->vrt_gt);
      if (gen == NULL)
        {
          g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                       "Cannot warp ‘%s’ onto the site grid: GDAL has no transformation for it", self->path);
          return FALSE;
        }
      approx = GDALCreateApproxTransformer (GDALGenImgProjTransform, gen, 0.125);
      GDALApproxTransformerOwnsSubtransformer (approx, TRUE);
    }

  wo = GDALCreateWarpOptions ();
  wo->hSrcDS = self->ds;
  wo->eResampleAlg = palette ? GRA_NearestNeighbour : GRA_Bilinear;
  wo->eWorkingDataType = self->kind == SL_PIXEL_FLOAT ? GDT_Float32 : kind_type (self->kind);
  wo->nBandCount = n;
  wo->panSrcBands = CPLMalloc (n * sizeof (int));
  wo->panDstBands = CPLMalloc (n * sizeof (int));
  for (int i = 0; i < n; i++)
    {
      wo->panSrcBands[i] = colour[i];
      wo->panDstBands[i] = i + 1;
      all_nodata = all_nodata && self->has_nodata[colour[i] - 1];
    }
  wo->nDstAlphaBand = n + 1;
  if (all_nodata)
    {
      wo->padfSrcNoDataReal = CPLMalloc (n * sizeof (double));
      for (int i = 0; i < n; i++)
        wo->padfSrcNoDataReal[i] = self->nodata[colour[i] - 1];
      wo->papszWarpOptions = CSLSetNameValue (wo->papszWarpOptions, "UNIFIED_SRC_NODATA", "YES");
    }
  else if (self->alpha_band > 0)
    wo->nSrcAlphaBand = self->alpha_band;
  /* Otherwise the warper reads a per-dataset mask (internal, .msk, JPEG) by itself. */
  wo->papszWarpOptions = CSLSetNameValue (wo->papszWarpOptions, "INIT_DEST", "0");
  wo->pfnTransformer = GDALApproxTransform;
  wo->pTransformerArg = approx;

  CPLPushErrorHandlerEx (_sl_raster_source_collect_error, &errors);
  self->vrt = GDALCreateWarpedVRT (self->ds, self->vrt_width, self->vrt_height, self->vrt_gt, wo);
  CPLPopErrorHandler ();
  GDALDestroyWarpOptions (wo);   /* the VRT owns the transformer now */

  if (self->vrt == NULL)
    {
      g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_PLACEMENT,
                   "Cannot warp ‘%s’ onto the site grid: %s", self->path,
                   gdal_reason (&errors, "GDAL could not set up the warp"));
      g_free (errors.message);
      return FALSE;
    }
  g_free (errors.message);
  memcpy (self->vrt_bands, colour, n * sizeof (int));
  self->vrt_n = n;
  return TRUE;
}

static gboolean
nodata_fits (SlPixelKind kind, double v)
{
  switch (kind)
    {
    case SL_PIXEL_BYTE:
      return v == floor (v) && v >= 0 && v <= 255;
    case SL_PIXEL_UINT16:
      return v == floor (v) && v >= 0 && v <= 65535;
    case SL_PIXEL_INT16:
      return v == floor (v) && v >= -32768 && v <= 32767;
    default:
      return TRUE;
    }
}

static gboolean
make_plan (SlRasterSource *self, const SlRenderParams *params, Plan *plan, GError **error)
{
  gboolean grey = sl_render_params_is_grey (params);
  GDALRasterBandH first;
  int flags;

  memset (plan, 0, sizeof *plan);
  for (int c = 0; c < 3; c++)
    if (params->bands[c] < 1 || params->bands[c] > self->band_count)
      {
        g_set_error (error, SL_RASTER_SOURCE_ERROR, SL_RASTER_SOURCE_ERROR_READ,
                     "Cannot show band %d of ‘%s’: it has %d band%s", params->bands[c], self->path,
                     self->band_count, self->band_count == 1 ? "" : "s");
        return FALSE;
      }
  plan->n_colour = grey ? 1 : 3;
  plan->palette = grey && params->bands[0] == self->palette_band;

  if (self->warp)
    {
      if (!ensure_vrt (self, params->bands, plan->n_colour, plan->palette, error))
        return FALSE;
      plan->ds = self->vrt;
      plan->gt = self->vrt_gt;
      plan->width = self->vrt_width;
      plan->height = self->vrt_height;
      for (int i = 0; i <= plan->n_colour; i++)
        plan->bands[i] = i + 1;
      plan->n_read = plan->n_colour + 1;
      plan->coverage = SL_COVER_ALPHA;
      return TRUE;
    }

  plan->ds = self->ds;
  plan->gt = self->p2s;
  plan->width = self->width;
  plan->height = self->height;
  memcpy (plan->bands, params->bands, plan->n_colour * sizeof (int));
  plan->n_read = plan->n_colour;

  first = GDALGetRasterBand (self->ds, params->bands[0]);
  flags = GDALGetMaskFlags (first);
  if (flags & GMF_ALL_VALID)
    plan->coverage = SL_COVER_ALL;
  else if (flags == GMF_NODATA)
    {
      plan->coverage = SL_COVER_NODATA;
      for (int c = 0; c < plan->n_colour; c++)
        {
          int b = params->bands[c] - 1;

          if (!self->has_nodata[b] || !nodata_fits (self->kind, self->nodata[b]))
            plan->coverage = SL_COVER_ALL;   /* a band that is never nodata: no pixel is */
          plan->nodata[c] = self->nodata[b];
        }
    }
  else if ((flags & GMF_ALPHA) && self->alpha_band > 0)
    {
      plan->coverage = SL_COVER_ALPHA;
      plan->bands[plan->n_colour] = self->alpha_band;
      plan->n_read++;
    }
  else
    {
      plan->coverage = SL_COVER_MASK;
      plan->mask = GDALGetMaskBand (first);
    }
  return TRUE;
}

/* The part of tile (z, x, y) that the raster of @plan covers: output pixels whose centres fall
 * inside it, and the (fractional) source window under them. */
typedef struct
{
  int    x0, y0, x1, y1;       /* output pixels, end exclusive */
  double sx, sy, sw, sh;       /* source window */
  double fx, fy;               /* source pixels per output pixel */
} Window;

static gboolean
tile_window (SlSiteGrid *grid, int z, int x, int y, const Plan *plan, Window *win)
{
  const double *gt = plan->gt;
  double r = sl_site_grid_get_resolution (grid, z);
  double sx0, sy0, wx0, wx1, wy0, wy1;
  SlBounds b;

  sl_site_grid_get_tile_bounds (grid, z, x, y, &b);
  win->fx = r / gt[1];
  win->fy = r / -gt[5];
  sx0 = (b.min_x - gt[0]) / gt[1];
  sy0 = (gt[3] - b.max_y) / -gt[5];

  win->x0 = (int) CLAMP (ceil (-sx0 / win->fx - 0.5 - EDGE_EPS), 0, SL_TILE_SIZE);
  win->x1 = (int) CLAMP (ceil ((plan->width - sx0) / win->fx - 0.5 - EDGE_EPS), 0, SL_TILE_SIZE);
  win->y0 = (int) CLAMP (ceil (-sy0 / win->fy - 0.5 - EDGE_EPS), 0, SL_TILE_SIZE);
  win->y1 = (int) CLAMP (ceil ((plan->height - sy0) / win->fy - 0.5 - EDGE_EPS), 0, SL_TILE_SIZE);
  if (win->x0 >= win->x1 || win->y0 >= win->y1)
    return FALSE;

  wx0 = CLAMP (sx0 + win->x0 * win->fx, 0, plan->width);
  wx1 = CLAMP (sx0 + win->x1 * win->fx, 0, plan->width);
  wy0 = CLAMP (sy0 + win->y0 * win->fy, 0, plan->height);
  wy1 = CLAMP (sy0 + win->y1 * win->fy, 0, plan->height);
  /* Snap windows that are whole pixels up to rounding, so native tiles are plain copies. */
#define SNAP(v) (fabs ((v) - round (v)) < EDGE_EPS ? round (v) : (v))
  wx0 = SNAP (wx0), wx1 = SNAP (wx1), wy0 = SNAP (wy0), wy1 = SNAP (wy1);
#undef SNAP
  if (!(wx1 > wx0 && wy1 > wy0))
    return FALSE;
  win->sx = wx0, win->sw = wx1 - wx0;
  win->sy = wy0, win->sh = wy1 - wy0;
  return TRUE;
}

static void
init_extra (GDALRasterIOExtraArg *extra, const Window *win, GDALRIOResampleAlg alg)
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
read_scaled_jpeg (SlRasterSource *self, const SlRenderParams *params, const Plan *plan, const Window *win,
                  guint8 *argb)
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
                   path, gdal_reason (&errors, "not a raster format GDAL recognizes"));
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
  if (!place (self, scene, error))
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
  Window win;
  Plan plan;
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
  if (!make_plan (self, params, &plan, error))
    return FALSE;
  if (!tile_window (self->grid, z, x, y, &plan, &win))
    goto empty;

  ensure_luts (self, params);
  bw = win.x1 - win.x0;
  bh = win.y1 - win.y0;
  size = kind_size (self->kind);
  pixel = plan.n_read * size;
  line = (gsize) bw * pixel;
  alg = (win.fx > 1 + EDGE_EPS || win.fy > 1 + EDGE_EPS) && !plan.palette ? GRIORA_Average
                                                                           : GRIORA_NearestNeighbour;
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
                                   kind_type (self->kind), plan.n_read, plan.bands,
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
                   gdal_reason (&errors, "a block could not be read"));
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
