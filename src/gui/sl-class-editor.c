/* sl-class-editor.c — a dialog to edit a project's classes: names, colours, merge, delete
 *
 * One row per class, kept in step with the class set's "changed" (and the store's, for the
 * counts) by updating rows in place: a name being typed in one row survives a change made
 * through another. Nothing is batched: each apply, colour, merge or delete is one call of
 * SlClassSet, one committed transaction. Class edits are not on the undo stack; a class
 * removed clears it, since its edits could bring back annotations of a class that is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-class-editor"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sl-class-editor.h"

/* What a row shows, kept on the row (its widgets are the row's children). */
typedef struct
{
  gint64     id;
  char      *name;     /* as stored: the entry's text differs while the user types */
  char      *colour;
  guint      uses;
  GtkWidget *row;      /* AdwEntryRow */
  GtkWidget *colour_button;
  GtkWidget *key_label;
  GtkWidget *menu_button;
} ClassRow;

struct _SlClassEditor
{
  AdwWindow             parent_instance;

  SlAnnotationStore    *store;
  SlClassSet           *classes;
  SlUndoStack          *undo;
  gboolean              read_only;
  gboolean              filling;      /* colours set by the editor, not picked */
  GHashTable           *rows;         /* gint64 * (the ClassRow's id) → AdwEntryRow, not owned */
  AdwMessageDialog     *question;     /* not owned: the dialog destroys itself */

  AdwWindowTitle       *window_title;
  GtkWidget            *read_only_box;
  AdwPreferencesGroup  *classes_group;
  GtkListBox           *class_list;
  GtkLabel             *message_label;
  GtkWidget            *add_group;
  AdwEntryRow          *add_row;
};

G_DEFINE_FINAL_TYPE (SlClassEditor, sl_class_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLASSES,
  PROP_UNDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (SlClassEditor *self);

/* --- helpers --- */

static void
class_row_free (ClassRow *cr)
{
  g_free (cr->name);
  g_free (cr->colour);
  g_free (cr);
}

static ClassRow *
class_row_of (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "sl-class-row");
}

static void
show_message (SlClassEditor *self,
              const char    *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
set_row_error (SlClassEditor *self,
               GtkWidget     *row,
               const char    *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, message);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  show_message (self, message);
}

static char *
format_colour (const GdkRGBA *rgba)
{
  return g_strdup_printf ("#%02x%02x%02x",
                          (guint) lround (CLAMP (rgba->red, 0, 1) * 255),
                          (guint) lround (CLAMP (rgba->green, 0, 1) * 255),
                          (guint) lround (CLAMP (rgba->blue, 0, 1) * 255));
}

/* A class removed with its annotations (or unused): the undo history could bring back
 * annotations of it. */
static void
forget_history (SlClassEditor *self)
{
  if (self->undo != NULL)
    sl_undo_stack_clear (self->undo);
}

static GMenuModel *
build_menu (ClassRow *cr)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) merge = g_menu_item_new (_("_Merge Into…"), NULL);
  /* A question only when annotations use the class. */
  g_autoptr(GMenuItem) remove = g_menu_item_new (cr->uses > 0 ? _("_Delete…") : _("_Delete"), NULL);

  g_menu_item_set_action_and_target_value (merge, "classes.merge", g_variant_new_int64 (cr->id));
  g_menu_item_set_action_and_target_value (remove, "classes.delete", g_variant_new_int64 (cr->id));
  g_menu_append_item (menu, merge);
  g_menu_append_item (menu, remove);
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* --- callbacks --- */

static void
on_name_apply (SlClassEditor *self,
               AdwEntryRow   *row)
{
  ClassRow *cr = class_row_of (GTK_WIDGET (row));
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (cr == NULL || self->read_only)
    return;
  if (g_strcmp0 (text, cr->name) == 0)
    {
      set_row_error (self, GTK_WIDGET (row), NULL);
      return;
    }
  if (!sl_class_set_rename (self->classes, cr->id, text, &error))
    {
      set_row_error (self, GTK_WIDGET (row), error->message);
      return;
    }
  set_row_error (self, GTK_WIDGET (row), NULL);
  /* The stored name, trimmed ("changed" has updated cr->name already). */
  gtk_editable_set_text (GTK_EDITABLE (row), cr->name);
}

