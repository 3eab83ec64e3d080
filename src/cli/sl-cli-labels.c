/* sl-cli-labels.c — import and export: annotations in and out of a project, in GIS and
 * machine-learning label formats (see sl-labels.h)
 *
 * Scenes are named by id, label or acquisition date (a day that has one scene); classes by
 * name or key. A class map is a CSV of "name,class" lines (a "name,class" header is skipped)
 * or a JSON object {"name in the file": "project class", …}.
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

/* The scene @text names: an id, a label (ignoring case) or a date with one scene that day. */
static gint64
find_scene (SlProject *project, const char *text, GError **error)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, error);
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GString) all = g_string_new (NULL);
  char *end = NULL;
  gint64 id;

  if (scenes == NULL)
    return 0;
  id = g_ascii_strtoll (text, &end, 10);
  if (end != text && *end == '\0')
    for (guint i = 0; i < scenes->len; i++)
      if (sl_scene_get_id (scenes->pdata[i]) == id)
        return id;
  for (guint i = 0; i < scenes->len; i++)
    {
      const char *label = sl_scene_get_label (scenes->pdata[i]);

      if (label && g_utf8_collate (label, text) == 0)
        return sl_scene_get_id (scenes->pdata[i]);
    }
  when = sl_scene_parse_date (text);
  if (when != NULL)
    {
      g_autofree char *day = g_date_time_format (when, "%Y-%m-%d");
      gint64 found = 0;
      guint n = 0;

      for (guint i = 0; i < scenes->len; i++)
        {
          g_autofree char *d = g_date_time_format (sl_scene_get_acquired (scenes->pdata[i]), "%Y-%m-%d");

          if (strcmp (d, day) == 0)
            {
              found = sl_scene_get_id (scenes->pdata[i]);
              n++;
            }
        }
      if (n == 1)
        return found;
      if (n > 1)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "‘%s’ has %u scenes on %s: name one by its id (see ‘sitelapse-cli info’)",
                       sl_project_get_path (project), n, day);
          return 0;
        }
    }
  for (guint i = 0; i < scenes->len; i++)
    {
      g_autofree char *d = sl_scene_format_acquired (scenes->pdata[i]);
      const char *label = sl_scene_get_label (scenes->pdata[i]);

      g_string_append_printf (all, "%s%" G_GINT64_FORMAT " (%s%s%s)", i ? ", " : "", sl_scene_get_id (scenes->pdata[i]),
                              label ? label : "", label ? ", " : "", d ? d : "no date");
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "‘%s’ has no scene ‘%s’ (its scenes: %s)",
               sl_project_get_path (project), text, all->len ? all->str : "none");
  return 0;
}

/* One CSV field starting at *p (quotes doubled inside quotes); moves past the comma. */
static char *
csv_field (const char **p)
{
  GString *field = g_string_new (NULL);
  const char *s = *p;

  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '"')
    {
      for (s++; *s; s++)
        {
          if (*s == '"' && s[1] == '"')
            g_string_append_c (field, *s++);
          else if (*s == '"')
            {
              s++;
              break;
            }
          else
            g_string_append_c (field, *s);
        }
      while (*s && *s != ',')
        s++;
    }
  else
    {
      while (*s && *s != ',')
        g_string_append_c (field, *s++);
    }
  if (*s == ',')
    s++;
  *p = s;
  return g_strstrip (g_string_free (field, FALSE));
}

static GHashTable *
load_class_map (const char *path, GError **error)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *text = NULL;
  g_autofree char *base = g_path_get_basename (path);
  const char *start;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  for (start = text; g_ascii_isspace (*start); start++)
    ;
  if (*start == '{')
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;
      g_autoptr(GList) members = NULL;

      if (!json_parser_load_from_data (parser, text, -1, error))
        {
          g_prefix_error (error, "%s: ", base);
          return NULL;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (object);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: the value of ‘%s’ is not a class name",
                           base, (const char *) l->data);
              return NULL;
            }
          g_hash_table_insert (map, g_strdup (l->data), g_strdup (json_node_get_string (value)));
        }
      return g_steal_pointer (&map);
    }
  else
    {
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        {
          const char *p = lines[i];
          g_autofree char *name = NULL;
          g_autofree char *klass = NULL;

          g_strstrip (lines[i]);
          if (lines[i][0] == '\0' || lines[i][0] == '#')
            continue;
          name = csv_field (&p);
          klass = csv_field (&p);
          if (i == 0 && g_ascii_strcasecmp (name, "name") == 0 && g_ascii_strcasecmp (klass, "class") == 0)
            continue;
          if (*name == '\0' || *klass == '\0' || *p != '\0')
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s line %u: expected “name in the file,project class”", base, i + 1);
              return NULL;
            }
          g_hash_table_insert (map, g_steal_pointer (&name), g_steal_pointer (&klass));
        }
    }
  return g_steal_pointer (&map);
}

