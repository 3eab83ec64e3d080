/* sl-demo-private.h — internals of the demo-site generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo world is described in "world metres": x grows east, y grows south,
 * (0, 0) is the north-west corner of the 1024 m × 1024 m site. Everything in it is
 * a pure function of a constant seed, so a given image size always renders to the
 * same bytes. sl-demo-terrain.c paints the ground pixel by pixel; sl-demo-objects.c
 * places the vehicles, tents and buildings and draws them with cairo; sl-demo.c
 * writes the files.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define SL_DEMO_EXTENT_M 1024.0
#define SL_DEMO_N_DATES  3
/* Coarse layers are sampled every metre: (1024 + 1)² nodes. */
#define SL_DEMO_GRID     1025

/* What is left of sunlight in a shadow: the blue sky's share. */
#define SL_DEMO_SHADE_R  0.50
#define SL_DEMO_SHADE_G  0.54
#define SL_DEMO_SHADE_B  0.60

typedef enum
{
  SL_DEMO_TANK,
  SL_DEMO_IFV_APC,
  SL_DEMO_SP_ARTILLERY,
  SL_DEMO_TRUCK,
  SL_DEMO_TENT,
  SL_DEMO_N_CLASSES
} SlDemoClass;

typedef struct
{
  guint       id;          /* object_id in the ground truth, stable across dates */
  SlDemoClass klass;
  guint       first_date;  /* index of the first date on which it is there */
  double      x[SL_DEMO_N_DATES];
  double      y[SL_DEMO_N_DATES];
  double      heading[SL_DEMO_N_DATES]; /* radians, clockwise from grid north */
  double      tone;        /* -1 … 1: paint, mud and wear differ a little */
  double      access_x;    /* the point of the track it drove in from */
  double      access_y;
} SlDemoObject;

typedef struct
{
  double azimuth;    /* radians, clockwise from north */
  double elevation;  /* radians */
} SlDemoSun;

/* A polyline track; wear 0 = faint trail … 1 = churned by tracked vehicles. */
typedef struct
{
  const double *xy;
  guint         n_points;
  guint         first_date;
  double        wear[SL_DEMO_N_DATES];
} SlDemoTrack;

typedef struct _SlDemoWorld SlDemoWorld;

/* sl-demo-terrain.c */
SlDemoWorld        *_sl_demo_world_new           (void);
void                _sl_demo_world_free          (SlDemoWorld  *world);
/* Paints rows [row0, row0 + n_rows) of a @size × @size image of each date into
 * @rows[date] (cairo RGB24 data, @stride bytes a row). Rows may lie outside the
 * image: the world goes on. */
void                _sl_demo_world_shade         (SlDemoWorld  *world,
                                                  int           size,
                                                  int           row0,
                                                  int           n_rows,
                                                  guint32      *rows[SL_DEMO_N_DATES],
                                                  int           stride);
const SlDemoSun    *_sl_demo_world_get_sun       (SlDemoWorld  *world,
                                                  guint         date);
/* Forest canopy density 0 … 1 at a point (bilinear in the coarse layer). */
double              _sl_demo_world_forest_at     (SlDemoWorld  *world,
                                                  double        x,
                                                  double        y);
double              _sl_demo_world_road_at       (SlDemoWorld  *world,
                                                  double        x,
                                                  double        y);
const SlDemoObject *_sl_demo_world_get_objects   (SlDemoWorld  *world,
                                                  guint        *n_objects);
guint               _sl_demo_world_count_objects (SlDemoWorld  *world,
                                                  guint         date);

/* sl-demo-objects.c */
const char         *_sl_demo_class_name          (SlDemoClass   klass);
/* Length and width of the hull or tent, metres: the ground-truth footprint. */
void                _sl_demo_class_size          (SlDemoClass   klass,
                                                  double       *length,
                                                  double       *width);
/* The rotated footprint on @date as 4 corners (x0,y0 … x3,y3), world metres. */
void                _sl_demo_object_footprint    (const SlDemoObject *object,
                                                  guint               date,
                                                  double              corners[8]);
/* Fills @objects (capacity @max) with the military objects; returns how many. */
guint               _sl_demo_place_objects       (SlDemoWorld  *world,
                                                  SlDemoObject *objects,
                                                  guint         max);
const SlDemoTrack  *_sl_demo_get_tracks          (guint        *n_tracks);
/* Draws buildings and the objects present on @date, with their shadows, in world
 * metres on @cr (whose matrix maps metres to pixels), limited to y in [y0, y1]. */
void                _sl_demo_draw_features       (SlDemoWorld  *world,
                                                  cairo_t      *cr,
                                                  guint         date,
                                                  double        y0,
                                                  double        y1);

/* Shared noise, sl-demo-terrain.c */
guint32             _sl_demo_hash                (gint32        x,
                                                  gint32        y,
                                                  guint32       seed);
double              _sl_demo_hash_unit           (gint32        x,
                                                  gint32        y,
                                                  guint32       seed);

/* --- the world's state, shared by sl-demo-terrain.c and sl-demo-ground.c --- */

