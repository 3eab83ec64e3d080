/* test-class-editor.c — the class editor on a real project: rename, recolour, add, merge, delete
 *
 * A project with one scene (a GeoTIFF written here with GDAL) and annotations of some of its
 * seeded classes. Each test drives the editor's own widgets (the name row's text and its
 * "apply", the colour button's colour, the new-class row, the rows' "classes.*" actions and
 * the question's responses) and checks the project file through a second connection, so what
 * is checked is what was committed. The window's "Edit Classes…" opens the editor, and the
 * class menu follows its changes. With SL_TEST_PNG_DIR set, the editor and its question are
 * saved as PNGs there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-class-editor"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-class-editor.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

static SlApplication *app;

typedef struct
{
  char              *dir;
  char              *path;
  gint64             scene;
  SlProject         *project;
  SlAnnotationStore *store;
  SlClassSet        *classes;
  SlUndoStack       *undo;
  SlClassEditor     *editor;
} Fixture;

/* --- helpers --- */

static void
spin_for (int ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static char *
make_project_file (const char *dir,
                   gint64     *scene)
{
  SlTestImage spec = { .width = 64, .height = 64, .bands = 3, .crs = "EPSG:32636",
                       .origin_x = 500000, .origin_y = 6000064, .pixel_size = 1, .seed = 7 };
  char *path = g_build_filename (dir, "classes.sitelapse", NULL);
  g_autofree char *tif = g_build_filename (dir, "scene.tif", NULL);
  g_autoptr(GDateTime) when = sl_scene_parse_date ("2022-03-01T09:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (path, "Class Site", &error);
  g_autoptr(SlScene) probe = NULL;
  g_autoptr(SlScene) stored = NULL;

  g_assert_no_error (error);
  sl_test_write_image (tif, &spec);
  probe = sl_scene_probe (tif, &error);
  g_assert_no_error (error);
  sl_scene_set_acquired (probe, when);
  stored = sl_project_add_scene (project, probe, &error);
  g_assert_no_error (error);
  *scene = sl_scene_get_id (stored);
  sl_project_close (project);
  return path;
}

static void
open_editor (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  f->store = sl_annotation_store_new (f->project);
  f->classes = sl_class_set_new (f->project);
  f->undo = sl_undo_stack_new (f->store);
  f->editor = sl_class_editor_new (NULL, f->store, f->classes, f->undo);
  gtk_window_present (GTK_WINDOW (f->editor));
  spin_for (50);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = sl_test_tmpdir_new ();
  f->path = make_project_file (f->dir, &f->scene);
  open_editor (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (f->editor));
  spin_for (10);
  g_clear_object (&f->undo);
  g_clear_object (&f->classes);
  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  g_chmod (f->path, 0644);
  g_free (f->path);
  sl_test_tmpdir_free (f->dir);
}

/* The class at @index of the project's list, as stored. */
static SlClass *
class_at (Fixture *f,
          guint    index)
{
  g_autoptr(GPtrArray) list = sl_class_set_list (f->classes, NULL);

  g_assert_nonnull (list);
  g_assert_cmpuint (index, <, list->len);
  return sl_class_copy (g_ptr_array_index (list, index));
}

/* The classes as another connection reads them from the file: "Name #colour" per line. */
static char *
classes_on_disk (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) other = sl_project_open (f->path, &error);
  g_autoptr(SlClassSet) set = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  set = sl_class_set_new (other);
  list = sl_class_set_list (set, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      SlClass *c = g_ptr_array_index (list, i);
      g_string_append_printf (out, "%s %s\n", c->name, c->colour);
    }
  g_clear_object (&set);
  sl_project_close (other);
  return g_string_free (out, FALSE);
}

/* Annotations of @class_id, through the undo stack (so it has something to undo). */
static void
tag (Fixture *f,
     gint64   class_id,
     guint    n)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      SlPoint p = { 500010 + 5 * i, 6000030 };
      SlAnnotation *a = sl_annotation_new (SL_SHAPE_POINT, &p, 1);

      a->scene_id = f->scene;
      a->class_id = class_id;
      g_ptr_array_add (list, a);
    }
  g_assert_true (sl_undo_stack_add (f->undo, list, "Add", &error));
  g_assert_no_error (error);
}

static const char *
count_text (Fixture *f,
            gint64   class_id)
{
  GtkWidget *row = _sl_class_editor_get_widget (f->editor, class_id, "name");

  g_assert_nonnull (row);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static void
apply_name (Fixture    *f,
            gint64      class_id,
            const char *name)
{
  GtkWidget *row = class_id > 0 ? _sl_class_editor_get_widget (f->editor, class_id, "name")
                                : _sl_class_editor_get_widget (f->editor, 0, "add");

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), name);
  g_signal_emit_by_name (row, "apply");
}

