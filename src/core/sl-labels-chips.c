/* sl-labels-chips.c — a scene cut into N × N image chips, each with its labels
 *
 * Layout under the output directory: images/<stem>_<x>_<y>.png (8-bit RGB as the scene is
 * displayed: its band mapping and stretch; nodata is black) and labels/<stem>_<x>_<y>.<ext>
 * (.txt for YOLO, YOLO-OBB and DOTA, .xml for VOC, .json for LabelMe) in pixels of the chip;
 * COCO writes one annotations.json listing every chip as an image; YOLO adds classes.txt and
 * data.yaml. <x>, <y> are the chip's top-left pixel in the scene.
 *
 * Chips start every N − overlap pixels; the last row and column are moved back to end on the
 * image's edge, so every chip is N × N (a scene smaller than N gives one smaller chip). An
 * object belongs to a chip when at least SL_LABELS_CHIP_MIN_INSIDE (half) of its bounding box
 * lies inside it (a point: when it lies inside); it is then clamped to the chip (VOC marks it
 * truncated). Objects mostly outside a chip are left to the neighbour that holds most of them.
 * chip_skip_empty leaves out chips with no object.
 *
 * Pixels are read with GDAL RasterIO one chip window at a time, never the whole image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <gdal.h>

#include "sl-autocleanups-private.h"
#include "sl-labels-ml-private.h"
#include "sl-raster-source.h"

typedef struct
{
  GDALDatasetH    ds;
  const char     *source;
  SlRenderParams *params;
  GDALColorTableH palette;   /* band 1's, when shown as a palette */
  float          *buf;       /* one channel of a chip */
} ChipReader;

/* The scene's render parameters with the stretch resolved (percentiles are sampled from the
 * source as the tile pipeline does). */
static SlRenderParams *
resolved_params (SlLabelContext *ctx, const char *source, GError **error)
{
  const SlRenderParams *stored = sl_scene_get_render_params (ctx->scene);
  g_autoptr(SlRenderParams) params = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(SlRasterSource) raster = NULL;

  params = stored ? sl_render_params_copy (stored)
                  : sl_render_params_new_for (sl_scene_get_band_count (ctx->scene),
                                              sl_scene_get_data_type (ctx->scene),
                                              sl_scene_get_has_palette (ctx->scene));
  if (params->resolved)
    return g_steal_pointer (&params);
  grid = sl_project_dup_site_grid (ctx->project);
  if (grid == NULL || (raster = sl_raster_source_open (source, ctx->scene, grid, error)) == NULL ||
      !sl_raster_source_compute_stretch (raster, params, error))
    {
      if (error && *error == NULL)
        g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot read ‘%s’: the project has no site grid", source);
      return NULL;
    }
  return g_steal_pointer (&params);
}

static gboolean
read_chip (ChipReader *r, int x, int y, int w, int h, guint32 *rgb, int stride, GError **error)
{
  const SlRenderParams *p = r->params;

  for (int c = 0; c < 3; c++)
    {
      GDALRasterBandH band = GDALGetRasterBand (r->ds, p->bands[c]);
      double scale = p->mode == SL_STRETCH_NONE || !(p->high[c] > p->low[c]) ? 1 : 255.0 / (p->high[c] - p->low[c]);
      double offset = p->mode == SL_STRETCH_NONE ? 0 : p->low[c];
      int has_nodata = FALSE;
      double nodata;

      if (band == NULL)
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot read band %d of ‘%s’", p->bands[c], r->source);
          return FALSE;
        }
      nodata = GDALGetRasterNoDataValue (band, &has_nodata);
      if (c == 0 || p->bands[c] != p->bands[c - 1])
        if (GDALRasterIO (band, GF_Read, x, y, w, h, r->buf, w, h, GDT_Float32, 0, 0) != CE_None)
          {
            g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot read pixels %d, %d of ‘%s’: %s",
                         x, y, r->source, CPLGetLastErrorMsg ());
            return FALSE;
          }
      for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
          {
            float v = r->buf[(gsize) j * w + i];
            guint32 *out = &rgb[(gsize) j * (stride / 4) + i];

            if (c == 0)
              *out = 0xff000000u;
            if (r->palette)
              {
                const GDALColorEntry *e = GDALGetColorEntry (r->palette, (int) v);

                if (c == 0 && e)
                  *out |= (guint32) CLAMP (e->c1, 0, 255) << 16 | (guint32) CLAMP (e->c2, 0, 255) << 8 |
                          (guint32) CLAMP (e->c3, 0, 255);
              }
            else if (!isnan (v) && !(has_nodata && v == (float) nodata))
              {
                double f = floor ((v - offset) * scale + 0.5);
                *out |= (guint32) CLAMP (f, 0, 255) << (8 * (2 - c));
              }
          }
    }
  return TRUE;
}

