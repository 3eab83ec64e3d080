/* sl-scene-row.c — one scene in the sidebar: label, date, provider, pixels, georeference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-row"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sl-scene-row.h"

struct _SlSceneRow
{
  GtkListBoxRow  parent_instance;

  SlScene       *scene;

  GtkLabel      *title_label;
  GtkLabel      *badge_label;
  GtkLabel      *date_label;
  GtkLabel      *provider_label;
  GtkLabel      *pixels_label;
};

G_DEFINE_FINAL_TYPE (SlSceneRow, sl_scene_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_SCENE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "WGS 84 / UTM zone 36N" → "UTM 36N"; "WGS 84 / Pseudo-Mercator" → "Pseudo-Mercator". */
char *
sl_scene_row_shorten_crs_name (const char *name)
{
  const char *utm = strstr (name, "UTM zone ");
  const char *slash;

  if (utm != NULL)
    {
      const char *zone = utm + strlen ("UTM zone ");
      gsize len = strcspn (zone, " ,;)");

      if (len > 0)
        return g_strdup_printf ("UTM %.*s", (int) len, zone);
    }

  slash = g_strrstr (name, " / ");
  if (slash != NULL && slash[3] != '\0')
    return g_strdup (slash + 3);

  return g_strdup (name);
}

static void
update_row (SlSceneRow *self)
{
  SlScene *scene = self->scene;
  GDateTime *acquired = sl_scene_get_acquired (scene);
  const char *provider = sl_scene_get_provider (scene);
  const char *sensor = sl_scene_get_sensor (scene);
  const char *label = sl_scene_get_label (scene);
  const char *source = sl_scene_get_source_path (scene);
  g_autofree char *date = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *pixels = NULL;
  g_autofree char *badge = NULL;
  g_autofree char *georef = NULL;
  g_autofree char *source_base = NULL;
  g_autoptr(GString) tooltip = NULL;

  if (source != NULL)
    source_base = g_path_get_basename (source);

  if (label == NULL || *label == '\0')
    label = source_base != NULL ? source_base : _("Untitled Scene");
  gtk_label_set_label (self->title_label, label);

  date = acquired != NULL ? sl_scene_row_format_date (acquired) : g_strdup (_("No date"));
  gtk_label_set_label (self->date_label, date);

  if (provider != NULL && *provider != '\0' && sensor != NULL && *sensor != '\0')
    origin = g_strdup_printf ("%s · %s", provider, sensor);
  else if (provider != NULL && *provider != '\0')
    origin = g_strdup (provider);
  else if (sensor != NULL && *sensor != '\0')
    origin = g_strdup (sensor);
  else
    origin = g_strdup (_("Unknown provider"));
  gtk_label_set_label (self->provider_label, origin);

  /* Translators: image size and bands, e.g. "2048 × 2048 · 3 × Byte" */
  pixels = g_strdup_printf (_("%d × %d · %d × %s"),
                            sl_scene_get_width (scene),
                            sl_scene_get_height (scene),
                            sl_scene_get_band_count (scene),
                            sl_scene_get_data_type (scene) != NULL ? sl_scene_get_data_type (scene) : "?");
  gtk_label_set_label (self->pixels_label, pixels);

  badge = sl_scene_row_dup_badge (scene);
  georef = sl_scene_describe_georef (scene);
  gtk_label_set_label (self->badge_label, badge);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->badge_label), georef);
  if (sl_scene_get_georef (scene) == SL_GEOREF_GEOTRANSFORM)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->badge_label), "warning");

  /* The full provenance, which the narrow sidebar ellipsizes. */
  tooltip = g_string_new (source);
  if (origin != NULL)
    g_string_append_printf (tooltip, "\n%s", origin);
  if (sl_scene_get_credit (scene) != NULL && *sl_scene_get_credit (scene) != '\0')
    g_string_append_printf (tooltip, "\n%s", sl_scene_get_credit (scene));
  if (sl_scene_get_caption (scene) != NULL && *sl_scene_get_caption (scene) != '\0')
    g_string_append_printf (tooltip, "\n%s", sl_scene_get_caption (scene));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip->str);
}

static void
sl_scene_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SlSceneRow *self = SL_SCENE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SlSceneRow *self = SL_SCENE_ROW (object);

  switch (prop_id)
    {
    case PROP_SCENE:
      self->scene = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_row_constructed (GObject *object)
{
  SlSceneRow *self = SL_SCENE_ROW (object);

  G_OBJECT_CLASS (sl_scene_row_parent_class)->constructed (object);

  g_assert (SL_IS_SCENE (self->scene));
  update_row (self);
}

static void
sl_scene_row_dispose (GObject *object)
{
  SlSceneRow *self = SL_SCENE_ROW (object);

  g_clear_object (&self->scene);

  /* No gtk_widget_dispose_template(): GtkListBoxRow unparents its child itself. */
  G_OBJECT_CLASS (sl_scene_row_parent_class)->dispose (object);
}

static void
sl_scene_row_class_init (SlSceneRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_scene_row_get_property;
  object_class->set_property = sl_scene_row_set_property;
  object_class->constructed = sl_scene_row_constructed;
  object_class->dispose = sl_scene_row_dispose;

  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL,
                         SL_TYPE_SCENE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-scene-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, provider_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, pixels_label);
}

static void
sl_scene_row_init (SlSceneRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sl_scene_row_new (SlScene *scene)
{
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);

  return g_object_new (SL_TYPE_SCENE_ROW, "scene", scene, NULL);
}

SlScene *
sl_scene_row_get_scene (SlSceneRow *self)
{
  g_return_val_if_fail (SL_IS_SCENE_ROW (self), NULL);

  return self->scene;
}

char *
sl_scene_row_format_date (GDateTime *acquired)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (acquired != NULL, NULL);

  utc = g_date_time_to_utc (acquired);
  /* Translators: an acquisition date and time, see g_date_time_format(): "21 Feb 2022 08:52 UTC" */
  return g_date_time_format (utc, _("%-d %b %Y %H:%M UTC"));
}

char *
sl_scene_row_dup_badge (SlScene *scene)
{
  g_autofree char *description = NULL;
  const char *open;
  const char *close;

  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);

  switch (sl_scene_get_georef (scene))
    {
    case SL_GEOREF_NONE:
      return g_strdup (_("Not registered"));

    case SL_GEOREF_GCPS:
      return g_strdup (_("GCPs only"));

    case SL_GEOREF_GEOTRANSFORM:
    default:
      break;
    }

  /* The core describes it as "Georeferenced (WGS 84 / UTM zone 36N)": the badge keeps
   * the projection, the tooltip the whole description. */
  description = sl_scene_describe_georef (scene);
  open = description != NULL ? strchr (description, '(') : NULL;
  close = open != NULL ? strrchr (open, ')') : NULL;
  if (open != NULL && close != NULL && close > open + 1)
    {
      g_autofree char *name = g_strndup (open + 1, close - open - 1);
      return sl_scene_row_shorten_crs_name (name);
    }

  return g_strdup (_("Georeferenced"));
}

const char *
_sl_scene_row_get_text (SlSceneRow *self,
                        guint       index)
{
  GtkLabel *labels[5];

  g_return_val_if_fail (SL_IS_SCENE_ROW (self), NULL);
  g_return_val_if_fail (index < G_N_ELEMENTS (labels), NULL);

  labels[0] = self->title_label;
  labels[1] = self->date_label;
  labels[2] = self->provider_label;
  labels[3] = self->pixels_label;
  labels[4] = self->badge_label;

  return gtk_label_get_label (labels[index]);
}
