/* sl-demo-ground.c — the demo site's ground, pixel by pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Samples the coarse layers that sl-demo-terrain.c prepared and adds what is
 * finer than a metre: crop rows and tramlines, ruts, snow ripples, tree crowns
 * lit by the low sun. Each pixel is shaded for the three dates at once, since
 * most of the work is the same.
 */
#define G_LOG_DOMAIN "sl-demo"

#include "config.h"

#include <math.h>

#include "sl-demo-private.h"

/* Per-date look: how much snow lies, how wet the soil is, light and haze. */
static const struct
{
  double snow;
  double wet;
  double puddles;
} season[SL_DEMO_N_DATES] = {
  { 0.85, 0.00, 0.00 },
  { 0.00, 0.55, 0.35 },
  { -0.90, 1.00, 1.00 },
};

typedef struct { double r, g, b; } Rgb;

static inline Rgb
rgb (double r, double g, double b)
{
  return (Rgb) { r, g, b };
}

static inline Rgb
rgb_mix (Rgb a, Rgb b, double t)
{
  return rgb (mix (a.r, b.r, t), mix (a.g, b.g, t), mix (a.b, b.b, t));
}

static inline Rgb
rgb_scale (Rgb a, double s)
{
  return rgb (a.r * s, a.g * s, a.b * s);
}

/* The crowns over a point, lowest first. */
typedef struct
{
  const SlDemoTree *tree;
  double      dx, dy;   /* offset from the trunk, in crown radii */
  double      z;        /* height of the crown surface there */
} Crown;

/* Crowns are not circles: their outline wobbles. Returns how many cover (x, y). */
static int
find_crowns (SlDemoWorld *w,
             double       x,
             double       y,
             Crown        crowns[9])
{
  int ci = (int) floor (x / SL_DEMO_TREE_CELL) + 1, cj = (int) floor (y / SL_DEMO_TREE_CELL) + 1;
  int n = 0;

  if (ci < 1 || cj < 1 || ci >= SL_DEMO_TREE_COLS - 1 || cj >= SL_DEMO_TREE_COLS - 1
      || !w->trees[cj * SL_DEMO_TREE_COLS + ci].near)
    return 0;

  for (int j = cj - 1; j <= cj + 1; j++)
    for (int i = ci - 1; i <= ci + 1; i++)
      {
        const SlDemoTree *tr = &w->trees[j * SL_DEMO_TREE_COLS + i];
        double ex, ey, d2, a, wob;
        int k;

        if (tr->kind == 0)
          continue;
        ex = x - tr->x;
        ey = y - tr->y;
        d2 = (ex * ex + ey * ey) / (tr->r * tr->r);
        if (d2 >= 1.5)
          continue;
        a = atan2 (ey, ex);
        wob = 1 + 0.14 * sin (3 * a + tr->phase) + 0.08 * sin (5 * a + 2 * tr->phase);
        d2 /= wob * wob;
        if (d2 >= 1)
          continue;
        /* Insertion by height. */
        for (k = n; k > 0 && crowns[k - 1].z > tr->h - tr->r * d2; k--)
          crowns[k] = crowns[k - 1];
        crowns[k] = (Crown) { tr, ex / (tr->r * wob), ey / (tr->r * wob), tr->h - tr->r * d2 };
        n++;
      }
  return n;
}

/* Spruce and pine are opaque cones with branches in whorls; birch, aspen and
 * shrubs in winter are bare twigs, densest near the trunk, that the ground
 * (and lower crowns) show through. */
static Rgb
shade_crowns (SlDemoWorld *w,
              const Crown *crowns,
              int          n,
              double       fine,
              Rgb          col,
              guint        date)
{
  const double *s = w->sun_vec[date];

  for (int i = 0; i < n; i++)
    {
      const SlDemoTree *tr = crowns[i].tree;
      double dx = crowns[i].dx, dy = crowns[i].dy;
      double d2 = dx * dx + dy * dy, d = sqrt (d2), lit;
      double hidden = tr->shade[date] * (0.55 + 0.45 * smoothstep (0.1, 0.8, d));
      Rgb c;

      if (tr->kind == 1)
        {
          double a = atan2 (dy, dx);
          double spokes = 0.80 + 0.20 * sin (a * 7 + tr->phase) * smoothstep (0.15, 0.5, d);
          double nx = d > 1e-6 ? dx / d * 0.72 : 0, ny = d > 1e-6 ? dy / d * 0.72 : 0;

          lit = MAX (0.0, nx * s[0] + ny * s[1] + 0.69 * s[2]) * (1 - 0.9 * hidden);
          c = rgb (0.125 + 0.015 * tr->tone, 0.170 + 0.015 * tr->tone, 0.115);
          c = rgb_scale (c, (0.2 + 2.3 * lit) * spokes * (1 + 0.10 * fine));
          if (date == 0)
            c = rgb_mix (c, rgb (0.78, 0.81, 0.86), 0.35 * smoothstep (0.25, 0.7, lit) * smoothstep (-0.2, 0.6, fine));
          col = rgb_mix (col, c, smoothstep (1.0, 0.8, d2));
        }
      else
        {
          double nz = sqrt (MAX (0.0, 1 - d2));
          double alpha = (tr->kind == 3 ? 0.8 : 0.6) * pow (MAX (0.0, 1 - d2), 0.8) * (0.8 + 0.2 * fine);

          lit = MAX (0.0, dx * s[0] + dy * s[1] + nz * s[2]) * (1 - 0.8 * hidden);
          c = rgb (0.43 + 0.03 * tr->tone, 0.395 + 0.02 * tr->tone, 0.365);
          c = rgb_scale (c, 0.40 + 1.1 * lit);
          col = rgb_mix (col, c, alpha);
        }
    }
  return col;
}

