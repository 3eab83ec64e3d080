/* sl-labels-import.c — the label import pipeline: read every record of a file, map class
 * names (class map, then a class's name or key ignoring case; unknown ones an error or new
 * classes), give each its scene (GIS: by its date), check every shape, then add them all in
 * one transaction; classes created for an import that fails are removed again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sl-labels-driver-private.h"

typedef struct
{
  GHashTable *by_name;   /* casefolded name or key → const SlClass * (ctx->class_list) */
  GHashTable *map;       /* casefolded file name → target (options->class_map) */
} ClassLookup;

static void
class_lookup_clear (ClassLookup *l)
{
  g_clear_pointer (&l->by_name, g_hash_table_unref);
  g_clear_pointer (&l->map, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClassLookup, class_lookup_clear)

static void
class_lookup_add (ClassLookup *l, const SlClass *klass)
{
  g_hash_table_insert (l->by_name, g_utf8_casefold (klass->key, -1), (gpointer) klass);
  g_hash_table_insert (l->by_name, g_utf8_casefold (klass->name, -1), (gpointer) klass);
}

static void
class_lookup_init (ClassLookup *l, SlLabelContext *ctx, const SlLabelImportOptions *options)
{
  l->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  l->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Keys first, names after: a name wins over another class's identical key. */
  for (guint i = 0; i < ctx->class_list->len; i++)
    g_hash_table_insert (l->by_name, g_utf8_casefold (((SlClass *) ctx->class_list->pdata[i])->key, -1),
                         ctx->class_list->pdata[i]);
  for (guint i = 0; i < ctx->class_list->len; i++)
    g_hash_table_insert (l->by_name, g_utf8_casefold (((SlClass *) ctx->class_list->pdata[i])->name, -1),
                         ctx->class_list->pdata[i]);
  if (options && options->class_map)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, options->class_map);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (l->map, g_utf8_casefold (key, -1), g_strdup (value));
    }
}

/* The name a record's class is looked up by: its mapping when it has one. */
static const char *
mapped_name (ClassLookup *l, const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  const char *target = g_hash_table_lookup (l->map, folded);

  return target ? target : name;
}

static const SlClass *
class_lookup_find (ClassLookup *l, const char *name)
{
  g_autofree char *folded = g_utf8_casefold (mapped_name (l, name), -1);

  return g_hash_table_lookup (l->by_name, folded);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* The class names of @records that match no class: char *, sorted, each once (as the mapping
 * or the file spells it first). */
static GPtrArray *
unknown_names (ClassLookup *l, GPtrArray *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *unknown = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < records->len; i++)
    {
      SlLabelRecord *record = records->pdata[i];
      const char *name;

      if (record->class_name == NULL || class_lookup_find (l, record->class_name) != NULL)
        continue;
      name = mapped_name (l, record->class_name);
      if (g_hash_table_add (seen, g_utf8_casefold (name, -1)))
        g_ptr_array_add (unknown, g_strdup (name));
    }
  g_ptr_array_sort (unknown, compare_strings);
  return unknown;
}

static GPtrArray *
read_records (SlLabelContext *ctx, SlLabelFormat format, const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  const SlLabelFormatIo *io = _sl_labels_find_io (format);
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot read ‘%s’: %s", path, g_strerror (saved));
      return NULL;
    }
  if (S_ISREG (st.st_mode) && st.st_size == 0)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_MALFORMED, "%s: the file is empty", base);
      return NULL;
    }
  if (S_ISREG (st.st_mode) && st.st_size > SL_LABELS_MAX_FILE_SIZE)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_TOO_LARGE,
                   "%s: %" G_GINT64_FORMAT " MB is beyond the %" G_GINT64_FORMAT " MB a label file may have", base,
                   (gint64) st.st_size / (1024 * 1024), (gint64) SL_LABELS_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (sl_label_format_is_pixel (format) && ctx->scene == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "%s: %s labels are in the pixels of one scene: choose the scene", base,
                   sl_label_format_describe (format));
      return NULL;
    }
  return io->read (ctx, path, error);
}

/* Each record's scene: the one it names, else the one acquired at its date (that instant,
 * else that day: the earliest of several), else the chosen scene. */
