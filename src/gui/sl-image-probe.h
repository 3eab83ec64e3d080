/* sl-image-probe.h — reads image files with GDAL in a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-scene.h"

G_BEGIN_DECLS

/* What probing one file gave: a scene, or the error naming the file. */
typedef struct
{
  GFile   *file;
  SlScene *scene;
  GError  *error;
} SlProbeResult;

void       sl_probe_result_free  (SlProbeResult        *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlProbeResult, sl_probe_result_free)

/* Probes @files in order with sl_scene_probe() (which also hashes each file), off the
 * main thread. The array returned by _finish holds one SlProbeResult per file. */
void       sl_image_probe_async  (gpointer              source_object,
                                  GFile               **files,
                                  guint                 n_files,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
GPtrArray *sl_image_probe_finish (GAsyncResult         *result,
                                  GError              **error);

G_END_DECLS
