/* sl-tie-point-editor.c — the window that registers a scene (a press image, a screenshot) on
 * a reference scene by tie points
 *
 * Left the scene to register, right the reference; a click on one side then on the other adds
 * a pair. Every change solves the transform again (SlRegistration is immutable and cheap for
 * tens of points), so residuals, the RMS, the worst pairs and the overlay are always those of
 * the points shown; a failed solve shows its message inline and disables Apply. Apply hands
 * the registration to the project, which keeps the previous one when it refuses. The widgets
 * and the image previews are made in sl-tie-point-editor-ui.c, the solve is shown in them by
 * sl-tie-point-editor-refresh.c, and sl-tie-point-editor-actions.c answers them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-tie-point-editor"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sl-registration-auto.h"
#include "sl-tie-point-editor-private.h"

const SlTransformKind _sl_tie_point_editor_kinds[] = {
  SL_TRANSFORM_SIMILARITY, SL_TRANSFORM_AFFINE, SL_TRANSFORM_PROJECTIVE,
  SL_TRANSFORM_POLY2, SL_TRANSFORM_POLY3, SL_TRANSFORM_TPS,
};


G_DEFINE_FINAL_TYPE (SlTiePointEditor, sl_tie_point_editor, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- callbacks --- */

static void
on_image_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  SlTiePointEditor *self;

  if (surface == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sl_tie_point_editor_set_message (SL_TIE_POINT_EDITOR (source), error->message);
      return;
    }
  self = SL_TIE_POINT_EDITOR (source);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  self->image_surface = surface;
  self->image_scale = (double) cairo_image_surface_get_width (surface) / sl_scene_get_width (self->scene);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->image_view), surface, self->image_scale,
                               sl_scene_get_width (self->scene), sl_scene_get_height (self->scene));
  _sl_tie_point_editor_update_overlay (self);
}

static SlScene *
find_reference (SlTiePointEditor *self,
                gint64            id,
                guint            *position)
{
  for (guint i = 0; i < self->references->len; i++)
    if (sl_scene_get_id (g_ptr_array_index (self->references, i)) == id)
      {
        if (position != NULL)
          *position = i;
        return g_ptr_array_index (self->references, i);
      }
  return NULL;
}

static void
on_ref_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (G_TASK (result), &error);
  SlTiePointEditor *self;
  SlScene *ref;

  if (surface == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sl_tie_point_editor_set_message (SL_TIE_POINT_EDITOR (source), error->message);
      return;
    }
  self = SL_TIE_POINT_EDITOR (source);
  ref = find_reference (self, self->reference_id, NULL);
  if (ref == NULL)
    {
      cairo_surface_destroy (surface);
      return;
    }
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  self->ref_surface = surface;
  self->ref_scale = (double) cairo_image_surface_get_width (surface) / sl_scene_get_width (ref);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->ref_view), surface, self->ref_scale,
                               sl_scene_get_width (ref), sl_scene_get_height (ref));
}

static void
load_reference (SlTiePointEditor *self)
{
  SlScene *ref = find_reference (self, self->reference_id, NULL);

  g_cancellable_cancel (self->ref_cancellable);
  g_clear_object (&self->ref_cancellable);
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  sl_tie_point_view_set_image (SL_TIE_POINT_VIEW (self->ref_view), NULL, 1, 0, 0);
  if (ref == NULL)
    return;
  self->ref_cancellable = g_cancellable_new ();
  _sl_tie_point_editor_load_preview (self, ref, self->ref_cancellable, on_ref_loaded);
}

static void
on_auto_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistrationAutoResult) found = sl_registration_auto_finish (result, &error);
  g_autoptr(SlTiePointEditor) self = user_data;
  const SlTiePoint *points;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  g_clear_object (&self->auto_cancellable);
  if (found == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No automatic proposal: %s"), error->message);

      _sl_tie_point_editor_update (self);
      _sl_tie_point_editor_set_message (self, message);
      return;
    }
  points = sl_registration_get_points (found->registration, &n);
  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n);
  self->selected = -1;
  self->pending_side = 0;
  _sl_tie_point_editor_update (self);
}

