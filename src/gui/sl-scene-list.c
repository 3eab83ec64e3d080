/* sl-scene-list.c — the sidebar list of a project's scenes, by acquisition date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-list"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-scene-list.h"
#include "sl-scene-row.h"
#include "sl-window.h"

struct _SlSceneList
{
  GtkWidget   parent_instance;

  SlProject  *project;
  GListStore *scenes;

  GtkWidget  *box;
  GtkLabel   *heading_label;
  GtkStack   *stack;
  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (SlSceneList, sl_scene_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return sl_scene_row_new (SL_SCENE (item));
}

static void
reload (SlSceneList *self)
{
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_scenes;

  if (self->project != NULL)
    {
      scenes = sl_project_list_scenes (self->project, &error);
      if (scenes == NULL)
        {
          GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), SL_TYPE_WINDOW);

          if (window != NULL)
            sl_window_show_error (SL_WINDOW (window), error);
          else
            g_warning ("%s", error->message);
        }
    }

  if (scenes != NULL)
    g_list_store_splice (self->scenes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scenes)),
                         scenes->pdata, scenes->len);
  else
    g_list_store_remove_all (self->scenes);

  n_scenes = g_list_model_get_n_items (G_LIST_MODEL (self->scenes));
  gtk_stack_set_visible_child_name (self->stack, n_scenes > 0 ? "scenes" : "empty");

  if (n_scenes > 0)
    {
      g_autofree char *heading = NULL;

      /* Translators: the sidebar heading, the number of dated images in the project */
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Scene", "%u Scenes", n_scenes), n_scenes);
      gtk_label_set_label (self->heading_label, heading);
    }
  else
    {
      gtk_label_set_label (self->heading_label, _("Scenes"));
    }
}

static void
on_project_scenes_changed (SlSceneList *self,
                           SlProject   *project)
{
  reload (self);
}

static void
sl_scene_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SlSceneList *self = SL_SCENE_LIST (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SlSceneList *self = SL_SCENE_LIST (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      sl_scene_list_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_list_dispose (GObject *object)
{
  SlSceneList *self = SL_SCENE_LIST (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_scenes_changed, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_SCENE_LIST);
  g_clear_object (&self->project);
  g_clear_object (&self->scenes);

  G_OBJECT_CLASS (sl_scene_list_parent_class)->dispose (object);
}

static void
sl_scene_list_class_init (SlSceneListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_scene_list_get_property;
  object_class->set_property = sl_scene_list_set_property;
  object_class->dispose = sl_scene_list_dispose;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         SL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-scene-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SlSceneList, box);
  gtk_widget_class_bind_template_child (widget_class, SlSceneList, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SlSceneList, stack);
  gtk_widget_class_bind_template_child (widget_class, SlSceneList, list_box);

  gtk_widget_class_set_css_name (widget_class, "scenelist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_scene_list_init (SlSceneList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->scenes = g_list_store_new (SL_TYPE_SCENE);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->scenes), create_row, self, NULL);
  reload (self);
}

GtkWidget *
sl_scene_list_new (void)
{
  return g_object_new (SL_TYPE_SCENE_LIST, NULL);
}

SlProject *
sl_scene_list_get_project (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return self->project;
}

void
sl_scene_list_set_project (SlSceneList *self,
                           SlProject   *project)
{
  g_return_if_fail (SL_IS_SCENE_LIST (self));
  g_return_if_fail (project == NULL || SL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_scenes_changed, self);

  g_set_object (&self->project, project);

  if (project != NULL)
    g_signal_connect_object (project, "scenes-changed",
                             G_CALLBACK (on_project_scenes_changed), self,
                             G_CONNECT_SWAPPED);

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

GListModel *
sl_scene_list_get_model (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return G_LIST_MODEL (self->scenes);
}

GtkListBox *
_sl_scene_list_get_list_box (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return self->list_box;
}
