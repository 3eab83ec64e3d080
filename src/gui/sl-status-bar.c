/* sl-status-bar.c — the status line under a scene pane: where the pointer is, zoom, scale
 *
 * The site CRS is parsed once per grid, with one OGR transform to WGS 84 kept for the
 * latitude/longitude (traditional GIS axis order on both sides: x = easting or longitude).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-status-bar"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <ogr_srs_api.h>

#include "sl-scene-row.h"
#include "sl-status-bar.h"

/* Screen pixels are taken as 1/96 inch, as CSS and GIS software do for map scales. */
#define METRES_PER_SCREEN_PIXEL (0.0254 / 96)
/* Length of a degree of latitude, for a scale on a geographic CRS. */
#define METRES_PER_DEGREE 111319.49

struct _SlStatusBar
{
  GtkWidget     parent_instance;

  SlSceneView  *view;
  SlViewport   *viewport;     /* the view's, followed for the zoom */
  SlProject    *project;
  SlScene      *scene;        /* the view's scene, for its pixel placement */
  SlPyramidJobs *jobs;
  gint64        build_scene_id;  /* the scene build_date names */
  char         *build_date;
  char         *build_name;

  SlSiteGrid   *grid;         /* the CRS below is this grid's */
  char         *crs_short;    /* "UTM 36N"; NULL: pixel space */
  gboolean      geographic;
  double        metres_per_unit;  /* 0: unknown */
  OGRCoordinateTransformationH to_wgs84;

  GtkWidget    *box;
  GtkLabel     *labels[SL_STATUS_N_FIELDS];
  GtkSpinner   *spinner;
  GtkWidget    *build_box;
};