static void
on_name_changed (SlClassEditor *self,
                 AdwEntryRow   *row)
{
  ClassRow *cr = class_row_of (GTK_WIDGET (row));

  /* Typed back to what is stored: no longer wrong. */
  if (cr != NULL && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), cr->name) == 0 &&
      gtk_widget_has_css_class (GTK_WIDGET (row), "error"))
    set_row_error (self, GTK_WIDGET (row), NULL);
}

static void
on_colour_set (SlClassEditor  *self,
               GParamSpec     *pspec,
               GtkColorButton *button)
{
  ClassRow *cr = g_object_get_data (G_OBJECT (button), "sl-class-row");
  g_autoptr(GError) error = NULL;
  g_autofree char *colour = NULL;
  GdkRGBA rgba;

  if (self->filling || cr == NULL || self->read_only)
    return;
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  colour = format_colour (&rgba);
  if (g_strcmp0 (colour, cr->colour) == 0)
    return;
  if (!sl_class_set_recolour (self->classes, cr->id, colour, &error))
    {
      show_message (self, error->message);
      /* Back to the stored colour. */
      if (gdk_rgba_parse (&rgba, cr->colour))
        {
          self->filling = TRUE;
          gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (button), &rgba);
          self->filling = FALSE;
        }
      return;
    }
  show_message (self, NULL);
}

static void
on_add_apply (SlClassEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlClass) added = NULL;
  GtkWidget *row;

  if (self->classes == NULL || self->read_only)
    return;
  added = sl_class_set_add (self->classes, gtk_editable_get_text (GTK_EDITABLE (self->add_row)), NULL, &error);
  if (added == NULL)
    {
      set_row_error (self, GTK_WIDGET (self->add_row), error->message);
      return;
    }
  set_row_error (self, GTK_WIDGET (self->add_row), NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  /* "changed" has added its row: show it. */
  row = g_hash_table_lookup (self->rows, &added->id);
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static void
on_add_changed (SlClassEditor *self)
{
  if (gtk_widget_has_css_class (GTK_WIDGET (self->add_row), "error"))
    set_row_error (self, GTK_WIDGET (self->add_row), NULL);
}

static void
on_question_response (SlClassEditor    *self,
                      const char       *response,
                      AdwMessageDialog *dialog)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "sl-class-id");
  GArray *targets = g_object_get_data (G_OBJECT (dialog), "sl-targets");
  AdwComboRow *combo = g_object_get_data (G_OBJECT (dialog), "sl-combo");
  guint selected = adw_combo_row_get_selected (combo);
  gint64 into = selected < targets->len ? g_array_index (targets, gint64, selected) : 0;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (self->question == dialog)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->question);
      self->question = NULL;
    }
  if (g_str_equal (response, "merge"))
    done = into > 0 && sl_class_set_merge (self->classes, id, into, &error);
  else if (g_str_equal (response, "move"))
    done = into > 0 && sl_class_set_remove (self->classes, id, into, FALSE, &error);
  else if (g_str_equal (response, "delete-annotations"))
    done = sl_class_set_remove (self->classes, id, 0, TRUE, &error);
  else
    return;
  if (!done)
    {
      show_message (self, error != NULL ? error->message : _("Choose the class the annotations go to"));
      return;
    }
  show_message (self, NULL);
  /* Its annotations went to @into: the history's rows follow them. Deleted with the class,
   * they cannot come back. */
  if (g_str_equal (response, "delete-annotations"))
    forget_history (self);
  else if (self->undo != NULL)
    sl_undo_stack_reclass (self->undo, id, into);
}

/* Asks about @cr: merge it (@merge), or delete it and its annotations. The other classes
 * are offered in a combo row, the first one chosen. */
