/* sl-composer-output.c — exporting a graphic: PNG, JPEG, PDF, SVG, HTML slider, animations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-composer"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gstdio.h>
#include <png.h>
#include <turbojpeg.h>

#include "sl-composer-private.h"
#include "sl-export-animation.h"
#include "sl-export-file-private.h"
#include "sl-export-html.h"

/* Frames of an animation are held in memory together: at most this many bytes of them. */
#define MAX_ANIMATION_BYTES (G_GUINT64_CONSTANT (1) << 30)

typedef struct
{
  SlExportFile *file;
  GError       *error;
  GByteArray   *buffer;   /* SVG: held back to add the texts (see add_svg_texts) */
} Sink;

static void
sink_take_error (Sink *sink, GError *error)
{
  if (sink->error == NULL)
    sink->error = error;
  else
    g_error_free (error);
}

static void
on_png_write (png_structp png, png_bytep data, png_size_t len)
{
  Sink *sink = png_get_io_ptr (png);
  GError *error = NULL;

  if (sink->error == NULL && !sl_export_file_write (sink->file, data, len, &error))
    sink_take_error (sink, error);
}

static void
on_png_flush (png_structp png)
{
}

static cairo_status_t
on_cairo_write (void *closure, const unsigned char *data, unsigned int len)
{
  Sink *sink = closure;
  GError *error = NULL;

  if (sink->error)
    return CAIRO_STATUS_WRITE_ERROR;
  if (sink->buffer)
    {
      g_byte_array_append (sink->buffer, data, len);
      return CAIRO_STATUS_SUCCESS;
    }
  if (!sl_export_file_write (sink->file, data, len, &error))
    {
      sink_take_error (sink, error);
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

/* Un-premultiplies one row of cairo ARGB32 into RGB or RGBA bytes. */
static void
convert_row (const guint32 *src, guint8 *dst, int width, gboolean alpha)
{
  for (int x = 0; x < width; x++)
    {
      guint32 p = src[x];
      guint a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

      if (alpha && a != 255)
        {
          if (a == 0)
            r = g = b = 0;
          else
            {
              r = (r * 255 + a / 2) / a;
              g = (g * 255 + a / 2) / a;
              b = (b * 255 + a / 2) / a;
            }
        }
      *dst++ = r;
      *dst++ = g;
      *dst++ = b;
      if (alpha)
        *dst++ = a;
    }
}

/* libpng at its fastest settings worth having: zlib level 1 and the "up" filter write a 4096²
 * photograph several times faster than cairo's defaults, for files some 10 % larger. */
static gboolean
write_png (cairo_surface_t *surface, SlExportFile *file, const char *path, GError **error)
{
  int width = cairo_image_surface_get_width (surface), height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  gboolean alpha = cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32;
  const guint8 *data;
  g_autofree guint8 *row = g_malloc ((gsize) width * 4);
  Sink sink = { file, NULL, NULL };
  png_structp png;
  png_infop info;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  info = png ? png_create_info_struct (png) : NULL;
  if (info == NULL || setjmp (png_jmpbuf (png)))
    {
      png_destroy_write_struct (&png, info ? &info : NULL);
      g_clear_error (&sink.error);
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE, "Cannot write ‘%s’: the PNG encoder failed", path);
      return FALSE;
    }
  png_set_write_fn (png, &sink, on_png_write, on_png_flush);
  png_set_compression_level (png, 1);
  png_set_filter (png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
  png_set_IHDR (png, info, width, height, 8, alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  for (int y = 0; y < height && sink.error == NULL; y++)
    {
      convert_row ((const guint32 *) (data + (gsize) y * stride), row, width, alpha);
      png_write_row (png, row);
    }
  if (sink.error == NULL)
    png_write_end (png, info);
  png_destroy_write_struct (&png, &info);
  if (sink.error)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_jpeg (cairo_surface_t *surface, int quality, SlExportFile *file, const char *path, GError **error)
{
  int width = cairo_image_surface_get_width (surface), height = cairo_image_surface_get_height (surface);
  unsigned char *jpeg = NULL;
  unsigned long size = 0;
  tjhandle tj = tjInitCompress ();
  gboolean ok;

  cairo_surface_flush (surface);
  /* cairo's native-endian 0xAARRGGBB is B, G, R, A in memory on little-endian machines. */
  ok = tj && tjCompress2 (tj, cairo_image_surface_get_data (surface), width,
                          cairo_image_surface_get_stride (surface), height,
                          G_BYTE_ORDER == G_LITTLE_ENDIAN ? TJPF_BGRX : TJPF_XRGB,
                          &jpeg, &size, TJSAMP_420, CLAMP (quality, 1, 100), TJFLAG_FASTDCT) == 0;
  if (!ok)
    g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE, "Cannot write ‘%s’: the JPEG encoder failed: %s",
                 path, tj ? tjGetErrorStr2 (tj) : "no memory");
  else
    ok = sl_export_file_write (file, jpeg, size, error);
  tjFree (jpeg);
  if (tj)
    tjDestroy (tj);
  return ok;
}

void
_sl_composer_attach_jpeg (SlComposer *self, cairo_surface_t *image)
{
  int width = cairo_image_surface_get_width (image), height = cairo_image_surface_get_height (image);
  int stride = cairo_image_surface_get_stride (image);
  const guint8 *data;
  unsigned char *jpeg = NULL;
  unsigned long size = 0;
  tjhandle tj;

  cairo_surface_flush (image);
  data = cairo_image_surface_get_data (image);
  if (data == NULL)
    return;
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        if ((row[x] >> 24) != 0xff)
          return;
    }
  tj = tjInitCompress ();
  if (tj && tjCompress2 (tj, data, width, stride, height, G_BYTE_ORDER == G_LITTLE_ENDIAN ? TJPF_BGRX : TJPF_XRGB,
                         &jpeg, &size, TJSAMP_420, CLAMP (self->composition->jpeg_quality, 1, 100), TJFLAG_FASTDCT) == 0)
    {
      if (cairo_surface_set_mime_data (image, CAIRO_MIME_TYPE_JPEG, jpeg, size, (cairo_destroy_func_t) tjFree, jpeg)
          != CAIRO_STATUS_SUCCESS)
        tjFree (jpeg);
    }
  else
    tjFree (jpeg);
  if (tj)
    tjDestroy (tj);
}

/* The folder must exist and take new files: said up front, naming it, before any work. */
static gboolean
check_destination (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);

  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE,
                   "Cannot write ‘%s’: the folder ‘%s’ does not exist", name, dir);
      return FALSE;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE,
                   "Cannot write ‘%s’: ‘%s’ is not a folder", name, dir);
      return FALSE;
    }
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE,
                   "Cannot write ‘%s’: the folder ‘%s’ is not writable (%s)", name, dir, g_strerror (errno));
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE,
                   "Cannot write ‘%s’: a folder of that name is in the way", path);
      return FALSE;
    }
  return TRUE;
}

