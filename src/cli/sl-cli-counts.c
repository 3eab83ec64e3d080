/* sl-cli-counts.c — counts: the class × date table of a project's annotations
 *
 * The same table as the window's counts view: every class and every date, zeros included,
 * a total per date and the change from the previous date. CSV and JSON are the core's label
 * exports (sl-labels-counts.c); the text table is drawn from the JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-cli-private.h"
#include "sl-labels.h"
#include "sl-project.h"

/* The table as the core writes it (COUNTS_CSV or COUNTS_JSON). */
static char *
export_counts (SlProject *project, SlLabelFormat format, GError **error)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(SlClassSet) classes = sl_class_set_new (project);

  return sl_labels_format_counts (store, classes, format, error);
}

/* The text table, from the JSON the core writes. */
static gboolean
print_text (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *names, *dates, *counts, *totals;
  guint n_scenes, n_classes;
  int name_width = (int) strlen ("Change from previous");
  int col = 10;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  names = json_object_get_array_member (root, "classes");
  dates = json_object_get_array_member (root, "dates");
  counts = json_object_get_array_member (root, "counts");
  totals = json_object_get_array_member (root, "totals");
  n_classes = json_array_get_length (names);
  n_scenes = json_array_get_length (dates);

  for (guint k = 0; k < n_classes; k++)
    name_width = MAX (name_width, (int) g_utf8_strlen (json_array_get_string_element (names, k), -1));
  for (guint s = 0; s < n_scenes; s++)
    col = MAX (col, (int) strlen (json_array_get_string_element (dates, s)));

  /* printf pads by bytes: pad names by characters so UTF-8 names line up. */
#define PRINT_NAME(name) \
  printf ("%s%*s", (name), name_width - (int) g_utf8_strlen ((name), -1), "")

  PRINT_NAME ("Class");
  for (guint s = 0; s < n_scenes; s++)
    printf ("  %*s", col, json_array_get_string_element (dates, s));
  printf ("\n");
  for (guint k = 0; k < n_classes; k++)
    {
      JsonArray *row = json_array_get_array_element (counts, k);

      PRINT_NAME (json_array_get_string_element (names, k));
      for (guint s = 0; s < n_scenes; s++)
        printf ("  %*u", col, (guint) json_array_get_int_element (row, s));
      printf ("\n");
    }
  PRINT_NAME ("Total");
  for (guint s = 0; s < n_scenes; s++)
    printf ("  %*" G_GINT64_FORMAT, col, json_array_get_int_element (totals, s));
  printf ("\n");
  PRINT_NAME ("Change from previous");
  for (guint s = 0; s < n_scenes; s++)
    {
      if (s == 0)
        printf ("  %*s–", col - 1, ""); /* the dash is 3 bytes, 1 column */
      else
        printf ("  %+*" G_GINT64_FORMAT, col,
                json_array_get_int_element (totals, s) - json_array_get_int_element (totals, s - 1));
    }
  printf ("\n");
#undef PRINT_NAME
  return TRUE;
}

int
sl_cli_counts (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("counts");
  gboolean json = FALSE, csv = FALSE;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print CSV (a header row, one row per class)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON {classes, dates, counts[class][date], totals, change}", NULL },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 1, 1, &code))
    return code;
  if (csv && json)
    return sl_cli_usage_error (command, "--csv and --json cannot be used together");

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  text = export_counts (project, csv ? SL_LABEL_FORMAT_COUNTS_CSV : SL_LABEL_FORMAT_COUNTS_JSON, &error);
  if (text == NULL)
    return sl_cli_fail (error);

  if (json || csv)
    fputs (text, stdout);
  else if (!print_text (text, &error))
    return sl_cli_fail (error);
  return SL_CLI_OK;
}
