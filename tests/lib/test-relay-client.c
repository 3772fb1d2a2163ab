/* test-relay-client.c: MsrpRelayClient against a scripted relay on loopback
 *
 * The relay here is a few lines of test code: it parses what the client
 * sends and answers each AUTH with the next line of a script. The real
 * relay (Kamailio) is in tests/interop.
 */
#include <stdio.h>
#include <string.h>

#include <msrp.h>
#include "msrp-relay-client-private.h"
#include "msrp-test-cases.h"
#include "msrp-test-socket.h"

/* A hang guard, not a timing check: a test that waits this long is stuck. */
#define GUARD_SECONDS 60

/* Kamailio 5.6.3's 423 from msrp_cmap_save(), as captured (docs/relays.md),
 * with the transaction id and paths of the request filled in. */
#define KAMAILIO_423 "MSRP %s 423 Interval Out Of Bounds\r\nTo-Path: %s\r\nFrom-Path: %s\r\n" \
  "secret\\0\\0\xc0\xc0\xc0\xc0\\0\\0\\0\\0\xed-------%s$\r\n"

typedef struct {
  GMainContext *context;
  GSource *guard;
} Fixture;

static gboolean
on_guard_timeout (gpointer user_data)
{
  g_error ("%s: still waiting after %d s", g_test_get_path (), GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->guard = g_timeout_source_new_seconds (GUARD_SECONDS);
  g_source_set_callback (f->guard, on_guard_timeout, NULL, NULL);
  g_source_attach (f->guard, f->context);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  while (g_main_context_iteration (f->context, FALSE))
    ;
  g_source_destroy (f->guard);
  g_source_unref (f->guard);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

#define WAIT_FOR(f, condition) \
  G_STMT_START { \
    while (!(condition)) \
      g_main_context_iteration ((f)->context, TRUE); \
  } G_STMT_END

/* ---- the scripted relay ---- */

typedef struct {
  GSocketService *service;
  char *uri;
  /* what to answer to each AUTH, in order (see answer()) */
  const char *const *script;
  guint next;
  /* every AUTH received */
  GPtrArray *auths;
  /* the accepted connection and its reader */
  GSocketConnection *connection;
  MsrpParser *parser;
  GCancellable *cancellable;
  gboolean reading;
  gboolean eof;
} FakeRelay;

static void
write_text (FakeRelay *relay, const char *text, gsize length)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (relay->connection));

  g_output_stream_write_all (output, text, length, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Script lines: "401 NONCE", "401s NONCE" (stale), "403", "423min N",
 * "423max N", "423kamailio", "200 EXPIRES", "200noexpires", "200nouse". */
static void
answer (FakeRelay *relay, MsrpFrame *auth)
{
  const char *line = relay->script[relay->next];
  g_autoptr(MsrpFrame) response = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char word[32] = "", arg[64] = "";

  g_assert_nonnull (line);
  relay->next++;
  g_assert_cmpint (sscanf (line, "%31s %63s", word, arg), >=, 1);
  if (g_str_equal (word, "423kamailio"))
    {
      const char *tid = msrp_frame_get_transaction_id (auth);
      g_autofree char *text = g_strdup_printf (KAMAILIO_423, tid,
                                               msrp_frame_get_header (auth, "From-Path"),
                                               msrp_frame_get_header (auth, "To-Path"), tid);
      /* the six escaped NULs above are two characters each: make them bytes */
      g_autofree char *raw = g_strcompress (text);
      gsize length = strlen (text) - 6;

      write_text (relay, raw, length);
      return;
    }
  response = msrp_frame_new_response_for (auth, (guint) g_ascii_strtoull (word, NULL, 10), NULL);
  if (g_str_has_prefix (word, "401"))
    {
      g_autofree char *challenge =
        g_strdup_printf ("Digest realm=\"test\", nonce=\"%s\", qop=\"auth\"%s", arg,
                         g_str_equal (word, "401s") ? ", stale=true" : "");
      msrp_frame_set_header (response, "WWW-Authenticate", challenge);
    }
  else if (g_str_equal (word, "423min"))
    msrp_frame_set_header (response, "Min-Expires", arg);
  else if (g_str_equal (word, "423max"))
    msrp_frame_set_header (response, "Max-Expires", arg);
  else if (g_str_has_prefix (word, "200"))
    {
      g_autofree char *use_path = g_strdup_printf ("msrp://127.0.0.1:9/granted%u;tcp",
                                                   relay->next);
      if (!g_str_equal (word, "200nouse"))
        msrp_frame_set_header (response, "Use-Path", use_path);
      if (g_str_equal (word, "200"))
        msrp_frame_set_header (response, "Expires", arg);
    }
  bytes = msrp_frame_to_bytes (response);
  write_text (relay, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
relay_frame_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  FakeRelay *relay = user_data;

  g_assert_cmpstr (msrp_frame_get_method_name (head), ==, "AUTH");
  g_ptr_array_add (relay->auths, msrp_frame_ref (head));
  answer (relay, head);
}

static const MsrpParserCallbacks relay_callbacks = { .frame_end = relay_frame_end };

static void relay_read (FakeRelay *relay);

static void
relay_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FakeRelay *relay = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  relay->reading = FALSE;
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      relay->eof = TRUE;
      return;
    }
  g_assert_true (msrp_parser_feed (relay->parser, bytes, &error));
  g_assert_no_error (error);
  relay_read (relay);
}

static void
relay_read (FakeRelay *relay)
{
  relay->reading = TRUE;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (relay->connection)),
                                   65536, G_PRIORITY_DEFAULT, relay->cancellable,
                                   relay_read_done, relay);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  FakeRelay *relay = user_data;

  g_assert_null (relay->connection);
  relay->connection = g_object_ref (connection);
  relay_read (relay);
  return TRUE;
}

