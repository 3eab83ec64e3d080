/* test-demo-count.c — counting the demo's vehicles by hand in the app gives the ground truth
 *
 * The demo site is generated with the core API into a temporary folder and made into a
 * project, which a real SlWindow opens in single mode. For each dated, georeferenced scene the
 * test does what a counting analyst does: picks the date in the sidebar, presses the point
 * tool's key, and for every vehicle and tent of the scene's ground truth
 * (`*_site.truth.geojson`, written by the generator beside the scene) presses the number key
 * of its class, pans the view until the object is on screen and clicks its centre through the
 * annotation layer's own gesture, at widget coordinates. The class × date counts of the
 * project must then equal the ground truth exactly, each click must have landed inside its
 * object's footprint, and the counts must be the same in a window on the reopened project
 * (its class menu included). The press image is not registered and has no site coordinates:
 * it is not counted, and must count 0. A truth class missing from the project's taxonomy
 * fails the test, naming it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-demo-count"

#include "config.h"

#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "sl-annotation-layer-private.h"
#include "sl-demo.h"
#include "sl-test-gui.h"
#include "sl-test-util.h"
#include "sl-window-private.h"

/* 1 m pixels over the demo's square kilometre: small enough to stay well under a minute
 * under ASan, fine enough that every vehicle is a few pixels long even at 100 %. */
#define DEMO_SIZE   1024
/* Site metres per logical pixel while counting: 400 %, a tank some 28 px long. */
#define COUNT_RES   0.25
/* Logical pixels an object must lie inside the pane's edges to be clicked where it is. */
#define EDGE_MARGIN 24.0

static SlApplication *app;

/* One object of a scene's ground truth, in site coordinates. */
typedef struct
{
  guint  object_id;
  char  *klass;        /* the class key of the truth ("tank", "ifv_apc", …) */
  double corners[8];   /* the rotated footprint, x0, y0 … x3, y3 */
  double x, y;         /* its centre */
} TruthObject;

/* A dated scene of the project with its ground truth. */
typedef struct
{
  gint64       scene_id;
  char        *day;          /* "2022-02-21" */
  guint        n_objects;    /* what the generator said it drew */
  GPtrArray   *objects;      /* TruthObject * */
} TruthScene;

static void
truth_object_free (TruthObject *object)
{
  g_free (object->klass);
  g_free (object);
}

static void
truth_scene_free (TruthScene *scene)
{
  g_free (scene->day);
  g_clear_pointer (&scene->objects, g_ptr_array_unref);
  g_free (scene);
}

/* --- the project --- */

static void
build_project (const char *path,
               GPtrArray  *demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlProject) project = sl_project_create (path, "Demo count", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < demo->len; i++)
    {
      SlDemoScene *d = g_ptr_array_index (demo, i);
      g_autoptr(SlScene) probed = sl_scene_probe (d->path, &error);
      g_autoptr(SlScene) stored = NULL;

      g_assert_no_error (error);
      sl_scene_set_acquired (probed, d->acquired);
      sl_scene_set_label (probed, d->label);
      sl_scene_set_credit (probed, d->credit);
      stored = sl_project_add_scene (project, probed, &error);
      g_assert_no_error (error);
    }
  sl_project_close (project);
}

/* The project's scene made from @path (by file name: the project stores it relative). */
static gint64
find_scene (SlProject  *project,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = sl_project_list_scenes (project, &error);
  g_autofree char *base = g_path_get_basename (path);
  gint64 found = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < scenes->len; i++)
    {
      SlScene *scene = g_ptr_array_index (scenes, i);
      g_autofree char *source = sl_project_resolve_source (project, scene);
      g_autofree char *source_base = g_path_get_basename (source);

      if (g_str_equal (source_base, base))
        {
          g_assert_cmpint (found, ==, 0);
          found = sl_scene_get_id (scene);
        }
    }
  g_assert_cmpint (found, >, 0);
  return found;
}

/* --- the ground truth --- */

