/* sl-tie-point-editor-list.c — the tie-point editor's list of pairs: number, the two points,
 * the residuals in image and reference pixels, enabled, delete; the worst rows in red
 *
 * The list is rebuilt from the editor's pairs after each change (tens of rows, not thousands).
 * Its rows change nothing themselves: they activate the editor's "tie.*" actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-tie-point-editor-private.h"

/* Column widths, shared by the header and the rows so they line up. */
static const int column_widths[] = { 34, 34, 150, 150, 96, 96, 34 };

typedef struct
{
  GtkListBox *box;
  GArray     *rows;      /* SlTiePairRow, as last shown */
  gboolean    updating;  /* selecting rows from the editor, not the user */
} PairList;

static void
pair_list_free (gpointer data)
{
  PairList *list = data;

  g_array_unref (list->rows);
  g_free (list);
}

static PairList *
get_list (GtkWidget *widget)
{
  PairList *list = g_object_get_data (G_OBJECT (widget), "sl-pair-list");

  g_assert (list != NULL);
  return list;
}

static GtkWidget *
cell (const char *text,
      int         column,
      float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_size_request (label, column_widths[column], -1);
  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
on_row_selected (GtkWidget     *widget,
                 GtkListBoxRow *row,
                 GtkListBox    *box)
{
  PairList *list = get_list (widget);

  if (list->updating || row == NULL)
    return;
  gtk_widget_activate_action (widget, "tie.select", "u", (guint32) gtk_list_box_row_get_index (row));
}

static void
on_enabled_toggled (GtkCheckButton *check,
                    GtkWidget      *widget)
{
  PairList *list = get_list (widget);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "sl-index"));

  if (list->updating)
    return;
  gtk_widget_activate_action (widget, "tie.toggle", "u", (guint32) index);
}

static GtkWidget *
build_row (GtkWidget          *widget,
           const SlTiePairRow *r,
           guint               index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *number, *image, *ref, *res_image, *res_ref;
  g_autofree char *n = g_strdup_printf ("%u", index + 1);
  g_autofree char *image_text = g_strdup_printf ("%.1f, %.1f", r->point.image_x, r->point.image_y);
  g_autofree char *ref_text = g_strdup_printf ("%.1f, %.1f", r->point.ref_x, r->point.ref_y);
  g_autofree char *res_image_text = r->has_residual ? g_strdup_printf ("%.2f", r->residual.image_error) : g_strdup ("—");
  g_autofree char *res_ref_text = r->has_residual ? g_strdup_printf ("%.2f", r->residual.ref_error) : g_strdup ("—");
  g_autofree char *check_label = g_strdup_printf (_("Use Pair %u"), index + 1);
  g_autofree char *remove_label = g_strdup_printf (_("Remove Pair %u"), index + 1);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 2);
  gtk_widget_set_margin_bottom (box, 2);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), r->point.enabled);
  gtk_widget_set_size_request (check, column_widths[0], -1);
  gtk_widget_set_tooltip_text (check, _("Use this pair in the fit"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label, -1);
  g_object_set_data (G_OBJECT (check), "sl-index", GUINT_TO_POINTER (index));
  g_signal_connect (check, "toggled", G_CALLBACK (on_enabled_toggled), widget);
  gtk_box_append (GTK_BOX (box), check);

  number = cell (n, 1, 0.5);
  gtk_widget_add_css_class (number, "heading");
  gtk_box_append (GTK_BOX (box), number);
  image = cell (image_text, 2, 1);
  ref = cell (ref_text, 3, 1);
  res_image = cell (res_image_text, 4, 1);
  res_ref = cell (res_ref_text, 5, 1);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), ref);
  gtk_box_append (GTK_BOX (box), res_image);
  gtk_box_append (GTK_BOX (box), res_ref);
  if (r->worst)
    {
      gtk_widget_add_css_class (number, "error");
      gtk_widget_add_css_class (res_image, "error");
      gtk_widget_add_css_class (res_ref, "error");
      gtk_widget_set_tooltip_text (row, _("One of the largest residuals: check this pair"));
    }
  if (!r->point.enabled)
    {
      gtk_widget_add_css_class (image, "dim-label");
      gtk_widget_add_css_class (ref, "dim-label");
      gtk_widget_add_css_class (res_image, "dim-label");
      gtk_widget_add_css_class (res_ref, "dim-label");
    }

  gtk_widget_set_hexpand (remove, TRUE);
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Pair"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "tie.delete");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_uint32 (index));
  gtk_box_append (GTK_BOX (box), remove);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

