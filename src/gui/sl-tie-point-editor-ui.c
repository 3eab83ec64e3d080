/* sl-tie-point-editor-ui.c — the tie-point editor's widgets, and the previews of its two
 * images read in a worker thread
 *
 * The images are read once as previews of at most PREVIEW_MAX pixels a side: enough for
 * placing points at sub-pixel precision on images of that size, a bounded cost on large ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <math.h>
#include <gdal.h>
#include <glib/gi18n.h>

#include "sl-tie-point-editor-private.h"

#define PREVIEW_MAX 2048

/* --- reading the previews (worker thread) --- */

static void
load_image_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GDALDatasetH ds = GDALOpen (path, GA_ReadOnly);
  int w, h, nb, ow, oh, bands[3];
  double scale, lo[3], hi[3];
  g_autofree float *buf = NULL;
  cairo_surface_t *surface;
  guint8 *data;
  int stride;

  if (ds == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read ‘%s’: %s"), path, CPLGetLastErrorMsg ());
      return;
    }
  w = GDALGetRasterXSize (ds);
  h = GDALGetRasterYSize (ds);
  nb = GDALGetRasterCount (ds) >= 3 ? 3 : 1;
  scale = MIN (1.0, (double) PREVIEW_MAX / MAX (w, h));
  ow = MAX (1, (int) ceil (w * scale));
  oh = MAX (1, (int) ceil (h * scale));
  for (int b = 0; b < 3; b++)
    bands[b] = nb == 3 ? b + 1 : 1;
  buf = g_new (float, (gsize) ow * oh * nb);
  if (GDALDatasetRasterIO (ds, GF_Read, 0, 0, w, h, buf, ow, oh, GDT_Float32, nb, bands,
                                      0, 0, 0) != CE_None)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read ‘%s’: %s"), path, CPLGetLastErrorMsg ());
      GDALClose (ds);
      return;
    }
  /* 8-bit images as they are; others stretched from their own range. */
  for (int b = 0; b < nb; b++)
    {
      lo[b] = 0;
      hi[b] = 255;
      if (GDALGetRasterDataType (GDALGetRasterBand (ds, bands[b])) != GDT_Byte)
        {
          const float *p = buf + (gsize) b * ow * oh;

          lo[b] = G_MAXDOUBLE;
          hi[b] = -G_MAXDOUBLE;
          for (gsize i = 0; i < (gsize) ow * oh; i++)
            if (isfinite (p[i]))
              {
                lo[b] = MIN (lo[b], p[i]);
                hi[b] = MAX (hi[b], p[i]);
              }
          if (!(hi[b] > lo[b]))
            {
              lo[b] = 0;
              hi[b] = 1;
            }
        }
    }
  GDALClose (ds);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, ow, oh);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < oh; y++)
    {
      guint32 *row = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < ow; x++)
        {
          guint32 c[3];

          for (int b = 0; b < 3; b++)
            {
              int bb = nb == 3 ? b : 0;
              double v = buf[((gsize) bb * oh + y) * ow + x];

              v = isfinite (v) ? (v - lo[bb]) * 255.0 / (hi[bb] - lo[bb]) : 0;
              c[b] = (guint32) CLAMP (v + 0.5, 0, 255);
            }
          row[x] = 0xff000000u | c[0] << 16 | c[1] << 8 | c[2];
        }
    }
  cairo_surface_mark_dirty (surface);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

void
_sl_tie_point_editor_load_preview (SlTiePointEditor    *self,
                                   SlScene             *scene,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, NULL);

  g_task_set_source_tag (task, _sl_tie_point_editor_load_preview);
  g_task_set_task_data (task, sl_project_resolve_source (self->project, scene), g_free);
  g_task_run_in_thread (task, load_image_thread);
}

/* --- building --- */

static GtkWidget *
pane (const char *caption,
      GtkWidget  *view)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_set_valign (label, GTK_ALIGN_END);
  gtk_widget_set_margin_start (label, 10);
  gtk_widget_set_margin_bottom (label, 10);
  gtk_widget_add_css_class (label, "osd");
  gtk_widget_add_css_class (label, "tie-point-caption");
  gtk_widget_set_can_target (label, FALSE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), view);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), label);
  return overlay;
}

