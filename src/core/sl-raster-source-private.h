/* sl-raster-source-private.h — SlRasterSource's internals and helpers shared between its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdal.h>
#include <cpl_error.h>

#include "sl-raster-source.h"
#include "sl-scene-transform.h"

G_BEGIN_DECLS

/* GDAL's first error on this thread while pushed with CPLPushErrorHandlerEx (handler, &errors):
 * its words go into our messages. */
typedef struct
{
  char *message;
} SlGdalErrors;

void CPL_STDCALL _sl_raster_source_collect_error (CPLErr       klass,
                                                  CPLErrorNum  num,
                                                  const char  *msg);

/* How a tile's samples are held in the scratch buffer: the data type they were read as. */
typedef enum
{
  SL_PIXEL_BYTE,
  SL_PIXEL_UINT16,
  SL_PIXEL_INT16,
  SL_PIXEL_FLOAT,     /* anything wider than 16 bits, read as Float32 */
} SlPixelKind;

/* Where a pixel's alpha comes from. */
typedef enum
{
  SL_COVER_ALL,       /* every pixel is valid */
  SL_COVER_NODATA,    /* transparent where every colour band holds its nodata value */
  SL_COVER_ALPHA,     /* an alpha band, read after the colour bands */
  SL_COVER_MASK,      /* GDAL's mask band (internal/external/JPEG masks), read on its own */
} SlCoverage;

/* Turns rows of pixel-interleaved samples (colour bands, then alpha for SL_COVER_ALPHA) into
 * premultiplied ARGB, through per-channel tables (Byte: 256 entries, 16-bit: 65536 indexed by
 * value, +32768 for Int16), scale/offset (float) or a palette. */
typedef struct
{
  SlPixelKind     kind;
  int             n_colour;     /* 1 (grey, palette) or 3 */
  int             step;         /* samples per pixel */
  SlCoverage      coverage;
  double          nodata[3];    /* SL_COVER_NODATA, per colour band */
  const guint32  *palette;      /* premultiplied; NULL: colours through the tables */
  int             palette_size;
  guint8 *const  *lut;
  const float    *scale;
  const float    *offset;
} SlPixelConverter;

/* Converts @width pixels of @src (@mask: that row of the mask band, SL_COVER_MASK only) into
 * @out; ANDs and ORs every alpha written into @and_alpha/@or_alpha. */
void      _sl_raster_source_convert_row     (const SlPixelConverter *conv,
                                            const guint8           *src,
                                            const guint8           *mask,
                                            guint32                *out,
                                            int                     width,
                                            guint                  *and_alpha,
                                            guint                  *or_alpha);
/* Fills one channel's table (256 or 65536 entries for @kind) and its float scale/offset:
 * (v − low) · 255 / (high − low), rounded and clamped. */
void      _sl_raster_source_build_lut       (SlPixelKind  kind,
                                            double       low,
                                            double       high,
                                            guint8      *lut,
                                            float       *scale,
                                            float       *offset);
guint32   _sl_raster_source_premultiply     (guint r,
                                            guint g,
                                            guint b,
                                            guint a);

/* Sampled statistics of band @band_no of @ds for a contrast stretch: reads an overview, or
 * a grid of small windows, of at most ~1 Mpixel; nodata, NaN and masked pixels are left out.
 * @integral: the band holds integers of at most 16 bits (exact histogram). Fills @low/@high
 * with the @percent_low/@percent_high percentiles (SL_STRETCH_PERCENTILE) or the minimum and
 * maximum (SL_STRETCH_MINMAX). @path names the file in errors. */
gboolean  _sl_raster_source_sample_stretch (GDALDatasetH   ds,
                                            const char    *path,
                                            int            band_no,
                                            gboolean       integral,
                                            SlStretchMode  mode,
                                            double         percent_low,
                                            double         percent_high,
                                            double        *low,
                                            double        *high,
                                            GError       **error);

/* sl-raster-source-jpeg.c: reduced reads of a tiled JPEG GeoTIFF by DCT scaling. */
typedef struct _SlJpegTiles SlJpegTiles;

