/* sl-pyramid-survey.h — whether a scene needs a display pyramid built in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sl-site-grid.h"
#include "sl-tile-cache.h"

G_BEGIN_DECLS

/* What the display needs from the project's tile table for a source to move like a map. */
typedef enum
{
  SL_PYRAMID_NEED_NONE,       /* real overviews down to a screenful, random access: nothing */
  SL_PYRAMID_NEED_OVERVIEWS,  /* no (or too few) overviews: levels coarser than native */
  SL_PYRAMID_NEED_FULL,       /* slow to decode (JPEG2000, wavelets) or sequential (JPEG, PNG):
                               * every level, native included, so panning never reads it */
} SlPyramidNeed;

/* A source looked at with GDAL. */
typedef struct
{
  char          *driver;      /* GDAL's short name, e.g. "GTiff", "JP2OpenJPEG" */
  int            width, height;
  int            n_overviews; /* as GDAL reports them: for JPEG and JPEG2000 its own reduced
                               * decodes, which do not make reads cheap */
  int            coarsest;    /* long side of the smallest level GDAL reads directly */
  SlPyramidNeed  need;
} SlSourceSurvey;

/* A level this long (pixels, long side) or shorter is cheap to read whole. */
#define SL_PYRAMID_SURVEY_SMALL 1024

/* Any thread (its own GDAL handle, opened and closed here): what @path needs. Errors are in
 * SL_RASTER_SOURCE_ERROR: MISSING when the file was moved or deleted, OPEN otherwise. */
SlSourceSurvey *sl_source_survey_run     (const char      *path,
                                          GError         **error);
void            sl_source_survey_free    (SlSourceSurvey  *survey);
SlPyramidMode   sl_pyramid_need_to_mode  (SlPyramidNeed    need);

/* Where a scene's pyramid lies, as the tile cache sees it now; copied on the main thread so
 * sl_pyramid_survey_count_levels() can run on any. */
typedef struct
{
  gint64   scene_id;
  guint32  generation;   /* the scene's render generation */
  gboolean resolved;     /* its stretch is computed (otherwise the stored tiles are stale) */
  int      native_zoom;
  int      x0, y0, x1, y1;  /* tiles of the native level covering the footprint */
} SlPyramidExtent;

/* Main thread: @scene_id's extent from @cache and @project. FALSE when the scene cannot be
 * placed (nothing to build). */
gboolean        sl_pyramid_extent_init   (SlPyramidExtent *extent,
                                          SlProject       *project,
                                          SlTileCache     *cache,
                                          gint64           scene_id);

/* Any thread, its own read-only connection to @project_path: how many levels of the scene's
 * pyramid, from zoom 0 down, are completely stored in the generation @extent names (0 when
 * its stretch is not resolved, the table is missing or holds another generation). A source
 * that needs OVERVIEWS is done at native_zoom levels, one that needs FULL at native_zoom + 1.
 * -1 with @error when the file cannot be read. */
int             sl_pyramid_survey_count_levels (const char            *project_path,
                                                const SlPyramidExtent *extent,
                                                GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSourceSurvey, sl_source_survey_free)

G_END_DECLS
