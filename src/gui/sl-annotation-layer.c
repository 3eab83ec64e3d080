/* sl-annotation-layer.c — a pane's annotations: properties, the cached query, the snapshot
 *
 * The store is asked for the annotations of a margin around the visible area (half a view
 * on every side); panning within it, or zooming by less than a factor of two, draws from
 * that result. A change in the store, another date or a bigger move queries again. Dense
 * views (more in the margin than four times the painter's level-of-detail threshold, so about
 * the threshold in view) fetch marks from the spatial index alone — class and position, no
 * row read — which the painter draws as dots or counted clusters: a million-annotation
 * project pans as fast as a small one. Beyond MAX_MARKS, a label asks to zoom in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-annotation-layer-private.h"

/* Beyond this many in the margin, not even marks are fetched: a label asks to zoom in. */
#define MAX_MARKS 500000

G_DEFINE_FINAL_TYPE (SlAnnotationLayer, sl_annotation_layer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_CLASS_SET,
  PROP_UNDO_STACK,
  PROP_VIEWPORT,
  PROP_SCENE_ID,
  PROP_TOOL,
  PROP_CLASS_ID,
  PROP_ANNOTATIONS_VISIBLE,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const tool_names[] = {
  "select", "point", "box", "rotated-box", "polygon", "line",
};

GType
sl_annotation_tool_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SL_ANNOTATION_TOOL_SELECT, "SL_ANNOTATION_TOOL_SELECT", "select" },
        { SL_ANNOTATION_TOOL_POINT, "SL_ANNOTATION_TOOL_POINT", "point" },
        { SL_ANNOTATION_TOOL_BOX, "SL_ANNOTATION_TOOL_BOX", "box" },
        { SL_ANNOTATION_TOOL_ROTATED_BOX, "SL_ANNOTATION_TOOL_ROTATED_BOX", "rotated-box" },
        { SL_ANNOTATION_TOOL_POLYGON, "SL_ANNOTATION_TOOL_POLYGON", "polygon" },
        { SL_ANNOTATION_TOOL_LINE, "SL_ANNOTATION_TOOL_LINE", "line" },
        { 0, NULL, NULL }
      };
      GType t = g_enum_register_static (g_intern_static_string ("SlAnnotationTool"), values);

      g_once_init_leave (&type, t);
    }
  return type;
}

const char *
sl_annotation_tool_to_string (SlAnnotationTool tool)
{
  g_return_val_if_fail (tool < SL_ANNOTATION_N_TOOLS, NULL);
  return tool_names[tool];
}

gboolean
sl_annotation_tool_from_string (const char       *text,
                                SlAnnotationTool *tool)
{
  for (guint i = 0; i < G_N_ELEMENTS (tool_names); i++)
    if (g_strcmp0 (text, tool_names[i]) == 0)
      {
        *tool = i;
        return TRUE;
      }
  return FALSE;
}

static GHashTable *
new_id_set (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
add_id (GHashTable *set,
        gint64      id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
}

/* --- helpers shared by the layer's files --- */

void
_sl_annotation_layer_invalidate (SlAnnotationLayer *self)
{
  self->cache_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
_sl_annotation_layer_resolution (SlAnnotationLayer *self)
{
  return self->viewport != NULL ? sl_viewport_get_resolution (self->viewport) : 1.0;
}

void
_sl_annotation_layer_widget_to_site (SlAnnotationLayer *self,
                                     double             wx,
                                     double             wy,
                                     SlPoint           *p)
{
  sl_viewport_widget_to_site (self->viewport,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)),
                              wx, wy, &p->x, &p->y);
}

static gboolean
bounds_contain (const SlBounds *outer,
                const SlBounds *inner)
{
  return inner->min_x >= outer->min_x && inner->max_x <= outer->max_x &&
         inner->min_y >= outer->min_y && inner->max_y <= outer->max_y;
}

static GPtrArray *
query (SlAnnotationLayer *self,
       gint64             scene_id,
       const SlBounds    *bounds)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *result = sl_annotation_store_query (self->store, scene_id, bounds, &error);

  if (result == NULL)
    {
      g_warning ("%s", error->message);
      result = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
    }
  return result;
}

