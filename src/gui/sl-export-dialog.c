/* sl-export-dialog.c — the export dialog: preview, drawn area, export with progress
 *
 * The settings (sl-export-dialog-settings.c) edit one SlComposition. Every change makes a new
 * SlComposer on the main thread a moment (PREVIEW_DELAY_MS) after the last one, and draws it
 * on a worker thread at the preview's size in device pixels; a newer change cancels a render
 * still running, and the last good image stays up meanwhile. The composer is the one that
 * writes the file, so the preview is the export at another size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-export-dialog-private.h"

G_DEFINE_FINAL_TYPE (SlExportDialog, sl_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define PREVIEW_DELAY_MS 50
/* Room around the graphic in the preview, logical pixels. */
#define PREVIEW_PAD 24
/* A shorter drag is a click, not an area. */
#define MIN_DRAG 8

typedef struct
{
  SlComposer *composer;
  int         width, height;  /* device pixels */
  int         scale;
  guint       serial;
  double      ms;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  g_clear_object (&job->composer);
  g_free (job);
}

/* --- preview --- */

static void
show_preview_status (SlExportDialog *self,
                     const char     *message)
{
  gtk_label_set_label (GTK_LABEL (self->preview_status), message != NULL ? message : "");
  gtk_widget_set_visible (self->preview_status, message != NULL);
}

static void
render_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  GError *error = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width, job->height);
  cairo_t *cr = cairo_create (surface);
  gint64 start = g_get_monotonic_time ();
  gboolean ok = sl_composer_render (job->composer, cr, job->width, job->height, cancellable, &error);

  cairo_destroy (cr);
  job->ms = (g_get_monotonic_time () - start) / 1000.0;
  if (!ok)
    {
      cairo_surface_destroy (surface);
      g_task_return_error (task, error);
      return;
    }
  cairo_surface_flush (surface);
  cairo_surface_set_device_scale (surface, job->scale, job->scale);
  g_task_return_pointer (task, surface, (GDestroyNotify) cairo_surface_destroy);
}

static double
median (GArray *values)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = values->len;

  if (n == 0)
    return 0;
  sorted = g_array_copy (values);
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && g_array_index (sorted, double, j - 1) > g_array_index (sorted, double, j); j--)
      {
        double t = g_array_index (sorted, double, j);

        g_array_index (sorted, double, j) = g_array_index (sorted, double, j - 1);
        g_array_index (sorted, double, j - 1) = t;
      }
  return n % 2 ? g_array_index (sorted, double, n / 2)
               : (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

static void
on_render_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlExportDialog) self = user_data;
  GTask *task = G_TASK (result);
  RenderJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = g_task_propagate_pointer (task, &error);

  if (surface == NULL)
    {
      /* A newer change cancelled it: its image follows. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && job->serial == self->preview_serial)
        {
          show_preview_status (self, error->message);
          gtk_spinner_stop (GTK_SPINNER (self->preview_spinner));
        }
      return;
    }
  if (job->serial != self->preview_serial || self->preview == NULL)
    {
      cairo_surface_destroy (surface);
      return;
    }
  g_array_append_val (self->render_ms, job->ms);
  g_debug ("Preview %d × %d drawn in %.1f ms (median %.1f ms over %u)", job->width, job->height, job->ms,
           median (self->render_ms), self->render_ms->len);
  g_clear_pointer (&self->preview_surface, cairo_surface_destroy);
  self->preview_surface = surface;
  g_set_object (&self->preview_composer, job->composer);
  self->preview_width = job->width / job->scale;
  self->preview_height = job->height / job->scale;
  self->preview_count++;
  show_preview_status (self, NULL);
  gtk_spinner_stop (GTK_SPINNER (self->preview_spinner));
  gtk_widget_queue_draw (self->preview);
}

static gboolean
start_render (gpointer user_data)
{
  SlExportDialog *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlComposer) composer = NULL;
  g_autoptr(GTask) task = NULL;
  RenderJob *job;
  int scale = gtk_widget_get_scale_factor (self->preview);
  int width = gtk_widget_get_width (self->preview) - 2 * PREVIEW_PAD;
  int height = gtk_widget_get_height (self->preview) - 2 * PREVIEW_PAD;
  gint64 start;

  self->preview_timeout = 0;
  if (width < 16 || height < 16)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_serial++;

  start = g_get_monotonic_time ();
  composer = sl_composer_new (self->project, self->cache, self->composition, &error);
  g_debug ("Preview plan made in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (composer == NULL)
    {
      /* The last good image stays, with what is wrong under it. */
      show_preview_status (self, error->message);
      return G_SOURCE_REMOVE;
    }
  self->preview_cancellable = g_cancellable_new ();
  job = g_new0 (RenderJob, 1);
  job->composer = g_steal_pointer (&composer);
  job->width = width * scale;
  job->height = height * scale;
  job->scale = scale;
  job->serial = self->preview_serial;
  task = g_task_new (NULL, self->preview_cancellable, on_render_done, g_object_ref (self));
  g_task_set_source_tag (task, start_render);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
  gtk_spinner_start (GTK_SPINNER (self->preview_spinner));
  return G_SOURCE_REMOVE;
}

