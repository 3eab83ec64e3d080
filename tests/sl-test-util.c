/* sl-test-util.c — fixtures for the tests: real files written with GDAL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <sys/wait.h>
#include <string.h>

#include <gdal.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "sl-core.h"
#include "sl-test-util.h"

char *
sl_test_tmpdir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sitelapse-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) en = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                             G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (en)
    {
      GFileInfo *info;
      while ((info = g_file_enumerator_next_file (en, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
sl_test_tmpdir_free (char *dir)
{
  g_autoptr(GFile) file = NULL;

  if (dir == NULL)
    return;
  file = g_file_new_for_path (dir);
  remove_tree (file);
  g_free (dir);
}

void
sl_test_write_image (const char *path, const SlTestImage *spec)
{
  const char *driver_name = spec->driver ? spec->driver : "GTiff";
  GDALDataType type = GDALGetDataTypeByName (spec->data_type ? spec->data_type : "Byte");
  int bands = spec->bands > 0 ? spec->bands : 1;
  GDALDriverH mem = NULL, out = NULL;
  GDALDatasetH ds, copy;
  guint32 state = spec->seed * 2654435761u + 12345;
  int type_size = GDALGetDataTypeSizeBytes (type);
  g_autofree guint8 *row = g_malloc ((gsize) spec->width * type_size * 2 + 16);

  sl_core_init ();
  mem = GDALGetDriverByName ("MEM");
  out = GDALGetDriverByName (driver_name);
  g_assert_nonnull (mem);
  g_assert_nonnull (out);

  ds = GDALCreate (mem, "", spec->width, spec->height, bands, type, NULL);
  g_assert_nonnull (ds);

  for (int b = 1; b <= bands; b++)
    {
      GDALRasterBandH band = GDALGetRasterBand (ds, b);

      for (int y = 0; y < spec->height; y++)
        {
          for (int x = 0; x < spec->width; x++)
            {
              double v;

              state = state * 1664525u + 1013904223u;
              v = ((x * 3 + y * 5 + b * 40) & 0xff) ^ (state >> 28);
              if (type == GDT_UInt16)
                v *= 16;
              if (spec->with_nodata && x < spec->width / 8)
                v = spec->nodata;
              GDALCopyWords (&v, GDT_Float64, 0, row + (gsize) x * type_size, type, 0, 1);
            }
          g_assert_cmpint (GDALRasterIO (band, GF_Write, 0, y, spec->width, 1, row, spec->width, 1,
                                         type, 0, 0), ==, CE_None);
        }
      if (spec->with_nodata)
        GDALSetRasterNoDataValue (band, spec->nodata);
    }

  if (spec->palette)
    {
      GDALColorTableH ct = GDALCreateColorTable (GPI_RGB);
      for (int i = 0; i < 256; i++)
        {
          GDALColorEntry e = { (short) i, (short) (255 - i), (short) ((i * 7) & 0xff), 255 };
          GDALSetColorEntry (ct, i, &e);
        }
      GDALSetRasterColorTable (GDALGetRasterBand (ds, 1), ct);
      GDALSetRasterColorInterpretation (GDALGetRasterBand (ds, 1), GCI_PaletteIndex);
      GDALDestroyColorTable (ct);
    }

  if (spec->crs)
    {
      OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
      char *wkt = NULL;

      g_assert_cmpint (OSRSetFromUserInput (srs, spec->crs), ==, OGRERR_NONE);
      OSRExportToWkt (srs, &wkt);
      if (spec->gcps > 0)
        {
          GDAL_GCP *gcps = g_new0 (GDAL_GCP, spec->gcps);
          GDALInitGCPs (spec->gcps, gcps);
          for (int i = 0; i < spec->gcps; i++)
            {
              gcps[i].dfGCPPixel = (i % 2) * spec->width;
              gcps[i].dfGCPLine = (i / 2 % 2) * spec->height;
              gcps[i].dfGCPX = spec->origin_x + gcps[i].dfGCPPixel * spec->pixel_size;
              gcps[i].dfGCPY = spec->origin_y - gcps[i].dfGCPLine * spec->pixel_size;
            }
          GDALSetGCPs (ds, spec->gcps, gcps, wkt);
          GDALDeinitGCPs (spec->gcps, gcps);
          g_free (gcps);
        }
      else
        {
          double gt[6] = { spec->origin_x, spec->pixel_size, 0, spec->origin_y, 0, -spec->pixel_size };
          GDALSetGeoTransform (ds, gt);
          GDALSetProjection (ds, wkt);
        }
      CPLFree (wkt);
      OSRDestroySpatialReference (srs);
    }

  if (spec->datetime)
    GDALSetMetadataItem (ds, "TIFFTAG_DATETIME", spec->datetime, NULL);

  {
    char **options = NULL;
    if (g_str_equal (driver_name, "GTiff"))
      options = CSLSetNameValue (options, "TILED", "YES");
    CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", "NO");
    copy = GDALCreateCopy (out, path, ds, FALSE, options, NULL, NULL);
    CPLSetThreadLocalConfigOption ("GDAL_PAM_ENABLED", NULL);
    CSLDestroy (options);
  }
  g_assert_nonnull (copy);
  GDALClose (copy);
  GDALClose (ds);
}

void
sl_test_write_bytes (const char *path, const char *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

void
sl_test_truncate (const char *path, double fraction)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  sl_test_write_bytes (path, data, (gsize) (len * fraction));
}

char *
sl_test_sha256_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

int
sl_test_run (char **out, char **err, const char *program, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) program);
  va_start (ap, program);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  /* A child's stdout must never reach ours: the test speaks TAP on it. */
  g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL | (out ? 0 : G_SPAWN_STDOUT_TO_DEV_NULL),
                NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

