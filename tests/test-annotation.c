/* test-annotation.c — the annotation value type: validity, geometry maths, GeoPackage blobs
 *
 * Blobs are checked against OGR (GDAL's own WKB reader), and hostile blobs (every truncation,
 * lying counts, NaN, foreign types) must give an error, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <ogr_api.h>
#include <gio/gio.h>

#include "sl-annotation.h"
#include "sl-core.h"
#include "sl-gpkg-geometry.h"

static const SlPoint box_pts[] = { { 10, 20 }, { 14, 20 }, { 14, 17 }, { 10, 17 } };
/* A 6 × 2 rectangle along the diagonal: long side first, then the width. */
static const SlPoint rot_pts[] = { { 0, 0 }, { 3, 3 }, { 2, 4 }, { -1, 1 } };
static const SlPoint tri_pts[] = { { 0, 0 }, { 4, 0 }, { 0, 3 } };
static const SlPoint line_pts[] = { { 0, 0 }, { 3, 4 }, { 3, 10 } };

static void
test_validity (void)
{
  static const SlPoint nan_pt[] = { { NAN, 1 } };
  static const SlPoint two[] = { { 0, 0 }, { 1, 1 } };
  static const SlPoint collinear[] = { { 0, 0 }, { 1, 1 }, { 2, 2 } };
  static const SlPoint skewed[] = { { 0, 0 }, { 4, 0 }, { 5, 3 }, { 1, 3 } };
  static const SlPoint same[] = { { 1, 1 }, { 1, 1 } };
  struct { SlShapeKind kind; const SlPoint *pts; guint n; gboolean valid; const char *msg; } cases[] = {
    { SL_SHAPE_POINT, box_pts, 1, TRUE, NULL },
    { SL_SHAPE_POINT, box_pts, 2, FALSE, "exactly 1 point" },
    { SL_SHAPE_POINT, nan_pt, 1, FALSE, "not a finite coordinate" },
    { SL_SHAPE_BOX, box_pts, 4, TRUE, NULL },
    { SL_SHAPE_BOX, box_pts, 3, FALSE, "exactly 4 corners" },
    { SL_SHAPE_BOX, rot_pts, 4, FALSE, "axis-aligned rectangle" },
    { SL_SHAPE_ROTATED_BOX, rot_pts, 4, TRUE, NULL },
    { SL_SHAPE_ROTATED_BOX, box_pts, 4, TRUE, NULL },
    { SL_SHAPE_ROTATED_BOX, skewed, 4, FALSE, "must form a rectangle" },
    { SL_SHAPE_POLYGON, tri_pts, 3, TRUE, NULL },
    { SL_SHAPE_POLYGON, two, 2, FALSE, "a polygon needs at least 3 points" },
    { SL_SHAPE_POLYGON, collinear, 3, FALSE, "has no area" },
    { SL_SHAPE_LINE, line_pts, 3, TRUE, NULL },
    { SL_SHAPE_LINE, line_pts, 1, FALSE, "at least 2 points" },
    { SL_SHAPE_LINE, same, 2, FALSE, "2 distinct points" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_new (cases[i].kind, cases[i].pts, cases[i].n);
      g_autoptr(GError) error = NULL;
      gboolean ok = sl_annotation_is_valid (a, &error);

      g_test_message ("case %u", i);
      g_assert_cmpint (ok, ==, cases[i].valid);
      if (!ok)
        g_assert_nonnull (strstr (error->message, cases[i].msg));
    }
}

static void
test_measures (void)
{
  g_autoptr(SlAnnotation) box = sl_annotation_new (SL_SHAPE_BOX, box_pts, 4);
  g_autoptr(SlAnnotation) rot = sl_annotation_new (SL_SHAPE_ROTATED_BOX, rot_pts, 4);
  g_autoptr(SlAnnotation) line = sl_annotation_new (SL_SHAPE_LINE, line_pts, 3);
  g_autoptr(SlAnnotation) pt = sl_annotation_new (SL_SHAPE_POINT, box_pts, 1);
  SlBounds b;

  sl_annotation_get_bounds (box, &b);
  g_assert_cmpfloat (b.min_x, ==, 10);
  g_assert_cmpfloat (b.max_x, ==, 14);
  g_assert_cmpfloat (b.min_y, ==, 17);
  g_assert_cmpfloat (b.max_y, ==, 20);
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (box), 12, 1e-12);
  g_assert_cmpfloat_with_epsilon (sl_annotation_length (box), 14, 1e-12);
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (rot), sqrt (18) * sqrt (2), 1e-9);
  g_assert_cmpfloat_with_epsilon (sl_annotation_length (line), 11, 1e-12);
  g_assert_cmpfloat (sl_annotation_area (line), ==, 0);
  g_assert_cmpfloat (sl_annotation_area (pt), ==, 0);

  /* Inside a closed shape: 0; outside: to the outline; a line: to its segments. */
  g_assert_cmpfloat (sl_annotation_distance (box, 12, 18), ==, 0);
  g_assert_cmpfloat_with_epsilon (sl_annotation_distance (box, 17, 18), 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (sl_annotation_distance (box, 17, 24), 5, 1e-12);
  g_assert_cmpfloat (sl_annotation_distance (rot, 1.5, 2), ==, 0);
  g_assert_cmpfloat (sl_annotation_distance (rot, 3, 0), >, 1);
  g_assert_cmpfloat_with_epsilon (sl_annotation_distance (line, 5, 7), 2, 1e-12);
  g_assert_cmpfloat_with_epsilon (sl_annotation_distance (pt, 13, 24), 5, 1e-12);

  sl_annotation_translate (box, -10, 3);
  sl_annotation_get_bounds (box, &b);
  g_assert_cmpfloat (b.min_x, ==, 0);
  g_assert_cmpfloat (b.max_y, ==, 23);

  /* A quarter turn keeps a box a box; any other angle makes it a rotated box, still valid. */
  sl_annotation_rotate (box, 2, 21.5, G_PI_2);
  g_assert_cmpint (box->kind, ==, SL_SHAPE_BOX);
  g_assert_true (sl_annotation_is_valid (box, NULL));
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (box), 12, 1e-9);
  sl_annotation_rotate (box, 2, 21.5, 0.3);
  g_assert_cmpint (box->kind, ==, SL_SHAPE_ROTATED_BOX);
  g_assert_true (sl_annotation_is_valid (box, NULL));
  g_assert_cmpfloat_with_epsilon (sl_annotation_area (box), 12, 1e-9);
}

