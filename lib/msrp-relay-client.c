/* msrp-relay-client.c: one client connection to an RFC 4976 relay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-relay-client-private.h"

#include "msrp-error.h"
#include "msrp-frame.h"
#include "msrp-relay-auth.h"
#include "msrp-socket-private.h"
#include "msrp-transport-private.h"
#include "msrp-frame-private.h"
#include "msrp-string-private.h"

/**
 * MsrpRelayClient:
 *
 * A client's connection to its MSRP relay (RFC 4976): it connects, sends
 * `AUTH`, answers the relay's digest challenge and learns the `Use-Path`
 * that goes in front of the client's own URI in its SDP `a=path`; then it
 * refreshes the authentication before `Expires` runs out, for as long as
 * the connection lives. Sessions run on msrp_relay_client_get_transport():
 * the relay hands them the frames addressed to them.
 *
 * Relays are tried in the order they were given. A relay URI that names a
 * DNS host without a port (`msrps://example.net;tcp`) is looked up as the
 * SRV service `_msrps._tcp` (or `_msrp._tcp` for an `msrp:` URI) of that
 * domain, as RFC 4976 §6.3 says, and connected to on port 2855 when the
 * domain has no such record. `msrps:` relays are reached over TLS: the
 * relay's certificate must match
 * [property@Msrp.RelayClient:tls-fingerprint] when that is set, else it
 * is checked against [property@Msrp.RelayClient:tls-database] (the
 * system's certificate authorities by default) for the relay's host name.
 *
 * The client's own URI (the `From-Path` of its AUTH and the last URI of
 * its path) names its end of the relay connection: the connection's local
 * address and port, or [property@Msrp.RelayClient:advertised-host]. Relays
 * that answer by address find the connection by it; peers never connect
 * to it.
 *
 * The relay, the credentials and the method digested come from the
 * client's [property@Msrp.RelayClient:settings]; the client reads them
 * at each AUTH, so a changed [property@Msrp.RelaySettings:digest-method]
 * applies from the next one.
 *
 * How the relay answers: a 401 challenge is answered once;
 * a 401 to those credentials (unless marked `stale`) fails with
 * %MSRP_ERROR_UNAUTHORIZED, a 403 with %MSRP_ERROR_FORBIDDEN. A 423 is
 * retried with the closest allowed Expires; a 423 that gives no bounds
 * (Kamailio 5.6's `msrp_cmap_save()` sends a malformed one whatever
 * Expires was asked for) is retried without Expires, leaving the choice
 * to the relay. A refresh the relay refuses, or that cannot be sent,
 * closes the relay connection with that error, and with it the sessions
 * on it: the relay would stop forwarding to them anyway.
 */

/* When a relay grants no Expires: refresh as if it had granted this. */
#define DEFAULT_GRANTED_EXPIRES 600
/* AUTH requests in one round at most: a relay that keeps answering
 * `stale=true` or 423 must not keep the client busy for ever. */
#define MAX_AUTH_ATTEMPTS 6

struct _MsrpRelayClient
{
  GObject parent_instance;

  GMainContext *context;

  /* Settings */
  MsrpRelaySettings *settings;
  /* the relay of ->settings, then those added */
  GPtrArray *relays;
  guint expires;
  char *tls_fingerprint;
  GTlsDatabase *tls_database;
  MsrpTlsCredentials *tls_credentials;
  char *advertised_host;

  /* The connection, once authenticated */
  MsrpTransport *transport;
  gulong closed_handler;
  MsrpUri *relay_uri;
  MsrpUri *local_uri;
  GPtrArray *use_path;
  guint granted_expires;
  gboolean busy;

  /* Digest state: the last challenge and how often its nonce was used */
  MsrpDigestChallenge *challenge;
  guint32 nc;

