/* sl-cli-register.c — register: a scene against a reference, by tie points or automatically
 *
 * Prints every tie point's residual and the RMS (text or JSON) and, on request, writes a GDAL
 * VRT or a world file that places the scene in the reference's map coordinates. Scenes are
 * named by id, label or acquisition date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sl-cli-private.h"
#include "sl-project.h"
#include "sl-registration.h"
#include "sl-registration-auto.h"

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* A scene by id, by label (case-insensitive), or by date (a day, or an exact date-time). */
static SlScene *
pick_scene (GPtrArray   *scenes,
            const char  *project_path,
            const char  *what,
            GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GString) list = NULL;

  if (all_digits (what))
    {
      gint64 id = g_ascii_strtoll (what, NULL, 10);

      for (guint i = 0; i < scenes->len; i++)
        if (sl_scene_get_id (scenes->pdata[i]) == id)
          return g_object_ref (scenes->pdata[i]);
    }
  for (guint i = 0; i < scenes->len; i++)
    {
      const char *label = sl_scene_get_label (scenes->pdata[i]);

      if (label && (strcmp (label, what) == 0 || g_ascii_strcasecmp (label, what) == 0))
        g_ptr_array_add (found, scenes->pdata[i]);
    }
  if (found->len == 0 && (date = sl_scene_parse_date (what)) != NULL)
    {
      gboolean day_only = strlen (what) <= 10;

      for (guint i = 0; i < scenes->len; i++)
        {
          GDateTime *acquired = sl_scene_get_acquired (scenes->pdata[i]);

          if (acquired && (day_only ? same_day (acquired, date) : g_date_time_equal (acquired, date)))
            g_ptr_array_add (found, scenes->pdata[i]);
        }
    }
  if (found->len == 1)
    return g_object_ref (found->pdata[0]);
  if (found->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "‘%s’ has no scene ‘%s’: name it by id, label or date (see 'sitelapse-cli info')",
                   project_path, what);
      return NULL;
    }
  list = g_string_new (NULL);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT " (%s)", i ? ", " : "",
                            sl_scene_get_id (found->pdata[i]), sl_scene_get_label (found->pdata[i]));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "‘%s’ matches %u scenes of ‘%s’: %s; give its id",
               what, found->len, project_path, list->str);
  return NULL;
}

/* A residual in reference pixels as a length in map units. */
static double
map_length (const double gt[6],
            double       dx,
            double       dy)
{
  return hypot (gt[1] * dx + gt[2] * dy, gt[4] * dx + gt[5] * dy);
}

static void
print_text (SlRegistration                 *reg,
            SlScene                        *scene,
            SlScene                        *reference,
            const double                   *gt,
            const SlRegistrationAutoResult *automatic)
{
  guint n, worst[3], n_worst;
  const SlTiePoint *points = sl_registration_get_points (reg, &n);
  double map_sum = 0;

  printf ("Scene %" G_GINT64_FORMAT " (%s) on reference %" G_GINT64_FORMAT " (%s): %s transform, "
          "%u of %u tie points enabled\n",
          sl_scene_get_id (scene), sl_scene_get_label (scene), sl_scene_get_id (reference),
          sl_scene_get_label (reference), sl_transform_kind_to_string (sl_registration_get_kind (reg)),
          sl_registration_get_n_enabled (reg), n);
  if (automatic)
    printf ("Automatic: rotation %.3f°, scale %.4f, peak ratio %.1f, %u of %u matches agree, mean NCC %.3f\n",
            automatic->rotation_deg, automatic->scale, automatic->peak_ratio, automatic->n_inliers,
            automatic->n_candidates, automatic->mean_ncc);
  printf ("\n%4s %10s %10s %10s %10s %11s %11s%s\n", "#", "image x", "image y", "ref x", "ref y",
          "error (ref)", "error (img)", gt ? "  error (map)" : "");
  for (guint i = 0; i < n; i++)
    {
      SlResidual r;

      sl_registration_get_residual (reg, i, &r);
      printf ("%4u %10.2f %10.2f %10.2f %10.2f %11.3f %11.3f", i + 1, points[i].image_x, points[i].image_y,
              points[i].ref_x, points[i].ref_y, r.ref_error, r.image_error);
      if (gt)
        printf ("  %11.3f", map_length (gt, r.ref_dx, r.ref_dy));
      printf ("%s\n", points[i].enabled ? "" : "  (disabled)");
      if (gt && points[i].enabled)
        map_sum += pow (map_length (gt, r.ref_dx, r.ref_dy), 2);
    }
  printf ("\nRMS: %.3f reference px, %.3f image px", sl_registration_get_rms (reg),
          sl_registration_get_rms_image (reg));
  if (gt && sl_registration_get_n_enabled (reg) > 0)
    printf (", %.3f map units", sqrt (map_sum / sl_registration_get_n_enabled (reg)));
  printf ("\n");
  n_worst = sl_registration_get_worst (reg, 3, worst);
  if (n_worst > 0)
    {
      printf ("Worst:");
      for (guint i = 0; i < n_worst; i++)
        {
          SlResidual r;

          sl_registration_get_residual (reg, worst[i], &r);
          printf ("%s #%u (%.3f image px)", i ? "," : "", worst[i] + 1, r.image_error);
        }
      printf ("\n");
    }
}

