/* sl-gpkg-geometry.c — GeoPackage geometry blobs (GPKG header + ISO WKB)
 *
 * Hand-written because the R-tree triggers call ST_MinX() & co. on every insert: this must be
 * fast, allocation-free and safe on hostile blobs (every read is bounds-checked, nesting is
 * limited).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-gpkg-geometry"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-gpkg-geometry.h"

#define MAX_DEPTH 32

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Reader;

static gboolean
read_u32 (Reader *r, gboolean le, guint32 *out)
{
  guint32 v;

  if (r->end - r->p < 4)
    return FALSE;
  memcpy (&v, r->p, 4);
  r->p += 4;
  *out = le ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
read_f64 (Reader *r, gboolean le, double *out)
{
  guint64 v;

  if (r->end - r->p < 8)
    return FALSE;
  memcpy (&v, r->p, 8);
  r->p += 8;
  v = le ? GUINT64_FROM_LE (v) : GUINT64_FROM_BE (v);
  memcpy (out, &v, 8);
  return TRUE;
}

static void
envelope_add (SlEnvelope *env, gboolean *empty, double x, double y)
{
  if (isnan (x) || isnan (y))
    return;
  if (*empty)
    {
      env->min_x = env->max_x = x;
      env->min_y = env->max_y = y;
      *empty = FALSE;
      return;
    }
  env->min_x = MIN (env->min_x, x);
  env->max_x = MAX (env->max_x, x);
  env->min_y = MIN (env->min_y, y);
  env->max_y = MAX (env->max_y, y);
}

static gboolean
read_points (Reader *r, gboolean le, guint dims, guint32 n, SlEnvelope *env, gboolean *empty)
{
  /* Check the whole run up front so a huge count in a tiny blob fails at once. */
  if ((guint64) n * dims * 8 > (guint64) (r->end - r->p))
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      double xy[4];

      for (guint d = 0; d < dims; d++)
        if (!read_f64 (r, le, &xy[d]))
          return FALSE;
      envelope_add (env, empty, xy[0], xy[1]);
    }
  return TRUE;
}

static gboolean
read_geometry (Reader *r, guint depth, SlEnvelope *env, gboolean *empty)
{
  guint32 type, n;
  guint dims = 2;
  gboolean le;

  if (depth > MAX_DEPTH || r->end - r->p < 5)
    return FALSE;
  if (r->p[0] > 1)
    return FALSE;
  le = r->p[0] == 1;
  r->p++;
  if (!read_u32 (r, le, &type))
    return FALSE;

  /* EWKB-style flags, then ISO 1000/2000/3000 offsets. */
  if (type & 0x80000000u)
    dims++;
  if (type & 0x40000000u)
    dims++;
  type &= 0x0fffffffu;
  if (type >= 3000 && type < 4000)
    dims += 2, type -= 3000;
  else if (type >= 2000 && type < 3000)
    dims += 1, type -= 2000;
  else if (type >= 1000 && type < 2000)
    dims += 1, type -= 1000;
  if (dims > 4)
    return FALSE;

  switch (type)
    {
    case 1: /* Point */
      return read_points (r, le, dims, 1, env, empty);

    case 2: /* LineString */
      return read_u32 (r, le, &n) && read_points (r, le, dims, n, env, empty);

    case 3: /* Polygon */
      if (!read_u32 (r, le, &n))
        return FALSE;
      for (guint32 i = 0; i < n; i++)
        {
          guint32 m;

          if (!read_u32 (r, le, &m) || !read_points (r, le, dims, m, env, empty))
            return FALSE;
        }
      return TRUE;

    case 4: case 5: case 6: case 7: /* Multi* and GeometryCollection */
      if (!read_u32 (r, le, &n))
        return FALSE;
      /* Each part takes at least 5 bytes. */
      if ((guint64) n * 5 > (guint64) (r->end - r->p))
        return FALSE;
      for (guint32 i = 0; i < n; i++)
        if (!read_geometry (r, depth + 1, env, empty))
          return FALSE;
      return TRUE;

    default:
      return FALSE;
    }
}