void
_sl_export_dialog_changed (SlExportDialog *self)
{
  if (self->syncing || self->preview == NULL)
    return;
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, start_render, self);
}

void
_sl_export_dialog_apply_view (SlExportDialog *self)
{
  int width, height;

  if (!self->has_view || self->composition->area != SL_AREA_VIEW)
    return;
  sl_composition_get_pixel_size (self->composition, &width, &height);
  self->composition->center_x = self->view_x;
  self->composition->center_y = self->view_y;
  self->composition->resolution = self->view_ground / MAX (width, 1);
}

/* Where the graphic of @composer lies in the preview, logical pixels, and its scale. */
static void
graphic_box (SlExportDialog *self,
             SlComposer     *composer,
             double         *x,
             double         *y,
             double         *s)
{
  int width, height, scale = gtk_widget_get_scale_factor (self->preview);
  double dw = (double) self->preview_width * scale, dh = (double) self->preview_height * scale, sd;

  sl_composer_get_size (composer, &width, &height);
  sd = MIN (dw / width, dh / height);
  /* As sl_composer_render places it, in device pixels. */
  *x = PREVIEW_PAD + floor ((dw - width * sd) / 2) / scale;
  *y = PREVIEW_PAD + floor ((dh - height * sd) / 2) / scale;
  *s = sd / scale;
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  SlExportDialog *self = user_data;
  double x, y, s;
  int gw, gh;

  /* A backdrop the sheet stands out from, in the light theme and the dark. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.08);
  cairo_paint (cr);
  if (self->preview_surface == NULL || self->preview_composer == NULL)
    return;
  graphic_box (self, self->preview_composer, &x, &y, &s);
  sl_composer_get_size (self->preview_composer, &gw, &gh);
  /* A sheet on the backdrop: a soft shadow under the graphic. */
  for (int i = 1; i <= 4; i++)
    {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.06);
      cairo_rectangle (cr, x - i + 1, y - i + 2, gw * s + 2 * i - 2, gh * s + 2 * i - 2);
      cairo_fill (cr);
    }
  cairo_set_source_surface (cr, self->preview_surface, PREVIEW_PAD, PREVIEW_PAD);
  cairo_paint (cr);

  if (self->dragging)
    {
      double x0 = MIN (self->drag_x0, self->drag_x1), y0 = MIN (self->drag_y0, self->drag_y1);
      double w = fabs (self->drag_x1 - self->drag_x0), h = fabs (self->drag_y1 - self->drag_y0);

      cairo_rectangle (cr, floor (x0) + 0.5, floor (y0) + 0.5, floor (w), floor (h));
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.18);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }
}

static void
on_preview_resize (SlExportDialog *self)
{
  _sl_export_dialog_changed (self);
}

void
_sl_export_dialog_drag_area (SlExportDialog *self,
                             double          x0,
                             double          y0,
                             double          x1,
                             double          y1)
{
  double gx, gy, s;
  SlBounds b;

  if (self->preview_composer == NULL)
    return;
  /* Preview points → the graphic's output pixels, as the preview was drawn. */
  graphic_box (self, self->preview_composer, &gx, &gy, &s);
  if (!sl_composer_pick_area (self->preview_composer, (x0 - gx) / s, (y0 - gy) / s, (x1 - gx) / s, (y1 - gy) / s, &b))
    return;
  self->composition->area = SL_AREA_BOUNDS;
  self->composition->bounds = b;
  _sl_export_dialog_sync_rows (self);
  _sl_export_dialog_changed (self);
}