/* "Press image — 21 Feb 2022": the label, with the date unless the label already says it. */
static char *
describe_scene (SlScene *scene)
{
  GDateTime *acquired = sl_scene_get_acquired (scene);
  const char *label = sl_scene_get_label (scene);
  g_autofree char *date = acquired != NULL ? g_date_time_format (acquired, "%-d %b %Y") : NULL;

  if (label == NULL || *label == '\0')
    return g_strdup (date != NULL ? date : _("Untitled Scene"));
  if (date == NULL || strstr (label, date) != NULL)
    return g_strdup (label);
  return g_strdup_printf ("%s — %s", label, date);
}

/* The other scenes for the dropdown, and the default reference: the georeferenced one closest
 * in date (any other when none is). */
static void
list_references (SlTiePointEditor *self)
{
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (self->project, NULL);
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (self->ref_dropdown)));
  GDateTime *when = sl_scene_get_acquired (self->scene);
  double best = G_MAXDOUBLE;

  for (guint i = 0; scenes != NULL && i < scenes->len; i++)
    {
      SlScene *s = g_ptr_array_index (scenes, i);
      GDateTime *acquired = sl_scene_get_acquired (s);
      g_autofree char *name = NULL;
      double distance;

      if (sl_scene_get_id (s) == sl_scene_get_id (self->scene))
        continue;
      name = describe_scene (s);
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->references, g_object_ref (s));
      distance = (when != NULL && acquired != NULL) ? fabs ((double) g_date_time_difference (acquired, when)) : 1e15;
      if (sl_scene_get_georef (s) != SL_GEOREF_GEOTRANSFORM)
        distance += 1e18;
      if (distance < best)
        {
          best = distance;
          self->reference_id = sl_scene_get_id (s);
        }
    }
}

/* Destroyed: nothing left to load or propose (the tasks may hold it a moment longer). */
static void
sl_tie_point_editor_unrealize (GtkWidget *widget)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (widget);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->ref_cancellable);
  g_cancellable_cancel (self->auto_cancellable);
  GTK_WIDGET_CLASS (sl_tie_point_editor_parent_class)->unrealize (widget);
}

static void
sl_tie_point_editor_dispose (GObject *object)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (object);

  g_clear_handle_id (&self->list_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->ref_cancellable);
  g_cancellable_cancel (self->auto_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->ref_cancellable);
  g_clear_object (&self->auto_cancellable);
  g_clear_object (&self->registration);
  g_clear_object (&self->project);
  g_clear_object (&self->annotations);
  g_clear_object (&self->scene);
  g_clear_pointer (&self->references, g_ptr_array_unref);
  g_clear_pointer (&self->image_surface, cairo_surface_destroy);
  g_clear_pointer (&self->ref_surface, cairo_surface_destroy);
  G_OBJECT_CLASS (sl_tie_point_editor_parent_class)->dispose (object);
}

static void
sl_tie_point_editor_finalize (GObject *object)
{
  SlTiePointEditor *self = SL_TIE_POINT_EDITOR (object);

  g_array_unref (self->points);
  g_array_unref (self->worst);
  g_free (self->message);
  g_free (self->rms_text);
  G_OBJECT_CLASS (sl_tie_point_editor_parent_class)->finalize (object);
}

static void
sl_tie_point_editor_class_init (SlTiePointEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_tie_point_editor_dispose;
  object_class->finalize = sl_tie_point_editor_finalize;
  widget_class->unrealize = sl_tie_point_editor_unrealize;

  /* The scene was registered: the window closes after this. */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  _sl_tie_point_editor_class_install_actions (widget_class);
}

static void
sl_tie_point_editor_init (SlTiePointEditor *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (SlTiePoint));
  self->worst = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->references = g_ptr_array_new_with_free_func (g_object_unref);
  self->kind = SL_TRANSFORM_AFFINE;
  self->selected = -1;
  self->cancellable = g_cancellable_new ();
  _sl_tie_point_editor_add_style ();
  _sl_tie_point_editor_build (self);
  _sl_tie_point_editor_connect_signals (self);
  gtk_window_set_default_size (GTK_WINDOW (self), 1200, 820);
}

