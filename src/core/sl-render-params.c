/* sl-render-params.c — how a scene's bands become display colours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-render-params"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sl-render-params.h"

G_DEFINE_BOXED_TYPE (SlRenderParams, sl_render_params, sl_render_params_copy, sl_render_params_free)

static const char *const mode_names[] = { "percentile", "minmax", "manual", "none" };

SlRenderParams *
sl_render_params_new_for (int band_count, const char *data_type, gboolean has_palette)
{
  SlRenderParams *self = g_new0 (SlRenderParams, 1);
  gboolean rgb = band_count >= 3 && !has_palette;

  for (int c = 0; c < 3; c++)
    self->bands[c] = rgb ? c + 1 : 1;
  self->percent_low = 2;
  self->percent_high = 98;
  self->mode = (has_palette || g_strcmp0 (data_type, "Byte") == 0) ? SL_STRETCH_NONE : SL_STRETCH_PERCENTILE;
  for (int c = 0; c < 3; c++)
    {
      self->low[c] = 0;
      self->high[c] = 255;
    }
  self->resolved = self->mode == SL_STRETCH_NONE;
  return self;
}

SlRenderParams *
sl_render_params_copy (const SlRenderParams *self)
{
  return self ? g_memdup2 (self, sizeof *self) : NULL;
}

void
sl_render_params_free (SlRenderParams *self)
{
  g_free (self);
}

gboolean
sl_render_params_equal (const SlRenderParams *a, const SlRenderParams *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (memcmp (a->bands, b->bands, sizeof a->bands) != 0 || a->mode != b->mode ||
      a->percent_low != b->percent_low || a->percent_high != b->percent_high || a->resolved != b->resolved)
    return FALSE;
  for (int c = 0; c < 3; c++)
    if (a->low[c] != b->low[c] || a->high[c] != b->high[c])
      return FALSE;
  return TRUE;
}

gboolean
sl_render_params_is_grey (const SlRenderParams *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->bands[0] == self->bands[1] && self->bands[1] == self->bands[2];
}

static void
add_triple (JsonBuilder *b, const char *name, const double v[3])
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int c = 0; c < 3; c++)
    json_builder_add_double_value (b, v[c]);
  json_builder_end_array (b);
}

char *
sl_render_params_to_json (const SlRenderParams *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bands");
  json_builder_begin_array (b);
  for (int c = 0; c < 3; c++)
    json_builder_add_int_value (b, self->bands[c]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "stretch");
  json_builder_add_string_value (b, mode_names[self->mode]);
  json_builder_set_member_name (b, "percent");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, self->percent_low);
  json_builder_add_double_value (b, self->percent_high);
  json_builder_end_array (b);
  if (self->resolved)
    {
      add_triple (b, "low", self->low);
      add_triple (b, "high", self->high);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
read_triple (JsonObject *o, const char *name, double v[3])
{
  JsonArray *a;

  if (!json_object_has_member (o, name) || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, name)))
    return FALSE;
  a = json_object_get_array_member (o, name);
  if (json_array_get_length (a) != 3)
    return FALSE;
  for (guint c = 0; c < 3; c++)
    {
      v[c] = json_array_get_double_element (a, c);
      if (!isfinite (v[c]))
        return FALSE;
    }
  return TRUE;
}

SlRenderParams *
sl_render_params_new_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SlRenderParams) self = g_new0 (SlRenderParams, 1);
  JsonObject *o;
  JsonArray *a;
  const char *mode;
  guint m;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  o = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (o, "bands") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "bands")))
    goto bad;
  a = json_object_get_array_member (o, "bands");
  if (json_array_get_length (a) != 3)
    goto bad;
  for (guint c = 0; c < 3; c++)
    {
      self->bands[c] = (int) json_array_get_int_element (a, c);
      if (self->bands[c] < 1)
        goto bad;
    }
  mode = json_object_get_string_member_with_default (o, "stretch", "percentile");
  for (m = 0; m < G_N_ELEMENTS (mode_names); m++)
    if (g_strcmp0 (mode, mode_names[m]) == 0)
      break;
  if (m == G_N_ELEMENTS (mode_names))
    goto bad;
  self->mode = m;
  self->percent_low = 2;
  self->percent_high = 98;
  if (json_object_has_member (o, "percent"))
    {
      a = json_object_get_array_member (o, "percent");
      if (a == NULL || json_array_get_length (a) != 2)
        goto bad;
      self->percent_low = json_array_get_double_element (a, 0);
      self->percent_high = json_array_get_double_element (a, 1);
      if (!(self->percent_low >= 0 && self->percent_low < self->percent_high && self->percent_high <= 100))
        goto bad;
    }
  self->resolved = read_triple (o, "low", self->low) && read_triple (o, "high", self->high);
  if (!self->resolved)
    for (int c = 0; c < 3; c++)
      self->low[c] = 0, self->high[c] = 255;
  if (self->mode == SL_STRETCH_NONE)
    self->resolved = TRUE;
  return g_steal_pointer (&self);

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not valid render parameters: %s", json);
  return NULL;
}
