/* sl-composer-composition.c — SlComposition: the value type of a graphic, and its JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-composer"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-composer.h"

G_DEFINE_BOXED_TYPE (SlComposition, sl_composition, sl_composition_copy, sl_composition_free)

static const char *const layout_names[] = { "swipe", "side-by-side", "stacked", "grid", "single" };
static const char *const corner_names[] = { "top-left", "top-right", "bottom-left", "bottom-right" };
static const char *const theme_names[] = { "light", "dark" };
static const char *const area_names[] = { "site", "bounds", "view" };
static const char *const animation_names[] = { "timelapse", "sweep" };
static const char *const format_names[] = { "png", "jpeg", "pdf", "svg", "html", "webp", "gif" };

static int
name_index (const char *const *names, guint n, const char *text)
{
  for (guint i = 0; text && i < n; i++)
    if (g_ascii_strcasecmp (names[i], text) == 0)
      return i;
  return -1;
}

const char *
sl_layout_to_string (SlLayout layout)
{
  g_return_val_if_fail (layout < G_N_ELEMENTS (layout_names), NULL);
  return layout_names[layout];
}

gboolean
sl_layout_from_string (const char *text, SlLayout *layout)
{
  int i = name_index (layout_names, G_N_ELEMENTS (layout_names), text);

  if (i < 0 && g_strcmp0 (text, "side_by_side") == 0)
    i = SL_LAYOUT_SIDE_BY_SIDE;
  if (i < 0)
    return FALSE;
  *layout = i;
  return TRUE;
}

const char *
sl_export_format_to_string (SlExportFormat format)
{
  g_return_val_if_fail (format < SL_EXPORT_N_FORMATS, NULL);
  return format_names[format];
}

gboolean
sl_export_format_from_path (const char *path, SlExportFormat *format)
{
  const char *dot = path ? strrchr (path, '.') : NULL;
  const char *ext = dot ? dot + 1 : path;
  int i;

  if (ext == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (ext, "jpg") == 0)
    ext = "jpeg";
  else if (g_ascii_strcasecmp (ext, "htm") == 0)
    ext = "html";
  i = name_index (format_names, G_N_ELEMENTS (format_names), ext);
  if (i < 0)
    return FALSE;
  *format = i;
  return TRUE;
}

SlComposition *
sl_composition_new (void)
{
  SlComposition *self = g_new0 (SlComposition, 1);

  self->layout = SL_LAYOUT_SWIPE;
  self->area = SL_AREA_SITE;
  self->width = 1600;
  self->height = 1200;
  self->dpi = 300;
  self->divider = 0.5;
  self->divider_handle = TRUE;
  self->show_dates = TRUE;
  self->date_corner = SL_CORNER_TOP_LEFT;
  self->scale_bar = TRUE;
  self->north_arrow = TRUE;
  self->annotations = TRUE;
  self->margin = -1;
  self->theme = SL_THEME_LIGHT;
  self->jpeg_quality = 90;
  self->animation = SL_ANIMATION_TIMELAPSE;
  return self;
}

SlComposition *
sl_composition_copy (const SlComposition *self)
{
  SlComposition *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->divider_colour = g_strdup (self->divider_colour);
  copy->date_format = g_strdup (self->date_format);
  copy->title = g_strdup (self->title);
  copy->caption = g_strdup (self->caption);
  copy->credit = g_strdup (self->credit);
  copy->background = g_strdup (self->background);
  copy->font_family = g_strdup (self->font_family);
  copy->class_ids = self->n_classes ? g_memdup2 (self->class_ids, self->n_classes * sizeof (gint64)) : NULL;
  return copy;
}

void
sl_composition_free (SlComposition *self)
{
  if (self == NULL)
    return;
  g_free (self->divider_colour);
  g_free (self->date_format);
  g_free (self->title);
  g_free (self->caption);
  g_free (self->credit);
  g_free (self->background);
  g_free (self->font_family);
  g_free (self->class_ids);
  g_free (self);
}

void
sl_composition_set_string (SlComposition *self, char **member, const char *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((char *) member >= (char *) self && (char *) member < (char *) (self + 1));

  if (*member != value)
    {
      g_free (*member);
      *member = g_strdup (value);
    }
}

void
sl_composition_set_scenes (SlComposition *self, const gint64 *scene_ids, guint n_scenes)
{
  g_return_if_fail (self != NULL);

  self->n_scenes = MIN (n_scenes, SL_COMPOSITION_MAX_SCENES);
  memset (self->scene_ids, 0, sizeof self->scene_ids);
  if (self->n_scenes > 0)
    memcpy (self->scene_ids, scene_ids, self->n_scenes * sizeof (gint64));
}

void
sl_composition_set_from_compare_state (SlComposition        *self,
                                       const SlCompareState *state,
                                       const gint64         *scene_ids,
                                       guint                 n_scenes)
{
  gint64 ids[SL_COMPARE_MAX_PANES];
  guint n = 0;

  g_return_if_fail (self != NULL && state != NULL);

  switch (state->mode)
    {
    case SL_COMPARE_SINGLE:
      self->layout = SL_LAYOUT_SINGLE;
      ids[n++] = sl_compare_state_step (state, 0, scene_ids, n_scenes);
      break;
    case SL_COMPARE_GRID:
      self->layout = SL_LAYOUT_GRID;
      for (guint i = 0; i < sl_compare_state_n_panes (state); i++)
        ids[n++] = sl_compare_state_resolve (state, i, scene_ids, n_scenes);
      break;
    default:
      self->layout = state->mode == SL_COMPARE_SWIPE ? SL_LAYOUT_SWIPE : SL_LAYOUT_SIDE_BY_SIDE;
      ids[n++] = sl_compare_state_resolve (state, 0, scene_ids, n_scenes);
      ids[n++] = sl_compare_state_resolve (state, 1, scene_ids, n_scenes);
      break;
    }
  self->divider = CLAMP (state->swipe, 0.0, 1.0);
  self->horizontal = state->swipe_horizontal;
  /* No scenes at all resolve to 0: leave them out rather than keep an id that is not there. */
  self->n_scenes = 0;
  for (guint i = 0; i < n; i++)
    if (ids[i] > 0)
      self->scene_ids[self->n_scenes++] = ids[i];
}

