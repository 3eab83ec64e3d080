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
  gint64      selected_scene_id;
  gboolean    reloading;

  GtkWidget  *box;
  GtkLabel   *heading_label;
  GtkStack   *stack;
  GtkListBox *list_box;
};

G_DEFINE_FINAL_TYPE (SlSceneList, sl_scene_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SELECTED_SCENE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return sl_scene_row_new (SL_SCENE (item));
}

static int
find_scene (SlSceneList *self,
            gint64       scene_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scenes));

  for (guint i = 0; i < n && scene_id > 0; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), i);

      if (sl_scene_get_id (scene) == scene_id)
        return (int) i;
    }
  return -1;
}

static void
set_selected (SlSceneList *self,
              gint64       scene_id)
{
  if (self->selected_scene_id == scene_id)
    return;
  self->selected_scene_id = scene_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SCENE_ID]);
}

static void
on_row_selected (SlSceneList   *self,
                 GtkListBoxRow *row,
                 GtkListBox    *list_box)
{
  /* Rows come and go while the list reloads: it settles the selection itself. */
  if (self->reloading)
    return;
  set_selected (self, row != NULL ? sl_scene_get_id (sl_scene_row_get_scene (SL_SCENE_ROW (row))) : 0);
}

/* The latest registered scene (press images of the same day come after the satellite scene
 * but show the site less faithfully), or the latest scene when none is registered. */
static int
default_index (SlSceneList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scenes));

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), i - 1);

      if (sl_scene_is_registered (scene))
        return (int) i - 1;
    }
  return (int) n - 1;
}

/* Selects the row of @scene_id, or the default scene when it is not in the list. */
static void
select_scene (SlSceneList *self,
              gint64       scene_id)
{
  int index = find_scene (self, scene_id);
  g_autoptr(SlScene) scene = NULL;

  if (index < 0)
    index = default_index (self);
  if (index < 0)
    {
      gtk_list_box_unselect_all (self->list_box);
      set_selected (self, 0);
      return;
    }

  scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), index);
  self->reloading = TRUE;
  gtk_list_box_select_row (self->list_box, gtk_list_box_get_row_at_index (self->list_box, index));
  self->reloading = FALSE;
  set_selected (self, sl_scene_get_id (scene));
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

  self->reloading = TRUE;
  if (scenes != NULL)
    g_list_store_splice (self->scenes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scenes)),
                         scenes->pdata, scenes->len);
  else
    g_list_store_remove_all (self->scenes);
  self->reloading = FALSE;
  /* The scene shown stays shown; the first time (or when it went away), the default one. */
  select_scene (self, self->selected_scene_id);

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

    case PROP_SELECTED_SCENE_ID:
      g_value_set_int64 (value, self->selected_scene_id);
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

    case PROP_SELECTED_SCENE_ID:
      sl_scene_list_set_selected_scene_id (self, g_value_get_int64 (value));
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
  properties[PROP_SELECTED_SCENE_ID] =
    g_param_spec_int64 ("selected-scene-id", NULL, NULL,
                        0, G_MAXINT64, 0,
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
  g_signal_connect_object (self->list_box, "row-selected", G_CALLBACK (on_row_selected), self, G_CONNECT_SWAPPED);
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
  gint64 before;

  g_return_if_fail (SL_IS_SCENE_LIST (self));
  g_return_if_fail (project == NULL || SL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_scenes_changed, self);

  g_set_object (&self->project, project);
  /* Another project: its default scene. */
  before = self->selected_scene_id;
  self->selected_scene_id = 0;

  if (project != NULL)
    g_signal_connect_object (project, "scenes-changed",
                             G_CALLBACK (on_project_scenes_changed), self,
                             G_CONNECT_SWAPPED);

  reload (self);
  if (self->selected_scene_id == 0 && before != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SCENE_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

GListModel *
sl_scene_list_get_model (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return G_LIST_MODEL (self->scenes);
}

gint64
sl_scene_list_get_selected_scene_id (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), 0);

  return self->selected_scene_id;
}

void
sl_scene_list_set_selected_scene_id (SlSceneList *self,
                                     gint64       scene_id)
{
  g_return_if_fail (SL_IS_SCENE_LIST (self));

  select_scene (self, scene_id);
}

GtkListBox *
_sl_scene_list_get_list_box (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return self->list_box;
}
