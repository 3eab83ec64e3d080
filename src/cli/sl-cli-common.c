/* sl-cli-common.c — option parsing, errors and JSON output shared by the subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "sl-cli-private.h"

gboolean
sl_cli_parse (const SlCliCommand *command,
              const GOptionEntry *entries,
              int                *argc,
              char             ***argv,
              int                 min_args,
              int                 max_args,
              int                *exit_code)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("sitelapse-cli %s", command->name);
  int n_args;

  g_set_prgname (prgname);
  context = g_option_context_new (command->parameters);
  g_option_context_set_summary (context, command->summary);
  if (entries)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = sl_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  n_args = *argc - 1;
  if (n_args < min_args || (max_args >= 0 && n_args > max_args))
    {
      *exit_code = sl_cli_usage_error (command, n_args < min_args ? "missing %s" : "too many arguments (expected %s)",
                                       command->parameters);
      return FALSE;
    }
  return TRUE;
}

int
sl_cli_usage_error (const SlCliCommand *command, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "sitelapse-cli %s: %s\nTry 'sitelapse-cli %s --help'.\n", command->name, msg, command->name);
  return SL_CLI_USAGE;
}

int
sl_cli_fail (const GError *error)
{
  fprintf (stderr, "sitelapse-cli: %s\n", error->message);
  return SL_CLI_FAILED;
}

void
sl_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

gboolean
sl_cli_interactive (void)
{
  return isatty (STDIN_FILENO) && isatty (STDERR_FILENO);
}
