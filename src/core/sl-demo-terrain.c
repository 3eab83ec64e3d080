/* sl-demo-terrain.c — the ground of the demo site, painted pixel by pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expensive, low-frequency parts of the landscape (forest canopy, tracks and
 * their wear, churned ground, forest shadows, relief) are computed once on a 1 m
 * grid; each pixel then samples them bilinearly and adds texture whose
 * wavelength is fixed in metres, so every image size shows the same place.
 * Patterns finer than two pixels fade out instead of aliasing.
 */
#define G_LOG_DOMAIN "sl-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sl-demo-private.h"

#define FAR 60.0f   /* metres: "no track or road near here" */

/* Sun position at the site for the three acquisition times (NOAA's low-precision
 * formulas: 2022-01-18 08:14:37Z, 2022-02-06 08:21:52Z, 2022-02-21 08:09:18Z). */
static const double sun_deg[SL_DEMO_N_DATES][2] = {
  { 155.4, 11.7 }, { 155.0, 16.7 }, { 150.5, 20.8 },
};

typedef struct
{
  double xy[8];     /* convex quad, world metres */
  SlDemoCrop   crop;
  double angle_deg; /* direction of cultivation, clockwise from north */
  double tone;
} Parcel;

static const double north_forest[] = {
  -30, -30, 1054, -30, 1054, 118, 990, 124, 930, 136, 872, 158, 800, 170, 700, 178,
  610, 190, 530, 204, 450, 212, 370, 216, 290, 222, 215, 232, 152, 246, 138, 330,
  142, 420, 134, 520, 140, 610, 128, 720, 118, 830, 104, 940, 92, 1054, -30, 1054,
};
static const double copse[] = {
  640, 538, 676, 548, 692, 580, 684, 616, 652, 632, 612, 624, 596, 592, 608, 556,
};
static const double shelterbelt[] = {
  205, 650, 720, 640, 721, 653, 206, 663,
};
static const double south_wood[] = {
  965, 1054, 972, 968, 1004, 936, 1054, 926, 1054, 1054,
};
static const double road_line[] = {
  828, -40, 838, 120, 847, 300, 858, 480, 857, 640, 872, 840, 898, 1064,
};
static const double ride_line[] = {
  470, 250, 476, 150, 466, -40,
};

static const Parcel parcels[] = {
  { { 128, 190, 556, 190, 575, 498, 128, 494 }, CROP_STUBBLE, 93, 0.02 },
  { { 556, 190, 852, 160, 858, 505, 575, 498 }, CROP_PLOUGHED, 3, -0.03 },
  { { 128, 494, 420, 499, 410, 668, 128, 668 }, CROP_WHEAT, 1, 0.00 },
  { { 420, 499, 858, 505, 860, 656, 410, 668 }, CROP_PLOUGHED, 88, 0.04 },
  { { 128, 668, 520, 662, 540, 1064, 110, 1064 }, CROP_MEADOW, 2, 0.00 },
  { { 520, 662, 860, 656, 900, 1064, 540, 1064 }, CROP_WHEAT, 95, -0.02 },
  { { 862, -40, 1064, -40, 1064, 700, 866, 700 }, CROP_MEADOW, 10, 0.03 },
  { { 866, 700, 1064, 700, 1064, 1064, 900, 1064 }, CROP_STUBBLE, 8, -0.02 },
};

/* The farmyard, a rotated rectangle: centre, half sizes, angle. */
static const double yard[5] = { 942, 808, 72, 80, 8 };

double
_sl_demo_yard_distance (double x,
               double y)
{
  double ya = yard[4] * G_PI / 180;
  double lx = (x - yard[0]) * cos (ya) + (y - yard[1]) * sin (ya);
  double ly = -(x - yard[0]) * sin (ya) + (y - yard[1]) * cos (ya);

  return MAX (fabs (lx) - yard[2], fabs (ly) - yard[3]);
}

/* --- noise ------------------------------------------------------------------ */

