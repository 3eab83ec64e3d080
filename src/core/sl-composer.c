/* sl-composer.c — the plan of a graphic, and drawing it with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-composer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-annotation-painter.h"
#include "sl-annotation-store.h"
#include "sl-class-set.h"
#include "sl-composer-private.h"
#include "sl-scene-render.h"

G_DEFINE_FINAL_TYPE (SlComposer, sl_composer, G_TYPE_OBJECT)

G_DEFINE_QUARK (sl-composer-error-quark, sl_composer_error)

static void
clear_scene (gpointer data)
{
  SlComposerScene *scene = data;

  g_free (scene->date_label);
  g_clear_pointer (&scene->annotations, g_ptr_array_unref);
}

static void
clear_class (gpointer data)
{
  SlComposerKind *class = data;

  g_free (class->colour);
  g_free (class->name);
}

/* Whether pango knows @family (fontconfig's generic names always resolve). */
static gboolean
font_exists (const char *family)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoFontFamily **families = NULL;
  const char *const generic[] = { "sans", "sans-serif", "serif", "monospace", "mono", "system-ui", "cursive", "fantasy" };
  gboolean found = FALSE;
  int n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (generic); i++)
    if (g_ascii_strcasecmp (family, generic[i]) == 0)
      return TRUE;
  pango_font_map_list_families (map, &families, &n);
  for (int i = 0; i < n && !found; i++)
    found = g_ascii_strcasecmp (pango_font_family_get_name (families[i]), family) == 0;
  g_free (families);
  return found;
}

static gboolean
class_wanted (const SlComposition *c, gint64 class_id)
{
  if (c->n_classes == 0)
    return TRUE;
  for (guint i = 0; i < c->n_classes; i++)
    if (c->class_ids[i] == class_id)
      return TRUE;
  return FALSE;
}

/* The scenes' credit lines in panel order, each once. */
static char *
join_credits (GPtrArray *scenes)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < scenes->len; i++)
    {
      const char *credit = sl_scene_get_credit (scenes->pdata[i]);
      gboolean dup = FALSE;

      if (credit == NULL || *credit == '\0')
        continue;
      for (guint j = 0; j < seen->len && !dup; j++)
        dup = g_utf8_collate (seen->pdata[j], credit) == 0;
      if (dup)
        continue;
      g_ptr_array_add (seen, (gpointer) credit);
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, credit);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
sl_composer_finalize (GObject *object)
{
  SlComposer *self = SL_COMPOSER (object);

  g_clear_pointer (&self->composition, sl_composition_free);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->grid, sl_site_grid_unref);
  g_clear_pointer (&self->scenes, g_array_unref);
  g_clear_pointer (&self->classes, g_array_unref);
  g_clear_pointer (&self->credit, g_free);
  G_OBJECT_CLASS (sl_composer_parent_class)->finalize (object);
}

static void
sl_composer_class_init (SlComposerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sl_composer_finalize;
}

static void
sl_composer_init (SlComposer *self)
{
  self->scenes = g_array_new (FALSE, TRUE, sizeof (SlComposerScene));
  g_array_set_clear_func (self->scenes, clear_scene);
  self->classes = g_array_new (FALSE, TRUE, sizeof (SlComposerKind));
  g_array_set_clear_func (self->classes, clear_class);
}

static gboolean
check_size (int width, int height, GError **error)
{
  if (width < 16 || height < 16)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "An export of %d × %d pixels is too small: at least 16 pixels a side", width, height);
      return FALSE;
    }
  if (width > SL_COMPOSER_MAX_SIDE || height > SL_COMPOSER_MAX_SIDE ||
      (double) width * height > SL_COMPOSER_MAX_PIXELS)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_TOO_LARGE,
                   "An export of %d × %d pixels is too large: at most %d pixels a side and %d megapixels",
                   width, height, SL_COMPOSER_MAX_SIDE, SL_COMPOSER_MAX_PIXELS / 1000000);
      return FALSE;
    }
  return TRUE;
}

static guint
scenes_needed (SlLayout layout)
{
  return layout == SL_LAYOUT_SINGLE || layout == SL_LAYOUT_GRID ? 1 : 2;
}