/* Errors of the file layer (G_FILE_ERROR) become SL_COMPOSER_ERROR_WRITE naming the folder. */
static void
take_write_error (GError **error, GError *local, const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (local->domain == SL_COMPOSER_ERROR || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, local);
      return;
    }
  g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE, "%s (in the folder ‘%s’)", local->message, dir);
  g_error_free (local);
}

static void
report (SlComposerProgress progress, gpointer user_data, double fraction)
{
  if (progress)
    progress (CLAMP (fraction, 0.0, 1.0), user_data);
}

static cairo_surface_t *
render_image (SlComposer *self, const SlComposerFrame *frame, gboolean opaque, GCancellable *cancellable, GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32,
                                                         self->width, self->height);
  cairo_t *cr;
  gboolean ok;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_TOO_LARGE,
                   "Not enough memory for an image of %d × %d pixels", self->width, self->height);
      cairo_surface_destroy (surface);
      return NULL;
    }
  cr = cairo_create (surface);
  if (opaque)
    {
      /* JPEG has no transparency: what is transparent comes out white. */
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  ok = _sl_composer_render_frame (self, cr, self->width, self->height, frame, cancellable, error);
  cairo_destroy (cr);
  if (!ok)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  return surface;
}

static gboolean
export_raster (SlComposer *self, const char *path, SlExportFormat format, SlComposerProgress progress,
               gpointer user_data, GCancellable *cancellable, GError **error)
{
  SlComposerFrame frame;
  cairo_surface_t *surface;
  g_autoptr(SlExportFile) file = NULL;
  double background[4], text[4];
  gboolean ok;

  _sl_composer_default_frame (self, &frame);
  _sl_composer_theme_colours (self, background, text);
  surface = render_image (self, &frame, format == SL_EXPORT_JPEG || background[3] >= 1.0, cancellable, error);
  if (surface == NULL)
    return FALSE;
  /* Drawing is most of the work for JPEG, about half for PNG. */
  report (progress, user_data, format == SL_EXPORT_JPEG ? 0.7 : 0.5);
  file = sl_export_file_open (path, error);
  ok = file != NULL;
  if (ok && format == SL_EXPORT_JPEG)
    ok = write_jpeg (surface, self->composition->jpeg_quality, file, path, error);
  else if (ok)
    ok = write_png (surface, file, path, error);
  cairo_surface_destroy (surface);
  return ok && !g_cancellable_set_error_if_cancelled (cancellable, error) && sl_export_file_commit (file, error);
}

