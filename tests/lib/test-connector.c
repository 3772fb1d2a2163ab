/* test-connector.c: MsrpDirectConnector and MsrpDirectAcceptor on loopback
 *
 * Real sockets on 127.0.0.1 and ::1 (the IPv6 cases skip when ::1 cannot be
 * bound). Every wait is bounded by a GLib timeout that fails the test; no
 * test asserts how long anything takes.
 */
#include <msrp.h>
#include "msrp-test-wait.h"
#include "msrp-test-cases.h"
#include "msrp-test-socket.h"

static GPtrArray *
parse_path (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *path = msrp_path_parse (text, &error);

  g_assert_no_error (error);
  return path;
}

static MsrpUri *
parse_uri (const char *text)
{
  g_autoptr(GError) error = NULL;
  MsrpUri *uri = msrp_uri_parse (text, &error);

  g_assert_no_error (error);
  return uri;
}

/* Prepares @connector on @local; NULL with @error set when it fails. */
static GPtrArray *
try_prepare (MsrpConnector *connector, const char *local, GError **error)
{
  g_autoptr(MsrpUri) uri = local ? parse_uri (local) : NULL;
  g_autoptr(GAsyncResult) result = NULL;

  msrp_connector_prepare_async (connector, uri, NULL, keep_result, &result);
  return msrp_connector_prepare_finish (connector, wait_result (&result), error);
}

static GPtrArray *
prepare (MsrpConnector *connector, const char *local)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *path = try_prepare (connector, local, &error);
  MsrpUri *uri;

  g_assert_no_error (error);
  g_assert_cmpuint (path->len, ==, 1);
  uri = g_ptr_array_index (path, 0);
  /* Port 0 asked for a free port: the path has the real one. */
  g_assert_cmpint (msrp_uri_get_port (uri), >, 0);
  g_assert_nonnull (msrp_uri_get_session_id (uri));
  return path;
}

/* Completes @a and @b at once; both must succeed. */
static void
complete_both (MsrpConnector *a, GPtrArray *path_for_a,
               MsrpConnector *b, GPtrArray *path_for_b,
               MsrpSession **session_a, MsrpSession **session_b)
{
  g_autoptr(GAsyncResult) ra = NULL;
  g_autoptr(GAsyncResult) rb = NULL;
  g_autoptr(GError) error = NULL;

  msrp_connector_complete_async (a, path_for_a, NULL, keep_result, &ra);
  msrp_connector_complete_async (b, path_for_b, NULL, keep_result, &rb);
  *session_a = msrp_connector_complete_finish (a, wait_result (&ra), &error);
  g_assert_no_error (error);
  *session_b = msrp_connector_complete_finish (b, wait_result (&rb), &error);
  g_assert_no_error (error);
}

