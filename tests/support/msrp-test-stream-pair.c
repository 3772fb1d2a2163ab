/* msrp-test-stream-pair.c: two connected in-memory GIOStreams for tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-test-stream-pair.h"

#include <string.h>

/* Below this many read bytes at the front of a channel's array, moving the
 * rest down costs more than it saves. */
#define COMPACT_THRESHOLD 4096

/* Bytes written while a direction has a delay, with the time they become
 * readable. */
typedef struct {
  gint64 due;
  gsize size;
  guint8 data[];
} DelayedBytes;

/* One direction: what one side's output stream wrote and the other side's
 * input stream has not read yet. Shared by those two streams and by the
 * sources that wait on it; it lives on the context of the pair. */
typedef struct {
  grefcount ref;
  GMainContext *context;
  MsrpTestStreamOptions options;
  GRand *rand;

  GByteArray *ready;            /* readable bytes, from `head` on */
  gsize head;
  GQueue delayed;               /* DelayedBytes, due in order */
  gsize delayed_size;
  GSource *timer;               /* moves due bytes from `delayed` to `ready` */

  gboolean writer_closed;
  gboolean reader_closed;
  guint64 written;
  guint64 read;
  GError *write_error;          /* writes fail once `written` reaches … */
  guint64 write_error_after;
  GError *read_error;           /* reads fail once `read` reaches … */
  guint64 read_error_after;
  gboolean hold_writes;
  GQueue held_writes;           /* GTask of async writes done, not completed */
} Channel;

static void
set_would_block (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                       "Operation would block");
}

static gsize
channel_buffered (Channel *channel)
{
  return channel->ready->len - channel->head + channel->delayed_size;
}

static gboolean
channel_read_failed (Channel *channel)
{
  return channel->read_error != NULL && channel->read >= channel->read_error_after;
}

static gboolean
channel_write_failed (Channel *channel)
{
  return channel->write_error != NULL && channel->written >= channel->write_error_after;
}

/* Whether a read returns at once: bytes, end-of-file or an error. */
static gboolean
channel_can_read (Channel *channel)
{
  return channel->reader_closed
    || channel_read_failed (channel)
    || channel->ready->len > channel->head
    || (channel->writer_closed && channel->delayed.length == 0);
}

/* Whether a write returns at once: it takes bytes or fails. */
static gboolean
channel_can_write (Channel *channel)
{
  return channel->writer_closed
    || channel->reader_closed
    || channel_write_failed (channel)
    || channel_buffered (channel) < channel->options.capacity;
}

static gboolean
channel_can (Channel *channel, GIOCondition condition)
{
  return condition == G_IO_OUT ? channel_can_write (channel) : channel_can_read (channel);
}

/* How much of @limit (at least 1) one call moves. */
static gsize
channel_piece (Channel *channel, gsize limit)
{
  if (channel->options.mode == MSRP_TEST_STREAM_MERGE)
    return limit;
  if (channel->options.max_piece > 0)
    limit = MIN (limit, channel->options.max_piece);
  limit = MIN (limit, (gsize) G_MAXINT32 - 1);
  return (gsize) g_rand_int_range (channel->rand, 1, (gint32) limit + 1);
}

