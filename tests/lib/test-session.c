/* test-session.c: MsrpSession round trips and protocol edge cases
 *
 * Round trips run three times: over the in-memory stream pair merging
 * writes, over it splitting every read and write at random (fixed seeds),
 * and over a loopback TCP connection. Protocol cases talk to a session
 * through a "raw peer": frames the test builds and parses itself.
 *
 * Every wait is bounded by a GLib timeout that fails the test. Under
 * valgrind (MSRP_TEST_VALGRIND set by the valgrind test setup) the big
 * bodies shrink; the logic is the same.
 */
#include <msrp.h>
#include "msrp-test-pollable-stream.h"
#include "msrp-test-stream-pair.h"

#define HIGH_WATER (1024 * 1024)

static gboolean under_valgrind;

static gsize
scaled (gsize normal, gsize valgrind)
{
  return under_valgrind ? valgrind : normal;
}

/* --- A body generator: a non-seekable input stream of N pseudo-random bytes,
 * answering async reads without threads, with the SHA-256 of what it gave.
 * When it can poll, every second read would block. */

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, MsrpTestPollableInput)

struct _TestSource
{
  MsrpTestPollableInput parent_instance;
  guint64 size;
  guint64 stop;  /* ends here (before size when a test wants a short stream) */
  guint64 pos;
  guint32 state;
  GChecksum *sha;
  guint64 n_reads;
  gsize max_read;  /* 0: no limit; otherwise reads are short */
};

G_DEFINE_TYPE (TestSource, test_source, MSRP_TEST_TYPE_POLLABLE_INPUT)

static gssize
test_source_read (GInputStream *stream, void *buffer, gsize count,
                  GCancellable *cancellable, GError **error)
{
  TestSource *self = TEST_SOURCE (stream);
  gsize n = MIN (count, self->stop - self->pos);
  guint8 *out = buffer;

  if (self->max_read > 0)
    n = MIN (n, self->max_read);
  for (gsize i = 0; i < n; i++)
    {
      self->state ^= self->state << 13;
      self->state ^= self->state >> 17;
      self->state ^= self->state << 5;
      out[i] = self->state >> 24;
    }
  g_checksum_update (self->sha, out, n);
  self->pos += n;
  self->n_reads++;
  msrp_test_pollable_stream_set_busy (self, self->n_reads % 2 == 0);
  return n;
}

static void
test_source_finalize (GObject *object)
{
  g_checksum_free (TEST_SOURCE (object)->sha);
  G_OBJECT_CLASS (test_source_parent_class)->finalize (object);
}

static void
test_source_init (TestSource *self)
{
  self->sha = g_checksum_new (G_CHECKSUM_SHA256);
}

static void
test_source_class_init (TestSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_source_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_source_read;
}

static TestSource *
test_source_new (guint64 size, guint32 seed)
{
  TestSource *self = g_object_new (TEST_TYPE_SOURCE, NULL);

  self->size = self->stop = size;
  self->state = seed ? seed : 1;
  msrp_test_pollable_stream_set_pollable (self, FALSE);
  return self;
}

/* --- A sink: an output stream keeping the SHA-256 (and optionally the
 * bytes) of what it gets, answering async writes without threads, slowly
 * (one write per main-loop iteration) or failing when asked. */

#define TEST_TYPE_SINK (test_sink_get_type ())
G_DECLARE_FINAL_TYPE (TestSink, test_sink, TEST, SINK, MsrpTestPollableOutput)

struct _TestSink
{
  MsrpTestPollableOutput parent_instance;
  GChecksum *sha;
  GByteArray *kept;
  guint64 written;
  guint64 fail_at;   /* 0: never */
  gsize max_write;   /* 0: no limit; otherwise writes are short */
  gboolean slow;     /* one write per main-loop iteration */
  gboolean hold;     /* writes wait for test_sink_release() */
  GQueue held;
  guint64 n_writes;
};

G_DEFINE_TYPE (TestSink, test_sink, MSRP_TEST_TYPE_POLLABLE_OUTPUT)

static gssize
test_sink_write (GOutputStream *stream, const void *buffer, gsize count,
                 GCancellable *cancellable, GError **error)
{
  TestSink *self = TEST_SINK (stream);

  msrp_test_pollable_stream_set_busy (self, self->slow);
  if (self->max_write > 0)
    count = MIN (count, self->max_write);
  if (self->fail_at > 0 && self->written + count >= self->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "test sink is full");
      return -1;
    }
  g_checksum_update (self->sha, buffer, count);
  if (self->kept != NULL)
    g_byte_array_append (self->kept, buffer, count);
  self->written += count;
  self->n_writes++;
  return count;
}

typedef struct {
  const void *buffer;
  gsize count;
} SinkWrite;

static gboolean
test_sink_write_later (gpointer user_data)
{
  GTask *task = user_data;
  SinkWrite *w = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = test_sink_write (g_task_get_source_object (task), w->buffer, w->count, NULL, &error);

  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n);
  return G_SOURCE_REMOVE;
}

static void
test_sink_write_async (GOutputStream *stream, const void *buffer, gsize count, int priority,
                       GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  TestSink *self = TEST_SINK (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);
  SinkWrite *w = g_new0 (SinkWrite, 1);

  w->buffer = buffer;
  w->count = count;
  g_task_set_task_data (task, w, g_free);
  if (self->hold)
    g_queue_push_tail (&self->held, task);
  else if (self->slow)
    g_idle_add_full (G_PRIORITY_LOW, test_sink_write_later, task, g_object_unref);
  else
    {
      test_sink_write_later (task);
      g_object_unref (task);
    }
}

/* Holds writes, async and non-blocking, until test_sink_release(). */
static void
test_sink_hold (TestSink *self)
{
  self->hold = TRUE;
  msrp_test_pollable_stream_set_held (self, TRUE);
}

/* Lets the held writes and all later ones through. */
static void
test_sink_release (TestSink *self)
{
  GTask *task;

  self->hold = FALSE;
  while ((task = g_queue_pop_head (&self->held)) != NULL)
    {
      test_sink_write_later (task);
      g_object_unref (task);
    }
  msrp_test_pollable_stream_set_held (self, FALSE);
}

static void
test_sink_finalize (GObject *object)
{
  TestSink *self = TEST_SINK (object);

  g_queue_clear_full (&self->held, g_object_unref);
  g_checksum_free (self->sha);
  if (self->kept)
    g_byte_array_unref (self->kept);
  G_OBJECT_CLASS (test_sink_parent_class)->finalize (object);
}

static void
test_sink_init (TestSink *self)
{
  self->sha = g_checksum_new (G_CHECKSUM_SHA256);
}

static void
test_sink_class_init (TestSinkClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_sink_finalize;
  stream_class->write_fn = test_sink_write;
  stream_class->write_async = test_sink_write_async;
}

/* --- Fixture ----------------------------------------------------------------- */

typedef enum {
  LINK_MEMORY,
  LINK_SPLIT,
  LINK_TCP,
  LINK_ASYNC_WRITES,  /* memory; A's writes cannot poll, their completion can be held */
} LinkKind;

/* Or'd to a LinkKind in the test data: TestSources and TestSinks can poll. */
#define POLLABLE_STREAMS 0x100

typedef struct _RawPeer RawPeer;

typedef struct {
  LinkKind kind;
  MsrpTestStreamPair *pair;
  GIOStream *stream_a;
  GIOStream *stream_b;
  MsrpTransport *ta;
  MsrpTransport *tb;
  MsrpSession *a;
  MsrpSession *b;
  RawPeer *raw;
  GPtrArray *path_a;
  GPtrArray *path_b;
  GSource *timeout;
  gboolean timed_out;

  /* What session B reported. */
  GPtrArray *announced;
  GPtrArray *received;
  GPtrArray *failed;
  GPtrArray *failed_errors;
  guint closed_b;
  GError *closed_b_error;
  /* Set by tests for B's incoming-message handler. */
  gboolean stream_big;     /* application/octet-stream goes to a TestSink */
  gboolean pollable_streams; /* TestSources and TestSinks can poll */
  TestSink *sink;
  gboolean abort_incoming;
  /* Frames session A's transport received and sent. */
  GPtrArray *a_in;
  GPtrArray *b_in;
} Fixture;

#define WAIT_UNTIL(fx, cond)                                       \
  G_STMT_START {                                                   \
    while (!(cond) && !(fx)->timed_out)                            \
      g_main_context_iteration (NULL, TRUE);                       \
    if ((fx)->timed_out)                                           \
      g_error ("timed out waiting for %s", #cond);                 \
  } G_STMT_END

static gboolean
on_test_timeout (gpointer user_data)
{
  Fixture *fx = user_data;

  fx->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static GPtrArray *
parse_path (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *path = msrp_path_parse (text, &error);

  g_assert_no_error (error);
  return path;
}

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GIOStream **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = G_IO_STREAM (g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error));
  g_assert_no_error (error);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GIOStream **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = G_IO_STREAM (g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error));
  g_assert_no_error (error);
}

static void
make_link (Fixture *fx)
{
  if (fx->kind == LINK_TCP)
    {
      g_autoptr(GSocketListener) listener = g_socket_listener_new ();
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GError) error = NULL;

      g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                     NULL, &bound, &error);
      g_assert_no_error (error);
      g_socket_listener_accept_async (listener, NULL, on_accepted, &fx->stream_b);
      /* As the library: no proxy resolver (libproxy) between the ends. */
      g_socket_client_set_enable_proxy (client, FALSE);
      g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (bound), NULL, on_connected,
                                     &fx->stream_a);
      WAIT_UNTIL (fx, fx->stream_a != NULL && fx->stream_b != NULL);
      g_socket_listener_close (listener);
      return;
    }

  if (fx->kind == LINK_SPLIT)
    fx->pair = msrp_test_stream_pair_new (
      &(MsrpTestStreamOptions) { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 4975, .max_piece = 3000 },
      &(MsrpTestStreamOptions) { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 4976, .max_piece = 3000 });
  else if (fx->kind == LINK_ASYNC_WRITES)
    fx->pair = msrp_test_stream_pair_new (&(MsrpTestStreamOptions) { .async_writes = TRUE }, NULL);
  else
    fx->pair = msrp_test_stream_pair_new (NULL, NULL);
  fx->stream_a = g_object_ref (msrp_test_stream_pair_get_a (fx->pair));
  fx->stream_b = g_object_ref (msrp_test_stream_pair_get_b (fx->pair));
}

static void
keep_frame (MsrpTransport *transport, MsrpFrame *frame, gpointer user_data)
{
  g_ptr_array_add (user_data, msrp_frame_ref (frame));
}

static TestSink *
test_sink_new (Fixture *fx)
{
  TestSink *sink = g_object_new (TEST_TYPE_SINK, NULL);

  msrp_test_pollable_stream_set_pollable (sink, fx->pollable_streams);
  return sink;
}

/* A TestSource that can poll when the fixture says so. */
static TestSource *
source_new (Fixture *fx, guint64 size, guint32 seed)
{
  TestSource *source = test_source_new (size, seed);

  msrp_test_pollable_stream_set_pollable (source, fx->pollable_streams);
  return source;
}

static void
on_incoming (MsrpSession *session, MsrpIncomingMessage *message, Fixture *fx)
{
  g_ptr_array_add (fx->announced, g_object_ref (message));
  if (fx->abort_incoming)
    {
      msrp_session_abort_incoming (session, message);
      return;
    }
  if (fx->stream_big &&
      g_strcmp0 (msrp_incoming_message_get_content_type (message), "application/octet-stream") == 0)
    {
      if (fx->sink == NULL)
        fx->sink = test_sink_new (fx);
      msrp_incoming_message_set_output_stream (message, G_OUTPUT_STREAM (fx->sink));
    }
}

static void
on_received (MsrpSession *session, MsrpIncomingMessage *message, Fixture *fx)
{
  g_ptr_array_add (fx->received, g_object_ref (message));
}

static void
on_failed (MsrpSession *session, MsrpIncomingMessage *message, GError *error, Fixture *fx)
{
  g_assert_nonnull (error);
  g_ptr_array_add (fx->failed, g_object_ref (message));
  g_ptr_array_add (fx->failed_errors, g_error_copy (error));
}

static void
on_closed_b (MsrpSession *session, GError *error, Fixture *fx)
{
  fx->closed_b++;
  if (error != NULL)
    fx->closed_b_error = g_error_copy (error);
}

static void
fixture_init (Fixture *fx, gconstpointer data)
{
  fx->kind = GPOINTER_TO_INT (data) & ~POLLABLE_STREAMS;
  fx->pollable_streams = (GPOINTER_TO_INT (data) & POLLABLE_STREAMS) != 0;
  fx->timeout = g_timeout_source_new_seconds (under_valgrind ? 900 : 90);
  g_source_set_callback (fx->timeout, on_test_timeout, fx, NULL);
  g_source_attach (fx->timeout, NULL);
  fx->path_a = parse_path ("msrp://127.0.0.1:7001/sessiona;tcp");
  fx->path_b = parse_path ("msrp://127.0.0.1:7002/sessionb;tcp");
  fx->announced = g_ptr_array_new_with_free_func (g_object_unref);
  fx->received = g_ptr_array_new_with_free_func (g_object_unref);
  fx->failed = g_ptr_array_new_with_free_func (g_object_unref);
  fx->failed_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  fx->a_in = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  fx->b_in = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  make_link (fx);
  fx->ta = msrp_transport_new (fx->stream_a);
  g_signal_connect (fx->ta, "frame-received", G_CALLBACK (keep_frame), fx->a_in);
}

static MsrpSession *
make_session (MsrpTransport *transport, GPtrArray *local, GPtrArray *remote)
{
  g_autoptr(GError) error = NULL;
  MsrpSession *session = msrp_session_new (transport, local, remote, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static void
setup_sessions (Fixture *fx, gconstpointer data)
{
  fixture_init (fx, data);
  fx->tb = msrp_transport_new (fx->stream_b);
  g_signal_connect (fx->tb, "frame-received", G_CALLBACK (keep_frame), fx->b_in);
  fx->a = make_session (fx->ta, fx->path_a, fx->path_b);
  fx->b = make_session (fx->tb, fx->path_b, fx->path_a);
  g_signal_connect (fx->b, "incoming-message", G_CALLBACK (on_incoming), fx);
  g_signal_connect (fx->b, "message-received", G_CALLBACK (on_received), fx);
  g_signal_connect (fx->b, "message-failed", G_CALLBACK (on_failed), fx);
  g_signal_connect (fx->b, "closed", G_CALLBACK (on_closed_b), fx);
  msrp_transport_start (fx->ta);
  msrp_transport_start (fx->tb);
}

static void
on_session_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  msrp_session_close_finish (MSRP_SESSION (source), result, NULL);
  *done = TRUE;
}

static void
on_transport_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  msrp_transport_close_finish (MSRP_TRANSPORT (source), result, NULL);
  *done = TRUE;
}

