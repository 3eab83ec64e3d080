/* sl-labels-voc.c — Pascal VOC XML, one file per image
 *
 * <annotation> with filename (the scene's source file name), size (width, height, depth 3),
 * segmented 0, and one <object> per annotation: name (the class name), pose Unspecified,
 * truncated (1 when the object was clipped at the image's edge), difficult (1 for low
 * confidence; a difficult object is imported with low confidence) and bndbox. VOC's boxes
 * count whole pixels from 1: xmin is the first column covered, xmax the last, so a box from
 * x0 to x1 in GDAL's pixel-corner coordinates is written xmin = round(x0) + 1, xmax = round(x1)
 * and read back as x0 = xmin − 1, x1 = xmax (exact to half a pixel). VOC holds axis-aligned
 * boxes only: rotated boxes and polygons are written as their bounding box (their shape is
 * not restored); points and lines are skipped (a warning gives their number).
 *
 * Import reads the file with GMarkup; the filename must name the scene's image (the same
 * name without its extension) and the size, when given, be the scene's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-labels-ml-private.h"

char *
_sl_voc_format_image (SlLabelContext  *ctx,
                      GPtrArray       *shapes,
                      const SlMlImage *img)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<annotation>\n");
  g_autofree char *file_name = g_markup_escape_text (img->file_name, -1);
  guint skipped = 0;

  g_string_append_printf (out,
                          "  <folder>images</folder>\n"
                          "  <filename>%s</filename>\n"
                          "  <source>\n    <database>Sitelapse</database>\n  </source>\n"
                          "  <size>\n    <width>%d</width>\n    <height>%d</height>\n    <depth>3</depth>\n  </size>\n"
                          "  <segmented>0</segmented>\n",
                          file_name, img->width, img->height);
  for (guint i = 0; i < shapes->len; i++)
    {
      const SlMlShape *s = g_ptr_array_index (shapes, i);
      g_autofree char *name = NULL;
      int xmin, ymin, xmax, ymax;

      if (s->kind == SL_SHAPE_POINT || s->kind == SL_SHAPE_LINE)
        {
          skipped++;
          continue;
        }
      xmin = (int) round (s->x0) + 1;
      ymin = (int) round (s->y0) + 1;
      xmax = MAX ((int) round (s->x1), xmin);
      ymax = MAX ((int) round (s->y1), ymin);
      name = g_markup_escape_text (s->klass->name, -1);
      g_string_append_printf (out,
                              "  <object>\n"
                              "    <name>%s</name>\n"
                              "    <pose>Unspecified</pose>\n"
                              "    <truncated>%d</truncated>\n"
                              "    <difficult>%d</difficult>\n"
                              "    <bndbox>\n"
                              "      <xmin>%d</xmin>\n      <ymin>%d</ymin>\n"
                              "      <xmax>%d</xmax>\n      <ymax>%d</ymax>\n"
                              "    </bndbox>\n"
                              "  </object>\n",
                              name, s->truncated ? 1 : 0,
                              s->annotation->confidence == SL_CONFIDENCE_LOW ? 1 : 0,
                              xmin, ymin, xmax, ymax);
    }
  g_string_append (out, "</annotation>\n");
  if (skipped > 0)
    sl_label_context_warn (ctx, "%s: %u point%s or line%s skipped (Pascal VOC holds boxes)", img->file_name,
                           skipped, skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
  return g_string_free (out, FALSE);
}

static gboolean
write_voc (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)
{
  g_autoptr(GPtrArray) shapes = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *text = NULL;
  SlMlImage img;

  if (!_sl_ml_whole_scene (ctx, &img, SL_LABEL_FORMAT_VOC, error))
    return FALSE;
  file_name = _sl_ml_scene_file_name (ctx->scene);
  img.file_name = file_name;
  if ((shapes = _sl_ml_shapes (ctx, &img, annotations, 0, error)) == NULL)
    return FALSE;
  text = _sl_voc_format_image (ctx, shapes, &img);
  return _sl_ml_save (path, text, -1, error);
}

/* --- import --- */