static gboolean
channel_deliver_due (gpointer user_data)
{
  Channel *channel = user_data;
  gint64 now = g_get_monotonic_time ();
  DelayedBytes *bytes;

  while ((bytes = g_queue_peek_head (&channel->delayed)) != NULL && bytes->due <= now)
    {
      g_queue_pop_head (&channel->delayed);
      g_byte_array_append (channel->ready, bytes->data, bytes->size);
      channel->delayed_size -= bytes->size;
      g_free (bytes);
    }
  g_source_set_ready_time (channel->timer, bytes != NULL ? bytes->due : -1);
  return G_SOURCE_CONTINUE;
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

static void
channel_set_options (Channel *channel, const MsrpTestStreamOptions *options)
{
  static const MsrpTestStreamOptions defaults = { 0 };

  channel->options = options != NULL ? *options : defaults;
  if (channel->options.capacity == 0)
    channel->options.capacity = MSRP_TEST_STREAM_DEFAULT_CAPACITY;
  g_clear_pointer (&channel->rand, g_rand_free);
  channel->rand = g_rand_new_with_seed (channel->options.seed);
}

static Channel *
channel_new (GMainContext *context, const MsrpTestStreamOptions *options)
{
  Channel *channel = g_new0 (Channel, 1);

  g_ref_count_init (&channel->ref);
  channel->context = g_main_context_ref (context);
  channel_set_options (channel, options);
  channel->ready = g_byte_array_new ();
  g_queue_init (&channel->delayed);
  g_queue_init (&channel->held_writes);
  channel->timer = g_source_new (&timer_funcs, sizeof (GSource));
  g_source_set_name (channel->timer, "MsrpTestStreamPair delay");
  g_source_set_callback (channel->timer, channel_deliver_due, channel, NULL);
  g_source_set_ready_time (channel->timer, -1);
  g_source_attach (channel->timer, context);
  return channel;
}

static Channel *
channel_ref (Channel *channel)
{
  g_ref_count_inc (&channel->ref);
  return channel;
}

static void
channel_unref (Channel *channel)
{
  if (!g_ref_count_dec (&channel->ref))
    return;
  g_source_destroy (channel->timer);
  g_source_unref (channel->timer);
  g_queue_clear_full (&channel->delayed, g_free);
  g_byte_array_unref (channel->ready);
  g_rand_free (channel->rand);
  g_clear_error (&channel->write_error);
  g_clear_error (&channel->read_error);
  g_main_context_unref (channel->context);
  g_free (channel);
}

static void
channel_close_writer (Channel *channel)
{
  channel->writer_closed = TRUE;
}

static void
channel_close_reader (Channel *channel)
{
  channel->reader_closed = TRUE;
  /* Nobody reads them any more; the writer now gets errors, not room. */
  g_byte_array_set_size (channel->ready, 0);
  channel->head = 0;
  g_queue_clear_full (&channel->delayed, g_free);
  g_queue_init (&channel->delayed);
  channel->delayed_size = 0;
  g_source_set_ready_time (channel->timer, -1);
}

/* Where the next @size written bytes go: the readable array, or a delayed
 * block that becomes readable after the delay and after the blocks before
 * it, so order holds when the delay changes. */
static guint8 *
channel_append (Channel *channel, gsize size)
{
  DelayedBytes *bytes, *last;
  guint len;

  if (channel->options.delay_ms == 0 && channel->delayed.length == 0)
    {
      len = channel->ready->len;
      g_byte_array_set_size (channel->ready, len + size);
      return channel->ready->data + len;
    }

  bytes = g_malloc (sizeof (DelayedBytes) + size);
  bytes->size = size;
  bytes->due = g_get_monotonic_time () + (gint64) channel->options.delay_ms * 1000;
  last = g_queue_peek_tail (&channel->delayed);
  if (last != NULL)
    bytes->due = MAX (bytes->due, last->due);
  else
    g_source_set_ready_time (channel->timer, bytes->due);
  g_queue_push_tail (&channel->delayed, bytes);
  channel->delayed_size += size;
  return bytes->data;
}

/* Drops read bytes once they are most of the array, so a long run of small
 * reads stays linear. */
static void
channel_compact (Channel *channel)
{
  if (channel->head == channel->ready->len)
    {
      g_byte_array_set_size (channel->ready, 0);
      channel->head = 0;
    }
  else if (channel->head >= COMPACT_THRESHOLD && channel->head * 2 >= channel->ready->len)
    {
      g_byte_array_remove_range (channel->ready, 0, channel->head);
      channel->head = 0;
    }
}

static gssize
channel_read (Channel *channel, void *buffer, gsize count, GError **error)
{
  gsize n = channel->ready->len - channel->head;

  if (channel->reader_closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Stream is already closed");
      return -1;
    }
  if (channel_read_failed (channel))
    {
      g_propagate_error (error, g_error_copy (channel->read_error));
      return -1;
    }
  if (n == 0)
    {
      if (channel->writer_closed && channel->delayed.length == 0)
        return 0;
      set_would_block (error);
      return -1;
    }
  if (count == 0)
    return 0;

  n = MIN (n, count);
  if (channel->read_error != NULL)
    n = MIN (n, channel->read_error_after - channel->read);
  n = channel_piece (channel, n);
  memcpy (buffer, channel->ready->data + channel->head, n);
  channel->head += n;
  channel->read += n;
  channel_compact (channel);
  return (gssize) n;
}

static GPollableReturn
channel_writev (Channel             *channel,
                const GOutputVector *vectors,
                gsize                n_vectors,
                gsize               *bytes_written,
                GError             **error)
{
  gsize buffered = channel_buffered (channel);
  gsize limit, total = 0, done = 0, i;
  guint8 *dest;

  *bytes_written = 0;
  if (channel->writer_closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Stream is already closed");
      return G_POLLABLE_RETURN_FAILED;
    }
  if (channel->reader_closed)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "Peer closed its input");
      return G_POLLABLE_RETURN_FAILED;
    }
  if (channel_write_failed (channel))
    {
      g_propagate_error (error, g_error_copy (channel->write_error));
      return G_POLLABLE_RETURN_FAILED;
    }

  /* The capacity may have been lowered below what is buffered. */
  limit = buffered < channel->options.capacity ? channel->options.capacity - buffered : 0;
  if (channel->write_error != NULL)
    limit = MIN (limit, channel->write_error_after - channel->written);
  for (i = 0; i < n_vectors && total < limit; i++)
    total += MIN (vectors[i].size, limit - total);
  if (total == 0)
    {
      for (i = 0; i < n_vectors; i++)
        if (vectors[i].size > 0)
          return G_POLLABLE_RETURN_WOULD_BLOCK;
      return G_POLLABLE_RETURN_OK;
    }

  total = channel_piece (channel, total);
  dest = channel_append (channel, total);
  for (i = 0; done < total; i++)
    {
      gsize take = MIN (vectors[i].size, total - done);

      memcpy (dest + done, vectors[i].buffer, take);
      done += take;
    }
  channel->written += total;
  *bytes_written = total;
  return G_POLLABLE_RETURN_OK;
}

