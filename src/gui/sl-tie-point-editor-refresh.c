/* sl-tie-point-editor-refresh.c — the tie-point editor's state shown in its widgets: the
 * solve, the residuals and worst pairs, the RMS line, the list, the markers and the overlay
 *
 * Every change to the pairs, the kind or the reference ends in _sl_tie_point_editor_update (),
 * which solves again from scratch (SlRegistration is immutable and cheap for tens of points).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-tie-point-editor-private.h"

static guint
count_enabled (SlTiePointEditor *self)
{
  guint n = 0;

  for (guint i = 0; i < self->points->len; i++)
    n += g_array_index (self->points, SlTiePoint, i).enabled ? 1 : 0;
  return n;
}

void
_sl_tie_point_editor_set_message (SlTiePointEditor *self,
                                  const char       *message)
{
  g_free (self->message);
  self->message = g_strdup (message != NULL ? message : "");
  gtk_label_set_label (GTK_LABEL (self->message_label), self->message);
  gtk_widget_set_visible (self->message_box, *self->message != '\0');
}

/* The image → reference affine the overlay is drawn through: the transform itself when it is
 * one, else the affine fit of the same points (a preview). */
static gboolean
overlay_matrix (SlTiePointEditor *self,
                cairo_matrix_t   *matrix)
{
  g_autoptr(SlRegistration) fit = NULL;
  double t[6];

  if (self->registration == NULL)
    return FALSE;
  if (!sl_registration_get_affine (self->registration, t))
    {
      fit = sl_registration_solve (count_enabled (self) >= 3 ? SL_TRANSFORM_AFFINE : SL_TRANSFORM_SIMILARITY,
                                   (const SlTiePoint *) self->points->data, self->points->len, 0, 0, NULL);
      if (fit == NULL || !sl_registration_get_affine (fit, t))
        return FALSE;
    }
  cairo_matrix_init (matrix, t[1], t[4], t[2], t[5], t[0], t[3]);
  return TRUE;
}

void
_sl_tie_point_editor_update_overlay (SlTiePointEditor *self)
{
  cairo_matrix_t matrix;

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->overlay_button)) &&
      self->image_surface != NULL && overlay_matrix (self, &matrix))
    sl_tie_point_view_set_overlay (SL_TIE_POINT_VIEW (self->ref_view), self->image_surface, self->image_scale,
                                   &matrix, gtk_range_get_value (GTK_RANGE (self->opacity_scale)));
  else
    sl_tie_point_view_set_overlay (SL_TIE_POINT_VIEW (self->ref_view), NULL, 1, NULL, 0);
  gtk_widget_set_sensitive (self->opacity_scale, gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->overlay_button)));
}

void
_sl_tie_point_editor_update_markers (SlTiePointEditor *self)
{
  const gboolean *worst = (const gboolean *) self->worst->data;

  g_autoptr(GArray) left = g_array_new (FALSE, FALSE, sizeof (SlTieMarker));
  g_autoptr(GArray) right = g_array_new (FALSE, FALSE, sizeof (SlTieMarker));

  for (guint i = 0; i < self->points->len; i++)
    {
      const SlTiePoint *p = &g_array_index (self->points, SlTiePoint, i);
      SlTieMarker m = { p->image_x, p->image_y, i + 1, 0 };

      if ((int) i == self->selected)
        m.flags |= SL_TIE_MARKER_SELECTED;
      if (worst[i])
        m.flags |= SL_TIE_MARKER_WORST;
      if (!p->enabled)
        m.flags |= SL_TIE_MARKER_DISABLED;
      g_array_append_val (left, m);
      m.x = p->ref_x;
      m.y = p->ref_y;
      g_array_append_val (right, m);
    }
  if (self->pending_side != 0)
    {
      SlTieMarker m = { self->pending_x, self->pending_y, self->points->len + 1, SL_TIE_MARKER_PENDING };

      g_array_append_val (self->pending_side == 1 ? left : right, m);
    }
  sl_tie_point_view_set_markers (SL_TIE_POINT_VIEW (self->image_view), (SlTieMarker *) left->data, left->len);
  sl_tie_point_view_set_markers (SL_TIE_POINT_VIEW (self->ref_view), (SlTieMarker *) right->data, right->len);
}

