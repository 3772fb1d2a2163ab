/* test-server.c: MsrpServer on loopback
 *
 * Clients are MsrpTransports (and MsrpSessions on them) over real sockets,
 * or raw sockets writing bytes the test composes. Every wait is bounded by
 * a GLib timeout that fails the test; no test asserts how long anything
 * takes.
 */
#include <msrp.h>
#include "msrp-test-wait.h"
#include "msrp-test-socket.h"

static MsrpUri *
parse_uri (const char *text)
{
  g_autoptr(GError) error = NULL;
  MsrpUri *uri = msrp_uri_parse (text, &error);

  g_assert_no_error (error);
  return uri;
}

static MsrpServer *
server_new (const char *listen, MsrpTlsCredentials *credentials)
{
  g_autoptr(MsrpUri) uri = parse_uri (listen);
  g_autoptr(GError) error = NULL;
  MsrpServer *server = msrp_server_new (uri, credentials, &error);

  g_assert_no_error (error);
  g_assert_cmpint (msrp_uri_get_port (msrp_server_get_local_uri (server)), >, 0);
  return server;
}

static guint16
server_port (MsrpServer *server)
{
  return msrp_uri_get_port (msrp_server_get_local_uri (server));
}

static GSocketConnection *
tcp_connect (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", port, NULL, keep_result, &result);
  connection = g_socket_client_connect_to_host_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return connection;
}

static MsrpTransport *
client_connect (guint16 port)
{
  g_autoptr(GSocketConnection) connection = tcp_connect (port);
  MsrpTransport *transport = msrp_transport_new (G_IO_STREAM (connection));

  msrp_transport_start (transport);
  return transport;
}

/* A client session on @transport talking to @server_session. */
static MsrpSession *
client_session (MsrpTransport *transport, guint n, MsrpSession *server_session)
{
  g_autofree char *text = g_strdup_printf ("msrp://127.0.0.1:9/client%u;tcp", n);
  g_autoptr(GPtrArray) local = msrp_path_parse (text, NULL);
  g_autoptr(GError) error = NULL;
  MsrpSession *session = msrp_session_new (transport, local,
                                           msrp_session_get_local_path (server_session), &error);

  g_assert_no_error (error);
  /* Several sessions share a transport: the test closes it. */
  g_object_set (session, "owns-transport", FALSE, NULL);
  return session;
}

static GPtrArray *
client_path (guint n)
{
  g_autofree char *text = g_strdup_printf ("msrp://127.0.0.1:9/client%u;tcp", n);

  return msrp_path_parse (text, NULL);
}

static void
count_message (MsrpSession *session, MsrpIncomingMessage *message, guint *count)
{
  (*count)++;
}

static void
count_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *count = user_data;
  g_autoptr(GError) error = NULL;

  msrp_session_send_finish (MSRP_SESSION (source), result, &error);
  g_assert_no_error (error);
  (*count)++;
}

static void
count_bound (MsrpServer *server, MsrpSession *session, guint *count)
{
  g_assert_nonnull (msrp_session_get_transport (session));
  (*count)++;
}

/* Sends a bodiless SEND; returns the status it got. */
static guint
request (MsrpTransport *transport, GPtrArray *to, GPtrArray *from, const char *content_type)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", NULL);
  g_autoptr(MsrpFrame) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = msrp_generate_id ();

  msrp_frame_set_to_path (frame, to);
  msrp_frame_set_from_path (frame, from);
  msrp_frame_set_message_id (frame, id);
  if (content_type != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);

      msrp_frame_set_byte_range (frame, 1, 1, 1);
      msrp_frame_set_content_type (frame, content_type);
      msrp_frame_set_body (frame, body);
    }
  else
    msrp_frame_set_byte_range (frame, 1, 0, 0);
  msrp_transport_send_request_async (transport, frame, NULL, keep_result, &result);
  response = msrp_transport_send_request_finish (transport, wait_result (&result), &error);
  if (response != NULL)
    return msrp_frame_get_status (response);
  g_assert_cmpint (error->domain, ==, MSRP_ERROR);
  return error->code;
}

static void
close_transport (MsrpTransport *transport)
{
  g_autoptr(GAsyncResult) result = NULL;

  msrp_transport_close_async (transport, NULL, keep_result, &result);
  msrp_transport_close_finish (transport, wait_result (&result), NULL);
}

/* --- Many sessions on few connections ----------------------------------------- */

#define N_SESSIONS 200
#define N_CONNECTIONS 50

