/* sl-class-set.c — a project's object classes: the `sl_classes` table
 *
 * Names are unique regardless of case (Unicode case folding here, on top of the column's
 * ASCII NOCASE collation), colours are "#rrggbb" in lower case, as the table's CHECK wants.
 * A new class takes the first colour of the palette and the first shortcut that no class
 * uses yet. Merging and removing move or delete the class's annotations in the same
 * transaction as the class itself. Errors are in SL_ANNOTATION_STORE_ERROR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-class-set"

#include "config.h"

#include <string.h>

#include "sl-annotation-store.h"
#include "sl-autocleanups-private.h"
#include "sl-class-set.h"
#include "sl-project-private.h"

struct _SlClassSet
{
  GObject    parent_instance;

  SlProject *project;
};

G_DEFINE_FINAL_TYPE (SlClassSet, sl_class_set, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Colours for new classes, in order: the GNOME palette's 3 and 5 shades, away from the
 * seeded classes' and from vegetation greens. */
static const char *const palette[] = {
  "#e01b24", "#ff7800", "#f5c211", "#986a44", "#c061cb", "#1c71d8", "#33d17a", "#613583",
  "#99c1f1", "#cdab8f", "#dc8add", "#9a9996", "#a51d2d", "#c64600", "#e5a50a", "#63452c",
  "#813d9c", "#1a5fb4", "#26a269", "#62a0ea", "#ffa348", "#f8e45c", "#8ff0a4", "#5e5c64",
};

static const char *const shortcuts[] = {
  "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
  "<Shift>1", "<Shift>2", "<Shift>3", "<Shift>4", "<Shift>5", "<Shift>6", "<Shift>7", "<Shift>8",
  "<Shift>9", "<Shift>0",
};

#define CLASS_COLUMNS "id, key, name, colour, shortcut, class_group, sort_order"

/* --- helpers --- */

static const char *
path_of (SlClassSet *self)
{
  return sl_project_get_path (self->project);
}

static void
set_sqlite_error (SlClassSet *self, GError **error, const char *what)
{
  sqlite3 *db = _sl_project_get_db (self->project);
  int code = db ? sqlite3_errcode (db) & 0xff : SQLITE_MISUSE;

  g_set_error (error, SL_ANNOTATION_STORE_ERROR,
               code == SQLITE_READONLY ? SL_ANNOTATION_STORE_ERROR_READ_ONLY : SL_ANNOTATION_STORE_ERROR_IO,
               "%s ‘%s’: %s", what, path_of (self), db ? sqlite3_errmsg (db) : "the project is closed");
}

static gboolean
check_writable (SlClassSet *self, GError **error)
{
  if (!sl_project_is_read_only (self->project))
    return TRUE;
  g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_READ_ONLY,
               "Cannot change the classes of ‘%s’: the project file is read-only (no write permission)",
               path_of (self));
  return FALSE;
}

static SlClass *
read_class (sqlite3_stmt *stmt)
{
  SlClass *c = g_new0 (SlClass, 1);

  c->id = sqlite3_column_int64 (stmt, 0);
  c->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  c->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  c->colour = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  c->shortcut = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  c->group = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  c->sort_order = sqlite3_column_int (stmt, 6);
  return c;
}

/* "#RRGGBB" or "#rrggbb" → "#rrggbb"; NULL when it is not a colour. */
static char *
normalize_colour (const char *colour)
{
  if (colour == NULL || strlen (colour) != 7 || colour[0] != '#')
    return NULL;
  for (int i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (colour[i]))
      return NULL;
  return g_ascii_strdown (colour, -1);
}

static char *
normalize_name (const char *name)
{
  char *n;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;
  n = g_strstrip (g_strdup (name));
  if (*n == '\0')
    g_clear_pointer (&n, g_free);
  return n;
}

/* Another class (not @except) already called @name, ignoring case, or NULL. */
static SlClass *
find_name (GPtrArray *classes, const char *name, gint64 except)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; i < classes->len; i++)
    {
      SlClass *c = g_ptr_array_index (classes, i);
      g_autofree char *other = g_utf8_casefold (c->name, -1);

      if (c->id != except && strcmp (folded, other) == 0)
        return c;
    }
  return NULL;
}

