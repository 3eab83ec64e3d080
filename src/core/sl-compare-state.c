/* sl-compare-state.c — the comparison a project shows, and its JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-state"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "sl-compare-state.h"

static const char * const mode_names[SL_COMPARE_N_MODES] = {
  "single", "grid", "swipe", "blend", "blink", "difference",
};

#define MIN_BLINK_HZ 0.25
#define MAX_BLINK_HZ 10.0
#define MIN_GAIN 1.0
#define MAX_GAIN 16.0
#define MIN_PLAY_FPS 0.25
#define MAX_PLAY_FPS 30.0
#define MAX_OFFSET 64

const char *
sl_compare_mode_to_string (SlCompareMode mode)
{
  g_return_val_if_fail (mode < SL_COMPARE_N_MODES, NULL);

  return mode_names[mode];
}

gboolean
sl_compare_mode_from_string (const char    *text,
                             SlCompareMode *mode)
{
  for (guint i = 0; text != NULL && i < SL_COMPARE_N_MODES; i++)
    if (g_ascii_strcasecmp (text, mode_names[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

void
sl_compare_state_init (SlCompareState *self)
{
  g_return_if_fail (self != NULL);

  *self = (SlCompareState) {
    .mode = SL_COMPARE_SINGLE,
    .grid_count = 2,
    .swipe = 0.5,
    .opacity = 0.5,
    .blink_hz = 2.0,
    .gain = 2.0,
    .play_fps = 2.0,
    .resolution = 1.0,
  };
  /* Before/after: A the previous date, B the current one. */
  self->pair[0].offset = -1;
  self->pair[1].offset = 0;
}

static double
clamp_finite (double value,
              double low,
              double high,
              double fallback)
{
  if (!isfinite (value))
    return fallback;
  return CLAMP (value, low, high);
}

static void
normalize (SlCompareState *self)
{
  SlCompareState defaults;

  sl_compare_state_init (&defaults);
  if (self->mode >= SL_COMPARE_N_MODES)
    self->mode = SL_COMPARE_SINGLE;
  self->grid_count = CLAMP (self->grid_count, 2, SL_COMPARE_MAX_PANES);
  self->current = MAX (self->current, 0);
  for (guint i = 0; i < 2; i++)
    {
      self->pair[i].scene_id = MAX (self->pair[i].scene_id, 0);
      self->pair[i].offset = CLAMP (self->pair[i].offset, -MAX_OFFSET, MAX_OFFSET);
    }
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    self->grid[i] = MAX (self->grid[i], 0);
  self->swipe = clamp_finite (self->swipe, 0.0, 1.0, defaults.swipe);
  self->opacity = clamp_finite (self->opacity, 0.0, 1.0, defaults.opacity);
  self->blink_hz = clamp_finite (self->blink_hz, MIN_BLINK_HZ, MAX_BLINK_HZ, defaults.blink_hz);
  self->gain = clamp_finite (self->gain, MIN_GAIN, MAX_GAIN, defaults.gain);
  self->play_fps = clamp_finite (self->play_fps, MIN_PLAY_FPS, MAX_PLAY_FPS, defaults.play_fps);
  if (!isfinite (self->center_x) || !isfinite (self->center_y) || !isfinite (self->resolution) ||
      self->resolution <= 0)
    {
      self->has_view = FALSE;
      self->center_x = self->center_y = 0;
      self->resolution = 1.0;
    }
}

