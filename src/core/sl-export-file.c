/* sl-export-file.c — write an export next to its target, rename it into place
 *
 * The temporary file lives in the target's own folder, so the final rename() never crosses a
 * file system and is atomic; its name starts with a dot and ends in ".part" so a file manager
 * hides it and nobody mistakes it for a finished export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sl-export-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-export-file-private.h"

struct _SlExportFile
{
  char *path;       /* the target */
  char *tmp_path;   /* beside it; NULL once renamed or removed */
  int   fd;         /* -1 once closed */
};

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "Cannot write ‘%s’: %s", name, g_strerror (saved_errno));
}

SlExportFile *
sl_export_file_open (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  SlExportFile *self;
  int fd;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmpl = g_strdup_printf ("%s%s.%s.XXXXXX.part", dir, G_DIR_SEPARATOR_S, base);

  fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_errno_error (error, path, errno);
      return NULL;
    }

  self = g_new0 (SlExportFile, 1);
  self->path = g_strdup (path);
  self->tmp_path = g_steal_pointer (&tmpl);
  self->fd = fd;

  return self;
}

gboolean
sl_export_file_write (SlExportFile  *self,
                      const void    *data,
                      gsize          len,
                      GError       **error)
{
  const guint8 *p = data;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  while (len > 0)
    {
      gssize n = write (self->fd, p, MIN (len, (gsize) G_MAXSSIZE));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          set_errno_error (error, self->path, errno);
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }

  return TRUE;
}

gboolean
sl_export_file_commit (SlExportFile  *self,
                       GError       **error)
{
  int fd;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  /* fsync before rename: otherwise a crash right after can leave an empty file under the
   * target's name on some file systems. */
  fd = self->fd;
  self->fd = -1;
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, self->path, saved_errno);
      return FALSE;
    }
  if (close (fd) != 0)
    {
      set_errno_error (error, self->path, errno);
      return FALSE;
    }
  if (g_rename (self->tmp_path, self->path) != 0)
    {
      set_errno_error (error, self->path, errno);
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);

  return TRUE;
}

void
sl_export_file_free (SlExportFile *self)
{
  if (self == NULL)
    return;

  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}

gboolean
sl_export_file_replace (const char  *path,
                        const void  *data,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(SlExportFile) file = sl_export_file_open (path, error);

  if (file == NULL)
    return FALSE;

  return sl_export_file_write (file, data, len, error) && sl_export_file_commit (file, error);
}
