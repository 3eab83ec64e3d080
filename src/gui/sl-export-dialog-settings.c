/* sl-export-dialog-settings.c — the export dialog's settings: rows ⇄ SlComposition
 *
 * Every row reports to one handler that reads all the rows into the composition (read_rows)
 * and asks for a new preview; _sl_export_dialog_sync_rows writes the composition back into
 * the rows (a preset, a drawn area), with the handlers quiet meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sl-export-dialog-private.h"
#include "sl-export-presets.h"

static const struct { int width, height; } sizes[N_SIZES] = {
  { 1200, 0 }, { 1600, 0 }, { 2048, 0 }, { 1080, 1080 }, { 3840, 2160 }, { 0, 0 }, { 0, 0 },
};

static const char * const size_labels[N_SIZES] = {
  N_("Web, 1200 px Wide"), N_("Web, 1600 px Wide"), N_("Web, 2048 px Wide"), N_("Social, 1080 × 1080"),
  N_("4K, 3840 × 2160"), N_("Custom Pixels"), N_("Print, Millimetres"),
};

static const char * const layout_labels[N_CHOICES] = {
  N_("Swipe, Vertical Divider"), N_("Swipe, Horizontal Divider"), N_("Side by Side"), N_("Stacked"),
  N_("Grid of Dates"), N_("Single Date"),
};

static const struct { SlExportFormat format; const char *label; const char *extension; } formats[] = {
  { SL_EXPORT_PNG, N_("PNG Image"), "png" },
  { SL_EXPORT_JPEG, N_("JPEG Image"), "jpg" },
  { SL_EXPORT_PDF, N_("PDF Document"), "pdf" },
  { SL_EXPORT_SVG, N_("SVG Drawing"), "svg" },
  { SL_EXPORT_HTML, N_("HTML Slider"), "html" },
  { SL_EXPORT_WEBP, N_("WebP Animation"), "webp" },
  { SL_EXPORT_GIF, N_("GIF Animation"), "gif" },
};

static const char * const date_formats[] = { "%-d %B %Y", "%-d %b %Y", "%Y-%m-%d", "%B %Y", "%-d %B %Y, %H:%M" };

static const char * const corner_labels[] = { N_("Top Left"), N_("Top Right"), N_("Bottom Left"), N_("Bottom Right") };

static void read_rows (SlExportDialog *self);

const char *
_sl_export_format_extension (SlExportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].extension;
  return "png";
}

/* --- rows --- */

static AdwComboRow *
combo_row (const char         *title,
           const char * const *labels,
           guint               n_labels,
           gboolean            translate)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < n_labels; i++)
    gtk_string_list_append (model, translate ? _(labels[i]) : labels[i]);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return ADW_COMBO_ROW (row);
}

static GtkWidget *
suffix_row (const char *title,
            const char *subtitle,
            GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  return row;
}

static GtkWidget *
switch_row (const char  *title,
            const char  *subtitle,
            GtkSwitch  **out)
{
  *out = GTK_SWITCH (gtk_switch_new ());
  return suffix_row (title, subtitle, GTK_WIDGET (*out));
}

/* An "Auto" text for @auto_value. */
static gboolean
on_spin_output (GtkSpinButton *spin,
                gpointer       auto_value)
{
  if (gtk_spin_button_get_value (spin) == GPOINTER_TO_INT (auto_value))
    {
      gtk_editable_set_text (GTK_EDITABLE (spin), _("Auto"));
      return TRUE;
    }
  return FALSE;
}

static int
on_spin_input (GtkSpinButton *spin,
               double        *value,
               gpointer       auto_value)
{
  if (g_ascii_strcasecmp (gtk_editable_get_text (GTK_EDITABLE (spin)), _("Auto")) == 0)
    {
      *value = GPOINTER_TO_INT (auto_value);
      return TRUE;
    }
  return FALSE;
}

static GtkWidget *
spin_row (const char     *title,
          const char     *subtitle,
          double          min,
          double          max,
          double          step,
          guint           digits,
          GtkSpinButton **out)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), FALSE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 6);
  *out = GTK_SPIN_BUTTON (spin);
  return suffix_row (title, subtitle, spin);
}

static void
with_auto (GtkSpinButton *spin,
           int            auto_value)
{
  g_signal_connect (spin, "output", G_CALLBACK (on_spin_output), GINT_TO_POINTER (auto_value));
  g_signal_connect (spin, "input", G_CALLBACK (on_spin_input), GINT_TO_POINTER (auto_value));
}

