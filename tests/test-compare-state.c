/* test-compare-state.c — the comparison a project shows: JSON, date arithmetic, persistence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sl-compare-state.h"
#include "sl-core.h"
#include "sl-project.h"
#include "sl-test-util.h"

static void
test_round_trip (void)
{
  SlCompareState state, back;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_DIFFERENCE;
  state.current = 7;
  state.pair[0] = (SlPaneBinding) { 3, 0 };
  state.pair[1].offset = 1;
  state.grid[2] = 5;
  state.grid_count = 3;
  state.swipe = 0.25;
  state.swipe_horizontal = TRUE;
  state.opacity = 0.75;
  state.blink_hz = 4;
  state.gain = 8;
  state.play_fps = 5;
  state.has_view = TRUE;
  state.center_x = 500123.25;
  state.center_y = 6049876.5;
  state.resolution = 0.125;

  json = sl_compare_state_to_json (&state);
  g_assert_true (sl_compare_state_from_json (&back, json, &error));
  g_assert_no_error (error);
  g_assert_true (sl_compare_state_equal (&state, &back));
  g_assert_cmpint (back.mode, ==, SL_COMPARE_DIFFERENCE);
  g_assert_cmpint (back.pair[0].scene_id, ==, 3);
  g_assert_cmpint (back.pair[1].offset, ==, 1);
  g_assert_cmpint (back.grid[2], ==, 5);
  g_assert_cmpfloat (back.center_x, ==, 500123.25);

  /* Any change shows. */
  back.gain = 9;
  g_assert_false (sl_compare_state_equal (&state, &back));
}

static void
test_defaults_and_hostile (void)
{
  SlCompareState state, defaults;
  g_autoptr(GError) error = NULL;

  sl_compare_state_init (&defaults);
  g_assert_cmpint (defaults.mode, ==, SL_COMPARE_SINGLE);
  g_assert_cmpint (defaults.pair[0].offset, ==, -1);
  g_assert_cmpint (defaults.pair[1].offset, ==, 0);

  /* An empty object: the defaults. */
  g_assert_true (sl_compare_state_from_json (&state, "{}", &error));
  g_assert_true (sl_compare_state_equal (&state, &defaults));

  /* Out of range, wrong types, unknown members, a view without resolution. */
  g_assert_true (sl_compare_state_from_json (&state,
                                             "{\"mode\":\"teleport\",\"swipe\":7,\"opacity\":-1,\"gain\":1e9,"
                                             "\"blink_hz\":\"fast\",\"grid\":99,\"pair\":[{\"offset\":-1000},"
                                             "{\"scene\":-5}],\"grid_scenes\":[1,\"x\",-3],\"future\":{\"x\":1},"
                                             "\"view\":{\"center_x\":1,\"center_y\":2}}",
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (state.mode, ==, SL_COMPARE_SINGLE);
  g_assert_cmpfloat (state.swipe, ==, 1.0);
  g_assert_cmpfloat (state.opacity, ==, 0.0);
  g_assert_cmpfloat (state.gain, ==, 16.0);
  g_assert_cmpfloat (state.blink_hz, ==, defaults.blink_hz);
  g_assert_cmpuint (state.grid_count, ==, 4);
  g_assert_cmpint (state.pair[0].offset, ==, -64);
  g_assert_cmpint (state.pair[1].scene_id, ==, 0);
  g_assert_cmpint (state.grid[0], ==, 1);
  g_assert_cmpint (state.grid[1], ==, 0);
  g_assert_cmpint (state.grid[2], ==, 0);
  g_assert_false (state.has_view);

  /* A resolution of zero or a NaN-like value is no view. */
  g_assert_true (sl_compare_state_from_json (&state, "{\"view\":{\"center_x\":1,\"center_y\":2,\"resolution\":0}}", &error));
  g_assert_false (state.has_view);

  /* Not an object, not JSON. */
  g_assert_false (sl_compare_state_from_json (&state, "[1,2]", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sl_compare_state_from_json (&state, "{\"mode\":", &error));
  g_assert_nonnull (error);
}

static void
test_resolve (void)
{
  const gint64 ids[] = { 10, 20, 30, 40 };
  SlCompareState state;

  sl_compare_state_init (&state);
  /* Single: the current date, the latest when unset. */
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 40);
  state.current = 20;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 20);

  /* Two dates: A the previous one, B the current one. */
  state.mode = SL_COMPARE_SWIPE;
  state.current = 0;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 30);
  g_assert_cmpint (sl_compare_state_resolve (&state, 1, ids, 4), ==, 40);
  g_assert_cmpint (sl_compare_state_resolve (&state, 2, ids, 4), ==, 0);
  state.current = 20;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 10);
  g_assert_cmpint (sl_compare_state_resolve (&state, 1, ids, 4), ==, 20);
  /* Offsets clamp at the first date. */
  state.current = 10;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 10);
  state.current = 20;

  /* A fixed pane stays on its date whatever the current one... */
  state.pair[0] = (SlPaneBinding) { 40, -1 };
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 40);
  /* ...unless it is hidden: then the current date. */
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 3), ==, 20);

  /* The grid: the dates up to the current one in reading order, pins first. */
  state.mode = SL_COMPARE_GRID;
  state.grid_count = 3;
  state.current = 30;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 10);
  g_assert_cmpint (sl_compare_state_resolve (&state, 1, ids, 4), ==, 20);
  g_assert_cmpint (sl_compare_state_resolve (&state, 2, ids, 4), ==, 30);
  state.grid[0] = 40;
  g_assert_cmpint (sl_compare_state_resolve (&state, 0, ids, 4), ==, 40);
  state.current = 10;
  g_assert_cmpint (sl_compare_state_resolve (&state, 1, ids, 4), ==, 10);

  state.current = 20;
  g_assert_cmpint (sl_compare_state_step (&state, 1, ids, 4), ==, 30);
  g_assert_cmpint (sl_compare_state_step (&state, -5, ids, 4), ==, 10);
  g_assert_cmpint (sl_compare_state_step (&state, 5, ids, 4), ==, 40);
  g_assert_cmpint (sl_compare_state_resolve (&state, 1, NULL, 0), ==, 0);

  g_assert_cmpuint (sl_compare_state_n_panes (&state), ==, 3);
  state.mode = SL_COMPARE_BLINK;
  g_assert_cmpuint (sl_compare_state_n_panes (&state), ==, 2);
  state.mode = SL_COMPARE_SINGLE;
  g_assert_cmpuint (sl_compare_state_n_panes (&state), ==, 1);
}

