/* test-export-html.c — the self-contained before/after slider page
 *
 * The page is checked as a file (no external URL, both images decode, texts escaped) and in
 * a real browser: headless Chromium runs a copy of it with a small driver script that presses
 * keys on the handle and drags with pointer events, and reports the handle's values and the
 * layout through document.title (read back with --dump-dom); a screenshot of the untouched
 * page must show the before date left of (above) the divider, the after date right of
 * (below) it, the labels and the credit line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-export-html"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <glib/gstdio.h>
#include <turbojpeg.h>

#include "sl-export-html.h"
#include "sl-test-util.h"

#define W 600
#define H 400

typedef struct { int r, g, b; } Rgb;

static const Rgb colour_a = { 200, 40, 40 };    /* before */
static const Rgb colour_c = { 230, 200, 50 };   /* a box in before, top left */
static const Rgb colour_b = { 40, 90, 200 };    /* after */
static const Rgb colour_d = { 30, 170, 60 };    /* a box in after, bottom right */

static const SlHtmlSliderText texts = {
  .title = "Depot north of the river <script>alert('x')</script> & co",
  .caption = "Vehicles gathered along the road between the two dates.",
  .credit = "Satellite image ©2022 Maxar Technologies",
  .before_label = "21 Feb 2022",
  .after_label = "3 Mar \"2022\"",
  .alt_before = "The depot on 21 February 2022, empty",
  .alt_after = "The depot on 3 March 2022, with <40> vehicles",
};

static cairo_surface_t *
make_image (Rgb background, Rgb box, int box_x, int box_y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, background.r / 255.0, background.g / 255.0, background.b / 255.0);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, box.r / 255.0, box.g / 255.0, box.b / 255.0);
  cairo_rectangle (cr, box_x, box_y, 80, 80);
  cairo_fill (cr);
  cairo_destroy (cr);

  return surface;
}

static char *
write_page (const char *dir, const char *name, gboolean horizontal, double divider)
{
  char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *before = make_image (colour_a, colour_c, 40, 40);
  cairo_surface_t *after = make_image (colour_b, colour_d, 480, 280);
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_export_html_write (path, before, after, &texts, divider, horizontal, &error));
  g_assert_no_error (error);
  cairo_surface_destroy (before);
  cairo_surface_destroy (after);

  return path;
}

