/* sl-scene-editor.c — a dialog to edit a scene's details: label, date, provenance, caption
 *
 * The dialog edits a snapshot of the scene and, on save, applies its fields to the scene as
 * stored now, so a change made meanwhile elsewhere (its visibility, say) is kept. Nothing is
 * written until the date reads as a date; every save is one committed edit of the project.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-scene-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-scene-editor.h"

struct _SlSceneEditor
{
  AdwWindow       parent_instance;

  SlProject      *project;
  SlScene        *scene;
  /* The date as the dialog first wrote it: saved unchanged, it keeps the stored instant
   * exactly (the text shows minutes or seconds, the file keeps milliseconds). */
  char           *date_text;
  gboolean        date_error_shown;

  AdwWindowTitle *window_title;
  AdwEntryRow    *label_row;
  AdwEntryRow    *date_row;
  AdwEntryRow    *provider_row;
  AdwEntryRow    *sensor_row;
  AdwEntryRow    *credit_row;
  GtkTextView    *caption_view;
  GtkLabel       *message_label;
};

G_DEFINE_FINAL_TYPE (SlSceneEditor, sl_scene_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SCENE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "2022-02-21 08:52", or with seconds when it has some: what sl_scene_parse_date() reads back. */
static char *
format_date (GDateTime *acquired)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (acquired);

  if (g_date_time_get_seconds (utc) != 0)
    return g_date_time_format (utc, "%Y-%m-%d %H:%M:%S");
  return g_date_time_format (utc, "%Y-%m-%d %H:%M");
}

/* The text of a field, trimmed; NULL when there is none. */
static char *
dup_field (const char *text)
{
  char *s = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*s == '\0')
    g_clear_pointer (&s, g_free);
  return s;
}

static char *
dup_caption (SlSceneEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->caption_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return dup_field (text);
}

static void
set_date_valid (SlSceneEditor *self,
                gboolean       valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->date_row), GTK_ACCESSIBLE_STATE_INVALID,
                               valid ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

static void
show_message (SlSceneEditor *self,
              const char    *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  self->date_error_shown = FALSE;
}

static void
show_date_error (SlSceneEditor *self,
                 const char    *text)
{
  g_autofree char *trimmed = dup_field (text);
  g_autofree char *message = NULL;

  if (trimmed == NULL)
    message = g_strdup (_("A scene needs its acquisition date. Write it as 2022-02-21 or 2022-02-21 08:52, in UTC."));
  else
    /* Translators: %s is what the user typed in the date field */
    message = g_strdup_printf (_("“%s” is not a date. Write it as 2022-02-21 or 2022-02-21 08:52, in UTC."),
                               trimmed);
  show_message (self, message);
  self->date_error_shown = TRUE;
  set_date_valid (self, FALSE);
}

static void
fill_fields (SlSceneEditor *self)
{
  SlScene *scene = self->scene;
  GDateTime *acquired = sl_scene_get_acquired (scene);
  g_autofree char *file_name = NULL;

  g_clear_pointer (&self->date_text, g_free);
  self->date_text = acquired != NULL ? format_date (acquired) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->label_row), sl_scene_get_label (scene) ? sl_scene_get_label (scene) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), self->date_text);
  gtk_editable_set_text (GTK_EDITABLE (self->provider_row),
                         sl_scene_get_provider (scene) ? sl_scene_get_provider (scene) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sensor_row), sl_scene_get_sensor (scene) ? sl_scene_get_sensor (scene) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->credit_row), sl_scene_get_credit (scene) ? sl_scene_get_credit (scene) : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->caption_view),
                            sl_scene_get_caption (scene) ? sl_scene_get_caption (scene) : "", -1);

  if (sl_scene_get_source_path (scene) != NULL)
    file_name = g_path_get_basename (sl_scene_get_source_path (scene));
  adw_window_title_set_subtitle (self->window_title, file_name);
}

