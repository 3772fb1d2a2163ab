/* msrp-server.c: many MSRP sessions on one listening port
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-server.h"
#include "msrp-enums.h"
#include "msrp-error.h"
#include "msrp-frame-private.h"
#include "msrp-listener.h"
#include "msrp-session-private.h"
#include "msrp-string-private.h"

/**
 * MsrpServer:
 *
 * Many MSRP sessions on one listening port, as a conference server or a
 * gateway runs them.
 *
 * msrp_server_add_session() makes a session with a fresh session-id and
 * its local path (for SDP `a=path`); the session has no connection yet:
 * messages sent on it wait. An incoming connection is bound to the session
 * named in the To-Path of a request the session accepts: the first one it
 * answers 200 (or takes without an answer); a request it refuses binds
 * nothing. A request for a session the server does not have is answered
 * 481, one for a session bound to another connection 506, and the
 * connection stays usable for other requests either way. Several sessions
 * may share one connection: the sessions of an #MsrpServer never close
 * their connection ([property@Msrp.Session:owns-transport] is %FALSE); the
 * server closes a connection when no session has been bound on it for
 * [property@Msrp.Server:bind-timeout] seconds, and drops connections that
 * never bind one just the same.
 *
 * For an `msrps:` listening URI every connection runs TLS, with
 * [property@Msrp.Server:credentials] (made self-signed when none are
 * given). A session added with the peer's `a=fingerprint` binds only to a
 * connection whose client certificate matches it (else 403).
 *
 * A session that closes (msrp_session_close_async(), its connection
 * failing) leaves the server.
 */

typedef struct {
  MsrpServer *server;
  MsrpSession *session;
  char *remote_fingerprint;
  MsrpTransport *transport;  /* the connection the session is bound to */
  gulong closed_id;
  gulong notify_id;
} Entry;

struct _MsrpServer
{
  GObject parent_instance;

  MsrpUri *listen_uri;
  MsrpUri *local_uri;
  char *advertised_host;
  MsrpTlsCredentials *credentials;
  guint bind_timeout;
  MsrpSessionMatching matching;
  MsrpListener *listener;
  GHashTable *sessions;      /* session-id → Entry */
};

static void msrp_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MsrpServer, msrp_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      msrp_server_initable_iface_init))

enum {
  PROP_0,
  PROP_LISTEN_URI,
  PROP_LOCAL_URI,
  PROP_ADVERTISED_HOST,
  PROP_CREDENTIALS,
  PROP_FINGERPRINT,
  PROP_BIND_TIMEOUT,
  PROP_MATCHING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_SESSION_BOUND,
  SIGNAL_TRANSPORT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_signal_handler_disconnect (entry->session, entry->closed_id);
  g_signal_handler_disconnect (entry->session, entry->notify_id);
  if (entry->transport != NULL && entry->server->listener != NULL)
    msrp_listener_release (entry->server->listener, entry->transport);
  g_clear_object (&entry->transport);
  g_object_unref (entry->session);
  g_free (entry->remote_fingerprint);
  g_free (entry);
}

static void
on_session_closed (MsrpSession *session, const GError *error, gpointer user_data)
{
  Entry *entry = user_data;

  g_hash_table_remove (entry->server->sessions, msrp_session_get_session_id (session));
}

static void
on_listener_transport (MsrpListener *listener, MsrpTransport *transport, gpointer user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_TRANSPORT_CREATED], 0, transport);
}

static void
on_session_transport (MsrpSession *session, GParamSpec *pspec, gpointer user_data)
{
  Entry *entry = user_data;
  MsrpServer *self = entry->server;
  MsrpTransport *transport = msrp_session_get_transport (session);

  if (transport == NULL || transport == entry->transport)
    return;
  entry->transport = g_object_ref (transport);
  msrp_listener_hold (self->listener, transport);
  g_signal_emit (self, signals[SIGNAL_SESSION_BOUND], 0, session);
}

static gboolean
peer_matches (MsrpTransport *transport, const char *fingerprint)
{
  GIOStream *stream = msrp_transport_get_stream (transport);
  GTlsCertificate *peer;
  g_autoptr(GError) error = NULL;

  if (fingerprint == NULL || !G_IS_TLS_CONNECTION (stream))
    return TRUE;
  peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (stream));
  if (peer != NULL && msrp_tls_fingerprint_matches (fingerprint, peer, &error))
    return TRUE;
  g_debug ("client certificate refused: %s", error ? error->message : "none presented");
  return FALSE;
}

