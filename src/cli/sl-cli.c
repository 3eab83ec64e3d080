/* sl-cli.c — sitelapse-cli: every long job of the app, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sl-cli-private.h"
#include "sl-core.h"

static const SlCliCommand commands[] = {
  { "new",      "PROJECT",          "Create an empty project (a GeoPackage file)",          sl_cli_new },
  { "add",      "PROJECT IMAGE…",   "Add dated images of the site to a project",            sl_cli_add },
  { "info",     "PROJECT",          "Describe a project: site, CRS, scenes, classes",       sl_cli_info },
  { "validate", "PROJECT",          "Run the GeoPackage and Sitelapse schema checks",       sl_cli_validate },
  { "demo",     "DIR",              "Generate the demo site and a project for it",          sl_cli_demo },
  { "cache",    "PROJECT",          "Warm, inspect or clear the stored display tiles",      sl_cli_cache },
  { "render",   "PROJECT",          "Render a comparison graphic (PNG, JPEG, PDF, SVG, HTML, WebP, GIF)", sl_cli_render },
  { "counts",   "PROJECT",          "Count annotations per class and date (text, CSV, JSON)", sl_cli_counts },
  { "import",   "PROJECT FILE",     "Import labels (GeoJSON, GeoPackage, KML, Shapefile, COCO, YOLO, …)", sl_cli_import },
  { "export",   "PROJECT OUT",      "Export annotations as GIS or machine-learning labels, or counts", sl_cli_export },
  { "register", "PROJECT SCENE",    "Register a scene on a reference by tie points or automatically", sl_cli_register },
};

const SlCliCommand *
sl_cli_find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void
print_overview (FILE *out)
{
  fprintf (out, "Usage: sitelapse-cli COMMAND [OPTION…] ARGUMENTS\n\n"
                "Compare and annotate imagery of one site over time, without a display.\n\n"
                "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %-16s %s\n", commands[i].name, commands[i].parameters, commands[i].summary);
  fprintf (out, "\nRun 'sitelapse-cli COMMAND --help' for a command's options.\n"
                "Exit status: 0 done, 1 failed (the message names the file and the reason), 2 bad usage.\n");
}

int
main (int argc, char **argv)
{
  const SlCliCommand *command;

  setlocale (LC_ALL, "");
  g_set_prgname ("sitelapse-cli");

  if (argc < 2)
    {
      print_overview (stderr);
      return SL_CLI_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      if (argc > 2 && sl_cli_find_command (argv[2]))
        {
          char *help_argv[] = { argv[2], (char *) "--help", NULL };
          return sl_cli_find_command (argv[2])->run (2, help_argv);
        }
      print_overview (stdout);
      return SL_CLI_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("sitelapse-cli %s\n", PACKAGE_VERSION);
      return SL_CLI_OK;
    }

  command = sl_cli_find_command (argv[1]);
  if (command == NULL)
    {
      fprintf (stderr, "sitelapse-cli: unknown command ‘%s’\n\n", argv[1]);
      print_overview (stderr);
      return SL_CLI_USAGE;
    }

  sl_core_init ();
  return command->run (argc - 1, argv + 1);
}
