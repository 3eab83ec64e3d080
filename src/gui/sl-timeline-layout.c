/* sl-timeline-layout.c — SlTimeline: where marks, ticks and labels go, and drawing them
 *
 * The axis maps acquisition time linearly onto the width between two margins. Marks closer
 * than a mark's width are moved apart symmetrically around where they belong (a 1-D
 * "dodge": runs of crowded marks are spaced evenly, centred on their times in the
 * least-squares sense), so scenes of one day stay separate dots. Ticks use the finest step
 * (hours … centuries) whose labels fit side by side; the current and secondary dates are
 * labelled first and tick labels that would touch any label already placed are skipped.
 *
 * Colours come from the style: the foreground colour, and the named colours
 * timeline_current_color / timeline_secondary_color when a stylesheet defines them, else
 * libadwaita's accent colours, so light, dark and high-contrast styles all work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-timeline"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sl-timeline-private.h"

/* Logical pixels. */
#define MARGIN        28   /* from each end of the widget to the first and last time */
#define MARK_RADIUS   4.0
#define HOVER_RADIUS  5.0
#define CURRENT_RADIUS 6.5
#define SECONDARY_RADIUS 6.0
#define MARK_SPACING  11.0 /* centre to centre, at least, while there is room */
#define LABEL_GAP     10.0 /* between two labels of a row */
#define AXIS_TO_LABEL 10.0 /* from the axis to the top of the date labels */
#define TICK_LENGTH   5.0
#define BAR_WIDTH     6.0
#define BAR_TO_MARK   8.5  /* from the axis to the bottom of a totals bar */

typedef enum
{
  UNIT_HOUR,
  UNIT_DAY,
  UNIT_MONTH,
  UNIT_YEAR,
} Unit;

typedef struct
{
  Unit        unit;
  int         n;
  const char *format;        /* g_date_time_format () */
  const char *major_format;  /* for ticks that start a larger unit (midnight), or NULL */
} TickStep;

/* Finest first. */
static const TickStep tick_steps[] = {
  /* Translators: tick labels of the timeline, see g_date_time_format(): "09:00", "14 Mar", "Mar 2022", "2022" */
  { UNIT_HOUR, 1, N_("%H:%M"), N_("%-d %b") },
  { UNIT_HOUR, 3, N_("%H:%M"), N_("%-d %b") },
  { UNIT_HOUR, 6, N_("%H:%M"), N_("%-d %b") },
  { UNIT_HOUR, 12, N_("%H:%M"), N_("%-d %b") },
  { UNIT_DAY, 1, N_("%-d %b"), NULL },
  { UNIT_DAY, 2, N_("%-d %b"), NULL },
  { UNIT_DAY, 7, N_("%-d %b"), NULL },
  { UNIT_DAY, 14, N_("%-d %b"), NULL },
  { UNIT_MONTH, 1, N_("%b %Y"), NULL },
  { UNIT_MONTH, 2, N_("%b %Y"), NULL },
  { UNIT_MONTH, 3, N_("%b %Y"), NULL },
  { UNIT_MONTH, 6, N_("%b %Y"), NULL },
  { UNIT_YEAR, 1, N_("%Y"), NULL },
  { UNIT_YEAR, 2, N_("%Y"), NULL },
  { UNIT_YEAR, 5, N_("%Y"), NULL },
  { UNIT_YEAR, 10, N_("%Y"), NULL },
  { UNIT_YEAR, 25, N_("%Y"), NULL },
  { UNIT_YEAR, 50, N_("%Y"), NULL },
  { UNIT_YEAR, 100, N_("%Y"), NULL },
};

/* GDateTime covers years 1 to 9999. */
#define MIN_TIME G_GINT64_CONSTANT (-62135596800)
#define MAX_TIME G_GINT64_CONSTANT (253402300799)

typedef struct
{
  GdkRGBA fg;
  GdkRGBA axis;
  GdkRGBA tick;
  GdkRGBA label;
  GdkRGBA mark;
  GdkRGBA mark_hover;
  GdkRGBA bar;
  GdkRGBA current;
  GdkRGBA current_text;
  GdkRGBA secondary;
  GdkRGBA focus;
} Palette;

