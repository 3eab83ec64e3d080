/* sl-timeline.h — the strip of dates below the compare view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sl-scene-thumbnails.h"

G_BEGIN_DECLS

/* A time axis with one mark per dated scene, placed in proportion to its acquisition time
 * (so uneven gaps show as gaps), ticks and labels that adapt to the span, the current date
 * highlighted and the secondary one (the other side of a comparison) outlined, and per-date
 * totals drawn above the marks. Hovering a mark shows the scene's thumbnail, label and date.
 *
 * Clicking near a mark, or Left/Right/Home/End when focused, emits "scene-activated"
 * (gint64 scene_id); its default handler makes that scene current (connect and call
 * g_signal_stop_emission_by_name () to decide otherwise). Enter/Space activates the current
 * date again. Scenes without an acquisition date have no mark. */
#define SL_TYPE_TIMELINE (sl_timeline_get_type ())
G_DECLARE_FINAL_TYPE (SlTimeline, sl_timeline, SL, TIMELINE, GtkWidget)

GtkWidget         *sl_timeline_new            (void);

/* SlScene items in date order; the timeline follows "items-changed". */
GListModel        *sl_timeline_get_model      (SlTimeline        *self);
void               sl_timeline_set_model      (SlTimeline        *self,
                                               GListModel        *scenes);
/* Where the hover popup takes its pictures from; may be NULL. */
SlSceneThumbnails *sl_timeline_get_thumbnails (SlTimeline        *self);
void               sl_timeline_set_thumbnails (SlTimeline        *self,
                                               SlSceneThumbnails *thumbnails);

/* Scene ids; 0: none. */
gint64             sl_timeline_get_current    (SlTimeline        *self);
void               sl_timeline_set_current    (SlTimeline        *self,
                                               gint64             scene_id);
gint64             sl_timeline_get_secondary  (SlTimeline        *self);
void               sl_timeline_set_secondary  (SlTimeline        *self,
                                               gint64             scene_id);

/* Per-date totals (e.g. objects annotated on each date), drawn as small bars and numbers
 * above the marks: @scene_id_to_count maps gint64 * scene ids to counts
 * (GUINT_TO_POINTER). Copied; NULL removes them. */
void               sl_timeline_set_totals     (SlTimeline        *self,
                                               GHashTable        *scene_id_to_count);

G_END_DECLS
