/* sl-demo-objects.c — what stands on the demo site: vehicles, tents, farm buildings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Units park in groups along the tracks: a row at the treeline, a vehicle park in
 * a field, trucks in the farmyard. Each group arrives on a given date and stays,
 * so an object keeps its id (and, give or take a few metres, its place) from the
 * date it appears. Everything is drawn from above with a shadow cast away from
 * the low winter sun.
 */
#define G_LOG_DOMAIN "sl-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-demo-private.h"

/* --- tracks ------------------------------------------------------------------ */

static const double track_edge[] = {
  842, 215, 700, 222, 600, 236, 520, 252, 440, 262, 360, 266, 280, 270, 205, 282,
  180, 300, 178, 420, 185, 560, 175, 720, 160, 880, 140, 1064,
};
static const double track_field[] = { 858, 505, 640, 500, 430, 497, 182, 492 };
static const double track_farm[] = {
  868, 790, 760, 722, 620, 688, 460, 684, 300, 690, 178, 700,
};
static const double track_ride[] = { 470, 262, 476, 150, 466, -40 };
static const double track_park[] = { 330, 497, 338, 450, 352, 400 };
static const double track_south[] = { 580, 687, 590, 730, 612, 790 };
static const double track_yard[] = { 866, 806, 905, 812 };

enum { TRACK_EDGE, TRACK_FIELD, TRACK_FARM, TRACK_RIDE, TRACK_PARK, TRACK_SOUTH, TRACK_YARD };

#define TRACK(a) a, G_N_ELEMENTS (a) / 2

static const SlDemoTrack tracks[] = {
  { TRACK (track_edge), 0, { 0.45, 0.70, 0.95 } },
  { TRACK (track_field), 0, { 0.25, 0.55, 0.85 } },
  { TRACK (track_farm), 0, { 0.20, 0.30, 0.80 } },
  { TRACK (track_ride), 0, { 0.12, 0.30, 0.45 } },
  { TRACK (track_park), 1, { 0.00, 0.45, 0.75 } },
  { TRACK (track_south), 2, { 0.00, 0.00, 0.60 } },
  { TRACK (track_yard), 0, { 0.50, 0.60, 0.70 } },
};

const SlDemoTrack *
_sl_demo_get_tracks (guint *n_tracks)
{
  *n_tracks = G_N_ELEMENTS (tracks);
  return tracks;
}

/* --- classes ----------------------------------------------------------------- */

static const struct
{
  const char *name;
  double      length, width, height;
} classes[SL_DEMO_N_CLASSES] = {
  [SL_DEMO_TANK] = { "tank", 7.0, 3.6, 2.2 },
  [SL_DEMO_IFV_APC] = { "ifv_apc", 6.7, 3.2, 2.1 },
  [SL_DEMO_SP_ARTILLERY] = { "sp_artillery", 7.2, 3.6, 3.0 },
  [SL_DEMO_TRUCK] = { "truck", 8.0, 2.5, 2.9 },
  [SL_DEMO_TENT] = { "tent", 5.0, 5.0, 2.0 },
};

const char *
_sl_demo_class_name (SlDemoClass klass)
{
  g_assert (klass < SL_DEMO_N_CLASSES);
  return classes[klass].name;
}

void
_sl_demo_class_size (SlDemoClass  klass,
                     double      *length,
                     double      *width)
{
  g_assert (klass < SL_DEMO_N_CLASSES);
  *length = classes[klass].length;
  *width = classes[klass].width;
}

/* --- farm buildings ---------------------------------------------------------- */

typedef struct
{
  double cx, cy, length, width, angle_deg, height;
  int    roof;    /* 0 grey asbestos-cement, 1 rusty iron, 2 black silage sheet */
} Building;

static const Building buildings[] = {
  { 934, 758, 64, 14, 98, 7.0, 0 },
  { 939, 797, 64, 14, 98, 7.0, 1 },
  { 944, 836, 48, 12, 98, 6.0, 0 },
  { 993, 728, 30, 11, 98, 2.5, 2 },
  { 896, 742, 9, 7, 8, 5.0, 1 },
  { 902, 884, 11, 8, 98, 5.5, 0 },
  { 921, 886, 8, 6, 98, 4.5, 1 },
};

/* --- geometry helpers -------------------------------------------------------- */