static void
relay_start (FakeRelay *relay, const char *const *script)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  memset (relay, 0, sizeof *relay);
  relay->script = script;
  relay->auths = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  relay->parser = msrp_parser_new (&relay_callbacks, relay);
  relay->cancellable = g_cancellable_new ();
  relay->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  relay->uri = g_strdup_printf ("msrp://127.0.0.1:%u;tcp",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_signal_connect (relay->service, "incoming", G_CALLBACK (on_incoming), relay);
  g_socket_service_start (relay->service);
}

static void
relay_stop (Fixture *f, FakeRelay *relay)
{
  g_cancellable_cancel (relay->cancellable);
  WAIT_FOR (f, !relay->reading);
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_object_unref (relay->service);
  if (relay->connection != NULL)
    g_io_stream_close (G_IO_STREAM (relay->connection), NULL, NULL);
  g_clear_object (&relay->connection);
  msrp_parser_free (relay->parser);
  g_ptr_array_unref (relay->auths);
  g_object_unref (relay->cancellable);
  g_free (relay->uri);
}

static MsrpFrame *
relay_auth (FakeRelay *relay, guint i)
{
  g_assert_cmpuint (i, <, relay->auths->len);
  return relay->auths->pdata[i];
}

/* The value of @param in the Authorization of @auth ("-" when it has
 * none), unquoted. */
static char *
authorization_param (MsrpFrame *auth, const char *param)
{
  const char *value = msrp_frame_get_header (auth, "Authorization");
  g_autofree char *key = g_strdup_printf ("%s=", param);
  const char *p;

  if (value == NULL)
    return g_strdup ("-");
  p = strstr (value, key);
  g_assert_nonnull (p);
  p += strlen (key);
  if (*p == '"')
    return g_strndup (p + 1, strchr (p + 1, '"') - p - 1);
  return g_strndup (p, strcspn (p, ","));
}

/* ---- connecting ---- */

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static MsrpRelayClient *
client_new (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) relay_uri = msrp_uri_parse (uri, &error);
  g_autoptr(MsrpRelaySettings) settings = NULL;

  g_assert_no_error (error);
  settings = msrp_relay_settings_new (relay_uri, "alice", "wonderland");
  return msrp_relay_client_new (settings);
}

static gboolean
client_connect (Fixture *f, MsrpRelayClient *client, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  msrp_relay_client_connect_async (client, "sess1", NULL, store_result, &result);
  WAIT_FOR (f, result != NULL);
  return msrp_relay_client_connect_finish (client, result, error);
}

