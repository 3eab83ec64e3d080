/* sl-export-html.c — a self-contained before/after slider page
 *
 * The page is one file that works offline in any browser: both images are JPEG data: URIs,
 * the CSS and the script are inline and there is no URL to anything else (no fonts, no
 * scripts, no links). The after image sits in the page flow, so it gives the frame its
 * size and aspect ratio at any width without script; the before image lies on top of it,
 * cut by clip-path at the divider. Each date's label lives in its image's layer, so the
 * divider covers it with its image. The initial position is written into the markup, so
 * the page is right before (or without) the script; the script only moves the divider.
 *
 * The handle is a focusable role="slider" with aria-valuenow in percent. Keys move it the
 * way it looks: for a vertical divider Right/Up move it right, for a horizontal divider
 * Down/Right move it down; Page Up/Down step 10 %, Home/End go to the ends. Pointer events
 * drag it from anywhere on the image (touch-action lets the page still scroll across the
 * drag's axis); old browsers without pointer events get mouse and touch events. The script
 * is ES5 and has no "//" comment, so nothing in the file looks like a URL.
 *
 * JPEG: TurboJPEG, quality 88, 4:4:4 (no chroma subsampling, so thin coloured annotation
 * lines keep their colour), progressive. Base64 adds a third to the JPEGs' size; the page
 * itself is about 5 KB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-html"

#include "config.h"

#include <math.h>
#include <string.h>

#include <turbojpeg.h>

#include "sl-export-file-private.h"
#include "sl-export-html.h"

#if G_BYTE_ORDER == G_LITTLE_ENDIAN
#define TJ_FORMAT TJPF_BGRX
#else
#define TJ_FORMAT TJPF_XRGB
#endif

#define JPEG_QUALITY  88
#define JPEG_MAX_SIDE 65500

G_DEFINE_QUARK (sl-export-html-error-quark, sl_export_html_error)

static const char page_style[] =
  "*{box-sizing:border-box}\n"
  "body{margin:0;padding:16px;background:#fff;color:#1d1d1f;"
  "font:16px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Cantarell,\"Noto Sans\",sans-serif}\n"
  ".sl{margin:0 auto;padding:0}\n"
  ".sl h1{font-size:1.5em;line-height:1.2;margin:0 0 .5em}\n"
  ".sl-frame{position:relative;overflow:hidden;line-height:0;cursor:ew-resize;touch-action:pan-y;"
  "-webkit-user-select:none;user-select:none;background:#000}\n"
  ".sl-h{cursor:ns-resize;touch-action:pan-x}\n"
  ".sl-frame img{display:block;width:100%;height:auto;pointer-events:none;-webkit-user-drag:none}\n"
  ".sl-after{position:relative}\n"
  ".sl-before{position:absolute;top:0;left:0;width:100%;height:100%}\n"
  ".sl-before img{height:100%}\n"
  ".sl-label{position:absolute;top:8px;left:8px;max-width:45%;overflow:hidden;text-overflow:ellipsis;"
  "white-space:nowrap;padding:3px 8px;border-radius:3px;background:rgba(0,0,0,.68);color:#fff;"
  "font-size:14px;font-weight:600;line-height:1.35}\n"
  ".sl-after .sl-label{left:auto;right:8px}\n"
  ".sl-h .sl-after .sl-label{top:auto;bottom:8px;right:auto;left:8px;max-width:90%}\n"
  ".sl-h .sl-before .sl-label{max-width:90%}\n"
  ".sl-handle{position:absolute;z-index:2;top:0;bottom:0;width:44px;margin-left:-22px;outline:none;"
  "touch-action:none;cursor:ew-resize}\n"
  ".sl-handle:before{content:\"\";position:absolute;top:0;bottom:0;left:21px;width:2px;background:#fff;"
  "box-shadow:0 0 3px rgba(0,0,0,.7)}\n"
  ".sl-h .sl-handle{left:0;right:0;bottom:auto;width:auto;height:44px;margin:-22px 0 0;cursor:ns-resize}\n"
  ".sl-h .sl-handle:before{top:21px;bottom:auto;left:0;right:0;width:auto;height:2px}\n"
  ".sl-grip{position:absolute;top:50%;left:50%;width:36px;height:36px;margin:-18px 0 0 -18px;"
  "border-radius:50%;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.6)}\n"
  ".sl-grip:before,.sl-grip:after{content:\"\";position:absolute;top:12px;border:6px solid transparent}\n"
  ".sl-grip:before{left:2px;border-right-color:#333}\n"
  ".sl-grip:after{right:2px;border-left-color:#333}\n"
  ".sl-h .sl-grip:before,.sl-h .sl-grip:after{top:auto;left:12px;right:auto;border-color:transparent}\n"
  ".sl-h .sl-grip:before{top:2px;border-bottom-color:#333}\n"
  ".sl-h .sl-grip:after{bottom:2px;border-top-color:#333}\n"
  ".sl-handle:focus .sl-grip{box-shadow:0 0 0 3px #1c71d8,0 1px 4px rgba(0,0,0,.6)}\n"
  ".sl-handle:focus:not(:focus-visible) .sl-grip{box-shadow:0 1px 4px rgba(0,0,0,.6)}\n"
  ".sl figcaption{margin-top:.6em}\n"
  ".sl-caption{margin:0 0 .3em}\n"
  ".sl-credit{margin:0;font-size:.85em;color:#555}\n";

/* Every .sl-frame on the page is a slider; its state is the handle's aria-valuenow. */
static const char page_script[] =
  "(function () {\n"
  "  'use strict';\n"
  "  var KEYS = {37: 'ArrowLeft', 38: 'ArrowUp', 39: 'ArrowRight', 40: 'ArrowDown',\n"
  "              33: 'PageUp', 34: 'PageDown', 36: 'Home', 35: 'End'};\n"
  "  function setup(frame) {\n"
  "    var horizontal = (' ' + frame.className + ' ').indexOf(' sl-h ') >= 0;\n"
  "    var handle = frame.querySelector('.sl-handle');\n"
  "    var before = frame.querySelector('.sl-before');\n"
  "    var labels = [frame.querySelector('.sl-before .sl-label'), frame.querySelector('.sl-after .sl-label')];\n"
  "    var value = parseFloat(handle.getAttribute('aria-valuenow')) || 0;\n"
  "    var drag = null;\n"
  "    function text(i) { return labels[i] ? labels[i].textContent : (i ? 'after' : 'before'); }\n"
  "    function set(v) {\n"
  "      if (isNaN(v)) return;\n"
  "      v = Math.max(0, Math.min(100, v));\n"
  "      value = v;\n"
  "      var rest = (100 - v) + '%';\n"
  "      var clip = horizontal ? 'inset(0 0 ' + rest + ' 0)' : 'inset(0 ' + rest + ' 0 0)';\n"
  "      before.style.webkitClipPath = clip;\n"
  "      before.style.clipPath = clip;\n"
  "      if (horizontal) handle.style.top = v + '%'; else handle.style.left = v + '%';\n"
  "      var shown = Math.round(v * 10) / 10;\n"
  "      handle.setAttribute('aria-valuenow', String(shown));\n"
  "      handle.setAttribute('aria-valuetext', Math.round(v) + '%: ' + text(0) +\n"
  "                          (horizontal ? ' above, ' : ' on the left, ') + text(1) +\n"
  "                          (horizontal ? ' below' : ' on the right'));\n"
  "    }\n"
  "    function moveTo(x, y) {\n"
  "      var r = frame.getBoundingClientRect();\n"
  "      if (horizontal) { if (r.height > 0) set((y - r.top) / r.height * 100); }\n"
  "      else if (r.width > 0) set((x - r.left) / r.width * 100);\n"
  "    }\n"
  "    function focusHandle() {\n"
  "      try { handle.focus({preventScroll: true}); } catch (err) { handle.focus(); }\n"
  "    }\n"
  "    handle.addEventListener('keydown', function (e) {\n"
  "      var key = e.key || KEYS[e.keyCode] || '';\n"
  "      var big = e.shiftKey ? 10 : 1;\n"
  "      var fwd = horizontal ? {ArrowDown: big, Down: big, ArrowRight: big, Right: big,\n"
  "                              ArrowUp: -big, Up: -big, ArrowLeft: -big, Left: -big,\n"
  "                              PageDown: 10, PageUp: -10}\n"
  "                           : {ArrowRight: big, Right: big, ArrowUp: big, Up: big,\n"
  "                              ArrowLeft: -big, Left: -big, ArrowDown: -big, Down: -big,\n"
  "                              PageUp: 10, PageDown: -10};\n"
  "      if (key === 'Home') set(0);\n"
  "      else if (key === 'End') set(100);\n"
  "      else if (fwd.hasOwnProperty(key)) set(Math.round(value) + fwd[key]);\n"
  "      else return;\n"
  "      e.preventDefault();\n"
  "    });\n"
  "    if (window.PointerEvent) {\n"
  "      frame.addEventListener('pointerdown', function (e) {\n"
  "        if (e.pointerType === 'mouse' && e.button !== 0) return;\n"
  "        drag = e.pointerId;\n"
  "        try { frame.setPointerCapture(e.pointerId); } catch (err) { }\n"
  "        moveTo(e.clientX, e.clientY);\n"
  "        focusHandle();\n"
  "        e.preventDefault();\n"
  "      });\n"
  "      frame.addEventListener('pointermove', function (e) {\n"
  "        if (drag === e.pointerId) moveTo(e.clientX, e.clientY);\n"
  "      });\n"
  "      var end = function (e) { if (drag === e.pointerId) drag = null; };\n"
  "      frame.addEventListener('pointerup', end);\n"
  "      frame.addEventListener('pointercancel', end);\n"
  "      frame.addEventListener('lostpointercapture', end);\n"
  "    } else {\n"
  "      frame.addEventListener('mousedown', function (e) {\n"
  "        if (e.button !== 0) return;\n"
  "        drag = 'mouse';\n"
  "        moveTo(e.clientX, e.clientY);\n"
  "        focusHandle();\n"
  "        e.preventDefault();\n"
  "      });\n"
  "      document.addEventListener('mousemove', function (e) {\n"
  "        if (drag === 'mouse') moveTo(e.clientX, e.clientY);\n"
  "      });\n"
  "      document.addEventListener('mouseup', function () { drag = null; });\n"
  "      var touch = function (e) {\n"
  "        if (e.touches.length !== 1) return;\n"
  "        moveTo(e.touches[0].clientX, e.touches[0].clientY);\n"
  "        e.preventDefault();\n"
  "      };\n"
  "      frame.addEventListener('touchstart', touch, {passive: false});\n"
  "      frame.addEventListener('touchmove', touch, {passive: false});\n"
  "    }\n"
  "    set(value);\n"
  "  }\n"
  "  var frames = document.querySelectorAll('.sl-frame');\n"
  "  for (var i = 0; i < frames.length; i++) setup(frames[i]);\n"
  "})();\n";

