/* sl-rtree-bulk.c — writes an SQLite R-tree in one go, as packed nodes
 *
 * Inserting into SQLite's R*-tree costs 8–9 µs an entry (choosing a leaf, splitting,
 * re-inserting, writing the touched nodes back), so a 100 000-object import spent two thirds
 * of its time in the two R-trees of the annotations. A tree built bottom-up from sorted boxes
 * (a Hilbert-packed R-tree: Kamel & Faloutsos, 1993) costs a sort and one write per node,
 * and its nodes overlap less than the incremental tree's.
 *
 * The tree is written in the R-tree module's own storage format (ext/rtree/rtree.c, stable
 * since 2008 and documented there; GDAL writes GeoPackage R-trees the same way):
 *   %_node(nodeno INTEGER PRIMARY KEY, data): node 1 is the root. A node is a blob of the
 *     node size (the length of node 1's blob): 2 bytes of tree depth (root only; 0 when the
 *     root is a leaf), 2 bytes of cell count, then cells of an 8-byte id — the row's id in a
 *     leaf, a child node's number above — and 2 × n_dims coordinates (min, max of each
 *     dimension), 32-bit IEEE floats, every number big-endian.
 *   %_rowid(rowid INTEGER PRIMARY KEY, nodeno, a0, a1…): each entry's leaf and its
 *     auxiliary column values.
 *   %_parent(nodeno INTEGER PRIMARY KEY, parentnode): each non-root node's parent.
 * SQLite's `rtreecheck()` verifies all of it (the tests run it on every tree built here),
 * and later inserts and deletes through the module work on the packed tree as on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sl-rtree-bulk-private.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl-autocleanups-private.h"
#include "sl-project.h"

#define RTREE_CELLS_CAP 51      /* RTREE_MAXCELLS: cells per node of a tree SQLite creates */

gboolean
_sl_rtree_entry_set_box (SlRtreeEntry *e, guint dim, double lo, double hi)
{
  float flo, fhi;

  g_return_val_if_fail (dim < SL_RTREE_MAX_DIMS, FALSE);
  if (isnan (lo) || isnan (hi) || lo > hi)
    return FALSE;
  /* Beyond the float range a bound becomes infinite, as the R-tree module stores it. */
  flo = lo < -FLT_MAX ? -INFINITY : lo > FLT_MAX ? FLT_MAX : (float) lo;
  fhi = hi > FLT_MAX ? INFINITY : hi < -FLT_MAX ? -FLT_MAX : (float) hi;
  if ((double) flo > lo)
    flo = nextafterf (flo, -INFINITY);
  if ((double) fhi < hi)
    fhi = nextafterf (fhi, INFINITY);
  e->lo[dim] = flo;
  e->hi[dim] = fhi;
  return TRUE;
}

gboolean
_sl_rtree_bulk_supported (sqlite3 *db)
{
  int defensive = 0;

  if (sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive) != SQLITE_OK)
    return FALSE;
  return defensive == 0;
}

/* A node being built: its children are cells [first, first + n) of the level below (entries
 * in sorted order for the leaves), its box their union. */
typedef struct
{
  guint first, n;
  guint parent;         /* index of its node in the level above */
  float lo[SL_RTREE_MAX_DIMS], hi[SL_RTREE_MAX_DIMS];
} Node;

typedef struct
{
  float   major;        /* centre in the third dimension (0 without one) */
  guint64 hilbert;      /* position of the centre on the curve, 16 bits an axis */
  guint   index;
} SortKey;

/* Position of (x, y) on the Hilbert curve filling a 2^16 × 2^16 grid. */
static guint64
hilbert_index (guint32 x, guint32 y)
{
  const guint32 n = 1u << 16;
  guint64 d = 0;

  for (guint32 s = n / 2; s > 0; s /= 2)
    {
      guint32 rx = (x & s) != 0, ry = (y & s) != 0;

      d += (guint64) s * s * ((3 * rx) ^ ry);
      if (ry == 0)
        {
          guint32 t;

          if (rx == 1)
            {
              x = n - 1 - x;
              y = n - 1 - y;
            }
          t = x;
          x = y;
          y = t;
        }
    }
  return d;
}

static int
compare_keys (const void *pa, const void *pb)
{
  const SortKey *a = pa, *b = pb;

  if (a->major != b->major)
    return a->major < b->major ? -1 : 1;
  if (a->hilbert != b->hilbert)
    return a->hilbert < b->hilbert ? -1 : 1;
  return a->index < b->index ? -1 : a->index > b->index;
}

