/* sl-screenshot.h — `sitelapse --screenshot FILE …`: a window rendered once it is complete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-window.h"

G_BEGIN_DECLS

#define SL_SCREENSHOT_ERROR (sl_screenshot_error_quark ())

typedef enum
{
  SL_SCREENSHOT_ERROR_INVALID,   /* an option that cannot be understood */
  SL_SCREENSHOT_ERROR_NO_SCENE,  /* a date that no scene of the project has */
  SL_SCREENSHOT_ERROR_TIMEOUT,   /* tiles still missing after the time limit */
} SlScreenshotError;

/* Sets up a project window as the options say (mode, dates, divider, centre, zoom), waits
 * until every visible tile and thumbnail is loaded, renders the window with its own renderer
 * into a PNG and emits "done" (GError or NULL). The window's comparison is not saved to the
 * project. Testing and documentation hook: the README's screenshots come from it. */
#define SL_TYPE_SCREENSHOT (sl_screenshot_get_type ())
G_DECLARE_FINAL_TYPE (SlScreenshot, sl_screenshot, SL, SCREENSHOT, GObject)

/* @options: a GVariantDict of the command line ("screenshot" the PNG path, "mode", "dates"
 * A,B as scene ids or ISO dates, "swipe", "center" X,Y in site units, "zoom", "size" WxH).
 * Returns NULL with @error for an option that cannot be used. */
SlScreenshot *sl_screenshot_new      (GVariantDict  *options,
                                      GError       **error);
/* The window size asked for (logical pixels). */
void          sl_screenshot_get_size (SlScreenshot  *self,
                                      int           *width,
                                      int           *height);
/* Starts on @window, which shows the project. */
void          sl_screenshot_start    (SlScreenshot  *self,
                                      SlWindow      *window);

GQuark        sl_screenshot_error_quark (void);

G_END_DECLS