  GSource *refresh_source;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (MsrpRelayClient, msrp_relay_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_EXPIRES,
  PROP_TLS_FINGERPRINT,
  PROP_TLS_DATABASE,
  PROP_TLS_CREDENTIALS,
  PROP_ADVERTISED_HOST,
  PROP_TRANSPORT,
  PROP_USE_PATH,
  PROP_GRANTED_EXPIRES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_TRANSPORT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- connection targets ---- */

char *
msrp_relay_srv_name (MsrpUri *relay)
{
  const char *host = msrp_uri_get_host (relay);

  if (msrp_uri_get_port (relay) >= 0 || g_hostname_is_ip_address (host))
    return NULL;
  return g_strdup_printf ("_%s._tcp.%s", msrp_uri_get_scheme (relay), host);
}

GPtrArray *
msrp_relay_targets (MsrpUri *relay, GList *srv_targets)
{
  GPtrArray *targets = msrp_path_new ();

  for (GList *l = srv_targets; l != NULL; l = l->next)
    {
      GSrvTarget *srv = l->data;
      const char *host = g_srv_target_get_hostname (srv);
      g_autoptr(MsrpUri) with_port = NULL;

      if (g_str_equal (host, ".") || *host == '\0')
        continue;
      with_port = msrp_uri_with_port (relay, g_srv_target_get_port (srv));
      g_ptr_array_add (targets, msrp_uri_with_host (with_port, host));
    }
  if (targets->len == 0)
    g_ptr_array_add (targets, msrp_uri_get_port (relay) >= 0
                              ? msrp_uri_ref (relay)
                              : msrp_uri_with_port (relay, MSRP_DEFAULT_PORT));
  return targets;
}

/* ---- AUTH ---- */

static void stop_refresh (MsrpRelayClient *self);
static void schedule_refresh (MsrpRelayClient *self);

typedef struct {
  MsrpTransport *transport;
  MsrpUri *relay_uri;
  MsrpUri *local_uri;
  /* the Expires of the next AUTH; 0 for none */
  guint32 expires;
  /* the next AUTH answers a challenge received in this round */
  gboolean fresh;
  gboolean expires_dropped;
  guint attempts;
} AuthRound;

static void
auth_round_free (AuthRound *round)
{
  g_object_unref (round->transport);
  msrp_uri_unref (round->relay_uri);
  msrp_uri_unref (round->local_uri);
  g_free (round);
}

static void send_auth (GTask *task);

static GError *
auth_refused (AuthRound *round, const GError *error)
{
  g_autofree char *relay = msrp_uri_to_string (round->relay_uri);

  return g_error_new (error->domain, error->code, "Relay %s refused AUTH: %s", relay,
                      error->message);
}

/* A 401: answer the challenge, or give up when it is the answer to
 * credentials made for the previous challenge of this round. */
static GError *
take_challenge (MsrpRelayClient *self, AuthRound *round, MsrpFrame *failure, const GError *error)
{
  const char *value = failure ? msrp_frame_get_header (failure, "WWW-Authenticate") : NULL;
  g_autoptr(MsrpDigestChallenge) challenge = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (value == NULL)
    return auth_refused (round, error);
  challenge = msrp_digest_challenge_parse (value, &parse_error);
  if (challenge == NULL)
    return auth_refused (round, parse_error);
  if (round->fresh && !msrp_digest_challenge_get_stale (challenge))
    {
      g_autofree char *relay = msrp_uri_to_string (round->relay_uri);

      return g_error_new (MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                          "Relay %s refused the credentials of user “%s”: %s", relay,
                          msrp_relay_settings_get_username (self->settings), error->message);
    }
  g_clear_pointer (&self->challenge, msrp_digest_challenge_unref);
  self->challenge = g_steal_pointer (&challenge);
  self->nc = 0;
  round->fresh = TRUE;
  return NULL;
}

/* A 423: the closest Expires allowed, or none at all when the answer
 * gives no bounds (Kamailio's malformed 423). */
static GError *
take_interval (AuthRound *round, MsrpFrame *failure, const GError *error)
{
  const char *min = failure ? msrp_frame_get_header (failure, "Min-Expires") : NULL;
  const char *max = failure ? msrp_frame_get_header (failure, "Max-Expires") : NULL;
  g_autoptr(GError) retry_error = NULL;
  guint32 retry = 0;

  if (round->expires == 0)
    return auth_refused (round, error);
  if (min == NULL && max == NULL)
    {
      if (round->expires_dropped)
        return auth_refused (round, error);
      round->expires_dropped = TRUE;
      round->expires = 0;
      return NULL;
    }
  if (!msrp_relay_auth_retry_expires (round->expires, min, max, &retry, &retry_error))
    return auth_refused (round, retry_error);
  round->expires = retry;
  return NULL;
}

static GError *
take_grant (MsrpRelayClient *self, AuthRound *round, MsrpFrame *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) use_path = msrp_frame_get_use_path (response, &error);
  const char *expires = msrp_frame_get_header (response, "Expires");
  guint32 granted = DEFAULT_GRANTED_EXPIRES;
  gboolean changed;

  if (use_path == NULL || use_path->len == 0)
    {
      g_autofree char *relay = msrp_uri_to_string (round->relay_uri);

      return g_error_new (MSRP_ERROR, MSRP_ERROR_MALFORMED,
                          "Relay %s granted AUTH without a usable Use-Path%s%s", relay,
                          error ? ": " : "", error ? error->message : "");
    }
  if (expires != NULL && !msrp_expires_parse (expires, &granted, &error))
    return auth_refused (round, error);

  changed = self->use_path == NULL || !msrp_path_equal (self->use_path, use_path);
  g_clear_pointer (&self->use_path, g_ptr_array_unref);
  self->use_path = g_steal_pointer (&use_path);
  self->granted_expires = granted;
  if (self->transport != round->transport)
    {
      g_set_object (&self->transport, round->transport);
      g_clear_pointer (&self->relay_uri, msrp_uri_unref);
      self->relay_uri = msrp_uri_ref (round->relay_uri);
      g_clear_pointer (&self->local_uri, msrp_uri_unref);
      self->local_uri = msrp_uri_ref (round->local_uri);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRANSPORT]);
    }
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_USE_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GRANTED_EXPIRES]);
  return NULL;
}