static void
client_close (Fixture *f, MsrpRelayClient *client)
{
  MsrpTransport *transport = msrp_relay_client_get_transport (client);

  msrp_relay_client_close (client);
  if (transport != NULL)
    WAIT_FOR (f, msrp_transport_is_closed (transport));
  g_object_unref (client);
}

typedef struct {
  const char *name;
  /* the client's expires property */
  guint expires;
  const char *script[8];
  /* 0 for success */
  int error_code;
  /* of each AUTH sent, comma-separated; "-" for none */
  const char *expires_sent;
  const char *nc_sent;
} AuthCase;

static const AuthCase auth_cases[] = {
  { "challenge", 0, { "401 n1", "200 3600" }, 0, "-,-", "-,00000001" },
  { "no-challenge", 0, { "200 3600" }, 0, "-", "-" },
  { "wrong-password-401", 0, { "401 n1", "401 n2" }, MSRP_ERROR_UNAUTHORIZED, "-,-",
    "-,00000001" },
  { "wrong-password-403", 0, { "401 n1", "403" }, MSRP_ERROR_FORBIDDEN, "-,-", "-,00000001" },
  { "stale", 0, { "401 n1", "401s n2", "200 3600" }, 0, "-,-,-", "-,00000001,00000001" },
  { "stale-for-ever", 0, { "401s n1", "401s n2", "401s n3", "401s n4", "401s n5", "401s n6" },
    MSRP_ERROR_UNAUTHORIZED, "-,-,-,-,-,-", "-,00000001,00000001,00000001,00000001,00000001" },
  { "min-expires", 5, { "401 n1", "423min 30", "200 30" }, 0, "5,5,30",
    "-,00000001,00000002" },
  { "max-expires", 7200, { "401 n1", "423max 3600", "200 3600" }, 0, "7200,7200,3600",
    "-,00000001,00000002" },
  { "kamailio-423", 600, { "401 n1", "423kamailio", "200 3600" }, 0, "600,600,-",
    "-,00000001,00000002" },
  { "423-without-expires", 0, { "401 n1", "423kamailio" }, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS,
    "-,-", "-,00000001" },
  { "no-use-path", 0, { "401 n1", "200nouse" }, MSRP_ERROR_MALFORMED, "-,-", "-,00000001" },
};

static void
test_auth (Fixture *f, gconstpointer data)
{
  const AuthCase *c = data;
  FakeRelay relay;
  MsrpRelayClient *client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expires_sent = g_string_new (NULL);
  g_autoptr(GString) nc_sent = g_string_new (NULL);
  gboolean ok;

  relay_start (&relay, c->script);
  client = client_new (relay.uri);
  msrp_relay_client_set_expires (client, c->expires);
  ok = client_connect (f, client, &error);
  if (c->error_code == 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, MSRP_ERROR, c->error_code);
      g_assert_false (ok);
      g_assert_nonnull (strstr (error->message, relay.uri));
    }

  for (guint i = 0; i < relay.auths->len; i++)
    {
      MsrpFrame *auth = relay_auth (&relay, i);
      const char *expires = msrp_frame_get_header (auth, "Expires");
      g_autofree char *nc = authorization_param (auth, "nc");

      g_string_append_printf (expires_sent, "%s%s", i ? "," : "", expires ? expires : "-");
      g_string_append_printf (nc_sent, "%s%s", i ? "," : "", nc);
      g_assert_cmpstr (msrp_frame_get_header (auth, "To-Path"), ==, relay.uri);
      if (strcmp (nc, "-") != 0)
        {
          g_autofree char *uri = authorization_param (auth, "uri");
          g_autofree char *username = authorization_param (auth, "username");

          g_assert_cmpstr (uri, ==, relay.uri);
          g_assert_cmpstr (username, ==, "alice");
        }
    }
  g_assert_cmpstr (expires_sent->str, ==, c->expires_sent);
  g_assert_cmpstr (nc_sent->str, ==, c->nc_sent);
  g_assert_null (c->script[relay.next]);

  if (ok)
    {
      GPtrArray *path = msrp_relay_client_get_local_path (client);
      MsrpUri *local = msrp_relay_client_get_local_uri (client);
      g_autofree char *use_path = msrp_path_to_string (msrp_relay_client_get_use_path (client));
      g_autofree char *expected_use = g_strdup_printf ("msrp://127.0.0.1:9/granted%u;tcp",
                                                       relay.next);
      g_autofree char *local_text = msrp_uri_to_string (local);

      g_assert_cmpstr (use_path, ==, expected_use);
      g_assert_cmpuint (path->len, ==, 2);
      g_assert_true (path->pdata[1] == local);
      g_assert_cmpstr (msrp_uri_get_session_id (local), ==, "sess1");
      g_assert_cmpstr (msrp_uri_get_host (local), ==, "127.0.0.1");
      g_assert_cmpstr (msrp_frame_get_header (relay_auth (&relay, 0), "From-Path"), ==,
                       local_text);
      g_ptr_array_unref (path);
    }
  client_close (f, client);
  relay_stop (f, &relay);
}

