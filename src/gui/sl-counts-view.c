/* sl-counts-view.c — counts over time: changes since the previous date, a chart and a table
 *
 * Everything is read again from the project file on each refresh (one GROUP BY over the
 * (scene, class) index and one comparison query), at most once per main-loop idle however
 * many edits arrive together, so the view can never drift from what is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-counts-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-counts-chart.h"
#include "sl-counts-view.h"
#include "sl-scene.h"

struct _SlCountsView
{
  GtkWidget          parent_instance;

  SlAnnotationStore *store;
  SlClassSet        *classes;
  SlProject         *project;
  gint64             current;
  guint              refresh_id;

  GtkWidget         *summary_title;
  GtkWidget         *new_label;
  GtkWidget         *gone_label;
  GtkWidget         *persisting_label;
  GtkWidget         *summary_note;
  GtkWidget         *chart;
  GtkWidget         *grid;
  /* The table's cells (GtkWidget *, not owned), row-major, n_columns a row. */
  GPtrArray         *cells;
  guint              n_columns;

  gboolean           has_changes;
  guint              n_new, n_gone, n_persisting;
};

G_DEFINE_FINAL_TYPE (SlCountsView, sl_counts_view, GTK_TYPE_WIDGET)

static char *
format_date (SlScene    *scene,
             const char *format)
{
  GDateTime *acquired = sl_scene_get_acquired (scene);
  g_autoptr(GDateTime) utc = acquired != NULL ? g_date_time_to_utc (acquired) : NULL;

  return utc != NULL ? g_date_time_format (utc, format) : g_strdup (_("No date"));
}

/* "+12", "−3" (a real minus sign), "" for no change. */
static char *
format_change (int change)
{
  if (change > 0)
    return g_strdup_printf ("+%d", change);
  if (change < 0)
    return g_strdup_printf ("−%d", -change);
  return g_strdup ("");
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *colour = g_object_get_data (G_OBJECT (area), "sl-colour");
  GdkRGBA rgba = { 0.6f, 0.6f, 0.6f, 1 };

  if (colour != NULL)
    gdk_rgba_parse (&rgba, colour);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill (cr);
}

static GtkWidget *
new_heading (const char *text,
             const char *colour,
             float       xalign)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_halign (box, xalign > 0.5f ? GTK_ALIGN_CENTER : GTK_ALIGN_START);
  /* The count columns share the width the dates leave. */
  gtk_widget_set_hexpand (box, xalign > 0.5f);
  if (colour != NULL)
    {
      GtkWidget *swatch = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 10);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 10);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (swatch), "sl-colour", g_strdup (colour), g_free);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
      gtk_box_append (GTK_BOX (box), swatch);
    }
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/* A count with its change from the previous date beside it. */
static GtkWidget *
new_count (guint     count,
           gboolean  has_previous,
           int       change,
           gboolean  current)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *text = g_strdup_printf ("%u", count);
  g_autofree char *delta = has_previous ? format_change (change) : g_strdup ("");
  GtkWidget *number = gtk_label_new (text);
  GtkWidget *change_label = gtk_label_new (delta);

  /* Counts right-aligned and changes left-aligned either side of the column's middle, under
   * the centred heading. */
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (number), 1);
  /* Fixed widths, not characters: a bold count must line up with the others. */
  gtk_widget_set_size_request (number, 56, -1);
  gtk_widget_add_css_class (number, "numeric");
  if (count == 0)
    gtk_widget_add_css_class (number, "dim-label");
  if (current)
    gtk_widget_add_css_class (number, "heading");
  gtk_label_set_xalign (GTK_LABEL (change_label), 0);
  gtk_widget_set_size_request (change_label, 40, -1);
  gtk_widget_add_css_class (change_label, "numeric");
  gtk_widget_add_css_class (change_label, "caption");
  if (change > 0)
    gtk_widget_add_css_class (change_label, "success");
  else if (change < 0)
    gtk_widget_add_css_class (change_label, "error");
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), change_label);
  return box;
}

static void
put (SlCountsView *self,
     GtkWidget    *cell,
     guint         row,
     guint         column)
{
  /* A rule under the heading and above the totals: grid rows 1 and n_rows. */
  guint grid_row = row == 0 ? 0 : row + 1;

  if (row > 0 && row + 1 == self->cells->len / self->n_columns)
    grid_row++;
  gtk_grid_attach (GTK_GRID (self->grid), cell, (int) column, (int) grid_row, 1, 1);
  g_ptr_array_index (self->cells, (gsize) row * self->n_columns + column) = cell;
}

static void
clear_table (SlCountsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->cells, 0);
  self->n_columns = 0;
}

