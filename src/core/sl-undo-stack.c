/* sl-undo-stack.c — undo and redo of annotation edits, across dates
 *
 * Each edit keeps full rows: the before-images of what it changed or removed and the
 * after-images of what it wrote, read back from the store so they are exactly what is in
 * the file. Undo and redo write those rows back with their own fid, object_uid and times
 * (the store's exact mode), so an undone remove brings back the very same annotation and
 * later edits in the history still find it by id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-undo-stack"

#include "config.h"

#include "sl-annotation-store-private.h"
#include "sl-undo-stack.h"

typedef enum
{
  EDIT_ADD,      /* also copy to another date: rows that did not exist before */
  EDIT_UPDATE,
  EDIT_REMOVE,
} EditKind;

typedef struct
{
  EditKind   kind;
  char      *label;
  GPtrArray *before;   /* SlAnnotation *: rows as they were (update, remove) */
  GPtrArray *after;    /* SlAnnotation *: rows as written (add, update) */
  gint64     scene_id; /* where it happened (the first row's scene) */
} Edit;

struct _SlUndoStack
{
  GObject            parent_instance;

  SlAnnotationStore *store;
  GPtrArray         *undo;   /* Edit *, oldest first */
  GPtrArray         *redo;   /* Edit *, the next to redo last */
  gint64             last_scene_id;

  /* What was last notified, to notify only real changes. */
  gboolean           can_undo, can_redo;
  char              *undo_label, *redo_label;
};

G_DEFINE_FINAL_TYPE (SlUndoStack, sl_undo_stack, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  PROP_LAST_SCENE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
edit_free (Edit *edit)
{
  g_free (edit->label);
  g_clear_pointer (&edit->before, g_ptr_array_unref);
  g_clear_pointer (&edit->after, g_ptr_array_unref);
  g_free (edit);
}

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
}

static char *
default_label (EditKind kind, guint n)
{
  const char *verb = kind == EDIT_ADD ? "Add" : kind == EDIT_UPDATE ? "Change" : "Delete";

  return n == 1 ? g_strdup_printf ("%s Annotation", verb) : g_strdup_printf ("%s %u Annotations", verb, n);
}