/* The "date" field as "YYYY-MM-DD": GDAL's GeoJSON reader may read it as an OGR date. */
static char *
feature_day (OGRFeatureH feature,
             int         field)
{
  int year, month, day, hour, minute, tz;
  float second;

  if (OGR_Fld_GetType (OGR_F_GetFieldDefnRef (feature, field)) == OFTString)
    return g_strdup (OGR_F_GetFieldAsString (feature, field));
  g_assert_true (OGR_F_GetFieldAsDateTimeEx (feature, field, &year, &month, &day, &hour, &minute, &second, &tz));
  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

/* The objects of @truth (GeoJSON, RFC 7946: WGS 84 longitude, latitude) in the site CRS
 * @site_wkt. Checks each is dated @day. */
static GPtrArray *
read_truth (const char *truth,
            const char *site_wkt,
            const char *day)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) truth_object_free);
  GDALDatasetH ds = GDALOpenEx (truth, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRSpatialReferenceH from, to;
  OGRCoordinateTransformationH ct;
  OGRLayerH layer;
  OGRFeatureH feature;
  int class_field, id_field, date_field;

  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayer (ds, 0);
  g_assert_nonnull (layer);
  g_assert_nonnull (OGR_L_GetSpatialRef (layer));
  from = OSRClone (OGR_L_GetSpatialRef (layer));
  to = OSRNewSpatialReference (site_wkt);
  g_assert_nonnull (to);
  OSRSetAxisMappingStrategy (from, OAMS_TRADITIONAL_GIS_ORDER);
  OSRSetAxisMappingStrategy (to, OAMS_TRADITIONAL_GIS_ORDER);
  ct = OCTNewCoordinateTransformation (from, to);
  g_assert_nonnull (ct);

  class_field = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "class");
  id_field = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "object_id");
  date_field = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "date");
  g_assert_cmpint (class_field, >=, 0);
  g_assert_cmpint (id_field, >=, 0);
  g_assert_cmpint (date_field, >=, 0);

  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      TruthObject *object = g_new0 (TruthObject, 1);
      OGRGeometryH geometry = OGR_G_Clone (OGR_F_GetGeometryRef (feature));
      OGRGeometryH ring;

      object->klass = g_strdup (OGR_F_GetFieldAsString (feature, class_field));
      object->object_id = (guint) OGR_F_GetFieldAsInteger (feature, id_field);
      {
        g_autofree char *date = feature_day (feature, date_field);

        g_assert_cmpstr (date, ==, day);
      }
      g_assert_cmpint (wkbFlatten (OGR_G_GetGeometryType (geometry)), ==, wkbPolygon);
      g_assert_cmpint (OGR_G_Transform (geometry, ct), ==, OGRERR_NONE);
      ring = OGR_G_GetGeometryRef (geometry, 0);
      /* Four corners, closed. */
      g_assert_cmpint (OGR_G_GetPointCount (ring), ==, 5);
      for (int k = 0; k < 4; k++)
        {
          object->corners[2 * k] = OGR_G_GetX (ring, k);
          object->corners[2 * k + 1] = OGR_G_GetY (ring, k);
          object->x += object->corners[2 * k] / 4;
          object->y += object->corners[2 * k + 1] / 4;
        }
      g_ptr_array_add (objects, object);
      OGR_G_DestroyGeometry (geometry);
      OGR_F_Destroy (feature);
    }

  OCTDestroyCoordinateTransformation (ct);
  OSRDestroySpatialReference (from);
  OSRDestroySpatialReference (to);
  GDALClose (ds);
  return objects;
}

static gboolean
inside_footprint (const TruthObject *object,
                  double             x,
                  double             y)
{
  gboolean inside = FALSE;

  /* Crossing number over the four edges. */
  for (int i = 0, j = 3; i < 4; j = i++)
    {
      double xi = object->corners[2 * i], yi = object->corners[2 * i + 1];
      double xj = object->corners[2 * j], yj = object->corners[2 * j + 1];

      if ((yi > y) != (yj > y) && x < xj + (y - yj) * (xi - xj) / (yi - yj))
        inside = !inside;
    }
  return inside;
}