/* Everything below the vehicles: soil, crops, snow, tracks, trees, shadows. */
static void
shade_pixel (SlDemoWorld *w,
             double       x,
             double       y,
             double       px,
             Rgb          out[SL_DEMO_N_DATES])
{
  SlDemoBilinear b;
  double forest, nlow, nmid, road, gx, gy, fine, inner, ripple;
  double furrow = 0, margin = 0, in_yard = 0, soil = 0;
  double a1 = resolvable (1.3, px), a2 = resolvable (4.0, px);
  Crown crowns[9];
  int n_crowns;
  Rgb field, margin_col;
  int p;

  bilinear_setup (x, y, &b);
  forest = sample (w->forest, &b);
  nlow = sample (w->noise_low, &b);
  nmid = sample (w->noise_mid, &b);
  road = sample (w->road, &b);
  gx = sample (w->grad_x, &b);
  gy = sample (w->grad_y, &b);
  fine = a1 * vnoise (x / 1.3, y / 1.3, 61) * 0.6 + a2 * vnoise (x / 4.0, y / 4.0, 67) * 0.8;
  /* Wind-packed ripples on the snow, across the prevailing south-westerly. */
  ripple = resolvable (2.5, px) * vnoise ((x + y) / 11.0, (x - y) / 2.5, 79);

  /* Crops and their cultivation pattern, in the parcel's own frame. */
  p = _sl_demo_find_parcel (w, x, y, &inner);
  if (p >= 0)
    {
      const SlDemoParcelFrame *fr = &w->frames[p];
      double tone = 1 + fr->tone + 0.08 * nmid + 0.05 * nlow + 0.05 * fine;
      double u = x * fr->sa - y * fr->ca;   /* along the rows */
      double v = x * fr->ca + y * fr->sa;   /* across the rows */
      double streak = resolvable (1.8, px) * vnoise (u / 30, v / 1.8, 71 + p) * 0.7
                      + resolvable (6, px) * vnoise (u / 90, v / 6, 73 + p) * 0.5;

      switch (fr->crop)
        {
        case CROP_STUBBLE:
          {
            /* Alternate passes of a 7 m combine header. */
            double pass = fmod (fabs (v), 14.0) < 7.0 ? 1.0 : -1.0;

            field = rgb (0.55, 0.50, 0.40);
            tone += 0.03 * pass * resolvable (7, px) + 0.05 * streak;
            furrow = 0.2 * streak;
            soil = 0.3;
            break;
          }
        case CROP_PLOUGHED:
          {
            double ridge = resolvable (1.6, px) * sin (v * G_PI * 2 / 1.6);
            double lands = resolvable (36, px) * sin (v * G_PI * 2 / 36);

            field = rgb (0.37, 0.31, 0.25);
            tone += 0.06 * ridge + 0.06 * streak + 0.03 * lands;
            furrow = ridge * 0.6 + streak * 0.4;
            soil = 1;
            break;
          }
        case CROP_WHEAT:
          {
            /* Tramlines every 24 m: two wheel lines of bare soil. */
            double tv = fmod (fabs (v) + 3, 24.0) - 12;
            double drawn = MAX (0.3, 0.8 * px);
            double line = smoothstep (drawn, 0.3 * drawn, fabs (fabs (tv) - 0.9)) * 0.3 / drawn;

            field = rgb_mix (rgb (0.40, 0.42, 0.30), rgb (0.44, 0.39, 0.31), smoothstep (-0.5, 0.8, nmid));
            tone += 0.05 * streak;
            field = rgb_mix (field, rgb (0.45, 0.39, 0.32), line * 0.8);
            furrow = line * 0.8 + streak * 0.3;
            soil = 0.5;
            break;
          }
        case CROP_MEADOW:
        default:
          field = rgb_mix (rgb (0.52, 0.48, 0.38), rgb (0.45, 0.43, 0.34), smoothstep (-0.6, 0.6, nmid + 0.6 * fine));
          tone += 0.04 * streak;
          furrow = fine * 0.3;
          break;
        }
      field = rgb_scale (field, tone);
      margin = smoothstep (4.5, 1.0, inner + 1.2 * nmid);
    }
  else
    {
      field = rgb_scale (rgb (0.50, 0.47, 0.38), 1 + 0.08 * nmid + 0.06 * fine);
    }
  margin_col = rgb_scale (rgb (0.60, 0.55, 0.45), 1 + 0.12 * fine + 0.06 * nmid);
  field = rgb_mix (field, margin_col, margin);
  soil *= 1 - margin;

  /* The farmyard: trodden concrete, dirt and stains. */
  if (x > 820 && y > 670)
    {
      double e = _sl_demo_yard_distance (x, y);
      double stain = smoothstep (-0.2, 0.6, nmid + 0.5 * fine);

      in_yard = smoothstep (1.5, -1.5, e + 3 * nmid + 2 * fine);
      field = rgb_mix (field, rgb_mix (rgb_scale (rgb (0.56, 0.55, 0.52), 1 + 0.06 * fine),
                                       rgb (0.38, 0.34, 0.29), 0.6 * stain),
                       in_yard);
    }

  n_crowns = find_crowns (w, x, y, crowns);

  for (guint d = 0; d < SL_DEMO_N_DATES; d++)
    {
      const double *sv = w->sun_vec[d];
      double shadow = sample (w->shadow[d], &b);
      double churn = sample (w->churn[d], &b);
      double dist = sample (w->track_dist[d], &b);
      double wear = sample (w->track_wear[d], &b);
      double wet = season[d].wet;
      double snow, track, rut, mud, hill, floor_t, lit;
      Rgb col = field, track_col;

      /* Soil darkens as it gets wet; ploughland most. */
      col = rgb_scale (col, 1 - wet * (0.05 + 0.10 * soil) - 0.04 * wet * nlow);

      /* Snow: deeper in hollows, in shade, in furrows, on north-facing slopes;
       * thin snow lets the ground show through. */
      snow = season[d].snow + 0.25 * nlow + 0.15 * nmid + 0.08 * fine + 0.35 * furrow
             + 0.6 * shadow + 6 * gy + 0.35 * margin - 0.3 * in_yard;
      snow = smoothstep (0.3, 0.6, snow);
      col = rgb_mix (col, rgb_scale (rgb (0.88, 0.89, 0.92), 1 + 0.008 * ripple + 0.01 * fine), snow);

      /* Under the canopy: litter, or snow in the first image. */
      floor_t = smoothstep (0.25, 0.8, forest);
      if (floor_t > 0)
        {
          /* Long thin shadows of bare trunks and branches, along the sun. */
          double along = x * sv[0] + y * sv[1], across = x * sv[1] - y * sv[0];
          double streaks = smoothstep (0.0, 0.5, vnoise (along / 16, across / 0.9, 83 + d))
                           * resolvable (0.9, px) * (1 - conifer_share (nlow));
          Rgb litter = d == 0 ? rgb_scale (rgb (0.76, 0.77, 0.80), 1 + 0.05 * fine)
                              : rgb_scale (rgb (0.29, 0.26, 0.21), 1 + 0.15 * fine);

          col = rgb_mix (col, rgb_scale (litter, 1 - 0.45 * streaks), floor_t);
        }

      /* Churned ground around the vehicles: dirty snow, then mud. */
      mud = smoothstep (0.2, 0.8, churn + 0.25 * nmid + 0.08 * fine);
      col = rgb_mix (col, d == 0 ? rgb_scale (rgb (0.60, 0.57, 0.53), 1 + 0.1 * nmid + 0.1 * fine)
                                 : rgb_scale (rgb (0.36, 0.31, 0.25), 1 - 0.08 * wet + 0.12 * nmid + 0.1 * fine),
                     mud * (d == 0 ? 0.7 : 0.85));

      /* Tracks: two ruts, and with wear a compacted bed between and beside them;
       * across churned ground they are mud too. */
      track = smoothstep (1.9 + 2.1 * wear + 0.7, 1.9 + 2.1 * wear - 0.5, dist + 0.6 * fine);
      {
        /* A rut narrower than a pixel still darkens it, in proportion. */
        double half = 0.35 + 0.3 * wear, drawn = MAX (half, 0.8 * px);

        rut = smoothstep (drawn, 0.3 * drawn, fabs (dist - 1.1 - 0.4 * wear)) * half / drawn;
      }
      if (d == 0)
        track_col = rgb_mix (rgb (0.72, 0.71, 0.70), rgb (0.52, 0.48, 0.43), smoothstep (0.1, 0.9, wear));
      else
        track_col = rgb_mix (rgb (0.47, 0.42, 0.35), rgb (0.33, 0.29, 0.24), smoothstep (0.1, 0.9, wear * (0.5 + 0.5 * wet)));
      track_col = rgb_scale (track_col, 1 + 0.10 * fine + 0.06 * nmid);
      track_col = rgb_mix (track_col, d == 0 ? rgb (0.58, 0.55, 0.51) : rgb (0.33, 0.29, 0.24), mud * 0.6);
      col = rgb_mix (col, track_col, track * smoothstep (0.05, 0.45, wear) * (1 - floor_t * 0.3));
      col = rgb_mix (col, rgb_scale (track_col, d == 0 ? 0.72 : 0.62), rut * track);

      /* Puddles in ruts and churned hollows once the thaw sets in. */
      if (season[d].puddles > 0)
        {
          double hollow = smoothstep (0.40, 0.55, nmid + 0.5 * nlow + 0.15 * fine);
          double pool = hollow * season[d].puddles
                        * MAX (track * rut * smoothstep (0.4, 0.9, wear), mud * smoothstep (0.7, 1.2, churn));

          col = rgb_mix (col, rgb_scale (rgb (0.31, 0.32, 0.32), 1 + 0.04 * fine), pool * 0.9);
        }

      /* The gravel road, its ditches, and the snow ploughed off it. */
      if (road < 12)
        {
          double surface = smoothstep (3.8, 3.0, road + 0.3 * fine);
          double shoulder = smoothstep (5.2, 4.0, road);
          double ditch = smoothstep (1.2, 0.2, fabs (road - 6.6));
          double wheels = smoothstep (0.5, 0.1, fabs (road - 1.4)) * resolvable (1.0, px);
          Rgb gravel = d == 0 ? rgb (0.66, 0.65, 0.64) : rgb (0.58, 0.56, 0.52);

          gravel = rgb_scale (gravel, 1 + 0.06 * fine - 0.12 * wheels);
          col = rgb_mix (col, d == 0 ? rgb (0.90, 0.90, 0.92) : rgb_scale (margin_col, 0.92), shoulder * 0.9);
          col = rgb_mix (col, rgb_scale (col, d == 0 ? 0.9 : 0.75), ditch);
          col = rgb_mix (col, gravel, surface);
        }

      /* Relief: a gentle slope still shows when the sun is this low. */
      lit = (-gx * sv[0] - gy * sv[1] + sv[2]) / sqrt (1 + gx * gx + gy * gy);
      hill = CLAMP (1 + (0.3 - 0.15 * snow) * (lit - sv[2]) / sv[2], 0.8, 1.2);
      col = rgb_scale (col, hill);

      /* In shadow only the blue sky lights the ground. */
      {
        /* Snow in shade still gets the light its sunlit surroundings reflect. */
        double bright = MAX (snow, floor_t * (d == 0));
        double sr = mix (SL_DEMO_SHADE_R, 0.62, bright), sg = mix (SL_DEMO_SHADE_G, 0.66, bright);
        double sb = mix (SL_DEMO_SHADE_B, 0.73, bright);

        col = rgb (col.r * (1 - (1 - sr) * shadow), col.g * (1 - (1 - sg) * shadow), col.b * (1 - (1 - sb) * shadow));
      }

      if (n_crowns > 0)
        col = shade_crowns (w, crowns, n_crowns, fine, col, d);

      out[d] = col;
    }
}

static inline guint32
pack (Rgb c)
{
  int r = (int) (CLAMP (c.r, 0.0, 1.0) * 255 + 0.5);
  int g = (int) (CLAMP (c.g, 0.0, 1.0) * 255 + 0.5);
  int b = (int) (CLAMP (c.b, 0.0, 1.0) * 255 + 0.5);

  return 0xff000000u | (guint32) r << 16 | (guint32) g << 8 | (guint32) b;
}

void
_sl_demo_world_shade (SlDemoWorld *world,
                      int          size,
                      int          row0,
                      int          n_rows,
                      guint32     *rows[SL_DEMO_N_DATES],
                      int          stride)
{
  double px = SL_DEMO_EXTENT_M / size;

  for (int r = 0; r < n_rows; r++)
    {
      double y = (row0 + r + 0.5) * px;

      for (int c = 0; c < size; c++)
        {
          Rgb out[SL_DEMO_N_DATES];

          shade_pixel (world, (c + 0.5) * px, y, px, out);
          for (guint d = 0; d < SL_DEMO_N_DATES; d++)
            rows[d][(gsize) r * (stride / 4) + c] = pack (out[d]);
        }
    }
}

