/* sl-project-overview.c — the centre of a project window until the compare view arrives
 *
 * With no scene it invites the user to add images; with scenes it says what is loaded:
 * how many dates, over which period, on which site grid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-project-overview"

#include "config.h"

#include <glib/gi18n.h>

#include "sl-project-overview.h"

struct _SlProjectOverview
{
  AdwBin         parent_instance;

  SlProject     *project;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  AdwStatusPage *summary_page;
  GtkFlowBox    *dates_box;
};

G_DEFINE_FINAL_TYPE (SlProjectOverview, sl_project_overview, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* The acquisition times of @scenes (in date order) that start a new calendar day, UTC. */
static GPtrArray *
list_days (GPtrArray *scenes,
           GArray    *counts)
{
  GPtrArray *days = g_ptr_array_new ();

  for (guint i = 0; i < scenes->len; i++)
    {
      GDateTime *acquired = sl_scene_get_acquired (g_ptr_array_index (scenes, i));
      guint one = 1;

      if (acquired == NULL)
        continue;

      if (days->len > 0 && same_day (g_ptr_array_index (days, days->len - 1), acquired))
        {
          if (counts != NULL)
            g_array_index (counts, guint, counts->len - 1)++;
          continue;
        }

      g_ptr_array_add (days, acquired);
      if (counts != NULL)
        g_array_append_val (counts, one);
    }

  return days;
}

static char *
describe_scenes (SlProject *project,
                 GPtrArray *scenes)
{
  g_autofree char *crs = sl_project_dup_crs_name (project);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_scenes = scenes->len;
  guint n_registered = 0;
  guint n_other;

  for (guint i = 0; i < n_scenes; i++)
    if (sl_scene_get_georef (g_ptr_array_index (scenes, i)) == SL_GEOREF_GEOTRANSFORM)
      n_registered++;
  n_other = n_scenes - n_registered;

  if (crs != NULL && *crs != '\0')
    {
      /* Translators: the CRS every scene is drawn in, e.g. "Site grid: WGS 84 / UTM zone 36N" */
      g_string_append_printf (text, _("Site grid: %s"), crs);
      g_string_append_c (text, '\n');
    }

  if (n_other == 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%u scene, georeferenced",
                                               "%u scenes, all georeferenced",
                                               n_scenes),
                            n_scenes);
  else if (n_registered == 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%u scene, not registered yet",
                                               "%u scenes, none registered yet",
                                               n_scenes),
                            n_scenes);
  else
    /* Translators: "4 scenes: 3 georeferenced, 1 not registered" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "%u scene: %u georeferenced, %u not registered",
                                               "%u scenes: %u georeferenced, %u not registered",
                                               n_scenes),
                            n_scenes, n_registered, n_other);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_dates (SlProjectOverview *self,
            GPtrArray         *scenes)
{
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GArray) counts = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->dates_box))) != NULL)
    gtk_flow_box_remove (self->dates_box, child);

  if (scenes == NULL)
    return;

  counts = g_array_new (FALSE, FALSE, sizeof (guint));
  days = list_days (scenes, counts);

  for (guint i = 0; i < days->len; i++)
    {
      guint n = g_array_index (counts, guint, i);
      g_autofree char *date = NULL;
      g_autofree char *text = NULL;
      GtkWidget *label;

      /* Translators: a date chip in the overview, see g_date_time_format() */
      date = g_date_time_format (g_ptr_array_index (days, i), _("%-d %b %Y"));
      /* Translators: a date with several scenes, "21 Feb 2022 · 2" */
      text = n > 1 ? g_strdup_printf (_("%s · %u"), date, n) : g_strdup (date);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (label, "date-chip");
      gtk_widget_add_css_class (label, "numeric");
      gtk_flow_box_append (self->dates_box, label);
    }

  /* Centred lines of chips rather than one narrow column. */
  gtk_flow_box_set_min_children_per_line (self->dates_box, CLAMP (days->len, 1, 4));
}

