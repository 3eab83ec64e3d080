/* test-label-dialogs.c — the label import and export dialogs, dropping a label file onto a
 * pane, and a reference overlay in a pane
 *
 * A project of two dated GeoTIFFs (UTM 36N, written here with GDAL). The export dialog must
 * write a GeoJSON that OGR reads back with the right count; the import dialog of a COCO file
 * naming a class the project lacks must list it for mapping and, mapped to "Tank", import its
 * objects as tanks on the chosen scene; a malformed file must show its error and import
 * nothing; a file dropped on the second pane of a grid goes to that pane's date.
 * Set SL_TEST_PNG_DIR=dir to look at the dialogs and the pane.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-label-dialogs"

#include "config.h"

#include <gdal.h>
#include <ogr_api.h>

#include "sl-core.h"
#include "sl-label-export-dialog.h"
#include "sl-label-import-dialog.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

#define ORIGIN_X 500000.0
#define ORIGIN_Y 6050000.0

static SlApplication *app;

typedef struct
{
  char              *dir;
  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  gint64             ids[2];
  gint64             tank;
} Fixture;

static void
add_point (Fixture *f, gint64 scene_id, double x)
{
  g_autoptr(GError) error = NULL;
  SlPoint p = { ORIGIN_X + x, ORIGIN_Y - 10 };
  g_autoptr(SlAnnotation) a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

  a->scene_id = scene_id;
  a->class_id = f->tank;
  g_assert_true (sl_annotation_store_add (f->store, a, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char * const dates[] = { "2022:03:14 09:30:00", "2022:04:02 09:31:00" };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) classes = NULL;

  f->dir = sl_test_tmpdir_new ();
  path = g_build_filename (f->dir, "labels.sitelapse", NULL);
  f->project = sl_project_create (path, "Depot", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("scene-%u.tif", i);
      g_autofree char *image = g_build_filename (f->dir, name, NULL);
      SlTestImage spec = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636", .origin_x = ORIGIN_X,
                           .origin_y = ORIGIN_Y, .pixel_size = 1, .datetime = dates[i], .seed = i + 1 };
      g_autoptr(SlScene) probed = NULL;
      g_autoptr(SlScene) stored = NULL;

      sl_test_write_image (image, &spec);
      probed = sl_scene_probe (image, &error);
      g_assert_no_error (error);
      stored = sl_project_add_scene (f->project, probed, &error);
      g_assert_no_error (error);
      f->ids[i] = sl_scene_get_id (stored);
    }
  f->store = sl_annotation_store_new (f->project);
  f->classes = sl_class_set_new (f->project);
  classes = sl_class_set_list (f->classes, &error);
  g_assert_no_error (error);
  f->tank = ((SlClass *) g_ptr_array_index (classes, 0))->id;
  g_assert_cmpstr (((SlClass *) g_ptr_array_index (classes, 0))->name, ==, "Tank");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->classes);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  sl_test_spin_for (20);
  sl_test_tmpdir_free (f->dir);
}

static guint
count (Fixture *f, gint64 scene_id)
{
  g_autoptr(SlCountsTable) table = sl_annotation_store_count (f->store, NULL);

  return sl_counts_table_get (table, f->tank, scene_id);
}

static void
look_at (GtkWidget *window, const char *name)
{
  g_auto(SlTestPixels) pixels = { 0 };

  gtk_window_present (GTK_WINDOW (window));
  sl_test_spin_for (150);
  sl_test_wait_frame (window);
  sl_test_render_widget (adw_window_get_content (ADW_WINDOW (window)), &pixels, name);
  g_assert_cmpint (pixels.width, >, 300);
}

static void
test_export_geojson (Fixture *f, gconstpointer data)
{
  g_autofree char *shown = g_build_filename (f->dir, "shown.geojson", NULL);
  g_autofree char *all = g_build_filename (f->dir, "all.geojson", NULL);
  SlLabelExportDialog *dialog;
  GDALDatasetH ds;

  for (guint i = 0; i < 3; i++)
    add_point (f, f->ids[0], 5 + i * 10);
  add_point (f, f->ids[1], 7);
  add_point (f, f->ids[1], 17);

  dialog = sl_label_export_dialog_new (NULL, f->project, f->store, f->classes, f->ids[0]);
  g_object_ref (dialog);
  sl_label_export_dialog_set_format (dialog, SL_LABEL_FORMAT_GEOJSON);
  sl_label_export_dialog_set_crs (dialog, "EPSG:4326");
  look_at (GTK_WIDGET (dialog), "label-export-dialog");
  g_assert_cmpint (sl_label_export_dialog_export_to (dialog, shown), ==, 3);
  g_assert_null (sl_label_export_dialog_get_error (dialog));
  g_object_unref (dialog);

  dialog = sl_label_export_dialog_new (NULL, f->project, f->store, f->classes, f->ids[0]);
  sl_label_export_dialog_set_format (dialog, SL_LABEL_FORMAT_GEOJSON);
  sl_label_export_dialog_set_all_dates (dialog, TRUE);
  g_assert_cmpint (sl_label_export_dialog_export_to (dialog, all), ==, 5);

  ds = GDALOpenEx (all, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, 0), TRUE), ==, 5);
  GDALClose (ds);
  ds = GDALOpenEx (shown, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, 0), TRUE), ==, 3);
  GDALClose (ds);

  /* A chosen class subset with none ticked is refused in the dialog. */
  dialog = sl_label_export_dialog_new (NULL, f->project, f->store, f->classes, f->ids[0]);
  g_object_ref (dialog);
  sl_label_export_dialog_set_classes (dialog, (gint64[]) { -1 }, 1);
  g_assert_cmpint (sl_label_export_dialog_export_to (dialog, all), ==, -1);
  g_assert_nonnull (sl_label_export_dialog_get_error (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static char *
write_coco (Fixture *f, const char *name, guint n)
{
  char *path = g_build_filename (f->dir, name, NULL);
  GString *json = g_string_new ("{\"images\":[{\"id\":1,\"file_name\":\"scene-1.tif\",\"width\":64,\"height\":64}],"
                                "\"categories\":[{\"id\":7,\"name\":\"T-72\"}],\"annotations\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"image_id\":1,\"category_id\":7,\"bbox\":[%u,10,6,4]}",
                            i ? "," : "", i + 1, 4 + i * 12);
  g_string_append (json, "]}");
  sl_test_write_bytes (path, json->str, json->len);
  g_string_free (json, TRUE);
  return path;
}

/* The dialog reads the file for its class names on a worker thread: its rows and error come
 * when that is done. */
static void
wait_read (SlLabelImportDialog *dialog)
{
  while (sl_label_import_dialog_is_reading (dialog))
    g_main_context_iteration (NULL, TRUE);
}

static void
on_imported (SlLabelImportDialog *dialog, const char *summary, GPtrArray *annotations, char **out)
{
  /* The annotations as stored: ids set, on the chosen date. */
  g_assert_nonnull (annotations);
  for (guint i = 0; i < annotations->len; i++)
    g_assert_cmpint (((SlAnnotation *) annotations->pdata[i])->id, >, 0);
  *out = g_strdup_printf ("%s (%u)", summary, annotations->len);
}

static void
test_import_mapping (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_coco (f, "tanks.json", 4);
  g_autofree char *summary = NULL;
  g_auto(GStrv) unknown = NULL;
  SlLabelImportDialog *dialog;

  dialog = sl_label_import_dialog_new (NULL, f->project, f->store, f->classes, path, f->ids[0]);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &summary);
  g_assert_cmpint (sl_label_import_dialog_get_format (dialog), ==, SL_LABEL_FORMAT_COCO);
  g_assert_cmpint (sl_label_import_dialog_get_scene (dialog), ==, f->ids[0]);
  sl_label_import_dialog_set_scene (dialog, f->ids[1]);
  g_assert_cmpint (sl_label_import_dialog_get_scene (dialog), ==, f->ids[1]);
  g_assert_true (sl_label_import_dialog_is_reading (dialog));
  wait_read (dialog);
  g_assert_null (sl_label_import_dialog_get_error (dialog));
  unknown = sl_label_import_dialog_dup_unknown_classes (dialog);
  g_assert_cmpuint (g_strv_length (unknown), ==, 1);
  g_assert_cmpstr (unknown[0], ==, "T-72");
  g_assert_true (sl_label_import_dialog_map_class (dialog, "T-72", f->tank));
  look_at (GTK_WIDGET (dialog), "label-import-dialog");

  g_assert_true (sl_label_import_dialog_import_now (dialog));
  g_assert_cmpuint (count (f, f->ids[1]), ==, 4);
  g_assert_cmpuint (count (f, f->ids[0]), ==, 0);
  g_assert_cmpstr (summary, ==, "Imported 4 objects on 2 April 2022 (4)");
}

static void
test_import_malformed (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "broken.json", NULL);
  SlLabelImportDialog *dialog;
  const char *text = "{\"images\":[{\"id\":1,\"file_name\":\"scene-1.tif\"}],\n\"annotations\":[{\"id\":1,";

  sl_test_write_bytes (path, text, strlen (text));
  dialog = sl_label_import_dialog_new (NULL, f->project, f->store, f->classes, path, f->ids[1]);
  g_object_ref (dialog);
  sl_label_import_dialog_set_format (dialog, SL_LABEL_FORMAT_COCO);
  wait_read (dialog);
  g_assert_nonnull (sl_label_import_dialog_get_error (dialog));
  g_assert_nonnull (strstr (sl_label_import_dialog_get_error (dialog), "broken.json"));
  look_at (GTK_WIDGET (dialog), "label-import-error");
  g_assert_false (sl_label_import_dialog_import_now (dialog));
  g_assert_nonnull (strstr (sl_label_import_dialog_get_error (dialog), "broken.json"));
  g_assert_cmpuint (count (f, f->ids[0]) + count (f, f->ids[1]), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

/* @n small boxes all over the 64 × 64 scene. */
static char *
write_many_coco (Fixture *f, const char *name, guint n)
{
  char *path = g_build_filename (f->dir, name, NULL);
  GString *json = g_string_new ("{\"images\":[{\"id\":1,\"file_name\":\"scene-1.tif\",\"width\":64,\"height\":64}],"
                                "\"categories\":[{\"id\":7,\"name\":\"Tank\"}],\"annotations\":[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"image_id\":1,\"category_id\":7,\"bbox\":[%u,%u,4,3]}",
                            i ? "," : "", i + 1, i % 59, (i / 59) % 60);
  g_string_append (json, "]}");
  sl_test_write_bytes (path, json->str, json->len);
  g_string_free (json, TRUE);
  return path;
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
count_iteration (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/* "Import" runs on a worker thread: the main loop keeps turning (the window keeps drawing)
 * while 30 000 objects are read and stored, and the window's store hears of them after. */
static void
test_import_in_background (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_many_coco (f, "many.json", 30000);
  g_autofree char *summary = NULL;
  SlLabelImportDialog *dialog = sl_label_import_dialog_new (NULL, f->project, f->store, f->classes, path, f->ids[1]);
  GtkWidget *import;
  guint iterations = 0, idle, changed = 0;
  gulong handler;

  g_object_ref (dialog);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &summary);
  handler = g_signal_connect_swapped (f->store, "changed", G_CALLBACK (count_iteration), &changed);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_read (dialog);
  import = find_button (GTK_WIDGET (dialog), "_Import");
  g_assert_nonnull (import);
  g_signal_emit_by_name (import, "clicked");
  g_assert_true (sl_label_import_dialog_is_importing (dialog));
  idle = g_idle_add (count_iteration, &iterations);
  while (sl_label_import_dialog_is_importing (dialog))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (idle);
  g_test_message ("%u main loop iterations during the import", iterations);
  g_assert_cmpuint (iterations, >, 10);
  g_assert_cmpuint (count (f, f->ids[1]), ==, 30000);
  g_assert_cmpstr (summary, ==, "Imported 30 000 objects on 2 April 2022 (30000)");
  g_assert_cmpuint (changed, ==, 1);
  g_signal_handler_disconnect (f->store, handler);
  g_object_unref (dialog);
}

/* Closing the dialog during an import cancels it if it is still reading, and the dialog goes
 * once the import has said how it ended: nothing, or everything and its "imported". */
static void
test_import_closed_meanwhile (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_many_coco (f, "many.json", 30000);
  g_autofree char *summary = NULL;
  SlLabelImportDialog *dialog = sl_label_import_dialog_new (NULL, f->project, f->store, f->classes, path, f->ids[1]);
  gpointer alive = dialog;
  guint n;

  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &summary);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_read (dialog);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), "_Import"), "clicked");
  g_assert_true (sl_label_import_dialog_is_importing (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_nonnull (alive);      /* still there: the import has not ended */
  while (alive != NULL)
    g_main_context_iteration (NULL, TRUE);
  n = count (f, f->ids[1]);
  g_test_message ("closed during the import: %u imported", n);
  g_assert_true (n == 0 || n == 30000);
  g_assert_true ((n == 30000) == (summary != NULL));
}

static gboolean
close_window (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

/* The export runs on a worker thread; closing the dialog meanwhile cancels it and leaves no
 * file, half or temporary (or, if it had finished, the whole file), then closes it. */
static void
test_export_closed_meanwhile (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "many.geojson", NULL);
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;
  SlLabelExportDialog *dialog;
  gpointer alive;
  gssize n;

  for (guint i = 0; i < 20000; i++)
    {
      SlPoint p = { ORIGIN_X + i % 60 + 0.5, ORIGIN_Y - (i / 60) % 60 - 0.5 };
      SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

      a->scene_id = f->ids[0];
      a->class_id = f->tank;
      g_ptr_array_add (many, a);
    }
  g_assert_true (sl_annotation_store_add_many (f->store, many, &error));
  g_assert_no_error (error);

  dialog = sl_label_export_dialog_new (NULL, f->project, f->store, f->classes, f->ids[0]);
  alive = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &alive);
  sl_label_export_dialog_set_format (dialog, SL_LABEL_FORMAT_GEOJSON);
  gtk_window_present (GTK_WINDOW (dialog));
  g_idle_add (close_window, dialog);
  n = sl_label_export_dialog_export_to (dialog, path);
  g_test_message ("closed during the export: %" G_GSSIZE_FORMAT, n);
  while (alive != NULL)
    g_main_context_iteration (NULL, TRUE);
  if (n < 0)
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  else
    {
      GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);

      g_assert_cmpint (n, ==, 20000);
      g_assert_nonnull (ds);
      g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, 0), TRUE), ==, 20000);
      GDALClose (ds);
    }
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (name[0] == '.');
  }
}