static void
print_json (SlRegistration                 *reg,
            SlScene                        *scene,
            SlScene                        *reference,
            const double                   *gt,
            const SlRegistrationAutoResult *automatic)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *stored = sl_registration_to_json (reg);
  g_autoptr(JsonNode) stored_node = json_from_string (stored, NULL);
  guint n, worst[3], n_worst;
  const SlTiePoint *points = sl_registration_get_points (reg, &n);
  SlScene *both[2] = { scene, reference };
  const char *names[2] = { "scene", "reference" };

  json_builder_begin_object (b);
  for (int k = 0; k < 2; k++)
    {
      json_builder_set_member_name (b, names[k]);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, sl_scene_get_id (both[k]));
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, sl_scene_get_label (both[k]));
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "transform");
  json_builder_add_string_value (b, sl_transform_kind_to_string (sl_registration_get_kind (reg)));
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      SlResidual r;

      sl_registration_get_residual (reg, i, &r);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "image_x");
      json_builder_add_double_value (b, points[i].image_x);
      json_builder_set_member_name (b, "image_y");
      json_builder_add_double_value (b, points[i].image_y);
      json_builder_set_member_name (b, "ref_x");
      json_builder_add_double_value (b, points[i].ref_x);
      json_builder_set_member_name (b, "ref_y");
      json_builder_add_double_value (b, points[i].ref_y);
      json_builder_set_member_name (b, "enabled");
      json_builder_add_boolean_value (b, points[i].enabled);
      json_builder_set_member_name (b, "residual_ref");
      json_builder_add_double_value (b, r.ref_error);
      json_builder_set_member_name (b, "residual_image");
      json_builder_add_double_value (b, r.image_error);
      if (gt)
        {
          json_builder_set_member_name (b, "residual_map");
          json_builder_add_double_value (b, map_length (gt, r.ref_dx, r.ref_dy));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rms");
  json_builder_add_double_value (b, sl_registration_get_rms (reg));
  json_builder_set_member_name (b, "rms_image");
  json_builder_add_double_value (b, sl_registration_get_rms_image (reg));
  json_builder_set_member_name (b, "worst");
  json_builder_begin_array (b);
  n_worst = sl_registration_get_worst (reg, 3, worst);
  for (guint i = 0; i < n_worst; i++)
    json_builder_add_int_value (b, worst[i] + 1);
  json_builder_end_array (b);
  if (automatic)
    {
      json_builder_set_member_name (b, "automatic");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "peak_ratio");
      json_builder_add_double_value (b, automatic->peak_ratio);
      json_builder_set_member_name (b, "rotation_deg");
      json_builder_add_double_value (b, automatic->rotation_deg);
      json_builder_set_member_name (b, "scale");
      json_builder_add_double_value (b, automatic->scale);
      json_builder_set_member_name (b, "n_candidates");
      json_builder_add_int_value (b, automatic->n_candidates);
      json_builder_set_member_name (b, "n_inliers");
      json_builder_add_int_value (b, automatic->n_inliers);
      json_builder_set_member_name (b, "mean_ncc");
      json_builder_add_double_value (b, automatic->mean_ncc);
      json_builder_end_object (b);
    }
  /* What a project stores (sl_registration_new_from_json reads it back). */
  json_builder_set_member_name (b, "registration");
  json_builder_add_value (b, g_steal_pointer (&stored_node));
  json_builder_end_object (b);
  sl_cli_print_json (b);
}