/* The button labelled @label under @widget, or NULL. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Picks @target in the question's combo row and clicks the button @label. */
static void
answer (Fixture    *f,
        gint64      target,
        const char *label)
{
  AdwMessageDialog *question = _sl_class_editor_get_question (f->editor);
  GtkWidget *list = adw_message_dialog_get_extra_child (question);
  AdwComboRow *combo = ADW_COMBO_ROW (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  GListModel *names = adw_combo_row_get_model (combo);
  g_autoptr(SlClass) klass = target > 0 ? sl_class_set_get (f->classes, target) : NULL;
  gboolean found = target <= 0;
  GtkWidget *button;

  for (guint i = 0; klass != NULL && i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), klass->name))
      {
        adw_combo_row_set_selected (combo, i);
        found = TRUE;
      }
  g_assert_true (found);
  button = find_button (GTK_WIDGET (question), label);
  g_assert_nonnull (button);
  g_object_ref (question);
  g_signal_emit_by_name (button, "clicked");
  spin_for (20);
  /* The answer closed it. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (question)));
  g_object_unref (question);
}

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  const char *dir = g_getenv ("SL_TEST_PNG_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  /* Drawn once at its size. */
  for (int i = 0; i < 2000 && (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) == 0); i++)
    spin_for (1);
  spin_for (300);
  paintable = gtk_widget_paintable_new (widget);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node, NULL);
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* Row @index of the window's class menu once it starts with @prefix (it follows in an idle),
 * or what it shows after 20 s. */
static char *
wait_for_class_row (SlWindow   *window,
                    guint       index,
                    const char *prefix)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  char *row = NULL;

  for (;;)
    {
      g_free (row);
      row = _sl_window_describe_class_row (window, index);
      if ((row != NULL && g_str_has_prefix (row, prefix)) || g_get_monotonic_time () > deadline)
        return row;
      spin_for (10);
    }
}

/* --- tests --- */