void
_sl_tie_point_editor_update_sensitivity (SlTiePointEditor *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tie.apply",
                                 self->registration != NULL && !self->busy && self->reference_id > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tie.auto", !self->busy && self->reference_id > 0);
  gtk_widget_set_visible (self->auto_spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->auto_spinner), self->busy);
}

static void
update_list (SlTiePointEditor *self)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (SlTiePairRow));

  for (guint i = 0; i < self->points->len; i++)
    {
      SlTiePairRow row = { g_array_index (self->points, SlTiePoint, i), FALSE, { 0 },
                           g_array_index (self->worst, gboolean, i) };

      if (self->registration != NULL)
        {
          row.has_residual = TRUE;
          sl_registration_get_residual (self->registration, i, &row.residual);
        }
      g_array_append_val (rows, row);
    }
  _sl_tie_pair_list_update (self->pair_list, (SlTiePairRow *) rows->data, rows->len, self->selected);
}

static gboolean
on_list_idle (gpointer user_data)
{
  SlTiePointEditor *self = user_data;

  self->list_idle = 0;
  update_list (self);
  return G_SOURCE_REMOVE;
}

/* A row's own check box or button changed the pairs: the list is rebuilt once that row's
 * signal is over, not under it. */
void
_sl_tie_point_editor_defer_list (SlTiePointEditor *self)
{
  if (self->list_idle == 0)
    self->list_idle = g_idle_add (on_list_idle, self);
}

/* Solves again and shows the result everywhere. */
void
_sl_tie_point_editor_update (SlTiePointEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean *worst;
  guint n_enabled = count_enabled (self), min = sl_transform_kind_min_points (self->kind);

  g_array_set_size (self->worst, 0);
  g_array_set_size (self->worst, self->points->len + 1);
  worst = (gboolean *) self->worst->data;
  g_clear_object (&self->registration);
  if (self->points->len == 0)
    _sl_tie_point_editor_set_message (self, NULL);
  else
    {
      self->registration = sl_registration_solve (self->kind, (const SlTiePoint *) self->points->data,
                                                  self->points->len, sl_scene_get_width (self->scene),
                                                  sl_scene_get_height (self->scene), &error);
      _sl_tie_point_editor_set_message (self, error != NULL ? error->message : NULL);
    }

  g_clear_pointer (&self->rms_text, g_free);
  if (self->registration != NULL)
    {
      guint idx[8], n_worst;

      /* The largest residuals stand out only where the fit has points to spare. */
      n_worst = sl_registration_get_worst (self->registration, CLAMP (n_enabled / 5, 1, G_N_ELEMENTS (idx)), idx);
      for (guint i = 0; i < n_worst && n_enabled > min; i++)
        {
          SlResidual r;

          sl_registration_get_residual (self->registration, idx[i], &r);
          if (r.image_error > 1.0)
            worst[idx[i]] = TRUE;
        }
      self->rms_text = g_strdup_printf (_("RMS %.2f px image · %.2f px reference · %u of %u pairs"),
                                        sl_registration_get_rms_image (self->registration),
                                        sl_registration_get_rms (self->registration), n_enabled, self->points->len);
    }
  else if (self->points->len == 0)
    self->rms_text = g_strdup_printf (_("No pairs yet: %s needs at least %u"),
                                      sl_transform_kind_to_string (self->kind), min);
  else
    self->rms_text = g_strdup_printf (_("%u of %u pairs"), n_enabled, self->points->len);
  gtk_label_set_label (GTK_LABEL (self->rms_label), self->rms_text);

  if (self->list_idle == 0)
    update_list (self);
  _sl_tie_point_editor_update_markers (self);
  _sl_tie_point_editor_update_overlay (self);
  _sl_tie_point_editor_update_sensitivity (self);
}

void
_sl_tie_point_editor_update_min_label (SlTiePointEditor *self)
{
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pair or more", "%u pairs or more",
                                                        sl_transform_kind_min_points (self->kind)),
                                           sl_transform_kind_min_points (self->kind));

  gtk_label_set_label (GTK_LABEL (self->min_label), text);
}
