/* test-project-registration.c — a press image registered on a dated scene: its placement, its
 * tie points, its annotations, and what happens when a registration cannot be applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <sqlite3.h>

#include "sl-annotation-store.h"
#include "sl-core.h"
#include "sl-project.h"
#include "sl-raster-source.h"
#include "sl-render-params.h"
#include "sl-test-util.h"

typedef struct
{
  char              *dir;
  char              *path;
  SlProject         *project;
  SlAnnotationStore *store;
  gint64             reference;   /* georeferenced, UTM 36N, 0.5 m pixels */
  gint64             press;       /* a PNG with no georeference */
} Fixture;

static gint64
add_scene (Fixture *f, const char *name, const char *crs, const char *date)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, name, NULL);
  SlTestImage spec = { .width = 96, .height = 64, .bands = 3, .crs = crs,
                       .origin_x = 500000, .origin_y = 6050000, .pixel_size = 0.5, .seed = g_str_hash (name) };
  g_autoptr(SlScene) probe = NULL, stored = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date (date);

  if (crs == NULL)
    spec.driver = "PNG";
  sl_test_write_image (file, &spec);
  probe = sl_scene_probe (file, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  return sl_scene_get_id (stored);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  sl_core_init ();
  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "site.sitelapse.gpkg", NULL);
  f->project = sl_project_create (f->path, "Site", &error);
  g_assert_no_error (error);
  f->reference = add_scene (f, "dated.tif", "EPSG:32636", "2022-02-20T09:00:00Z");
  f->press = add_scene (f, "press.png", NULL, "2022-03-01T00:00:00Z");
  f->store = sl_annotation_store_new (f->project);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  if (f->project)
    sl_project_close (f->project);
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

/* Image pixels → reference pixels: scale 0.5, rotated by 10°, shifted; exact points. */
static SlRegistration *
similarity (double angle_deg, GError **error)
{
  double th = angle_deg * G_PI / 180, c = 0.5 * cos (th), s = 0.5 * sin (th);
  SlTiePoint points[4];
  const double image[4][2] = { { 0, 0 }, { 90, 0 }, { 90, 60 }, { 0, 60 } };

  for (int i = 0; i < 4; i++)
    points[i] = (SlTiePoint) { image[i][0], image[i][1], 20 + c * image[i][0] - s * image[i][1],
                               10 + s * image[i][0] + c * image[i][1], TRUE };
  return sl_registration_solve (SL_TRANSFORM_SIMILARITY, points, 4, 96, 64, error);
}