static void
reload (SlProjectOverview *self)
{
  g_autoptr(GPtrArray) scenes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *description = NULL;

  if (self->project != NULL)
    scenes = sl_project_list_scenes (self->project, &error);

  fill_dates (self, scenes);

  /* The scene list reports the failure in a toast; this page says what it means. */
  if (error != NULL)
    {
      adw_status_page_set_icon_name (self->summary_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->summary_page, _("Cannot Read the Scenes"));
      adw_status_page_set_description (self->summary_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "summary");
      return;
    }

  if (scenes != NULL)
    summary = sl_project_overview_summarize (scenes);

  if (summary == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      adw_status_page_set_title (self->summary_page, "");
      adw_status_page_set_description (self->summary_page, NULL);
      return;
    }

  description = describe_scenes (self->project, scenes);
  adw_status_page_set_icon_name (self->summary_page, "x-office-calendar-symbolic");
  adw_status_page_set_title (self->summary_page, summary);
  adw_status_page_set_description (self->summary_page, description);
  gtk_stack_set_visible_child_name (self->stack, "summary");
}

static void
on_project_changed (SlProjectOverview *self,
                    SlProject         *project)
{
  reload (self);
}

static void
sl_project_overview_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SlProjectOverview *self = SL_PROJECT_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_project_overview_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SlProjectOverview *self = SL_PROJECT_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      sl_project_overview_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_project_overview_dispose (GObject *object)
{
  SlProjectOverview *self = SL_PROJECT_OVERVIEW (object);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);

  g_clear_object (&self->project);

  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself. */
  G_OBJECT_CLASS (sl_project_overview_parent_class)->dispose (object);
}

static void
sl_project_overview_class_init (SlProjectOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sl_project_overview_get_property;
  object_class->set_property = sl_project_overview_set_property;
  object_class->dispose = sl_project_overview_dispose;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         SL_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/sl-project-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, SlProjectOverview, stack);
  gtk_widget_class_bind_template_child (widget_class, SlProjectOverview, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SlProjectOverview, summary_page);
  gtk_widget_class_bind_template_child (widget_class, SlProjectOverview, dates_box);
}

static void
sl_project_overview_init (SlProjectOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  reload (self);
}

GtkWidget *
sl_project_overview_new (void)
{
  return g_object_new (SL_TYPE_PROJECT_OVERVIEW, NULL);
}

SlProject *
sl_project_overview_get_project (SlProjectOverview *self)
{
  g_return_val_if_fail (SL_IS_PROJECT_OVERVIEW (self), NULL);

  return self->project;
}

void
sl_project_overview_set_project (SlProjectOverview *self,
                                 SlProject         *project)
{
  g_return_if_fail (SL_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (project == NULL || SL_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);

  g_set_object (&self->project, project);

  /* The summary names the site grid, which the site's CRS defines. */
  if (project != NULL)
    {
      g_signal_connect_object (project, "scenes-changed",
                               G_CALLBACK (on_project_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (project, "site-changed",
                               G_CALLBACK (on_project_changed), self,
                               G_CONNECT_SWAPPED);
    }

  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

char *
sl_project_overview_summarize (GPtrArray *scenes)
{
  g_autoptr(GPtrArray) days = NULL;
  GDateTime *first;
  GDateTime *last;
  g_autofree char *count = NULL;
  g_autofree char *range = NULL;

  g_return_val_if_fail (scenes != NULL, NULL);

  days = list_days (scenes, NULL);
  if (days->len == 0)
    return NULL;

  first = g_ptr_array_index (days, 0);
  last = g_ptr_array_index (days, days->len - 1);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u date", "%u dates", days->len), days->len);

  if (days->len == 1)
    {
      /* Translators: see g_date_time_format() */
      range = g_date_time_format (first, _("%-d %b %Y"));
    }
  else
    {
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;

      /* Translators: the start of a date range in the same year, see g_date_time_format() */
      if (g_date_time_get_year (first) == g_date_time_get_year (last))
        from = g_date_time_format (first, _("%-d %b"));
      else
        from = g_date_time_format (first, _("%-d %b %Y"));
      to = g_date_time_format (last, _("%-d %b %Y"));
      /* Translators: a date range, "18 Jan – 21 Feb 2022" */
      range = g_strdup_printf (_("%s – %s"), from, to);
    }

  /* Translators: "3 dates · 18 Jan – 21 Feb 2022" */
  return g_strdup_printf (_("%s · %s"), count, range);
}

const char *
_sl_project_overview_get_title (SlProjectOverview *self)
{
  g_return_val_if_fail (SL_IS_PROJECT_OVERVIEW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    return adw_status_page_get_title (self->empty_page);

  return adw_status_page_get_title (self->summary_page);
}
