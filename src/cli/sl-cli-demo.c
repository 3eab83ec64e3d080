/* sl-cli-demo.c — demo: the synthetic training-area site and a project for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include "sl-cli-private.h"
#include "sl-demo.h"
#include "sl-project.h"

#define DEMO_PROJECT "demo.sitelapse.gpkg"

static gboolean
build_project (const char *path, GPtrArray *demo_scenes, GError **error)
{
  g_autoptr(SlProject) project = sl_project_create (path, "Training area west of Yelnya (demo)", error);

  if (project == NULL)
    return FALSE;
  for (guint i = 0; i < demo_scenes->len; i++)
    {
      SlDemoScene *d = demo_scenes->pdata[i];
      g_autoptr(SlScene) scene = sl_scene_probe (d->path, error);
      g_autoptr(SlScene) stored = NULL;

      if (scene == NULL)
        return FALSE;
      sl_scene_set_acquired (scene, d->acquired);
      sl_scene_set_label (scene, d->label);
      sl_scene_set_provider (scene, d->provider);
      sl_scene_set_sensor (scene, d->sensor);
      sl_scene_set_credit (scene, d->credit);
      sl_scene_set_caption (scene, d->caption);
      stored = sl_project_add_scene (project, scene, error);
      if (stored == NULL)
        return FALSE;
    }
  return TRUE;
}

int
sl_cli_demo (int argc, char **argv)
{
  int size = SL_DEMO_DEFAULT_SIZE;
  gboolean no_project = FALSE, force = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autofree char *project_path = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  int code;
  const GOptionEntry entries[] = {
    { "size", 's', 0, G_OPTION_ARG_INT, &size, "Side of each scene in pixels (256–16384, default 2048; the ground extent stays 1 km)", "N" },
    { "no-project", 0, 0, G_OPTION_ARG_NONE, &no_project, "Only write the images, not " DEMO_PROJECT, NULL },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace an existing " DEMO_PROJECT, NULL },
    { NULL }
  };

  if (!sl_cli_parse (sl_cli_find_command ("demo"), entries, &argc, &argv, 1, 1, &code))
    return code;

  project_path = g_build_filename (argv[1], DEMO_PROJECT, NULL);
  if (!no_project && g_file_test (project_path, G_FILE_TEST_EXISTS))
    {
      if (!force)
        {
          fprintf (stderr, "sitelapse-cli: Cannot write the demo project ‘%s’: it already exists"
                           " (use --force to replace it)\n", project_path);
          return SL_CLI_FAILED;
        }
      for (const char *const *s = (const char *const[]) { "", "-wal", "-shm", NULL }; *s; s++)
        {
          g_autofree char *p = g_strconcat (project_path, *s, NULL);
          g_remove (p);
        }
    }

  scenes = sl_demo_generate (argv[1], size, &error);
  if (scenes == NULL)
    return sl_cli_fail (error);
  for (guint i = 0; i < scenes->len; i++)
    {
      SlDemoScene *d = scenes->pdata[i];
      g_autofree char *when = g_date_time_format (d->acquired, "%Y-%m-%d");
      printf ("Wrote %s (%s, %u objects%s)\n", d->path, when, d->n_objects,
              d->georeferenced ? "" : ", not georeferenced");
    }

  if (!no_project)
    {
      if (!build_project (project_path, scenes, &error))
        {
          /* Do not leave a half-made project behind. */
          for (const char *const *s = (const char *const[]) { "", "-wal", "-shm", NULL }; *s; s++)
            {
              g_autofree char *p = g_strconcat (project_path, *s, NULL);
              g_remove (p);
            }
          return sl_cli_fail (error);
        }
      printf ("Created %s\n", project_path);
    }
  printf ("Done in %.1f s\n", g_timer_elapsed (timer, NULL));
  return SL_CLI_OK;
}