static void
auth_answered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  MsrpRelayClient *self = g_task_get_source_object (task);
  AuthRound *round = g_task_get_task_data (task);
  g_autoptr(MsrpFrame) response = NULL;
  g_autoptr(MsrpFrame) failure = NULL;
  g_autoptr(GError) error = NULL;
  GError *outcome = NULL;

  response = msrp_transport_send_request_finish_full (MSRP_TRANSPORT (source), result, &failure,
                                                      &error);
  if (response != NULL)
    outcome = take_grant (self, round, response);
  else if (g_error_matches (error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED))
    outcome = take_challenge (self, round, failure, error);
  else if (g_error_matches (error, MSRP_ERROR, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS))
    outcome = take_interval (round, failure, error);
  else if (error->domain == MSRP_ERROR && error->code >= 300)
    outcome = auth_refused (round, error);
  else
    outcome = g_steal_pointer (&error);

  if (outcome != NULL)
    g_task_return_error (task, outcome);
  else if (response != NULL)
    g_task_return_boolean (task, TRUE);
  else if (round->attempts >= MAX_AUTH_ATTEMPTS)
    {
      g_autofree char *relay = msrp_uri_to_string (round->relay_uri);

      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                               "Relay %s did not accept AUTH after %u attempts", relay,
                               round->attempts);
    }
  else
    send_auth (g_steal_pointer (&task));
}

static void
send_auth (GTask *task)
{
  MsrpRelayClient *self = g_task_get_source_object (task);
  AuthRound *round = g_task_get_task_data (task);
  g_autoptr(MsrpFrame) request = msrp_frame_new_request ("AUTH", NULL);
  g_autoptr(GPtrArray) to_path = msrp_path_new ();
  g_autoptr(GPtrArray) from_path = msrp_path_new ();
  gboolean fresh = round->fresh;

  g_ptr_array_add (to_path, msrp_uri_ref (round->relay_uri));
  g_ptr_array_add (from_path, msrp_uri_ref (round->local_uri));
  msrp_frame_set_to_path (request, to_path);
  msrp_frame_set_from_path (request, from_path);
  if (self->challenge != NULL)
    {
      g_autofree char *digest_uri = msrp_uri_to_string (round->relay_uri);
      g_autofree char *authorization = NULL;
      GError *error = NULL;

      if (msrp_relay_settings_get_username (self->settings) == NULL
          || msrp_relay_settings_get_password (self->settings) == NULL)
        {
          g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                                   "Relay %s asks for credentials and the relay settings have "
                                   "no user name or password", digest_uri);
          g_object_unref (task);
          return;
        }
      authorization =
        msrp_digest_authorization (self->challenge, msrp_relay_settings_get_username (self->settings),
                                   msrp_relay_settings_get_password (self->settings),
                                   msrp_relay_settings_get_digest_method (self->settings),
                                   digest_uri, ++self->nc, NULL, &error);
      if (authorization == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      msrp_frame_set_header (request, "Authorization", authorization);
    }
  if (round->expires > 0)
    msrp_frame_set_uint_header (request, "Expires", round->expires);

  /* Credentials count as an answer to this round's challenge only when one
   * came in this round; cached ones (a refresh) may be answered afresh. */
  round->fresh = fresh && self->challenge != NULL;
  round->attempts++;
  msrp_transport_send_request_async (round->transport, request, g_task_get_cancellable (task),
                                     auth_answered, task);
}

static void
start_auth_round (MsrpRelayClient     *self,
                  MsrpTransport       *transport,
                  MsrpUri             *relay_uri,
                  MsrpUri             *local_uri,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  AuthRound *round = g_new0 (AuthRound, 1);

  g_task_set_source_tag (task, start_auth_round);
  round->transport = g_object_ref (transport);
  round->relay_uri = msrp_uri_ref (relay_uri);
  round->local_uri = msrp_uri_ref (local_uri);
  round->expires = self->expires;
  g_task_set_task_data (task, round, (GDestroyNotify) auth_round_free);
  send_auth (task);
}

/* ---- keeping the binding ---- */

static void
on_transport_closed (MsrpTransport *transport, const GError *error, gpointer user_data)
{
  MsrpRelayClient *self = user_data;

  stop_refresh (self);
}

static void
refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (source);
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      schedule_refresh (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->transport == NULL)
    return;
  g_debug ("relay refresh failed: %s", error->message);
  msrp_transport_abort (self->transport, error);
}

static gboolean
refresh_due (gpointer user_data)
{
  MsrpRelayClient *self = user_data;

  g_clear_pointer (&self->refresh_source, g_source_unref);
  if (self->transport == NULL || msrp_transport_is_closed (self->transport))
    return G_SOURCE_REMOVE;
  start_auth_round (self, self->transport, self->relay_uri, self->local_uri, self->cancellable,
                    refreshed, NULL);
  return G_SOURCE_REMOVE;
}

static void
stop_refresh (MsrpRelayClient *self)
{
  if (self->refresh_source == NULL)
    return;
  g_source_destroy (self->refresh_source);
  g_clear_pointer (&self->refresh_source, g_source_unref);
}

static void
schedule_refresh (MsrpRelayClient *self)
{
  stop_refresh (self);
  if (self->transport == NULL || msrp_transport_is_closed (self->transport))
    return;
  self->refresh_source =
    g_timeout_source_new_seconds (msrp_relay_auth_refresh_delay (self->granted_expires));
  g_source_set_callback (self->refresh_source, refresh_due, self, NULL);
  g_source_set_static_name (self->refresh_source, "MsrpRelayClient refresh");
  g_source_attach (self->refresh_source, self->context);
}

