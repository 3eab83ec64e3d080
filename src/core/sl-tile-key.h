/* sl-tile-key.h — the address of one display tile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One tile of one scene on the site grid, rendered with one generation of that scene's
 * render parameters (band mapping, stretch). A new generation makes every older key stale. */
typedef struct
{
  gint64  scene_id;
  guint32 generation;
  gint32  z;
  gint32  x;
  gint32  y;
} SlTileKey;

static inline guint
sl_tile_key_hash (gconstpointer p)
{
  const SlTileKey *k = p;
  guint64 h = (guint64) k->scene_id * 0x9E3779B97F4A7C15ull;

  h ^= ((guint64) k->generation << 40) ^ ((guint64) k->z << 56) ^ ((guint64) (guint32) k->x << 20) ^ (guint32) k->y;
  h *= 0xff51afd7ed558ccdull;
  return (guint) (h ^ (h >> 32));
}

static inline gboolean
sl_tile_key_equal (gconstpointer a, gconstpointer b)
{
  const SlTileKey *ka = a, *kb = b;

  return ka->scene_id == kb->scene_id && ka->generation == kb->generation &&
         ka->z == kb->z && ka->x == kb->x && ka->y == kb->y;
}

G_END_DECLS