static AdwEntryRow *
entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return ADW_ENTRY_ROW (row);
}

static GtkWidget *
group (GtkWidget  *page,
       const char *title)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (g));
  return g;
}

static void
add (GtkWidget *g,
     gpointer   row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (row));
}

/* --- the composition from the rows --- */

static gint64
scene_at (SlExportDialog *self,
          guint           index)
{
  return index < self->scene_ids->len ? g_array_index (self->scene_ids, gint64, index) : 0;
}

static guint
index_of (SlExportDialog *self,
          gint64          id)
{
  for (guint i = 0; i < self->scene_ids->len; i++)
    if (g_array_index (self->scene_ids, gint64, i) == id)
      return i;
  return 0;
}

/* The scenes' credit lines in panel order, each once: what the composer draws for NULL. */
static char *
auto_credit (SlExportDialog *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < self->composition->n_scenes; i++)
    {
      guint index = index_of (self, self->composition->scene_ids[i]);
      g_autoptr(SlScene) scene = g_list_model_get_item (self->scenes, index);
      const char *credit = scene != NULL ? sl_scene_get_credit (scene) : NULL;
      gboolean dup = FALSE;

      if (credit == NULL || *credit == '\0')
        continue;
      for (guint j = 0; j < seen->len && !dup; j++)
        dup = g_utf8_collate (seen->pdata[j], credit) == 0;
      if (dup)
        continue;
      g_ptr_array_add (seen, g_strdup (credit));
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, credit);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
_sl_export_dialog_web_height (SlExportDialog *self,
                              int             width)
{
  const SlComposition *c = self->composition;
  double aspect = 1.5;

  if (c->area == SL_AREA_VIEW && self->view_aspect > 0)
    aspect = self->view_aspect;
  else if (c->area == SL_AREA_BOUNDS && c->bounds.max_y > c->bounds.min_y)
    aspect = (c->bounds.max_x - c->bounds.min_x) / (c->bounds.max_y - c->bounds.min_y);
  if (c->layout == SL_LAYOUT_SIDE_BY_SIDE)
    aspect *= 2;
  else if (c->layout == SL_LAYOUT_STACKED)
    aspect /= 2;
  aspect = CLAMP (aspect, 0.5, 3.0);
  /* Even sides: video encoders and some viewers prefer them. */
  return 2 * (int) floor (width / aspect / 2 + 0.5);
}

static void
update_visibility (SlExportDialog *self)
{
  SlLayout layout = self->composition->layout;
  gboolean two = layout == SL_LAYOUT_SWIPE || layout == SL_LAYOUT_SIDE_BY_SIDE || layout == SL_LAYOUT_STACKED;
  gboolean animated = self->format == SL_EXPORT_WEBP || self->format == SL_EXPORT_GIF;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_a_row),
                                 layout == SL_LAYOUT_SINGLE ? _("Date") : _("First Date"));
  gtk_widget_set_visible (GTK_WIDGET (self->date_a_row), layout != SL_LAYOUT_GRID);
  gtk_widget_set_visible (GTK_WIDGET (self->date_b_row), two);
  gtk_widget_set_visible (GTK_WIDGET (self->grid_dates_row), layout == SL_LAYOUT_GRID);
  gtk_widget_set_visible (self->columns_row, layout == SL_LAYOUT_GRID);
  gtk_widget_set_visible (self->divider_row, layout == SL_LAYOUT_SWIPE);
  gtk_widget_set_visible (self->divider_style_group, layout == SL_LAYOUT_SWIPE || self->format == SL_EXPORT_HTML);
  gtk_widget_set_visible (self->width_row, self->size == SIZE_CUSTOM);
  gtk_widget_set_visible (self->height_row, self->size == SIZE_CUSTOM);
  gtk_widget_set_visible (self->width_mm_row, self->size == SIZE_PRINT);
  gtk_widget_set_visible (self->height_mm_row, self->size == SIZE_PRINT);
  gtk_widget_set_visible (self->dpi_row, self->size == SIZE_PRINT);
  gtk_widget_set_visible (self->quality_row, self->format == SL_EXPORT_JPEG);
  gtk_widget_set_visible (GTK_WIDGET (self->animation_row), animated);
  gtk_widget_set_visible (self->frame_row, animated);
  gtk_widget_set_visible (GTK_WIDGET (self->date_format_row), self->composition->show_dates);
  gtk_widget_set_visible (GTK_WIDGET (self->corner_row), self->composition->show_dates);
}