static void
query_marks (SlAnnotationLayer *self,
             const SlBounds    *bounds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) marks = sl_annotation_store_query_marks (self->store, self->scene_id, bounds, &error);

  if (marks == NULL)
    g_warning ("%s", error->message);
  else
    g_array_append_vals (self->marks, marks->data, marks->len);
}

void
_sl_annotation_layer_ensure_shown (SlAnnotationLayer *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  SlBounds visible, margin;
  double resolution;
  guint64 dense;
  guint count;

  if (self->store == NULL || self->viewport == NULL || self->scene_id <= 0 || width <= 0 || height <= 0)
    {
      g_ptr_array_set_size (self->shown, 0);
      g_ptr_array_set_size (self->ghosts, 0);
      g_array_set_size (self->marks, 0);
      g_hash_table_remove_all (self->shown_by_id);
      self->too_many = 0;
      return;
    }

  sl_viewport_get_visible_bounds (self->viewport, width, height, &visible);
  resolution = sl_viewport_get_resolution (self->viewport);
  if (self->cache_valid && bounds_contain (&self->cached_bounds, &visible) &&
      resolution > self->cached_resolution / 2 && resolution < self->cached_resolution * 2)
    return;

  margin.min_x = visible.min_x - (visible.max_x - visible.min_x) / 2;
  margin.max_x = visible.max_x + (visible.max_x - visible.min_x) / 2;
  margin.min_y = visible.min_y - (visible.max_y - visible.min_y) / 2;
  margin.max_y = visible.max_y + (visible.max_y - visible.min_y) / 2;

  g_hash_table_remove_all (self->shown_by_id);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->ghosts, g_ptr_array_unref);
  g_array_set_size (self->marks, 0);
  dense = 4 * (guint64) sl_annotation_painter_get_lod_threshold (self->painter);
  count = sl_annotation_store_count_in (self->store, self->scene_id, &margin);
  self->too_many = count > MAX_MARKS ? count : 0;
  if (count > dense)
    {
      self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
      if (self->too_many == 0)
        query_marks (self, &margin);
    }
  else
    self->shown = query (self, self->scene_id, &margin);
  if (self->ghost_scene_id > 0 && self->ghost_scene_id != self->scene_id &&
      sl_annotation_store_count_in (self->store, self->ghost_scene_id, &margin) <= dense)
    self->ghosts = query (self, self->ghost_scene_id, &margin);
  else
    self->ghosts = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);

  for (guint i = 0; i < self->shown->len; i++)
    {
      SlAnnotation *a = g_ptr_array_index (self->shown, i);

      g_hash_table_insert (self->shown_by_id, &a->id, a);
    }
  self->cached_bounds = margin;
  self->cached_resolution = resolution;
  self->cache_valid = TRUE;
}

SlAnnotation *
_sl_annotation_layer_lookup (SlAnnotationLayer *self,
                             gint64             id)
{
  _sl_annotation_layer_ensure_shown (self);
  return g_hash_table_lookup (self->shown_by_id, &id);
}