static double
step_seconds (const TickStep *step)
{
  switch (step->unit)
    {
    case UNIT_HOUR:
      return 3600.0 * step->n;
    case UNIT_DAY:
      return 86400.0 * step->n;
    case UNIT_MONTH:
      return 2629746.0 * step->n;  /* a mean Gregorian month */
    case UNIT_YEAR:
    default:
      return 31556952.0 * step->n;
    }
}

/* The tick at or before @t. */
static GDateTime *
tick_floor (const TickStep *step,
            GDateTime      *t)
{
  int year, month, day;

  g_date_time_get_ymd (t, &year, &month, &day);
  switch (step->unit)
    {
    case UNIT_HOUR:
      {
        int hour = g_date_time_get_hour (t);
        return g_date_time_new_utc (year, month, day, hour - hour % step->n, 0, 0);
      }

    case UNIT_DAY:
      {
        g_autoptr(GDateTime) midnight = g_date_time_new_utc (year, month, day, 0, 0, 0);
        gint64 days = g_date_time_to_unix (midnight) / 86400;
        /* Counted from a Monday (1970-01-05), so weekly ticks fall on Mondays. */
        int offset = (int) (((days - 4) % step->n + step->n) % step->n);

        return g_date_time_add_days (midnight, -offset);
      }

    case UNIT_MONTH:
      {
        int index = year * 12 + month - 1;

        index -= index % step->n;
        return g_date_time_new_utc (index / 12, index % 12 + 1, 1, 0, 0, 0);
      }

    case UNIT_YEAR:
    default:
      return g_date_time_new_utc (MAX (1, year - year % step->n), 1, 1, 0, 0, 0);
    }
}

static GDateTime *
tick_next (const TickStep *step,
           GDateTime      *t)
{
  switch (step->unit)
    {
    case UNIT_HOUR:
      return g_date_time_add_hours (t, step->n);
    case UNIT_DAY:
      return g_date_time_add_days (t, step->n);
    case UNIT_MONTH:
      return g_date_time_add_months (t, step->n);
    case UNIT_YEAR:
    default:
      return g_date_time_add_years (t, step->n);
    }
}

static char *
tick_text (const TickStep *step,
           GDateTime      *t)
{
  gboolean major = step->major_format != NULL && g_date_time_get_hour (t) == 0;

  return g_date_time_format (t, _(major ? step->major_format : step->format));
}

static PangoLayout *
make_layout (SlTimeline          *self,
             SlTimelineLabelKind  kind,
             const char          *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (kind == SL_TIMELINE_LABEL_TOTAL)
    {
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_X_SMALL));
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  else
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (kind == SL_TIMELINE_LABEL_CURRENT)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
text_size (SlTimeline          *self,
           SlTimelineLabelKind  kind,
           const char          *text,
           int                 *width,
           int                 *height)
{
  g_autoptr(PangoLayout) layout = make_layout (self, kind, text);

  pango_layout_get_pixel_size (layout, width, height);
}

static gboolean
is_bottom_row (SlTimelineLabelKind kind)
{
  return kind != SL_TIMELINE_LABEL_TOTAL;
}

/* Places a label of @text centred on @anchor in its row, inside the widget, unless it would
 * come closer than LABEL_GAP to a label placed before. TRUE if it was placed. */
static gboolean
place_label (SlTimeline          *self,
             SlTimelineLabelKind  kind,
             const char          *text,
             double               anchor,
             double               y)
{
  SlTimelineLabel label = { kind, NULL, 0, y, 0, 0 };
  int w, h;

  text_size (self, kind, text, &w, &h);
  label.width = w;
  label.height = h;
  label.x = round (CLAMP (anchor - w / 2.0, 2.0, MAX (2.0, self->layout_width - 2.0 - w)));

  for (guint i = 0; i < self->labels->len; i++)
    {
      const SlTimelineLabel *other = &g_array_index (self->labels, SlTimelineLabel, i);

      if (is_bottom_row (other->kind) == is_bottom_row (kind) &&
          label.x < other->x + other->width + LABEL_GAP && other->x < label.x + label.width + LABEL_GAP)
        return FALSE;
    }
  label.text = g_strdup (text);
  g_array_append_val (self->labels, label);
  return TRUE;
}

/* Moves marks apart to at least @spacing, each run of crowded marks evenly spaced and
 * centred on its times, then kept between @left and @right. */
