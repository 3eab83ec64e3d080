/* sl-cli-project.c — new, add, info and validate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sl-cli-private.h"
#include "sl-project.h"

int
sl_cli_new (int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *crs = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "Site name (default: the file name)", "NAME" },
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs, "Site CRS, e.g. EPSG:32636 (default: the first georeferenced scene's)", "CRS" },
    { NULL }
  };

  if (!sl_cli_parse (sl_cli_find_command ("new"), entries, &argc, &argv, 1, 1, &code))
    return code;

  project = sl_project_create (argv[1], name, &error);
  if (project == NULL)
    return sl_cli_fail (error);
  if (crs && !sl_project_set_crs (project, crs, &error))
    {
      /* A project that could not be made as asked is not left behind. */
      g_autofree char *path = g_strdup (sl_project_get_path (project));
      const char *const suffixes[] = { "", "-wal", "-shm" };

      sl_project_close (project);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
          g_remove (p);
        }
      return sl_cli_fail (error);
    }
  printf ("Created %s\n", sl_project_get_path (project));
  return SL_CLI_OK;
}

static GDateTime *
ask_date (const char *path)
{
  char line[128];

  for (int tries = 0; tries < 3; tries++)
    {
      GDateTime *dt;

      fprintf (stderr, "Acquisition date of ‘%s’ (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC): ", path);
      fflush (stderr);
      if (fgets (line, sizeof line, stdin) == NULL)
        return NULL;
      dt = sl_scene_parse_date (line);
      if (dt)
        return dt;
      fprintf (stderr, "Not a date: %s", line);
    }
  return NULL;
}

int
sl_cli_add (int argc, char **argv)
{
  g_autofree char *date = NULL, *label = NULL, *provider = NULL, *sensor = NULL;
  g_autofree char *credit = NULL, *caption = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) given_date = NULL;
  const SlCliCommand *command = sl_cli_find_command ("add");
  int code;
  const GOptionEntry entries[] = {
    { "date", 'd', 0, G_OPTION_ARG_STRING, &date, "Acquisition date-time in UTC (ISO 8601); default: from the image's metadata", "DATE" },
    { "label", 'l', 0, G_OPTION_ARG_STRING, &label, "Label shown for the scene", "TEXT" },
    { "provider", 'p', 0, G_OPTION_ARG_STRING, &provider, "Imagery provider, e.g. Maxar", "TEXT" },
    { "sensor", 0, 0, G_OPTION_ARG_STRING, &sensor, "Sensor, e.g. WorldView-3", "TEXT" },
    { "credit", 'c', 0, G_OPTION_ARG_STRING, &credit, "Credit line, e.g. “Satellite image ©2022 Maxar Technologies”", "TEXT" },
    { "caption", 0, 0, G_OPTION_ARG_STRING, &caption, "Caption", "TEXT" },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 2, -1, &code))
    return code;
  if (date)
    {
      given_date = sl_scene_parse_date (date);
      if (given_date == NULL)
        return sl_cli_usage_error (command, "‘%s’ is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)", date);
    }
  if ((date || label) && argc > 3)
    return sl_cli_usage_error (command, "--date and --label apply to one image; add images one at a time");

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);

  /* Probe every image before adding any: a bad file leaves the project unchanged. */
  for (int i = 2; i < argc; i++)
    {
      g_autoptr(SlScene) scene = sl_scene_probe (argv[i], &error);

      if (scene == NULL)
        return sl_cli_fail (error);
      if (given_date)
        sl_scene_set_acquired (scene, given_date);
      if (sl_scene_get_acquired (scene) == NULL)
        {
          g_autoptr(GDateTime) asked = sl_cli_interactive () ? ask_date (argv[i]) : NULL;

          if (asked == NULL)
            {
              fprintf (stderr, "sitelapse-cli: Cannot add ‘%s’: it has no acquisition date in its metadata;"
                               " give one with --date\n", argv[i]);
              return SL_CLI_FAILED;
            }
          sl_scene_set_acquired (scene, asked);
        }
      if (label)
        sl_scene_set_label (scene, label);
      if (provider) sl_scene_set_provider (scene, provider);
      if (sensor) sl_scene_set_sensor (scene, sensor);
      if (credit) sl_scene_set_credit (scene, credit);
      if (caption) sl_scene_set_caption (scene, caption);
      g_ptr_array_add (scenes, g_steal_pointer (&scene));
    }

  for (guint i = 0; i < scenes->len; i++)
    {
      g_autoptr(SlScene) stored = sl_project_add_scene (project, scenes->pdata[i], &error);
      g_autofree char *when = NULL;
      g_autofree char *georef = NULL;

      if (stored == NULL)
        return sl_cli_fail (error);
      when = sl_scene_format_acquired (stored);
      georef = sl_scene_describe_georef (stored);
      printf ("Added scene %" G_GINT64_FORMAT ": %s (%s, %s)\n", sl_scene_get_id (stored),
              sl_scene_get_label (stored), when, georef);
    }
  return SL_CLI_OK;
}

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