void
sl_composition_set_view (SlComposition *self, SlViewport *viewport, int pane_width, int pane_height)
{
  int width, height;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SL_IS_VIEWPORT (viewport));
  g_return_if_fail (pane_width > 0 && pane_height > 0);

  sl_composition_get_pixel_size (self, &width, &height);
  self->area = SL_AREA_VIEW;
  self->center_x = sl_viewport_get_center_x (viewport);
  self->center_y = sl_viewport_get_center_y (viewport);
  /* The pane's width of ground across the output's width (a panel is somewhat narrower
   * than the output: margins; it shows the same centre at the same scale). */
  self->resolution = sl_viewport_get_resolution (viewport) * pane_width / MAX (width, 1);
  {
    SlBounds b;

    sl_viewport_get_visible_bounds (viewport, pane_width, pane_height, &b);
    self->bounds = b;
  }
}

void
sl_composition_get_pixel_size (const SlComposition *self, int *width, int *height)
{
  g_return_if_fail (self != NULL);

  if (self->width_mm > 0 && self->height_mm > 0)
    {
      double dpi = self->dpi > 0 ? self->dpi : 300;

      *width = (int) floor (self->width_mm / 25.4 * dpi + 0.5);
      *height = (int) floor (self->height_mm / 25.4 * dpi + 0.5);
    }
  else
    {
      *width = self->width;
      *height = self->height;
    }
}

/* --- JSON --- */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
add_doubles (JsonBuilder *b, const char *name, const double *values, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_double_value (b, values[i]);
  json_builder_end_array (b);
}

static void
add_ids (JsonBuilder *b, const char *name, const gint64 *ids, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (b, ids[i]);
  json_builder_end_array (b);
}

