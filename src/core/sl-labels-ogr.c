/* sl-labels-ogr.c — GIS label formats through GDAL/OGR: GeoJSON, GeoPackage, KML, KMZ,
 * ESRI Shapefile and FlatGeobuf
 *
 * Every format is written and read by OGR, never by hand. What each keeps:
 * - Geometry: points as Point, lines as LineString, boxes, rotated boxes and polygons as
 *   Polygon (a closed ring of their corners). No format here has an angle: a rotated box is
 *   its 4 corners, and the `kind` attribute says what it was. On import, `kind` restores box
 *   and rotated box (the corners squared up again after reprojection; a rotated box's long
 *   side first); without it, 4 corners forming a rectangle become a box when axis-aligned in
 *   site coordinates, a rotated box otherwise.
 * - GeoJSON is RFC 7946 (EPSG:4326, lon/lat, COORDINATE_PRECISION=9: 1e-9° ≈ 0.1 mm), written
 *   by us rather than by GDAL's RFC7946=YES (see create_layer). Exterior rings are wound
 *   counter-clockwise, so a polygon's vertices may come back in the reverse order (the same
 *   shape); a rotated box's corner order is restored.
 * - KML and KMZ are WGS 84 lon/lat by definition (LIBKML driver; the KML driver for .kml when
 *   LIBKML is missing). Attributes go to ExtendedData.
 * - GeoPackage: a layer "annotations" in a new file (never the project itself). Shapefile and
 *   FlatGeobuf are written in the site CRS unless a CRS is asked for.
 * - Shapefile holds one geometry type a file: when the annotations mix points, polygons and
 *   lines, NAME.shp becomes NAME-points.shp, NAME-polygons.shp, NAME-lines.shp. Its field
 *   names are at most 10 characters; ours already are, so the mapping is the identity (class,
 *   class_key, acquired, scene, scene_id, kind, object_uid, confidence, note, author, created,
 *   updated). Dates are ISO 8601 text there (DBF has no date-time type), UTF-8 (.cpg).
 * - Attributes: class (name), class_key, acquired (the scene's date-time), scene (label),
 *   scene_id, kind, object_uid, confidence, note, author, created, updated. Import reads the
 *   class from the class field, the date from the date field, and object_uid, confidence,
 *   note, author and kind when present; created/updated are set anew by the project.
 * - A site with no CRS (press images only) is written in site pixel coordinates (x = column,
 *   y = −row of the founding scene) with no CRS, and read back the same way; KML cannot hold
 *   those and is refused.
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

#include "sl-autocleanups-private.h"
#include "sl-labels-ogr-private.h"

const SlOgrField _sl_ogr_fields[SL_OGR_N_FIELDS] = {
  { "class", OFTString }, { "class_key", OFTString }, { "acquired", OFTDateTime },
  { "scene", OFTString }, { "scene_id", OFTInteger64 }, { "kind", OFTString },
  { "object_uid", OFTString }, { "confidence", OFTString }, { "note", OFTString },
  { "author", OFTString }, { "created", OFTDateTime }, { "updated", OFTDateTime },
};

static const SlOgrFormat ogr_formats[] = {
  { SL_LABEL_FORMAT_GEOJSON,    "GeoJSON",        NULL,  TRUE },
  { SL_LABEL_FORMAT_GPKG,       "GPKG",           NULL,  FALSE },
  { SL_LABEL_FORMAT_KML,        "LIBKML",         "KML", TRUE },
  { SL_LABEL_FORMAT_KMZ,        "LIBKML",         NULL,  TRUE },
  { SL_LABEL_FORMAT_SHAPEFILE,  "ESRI Shapefile", NULL,  FALSE },
  { SL_LABEL_FORMAT_FLATGEOBUF, "FlatGeobuf",     NULL,  FALSE },
};

const SlOgrFormat *
_sl_ogr_find_format (SlLabelFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (ogr_formats); i++)
    if (ogr_formats[i].format == format)
      return &ogr_formats[i];
  g_assert_not_reached ();
}

static GDALDriverH
find_driver (const SlOgrFormat *f)
{
  GDALDriverH driver = GDALGetDriverByName (f->driver);

  if (driver == NULL && f->fallback)
    driver = GDALGetDriverByName (f->fallback);
  return driver;
}

void
_sl_ogr_error (GError      **error,
           SlLabelsError code,
           const char   *path,
           const char   *where,
           const char   *format,
           ...)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SL_LABELS_ERROR, code, "%s%s%s: %s", base, where ? " " : "", where ? where : "", msg);
}

char *
_sl_ogr_gdal_message (const char *fallback)
{
  const char *msg = CPLGetLastErrorMsg ();

  if (msg == NULL || *msg == '\0')
    return g_strdup (fallback);
  return g_strchomp (g_strdup (msg));
}

OGRSpatialReferenceH
_sl_ogr_new_srs (void)
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);

  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

OGRSpatialReferenceH
_sl_ogr_site_srs (SlLabelContext *ctx)
{
  g_autofree char *wkt = sl_project_dup_crs_wkt (ctx->project);
  char *cursor = wkt;
  OGRSpatialReferenceH srs;

  if (wkt == NULL)
    return NULL;
  srs = _sl_ogr_new_srs ();
  if (OSRImportFromWkt (srs, &cursor) != OGRERR_NONE)
    {
      OSRDestroySpatialReference (srs);
      return NULL;
    }
  return srs;
}

/* ---- export ---------------------------------------------------------------------------- */

