/* sl-annotation-layer-tools.c — commands on the selection, the clipboard, the attributes popover
 *
 * The clipboard belongs to the process, not to a layer: what is copied on one date pastes on
 * any other (the same site coordinates, so the same ground), in any pane. Hidden and locked are
 * stored with the annotation (an undoable edit), so they stay so after reopening.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-annotation-layer-private.h"

/* Duplicates land this many logical pixels to the south-east of the originals. */
#define DUPLICATE_OFFSET 12.0
/* Frame: logical pixels around the selection, and the least size it is shown at. */
#define FRAME_MARGIN 96
#define FRAME_MIN_PX 48.0

static GPtrArray *clipboard;  /* SlAnnotation *, main thread */

static GPtrArray *
new_list (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
}

/* The selected annotations, as stored (ids of the selection that are not shown are read). */
static GPtrArray *
selected_annotations (SlAnnotationLayer *self,
                      gboolean           skip_locked)
{
  g_autoptr(GArray) ids = sl_annotation_layer_get_selection (self);
  GPtrArray *list = new_list ();

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      SlAnnotation *a = _sl_annotation_layer_lookup (self, id);

      if (a != NULL)
        a = sl_annotation_copy (a);
      else if (self->store != NULL)
        a = sl_annotation_store_get (self->store, id, NULL);
      if (a != NULL && skip_locked && a->locked)
        g_clear_pointer (&a, sl_annotation_free);
      if (a != NULL)
        g_ptr_array_add (list, a);
    }
  return list;
}

static void
select_added (SlAnnotationLayer *self,
              GPtrArray         *added)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < added->len; i++)
    g_array_append_val (ids, ((SlAnnotation *) g_ptr_array_index (added, i))->id);
  _sl_annotation_layer_set_selection (self, (gint64 *) ids->data, ids->len, FALSE);
}

/* New annotations on this date from @sources, moved by (@dx, @dy) site units. */
static gboolean
add_copies (SlAnnotationLayer *self,
            GPtrArray         *sources,
            double             dx,
            double             dy,
            const char        *label)
{
  g_autoptr(GPtrArray) copies = new_list ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sources->len; i++)
    {
      SlAnnotation *copy = sl_annotation_copy (g_ptr_array_index (sources, i));

      copy->id = 0;
      copy->scene_id = self->scene_id;
      g_clear_pointer (&copy->object_uid, g_free);  /* a new object */
      copy->created = copy->updated = 0;
      sl_annotation_translate (copy, dx, dy);
      g_ptr_array_add (copies, copy);
    }
  if (!sl_undo_stack_add (self->undo, copies, label, &error))
    {
      _sl_annotation_layer_report_error (self, error);
      return FALSE;
    }
  select_added (self, copies);
  return TRUE;
}

static void
union_bounds (GPtrArray *list,
              SlBounds  *bounds)
{
  for (guint i = 0; i < list->len; i++)
    {
      SlBounds b;

      sl_annotation_get_bounds (g_ptr_array_index (list, i), &b);
      if (i == 0)
        *bounds = b;
      else
        {
          bounds->min_x = MIN (bounds->min_x, b.min_x);
          bounds->min_y = MIN (bounds->min_y, b.min_y);
          bounds->max_x = MAX (bounds->max_x, b.max_x);
          bounds->max_y = MAX (bounds->max_y, b.max_y);
        }
    }
}

/* --- the attributes popover --- */

typedef struct
{
  SlAnnotationLayer *layer;
  GArray            *class_ids;  /* gint64, the class drop-down's items */
  GtkDropDown       *class_drop;
  GtkDropDown       *confidence_drop;
  GtkEntry          *note;
  gboolean           single;
} PopoverData;

static void
popover_data_free (gpointer data)
{
  PopoverData *pd = data;

  g_clear_pointer (&pd->class_ids, g_array_unref);
  g_free (pd);
}

/* Writes what the popover says into the selection: one undoable edit. */
static void
apply_popover (PopoverData *pd,
               const char  *label)
{
  SlAnnotationLayer *self = pd->layer;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  guint class_index = gtk_drop_down_get_selected (pd->class_drop);
  SlConfidence confidence = gtk_drop_down_get_selected (pd->confidence_drop);
  const char *note = gtk_editable_get_text (GTK_EDITABLE (pd->note));
  gboolean changed = FALSE;

  if (_sl_annotation_layer_refuse_edit (self))
    return;
  list = selected_annotations (self, TRUE);
  for (guint i = 0; i < list->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (list, i);

      if (class_index < pd->class_ids->len && a->class_id != g_array_index (pd->class_ids, gint64, class_index))
        {
          a->class_id = g_array_index (pd->class_ids, gint64, class_index);
          changed = TRUE;
        }
      if (confidence != GTK_INVALID_LIST_POSITION && a->confidence != confidence)
        {
          a->confidence = confidence;
          changed = TRUE;
        }
      if (pd->single && g_strcmp0 (a->note != NULL ? a->note : "", note) != 0)
        {
          g_free (a->note);
          a->note = *note != '\0' ? g_strdup (note) : NULL;
          changed = TRUE;
        }
    }
  if (changed && !sl_undo_stack_update (self->undo, list, label, &error))
    _sl_annotation_layer_report_error (self, error);
}

