/* sl-annotation-store.h — a project's annotations: each edit its own transaction, spatial queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-annotation.h"
#include "sl-project.h"

G_BEGIN_DECLS

#define SL_ANNOTATION_STORE_ERROR (sl_annotation_store_error_quark ())

typedef enum
{
  SL_ANNOTATION_STORE_ERROR_READ_ONLY,   /* the project file cannot be written (permissions) */
  SL_ANNOTATION_STORE_ERROR_INVALID,     /* a shape that is not valid, a class or scene that is not there */
  SL_ANNOTATION_STORE_ERROR_NOT_FOUND,   /* no annotation with that id */
  SL_ANNOTATION_STORE_ERROR_IO,          /* SQLite failed; the message names the file */
} SlAnnotationStoreError;

/* Per class and date: how many annotations. */
typedef struct
{
  GArray *class_ids;   /* gint64, the project's classes in their sort order */
  GArray *scene_ids;   /* gint64, the scenes by date */
  guint  *counts;      /* counts[class_index * scene_ids->len + scene_index] */
} SlCountsTable;

void           sl_counts_table_free      (SlCountsTable *table);
guint          sl_counts_table_get       (const SlCountsTable *table,
                                          gint64               class_id,
                                          gint64               scene_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlCountsTable, sl_counts_table_free)

/* Reads and writes the `annotations` feature table of a project (GeoPackage, site CRS, R-tree
 * index kept by the specification's triggers) on the project's connection, main thread.
 * Every add, update and remove is committed at once in its own transaction (WAL,
 * synchronous=FULL): what the caller was told is stored survives a crash or kill -9.
 * Emits "changed" (gint64 scene_id, 0: several) after every committed change. A project file
 * that cannot be written is detected up front (sl_annotation_store_is_read_only) and every
 * edit then fails with SL_ANNOTATION_STORE_ERROR_READ_ONLY without touching the file. */
#define SL_TYPE_ANNOTATION_STORE (sl_annotation_store_get_type ())
G_DECLARE_FINAL_TYPE (SlAnnotationStore, sl_annotation_store, SL, ANNOTATION_STORE, GObject)

GQuark             sl_annotation_store_error_quark (void);

SlAnnotationStore *sl_annotation_store_new        (SlProject         *project);
SlProject         *sl_annotation_store_get_project (SlAnnotationStore *self);
gboolean           sl_annotation_store_is_read_only (SlAnnotationStore *self);

/* Stores a new annotation: sets its id, object_uid (a new UUID unless one is set), created and
 * updated times and acquisition date (from its scene). */
gboolean           sl_annotation_store_add        (SlAnnotationStore  *self,
                                                   SlAnnotation       *annotation,
                                                   GError            **error);
/* Several in one transaction (paste, copy to the next date, imports); all or nothing. */
gboolean           sl_annotation_store_add_many   (SlAnnotationStore  *self,
                                                   GPtrArray          *annotations,
                                                   GError            **error);
/* Writes everything but id, object_uid and created; sets updated. */
gboolean           sl_annotation_store_update     (SlAnnotationStore  *self,
                                                   SlAnnotation       *annotation,
                                                   GError            **error);
gboolean           sl_annotation_store_remove     (SlAnnotationStore  *self,
                                                   const gint64       *ids,
                                                   guint               n_ids,
                                                   GError            **error);
SlAnnotation      *sl_annotation_store_get        (SlAnnotationStore  *self,
                                                   gint64              id,
                                                   GError            **error);

/* The annotations of @scene_id whose bounds meet @bounds (NULL: all of the scene), through the
 * R-tree, in drawing order (oldest first). Elements: SlAnnotation * (owned by the array).
 * Rows that are no annotation (written by another tool without a geometry, with an
 * unreadable one or an unknown kind) are left out, with a warning naming each once. */
GPtrArray         *sl_annotation_store_query      (SlAnnotationStore  *self,
                                                   gint64              scene_id,
                                                   const SlBounds     *bounds,
                                                   GError            **error);
/* How many annotations of @scene_id meet @bounds (for level-of-detail decisions), cheaply. */
guint              sl_annotation_store_count_in   (SlAnnotationStore  *self,
                                                   gint64              scene_id,
                                                   const SlBounds     *bounds);
/* The marks of @scene_id's annotations that meet @bounds and are not hidden, from the spatial
 * index alone (no row is read: a few hundred nanoseconds each, for level-of-detail drawing).
 * Elements: SlAnnotationMark, in no particular order. */
GArray            *sl_annotation_store_query_marks (SlAnnotationStore  *self,
                                                    gint64              scene_id,
                                                    const SlBounds     *bounds,
                                                    GError            **error);
/* The top-most annotation of @scene_id within @tolerance (site units) of (@x, @y), or 0.
 * Hidden annotations are not hit. */
gint64             sl_annotation_store_hit_test   (SlAnnotationStore  *self,
                                                   gint64              scene_id,
                                                   double              x,
                                                   double              y,
                                                   double              tolerance);

/* Copies @ids to @scene_id keeping each one's object_uid (the same vehicle, followed to
 * another date), in one transaction. Returns the new ids (gint64), or NULL + error. */
GArray            *sl_annotation_store_copy_to_scene (SlAnnotationStore *self,
                                                      const gint64      *ids,
                                                      guint              n_ids,
                                                      gint64             scene_id,
                                                      GError           **error);

/* Tells listeners ("changed") that rows of @scene_id (0: several) were changed by another path:
 * a scene registered again moves its annotations (sl_project_register_scene). */
void               sl_annotation_store_notify_changed (SlAnnotationStore *self,
                                                       gint64             scene_id);

/* Class × date counts, every class and scene of the project. */
SlCountsTable     *sl_annotation_store_count      (SlAnnotationStore  *self,
                                                   GError            **error);
/* Between @scene_a and a later @scene_b, by object_uid: objects only on B (new), only on A
 * (gone), on both (persisting); per class when @class_id > 0. */
gboolean           sl_annotation_store_compare    (SlAnnotationStore  *self,
                                                   gint64              scene_a,
                                                   gint64              scene_b,
                                                   gint64              class_id,
                                                   guint              *n_new,
                                                   guint              *n_gone,
                                                   guint              *n_persisting,
                                                   GError            **error);

G_END_DECLS