static void close_transport (Fixture *fx, MsrpTransport *transport);
static void raw_peer_free (RawPeer *peer);

static void
teardown (Fixture *fx, gconstpointer data)
{
  gboolean done;

  if (fx->a != NULL)
    {
      done = FALSE;
      msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
      WAIT_UNTIL (fx, done);
    }
  if (fx->b != NULL)
    {
      done = FALSE;
      msrp_session_close_async (fx->b, NULL, on_session_closed, &done);
      WAIT_UNTIL (fx, done);
    }
  if (fx->raw != NULL)
    g_clear_pointer (&fx->raw, raw_peer_free);
  close_transport (fx, fx->ta);
  if (fx->tb != NULL)
    close_transport (fx, fx->tb);

  g_clear_object (&fx->a);
  g_clear_object (&fx->b);
  g_clear_object (&fx->ta);
  g_clear_object (&fx->tb);
  g_clear_object (&fx->stream_a);
  g_clear_object (&fx->stream_b);
  g_clear_object (&fx->pair);
  g_clear_object (&fx->sink);
  g_clear_error (&fx->closed_b_error);
  g_ptr_array_unref (fx->path_a);
  g_ptr_array_unref (fx->path_b);
  g_ptr_array_unref (fx->announced);
  g_ptr_array_unref (fx->received);
  g_ptr_array_unref (fx->failed);
  g_ptr_array_unref (fx->failed_errors);
  g_ptr_array_unref (fx->a_in);
  g_ptr_array_unref (fx->b_in);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_source_destroy (fx->timeout);
  g_source_unref (fx->timeout);
}

static void
close_transport (Fixture *fx, MsrpTransport *transport)
{
  gboolean done = FALSE;

  if (msrp_transport_is_closed (transport))
    return;
  msrp_transport_close_async (transport, NULL, on_transport_closed, &done);
  WAIT_UNTIL (fx, done);
}

static const GError *
failed_error (Fixture *fx, guint i)
{
  g_assert_cmpuint (i, <, fx->failed_errors->len);
  return fx->failed_errors->pdata[i];
}

/* --- Sending helpers ------------------------------------------------------------- */

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
  guint order;
} SendResult;

static guint send_counter;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendResult *r = user_data;

  g_assert_false (r->done);
  r->ok = msrp_session_send_finish (MSRP_SESSION (source), result, &r->error);
  r->done = TRUE;
  r->order = ++send_counter;
}

static void
send_result_clear (SendResult *r)
{
  g_clear_error (&r->error);
}

static GBytes *
random_bytes (gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (MAX (size, 1));

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;
  return g_bytes_new_take (data, size);
}

static void
send_and_wait (Fixture *fx, MsrpSession *session, MsrpOutgoingMessage *message, SendResult *r)
{
  msrp_session_send_async (session, message, NULL, on_sent, r);
  WAIT_UNTIL (fx, r->done);
}

/* Sends @body from A to B and checks B got exactly it. */
static void
round_trip (Fixture *fx, const char *content_type, GBytes *body)
{
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes (content_type, body);
  SendResult r = { 0 };
  guint before = fx->received->len;
  MsrpIncomingMessage *in;

  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  WAIT_UNTIL (fx, fx->received->len == before + 1);
  in = fx->received->pdata[before];
  g_assert_cmpstr (msrp_incoming_message_get_message_id (in), ==,
                   msrp_outgoing_message_get_message_id (message));
  g_assert_cmpstr (msrp_incoming_message_get_content_type (in), ==, content_type);
  g_assert_cmpint (msrp_incoming_message_get_size (in), ==, g_bytes_get_size (body));
  g_assert_nonnull (msrp_incoming_message_get_bytes (in));
  g_assert_true (g_bytes_equal (msrp_incoming_message_get_bytes (in), body));
  g_assert_cmpuint (msrp_outgoing_message_get_bytes_sent (message), ==, g_bytes_get_size (body));
  send_result_clear (&r);
}

/* --- Round trips ------------------------------------------------------------------ */

static void
test_text (Fixture *fx, gconstpointer data)
{
  SendResult r = { 0 };
  MsrpIncomingMessage *in;
  GBytes *bytes;
  GPtrArray *from;
  g_autofree char *from_text = NULL;

  msrp_session_send_text_async (fx->a, "Hello, MSRP ☺", NULL, on_sent, &r);
  WAIT_UNTIL (fx, r.done);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->received->len == 1);
  in = fx->received->pdata[0];
  bytes = msrp_incoming_message_get_bytes (in);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "Hello, MSRP ☺", strlen ("Hello, MSRP ☺"));
  g_assert_cmpstr (msrp_incoming_message_get_content_type (in), ==, "text/plain;charset=UTF-8");
  from = msrp_incoming_message_get_from_path (in);
  from_text = msrp_path_to_string (from);
  g_assert_cmpstr (from_text, ==, "msrp://127.0.0.1:7001/sessiona;tcp");
  g_assert_cmpuint (fx->announced->len, ==, 1);
  g_assert_true (fx->announced->pdata[0] == in);
  g_assert_null (msrp_incoming_message_get_output_stream (in));
  g_assert_cmpuint (fx->failed->len, ==, 0);

  /* And the other way. */
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("back", 4);
    g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
    SendResult back = { 0 };

    send_and_wait (fx, fx->b, message, &back);
    g_assert_no_error (back.error);
  }
  send_result_clear (&r);
}

static void
test_empty_body (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("", 0);

  round_trip (fx, "text/plain", body);
  g_assert_cmpuint (fx->announced->len, ==, 1);
}

static void
test_one_byte (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);

  round_trip (fx, "application/octet-stream", body);
}

static void
test_binary_10mib (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (scaled (10 * 1024 * 1024, 512 * 1024), 10);
  g_autofree char *sent_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *got_sha = NULL;
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/x-test", body);
  SendResult r = { 0 };

  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->received->len == 1);
  got_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                          msrp_incoming_message_get_bytes (fx->received->pdata[0]));
  g_assert_cmpstr (got_sha, ==, sent_sha);
  g_assert_cmpfloat (msrp_outgoing_message_get_progress (message), ==, 1.0);
}

static void
test_chunk_sizes (Fixture *fx, guint chunk_size, const gsize *sizes, gsize n_sizes)
{
  msrp_session_set_chunk_size (fx->a, chunk_size);
  for (gsize i = 0; i < n_sizes; i++)
    {
      g_autoptr(GBytes) body = random_bytes (sizes[i], sizes[i] + 1);
      round_trip (fx, "application/octet-stream", body);
    }
}

static void
test_chunk_1 (Fixture *fx, gconstpointer data)
{
  gsize sizes[] = { 0, 1, 2, 7, 100, scaled (64 * 1024, 4 * 1024) };

  test_chunk_sizes (fx, 1, sizes, G_N_ELEMENTS (sizes));
}

static void
test_chunk_7 (Fixture *fx, gconstpointer data)
{
  gsize sizes[] = { 0, 1, 6, 7, 8, 14, 15, 1000, scaled (64 * 1024, 8 * 1024) };

  test_chunk_sizes (fx, 7, sizes, G_N_ELEMENTS (sizes));
}

static void
test_chunk_2048 (Fixture *fx, gconstpointer data)
{
  gsize sizes[] = { 0, 1, 7, 2047, 2048, 2049, 4096, 65536, scaled (3 * 1024 * 1024 + 5, 300 * 1024) };

  test_chunk_sizes (fx, 2048, sizes, G_N_ELEMENTS (sizes));
}

static void
test_chunk_65536 (Fixture *fx, gconstpointer data)
{
  gsize sizes[] = { 0, 1, 7, 2048, 65535, 65536, 65537, scaled (10 * 1024 * 1024, 1024 * 1024) };

  test_chunk_sizes (fx, 65536, sizes, G_N_ELEMENTS (sizes));
}

static void
test_no_split (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (100 * 1024, 3);
  guint sends = 0;

  msrp_session_set_chunk_size (fx->a, 0);
  round_trip (fx, "application/octet-stream", body);
  for (guint i = 0; i < fx->b_in->len; i++)
    if (msrp_frame_get_method (fx->b_in->pdata[i]) == MSRP_METHOD_SEND)
      sends++;
  g_assert_cmpuint (sends, ==, 1);
}

/* With a relay in the path no chunk is larger than relays take, whatever
 * chunk-size says. The relay URI here carries B's session-id, so that the
 * frames reach B directly. */
static void
test_relay_chunk_cap (Fixture *fx, gconstpointer data)
{
  static const guint chunk_sizes[] = { 0, 16384, 4096 };
  g_autoptr(GPtrArray) relayed =
    parse_path ("msrp://127.0.0.1:9/sessionb;tcp msrp://127.0.0.1:7001/sessiona;tcp");
  gboolean done = FALSE;

  g_object_set (fx->a, "owns-transport", FALSE, NULL);
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done);
  g_clear_object (&fx->a);
  fx->a = make_session (fx->ta, relayed, fx->path_b);
  for (guint i = 0; i < G_N_ELEMENTS (chunk_sizes); i++)
    {
      g_autoptr(GBytes) body = random_bytes (20000, i);
      guint64 largest = 0;

      g_ptr_array_set_size (fx->b_in, 0);
      msrp_session_set_chunk_size (fx->a, chunk_sizes[i]);
      round_trip (fx, "application/octet-stream", body);
      for (guint j = 0; j < fx->b_in->len; j++)
        {
          gint64 start, end, total;

          if (msrp_frame_get_method (fx->b_in->pdata[j]) != MSRP_METHOD_SEND)
            continue;
          g_assert_true (msrp_frame_get_byte_range (fx->b_in->pdata[j], &start, &end, &total, NULL));
          largest = MAX (largest, (guint64) (end - start + 1));
        }
      g_assert_cmpuint (largest, ==, MIN (chunk_sizes[i] ? chunk_sizes[i] : G_MAXUINT,
                                          MSRP_SESSION_RELAY_MAX_CHUNK_SIZE));
    }
}

/* 100 chat lines sent while a 64 MiB stream is under way all arrive before
 * the stream ends: round robin, one chunk each. */
static void
test_interleaved_stream (Fixture *fx, gconstpointer data)
{
  guint64 big_size = scaled (64 * 1024 * 1024, 6 * 1024 * 1024);
  g_autoptr(TestSource) source = source_new (fx, big_size, 64);
  g_autoptr(MsrpOutgoingMessage) big =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), big_size);
  SendResult big_result = { 0 };
  SendResult small_results[100] = { 0 };
  guint big_index = G_MAXUINT;

  fx->stream_big = TRUE;
  msrp_session_send_async (fx->a, big, NULL, on_sent, &big_result);
  WAIT_UNTIL (fx, fx->announced->len == 1);

  for (guint i = 0; i < G_N_ELEMENTS (small_results); i++)
    {
      g_autofree char *text = g_strdup_printf ("line %u", i);
      msrp_session_send_text_async (fx->a, text, NULL, on_sent, &small_results[i]);
    }
  WAIT_UNTIL (fx, big_result.done);
  g_assert_no_error (big_result.error);
  WAIT_UNTIL (fx, fx->received->len == 101);

  for (guint i = 0; i < fx->received->len; i++)
    if (g_strcmp0 (msrp_incoming_message_get_message_id (fx->received->pdata[i]),
                   msrp_outgoing_message_get_message_id (big)) == 0)
      big_index = i;
  g_assert_cmpuint (big_index, ==, 100);
  for (guint i = 0; i < G_N_ELEMENTS (small_results); i++)
    {
      g_assert_true (small_results[i].done);
      g_assert_no_error (small_results[i].error);
      g_assert_cmpuint (small_results[i].order, <, big_result.order);
    }
  g_assert_nonnull (fx->sink);
  g_assert_cmpuint (fx->sink->written, ==, big_size);
  g_assert_cmpstr (g_checksum_get_string (fx->sink->sha), ==, g_checksum_get_string (source->sha));
  g_assert_null (msrp_incoming_message_get_bytes (fx->received->pdata[big_index]));
}

/* The Message-IDs of the SENDs B received, in order, one per switch from
 * one message to another, leaving out @skip. */
static GPtrArray *
send_sequence (Fixture *fx, const char *skip)
{
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; i < fx->b_in->len; i++)
    {
      const char *id = msrp_frame_get_message_id (fx->b_in->pdata[i]);
      if (msrp_frame_get_method (fx->b_in->pdata[i]) != MSRP_METHOD_SEND || g_strcmp0 (id, skip) == 0)
        continue;
      if (ids->len == 0 || strcmp (ids->pdata[ids->len - 1], id) != 0)
        g_ptr_array_add (ids, (gpointer) id);
    }
  return ids;
}

/* Two 10-chunk messages sent while a big one fills the queue. */
static void
send_behind_big (Fixture *fx, MsrpOutgoingMessage **big_out, MsrpOutgoingMessage **m1_out,
                 MsrpOutgoingMessage **m2_out)
{
  g_autoptr(GBytes) big = random_bytes (3 * 1024 * 1024, 3);
  g_autoptr(GBytes) one = random_bytes (10000, 1);
  g_autoptr(GBytes) two = random_bytes (10000, 2);
  SendResult rb = { 0 }, r1 = { 0 }, r2 = { 0 };

  *big_out = msrp_outgoing_message_new_bytes ("application/x-big", big);
  *m1_out = msrp_outgoing_message_new_bytes ("application/x-test", one);
  *m2_out = msrp_outgoing_message_new_bytes ("application/x-test", two);
  msrp_session_set_chunk_size (fx->a, 1000);
  msrp_session_send_async (fx->a, *big_out, NULL, on_sent, &rb);
  g_assert_cmpuint (msrp_transport_get_queued_bytes (fx->ta), >, HIGH_WATER);
  msrp_session_send_async (fx->a, *m1_out, NULL, on_sent, &r1);
  msrp_session_send_async (fx->a, *m2_out, NULL, on_sent, &r2);
  WAIT_UNTIL (fx, rb.done && r1.done && r2.done && fx->received->len == 3);
  g_assert_no_error (rb.error);
  g_assert_no_error (r1.error);
  g_assert_no_error (r2.error);
}