int
sl_cli_register (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("register");
  g_autofree char *reference_name = NULL, *points_path = NULL, *transform = NULL;
  g_autofree char *vrt_path = NULL, *world_path = NULL;
  g_autofree char *image_path = NULL, *reference_path = NULL;
  gboolean automatic = FALSE, json = FALSE, apply = FALSE, georeferenced;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autoptr(SlScene) reference = NULL;
  g_autoptr(SlRegistration) reg = NULL;
  g_autoptr(SlRegistrationAutoResult) proposal = NULL;
  g_autoptr(GError) error = NULL;
  SlTransformKind kind = SL_TRANSFORM_AFFINE;
  double gt[6];
  int code;
  const GOptionEntry entries[] = {
    { "reference", 'r', 0, G_OPTION_ARG_STRING, &reference_name, "The scene to register against (id, label or date)", "SCENE" },
    { "points", 'p', 0, G_OPTION_ARG_FILENAME, &points_path, "Tie points: CSV image_x,image_y,ref_x,ref_y[,enabled] in pixels, or a QGIS georeferencer .points file", "FILE" },
    { "auto", 'a', 0, G_OPTION_ARG_NONE, &automatic, "Find the tie points automatically", NULL },
    { "transform", 't', 0, G_OPTION_ARG_STRING, &transform, "similarity, affine (default), projective, poly2, poly3 or tps", "KIND" },
    { "vrt", 0, 0, G_OPTION_ARG_FILENAME, &vrt_path, "Also write a GDAL VRT placing the scene in the reference's map coordinates", "OUT.vrt" },
    { "world-file", 0, 0, G_OPTION_ARG_FILENAME, &world_path, "Also write a world file (.jgw, .tfw, .pgw, .wld; affine transforms only)", "OUT.jgw" },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply, "Store the registration in the project: the scene is placed (and georeferenced) through it, its annotations move with it", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 2, 2, &code))
    return code;
  if (reference_name == NULL)
    return sl_cli_usage_error (command, "--reference SCENE is required");
  if ((points_path != NULL) == automatic)
    return sl_cli_usage_error (command, "give either --points FILE or --auto");
  if (transform && !sl_transform_kind_from_string (transform, &kind))
    return sl_cli_usage_error (command, "unknown transform ‘%s’ (similarity, affine, projective, poly2, poly3, tps)",
                               transform);

  if ((project = sl_project_open (argv[1], &error)) == NULL
      || (scenes = sl_project_list_scenes (project, &error)) == NULL
      || (scene = pick_scene (scenes, argv[1], argv[2], &error)) == NULL
      || (reference = pick_scene (scenes, argv[1], reference_name, &error)) == NULL)
    return sl_cli_fail (error);
  if (sl_scene_get_id (scene) == sl_scene_get_id (reference))
    return sl_cli_usage_error (command, "the scene and its reference are the same scene (%" G_GINT64_FORMAT ")",
                               sl_scene_get_id (scene));
  image_path = sl_project_resolve_source (project, scene);
  reference_path = sl_project_resolve_source (project, reference);
  georeferenced = sl_scene_get_geotransform (reference, gt);

  if (automatic)
    {
      if ((proposal = sl_registration_auto (image_path, reference_path, kind, NULL, &error)) == NULL)
        return sl_cli_fail (error);
      reg = g_object_ref (proposal->registration);
    }
  else
    {
      g_autoptr(GArray) points = sl_tie_points_load (points_path, georeferenced ? gt : NULL, &error);

      if (points == NULL)
        return sl_cli_fail (error);
      reg = sl_registration_solve (kind, (SlTiePoint *) (void *) points->data, points->len,
                                   sl_scene_get_width (scene), sl_scene_get_height (scene), &error);
      if (reg == NULL)
        {
          g_prefix_error (&error, "Cannot register ‘%s’ with ‘%s’: ", image_path, points_path);
          return sl_cli_fail (error);
        }
    }

  if (vrt_path && !sl_registration_export_vrt (reg, image_path, georeferenced ? gt : NULL,
                                               sl_scene_get_crs_wkt (reference), vrt_path, &error))
    return sl_cli_fail (error);
  if (world_path && !sl_registration_export_world_file (reg, georeferenced ? gt : NULL, world_path, &error))
    return sl_cli_fail (error);

  if (json)
    print_json (reg, scene, reference, georeferenced ? gt : NULL, proposal);
  else
    print_text (reg, scene, reference, georeferenced ? gt : NULL, proposal);
  if (apply)
    {
      /* Printed first: the residuals tell what is being stored, also when it is refused. */
      if (!sl_project_register_scene (project, sl_scene_get_id (scene), sl_scene_get_id (reference), reg, &error))
        return sl_cli_fail (error);
      if (!json)
        printf ("Registered ‘%s’ on ‘%s’ in %s\n", sl_scene_get_label (scene), sl_scene_get_label (reference),
                argv[1]);
    }
  if (!json && (vrt_path || world_path))
    printf ("Wrote%s%s%s%s\n", vrt_path ? " " : "", vrt_path ? vrt_path : "", world_path ? " " : "",
            world_path ? world_path : "");
  return SL_CLI_OK;
}
