/* sl-scene-view-private.h — SlSceneView's fields and the helpers its source files share
 *
 * sl-scene-view.c        properties, the tile cache's signals, what to ask it for
 * sl-scene-view-paint.c  snapshot: textures, fallbacks, nearest-neighbour magnification
 * sl-scene-view-input.c  gestures, keyboard actions, zoom animation and kinetic panning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-scene-view.h"

G_BEGIN_DECLS

typedef enum
{
  SL_SCENE_VIEW_DEBUG_FRAMES = 1 << 0,  /* SITELAPSE_DEBUG=frames: snapshot times */
} SlSceneViewDebug;

/* Durations in µs of the last few frames, for the frame-time figures. */
#define SL_SCENE_VIEW_FRAME_SAMPLES 240

typedef struct
{
  gint64 samples[SL_SCENE_VIEW_FRAME_SAMPLES];
  guint  n;
} SlTimings;

struct _SlSceneView
{
  GtkWidget     parent_instance;

  SlTileCache  *cache;
  SlViewport   *viewport;
  gint64        scene_id;
  gulong        tile_ready_id;
  gulong        tile_failed_id;
  gulong        invalidated_id;

  /* What was last asked of the cache, and its state. */
  GHashTable   *wanted;        /* SlTileKey * (owned) → NULL: a set */
  GHashTable   *pending;       /* keys of wanted not in memory yet: a set, borrowing wanted's keys */
  GHashTable   *failed;        /* SlTileKey * (owned) → char * message */
  gboolean      has_generation;
  guint32       generation;    /* of the scene's keys in the last request */
  gboolean      has_stale_generation;
  guint32       stale_generation;  /* the one before it, drawn while the new one loads */
  gboolean      reported;      /* a failure of (scene_id, generation) was reported */
  gboolean      wants_dirty;
  gboolean      fit_pending;   /* fit once the view has a size and the scene a footprint */
  int           last_width;
  int           last_height;
  int           last_scale;

  /* sl-scene-view-paint.c */
  GHashTable   *textures;      /* SlTileKey * → TileTexture * */
  guint64       frame;         /* counts snapshots */
  GdkPaintable *error_icon;
  guint         debug_flags;
  SlTimings     snapshot_times;  /* the snapshot vfunc */
  SlTimings     wants_times;     /* recomputing what to ask the cache for */
  SlTimings     frame_times;     /* SITELAPSE_DEBUG=frames: the frame clock's whole frame */
  GdkFrameClock *debug_clock;
  gint64        frame_start;
  gint64        loading_since;   /* when tiles started to be waited for */
  guint         loading_max;

  /* One tick callback drives animations and the once-a-frame request. */
  guint         tick_id;

  /* sl-scene-view-input.c */
  gboolean      has_pointer;
  double        pointer_x;     /* widget coordinates */
  double        pointer_y;
  double        drag_last_x;
  double        drag_last_y;
  double        drag_acc_x;    /* moved since drag_last_time */
  double        drag_acc_y;
  double        velocity_x;    /* logical px/s, of the drag as it ends */
  double        velocity_y;
  gint64        drag_last_time;  /* of the last speed sample */
  gint64        drag_moved_time; /* of the last movement */
  double        pinch_last_scale;
  double        pinch_last_x;
  double        pinch_last_y;
  gboolean      kinetic;
  gint64        kinetic_last_time;
  gboolean      animating;
  gint64        anim_start;    /* frame time, 0: starts at the next frame */
  double        anim_from_x, anim_from_y, anim_from_log_res;
  double        anim_to_x, anim_to_y, anim_to_log_res;
};

/* sl-scene-view.c */
/* Makes sure the tick callback runs at the next frame. */
void      _sl_scene_view_schedule_tick     (SlSceneView *self);
void      _sl_scene_view_notify_pointer    (SlSceneView *self);
/* The level drawn and the tiles of it in view; FALSE when nothing of the scene shows. */
gboolean  _sl_scene_view_get_tile_range    (SlSceneView *self,
                                            int          width,
                                            int          height,
                                            int          scale,
                                            int         *z,
                                            int         *x0,
                                            int         *y0,
                                            int         *x1,
                                            int         *y1);

/* sl-scene-view-paint.c */
void      _sl_scene_view_snapshot          (GtkWidget   *widget,
                                            GtkSnapshot *snapshot);
void      _sl_scene_view_init_paint        (SlSceneView *self);
void      _sl_scene_view_realize_paint     (SlSceneView *self);
void      _sl_scene_view_unrealize_paint   (SlSceneView *self);
void      _sl_scene_view_add_timing        (SlTimings   *timings,
                                            gint64       usec);
void      _sl_scene_view_clear_textures    (SlSceneView *self);
void      _sl_scene_view_finalize_paint    (SlSceneView *self);

/* sl-scene-view-input.c */
void      _sl_scene_view_class_init_input  (GtkWidgetClass *widget_class);
void      _sl_scene_view_init_input        (SlSceneView *self);
/* Stops a zoom animation or a fling (the user took over). */
void      _sl_scene_view_stop_motion       (SlSceneView *self);
/* One frame of animation at @frame_time; TRUE while more frames are needed. */
gboolean  _sl_scene_view_step_motion       (SlSceneView *self,
                                            gint64       frame_time);

/* For tests and figures: snapshot durations (µs) of the last frames, in no order. */
guint     _sl_scene_view_get_snapshot_times (SlSceneView  *self,
                                             const gint64 **times);
/* The view will not fit the viewport to its scene when it first gets one: another pane of
 * the same viewport does, or the view was restored. */
void      _sl_scene_view_cancel_fit        (SlSceneView *self);
/* For tests: whether a zoom animation or fling runs. */
gboolean  _sl_scene_view_is_animating      (SlSceneView *self);
/* For tests: nothing left to do — fitted, requests sent, no tile pending, no animation. */
gboolean  _sl_scene_view_is_settled        (SlSceneView *self);
/* The pointer is at (@x, @y) over the view, or left it (what the motion controller says). */
void      _sl_scene_view_move_pointer      (SlSceneView *self,
                                            gboolean     inside,
                                            double       x,
                                            double       y);

G_END_DECLS