static void
read_scenes (SlExportDialog *self)
{
  SlComposition *c = self->composition;
  gint64 ids[SL_COMPOSITION_MAX_SCENES];
  guint n = 0;

  switch (c->layout)
    {
    case SL_LAYOUT_GRID:
      for (guint i = 0; i < self->grid_checks->len && n < SL_COMPOSITION_MAX_SCENES; i++)
        if (gtk_check_button_get_active (self->grid_checks->pdata[i]))
          ids[n++] = scene_at (self, i);
      break;
    case SL_LAYOUT_SINGLE:
      ids[n++] = scene_at (self, adw_combo_row_get_selected (self->date_a_row));
      break;
    case SL_LAYOUT_SWIPE:
    case SL_LAYOUT_SIDE_BY_SIDE:
    case SL_LAYOUT_STACKED:
    default:
      ids[n++] = scene_at (self, adw_combo_row_get_selected (self->date_a_row));
      ids[n++] = scene_at (self, adw_combo_row_get_selected (self->date_b_row));
      break;
    }
  sl_composition_set_scenes (c, ids, n);
}

static void
read_size (SlExportDialog *self)
{
  SlComposition *c = self->composition;

  self->size = MIN (adw_combo_row_get_selected (self->size_row), N_SIZES - 1);
  c->width_mm = c->height_mm = 0;
  switch (self->size)
    {
    case SIZE_CUSTOM:
      c->width = gtk_spin_button_get_value_as_int (self->width_spin);
      c->height = gtk_spin_button_get_value_as_int (self->height_spin);
      break;
    case SIZE_PRINT:
      c->width_mm = gtk_spin_button_get_value (self->width_mm_spin);
      c->height_mm = gtk_spin_button_get_value (self->height_mm_spin);
      c->dpi = gtk_spin_button_get_value (self->dpi_spin);
      break;
    case SIZE_WEB_1200:
    case SIZE_WEB_1600:
    case SIZE_WEB_2048:
    case SIZE_SOCIAL:
    case SIZE_4K:
    case N_SIZES:
    default:
      c->width = sizes[self->size].width;
      c->height = sizes[self->size].height > 0 ? sizes[self->size].height : _sl_export_dialog_web_height (self, c->width);
      /* The custom rows start from the last preset. */
      self->syncing = TRUE;
      gtk_spin_button_set_value (self->width_spin, c->width);
      gtk_spin_button_set_value (self->height_spin, c->height);
      self->syncing = FALSE;
      break;
    }
}

static char *
colour_text (const GdkRGBA *rgba)
{
  int r = (int) round (rgba->red * 255), g = (int) round (rgba->green * 255), b = (int) round (rgba->blue * 255);
  int a = (int) round (rgba->alpha * 255);

  if (r == 255 && g == 255 && b == 255 && a == 255)
    return NULL;  /* the default */
  return a == 255 ? g_strdup_printf ("#%02x%02x%02x", r, g, b) : g_strdup_printf ("#%02x%02x%02x%02x", r, g, b, a);
}

static void
set_text_member (SlExportDialog *self,
                 char          **member,
                 AdwEntryRow    *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  sl_composition_set_string (self->composition, member, *text != '\0' ? text : NULL);
}