static void
on_message (MsrpSession *session, MsrpIncomingMessage *message, gpointer user_data)
{
  GPtrArray *texts = user_data;
  GBytes *bytes = msrp_incoming_message_get_bytes (message);

  g_ptr_array_add (texts, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

static GPtrArray *
collect (MsrpSession *session)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect_data (session, "message-received", G_CALLBACK (on_message),
                         g_ptr_array_ref (texts), (GClosureNotify) (void (*) (void)) g_ptr_array_unref, 0);
  return texts;
}

static void
send_text (MsrpSession *from, const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  msrp_session_send_text_async (from, text, NULL, keep_result, &result);
  g_assert_true (msrp_session_send_finish (from, wait_result (&result), &error));
  g_assert_no_error (error);
}

/* One message each way. */
static void
exchange (MsrpSession *a, MsrpSession *b)
{
  g_autoptr(GPtrArray) at_a = collect (a);
  g_autoptr(GPtrArray) at_b = collect (b);

  send_text (a, "from a");
  WAIT_UNTIL (at_b->len == 1);
  g_assert_cmpstr (at_b->pdata[0], ==, "from a");
  send_text (b, "from b");
  WAIT_UNTIL (at_a->len == 1);
  g_assert_cmpstr (at_a->pdata[0], ==, "from b");
  g_signal_handlers_disconnect_by_func (a, on_message, at_a);
  g_signal_handlers_disconnect_by_func (b, on_message, at_b);
}

static void
close_session (MsrpSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;

  msrp_session_close_async (session, NULL, keep_result, &result);
  msrp_session_close_finish (session, wait_result (&result), NULL);
}

/* The local or remote port of the TCP connection under @session. */
static guint16
socket_port (MsrpSession *session, gboolean local)
{
  GSocket *socket = test_transport_socket (msrp_session_get_transport (session));
  g_autoptr(GSocketAddress) address = NULL;

  address = local ? g_socket_get_local_address (socket, NULL)
                  : g_socket_get_remote_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

#define local_port(session) socket_port ((session), TRUE)
#define remote_port(session) socket_port ((session), FALSE)

/* Two ends of one session: connectors, their local paths, their sessions. */
typedef struct {
  MsrpConnector *one;        /* the active end (both may be) */
  MsrpConnector *two;
  GPtrArray *path_one;
  GPtrArray *path_two;
  MsrpSession *s1;
  MsrpSession *s2;
} Pair;

/* Takes @one and @two and prepares them on their local URIs. */
static void
pair_prepare (Pair *pair, MsrpConnector *one, const char *local_one,
              MsrpConnector *two, const char *local_two)
{
  pair->one = one;
  pair->two = two;
  pair->path_one = prepare (one, local_one);
  pair->path_two = prepare (two, local_two);
}

static void
pair_connect (Pair *pair)
{
  complete_both (pair->one, pair->path_two, pair->two, pair->path_one, &pair->s1, &pair->s2);
}

/* Checks a message goes each way, closes both sessions, frees the pair and
 * ends the test. */
static void
pair_finish (Pair *pair)
{
  exchange (pair->s1, pair->s2);
  close_session (pair->s1);
  close_session (pair->s2);
  g_object_unref (pair->s1);
  g_object_unref (pair->s2);
  g_ptr_array_unref (pair->path_one);
  g_ptr_array_unref (pair->path_two);
  g_object_unref (pair->one);
  g_object_unref (pair->two);
  test_guard_stop ();
}

/* --- Active and passive ends ------------------------------------------------ */

typedef struct {
  const char *name;
  const char *local;
  gboolean tls;
} DirectCase;

static const DirectCase direct_cases[] = {
  { "tcp-ipv4", "msrp://127.0.0.1:0;tcp", FALSE },
  { "tcp-ipv6", "msrp://[::1]:0;tcp", FALSE },
  { "tls-ipv4", "msrps://127.0.0.1:0;tcp", TRUE },
  { "tls-ipv6", "msrps://[::1]:0;tcp", TRUE },
};

static void
on_transport_created (MsrpConnector *connector, MsrpTransport *transport, GPtrArray *created)
{
  g_assert_false (msrp_transport_is_closed (transport));
  g_ptr_array_add (created, g_object_ref (transport));
}

static void
test_direct (gconstpointer data)
{
  const DirectCase *c = data;
  Pair pair = { msrp_direct_connector_new (), msrp_direct_acceptor_new () };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) created_one = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) created_two = g_ptr_array_new_with_free_func (g_object_unref);

  test_guard_start (60);
  pair.path_two = try_prepare (pair.two, c->local, &error);
  if (pair.path_two == NULL && strchr (c->local, '[') != NULL)
    {
      g_autofree char *why = g_strdup_printf ("cannot listen on ::1: %s", error->message);

      g_test_skip (why);
      g_object_unref (pair.one);
      g_object_unref (pair.two);
      test_guard_stop ();
      return;
    }
  g_assert_no_error (error);
  pair.path_one = prepare (pair.one, c->local);
  g_assert_true (msrp_connector_is_active (pair.one));
  g_assert_false (msrp_connector_is_active (pair.two));
  if (c->tls)
    {
      /* Certificates were made at prepare time; SDP carries their prints. */
      g_assert_nonnull (msrp_connector_get_fingerprint (pair.one));
      g_assert_nonnull (msrp_connector_get_fingerprint (pair.two));
      msrp_connector_set_remote_fingerprint (pair.one, msrp_connector_get_fingerprint (pair.two));
      msrp_connector_set_remote_fingerprint (pair.two, msrp_connector_get_fingerprint (pair.one));
    }
  else
    g_assert_null (msrp_connector_get_fingerprint (pair.one));

  g_signal_connect (pair.one, "transport-created", G_CALLBACK (on_transport_created), created_one);
  g_signal_connect (pair.two, "transport-created", G_CALLBACK (on_transport_created), created_two);
  pair_connect (&pair);
  /* Each end announced the connection it made or took. */
  g_assert_cmpuint (created_one->len, ==, 1);
  g_assert_true (created_one->pdata[0] == msrp_session_get_transport (pair.s1));
  g_assert_cmpuint (created_two->len, ==, 1);
  g_assert_true (created_two->pdata[0] == msrp_session_get_transport (pair.s2));
  g_assert_true (msrp_path_equal (msrp_session_get_local_path (pair.s1), pair.path_one));
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (pair.s1), pair.path_two));
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (pair.s2), pair.path_one));
  g_assert_cmpint (G_IS_TLS_CONNECTION (msrp_transport_get_stream (msrp_session_get_transport (pair.s1))),
                   ==, c->tls);
  g_assert_cmpuint (local_port (pair.s1), ==, remote_port (pair.s2));
  /* Both the connection opened and the one accepted. */
  g_assert_true (test_transport_no_delay (msrp_session_get_transport (pair.s1)));
  g_assert_true (test_transport_no_delay (msrp_session_get_transport (pair.s2)));
  pair_finish (&pair);
}

/* An acceptor prepared with no local URI listens everywhere. */
static void
test_default_local (void)
{
  Pair pair = { msrp_direct_connector_new (), msrp_direct_acceptor_new () };
  g_autofree char *text = NULL;
  MsrpUri *uri;

  test_guard_start (60);
  msrp_connector_set_advertised_host (pair.two, "msrp.example.invalid");
  pair_prepare (&pair, pair.one, "msrp://127.0.0.1:0;tcp", pair.two, NULL);
  uri = g_ptr_array_index (pair.path_two, 0);
  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "msrp.example.invalid");
  g_assert_false (msrp_uri_is_secure (uri));
  /* The advertised name does not resolve: reach the listener on loopback,
   * with session-id matching as a NAT'd peer would need. */
  text = g_strdup_printf ("msrp://127.0.0.1:%d/%s;tcp", msrp_uri_get_port (uri),
                          msrp_uri_get_session_id (uri));
  g_ptr_array_unref (pair.path_two);
  pair.path_two = parse_path (text);
  msrp_connector_set_matching (pair.one, MSRP_SESSION_MATCHING_SESSION_ID);
  msrp_connector_set_matching (pair.two, MSRP_SESSION_MATCHING_SESSION_ID);
  pair_connect (&pair);
  pair_finish (&pair);
}

/* --- TLS fingerprints ------------------------------------------------------- */

static MsrpTlsCredentials *
other_credentials (void)
{
  g_autoptr(GError) error = NULL;
  MsrpTlsCredentials *credentials = msrp_tls_credentials_new_self_signed ("other", &error);

  g_assert_no_error (error);
  return credentials;
}

/* The server's certificate is not the one the offer announced: the
 * connection fails, and the acceptor still takes the next one. */
