/* sl-registration-export.c — tie points from files, a registration to a VRT or a world file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-registration"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <gdal.h>
#include <glib/gstdio.h>

#include "sl-autocleanups-private.h"
#include "sl-registration-private.h"

/* --- points files -------------------------------------------------------------- */

typedef struct
{
  int image_x, image_y, ref_x, ref_y, enabled;
  gboolean qgis;
} Columns;

static int
find_column (char       **names,
             const char  *name)
{
  for (int i = 0; names[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (names[i]), name) == 0)
      return i;
  return -1;
}

static gboolean
parse_header (const char *path,
              const char *line,
              Columns    *c,
              GError    **error)
{
  g_auto(GStrv) names = g_strsplit (line, ",", -1);

  c->qgis = find_column (names, "mapX") >= 0;
  if (c->qgis)
    {
      c->ref_x = find_column (names, "mapX");
      c->ref_y = find_column (names, "mapY");
      /* QGIS before 3.26 wrote pixelX, pixelY. */
      c->image_x = find_column (names, "sourceX") >= 0 ? find_column (names, "sourceX") : find_column (names, "pixelX");
      c->image_y = find_column (names, "sourceY") >= 0 ? find_column (names, "sourceY") : find_column (names, "pixelY");
      c->enabled = find_column (names, "enable");
    }
  else
    {
      c->image_x = find_column (names, "image_x");
      c->image_y = find_column (names, "image_y");
      c->ref_x = find_column (names, "ref_x");
      c->ref_y = find_column (names, "ref_y");
      c->enabled = find_column (names, "enabled");
    }
  if (c->image_x < 0 || c->image_y < 0 || c->ref_x < 0 || c->ref_y < 0)
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read tie points from ‘%s’: its header names neither image_x,image_y,ref_x,ref_y "
                   "nor QGIS's mapX,mapY,sourceX,sourceY", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number (const char *text,
              double     *value)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end;

  *value = g_ascii_strtod (copy, &end);
  return end != copy && *end == '\0' && isfinite (*value);
}

GArray *
sl_tie_points_load (const char    *path,
                    const double  *ref_geotransform,
                    GError       **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (SlTiePoint));
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  Columns c = { 0, 1, 2, 3, 4, FALSE };
  gboolean seen_data = FALSE;
  double inv[6];

  g_return_val_if_fail (path != NULL, NULL);
  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read tie points from ‘%s’: %s", path, local->message);
      return NULL;
    }
  if (ref_geotransform && !_sl_affine_invert (ref_geotransform, inv))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read tie points from ‘%s’: the reference's geotransform cannot be inverted", path);
      return NULL;
    }

  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l]; l++)
    {
      char *line = g_strstrip (lines[l]);
      g_auto(GStrv) fields = NULL;
      double v[5] = { 0, 0, 0, 0, 1 };
      int cols[5], n_fields;
      SlTiePoint p;

      if (*line == '\0' || *line == '#')
        continue;
      if (!seen_data && g_ascii_isalpha (*line))
        {
          if (!parse_header (path, line, &c, error))
            return NULL;
          seen_data = TRUE;
          continue;
        }
      seen_data = TRUE;
      fields = g_strsplit (line, ",", -1);
      n_fields = (int) g_strv_length (fields);
      cols[0] = c.image_x, cols[1] = c.image_y, cols[2] = c.ref_x, cols[3] = c.ref_y, cols[4] = c.enabled;
      for (int k = 0; k < 5; k++)
        {
          if (cols[k] < 0 || (k == 4 && cols[k] >= n_fields))
            continue;  /* no enabled column: enabled */
          if (cols[k] >= n_fields || !parse_number (fields[cols[k]], &v[k]))
            {
              g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                           "Cannot read tie points from ‘%s’, line %u: expected image_x,image_y,ref_x,ref_y"
                           "[,enabled] as numbers, found ‘%s’", path, l + 1, line);
              return NULL;
            }
        }
      p.image_x = v[0];
      p.image_y = c.qgis ? -v[1] : v[1];
      p.enabled = v[4] != 0;
      if (c.qgis && ref_geotransform)
        {
          p.ref_x = inv[0] + inv[1] * v[2] + inv[2] * v[3];
          p.ref_y = inv[3] + inv[4] * v[2] + inv[5] * v[3];
        }
      else
        {
          p.ref_x = v[2];
          p.ref_y = c.qgis ? -v[3] : v[3];
        }
      g_array_append_val (points, p);
    }
  if (points->len == 0)
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot read tie points from ‘%s’: it holds no points", path);
      return NULL;
    }
  return g_steal_pointer (&points);
}