G_DEFINE_FINAL_TYPE (SlStatusBar, sl_status_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEW,
  PROP_PROJECT,
  PROP_JOBS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_text (SlStatusBar   *self,
          SlStatusField  field,
          const char    *text)
{
  GtkLabel *label = self->labels[field];

  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

static void
clear_crs (SlStatusBar *self)
{
  g_clear_pointer (&self->grid, sl_site_grid_unref);
  g_clear_pointer (&self->crs_short, g_free);
  g_clear_pointer (&self->to_wgs84, OCTDestroyCoordinateTransformation);
  self->geographic = FALSE;
  self->metres_per_unit = 0;
}

/* Parses the CRS of the viewport's grid when the grid changed. */
static void
update_crs (SlStatusBar *self)
{
  SlSiteGrid *grid = self->viewport != NULL ? sl_viewport_get_grid (self->viewport) : NULL;
  OGRSpatialReferenceH srs, wgs84;
  const char *wkt;

  if (grid == self->grid)
    return;
  clear_crs (self);
  if (grid == NULL)
    return;
  self->grid = sl_site_grid_ref (grid);

  wkt = sl_site_grid_get_crs_wkt (grid);
  if (wkt == NULL || *wkt == '\0')
    return;

  srs = OSRNewSpatialReference (NULL);
  if (OSRImportFromWkt (srs, (char **) &wkt) != OGRERR_NONE)
    {
      g_warning ("Cannot read the site’s coordinate system");
      OSRDestroySpatialReference (srs);
      return;
    }
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  self->crs_short = sl_scene_row_shorten_crs_name (OSRGetName (srs) != NULL ? OSRGetName (srs) : _("Unnamed CRS"));
  self->geographic = OSRIsGeographic (srs);
  if (OSRIsProjected (srs))
    self->metres_per_unit = OSRGetLinearUnits (srs, NULL);
  else if (self->geographic)
    self->metres_per_unit = METRES_PER_DEGREE;

  wgs84 = OSRNewSpatialReference (NULL);
  if (OSRImportFromEPSG (wgs84, 4326) == OGRERR_NONE)
    {
      OSRSetAxisMappingStrategy (wgs84, OAMS_TRADITIONAL_GIS_ORDER);
      if (!self->geographic)
        self->to_wgs84 = OCTNewCoordinateTransformation (srs, wgs84);
    }
  OSRDestroySpatialReference (wgs84);
  OSRDestroySpatialReference (srs);
}

/* 54.57123° N, 33.08912° E */
static char *
format_lat_lon (double lat,
                double lon)
{
  /* Translators: latitude and longitude; N/S and E/W are the hemispheres */
  return g_strdup_printf (_("%.5f° %s, %.5f° %s"),
                          fabs (lat), lat >= 0 ? _("N") : _("S"),
                          fabs (lon), lon >= 0 ? _("E") : _("W"));
}

static void
update_position (SlStatusBar *self)
{
  g_autofree char *pixel = NULL;
  g_autofree char *map = NULL;
  g_autofree char *lat_lon = NULL;
  double sx, sy, t[6];

  update_crs (self);
  if (self->view == NULL || !sl_scene_view_get_pointer (self->view, &sx, &sy))
    {
      set_text (self, SL_STATUS_FIELD_PIXEL, "");
      set_text (self, SL_STATUS_FIELD_MAP, "");
      set_text (self, SL_STATUS_FIELD_LATLON, "");
      return;
    }

  /* The scene's own pixel: the inverse of its placement (none when it is warped). */
  if (self->scene != NULL && sl_scene_get_pixel_to_site (self->scene, t))
    {
      double det = t[1] * t[5] - t[2] * t[4];
      double col = (t[5] * (sx - t[0]) - t[2] * (sy - t[3])) / det;
      double row = (t[1] * (sy - t[3]) - t[4] * (sx - t[0])) / det;

      if (det != 0 && col >= 0 && row >= 0 &&
          col < sl_scene_get_width (self->scene) && row < sl_scene_get_height (self->scene))
        /* Translators: the scene pixel under the pointer, column and row */
        pixel = g_strdup_printf (_("Pixel %d, %d"), (int) floor (col), (int) floor (row));
    }
  set_text (self, SL_STATUS_FIELD_PIXEL, pixel != NULL ? pixel : _("Pixel —"));

  if (self->crs_short == NULL)
    map = g_strdup (_("Not georeferenced"));
  else if (self->geographic)
    lat_lon = format_lat_lon (sy, sx);
  else
    {
      double lon = sx, lat = sy;

      /* Translators: site coordinates (easting, northing) and the CRS's short name */
      map = g_strdup_printf (_("%.1f, %.1f (%s)"), sx, sy, self->crs_short);
      if (self->to_wgs84 != NULL && OCTTransform (self->to_wgs84, 1, &lon, &lat, NULL))
        lat_lon = format_lat_lon (lat, lon);
    }
  set_text (self, SL_STATUS_FIELD_MAP, map);
  set_text (self, SL_STATUS_FIELD_LATLON, lat_lon);
}

static void
update_zoom (SlStatusBar *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *scale = NULL;
  g_autofree char *tooltip = NULL;
  double percent, metres;

  update_crs (self);
  if (self->viewport == NULL || self->grid == NULL)
    {
      set_text (self, SL_STATUS_FIELD_ZOOM, "");
      set_text (self, SL_STATUS_FIELD_SCALE, "");
      return;
    }

  percent = sl_viewport_get_zoom (self->viewport) * 100;
  /* Translators: the zoom, e.g. "25 %" */
  zoom = g_strdup_printf (_("%.*f %%"), percent >= 10 ? 0 : percent >= 1 ? 1 : 2, percent);
  set_text (self, SL_STATUS_FIELD_ZOOM, zoom);

  if (self->metres_per_unit > 0)
    {
      metres = sl_viewport_get_resolution (self->viewport) * self->metres_per_unit;
      /* Translators: the map scale at 96 dots per inch, e.g. "1:4534" */
      scale = g_strdup_printf (_("1:%.0f"), metres / METRES_PER_SCREEN_PIXEL);
      /* Translators: ground distance covered by one pixel of the screen */
      tooltip = g_strdup_printf (_("%.3g m per screen pixel; scale at 96 dpi"), metres);
    }
  set_text (self, SL_STATUS_FIELD_SCALE, scale);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->labels[SL_STATUS_FIELD_SCALE]), tooltip);
}

static void
update_loading (SlStatusBar *self)
{
  guint n = self->view != NULL ? sl_scene_view_get_pending_tiles (self->view) : 0;
  g_autofree char *text = NULL;

  if (n > 0)
    /* Translators: tiles of the image still being read or decoded */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Loading %u tile…", "Loading %u tiles…", n), n);
  set_text (self, SL_STATUS_FIELD_LOADING, text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), n > 0);
  gtk_spinner_set_spinning (self->spinner, n > 0);
}