static void
fill_table (SlCountsView        *self,
            const SlCountsTable *table,
            GPtrArray           *classes,
            GPtrArray           *scenes)
{
  g_autoptr(GPtrArray) used = g_ptr_array_new ();
  g_autofree guint *class_totals = NULL;
  guint n_rows = scenes->len + 2;
  guint grand_total = 0;
  guint previous_total = 0;

  for (guint c = 0; c < classes->len; c++)
    {
      SlClass *klass = g_ptr_array_index (classes, c);
      guint sum = 0;

      for (guint s = 0; s < scenes->len; s++)
        sum += sl_counts_table_get (table, klass->id, sl_scene_get_id (g_ptr_array_index (scenes, s)));
      if (sum > 0)
        g_ptr_array_add (used, klass);
    }
  class_totals = g_new0 (guint, used->len + 1);

  self->n_columns = used->len + 2;
  g_ptr_array_set_size (self->cells, (int) (n_rows * self->n_columns));
  put (self, new_heading (_("Date"), NULL, 0), 0, 0);
  for (guint c = 0; c < used->len; c++)
    {
      SlClass *klass = g_ptr_array_index (used, c);

      put (self, new_heading (klass->name, klass->colour, 1), 0, c + 1);
    }
  put (self, new_heading (_("Total"), NULL, 1), 0, used->len + 1);

  for (guint s = 0; s < scenes->len; s++)
    {
      SlScene *scene = g_ptr_array_index (scenes, s);
      SlScene *previous = s > 0 ? g_ptr_array_index (scenes, s - 1) : NULL;
      gboolean current = sl_scene_get_id (scene) == self->current;
      g_autofree char *date = format_date (scene, _("%-d %b %Y"));
      GtkWidget *label = gtk_label_new (date);
      guint total = 0;

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      if (sl_scene_get_label (scene) != NULL && *sl_scene_get_label (scene) != '\0')
        gtk_widget_set_tooltip_text (label, sl_scene_get_label (scene));
      if (current)
        {
          gtk_widget_add_css_class (label, "accent");
          gtk_widget_add_css_class (label, "heading");
        }
      put (self, label, s + 1, 0);
      for (guint c = 0; c < used->len; c++)
        {
          gint64 class_id = ((SlClass *) g_ptr_array_index (used, c))->id;
          guint n = sl_counts_table_get (table, class_id, sl_scene_get_id (scene));
          guint before = previous != NULL ? sl_counts_table_get (table, class_id, sl_scene_get_id (previous)) : 0;

          put (self, new_count (n, previous != NULL, (int) n - (int) before, current), s + 1, c + 1);
          total += n;
          class_totals[c] += n;
        }
      put (self, new_count (total, previous != NULL, (int) total - (int) previous_total, current),
           s + 1, used->len + 1);
      grand_total += total;
      previous_total = total;
    }

  put (self, new_heading (_("All dates"), NULL, 0), n_rows - 1, 0);
  for (guint c = 0; c < used->len; c++)
    put (self, new_count (class_totals[c], FALSE, 0, TRUE), n_rows - 1, c + 1);
  put (self, new_count (grand_total, FALSE, 0, TRUE), n_rows - 1, used->len + 1);

  gtk_grid_attach (GTK_GRID (self->grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, 1, (int) self->n_columns, 1);
  gtk_grid_attach (GTK_GRID (self->grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, (int) n_rows, (int) self->n_columns, 1);
}

static void
update_summary (SlCountsView *self,
                GPtrArray    *scenes)
{
  SlScene *previous = NULL;
  SlScene *current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  self->has_changes = FALSE;
  self->n_new = self->n_gone = self->n_persisting = 0;
  for (guint i = 0; scenes != NULL && i < scenes->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (scenes, i)) == self->current)
      {
        current = g_ptr_array_index (scenes, i);
        previous = i > 0 ? g_ptr_array_index (scenes, i - 1) : NULL;
      }

  if (current == NULL || previous == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->summary_title),
                          current == NULL ? _("No date selected") : _("First date: nothing to compare with"));
      gtk_widget_set_visible (self->new_label, FALSE);
      gtk_widget_set_visible (self->gone_label, FALSE);
      gtk_widget_set_visible (self->persisting_label, FALSE);
      gtk_widget_set_visible (self->summary_note, FALSE);
      return;
    }
  if (!sl_annotation_store_compare (self->store, sl_scene_get_id (previous), sl_scene_get_id (current), 0,
                                    &self->n_new, &self->n_gone, &self->n_persisting, &error))
    {
      gtk_label_set_text (GTK_LABEL (self->summary_title), error->message);
      return;
    }
  self->has_changes = TRUE;

  date = format_date (previous, _("%-d %b %Y"));
  /* Translators: the counts window's heading over "+3 new, −1 gone, 12 persisting" */
  title = g_strdup_printf (_("Since %s"), date);
  gtk_label_set_text (GTK_LABEL (self->summary_title), title);

  /* Translators: objects seen on this date and not on the previous one */
  text = self->n_new > 0 ? g_strdup_printf (_("+%u new"), self->n_new) : g_strdup (_("0 new"));
  gtk_label_set_text (GTK_LABEL (self->new_label), text);
  g_free (text);
  /* Translators: objects of the previous date not seen on this one */
  text = self->n_gone > 0 ? g_strdup_printf (_("−%u gone"), self->n_gone) : g_strdup (_("0 gone"));
  gtk_label_set_text (GTK_LABEL (self->gone_label), text);
  g_free (text);
  /* Translators: objects seen on both dates */
  text = g_strdup_printf (_("%u persisting"), self->n_persisting);
  gtk_label_set_text (GTK_LABEL (self->persisting_label), text);
  gtk_widget_set_visible (self->new_label, TRUE);
  gtk_widget_set_visible (self->gone_label, TRUE);
  gtk_widget_set_visible (self->persisting_label, TRUE);
  /* Without links every object looks new: say why. */
  gtk_widget_set_visible (self->summary_note, self->n_persisting == 0 && self->n_new > 0 && self->n_gone > 0);
}