typedef struct
{
  GString   *text;         /* character data of the current element */
  GQueue     stack;        /* open element names, innermost first (copies) */
  char      *filename;
  double     width, height;
  /* the object being read */
  gboolean   in_object;
  guint      n_objects;
  int        object_line;
  char      *name;
  double     box[4];       /* xmin ymin xmax ymax */
  guint      have_box;     /* bits */
  gboolean   difficult;
  GPtrArray *objects;      /* VocObject * */
} VocParse;

typedef struct
{
  char     *name;
  double    box[4];
  gboolean  difficult;
  int       line;
  guint     index;
} VocObject;

static void
voc_object_free (VocObject *o)
{
  g_free (o->name);
  g_free (o);
}

static const char *
parent_name (VocParse *p, guint depth)
{
  return g_queue_peek_nth (&p->stack, depth);
}

static void
on_start (GMarkupParseContext *context, const char *element, const char **names, const char **values,
          gpointer data, GError **error)
{
  VocParse *p = data;

  g_queue_push_head (&p->stack, g_strdup (element));
  g_string_truncate (p->text, 0);
  if (strcmp (element, "object") == 0 && g_queue_get_length (&p->stack) == 2)
    {
      int line;

      g_markup_parse_context_get_position (context, &line, NULL);
      p->in_object = TRUE;
      p->object_line = line;
      p->n_objects++;
      g_clear_pointer (&p->name, g_free);
      p->have_box = 0;
      p->difficult = FALSE;
    }
}

static void
on_text (GMarkupParseContext *context, const char *text, gsize len, gpointer data, GError **error)
{
  VocParse *p = data;

  g_string_append_len (p->text, text, len);
}

static gboolean
parse_number (const char *text, double *v)
{
  char *end;

  while (g_ascii_isspace (*text))
    text++;
  *v = g_ascii_strtod (text, &end);
  while (g_ascii_isspace (*end))
    end++;
  return end != text && *end == '\0' && isfinite (*v);
}

static void
on_end (GMarkupParseContext *context, const char *element, gpointer data, GError **error)
{
  static const char *const sides[4] = { "xmin", "ymin", "xmax", "ymax" };
  VocParse *p = data;
  const char *parent = parent_name (p, 1);
  g_autofree char *value = g_strdup (g_strstrip (p->text->str));
  double v;

  if (g_queue_get_length (&p->stack) == 2 && strcmp (element, "filename") == 0)
    g_free (p->filename), p->filename = g_strdup (value);
  else if (g_strcmp0 (parent, "size") == 0 && (strcmp (element, "width") == 0 || strcmp (element, "height") == 0))
    {
      if (!parse_number (value, &v))
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "size %s ‘%s’ is not a number", element, value);
          goto out;
        }
      *(strcmp (element, "width") == 0 ? &p->width : &p->height) = v;
    }
  else if (p->in_object && g_strcmp0 (parent, "object") == 0 && strcmp (element, "name") == 0)
    g_free (p->name), p->name = g_strdup (value);
  else if (p->in_object && g_strcmp0 (parent, "object") == 0 && strcmp (element, "difficult") == 0)
    p->difficult = strcmp (value, "1") == 0;
  else if (p->in_object && g_strcmp0 (parent, "bndbox") == 0)
    {
      for (guint k = 0; k < 4; k++)
        if (strcmp (element, sides[k]) == 0)
          {
            if (!parse_number (value, &p->box[k]))
              {
                g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                             "object %u: %s ‘%s’ is not a number", p->n_objects, sides[k], value);
                goto out;
              }
            p->have_box |= 1u << k;
          }
    }
  else if (p->in_object && strcmp (element, "object") == 0 && g_queue_get_length (&p->stack) == 2)
    {
      VocObject *o;

      p->in_object = FALSE;
      if (p->name == NULL || *p->name == '\0' || p->have_box != 0xf)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "object %u (line %d) needs a name and a bndbox with xmin, ymin, xmax and ymax",
                       p->n_objects, p->object_line);
          goto out;
        }
      o = g_new0 (VocObject, 1);
      o->name = g_steal_pointer (&p->name);
      memcpy (o->box, p->box, sizeof o->box);
      o->difficult = p->difficult;
      o->line = p->object_line;
      o->index = p->n_objects;
      g_ptr_array_add (p->objects, o);
    }