SlComposer *
sl_composer_new (SlProject           *project,
                 SlTileCache         *cache,
                 const SlComposition *composition,
                 GError             **error)
{
  g_autoptr(SlComposer) self = NULL;
  g_autoptr(GPtrArray) scenes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SlAnnotationStore) store = NULL;
  const SlComposition *c;
  SlSiteGrid *grid;
  const char *format;
  guint needed;

  g_return_val_if_fail (SL_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SL_IS_TILE_CACHE (cache), NULL);
  g_return_val_if_fail (composition != NULL, NULL);

  self = g_object_new (SL_TYPE_COMPOSER, NULL);
  self->composition = sl_composition_copy (composition);
  c = self->composition;
  self->cache = g_object_ref (cache);

  sl_composition_get_pixel_size (c, &self->width, &self->height);
  if (!check_size (self->width, self->height, error))
    return NULL;
  if (c->font_family && !font_exists (c->font_family))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_FONT,
                   "The font ‘%s’ is not installed: choose another family (fc-list lists them)", c->font_family);
      return NULL;
    }
  if (c->background && !_sl_composer_parse_colour (c->background, (double[4]) { 0 }))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "‘%s’ is not a colour: use #rrggbb, #rrggbbaa or none", c->background);
      return NULL;
    }
  if (c->divider_colour && !_sl_composer_parse_colour (c->divider_colour, (double[4]) { 0 }))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "‘%s’ is not a colour: use #rrggbb or #rrggbbaa", c->divider_colour);
      return NULL;
    }
  if (c->area == SL_AREA_BOUNDS && !(c->bounds.max_x > c->bounds.min_x && c->bounds.max_y > c->bounds.min_y))
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "The export area is empty: give minx,miny,maxx,maxy with max > min");
      return NULL;
    }

  grid = sl_tile_cache_get_grid (cache);
  needed = scenes_needed (c->layout);
  if (grid == NULL || c->n_scenes < needed)
    {
      g_autofree char *name = g_path_get_basename (sl_project_get_path (project));

      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                   "Cannot compose a %s graphic of ‘%s’: it needs %u date%s, %u %s chosen",
                   sl_layout_to_string (c->layout), name, needed, needed == 1 ? "" : "s",
                   grid ? c->n_scenes : 0, (grid ? c->n_scenes : 0) == 1 ? "is" : "are");
      return NULL;
    }
  self->grid = sl_site_grid_ref (grid);

  if (c->annotations)
    store = sl_annotation_store_new (project);
  format = c->date_format && *c->date_format ? c->date_format : "%-d %B %Y";
  for (guint i = 0; i < c->n_scenes; i++)
    {
      g_autoptr(GError) local = NULL;
      SlScene *scene = sl_project_get_scene (project, c->scene_ids[i], &local);
      SlComposerScene info = { c->scene_ids[i], NULL, NULL };
      SlBounds footprint;
      GDateTime *acquired;

      if (scene == NULL)
        {
          g_autofree char *name = g_path_get_basename (sl_project_get_path (project));

          g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                       "‘%s’ has no scene %" G_GINT64_FORMAT, name, c->scene_ids[i]);
          return NULL;
        }
      g_ptr_array_add (scenes, scene);
      acquired = sl_scene_get_acquired (scene);
      info.date_label = acquired ? g_date_time_format (acquired, format) : g_strdup (sl_scene_get_label (scene));
      if (info.date_label == NULL)
        {
          g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                       "‘%s’ is not a date format this program understands (e.g. %%-d %%B %%Y)", format);
          return NULL;
        }
      if (store)
        {
          g_autoptr(GPtrArray) all = sl_annotation_store_query (store, info.id, NULL, error);

          if (all == NULL)
            {
              g_free (info.date_label);
              return NULL;
            }
          info.annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_annotation_free);
          for (guint k = 0; k < all->len; k++)
            {
              const SlAnnotation *a = all->pdata[k];

              /* Hidden ones (H) are not drawn on screen either. */
              if (!a->hidden && class_wanted (c, a->class_id))
                g_ptr_array_add (info.annotations, sl_annotation_copy (a));
            }
        }
      g_array_append_val (self->scenes, info);
      if (sl_tile_cache_get_footprint (cache, info.id, &footprint))
        {
          if (self->site.max_x <= self->site.min_x)
            self->site = footprint;
          self->site.min_x = MIN (self->site.min_x, footprint.min_x);
          self->site.min_y = MIN (self->site.min_y, footprint.min_y);
          self->site.max_x = MAX (self->site.max_x, footprint.max_x);
          self->site.max_y = MAX (self->site.max_y, footprint.max_y);
        }
    }

  if (store)
    {
      g_autoptr(SlClassSet) set = sl_class_set_new (project);
      g_autoptr(GPtrArray) classes = sl_class_set_list (set, error);

      if (classes == NULL)
        return NULL;
      for (guint i = 0; i < classes->len; i++)
        {
          const SlClass *k = classes->pdata[i];
          SlComposerKind info = { k->id, g_strdup (k->colour), g_strdup (k->name) };

          g_array_append_val (self->classes, info);
        }
    }

  self->credit = c->credit ? g_strdup (c->credit) : join_credits (scenes);
  {
    SlBounds area = c->area == SL_AREA_BOUNDS ? c->bounds : self->site;
    double cx = (area.min_x + area.max_x) / 2, cy = (area.min_y + area.max_y) / 2;

    if (c->area == SL_AREA_VIEW)
      {
        cx = c->center_x;
        cy = c->center_y;
      }
    _sl_composer_measure_crs (self, sl_site_grid_get_crs_wkt (self->grid), cx, cy);
  }

  {
    SlComposerFrame frame;
    SlComposerLayout layout;

    _sl_composer_default_frame (self, &frame);
    _sl_composer_layout (self, &frame, &layout);
    if (layout.image_h < 16 || layout.image_w < 16 || layout.panels[layout.n_panels - 1].h < 8)
      {
        g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_INVALID,
                     "The title, caption and credit leave no room for the imagery at %d × %d pixels: "
                     "shorten them or make the graphic larger", self->width, self->height);
        return NULL;
      }
  }
  return g_steal_pointer (&self);
}

