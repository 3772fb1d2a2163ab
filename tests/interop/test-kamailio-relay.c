/* test-kamailio-relay.c: sessions through a real Kamailio relay
 *
 * The library's relay connector and acceptor (RFC 4976) against Kamailio
 * with tests/interop/kamailio-relay.cfg.in: an answerer behind the relay
 * with a direct caller, both ends behind it, large messages, REPORTs,
 * refused credentials, a relay that dies, and AUTH refreshes.
 * docs/relays.md says what Kamailio does with each.
 */
#include <string.h>

#include <msrp.h>
#include "kamailio-harness.h"
#include "msrp-test-cases.h"

/* A hang guard, not a timing check: a test that waits this long is stuck. */
#define GUARD_SECONDS 120

static guint guard_id;

static gboolean
on_guard_timeout (gpointer user_data)
{
  g_error ("%s: still waiting after %d s", g_test_get_path (), GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
guard_start (void)
{
  guard_id = g_timeout_add_seconds (GUARD_SECONDS, on_guard_timeout, NULL);
}

static void
guard_stop (void)
{
  g_source_remove (guard_id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

#define WAIT_FOR(condition) \
  G_STMT_START { \
    while (!(condition)) \
      g_main_context_iteration (NULL, TRUE); \
  } G_STMT_END

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* ---- one end of a session ---- */

typedef struct {
  const char *name;
  MsrpConnector *connector;
  GPtrArray *path;
  GAsyncResult *completed;
  MsrpSession *session;
  GPtrArray *received;       /* MsrpIncomingMessage */
  guint auth_frames;         /* AUTH requests sent after preparing */
} End;

static void
end_clear (End *end)
{
  if (end->session != NULL && !msrp_session_is_closed (end->session))
    {
      g_autoptr(GAsyncResult) result = NULL;

      msrp_session_close_async (end->session, NULL, store_result, &result);
      WAIT_FOR (result != NULL);
    }
  g_clear_object (&end->session);
  g_clear_object (&end->completed);
  g_clear_pointer (&end->path, g_ptr_array_unref);
  g_clear_pointer (&end->received, g_ptr_array_unref);
  g_clear_object (&end->connector);
}

static MsrpRelaySettings *
settings_for (KamailioRelay *relay, const char *password)
{
  g_autoptr(MsrpUri) uri = msrp_uri_parse (relay->uri, NULL);

  return msrp_relay_settings_new (uri, relay->username, password ? password : relay->password);
}

static MsrpRelayClient *
end_relay_client (End *end)
{
  if (MSRP_IS_RELAY_CONNECTOR (end->connector))
    return msrp_relay_connector_get_client (MSRP_RELAY_CONNECTOR (end->connector));
  if (MSRP_IS_RELAY_ACCEPTOR (end->connector))
    return msrp_relay_acceptor_get_client (MSRP_RELAY_ACCEPTOR (end->connector));
  return NULL;
}

static void
count_auth (MsrpTransport *transport, MsrpFrame *frame, End *end)
{
  if (msrp_frame_is_request (frame) && msrp_frame_get_method (frame) == MSRP_METHOD_AUTH)
    end->auth_frames++;
}

/* Makes @end's connector: through @relay when given, else direct. */
static void
end_init (End *end, const char *name, gboolean active, KamailioRelay *relay)
{
  g_autoptr(MsrpRelaySettings) settings = relay ? settings_for (relay, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  memset (end, 0, sizeof *end);
  end->name = name;
  end->connector = active ? msrp_get_connector (settings, &error)
                          : msrp_get_acceptor (settings, &error);
  g_assert_no_error (error);
  end->received = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
end_prepare (End *end, GError **error)
{
  g_autoptr(MsrpUri) local = msrp_uri_parse ("msrp://127.0.0.1:0;tcp", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  MsrpRelayClient *client;

  msrp_connector_prepare_async (end->connector, local, NULL, store_result, &result);
  WAIT_FOR (result != NULL);
  end->path = msrp_connector_prepare_finish (end->connector, result, error);
  if (end->path == NULL)
    return FALSE;
  client = end_relay_client (end);
  if (client != NULL)
    g_signal_connect (msrp_relay_client_get_transport (client), "frame-sent",
                      G_CALLBACK (count_auth), end);
  return TRUE;
}

static void
on_received (MsrpSession *session, MsrpIncomingMessage *message, End *end)
{
  g_ptr_array_add (end->received, g_object_ref (message));
}

static void
end_take_session (End *end)
{
  g_autoptr(GError) error = NULL;

  end->session = msrp_connector_complete_finish (end->connector, end->completed, &error);
  g_assert_no_error (error);
  g_signal_connect (end->session, "message-received", G_CALLBACK (on_received), end);
}

/* Prepares both ends and completes them with each other's path. */
/* With @answerer_any_peer the answerer completes without the caller's path
 * and learns it from the caller's first request. */
static void
connect_pair (End *caller, End *answerer, gboolean answerer_any_peer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *caller_path = NULL;
  g_autofree char *answerer_path = NULL;

  g_assert_true (end_prepare (answerer, &error));
  g_assert_no_error (error);
  g_assert_true (end_prepare (caller, &error));
  g_assert_no_error (error);
  caller_path = msrp_path_to_string (caller->path);
  answerer_path = msrp_path_to_string (answerer->path);
  g_test_message ("%s: %s", caller->name, caller_path);
  g_test_message ("%s: %s", answerer->name, answerer_path);

  msrp_connector_complete_async (answerer->connector, answerer_any_peer ? NULL : caller->path,
                                 NULL, store_result, &answerer->completed);
  msrp_connector_complete_async (caller->connector, answerer->path, NULL, store_result,
                                 &caller->completed);
  WAIT_FOR (caller->completed != NULL);
  end_take_session (caller);
  WAIT_FOR (answerer->completed != NULL);
  end_take_session (answerer);
}

/* ---- messages ---- */

typedef struct {
  GAsyncResult *result;
} Sent;

static gboolean
send_wait (MsrpSession *session, MsrpOutgoingMessage *message, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  msrp_session_send_async (session, message, NULL, store_result, &result);
  WAIT_FOR (result != NULL);
  return msrp_session_send_finish (session, result, error);
}

/* Sends @text from @from to @to and checks it arrives. */
static void
text_round (End *from, End *to, const char *text)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autoptr(GError) error = NULL;
  guint before = to->received->len;
  GBytes *got;

  send_wait (from->session, message, &error);
  g_assert_no_error (error);
  WAIT_FOR (to->received->len > before);
  got = msrp_incoming_message_get_bytes (to->received->pdata[before]);
  g_assert_true (g_bytes_equal (got, body));
}

static GBytes *
random_body (gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  return g_bytes_new_take (data, size);
}

/* Sends 5 MiB from @from to @to with a success REPORT asked for; the send
 * completes when the REPORT covering it all arrived through the relay. */
static void
binary_round (End *from, End *to)
{
  g_autoptr(GBytes) body = random_body (5 * 1024 * 1024, 4976);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_bytes ("application/octet-stream", body);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_autofree char *got_sha = NULL;
  guint before = to->received->len;

  msrp_outgoing_message_set_success_report (message, TRUE);
  send_wait (from->session, message, &error);
  g_assert_no_error (error);
  WAIT_FOR (to->received->len > before);
  got_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                          msrp_incoming_message_get_bytes (to->received->pdata[before]));
  g_assert_cmpstr (got_sha, ==, sent_sha);
}

/* ---- tests ---- */

/* Who is behind the relay, and how the relay is set up. */
typedef struct {
  const char *name;
  gboolean caller_relayed;
  gboolean answerer_relayed;
  KamailioDigestMethod digest_method;
  /* msrps to the relay, its certificate pinned by fingerprint */
  gboolean tls;
  /* 5 MiB each way, with success REPORTs */
  gboolean binary;
  /* the answerer takes any peer and learns its path (from a From-Path that
   * starts with the answerer's own relay) */
  gboolean answerer_any_peer;
} PairCase;

static const PairCase pair_cases[] = {
  { "answerer-behind-relay", FALSE, TRUE, KAMAILIO_DIGEST_METHOD_AUTH, FALSE, TRUE },
  { "both-behind-relay", TRUE, TRUE, KAMAILIO_DIGEST_METHOD_AUTH, FALSE, TRUE },
  /* a relay that digests the method "MSRP" (Kamailio's default without
   * $msrp(method)): the client's digest-method knob */
  { "caller-behind-relay-digest-msrp", TRUE, FALSE, KAMAILIO_DIGEST_METHOD_MSRP, FALSE, FALSE },
  { "tls", TRUE, TRUE, KAMAILIO_DIGEST_METHOD_AUTH, TRUE, TRUE },
  { "answerer-behind-relay-any-peer", FALSE, TRUE, KAMAILIO_DIGEST_METHOD_AUTH, FALSE, FALSE, TRUE },
  { "both-behind-relay-any-peer", TRUE, TRUE, KAMAILIO_DIGEST_METHOD_AUTH, FALSE, FALSE, TRUE },
};

static void
end_set_up_relay (End *end, const PairCase *c, MsrpTlsCredentials *relay_credentials)
{
  MsrpRelayClient *client = end_relay_client (end);

  if (client == NULL)
    return;
  if (c->digest_method == KAMAILIO_DIGEST_METHOD_MSRP)
    msrp_relay_settings_set_digest_method (msrp_relay_client_get_settings (client),
                                           MSRP_DIGEST_METHOD_MSRP);
  if (relay_credentials != NULL)
    msrp_relay_client_set_tls_fingerprint (client,
                                           msrp_tls_credentials_get_fingerprint (relay_credentials));
}

static void
end_check_path (End *end, gboolean relayed, gboolean tls)
{
  g_assert_cmpuint (end->path->len, ==, relayed ? 2 : 1);
  for (guint i = 0; relayed && i < end->path->len; i++)
    g_assert_cmpint (msrp_uri_is_secure (end->path->pdata[i]), ==, tls);
  if (relayed && tls)
    g_assert_true (G_IS_TLS_CONNECTION (msrp_transport_get_stream (
      msrp_session_get_transport (end->session))));
}

static void
test_pair (gconstpointer data)
{
  const PairCase *c = data;
  g_autoptr(MsrpTlsCredentials) relay_credentials = NULL;
  KamailioRelayOptions options;
  KamailioRelay *relay;
  End alice, bob;

  kamailio_relay_options_init (&options);
  options.digest_method = c->digest_method;
  if (c->tls)
    {
      g_autoptr(GError) error = NULL;

      relay_credentials = msrp_tls_credentials_new_self_signed ("relay.test", &error);
      g_assert_no_error (error);
      options.tls_certificate = msrp_tls_credentials_get_certificate (relay_credentials);
    }
  relay = kamailio_relay_start_for_test (&options);
  if (relay == NULL)
    return;
  guard_start ();
  end_init (&alice, c->caller_relayed ? "alice (caller, behind the relay)" : "alice (caller)",
            TRUE, c->caller_relayed ? relay : NULL);
  end_init (&bob, c->answerer_relayed ? "bob (answerer, behind the relay)" : "bob (answerer)",
            FALSE, c->answerer_relayed ? relay : NULL);
  end_set_up_relay (&alice, c, relay_credentials);
  end_set_up_relay (&bob, c, relay_credentials);
  connect_pair (&alice, &bob, c->answerer_any_peer);
  end_check_path (&alice, c->caller_relayed, c->tls);
  end_check_path (&bob, c->answerer_relayed, c->tls);

  text_round (&alice, &bob, "hello through the relay");
  text_round (&bob, &alice, "hello back");
  if (c->binary)
    {
      binary_round (&alice, &bob);
      binary_round (&bob, &alice);
    }

  end_clear (&alice);
  end_clear (&bob);
  guard_stop ();
}

/* Takes the session in the completion callback, as an application does. */
static void
on_completed_take (GObject *source, GAsyncResult *result, gpointer user_data)
{
  End *end = user_data;

  end->completed = g_object_ref (result);
  end_take_session (end);
}

/* Once the answerer's message is out (the 200 went before it), the main
 * loop stands still a moment: both then wait in the caller's socket and
 * arrive in one read (not a timing assertion: a way to make the race
 * happen). */
static void
stand_still_after_message (MsrpTransport *transport, MsrpFrame *frame, gpointer user_data)
{
  if (msrp_frame_is_request (frame) && msrp_frame_get_content_type (frame) != NULL)
    g_usleep (300 * G_TIME_SPAN_MILLISECOND);
}

static void
on_answerer_transport (MsrpConnector *connector, MsrpTransport *transport, gpointer user_data)
{
  g_signal_connect (transport, "frame-sent", G_CALLBACK (stand_still_after_message), NULL);
}

/* The answerer sends at once from its completion callback: the caller,
 * behind the relay, gets that message although it may arrive right behind
 * the 200 to its binding SEND, before its own callback ran. */
static void
on_completed_send (GObject *source, GAsyncResult *result, gpointer user_data)
{
  End *end = user_data;
  g_autoptr(GBytes) body = g_bytes_new_static ("first", 5);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);

  on_completed_take (source, result, end);
  msrp_session_send_async (end->session, message, NULL, NULL, NULL);
}

static void
test_first_message_after_bind (void)
{
  KamailioRelayOptions options;
  KamailioRelay *relay;
  g_autoptr(GError) error = NULL;
  GBytes *body;
  End alice, bob;

  kamailio_relay_options_init (&options);
  relay = kamailio_relay_start_for_test (&options);
  if (relay == NULL)
    return;
  guard_start ();
  end_init (&alice, "alice (caller, behind the relay)", TRUE, relay);
  end_init (&bob, "bob (answerer)", FALSE, NULL);
  g_assert_true (end_prepare (&bob, &error));
  g_assert_true (end_prepare (&alice, &error));
  g_signal_connect (bob.connector, "transport-created", G_CALLBACK (on_answerer_transport), NULL);
  msrp_connector_complete_async (bob.connector, alice.path, NULL, on_completed_send, &bob);
  msrp_connector_complete_async (alice.connector, bob.path, NULL, on_completed_take, &alice);
  WAIT_FOR (alice.received->len == 1);
  body = msrp_incoming_message_get_bytes (alice.received->pdata[0]);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "first", 5);
  end_clear (&alice);
  end_clear (&bob);
  guard_stop ();
}

/* A relay whose certificate is not the one pinned: AUTH is never sent. */
static void
test_tls_wrong_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpTlsCredentials) relay_credentials =
    msrp_tls_credentials_new_self_signed ("relay.test", &error);
  g_autoptr(MsrpTlsCredentials) other = msrp_tls_credentials_new_self_signed ("other", &error);
  KamailioRelayOptions options;
  KamailioRelay *relay;
  End bob;

  g_assert_no_error (error);
  kamailio_relay_options_init (&options);
  options.tls_certificate = msrp_tls_credentials_get_certificate (relay_credentials);
  relay = kamailio_relay_start_for_test (&options);
  if (relay == NULL)
    return;
  guard_start ();
  end_init (&bob, "bob", FALSE, relay);
  msrp_relay_client_set_tls_fingerprint (end_relay_client (&bob),
                                         msrp_tls_credentials_get_fingerprint (other));
  g_assert_false (end_prepare (&bob, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
  end_clear (&bob);
  guard_stop ();
}

/* How the relay answers a wrong password, by its configuration. */
typedef struct {
  const char *name;
  gboolean forbid_wrong_password;
  int code;
  const char *status;
} WrongPasswordCase;

static const WrongPasswordCase wrong_password_cases[] = {
  { "403", TRUE, MSRP_ERROR_FORBIDDEN, "403" },
  /* the example configuration in Kamailio's README challenges again */
  { "401", FALSE, MSRP_ERROR_UNAUTHORIZED, "401" },
};

static void
test_wrong_password (gconstpointer data)
{
  const WrongPasswordCase *c = data;
  KamailioRelayOptions options;
  KamailioRelay *relay;
  g_autoptr(MsrpRelaySettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  End bob;

  kamailio_relay_options_init (&options);
  options.forbid_wrong_password = c->forbid_wrong_password;
  relay = kamailio_relay_start_for_test (&options);
  if (relay == NULL)
    return;
  guard_start ();
  settings = settings_for (relay, "not-the-password");
  memset (&bob, 0, sizeof bob);
  bob.connector = msrp_get_acceptor (settings, &error);
  g_assert_no_error (error);
  g_assert_false (end_prepare (&bob, &error));
  g_assert_error (error, MSRP_ERROR, c->code);
  g_assert_nonnull (strstr (error->message, c->status));
  g_assert_nonnull (strstr (error->message, relay->uri));
  g_test_message ("%s", error->message);
  end_clear (&bob);
  guard_stop ();
}

static void
on_session_closed (MsrpSession *session, const GError *error, gboolean *closed)
{
  *closed = TRUE;
}

/* Sends never hang when the relay goes: they fail, and the sessions close. */
static void
test_relay_killed (void)
{
  KamailioRelay *relay = kamailio_relay_start_for_test (NULL);
  g_autoptr(GBytes) body = g_bytes_new_static ("anyone there?", 13);
  g_autoptr(MsrpOutgoingMessage) to_bob = NULL;
  g_autoptr(MsrpOutgoingMessage) to_alice = NULL;
  g_autoptr(GError) error = NULL;
  gboolean alice_closed = FALSE, bob_closed = FALSE;
  End alice, bob;

  if (relay == NULL)
    return;
  guard_start ();
  end_init (&alice, "alice (direct caller)", TRUE, NULL);
  end_init (&bob, "bob (behind the relay)", FALSE, relay);
  connect_pair (&alice, &bob, FALSE);
  text_round (&alice, &bob, "before");
  g_signal_connect (alice.session, "closed", G_CALLBACK (on_session_closed), &alice_closed);
  g_signal_connect (bob.session, "closed", G_CALLBACK (on_session_closed), &bob_closed);

  kamailio_relay_kill (relay);
  to_bob = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_assert_false (send_wait (alice.session, to_bob, &error));
  g_assert_nonnull (error);
  g_test_message ("alice: %s", error->message);
  g_clear_error (&error);
  to_alice = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_assert_false (send_wait (bob.session, to_alice, &error));
  g_assert_nonnull (error);
  g_test_message ("bob: %s", error->message);
  WAIT_FOR (alice_closed && bob_closed);

  end_clear (&alice);
  end_clear (&bob);
  guard_stop ();
}

/* With a short Expires the relay client authenticates again while the
 * session runs, and the session keeps working. */
static void
test_refresh (void)
{
  KamailioRelayOptions options;
  KamailioRelay *relay;
  End alice, bob;

  kamailio_relay_options_init (&options);
  options.min_expires = 1;
  relay = kamailio_relay_start_for_test (&options);
  if (relay == NULL)
    return;
  guard_start ();
  end_init (&alice, "alice (direct caller)", TRUE, NULL);
  end_init (&bob, "bob (behind the relay)", FALSE, relay);
  msrp_relay_client_set_expires (end_relay_client (&bob), 2);
  connect_pair (&alice, &bob, FALSE);
  g_assert_cmpuint (msrp_relay_client_get_granted_expires (end_relay_client (&bob)), ==, 2);
  WAIT_FOR (bob.auth_frames >= 2);
  text_round (&alice, &bob, "after the refresh");
  text_round (&bob, &alice, "still here");
  end_clear (&alice);
  end_clear (&bob);
  guard_stop ();
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  MSRP_TEST_ADD_CASES ("/kamailio/relay", pair_cases, test_pair);
  MSRP_TEST_ADD_CASES ("/kamailio/relay/wrong-password", wrong_password_cases, test_wrong_password);
  g_test_add_func ("/kamailio/relay/first-message-after-bind", test_first_message_after_bind);
  g_test_add_func ("/kamailio/relay/relay-killed", test_relay_killed);
  g_test_add_func ("/kamailio/relay/refresh", test_refresh);
  g_test_add_func ("/kamailio/relay/tls-wrong-certificate", test_tls_wrong_certificate);

  return g_test_run ();
}
