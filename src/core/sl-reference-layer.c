/* sl-reference-layer.c — a read-only vector overlay from any OGR file, drawn in every pane
 *
 * Geometry is flattened on load: one array of points for the whole file, parts (rings,
 * lines, points) as runs of it, features as runs of parts with their bounds, so drawing a
 * view is a scan of the bounds and a few cairo paths, with no allocation per frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-reference-layer"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <ogr_api.h>
#include <pango/pangocairo.h>

#include "sl-autocleanups-private.h"
#include "sl-project-private.h"
#include "sl-reference-layer.h"

#define META_KEY "reference_layers"
#define DEFAULT_COLOUR "#ffd400"
#define MAX_POINTS (20u * 1000 * 1000)
/* Logical pixels a feature must span on screen to carry its label; labels drawn at most. */
#define LABEL_MIN_PX 24.0
#define MAX_LABELS 400

typedef struct
{
  guint    first;     /* into points */
  guint    n;
  gboolean closed;    /* a ring */
} Part;

typedef struct
{
  SlBounds bounds;
  guint    first_part;
  guint    n_parts;
  guint    first_point;
  guint    n_points;
  char    *label;
} Feature;

struct _SlReferenceLayer
{
  GObject  parent_instance;

  char    *path;
  char    *name;
  char    *label_field;
  char    *colour;
  double   rgb[3];
  GArray  *points;    /* SlPoint */
  GArray  *parts;     /* Part */
  GArray  *features;  /* Feature */
  SlBounds bounds;
};

G_DEFINE_FINAL_TYPE (SlReferenceLayer, sl_reference_layer, G_TYPE_OBJECT)

G_DEFINE_QUARK (sl-reference-layer-error-quark, sl_reference_layer_error)

static gboolean
parse_colour (const char *text,
              double      rgb[3])
{
  guint64 value;
  char *end = NULL;

  if (text == NULL || text[0] != '#' || strlen (text) != 7)
    return FALSE;
  value = g_ascii_strtoull (text + 1, &end, 16);
  if (end == NULL || *end != '\0')
    return FALSE;
  rgb[0] = ((value >> 16) & 0xff) / 255.0;
  rgb[1] = ((value >> 8) & 0xff) / 255.0;
  rgb[2] = (value & 0xff) / 255.0;
  return TRUE;
}

static void
feature_clear (gpointer data)
{
  Feature *f = data;

  g_clear_pointer (&f->label, g_free);
}

/* Appends @geometry's parts (recursively for collections and polygons). */
static gboolean
add_geometry (SlReferenceLayer            *self,
              OGRGeometryH                 geometry,
              OGRCoordinateTransformationH ct,
              GError                     **error)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (geometry));
  int n_sub = OGR_G_GetGeometryCount (geometry);

  if (n_sub > 0)
    {
      for (int i = 0; i < n_sub; i++)
        if (!add_geometry (self, OGR_G_GetGeometryRef (geometry, i), ct, error))
          return FALSE;
      return TRUE;
    }

  {
    int n = OGR_G_GetPointCount (geometry);
    Part part = { self->points->len, 0, type == wkbLinearRing || type == wkbPolygon };
    double *xs, *ys;

    if (n <= 0)
      return TRUE;
    if (self->points->len + (guint) n > MAX_POINTS)
      {
        g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_TOO_LARGE,
                     "Cannot show ‘%s’: more than %u vertices", self->name, MAX_POINTS);
        return FALSE;
      }
    xs = g_new (double, n);
    ys = g_new (double, n);
    OGR_G_GetPoints (geometry, xs, sizeof (double), ys, sizeof (double), NULL, 0);
    if (ct != NULL && !OCTTransform (ct, n, xs, ys, NULL))
      {
        g_free (xs);
        g_free (ys);
        g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_CRS,
                     "Cannot show ‘%s’: a feature cannot be reprojected into the site CRS", self->name);
        return FALSE;
      }
    for (int i = 0; i < n; i++)
      {
        SlPoint p = { xs[i], ys[i] };

        if (!isfinite (p.x) || !isfinite (p.y))
          continue;
        g_array_append_val (self->points, p);
        part.n++;
      }
    g_free (xs);
    g_free (ys);
    if (part.n > 0)
      g_array_append_val (self->parts, part);
  }
  return TRUE;
}

