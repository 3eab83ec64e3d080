/* sl-test-gui.h — the set-up every GUI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-application.h"

G_BEGIN_DECLS

/* g_test_init with isolated dirs (keeping the system MIME database, so SVG icons load), the
 * cairo renderer (pixel-exact offscreen renders, and no Mesa GL threads, which deadlock
 * ASan's slow unwinder), a C.UTF-8 locale, GTK, libadwaita and the core; returns a registered,
 * non-unique SlApplication for the tests' windows. */
SlApplication *sl_test_gui_init (int    *argc,
                                 char ***argv);

/* A widget rendered offscreen: cairo ARGB32 (premultiplied) device pixels. */
typedef struct
{
  int     width, height;  /* device pixels */
  int     scale;          /* the widget's scale factor */
  guint8 *data;
  gsize   stride;
} SlTestPixels;

void           sl_test_pixels_clear  (SlTestPixels *pixels);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SlTestPixels, sl_test_pixels_clear)

/* @widget as its parent draws it (its CSS background included), by its window's renderer at
 * its scale factor, the widget's top-left at 0, 0. With $SL_TEST_PNG_DIR set, also saved there
 * as @name (for looking at; may be NULL). */
void           sl_test_render_widget (GtkWidget    *widget,
                                      SlTestPixels *out,
                                      const char   *name);
guint32        sl_test_pixel         (const SlTestPixels *pixels,
                                      int                 x,
                                      int                 y);

/* Iterates the main context until @done (@data) or 30 s; on time out the test fails, saying
 * what it waited for. */
void           sl_test_spin_until    (gboolean   (*done) (gpointer),
                                      gpointer     data,
                                      const char  *what);
/* Iterates the main context for @ms milliseconds. */
void           sl_test_spin_for      (guint        ms);
/* One whole frame of @widget's window: layout (new allocations) and paint. */
void           sl_test_wait_frame    (GtkWidget   *widget);

G_END_DECLS