static void
on_drag_begin (SlExportDialog *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  if (self->preview_surface == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragging = TRUE;
  self->drag_x0 = self->drag_x1 = x;
  self->drag_y0 = self->drag_y1 = y;
}

static void
on_drag_update (SlExportDialog *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  self->drag_x1 = self->drag_x0 + dx;
  self->drag_y1 = self->drag_y0 + dy;
  gtk_widget_queue_draw (self->preview);
}

static void
on_drag_end (SlExportDialog *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  if (!self->dragging)
    return;
  self->dragging = FALSE;
  gtk_widget_queue_draw (self->preview);
  if (fabs (dx) >= MIN_DRAG && fabs (dy) >= MIN_DRAG)
    _sl_export_dialog_drag_area (self, self->drag_x0, self->drag_y0, self->drag_x0 + dx, self->drag_y0 + dy);
}

/* --- export --- */

void
_sl_export_dialog_show_error (SlExportDialog *self,
                              const char     *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (GTK_LABEL (self->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
set_exporting (SlExportDialog *self,
               gboolean        exporting)
{
  gtk_widget_set_visible (self->progress_box, exporting);
  gtk_widget_set_sensitive (self->export_button, !exporting);
  gtk_widget_set_sensitive (self->page, !exporting);
  if (exporting)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
}

static void
on_export_progress (double   fraction,
                    gpointer user_data)
{
  SlExportDialog *self = user_data;

  if (self->export_cancellable != NULL && self->progress_bar != NULL)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), CLAMP (fraction, 0, 1));
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_steal_pointer (&self->export_path);
  gboolean ok = sl_composer_export_finish (SL_COMPOSER (source), result, &error);

  g_clear_object (&self->export_cancellable);
  if (self->preview == NULL)
    return;  /* closed meanwhile */
  set_exporting (self, FALSE);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sl_export_dialog_show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[EXPORTED], 0, path);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                gpointer         user_data)
{
  g_autoptr(SlExportDialog) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file == NULL || self->preview == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("Cannot write ‘%s’: not a local file"), uri);

      _sl_export_dialog_show_error (self, message);
      return;
    }
  {
    SlExportFormat format;

    /* The format chosen decides: "site" or "site.txt" get its extension. */
    if (!sl_export_format_from_path (path, &format) || format != self->format)
      {
        char *with = g_strconcat (path, ".", _sl_export_format_extension (self->format), NULL);

        g_free (path);
        path = with;
      }
  }
  sl_export_dialog_export_to (self, path);
}

static void
choose_file (SlExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) project_file = g_file_new_for_path (sl_project_get_path (self->project));
  g_autoptr(GFile) folder = g_file_get_parent (project_file);
  g_autofree char *site = sl_project_dup_name (self->project);
  g_autofree char *name = NULL;
  g_autofree char *upper = NULL;
  const char *ext = _sl_export_format_extension (self->format);

  chooser = gtk_file_chooser_native_new (_("Export Graphic"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_add_suffix (filter, ext);
  if (g_strcmp0 (ext, "jpg") == 0)
    gtk_file_filter_add_suffix (filter, "jpeg");
  upper = g_ascii_strup (ext, -1);
  gtk_file_filter_set_name (filter, upper);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = g_strdup_printf ("%s %s.%s", site != NULL && *site != '\0' ? site : _("Site"),
                          sl_layout_to_string (self->composition->layout), ext);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  choose_file (SL_EXPORT_DIALOG (widget));
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SlExportDialog *self = SL_EXPORT_DIALOG (widget);

  g_cancellable_cancel (self->export_cancellable);
}

/* --- construction --- */

static GtkWidget *
build_preview_side (SlExportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *hint = gtk_label_new (_("Drag on the preview to export a part of it"));
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->preview = gtk_drawing_area_new ();
  gtk_widget_set_hexpand (self->preview, TRUE);
  gtk_widget_set_vexpand (self->preview, TRUE);
  gtk_widget_set_size_request (self->preview, 480, 360);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->preview), draw_preview, self, NULL);
  g_signal_connect_swapped (self->preview, "resize", G_CALLBACK (on_preview_resize), self);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_BUBBLE);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (self->preview, GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_cursor_from_name (self->preview, "crosshair");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->preview);

  self->preview_spinner = gtk_spinner_new ();
  gtk_widget_set_halign (self->preview_spinner, GTK_ALIGN_END);
  gtk_widget_set_valign (self->preview_spinner, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->preview_spinner, 6);
  gtk_widget_set_margin_end (self->preview_spinner, 6);
  gtk_widget_set_can_target (self->preview_spinner, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->preview_spinner);

  self->preview_status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->preview_status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->preview_status), 60);
  gtk_widget_set_halign (self->preview_status, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->preview_status, GTK_ALIGN_END);
  gtk_widget_set_margin_bottom (self->preview_status, 12);
  gtk_widget_add_css_class (self->preview_status, "osd");
  gtk_widget_add_css_class (self->preview_status, "app-notification");
  gtk_widget_set_visible (self->preview_status, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->preview_status);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  gtk_widget_set_margin_start (footer, 24);
  gtk_widget_set_margin_end (footer, 24);
  gtk_widget_set_margin_bottom (footer, 18);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_box_append (GTK_BOX (footer), hint);
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (footer), self->error_label);

  self->progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->progress_bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("Exporting…"));
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress_bar), TRUE);
  gtk_widget_set_hexpand (self->progress_bar, TRUE);
  gtk_widget_set_valign (self->progress_bar, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "export.cancel");
  gtk_box_append (GTK_BOX (self->progress_box), self->progress_bar);
  gtk_box_append (GTK_BOX (self->progress_box), cancel);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_box_append (GTK_BOX (footer), self->progress_box);
  gtk_widget_set_margin_top (footer, 12);
  gtk_box_append (GTK_BOX (box), footer);
  return box;
}