/* Corners of a rectangle centred at (cx, cy) whose length points along @heading. */
static void
box_corners (double cx,
             double cy,
             double length,
             double width,
             double heading,
             double corners[8])
{
  double fx = sin (heading), fy = -cos (heading);   /* forward */
  double rx = cos (heading), ry = sin (heading);    /* right */
  static const double sign[4][2] = { { 1, -1 }, { 1, 1 }, { -1, 1 }, { -1, -1 } };

  for (int i = 0; i < 4; i++)
    {
      corners[2 * i] = cx + sign[i][0] * fx * length / 2 + sign[i][1] * rx * width / 2;
      corners[2 * i + 1] = cy + sign[i][0] * fy * length / 2 + sign[i][1] * ry * width / 2;
    }
}

void
_sl_demo_object_footprint (const SlDemoObject *object,
                           guint               date,
                           double              corners[8])
{
  g_assert (date < SL_DEMO_N_DATES);
  box_corners (object->x[date], object->y[date], classes[object->klass].length,
               classes[object->klass].width, object->heading[date], corners);
}

/* Separating-axis test for two convex quads, with @gap metres of clearance. */
static gboolean
quads_overlap (const double a[8],
               const double b[8],
               double       gap)
{
  const double *quads[2] = { a, b };

  for (int q = 0; q < 2; q++)
    for (int e = 0; e < 4; e++)
      {
        const double *p = quads[q];
        double nx = -(p[(2 * e + 3) % 8] - p[2 * e + 1]);
        double ny = p[(2 * e + 2) % 8] - p[2 * e];
        double len = hypot (nx, ny), amin = G_MAXDOUBLE, amax = -G_MAXDOUBLE;
        double bmin = G_MAXDOUBLE, bmax = -G_MAXDOUBLE;

        for (int i = 0; i < 4; i++)
          {
            double pa = (a[2 * i] * nx + a[2 * i + 1] * ny) / len;
            double pb = (b[2 * i] * nx + b[2 * i + 1] * ny) / len;

            amin = MIN (amin, pa);
            amax = MAX (amax, pa);
            bmin = MIN (bmin, pb);
            bmax = MAX (bmax, pb);
          }
        if (amax + gap < bmin || bmax + gap < amin)
          return FALSE;
      }
  return TRUE;
}

/* The point at arc length @s along a track, its direction and the nearest
 * point to (px, py). */
static void
track_point (const SlDemoTrack *t,
             double             s,
             double            *x,
             double            *y,
             double            *heading)
{
  for (guint i = 0; i + 1 < t->n_points; i++)
    {
      double ax = t->xy[2 * i], ay = t->xy[2 * i + 1];
      double bx = t->xy[2 * i + 2], by = t->xy[2 * i + 3];
      double len = hypot (bx - ax, by - ay);

      if (s <= len || i + 2 == t->n_points)
        {
          *x = ax + (bx - ax) * s / len;
          *y = ay + (by - ay) * s / len;
          *heading = atan2 (bx - ax, -(by - ay));
          return;
        }
      s -= len;
    }
  g_assert_not_reached ();
}

static void
track_nearest (const SlDemoTrack *t,
               double             px,
               double             py,
               double            *x,
               double            *y)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i + 1 < t->n_points; i++)
    {
      double ax = t->xy[2 * i], ay = t->xy[2 * i + 1];
      double dx = t->xy[2 * i + 2] - ax, dy = t->xy[2 * i + 3] - ay;
      double u = CLAMP (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
      double qx = ax + u * dx, qy = ay + u * dy, d = hypot (px - qx, py - qy);

      if (d < best)
        {
          best = d;
          *x = qx;
          *y = qy;
        }
    }
}

/* --- placement --------------------------------------------------------------- */

/* A group of objects arriving together. Along a track (track >= 0: slots at arc
 * length s0 + k·spacing, @offset metres to the right of the direction of travel,
 * further rows @row_step further right) or on a grid from (x0, y0) whose slots
 * advance along compass @dir_deg and whose rows step to its right. */
typedef struct
{
  guint       first_date;
  int         track;
  double      s0, offset;
  double      x0, y0, dir_deg;
  double      spacing, row_step;
  guint       per_row;
  double      heading_deg;   /* relative to the track, or absolute on a grid */
  int         access;        /* track it drove in from */
  const char *classes;       /* T tank, I IFV/APC, S SP artillery, K truck, N tent */
} Group;

