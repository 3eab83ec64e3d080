/* sl-scene.c — one dated image of the site and its provenance
 *
 * An SlScene is a plain model object: the project store fills it from sl_scenes, the probe
 * fills it from GDAL. Editable provenance fields are properties so views can bind to them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gdal.h>
#include <ogr_srs_api.h>

#include "sl-autocleanups-private.h"
#include "sl-scene-private.h"

G_DEFINE_FINAL_TYPE (SlScene, sl_scene, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ACQUIRED,
  PROP_LABEL,
  PROP_PROVIDER,
  PROP_SENSOR,
  PROP_CREDIT,
  PROP_CAPTION,
  PROP_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (sl-scene-error-quark, sl_scene_error)

static void
set_string (SlScene *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
sl_scene_finalize (GObject *object)
{
  SlScene *self = SL_SCENE (object);

  g_clear_pointer (&self->acquired, g_date_time_unref);
  g_free (self->label);
  g_free (self->provider);
  g_free (self->sensor);
  g_free (self->credit);
  g_free (self->caption);
  g_free (self->registration);
  g_free (self->source_path);
  g_free (self->sha256);
  g_free (self->driver);
  g_free (self->data_type);
  g_free (self->crs_wkt);
  g_clear_pointer (&self->render_params, sl_render_params_free);

  G_OBJECT_CLASS (sl_scene_parent_class)->finalize (object);
}

static void
sl_scene_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SlScene *self = SL_SCENE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_ACQUIRED: g_value_set_boxed (value, self->acquired); break;
    case PROP_LABEL: g_value_set_string (value, self->label); break;
    case PROP_PROVIDER: g_value_set_string (value, self->provider); break;
    case PROP_SENSOR: g_value_set_string (value, self->sensor); break;
    case PROP_CREDIT: g_value_set_string (value, self->credit); break;
    case PROP_CAPTION: g_value_set_string (value, self->caption); break;
    case PROP_VISIBLE: g_value_set_boolean (value, self->visible); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SlScene *self = SL_SCENE (object);

  switch (prop_id)
    {
    case PROP_ACQUIRED: sl_scene_set_acquired (self, g_value_get_boxed (value)); break;
    case PROP_LABEL: sl_scene_set_label (self, g_value_get_string (value)); break;
    case PROP_PROVIDER: sl_scene_set_provider (self, g_value_get_string (value)); break;
    case PROP_SENSOR: sl_scene_set_sensor (self, g_value_get_string (value)); break;
    case PROP_CREDIT: sl_scene_set_credit (self, g_value_get_string (value)); break;
    case PROP_CAPTION: sl_scene_set_caption (self, g_value_get_string (value)); break;
    case PROP_VISIBLE: sl_scene_set_visible (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_class_init (SlSceneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sl_scene_finalize;
  object_class->get_property = sl_scene_get_property;
  object_class->set_property = sl_scene_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACQUIRED] =
    g_param_spec_boxed ("acquired", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, rw);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, rw);
  properties[PROP_SENSOR] = g_param_spec_string ("sensor", NULL, NULL, NULL, rw);
  properties[PROP_CREDIT] = g_param_spec_string ("credit", NULL, NULL, NULL, rw);
  properties[PROP_CAPTION] = g_param_spec_string ("caption", NULL, NULL, NULL, rw);
  properties[PROP_VISIBLE] = g_param_spec_boolean ("visible", NULL, NULL, TRUE, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_scene_init (SlScene *self)
{
  self->visible = TRUE;
  self->georef = SL_GEOREF_NONE;
  self->geotransform[1] = 1.0;
  self->geotransform[5] = 1.0;
}

SlScene *
sl_scene_new (void)
{
  return g_object_new (SL_TYPE_SCENE, NULL);
}

GDateTime *
sl_scene_parse_date (const char *text)
{
  g_autofree char *s = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  int y, mo, d, h = 0, mi = 0;
  double sec = 0;
  char sep;

  if (text == NULL)
    return NULL;
  s = g_strstrip (g_strdup (text));
  if (*s == '\0')
    return NULL;

  /* Full ISO 8601 with an explicit zone first ("…Z", "…+02:00"). */
  if (strchr (s, 'T') != NULL)
    {
      GDateTime *dt = g_date_time_new_from_iso8601 (s, utc);

      if (dt != NULL)
        {
          GDateTime *in_utc = g_date_time_to_utc (dt);

          g_date_time_unref (dt);
          return in_utc;
        }
    }

  /* "2022-02-20", "2022-02-20 09:41[:00[.5]]", EXIF/TIFF "2022:02:20 09:41:00" (taken as UTC). */
  if (sscanf (s, "%4d%c%2d%*c%2d", &y, &sep, &mo, &d) == 4 && (sep == '-' || sep == ':' || sep == '/'))
    {
      const char *rest = s + 10;

      if (strlen (s) < 10)
        return NULL;
      if (*rest == ' ' || *rest == 'T')
        {
          const char *tail;
          const char *time_end;
          int n = 0;

          if (sscanf (rest + 1, "%2d:%2d%n", &h, &mi, &n) < 2)
            return NULL;
          tail = rest + 1 + n;
          if (*tail == ':')
            {
              int m = 0;

              if (sscanf (tail + 1, "%lf%n", &sec, &m) < 1 || !(sec >= 0 && sec < 60))
                return NULL;
              tail += 1 + m;
            }
          time_end = tail;
          while (*tail == ' ')
            tail++;
          /* Anything after the time must say UTC: an offset typed after a space
           * ("… 10:52 +02:00") is read as ISO 8601, never silently dropped. */
          if (*tail != '\0' && g_ascii_strcasecmp (tail, "Z") != 0 &&
              g_ascii_strcasecmp (tail, "UTC") != 0 && g_ascii_strcasecmp (tail, "GMT") != 0)
            {
              g_autofree char *iso = NULL;
              g_autoptr(GDateTime) dt = NULL;

              iso = g_strdup_printf ("%.10sT%.*s%s%s", s, (int) (time_end - rest - 1), rest + 1,
                                     time_end == rest + 1 + n ? ":00" : "", tail);
              dt = g_date_time_new_from_iso8601 (iso, utc);
              return dt != NULL ? g_date_time_to_utc (dt) : NULL;
            }
        }
      else if (*rest != '\0' && *rest != 'Z')
        return NULL;
      if (y < 1900 || y > 2200)
        return NULL;
      return g_date_time_new (utc, y, mo, d, h, mi, sec);
    }
  return NULL;
}

