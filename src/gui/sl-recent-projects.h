/* sl-recent-projects.h — the recently opened projects, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_RECENT_PROJECTS_MAX 10

/* Absolute paths, newest first, without the files that no longer exist. */
GStrv  sl_recent_projects_list   (GSettings  *settings);
/* Puts @file first, drops duplicates and missing files, keeps SL_RECENT_PROJECTS_MAX. */
void   sl_recent_projects_add    (GSettings  *settings,
                                  GFile      *file);
void   sl_recent_projects_remove (GSettings  *settings,
                                  GFile      *file);
/* "Site" for "/home/me/Site.sitelapse"; "~/Work" for its folder under the home. */
char  *sl_recent_projects_dup_title  (const char *path);
char  *sl_recent_projects_dup_folder (const char *path);

G_END_DECLS
