/* bench-tiles.h — shared helpers of the tile pipeline benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-project.h"
#include "sl-tile-cache.h"
#include "sl-viewport.h"

G_BEGIN_DECLS

/* Each subcommand runs in its own process (bench/run starts one per measurement), so peak RSS
 * and cold memory tiers belong to that measurement alone. Figures are printed as
 * "LABEL.name: value unit" lines, and all of them again as one JSON line at the end. */
typedef int (*BenchFunc) (int argc, char **argv);

/* A figure of this run; @name is prefixed with the --label given on the command line. */
void        bench_report            (const char *name,
                                     double      value,
                                     const char *unit);
void        bench_fail              (const char *format,
                                     ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;

double      bench_now               (void);            /* seconds, monotonic */
double      bench_peak_rss_mb       (void);            /* VmHWM */
double      bench_process_cpu       (void);            /* user + system seconds, all threads */
double      bench_thread_cpu        (void);            /* user + system seconds, this thread */
double      bench_percentile        (GArray     *values,  /* of double; sorted in place */
                                     double      p);

/* Parses the options of a subcommand (after the global ones) and exits with a usage message
 * when they are wrong or the number of arguments is not @n_args. */
void        bench_parse             (const char   *usage,
                                     GOptionEntry *entries,
                                     int          *argc,
                                     char       ***argv,
                                     int           n_args);
void        bench_parse_size        (const char *text,
                                     int        *width,
                                     int        *height);

/* Opens a project made by `bench-tiles setup` and returns its scene's id. */
SlProject  *bench_open_project      (const char *path,
                                     gint64     *scene_id);

/* Points @viewport at the scene as a @width × @height pane would: "fit" (the whole scene) or
 * a zoom in percent ("100": one source pixel per screen pixel), centred on the scene. */
void        bench_set_view          (SlViewport  *viewport,
                                     SlTileCache *cache,
                                     gint64       scene_id,
                                     const char  *view,
                                     int          width,
                                     int          height);

/* What a pane of @width × @height (scale 1) asks the cache for, in its order: the visible
 * tiles of the level three above (a quick cover), of the drawn level from the centre out,
 * then of the level above it. *@z is the drawn level; @n_coarse and @n_level count the first
 * two groups (the drawn level's keys are keys[n_coarse … n_coarse + n_level)). */
GArray     *bench_pane_keys         (SlTileCache *cache,
                                     gint64       scene_id,
                                     SlViewport  *viewport,
                                     int          width,
                                     int          height,
                                     int         *z,
                                     guint       *n_coarse,
                                     guint       *n_level);

/* Subcommands. */
int         bench_cmd_setup         (int argc, char **argv);
int         bench_cmd_pyramid       (int argc, char **argv);
int         bench_cmd_writer        (int argc, char **argv);
int         bench_cmd_codec         (int argc, char **argv);
int         bench_cmd_frame         (int argc, char **argv);
int         bench_cmd_pan           (int argc, char **argv);
int         bench_cmd_sweep         (int argc, char **argv);
int         bench_cmd_gdal_view     (int argc, char **argv);
int         bench_cmd_throughput    (int argc, char **argv);
int         bench_cmd_jp2           (int argc, char **argv);

G_END_DECLS
