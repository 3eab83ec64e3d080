/* sl-cli-cache.c — cache: warm, inspect or clear the project's display tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "sl-cli-private.h"
#include "sl-tile-cache.h"
#include "sl-tile-store.h"

typedef struct
{
  GTimer  *timer;
  gboolean tty;
  double   last;
} Progress;

static void
on_progress (guint64 done, guint64 total, gpointer user_data)
{
  Progress *p = user_data;
  double now = g_timer_elapsed (p->timer, NULL);
  int width = 30, filled;
  char bar[31];

  /* On a terminal: a bar redrawn at most 10 times a second; elsewhere: nothing until the end. */
  if (!p->tty || (now - p->last < 0.1 && done < total))
    return;
  p->last = now;
  filled = total ? (int) (width * done / total) : width;
  for (int i = 0; i < width; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[width] = '\0';
  fprintf (stdout, "\r  [%s] %3d %%  %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " tiles  %.0f tiles/s ",
           bar, total ? (int) (100 * done / total) : 100, done, total, now > 0 ? done / now : 0);
  fflush (stdout);
}

static int
print_stats (const char *path, gint64 scene_id, gboolean json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTileStore) store = sl_tile_store_new (path, &error);
  g_autoptr(GArray) stats = NULL;
  guint64 tiles = 0, bytes = 0;

  if (store == NULL || (stats = sl_tile_store_get_stats (store, &error)) == NULL)
    return sl_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < stats->len; i++)
        {
          SlTileStoreStats *s = &g_array_index (stats, SlTileStoreStats, i);

          if (scene_id && s->scene_id != scene_id)
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "scene");
          json_builder_add_int_value (b, s->scene_id);
          json_builder_set_member_name (b, "tiles");
          json_builder_add_int_value (b, (gint64) s->n_tiles);
          json_builder_set_member_name (b, "bytes");
          json_builder_add_int_value (b, (gint64) s->n_bytes);
          json_builder_set_member_name (b, "min_zoom");
          json_builder_add_int_value (b, s->min_zoom);
          json_builder_set_member_name (b, "max_zoom");
          json_builder_add_int_value (b, s->max_zoom);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      sl_cli_print_json (b);
      return SL_CLI_OK;
    }

  printf ("%-7s %10s %12s  %s\n", "scene", "tiles", "size", "levels");
  for (guint i = 0; i < stats->len; i++)
    {
      SlTileStoreStats *s = &g_array_index (stats, SlTileStoreStats, i);
      g_autofree char *size = g_format_size (s->n_bytes);

      if (scene_id && s->scene_id != scene_id)
        continue;
      printf ("%-7" G_GINT64_FORMAT " %10" G_GUINT64_FORMAT " %12s  %d–%d\n",
              s->scene_id, s->n_tiles, size, s->min_zoom, s->max_zoom);
      tiles += s->n_tiles;
      bytes += s->n_bytes;
    }
  {
    g_autofree char *size = g_format_size (bytes);
    printf ("%-7s %10" G_GUINT64_FORMAT " %12s\n", "all", tiles, size);
  }
  return SL_CLI_OK;
}

int
sl_cli_cache (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("cache");
  gboolean warm = FALSE, stats = FALSE, clear = FALSE, json = FALSE;
  gint64 scene_id = 0;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "warm", 0, 0, G_OPTION_ARG_NONE, &warm, "Render every level of the display pyramid into the project", NULL },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Show how many tiles each scene has stored", NULL },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, "Delete the stored tiles", NULL },
    { "scene", 's', 0, G_OPTION_ARG_INT64, &scene_id, "Only this scene (default: all)", "ID" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print --stats as JSON", NULL },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 1, 1, &code))
    return code;
  if (warm + stats + clear != 1)
    return sl_cli_usage_error (command, "give exactly one of --warm, --stats or --clear");

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  if (stats)
    return print_stats (sl_project_get_path (project), scene_id, json);

  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    return sl_cli_fail (error);

  if (clear)
    {
      if (!sl_tile_cache_clear (cache, scene_id, TRUE, &error))
        return sl_cli_fail (error);
      printf ("Cleared the stored tiles of %s\n", scene_id ? "one scene" : "every scene");
      return SL_CLI_OK;
    }

  {
    Progress progress = { g_timer_new (), isatty (STDOUT_FILENO), -1 };
    gboolean ok = sl_tile_cache_warm (cache, scene_id, on_progress, &progress, NULL, &error);
    double elapsed = g_timer_elapsed (progress.timer, NULL);

    if (progress.tty)
      printf ("\n");
    g_timer_destroy (progress.timer);
    if (!ok)
      return sl_cli_fail (error);
    printf ("Warmed in %.2f s\n", elapsed);
  }
  return print_stats (sl_project_get_path (project), scene_id, FALSE);
}
