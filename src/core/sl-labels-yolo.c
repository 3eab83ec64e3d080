/* sl-labels-yolo.c — YOLO (class cx cy w h) and YOLO-OBB (class x1 y1 … x4 y4), normalised
 *
 * Layout. One scene: the labels file itself (written where the driver says) and
 * `classes.txt` (one class name per line; index = line number from 0) beside it. Every scene
 * (a directory): one `<image stem>.txt` per scene (empty when it has no objects: a negative
 * example), `classes.txt` and an Ultralytics `data.yaml` (nc, names). Class indices follow
 * the project's class order, all classes, so files of different exports agree.
 *
 * What each keeps. YOLO: the axis-aligned bounding box in pixels of the image (boxes exactly;
 * rotated boxes and polygons as their bounding box; a rotated box is not restored). YOLO-OBB:
 * boxes and rotated boxes as their 4 corners (the angle is kept), 4-point polygons as they
 * are, other polygons as their bounding box's corners. Points and lines have no form in
 * either and are skipped (reported as warnings). Coordinates have 6 decimals of the image
 * size, clamped to the image.
 *
 * Import reads either form (and YOLO segmentation lines: class x1 y1 … xn yn, n ≥ 3), a
 * trailing confidence column being ignored; 4 corners that form a rectangle come back as a
 * box or a rotated box. Class names: `classes.txt`, `obj.names` or `data.yaml` beside the
 * file, else the project's class order. A directory imports `<scene's image stem>.txt`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sl-labels-ml-private.h"

static void
append_norm (GString *out, double v, int size)
{
  g_string_append_printf (out, " %.6f", size > 0 ? v / size : 0);
}

char *
_sl_yolo_format_image (SlLabelContext  *ctx,
                       GPtrArray       *shapes,
                       gboolean         obb,
                       const SlMlImage *img)
{
  GString *out = g_string_new (NULL);
  guint skipped = 0;

  for (guint i = 0; i < shapes->len; i++)
    {
      const SlMlShape *s = g_ptr_array_index (shapes, i);

      if (s->kind == SL_SHAPE_POINT || s->kind == SL_SHAPE_LINE || s->x1 <= s->x0 || s->y1 <= s->y0)
        {
          skipped++;
          continue;
        }
      g_string_append_printf (out, "%u", s->class_index);
      if (!obb)
        {
          append_norm (out, (s->x0 + s->x1) / 2, img->width);
          append_norm (out, (s->y0 + s->y1) / 2, img->height);
          append_norm (out, s->x1 - s->x0, img->width);
          append_norm (out, s->y1 - s->y0, img->height);
        }
      else if (s->n_points == 4)
        for (guint k = 0; k < 4; k++)
          {
            append_norm (out, s->points[k].x, img->width);
            append_norm (out, s->points[k].y, img->height);
          }
      else
        {
          const double c[8] = { s->x0, s->y0, s->x1, s->y0, s->x1, s->y1, s->x0, s->y1 };

          for (guint k = 0; k < 4; k++)
            {
              append_norm (out, c[2 * k], img->width);
              append_norm (out, c[2 * k + 1], img->height);
            }
        }
      g_string_append_c (out, '\n');
    }
  if (skipped > 0)
    sl_label_context_warn (ctx, "%s: %u point%s, line%s or empty shape%s skipped (YOLO holds boxes)",
                           img->file_name, skipped, skipped == 1 ? "" : "s", skipped == 1 ? "" : "s",
                           skipped == 1 ? "" : "s");
  return g_string_free (out, FALSE);
}

static char *
yaml_quote (const char *text)
{
  GString *out = g_string_new ("'");

  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

gboolean
_sl_yolo_write_class_files (SlLabelContext  *ctx,
                            const char      *dir,
                            const char      *images,
                            GError         **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) yaml = g_string_new (NULL);
  g_autofree char *names_path = g_build_filename (dir, "classes.txt", NULL);
  g_autofree char *yaml_path = g_build_filename (dir, "data.yaml", NULL);

  if (g_strcmp0 (images, ".") == 0)
    g_string_append (yaml, "# Sitelapse: one <image stem>.txt per scene beside this file\n");
  else
    g_string_append_printf (yaml, "# Sitelapse: chips in %s/, their labels in labels/\n", images);
  g_string_append_printf (yaml, "path: .\ntrain: %s\nval: %s\nnc: %u\nnames:\n",
                          images, images, ctx->class_list->len);
  for (guint i = 0; i < ctx->class_list->len; i++)
    {
      const SlClass *c = g_ptr_array_index (ctx->class_list, i);
      g_autofree char *quoted = yaml_quote (c->name);

      g_string_append_printf (names, "%s\n", c->name);
      g_string_append_printf (yaml, "  %u: %s\n", i, quoted);
    }
  if (!_sl_ml_save (names_path, names->str, names->len, error))
    return FALSE;
  return images == NULL || _sl_ml_save (yaml_path, yaml->str, yaml->len, error);
}

static gboolean
write_yolo (SlLabelContext *ctx, GPtrArray *annotations, const char *path, gboolean obb, GError **error)
{
  g_autoptr(GHashTable) used = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      /* One scene: the labels file, classes.txt beside it. */
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *file_name = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) shapes = NULL;
      SlMlImage img;

      if (!_sl_ml_whole_scene (ctx, &img, obb ? SL_LABEL_FORMAT_YOLO_OBB : SL_LABEL_FORMAT_YOLO, error))
        return FALSE;
      file_name = _sl_ml_scene_file_name (ctx->scene);
      img.file_name = file_name;
      shapes = _sl_ml_shapes (ctx, &img, annotations, 0, error);
      if (shapes == NULL)
        return FALSE;
      text = _sl_yolo_format_image (ctx, shapes, obb, &img);
      return _sl_ml_save (path, text, -1, error) && _sl_yolo_write_class_files (ctx, dir, NULL, error);
    }

  /* A directory: every scene written (or the one chosen). */
  used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < ctx->scenes->len; i++)
    {
      SlScene *scene = g_ptr_array_index (ctx->scenes, i);
      g_autoptr(SlScenePixels) own = NULL;
      g_autofree char *file_name = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *txt = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) shapes = NULL;
      SlMlImage img = { 0 };

      if (ctx->scene != NULL && sl_scene_get_id (scene) != sl_scene_get_id (ctx->scene))
        continue;
      if (ctx->scene != NULL && ctx->pixels != NULL)
        img.pixels = ctx->pixels;
      else if ((img.pixels = own = sl_scene_pixels_new (ctx->project, scene, error)) == NULL)
        return FALSE;
      file_name = _sl_ml_scene_file_name (scene);
      stem = _sl_ml_stem (file_name);
      if (g_hash_table_contains (used, stem))
        {
          /* Two scenes from files of the same name in different folders. */
          char *unique = g_strdup_printf ("%s-%" G_GINT64_FORMAT, stem, sl_scene_get_id (scene));
          g_free (stem);
          stem = unique;
        }
      g_hash_table_add (used, g_strdup (stem));
      img.scene = scene;
      img.file_name = file_name;
      img.width = sl_scene_pixels_get_width (img.pixels);
      img.height = sl_scene_pixels_get_height (img.pixels);
      shapes = _sl_ml_shapes (ctx, &img, annotations, 0, error);
      if (shapes == NULL)
        return FALSE;
      text = _sl_yolo_format_image (ctx, shapes, obb, &img);
      txt = g_strdup_printf ("%s/%s.txt", path, stem);
      if (!_sl_ml_save (txt, text, -1, error))
        return FALSE;
    }
  return _sl_yolo_write_class_files (ctx, path, ".", error);
}

