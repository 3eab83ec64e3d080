/* sl-scene-row.c — one scene in the sidebar: thumbnail, label, date, provider, pixels,
 * georeference, and buttons to hide it from comparisons and to edit its details
 *
 * The row only shows its scene: the buttons activate the list's actions with the scene id,
 * and the list writes the change to the project (every change reloads the list).
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
  SlSceneThumbnails *thumbnails;

  GtkWidget     *content_box;
  GtkStack      *thumbnail_stack;
  GtkImage      *thumbnail_image;
  GtkWidget     *visibility_button;
  GtkWidget     *edit_button;
  GtkLabel      *title_label;
  GtkLabel      *badge_label;
  GtkLabel      *date_label;
  GtkLabel      *provider_label;
  GtkLabel      *pixels_label;
  GtkWidget     *context_menu;  /* right click: details, registration */
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
update_thumbnail (SlSceneRow *self)
{
  GdkTexture *texture = NULL;

  if (self->thumbnails != NULL && sl_scene_get_id (self->scene) > 0)
    texture = sl_scene_thumbnails_lookup (self->thumbnails, sl_scene_get_id (self->scene));

  gtk_image_set_from_paintable (self->thumbnail_image, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->thumbnail_stack, texture != NULL ? "thumbnail" : "placeholder");
}

static void
update_visibility (SlSceneRow *self)
{
  gboolean visible = sl_scene_get_visible (self->scene);
  const char *what = visible ? _("Hide in Comparison") : _("Show in Comparison");
  gint64 scene_id = sl_scene_get_id (self->scene);

  gtk_button_set_icon_name (GTK_BUTTON (self->visibility_button),
                            visible ? "view-reveal-symbolic" : "view-conceal-symbolic");
  gtk_widget_set_tooltip_text (self->visibility_button, what);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->visibility_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, what, -1);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->visibility_button), g_variant_new_int64 (scene_id));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), g_variant_new_int64 (scene_id));

  if (visible)
    gtk_widget_remove_css_class (self->content_box, "dim-label");
  else
    gtk_widget_add_css_class (self->content_box, "dim-label");
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
  if (sl_scene_is_registered (scene))
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
  if (!sl_scene_get_visible (scene))
    g_string_append_printf (tooltip, "\n%s", _("Hidden in comparisons"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip->str);

  update_visibility (self);
}

static void
on_scene_notify (SlSceneRow *self)
{
  update_row (self);
}

static void
on_thumbnail_ready (SlSceneRow        *self,
                    gint64             scene_id,
                    SlSceneThumbnails *thumbnails)
{
  if (scene_id == sl_scene_get_id (self->scene))
    update_thumbnail (self);
}

/* Double-click: the details, as the edit button. */
static void
on_click_pressed (SlSceneRow      *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  if (n_press != 2 || sl_scene_get_id (self->scene) <= 0)
    return;
  if (gtk_widget_activate_action (GTK_WIDGET (self), "scenes.edit", "x", sl_scene_get_id (self->scene)))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Right click: the scene's menu. */
static void
on_context_pressed (SlSceneRow      *self,
                    int              n_press,
                    double           x,
                    double           y,
                    GtkGestureClick *gesture)
{
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) edit = NULL;
  g_autoptr(GMenuItem) reg = NULL;
  gint64 scene_id = sl_scene_get_id (self->scene);

  if (scene_id <= 0)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  menu = g_menu_new ();
  edit = g_menu_item_new (_("_Edit Details…"), NULL);
  reg = g_menu_item_new (_("_Register…"), NULL);
  g_menu_item_set_action_and_target_value (edit, "scenes.edit", g_variant_new_int64 (scene_id));
  g_menu_item_set_action_and_target_value (reg, "win.register-scene", g_variant_new_int64 (scene_id));
  g_menu_append_item (menu, edit);
  g_menu_append_item (menu, reg);
  if (self->context_menu == NULL)
    {
      self->context_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
      gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->context_menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
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
  g_signal_connect_object (self->scene, "notify", G_CALLBACK (on_scene_notify), self, G_CONNECT_SWAPPED);
  update_row (self);
  update_thumbnail (self);
}

static void
sl_scene_row_dispose (GObject *object)
{
  SlSceneRow *self = SL_SCENE_ROW (object);

  if (self->thumbnails != NULL)
    g_signal_handlers_disconnect_by_func (self->thumbnails, on_thumbnail_ready, self);
  g_clear_object (&self->thumbnails);
  if (self->scene != NULL)
    g_signal_handlers_disconnect_by_data (self->scene, self);
  g_clear_object (&self->scene);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);

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
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, thumbnail_stack);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, thumbnail_image);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, visibility_button);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, date_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, provider_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneRow, pixels_label);
}

static void
sl_scene_row_init (SlSceneRow *self)
{
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_click_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_context_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
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

void
sl_scene_row_set_thumbnails (SlSceneRow        *self,
                             SlSceneThumbnails *thumbnails)
{
  g_return_if_fail (SL_IS_SCENE_ROW (self));
  g_return_if_fail (thumbnails == NULL || SL_IS_SCENE_THUMBNAILS (thumbnails));

  if (self->thumbnails == thumbnails)
    return;
  if (self->thumbnails != NULL)
    g_signal_handlers_disconnect_by_func (self->thumbnails, on_thumbnail_ready, self);
  g_set_object (&self->thumbnails, thumbnails);
  if (thumbnails != NULL)
    g_signal_connect_object (thumbnails, "thumbnail-ready", G_CALLBACK (on_thumbnail_ready), self,
                             G_CONNECT_SWAPPED);
  if (self->scene != NULL)
    update_thumbnail (self);
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
      /* Placed by a registration that is not affine: warped onto its reference. */
      return g_strdup (sl_scene_is_registered (scene) ? _("Registered") : _("Not registered"));

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

GdkPaintable *
_sl_scene_row_get_thumbnail (SlSceneRow *self)
{
  g_return_val_if_fail (SL_IS_SCENE_ROW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->thumbnail_stack), "thumbnail") != 0)
    return NULL;
  return gtk_image_get_paintable (self->thumbnail_image);
}

GtkWidget *
_sl_scene_row_get_visibility_button (SlSceneRow *self)
{
  g_return_val_if_fail (SL_IS_SCENE_ROW (self), NULL);

  return self->visibility_button;
}

GtkWidget *
_sl_scene_row_get_edit_button (SlSceneRow *self)
{
  g_return_val_if_fail (SL_IS_SCENE_ROW (self), NULL);

  return self->edit_button;
}