static void
on_class_selected (PopoverData *pd)
{
  apply_popover (pd, _("Change Class"));
}

static void
on_confidence_selected (PopoverData *pd)
{
  apply_popover (pd, _("Change Confidence"));
}

static void
on_note_activate (PopoverData *pd)
{
  apply_popover (pd, _("Edit Note"));
  gtk_popover_popdown (GTK_POPOVER (pd->layer->popover));
}

static void
on_popover_closed (PopoverData *pd)
{
  apply_popover (pd, _("Edit Note"));
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* Translators: when an annotation was made or changed, see g_date_time_format() */
  return local != NULL ? g_date_time_format (local, _("%-e %b %Y %H:%M")) : g_strdup ("—");
}

static GtkWidget *
add_row (GtkGrid    *grid,
         int         row,
         const char *title,
         GtkWidget  *value)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_grid_attach (grid, value, 1, row, 1, 1);
  return value;
}

static GtkWidget *
build_popover (SlAnnotationLayer *self,
               GPtrArray         *list)
{
  static const char * const confidences[] = { N_("Not Set"), N_("Low"), N_("Medium"), N_("High"), NULL };
  const SlAnnotation *first = g_ptr_array_index (list, 0);
  PopoverData *pd = g_new0 (PopoverData, 1);
  g_autoptr(GPtrArray) classes = self->classes != NULL ? sl_class_set_list (self->classes, NULL) : NULL;
  g_autoptr(GtkStringList) class_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) confidence_names = gtk_string_list_new (NULL);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *heading;
  g_autofree char *title = NULL;
  guint class_index = GTK_INVALID_LIST_POSITION;

  pd->layer = self;
  pd->single = list->len == 1;
  pd->class_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; classes != NULL && i < classes->len; i++)
    {
      SlClass *klass = g_ptr_array_index (classes, i);

      gtk_string_list_append (class_names, klass->name);
      g_array_append_val (pd->class_ids, klass->id);
      if (klass->id == first->class_id)
        class_index = i;
    }
  for (guint i = 0; confidences[i] != NULL; i++)
    gtk_string_list_append (confidence_names, _(confidences[i]));

  if (pd->single)
    {
      g_autofree char *name = _sl_annotation_layer_class_name (self, first->class_id);

      title = g_strdup_printf ("%s · %s", name, sl_shape_kind_to_string (first->kind));
    }
  else
    title = g_strdup_printf (ngettext ("%u Annotation", "%u Annotations", list->len), list->len);
  heading = gtk_label_new (title);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  pd->class_drop = GTK_DROP_DOWN (add_row (GTK_GRID (grid), 0, _("Class"),
                                           gtk_drop_down_new (G_LIST_MODEL (g_object_ref (class_names)), NULL)));
  gtk_drop_down_set_selected (pd->class_drop, class_index);
  pd->confidence_drop = GTK_DROP_DOWN (add_row (GTK_GRID (grid), 1, _("Confidence"),
                                                gtk_drop_down_new (G_LIST_MODEL (g_object_ref (confidence_names)), NULL)));
  gtk_drop_down_set_selected (pd->confidence_drop, first->confidence);
  pd->note = GTK_ENTRY (add_row (GTK_GRID (grid), 2, _("Note"), gtk_entry_new ()));
  gtk_editable_set_text (GTK_EDITABLE (pd->note), first->note != NULL ? first->note : "");
  gtk_widget_set_sensitive (GTK_WIDGET (pd->note), pd->single);
  if (pd->single)
    {
      g_autofree char *created = format_time (first->created);
      g_autofree char *updated = format_time (first->updated);
      GtkWidget *author = gtk_label_new (first->author != NULL ? first->author : "—");
      GtkWidget *created_label = gtk_label_new (created);
      GtkWidget *updated_label = gtk_label_new (updated);

      gtk_label_set_xalign (GTK_LABEL (author), 0);
      gtk_label_set_xalign (GTK_LABEL (created_label), 0);
      gtk_label_set_xalign (GTK_LABEL (updated_label), 0);
      add_row (GTK_GRID (grid), 3, _("Author"), author);
      add_row (GTK_GRID (grid), 4, _("Created"), created_label);
      add_row (GTK_GRID (grid), 5, _("Updated"), updated_label);
    }
  gtk_box_append (GTK_BOX (box), grid);
  if (sl_annotation_store_is_read_only (self->store))
    {
      GtkWidget *ro = gtk_label_new (_("This project is read-only."));

      gtk_widget_add_css_class (ro, "warning");
      gtk_box_append (GTK_BOX (box), ro);
      gtk_widget_set_sensitive (grid, FALSE);
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  g_object_set_data_full (G_OBJECT (popover), "sl-popover-data", pd, popover_data_free);
  g_signal_connect_swapped (pd->class_drop, "notify::selected", G_CALLBACK (on_class_selected), pd);
  g_signal_connect_swapped (pd->confidence_drop, "notify::selected", G_CALLBACK (on_confidence_selected), pd);
  g_signal_connect_swapped (pd->note, "activate", G_CALLBACK (on_note_activate), pd);
  g_signal_connect_swapped (popover, "closed", G_CALLBACK (on_popover_closed), pd);
  return popover;
}

