/* sl-render-params.h — how a scene's bands become display colours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SL_STRETCH_PERCENTILE,  /* low/high from the percent_low/high percentiles of sampled data */
  SL_STRETCH_MINMAX,      /* low/high from the sampled minimum and maximum */
  SL_STRETCH_MANUAL,      /* low/high as given */
  SL_STRETCH_NONE,        /* values used as they are (8-bit data, palettes) */
} SlStretchMode;

/* A value type: band mapping + contrast stretch. Stored per scene (sl_scenes.band_mapping
 * and .stretch); changing it gives the scene a new render generation. */
typedef struct
{
  int            bands[3];       /* 1-based source band for red, green, blue; all equal: grey */
  SlStretchMode  mode;
  double         percent_low;    /* 2 */
  double         percent_high;   /* 98 */
  double         low[3];         /* per output channel, in source units */
  double         high[3];
  gboolean       resolved;       /* low/high hold values computed for the current mode */
} SlRenderParams;

#define SL_TYPE_RENDER_PARAMS (sl_render_params_get_type ())
GType           sl_render_params_get_type     (void) G_GNUC_CONST;

/* The defaults for a scene with @band_count bands of @data_type (GDAL's name), with or
 * without a palette: RGB from bands 1-3 (grey from band 1 when fewer than 3), percentile
 * 2–98 for anything but plain 8-bit, no stretch for Byte RGB and palettes. */
SlRenderParams *sl_render_params_new_for      (int          band_count,
                                               const char  *data_type,
                                               gboolean     has_palette);
SlRenderParams *sl_render_params_copy         (const SlRenderParams *self);
void            sl_render_params_free         (SlRenderParams       *self);
gboolean        sl_render_params_equal        (const SlRenderParams *a,
                                               const SlRenderParams *b);
gboolean        sl_render_params_is_grey      (const SlRenderParams *self);

char           *sl_render_params_to_json      (const SlRenderParams *self);
SlRenderParams *sl_render_params_new_from_json (const char          *json,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlRenderParams, sl_render_params_free)

G_END_DECLS
