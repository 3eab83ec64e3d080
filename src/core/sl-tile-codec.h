/* sl-tile-codec.h — display tiles to and from JPEG / PNG blobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-raster-source.h"

G_BEGIN_DECLS

#define SL_TILE_CODEC_ERROR (sl_tile_codec_error_quark ())

typedef enum
{
  SL_TILE_CODEC_ERROR_FORMAT,   /* not a JPEG, PNG or WebP blob */
  SL_TILE_CODEC_ERROR_SIZE,     /* an image, but not SL_TILE_SIZE² */
  SL_TILE_CODEC_ERROR_CORRUPT,  /* damaged or truncated data */
  SL_TILE_CODEC_ERROR_ENCODE,   /* the encoder failed */
} SlTileCodecError;

typedef enum
{
  SL_TILE_FORMAT_JPEG,  /* opaque tiles (TurboJPEG, quality 85) */
  SL_TILE_FORMAT_PNG,   /* tiles with transparency */
  SL_TILE_FORMAT_WEBP,  /* half JPEG's size, 24x its encoding time: not used for stored tiles */
} SlTileFormat;

GQuark    sl_tile_codec_error_quark   (void);

/* Encodes an SL_TILE_SIZE² cairo-ARGB32 tile: JPEG when @content is OPAQUE; PARTIAL: JPEG
 * with its alpha run-length coded in an APP9 segment when that alpha has few runs (a scene's
 * edge), PNG otherwise (an EMPTY tile becomes a tiny fully transparent PNG, so "nothing here"
 * is cached too). sl_tile_codec_decode restores the alpha; other readers see a plain JPEG.
 * Thread-safe. */
GBytes   *sl_tile_codec_encode        (const guint8   *argb,
                                       SlTileContent   content,
                                       GError        **error);
/* @quality 1–100 for JPEG and WebP (0: the default, 85 and 75); PNG ignores it. JPEG drops
 * alpha (a partial tile shows its premultiplied colours); PNG writes RGB when every alpha is
 * 255, RGBA otherwise. */
GBytes   *sl_tile_codec_encode_as     (const guint8   *argb,
                                       SlTileFormat    format,
                                       int             quality,
                                       GError        **error);
/* The format of @blob by its magic bytes; FALSE when it is none of the three. */
gboolean  sl_tile_codec_detect        (const guint8   *blob,
                                       gsize           len,
                                       SlTileFormat   *format);
/* Decodes a JPEG, PNG or WebP blob of SL_TILE_SIZE² pixels into @argb (SL_TILE_BYTES). @content
 * (may be NULL): OPAQUE when every alpha is 255, EMPTY when every alpha is 0, else PARTIAL.
 * Thread-safe. A blob of another size or a corrupt one is an error, never a crash; @argb is
 * then undefined. */
gboolean  sl_tile_codec_decode        (const guint8   *blob,
                                       gsize           len,
                                       guint8         *argb,
                                       SlTileContent  *content,
                                       GError        **error);

G_END_DECLS
