/* sl-window.h — a project window: scenes by date beside the compare area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-project.h"

G_BEGIN_DECLS

#define SL_TYPE_WINDOW (sl_window_get_type ())
G_DECLARE_FINAL_TYPE (SlWindow, sl_window, SL, WINDOW, AdwApplicationWindow)

SlWindow  *sl_window_new          (GtkApplication *application);

/* NULL while the window shows the welcome page. */
SlProject *sl_window_get_project  (SlWindow       *self);
void       sl_window_set_project  (SlWindow       *self,
                                   SlProject      *project);
/* TRUE while images are being read in the background. */
gboolean   sl_window_get_busy     (SlWindow       *self);

/* Probes the images in a worker thread and adds each as a scene, asking for the
 * acquisition date of images that carry none. Without a project, asks where to
 * create one first. Failures are reported as toasts. */
void       sl_window_add_images   (SlWindow       *self,
                                   GFile         **files,
                                   guint           n_files);

void       sl_window_show_toast   (SlWindow       *self,
                                   const char     *title);
void       sl_window_show_error   (SlWindow       *self,
                                   const GError   *error);

G_END_DECLS
