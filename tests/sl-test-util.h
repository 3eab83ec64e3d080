/* sl-test-util.h — fixtures for the tests: real files written with GDAL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-project.h"

G_BEGIN_DECLS

typedef struct
{
  int          width, height, bands;
  const char  *data_type;     /* "Byte" (default), "UInt16", "Float32" */
  const char  *driver;        /* "GTiff" (default), "PNG", "JPEG" */
  const char  *crs;           /* e.g. "EPSG:32636"; NULL: no georeference */
  double       origin_x, origin_y, pixel_size;
  const char  *datetime;      /* TIFFTAG_DATETIME ("2022:02:21 08:52:11"), or NULL */
  gboolean     with_nodata;
  double       nodata;
  gboolean     palette;       /* 1 band with a colour table */
  int          gcps;          /* number of GCPs instead of a geotransform */
  guint32      seed;          /* varies the pixels (and so the SHA-256) */
} SlTestImage;

/* A fresh temporary folder, removed (with its contents) by sl_test_tmpdir_free. */
char     *sl_test_tmpdir_new   (void);
void      sl_test_tmpdir_free  (char *dir);

/* Writes an image described by @spec to @path with GDAL; aborts the test on failure. */
void      sl_test_write_image  (const char *path, const SlTestImage *spec);
void      sl_test_write_bytes  (const char *path, const char *data, gsize len);
/* Keeps only the first @fraction of the file's bytes. */
void      sl_test_truncate     (const char *path, double fraction);
char     *sl_test_sha256_file  (const char *path);

/* A new project "site.sitelapse.gpkg" in @dir holding @n_scenes georeferenced 64 × 64 images
 * (UTM 36N, 0.5 m pixels, one origin) acquired at @dates (ISO 8601); their ids go to
 * @scene_ids, the project's path to @path (may be NULL). Aborts the test on failure. */
SlProject *sl_test_project_with_scenes (const char        *dir,
                                        guint              n_scenes,
                                        const char *const *dates,
                                        gint64            *scene_ids,
                                        char             **path);

/* SQL on a file through a connection of the test's own: the first column of the first row
 * as text (NULL when there is none), an integer (-1 when none), or statements run. */
char      *sl_test_sql_text    (const char *path, const char *sql);
gint64     sl_test_sql_int     (const char *path, const char *sql);
void       sl_test_sql_exec    (const char *path, const char *sql);

/* Runs a program; returns its exit status and fills @out/@err (may be NULL). */
int       sl_test_run          (char **out, char **err, const char *program, ...) G_GNUC_NULL_TERMINATED;
/* The X window id (decimal text) of the first window whose name matches @name, with xdotool,
 * waiting up to @timeout_s seconds. Retries when xdotool fails: on a display shared with
 * other tests, a window that vanishes while it walks the tree makes it exit with an X error. */
char     *sl_test_find_window  (const char *name, int timeout_s);
/* Path of sitelapse-cli from $SL_CLI. */
const char *sl_test_cli        (void);

G_END_DECLS
