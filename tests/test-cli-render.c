/* test-cli-render.c — `sitelapse-cli render` through the real binary: layouts, formats, presets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo.h>

#include "sl-core.h"
#include "sl-test-util.h"

static char *tmp;
static char *project;

#define CLI(out, err, ...) sl_test_run (out, err, sl_test_cli (), __VA_ARGS__, NULL)

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp, name, NULL);
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

/* Every layout of the demo site, by id and by date. */
static void
test_layouts (void)
{
  const char *layouts[] = { "swipe", "side-by-side", "stacked", "grid", "single" };

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.png", layouts[i]);
      g_autofree char *png = tmp_path (name);
      g_autofree char *out = NULL, *err = NULL;
      cairo_surface_t *surface;

      g_assert_cmpint (CLI (&out, &err, "render", project, "--layout", layouts[i], "--dates",
                            i == 3 ? "1,2,3" : "2022-01-18,3", "--size", "640x480",
                            "--title", "Armour gathers", "-o", png), ==, 0);
      g_test_message ("%s%s", out, err);
      g_assert_nonnull (strstr (out, layouts[i]));
      surface = load_png (png);
      g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 640);
      g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 480);
      cairo_surface_destroy (surface);
    }
}

/* The format follows the extension; print sizes in millimetres; credits in the PDF text. */
static void
test_formats (void)
{
  g_autofree char *pdf = tmp_path ("print.pdf");
  g_autofree char *jpg = tmp_path ("web.jpg");
  g_autofree char *svg = tmp_path ("vector.svg");
  g_autofree char *out = NULL, *text = NULL;

  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--layout", "side-by-side", "--size-mm", "180x90",
                        "--dpi", "150", "--credit", "Satellite image ©2022 Maxar Technologies", "-o", pdf), ==, 0);
  g_assert_cmpint (sl_test_run (&out, NULL, "pdfinfo", pdf, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "510.236 x 255.118 pts"));
  g_assert_cmpint (sl_test_run (&text, NULL, "pdftotext", pdf, "-", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "Satellite image ©2022 Maxar Technologies"));
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--layout", "swipe", "--size", "400x300",
                        "--quality", "70", "-o", jpg), ==, 0);
  g_assert_true (g_file_get_contents (jpg, &text, NULL, NULL));
  g_assert_cmpint ((guint8) text[0], ==, 0xff);
  g_assert_cmpint ((guint8) text[1], ==, 0xd8);
  g_clear_pointer (&text, g_free);

  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--layout", "swipe", "--size", "400x300", "--theme", "dark",
                        "--caption", "Vehicles & tents", "-o", svg), ==, 0);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "Vehicles &amp; tents"));
}

/* A preset saved by one run gives the same graphic in the next. */
static void
test_presets (void)
{
  g_autofree char *direct = tmp_path ("direct.png");
  g_autofree char *again = tmp_path ("preset.png");
  g_autofree char *out = NULL, *a = NULL, *b = NULL;

  g_assert_cmpint (CLI (&out, NULL, "render", project, "--layout", "stacked", "--dates", "1,3", "--size", "300x500",
                        "--theme", "dark", "--title", "Before and after", "--save-preset", "Tall",
                        "-o", direct), ==, 0);
  g_assert_nonnull (strstr (out, "Saved the preset ‘Tall’"));
  g_assert_cmpint (CLI (NULL, NULL, "render", project, "--preset", "Tall", "-o", again), ==, 0);
  a = sl_test_sha256_file (direct);
  b = sl_test_sha256_file (again);
  g_assert_cmpstr (a, ==, b);
}

/* Bad usage (2) and bad input (1), with messages that say what is wrong. */
static void
test_errors (void)
{
  g_autofree char *png = tmp_path ("bad.png");
  g_autofree char *missing = tmp_path ("nowhere/bad.png");
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (NULL, &err, "render", project, "-o", "out.tiff"), ==, 2);
  g_assert_nonnull (strstr (err, ".png, .jpg"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--layout", "collage", "-o", png), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--layout", "swipe", "--dates", "1999-01-01,3", "-o", png), ==, 1);
  g_assert_nonnull (strstr (err, "‘1999-01-01’ matches no scene"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--layout", "swipe", "--font", "Nonexistent Grotesk",
                        "-o", png), ==, 1);
  g_assert_nonnull (strstr (err, "‘Nonexistent Grotesk’ is not installed"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--layout", "swipe", "--size", "20000x20000", "-o", png), ==, 1);
  g_assert_nonnull (strstr (err, "too large"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--layout", "swipe", "-o", missing), ==, 1);
  g_assert_nonnull (strstr (err, "does not exist"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (NULL, &err, "render", project, "--preset", "Nope", "-o", png), ==, 1);
  g_assert_nonnull (strstr (err, "no export preset named ‘Nope’"));
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  sl_core_init ();
  tmp = sl_test_tmpdir_new ();
  project = g_build_filename (tmp, "demo", "demo.sitelapse.gpkg", NULL);
  {
    g_autofree char *demo = tmp_path ("demo");

    g_assert_cmpint (CLI (&out, NULL, "demo", demo, "--size", "512"), ==, 0);
  }

  g_test_add_func ("/cli-render/layouts", test_layouts);
  g_test_add_func ("/cli-render/formats", test_formats);
  g_test_add_func ("/cli-render/presets", test_presets);
  g_test_add_func ("/cli-render/errors", test_errors);
  status = g_test_run ();
  sl_test_tmpdir_free (tmp);
  g_free (project);
  return status;
}