/* The dated, georeferenced scenes of the demo with their truth, in date order. */
static GPtrArray *
load_truth (SlProject *project,
            GPtrArray *demo)
{
  GPtrArray *scenes = g_ptr_array_new_with_free_func ((GDestroyNotify) truth_scene_free);
  g_autofree char *site_wkt = sl_project_dup_crs_wkt (project);

  g_assert_nonnull (site_wkt);
  for (guint i = 0; i < demo->len; i++)
    {
      SlDemoScene *d = g_ptr_array_index (demo, i);
      g_autofree char *stem = NULL;
      g_autofree char *truth = NULL;
      TruthScene *scene;

      /* The press image: no georeference, no site coordinates for its truth. */
      if (!d->georeferenced)
        continue;
      stem = g_strndup (d->path, strrchr (d->path, '.') - d->path);
      truth = g_strconcat (stem, ".truth.geojson", NULL);
      scene = g_new0 (TruthScene, 1);
      scene->scene_id = find_scene (project, d->path);
      scene->day = g_date_time_format (d->acquired, "%Y-%m-%d");
      scene->n_objects = d->n_objects;
      scene->objects = read_truth (truth, site_wkt, scene->day);
      g_assert_cmpuint (scene->objects->len, ==, scene->n_objects);
      g_ptr_array_add (scenes, scene);
    }
  g_assert_cmpuint (scenes->len, ==, 3);
  return scenes;
}

static const SlClass *
class_by_key (GPtrArray  *classes,
              const char *key)
{
  for (guint i = 0; i < classes->len; i++)
    if (g_strcmp0 (((SlClass *) g_ptr_array_index (classes, i))->key, key) == 0)
      return g_ptr_array_index (classes, i);
  return NULL;
}

/* Checked by assert_taxonomy_covers () before any click. */
static const SlClass *
require_class (GPtrArray  *classes,
               const char *key)
{
  const SlClass *klass = class_by_key (classes, key);

  if (klass == NULL)
    g_error ("The ground-truth class ‘%s’ has no class in the project's taxonomy", key);
  return klass;
}

static guint
expected_count (GPtrArray  *truth,
                gint64      scene_id,
                const char *key)
{
  guint n = 0;

  for (guint s = 0; s < truth->len; s++)
    {
      TruthScene *scene = g_ptr_array_index (truth, s);

      for (guint i = 0; scene->scene_id == scene_id && i < scene->objects->len; i++)
        n += g_str_equal (((TruthObject *) g_ptr_array_index (scene->objects, i))->klass, key);
    }
  return n;
}

static const char *
scene_day (GPtrArray *truth,
           gint64     scene_id)
{
  for (guint s = 0; s < truth->len; s++)
    if (((TruthScene *) g_ptr_array_index (truth, s))->scene_id == scene_id)
      return ((TruthScene *) g_ptr_array_index (truth, s))->day;
  return "the press image";
}

/* Every truth class has a class in the project's taxonomy; else the test fails naming each
 * one missing, with how many objects of it each date has. */
static void
assert_taxonomy_covers (GPtrArray *truth,
                        GPtrArray *classes)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(GHashTable) told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint s = 0; s < truth->len; s++)
    {
      TruthScene *scene = g_ptr_array_index (truth, s);

      for (guint i = 0; i < scene->objects->len; i++)
        {
          const char *key = ((TruthObject *) g_ptr_array_index (scene->objects, i))->klass;
          char *told_key = g_strdup_printf ("%s %s", key, scene->day);

          if (class_by_key (classes, key) != NULL || g_hash_table_contains (told, told_key))
            {
              g_free (told_key);
              continue;
            }
          g_string_append_printf (missing, "%s‘%s’ (%u on %s)", missing->len > 0 ? ", " : "", key,
                                  expected_count (truth, scene->scene_id, key), scene->day);
          g_hash_table_add (told, told_key);
        }
    }
  if (missing->len > 0)
    g_test_message ("Ground-truth classes with no class in the project's taxonomy: %s", missing->str);
  g_assert_cmpstr (missing->str, ==, "");
}

/* The store's class × date counts against the truth: every class of the project on every
 * scene (the press image and the classes the demo does not use count 0). */
