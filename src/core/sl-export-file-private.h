/* sl-export-file-private.h — write an export next to its target, rename it into place
 *
 * An export is written to a hidden temporary file in the target's folder and renamed over the
 * target only when every byte is on disk, so a failed or interrupted export never leaves a
 * half-written file behind and never destroys an older file of the same name. Errors are
 * G_FILE_ERRORs whose message names the target file and the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SlExportFile SlExportFile;

/* Creates the temporary file beside @path (permissions 0666 minus the umask, as a plain
 * file would get). */
SlExportFile *sl_export_file_open   (const char    *path,
                                     GError       **error);
gboolean      sl_export_file_write  (SlExportFile  *self,
                                     const void    *data,
                                     gsize          len,
                                     GError       **error);
/* Flushes to disk, closes and renames over the target. After a failure the temporary file
 * is gone. Call once; free @self afterwards in every case. */
gboolean      sl_export_file_commit (SlExportFile  *self,
                                     GError       **error);
/* Removes the temporary file unless it was committed, and frees @self. */
void          sl_export_file_free   (SlExportFile  *self);

/* The whole of @data to @path, through the above. */
gboolean      sl_export_file_replace (const char   *path,
                                      const void   *data,
                                      gsize         len,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlExportFile, sl_export_file_free)

G_END_DECLS