static gboolean
sl_export_dialog_close_request (GtkWindow *window)
{
  SlExportDialog *self = SL_EXPORT_DIALOG (window);

  /* Nothing is left behind: the composer removes its temporary file. */
  g_cancellable_cancel (self->export_cancellable);
  return GTK_WINDOW_CLASS (sl_export_dialog_parent_class)->close_request (window);
}

static void
sl_export_dialog_dispose (GObject *object)
{
  SlExportDialog *self = SL_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_cancellable_cancel (self->preview_cancellable);
  g_cancellable_cancel (self->export_cancellable);
  self->preview = NULL;
  self->progress_bar = NULL;
  G_OBJECT_CLASS (sl_export_dialog_parent_class)->dispose (object);
}

static void
sl_export_dialog_finalize (GObject *object)
{
  SlExportDialog *self = SL_EXPORT_DIALOG (object);

  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->preview_composer);
  g_clear_pointer (&self->preview_surface, cairo_surface_destroy);
  g_clear_pointer (&self->render_ms, g_array_unref);
  g_clear_pointer (&self->composition, sl_composition_free);
  g_clear_pointer (&self->scene_ids, g_array_unref);
  g_clear_pointer (&self->classes, g_ptr_array_unref);
  g_clear_pointer (&self->grid_checks, g_ptr_array_unref);
  g_clear_pointer (&self->class_checks, g_ptr_array_unref);
  g_clear_object (&self->scenes);
  g_clear_object (&self->cache);
  g_clear_object (&self->project);
  g_clear_pointer (&self->export_path, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->auto_credit, g_free);
  G_OBJECT_CLASS (sl_export_dialog_parent_class)->finalize (object);
}

static void
sl_export_dialog_class_init (SlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sl_export_dialog_dispose;
  object_class->finalize = sl_export_dialog_finalize;
  window_class->close_request = sl_export_dialog_close_request;

  /**
   * SlExportDialog::exported:
   * @path: the file written
   */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "export.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "export.export", NULL);
}

static void
sl_export_dialog_init (SlExportDialog *self)
{
  self->render_ms = g_array_new (FALSE, FALSE, sizeof (double));
  self->scene_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->format = SL_EXPORT_PNG;
  self->size = SIZE_WEB_1600;
}