static void
test_wrong_server_fingerprint (void)
{
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(MsrpConnector) wrong = msrp_direct_connector_new ();
  g_autoptr(MsrpConnector) right = msrp_direct_connector_new ();
  g_autoptr(MsrpTlsCredentials) other = other_credentials ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) wrong_path = NULL;
  g_autoptr(GPtrArray) right_path = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) rp = NULL;
  g_autoptr(MsrpSession) a = NULL;
  g_autoptr(MsrpSession) p = NULL;
  g_autoptr(GError) error = NULL;
  MsrpSession *none;

  test_guard_start (60);
  passive_path = prepare (passive, "msrps://127.0.0.1:0;tcp");
  wrong_path = prepare (wrong, "msrps://127.0.0.1:0;tcp");
  right_path = prepare (right, "msrps://127.0.0.1:0;tcp");
  /* Whichever connection binds: the From-Path check is not the point. */
  msrp_direct_acceptor_set_accept_any_from_path (MSRP_DIRECT_ACCEPTOR (passive), TRUE);
  msrp_connector_set_remote_fingerprint (wrong, msrp_tls_credentials_get_fingerprint (other));
  msrp_connector_set_remote_fingerprint (right, msrp_connector_get_fingerprint (passive));

  msrp_connector_complete_async (passive, wrong_path, NULL, keep_result, &rp);
  msrp_connector_complete_async (wrong, passive_path, NULL, keep_result, &result);
  none = msrp_connector_complete_finish (wrong, wait_result (&result), &error);
  g_assert_null (none);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_test_message ("refused: %s", error->message);
  g_clear_object (&result);
  g_clear_error (&error);
  g_assert_null (rp);

  msrp_connector_complete_async (right, passive_path, NULL, keep_result, &result);
  a = msrp_connector_complete_finish (right, wait_result (&result), &error);
  g_assert_no_error (error);
  p = msrp_connector_complete_finish (passive, wait_result (&rp), &error);
  g_assert_no_error (error);
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (p), right_path));
  exchange (a, p);
  close_session (a);
  close_session (p);
  test_guard_stop ();
}

/* An acceptor given no remote path takes whoever binds the session first,
 * and its session learns the peer's path from that request. */
static void
test_any_peer (void)
{
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(MsrpConnector) active = msrp_direct_connector_new ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) active_path = NULL;
  g_autoptr(MsrpSession) a = NULL;
  g_autoptr(MsrpSession) p = NULL;

  test_guard_start (60);
  passive_path = prepare (passive, "msrp://127.0.0.1:0;tcp");
  active_path = prepare (active, "msrp://127.0.0.1:0;tcp");
  complete_both (passive, NULL, active, passive_path, &p, &a);
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (p), active_path));
  exchange (a, p);
  close_session (a);
  close_session (p);
  test_guard_stop ();
}

/* The client's certificate is not the one the answer announced: the
 * acceptor refuses the connection and goes on waiting. */
static void
test_wrong_client_fingerprint (void)
{
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(MsrpConnector) active = msrp_direct_connector_new ();
  g_autoptr(MsrpTlsCredentials) other = other_credentials ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) active_path = NULL;
  g_autoptr(GAsyncResult) ra = NULL;
  g_autoptr(GAsyncResult) rp = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  MsrpSession *none;

  test_guard_start (60);
  passive_path = prepare (passive, "msrps://127.0.0.1:0;tcp");
  active_path = prepare (active, "msrps://127.0.0.1:0;tcp");
  msrp_connector_set_remote_fingerprint (active, msrp_connector_get_fingerprint (passive));
  msrp_connector_set_remote_fingerprint (passive, msrp_tls_credentials_get_fingerprint (other));

  msrp_connector_complete_async (passive, active_path, cancellable, keep_result, &rp);
  msrp_connector_complete_async (active, passive_path, NULL, keep_result, &ra);
  none = msrp_connector_complete_finish (active, wait_result (&ra), &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_null (rp);

  g_cancellable_cancel (cancellable);
  g_clear_error (&error);
  none = msrp_connector_complete_finish (passive, wait_result (&rp), &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  test_guard_stop ();
}

/* --- The passive end keeps listening until a connection binds ---------------- */

/* A client connection to @port on 127.0.0.1; with @own, over TLS to a
 * server whose certificate @fingerprint describes. */
static MsrpTransport *
raw_connect_tls (guint16 port, MsrpTlsCredentials *own, const char *fingerprint)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  MsrpTransport *transport;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", port, NULL, keep_result, &result);
  connection = g_socket_client_connect_to_host_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  stream = G_IO_STREAM (g_object_ref (connection));
  if (own != NULL)
    {
      g_clear_object (&result);
      msrp_tls_client_connect_async (stream, own, fingerprint, NULL, NULL, keep_result, &result);
      g_clear_object (&stream);
      stream = msrp_tls_client_connect_finish (wait_result (&result), &error);
      g_assert_no_error (error);
    }
  transport = msrp_transport_new (stream);
  msrp_transport_start (transport);
  return transport;
}

static MsrpTransport *
raw_connect (guint16 port)
{
  return raw_connect_tls (port, NULL, NULL);
}

/* Sends a SEND from @from to @to, bodiless when @type is NULL, else a
 * whole message of @type with @text; returns the status it got. */
static guint
raw_send (MsrpTransport *transport, GPtrArray *to, GPtrArray *from, const char *type,
          const char *text)
{
  g_autoptr(MsrpFrame) request = msrp_frame_new_request ("SEND", NULL);
  g_autoptr(MsrpFrame) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = msrp_generate_id ();
  gsize size = type ? strlen (text) : 0;

  msrp_frame_set_to_path (request, to);
  msrp_frame_set_from_path (request, from);
  msrp_frame_set_message_id (request, id);
  msrp_frame_set_byte_range (request, 1, size, size);
  if (type != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (text, size);

      msrp_frame_set_content_type (request, type);
      msrp_frame_set_body (request, body);
    }
  msrp_transport_send_request_async (transport, request, NULL, keep_result, &result);
  response = msrp_transport_send_request_finish (transport, wait_result (&result), &error);
  if (response != NULL)
    return msrp_frame_get_status (response);
  g_assert_error (error, MSRP_ERROR, error->code);
  return error->code;
}

static guint
raw_bodiless (MsrpTransport *transport, GPtrArray *to, GPtrArray *from)
{
  return raw_send (transport, to, from, NULL, NULL);
}

static GPtrArray *
path_with (MsrpUri *uri, const char *host, const char *session_id)
{
  g_autofree char *text = g_strdup_printf ("msrp://%s:%d/%s;tcp", host, msrp_uri_get_port (uri),
                                           session_id ? session_id : msrp_uri_get_session_id (uri));
  return parse_path (text);
}