/* NULL unless @ds is a plain tiled JPEG GeoTIFF (3 Byte bands, pixel-interleaved, RGB or
 * YCbCr, no mask) whose blocks can be decoded directly. */
SlJpegTiles *_sl_jpeg_tiles_open  (GDALDatasetH  ds,
                                   const char   *path);
void         _sl_jpeg_tiles_free  (SlJpegTiles  *self);
/* @out_w × @out_h opaque ARGB pixels at @out: pixel (i, j) is the average of source pixels
 * [@sx + i·@reduction, +@reduction) × [@sy + j·@reduction, +@reduction) inside the image,
 * decoded at 1/min(@reduction, 8) by TurboJPEG. @reduction: a power of two (1: the pixels
 * themselves); @sx, @sy multiples of that scale. FALSE (nothing reliable in @out) when a block
 * cannot be taken this way: read the window through GDAL then. */
gboolean     _sl_jpeg_tiles_read  (SlJpegTiles  *self,
                                   int           sx,
                                   int           sy,
                                   int           reduction,
                                   int           out_w,
                                   int           out_h,
                                   guint8       *out,
                                   gsize         out_stride);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlJpegTiles, _sl_jpeg_tiles_free)

/* Tolerance, in pixels, for windows that land on pixel edges. */
#define SL_RASTER_SOURCE_EDGE_EPS 1e-6

/* The instance, read and filled by sl-raster-source{,-placement,-plan}.c. */
struct _SlRasterSource
{
  GObject        parent_instance;

  char          *path;
  SlSiteGrid    *grid;
  GDALDatasetH   ds;
  int            width, height, band_count;
  SlPixelKind    kind;
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
} SlReadPlan;

/* The part of tile (z, x, y) that the raster of @plan covers: output pixels whose centres fall
 * inside it, and the (fractional) source window under them. */
typedef struct
{
  int    x0, y0, x1, y1;       /* output pixels, end exclusive */
  double sx, sy, sw, sh;       /* source window */
  double fx, fy;               /* source pixels per output pixel */
} SlTileWindow;

/* sl-raster-source.c: how many tiles this source read through TurboJPEG (tests, benchmarks). */
guint64      _sl_raster_source_get_scaled_reads (SlRasterSource *self);
/* Whether a coarse tile averaged from finer ones is the tile this source would render: every
 * pixel valid (no nodata, mask, alpha band or palette, which GDAL resamples otherwise) and no
 * warp. Then only the footprint's edge may come out a pixel softer. */
gboolean     _sl_raster_source_can_average      (SlRasterSource *self);
/* GDAL's words for a failure collected in @errors (cut to 200 bytes), or @fallback. */
const char  *_sl_raster_source_gdal_reason      (SlGdalErrors   *errors,
                                                 const char     *fallback);
/* The GDAL data type samples of @kind are read as. */
GDALDataType _sl_raster_source_kind_type        (SlPixelKind     kind);

/* sl-raster-source-placement.c: direct reads (a north-up affine placement, in p2s) or a warp
 * (the VRT's geotransform and size); the footprint and the native level. */
gboolean     _sl_raster_source_place            (SlRasterSource *self,
                                                 SlScene        *scene,
                                                 GError        **error);
/* The warped VRT of bands @colour[0..@n) plus an alpha band (@palette: nearest neighbour). */
gboolean     _sl_raster_source_ensure_vrt       (SlRasterSource *self,
                                                 const int      *colour,
                                                 int             n,
                                                 gboolean        palette,
                                                 GError        **error);

/* sl-raster-source-plan.c: the dataset, bands and coverage a tile is read with under @params. */
gboolean     _sl_raster_source_make_plan        (SlRasterSource       *self,
                                                 const SlRenderParams *params,
                                                 SlReadPlan           *plan,
                                                 GError              **error);
/* FALSE when tile (@z, @x, @y) of @grid holds no pixel of @plan's raster. */
gboolean     _sl_raster_source_tile_window      (SlSiteGrid           *grid,
                                                 int                   z,
                                                 int                   x,
                                                 int                   y,
                                                 const SlReadPlan     *plan,
                                                 SlTileWindow         *win);

G_END_DECLS