static void
test_modes (void)
{
  SlCompareMode mode;

  for (SlCompareMode m = 0; m < SL_COMPARE_N_MODES; m++)
    {
      g_assert_true (sl_compare_mode_from_string (sl_compare_mode_to_string (m), &mode));
      g_assert_cmpint (mode, ==, m);
    }
  g_assert_true (sl_compare_mode_from_string ("Swipe", &mode));
  g_assert_cmpint (mode, ==, SL_COMPARE_SWIPE);
  g_assert_false (sl_compare_mode_from_string ("wipe", &mode));
  g_assert_false (sl_compare_mode_from_string (NULL, &mode));
}

/* The state survives closing and reopening the project file. */
static void
test_persists (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "site.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (path, "Site", &error);
  g_autofree char *json = NULL;
  g_autofree char *stored = NULL;
  SlCompareState state, back;

  g_assert_no_error (error);
  g_assert_null (sl_project_dup_view_state (project));

  sl_compare_state_init (&state);
  state.mode = SL_COMPARE_SWIPE;
  state.swipe = 0.3;
  json = sl_compare_state_to_json (&state);
  g_assert_true (sl_project_set_view_state (project, json, &error));
  g_assert_no_error (error);
  sl_project_close (project);
  g_clear_object (&project);

  project = sl_project_open (path, &error);
  g_assert_no_error (error);
  stored = sl_project_dup_view_state (project);
  g_assert_cmpstr (stored, ==, json);
  g_assert_true (sl_compare_state_from_json (&back, stored, &error));
  g_assert_true (sl_compare_state_equal (&state, &back));
  sl_project_close (project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/compare-state/round-trip", test_round_trip);
  g_test_add_func ("/compare-state/defaults-and-hostile", test_defaults_and_hostile);
  g_test_add_func ("/compare-state/resolve", test_resolve);
  g_test_add_func ("/compare-state/modes", test_modes);
  g_test_add_func ("/compare-state/persists", test_persists);
  return g_test_run ();
}
