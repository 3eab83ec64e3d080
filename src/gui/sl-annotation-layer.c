/* sl-annotation-layer.c — a pane's annotations: the type, its properties and signals, the
 * helpers its files share (selection, edits, coordinates)
 *
 * The cached query is in sl-annotation-layer-fetch.c, the snapshot in
 * sl-annotation-layer-draw.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-annotation-layer"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-annotation-layer-private.h"

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
on_viewport_changed (SlAnnotationLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  widget_class->snapshot = _sl_annotation_layer_snapshot;
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
    self->classes_changed_id = g_signal_connect_swapped (classes, "changed", G_CALLBACK (_sl_annotation_layer_update_classes), self);
  _sl_annotation_layer_update_classes (self);
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