static void
test_many (void)
{
  g_autoptr(MsrpServer) server = NULL;
  g_autoptr(GPtrArray) transports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) connections = g_hash_table_new (NULL, NULL);
  guint bound = 0, at_server = 0, at_clients = 0, sent = 0;

  test_guard_start (90);
  server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_signal_connect (server, "session-bound", G_CALLBACK (count_bound), &bound);
  for (guint i = 0; i < N_CONNECTIONS; i++)
    g_ptr_array_add (transports, client_connect (server_port (server)));
  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autoptr(GPtrArray) peer = client_path (i);
      MsrpSession *s = msrp_server_add_session (server, peer, NULL);

      g_assert_null (msrp_session_get_transport (s));
      g_signal_connect (s, "message-received", G_CALLBACK (count_message), &at_server);
      g_ptr_array_add (servers, s);
      /* Sent before the session has a connection: it waits. */
      msrp_session_send_text_async (s, "early", NULL, count_sent, &sent);
    }
  g_assert_cmpuint (msrp_server_get_n_sessions (server), ==, N_SESSIONS);

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      MsrpSession *c = client_session (transports->pdata[i % N_CONNECTIONS], i, servers->pdata[i]);

      g_signal_connect (c, "message-received", G_CALLBACK (count_message), &at_clients);
      g_ptr_array_add (clients, c);
      msrp_session_send_text_async (c, "hello", NULL, count_sent, &sent);
    }
  WAIT_UNTIL (bound == N_SESSIONS && sent == 2 * N_SESSIONS &&
              at_server == N_SESSIONS && at_clients == N_SESSIONS);

  /* Each connection carries the sessions of its client. */
  for (guint i = 0; i < N_SESSIONS; i++)
    g_hash_table_add (connections, msrp_session_get_transport (servers->pdata[i]));
  g_assert_cmpuint (g_hash_table_size (connections), ==, N_CONNECTIONS);
  for (guint i = 0; i < N_SESSIONS; i++)
    msrp_session_send_text_async (servers->pdata[i], "again", NULL, count_sent, &sent);
  WAIT_UNTIL (sent == 3 * N_SESSIONS && at_clients == 2 * N_SESSIONS);

  for (guint i = 0; i < N_CONNECTIONS; i++)
    close_transport (transports->pdata[i]);
  /* The server's sessions end with their connections and leave it. */
  WAIT_UNTIL (msrp_server_get_n_sessions (server) == 0);
  for (guint i = 0; i < N_SESSIONS; i++)
    g_assert_true (msrp_session_is_closed (servers->pdata[i]));
  test_guard_stop ();
}

/* --- Binding ---------------------------------------------------------------- */

static void
test_unknown_and_taken (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (1);
  g_autoptr(GPtrArray) nobody = msrp_path_new ();
  g_autoptr(MsrpSession) s = msrp_server_add_session (server, peer, NULL);
  g_autoptr(MsrpTransport) one = NULL;
  g_autoptr(MsrpTransport) two = NULL;
  g_autoptr(MsrpUri) unknown = NULL;
  guint bound = 0;

  test_guard_start (90);
  g_signal_connect (server, "session-bound", G_CALLBACK (count_bound), &bound);
  unknown = msrp_uri_with_session_id (msrp_server_get_local_uri (server), "nosuchsession");
  g_ptr_array_add (nobody, msrp_uri_ref (unknown));
  one = client_connect (server_port (server));
  two = client_connect (server_port (server));

  /* Unknown: 481, and the connection stays usable. */
  g_assert_cmpuint (request (one, nobody, peer, NULL), ==, 481);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, NULL), ==, 200);
  WAIT_UNTIL (bound == 1);
  g_assert_true (msrp_session_get_transport (s) != NULL);
  /* Accepted connections run without Nagle's algorithm. */
  g_assert_true (test_transport_no_delay (msrp_session_get_transport (s)));
  /* Bound to another connection: 506. */
  g_assert_cmpuint (request (two, msrp_session_get_local_path (s), peer, NULL), ==, 506);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, NULL), ==, 200);
  g_assert_false (msrp_transport_is_closed (two));
  g_assert_cmpuint (bound, ==, 1);

  msrp_transport_abort (one, NULL);
  msrp_transport_abort (two, NULL);
  test_guard_stop ();
}

/* A request the session refuses binds nothing: another connection may
 * still bind it. */