/* Without interleaving, one message goes after the other. */
static void
test_serial (Fixture *fx, gconstpointer data)
{
  g_autoptr(MsrpOutgoingMessage) big = NULL, m1 = NULL, m2 = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  msrp_session_set_interleave (fx->a, FALSE);
  send_behind_big (fx, &big, &m1, &m2);
  ids = send_sequence (fx, NULL);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpstr (ids->pdata[0], ==, msrp_outgoing_message_get_message_id (big));
  g_assert_cmpstr (ids->pdata[1], ==, msrp_outgoing_message_get_message_id (m1));
  g_assert_cmpstr (ids->pdata[2], ==, msrp_outgoing_message_get_message_id (m2));
}

/* With interleaving (the default) the messages take turns, chunk by chunk. */
static void
test_interleave_round_robin (Fixture *fx, gconstpointer data)
{
  g_autoptr(MsrpOutgoingMessage) big = NULL, m1 = NULL, m2 = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  send_behind_big (fx, &big, &m1, &m2);
  ids = send_sequence (fx, msrp_outgoing_message_get_message_id (big));
  g_assert_cmpuint (ids->len, ==, 20);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpstr (ids->pdata[i], ==, msrp_outgoing_message_get_message_id (i % 2 ? m2 : m1));
}

static void
check_stream_round_trip (Fixture *fx, guint64 size, gint64 declared, guint chunk_size)
{
  g_autoptr(TestSource) source = source_new (fx, size, size + 7);
  g_autoptr(GInputStream) filter = NULL;
  g_autoptr(MsrpOutgoingMessage) message = NULL;
  SendResult r = { 0 };
  guint before = fx->received->len;
  MsrpIncomingMessage *in;
  g_autofree char *got = NULL;

  msrp_session_set_chunk_size (fx->a, chunk_size);
  message = msrp_outgoing_message_new_stream ("application/x-stream", G_INPUT_STREAM (source), declared);
  g_assert_false (G_IS_SEEKABLE (source));
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->received->len == before + 1);
  in = fx->received->pdata[before];
  g_assert_cmpint (msrp_incoming_message_get_size (in), ==, size);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, msrp_incoming_message_get_bytes (in));
  g_assert_cmpstr (got, ==, g_checksum_get_string (source->sha));
  g_assert_cmpuint (msrp_outgoing_message_get_bytes_sent (message), ==, size);
}

/* A stream of unknown size: `*` totals until the last chunk gives it. */
static void
test_unknown_total (Fixture *fx, gconstpointer data)
{
  guint star_totals = 0, sends = 0;

  check_stream_round_trip (fx, 10000, -1, 1000);   /* a multiple of the chunk size */
  check_stream_round_trip (fx, 10001, -1, 1000);
  check_stream_round_trip (fx, 0, -1, 1000);
  check_stream_round_trip (fx, 999, -1, 1000);
  check_stream_round_trip (fx, scaled (2 * 1024 * 1024, 200 * 1024), -1, 0);

  for (guint i = 0; i < fx->b_in->len; i++)
    {
      MsrpFrame *frame = fx->b_in->pdata[i];
      gint64 start, end, total;

      if (msrp_frame_get_method (frame) != MSRP_METHOD_SEND)
        continue;
      sends++;
      g_assert_true (msrp_frame_get_byte_range (frame, &start, &end, &total, NULL));
      if (total < 0)
        {
          star_totals++;
          g_assert_cmpint (msrp_frame_get_continuation (frame), ==, MSRP_CONTINUATION_MORE);
        }
      else
        g_assert_cmpint (end, ==, total);
    }
  g_assert_cmpuint (star_totals, >, 0);
  g_assert_cmpuint (star_totals, <, sends);
}

static void
test_known_size_stream (Fixture *fx, gconstpointer data)
{
  check_stream_round_trip (fx, 5000, 5000, 2048);
  check_stream_round_trip (fx, 0, 0, 2048);
  check_stream_round_trip (fx, 4096, 4096, 2048);
}

/* The body stream gives short reads: every chunk is still read whole. */
static void
test_stream_short_reads (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = source_new (fx, 10000, 17);
  g_autoptr(MsrpOutgoingMessage) message = NULL;
  g_autofree char *got = NULL;
  SendResult r = { 0 };
  guint sends = 0;

  source->max_read = 300;
  msrp_session_set_chunk_size (fx->a, 1000);
  message = msrp_outgoing_message_new_stream ("application/x-stream", G_INPUT_STREAM (source), 10000);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->received->len == 1);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                      msrp_incoming_message_get_bytes (fx->received->pdata[0]));
  g_assert_cmpstr (got, ==, g_checksum_get_string (source->sha));
  for (guint i = 0; i < fx->b_in->len; i++)
    {
      MsrpFrame *frame = fx->b_in->pdata[i];
      gint64 start, end, total;

      if (msrp_frame_get_method (frame) != MSRP_METHOD_SEND)
        continue;
      g_assert_true (msrp_frame_get_byte_range (frame, &start, &end, &total, NULL));
      g_assert_cmpint (end - start + 1, ==, 1000);
      sends++;
    }
  g_assert_cmpuint (sends, ==, 10);
}

/* A stream that ends before its declared size aborts the message. */
static void
test_short_stream (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = source_new (fx, 10000, 5);
  g_autoptr(MsrpOutgoingMessage) message = NULL;
  SendResult r = { 0 };

  source->stop = 5000;
  msrp_session_set_chunk_size (fx->a, 1000);
  message = msrp_outgoing_message_new_stream ("application/x-stream", G_INPUT_STREAM (source), 10000);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  WAIT_UNTIL (fx, fx->failed->len == 1);
  g_assert_error (failed_error (fx, 0), MSRP_ERROR, MSRP_ERROR_ABORTED);
  g_assert_cmpuint (fx->received->len, ==, 0);
  send_result_clear (&r);
}

static guint
count_method (GPtrArray *frames, MsrpMethod method)
{
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    if (msrp_frame_is_request (frames->pdata[i]) && msrp_frame_get_method (frames->pdata[i]) == method)
      n++;
  return n;
}

static guint
count_responses (GPtrArray *frames)
{
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    if (!msrp_frame_is_request (frames->pdata[i]))
      n++;
  return n;
}

static void
test_success_report (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (10000, 9);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/x-test", body);
  SendResult r = { 0 };
  MsrpFrame *report = NULL;
  guint code = 0;
  gint64 start, end, total;

  msrp_outgoing_message_set_success_report (message, TRUE);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  /* It finished because of the REPORT, which A received first. */
  for (guint i = 0; i < fx->a_in->len; i++)
    if (msrp_frame_is_request (fx->a_in->pdata[i]) &&
        msrp_frame_get_method (fx->a_in->pdata[i]) == MSRP_METHOD_REPORT)
      report = fx->a_in->pdata[i];
  g_assert_nonnull (report);
  g_assert_cmpstr (msrp_frame_get_message_id (report), ==, msrp_outgoing_message_get_message_id (message));
  g_assert_true (msrp_frame_get_status_header (report, &code, NULL, NULL));
  g_assert_cmpuint (code, ==, 200);
  g_assert_true (msrp_frame_get_byte_range (report, &start, &end, &total, NULL));
  g_assert_cmpint (start, ==, 1);
  g_assert_cmpint (end, ==, 10000);
  g_assert_cmpint (total, ==, 10000);
  g_assert_cmpstr (msrp_frame_get_header (report, "Success-Report"), ==, NULL);
  for (guint i = 0; i < fx->b_in->len; i++)
    if (msrp_frame_get_method (fx->b_in->pdata[i]) == MSRP_METHOD_SEND)
      g_assert_cmpstr (msrp_frame_get_header (fx->b_in->pdata[i], "Success-Report"), ==, "yes");
}

/* B's output stream fails after B answered 200: B sends a failure REPORT
 * and A's send fails with its status. */
static void
test_failure_report_sent (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (1000, 9);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/octet-stream", body);
  SendResult r = { 0 };

  fx->stream_big = TRUE;
  fx->sink = test_sink_new (fx);
  fx->sink->fail_at = 10;
  fx->sink->slow = TRUE;
  msrp_outgoing_message_set_success_report (message, TRUE);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  g_assert_cmpuint (count_method (fx->a_in, MSRP_METHOD_REPORT), ==, 1);
  WAIT_UNTIL (fx, fx->failed->len == 1);
  g_assert_error (failed_error (fx, 0), G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  send_result_clear (&r);
}

/* Sends a message B fails after 200, with @mode, then a ping to flush the
 * connection; returns how many REPORTs A got. */
static guint
reports_after_late_failure (Fixture *fx, MsrpReportMode mode)
{
  g_autoptr(GBytes) body = random_bytes (1000, 9);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/octet-stream", body);
  g_autoptr(GBytes) ping_body = g_bytes_new_static ("ping", 4);
  g_autoptr(MsrpOutgoingMessage) ping = msrp_outgoing_message_new_bytes ("text/plain", ping_body);
  SendResult r = { 0 }, p = { 0 };

  fx->stream_big = TRUE;
  fx->sink = test_sink_new (fx);
  fx->sink->fail_at = 10;
  fx->sink->slow = TRUE;
  msrp_outgoing_message_set_failure_report (message, mode);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->failed->len == 1);
  /* A REPORT B would send is on the wire before the response to this. */
  send_and_wait (fx, fx->a, ping, &p);
  g_assert_no_error (p.error);
  return count_method (fx->a_in, MSRP_METHOD_REPORT);
}

static void
test_failure_report_no (Fixture *fx, gconstpointer data)
{
  g_assert_cmpuint (reports_after_late_failure (fx, MSRP_REPORT_NO), ==, 0);
  /* Only the ping was answered. */
  g_assert_cmpuint (count_responses (fx->a_in), ==, 1);
}

static void
test_failure_report_partial (Fixture *fx, gconstpointer data)
{
  g_assert_cmpuint (reports_after_late_failure (fx, MSRP_REPORT_PARTIAL), ==, 0);
  g_assert_cmpuint (count_responses (fx->a_in), ==, 1);
}

static void
test_max_size (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) big = random_bytes (101, 1);
  g_autoptr(GBytes) fits = random_bytes (100, 2);
  g_autoptr(MsrpOutgoingMessage) m1 = msrp_outgoing_message_new_bytes ("text/plain", big);
  SendResult r = { 0 };

  msrp_session_set_max_size (fx->b, 100);
  send_and_wait (fx, fx->a, m1, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  g_assert_cmpuint (fx->announced->len, ==, 0);
  round_trip (fx, "text/plain", fits);
  send_result_clear (&r);
}

/* Unknown total: the chunk that goes beyond max-size gets 413. */
static void
test_max_size_unknown_total (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = source_new (fx, 5000, 3);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/x-stream", G_INPUT_STREAM (source), -1);
  SendResult r = { 0 };

  msrp_session_set_max_size (fx->b, 2500);
  msrp_session_set_chunk_size (fx->a, 1000);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  WAIT_UNTIL (fx, fx->failed->len == 1);
  g_assert_error (failed_error (fx, 0), MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  g_assert_cmpuint (fx->received->len, ==, 0);
  send_result_clear (&r);
}

static void
test_accept_types (Fixture *fx, gconstpointer data)
{
  static const char * const types[] = { "text/plain", "message/*", NULL };
  g_autoptr(GBytes) body = g_bytes_new_static ("<b>hi</b>", 9);
  g_autoptr(MsrpOutgoingMessage) html = msrp_outgoing_message_new_bytes ("text/html", body);
  SendResult r = { 0 };

  msrp_session_set_accept_types (fx->b, types);
  send_and_wait (fx, fx->a, html, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpuint (fx->announced->len, ==, 0);
  round_trip (fx, "text/plain;charset=UTF-8", body);
  round_trip (fx, "Message/CPIM", body);
  send_result_clear (&r);
}

/* Sends without a callback or cancellable arrive like the others; the
 * message object still counts its bytes. */
static void
test_fire_and_forget (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (5000, 17);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/x-ff", body);
  MsrpIncomingMessage *in;

  msrp_session_set_chunk_size (fx->a, 2048);
  msrp_session_send_async (fx->a, message, NULL, NULL, NULL);
  msrp_session_send_text_async (fx->a, "fire", NULL, NULL, NULL);
  msrp_session_send_bytes_async (fx->a, "application/x-ff", body, NULL, NULL, NULL);
  WAIT_UNTIL (fx, fx->received->len == 3);
  in = fx->received->pdata[0];
  g_assert_cmpstr (msrp_incoming_message_get_message_id (in), ==,
                   msrp_outgoing_message_get_message_id (message));
  g_assert_true (g_bytes_equal (msrp_incoming_message_get_bytes (in), body));
  in = fx->received->pdata[1];
  g_assert_cmpstr (msrp_incoming_message_get_content_type (in), ==, "text/plain;charset=UTF-8");
  g_assert_cmpmem (g_bytes_get_data (msrp_incoming_message_get_bytes (in), NULL), 4, "fire", 4);
  in = fx->received->pdata[2];
  g_assert_cmpstr (msrp_incoming_message_get_content_type (in), ==, "application/x-ff");
  g_assert_true (g_bytes_equal (msrp_incoming_message_get_bytes (in), body));
  g_assert_cmpstr (msrp_incoming_message_get_message_id (in), !=,
                   msrp_outgoing_message_get_message_id (message));
  WAIT_UNTIL (fx, msrp_outgoing_message_get_bytes_sent (message) == 5000);
  g_assert_cmpuint (fx->failed->len, ==, 0);
}

/* A fire-and-forget send that fails (refused by the peer, sent twice, or
 * on a closed session) is only logged: nothing crashes or leaks. */
static void
test_fire_and_forget_failure (Fixture *fx, gconstpointer data)
{
  static const char * const types[] = { "text/plain", NULL };
  g_autoptr(GBytes) body = g_bytes_new_static ("<b>hi</b>", 9);
  g_autoptr(MsrpOutgoingMessage) html = msrp_outgoing_message_new_bytes ("text/html", body);
  SendResult r = { 0 };
  gboolean done = FALSE;

  msrp_session_set_accept_types (fx->b, types);
  msrp_session_send_async (fx->a, html, NULL, NULL, NULL);
  msrp_session_send_async (fx->a, html, NULL, NULL, NULL);
  msrp_session_send_bytes_async (fx->a, "text/html", body, NULL, NULL, NULL);
  /* Its 200 comes after the 415: the failure has been handled then. */
  msrp_session_send_text_async (fx->a, "after", NULL, on_sent, &r);
  WAIT_UNTIL (fx, r.done);
  g_assert_no_error (r.error);
  g_assert_cmpuint (fx->announced->len, ==, 1);
  g_assert_cmpuint (msrp_outgoing_message_get_bytes_sent (html), ==, 0);

  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done);
  msrp_session_send_text_async (fx->a, "too late", NULL, NULL, NULL);
  msrp_session_send_bytes_async (fx->a, "text/plain", body, NULL, NULL, NULL);
  send_result_clear (&r);
}

/* A small body that arrives in one piece is its own copy, not a slice of
 * the transport's read block that would stay in memory as long as the
 * application keeps the message: g_bytes_unref_to_data() hands over the
 * data without copying only when the GBytes owns it. */
static void
test_small_body_owns_its_data (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) sent = random_bytes (100, 23);
  g_autoptr(GBytes) body = NULL;
  const void *before;
  void *after;
  gsize size;

  msrp_session_send_bytes_async (fx->a, "application/octet-stream", sent, NULL, NULL, NULL);
  WAIT_UNTIL (fx, fx->received->len == 1);
  body = g_bytes_ref (msrp_incoming_message_get_bytes (fx->received->pdata[0]));
  g_assert_true (g_bytes_equal (body, sent));
  g_ptr_array_set_size (fx->announced, 0);
  g_ptr_array_set_size (fx->received, 0);

  before = g_bytes_get_data (body, NULL);
  after = g_bytes_unref_to_data (g_steal_pointer (&body), &size);
  g_assert_cmpuint (size, ==, 100);
  g_assert_true (after == before);
  g_free (after);
}

