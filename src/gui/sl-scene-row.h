/* sl-scene-row.h — one scene in the sidebar: thumbnail, label, date, provider, pixels,
 * georeference, and buttons to hide it from comparisons and to edit its details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-scene.h"
#include "sl-scene-thumbnails.h"

G_BEGIN_DECLS

#define SL_TYPE_SCENE_ROW (sl_scene_row_get_type ())
G_DECLARE_FINAL_TYPE (SlSceneRow, sl_scene_row, SL, SCENE_ROW, GtkListBoxRow)

GtkWidget  *sl_scene_row_new         (SlScene    *scene);
SlScene    *sl_scene_row_get_scene   (SlSceneRow *self);
/* Where the row's picture comes from (NULL: a placeholder icon). The buttons activate
 * "scenes.toggle-visible" and "scenes.edit" (int64 scene id), which SlSceneList installs. */
void        sl_scene_row_set_thumbnails (SlSceneRow        *self,
                                         SlSceneThumbnails *thumbnails);

/* "21 Feb 2022 08:52 UTC" */
char       *sl_scene_row_format_date (GDateTime  *acquired);
/* "WGS 84 / UTM zone 36N" → "UTM 36N"; "WGS 84 / Pseudo-Mercator" → "Pseudo-Mercator". */
char       *sl_scene_row_shorten_crs_name (const char *name);
/* The short badge text for a scene's georeference: "UTM 36N", "Not registered", … */
char       *sl_scene_row_dup_badge   (SlScene    *scene);

/* For tests: the texts the row shows, in order (title, date, provider, pixels, badge). */
const char *_sl_scene_row_get_text   (SlSceneRow *self,
                                      guint       index);
/* For tests: the picture shown, NULL while the placeholder is. */
GdkPaintable *_sl_scene_row_get_thumbnail (SlSceneRow *self);
GtkWidget  *_sl_scene_row_get_visibility_button (SlSceneRow *self);
GtkWidget  *_sl_scene_row_get_edit_button       (SlSceneRow *self);

G_END_DECLS