/* cairo draws SVG text as glyph outlines, so the words are nowhere in the XML: screen
 * readers, search and the editor's CMS would not see the credit. The title and a description
 * (caption, dates, credit) go in as the <title> and <desc> of the document. */
static gboolean
write_svg (SlComposer *self, GByteArray *svg, SlExportFile *file, GError **error)
{
  const SlComposition *c = self->composition;
  const char *data = (const char *) svg->data, *open = g_strstr_len (data, svg->len, "<svg");
  const char *end = open ? memchr (open, '>', svg->len - (open - data)) : NULL;
  g_autoptr(GString) desc = g_string_new (NULL);
  g_autofree char *title = NULL, *escaped = NULL, *text = NULL;

  if (end == NULL)
    return sl_export_file_write (file, svg->data, svg->len, error);
  end++;
  for (guint i = 0; i < self->scenes->len; i++)
    g_string_append_printf (desc, "%s%s", i ? " / " : "",
                            g_array_index (self->scenes, SlComposerScene, i).date_label);
  if (c->caption && *c->caption)
    g_string_append_printf (desc, ". %s", c->caption);
  if (self->credit && *self->credit)
    g_string_append_printf (desc, ". %s", self->credit);
  title = g_markup_escape_text (c->title && *c->title ? c->title : "Satellite imagery", -1);
  escaped = g_markup_escape_text (desc->str, -1);
  text = g_strdup_printf ("\n<title>%s</title>\n<desc>%s</desc>", title, escaped);
  return sl_export_file_write (file, data, end - data, error) &&
         sl_export_file_write (file, text, strlen (text), error) &&
         sl_export_file_write (file, end, svg->len - (end - data), error);
}

static gboolean
export_vector (SlComposer *self, const char *path, SlExportFormat format, SlComposerProgress progress,
               gpointer user_data, GCancellable *cancellable, GError **error)
{
  const SlComposition *c = self->composition;
  g_autoptr(SlExportFile) file = sl_export_file_open (path, error);
  gboolean print = c->width_mm > 0 && c->height_mm > 0;
  /* A print size: the page is exactly that in points, an output pixel about 1/dpi inch;
   * else one pixel a point. */
  double pw = print ? c->width_mm * 72.0 / 25.4 : self->width;
  double ph = print ? c->height_mm * 72.0 / 25.4 : self->height;
  double points_per_px = pw / self->width;
  g_autoptr(GByteArray) svg = format == SL_EXPORT_SVG ? g_byte_array_new () : NULL;
  Sink sink = { file, NULL, svg };
  SlComposerFrame frame;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean ok;

  if (file == NULL)
    return FALSE;
  if (format == SL_EXPORT_PDF)
    {
      surface = cairo_pdf_surface_create_for_stream (on_cairo_write, &sink, pw, ph);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sitelapse " PACKAGE_VERSION);
      if (c->title && *c->title)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, c->title);
    }
  else
    {
      surface = cairo_svg_surface_create_for_stream (on_cairo_write, &sink, pw, ph);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
    }
  cr = cairo_create (surface);
  cairo_scale (cr, points_per_px, points_per_px);
  _sl_composer_default_frame (self, &frame);
  ok = _sl_composer_render_frame (self, cr, self->width, self->height, &frame, cancellable, error);
  cairo_destroy (cr);
  report (progress, user_data, 0.6);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    {
      g_clear_error (&sink.error);
      return FALSE;
    }
  if (sink.error)
    {
      g_propagate_error (error, sink.error);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_WRITE, "Cannot write ‘%s’: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (svg && !write_svg (self, svg, file, error))
    return FALSE;
  return !g_cancellable_set_error_if_cancelled (cancellable, error) && sl_export_file_commit (file, error);
}

