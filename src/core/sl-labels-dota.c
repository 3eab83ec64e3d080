/* sl-labels-dota.c — DOTA v1.5 oriented boxes: `x1 y1 x2 y2 x3 y3 x4 y4 class difficult`
 *
 * A file is one image: the header lines `imagesource:<provider, else the image's file name>`
 * and `gsd:<metres per pixel>` (`gsd:null` when the site is not georeferenced), then one line
 * per object in pixels of the scene (2 decimals). Boxes and rotated boxes are their 4 corners
 * (a rotated box keeps its angle), 4-point polygons are written as they are, other polygons
 * as their bounding box's corners; points and lines have no form in DOTA and are skipped
 * (a warning gives their number). A class is one token: blanks in its name become ‘-’
 * ("Engineering vehicle" → "Engineering-vehicle"), and on import a token that names no
 * class is matched against the project's names with blanks hyphenated. difficult is 1 for
 * objects of low confidence, and a difficult object is imported with low confidence.
 *
 * Import tolerates missing header lines and a missing difficult column; 4 corners forming a
 * rectangle come back as a box (axis-aligned) or a rotated box.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <string.h>

#include "sl-labels-ml-private.h"

char *
_sl_dota_format_image (SlLabelContext  *ctx,
                       GPtrArray       *shapes,
                       const SlMlImage *img)
{
  const char *provider = sl_scene_get_provider (img->scene);
  double gsd = sl_scene_pixels_get_gsd (img->pixels);
  GString *out = g_string_new (NULL);
  guint skipped = 0;

  g_string_append_printf (out, "imagesource:%s\n", provider && *provider ? provider : img->file_name);
  if (gsd > 0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (out, "gsd:%s\n", g_ascii_formatd (buf, sizeof buf, "%.4g", gsd));
    }
  else
    g_string_append (out, "gsd:null\n");

  for (guint i = 0; i < shapes->len; i++)
    {
      const SlMlShape *s = g_ptr_array_index (shapes, i);
      g_autofree char *token = NULL;
      double c[8];

      if (s->kind == SL_SHAPE_POINT || s->kind == SL_SHAPE_LINE || s->x1 <= s->x0 || s->y1 <= s->y0)
        {
          skipped++;
          continue;
        }
      if (s->n_points == 4)
        for (guint k = 0; k < 4; k++)
          c[2 * k] = s->points[k].x, c[2 * k + 1] = s->points[k].y;
      else
        {
          const double b[8] = { s->x0, s->y0, s->x1, s->y0, s->x1, s->y1, s->x0, s->y1 };
          memcpy (c, b, sizeof b);
        }
      for (guint k = 0; k < 8; k++)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (out, "%s ", g_ascii_formatd (buf, sizeof buf, "%.2f", c[k]));
        }
      token = _sl_ml_token (s->klass->name);
      g_string_append_printf (out, "%s %d\n", token, s->annotation->confidence == SL_CONFIDENCE_LOW ? 1 : 0);
    }
  if (skipped > 0)
    sl_label_context_warn (ctx, "%s: %u point%s or line%s skipped (DOTA holds boxes)", img->file_name,
                           skipped, skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
  return g_string_free (out, FALSE);
}

static gboolean
write_dota (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *text = NULL;
  SlMlImage img;

  if (!_sl_ml_whole_scene (ctx, &img, SL_LABEL_FORMAT_DOTA, error))
    return FALSE;
  file_name = _sl_ml_scene_file_name (ctx->scene);
  img.file_name = file_name;
  if ((shapes = _sl_ml_shapes (ctx, &img, annotations, 0, error)) == NULL)
    return FALSE;
  text = _sl_dota_format_image (ctx, shapes, &img);
  return _sl_ml_save (path, text, -1, error);
}

/* The token as a project class name when only the hyphens stand between them. */
static const char *
class_for_token (SlLabelContext *ctx, const char *token)
{
  const SlLabelImportOptions *opts = ctx->import_options;

  if (opts && opts->class_map && g_hash_table_contains (opts->class_map, token))
    return token;
  for (guint i = 0; i < ctx->class_list->len; i++)
    {
      const SlClass *c = g_ptr_array_index (ctx->class_list, i);

      if (g_ascii_strcasecmp (c->name, token) == 0 || g_ascii_strcasecmp (c->key, token) == 0)
        return token;
    }
  for (guint i = 0; i < ctx->class_list->len; i++)
    {
      const SlClass *c = g_ptr_array_index (ctx->class_list, i);
      g_autofree char *hyphenated = _sl_ml_token (c->name);

      if (g_ascii_strcasecmp (hyphenated, token) == 0)
        return c->name;
    }
  return token;
}

static GPtrArray *
read_dota (SlLabelContext *ctx, const char *path, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_label_record_free);
  g_autofree char *text = NULL;
  char *line, *next;
  guint line_no = 0;
  gsize len;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: DOTA labels need a scene to be placed on", path);
      return NULL;
    }
  if ((text = _sl_ml_load (path, &len, error)) == NULL)
    return NULL;

  for (line = text; line != NULL; line = next)
    {
      char *tok[11];
      char where[32];
      double xy[8];
      guint n_tok = 0;
      char *save = NULL, *t;
      SlAnnotation *a;
      gint64 difficult = 0;

      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      line_no++;
      line = g_strstrip (line);
      if (*line == '\0' || g_str_has_prefix (line, "imagesource:") || g_str_has_prefix (line, "gsd:"))
        continue;
      g_snprintf (where, sizeof where, "line %u", line_no);
      for (t = strtok_r (line, " \t", &save); t && n_tok < G_N_ELEMENTS (tok); t = strtok_r (NULL, " \t", &save))
        tok[n_tok++] = t;
      if (n_tok != 9 && n_tok != 10)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                        "%s%u values; a DOTA line is ‘x1 y1 x2 y2 x3 y3 x4 y4 class difficult’",
                        n_tok > 10 ? "more than " : "", MIN (n_tok, 10));
          return NULL;
        }
      for (guint k = 0; k < 8; k++)
        {
          char *end;

          xy[k] = g_ascii_strtod (tok[k], &end);
          if (*end != '\0' || end == tok[k])
            {
              _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "‘%s’ is not a number", tok[k]);
              return NULL;
            }
        }
      if (n_tok == 10)
        {
          char *end;

          difficult = g_ascii_strtoll (tok[9], &end, 10);
          if (*end != '\0' || end == tok[9] || (difficult != 0 && difficult != 1))
            {
              _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                            "difficult is 0 or 1, not ‘%s’", tok[9]);
              return NULL;
            }
        }
      if ((a = _sl_ml_annotation (ctx, path, where, SL_SHAPE_POLYGON, xy, 4, error)) == NULL)
        return NULL;
      if (difficult)
        a->confidence = SL_CONFIDENCE_LOW;
      g_ptr_array_add (records, sl_label_record_new (a, class_for_token (ctx, tok[8]), where));
    }
  return g_steal_pointer (&records);
}

const SlLabelFormatIo sl_labels_dota_io = { SL_LABEL_FORMAT_DOTA, read_dota, write_dota };