char *
sl_composition_to_json (const SlComposition *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "layout", layout_names[self->layout]);
  add_ids (b, "scenes", self->scene_ids, self->n_scenes);
  add_int (b, "grid_columns", self->grid_columns);
  add_string (b, "area", area_names[self->area]);
  add_doubles (b, "bounds", (const double[]) { self->bounds.min_x, self->bounds.min_y,
                                               self->bounds.max_x, self->bounds.max_y }, 4);
  add_doubles (b, "center", (const double[]) { self->center_x, self->center_y }, 2);
  add_double (b, "resolution", self->resolution);
  add_int (b, "width", self->width);
  add_int (b, "height", self->height);
  add_double (b, "width_mm", self->width_mm);
  add_double (b, "height_mm", self->height_mm);
  add_double (b, "dpi", self->dpi);
  add_double (b, "divider", self->divider);
  add_bool (b, "horizontal", self->horizontal);
  add_string (b, "divider_colour", self->divider_colour);
  add_double (b, "divider_width", self->divider_width);
  add_bool (b, "divider_handle", self->divider_handle);
  add_bool (b, "show_dates", self->show_dates);
  add_string (b, "date_format", self->date_format);
  add_string (b, "date_corner", corner_names[self->date_corner]);
  add_string (b, "title", self->title);
  add_string (b, "caption", self->caption);
  add_string (b, "credit", self->credit);
  add_bool (b, "scale_bar", self->scale_bar);
  add_bool (b, "north_arrow", self->north_arrow);
  add_bool (b, "annotations", self->annotations);
  add_ids (b, "classes", self->class_ids, self->n_classes);
  add_int (b, "margin", self->margin);
  add_string (b, "theme", theme_names[self->theme]);
  add_string (b, "background", self->background);
  add_string (b, "font", self->font_family);
  add_int (b, "jpeg_quality", self->jpeg_quality);
  add_string (b, "animation", animation_names[self->animation]);
  add_int (b, "frame_ms", self->frame_ms);
  add_int (b, "sweep_frames", self->sweep_frames);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

typedef struct
{
  JsonObject  *object;
  const char  *bad;    /* the first member of the wrong kind */
} Reader;

static JsonNode *
member (Reader *r, const char *name, JsonNodeType type)
{
  JsonNode *node = json_object_get_member (r->object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  /* Which kind of value is told apart by the callers. */
  if (JSON_NODE_TYPE (node) != type)
    {
      r->bad = r->bad ? r->bad : name;
      return NULL;
    }
  return node;
}

static void
read_string (Reader *r, const char *name, char **value)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);

  if (node == NULL)
    return;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      r->bad = r->bad ? r->bad : name;
      return;
    }
  g_free (*value);
  *value = g_strdup (json_node_get_string (node));
}

static void
read_number (Reader *r, const char *name, double *value)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);
  GType type;

  if (node == NULL)
    return;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      r->bad = r->bad ? r->bad : name;
      return;
    }
  *value = json_node_get_double (node);
}

static void
read_int (Reader *r, const char *name, int *value)
{
  double v = *value;

  read_number (r, name, &v);
  *value = (int) CLAMP (v, -1e9, 1e9);
}

static void
read_bool (Reader *r, const char *name, gboolean *value)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);

  if (node == NULL)
    return;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      r->bad = r->bad ? r->bad : name;
      return;
    }
  *value = json_node_get_boolean (node);
}

static void
read_enum (Reader *r, const char *name, const char *const *names, guint n, guint *value)
{
  g_autofree char *text = NULL;
  int i;

  read_string (r, name, &text);
  if (text == NULL)
    return;
  i = name_index (names, n, text);
  if (i < 0)
    r->bad = r->bad ? r->bad : name;
  else
    *value = i;
}

static guint
read_numbers (Reader *r, const char *name, double *values, guint max)
{
  JsonNode *node = member (r, name, JSON_NODE_ARRAY);
  JsonArray *array;
  guint n;

  if (node == NULL)
    return 0;
  array = json_node_get_array (node);
  n = MIN (json_array_get_length (array), max);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (e) ||
          (json_node_get_value_type (e) != G_TYPE_INT64 && json_node_get_value_type (e) != G_TYPE_DOUBLE))
        {
          r->bad = r->bad ? r->bad : name;
          return 0;
        }
      values[i] = json_node_get_double (e);
    }
  return n;
}