static void
watch_transport (MsrpRelayClient *self)
{
  self->closed_handler = g_signal_connect (self->transport, "closed",
                                           G_CALLBACK (on_transport_closed), self);
}

static void
unwatch_transport (MsrpRelayClient *self)
{
  if (self->closed_handler != 0)
    g_clear_signal_handler (&self->closed_handler, self->transport);
}

static void
authenticated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (source);
  GError *error = NULL;

  self->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  watch_transport (self);
  schedule_refresh (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * msrp_relay_client_authenticate_async:
 * @client: a #MsrpRelayClient not connected yet
 * @transport: a started transport connected to the relay
 * @relay_uri: the relay's URI, the `To-Path` of the AUTH requests and the
 *   digest `uri`
 * @local_uri: the client's own URI, the `From-Path` of the AUTH requests
 *   and the last URI of msrp_relay_client_get_local_path()
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the relay granted or refused AUTH
 * @user_data: data for @callback
 *
 * Authenticates with the relay over a connection made elsewhere (a
 * WebSocket, a stream the application set up) instead of
 * msrp_relay_client_connect_async(). On success @client keeps @transport
 * and refreshes the authentication on it; it does not close it.
 */
void
msrp_relay_client_authenticate_async (MsrpRelayClient     *client,
                                      MsrpTransport       *transport,
                                      MsrpUri             *relay_uri,
                                      MsrpUri             *local_uri,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (relay_uri != NULL && local_uri != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_relay_client_authenticate_async);
  if (client->busy || client->transport != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "The relay client is already connected");
      return;
    }
  client->busy = TRUE;
  start_auth_round (client, transport, relay_uri, local_uri, cancellable, authenticated,
                    g_steal_pointer (&task));
}

/**
 * msrp_relay_client_authenticate_finish:
 * @client: a #MsrpRelayClient
 * @result: the #GAsyncResult of msrp_relay_client_authenticate_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_relay_client_authenticate_async().
 *
 * Returns: %TRUE when the relay granted AUTH; %FALSE with @error set
 *   (%MSRP_ERROR_UNAUTHORIZED or %MSRP_ERROR_FORBIDDEN when it refused the
 *   credentials, %MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS when no Expires
 *   suited it, the transport's error when the connection failed)
 */
gboolean
msrp_relay_client_authenticate_finish (MsrpRelayClient  *client,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- connecting ---- */

typedef struct {
  char *session_id;
  /* index into ->relays of the relay being tried */
  guint relay;
  /* its connection targets, and the one being tried */
  GPtrArray *targets;
  guint target;
  GSocketConnection *connection;
  MsrpTransport *transport;
  GString *errors;
  GError *last_error;
} ConnectOp;

static void
connect_op_free (ConnectOp *op)
{
  g_free (op->session_id);
  g_clear_pointer (&op->targets, g_ptr_array_unref);
  g_clear_object (&op->connection);
  g_clear_object (&op->transport);
  g_string_free (op->errors, TRUE);
  g_clear_error (&op->last_error);
  g_free (op);
}

static void try_relay (GTask *task);
static void try_target (GTask *task);

static MsrpUri *
op_relay (MsrpRelayClient *self, ConnectOp *op)
{
  return self->relays->pdata[op->relay];
}

/* The attempt on the current target failed with @error (taken). */
static void
target_failed (GTask *task, GError *error)
{
  MsrpRelayClient *self = g_task_get_source_object (task);
  ConnectOp *op = g_task_get_task_data (task);
  g_autofree char *target = msrp_uri_to_string (op->targets->pdata[op->target]);

  if (op->transport != NULL)
    {
      g_autoptr(GError) reason = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED,
                                                      "Giving up on this relay");

      msrp_transport_abort (op->transport, reason);
      g_clear_object (&op->transport);
    }
  g_clear_object (&op->connection);
  g_debug ("relay %s: %s", target, error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_string_append_printf (op->errors, "%s%s: %s", op->errors->len ? "; " : "", target,
                          error->message);
  g_clear_error (&op->last_error);
  op->last_error = error;
  op->target++;
  try_target (task);
}

static void
connect_authenticated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (source);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      target_failed (task, error);
      return;
    }
  self->busy = FALSE;
  watch_transport (self);
  schedule_refresh (self);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
stream_ready (GTask *task, GIOStream *stream)
{
  MsrpRelayClient *self = g_task_get_source_object (task);
  ConnectOp *op = g_task_get_task_data (task);
  MsrpUri *target = op->targets->pdata[op->target];
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(MsrpUri) local_uri = NULL;
  g_autofree char *host = NULL;
  GError *error = NULL;
  guint16 port;

  local = g_socket_connection_get_local_address (op->connection, &error);
  if (local == NULL)
    {
      target_failed (task, error);
      return;
    }
  host = self->advertised_host
    ? g_strdup (self->advertised_host)
    : g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  local_uri = msrp_uri_new (msrp_uri_is_secure (target), host, port, op->session_id, "tcp");

  op->transport = msrp_transport_new (stream);
  g_signal_emit (self, signals[SIGNAL_TRANSPORT_CREATED], 0, op->transport);
  msrp_transport_start (op->transport);
  start_auth_round (self, op->transport, op_relay (self, op), local_uri,
                    g_task_get_cancellable (task), connect_authenticated, task);
}

