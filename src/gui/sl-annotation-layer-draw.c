/* sl-annotation-layer-draw.c — the snapshot: reference layers, ghosts, marks, shapes, handles,
 * the shape being drawn and the rubber band, through the painters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-annotation-layer-private.h"

/* The annotations to draw: the shown ones, less the hidden, with edits in progress. */
static GPtrArray *
drawn_list (SlAnnotationLayer *self)
{
  GPtrArray *list = g_ptr_array_sized_new (self->shown->len);
  g_autoptr(GHashTable) edited = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; self->editing != NULL && i < self->editing->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (self->editing, i);

      g_hash_table_insert (edited, &a->id, a);
    }
  for (guint i = 0; i < self->shown->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (self->shown, i);
      SlAnnotation *e = g_hash_table_lookup (edited, &a->id);

      if (a->hidden)
        continue;
      g_ptr_array_add (list, e != NULL ? e : a);
    }
  return list;
}

static void
draw_draft (SlAnnotationLayer *self,
            cairo_t           *cr,
            int                width,
            int                height)
{
  g_autoptr(SlAnnotation) draft = NULL;
  g_autoptr(GArray) points = NULL;
  SlShapeKind kind = self->draft_kind;
  SlPoint pointer;

  if (self->draft == NULL || self->draft->len == 0)
    return;
  points = g_array_copy (self->draft);
  if (self->has_pointer && self->draft_follow)
    {
      _sl_annotation_layer_widget_to_site (self, self->pointer_x, self->pointer_y, &pointer);
      g_array_append_val (points, pointer);
    }
  /* A polygon of two points so far draws as its first edge. */
  if (kind == SL_SHAPE_POLYGON && points->len < 3)
    kind = SL_SHAPE_LINE;
  if (points->len < 2 && kind != SL_SHAPE_POINT)
    kind = SL_SHAPE_POINT;
  draft = sl_annotation_new (kind, (SlPoint *) points->data, kind == SL_SHAPE_POINT ? 1 : points->len);
  draft->class_id = self->class_id;
  sl_annotation_painter_draw_one (self->painter, cr, self->viewport, width, height, draft, TRUE);
}

static void
draw_rubber_band (SlAnnotationLayer *self,
                  cairo_t           *cr)
{
  double x = MIN (self->press_x, self->pointer_x), y = MIN (self->press_y, self->pointer_y);
  double w = fabs (self->pointer_x - self->press_x), h = fabs (self->pointer_y - self->press_y);

  cairo_rectangle (cr, x + 0.5, y + 0.5, w, h);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.18);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_stroke (cr);
}

static void
draw_too_many (SlAnnotationLayer *self,
               cairo_t           *cr,
               int                width,
               int                height)
{
  g_autofree char *text = g_strdup_printf (_("%u annotations here: zoom in to see them"), self->too_many);
  cairo_text_extents_t extents;

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 13);
  cairo_text_extents (cr, text, &extents);
  cairo_rectangle (cr, (width - extents.width) / 2 - 12, height - 64, extents.width + 24, 28);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.65);
  cairo_fill (cr);
  cairo_move_to (cr, (width - extents.width) / 2 - extents.x_bearing, height - 50 - extents.height / 2 - extents.y_bearing);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_show_text (cr, text);
}

void
_sl_annotation_layer_update_classes (SlAnnotationLayer *self)
{
  g_autoptr(GPtrArray) list = NULL;

  sl_annotation_painter_clear_classes (self->painter);
  sl_annotation_painter_clear_classes (self->ghost_painter);
  if (self->classes != NULL)
    list = sl_class_set_list (self->classes, NULL);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      SlClass *klass = g_ptr_array_index (list, i);

      sl_annotation_painter_set_class (self->painter, klass->id, klass->colour, klass->name);
      sl_annotation_painter_set_class (self->ghost_painter, klass->id, klass->colour, klass->name);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_sl_annotation_layer_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GPtrArray) list = NULL;
  gboolean has_references;
  cairo_t *cr;

  if (self->viewport == NULL || width <= 0 || height <= 0)
    return;
  _sl_annotation_layer_ensure_shown (self);
  has_references = self->reference_layers != NULL && self->reference_layers->len > 0;
  if (!self->visible && self->draft == NULL && self->drag_kind != DRAG_RUBBER_BAND && !has_references)
    return;
  if (self->visible && self->shown->len == 0 && self->ghosts->len == 0 && self->marks->len == 0 &&
      self->too_many == 0 && self->draft == NULL && self->drag_kind != DRAG_RUBBER_BAND && !has_references)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; has_references && i < self->reference_layers->len; i++)
    sl_reference_layer_draw (g_ptr_array_index (self->reference_layers, i), cr, self->viewport, width, height);
  if (self->visible)
    {
      sl_annotation_painter_draw (self->ghost_painter, cr, self->viewport, width, height, self->ghosts, NULL);
      sl_annotation_painter_draw_marks (self->painter, cr, self->viewport, width, height,
                                        (SlAnnotationMark *) self->marks->data, self->marks->len);
      list = drawn_list (self);
      if (sl_annotation_painter_draw (self->painter, cr, self->viewport, width, height, list, self->selected)
          == SL_PAINT_LOD_SHAPES && self->tool == SL_ANNOTATION_TOOL_SELECT &&
          g_hash_table_size (self->selected) == 1)
        {
          GHashTableIter iter;
          gint64 *id;

          g_hash_table_iter_init (&iter, self->selected);
          if (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
            {
              SlAnnotation *a = NULL;

              for (guint i = 0; i < list->len && a == NULL; i++)
                if (((SlAnnotation *) g_ptr_array_index (list, i))->id == *id)
                  a = g_ptr_array_index (list, i);
              if (a != NULL && !a->locked)
                {
                  g_autoptr(GArray) handles = sl_annotation_painter_get_handles (self->viewport, width, height, a);

                  sl_annotation_painter_draw_handles (self->painter, cr, handles);
                }
            }
        }
      if (self->too_many > 0)
        draw_too_many (self, cr, width, height);
    }
  draw_draft (self, cr, width, height);
  if (self->drag_kind == DRAG_RUBBER_BAND)
    draw_rubber_band (self, cr);
  cairo_destroy (cr);
}