/* data.yaml's names: an inline list, a block list or a block mapping. */
static GPtrArray *
parse_data_yaml (const char *text)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_names = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strchomp (lines[i]);
      char *item = NULL;

      if (!in_names)
        {
          if (!g_str_has_prefix (line, "names:"))
            continue;
          item = g_strstrip (line + 6);
          if (*item == '[')
            {
              char *end = strrchr (item, ']');
              g_auto(GStrv) parts = NULL;

              if (end)
                *end = '\0';
              parts = g_strsplit (item + 1, ",", -1);
              for (guint k = 0; parts[k]; k++)
                {
                  char *p = g_strstrip (parts[k]);
                  gsize len = strlen (p);

                  if (len >= 2 && (p[0] == '\'' || p[0] == '"') && p[len - 1] == p[0])
                    p[len - 1] = '\0', p++;
                  if (*p)
                    g_ptr_array_add (names, g_strdup (p));
                }
              break;
            }
          in_names = TRUE;
          continue;
        }
      if (*line == '\0' || *line == '#')
        continue;
      if (!g_ascii_isspace (*line) && *line != '-')
        break;
      item = g_strstrip (line);
      if (*item == '-')
        item = g_strstrip (item + 1);
      else if (g_ascii_isdigit (*item) && strchr (item, ':'))
        item = g_strstrip (strchr (item, ':') + 1);
      else
        break;
      {
        gsize len = strlen (item);
        GString *name = g_string_new (NULL);

        if (len >= 2 && (item[0] == '\'' || item[0] == '"') && item[len - 1] == item[0])
          {
            for (gsize k = 1; k + 1 < len; k++)
              {
                if (item[0] == '\'' && item[k] == '\'' && item[k + 1] == '\'')
                  k++;
                g_string_append_c (name, item[k]);
              }
          }
        else
          g_string_append (name, item);
        g_ptr_array_add (names, g_string_free (name, FALSE));
      }
    }
  return g_steal_pointer (&names);
}

