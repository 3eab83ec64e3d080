/* sl-recent-projects.c — the recently opened projects, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-recent-projects"

#include "config.h"

#include <string.h>

#include "sl-recent-projects.h"

#define RECENT_KEY "recent-projects"

static GStrv
filter_paths (const char * const *paths,
              const char         *first,
              const char         *dropped)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  if (first != NULL)
    {
      g_strv_builder_add (builder, first);
      g_hash_table_add (seen, (gpointer) first);
      n++;
    }

  for (guint i = 0; paths[i] != NULL && n < SL_RECENT_PROJECTS_MAX; i++)
    {
      if (!g_path_is_absolute (paths[i]) ||
          g_hash_table_contains (seen, paths[i]) ||
          g_strcmp0 (paths[i], dropped) == 0 ||
          !g_file_test (paths[i], G_FILE_TEST_IS_REGULAR))
        continue;

      g_strv_builder_add (builder, paths[i]);
      g_hash_table_add (seen, (gpointer) paths[i]);
      n++;
    }

  return g_strv_builder_end (builder);
}

GStrv
sl_recent_projects_list (GSettings *settings)
{
  g_auto(GStrv) stored = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  stored = g_settings_get_strv (settings, RECENT_KEY);
  return filter_paths ((const char * const *) stored, NULL, NULL);
}

/* Puts @file first (@add) or takes it out of the stored list. */
static void
update (GSettings *settings,
        GFile     *file,
        gboolean   add)
{
  g_auto(GStrv) stored = NULL;
  g_auto(GStrv) updated = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    return;

  stored = g_settings_get_strv (settings, RECENT_KEY);
  updated = filter_paths ((const char * const *) stored, add ? path : NULL, add ? NULL : path);
  g_settings_set_strv (settings, RECENT_KEY, (const char * const *) updated);
}

void
sl_recent_projects_add (GSettings *settings,
                        GFile     *file)
{
  update (settings, file, TRUE);
}

void
sl_recent_projects_remove (GSettings *settings,
                           GFile     *file)
{
  update (settings, file, FALSE);
}

char *
sl_recent_projects_dup_title (const char *path)
{
  g_autofree char *base = NULL;
  char *dot;

  g_return_val_if_fail (path != NULL, NULL);

  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';

  return g_filename_display_name (base);
}

char *
sl_recent_projects_dup_folder (const char *path)
{
  g_autofree char *dir = NULL;
  const char *home = g_get_home_dir ();
  gsize home_len = strlen (home);

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (home_len > 1 && g_str_has_prefix (dir, home) &&
      (dir[home_len] == '\0' || dir[home_len] == G_DIR_SEPARATOR))
    {
      g_autofree char *tilde = g_strconcat ("~", dir + home_len, NULL);
      return g_filename_display_name (tilde);
    }

  return g_filename_display_name (dir);
}
