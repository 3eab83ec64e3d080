/* sl-test-gui.c — the set-up every GUI test needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

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

void
sl_test_pixels_clear (SlTestPixels *pixels)
{
  g_clear_pointer (&pixels->data, g_free);
}

void
sl_test_render_widget (GtkWidget    *widget,
                       SlTestPixels *out,
                       const char   *name)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  const char *dir = g_getenv ("SL_TEST_PNG_DIR");
  graphene_point_t origin;

  g_assert_nonnull (parent);
  /* In the parent's coordinates, moved so the widget's top-left is at 0, 0. */
  g_assert_true (gtk_widget_compute_point (widget, parent, &GRAPHENE_POINT_INIT (0, 0), &origin));
  gtk_snapshot_scale (snapshot, scale, scale);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-origin.x, -origin.y));
  gtk_widget_snapshot_child (parent, widget, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
  if (dir != NULL && name != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      gdk_texture_save_to_png (texture, path);
    }

  sl_test_pixels_clear (out);
  out->scale = scale;
  out->width = gdk_texture_get_width (texture);
  out->height = gdk_texture_get_height (texture);
  out->stride = (gsize) out->width * 4;
  out->data = g_malloc (out->stride * out->height);
  gdk_texture_download (texture, out->data, out->stride);
  g_assert_cmpint (out->width, ==, width * scale);
  g_assert_cmpint (out->height, ==, height * scale);
}

guint32
sl_test_pixel (const SlTestPixels *pixels,
               int                 x,
               int                 y)
{
  guint32 v;

  g_assert_true (x >= 0 && y >= 0 && x < pixels->width && y < pixels->height);
  memcpy (&v, pixels->data + (gsize) y * pixels->stride + (gsize) x * 4, 4);
  return v;
}

void
sl_test_spin_until (gboolean   (*done) (gpointer),
                    gpointer     data,
                    const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
sl_test_spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
sl_test_wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  sl_test_spin_until (is_true, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}
