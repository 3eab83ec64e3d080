/* sl-registration-json.c — a registration's storage form
 *
 * The points are the truth: loading solves them again, so a stored registration always agrees
 * with its points; the parameters are written for other readers (and for people).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sl-registration-private.h"

char *
sl_registration_to_json (SlRegistration *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const double *params = NULL;
  guint n_params = 0;

  g_return_val_if_fail (SL_IS_REGISTRATION (self), NULL);
  if (self->kind == SL_TRANSFORM_SIMILARITY || self->kind == SL_TRANSFORM_AFFINE)
    params = self->t, n_params = 6;
  else if (self->kind == SL_TRANSFORM_PROJECTIVE)
    params = self->h, n_params = 9;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, sl_transform_kind_to_string (self->kind));
  json_builder_set_member_name (b, "image_size");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, self->width);
  json_builder_add_int_value (b, self->height);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_params; i++)
    json_builder_add_double_value (b, params[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "points");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->n_points; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "image_x");
      json_builder_add_double_value (b, self->points[i].image_x);
      json_builder_set_member_name (b, "image_y");
      json_builder_add_double_value (b, self->points[i].image_y);
      json_builder_set_member_name (b, "ref_x");
      json_builder_add_double_value (b, self->points[i].ref_x);
      json_builder_set_member_name (b, "ref_y");
      json_builder_add_double_value (b, self->points[i].ref_y);
      json_builder_set_member_name (b, "enabled");
      json_builder_add_boolean_value (b, self->points[i].enabled);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rms");
  json_builder_add_double_value (b, self->rms);
  json_builder_set_member_name (b, "rms_image");
  json_builder_add_double_value (b, self->rms_image);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
member_double (JsonObject *o,
               const char *name,
               double     *value)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

SlRegistration *
sl_registration_new_from_json (const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  g_autoptr(GError) local = NULL;
  JsonObject *root;
  JsonArray *array, *size;
  SlTransformKind kind;
  int width = 0, height = 0;

  g_return_val_if_fail (json != NULL, NULL);
  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read the stored registration: %s", local->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (root = json_node_get_object (json_parser_get_root (parser))) == NULL
      || !sl_transform_kind_from_string (json_object_get_string_member_with_default (root, "kind", NULL), &kind)
      || !json_object_has_member (root, "points")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "points")))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read the stored registration: no transform kind or no points");
      return NULL;
    }
  if (json_object_has_member (root, "image_size") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "image_size"))
      && json_array_get_length (size = json_object_get_array_member (root, "image_size")) == 2)
    {
      width = (int) json_array_get_int_element (size, 0);
      height = (int) json_array_get_int_element (size, 1);
    }
  array = json_object_get_array_member (root, "points");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      SlTiePoint p = { 0 };

      if (o == NULL || !member_double (o, "image_x", &p.image_x) || !member_double (o, "image_y", &p.image_y)
          || !member_double (o, "ref_x", &p.ref_x) || !member_double (o, "ref_y", &p.ref_y))
        {
          g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                       "Cannot read the stored registration: tie point %u lacks a coordinate", i + 1);
          return NULL;
        }
      p.enabled = json_object_get_boolean_member_with_default (o, "enabled", TRUE);
      g_array_append_val (points, p);
    }
  return sl_registration_solve (kind, (SlTiePoint *) (void *) points->data, points->len, width, height, error);
}