static void
dodge (SlTimelineMark *marks,
       guint           n,
       double          spacing,
       double          left,
       double          right)
{
  typedef struct
  {
    guint  start, count;
    double a;  /* where the group's first mark goes */
  } Group;
  g_autofree Group *groups = g_new (Group, n);
  guint n_groups = 0;

  for (guint i = 0; i < n; i++)
    {
      groups[n_groups++] = (Group) { i, 1, marks[i].x };
      /* Merge while the last group runs into the one before it. */
      while (n_groups > 1)
        {
          Group *g1 = &groups[n_groups - 2], *g2 = &groups[n_groups - 1];

          if (g1->a + spacing * g1->count <= g2->a + 1e-9)
            break;
          g1->a = (g1->count * g1->a + g2->count * (g2->a - spacing * g1->count)) / (g1->count + g2->count);
          g1->count += g2->count;
          n_groups--;
        }
    }
  for (guint k = 0; k < n_groups; k++)
    for (guint j = 0; j < groups[k].count; j++)
      marks[groups[k].start + j].mx = groups[k].a + spacing * j;

  /* Runs at the ends may stick out: push them back in, keeping the spacing. */
  for (guint i = 0; i < n; i++)
    marks[i].mx = MAX (marks[i].mx, i == 0 ? left : marks[i - 1].mx + spacing);
  for (guint i = n; i-- > 0;)
    marks[i].mx = MIN (marks[i].mx, i == n - 1 ? right : marks[i + 1].mx - spacing);
}

static gboolean
has_totals (SlTimeline *self)
{
  return self->totals != NULL && g_hash_table_size (self->totals) > 0;
}

static guint
get_total (SlTimeline *self,
           gint64      scene_id)
{
  return self->totals != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->totals, &scene_id)) : 0;
}

static void
layout_ticks (SlTimeline *self,
              double      label_y)
{
  SlTimelineMark *first = &g_array_index (self->marks, SlTimelineMark, 0);
  SlTimelineMark *last = &g_array_index (self->marks, SlTimelineMark, self->marks->len - 1);
  double t0 = (double) first->time, t1 = (double) last->time;
  double px_per_second, t_left, t_right;
  const TickStep *step = NULL;
  g_autoptr(GDateTime) sample = NULL;
  g_autoptr(GDateTime) t = NULL;

  if (t1 <= t0)
    return;

  px_per_second = (self->axis_x1 - self->axis_x0) / (t1 - t0);
  /* Ticks also run into the margins. */
  t_left = CLAMP (t0 - self->axis_x0 / px_per_second, (double) MIN_TIME, (double) MAX_TIME);
  t_right = CLAMP (t1 + (self->layout_width - self->axis_x1) / px_per_second, (double) MIN_TIME, (double) MAX_TIME);
  sample = g_date_time_new_from_unix_utc (first->time);

  /* The finest step whose labels fit between ticks ("28 Sep" is about the widest day). */
  self->tick_step = G_N_ELEMENTS (tick_steps) - 1;
  for (guint i = 0; i < G_N_ELEMENTS (tick_steps); i++)
    {
      g_autoptr(GDateTime) wide = g_date_time_new_utc (g_date_time_get_year (sample), 9, 28, 23, 58, 0);
      g_autofree char *text = g_date_time_format (wide, _(tick_steps[i].format));
      int w, h;

      text_size (self, SL_TIMELINE_LABEL_TICK, text, &w, &h);
      if (step_seconds (&tick_steps[i]) * px_per_second >= w + 2 * LABEL_GAP)
        {
          self->tick_step = (int) i;
          break;
        }
    }
  step = &tick_steps[self->tick_step];

  {
    g_autoptr(GDateTime) left = g_date_time_new_from_unix_utc ((gint64) floor (t_left));
    t = tick_floor (step, left);
  }
  while (t != NULL && (double) g_date_time_to_unix (t) <= t_right)
    {
      double x = self->axis_x0 + ((double) g_date_time_to_unix (t) - t0) * px_per_second;
      GDateTime *next;

      if (x >= 0 && x <= self->layout_width)
        {
          g_autofree char *text = tick_text (step, t);

          g_array_append_val (self->ticks, x);
          place_label (self, SL_TIMELINE_LABEL_TICK, text, x, label_y);
        }
      next = tick_next (step, t);
      g_date_time_unref (t);
      t = next;
    }
}

