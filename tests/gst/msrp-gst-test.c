/* msrp-gst-test.c: two MSRP sessions over loopback TCP for the element tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-gst-test.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

void
test_gst_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  gst_init (argc, argv);
}

static gpointer
run_loop (gpointer data)
{
  TestPair *pair = data;

  g_main_context_push_thread_default (pair->context);
  g_main_loop_run (pair->loop);
  g_main_context_pop_thread_default (pair->context);
  return NULL;
}

typedef struct {
  TestPair *pair;
  TestPairFunc func;
  gpointer data;
  gboolean done;
} RunCtx;

static gboolean
run_on_context (gpointer user_data)
{
  RunCtx *ctx = user_data;

  ctx->func (ctx->pair, ctx->data);
  g_mutex_lock (&ctx->pair->lock);
  ctx->done = TRUE;
  g_cond_broadcast (&ctx->pair->cond);
  g_mutex_unlock (&ctx->pair->lock);
  return G_SOURCE_REMOVE;
}

/* Waits on the pair's condition until @done or the test's time is up;
 * called with the lock held. */
#define WAIT_LOCKED(pair, done)                                               \
  G_STMT_START {                                                              \
    gint64 deadline_ = g_get_monotonic_time () + TEST_WAIT_SECONDS * G_TIME_SPAN_SECOND; \
    while (!(done))                                                           \
      if (!g_cond_wait_until (&(pair)->cond, &(pair)->lock, deadline_))       \
        g_error ("timed out waiting for " #done);                             \
  } G_STMT_END

/* Runs @func on the sessions' thread and waits for it. */
void
test_pair_run (TestPair *pair, TestPairFunc func, gpointer data)
{
  RunCtx ctx = { pair, func, data, FALSE };

  g_main_context_invoke (pair->context, run_on_context, &ctx);
  g_mutex_lock (&pair->lock);
  WAIT_LOCKED (pair, ctx.done);
  g_mutex_unlock (&pair->lock);
}

static gpointer
connect_thread (gpointer data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (data), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
on_peer_received (MsrpSession *session, MsrpIncomingMessage *message, TestPair *pair)
{
  g_mutex_lock (&pair->lock);
  if (!pair->count_only)
    g_ptr_array_add (pair->received, g_object_ref (message));
  pair->n_received++;
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

static void
on_peer_failed (MsrpSession *session, MsrpIncomingMessage *message, const GError *error,
                TestPair *pair)
{
  g_mutex_lock (&pair->lock);
  pair->failed++;
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

static void
on_peer_closed (MsrpSession *session, const GError *error, TestPair *pair)
{
  g_mutex_lock (&pair->lock);
  pair->peer_closed = TRUE;
  if (error != NULL)
    pair->peer_error = g_error_copy (error);
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

typedef struct {
  GIOStream *local;
  GIOStream *peer;
} Streams;

static void
make_sessions (TestPair *pair, gpointer data)
{
  Streams *streams = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) local_path = msrp_path_parse ("msrp://127.0.0.1:7002/local;tcp", NULL);
  g_autoptr(GPtrArray) peer_path = msrp_path_parse ("msrp://127.0.0.1:7001/peer;tcp", NULL);

  pair->local_transport = msrp_transport_new (streams->local);
  pair->peer_transport = msrp_transport_new (streams->peer);
  pair->local = msrp_session_new (pair->local_transport, local_path, peer_path, &error);
  g_assert_no_error (error);
  pair->peer = msrp_session_new (pair->peer_transport, peer_path, local_path, &error);
  g_assert_no_error (error);
  g_signal_connect (pair->peer, "message-received", G_CALLBACK (on_peer_received), pair);
  g_signal_connect (pair->peer, "message-failed", G_CALLBACK (on_peer_failed), pair);
  g_signal_connect (pair->peer, "closed", G_CALLBACK (on_peer_closed), pair);
  msrp_transport_start (pair->local_transport);
  msrp_transport_start (pair->peer_transport);
}

TestPair *
test_pair_new (void)
{
  TestPair *pair = g_new0 (TestPair, 1);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) accepted = NULL;
  g_autoptr(GSocketConnection) connected = NULL;
  GThread *connector;
  Streams streams;

  g_mutex_init (&pair->lock);
  g_cond_init (&pair->cond);
  pair->received = g_ptr_array_new_with_free_func (g_object_unref);
  pair->context = g_main_context_new ();
  pair->loop = g_main_loop_new (pair->context, FALSE);
  pair->thread = g_thread_new ("msrp-test-sessions", run_loop, pair);

  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  connector = g_thread_new ("msrp-test-connect", connect_thread, bound);
  accepted = g_socket_listener_accept (listener, NULL, NULL, &error);
  g_assert_no_error (error);
  connected = g_thread_join (connector);
  g_socket_listener_close (listener);

  /* Whole frames go out in one write: Nagle would only hold back the last
   * small one until the peer's delayed ACK (40 ms). */
  g_socket_set_option (g_socket_connection_get_socket (accepted), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_option (g_socket_connection_get_socket (connected), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  streams.local = G_IO_STREAM (accepted);
  streams.peer = G_IO_STREAM (connected);
  test_pair_run (pair, make_sessions, &streams);
  return pair;
}

static void
close_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  msrp_session_close_finish (MSRP_SESSION (source), result, NULL);
}

static void
drop_sessions (TestPair *pair, gpointer data)
{
  if (!msrp_session_is_closed (pair->peer))
    msrp_session_close_async (pair->peer, NULL, close_done, NULL);
  if (!msrp_session_is_closed (pair->local))
    msrp_session_close_async (pair->local, NULL, close_done, NULL);
  g_signal_handlers_disconnect_by_data (pair->peer, pair);
  g_clear_object (&pair->local);
  g_clear_object (&pair->peer);
  g_clear_object (&pair->local_transport);
  g_clear_object (&pair->peer_transport);
}

static gboolean
quit_when_idle (gpointer data)
{
  TestPair *pair = data;

  g_main_loop_quit (pair->loop);
  return G_SOURCE_REMOVE;
}

void
test_pair_free (TestPair *pair)
{
  test_pair_run (pair, drop_sessions, NULL);
  /* Let the closes finish before the loop ends. */
  {
    GSource *idle = g_timeout_source_new (100);
    g_source_set_callback (idle, quit_when_idle, pair, NULL);
    g_source_attach (idle, pair->context);
    g_source_unref (idle);
  }
  g_thread_join (pair->thread);
  g_main_loop_unref (pair->loop);
  g_main_context_unref (pair->context);
  g_ptr_array_unref (pair->received);
  g_clear_error (&pair->peer_error);
  g_mutex_clear (&pair->lock);
  g_cond_clear (&pair->cond);
  g_free (pair);
}

static void
peer_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TestPair *pair = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = msrp_session_send_finish (MSRP_SESSION (source), result, &error);

  g_mutex_lock (&pair->lock);
  pair->sends_done++;
  if (!ok)
    pair->sends_failed++;
  g_cond_broadcast (&pair->cond);
  g_mutex_unlock (&pair->lock);
}

typedef struct {
  const char *content_type;
  GBytes *body;
  guint n;
} SendArgs;

static void
send_on_context (TestPair *pair, gpointer data)
{
  SendArgs *args = data;

  for (guint i = 0; i < args->n; i++)
    {
      g_autoptr(MsrpOutgoingMessage) message =
        msrp_outgoing_message_new_bytes (args->content_type, args->body);

      msrp_session_send_async (pair->peer, message, NULL, peer_sent, pair);
    }
}

/* Sends a message from the peer; it does not wait for the send to end. */
void
test_pair_send (TestPair *pair, const char *content_type, GBytes *body)
{
  test_pair_send_many (pair, content_type, body, 1);
}

/* Sends @n messages from the peer at once, all in flight together. */
void
test_pair_send_many (TestPair *pair, const char *content_type, GBytes *body, guint n)
{
  SendArgs args = { content_type, body, n };

  test_pair_run (pair, send_on_context, &args);
}

void
test_pair_send_text (TestPair *pair, const char *text)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  test_pair_send (pair, "text/plain", body);
}

/* Waits until @n of the peer's sends ended, and checks none failed. */
void
test_pair_wait_sends (TestPair *pair, guint n)
{
  g_mutex_lock (&pair->lock);
  WAIT_LOCKED (pair, pair->sends_done >= n);
  g_assert_cmpuint (pair->sends_failed, ==, 0);
  g_mutex_unlock (&pair->lock);
}

void
test_pair_wait_received (TestPair *pair, guint n)
{
  g_mutex_lock (&pair->lock);
  WAIT_LOCKED (pair, pair->n_received >= n);
  g_mutex_unlock (&pair->lock);
}

void
test_pair_wait_peer_closed (TestPair *pair)
{
  g_mutex_lock (&pair->lock);
  WAIT_LOCKED (pair, pair->peer_closed);
  g_mutex_unlock (&pair->lock);
}

void
test_pair_wait_failed (TestPair *pair, guint n)
{
  g_mutex_lock (&pair->lock);
  WAIT_LOCKED (pair, pair->failed >= n);
  g_mutex_unlock (&pair->lock);
}

/* The body of the @i-th message the peer received (after
 * test_pair_wait_received()). */
GBytes *
test_pair_received_bytes (TestPair *pair, guint i, const char **content_type)
{
  MsrpIncomingMessage *message;

  g_mutex_lock (&pair->lock);
  g_assert_cmpuint (i, <, pair->received->len);
  message = pair->received->pdata[i];
  g_mutex_unlock (&pair->lock);
  if (content_type != NULL)
    *content_type = msrp_incoming_message_get_content_type (message);
  return msrp_incoming_message_get_bytes (message);
}

static void
hold_peer (TestPair *pair, gpointer data)
{
  if (GPOINTER_TO_INT (data))
    msrp_session_hold_reading (pair->peer);
  else
    msrp_session_release_reading (pair->peer);
}

/* Stops (or resumes) reading on the peer's side: its sends and answers
 * stop, so nothing the local side sends is acknowledged. */
void
test_pair_hold_peer (TestPair *pair, gboolean hold)
{
  test_pair_run (pair, hold_peer, GINT_TO_POINTER (hold));
}

static void
close_peer (TestPair *pair, gpointer data)
{
  msrp_session_close_async (pair->peer, NULL, close_done, NULL);
}

/* Closes the peer cleanly: the local session sees the connection end. */
void
test_pair_close_peer (TestPair *pair)
{
  test_pair_run (pair, close_peer, NULL);
}

static void
abort_peer (TestPair *pair, gpointer data)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                 "test abort");
  GSocket *socket = g_socket_connection_get_socket (
    G_SOCKET_CONNECTION (msrp_transport_get_stream (pair->peer_transport)));
  struct linger lin = { 1, 0 };

  /* SO_LINGER 0: the close sends RST, the local side reads an error. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &lin, sizeof lin);
  msrp_transport_abort (pair->peer_transport, error);
}

/* Resets the connection under the peer: the local session fails. */
void
test_pair_abort_peer (TestPair *pair)
{
  test_pair_run (pair, abort_peer, NULL);
}

GBytes *
test_random_bytes (gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;
  return g_bytes_new_take (data, size);
}

/* The next message of @types on @bus; fails the test when none comes. */
GstMessage *
test_bus_wait (GstBus *bus, GstMessageType types)
{
  GstMessage *message = gst_bus_timed_pop_filtered (bus, TEST_WAIT_SECONDS * GST_SECOND, types);

  if (message == NULL)
    g_error ("no %s message on the bus", gst_message_type_get_name (types));
  return message;
}

GstElement *
test_parse (const char *description)
{
  g_autoptr(GError) error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);

  g_assert_no_error (error);
  return pipeline;
}

