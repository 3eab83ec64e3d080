/* sl-welcome-page.h — what a window without a project shows: new, open and recent projects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_TYPE_WELCOME_PAGE (sl_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (SlWelcomePage, sl_welcome_page, SL, WELCOME_PAGE, AdwBin)

GtkWidget *sl_welcome_page_new              (void);
/* For tests: how many recent projects the page lists. */
guint      _sl_welcome_page_get_n_recent    (SlWelcomePage *self);

G_END_DECLS
