/* sl-rtree-bulk-private.h — writes an SQLite R-tree in one go, as packed nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define SL_RTREE_MAX_DIMS 3
#define SL_RTREE_MAX_AUX  2

/* One entry: its id, its box (in single precision, as the R-tree stores it, already
 * rounded outwards) and its auxiliary column values (integers). */
typedef struct
{
  gint64 id;
  float  lo[SL_RTREE_MAX_DIMS];
  float  hi[SL_RTREE_MAX_DIMS];
  gint64 aux[SL_RTREE_MAX_AUX];
} SlRtreeEntry;

/* Sets @e's box in dimension @dim from double-precision bounds, rounded outwards as the
 * R-tree module rounds them (the float just below @lo, just above @hi). FALSE when the
 * bounds are not numbers or @lo > @hi. */
gboolean _sl_rtree_entry_set_box      (SlRtreeEntry *e,
                                       guint         dim,
                                       double        lo,
                                       double        hi);

/* Whether this connection lets the R-tree's shadow tables be written directly (not in
 * SQLite's defensive mode). */
gboolean _sl_rtree_bulk_supported     (sqlite3 *db);

/* Replaces the whole content of the R-tree virtual table @rtree (main schema of @db) with
 * @entries: a Hilbert-packed tree (boxes sorted along a Hilbert curve of their centres in the
 * first two dimensions; a third dimension, when the tree has one, is the major sort key),
 * written straight into the shadow tables %_node, %_rowid and %_parent in the format of
 * SQLite's R-tree module. The table must have n_dims ≤ SL_RTREE_MAX_DIMS and at most
 * SL_RTREE_MAX_AUX auxiliary columns; every entry's box must be set in each dimension.
 * Call inside a write transaction; on failure the caller rolls back. */
gboolean _sl_rtree_bulk_write         (sqlite3             *db,
                                       const char          *rtree,
                                       const SlRtreeEntry  *entries,
                                       gsize                n_entries,
                                       GError             **error);

G_END_DECLS
