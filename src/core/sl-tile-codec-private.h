/* sl-tile-codec-private.h — the alpha of JPEG tiles, shared by the codec's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-tile-codec.h"

G_BEGIN_DECLS

/* A tile with transparency whose alpha is a footprint's (a scene's edge)
 * is stored as a JPEG of its colours plus its alpha, run-length coded, in an APP9 segment
 * named "SlAlpha": still a plain JPEG to every other reader, 15x cheaper than PNG to encode
 * and 6x to decode. An alpha of more runs than this many bytes hold stays PNG. */
#define SL_TILE_ALPHA_MAX_RLE 16384

/* The alpha of @argb as runs of (length − 1, value) byte pairs over the 65536 pixels, or NULL
 * when it is not a footprint's (a convex shape with a border at most a pixel or two soft:
 * holes, masks and translucency stay PNG) or the runs would take more than @max_bytes. */
GByteArray *_sl_tile_alpha_encode_rle  (const guint8  *argb,
                                        gsize          max_bytes);
/* Straight colours of @argb for the JPEG encoder: un-premultiplied, and transparent pixels
 * filled from their nearest visible neighbour in the row (or the nearest row), so the colour
 * step at the scene's edge does not ring into the visible pixels. @out: SL_TILE_BYTES. */
void        _sl_tile_alpha_fill_colours (const guint8 *argb,
                                        guint8       *out);
/* Inserts the APP9 segment with @rle after the JPEG's SOI and APP0. New bytes. */
GBytes     *_sl_tile_alpha_attach      (GBytes        *jpeg,
                                        const guint8  *rle,
                                        gsize          rle_len);
/* The run-length alpha of a JPEG blob (borrowed, inside @blob), or NULL when it has none. A
 * damaged segment structure also gives NULL (the JPEG decoder then reports it). */
const guint8 *_sl_tile_alpha_find      (const guint8  *blob,
                                        gsize          len,
                                        gsize         *rle_len);
/* Applies the runs to a decoded (opaque) tile: sets alpha, premultiplies. FALSE when the runs
 * do not cover exactly the tile. */
gboolean    _sl_tile_alpha_apply       (const guint8  *rle,
                                        gsize          rle_len,
                                        guint8        *argb,
                                        SlTileContent *content);

G_END_DECLS