static SlLabelFormat
parse_format (const SlCliCommand *command, const char *name, int *code)
{
  SlLabelFormat format;

  if (name == NULL)
    return SL_LABEL_FORMAT_UNKNOWN;
  format = sl_label_format_from_string (name);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    *code = sl_cli_usage_error (command, "unknown format ‘%s’ (geojson, gpkg, kml, kmz, shapefile, flatgeobuf, coco, "
                                "yolo, yolo-obb, dota, voc, labelme, counts-csv, counts-json)", name);
  return format;
}

static void
note_pixel_space (SlProject *project, SlLabelFormat format)
{
  gboolean gis = format >= SL_LABEL_FORMAT_GEOJSON && format <= SL_LABEL_FORMAT_FLATGEOBUF;

  if (gis && sl_project_get_srs_id (project) <= 0)
    fprintf (stderr, "sitelapse-cli: note: the site has no CRS (its scenes are not georeferenced): coordinates are "
                     "site pixels (x = column, y = −row), with no CRS\n");
}

int
sl_cli_import (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("import");
  g_autofree char *format_name = NULL;
  g_autofree char *scene = NULL;
  g_autofree char *class_map = NULL;
  g_autofree char *class_field = NULL;
  g_autofree char *date_field = NULL;
  gboolean create_classes = FALSE, json = FALSE;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(SlLabelImportReport) report = NULL;
  g_autoptr(GHashTable) map = NULL;
  g_autoptr(GError) error = NULL;
  SlLabelImportOptions options = { 0 };
  int code = SL_CLI_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "The file's format (default: from its name and content)", "F" },
    { "scene", 's', 0, G_OPTION_ARG_STRING, &scene, "The scene: required for pixel formats; for GIS files, the "
      "scene of objects whose date matches none", "ID|LABEL|DATE" },
    { "class-map", 0, 0, G_OPTION_ARG_FILENAME, &class_map, "Map the file's class names to project classes "
      "(CSV “name,class” or a JSON object)", "FILE" },
    { "create-classes", 0, 0, G_OPTION_ARG_NONE, &create_classes, "Add classes the project does not have", NULL },
    { "class-field", 0, 0, G_OPTION_ARG_STRING, &class_field, "GIS: the attribute holding the class (default: "
      "class, class_name, label, category, type)", "F" },
    { "date-field", 0, 0, G_OPTION_ARG_STRING, &date_field, "GIS: the attribute holding the date (default: "
      "acquired, date)", "F" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print {imported, classes_created, warnings} as JSON", NULL },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 2, 2, &code))
    return code;
  options.format = parse_format (command, format_name, &code);
  if (code != SL_CLI_OK)
    return code;

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  if (scene && (options.scene_id = find_scene (project, scene, &error)) == 0)
    return sl_cli_fail (error);
  if (class_map && (map = load_class_map (class_map, &error)) == NULL)
    return sl_cli_fail (error);

  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  options.class_map = map;
  options.create_classes = create_classes;
  options.class_field = class_field;
  options.date_field = date_field;
  report = sl_labels_import (store, classes, argv[2], &options, NULL, &error);
  if (report == NULL)
    return sl_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "imported");
      json_builder_add_int_value (b, report->n_imported);
      json_builder_set_member_name (b, "classes_created");
      json_builder_add_int_value (b, report->n_classes_created);
      json_builder_set_member_name (b, "warnings");
      json_builder_begin_array (b);
      for (guint i = 0; i < report->warnings->len; i++)
        json_builder_add_string_value (b, report->warnings->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      sl_cli_print_json (b);
      return SL_CLI_OK;
    }
  for (guint i = 0; i < report->warnings->len; i++)
    fprintf (stderr, "sitelapse-cli: warning: %s\n", (const char *) report->warnings->pdata[i]);
  printf ("Imported %u annotation%s from ‘%s’", report->n_imported, report->n_imported == 1 ? "" : "s", argv[2]);
  if (report->n_classes_created > 0)
    printf (" (%u new class%s)", report->n_classes_created, report->n_classes_created == 1 ? "" : "es");
  printf ("\n");
  return SL_CLI_OK;
}

