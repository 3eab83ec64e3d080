/* sl-labels-ogr-read.c — reading the GIS label formats through OGR: every layer of points,
 * lines and polygons, in the file's CRS, into site coordinates
 *
 * Multi-geometries and collections become one annotation a part (with a warning), polygon holes
 * are left out (warned), curves are linearised. The kind comes from the `kind` attribute when
 * there is one, else from the geometry: 4 corners of a rectangle are a box when axis-aligned in
 * site coordinates, a rotated box otherwise. Boxes and rotated boxes are squared up again after
 * the reprojection (coordinates rounded to 1e-9° are not an exact rectangle any more). A file
 * without a CRS is taken to be in the site CRS; a site without a CRS takes the coordinates as
 * they are (site pixels), and both say so in the report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-labels"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <json-glib/json-glib.h>

#include "sl-autocleanups-private.h"
#include "sl-labels-ogr-private.h"

/* Corners within this fraction of the shape's size form a rectangle (files written by other
 * tools, rounded coordinates, a reprojection there and back). */
#define RECT_TOLERANCE 1e-3

static const char *const default_class_fields[] = { "class", "class_name", "label", "category", "type", NULL };
static const char *const default_date_fields[] = { "acquired", "date", NULL };

typedef struct
{
  SlLabelContext               *ctx;
  const char                   *path;
  GPtrArray                    *records;
  int                           index[SL_OGR_N_FIELDS];
  int                           class_index;   /* in the current layer; -1: none */
  int                           date_index;
  gboolean                      warned_confidence;
} Reader;

static double
extent_of (const SlPoint *p, guint n)
{
  double min_x = p[0].x, max_x = p[0].x, min_y = p[0].y, max_y = p[0].y;

  for (guint i = 1; i < n; i++)
    {
      min_x = MIN (min_x, p[i].x);
      max_x = MAX (max_x, p[i].x);
      min_y = MIN (min_y, p[i].y);
      max_y = MAX (max_y, p[i].y);
    }
  return MAX (max_x - min_x, max_y - min_y);
}

/* Whether 4 corners form a rectangle (within RECT_TOLERANCE of its size), and whether it is
 * axis-aligned. */
static gboolean
is_rectangle (const SlPoint *p, gboolean *axis_aligned)
{
  double scale = extent_of (p, 4), tol = scale * RECT_TOLERANCE;
  double ux = p[1].x - p[0].x, uy = p[1].y - p[0].y;
  double vx = p[2].x - p[1].x, vy = p[2].y - p[1].y;
  double lu = hypot (ux, uy), lv = hypot (vx, vy);

  if (!(scale > 0) || lu <= tol || lv <= tol)
    return FALSE;
  if (fabs (p[3].x - (p[0].x + vx)) > tol || fabs (p[3].y - (p[0].y + vy)) > tol ||
      fabs (ux * vx + uy * vy) > tol * scale)
    return FALSE;
  *axis_aligned = (fabs (uy) <= tol && fabs (vx) <= tol) || (fabs (ux) <= tol && fabs (vy) <= tol);
  return TRUE;
}

/* An exact axis-aligned box from its corners: clockwise from the north-west. */
static void
square_box (SlPoint *p)
{
  double min_x = MIN (MIN (p[0].x, p[1].x), MIN (p[2].x, p[3].x));
  double max_x = MAX (MAX (p[0].x, p[1].x), MAX (p[2].x, p[3].x));
  double min_y = MIN (MIN (p[0].y, p[1].y), MIN (p[2].y, p[3].y));
  double max_y = MAX (MAX (p[0].y, p[1].y), MAX (p[2].y, p[3].y));

  p[0] = (SlPoint) { min_x, max_y };
  p[1] = (SlPoint) { max_x, max_y };
  p[2] = (SlPoint) { max_x, min_y };
  p[3] = (SlPoint) { min_x, min_y };
}

/* An exact rectangle from nearly one, its long side first (RFC 7946 may have reversed the
 * ring: then p0 → p1 is the short side, and reversing restores the original order). */
