/* sl-cli-render.c — render: a publication graphic of the comparison, through the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sl-cli-private.h"
#include "sl-composer.h"
#include "sl-export-presets.h"
#include "sl-tile-cache.h"
#include "sl-viewport.h"

typedef struct
{
  gint64    scene_id;
  char     *layout, *dates, *area, *center, *size, *size_mm, *background, *output;
  char     *title, *caption, *credit, *theme, *font, *date_format, *date_corner;
  char     *divider_colour, *animation, *preset, *save_preset;
  double    zoom, scale, dpi, divider;
  int       margin, quality, frame_ms, frames;
  gboolean  no_scale_bar, no_north_arrow, annotations, no_annotations, horizontal, no_dates;
} Options;

static void
options_clear (Options *o)
{
  char **strings[] = { &o->layout, &o->dates, &o->area, &o->center, &o->size, &o->size_mm, &o->background,
                       &o->output, &o->title, &o->caption, &o->credit, &o->theme, &o->font, &o->date_format,
                       &o->date_corner, &o->divider_colour, &o->animation, &o->preset, &o->save_preset };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
}

static gboolean
parse_numbers (const char *text, const char *separators, double *values, guint n)
{
  g_auto(GStrv) parts = text ? g_strsplit_set (text, separators, -1) : NULL;

  if (parts == NULL || g_strv_length (parts) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      char *end;

      values[i] = g_ascii_strtod (g_strstrip (parts[i]), &end);
      if (end == parts[i] || *end != '\0' || !isfinite (values[i]))
        return FALSE;
    }
  return TRUE;
}

/* A scene by id, label (ignoring case) or date (2022-02-06, or its start). */
static gint64
find_scene (GPtrArray *scenes, const char *text)
{
  char *end;
  gint64 id = g_ascii_strtoll (text, &end, 10);

  for (guint i = 0; *end == '\0' && i < scenes->len; i++)
    if (sl_scene_get_id (scenes->pdata[i]) == id)
      return id;
  for (guint i = 0; i < scenes->len; i++)
    {
      const char *label = sl_scene_get_label (scenes->pdata[i]);

      if (label && g_utf8_collate (label, text) == 0)
        return sl_scene_get_id (scenes->pdata[i]);
    }
  for (guint i = 0; i < scenes->len; i++)
    {
      g_autofree char *date = sl_scene_format_acquired (scenes->pdata[i]);

      if (date && *text && g_str_has_prefix (date, text))
        return sl_scene_get_id (scenes->pdata[i]);
    }
  return 0;
}

/* Without --dates: the latest dates that are shown in comparisons and placed on the site. */
static void
default_scenes (GPtrArray *scenes, SlComposition *c)
{
  gint64 ids[SL_COMPOSITION_MAX_SCENES];
  guint n = 0, want = c->layout == SL_LAYOUT_SINGLE ? 1 : c->layout == SL_LAYOUT_GRID ? 4 : 2;

  for (guint i = scenes->len; i > 0 && n < want; i--)
    if (sl_scene_get_visible (scenes->pdata[i - 1]) && sl_scene_is_registered (scenes->pdata[i - 1]))
      ids[n++] = sl_scene_get_id (scenes->pdata[i - 1]);
  for (guint i = 0; i < n / 2; i++)
    {
      gint64 t = ids[i];

      ids[i] = ids[n - 1 - i];
      ids[n - 1 - i] = t;
    }
  sl_composition_set_scenes (c, ids, n);
}