static void
read_rows (SlExportDialog *self)
{
  SlComposition *c = self->composition;
  static const SlLayout layouts[N_CHOICES] = {
    SL_LAYOUT_SWIPE, SL_LAYOUT_SWIPE, SL_LAYOUT_SIDE_BY_SIDE, SL_LAYOUT_STACKED, SL_LAYOUT_GRID, SL_LAYOUT_SINGLE,
  };
  guint choice = MIN (adw_combo_row_get_selected (self->layout_row), N_CHOICES - 1);
  guint area = adw_combo_row_get_selected (self->area_row);
  g_autofree char *family = NULL;
  g_autofree char *credit = NULL;
  PangoFontFamily *font;
  GdkRGBA rgba;
  guint n_classes = 0;

  c->layout = layouts[choice];
  c->horizontal = choice == CHOICE_SWIPE_HORIZONTAL;
  read_scenes (self);
  c->grid_columns = gtk_spin_button_get_value_as_int (self->columns_spin);
  c->divider = gtk_spin_button_get_value (self->divider_spin) / 100.0;

  /* Current view, whole site, drawn rectangle; no view: the first is left out. */
  if (!self->has_view)
    area++;
  c->area = area == 0 ? SL_AREA_VIEW : area == 1 ? SL_AREA_SITE : SL_AREA_BOUNDS;
  if (c->area == SL_AREA_BOUNDS && !(c->bounds.max_x > c->bounds.min_x && c->bounds.max_y > c->bounds.min_y))
    c->area = SL_AREA_SITE;
  read_size (self);
  _sl_export_dialog_apply_view (self);

  set_text_member (self, &c->title, self->title_row);
  set_text_member (self, &c->caption, self->caption_row);
  /* The scenes' credit stays automatic (it follows the dates) until it is edited. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->credit_row)), self->auto_credit) == 0)
    sl_composition_set_string (c, &c->credit, NULL);
  else
    sl_composition_set_string (c, &c->credit, gtk_editable_get_text (GTK_EDITABLE (self->credit_row)));
  font = gtk_font_chooser_get_font_family (GTK_FONT_CHOOSER (self->font_button));
  family = font != NULL ? g_strdup (pango_font_family_get_name (font)) : NULL;
  sl_composition_set_string (c, &c->font_family, g_strcmp0 (family, "Sans") == 0 ? NULL : family);
  c->show_dates = gtk_switch_get_active (self->dates_switch);
  sl_composition_set_string (c, &c->date_format,
                             date_formats[MIN (adw_combo_row_get_selected (self->date_format_row), G_N_ELEMENTS (date_formats) - 1)]);
  c->date_corner = MIN (adw_combo_row_get_selected (self->corner_row), SL_CORNER_BOTTOM_RIGHT);

  c->scale_bar = gtk_switch_get_active (self->scale_bar_switch);
  c->north_arrow = gtk_switch_get_active (self->north_switch);
  c->annotations = adw_expander_row_get_enable_expansion (self->annotations_row);
  g_clear_pointer (&c->class_ids, g_free);
  c->n_classes = 0;
  for (guint i = 0; i < self->class_checks->len; i++)
    n_classes += gtk_check_button_get_active (self->class_checks->pdata[i]);
  if (n_classes == 0)
    c->annotations = FALSE;  /* no class chosen: none drawn */
  else if (n_classes < self->class_checks->len)
    {
      c->class_ids = g_new (gint64, n_classes);
      for (guint i = 0; i < self->class_checks->len; i++)
        if (gtk_check_button_get_active (self->class_checks->pdata[i]))
          c->class_ids[c->n_classes++] = ((SlClass *) self->classes->pdata[i])->id;
    }

  c->theme = adw_combo_row_get_selected (self->theme_row) == 1 ? SL_THEME_DARK : SL_THEME_LIGHT;
  c->margin = gtk_spin_button_get_value_as_int (self->margin_spin);
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->divider_colour_button), &rgba);
  g_free (c->divider_colour);
  c->divider_colour = colour_text (&rgba);
  c->divider_width = gtk_spin_button_get_value (self->divider_width_spin);
  c->divider_handle = gtk_switch_get_active (self->handle_switch);

  self->format = formats[MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1)].format;
  c->jpeg_quality = gtk_spin_button_get_value_as_int (self->quality_spin);
  c->animation = adw_combo_row_get_selected (self->animation_row) == 1 ? SL_ANIMATION_SWEEP : SL_ANIMATION_TIMELAPSE;
  c->frame_ms = gtk_spin_button_get_value_as_int (self->frame_spin);

  /* A credit that follows the dates shows the new dates' credit. */
  credit = auto_credit (self);
  if (c->credit == NULL && g_strcmp0 (credit, self->auto_credit) != 0)
    {
      self->syncing = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->credit_row), credit);
      self->syncing = FALSE;
    }
  g_free (self->auto_credit);
  self->auto_credit = g_steal_pointer (&credit);
  update_visibility (self);
}

static void
on_row_changed (SlExportDialog *self)
{
  if (self->syncing)
    return;
  read_rows (self);
  _sl_export_dialog_changed (self);
}

/* --- the rows from the composition --- */

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

