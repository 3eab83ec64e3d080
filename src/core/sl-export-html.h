/* sl-export-html.h — a self-contained before/after slider page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define SL_EXPORT_HTML_ERROR (sl_export_html_error_quark ())

typedef enum
{
  SL_EXPORT_HTML_ERROR_SIZE,    /* an image too large for a JPEG (65 500 px a side) */
  SL_EXPORT_HTML_ERROR_ENCODE,  /* the JPEG encoder failed */
} SlExportHtmlError;

/* Every text may be NULL (or empty): its element is left out (a date label too), or for the
 * page title and the alt texts a neutral default is made from the labels. Texts are UTF-8;
 * they are HTML-escaped, never interpreted as markup. */
typedef struct
{
  const char *title;         /* the page title and heading */
  const char *caption;       /* below the images */
  const char *credit;        /* e.g. "Satellite image ©2022 Maxar Technologies" */
  const char *before_label;  /* the dates, drawn on each image's corner */
  const char *after_label;
  const char *alt_before;    /* alternative text of each image */
  const char *alt_after;
} SlHtmlSliderText;

GQuark    sl_export_html_error_quark (void);

/* Writes one HTML file that needs nothing else: both images are embedded as JPEG data: URIs,
 * CSS and script are inline, no external URL of any kind. @before and @after are cairo image
 * surfaces of the same size (ARGB32 or RGB24; transparent pixels come out over black).
 * @divider is the initial position, 0–1 of the width (or of the height when @horizontal):
 * @before shows left of (above) the divider, @after right of (below) it. The handle is a
 * focusable role="slider" moved by pointer drag and by arrow keys, Page Up/Down, Home/End.
 * The file is written beside @path and renamed into place: on error nothing is left behind.
 * Thread-safe. */
gboolean  sl_export_html_write       (const char              *path,
                                      cairo_surface_t         *before,
                                      cairo_surface_t         *after,
                                      const SlHtmlSliderText  *text,
                                      double                   divider,
                                      gboolean                 horizontal,
                                      GError                 **error);

G_END_DECLS
