/* sl-labels-labelme.c — LabelMe JSON: one image, its shapes
 *
 * { version, flags, shapes: [{ label, points [[x, y], …], group_id, description, shape_type,
 *   flags }], imagePath (the scene's source file name), imageData null, imageHeight,
 *   imageWidth }, in pixels of the scene. Points are "point", boxes "rectangle" (top-left and
 * bottom-right corners), rotated boxes "polygon" of their 4 corners (restored as rotated boxes
 * on import: the angle is kept), polygons "polygon", lines "linestrip". The note goes in
 * description. Every kind round-trips.
 *
 * Import: the imagePath must name the scene's image (the same name without extension) and
 * imageWidth/imageHeight, when given, be its size. "line" is read as a line; "circle" and
 * other shape types are errors naming the shape.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-labels-ml-private.h"

static void
add_point (JsonBuilder *b, double x, double y)
{
  json_builder_begin_array (b);
  json_builder_add_double_value (b, round (x * 1000) / 1000);
  json_builder_add_double_value (b, round (y * 1000) / 1000);
  json_builder_end_array (b);
}

char *
_sl_labelme_format_image (SlLabelContext  *ctx,
                          GPtrArray       *shapes,
                          const SlMlImage *img)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "5.2.1");
  json_builder_set_member_name (b, "flags");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "shapes");
  json_builder_begin_array (b);
  for (guint i = 0; i < shapes->len; i++)
    {
      const SlMlShape *s = g_ptr_array_index (shapes, i);
      static const char *const types[] = {
        [SL_SHAPE_POINT] = "point", [SL_SHAPE_BOX] = "rectangle", [SL_SHAPE_ROTATED_BOX] = "polygon",
        [SL_SHAPE_POLYGON] = "polygon", [SL_SHAPE_LINE] = "linestrip",
      };

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, s->klass->name);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      if (s->kind == SL_SHAPE_BOX)
        {
          add_point (b, s->x0, s->y0);
          add_point (b, s->x1, s->y1);
        }
      else
        for (guint k = 0; k < s->n_points; k++)
          add_point (b, s->points[k].x, s->points[k].y);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "group_id");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, s->annotation->note ? s->annotation->note : "");
      json_builder_set_member_name (b, "shape_type");
      json_builder_add_string_value (b, types[s->kind]);
      json_builder_set_member_name (b, "flags");
      json_builder_begin_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "imagePath");
  json_builder_add_string_value (b, img->file_name);
  json_builder_set_member_name (b, "imageData");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "imageHeight");
  json_builder_add_int_value (b, img->height);
  json_builder_set_member_name (b, "imageWidth");
  json_builder_add_int_value (b, img->width);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

static gboolean
write_labelme (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *text = NULL;
  SlMlImage img;

  if (!_sl_ml_whole_scene (ctx, &img, SL_LABEL_FORMAT_LABELME, error))
    return FALSE;
  file_name = _sl_ml_scene_file_name (ctx->scene);
  img.file_name = file_name;
  if ((shapes = _sl_ml_shapes (ctx, &img, annotations, 0, error)) == NULL)
    return FALSE;
  text = _sl_labelme_format_image (ctx, shapes, &img);
  return _sl_ml_save (path, text, -1, error);
}

/* --- import --- */

/* [[x, y], …] into a new array of 2 × n doubles. */
static double *
read_points (const SlJsonValue *points, guint *n)
{
  g_autofree double *xy = g_new (double, 2 * MAX (points->n, 1));

  *n = points->n;
  for (guint i = 0; i < *n; i++)
    {
      const SlJsonValue *pair = &points->v.items[i];

      if (pair->type != SL_JSON_ARRAY || pair->n != 2 ||
          !_sl_json_number (&pair->v.items[0], &xy[2 * i]) || !_sl_json_number (&pair->v.items[1], &xy[2 * i + 1]))
        return NULL;
    }
  return g_steal_pointer (&xy);
}