static char *
read_text (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
assert_close (const guint8 *rgb, Rgb want, int tolerance, const char *what)
{
  if (ABS (rgb[0] - want.r) > tolerance || ABS (rgb[1] - want.g) > tolerance || ABS (rgb[2] - want.b) > tolerance)
    g_error ("%s: got %d,%d,%d, want %d,%d,%d (±%d)", what, rgb[0], rgb[1], rgb[2], want.r, want.g, want.b,
             tolerance);
}

/* --- the file --- */

static void
test_self_contained (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = write_page (dir, "slider.html", FALSE, 0.5);
  g_autofree char *page = read_text (path);
  g_autoptr(GRegex) data_uri = g_regex_new ("data:image/jpeg;base64,[A-Za-z0-9+/=]+", 0, 0, NULL);
  g_autoptr(GRegex) external = g_regex_new ("https?:|ftp:|file:|//|url\\(|@import|<link|<iframe|<object|<embed",
                                            G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) sources = g_regex_new ("\\bsrc=\"([^\"]*)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *stripped = NULL;
  gsize jpeg_bytes = 0;
  int images = 0;

  /* Every src is a data: URI. */
  g_regex_match (sources, page, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *src = g_match_info_fetch (match, 1);

      g_assert_true (g_str_has_prefix (src, "data:image/jpeg;base64,"));
      images++;
    }
  g_assert_cmpint (images, ==, 2);
  g_clear_pointer (&match, g_match_info_free);

  /* Both images decode, at full size, with their colours. */
  g_regex_match (data_uri, page, 0, &match);
  for (int i = 0; i < 2; i++, g_match_info_next (match, NULL))
    {
      g_autofree char *uri = NULL;
      g_autofree guchar *jpeg = NULL;
      g_autofree guint8 *rgb = g_malloc (W * H * 3);
      gsize len;
      int width, height, subsampling, colourspace;
      tjhandle tj = tjInitDecompress ();

      g_assert_true (g_match_info_matches (match));
      uri = g_match_info_fetch (match, 0);
      jpeg = g_base64_decode (uri + strlen ("data:image/jpeg;base64,"), &len);
      jpeg_bytes += len;
      g_assert_cmpint (tjDecompressHeader3 (tj, jpeg, len, &width, &height, &subsampling, &colourspace), ==, 0);
      g_assert_cmpint (width, ==, W);
      g_assert_cmpint (height, ==, H);
      g_assert_cmpint (tjDecompress2 (tj, jpeg, len, rgb, W, W * 3, H, TJPF_RGB, 0), ==, 0);
      tjDestroy (tj);
      /* The after image comes first in the markup (it gives the frame its size). */
      assert_close (rgb + (200 * W + 300) * 3, i == 0 ? colour_b : colour_a, 6, "background");
      if (i == 0)
        assert_close (rgb + (320 * W + 520) * 3, colour_d, 6, "after's box");
      else
        assert_close (rgb + (80 * W + 80) * 3, colour_c, 6, "before's box");
    }
  g_clear_pointer (&match, g_match_info_free);

  /* Nothing that points outside the file, once the image data is taken out. */
  stripped = g_regex_replace_literal (data_uri, page, -1, 0, "DATA", 0, NULL);
  if (g_regex_match (external, stripped, 0, &match))
    {
      g_autofree char *what = g_match_info_fetch (match, 0);
      g_error ("external reference in the page: %s", what);
    }
  /* Base64 and the page itself on top of the JPEGs: well under twice their size. */
  g_test_message ("page %zu bytes, JPEGs %zu bytes, markup/CSS/JS %zu bytes",
                  strlen (page), jpeg_bytes, strlen (stripped));
  g_assert_cmpuint (strlen (page), <, jpeg_bytes * 4 / 3 + 16384);
  g_assert_cmpuint (strlen (stripped), <, 16384);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_texts_and_accessibility (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = write_page (dir, "slider.html", TRUE, 0.3);
  g_autofree char *page = read_text (path);
  const char *expected[] = {
    "<title>Depot north of the river &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co</title>",
    "<h1>Depot north of the river &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co</h1>",
    ">Vehicles gathered along the road between the two dates.<",
    ">Satellite image ©2022 Maxar Technologies<",
    ">21 Feb 2022<",
    ">3 Mar &quot;2022&quot;<",
    "alt=\"The depot on 21 February 2022, empty\"",
    "alt=\"The depot on 3 March 2022, with &lt;40&gt; vehicles\"",
    "role=\"slider\"",
    "tabindex=\"0\"",
    "aria-label=\"Divider between 21 Feb 2022 and 3 Mar &quot;2022&quot;\"",
    "aria-orientation=\"vertical\"",
    "aria-valuemin=\"0\"",
    "aria-valuemax=\"100\"",
    "aria-valuenow=\"30.00\"",
    "<meta name=\"viewport\"",
    "class=\"sl-frame sl-h\"",
  };
  const char *script;

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    if (strstr (page, expected[i]) == NULL)
      g_error ("the page lacks %s", expected[i]);
  /* The page's own script is the only one. */
  script = strstr (page, "<script>");
  g_assert_nonnull (script);
  g_assert_null (strstr (script + 1, "<script"));
  g_assert_null (strstr (page, "alert('x')"));
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* No texts at all: no heading, caption, credit or date labels, neutral title and alt texts
 * and handle name. */
static void
test_no_texts (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "bare.html", NULL);
  cairo_surface_t *image = make_image (colour_a, colour_c, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;

  g_assert_true (sl_export_html_write (path, image, image, NULL, 2.0, FALSE, &error));
  g_assert_no_error (error);
  cairo_surface_destroy (image);
  page = read_text (path);
  g_assert_nonnull (strstr (page, "<title>Before – After</title>"));
  g_assert_nonnull (strstr (page, "alt=\"Image of before\""));
  g_assert_nonnull (strstr (page, "alt=\"Image of after\""));
  g_assert_nonnull (strstr (page, "aria-label=\"Divider between before and after\""));
  /* The divider is clamped to the right edge. */
  g_assert_nonnull (strstr (page, "aria-valuenow=\"100.00\""));
  g_assert_null (strstr (page, "<span class=\"sl-label\""));
  g_assert_null (strstr (page, "<h1>"));
  g_assert_null (strstr (page, "<figcaption>"));
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_errors (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *blocker = g_build_filename (dir, "file", NULL);
  g_autofree char *bad = g_build_filename (blocker, "slider.html", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "slider.html", NULL);
  cairo_surface_t *image = make_image (colour_a, colour_c, 0, 0);
  g_autoptr(GDir) d = NULL;
  const char *name;

  sl_test_write_bytes (blocker, "x", 1);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sl_export_html_write (i == 0 ? bad : missing, image, image, NULL, 0.5, FALSE, &error));
      g_assert_error (error, G_FILE_ERROR, (i == 0 ? G_FILE_ERROR_NOTDIR : G_FILE_ERROR_NOENT));
      g_assert_nonnull (strstr (error->message, "slider.html"));
      g_test_message ("%s", error->message);
    }
  cairo_surface_destroy (image);

  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_cmpstr (name, ==, "file");
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

/* --- in Chromium --- */

typedef struct
{
  char *dir;
  char *chromium;
} Browser;

static gboolean
browser_init (Browser *b)
{
  b->chromium = g_find_program_in_path ("chromium");
  if (b->chromium == NULL)
    b->chromium = g_find_program_in_path ("chromium-browser");
  if (b->chromium == NULL)
    {
      g_test_skip ("chromium is not installed");
      return FALSE;
    }
  b->dir = sl_test_tmpdir_new ();
  return TRUE;
}

static void
browser_clear (Browser *b)
{
  g_free (b->chromium);
  sl_test_tmpdir_free (g_steal_pointer (&b->dir));
}

/* Runs headless Chromium on @page at @width×@height CSS pixels with @action
 * ("--dump-dom" or "--screenshot=…"); returns its standard output. */
static char *
run_chromium (Browser *b, const char *page, int width, int height, const char *action)
{
  g_autofree char *profile = g_strdup_printf ("--user-data-dir=%s/profile", b->dir);
  g_autofree char *size = g_strdup_printf ("--window-size=%d,%d", width, height);
  g_autofree char *uri = g_filename_to_uri (page, NULL, NULL);
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = sl_test_run (&out, &err, "timeout", "120", b->chromium, "--headless=new", "--no-sandbox",
                        "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                        "--disable-extensions", "--disable-background-networking", "--disable-sync",
                        "--mute-audio", "--hide-scrollbars", "--force-device-scale-factor=1",
                        "--virtual-time-budget=5000", profile, size, action, uri, NULL);
  if (status != 0)
    g_error ("chromium %s failed (status %d): %s", action, status, err);

  return out;
}

/* The page with a driver script at its end: keys on the handle, then a pointer drag, and
 * the layout, reported as "key=value;" pairs in the title. */
static const char driver[] =
  "<script>\n"
  "window.addEventListener('load', function () {\n"
  "  var frame = document.querySelector('.sl-frame');\n"
  "  var handle = document.querySelector('[role=slider]');\n"
  "  var before = document.querySelector('.sl-before');\n"
  "  var horizontal = handle.getAttribute('aria-orientation') === 'vertical';\n"
  "  var out = [];\n"
  "  function rect(sel) { var r = document.querySelector(sel).getBoundingClientRect();\n"
  "    return [r.left, r.top, r.width, r.height].map(Math.round).join(','); }\n"
  "  function now() { return handle.getAttribute('aria-valuenow'); }\n"
  "  out.push('frame=' + rect('.sl-frame'), 'credit=' + rect('.sl-credit'), 'h1=' + rect('h1'),\n"
  "           'labelA=' + rect('.sl-before .sl-label'), 'labelB=' + rect('.sl-after .sl-label'),\n"
  "           'initial=' + now(), 'viewport=' + document.documentElement.clientWidth);\n"
  "  handle.focus();\n"
  "  out.push('focused=' + (document.activeElement === handle));\n"
  "  var keys = ['ArrowRight', 'ArrowRight', 'ArrowUp', 'PageUp', 'ArrowLeft', 'ArrowDown',\n"
  "              'PageDown', 'Home', 'ArrowLeft', 'End', 'ArrowRight', 'PageUp'];\n"
  "  var seen = [];\n"
  "  keys.forEach(function (k) {\n"
  "    var e = new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true});\n"
  "    document.activeElement.dispatchEvent(e);\n"
  "    seen.push(now() + (e.defaultPrevented ? '' : 'x'));\n"
  "  });\n"
  "  out.push('keys=' + seen.join(','));\n"
  "  out.push('valuetext=' + handle.getAttribute('aria-valuetext'));\n"
  "  out.push('clipEnd=' + getComputedStyle(before).clipPath.replace(/ /g, '_'));\n"
  "  var r = frame.getBoundingClientRect();\n"
  "  function at(f) { return horizontal ? [r.left + r.width / 3, r.top + f * r.height]\n"
  "                                     : [r.left + f * r.width, r.top + r.height / 3]; }\n"
  "  function pointer(type, f) {\n"
  "    var p = at(f);\n"
  "    var target = document.elementFromPoint(p[0], p[1]);\n"
  "    target.dispatchEvent(new PointerEvent(type, {pointerId: 7, pointerType: 'mouse', isPrimary: true,\n"
  "      button: 0, buttons: type === 'pointerup' ? 0 : 1, clientX: p[0], clientY: p[1],\n"
  "      bubbles: true, cancelable: true}));\n"
  "    return now();\n"
  "  }\n"
  "  handle.blur();\n"
  "  out.push('drag=' + [pointer('pointerdown', 0.25), pointer('pointermove', 0.6),\n"
  "                      pointer('pointermove', 0.8), pointer('pointerup', 0.8),\n"
  "                      pointer('pointermove', 0.1)].join(','));\n"
  "  out.push('refocused=' + (document.activeElement === handle));\n"
  "  out.push('clipDrag=' + getComputedStyle(before).clipPath.replace(/ /g, '_'));\n"
  "  document.title = out.join(';');\n"
  "});\n"
  "</script>\n";

/* Runs the driver on a copy of @page; returns its report as a table. */
static GHashTable *
drive (Browser *b, const char *page, int width, int height)
{
  g_autofree char *html = read_text (page);
  g_autofree char *copy = g_build_filename (b->dir, "driven.html", NULL);
  g_autofree char *dom = NULL;
  g_autofree char *title = NULL;
  g_auto(GStrv) pairs = NULL;
  g_autoptr(GString) driven = g_string_new (html);
  GHashTable *report = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *start, *end;

  g_assert_cmpint (g_string_replace (driven, "</body>", driver, 1), ==, 1);
  g_string_append (driven, "</body>\n");
  g_assert_true (g_file_set_contents (copy, driven->str, driven->len, NULL));

  dom = run_chromium (b, copy, width, height, "--dump-dom");
  start = strstr (dom, "<title>");
  end = start ? strstr (start, "</title>") : NULL;
  g_assert_nonnull (end);
  title = g_strndup (start + 7, end - start - 7);
  g_test_message ("driver report at %dx%d: %s", width, height, title);
  pairs = g_strsplit (title, ";", -1);
  for (int i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq != NULL)
        g_hash_table_insert (report, g_strndup (pairs[i], eq - pairs[i]), g_strdup (eq + 1));
    }
  if (!g_hash_table_contains (report, "drag"))
    g_error ("the driver did not finish: title “%s”", title);

  return report;
}

static void
parse_rect (GHashTable *report, const char *key, int rect[4])
{
  const char *value = g_hash_table_lookup (report, key);

  g_assert_nonnull (value);
  g_assert_cmpint (sscanf (value, "%d,%d,%d,%d", &rect[0], &rect[1], &rect[2], &rect[3]), ==, 4);
}

static const guint8 *
pixel (cairo_surface_t *shot, int x, int y)
{
  static guint8 rgb[3];
  const guint8 *data = cairo_image_surface_get_data (shot);
  guint32 p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (shot));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (shot));
  p = ((const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (shot)))[x];
  rgb[0] = (p >> 16) & 0xff;
  rgb[1] = (p >> 8) & 0xff;
  rgb[2] = p & 0xff;

  return rgb;
}

/* Pixels in @rect darker than the white page: text. */
static int
count_ink (cairo_surface_t *shot, const int rect[4])
{
  int n = 0;

  for (int y = rect[1]; y < rect[1] + rect[3]; y++)
    for (int x = rect[0]; x < rect[0] + rect[2]; x++)
      {
        const guint8 *p = pixel (shot, x, y);

        n += (p[0] + p[1] + p[2]) < 3 * 160;
      }

  return n;
}

static void
check_in_browser (gboolean horizontal)
{
  Browser b = { NULL, };
  g_autofree char *page = NULL;
  g_autofree char *shot_path = NULL;
  g_autofree char *shot_arg = NULL;
  g_autoptr(GHashTable) report = NULL;
  g_autoptr(GHashTable) narrow = NULL;
  g_autofree char *out = NULL;
  cairo_surface_t *shot;
  int frame[4], credit[4], h1[4], label_a[4], label_b[4];
  double fx, fy;
  int viewport;

  if (!browser_init (&b))
    return;
  page = write_page (b.dir, horizontal ? "horizontal.html" : "vertical.html", horizontal, 0.5);

  report = drive (&b, page, 800, 900);
  g_assert_cmpstr (g_hash_table_lookup (report, "initial"), ==, "50");
  g_assert_cmpstr (g_hash_table_lookup (report, "focused"), ==, "true");
  /* Keys move the divider the way it looks: Right/Up (Down/Right for a horizontal divider)
   * one step forward, Page Up/Down ten, Home/End to the ends; every key is consumed. */
  if (horizontal)
    g_assert_cmpstr (g_hash_table_lookup (report, "keys"), ==, "51,52,51,41,40,41,51,0,0,100,100,90");
  else
    g_assert_cmpstr (g_hash_table_lookup (report, "keys"), ==, "51,52,53,63,62,61,51,0,0,100,100,100");
  g_assert_cmpstr (g_hash_table_lookup (report, "valuetext"), ==,
                   horizontal ? "90%: 21 Feb 2022 above, 3 Mar \"2022\" below"
                              : "100%: 21 Feb 2022 on the left, 3 Mar \"2022\" on the right");
  /* The before image is cut at the divider. */
  g_assert_cmpstr (g_hash_table_lookup (report, "clipEnd"), ==,
                   horizontal ? "inset(0px_0px_10%)" : "inset(0px_0%_0px_0px)");
  /* Pointer drag: down at 25 %, moves to 60 % and 80 %, up; a move after the release does
   * nothing. Pressing also focuses the handle, so the keys work right after. */
  g_assert_cmpstr (g_hash_table_lookup (report, "drag"), ==, "25,60,80,80,80");
  g_assert_cmpstr (g_hash_table_lookup (report, "refocused"), ==, "true");
  g_assert_cmpstr (g_hash_table_lookup (report, "clipDrag"), ==,
                   horizontal ? "inset(0px_0px_20%)" : "inset(0px_20%_0px_0px)");

  /* Full size in a wide window (never upscaled), the window's width in a narrow one, the
   * aspect ratio kept. */
  parse_rect (report, "frame", frame);
  g_assert_cmpint (frame[2], ==, W);
  g_assert_cmpint (frame[3], ==, H);
  narrow = drive (&b, page, 400, 900);   /* headless Chromium makes it at least 500 wide */
  viewport = atoi (g_hash_table_lookup (narrow, "viewport"));
  g_assert_cmpint (viewport, <, W);
  parse_rect (narrow, "frame", frame);
  g_assert_cmpint (frame[2], ==, viewport - 2 * 16);
  g_assert_cmpint (ABS (frame[3] - (viewport - 2 * 16) * H / W), <=, 1);

  /* A screenshot of the page as written. */
  shot_path = g_build_filename (b.dir, "shot.png", NULL);
  shot_arg = g_strdup_printf ("--screenshot=%s", shot_path);
  out = run_chromium (&b, page, 800, 900, shot_arg);
  shot = cairo_image_surface_create_from_png (shot_path);
  g_assert_cmpint (cairo_surface_status (shot), ==, CAIRO_STATUS_SUCCESS);
  if (g_getenv ("SL_TEST_KEEP_SCREENSHOT") != NULL)
    {
      g_autofree char *keep = g_strdup_printf ("%s/html-slider-%s.png", g_getenv ("SL_TEST_KEEP_SCREENSHOT"),
                                               horizontal ? "horizontal" : "vertical");
      g_assert_cmpint (cairo_surface_write_to_png (shot, keep), ==, CAIRO_STATUS_SUCCESS);
    }
  parse_rect (report, "frame", frame);
  parse_rect (report, "credit", credit);
  parse_rect (report, "h1", h1);
  parse_rect (report, "labelA", label_a);
  parse_rect (report, "labelB", label_b);
  fx = frame[2] / (double) W;
  fy = frame[3] / (double) H;
  /* Before on one side of the divider, after on the other, each with its box (the before
   * box lies on before's side, the after box on after's side, in both orientations). */
  if (horizontal)
    {
      assert_close (pixel (shot, frame[0] + frame[2] * 0.75, frame[1] + frame[3] * 0.3), colour_a, 12, "above the divider");
      assert_close (pixel (shot, frame[0] + frame[2] * 0.3, frame[1] + frame[3] * 0.7), colour_b, 12, "below the divider");
    }
  else
    {
      assert_close (pixel (shot, frame[0] + frame[2] * 0.3, frame[1] + frame[3] * 0.6), colour_a, 12, "left of the divider");
      assert_close (pixel (shot, frame[0] + frame[2] * 0.7, frame[1] + frame[3] * 0.4), colour_b, 12, "right of the divider");
    }
  assert_close (pixel (shot, frame[0] + 80 * fx, frame[1] + 80 * fy), colour_c, 12, "before's box");
  assert_close (pixel (shot, frame[0] + 520 * fx, frame[1] + 320 * fy), colour_d, 12, "after's box");
  /* The divider line is white. */
  if (horizontal)
    assert_close (pixel (shot, frame[0] + frame[2] / 4, frame[1] + frame[3] / 2), (Rgb) { 255, 255, 255 }, 40, "divider");
  else
    assert_close (pixel (shot, frame[0] + frame[2] / 2, frame[1] + frame[3] / 4), (Rgb) { 255, 255, 255 }, 40, "divider");
  /* Labels: dark boxes with white text; title and credit: dark text on the white page. */
  g_assert_cmpint (label_a[2], >, 40);
  g_assert_cmpint (label_b[2], >, 40);
  g_assert_cmpint (count_ink (shot, label_a), >, label_a[2] * label_a[3] / 2);
  g_assert_cmpint (count_ink (shot, label_b), >, label_b[2] * label_b[3] / 2);
  g_assert_cmpint (count_ink (shot, credit), >, 100);
  g_assert_cmpint (count_ink (shot, h1), >, 200);
  g_assert_cmpint (credit[1], >, frame[1] + frame[3]);
  cairo_surface_destroy (shot);
  browser_clear (&b);
}

static void
test_chromium_vertical (void)
{
  check_in_browser (FALSE);
}

static void
test_chromium_horizontal (void)
{
  check_in_browser (TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/export-html/self-contained", test_self_contained);
  g_test_add_func ("/export-html/texts-escaped-accessible", test_texts_and_accessibility);
  g_test_add_func ("/export-html/no-texts", test_no_texts);
  g_test_add_func ("/export-html/errors-leave-nothing-behind", test_errors);
  g_test_add_func ("/export-html/chromium-vertical-divider", test_chromium_vertical);
  g_test_add_func ("/export-html/chromium-horizontal-divider", test_chromium_horizontal);

  return g_test_run ();
}