/* "2022-02-07T08:30:00.000Z" for µs since the epoch. */
static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *text = NULL;

  if (dt == NULL)
    return NULL;
  text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", text, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

static void
set_time_field (OGRFeatureH feature, int index, GDateTime *dt)
{
  if (dt == NULL)
    return;
  OGR_F_SetFieldDateTimeEx (feature, index, g_date_time_get_year (dt), g_date_time_get_month (dt),
                            g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                            g_date_time_get_minute (dt), (float) g_date_time_get_seconds (dt), 100);
}

static void
set_usec_field (OGRFeatureH feature, int index, gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (usec <= 0)
    return;
  dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (dt != NULL)
    {
      g_autoptr(GDateTime) exact = g_date_time_add (dt, usec % G_USEC_PER_SEC);

      set_time_field (feature, index, exact);
    }
}

static OGRwkbGeometryType
geometry_type (const SlAnnotation *a)
{
  switch (a->kind)
    {
    case SL_SHAPE_POINT:
      return wkbPoint;
    case SL_SHAPE_LINE:
      return wkbLineString;
    case SL_SHAPE_BOX:
    case SL_SHAPE_ROTATED_BOX:
    case SL_SHAPE_POLYGON:
    default:
      return wkbPolygon;
    }
}

/* The shape in the output CRS. @xy: scratch of 2 × (n_points + 1) doubles. */
static OGRGeometryH
make_geometry (const SlAnnotation *a, OGRCoordinateTransformationH ct, gboolean ccw, double *xs, double *ys)
{
  guint n = a->n_points;
  OGRwkbGeometryType type = geometry_type (a);
  OGRGeometryH geom;

  for (guint i = 0; i < n; i++)
    {
      xs[i] = a->points[i].x;
      ys[i] = a->points[i].y;
    }
  if (type == wkbPolygon)
    {
      xs[n] = xs[0];
      ys[n] = ys[0];
      n++;
    }
  if (ct != NULL && !OCTTransform (ct, (int) n, xs, ys, NULL))
    return NULL;
  /* RFC 7946 §3.1.6: exterior rings counter-clockwise (we write that form ourselves, see
   * create_layer). */
  if (ccw && type == wkbPolygon)
    {
      double area2 = 0;

      for (guint i = 0; i + 1 < n; i++)
        area2 += (xs[i] - xs[0]) * (ys[i + 1] - ys[0]) - (xs[i + 1] - xs[0]) * (ys[i] - ys[0]);
      if (area2 < 0)
        for (guint i = 0, j = n - 1; i < j; i++, j--)
          {
            double tx = xs[i], ty = ys[i];

            xs[i] = xs[j], ys[i] = ys[j];
            xs[j] = tx, ys[j] = ty;
          }
    }

  if (type == wkbPoint)
    {
      geom = OGR_G_CreateGeometry (wkbPoint);
      OGR_G_SetPoint_2D (geom, 0, xs[0], ys[0]);
    }
  else if (type == wkbLineString)
    {
      geom = OGR_G_CreateGeometry (wkbLineString);
      OGR_G_SetPoints (geom, (int) n, xs, sizeof (double), ys, sizeof (double), NULL, 0);
    }
  else
    {
      OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);

      OGR_G_SetPoints (ring, (int) n, xs, sizeof (double), ys, sizeof (double), NULL, 0);
      geom = OGR_G_CreateGeometry (wkbPolygon);
      OGR_G_AddGeometryDirectly (geom, ring);
    }
  return geom;
}