static void
ask (SlClassEditor *self,
     ClassRow      *cr,
     gboolean       merge)
{
  g_autoptr(GPtrArray) classes = sl_class_set_list (self->classes, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GArray) targets = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *list, *combo;

  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      SlClass *klass = g_ptr_array_index (classes, i);

      if (klass->id == cr->id)
        continue;
      gtk_string_list_append (names, klass->name);
      g_array_append_val (targets, klass->id);
    }
  if (targets->len == 0)
    return;

  if (merge)
    {
      /* Translators: %s is a class name */
      heading = g_strdup_printf (_("Merge “%s”?"), cr->name);
      body = g_strdup_printf (ngettext ("Its %u annotation becomes the class chosen below, and “%s” is removed from the project.",
                                        "Its %u annotations become the class chosen below, and “%s” is removed from the project.",
                                        cr->uses),
                              cr->uses, cr->name);
    }
  else
    {
      /* Translators: %s is a class name */
      heading = g_strdup_printf (_("Delete “%s”?"), cr->name);
      body = g_strdup_printf (ngettext ("%u annotation uses this class. Move it to another class, or delete it with the class.",
                                        "%u annotations use this class. Move them to another class, or delete them with the class.",
                                        cr->uses),
                              cr->uses);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  if (merge)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "merge", _("_Merge"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "merge");
    }
  else
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "delete-annotations", _("_Delete Annotations"));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "move", _("_Move Annotations"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete-annotations",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "move");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  combo = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), merge ? _("Merge Into") : _("Move To"));
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (names));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), combo);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);

  g_object_set_data_full (G_OBJECT (dialog), "sl-class-id", g_memdup2 (&cr->id, sizeof cr->id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "sl-targets", g_steal_pointer (&targets), (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (dialog), "sl-combo", combo);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_question_response), self, G_CONNECT_SWAPPED);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->question);
  self->question = ADW_MESSAGE_DIALOG (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static ClassRow *
lookup_param (SlClassEditor *self,
              GVariant      *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  return row != NULL ? class_row_of (row) : NULL;
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SlClassEditor *self = SL_CLASS_EDITOR (widget);
  ClassRow *cr = lookup_param (self, parameter);

  if (cr != NULL && !self->read_only)
    ask (self, cr, TRUE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SlClassEditor *self = SL_CLASS_EDITOR (widget);
  ClassRow *cr = lookup_param (self, parameter);
  g_autoptr(GError) error = NULL;

  if (cr == NULL || self->read_only)
    return;
  /* Counted now: the row's count may be a moment old. */
  cr->uses = sl_class_set_count_uses (self->classes, cr->id);
  if (cr->uses > 0)
    {
      ask (self, cr, FALSE);
      return;
    }
  if (!sl_class_set_remove (self->classes, cr->id, 0, FALSE, &error))
    {
      show_message (self, error->message);
      return;
    }
  show_message (self, NULL);
  forget_history (self);
}

/* --- rows --- */

static GtkWidget *
new_row (SlClassEditor *self,
         const SlClass *klass)
{
  GtkWidget *row = adw_entry_row_new ();
  ClassRow *cr = g_new0 (ClassRow, 1);
  GtkWidget *key_box;

  cr->id = klass->id;
  cr->row = row;
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);

  cr->colour_button = gtk_color_button_new ();
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (cr->colour_button), FALSE);
  gtk_color_button_set_modal (GTK_COLOR_BUTTON (cr->colour_button), TRUE);
  gtk_widget_set_valign (cr->colour_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (cr->colour_button, "flat");
  adw_entry_row_add_prefix (ADW_ENTRY_ROW (row), cr->colour_button);

  /* Keys right-aligned in a column as wide as "Shift + 1", so the rows line up. */
  key_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_size_request (key_box, 104, -1);
  gtk_widget_set_hexpand (key_box, FALSE);
  cr->key_label = gtk_shortcut_label_new (NULL);
  gtk_widget_set_valign (cr->key_label, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (cr->key_label, GTK_ALIGN_END);
  gtk_widget_set_hexpand (cr->key_label, TRUE);
  gtk_box_append (GTK_BOX (key_box), cr->key_label);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), key_box);

  cr->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (cr->menu_button), "view-more-symbolic");
  gtk_widget_set_valign (cr->menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (cr->menu_button, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), cr->menu_button);

  g_object_set_data_full (G_OBJECT (row), "sl-class-row", cr, (GDestroyNotify) class_row_free);
  g_object_set_data (G_OBJECT (cr->colour_button), "sl-class-row", cr);
  g_signal_connect_object (row, "apply", G_CALLBACK (on_name_apply), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_name_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cr->colour_button, "notify::rgba", G_CALLBACK (on_colour_set), self, G_CONNECT_SWAPPED);
  return row;
}

