/* sl-class-set.h — a project's object classes (tank, APC, tent, …): colours, shortcuts, order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-project.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *key;        /* stable identifier ("tank"), unique */
  char   *name;       /* shown ("Tank"), unique regardless of case */
  char   *colour;     /* "#rrggbb" */
  char   *shortcut;   /* GTK accelerator ("1", "<Shift>1") or NULL */
  char   *group;      /* "Armour", … or NULL */
  int     sort_order;
} SlClass;

SlClass   *sl_class_copy (const SlClass *self);
void       sl_class_free (SlClass       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlClass, sl_class_free)

/* The `sl_classes` table of a project, main thread, each change its own transaction; emits
 * "changed" after each. Errors name the file and the reason ("A class named ‘Tank’ exists"); they
 * are in SL_ANNOTATION_STORE_ERROR (READ_ONLY, INVALID, NOT_FOUND, IO). */
#define SL_TYPE_CLASS_SET (sl_class_set_get_type ())
G_DECLARE_FINAL_TYPE (SlClassSet, sl_class_set, SL, CLASS_SET, GObject)

SlClassSet *sl_class_set_new        (SlProject   *project);
/* SlClass * in sort order (owned by the array). */
GPtrArray  *sl_class_set_list       (SlClassSet  *self,
                                     GError     **error);
SlClass    *sl_class_set_get        (SlClassSet  *self,
                                     gint64       id);
/* A new class at the end: a key made from the name, the next free colour and shortcut. */
SlClass    *sl_class_set_add        (SlClassSet  *self,
                                     const char  *name,
                                     const char  *colour,   /* NULL: one not used yet */
                                     GError     **error);
gboolean    sl_class_set_rename     (SlClassSet  *self,
                                     gint64       id,
                                     const char  *name,
                                     GError     **error);
gboolean    sl_class_set_recolour   (SlClassSet  *self,
                                     gint64       id,
                                     const char  *colour,
                                     GError     **error);
/* Every annotation of @from becomes @into, then @from is removed; one transaction. */
gboolean    sl_class_set_merge      (SlClassSet  *self,
                                     gint64       from,
                                     gint64       into,
                                     GError     **error);
/* How many annotations use @id (ask before removing). */
guint       sl_class_set_count_uses (SlClassSet  *self,
                                     gint64       id);
/* Removes a class that no annotation uses; with annotations, fails unless @reassign_to > 0
 * (they move to it) or @delete_annotations. */
gboolean    sl_class_set_remove     (SlClassSet  *self,
                                     gint64       id,
                                     gint64       reassign_to,
                                     gboolean     delete_annotations,
                                     GError     **error);

G_END_DECLS