const SlComposition *
sl_composer_get_composition (SlComposer *self)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);
  return self->composition;
}

void
sl_composer_get_size (SlComposer *self, int *width, int *height)
{
  g_return_if_fail (SL_IS_COMPOSER (self));
  if (width)
    *width = self->width;
  if (height)
    *height = self->height;
}

const char *
sl_composer_get_credit (SlComposer *self)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);
  return self->credit;
}

char *
sl_composer_format_date (SlComposer *self, guint index)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);
  g_return_val_if_fail (index < self->scenes->len, NULL);
  return g_strdup (g_array_index (self->scenes, SlComposerScene, index).date_label);
}

gboolean
sl_composer_get_north (SlComposer *self, double *degrees)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), FALSE);
  if (degrees)
    *degrees = self->north_degrees;
  return self->has_north;
}

/* --- drawing --- */

typedef struct
{
  double x0, y0, x1, y1;   /* output pixels */
} Rect;

static gboolean
render_scene (SlComposer *self, cairo_t *cr, guint scene, const SlComposerPanel *p,
              int width, int height, double resolution, GCancellable *cancellable, GError **error)
{
  const SlComposerScene *info = &g_array_index (self->scenes, SlComposerScene, scene);
  g_autoptr(SlViewport) viewport = sl_viewport_new ();
  g_autofree char *failure = NULL;
  g_autoptr(GError) local = NULL;
  guint n_failed = 0;

  sl_viewport_set_grid (viewport, self->grid);
  sl_viewport_set_resolution (viewport, resolution);
  sl_viewport_set_center (viewport, p->center_x, p->center_y);
  if (!sl_scene_render_view (self->cache, info->id, viewport, cr, width, height, 1.0,
                             &n_failed, &failure, cancellable, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_IMAGERY,
                     "Cannot read the imagery of %s: %s", info->date_label, local->message);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (n_failed > 0)
    {
      g_set_error (error, SL_COMPOSER_ERROR, SL_COMPOSER_ERROR_IMAGERY,
                   "Cannot read %u tile%s of the imagery of %s: %s", n_failed, n_failed == 1 ? "" : "s",
                   info->date_label, failure ? failure : "unknown reason");
      return FALSE;
    }
  return TRUE;
}

/* Draws one scene into @clip (output pixels) of panel @p. On an image surface with no
 * rotation the tiles go straight to the target's pixels; elsewhere (PDF, SVG, a recording)
 * through an image of the panel at @pixel_scale pixels per output pixel, painted in place. */
static gboolean
draw_imagery (SlComposer *self, cairo_t *cr, const SlComposerPanel *p, guint scene, const Rect *clip,
              double pixel_scale, GCancellable *cancellable, GError **error)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
  cairo_matrix_t m;
  double ox = 0, oy = 0;
  gboolean ok;

  cairo_get_matrix (cr, &m);
  if (target)
    cairo_surface_get_device_offset (target, &ox, &oy);
  if (target && cairo_surface_get_type (target) == CAIRO_SURFACE_TYPE_IMAGE &&
      m.xy == 0 && m.yx == 0 && m.xx > 0 && m.yy > 0)
    {
      double dx0 = floor (m.xx * p->x + m.x0 + ox + 0.5), dy0 = floor (m.yy * p->y + m.y0 + oy + 0.5);
      double dx1 = floor (m.xx * (p->x + p->w) + m.x0 + ox + 0.5), dy1 = floor (m.yy * (p->y + p->h) + m.y0 + oy + 0.5);
      double cx0 = floor (m.xx * clip->x0 + m.x0 + ox + 0.5) - dx0, cy0 = floor (m.yy * clip->y0 + m.y0 + oy + 0.5) - dy0;
      double cx1 = floor (m.xx * clip->x1 + m.x0 + ox + 0.5) - dx0, cy1 = floor (m.yy * clip->y1 + m.y0 + oy + 0.5) - dy0;
      cairo_surface_t *sub;
      cairo_t *pcr;

      if (dx1 <= dx0 || dy1 <= dy0 || cx1 <= cx0 || cy1 <= cy0)
        return TRUE;
      cairo_surface_flush (target);
      sub = cairo_surface_create_for_rectangle (target, dx0, dy0, dx1 - dx0, dy1 - dy0);
      pcr = cairo_create (sub);
      cairo_rectangle (pcr, cx0, cy0, cx1 - cx0, cy1 - cy0);
      cairo_clip (pcr);
      ok = render_scene (self, pcr, scene, p, (int) (dx1 - dx0), (int) (dy1 - dy0),
                         p->resolution * p->w / (dx1 - dx0), cancellable, error);
      cairo_destroy (pcr);
      cairo_surface_destroy (sub);
      cairo_surface_mark_dirty (target);
      return ok;
    }
  else
    {
      /* Only the part of the panel this scene shows (one side of a swipe), in whole pixels. */
      int pw = MAX (1, (int) ceil (p->w * pixel_scale)), ph = MAX (1, (int) ceil (p->h * pixel_scale));
      double sx = (double) pw / p->w, sy = (double) ph / p->h;
      int ix0 = (int) floor ((clip->x0 - p->x) * sx), iy0 = (int) floor ((clip->y0 - p->y) * sy);
      int ix1 = (int) ceil ((clip->x1 - p->x) * sx), iy1 = (int) ceil ((clip->y1 - p->y) * sy);
      cairo_surface_t *image;
      cairo_t *icr;

      ix0 = CLAMP (ix0, 0, pw);
      iy0 = CLAMP (iy0, 0, ph);
      ix1 = CLAMP (ix1, ix0, pw);
      iy1 = CLAMP (iy1, iy0, ph);
      if (ix1 <= ix0 || iy1 <= iy0)
        return TRUE;
      image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, ix1 - ix0, iy1 - iy0);
      cairo_surface_set_device_offset (image, -ix0, -iy0);
      /* The whole panel's view, of which the image holds the window (device offset). */
      icr = cairo_create (image);
      ok = render_scene (self, icr, scene, p, pw, ph, p->resolution * p->w / pw, cancellable, error);
      cairo_destroy (icr);
      if (ok)
        {
          cairo_surface_set_device_offset (image, 0, 0);
          _sl_composer_attach_jpeg (self, image);
          cairo_save (cr);
          cairo_rectangle (cr, clip->x0, clip->y0, clip->x1 - clip->x0, clip->y1 - clip->y0);
          cairo_clip (cr);
          cairo_translate (cr, p->x, p->y);
          cairo_scale (cr, 1 / sx, 1 / sy);
          cairo_set_source_surface (cr, image, ix0, iy0);
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
          cairo_paint (cr);
          cairo_restore (cr);
        }
      cairo_surface_destroy (image);
      return ok;
    }
}