static void
update_row (SlClassEditor *self,
            GtkWidget     *row,
            const SlClass *klass,
            guint          uses)
{
  ClassRow *cr = class_row_of (row);
  /* Above the name, where an entry row has its title. */
  g_autofree char *count = g_strdup_printf (ngettext ("%u annotation", "%u annotations", uses), uses);
  g_autofree char *colour_title = g_strdup_printf (_("Colour of “%s”"), klass->name);
  g_autoptr(GMenuModel) menu = NULL;
  GdkRGBA rgba;

  /* The name, unless the user is changing it. */
  if (cr->name == NULL || g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), cr->name) == 0)
    gtk_editable_set_text (GTK_EDITABLE (row), klass->name);
  g_free (cr->name);
  cr->name = g_strdup (klass->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, klass->name, -1);

  if (g_strcmp0 (cr->colour, klass->colour) != 0 && gdk_rgba_parse (&rgba, klass->colour))
    {
      self->filling = TRUE;
      gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (cr->colour_button), &rgba);
      self->filling = FALSE;
      g_free (cr->colour);
      cr->colour = g_strdup (klass->colour);
    }
  gtk_color_button_set_title (GTK_COLOR_BUTTON (cr->colour_button), colour_title);
  gtk_widget_set_tooltip_text (cr->colour_button, colour_title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cr->colour_button), GTK_ACCESSIBLE_PROPERTY_LABEL, colour_title, -1);

  cr->uses = uses;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, count, -1);

  gtk_shortcut_label_set_accelerator (GTK_SHORTCUT_LABEL (cr->key_label), klass->shortcut != NULL ? klass->shortcut : "");
  gtk_widget_set_opacity (cr->key_label, klass->shortcut != NULL && *klass->shortcut != '\0' ? 1.0 : 0.0);

  menu = build_menu (cr);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (cr->menu_button), menu);
  gtk_widget_set_tooltip_text (cr->menu_button, _("Merge or Delete"));

  gtk_editable_set_editable (GTK_EDITABLE (row), !self->read_only);
  gtk_widget_set_sensitive (cr->colour_button, !self->read_only);
  gtk_widget_set_sensitive (cr->menu_button, !self->read_only);
}

/* The rows in the class set's order, each up to date; rows of classes gone are removed. */
static void
refresh (SlClassEditor *self)
{
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *stale;

  if (self->classes == NULL)
    return;
  classes = sl_class_set_list (self->classes, &error);
  if (classes == NULL)
    {
      show_message (self, error->message);
      return;
    }
  for (guint i = 0; i < classes->len; i++)
    {
      SlClass *klass = g_ptr_array_index (classes, i);
      GtkWidget *row = g_hash_table_lookup (self->rows, &klass->id);

      if (row == NULL)
        {
          row = new_row (self, klass);
          g_hash_table_insert (self->rows, &class_row_of (row)->id, row);
          gtk_list_box_insert (self->class_list, row, (int) i);
        }
      else if (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) != (int) i)
        {
          g_object_ref (row);
          gtk_list_box_remove (self->class_list, row);
          gtk_list_box_insert (self->class_list, row, (int) i);
          g_object_unref (row);
        }
      update_row (self, row, klass, sl_class_set_count_uses (self->classes, klass->id));
    }
  /* Every class has its row in front: what is left behind them is gone. */
  while ((stale = gtk_list_box_get_row_at_index (self->class_list, (int) classes->len)) != NULL)
    {
      g_hash_table_remove (self->rows, &class_row_of (GTK_WIDGET (stale))->id);
      gtk_list_box_remove (self->class_list, GTK_WIDGET (stale));
    }
  /* A project keeps one class at least. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.merge", !self->read_only && classes->len > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.delete", !self->read_only && classes->len > 1);
}

/* --- the object --- */