static SlClass *
find_id (GPtrArray *classes, gint64 id)
{
  for (guint i = 0; i < classes->len; i++)
    if (((SlClass *) g_ptr_array_index (classes, i))->id == id)
      return g_ptr_array_index (classes, i);
  return NULL;
}

static gboolean
not_found (SlClassSet *self, gint64 id, GError **error)
{
  g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND,
               "Cannot change class %" G_GINT64_FORMAT " of ‘%s’: there is no such class", id, path_of (self));
  return FALSE;
}

/* "Self-propelled artillery" → "self_propelled_artillery", unique among @classes. */
static char *
make_key (GPtrArray *classes, const char *name)
{
  GString *key = g_string_new (NULL);
  g_autofree char *base = NULL;
  char *candidate;

  for (const char *p = name; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, g_ascii_tolower (*p));
      else if (key->len > 0 && key->str[key->len - 1] != '_')
        g_string_append_c (key, '_');
    }
  while (key->len > 0 && key->str[key->len - 1] == '_')
    g_string_truncate (key, key->len - 1);
  if (key->len == 0)
    g_string_append (key, "class");
  base = g_string_free (key, FALSE);

  candidate = g_strdup (base);
  for (int n = 2;; n++)
    {
      gboolean used = FALSE;

      for (guint i = 0; i < classes->len && !used; i++)
        used = g_strcmp0 (((SlClass *) g_ptr_array_index (classes, i))->key, candidate) == 0;
      if (!used)
        return candidate;
      g_free (candidate);
      candidate = g_strdup_printf ("%s_%d", base, n);
    }
}

static const char *
first_free (GPtrArray *classes, const char *const *candidates, guint n, gboolean colour)
{
  for (guint k = 0; k < n; k++)
    {
      gboolean used = FALSE;

      for (guint i = 0; i < classes->len && !used; i++)
        {
          SlClass *c = g_ptr_array_index (classes, i);
          used = g_strcmp0 (colour ? c->colour : c->shortcut, candidates[k]) == 0;
        }
      if (!used)
        return candidates[k];
    }
  return NULL;
}

/* Runs @sql with up to two integer parameters, inside the caller's transaction. */
static gboolean
exec_ids (SlClassSet *self, const char *sql, gint64 a, gint64 b, const char *what, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self->project), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, what);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, b);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Sets one text column of a class in its own transaction. */
static gboolean
set_column (SlClassSet *self, const char *sql, gint64 id, const char *value, const char *what, GError **error)
{
  g_autoptr(SlStmt) stmt = NULL;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self->project), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, what);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, what);
      return FALSE;
    }
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* --- the object --- */

static void
sl_class_set_dispose (GObject *object)
{
  SlClassSet *self = SL_CLASS_SET (object);

  g_clear_object (&self->project);
  G_OBJECT_CLASS (sl_class_set_parent_class)->dispose (object);
}

static void
sl_class_set_class_init (SlClassSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_class_set_dispose;

  /* After each committed change to the classes (or to annotations through merge/remove). */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_class_set_init (SlClassSet *self)
{
}

/* --- public API --- */

SlClass *
sl_class_copy (const SlClass *self)
{
  SlClass *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new (SlClass, 1);
  *copy = *self;
  copy->key = g_strdup (self->key);
  copy->name = g_strdup (self->name);
  copy->colour = g_strdup (self->colour);
  copy->shortcut = g_strdup (self->shortcut);
  copy->group = g_strdup (self->group);
  return copy;
}

void
sl_class_free (SlClass *self)
{
  if (self == NULL)
    return;
  g_free (self->key);
  g_free (self->name);
  g_free (self->colour);
  g_free (self->shortcut);
  g_free (self->group);
  g_free (self);
}

SlClassSet *
sl_class_set_new (SlProject *project)
{
  SlClassSet *self;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);

  self = g_object_new (SL_TYPE_CLASS_SET, NULL);
  self->project = g_object_ref (project);
  return self;
}