void
_sl_annotation_layer_selection_changed (SlAnnotationLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
_sl_annotation_layer_set_selection (SlAnnotationLayer *self,
                                    const gint64      *ids,
                                    guint              n_ids,
                                    gboolean           add)
{
  if (!add)
    g_hash_table_remove_all (self->selected);
  for (guint i = 0; i < n_ids; i++)
    add_id (self->selected, ids[i]);
  _sl_annotation_layer_selection_changed (self);
}

gboolean
_sl_annotation_layer_refuse_edit (SlAnnotationLayer *self)
{
  if (self->store == NULL || self->undo == NULL || self->scene_id <= 0)
    return TRUE;
  if (sl_annotation_store_is_read_only (self->store))
    {
      g_autofree char *name = g_path_get_basename (sl_project_get_path (sl_annotation_store_get_project (self->store)));
      g_autofree char *message = g_strdup_printf (_("‘%s’ is read-only: annotations cannot be changed"), name);

      g_signal_emit (self, signals[MESSAGE], 0, message);
      return TRUE;
    }
  return FALSE;
}

void
_sl_annotation_layer_report_error (SlAnnotationLayer *self,
                                   GError            *error)
{
  g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

char *
_sl_annotation_layer_class_name (SlAnnotationLayer *self,
                                 gint64             class_id)
{
  g_autoptr(SlClass) klass = self->classes != NULL ? sl_class_set_get (self->classes, class_id) : NULL;

  return g_strdup (klass != NULL ? klass->name : _("Annotation"));
}

gboolean
_sl_annotation_layer_add_shape (SlAnnotationLayer *self,
                                SlShapeKind        kind,
                                const SlPoint     *points,
                                guint              n_points)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;
  SlAnnotation *annotation;

  if (_sl_annotation_layer_refuse_edit (self))
    return FALSE;
  if (self->class_id <= 0)
    {
      g_signal_emit (self, signals[MESSAGE], 0, _("Choose a class first (keys 1 to 9)"));
      return FALSE;
    }
  annotation = sl_annotation_new (kind, points, n_points);
  annotation->scene_id = self->scene_id;
  annotation->class_id = self->class_id;
  annotation->author = g_strdup (g_get_real_name ());
  if (!sl_annotation_is_valid (annotation, NULL))
    {
      /* A slip of the mouse (a box of no size): nothing to add, nothing to say. */
      sl_annotation_free (annotation);
      return FALSE;
    }
  g_ptr_array_add (list, annotation);
  /* Translators: an undo label, "Add Tank" */
  name = _sl_annotation_layer_class_name (self, self->class_id);
  label = g_strdup_printf (_("Add %s"), name);
  if (!sl_undo_stack_add (self->undo, list, label, &error))
    {
      _sl_annotation_layer_report_error (self, error);
      return FALSE;
    }
  _sl_annotation_layer_set_selection (self, &annotation->id, 1, FALSE);
  return TRUE;
}

/* --- signals from the models --- */

static void
on_store_changed (SlAnnotationLayer *self,
                  gint64             scene_id)
{
  if (scene_id == 0 || scene_id == self->scene_id || scene_id == self->ghost_scene_id)
    _sl_annotation_layer_invalidate (self);
}

static void
update_classes (SlAnnotationLayer *self)
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

static void
on_viewport_changed (SlAnnotationLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- drawing --- */

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

static void
sl_annotation_layer_snapshot (GtkWidget   *widget,
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

/* --- GObject --- */

static void
sl_annotation_layer_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_CLASS_SET: g_value_set_object (value, self->classes); break;
    case PROP_UNDO_STACK: g_value_set_object (value, self->undo); break;
    case PROP_VIEWPORT: g_value_set_object (value, self->viewport); break;
    case PROP_SCENE_ID: g_value_set_int64 (value, self->scene_id); break;
    case PROP_TOOL: g_value_set_enum (value, self->tool); break;
    case PROP_CLASS_ID: g_value_set_int64 (value, self->class_id); break;
    case PROP_ANNOTATIONS_VISIBLE: g_value_set_boolean (value, self->visible); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_annotation_layer_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (object);

  switch (prop_id)
    {
    case PROP_STORE: sl_annotation_layer_set_store (self, g_value_get_object (value)); break;
    case PROP_CLASS_SET: sl_annotation_layer_set_class_set (self, g_value_get_object (value)); break;
    case PROP_UNDO_STACK: sl_annotation_layer_set_undo_stack (self, g_value_get_object (value)); break;
    case PROP_VIEWPORT: sl_annotation_layer_set_viewport (self, g_value_get_object (value)); break;
    case PROP_SCENE_ID: sl_annotation_layer_set_scene_id (self, g_value_get_int64 (value)); break;
    case PROP_TOOL: sl_annotation_layer_set_tool (self, g_value_get_enum (value)); break;
    case PROP_CLASS_ID: sl_annotation_layer_set_class_id (self, g_value_get_int64 (value)); break;
    case PROP_ANNOTATIONS_VISIBLE: sl_annotation_layer_set_annotations_visible (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_annotation_layer_dispose (GObject *object)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (object);

  _sl_annotation_layer_dispose_tools (self);
  _sl_annotation_layer_attach_input (self, NULL);
  sl_annotation_layer_set_store (self, NULL);
  sl_annotation_layer_set_class_set (self, NULL);
  sl_annotation_layer_set_viewport (self, NULL);
  g_clear_object (&self->undo);
  g_clear_object (&self->drag);
  g_clear_object (&self->motion);
  g_clear_object (&self->legacy);

  G_OBJECT_CLASS (sl_annotation_layer_parent_class)->dispose (object);
}

static void
sl_annotation_layer_finalize (GObject *object)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (object);

  _sl_annotation_layer_clear_drag (self);
  g_clear_object (&self->painter);
  g_clear_object (&self->ghost_painter);
  g_clear_pointer (&self->shown_by_id, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->ghosts, g_ptr_array_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->draft, g_array_unref);
  g_clear_pointer (&self->reference_layers, g_ptr_array_unref);

  G_OBJECT_CLASS (sl_annotation_layer_parent_class)->finalize (object);
}

static void
sl_annotation_layer_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  SlAnnotationLayer *self = SL_ANNOTATION_LAYER (widget);

  /* A bigger view may show more than the margin held. */
  self->cache_valid = FALSE;
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
sl_annotation_layer_class_init (SlAnnotationLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_annotation_layer_get_property;
  object_class->set_property = sl_annotation_layer_set_property;
  object_class->dispose = sl_annotation_layer_dispose;
  object_class->finalize = sl_annotation_layer_finalize;
  widget_class->snapshot = sl_annotation_layer_snapshot;
  widget_class->size_allocate = sl_annotation_layer_size_allocate;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SL_TYPE_ANNOTATION_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASS_SET] =
    g_param_spec_object ("class-set", NULL, NULL, SL_TYPE_CLASS_SET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNDO_STACK] =
    g_param_spec_object ("undo-stack", NULL, NULL, SL_TYPE_UNDO_STACK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, NULL, SL_TYPE_VIEWPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCENE_ID] =
    g_param_spec_int64 ("scene-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_enum ("tool", NULL, NULL, sl_annotation_tool_get_type (), SL_ANNOTATION_TOOL_SELECT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASS_ID] =
    g_param_spec_int64 ("class-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANNOTATIONS_VISIBLE] =
    g_param_spec_boolean ("annotations-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something the user should read: a read-only project, a failed edit. */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "annotationlayer");
}

static void
sl_annotation_layer_init (SlAnnotationLayer *self)
{
  self->painter = sl_annotation_painter_new ();
  self->ghost_painter = sl_annotation_painter_new ();
  sl_annotation_painter_set_style (self->ghost_painter, SL_PAINT_STYLE_GHOST);
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  self->ghosts = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  self->marks = g_array_new (FALSE, FALSE, sizeof (SlAnnotationMark));
  self->shown_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->selected = new_id_set ();
  self->visible = TRUE;
  _sl_annotation_layer_init_input (self);
}

/* --- public API --- */

GtkWidget *
sl_annotation_layer_new (void)
{
  return g_object_new (SL_TYPE_ANNOTATION_LAYER, NULL);
}

void
sl_annotation_layer_set_store (SlAnnotationLayer *self,
                               SlAnnotationStore *store)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (store == NULL || SL_IS_ANNOTATION_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->store_changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (on_store_changed), self);
  g_hash_table_remove_all (self->selected);
  sl_annotation_layer_cancel (self);
  _sl_annotation_layer_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

SlAnnotationStore *
sl_annotation_layer_get_store (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), NULL);
  return self->store;
}

void
sl_annotation_layer_set_class_set (SlAnnotationLayer *self,
                                   SlClassSet        *classes)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (classes == NULL || SL_IS_CLASS_SET (classes));

  if (self->classes == classes)
    return;
  if (self->classes != NULL)
    g_clear_signal_handler (&self->classes_changed_id, self->classes);
  g_set_object (&self->classes, classes);
  if (classes != NULL)
    self->classes_changed_id = g_signal_connect_swapped (classes, "changed", G_CALLBACK (update_classes), self);
  update_classes (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS_SET]);
}

void
sl_annotation_layer_set_undo_stack (SlAnnotationLayer *self,
                                    SlUndoStack       *undo)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (undo == NULL || SL_IS_UNDO_STACK (undo));

  if (g_set_object (&self->undo, undo))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_STACK]);
}