/* msrp_session_send_bytes_async() with a callback: the result, and a
 * failure the peer answers. */
static void
test_send_bytes (Fixture *fx, gconstpointer data)
{
  static const char * const types[] = { "text/plain", NULL };
  g_autoptr(GBytes) body = random_bytes (3000, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SendResult r = { 0 }, refused = { 0 }, cancelled = { 0 };
  MsrpIncomingMessage *in;

  msrp_session_set_chunk_size (fx->a, 1000);
  msrp_session_send_bytes_async (fx->a, "text/plain", body, NULL, on_sent, &r);
  WAIT_UNTIL (fx, r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  WAIT_UNTIL (fx, fx->received->len == 1);
  in = fx->received->pdata[0];
  g_assert_cmpstr (msrp_incoming_message_get_content_type (in), ==, "text/plain");
  g_assert_true (g_bytes_equal (msrp_incoming_message_get_bytes (in), body));

  msrp_session_set_accept_types (fx->b, types);
  msrp_session_send_bytes_async (fx->a, "image/png", body, NULL, on_sent, &refused);
  WAIT_UNTIL (fx, refused.done);
  g_assert_error (refused.error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);

  g_cancellable_cancel (cancellable);
  msrp_session_send_bytes_async (fx->a, "text/plain", body, cancellable, on_sent, &cancelled);
  WAIT_UNTIL (fx, cancelled.done);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  send_result_clear (&r);
  send_result_clear (&refused);
  send_result_clear (&cancelled);
}

/* Cancelling a send in flight ends the message with `#`. */
static void
test_abort_sender (Fixture *fx, gconstpointer data)
{
  guint64 size = scaled (64 * 1024 * 1024, 4 * 1024 * 1024);
  g_autoptr(TestSource) source = source_new (fx, size, 8);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  SendResult r = { 0 };
  gboolean abort_seen = FALSE;

  msrp_session_send_async (fx->a, message, cancellable, on_sent, &r);
  WAIT_UNTIL (fx, fx->announced->len == 1);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (fx, r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  WAIT_UNTIL (fx, fx->failed->len == 1);
  g_assert_error (failed_error (fx, 0), MSRP_ERROR, MSRP_ERROR_ABORTED);
  g_assert_cmpuint (fx->received->len, ==, 0);
  for (guint i = 0; i < fx->b_in->len; i++)
    if (msrp_frame_is_request (fx->b_in->pdata[i]) &&
        msrp_frame_get_continuation (fx->b_in->pdata[i]) == MSRP_CONTINUATION_ABORT)
      abort_seen = TRUE;
  g_assert_true (abort_seen);
  g_assert_cmpuint (source->pos, <, size);
  /* The session goes on. */
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("after", 5);
    round_trip (fx, "text/plain", body);
  }
  send_result_clear (&r);
}

/* The receiver refuses the rest of a message. */
static void
test_abort_receiver (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = source_new (fx, 1024 * 1024, 8);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), 1024 * 1024);
  SendResult r = { 0 };

  fx->abort_incoming = TRUE;
  send_and_wait (fx, fx->a, message, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  g_assert_error (failed_error (fx, 0), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fx->received->len, ==, 0);
  fx->abort_incoming = FALSE;
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("after", 5);
    round_trip (fx, "text/plain", body);
  }
  send_result_clear (&r);
}

static void
on_closed_count (MsrpSession *session, GError *error, gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* The connection drops mid-message: every pending send fails, the partial
 * incoming message is reported failed, both sessions close. */
static void
test_connection_dropped (Fixture *fx, gconstpointer data)
{
  guint64 size = scaled (64 * 1024 * 1024, 4 * 1024 * 1024);
  g_autoptr(TestSource) source = source_new (fx, size, 8);
  g_autoptr(MsrpOutgoingMessage) big =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  g_autoptr(GBytes) body = random_bytes (100000, 4);
  g_autoptr(MsrpOutgoingMessage) second = msrp_outgoing_message_new_bytes ("application/x-test", body);
  g_autoptr(MsrpOutgoingMessage) third = msrp_outgoing_message_new_bytes ("application/x-test", body);
  SendResult r1 = { 0 }, r2 = { 0 }, r3 = { 0 };
  guint closed_a = 0;

  g_signal_connect (fx->a, "closed", G_CALLBACK (on_closed_count), &closed_a);
  msrp_outgoing_message_set_success_report (third, TRUE);
  msrp_session_send_async (fx->a, big, NULL, on_sent, &r1);
  WAIT_UNTIL (fx, fx->announced->len >= 1);
  /* Queued behind the big one, so they are pending when the connection
   * drops (sent at once, they might arrive whole before it: the big one
   * waits for its stream, they do not). */
  msrp_session_send_async (fx->a, second, NULL, on_sent, &r2);
  msrp_session_send_async (fx->a, third, NULL, on_sent, &r3);

  msrp_transport_abort (fx->tb, NULL);
  WAIT_UNTIL (fx, r1.done && r2.done && r3.done && closed_a == 1 && fx->closed_b == 1);
  g_assert_false (r1.ok || r2.ok || r3.ok);
  g_assert_nonnull (r1.error);
  g_assert_nonnull (r2.error);
  g_assert_nonnull (r3.error);
  g_assert_cmpuint (fx->failed->len, ==, fx->announced->len - fx->received->len);
  g_assert_cmpuint (fx->failed->len, >=, 1);
  g_assert_true (msrp_session_is_closed (fx->a));
  g_assert_true (msrp_session_is_closed (fx->b));

  /* A closed session refuses new sends. */
  {
    g_autoptr(MsrpOutgoingMessage) late = msrp_outgoing_message_new_bytes ("text/plain", body);
    SendResult r4 = { 0 };
    send_and_wait (fx, fx->a, late, &r4);
    g_assert_error (r4.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
    send_result_clear (&r4);
  }
  send_result_clear (&r1);
  send_result_clear (&r2);
  send_result_clear (&r3);
}

/* A message that arrived whole is delivered when the peer closes the
 * connection while its body is still being written to the output stream:
 * the sender was answered 200 for all of it. */
static void
test_closed_while_writing (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (100000, 9);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_bytes ("application/octet-stream", body);
  SendResult r = { 0 };

  fx->stream_big = TRUE;
  fx->sink = test_sink_new (fx);
  test_sink_hold (fx->sink);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  close_transport (fx, fx->ta);
  WAIT_UNTIL (fx, fx->closed_b == 1);
  g_assert_no_error (fx->closed_b_error);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  g_assert_cmpuint (fx->received->len, ==, 0);

  test_sink_release (fx->sink);
  WAIT_UNTIL (fx, fx->received->len == 1);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  g_assert_cmpuint (fx->sink->written, ==, g_bytes_get_size (body));
  send_result_clear (&r);
}

/* Closing a session fails its pending sends and closes the transport it
 * owns; the peer sees the connection end. */
static void
test_close_pending (Fixture *fx, gconstpointer data)
{
  guint64 size = scaled (64 * 1024 * 1024, 4 * 1024 * 1024);
  g_autoptr(TestSource) source = source_new (fx, size, 8);
  g_autoptr(MsrpOutgoingMessage) big =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  SendResult r = { 0 };
  gboolean done = FALSE;
  guint closed_a = 0;

  g_signal_connect (fx->a, "closed", G_CALLBACK (on_closed_count), &closed_a);
  msrp_session_send_async (fx->a, big, NULL, on_sent, &r);
  WAIT_UNTIL (fx, fx->announced->len == 1);
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done && r.done);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  g_assert_cmpuint (closed_a, ==, 1);
  g_assert_true (msrp_transport_is_closed (fx->ta));
  WAIT_UNTIL (fx, fx->closed_b == 1);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  send_result_clear (&r);
}

static void
test_close_shared_transport (Fixture *fx, gconstpointer data)
{
  gboolean done = FALSE;
  g_autoptr(GBytes) body = g_bytes_new_static ("still here", 10);

  g_object_set (fx->a, "owns-transport", FALSE, NULL);
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done);
  g_assert_false (msrp_transport_is_closed (fx->ta));
  /* A session can bind the same session-id again on the open transport. */
  g_clear_object (&fx->a);
  fx->a = make_session (fx->ta, fx->path_a, fx->path_b);
  round_trip (fx, "text/plain", body);
  done = FALSE;
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done);
}

typedef struct {
  guint notifications;
  double last;
  gboolean decreasing;
  guint64 max_queued;
  MsrpTransport *transport;
} Progress;

static void
on_progress (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  Progress *p = user_data;
  double value = msrp_outgoing_message_get_progress (MSRP_OUTGOING_MESSAGE (object));

  p->notifications++;
  if (value < p->last)
    p->decreasing = TRUE;
  p->last = value;
  p->max_queued = MAX (p->max_queued, msrp_transport_get_queued_bytes (p->transport));
}

static void
test_progress (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = random_bytes (1024 * 1024, 5);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("application/x-test", body);
  SendResult r = { 0 };
  Progress p = { 0, 0, FALSE, 0, fx->ta };

  msrp_session_set_chunk_size (fx->a, 1024);
  g_signal_connect (message, "notify::progress", G_CALLBACK (on_progress), &p);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  /* 1024 chunks, notified once per percent. */
  g_assert_cmpuint (p.notifications, >=, 50);
  g_assert_cmpuint (p.notifications, <=, 101);
  g_assert_false (p.decreasing);
  g_assert_cmpfloat (p.last, ==, 1.0);
}

/* A stream body is read only as fast as the connection takes it: what was
 * read but not yet received stays bounded whatever the size. */
static void
test_flow_control (Fixture *fx, gconstpointer data)
{
  guint64 size = scaled (64 * 1024 * 1024, 8 * 1024 * 1024);
  /* Kernel socket buffers on loopback autotune to several MiB. */
  guint64 bound = fx->kind == LINK_TCP ? 16 * 1024 * 1024 : 4 * 1024 * 1024;
  g_autoptr(TestSource) source = source_new (fx, size, 11);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  SendResult r = { 0 };
  guint64 max_ahead = 0;

  msrp_session_set_chunk_size (fx->a, 16384);
  fx->stream_big = TRUE;
  msrp_session_send_async (fx->a, message, NULL, on_sent, &r);
  while (!r.done && !fx->timed_out)
    {
      guint64 received = fx->sink ? fx->sink->written : 0;
      g_main_context_iteration (NULL, TRUE);
      max_ahead = MAX (max_ahead, source->pos - MIN (received, source->pos));
      g_assert_cmpuint (msrp_transport_get_queued_bytes (fx->ta), <=, HIGH_WATER + 2 * 16384 + 4096);
    }
  g_assert_false (fx->timed_out);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, fx->received->len == 1);
  g_assert_cmpuint (fx->sink->written, ==, size);
  /* Queue high-water mark, the buffers of the link and of the receiver's
   * write queue, a few chunks: far below the size. */
  g_assert_cmpuint (max_ahead, <, bound);
}

/* Sends a @size-byte stream body from A in 64 KiB chunks; B streams it
 * into fx->sink, which the caller made. Returns the body's source. */
static TestSource *
send_into_sink (Fixture *fx, guint64 size, guint32 seed)
{
  TestSource *source = source_new (fx, size, seed);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  SendResult r = { 0 };

  msrp_session_set_chunk_size (fx->a, 65536);
  fx->stream_big = TRUE;
  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
  return source;
}

static void
assert_sink_has (Fixture *fx, TestSource *source)
{
  g_assert_cmpuint (fx->sink->written, ==, source->size);
  g_assert_cmpstr (g_checksum_get_string (fx->sink->sha), ==, g_checksum_get_string (source->sha));
}

/* The receiver's output stream is slower than the connection: reading is
 * held, nothing is lost. */
static void
test_slow_output (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = NULL;

  fx->sink = test_sink_new (fx);
  fx->sink->slow = TRUE;
  source = send_into_sink (fx, scaled (8 * 1024 * 1024, 3 * 1024 * 1024), 12);
  WAIT_UNTIL (fx, fx->received->len == 1);
  assert_sink_has (fx, source);
}

/* Every chunk arrived, the receiver's output stream still drains, and the
 * sender closes (its send is over): the message is still delivered. */
static void
test_close_while_draining (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = NULL;
  gboolean done = FALSE;

  fx->sink = test_sink_new (fx);
  fx->sink->slow = TRUE;
  source = send_into_sink (fx, scaled (8 * 1024 * 1024, 3 * 1024 * 1024), 13);
  msrp_session_close_async (fx->a, NULL, on_session_closed, &done);
  WAIT_UNTIL (fx, done && fx->closed_b == 1 && fx->received->len + fx->failed->len == 1);
  g_assert_cmpuint (fx->failed->len, ==, 0);
  assert_sink_has (fx, source);
}