static void
on_date_changed (SlSceneEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  g_autoptr(GDateTime) parsed = sl_scene_parse_date (text);

  /* Marked as it is typed; the message waits for an attempt to save. */
  set_date_valid (self, parsed != NULL);
  if (parsed != NULL && self->date_error_shown)
    show_message (self, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (widget);
  const char *date_text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  g_autoptr(GDateTime) acquired = NULL;
  g_autoptr(SlScene) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *sensor = NULL;
  g_autofree char *credit = NULL;
  g_autofree char *caption = NULL;

  g_return_if_fail (self->project != NULL && self->scene != NULL);

  if (g_strcmp0 (date_text, self->date_text) == 0 && sl_scene_get_acquired (self->scene) != NULL)
    acquired = g_date_time_ref (sl_scene_get_acquired (self->scene));
  else
    acquired = sl_scene_parse_date (date_text);
  if (acquired == NULL)
    {
      show_date_error (self, date_text);
      gtk_widget_grab_focus (GTK_WIDGET (self->date_row));
      return;
    }

  stored = sl_project_get_scene (self->project, sl_scene_get_id (self->scene), &error);
  if (stored == NULL)
    {
      show_message (self, error->message);
      return;
    }

  label = dup_field (gtk_editable_get_text (GTK_EDITABLE (self->label_row)));
  provider = dup_field (gtk_editable_get_text (GTK_EDITABLE (self->provider_row)));
  sensor = dup_field (gtk_editable_get_text (GTK_EDITABLE (self->sensor_row)));
  credit = dup_field (gtk_editable_get_text (GTK_EDITABLE (self->credit_row)));
  caption = dup_caption (self);

  sl_scene_set_acquired (stored, acquired);
  sl_scene_set_label (stored, label);
  sl_scene_set_provider (stored, provider);
  sl_scene_set_sensor (stored, sensor);
  sl_scene_set_credit (stored, credit);
  sl_scene_set_caption (stored, caption);
  if (!sl_project_update_scene (self->project, stored, &error))
    {
      show_message (self, error->message);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
sl_scene_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_SCENE:
      g_value_set_object (value, self->scene);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;

    case PROP_SCENE:
      self->scene = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_scene_editor_constructed (GObject *object)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (object);

  G_OBJECT_CLASS (sl_scene_editor_parent_class)->constructed (object);

  if (self->scene != NULL)
    fill_fields (self);
  /* Connected after filling: the first text is not an edit. */
  g_signal_connect_object (self->date_row, "changed", G_CALLBACK (on_date_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->project != NULL && self->scene != NULL && sl_scene_get_id (self->scene) > 0);
}

static void
sl_scene_editor_dispose (GObject *object)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_SCENE_EDITOR);
  g_clear_object (&self->project);
  g_clear_object (&self->scene);

  G_OBJECT_CLASS (sl_scene_editor_parent_class)->dispose (object);
}

static void
sl_scene_editor_finalize (GObject *object)
{
  SlSceneEditor *self = SL_SCENE_EDITOR (object);

  g_free (self->date_text);

  G_OBJECT_CLASS (sl_scene_editor_parent_class)->finalize (object);
}

static void
sl_scene_editor_class_init (SlSceneEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_scene_editor_get_property;
  object_class->set_property = sl_scene_editor_set_property;
  object_class->constructed = sl_scene_editor_constructed;
  object_class->dispose = sl_scene_editor_dispose;
  object_class->finalize = sl_scene_editor_finalize;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         SL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCENE] =
    g_param_spec_object ("scene", NULL, NULL,
                         SL_TYPE_SCENE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-scene-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, label_row);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, provider_row);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, sensor_row);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, credit_row);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, caption_view);
  gtk_widget_class_bind_template_child (widget_class, SlSceneEditor, message_label);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
sl_scene_editor_init (SlSceneEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Read out with the field it is about. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->date_row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->message_label, NULL, -1);
}

SlSceneEditor *
sl_scene_editor_new (GtkWindow *parent,
                     SlProject *project,
                     SlScene   *scene)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_SCENE (scene), NULL);

  return g_object_new (SL_TYPE_SCENE_EDITOR,
                       "transient-for", parent,
                       "project", project,
                       "scene", scene,
                       NULL);
}

gint64
sl_scene_editor_get_scene_id (SlSceneEditor *self)
{
  g_return_val_if_fail (SL_IS_SCENE_EDITOR (self), 0);

  return self->scene != NULL ? sl_scene_get_id (self->scene) : 0;
}

GtkWidget *
_sl_scene_editor_get_field (SlSceneEditor *self,
                            const char    *name)
{
  g_return_val_if_fail (SL_IS_SCENE_EDITOR (self), NULL);

  const struct { const char *name; gpointer widget; } fields[] = {
    { "label", self->label_row },
    { "date", self->date_row },
    { "provider", self->provider_row },
    { "sensor", self->sensor_row },
    { "credit", self->credit_row },
    { "caption", self->caption_view },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return GTK_WIDGET (fields[i].widget);
  g_return_val_if_reached (NULL);
}

const char *
_sl_scene_editor_get_message (SlSceneEditor *self)
{
  g_return_val_if_fail (SL_IS_SCENE_EDITOR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}