static gboolean
driver_has_datetime (GDALDriverH driver)
{
  const char *types = GDALGetMetadataItem (driver, GDAL_DMD_CREATIONFIELDDATATYPES, NULL);

  return types != NULL && strstr (types, "DateTime") != NULL;
}

/* One output layer: its dataset (Shapefile: one per geometry type), fields, CRS. */
static OGRLayerH
create_layer (GDALDriverH           driver,
              const SlOgrFormat      *f,
              const char           *path,
              const char           *layer_name,
              OGRSpatialReferenceH  srs,
              gboolean              rfc7946,
              OGRwkbGeometryType    type,
              GDALDatasetH         *ds_out,
              GError              **error)
{
  g_auto(SlGdalDataset) ds = NULL;
  g_auto(GStrv) options = NULL;
  gboolean datetime = driver_has_datetime (driver);
  OGRLayerH layer;

  ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL could not create it");

      _sl_ogr_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot write %s: %s", GDALGetDriverShortName (driver), msg);
      return NULL;
    }
  if (f->format == SL_LABEL_FORMAT_GEOJSON && rfc7946)
    {
      /* RFC 7946 as we write it: WGS 84 lon/lat (reprojected by our transform), rings
       * counter-clockwise (make_geometry), 9 decimals. GDAL's RFC7946=YES would do the same
       * and more (antimeridian cutting, which a site never needs), copying every feature:
       * 10 % of the export's time. The layer gets no CRS: given WGS 84, GDAL would write the
       * "crs" member RFC 7946 removed; without one, readers (GDAL included) take WGS 84
       * lon/lat, as the RFC says. */
      options = g_strdupv ((char **) (const char *const[]) { "COORDINATE_PRECISION=9", NULL });
      srs = NULL;
    }
  else if (f->format == SL_LABEL_FORMAT_SHAPEFILE)
    options = g_strdupv ((char **) (const char *const[]) { "ENCODING=UTF-8", NULL });

  layer = GDALDatasetCreateLayer (ds, layer_name, srs, type, options);
  if (layer == NULL)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL could not create the layer");

      _sl_ogr_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot create a layer: %s", msg);
      return NULL;
    }
  for (guint i = 0; i < SL_OGR_N_FIELDS; i++)
    {
      OGRFieldType type_i = _sl_ogr_fields[i].type == OFTDateTime && !datetime ? OFTString : _sl_ogr_fields[i].type;
      OGRFieldDefnH defn = OGR_Fld_Create (_sl_ogr_fields[i].name, type_i);
      OGRErr err;

      if (f->format == SL_LABEL_FORMAT_SHAPEFILE && type_i == OFTString)
        OGR_Fld_SetWidth (defn, 254);
      err = OGR_L_CreateField (layer, defn, TRUE);
      OGR_Fld_Destroy (defn);
      if (err != OGRERR_NONE)
        {
          g_autofree char *msg = _sl_ogr_gdal_message ("GDAL refused it");

          _sl_ogr_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot create the field ‘%s’: %s", _sl_ogr_fields[i].name, msg);
          return NULL;
        }
    }
  *ds_out = g_steal_pointer (&ds);
  return layer;
}

typedef struct
{
  GDALDatasetH  ds;
  OGRLayerH     layer;
  OGRFeatureH   feature;
  int           index[SL_OGR_N_FIELDS];
  gboolean      datetime;
  gboolean      transaction;
} Output;

static void
output_close (Output *o)
{
  if (o->feature)
    OGR_F_Destroy (o->feature);
  if (o->ds)
    GDALClose (o->ds);
  memset (o, 0, sizeof *o);
}

static gboolean
output_open (Output               *o,
             GDALDriverH           driver,
             const SlOgrFormat      *f,
             const char           *path,
             const char           *layer_name,
             OGRSpatialReferenceH  srs,
             gboolean              rfc7946,
             OGRwkbGeometryType    type,
             GError              **error)
{
  OGRFeatureDefnH defn;

  o->layer = create_layer (driver, f, path, layer_name, srs, rfc7946, type, &o->ds, error);
  if (o->layer == NULL)
    return FALSE;
  defn = OGR_L_GetLayerDefn (o->layer);
  for (guint i = 0; i < SL_OGR_N_FIELDS; i++)
    {
      o->index[i] = OGR_FD_GetFieldIndex (defn, _sl_ogr_fields[i].name);
      g_assert (o->index[i] >= 0);
    }
  o->datetime = OGR_Fld_GetType (OGR_FD_GetFieldDefn (defn, o->index[SL_OGR_ACQUIRED])) == OFTDateTime;
  o->feature = OGR_F_Create (defn);
  /* Many small inserts: one transaction where the driver has them (GeoPackage). */
  o->transaction = GDALDatasetStartTransaction (o->ds, FALSE) == OGRERR_NONE;
  return TRUE;
}