static void
assert_counts_match (SlAnnotationStore *store,
                     GPtrArray         *classes,
                     GPtrArray         *truth,
                     gint64             press_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCountsTable) counts = sl_annotation_store_count (store, &error);
  g_autoptr(GString) wrong = g_string_new (NULL);
  guint total = 0, expected_total = 0;

  g_assert_no_error (error);
  g_assert_nonnull (counts);
  g_assert_cmpuint (counts->class_ids->len, ==, classes->len);
  g_assert_cmpuint (counts->scene_ids->len, ==, truth->len + 1);
  for (guint c = 0; c < classes->len; c++)
    {
      const SlClass *klass = g_ptr_array_index (classes, c);

      g_assert_cmpint (g_array_index (counts->class_ids, gint64, c), ==, klass->id);
      for (guint s = 0; s < counts->scene_ids->len; s++)
        {
          gint64 scene_id = g_array_index (counts->scene_ids, gint64, s);
          guint got = sl_counts_table_get (counts, klass->id, scene_id);
          guint want = expected_count (truth, scene_id, klass->key);

          if (got != want)
            g_string_append_printf (wrong, "%s%s on %s: %u, truth %u", wrong->len > 0 ? "; " : "", klass->key,
                                    scene_day (truth, scene_id), got, want);
          total += got;
          expected_total += want;
        }
      g_assert_cmpuint (sl_counts_table_get (counts, klass->id, press_id), ==, 0);
    }
  g_assert_cmpstr (wrong->str, ==, "");
  g_assert_cmpuint (total, ==, expected_total);
  g_assert_cmpuint (expected_total, >, 0);
}

/* --- the window --- */

typedef struct
{
  SlWindow *window;
  gint64    scene_id;
} ShowsScene;

static gboolean
window_shows_scene (gpointer data)
{
  ShowsScene *shows = data;
  SlCompareView *view = _sl_window_get_compare_view (shows->window);
  SlAnnotationLayer *layer = sl_compare_view_get_layer (view, 0);

  return g_strcmp0 (_sl_window_get_content_page (shows->window), "scene") == 0 &&
         sl_compare_view_get_mode (view) == SL_COMPARE_SINGLE && sl_compare_view_get_current (view) == shows->scene_id &&
         sl_annotation_layer_get_scene_id (layer) == shows->scene_id && gtk_widget_get_mapped (GTK_WIDGET (layer)) &&
         gtk_widget_get_width (GTK_WIDGET (layer)) > 4 * EDGE_MARGIN &&
         gtk_widget_get_height (GTK_WIDGET (layer)) > 4 * EDGE_MARGIN;
}

static gboolean
window_is_idle (gpointer data)
{
  return !sl_window_get_busy (data);
}

/* A window on @project, single mode, showing @scene_id as chosen in the sidebar. */
static SlWindow *
open_window (SlProject *project,
             gint64     scene_id)
{
  SlWindow *window = sl_window_new (GTK_APPLICATION (app));
  SlCompareView *view;
  ShowsScene shows = { window, scene_id };

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  sl_window_set_project (window, project);
  gtk_window_present (GTK_WINDOW (window));
  view = _sl_window_get_compare_view (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "compare.mode", "s", "single"));
  sl_scene_list_set_selected_scene_id (window->scene_list, scene_id);
  sl_test_spin_until (window_shows_scene, &shows, "the window to show the scene");
  return window;
}

static void
close_window (SlWindow *window)
{
  /* Let the pyramids of the scenes without overviews finish first. */
  sl_test_spin_until (window_is_idle, window, "the window's background work");
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_layer_message (GPtrArray  *messages,
                  const char *message)
{
  g_ptr_array_add (messages, g_strdup (message));
}

/* Presses the class's key, as in the class menu: its shortcut (1…9, 0, Shift+1…). */
static void
choose_class (SlWindow      *window,
              const SlClass *klass)
{
  if (klass->shortcut != NULL)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.class-key", "s", klass->shortcut));
  else
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.class", "x", klass->id));
  g_assert_cmpint (_sl_window_get_annotation_class (window), ==, klass->id);
}

/* Pans so that site (@x, @y) is at least EDGE_MARGIN px inside the pane, as a user scrolls an
 * object into view; then the frame that shows it. */
static void
bring_into_view (SlAnnotationLayer *layer,
                 double             x,
                 double             y)
{
  SlViewport *viewport = sl_annotation_layer_get_viewport (layer);
  int width = gtk_widget_get_width (GTK_WIDGET (layer)), height = gtk_widget_get_height (GTK_WIDGET (layer));
  double margin = EDGE_MARGIN * sl_viewport_get_resolution (viewport);
  SlBounds shown;

  sl_viewport_get_visible_bounds (viewport, width, height, &shown);
  if (x >= shown.min_x + margin && x <= shown.max_x - margin && y >= shown.min_y + margin && y <= shown.max_y - margin)
    return;
  sl_viewport_set_center (viewport, x, y);
  sl_test_wait_frame (GTK_WIDGET (layer));
}

/* A click of the primary button at site (@x, @y): the press and release the layer's drag
 * gesture gets, in the coordinates of the widget it is attached to. */
static void
click_at (SlAnnotationLayer *layer,
          double             x,
          double             y)
{
  SlViewport *viewport = sl_annotation_layer_get_viewport (layer);
  GtkGesture *gesture = _sl_annotation_layer_get_drag_gesture (layer);
  GtkWidget *target = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  int width = gtk_widget_get_width (GTK_WIDGET (layer)), height = gtk_widget_get_height (GTK_WIDGET (layer));
  graphene_point_t at;
  double wx, wy;

  sl_viewport_site_to_widget (viewport, width, height, x, y, &wx, &wy);
  g_assert_cmpfloat (wx, >=, EDGE_MARGIN);
  g_assert_cmpfloat (wx, <=, width - EDGE_MARGIN);
  g_assert_cmpfloat (wy, >=, EDGE_MARGIN);
  g_assert_cmpfloat (wy, <=, height - EDGE_MARGIN);
  g_assert_nonnull (target);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (layer), target, &GRAPHENE_POINT_INIT (wx, wy), &at));
  g_signal_emit_by_name (gesture, "drag-begin", (double) at.x, (double) at.y);
  g_signal_emit_by_name (gesture, "drag-end", 0.0, 0.0);
}

