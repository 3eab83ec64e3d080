/* sl-export-presets.h — named export compositions, stored in the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sl-composer.h"
#include "sl-project.h"

G_BEGIN_DECLS

/* Presets are one JSON object in the project's sl_meta table (key 'export_presets'):
 * { "name": <sl_composition_to_json>, … }, so they travel with the project file. Main
 * thread (the project's connection); each change is its own transaction. Errors are in
 * SL_PROJECT_ERROR (IO) and SL_COMPOSER_ERROR (INVALID: an empty name, a stored preset that
 * does not parse); they name the project file. */

/* The names, sorted (NULL-terminated; free with g_strfreev). */
char          **sl_export_presets_list   (SlProject           *project,
                                          GError             **error);
/* NULL + SL_COMPOSER_ERROR_INVALID when there is no preset @name. */
SlComposition  *sl_export_presets_get    (SlProject           *project,
                                          const char          *name,
                                          GError             **error);
/* Adds or replaces @name. */
gboolean        sl_export_presets_save   (SlProject           *project,
                                          const char          *name,
                                          const SlComposition *composition,
                                          GError             **error);
/* Removing a preset that is not there is not an error. */
gboolean        sl_export_presets_remove (SlProject           *project,
                                          const char          *name,
                                          GError             **error);

G_END_DECLS