/* Blocking calls wait by running the context, where the peer's async calls
 * and the delay timer dispatch. */
static gboolean
channel_wait (Channel       *channel,
              GIOCondition   condition,
              GCancellable  *cancellable,
              GError       **error)
{
  GSource *cancelled = NULL;

  if (cancellable != NULL)
    {
      /* Wakes the iteration when another thread cancels. */
      cancelled = g_cancellable_source_new (cancellable);
      g_source_set_dummy_callback (cancelled);
      g_source_attach (cancelled, channel->context);
    }
  while (!g_cancellable_is_cancelled (cancellable) && !channel_can (channel, condition))
    g_main_context_iteration (channel->context, TRUE);
  if (cancelled != NULL)
    {
      g_source_destroy (cancelled);
      g_source_unref (cancelled);
    }
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* A source that is ready while its channel is readable (or writable). It
 * is the child of a pollable source, which runs the callback. */
typedef struct {
  GSource source;
  Channel *channel;
  GIOCondition condition;
} ChannelSource;

static gboolean
channel_source_prepare (GSource *source, gint *timeout)
{
  ChannelSource *self = (ChannelSource *) source;

  *timeout = -1;
  return channel_can (self->channel, self->condition);
}

static gboolean
channel_source_check (GSource *source)
{
  ChannelSource *self = (ChannelSource *) source;

  return channel_can (self->channel, self->condition);
}

static gboolean
channel_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback != NULL ? callback (user_data) : G_SOURCE_CONTINUE;
}

static void
channel_source_finalize (GSource *source)
{
  channel_unref (((ChannelSource *) source)->channel);
}

static GSourceFuncs channel_source_funcs = {
  .prepare = channel_source_prepare,
  .check = channel_source_check,
  .dispatch = channel_source_dispatch,
  .finalize = channel_source_finalize,
};

static GSource *
channel_create_source (Channel      *channel,
                       GIOCondition  condition,
                       gpointer      stream,
                       GCancellable *cancellable)
{
  GSource *child = g_source_new (&channel_source_funcs, sizeof (ChannelSource));
  ChannelSource *self = (ChannelSource *) child;
  GSource *source;

  self->channel = channel_ref (channel);
  self->condition = condition;
  g_source_set_name (child, condition == G_IO_OUT ? "MsrpTestStreamPair writable"
                                                  : "MsrpTestStreamPair readable");
  /* Added here rather than by g_pollable_source_new_full(), which would
   * give it a closure callback; it needs none. */
  source = g_pollable_source_new_full (stream, NULL, cancellable);
  g_source_add_child_source (source, child);
  g_source_unref (child);
  return source;
}

/* Closing is instant in memory; GIO's default close_async would use a
 * thread. */
static void
return_closed (gpointer             stream,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* The input stream: the reading end of a channel. */

#define MSRP_TEST_TYPE_INPUT_STREAM (msrp_test_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (MsrpTestInputStream, msrp_test_input_stream, MSRP_TEST, INPUT_STREAM, GInputStream)

struct _MsrpTestInputStream {
  GInputStream parent_instance;
  Channel *channel;
};

static void msrp_test_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsrpTestInputStream, msrp_test_input_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      msrp_test_input_stream_pollable_init))

