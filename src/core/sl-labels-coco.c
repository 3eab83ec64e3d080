/* sl-labels-coco.c — COCO object-detection JSON (images, categories, annotations)
 *
 * Export: one image per scene written (file_name = the scene's source file name, width,
 * height, date_captured), the project's classes as categories 1…N (supercategory = the
 * class group), one annotation per object with bbox [x, y, w, h], area, iscrowd 0 and an
 * "attributes" object {object_uid, confidence, note, rotation}. Boxes, rotated boxes and
 * polygons are written as a segmentation polygon plus their bounding box; `rotation` is the
 * angle of a rotated box's long side in degrees, clockwise from the image's x axis (0 for
 * other shapes). COCO has no points: a point is written as a one-keypoint annotation
 * (keypoints [x, y, 2], num_keypoints 1, a zero-size bbox, no segmentation) and each
 * category declares the keypoint "point". COCO has no lines either: they are skipped, with
 * a warning giving their number. Coordinates are pixels of the scene, clamped to it.
 *
 * Import onto the chosen scene: the annotations of the image whose file name (without its
 * extension) is the scene's, or of the file's only image; its size must be the scene's. An
 * annotation naming an image or category that is not in the file is an error; crowd (RLE)
 * annotations are skipped with a warning; of a multi-part segmentation the first polygon is
 * taken (with a warning). Four-corner segmentations that form a rectangle come back as boxes
 * or rotated boxes; an annotation without segmentation is its bbox, or its keypoint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-labels-ml-private.h"

static double
shoelace (const SlPoint *p, guint n)
{
  double a = 0;

  for (guint i = 0; i < n; i++)
    {
      guint j = (i + 1) % n;
      a += p[i].x * p[j].y - p[j].x * p[i].y;
    }
  return fabs (a) / 2;
}

/* The file is written by hand, not through JsonBuilder: 100 000 annotations take 0.3 s instead
 * of 18 s (a GHashTable per object, 17-digit doubles), and the file is half the size. */
static void
append_string (GString *out, const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A coordinate to the hundredth of a pixel, without trailing zeros. */
static void
append_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *end;

  g_ascii_formatd (buf, sizeof buf, "%.2f", round (v * 100) / 100 + 0.0);
  end = buf + strlen (buf);
  while (end > buf && end[-1] == '0')
    *--end = '\0';
  if (end > buf && end[-1] == '.')
    *--end = '\0';
  if (strcmp (buf, "-0") == 0)
    strcpy (buf, "0");
  g_string_append (out, buf);
}

static void
append_numbers (GString *out, const double *v, guint n)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      append_number (out, v[i]);
    }
  g_string_append_c (out, ']');
}

static void
append_annotation (GString *out, const SlMlShape *s, gint64 id, gint64 image_id)
{
  const SlAnnotation *a = s->annotation;
  double bbox[4] = { s->x0, s->y0, s->x1 - s->x0, s->y1 - s->y0 };
  double rotation = 0;

  g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"image_id\":%" G_GINT64_FORMAT
                          ",\"category_id\":%u,\"iscrowd\":0,", id, image_id, s->class_index + 1);
  if (s->kind == SL_SHAPE_POINT)
    {
      const double kp[3] = { s->points[0].x, s->points[0].y, 2 };

      bbox[0] = s->points[0].x, bbox[1] = s->points[0].y, bbox[2] = bbox[3] = 0;
      g_string_append (out, "\"keypoints\":");
      append_numbers (out, kp, 3);
      g_string_append (out, ",\"num_keypoints\":1,\"segmentation\":[],\"area\":0");
    }
  else
    {
      g_string_append (out, "\"segmentation\":[[");
      for (guint k = 0; k < s->n_points; k++)
        {
          if (k)
            g_string_append_c (out, ',');
          append_number (out, s->points[k].x);
          g_string_append_c (out, ',');
          append_number (out, s->points[k].y);
        }
      g_string_append (out, "]],\"area\":");
      append_number (out, shoelace (s->points, s->n_points));
      if (s->kind == SL_SHAPE_ROTATED_BOX)
        rotation = atan2 (s->points[1].y - s->points[0].y, s->points[1].x - s->points[0].x) * 180 / G_PI;
    }
  g_string_append (out, ",\"bbox\":");
  append_numbers (out, bbox, 4);
  g_string_append (out, ",\"attributes\":{\"object_uid\":");
  append_string (out, a->object_uid);
  g_string_append (out, ",\"confidence\":");
  append_string (out, sl_confidence_to_string (a->confidence));
  g_string_append (out, ",\"note\":");
  append_string (out, a->note);
  g_string_append (out, ",\"rotation\":");
  append_number (out, rotation);
  g_string_append (out, "}}");
}