static void
square_rotated_box (SlPoint *p)
{
  double cx = (p[0].x + p[1].x + p[2].x + p[3].x) / 4, cy = (p[0].y + p[1].y + p[2].y + p[3].y) / 4;
  double ux, uy, vx, vy, len_u, width, nx, ny;

  if (hypot (p[1].x - p[0].x, p[1].y - p[0].y) < hypot (p[2].x - p[1].x, p[2].y - p[1].y))
    {
      SlPoint t = p[1];

      p[1] = p[3];
      p[3] = t;
    }
  /* The long side as the mean of the two long sides, the width along its normal. */
  ux = ((p[1].x - p[0].x) + (p[2].x - p[3].x)) / 2;
  uy = ((p[1].y - p[0].y) + (p[2].y - p[3].y)) / 2;
  vx = ((p[2].x - p[1].x) + (p[3].x - p[0].x)) / 2;
  vy = ((p[2].y - p[1].y) + (p[3].y - p[0].y)) / 2;
  len_u = hypot (ux, uy);
  nx = -uy / len_u;
  ny = ux / len_u;
  width = vx * nx + vy * ny;
  vx = nx * width;
  vy = ny * width;
  p[0] = (SlPoint) { cx - ux / 2 - vx / 2, cy - uy / 2 - vy / 2 };
  p[1] = (SlPoint) { cx + ux / 2 - vx / 2, cy + uy / 2 - vy / 2 };
  p[2] = (SlPoint) { cx + ux / 2 + vx / 2, cy + uy / 2 + vy / 2 };
  p[3] = (SlPoint) { cx - ux / 2 + vx / 2, cy - uy / 2 + vy / 2 };
}

static char *
field_text (OGRFeatureH feature, int index)
{
  const char *text;

  if (index < 0 || !OGR_F_IsFieldSetAndNotNull (feature, index))
    return NULL;
  if (OGR_Fld_GetType (OGR_F_GetFieldDefnRef (feature, index)) == OFTDateTime ||
      OGR_Fld_GetType (OGR_F_GetFieldDefnRef (feature, index)) == OFTDate)
    {
      int y, mo, d, h, mi, tz;
      float s;

      if (!OGR_F_GetFieldAsDateTimeEx (feature, index, &y, &mo, &d, &h, &mi, &s, &tz))
        return NULL;
      if (tz > 1 && tz != 100)
        {
          int offset = (tz - 100) * 15;

          return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%+03d:%02d", y, mo, d, h, mi, (int) s,
                                  offset / 60, ABS (offset) % 60);
        }
      return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, (int) s);
    }
  text = OGR_F_GetFieldAsString (feature, index);
  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return NULL;
  return g_strchomp (g_strdup (text));
}

/* One part of a feature's geometry (already in site coordinates) as a record. */
static void
add_part (Reader *r, OGRFeatureH feature, OGRGeometryH g, const char *where, int hint)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  OGRGeometryH line = g;
  SlShapeKind kind;
  g_autofree SlPoint *pts = NULL;
  guint n;
  SlAnnotation *a;
  SlLabelRecord *record;
  g_autofree char *class_name = NULL;
  g_autofree char *text = NULL;

  if (type == wkbPolygon)
    {
      if (OGR_G_GetGeometryCount (g) > 1)
        sl_label_context_warn (r->ctx, "%s: the polygon's %d holes were left out", where, OGR_G_GetGeometryCount (g) - 1);
      line = OGR_G_GetGeometryRef (g, 0);
    }
  n = (guint) OGR_G_GetPointCount (line);
  pts = g_new (SlPoint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      pts[i].x = OGR_G_GetX (line, (int) i);
      pts[i].y = OGR_G_GetY (line, (int) i);
    }

  if (type == wkbPoint)
    kind = SL_SHAPE_POINT;
  else if (type == wkbLineString)
    kind = SL_SHAPE_LINE;
  else
    {
      gboolean axis = FALSE;

      /* The ring closes itself. */
      if (n > 1 && pts[0].x == pts[n - 1].x && pts[0].y == pts[n - 1].y)
        n--;
      kind = SL_SHAPE_POLYGON;
      if (n == 4 && hint != SL_SHAPE_POLYGON && is_rectangle (pts, &axis))
        {
          if (hint == SL_SHAPE_ROTATED_BOX || !axis)
            {
              kind = SL_SHAPE_ROTATED_BOX;
              square_rotated_box (pts);
            }
          else
            {
              kind = SL_SHAPE_BOX;
              square_box (pts);
            }
        }
      else if (hint == SL_SHAPE_BOX || hint == SL_SHAPE_ROTATED_BOX)
        sl_label_context_warn (r->ctx, "%s: its kind is ‘%s’ but its %u corners are not a rectangle: read as a polygon",
                               where, sl_shape_kind_to_string (hint), n);
    }

  a = sl_annotation_new (kind, pts, n);
  a->scene_id = 0;
  a->object_uid = field_text (feature, r->index[SL_OGR_OBJECT_UID]);
  a->note = field_text (feature, r->index[SL_OGR_NOTE]);
  a->author = field_text (feature, r->index[SL_OGR_AUTHOR]);
  text = field_text (feature, r->index[SL_OGR_CONFIDENCE]);
  if (text && !sl_confidence_from_string (text, &a->confidence))
    {
      a->confidence = SL_CONFIDENCE_NONE;
      if (!r->warned_confidence)
        sl_label_context_warn (r->ctx, "%s: confidence ‘%s’ is not low, medium or high: left empty (and so for "
                               "any other such value)", where, text);
      r->warned_confidence = TRUE;
    }
  class_name = field_text (feature, r->class_index);
  record = sl_label_record_new (a, class_name, where);
  record->date = field_text (feature, r->date_index);
  g_ptr_array_add (r->records, record);
}

