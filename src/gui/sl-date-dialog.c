/* sl-date-dialog.c — asks for the acquisition date of an image whose metadata has none
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-date-dialog"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sl-date-dialog.h"
#include "sl-scene.h"

struct _SlDateDialog
{
  AdwMessageDialog  parent_instance;

  AdwEntryRow      *date_row;
  AdwEntryRow      *time_row;
};

G_DEFINE_FINAL_TYPE (SlDateDialog, sl_date_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* Accepts "H:MM", "HH:MM" or "HH:MM:SS"; "" means midnight. */
static char *
compose_iso_text (const char *date,
                  const char *time)
{
  g_autofree char *d = g_strstrip (g_strdup (date));
  g_autofree char *t = g_strstrip (g_strdup (time));

  if (*d == '\0')
    return NULL;

  if (*t == '\0')
    return g_steal_pointer (&d);

  /* A date that already carries its time cannot take a second one. */
  if (strchr (d, 'T') != NULL || strchr (d, ' ') != NULL)
    return NULL;

  if (strlen (t) == 4 && t[1] == ':')
    return g_strdup_printf ("%sT0%s:00Z", d, t);
  if (strlen (t) == 5)
    return g_strdup_printf ("%sT%s:00Z", d, t);
  if (strlen (t) == 8)
    return g_strdup_printf ("%sT%sZ", d, t);

  return NULL;
}

static void
set_row_valid (AdwEntryRow *row,
               gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

static void
on_entry_changed (SlDateDialog *self,
                  GtkEditable  *editable)
{
  g_autoptr(GDateTime) date = sl_date_dialog_dup_date (self);
  const char *date_text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  const char *time_text = gtk_editable_get_text (GTK_EDITABLE (self->time_row));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", date != NULL);

  /* Only flag what the user finished typing in a wrong form. */
  set_row_valid (self->date_row, date != NULL || strlen (date_text) < 10);
  set_row_valid (self->time_row, date != NULL || *time_text == '\0' || strlen (time_text) < 5);
}

static void
sl_date_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SL_TYPE_DATE_DIALOG);

  G_OBJECT_CLASS (sl_date_dialog_parent_class)->dispose (object);
}

static void
sl_date_dialog_class_init (SlDateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_date_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-date-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SlDateDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, SlDateDialog, time_row);
}

static void
sl_date_dialog_init (SlDateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->date_row, "changed", G_CALLBACK (on_entry_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->time_row, "changed", G_CALLBACK (on_entry_changed), self,
                           G_CONNECT_SWAPPED);
}

SlDateDialog *
sl_date_dialog_new (GtkWindow  *parent,
                    const char *file_name)
{
  SlDateDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  self = g_object_new (SL_TYPE_DATE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("“%s” has no acquisition date in its metadata. Enter the date it was taken, in UTC, to place it on the site’s timeline."),
                                  file_name);

  return self;
}

GDateTime *
sl_date_dialog_dup_date (SlDateDialog *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SL_IS_DATE_DIALOG (self), NULL);

  text = compose_iso_text (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                           gtk_editable_get_text (GTK_EDITABLE (self->time_row)));
  if (text == NULL)
    return NULL;

  return sl_scene_parse_date (text);
}

void
sl_date_dialog_set_text (SlDateDialog *self,
                         const char   *date,
                         const char   *time)
{
  g_return_if_fail (SL_IS_DATE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date != NULL ? date : "");
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time != NULL ? time : "");
}