/* Applies the options given on the command line over @c (the defaults or a preset). */
static int
apply_options (const SlCliCommand *command, Options *o, gboolean legacy, SlProject *project,
               SlTileCache *cache, GPtrArray *scenes, SlComposition *c)
{
  double v[4];

  if (o->layout && !sl_layout_from_string (o->layout, &c->layout))
    return sl_cli_usage_error (command, "--layout takes swipe, side-by-side, stacked, grid or single, not ‘%s’", o->layout);
  if (o->scene_id > 0)
    {
      c->layout = o->layout ? c->layout : SL_LAYOUT_SINGLE;
      sl_composition_set_scenes (c, &o->scene_id, 1);
    }
  if (o->dates)
    {
      g_auto(GStrv) parts = g_strsplit (o->dates, ",", -1);
      gint64 ids[SL_COMPOSITION_MAX_SCENES];
      guint n = 0;

      for (guint i = 0; parts[i]; i++)
        {
          const char *t = g_strstrip (parts[i]);

          if (n == SL_COMPOSITION_MAX_SCENES)
            return sl_cli_usage_error (command, "--dates takes at most %d dates", SL_COMPOSITION_MAX_SCENES);
          ids[n] = find_scene (scenes, t);
          if (ids[n] == 0)
            {
              fprintf (stderr, "sitelapse-cli: ‘%s’ matches no scene of ‘%s’: give a date (2022-02-06), "
                       "a label or an id (see 'info')\n", t, sl_project_get_path (project));
              return SL_CLI_FAILED;
            }
          n++;
        }
      sl_composition_set_scenes (c, ids, n);
    }
  if (c->n_scenes == 0 && legacy)
    {
      gint64 latest = scenes->len ? sl_scene_get_id (scenes->pdata[scenes->len - 1]) : 0;

      sl_composition_set_scenes (c, &latest, latest ? 1 : 0);
    }
  else if (c->n_scenes == 0)
    default_scenes (scenes, c);

  if (o->size)
    {
      if (!parse_numbers (o->size, "xX", v, 2) || v[0] < 1 || v[1] < 1 || v[0] > 32768 || v[1] > 32768)
        return sl_cli_usage_error (command, "--size takes WIDTHxHEIGHT between 1 and 32768, not ‘%s’", o->size);
      c->width = (int) (v[0] * o->scale);
      c->height = (int) (v[1] * o->scale);
      c->width_mm = c->height_mm = 0;
    }
  if (o->size_mm)
    {
      if (!parse_numbers (o->size_mm, "xX", v, 2) || !(v[0] > 0 && v[1] > 0 && v[0] < 10000 && v[1] < 10000))
        return sl_cli_usage_error (command, "--size-mm takes WIDTHxHEIGHT in millimetres, not ‘%s’", o->size_mm);
      c->width_mm = v[0];
      c->height_mm = v[1];
    }
  if (o->dpi > 0)
    c->dpi = o->dpi;
  if (o->area)
    {
      if (!parse_numbers (o->area, ",", v, 4) || v[2] <= v[0] || v[3] <= v[1])
        return sl_cli_usage_error (command, "--area takes MINX,MINY,MAXX,MAXY in site coordinates, not ‘%s’", o->area);
      c->area = SL_AREA_BOUNDS;
      c->bounds = (SlBounds) { v[0], v[1], v[2], v[3] };
    }
  else if (legacy && c->n_scenes == 1)
    {
      /* Today's render: the scene fills the image. */
      c->area = SL_AREA_BOUNDS;
      if (!sl_tile_cache_get_footprint (cache, c->scene_ids[0], &c->bounds))
        {
          fprintf (stderr, "sitelapse-cli: ‘%s’ has no scene %" G_GINT64_FORMAT "\n",
                   sl_project_get_path (project), c->scene_ids[0]);
          return SL_CLI_FAILED;
        }
    }
  if (o->center || o->zoom > 0)
    {
      SlBounds area = c->bounds;

      if (c->area == SL_AREA_SITE)
        for (guint i = 0; i < c->n_scenes; i++)
          {
            SlBounds f;

            if (sl_tile_cache_get_footprint (cache, c->scene_ids[i], &f))
              area = i == 0 ? f : (SlBounds) { MIN (area.min_x, f.min_x), MIN (area.min_y, f.min_y),
                                               MAX (area.max_x, f.max_x), MAX (area.max_y, f.max_y) };
          }
      c->center_x = (area.min_x + area.max_x) / 2;
      c->center_y = (area.min_y + area.max_y) / 2;
      if (o->center && !parse_numbers (o->center, ",", v, 2))
        return sl_cli_usage_error (command, "--center takes X,Y in site coordinates, not ‘%s’", o->center);
      if (o->center)
        {
          c->center_x = v[0];
          c->center_y = v[1];
        }
      c->resolution = 0;
      if (o->zoom > 0)
        {
          g_autoptr(SlViewport) viewport = sl_viewport_new ();

          /* Zoom is the pane's: 1 is one pixel of the finest imagery per logical pixel. */
          sl_viewport_set_grid (viewport, sl_tile_cache_get_grid (cache));
          sl_viewport_set_zoom (viewport, o->zoom);
          c->resolution = sl_viewport_get_resolution (viewport) / o->scale;
        }
      c->area = SL_AREA_VIEW;
    }

  if (o->divider >= 0)
    c->divider = CLAMP (o->divider, 0, 1);
  if (o->horizontal)
    c->horizontal = TRUE;
  if (o->divider_colour)
    sl_composition_set_string (c, &c->divider_colour, o->divider_colour);
  if (o->title)
    sl_composition_set_string (c, &c->title, o->title);
  if (o->caption)
    sl_composition_set_string (c, &c->caption, o->caption);
  if (o->credit)
    sl_composition_set_string (c, &c->credit, o->credit);
  if (o->font)
    sl_composition_set_string (c, &c->font_family, o->font);
  if (o->date_format)
    sl_composition_set_string (c, &c->date_format, o->date_format);
  if (o->background)
    sl_composition_set_string (c, &c->background, o->background);
  if (o->theme)
    {
      if (g_strcmp0 (o->theme, "light") != 0 && g_strcmp0 (o->theme, "dark") != 0)
        return sl_cli_usage_error (command, "--theme takes light or dark, not ‘%s’", o->theme);
      c->theme = g_str_equal (o->theme, "dark") ? SL_THEME_DARK : SL_THEME_LIGHT;
    }
  if (o->date_corner)
    {
      const char *corners[] = { "top-left", "top-right", "bottom-left", "bottom-right" };
      int found = -1;

      for (guint i = 0; i < G_N_ELEMENTS (corners); i++)
        if (g_str_equal (o->date_corner, corners[i]))
          found = i;
      if (found < 0)
        return sl_cli_usage_error (command, "--date-corner takes top-left, top-right, bottom-left or bottom-right");
      c->date_corner = found;
    }
  if (o->animation)
    {
      if (g_strcmp0 (o->animation, "timelapse") != 0 && g_strcmp0 (o->animation, "sweep") != 0)
        return sl_cli_usage_error (command, "--animation takes timelapse or sweep, not ‘%s’", o->animation);
      c->animation = g_str_equal (o->animation, "sweep") ? SL_ANIMATION_SWEEP : SL_ANIMATION_TIMELAPSE;
    }
  if (o->frame_ms > 0)
    c->frame_ms = o->frame_ms;
  if (o->frames > 0)
    c->sweep_frames = o->frames;
  if (o->margin >= 0)
    c->margin = o->margin;
  if (o->quality > 0)
    c->jpeg_quality = CLAMP (o->quality, 1, 100);
  if (o->no_scale_bar)
    c->scale_bar = FALSE;
  if (o->no_north_arrow)
    c->north_arrow = FALSE;
  if (o->no_dates)
    c->show_dates = FALSE;
  if (o->annotations)
    c->annotations = TRUE;
  if (o->no_annotations)
    c->annotations = FALSE;
  return -1;
}