static const Group groups[] = {
  /* 18 Jan: a company at the treeline, its trucks and tents. */
  { 0, TRACK_EDGE, 300, 17, 0, 0, 0, 17, 0, 99, 90, TRACK_EDGE, "TTITITTI" },
  { 0, TRACK_EDGE, 150, 12, 0, 0, 0, 15, 0, 99, 0, TRACK_EDGE, "KK" },
  { 0, TRACK_EDGE, 155, -22, 0, 0, 0, 9, 0, 99, 0, TRACK_EDGE, "NN" },
  /* 6 Feb: the treeline fills, a vehicle park in the field, tents, supply trucks. */
  { 1, TRACK_EDGE, 440, 17, 0, 0, 0, 17, 0, 99, 90, TRACK_EDGE, "TITT" },
  { 1, TRACK_EDGE, 320, -17, 0, 0, 0, 19, 0, 99, -90, TRACK_EDGE, "IIITIIIT" },
  { 1, -1, 0, 0, 314, 458, 270, 14, -17, 4, 0, TRACK_PARK, "SSSSKKKKIIII" },
  { 1, -1, 0, 0, 218, 545, 180, 9, 0, 99, 90, TRACK_EDGE, "NNNNN" },
  { 1, TRACK_FIELD, 55, 10, 0, 0, 0, 16, 0, 99, 0, TRACK_FIELD, "KKKK" },
  /* 21 Feb: a battalion group. */
  { 2, -1, 0, 0, 372, 458, 90, 14, 17, 5, 0, TRACK_PARK, "TTTTTTTTTT" },
  { 2, TRACK_FARM, 300, -15, 0, 0, 0, 17, -16, 8, -90, TRACK_FARM, "TTIITTIITIITTIIT" },
  { 2, -1, 0, 0, 722, 548, 180, 15, 0, 99, 250, TRACK_FIELD, "SSSSSS" },
  { 2, -1, 0, 0, 902, 863, 98, 5.2, 11, 5, 8, TRACK_YARD, "KKKKKKKKKK" },
  { 2, -1, 0, 0, 236, 628, 90, 10, -10, 4, 0, TRACK_FIELD, "NNNNNNNN" },
  { 2, TRACK_EDGE, 480, -17, 0, 0, 0, 17, 0, 99, -90, TRACK_EDGE, "IITIIITI" },
  { 2, TRACK_FIELD, 140, -11, 0, 0, 0, 15, 0, 99, 0, TRACK_FIELD, "KKKKKKK" },
};

static SlDemoClass
class_of (char c)
{
  switch (c)
    {
    case 'T': return SL_DEMO_TANK;
    case 'I': return SL_DEMO_IFV_APC;
    case 'S': return SL_DEMO_SP_ARTILLERY;
    case 'K': return SL_DEMO_TRUCK;
    case 'N': return SL_DEMO_TENT;
    default: g_assert_not_reached ();
    }
  return SL_DEMO_TANK;
}

static gboolean
fits (SlDemoWorld        *world,
      const SlDemoObject *objects,
      guint               n,
      const SlDemoObject *candidate,
      guint               date)
{
  double fp[8], other[8];

  _sl_demo_object_footprint (candidate, date, fp);
  for (int i = 0; i < 4; i++)
    {
      double x = fp[2 * i], y = fp[2 * i + 1];

      if (x < 16 || y < 16 || x > SL_DEMO_EXTENT_M - 16 || y > SL_DEMO_EXTENT_M - 16
          || _sl_demo_world_forest_at (world, x, y) > 0.35
          || _sl_demo_world_road_at (world, x, y) < 6.5)
        return FALSE;
    }
  for (guint b = 0; b < G_N_ELEMENTS (buildings); b++)
    {
      const Building *bu = &buildings[b];

      box_corners (bu->cx, bu->cy, bu->length, bu->width, bu->angle_deg * G_PI / 180, other);
      if (quads_overlap (fp, other, 1.5))
        return FALSE;
    }
  for (guint o = 0; o < n; o++)
    {
      if (objects[o].first_date > date || &objects[o] == candidate)
        continue;
      _sl_demo_object_footprint (&objects[o], date, other);
      if (quads_overlap (fp, other, 1.2))
        return FALSE;
    }
  return TRUE;
}