static void
draw_annotations (SlComposer *self, cairo_t *cr, SlAnnotationPainter *painter, const SlComposerLayout *layout,
                  const SlComposerPanel *p, guint scene, const Rect *clip)
{
  const SlComposerScene *info = &g_array_index (self->scenes, SlComposerScene, scene);
  g_autoptr(SlViewport) viewport = NULL;
  /* Annotation strokes and labels grow with the graphic's text, as the screen's do with
   * its font: one painter pixel is this many output pixels. */
  double unit = MAX (1.0, layout->text_px / 13.0);
  int lw = MAX (1, (int) ceil (p->w / unit)), lh = MAX (1, (int) ceil (p->h / unit));

  if (info->annotations == NULL || info->annotations->len == 0)
    return;
  viewport = sl_viewport_new ();
  sl_viewport_set_grid (viewport, self->grid);
  sl_viewport_set_resolution (viewport, p->resolution * unit);
  sl_viewport_set_center (viewport, p->center_x, p->center_y);
  cairo_save (cr);
  cairo_rectangle (cr, clip->x0, clip->y0, clip->x1 - clip->x0, clip->y1 - clip->y0);
  cairo_clip (cr);
  cairo_translate (cr, p->x, p->y);
  cairo_scale (cr, unit, unit);
  sl_annotation_painter_draw (painter, cr, viewport, lw, lh, info->annotations, NULL);
  cairo_restore (cr);
}

