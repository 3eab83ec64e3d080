/* test-tile-deliveries.c — a tile on its way to the main context is not asked for twice
 *
 * A worker finishes a tile, queues it for the main context and (the source being read) its
 * JPEG for the store's writer. Until the main context runs, the tile is not in memory; a pane
 * that asks again in that moment must not start a second job, which would read the stored
 * JPEG back and replace the exact tile in memory with a lossy copy (seen as two dates whose
 * colours were off by a few levels in the comparison's pixel tests).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sl-core.h"
#include "sl-project.h"
#include "sl-tile-cache.h"
#include "sl-test-util.h"

static gboolean
workers_idle (SlTileCache *cache)
{
  SlTileCacheStats stats;

  sl_tile_cache_get_stats (cache, &stats);
  return stats.queued == 0 && stats.running == 0;
}

static void
test_no_second_job (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *image = g_build_filename (dir, "scene.tif", NULL);
  g_autofree char *path = g_build_filename (dir, "site.sitelapse.gpkg", NULL);
  SlTestImage spec = {
    .width = 1024, .height = 1024, .bands = 3, .crs = "EPSG:32636",
    .origin_x = 500000, .origin_y = 5600000, .pixel_size = 0.5, .datetime = "2022:01:18 09:30:00", .seed = 3,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(SlScene) probed = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(SlTileCache) cache = NULL;
  SlTileCacheStats stats;
  SlTileKey keys[4];
  const SlTile *tile;
  int z;
  gint64 scene_id, deadline;
  int owner;

  sl_test_write_image (image, &spec);
  project = sl_project_create (path, "Deliveries", &error);
  g_assert_no_error (error);
  probed = sl_scene_probe (image, &error);
  g_assert_no_error (error);
  stored = sl_project_add_scene (project, probed, &error);
  g_assert_no_error (error);
  scene_id = sl_scene_get_id (stored);

  cache = sl_tile_cache_new (project, 0, 2, &error);
  g_assert_no_error (error);
  z = sl_tile_cache_get_native_zoom (cache, scene_id);
  g_assert_cmpint (z, >=, 0);
  for (int i = 0; i < 4; i++)
    keys[i] = sl_tile_cache_key (cache, scene_id, z, i, 0);

  /* Ask, and let the workers finish without running the main context: the tiles wait in the
   * delivery queue while the writer stores their JPEGs. */
  sl_tile_cache_want (cache, &owner, keys, 4);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!workers_idle (cache))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  g_usleep (200 * 1000);  /* the writer commits meanwhile */

  /* The pane asks again, as its next frame would: nothing new may run. */
  sl_tile_cache_want (cache, &owner, keys, 4);
  g_usleep (200 * 1000);
  while (!workers_idle (cache))
    g_usleep (1000);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.source_reads, ==, 4);
  g_assert_cmpuint (stats.store_hits, ==, 0);
  for (int i = 0; i < 4; i++)
    {
      tile = sl_tile_cache_lookup (cache, &keys[i]);
      g_assert_nonnull (tile);
    }

  /* Asked for once more, now in memory: still nothing runs. */
  sl_tile_cache_want (cache, &owner, keys, 4);
  sl_tile_cache_get_stats (cache, &stats);
  g_assert_cmpuint (stats.queued + stats.running, ==, 0);
  sl_tile_cache_forget_owner (cache, &owner);
  g_clear_object (&cache);
  sl_project_close (project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();

  g_test_add_func ("/tile-deliveries/no-second-job", test_no_second_job);
  return g_test_run ();
}