guint32
_sl_demo_hash (gint32  x,
               gint32  y,
               guint32 seed)
{
  guint32 h = seed * 0x9E3779B1u;

  h ^= (guint32) x * 0x85EBCA77u;
  h = (h << 13) | (h >> 19);
  h ^= (guint32) y * 0xC2B2AE3Du;
  h ^= h >> 16;
  h *= 0x7FEB352Du;
  h ^= h >> 15;
  h *= 0x846CA68Bu;
  h ^= h >> 16;
  return h;
}

double
_sl_demo_hash_unit (gint32  x,
                    gint32  y,
                    guint32 seed)
{
  return _sl_demo_hash (x, y, seed) * (1.0 / 4294967296.0);
}

/* Fractal noise, wavelengths from @wavelength down by halves, about [-1, 1]. */
static double
fbm (double  x,
     double  y,
     double  wavelength,
     int     octaves,
     guint32 seed)
{
  double sum = 0, amp = 1, norm = 0;

  for (int i = 0; i < octaves; i++)
    {
      sum += amp * vnoise (x / wavelength, y / wavelength, seed + i * 131);
      norm += amp;
      amp *= 0.5;
      wavelength *= 0.5;
    }
  return sum / norm * 1.6;
}

/* --- geometry ---------------------------------------------------------------- */

static double
segment_distance (double px, double py,
                  double ax, double ay,
                  double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  dx = px - ax - t * dx;
  dy = py - ay - t * dy;
  return sqrt (dx * dx + dy * dy);
}

/* Signed distance to a closed polygon: negative inside. */
static double
polygon_distance (const double *xy,
                  guint         n,
                  double        px,
                  double        py)
{
  double d = G_MAXDOUBLE;
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];

      d = MIN (d, segment_distance (px, py, xi, yi, xj, yj));
      if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside ? -d : d;
}

static void
setup_parcels (SlDemoWorld *w)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (parcels) == G_N_ELEMENTS (w->frames));

  for (guint p = 0; p < G_N_ELEMENTS (parcels); p++)
    {
      const double *q = parcels[p].xy;
      SlDemoParcelFrame *f = &w->frames[p];

      for (int e = 0; e < 4; e++)
        {
          double ax = q[2 * e], ay = q[2 * e + 1];
          double ex = q[(2 * e + 2) % 8] - ax, ey = q[(2 * e + 3) % 8] - ay;
          double len = sqrt (ex * ex + ey * ey);

          f->nx[e] = -ey / len;
          f->ny[e] = ex / len;
          f->c[e] = -(f->nx[e] * ax + f->ny[e] * ay);
        }
      f->crop = parcels[p].crop;
      f->tone = parcels[p].tone;
      f->sa = sin (parcels[p].angle_deg * G_PI / 180);
      f->ca = cos (parcels[p].angle_deg * G_PI / 180);
    }
}

int
_sl_demo_find_parcel (SlDemoWorld *w,
             double       x,
             double       y,
             double      *inner)
{
  for (guint p = 0; p < G_N_ELEMENTS (parcels); p++)
    {
      const SlDemoParcelFrame *f = &w->frames[p];
      double best = G_MAXDOUBLE;
      int e;

      for (e = 0; e < 4; e++)
        {
          double h = f->nx[e] * x + f->ny[e] * y + f->c[e];

          if (h < 0)
            break;
          best = MIN (best, h);
        }
      if (e == 4)
        {
          *inner = best;
          return p;
        }
    }
  *inner = 0;
  return -1;
}

/* --- coarse layers ----------------------------------------------------------- */

static float *
layer_new (float value)
{
  float *layer = g_new (float, SL_DEMO_GRID * SL_DEMO_GRID);

  for (int i = 0; i < SL_DEMO_GRID * SL_DEMO_GRID; i++)
    layer[i] = value;
  return layer;
}

/* Slow-varying fields are evaluated on a coarser lattice and refined
 * bilinearly: the noise has no detail finer than the lattice anyway. */