static void
build_scene_json (JsonBuilder *b, SlScene *scene)
{
  g_autofree char *when = sl_scene_format_acquired (scene);
  double gt[6], nodata;
  const char *georef[] = { "none", "geotransform", "gcps" };

  json_builder_begin_object (b);
  add_int (b, "id", sl_scene_get_id (scene));
  add_string (b, "acquired", when);
  add_string (b, "label", sl_scene_get_label (scene));
  add_string (b, "provider", sl_scene_get_provider (scene));
  add_string (b, "sensor", sl_scene_get_sensor (scene));
  add_string (b, "credit", sl_scene_get_credit (scene));
  add_string (b, "caption", sl_scene_get_caption (scene));
  add_string (b, "source_path", sl_scene_get_source_path (scene));
  add_string (b, "sha256", sl_scene_get_sha256 (scene));
  add_int (b, "file_size", sl_scene_get_file_size (scene));
  add_string (b, "driver", sl_scene_get_driver (scene));
  add_int (b, "width", sl_scene_get_width (scene));
  add_int (b, "height", sl_scene_get_height (scene));
  add_int (b, "bands", sl_scene_get_band_count (scene));
  add_string (b, "data_type", sl_scene_get_data_type (scene));
  json_builder_set_member_name (b, "nodata");
  if (sl_scene_get_nodata (scene, &nodata))
    json_builder_add_double_value (b, nodata);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "has_mask");
  json_builder_add_boolean_value (b, sl_scene_get_has_mask (scene));
  json_builder_set_member_name (b, "has_palette");
  json_builder_add_boolean_value (b, sl_scene_get_has_palette (scene));
  add_string (b, "georef", georef[sl_scene_get_georef (scene)]);
  json_builder_set_member_name (b, "geotransform");
  if (sl_scene_get_geotransform (scene, gt))
    {
      json_builder_begin_array (b);
      for (int i = 0; i < 6; i++)
        json_builder_add_double_value (b, gt[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

int
sl_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autofree char *name = NULL, *crs = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!sl_cli_parse (sl_cli_find_command ("info"), entries, &argc, &argv, 1, 1, &code))
    return code;

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  scenes = sl_project_list_scenes (project, &error);
  if (scenes == NULL)
    return sl_cli_fail (error);
  name = sl_project_dup_name (project);
  crs = sl_project_dup_crs_name (project);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_string (b, "path", sl_project_get_path (project));
      add_string (b, "site", name);
      add_int (b, "srs_id", sl_project_get_srs_id (project));
      add_string (b, "crs", crs);
      add_int (b, "schema_version", sl_project_get_schema_version (project));
      add_int (b, "classes", sl_project_count_classes (project));
      add_int (b, "annotations", sl_project_count_annotations (project));
      json_builder_set_member_name (b, "scenes");
      json_builder_begin_array (b);
      for (guint i = 0; i < scenes->len; i++)
        build_scene_json (b, scenes->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      sl_cli_print_json (b);
      return SL_CLI_OK;
    }

  printf ("Project   %s\nSite      %s\nCRS       %s (srs_id %" G_GINT64_FORMAT ")\n"
          "Classes   %u\nObjects   %u\nScenes    %u\n",
          sl_project_get_path (project), name, crs ? crs : "none", sl_project_get_srs_id (project),
          sl_project_count_classes (project), sl_project_count_annotations (project), scenes->len);
  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = scenes->pdata[i];
      g_autofree char *when = g_date_time_format (sl_scene_get_acquired (scene), "%Y-%m-%d %H:%M UTC");
      g_autofree char *pixels = sl_scene_describe_pixels (scene);
      g_autofree char *georef = sl_scene_describe_georef (scene);

      printf ("  %3" G_GINT64_FORMAT "  %s  %s\n       %s · %s · %s\n       %s\n",
              sl_scene_get_id (scene), when, sl_scene_get_label (scene),
              sl_scene_get_provider (scene) ? sl_scene_get_provider (scene) : "unknown provider",
              pixels, georef, sl_scene_get_source_path (scene));
    }
  return SL_CLI_OK;
}

int
sl_cli_validate (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;
  int code;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!sl_cli_parse (sl_cli_find_command ("validate"), entries, &argc, &argv, 1, 1, &code))
    return code;

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  ok = sl_project_validate (project, problems);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      add_string (b, "path", sl_project_get_path (project));
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        json_builder_add_string_value (b, problems->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      sl_cli_print_json (b);
    }
  else if (ok)
    printf ("%s: valid GeoPackage and Sitelapse project (schema %d)\n",
            sl_project_get_path (project), sl_project_get_schema_version (project));
  else
    {
      fprintf (stderr, "%s: %u problem%s\n", sl_project_get_path (project), problems->len,
               problems->len == 1 ? "" : "s");
      for (guint i = 0; i < problems->len; i++)
        fprintf (stderr, "  - %s\n", (char *) problems->pdata[i]);
    }
  return ok ? SL_CLI_OK : SL_CLI_FAILED;
}