static const char *
label_extension (SlLabelFormat format)
{
  switch (format)
    {
    case SL_LABEL_FORMAT_VOC:
      return "xml";
    case SL_LABEL_FORMAT_LABELME:
      return "json";
    default:
      return "txt";
    }
}

static char *
format_labels (SlLabelContext *ctx, SlLabelFormat format, GPtrArray *shapes, const SlMlImage *img)
{
  switch (format)
    {
    case SL_LABEL_FORMAT_YOLO:
    case SL_LABEL_FORMAT_YOLO_OBB:
      return _sl_yolo_format_image (ctx, shapes, format == SL_LABEL_FORMAT_YOLO_OBB, img);
    case SL_LABEL_FORMAT_DOTA:
      return _sl_dota_format_image (ctx, shapes, img);
    case SL_LABEL_FORMAT_VOC:
      return _sl_voc_format_image (ctx, shapes, img);
    case SL_LABEL_FORMAT_LABELME:
      return _sl_labelme_format_image (ctx, shapes, img);
    default:
      g_assert_not_reached ();
    }
}

/* Whether @format has a form for @kind (what it cannot hold would leave a chip unlabelled). */
static gboolean
format_holds (SlLabelFormat format, SlShapeKind kind)
{
  switch (format)
    {
    case SL_LABEL_FORMAT_LABELME:
      return TRUE;
    case SL_LABEL_FORMAT_COCO:
      return kind != SL_SHAPE_LINE;
    default:
      return kind != SL_SHAPE_POINT && kind != SL_SHAPE_LINE;
    }
}

/* Chip origins along an axis of @size pixels: every @step, the last one ending on the edge. */
static GArray *
chip_origins (int size, int chip, int step)
{
  GArray *origins = g_array_new (FALSE, FALSE, sizeof (int));
  int last = MAX (0, size - chip);

  for (int o = 0; o < last; o += step)
    g_array_append_val (origins, o);
  g_array_append_val (origins, last);
  return origins;
}