/* The output stream takes a little of every write: the rest follows. */
static void
test_short_writes (Fixture *fx, gconstpointer data)
{
  g_autoptr(TestSource) source = NULL;

  fx->sink = test_sink_new (fx);
  fx->sink->max_write = 1000;
  source = send_into_sink (fx, scaled (2 * 1024 * 1024, 256 * 1024), 14);
  WAIT_UNTIL (fx, fx->received->len == 1);
  assert_sink_has (fx, source);
}

static void
test_send_twice (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("once", 4);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r1 = { 0 }, r2 = { 0 };

  send_and_wait (fx, fx->a, message, &r1);
  g_assert_no_error (r1.error);
  send_and_wait (fx, fx->a, message, &r2);
  g_assert_error (r2.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  send_result_clear (&r2);
}

static void
test_bodiless_send (Fixture *fx, gconstpointer data)
{
  g_autoptr(MsrpOutgoingMessage) empty = msrp_outgoing_message_new_empty ();
  g_autoptr(GBytes) body = g_bytes_new_static ("real", 4);
  SendResult r = { 0 };
  MsrpFrame *send = NULL;
  gint64 start, end, total;

  send_and_wait (fx, fx->a, empty, &r);
  g_assert_no_error (r.error);
  round_trip (fx, "text/plain", body);
  g_assert_cmpuint (fx->announced->len, ==, 1);
  send = fx->b_in->pdata[0];
  g_assert_null (msrp_frame_get_content_type (send));
  g_assert_true (msrp_frame_get_byte_range (send, &start, &end, &total, NULL));
  g_assert_cmpint (start, ==, 1);
  g_assert_cmpint (end, ==, 0);
  g_assert_cmpint (total, ==, 0);
}

static void
run_until_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* msrp_session_hold_reading(): counted; nothing is read while held. */
static void
test_hold_reading (Fixture *fx, gconstpointer data)
{
  SendResult r = { 0 };

  g_assert_true (msrp_session_get_context (fx->b) == g_main_context_default ());
  msrp_session_hold_reading (fx->b);
  msrp_session_hold_reading (fx->b);
  msrp_session_send_text_async (fx->a, "held", NULL, on_sent, &r);
  run_until_idle ();
  g_assert_cmpuint (fx->b_in->len, ==, 0);
  g_assert_false (r.done);

  msrp_session_release_reading (fx->b);
  run_until_idle ();
  g_assert_cmpuint (fx->b_in->len, ==, 0);

  msrp_session_release_reading (fx->b);
  WAIT_UNTIL (fx, r.done && fx->received->len == 1);
  g_assert_no_error (r.error);

  /* A hold over the end of the session is released with it. */
  msrp_session_hold_reading (fx->a);
  close_transport (fx, fx->ta);
  WAIT_UNTIL (fx, msrp_session_is_closed (fx->a));
  msrp_session_release_reading (fx->a);
  msrp_session_hold_reading (fx->a);
  msrp_session_release_reading (fx->a);
}

static void
test_keepalive (Fixture *fx, gconstpointer data)
{
  msrp_session_set_keepalive_interval (fx->a, 1);
  /* Not at connection start: only after an interval. */
  g_assert_cmpuint (fx->b_in->len, ==, 0);
  WAIT_UNTIL (fx, count_method (fx->b_in, MSRP_METHOD_SEND) >= 2);
  g_assert_null (msrp_frame_get_content_type (fx->b_in->pdata[0]));
  g_assert_cmpuint (fx->announced->len, ==, 0);
  msrp_session_set_keepalive_interval (fx->a, 0);
}

/* --- A raw peer: session A's peer is the test, reading frames with
 * MsrpParser and writing frames it builds. --------------------------------- */

typedef struct {
  MsrpFrame *head;
  GByteArray *body;
  MsrpContinuation flag;
} RawFrame;

struct _RawPeer
{
  Fixture *fx;
  GIOStream *stream;
  MsrpParser *parser;
  GPtrArray *frames;
  RawFrame *cur;
  gboolean answer;
  guint8 buffer[65536];
  GCancellable *cancellable;
  gboolean reading;
  GQueue out;
  gboolean writing;
};

static void
raw_frame_free (RawFrame *frame)
{
  msrp_frame_unref (frame->head);
  g_byte_array_unref (frame->body);
  g_free (frame);
}

static void raw_peer_flush (RawPeer *peer);

static void
raw_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RawPeer *peer = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  g_bytes_unref (g_queue_pop_head (&peer->out));
  peer->writing = FALSE;
  if (error == NULL)
    raw_peer_flush (peer);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_queue_clear_full (&peer->out, (GDestroyNotify) g_bytes_unref);
}

static void
raw_peer_flush (RawPeer *peer)
{
  GBytes *next = g_queue_peek_head (&peer->out);
  gsize size;
  gconstpointer data;

  if (peer->writing || next == NULL)
    return;
  peer->writing = TRUE;
  data = g_bytes_get_data (next, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (peer->stream), data, size,
                                   G_PRIORITY_DEFAULT, peer->cancellable, raw_written, peer);
}

static void
raw_peer_write (RawPeer *peer, MsrpFrame *frame)
{
  g_queue_push_tail (&peer->out, msrp_frame_to_bytes (frame));
  raw_peer_flush (peer);
}

static void
raw_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  RawPeer *peer = user_data;

  peer->cur = g_new0 (RawFrame, 1);
  peer->cur->head = msrp_frame_ref (head);
  peer->cur->body = g_byte_array_new ();
}

static void
raw_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  RawPeer *peer = user_data;

  g_byte_array_append (peer->cur->body, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static void
raw_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  RawPeer *peer = user_data;
  RawFrame *frame = g_steal_pointer (&peer->cur);

  frame->flag = flag;
  g_ptr_array_add (peer->frames, frame);
  if (peer->answer && msrp_frame_is_request (head) && msrp_frame_get_method (head) == MSRP_METHOD_SEND &&
      msrp_frame_get_failure_report (head) == MSRP_REPORT_YES)
    {
      g_autoptr(MsrpFrame) ok = msrp_frame_new_response_for (head, 200, "OK");
      raw_peer_write (peer, ok);
    }
}

static const MsrpParserCallbacks raw_callbacks = { raw_head, raw_body, raw_end, { NULL } };

static void raw_peer_read (RawPeer *peer);

static void
raw_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RawPeer *peer = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  peer->reading = FALSE;
  if (n <= 0)
    return;
  g_assert_true (msrp_parser_feed_data (peer->parser, peer->buffer, n, &error));
  g_assert_no_error (error);
  raw_peer_read (peer);
}

static void
raw_peer_read (RawPeer *peer)
{
  peer->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (peer->stream), peer->buffer,
                             sizeof peer->buffer, G_PRIORITY_DEFAULT, peer->cancellable,
                             raw_read_done, peer);
}

static void
raw_peer_free (RawPeer *peer)
{
  g_cancellable_cancel (peer->cancellable);
  while (peer->reading || peer->writing)
    g_main_context_iteration (NULL, TRUE);
  g_queue_clear_full (&peer->out, (GDestroyNotify) g_bytes_unref);
  g_io_stream_close (peer->stream, NULL, NULL);
  if (peer->cur)
    raw_frame_free (peer->cur);
  g_ptr_array_unref (peer->frames);
  msrp_parser_free (peer->parser);
  g_object_unref (peer->cancellable);
  g_object_unref (peer->stream);
  g_free (peer);
}

static void
setup_raw (Fixture *fx, gconstpointer data)
{
  RawPeer *peer = g_new0 (RawPeer, 1);

  fixture_init (fx, data);
  peer->fx = fx;
  peer->stream = g_object_ref (fx->stream_b);
  peer->parser = msrp_parser_new (&raw_callbacks, peer);
  peer->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_frame_free);
  peer->cancellable = g_cancellable_new ();
  peer->answer = TRUE;
  g_queue_init (&peer->out);
  fx->raw = peer;
  fx->a = make_session (fx->ta, fx->path_a, fx->path_b);
  g_signal_connect (fx->a, "incoming-message", G_CALLBACK (on_incoming), fx);
  g_signal_connect (fx->a, "message-received", G_CALLBACK (on_received), fx);
  g_signal_connect (fx->a, "message-failed", G_CALLBACK (on_failed), fx);
  msrp_transport_start (fx->ta);
  raw_peer_read (peer);
}

/* A SEND from the raw peer (B) to session A. */
static MsrpFrame *
raw_send (Fixture *fx, const char *tid, const char *message_id, gint64 start, gint64 end,
          gint64 total, const char *content_type, const char *body, MsrpContinuation flag)
{
  MsrpFrame *frame = msrp_frame_new_request ("SEND", tid);

  msrp_frame_set_to_path (frame, fx->path_a);
  msrp_frame_set_from_path (frame, fx->path_b);
  msrp_frame_set_message_id (frame, message_id);
  msrp_frame_set_byte_range (frame, start, end, total);
  if (content_type != NULL)
    msrp_frame_set_content_type (frame, content_type);
  if (body != NULL && *body != '\0')
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      msrp_frame_set_body (frame, bytes);
    }
  msrp_frame_set_continuation (frame, flag);
  return frame;
}

static void
raw_write_send (Fixture *fx, const char *tid, const char *message_id, gint64 start, gint64 end,
                gint64 total, const char *content_type, const char *body, MsrpContinuation flag)
{
  g_autoptr(MsrpFrame) frame = raw_send (fx, tid, message_id, start, end, total, content_type,
                                          body, flag);
  raw_peer_write (fx->raw, frame);
}

/* The status A answered @tid with, waiting for it. */
static guint
raw_wait_response (Fixture *fx, const char *tid)
{
  for (;;)
    {
      for (guint i = 0; i < fx->raw->frames->len; i++)
        {
          RawFrame *frame = fx->raw->frames->pdata[i];
          if (!msrp_frame_is_request (frame->head) &&
              g_strcmp0 (msrp_frame_get_transaction_id (frame->head), tid) == 0)
            return msrp_frame_get_status (frame->head);
        }
      if (fx->timed_out)
        g_error ("timed out waiting for the response to %s", tid);
      g_main_context_iteration (NULL, TRUE);
    }
}

static guint
raw_count_responses (Fixture *fx, const char *tid)
{
  guint n = 0;

  for (guint i = 0; i < fx->raw->frames->len; i++)
    {
      RawFrame *frame = fx->raw->frames->pdata[i];
      if (!msrp_frame_is_request (frame->head) &&
          g_strcmp0 (msrp_frame_get_transaction_id (frame->head), tid) == 0)
        n++;
    }
  return n;
}

/* A bodiless SEND answered: everything before it was processed. */
static void
raw_sync (Fixture *fx)
{
  static guint n;
  g_autofree char *tid = g_strdup_printf ("sync%u", ++n);

  raw_write_send (fx, tid, tid, 1, 0, 0, NULL, NULL, MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (raw_wait_response (fx, tid), ==, 200);
}

static GBytes *
received_bytes (Fixture *fx, guint i)
{
  return msrp_incoming_message_get_bytes (fx->received->pdata[i]);
}

static void
assert_bytes (GBytes *bytes, const char *text)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), text, strlen (text));
}

/* SipLib re-sends a chunk it got no response for fast enough: same
 * transaction, same Message-ID and Byte-Range. */
static void
test_raw_duplicate_chunk (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "dup1", 1, 5, 10, "text/plain", "hello", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "tid1", "dup1", 1, 5, 10, "text/plain", "hello", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "tid2", "dup1", 6, 10, 10, "text/plain", "world", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "tid2", "dup1", 6, 10, 10, "text/plain", "world", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (raw_count_responses (fx, "tid1"), ==, 2);
  g_assert_cmpuint (raw_count_responses (fx, "tid2"), ==, 2);
  g_assert_cmpuint (fx->announced->len, ==, 1);
  g_assert_cmpuint (fx->received->len, ==, 1);
  assert_bytes (received_bytes (fx, 0), "helloworld");
  g_assert_cmpuint (msrp_incoming_message_get_bytes_received (fx->received->pdata[0]), ==, 10);
}

/* Messages that arrived whole in one chunk are remembered as well: a
 * re-sent one is answered and dropped, while the session remembers it (the
 * last 128 finished messages). */
static void
test_raw_resent_after_delivery (Fixture *fx, gconstpointer data)
{
  for (guint i = 0; i < 130; i++)
    {
      g_autofree char *tid = g_strdup_printf ("tid%u", i);
      g_autofree char *id = g_strdup_printf ("whole%u", i);

      raw_write_send (fx, tid, id, 1, 2, 2, "text/plain", "hi", MSRP_CONTINUATION_COMPLETE);
    }
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 130);

  /* Remembered: the newest, and the oldest still kept. */
  raw_write_send (fx, "again1", "whole129", 1, 2, 2, "text/plain", "hi", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "again2", "whole2", 1, 2, 2, "text/plain", "hi", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (raw_count_responses (fx, "again1"), ==, 1);
  g_assert_cmpuint (raw_count_responses (fx, "again2"), ==, 1);
  g_assert_cmpuint (fx->announced->len, ==, 130);
  g_assert_cmpuint (fx->received->len, ==, 130);

  /* Forgotten: a new message. */
  raw_write_send (fx, "again3", "whole0", 1, 2, 2, "text/plain", "hi", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 131);
  assert_bytes (received_bytes (fx, 130), "hi");
}

typedef struct {
  GPtrArray *seen;      /* what each received message said, as text */
  guint notified;       /* notifications of the message "watched" */
  gboolean finalized;   /* the message "weak" is gone */
} Unkept;

static void
count_notify (GObject *object, GParamSpec *pspec, Unkept *unkept)
{
  unkept->notified++;
}

static void
mark_finalized (gpointer data, GObject *where)
{
  ((Unkept *) data)->finalized = TRUE;
}

static void
unkept_incoming (MsrpSession *session, MsrpIncomingMessage *message, Unkept *unkept)
{
  const char *id = msrp_incoming_message_get_message_id (message);

  if (strcmp (id, "watched") == 0)
    g_signal_connect (message, "notify", G_CALLBACK (count_notify), unkept);
  else if (strcmp (id, "weak") == 0)
    g_object_weak_ref (G_OBJECT (message), mark_finalized, unkept);
}