static void
set_date (Output *o, int field, GDateTime *dt, gint64 usec)
{
  if (o->datetime)
    {
      if (dt)
        set_time_field (o->feature, o->index[field], dt);
      else
        set_usec_field (o->feature, o->index[field], usec);
    }
  else
    {
      g_autofree char *text = NULL;

      if (dt)
        text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S.%fZ");
      else if (usec > 0)
        text = format_time (usec);
      if (text)
        OGR_F_SetFieldString (o->feature, o->index[field], text);
    }
}

static gboolean
output_write (Output             *o,
              SlLabelContext     *ctx,
              const SlAnnotation *a,
              OGRGeometryH        geom,
              const char         *path,
              GError            **error)
{
  const SlClass *klass = sl_label_context_class (ctx, a->class_id);
  SlScene *scene = sl_label_context_scene (ctx, a->scene_id);
  OGRFeatureH feat = o->feature;
  const char *confidence = sl_confidence_to_string (a->confidence);

  for (guint i = 0; i < SL_OGR_N_FIELDS; i++)
    OGR_F_SetFieldNull (feat, o->index[i]);
  OGR_F_SetFID (feat, OGRNullFID);
  if (klass)
    {
      OGR_F_SetFieldString (feat, o->index[SL_OGR_CLASS], klass->name);
      OGR_F_SetFieldString (feat, o->index[SL_OGR_CLASS_KEY], klass->key);
    }
  if (scene)
    {
      set_date (o, SL_OGR_ACQUIRED, sl_scene_get_acquired (scene), 0);
      if (sl_scene_get_label (scene))
        OGR_F_SetFieldString (feat, o->index[SL_OGR_SCENE], sl_scene_get_label (scene));
    }
  OGR_F_SetFieldInteger64 (feat, o->index[SL_OGR_SCENE_ID], a->scene_id);
  OGR_F_SetFieldString (feat, o->index[SL_OGR_KIND], sl_shape_kind_to_string (a->kind));
  if (a->object_uid)
    OGR_F_SetFieldString (feat, o->index[SL_OGR_OBJECT_UID], a->object_uid);
  if (confidence)
    OGR_F_SetFieldString (feat, o->index[SL_OGR_CONFIDENCE], confidence);
  if (a->note)
    OGR_F_SetFieldString (feat, o->index[SL_OGR_NOTE], a->note);
  if (a->author)
    OGR_F_SetFieldString (feat, o->index[SL_OGR_AUTHOR], a->author);
  set_date (o, SL_OGR_CREATED, NULL, a->created);
  set_date (o, SL_OGR_UPDATED, NULL, a->updated);
  OGR_F_SetGeometryDirectly (feat, geom);

  if (OGR_L_CreateFeature (o->layer, feat) != OGRERR_NONE)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL refused it");
      g_autofree char *where = g_strdup_printf ("annotation %" G_GINT64_FORMAT, a->id);

      _sl_ogr_error (error, SL_LABELS_ERROR_IO, path, where, "cannot be written: %s", msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
output_finish (Output *o, const char *path, GError **error)
{
  gboolean ok = TRUE;

  OGR_F_Destroy (o->feature);
  o->feature = NULL;
  CPLErrorReset ();
  if (o->transaction)
    ok = GDALDatasetCommitTransaction (o->ds) == OGRERR_NONE;
  GDALClose (o->ds);
  o->ds = NULL;
  ok = ok && CPLGetLastErrorType () < CE_Failure;
  if (!ok)
    {
      g_autofree char *msg = _sl_ogr_gdal_message ("GDAL could not finish it");

      _sl_ogr_error (error, SL_LABELS_ERROR_IO, path, NULL, "cannot be written: %s", msg);
    }
  return ok;
}

/* Shapefile: one file a geometry type, "NAME-points.shp" … when they mix. */
static char *
shapefile_path (const char *path, OGRwkbGeometryType type, gboolean mixed)
{
  g_autofree char *stem = NULL;
  const char *suffix = type == wkbPoint ? "-points" : type == wkbLineString ? "-lines" : "-polygons";

  if (!mixed)
    return g_strdup (path);
  stem = g_str_has_suffix (path, ".shp") || g_str_has_suffix (path, ".SHP")
         ? g_strndup (path, strlen (path) - 4) : g_strdup (path);
  return g_strconcat (stem, suffix, ".shp", NULL);
}

static char *
layer_name_for (const char *path, SlLabelFormat format)
{
  g_autofree char *base = NULL;
  char *dot;

  if (format != SL_LABEL_FORMAT_SHAPEFILE)
    return g_strdup ("annotations");
  base = g_path_get_basename (path);
  dot = strrchr (base, '.');
  if (dot && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static gboolean
write_ogr (SlLabelContext *ctx,
           SlLabelFormat   format,
           GPtrArray      *annotations,
           const char     *path,
           GError        **error)
{
  const SlOgrFormat *f = _sl_ogr_find_format (format);
  const SlLabelExportOptions *options = ctx->export_options;
  GDALDriverH driver = find_driver (f);
  g_auto(SlOgrSrs) site = NULL;
  g_auto(SlOgrSrs) out = NULL;
  g_auto(SlOgrTransform) ct = NULL;
  static const OGRwkbGeometryType types[] = { wkbPoint, wkbPolygon, wkbLineString };
  gboolean present[G_N_ELEMENTS (types)] = { FALSE, };
  gboolean mixed = FALSE, rfc7946 = FALSE, ok = TRUE;
  guint max_points = 1;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;

  if (driver == NULL)
    {
      _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, NULL, "this GDAL has no %s driver", f->driver);
      return FALSE;
    }

  site = _sl_ogr_site_srs (ctx);
  if (options && options->crs && *options->crs)
    {
      if (site == NULL)
        {
          _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, NULL,
                     "the site has no CRS (its scenes are not georeferenced), so its annotations cannot be "
                     "reprojected to ‘%s’", options->crs);
          return FALSE;
        }
      out = _sl_ogr_new_srs ();
      if (OSRSetFromUserInput (out, options->crs) != OGRERR_NONE)
        {
          _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, NULL, "‘%s’ is not a CRS GDAL knows", options->crs);
          return FALSE;
        }
    }
  else if (site != NULL && f->lonlat)
    {
      out = _sl_ogr_new_srs ();
      OSRImportFromEPSG (out, 4326);
    }
  else if (site != NULL)
    out = OSRClone (site);

  if (site == NULL && (format == SL_LABEL_FORMAT_KML || format == SL_LABEL_FORMAT_KMZ))
    {
      _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, NULL,
                 "KML holds longitude and latitude, and this site has no CRS (its scenes are not "
                 "georeferenced): export GeoJSON, GeoPackage, Shapefile or FlatGeobuf in site pixels");
      return FALSE;
    }
  if (out != NULL)
    {
      OSRSetAxisMappingStrategy (out, OAMS_TRADITIONAL_GIS_ORDER);
      if (format == SL_LABEL_FORMAT_GEOJSON)
        {
          g_auto(SlOgrSrs) wgs84 = _sl_ogr_new_srs ();

          OSRImportFromEPSG (wgs84, 4326);
          rfc7946 = OSRIsSame (out, wgs84);
        }
      if (!OSRIsSame (site, out))
        {
          ct = OCTNewCoordinateTransformation (site, out);
          if (ct == NULL)
            {
              g_autofree char *msg = _sl_ogr_gdal_message ("no transformation");

              _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, NULL, "cannot reproject from the site CRS: %s", msg);
              return FALSE;
            }
        }
    }

  for (guint i = 0; i < annotations->len; i++)
    {
      const SlAnnotation *a = annotations->pdata[i];

      max_points = MAX (max_points, a->n_points);
      for (guint t = 0; t < G_N_ELEMENTS (types); t++)
        if (geometry_type (a) == types[t])
          present[t] = TRUE;
    }
  mixed = (present[0] + present[1] + present[2]) > 1;
  xs = g_new (double, max_points + 1);
  ys = g_new (double, max_points + 1);

  if (format != SL_LABEL_FORMAT_SHAPEFILE || !mixed)
    {
      Output o = { 0 };
      g_autofree char *layer_name = layer_name_for (path, format);
      OGRwkbGeometryType type = wkbUnknown;

      if (format == SL_LABEL_FORMAT_SHAPEFILE)
        type = present[1] ? wkbPolygon : present[2] ? wkbLineString : wkbPoint;
      if (!output_open (&o, driver, f, path, layer_name, out, rfc7946, type, error))
        return FALSE;
      for (guint i = 0; i < annotations->len && ok; i++)
        {
          const SlAnnotation *a = annotations->pdata[i];
          OGRGeometryH geom = make_geometry (a, ct, rfc7946, xs, ys);

          if (geom == NULL)
            {
              g_autofree char *where = g_strdup_printf ("annotation %" G_GINT64_FORMAT, a->id);

              _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, where, "cannot be reprojected to the output CRS");
              ok = FALSE;
            }
          else
            ok = output_write (&o, ctx, a, geom, path, error);
          if (ok && (i & 1023) == 1023 && g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
            ok = FALSE;
        }
      if (ok)
        ok = output_finish (&o, path, error);
      output_close (&o);
      return ok;
    }

  for (guint t = 0; t < G_N_ELEMENTS (types) && ok; t++)
    {
      Output o = { 0 };
      g_autofree char *file = NULL;
      g_autofree char *layer_name = NULL;

      if (!present[t])
        continue;
      file = shapefile_path (path, types[t], TRUE);
      layer_name = layer_name_for (file, format);
      if (!output_open (&o, driver, f, file, layer_name, out, FALSE, types[t], error))
        return FALSE;
      for (guint i = 0; i < annotations->len && ok; i++)
        {
          const SlAnnotation *a = annotations->pdata[i];
          OGRGeometryH geom;

          if (geometry_type (a) != types[t])
            continue;
          geom = make_geometry (a, ct, rfc7946, xs, ys);
          if (geom == NULL)
            {
              g_autofree char *where = g_strdup_printf ("annotation %" G_GINT64_FORMAT, a->id);

              _sl_ogr_error (error, SL_LABELS_ERROR_FORMAT, path, where, "cannot be reprojected to the output CRS");
              ok = FALSE;
            }
          else
            ok = output_write (&o, ctx, a, geom, file, error);
        }
      if (ok)
        ok = output_finish (&o, file, error);
      output_close (&o);
    }
  return ok;
}