char *
_sl_coco_format_images (SlLabelContext *ctx,
                        GPtrArray      *images,
                        GPtrArray      *shapes,
                        guint          *n_skipped)
{
  GString *out = g_string_sized_new (4096);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  g_autofree char *project = sl_project_dup_name (ctx->project);
  gint64 next_id = 1;

  *n_skipped = 0;
  g_string_append (out, "{\"info\":{\"description\":");
  append_string (out, project ? project : "Sitelapse project");
  g_string_append_printf (out, ",\"contributor\":\"Sitelapse\",\"version\":\"1.0\",\"year\":%d,\"date_created\":",
                          g_date_time_get_year (now));
  append_string (out, created);
  g_string_append (out, "},\n\"licenses\":[],\n\"images\":[");
  for (guint i = 0; i < images->len; i++)
    {
      const SlMlImage *img = g_ptr_array_index (images, i);
      GDateTime *acquired = sl_scene_get_acquired (img->scene);
      g_autofree char *date = acquired ? g_date_time_format (acquired, "%Y-%m-%d %H:%M:%S") : NULL;

      g_string_append_printf (out, "%s\n{\"id\":%" G_GINT64_FORMAT ",\"file_name\":", i ? "," : "", img->id);
      append_string (out, img->file_name);
      g_string_append_printf (out, ",\"width\":%d,\"height\":%d,\"date_captured\":", img->width, img->height);
      append_string (out, date);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\n\"categories\":[");
  for (guint i = 0; i < ctx->class_list->len; i++)
    {
      const SlClass *c = g_ptr_array_index (ctx->class_list, i);

      g_string_append_printf (out, "%s\n{\"id\":%u,\"name\":", i ? "," : "", i + 1);
      append_string (out, c->name);
      g_string_append (out, ",\"supercategory\":");
      append_string (out, c->group ? c->group : "");
      g_string_append (out, ",\"keypoints\":[\"point\"],\"skeleton\":[]}");
    }
  g_string_append (out, "],\n\"annotations\":[");
  for (guint i = 0; i < images->len; i++)
    {
      const SlMlImage *img = g_ptr_array_index (images, i);
      GPtrArray *list = g_ptr_array_index (shapes, i);

      for (guint k = 0; k < list->len; k++)
        {
          const SlMlShape *s = g_ptr_array_index (list, k);

          if (s->kind == SL_SHAPE_LINE)
            {
              (*n_skipped)++;
              continue;
            }
          g_string_append (out, next_id > 1 ? ",\n" : "\n");
          append_annotation (out, s, next_id++, img->id);
        }
    }
  g_string_append (out, "]}\n");
  return g_string_free (out, FALSE);
}

static gboolean
write_coco (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_scene_pixels_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  guint skipped = 0;

  for (guint i = 0; i < ctx->scenes->len; i++)
    {
      SlScene *scene = g_ptr_array_index (ctx->scenes, i);
      SlMlImage *img;
      GPtrArray *list;

      if (ctx->scene != NULL && sl_scene_get_id (scene) != sl_scene_get_id (ctx->scene))
        continue;
      img = g_new0 (SlMlImage, 1);
      g_ptr_array_add (images, img);
      img->scene = scene;
      if (ctx->scene != NULL && ctx->pixels != NULL)
        img->pixels = ctx->pixels;
      else
        {
          img->pixels = sl_scene_pixels_new (ctx->project, scene, error);
          if (img->pixels == NULL)
            return FALSE;
          g_ptr_array_add (owned, img->pixels);
        }
      g_ptr_array_add (names, _sl_ml_scene_file_name (scene));
      img->file_name = g_ptr_array_index (names, names->len - 1);
      img->width = sl_scene_pixels_get_width (img->pixels);
      img->height = sl_scene_pixels_get_height (img->pixels);
      img->id = images->len;
      list = _sl_ml_shapes (ctx, img, annotations, 0, error);
      if (list == NULL)
        return FALSE;
      g_ptr_array_add (shapes, list);
    }
  if (images->len == 0)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE, "The project has no scene to label");
      return FALSE;
    }
  text = _sl_coco_format_images (ctx, images, shapes, &skipped);
  if (skipped > 0)
    sl_label_context_warn (ctx, "%u line%s skipped: COCO has no lines", skipped, skipped == 1 ? "" : "s");
  return _sl_ml_save (path, text, -1, error);
}