static void
layout_totals (SlTimeline *self)
{
  int current = _sl_timeline_find_mark (self, self->current);
  g_autoptr(PangoLayout) digits = NULL;
  PangoRectangle ink;
  double y;

  if (!has_totals (self))
    return;

  /* The numbers' ink (not their line box) starts 2 px from the top; bars fill the rest. */
  digits = make_layout (self, SL_TIMELINE_LABEL_TOTAL, "0123456789");
  pango_layout_get_pixel_extents (digits, &ink, NULL);
  y = 2 - ink.y;
  self->bars_top = 2 + ink.height + 2;

  /* The current date's number first, then left to right where they fit. */
  for (int k = -1; k < (int) self->marks->len; k++)
    {
      int i = k < 0 ? current : k;
      SlTimelineMark *m;
      guint count;
      g_autofree char *text = NULL;

      if (i < 0 || (k >= 0 && i == current))
        continue;
      m = &g_array_index (self->marks, SlTimelineMark, i);
      count = get_total (self, m->scene_id);
      if (count == 0)
        continue;
      text = g_strdup_printf ("%u", count);
      place_label (self, SL_TIMELINE_LABEL_TOTAL, text, m->mx, y);
    }
}

void
_sl_timeline_clear_labels (SlTimeline *self)
{
  /* The array's clear function frees the texts. */
  g_array_set_size (self->labels, 0);
  g_array_set_size (self->ticks, 0);
}

void
_sl_timeline_invalidate_layout (SlTimeline *self)
{
  self->layout_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

char *
_sl_timeline_format_mark_date (SlTimeline *self,
                               guint       index)
{
  SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, index);
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (m->time);
  gboolean shared = FALSE;

  /* Another scene the same day: the time tells them apart. */
  for (int d = -1; d <= 1; d += 2)
    {
      int j = (int) index + d;

      if (j >= 0 && j < (int) self->marks->len)
        {
          g_autoptr(GDateTime) other = g_date_time_new_from_unix_utc (g_array_index (self->marks, SlTimelineMark, j).time);
          shared |= g_date_time_get_year (other) == g_date_time_get_year (t) &&
                    g_date_time_get_day_of_year (other) == g_date_time_get_day_of_year (t);
        }
    }
  /* Translators: the current date on the timeline, see g_date_time_format(): "14 Mar 2022", "14 Mar 2022 09:41" */
  return g_date_time_format (t, shared ? _("%-d %b %Y %H:%M") : _("%-d %b %Y"));
}

void
_sl_timeline_ensure_layout (SlTimeline *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint n = self->marks->len;
  int current, secondary, lw, lh;
  double label_y;

  if (self->layout_valid && width == self->layout_width && height == self->layout_height)
    return;
  _sl_timeline_clear_labels (self);
  self->layout_width = width;
  self->layout_height = height;
  self->layout_valid = TRUE;
  if (width <= 0 || height <= 0 || n == 0)
    return;

  /* Rows, bottom up: date labels, the axis with its marks, totals (bars, then numbers). */
  text_size (self, SL_TIMELINE_LABEL_TICK, "0", &lw, &lh);
  if (has_totals (self))
    self->axis_y = height - 1 - lh - AXIS_TO_LABEL;
  else
    self->axis_y = floor ((height - (CURRENT_RADIUS + AXIS_TO_LABEL + lh)) / 2 + CURRENT_RADIUS);
  self->axis_y = floor (self->axis_y) + 0.5;
  label_y = floor (self->axis_y + AXIS_TO_LABEL);

  self->axis_x0 = MIN (MARGIN, width / 2.0);
  self->axis_x1 = MAX (width - MARGIN, width / 2.0);
  {
    gint64 t0 = g_array_index (self->marks, SlTimelineMark, 0).time;
    gint64 t1 = g_array_index (self->marks, SlTimelineMark, n - 1).time;

    for (guint i = 0; i < n; i++)
      {
        SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, i);

        /* One date (or all at one time): the middle. */
        m->x = t1 > t0 ? self->axis_x0 + (double) (m->time - t0) / (double) (t1 - t0) * (self->axis_x1 - self->axis_x0)
                       : width / 2.0;
      }
  }
  self->spacing = n > 1 ? MIN (MARK_SPACING, (self->axis_x1 - self->axis_x0) / (n - 1)) : MARK_SPACING;
  dodge ((SlTimelineMark *) (void *) self->marks->data, n, self->spacing, self->axis_x0, self->axis_x1);

  /* Date labels first: they win over ticks. */
  current = _sl_timeline_find_mark (self, self->current);
  secondary = _sl_timeline_find_mark (self, self->secondary);
  if (current >= 0)
    {
      g_autofree char *text = _sl_timeline_format_mark_date (self, current);
      place_label (self, SL_TIMELINE_LABEL_CURRENT, text,
                   g_array_index (self->marks, SlTimelineMark, current).mx, label_y);
    }
  if (secondary >= 0 && secondary != current)
    {
      g_autofree char *text = _sl_timeline_format_mark_date (self, secondary);
      place_label (self, SL_TIMELINE_LABEL_SECONDARY, text,
                   g_array_index (self->marks, SlTimelineMark, secondary).mx, label_y);
    }
  if (n == 1 && current < 0 && secondary < 0)
    {
      g_autofree char *text = _sl_timeline_format_mark_date (self, 0);
      place_label (self, SL_TIMELINE_LABEL_DATE, text, g_array_index (self->marks, SlTimelineMark, 0).mx, label_y);
    }
  layout_ticks (self, label_y);
  layout_totals (self);
}