static gboolean
panes_laid_out (gpointer data)
{
  SlCompareView *view = data;

  return gtk_widget_get_width (GTK_WIDGET (sl_compare_view_get_pane (view, 1))) > 0 &&
         sl_compare_view_get_pane_scene (view, 1) > 0;
}

static void
test_drop (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_coco (f, "dropped.json", 3);
  g_autofree char *aoi = g_build_filename (f->dir, "aoi.geojson", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));
  SlCompareView *view;
  SlLabelImportDialog *dialog;
  graphene_rect_t bounds;
  gint64 target;
  /* In the site's CRS, said by the (pre-RFC 7946) crs member GDAL reads. */
  const char *json = "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
                     "\"urn:ogc:def:crs:EPSG::32636\"}},\"features\":[{\"type\":\"Feature\",\"properties\":{},"
                     "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[500010,6049990],[500050,6049990],"
                     "[500050,6049960],[500010,6049960],[500010,6049990]]]}}]}";

  sl_window_set_project (window, f->project);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  view = _sl_window_get_compare_view (window);
  sl_compare_view_set_mode (view, SL_COMPARE_GRID);
  sl_compare_view_set_grid_count (view, 2);
  sl_test_spin_until (panes_laid_out, view, "two panes laid out");
  sl_test_wait_frame (GTK_WIDGET (window));

  g_assert_true (_sl_window_is_label_file (file));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (sl_compare_view_get_pane (view, 1)), GTK_WIDGET (view), &bounds));
  target = sl_compare_view_get_pane_scene (view, 1);
  g_assert_cmpint (target, !=, sl_compare_view_get_pane_scene (view, 0));
  g_assert_true (_sl_window_drop_label_file (window, file, bounds.origin.x + bounds.size.width / 2,
                                             bounds.origin.y + bounds.size.height / 2));
  dialog = SL_LABEL_IMPORT_DIALOG (_sl_window_get_label_dialog (window));
  g_assert_nonnull (dialog);
  g_assert_cmpint (sl_label_import_dialog_get_scene (dialog), ==, target);
  wait_read (dialog);
  g_assert_true (sl_label_import_dialog_map_class (dialog, "T-72", f->tank));
  g_assert_true (sl_label_import_dialog_import_now (dialog));
  g_assert_null (_sl_window_get_label_dialog (window));
  g_assert_cmpuint (count (f, target), ==, 3);
  g_assert_true (g_str_has_prefix (_sl_window_get_last_toast_title (window), "Imported 3 objects on "));
  /* One step of the undo history: undo takes the objects away, redo brings them back. */
  {
    SlUndoStack *undo = _sl_window_get_undo_stack (window);

    g_assert_cmpstr (sl_undo_stack_get_undo_label (undo), ==, "Undo Import dropped.json");
    g_assert_true (sl_undo_stack_undo (undo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count (f, target), ==, 0);
    g_assert_true (sl_undo_stack_redo (undo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count (f, target), ==, 3);
  }

  /* A reference overlay, drawn in the panes (look at the PNG). */
  sl_test_write_bytes (aoi, json, strlen (json));
  g_assert_true (_sl_window_add_reference_layer (window, aoi, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_sl_window_get_reference_layers (window)->len, ==, 1);
  sl_test_spin_for (300);
  sl_test_wait_frame (GTK_WIDGET (window));
  {
    g_auto(SlTestPixels) pixels = { 0 };

    sl_test_render_widget (GTK_WIDGET (view), &pixels, "label-drop-reference");
  }
  /* A missing file: an error naming it, nothing added. */
  g_assert_false (_sl_window_add_reference_layer (window, "/nonexistent/roads.shp", &error));
  g_assert_nonnull (strstr (error->message, "roads.shp"));
  g_assert_cmpuint (_sl_window_get_reference_layers (window)->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  sl_test_spin_for (50);
}

int
main (int argc, char **argv)
{
  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/label-dialogs/export-geojson", test_export_geojson);
  ADD ("/label-dialogs/import-maps-unknown-class", test_import_mapping);
  ADD ("/label-dialogs/import-malformed", test_import_malformed);
  ADD ("/label-dialogs/import-in-background", test_import_in_background);
  ADD ("/label-dialogs/import-closed-meanwhile", test_import_closed_meanwhile);
  ADD ("/label-dialogs/export-closed-meanwhile", test_export_closed_meanwhile);
  ADD ("/label-dialogs/drop-onto-pane", test_drop);
#undef ADD
  return g_test_run ();
}