/* --- public API --- */

SlTiePointEditor *
sl_tie_point_editor_new (SlProject         *project,
                         SlAnnotationStore *annotations,
                         gint64             scene_id)
{
  SlTiePointEditor *self;
  g_autoptr(SlRegistration) stored = NULL;
  g_autoptr(SlScene) scene = NULL;
  g_autofree char *title = NULL, *name = NULL;
  gint64 stored_ref = 0;
  guint position;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (annotations == NULL || SL_IS_ANNOTATION_STORE (annotations), NULL);
  scene = sl_project_get_scene (project, scene_id, NULL);
  g_return_val_if_fail (scene != NULL, NULL);

  self = g_object_new (SL_TYPE_TIE_POINT_EDITOR, NULL);
  self->project = g_object_ref (project);
  self->annotations = annotations != NULL ? g_object_ref (annotations) : NULL;
  self->scene = g_steal_pointer (&scene);

  name = describe_scene (self->scene);
  title = g_strdup_printf (_("Register ‘%s’"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);

  list_references (self);
  stored = sl_project_dup_registration (project, scene_id, &stored_ref, NULL);
  if (stored != NULL && find_reference (self, stored_ref, NULL) != NULL)
    {
      guint n;
      const SlTiePoint *points = sl_registration_get_points (stored, &n);

      g_array_append_vals (self->points, points, n);
      self->kind = sl_registration_get_kind (stored);
      self->reference_id = stored_ref;
    }

  self->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (_sl_tie_point_editor_kinds); i++)
    if (_sl_tie_point_editor_kinds[i] == self->kind)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->kind_dropdown), i);
  if (find_reference (self, self->reference_id, &position) != NULL)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->ref_dropdown), position);
  self->syncing = FALSE;
  _sl_tie_point_editor_update_min_label (self);

  _sl_tie_point_editor_load_preview (self, self->scene, self->cancellable, on_image_loaded);
  load_reference (self);
  _sl_tie_point_editor_update (self);
  if (self->reference_id <= 0)
    _sl_tie_point_editor_set_message (self, _("No other scene to register on: add a georeferenced scene of the site first"));
  return self;
}

gint64
sl_tie_point_editor_get_scene_id (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return sl_scene_get_id (self->scene);
}

gint64
sl_tie_point_editor_get_reference_id (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return self->reference_id;
}

gboolean
sl_tie_point_editor_set_reference_id (SlTiePointEditor *self,
                                      gint64            reference_id)
{
  guint position;

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), FALSE);

  if (find_reference (self, reference_id, &position) == NULL)
    return FALSE;
  if (reference_id == self->reference_id)
    return TRUE;
  self->reference_id = reference_id;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->ref_dropdown), position);
  self->syncing = FALSE;
  load_reference (self);
  _sl_tie_point_editor_update (self);
  return TRUE;
}

SlTransformKind
sl_tie_point_editor_get_kind (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), SL_TRANSFORM_AFFINE);
  return self->kind;
}

void
sl_tie_point_editor_set_kind (SlTiePointEditor *self,
                              SlTransformKind   kind)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  self->kind = kind;
  self->syncing = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (_sl_tie_point_editor_kinds); i++)
    if (_sl_tie_point_editor_kinds[i] == kind)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->kind_dropdown), i);
  self->syncing = FALSE;
  _sl_tie_point_editor_update_min_label (self);
  _sl_tie_point_editor_update (self);
}

guint
sl_tie_point_editor_add_pair (SlTiePointEditor *self,
                              double            ix,
                              double            iy,
                              double            rx,
                              double            ry)
{
  SlTiePoint p = { ix, iy, rx, ry, TRUE };

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);

  g_array_append_val (self->points, p);
  self->selected = self->points->len - 1;
  _sl_tie_point_editor_update (self);
  return self->points->len - 1;
}