guint
_sl_demo_place_objects (SlDemoWorld  *world,
                        SlDemoObject *objects,
                        guint         max)
{
  guint64 rng = 0x5175A95E0DE110ULL;
  guint n = 0;

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      const Group *gr = &groups[g];
      guint want = strlen (gr->classes), placed = 0;

      for (guint slot = 0; placed < want && slot < want * 3; slot++)
        {
          guint col = gr->per_row ? slot % gr->per_row : slot;
          guint row = gr->per_row ? slot / gr->per_row : 0;
          SlDemoObject *ob = &objects[n];
          double x, y, heading;

          g_assert (n < max);
          if (gr->track >= 0)
            {
              double tx, ty, th;

              track_point (&tracks[gr->track], gr->s0 + col * gr->spacing, &tx, &ty, &th);
              x = tx + cos (th) * (gr->offset + row * gr->row_step);
              y = ty + sin (th) * (gr->offset + row * gr->row_step);
              heading = th + gr->heading_deg * G_PI / 180;
            }
          else
            {
              double dir = gr->dir_deg * G_PI / 180;

              x = gr->x0 + sin (dir) * col * gr->spacing + cos (dir) * row * gr->row_step;
              y = gr->y0 - cos (dir) * col * gr->spacing + sin (dir) * row * gr->row_step;
              heading = gr->heading_deg * G_PI / 180;
            }

          ob->id = n + 1;
          ob->klass = class_of (gr->classes[placed]);
          ob->first_date = gr->first_date;
          ob->tone = 2 * _sl_demo_uniform (&rng) - 1;
          x += (_sl_demo_uniform (&rng) - 0.5) * 1.6;
          y += (_sl_demo_uniform (&rng) - 0.5) * 1.6;
          heading += (_sl_demo_uniform (&rng) - 0.5) * (ob->klass == SL_DEMO_TENT ? 0.05 : 0.16);
          for (guint d = 0; d < SL_DEMO_N_DATES; d++)
            {
              ob->x[d] = x;
              ob->y[d] = y;
              ob->heading[d] = fmod (heading + 4 * G_PI, 2 * G_PI);
            }
          track_nearest (&tracks[gr->access], x, y, &ob->access_x, &ob->access_y);

          if (!fits (world, objects, n, ob, gr->first_date))
            continue;

          /* Crews re-park: now and then a vehicle has moved a few metres. */
          for (guint d = gr->first_date + 1; d < SL_DEMO_N_DATES; d++)
            {
              double step = (_sl_demo_uniform (&rng) - 0.5) * 5;
              double turn = (_sl_demo_uniform (&rng) - 0.5) * 0.2;
              gboolean moves = _sl_demo_uniform (&rng) < 0.35 && ob->klass != SL_DEMO_TENT;

              ob->x[d] = ob->x[d - 1];
              ob->y[d] = ob->y[d - 1];
              ob->heading[d] = ob->heading[d - 1];
              if (!moves)
                continue;
              ob->x[d] += sin (ob->heading[d]) * step;
              ob->y[d] -= cos (ob->heading[d]) * step;
              ob->heading[d] = fmod (ob->heading[d] + turn + 2 * G_PI, 2 * G_PI);
              if (!fits (world, objects, n, ob, d))
                {
                  ob->x[d] = ob->x[d - 1];
                  ob->y[d] = ob->y[d - 1];
                  ob->heading[d] = ob->heading[d - 1];
                }
            }
          n++;
          placed++;
        }
      g_assert (placed == want);
    }
  /* Later arrivals must also leave room for the re-parked earlier ones. */
  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    for (guint o = 0; o < n; o++)
      g_assert (objects[o].first_date > d || fits (world, objects, n, &objects[o], d));
  return n;
}

/* --- drawing ----------------------------------------------------------------- */

typedef struct
{
  cairo_t *cr;
  double   sun_x, sun_y;   /* horizontal unit vector towards the sun */
  double   cot;            /* shadow length per metre of height */
  double   pixel;          /* metres per device pixel */
  guint    date;
} Painter;