GPtrArray *
sl_class_set_list (SlClassSet  *self,
                   GError     **error)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _sl_project_get_db (self->project);
  if (db == NULL ||
      sqlite3_prepare_v2 (db, "SELECT " CLASS_COLUMNS " FROM sl_classes ORDER BY sort_order, id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "Cannot read the classes of");
      return NULL;
    }
  classes = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_class_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (classes, read_class (stmt));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "Cannot read the classes of");
      return NULL;
    }
  return g_steal_pointer (&classes);
}

SlClass *
sl_class_set_get (SlClassSet *self,
                  gint64      id)
{
  g_autoptr(SlStmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), NULL);

  db = _sl_project_get_db (self->project);
  if (db == NULL ||
      sqlite3_prepare_v2 (db, "SELECT " CLASS_COLUMNS " FROM sl_classes WHERE id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return read_class (stmt);
}

SlClass *
sl_class_set_add (SlClassSet  *self,
                  const char  *name,
                  const char  *colour,
                  GError     **error)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(SlClass) c = NULL;
  g_autoptr(SlStmt) stmt = NULL;
  g_autofree char *clean = NULL;
  SlClass *other;
  int sort_order = 0;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_writable (self, error) || (classes = sl_class_set_list (self, error)) == NULL)
    return NULL;
  clean = normalize_name (name);
  if (clean == NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot add a class to ‘%s’: a class needs a name", path_of (self));
      return NULL;
    }
  if ((other = find_name (classes, clean, 0)) != NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot add a class to ‘%s’: a class named ‘%s’ exists", path_of (self), other->name);
      return NULL;
    }

  c = g_new0 (SlClass, 1);
  c->name = g_steal_pointer (&clean);
  c->key = make_key (classes, c->name);
  if (colour != NULL)
    {
      c->colour = normalize_colour (colour);
      if (c->colour == NULL)
        {
          g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                       "Cannot add a class to ‘%s’: ‘%s’ is not a colour like #e01b24", path_of (self), colour);
          return NULL;
        }
    }
  else
    {
      const char *free_colour = first_free (classes, palette, G_N_ELEMENTS (palette), TRUE);

      /* Past the palette: a mid-tone derived from the class count, never black or white. */
      if (free_colour != NULL)
        c->colour = g_strdup (free_colour);
      else
        c->colour = g_strdup_printf ("#%02x%02x%02x", (guint) (classes->len * 97) % 200 + 40,
                                     (guint) (classes->len * 57) % 200 + 40, (guint) (classes->len * 137) % 200 + 40);
    }
  c->shortcut = g_strdup (first_free (classes, shortcuts, G_N_ELEMENTS (shortcuts), FALSE));
  for (guint i = 0; i < classes->len; i++)
    sort_order = MAX (sort_order, ((SlClass *) g_ptr_array_index (classes, i))->sort_order + 1);
  c->sort_order = sort_order;

  if (sqlite3_prepare_v2 (_sl_project_get_db (self->project),
                          "INSERT INTO sl_classes (key, name, colour, shortcut, class_group, sort_order)"
                          " VALUES (?, ?, ?, ?, NULL, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "Cannot add a class to");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, c->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->colour, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, c->shortcut, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, c->sort_order);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "Cannot add a class to");
      return NULL;
    }
  c->id = sqlite3_last_insert_rowid (_sl_project_get_db (self->project));
  g_signal_emit (self, signals[CHANGED], 0);
  return g_steal_pointer (&c);
}

gboolean
sl_class_set_rename (SlClassSet  *self,
                     gint64       id,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autofree char *clean = NULL;
  SlClass *other;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || (classes = sl_class_set_list (self, error)) == NULL)
    return FALSE;
  if (find_id (classes, id) == NULL)
    return not_found (self, id, error);
  clean = normalize_name (name);
  if (clean == NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot rename a class of ‘%s’: a class needs a name", path_of (self));
      return FALSE;
    }
  if ((other = find_name (classes, clean, id)) != NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot rename a class of ‘%s’: a class named ‘%s’ exists", path_of (self), other->name);
      return FALSE;
    }
  return set_column (self, "UPDATE sl_classes SET name = ?2 WHERE id = ?1", id, clean,
                     "Cannot rename a class of", error);
}