/* --- helpers --- */

/* HTML-escaped UTF-8 (invalid bytes replaced), or @fallback's when @s is NULL or empty. */
static char *
escape (const char *s,
        const char *fallback)
{
  g_autofree char *valid = NULL;

  if (s == NULL || *s == '\0')
    s = fallback;
  if (s == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (s, -1);

  return g_markup_escape_text (valid, -1);
}

static gboolean
is_blank (const char *s)
{
  return s == NULL || *s == '\0';
}

/* @value with two decimals and a '.', whatever the locale. */
static const char *
format_percent (char   *buf,
                double  value)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.2f", value);
}

/* The surface as a base64 JPEG. */
static char *
encode_jpeg_base64 (cairo_surface_t  *surface,
                    const char       *path,
                    const char       *which,
                    GError          **error)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  unsigned char *jpeg = NULL;
  unsigned long jpeg_len = 0;
  tjhandle tj;
  char *b64;

  cairo_surface_flush (surface);

  tj = tjInitCompress ();
  if (tj == NULL)
    {
      g_set_error (error, SL_EXPORT_HTML_ERROR, SL_EXPORT_HTML_ERROR_ENCODE,
                   "Cannot write ‘%s’: the JPEG encoder did not start (%s)", path, tjGetErrorStr ());
      return NULL;
    }
  if (tjCompress2 (tj, cairo_image_surface_get_data (surface), width,
                   cairo_image_surface_get_stride (surface), height, TJ_FORMAT,
                   &jpeg, &jpeg_len, TJSAMP_444, JPEG_QUALITY,
                   TJFLAG_PROGRESSIVE | TJFLAG_ACCURATEDCT) != 0)
    {
      g_set_error (error, SL_EXPORT_HTML_ERROR, SL_EXPORT_HTML_ERROR_ENCODE,
                   "Cannot write ‘%s’: the %s image did not encode as JPEG (%s)",
                   path, which, tjGetErrorStr2 (tj));
      tjFree (jpeg);
      tjDestroy (tj);
      return NULL;
    }
  tjDestroy (tj);

  b64 = g_base64_encode (jpeg, jpeg_len);
  tjFree (jpeg);

  return b64;
}