static void
path_poly (cairo_t      *cr,
           const double *xy,
           guint         n,
           double        dx,
           double        dy)
{
  cairo_move_to (cr, xy[0] + dx, xy[1] + dy);
  for (guint i = 1; i < n; i++)
    cairo_line_to (cr, xy[2 * i] + dx, xy[2 * i + 1] + dy);
  cairo_close_path (cr);
}

/* The shadow of a prism over @xy between heights @h0 and @h1: the polygon swept
 * along the shadow direction. Filled opaque into the shadow group. */
static void
cast_shadow (Painter      *pa,
             const double *xy,
             guint         n,
             double        h0,
             double        h1)
{
  cairo_t *cr = pa->cr;
  double ax = -pa->sun_x * pa->cot, ay = -pa->sun_y * pa->cot;

  path_poly (cr, xy, n, ax * h1, ay * h1);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    {
      guint j = (i + 1) % n;

      cairo_move_to (cr, xy[2 * i] + ax * h0, xy[2 * i + 1] + ay * h0);
      cairo_line_to (cr, xy[2 * j] + ax * h0, xy[2 * j + 1] + ay * h0);
      cairo_line_to (cr, xy[2 * j] + ax * h1, xy[2 * j + 1] + ay * h1);
      cairo_line_to (cr, xy[2 * i] + ax * h1, xy[2 * i + 1] + ay * h1);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

/* A local box (x forward from x0 to x1, y right from y0 to y1) in world corners. */
static void
local_box (const double  frame[4],
           double        x0,
           double        y0,
           double        x1,
           double        y1,
           double        out[8])
{
  const double lx[4] = { x1, x1, x0, x0 }, ly[4] = { y0, y1, y1, y0 };

  for (int i = 0; i < 4; i++)
    {
      out[2 * i] = frame[0] + lx[i] * frame[2] + ly[i] * -frame[3];
      out[2 * i + 1] = frame[1] + lx[i] * frame[3] + ly[i] * frame[2];
    }
}

static void
set_rgb (cairo_t *cr,
         double   r,
         double   g,
         double   b,
         double   k)
{
  cairo_set_source_rgb (cr, CLAMP (r * k, 0.0, 1.0), CLAMP (g * k, 0.0, 1.0), CLAMP (b * k, 0.0, 1.0));
}

/* A flat-topped box: fill, then light the edges facing the sun, darken the others. */
static void
draw_box (Painter      *pa,
          const double  q[8],
          double        r,
          double        g,
          double        b)
{
  cairo_t *cr = pa->cr;
  double lw = MAX (0.18, pa->pixel * 0.5);

  set_rgb (cr, r, g, b, 1);
  path_poly (cr, q, 4, 0, 0);
  cairo_fill (cr);
  cairo_set_line_width (cr, lw);
  for (int i = 0; i < 4; i++)
    {
      int j = (i + 1) % 4;
      double ex = q[2 * j] - q[2 * i], ey = q[2 * j + 1] - q[2 * i + 1];
      double len = hypot (ex, ey);
      double nx = ey / len, ny = -ex / len;   /* outward for clockwise corners */
      double facing = nx * pa->sun_x + ny * pa->sun_y;
      double ix = -nx * lw / 2, iy = -ny * lw / 2;

      set_rgb (cr, r, g, b, facing > 0 ? 1 + 0.3 * facing : 1 + 0.25 * facing);
      cairo_move_to (cr, q[2 * i] + ix, q[2 * i + 1] + iy);
      cairo_line_to (cr, q[2 * j] + ix, q[2 * j + 1] + iy);
      cairo_stroke (cr);
    }
}

static void
draw_barrel (Painter      *pa,
             const double  frame[4],
             double        x0,
             double        x1,
             double        width,
             double        k)
{
  cairo_t *cr = pa->cr;

  set_rgb (cr, 0.20, 0.22, 0.16, k);
  cairo_set_line_width (cr, MAX (width, pa->pixel * 0.35));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  cairo_move_to (cr, frame[0] + x0 * frame[2], frame[1] + x0 * frame[3]);
  cairo_line_to (cr, frame[0] + x1 * frame[2], frame[1] + x1 * frame[3]);
  cairo_stroke (cr);
}

/* Shadow pieces of one object (or building): into the current group. */
static void
object_shadow (Painter            *pa,
               const SlDemoObject *ob)
{
  guint d = pa->date;
  double frame[4] = { ob->x[d], ob->y[d], sin (ob->heading[d]), -cos (ob->heading[d]) };
  double L = classes[ob->klass].length, W = classes[ob->klass].width;
  double h = classes[ob->klass].height, q[8];

  switch (ob->klass)
    {
    case SL_DEMO_TANK:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      cast_shadow (pa, q, 4, 0, 1.5);
      local_box (frame, -1.4, -1.4, 2.0, 1.4, q);
      cast_shadow (pa, q, 4, 0, h);
      local_box (frame, 2.0, -0.12, 6.2, 0.12, q);
      cast_shadow (pa, q, 4, 1.9, 2.0);
      break;
    case SL_DEMO_IFV_APC:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      cast_shadow (pa, q, 4, 0, 1.7);
      local_box (frame, -0.5, -0.8, 1.1, 0.8, q);
      cast_shadow (pa, q, 4, 0, h);
      break;
    case SL_DEMO_SP_ARTILLERY:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      cast_shadow (pa, q, 4, 0, 1.6);
      local_box (frame, -3.2, -1.6, 1.0, 1.6, q);
      cast_shadow (pa, q, 4, 0, h);
      local_box (frame, 1.0, -0.16, 8.6, 0.16, q);
      cast_shadow (pa, q, 4, 2.4, 2.6);
      break;
    case SL_DEMO_TRUCK:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      cast_shadow (pa, q, 4, 0.8, h);
      local_box (frame, -L / 2 + 0.6, -W / 2 + 0.4, L / 2 - 0.6, W / 2 - 0.4, q);
      cast_shadow (pa, q, 4, 0, 0.9);
      break;
    case SL_DEMO_TENT:
    default:
      {
        /* A ridge tent: a triangular prism, approximated by its ridge and eaves. */
        local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
        cast_shadow (pa, q, 4, 0, 0.9);
        local_box (frame, -L / 2, -0.3, L / 2, 0.3, q);
        cast_shadow (pa, q, 4, 0, h);
      }
      break;
    }
}

static void
object_body (Painter            *pa,
             const SlDemoObject *ob)
{
  cairo_t *cr = pa->cr;
  guint d = pa->date;
  double frame[4] = { ob->x[d], ob->y[d], sin (ob->heading[d]), -cos (ob->heading[d]) };
  double L = classes[ob->klass].length, W = classes[ob->klass].width;
  double k = 1 + 0.08 * ob->tone, q[8];
  /* Green paint, dulled by mud and dust; muddier as the thaw sets in. */
  double r = 0.23 + 0.015 * d, g = 0.25 + 0.005 * d, b = 0.20;

  switch (ob->klass)
    {
    case SL_DEMO_TANK:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      draw_box (pa, q, r * 0.8 * k, g * 0.8 * k, b * 0.8 * k);
      local_box (frame, -L / 2 + 0.1, -W / 2 + 0.55, L / 2 - 0.25, W / 2 - 0.55, q);
      draw_box (pa, q, r * k, g * k, b * k);
      local_box (frame, -L / 2 + 0.2, -1.0, -L / 2 + 1.6, 1.0, q);
      draw_box (pa, q, r * 0.78 * k, g * 0.78 * k, b * 0.78 * k);
      local_box (frame, -1.4, -1.4, 2.0, 1.4, q);
      draw_box (pa, q, r * 1.1 * k, g * 1.1 * k, b * 1.05 * k);
      draw_barrel (pa, frame, 2.0, 6.2, 0.24, k);
      break;
    case SL_DEMO_IFV_APC:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      draw_box (pa, q, r * 0.95 * k, g * 0.95 * k, b * 0.92 * k);
      local_box (frame, 1.6, -W / 2 + 0.2, L / 2 - 0.1, W / 2 - 0.2, q);
      draw_box (pa, q, r * 1.12 * k, g * 1.12 * k, b * 1.08 * k);
      local_box (frame, -L / 2 + 0.3, -1.1, -L / 2 + 1.6, 1.1, q);
      draw_box (pa, q, r * 0.8 * k, g * 0.8 * k, b * 0.8 * k);
      local_box (frame, -0.5, -0.8, 1.1, 0.8, q);
      draw_box (pa, q, r * 1.05 * k, g * 1.05 * k, b * 1.0 * k);
      draw_barrel (pa, frame, 1.1, 3.6, 0.12, k);
      break;
    case SL_DEMO_SP_ARTILLERY:
      local_box (frame, -L / 2, -W / 2, L / 2, W / 2, q);
      draw_box (pa, q, r * 0.85 * k, g * 0.85 * k, b * 0.85 * k);
      local_box (frame, -3.2, -1.6, 1.0, 1.6, q);
      draw_box (pa, q, r * 1.12 * k, g * 1.12 * k, b * 1.06 * k);
      draw_barrel (pa, frame, 1.0, 8.6, 0.3, k);
      break;
    case SL_DEMO_TRUCK:
      {
        gboolean tarp = (ob->id % 5) != 0;

        local_box (frame, L / 2 - 2.3, -W / 2, L / 2, W / 2, q);
        draw_box (pa, q, r * 1.05 * k, g * 1.05 * k, b * k);
        local_box (frame, -L / 2, -W / 2, L / 2 - 2.6, W / 2, q);
        if (tarp)
          {
            draw_box (pa, q, 0.42 * k, 0.41 * k, 0.32 * k);
            cairo_set_line_width (cr, MAX (0.12, pa->pixel * 0.3));
            set_rgb (cr, 0.34, 0.33, 0.26, k);
            for (double x = -L / 2 + 1.1; x < L / 2 - 2.7; x += 1.2)
              {
                cairo_move_to (cr, frame[0] + x * frame[2] + W / 2 * frame[3], frame[1] + x * frame[3] - W / 2 * frame[2]);
                cairo_line_to (cr, frame[0] + x * frame[2] - W / 2 * frame[3], frame[1] + x * frame[3] + W / 2 * frame[2]);
              }
            cairo_stroke (cr);
          }
        else
          {
            draw_box (pa, q, r * 0.75 * k, g * 0.75 * k, b * 0.75 * k);
            local_box (frame, -L / 2 + 0.4, -0.9, -0.6, 0.9, q);
            draw_box (pa, q, 0.30 * k, 0.31 * k, 0.24 * k);
          }
        break;
      }
    case SL_DEMO_TENT:
    default:
      {
        /* Two canvas slopes either side of the ridge, lit unequally. */
        double facing = -frame[3] * pa->sun_x + frame[2] * pa->sun_y;   /* right slope */
        double kr = k * (1 + 0.45 * facing), kl = k * (1 - 0.45 * facing);

        local_box (frame, -L / 2, -W / 2, L / 2, 0, q);
        draw_box (pa, q, 0.52 * kl, 0.51 * kl, 0.42 * kl);
        local_box (frame, -L / 2, 0, L / 2, W / 2, q);
        draw_box (pa, q, 0.52 * kr, 0.51 * kr, 0.42 * kr);
        break;
      }
    }
}

static void
building_shadow (Painter        *pa,
                 const Building *bu)
{
  double frame[4] = { bu->cx, bu->cy, sin (bu->angle_deg * G_PI / 180), -cos (bu->angle_deg * G_PI / 180) };
  double q[8];

  local_box (frame, -bu->length / 2, -bu->width / 2, bu->length / 2, bu->width / 2, q);
  cast_shadow (pa, q, 4, 0, bu->height * (bu->roof == 2 ? 1 : 0.7));
  if (bu->roof != 2)
    {
      local_box (frame, -bu->length / 2, -0.3, bu->length / 2, 0.3, q);
      cast_shadow (pa, q, 4, 0, bu->height);
    }
}

static void
building_body (Painter        *pa,
               const Building *bu)
{
  static const double roofs[3][3] = {
    { 0.52, 0.52, 0.50 }, { 0.44, 0.35, 0.29 }, { 0.13, 0.13, 0.13 },
  };
  cairo_t *cr = pa->cr;
  double frame[4] = { bu->cx, bu->cy, sin (bu->angle_deg * G_PI / 180), -cos (bu->angle_deg * G_PI / 180) };
  double facing = -frame[3] * pa->sun_x + frame[2] * pa->sun_y;
  const double *c = roofs[bu->roof];
  double q[8];

  for (int side = -1; side <= 1; side += 2)
    {
      double f = bu->roof == 2 ? 0 : side * facing;
      double k = 1 + 0.2 * f;
      double snow = pa->date == 0 ? 1 : pa->date == 1 && f < 0 ? 0.8 : 0;
      double r = c[0] + (0.86 - c[0]) * snow, g = c[1] + (0.87 - c[1]) * snow, b = c[2] + (0.90 - c[2]) * snow;

      local_box (frame, -bu->length / 2, side < 0 ? -bu->width / 2 : 0,
                 bu->length / 2, side < 0 ? 0 : bu->width / 2, q);
      draw_box (pa, q, r * k, g * k, b * k);

      /* Corrugated sheets, where the pixels are fine enough to show them. */
      if (bu->roof != 2 && pa->pixel < 0.3 && snow < 0.5)
        {
          cairo_set_line_width (cr, 0.08);
          set_rgb (cr, r, g, b, k * 0.85);
          for (double x = -bu->length / 2 + 0.5; x < bu->length / 2; x += 1.0)
            {
              double y0 = side < 0 ? -bu->width / 2 : 0, y1 = side < 0 ? 0 : bu->width / 2;

              cairo_move_to (cr, frame[0] + x * frame[2] - y0 * frame[3], frame[1] + x * frame[3] + y0 * frame[2]);
              cairo_line_to (cr, frame[0] + x * frame[2] - y1 * frame[3], frame[1] + x * frame[3] + y1 * frame[2]);
            }
          cairo_stroke (cr);
        }
    }
  if (bu->roof == 2)
    {
      /* Old tyres weighing down the silage sheet. */
      set_rgb (cr, 0.06, 0.06, 0.06, 1);
      for (double x = -bu->length / 2 + 1.5; x < bu->length / 2 - 1; x += 2.5)
        for (double y = -bu->width / 2 + 1.5; y < bu->width / 2 - 1; y += 2.5)
          {
            cairo_arc (cr, frame[0] + x * frame[2] - y * frame[3], frame[1] + x * frame[3] + y * frame[2],
                       0.45, 0, 2 * G_PI);
            cairo_fill (cr);
          }
    }
}

void
_sl_demo_draw_features (SlDemoWorld *world,
                        cairo_t     *cr,
                        guint        date,
                        double       y0,
                        double       y1)
{
  const SlDemoSun *sun = _sl_demo_world_get_sun (world, date);
  guint n;
  const SlDemoObject *objects = _sl_demo_world_get_objects (world, &n);
  Painter pa = { cr, sin (sun->azimuth), -cos (sun->azimuth), 1 / tan (sun->elevation), 1, date };
  double dx = 1, dy = 0, reach = 8 * pa.cot;

  cairo_user_to_device_distance (cr, &dx, &dy);
  pa.pixel = 1 / hypot (dx, dy);
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);

  /* All shadows in one opaque group, multiplied onto the ground once, so where
   * two overlap it is no darker: the sky lights both the same. */
  cairo_push_group (cr);
  /* On snow, light reflected from the sunlit snow around fills shadows in. */
  if (date == 0)
    cairo_set_source_rgb (cr, 0.57, 0.61, 0.68);
  else
    cairo_set_source_rgb (cr, SL_DEMO_SHADE_R, SL_DEMO_SHADE_G, SL_DEMO_SHADE_B);
  for (guint b = 0; b < G_N_ELEMENTS (buildings); b++)
    if (buildings[b].cy > y0 - reach - 40 && buildings[b].cy < y1 + reach + 40)
      building_shadow (&pa, &buildings[b]);
  for (guint o = 0; o < n; o++)
    if (objects[o].first_date <= date && objects[o].y[date] > y0 - reach - 10
        && objects[o].y[date] < y1 + reach + 10)
      object_shadow (&pa, &objects[o]);
  cairo_pop_group_to_source (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_MULTIPLY);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);

  for (guint b = 0; b < G_N_ELEMENTS (buildings); b++)
    if (buildings[b].cy > y0 - 40 && buildings[b].cy < y1 + 40)
      building_body (&pa, &buildings[b]);
  for (guint o = 0; o < n; o++)
    if (objects[o].first_date <= date && objects[o].y[date] > y0 - 10 && objects[o].y[date] < y1 + 10)
      object_body (&pa, &objects[o]);
  cairo_restore (cr);
}