static SlScene *
scene (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  SlScene *s = sl_project_get_scene (f->project, id, &error);

  g_assert_no_error (error);
  return s;
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_register (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = similarity (10, &error);
  g_autoptr(SlRegistration) back = NULL;
  g_autoptr(SlScene) before = scene (f, f->press), after = NULL, ref = scene (f, f->reference);
  g_autoptr(SlAnnotation) a = NULL, moved = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  double old_t[6], new_t[6], ref_t[6], rx, ry, x, y;
  SlPoint p;
  gint64 reference_id = 0;

  g_assert_no_error (error);
  g_assert_false (sl_scene_is_registered (before));
  g_assert_true (sl_scene_get_pixel_to_site (before, old_t));
  g_assert_true (sl_scene_get_pixel_to_site (ref, ref_t));

  /* A vehicle tagged on the press image at its pixel (30.5, 12.5). */
  p.x = old_t[0] + old_t[1] * 30.5 + old_t[2] * 12.5;
  p.y = old_t[3] + old_t[4] * 30.5 + old_t[5] * 12.5;
  a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);
  a->scene_id = f->press;
  a->class_id = 1;
  g_assert_true (sl_annotation_store_add (f->store, a, &error));
  g_assert_no_error (error);

  g_assert_true (sl_project_register_scene (f->project, f->press, f->reference, reg, &error));
  g_assert_no_error (error);

  /* Placed through the reference: a press pixel lands where the reference's pixel is. */
  after = scene (f, f->press);
  g_assert_true (sl_scene_is_registered (after));
  g_assert_cmpint (sl_scene_get_georef (after), ==, SL_GEOREF_GEOTRANSFORM);
  g_assert_cmpuint (sl_scene_get_render_generation (after), >, sl_scene_get_render_generation (before));
  g_assert_true (sl_scene_get_pixel_to_site (after, new_t));
  g_assert_true (sl_registration_forward (reg, 30.5, 12.5, &rx, &ry));
  x = new_t[0] + new_t[1] * 30.5 + new_t[2] * 12.5;
  y = new_t[3] + new_t[4] * 30.5 + new_t[5] * 12.5;
  g_assert_cmpfloat (fabs (x - (ref_t[0] + ref_t[1] * rx + ref_t[2] * ry)), <, 1e-6);
  g_assert_cmpfloat (fabs (y - (ref_t[3] + ref_t[4] * rx + ref_t[5] * ry)), <, 1e-6);

  /* The annotation stayed on its pixel of the image, so it moved on the ground. */
  moved = sl_annotation_store_get (f->store, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (moved->points[0].x - x), <, 1e-6);
  g_assert_cmpfloat (fabs (moved->points[0].y - y), <, 1e-6);

  /* Points and registration stored; the file still passes every check. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sl_tie_points"), ==, 4);
  back = sl_project_dup_registration (f->project, f->press, &reference_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (reference_id, ==, f->reference);
  g_assert_cmpint (sl_registration_get_kind (back), ==, SL_TRANSFORM_SIMILARITY);
  g_assert_true (sl_project_validate (f->project, problems));

  /* Registered again (another angle): points replaced, the vehicle follows again. */
  g_clear_object (&reg);
  reg = similarity (-5, &error);
  g_assert_true (sl_project_register_scene (f->project, f->press, f->reference, reg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sl_tie_points"), ==, 4);
  g_clear_pointer (&moved, sl_annotation_free);
  moved = sl_annotation_store_get (f->store, a->id, &error);
  g_assert_true (sl_registration_forward (reg, 30.5, 12.5, &rx, &ry));
  g_assert_cmpfloat (fabs (moved->points[0].x - (ref_t[0] + ref_t[1] * rx + ref_t[2] * ry)), <, 1e-6);
  g_assert_cmpfloat (fabs (moved->points[0].y - (ref_t[3] + ref_t[4] * rx + ref_t[5] * ry)), <, 1e-6);
}

/* Image pixels → reference pixels by a homography (an oblique press photo). */
static void
homography (const double h[9], double x, double y, double *rx, double *ry)
{
  double w = h[6] * x + h[7] * y + h[8];

  *rx = (h[0] * x + h[1] * y + h[2]) / w;
  *ry = (h[3] * x + h[4] * y + h[5]) / w;
}

static const double H[9] = { 0.45, 0.05, 12, -0.03, 0.5, 8, 0.0008, 0.0004, 1 };

static SlRegistration *
projective (GError **error)
{
  SlTiePoint points[9];
  guint n = 0;

  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++, n++)
      {
        points[n].image_x = 5 + 40 * i;
        points[n].image_y = 4 + 28 * j;
        homography (H, points[n].image_x, points[n].image_y, &points[n].ref_x, &points[n].ref_y);
        points[n].enabled = TRUE;
      }
  return sl_registration_solve (SL_TRANSFORM_PROJECTIVE, points, n, 96, 64, error);
}

/* A projective registration places the scene through the homography: its footprint, its
 * annotations and its pixels follow it, drawn by warping. */
static void
test_projective (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = projective (&error);
  g_autoptr(SlScene) ref = scene (f, f->reference), after = NULL;
  g_autoptr(SlAnnotation) a = NULL, moved = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SlRasterSource) source = NULL;
  g_autoptr(SlSiteGrid) grid = NULL;
  g_autoptr(SlRenderParams) params = NULL;
  g_autofree char *path = NULL, *wkt = NULL;
  g_autofree guint8 *argb = g_malloc (SL_TILE_BYTES);
  double ref_t[6], old_t[6], t[6], rx, ry, x, y, tx, ty;
  SlBounds footprint;
  SlTileContent content;
  SlPoint p;
  int z;

  g_assert_no_error (error);
  g_assert_true (sl_scene_get_pixel_to_site (ref, ref_t));
  {
    g_autoptr(SlScene) before = scene (f, f->press);

    g_assert_true (sl_scene_get_pixel_to_site (before, old_t));
  }
  p.x = old_t[0] + old_t[1] * 70.5 + old_t[2] * 40.5;
  p.y = old_t[3] + old_t[4] * 70.5 + old_t[5] * 40.5;
  a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);
  a->scene_id = f->press;
  a->class_id = 1;
  g_assert_true (sl_annotation_store_add (f->store, a, &error));

  g_assert_true (sl_project_register_scene (f->project, f->press, f->reference, reg, &error));
  g_assert_no_error (error);
  after = scene (f, f->press);
  g_assert_true (sl_scene_is_registered (after));
  g_assert_false (sl_scene_get_pixel_to_site (after, t));
  wkt = sl_project_dup_crs_wkt (f->project);

  /* The vehicle stayed on its pixel: site = reference placement ∘ homography. */
  homography (H, 70.5, 40.5, &rx, &ry);
  x = ref_t[0] + ref_t[1] * rx + ref_t[2] * ry;
  y = ref_t[3] + ref_t[4] * rx + ref_t[5] * ry;
  moved = sl_annotation_store_get (f->store, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (moved->points[0].x - x), <, 1e-6);
  g_assert_cmpfloat (fabs (moved->points[0].y - y), <, 1e-6);

  /* The footprint is the bounds of the warped corners (a homography keeps edges straight). */
  g_assert_true (sl_scene_measure (after, wkt, &footprint, NULL));
  {
    const double corners[4][2] = { { 0, 0 }, { 96, 0 }, { 96, 64 }, { 0, 64 } };
    SlBounds b = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

    for (int i = 0; i < 4; i++)
      {
        homography (H, corners[i][0], corners[i][1], &rx, &ry);
        x = ref_t[0] + ref_t[1] * rx + ref_t[2] * ry;
        y = ref_t[3] + ref_t[4] * rx + ref_t[5] * ry;
        b.min_x = MIN (b.min_x, x), b.max_x = MAX (b.max_x, x);
        b.min_y = MIN (b.min_y, y), b.max_y = MAX (b.max_y, y);
      }
    g_assert_cmpfloat (fabs (footprint.min_x - b.min_x), <, 1e-6);
    g_assert_cmpfloat (fabs (footprint.max_x - b.max_x), <, 1e-6);
    g_assert_cmpfloat (fabs (footprint.min_y - b.min_y), <, 1e-6);
    g_assert_cmpfloat (fabs (footprint.max_y - b.max_y), <, 1e-6);
  }
  g_assert_true (sl_project_validate (f->project, problems));

  /* Its pixels are drawn there: the tile under the middle of the image has content. */
  grid = sl_project_dup_site_grid (f->project);
  path = sl_project_resolve_source (f->project, after);
  source = sl_raster_source_open (path, after, grid, &error);
  g_assert_no_error (error);
  params = sl_render_params_copy (sl_scene_get_render_params (after));
  z = sl_raster_source_get_native_zoom (source);
  homography (H, 48, 32, &rx, &ry);
  sl_site_grid_site_to_pixel (grid, z, ref_t[0] + ref_t[1] * rx + ref_t[2] * ry,
                              ref_t[3] + ref_t[4] * rx + ref_t[5] * ry, &tx, &ty);
  g_assert_true (sl_raster_source_render_tile (source, params, z, (int) (tx / SL_TILE_SIZE), (int) (ty / SL_TILE_SIZE),
                                               argb, &content, &error));
  g_assert_no_error (error);
  g_assert_cmpint (content, !=, SL_TILE_CONTENT_EMPTY);
}