/* The class names for the indices of @path: the first of classes.txt, obj.names, data.yaml
 * beside it, else the project's. @source says which, for messages. */
static GPtrArray *
load_class_names (SlLabelContext *ctx, const char *path, char **source, GError **error)
{
  static const char *const candidates[] = { "classes.txt", "obj.names", "data.yaml" };
  g_autofree char *dir = g_path_get_dirname (path);
  GPtrArray *names;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *file = g_build_filename (dir, candidates[i], NULL);
      g_autofree char *text = NULL;
      gsize len;

      if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
        continue;
      if ((text = _sl_ml_load (file, &len, error)) == NULL)
        return NULL;
      *source = g_strdup (candidates[i]);
      if (i == 2)
        names = parse_data_yaml (text);
      else
        {
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

          names = g_ptr_array_new_with_free_func (g_free);
          for (guint k = 0; lines[k]; k++)
            {
              char *name = g_strstrip (lines[k]);

              if (*name)
                g_ptr_array_add (names, g_strdup (name));
            }
        }
      if (names->len == 0)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, file, NULL, "no class names in it");
          g_ptr_array_unref (names);
          return NULL;
        }
      return names;
    }
  *source = g_strdup ("the project’s class list");
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ctx->class_list->len; i++)
    g_ptr_array_add (names, g_strdup (((SlClass *) g_ptr_array_index (ctx->class_list, i))->name));
  return names;
}