/* Splits multi-geometries and collections into parts, one annotation each. */
static gboolean
add_geometry (Reader *r, OGRFeatureH feature, OGRGeometryH g, const char *where, int hint, GError **error)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (g));
  int n;

  switch (type)
    {
    case wkbPoint:
    case wkbLineString:
    case wkbPolygon:
      add_part (r, feature, g, where, hint);
      return TRUE;

    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
      n = OGR_G_GetGeometryCount (g);
      if (n > 1)
        sl_label_context_warn (r->ctx, "%s: a %s of %d parts became %d annotations", where,
                               OGR_G_GetGeometryName (g), n, n);
      for (int i = 0; i < n; i++)
        {
          g_autofree char *part = n > 1 ? g_strdup_printf ("%s part %d", where, i + 1) : g_strdup (where);

          if (!add_geometry (r, feature, OGR_G_GetGeometryRef (g, i), part, hint, error))
            return FALSE;
        }
      return TRUE;

    default:
      _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, where, "a %s is not a shape Sitelapse holds "
                 "(points, lines and polygons)", OGR_G_GetGeometryName (g));
      return FALSE;
    }
}

/* The first of @names (or @chosen) among the layer's fields; -1 when none. */
static int
find_field (OGRFeatureDefnH defn, const char *chosen, const char *const *names)
{
  if (chosen && *chosen)
    return OGR_FD_GetFieldIndex (defn, chosen);
  for (guint i = 0; names[i]; i++)
    {
      int index = OGR_FD_GetFieldIndex (defn, names[i]);

      if (index >= 0)
        return index;
    }
  return -1;
}

static char *
list_fields (OGRFeatureDefnH defn)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

