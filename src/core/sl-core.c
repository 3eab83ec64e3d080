/* sl-core.c — process-wide set-up of the libraries the core uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-core"

#include "config.h"

#include <gdal.h>
#include <cpl_conv.h>
#include <glib/gstdio.h>

#include "sl-core.h"

static gpointer
init_once (gpointer data)
{
  GDALAllRegister ();

  /* 32 MB: each worker reads whole source blocks for whole tiles, so GDAL's cache mostly
   * holds blocks shared by neighbouring tiles; 16 MB was measured no slower in bench/, and the
   * 256 MB tile LRU is the cache that matters. Keeps the whole app under 512 MB. */
  if (CPLGetConfigOption ("GDAL_CACHEMAX", NULL) == NULL)
    GDALSetCacheMax64 ((GIntBig) 32 * 1024 * 1024);

  /* GDAL writes statistics and other state to FILE.aux.xml beside a source; keep those out
   * of the user's (possibly read-only, possibly shared) imagery folders. */
  if (CPLGetConfigOption ("GDAL_PAM_PROXY_DIR", NULL) == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "sitelapse", "gdal-pam", NULL);

      if (g_mkdir_with_parents (dir, 0700) == 0)
        CPLSetConfigOption ("GDAL_PAM_PROXY_DIR", dir);
    }
  return NULL;
}

void
sl_core_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_once, NULL);
}
