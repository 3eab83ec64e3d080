/* sl-application.h — the Sitelapse application: one window per open project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct _SlWindow SlWindow;

#define SL_TYPE_APPLICATION (sl_application_get_type ())
G_DECLARE_FINAL_TYPE (SlApplication, sl_application, SL, APPLICATION, AdwApplication)

SlApplication *sl_application_new            (void);
/* What the process should exit with beyond g_application_run's status: 1 when a
 * `--screenshot` failed, 2 for a command line it could not use. */
int            sl_application_get_exit_status (SlApplication *self);

/* Shows @file in a window: the one that already has it, else @from when it has no
 * project, else a welcome window, else a new one. A failure shows a toast in that
 * window. Returns the window used (owned by the application). */
SlWindow      *sl_application_open_project   (SlApplication *self,
                                              GFile         *file,
                                              SlWindow      *from);
/* Creates a project at @file (replacing a file the user chose to overwrite), shows it
 * and then adds @images to it. Returns the window used. */
SlWindow      *sl_application_create_project (SlApplication *self,
                                              GFile         *file,
                                              SlWindow      *from,
                                              GFile        **images,
                                              guint          n_images);
/* Opens what @files hold: projects each in their window, images as scenes of the
 * project in @from (or of the active project window, or of a new project). */
void           sl_application_open_files     (SlApplication *self,
                                              GFile        **files,
                                              guint          n_files,
                                              SlWindow      *from);
/* The window showing @file, or NULL. */
SlWindow      *sl_application_find_window    (SlApplication *self,
                                              GFile         *file);

G_END_DECLS
