/* test-class-set.c — a project's object classes: add, rename, recolour, merge, remove
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"

typedef struct
{
  char              *dir;
  char              *path;
  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  gint64             scene;
  guint              changes;
} Fixture;

static void
on_changed (SlClassSet *set, gpointer user_data)
{
  ((Fixture *) user_data)->changes++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tif = NULL;
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GDateTime) when = sl_scene_parse_date ("2022-03-01T09:00:00Z");
  SlTestImage spec = { .width = 32, .height = 32, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = 500000, .origin_y = 6000016, .pixel_size = 0.5, .seed = 3 };

  f->dir = sl_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "classes.sitelapse", NULL);
  f->project = sl_project_create (f->path, NULL, &error);
  g_assert_no_error (error);
  tif = g_build_filename (f->dir, "scene.tif", NULL);
  sl_test_write_image (tif, &spec);
  probe = sl_scene_probe (tif, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (f->project, probe, &error);
  g_assert_no_error (error);
  f->scene = sl_scene_get_id (stored);
  f->store = sl_annotation_store_new (f->project);
  f->classes = sl_class_set_new (f->project);
  g_signal_connect (f->classes, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->classes);
  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

static gint64
tag (Fixture *f, gint64 class_id, double x)
{
  SlPoint p = { 500000 + x, 6000010 };
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);
  g_autoptr(GError) error = NULL;

  a->scene_id = f->scene;
  a->class_id = class_id;
  g_assert_true (sl_annotation_store_add (f->store, a, &error));
  g_assert_no_error (error);
  return a->id;
}

static gint64
class_of (Fixture *f, gint64 annotation)
{
  g_autoptr(SlAnnotation) a = sl_annotation_store_get (f->store, annotation, NULL);

  return a ? a->class_id : 0;
}

static void
test_seeded (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = sl_class_set_list (f->classes, &error);
  SlClass *tank, *last;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 12);
  tank = list->pdata[0];
  last = list->pdata[11];
  g_assert_cmpstr (tank->key, ==, "tank");
  g_assert_cmpstr (tank->name, ==, "Tank");
  g_assert_cmpstr (tank->colour, ==, "#e01b24");
  g_assert_cmpstr (tank->shortcut, ==, "1");
  g_assert_cmpstr (tank->group, ==, "Armour");
  g_assert_cmpstr (last->key, ==, "other");
  {
    g_autoptr(SlClass) again = sl_class_set_get (f->classes, tank->id);
    g_autoptr(SlClass) copy = sl_class_copy (again);

    g_assert_cmpstr (copy->name, ==, "Tank");
    g_assert_true (copy->name != again->name);
  }
  g_assert_null (sl_class_set_get (f->classes, 4242));
}

static void
test_add (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlClass) decoy = sl_class_set_add (f->classes, "  Inflatable decoy ", NULL, &error);
  g_autoptr(SlClass) second = NULL;
  g_autoptr(SlClass) tank2 = NULL;
  g_autoptr(SlClass) elan = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (decoy->name, ==, "Inflatable decoy");
  g_assert_cmpstr (decoy->key, ==, "inflatable_decoy");
  /* The first palette colour and shortcut the 12 seeded classes leave free. */
  g_assert_cmpstr (decoy->colour, ==, "#a51d2d");
  g_assert_cmpstr (decoy->shortcut, ==, "<Shift>3");
  g_assert_cmpint (decoy->sort_order, ==, 12);
  g_assert_cmpuint (f->changes, ==, 1);

  second = sl_class_set_add (f->classes, "Trench", "#ABCDEF", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->colour, ==, "#abcdef");
  g_assert_cmpstr (second->shortcut, ==, "<Shift>4");
  {
    g_autoptr(SlClass) stored = sl_class_set_get (f->classes, second->id);
    g_assert_cmpstr (stored->colour, ==, "#abcdef");
    g_assert_cmpstr (stored->name, ==, "Trench");
  }

  /* A different name whose key would clash gets a numbered key. */
  tank2 = sl_class_set_add (f->classes, "Tank!", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tank2->key, ==, "tank_2");

  /* Names are unique regardless of case, also beyond ASCII. */
  g_assert_null (sl_class_set_add (f->classes, "TANK", NULL, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "a class named ‘Tank’ exists"));
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  elan = sl_class_set_add (f->classes, "Élan", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (sl_class_set_add (f->classes, "éLAN", NULL, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (sl_class_set_add (f->classes, "   ", NULL, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sl_class_set_add (f->classes, "Bunker", "red", &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (sl_project_count_classes (f->project), ==, 16);
  g_assert_cmpuint (f->changes, ==, 4);
}

static void
test_rename_recolour (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlClass) tank = NULL;

  g_assert_true (sl_class_set_rename (f->classes, 1, "Main battle tank", &error));
  g_assert_no_error (error);
  g_assert_false (sl_class_set_rename (f->classes, 1, "truck", &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "‘Truck’"));
  g_clear_error (&error);
  /* Its own name in another case is fine. */
  g_assert_true (sl_class_set_rename (f->classes, 1, "MAIN battle tank", &error));
  g_assert_no_error (error);
  g_assert_false (sl_class_set_rename (f->classes, 4242, "Ghost", &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sl_class_set_recolour (f->classes, 1, "#00FF7f", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      const char *bad[] = { "#12345g", "00ff7f", "#00ff7f0" };

      g_assert_false (sl_class_set_recolour (f->classes, 1, bad[i], &error));
      g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  tank = sl_class_set_get (f->classes, 1);
  g_assert_cmpstr (tank->name, ==, "MAIN battle tank");
  g_assert_cmpstr (tank->colour, ==, "#00ff7f");
  g_assert_cmpstr (tank->key, ==, "tank");
  g_assert_cmpuint (f->changes, ==, 3);
}

static void
test_merge (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 a = tag (f, 2, 1), b = tag (f, 2, 2), c = tag (f, 1, 3);

  g_assert_cmpuint (sl_class_set_count_uses (f->classes, 2), ==, 2);
  g_assert_false (sl_class_set_merge (f->classes, 2, 2, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sl_class_set_merge (f->classes, 2, 4242, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (sl_class_set_merge (f->classes, 2, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (class_of (f, a), ==, 1);
  g_assert_cmpint (class_of (f, b), ==, 1);
  g_assert_cmpint (class_of (f, c), ==, 1);
  g_assert_null (sl_class_set_get (f->classes, 2));
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, 1), ==, 3);
  g_assert_cmpuint (sl_project_count_classes (f->project), ==, 11);
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    g_assert_true (sl_project_validate (f->project, problems));
  }
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 a = tag (f, 3, 1);

  tag (f, 4, 2);
  tag (f, 4, 3);

  /* In use: the caller must say what happens to the annotations. */
  g_assert_false (sl_class_set_remove (f->classes, 3, 0, FALSE, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1 annotations use it"));
  g_clear_error (&error);
  g_assert_false (sl_class_set_remove (f->classes, 3, 3, FALSE, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(SlClass) still = sl_class_set_get (f->classes, 3);
    g_assert_nonnull (still);
  }
  g_assert_cmpuint (f->changes, ==, 0);

  g_assert_true (sl_class_set_remove (f->classes, 3, 5, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (class_of (f, a), ==, 5);
  g_assert_true (sl_class_set_remove (f->classes, 4, 0, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_project_count_annotations (f->project), ==, 1);
  g_assert_cmpuint (f->changes, ==, 2);

  /* Unused classes go, but never the last one. */
  list = sl_class_set_list (f->classes, &error);
  for (guint i = 0; i < list->len; i++)
    {
      SlClass *c = list->pdata[i];
      if (c->id != 5)
        {
          g_assert_true (sl_class_set_remove (f->classes, c->id, 0, FALSE, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_false (sl_class_set_remove (f->classes, 5, 0, TRUE, &error));
  g_assert_error (error, SL_ANNOTATION_STORE_ERROR, SL_ANNOTATION_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "at least one class"));
  g_assert_cmpuint (sl_project_count_classes (f->project), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/class-set/seeded", test_seeded);
  ADD ("/class-set/add", test_add);
  ADD ("/class-set/rename-recolour", test_rename_recolour);
  ADD ("/class-set/merge", test_merge);
  ADD ("/class-set/remove", test_remove);
#undef ADD
  return g_test_run ();
}