static gssize
msrp_test_input_stream_read (GInputStream  *stream,
                             void          *buffer,
                             gsize          count,
                             GCancellable  *cancellable,
                             GError       **error)
{
  Channel *channel = MSRP_TEST_INPUT_STREAM (stream)->channel;

  if (!channel_wait (channel, G_IO_IN, cancellable, error))
    return -1;
  return channel_read (channel, buffer, count, error);
}

static gboolean
msrp_test_input_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  channel_close_reader (MSRP_TEST_INPUT_STREAM (stream)->channel);
  return TRUE;
}

static void
msrp_test_input_stream_close_async (GInputStream        *stream,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  channel_close_reader (MSRP_TEST_INPUT_STREAM (stream)->channel);
  return_closed (stream, cancellable, callback, user_data, msrp_test_input_stream_close_async);
}

static gboolean
msrp_test_input_stream_close_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
msrp_test_input_stream_is_readable (GPollableInputStream *stream)
{
  return channel_can_read (MSRP_TEST_INPUT_STREAM (stream)->channel);
}

static GSource *
msrp_test_input_stream_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  return channel_create_source (MSRP_TEST_INPUT_STREAM (stream)->channel, G_IO_IN,
                                stream, cancellable);
}

static gssize
msrp_test_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                         void                  *buffer,
                                         gsize                  count,
                                         GError               **error)
{
  return channel_read (MSRP_TEST_INPUT_STREAM (stream)->channel, buffer, count, error);
}

static void
msrp_test_input_stream_finalize (GObject *object)
{
  channel_unref (MSRP_TEST_INPUT_STREAM (object)->channel);
  G_OBJECT_CLASS (msrp_test_input_stream_parent_class)->finalize (object);
}

static void
msrp_test_input_stream_class_init (MsrpTestInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = msrp_test_input_stream_finalize;
  stream_class->read_fn = msrp_test_input_stream_read;
  stream_class->close_fn = msrp_test_input_stream_close;
  stream_class->close_async = msrp_test_input_stream_close_async;
  stream_class->close_finish = msrp_test_input_stream_close_finish;
}

static void
msrp_test_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = msrp_test_input_stream_is_readable;
  iface->create_source = msrp_test_input_stream_create_source;
  iface->read_nonblocking = msrp_test_input_stream_read_nonblocking;
}

static void
msrp_test_input_stream_init (MsrpTestInputStream *self)
{
}

/* The output stream: the writing end of a channel. */

#define MSRP_TEST_TYPE_OUTPUT_STREAM (msrp_test_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (MsrpTestOutputStream, msrp_test_output_stream, MSRP_TEST, OUTPUT_STREAM, GOutputStream)

struct _MsrpTestOutputStream {
  GOutputStream parent_instance;
  Channel *channel;
};

static void msrp_test_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsrpTestOutputStream, msrp_test_output_stream, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      msrp_test_output_stream_pollable_init))

static gboolean
msrp_test_output_stream_writev (GOutputStream        *stream,
                                const GOutputVector  *vectors,
                                gsize                 n_vectors,
                                gsize                *bytes_written,
                                GCancellable         *cancellable,
                                GError              **error)
{
  Channel *channel = MSRP_TEST_OUTPUT_STREAM (stream)->channel;

  *bytes_written = 0;
  if (!channel_wait (channel, G_IO_OUT, cancellable, error))
    return FALSE;
  /* Writable now, so this takes bytes or fails; it never would block. */
  return channel_writev (channel, vectors, n_vectors, bytes_written, error) == G_POLLABLE_RETURN_OK;
}

/* An async write: it runs without threads, taking its bytes as soon as
 * they fit; its completion waits while the channel holds writes. */
typedef struct {
  GOutputVector *vectors;       /* a copy of the caller's array */
  gsize n_vectors;
  gsize written;                /* once the bytes are taken */
} AsyncWrite;

static void
async_write_free (AsyncWrite *op)
{
  g_free (op->vectors);
  g_free (op);
}

static void async_write_try (GTask *task);

static gboolean
async_write_ready (GObject *stream, gpointer user_data)
{
  async_write_try (user_data);
  return G_SOURCE_REMOVE;
}