const char *
sl_test_cli (void)
{
  const char *cli = g_getenv ("SL_CLI");

  g_assert_nonnull (cli);
  return cli;
}

char *
sl_test_find_window (const char *name,
                     int         timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *out = NULL;

      if (sl_test_run (&out, NULL, "timeout", "5", "xdotool", "search", "--sync", "--name", name, NULL) == 0 &&
          out != NULL && *g_strstrip (out) != '\0')
        {
          char *newline = strchr (out, '\n');

          if (newline != NULL)
            *newline = '\0';
          return g_steal_pointer (&out);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("No window named ‘%s’ appeared within %d s", name, timeout_s);
      g_usleep (200 * 1000);
    }
}

SlProject *
sl_test_project_with_scenes (const char        *dir,
                             guint              n_scenes,
                             const char *const *dates,
                             gint64            *scene_ids,
                             char             **path)
{
  g_autofree char *file = g_build_filename (dir, "site.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (file, "Range", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_scenes; i++)
    {
      g_autofree char *name = g_strdup_printf ("scene%u.tif", i);
      g_autofree char *tif = g_build_filename (dir, name, NULL);
      SlTestImage spec = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636",
                           .origin_x = 500000, .origin_y = 6000032, .pixel_size = 0.5, .seed = i + 1 };
      g_autoptr(SlScene) probe = NULL;
      g_autoptr(SlScene) stored = NULL;
      g_autoptr(GDateTime) when = sl_scene_parse_date (dates[i]);

      sl_test_write_image (tif, &spec);
      probe = sl_scene_probe (tif, &error);
      g_assert_no_error (error);
      sl_scene_set_acquired (probe, when);
      stored = sl_project_add_scene (project, probe, &error);
      g_assert_no_error (error);
      scene_ids[i] = sl_scene_get_id (stored);
    }
  if (path != NULL)
    *path = g_steal_pointer (&file);
  return g_steal_pointer (&project);
}

char *
sl_test_sql_text (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

gint64
sl_test_sql_int (const char *path, const char *sql)
{
  g_autofree char *text = sl_test_sql_text (path, sql);

  return text ? g_ascii_strtoll (text, NULL, 10) : -1;
}

void
sl_test_sql_exec (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}
