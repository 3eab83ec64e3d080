/* sl-annotation-store-private.h — internals shared by the store's files and the undo stack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sl-annotation-store.h"

G_BEGIN_DECLS

/* The prepared statements the store keeps for the life of the connection. */
typedef enum
{
  STMT_STAGE,
  STMT_INSERT,
  STMT_UNSTAGE,
  STMT_UPDATE,
  STMT_MARK_REMOVAL,
  STMT_REMOVAL_MISSING,
  STMT_REMOVAL_SCOPE,
  STMT_DELETE,
  STMT_UNMARK_REMOVAL,
  STMT_SCENE_OF,
  STMT_GET,
  STMT_QUERY_ALL,
  STMT_CLASS_EXISTS,
  STMT_SCENE_EXISTS,
  STMT_QUERY,
  STMT_COUNT_IN,
  STMT_MARKS,
  STMT_HIT,
  N_STMTS
} SlAnnotationStmt;

struct _SlAnnotationStore
{
  GObject       parent_instance;

  SlProject    *project;
  sqlite3_stmt *stmts[N_STMTS];
  gboolean      read_only;
  gboolean      staging;      /* temp.sl_staging and temp.sl_removing exist on the connection */
  GHashTable   *unreadable;   /* gint64 * fids whose row a query left out (reported once) */
};

/* The columns every row reader expects, in this order. */
#define SL_ANNOTATION_COLUMNS \
  "a.fid, a.geom, a.scene_id, a.class_id, a.kind, a.object_uid, a.confidence, a.note, a.author," \
  " a.created, a.updated, a.hidden, a.locked"

/* sl-annotation-store.c */
/* The cached statement @which, reset and with its bindings cleared; NULL + @error. */
sqlite3_stmt *_sl_annotation_store_stmt      (SlAnnotationStore *self,
                                              SlAnnotationStmt   which,
                                              GError           **error);
/* Sets @error (IO, or READ_ONLY when SQLite says so) from the connection's last error:
 * "@what ‘file’: reason". */
void          _sl_annotation_store_set_error (SlAnnotationStore *self,
                                              GError           **error,
                                              const char        *what);
void          _sl_annotation_store_emit_changed (SlAnnotationStore *self,
                                              gint64             scene_id);
/* READ_ONLY error unless the store may write. */
gboolean      _sl_annotation_store_check_writable (SlAnnotationStore *self,
                                              GError           **error);
/* The temporary tables inserts and removals stage their rows in (created once a connection). */
gboolean      _sl_annotation_store_ensure_temp_tables (SlAnnotationStore *self,
                                              GError           **error);
/* BEGIN IMMEDIATE / COMMIT (rolled back on failure) with the store's error messages. */
gboolean      _sl_annotation_store_begin     (SlAnnotationStore *self,
                                              GError           **error);
gboolean      _sl_annotation_store_commit    (SlAnnotationStore *self,
                                              GError           **error);
/* NOT_FOUND: "there is no such annotation" as @fid. */
void          _sl_annotation_store_not_found (SlAnnotationStore *self,
                                              gint64             fid,
                                              GError           **error);

/* ISO 8601 UTC with milliseconds (the GeoPackage DATETIME form) ⇄ µs since the epoch. */
char         *_sl_annotation_format_time     (gint64             usec);
gint64        _sl_annotation_parse_time      (const char        *text);

/* Several rows in one transaction, all or nothing. With @exact (for the undo stack) rows are
 * written back exactly as given: fid, object_uid, created and updated included. */
gboolean      _sl_annotation_store_insert    (SlAnnotationStore *self,
                                              GPtrArray         *annotations,
                                              gboolean           exact,
                                              GError           **error);
gboolean      _sl_annotation_store_update    (SlAnnotationStore *self,
                                              GPtrArray         *annotations,
                                              gboolean           exact,
                                              GError           **error);

/* sl-annotation-store-queries.c */
/* The annotation in the current row of @stmt (SL_ANNOTATION_COLUMNS); NULL + @error when its
 * geometry or attributes are not readable. */
SlAnnotation *_sl_annotation_store_read_row  (SlAnnotationStore *self,
                                              sqlite3_stmt      *stmt,
                                              GError           **error);

G_END_DECLS
