/* sl-compare-view-layout.c — where the panes and their date labels go
 *
 * Single and overlaid modes give every pane the whole area; the grid splits it into cells on
 * whole logical pixels with a gap between them. Each pane's label says its date (and "not
 * registered", the blend's opacity or the difference's gain) over its credit line, at the top
 * left of its cell, or on its side of a swipe's divider.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-compare-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-compare-view-private.h"

static SlScene *
find_scene (SlCompareView *self,
            gint64         scene_id)
{
  guint n = self->scenes != NULL ? g_list_model_get_n_items (self->scenes) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (self->scenes, i);

      if (sl_scene_get_id (scene) == scene_id)
        return scene;  /* the model keeps it */
    }
  return NULL;
}

/* "14 Mar 2022" (and @suffix on that line) and, below it, the credit line. */
static char *
format_pane_label (SlCompareView *self,
                   gint64         scene_id,
                   const char    *suffix)
{
  SlScene *scene = find_scene (self, scene_id);
  g_autofree char *date = NULL;
  GDateTime *acquired;
  const char *credit;

  if (scene == NULL)
    return NULL;
  acquired = sl_scene_get_acquired (scene);
  if (acquired != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (acquired);

      /* Translators: a pane's date, see g_date_time_format(): "14 Mar 2022" */
      date = g_date_time_format (utc, _("%-e %b %Y"));
    }
  else
    date = g_strdup (_("No date"));
  /* A scene placed on its own pixel grid does not line up with the others yet: say so. */
  if (!sl_scene_is_registered (scene))
    {
      g_autofree char *plain = date;

      /* Translators: after a pane's date, for an image not yet aligned with the site */
      date = g_strdup_printf (_("%s · not registered"), plain);
    }
  credit = sl_scene_get_credit (scene);
  if (credit == NULL || *credit == '\0')
    return g_markup_printf_escaped ("<b>%s</b>%s", date, suffix);
  return g_markup_printf_escaped ("<b>%s</b>%s\n<small>%s</small>", date, suffix, credit);
}

void
_sl_compare_view_update_labels (SlCompareView *self)
{
  guint n = _sl_compare_view_n_panes (self);
  int solo = _sl_compare_view_solo_pane (self);

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      g_autofree char *markup = NULL;
      g_autofree char *suffix = NULL;
      gboolean shown = i < n && self->shown[i] != 0;

      if (shown && _sl_compare_view_is_overlay (self) && solo >= 0 && (int) i != solo)
        shown = FALSE;
      if (i == 1 && self->state.mode == SL_COMPARE_BLEND && solo < 0)
        /* Translators: after the upper date of a blend, its opacity: " · 50 %" */
        suffix = g_strdup_printf (_(" · %.0f %%"), self->state.opacity * 100);
      else if (i == 1 && self->state.mode == SL_COMPARE_DIFFERENCE && solo < 0)
        /* Translators: after the second date of a difference view, the gain: " · difference ×4" */
        suffix = g_strdup_printf (_(" · difference ×%g"), self->state.gain);
      if (shown)
        markup = format_pane_label (self, self->shown[i], suffix != NULL ? suffix : "");
      gtk_label_set_markup (GTK_LABEL (self->labels[i]), markup != NULL ? markup : "");
      gtk_widget_set_child_visible (self->labels[i], shown && markup != NULL);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Returns the label's height (0: hidden). */
static int
allocate_label (SlCompareView *self,
                guint          index,
                int            x,
                int            y,
                int            right)  /* align to the right edge at x */
{
  GtkWidget *label = self->labels[index];
  int width, height;

  if (!gtk_widget_get_child_visible (label))
    return 0;
  gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  gtk_widget_size_allocate (label, &(GtkAllocation) { right ? x - width : x, y, width, height }, -1);
  return height;
}

static void
grid_cell (guint          count,
           guint          index,
           int            width,
           int            height,
           GtkAllocation *cell)
{
  int columns, rows;

  if (count == 4)
    columns = rows = 2;
  else if (width >= height)
    columns = count, rows = 1;
  else
    columns = 1, rows = count;

  /* Whole logical pixels, the gaps between cells, the last cell takes the remainder. */
  {
    int col = index % columns, row = index / columns;
    int cw = (width - (columns - 1) * SL_COMPARE_GRID_GAP) / columns;
    int ch = (height - (rows - 1) * SL_COMPARE_GRID_GAP) / rows;

    cell->x = col * (cw + SL_COMPARE_GRID_GAP);
    cell->y = row * (ch + SL_COMPARE_GRID_GAP);
    cell->width = col == columns - 1 ? width - cell->x : cw;
    cell->height = row == rows - 1 ? height - cell->y : ch;
  }
}

void
_sl_compare_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  SlCompareView *self = SL_COMPARE_VIEW (widget);
  guint n = _sl_compare_view_n_panes (self);
  const int margin = 12;

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    {
      GtkAllocation cell = { 0, 0, width, height };

      if (self->state.mode == SL_COMPARE_GRID && i < n)
        grid_cell (n, i, width, height, &cell);
      gtk_widget_size_allocate (GTK_WIDGET (self->panes[i]), &cell, -1);
      gtk_widget_size_allocate (GTK_WIDGET (self->layers[i]), &cell, -1);

      if (!_sl_compare_view_is_overlay (self))
        allocate_label (self, i, cell.x + margin, cell.y + margin, FALSE);
    }

  _sl_compare_view_update_layers (self);
  if (_sl_compare_view_is_overlay (self))
    {
      double divider = _sl_compare_view_divider_px (self);
      int first = allocate_label (self, 0, margin, margin, FALSE);

      if (_sl_compare_view_solo_pane (self) >= 0)
        allocate_label (self, 1, margin, margin, FALSE);
      else if (self->state.mode != SL_COMPARE_SWIPE)
        /* Blend, difference: both dates, the second below the first. */
        allocate_label (self, 1, margin, margin + first + 6, FALSE);
      else if (self->state.swipe_horizontal)
        allocate_label (self, 1, margin, (int) divider + margin, FALSE);
      else
        allocate_label (self, 1, width - margin, margin, TRUE);
    }
}

void
_sl_compare_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  /* Any size: the window decides. */
  *minimum = 64;
  *natural = 64;
}

const char *
_sl_compare_view_get_label (SlCompareView *self,
                            guint          index)
{
  g_return_val_if_fail (index < SL_COMPARE_MAX_PANES, NULL);

  if (!gtk_widget_get_child_visible (self->labels[index]))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->labels[index]));
}