gboolean
sl_labels_write_chips (SlLabelContext  *ctx,
                       SlLabelFormat    format,
                       GPtrArray       *annotations,
                       const char      *path,
                       GError         **error)
{
  const SlLabelExportOptions *opts = ctx->export_options;
  g_autoptr(GPtrArray) coco_images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) coco_shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) projected = NULL;
  g_autoptr(GArray) xs = NULL;
  g_autoptr(GArray) ys = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autofree char *source = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *images_dir = g_build_filename (path, "images", NULL);
  g_autofree char *labels_dir = g_build_filename (path, "labels", NULL);
  g_autofree float *buf = NULL;
  g_auto(SlGdalDataset) ds = NULL;
  ChipReader reader = { 0 };
  int size, overlap, width, height, cw, ch;

  g_return_val_if_fail (ctx != NULL && annotations != NULL && path != NULL, FALSE);

  if (!sl_label_format_is_pixel (format))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT,
                   "Chips need a pixel label format (COCO, YOLO, YOLO-OBB, DOTA, VOC, LabelMe), not %s",
                   sl_label_format_describe (format));
      return FALSE;
    }
  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE, "Chips are cut from one scene: choose a scene");
      return FALSE;
    }
  size = opts ? opts->chip_size : 0;
  overlap = opts ? opts->chip_overlap : 0;
  if (size < 16 || size > 16384 || overlap < 0 || overlap >= size)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID,
                   "Chips of %d pixels overlapping by %d: the size must be 16 to 16384 pixels and the "
                   "overlap smaller than the size", size, overlap);
      return FALSE;
    }

  source = sl_project_resolve_source (ctx->project, ctx->scene);
  if ((params = resolved_params (ctx, source, error)) == NULL)
    return FALSE;
  ds = GDALOpenEx (source, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot open ‘%s’ to cut chips: %s", source,
                   CPLGetLastErrorMsg ());
      return FALSE;
    }
  for (int c = 0; c < 3; c++)
    if (params->bands[c] < 1 || params->bands[c] > GDALGetRasterCount (ds))
      {
        g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot show band %d of ‘%s’: it has %d",
                     params->bands[c], source, GDALGetRasterCount (ds));
        return FALSE;
      }
  if (sl_render_params_is_grey (params) && params->bands[0] == 1 &&
      GDALGetRasterColorInterpretation (GDALGetRasterBand (ds, 1)) == GCI_PaletteIndex)
    reader.palette = GDALGetRasterColorTable (GDALGetRasterBand (ds, 1));

  width = GDALGetRasterXSize (ds);
  height = GDALGetRasterYSize (ds);
  cw = MIN (size, width);
  ch = MIN (size, height);
  buf = g_new (float, (gsize) cw * ch);
  reader.ds = ds;
  reader.source = source;
  reader.params = params;
  reader.buf = buf;
  xs = chip_origins (width, size, size - overlap);
  ys = chip_origins (height, size, size - overlap);
  file_name = _sl_ml_scene_file_name (ctx->scene);
  stem = _sl_ml_stem (file_name);
  /* Every object in scene pixels once; each chip then takes its share. */
  if ((projected = _sl_ml_project (ctx, ctx->scene, ctx->pixels, annotations, error)) == NULL)
    return FALSE;

  if (g_mkdir_with_parents (images_dir, 0755) != 0 ||
      (format != SL_LABEL_FORMAT_COCO && g_mkdir_with_parents (labels_dir, 0755) != 0))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot create folders in ‘%s’: %s",
                   path, g_strerror (errno));
      return FALSE;
    }

  for (guint j = 0; j < ys->len; j++)
    for (guint i = 0; i < xs->len; i++)
      {
        SlMlImage img = {
          .scene = ctx->scene, .pixels = ctx->pixels, .width = cw, .height = ch,
          .off_x = g_array_index (xs, int, i), .off_y = g_array_index (ys, int, j),
        };
        g_autoptr(GPtrArray) shapes = NULL;
        g_autofree char *chip = NULL;
        g_autofree char *png_name = NULL;
        g_autofree char *png = NULL;
        cairo_surface_t *surface;
        cairo_status_t status;

        if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
          return FALSE;
        chip = g_strdup_printf ("%s_%d_%d", stem, img.off_x, img.off_y);
        png_name = g_strdup_printf ("%s.png", chip);
        img.file_name = png_name;
        shapes = _sl_ml_crop (projected, &img, SL_LABELS_CHIP_MIN_INSIDE);
        for (guint k = shapes->len; k > 0; k--)
          if (!format_holds (format, ((SlMlShape *) shapes->pdata[k - 1])->kind))
            g_ptr_array_remove_index (shapes, k - 1);
        if (shapes->len == 0 && opts->chip_skip_empty)
          continue;

        surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, cw, ch);
        cairo_surface_flush (surface);
        if (!read_chip (&reader, img.off_x, img.off_y, cw, ch, (guint32 *) cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface), error))
          {
            cairo_surface_destroy (surface);
            return FALSE;
          }
        cairo_surface_mark_dirty (surface);
        png = g_build_filename (images_dir, png_name, NULL);
        status = cairo_surface_write_to_png (surface, png);
        cairo_surface_destroy (surface);
        if (status != CAIRO_STATUS_SUCCESS)
          {
            g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot write ‘%s’: %s", png,
                         cairo_status_to_string (status));
            return FALSE;
          }

        if (format == SL_LABEL_FORMAT_COCO)
          {
            SlMlImage *copy = g_memdup2 (&img, sizeof img);

            g_ptr_array_add (names, g_steal_pointer (&png_name));
            copy->file_name = g_ptr_array_index (names, names->len - 1);
            copy->id = coco_images->len + 1;
            g_ptr_array_add (coco_images, copy);
            g_ptr_array_add (coco_shapes, g_steal_pointer (&shapes));
          }
        else
          {
            g_autofree char *text = format_labels (ctx, format, shapes, &img);
            g_autofree char *label_name = g_strdup_printf ("%s.%s", chip, label_extension (format));
            g_autofree char *label_path = g_build_filename (labels_dir, label_name, NULL);

            if (!_sl_ml_save (label_path, text, -1, error))
              return FALSE;
          }
      }

  if (format == SL_LABEL_FORMAT_COCO)
    {
      g_autofree char *json_path = g_build_filename (path, "annotations.json", NULL);
      g_autofree char *text = NULL;
      guint skipped = 0;

      text = _sl_coco_format_images (ctx, coco_images, coco_shapes, &skipped);
      if (skipped > 0)
        sl_label_context_warn (ctx, "%u line%s skipped: COCO has no lines", skipped, skipped == 1 ? "" : "s");
      return _sl_ml_save (json_path, text, -1, error);
    }
  if (format == SL_LABEL_FORMAT_YOLO || format == SL_LABEL_FORMAT_YOLO_OBB)
    return _sl_yolo_write_class_files (ctx, path, "images", error);
  return TRUE;
}