static gboolean
on_unbound_request (MsrpListener  *listener,
                    MsrpTransport *transport,
                    MsrpFrame     *head,
                    guint         *status,
                    gpointer       user_data)
{
  MsrpServer *self = user_data;
  GPtrArray *to_path = msrp_frame_peek_path (head, MSRP_PATH_TO);
  Entry *entry;

  *status = 481;
  if (to_path == NULL || to_path->len == 0)
    return FALSE;
  entry = g_hash_table_lookup (self->sessions,
                               msrp_uri_get_session_id (g_ptr_array_index (to_path, 0)));
  if (entry == NULL || msrp_session_is_closed (entry->session))
    return FALSE;
  if (msrp_session_peek_transport (entry->session) != NULL)
    {
      *status = 506;
      return FALSE;
    }
  if (!peer_matches (transport, entry->remote_fingerprint))
    {
      *status = 403;
      return FALSE;
    }
  return msrp_session_attach (entry->session, transport, TRUE, NULL);
}

static void
update_local_uri (MsrpServer *self)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *advertised = NULL;

  msrp_listener_resolve_host (msrp_uri_get_host (self->listen_uri), self->advertised_host,
                              &address, &advertised);
  g_clear_pointer (&self->local_uri, msrp_uri_unref);
  self->local_uri = msrp_uri_new (msrp_uri_is_secure (self->listen_uri), advertised,
                                  msrp_listener_get_port (self->listener), NULL,
                                  msrp_uri_get_transport (self->listen_uri));
}

static gboolean
msrp_server_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  MsrpServer *self = MSRP_SERVER (initable);
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *advertised = NULL;
  gboolean secure = msrp_uri_is_secure (self->listen_uri);
  int port = msrp_uri_get_port (self->listen_uri);

  if (secure && self->credentials == NULL)
    {
      self->credentials = msrp_tls_credentials_new_self_signed (NULL, error);
      if (self->credentials == NULL)
        return FALSE;
    }
  msrp_listener_resolve_host (msrp_uri_get_host (self->listen_uri), NULL, &address, &advertised);
  self->listener = msrp_listener_new (address, port >= 0 ? port : MSRP_DEFAULT_PORT,
                                      secure ? self->credentials : NULL, NULL, error);
  if (self->listener == NULL)
    return FALSE;
  msrp_listener_set_bind_timeout (self->listener, self->bind_timeout);
  g_signal_connect_object (self->listener, "transport-created", G_CALLBACK (on_listener_transport),
                           self, G_CONNECT_DEFAULT);
  update_local_uri (self);
  msrp_listener_start (self->listener, on_unbound_request, self);
  return TRUE;
}

static void
msrp_server_initable_iface_init (GInitableIface *iface)
{
  iface->init = msrp_server_initable_init;
}

static void
msrp_server_init (MsrpServer *self)
{
  self->bind_timeout = MSRP_SERVER_DEFAULT_BIND_TIMEOUT;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) entry_free);
}

static void
msrp_server_dispose (GObject *object)
{
  msrp_server_close (MSRP_SERVER (object));
  G_OBJECT_CLASS (msrp_server_parent_class)->dispose (object);
}

static void
msrp_server_finalize (GObject *object)
{
  MsrpServer *self = MSRP_SERVER (object);

  g_hash_table_unref (self->sessions);
  g_clear_object (&self->listener);
  g_clear_pointer (&self->listen_uri, msrp_uri_unref);
  g_clear_pointer (&self->local_uri, msrp_uri_unref);
  g_free (self->advertised_host);
  g_clear_object (&self->credentials);
  G_OBJECT_CLASS (msrp_server_parent_class)->finalize (object);
}