/* The date and name of the scene being built, looked up once per scene. */
static void
describe_build_scene (SlStatusBar *self,
                      gint64       scene_id)
{
  g_autoptr(SlScene) scene = NULL;

  if (scene_id == self->build_scene_id)
    return;
  self->build_scene_id = scene_id;
  g_clear_pointer (&self->build_date, g_free);
  g_clear_pointer (&self->build_name, g_free);
  if (self->project != NULL)
    scene = sl_project_get_scene (self->project, scene_id, NULL);
  if (scene != NULL && sl_scene_get_acquired (scene) != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (sl_scene_get_acquired (scene));

      /* Translators: the acquisition date of the scene being built, see g_date_time_format() */
      self->build_date = g_date_time_format (utc, _("%-d %b %Y"));
    }
  if (scene != NULL)
    self->build_name = sl_scene_get_label (scene) != NULL && *sl_scene_get_label (scene) != '\0'
                       ? g_strdup (sl_scene_get_label (scene))
                       : g_path_get_basename (sl_scene_get_source_path (scene));
}

static void
update_build (SlStatusBar *self)
{
  gint64 id = self->jobs != NULL ? sl_pyramid_jobs_get_scene_id (self->jobs) : 0;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *what;
  gboolean full;

  gtk_widget_set_visible (self->build_box, id > 0);
  if (id <= 0)
    {
      set_text (self, SL_STATUS_FIELD_BUILD, "");
      return;
    }

  describe_build_scene (self, id);
  full = sl_pyramid_jobs_get_mode (self->jobs) == SL_PYRAMID_FULL;
  what = full ? _("Caching full resolution") : _("Building overviews");
  /* Translators: background work, the scene's date and the progress: "Building overviews · 18 Jan 2022 · 45 %" */
  text = g_strdup_printf (_("%s · %s · %d %%"), what,
                          self->build_date != NULL ? self->build_date : _("Undated"),
                          (int) floor (sl_pyramid_jobs_get_fraction (self->jobs) * 100));
  if (full)
    /* Translators: %s is a scene's label or file name */
    tooltip = g_strdup_printf (_("Storing every zoom level of “%s” in the project, so it is never decoded "
                                 "while you pan"), self->build_name != NULL ? self->build_name : "");
  else
    /* Translators: %s is a scene's label or file name */
    tooltip = g_strdup_printf (_("Storing the zoomed-out levels of “%s” in the project: the image has no "
                                 "overviews"), self->build_name != NULL ? self->build_name : "");
  set_text (self, SL_STATUS_FIELD_BUILD, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->labels[SL_STATUS_FIELD_BUILD]), tooltip);
}

static void
reload_scene (SlStatusBar *self)
{
  gint64 id = self->view != NULL ? sl_scene_view_get_scene_id (self->view) : 0;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->scene);
  if (self->project != NULL && id > 0)
    {
      self->scene = sl_project_get_scene (self->project, id, &error);
      if (self->scene == NULL)
        g_debug ("No placement for scene %" G_GINT64_FORMAT ": %s", id, error->message);
    }
  update_position (self);
  /* Its date or label may have changed too. */
  self->build_scene_id = 0;
  update_build (self);
}

static void
on_viewport_changed (SlStatusBar *self)
{
  update_zoom (self);
}

