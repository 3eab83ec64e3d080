/* sl-scene-row.h — one scene in the sidebar: label, date, provider, pixels, georeference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-scene.h"

G_BEGIN_DECLS

#define SL_TYPE_SCENE_ROW (sl_scene_row_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneRow, sl_scene_row, SL, SCENE_ROW, GtkListBoxRow)

GtkWidget  *sl_scene_row_new         (SlScene    *scene);
SlScene    *sl_scene_row_get_scene   (SlSceneRow *self);

/* "21 Feb 2022 08:52 UTC" */
char       *sl_scene_row_format_date (GDateTime  *acquired);
/* "WGS 84 / UTM zone 36N" → "UTM 36N"; "WGS 84 / Pseudo-Mercator" → "Pseudo-Mercator". */
char       *sl_scene_row_shorten_crs_name (const char *name);
/* The short badge text for a scene's georeference: "UTM 36N", "Not registered", … */
char       *sl_scene_row_dup_badge   (SlScene    *scene);

/* For tests: the texts the row shows, in order (title, date, provider, pixels, badge). */
const char *_sl_scene_row_get_text   (SlSceneRow *self,
                                      guint       index);

G_END_DECLS