/* --- import --- */

static gboolean
get_number (const SlJsonValue *o, const char *member, double *v)
{
  return _sl_json_number (_sl_json_get (o, member), v);
}

static gboolean
get_id (const SlJsonValue *o, const char *member, gint64 *id)
{
  double v;

  if (!get_number (o, member, &v) || v != floor (v) || fabs (v) > 9e15)
    return FALSE;
  *id = (gint64) v;
  return TRUE;
}

static const SlJsonValue *
get_array (const SlJsonValue *o, const char *member)
{
  const SlJsonValue *v = _sl_json_get (o, member);

  return v && v->type == SL_JSON_ARRAY ? v : NULL;
}

static const char *
get_string (const SlJsonValue *o, const char *member)
{
  return _sl_json_string (_sl_json_get (o, member));
}

/* The first 2 × @n numbers of @array into @xy. */
static gboolean
read_flat (const SlJsonValue *array, double *xy, guint n)
{
  if (array->n < 2 * n)
    return FALSE;
  for (guint i = 0; i < 2 * n; i++)
    if (!_sl_json_number (&array->v.items[i], &xy[i]))
      return FALSE;
  return TRUE;
}

/* The image of the file the scene's labels are: the scene's file name, or the only one. */
static gboolean
choose_image (SlLabelContext *ctx, const char *path, const SlJsonValue *images, GHashTable *image_ids,
              gint64 *chosen, GError **error)
{
  g_autofree char *scene_name = _sl_ml_scene_file_name (ctx->scene);
  g_autofree char *scene_stem = _sl_ml_stem (scene_name);
  const SlJsonValue *match = NULL;
  double w = 0, h = 0;

  for (guint i = 0; i < images->n; i++)
    {
      const SlJsonValue *o = &images->v.items[i];
      const char *file_name = get_string (o, "file_name");
      gint64 id;

      if (!get_id (o, "id", &id) || file_name == NULL)
        {
          g_autofree char *where = g_strdup_printf ("image %u", i + 1);
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "an image needs an id and a file_name");
          return FALSE;
        }
      g_hash_table_add (image_ids, g_memdup2 (&id, sizeof id));
      if (match == NULL)
        {
          g_autofree char *stem = _sl_ml_stem (file_name);

          if (g_strcmp0 (stem, scene_stem) == 0)
            match = o;
        }
    }
  if (match == NULL && images->n == 1)
    match = &images->v.items[0];
  if (match == NULL)
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                    "none of its %u images is the scene’s image %s", images->n, scene_name);
      return FALSE;
    }
  get_id (match, "id", chosen);
  if (get_number (match, "width", &w) && get_number (match, "height", &h) &&
      ((int) w != sl_scene_pixels_get_width (ctx->pixels) || (int) h != sl_scene_pixels_get_height (ctx->pixels)))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                    "its image %s is %g × %g pixels, the scene’s image %s is %d × %d",
                    get_string (match, "file_name"), w, h, scene_name,
                    sl_scene_pixels_get_width (ctx->pixels), sl_scene_pixels_get_height (ctx->pixels));
      return FALSE;
    }
  return TRUE;
}

static SlAnnotation *
read_shape (SlLabelContext *ctx, const char *path, const char *where, const SlJsonValue *o, GError **error)
{
  const SlJsonValue *seg = get_array (o, "segmentation");
  const SlJsonValue *kp = get_array (o, "keypoints");
  const SlJsonValue *bbox = get_array (o, "bbox");
  double xy[8];

  if (seg != NULL && seg->n > 0)
    {
      const SlJsonValue *ring = &seg->v.items[0];
      guint n = ring->type == SL_JSON_ARRAY ? ring->n / 2 : 0;
      g_autofree double *flat = NULL;

      if (n < 3 || ring->n % 2 != 0)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                        "a segmentation polygon is a list of at least 3 x, y pairs");
          return NULL;
        }
      if (seg->n > 1)
        sl_label_context_warn (ctx, "%s: only the first of the %u polygons of its segmentation was imported",
                               where, seg->n);
      flat = g_new (double, 2 * n);
      if (!read_flat (ring, flat, n))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "a segmentation holds something not a number");
          return NULL;
        }
      return _sl_ml_annotation (ctx, path, where, SL_SHAPE_POLYGON, flat, n, error);
    }
  if (kp != NULL && kp->n >= 3 && (bbox == NULL || (read_flat (bbox, xy, 2) && xy[2] == 0 && xy[3] == 0)))
    {
      if (!read_flat (kp, xy, 1))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "keypoints hold something not a number");
          return NULL;
        }
      return _sl_ml_annotation (ctx, path, where, SL_SHAPE_POINT, xy, 1, error);
    }
  if (bbox != NULL && bbox->n == 4 && read_flat (bbox, xy, 2))
    {
      double x = xy[0], y = xy[1], w = xy[2], h = xy[3];
      const double c[8] = { x, y, x + w, y, x + w, y + h, x, y + h };

      return _sl_ml_annotation (ctx, path, where, SL_SHAPE_BOX, c, 4, error);
    }
  _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where,
                "no segmentation, keypoint or bbox [x, y, width, height]");
  return NULL;
}