static float *
refine (const float *lattice,
        int          step)
{
  int n = (SL_DEMO_GRID - 1) / step + 1;
  float *layer = g_new (float, SL_DEMO_GRID * SL_DEMO_GRID);

  for (int j = 0; j < SL_DEMO_GRID; j++)
    for (int i = 0; i < SL_DEMO_GRID; i++)
      {
        int li = MIN (i / step, n - 2), lj = MIN (j / step, n - 2);
        double fx = (i - li * step) / (double) step, fy = (j - lj * step) / (double) step;
        const float *p = lattice + lj * n + li;

        layer[j * SL_DEMO_GRID + i] = (p[0] * (1 - fx) + p[1] * fx) * (1 - fy)
                                      + (p[n] * (1 - fx) + p[n + 1] * fx) * fy;
      }
  return layer;
}

static float *
lattice_new (int step,
             double (*field) (double x, double y))
{
  int n = (SL_DEMO_GRID - 1) / step + 1;
  float *lattice = g_new (float, n * n);
  float *layer;

  for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++)
      lattice[j * n + i] = field (i * step, j * step);
  layer = refine (lattice, step);
  g_free (lattice);
  return layer;
}

static double
field_low (double x, double y)
{
  return fbm (x, y, 160, 4, 11);
}

static double
field_height (double x, double y)
{
  return 7 * fbm (x, y, 420, 3, 37) + 1.5 * fbm (x, y, 90, 2, 41);
}

static double
field_edge (double x, double y)
{
  return 9 * fbm (x, y, 70, 3, 53);
}

static double
woods_distance (double x, double y)
{
  static const struct { const double *xy; guint n; } woods[] = {
    { north_forest, G_N_ELEMENTS (north_forest) / 2 },
    { copse, G_N_ELEMENTS (copse) / 2 },
    { shelterbelt, G_N_ELEMENTS (shelterbelt) / 2 },
    { south_wood, G_N_ELEMENTS (south_wood) / 2 },
  };
  double sd = G_MAXDOUBLE;

  for (guint f = 0; f < G_N_ELEMENTS (woods); f++)
    sd = MIN (sd, polygon_distance (woods[f].xy, woods[f].n, x, y));
  return sd;
}

/* Distance to a polyline, within @band metres of it (FAR beyond). */
static void
stamp_distance (float        *layer,
                const double *xy,
                guint         n,
                double        band)
{
  for (guint s = 0; s + 1 < n; s++)
    {
      double ax = xy[2 * s], ay = xy[2 * s + 1], bx = xy[2 * s + 2], by = xy[2 * s + 3];
      int i0 = MAX (0, (int) floor (MIN (ax, bx) - band));
      int i1 = MIN (SL_DEMO_GRID - 1, (int) ceil (MAX (ax, bx) + band));
      int j0 = MAX (0, (int) floor (MIN (ay, by) - band));
      int j1 = MIN (SL_DEMO_GRID - 1, (int) ceil (MAX (ay, by) + band));

      for (int j = j0; j <= j1; j++)
        for (int i = i0; i <= i1; i++)
          layer[j * SL_DEMO_GRID + i] = MIN (layer[j * SL_DEMO_GRID + i],
                                             segment_distance (i, j, ax, ay, bx, by));
    }
}