static GPtrArray *
read_yolo (SlLabelContext *ctx, const char *given, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_label_record_free);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *path = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  char *line, *next;
  gsize len;
  guint line_no = 0;
  int w, h;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: YOLO labels need a scene to be placed on", given);
      return NULL;
    }
  if (g_file_test (given, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *file_name = _sl_ml_scene_file_name (ctx->scene);
      g_autofree char *stem = _sl_ml_stem (file_name);
      g_autofree char *txt = g_strdup_printf ("%s.txt", stem);

      path = g_build_filename (given, txt, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, given, NULL,
                        "no %s for the scene’s image %s in this folder", txt, file_name);
          return NULL;
        }
    }
  else
    path = g_strdup (given);

  if ((text = _sl_ml_load (path, &len, error)) == NULL)
    return NULL;
  if ((names = load_class_names (ctx, path, &source, error)) == NULL)
    return NULL;
  w = sl_scene_pixels_get_width (ctx->pixels);
  h = sl_scene_pixels_get_height (ctx->pixels);

  for (line = text; line != NULL; line = next)
    {
      g_auto(GStrv) tok = NULL;
      g_autofree char *where = NULL;
      g_autofree double *xy = NULL;
      SlAnnotation *a;
      guint n_tok, n_pts;
      char *end;
      gint64 index;

      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      line_no++;
      line = g_strstrip (line);
      if (*line == '\0' || *line == '#')
        continue;
      where = g_strdup_printf ("line %u", line_no);
      tok = g_strsplit_set (line, " \t", -1);
      n_tok = 0;
      for (guint k = 0; tok[k]; k++)
        if (*tok[k])
          tok[n_tok++] = tok[k];
        else
          g_free (tok[k]);
      tok[n_tok] = NULL;

      /* 5: a box; 6: a box and a confidence; 1 + 2n (n ≥ 3): corners (OBB) or a polygon;
       * 2 + 2n: the same with a confidence. */
      if (n_tok == 5 || n_tok == 6)
        n_pts = 0;
      else if (n_tok >= 7)
        n_pts = (n_tok - 1) / 2;
      else
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                        "%u values; a YOLO line is ‘class cx cy w h’ or ‘class x1 y1 … xn yn’", n_tok);
          return NULL;
        }
      index = g_ascii_strtoll (tok[0], &end, 10);
      if (*end != '\0' || end == tok[0] || index < 0)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "‘%s’ is not a class index", tok[0]);
          return NULL;
        }
      if (index >= names->len)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "class index %" G_GINT64_FORMAT " is beyond the %u classes of %s",
                        index, names->len, source);
          return NULL;
        }
      xy = g_new (double, MAX (n_pts, 4) * 2);
      for (guint k = 1; k < n_tok && k <= (n_pts ? 2 * n_pts : 4); k++)
        {
          double v = g_ascii_strtod (tok[k], &end);

          if (*end != '\0' || end == tok[k])
            {
              _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "‘%s’ is not a number", tok[k]);
              return NULL;
            }
          xy[k - 1] = v * ((k % 2) ? w : h);
        }
      if (n_pts == 0)
        {
          double cx = xy[0], cy = xy[1], bw = xy[2], bh = xy[3];
          const double c[8] = { cx - bw / 2, cy - bh / 2, cx + bw / 2, cy - bh / 2,
                                cx + bw / 2, cy + bh / 2, cx - bw / 2, cy + bh / 2 };

          memcpy (xy, c, sizeof c);
          a = _sl_ml_annotation (ctx, path, where, SL_SHAPE_BOX, xy, 4, error);
        }
      else
        a = _sl_ml_annotation (ctx, path, where, SL_SHAPE_POLYGON, xy, n_pts, error);
      if (a == NULL)
        return NULL;
      g_ptr_array_add (records, sl_label_record_new (a, g_ptr_array_index (names, index), where));
    }
  return g_steal_pointer (&records);
}

static GPtrArray *
read_any (SlLabelContext *ctx, const char *path, GError **error)
{
  return read_yolo (ctx, path, error);
}

static gboolean
write_axis (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  return write_yolo (ctx, annotations, path, FALSE, error);
}

static gboolean
write_obb (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  return write_yolo (ctx, annotations, path, TRUE, error);
}

const SlLabelFormatIo sl_labels_yolo_io[2] = {
  { SL_LABEL_FORMAT_YOLO, read_any, write_axis },
  { SL_LABEL_FORMAT_YOLO_OBB, read_any, write_obb },
};