gboolean
sl_class_set_recolour (SlClassSet  *self,
                       gint64       id,
                       const char  *colour,
                       GError     **error)
{
  g_autofree char *clean = NULL;
  g_autoptr(SlClass) c = NULL;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  if ((c = sl_class_set_get (self, id)) == NULL)
    return not_found (self, id, error);
  clean = normalize_colour (colour);
  if (clean == NULL)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot recolour the class ‘%s’ of ‘%s’: ‘%s’ is not a colour like #e01b24",
                   c->name, path_of (self), colour ? colour : "");
      return FALSE;
    }
  return set_column (self, "UPDATE sl_classes SET colour = ?2 WHERE id = ?1", id, clean,
                     "Cannot recolour a class of", error);
}

guint
sl_class_set_count_uses (SlClassSet *self,
                         gint64      id)
{
  g_autoptr(SlStmt) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), 0);

  db = _sl_project_get_db (self->project);
  if (db == NULL ||
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM annotations WHERE class_id = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

/* Moves the annotations of @from to @into (when @into > 0) or deletes them, then deletes
 * @from, all in one transaction. */
static gboolean
drop_class (SlClassSet *self, gint64 from, gint64 into, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!_sl_project_begin (self->project, &local))
    {
      set_sqlite_error (self, error, "Cannot change the classes of");
      return FALSE;
    }
  if ((into > 0 ? !exec_ids (self, "UPDATE annotations SET class_id = ?2,"
                                   " updated = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE class_id = ?1",
                             from, into, "Cannot move the annotations of a class in", error)
                : !exec_ids (self, "DELETE FROM annotations WHERE class_id = ?1", from, 0,
                             "Cannot delete the annotations of a class in", error)) ||
      !exec_ids (self, "DELETE FROM sl_classes WHERE id = ?1", from, 0, "Cannot remove a class from", error))
    {
      _sl_project_rollback (self->project);
      return FALSE;
    }
  if (!_sl_project_commit (self->project, &local))
    {
      set_sqlite_error (self, error, "Cannot change the classes of");
      _sl_project_rollback (self->project);
      return FALSE;
    }
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
sl_class_set_merge (SlClassSet  *self,
                    gint64       from,
                    gint64       into,
                    GError     **error)
{
  g_autoptr(GPtrArray) classes = NULL;
  SlClass *source;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || (classes = sl_class_set_list (self, error)) == NULL)
    return FALSE;
  if ((source = find_id (classes, from)) == NULL)
    return not_found (self, from, error);
  if (find_id (classes, into) == NULL)
    return not_found (self, into, error);
  if (from == into)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot merge the class ‘%s’ of ‘%s’ into itself", source->name, path_of (self));
      return FALSE;
    }
  return drop_class (self, from, into, error);
}

gboolean
sl_class_set_remove (SlClassSet  *self,
                     gint64       id,
                     gint64       reassign_to,
                     gboolean     delete_annotations,
                     GError     **error)
{
  g_autoptr(GPtrArray) classes = NULL;
  SlClass *c;
  guint uses;

  g_return_val_if_fail (SL_IS_CLASS_SET (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || (classes = sl_class_set_list (self, error)) == NULL)
    return FALSE;
  if ((c = find_id (classes, id)) == NULL)
    return not_found (self, id, error);
  if (classes->len == 1)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot remove the class ‘%s’ of ‘%s’: a project needs at least one class",
                   c->name, path_of (self));
      return FALSE;
    }
  uses = sl_class_set_count_uses (self, id);
  if (reassign_to > 0 && (reassign_to == id || find_id (classes, reassign_to) == NULL))
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot remove the class ‘%s’ of ‘%s’: its annotations cannot move to class %" G_GINT64_FORMAT,
                   c->name, path_of (self), reassign_to);
      return FALSE;
    }
  if (uses > 0 && reassign_to <= 0 && !delete_annotations)
    {
      g_set_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID,
                   "Cannot remove the class ‘%s’ of ‘%s’: %u annotations use it; move them to another class"
                   " or delete them", c->name, path_of (self), uses);
      return FALSE;
    }
  return drop_class (self, id, reassign_to, error);
}