static void
test_refused_binds_nothing (void)
{
  static const char * const text_only[] = { "text/plain", NULL };
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (1);
  g_autoptr(GPtrArray) stranger = client_path (2);
  g_autoptr(MsrpSession) s = msrp_server_add_session (server, peer, NULL);
  g_autoptr(MsrpTransport) one = NULL;
  g_autoptr(MsrpTransport) two = NULL;
  guint bound = 0;

  test_guard_start (90);
  msrp_session_set_accept_types (s, text_only);
  g_signal_connect (server, "session-bound", G_CALLBACK (count_bound), &bound);
  one = client_connect (server_port (server));
  two = client_connect (server_port (server));
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, "image/png"), ==, 415);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), stranger, NULL), ==, 481);
  g_assert_null (msrp_session_get_transport (s));
  g_assert_cmpuint (request (two, msrp_session_get_local_path (s), peer, "text/plain"), ==, 200);
  WAIT_UNTIL (bound == 1);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, NULL), ==, 506);
  msrp_transport_abort (one, NULL);
  msrp_transport_abort (two, NULL);
  test_guard_stop ();
}

static void
trace_frame (MsrpTransport *transport, MsrpFrame *frame, GPtrArray *trace)
{
  g_ptr_array_add (trace, msrp_frame_ref (frame));
}

static void
on_transport_created (MsrpServer *server, MsrpTransport *transport, GPtrArray *trace)
{
  g_assert_true (MSRP_IS_TRANSPORT (transport));
  g_signal_connect (transport, "frame-received", G_CALLBACK (trace_frame), trace);
}

/* transport-created comes before the first frame of every connection, one
 * that binds nothing (481) included. */
static void
test_transport_created (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (3);
  g_autoptr(GPtrArray) stranger = client_path (4);
  g_autoptr(MsrpSession) s = msrp_server_add_session (server, peer, NULL);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  g_autoptr(MsrpTransport) one = NULL;

  test_guard_start (90);
  g_signal_connect (server, "transport-created", G_CALLBACK (on_transport_created), trace);
  one = client_connect (server_port (server));
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), stranger, NULL), ==, 481);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, NULL), ==, 200);
  g_assert_cmpuint (trace->len, ==, 2);
  for (guint i = 0; i < trace->len; i++)
    g_assert_true (msrp_frame_is_request (trace->pdata[i]));
  for (guint i = 0; i < trace->len; i++)
    {
      g_autoptr(GPtrArray) from = msrp_frame_get_from_path (trace->pdata[i], NULL);

      g_assert_true (msrp_path_equal (from, i == 0 ? stranger : peer));
    }
  msrp_transport_abort (one, NULL);
  test_guard_stop ();
}

/* Without the peer's path, any From-Path binds and teaches it. */
static void
test_any_from_path (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (7);
  g_autoptr(MsrpSession) s = msrp_server_add_session (server, NULL, NULL);
  g_autoptr(MsrpTransport) one = NULL;

  test_guard_start (90);
  g_assert_null (msrp_session_get_remote_path (s));
  one = client_connect (server_port (server));
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s), peer, NULL), ==, 200);
  WAIT_UNTIL (msrp_session_get_transport (s) != NULL);
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (s), peer));
  msrp_transport_abort (one, NULL);
  test_guard_stop ();
}

static void
test_remove_session (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (1);
  g_autoptr(MsrpSession) s1 = msrp_server_add_session (server, peer, NULL);
  g_autoptr(MsrpSession) s2 = msrp_server_add_session (server, peer, NULL);
  g_autoptr(MsrpTransport) one = NULL;
  guint bound = 0;

  test_guard_start (90);
  g_signal_connect (server, "session-bound", G_CALLBACK (count_bound), &bound);
  one = client_connect (server_port (server));
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s1), peer, NULL), ==, 200);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s2), peer, NULL), ==, 200);
  WAIT_UNTIL (bound == 2);
  g_assert_true (msrp_session_get_transport (s1) == msrp_session_get_transport (s2));

  msrp_server_remove_session (server, s1);
  g_assert_true (msrp_session_is_closed (s1));
  g_assert_cmpuint (msrp_server_get_n_sessions (server), ==, 1);
  /* The connection stays for the other session. */
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s1), peer, NULL), ==, 481);
  g_assert_cmpuint (request (one, msrp_session_get_local_path (s2), peer, NULL), ==, 200);
  g_assert_false (msrp_transport_is_closed (one));
  msrp_transport_abort (one, NULL);
  test_guard_stop ();
}