static void
test_rename_recolour_add (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SlClass) tank = class_at (f, 0);
  g_autoptr(SlClass) ifv = class_at (f, 1);
  g_autoptr(SlClass) renamed = NULL;
  g_autoptr(SlClass) recoloured = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *disk = NULL;
  GtkWidget *button, *row, *add;
  GdkRGBA rgba;
  SlClass *added;

  /* What the rows show. */
  row = _sl_class_editor_get_widget (f->editor, tank->id, "name");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, tank->name);
  g_assert_cmpstr (gtk_shortcut_label_get_accelerator (GTK_SHORTCUT_LABEL (_sl_class_editor_get_widget (f->editor, tank->id, "key"))),
                   ==, "1");
  g_assert_cmpstr (count_text (f, tank->id), ==, "0 annotations");
  tag (f, tank->id, 2);
  g_assert_cmpstr (count_text (f, tank->id), ==, "2 annotations");
  save_png (GTK_WIDGET (f->editor), "class-editor.png");

  /* Rename, trimmed. */
  apply_name (f, tank->id, "  Main Battle Tank ");
  renamed = sl_class_set_get (f->classes, tank->id);
  g_assert_cmpstr (renamed->name, ==, "Main Battle Tank");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Main Battle Tank");
  g_assert_null (_sl_class_editor_get_message (f->editor));

  /* A name another class has (in another case): said at the row, nothing written. */
  apply_name (f, ifv->id, "main battle TANK");
  g_assert_nonnull (_sl_class_editor_get_message (f->editor));
  g_assert_nonnull (strstr (_sl_class_editor_get_message (f->editor), "exists"));
  g_assert_true (gtk_widget_has_css_class (_sl_class_editor_get_widget (f->editor, ifv->id, "name"), "error"));
  {
    g_autoptr(SlClass) unchanged = sl_class_set_get (f->classes, ifv->id);
    g_assert_cmpstr (unchanged->name, ==, ifv->name);
  }
  /* Typed back: no longer an error. */
  gtk_editable_set_text (GTK_EDITABLE (_sl_class_editor_get_widget (f->editor, ifv->id, "name")), ifv->name);
  g_assert_false (gtk_widget_has_css_class (_sl_class_editor_get_widget (f->editor, ifv->id, "name"), "error"));
  g_assert_null (_sl_class_editor_get_message (f->editor));

  /* Recolour through the colour button. */
  button = _sl_class_editor_get_widget (f->editor, tank->id, "colour");
  g_assert_true (gdk_rgba_parse (&rgba, "#123456"));
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (button), &rgba);
  recoloured = sl_class_set_get (f->classes, tank->id);
  g_assert_cmpstr (recoloured->colour, ==, "#123456");

  /* Add; then the same name again is refused at the new-class row. */
  apply_name (f, 0, "Trench");
  list = sl_class_set_list (f->classes, NULL);
  added = g_ptr_array_index (list, list->len - 1);
  g_assert_cmpstr (added->name, ==, "Trench");
  g_assert_nonnull (_sl_class_editor_get_widget (f->editor, added->id, "name"));
  add = _sl_class_editor_get_widget (f->editor, 0, "add");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add)), ==, "");
  apply_name (f, 0, "trench");
  g_assert_true (gtk_widget_has_css_class (add, "error"));
  g_assert_nonnull (strstr (_sl_class_editor_get_message (f->editor), "Trench"));
  if (g_getenv ("SL_TEST_PNG_DIR") != NULL)
    {
      GtkAdjustment *scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (add, GTK_TYPE_SCROLLED_WINDOW)));

      spin_for (100);
      gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
      save_png (GTK_WIDGET (f->editor), "class-editor-bottom.png");
    }
  {
    g_autoptr(GPtrArray) again = sl_class_set_list (f->classes, NULL);
    g_assert_cmpuint (again->len, ==, list->len);
  }

  /* All of it is in the file, read by another connection. */
  disk = classes_on_disk (f);
  g_assert_nonnull (strstr (disk, "Main Battle Tank #123456\n"));
  g_assert_nonnull (strstr (disk, "Trench #"));
  g_assert_null (strstr (disk, "\nTank "));
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SlClass) tent = class_at (f, 9);
  g_autoptr(SlClass) shelter = class_at (f, 10);
  g_autoptr(SlClass) gone = NULL;

  tag (f, tent->id, 3);
  tag (f, shelter->id, 1);
  g_assert_true (sl_undo_stack_can_undo (f->undo));

  /* Cancelled: nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.merge", "x", tent->id));
  g_assert_nonnull (_sl_class_editor_get_question (f->editor));
  save_png (GTK_WIDGET (_sl_class_editor_get_question (f->editor)), "class-editor-merge.png");
  answer (f, shelter->id, "_Cancel");
  g_assert_null (_sl_class_editor_get_question (f->editor));
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, tent->id), ==, 3);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.merge", "x", tent->id));
  answer (f, shelter->id, "_Merge");
  gone = sl_class_set_get (f->classes, tent->id);
  g_assert_null (gone);
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, shelter->id), ==, 4);
  g_assert_null (_sl_class_editor_get_widget (f->editor, tent->id, "name"));
  g_assert_cmpstr (count_text (f, shelter->id), ==, "4 annotations");
  /* The history follows the merge: undoing the tent adds removes the 3 (now shelters), and
   * redoing them brings them back as shelters, not as the class that is gone. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (sl_undo_stack_can_undo (f->undo));
    g_assert_true (sl_undo_stack_undo (f->undo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sl_class_set_count_uses (f->classes, shelter->id), ==, 3);
    g_assert_true (sl_undo_stack_undo (f->undo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sl_class_set_count_uses (f->classes, shelter->id), ==, 0);
    g_assert_true (sl_undo_stack_redo (f->undo, &error));
    g_assert_no_error (error);
    g_assert_true (sl_undo_stack_redo (f->undo, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sl_class_set_count_uses (f->classes, shelter->id), ==, 4);
  }
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SlClass) truck = class_at (f, 6);
  g_autoptr(SlClass) engineer = class_at (f, 7);
  g_autoptr(SlClass) helicopter = class_at (f, 8);
  g_autoptr(SlClass) other = class_at (f, 11);
  g_autoptr(SlClass) klass = NULL;

  tag (f, truck->id, 2);
  tag (f, helicopter->id, 3);

  /* Unused: removed without a question. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.delete", "x", other->id));
  g_assert_null (_sl_class_editor_get_question (f->editor));
  klass = sl_class_set_get (f->classes, other->id);
  g_assert_null (klass);

  /* In use: asked; "Cancel" keeps class and annotations. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.delete", "x", truck->id));
  g_assert_nonnull (_sl_class_editor_get_question (f->editor));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (_sl_class_editor_get_question (f->editor)), "2 annotations"));
  save_png (GTK_WIDGET (_sl_class_editor_get_question (f->editor)), "class-editor-delete.png");
  answer (f, 0, "_Cancel");
  klass = sl_class_set_get (f->classes, truck->id);
  g_assert_nonnull (klass);
  g_clear_pointer (&klass, sl_class_free);
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, truck->id), ==, 2);

  /* "Move Annotations": they go to the class chosen, the class goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.delete", "x", truck->id));
  answer (f, engineer->id, "_Move Annotations");
  klass = sl_class_set_get (f->classes, truck->id);
  g_assert_null (klass);
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, engineer->id), ==, 2);
  g_assert_cmpstr (count_text (f, engineer->id), ==, "2 annotations");

  /* "Delete Annotations": they go with the class. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.delete", "x", helicopter->id));
  answer (f, engineer->id, "_Delete Annotations");
  klass = sl_class_set_get (f->classes, helicopter->id);
  g_assert_null (klass);
  g_assert_cmpuint (sl_class_set_count_uses (f->classes, engineer->id), ==, 2);
  {
    g_autoptr(GPtrArray) left = sl_annotation_store_query (f->store, f->scene, NULL, NULL);
    g_assert_cmpuint (left->len, ==, 2);
  }
  g_assert_null (_sl_class_editor_get_widget (f->editor, helicopter->id, "name"));
  g_assert_false (sl_undo_stack_can_undo (f->undo));
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SlClass) tank = class_at (f, 0);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *row;

  /* Reopened from a file that cannot be written. */
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->editor)));
  g_clear_object (&f->undo);
  g_clear_object (&f->classes);
  g_clear_object (&f->store);
  sl_project_close (f->project);
  g_clear_object (&f->project);
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  if (access (f->path, W_OK) == 0)
    {
      g_test_skip ("Permissions do not stop this user (root) from writing");
      open_editor (f);
      return;
    }
  before = classes_on_disk (f);
  open_editor (f);
  g_assert_true (sl_annotation_store_is_read_only (f->store));

  row = _sl_class_editor_get_widget (f->editor, tank->id, "name");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (row)));
  g_assert_false (gtk_widget_get_sensitive (_sl_class_editor_get_widget (f->editor, tank->id, "colour")));
  g_assert_false (gtk_widget_get_sensitive (_sl_class_editor_get_widget (f->editor, tank->id, "menu")));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (_sl_class_editor_get_widget (f->editor, 0, "add"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  /* Tank is unused: deleting it would need no question. */
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.delete", "x", tank->id);
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "classes.merge", "x", tank->id);
  g_assert_null (_sl_class_editor_get_question (f->editor));
  g_assert_nonnull (_sl_class_editor_get_widget (f->editor, tank->id, "name"));
  save_png (GTK_WIDGET (f->editor), "class-editor-read-only.png");

  /* Even driven by hand, nothing is written. */
  apply_name (f, tank->id, "Renamed");
  after = classes_on_disk (f);
  g_assert_cmpstr (after, ==, before);
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  SlWindow *window;
  SlClassEditor *editor = NULL;
  GListModel *toplevels = NULL;
  g_autoptr(SlProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row = NULL;
  gint64 first, second;

  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->editor)));
  project = sl_project_open (f->path, &error);
  g_assert_no_error (error);
  window = sl_window_new (GTK_APPLICATION (app));
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (100);
  first = _sl_window_get_annotation_class (window);
  g_assert_cmpint (first, >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.edit-classes", NULL));
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (SL_IS_CLASS_EDITOR (item))
        editor = SL_CLASS_EDITOR (item);
    }
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));

  /* A rename shows in the class menu. */
  {
    GtkWidget *name = _sl_class_editor_get_widget (editor, first, "name");

    gtk_editable_set_text (GTK_EDITABLE (name), "Battle Tank");
    g_signal_emit_by_name (name, "apply");
  }
  row = wait_for_class_row (window, 0, "Battle Tank");
  g_assert_cmpstr (row, ==, "Battle Tank 0");

  /* The current class deleted (no annotation uses it): the next one takes its place. */
  {
    g_autoptr(SlClassSet) set = sl_class_set_new (project);
    g_autoptr(GPtrArray) list = sl_class_set_list (set, NULL);

    second = ((SlClass *) g_ptr_array_index (list, 1))->id;
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "classes.delete", "x", first));
  g_free (row);
  row = wait_for_class_row (window, 0, "IFV");
  g_assert_cmpstr (row, ==, "IFV/APC 0");
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, second);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (20);
  sl_project_close (project);
}

int
main (int    argc,
      char **argv)
{
  app = sl_test_gui_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/class-editor/rename-recolour-add", test_rename_recolour_add);
  ADD ("/class-editor/merge", test_merge);
  ADD ("/class-editor/delete-asks", test_delete);
  ADD ("/class-editor/read-only", test_read_only);
  ADD ("/class-editor/window", test_window);
#undef ADD
  return g_test_run ();
}
