/* sl-labels.c — the label import/export driver: format names and guessing, the context the
 * formats share, the export pipeline (annotations → a temporary name next to the target →
 * rename)
 *
 * A format's file only converts between a file and records or annotations (see
 * sl-labels-private.h); everything they share is here, the import pipeline in
 * sl-labels-import.c. Writers get a path inside a fresh
 * temporary folder next to the target, with the target's own base name (drivers such as
 * LIBKML and Shapefile take meaning from the extension): a file, or a directory created here
 * for chips and for YOLO of several scenes. Every file the writer leaves in that folder is then
 * renamed next to the target (Shapefile's sidecars too), and the folder removed; on failure the
 * folder goes and the target is untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sl-labels-driver-private.h"

/* Enough to tell a file's kind from its first lines or keys. */
#define SNIFF_BYTES (64 * 1024)
/* Beyond this many, warnings are summed up in one line. */
#define MAX_WARNINGS 200

static const struct
{
  SlLabelFormat  format;
  const char    *name;
  const char    *description;
} format_names[] = {
  { SL_LABEL_FORMAT_GEOJSON,     "geojson",     "GeoJSON" },
  { SL_LABEL_FORMAT_GPKG,        "gpkg",        "GeoPackage" },
  { SL_LABEL_FORMAT_KML,         "kml",         "KML" },
  { SL_LABEL_FORMAT_KMZ,         "kmz",         "KMZ" },
  { SL_LABEL_FORMAT_SHAPEFILE,   "shapefile",   "ESRI Shapefile" },
  { SL_LABEL_FORMAT_FLATGEOBUF,  "flatgeobuf",  "FlatGeobuf" },
  { SL_LABEL_FORMAT_COCO,        "coco",        "COCO JSON" },
  { SL_LABEL_FORMAT_YOLO,        "yolo",        "YOLO" },
  { SL_LABEL_FORMAT_YOLO_OBB,    "yolo-obb",    "YOLO-OBB" },
  { SL_LABEL_FORMAT_DOTA,        "dota",        "DOTA" },
  { SL_LABEL_FORMAT_VOC,         "voc",         "Pascal VOC" },
  { SL_LABEL_FORMAT_LABELME,     "labelme",     "LabelMe" },
  { SL_LABEL_FORMAT_COUNTS_CSV,  "counts-csv",  "Counts CSV" },
  { SL_LABEL_FORMAT_COUNTS_JSON, "counts-json", "Counts JSON" },
};

static const struct
{
  const char    *alias;
  SlLabelFormat  format;
} format_aliases[] = {
  { "shp", SL_LABEL_FORMAT_SHAPEFILE }, { "esri-shapefile", SL_LABEL_FORMAT_SHAPEFILE },
  { "fgb", SL_LABEL_FORMAT_FLATGEOBUF }, { "geopackage", SL_LABEL_FORMAT_GPKG },
  { "obb", SL_LABEL_FORMAT_YOLO_OBB }, { "yolo_obb", SL_LABEL_FORMAT_YOLO_OBB },
  { "pascal-voc", SL_LABEL_FORMAT_VOC }, { "pascal_voc", SL_LABEL_FORMAT_VOC },
  { "csv", SL_LABEL_FORMAT_COUNTS_CSV }, { "counts", SL_LABEL_FORMAT_COUNTS_CSV },
  { "counts_csv", SL_LABEL_FORMAT_COUNTS_CSV }, { "counts_json", SL_LABEL_FORMAT_COUNTS_JSON },
};

static const struct
{
  const char    *extension;
  SlLabelFormat  format;
} format_extensions[] = {
  { ".geojson", SL_LABEL_FORMAT_GEOJSON }, { ".gpkg", SL_LABEL_FORMAT_GPKG },
  { ".kml", SL_LABEL_FORMAT_KML }, { ".kmz", SL_LABEL_FORMAT_KMZ },
  { ".shp", SL_LABEL_FORMAT_SHAPEFILE }, { ".fgb", SL_LABEL_FORMAT_FLATGEOBUF },
  { ".xml", SL_LABEL_FORMAT_VOC }, { ".csv", SL_LABEL_FORMAT_COUNTS_CSV },
};

G_DEFINE_QUARK (sl-labels-error-quark, sl_labels_error)

