/* sl-cli-render.c — render: one scene as a pane shows it, to a PNG
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cairo.h>

#include "sl-cli-private.h"
#include "sl-scene-render.h"
#include "sl-tile-cache.h"
#include "sl-viewport.h"

static gboolean
parse_pair (const char *text, char sep, double *a, double *b)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, (char[]) { sep, 0 }, 2) : NULL;
  char *end;

  if (parts == NULL || g_strv_length (parts) != 2)
    return FALSE;
  *a = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0')
    return FALSE;
  *b = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0';
}

static gboolean
parse_color (const char *text, double rgba[4])
{
  unsigned r, g, b, a = 255;
  size_t len = text ? strlen (text) : 0;

  if (len == 0 || g_ascii_strcasecmp (text, "none") == 0 || g_ascii_strcasecmp (text, "transparent") == 0)
    {
      rgba[3] = 0;
      return TRUE;
    }
  if ((len != 7 && len != 9) || text[0] != '#' ||
      sscanf (text + 1, len == 7 ? "%2x%2x%2x" : "%2x%2x%2x%2x", &r, &g, &b, &a) < 3)
    return FALSE;
  rgba[0] = r / 255.0;
  rgba[1] = g / 255.0;
  rgba[2] = b / 255.0;
  rgba[3] = a / 255.0;
  return TRUE;
}

int
sl_cli_render (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("render");
  gint64 scene_id = 0;
  g_autofree char *center = NULL, *size = NULL, *output = NULL, *background = NULL;
  double zoom = 0, scale = 1, cx = 0, cy = 0, w = 1280, h = 800, rgba[4] = { 0 };
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlViewport) viewport = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  SlBounds footprint;
  guint n_failed = 0;
  int code, width, height;
  const GOptionEntry entries[] = {
    { "scene", 's', 0, G_OPTION_ARG_INT64, &scene_id, "The scene to render (see 'info')", "ID" },
    { "center", 0, 0, G_OPTION_ARG_STRING, &center, "Centre of the view in site coordinates (default: the scene's centre)", "X,Y" },
    { "zoom", 'z', 0, G_OPTION_ARG_DOUBLE, &zoom, "Scale: 1 is 100 % (one pixel of the finest imagery per pixel); default: fit the scene", "Z" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Image size in logical pixels (default 1280x800)", "WxH" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "Device pixels per logical pixel, as on a HiDPI screen (default 1)", "N" },
    { "background", 0, 0, G_OPTION_ARG_STRING, &background, "Fill where there is no imagery: #rrggbb[aa] or none (default)", "COLOR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The PNG to write", "FILE" },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 1, 1, &code))
    return code;
  if (output == NULL)
    return sl_cli_usage_error (command, "--output is required");
  if (!g_str_has_suffix (output, ".png") && !g_str_has_suffix (output, ".PNG"))
    return sl_cli_usage_error (command, "‘%s’: render writes PNG files (name it .png)", output);
  if (size && (!parse_pair (size, 'x', &w, &h) || w < 1 || h < 1 || w > 32768 || h > 32768))
    return sl_cli_usage_error (command, "--size takes WIDTHxHEIGHT between 1 and 32768, not ‘%s’", size);
  if (center && !parse_pair (center, ',', &cx, &cy))
    return sl_cli_usage_error (command, "--center takes X,Y in site coordinates, not ‘%s’", center);
  if (zoom < 0 || !(scale >= 0.25 && scale <= 8))
    return sl_cli_usage_error (command, "--zoom must be positive and --scale between 0.25 and 8");
  if (!parse_color (background, rgba))
    return sl_cli_usage_error (command, "--background takes #rrggbb, #rrggbbaa or none, not ‘%s’", background);
  width = (int) w;
  height = (int) h;

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    return sl_cli_fail (error);
  if (scene_id == 0)
    {
      g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, &error);

      if (scenes == NULL)
        return sl_cli_fail (error);
      if (scenes->len == 0)
        {
          fprintf (stderr, "sitelapse-cli: Cannot render ‘%s’: the project has no scenes yet\n", argv[1]);
          return SL_CLI_FAILED;
        }
      scene_id = sl_scene_get_id (scenes->pdata[scenes->len - 1]);
    }
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    return sl_cli_fail (error);
  if (!sl_tile_cache_get_footprint (cache, scene_id, &footprint))
    {
      fprintf (stderr, "sitelapse-cli: ‘%s’ has no scene %" G_GINT64_FORMAT "\n", argv[1], scene_id);
      return SL_CLI_FAILED;
    }

  grid = sl_project_dup_site_grid (project);
  viewport = sl_viewport_new ();
  sl_viewport_set_grid (viewport, grid);
  if (zoom > 0)
    {
      sl_viewport_set_zoom (viewport, zoom);
      sl_viewport_set_center (viewport, center ? cx : (footprint.min_x + footprint.max_x) / 2,
                              center ? cy : (footprint.min_y + footprint.max_y) / 2);
    }
  else
    {
      sl_viewport_fit (viewport, &footprint, width, height, 0);
      if (center)
        sl_viewport_set_center (viewport, cx, cy);
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * scale), (int) (height * scale));
  cr = cairo_create (surface);
  if (rgba[3] > 0)
    {
      cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
      cairo_paint (cr);
    }
  if (!sl_scene_render_view (cache, scene_id, viewport, cr, width, height, scale, &n_failed, &failure, NULL, &error))
    {
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
      return sl_cli_fail (error);
    }
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, output);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      fprintf (stderr, "sitelapse-cli: Cannot write ‘%s’: %s\n", output, cairo_status_to_string (status));
      return SL_CLI_FAILED;
    }

  printf ("Wrote %s (%d × %d, zoom %.3g, centre %.2f, %.2f)\n", output, (int) (width * scale), (int) (height * scale),
          sl_viewport_get_zoom (viewport), sl_viewport_get_center_x (viewport), sl_viewport_get_center_y (viewport));
  if (n_failed > 0)
    {
      fprintf (stderr, "sitelapse-cli: %u tile%s could not be read and are left empty: %s\n",
               n_failed, n_failed == 1 ? "" : "s", failure ? failure : "unknown reason");
      return SL_CLI_FAILED;
    }
  return SL_CLI_OK;
}