/* The element @name of @pipeline, which keeps it alive. */
GstElement *
test_child (GstElement *pipeline, const char *name)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), name);

  g_assert_nonnull (element);
  gst_object_unref (element);
  return element;
}

/* Waits for EOS; an error fails the test with its text. */
void
test_wait_eos (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = test_bus_wait (bus, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_error ("%s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message, debug);
    }
}

/* The next element error of @pipeline. */
GError *
test_wait_error (GstElement *pipeline)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = test_bus_wait (bus, GST_MESSAGE_ERROR);
  GError *error = NULL;

  gst_message_parse_error (message, &error, NULL);
  return error;
}

/* --- Standalone pipelines (gst-launch style) ------------------------------ */

void
test_play (GstElement *pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
}

/* To NULL, and unreferenced. */
void
test_stop (GstElement *pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

char *
test_get_string (GstElement *element, const char *property)
{
  char *value = NULL;

  g_object_get (element, property, &value, NULL);
  return value;
}

/* Into the appsrc "in" of @pipeline. */
void
test_push_text (GstElement *pipeline, const char *text)
{
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (test_child (pipeline, "in")),
                                            gst_buffer_new_memdup (text, strlen (text))),
                   ==, GST_FLOW_OK);
}

/* From the appsink "out" of @pipeline. */
void
test_pull_text (GstElement *pipeline, const char *text)
{
  g_autoptr(GstSample) sample =
    gst_app_sink_try_pull_sample (GST_APP_SINK (test_child (pipeline, "out")),
                                  TEST_WAIT_SECONDS * GST_SECOND);
  GstMapInfo map;
  GstBuffer *buffer;

  g_assert_nonnull (sample);
  buffer = gst_sample_get_buffer (sample);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, text, strlen (text));
  gst_buffer_unmap (buffer, &map);
}

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