SlUndoStack *
sl_annotation_layer_get_undo_stack (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), NULL);
  return self->undo;
}

void
sl_annotation_layer_set_viewport (SlAnnotationLayer *self,
                                  SlViewport        *viewport)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (viewport == NULL || SL_IS_VIEWPORT (viewport));

  if (self->viewport == viewport)
    return;
  if (self->viewport != NULL)
    g_signal_handlers_disconnect_by_func (self->viewport, on_viewport_changed, self);
  g_set_object (&self->viewport, viewport);
  if (viewport != NULL)
    g_signal_connect_swapped (viewport, "notify", G_CALLBACK (on_viewport_changed), self);
  _sl_annotation_layer_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEWPORT]);
}

SlViewport *
sl_annotation_layer_get_viewport (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), NULL);
  return self->viewport;
}

void
sl_annotation_layer_set_scene_id (SlAnnotationLayer *self,
                                  gint64             scene_id)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  if (self->scene_id == scene_id)
    return;
  self->scene_id = scene_id;
  sl_annotation_layer_cancel (self);
  if (g_hash_table_size (self->selected) > 0)
    {
      g_hash_table_remove_all (self->selected);
      _sl_annotation_layer_selection_changed (self);
    }
  _sl_annotation_layer_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENE_ID]);
}