static GtkWidget *
build_toolbar (SlTiePointEditor *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkStringList *names = gtk_string_list_new (NULL);
  GtkWidget *label;

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);

  label = gtk_label_new (_("Transform"));
  gtk_box_append (GTK_BOX (bar), label);
  gtk_string_list_append (names, _("Similarity (shift, scale, rotation)"));
  gtk_string_list_append (names, _("Affine"));
  gtk_string_list_append (names, _("Projective"));
  gtk_string_list_append (names, _("Polynomial, order 2"));
  gtk_string_list_append (names, _("Polynomial, order 3"));
  gtk_string_list_append (names, _("Thin-plate spline"));
  self->kind_dropdown = gtk_drop_down_new (G_LIST_MODEL (names), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kind_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Transform"), -1);
  gtk_box_append (GTK_BOX (bar), self->kind_dropdown);
  self->min_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->min_label, "dim-label");
  gtk_box_append (GTK_BOX (bar), self->min_label);

  gtk_box_append (GTK_BOX (bar), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (bar), gtk_label_new (_("Reference")));
  self->ref_dropdown = gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ref_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reference"), -1);
  gtk_box_append (GTK_BOX (bar), self->ref_dropdown);

  self->opacity_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05);
  gtk_range_set_value (GTK_RANGE (self->opacity_scale), 0.5);
  gtk_widget_set_size_request (self->opacity_scale, 140, -1);
  gtk_widget_set_halign (self->opacity_scale, GTK_ALIGN_END);
  gtk_widget_set_hexpand (self->opacity_scale, TRUE);
  gtk_widget_set_tooltip_text (self->opacity_scale, _("Overlay Opacity"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->opacity_scale), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overlay Opacity"), -1);
  self->overlay_button = gtk_toggle_button_new_with_mnemonic (_("_Overlay"));
  gtk_widget_set_tooltip_text (self->overlay_button, _("Show the registered image over the reference"));
  gtk_box_append (GTK_BOX (bar), self->overlay_button);
  gtk_box_append (GTK_BOX (bar), self->opacity_scale);
  return bar;
}

void
_sl_tie_point_editor_build (SlTiePointEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *auto_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *panes = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *split = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->apply_button = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (self->apply_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->apply_button), "tie.apply");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->apply_button);
  self->auto_button = gtk_button_new_with_mnemonic (_("A_utomatic"));
  gtk_widget_set_tooltip_text (self->auto_button, _("Propose pairs by matching the two images"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->auto_button), "tie.auto");
  self->auto_spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->auto_spinner, FALSE);
  gtk_box_append (GTK_BOX (auto_box), self->auto_spinner);
  gtk_box_append (GTK_BOX (auto_box), self->auto_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), auto_box);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), build_toolbar (self));

  self->image_view = sl_tie_point_view_new ();
  self->ref_view = sl_tie_point_view_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->image_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Image to register"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ref_view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reference"), -1);
  gtk_paned_set_start_child (GTK_PANED (panes), pane (_("Image to register"), self->image_view));
  gtk_paned_set_end_child (GTK_PANED (panes), pane (_("Reference"), self->ref_view));
  gtk_paned_set_resize_start_child (GTK_PANED (panes), TRUE);
  gtk_paned_set_resize_end_child (GTK_PANED (panes), TRUE);
  gtk_paned_set_shrink_start_child (GTK_PANED (panes), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (panes), FALSE);
  gtk_paned_set_wide_handle (GTK_PANED (panes), TRUE);

  self->message_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (self->message_box, "error");
  gtk_box_append (GTK_BOX (self->message_box), icon);
  self->message_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_set_hexpand (self->message_label, TRUE);
  gtk_box_append (GTK_BOX (self->message_box), self->message_label);
  gtk_widget_set_visible (self->message_box, FALSE);
  self->rms_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->rms_label, "numeric");
  gtk_widget_add_css_class (self->rms_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->rms_label), 0);
  gtk_widget_set_margin_start (status, 12);
  gtk_widget_set_margin_end (status, 12);
  gtk_widget_set_margin_top (status, 6);
  gtk_widget_set_margin_bottom (status, 6);
  gtk_box_append (GTK_BOX (status), self->rms_label);
  gtk_box_append (GTK_BOX (status), self->message_box);
  gtk_box_append (GTK_BOX (bottom), status);
  gtk_box_append (GTK_BOX (bottom), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  self->pair_list = _sl_tie_pair_list_new ();
  gtk_box_append (GTK_BOX (bottom), self->pair_list);

  gtk_paned_set_start_child (GTK_PANED (split), panes);
  gtk_paned_set_end_child (GTK_PANED (split), bottom);
  gtk_paned_set_shrink_start_child (GTK_PANED (split), FALSE);
  gtk_paned_set_resize_end_child (GTK_PANED (split), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (split), FALSE);
  gtk_widget_set_size_request (bottom, -1, 190);
  gtk_widget_set_vexpand (split, TRUE);
  gtk_box_append (GTK_BOX (box), split);
  adw_window_set_content (ADW_WINDOW (self), box);
}

void
_sl_tie_point_editor_add_style (void)
{
  static gboolean added;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (added || gdk_display_get_default () == NULL)
    return;
  added = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   ".tie-point-caption { padding: 3px 9px; border-radius: 6px;"
                                   " font-weight: bold; font-size: 0.9em; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