/* --- Bad clients ---------------------------------------------------------------- */

static void
raw_write (GSocketConnection *connection, const char *text)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

typedef struct {
  GString *received;
  gboolean eof;
  guint8 buffer[4096];
} RawReader;

static void read_more (GInputStream *in, RawReader *reader);

static void
on_raw_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RawReader *reader = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      reader->eof = TRUE;
      return;
    }
  g_string_append_len (reader->received, (const char *) reader->buffer, n);
  read_more (G_INPUT_STREAM (source), reader);
}

static void
read_more (GInputStream *in, RawReader *reader)
{
  g_input_stream_read_async (in, reader->buffer, sizeof reader->buffer, G_PRIORITY_DEFAULT,
                             NULL, on_raw_read, reader);
}

static void
raw_reader_start (GSocketConnection *connection, RawReader *reader)
{
  reader->received = g_string_new (NULL);
  read_more (g_io_stream_get_input_stream (G_IO_STREAM (connection)), reader);
}

static char *
path_text (GPtrArray *path)
{
  return msrp_path_to_string (path);
}

/* Malformed frames get 400, unknown methods 501, the connection lives on
 * until its framing is lost, and other sessions never notice. */
static void
test_bad_client (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GPtrArray) peer = client_path (1);
  g_autoptr(GPtrArray) other_peer = client_path (2);
  g_autoptr(MsrpSession) victim = msrp_server_add_session (server, peer, NULL);
  g_autoptr(MsrpSession) bystander = msrp_server_add_session (server, other_peer, NULL);
  g_autoptr(MsrpTransport) good = NULL;
  g_autoptr(MsrpSession) good_client = NULL;
  g_autoptr(GSocketConnection) raw = NULL;
  g_autofree char *to = path_text (msrp_session_get_local_path (victim));
  g_autofree char *from = path_text (peer);
  g_autofree char *bad_range = NULL;
  g_autofree char *unknown_method = NULL;
  RawReader reader = { 0 };
  guint at_server = 0, sent = 0;

  test_guard_start (90);
  good = client_connect (server_port (server));
  good_client = client_session (good, 2, bystander);
  g_signal_connect (bystander, "message-received", G_CALLBACK (count_message), &at_server);

  raw = tcp_connect (server_port (server));
  raw_reader_start (raw, &reader);
  bad_range = g_strdup_printf ("MSRP badrange1 SEND\r\nTo-Path: %s\r\nFrom-Path: %s\r\n"
                               "Message-ID: m1\r\nByte-Range: abc\r\nContent-Type: text/plain\r\n\r\n"
                               "hello\r\n-------badrange1$\r\n", to, from);
  unknown_method = g_strdup_printf ("MSRP unknown2 FROBNICATE\r\nTo-Path: %s\r\nFrom-Path: %s\r\n"
                                    "-------unknown2$\r\n", to, from);
  raw_write (raw, bad_range);
  raw_write (raw, unknown_method);
  WAIT_UNTIL (strstr (reader.received->str, "MSRP badrange1 400") != NULL &&
              strstr (reader.received->str, "MSRP unknown2 501") != NULL);
  g_assert_false (reader.eof);
  g_assert_null (msrp_session_get_transport (victim));

  msrp_session_send_text_async (good_client, "still here", NULL, count_sent, &sent);
  WAIT_UNTIL (sent == 1 && at_server == 1);

  /* Garbage loses the framing: that connection goes, no other. */
  raw_write (raw, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
  WAIT_UNTIL (reader.eof);
  msrp_session_send_text_async (good_client, "and still", NULL, count_sent, &sent);
  WAIT_UNTIL (sent == 2 && at_server == 2);
  g_assert_false (msrp_session_is_closed (bystander));

  g_string_free (reader.received, TRUE);
  close_transport (good);
  test_guard_stop ();
}

/* A connection that never binds a session is dropped. */
static void
test_bind_timeout (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GSocketConnection) silent = NULL;
  RawReader reader = { 0 };

  test_guard_start (90);
  msrp_server_set_bind_timeout (server, 1);
  g_assert_cmpuint (msrp_server_get_bind_timeout (server), ==, 1);
  silent = tcp_connect (server_port (server));
  raw_reader_start (silent, &reader);
  WAIT_UNTIL (reader.eof);
  g_assert_cmpuint (reader.received->len, ==, 0);
  g_string_free (reader.received, TRUE);
  test_guard_stop ();
}