/* ---- the table ------------------------------------------------------------------------- */

/* GDAL prints its errors to stderr unless told otherwise: keep them for our messages. */
#define DEFINE_OGR_IO(lower, upper)                                                              \
  static GPtrArray *                                                                             \
  read_##lower (SlLabelContext *ctx, const char *path, GError **error)                           \
  {                                                                                              \
    GPtrArray *result;                                                                           \
                                                                                                 \
    CPLPushErrorHandler (CPLQuietErrorHandler);                                                  \
    result = _sl_ogr_read (ctx, SL_LABEL_FORMAT_##upper, path, error);                               \
    CPLPopErrorHandler ();                                                                       \
    return result;                                                                               \
  }                                                                                              \
  static gboolean                                                                                \
  write_##lower (SlLabelContext *ctx, GPtrArray *annotations, const char *path, GError **error)  \
  {                                                                                              \
    gboolean result;                                                                             \
                                                                                                 \
    CPLPushErrorHandler (CPLQuietErrorHandler);                                                  \
    result = write_ogr (ctx, SL_LABEL_FORMAT_##upper, annotations, path, error);                 \
    CPLPopErrorHandler ();                                                                       \
    return result;                                                                               \
  }

DEFINE_OGR_IO (geojson, GEOJSON)
DEFINE_OGR_IO (gpkg, GPKG)
DEFINE_OGR_IO (kml, KML)
DEFINE_OGR_IO (kmz, KMZ)
DEFINE_OGR_IO (shapefile, SHAPEFILE)
DEFINE_OGR_IO (flatgeobuf, FLATGEOBUF)

const SlLabelFormatIo sl_labels_ogr_io[6] = {
  { SL_LABEL_FORMAT_GEOJSON,    read_geojson,    write_geojson },
  { SL_LABEL_FORMAT_GPKG,       read_gpkg,       write_gpkg },
  { SL_LABEL_FORMAT_KML,        read_kml,        write_kml },
  { SL_LABEL_FORMAT_KMZ,        read_kmz,        write_kmz },
  { SL_LABEL_FORMAT_SHAPEFILE,  read_shapefile,  write_shapefile },
  { SL_LABEL_FORMAT_FLATGEOBUF, read_flatgeobuf, write_flatgeobuf },
};