static void
test_not_used_up (void)
{
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(MsrpConnector) active = msrp_direct_connector_new ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) active_path = NULL;
  g_autoptr(GPtrArray) stranger = parse_path ("msrp://127.0.0.1:9/stranger;tcp");
  g_autoptr(GPtrArray) other_session = NULL;
  g_autoptr(MsrpTransport) quitter = NULL;
  g_autoptr(MsrpTransport) prober = NULL;
  g_autoptr(GAsyncResult) rp = NULL;
  g_autoptr(GAsyncResult) ra = NULL;
  g_autoptr(MsrpSession) a = NULL;
  g_autoptr(MsrpSession) p = NULL;
  g_autoptr(GError) error = NULL;
  MsrpUri *listening;

  test_guard_start (60);
  passive_path = prepare (passive, "msrp://127.0.0.1:0;tcp");
  active_path = prepare (active, "msrp://127.0.0.1:0;tcp");
  listening = g_ptr_array_index (passive_path, 0);
  other_session = path_with (listening, "127.0.0.1", "another");
  msrp_connector_complete_async (passive, active_path, NULL, keep_result, &rp);

  /* A connection that closes at once... */
  quitter = raw_connect (msrp_uri_get_port (listening));
  msrp_transport_abort (quitter, NULL);
  /* ...and one whose requests are refused bind nothing. */
  prober = raw_connect (msrp_uri_get_port (listening));
  g_assert_cmpuint (raw_bodiless (prober, other_session, active_path), ==, 481);
  g_assert_cmpuint (raw_bodiless (prober, passive_path, stranger), ==, 481);
  g_assert_null (rp);

  msrp_connector_complete_async (active, passive_path, NULL, keep_result, &ra);
  a = msrp_connector_complete_finish (active, wait_result (&ra), &error);
  g_assert_no_error (error);
  p = msrp_connector_complete_finish (passive, wait_result (&rp), &error);
  g_assert_no_error (error);
  exchange (a, p);
  /* Connections that bound nothing went with the listener. */
  WAIT_UNTIL (msrp_transport_is_closed (prober));
  close_session (a);
  close_session (p);
  test_guard_stop ();
}

/* --- The request that binds the session reaches the application ----------- */

typedef struct {
  MsrpSession *session;
  GPtrArray *texts;
  MsrpTransport *transport;  /* the transport when the session was handed out */
} Handed;

/* What an application does as it gets the session: configure it and
 * connect its handlers. */
static void
on_handed_out (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Handed *h = user_data;
  const char *types[] = { "text/plain", NULL };
  g_autoptr(GError) error = NULL;

  h->session = msrp_connector_complete_finish (MSRP_CONNECTOR (source), result, &error);
  g_assert_no_error (error);
  h->transport = msrp_session_get_transport (h->session);
  msrp_session_set_accept_types (h->session, types);
  h->texts = collect (h->session);
}

/* A peer that binds the session with a message, not a bodiless SEND: the
 * session is handed out first, so message-received shows the message
 * and the settings made in the callback apply to it. A first request the
 * session refuses does not bind it; the next one does. */
static void
test_first_send_with_body (gconstpointer data)
{
  gboolean tls = GPOINTER_TO_INT (data);
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(MsrpTlsCredentials) own = tls ? other_credentials () : NULL;
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) peer = parse_path (tls ? "msrps://127.0.0.1:9/peer;tcp"
                                              : "msrp://127.0.0.1:9/peer;tcp");
  g_autoptr(MsrpTransport) client = NULL;
  Handed h = { 0 };

  test_guard_start (60);
  passive_path = prepare (passive, tls ? "msrps://127.0.0.1:0;tcp" : "msrp://127.0.0.1:0;tcp");
  if (tls)
    msrp_connector_set_remote_fingerprint (passive, msrp_tls_credentials_get_fingerprint (own));
  msrp_connector_complete_async (passive, peer, NULL, on_handed_out, &h);
  client = raw_connect_tls (msrp_uri_get_port (g_ptr_array_index (passive_path, 0)), own,
                            msrp_connector_get_fingerprint (passive));

  g_assert_cmpuint (raw_send (client, passive_path, peer, "image/png", "\x89PNG"), ==, 415);
  g_assert_nonnull (h.session);
  /* Not bound by a request it refused. */
  g_assert_null (h.transport);
  g_assert_null (msrp_session_get_transport (h.session));
  g_assert_cmpuint (h.texts->len, ==, 0);

  g_assert_cmpuint (raw_send (client, passive_path, peer, "text/plain", "first"), ==, 200);
  WAIT_UNTIL (h.texts->len == 1);
  g_assert_cmpstr (h.texts->pdata[0], ==, "first");
  g_assert_nonnull (msrp_session_get_transport (h.session));
  g_assert_cmpint (G_IS_TLS_CONNECTION (msrp_transport_get_stream (msrp_session_get_transport (h.session))),
                   ==, tls);

  g_signal_handlers_disconnect_by_func (h.session, on_message, h.texts);
  g_ptr_array_unref (h.texts);
  close_session (h.session);
  g_object_unref (h.session);
  WAIT_UNTIL (msrp_transport_is_closed (client));
  test_guard_stop ();
}