static GPtrArray *
read_labelme (SlLabelContext *ctx, const char *path, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_label_record_free);
  g_autoptr(SlJson) doc = NULL;
  g_autofree char *scene_name = NULL;
  g_autofree char *scene_stem = NULL;
  const SlJsonValue *top, *shapes;
  const char *image_path;
  char *text;
  double w = -1, h = -1;
  gsize len;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: LabelMe labels need a scene to be placed on", path);
      return NULL;
    }
  if ((text = _sl_ml_load (path, &len, error)) == NULL)
    return NULL;
  if ((doc = _sl_json_parse (path, text, len, error)) == NULL)
    return NULL;
  top = _sl_json_root (doc);
  shapes = _sl_json_get (top, "shapes");
  if (shapes == NULL || shapes->type != SL_JSON_ARRAY)
    {
      _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "not a LabelMe file: it has no shapes array");
      return NULL;
    }

  scene_name = _sl_ml_scene_file_name (ctx->scene);
  scene_stem = _sl_ml_stem (scene_name);
  image_path = _sl_json_string (_sl_json_get (top, "imagePath"));
  if (image_path != NULL)
    {
      g_autofree char *stem = _sl_ml_stem (image_path);

      if (g_strcmp0 (stem, scene_stem) != 0)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                        "it labels the image %s, not the scene’s image %s", image_path, scene_name);
          return NULL;
        }
    }
  if ((_sl_json_number (_sl_json_get (top, "imageWidth"), &w) && (int) w != sl_scene_pixels_get_width (ctx->pixels)) ||
      (_sl_json_number (_sl_json_get (top, "imageHeight"), &h) && (int) h != sl_scene_pixels_get_height (ctx->pixels)))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                    "its image is %g × %g pixels, the scene’s image %s is %d × %d", w, h, scene_name,
                    sl_scene_pixels_get_width (ctx->pixels), sl_scene_pixels_get_height (ctx->pixels));
      return NULL;
    }

  for (guint i = 0; i < shapes->n; i++)
    {
      const SlJsonValue *o = &shapes->v.items[i];
      const SlJsonValue *points = _sl_json_get (o, "points");
      const char *label = _sl_json_string (_sl_json_get (o, "label"));
      const char *type = _sl_json_string (_sl_json_get (o, "shape_type"));
      g_autofree char *where = g_strdup_printf ("shape %u", i + 1);
      g_autofree double *xy = NULL;
      const char *note;
      SlAnnotation *a;
      SlShapeKind kind;
      guint n = 0;

      if (label == NULL || *label == '\0' || points == NULL || points->type != SL_JSON_ARRAY ||
          (xy = read_points (points, &n)) == NULL)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                        "a shape needs a label and points [[x, y], …]");
          return NULL;
        }
      if (type == NULL || strcmp (type, "polygon") == 0)
        kind = SL_SHAPE_POLYGON;
      else if (strcmp (type, "rectangle") == 0)
        kind = SL_SHAPE_BOX;
      else if (strcmp (type, "point") == 0)
        kind = SL_SHAPE_POINT;
      else if (strcmp (type, "linestrip") == 0 || strcmp (type, "line") == 0)
        kind = SL_SHAPE_LINE;
      else
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "shape type ‘%s’ has no Sitelapse form (point, rectangle, polygon, line, linestrip)", type);
          return NULL;
        }
      if (kind == SL_SHAPE_BOX)
        {
          double x0, y0, x1, y1;

          if (n != 2)
            {
              _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "a rectangle has 2 points, not %u", n);
              return NULL;
            }
          x0 = MIN (xy[0], xy[2]), x1 = MAX (xy[0], xy[2]);
          y0 = MIN (xy[1], xy[3]), y1 = MAX (xy[1], xy[3]);
          xy = g_renew (double, xy, 8);
          {
            const double c[8] = { x0, y0, x1, y0, x1, y1, x0, y1 };
            memcpy (xy, c, sizeof c);
          }
          n = 4;
        }
      if ((a = _sl_ml_annotation (ctx, path, where, kind, xy, n, error)) == NULL)
        return NULL;
      if ((note = _sl_json_string (_sl_json_get (o, "description"))) != NULL && *note)
        a->note = g_strdup (note);
      g_ptr_array_add (records, sl_label_record_new (a, label, where));
    }
  return g_steal_pointer (&records);
}

const SlLabelFormatIo sl_labels_labelme_io = { SL_LABEL_FORMAT_LABELME, read_labelme, write_labelme };