/* --- drawing --- */

static void
with_alpha (GdkRGBA       *out,
            const GdkRGBA *color,
            float          alpha)
{
  *out = *color;
  out->alpha *= alpha;
}

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback_name,
              const GdkRGBA   *fallback,
              GdkRGBA         *out)
{
  if (gtk_style_context_lookup_color (context, name, out))
    return;
  if (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, out))
    return;
  *out = *fallback;
}

static void
get_palette (GtkWidget *widget,
             Palette   *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  /* GNOME's blue, for a style without libadwaita's named colours. */
  const GdkRGBA blue = { 0.208f, 0.518f, 0.894f, 1.0f };

  gtk_style_context_get_color (context, &p->fg);
  lookup_color (context, "timeline_current_color", "accent_bg_color", &blue, &p->current);
  lookup_color (context, "timeline_current_text_color", "accent_color", &p->current, &p->current_text);
  lookup_color (context, "timeline_secondary_color", NULL, &p->fg, &p->secondary);
  with_alpha (&p->axis, &p->fg, 0.18f);
  with_alpha (&p->tick, &p->fg, 0.35f);
  with_alpha (&p->label, &p->fg, 0.6f);
  with_alpha (&p->mark, &p->fg, 0.5f);
  with_alpha (&p->mark_hover, &p->fg, 0.85f);
  with_alpha (&p->bar, &p->fg, 0.3f);
  with_alpha (&p->focus, &p->current_text, 0.5f);
}

static void
append_circle (GtkSnapshot   *snapshot,
               double         cx,
               double         cy,
               double         r,
               const GdkRGBA *color)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r);
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, &rect, r);
  gtk_snapshot_push_rounded_clip (snapshot, &rounded);
  gtk_snapshot_append_color (snapshot, color, &rect);
  gtk_snapshot_pop (snapshot);
}

static void
append_ring (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             double         r,
             float          width,
             const GdkRGBA *color)
{
  graphene_rect_t rect = GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r);
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };
  GskRoundedRect rounded;

  gsk_rounded_rect_init_from_rect (&rounded, &rect, r);
  gtk_snapshot_append_border (snapshot, &rounded, widths, colors);
}

/* @x on a device pixel's centre line, for 1-pixel lines that stay sharp. */
static double
crisp (double x,
       int    scale)
{
  return (floor (x * scale) + 0.5) / scale;
}