/* The entries' indices in packing order. */
static guint *
sort_entries (const SlRtreeEntry *entries, gsize n, guint n_dims)
{
  double min[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, max[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };
  g_autofree SortKey *keys = g_new (SortKey, MAX (n, 1));
  guint *order = g_new (guint, MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    for (guint d = 0; d < 2 && d < n_dims; d++)
      {
        double c = ((double) entries[i].lo[d] + entries[i].hi[d]) / 2;

        if (!isfinite (c))
          continue;
        min[d] = MIN (min[d], c);
        max[d] = MAX (max[d], c);
      }
  for (gsize i = 0; i < n; i++)
    {
      guint32 cell[2] = { 0, 0 };

      for (guint d = 0; d < 2 && d < n_dims; d++)
        {
          double c = ((double) entries[i].lo[d] + entries[i].hi[d]) / 2;
          double span = max[d] - min[d];

          double t = span > 0 && isfinite (span) ? (c - min[d]) / span * 65535.0 : 0;

          cell[d] = isfinite (t) ? (guint32) CLAMP (t, 0, 65535) : 0;
        }
      keys[i].major = n_dims > 2 ? entries[i].lo[2] / 2 + entries[i].hi[2] / 2 : 0;
      if (isnan (keys[i].major))
        keys[i].major = 0;
      keys[i].hilbert = hilbert_index (cell[0], cell[1]);
      keys[i].index = (guint) i;
    }
  qsort (keys, n, sizeof *keys, compare_keys);
  for (gsize i = 0; i < n; i++)
    order[i] = keys[i].index;
  return order;
}

/* Groups @n_items cells into ⌈n_items / max_cells⌉ nodes of as equal a size as possible. */
static GArray *
group_level (gsize n_items, guint max_cells)
{
  gsize n_nodes = MAX ((n_items + max_cells - 1) / max_cells, 1);
  GArray *level = g_array_sized_new (FALSE, TRUE, sizeof (Node), (guint) n_nodes);

  for (gsize k = 0; k < n_nodes; k++)
    {
      Node node = { 0 };

      node.first = (guint) (k * n_items / n_nodes);
      node.n = (guint) ((k + 1) * n_items / n_nodes - node.first);
      g_array_append_val (level, node);
    }
  return level;
}

static void
union_box (Node *node, const float *lo, const float *hi, guint n_dims, gboolean first)
{
  for (guint d = 0; d < n_dims; d++)
    {
      node->lo[d] = first ? lo[d] : MIN (node->lo[d], lo[d]);
      node->hi[d] = first ? hi[d] : MAX (node->hi[d], hi[d]);
    }
}

static guint8 *
put_be64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = (guint8) (v & 0xff);
  return p + 8;
}

static guint8 *
put_coords (guint8 *p, const float *lo, const float *hi, guint n_dims)
{
  for (guint d = 0; d < n_dims; d++)
    {
      guint32 bits[2];

      memcpy (&bits[0], &lo[d], 4);
      memcpy (&bits[1], &hi[d], 4);
      for (int k = 0; k < 2; k++)
        {
          p[0] = (guint8) (bits[k] >> 24);
          p[1] = (guint8) (bits[k] >> 16);
          p[2] = (guint8) (bits[k] >> 8);
          p[3] = (guint8) bits[k];
          p += 4;
        }
    }
  return p;
}

typedef struct
{
  sqlite3      *db;
  const char   *rtree;
  guint         n_dims, n_aux;
  int           node_size;
  sqlite3_stmt *write_node, *write_parent, *write_rowid;
} Writer;

static void
writer_clear (Writer *w)
{
  sqlite3_finalize (w->write_node);
  sqlite3_finalize (w->write_parent);
  sqlite3_finalize (w->write_rowid);
}

static void
set_error (Writer *w, GError **error, const char *what)
{
  g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO, "Cannot %s the index %s of ‘%s’: %s", what, w->rtree,
               sqlite3_db_filename (w->db, "main"), sqlite3_errmsg (w->db));
}

/* An integer from the first row of @sql (printf-style, %w for quoted names); -1 when none. */
static gint64
query_int (sqlite3 *db, const char *format, const char *name)
{
  char *sql = sqlite3_mprintf (format, name);
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_free (sql);
  return value;
}

