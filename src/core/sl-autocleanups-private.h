/* sl-autocleanups-private.h — g_autoptr() support for foreign C types, defined once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>
#include <gdal.h>
#include <ogr_srs_api.h>
#include <cpl_string.h>

typedef sqlite3_stmt SlStmt;
typedef void *SlGdalDataset;
typedef void *SlOgrSrs;
typedef void *SlOgrTransform;
typedef char *SlCplString;

static inline void sl_stmt_finalize (SlStmt *stmt) { sqlite3_finalize (stmt); }
static inline void sl_gdal_close (SlGdalDataset ds) { if (ds) GDALClose ((GDALDatasetH) ds); }
static inline void sl_srs_release (SlOgrSrs srs) { if (srs) OSRDestroySpatialReference ((OGRSpatialReferenceH) srs); }
static inline void sl_ct_destroy (SlOgrTransform ct) { if (ct) OCTDestroyCoordinateTransformation ((OGRCoordinateTransformationH) ct); }

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlStmt, sl_stmt_finalize)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SlGdalDataset, sl_gdal_close, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SlOgrSrs, sl_srs_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (SlOgrTransform, sl_ct_destroy, NULL)
