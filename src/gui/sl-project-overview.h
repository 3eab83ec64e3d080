/* sl-project-overview.h — the centre of a project window until the compare view arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sl-project.h"

G_BEGIN_DECLS

#define SL_TYPE_PROJECT_OVERVIEW (sl_project_overview_get_type ())
G_DECLARE_FINAL_TYPE (SlProjectOverview, sl_project_overview, SL, PROJECT_OVERVIEW, AdwBin)

GtkWidget  *sl_project_overview_new         (void);
SlProject  *sl_project_overview_get_project (SlProjectOverview *self);
void        sl_project_overview_set_project (SlProjectOverview *self,
                                             SlProject         *project);
/* "3 dates · 18 Jan – 21 Feb 2022", counting calendar days (UTC); NULL for no
 * scenes. @scenes holds SlScene in date order, as sl_project_list_scenes() gives. */
char       *sl_project_overview_summarize   (GPtrArray         *scenes);

/* For tests: the heading shown. */
const char *_sl_project_overview_get_title  (SlProjectOverview *self);

G_END_DECLS