static void
tls_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  MsrpRelayClient *self = g_task_get_source_object (task);
  g_autoptr(GIOStream) stream = NULL;
  GError *error = NULL;

  if (self->tls_fingerprint != NULL)
    stream = msrp_tls_client_connect_finish (result, &error);
  else if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    stream = g_object_ref (G_IO_STREAM (source));
  if (stream == NULL)
    {
      target_failed (task, error);
      return;
    }
  stream_ready (task, stream);
}

static void
start_tls (GTask *task)
{
  MsrpRelayClient *self = g_task_get_source_object (task);
  ConnectOp *op = g_task_get_task_data (task);
  MsrpUri *target = op->targets->pdata[op->target];
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  if (self->tls_fingerprint != NULL)
    {
      msrp_tls_client_connect_async (G_IO_STREAM (op->connection), self->tls_credentials,
                                     self->tls_fingerprint, msrp_uri_get_host (target),
                                     g_task_get_cancellable (task), tls_done, task);
      return;
    }
  identity = g_network_address_new (msrp_uri_get_host (target), msrp_uri_get_port (target));
  tls = g_tls_client_connection_new (G_IO_STREAM (op->connection), identity, &error);
  if (tls == NULL)
    {
      target_failed (task, error);
      return;
    }
  if (self->tls_database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->tls_database);
  if (self->tls_credentials != NULL)
    g_tls_connection_set_certificate (G_TLS_CONNECTION (tls),
                                      msrp_tls_credentials_get_certificate (self->tls_credentials));
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), tls_done, task);
}

static void
connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  ConnectOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (op->connection == NULL)
    {
      target_failed (task, error);
      return;
    }
  msrp_socket_set_no_delay (op->connection);
  if (msrp_uri_is_secure (op->targets->pdata[op->target]))
    start_tls (task);
  else
    stream_ready (task, G_IO_STREAM (op->connection));
}

static void
try_target (GTask *task)
{
  ConnectOp *op = g_task_get_task_data (task);
  g_autoptr(GSocketClient) socket_client = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  MsrpUri *target;

  if (op->target >= op->targets->len)
    {
      g_clear_pointer (&op->targets, g_ptr_array_unref);
      op->relay++;
      try_relay (task);
      return;
    }
  target = op->targets->pdata[op->target];
  socket_client = g_socket_client_new ();
  /* Relays are reached directly, and loopback ones without a proxy lookup. */
  g_socket_client_set_enable_proxy (socket_client, FALSE);
  address = g_network_address_new (msrp_uri_get_host (target), msrp_uri_get_port (target));
  g_socket_client_connect_async (socket_client, address, g_task_get_cancellable (task),
                                 connected, task);
}

static void
srv_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  MsrpRelayClient *self = g_task_get_source_object (task);
  ConnectOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *records = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->busy = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  /* No record (or no answer): the domain itself, on the default port. */
  if (error != NULL)
    g_debug ("no SRV records for relay: %s", error->message);
  op->targets = msrp_relay_targets (op_relay (self, op), records);
  g_resolver_free_targets (records);
  op->target = 0;
  try_target (task);
}

static void
try_relay (GTask *task)
{
  MsrpRelayClient *self = g_task_get_source_object (task);
  ConnectOp *op = g_task_get_task_data (task);
  g_autofree char *srv_name = NULL;

  if (op->relay >= self->relays->len)
    {
      GError *error = g_steal_pointer (&op->last_error);

      self->busy = FALSE;
      if (error == NULL)
        error = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_FAILED, "No relay was given");
      else if (self->relays->len > 1)
        g_prefix_error (&error, "No relay could be used (%s). Last: ", op->errors->str);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  srv_name = msrp_relay_srv_name (op_relay (self, op));
  if (srv_name == NULL)
    {
      op->targets = msrp_relay_targets (op_relay (self, op), NULL);
      op->target = 0;
      try_target (task);
      return;
    }
  {
    g_autoptr(GResolver) resolver = g_resolver_get_default ();
    MsrpUri *relay = op_relay (self, op);

    g_resolver_lookup_service_async (resolver, msrp_uri_get_scheme (relay), "tcp",
                                     msrp_uri_get_host (relay), g_task_get_cancellable (task),
                                     srv_looked_up, task);
  }
}

/**
 * msrp_relay_client_connect_async:
 * @client: a #MsrpRelayClient not connected yet
 * @session_id: the session-id of the client's own URI
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when a relay granted AUTH or none did
 * @user_data: data for @callback
 *
 * Connects to the first relay that can be reached and authenticates with
 * it; when either fails, the next relay is tried. On success the
 * connection, the `Use-Path` and the local path are available from
 * @client, which refreshes the authentication from then on.
 */
void
msrp_relay_client_connect_async (MsrpRelayClient     *client,
                                 const char          *session_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  ConnectOp *op;

  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));
  g_return_if_fail (session_id != NULL && *session_id != '\0');

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_relay_client_connect_async);
  if (client->busy || client->transport != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "The relay client is already connected");
      g_object_unref (task);
      return;
    }
  op = g_new0 (ConnectOp, 1);
  op->session_id = g_strdup (session_id);
  op->errors = g_string_new (NULL);
  g_task_set_task_data (task, op, (GDestroyNotify) connect_op_free);
  client->busy = TRUE;
  try_relay (task);
}

