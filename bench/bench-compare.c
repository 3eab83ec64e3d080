/* bench-compare.c — the comparison view's frame times (issue 4's "Performance")
 *
 * `bench-compare [--renderer gl|cairo] [--frames N] [--switches N] [--only NAME] PROJECT`, under
 * `xvfb-run -s "-screen 0 1920x1200x24"` (bench/run-compare runs it). The project's scenes are
 * warmed into it first (sl_tile_cache_warm), then an SlCompareView of exactly 1920 × 1080
 * logical pixels in a window of its own shows the registered scenes at 100 %, in the middle of
 * the area they share. Each scenario waits until every tile in view is in memory, then a tick
 * callback on the view drives ~300 frames, each recording:
 *   - the frame build: the compare view's snapshot, which includes its panes' snapshots (the
 *     newest of the samples _sl_compare_view_get_snapshot_times returns, read as each frame ends);
 *   - the panes' own snapshots in that frame (0 when GTK reused their render nodes);
 *   - the whole frame: the frame clock's before-paint → after-paint (ticks, layout, snapshot,
 *     rendering), and the interval between frames.
 * Scenarios: the swipe divider moving every frame; blink alternating every frame (B held and
 * released); blend at 0.5 and difference ×4 while panning a few px a frame; a grid of four
 * panes while panning; and in single mode the date switched (the compare.next-date and
 * compare.previous-date actions, between two frames as a key press is) with the dates' tiles
 * in memory: the frames from the switch until a frame shows the new date with every tile of
 * its drawn level, and until its pane is settled. Pans stay within 24 px of the centre, whose
 * tiles were all loaded first, so no frame waits for a tile (a frame that lacked one would be
 * counted as "missing"). Figures print as "name: value unit", then a table with the targets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-compare"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <epoxy/gl.h>

#include "sl-application.h"
#include "sl-compare-view-private.h"
#include "sl-core.h"
#include "sl-scene-view-private.h"

#define VIEW_W 1920
#define VIEW_H 1080
/* Pans circle the centre at this radius (logical px), once every PAN_PERIOD frames: 2.5 px a
 * frame, over tiles loaded beforehand. */
#define PAN_RADIUS 24.0
#define PAN_PERIOD 60
#define SWIPE_PERIOD 150
#define WAIT_TIMEOUT_S 60
/* Longer than 1.5 frames at 60 Hz: a frame the display would have missed. */
#define LATE_INTERVAL_MS 25.0
#define TARGET_TWO_MS 4.0
#define TARGET_FOUR_MS 8.0

typedef struct _Bench Bench;

typedef struct
{
  const char    *name;
  const char    *title;
  SlCompareMode  mode;
  gboolean       pans;
  double         target_ms;
} Scenario;

static const Scenario scenarios[] = {
  { "swipe", "swipe, divider moving", SL_COMPARE_SWIPE, FALSE, TARGET_TWO_MS },
  { "blink", "blink, every frame", SL_COMPARE_BLINK, FALSE, TARGET_TWO_MS },
  { "blend", "blend 0.5, panning", SL_COMPARE_BLEND, TRUE, TARGET_TWO_MS },
  { "difference", "difference x4, panning", SL_COMPARE_DIFFERENCE, TRUE, TARGET_TWO_MS },
  { "grid", "grid of 4, panning", SL_COMPARE_GRID, TRUE, TARGET_FOUR_MS },
};

/* mean, p95, max of a series, in ms */
typedef struct
{
  double mean, p95, max;
} Stats;

typedef struct
{
  const Scenario *scenario;     /* NULL: not run */
  guint           n_panes;
  Stats           build, panes, paint, whole, main_cpu;
  double          fps;
  double          process_cpu;  /* ms a frame, every thread (GL's llvmpipe threads too) */
  double          others;       /* % of the machine's CPU other processes took meanwhile */
  guint           late, missing, no_snapshot;
} Result;

typedef enum
{
  WATCH_NONE,
  WATCH_FRAMES,   /* a scenario's frames */
  WATCH_SWITCH,   /* the frames after a date switch */
} Watch;

