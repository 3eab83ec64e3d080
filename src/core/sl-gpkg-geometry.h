/* sl-gpkg-geometry.h — GeoPackage geometry blobs (GPKG header + ISO WKB)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  double min_x, max_x, min_y, max_y;
} SlEnvelope;

/* Computes the 2-D envelope of ISO/OGC WKB (points, lines, polygons, multi-* and
 * collections, with or without Z/M). Returns FALSE for malformed WKB; an empty
 * geometry returns TRUE with *empty set. */
gboolean  sl_wkb_envelope          (const guint8 *wkb,
                                    gsize         len,
                                    SlEnvelope   *env,
                                    gboolean     *empty);

/* Wraps WKB in a GeoPackage geometry blob (little-endian header, XY envelope,
 * the empty flag when the geometry is empty). NULL when @wkb is malformed. */
GBytes   *sl_gpkg_blob_from_wkb    (gint32        srs_id,
                                    const guint8 *wkb,
                                    gsize         len);

/* Parses a GeoPackage geometry blob header. Returns FALSE when @blob is not one.
 * @env is read from the header when present, else computed from the WKB. */
gboolean  sl_gpkg_blob_parse       (const guint8 *blob,
                                    gsize         len,
                                    gint32       *srs_id,
                                    SlEnvelope   *env,
                                    gboolean     *empty,
                                    const guint8 **wkb,
                                    gsize        *wkb_len);

G_END_DECLS