/* Class names or keys (repeated, or comma-separated) → ids. */
static GArray *
find_classes (SlClassSet *classes, char **names, GError **error)
{
  g_autoptr(GPtrArray) list = sl_class_set_list (classes, error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (list == NULL)
    return NULL;
  for (guint i = 0; names[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (names[i], ",", -1);

      for (guint k = 0; parts[k]; k++)
        {
          const SlClass *found = NULL;

          g_strstrip (parts[k]);
          if (parts[k][0] == '\0')
            continue;
          for (guint c = 0; c < list->len && found == NULL; c++)
            {
              const SlClass *klass = list->pdata[c];

              if (g_ascii_strcasecmp (klass->key, parts[k]) == 0 || g_utf8_collate (klass->name, parts[k]) == 0 ||
                  g_ascii_strcasecmp (klass->name, parts[k]) == 0)
                found = klass;
            }
          if (found == NULL)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "The project has no class ‘%s’", parts[k]);
              return NULL;
            }
          g_array_append_val (ids, found->id);
        }
    }
  return g_steal_pointer (&ids);
}

int
sl_cli_export (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("export");
  g_autofree char *format_name = NULL;
  g_autofree char *scene = NULL;
  g_autofree char *crs = NULL;
  g_auto(GStrv) class_names = NULL;
  gboolean all = FALSE, skip_empty = FALSE;
  int chip_size = 0, chip_overlap = 0;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlAnnotationStore) store = NULL;
  g_autoptr(SlClassSet) classes = NULL;
  g_autoptr(GArray) class_ids = NULL;
  g_autoptr(GError) error = NULL;
  SlLabelExportOptions options = { 0 };
  SlLabelFormat format;
  gssize n;
  int code = SL_CLI_OK;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, "The output format (default: from the name)", "F" },
    { "scene", 's', 0, G_OPTION_ARG_STRING, &scene, "Only this scene (required for pixel formats of one image)",
      "ID|LABEL|DATE" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, "Every date (the default)", NULL },
    { "class", 'c', 0, G_OPTION_ARG_STRING_ARRAY, &class_names, "Only these classes (name or key; repeat or "
      "separate with commas)", "C" },
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs, "GIS: the output CRS (default: WGS 84 for GeoJSON and KML, the "
      "site CRS otherwise)", "CRS" },
    { "chip-size", 0, 0, G_OPTION_ARG_INT, &chip_size, "Pixel formats: cut the scene into chips this many pixels "
      "a side (OUT is then a folder)", "N" },
    { "chip-overlap", 0, 0, G_OPTION_ARG_INT, &chip_overlap, "Pixels shared by neighbouring chips", "N" },
    { "skip-empty-chips", 0, 0, G_OPTION_ARG_NONE, &skip_empty, "Do not write chips without labels", NULL },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 2, 2, &code))
    return code;
  format = parse_format (command, format_name, &code);
  if (code != SL_CLI_OK)
    return code;
  if (scene && all)
    return sl_cli_usage_error (command, "--scene and --all cannot be used together");
  if (chip_size < 0 || chip_overlap < 0 || (chip_overlap > 0 && chip_size == 0))
    return sl_cli_usage_error (command, "--chip-overlap needs --chip-size, and both are positive");

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  store = sl_annotation_store_new (project);
  classes = sl_class_set_new (project);
  if (scene && (options.scene_id = find_scene (project, scene, &error)) == 0)
    return sl_cli_fail (error);
  if (class_names && (class_ids = find_classes (classes, class_names, &error)) == NULL)
    return sl_cli_fail (error);

  options.format = format;
  options.class_ids = class_ids;
  options.crs = crs;
  options.chip_size = chip_size;
  options.chip_overlap = chip_overlap;
  options.chip_skip_empty = skip_empty;
  n = sl_labels_export (store, classes, argv[2], &options, NULL, &error);
  if (n < 0)
    return sl_cli_fail (error);
  if (format == SL_LABEL_FORMAT_UNKNOWN)
    format = sl_label_format_guess (argv[2], FALSE);
  note_pixel_space (project, format);
  if (format == SL_LABEL_FORMAT_COUNTS_CSV || format == SL_LABEL_FORMAT_COUNTS_JSON)
    printf ("Wrote the counts of %" G_GSSIZE_FORMAT " annotation%s to ‘%s’ (%s)\n", n, n == 1 ? "" : "s", argv[2],
            sl_label_format_describe (format));
  else
    printf ("Wrote %" G_GSSIZE_FORMAT " annotation%s to ‘%s’ (%s)\n", n, n == 1 ? "" : "s", argv[2],
            sl_label_format_describe (format));
  return SL_CLI_OK;
}
