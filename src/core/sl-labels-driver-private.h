/* sl-labels-driver-private.h — what the export (sl-labels.c) and import (sl-labels-import.c)
 * pipelines share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-labels-private.h"

G_BEGIN_DECLS

/* The table entry of @format, NULL when none. */
const SlLabelFormatIo *_sl_labels_find_io        (SlLabelFormat       format);
/* @format, or the one guessed from @path; UNKNOWN + a FORMAT error when it cannot tell, or
 * (@for_import) when the format cannot be imported. */
SlLabelFormat          _sl_labels_resolve_format (SlLabelFormat       format,
                                                  const char         *path,
                                                  gboolean            for_import,
                                                  GError            **error);
/* Fills @ctx: the project's classes and scenes, the scene @scene_id (NO_SCENE when missing)
 * and, for a pixel format, its pixel mapping. */
gboolean               _sl_labels_context_init   (SlLabelContext     *ctx,
                                                  SlAnnotationStore  *store,
                                                  SlClassSet         *classes,
                                                  gint64              scene_id,
                                                  gboolean            pixel,
                                                  const char         *path,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
void                   _sl_labels_context_clear  (SlLabelContext     *ctx);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SlLabelContext, _sl_labels_context_clear)

G_END_DECLS
