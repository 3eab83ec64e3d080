/* main.c — the sitelapse program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sitelapse"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sl-application.h"
#include "sl-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SlApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  sl_core_init ();

  app = sl_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : sl_application_get_exit_status (app);
}