/* Reads from @in into @got until it holds @needle. */
static void
read_until (GInputStream *in, GString *got, const char *needle)
{
  while (strstr (got->str, needle) == NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n;

      g_input_stream_read_async (in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                                 keep_result, &result);
      n = g_input_stream_read_finish (in, wait_result (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (got, buffer, n);
    }
}

/* The peer answers the binding SEND and sends a message in the same write:
 * the message waits until the active end's application has the session,
 * so the handlers it connects in its callback see it. */
static void
test_first_message_after_bind (void)
{
  g_autoptr(MsrpConnector) active = msrp_direct_connector_new ();
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GAsyncResult) accepted = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active_path = NULL;
  g_autoptr(GPtrArray) peer = NULL;
  g_autofree char *peer_text = NULL;
  g_autofree char *active_text = NULL;
  g_autofree char *tid = NULL;
  g_autofree char *frames = NULL;
  g_autoptr(GString) got = g_string_new (NULL);
  GInputStream *in;
  Handed h = { 0 };

  test_guard_start (60);
  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  peer_text = g_strdup_printf ("msrp://127.0.0.1:%u/peer;tcp",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  peer = parse_path (peer_text);
  active_path = prepare (active, "msrp://127.0.0.1:0;tcp");
  active_text = msrp_path_to_string (active_path);

  g_socket_listener_accept_async (listener, NULL, keep_result, &accepted);
  msrp_connector_complete_async (active, peer, NULL, on_handed_out, &h);
  connection = g_socket_listener_accept_finish (listener, wait_result (&accepted), NULL, &error);
  g_assert_no_error (error);
  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

  /* The binding SEND: "MSRP <tid> SEND", ending "-------<tid>$". */
  read_until (in, got, "$\r\n");
  g_assert_true (g_str_has_prefix (got->str, "MSRP "));
  tid = g_strndup (got->str + 5, strcspn (got->str + 5, " "));
  g_string_truncate (got, 0);

  frames = g_strdup_printf ("MSRP %s 200 OK\r\n"
                            "To-Path: %s\r\n"
                            "From-Path: %s\r\n"
                            "-------%s$\r\n"
                            "MSRP first1 SEND\r\n"
                            "To-Path: %s\r\n"
                            "From-Path: %s\r\n"
                            "Message-ID: m1\r\n"
                            "Byte-Range: 1-5/5\r\n"
                            "Content-Type: text/plain\r\n"
                            "\r\n"
                            "first\r\n"
                            "-------first1$\r\n",
                            tid, active_text, peer_text, tid, active_text, peer_text);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   frames, strlen (frames), G_PRIORITY_DEFAULT, NULL,
                                   keep_result, &written);
  g_assert_true (g_output_stream_write_all_finish (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                                   wait_result (&written), NULL, &error));
  g_assert_no_error (error);

  read_until (in, got, "MSRP first1 200");
  g_assert_nonnull (h.session);
  g_assert_cmpuint (h.texts->len, ==, 1);
  g_assert_cmpstr (h.texts->pdata[0], ==, "first");

  g_signal_handlers_disconnect_by_func (h.session, on_message, h.texts);
  g_ptr_array_unref (h.texts);
  close_session (h.session);
  g_object_unref (h.session);
  test_guard_stop ();
}

/* --- Matching ---------------------------------------------------------------- */

typedef struct {
  const char *name;
  MsrpSessionMatching matching;
  guint expected;
} MatchingCase;

static const MatchingCase matching_cases[] = {
  { "strict", MSRP_SESSION_MATCHING_STRICT, 481 },
  { "session-id", MSRP_SESSION_MATCHING_SESSION_ID, 200 },
};

/* An SBC rewrote the host of the acceptor's path: the To-Path names another
 * host with the same session-id. */
static void
test_matching (gconstpointer data)
{
  const MatchingCase *c = data;
  g_autoptr(MsrpConnector) passive = msrp_direct_acceptor_new ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) peer = parse_path ("msrp://192.0.2.7:2855/peer;tcp");
  g_autoptr(GPtrArray) rewritten = NULL;
  g_autoptr(MsrpTransport) client = NULL;
  g_autoptr(GAsyncResult) rp = NULL;
  g_autoptr(GError) error = NULL;
  MsrpUri *listening;

  test_guard_start (60);
  msrp_connector_set_matching (passive, c->matching);
  passive_path = prepare (passive, "msrp://127.0.0.1:0;tcp");
  listening = g_ptr_array_index (passive_path, 0);
  rewritten = path_with (listening, "192.0.2.1", NULL);
  msrp_connector_complete_async (passive, peer, NULL, keep_result, &rp);
  client = raw_connect (msrp_uri_get_port (listening));
  g_assert_cmpuint (raw_bodiless (client, rewritten, peer), ==, c->expected);
  if (c->expected == 200)
    {
      g_autoptr(MsrpSession) p = msrp_connector_complete_finish (passive, wait_result (&rp), &error);

      g_assert_no_error (error);
      g_assert_cmpint (msrp_session_get_matching (p), ==, MSRP_SESSION_MATCHING_SESSION_ID);
      close_session (p);
    }
  else
    {
      g_assert_null (rp);
      msrp_transport_abort (client, NULL);
    }
  test_guard_stop ();
}

/* --- SDP-driven roles -------------------------------------------------------- */

typedef struct {
  const char *name;
  MsrpSdpSetup offer;
  MsrpSdpSetup answer;
  gboolean cema;
  gboolean tls;
  gboolean offerer_active;
} SdpCase;

static const SdpCase sdp_cases[] = {
  { "rfc4975", MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_NONE, FALSE, FALSE, TRUE },
  { "active-passive", MSRP_SDP_SETUP_ACTIVE, MSRP_SDP_SETUP_PASSIVE, FALSE, FALSE, TRUE },
  { "passive-active", MSRP_SDP_SETUP_PASSIVE, MSRP_SDP_SETUP_ACTIVE, FALSE, FALSE, FALSE },
  { "actpass-active", MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_ACTIVE, FALSE, FALSE, FALSE },
  { "actpass-passive", MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_PASSIVE, FALSE, FALSE, TRUE },
  { "actpass-passive-tls-cema", MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_PASSIVE, TRUE, TRUE, TRUE },
  { "rfc4975-tls", MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_NONE, FALSE, TRUE, TRUE },
};

static MsrpSdpMedia *
media_new (MsrpSdpSetup setup, gboolean cema, gboolean tls)
{
  MsrpSdpMedia *media = msrp_sdp_media_new ();

  msrp_sdp_media_set_setup (media, setup);
  msrp_sdp_media_set_cema (media, cema);
  msrp_sdp_media_set_secure (media, tls);
  return media;
}

static void
media_take_local (MsrpSdpMedia *media, MsrpConnector *connector, GPtrArray *path)
{
  msrp_sdp_media_set_path (media, path);
  if (msrp_connector_get_fingerprint (connector) != NULL)
    msrp_sdp_media_set_fingerprint (media, msrp_connector_get_fingerprint (connector));
}