static gboolean
export_html (SlComposer *self, const char *path, SlComposerProgress progress, gpointer user_data,
             GCancellable *cancellable, GError **error)
{
  const SlComposition *c = self->composition;
  cairo_surface_t *images[2] = { NULL, NULL };
  g_autofree char *alt_before = NULL, *alt_after = NULL;
  const SlComposerScene *a, *b;
  SlHtmlSliderText text = { 0 };
  gboolean ok = TRUE;

  if (self->scenes->len < 2)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "Cannot write ‘%s’: a before/after slider needs two dates", path);
      return FALSE;
    }
  /* The two full images: the browser does the swipe. Dates and texts are the page's. */
  for (guint i = 0; i < 2 && ok; i++)
    {
      SlComposerFrame frame = { SL_LAYOUT_SINGLE, 1, { i }, 0, FALSE, FALSE };

      images[i] = render_image (self, &frame, TRUE, cancellable, error);
      ok = images[i] != NULL;
      report (progress, user_data, 0.4 * (i + 1));
    }
  if (ok)
    {
      a = &g_array_index (self->scenes, SlComposerScene, 0);
      b = &g_array_index (self->scenes, SlComposerScene, 1);
      alt_before = g_strdup_printf ("Satellite image of %s", a->date_label);
      alt_after = g_strdup_printf ("Satellite image of %s", b->date_label);
      text.title = c->title;
      text.caption = c->caption;
      text.credit = self->credit;
      text.before_label = c->show_dates ? a->date_label : NULL;
      text.after_label = c->show_dates ? b->date_label : NULL;
      text.alt_before = alt_before;
      text.alt_after = alt_after;
      ok = sl_export_html_write (path, images[0], images[1], &text, c->divider, c->horizontal, error);
    }
  g_clear_pointer (&images[0], cairo_surface_destroy);
  g_clear_pointer (&images[1], cairo_surface_destroy);
  return ok;
}

static gboolean
export_animation (SlComposer *self, const char *path, SlExportFormat format, SlComposerProgress progress,
                  gpointer user_data, GCancellable *cancellable, GError **error)
{
  const SlComposition *c = self->composition;
  gboolean sweep = c->animation == SL_ANIMATION_SWEEP;
  guint n = sweep ? (guint) (c->sweep_frames > 0 ? c->sweep_frames : 48) : self->scenes->len;
  int delay = c->frame_ms > 0 ? c->frame_ms : sweep ? 40 : 1000;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  g_autofree int *delays = g_new (int, MAX (n, 1));
  double background[4], text[4];

  if (sweep && self->scenes->len < 2)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "Cannot write ‘%s’: a swipe sweep needs two dates", path);
      return FALSE;
    }
  if ((guint64) n * self->width * self->height * 4 > MAX_ANIMATION_BYTES)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_TOO_LARGE,
                   "Cannot write ‘%s’: %u frames of %d × %d pixels are too many for memory; make it smaller",
                   path, n, self->width, self->height);
      return FALSE;
    }
  _sl_composer_theme_colours (self, background, text);
  for (guint i = 0; i < n; i++)
    {
      SlComposerFrame frame;
      cairo_surface_t *surface;

      _sl_composer_default_frame (self, &frame);
      if (sweep)
        {
          frame.kind = SL_LAYOUT_SWIPE;
          frame.n_scenes = 2;
          /* Across and back, easing at the ends, so the loop has no jump. */
          frame.divider = 0.5 - 0.5 * cos (2 * G_PI * i / n);
        }
      else
        {
          frame.kind = SL_LAYOUT_SINGLE;
          frame.n_scenes = 1;
          frame.scenes[0] = i;
          frame.dates = TRUE;
        }
      surface = render_image (self, &frame, background[3] >= 1.0, cancellable, error);
      if (surface == NULL)
        return FALSE;
      g_ptr_array_add (frames, surface);
      delays[i] = delay;
      report (progress, user_data, 0.8 * (i + 1) / n);
    }
  return sl_export_animation_write (path, format == SL_EXPORT_GIF ? SL_ANIMATION_GIF : SL_ANIMATION_WEBP,
                                    frames, delays, 0, error);
}