/**
 * msrp_relay_client_connect_finish:
 * @client: a #MsrpRelayClient
 * @result: the #GAsyncResult of msrp_relay_client_connect_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_relay_client_connect_async().
 *
 * Returns: %TRUE when connected and authenticated; %FALSE with @error set
 *   as msrp_relay_client_authenticate_finish() says, or with the
 *   connection's error; with several relays, the error of the last one,
 *   its message naming what went wrong with each
 */
gboolean
msrp_relay_client_connect_finish (MsrpRelayClient  *client,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the object ---- */

static void
msrp_relay_client_init (MsrpRelayClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->relays = msrp_path_new ();
  self->cancellable = g_cancellable_new ();
}

/* Made with g_object_new() and no settings: empty ones, so that the
 * settings are always there (a relay that challenges then fails AUTH). */
static void
msrp_relay_client_constructed (GObject *object)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (object);

  G_OBJECT_CLASS (msrp_relay_client_parent_class)->constructed (object);
  if (self->settings == NULL)
    self->settings = g_object_new (MSRP_TYPE_RELAY_SETTINGS, NULL);
}

static void
msrp_relay_client_dispose (GObject *object)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (object);

  stop_refresh (self);
  g_cancellable_cancel (self->cancellable);
  unwatch_transport (self);
  g_clear_object (&self->transport);

  G_OBJECT_CLASS (msrp_relay_client_parent_class)->dispose (object);
}

static void
msrp_relay_client_finalize (GObject *object)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (object);

  g_clear_object (&self->settings);
  g_ptr_array_unref (self->relays);
  g_free (self->tls_fingerprint);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->tls_credentials);
  g_free (self->advertised_host);
  g_clear_pointer (&self->relay_uri, msrp_uri_unref);
  g_clear_pointer (&self->local_uri, msrp_uri_unref);
  g_clear_pointer (&self->use_path, g_ptr_array_unref);
  g_clear_pointer (&self->challenge, msrp_digest_challenge_unref);
  g_clear_object (&self->cancellable);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (msrp_relay_client_parent_class)->finalize (object);
}