/* Takes the reference on @task. */
static void
async_write_try (GTask *task)
{
  Channel *channel = MSRP_TEST_OUTPUT_STREAM (g_task_get_source_object (task))->channel;
  AsyncWrite *op = g_task_get_task_data (task);
  GError *error = NULL;
  GSource *source;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  switch (channel_writev (channel, op->vectors, op->n_vectors, &op->written, &error))
    {
    case G_POLLABLE_RETURN_FAILED:
      g_task_return_error (task, error);
      g_object_unref (task);
      break;
    case G_POLLABLE_RETURN_WOULD_BLOCK:
      source = channel_create_source (channel, G_IO_OUT, g_task_get_source_object (task),
                                      g_task_get_cancellable (task));
      g_task_attach_source (task, source, (GSourceFunc) async_write_ready);
      g_source_unref (source);
      break;
    case G_POLLABLE_RETURN_OK:
      if (channel->hold_writes)
        g_queue_push_tail (&channel->held_writes, task);
      else
        {
          g_task_return_int (task, (gssize) op->written);
          g_object_unref (task);
        }
      break;
    }
}

static void
msrp_test_output_stream_writev_async (GOutputStream        *stream,
                                      const GOutputVector  *vectors,
                                      gsize                 n_vectors,
                                      int                   io_priority,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  AsyncWrite *op = g_new0 (AsyncWrite, 1);

  g_task_set_source_tag (task, msrp_test_output_stream_writev_async);
  g_task_set_priority (task, io_priority);
  op->vectors = g_memdup2 (vectors, n_vectors * sizeof (GOutputVector));
  op->n_vectors = n_vectors;
  g_task_set_task_data (task, op, (GDestroyNotify) async_write_free);
  async_write_try (task);
}

static gboolean
msrp_test_output_stream_writev_finish (GOutputStream  *stream,
                                       GAsyncResult   *result,
                                       gsize          *bytes_written,
                                       GError        **error)
{
  gssize n = g_task_propagate_int (G_TASK (result), error);

  if (bytes_written != NULL)
    *bytes_written = n > 0 ? (gsize) n : 0;
  return n >= 0;
}

static void
msrp_test_output_stream_write_async (GOutputStream       *stream,
                                     const void          *buffer,
                                     gsize                count,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GOutputVector vector = { buffer, count };

  msrp_test_output_stream_writev_async (stream, &vector, 1, io_priority, cancellable, callback,
                                        user_data);
}