static void
on_transport_created (MsrpRelayClient *client, MsrpTransport *transport, MsrpTransport **out)
{
  /* Nothing was sent yet. */
  g_assert_cmpuint (msrp_transport_get_queued_bytes (transport), ==, 0);
  g_assert_null (*out);
  *out = transport;
}

static void
test_refresh (Fixture *f, gconstpointer data)
{
  static const char *const script[] = { "401 n1", "200 1", "200 3600", NULL };
  MsrpTransport *created = NULL;
  FakeRelay relay;
  MsrpRelayClient *client;
  g_autoptr(GError) error = NULL;
  g_autofree char *nonce = NULL;
  g_autofree char *nc = NULL;

  relay_start (&relay, script);
  client = client_new (relay.uri);
  g_signal_connect (client, "transport-created", G_CALLBACK (on_transport_created), &created);
  g_assert_true (client_connect (f, client, &error));
  g_assert_no_error (error);
  /* The connection was announced before AUTH went out on it. */
  g_assert_true (created == msrp_relay_client_get_transport (client));
  g_assert_true (test_transport_no_delay (created));
  g_assert_cmpuint (msrp_relay_client_get_granted_expires (client), ==, 1);
  /* refreshed before the second expires: same nonce, next count */
  WAIT_FOR (f, relay.auths->len == 3);
  nonce = authorization_param (relay_auth (&relay, 2), "nonce");
  nc = authorization_param (relay_auth (&relay, 2), "nc");
  g_assert_cmpstr (nonce, ==, "n1");
  g_assert_cmpstr (nc, ==, "00000002");
  WAIT_FOR (f, msrp_relay_client_get_granted_expires (client) == 3600);
  g_assert_false (msrp_transport_is_closed (msrp_relay_client_get_transport (client)));
  client_close (f, client);
  relay_stop (f, &relay);
}

static void
on_closed (MsrpTransport *transport, const GError *error, GError **out)
{
  *out = error ? g_error_copy (error) : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                             "closed without error");
}

static void
test_refresh_refused (Fixture *f, gconstpointer data)
{
  static const char *const script[] = { "401 n1", "200 1", "403", NULL };
  FakeRelay relay;
  MsrpRelayClient *client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) closed = NULL;

  relay_start (&relay, script);
  client = client_new (relay.uri);
  g_assert_true (client_connect (f, client, &error));
  g_signal_connect (msrp_relay_client_get_transport (client), "closed", G_CALLBACK (on_closed),
                    &closed);
  WAIT_FOR (f, closed != NULL);
  g_assert_error (closed, MSRP_ERROR, MSRP_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (closed->message, "403"));
  client_close (f, client);
  relay_stop (f, &relay);
}