/* Notifies the properties whose value changed since the last call. */
static void
update_state (SlUndoStack *self)
{
  gboolean can_undo = self->undo->len > 0, can_redo = self->redo->len > 0;
  g_autofree char *undo_label = NULL, *redo_label = NULL;

  if (can_undo)
    undo_label = g_strdup_printf ("Undo %s", ((Edit *) g_ptr_array_index (self->undo, self->undo->len - 1))->label);
  if (can_redo)
    redo_label = g_strdup_printf ("Redo %s", ((Edit *) g_ptr_array_index (self->redo, self->redo->len - 1))->label);

  g_object_freeze_notify (G_OBJECT (self));
  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  if (g_strcmp0 (undo_label, self->undo_label) != 0)
    {
      g_free (self->undo_label);
      self->undo_label = g_steal_pointer (&undo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
    }
  if (g_strcmp0 (redo_label, self->redo_label) != 0)
    {
      g_free (self->redo_label);
      self->redo_label = g_steal_pointer (&redo_label);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* A new edit: it goes on top and the redo branch is dropped. */
static void
push (SlUndoStack *self, EditKind kind, const char *label, GPtrArray *before, GPtrArray *after)
{
  Edit *edit = g_new0 (Edit, 1);
  GPtrArray *rows = after ? after : before;

  edit->kind = kind;
  edit->before = before;
  edit->after = after;
  edit->label = label ? g_strdup (label) : default_label (kind, rows->len);
  edit->scene_id = rows->len > 0 ? ((SlAnnotation *) g_ptr_array_index (rows, 0))->scene_id : 0;
  g_ptr_array_add (self->undo, edit);
  g_ptr_array_set_size (self->redo, 0);
  update_state (self);
}

/* The stored rows of @ids (copies), or NULL + @error if one is missing. */
static GPtrArray *
read_rows (SlUndoStack *self, const gint64 *ids, guint n_ids, GError **error)
{
  g_autoptr(GPtrArray) rows = new_rows ();

  for (guint i = 0; i < n_ids; i++)
    {
      SlAnnotation *a = sl_annotation_store_get (self->store, ids[i], error);

      if (a == NULL)
        return NULL;
      g_ptr_array_add (rows, a);
    }
  return g_steal_pointer (&rows);
}

static gint64 *
ids_of (GPtrArray *rows)
{
  gint64 *ids = g_new (gint64, MAX (rows->len, 1));

  for (guint i = 0; i < rows->len; i++)
    ids[i] = ((SlAnnotation *) g_ptr_array_index (rows, i))->id;
  return ids;
}

/* Copies of @rows, so the store may set fields on them without touching the history. */
static GPtrArray *
copy_rows (GPtrArray *rows)
{
  GPtrArray *copy = new_rows ();

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (copy, sl_annotation_copy (g_ptr_array_index (rows, i)));
  return copy;
}

/* Applies @edit backwards (undo) or forwards (redo), in one transaction. */
static gboolean
apply (SlUndoStack *self, Edit *edit, gboolean forwards, GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree gint64 *ids = NULL;

  switch (edit->kind)
    {
    case EDIT_ADD:
      if (!forwards)
        {
          ids = ids_of (edit->after);
          return sl_annotation_store_remove (self->store, ids, edit->after->len, error);
        }
      rows = copy_rows (edit->after);
      return _sl_annotation_store_insert (self->store, rows, TRUE, error);

    case EDIT_UPDATE:
      rows = copy_rows (forwards ? edit->after : edit->before);
      return _sl_annotation_store_update (self->store, rows, TRUE, error);

    case EDIT_REMOVE:
      if (forwards)
        {
          ids = ids_of (edit->before);
          return sl_annotation_store_remove (self->store, ids, edit->before->len, error);
        }
      rows = copy_rows (edit->before);
      return _sl_annotation_store_insert (self->store, rows, TRUE, error);

    default:
      g_assert_not_reached ();
    }
}

/* --- the object --- */

static void
sl_undo_stack_dispose (GObject *object)
{
  SlUndoStack *self = SL_UNDO_STACK (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (sl_undo_stack_parent_class)->dispose (object);
}

static void
sl_undo_stack_finalize (GObject *object)
{
  SlUndoStack *self = SL_UNDO_STACK (object);

  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_free (self->undo_label);
  g_free (self->redo_label);
  G_OBJECT_CLASS (sl_undo_stack_parent_class)->finalize (object);
}

static void
sl_undo_stack_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SlUndoStack *self = SL_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, self->undo_label);
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, self->redo_label);
      break;
    case PROP_LAST_SCENE_ID:
      g_value_set_int64 (value, self->last_scene_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_undo_stack_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SlUndoStack *self = SL_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_undo_stack_class_init (SlUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_undo_stack_dispose;
  object_class->finalize = sl_undo_stack_finalize;
  object_class->get_property = sl_undo_stack_get_property;
  object_class->set_property = sl_undo_stack_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SL_TYPE_ANNOTATION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "Undo Add Tank"; NULL when there is nothing to undo. */
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SCENE_ID] =
    g_param_spec_int64 ("last-scene-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_undo_stack_init (SlUndoStack *self)
{
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) edit_free);
}

/* --- public API --- */

SlUndoStack *
sl_undo_stack_new (SlAnnotationStore *store)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);

  return g_object_new (SL_TYPE_UNDO_STACK, "store", store, NULL);
}

gboolean
sl_undo_stack_add (SlUndoStack  *self,
                   GPtrArray    *annotations,
                   const char   *label,
                   GError      **error)
{
  g_autofree gint64 *ids = NULL;
  GPtrArray *after;

  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (annotations != NULL && annotations->len > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sl_annotation_store_add_many (self->store, annotations, error))
    return FALSE;
  ids = ids_of (annotations);
  if ((after = read_rows (self, ids, annotations->len, error)) == NULL)
    return FALSE;
  push (self, EDIT_ADD, label, NULL, after);
  return TRUE;
}

void
sl_undo_stack_record_added (SlUndoStack *self,
                            GPtrArray   *annotations,
                            const char  *label)
{
  GPtrArray *after;

  g_return_if_fail (SL_IS_UNDO_STACK (self));
  g_return_if_fail (annotations != NULL);

  if (annotations->len == 0)
    return;
  for (guint i = 0; i < annotations->len; i++)
    g_return_if_fail (((const SlAnnotation *) annotations->pdata[i])->id > 0);
  after = new_rows ();
  for (guint i = 0; i < annotations->len; i++)
    g_ptr_array_add (after, sl_annotation_copy (annotations->pdata[i]));
  push (self, EDIT_ADD, label, NULL, after);
}

static void
reclass_rows (GPtrArray *rows, gint64 from, gint64 into)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      SlAnnotation *a = rows->pdata[i];

      if (a->class_id == from)
        a->class_id = into;
    }
}