const SlLabelFormatIo *
_sl_labels_find_io (SlLabelFormat format)
{
  const SlLabelFormatIo *const table[] = {
    &sl_labels_ogr_io[0], &sl_labels_ogr_io[1], &sl_labels_ogr_io[2], &sl_labels_ogr_io[3],
    &sl_labels_ogr_io[4], &sl_labels_ogr_io[5], &sl_labels_coco_io, &sl_labels_yolo_io[0],
    &sl_labels_yolo_io[1], &sl_labels_dota_io, &sl_labels_voc_io, &sl_labels_labelme_io,
    &sl_labels_counts_io[0], &sl_labels_counts_io[1],
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i]->format == format)
      return table[i];
  return NULL;
}

const char *
sl_label_format_to_string (SlLabelFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].name;
  return NULL;
}

SlLabelFormat
sl_label_format_from_string (const char *name)
{
  g_autofree char *lower = NULL;

  if (name == NULL)
    return SL_LABEL_FORMAT_UNKNOWN;
  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (strcmp (format_names[i].name, lower) == 0)
      return format_names[i].format;
  for (guint i = 0; i < G_N_ELEMENTS (format_aliases); i++)
    if (strcmp (format_aliases[i].alias, lower) == 0)
      return format_aliases[i].format;
  return SL_LABEL_FORMAT_UNKNOWN;
}

const char *
sl_label_format_describe (SlLabelFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (format_names[i].format == format)
      return format_names[i].description;
  return "unknown format";
}

gboolean
sl_label_format_is_pixel (SlLabelFormat format)
{
  return format >= SL_LABEL_FORMAT_COCO && format <= SL_LABEL_FORMAT_LABELME;
}

gboolean
sl_label_format_can_import (SlLabelFormat format)
{
  const SlLabelFormatIo *io = _sl_labels_find_io (format);

  return io != NULL && io->read != NULL;
}

/* The first SNIFF_BYTES of @path, NUL-terminated; NULL when it cannot be read. */
static char *
read_head (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autofree char *buf = g_malloc (SNIFF_BYTES + 1);
  gsize n = 0;

  if (in == NULL || !g_input_stream_read_all (G_INPUT_STREAM (in), buf, SNIFF_BYTES, &n, NULL, NULL))
    return NULL;
  buf[n] = '\0';
  return g_steal_pointer (&buf);
}

static SlLabelFormat
sniff_json (const char *head)
{
  if (strstr (head, "\"FeatureCollection\"") || strstr (head, "\"Feature\""))
    return SL_LABEL_FORMAT_GEOJSON;
  if (strstr (head, "\"shapes\"") && (strstr (head, "\"imagePath\"") || strstr (head, "\"imageHeight\"")))
    return SL_LABEL_FORMAT_LABELME;
  if (strstr (head, "\"images\"") || strstr (head, "\"categories\""))
    return SL_LABEL_FORMAT_COCO;
  return SL_LABEL_FORMAT_UNKNOWN;
}

static gboolean
is_number (const char *token)
{
  char *end = NULL;

  g_ascii_strtod (token, &end);
  return end != token && *end == '\0';
}

/* YOLO "c cx cy w h", YOLO-OBB "c x1 y1 … x4 y4", DOTA "x1 y1 … x4 y4 class [difficult]" with
 * optional "imagesource:" and "gsd:" lines. */
static SlLabelFormat
sniff_txt (const char *head)
{
  g_auto(GStrv) lines = g_strsplit (head, "\n", 64);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) tokens = NULL;
      guint n;

      g_strstrip (lines[i]);
      if (lines[i][0] == '\0')
        continue;
      if (g_str_has_prefix (lines[i], "imagesource:") || g_str_has_prefix (lines[i], "gsd:"))
        return SL_LABEL_FORMAT_DOTA;
      tokens = g_strsplit_set (lines[i], " \t", -1);
      n = 0;
      for (guint k = 0; tokens[k]; k++)
        if (tokens[k][0] != '\0')
          tokens[n++] = tokens[k];
      tokens[n] = NULL;
      if (n == 5 && is_number (tokens[0]))
        return SL_LABEL_FORMAT_YOLO;
      if (n == 9 && is_number (tokens[8]))
        return SL_LABEL_FORMAT_YOLO_OBB;
      if ((n == 9 || n == 10) && !is_number (tokens[8]))
        return SL_LABEL_FORMAT_DOTA;
      return SL_LABEL_FORMAT_UNKNOWN;
    }
  return SL_LABEL_FORMAT_UNKNOWN;
}

/* A folder of YOLO labels: the first label file in it (or in its labels/ folder) tells YOLO
 * from YOLO-OBB. */
