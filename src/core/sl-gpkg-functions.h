/* sl-gpkg-functions.h — the SQL functions GeoPackage triggers call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

/* Registers ST_MinX, ST_MaxX, ST_MinY, ST_MaxY, ST_IsEmpty, ST_SRID and
 * GPKG_IsAssignable on @db. The R-tree triggers of every feature table call them, so
 * every connection that writes geometries needs them. Returns an SQLite result code. */
int sl_gpkg_register_functions (sqlite3 *db);