static void
finish_feature (SlReferenceLayer *self,
                Feature          *f)
{
  const SlPoint *p = &g_array_index (self->points, SlPoint, f->first_point);

  f->n_parts = self->parts->len - f->first_part;
  f->n_points = self->points->len - f->first_point;
  f->bounds = (SlBounds) { p[0].x, p[0].y, p[0].x, p[0].y };
  for (guint i = 1; i < f->n_points; i++)
    {
      f->bounds.min_x = MIN (f->bounds.min_x, p[i].x);
      f->bounds.max_x = MAX (f->bounds.max_x, p[i].x);
      f->bounds.min_y = MIN (f->bounds.min_y, p[i].y);
      f->bounds.max_y = MAX (f->bounds.max_y, p[i].y);
    }
  if (self->features->len == 0)
    self->bounds = f->bounds;
  else
    {
      self->bounds.min_x = MIN (self->bounds.min_x, f->bounds.min_x);
      self->bounds.max_x = MAX (self->bounds.max_x, f->bounds.max_x);
      self->bounds.min_y = MIN (self->bounds.min_y, f->bounds.min_y);
      self->bounds.max_y = MAX (self->bounds.max_y, f->bounds.max_y);
    }
  g_array_append_val (self->features, *f);
}

static gboolean
read_layer (SlReferenceLayer   *self,
            OGRLayerH           layer,
            OGRSpatialReferenceH site,
            GError            **error)
{
  OGRSpatialReferenceH source = OGR_L_GetSpatialRef (layer);
  g_auto(SlOgrTransform) ct = NULL;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int label_index = -1;
  OGRFeatureH feature;

  if (self->label_field != NULL)
    {
      label_index = OGR_FD_GetFieldIndex (defn, self->label_field);
      if (label_index < 0)
        {
          g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN,
                       "Cannot show ‘%s’: it has no field ‘%s’", self->name, self->label_field);
          return FALSE;
        }
    }
  if (source != NULL && site == NULL)
    {
      g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_CRS,
                   "Cannot show ‘%s’ over this site: the site has no map coordinates (no georeferenced scene)",
                   self->name);
      return FALSE;
    }
  if (source != NULL && !OSRIsSame (source, site))
    {
      g_auto(SlOgrSrs) from = OSRClone (source);

      OSRSetAxisMappingStrategy (from, OAMS_TRADITIONAL_GIS_ORDER);
      ct = OCTNewCoordinateTransformation (from, site);
      if (ct == NULL)
        {
          g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_CRS,
                       "Cannot show ‘%s’: its CRS cannot be transformed into the site CRS", self->name);
          return FALSE;
        }
    }

  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH geometry = OGR_F_GetGeometryRef (feature);
      Feature f = { { 0 }, self->parts->len, 0, self->points->len, 0, NULL };
      gboolean ok = TRUE;

      if (geometry != NULL)
        ok = add_geometry (self, geometry, ct, error);
      if (ok && self->points->len > f.first_point)
        {
          if (label_index >= 0 && OGR_F_IsFieldSetAndNotNull (feature, label_index))
            f.label = g_strdup (OGR_F_GetFieldAsString (feature, label_index));
          finish_feature (self, &f);
        }
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
sl_reference_layer_finalize (GObject *object)
{
  SlReferenceLayer *self = SL_REFERENCE_LAYER (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label_field, g_free);
  g_clear_pointer (&self->colour, g_free);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->parts, g_array_unref);
  g_clear_pointer (&self->features, g_array_unref);

  G_OBJECT_CLASS (sl_reference_layer_parent_class)->finalize (object);
}

static void
sl_reference_layer_class_init (SlReferenceLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_reference_layer_finalize;
}

static void
sl_reference_layer_init (SlReferenceLayer *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (SlPoint));
  self->parts = g_array_new (FALSE, FALSE, sizeof (Part));
  self->features = g_array_new (FALSE, FALSE, sizeof (Feature));
  g_array_set_clear_func (self->features, feature_clear);
  self->colour = g_strdup (DEFAULT_COLOUR);
  parse_colour (self->colour, self->rgb);
}

SlReferenceLayer *
sl_reference_layer_load (const char  *path,
                         const char  *site_crs_wkt,
                         const char  *label_field,
                         GError     **error)
{
  g_autoptr(SlReferenceLayer) self = NULL;
  g_auto(SlGdalDataset) ds = NULL;
  g_auto(SlOgrSrs) site = NULL;
  int n_layers;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SL_TYPE_REFERENCE_LAYER, NULL);
  self->path = g_strdup (path);
  self->name = g_filename_display_basename (path);
  self->label_field = label_field != NULL && *label_field != '\0' ? g_strdup (label_field) : NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN,
                   "Cannot show ‘%s’: the file does not exist", path);
      return NULL;
    }
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (ds == NULL)
    {
      g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN,
                   "Cannot show ‘%s’: not a vector format GDAL recognizes", path);
      return NULL;
    }
  if (site_crs_wkt != NULL && *site_crs_wkt != '\0')
    {
      site = OSRNewSpatialReference (NULL);
      if (OSRImportFromWkt (site, (char **) &site_crs_wkt) != OGRERR_NONE)
        {
          g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_CRS,
                       "Cannot show ‘%s’: the site CRS is not one GDAL understands", self->name);
          return NULL;
        }
      OSRSetAxisMappingStrategy (site, OAMS_TRADITIONAL_GIS_ORDER);
    }

  n_layers = GDALDatasetGetLayerCount (ds);
  if (n_layers == 0)
    {
      g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_OPEN,
                   "Cannot show ‘%s’: it holds no vector layer", path);
      return NULL;
    }
  for (int i = 0; i < n_layers; i++)
    if (!read_layer (self, GDALDatasetGetLayer (ds, i), site, error))
      return NULL;
  return g_steal_pointer (&self);
}