static SlLabelFormat
sniff_dir (const char *path)
{
  const char *const places[] = { "", "labels", NULL };

  for (guint p = 0; places[p]; p++)
    {
      g_autofree char *folder = g_build_filename (path, places[p], NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = NULL;
          g_autofree char *head = NULL;
          SlLabelFormat format;

          if (!g_str_has_suffix (name, ".txt") || strcmp (name, "classes.txt") == 0)
            continue;
          file = g_build_filename (folder, name, NULL);
          head = read_head (file);
          format = head ? sniff_txt (head) : SL_LABEL_FORMAT_UNKNOWN;
          if (format == SL_LABEL_FORMAT_YOLO || format == SL_LABEL_FORMAT_YOLO_OBB)
            return format;
        }
    }
  return SL_LABEL_FORMAT_UNKNOWN;
}

SlLabelFormat
sl_label_format_guess (const char *path,
                       gboolean    for_import)
{
  g_autofree char *lower = NULL;
  g_autofree char *head = NULL;

  g_return_val_if_fail (path != NULL, SL_LABEL_FORMAT_UNKNOWN);

  lower = g_ascii_strdown (path, -1);
  if (for_import && g_file_test (path, G_FILE_TEST_IS_DIR))
    return sniff_dir (path);
  for (guint i = 0; i < G_N_ELEMENTS (format_extensions); i++)
    if (g_str_has_suffix (lower, format_extensions[i].extension))
      return format_extensions[i].format;
  if (!for_import || !(g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".txt")))
    return SL_LABEL_FORMAT_UNKNOWN;
  head = read_head (path);
  if (head == NULL)
    return SL_LABEL_FORMAT_UNKNOWN;
  return g_str_has_suffix (lower, ".json") ? sniff_json (head) : sniff_txt (head);
}

void
sl_label_import_report_free (SlLabelImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->warnings, g_ptr_array_unref);
  g_clear_pointer (&report->annotations, g_ptr_array_unref);
  g_free (report);
}

SlLabelRecord *
sl_label_record_new (SlAnnotation *annotation,
                     const char   *class_name,
                     const char   *where)
{
  SlLabelRecord *record = g_new0 (SlLabelRecord, 1);

  record->annotation = annotation;
  record->class_name = g_strdup (class_name);
  record->where = g_strdup (where);
  return record;
}

void
sl_label_record_free (SlLabelRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->annotation, sl_annotation_free);
  g_free (record->class_name);
  g_free (record->date);
  g_free (record->where);
  g_free (record);
}

const SlClass *
sl_label_context_class (SlLabelContext *ctx,
                        gint64          class_id)
{
  for (guint i = 0; ctx->class_list && i < ctx->class_list->len; i++)
    if (((SlClass *) ctx->class_list->pdata[i])->id == class_id)
      return ctx->class_list->pdata[i];
  return NULL;
}

SlScene *
sl_label_context_scene (SlLabelContext *ctx,
                        gint64          scene_id)
{
  for (guint i = 0; ctx->scenes && i < ctx->scenes->len; i++)
    if (sl_scene_get_id (ctx->scenes->pdata[i]) == scene_id)
      return ctx->scenes->pdata[i];
  return NULL;
}

void
sl_label_context_warn (SlLabelContext *ctx,
                       const char     *format,
                       ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (ctx->warnings == NULL || ctx->warnings->len > MAX_WARNINGS)
    return;
  if (ctx->warnings->len == MAX_WARNINGS)
    {
      g_ptr_array_add (ctx->warnings, g_strdup ("… further warnings were left out"));
      return;
    }
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  for (guint i = 0; i < ctx->warnings->len; i++)
    if (strcmp (ctx->warnings->pdata[i], text) == 0)
      return;
  g_ptr_array_add (ctx->warnings, g_steal_pointer (&text));
}

void
_sl_labels_context_clear (SlLabelContext *ctx)
{
  g_clear_pointer (&ctx->class_list, g_ptr_array_unref);
  g_clear_pointer (&ctx->scenes, g_ptr_array_unref);
  g_clear_pointer (&ctx->pixels, sl_scene_pixels_free);
  g_clear_pointer (&ctx->warnings, g_ptr_array_unref);
  ctx->scene = NULL;
}