void
_sl_export_dialog_sync_rows (SlExportDialog *self)
{
  SlComposition *c = self->composition;
  guint choice, area = c->area == SL_AREA_VIEW ? 0 : c->area == SL_AREA_SITE ? 1 : 2;
  g_autofree char *credit = NULL;
  g_autofree char *font = NULL;
  GdkRGBA rgba = { 1, 1, 1, 1 };

  self->syncing = TRUE;
  switch (c->layout)
    {
    case SL_LAYOUT_SWIPE:
      choice = c->horizontal ? CHOICE_SWIPE_HORIZONTAL : CHOICE_SWIPE_VERTICAL;
      break;
    case SL_LAYOUT_SIDE_BY_SIDE:
      choice = CHOICE_SIDE_BY_SIDE;
      break;
    case SL_LAYOUT_STACKED:
      choice = CHOICE_STACKED;
      break;
    case SL_LAYOUT_GRID:
      choice = CHOICE_GRID;
      break;
    case SL_LAYOUT_SINGLE:
    default:
      choice = CHOICE_SINGLE;
      break;
    }
  adw_combo_row_set_selected (self->layout_row, choice);
  if (c->n_scenes > 0)
    adw_combo_row_set_selected (self->date_a_row, index_of (self, c->scene_ids[0]));
  if (c->n_scenes > 1)
    adw_combo_row_set_selected (self->date_b_row, index_of (self, c->scene_ids[1]));
  if (c->layout == SL_LAYOUT_GRID)
    for (guint i = 0; i < self->grid_checks->len; i++)
      {
        gboolean in = FALSE;

        for (guint k = 0; k < c->n_scenes && !in; k++)
          in = c->scene_ids[k] == scene_at (self, i);
        gtk_check_button_set_active (self->grid_checks->pdata[i], in);
      }
  gtk_spin_button_set_value (self->columns_spin, c->grid_columns);
  gtk_spin_button_set_value (self->divider_spin, c->divider * 100);

  if (c->area == SL_AREA_VIEW && !self->has_view)
    area = 1;
  adw_combo_row_set_selected (self->area_row, self->has_view ? area : area - 1);
  adw_combo_row_set_selected (self->size_row, self->size);
  if (self->size == SIZE_CUSTOM)
    {
      gtk_spin_button_set_value (self->width_spin, c->width);
      gtk_spin_button_set_value (self->height_spin, c->height);
    }
  if (c->width_mm > 0 && c->height_mm > 0)
    {
      gtk_spin_button_set_value (self->width_mm_spin, c->width_mm);
      gtk_spin_button_set_value (self->height_mm_spin, c->height_mm);
    }
  gtk_spin_button_set_value (self->dpi_spin, c->dpi > 0 ? c->dpi : 300);

  set_entry (self->title_row, c->title);
  set_entry (self->caption_row, c->caption);
  credit = auto_credit (self);
  set_entry (self->credit_row, c->credit != NULL ? c->credit : credit);
  if (c->credit == NULL)
    {
      g_free (self->auto_credit);
      self->auto_credit = g_steal_pointer (&credit);
    }
  font = g_strdup_printf ("%s 12", c->font_family != NULL ? c->font_family : "Sans");
  gtk_font_chooser_set_font (GTK_FONT_CHOOSER (self->font_button), font);
  gtk_switch_set_active (self->dates_switch, c->show_dates);
  for (guint i = 0; i < G_N_ELEMENTS (date_formats); i++)
    if (g_strcmp0 (date_formats[i], c->date_format != NULL ? c->date_format : date_formats[0]) == 0)
      adw_combo_row_set_selected (self->date_format_row, i);
  adw_combo_row_set_selected (self->corner_row, c->date_corner);

  gtk_switch_set_active (self->scale_bar_switch, c->scale_bar);
  gtk_switch_set_active (self->north_switch, c->north_arrow);
  adw_expander_row_set_enable_expansion (self->annotations_row, c->annotations);
  for (guint i = 0; i < self->class_checks->len; i++)
    {
      gboolean wanted = c->n_classes == 0;

      for (guint k = 0; k < c->n_classes && !wanted; k++)
        wanted = c->class_ids[k] == ((SlClass *) self->classes->pdata[i])->id;
      gtk_check_button_set_active (self->class_checks->pdata[i], wanted);
    }

  adw_combo_row_set_selected (self->theme_row, c->theme == SL_THEME_DARK ? 1 : 0);
  gtk_spin_button_set_value (self->margin_spin, c->margin);
  if (c->divider_colour != NULL)
    gdk_rgba_parse (&rgba, c->divider_colour);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->divider_colour_button), &rgba);
  gtk_spin_button_set_value (self->divider_width_spin, c->divider_width);
  gtk_switch_set_active (self->handle_switch, c->divider_handle);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == self->format)
      adw_combo_row_set_selected (self->format_row, i);
  gtk_spin_button_set_value (self->quality_spin, c->jpeg_quality);
  adw_combo_row_set_selected (self->animation_row, c->animation == SL_ANIMATION_SWEEP ? 1 : 0);
  gtk_spin_button_set_value (self->frame_spin, c->frame_ms);
  self->syncing = FALSE;
  /* What the rows hold now is the composition (a scene not offered falls back to the first). */
  read_rows (self);
}