static void
unkept_received (MsrpSession *session, MsrpIncomingMessage *message, Unkept *unkept)
{
  GBytes *bytes = msrp_incoming_message_get_bytes (message);
  GPtrArray *from = msrp_incoming_message_get_from_path (message);

  g_ptr_array_add (unkept->seen,
                   g_strdup_printf ("%s %s %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT " %.*s %u",
                                    msrp_incoming_message_get_message_id (message),
                                    msrp_incoming_message_get_content_type (message),
                                    msrp_incoming_message_get_size (message),
                                    msrp_incoming_message_get_bytes_received (message),
                                    (int) g_bytes_get_size (bytes),
                                    (const char *) g_bytes_get_data (bytes, NULL), from->len));
}

/* Messages the application keeps nothing of, one after the other: each is
 * as new, and one it watches (a signal handler, a weak reference) is never
 * taken for another. */
static void
test_raw_unkept_messages (Fixture *fx, gconstpointer data)
{
  Unkept unkept = { g_ptr_array_new_with_free_func (g_free), 0, FALSE };
  static const char * const expected[] = {
    "m1 text/plain 5 5 hello 1",
    "m2 application/x-test 4 4 abcd 1",
    "watched text/plain 3 3 xyz 1",
    "m4 text/plain 2 2 hi 1",
    "weak text/plain 1 1 w 1",
    "m6 text/html 3 3 end 1",
  };
  guint notified;

  g_signal_handlers_disconnect_by_data (fx->a, fx);
  g_signal_connect (fx->a, "incoming-message", G_CALLBACK (unkept_incoming), &unkept);
  g_signal_connect (fx->a, "message-received", G_CALLBACK (unkept_received), &unkept);

  raw_write_send (fx, "uk1tid", "m1", 1, 5, 5, "text/plain", "hello", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "uk2tid", "m2", 1, 2, 4, "application/x-test", "ab", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "uk3tid", "m2", 3, 4, 4, "application/x-test", "cd", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "uk4tid", "watched", 1, 3, 3, "text/plain", "xyz", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  notified = unkept.notified;
  g_assert_cmpuint (notified, >, 0);

  raw_write_send (fx, "uk5tid", "m4", 1, 2, 2, "text/plain", "hi", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "uk6tid", "weak", 1, 1, 1, "text/plain", "w", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (unkept.notified, ==, notified);
  g_assert_true (unkept.finalized);

  raw_write_send (fx, "uk7tid", "m6", 1, -1, -1, "text/html", "end", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (unkept.seen->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (unkept.seen->pdata[i], ==, expected[i]);
  g_ptr_array_unref (unkept.seen);
}

static void
test_raw_out_of_order (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid3", "ooo", 7, 9, 9, "text/plain", "ghi", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "tid1", "ooo", 1, 3, 9, "text/plain", "abc", MSRP_CONTINUATION_MORE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 0);
  /* Overlapping both neighbours. */
  raw_write_send (fx, "tid2", "ooo", 2, 8, 9, "text/plain", "bcdefgh", MSRP_CONTINUATION_MORE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 1);
  assert_bytes (received_bytes (fx, 0), "abcdefghi");
  g_assert_cmpint (msrp_incoming_message_get_size (fx->received->pdata[0]), ==, 9);
}

/* Unknown total, and an out-of-order chunk before the end is known. */
static void
test_raw_unknown_total (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid2", "unk", 4, 6, -1, "text/plain", "def", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "tid1", "unk", 1, 3, -1, "text/plain", "abc", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "tid3", "unk", 7, -1, -1, "text/plain", "gh", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 1);
  assert_bytes (received_bytes (fx, 0), "abcdefgh");
  g_assert_cmpint (msrp_incoming_message_get_size (fx->received->pdata[0]), ==, 8);
}

/* An end flag contradicted by Byte-Range is not trusted (msrp-java). */
static void
test_raw_wrong_flag (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "flag", 1, 3, 6, "text/plain", "abc", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 0);
  raw_write_send (fx, "tid2", "flag", 4, 6, 6, "text/plain", "def", MSRP_CONTINUATION_MORE);
  raw_sync (fx);
  g_assert_cmpuint (fx->received->len, ==, 1);
  assert_bytes (received_bytes (fx, 0), "abcdef");
}

static void
test_raw_heartbeat_and_bodiless (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "hb", 1, 0, 0, NULL, NULL, MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "tid2", "hb2", 1, 2, 2, "text/x-msrp-heartbeat", "hb", MSRP_CONTINUATION_COMPLETE);
  {
    /* A bodiless SEND without Byte-Range (msrp-java). */
    g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "tid3");
    msrp_frame_set_to_path (frame, fx->path_a);
    msrp_frame_set_from_path (frame, fx->path_b);
    msrp_frame_set_message_id (frame, "hb3");
    raw_peer_write (fx->raw, frame);
  }
  raw_write_send (fx, "tid4", "real", 1, 4, 4, "text/plain", "real", MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 200);
  g_assert_cmpuint (raw_wait_response (fx, "tid2"), ==, 200);
  g_assert_cmpuint (raw_wait_response (fx, "tid3"), ==, 200);
  g_assert_cmpuint (raw_wait_response (fx, "tid4"), ==, 200);
  g_assert_cmpuint (fx->announced->len, ==, 1);
  g_assert_cmpuint (fx->received->len, ==, 1);
  assert_bytes (received_bytes (fx, 0), "real");
}

static void
test_raw_report_unknown_message (Fixture *fx, gconstpointer data)
{
  g_autoptr(MsrpFrame) report = msrp_frame_new_request ("REPORT", "rep1");
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r = { 0 };

  msrp_frame_set_to_path (report, fx->path_a);
  msrp_frame_set_from_path (report, fx->path_b);
  msrp_frame_set_message_id (report, "nosuchmessage");
  msrp_frame_set_byte_range (report, 1, 5, 5);
  msrp_frame_set_status_header (report, 413, NULL);
  raw_peer_write (fx->raw, report);
  raw_sync (fx);
  g_assert_cmpuint (raw_count_responses (fx, "rep1"), ==, 0);

  send_and_wait (fx, fx->a, message, &r);
  g_assert_no_error (r.error);
}

static const char *
raw_last_send_id (Fixture *fx)
{
  const char *id = NULL;

  for (guint i = 0; i < fx->raw->frames->len; i++)
    {
      RawFrame *frame = fx->raw->frames->pdata[i];
      if (msrp_frame_is_request (frame->head) && msrp_frame_get_method (frame->head) == MSRP_METHOD_SEND)
        id = msrp_frame_get_message_id (frame->head);
    }
  return id;
}

static void
raw_write_report (Fixture *fx, const char *tid, const char *message_id, gint64 start, gint64 end,
                  gint64 total, guint status)
{
  g_autoptr(MsrpFrame) report = msrp_frame_new_request ("REPORT", tid);

  msrp_frame_set_to_path (report, fx->path_a);
  msrp_frame_set_from_path (report, fx->path_b);
  msrp_frame_set_message_id (report, message_id);
  msrp_frame_set_byte_range (report, start, end, total);
  msrp_frame_set_status_header (report, status, NULL);
  raw_peer_write (fx->raw, report);
}

/* Success REPORTs may cover the message in pieces; a 200 alone is not
 * delivery. */
static void
test_raw_report_pieces (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r = { 0 };
  const char *id = msrp_outgoing_message_get_message_id (message);

  msrp_outgoing_message_set_success_report (message, TRUE);
  msrp_session_send_async (fx->a, message, NULL, on_sent, &r);
  WAIT_UNTIL (fx, raw_last_send_id (fx) != NULL);
  raw_sync (fx);
  g_assert_false (r.done);
  raw_write_report (fx, "rep1", id, 1, 5, 10, 200);
  raw_sync (fx);
  g_assert_false (r.done);
  raw_write_report (fx, "rep2", id, 6, 10, 10, 200);
  WAIT_UNTIL (fx, r.done);
  g_assert_no_error (r.error);
}

static void
test_raw_failure_report (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r = { 0 };

  msrp_outgoing_message_set_success_report (message, TRUE);
  msrp_session_send_async (fx->a, message, NULL, on_sent, &r);
  WAIT_UNTIL (fx, raw_last_send_id (fx) != NULL);
  raw_write_report (fx, "rep1", msrp_outgoing_message_get_message_id (message), 1, 10, 10, 481);
  WAIT_UNTIL (fx, r.done);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_SESSION_DOES_NOT_EXIST);
  send_result_clear (&r);
}

static RawFrame *
raw_last_send (Fixture *fx)
{
  for (guint i = fx->raw->frames->len; i-- > 0;)
    {
      RawFrame *frame = fx->raw->frames->pdata[i];
      if (msrp_frame_is_request (frame->head) && msrp_frame_get_method (frame->head) == MSRP_METHOD_SEND)
        return frame;
    }
  return NULL;
}

/* Failure-Report: partial: the transport takes a chunk as sent once written,
 * and a failure response may come later. While the send is still going on
 * (here: waiting for its success REPORT) it fails the send; afterwards it
 * changes nothing. */
static void
test_raw_partial_late_failure (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(MsrpOutgoingMessage) waiting = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(MsrpOutgoingMessage) over = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(MsrpFrame) failure = NULL;
  SendResult r = { 0 };

  msrp_session_set_report_timeout (fx->a, 60);
  msrp_outgoing_message_set_success_report (waiting, TRUE);
  msrp_outgoing_message_set_failure_report (waiting, MSRP_REPORT_PARTIAL);
  msrp_session_send_async (fx->a, waiting, NULL, on_sent, &r);
  WAIT_UNTIL (fx, raw_last_send (fx) != NULL);
  raw_sync (fx);
  g_assert_false (r.done);
  failure = msrp_frame_new_response_for (raw_last_send (fx)->head, 413, NULL);
  raw_peer_write (fx->raw, failure);
  WAIT_UNTIL (fx, r.done);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  send_result_clear (&r);
  g_clear_pointer (&failure, msrp_frame_unref);

  msrp_outgoing_message_set_failure_report (over, MSRP_REPORT_PARTIAL);
  r = (SendResult) { 0 };
  send_and_wait (fx, fx->a, over, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (fx, g_strcmp0 (raw_last_send_id (fx), msrp_outgoing_message_get_message_id (over)) == 0);
  failure = msrp_frame_new_response_for (raw_last_send (fx)->head, 413, NULL);
  raw_peer_write (fx->raw, failure);
  raw_sync (fx);
  g_assert_false (msrp_session_is_closed (fx->a));
}

/* A's writes are asynchronous, and the peer's response to a SEND is read
 * before the write of the SEND tells its end (as on a socket whose write
 * completion is dispatched late): the stream pair holds the completion. */
static void
test_raw_response_before_write_done (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(MsrpOutgoingMessage) answered = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(MsrpOutgoingMessage) refused = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(MsrpFrame) failure = NULL;
  SendResult r = { 0 };

  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, TRUE);

  /* Fire and forget: the 200 ends it before the write does. */
  msrp_session_send_bytes_async (fx->a, "text/plain", body, NULL, NULL, NULL);
  WAIT_UNTIL (fx, count_responses (fx->a_in) == 1);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (fx->pair, MSRP_TEST_A_TO_B), ==, 1);
  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, FALSE);
  WAIT_UNTIL (fx, msrp_transport_get_queued_bytes (fx->ta) == 0);

  /* Failure-Report: yes, with a callback: the same. */
  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, TRUE);
  msrp_session_send_async (fx->a, answered, NULL, on_sent, &r);
  WAIT_UNTIL (fx, count_responses (fx->a_in) == 2);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (fx->pair, MSRP_TEST_A_TO_B), ==, 1);
  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, FALSE);
  WAIT_UNTIL (fx, r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  send_result_clear (&r);

  /* Failure-Report: partial: the failure is told though the write of the
   * SEND has not ended. */
  r = (SendResult) { 0 };
  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, TRUE);
  msrp_outgoing_message_set_failure_report (refused, MSRP_REPORT_PARTIAL);
  msrp_session_send_async (fx->a, refused, NULL, on_sent, &r);
  WAIT_UNTIL (fx, g_strcmp0 (raw_last_send_id (fx), msrp_outgoing_message_get_message_id (refused)) == 0);
  failure = msrp_frame_new_response_for (raw_last_send (fx)->head, 413, NULL);
  raw_peer_write (fx->raw, failure);
  WAIT_UNTIL (fx, count_responses (fx->a_in) == 3);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (fx->pair, MSRP_TEST_A_TO_B), ==, 1);
  g_assert_true (r.done);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  send_result_clear (&r);
  msrp_test_stream_pair_hold_writes (fx->pair, MSRP_TEST_A_TO_B, FALSE);
  raw_sync (fx);
  g_assert_false (msrp_session_is_closed (fx->a));
  g_assert_cmpuint (msrp_transport_get_queued_bytes (fx->ta), ==, 0);
}

static void
test_raw_report_timeout (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r = { 0 };

  msrp_session_set_report_timeout (fx->a, 1);
  msrp_outgoing_message_set_success_report (message, TRUE);
  send_and_wait (fx, fx->a, message, &r);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_TIMEOUT);
  send_result_clear (&r);
}

/* The receiver generates a success REPORT covering the whole message. */
static void
test_raw_report_generated (Fixture *fx, gconstpointer data)
{
  g_autoptr(MsrpFrame) first = raw_send (fx, "tid1", "rep", 1, 3, 6, "text/plain", "abc",
                                         MSRP_CONTINUATION_MORE);
  RawFrame *report = NULL;
  guint code;
  gint64 start, end, total;

  msrp_frame_set_success_report (first, MSRP_REPORT_YES);
  raw_peer_write (fx->raw, first);
  raw_write_send (fx, "tid2", "rep", 4, 6, 6, "text/plain", "def", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  for (guint i = 0; i < fx->raw->frames->len; i++)
    {
      RawFrame *frame = fx->raw->frames->pdata[i];
      if (msrp_frame_is_request (frame->head) && msrp_frame_get_method (frame->head) == MSRP_METHOD_REPORT)
        {
          g_assert_null (report);
          report = frame;
        }
    }
  g_assert_nonnull (report);
  g_assert_cmpstr (msrp_frame_get_message_id (report->head), ==, "rep");
  g_assert_true (msrp_frame_get_status_header (report->head, &code, NULL, NULL));
  g_assert_cmpuint (code, ==, 200);
  g_assert_true (msrp_frame_get_byte_range (report->head, &start, &end, &total, NULL));
  g_assert_cmpint (start, ==, 1);
  g_assert_cmpint (end, ==, 6);
  g_assert_cmpint (total, ==, 6);
  {
    GError *error = NULL;
    g_autoptr(GPtrArray) to = msrp_frame_get_to_path (report->head, &error);
    g_assert_no_error (error);
    g_assert_true (msrp_path_equal (to, fx->path_b));
  }
}

static void
test_raw_byte_range_beyond_total (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "beyond", 1, 10, 5, "text/plain", "0123456789", MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 400);
  g_assert_cmpuint (fx->announced->len, ==, 0);
}