gint64 sl_scene_get_id (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->id; }
GDateTime *sl_scene_get_acquired (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->acquired; }
const char *sl_scene_get_label (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->label; }
const char *sl_scene_get_provider (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->provider; }
const char *sl_scene_get_sensor (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->sensor; }
const char *sl_scene_get_credit (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->credit; }
const char *sl_scene_get_caption (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->caption; }
gboolean sl_scene_get_visible (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), TRUE); return self->visible; }
const char *sl_scene_get_source_path (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->source_path; }
const char *sl_scene_get_sha256 (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->sha256; }
gint64 sl_scene_get_file_size (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->file_size; }
int sl_scene_get_width (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->width; }
int sl_scene_get_height (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->height; }
int sl_scene_get_band_count (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->band_count; }
const char *sl_scene_get_data_type (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->data_type; }
gboolean sl_scene_get_has_mask (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), FALSE); return self->has_mask; }
gboolean sl_scene_get_has_palette (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), FALSE); return self->has_palette; }
const char *sl_scene_get_driver (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->driver; }
SlGeoref sl_scene_get_georef (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), SL_GEOREF_NONE); return self->georef; }
const char *sl_scene_get_crs_wkt (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), NULL); return self->crs_wkt; }
int sl_scene_get_gcp_count (SlScene *self) { g_return_val_if_fail (SL_IS_SCENE (self), 0); return self->gcp_count; }

gboolean
sl_scene_get_nodata (SlScene *self, double *nodata)
{
  g_return_val_if_fail (SL_IS_SCENE (self), FALSE);
  if (self->has_nodata && nodata)
    *nodata = self->nodata;
  return self->has_nodata;
}

gboolean
sl_scene_get_geotransform (SlScene *self, double gt[6])
{
  g_return_val_if_fail (SL_IS_SCENE (self), FALSE);
  if (gt)
    memcpy (gt, self->geotransform, sizeof self->geotransform);
  return self->georef == SL_GEOREF_GEOTRANSFORM;
}