char *
sl_compare_state_to_json (const SlCompareState *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, sl_compare_mode_to_string (MIN (self->mode, SL_COMPARE_N_MODES - 1)));
  json_builder_set_member_name (b, "current");
  json_builder_add_int_value (b, self->current);
  json_builder_set_member_name (b, "grid_scenes");
  json_builder_begin_array (b);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    json_builder_add_int_value (b, self->grid[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pair");
  json_builder_begin_array (b);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_begin_object (b);
      /* The offset is kept for a fixed pane too: unpinning it brings it back. */
      if (self->pair[i].scene_id > 0)
        {
          json_builder_set_member_name (b, "scene");
          json_builder_add_int_value (b, self->pair[i].scene_id);
        }
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, self->pair[i].offset);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "grid");
  json_builder_add_int_value (b, self->grid_count);
  json_builder_set_member_name (b, "swipe");
  json_builder_add_double_value (b, self->swipe);
  json_builder_set_member_name (b, "orientation");
  json_builder_add_string_value (b, self->swipe_horizontal ? "horizontal" : "vertical");
  json_builder_set_member_name (b, "opacity");
  json_builder_add_double_value (b, self->opacity);
  json_builder_set_member_name (b, "blink_hz");
  json_builder_add_double_value (b, self->blink_hz);
  json_builder_set_member_name (b, "gain");
  json_builder_add_double_value (b, self->gain);
  json_builder_set_member_name (b, "play_fps");
  json_builder_add_double_value (b, self->play_fps);
  if (self->has_view)
    {
      json_builder_set_member_name (b, "view");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "center_x");
      json_builder_add_double_value (b, self->center_x);
      json_builder_set_member_name (b, "center_y");
      json_builder_add_double_value (b, self->center_y);
      json_builder_set_member_name (b, "resolution");
      json_builder_add_double_value (b, self->resolution);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Numbers only: a member of another type keeps the default. */
static double
get_double (JsonObject *o,
            const char *name,
            double      fallback)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    default:
      return fallback;
    }
}

static gint64
get_int (JsonObject *o,
         const char *name,
         gint64      fallback)
{
  double v = get_double (o, name, (double) fallback);

  return isfinite (v) && fabs (v) < 1e15 ? (gint64) v : fallback;
}

