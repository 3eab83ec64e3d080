/* sl-test-gui.h — the set-up every GUI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-application.h"

G_BEGIN_DECLS

/* g_test_init with isolated dirs (keeping the system MIME database, so SVG icons load), the
 * cairo renderer (pixel-exact offscreen renders, and no Mesa GL threads, which deadlock
 * ASan's slow unwinder), a C.UTF-8 locale, GTK, libadwaita and the core; returns a registered,
 * non-unique SlApplication for the tests' windows. */
SlApplication *sl_test_gui_init (int    *argc,
                                 char ***argv);

G_END_DECLS
