/* sl-test-gui.c — the set-up every GUI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <adwaita.h>

#include "sl-core.h"
#include "sl-test-gui.h"

SlApplication *
sl_test_gui_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) mime_dirs = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *data_dirs = g_get_system_data_dirs ();
  SlApplication *app;

  /* G_TEST_OPTION_ISOLATE_DIRS hides the MIME database: without it gdk-pixbuf cannot tell an
   * SVG icon, and GTK's warning aborts the test. Remember where it was first. */
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (data_dirs[i], "mime", NULL);
      g_strv_builder_add (builder, dir);
    }
  mime_dirs = g_strv_builder_end (builder);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "C.UTF-8");
  gtk_init ();
  adw_init ();
  sl_core_init ();

  app = sl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}