GtkWidget *
_sl_tie_pair_list_new (void)
{
  static const char *titles[] = { "", "#", N_("Image (px)"), N_("Reference (px)"),
                                  N_("Error (image px)"), N_("Error (ref. px)") };
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_list_box_new ();
  GtkWidget *placeholder = gtk_label_new (_("Click a point on one image, then the same point on the other"));
  PairList *list = g_new0 (PairList, 1);

  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);
  gtk_widget_set_margin_top (header, 4);
  gtk_widget_set_margin_bottom (header, 4);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *title = cell (i < 2 ? titles[i] : _(titles[i]), i, i < 2 ? 0.5 : 1);

      gtk_widget_add_css_class (title, "caption-heading");
      gtk_widget_add_css_class (title, "dim-label");
      gtk_box_append (GTK_BOX (header), title);
    }
  gtk_box_append (GTK_BOX (outer), header);
  gtk_box_append (GTK_BOX (outer), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 18);
  gtk_widget_set_margin_bottom (placeholder, 18);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (box), placeholder);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_SINGLE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (outer), scrolled);

  list->box = GTK_LIST_BOX (box);
  list->rows = g_array_new (FALSE, FALSE, sizeof (SlTiePairRow));
  g_object_set_data_full (G_OBJECT (outer), "sl-pair-list", list, pair_list_free);
  g_signal_connect_swapped (box, "row-selected", G_CALLBACK (on_row_selected), outer);
  return outer;
}

void
_sl_tie_pair_list_update (GtkWidget          *widget,
                          const SlTiePairRow *rows,
                          guint               n_rows,
                          int                 selected)
{
  PairList *list = get_list (widget);
  GtkWidget *child;

  list->updating = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list->box))) != NULL)
    {
      if (!GTK_IS_LIST_BOX_ROW (child))
        break;
      gtk_list_box_remove (list->box, child);
    }
  g_array_set_size (list->rows, 0);
  if (n_rows > 0)
    g_array_append_vals (list->rows, rows, n_rows);
  for (guint i = 0; i < n_rows; i++)
    gtk_list_box_append (list->box, build_row (widget, &rows[i], i));
  if (selected >= 0 && (guint) selected < n_rows)
    gtk_list_box_select_row (list->box, gtk_list_box_get_row_at_index (list->box, selected));
  list->updating = FALSE;
}

void
_sl_tie_pair_list_select (GtkWidget *widget,
                          guint      index)
{
  PairList *list = get_list (widget);
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list->box, index);

  if (row == NULL)
    return;
  list->updating = TRUE;
  gtk_list_box_select_row (list->box, row);
  list->updating = FALSE;
}

char *
_sl_tie_pair_list_describe_row (GtkWidget *widget,
                                guint      index)
{
  PairList *list = get_list (widget);
  const SlTiePairRow *r;

  if (index >= list->rows->len || gtk_list_box_get_row_at_index (list->box, index) == NULL)
    return NULL;
  r = &g_array_index (list->rows, SlTiePairRow, index);
  if (!r->has_residual)
    return g_strdup_printf ("%u %s no residual", index + 1, r->point.enabled ? "on" : "off");
  return g_strdup_printf ("%u %s %.2f %.2f%s", index + 1, r->point.enabled ? "on" : "off",
                          r->residual.image_error, r->residual.ref_error, r->worst ? " worst" : "");
}
