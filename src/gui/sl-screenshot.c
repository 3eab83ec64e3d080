/* sl-screenshot.c — a project window, set up from the command line, rendered to a PNG when complete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-screenshot"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "sl-screenshot.h"
#include "sl-window-private.h"

/* Tiles and thumbnails get this long before the screenshot fails. */
#define TIMEOUT_S 120
/* Thumbnails that never come (a scene that cannot be placed) are waited for this long. */
#define THUMBNAILS_TIMEOUT_S 15
/* Frames in a row that must find everything loaded. */
#define SETTLED_FRAMES 3

struct _SlScreenshot
{
  GObject        parent_instance;

  char          *output;
  gboolean       has_mode;
  SlCompareMode  mode;
  char         **dates;
  gboolean       has_swipe;
  double         swipe;
  gboolean       has_center;
  double         center_x, center_y;
  gboolean       has_zoom;
  double         zoom;
  int            width, height;

  SlWindow      *window;
  guint          tick_id;
  gint64         started;
  guint          settled_frames;
  gboolean       finished;
};

G_DEFINE_FINAL_TYPE (SlScreenshot, sl_screenshot, G_TYPE_OBJECT)
G_DEFINE_QUARK (sl-screenshot-error-quark, sl_screenshot_error)

enum
{
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
parse_pair (const char *text,
            char        separator,
            double     *a,
            double     *b)
{
  g_auto(GStrv) parts = NULL;
  char sep[2] = { separator, '\0' };
  char *end;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, sep, -1);
  if (g_strv_length (parts) != 2)
    return FALSE;
  *a = g_ascii_strtod (parts[0], &end);
  if (end == parts[0] || *end != '\0' || !isfinite (*a))
    return FALSE;
  *b = g_ascii_strtod (parts[1], &end);
  return end != parts[1] && *end == '\0' && isfinite (*b);
}

/* A scene id ("12") or the start of an ISO date-time in UTC ("2022-03-14", "2022-03-14T09"). */
static gint64
find_scene (GPtrArray   *scenes,
            const char  *token,
            GError     **error)
{
  char *end;
  gint64 id = g_ascii_strtoll (token, &end, 10);

  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = scenes->pdata[i];
      GDateTime *acquired = sl_scene_get_acquired (scene);
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *iso = NULL;

      if (*end == '\0' && end != token)
        {
          if (sl_scene_get_id (scene) == id)
            return id;
          continue;
        }
      if (acquired == NULL)
        continue;
      utc = g_date_time_to_utc (acquired);
      iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
      if (g_str_has_prefix (iso, token))
        return sl_scene_get_id (scene);
    }
  g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_NO_SCENE,
               _("No scene of the project matches the date ‘%s’"), token);
  return 0;
}

/* The comparison the options ask for, on top of the one the project saved. */
static gboolean
apply_options (SlScreenshot  *self,
               GError       **error)
{
  SlCompareView *view = _sl_window_get_compare_view (self->window);
  SlProject *project = sl_window_get_project (self->window);
  SlViewport *viewport = sl_compare_view_get_viewport (view);
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, error);
  SlCompareState state;
  guint n_dates = self->dates != NULL ? g_strv_length (self->dates) : 0;
  gint64 ids[SL_COMPARE_MAX_PANES] = { 0 };

  if (scenes == NULL)
    return FALSE;
  for (guint i = 0; i < n_dates; i++)
    if ((ids[i] = find_scene (scenes, self->dates[i], error)) == 0)
      return FALSE;

  sl_compare_view_get_state (view, &state);
  if (self->has_mode)
    state.mode = self->mode;
  if (n_dates > 0)
    {
      if (state.mode == SL_COMPARE_GRID)
        {
          state.grid_count = CLAMP (n_dates, 2, SL_COMPARE_MAX_PANES);
          for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
            state.grid[i] = ids[i];
          state.current = ids[n_dates - 1];
        }
      else if (state.mode == SL_COMPARE_SINGLE || n_dates == 1)
        state.current = ids[n_dates == 1 ? 0 : 1];
      else
        {
          state.pair[0] = (SlPaneBinding) { ids[0], -1 };
          state.pair[1] = (SlPaneBinding) { ids[1], 0 };
          state.current = ids[1];
        }
    }
  if (self->has_swipe)
    state.swipe = CLAMP (self->swipe, 0.0, 1.0);

  state.has_view = FALSE;
  sl_compare_view_set_state (view, &state);

  if ((self->has_zoom || self->has_center) && sl_viewport_get_grid (viewport) != NULL)
    {
      SlTileCache *cache = sl_compare_view_get_cache (view);
      SlBounds footprint;

      if (self->has_zoom)
        sl_viewport_set_zoom (viewport, self->zoom);
      if (self->has_center)
        sl_viewport_set_center (viewport, self->center_x, self->center_y);
      else if (cache != NULL && sl_tile_cache_get_footprint (cache, sl_compare_view_get_current (view), &footprint))
        /* A zoom alone: on the middle of the current date. */
        sl_viewport_set_center (viewport, (footprint.min_x + footprint.max_x) / 2,
                                (footprint.min_y + footprint.max_y) / 2);
      /* With the view: no pane fits over it. */
      sl_compare_view_get_state (view, &state);
      sl_compare_view_set_state (view, &state);
    }
  return TRUE;
}