/* Each truth object has exactly one point of its class inside its footprint, and the scene
 * has no other annotation. */
static void
assert_clicks_landed (SlAnnotationStore *store,
                      GPtrArray         *classes,
                      TruthScene        *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = sl_annotation_store_query (store, scene->scene_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, scene->objects->len);
  for (guint i = 0; i < scene->objects->len; i++)
    {
      TruthObject *object = g_ptr_array_index (scene->objects, i);
      gint64 class_id = require_class (classes, object->klass)->id;
      guint hits = 0;

      for (guint k = 0; k < stored->len; k++)
        {
          SlAnnotation *a = g_ptr_array_index (stored, k);

          g_assert_cmpint (a->kind, ==, SL_SHAPE_POINT);
          g_assert_cmpint (a->scene_id, ==, scene->scene_id);
          if (a->class_id == class_id && inside_footprint (object, a->points[0].x, a->points[0].y))
            hits++;
        }
      if (hits != 1)
        g_test_message ("Object %u (%s) on %s has %u points in its footprint", object->object_id, object->klass,
                        scene->day, hits);
      g_assert_cmpuint (hits, ==, 1);
    }
}

/* Counts every object of @scene by hand. */
static void
count_scene (SlWindow   *window,
             GPtrArray  *classes,
             TruthScene *scene)
{
  SlCompareView *view = _sl_window_get_compare_view (window);
  SlAnnotationLayer *layer = sl_compare_view_get_layer (view, 0);
  SlAnnotationStore *store = _sl_window_get_annotation_store (window);
  ShowsScene shows = { window, scene->scene_id };
  gint64 last_id = 0;

  /* The date, from the sidebar; the view zoomed in to count. */
  sl_scene_list_set_selected_scene_id (window->scene_list, scene->scene_id);
  sl_test_spin_until (window_shows_scene, &shows, "the date chosen in the sidebar");
  sl_viewport_set_resolution (sl_annotation_layer_get_viewport (layer), COUNT_RES);
  g_assert_cmpfloat_with_epsilon (sl_viewport_get_resolution (sl_annotation_layer_get_viewport (layer)), COUNT_RES, 1e-9);
  /* The point tool's key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "annotate.tool", "s", "point"));
  g_assert_cmpint (sl_annotation_layer_get_tool (layer), ==, SL_ANNOTATION_TOOL_POINT);

  for (guint i = 0; i < scene->objects->len; i++)
    {
      TruthObject *object = g_ptr_array_index (scene->objects, i);
      gint64 id;

      choose_class (window, require_class (classes, object->klass));
      bring_into_view (layer, object->x, object->y);
      click_at (layer, object->x, object->y);
      /* Stored at once, as the top-most annotation there. */
      id = sl_annotation_store_hit_test (store, scene->scene_id, object->x, object->y, 0.5);
      if (id <= last_id)
        g_test_message ("The click on object %u (%s) on %s stored nothing", object->object_id, object->klass, scene->day);
      g_assert_cmpint (id, >, last_id);
      last_id = id;
    }
  assert_clicks_landed (store, classes, scene);
}

