/* msrp-test-pollable-stream.c: bases for test streams made of a read or write function
 *
 * Both bases share everything but their GIO types: the gate (whether the
 * stream polls and whether a non-blocking call would block), the async call
 * that completes at once and the non-blocking call, all written once below
 * for either; each class only passes its typed vfuncs through.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-test-pollable-stream.h"

typedef struct {
  gboolean pollable;
  gboolean busy;     /* until the next source is made */
  gboolean held;     /* until released; sources made meanwhile wait */
  GQueue waiting;    /* those sources */
} Gate;

typedef Gate MsrpTestPollableInputPrivate;
typedef Gate MsrpTestPollableOutputPrivate;

static void msrp_test_pollable_input_pollable_init (GPollableInputStreamInterface *iface);
static void msrp_test_pollable_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (MsrpTestPollableInput, msrp_test_pollable_input, G_TYPE_INPUT_STREAM,
                         G_ADD_PRIVATE (MsrpTestPollableInput)
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                msrp_test_pollable_input_pollable_init))

G_DEFINE_TYPE_WITH_CODE (MsrpTestPollableOutput, msrp_test_pollable_output, G_TYPE_OUTPUT_STREAM,
                         G_ADD_PRIVATE (MsrpTestPollableOutput)
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                msrp_test_pollable_output_pollable_init))

static Gate *
stream_gate (gpointer stream)
{
  if (MSRP_TEST_IS_POLLABLE_INPUT (stream))
    return msrp_test_pollable_input_get_instance_private (stream);
  g_assert (MSRP_TEST_IS_POLLABLE_OUTPUT (stream));
  return msrp_test_pollable_output_get_instance_private (stream);
}

/* The subclass's read_fn or write_fn; neither blocks. A write only reads
 * @buffer. */
static gssize
stream_call (gpointer      stream,
             gpointer      buffer,
             gsize         count,
             GCancellable *cancellable,
             GError      **error)
{
  if (G_IS_INPUT_STREAM (stream))
    return G_INPUT_STREAM_GET_CLASS (stream)->read_fn (stream, buffer, count, cancellable, error);
  return G_OUTPUT_STREAM_GET_CLASS (stream)->write_fn (stream, buffer, count, cancellable, error);
}

/* An async read or write, done at once: no thread, as a fast local stream. */
static void
stream_call_async (gpointer             stream,
                   gpointer             buffer,
                   gsize                count,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;
  gssize n;

  if (g_task_return_error_if_cancelled (task))
    return;
  n = stream_call (stream, buffer, count, cancellable, &error);
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
}

static gssize
stream_call_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static gboolean
stream_can_poll (gpointer stream)
{
  return stream_gate (stream)->pollable;
}

static gboolean
stream_is_ready (gpointer stream)
{
  Gate *gate = stream_gate (stream);

  return !gate->busy && !gate->held;
}

static gssize
stream_call_nonblocking (gpointer stream, gpointer buffer, gsize count, GError **error)
{
  if (!stream_is_ready (stream))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Operation would block");
      return -1;
    }
  return stream_call (stream, buffer, count, NULL, error);
}

/* Ready on the next main-loop iteration, or once released when held. */
static GSource *
stream_create_source (gpointer stream, GCancellable *cancellable)
{
  Gate *gate = stream_gate (stream);
  GSource *source = g_pollable_source_new_full (stream, NULL, cancellable);

  if (gate->held)
    g_queue_push_tail (&gate->waiting, g_source_ref (source));
  else
    {
      gate->busy = FALSE;
      g_source_set_ready_time (source, 0);
    }
  return source;
}

static void
stream_finalize_gate (gpointer stream)
{
  g_queue_clear_full (&stream_gate (stream)->waiting, (GDestroyNotify) g_source_unref);
}

/* --- Input: the typed vfuncs ---------------------------------------------- */

static void
msrp_test_pollable_input_read_async (GInputStream        *stream,
                                     void                *buffer,
                                     gsize                count,
                                     int                  priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  stream_call_async (stream, buffer, count, cancellable, callback, user_data);
}

static gssize
msrp_test_pollable_input_read_finish (GInputStream *stream, GAsyncResult *result, GError **error)
{
  return stream_call_finish (result, error);
}

static gboolean
msrp_test_pollable_input_can_poll (GPollableInputStream *stream)
{
  return stream_can_poll (stream);
}

static gboolean
msrp_test_pollable_input_is_readable (GPollableInputStream *stream)
{
  return stream_is_ready (stream);
}

static gssize
msrp_test_pollable_input_read_nonblocking (GPollableInputStream *stream, void *buffer, gsize count,
                                           GError **error)
{
  return stream_call_nonblocking (stream, buffer, count, error);
}

static GSource *
msrp_test_pollable_input_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  return stream_create_source (stream, cancellable);
}