static void
compute_static_layers (SlDemoWorld *w)
{
  float *height = lattice_new (4, field_height);
  float *edge = lattice_new (4, field_edge);
  /* The exact distance to the woods matters only near their edge. */
  float *rough = lattice_new (8, woods_distance);
  float *ride = layer_new (FAR);

  w->noise_low = lattice_new (4, field_low);
  w->noise_mid = layer_new (0);
  w->forest = layer_new (0);
  w->grad_x = layer_new (0);
  w->grad_y = layer_new (0);
  w->road = layer_new (FAR);
  stamp_distance (w->road, road_line, G_N_ELEMENTS (road_line) / 2, 16);
  stamp_distance (ride, ride_line, G_N_ELEMENTS (ride_line) / 2, 10);

  for (int j = 0; j < SL_DEMO_GRID; j++)
    for (int i = 0; i < SL_DEMO_GRID; i++)
      {
        int k = j * SL_DEMO_GRID + i;
        double sd = rough[k];

        w->noise_mid[k] = fbm (i, j, 22, 3, 23);
        if (fabs (sd) < 48)
          sd = woods_distance (i, j);
        /* Ragged edge: bays and promontories, then single trees. */
        sd += edge[k] + 2.5 * w->noise_mid[k];
        w->forest[k] = smoothstep (3, -3, sd) * smoothstep (3.5, 8, ride[k]);
      }

  for (int j = 0; j < SL_DEMO_GRID; j++)
    for (int i = 0; i < SL_DEMO_GRID; i++)
      {
        int k = j * SL_DEMO_GRID + i;
        int il = MAX (i - 1, 0), ir = MIN (i + 1, SL_DEMO_GRID - 1);
        int ju = MAX (j - 1, 0), jd = MIN (j + 1, SL_DEMO_GRID - 1);

        w->grad_x[k] = (height[j * SL_DEMO_GRID + ir] - height[j * SL_DEMO_GRID + il]) / (ir - il);
        w->grad_y[k] = (height[jd * SL_DEMO_GRID + i] - height[ju * SL_DEMO_GRID + i]) / (jd - ju);
      }
  g_free (height);
  g_free (edge);
  g_free (rough);
  g_free (ride);
}

/* Stamps a polyline of @wear into the nearest-track layers of one date. */
static void
stamp_track (SlDemoWorld  *w,
             guint         date,
             const double *xy,
             guint         n,
             double        wear)
{
  for (guint s = 0; s + 1 < n; s++)
    {
      double ax = xy[2 * s], ay = xy[2 * s + 1], bx = xy[2 * s + 2], by = xy[2 * s + 3];
      int i0 = MAX (0, (int) floor (MIN (ax, bx) - 14));
      int i1 = MIN (SL_DEMO_GRID - 1, (int) ceil (MAX (ax, bx) + 14));
      int j0 = MAX (0, (int) floor (MIN (ay, by) - 14));
      int j1 = MIN (SL_DEMO_GRID - 1, (int) ceil (MAX (ay, by) + 14));

      for (int j = j0; j <= j1; j++)
        for (int i = i0; i <= i1; i++)
          {
            int k = j * SL_DEMO_GRID + i;
            float d = segment_distance (i, j, ax, ay, bx, by);

            /* A busier track wins where two meet. */
            if (d - 2 * wear < w->track_dist[date][k] - 2 * w->track_wear[date][k])
              {
                w->track_dist[date][k] = d;
                w->track_wear[date][k] = wear;
              }
          }
    }
}