static void
sl_class_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SlClassEditor *self = SL_CLASS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_CLASSES:
      g_value_set_object (value, self->classes);
      break;

    case PROP_UNDO:
      g_value_set_object (value, self->undo);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_class_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SlClassEditor *self = SL_CLASS_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_CLASSES:
      self->classes = g_value_dup_object (value);
      break;

    case PROP_UNDO:
      self->undo = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_class_editor_constructed (GObject *object)
{
  SlClassEditor *self = SL_CLASS_EDITOR (object);

  G_OBJECT_CLASS (sl_class_editor_parent_class)->constructed (object);

  /* Without a project (a template check) there is nothing to edit. */
  self->read_only = self->store == NULL || self->classes == NULL || sl_annotation_store_is_read_only (self->store);
  gtk_widget_set_visible (self->read_only_box, self->store != NULL && self->read_only);
  gtk_widget_set_visible (self->add_group, !self->read_only);
  if (self->read_only)
    adw_preferences_group_set_description (self->classes_group,
                                           _("While annotating, a class’s key picks it for new annotations."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.merge", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "classes.delete", FALSE);
  if (self->store != NULL)
    {
      g_autofree char *name = sl_project_dup_name (sl_annotation_store_get_project (self->store));

      adw_window_title_set_subtitle (self->window_title, name);
      g_signal_connect_object (self->store, "changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
    }
  if (self->classes != NULL)
    g_signal_connect_object (self->classes, "changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

static void
sl_class_editor_dispose (GObject *object)
{
  SlClassEditor *self = SL_CLASS_EDITOR (object);

  if (self->question != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->question), (gpointer *) &self->question);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->question)));
    }
  g_hash_table_remove_all (self->rows);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_CLASS_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->classes);
  g_clear_object (&self->undo);

  G_OBJECT_CLASS (sl_class_editor_parent_class)->dispose (object);
}

static void
sl_class_editor_finalize (GObject *object)
{
  SlClassEditor *self = SL_CLASS_EDITOR (object);

  g_hash_table_unref (self->rows);

  G_OBJECT_CLASS (sl_class_editor_parent_class)->finalize (object);
}

static void
sl_class_editor_class_init (SlClassEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_class_editor_get_property;
  object_class->set_property = sl_class_editor_set_property;
  object_class->constructed = sl_class_editor_constructed;
  object_class->dispose = sl_class_editor_dispose;
  object_class->finalize = sl_class_editor_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         SL_TYPE_ANNOTATION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASSES] =
    g_param_spec_object ("classes", NULL, NULL,
                         SL_TYPE_CLASS_SET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO] =
    g_param_spec_object ("undo", NULL, NULL,
                         SL_TYPE_UNDO_STACK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-class-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, read_only_box);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, classes_group);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, class_list);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, add_group);
  gtk_widget_class_bind_template_child (widget_class, SlClassEditor, add_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_add_changed);

  gtk_widget_class_install_action (widget_class, "classes.merge", "x", merge_action);
  gtk_widget_class_install_action (widget_class, "classes.delete", "x", delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sl_class_editor_init (SlClassEditor *self)
{
  self->rows = g_hash_table_new (g_int64_hash, g_int64_equal);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->add_row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->message_label, NULL, -1);
}

/* --- public API --- */

SlClassEditor *
sl_class_editor_new (GtkWindow         *parent,
                     SlAnnotationStore *store,
                     SlClassSet        *classes,
                     SlUndoStack       *undo)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SL_IS_ANNOTATION_STORE (store), NULL);
  g_return_val_if_fail (SL_IS_CLASS_SET (classes), NULL);
  g_return_val_if_fail (undo == NULL || SL_IS_UNDO_STACK (undo), NULL);

  return g_object_new (SL_TYPE_CLASS_EDITOR,
                       "transient-for", parent,
                       "store", store,
                       "classes", classes,
                       "undo", undo,
                       NULL);
}

GtkWidget *
_sl_class_editor_get_widget (SlClassEditor *self,
                             gint64         class_id,
                             const char    *name)
{
  GtkWidget *row;
  ClassRow *cr;

  g_return_val_if_fail (SL_IS_CLASS_EDITOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (class_id == 0)
    return g_str_equal (name, "add") ? GTK_WIDGET (self->add_row) : NULL;
  row = g_hash_table_lookup (self->rows, &class_id);
  if (row == NULL)
    return NULL;
  cr = class_row_of (row);
  if (g_str_equal (name, "name"))
    return cr->row;
  if (g_str_equal (name, "colour"))
    return cr->colour_button;
  if (g_str_equal (name, "key"))
    return cr->key_label;
  if (g_str_equal (name, "menu"))
    return cr->menu_button;
  return NULL;
}

const char *
_sl_class_editor_get_message (SlClassEditor *self)
{
  g_return_val_if_fail (SL_IS_CLASS_EDITOR (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_label (self->message_label) : NULL;
}

AdwMessageDialog *
_sl_class_editor_get_question (SlClassEditor *self)
{
  g_return_val_if_fail (SL_IS_CLASS_EDITOR (self), NULL);

  return self->question;
}