static void
test_strings (void)
{
  SlShapeKind kind;
  SlConfidence c;

  for (int k = SL_SHAPE_POINT; k <= SL_SHAPE_LINE; k++)
    {
      g_assert_true (sl_shape_kind_from_string (sl_shape_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_cmpstr (sl_shape_kind_to_string (SL_SHAPE_ROTATED_BOX), ==, "rotated_box");
  g_assert_false (sl_shape_kind_from_string ("circle", &kind));
  g_assert_false (sl_shape_kind_from_string (NULL, &kind));

  g_assert_null (sl_confidence_to_string (SL_CONFIDENCE_NONE));
  g_assert_cmpstr (sl_confidence_to_string (SL_CONFIDENCE_HIGH), ==, "high");
  g_assert_true (sl_confidence_from_string ("medium", &c));
  g_assert_cmpint (c, ==, SL_CONFIDENCE_MEDIUM);
  g_assert_true (sl_confidence_from_string (NULL, &c));
  g_assert_cmpint (c, ==, SL_CONFIDENCE_NONE);
  g_assert_false (sl_confidence_from_string ("sure", &c));
}

static void
test_copy (void)
{
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POLYGON, tri_pts, 3);
  g_autoptr(SlAnnotation) b = NULL;

  a->note = g_strdup ("two barrels");
  a->object_uid = g_uuid_string_random ();
  b = sl_annotation_copy (a);
  g_assert_true (b->points != a->points);
  g_assert_cmpmem (b->points, sizeof (SlPoint) * 3, a->points, sizeof (SlPoint) * 3);
  g_assert_cmpstr (b->note, ==, "two barrels");
  g_assert_cmpstr (b->object_uid, ==, a->object_uid);
  g_assert_null (b->author);
  /* set_points with its own array must not read freed memory. */
  sl_annotation_set_points (b, b->points, 2);
  g_assert_cmpuint (b->n_points, ==, 2);
  g_assert_cmpfloat (b->points[1].x, ==, 4);
}

/* The blob is a GeoPackage blob with the right srs_id and envelope, and its WKB is what OGR
 * reads as the expected WKT; reading it back gives the same shape. */
static void
test_blob_matches_ogr (void)
{
  struct { SlShapeKind kind; const SlPoint *pts; guint n; const char *wkt; } cases[] = {
    { SL_SHAPE_POINT, box_pts, 1, "POINT (10 20)" },
    { SL_SHAPE_BOX, box_pts, 4, "POLYGON ((10 20,14 20,14 17,10 17,10 20))" },
    { SL_SHAPE_ROTATED_BOX, rot_pts, 4, "POLYGON ((0 0,3 3,2 4,-1 1,0 0))" },
    { SL_SHAPE_POLYGON, tri_pts, 3, "POLYGON ((0 0,4 0,0 3,0 0))" },
    { SL_SHAPE_LINE, line_pts, 3, "LINESTRING (0 0,3 4,3 10)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SlAnnotation) a = sl_annotation_new (cases[i].kind, cases[i].pts, cases[i].n);
      g_autoptr(SlAnnotation) back = sl_annotation_new (cases[i].kind, NULL, 0);
      g_autoptr(GBytes) blob = sl_annotation_to_gpkg_blob (a, 32636);
      g_autoptr(GError) error = NULL;
      gsize size, wkb_len;
      const guint8 *data = g_bytes_get_data (blob, &size), *wkb;
      gint32 srs;
      SlEnvelope env;
      gboolean empty;
      SlBounds b;
      OGRGeometryH geom = NULL;
      char *wkt = NULL;

      g_assert_true (sl_gpkg_blob_parse (data, size, &srs, &env, &empty, &wkb, &wkb_len));
      g_assert_cmpint (srs, ==, 32636);
      g_assert_false (empty);
      g_assert_cmpint (data[3] & 0x0e, ==, 0x02); /* [minx, maxx, miny, maxy] envelope */
      sl_annotation_get_bounds (a, &b);
      g_assert_cmpfloat (env.min_x, ==, b.min_x);
      g_assert_cmpfloat (env.max_y, ==, b.max_y);
      g_assert_cmpint (wkb[0], ==, 1); /* little-endian */

      g_assert_cmpint (OGR_G_CreateFromWkb (wkb, NULL, &geom, (int) wkb_len), ==, OGRERR_NONE);
      g_assert_cmpint (OGR_G_ExportToWkt (geom, &wkt), ==, OGRERR_NONE);
      g_assert_cmpstr (wkt, ==, cases[i].wkt);
      CPLFree (wkt);
      OGR_G_DestroyGeometry (geom);

      g_assert_true (sl_annotation_set_from_gpkg_blob (back, data, size, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back->kind, ==, cases[i].kind);
      g_assert_cmpuint (back->n_points, ==, cases[i].n);
      g_assert_cmpmem (back->points, sizeof (SlPoint) * back->n_points, a->points, sizeof (SlPoint) * a->n_points);
    }
}

/* Blobs GDAL writes (big-endian WKB, Z coordinates, no envelope) read too. */
static void
test_blob_from_ogr (void)
{
  const char *wkt = "POLYGON Z ((1 2 9,5 2 9,5 6 9,1 2 9))";
  char *p = (char *) wkt;
  OGRGeometryH geom = NULL;
  g_autofree guint8 *wkb = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_LINE, NULL, 0);
  g_autoptr(GError) error = NULL;
  gsize size;
  int len;

  g_assert_cmpint (OGR_G_CreateFromWkt (&p, NULL, &geom), ==, OGRERR_NONE);
  len = OGR_G_WkbSize (geom);
  wkb = g_malloc (len);
  g_assert_cmpint (OGR_G_ExportToIsoWkb (geom, wkbXDR, wkb), ==, OGRERR_NONE);
  OGR_G_DestroyGeometry (geom);
  blob = sl_gpkg_blob_from_wkb (0, wkb, len);
  g_assert_true (sl_annotation_set_from_gpkg_blob (a, g_bytes_get_data (blob, &size), g_bytes_get_size (blob), &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->kind, ==, SL_SHAPE_POLYGON);
  g_assert_cmpuint (a->n_points, ==, 3);
  g_assert_cmpfloat (a->points[2].x, ==, 5);
  g_assert_cmpfloat (a->points[2].y, ==, 6);
}

static void
expect_bad (const guint8 *data, gsize size, const char *what)
{
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, box_pts, 1);
  g_autoptr(GError) error = NULL;

  if (!g_str_has_prefix (what, "truncated"))
    g_test_message ("%s", what);
  g_assert_false (sl_annotation_set_from_gpkg_blob (a, data, size, &error));
  g_assert_nonnull (error);
  /* Unchanged on failure. */
  g_assert_cmpint (a->kind, ==, SL_SHAPE_POINT);
  g_assert_cmpuint (a->n_points, ==, 1);
}

static void
test_hostile_blobs (void)
{
  g_autoptr(SlAnnotation) poly = sl_annotation_new (SL_SHAPE_POLYGON, tri_pts, 3);
  g_autoptr(SlAnnotation) line = sl_annotation_new (SL_SHAPE_LINE, line_pts, 3);
  g_autoptr(GBytes) pblob = sl_annotation_to_gpkg_blob (poly, -1);
  g_autoptr(GBytes) lblob = sl_annotation_to_gpkg_blob (line, -1);
  gsize psize, lsize;
  const guint8 *pdata = g_bytes_get_data (pblob, &psize);
  const guint8 *ldata = g_bytes_get_data (lblob, &lsize);
  g_autofree guint8 *copy = NULL;
  const gsize header = 8 + 32;
  double nan_value = NAN;
  guint32 huge = GUINT32_TO_LE (0x7fffffff);
  guint32 two_rings = GUINT32_TO_LE (2);
  guint32 circle = GUINT32_TO_LE (8); /* CircularString */

  /* Every truncation of a valid blob. */
  for (gsize n = 0; n < psize; n++)
    {
      g_autofree guint8 *cut = g_memdup2 (pdata, n);
      expect_bad (cut, n, "truncated polygon");
    }
  for (gsize n = 0; n < lsize; n++)
    {
      g_autofree guint8 *cut = g_memdup2 (ldata, n);
      expect_bad (cut, n, "truncated line");
    }

  /* A point count far beyond the bytes. */
  copy = g_memdup2 (ldata, lsize);
  memcpy (copy + header + 5, &huge, 4);
  expect_bad (copy, lsize, "lying point count");
  g_clear_pointer (&copy, g_free);

  /* NaN coordinate. */
  copy = g_memdup2 (ldata, lsize);
  memcpy (copy + header + 9 + 16, &nan_value, 8);
  expect_bad (copy, lsize, "NaN coordinate");
  g_clear_pointer (&copy, g_free);

  /* Two rings where the bytes hold one; an unsupported type; trailing garbage; not GP. */
  copy = g_memdup2 (pdata, psize);
  memcpy (copy + header + 5, &two_rings, 4);
  expect_bad (copy, psize, "two rings");
  memcpy (copy, pdata, psize);
  memcpy (copy + header + 1, &circle, 4);
  expect_bad (copy, psize, "circular string");
  copy[0] = 'X';
  expect_bad (copy, psize, "bad magic");
  g_clear_pointer (&copy, g_free);

  copy = g_malloc (lsize + 3);
  memcpy (copy, ldata, lsize);
  memset (copy + lsize, 0xab, 3);
  expect_bad (copy, lsize + 3, "trailing bytes");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/annotation/validity", test_validity);
  g_test_add_func ("/annotation/measures", test_measures);
  g_test_add_func ("/annotation/strings", test_strings);
  g_test_add_func ("/annotation/copy", test_copy);
  g_test_add_func ("/annotation/blob-matches-ogr", test_blob_matches_ogr);
  g_test_add_func ("/annotation/blob-from-ogr", test_blob_from_ogr);
  g_test_add_func ("/annotation/hostile-blobs", test_hostile_blobs);
  return g_test_run ();
}