static void
compute_date_layers (SlDemoWorld *w)
{
  guint n_tracks;
  const SlDemoTrack *tracks = _sl_demo_get_tracks (&n_tracks);

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      w->track_dist[d] = layer_new (FAR);
      w->track_wear[d] = layer_new (0);
      w->churn[d] = layer_new (0);

      for (guint t = 0; t < n_tracks; t++)
        if (tracks[t].first_date <= d)
          stamp_track (w, d, tracks[t].xy, tracks[t].n_points, tracks[t].wear[d]);

      for (guint o = 0; o < w->n_objects; o++)
        {
          const SlDemoObject *ob = &w->objects[o];
          double age = d - (double) ob->first_date;
          double hx, hy, trail[2 * 9];

          if (ob->first_date > d)
            continue;
          /* The trail it left driving in: a curve from the track to where it
           * stopped, arriving straight. Then the ground it churned. */
          hx = sin (ob->heading[ob->first_date]);
          hy = -cos (ob->heading[ob->first_date]);
          for (int k = 0; k < 9; k++)
            {
              double t = k / 8.0, a = (1 - t) * (1 - t), b = 2 * t * (1 - t), c = t * t;
              double px0 = ob->x[ob->first_date], py0 = ob->y[ob->first_date];

              trail[2 * k] = a * px0 + b * (px0 - 16 * hx) + c * ob->access_x;
              trail[2 * k + 1] = a * py0 + b * (py0 - 16 * hy) + c * ob->access_y;
            }
          /* No trail on the concrete of the farmyard. */
          if (ob->klass != SL_DEMO_TENT && _sl_demo_yard_distance (trail[0], trail[1]) > 0)
            stamp_track (w, d, trail, 9, 0.12 + 0.12 * age);

          for (int j = MAX (0, (int) ob->y[d] - 26); j <= MIN (SL_DEMO_GRID - 1, (int) ob->y[d] + 26); j++)
            for (int i = MAX (0, (int) ob->x[d] - 26); i <= MIN (SL_DEMO_GRID - 1, (int) ob->x[d] + 26); i++)
              {
                double r2 = (i - ob->x[d]) * (i - ob->x[d]) + (j - ob->y[d]) * (j - ob->y[d]);

                w->churn[d][j * SL_DEMO_GRID + i] += (0.25 + 0.25 * age) * exp (-r2 / (2 * 11.0 * 11.0));
              }
        }
    }
}

/* Forest shadows: from each node of a 2 m lattice, march towards the sun and
 * look for canopy tall enough to hide it. Bushes then add short shadows of
 * their own on the 1 m grid. */
static void
compute_shadows (SlDemoWorld *w)
{
  const int step = 2, n = (SL_DEMO_GRID - 1) / step + 1;
  float *lattice = g_new (float, n * n);

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      double sx = sin (w->sun[d].azimuth), sy = -cos (w->sun[d].azimuth);
      double cot = 1 / tan (w->sun[d].elevation);
      double reach = 19 * cot;

      for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
          {
            float best = 0;

            for (double t = 2; t < reach && best < 0.99f; t += 2)
              {
                int qi = (int) (i * step + sx * t + 0.5), qj = (int) (j * step + sy * t + 0.5);
                int k;
                float f;

                if (qi < 0 || qj < 0 || qi >= SL_DEMO_GRID || qj >= SL_DEMO_GRID)
                  break;
                k = qj * SL_DEMO_GRID + qi;
                f = w->forest[k];
                if (f < 0.05f)
                  continue;
                /* Bare birches let most of the light through; spruce does not. */
                best = MAX (best, f * (0.45 + 0.55 * conifer_share (w->noise_low[k]))
                                  * smoothstep (t - 5, t + 5, (14 + 4 * w->noise_mid[k]) * f * cot));
              }
            lattice[j * n + i] = best;
          }
      w->shadow[d] = refine (lattice, step);

      for (int c = 0; c < SL_DEMO_TREE_COLS * SL_DEMO_TREE_COLS; c++)
        {
          const SlDemoTree *tr = &w->trees[c];
          double len;

          if (tr->kind != 3)
            continue;
          len = tr->h * cot;
          for (int j = MAX (0, (int) (tr->y - len - 4)); j <= MIN (SL_DEMO_GRID - 1, (int) (tr->y + len + 4)); j++)
            for (int i = MAX (0, (int) (tr->x - len - 4)); i <= MIN (SL_DEMO_GRID - 1, (int) (tr->x + len + 4)); i++)
              {
                /* A shrub's shadow: its crown's outline dragged away from
                 * the sun, rounded at both ends. */
                double dist = segment_distance (i, j, tr->x - sx * 0.3 * len, tr->y - sy * 0.3 * len,
                                                tr->x - sx * 0.85 * len, tr->y - sy * 0.85 * len);
                float sh = 0.7 * smoothstep (tr->r * 1.1, tr->r * 0.5, dist);

                w->shadow[d][j * SL_DEMO_GRID + i] = MAX (w->shadow[d][j * SL_DEMO_GRID + i], sh);
              }
        }
    }
  g_free (lattice);
}