gint64
sl_annotation_layer_get_scene_id (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), 0);
  return self->scene_id;
}

void
sl_annotation_layer_set_ghost_scene_id (SlAnnotationLayer *self,
                                        gint64             scene_id)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  if (self->ghost_scene_id == scene_id)
    return;
  self->ghost_scene_id = scene_id;
  _sl_annotation_layer_invalidate (self);
}

void
sl_annotation_layer_set_tool (SlAnnotationLayer *self,
                              SlAnnotationTool   tool)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (tool < SL_ANNOTATION_N_TOOLS);

  if (self->tool == tool)
    return;
  sl_annotation_layer_cancel (self);
  self->tool = tool;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

SlAnnotationTool
sl_annotation_layer_get_tool (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), SL_ANNOTATION_TOOL_SELECT);
  return self->tool;
}

void
sl_annotation_layer_set_class_id (SlAnnotationLayer *self,
                                  gint64             class_id)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  if (self->class_id == class_id)
    return;
  self->class_id = class_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS_ID]);
}

gint64
sl_annotation_layer_get_class_id (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), 0);
  return self->class_id;
}

void
sl_annotation_layer_set_metric (SlAnnotationLayer *self,
                                gboolean           metric)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  sl_annotation_painter_set_metric (self->painter, metric);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_annotation_layer_set_annotations_visible (SlAnnotationLayer *self,
                                             gboolean           visible)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATIONS_VISIBLE]);
}

gboolean
sl_annotation_layer_get_annotations_visible (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);
  return self->visible;
}

void
sl_annotation_layer_set_reference_layers (SlAnnotationLayer *self,
                                          GPtrArray         *layers)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  if (self->reference_layers == layers)
    {
      /* The same array, changed in place (a colour). */
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (layers != NULL)
    g_ptr_array_ref (layers);
  g_clear_pointer (&self->reference_layers, g_ptr_array_unref);
  self->reference_layers = layers;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_annotation_layer_set_input_widget (SlAnnotationLayer *self,
                                      GtkWidget         *widget)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  _sl_annotation_layer_attach_input (self, widget != NULL ? widget : GTK_WIDGET (self));
}

void
sl_annotation_layer_set_input_region (SlAnnotationLayer     *self,
                                      const graphene_rect_t *region)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));

  self->has_region = region != NULL;
  if (region != NULL)
    self->region = *region;
}

gboolean
sl_annotation_layer_has_pointer (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), FALSE);
  return self->has_pointer;
}

GArray *
sl_annotation_layer_get_selection (SlAnnotationLayer *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gint64 *id;

  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), ids);

  g_hash_table_iter_init (&iter, self->selected);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_array_append_val (ids, *id);
  return ids;
}

void
sl_annotation_layer_select (SlAnnotationLayer *self,
                            const gint64      *ids,
                            guint              n_ids)
{
  g_return_if_fail (SL_IS_ANNOTATION_LAYER (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  _sl_annotation_layer_set_selection (self, ids, n_ids, FALSE);
}

GPtrArray *
sl_annotation_layer_get_shown (SlAnnotationLayer *self)
{
  g_return_val_if_fail (SL_IS_ANNOTATION_LAYER (self), NULL);

  _sl_annotation_layer_ensure_shown (self);
  return self->shown;
}
