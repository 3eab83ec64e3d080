/* sl-demo.h — deterministic demo site: a training area filling up with armour
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One image the demo wrote, with the provenance a real provider would give. */
typedef struct
{
  char      *path;          /* absolute path of the image */
  GDateTime *acquired;      /* UTC */
  char      *label;
  char      *provider;
  char      *sensor;
  char      *credit;
  char      *caption;
  gboolean   georeferenced; /* FALSE for the press image */
  guint      n_objects;     /* ground-truth objects visible in this image */
} SlDemoScene;

void        sl_demo_scene_free  (SlDemoScene *scene);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlDemoScene, sl_demo_scene_free)

#define SL_DEMO_DEFAULT_SIZE 2048

/* Writes the demo site into @dir (created if needed): three dated, georeferenced
 * (WGS 84 / UTM zone 36N, near 54.58°N 33.17°E) 3-band GeoTIFF scenes of size
 * @size × @size, the ground truth beside each (GeoJSON), and a JPEG press image of
 * the last date, cropped, scaled and slightly rotated, with no georeference.
 * The same @size always gives byte-identical images. Returns an array of
 * SlDemoScene in date order, the press image last. */
GPtrArray  *sl_demo_generate    (const char  *dir,
                                 int          size,
                                 GError     **error);

G_END_DECLS