static void
test_raw_body_bigger_than_declared (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "bigger", 1, 5, 20, "text/plain", "0123456789", MSRP_CONTINUATION_MORE);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 400);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  g_assert_error (failed_error (fx, 0), MSRP_ERROR, MSRP_ERROR_BAD_REQUEST);
  /* The rest of it is refused too. */
  raw_write_send (fx, "tid2", "bigger", 6, 20, 20, "text/plain", "abcdefghijklmno", MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (raw_wait_response (fx, "tid2"), ==, 400);
  g_assert_cmpuint (fx->received->len, ==, 0);
}

static void
test_raw_total_changes (Fixture *fx, gconstpointer data)
{
  raw_write_send (fx, "tid1", "changes", 1, 3, 6, "text/plain", "abc", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "tid2", "changes", 4, 6, 7, "text/plain", "def", MSRP_CONTINUATION_MORE);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 200);
  g_assert_cmpuint (raw_wait_response (fx, "tid2"), ==, 400);
  g_assert_cmpuint (fx->failed->len, ==, 1);
}

/* A peer that answers no chunk: the sender keeps the bodies of unanswered
 * chunks (to send them again on a new connection), so it stops reading the
 * stream once 4 MiB of them wait, rather than holding the whole message. */
static void
test_raw_unanswered_bound (Fixture *fx, gconstpointer data)
{
  guint64 size = 32 * 1024 * 1024;
  g_autoptr(TestSource) source = source_new (fx, size, 13);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", G_INPUT_STREAM (source), size);
  SendResult r = { 0 };

  fx->raw->answer = FALSE;
  msrp_session_set_chunk_size (fx->a, 65536);
  msrp_session_send_async (fx->a, message, NULL, on_sent, &r);
  run_until_idle ();
  g_assert_false (r.done);
  g_assert_cmpuint (source->pos, >=, 4 * 1024 * 1024);
  /* 4 MiB unanswered, the transport's queue, a chunk read ahead. */
  g_assert_cmpuint (source->pos, <=, 4 * 1024 * 1024 + HIGH_WATER + 3 * 65536);

  close_transport (fx, fx->ta);
  WAIT_UNTIL (fx, r.done);
  g_assert_nonnull (r.error);
  send_result_clear (&r);
}

/* A hostile peer opens 10,000 messages and never finishes them: at most
 * max-incomplete are kept, the others are refused with 413. */
static void
test_raw_many_incomplete (Fixture *fx, gconstpointer data)
{
  guint n = scaled (10000, 1000);
  guint ok = 0, refused = 0;

  fx->raw->answer = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tid = g_strdup_printf ("tid%u", i);
      g_autofree char *id = g_strdup_printf ("m%u", i);
      raw_write_send (fx, tid, id, 1, 10, 1000, "text/plain", "0123456789", MSRP_CONTINUATION_MORE);
    }
  raw_sync (fx);
  for (guint i = 0; i < fx->raw->frames->len; i++)
    {
      RawFrame *frame = fx->raw->frames->pdata[i];
      if (msrp_frame_is_request (frame->head) || g_str_has_prefix (msrp_frame_get_transaction_id (frame->head), "sync"))
        continue;
      if (msrp_frame_get_status (frame->head) == 200)
        ok++;
      else if (msrp_frame_get_status (frame->head) == 413)
        refused++;
    }
  g_assert_cmpuint (ok, ==, MSRP_SESSION_DEFAULT_MAX_INCOMPLETE);
  g_assert_cmpuint (refused, ==, n - MSRP_SESSION_DEFAULT_MAX_INCOMPLETE);
  g_assert_cmpuint (fx->announced->len, ==, MSRP_SESSION_DEFAULT_MAX_INCOMPLETE);

  /* A finished message frees a place. */
  raw_write_send (fx, "fin0", "m0", 11, 1000, 1000, "text/plain", NULL, MSRP_CONTINUATION_ABORT);
  raw_write_send (fx, "new0", "another", 1, 2, 2, "text/plain", "ok", MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (raw_wait_response (fx, "new0"), ==, 200);
  g_assert_cmpuint (fx->received->len, ==, 1);
}

/* Out-of-order pieces count against max-buffered. */
static void
test_raw_max_buffered (Fixture *fx, gconstpointer data)
{
  msrp_session_set_max_buffered (fx->a, 4000);
  raw_write_send (fx, "tid1", "buf", 1001, 3000, 10000, "text/plain",
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                  MSRP_CONTINUATION_MORE);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 200);
  {
    g_autofree char *big = g_strnfill (4000, 'y');
    raw_write_send (fx, "tid2", "buf", 5001, 9000, 10000, "text/plain", big, MSRP_CONTINUATION_MORE);
  }
  g_assert_cmpuint (raw_wait_response (fx, "tid2"), ==, 413);
  g_assert_cmpuint (fx->failed->len, ==, 1);
  g_assert_error (failed_error (fx, 0), MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  /* The memory came back: a message of the same size fits now. */
  {
    g_autofree char *text = g_strnfill (3500, 'z');
    raw_write_send (fx, "tid3", "buf2", 1, 3500, 3500, "text/plain", text, MSRP_CONTINUATION_COMPLETE);
  }
  g_assert_cmpuint (raw_wait_response (fx, "tid3"), ==, 200);
  g_assert_cmpuint (fx->received->len, ==, 1);
}

static void
test_raw_matching (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) other_host = parse_path ("msrp://192.0.2.1:9999/sessiona;tcp");
  g_autoptr(MsrpFrame) frame = raw_send (fx, "tid1", "m1", 1, 2, 2, "text/plain", "hi",
                                         MSRP_CONTINUATION_COMPLETE);
  g_autoptr(MsrpFrame) frame2 = raw_send (fx, "tid2", "m2", 1, 2, 2, "text/plain", "hi",
                                          MSRP_CONTINUATION_COMPLETE);
  g_autoptr(GPtrArray) stranger = parse_path ("msrp://127.0.0.1:7002/someoneelse;tcp");
  g_autoptr(MsrpFrame) frame3 = raw_send (fx, "tid3", "m3", 1, 2, 2, "text/plain", "hi",
                                          MSRP_CONTINUATION_COMPLETE);

  /* An SBC rewrote the host: strict matching refuses it... */
  msrp_frame_set_to_path (frame, other_host);
  raw_peer_write (fx->raw, frame);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 481);
  /* ...session-id matching takes it. */
  msrp_session_set_matching (fx->a, MSRP_SESSION_MATCHING_SESSION_ID);
  msrp_frame_set_to_path (frame2, other_host);
  raw_peer_write (fx->raw, frame2);
  g_assert_cmpuint (raw_wait_response (fx, "tid2"), ==, 200);
  /* A sender that is not the peer is refused either way. */
  msrp_frame_set_from_path (frame3, stranger);
  raw_peer_write (fx->raw, frame3);
  g_assert_cmpuint (raw_wait_response (fx, "tid3"), ==, 481);
  g_assert_cmpuint (fx->received->len, ==, 1);
  /* Back to strict: the rewritten host that matched a moment ago (the
   * same parsed path again) is refused. */
  msrp_session_set_matching (fx->a, MSRP_SESSION_MATCHING_SESSION_ID);
  {
    g_autoptr(MsrpFrame) frame4 = raw_send (fx, "tid4", "m4", 1, 2, 2, "text/plain", "hi",
                                            MSRP_CONTINUATION_COMPLETE);
    g_autoptr(MsrpFrame) frame5 = raw_send (fx, "tid5", "m5", 1, 2, 2, "text/plain", "hi",
                                            MSRP_CONTINUATION_COMPLETE);

    msrp_frame_set_to_path (frame4, other_host);
    raw_peer_write (fx->raw, frame4);
    g_assert_cmpuint (raw_wait_response (fx, "tid4"), ==, 200);
    msrp_session_set_matching (fx->a, MSRP_SESSION_MATCHING_STRICT);
    msrp_frame_set_to_path (frame5, other_host);
    raw_peer_write (fx->raw, frame5);
    g_assert_cmpuint (raw_wait_response (fx, "tid5"), ==, 481);
  }
  g_assert_cmpuint (fx->received->len, ==, 2);
}

/* A session made without the peer's path learns it from the first request;
 * a message sent before waits for it. */
static void
test_raw_learn_remote_path (Fixture *fx, gconstpointer data)
{
  g_autoptr(GPtrArray) path_c = parse_path ("msrp://127.0.0.1:7003/sessionc;tcp");
  g_autoptr(MsrpSession) c = make_session (fx->ta, path_c, NULL);
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "tid1");
  g_autoptr(GBytes) body = g_bytes_new_static ("back", 4);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(MsrpOutgoingMessage) early = msrp_outgoing_message_new_bytes ("text/plain", body);
  SendResult r = { 0 }, e = { 0 };
  g_autofree char *to = NULL;
  RawFrame *last = NULL;

  /* Nothing is queued on the transport while the peer is unknown (a send
   * hands its first chunk over at once when it can). */
  msrp_session_send_async (c, early, NULL, on_sent, &e);
  g_assert_cmpuint (msrp_transport_get_queued_bytes (fx->ta), ==, 0);
  g_assert_false (e.done);
  msrp_frame_set_to_path (frame, path_c);
  msrp_frame_set_from_path (frame, fx->path_b);
  msrp_frame_set_message_id (frame, "x1");
  raw_peer_write (fx->raw, frame);
  g_assert_cmpuint (raw_wait_response (fx, "tid1"), ==, 200);
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (c), fx->path_b));

  WAIT_UNTIL (fx, e.done);
  g_assert_no_error (e.error);
  send_and_wait (fx, c, message, &r);
  g_assert_no_error (r.error);
  for (guint i = 0; i < fx->raw->frames->len; i++)
    if (msrp_frame_is_request (((RawFrame *) fx->raw->frames->pdata[i])->head))
      last = fx->raw->frames->pdata[i];
  g_assert_nonnull (last);
  to = g_strdup (msrp_frame_get_header (last->head, "To-Path"));
  g_assert_cmpstr (to, ==, "msrp://127.0.0.1:7002/sessionb;tcp");
  send_result_clear (&e);
}

