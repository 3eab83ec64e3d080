/* sl-cli-private.h — shared pieces of sitelapse-cli's subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Exit codes of every subcommand. */
enum
{
  SL_CLI_OK = 0,
  SL_CLI_FAILED = 1,
  SL_CLI_USAGE = 2,
};

typedef int (*SlCliCommandFunc) (int argc, char **argv);

typedef struct
{
  const char       *name;
  const char       *parameters;  /* "PROJECT IMAGE…" */
  const char       *summary;
  SlCliCommandFunc  run;
} SlCliCommand;

/* Parses @argv (argv[0] is the subcommand) with @entries. Prints the error and returns
 * FALSE on bad usage; handles --help. @n_args is checked against the positional arguments
 * left in argv[1..]. */
gboolean  sl_cli_parse        (const SlCliCommand *command,
                               const GOptionEntry *entries,
                               int                *argc,
                               char             ***argv,
                               int                 min_args,
                               int                 max_args,
                               int                *exit_code);
int       sl_cli_fail         (const GError *error);
int       sl_cli_usage_error  (const SlCliCommand *command, const char *format, ...) G_GNUC_PRINTF (2, 3);
void      sl_cli_print_json   (JsonBuilder *builder);
/* TRUE when stdin and stderr are a terminal (we may ask the user). */
gboolean  sl_cli_interactive  (void);

int       sl_cli_new          (int argc, char **argv);
int       sl_cli_add          (int argc, char **argv);
int       sl_cli_info         (int argc, char **argv);
int       sl_cli_validate     (int argc, char **argv);
int       sl_cli_demo         (int argc, char **argv);
int       sl_cli_cache        (int argc, char **argv);
int       sl_cli_render       (int argc, char **argv);
int       sl_cli_counts       (int argc, char **argv);
int       sl_cli_import       (int argc, char **argv);
int       sl_cli_export       (int argc, char **argv);
int       sl_cli_register     (int argc, char **argv);

const SlCliCommand *sl_cli_find_command (const char *name);

G_END_DECLS
