/* sl-cli-counts.c — counts: the class × date table of a project's annotations
 *
 * The same table as the window's counts view: every class and every date, zeros included,
 * a total per date and the change from the previous date. As text, CSV or JSON.
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
#include "sl-project.h"

typedef struct
{
  SlCountsTable *table;
  GPtrArray     *class_names;  /* char *, one per table class */
  GPtrArray     *dates;        /* char *, one per table scene */
  gint64        *totals;       /* per scene */
} Counts;

static void
counts_clear (Counts *c)
{
  g_clear_pointer (&c->table, sl_counts_table_free);
  g_clear_pointer (&c->class_names, g_ptr_array_unref);
  g_clear_pointer (&c->dates, g_ptr_array_unref);
  g_clear_pointer (&c->totals, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Counts, counts_clear)

static guint
cell (const Counts *c, guint class_index, guint scene_index)
{
  return c->table->counts[(gsize) class_index * c->table->scene_ids->len + scene_index];
}

/* ISO dates as column headers; the time is added only where two scenes share a day. */
static gboolean
load_dates (SlProject *project, Counts *c, GError **error)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, error);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (scenes == NULL)
    return FALSE;
  c->dates = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < scenes->len; i++)
    {
      char *day = g_date_time_format (sl_scene_get_acquired (scenes->pdata[i]), "%Y-%m-%d");
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (days, day));

      g_hash_table_replace (days, day, GUINT_TO_POINTER (n + 1));
    }
  for (guint s = 0; s < c->table->scene_ids->len; s++)
    {
      gint64 id = g_array_index (c->table->scene_ids, gint64, s);
      SlScene *scene = NULL;
      g_autofree char *day = NULL;

      for (guint i = 0; i < scenes->len && scene == NULL; i++)
        if (sl_scene_get_id (scenes->pdata[i]) == id)
          scene = scenes->pdata[i];
      if (scene == NULL)
        {
          g_ptr_array_add (c->dates, g_strdup_printf ("scene %" G_GINT64_FORMAT, id));
          continue;
        }
      day = g_date_time_format (sl_scene_get_acquired (scene), "%Y-%m-%d");
      if (GPOINTER_TO_UINT (g_hash_table_lookup (days, day)) > 1)
        g_ptr_array_add (c->dates, g_date_time_format (sl_scene_get_acquired (scene), "%Y-%m-%dT%H:%MZ"));
      else
        g_ptr_array_add (c->dates, g_steal_pointer (&day));
    }
  return TRUE;
}

static gboolean
load (SlProject *project, Counts *c, GError **error)
{
  g_autoptr(SlAnnotationStore) store = sl_annotation_store_new (project);
  g_autoptr(SlClassSet) set = sl_class_set_new (project);
  g_autoptr(GPtrArray) classes = NULL;
  guint n_scenes;

  if ((c->table = sl_annotation_store_count (store, error)) == NULL ||
      (classes = sl_class_set_list (set, error)) == NULL ||
      !load_dates (project, c, error))
    return FALSE;

  c->class_names = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < c->table->class_ids->len; k++)
    {
      gint64 id = g_array_index (c->table->class_ids, gint64, k);
      const char *name = NULL;

      for (guint i = 0; i < classes->len && name == NULL; i++)
        if (((SlClass *) classes->pdata[i])->id == id)
          name = ((SlClass *) classes->pdata[i])->name;
      g_ptr_array_add (c->class_names, name ? g_strdup (name) : g_strdup_printf ("class %" G_GINT64_FORMAT, id));
    }

  n_scenes = c->table->scene_ids->len;
  c->totals = g_new0 (gint64, MAX (n_scenes, 1));
  for (guint k = 0; k < c->table->class_ids->len; k++)
    for (guint s = 0; s < n_scenes; s++)
      c->totals[s] += cell (c, k, s);
  return TRUE;
}