static void
msrp_test_pollable_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = msrp_test_pollable_input_can_poll;
  iface->is_readable = msrp_test_pollable_input_is_readable;
  iface->read_nonblocking = msrp_test_pollable_input_read_nonblocking;
  iface->create_source = msrp_test_pollable_input_create_source;
}

static void
msrp_test_pollable_input_finalize (GObject *object)
{
  stream_finalize_gate (object);
  G_OBJECT_CLASS (msrp_test_pollable_input_parent_class)->finalize (object);
}

static void
msrp_test_pollable_input_class_init (MsrpTestPollableInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = msrp_test_pollable_input_finalize;
  stream_class->read_async = msrp_test_pollable_input_read_async;
  stream_class->read_finish = msrp_test_pollable_input_read_finish;
}

static void
msrp_test_pollable_input_init (MsrpTestPollableInput *stream)
{
  stream_gate (stream)->pollable = TRUE;
}

/* --- Output: the typed vfuncs --------------------------------------------- */

static void
msrp_test_pollable_output_write_async (GOutputStream       *stream,
                                       const void          *buffer,
                                       gsize                count,
                                       int                  priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  stream_call_async (stream, (gpointer) buffer, count, cancellable, callback, user_data);
}

static gssize
msrp_test_pollable_output_write_finish (GOutputStream *stream, GAsyncResult *result,
                                        GError **error)
{
  return stream_call_finish (result, error);
}

static gboolean
msrp_test_pollable_output_can_poll (GPollableOutputStream *stream)
{
  return stream_can_poll (stream);
}

static gboolean
msrp_test_pollable_output_is_writable (GPollableOutputStream *stream)
{
  return stream_is_ready (stream);
}

static gssize
msrp_test_pollable_output_write_nonblocking (GPollableOutputStream *stream, const void *buffer,
                                             gsize count, GError **error)
{
  return stream_call_nonblocking (stream, (gpointer) buffer, count, error);
}

static GSource *
msrp_test_pollable_output_create_source (GPollableOutputStream *stream,
                                         GCancellable          *cancellable)
{
  return stream_create_source (stream, cancellable);
}

static void
msrp_test_pollable_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = msrp_test_pollable_output_can_poll;
  iface->is_writable = msrp_test_pollable_output_is_writable;
  iface->write_nonblocking = msrp_test_pollable_output_write_nonblocking;
  iface->create_source = msrp_test_pollable_output_create_source;
}

static void
msrp_test_pollable_output_finalize (GObject *object)
{
  stream_finalize_gate (object);
  G_OBJECT_CLASS (msrp_test_pollable_output_parent_class)->finalize (object);
}

static void
msrp_test_pollable_output_class_init (MsrpTestPollableOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = msrp_test_pollable_output_finalize;
  stream_class->write_async = msrp_test_pollable_output_write_async;
  stream_class->write_finish = msrp_test_pollable_output_write_finish;
}

static void
msrp_test_pollable_output_init (MsrpTestPollableOutput *stream)
{
  stream_gate (stream)->pollable = TRUE;
}

/* --- Either --------------------------------------------------------------- */

/**
 * msrp_test_pollable_stream_set_pollable:
 * @stream: (type GObject): a #MsrpTestPollableInput or #MsrpTestPollableOutput
 * @pollable: whether `can_poll` says yes (the default)
 *
 * A stream that cannot poll is read or written with GIO's async calls.
 */
void
msrp_test_pollable_stream_set_pollable (gpointer stream, gboolean pollable)
{
  stream_gate (stream)->pollable = pollable;
}

/**
 * msrp_test_pollable_stream_set_busy:
 * @stream: (type GObject): a #MsrpTestPollableInput or #MsrpTestPollableOutput
 * @busy: whether non-blocking calls would block
 *
 * A busy stream is neither readable nor writable, and its non-blocking
 * calls fail with %G_IO_ERROR_WOULD_BLOCK, until a pollable source is made
 * for it (which clears @busy and is ready on the next main-loop iteration).
 */
void
msrp_test_pollable_stream_set_busy (gpointer stream, gboolean busy)
{
  stream_gate (stream)->busy = busy;
}

/**
 * msrp_test_pollable_stream_set_held:
 * @stream: (type GObject): a #MsrpTestPollableInput or #MsrpTestPollableOutput
 * @held: whether the stream is held
 *
 * A held stream is neither readable nor writable and its non-blocking calls
 * fail with %G_IO_ERROR_WOULD_BLOCK; the pollable sources made for it wait.
 * Releasing it (@held %FALSE) makes them ready on the next main-loop
 * iteration. Only the pollable side is held: a subclass that also holds its
 * async calls does so itself.
 */
void
msrp_test_pollable_stream_set_held (gpointer stream, gboolean held)
{
  Gate *gate = stream_gate (stream);
  GSource *source;

  gate->held = held;
  if (held)
    return;
  while ((source = g_queue_pop_head (&gate->waiting)) != NULL)
    {
      g_source_set_ready_time (source, 0);
      g_source_unref (source);
    }
}
