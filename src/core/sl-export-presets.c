/* sl-export-presets.c — named export compositions in the project's sl_meta table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-presets"

#include "config.h"

#include <json-glib/json-glib.h>

#include "sl-export-presets.h"
#include "sl-project-private.h"

#define PRESETS_KEY "export_presets"

/* The stored object, or a new empty one when there is none. */
static JsonObject *
load (SlProject *project, GError **error)
{
  sqlite3 *db = _sl_project_get_db (project);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM sl_meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot read the export presets of");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, PRESETS_KEY, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot read the export presets of");
      return NULL;
    }
  if (text == NULL)
    return json_object_new ();

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "The export presets stored in ‘%s’ cannot be read: %s", sl_project_get_path (project),
                   local ? local->message : "not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static gboolean
store (SlProject *project, JsonObject *object, GError **error)
{
  sqlite3 *db = _sl_project_get_db (project);
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (root, FALSE);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sl_project_is_read_only (project))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot save an export preset in ‘%s’: the file is read-only", sl_project_get_path (project));
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO sl_meta (key, value) VALUES (?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot save the export presets in");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, PRESETS_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  /* One statement in autocommit mode: its own transaction. */
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot save the export presets in");
      return FALSE;
    }
  return TRUE;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

char **
sl_export_presets_list (SlProject *project, GError **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GList) members = NULL;
  GPtrArray *names;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);

  object = load (project, error);
  if (object == NULL)
    return NULL;
  names = g_ptr_array_new ();
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    g_ptr_array_add (names, g_strdup (l->data));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

SlComposition *
sl_export_presets_get (SlProject *project, const char *name, GError **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  SlComposition *composition;
  JsonNode *node;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  object = load (project, error);
  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "‘%s’ has no export preset named ‘%s’", sl_project_get_path (project), name);
      return NULL;
    }
  text = json_to_string (node, FALSE);
  composition = sl_composition_new_from_json (text, &local);
  if (composition == NULL)
    g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                 "The export preset ‘%s’ in ‘%s’ cannot be read: %s", name, sl_project_get_path (project), local->message);
  return composition;
}

gboolean
sl_export_presets_save (SlProject *project, const char *name, const SlComposition *composition, GError **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *text = NULL, *trimmed = NULL;
  JsonNode *node;

  g_return_val_if_fail (SL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (name != NULL && composition != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID, "An export preset needs a name");
      return FALSE;
    }
  object = load (project, error);
  if (object == NULL)
    return FALSE;
  text = sl_composition_to_json (composition);
  node = json_from_string (text, error);
  if (node == NULL)
    return FALSE;
  json_object_set_member (object, name, node);
  return store (project, object, error);
}

gboolean
sl_export_presets_remove (SlProject *project, const char *name, GError **error)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  object = load (project, error);
  if (object == NULL)
    return FALSE;
  if (!json_object_has_member (object, name))
    return TRUE;
  json_object_remove_member (object, name);
  return store (project, object, error);
}