gboolean
sl_wkb_envelope (const guint8 *wkb,
                 gsize         len,
                 SlEnvelope   *env,
                 gboolean     *empty)
{
  Reader r = { wkb, wkb + len };
  SlEnvelope e = { 0 };
  gboolean is_empty = TRUE;

  g_return_val_if_fail (wkb != NULL || len == 0, FALSE);

  if (!read_geometry (&r, 0, &e, &is_empty))
    return FALSE;
  if (env)
    *env = e;
  if (empty)
    *empty = is_empty;
  return TRUE;
}

GBytes *
sl_gpkg_blob_from_wkb (gint32        srs_id,
                       const guint8 *wkb,
                       gsize         len)
{
  SlEnvelope env;
  gboolean empty;
  GByteArray *out;
  guint8 header[8] = { 'G', 'P', 0, 0 };
  gint32 srs_le = GINT32_TO_LE (srs_id);

  if (!sl_wkb_envelope (wkb, len, &env, &empty))
    return NULL;

  /* Flags: little-endian header (bit 0); envelope [minx,maxx,miny,maxy] (1 << 1) unless
   * empty (bit 4), as the GeoPackage spec recommends for empty geometries. */
  header[3] = empty ? (0x01 | 0x10) : (0x01 | 0x02);
  memcpy (header + 4, &srs_le, 4);

  out = g_byte_array_sized_new (8 + (empty ? 0 : 32) + len);
  g_byte_array_append (out, header, 8);
  if (!empty)
    {
      double v[4] = { env.min_x, env.max_x, env.min_y, env.max_y };

      for (guint i = 0; i < 4; i++)
        {
          guint64 bits;

          memcpy (&bits, &v[i], 8);
          bits = GUINT64_TO_LE (bits);
          g_byte_array_append (out, (const guint8 *) &bits, 8);
        }
    }
  g_byte_array_append (out, wkb, len);
  return g_byte_array_free_to_bytes (out);
}

gboolean
sl_gpkg_blob_parse (const guint8  *blob,
                    gsize          len,
                    gint32        *srs_id,
                    SlEnvelope    *env,
                    gboolean      *empty,
                    const guint8 **wkb,
                    gsize         *wkb_len)
{
  Reader r = { blob, blob + len };
  guint8 flags;
  gboolean le;
  guint env_kind, env_doubles;
  guint32 srs;
  SlEnvelope e = { 0 };
  gboolean is_empty;

  if (blob == NULL || len < 8 || blob[0] != 'G' || blob[1] != 'P')
    return FALSE;
  flags = blob[3];
  le = (flags & 0x01) != 0;
  env_kind = (flags >> 1) & 0x07;
  is_empty = (flags & 0x10) != 0;
  if (env_kind > 4)
    return FALSE;
  env_doubles = (guint[]) { 0, 4, 6, 6, 8 }[env_kind];

  r.p = blob + 4;
  if (!read_u32 (&r, le, &srs))
    return FALSE;

  if (env_kind != 0)
    {
      double v[8];

      for (guint i = 0; i < env_doubles; i++)
        if (!read_f64 (&r, le, &v[i]))
          return FALSE;
      e.min_x = v[0], e.max_x = v[1], e.min_y = v[2], e.max_y = v[3];
      if (isnan (e.min_x) || isnan (e.min_y))
        is_empty = TRUE;
    }
  else if (!is_empty)
    {
      /* No envelope in the header: compute it from the WKB. */
      if (!sl_wkb_envelope (r.p, r.end - r.p, &e, &is_empty))
        return FALSE;
    }

  if (srs_id)
    *srs_id = (gint32) srs;
  if (env)
    *env = e;
  if (empty)
    *empty = is_empty;
  if (wkb)
    *wkb = r.p;
  if (wkb_len)
    *wkb_len = r.end - r.p;
  return TRUE;
}