struct _Bench
{
  SlApplication  *app;
  SlProject      *project;
  SlTileCache    *cache;
  SlViewport     *viewport;
  GListStore     *scenes;
  GArray         *ids;          /* gint64: the scenes compared, date order */
  GtkWindow      *window;
  SlCompareView  *view;
  GdkFrameClock  *clock;
  double          center_x, center_y;
  double          resolution;   /* 100 % */
  guint           n_frames;
  guint           n_switches;

  /* What the frame clock's handlers do now. */
  Watch           watch;
  guint           painted;      /* after-paints seen */
  guint           target_painted;
  gint64          frame_start;
  gint64          layout_end;
  double          frame_cpu_start;

  /* WATCH_FRAMES */
  const Scenario *scenario;
  guint           tick_id;
  guint           steps;        /* scenario steps applied */
  gboolean        stepped;      /* in the frame being drawn */
  guint           recorded;
  guint           seen_snapshots;
  guint64         seen_pane_frames[SL_COMPARE_MAX_PANES];
  gint64          first_start, last_start;
  GArray         *build, *panes, *paint, *whole, *main_cpu, *intervals;  /* double, ms */
  guint           missing, no_snapshot;

  /* WATCH_SWITCH */
  gint64          switch_time;
  gint64          switch_scene;
  guint64         switch_pane_frame;
  guint           since_switch;
  guint           shown_after, settled_after;  /* frames; 0: not yet */
  double          shown_ms;
};

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "bench-compare: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

