/* sl-pyramid-jobs.h — display pyramids built in the background for the scenes that need one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-project.h"
#include "sl-pyramid-survey.h"
#include "sl-tile-cache.h"

G_BEGIN_DECLS

/* A project window's background pyramid builder. Once started, it surveys every scene of
 * the project off the main thread (sl-pyramid-survey.h: does the source need a pyramid, and
 * is it already stored?) and builds the missing ones into the project one scene at a time
 * (SL_PYRAMID_OVERVIEWS for a source without overviews, SL_PYRAMID_FULL for a JPEG2000 or a
 * sequential JPEG/PNG), at the scheduler's background priority, so the tiles panes want come
 * first. It follows the project: added scenes and new render generations are surveyed again;
 * a removed scene's build stops. A pyramid found complete is not built again, so reopening a
 * project costs one survey per scene.
 *
 * Main thread only. Properties: "busy" (something is queued, surveyed or built),
 * "scene-id" (the scene being built, 0 otherwise), "fraction" (its progress, 0…1).
 * Signals: "scene-started" (gint64 scene id, int SlPyramidMode) as a build starts;
 * "scene-finished" (gint64 scene id, GError *error) when it ends, or when a scene that needs
 * a pyramid cannot have one (its source is missing): @error is NULL when it was built, and
 * the signal is not emitted for a cancelled build. */
#define SL_TYPE_PYRAMID_JOBS (sl_pyramid_jobs_get_type ())
G_DECLARE_FINAL_TYPE (SlPyramidJobs, sl_pyramid_jobs, SL, PYRAMID_JOBS, GObject)

SlPyramidJobs *sl_pyramid_jobs_new          (SlProject     *project,
                                             SlTileCache   *cache);
/* Surveys every scene, then builds what is missing. Scenes cancelled before are surveyed
 * again. */
void           sl_pyramid_jobs_start        (SlPyramidJobs *self);
/* Stops the build in progress and drops the queued scenes: they are not built again until
 * sl_pyramid_jobs_start(). Scenes added afterwards are. Tiles already stored stay. */
void           sl_pyramid_jobs_cancel       (SlPyramidJobs *self);

gboolean       sl_pyramid_jobs_get_busy     (SlPyramidJobs *self);
gint64         sl_pyramid_jobs_get_scene_id (SlPyramidJobs *self);
SlPyramidMode  sl_pyramid_jobs_get_mode     (SlPyramidJobs *self);
double         sl_pyramid_jobs_get_fraction (SlPyramidJobs *self);

G_END_DECLS