static gssize
msrp_test_output_stream_write_finish (GOutputStream  *stream,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gssize
msrp_test_output_stream_write (GOutputStream  *stream,
                               const void     *buffer,
                               gsize           count,
                               GCancellable   *cancellable,
                               GError        **error)
{
  GOutputVector vector = { buffer, count };
  gsize written;

  if (!msrp_test_output_stream_writev (stream, &vector, 1, &written, cancellable, error))
    return -1;
  return (gssize) written;
}

static gboolean
msrp_test_output_stream_close (GOutputStream *stream, GCancellable *cancellable, GError **error)
{
  channel_close_writer (MSRP_TEST_OUTPUT_STREAM (stream)->channel);
  return TRUE;
}

static void
msrp_test_output_stream_close_async (GOutputStream       *stream,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  channel_close_writer (MSRP_TEST_OUTPUT_STREAM (stream)->channel);
  return_closed (stream, cancellable, callback, user_data, msrp_test_output_stream_close_async);
}

static gboolean
msrp_test_output_stream_close_finish (GOutputStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
msrp_test_output_stream_can_poll (GPollableOutputStream *stream)
{
  return !MSRP_TEST_OUTPUT_STREAM (stream)->channel->options.async_writes;
}

static gboolean
msrp_test_output_stream_is_writable (GPollableOutputStream *stream)
{
  return channel_can_write (MSRP_TEST_OUTPUT_STREAM (stream)->channel);
}

static GSource *
msrp_test_output_stream_create_source (GPollableOutputStream *stream, GCancellable *cancellable)
{
  return channel_create_source (MSRP_TEST_OUTPUT_STREAM (stream)->channel, G_IO_OUT,
                                stream, cancellable);
}

static GPollableReturn
msrp_test_output_stream_writev_nonblocking (GPollableOutputStream  *stream,
                                            const GOutputVector    *vectors,
                                            gsize                   n_vectors,
                                            gsize                  *bytes_written,
                                            GError                **error)
{
  return channel_writev (MSRP_TEST_OUTPUT_STREAM (stream)->channel, vectors, n_vectors,
                         bytes_written, error);
}

static gssize
msrp_test_output_stream_write_nonblocking (GPollableOutputStream  *stream,
                                           const void             *buffer,
                                           gsize                   count,
                                           GError                **error)
{
  GOutputVector vector = { buffer, count };
  gsize written;
  GPollableReturn res;

  res = channel_writev (MSRP_TEST_OUTPUT_STREAM (stream)->channel, &vector, 1, &written, error);
  if (res == G_POLLABLE_RETURN_WOULD_BLOCK)
    set_would_block (error);
  return res == G_POLLABLE_RETURN_OK ? (gssize) written : -1;
}

static void
msrp_test_output_stream_finalize (GObject *object)
{
  channel_unref (MSRP_TEST_OUTPUT_STREAM (object)->channel);
  G_OBJECT_CLASS (msrp_test_output_stream_parent_class)->finalize (object);
}

static void
msrp_test_output_stream_class_init (MsrpTestOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = msrp_test_output_stream_finalize;
  stream_class->write_fn = msrp_test_output_stream_write;
  stream_class->writev_fn = msrp_test_output_stream_writev;
  stream_class->close_fn = msrp_test_output_stream_close;
  stream_class->close_async = msrp_test_output_stream_close_async;
  stream_class->close_finish = msrp_test_output_stream_close_finish;
  stream_class->write_async = msrp_test_output_stream_write_async;
  stream_class->write_finish = msrp_test_output_stream_write_finish;
  stream_class->writev_async = msrp_test_output_stream_writev_async;
  stream_class->writev_finish = msrp_test_output_stream_writev_finish;
  /* Nothing to flush; without this GIO would flush in a thread. */
  stream_class->flush_async = NULL;
}

static void
msrp_test_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = msrp_test_output_stream_can_poll;
  iface->is_writable = msrp_test_output_stream_is_writable;
  iface->create_source = msrp_test_output_stream_create_source;
  iface->write_nonblocking = msrp_test_output_stream_write_nonblocking;
  iface->writev_nonblocking = msrp_test_output_stream_writev_nonblocking;
}

static void
msrp_test_output_stream_init (MsrpTestOutputStream *self)
{
}

/* The GIOStream: one side, reading one channel and writing the other. */

#define MSRP_TEST_TYPE_IO_STREAM (msrp_test_io_stream_get_type ())
G_DECLARE_FINAL_TYPE (MsrpTestIOStream, msrp_test_io_stream, MSRP_TEST, IO_STREAM, GIOStream)

struct _MsrpTestIOStream {
  GIOStream parent_instance;
  MsrpTestInputStream *input;
  MsrpTestOutputStream *output;
};

G_DEFINE_FINAL_TYPE (MsrpTestIOStream, msrp_test_io_stream, G_TYPE_IO_STREAM)

static GInputStream *
msrp_test_io_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (MSRP_TEST_IO_STREAM (stream)->input);
}

static GOutputStream *
msrp_test_io_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (MSRP_TEST_IO_STREAM (stream)->output);
}

static gboolean
msrp_test_io_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  MsrpTestIOStream *self = MSRP_TEST_IO_STREAM (stream);

  /* GIO refuses to close a stream with a pending operation; closing the
   * channels anyway wakes that operation with an error, as a socket does. */
  channel_close_writer (self->output->channel);
  channel_close_reader (self->input->channel);
  g_output_stream_close (G_OUTPUT_STREAM (self->output), NULL, NULL);
  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  return TRUE;
}

static void
msrp_test_io_stream_close_async (GIOStream           *stream,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  msrp_test_io_stream_close (stream, cancellable, NULL);
  return_closed (stream, cancellable, callback, user_data, msrp_test_io_stream_close_async);
}

static gboolean
msrp_test_io_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
msrp_test_io_stream_finalize (GObject *object)
{
  MsrpTestIOStream *self = MSRP_TEST_IO_STREAM (object);

  g_object_unref (self->input);
  g_object_unref (self->output);
  G_OBJECT_CLASS (msrp_test_io_stream_parent_class)->finalize (object);
}

static void
msrp_test_io_stream_class_init (MsrpTestIOStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = msrp_test_io_stream_finalize;
  stream_class->get_input_stream = msrp_test_io_stream_get_input_stream;
  stream_class->get_output_stream = msrp_test_io_stream_get_output_stream;
  stream_class->close_fn = msrp_test_io_stream_close;
  stream_class->close_async = msrp_test_io_stream_close_async;
  stream_class->close_finish = msrp_test_io_stream_close_finish;
}

static void
msrp_test_io_stream_init (MsrpTestIOStream *self)
{
}

