/* test-ui.c — every GtkBuilder file in the GResource loads and builds its widget
 *
 * gtk4-builder-tool cannot validate files that use libadwaita classes, so each
 * template is instantiated here, after adw_init(), through the type it belongs to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sl-application.h"
#include "sl-test-gui.h"
#include "sl-class-editor.h"
#include "sl-date-dialog.h"
#include "sl-project-overview.h"
#include "sl-scene-list.h"
#include "sl-scene-row.h"
#include "sl-status-bar.h"
#include "sl-welcome-page.h"
#include "sl-window.h"

static SlApplication *app;

/* "sl-scene-row.ui" → "SlSceneRow" */
static char *
type_name_for (const char *file_name)
{
  g_autoptr(GString) name = g_string_new (NULL);
  gboolean upper = TRUE;

  for (const char *p = file_name; *p != '\0' && *p != '.'; p++)
    {
      if (*p == '-')
        {
          upper = TRUE;
          continue;
        }
      g_string_append_c (name, upper ? g_ascii_toupper (*p) : *p);
      upper = FALSE;
    }

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* A new reference to a new @type widget; GTK owns windows, hence the extra reference. */
static GObject *
instantiate (GType type)
{
  if (g_type_is_a (type, SL_TYPE_WINDOW))
    return g_object_ref (G_OBJECT (sl_window_new (GTK_APPLICATION (app))));
  if (g_type_is_a (type, SL_TYPE_SCENE_ROW))
    {
      g_autoptr(SlScene) scene = sl_scene_new ();
      return g_object_ref_sink (G_OBJECT (sl_scene_row_new (scene)));
    }
  if (g_type_is_a (type, GTK_TYPE_WINDOW))
    return g_object_ref (g_object_new (type, NULL));

  return g_object_ref_sink (g_object_new (type, NULL));
}

static void
test_templates_build (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = NULL;
  guint n_templates = 0;

  /* Every type that has a template; a new .ui file without one here fails below. */
  g_type_ensure (SL_TYPE_WINDOW);
  g_type_ensure (SL_TYPE_WELCOME_PAGE);
  g_type_ensure (SL_TYPE_PROJECT_OVERVIEW);
  g_type_ensure (SL_TYPE_SCENE_LIST);
  g_type_ensure (SL_TYPE_SCENE_ROW);
  g_type_ensure (SL_TYPE_DATE_DIALOG);
  g_type_ensure (SL_TYPE_STATUS_BAR);
  g_type_ensure (SL_TYPE_CLASS_EDITOR);

  children = g_resources_enumerate_children (RESOURCE_PREFIX "/", 0, &error);
  g_assert_no_error (error);

  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *type_name = NULL;
      g_autoptr(GObject) object = NULL;
      GType type;

      if (!g_str_has_suffix (children[i], ".ui"))
        continue;

      g_test_message ("Building %s", children[i]);
      type_name = type_name_for (children[i]);
      type = g_type_from_name (type_name);
      g_assert_true (type != G_TYPE_INVALID);

      object = instantiate (type);
      g_assert_true (GTK_IS_WIDGET (object));
      /* The template filled the widget. */
      g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (object)));

      if (GTK_IS_WINDOW (object))
        gtk_window_destroy (GTK_WINDOW (object));
      n_templates++;
    }

  g_assert_cmpuint (n_templates, >=, 6);
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_window_help_overlay_wired (void)
{
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));

  /* GtkApplication finds gtk/help-overlay.ui under the resource base path. */
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_style_loaded (void)
{
  g_autoptr(GBytes) css = NULL;
  g_autoptr(GError) error = NULL;

  css = g_resources_lookup_data (RESOURCE_PREFIX "/style.css", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (g_bytes_get_data (css, NULL), ".georef-badge"));
  g_assert_cmpstr (g_application_get_resource_base_path (G_APPLICATION (app)), ==, RESOURCE_PREFIX);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = sl_test_gui_init (&argc, &argv);

  g_test_add_func ("/ui/templates-build", test_templates_build);
  g_test_add_func ("/ui/help-overlay", test_help_overlay);
  g_test_add_func ("/ui/window-help-overlay-wired", test_window_help_overlay_wired);
  g_test_add_func ("/ui/style-loaded", test_style_loaded);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