static gboolean
assign_scenes (SlLabelContext *ctx, GPtrArray *records, const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);
  gint64 fallback = ctx->import_options ? ctx->import_options->scene_id : 0;
  const char *date_field = ctx->import_options ? ctx->import_options->date_field : NULL;
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  guint n_unmatched = 0;

  /* "" with a scene: every object goes on that scene, whatever date it carries. */
  if (fallback > 0 && date_field != NULL && *date_field == '\0')
    {
      for (guint i = 0; i < records->len; i++)
        if (((SlLabelRecord *) records->pdata[i])->annotation->scene_id <= 0)
          ((SlLabelRecord *) records->pdata[i])->annotation->scene_id = fallback;
      return TRUE;
    }

  for (guint i = 0; i < ctx->scenes->len; i++)
    g_ptr_array_add (days, g_date_time_format (sl_scene_get_acquired (ctx->scenes->pdata[i]), "%Y-%m-%d"));

  for (guint i = 0; i < records->len; i++)
    {
      SlLabelRecord *record = records->pdata[i];
      g_autoptr(GDateTime) when = NULL;
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *day = NULL;
      SlScene *exact = NULL, *first = NULL;
      guint n_day = 0;

      if (record->annotation->scene_id > 0)
        continue;
      if (record->date == NULL)
        {
          if (fallback > 0)
            {
              record->annotation->scene_id = fallback;
              continue;
            }
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                       "%s %s: it has no date to choose its scene by: choose a date field or a scene", base,
                       record->where);
          return FALSE;
        }
      when = sl_scene_parse_date (record->date);
      if (when == NULL)
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID, "%s %s: ‘%s’ is not a date", base,
                       record->where, record->date);
          return FALSE;
        }
      utc = g_date_time_to_utc (when);
      day = g_date_time_format (utc, "%Y-%m-%d");
      for (guint s = 0; s < ctx->scenes->len; s++)
        {
          SlScene *scene = ctx->scenes->pdata[s];

          if (strcmp (days->pdata[s], day) != 0)
            continue;
          /* Scenes are sorted by date: the first of the day is the earliest. */
          if (first == NULL)
            first = scene;
          n_day++;
          if (exact == NULL && g_date_time_difference (sl_scene_get_acquired (scene), utc) / G_USEC_PER_SEC == 0)
            exact = scene;
        }
      if (exact == NULL && n_day > 1)
        {
          g_autofree char *time = g_date_time_format (sl_scene_get_acquired (first), "%H:%M");

          sl_label_context_warn (ctx, "%u scenes were acquired on %s: objects dated that day went to the earliest, "
                                 "‘%s’ (%s UTC)", n_day, day, sl_scene_get_label (first) ? sl_scene_get_label (first) : day,
                                 time);
        }
      if (exact == NULL && first == NULL)
        {
          if (fallback > 0)
            {
              record->annotation->scene_id = fallback;
              n_unmatched++;
              continue;
            }
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                       "%s %s: its date %s matches no scene of the project", base, record->where, day);
          return FALSE;
        }
      record->annotation->scene_id = sl_scene_get_id (exact ? exact : first);
    }
  /* Objects without a date are what a chosen scene is for; a date that matches none is worth
   * a word. */
  if (n_unmatched > 0)
    sl_label_context_warn (ctx, "%u object%s dated on no scene's day went to the chosen scene", n_unmatched,
                           n_unmatched == 1 ? "" : "s");
  return TRUE;
}

static void
remove_classes (SlLabelContext *ctx, GArray *created)
{
  for (guint i = 0; i < created->len; i++)
    {
      g_autoptr(GError) ignored = NULL;

      if (!sl_class_set_remove (ctx->classes, g_array_index (created, gint64, i), 0, FALSE, &ignored))
        g_warning ("Cannot remove the class created for an import that failed: %s", ignored->message);
    }
}

GPtrArray *
sl_labels_unknown_classes (SlAnnotationStore          *store,
                           SlClassSet                 *classes,
                           const char                 *path,
                           const SlLabelImportOptions *options,
                           GError                    **error)
{
  g_auto(SlLabelContext) ctx = { 0 };
  g_auto(ClassLookup) lookup = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  SlLabelFormat format;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  format = _sl_labels_resolve_format (options ? options->format : SL_LABEL_FORMAT_UNKNOWN, path, TRUE, error);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    return NULL;
  ctx.import_options = options;
  if (!_sl_labels_context_init (&ctx, store, classes, options ? options->scene_id : 0, sl_label_format_is_pixel (format),
                     path, NULL, error) ||
      (records = read_records (&ctx, format, path, error)) == NULL)
    return NULL;
  class_lookup_init (&lookup, &ctx, options);
  return unknown_names (&lookup, records);
}

