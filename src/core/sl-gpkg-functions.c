/* sl-gpkg-functions.c — the SQL functions GeoPackage triggers call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-gpkg-functions"

#include "config.h"

#include <glib.h>

#include "sl-gpkg-functions.h"
#include "sl-gpkg-geometry.h"

enum { MIN_X, MAX_X, MIN_Y, MAX_Y };

static gboolean
parse_arg (sqlite3_value *value, gint32 *srs_id, SlEnvelope *env, gboolean *empty)
{
  if (sqlite3_value_type (value) != SQLITE_BLOB)
    return FALSE;
  return sl_gpkg_blob_parse (sqlite3_value_blob (value), sqlite3_value_bytes (value),
                             srs_id, env, empty, NULL, NULL);
}

static void
st_bound (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  SlEnvelope env;
  gboolean empty;

  /* NULL for NULL, malformed or empty geometries, as the spec's triggers expect. */
  if (!parse_arg (argv[0], NULL, &env, &empty) || empty)
    {
      sqlite3_result_null (ctx);
      return;
    }
  switch (GPOINTER_TO_INT (sqlite3_user_data (ctx)))
    {
    case MIN_X: sqlite3_result_double (ctx, env.min_x); break;
    case MAX_X: sqlite3_result_double (ctx, env.max_x); break;
    case MIN_Y: sqlite3_result_double (ctx, env.min_y); break;
    case MAX_Y: sqlite3_result_double (ctx, env.max_y); break;
    default: g_assert_not_reached ();
    }
}

static void
st_is_empty (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  gboolean empty;

  if (!parse_arg (argv[0], NULL, NULL, &empty))
    sqlite3_result_null (ctx);
  else
    sqlite3_result_int (ctx, empty ? 1 : 0);
}

static void
st_srid (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  gint32 srs_id;

  if (!parse_arg (argv[0], &srs_id, NULL, NULL))
    sqlite3_result_null (ctx);
  else
    sqlite3_result_int (ctx, srs_id);
}

/* GPKG_IsAssignable(expected, actual): can a geometry of type @actual be stored in a
 * column declared @expected (GeoPackage Annex G / geometry type triggers)? */
static void
gpkg_is_assignable (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  const char *expected = (const char *) sqlite3_value_text (argv[0]);
  const char *actual = (const char *) sqlite3_value_text (argv[1]);
  gboolean ok;

  if (expected == NULL || actual == NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  ok = g_ascii_strcasecmp (expected, actual) == 0 ||
       g_ascii_strcasecmp (expected, "GEOMETRY") == 0 ||
       (g_ascii_strcasecmp (expected, "GEOMETRYCOLLECTION") == 0 &&
        g_str_has_prefix (actual, "MULTI"));
  sqlite3_result_int (ctx, ok ? 1 : 0);
}

int
sl_gpkg_register_functions (sqlite3 *db)
{
  static const struct { const char *name; int which; } bounds[] = {
    { "ST_MinX", MIN_X }, { "ST_MaxX", MAX_X }, { "ST_MinY", MIN_Y }, { "ST_MaxY", MAX_Y },
  };
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc;

  g_return_val_if_fail (db != NULL, SQLITE_MISUSE);

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      rc = sqlite3_create_function (db, bounds[i].name, 1, flags,
                                    GINT_TO_POINTER (bounds[i].which), st_bound, NULL, NULL);
      if (rc != SQLITE_OK)
        return rc;
    }
  rc = sqlite3_create_function (db, "ST_IsEmpty", 1, flags, NULL, st_is_empty, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (db, "ST_SRID", 1, flags, NULL, st_srid, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (db, "GPKG_IsAssignable", 2, flags, NULL,
                                  gpkg_is_assignable, NULL, NULL);
  return rc;
}