SlExportDialog *
sl_export_dialog_new (GtkWindow           *parent,
                      SlProject           *project,
                      SlTileCache         *cache,
                      GListModel          *scenes,
                      const SlComposition *composition)
{
  SlExportDialog *self;
  g_autoptr(SlClassSet) class_set = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *content, *header, *body, *settings;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (scenes), NULL);
  g_return_val_if_fail (composition != NULL, NULL);

  self = g_object_new (SL_TYPE_EXPORT_DIALOG, NULL);
  self->project = g_object_ref (project);
  self->cache = g_object_ref (cache);
  self->scenes = g_object_ref (scenes);
  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (scenes, i);
      gint64 id = sl_scene_get_id (scene);

      g_array_append_val (self->scene_ids, id);
    }
  class_set = sl_class_set_new (project);
  self->classes = sl_class_set_list (class_set, &error);
  if (self->classes == NULL)
    {
      g_message ("%s", error->message);
      self->classes = g_ptr_array_new ();
    }
  self->composition = sl_composition_copy (composition);
  if (composition->area == SL_AREA_VIEW && composition->resolution > 0)
    {
      int width, height;

      sl_composition_get_pixel_size (composition, &width, &height);
      self->has_view = TRUE;
      self->view_x = composition->center_x;
      self->view_y = composition->center_y;
      self->view_ground = composition->resolution * width;
      self->view_aspect = (composition->bounds.max_x - composition->bounds.min_x) /
                          MAX (composition->bounds.max_y - composition->bounds.min_y, 1e-9);
      if (!(self->view_aspect > 0.2 && self->view_aspect < 5))
        self->view_aspect = 0;
    }
  /* The web sizes follow the view's shape. */
  self->composition->width = 1600;
  self->composition->height = _sl_export_dialog_web_height (self, 1600);
  self->composition->width_mm = self->composition->height_mm = 0;
  _sl_export_dialog_apply_view (self);

  gtk_window_set_title (GTK_WINDOW (self), _("Export Graphic"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 820);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
    }

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Export Graphic"), NULL));
  self->export_button = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->export_button), "export.export");
  gtk_widget_set_tooltip_text (self->export_button, _("Choose a File and Export (Ctrl+Enter)"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  gtk_box_append (GTK_BOX (content), header);

  body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_vexpand (body, TRUE);
  gtk_box_append (GTK_BOX (body), build_preview_side (self));
  gtk_box_append (GTK_BOX (body), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  _sl_export_dialog_build_settings (self);
  settings = self->page;
  gtk_widget_set_size_request (settings, 420, -1);
  gtk_widget_set_hexpand (settings, FALSE);
  gtk_box_append (GTK_BOX (body), settings);
  gtk_box_append (GTK_BOX (content), body);
  adw_window_set_content (ADW_WINDOW (self), content);

  _sl_export_dialog_load_presets (self, NULL);
  _sl_export_dialog_sync_rows (self);
  return self;
}

const SlComposition *
sl_export_dialog_get_composition (SlExportDialog *self)
{
  g_return_val_if_fail (SL_IS_EXPORT_DIALOG (self), NULL);

  return self->composition;
}

SlExportFormat
sl_export_dialog_get_format (SlExportDialog *self)
{
  g_return_val_if_fail (SL_IS_EXPORT_DIALOG (self), SL_EXPORT_PNG);

  return self->format;
}

void
sl_export_dialog_set_format (SlExportDialog *self,
                             SlExportFormat  format)
{
  g_return_if_fail (SL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (format < SL_EXPORT_N_FORMATS);

  self->format = format;
  _sl_export_dialog_sync_rows (self);
}

void
sl_export_dialog_set_composition (SlExportDialog      *self,
                                  const SlComposition *composition)
{
  g_return_if_fail (SL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (composition != NULL);

  if (composition != self->composition)
    {
      sl_composition_free (self->composition);
      self->composition = sl_composition_copy (composition);
    }
  self->size = composition->width_mm > 0 && composition->height_mm > 0 ? SIZE_PRINT : SIZE_CUSTOM;
  _sl_export_dialog_sync_rows (self);
  _sl_export_dialog_changed (self);
}

void
sl_export_dialog_export_to (SlExportDialog *self,
                            const char     *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlComposer) composer = NULL;

  g_return_if_fail (SL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  if (self->export_cancellable != NULL)
    return;
  _sl_export_dialog_show_error (self, NULL);
  composer = sl_composer_new (self->project, self->cache, self->composition, &error);
  if (composer == NULL)
    {
      g_autofree char *name = g_filename_display_basename (path);
      g_autofree char *message = g_strdup_printf (_("Cannot export ‘%s’: %s"), name, error->message);

      _sl_export_dialog_show_error (self, message);
      return;
    }
  self->export_cancellable = g_cancellable_new ();
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  set_exporting (self, TRUE);
  sl_composer_export_async (composer, path, self->format, on_export_progress, self, NULL,
                            self->export_cancellable, on_export_done, g_object_ref (self));
}

gboolean
sl_export_dialog_get_exporting (SlExportDialog *self)
{
  g_return_val_if_fail (SL_IS_EXPORT_DIALOG (self), FALSE);

  return self->export_cancellable != NULL;
}

const char *
sl_export_dialog_get_error (SlExportDialog *self)
{
  g_return_val_if_fail (SL_IS_EXPORT_DIALOG (self), NULL);

  return self->error;
}

/* For tests */
guint
_sl_export_dialog_get_preview_count (SlExportDialog *self)
{
  return self->preview_count;
}

cairo_surface_t *
_sl_export_dialog_get_preview_surface (SlExportDialog *self)
{
  return self->preview_surface;
}

double
_sl_export_dialog_get_median_render_ms (SlExportDialog *self)
{
  return median (self->render_ms);
}