/* After reopening: each row of the class menu shows the class's count on the current date. */
typedef struct
{
  SlWindow   *window;
  GPtrArray  *classes;
  GPtrArray  *truth;
  gint64      scene_id;
  char       *mismatch;
} MenuCheck;

static gboolean
class_menu_shows_truth (gpointer data)
{
  MenuCheck *check = data;

  g_clear_pointer (&check->mismatch, g_free);
  for (guint i = 0; i < check->classes->len; i++)
    {
      const SlClass *klass = g_ptr_array_index (check->classes, i);
      g_autofree char *row = _sl_window_describe_class_row (check->window, i);
      g_autofree char *want = g_strdup_printf ("%s %u", klass->name, expected_count (check->truth, check->scene_id, klass->key));

      if (g_strcmp0 (row, want) != 0)
        {
          check->mismatch = g_strdup_printf ("row %u is ‘%s’, not ‘%s’", i, row ? row : "(none)", want);
          return FALSE;
        }
    }
  return TRUE;
}

static void
test_count_by_hand (void)
{
  g_autofree char *dir = sl_test_tmpdir_new ();
  g_autofree char *demo_dir = g_build_filename (dir, "demo", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.sitelapse.gpkg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) demo = NULL;
  g_autoptr(GPtrArray) truth = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SlProject) project = NULL;
  TruthScene *last;
  MenuCheck check = { 0 };
  gint64 press_id = 0;
  SlWindow *window;

  demo = sl_demo_generate (demo_dir, DEMO_SIZE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (demo->len, ==, 4);
  build_project (path, demo);

  project = sl_project_open (path, &error);
  g_assert_no_error (error);
  truth = load_truth (project, demo);
  for (guint i = 0; i < demo->len; i++)
    if (!((SlDemoScene *) g_ptr_array_index (demo, i))->georeferenced)
      press_id = find_scene (project, ((SlDemoScene *) g_ptr_array_index (demo, i))->path);
  g_assert_cmpint (press_id, >, 0);

  window = open_window (project, ((TruthScene *) g_ptr_array_index (truth, 0))->scene_id);
  classes = sl_class_set_list (window->classes, &error);
  g_assert_no_error (error);
  assert_taxonomy_covers (truth, classes);
  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    g_signal_connect_swapped (sl_compare_view_get_layer (_sl_window_get_compare_view (window), i), "message",
                              G_CALLBACK (on_layer_message), messages);

  for (guint s = 0; s < truth->len; s++)
    count_scene (window, classes, g_ptr_array_index (truth, s));
  g_assert_cmpuint (messages->len, ==, 0);
  assert_counts_match (_sl_window_get_annotation_store (window), classes, truth, press_id);

  for (guint i = 0; i < SL_COMPARE_MAX_PANES; i++)
    g_signal_handlers_disconnect_by_func (sl_compare_view_get_layer (_sl_window_get_compare_view (window), i),
                                          on_layer_message, messages);
  close_window (window);
  sl_project_close (project);
  g_clear_object (&project);
  g_clear_pointer (&classes, g_ptr_array_unref);

  /* Reopened: the same counts, in the store and in the class menu of the last date. */
  project = sl_project_open (path, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (truth, truth->len - 1);
  window = open_window (project, last->scene_id);
  classes = sl_class_set_list (window->classes, &error);
  g_assert_no_error (error);
  assert_counts_match (_sl_window_get_annotation_store (window), classes, truth, press_id);
  check = (MenuCheck) { window, classes, truth, last->scene_id, NULL };
  if (!class_menu_shows_truth (&check))
    {
      g_test_message ("Waiting for the class menu: %s", check.mismatch);
      sl_test_spin_until (class_menu_shows_truth, &check, "the class menu to show the counts");
    }
  g_clear_pointer (&check.mismatch, g_free);

  close_window (window);
  sl_project_close (project);
  g_clear_object (&project);
  sl_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int    argc,
      char **argv)
{
  app = sl_test_gui_init (&argc, &argv);

  g_test_add_func ("/demo-count/count-by-hand", test_count_by_hand);
  return g_test_run ();
}