out:
  g_free (g_queue_pop_head (&p->stack));
  g_string_truncate (p->text, 0);
}

static GPtrArray *
read_voc (SlLabelContext *ctx, const char *path, GError **error)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_label_record_free);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) voc_object_free);
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  g_autofree char *scene_name = NULL;
  g_autofree char *scene_stem = NULL;
  VocParse p = { .text = g_string_new (NULL), .objects = objects, .width = -1, .height = -1 };
  gboolean ok;
  gsize len;

  if (ctx->scene == NULL || ctx->pixels == NULL)
    {
      g_string_free (p.text, TRUE);
      g_set_error (error, SL_LABELS_ERROR, SL_LABELS_ERROR_NO_SCENE,
                   "Cannot import ‘%s’: Pascal VOC labels need a scene to be placed on", path);
      return NULL;
    }
  if ((text = _sl_ml_load (path, &len, error)) == NULL)
    {
      g_string_free (p.text, TRUE);
      return NULL;
    }
  g_queue_init (&p.stack);
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &p, NULL);
  ok = g_markup_parse_context_parse (context, text, (gssize) len, &local) &&
       g_markup_parse_context_end_parse (context, &local);
  g_queue_clear_full (&p.stack, g_free);
  g_string_free (p.text, TRUE);
  g_clear_pointer (&p.name, g_free);
  if (!ok)
    {
      /* GMarkup's position prefix reads "Error on line 7 char 3: …". */
      g_free (p.filename);
      _sl_ml_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "not valid Pascal VOC XML: %s", local->message);
      return NULL;
    }

  scene_name = _sl_ml_scene_file_name (ctx->scene);
  scene_stem = _sl_ml_stem (scene_name);
  if (p.filename != NULL)
    {
      g_autofree char *stem = _sl_ml_stem (p.filename);

      if (g_strcmp0 (stem, scene_stem) != 0)
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                        "it labels the image %s, not the scene’s image %s", p.filename, scene_name);
          g_free (p.filename);
          return NULL;
        }
    }
  g_free (p.filename);
  if ((p.width >= 0 && (int) p.width != sl_scene_pixels_get_width (ctx->pixels)) ||
      (p.height >= 0 && (int) p.height != sl_scene_pixels_get_height (ctx->pixels)))
    {
      _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, NULL,
                    "its image is %g × %g pixels, the scene’s image %s is %d × %d", p.width, p.height,
                    scene_name, sl_scene_pixels_get_width (ctx->pixels), sl_scene_pixels_get_height (ctx->pixels));
      return NULL;
    }

  for (guint i = 0; i < objects->len; i++)
    {
      VocObject *o = g_ptr_array_index (objects, i);
      g_autofree char *where = g_strdup_printf ("line %d (object %u)", o->line, o->index);
      double x0 = o->box[0] - 1, y0 = o->box[1] - 1, x1 = o->box[2], y1 = o->box[3];
      const double c[8] = { x0, y0, x1, y0, x1, y1, x0, y1 };
      SlAnnotation *a;

      if (!(x1 > x0 && y1 > y0))
        {
          _sl_ml_error (error, SL_LABELS_ERROR_INVALID, path, where,
                        "the box (%g, %g)–(%g, %g) is empty", o->box[0], o->box[1], o->box[2], o->box[3]);
          return NULL;
        }
      if ((a = _sl_ml_annotation (ctx, path, where, SL_SHAPE_BOX, c, 4, error)) == NULL)
        return NULL;
      if (o->difficult)
        a->confidence = SL_CONFIDENCE_LOW;
      g_ptr_array_add (records, sl_label_record_new (a, o->name, where));
    }
  return g_steal_pointer (&records);
}

const SlLabelFormatIo sl_labels_voc_io = { SL_LABEL_FORMAT_VOC, read_voc, write_voc };