static void
append_image (GString    *page,
              const char *layer,
              const char *b64,
              const char *alt,
              const char *label,
              int         width,
              int         height,
              const char *style)
{
  g_string_append_printf (page, "<div class=\"%s\"%s>", layer, style);
  g_string_append_printf (page, "<img src=\"data:image/jpeg;base64,%s\" alt=\"%s\" width=\"%d\" "
                          "height=\"%d\" draggable=\"false\">", b64, alt, width, height);
  if (label != NULL)
    g_string_append_printf (page, "<span class=\"sl-label\">%s</span>", label);
  g_string_append (page, "</div>\n");
}

/* --- public API --- */

gboolean
sl_export_html_write (const char              *path,
                      cairo_surface_t         *before,
                      cairo_surface_t         *after,
                      const SlHtmlSliderText  *text,
                      double                   divider,
                      gboolean                 horizontal,
                      GError                 **error)
{
  static const SlHtmlSliderText no_text = { NULL, };
  g_autofree char *display = NULL;
  g_autofree char *b64_before = NULL;
  g_autofree char *b64_after = NULL;
  g_autofree char *title = NULL, *heading = NULL, *caption = NULL, *credit = NULL;
  g_autofree char *label_before = NULL, *label_after = NULL;
  g_autofree char *alt_before = NULL, *alt_after = NULL;
  g_autofree char *default_title = NULL;
  g_autofree char *default_alt_before = NULL, *default_alt_after = NULL;
  g_autoptr(GString) page = NULL;
  char pos[G_ASCII_DTOSTR_BUF_SIZE], rest[G_ASCII_DTOSTR_BUF_SIZE], ratio[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *clip = NULL;
  int width, height;

  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (before != NULL && cairo_surface_get_type (before) == CAIRO_SURFACE_TYPE_IMAGE, FALSE);
  g_return_val_if_fail (after != NULL && cairo_surface_get_type (after) == CAIRO_SURFACE_TYPE_IMAGE, FALSE);
  g_return_val_if_fail (cairo_image_surface_get_format (before) == CAIRO_FORMAT_ARGB32 ||
                        cairo_image_surface_get_format (before) == CAIRO_FORMAT_RGB24, FALSE);
  g_return_val_if_fail (cairo_image_surface_get_format (after) == CAIRO_FORMAT_ARGB32 ||
                        cairo_image_surface_get_format (after) == CAIRO_FORMAT_RGB24, FALSE);
  g_return_val_if_fail (cairo_image_surface_get_width (before) == cairo_image_surface_get_width (after) &&
                        cairo_image_surface_get_height (before) == cairo_image_surface_get_height (after),
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  display = g_filename_display_name (path);
  width = cairo_image_surface_get_width (before);
  height = cairo_image_surface_get_height (before);
  if (width < 1 || height < 1 || width > JPEG_MAX_SIDE || height > JPEG_MAX_SIDE)
    {
      g_set_error (error, SL_EXPORT_HTML_ERROR, SL_EXPORT_HTML_ERROR_SIZE,
                   "Cannot write ‘%s’: images of %d×%d pixels do not fit a JPEG (1–%d pixels a side)",
                   display, width, height, JPEG_MAX_SIDE);
      return FALSE;
    }

  if (text == NULL)
    text = &no_text;
  if (isnan (divider))
    divider = 0.5;
  divider = CLAMP (divider, 0.0, 1.0);

  b64_before = encode_jpeg_base64 (before, display, "before", error);
  if (b64_before == NULL)
    return FALSE;
  b64_after = encode_jpeg_base64 (after, display, "after", error);
  if (b64_after == NULL)
    return FALSE;

  label_before = is_blank (text->before_label) ? NULL : escape (text->before_label, NULL);
  label_after = is_blank (text->after_label) ? NULL : escape (text->after_label, NULL);
  default_title = g_strdup_printf ("%s – %s",
                                   is_blank (text->before_label) ? "Before" : text->before_label,
                                   is_blank (text->after_label) ? "After" : text->after_label);
  title = escape (text->title, default_title);
  default_alt_before = g_strdup_printf ("Image of %s", is_blank (text->before_label) ? "before" : text->before_label);
  default_alt_after = g_strdup_printf ("Image of %s", is_blank (text->after_label) ? "after" : text->after_label);
  alt_before = escape (text->alt_before, default_alt_before);
  alt_after = escape (text->alt_after, default_alt_after);
  heading = is_blank (text->title) ? NULL : escape (text->title, NULL);
  caption = is_blank (text->caption) ? NULL : escape (text->caption, NULL);
  credit = is_blank (text->credit) ? NULL : escape (text->credit, NULL);

  format_percent (pos, divider * 100.0);
  format_percent (rest, 100.0 - divider * 100.0);
  g_ascii_formatd (ratio, sizeof ratio, "%.6f", (double) width / height);
  clip = horizontal
    ? g_strdup_printf ("inset(0 0 %s%% 0)", rest)
    : g_strdup_printf ("inset(0 %s%% 0 0)", rest);

  page = g_string_sized_new (strlen (b64_before) + strlen (b64_after) + 16384);
  g_string_append (page, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
  g_string_append_printf (page, "<meta name=\"generator\" content=\"Sitelapse %s\">\n", PACKAGE_VERSION);
  g_string_append_printf (page, "<title>%s</title>\n<style>\n%s</style>\n</head>\n<body>\n", title, page_style);

  /* Never wider than the images (no upscaling), and short enough that the whole frame fits
   * a landscape screen with the title and caption; browsers without min() keep the first. */
  g_string_append_printf (page, "<figure class=\"sl\" style=\"max-width:%dpx;"
                          "max-width:min(%dpx, max(20em, (100vh - 11em) * %s))\">\n",
                          width, width, ratio);
  if (heading != NULL)
    g_string_append_printf (page, "<h1>%s</h1>\n", heading);
  g_string_append_printf (page, "<div class=\"sl-frame%s\">\n", horizontal ? " sl-h" : "");
  append_image (page, "sl-after", b64_after, alt_after, label_after, width, height, "");
  {
    g_autofree char *style = g_strdup_printf (" style=\"-webkit-clip-path:%s;clip-path:%s\"", clip, clip);
    append_image (page, "sl-before", b64_before, alt_before, label_before, width, height, style);
  }
  g_string_append_printf (page, "<div class=\"sl-handle\" role=\"slider\" tabindex=\"0\" "
                          "aria-label=\"Divider between %s and %s\" aria-orientation=\"%s\" "
                          "aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"%s\" "
                          "style=\"%s:%s%%\"><span class=\"sl-grip\"></span></div>\n</div>\n",
                          label_before ? label_before : "before", label_after ? label_after : "after",
                          horizontal ? "vertical" : "horizontal",
                          pos, horizontal ? "top" : "left", pos);
  if (caption != NULL || credit != NULL)
    {
      g_string_append (page, "<figcaption>\n");
      if (caption != NULL)
        g_string_append_printf (page, "<p class=\"sl-caption\">%s</p>\n", caption);
      if (credit != NULL)
        g_string_append_printf (page, "<p class=\"sl-credit\">%s</p>\n", credit);
      g_string_append (page, "</figcaption>\n");
    }
  g_string_append_printf (page, "</figure>\n<script>\n%s</script>\n</body>\n</html>\n", page_script);

  return sl_export_file_replace (path, page->str, page->len, error);
}