SlComposition *
sl_composition_new_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SlComposition) self = NULL;
  g_autoptr(GError) local = NULL;
  double v[SL_COMPOSITION_MAX_SCENES];
  double classes[256];
  guint n;
  JsonNode *root;
  Reader r = { NULL, NULL };

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "Cannot read an export composition: %s", local ? local->message : "not a JSON object");
      return NULL;
    }
  r.object = json_node_get_object (root);
  self = sl_composition_new ();

  read_enum (&r, "layout", layout_names, G_N_ELEMENTS (layout_names), &self->layout);
  n = read_numbers (&r, "scenes", v, SL_COMPOSITION_MAX_SCENES);
  self->n_scenes = n;
  for (guint i = 0; i < n; i++)
    self->scene_ids[i] = (gint64) v[i];
  {
    double columns = 0;

    read_number (&r, "grid_columns", &columns);
    self->grid_columns = (guint) CLAMP (columns, 0, SL_COMPOSITION_MAX_SCENES);
  }
  read_enum (&r, "area", area_names, G_N_ELEMENTS (area_names), &self->area);
  if (read_numbers (&r, "bounds", v, 4) == 4)
    self->bounds = (SlBounds) { v[0], v[1], v[2], v[3] };
  if (read_numbers (&r, "center", v, 2) == 2)
    {
      self->center_x = v[0];
      self->center_y = v[1];
    }
  read_number (&r, "resolution", &self->resolution);
  read_int (&r, "width", &self->width);
  read_int (&r, "height", &self->height);
  read_number (&r, "width_mm", &self->width_mm);
  read_number (&r, "height_mm", &self->height_mm);
  read_number (&r, "dpi", &self->dpi);
  read_number (&r, "divider", &self->divider);
  self->divider = CLAMP (self->divider, 0.0, 1.0);
  read_bool (&r, "horizontal", &self->horizontal);
  read_string (&r, "divider_colour", &self->divider_colour);
  read_number (&r, "divider_width", &self->divider_width);
  read_bool (&r, "divider_handle", &self->divider_handle);
  read_bool (&r, "show_dates", &self->show_dates);
  read_string (&r, "date_format", &self->date_format);
  read_enum (&r, "date_corner", corner_names, G_N_ELEMENTS (corner_names), &self->date_corner);
  read_string (&r, "title", &self->title);
  read_string (&r, "caption", &self->caption);
  read_string (&r, "credit", &self->credit);
  read_bool (&r, "scale_bar", &self->scale_bar);
  read_bool (&r, "north_arrow", &self->north_arrow);
  read_bool (&r, "annotations", &self->annotations);
  n = read_numbers (&r, "classes", classes, G_N_ELEMENTS (classes));
  if (n > 0)
    {
      self->n_classes = n;
      self->class_ids = g_new (gint64, n);
      for (guint i = 0; i < n; i++)
        self->class_ids[i] = (gint64) classes[i];
    }
  read_int (&r, "margin", &self->margin);
  read_enum (&r, "theme", theme_names, G_N_ELEMENTS (theme_names), &self->theme);
  read_string (&r, "background", &self->background);
  read_string (&r, "font", &self->font_family);
  read_int (&r, "jpeg_quality", &self->jpeg_quality);
  self->jpeg_quality = CLAMP (self->jpeg_quality, 1, 100);
  read_enum (&r, "animation", animation_names, G_N_ELEMENTS (animation_names), &self->animation);
  read_int (&r, "frame_ms", &self->frame_ms);
  read_int (&r, "sweep_frames", &self->sweep_frames);

  if (r.bad)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "Cannot read an export composition: the value of ‘%s’ is not what it should be", r.bad);
      return NULL;
    }
  return g_steal_pointer (&self);
}