/* Reads the tree's shape (dimensions, auxiliary columns, node size) and empties it. */
static gboolean
writer_open (Writer *w, GError **error)
{
  gint64 n_columns = query_int (w->db, "SELECT count(*) FROM pragma_table_info('%q')", w->rtree);
  gint64 n_rowid_columns = query_int (w->db, "SELECT count(*) FROM pragma_table_info('%q_rowid')", w->rtree);
  gint64 node_size = query_int (w->db, "SELECT length(data) FROM \"%w_node\" WHERE nodeno = 1", w->rtree);
  guint bytes_per_cell;
  char *sql;
  int rc;

  if (n_columns < 3 || n_rowid_columns < 2)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_CORRUPT, "Cannot rebuild the index %s of ‘%s’: it is not an R-tree",
                   w->rtree, sqlite3_db_filename (w->db, "main"));
      return FALSE;
    }
  w->n_aux = (guint) (n_rowid_columns - 2);
  w->n_dims = (guint) ((n_columns - 1 - w->n_aux) / 2);
  if (w->n_dims < 1 || w->n_dims > SL_RTREE_MAX_DIMS || w->n_aux > SL_RTREE_MAX_AUX ||
      (n_columns - 1 - w->n_aux) % 2 != 0)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_CORRUPT,
                   "Cannot rebuild the index %s of ‘%s’: %u dimensions and %u extra columns are not supported",
                   w->rtree, sqlite3_db_filename (w->db, "main"), w->n_dims, w->n_aux);
      return FALSE;
    }
  bytes_per_cell = 8 + 8 * w->n_dims;
  if (node_size < 0)
    {
      gint64 page = query_int (w->db, "PRAGMA page_size%s", "");

      node_size = MIN (page - 64, 4 + (gint64) bytes_per_cell * RTREE_CELLS_CAP);
    }
  if (node_size < 4 + 2 * (gint64) bytes_per_cell || node_size > 65536)
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_CORRUPT,
                   "Cannot rebuild the index %s of ‘%s’: its nodes are %" G_GINT64_FORMAT " bytes", w->rtree,
                   sqlite3_db_filename (w->db, "main"), node_size);
      return FALSE;
    }
  w->node_size = (int) node_size;

  sql = sqlite3_mprintf ("DELETE FROM \"%w_node\"; DELETE FROM \"%w_parent\"; DELETE FROM \"%w_rowid\";",
                         w->rtree, w->rtree, w->rtree);
  rc = sqlite3_exec (w->db, sql, NULL, NULL, NULL);
  sqlite3_free (sql);
  if (rc != SQLITE_OK)
    {
      set_error (w, error, "empty");
      return FALSE;
    }

  sql = sqlite3_mprintf ("INSERT INTO \"%w_node\" (nodeno, data) VALUES (?1, ?2)", w->rtree);
  rc = sqlite3_prepare_v2 (w->db, sql, -1, &w->write_node, NULL);
  sqlite3_free (sql);
  if (rc == SQLITE_OK)
    {
      sql = sqlite3_mprintf ("INSERT INTO \"%w_parent\" (nodeno, parentnode) VALUES (?1, ?2)", w->rtree);
      rc = sqlite3_prepare_v2 (w->db, sql, -1, &w->write_parent, NULL);
      sqlite3_free (sql);
    }
  if (rc == SQLITE_OK)
    {
      sql = sqlite3_mprintf ("INSERT INTO \"%w_rowid\" VALUES (?1, ?2%s)", w->rtree,
                             w->n_aux == 0 ? "" : w->n_aux == 1 ? ", ?3" : ", ?3, ?4");
      rc = sqlite3_prepare_v2 (w->db, sql, -1, &w->write_rowid, NULL);
      sqlite3_free (sql);
    }
  if (rc != SQLITE_OK)
    {
      set_error (w, error, "write");
      return FALSE;
    }
  return TRUE;
}

static gboolean
step (Writer *w, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  set_error (w, error, "write");
  return FALSE;
}

static gboolean
write_node (Writer *w, gint64 nodeno, const guint8 *data, gint64 parent, GError **error)
{
  sqlite3_bind_int64 (w->write_node, 1, nodeno);
  sqlite3_bind_blob (w->write_node, 2, data, w->node_size, SQLITE_STATIC);
  if (!step (w, w->write_node, error))
    return FALSE;
  if (parent == 0)
    return TRUE;
  sqlite3_bind_int64 (w->write_parent, 1, nodeno);
  sqlite3_bind_int64 (w->write_parent, 2, parent);
  return step (w, w->write_parent, error);
}