static GPtrArray *
read_coco (SlLabelContext *ctx, const char *path, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) image_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(SlJson) doc = NULL;
  const SlJsonValue *top, *images, *cats, *anns;
  char *text;
  gint64 chosen = 0;
  gsize len;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: COCO labels need a scene to be placed on", path);
      return NULL;
    }
  if ((text = _sl_ml_load (path, &len, error)) == NULL)
    return NULL;
  if ((doc = _sl_json_parse (path, text, len, error)) == NULL)
    return NULL;
  top = _sl_json_root (doc);
  images = get_array (top, "images");
  cats = get_array (top, "categories");
  anns = get_array (top, "annotations");
  if (images == NULL || cats == NULL || anns == NULL)
    {
      _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL,
                    "not a COCO file: it needs the arrays images, categories and annotations");
      return NULL;
    }
  if (images->n == 0)
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL, "it lists no image");
      return NULL;
    }
  if (!choose_image (ctx, path, images, image_ids, &chosen, error))
    return NULL;

  for (guint i = 0; i < cats->n; i++)
    {
      const SlJsonValue *o = &cats->v.items[i];
      const char *name = get_string (o, "name");
      gint64 id;

      if (!get_id (o, "id", &id) || name == NULL)
        {
          g_autofree char *where = g_strdup_printf ("category %u", i + 1);
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "a category needs an id and a name");
          return NULL;
        }
      g_hash_table_insert (categories, g_memdup2 (&id, sizeof id), (gpointer) name);
    }

  records = g_ptr_array_new_full (anns->n, (GDestroyNotify) sl_label_record_free);
  for (guint i = 0; i < anns->n; i++)
    {
      const SlJsonValue *o = &anns->v.items[i];
      const SlJsonValue *attrs = _sl_json_get (o, "attributes");
      const SlJsonValue *seg = _sl_json_get (o, "segmentation");
      char where[64];
      const char *name, *text_value;
      SlAnnotation *a;
      gint64 image_id, category_id, id = 0;
      double crowd = 0;

      get_id (o, "id", &id);
      g_snprintf (where, sizeof where, "annotation %u (id %" G_GINT64_FORMAT ")", i + 1, id);
      if (!get_id (o, "image_id", &image_id) || !get_id (o, "category_id", &category_id))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "an annotation needs an image_id and a category_id");
          return NULL;
        }
      if (!g_hash_table_contains (image_ids, &image_id))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "its image %" G_GINT64_FORMAT " is missing from the file’s images", image_id);
          return NULL;
        }
      name = g_hash_table_lookup (categories, &category_id);
      if (name == NULL)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "its category %" G_GINT64_FORMAT " is not among the file’s categories", category_id);
          return NULL;
        }
      if (image_id != chosen)
        continue;
      if ((get_number (o, "iscrowd", &crowd) && crowd != 0) || (seg && seg->type == SL_JSON_OBJECT))
        {
          sl_label_context_warn (ctx, "%s: crowd annotation (RLE) skipped", where);
          continue;
        }
      if ((a = read_shape (ctx, path, where, o, error)) == NULL)
        return NULL;
      if ((text_value = get_string (attrs, "object_uid")) != NULL && *text_value)
        a->object_uid = g_strdup (text_value);
      if ((text_value = get_string (attrs, "note")) != NULL && *text_value)
        a->note = g_strdup (text_value);
      if ((text_value = get_string (attrs, "confidence")) != NULL)
        sl_confidence_from_string (text_value, &a->confidence);
      g_ptr_array_add (records, sl_label_record_new (a, name, where));
    }
  return g_steal_pointer (&records);
}

const SlLabelFormatIo sl_labels_coco_io = { SL_LABEL_FORMAT_COCO, read_coco, write_coco };