static void
draw_totals (SlTimeline    *self,
             GtkSnapshot   *snapshot,
             const Palette *p)
{
  double bottom = self->axis_y - BAR_TO_MARK;
  double max_height = MAX (2.0, bottom - self->bars_top);
  guint max_count = 0;

  for (guint i = 0; i < self->marks->len; i++)
    max_count = MAX (max_count, get_total (self, g_array_index (self->marks, SlTimelineMark, i).scene_id));
  if (max_count == 0)
    return;

  for (guint i = 0; i < self->marks->len; i++)
    {
      SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, i);
      guint count = get_total (self, m->scene_id);
      double h = MAX (1.0, round (max_height * count / max_count));

      graphene_rect_t rect;
      GskRoundedRect rounded;
      graphene_size_t corner, square = { 0, 0 };

      if (count == 0)
        continue;
      /* Rounded at the top only: it stands on the axis's side. */
      rect = GRAPHENE_RECT_INIT (round (m->mx - BAR_WIDTH / 2), bottom - h, BAR_WIDTH, h);
      corner = (graphene_size_t) { MIN (2.0f, (float) h / 2), MIN (2.0f, (float) h / 2) };
      gsk_rounded_rect_init (&rounded, &rect, &corner, &corner, &square, &square);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, m->scene_id == self->current ? &p->current : &p->bar, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

static void
draw_labels (SlTimeline    *self,
             GtkSnapshot   *snapshot,
             const Palette *p)
{
  for (guint i = 0; i < self->labels->len; i++)
    {
      const SlTimelineLabel *label = &g_array_index (self->labels, SlTimelineLabel, i);
      g_autoptr(PangoLayout) layout = make_layout (self, label->kind, label->text);
      const GdkRGBA *color;

      switch (label->kind)
        {
        case SL_TIMELINE_LABEL_CURRENT:
          color = &p->current_text;
          break;
        case SL_TIMELINE_LABEL_SECONDARY:
        case SL_TIMELINE_LABEL_DATE:
          color = &p->fg;
          break;
        case SL_TIMELINE_LABEL_TOTAL:
        case SL_TIMELINE_LABEL_TICK:
        default:
          color = &p->label;
          break;
        }
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (label->x, label->y));
      gtk_snapshot_append_layout (snapshot, layout, color);
      gtk_snapshot_restore (snapshot);
    }
}

void
_sl_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  SlTimeline *self = SL_TIMELINE (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int current, secondary;
  Palette p;

  _sl_timeline_ensure_layout (self);
  if (self->marks->len == 0 || self->layout_width <= 0)
    return;
  get_palette (widget, &p);
  current = _sl_timeline_find_mark (self, self->current);
  secondary = _sl_timeline_find_mark (self, self->secondary);

  /* The axis, and ticks hanging from it. */
  gtk_snapshot_append_color (snapshot, &p.axis,
                             &GRAPHENE_RECT_INIT (self->axis_x0 - MARGIN / 2.0, self->axis_y - 0.5,
                                                  self->axis_x1 - self->axis_x0 + MARGIN, 1));
  for (guint i = 0; i < self->ticks->len; i++)
    {
      double x = crisp (g_array_index (self->ticks, double, i), scale);
      gtk_snapshot_append_color (snapshot, &p.tick,
                                 &GRAPHENE_RECT_INIT (x - 0.5, self->axis_y, 1, TICK_LENGTH));
    }

  if (has_totals (self))
    draw_totals (self, snapshot, &p);

  for (guint i = 0; i < self->marks->len; i++)
    {
      SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, i);
      gboolean hovered = m->scene_id == self->hovered;

      if ((int) i == current || (int) i == secondary)
        continue;
      append_circle (snapshot, m->mx, self->axis_y, hovered ? HOVER_RADIUS : MARK_RADIUS,
                     hovered ? &p.mark_hover : &p.mark);
    }
  if (secondary >= 0 && secondary != current)
    {
      SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, secondary);
      append_ring (snapshot, m->mx, self->axis_y, SECONDARY_RADIUS, 2.0f, &p.secondary);
    }
  if (current >= 0)
    {
      SlTimelineMark *m = &g_array_index (self->marks, SlTimelineMark, current);

      append_circle (snapshot, m->mx, self->axis_y, CURRENT_RADIUS, &p.current);
      /* Also the secondary date (one scene against itself): ringed. */
      if (current == secondary)
        append_ring (snapshot, m->mx, self->axis_y, CURRENT_RADIUS + 3, 1.5f, &p.secondary);
      if (gtk_widget_has_visible_focus (widget))
        append_ring (snapshot, m->mx, self->axis_y, CURRENT_RADIUS + 4, 2.0f, &p.focus);
    }

  draw_labels (self, snapshot, &p);
}