static void
set_viewport (SlStatusBar *self,
              SlViewport  *viewport)
{
  if (self->viewport == viewport)
    return;
  if (self->viewport != NULL)
    g_signal_handlers_disconnect_by_func (self->viewport, on_viewport_changed, self);
  g_set_object (&self->viewport, viewport);
  if (viewport != NULL)
    {
      g_signal_connect_object (viewport, "notify::resolution", G_CALLBACK (on_viewport_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (viewport, "notify::zoom", G_CALLBACK (on_viewport_changed), self, G_CONNECT_SWAPPED);
    }
  update_zoom (self);
  update_position (self);
}

static void
on_view_viewport_changed (SlStatusBar *self)
{
  set_viewport (self, self->view != NULL ? sl_scene_view_get_viewport (self->view) : NULL);
}

static void
disconnect_view (SlStatusBar *self)
{
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
}

static void
sl_status_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SlStatusBar *self = SL_STATUS_BAR (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;

    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_status_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SlStatusBar *self = SL_STATUS_BAR (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      sl_status_bar_set_view (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      sl_status_bar_set_project (self, g_value_get_object (value));
      break;

    case PROP_JOBS:
      sl_status_bar_set_jobs (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_status_bar_dispose (GObject *object)
{
  SlStatusBar *self = SL_STATUS_BAR (object);

  disconnect_view (self);
  set_viewport (self, NULL);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_STATUS_BAR);
  g_clear_object (&self->view);
  g_clear_object (&self->project);
  g_clear_object (&self->scene);
  g_clear_object (&self->jobs);
  g_clear_pointer (&self->build_date, g_free);
  g_clear_pointer (&self->build_name, g_free);
  clear_crs (self);

  G_OBJECT_CLASS (sl_status_bar_parent_class)->dispose (object);
}

static void
sl_status_bar_class_init (SlStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_status_bar_get_property;
  object_class->set_property = sl_status_bar_set_property;
  object_class->dispose = sl_status_bar_dispose;

  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL,
                         SL_TYPE_SCENE_VIEW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         SL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOBS] =
    g_param_spec_object ("jobs", NULL, NULL,
                         SL_TYPE_PYRAMID_JOBS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SlStatusBar, box);
  gtk_widget_class_bind_template_child (widget_class, SlStatusBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, SlStatusBar, build_box);
  gtk_widget_class_bind_template_child_full (widget_class, "pixel_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_PIXEL]));
  gtk_widget_class_bind_template_child_full (widget_class, "map_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_MAP]));
  gtk_widget_class_bind_template_child_full (widget_class, "latlon_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_LATLON]));
  gtk_widget_class_bind_template_child_full (widget_class, "zoom_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_ZOOM]));
  gtk_widget_class_bind_template_child_full (widget_class, "scale_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_SCALE]));
  gtk_widget_class_bind_template_child_full (widget_class, "loading_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_LOADING]));
  gtk_widget_class_bind_template_child_full (widget_class, "build_label", FALSE,
                                             G_STRUCT_OFFSET (SlStatusBar, labels[SL_STATUS_FIELD_BUILD]));

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statusbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
sl_status_bar_init (SlStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < SL_STATUS_N_FIELDS; i++)
    set_text (self, i, "");
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
}

GtkWidget *
sl_status_bar_new (void)
{
  return g_object_new (SL_TYPE_STATUS_BAR, NULL);
}

SlSceneView *
sl_status_bar_get_view (SlStatusBar *self)
{
  g_return_val_if_fail (SL_IS_STATUS_BAR (self), NULL);

  return self->view;
}

void
sl_status_bar_set_view (SlStatusBar *self,
                        SlSceneView *view)
{
  g_return_if_fail (SL_IS_STATUS_BAR (self));
  g_return_if_fail (view == NULL || SL_IS_SCENE_VIEW (view));

  if (self->view == view)
    return;

  disconnect_view (self);
  g_set_object (&self->view, view);
  if (view != NULL)
    {
      g_signal_connect_swapped (view, "pointer-changed", G_CALLBACK (update_position), self);
      g_signal_connect_swapped (view, "notify::pending-tiles", G_CALLBACK (update_loading), self);
      g_signal_connect_swapped (view, "notify::scene-id", G_CALLBACK (reload_scene), self);
      g_signal_connect_swapped (view, "notify::viewport", G_CALLBACK (on_view_viewport_changed), self);
    }

  on_view_viewport_changed (self);
  reload_scene (self);
  update_loading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

SlProject *
sl_status_bar_get_project (SlStatusBar *self)
{
  g_return_val_if_fail (SL_IS_STATUS_BAR (self), NULL);

  return self->project;
}

void
sl_status_bar_set_project (SlStatusBar *self,
                           SlProject   *project)
{
  g_return_if_fail (SL_IS_STATUS_BAR (self));
  g_return_if_fail (project == NULL || SL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  self->build_scene_id = 0;
  /* A scene's placement changes when it is registered. */
  if (project != NULL)
    g_signal_connect_swapped (project, "scenes-changed", G_CALLBACK (reload_scene), self);

  reload_scene (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

SlPyramidJobs *
sl_status_bar_get_jobs (SlStatusBar *self)
{
  g_return_val_if_fail (SL_IS_STATUS_BAR (self), NULL);

  return self->jobs;
}

void
sl_status_bar_set_jobs (SlStatusBar   *self,
                        SlPyramidJobs *jobs)
{
  g_return_if_fail (SL_IS_STATUS_BAR (self));
  g_return_if_fail (jobs == NULL || SL_IS_PYRAMID_JOBS (jobs));

  if (self->jobs == jobs)
    return;

  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  g_set_object (&self->jobs, jobs);
  self->build_scene_id = 0;
  if (jobs != NULL)
    {
      g_signal_connect_swapped (jobs, "notify::scene-id", G_CALLBACK (update_build), self);
      g_signal_connect_swapped (jobs, "notify::fraction", G_CALLBACK (update_build), self);
    }

  update_build (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

const char *
_sl_status_bar_get_text (SlStatusBar   *self,
                         SlStatusField  field)
{
  g_return_val_if_fail (SL_IS_STATUS_BAR (self), NULL);
  g_return_val_if_fail (field < SL_STATUS_N_FIELDS, NULL);

  return gtk_label_get_label (self->labels[field]);
}
