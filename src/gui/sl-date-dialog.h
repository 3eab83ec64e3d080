/* sl-date-dialog.h — asks for the acquisition date of an image whose metadata has none
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_TYPE_DATE_DIALOG (sl_date_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SlDateDialog, sl_date_dialog, SL, DATE_DIALOG, AdwMessageDialog)

/* Responses: "add" (enabled once the entries hold a valid date) and "skip". */
SlDateDialog *sl_date_dialog_new       (GtkWindow    *parent,
                                        const char   *file_name);
/* The date and optional time entered, as UTC; NULL when they do not parse. */
GDateTime    *sl_date_dialog_dup_date  (SlDateDialog *self);
void          sl_date_dialog_set_text  (SlDateDialog *self,
                                        const char   *date,
                                        const char   *time);

G_END_DECLS
