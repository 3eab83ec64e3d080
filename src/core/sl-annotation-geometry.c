/* sl-annotation-geometry.c — an annotation's shape as a GeoPackage geometry blob and back
 *
 * Written: the GeoPackage header (little-endian, XY envelope, the site srs_id) from
 * sl-gpkg-geometry.c, then little-endian ISO WKB: POINT for points, POLYGON with one closed
 * ring for boxes, rotated boxes and polygons, LINESTRING for lines. Read: any 2-D, Z, M or
 * ZM variant of those three types in either byte order, as GDAL or QGIS may write them when
 * someone edits the layer there. Every read is bounds-checked: a blob from a hostile file is
 * an error, never a crash or a huge allocation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "sl-annotation.h"
#include "sl-gpkg-geometry.h"

#define WKB_POINT      1
#define WKB_LINESTRING 2
#define WKB_POLYGON    3

/* As in sl-annotation.c: more than any drawn shape, less than a hostile count could ask. */
#define MAX_POINTS 100000

typedef struct
{
  const guint8 *p, *end;
  gboolean      le;
} Reader;

static gboolean
read_u32 (Reader *r, guint32 *out)
{
  guint32 v;

  if (r->end - r->p < 4)
    return FALSE;
  memcpy (&v, r->p, 4);
  r->p += 4;
  *out = r->le ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
read_f64 (Reader *r, double *out)
{
  guint64 v;

  if (r->end - r->p < 8)
    return FALSE;
  memcpy (&v, r->p, 8);
  r->p += 8;
  v = r->le ? GUINT64_FROM_LE (v) : GUINT64_FROM_BE (v);
  memcpy (out, &v, 8);
  return TRUE;
}

/* Reads @n points of @dims coordinates, keeping x and y. */
static SlPoint *
read_points (Reader *r, guint dims, guint32 n, GError **error)
{
  g_autofree SlPoint *points = NULL;

  if (n > MAX_POINTS || (guint64) n * dims * 8 > (guint64) (r->end - r->p))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the geometry claims %u points but holds fewer", n);
      return NULL;
    }
  points = g_new (SlPoint, MAX (n, 1));
  for (guint32 i = 0; i < n; i++)
    {
      double x, y;

      /* The length was checked above; Z and M are skipped. */
      if (!read_f64 (r, &x) || !read_f64 (r, &y))
        g_assert_not_reached ();
      r->p += (dims - 2) * 8;
      if (!isfinite (x) || !isfinite (y))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "point %u of the geometry is not a finite coordinate", i + 1);
          return NULL;
        }
      points[i].x = x;
      points[i].y = y;
    }
  return g_steal_pointer (&points);
}

static void
put_u32 (GByteArray *out, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (out, (const guint8 *) &v, 4);
}

static void
put_point (GByteArray *out, const SlPoint *p)
{
  double xy[2] = { p->x, p->y };

  for (guint i = 0; i < 2; i++)
    {
      guint64 bits;

      memcpy (&bits, &xy[i], 8);
      bits = GUINT64_TO_LE (bits);
      g_byte_array_append (out, (const guint8 *) &bits, 8);
    }
}

GBytes *
sl_annotation_to_gpkg_blob (const SlAnnotation *self,
                            int                 srs_id)
{
  g_autoptr(GByteArray) wkb = NULL;
  const guint8 order = 1; /* little-endian */

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->n_points > 0, NULL);

  wkb = g_byte_array_sized_new (13 + 16 * (self->n_points + 1));
  g_byte_array_append (wkb, &order, 1);
  switch (self->kind)
    {
    case SL_SHAPE_POINT:
      put_u32 (wkb, WKB_POINT);
      put_point (wkb, &self->points[0]);
      break;

    case SL_SHAPE_LINE:
      put_u32 (wkb, WKB_LINESTRING);
      put_u32 (wkb, self->n_points);
      for (guint i = 0; i < self->n_points; i++)
        put_point (wkb, &self->points[i]);
      break;

    case SL_SHAPE_BOX:
    case SL_SHAPE_ROTATED_BOX:
    case SL_SHAPE_POLYGON:
      /* One ring, closed as Simple Features require: the first point again at the end. */
      put_u32 (wkb, WKB_POLYGON);
      put_u32 (wkb, 1);
      put_u32 (wkb, self->n_points + 1);
      for (guint i = 0; i < self->n_points; i++)
        put_point (wkb, &self->points[i]);
      put_point (wkb, &self->points[0]);
      break;

    default:
      g_return_val_if_reached (NULL);
    }
  return sl_gpkg_blob_from_wkb (srs_id, wkb->data, wkb->len);
}