static void
finish (SlScreenshot *self,
        GError       *error)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  if (self->tick_id != 0 && self->window != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->window), self->tick_id);
  self->tick_id = 0;
  g_signal_emit (self, signals[DONE], 0, error);
}

static gboolean
render (SlScreenshot  *self,
        GError       **error)
{
  GtkWidget *widget = GTK_WIDGET (self->window);
  int scale = gtk_widget_get_scale_factor (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  GdkRGBA background = { 0.98f, 0.98f, 0.98f, 1 };

  /* The window's own children as it draws them, on the window's background (a toplevel
   * cannot be snapshotted whole from outside: GtkWidgetPaintable draws nothing for it). */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color", &background);
G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_scale (snapshot, scale, scale);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
  node = gtk_snapshot_to_node (snapshot);
  if (node == NULL || renderer == NULL)
    {
      g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID,
                   _("Cannot render the window for ‘%s’ (%s)"), self->output,
                   node == NULL ? "nothing drawn" : "no renderer");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
  if (!gdk_texture_save_to_png (texture, self->output))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write ‘%s’"), self->output);
      return FALSE;
    }
  return TRUE;
}

static gboolean
thumbnails_ready (SlScreenshot *self)
{
  SlCompareView *view = _sl_window_get_compare_view (self->window);
  SlSceneThumbnails *thumbnails = self->window->thumbnails;
  GListModel *scenes = sl_scene_list_get_model (_sl_window_get_scene_list (self->window));

  if (thumbnails == NULL || sl_compare_view_get_cache (view) == NULL)
    return TRUE;
  if (g_get_monotonic_time () - self->started > THUMBNAILS_TIMEOUT_S * G_USEC_PER_SEC)
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (scenes, i);

      if (sl_scene_thumbnails_lookup (thumbnails, sl_scene_get_id (scene)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_complete (SlScreenshot *self)
{
  SlCompareView *view = _sl_window_get_compare_view (self->window);
  SlTileCache *cache = sl_compare_view_get_cache (view);
  SlTileCacheStats stats = { 0 };

  if (cache != NULL)
    sl_tile_cache_get_stats (cache, &stats);
  return gtk_widget_get_mapped (GTK_WIDGET (view)) && sl_compare_view_is_settled (view) &&
         stats.queued == 0 && stats.running == 0 && thumbnails_ready (self);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  SlScreenshot *self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_get_monotonic_time () - self->started > TIMEOUT_S * G_USEC_PER_SEC)
    {
      g_set_error (&error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_TIMEOUT,
                   _("The view of ‘%s’ was still loading after %d s"),
                   sl_project_get_path (sl_window_get_project (self->window)), TIMEOUT_S);
      finish (self, error);
      return G_SOURCE_REMOVE;
    }

  self->settled_frames = is_complete (self) ? self->settled_frames + 1 : 0;
  /* Keep frames coming while waiting. */
  gtk_widget_queue_draw (widget);
  if (self->settled_frames < SETTLED_FRAMES)
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  if (!render (self, &error))
    finish (self, error);
  else
    finish (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
sl_screenshot_dispose (GObject *object)
{
  SlScreenshot *self = SL_SCREENSHOT (object);

  if (self->tick_id != 0 && self->window != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->window), self->tick_id);
  self->tick_id = 0;
  g_clear_object (&self->window);

  G_OBJECT_CLASS (sl_screenshot_parent_class)->dispose (object);
}

static void
sl_screenshot_finalize (GObject *object)
{
  SlScreenshot *self = SL_SCREENSHOT (object);

  g_free (self->output);
  g_strfreev (self->dates);

  G_OBJECT_CLASS (sl_screenshot_parent_class)->finalize (object);
}

static void
sl_screenshot_class_init (SlScreenshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_screenshot_dispose;
  object_class->finalize = sl_screenshot_finalize;

  /* The PNG is written (error NULL), or why not. */
  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_screenshot_init (SlScreenshot *self)
{
  self->width = 1400;
  self->height = 900;
}

SlScreenshot *
sl_screenshot_new (GVariantDict  *options,
                   GError       **error)
{
  g_autoptr(SlScreenshot) self = g_object_new (SL_TYPE_SCREENSHOT, NULL);
  const char *text = NULL;
  double width, height;

  g_return_val_if_fail (options != NULL, NULL);

  if (!g_variant_dict_lookup (options, "screenshot", "^&ay", &text) || text == NULL || *text == '\0')
    {
      g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID, _("--screenshot needs a file name"));
      return NULL;
    }
  self->output = g_strdup (text);

  if (g_variant_dict_lookup (options, "mode", "&s", &text))
    {
      if (!sl_compare_mode_from_string (text, &self->mode))
        {
          g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID,
                       _("Unknown mode ‘%s’ (single, grid, swipe, blend, blink or difference)"), text);
          return NULL;
        }
      self->has_mode = TRUE;
    }
  if (g_variant_dict_lookup (options, "dates", "&s", &text))
    {
      self->dates = g_strsplit (text, ",", -1);
      if (g_strv_length (self->dates) == 0 || g_strv_length (self->dates) > SL_COMPARE_MAX_PANES)
        {
          g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID,
                       _("--dates takes one to four dates or scene ids, not ‘%s’"), text);
          return NULL;
        }
      for (guint i = 0; self->dates[i] != NULL; i++)
        g_strstrip (self->dates[i]);
    }
  self->has_swipe = g_variant_dict_lookup (options, "swipe", "d", &self->swipe);
  if (self->has_swipe && !(self->swipe >= 0 && self->swipe <= 1))
    {
      g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID, _("--swipe takes a number from 0 to 1"));
      return NULL;
    }
  self->has_zoom = g_variant_dict_lookup (options, "zoom", "d", &self->zoom);
  if (self->has_zoom && !(self->zoom > 0 && isfinite (self->zoom)))
    {
      g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID, _("--zoom takes a positive number (1 is 100 %%)"));
      return NULL;
    }
  if (g_variant_dict_lookup (options, "center", "&s", &text))
    {
      if (!parse_pair (text, ',', &self->center_x, &self->center_y))
        {
          g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID,
                       _("--center takes X,Y in site coordinates, not ‘%s’"), text);
          return NULL;
        }
      self->has_center = TRUE;
    }
  if (g_variant_dict_lookup (options, "size", "&s", &text))
    {
      if (!parse_pair (text, 'x', &width, &height) || width < 320 || height < 240 || width > 8192 || height > 8192)
        {
          g_set_error (error, SL_SCREENSHOT_ERROR, SL_SCREENSHOT_ERROR_INVALID,
                       _("--size takes WIDTHxHEIGHT from 320x240 to 8192x8192, not ‘%s’"), text);
          return NULL;
        }
      self->width = (int) width;
      self->height = (int) height;
    }
  return g_steal_pointer (&self);
}

void
sl_screenshot_get_size (SlScreenshot *self,
                        int          *width,
                        int          *height)
{
  g_return_if_fail (SL_IS_SCREENSHOT (self));

  *width = self->width;
  *height = self->height;
}

void
sl_screenshot_start (SlScreenshot *self,
                     SlWindow     *window)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SL_IS_SCREENSHOT (self));
  g_return_if_fail (SL_IS_WINDOW (window));

  g_set_object (&self->window, window);
  _sl_window_set_saves_view (window, FALSE);
  self->started = g_get_monotonic_time ();
  if (!apply_options (self, &error))
    {
      finish (self, error);
      return;
    }
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, self, NULL);
}