/* --- exports ------------------------------------------------------------------- */

static void
to_map (const double *g,
        double        u,
        double        v,
        double       *x,
        double       *y)
{
  if (g == NULL)
    {
      *x = u;
      *y = v;
      return;
    }
  *x = g[0] + g[1] * u + g[2] * v;
  *y = g[3] + g[4] * u + g[5] * v;
}

/* Image pixel → map: the reference's geotransform after the registration's affine. */
static void
compose_affine (const double *g,
                const double  t[6],
                double        out[6])
{
  static const double identity[6] = { 0, 1, 0, 0, 0, 1 };

  if (g == NULL)
    g = identity;
  out[0] = g[0] + g[1] * t[0] + g[2] * t[3];
  out[1] = g[1] * t[1] + g[2] * t[4];
  out[2] = g[1] * t[2] + g[2] * t[5];
  out[3] = g[3] + g[4] * t[0] + g[5] * t[3];
  out[4] = g[4] * t[1] + g[5] * t[4];
  out[5] = g[4] * t[2] + g[5] * t[5];
}

static gboolean
gdal_failed (GError    **error,
             const char *path,
             const char *what)
{
  const char *msg = CPLGetLastErrorMsg ();

  g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_IO, "Cannot %s ‘%s’: %s", what, path,
               msg && *msg ? msg : "GDAL gave no reason");
  return FALSE;
}

gboolean
sl_registration_export_vrt (SlRegistration *self,
                            const char     *image_path,
                            const double   *ref_geotransform,
                            const char     *crs_wkt,
                            const char     *vrt_path,
                            GError        **error)
{
  g_auto(SlGdalDataset) src = NULL;
  GDALDatasetH vrt;
  GDALDriverH driver = GDALGetDriverByName ("VRT");
  g_autoptr(GArray) gcps = g_array_new (FALSE, TRUE, sizeof (GDAL_GCP));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  double t[6], gt[6];
  gboolean ok = TRUE;

  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  g_return_val_if_fail (image_path != NULL && vrt_path != NULL, FALSE);

  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  src = GDALOpen (image_path, GA_ReadOnly);
  CPLPopErrorHandler ();
  if (src == NULL)
    return gdal_failed (error, image_path, "open");
  if (driver == NULL || (vrt = GDALCreateCopy (driver, vrt_path, src, FALSE, NULL, NULL, NULL)) == NULL)
    return gdal_failed (error, vrt_path, "write");

  if (sl_registration_get_affine (self, t))
    {
      compose_affine (ref_geotransform, t, gt);
      ok = GDALSetGeoTransform (vrt, gt) == CE_None
           && (crs_wkt == NULL || GDALSetProjection (vrt, crs_wkt) == CE_None);
    }
  else
    {
      if (self->kind == SL_TRANSFORM_PROJECTIVE)
        {
          /* GDAL has no homography: a dense grid lets gdalwarp -tps (or -order 2/3) follow it. */
          const int grid = 8;
          int w = self->width > 0 ? self->width : GDALGetRasterXSize (src);
          int h = self->height > 0 ? self->height : GDALGetRasterYSize (src);

          for (int j = 0; j <= grid; j++)
            for (int i = 0; i <= grid; i++)
              {
                GDAL_GCP g = { 0 };
                double u, v;

                g.dfGCPPixel = (double) w * i / grid;
                g.dfGCPLine = (double) h * j / grid;
                if (!sl_registration_forward (self, g.dfGCPPixel, g.dfGCPLine, &u, &v))
                  continue;
                to_map (ref_geotransform, u, v, &g.dfGCPX, &g.dfGCPY);
                g_array_append_val (gcps, g);
              }
        }
      else
        for (guint i = 0; i < self->n_points; i++)
          if (self->points[i].enabled)
            {
              GDAL_GCP g = { 0 };

              g.dfGCPPixel = self->points[i].image_x;
              g.dfGCPLine = self->points[i].image_y;
              to_map (ref_geotransform, self->points[i].ref_x, self->points[i].ref_y, &g.dfGCPX, &g.dfGCPY);
              g_array_append_val (gcps, g);
            }
      for (guint i = 0; i < gcps->len; i++)
        {
          GDAL_GCP *g = &g_array_index (gcps, GDAL_GCP, i);
          char *id = g_strdup_printf ("%u", i + 1);

          g_ptr_array_add (ids, id);
          g->pszId = id;
          g->pszInfo = (char *) "";
        }
      ok = GDALSetGCPs (vrt, (int) gcps->len, (GDAL_GCP *) (void *) gcps->data, crs_wkt ? crs_wkt : "") == CE_None;
    }
  ok = ok && GDALSetMetadataItem (vrt, "SITELAPSE_TRANSFORM", sl_transform_kind_to_string (self->kind), NULL) == CE_None;
  if (!ok)
    gdal_failed (error, vrt_path, "georeference");
  GDALFlushCache (vrt);
  if (ok && CPLGetLastErrorType () == CE_Failure)
    ok = gdal_failed (error, vrt_path, "write");
  GDALClose (vrt);
  if (!ok)
    g_remove (vrt_path);
  return ok;
}