static guint16
unused_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_relay_list (Fixture *f, gconstpointer data)
{
  static const char *const script[] = { "401 n1", "200 3600", NULL };
  FakeRelay relay;
  g_autofree char *nowhere = g_strdup_printf ("msrp://127.0.0.1:%u;tcp", unused_port ());
  g_autofree char *nowhere_either = g_strdup_printf ("msrp://127.0.0.1:%u;tcp", unused_port ());
  MsrpRelayClient *client;
  g_autoptr(MsrpUri) second = NULL;
  g_autoptr(GError) error = NULL;

  relay_start (&relay, script);
  client = client_new (nowhere);
  second = msrp_uri_parse (relay.uri, NULL);
  msrp_relay_client_add_relay (client, second);
  g_assert_true (client_connect (f, client, &error));
  g_assert_no_error (error);
  g_assert_true (msrp_uri_equal (msrp_relay_client_get_relay_uri (client), second));
  client_close (f, client);
  relay_stop (f, &relay);

  /* none reachable: the error names each */
  client = client_new (nowhere);
  g_clear_pointer (&second, msrp_uri_unref);
  second = msrp_uri_parse (nowhere_either, NULL);
  msrp_relay_client_add_relay (client, second);
  g_assert_false (client_connect (f, client, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, nowhere));
  g_assert_nonnull (strstr (error->message, nowhere_either));
  g_assert_null (msrp_relay_client_get_transport (client));
  client_close (f, client);
}

/* The digest method is read from the settings at each AUTH: one set after
 * the client was made counts. */
static void
test_digest_method (Fixture *f, gconstpointer data)
{
  static const char *const script[] = { "401 n1", "200 3600", NULL };
  FakeRelay relay;
  MsrpRelayClient *client;
  g_autoptr(MsrpDigestChallenge) challenge = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cnonce = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *with_auth = NULL;

  relay_start (&relay, script);
  client = client_new (relay.uri);
  msrp_relay_settings_set_digest_method (msrp_relay_client_get_settings (client),
                                         MSRP_DIGEST_METHOD_MSRP);
  g_assert_true (client_connect (f, client, &error));
  g_assert_no_error (error);

  cnonce = authorization_param (relay_auth (&relay, 1), "cnonce");
  challenge = msrp_digest_challenge_parse ("Digest realm=\"test\", nonce=\"n1\", qop=\"auth\"",
                                           &error);
  g_assert_no_error (error);
  expected = msrp_digest_authorization (challenge, "alice", "wonderland", MSRP_DIGEST_METHOD_MSRP,
                                        relay.uri, 1, cnonce, &error);
  g_assert_no_error (error);
  with_auth = msrp_digest_authorization (challenge, "alice", "wonderland",
                                         MSRP_DIGEST_METHOD_AUTH, relay.uri, 1, cnonce, &error);
  g_assert_cmpstr (expected, !=, with_auth);
  g_assert_cmpstr (msrp_frame_get_header (relay_auth (&relay, 1), "Authorization"), ==, expected);

  client_close (f, client);
  relay_stop (f, &relay);
}

/* Settings made through properties may lack credentials: a challenge then
 * fails AUTH with an error, and a client without settings has no relay. */