static void
test_raw_session_id_taken (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  MsrpSession *again = msrp_session_new (fx->ta, fx->path_a, fx->path_b, &error);

  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static void
test_raw_keepalive (Fixture *fx, gconstpointer data)
{
  guint bodiless = 0;

  msrp_session_set_keepalive_interval (fx->a, 1);
  while (bodiless < 2 && !fx->timed_out)
    {
      bodiless = 0;
      for (guint i = 0; i < fx->raw->frames->len; i++)
        {
          RawFrame *frame = fx->raw->frames->pdata[i];
          gint64 start, end, total;
          if (!msrp_frame_is_request (frame->head))
            continue;
          g_assert_true (msrp_frame_get_byte_range (frame->head, &start, &end, &total, NULL));
          g_assert_null (msrp_frame_get_content_type (frame->head));
          g_assert_cmpint (total, ==, 0);
          g_assert_cmpuint (frame->body->len, ==, 0);
          bodiless++;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (fx->timed_out);
}

static void
test_accepts_type (void)
{
  g_autoptr(MsrpTestStreamPair) pair = msrp_test_stream_pair_new (NULL, NULL);
  g_autoptr(MsrpTransport) transport = msrp_transport_new (msrp_test_stream_pair_get_a (pair));
  g_autoptr(GPtrArray) path = parse_path ("msrp://127.0.0.1:7001/s;tcp");
  g_autoptr(MsrpSession) session = make_session (transport, path, path);
  static const char * const types[] = { "text/plain", "message/*", "Application/JSON", NULL };

  g_assert_true (msrp_session_accepts_type (session, "image/png"));
  msrp_session_set_accept_types (session, types);
  g_assert_true (msrp_session_accepts_type (session, "text/plain"));
  g_assert_true (msrp_session_accepts_type (session, "TEXT/Plain; charset=utf-8"));
  g_assert_true (msrp_session_accepts_type (session, "message/cpim"));
  g_assert_true (msrp_session_accepts_type (session, "application/json"));
  g_assert_false (msrp_session_accepts_type (session, "text/html"));
  g_assert_false (msrp_session_accepts_type (session, "text/plainx"));
  g_assert_false (msrp_session_accepts_type (session, "message/"));
  g_assert_false (msrp_session_accepts_type (session, "messages/cpim"));
  msrp_session_set_accept_types (session, NULL);
  g_assert_cmpstr (msrp_session_get_accept_types (session)[0], ==, "*");
  g_assert_cmpuint (msrp_session_get_chunk_size (session), ==, 2048);
  g_assert_cmpuint (msrp_session_get_report_timeout (session), ==, 120);
  g_assert_cmpuint (msrp_session_get_keepalive_interval (session), ==, 0);
  g_assert_true (msrp_session_get_interleave (session));
  g_assert_cmpstr (msrp_session_get_session_id (session), ==, "s");
}

static const struct {
  const char *name;
  GTestFixtureFunc func;
} round_trips[] = {
  { "text", (GTestFixtureFunc) test_text },
  { "empty-body", (GTestFixtureFunc) test_empty_body },
  { "one-byte", (GTestFixtureFunc) test_one_byte },
  { "binary-10mib", (GTestFixtureFunc) test_binary_10mib },
  { "chunk-1", (GTestFixtureFunc) test_chunk_1 },
  { "chunk-7", (GTestFixtureFunc) test_chunk_7 },
  { "chunk-2048", (GTestFixtureFunc) test_chunk_2048 },
  { "chunk-65536", (GTestFixtureFunc) test_chunk_65536 },
  { "no-split", (GTestFixtureFunc) test_no_split },
  { "relay-chunk-cap", (GTestFixtureFunc) test_relay_chunk_cap },
  { "interleaved-stream", (GTestFixtureFunc) test_interleaved_stream },
  { "serial", (GTestFixtureFunc) test_serial },
  { "round-robin", (GTestFixtureFunc) test_interleave_round_robin },
  { "unknown-total", (GTestFixtureFunc) test_unknown_total },
  { "known-size-stream", (GTestFixtureFunc) test_known_size_stream },
  { "short-stream", (GTestFixtureFunc) test_short_stream },
  { "stream-short-reads", (GTestFixtureFunc) test_stream_short_reads },
  { "success-report", (GTestFixtureFunc) test_success_report },
  { "failure-report-sent", (GTestFixtureFunc) test_failure_report_sent },
  { "failure-report-no", (GTestFixtureFunc) test_failure_report_no },
  { "failure-report-partial", (GTestFixtureFunc) test_failure_report_partial },
  { "max-size", (GTestFixtureFunc) test_max_size },
  { "max-size-unknown-total", (GTestFixtureFunc) test_max_size_unknown_total },
  { "accept-types", (GTestFixtureFunc) test_accept_types },
  { "fire-and-forget", (GTestFixtureFunc) test_fire_and_forget },
  { "fire-and-forget-failure", (GTestFixtureFunc) test_fire_and_forget_failure },
  { "send-bytes", (GTestFixtureFunc) test_send_bytes },
  { "small-body-owns-its-data", (GTestFixtureFunc) test_small_body_owns_its_data },
  { "abort-sender", (GTestFixtureFunc) test_abort_sender },
  { "abort-receiver", (GTestFixtureFunc) test_abort_receiver },
  { "connection-dropped", (GTestFixtureFunc) test_connection_dropped },
  { "closed-while-writing", (GTestFixtureFunc) test_closed_while_writing },
  { "close-pending", (GTestFixtureFunc) test_close_pending },
  { "close-shared-transport", (GTestFixtureFunc) test_close_shared_transport },
  { "progress", (GTestFixtureFunc) test_progress },
  { "flow-control", (GTestFixtureFunc) test_flow_control },
  { "slow-output", (GTestFixtureFunc) test_slow_output },
  { "close-while-draining", (GTestFixtureFunc) test_close_while_draining },
  { "short-writes", (GTestFixtureFunc) test_short_writes },
  { "send-twice", (GTestFixtureFunc) test_send_twice },
  { "bodiless-send", (GTestFixtureFunc) test_bodiless_send },
  { "keepalive", (GTestFixtureFunc) test_keepalive },
};

typedef struct {
  Fixture *fx;
  GPtrArray *seen;           /* "Message-ID body" of each message received */
} Reentry;

static char *
describe_message (MsrpIncomingMessage *message)
{
  GBytes *bytes = msrp_incoming_message_get_bytes (message);

  return g_strdup_printf ("%s %.*s", msrp_incoming_message_get_message_id (message),
                          (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
}

static void
drop_on_received (MsrpSession *session, MsrpIncomingMessage *message, Reentry *r)
{
  g_ptr_array_add (r->seen, describe_message (message));
  msrp_session_close_async (session, NULL, NULL, NULL);
  g_clear_object (&r->fx->a);
}

static gboolean
session_gone (GWeakRef *weak)
{
  g_autoptr(GObject) object = g_weak_ref_get (weak);

  return object == NULL;
}

/* A message-received handler that closes the session and drops the last
 * reference on it, with more messages behind in the same read: none of
 * them is delivered, and the session (its spare message, its tables) goes. */
static void
test_raw_drop_in_received (Fixture *fx, gconstpointer data)
{
  Reentry r = { fx, g_ptr_array_new_with_free_func (g_free) };
  GWeakRef weak;

  g_signal_handlers_disconnect_by_data (fx->a, fx);
  g_signal_connect (fx->a, "message-received", G_CALLBACK (drop_on_received), &r);
  g_weak_ref_init (&weak, fx->a);
  raw_write_send (fx, "dr1tid", "dr1", 1, 3, 3, "text/plain", "one", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "dr2tid", "dr2", 1, 3, 3, "text/plain", "two", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "dr3tid", "dr3", 1, 5, 5, "text/plain", "three", MSRP_CONTINUATION_COMPLETE);
  WAIT_UNTIL (fx, session_gone (&weak));
  g_weak_ref_clear (&weak);
  g_assert_cmpuint (r.seen->len, ==, 1);
  g_assert_cmpstr (r.seen->pdata[0], ==, "dr1 one");
  g_ptr_array_unref (r.seen);
}

static void
nest_on_received (MsrpSession *session, MsrpIncomingMessage *message, Reentry *r)
{
  g_autofree char *after = NULL;

  g_ptr_array_add (r->seen, describe_message (message));
  if (r->seen->len != 1)
    return;
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  /* The message is still itself: none was made of it meanwhile. */
  after = describe_message (message);
  g_assert_cmpstr (after, ==, r->seen->pdata[0]);
}

/* A message-received handler that runs a main loop, keeping nothing of
 * the messages: those behind it in the read come after it, whole and in
 * order (reused message objects and frames included). */
static void
test_raw_nested_loop_in_received (Fixture *fx, gconstpointer data)
{
  Reentry r = { fx, g_ptr_array_new_with_free_func (g_free) };

  g_signal_handlers_disconnect_by_data (fx->a, fx);
  g_signal_connect (fx->a, "message-received", G_CALLBACK (nest_on_received), &r);
  raw_write_send (fx, "ne1tid", "ne1", 1, 3, 3, "text/plain", "one", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "ne2tid", "ne2", 1, 3, 3, "text/plain", "two", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "ne3tid", "ne3", 1, 2, 5, "text/plain", "th", MSRP_CONTINUATION_MORE);
  raw_write_send (fx, "ne4tid", "ne3", 3, 5, 5, "text/plain", "ree", MSRP_CONTINUATION_COMPLETE);
  raw_write_send (fx, "ne5tid", "ne5", 1, 4, 4, "text/plain", "four", MSRP_CONTINUATION_COMPLETE);
  raw_sync (fx);
  g_assert_cmpuint (r.seen->len, ==, 4);
  g_assert_cmpstr (r.seen->pdata[0], ==, "ne1 one");
  g_assert_cmpstr (r.seen->pdata[1], ==, "ne2 two");
  g_assert_cmpstr (r.seen->pdata[2], ==, "ne3 three");
  g_assert_cmpstr (r.seen->pdata[3], ==, "ne5 four");
  g_signal_handlers_disconnect_by_data (fx->a, &r);
  g_ptr_array_unref (r.seen);
}

static const struct {
  const char *name;
  GTestFixtureFunc func;
} raw_tests[] = {
  { "duplicate-chunk", (GTestFixtureFunc) test_raw_duplicate_chunk },
  { "resent-after-delivery", (GTestFixtureFunc) test_raw_resent_after_delivery },
  { "unkept-messages", (GTestFixtureFunc) test_raw_unkept_messages },
  { "out-of-order", (GTestFixtureFunc) test_raw_out_of_order },
  { "unknown-total", (GTestFixtureFunc) test_raw_unknown_total },
  { "wrong-flag", (GTestFixtureFunc) test_raw_wrong_flag },
  { "heartbeat-and-bodiless", (GTestFixtureFunc) test_raw_heartbeat_and_bodiless },
  { "report-unknown-message", (GTestFixtureFunc) test_raw_report_unknown_message },
  { "report-pieces", (GTestFixtureFunc) test_raw_report_pieces },
  { "failure-report", (GTestFixtureFunc) test_raw_failure_report },
  { "report-timeout", (GTestFixtureFunc) test_raw_report_timeout },
  { "partial-late-failure", (GTestFixtureFunc) test_raw_partial_late_failure },
  { "report-generated", (GTestFixtureFunc) test_raw_report_generated },
  { "byte-range-beyond-total", (GTestFixtureFunc) test_raw_byte_range_beyond_total },
  { "unanswered-bound", (GTestFixtureFunc) test_raw_unanswered_bound },
  { "body-bigger-than-declared", (GTestFixtureFunc) test_raw_body_bigger_than_declared },
  { "total-changes", (GTestFixtureFunc) test_raw_total_changes },
  { "many-incomplete", (GTestFixtureFunc) test_raw_many_incomplete },
  { "max-buffered", (GTestFixtureFunc) test_raw_max_buffered },
  { "matching", (GTestFixtureFunc) test_raw_matching },
  { "learn-remote-path", (GTestFixtureFunc) test_raw_learn_remote_path },
  { "session-id-taken", (GTestFixtureFunc) test_raw_session_id_taken },
  { "keepalive", (GTestFixtureFunc) test_raw_keepalive },
  { "drop-in-received", (GTestFixtureFunc) test_raw_drop_in_received },
  { "nested-loop-in-received", (GTestFixtureFunc) test_raw_nested_loop_in_received },
};

static void
on_unattached_closed (MsrpSession *session, GError *error, gboolean *closed)
{
  g_assert_null (error);
  *closed = TRUE;
}

/* A session made without a connection keeps what is sent until it gets
 * one; closed first, the sends fail. */
static void
test_unattached (void)
{
  g_autoptr(GPtrArray) local = parse_path ("msrp://127.0.0.1:7001/sessiona;tcp");
  g_autoptr(GPtrArray) remote = parse_path ("msrp://127.0.0.1:7002/sessionb;tcp");
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSession) session = msrp_session_new (NULL, local, remote, &error);
  g_autoptr(MsrpTransport) transport = NULL;
  SendResult r = { 0 };
  gboolean closed = FALSE;

  g_assert_no_error (error);
  g_assert_null (msrp_session_get_transport (session));
  g_object_get (session, "transport", &transport, NULL);
  g_assert_null (transport);
  g_assert_false (msrp_session_is_closed (session));
  g_signal_connect (session, "closed", G_CALLBACK (on_unattached_closed), &closed);
  msrp_session_send_text_async (session, "waiting", NULL, on_sent, &r);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (r.done);
  msrp_session_close_async (session, NULL, NULL, NULL);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (closed);
  g_assert_error (r.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  send_result_clear (&r);
}

/* The session keeps its paths in arrays of its own: a caller's array need
 * not own its URIs (those language bindings make for a call do not) and
 * may change once the call is over. */
static void
test_own_paths (void)
{
  g_autoptr(GPtrArray) local = g_ptr_array_new ();
  g_autoptr(GPtrArray) remote = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSession) session = NULL;
  g_autofree char *local_text = NULL;
  g_autofree char *remote_text = NULL;

  g_ptr_array_add (local, msrp_uri_parse ("msrp://127.0.0.1:7001/sessiona;tcp", &error));
  g_assert_no_error (error);
  g_ptr_array_add (remote, msrp_uri_parse ("msrp://127.0.0.1:7002/sessionb;tcp", &error));
  g_assert_no_error (error);
  session = msrp_session_new (NULL, local, remote, &error);
  g_assert_no_error (error);
  msrp_uri_unref (local->pdata[0]);
  msrp_uri_unref (remote->pdata[0]);
  g_ptr_array_set_size (local, 0);
  g_ptr_array_set_size (remote, 0);

  local_text = msrp_path_to_string (msrp_session_get_local_path (session));
  remote_text = msrp_path_to_string (msrp_session_get_remote_path (session));
  g_assert_cmpstr (local_text, ==, "msrp://127.0.0.1:7001/sessiona;tcp");
  g_assert_cmpstr (remote_text, ==, "msrp://127.0.0.1:7002/sessionb;tcp");
}

int
main (int argc, char **argv)
{
  static const struct {
    const char *name;
    LinkKind kind;
  } links[] = {
    { "memory", LINK_MEMORY },
    { "split", LINK_SPLIT },
    { "tcp", LINK_TCP },
  };
  static const char *const stream_tests[] = {
    "interleaved-stream", "failure-report-sent", "failure-report-no", "failure-report-partial",
    "closed-while-writing", "flow-control", "slow-output", "close-while-draining",
    "short-writes", "unknown-total", "known-size-stream", "short-stream", "stream-short-reads",
    "max-size-unknown-total", "abort-sender", "abort-receiver", "connection-dropped",
    "close-pending", NULL
  };

  g_test_init (&argc, &argv, NULL);
  under_valgrind = g_getenv ("MSRP_TEST_VALGRIND") != NULL;

  g_test_add_func ("/session/accepts-type", test_accepts_type);
  g_test_add_func ("/session/unattached", test_unattached);
  g_test_add_func ("/session/own-paths", test_own_paths);
  for (guint l = 0; l < G_N_ELEMENTS (links); l++)
    for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
      {
        g_autofree char *path = g_strdup_printf ("/session/%s/%s", links[l].name, round_trips[i].name);
        g_test_add_vtable (path, sizeof (Fixture), GINT_TO_POINTER (links[l].kind),
                           (GTestFixtureFunc) setup_sessions, round_trips[i].func,
                           (GTestFixtureFunc) teardown);
      }
  /* The tests with stream bodies or output streams again, with streams that can poll. */
  for (guint l = 0; l < G_N_ELEMENTS (links); l++)
    for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
      {
        g_autofree char *path = NULL;

        if (!g_strv_contains (stream_tests, round_trips[i].name))
          continue;
        path = g_strdup_printf ("/session/%s/pollable/%s", links[l].name, round_trips[i].name);
        g_test_add_vtable (path, sizeof (Fixture), GINT_TO_POINTER (links[l].kind | POLLABLE_STREAMS),
                           (GTestFixtureFunc) setup_sessions, round_trips[i].func,
                           (GTestFixtureFunc) teardown);
      }
  g_test_add_vtable ("/session/async-writes/response-before-write-done", sizeof (Fixture),
                     GINT_TO_POINTER (LINK_ASYNC_WRITES), (GTestFixtureFunc) setup_raw,
                     (GTestFixtureFunc) test_raw_response_before_write_done,
                     (GTestFixtureFunc) teardown);
  g_test_add_vtable ("/session/memory/hold-reading", sizeof (Fixture), GINT_TO_POINTER (LINK_MEMORY),
                     (GTestFixtureFunc) setup_sessions, (GTestFixtureFunc) test_hold_reading,
                     (GTestFixtureFunc) teardown);
  for (guint i = 0; i < G_N_ELEMENTS (raw_tests); i++)
    {
      g_autofree char *path = g_strdup_printf ("/session/raw/%s", raw_tests[i].name);
      g_test_add_vtable (path, sizeof (Fixture), GINT_TO_POINTER (LINK_MEMORY),
                         (GTestFixtureFunc) setup_raw, raw_tests[i].func,
                         (GTestFixtureFunc) teardown);
    }
  return g_test_run ();
}