static void
plant_trees (SlDemoWorld *w)
{
  w->trees = g_new0 (SlDemoTree, SL_DEMO_TREE_COLS * SL_DEMO_TREE_COLS);

  for (int cj = 0; cj < SL_DEMO_TREE_COLS; cj++)
    for (int ci = 0; ci < SL_DEMO_TREE_COLS; ci++)
      {
        SlDemoTree *tr = &w->trees[cj * SL_DEMO_TREE_COLS + ci];
        guint64 state = _sl_demo_hash (ci, cj, 7);
        double x = (ci - 1 + 0.1 + 0.8 * _sl_demo_uniform (&state)) * SL_DEMO_TREE_CELL;
        double y = (cj - 1 + 0.1 + 0.8 * _sl_demo_uniform (&state)) * SL_DEMO_TREE_CELL;
        double inner, f, conifer, bush = 0;
        SlDemoBilinear b;
        int parcel;

        bilinear_setup (x, y, &b);
        f = sample (w->forest, &b);
        parcel = _sl_demo_find_parcel (w, x, y, &inner);
        if (parcel >= 0 && inner < 3.0)
          bush = 0.05 * smoothstep (-0.2, 0.4, sample (w->noise_mid, &b));
        if (f > 0.02 && f < 0.5)
          bush = MAX (bush, 0.3);
        /* Nothing grows where vehicles drive or stand. */
        if (sample (w->track_dist[SL_DEMO_N_DATES - 1], &b) < 5 + 4 * sample (w->track_wear[SL_DEMO_N_DATES - 1], &b)
            || sample (w->road, &b) < 8
            || sample (w->churn[SL_DEMO_N_DATES - 1], &b) > 0.25)
          continue;

        conifer = conifer_share (sample (w->noise_low, &b));
        /* Small clearings and thinner patches. */
        f *= 0.75 + 0.25 * smoothstep (-0.7, -0.2, sample (w->noise_mid, &b));
        tr->x = x;
        tr->y = y;
        tr->tone = _sl_demo_uniform (&state) * 2 - 1;
        tr->phase = _sl_demo_uniform (&state) * 2 * G_PI;
        if (_sl_demo_uniform (&state) < f * 0.95)
          {
            tr->kind = _sl_demo_uniform (&state) < conifer ? 1 : 2;
            tr->r = tr->kind == 1 ? 1.4 + 1.4 * _sl_demo_uniform (&state)
                                  : 2.1 + 1.0 * _sl_demo_uniform (&state);
            tr->h = 12 + 10 * _sl_demo_uniform (&state) * (0.6 + 0.4 * f);
          }
        else if (_sl_demo_uniform (&state) < bush)
          {
            tr->kind = 3;
            tr->r = 0.9 + 1.2 * _sl_demo_uniform (&state);
            tr->h = f > 0.02 ? 3 + 4 * _sl_demo_uniform (&state) : 1.5 + 1.5 * _sl_demo_uniform (&state);
          }
      }

  for (int cj = 0; cj < SL_DEMO_TREE_COLS; cj++)
    for (int ci = 0; ci < SL_DEMO_TREE_COLS; ci++)
      for (int dj = -1; dj <= 1; dj++)
        for (int di = -1; di <= 1; di++)
          {
            int nj = cj + dj, ni = ci + di;

            if (nj >= 0 && nj < SL_DEMO_TREE_COLS && ni >= 0 && ni < SL_DEMO_TREE_COLS
                && w->trees[nj * SL_DEMO_TREE_COLS + ni].kind != 0)
              w->trees[cj * SL_DEMO_TREE_COLS + ci].near = 1;
          }
}