static void
test_no_credentials (Fixture *f, gconstpointer data)
{
  static const char *const script[] = { "401 n1", NULL };
  FakeRelay relay;
  g_autoptr(MsrpUri) uri = NULL;
  g_autoptr(MsrpRelaySettings) settings = NULL;
  MsrpRelayClient *client;
  g_autoptr(GError) error = NULL;

  relay_start (&relay, script);
  uri = msrp_uri_parse (relay.uri, NULL);
  settings = g_object_new (MSRP_TYPE_RELAY_SETTINGS, "uri", uri, NULL);
  g_assert_null (msrp_relay_settings_get_username (settings));
  client = msrp_relay_client_new (settings);
  g_assert_false (client_connect (f, client, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, relay.uri));
  g_assert_cmpuint (relay.auths->len, ==, 1);
  client_close (f, client);
  relay_stop (f, &relay);

  g_clear_error (&error);
  client = g_object_new (MSRP_TYPE_RELAY_CLIENT, NULL);
  g_assert_nonnull (msrp_relay_client_get_settings (client));
  g_assert_cmpuint (msrp_relay_client_get_relays (client)->len, ==, 0);
  g_assert_false (client_connect (f, client, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_FAILED);
  client_close (f, client);
}

/* ---- SRV ---- */

static void
test_srv_name (void)
{
  static const struct {
    const char *uri;
    const char *srv;
  } cases[] = {
    { "msrps://example.net;tcp", "_msrps._tcp.example.net" },
    { "msrp://example.net;tcp", "_msrp._tcp.example.net" },
    { "msrps://alice@example.net;tcp", "_msrps._tcp.example.net" },
    { "msrps://example.net:2855;tcp", NULL },
    { "msrps://192.0.2.1;tcp", NULL },
    { "msrps://[2001:db8::1];tcp", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MsrpUri) uri = msrp_uri_parse (cases[i].uri, NULL);
      g_autofree char *srv = msrp_relay_srv_name (uri);

      g_assert_cmpstr (srv, ==, cases[i].srv);
    }
}

static char *
targets_string (const char *uri_text, GList *records)
{
  g_autoptr(MsrpUri) uri = msrp_uri_parse (uri_text, NULL);
  g_autoptr(GPtrArray) targets = msrp_relay_targets (uri, records);

  return msrp_path_to_string (targets);
}

static void
test_srv_targets (void)
{
  GList *records = NULL;
  GList *none = NULL;
  char *text;

  /* in GResolver's order, each with the relay's scheme */
  records = g_list_append (records, g_srv_target_new ("a.example.net", 2856, 10, 5));
  records = g_list_append (records, g_srv_target_new ("b.example.net", 443, 20, 0));
  text = targets_string ("msrps://example.net;tcp", records);
  g_assert_cmpstr (text, ==, "msrps://a.example.net:2856;tcp msrps://b.example.net:443;tcp");
  g_free (text);
  g_resolver_free_targets (records);

  /* no records, or "." (no service): the domain on the default port */
  text = targets_string ("msrps://example.net;tcp", NULL);
  g_assert_cmpstr (text, ==, "msrps://example.net:2855;tcp");
  g_free (text);
  none = g_list_append (none, g_srv_target_new (".", 0, 0, 0));
  text = targets_string ("msrp://example.net;tcp", none);
  g_assert_cmpstr (text, ==, "msrp://example.net:2855;tcp");
  g_free (text);
  g_resolver_free_targets (none);

  /* a port: as it is */
  text = targets_string ("msrp://127.0.0.1:2900;tcp", NULL);
  g_assert_cmpstr (text, ==, "msrp://127.0.0.1:2900;tcp");
  g_free (text);
}

static void
test_properties (void)
{
  g_autoptr(MsrpRelayClient) client = client_new ("msrps://example.net;tcp");
  g_autoptr(MsrpRelaySettings) settings = NULL;
  MsrpUri *first;
  guint expires = 1;

  g_object_get (client, "settings", &settings, "expires", &expires, NULL);
  g_assert_true (settings == msrp_relay_client_get_settings (client));
  g_assert_cmpstr (msrp_relay_settings_get_username (settings), ==, "alice");
  g_assert_cmpuint (expires, ==, 0);
  /* the relays start with the one of the settings */
  g_assert_cmpuint (msrp_relay_client_get_relays (client)->len, ==, 1);
  first = msrp_relay_client_get_relays (client)->pdata[0];
  g_assert_true (first == msrp_relay_settings_get_uri (settings));
  g_assert_cmpstr (msrp_uri_get_host (first), ==, "example.net");
  g_assert_null (msrp_relay_client_get_transport (client));
  g_assert_null (msrp_relay_client_get_local_path (client));
}

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)

static void
add_auth_case (const char *path, gconstpointer data)
{
  g_test_add (path, Fixture, data, fixture_setup, test_auth, fixture_teardown);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (auth_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/relay-client/auth/%s", auth_cases[i].name);

      add_auth_case (path, &auth_cases[i]);
    }
  ADD ("/relay-client/refresh", test_refresh);
  ADD ("/relay-client/refresh-refused", test_refresh_refused);
  ADD ("/relay-client/relay-list", test_relay_list);
  ADD ("/relay-client/digest-method", test_digest_method);
  ADD ("/relay-client/no-credentials", test_no_credentials);
  g_test_add_func ("/relay-client/srv/name", test_srv_name);
  g_test_add_func ("/relay-client/srv/targets", test_srv_targets);
  g_test_add_func ("/relay-client/properties", test_properties);

  return g_test_run ();
}
