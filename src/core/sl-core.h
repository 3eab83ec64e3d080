/* sl-core.h — process-wide set-up of the libraries the core uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers GDAL's drivers and sets the defaults Sitelapse relies on: a bounded GDAL
 * block cache (32 MB unless GDAL_CACHEMAX is set) and a proxy folder for GDAL's .aux.xml
 * sidecars so read-only sources are never written beside. Safe to call from any thread,
 * any number of times. */
void  sl_core_init (void);

G_END_DECLS