/* Builds the levels bottom-up (levels[0] the leaves), each node's box the union of its cells. */
static GPtrArray *
build_levels (const SlRtreeEntry *entries, const guint *order, gsize n, guint n_dims, guint max_cells)
{
  GPtrArray *levels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  GArray *level = group_level (n, max_cells);

  for (guint k = 0; k < level->len; k++)
    {
      Node *node = &g_array_index (level, Node, k);

      for (guint i = 0; i < node->n; i++)
        {
          const SlRtreeEntry *e = &entries[order[node->first + i]];

          union_box (node, e->lo, e->hi, n_dims, i == 0);
        }
    }
  g_ptr_array_add (levels, level);
  while (level->len > 1)
    {
      GArray *below = level;

      level = group_level (below->len, max_cells);
      for (guint k = 0; k < level->len; k++)
        {
          Node *node = &g_array_index (level, Node, k);

          for (guint i = 0; i < node->n; i++)
            {
              Node *child = &g_array_index (below, Node, node->first + i);

              union_box (node, child->lo, child->hi, n_dims, i == 0);
              child->parent = k;
            }
        }
      g_ptr_array_add (levels, level);
    }
  return levels;
}

/* Writes every node, top level first: the root is node 1, each level's nodes follow in order,
 * so node k of level L is base[L] + k. */
static gboolean
write_levels (Writer *w, GPtrArray *levels, const SlRtreeEntry *entries, const guint *order, gint64 *leaf_of,
              GError **error)
{
  guint top = levels->len - 1;
  g_autofree gint64 *base = g_new0 (gint64, levels->len);
  g_autofree guint8 *data = g_malloc (w->node_size);
  guint bytes_per_cell = 8 + 8 * w->n_dims;
  gint64 next = 1;

  for (int l = (int) top; l >= 0; l--)
    {
      base[l] = next;
      next += ((GArray *) levels->pdata[l])->len;
    }
  for (int l = (int) top; l >= 0; l--)
    {
      GArray *level = levels->pdata[l];

      for (guint k = 0; k < level->len; k++)
        {
          const Node *node = &g_array_index (level, Node, k);
          gint64 nodeno = base[l] + k;
          gint64 parent = l < (int) top ? base[l + 1] + node->parent : 0;
          guint8 *p = data + 4;

          memset (data, 0, w->node_size);
          if (l == (int) top)
            {
              data[0] = (guint8) (top >> 8);
              data[1] = (guint8) top;
            }
          data[2] = (guint8) (node->n >> 8);
          data[3] = (guint8) node->n;
          g_assert (4 + node->n * bytes_per_cell <= (guint) w->node_size);
          for (guint i = 0; i < node->n; i++)
            if (l == 0)
              {
                guint e = order[node->first + i];

                p = put_be64 (p, (guint64) entries[e].id);
                p = put_coords (p, entries[e].lo, entries[e].hi, w->n_dims);
                leaf_of[e] = nodeno;
              }
            else
              {
                const Node *child = &g_array_index ((GArray *) levels->pdata[l - 1], Node, node->first + i);

                p = put_be64 (p, (guint64) (base[l - 1] + node->first + i));
                p = put_coords (p, child->lo, child->hi, w->n_dims);
              }
          if (!write_node (w, nodeno, data, parent, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
_sl_rtree_bulk_write (sqlite3            *db,
                      const char         *rtree,
                      const SlRtreeEntry *entries,
                      gsize               n_entries,
                      GError            **error)
{
  Writer w = { .db = db, .rtree = rtree };
  g_autoptr(GPtrArray) levels = NULL;
  g_autofree guint *order = NULL;
  g_autofree gint64 *leaf_of = NULL;
  gboolean ok = FALSE;
  guint max_cells;

  g_return_val_if_fail (db != NULL && rtree != NULL, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (db), FALSE);
  g_return_val_if_fail (n_entries < G_MAXUINT / 2, FALSE);

  if (!writer_open (&w, error))
    goto out;
  max_cells = (guint) (w.node_size - 4) / (8 + 8 * w.n_dims);
  order = sort_entries (entries, n_entries, w.n_dims);
  levels = build_levels (entries, order, n_entries, w.n_dims, max_cells);
  leaf_of = g_new0 (gint64, MAX (n_entries, 1));
  if (!write_levels (&w, levels, entries, order, leaf_of, error))
    goto out;
  /* The rows' leaves in the entries' order (the caller's: by id, the table's own order). */
  for (gsize i = 0; i < n_entries; i++)
    {
      sqlite3_bind_int64 (w.write_rowid, 1, entries[i].id);
      sqlite3_bind_int64 (w.write_rowid, 2, leaf_of[i]);
      for (guint a = 0; a < w.n_aux; a++)
        sqlite3_bind_int64 (w.write_rowid, 3 + a, entries[i].aux[a]);
      if (!step (&w, w.write_rowid, error))
        goto out;
    }
  ok = TRUE;
out:
  writer_clear (&w);
  return ok;
}