static gboolean
on_refresh_idle (gpointer user_data)
{
  SlCountsView *self = user_data;

  self->refresh_id = 0;
  sl_counts_view_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (SlCountsView *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (on_refresh_idle, self);
}

static void
disconnect_sources (SlCountsView *self)
{
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, queue_refresh, self);
  if (self->classes != NULL)
    g_signal_handlers_disconnect_by_func (self->classes, queue_refresh, self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, queue_refresh, self);
  g_clear_object (&self->store);
  g_clear_object (&self->classes);
  g_clear_object (&self->project);
}

static GtkWidget *
new_pill (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "heading");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
sl_counts_view_dispose (GObject *object)
{
  SlCountsView *self = SL_COUNTS_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  disconnect_sources (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sl_counts_view_parent_class)->dispose (object);
}

static void
sl_counts_view_finalize (GObject *object)
{
  SlCountsView *self = SL_COUNTS_VIEW (object);

  g_clear_pointer (&self->cells, g_ptr_array_unref);

  G_OBJECT_CLASS (sl_counts_view_parent_class)->finalize (object);
}

static void
sl_counts_view_class_init (SlCountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_counts_view_dispose;
  object_class->finalize = sl_counts_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "countsview");
}

static void
sl_counts_view_init (SlCountsView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *summary = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->cells = g_ptr_array_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 18);

  self->summary_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->summary_title, "dim-label");
  self->new_label = new_pill ("success");
  self->gone_label = new_pill ("error");
  self->persisting_label = new_pill (NULL);
  self->summary_note = gtk_label_new (_("No object is linked to the previous date (Ctrl+B copies objects to the next date)"));
  gtk_label_set_wrap (GTK_LABEL (self->summary_note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary_note), 0);
  gtk_widget_set_hexpand (self->summary_note, TRUE);
  gtk_widget_add_css_class (self->summary_note, "dim-label");
  gtk_widget_add_css_class (self->summary_note, "caption");
  gtk_box_append (GTK_BOX (summary), self->summary_title);
  gtk_box_append (GTK_BOX (summary), self->new_label);
  gtk_box_append (GTK_BOX (summary), self->gone_label);
  gtk_box_append (GTK_BOX (summary), self->persisting_label);
  gtk_box_append (GTK_BOX (summary), self->summary_note);
  gtk_widget_set_parent (summary, GTK_WIDGET (self));

  self->chart = sl_counts_chart_new ();
  gtk_widget_set_vexpand (self->chart, TRUE);
  gtk_widget_add_css_class (self->chart, "card");
  gtk_widget_set_parent (self->chart, GTK_WIDGET (self));

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_widget_set_margin_top (self->grid, 10);
  gtk_widget_set_margin_bottom (self->grid, 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Counts per date and class"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->grid);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_parent (scrolled, GTK_WIDGET (self));
}

GtkWidget *
sl_counts_view_new (void)
{
  return g_object_new (SL_TYPE_COUNTS_VIEW, NULL);
}