int
sl_cli_render (int argc, char **argv)
{
  const SlCliCommand *command = sl_cli_find_command ("render");
  Options o = { .scale = 1, .divider = -1, .margin = -1 };
  g_autoptr(SlComposition) composition = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  SlExportFormat format = SL_EXPORT_PNG;
  gboolean legacy;
  int code, width, height;
  const GOptionEntry entries[] = {
    { "layout", 'l', 0, G_OPTION_ARG_STRING, &o.layout, "swipe, side-by-side, stacked, grid or single (default: single with --scene, else swipe)", "LAYOUT" },
    { "dates", 'd', 0, G_OPTION_ARG_STRING, &o.dates, "The scenes, by date (2022-02-06), label or id, comma-separated (default: the latest)", "A,B,…" },
    { "scene", 's', 0, G_OPTION_ARG_INT64, &o.scene_id, "One scene to render by id (see 'info'): the single layout", "ID" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &o.area, "The area to show, in site coordinates (default: the scenes' extent)", "MINX,MINY,MAXX,MAXY" },
    { "center", 0, 0, G_OPTION_ARG_STRING, &o.center, "Centre of the view in site coordinates", "X,Y" },
    { "zoom", 'z', 0, G_OPTION_ARG_DOUBLE, &o.zoom, "Scale: 1 is 100 % (one pixel of the finest imagery per pixel); default: fit", "Z" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &o.size, "Image size in pixels (default 1280x800 for one scene, else 1600x1200)", "WxH" },
    { "size-mm", 0, 0, G_OPTION_ARG_STRING, &o.size_mm, "Print size in millimetres (with --dpi)", "WxH" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &o.dpi, "Dots per inch of a print size (default 300)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &o.scale, "Device pixels per pixel of --size, as on a HiDPI screen (default 1)", "N" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &o.title, "A title above the imagery", "TEXT" },
    { "caption", 0, 0, G_OPTION_ARG_STRING, &o.caption, "A caption below the imagery", "TEXT" },
    { "credit", 0, 0, G_OPTION_ARG_STRING, &o.credit, "The credit line (default: the scenes' credits; \"\" for none)", "TEXT" },
    { "date-format", 0, 0, G_OPTION_ARG_STRING, &o.date_format, "Date labels, strftime-like (default %-d %B %Y)", "FORMAT" },
    { "date-corner", 0, 0, G_OPTION_ARG_STRING, &o.date_corner, "top-left (default), top-right, bottom-left or bottom-right", "CORNER" },
    { "no-dates", 0, 0, G_OPTION_ARG_NONE, &o.no_dates, "No date labels", NULL },
    { "no-scale-bar", 0, 0, G_OPTION_ARG_NONE, &o.no_scale_bar, "No scale bar", NULL },
    { "no-north-arrow", 0, 0, G_OPTION_ARG_NONE, &o.no_north_arrow, "No north arrow", NULL },
    { "annotations", 0, 0, G_OPTION_ARG_NONE, &o.annotations, "Draw the annotations (default)", NULL },
    { "no-annotations", 0, 0, G_OPTION_ARG_NONE, &o.no_annotations, "Leave the annotations out", NULL },
    { "divider", 0, 0, G_OPTION_ARG_DOUBLE, &o.divider, "Swipe: the divider, 0–1 (default 0.5)", "F" },
    { "horizontal", 0, 0, G_OPTION_ARG_NONE, &o.horizontal, "Swipe: a horizontal divider (A above)", NULL },
    { "divider-colour", 0, 0, G_OPTION_ARG_STRING, &o.divider_colour, "Swipe: the divider's colour (default white)", "#RRGGBB" },
    { "margin", 0, 0, G_OPTION_ARG_INT, &o.margin, "Margin around and between panels in pixels (default: automatic)", "PX" },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &o.theme, "light (default) or dark", "THEME" },
    { "background", 0, 0, G_OPTION_ARG_STRING, &o.background, "Fill: #rrggbb[aa] or none (default: the theme's; none for a plain --scene render)", "COLOR" },
    { "font", 0, 0, G_OPTION_ARG_STRING, &o.font, "Font family of the texts (default Sans)", "FAMILY" },
    { "quality", 'q', 0, G_OPTION_ARG_INT, &o.quality, "JPEG quality 1–100 (default 90)", "Q" },
    { "animation", 0, 0, G_OPTION_ARG_STRING, &o.animation, "WebP/GIF: timelapse (one frame a date, default) or sweep", "KIND" },
    { "frame-ms", 0, 0, G_OPTION_ARG_INT, &o.frame_ms, "WebP/GIF: milliseconds a frame", "MS" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &o.frames, "Sweep: number of frames (default 48)", "N" },
    { "preset", 'p', 0, G_OPTION_ARG_STRING, &o.preset, "Start from a preset saved in the project", "NAME" },
    { "save-preset", 0, 0, G_OPTION_ARG_STRING, &o.save_preset, "Save these settings in the project as a preset", "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, "The file to write: .png, .jpg, .pdf, .svg, .html, .webp or .gif", "FILE" },
    { NULL }
  };

  if (!sl_cli_parse (command, entries, &argc, &argv, 1, 1, &code))
    {
      options_clear (&o);
      return code;
    }
  code = -1;
  if (o.output == NULL && o.save_preset == NULL)
    code = sl_cli_usage_error (command, "--output is required");
  else if (o.output && !sl_export_format_from_path (o.output, &format))
    code = sl_cli_usage_error (command, "‘%s’: render writes .png, .jpg, .pdf, .svg, .html, .webp or .gif files", o.output);
  else if (!(o.scale >= 0.25 && o.scale <= 8) || o.zoom < 0)
    code = sl_cli_usage_error (command, "--zoom must be positive and --scale between 0.25 and 8");
  if (code >= 0)
    {
      options_clear (&o);
      return code;
    }
  /* Today's plain render of one scene: the imagery alone, as a pane shows it. */
  legacy = o.layout == NULL && o.dates == NULL && o.preset == NULL;

  project = sl_project_open (argv[1], &error);
  if (project == NULL)
    goto fail;
  scenes = sl_project_list_scenes (project, &error);
  if (scenes == NULL)
    goto fail;
  if (scenes->len == 0)
    {
      fprintf (stderr, "sitelapse-cli: Cannot render ‘%s’: the project has no scenes yet\n", argv[1]);
      options_clear (&o);
      return SL_CLI_FAILED;
    }
  cache = sl_tile_cache_new (project, 0, 0, &error);
  if (cache == NULL)
    goto fail;

  if (o.preset)
    {
      composition = sl_export_presets_get (project, o.preset, &error);
      if (composition == NULL)
        goto fail;
    }
  else
    {
      composition = sl_composition_new ();
      if (legacy)
        {
          composition->layout = SL_LAYOUT_SINGLE;
          composition->width = (int) (1280 * o.scale);
          composition->height = (int) (800 * o.scale);
          composition->show_dates = composition->scale_bar = composition->north_arrow = FALSE;
          composition->annotations = FALSE;
          composition->margin = 0;
          sl_composition_set_string (composition, &composition->credit, "");
          sl_composition_set_string (composition, &composition->background, "none");
        }
    }
  code = apply_options (command, &o, legacy, project, cache, scenes, composition);
  if (code >= 0)
    {
      options_clear (&o);
      return code;
    }

  if (o.save_preset)
    {
      if (!sl_export_presets_save (project, o.save_preset, composition, &error))
        goto fail;
      printf ("Saved the preset ‘%s’ in %s\n", o.save_preset, argv[1]);
      if (o.output == NULL)
        {
          options_clear (&o);
          return SL_CLI_OK;
        }
    }

  composer = sl_composer_new (project, cache, composition, &error);
  if (composer == NULL || !sl_composer_export (composer, o.output, format, NULL, NULL, NULL, &error))
    goto fail;
  sl_composer_get_size (composer, &width, &height);
  printf ("Wrote %s (%s, %d × %d, %s)\n", o.output, sl_export_format_to_string (format), width, height,
          sl_layout_to_string (composition->layout));
  options_clear (&o);
  return SL_CLI_OK;

fail:
  options_clear (&o);
  return sl_cli_fail (error);
}