void
_sl_annotation_layer_dispose_tools (SlAnnotationLayer *self)
{
  if (self->popover != NULL)
    {
      g_signal_handlers_disconnect_matched (self->popover, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                            g_object_get_data (G_OBJECT (self->popover), "sl-popover-data"));
      g_clear_pointer (&self->popover, gtk_widget_unparent);
    }
}

GtkWidget *
_sl_annotation_layer_get_popover (SlAnnotationLayer *self)
{
  return self->popover;
}

/* --- public API --- */

gboolean
sl_annotation_layer_delete_selection (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (g_hash_table_size (self->selected) == 0 || _sl_annotation_layer_refuse_edit (self))
    return FALSE;
  list = selected_annotations (self, TRUE);
  if (list->len == 0)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    g_array_append_val (ids, ((SlAnnotation *) g_ptr_array_index (list, i))->id);
  if (list->len == 1)
    {
      g_autofree char *name = _sl_annotation_layer_class_name (self, ((SlAnnotation *) g_ptr_array_index (list, 0))->class_id);

      label = g_strdup_printf (_("Delete %s"), name);
    }
  else
    label = g_strdup_printf (_("Delete %u Annotations"), list->len);
  if (!sl_undo_stack_remove (self->undo, (gint64 *) ids->data, ids->len, label, &error))
    {
      _sl_annotation_layer_report_error (self, error);
      return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_remove (self->selected, &g_array_index (ids, gint64, i));
  _sl_annotation_layer_selection_changed (self);
  return TRUE;
}

gboolean
sl_annotation_layer_duplicate_selection (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;
  double offset;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (g_hash_table_size (self->selected) == 0 || _sl_annotation_layer_refuse_edit (self))
    return FALSE;
  list = selected_annotations (self, FALSE);
  offset = DUPLICATE_OFFSET * _sl_annotation_layer_resolution (self);
  return list->len > 0 && add_copies (self, list, offset, -offset, _("Duplicate"));
}

gboolean
sl_annotation_layer_copy_selection (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  list = selected_annotations (self, FALSE);
  if (list->len == 0)
    return FALSE;
  g_clear_pointer (&clipboard, g_ptr_array_unref);
  clipboard = g_steal_pointer (&list);
  return TRUE;
}

gboolean
sl_annotation_layer_paste (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (clipboard == NULL || clipboard->len == 0 || _sl_annotation_layer_refuse_edit (self))
    return FALSE;
  return add_copies (self, clipboard, 0, 0, _("Paste"));
}

gboolean
sl_annotation_layer_copy_selection_to_scene (SlAnnotationLayer *self,
                                             gint64             scene_id)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) new_ids = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (scene_id <= 0 || scene_id == self->scene_id || g_hash_table_size (self->selected) == 0 ||
      _sl_annotation_layer_refuse_edit (self))
    return FALSE;
  ids = sl_annotation_layer_get_selection (self);
  if (!sl_undo_stack_copy_to_scene (self->undo, (gint64 *) ids->data, ids->len, scene_id, &new_ids, &error))
    {
      _sl_annotation_layer_report_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
sl_annotation_layer_select_next (SlAnnotationLayer *self,
                                 int                step)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GArray) current = NULL;
  SlAnnotation *next;
  int width, height, index = -1, n;
  SlBounds visible, b;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (self->store == NULL || self->scene_id <= 0 || self->viewport == NULL)
    return FALSE;
  all = sl_annotation_store_query (self->store, self->scene_id, NULL, NULL);
  if (all == NULL || all->len == 0)
    return FALSE;
  n = all->len;
  current = sl_annotation_layer_get_selection (self);
  if (current->len > 0)
    for (int i = 0; i < n && index < 0; i++)
      if (((SlAnnotation *) g_ptr_array_index (all, i))->id == g_array_index (current, gint64, 0))
        index = i;
  /* Walks the hidden ones too: walking is how one finds them again. */
  index = index < 0 ? (step > 0 ? 0 : n - 1) : ((index + step) % n + n) % n;
  next = g_ptr_array_index (all, index);
  _sl_annotation_layer_set_selection (self, &next->id, 1, FALSE);

  /* Brought into view when it is not. */
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  sl_viewport_get_visible_bounds (self->viewport, width, height, &visible);
  sl_annotation_get_bounds (next, &b);
  if (b.min_x < visible.min_x || b.max_x > visible.max_x || b.min_y < visible.min_y || b.max_y > visible.max_y)
    sl_viewport_set_center (self->viewport, (b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2);
  return TRUE;
}