/* What cannot be applied says why, and the previous registration stays. */
static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = similarity (3, &error);
  g_autoptr(SlRegistration) warp = projective (&error);
  g_autoptr(SlScene) kept = NULL, again = NULL;
  gint64 other = add_scene (f, "other.png", NULL, "2022-03-05T00:00:00Z");
  double before_t[6], after_t[6];

  g_assert_true (sl_project_register_scene (f->project, f->press, f->reference, reg, &error));
  g_assert_no_error (error);
  kept = scene (f, f->press);
  g_assert_true (sl_scene_get_pixel_to_site (kept, before_t));

  /* A projective transform onto a scene placed only by its pixels. */
  g_assert_false (sl_project_register_scene (f->project, f->press, other, warp, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_REGISTRATION);
  g_assert_nonnull (strstr (error->message, "projective"));
  g_assert_nonnull (strstr (error->message, "georeferenced reference"));
  g_clear_error (&error);

  g_assert_false (sl_project_register_scene (f->project, f->press, f->press, reg, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_REGISTRATION);
  g_clear_error (&error);

  again = scene (f, f->press);
  g_assert_true (sl_scene_get_pixel_to_site (again, after_t));
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat (before_t[i], ==, after_t[i]);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sl_tie_points"), ==, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/project-registration/register", test_register);
  ADD ("/project-registration/projective", test_projective);
  ADD ("/project-registration/refused", test_refused);
  return g_test_run ();
}