/* --- presets --- */

void
_sl_export_dialog_load_presets (SlExportDialog *self,
                                const char     *select)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = sl_export_presets_list (self->project, &error);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->preset_names));
  guint selected = 0;

  if (names == NULL)
    {
      _sl_export_dialog_show_error (self, error->message);
      return;
    }
  self->syncing = TRUE;
  gtk_string_list_splice (self->preset_names, 1, n - 1, (const char * const *) names);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (names[i], select) == 0)
      selected = i + 1;
  adw_combo_row_set_selected (self->preset_row, selected);
  gtk_widget_set_sensitive (self->delete_preset_button, selected > 0);
  self->syncing = FALSE;
}

static const char *
selected_preset (SlExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->preset_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->preset_names, selected);
}

/* A preset is how a graphic looks: the dates and the area stay those of this comparison. */
static void
on_preset_selected (SlExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlComposition) preset = NULL;
  const char *name = selected_preset (self);
  SlComposition *c = self->composition;

  gtk_widget_set_sensitive (self->delete_preset_button, name != NULL);
  if (self->syncing || name == NULL)
    return;
  preset = sl_export_presets_get (self->project, name, &error);
  if (preset == NULL)
    {
      _sl_export_dialog_show_error (self, error->message);
      return;
    }
  sl_composition_set_scenes (preset, c->scene_ids, c->n_scenes);
  preset->area = c->area;
  preset->bounds = c->bounds;
  preset->center_x = c->center_x;
  preset->center_y = c->center_y;
  preset->resolution = c->resolution;
  _sl_export_dialog_show_error (self, NULL);
  sl_export_dialog_set_composition (self, preset);
  /* The preset row keeps showing it. */
}

static void
on_save_preset (SlExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->save_preset_row))));

  if (!sl_export_presets_save (self->project, name, self->composition, &error))
    {
      _sl_export_dialog_show_error (self, error->message);
      return;
    }
  _sl_export_dialog_show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->save_preset_row), "");
  _sl_export_dialog_load_presets (self, name);
}

static void
on_delete_preset (SlExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup (selected_preset (self));

  if (name == NULL)
    return;
  if (!sl_export_presets_remove (self->project, name, &error))
    {
      _sl_export_dialog_show_error (self, error->message);
      return;
    }
  _sl_export_dialog_load_presets (self, NULL);
}

/* --- building --- */

static void
watch (SlExportDialog *self,
       gpointer        widget,
       const char     *signal)
{
  g_signal_connect_object (widget, signal, G_CALLBACK (on_row_changed), self, G_CONNECT_SWAPPED);
}

static GtkWidget *
check_row (SlExportDialog *self,
           const char     *title,
           const char     *colour,
           GPtrArray      *checks)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  if (colour != NULL)
    {
      g_autofree char *markup = g_strdup_printf ("<span foreground=\"%s\">●</span>", colour);
      GtkWidget *swatch = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), swatch);
    }
  g_ptr_array_add (checks, check);
  watch (self, check, "notify::active");
  return row;
}

static void
build_dates (SlExportDialog *self,
             GtkWidget      *g)
{
  g_autoptr(GtkStringList) dates = gtk_string_list_new (NULL);

  self->grid_checks = g_ptr_array_new ();
  self->grid_dates_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->grid_dates_row), _("Dates in the Grid"));
  for (guint i = 0; i < g_list_model_get_n_items (self->scenes); i++)
    {
      g_autoptr(SlScene) scene = g_list_model_get_item (self->scenes, i);
      GDateTime *acquired = sl_scene_get_acquired (scene);
      /* Two images of one day differ by their time. */
      g_autofree char *date = acquired != NULL ? g_date_time_format (acquired, "%-d %b %Y, %H:%M") : NULL;
      const char *label = date != NULL ? date : sl_scene_get_label (scene);

      gtk_string_list_append (dates, label != NULL ? label : "");
      adw_expander_row_add_row (self->grid_dates_row, check_row (self, label != NULL ? label : "", NULL, self->grid_checks));
    }
  self->date_a_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_combo_row_set_model (self->date_a_row, G_LIST_MODEL (dates));
  self->date_b_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_combo_row_set_model (self->date_b_row, G_LIST_MODEL (dates));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_b_row), _("Second Date"));
  add (g, self->date_a_row);
  add (g, self->date_b_row);
  add (g, self->grid_dates_row);
  watch (self, self->date_a_row, "notify::selected");
  watch (self, self->date_b_row, "notify::selected");
}