static void
msrp_server_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MsrpServer *self = MSRP_SERVER (object);

  switch (prop_id)
    {
    case PROP_LISTEN_URI:
      g_value_set_boxed (value, self->listen_uri);
      break;
    case PROP_LOCAL_URI:
      g_value_set_boxed (value, self->local_uri);
      break;
    case PROP_ADVERTISED_HOST:
      g_value_set_string (value, self->advertised_host);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, msrp_server_get_fingerprint (self));
      break;
    case PROP_BIND_TIMEOUT:
      g_value_set_uint (value, self->bind_timeout);
      break;
    case PROP_MATCHING:
      g_value_set_enum (value, self->matching);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_server_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MsrpServer *self = MSRP_SERVER (object);

  switch (prop_id)
    {
    case PROP_LISTEN_URI:
      self->listen_uri = g_value_dup_boxed (value);
      break;
    case PROP_ADVERTISED_HOST:
      msrp_server_set_advertised_host (self, g_value_get_string (value));
      break;
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;
    case PROP_BIND_TIMEOUT:
      msrp_server_set_bind_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MATCHING:
      msrp_server_set_matching (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_server_class_init (MsrpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = msrp_server_dispose;
  object_class->finalize = msrp_server_finalize;
  object_class->get_property = msrp_server_get_property;
  object_class->set_property = msrp_server_set_property;

  /**
   * MsrpServer:listen-uri:
   *
   * Where the server listens: scheme (`msrps` for TLS), host (an address;
   * a wildcard or a name listens on every address, IPv6 and IPv4) and port
   * (0 for any free one).
   */
  props[PROP_LISTEN_URI] =
    g_param_spec_boxed ("listen-uri", NULL, NULL, MSRP_TYPE_URI,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:local-uri:
   *
   * The URI sessions' local paths are made of, without a session-id: the
   * advertised host and the port the server really listens on.
   */
  props[PROP_LOCAL_URI] =
    g_param_spec_boxed ("local-uri", NULL, NULL, MSRP_TYPE_URI,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:advertised-host:
   *
   * The host to put in local paths instead of the listening address (a
   * public address or a name); %NULL for the listening host, or the
   * address of the default route when that is a wildcard. Applies to
   * sessions added after the change.
   */
  props[PROP_ADVERTISED_HOST] =
    g_param_spec_string ("advertised-host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:credentials:
   *
   * The certificate of an `msrps:` server.
   */
  props[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, MSRP_TYPE_TLS_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:fingerprint:
   *
   * The SDP `a=fingerprint` value of an `msrps:` server's certificate,
   * %NULL for `msrp:`.
   */
  props[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:bind-timeout:
   *
   * Seconds a connection may go without a session bound on it (from when
   * it is accepted, or its last session left) before the server closes
   * it; 0 keeps such connections for ever.
   */
  props[PROP_BIND_TIMEOUT] =
    g_param_spec_uint ("bind-timeout", NULL, NULL, 0, G_MAXUINT32 / 1000,
                       MSRP_SERVER_DEFAULT_BIND_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpServer:matching:
   *
   * The [property@Msrp.Session:matching] of sessions added from now on.
   */
  props[PROP_MATCHING] =
    g_param_spec_enum ("matching", NULL, NULL, MSRP_TYPE_SESSION_MATCHING,
                       MSRP_SESSION_MATCHING_STRICT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * MsrpServer::session-bound:
   * @server: the server
   * @session: the session
   *
   * A connection was bound to @session: its
   * [property@Msrp.Session:transport] is set, and messages waiting on it
   * go out.
   */
  signals[SIGNAL_SESSION_BOUND] =
    g_signal_new ("session-bound", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MSRP_TYPE_SESSION);

  /**
   * MsrpServer::transport-created:
   * @server: the server
   * @transport: the new transport
   *
   * Emitted for every connection the server accepts (after the TLS
   * handshake on `msrps:`), before its transport reads or sends anything.
   * Connect to its [signal@Msrp.Transport::frame-received] and
   * [signal@Msrp.Transport::frame-sent] here to trace every frame,
   * including those of connections that never bind a session.
   */
  signals[SIGNAL_TRANSPORT_CREATED] =
    g_signal_new ("transport-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MSRP_TYPE_TRANSPORT);
}

/**
 * msrp_server_new:
 * @listen_uri: where to listen (see [property@Msrp.Server:listen-uri]),
 *   without a session-id
 * @credentials: (nullable): the certificate of an `msrps:` server, or
 *   %NULL to have a self-signed one made; unused for `msrp:`
 * @error: return location for a #GError
 *
 * Makes a server and starts listening.
 *
 * Returns: (transfer full) (nullable): the server, or %NULL with @error set
 *   when the address cannot be bound or the certificate cannot be made
 */
MsrpServer *
msrp_server_new (MsrpUri             *listen_uri,
                 MsrpTlsCredentials  *credentials,
                 GError             **error)
{
  g_return_val_if_fail (listen_uri != NULL, NULL);
  g_return_val_if_fail (credentials == NULL || MSRP_IS_TLS_CREDENTIALS (credentials), NULL);

  return g_initable_new (MSRP_TYPE_SERVER, NULL, error,
                         "listen-uri", listen_uri,
                         "credentials", credentials,
                         NULL);
}

/**
 * msrp_server_get_listen_uri:
 * @server: a #MsrpServer
 *
 * Gets where @server listens, as it was asked to.
 *
 * Returns: (transfer none): [property@Msrp.Server:listen-uri]
 */
MsrpUri *
msrp_server_get_listen_uri (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);
  return server->listen_uri;
}

/**
 * msrp_server_get_local_uri:
 * @server: a #MsrpServer
 *
 * Gets the URI local paths are made of, with the real port.
 *
 * Returns: (transfer none): [property@Msrp.Server:local-uri]
 */
MsrpUri *
msrp_server_get_local_uri (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);
  return server->local_uri;
}

/**
 * msrp_server_get_advertised_host:
 * @server: a #MsrpServer
 *
 * Gets the host put in local paths, when one was set.
 *
 * Returns: (nullable): [property@Msrp.Server:advertised-host]
 */
const char *
msrp_server_get_advertised_host (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);
  return server->advertised_host;
}

/**
 * msrp_server_set_advertised_host:
 * @server: a #MsrpServer
 * @host: (nullable): a host name or address
 *
 * Sets [property@Msrp.Server:advertised-host].
 */
void
msrp_server_set_advertised_host (MsrpServer *server,
                                 const char *host)
{
  g_return_if_fail (MSRP_IS_SERVER (server));

  if (!msrp_set_str (&server->advertised_host, host))
    return;
  if (server->listener != NULL)
    {
      update_local_uri (server);
      g_object_notify_by_pspec (G_OBJECT (server), props[PROP_LOCAL_URI]);
    }
  g_object_notify_by_pspec (G_OBJECT (server), props[PROP_ADVERTISED_HOST]);
}

/**
 * msrp_server_get_credentials:
 * @server: a #MsrpServer
 *
 * Gets the certificate of an `msrps:` server.
 *
 * Returns: (transfer none) (nullable): [property@Msrp.Server:credentials]
 */
MsrpTlsCredentials *
msrp_server_get_credentials (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);
  return server->credentials;
}

/**
 * msrp_server_get_fingerprint:
 * @server: a #MsrpServer
 *
 * Gets the SDP `a=fingerprint` value of an `msrps:` server.
 *
 * Returns: (nullable): [property@Msrp.Server:fingerprint]
 */
const char *
msrp_server_get_fingerprint (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);

  if (server->credentials == NULL || !msrp_uri_is_secure (server->listen_uri))
    return NULL;
  return msrp_tls_credentials_get_fingerprint (server->credentials);
}

/**
 * msrp_server_get_bind_timeout:
 * @server: a #MsrpServer
 *
 * Gets how long a connection may go without a session.
 *
 * Returns: [property@Msrp.Server:bind-timeout] in seconds
 */
guint
msrp_server_get_bind_timeout (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), 0);
  return server->bind_timeout;
}

/**
 * msrp_server_set_bind_timeout:
 * @server: a #MsrpServer
 * @seconds: seconds a connection may go without a session, 0 for ever
 *
 * Sets [property@Msrp.Server:bind-timeout]; the time of connections
 * already waiting starts again.
 */
void
msrp_server_set_bind_timeout (MsrpServer *server,
                              guint       seconds)
{
  g_return_if_fail (MSRP_IS_SERVER (server));

  if (server->bind_timeout == seconds)
    return;
  server->bind_timeout = seconds;
  if (server->listener != NULL)
    msrp_listener_set_bind_timeout (server->listener, seconds);
  g_object_notify_by_pspec (G_OBJECT (server), props[PROP_BIND_TIMEOUT]);
}

/**
 * msrp_server_get_matching:
 * @server: a #MsrpServer
 *
 * Gets the matching rule of new sessions.
 *
 * Returns: [property@Msrp.Server:matching]
 */
MsrpSessionMatching
msrp_server_get_matching (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), MSRP_SESSION_MATCHING_STRICT);
  return server->matching;
}

/**
 * msrp_server_set_matching:
 * @server: a #MsrpServer
 * @matching: how requests are matched to new sessions
 *
 * Sets [property@Msrp.Server:matching].
 */
void
msrp_server_set_matching (MsrpServer          *server,
                          MsrpSessionMatching  matching)
{
  g_return_if_fail (MSRP_IS_SERVER (server));

  if (server->matching == matching)
    return;
  server->matching = matching;
  g_object_notify_by_pspec (G_OBJECT (server), props[PROP_MATCHING]);
}

/**
 * msrp_server_add_session:
 * @server: a #MsrpServer
 * @remote_path: (nullable) (element-type MsrpUri): the peer's path (its
 *   `a=path`), or %NULL to take any From-Path and learn the peer's path
 *   from the request that binds the session
 * @remote_fingerprint: (nullable): for an `msrps:` server, the peer's
 *   `a=fingerprint`: only a connection whose client certificate matches it
 *   binds the session; %NULL for any
 *
 * Makes a session with a fresh session-id; its local path
 * (msrp_session_get_local_path()) is what to put in SDP `a=path`. The
 * session is bound to a connection later (see [class@Msrp.Server]); the
 * server keeps it until it closes or msrp_server_remove_session().
 *
 * Returns: (transfer full): the new session
 */
MsrpSession *
msrp_server_add_session (MsrpServer *server,
                         GPtrArray  *remote_path,
                         const char *remote_fingerprint)
{
  g_autofree char *session_id = NULL;
  g_autoptr(GPtrArray) local_path = NULL;
  Entry *entry;

  g_return_val_if_fail (MSRP_IS_SERVER (server), NULL);
  g_return_val_if_fail (server->listener != NULL, NULL);

  session_id = msrp_generate_id ();
  local_path = msrp_path_new ();
  g_ptr_array_add (local_path, msrp_uri_with_session_id (server->local_uri, session_id));
  entry = g_new0 (Entry, 1);
  entry->server = server;
  entry->session = msrp_session_new (NULL, local_path, remote_path, NULL);
  entry->remote_fingerprint = g_strdup (remote_fingerprint);
  msrp_session_set_matching (entry->session, server->matching);
  g_object_set (entry->session, "owns-transport", FALSE, NULL);
  entry->closed_id = g_signal_connect (entry->session, "closed",
                                       G_CALLBACK (on_session_closed), entry);
  entry->notify_id = g_signal_connect (entry->session, "notify::transport",
                                       G_CALLBACK (on_session_transport), entry);
  g_hash_table_insert (server->sessions, g_steal_pointer (&session_id), entry);
  return g_object_ref (entry->session);
}

/**
 * msrp_server_remove_session:
 * @server: a #MsrpServer
 * @session: a session of @server
 *
 * Closes @session (as msrp_session_close_async() does: its pending sends
 * fail) and forgets it. Its connection stays for the other sessions on it,
 * or until the bind timeout when it has no other. Does nothing when
 * @session is not the server's (any more).
 */
void
msrp_server_remove_session (MsrpServer  *server,
                            MsrpSession *session)
{
  Entry *entry;

  g_return_if_fail (MSRP_IS_SERVER (server));
  g_return_if_fail (MSRP_IS_SESSION (session));

  entry = g_hash_table_lookup (server->sessions, msrp_session_get_session_id (session));
  if (entry == NULL || entry->session != session)
    return;
  g_object_ref (session);
  /* Closing emits ::closed, which removes the entry. */
  msrp_session_close_async (session, NULL, NULL, NULL);
  g_hash_table_remove (server->sessions, msrp_session_get_session_id (session));
  g_object_unref (session);
}

/**
 * msrp_server_get_n_sessions:
 * @server: a #MsrpServer
 *
 * Counts the sessions of @server.
 *
 * Returns: how many sessions the server has, bound or not
 */
guint
msrp_server_get_n_sessions (MsrpServer *server)
{
  g_return_val_if_fail (MSRP_IS_SERVER (server), 0);
  return g_hash_table_size (server->sessions);
}

/**
 * msrp_server_close:
 * @server: a #MsrpServer
 *
 * Stops listening, closes every session (as
 * msrp_server_remove_session() does) and every connection. The server
 * cannot be used afterwards. Disposing of it does the same.
 */
void
msrp_server_close (MsrpServer *server)
{
  g_autoptr(GList) sessions = NULL;

  g_return_if_fail (MSRP_IS_SERVER (server));

  sessions = g_hash_table_get_values (server->sessions);
  for (GList *l = sessions; l != NULL; l = l->next)
    l->data = g_object_ref (((Entry *) l->data)->session);
  for (GList *l = sessions; l != NULL; l = l->next)
    {
      msrp_server_remove_session (server, l->data);
      g_object_unref (l->data);
    }
  if (server->listener != NULL)
    msrp_listener_close (server->listener);
}