const char *
sl_reference_layer_get_path (SlReferenceLayer *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  return self->path;
}

const char *
sl_reference_layer_get_name (SlReferenceLayer *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  return self->name;
}

const char *
sl_reference_layer_get_label_field (SlReferenceLayer *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  return self->label_field;
}

const char *
sl_reference_layer_get_colour (SlReferenceLayer *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  return self->colour;
}

void
sl_reference_layer_set_colour (SlReferenceLayer *self,
                               const char       *colour)
{
  double rgb[3];

  g_return_if_fail (SL_IS_REFERENCE_LAYER (self));

  if (!parse_colour (colour, rgb))
    {
      g_warning ("Not a colour: ‘%s’ (expected #rrggbb)", colour ? colour : "(null)");
      return;
    }
  g_free (self->colour);
  self->colour = g_ascii_strdown (colour, -1);
  memcpy (self->rgb, rgb, sizeof rgb);
}

guint
sl_reference_layer_get_n_features (SlReferenceLayer *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), 0);
  return self->features->len;
}

gboolean
sl_reference_layer_get_bounds (SlReferenceLayer *self,
                               SlBounds         *bounds)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), FALSE);

  if (self->features->len == 0)
    return FALSE;
  *bounds = self->bounds;
  return TRUE;
}

const SlPoint *
sl_reference_layer_get_points (SlReferenceLayer *self,
                               guint             index,
                               guint            *n_points)
{
  const Feature *f;

  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  g_return_val_if_fail (index < self->features->len, NULL);

  f = &g_array_index (self->features, Feature, index);
  *n_points = f->n_points;
  return &g_array_index (self->points, SlPoint, f->first_point);
}

const char *
sl_reference_layer_get_label (SlReferenceLayer *self,
                              guint             index)
{
  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), NULL);
  g_return_val_if_fail (index < self->features->len, NULL);

  return g_array_index (self->features, Feature, index).label;
}

static void
draw_label (cairo_t     *cr,
            PangoLayout *layout,
            const char  *text,
            double       x,
            double       y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.7);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, layout);
}

guint
sl_reference_layer_draw (SlReferenceLayer *self,
                         cairo_t          *cr,
                         SlViewport       *viewport,
                         int               width,
                         int               height)
{
  SlBounds view;
  double res, cx, cy;
  const SlPoint *points;
  g_autoptr(GArray) labelled = NULL;
  guint drawn = 0;

  g_return_val_if_fail (SL_IS_REFERENCE_LAYER (self), 0);
  g_return_val_if_fail (SL_IS_VIEWPORT (viewport), 0);

  if (self->features->len == 0 || width <= 0 || height <= 0)
    return 0;
  sl_viewport_get_visible_bounds (viewport, width, height, &view);
  res = sl_viewport_get_resolution (viewport);
  /* The viewport's transform is a scale and an offset: once per frame, not per vertex. */
  sl_viewport_site_to_widget (viewport, width, height, 0, 0, &cx, &cy);
  points = (const SlPoint *) self->points->data;
  labelled = g_array_new (FALSE, FALSE, sizeof (guint));

  cairo_save (cr);
  cairo_new_path (cr);
  for (guint i = 0; i < self->features->len; i++)
    {
      const Feature *f = &g_array_index (self->features, Feature, i);

      if (f->bounds.max_x < view.min_x || f->bounds.min_x > view.max_x ||
          f->bounds.max_y < view.min_y || f->bounds.min_y > view.max_y)
        continue;
      drawn++;
      for (guint k = 0; k < f->n_parts; k++)
        {
          const Part *part = &g_array_index (self->parts, Part, f->first_part + k);
          const SlPoint *p = points + part->first;

          if (part->n == 1)
            {
              double x = cx + p->x / res, y = cy - p->y / res;

              cairo_new_sub_path (cr);
              cairo_arc (cr, x, y, 3.5, 0, 2 * G_PI);
              continue;
            }
          cairo_move_to (cr, cx + p[0].x / res, cy - p[0].y / res);
          for (guint j = 1; j < part->n; j++)
            cairo_line_to (cr, cx + p[j].x / res, cy - p[j].y / res);
          if (part->closed)
            cairo_close_path (cr);
        }
      if (f->label != NULL && labelled->len < MAX_LABELS &&
          MAX (f->bounds.max_x - f->bounds.min_x, f->bounds.max_y - f->bounds.min_y) / res >= LABEL_MIN_PX)
        g_array_append_val (labelled, i);
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.45);
  cairo_set_line_width (cr, 3.0);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, self->rgb[0], self->rgb[1], self->rgb[2]);
  cairo_set_line_width (cr, 1.25);
  cairo_stroke (cr);

  if (labelled->len > 0)
    {
      g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
      PangoFontDescription *font = pango_font_description_from_string ("Sans 9");

      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
      for (guint i = 0; i < labelled->len; i++)
        {
          const Feature *f = &g_array_index (self->features, Feature, g_array_index (labelled, guint, i));

          draw_label (cr, layout, f->label,
                      cx + (f->bounds.min_x + f->bounds.max_x) / 2 / res,
                      cy - (f->bounds.min_y + f->bounds.max_y) / 2 / res);
        }
    }
  cairo_restore (cr);
  return drawn;
}