static void
test_sdp (gconstpointer data)
{
  const SdpCase *c = data;
  const char *local = c->tls ? "msrps://127.0.0.1:0;tcp" : "msrp://127.0.0.1:0;tcp";
  g_autoptr(MsrpSdpMedia) offer = media_new (c->offer, c->cema, c->tls);
  g_autoptr(MsrpSdpMedia) answer = media_new (c->answer, c->cema, c->tls);
  g_autoptr(MsrpConnector) offerer = NULL;
  g_autoptr(MsrpConnector) negotiated = NULL;
  g_autoptr(MsrpConnector) answerer = NULL;
  g_autoptr(GPtrArray) offer_path = NULL;
  g_autoptr(GPtrArray) answer_path = NULL;
  g_autoptr(MsrpSession) o = NULL;
  g_autoptr(MsrpSession) a = NULL;
  g_autoptr(GError) error = NULL;
  MsrpSessionMatching matching = c->cema ? MSRP_SESSION_MATCHING_SESSION_ID
                                         : MSRP_SESSION_MATCHING_STRICT;

  test_guard_start (60);
  /* The offer goes out before the answer is known. */
  offerer = msrp_get_connector_for_sdp (offer, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  offer_path = prepare (offerer, local);
  media_take_local (offer, offerer, offer_path);

  answerer = msrp_get_connector_for_sdp (answer, offer, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (msrp_connector_is_active (answerer), ==, !c->offerer_active);
  g_assert_cmpint (msrp_connector_get_matching (answerer), ==, matching);
  answer_path = prepare (answerer, local);
  media_take_local (answer, answerer, answer_path);

  negotiated = msrp_connector_negotiate (offerer, offer, answer, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (msrp_connector_is_active (negotiated), ==, c->offerer_active);
  g_assert_cmpint (msrp_connector_get_matching (negotiated), ==, matching);
  /* A changed role keeps the path already offered. */
  g_assert_true (msrp_path_equal (msrp_connector_get_local_path (negotiated), offer_path));
  if (c->tls)
    {
      g_assert_cmpstr (msrp_connector_get_remote_fingerprint (negotiated), ==,
                       msrp_connector_get_fingerprint (answerer));
      g_assert_cmpstr (msrp_connector_get_remote_fingerprint (answerer), ==,
                       msrp_connector_get_fingerprint (negotiated));
    }

  complete_both (negotiated, msrp_sdp_media_get_path (answer),
                 answerer, msrp_sdp_media_get_path (offer), &o, &a);
  g_assert_cmpint (msrp_session_get_matching (o), ==, matching);
  exchange (o, a);
  close_session (o);
  close_session (a);
  test_guard_stop ();
}

static void
test_sdp_holdconn (void)
{
  g_autoptr(MsrpSdpMedia) offer = media_new (MSRP_SDP_SETUP_HOLDCONN, FALSE, FALSE);
  g_autoptr(GError) error = NULL;
  MsrpConnector *none = msrp_get_connector_for_sdp (offer, NULL, TRUE, NULL, &error);

  g_assert_null (none);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_FAILED);
}

/* Relay settings give the relay classes, which take the settings into
 * their relay client; a role switch keeps the client. Sessions through a
 * relay are tested against Kamailio (tests/interop). */
static void
test_relay_classes (void)
{
  g_autoptr(MsrpUri) uri = parse_uri ("msrps://relay.example.com;tcp");
  g_autoptr(MsrpRelaySettings) relay = msrp_relay_settings_new (uri, "alice", "secret");
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpConnector) connector = NULL;
  g_autoptr(MsrpConnector) acceptor = NULL;
  g_autoptr(MsrpConnector) switched = NULL;
  g_autoptr(MsrpSdpMedia) offer = media_new (MSRP_SDP_SETUP_ACTPASS, FALSE, TRUE);
  g_autoptr(MsrpSdpMedia) answer = media_new (MSRP_SDP_SETUP_ACTIVE, FALSE, TRUE);
  MsrpRelayClient *client;

  g_assert_cmpstr (msrp_relay_settings_get_digest_method (relay), ==, MSRP_DIGEST_METHOD_AUTH);
  msrp_relay_settings_set_digest_method (relay, MSRP_DIGEST_METHOD_MSRP);
  g_assert_cmpstr (msrp_relay_settings_get_digest_method (relay), ==, MSRP_DIGEST_METHOD_MSRP);
  connector = msrp_get_connector (relay, &error);
  g_assert_no_error (error);
  g_assert_true (MSRP_IS_RELAY_CONNECTOR (connector));
  g_assert_true (msrp_connector_is_active (connector));
  client = msrp_relay_connector_get_client (MSRP_RELAY_CONNECTOR (connector));
  g_assert_true (msrp_relay_client_get_settings (client) == relay);
  g_assert_true (msrp_uri_equal (msrp_relay_client_get_relays (client)->pdata[0], uri));

  acceptor = msrp_get_acceptor (relay, &error);
  g_assert_no_error (error);
  g_assert_true (MSRP_IS_RELAY_ACCEPTOR (acceptor));
  g_assert_false (msrp_connector_is_active (acceptor));

  /* an actpass offer answered active: the offerer becomes passive */
  switched = msrp_connector_negotiate (acceptor, offer, answer, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (MSRP_IS_RELAY_ACCEPTOR (switched));
  g_clear_object (&switched);
  switched = msrp_connector_negotiate (connector, offer, answer, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (MSRP_IS_RELAY_ACCEPTOR (switched));
  g_assert_true (msrp_relay_acceptor_get_client (MSRP_RELAY_ACCEPTOR (switched)) == client);
}

/* --- Connecting from the advertised port --------------------------------------- */

/* A SipLib-style passive end accepts only connections from the port of the
 * offerer's a=path: the active end connects from it when asked to, from
 * any free port otherwise. */
static void
test_from_advertised_port (gconstpointer data)
{
  gboolean from_port = GPOINTER_TO_INT (data);
  Pair pair = { msrp_direct_connector_new (), msrp_direct_acceptor_new () };
  guint16 advertised;

  test_guard_start (60);
  msrp_direct_connector_set_connect_from_advertised_port (MSRP_DIRECT_CONNECTOR (pair.one),
                                                          from_port);
  g_assert_cmpint (msrp_direct_connector_get_connect_from_advertised_port (MSRP_DIRECT_CONNECTOR (pair.one)),
                   ==, from_port);
  pair_prepare (&pair, pair.one, "msrp://127.0.0.1:0;tcp", pair.two, "msrp://127.0.0.1:0;tcp");
  advertised = msrp_uri_get_port (g_ptr_array_index (pair.path_one, 0));
  pair_connect (&pair);
  g_assert_cmpuint (remote_port (pair.s2), ==, local_port (pair.s1));
  if (from_port)
    g_assert_cmpuint (local_port (pair.s1), ==, advertised);
  else
    g_assert_cmpuint (local_port (pair.s1), !=, advertised);
  pair_finish (&pair);
}

/* --- Both ends active ---------------------------------------------------------- */

static void
test_simultaneous (void)
{
  Pair pair = { 0 };

  test_guard_start (60);
  pair_prepare (&pair, msrp_direct_connector_new (), "msrp://127.0.0.1:0;tcp",
                msrp_direct_connector_new (), "msrp://127.0.0.1:0;tcp");
  pair_connect (&pair);
  /* One connection: each end's socket is the other's peer. */
  g_assert_cmpuint (local_port (pair.s1), ==, remote_port (pair.s2));
  g_assert_cmpuint (remote_port (pair.s1), ==, local_port (pair.s2));
  pair_finish (&pair);
}

/* --- Moving to a new path ------------------------------------------------------ */

static void
on_update_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (msrp_session_update_remote_path_finish (MSRP_SESSION (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
on_text_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  guint *sent = user_data;
  g_autoptr(GError) error = NULL;

  msrp_session_send_finish (MSRP_SESSION (source), result, &error);
  g_assert_no_error (error);
  (*sent)++;
}

static int
compare_strings (const char **a, const char **b)
{
  return strcmp (*a, *b);
}

/* The passive end shows up at another address of its host (a re-INVITE
 * with a new a=path): the active end reconnects, and messages sent
 * meanwhile all arrive. */
static void
test_update_remote_path (void)
{
  Pair pair = { msrp_direct_connector_new (), msrp_direct_acceptor_new () };
  g_autoptr(GPtrArray) moved = NULL;
  g_autoptr(GPtrArray) at_p = NULL;
  g_autoptr(MsrpTransport) old = NULL;
  gboolean a_done = FALSE, p_done = FALSE;
  guint sent = 0;

  test_guard_start (60);
  /* The path names the new host: only session-ids can match. */
  msrp_connector_set_matching (pair.one, MSRP_SESSION_MATCHING_SESSION_ID);
  msrp_connector_set_matching (pair.two, MSRP_SESSION_MATCHING_SESSION_ID);
  msrp_connector_set_advertised_host (pair.two, "127.0.0.1");
  pair_prepare (&pair, pair.one, "msrp://127.0.0.1:0;tcp", pair.two, "msrp://0.0.0.0:0;tcp");
  pair_connect (&pair);
  old = g_object_ref (msrp_session_get_transport (pair.s1));
  at_p = collect (pair.s2);

  /* The re-INVITE reaches both ends: the passive one listens again... */
  msrp_session_update_remote_path_async (pair.s2, pair.path_one, NULL, on_update_done, &p_done);
  WAIT_UNTIL (p_done);
  /* ...and the active one moves to the new first hop. */
  moved = path_with (g_ptr_array_index (pair.path_two, 0), "127.0.0.2", NULL);
  msrp_session_update_remote_path_async (pair.s1, moved, NULL, on_update_done, &a_done);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("queued %u", i);
      msrp_session_send_text_async (pair.s1, text, NULL, on_text_sent, &sent);
    }
  WAIT_UNTIL (a_done && sent == 5 && at_p->len == 5);
  /* Each once; a chunk sent again on the new connection may overtake. */
  g_ptr_array_sort (at_p, (GCompareFunc) compare_strings);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("queued %u", i);
      g_assert_cmpstr (at_p->pdata[i], ==, text);
    }
  g_assert_true (msrp_path_equal (msrp_session_get_remote_path (pair.s1), moved));
  g_assert_true (msrp_session_get_transport (pair.s1) != old);
  WAIT_UNTIL (msrp_session_get_transport (pair.s2) != NULL &&
              local_port (pair.s1) == remote_port (pair.s2));
  /* The old connection is let go once the peer answered on the new one. */
  WAIT_UNTIL (msrp_transport_is_closed (old));
  g_signal_handlers_disconnect_by_func (pair.s2, on_message, at_p);
  pair_finish (&pair);
}

/* Only the path changes when the first hop stays. */
static void
test_update_same_hop (void)
{
  Pair pair = { 0 };
  MsrpTransport *before;
  gboolean done = FALSE;

  test_guard_start (60);
  pair_prepare (&pair, msrp_direct_connector_new (), "msrp://127.0.0.1:0;tcp",
                msrp_direct_acceptor_new (), "msrp://127.0.0.1:0;tcp");
  pair_connect (&pair);
  before = msrp_session_get_transport (pair.s1);
  msrp_session_update_remote_path_async (pair.s1, pair.path_two, NULL, on_update_done, &done);
  WAIT_UNTIL (done);
  g_assert_true (msrp_session_get_transport (pair.s1) == before);
  pair_finish (&pair);
}

/* --- Sessions the application drops without closing them ------------------ */

/* Weak pointers to the listening sockets made while it is installed
 * (GSocketListener::event, for every listener). */
typedef struct {
  gulong hook;
  GPtrArray *sockets;        /* (element-type gpointer *) slots */
} Listening;

static gboolean
on_listener_event (GSignalInvocationHint *hint,
                   guint                  n_values,
                   const GValue          *values,
                   gpointer               user_data)
{
  Listening *l = user_data;
  gpointer *slot;

  if (g_value_get_enum (&values[1]) != G_SOCKET_LISTENER_LISTENED)
    return TRUE;
  slot = g_new (gpointer, 1);
  *slot = g_value_get_object (&values[2]);
  g_object_add_weak_pointer (*slot, slot);
  g_ptr_array_add (l->sockets, slot);
  return TRUE;
}

static void
listening_watch (Listening *l)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (G_TYPE_SOCKET_LISTENER);

  l->sockets = g_ptr_array_new_with_free_func (g_free);
  l->hook = g_signal_add_emission_hook (g_signal_lookup ("event", G_TYPE_SOCKET_LISTENER), 0,
                                        on_listener_event, l, NULL);
}

static gboolean
listening_all_gone (Listening *l)
{
  for (guint i = 0; i < l->sockets->len; i++)
    if (*(gpointer *) l->sockets->pdata[i] != NULL)
      return FALSE;
  return TRUE;
}

/* Waits until @session, @connector and every listening socket made since
 * listening_watch() are finalized; takes the caller's references to the
 * first two. */
static void
drop_and_wait (MsrpSession *session, MsrpConnector *connector, Listening *l)
{
  g_signal_remove_emission_hook (g_signal_lookup ("event", G_TYPE_SOCKET_LISTENER), l->hook);
  g_assert_cmpuint (l->sockets->len, >, 0);
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &session);
  g_object_add_weak_pointer (G_OBJECT (connector), (gpointer *) &connector);
  g_object_unref (session);
  g_object_unref (connector);
  WAIT_UNTIL (session == NULL && connector == NULL && listening_all_gone (l));
  g_ptr_array_unref (l->sockets);
}

/* The acceptor hands the session out with the first request, which the
 * session refuses: it stands by for another. An application that drops
 * the session then (no close) lets go of it, of the acceptor and of the
 * listening socket. */
static void
test_drop_standing_by (void)
{
  MsrpConnector *passive = msrp_direct_acceptor_new ();
  g_autoptr(GPtrArray) passive_path = NULL;
  g_autoptr(GPtrArray) peer = parse_path ("msrp://127.0.0.1:9/peer;tcp");
  g_autoptr(MsrpTransport) client = NULL;
  Listening listening = { 0 };
  Handed h = { 0 };

  test_guard_start (60);
  listening_watch (&listening);
  passive_path = prepare (passive, "msrp://127.0.0.1:0;tcp");
  msrp_connector_complete_async (passive, peer, NULL, on_handed_out, &h);
  client = raw_connect (msrp_uri_get_port (g_ptr_array_index (passive_path, 0)));
  g_assert_cmpuint (raw_send (client, passive_path, peer, "image/png", "\x89PNG"), ==, 415);
  g_assert_nonnull (h.session);
  g_assert_null (h.transport);

  g_signal_handlers_disconnect_by_func (h.session, on_message, h.texts);
  g_ptr_array_unref (h.texts);
  drop_and_wait (h.session, passive, &listening);
  /* The connection that bound nothing went with the listener. */
  WAIT_UNTIL (msrp_transport_is_closed (client));
  test_guard_stop ();
}

/* The passive end listens again after msrp_session_update_remote_path_async()
 * until the peer reconnects; dropped meanwhile (no close), the session,
 * the acceptor and the listening sockets go. */
static void
test_drop_reconnect_standby (void)
{
  Pair pair = { 0 };
  Listening listening = { 0 };
  gboolean done = FALSE;

  test_guard_start (60);
  listening_watch (&listening);
  pair_prepare (&pair, msrp_direct_connector_new (), "msrp://127.0.0.1:0;tcp",
                msrp_direct_acceptor_new (), "msrp://127.0.0.1:0;tcp");
  pair_connect (&pair);
  msrp_session_update_remote_path_async (pair.s2, pair.path_one, NULL, on_update_done, &done);
  WAIT_UNTIL (done);

  drop_and_wait (pair.s2, pair.two, &listening);
  close_session (pair.s1);
  g_object_unref (pair.s1);
  g_object_unref (pair.one);
  g_ptr_array_unref (pair.path_one);
  g_ptr_array_unref (pair.path_two);
  test_guard_stop ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  MSRP_TEST_ADD_CASES ("/connector/direct", direct_cases, test_direct);
  g_test_add_func ("/connector/default-local", test_default_local);
  g_test_add_func ("/connector/tls/wrong-server-fingerprint", test_wrong_server_fingerprint);
  g_test_add_func ("/connector/tls/wrong-client-fingerprint", test_wrong_client_fingerprint);
  g_test_add_func ("/connector/acceptor/not-used-up", test_not_used_up);
  g_test_add_func ("/connector/acceptor/any-peer", test_any_peer);
  g_test_add_func ("/connector/connector/first-message-after-bind", test_first_message_after_bind);
  g_test_add_data_func ("/connector/acceptor/first-send-with-body/tcp", GINT_TO_POINTER (FALSE),
                        test_first_send_with_body);
  g_test_add_data_func ("/connector/acceptor/first-send-with-body/tls", GINT_TO_POINTER (TRUE),
                        test_first_send_with_body);
  MSRP_TEST_ADD_CASES ("/connector/matching", matching_cases, test_matching);
  MSRP_TEST_ADD_CASES ("/connector/sdp", sdp_cases, test_sdp);
  g_test_add_func ("/connector/sdp/holdconn", test_sdp_holdconn);
  g_test_add_func ("/connector/relay-classes", test_relay_classes);
  g_test_add_func ("/connector/simultaneous", test_simultaneous);
  g_test_add_data_func ("/connector/from-advertised-port/yes", GINT_TO_POINTER (TRUE),
                        test_from_advertised_port);
  g_test_add_data_func ("/connector/from-advertised-port/no", GINT_TO_POINTER (FALSE),
                        test_from_advertised_port);
  g_test_add_func ("/connector/update-remote-path/reconnect", test_update_remote_path);
  g_test_add_func ("/connector/update-remote-path/same-hop", test_update_same_hop);
  g_test_add_func ("/connector/dropped/standing-by", test_drop_standing_by);
  g_test_add_func ("/connector/dropped/reconnect-standby", test_drop_reconnect_standby);
  return g_test_run ();
}
