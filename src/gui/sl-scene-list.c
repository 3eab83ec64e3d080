/* sl-scene-list.c — the sidebar list of a project's scenes, by acquisition date
 *
 * The list reloads from the project on every "scenes-changed": the project file is the one
 * truth, and every edit (hiding a scene, its details) is written there first. Reloading
 * keeps the selection and the keyboard focus where they were.
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
  /* The scenes not hidden from comparisons. */
  GtkFilterListModel *visible_scenes;
  SlSceneThumbnails  *thumbnails;
  SlSceneEditor      *editor;  /* weak */
  gint64      selected_scene_id;
  gboolean    reloading;

  GtkWidget  *box;
  GtkLabel   *heading_label;
  GtkStack   *stack;
  GtkListBox *list_box;
};

/* The rows open the details dialog: its type (and template) is known with the list's. */
G_DEFINE_FINAL_TYPE_WITH_CODE (SlSceneList, sl_scene_list, GTK_TYPE_WIDGET,
                               g_type_ensure (SL_TYPE_SCENE_EDITOR))

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SELECTED_SCENE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which part of a row had the keyboard focus before a reload took the rows away. */
typedef enum
{
  FOCUS_NONE,
  FOCUS_ROW,
  FOCUS_VISIBILITY,
  FOCUS_EDIT,
} FocusPart;

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SlSceneList *self = user_data;
  GtkWidget *row = sl_scene_row_new (SL_SCENE (item));

  sl_scene_row_set_thumbnails (SL_SCENE_ROW (row), self->thumbnails);
  return row;
}

static gboolean
is_scene_visible (gpointer item,
                  gpointer user_data)
{
  return sl_scene_get_visible (SL_SCENE (item));
}

static void
report_error (SlSceneList  *self,
              const GError *error)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), SL_TYPE_WINDOW);

  if (window != NULL)
    sl_window_show_error (SL_WINDOW (window), error);
  else
    g_warning ("%s", error->message);
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

static FocusPart
find_focus (SlSceneList *self,
            gint64      *scene_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row;

  *scene_id = 0;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_box)))
    return FOCUS_NONE;
  row = SL_IS_SCENE_ROW (focus) ? focus : gtk_widget_get_ancestor (focus, SL_TYPE_SCENE_ROW);
  if (row == NULL)
    return FOCUS_NONE;
  *scene_id = sl_scene_get_id (sl_scene_row_get_scene (SL_SCENE_ROW (row)));
  if (focus == _sl_scene_row_get_visibility_button (SL_SCENE_ROW (row)))
    return FOCUS_VISIBILITY;
  if (focus == _sl_scene_row_get_edit_button (SL_SCENE_ROW (row)))
    return FOCUS_EDIT;
  return FOCUS_ROW;
}

static void
restore_focus (SlSceneList *self,
               FocusPart    part,
               gint64       scene_id)
{
  int index = find_scene (self, scene_id);
  GtkListBoxRow *row;

  if (part == FOCUS_NONE)
    return;
  row = index >= 0 ? gtk_list_box_get_row_at_index (self->list_box, index) : NULL;
  if (row == NULL)
    return;
  switch (part)
    {
    case FOCUS_VISIBILITY:
      gtk_widget_grab_focus (_sl_scene_row_get_visibility_button (SL_SCENE_ROW (row)));
      break;
    case FOCUS_EDIT:
      gtk_widget_grab_focus (_sl_scene_row_get_edit_button (SL_SCENE_ROW (row)));
      break;
    case FOCUS_ROW:
    case FOCUS_NONE:
    default:
      gtk_widget_grab_focus (GTK_WIDGET (row));
      break;
    }
}