/* --- per project --- */

static char *
load_meta (SlProject  *project,
           GError    **error)
{
  sqlite3 *db = _sl_project_get_db (project);
  g_autoptr(SlStmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM sl_meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot read the reference layers of");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, META_KEY, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup (sqlite3_column_text (stmt, 0) != NULL ? (const char *) sqlite3_column_text (stmt, 0) : "[]");
  if (rc != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot read the reference layers of");
      return NULL;
    }
  return g_strdup ("[]");
}

GPtrArray *
sl_reference_layers_load_for_project (SlProject  *project,
                                      GPtrArray  *failures,
                                      GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *wkt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);

  text = load_meta (project, error);
  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, &local) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, SL_REFERENCE_LAYER_ERROR, SL_REFERENCE_LAYER_ERROR_INVALID,
                   "The reference layers stored in ‘%s’ cannot be read: %s", sl_project_get_path (project),
                   local != NULL ? local->message : "not a JSON array");
      return NULL;
    }
  wkt = sl_project_dup_crs_wkt (project);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *path = object != NULL ? json_object_get_string_member_with_default (object, "path", NULL) : NULL;
      const char *colour, *field;
      g_autoptr(GError) failure = NULL;
      SlReferenceLayer *layer;

      if (path == NULL)
        continue;
      colour = json_object_get_string_member_with_default (object, "colour", NULL);
      field = json_object_get_string_member_with_default (object, "label_field", NULL);
      layer = sl_reference_layer_load (path, wkt, field, &failure);
      if (layer == NULL)
        {
          if (failures != NULL)
            g_ptr_array_add (failures, g_strdup (failure->message));
          continue;
        }
      if (colour != NULL)
        sl_reference_layer_set_colour (layer, colour);
      g_ptr_array_add (layers, layer);
    }
  return g_steal_pointer (&layers);
}

gboolean
sl_reference_layers_save_for_project (SlProject  *project,
                                      GPtrArray  *layers,
                                      GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SlStmt) stmt = NULL;

  g_return_val_if_fail (SL_IS_PROJECT (project), FALSE);

  if (sl_project_is_read_only (project))
    {
      g_set_error (error, SL_PROJECT_ERROR, SL_PROJECT_ERROR_IO,
                   "Cannot remember the reference layers in ‘%s’: the file is read-only", sl_project_get_path (project));
      return FALSE;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; layers != NULL && i < layers->len; i++)
    {
      SlReferenceLayer *layer = g_ptr_array_index (layers, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, layer->path);
      json_builder_set_member_name (builder, "colour");
      json_builder_add_string_value (builder, layer->colour);
      if (layer->label_field != NULL)
        {
          json_builder_set_member_name (builder, "label_field");
          json_builder_add_string_value (builder, layer->label_field);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  if (sqlite3_prepare_v2 (_sl_project_get_db (project), "INSERT OR REPLACE INTO sl_meta (key, value) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot remember the reference layers in");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, META_KEY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  /* One statement in autocommit mode: its own transaction. */
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _sl_project_set_sqlite_error (project, error, "Cannot remember the reference layers in");
      return FALSE;
    }
  return TRUE;
}