static void
msrp_relay_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_EXPIRES:
      g_value_set_uint (value, self->expires);
      break;
    case PROP_TLS_FINGERPRINT:
      g_value_set_string (value, self->tls_fingerprint);
      break;
    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;
    case PROP_TLS_CREDENTIALS:
      g_value_set_object (value, self->tls_credentials);
      break;
    case PROP_ADVERTISED_HOST:
      g_value_set_string (value, self->advertised_host);
      break;
    case PROP_TRANSPORT:
      g_value_set_object (value, self->transport);
      break;
    case PROP_USE_PATH:
      g_value_set_boxed (value, self->use_path);
      break;
    case PROP_GRANTED_EXPIRES:
      g_value_set_uint (value, self->granted_expires);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_relay_client_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MsrpRelayClient *self = MSRP_RELAY_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      if (self->settings != NULL && msrp_relay_settings_get_uri (self->settings) != NULL)
        g_ptr_array_add (self->relays, msrp_uri_ref (msrp_relay_settings_get_uri (self->settings)));
      break;
    case PROP_EXPIRES:
      msrp_relay_client_set_expires (self, g_value_get_uint (value));
      break;
    case PROP_TLS_FINGERPRINT:
      msrp_relay_client_set_tls_fingerprint (self, g_value_get_string (value));
      break;
    case PROP_TLS_DATABASE:
      msrp_relay_client_set_tls_database (self, g_value_get_object (value));
      break;
    case PROP_TLS_CREDENTIALS:
      msrp_relay_client_set_tls_credentials (self, g_value_get_object (value));
      break;
    case PROP_ADVERTISED_HOST:
      msrp_relay_client_set_advertised_host (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_relay_client_class_init (MsrpRelayClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msrp_relay_client_constructed;
  object_class->dispose = msrp_relay_client_dispose;
  object_class->finalize = msrp_relay_client_finalize;
  object_class->get_property = msrp_relay_client_get_property;
  object_class->set_property = msrp_relay_client_set_property;

  /**
   * MsrpRelayClient:settings:
   *
   * The first relay to try (more are added with
   * msrp_relay_client_add_relay()) and the credentials for all of them.
   */
  props[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, MSRP_TYPE_RELAY_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:expires:
   *
   * The lifetime in seconds to ask for in each AUTH, or 0 (the default) to
   * send no Expires and let the relay choose, which is what stock Kamailio
   * configurations need.
   */
  props[PROP_EXPIRES] =
    g_param_spec_uint ("expires", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:tls-fingerprint:
   *
   * The fingerprint (`sha-256 AB:…`) an `msrps:` relay's certificate must
   * have, instead of a check against certificate authorities.
   */
  props[PROP_TLS_FINGERPRINT] =
    g_param_spec_string ("tls-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:tls-database:
   *
   * The certificate authorities an `msrps:` relay's certificate is checked
   * against, or %NULL for the system's.
   */
  props[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL, G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:tls-credentials:
   *
   * The certificate to present to an `msrps:` relay that asks for one.
   */
  props[PROP_TLS_CREDENTIALS] =
    g_param_spec_object ("tls-credentials", NULL, NULL, MSRP_TYPE_TLS_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:advertised-host:
   *
   * The host of the client's own URI, instead of the local address of the
   * relay connection.
   */
  props[PROP_ADVERTISED_HOST] =
    g_param_spec_string ("advertised-host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:transport:
   *
   * The authenticated connection to the relay, or %NULL before.
   */
  props[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, MSRP_TYPE_TRANSPORT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:use-path: (type GPtrArray(MsrpUri))
   *
   * The `Use-Path` of the relay's last grant. A relay may give a new one on
   * each refresh (Kamailio's `msrp_cmap_save()` does; the old one lives
   * until its own Expires).
   */
  props[PROP_USE_PATH] =
    g_param_spec_boxed ("use-path", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpRelayClient:granted-expires:
   *
   * The lifetime in seconds of the relay's last grant.
   */
  props[PROP_GRANTED_EXPIRES] =
    g_param_spec_uint ("granted-expires", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * MsrpRelayClient::transport-created:
   * @client: the relay client
   * @transport: the new transport
   *
   * Emitted when @client opened a connection to a relay (after the TLS
   * handshake), before it sends AUTH on it: connect to the transport's
   * frame signals here to trace every frame.
   */
  signals[SIGNAL_TRANSPORT_CREATED] =
    g_signal_new ("transport-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MSRP_TYPE_TRANSPORT);
}

/**
 * msrp_relay_client_new:
 * @settings: the relay (an `msrp:` or `msrps:` URI without a session-id)
 *   and the credentials for it
 *
 * Makes a client for the relay of @settings; nothing is sent until
 * msrp_relay_client_connect_async().
 *
 * Returns: (transfer full): a new #MsrpRelayClient
 */
MsrpRelayClient *
msrp_relay_client_new (MsrpRelaySettings *settings)
{
  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);

  return g_object_new (MSRP_TYPE_RELAY_CLIENT, "settings", settings, NULL);
}

/**
 * msrp_relay_client_get_settings:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:settings].
 *
 * Returns: (transfer none): the settings @client was made with
 */
MsrpRelaySettings *
msrp_relay_client_get_settings (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->settings;
}

/**
 * msrp_relay_client_get_relays:
 * @client: a #MsrpRelayClient
 *
 * Gets the relays @client tries, in order.
 *
 * Returns: (transfer none) (element-type MsrpUri): the relay URIs
 */
GPtrArray *
msrp_relay_client_get_relays (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->relays;
}

/**
 * msrp_relay_client_add_relay:
 * @client: a #MsrpRelayClient
 * @relay_uri: another relay, tried when the ones before it fail
 *
 * Adds a relay to try after the others, with the same credentials.
 */
void
msrp_relay_client_add_relay (MsrpRelayClient *client,
                             MsrpUri         *relay_uri)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));
  g_return_if_fail (relay_uri != NULL);

  g_ptr_array_add (client->relays, msrp_uri_ref (relay_uri));
}

/**
 * msrp_relay_client_get_expires:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:expires].
 *
 * Returns: the lifetime asked for, 0 for the relay's choice
 */
guint
msrp_relay_client_get_expires (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), 0);
  return client->expires;
}

/**
 * msrp_relay_client_set_expires:
 * @client: a #MsrpRelayClient
 * @seconds: the lifetime to ask for, 0 for the relay's choice
 *
 * Sets [property@Msrp.RelayClient:expires].
 */
void
msrp_relay_client_set_expires (MsrpRelayClient *client,
                               guint            seconds)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));

  if (client->expires == seconds)
    return;
  client->expires = seconds;
  g_object_notify_by_pspec (G_OBJECT (client), props[PROP_EXPIRES]);
}

/**
 * msrp_relay_client_get_tls_fingerprint:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:tls-fingerprint].
 *
 * Returns: (nullable): the fingerprint the relay's certificate must have
 */
const char *
msrp_relay_client_get_tls_fingerprint (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->tls_fingerprint;
}

/**
 * msrp_relay_client_set_tls_fingerprint:
 * @client: a #MsrpRelayClient
 * @fingerprint: (nullable): the fingerprint the relay's certificate must
 *   have, as an SDP `a=fingerprint` value; %NULL to check the certificate
 *   against certificate authorities
 *
 * Sets [property@Msrp.RelayClient:tls-fingerprint].
 */
void
msrp_relay_client_set_tls_fingerprint (MsrpRelayClient *client,
                                       const char      *fingerprint)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));

  if (msrp_set_str (&client->tls_fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (client), props[PROP_TLS_FINGERPRINT]);
}

/**
 * msrp_relay_client_get_tls_database:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:tls-database].
 *
 * Returns: (nullable) (transfer none): the certificate authorities, or
 *   %NULL for the system's
 */
GTlsDatabase *
msrp_relay_client_get_tls_database (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->tls_database;
}

/**
 * msrp_relay_client_set_tls_database:
 * @client: a #MsrpRelayClient
 * @database: (nullable): the certificate authorities, or %NULL for the
 *   system's
 *
 * Sets [property@Msrp.RelayClient:tls-database].
 */