/* Sets the points from the blob. The kind follows the geometry type: a POINT makes a point,
 * a LINESTRING a line; a POLYGON keeps a box, rotated box or polygon kind (the `kind` column
 * says which) and makes any other kind a polygon. */
gboolean
sl_annotation_set_from_gpkg_blob (SlAnnotation  *self,
                                  const guint8  *blob,
                                  gsize          size,
                                  GError       **error)
{
  const guint8 *wkb;
  gsize wkb_len;
  gboolean empty;
  Reader r;
  guint32 type, n;
  guint dims = 2;
  g_autofree SlPoint *points = NULL;
  SlShapeKind kind;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!sl_gpkg_blob_parse (blob, size, NULL, NULL, &empty, &wkb, &wkb_len))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a GeoPackage geometry blob");
      return FALSE;
    }
  if (empty)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the geometry is empty");
      return FALSE;
    }
  if (wkb_len < 5 || wkb[0] > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the geometry is not valid WKB");
      return FALSE;
    }
  r = (Reader) { wkb + 1, wkb + wkb_len, wkb[0] == 1 };
  if (!read_u32 (&r, &type))
    g_assert_not_reached ();

  /* EWKB flags, then ISO Z (1000), M (2000), ZM (3000). */
  if (type & 0x80000000u)
    dims++;
  if (type & 0x40000000u)
    dims++;
  type &= 0x0fffffffu;
  if (type >= 1000 && type < 4000)
    {
      dims += type >= 3000 ? 2 : 1;
      type %= 1000;
    }
  if (dims > 4)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the geometry is not valid WKB");
      return FALSE;
    }

  switch (type)
    {
    case WKB_POINT:
      kind = SL_SHAPE_POINT;
      n = 1;
      points = read_points (&r, dims, n, error);
      break;

    case WKB_LINESTRING:
      kind = SL_SHAPE_LINE;
      if (!read_u32 (&r, &n))
        goto truncated;
      points = read_points (&r, dims, n, error);
      break;

    case WKB_POLYGON:
      {
        guint32 rings;

        kind = self->kind == SL_SHAPE_BOX || self->kind == SL_SHAPE_ROTATED_BOX ? self->kind : SL_SHAPE_POLYGON;
        if (!read_u32 (&r, &rings))
          goto truncated;
        if (rings != 1)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "a polygon with %u rings (annotations have exactly one)", rings);
            return FALSE;
          }
        if (!read_u32 (&r, &n))
          goto truncated;
        points = read_points (&r, dims, n, error);
        if (points == NULL)
          return FALSE;
        /* Drop the closing point: annotations keep open rings. */
        if (n >= 2 && points[0].x == points[n - 1].x && points[0].y == points[n - 1].y)
          n--;
        break;
      }

    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "WKB geometry type %u is not a point, line or polygon", type);
      return FALSE;
    }

  if (points == NULL)
    return FALSE;
  if (r.p != r.end)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%" G_GSIZE_FORMAT " unexpected bytes after the geometry", (gsize) (r.end - r.p));
      return FALSE;
    }
  g_free (self->points);
  self->points = g_steal_pointer (&points);
  self->n_points = n;
  self->kind = kind;
  return TRUE;

truncated:
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the geometry is truncated");
  return FALSE;
}