gboolean
sl_composer_export (SlComposer         *self,
                    const char         *path,
                    SlExportFormat      format,
                    SlComposerProgress  progress,
                    gpointer            user_data,
                    GCancellable       *cancellable,
                    GError            **error)
{
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (SL_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format >= SL_EXPORT_N_FORMATS)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_FORMAT, "Cannot write ‘%s’: unknown format", path);
      return FALSE;
    }
  if (!check_destination (path, error))
    return FALSE;
  report (progress, user_data, 0);
  switch (format)
    {
    case SL_EXPORT_PNG:
    case SL_EXPORT_JPEG:
      ok = export_raster (self, path, format, progress, user_data, cancellable, &local);
      break;
    case SL_EXPORT_PDF:
    case SL_EXPORT_SVG:
      ok = export_vector (self, path, format, progress, user_data, cancellable, &local);
      break;
    case SL_EXPORT_HTML:
      ok = export_html (self, path, progress, user_data, cancellable, &local);
      break;
    default:
      ok = export_animation (self, path, format, progress, user_data, cancellable, &local);
      break;
    }
  if (!ok)
    {
      take_write_error (error, local, path);
      return FALSE;
    }
  report (progress, user_data, 1);
  return TRUE;
}

/* --- async --- */

typedef struct
{
  char               *path;
  SlExportFormat      format;
  SlComposerProgress  progress;
  gpointer            progress_data;
  GDestroyNotify      progress_data_free;
  GMainContext       *context;
} ExportJob;

typedef struct
{
  GTask  *task;   /* keeps the job alive until the call is delivered */
  double  fraction;
} ProgressCall;

static void
export_job_free (ExportJob *job)
{
  g_free (job->path);
  if (job->progress_data_free)
    job->progress_data_free (job->progress_data);
  g_main_context_unref (job->context);
  g_free (job);
}

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_object_unref (call->task);
  g_free (call);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressCall *call = data;
  ExportJob *job = g_task_get_task_data (call->task);

  job->progress (call->fraction, job->progress_data);
  return G_SOURCE_REMOVE;
}

static void
on_worker_progress (double fraction, gpointer user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  ProgressCall *call = g_new (ProgressCall, 1);

  call->task = g_object_ref (task);
  call->fraction = fraction;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, deliver_progress, call, progress_call_free);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (sl_composer_export (SL_COMPOSER (source), job->path, job->format,
                          job->progress ? on_worker_progress : NULL, task, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sl_composer_export_async (SlComposer          *self,
                          const char          *path,
                          SlExportFormat       format,
                          SlComposerProgress   progress,
                          gpointer             progress_data,
                          GDestroyNotify       progress_data_free,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (SL_IS_COMPOSER (self));
  g_return_if_fail (path != NULL);

  job = g_new0 (ExportJob, 1);
  job->path = g_strdup (path);
  job->format = format;
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_data_free = progress_data_free;
  job->context = g_main_context_ref_thread_default ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_composer_export_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sl_composer_export_finish (SlComposer *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