SlLabelImportReport *
sl_labels_import (SlAnnotationStore           *store,
                  SlClassSet                  *classes,
                  const char                  *path,
                  const SlLabelImportOptions  *options,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  g_auto(SlLabelContext) ctx = { 0 };
  g_auto(ClassLookup) lookup = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) unknown = NULL;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(GArray) created = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *base = NULL;
  SlLabelImportReport *report;
  SlLabelFormat format;
  gint64 t_start = g_get_monotonic_time (), t_read, t_checked;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  base = g_path_get_basename (path);
  format = _sl_labels_resolve_format (options ? options->format : SL_LABEL_FORMAT_UNKNOWN, path, TRUE, error);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    return NULL;
  ctx.import_options = options;
  if (!_sl_labels_context_init (&ctx, store, classes, options ? options->scene_id : 0, sl_label_format_is_pixel (format),
                     path, cancellable, error) ||
      (records = read_records (&ctx, format, path, error)) == NULL)
    return NULL;
  t_read = g_get_monotonic_time ();

  /* Classes: mapped, then by name or key ignoring case; unknown ones an error or new. */
  class_lookup_init (&lookup, &ctx, options);
  for (guint i = 0; i < records->len; i++)
    {
      SlLabelRecord *record = records->pdata[i];

      if (record->class_name == NULL || *record->class_name == '\0')
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID, "%s %s: it has no class", base, record->where);
          return NULL;
        }
    }
  unknown = unknown_names (&lookup, records);
  if (unknown->len > 0 && !(options && options->create_classes))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < unknown->len && i < 20; i++)
        g_string_append_printf (names, "%s‘%s’", i ? ", " : "", (const char *) unknown->pdata[i]);
      if (unknown->len > 20)
        g_string_append_printf (names, " and %u more", unknown->len - 20);
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_UNKNOWN_CLASSES,
                   "%s: %u class%s not in the project: %s (map %s to project classes, or create %s)", base, unknown->len,
                   unknown->len == 1 ? " is" : "es are", names->str, unknown->len == 1 ? "it" : "them",
                   unknown->len == 1 ? "it" : "them");
      return NULL;
    }

  if (!assign_scenes (&ctx, records, path, error))
    return NULL;
  for (guint i = 0; i < records->len; i++)
    {
      SlLabelRecord *record = records->pdata[i];
      g_autoptr(GError) local = NULL;

      if (!sl_annotation_is_valid (record->annotation, &local))
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_INVALID, "%s %s: %s", base, record->where, local->message);
          return NULL;
        }
    }

  /* The last moment a cancellation stops it: nothing is written yet. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint i = 0; i < unknown->len; i++)
    {
      g_autoptr(SlClass) klass = sl_class_set_add (classes, unknown->pdata[i], NULL, error);

      if (klass == NULL)
        {
          remove_classes (&ctx, created);
          g_prefix_error (error, "%s: ", base);
          return NULL;
        }
      g_array_append_val (created, klass->id);
      g_ptr_array_add (ctx.class_list, g_steal_pointer (&klass));
      class_lookup_add (&lookup, ctx.class_list->pdata[ctx.class_list->len - 1]);
    }

  annotations = g_ptr_array_new_full (records->len, (GDestroyNotify) sl_annotation_free);
  for (guint i = 0; i < records->len; i++)
    {
      SlLabelRecord *record = records->pdata[i];
      const SlClass *klass = class_lookup_find (&lookup, record->class_name);

      g_assert (klass != NULL);
      record->annotation->class_id = klass->id;
      g_ptr_array_add (annotations, g_steal_pointer (&record->annotation));
    }
  t_checked = g_get_monotonic_time ();
  if (!sl_annotation_store_add_many (store, annotations, error))
    {
      remove_classes (&ctx, created);
      g_prefix_error (error, "Cannot import ‘%s’: ", base);
      return NULL;
    }

  g_debug ("%s: %u objects: read %.0f ms, classes, scenes and checks %.0f ms, stored %.0f ms", base,
           annotations->len, (t_read - t_start) / 1e3, (t_checked - t_read) / 1e3,
           (g_get_monotonic_time () - t_checked) / 1e3);
  report = g_new0 (SlLabelImportReport, 1);
  report->n_imported = annotations->len;
  report->n_classes_created = created->len;
  report->warnings = g_steal_pointer (&ctx.warnings);
  report->annotations = g_steal_pointer (&annotations);
  return report;
}
