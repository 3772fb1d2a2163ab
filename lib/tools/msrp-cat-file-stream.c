/* msrp-cat-file-stream.c: files read and written in place
 *
 * GIO reads and writes regular files and devices such as /dev/null
 * asynchronously on its thread pool, one hop per call; the session reads a
 * body one chunk at a time and writes what arrives one write at a time, so
 * with 64 KiB chunks the hops cost more than half the throughput of a local
 * copy. These streams call read(2) and write(2) on the main thread instead:
 * the page cache makes that as quick as a memcpy, and msrp-cat has nothing
 * else for its main loop to do meanwhile. Pipes and sockets, which may
 * block for as long as their other end likes, keep GIO's pollable streams.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-cat.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the two streams share: the descriptor, and whether to close it. */
typedef struct
{
  int fd;
  gboolean close_fd;
} FileEnd;

static gssize
file_end_io (FileEnd       *end,
             gboolean       writing,
             void          *buffer,
             gsize          count,
             GCancellable  *cancellable,
             GError       **error)
{
  gssize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  do
    n = writing ? write (end->fd, buffer, count) : read (end->fd, buffer, count);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
    }
  return n;
}

/* The asynchronous call done at once; its callback runs from the main loop
 * as GIO wants. */
static void
file_end_io_async (gpointer             stream,
                   FileEnd             *end,
                   gboolean             writing,
                   void                *buffer,
                   gsize                count,
                   int                  io_priority,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;
  gssize n;

  g_task_set_source_tag (task, file_end_io_async);
  g_task_set_priority (task, io_priority);
  n = file_end_io (end, writing, buffer, count, cancellable, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static gssize
file_end_io_finish (gpointer       stream,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static gssize
file_input_read_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  return file_end_io_finish (stream, result, error);
}

static gssize
file_output_write_finish (GOutputStream *stream, GAsyncResult *result, GError **error)
{
  return file_end_io_finish (stream, result, error);
}

static gboolean
file_end_close (FileEnd *end, GError **error)
{
  int fd = end->fd;

  end->fd = -1;
  return fd < 0 || !end->close_fd || g_close (fd, error);
}

struct _MsrpCatFileInput
{
  GInputStream parent_instance;
  FileEnd end;
};

G_DEFINE_FINAL_TYPE (MsrpCatFileInput, msrp_cat_file_input, G_TYPE_INPUT_STREAM)

static gssize
file_input_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return file_end_io (&MSRP_CAT_FILE_INPUT (stream)->end, FALSE, buffer, count, cancellable, error);
}

static void
file_input_read_async (GInputStream        *stream,
                       void                *buffer,
                       gsize                count,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  file_end_io_async (stream, &MSRP_CAT_FILE_INPUT (stream)->end, FALSE, buffer, count,
                     io_priority, cancellable, callback, user_data);
}

static gboolean
file_input_close (GInputStream  *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return file_end_close (&MSRP_CAT_FILE_INPUT (stream)->end, error);
}

static void
msrp_cat_file_input_finalize (GObject *object)
{
  file_end_close (&MSRP_CAT_FILE_INPUT (object)->end, NULL);
  G_OBJECT_CLASS (msrp_cat_file_input_parent_class)->finalize (object);
}

static void
msrp_cat_file_input_init (MsrpCatFileInput *self)
{
  self->end.fd = -1;
}

static void
msrp_cat_file_input_class_init (MsrpCatFileInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = msrp_cat_file_input_finalize;
  stream_class->read_fn = file_input_read;
  stream_class->read_async = file_input_read_async;
  stream_class->read_finish = file_input_read_finish;
  stream_class->close_fn = file_input_close;
}

/* Takes @fd, an open regular file, and closes it when done. */
GInputStream *
msrp_cat_file_input_new (int fd)
{
  MsrpCatFileInput *self = g_object_new (MSRP_CAT_TYPE_FILE_INPUT, NULL);

  self->end.fd = fd;
  self->end.close_fd = TRUE;
  return G_INPUT_STREAM (self);
}

struct _MsrpCatFileOutput
{
  GOutputStream parent_instance;
  FileEnd end;
};

G_DEFINE_FINAL_TYPE (MsrpCatFileOutput, msrp_cat_file_output, G_TYPE_OUTPUT_STREAM)

/* write(2) does not change the buffer; FileEnd serves both directions. */
static gssize
file_output_write (GOutputStream  *stream,
                   const void     *buffer,
                   gsize           count,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return file_end_io (&MSRP_CAT_FILE_OUTPUT (stream)->end, TRUE, (void *) buffer, count,
                      cancellable, error);
}

static void
file_output_write_async (GOutputStream       *stream,
                         const void          *buffer,
                         gsize                count,
                         int                  io_priority,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  file_end_io_async (stream, &MSRP_CAT_FILE_OUTPUT (stream)->end, TRUE, (void *) buffer, count,
                     io_priority, cancellable, callback, user_data);
}

static gboolean
file_output_close (GOutputStream  *stream,
                   GCancellable   *cancellable,
                   GError        **error)
{
  return file_end_close (&MSRP_CAT_FILE_OUTPUT (stream)->end, error);
}

static void
msrp_cat_file_output_finalize (GObject *object)
{
  file_end_close (&MSRP_CAT_FILE_OUTPUT (object)->end, NULL);
  G_OBJECT_CLASS (msrp_cat_file_output_parent_class)->finalize (object);
}

static void
msrp_cat_file_output_init (MsrpCatFileOutput *self)
{
  self->end.fd = -1;
}

static void
msrp_cat_file_output_class_init (MsrpCatFileOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = msrp_cat_file_output_finalize;
  stream_class->write_fn = file_output_write;
  stream_class->write_async = file_output_write_async;
  stream_class->write_finish = file_output_write_finish;
  stream_class->close_fn = file_output_close;
}

/* A stream writing to @fd: in place for regular files and devices, through
 * GIO's pollable stream for pipes and sockets. */
GOutputStream *
msrp_cat_output_stream_new (int fd, gboolean close_fd)
{
  MsrpCatFileOutput *self;
  struct stat st;

  if (fstat (fd, &st) == 0 && (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode)))
    return g_unix_output_stream_new (fd, close_fd);
  self = g_object_new (MSRP_CAT_TYPE_FILE_OUTPUT, NULL);
  self->end.fd = fd;
  self->end.close_fd = close_fd;
  return G_OUTPUT_STREAM (self);
}
