/* bench-tiles.c — benchmarks of the tile pipeline: entry point, figures, shared helpers
 *
 * `bench-tiles [--label NAME] COMMAND ARGS…`, one measurement per process; bench/run starts
 * them side by side with the peers (gdaladdo, vips, bare GDAL) and prints the table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-tiles"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bench-tiles.h"
#include "sl-core.h"

typedef struct
{
  const char *name;
  BenchFunc   func;
  const char *summary;
} BenchCommand;

static const BenchCommand commands[] = {
  { "setup", bench_cmd_setup, "SOURCE PROJECT: a new project holding SOURCE as its one scene" },
  { "pyramid", bench_cmd_pyramid, "PROJECT: build the display pyramid (--mode full|overviews)" },
  { "writer", bench_cmd_writer, "PROJECT: the tile store's writer alone, fed real JPEG tiles" },
  { "codec", bench_cmd_codec, "PROJECT: encode/decode cost of real tiles, opaque and cut by the edge" },
  { "frame", bench_cmd_frame, "PROJECT: the first frame of a new cache, as a pane asks for it" },
  { "pan", bench_cmd_pan, "PROJECT: pan at a steady speed, main-thread cost and tile latency" },
  { "sweep", bench_cmd_sweep, "PROJECT: pan over the whole scene, tile by tile, for peak memory" },
  { "gdal-view", bench_cmd_gdal_view, "SOURCE: the same view read directly with GDAL RasterIO" },
  { "throughput", bench_cmd_throughput, "PROJECT: tiles from the source on one thread vs bare RasterIO" },
  { "jp2", bench_cmd_jp2, "PROJECT: a JPEG 2000 scene transcoded in the background, view first" },
};

static char *label;
static JsonBuilder *summary;

/* --- figures --- */

void
bench_report (const char *name, double value, const char *unit)
{
  g_autofree char *full = label ? g_strdup_printf ("%s.%s", label, name) : g_strdup (name);

  printf ("%s: %.6g %s\n", full, value, unit);
  fflush (stdout);
  json_builder_set_member_name (summary, full);
  json_builder_begin_object (summary);
  json_builder_set_member_name (summary, "value");
  json_builder_add_double_value (summary, isfinite (value) ? value : -1);
  json_builder_set_member_name (summary, "unit");
  json_builder_add_string_value (summary, unit);
  json_builder_end_object (summary);
}

void
bench_fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-tiles: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

/* --- measuring --- */

double
bench_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

double
bench_peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

double
bench_process_cpu (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0;
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

double
bench_thread_cpu (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return da < db ? -1 : da > db;
}

double
bench_percentile (GArray *values, double p)
{
  double rank;
  guint i;

  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_doubles);
  rank = p / 100.0 * (values->len - 1);
  i = (guint) floor (rank);
  if (i + 1 >= values->len)
    return g_array_index (values, double, values->len - 1);
  return g_array_index (values, double, i) +
         (rank - i) * (g_array_index (values, double, i + 1) - g_array_index (values, double, i));
}

/* --- arguments --- */

void
bench_parse (const char *usage, GOptionEntry *entries, int *argc, char ***argv, int n_args)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    bench_fail ("%s", error->message);
  if (*argc != n_args + 1)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fprintf (stderr, "%s", help);
      exit (2);
    }
}

void
bench_parse_size (const char *text, int *width, int *height)
{
  if (text == NULL || sscanf (text, "%dx%d", width, height) != 2 || *width < 16 || *height < 16)
    bench_fail ("--size takes WIDTHxHEIGHT, not ‘%s’", text ? text : "");
}

/* --- projects and views --- */

SlProject *
bench_open_project (const char *path, gint64 *scene_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_open (path, &error);
  g_autoptr(GPtrArray) scenes = NULL;

  if (project == NULL)
    bench_fail ("%s", error->message);
  scenes = sl_project_list_scenes (project, &error);
  if (scenes == NULL)
    bench_fail ("%s", error->message);
  if (scenes->len == 0)
    bench_fail ("‘%s’ has no scene: make it with `bench-tiles setup`", path);
  *scene_id = sl_scene_get_id (scenes->pdata[0]);
  return g_steal_pointer (&project);
}

void
bench_set_view (SlViewport  *viewport,
                SlTileCache *cache,
                gint64       scene_id,
                const char  *view,
                int          width,
                int          height)
{
  SlBounds footprint;

  if (!sl_tile_cache_get_footprint (cache, scene_id, &footprint))
    bench_fail ("scene %" G_GINT64_FORMAT " cannot be placed on the site grid", scene_id);
  sl_viewport_set_grid (viewport, sl_tile_cache_get_grid (cache));
  if (g_strcmp0 (view, "fit") == 0)
    sl_viewport_fit (viewport, &footprint, width, height, 0);
  else
    {
      char *end;
      double percent = g_ascii_strtod (view, &end);

      if (end == view || *end != '\0' || !(percent > 0))
        bench_fail ("--view takes ‘fit’ or a zoom in percent, not ‘%s’", view);
      sl_viewport_set_zoom (viewport, percent / 100.0);
      sl_viewport_set_center (viewport, (footprint.min_x + footprint.max_x) / 2,
                              (footprint.min_y + footprint.max_y) / 2);
    }
}

typedef struct
{
  int    x, y;
  double d2;
} Candidate;