gboolean
_sl_labels_context_init (SlLabelContext     *ctx,
                         SlAnnotationStore  *store,
                         SlClassSet         *classes,
                         gint64              scene_id,
                         gboolean            pixel,
                         const char         *path,
                         GCancellable       *cancellable,
                         GError            **error)
{
  ctx->store = store;
  ctx->project = sl_annotation_store_get_project (store);
  ctx->classes = classes;
  ctx->cancellable = cancellable;
  ctx->warnings = g_ptr_array_new_with_free_func (g_free);
  if ((ctx->class_list = sl_class_set_list (classes, error)) == NULL ||
      (ctx->scenes = sl_project_list_scenes (ctx->project, error)) == NULL)
    return FALSE;
  if (scene_id > 0)
    {
      g_autofree char *base = g_path_get_basename (path);

      ctx->scene = sl_label_context_scene (ctx, scene_id);
      if (ctx->scene == NULL)
        {
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE, "%s: the project has no scene %" G_GINT64_FORMAT,
                       base, scene_id);
          return FALSE;
        }
      if (pixel && (ctx->pixels = sl_scene_pixels_new (ctx->project, ctx->scene, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

SlLabelFormat
_sl_labels_resolve_format (SlLabelFormat   format,
                           const char     *path,
                           gboolean        for_import,
                           GError        **error)
{
  g_autofree char *base = g_path_get_basename (path);

  if (format == SL_LABEL_FORMAT_UNKNOWN)
    format = sl_label_format_guess (path, for_import);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT,
                   "%s: cannot tell the label format from its name%s: choose one (geojson, gpkg, kml, kmz, "
                   "shapefile, flatgeobuf, coco, yolo, yolo-obb, dota, voc, labelme%s)", base,
                   for_import ? " and content" : "", for_import ? "" : ", counts-csv, counts-json");
      return SL_LABEL_FORMAT_UNKNOWN;
    }
  if (for_import && !sl_label_format_can_import (format))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT, "%s: %s cannot be imported", base,
                   sl_label_format_describe (format));
      return SL_LABEL_FORMAT_UNKNOWN;
    }
  return format;
}

/* ---- export ---------------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Whether @a and @b name the same file (when both exist), or the same path. */
static gboolean
same_file (const char *a, const char *b)
{
  GStatBuf sa, sb;
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  ca = g_canonicalize_filename (a, NULL);
  cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

/* The annotations chosen by @options, scene by scene in date order. */
static GPtrArray *
gather (SlLabelContext *ctx, const SlLabelExportOptions *options, GError **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint s = 0; s < ctx->scenes->len; s++)
    {
      gint64 scene_id = sl_scene_get_id (ctx->scenes->pdata[s]);
      g_autoptr(GPtrArray) some = NULL;

      if (ctx->scene != NULL && ctx->scene != ctx->scenes->pdata[s])
        continue;
      some = sl_annotation_store_query (ctx->store, scene_id, NULL, error);
      if (some == NULL)
        return NULL;
      for (guint i = 0; i < some->len; i++)
        {
          SlAnnotation *a = some->pdata[i];
          gboolean chosen = options->class_ids == NULL;

          for (guint k = 0; !chosen && k < options->class_ids->len; k++)
            chosen = g_array_index (options->class_ids, gint64, k) == a->class_id;
          if (chosen)
            g_ptr_array_add (all, g_steal_pointer (&some->pdata[i]));
        }
    }
  return g_steal_pointer (&all);
}

/* How many annotations the counts table counts (of the chosen classes). */
static gboolean
counted_total (SlAnnotationStore *store, const GArray *class_ids, gssize *total, GError **error)
{
  g_autoptr(SlCountsTable) table = sl_annotation_store_count (store, error);

  if (table == NULL)
    return FALSE;
  *total = 0;
  for (guint k = 0; k < table->class_ids->len; k++)
    {
      gint64 id = g_array_index (table->class_ids, gint64, k);
      gboolean chosen = class_ids == NULL;

      for (guint i = 0; !chosen && i < class_ids->len; i++)
        chosen = g_array_index (class_ids, gint64, i) == id;
      for (guint s = 0; chosen && s < table->scene_ids->len; s++)
        *total += table->counts[(gsize) k * table->scene_ids->len + s];
    }
  return TRUE;
}

/* Moves what the writer left in @tmpdir next to @path: a directory replaces @path (an older
 * one is removed after), files are renamed one by one. */