void
sl_tie_point_editor_remove_pair (SlTiePointEditor *self,
                                 guint             index)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  if (index >= self->points->len)
    return;
  g_array_remove_index (self->points, index);
  self->selected = -1;
  _sl_tie_point_editor_update (self);
}

guint
sl_tie_point_editor_get_n_pairs (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), 0);
  return self->points->len;
}

const SlTiePoint *
sl_tie_point_editor_get_pairs (SlTiePointEditor *self,
                               guint            *n_pairs)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), NULL);
  if (n_pairs != NULL)
    *n_pairs = self->points->len;
  return (const SlTiePoint *) self->points->data;
}

void
sl_tie_point_editor_set_overlay (SlTiePointEditor *self,
                                 gboolean          show,
                                 double            opacity)
{
  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  gtk_range_set_value (GTK_RANGE (self->opacity_scale), CLAMP (opacity, 0, 1));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->overlay_button), show);
  _sl_tie_point_editor_update_overlay (self);
}

SlRegistration *
sl_tie_point_editor_get_registration (SlTiePointEditor *self)
{
  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), NULL);
  return self->registration;
}

void
sl_tie_point_editor_run_auto (SlTiePointEditor *self)
{
  SlScene *ref;
  g_autofree char *image_path = NULL, *ref_path = NULL;

  g_return_if_fail (SL_IS_TIE_POINT_EDITOR (self));

  ref = find_reference (self, self->reference_id, NULL);
  if (self->busy || ref == NULL)
    return;
  image_path = sl_project_resolve_source (self->project, self->scene);
  ref_path = sl_project_resolve_source (self->project, ref);
  self->busy = TRUE;
  self->auto_cancellable = g_cancellable_new ();
  _sl_tie_point_editor_set_message (self, NULL);
  _sl_tie_point_editor_update_sensitivity (self);
  sl_registration_auto_async (image_path, ref_path, self->kind, self->auto_cancellable, on_auto_done,
                              g_object_ref (self));
}

gboolean
sl_tie_point_editor_apply (SlTiePointEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRegistration) registration = NULL;

  g_return_val_if_fail (SL_IS_TIE_POINT_EDITOR (self), FALSE);

  if (self->registration == NULL || self->busy)
    return FALSE;
  registration = g_object_ref (self->registration);
  if (!sl_project_register_scene (self->project, sl_scene_get_id (self->scene), self->reference_id,
                                  registration, &error))
    {
      _sl_tie_point_editor_set_message (self, error->message);
      return FALSE;
    }
  if (self->annotations != NULL)
    sl_annotation_store_notify_changed (self->annotations, sl_scene_get_id (self->scene));
  g_signal_emit (self, signals[APPLIED], 0);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

/* For tests */
SlTiePointView *
_sl_tie_point_editor_get_image_view (SlTiePointEditor *self)
{
  return SL_TIE_POINT_VIEW (self->image_view);
}

SlTiePointView *
_sl_tie_point_editor_get_reference_view (SlTiePointEditor *self)
{
  return SL_TIE_POINT_VIEW (self->ref_view);
}

GtkWidget *
_sl_tie_point_editor_get_pair_list (SlTiePointEditor *self)
{
  return self->pair_list;
}

GtkWidget *
_sl_tie_point_editor_get_auto_button (SlTiePointEditor *self)
{
  return self->auto_button;
}

GtkWidget *
_sl_tie_point_editor_get_apply_button (SlTiePointEditor *self)
{
  return self->apply_button;
}

const char *
_sl_tie_point_editor_get_message (SlTiePointEditor *self)
{
  return self->message != NULL ? self->message : "";
}

const char *
_sl_tie_point_editor_get_rms_text (SlTiePointEditor *self)
{
  return self->rms_text != NULL ? self->rms_text : "";
}

gboolean
_sl_tie_point_editor_is_busy (SlTiePointEditor *self)
{
  return self->busy;
}

gboolean
_sl_tie_point_editor_is_loaded (SlTiePointEditor *self)
{
  return self->image_surface != NULL && self->ref_surface != NULL;
}