static GIOStream *
msrp_test_io_stream_new (Channel *in, Channel *out)
{
  MsrpTestIOStream *self = g_object_new (MSRP_TEST_TYPE_IO_STREAM, NULL);

  self->input = g_object_new (MSRP_TEST_TYPE_INPUT_STREAM, NULL);
  self->input->channel = channel_ref (in);
  self->output = g_object_new (MSRP_TEST_TYPE_OUTPUT_STREAM, NULL);
  self->output->channel = channel_ref (out);
  return G_IO_STREAM (self);
}

/* The pair. */

struct _MsrpTestStreamPair {
  GObject parent_instance;
  Channel *channels[2];         /* by MsrpTestDirection */
  GIOStream *a;
  GIOStream *b;
};

G_DEFINE_FINAL_TYPE (MsrpTestStreamPair, msrp_test_stream_pair, G_TYPE_OBJECT)

static void
msrp_test_stream_pair_finalize (GObject *object)
{
  MsrpTestStreamPair *pair = MSRP_TEST_STREAM_PAIR (object);

  g_object_unref (pair->a);
  g_object_unref (pair->b);
  channel_unref (pair->channels[MSRP_TEST_A_TO_B]);
  channel_unref (pair->channels[MSRP_TEST_B_TO_A]);
  G_OBJECT_CLASS (msrp_test_stream_pair_parent_class)->finalize (object);
}

static void
msrp_test_stream_pair_class_init (MsrpTestStreamPairClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = msrp_test_stream_pair_finalize;
}

static void
msrp_test_stream_pair_init (MsrpTestStreamPair *pair)
{
}

static Channel *
pair_channel (MsrpTestStreamPair *pair, MsrpTestDirection direction)
{
  g_assert (MSRP_TEST_IS_STREAM_PAIR (pair));
  g_assert (direction == MSRP_TEST_A_TO_B || direction == MSRP_TEST_B_TO_A);
  return pair->channels[direction];
}

/**
 * msrp_test_stream_pair_new:
 * @a_to_b: (nullable): options of what A writes and B reads; %NULL for the defaults
 * @b_to_a: (nullable): options of what B writes and A reads; %NULL for the defaults
 *
 * Makes two connected streams on the thread-default #GMainContext.
 *
 * Returns: (transfer full): the pair, which holds a reference on both streams
 */
MsrpTestStreamPair *
msrp_test_stream_pair_new (const MsrpTestStreamOptions *a_to_b,
                           const MsrpTestStreamOptions *b_to_a)
{
  MsrpTestStreamPair *pair = g_object_new (MSRP_TEST_TYPE_STREAM_PAIR, NULL);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  Channel *ab = channel_new (context, a_to_b);
  Channel *ba = channel_new (context, b_to_a);

  pair->channels[MSRP_TEST_A_TO_B] = ab;
  pair->channels[MSRP_TEST_B_TO_A] = ba;
  pair->a = msrp_test_io_stream_new (ba, ab);
  pair->b = msrp_test_io_stream_new (ab, ba);
  return pair;
}

/**
 * msrp_test_stream_pair_get_a:
 * @pair: a pair
 *
 * Returns: (transfer none): stream A, which writes %MSRP_TEST_A_TO_B
 */
GIOStream *
msrp_test_stream_pair_get_a (MsrpTestStreamPair *pair)
{
  g_return_val_if_fail (MSRP_TEST_IS_STREAM_PAIR (pair), NULL);
  return pair->a;
}

/**
 * msrp_test_stream_pair_get_b:
 * @pair: a pair
 *
 * Returns: (transfer none): stream B, which writes %MSRP_TEST_B_TO_A
 */
GIOStream *
msrp_test_stream_pair_get_b (MsrpTestStreamPair *pair)
{
  g_return_val_if_fail (MSRP_TEST_IS_STREAM_PAIR (pair), NULL);
  return pair->b;
}

/**
 * msrp_test_stream_pair_set_options:
 * @pair: a pair
 * @direction: the direction to change
 * @options: (nullable): the new options; %NULL for the defaults
 *
 * Replaces the options of @direction. The split #GRand restarts from the
 * new seed; a new delay applies to bytes written from now on (they still
 * arrive after the bytes before them); a new capacity applies at once.
 */
void
msrp_test_stream_pair_set_options (MsrpTestStreamPair          *pair,
                                   MsrpTestDirection            direction,
                                   const MsrpTestStreamOptions *options)
{
  channel_set_options (pair_channel (pair, direction), options);
}