void
sl_undo_stack_reclass (SlUndoStack *self,
                       gint64       from,
                       gint64       into)
{
  g_return_if_fail (SL_IS_UNDO_STACK (self));

  for (int k = 0; k < 2; k++)
    {
      GPtrArray *edits = k == 0 ? self->undo : self->redo;

      for (guint i = 0; i < edits->len; i++)
        {
          Edit *edit = edits->pdata[i];

          reclass_rows (edit->before, from, into);
          reclass_rows (edit->after, from, into);
        }
    }
}

gboolean
sl_undo_stack_update (SlUndoStack  *self,
                      GPtrArray    *annotations,
                      const char   *label,
                      GError      **error)
{
  g_autofree gint64 *ids = NULL;
  g_autoptr(GPtrArray) before = NULL;
  GPtrArray *after = NULL;

  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (annotations != NULL && annotations->len > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ids = ids_of (annotations);
  if ((before = read_rows (self, ids, annotations->len, error)) == NULL ||
      !_sl_annotation_store_update (self->store, annotations, FALSE, error) ||
      (after = read_rows (self, ids, annotations->len, error)) == NULL)
    return FALSE;
  push (self, EDIT_UPDATE, label, g_steal_pointer (&before), after);
  return TRUE;
}

gboolean
sl_undo_stack_remove (SlUndoStack   *self,
                      const gint64  *ids,
                      guint          n_ids,
                      const char    *label,
                      GError       **error)
{
  g_autoptr(GPtrArray) before = NULL;

  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (ids != NULL && n_ids > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((before = read_rows (self, ids, n_ids, error)) == NULL ||
      !sl_annotation_store_remove (self->store, ids, n_ids, error))
    return FALSE;
  push (self, EDIT_REMOVE, label, g_steal_pointer (&before), NULL);
  return TRUE;
}

gboolean
sl_undo_stack_copy_to_scene (SlUndoStack   *self,
                             const gint64  *ids,
                             guint          n_ids,
                             gint64         scene_id,
                             GArray       **new_ids,
                             GError       **error)
{
  g_autoptr(GArray) copies = NULL;
  g_autofree char *label = NULL;
  GPtrArray *after;

  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (ids != NULL && n_ids > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copies = sl_annotation_store_copy_to_scene (self->store, ids, n_ids, scene_id, error);
  if (copies == NULL ||
      (after = read_rows (self, (const gint64 *) (gpointer) copies->data, copies->len, error)) == NULL)
    return FALSE;
  label = n_ids == 1 ? g_strdup ("Copy Annotation to Date") : g_strdup_printf ("Copy %u Annotations to Date", n_ids);
  push (self, EDIT_ADD, label, NULL, after);
  if (new_ids)
    *new_ids = g_steal_pointer (&copies);
  return TRUE;
}

gboolean
sl_undo_stack_can_undo (SlUndoStack *self)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  return self->undo->len > 0;
}

gboolean
sl_undo_stack_can_redo (SlUndoStack *self)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  return self->redo->len > 0;
}

const char *
sl_undo_stack_get_undo_label (SlUndoStack *self)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), NULL);
  return self->undo_label;
}

const char *
sl_undo_stack_get_redo_label (SlUndoStack *self)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), NULL);
  return self->redo_label;
}

/* Moves the top edit of @from to @to once it is applied; on failure nothing moves. */
static gboolean
step (SlUndoStack *self, GPtrArray *from, GPtrArray *to, gboolean forwards, GError **error)
{
  Edit *edit;

  if (from->len == 0)
    return TRUE;
  edit = g_ptr_array_index (from, from->len - 1);
  if (!apply (self, edit, forwards, error))
    return FALSE;
  g_ptr_array_add (to, g_ptr_array_steal_index (from, from->len - 1));
  if (self->last_scene_id != edit->scene_id)
    {
      self->last_scene_id = edit->scene_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SCENE_ID]);
    }
  update_state (self);
  return TRUE;
}

gboolean
sl_undo_stack_undo (SlUndoStack  *self,
                    GError      **error)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return step (self, self->undo, self->redo, FALSE, error);
}

gboolean
sl_undo_stack_redo (SlUndoStack  *self,
                    GError      **error)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return step (self, self->redo, self->undo, TRUE, error);
}

gint64
sl_undo_stack_get_last_scene_id (SlUndoStack *self)
{
  g_return_val_if_fail (SL_IS_UNDO_STACK (self), 0);
  return self->last_scene_id;
}

void
sl_undo_stack_clear (SlUndoStack *self)
{
  g_return_if_fail (SL_IS_UNDO_STACK (self));

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  update_state (self);
}
