/* sl-labels-counts.c — the class × date table as CSV and JSON (export only)
 *
 * The same table as the window's counts view and `sitelapse-cli counts`: every class (or the
 * classes chosen for the export) and every date the project counts, zeros included, a total
 * per date and the change from the previous date. Dates are ISO days; the time is added
 * (2022-02-07T08:30Z) only where two scenes share a day.
 * - CSV: a header row "class,DATE…", one row per class, then "Total" and "Change from
 *   previous" (empty for the first date). Names with commas or quotes are quoted.
 * - JSON: {classes, dates, counts[class][date], totals, change (null for the first date)}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-labels-driver-private.h"
#include "sl-labels-private.h"

typedef struct
{
  SlCountsTable *table;
  GArray        *rows;         /* guint: the table's class indexes written */
  GPtrArray     *class_names;  /* char *, one per row */
  GPtrArray     *dates;        /* char *, one per table scene */
  gint64        *totals;       /* per scene */
} Counts;

static void
counts_clear (Counts *c)
{
  g_clear_pointer (&c->table, sl_counts_table_free);
  g_clear_pointer (&c->rows, g_array_unref);
  g_clear_pointer (&c->class_names, g_ptr_array_unref);
  g_clear_pointer (&c->dates, g_ptr_array_unref);
  g_clear_pointer (&c->totals, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Counts, counts_clear)

static guint
cell (const Counts *c, guint row, guint scene_index)
{
  guint k = g_array_index (c->rows, guint, row);

  return c->table->counts[(gsize) k * c->table->scene_ids->len + scene_index];
}

/* ISO dates as column headers; the time only where two scenes share a day. */
static void
load_dates (SlLabelContext *ctx, Counts *c)
{
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  c->dates = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ctx->scenes->len; i++)
    {
      char *day = g_date_time_format (sl_scene_get_acquired (ctx->scenes->pdata[i]), "%Y-%m-%d");
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (days, day));

      g_hash_table_replace (days, day, GUINT_TO_POINTER (n + 1));
    }
  for (guint s = 0; s < c->table->scene_ids->len; s++)
    {
      gint64 id = g_array_index (c->table->scene_ids, gint64, s);
      SlScene *scene = sl_label_context_scene (ctx, id);
      g_autofree char *day = NULL;

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
}

static gboolean
load (SlLabelContext *ctx, Counts *c, GError **error)
{
  const GArray *chosen = ctx->export_options ? ctx->export_options->class_ids : NULL;
  guint n_scenes;

  if ((c->table = sl_annotation_store_count (ctx->store, error)) == NULL)
    return FALSE;
  load_dates (ctx, c);

  c->rows = g_array_new (FALSE, FALSE, sizeof (guint));
  c->class_names = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < c->table->class_ids->len; k++)
    {
      gint64 id = g_array_index (c->table->class_ids, gint64, k);
      const SlClass *klass = sl_label_context_class (ctx, id);
      gboolean wanted = chosen == NULL;

      for (guint i = 0; !wanted && i < chosen->len; i++)
        wanted = g_array_index (chosen, gint64, i) == id;
      if (!wanted)
        continue;
      g_array_append_val (c->rows, k);
      g_ptr_array_add (c->class_names, klass ? g_strdup (klass->name) : g_strdup_printf ("class %" G_GINT64_FORMAT, id));
    }

  n_scenes = c->table->scene_ids->len;
  c->totals = g_new0 (gint64, MAX (n_scenes, 1));
  for (guint r = 0; r < c->rows->len; r++)
    for (guint s = 0; s < n_scenes; s++)
      c->totals[s] += cell (c, r, s);
  return TRUE;
}

static void
append_csv_field (GString *out, const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
format_csv (const Counts *c)
{
  GString *out = g_string_new ("class");
  guint n_scenes = c->table->scene_ids->len;

  for (guint s = 0; s < n_scenes; s++)
    g_string_append_printf (out, ",%s", (const char *) c->dates->pdata[s]);
  g_string_append_c (out, '\n');
  for (guint r = 0; r < c->rows->len; r++)
    {
      append_csv_field (out, c->class_names->pdata[r]);
      for (guint s = 0; s < n_scenes; s++)
        g_string_append_printf (out, ",%u", cell (c, r, s));
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "Total");
  for (guint s = 0; s < n_scenes; s++)
    g_string_append_printf (out, ",%" G_GINT64_FORMAT, c->totals[s]);
  g_string_append (out, "\nChange from previous");
  for (guint s = 0; s < n_scenes; s++)
    {
      if (s == 0)
        g_string_append_c (out, ',');
      else
        g_string_append_printf (out, ",%" G_GINT64_FORMAT, c->totals[s] - c->totals[s - 1]);
    }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

static char *
format_json (const Counts *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n_scenes = c->table->scene_ids->len;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "classes");
  json_builder_begin_array (b);
  for (guint r = 0; r < c->rows->len; r++)
    json_builder_add_string_value (b, c->class_names->pdata[r]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "dates");
  json_builder_begin_array (b);
  for (guint s = 0; s < n_scenes; s++)
    json_builder_add_string_value (b, c->dates->pdata[s]);
  json_builder_end_array (b);
  /* counts[class][date] */
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (guint r = 0; r < c->rows->len; r++)
    {
      json_builder_begin_array (b);
      for (guint s = 0; s < n_scenes; s++)
        json_builder_add_int_value (b, cell (c, r, s));
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

  root = json_builder_get_root (b);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

static char *
counts_text (SlLabelContext *ctx, gboolean json, GError **error)
{
  g_auto(Counts) counts = { 0 };

  if (!load (ctx, &counts, error))
    return NULL;
  return json ? format_json (&counts) : format_csv (&counts);
}

char *
sl_labels_format_counts (SlAnnotationStore  *store,
                         SlClassSet         *classes,
                         SlLabelFormat       format,
                         GError            **error)
{
  g_auto(SlLabelContext) ctx = { 0 };

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (format == SL_LABEL_FORMAT_COUNTS_CSV || format == SL_LABEL_FORMAT_COUNTS_JSON, NULL);

  if (!_sl_labels_context_init (&ctx, store, classes, 0, FALSE, NULL, NULL, error))
    return NULL;
  return counts_text (&ctx, format == SL_LABEL_FORMAT_COUNTS_JSON, error);
}

static gboolean
write_counts (SlLabelContext *ctx, const char *path, gboolean json, GError **error)
{
  g_autofree char *text = counts_text (ctx, json, error);

  if (text == NULL)
    return FALSE;
  if (!g_file_set_contents (path, text, -1, error))
    {
      g_prefix_error (error, "Cannot write the counts: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_counts_csv (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  return write_counts (ctx, path, FALSE, error);
}

static gboolean
write_counts_json (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  return write_counts (ctx, path, TRUE, error);
}

const SlLabelFormatIo sl_labels_counts_io[2] = {
  { SL_LABEL_FORMAT_COUNTS_CSV,  NULL, write_counts_csv },
  { SL_LABEL_FORMAT_COUNTS_JSON, NULL, write_counts_json },
};