/* --- TLS ------------------------------------------------------------------------ */

static MsrpTransport *
tls_client_connect (guint16 port, MsrpTlsCredentials *own, const char *server_fingerprint)
{
  g_autoptr(GSocketConnection) connection = tcp_connect (port);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  MsrpTransport *transport;

  msrp_tls_client_connect_async (G_IO_STREAM (connection), own, server_fingerprint, NULL, NULL,
                                 keep_result, &result);
  stream = msrp_tls_client_connect_finish (wait_result (&result), &error);
  g_assert_no_error (error);
  transport = msrp_transport_new (stream);
  msrp_transport_start (transport);
  return transport;
}

static MsrpTlsCredentials *
credentials_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  MsrpTlsCredentials *credentials = msrp_tls_credentials_new_self_signed (name, &error);

  g_assert_no_error (error);
  return credentials;
}

static void
test_tls (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrps://127.0.0.1:0;tcp", NULL);
  g_autoptr(MsrpTlsCredentials) alice = credentials_new ("alice");
  g_autoptr(MsrpTlsCredentials) mallory = credentials_new ("mallory");
  g_autoptr(GPtrArray) peer = client_path (1);
  g_autoptr(MsrpSession) s = NULL;
  g_autoptr(MsrpTransport) wrong = NULL;
  g_autoptr(MsrpTransport) right = NULL;
  g_autoptr(MsrpSession) c = NULL;
  guint at_server = 0, sent = 0;

  test_guard_start (90);
  /* A certificate was made for the server; SDP carries its print. */
  g_assert_nonnull (msrp_server_get_fingerprint (server));
  g_assert_true (msrp_uri_is_secure (msrp_server_get_local_uri (server)));
  s = msrp_server_add_session (server, peer, msrp_tls_credentials_get_fingerprint (alice));
  g_assert_true (msrp_uri_is_secure (g_ptr_array_index (msrp_session_get_local_path (s), 0)));
  g_signal_connect (s, "message-received", G_CALLBACK (count_message), &at_server);

  /* Another client certificate does not bind the session. */
  wrong = tls_client_connect (server_port (server), mallory, msrp_server_get_fingerprint (server));
  g_assert_cmpuint (request (wrong, msrp_session_get_local_path (s), peer, NULL), ==, 403);
  g_assert_null (msrp_session_get_transport (s));

  right = tls_client_connect (server_port (server), alice, msrp_server_get_fingerprint (server));
  c = client_session (right, 1, s);
  msrp_session_send_text_async (c, "over tls", NULL, count_sent, &sent);
  WAIT_UNTIL (sent == 1 && at_server == 1);
  g_assert_true (G_IS_TLS_CONNECTION (msrp_transport_get_stream (msrp_session_get_transport (s))));
  msrp_transport_abort (wrong, NULL);
  close_transport (right);
  test_guard_stop ();
}

static void
test_advertised_host (void)
{
  g_autoptr(MsrpServer) server = server_new ("msrp://0.0.0.0:0;tcp", NULL);
  g_autoptr(MsrpSession) s = NULL;
  MsrpUri *local;

  msrp_server_set_advertised_host (server, "chat.example.com");
  s = msrp_server_add_session (server, NULL, NULL);
  local = g_ptr_array_index (msrp_session_get_local_path (s), 0);
  g_assert_cmpstr (msrp_uri_get_host (local), ==, "chat.example.com");
  g_assert_cmpint (msrp_uri_get_port (local), ==, server_port (server));
  g_assert_nonnull (msrp_uri_get_session_id (local));
  g_assert_null (msrp_server_get_fingerprint (server));
  msrp_server_close (server);
  g_assert_true (msrp_session_is_closed (s));
  g_assert_cmpuint (msrp_server_get_n_sessions (server), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/many", test_many);
  g_test_add_func ("/server/unknown-and-taken", test_unknown_and_taken);
  g_test_add_func ("/server/refused-binds-nothing", test_refused_binds_nothing);
  g_test_add_func ("/server/any-from-path", test_any_from_path);
  g_test_add_func ("/server/transport-created", test_transport_created);
  g_test_add_func ("/server/remove-session", test_remove_session);
  g_test_add_func ("/server/bad-client", test_bad_client);
  g_test_add_func ("/server/bind-timeout", test_bind_timeout);
  g_test_add_func ("/server/tls", test_tls);
  g_test_add_func ("/server/advertised-host", test_advertised_host);
  return g_test_run ();
}