static gboolean
is_world_file_name (const char *path)
{
  const char *dot = strrchr (path, '.');
  size_t len;

  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR))
    return FALSE;
  len = strlen (dot + 1);
  return g_ascii_strcasecmp (dot + 1, "wld") == 0
         || ((len == 3 || len == 4) && g_ascii_tolower (dot[len]) == 'w');
}

gboolean
sl_registration_export_world_file (SlRegistration *self,
                                   const double   *ref_geotransform,
                                   const char     *path,
                                   GError        **error)
{
  double t[6], gt[6];
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) local = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double values[6];

  g_return_val_if_fail (SL_IS_REGISTRATION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!is_world_file_name (path))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_INVALID,
                   "Cannot write ‘%s’: a world file is named after its image with .jgw (JPEG), .tfw (TIFF), "
                   ".pgw (PNG) or .wld", path);
      return FALSE;
    }
  if (!sl_registration_get_affine (self, t))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_NOT_AFFINE,
                   "Cannot write ‘%s’: a %s transform needs a VRT; a world file holds only an affine "
                   "transform (shift, scale, rotation, shear)", path, sl_transform_kind_to_string (self->kind));
      return FALSE;
    }
  compose_affine (ref_geotransform, t, gt);
  /* A, D, B, E, then the centre of the top-left pixel. */
  values[0] = gt[1];
  values[1] = gt[4];
  values[2] = gt[2];
  values[3] = gt[5];
  values[4] = gt[0] + 0.5 * gt[1] + 0.5 * gt[2];
  values[5] = gt[3] + 0.5 * gt[4] + 0.5 * gt[5];
  for (int i = 0; i < 6; i++)
    g_string_append_printf (text, "%s\n", g_ascii_dtostr (buf, sizeof buf, values[i]));
  if (!g_file_set_contents (path, text->str, (gssize) text->len, &local))
    {
      g_set_error (error, SL_REGISTRATION_ERROR, SL_REGISTRATION_ERROR_IO, "Cannot write ‘%s’: %s",
                   path, local->message);
      return FALSE;
    }
  return TRUE;
}