/* "msrpsrc name=src @properties ! appsink name=out", playing: after start
 * its local-path (a path: the relay's URI comes first) has the real port,
 * and it was notified. */
GstElement *
test_receiver (const char *properties, char **local_path)
{
  g_autofree char *description =
    g_strdup_printf ("msrpsrc name=src %s ! appsink name=out sync=false", properties);
  GstElement *pipeline = test_parse (description);
  GstElement *src = test_child (pipeline, "src");
  g_autoptr(GPtrArray) path = NULL;
  guint notified = 0;

  g_signal_connect (src, "notify::local-path", G_CALLBACK (on_notify), &notified);
  test_play (pipeline);
  *local_path = test_get_string (src, "local-path");
  g_assert_cmpuint (notified, ==, 1);
  g_signal_handlers_disconnect_by_data (src, &notified);
  path = msrp_path_parse (*local_path, NULL);
  g_assert_nonnull (path);
  g_assert_cmpint (msrp_uri_get_port (g_ptr_array_index (path, 0)), >, 0);
  return pipeline;
}

/* "appsrc name=in (text) ! msrpsink name=sink @properties", playing. */
GstElement *
test_sender (const char *properties)
{
  g_autofree char *description =
    g_strdup_printf ("appsrc name=in format=time caps=text/x-raw,format=utf8 "
                     "! msrpsink name=sink %s", properties);
  GstElement *pipeline = test_parse (description);

  test_play (pipeline);
  return pipeline;
}

/* Alice's EOS closes the session; both pipelines end. */
void
test_leave (GstElement *alice, GstElement *bob)
{
  gst_app_src_end_of_stream (GST_APP_SRC (test_child (alice, "in")));
  test_wait_eos (alice);
  test_wait_eos (bob);
  test_stop (alice);
  test_stop (bob);
}