static void
print_text (const Counts *c)
{
  guint n_scenes = c->table->scene_ids->len;
  int name_width = (int) strlen ("Change from previous");
  int col = 10;

  for (guint k = 0; k < c->class_names->len; k++)
    name_width = MAX (name_width, (int) g_utf8_strlen (c->class_names->pdata[k], -1));
  for (guint s = 0; s < n_scenes; s++)
    col = MAX (col, (int) strlen (c->dates->pdata[s]));

  /* printf pads by bytes: pad names by characters so UTF-8 names line up. */
#define PRINT_NAME(name) \
  printf ("%s%*s", (name), name_width - (int) g_utf8_strlen ((name), -1), "")

  PRINT_NAME ("Class");
  for (guint s = 0; s < n_scenes; s++)
    printf ("  %*s", col, (const char *) c->dates->pdata[s]);
  printf ("\n");
  for (guint k = 0; k < c->class_names->len; k++)
    {
      PRINT_NAME ((const char *) c->class_names->pdata[k]);
      for (guint s = 0; s < n_scenes; s++)
        printf ("  %*u", col, cell (c, k, s));
      printf ("\n");
    }
  PRINT_NAME ("Total");
  for (guint s = 0; s < n_scenes; s++)
    printf ("  %*" G_GINT64_FORMAT, col, c->totals[s]);
  printf ("\n");
  PRINT_NAME ("Change from previous");
  for (guint s = 0; s < n_scenes; s++)
    {
      if (s == 0)
        printf ("  %*s–", col - 1, ""); /* the dash is 3 bytes, 1 column */
      else
        printf ("  %+*" G_GINT64_FORMAT, col, c->totals[s] - c->totals[s - 1]);
    }
  printf ("\n");
#undef PRINT_NAME
}

static void
print_csv_field (const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      fputs (text, stdout);
      return;
    }
  putchar ('"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        putchar ('"');
      putchar (*p);
    }
  putchar ('"');
}

static void
print_csv (const Counts *c)
{
  guint n_scenes = c->table->scene_ids->len;

  printf ("class");
  for (guint s = 0; s < n_scenes; s++)
    printf (",%s", (const char *) c->dates->pdata[s]);
  printf ("\n");
  for (guint k = 0; k < c->class_names->len; k++)
    {
      print_csv_field (c->class_names->pdata[k]);
      for (guint s = 0; s < n_scenes; s++)
        printf (",%u", cell (c, k, s));
      printf ("\n");
    }
  printf ("Total");
  for (guint s = 0; s < n_scenes; s++)
    printf (",%" G_GINT64_FORMAT, c->totals[s]);
  printf ("\nChange from previous");
  for (guint s = 0; s < n_scenes; s++)
    {
      if (s == 0)
        printf (",");
      else
        printf (",%" G_GINT64_FORMAT, c->totals[s] - c->totals[s - 1]);
    }
  printf ("\n");
}

static void
print_json (const Counts *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n_scenes = c->table->scene_ids->len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "classes");
  json_builder_begin_array (b);
  for (guint k = 0; k < c->class_names->len; k++)
    json_builder_add_string_value (b, c->class_names->pdata[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dates");
  json_builder_begin_array (b);
  for (guint s = 0; s < n_scenes; s++)
    json_builder_add_string_value (b, c->dates->pdata[s]);
  json_builder_end_array (b);
  /* counts[class][date] */
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (guint k = 0; k < c->class_names->len; k++)
    {
      json_builder_begin_array (b);
      for (guint s = 0; s < n_scenes; s++)
        json_builder_add_int_value (b, cell (c, k, s));
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_array (b);
  for (guint s = 0; s < n_scenes; s++)
    json_builder_add_int_value (b, c->totals[s]);
  json_builder_end_array (b);
  /* Change of the total from the previous date; null for the first. */
  json_builder_set_member_name (b, "change");
  json_builder_begin_array (b);
  for (guint s = 0; s < n_scenes; s++)
    {
      if (s == 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_int_value (b, c->totals[s] - c->totals[s - 1]);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  sl_cli_print_json (b);
}

int
sl_cli_counts (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("counts");
  gboolean json = FALSE, csv = FALSE;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Counts) counts = { 0 };
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
  if (project == NULL || !load (project, &counts, &error))
    return sl_cli_fail (error);

  if (json)
    print_json (&counts);
  else if (csv)
    print_csv (&counts);
  else
    print_text (&counts);
  return SL_CLI_OK;
}