static gboolean
move_into_place (const char *tmpdir, const char *path, gboolean is_dir, GError **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (is_dir)
    {
      g_autofree char *made = g_build_filename (tmpdir, base, NULL);
      g_autofree char *old = g_build_filename (tmpdir, ".replaced", NULL);
      gboolean had_old = FALSE;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (!g_file_test (path, G_FILE_TEST_IS_DIR))
            {
              g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO,
                           "Cannot write ‘%s’: a file of that name is in the way of the folder", path);
              return FALSE;
            }
          if (g_rename (path, old) != 0)
            {
              int saved = errno;

              g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot replace ‘%s’: %s", path, g_strerror (saved));
              return FALSE;
            }
          had_old = TRUE;
        }
      if (g_rename (made, path) != 0)
        {
          int saved = errno;

          if (had_old)
            g_rename (old, path);
          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot write ‘%s’: %s", path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  dir = g_dir_open (tmpdir, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (tmpdir, name, NULL);
      g_autofree char *to = g_build_filename (folder, name, NULL);

      if (g_rename (from, to) != 0)
        {
          int saved = errno;

          g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot write ‘%s’: %s", to, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

gssize
sl_labels_export (SlAnnotationStore           *store,
                  SlClassSet                  *classes,
                  const char                  *path,
                  const SlLabelExportOptions  *options,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  static const SlLabelExportOptions defaults = { 0 };
  g_auto(SlLabelContext) ctx = { 0 };
  g_autoptr(GPtrArray) annotations = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *tmp_out = NULL;
  g_autofree char *target = NULL;
  const SlLabelFormatIo *io;
  SlLabelFormat format;
  gboolean counts, chips, is_dir, ok;
  gssize written = 0;

  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), -1);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), -1);
  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (options == NULL)
    options = &defaults;
  /* "chips/" names the folder "chips" beside which the temporary one goes. */
  target = g_strdup (path);
  while (strlen (target) > 1 && G_IS_DIR_SEPARATOR (target[strlen (target) - 1]))
    target[strlen (target) - 1] = '\0';
  path = target;
  format = _sl_labels_resolve_format (options->format, path, FALSE, error);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    return -1;
  io = _sl_labels_find_io (format);
  base = g_path_get_basename (path);
  if (io == NULL || io->write == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT, "%s: %s cannot be written", base,
                   sl_label_format_describe (format));
      return -1;
    }
  counts = format == SL_LABEL_FORMAT_COUNTS_CSV || format == SL_LABEL_FORMAT_COUNTS_JSON;
  chips = options->chip_size > 0;
  if (chips && !sl_label_format_is_pixel (format))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT, "%s: chips are cut for pixel formats (COCO, YOLO, "
                   "YOLO-OBB, DOTA, VOC, LabelMe), not %s", base, sl_label_format_describe (format));
      return -1;
    }
  if (chips && (options->chip_overlap < 0 || options->chip_overlap >= options->chip_size))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT, "%s: the chip overlap (%d) must be at least 0 and "
                   "less than the chip size (%d)", base, options->chip_overlap, options->chip_size);
      return -1;
    }
  if (format == SL_LABEL_FORMAT_GPKG && same_file (path, sl_project_get_path (sl_annotation_store_get_project (store))))
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_FORMAT,
                   "%s: that is the project itself: export the annotations to another GeoPackage", base);
      return -1;
    }

  ctx.export_options = options;
  if (!_sl_labels_context_init (&ctx, store, classes, options->scene_id, sl_label_format_is_pixel (format), path,
                     cancellable, error))
    return -1;
  if (chips && ctx.scene == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE, "%s: chips are cut from one scene: choose it", base);
      return -1;
    }

  if (counts)
    {
      annotations = g_ptr_array_new ();
      if (!counted_total (store, options->class_ids, &written, error))
        return -1;
    }
  else
    {
      annotations = gather (&ctx, options, error);
      if (annotations == NULL)
        return -1;
      written = annotations->len;
    }

  folder = g_path_get_dirname (path);
  tmpdir = g_strdup_printf ("%s/.%s.XXXXXX", folder, base);
  if (g_mkdtemp (tmpdir) == NULL)
    {
      int saved = errno;

      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot write ‘%s’: %s", path, g_strerror (saved));
      return -1;
    }
  tmp_out = g_build_filename (tmpdir, base, NULL);
  is_dir = chips || ((format == SL_LABEL_FORMAT_YOLO || format == SL_LABEL_FORMAT_YOLO_OBB) && ctx.scene == NULL);
  if (is_dir && g_mkdir (tmp_out, 0777) != 0)
    {
      int saved = errno;

      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_IO, "Cannot write ‘%s’: %s", path, g_strerror (saved));
      remove_tree (tmpdir);
      return -1;
    }

  if (chips)
    ok = sl_labels_write_chips (&ctx, format, annotations, tmp_out, error);
  else
    ok = io->write (&ctx, annotations, tmp_out, error);
  ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
  ok = ok && move_into_place (tmpdir, path, is_dir, error);
  remove_tree (tmpdir);
  return ok ? written : -1;
}