gboolean
sl_scene_get_pixel_to_site (SlScene *self, double t[6])
{
  g_return_val_if_fail (SL_IS_SCENE (self), FALSE);
  if (self->has_pixel_to_site && t)
    memcpy (t, self->pixel_to_site, sizeof self->pixel_to_site);
  return self->has_pixel_to_site;
}

gboolean
sl_scene_is_registered (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), FALSE);
  return self->georef == SL_GEOREF_GEOTRANSFORM || self->registration != NULL;
}

const char *
sl_scene_get_registration (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), NULL);
  return self->registration;
}

const SlRenderParams *
sl_scene_get_render_params (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), NULL);
  return self->render_params;
}

guint32
sl_scene_get_render_generation (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), 0);
  return self->render_generation;
}

void
sl_scene_set_acquired (SlScene *self, GDateTime *acquired)
{
  g_return_if_fail (SL_IS_SCENE (self));

  if (acquired == self->acquired ||
      (acquired && self->acquired && g_date_time_equal (acquired, self->acquired)))
    return;
  g_clear_pointer (&self->acquired, g_date_time_unref);
  if (acquired)
    self->acquired = g_date_time_to_utc (acquired);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACQUIRED]);
}

void sl_scene_set_label (SlScene *self, const char *v) { g_return_if_fail (SL_IS_SCENE (self)); set_string (self, &self->label, v, PROP_LABEL); }
void sl_scene_set_provider (SlScene *self, const char *v) { g_return_if_fail (SL_IS_SCENE (self)); set_string (self, &self->provider, v, PROP_PROVIDER); }
void sl_scene_set_sensor (SlScene *self, const char *v) { g_return_if_fail (SL_IS_SCENE (self)); set_string (self, &self->sensor, v, PROP_SENSOR); }
void sl_scene_set_credit (SlScene *self, const char *v) { g_return_if_fail (SL_IS_SCENE (self)); set_string (self, &self->credit, v, PROP_CREDIT); }
void sl_scene_set_caption (SlScene *self, const char *v) { g_return_if_fail (SL_IS_SCENE (self)); set_string (self, &self->caption, v, PROP_CAPTION); }

void
sl_scene_set_visible (SlScene *self, gboolean visible)
{
  g_return_if_fail (SL_IS_SCENE (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);
}

char *
sl_scene_format_acquired (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), NULL);
  if (self->acquired == NULL)
    return NULL;
  {
    g_autofree char *base = g_date_time_format (self->acquired, "%Y-%m-%dT%H:%M:%S");
    return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (self->acquired) / 1000);
  }
}

char *
sl_scene_describe_georef (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), NULL);

  switch (self->georef)
    {
    case SL_GEOREF_GEOTRANSFORM:
      {
        g_auto(SlOgrSrs) srs = OSRNewSpatialReference (NULL);
        const char *name = NULL;

        if (self->crs_wkt && OSRImportFromWkt (srs, (char *[]) { self->crs_wkt }) == OGRERR_NONE)
          name = OSRGetName (srs);
        return name ? g_strdup_printf ("Georeferenced (%s)", name) : g_strdup ("Georeferenced");
      }
    case SL_GEOREF_GCPS:
      return g_strdup_printf ("Ground control points only (%d)", self->gcp_count);
    case SL_GEOREF_NONE:
    default:
      /* Placed by a registration that is not affine (sl_project_register_scene). */
      return g_strdup (self->registration != NULL ? "Registered by tie points" : "Not registered");
    }
}

char *
sl_scene_describe_pixels (SlScene *self)
{
  g_return_val_if_fail (SL_IS_SCENE (self), NULL);
  return g_strdup_printf ("%d × %d, %d × %s%s%s", self->width, self->height, self->band_count,
                          self->data_type ? self->data_type : "?",
                          self->has_palette ? ", palette" : "",
                          self->has_mask ? ", mask" : "");
}

void
_sl_scene_set_id (SlScene *self, gint64 id)
{
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

void
_sl_scene_set_source_path (SlScene *self, const char *path)
{
  g_free (self->source_path);
  self->source_path = g_strdup (path);
}

char *
_sl_scene_default_label (const char *path, GDateTime *acquired)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  if (acquired)
    {
      g_autofree char *date = g_date_time_format (acquired, "%-d %b %Y");
      return g_strdup_printf ("%s — %s", base, date);
    }
  return g_steal_pointer (&base);
}