void
msrp_relay_client_set_tls_database (MsrpRelayClient *client,
                                    GTlsDatabase    *database)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (g_set_object (&client->tls_database, database))
    g_object_notify_by_pspec (G_OBJECT (client), props[PROP_TLS_DATABASE]);
}

/**
 * msrp_relay_client_get_tls_credentials:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:tls-credentials].
 *
 * Returns: (nullable) (transfer none): the client's certificate
 */
MsrpTlsCredentials *
msrp_relay_client_get_tls_credentials (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->tls_credentials;
}

/**
 * msrp_relay_client_set_tls_credentials:
 * @client: a #MsrpRelayClient
 * @credentials: (nullable): the certificate to present, or %NULL for none
 *
 * Sets [property@Msrp.RelayClient:tls-credentials].
 */
void
msrp_relay_client_set_tls_credentials (MsrpRelayClient    *client,
                                       MsrpTlsCredentials *credentials)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));
  g_return_if_fail (credentials == NULL || MSRP_IS_TLS_CREDENTIALS (credentials));

  if (g_set_object (&client->tls_credentials, credentials))
    g_object_notify_by_pspec (G_OBJECT (client), props[PROP_TLS_CREDENTIALS]);
}

/**
 * msrp_relay_client_get_advertised_host:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:advertised-host].
 *
 * Returns: (nullable): the host of the client's own URI, if set
 */
const char *
msrp_relay_client_get_advertised_host (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->advertised_host;
}

/**
 * msrp_relay_client_set_advertised_host:
 * @client: a #MsrpRelayClient
 * @host: (nullable): the host of the client's own URI, or %NULL for the
 *   local address of the relay connection
 *
 * Sets [property@Msrp.RelayClient:advertised-host].
 */
void
msrp_relay_client_set_advertised_host (MsrpRelayClient *client,
                                       const char      *host)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));

  if (msrp_set_str (&client->advertised_host, host))
    g_object_notify_by_pspec (G_OBJECT (client), props[PROP_ADVERTISED_HOST]);
}

/**
 * msrp_relay_client_get_transport:
 * @client: a #MsrpRelayClient
 *
 * Gets the authenticated connection to the relay.
 *
 * Returns: (nullable) (transfer none): the transport, or %NULL before the
 *   relay granted AUTH
 */
MsrpTransport *
msrp_relay_client_get_transport (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->transport;
}

/**
 * msrp_relay_client_get_relay_uri:
 * @client: a #MsrpRelayClient
 *
 * Gets the URI of the relay that granted AUTH.
 *
 * Returns: (nullable) (transfer none): the relay's URI, or %NULL before
 */
MsrpUri *
msrp_relay_client_get_relay_uri (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->relay_uri;
}

/**
 * msrp_relay_client_get_local_uri:
 * @client: a #MsrpRelayClient
 *
 * Gets the client's own URI: the last URI of its path.
 *
 * Returns: (nullable) (transfer none): the URI, or %NULL before the relay
 *   granted AUTH
 */
MsrpUri *
msrp_relay_client_get_local_uri (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->local_uri;
}

/**
 * msrp_relay_client_get_use_path:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:use-path].
 *
 * Returns: (nullable) (transfer none) (element-type MsrpUri): the
 *   `Use-Path` granted, or %NULL before
 */
GPtrArray *
msrp_relay_client_get_use_path (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);
  return client->use_path;
}

/**
 * msrp_relay_client_get_local_path:
 * @client: a #MsrpRelayClient
 *
 * Gets the client's full path for SDP `a=path`: the `Use-Path`, then the
 * client's own URI.
 *
 * Returns: (nullable) (transfer container) (element-type MsrpUri): the
 *   path, or %NULL before the relay granted AUTH. The array frees its URIs:
 *   unref it, no more
 */
GPtrArray *
msrp_relay_client_get_local_path (MsrpRelayClient *client)
{
  GPtrArray *path;

  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), NULL);

  if (client->use_path == NULL)
    return NULL;
  path = msrp_path_copy (client->use_path);
  g_ptr_array_add (path, msrp_uri_ref (client->local_uri));
  return path;
}

/**
 * msrp_relay_client_get_granted_expires:
 * @client: a #MsrpRelayClient
 *
 * Gets [property@Msrp.RelayClient:granted-expires].
 *
 * Returns: the lifetime of the last grant in seconds, 0 before
 */
guint
msrp_relay_client_get_granted_expires (MsrpRelayClient *client)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CLIENT (client), 0);
  return client->granted_expires;
}

/**
 * msrp_relay_client_close:
 * @client: a #MsrpRelayClient
 *
 * Stops refreshing and closes the relay connection (writing out what is
 * queued); the sessions on it close. Does nothing when not connected.
 */
void
msrp_relay_client_close (MsrpRelayClient *client)
{
  g_return_if_fail (MSRP_IS_RELAY_CLIENT (client));

  stop_refresh (client);
  g_cancellable_cancel (client->cancellable);
  if (client->transport != NULL && !msrp_transport_is_closed (client->transport))
    msrp_transport_close_async (client->transport, NULL, NULL, NULL);
}