gboolean
_sl_composer_render_frame (SlComposer            *self,
                           cairo_t               *cr,
                           int                    width,
                           int                    height,
                           const SlComposerFrame *frame,
                           GCancellable          *cancellable,
                           GError               **error)
{
  SlComposerLayout layout;
  g_autoptr(SlAnnotationPainter) painter = NULL;
  double background[4], text[4], s;

  _sl_composer_layout (self, frame, &layout);
  _sl_composer_theme_colours (self, background, text);
  s = MIN ((double) width / self->width, (double) height / self->height);

  if (self->composition->annotations)
    {
      painter = sl_annotation_painter_new ();
      /* An export draws every shape, never dots or clusters. */
      sl_annotation_painter_set_lod_threshold (painter, G_MAXINT / 8);
      sl_annotation_painter_set_metric (painter, self->metres_per_unit > 0);
      for (guint i = 0; i < self->classes->len; i++)
        {
          const SlComposerKind *k = &g_array_index (self->classes, SlComposerKind, i);

          sl_annotation_painter_set_class (painter, k->id, k->colour, k->name);
        }
    }

  cairo_save (cr);
  cairo_translate (cr, floor ((width - self->width * s) / 2), floor ((height - self->height * s) / 2));
  cairo_scale (cr, s, s);
  if (background[3] > 0)
    {
      cairo_set_source_rgba (cr, background[0], background[1], background[2], background[3]);
      cairo_rectangle (cr, 0, 0, self->width, self->height);
      cairo_fill (cr);
    }

  for (guint i = 0; i < layout.n_panels; i++)
    {
      const SlComposerPanel *p = &layout.panels[i];
      Rect a = { p->x, p->y, p->x + p->w, p->y + p->h }, b = a;
      gboolean swipe = frame->kind == SL_LAYOUT_SWIPE && p->scene_b != p->scene;

      if (swipe && self->composition->horizontal)
        a.y1 = b.y0 = layout.divider_px;
      else if (swipe)
        a.x1 = b.x0 = layout.divider_px;
      if (!draw_imagery (self, cr, p, p->scene, &a, s, cancellable, error) ||
          (swipe && !draw_imagery (self, cr, p, p->scene_b, &b, s, cancellable, error)))
        {
          cairo_restore (cr);
          return FALSE;
        }
      if (painter)
        {
          draw_annotations (self, cr, painter, &layout, p, p->scene, &a);
          if (swipe)
            draw_annotations (self, cr, painter, &layout, p, p->scene_b, &b);
        }
    }
  _sl_composer_draw_overlays (self, cr, frame, &layout);
  _sl_composer_draw_text (self, cr, frame, &layout);
  cairo_restore (cr);
  return TRUE;
}

gboolean
sl_composer_render (SlComposer   *self,
                    cairo_t      *cr,
                    int           width,
                    int           height,
                    GCancellable *cancellable,
                    GError      **error)
{
  SlComposerFrame frame;

  g_return_val_if_fail (SL_IS_COMPOSER (self), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  _sl_composer_default_frame (self, &frame);
  return _sl_composer_render_frame (self, cr, width, height, &frame, cancellable, error);
}
