/* bench-export.c — publication exports (issue 6's "Performance")
 *
 * `bench-export [--size N] [--work DIR] [--runs N]`: generates the demo site at N × N pixels
 * (default 4096) in DIR (default bench/work/export), stores both dates' display tiles in its
 * project (sl_tile_cache_warm: "from cached tiles"), then times, each the median of --runs:
 *   - a swipe of the first and last dates at N × N with dates, title, caption, credit, scale
 *     bar and north arrow (the imagery at 100 %), written as JPEG, PNG and PDF; the first
 *     JPEG is timed apart (tiles read from the project file, then from memory);
 *   - a preview at 800 × 600 of the same composition: a new SlComposer and its render into an
 *     image surface, as the export dialog does on each change.
 * Figures print as "name: value unit", then a table with the targets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-export"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>

#include "sl-composer.h"
#include "sl-core.h"
#include "sl-demo.h"
#include "sl-project.h"
#include "sl-tile-cache.h"

static int size = 4096;
static int runs = 5;
static char *work = NULL;

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  qsort (times->data, times->len, sizeof (double), compare_doubles);
  return g_array_index (times, double, times->len / 2);
}

/* CPU time of the whole process (every thread), ms: the machine is shared, wall time alone
 * says as much about the neighbours as about us. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static SlProject *
make_project (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "export.sitelapse", NULL);
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(SlProject) project = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return sl_project_open (path, error);
  scenes = sl_demo_generate (dir, size, error);
  if (scenes == NULL)
    return NULL;
  project = sl_project_create (path, "Export benchmark", error);
  if (project == NULL)
    return NULL;
  for (guint i = 0; i < scenes->len; i++)
    {
      SlDemoScene *demo = scenes->pdata[i];
      g_autoptr(SlScene) probe = NULL;
      g_autoptr(SlScene) stored = NULL;

      if (!demo->georeferenced)
        continue;
      probe = sl_scene_probe (demo->path, error);
      if (probe == NULL)
        return NULL;
      sl_scene_set_acquired (probe, demo->acquired);
      sl_scene_set_label (probe, demo->label);
      sl_scene_set_credit (probe, demo->credit);
      stored = sl_project_add_scene (project, probe, error);
      if (stored == NULL)
        return NULL;
    }
  return g_steal_pointer (&project);
}

static double
time_export (SlComposer *composer, const char *path, SlExportFormat format)
{
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  if (!sl_composer_export (composer, path, format, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      exit (1);
    }
  return (g_get_monotonic_time () - t0) / 1e3;
}

int
main (int argc, char **argv)
{
  const GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Demo size and export size (default 4096)", "N" },
    { "work", 0, 0, G_OPTION_ARG_FILENAME, &work, "Working folder (default bench/work/export)", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure (median; default 5)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— time publication exports");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlComposition) c = NULL;
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  const char *names[] = { "jpeg", "png", "pdf" };
  const SlExportFormat formats[] = { SL_EXPORT_JPEG, SL_EXPORT_PNG, SL_EXPORT_PDF };
  const double targets[] = { 300, 1500, 3000 };
  double first_jpeg, results[3], cpus[3], preview, bytes[3];
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 2;
    }
  sl_core_init ();
  if (work == NULL)
    work = g_build_filename ("bench", "work", "export", NULL);
  g_mkdir_with_parents (work, 0755);

  t0 = g_get_monotonic_time ();
  project = make_project (work, &error);
  if (project == NULL)
    goto fail;
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    goto fail;
  scenes = sl_project_list_scenes (project, &error);
  if (scenes == NULL || scenes->len < 2)
    goto fail;
  for (guint i = 0; i < scenes->len; i++)
    if (!sl_tile_cache_warm (cache, sl_scene_get_id (scenes->pdata[i]), NULL, NULL, NULL, &error))
      goto fail;
  printf ("setup (demo, project, stored tiles): %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);

  c = sl_composition_new ();
  c->layout = SL_LAYOUT_SWIPE;
  sl_composition_set_scenes (c, (const gint64[]) { sl_scene_get_id (scenes->pdata[0]),
                                                   sl_scene_get_id (scenes->pdata[scenes->len - 1]) }, 2);
  c->width = c->height = size;
  sl_composition_set_string (c, &c->title, "Armour gathers at the training ground");
  sl_composition_set_string (c, &c->caption, "Vehicles arrived between January and February.");
  composer = sl_composer_new (project, cache, c, &error);
  if (composer == NULL)
    goto fail;

  {
    g_autofree char *path = g_build_filename (work, "export.jpg", NULL);

    /* A new cache: the tiles come from the project file, as after opening it. */
    g_clear_object (&composer);
    g_clear_object (&cache);
    cache = sl_tile_cache_new (project, 0, 0, &error);
    composer = cache ? sl_composer_new (project, cache, c, &error) : NULL;
    if (composer == NULL)
      goto fail;
    first_jpeg = time_export (composer, path, SL_EXPORT_JPEG);
    printf ("export %d² jpeg, tiles from the project file: %.0f ms\n", size, first_jpeg);
  }

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *name = g_strdup_printf ("export.%s", names[f]);
      g_autofree char *path = g_build_filename (work, name, NULL);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      GStatBuf st;

      for (int r = 0; r < runs; r++)
        {
          double c0 = cpu_ms (), t = time_export (composer, path, formats[f]), c1 = cpu_ms () - c0;

          g_array_append_val (times, t);
          g_array_append_val (cpu, c1);
        }
      results[f] = median (times);
      cpus[f] = median (cpu);
      bytes[f] = g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0;
      printf ("export %d² %s, tiles in memory: %.0f ms, CPU %.0f ms (medians of %d), %.1f MB\n", size, names[f],
              results[f], cpus[f], runs, bytes[f]);
    }

  {
    /* The drawing alone (tiles from memory, painted, labels), without encoding or writing. */
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);

    for (int r = 0; r < runs; r++)
      {
        cairo_t *cr = cairo_create (surface);
        double t;

        t0 = g_get_monotonic_time ();
        if (!sl_composer_render (composer, cr, size, size, NULL, &error))
          goto fail;
        cairo_surface_flush (surface);
        t = (g_get_monotonic_time () - t0) / 1e3;
        g_array_append_val (times, t);
        cairo_destroy (cr);
      }
    cairo_surface_destroy (surface);
    printf ("render %d² into an image, no encoding: %.0f ms (median of %d)\n", size, median (times), runs);
  }

  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

    for (int r = 0; r < runs * 4; r++)
      {
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 600);
        cairo_t *cr = cairo_create (surface);
        g_autoptr(SlComposer) preview_composer = NULL;
        double t;

        /* A change in the dialog: a new plan, then its render at the preview's size. */
        c->divider = 0.3 + 0.02 * r;
        t0 = g_get_monotonic_time ();
        preview_composer = sl_composer_new (project, cache, c, &error);
        if (preview_composer == NULL || !sl_composer_render (preview_composer, cr, 800, 600, NULL, &error))
          goto fail;
        t = (g_get_monotonic_time () - t0) / 1e3;
        g_array_append_val (times, t);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
    preview = median (times);
    printf ("preview 800×600 (new plan + render): %.1f ms (median of %d)\n", preview, runs * 4);
  }

  printf ("\n%-44s %10s %10s %10s %s\n", "measurement", "wall", "CPU", "target", "");
  printf ("%-44s %8.0f ms %10s %8.0f ms %s\n", "JPEG, first: tiles from the project file", first_jpeg, "", targets[0],
          first_jpeg < targets[0] ? "met" : "missed");
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *what = g_strdup_printf ("%d² swipe + labels, %s", size, names[f]);

      printf ("%-44s %8.0f ms %7.0f ms %8.0f ms %s\n", what, results[f], cpus[f], targets[f],
              results[f] < targets[f] ? "met" : "missed");
    }
  printf ("%-44s %8.1f ms %10s %8.0f ms %s\n", "preview 800×600 (new plan + render)", preview, "", 100.0,
          preview < 100 ? "met" : "missed");
  g_free (work);
  return 0;

fail:
  g_printerr ("bench-export: %s\n", error ? error->message : "the project needs two dates");
  g_free (work);
  return 1;
}
