/* sl-tile-codec.h — display tiles to and from JPEG / PNG blobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-raster-source.h"

G_BEGIN_DECLS

typedef enum
{
  SL_TILE_FORMAT_JPEG,  /* opaque tiles (TurboJPEG, quality 85) */
  SL_TILE_FORMAT_PNG,   /* tiles with transparency */
  SL_TILE_FORMAT_WEBP,  /* measured in bench/; not used for stored tiles unless it pays */
} SlTileFormat;

/* Encodes an SL_TILE_SIZE² cairo-ARGB32 tile: JPEG when @content is OPAQUE, PNG otherwise
 * (an EMPTY tile becomes a tiny fully transparent PNG, so "nothing here" is cached too).
 * Thread-safe. */
GBytes   *sl_tile_codec_encode        (const guint8   *argb,
                                       SlTileContent   content,
                                       GError        **error);
GBytes   *sl_tile_codec_encode_as     (const guint8   *argb,
                                       SlTileFormat    format,
                                       int             quality,
                                       GError        **error);
/* Decodes a JPEG, PNG or WebP blob of SL_TILE_SIZE² pixels into @argb. Thread-safe. A blob of
 * another size or a corrupt one is an error, never a crash. */
gboolean  sl_tile_codec_decode        (const guint8   *blob,
                                       gsize           len,
                                       guint8         *argb,
                                       SlTileContent  *content,
                                       GError        **error);

G_END_DECLS