void
sl_counts_view_set_sources (SlCountsView      *self,
                            SlAnnotationStore *store,
                            SlClassSet        *classes)
{
  g_return_if_fail (SL_IS_COUNTS_VIEW (self));
  g_return_if_fail (store == NULL || SL_IS_ANNOTATION_STORE (store));
  g_return_if_fail (classes == NULL || SL_IS_CLASS_SET (classes));

  if (self->store == store && self->classes == classes)
    return;
  disconnect_sources (self);
  if (store != NULL && classes != NULL)
    {
      self->store = g_object_ref (store);
      self->classes = g_object_ref (classes);
      self->project = g_object_ref (sl_annotation_store_get_project (store));
      g_signal_connect_swapped (self->store, "changed", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (self->classes, "changed", G_CALLBACK (queue_refresh), self);
      g_signal_connect_swapped (self->project, "scenes-changed", G_CALLBACK (queue_refresh), self);
    }
  sl_counts_view_refresh (self);
}

gint64
sl_counts_view_get_current (SlCountsView *self)
{
  g_return_val_if_fail (SL_IS_COUNTS_VIEW (self), 0);

  return self->current;
}

void
sl_counts_view_set_current (SlCountsView *self,
                            gint64        scene_id)
{
  g_return_if_fail (SL_IS_COUNTS_VIEW (self));

  if (self->current == scene_id)
    return;
  self->current = scene_id;
  sl_counts_chart_set_current (SL_COUNTS_CHART (self->chart), scene_id);
  queue_refresh (self);
}

/* Dates that are no count: scenes hidden from the comparison, and images not placed on the site
 * (press photos not registered yet) that nobody tagged — a zero there would read as "all gone". */
static void
drop_uncounted_scenes (GPtrArray           *scenes,
                       const SlCountsTable *table)
{
  for (guint s = scenes->len; s-- > 0;)
    {
      SlScene *scene = g_ptr_array_index (scenes, s);
      guint total = 0;

      for (guint c = 0; c < table->class_ids->len; c++)
        total += sl_counts_table_get (table, g_array_index (table->class_ids, gint64, c), sl_scene_get_id (scene));
      if (!sl_scene_get_visible (scene) || (!sl_scene_is_registered (scene) && total == 0))
        g_ptr_array_remove_index (scenes, s);
    }
}

void
sl_counts_view_refresh (SlCountsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(SlCountsTable) table = NULL;

  g_return_if_fail (SL_IS_COUNTS_VIEW (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  clear_table (self);
  if (self->store != NULL)
    {
      scenes = sl_project_list_scenes (self->project, &error);
      if (scenes != NULL)
        classes = sl_class_set_list (self->classes, &error);
      if (classes != NULL)
        table = sl_annotation_store_count (self->store, &error);
      if (error != NULL)
        g_warning ("%s", error->message);
    }
  if (table != NULL)
    drop_uncounted_scenes (scenes, table);
  sl_counts_chart_set_counts (SL_COUNTS_CHART (self->chart), table, classes, scenes);
  sl_counts_chart_set_current (SL_COUNTS_CHART (self->chart), self->current);
  if (table != NULL)
    fill_table (self, table, classes, scenes);
  update_summary (self, table != NULL ? scenes : NULL);
}

char *
sl_counts_view_dup_cell (SlCountsView *self,
                         guint         row,
                         guint         column)
{
  GtkWidget *cell;
  GString *text;

  g_return_val_if_fail (SL_IS_COUNTS_VIEW (self), NULL);

  if (self->n_columns == 0 || column >= self->n_columns || (gsize) row * self->n_columns >= self->cells->len)
    return NULL;
  cell = g_ptr_array_index (self->cells, (gsize) row * self->n_columns + column);
  if (GTK_IS_LABEL (cell))
    return g_strdup (gtk_label_get_text (GTK_LABEL (cell)));
  text = g_string_new (NULL);
  for (GtkWidget *child = gtk_widget_get_first_child (cell); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", gtk_label_get_text (GTK_LABEL (child)));
  return g_string_free (text, FALSE);
}

gboolean
sl_counts_view_get_changes (SlCountsView *self,
                            guint        *n_new,
                            guint        *n_gone,
                            guint        *n_persisting)
{
  g_return_val_if_fail (SL_IS_COUNTS_VIEW (self), FALSE);

  if (n_new != NULL)
    *n_new = self->n_new;
  if (n_gone != NULL)
    *n_gone = self->n_gone;
  if (n_persisting != NULL)
    *n_persisting = self->n_persisting;
  return self->has_changes;
}

GtkWidget *
sl_counts_view_get_chart (SlCountsView *self)
{
  g_return_val_if_fail (SL_IS_COUNTS_VIEW (self), NULL);

  return self->chart;
}