gboolean
sl_annotation_layer_frame_selection (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;
  int width, height;
  double min_size;
  SlBounds b;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (self->viewport == NULL || width <= 2 * FRAME_MARGIN || height <= 2 * FRAME_MARGIN)
    return FALSE;
  list = selected_annotations (self, FALSE);
  if (list->len == 0)
    return FALSE;
  union_bounds (list, &b);
  /* A point is framed at about 100 %, not at the deepest zoom. */
  min_size = FRAME_MIN_PX * sl_viewport_get_resolution (self->viewport) * sl_viewport_get_zoom (self->viewport);
  if (b.max_x - b.min_x < min_size)
    b.min_x -= min_size / 2, b.max_x += min_size / 2;
  if (b.max_y - b.min_y < min_size)
    b.min_y -= min_size / 2, b.max_y += min_size / 2;
  sl_viewport_fit (self->viewport, &b, width, height, FRAME_MARGIN);
  return TRUE;
}

/* Sets the stored flag (hidden or locked) of the whole selection, or clears it when all of
 * the selection has it already: one undoable edit. */
static gboolean
toggle_flag (SlAnnotationLayer *self,
             gsize              offset,
             const char        *set_label,
             const char        *clear_label,
             gboolean          *now_set)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all_set = TRUE;

  if (g_hash_table_size (self->selected) == 0 || _sl_annotation_layer_refuse_edit (self))
    return FALSE;
  list = selected_annotations (self, FALSE);
  if (list->len == 0)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    all_set = all_set && G_STRUCT_MEMBER (gboolean, g_ptr_array_index (list, i), offset);
  for (guint i = 0; i < list->len; i++)
    G_STRUCT_MEMBER (gboolean, g_ptr_array_index (list, i), offset) = !all_set;
  if (!sl_undo_stack_update (self->undo, list, all_set ? clear_label : set_label, &error))
    {
      _sl_annotation_layer_report_error (self, error);
      return FALSE;
    }
  *now_set = !all_set;
  return TRUE;
}

gboolean
sl_annotation_layer_hide_selection (SlAnnotationLayer *self)
{
  gboolean hidden;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (!toggle_flag (self, G_STRUCT_OFFSET (SlAnnotation, hidden), _("Hide"), _("Show"), &hidden))
    return FALSE;
  /* What is hidden is not left selected; Tab still walks to it, and H shows it again. */
  if (hidden)
    _sl_annotation_layer_set_selection (self, NULL, 0, FALSE);
  return TRUE;
}

gboolean
sl_annotation_layer_toggle_lock (SlAnnotationLayer *self)
{
  gboolean locked;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  return toggle_flag (self, G_STRUCT_OFFSET (SlAnnotation, locked), _("Lock"), _("Unlock"), &locked);
}

gboolean
sl_annotation_layer_show_properties (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;
  int width, height;
  double x0, y0, x1, y1;
  SlBounds b = { 0 };

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);

  if (self->viewport == NULL || g_hash_table_size (self->selected) == 0)
    return FALSE;
  list = selected_annotations (self, FALSE);
  if (list->len == 0)
    return FALSE;
  _sl_annotation_layer_dispose_tools (self);
  self->popover = build_popover (self, list);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  /* Points at the selection, clamped to the view. */
  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  union_bounds (list, &b);
  sl_viewport_site_to_widget (self->viewport, width, height, b.min_x, b.max_y, &x0, &y0);
  sl_viewport_site_to_widget (self->viewport, width, height, b.max_x, b.min_y, &x1, &y1);
  x0 = CLAMP (x0, 0, width - 1), x1 = CLAMP (x1, 0, width - 1);
  y0 = CLAMP (y0, 0, height - 1), y1 = CLAMP (y1, 0, height - 1);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { (int) x0, (int) y0, MAX (1, (int) (x1 - x0)), MAX (1, (int) (y1 - y0)) });
  gtk_popover_popup (GTK_POPOVER (self->popover));
  return TRUE;
}