static void
reload (SlSceneList *self)
{
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_scenes;
  gint64 focus_scene_id;
  FocusPart focus_part;

  if (self->project != NULL)
    {
      scenes = sl_project_list_scenes (self->project, &error);
      if (scenes == NULL)
        report_error (self, error);
    }

  focus_part = find_focus (self, &focus_scene_id);

  self->reloading = TRUE;
  if (scenes != NULL)
    g_list_store_splice (self->scenes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scenes)),
                         scenes->pdata, scenes->len);
  else
    g_list_store_remove_all (self->scenes);
  self->reloading = FALSE;
  /* The scene shown stays shown; the first time (or when it went away), the default one. */
  select_scene (self, self->selected_scene_id);
  restore_focus (self, focus_part, focus_scene_id);

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
close_editor (SlSceneList *self)
{
  if (self->editor == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->editor)));
}

static void
toggle_visible_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SlSceneList *self = SL_SCENE_LIST (widget);
  gint64 scene_id = g_variant_get_int64 (parameter);
  int index = find_scene (self, scene_id);
  g_autoptr(SlScene) shown = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || index < 0)
    return;

  /* The opposite of what the row shows, applied to the scene as stored now. */
  shown = g_list_model_get_item (G_LIST_MODEL (self->scenes), index);
  stored = sl_project_get_scene (self->project, scene_id, &error);
  if (stored != NULL)
    {
      sl_scene_set_visible (stored, !sl_scene_get_visible (shown));
      sl_project_update_scene (self->project, stored, &error);
    }
  if (error != NULL)
    report_error (self, error);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlSceneList *self = SL_SCENE_LIST (widget);
  int index = find_scene (self, g_variant_get_int64 (parameter));
  g_autoptr(SlScene) scene = NULL;
  GtkRoot *root;

  if (self->project == NULL || index < 0)
    return;

  /* One dialog at a time: another scene's replaces it. */
  if (self->editor != NULL && sl_scene_editor_get_scene_id (self->editor) == g_variant_get_int64 (parameter))
    {
      gtk_window_present (GTK_WINDOW (self->editor));
      return;
    }
  close_editor (self);

  scene = g_list_model_get_item (G_LIST_MODEL (self->scenes), index);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->editor = sl_scene_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->project, scene);
  g_object_add_weak_pointer (G_OBJECT (self->editor), (gpointer *) &self->editor);
  gtk_window_present (GTK_WINDOW (self->editor));
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

  close_editor (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_SCENE_LIST);
  g_clear_object (&self->project);
  g_clear_object (&self->thumbnails);
  g_clear_object (&self->visible_scenes);
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

  gtk_widget_class_install_action (widget_class, "scenes.toggle-visible", "x", toggle_visible_action);
  gtk_widget_class_install_action (widget_class, "scenes.edit", "x", edit_action);

  gtk_widget_class_set_css_name (widget_class, "scenelist");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_scene_list_init (SlSceneList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->scenes = g_list_store_new (SL_TYPE_SCENE);
  self->visible_scenes = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->scenes)),
                                                    GTK_FILTER (gtk_custom_filter_new (is_scene_visible,
                                                                                       NULL, NULL)));
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

  close_editor (self);
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

GListModel *
sl_scene_list_get_visible_model (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return G_LIST_MODEL (self->visible_scenes);
}

void
sl_scene_list_set_thumbnails (SlSceneList       *self,
                              SlSceneThumbnails *thumbnails)
{
  g_return_if_fail (SL_IS_SCENE_LIST (self));
  g_return_if_fail (thumbnails == NULL || SL_IS_SCENE_THUMBNAILS (thumbnails));

  if (!g_set_object (&self->thumbnails, thumbnails))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (SL_IS_SCENE_ROW (child))
      sl_scene_row_set_thumbnails (SL_SCENE_ROW (child), thumbnails);
}

SlSceneThumbnails *
sl_scene_list_get_thumbnails (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return self->thumbnails;
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

SlSceneEditor *
_sl_scene_list_get_editor (SlSceneList *self)
{
  g_return_val_if_fail (SL_IS_SCENE_LIST (self), NULL);

  return self->editor;
}
