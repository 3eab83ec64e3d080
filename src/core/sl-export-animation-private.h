/* sl-export-animation-private.h — the two encoders behind sl_export_animation_write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sl-export-animation.h"

G_BEGIN_DECLS

/* Arguments already checked by the caller: @frames non-empty, all image surfaces of one
 * size and format, delays > 0, @options filled with the defaults (quality 1–100). @display is the target
 * name for messages. */
gboolean  _sl_export_animation_write_webp (const char                *path,
                                           const char                *display,
                                           GPtrArray                 *frames,
                                           const int                 *delays_ms,
                                           int                        loop_count,
                                           const SlAnimationOptions  *options,
                                           GError                   **error);
gboolean  _sl_export_animation_write_gif  (const char                *path,
                                           const char                *display,
                                           GPtrArray                 *frames,
                                           const int                 *delays_ms,
                                           int                        loop_count,
                                           const SlAnimationOptions  *options,
                                           GError                   **error);

/* Cairo ARGB32/RGB24 (premultiplied, native-endian words) to straight RGBA bytes, tightly
 * packed (width * 4 per row). */
guint8   *_sl_export_animation_to_rgba    (cairo_surface_t           *surface);

G_END_DECLS
