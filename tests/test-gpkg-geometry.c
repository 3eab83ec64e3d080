/* test-gpkg-geometry.c — GeoPackage blobs and WKB envelopes, checked against OGR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <ogr_api.h>
#include <cpl_conv.h>

#include "sl-core.h"
#include "sl-gpkg-geometry.h"

static guint8 *
wkb_from_wkt (const char *wkt, gsize *len, OGRwkbByteOrder order, OGREnvelope *env)
{
  OGRGeometryH geom = NULL;
  char *p = (char *) wkt;
  guint8 *wkb;

  g_assert_cmpint (OGR_G_CreateFromWkt (&p, NULL, &geom), ==, OGRERR_NONE);
  *len = OGR_G_WkbSize (geom);
  wkb = g_malloc (*len);
  g_assert_cmpint (OGR_G_ExportToIsoWkb (geom, order, wkb), ==, OGRERR_NONE);
  if (env)
    OGR_G_GetEnvelope (geom, env);
  OGR_G_DestroyGeometry (geom);
  return wkb;
}

static void
test_envelope_matches_ogr (void)
{
  const char *const wkts[] = {
    "POINT (3 4)",
    "LINESTRING (0 0, 10 -5, 3 7)",
    "POLYGON ((500000 6000000, 500010 6000000, 500010 6000020, 500000 6000000))",
    "POLYGON Z ((1 2 3, 4 5 6, 7 -8 9, 1 2 3))",
    "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((10 10, 12 10, 12 14, 10 10)))",
    "GEOMETRYCOLLECTION (POINT (-5 -5), LINESTRING M (1 1 0, 2 9 1))",
    "MULTIPOINT ZM ((1 2 3 4), (-1 -2 -3 -4))",
  };

  for (guint i = 0; i < G_N_ELEMENTS (wkts); i++)
    for (int order = 0; order < 2; order++)
      {
        OGREnvelope expected;
        gsize len;
        g_autofree guint8 *wkb = wkb_from_wkt (wkts[i], &len, order ? wkbNDR : wkbXDR, &expected);
        SlEnvelope env;
        gboolean empty = TRUE;

        g_assert_true (sl_wkb_envelope (wkb, len, &env, &empty));
        g_assert_false (empty);
        g_assert_cmpfloat (env.min_x, ==, expected.MinX);
        g_assert_cmpfloat (env.max_x, ==, expected.MaxX);
        g_assert_cmpfloat (env.min_y, ==, expected.MinY);
        g_assert_cmpfloat (env.max_y, ==, expected.MaxY);
      }
}

static void
test_blob_roundtrip (void)
{
  gsize len;
  g_autofree guint8 *wkb = wkb_from_wkt ("POLYGON ((1 2, 5 2, 5 9, 1 2))", &len, wkbNDR, NULL);
  g_autoptr(GBytes) blob = sl_gpkg_blob_from_wkb (32636, wkb, len);
  const guint8 *data, *inner;
  gsize size, inner_len;
  gint32 srs;
  SlEnvelope env;
  gboolean empty;

  g_assert_nonnull (blob);
  data = g_bytes_get_data (blob, &size);
  g_assert_cmpuint (size, ==, 8 + 32 + len);
  g_assert_cmpint (data[0], ==, 'G');
  g_assert_cmpint (data[1], ==, 'P');
  g_assert_true (sl_gpkg_blob_parse (data, size, &srs, &env, &empty, &inner, &inner_len));
  g_assert_cmpint (srs, ==, 32636);
  g_assert_false (empty);
  g_assert_cmpfloat (env.min_x, ==, 1);
  g_assert_cmpfloat (env.max_y, ==, 9);
  g_assert_cmpmem (inner, inner_len, wkb, len);

  /* OGR reads our blob as the same geometry. */
  {
    OGRGeometryH geom = NULL;
    char *wkt = NULL;

    g_assert_cmpint (OGR_G_CreateFromWkb (inner, NULL, &geom, (int) inner_len), ==, OGRERR_NONE);
    OGR_G_ExportToWkt (geom, &wkt);
    g_assert_cmpstr (wkt, ==, "POLYGON ((1 2,5 2,5 9,1 2))");
    CPLFree (wkt);
    OGR_G_DestroyGeometry (geom);
  }
}

static void
test_empty_geometries (void)
{
  gsize len;
  g_autofree guint8 *wkb = wkb_from_wkt ("POLYGON EMPTY", &len, wkbNDR, NULL);
  g_autoptr(GBytes) blob = sl_gpkg_blob_from_wkb (-1, wkb, len);
  gboolean empty = FALSE;
  gsize size;
  const guint8 *data = g_bytes_get_data (blob, &size);

  g_assert_true (sl_gpkg_blob_parse (data, size, NULL, NULL, &empty, NULL, NULL));
  g_assert_true (empty);
  g_assert_cmpint (data[3] & 0x10, ==, 0x10);
}

static void
test_hostile_input (void)
{
  gsize len;
  g_autofree guint8 *wkb = wkb_from_wkt ("LINESTRING (0 0, 1 1, 2 2)", &len, wkbNDR, NULL);
  guint8 huge[9] = { 1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f };   /* a line claiming 2^31 points */
  g_autoptr(GByteArray) nested = g_byte_array_new ();
  SlEnvelope env;
  gboolean empty;

  /* Every truncation of valid WKB is rejected, never read past its end. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autofree guint8 *copy = g_memdup2 (wkb, cut ? cut : 1);
      g_assert_false (sl_wkb_envelope (copy, cut, &env, &empty));
    }
  g_assert_false (sl_wkb_envelope (huge, sizeof huge, &env, &empty));

  /* Collections nested 100 deep: refused instead of recursing without bound. */
  for (int i = 0; i < 100; i++)
    {
      guint8 head[9] = { 1, 7, 0, 0, 0, 1, 0, 0, 0 };
      g_byte_array_append (nested, head, sizeof head);
    }
  g_byte_array_append (nested, wkb, len);
  g_assert_false (sl_wkb_envelope (nested->data, nested->len, &env, &empty));

  /* Not a GeoPackage blob. */
  g_assert_false (sl_gpkg_blob_parse ((const guint8 *) "GX\0\0\0\0\0\0", 8, NULL, NULL, NULL, NULL, NULL));
  g_assert_false (sl_gpkg_blob_parse (wkb, len, NULL, NULL, NULL, NULL, NULL));
  g_assert_null (sl_gpkg_blob_from_wkb (0, huge, sizeof huge));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/gpkg-geometry/envelope-matches-ogr", test_envelope_matches_ogr);
  g_test_add_func ("/gpkg-geometry/blob-roundtrip", test_blob_roundtrip);
  g_test_add_func ("/gpkg-geometry/empty", test_empty_geometries);
  g_test_add_func ("/gpkg-geometry/hostile-input", test_hostile_input);
  return g_test_run ();
}