static gboolean
read_layer (Reader *r, OGRLayerH layer, gboolean name_layers, OGRSpatialReferenceH site, GError **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef (layer);
  const SlLabelImportOptions *options = r->ctx->import_options;
  const char *class_field = options ? options->class_field : NULL;
  const char *date_field = options ? options->date_field : NULL;
  g_auto(SlOgrTransform) ct = NULL;
  g_autofree char *layer_where = name_layers ? g_strdup_printf ("layer ‘%s’", OGR_L_GetName (layer)) : NULL;
  OGRFeatureH feature;
  guint64 ordinal = 0;

  r->class_index = find_field (defn, class_field, default_class_fields);
  if (r->class_index < 0)
    {
      g_autofree char *have = list_fields (defn);

      if (class_field && *class_field)
        _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, layer_where, "there is no class field ‘%s’ (the fields are: %s)",
                   class_field, have);
      else
        _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, layer_where, "there is no class field (looked for class, "
                   "class_name, label, category and type; the fields are: %s): choose one", have);
      return FALSE;
    }
  r->date_index = find_field (defn, date_field, default_date_fields);
  if (r->date_index < 0 && date_field && *date_field)
    {
      g_autofree char *have = list_fields (defn);

      _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, layer_where, "there is no date field ‘%s’ (the fields are: %s)",
                 date_field, have);
      return FALSE;
    }
  for (guint i = 0; i < SL_OGR_N_FIELDS; i++)
    r->index[i] = OGR_FD_GetFieldIndex (defn, _sl_ogr_fields[i].name);

  if (site != NULL && srs != NULL && !OSRIsSame (srs, site))
    {
      g_auto(SlOgrSrs) from = OSRClone (srs);

      OSRSetAxisMappingStrategy (from, OAMS_TRADITIONAL_GIS_ORDER);
      ct = OCTNewCoordinateTransformation (from, site);
      if (ct == NULL)
        {
          g_autofree char *msg = _sl_ogr_gdal_message ("no transformation");

          _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, layer_where, "cannot reproject to the site CRS: %s", msg);
          return FALSE;
        }
    }
  else if (site != NULL && srs == NULL)
    sl_label_context_warn (r->ctx, "%s has no CRS: its coordinates were taken as the site CRS's",
                           layer_where ? layer_where : "the file");

  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH geom = OGR_F_GetGeometryRef (feature);
      g_autofree char *where = NULL;
      int hint = -1;
      g_autofree char *kind_text = field_text (feature, r->index[SL_OGR_KIND]);
      SlShapeKind kind;
      gboolean ok = TRUE;

      ordinal++;
      where = layer_where ? g_strdup_printf ("%s feature %" G_GUINT64_FORMAT, layer_where, ordinal)
                          : g_strdup_printf ("feature %" G_GUINT64_FORMAT, ordinal);
      if (kind_text && sl_shape_kind_from_string (kind_text, &kind))
        hint = (int) kind;

      if (geom == NULL || OGR_G_IsEmpty (geom))
        sl_label_context_warn (r->ctx, "%s: no geometry, skipped", where);
      else
        {
          if (OGR_G_HasCurveGeometry (geom, TRUE))
            {
              OGRGeometryH linear = OGR_G_GetLinearGeometry (geom, 0, NULL);

              OGR_F_SetGeometryDirectly (feature, linear);
              geom = OGR_F_GetGeometryRef (feature);
            }
          if (ct != NULL && OGR_G_Transform (geom, ct) != OGRERR_NONE)
            {
              _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, r->path, where, "cannot be reprojected to the site CRS");
              ok = FALSE;
            }
          else
            ok = add_geometry (r, feature, geom, where, hint, error);
        }
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
      if ((ordinal & 1023) == 0 && g_cancellable_set_error_if_cancelled (r->ctx->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* GDAL only says "Failed to read GeoJSON data": json-glib says where the syntax breaks. */
static gboolean
json_syntax_error (const char *path, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  const char *msg;

  if (json_parser_load_from_mapped_file (parser, path, &local) || local == NULL ||
      local->domain != JSON_PARSER_ERROR)
    return FALSE;
  /* "<data>:12:3: Parse error: …" → "line 12 column 3: parse error: …" */
  msg = local->message;
  if (g_str_has_prefix (msg, path))
    msg += strlen (path);
  else if (g_str_has_prefix (msg, "<data>"))
    msg += strlen ("<data>");
  if (*msg == ':')
    {
      char *end = NULL;
      guint64 line = g_ascii_strtoull (msg + 1, &end, 10), column = 0;
      g_autofree char *where = NULL;

      if (end && *end == ':')
        column = g_ascii_strtoull (end + 1, &end, 10);
      while (end && (*end == ':' || *end == ' '))
        end++;
      where = g_strdup_printf ("line %" G_GUINT64_FORMAT " column %" G_GUINT64_FORMAT, line, column);
      _sl_ogr_error (error, SL_LABELS_ERROR_MALFORMED, path, where, "%s", end && *end ? end : "not valid JSON");
      return TRUE;
    }
  _sl_ogr_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "not valid JSON: %s", local->message);
  return TRUE;
}

GPtrArray *
_sl_ogr_read (SlLabelContext *ctx,
              SlLabelFormat   format,
              const char     *path,
              GError        **error)
{
  const SlOgrFormat *f = _sl_ogr_find_format (format);
  const char *allowed[3] = { f->driver, f->fallback, NULL };
  g_auto(SlGdalDataset) ds = NULL;
  g_auto(SlOgrSrs) site = _sl_ogr_site_srs (ctx);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_label_record_free);
  g_autoptr(GPtrArray) layers = g_ptr_array_new ();
  Reader r = { ctx, path, records, { 0, }, -1, -1, FALSE };

  CPLErrorReset ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed, NULL, NULL);
  if (ds == NULL)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL does not recognise it");

      if (format == SL_LABEL_FORMAT_GEOJSON && json_syntax_error (path, error))
        return NULL;
      _sl_ogr_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "not a %s file GDAL can read: %s",
                 sl_label_format_describe (format), msg);
      return NULL;
    }
  if (site == NULL)
    sl_label_context_warn (ctx, "the site has no CRS (its scenes are not georeferenced): coordinates were read "
                           "as site pixel coordinates, not reprojected");

  for (int i = 0; i < GDALDatasetGetLayerCount (ds); i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (ds, i);

      if (OGR_L_GetGeomType (layer) == wkbNone && OGR_FD_GetGeomFieldCount (OGR_L_GetLayerDefn (layer)) == 0)
        continue;
      g_ptr_array_add (layers, layer);
    }
  if (layers->len == 0)
    {
      _sl_ogr_error (error, SL_LABELS_ERROR_INVALID, path, NULL, "there is no layer of points, lines or polygons");
      return NULL;
    }
  for (guint i = 0; i < layers->len; i++)
    if (!read_layer (&r, layers->pdata[i], layers->len > 1, site, error))
      return NULL;
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL failed");

      _sl_ogr_error (error, SL_LABELS_ERROR_MALFORMED, path, NULL, "cannot be read to the end: %s", msg);
      return NULL;
    }
  return g_steal_pointer (&records);
}
