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
                       .origin_x = 500000, .origin_y = 6050000, .pixel_size = 0.5, .seed = 7 };
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

/* What cannot be applied says why, and the previous registration stays. */
static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) reg = similarity (3, &error);
  g_autoptr(SlRegistration) projective = NULL;
  g_autoptr(SlScene) kept = NULL, again = NULL;
  SlTiePoint points[5] = {
    { 0, 0, 10, 10, TRUE }, { 90, 0, 60, 12, TRUE }, { 90, 60, 58, 45, TRUE }, { 0, 60, 12, 40, TRUE },
    { 45, 30, 35, 26, TRUE },
  };
  double before_t[6], after_t[6];

  g_assert_true (sl_project_register_scene (f->project, f->press, f->reference, reg, &error));
  g_assert_no_error (error);
  kept = scene (f, f->press);
  g_assert_true (sl_scene_get_pixel_to_site (kept, before_t));

  projective = sl_registration_solve (SL_TRANSFORM_PROJECTIVE, points, 5, 96, 64, &error);
  g_assert_no_error (error);
  g_assert_false (sl_project_register_scene (f->project, f->press, f->reference, projective, &error));
  g_assert_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_REGISTRATION);
  g_assert_nonnull (strstr (error->message, "projective"));
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
  ADD ("/project-registration/refused", test_refused);
  return g_test_run ();
}