static int
compare_candidates (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  return ca->d2 < cb->d2 ? -1 : ca->d2 > cb->d2;
}

/* The visible tiles of level @z, nearest to the view's centre first (as the pane orders them). */
static guint
append_level (GArray *keys, SlTileCache *cache, gint64 scene_id, SlViewport *viewport,
              const SlBounds *visible, int z)
{
  SlSiteGrid *grid = sl_viewport_get_grid (viewport);
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  SlTileKey proto = sl_tile_cache_key (cache, scene_id, z, 0, 0);
  double cx, cy;
  int x0, y0, x1, y1;

  sl_site_grid_tile_range (grid, z, visible, &x0, &y0, &x1, &y1);
  sl_site_grid_site_to_pixel (grid, z, sl_viewport_get_center_x (viewport),
                              sl_viewport_get_center_y (viewport), &cx, &cy);
  cx /= SL_TILE_SIZE;
  cy /= SL_TILE_SIZE;
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        Candidate c = { x, y, (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) };
        g_array_append_val (candidates, c);
      }
  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      SlTileKey key = proto;

      key.x = g_array_index (candidates, Candidate, i).x;
      key.y = g_array_index (candidates, Candidate, i).y;
      g_array_append_val (keys, key);
    }
  return candidates->len;
}

GArray *
bench_pane_keys (SlTileCache *cache,
                 gint64       scene_id,
                 SlViewport  *viewport,
                 int          width,
                 int          height,
                 int         *z,
                 guint       *n_coarse,
                 guint       *n_level)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (SlTileKey));
  SlBounds visible, footprint;
  int coarse;

  *z = 0;
  *n_coarse = *n_level = 0;
  sl_viewport_get_visible_bounds (viewport, width, height, &visible);
  if (!sl_tile_cache_get_footprint (cache, scene_id, &footprint))
    return keys;
  visible.min_x = MAX (visible.min_x, footprint.min_x);
  visible.max_x = MIN (visible.max_x, footprint.max_x);
  visible.min_y = MAX (visible.min_y, footprint.min_y);
  visible.max_y = MIN (visible.max_y, footprint.max_y);
  if (visible.min_x >= visible.max_x || visible.min_y >= visible.max_y)
    return keys;

  /* The pane's choice (sl-scene-view.c): never finer than the scene, 3 coarse levels up. */
  *z = MIN (sl_viewport_get_level (viewport, 1), sl_tile_cache_get_native_zoom (cache, scene_id));
  coarse = MAX (0, *z - 3);
  if (coarse < *z)
    *n_coarse = append_level (keys, cache, scene_id, viewport, &visible, coarse);
  *n_level = append_level (keys, cache, scene_id, viewport, &visible, *z);
  if (*z - 1 > coarse)
    append_level (keys, cache, scene_id, viewport, &visible, *z - 1);
  return keys;
}

/* --- setup --- */

int
bench_cmd_setup (int argc, char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlScene) stored = NULL;
  const char *const suffixes[] = { "", "-wal", "-shm" };
  double t0;

  bench_parse ("SOURCE PROJECT", entries, &argc, &argv, 2);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (argv[2], suffixes[i], NULL);

      if (g_remove (path) != 0 && errno != ENOENT)
        bench_fail ("Cannot remove ‘%s’: %s", path, g_strerror (errno));
    }

  t0 = bench_now ();
  project = sl_project_create (argv[2], "bench", &error);
  if (project == NULL || (scene = sl_scene_probe (argv[1], &error)) == NULL)
    bench_fail ("%s", error->message);
  if (sl_scene_get_acquired (scene) == NULL)
    {
      g_autoptr(GDateTime) date = g_date_time_new_utc (2022, 3, 1, 9, 0, 0);

      sl_scene_set_acquired (scene, date);
    }
  stored = sl_project_add_scene (project, scene, &error);
  if (stored == NULL)
    bench_fail ("%s", error->message);
  sl_project_close (project);
  bench_report ("setup_time", bench_now () - t0, "s");
  return 0;
}

/* --- main --- */

static void
usage (void)
{
  fprintf (stderr, "Usage: bench-tiles [--label NAME] COMMAND [OPTION…] ARGS\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stderr, "  %-11s %s\n", commands[i].name, commands[i].summary);
  fprintf (stderr, "\nRun 'bench-tiles COMMAND --help' for its options.\n");
}

int
main (int argc, char **argv)
{
  const BenchCommand *command = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  int first = 1, status;

  if (argc >= 3 && strcmp (argv[1], "--label") == 0)
    {
      label = g_strdup (argv[2]);
      first = 3;
    }
  if (first >= argc)
    {
      usage ();
      return 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[first], commands[i].name) == 0)
      command = &commands[i];
  if (command == NULL)
    {
      usage ();
      return 2;
    }

  sl_core_init ();
  summary = json_builder_new ();
  json_builder_begin_object (summary);
  json_builder_set_member_name (summary, "command");
  json_builder_add_string_value (summary, command->name);
  json_builder_set_member_name (summary, "label");
  json_builder_add_string_value (summary, label ? label : command->name);
  json_builder_set_member_name (summary, "figures");
  json_builder_begin_object (summary);

  status = command->func (argc - first, argv + first);

  json_builder_end_object (summary);
  json_builder_end_object (summary);
  root = json_builder_get_root (summary);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  printf ("%s\n", json);
  g_clear_object (&summary);
  g_free (label);
  return status;
}