static void
report (const char *scenario,
        const char *name,
        double      value,
        const char *unit)
{
  printf ("%s.%s: %.3f %s\n", scenario, name, value, unit);
  fflush (stdout);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static Stats
summarize (GArray *values)
{
  Stats s = { 0, 0, 0 };
  double sum = 0;

  if (values->len == 0)
    return s;
  g_array_sort (values, compare_doubles);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  s.mean = sum / values->len;
  s.p95 = g_array_index (values, double, MIN (values->len - 1, values->len * 95 / 100));
  s.max = g_array_index (values, double, values->len - 1);
  return s;
}

static void
report_stats (const char  *scenario,
              const char  *name,
              const Stats *s)
{
  g_autofree char *mean = g_strconcat (name, ".mean", NULL);
  g_autofree char *p95 = g_strconcat (name, ".p95", NULL);
  g_autofree char *max = g_strconcat (name, ".max", NULL);

  report (scenario, mean, s->mean, "ms");
  report (scenario, p95, s->p95, "ms");
  report (scenario, max, s->max, "ms");
}

/* --- CPU time --- */

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
process_cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* CPU time every process of the machine used so far (/proc/stat), in ms; < 0 if unknown. */
static double
machine_busy_ms (void)
{
  g_autofree char *text = NULL;
  guint64 user, nice, system, idle, iowait, irq, softirq, steal;

  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL) ||
      sscanf (text, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                    " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &user, &nice, &system, &idle, &iowait, &irq, &softirq, &steal) != 8)
    return -1;
  return (double) (user + nice + system + irq + softirq + steal) * 1e3 / sysconf (_SC_CLK_TCK);
}

/* --- waiting --- */

static gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop (blocking, so the wait takes no CPU from the frames) until @done. */
static void
spin_until_within (Bench       *b,
                   gboolean   (*done) (Bench *),
                   const char  *what,
                   int          timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint wake = g_timeout_add (100, on_wake, NULL);

  while (!done (b))
    {
      if (g_get_monotonic_time () > deadline)
        fail ("Timed out after %d s waiting for %s", timeout_s, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static void
spin_until (Bench       *b,
            gboolean   (*done) (Bench *),
            const char  *what)
{
  spin_until_within (b, done, what, WAIT_TIMEOUT_S);
}

static gboolean
view_is_settled (Bench *b)
{
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (b->cache, &stats);
  return gtk_widget_get_width (GTK_WIDGET (b->view)) == VIEW_W && sl_compare_view_is_settled (b->view) &&
         stats.queued == 0 && stats.running == 0;
}

static gboolean
has_painted (Bench *b)
{
  return b->painted >= b->target_painted;
}

static void
wait_frame (Bench *b)
{
  b->target_painted = b->painted + 1;
  gtk_widget_queue_draw (GTK_WIDGET (b->view));
  spin_until (b, has_painted, "a frame");
}

static void
wait_settled (Bench *b)
{
  /* A frame may ask for more once it has drawn: settle, draw, settle, draw. */
  spin_until (b, view_is_settled, "the view's tiles");
  wait_frame (b);
  spin_until (b, view_is_settled, "the view's tiles");
  wait_frame (b);
}

/* --- what the view shows --- */

/* Whether every tile of the level @pane draws is in memory (so the frame shows all of it). */
static gboolean
pane_is_complete (Bench       *b,
                  SlSceneView *pane,
                  guint       *n_tiles)
{
  GtkWidget *widget = GTK_WIDGET (pane);
  int z, x0, y0, x1, y1;
  gboolean complete = TRUE;

  if (n_tiles != NULL)
    *n_tiles = 0;
  if (!_sl_scene_view_get_tile_range (pane, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                                      gtk_widget_get_scale_factor (widget), &z, &x0, &y0, &x1, &y1))
    return FALSE;
  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        SlTileKey key = sl_tile_cache_key (b->cache, sl_scene_view_get_scene_id (pane), z, x, y);

        complete = complete && sl_tile_cache_lookup (b->cache, &key) != NULL;
        if (n_tiles != NULL)
          (*n_tiles)++;
      }
  return complete;
}

/* The panes the mode shows (blink: both, drawn in turn). */
static guint
shown_panes (Bench *b)
{
  return _sl_compare_view_n_panes (b->view);
}

/* --- the frame clock --- */

static void
on_before_paint (GdkFrameClock *clock,
                 Bench         *b)
{
  b->frame_start = g_get_monotonic_time ();
  b->frame_cpu_start = thread_cpu_ms ();
}

static void
on_layout (GdkFrameClock *clock,
           Bench         *b)
{
  b->layout_end = g_get_monotonic_time ();
}

static double
ms (gint64 usec)
{
  return usec / 1000.0;
}

static void
record_frame (Bench  *b,
              gint64  now)
{
  SlCompareView *view = b->view;
  double panes = 0, whole = ms (now - b->frame_start), main_cpu = thread_cpu_ms () - b->frame_cpu_start;
  /* From the end of layout to the end of the frame: the window's snapshot, GSK's rendering
   * and the presentation. */
  double paint = ms (now - MAX (b->layout_end, b->frame_start));
  gboolean missing = FALSE;

  if (view->n_snapshots != b->seen_snapshots)
    {
      double build = ms (view->snapshot_times[(view->n_snapshots - 1) % G_N_ELEMENTS (view->snapshot_times)]);

      g_array_append_val (b->build, build);
      b->seen_snapshots = view->n_snapshots;
    }
  else
    b->no_snapshot++;

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      SlSceneView *pane = sl_compare_view_get_pane (view, i);

      if (pane->frame != b->seen_pane_frames[i])
        {
          panes += ms (pane->snapshot_times.samples[(pane->snapshot_times.n - 1) % SL_SCENE_VIEW_FRAME_SAMPLES]);
          b->seen_pane_frames[i] = pane->frame;
        }
      if (i < shown_panes (b) && sl_compare_view_get_pane_scene (view, i) != 0 && !pane_is_complete (b, pane, NULL))
        missing = TRUE;
    }
  g_array_append_val (b->panes, panes);
  g_array_append_val (b->paint, paint);
  g_array_append_val (b->whole, whole);
  g_array_append_val (b->main_cpu, main_cpu);
  if (b->recorded > 0)
    {
      double interval = ms (b->frame_start - b->last_start);

      g_array_append_val (b->intervals, interval);
    }
  else
    b->first_start = b->frame_start;
  b->last_start = b->frame_start;
  b->missing += missing;
  b->recorded++;
}

static void
check_switch (Bench  *b,
              gint64  now)
{
  SlSceneView *pane = sl_compare_view_get_pane (b->view, 0);
  gboolean drawn = pane->frame != b->switch_pane_frame && sl_scene_view_get_scene_id (pane) == b->switch_scene;

  b->since_switch++;
  if (b->shown_after == 0 && drawn && pane_is_complete (b, pane, NULL))
    {
      b->shown_after = b->since_switch;
      b->shown_ms = ms (now - b->switch_time);
    }
  if (b->settled_after == 0 && drawn && _sl_scene_view_is_settled (pane))
    b->settled_after = b->since_switch;
}

static void
on_after_paint (GdkFrameClock *clock,
                Bench         *b)
{
  gint64 now = g_get_monotonic_time ();

  b->painted++;
  if (b->watch == WATCH_FRAMES && b->stepped)
    record_frame (b, now);
  else if (b->watch == WATCH_SWITCH)
    check_switch (b, now);
  b->stepped = FALSE;
}

/* --- the scenarios --- */

static void
pan_to (Bench  *b,
        double  dx,
        double  dy)
{
  sl_viewport_set_center (b->viewport, b->center_x + dx * b->resolution, b->center_y - dy * b->resolution);
}

static void
step (Bench *b,
      guint  i)
{
  switch (b->scenario->mode)
    {
    case SL_COMPARE_SWIPE:
      {
        /* Back and forth between 10 % and 90 % of the width. */
        double phase = fmod ((double) i / SWIPE_PERIOD, 2.0);

        sl_compare_view_set_swipe (b->view, 0.1 + 0.8 * (phase < 1 ? phase : 2 - phase));
      }
      break;

    case SL_COMPARE_BLINK:
      sl_compare_view_hold_b (b->view, i % 2 == 0);
      break;

    case SL_COMPARE_BLEND:
    case SL_COMPARE_DIFFERENCE:
    case SL_COMPARE_GRID:
    case SL_COMPARE_SINGLE:
    case SL_COMPARE_N_MODES:
    default:
      {
        double angle = 2 * G_PI * (i + 1) / PAN_PERIOD;

        pan_to (b, PAN_RADIUS * (cos (angle) - 1), PAN_RADIUS * sin (angle));
      }
      break;
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *b = data;

  if (b->recorded >= b->n_frames)
    {
      b->tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  step (b, b->steps++);
  b->stepped = TRUE;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_done (Bench *b)
{
  return b->recorded >= b->n_frames && b->tick_id == 0;
}

/* Compares the latest date with the one before it (the grid: the dates up to the latest). */
static void
show_state (Bench         *b,
            SlCompareMode  mode,
            gint64         current)
{
  SlCompareState state;

  sl_compare_state_init (&state);
  state.mode = mode;
  state.current = current;
  state.swipe = 0.5;
  state.opacity = 0.5;
  state.gain = 4;
  state.grid_count = SL_COMPARE_MAX_PANES;
  /* The timer stays out of the way: the benchmark alternates the dates itself. */
  state.blink_hz = 0.05;
  state.has_view = TRUE;
  state.center_x = b->center_x;
  state.center_y = b->center_y;
  state.resolution = b->resolution;
  sl_compare_view_set_state (b->view, &state);
  sl_compare_view_hold_b (b->view, FALSE);
  wait_settled (b);
}

static void
run_scenario (Bench          *b,
              const Scenario *scenario,
              Result         *result)
{
  gint64 latest = g_array_index (b->ids, gint64, b->ids->len - 1);
  gint64 start;
  double cpu_start, busy_start, cpu, busy, wall;

  show_state (b, scenario->mode, latest);
  if (scenario->pans)
    {
      /* Load every tile the circle passes over: its bounding box's corners. */
      for (guint c = 0; c < 4; c++)
        {
          pan_to (b, (c % 2 ? 0 : -2 * PAN_RADIUS), (c / 2 ? -PAN_RADIUS : PAN_RADIUS));
          wait_settled (b);
        }
      pan_to (b, 0, 0);
      wait_settled (b);
    }

  b->scenario = scenario;
  b->steps = b->recorded = b->missing = b->no_snapshot = 0;
  b->build = g_array_new (FALSE, FALSE, sizeof (double));
  b->panes = g_array_new (FALSE, FALSE, sizeof (double));
  b->paint = g_array_new (FALSE, FALSE, sizeof (double));
  b->whole = g_array_new (FALSE, FALSE, sizeof (double));
  b->main_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  b->intervals = g_array_new (FALSE, FALSE, sizeof (double));
  b->seen_snapshots = b->view->n_snapshots;
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    b->seen_pane_frames[i] = sl_compare_view_get_pane (b->view, i)->frame;
  start = g_get_monotonic_time ();
  cpu_start = process_cpu_ms ();
  busy_start = machine_busy_ms ();
  b->watch = WATCH_FRAMES;
  b->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (b->view), on_tick, b, NULL);
  /* Software rendering on a busy machine can take most of a second a frame. */
  spin_until_within (b, frames_done, "the scenario's frames", WAIT_TIMEOUT_S + (int) b->n_frames);
  b->watch = WATCH_NONE;
  cpu = process_cpu_ms () - cpu_start;
  busy = machine_busy_ms () - busy_start;
  wall = ms (g_get_monotonic_time () - start);
  sl_compare_view_hold_b (b->view, FALSE);

  result->scenario = scenario;
  result->n_panes = shown_panes (b);
  result->build = summarize (b->build);
  result->panes = summarize (b->panes);
  result->paint = summarize (b->paint);
  result->whole = summarize (b->whole);
  result->main_cpu = summarize (b->main_cpu);
  result->process_cpu = cpu / b->recorded;
  result->others = busy_start >= 0 ? MAX (0, 100 * (busy - cpu) / (wall * sysconf (_SC_NPROCESSORS_ONLN))) : -1;
  result->fps = b->recorded > 1 ? (b->recorded - 1) / ((b->last_start - b->first_start) / (double) G_USEC_PER_SEC) : 0;
  result->late = 0;
  for (guint i = 0; i < b->intervals->len; i++)
    result->late += g_array_index (b->intervals, double, i) > LATE_INTERVAL_MS;
  result->missing = b->missing;
  result->no_snapshot = b->no_snapshot;

  report_stats (scenario->name, "build", &result->build);
  report_stats (scenario->name, "panes", &result->panes);
  report_stats (scenario->name, "paint", &result->paint);
  report_stats (scenario->name, "frame", &result->whole);
  report_stats (scenario->name, "cpu.main", &result->main_cpu);
  report (scenario->name, "cpu.process.mean", result->process_cpu, "ms");
  report (scenario->name, "others", result->others, "%");
  report (scenario->name, "fps", result->fps, "frames/s");
  report (scenario->name, "late", result->late, "frames");
  report (scenario->name, "missing", result->missing, "frames");
  report (scenario->name, "unbuilt", result->no_snapshot, "frames");

  g_clear_pointer (&b->build, g_array_unref);
  g_clear_pointer (&b->panes, g_array_unref);
  g_clear_pointer (&b->paint, g_array_unref);
  g_clear_pointer (&b->whole, g_array_unref);
  g_clear_pointer (&b->main_cpu, g_array_unref);
  g_clear_pointer (&b->intervals, g_array_unref);
}

static gboolean
switch_done (Bench *b)
{
  return b->shown_after > 0 && b->settled_after > 0;
}

typedef struct
{
  gboolean ran;
  guint  worst_shown, worst_settled;
  Stats  shown_ms;
  double shown_frames_mean;
} SwitchResult;

/* Single mode: the next or previous date, its tiles already in memory. */
static void
run_switches (Bench        *b,
              SwitchResult *result)
{
  g_autoptr(GArray) shown_ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 first = g_array_index (b->ids, gint64, 0);
  guint index = 0, shown_sum = 0;
  gboolean forward = TRUE;

  /* Every date once, so all their tiles are in memory. */
  for (guint i = b->ids->len; i-- > 0;)
    show_state (b, SL_COMPARE_SINGLE, g_array_index (b->ids, gint64, i));
  if (sl_compare_view_get_current (b->view) != first)
    fail ("Single mode does not show the first date");

  result->ran = TRUE;
  result->worst_shown = result->worst_settled = 0;
  for (guint k = 0; k < b->n_switches; k++)
    {
      SlSceneView *pane = sl_compare_view_get_pane (b->view, 0);

      wait_settled (b);
      /* Right after a frame, as a key press arrives between two frames. */
      wait_frame (b);

      if ((forward && index + 1 >= b->ids->len) || (!forward && index == 0))
        forward = !forward;
      index = forward ? index + 1 : index - 1;
      b->shown_after = b->settled_after = b->since_switch = 0;
      b->switch_pane_frame = pane->frame;
      b->switch_time = g_get_monotonic_time ();
      b->watch = WATCH_SWITCH;
      gtk_widget_activate_action (GTK_WIDGET (b->view), forward ? "compare.next-date" : "compare.previous-date", NULL);
      b->switch_scene = sl_compare_view_get_pane_scene (b->view, 0);
      if (b->switch_scene != g_array_index (b->ids, gint64, index))
        fail ("The date switch showed scene %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
              b->switch_scene, g_array_index (b->ids, gint64, index));
      spin_until (b, switch_done, "the new date's frame");
      b->watch = WATCH_NONE;

      g_array_append_val (shown_ms, b->shown_ms);
      shown_sum += b->shown_after;
      result->worst_shown = MAX (result->worst_shown, b->shown_after);
      result->worst_settled = MAX (result->worst_settled, b->settled_after);
    }
  result->shown_frames_mean = (double) shown_sum / b->n_switches;
  result->shown_ms = summarize (shown_ms);

  report ("switch", "shown.frames.mean", result->shown_frames_mean, "frames");
  report ("switch", "shown.frames.max", result->worst_shown, "frames");
  report_stats ("switch", "shown", &result->shown_ms);
  report ("switch", "settled.frames.max", result->worst_settled, "frames");
}

/* --- setting up --- */

static void
open_project (Bench      *b,
              const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  gint64 start;
  SlBounds common = { -G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };

  b->project = sl_project_open (path, &error);
  if (b->project == NULL)
    fail ("%s", error->message);
  b->cache = sl_tile_cache_new (b->project, 0, 0, &error);
  if (b->cache == NULL)
    fail ("%s", error->message);
  start = g_get_monotonic_time ();
  if (!sl_tile_cache_warm (b->cache, 0, NULL, NULL, NULL, &error))
    fail ("Cannot warm the tiles of ‘%s’: %s", path, error->message);
  report ("setup", "warm", ms (g_get_monotonic_time () - start), "ms");

  scenes = sl_project_list_scenes (b->project, &error);
  if (scenes == NULL)
    fail ("%s", error->message);
  b->scenes = g_list_store_new (SL_TYPE_SCENE);
  b->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = scenes->pdata[i];
      gint64 id = sl_scene_get_id (scene);
      SlBounds fp;

      /* Scenes placed by their pixel grid only (a press photo) are not on the site. */
      if (!sl_scene_get_visible (scene) || !sl_scene_is_registered (scene) ||
          !sl_tile_cache_get_footprint (b->cache, id, &fp))
        continue;
      g_list_store_append (b->scenes, scene);
      g_array_append_val (b->ids, id);
      common.min_x = MAX (common.min_x, fp.min_x);
      common.min_y = MAX (common.min_y, fp.min_y);
      common.max_x = MIN (common.max_x, fp.max_x);
      common.max_y = MIN (common.max_y, fp.max_y);
    }
  if (b->ids->len < 2)
    fail ("‘%s’ has %u registered scene(s): the comparison needs two or more", path, b->ids->len);
  if (common.min_x >= common.max_x || common.min_y >= common.max_y)
    fail ("The scenes of ‘%s’ share no ground", path);

  grid = sl_project_dup_site_grid (b->project);
  b->viewport = sl_viewport_new ();
  sl_viewport_set_grid (b->viewport, grid);
  sl_viewport_set_zoom (b->viewport, 1.0);
  b->resolution = sl_viewport_get_resolution (b->viewport);
  b->center_x = (common.min_x + common.max_x) / 2;
  b->center_y = (common.min_y + common.max_y) / 2;
  report ("setup", "scenes", b->ids->len, "scenes");
}

static void
show_window (Bench *b)
{
  b->view = SL_COMPARE_VIEW (sl_compare_view_new ());
  sl_compare_view_set_viewport (b->view, b->viewport);
  sl_compare_view_set_cache (b->view, b->cache);
  sl_compare_view_set_scenes (b->view, G_LIST_MODEL (b->scenes));

  b->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_application (b->window, GTK_APPLICATION (b->app));
  gtk_window_set_decorated (b->window, FALSE);
  gtk_window_set_resizable (b->window, FALSE);
  gtk_widget_set_size_request (GTK_WIDGET (b->view), VIEW_W, VIEW_H);
  gtk_window_set_child (b->window, GTK_WIDGET (b->view));
  gtk_window_present (b->window);

  b->clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (b->window)));
  g_signal_connect (b->clock, "before-paint", G_CALLBACK (on_before_paint), b);
  g_signal_connect_after (b->clock, "layout", G_CALLBACK (on_layout), b);
  g_signal_connect_after (b->clock, "after-paint", G_CALLBACK (on_after_paint), b);
}

/* The OpenGL implementation GSK's GL renderer runs on (under Xvfb: Mesa's llvmpipe, on the CPU). */
static char *
describe_gl (GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *description;

  context = gdk_surface_create_gl_context (surface, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    return g_strdup_printf ("no OpenGL: %s", error->message);
  gdk_gl_context_make_current (context);
  description = g_strdup_printf ("%s, %s", (const char *) glGetString (GL_RENDERER),
                                 (const char *) glGetString (GL_VERSION));
  gdk_gl_context_clear_current ();
  return description;
}

static void
bench_clear (Bench *b)
{
  if (b->clock != NULL)
    g_signal_handlers_disconnect_by_data (b->clock, b);
  g_clear_object (&b->clock);
  if (b->window != NULL)
    gtk_window_destroy (b->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&b->scenes);
  g_clear_pointer (&b->ids, g_array_unref);
  g_clear_object (&b->cache);
  g_clear_object (&b->viewport);
  if (b->project != NULL)
    sl_project_close (b->project);
  g_clear_object (&b->project);
  g_clear_object (&b->app);
}

/* --- the table --- */

/* One scenario's line; FALSE when it missed its target. */
static gboolean
print_row (const Result *r)
{
  gboolean ok = r->build.p95 < r->scenario->target_ms && r->missing == 0 && r->no_snapshot == 0;
  g_autofree char *build = g_strdup_printf ("%.2f / %.2f / %.2f", r->build.mean, r->build.p95, r->build.max);
  g_autofree char *paint = g_strdup_printf ("%.1f / %.1f", r->paint.mean, r->paint.p95);
  g_autofree char *whole = g_strdup_printf ("%.1f / %.1f / %.1f", r->whole.mean, r->whole.p95, r->whole.max);
  g_autofree char *cpu = g_strdup_printf ("%.1f / %.1f", r->main_cpu.mean, r->process_cpu);
  g_autofree char *others = g_strdup_printf ("%.0f %%", r->others);
  g_autofree char *target = g_strdup_printf ("p95 < %.0f ms", r->scenario->target_ms);

  printf ("%-24s %5u  %-22s %6.2f  %-15s %-25s %-13s %5.1f %7u %6s  %-13s %s\n", r->scenario->title, r->n_panes,
          build, r->panes.mean, paint, whole, cpu, r->fps, r->missing, others, target, ok ? "ok" : "MISSED");
  return ok;
}

static void
print_table (Bench              *b,
             const char         *renderer,
             guint               n_tiles,
             const Result       *results,
             const SwitchResult *sw)
{
  guint missed = 0;

  printf ("\nComparison view, %d x %d at 100 %% (%u tiles a pane), %s, %u frames a scenario\n",
          VIEW_W, VIEW_H, n_tiles, renderer, b->n_frames);
  printf ("%-24s %5s  %-22s %6s  %-15s %-25s %-13s %5s %7s %6s  %-13s %s\n", "scenario", "panes",
          "build mean/p95/max ms", "panes", "paint mean/p95", "whole frame mean/p95/max", "CPU main/all", "fps",
          "missing", "others", "target", "");
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (results[i].scenario != NULL)
      missed += !print_row (&results[i]);
  if (sw->ran)
    {
      g_autofree char *shown = g_strdup_printf ("new date shown after %u frame(s) (mean %.2f); %.1f / %.1f / %.1f ms;"
                                                " pane settled after %u",
                                                sw->worst_shown, sw->shown_frames_mean, sw->shown_ms.mean,
                                                sw->shown_ms.p95, sw->shown_ms.max, sw->worst_settled);

      missed += sw->worst_shown != 1;
      printf ("%-24s %5u  %-124s  %-13s %s\n", "date switch, single", 1u, shown, "1 frame",
              sw->worst_shown == 1 ? "ok" : "MISSED");
    }
  printf ("\n%u target(s) missed\n", missed);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *renderer_option = NULL;
  g_autofree char *only = NULL;
  int frames = 300, switches = 30;
  g_autoptr(GOptionContext) context = g_option_context_new ("PROJECT — the comparison view's frame times");
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "renderer", 'r', 0, G_OPTION_ARG_STRING, &renderer_option, "GSK renderer: gl (default) or cairo", "NAME" },
    { "frames", 'n', 0, G_OPTION_ARG_INT, &frames, "Frames a scenario (default 300)", "N" },
    { "switches", 's', 0, G_OPTION_ARG_INT, &switches, "Date switches in single mode (default 30)", "N" },
    { "only", 'o', 0, G_OPTION_ARG_STRING, &only, "Only this scenario: swipe, blink, blend, difference, grid or switch", "NAME" },
    { NULL }
  };
  Bench b = { 0 };
  Result results[G_N_ELEMENTS (scenarios)] = { { 0 } };
  SwitchResult sw = { 0 };
  const char *renderer;
  g_autofree char *renderer_description = NULL;
  guint n_tiles = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    fail ("%s", error->message);
  if (renderer_option == NULL)
    renderer_option = g_strdup ("gl");
  if (argc != 2 || frames < 10 || switches < 1 ||
      (g_strcmp0 (renderer_option, "gl") != 0 && g_strcmp0 (renderer_option, "cairo") != 0))
    fail ("usage: bench-compare [--renderer gl|cairo] [--frames N≥10] [--switches N≥1] [--only NAME] PROJECT");
  if (only != NULL && !g_str_equal (only, "switch"))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
        known = known || g_str_equal (only, scenarios[i].name);
      if (!known)
        fail ("--only takes swipe, blink, blend, difference, grid or switch, not ‘%s’", only);
    }
  b.n_frames = (guint) frames;
  b.n_switches = (guint) switches;

  g_setenv ("GSK_RENDERER", renderer_option, TRUE);
  gtk_init ();
  adw_init ();
  sl_core_init ();
  b.app = sl_application_new ();
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (b.app), NULL, &error))
    fail ("%s", error->message);

  open_project (&b, argv[1]);
  show_window (&b);
  show_state (&b, SL_COMPARE_SINGLE, g_array_index (b.ids, gint64, b.ids->len - 1));
  renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (b.window)));
  if (!GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (b.window))))
    {
      g_autofree char *gl = describe_gl (GTK_WIDGET (b.window));

      renderer_description = g_strdup_printf ("%s on %s", renderer, gl);
    }
  else
    renderer_description = g_strdup (renderer);
  pane_is_complete (&b, sl_compare_view_get_pane (b.view, 0), &n_tiles);
  printf ("setup.renderer: %s\n", renderer_description);
  report ("setup", "scale", gtk_widget_get_scale_factor (GTK_WIDGET (b.view)), "x");
  report ("setup", "tiles", n_tiles, "tiles/pane");

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (only == NULL || g_str_equal (only, scenarios[i].name))
      run_scenario (&b, &scenarios[i], &results[i]);
  if (only == NULL || g_str_equal (only, "switch"))
    run_switches (&b, &sw);
  print_table (&b, renderer_description, n_tiles, results, &sw);

  bench_clear (&b);
  return 0;
}