/* The formats shown on one date. */
static GStrv
date_examples (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDateTime) sample = g_date_time_new_utc (2022, 3, 1, 9, 30, 0);

  for (guint i = 0; i < G_N_ELEMENTS (date_formats); i++)
    {
      g_autofree char *text = g_date_time_format (sample, date_formats[i]);

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

void
_sl_export_dialog_build_settings (SlExportDialog *self)
{
  static const char * const area_labels[] = { N_("Current View"), N_("Whole Site"), N_("Drawn Rectangle") };
  static const char * const themes[] = { N_("Light"), N_("Dark") };
  static const char * const animations[] = { N_("Time-Lapse"), N_("Swipe Sweep") };
  const char *format_labels[G_N_ELEMENTS (formats)];
  g_auto(GStrv) examples = date_examples ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *g, *button, *row;

  self->page = page;

  /* Presets */
  g = group (page, _("Preset"));
  self->preset_names = gtk_string_list_new ((const char * const[]) { _("None"), NULL });
  self->preset_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->preset_row), _("Preset"));
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (self->preset_names));
  g_object_unref (self->preset_names);  /* the row holds it */
  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (button, _("Delete Preset"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_delete_preset), self, G_CONNECT_SWAPPED);
  self->delete_preset_button = button;
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->preset_row), button);
  g_signal_connect_object (self->preset_row, "notify::selected", G_CALLBACK (on_preset_selected), self, G_CONNECT_SWAPPED);
  add (g, self->preset_row);
  self->save_preset_row = entry_row (_("Save as Preset"));
  adw_entry_row_set_show_apply_button (self->save_preset_row, TRUE);
  g_signal_connect_object (self->save_preset_row, "apply", G_CALLBACK (on_save_preset), self, G_CONNECT_SWAPPED);
  add (g, self->save_preset_row);

  /* Layout and dates */
  g = group (page, _("Layout"));
  self->layout_row = combo_row (_("Layout"), layout_labels, N_CHOICES, TRUE);
  add (g, self->layout_row);
  watch (self, self->layout_row, "notify::selected");
  build_dates (self, g);
  self->columns_row = spin_row (_("Columns"), NULL, 0, SL_COMPOSITION_MAX_SCENES, 1, 0, &self->columns_spin);
  with_auto (self->columns_spin, 0);
  add (g, self->columns_row);
  self->divider_row = spin_row (_("Divider"), _("Percent of the width or height"), 0, 100, 1, 0, &self->divider_spin);
  add (g, self->divider_row);
  watch (self, self->columns_spin, "value-changed");
  watch (self, self->divider_spin, "value-changed");

  /* Area and size */
  g = group (page, _("Area and Size"));
  self->area_row = combo_row (_("Area"), self->has_view ? area_labels : area_labels + 1, self->has_view ? 3 : 2, TRUE);
  adw_combo_row_set_use_subtitle (self->area_row, FALSE);
  add (g, self->area_row);
  watch (self, self->area_row, "notify::selected");
  self->size_row = combo_row (_("Size"), size_labels, N_SIZES, TRUE);
  add (g, self->size_row);
  watch (self, self->size_row, "notify::selected");
  self->width_row = spin_row (_("Width"), _("Pixels"), 16, SL_COMPOSER_MAX_SIDE * 2, 10, 0, &self->width_spin);
  self->height_row = spin_row (_("Height"), _("Pixels"), 16, SL_COMPOSER_MAX_SIDE * 2, 10, 0, &self->height_spin);
  self->width_mm_row = spin_row (_("Width"), _("Millimetres"), 10, 2000, 1, 0, &self->width_mm_spin);
  self->height_mm_row = spin_row (_("Height"), _("Millimetres"), 10, 2000, 1, 0, &self->height_mm_spin);
  self->dpi_row = spin_row (_("Resolution"), _("Dots per inch"), 72, 1200, 1, 0, &self->dpi_spin);
  gtk_spin_button_set_value (self->width_mm_spin, 180);
  gtk_spin_button_set_value (self->height_mm_spin, 120);
  add (g, self->width_row);
  add (g, self->height_row);
  add (g, self->width_mm_row);
  add (g, self->height_mm_row);
  add (g, self->dpi_row);
  watch (self, self->width_spin, "value-changed");
  watch (self, self->height_spin, "value-changed");
  watch (self, self->width_mm_spin, "value-changed");
  watch (self, self->height_mm_spin, "value-changed");
  watch (self, self->dpi_spin, "value-changed");

  /* Text */
  g = group (page, _("Text"));
  self->title_row = entry_row (_("Title"));
  self->caption_row = entry_row (_("Caption"));
  self->credit_row = entry_row (_("Credit"));
  add (g, self->title_row);
  add (g, self->caption_row);
  add (g, self->credit_row);
  watch (self, self->title_row, "changed");
  watch (self, self->caption_row, "changed");
  watch (self, self->credit_row, "changed");
  self->font_button = gtk_font_button_new ();
  gtk_font_chooser_set_level (GTK_FONT_CHOOSER (self->font_button), GTK_FONT_CHOOSER_LEVEL_FAMILY);
  gtk_font_button_set_use_font (GTK_FONT_BUTTON (self->font_button), TRUE);
  add (g, suffix_row (_("Font"), NULL, self->font_button));
  watch (self, self->font_button, "font-set");
  add (g, switch_row (_("Date Labels"), NULL, &self->dates_switch));
  watch (self, self->dates_switch, "notify::active");
  self->date_format_row = combo_row (_("Date Format"), (const char * const *) examples, G_N_ELEMENTS (date_formats), FALSE);
  self->corner_row = combo_row (_("Date Position"), corner_labels, G_N_ELEMENTS (corner_labels), TRUE);
  add (g, self->date_format_row);
  add (g, self->corner_row);
  watch (self, self->date_format_row, "notify::selected");
  watch (self, self->corner_row, "notify::selected");

  /* Map elements */
  g = group (page, _("Map"));
  add (g, switch_row (_("Scale Bar"), _("For georeferenced sites"), &self->scale_bar_switch));
  add (g, switch_row (_("North Arrow"), _("True north, for georeferenced sites"), &self->north_switch));
  watch (self, self->scale_bar_switch, "notify::active");
  watch (self, self->north_switch, "notify::active");
  self->annotations_row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->annotations_row), _("Annotations"));
  adw_expander_row_set_show_enable_switch (self->annotations_row, TRUE);
  self->class_checks = g_ptr_array_new ();
  for (guint i = 0; i < self->classes->len; i++)
    {
      const SlClass *k = self->classes->pdata[i];

      adw_expander_row_add_row (self->annotations_row, check_row (self, k->name, k->colour, self->class_checks));
    }
  add (g, self->annotations_row);
  watch (self, self->annotations_row, "notify::enable-expansion");

  /* Style */
  g = group (page, _("Style"));
  self->theme_row = combo_row (_("Theme"), themes, G_N_ELEMENTS (themes), TRUE);
  add (g, self->theme_row);
  watch (self, self->theme_row, "notify::selected");
  row = spin_row (_("Margins"), _("Pixels"), -1, 1000, 1, 0, &self->margin_spin);
  with_auto (self->margin_spin, -1);
  add (g, row);
  watch (self, self->margin_spin, "value-changed");
  self->divider_style_group = g = group (page, _("Divider"));
  self->divider_colour_button = gtk_color_button_new ();
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (self->divider_colour_button), TRUE);
  add (g, suffix_row (_("Colour"), NULL, self->divider_colour_button));
  watch (self, self->divider_colour_button, "color-set");
  row = spin_row (_("Width"), _("Pixels"), 0, 64, 1, 0, &self->divider_width_spin);
  with_auto (self->divider_width_spin, 0);
  add (g, row);
  watch (self, self->divider_width_spin, "value-changed");
  add (g, switch_row (_("Handle"), _("A round grip in the middle"), &self->handle_switch));
  watch (self, self->handle_switch, "notify::active");

  /* Format */
  g = group (page, _("Format"));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    format_labels[i] = formats[i].label;
  self->format_row = combo_row (_("Format"), format_labels, G_N_ELEMENTS (formats), TRUE);
  add (g, self->format_row);
  watch (self, self->format_row, "notify::selected");
  self->quality_row = spin_row (_("Quality"), NULL, 1, 100, 1, 0, &self->quality_spin);
  add (g, self->quality_row);
  watch (self, self->quality_spin, "value-changed");
  self->animation_row = combo_row (_("Animation"), animations, G_N_ELEMENTS (animations), TRUE);
  add (g, self->animation_row);
  watch (self, self->animation_row, "notify::selected");
  self->frame_row = spin_row (_("Frame Time"), _("Milliseconds"), 0, 10000, 10, 0, &self->frame_spin);
  with_auto (self->frame_spin, 0);
  add (g, self->frame_row);
  watch (self, self->frame_spin, "value-changed");
}