#define SL_DEMO_TREE_CELL   3.2
#define SL_DEMO_TREE_COLS   324   /* cells from -SL_DEMO_TREE_CELL to beyond 1024 m */
#define SL_DEMO_MAX_OBJECTS 128

typedef enum { CROP_STUBBLE, CROP_PLOUGHED, CROP_WHEAT, CROP_MEADOW } SlDemoCrop;

typedef struct
{
  float   x, y, r, h;
  float   tone;
  float   phase;                   /* of its irregular outline */
  float   shade[SL_DEMO_N_DATES];  /* 0 … 1: hidden from the sun by taller neighbours */
  guint8  kind;                    /* 0 none, 1 conifer, 2 deciduous, 3 bush */
  guint8  near;                    /* a tree is within this cell or its 8 neighbours */
} SlDemoTree;

/* A parcel's edges as half-planes n·p + c >= 0, and its cultivation frame. */
typedef struct
{
  double nx[4], ny[4], c[4];
  double sa, ca;
  SlDemoCrop   crop;
  double tone;
} SlDemoParcelFrame;

struct _SlDemoWorld
{
  float       *forest;
  float       *noise_low;
  float       *noise_mid;
  float       *grad_x;
  float       *grad_y;
  float       *road;
  float       *track_dist[SL_DEMO_N_DATES];
  float       *track_wear[SL_DEMO_N_DATES];
  float       *churn[SL_DEMO_N_DATES];
  float       *shadow[SL_DEMO_N_DATES];
  SlDemoTree        *trees;
  SlDemoObject objects[SL_DEMO_MAX_OBJECTS];
  guint        n_objects;
  SlDemoSun    sun[SL_DEMO_N_DATES];
  double       sun_vec[SL_DEMO_N_DATES][3];   /* unit vector to the sun: east, south, up */
  SlDemoParcelFrame  frames[8];
};

int                 _sl_demo_find_parcel         (SlDemoWorld  *world,
                                                  double        x,
                                                  double        y,
                                                  double       *inner);
/* Signed distance from the farmyard's edge (negative inside). */
double              _sl_demo_yard_distance       (double        x,
                                                  double        y);

static inline double
smoothstep (double e0,
            double e1,
            double x)
{
  double t = (x - e0) / (e1 - e0);

  t = CLAMP (t, 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

static inline double
mix (double a,
     double b,
     double t)
{
  return a + (b - a) * t;
}

/* 1 when a pattern of this wavelength spans 4 pixels or more, 0 below 2. */
static inline double
resolvable (double wavelength,
            double pixel)
{
  return smoothstep (2.0, 4.0, wavelength / pixel);
}

/* Spruce and pine stands versus birch and aspen: patches a few hundred metres
 * across. */
static inline double
conifer_share (double noise_low)
{
  return smoothstep (-0.35, 0.35, noise_low + 0.15);
}

typedef struct
{
  int   i;
  float w00, w10, w01, w11;
} SlDemoBilinear;

static inline void
bilinear_setup (double    x,
                double    y,
                SlDemoBilinear *b)
{
  double fx, fy;
  int ix, iy;

  x = CLAMP (x, 0.0, SL_DEMO_EXTENT_M - 1e-6);
  y = CLAMP (y, 0.0, SL_DEMO_EXTENT_M - 1e-6);
  ix = (int) x;
  iy = (int) y;
  fx = x - ix;
  fy = y - iy;
  b->i = iy * SL_DEMO_GRID + ix;
  b->w00 = (1 - fx) * (1 - fy);
  b->w10 = fx * (1 - fy);
  b->w01 = (1 - fx) * fy;
  b->w11 = fx * fy;
}

static inline float
sample (const float    *layer,
        const SlDemoBilinear *b)
{
  const float *p = layer + b->i;

  return p[0] * b->w00 + p[1] * b->w10
         + p[SL_DEMO_GRID] * b->w01 + p[SL_DEMO_GRID + 1] * b->w11;
}

/* Value noise in [-1, 1] with a smooth (C¹) interpolant. */
static inline double
vnoise (double  x,
        double  y,
        guint32 seed)
{
  double fx = floor (x), fy = floor (y);
  gint32 ix = (gint32) fx, iy = (gint32) fy;
  double tx = x - fx, ty = y - fy;
  double a, b, c, d;

  tx = tx * tx * (3 - 2 * tx);
  ty = ty * ty * (3 - 2 * ty);
  a = _sl_demo_hash_unit (ix, iy, seed);
  b = _sl_demo_hash_unit (ix + 1, iy, seed);
  c = _sl_demo_hash_unit (ix, iy + 1, seed);
  d = _sl_demo_hash_unit (ix + 1, iy + 1, seed);
  a += (b - a) * tx;
  c += (d - c) * tx;
  return 2 * (a + (c - a) * ty) - 1;
}

/* splitmix64: the only source of "randomness" in the demo. */
static inline guint64
_sl_demo_next (guint64 *state)
{
  guint64 z = (*state += 0x9E3779B97F4A7C15ULL);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double
_sl_demo_uniform (guint64 *state)
{
  return (_sl_demo_next (state) >> 11) * (1.0 / 9007199254740992.0);
}

G_END_DECLS