static const char *
get_string (JsonObject *o,
            const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
sl_compare_state_from_json (SlCompareState  *self,
                            const char      *json,
                            GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *o;
  JsonNode *node;
  const char *text;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  sl_compare_state_init (self);
  if (!json_parser_load_from_data (parser, json, -1, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "the view state is not a JSON object");
      return FALSE;
    }
  o = json_node_get_object (root);

  if ((text = get_string (o, "mode")) != NULL)
    sl_compare_mode_from_string (text, &self->mode);
  self->current = get_int (o, "current", 0);
  if ((node = json_object_get_member (o, "pair")) != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *pair = json_node_get_array (node);

      for (guint i = 0; i < MIN (json_array_get_length (pair), 2); i++)
        {
          JsonNode *pane = json_array_get_element (pair, i);
          JsonObject *po;

          if (!JSON_NODE_HOLDS_OBJECT (pane))
            continue;
          po = json_node_get_object (pane);
          self->pair[i].scene_id = get_int (po, "scene", 0);
          self->pair[i].offset = (int) CLAMP (get_int (po, "offset", self->pair[i].offset), -MAX_OFFSET, MAX_OFFSET);
        }
    }
  if ((node = json_object_get_member (o, "grid_scenes")) != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *grid = json_node_get_array (node);

      for (guint i = 0; i < MIN (json_array_get_length (grid), SL_COMPARE_MAX_PANES); i++)
        {
          JsonNode *pane = json_array_get_element (grid, i);

          if (JSON_NODE_HOLDS_VALUE (pane) && json_node_get_value_type (pane) == G_TYPE_INT64)
            self->grid[i] = json_node_get_int (pane);
        }
    }
  self->grid_count = (guint) CLAMP (get_int (o, "grid", self->grid_count), 2, SL_COMPARE_MAX_PANES);
  self->swipe = get_double (o, "swipe", self->swipe);
  if ((text = get_string (o, "orientation")) != NULL)
    self->swipe_horizontal = g_strcmp0 (text, "horizontal") == 0;
  self->opacity = get_double (o, "opacity", self->opacity);
  self->blink_hz = get_double (o, "blink_hz", self->blink_hz);
  self->gain = get_double (o, "gain", self->gain);
  self->play_fps = get_double (o, "play_fps", self->play_fps);
  if ((node = json_object_get_member (o, "view")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *view = json_node_get_object (node);

      self->has_view = json_object_has_member (view, "center_x") && json_object_has_member (view, "center_y") &&
                       json_object_has_member (view, "resolution");
      self->center_x = get_double (view, "center_x", 0);
      self->center_y = get_double (view, "center_y", 0);
      self->resolution = get_double (view, "resolution", 1.0);
    }
  normalize (self);
  return TRUE;
}

gboolean
sl_compare_state_equal (const SlCompareState *a,
                        const SlCompareState *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->mode != b->mode || a->current != b->current || a->grid_count != b->grid_count ||
      a->swipe != b->swipe || a->swipe_horizontal != b->swipe_horizontal || a->opacity != b->opacity ||
      a->blink_hz != b->blink_hz || a->gain != b->gain || a->play_fps != b->play_fps ||
      a->has_view != b->has_view)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    if (a->pair[i].scene_id != b->pair[i].scene_id || a->pair[i].offset != b->pair[i].offset)
      return FALSE;
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    if (a->grid[i] != b->grid[i])
      return FALSE;
  return !a->has_view || (a->center_x == b->center_x && a->center_y == b->center_y &&
                          a->resolution == b->resolution);
}

guint
sl_compare_state_n_panes (const SlCompareState *self)
{
  g_return_val_if_fail (self != NULL, 1);

  switch (self->mode)
    {
    case SL_COMPARE_SINGLE:
      return 1;
    case SL_COMPARE_GRID:
      return CLAMP (self->grid_count, 2, SL_COMPARE_MAX_PANES);
    case SL_COMPARE_SWIPE:
    case SL_COMPARE_BLEND:
    case SL_COMPARE_BLINK:
    case SL_COMPARE_DIFFERENCE:
    case SL_COMPARE_N_MODES:
    default:
      return 2;
    }
}

/* The index of the current date among @scene_ids: the latest when unset or not shown. */
static int
current_index (const SlCompareState *self,
               const gint64         *scene_ids,
               guint                 n_scenes)
{
  for (guint i = 0; i < n_scenes; i++)
    if (scene_ids[i] == self->current)
      return (int) i;
  return (int) n_scenes - 1;
}

static gboolean
is_shown (gint64        scene_id,
          const gint64 *scene_ids,
          guint         n_scenes)
{
  for (guint i = 0; scene_id > 0 && i < n_scenes; i++)
    if (scene_ids[i] == scene_id)
      return TRUE;
  return FALSE;
}

gint64
sl_compare_state_resolve (const SlCompareState *self,
                          guint                 pane,
                          const gint64         *scene_ids,
                          guint                 n_scenes)
{
  int index;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (pane < SL_COMPARE_MAX_PANES, 0);

  if (n_scenes == 0)
    return 0;
  index = current_index (self, scene_ids, n_scenes);
  switch (self->mode)
    {
    case SL_COMPARE_SINGLE:
      break;
    case SL_COMPARE_GRID:
      {
        guint n = sl_compare_state_n_panes (self);

        if (is_shown (self->grid[pane], scene_ids, n_scenes))
          return self->grid[pane];
        /* In reading order, the last pane on the current date. */
        index += (int) pane - (int) (n - 1);
      }
      break;
    case SL_COMPARE_SWIPE:
    case SL_COMPARE_BLEND:
    case SL_COMPARE_BLINK:
    case SL_COMPARE_DIFFERENCE:
    case SL_COMPARE_N_MODES:
    default:
      if (pane > 1)
        return 0;
      if (is_shown (self->pair[pane].scene_id, scene_ids, n_scenes))
        return self->pair[pane].scene_id;
      if (self->pair[pane].scene_id == 0)
        index += self->pair[pane].offset;
      break;
    }
  return scene_ids[CLAMP (index, 0, (int) n_scenes - 1)];
}

gint64
sl_compare_state_step (const SlCompareState *self,
                       int                   steps,
                       const gint64         *scene_ids,
                       guint                 n_scenes)
{
  int index;

  g_return_val_if_fail (self != NULL, 0);

  if (n_scenes == 0)
    return 0;
  index = current_index (self, scene_ids, n_scenes) + steps;
  return scene_ids[CLAMP (index, 0, (int) n_scenes - 1)];
}