static void
set_failure (GError **slot, guint64 *after_slot, guint64 after, const GError *error)
{
  g_clear_error (slot);
  *slot = error != NULL ? g_error_copy (error) : NULL;
  *after_slot = after;
}

/**
 * msrp_test_stream_pair_fail_writes:
 * @pair: a pair
 * @direction: the direction whose writer fails
 * @after: how many bytes the direction takes in all, counted from its start
 * @error: (nullable): the error every write gets from then on; %NULL to
 *   stop failing
 *
 * Makes writes fail once @after bytes have been written in @direction: a
 * write that would cross @after takes only the bytes up to it, and every
 * write after that fails with a copy of @error.
 */
void
msrp_test_stream_pair_fail_writes (MsrpTestStreamPair *pair,
                                   MsrpTestDirection   direction,
                                   guint64             after,
                                   const GError       *error)
{
  Channel *channel = pair_channel (pair, direction);

  set_failure (&channel->write_error, &channel->write_error_after, after, error);
}

/**
 * msrp_test_stream_pair_fail_reads:
 * @pair: a pair
 * @direction: the direction whose reader fails
 * @after: how many bytes the reader gets in all, counted from the start
 * @error: (nullable): the error every read gets from then on; %NULL to
 *   stop failing
 *
 * Makes reads fail once @after bytes have been read in @direction: a read
 * that would cross @after returns only the bytes up to it, and every read
 * after that fails with a copy of @error, even with bytes still buffered.
 */
void
msrp_test_stream_pair_fail_reads (MsrpTestStreamPair *pair,
                                  MsrpTestDirection   direction,
                                  guint64             after,
                                  const GError       *error)
{
  Channel *channel = pair_channel (pair, direction);

  set_failure (&channel->read_error, &channel->read_error_after, after, error);
}

/**
 * msrp_test_stream_pair_hold_writes:
 * @pair: a pair
 * @direction: the direction whose writer is held
 * @hold: whether to hold
 *
 * While held, the async writes of @direction still take their bytes (the
 * peer can read them) but do not complete: as a socket write whose bytes
 * are out before its completion is dispatched. Stopping the hold completes
 * the held writes, in order, on later iterations of the context. Release
 * them before closing: GIO does not close a stream with a write pending.
 */
void
msrp_test_stream_pair_hold_writes (MsrpTestStreamPair *pair,
                                   MsrpTestDirection   direction,
                                   gboolean            hold)
{
  Channel *channel = pair_channel (pair, direction);
  GTask *task;

  channel->hold_writes = hold;
  if (hold)
    return;
  while ((task = g_queue_pop_head (&channel->held_writes)) != NULL)
    {
      AsyncWrite *op = g_task_get_task_data (task);

      g_task_return_int (task, (gssize) op->written);
      g_object_unref (task);
    }
}

/**
 * msrp_test_stream_pair_get_held_writes:
 * @pair: a pair
 * @direction: a direction
 *
 * Returns: how many async writes of @direction have taken their bytes and
 *   wait for msrp_test_stream_pair_hold_writes() to stop holding them
 */
guint
msrp_test_stream_pair_get_held_writes (MsrpTestStreamPair *pair,
                                       MsrpTestDirection   direction)
{
  return pair_channel (pair, direction)->held_writes.length;
}

/**
 * msrp_test_stream_pair_get_bytes_written:
 * @pair: a pair
 * @direction: a direction
 *
 * Returns: how many bytes writes have taken in @direction so far
 */
guint64
msrp_test_stream_pair_get_bytes_written (MsrpTestStreamPair *pair,
                                         MsrpTestDirection   direction)
{
  return pair_channel (pair, direction)->written;
}

/**
 * msrp_test_stream_pair_get_bytes_read:
 * @pair: a pair
 * @direction: a direction
 *
 * Returns: how many bytes reads have returned in @direction so far
 */
guint64
msrp_test_stream_pair_get_bytes_read (MsrpTestStreamPair *pair,
                                      MsrpTestDirection   direction)
{
  return pair_channel (pair, direction)->read;
}

/**
 * msrp_test_stream_pair_get_buffered:
 * @pair: a pair
 * @direction: a direction
 *
 * Returns: how many bytes @direction holds: written, not read yet (delayed
 *   ones included), and not dropped by the reader closing
 */
gsize
msrp_test_stream_pair_get_buffered (MsrpTestStreamPair *pair,
                                    MsrpTestDirection   direction)
{
  return channel_buffered (pair_channel (pair, direction));
}