/* How much of each crown's sunny side taller trees nearer the sun hide. */
static void
shade_trees (SlDemoWorld *w)
{
  for (int cj = 3; cj < SL_DEMO_TREE_COLS - 3; cj++)
    for (int ci = 3; ci < SL_DEMO_TREE_COLS - 3; ci++)
      {
        SlDemoTree *tr = &w->trees[cj * SL_DEMO_TREE_COLS + ci];

        if (tr->kind == 0)
          continue;
        for (guint d = 0; d < SL_DEMO_N_DATES; d++)
          {
            double sx = sin (w->sun[d].azimuth), sy = -cos (w->sun[d].azimuth);
            double rise = tan (w->sun[d].elevation);
            double best = 0;

            for (int dj = -3; dj <= 3; dj++)
              for (int di = -3; di <= 3; di++)
                {
                  const SlDemoTree *nb = &w->trees[(cj + dj) * SL_DEMO_TREE_COLS + ci + di];
                  double ex, ey, t, p, reach;

                  if (nb->kind == 0 || nb == tr)
                    continue;
                  ex = nb->x - tr->x;
                  ey = nb->y - tr->y;
                  t = ex * sx + ey * sy;
                  p = fabs (ex * sy - ey * sx);
                  reach = nb->r + 0.6 * tr->r;
                  if (t <= 0 || p >= reach)
                    continue;
                  best = MAX (best, smoothstep (-1.5, 2.5, nb->h - tr->h - t * rise)
                                    * smoothstep (reach, 0.5 * nb->r, p));
                }
            tr->shade[d] = best;
          }
      }
}

/* --- the world --------------------------------------------------------------- */

SlDemoWorld *
_sl_demo_world_new (void)
{
  SlDemoWorld *w = g_new0 (SlDemoWorld, 1);

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      w->sun[d].azimuth = sun_deg[d][0] * G_PI / 180;
      w->sun[d].elevation = sun_deg[d][1] * G_PI / 180;
      w->sun_vec[d][0] = sin (w->sun[d].azimuth) * cos (w->sun[d].elevation);
      w->sun_vec[d][1] = -cos (w->sun[d].azimuth) * cos (w->sun[d].elevation);
      w->sun_vec[d][2] = sin (w->sun[d].elevation);
    }
  setup_parcels (w);
  compute_static_layers (w);
  w->n_objects = _sl_demo_place_objects (w, w->objects, SL_DEMO_MAX_OBJECTS);
  compute_date_layers (w);
  plant_trees (w);
  shade_trees (w);
  compute_shadows (w);
  return w;
}

void
_sl_demo_world_free (SlDemoWorld *world)
{
  if (world == NULL)
    return;
  g_free (world->forest);
  g_free (world->noise_low);
  g_free (world->noise_mid);
  g_free (world->grad_x);
  g_free (world->grad_y);
  g_free (world->road);
  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      g_free (world->track_dist[d]);
      g_free (world->track_wear[d]);
      g_free (world->churn[d]);
      g_free (world->shadow[d]);
    }
  g_free (world->trees);
  g_free (world);
}

const SlDemoSun *
_sl_demo_world_get_sun (SlDemoWorld *world,
                        guint        date)
{
  g_assert (date < SL_DEMO_N_DATES);
  return &world->sun[date];
}

double
_sl_demo_world_forest_at (SlDemoWorld *world,
                          double       x,
                          double       y)
{
  SlDemoBilinear b;

  bilinear_setup (x, y, &b);
  return sample (world->forest, &b);
}

double
_sl_demo_world_road_at (SlDemoWorld *world,
                        double       x,
                        double       y)
{
  SlDemoBilinear b;

  bilinear_setup (x, y, &b);
  return sample (world->road, &b);
}

const SlDemoObject *
_sl_demo_world_get_objects (SlDemoWorld *world,
                            guint       *n_objects)
{
  *n_objects = world->n_objects;
  return world->objects;
}

guint
_sl_demo_world_count_objects (SlDemoWorld *world,
                              guint        date)
{
  guint n = 0;

  for (guint i = 0; i < world->n_objects; i++)
    if (world->objects[i].first_date <= date)
      n++;
  return n;
}
