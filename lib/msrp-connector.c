/* msrp-connector.c: making the connection of an MSRP session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-connector-private.h"
#include "msrp-direct-connector.h"
#include "msrp-relay-connector.h"
#include "msrp-enums.h"
#include "msrp-error.h"
#include "msrp-frame.h"
#include "msrp-session-private.h"
#include "msrp-frame-private.h"
#include "msrp-string-private.h"

/**
 * MsrpConnector:
 *
 * Makes the connection an MSRP session runs on, in two steps that frame
 * the SDP offer/answer exchange (RFC 4975 §5.4):
 *
 * 1. [method@Msrp.Connector.prepare_async] binds what the local end needs
 *    and gives its full local path, for SDP `a=path`;
 * 2. [method@Msrp.Connector.complete_async], given the peer's path from
 *    its `a=path`, makes the connection and returns the #MsrpSession on it.
 *
 * [class@Msrp.DirectConnector] is the active end: it connects to the first
 * URI of the peer's path and binds the session with a bodiless SEND.
 * [class@Msrp.DirectAcceptor] is the passive end: it listens until a
 * connection binds the session. msrp_get_connector() and
 * msrp_get_acceptor() pick the class; msrp_get_connector_for_sdp() and
 * msrp_connector_negotiate() pick the role from SDP `a=setup` (RFC 6135)
 * or, without one, by the RFC 4975 rule that the offerer connects.
 *
 * For `msrps:` URIs the connection runs TLS. The connector presents
 * [property@Msrp.Connector:credentials] (a self-signed certificate is made
 * at prepare time when none was given: put
 * [property@Msrp.Connector:fingerprint] in SDP `a=fingerprint`) and
 * accepts the peer only with the certificate
 * [property@Msrp.Connector:remote-fingerprint] describes (the peer's
 * `a=fingerprint`).
 *
 * A connector makes one session. It is kept by that session, which asks
 * it for a new connection when msrp_session_update_remote_path_async()
 * moves it to another address.
 *
 * No message is lost to the handover: the session is handed out (the
 * callback of msrp_connector_complete_async() runs) before it sees any
 * request of its peer. A passive end completes as soon as a request for
 * the session arrives, and that request (which may carry the first
 * message) waits until the callback has returned, so handlers connected
 * there see it. An active end completes when the peer answered the
 * binding SEND, and what the peer sends after that answer waits the same
 * way.
 */

typedef struct
{
  gboolean active;
  GPtrArray *local_path;
  char *advertised_host;
  MsrpTlsCredentials *credentials;
  char *remote_fingerprint;
  MsrpSessionMatching matching;
  gboolean prepare_started;
  gboolean complete_started;
} MsrpConnectorPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MsrpConnector, msrp_connector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE,
  PROP_LOCAL_PATH,
  PROP_ADVERTISED_HOST,
  PROP_CREDENTIALS,
  PROP_FINGERPRINT,
  PROP_REMOTE_FINGERPRINT,
  PROP_MATCHING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_TRANSPORT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
msrp_connector_init (MsrpConnector *self)
{
}

static void
msrp_connector_finalize (GObject *object)
{
  MsrpConnectorPrivate *priv = msrp_connector_get_instance_private (MSRP_CONNECTOR (object));

  g_clear_pointer (&priv->local_path, g_ptr_array_unref);
  g_free (priv->advertised_host);
  g_clear_object (&priv->credentials);
  g_free (priv->remote_fingerprint);
  G_OBJECT_CLASS (msrp_connector_parent_class)->finalize (object);
}

static void
msrp_connector_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsrpConnector *self = MSRP_CONNECTOR (object);
  MsrpConnectorPrivate *priv = msrp_connector_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, priv->active);
      break;
    case PROP_LOCAL_PATH:
      g_value_set_boxed (value, priv->local_path);
      break;
    case PROP_ADVERTISED_HOST:
      g_value_set_string (value, priv->advertised_host);
      break;
    case PROP_CREDENTIALS:
      g_value_set_object (value, priv->credentials);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, msrp_connector_get_fingerprint (self));
      break;
    case PROP_REMOTE_FINGERPRINT:
      g_value_set_string (value, priv->remote_fingerprint);
      break;
    case PROP_MATCHING:
      g_value_set_enum (value, priv->matching);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_connector_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MsrpConnector *self = MSRP_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_ADVERTISED_HOST:
      msrp_connector_set_advertised_host (self, g_value_get_string (value));
      break;
    case PROP_CREDENTIALS:
      msrp_connector_set_credentials (self, g_value_get_object (value));
      break;
    case PROP_REMOTE_FINGERPRINT:
      msrp_connector_set_remote_fingerprint (self, g_value_get_string (value));
      break;
    case PROP_MATCHING:
      msrp_connector_set_matching (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_connector_class_init (MsrpConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msrp_connector_finalize;
  object_class->get_property = msrp_connector_get_property;
  object_class->set_property = msrp_connector_set_property;

  /**
   * MsrpConnector:active:
   *
   * Whether this end opens the connection (%TRUE) or waits for the peer to
   * (%FALSE).
   */
  props[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:local-path: (type GLib.PtrArray(Msrp.Uri))
   *
   * The full local path, for SDP `a=path`; %NULL until
   * msrp_connector_prepare_finish() gave it.
   */
  props[PROP_LOCAL_PATH] =
    g_param_spec_boxed ("local-path", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:advertised-host:
   *
   * The host to put in the local path instead of the address the
   * connector binds: a public address or a name (an FQDN, or a random
   * `.invalid` name as WebRTC clients use with session-id matching). Set
   * it before preparing.
   */
  props[PROP_ADVERTISED_HOST] =
    g_param_spec_string ("advertised-host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:credentials:
   *
   * The certificate this end presents on `msrps:` connections. When none
   * is set, preparing an `msrps:` local URI makes a self-signed one and
   * keeps it here.
   */
  props[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL, MSRP_TYPE_TLS_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:fingerprint:
   *
   * The SDP `a=fingerprint` value of [property@Msrp.Connector:credentials],
   * %NULL while there are none.
   */
  props[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:remote-fingerprint:
   *
   * The peer's SDP `a=fingerprint` value: on `msrps:` connections the
   * peer's certificate must match it, or the connection fails with
   * %MSRP_ERROR_TLS. %NULL accepts any certificate, which authenticates
   * nothing: use it only with peers known by other means.
   */
  props[PROP_REMOTE_FINGERPRINT] =
    g_param_spec_string ("remote-fingerprint", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpConnector:matching:
   *
   * The [property@Msrp.Session:matching] of the session the connector
   * makes, also used to check the request that binds a connection.
   * msrp_get_connector_for_sdp() and msrp_connector_negotiate() set it to
   * %MSRP_SESSION_MATCHING_SESSION_ID when both ends offered
   * `a=msrp-cema` (RFC 6714).
   */
  props[PROP_MATCHING] =
    g_param_spec_enum ("matching", NULL, NULL, MSRP_TYPE_SESSION_MATCHING,
                       MSRP_SESSION_MATCHING_STRICT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * MsrpConnector::transport-created:
   * @connector: the connector
   * @transport: the new transport
   *
   * Emitted when @connector makes a transport for a connection it opened
   * or accepted (after the TLS handshake on `msrps:`), before the
   * transport reads or sends anything. Connect to its
   * [signal@Msrp.Transport::frame-received] and
   * [signal@Msrp.Transport::frame-sent] here to trace every frame,
   * including the request that binds the session and those of
   * connections that never bind it.
   */
  signals[SIGNAL_TRANSPORT_CREATED] =
    g_signal_new ("transport-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MSRP_TYPE_TRANSPORT);
}

/* --- Preparing ------------------------------------------------------------- */

/* Fills in what the caller left out of @local_uri. */
static MsrpUri *
complete_local_uri (MsrpUri *local_uri)
{
  g_autofree char *session_id = NULL;
  int port;

  if (local_uri == NULL)
    {
      session_id = msrp_generate_id ();
      return msrp_uri_new (FALSE, "::", 0, session_id, "tcp");
    }
  port = msrp_uri_get_port (local_uri);
  if (msrp_uri_get_session_id (local_uri) == NULL)
    session_id = msrp_generate_id ();
  return msrp_uri_new (msrp_uri_is_secure (local_uri), msrp_uri_get_host (local_uri),
                       port >= 0 ? port : MSRP_DEFAULT_PORT,
                       session_id ? session_id : msrp_uri_get_session_id (local_uri),
                       msrp_uri_get_transport (local_uri));
}

/**
 * msrp_connector_prepare_async:
 * @connector: a #MsrpConnector
 * @local_uri: (nullable): where to listen and what to advertise: scheme
 *   (`msrps` for TLS), host, port (0 for any free one; none for 2855) and
 *   session-id (a random one when it has none); %NULL for
 *   `msrp://[::]:0;tcp`, every address with a free port
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the local path is known
 * @user_data: data for @callback
 *
 * Binds what the local end needs (a listening socket on the host and port
 * of @local_uri: the direct connector listens too, so that two ends that
 * both connect find each other) and works out the full local path to put
 * in SDP `a=path`. The host of @local_uri is the address to bind; the path
 * carries [property@Msrp.Connector:advertised-host] instead when it is
 * set. A wildcard host (`0.0.0.0`, `::`) listens on every address, IPv6
 * and IPv4, and advertises the address of the default route;
 * a host name listens on every address and is advertised as given. Call
 * once.
 */
void
msrp_connector_prepare_async (MsrpConnector       *connector,
                              MsrpUri             *local_uri,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MsrpConnectorPrivate *priv;
  g_autoptr(MsrpUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  priv = msrp_connector_get_instance_private (connector);
  g_return_if_fail (!priv->prepare_started);

  priv->prepare_started = TRUE;
  uri = complete_local_uri (local_uri);
  if (msrp_uri_is_secure (uri) && priv->credentials == NULL)
    {
      g_autoptr(MsrpTlsCredentials) credentials = msrp_tls_credentials_new_self_signed (NULL, &error);

      if (credentials == NULL)
        {
          g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
          g_task_set_source_tag (task, msrp_connector_prepare_async);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      msrp_connector_set_credentials (connector, credentials);
    }
  MSRP_CONNECTOR_GET_CLASS (connector)->prepare_async (connector, uri, cancellable, callback,
                                                       user_data);
}

/**
 * msrp_connector_prepare_finish:
 * @connector: a #MsrpConnector
 * @result: the #GAsyncResult of msrp_connector_prepare_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_connector_prepare_async(); the path is also kept in
 * [property@Msrp.Connector:local-path].
 *
 * Returns: (transfer container) (element-type MsrpUri) (nullable): the full
 *   local path (relays first, then the local URI with the real port), or
 *   %NULL with @error set (the address cannot be bound, the certificate
 *   cannot be made, %G_IO_ERROR_CANCELLED)
 */
GPtrArray *
msrp_connector_prepare_finish (MsrpConnector  *connector,
                               GAsyncResult   *result,
                               GError        **error)
{
  MsrpConnectorPrivate *priv;
  GPtrArray *path;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);

  if (g_async_result_is_tagged (result, msrp_connector_prepare_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  path = MSRP_CONNECTOR_GET_CLASS (connector)->prepare_finish (connector, result, error);
  if (path == NULL)
    return NULL;
  g_clear_pointer (&priv->local_path, g_ptr_array_unref);
  /* The subclass's array may hold borrowed URIs (an implementation in a
   * binding returns the container only): keep references of our own. */
  priv->local_path = msrp_path_copy (path);
  g_ptr_array_unref (path);
  g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_LOCAL_PATH]);
  /* A container of its own: bindings free it whatever its reference count. */
  return msrp_path_copy (priv->local_path);
}

/**
 * msrp_connector_complete_async:
 * @connector: a prepared #MsrpConnector
 * @remote_path: (element-type MsrpUri) (nullable): the peer's path, from
 *   its SDP `a=path`; %NULL for a passive end that takes any peer
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session is connected
 * @user_data: data for @callback
 *
 * Makes the connection to the peer and the session on it. The active end
 * connects to the first URI of @remote_path (IPv4, IPv6 or a name, with
 * TLS for `msrps:`) and sends the bodiless SEND that binds the connection
 * (RFC 4975 §5.4); it completes when that is answered 200. The passive end
 * waits, without a time limit, until a connection sends a request for the
 * session; connections that close or send other requests first do not use
 * it up. Without @remote_path the passive end accepts any From-Path, and
 * the session learns the peer's path from the request that binds it (a
 * listener that knows its peers by other means, such as `msrp-cat recv`).
 * Call once, after msrp_connector_prepare_finish().
 *
 * The session reaches @callback before it sees any request of the peer:
 * connect its signals (and set its properties, such as
 * [property@Msrp.Session:accept-types]) there, and nothing the peer sends
 * is missed, including a message carried by the request that binds the
 * session.
 */
void
msrp_connector_complete_async (MsrpConnector       *connector,
                               GPtrArray           *remote_path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MsrpConnectorPrivate *priv;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  g_return_if_fail (remote_path == NULL || remote_path->len > 0);
  priv = msrp_connector_get_instance_private (connector);
  g_return_if_fail (remote_path != NULL || !priv->active);
  g_return_if_fail (priv->local_path != NULL);
  g_return_if_fail (!priv->complete_started);

  priv->complete_started = TRUE;
  MSRP_CONNECTOR_GET_CLASS (connector)->complete_async (connector, remote_path, cancellable,
                                                        callback, user_data);
}

/**
 * msrp_connector_complete_finish:
 * @connector: a #MsrpConnector
 * @result: the #GAsyncResult of msrp_connector_complete_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_connector_complete_async().
 *
 * Returns: (transfer full) (nullable): the connected session, or %NULL with
 *   @error set: the connection failed (a #GIOError), %MSRP_ERROR_TLS when
 *   the peer's certificate does not match
 *   [property@Msrp.Connector:remote-fingerprint], the peer's refusal of the
 *   binding SEND (such as %MSRP_ERROR_SESSION_DOES_NOT_EXIST),
 *   %MSRP_ERROR_TIMEOUT, or %G_IO_ERROR_CANCELLED
 */
MsrpSession *
msrp_connector_complete_finish (MsrpConnector  *connector,
                                GAsyncResult   *result,
                                GError        **error)
{
  MsrpSession *session;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);

  session = MSRP_CONNECTOR_GET_CLASS (connector)->complete_finish (connector, result, error);
  if (session != NULL)
    msrp_session_set_connector (session, connector);
  return session;
}

/**
 * msrp_connector_complete_string_async:
 * @connector: a prepared #MsrpConnector
 * @remote_path: the peer's path as text, the value of its SDP `a=path`
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session is connected
 * @user_data: data for @callback
 *
 * Like msrp_connector_complete_async(), with the path as text: the value
 * of the peer's `a=path` as it comes, and for bindings that cannot pass a
 * list of #MsrpUri into a #GPtrArray (GJS 1.74 with a typelib made by
 * g-ir-scanner alone; the one installed here passes them).
 */
void
msrp_connector_complete_string_async (MsrpConnector       *connector,
                                      const char          *remote_path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GPtrArray) path = NULL;
  GError *error = NULL;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  g_return_if_fail (remote_path != NULL);

  path = msrp_path_parse (remote_path, &error);
  if (path != NULL && path->len == 0)
    {
      g_clear_pointer (&path, g_ptr_array_unref);
      error = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_INVALID_URI, "Empty path");
    }
  if (path == NULL)
    {
      g_task_report_error (connector, callback, user_data,
                           msrp_connector_complete_string_async, error);
      return;
    }
  msrp_connector_complete_async (connector, path, cancellable, callback, user_data);
}

/**
 * msrp_connector_complete_string_finish:
 * @connector: a #MsrpConnector
 * @result: the #GAsyncResult of msrp_connector_complete_string_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_connector_complete_string_async().
 *
 * Returns: (transfer full) (nullable): the connected session, or %NULL with
 *   @error set: %MSRP_ERROR_INVALID_URI when the path does not parse or is
 *   empty, otherwise as msrp_connector_complete_finish()
 */
MsrpSession *
msrp_connector_complete_string_finish (MsrpConnector  *connector,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);

  if (g_async_result_is_tagged (result, msrp_connector_complete_string_async))
    return g_task_propagate_pointer (G_TASK (result), error);
  return msrp_connector_complete_finish (connector, result, error);
}

/* --- Handing a session out -------------------------------------------------- */

void
msrp_connector_transport_created (MsrpConnector *connector,
                                  MsrpTransport *transport)
{
  g_signal_emit (connector, signals[SIGNAL_TRANSPORT_CREATED], 0, transport);
}

static void
bind_hold_unwatch (MsrpBindHold *hold)
{
  g_clear_signal_handler (&hold->sent_id, hold->transport);
  g_clear_signal_handler (&hold->received_id, hold->transport);
  g_clear_pointer (&hold->bind_tid, g_free);
  g_clear_pointer (&hold->own_session_id, g_free);
}

/* Stops watching; gives the held transport with its hold, or NULL. */
static MsrpTransport *
bind_hold_steal (MsrpBindHold *hold)
{
  MsrpTransport *held = NULL;

  bind_hold_unwatch (hold);
  if (hold->held)
    held = g_steal_pointer (&hold->transport);
  g_clear_object (&hold->transport);
  hold->held = FALSE;
  return held;
}

void
msrp_bind_hold_clear (MsrpBindHold *hold)
{
  g_autoptr(MsrpTransport) held = bind_hold_steal (hold);

  if (held != NULL)
    msrp_transport_release_requests (held);
}

void
msrp_bind_hold_now (MsrpBindHold *hold, MsrpTransport *transport)
{
  msrp_bind_hold_clear (hold);
  msrp_transport_hold_requests (transport);
  hold->transport = g_object_ref (transport);
  hold->held = TRUE;
}

/* The binding SEND is the first SEND from the binding session going out
 * once watched. */
static void
on_bind_hold_sent (MsrpTransport *transport, MsrpFrame *frame, gpointer user_data)
{
  MsrpBindHold *hold = user_data;
  GPtrArray *from;

  if (!msrp_frame_is_request (frame) || msrp_frame_get_method (frame) != MSRP_METHOD_SEND)
    return;
  from = msrp_frame_peek_path (frame, MSRP_PATH_FROM);
  if (from == NULL || from->len == 0 ||
      g_strcmp0 (msrp_uri_get_session_id (from->pdata[from->len - 1]), hold->own_session_id) != 0)
    return;
  g_clear_signal_handler (&hold->sent_id, transport);
  hold->bind_tid = g_strdup (msrp_frame_get_transaction_id (frame));
}

/* The answer to the binding SEND: whatever the peer sends after it waits. */
static void
on_bind_hold_received (MsrpTransport *transport, MsrpFrame *head, gpointer user_data)
{
  MsrpBindHold *hold = user_data;

  if (msrp_frame_is_request (head))
    return;
  if (hold->own_session_id != NULL && (hold->bind_tid == NULL ||
                                       g_strcmp0 (msrp_frame_get_transaction_id (head), hold->bind_tid) != 0))
    return;
  bind_hold_unwatch (hold);
  msrp_transport_hold_requests (transport);
  hold->held = TRUE;
}

void
msrp_bind_hold_watch (MsrpBindHold *hold, MsrpTransport *transport, const char *own_session_id)
{
  msrp_bind_hold_clear (hold);
  hold->transport = g_object_ref (transport);
  hold->own_session_id = g_strdup (own_session_id);
  if (own_session_id != NULL)
    hold->sent_id = g_signal_connect (transport, "frame-sent", G_CALLBACK (on_bind_hold_sent),
                                      hold);
  hold->received_id = g_signal_connect (transport, "frame-received",
                                        G_CALLBACK (on_bind_hold_received), hold);
}

typedef struct {
  GTask *task;
  MsrpSession *session;
  MsrpTransport *held;
} HandOut;

static void
hand_out_free (HandOut *h)
{
  if (h->held != NULL)
    {
      msrp_transport_release_requests (h->held);
      g_object_unref (h->held);
    }
  g_clear_object (&h->session);
  g_object_unref (h->task);
  g_free (h);
}

static void
on_handed_out (GTask *task, GParamSpec *pspec, gpointer user_data)
{
  g_signal_handlers_disconnect_by_func (task, on_handed_out, user_data);
  hand_out_free (user_data);
}

static gboolean
hand_out_now (gpointer user_data)
{
  HandOut *h = user_data;

  /* From a source of the task's context: the callback runs now, unless the
   * task was cancelled, when GTask defers it. */
  g_task_return_pointer (h->task, g_steal_pointer (&h->session), g_object_unref);
  if (g_task_get_completed (h->task))
    hand_out_free (h);
  else
    g_signal_connect (h->task, "notify::completed", G_CALLBACK (on_handed_out), h);
  return G_SOURCE_REMOVE;
}

void
msrp_connector_hand_out (GTask         *task,
                         MsrpSession   *session,
                         MsrpBindHold  *hold)
{
  HandOut *h = g_new0 (HandOut, 1);
  g_autoptr(GSource) idle = g_idle_source_new ();

  h->task = g_object_ref (task);
  h->session = session;
  h->held = hold != NULL ? bind_hold_steal (hold) : NULL;
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, hand_out_now, h, NULL);
  g_source_set_static_name (idle, "MsrpConnector hand-out");
  g_source_attach (idle, g_task_get_context (task));
}

/* --- Properties ------------------------------------------------------------ */

/**
 * msrp_connector_is_active:
 * @connector: a #MsrpConnector
 *
 * Gets the role of @connector.
 *
 * Returns: [property@Msrp.Connector:active]
 */
gboolean
msrp_connector_is_active (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), FALSE);
  priv = msrp_connector_get_instance_private (connector);
  return priv->active;
}

void
msrp_connector_set_active (MsrpConnector *connector,
                           gboolean       active)
{
  MsrpConnectorPrivate *priv = msrp_connector_get_instance_private (connector);

  priv->active = active;
}

/**
 * msrp_connector_get_local_path:
 * @connector: a #MsrpConnector
 *
 * Gets the local path of @connector.
 *
 * Returns: (transfer none) (nullable) (element-type MsrpUri):
 *   [property@Msrp.Connector:local-path]
 */
GPtrArray *
msrp_connector_get_local_path (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);
  return priv->local_path;
}

/**
 * msrp_connector_get_advertised_host:
 * @connector: a #MsrpConnector
 *
 * Gets the advertised host of @connector.
 *
 * Returns: (nullable): [property@Msrp.Connector:advertised-host]
 */
const char *
msrp_connector_get_advertised_host (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);
  return priv->advertised_host;
}

/**
 * msrp_connector_set_advertised_host:
 * @connector: a #MsrpConnector
 * @host: (nullable): a host name or address, or %NULL to advertise the
 *   bound address
 *
 * Sets [property@Msrp.Connector:advertised-host].
 */
void
msrp_connector_set_advertised_host (MsrpConnector *connector,
                                    const char    *host)
{
  MsrpConnectorPrivate *priv;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  priv = msrp_connector_get_instance_private (connector);

  if (msrp_set_str (&priv->advertised_host, host))
    g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_ADVERTISED_HOST]);
}

/**
 * msrp_connector_get_credentials:
 * @connector: a #MsrpConnector
 *
 * Gets the TLS credentials of @connector.
 *
 * Returns: (transfer none) (nullable): [property@Msrp.Connector:credentials]
 */
MsrpTlsCredentials *
msrp_connector_get_credentials (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);
  return priv->credentials;
}

/**
 * msrp_connector_set_credentials:
 * @connector: a #MsrpConnector
 * @credentials: (nullable): the certificate to present, or %NULL to have
 *   one made when needed
 *
 * Sets [property@Msrp.Connector:credentials]; set them before preparing.
 */
void
msrp_connector_set_credentials (MsrpConnector      *connector,
                                MsrpTlsCredentials *credentials)
{
  MsrpConnectorPrivate *priv;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  g_return_if_fail (credentials == NULL || MSRP_IS_TLS_CREDENTIALS (credentials));
  priv = msrp_connector_get_instance_private (connector);

  if (!g_set_object (&priv->credentials, credentials))
    return;
  g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_CREDENTIALS]);
  g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_FINGERPRINT]);
}

/**
 * msrp_connector_get_fingerprint:
 * @connector: a #MsrpConnector
 *
 * Gets the local SDP `a=fingerprint` value of @connector.
 *
 * Returns: (nullable): [property@Msrp.Connector:fingerprint]
 */
const char *
msrp_connector_get_fingerprint (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);
  return priv->credentials ? msrp_tls_credentials_get_fingerprint (priv->credentials) : NULL;
}

/**
 * msrp_connector_get_remote_fingerprint:
 * @connector: a #MsrpConnector
 *
 * Gets the fingerprint @connector expects of the peer.
 *
 * Returns: (nullable): [property@Msrp.Connector:remote-fingerprint]
 */
const char *
msrp_connector_get_remote_fingerprint (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  priv = msrp_connector_get_instance_private (connector);
  return priv->remote_fingerprint;
}

/**
 * msrp_connector_set_remote_fingerprint:
 * @connector: a #MsrpConnector
 * @fingerprint: (nullable): the peer's SDP `a=fingerprint` value, such as
 *   `sha-256 AB:CD:…`
 *
 * Sets [property@Msrp.Connector:remote-fingerprint]; set it before
 * completing.
 */
void
msrp_connector_set_remote_fingerprint (MsrpConnector *connector,
                                       const char    *fingerprint)
{
  MsrpConnectorPrivate *priv;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  priv = msrp_connector_get_instance_private (connector);

  if (msrp_set_str (&priv->remote_fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_REMOTE_FINGERPRINT]);
}

/**
 * msrp_connector_get_matching:
 * @connector: a #MsrpConnector
 *
 * Gets the matching rule of the session @connector makes.
 *
 * Returns: [property@Msrp.Connector:matching]
 */
MsrpSessionMatching
msrp_connector_get_matching (MsrpConnector *connector)
{
  MsrpConnectorPrivate *priv;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), MSRP_SESSION_MATCHING_STRICT);
  priv = msrp_connector_get_instance_private (connector);
  return priv->matching;
}

/**
 * msrp_connector_set_matching:
 * @connector: a #MsrpConnector
 * @matching: how requests are matched to the session
 *
 * Sets [property@Msrp.Connector:matching]; set it before completing.
 */
void
msrp_connector_set_matching (MsrpConnector       *connector,
                             MsrpSessionMatching  matching)
{
  MsrpConnectorPrivate *priv;

  g_return_if_fail (MSRP_IS_CONNECTOR (connector));
  priv = msrp_connector_get_instance_private (connector);

  if (priv->matching == matching)
    return;
  priv->matching = matching;
  g_object_notify_by_pspec (G_OBJECT (connector), props[PROP_MATCHING]);
}

void
msrp_connector_copy_settings (MsrpConnector *from,
                              MsrpConnector *to)
{
  MsrpConnectorPrivate *src = msrp_connector_get_instance_private (from);
  MsrpConnectorPrivate *dst = msrp_connector_get_instance_private (to);

  msrp_connector_set_advertised_host (to, src->advertised_host);
  msrp_connector_set_credentials (to, src->credentials);
  msrp_connector_set_remote_fingerprint (to, src->remote_fingerprint);
  msrp_connector_set_matching (to, src->matching);
  if (src->local_path != NULL)
    {
      dst->prepare_started = TRUE;
      dst->local_path = g_ptr_array_ref (src->local_path);
    }
}

/* --- Choosing a connector -------------------------------------------------- */

/**
 * msrp_get_connector:
 * @relay: (nullable): the relay to reach the peer through, or %NULL for a
 *   direct connection
 * @error: return location for a #GError
 *
 * Makes a connector for the active end of a session.
 *
 * Returns: (transfer full) (nullable): a new #MsrpDirectConnector, or a
 *   #MsrpRelayConnector when @relay is given
 */
MsrpConnector *
msrp_get_connector (MsrpRelaySettings  *relay,
                    GError            **error)
{
  g_return_val_if_fail (relay == NULL || MSRP_IS_RELAY_SETTINGS (relay), NULL);

  if (relay != NULL)
    return msrp_relay_connector_new (relay);
  return msrp_direct_connector_new ();
}

/**
 * msrp_get_acceptor:
 * @relay: (nullable): the relay the peer reaches this end through, or
 *   %NULL to listen directly
 * @error: return location for a #GError
 *
 * Makes a connector for the passive end of a session.
 *
 * Returns: (transfer full) (nullable): a new #MsrpDirectAcceptor, or a
 *   #MsrpRelayAcceptor when @relay is given
 */
MsrpConnector *
msrp_get_acceptor (MsrpRelaySettings  *relay,
                   GError            **error)
{
  g_return_val_if_fail (relay == NULL || MSRP_IS_RELAY_SETTINGS (relay), NULL);

  if (relay != NULL)
    return msrp_relay_acceptor_new (relay);
  return msrp_direct_acceptor_new ();
}

static gboolean
check_holdconn (MsrpSdpMedia *local, MsrpSdpMedia *remote, GError **error)
{
  if (msrp_sdp_media_get_setup (local) != MSRP_SDP_SETUP_HOLDCONN &&
      (remote == NULL || msrp_sdp_media_get_setup (remote) != MSRP_SDP_SETUP_HOLDCONN))
    return TRUE;
  g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_FAILED,
                       "a=setup:holdconn: no connection is to be made for now");
  return FALSE;
}

/* What the peer's SDP says about matching and its certificate. */
static void
apply_remote_media (MsrpConnector *connector, MsrpSdpMedia *local, MsrpSdpMedia *remote)
{
  const char *fingerprint = msrp_sdp_media_get_fingerprint (remote);

  msrp_connector_set_matching (connector, msrp_sdp_media_use_session_matching (local, remote)
                                          ? MSRP_SESSION_MATCHING_SESSION_ID
                                          : MSRP_SESSION_MATCHING_STRICT);
  if (fingerprint != NULL)
    msrp_connector_set_remote_fingerprint (connector, fingerprint);
}

/**
 * msrp_get_connector_for_sdp:
 * @local: this end's media section; its `a=setup` counts, its path need
 *   not be set yet
 * @remote: (nullable): the peer's media section, or %NULL when making an
 *   offer
 * @local_is_offerer: whether @local is (or will be) the offer
 * @relay: (nullable): as for msrp_get_connector()
 * @error: return location for a #GError
 *
 * Makes the connector of the role SDP gives this end: the one
 * msrp_sdp_media_is_active() says once both sections are known. An
 * offerer calls it before the answer, with @remote %NULL: an offer with
 * `a=setup:passive` or `a=setup:actpass` gets an acceptor (this end must
 * be able to accept), one with `a=setup:active` or none a connector (RFC
 * 4975: the offerer connects); once the answer is in, it calls
 * msrp_connector_negotiate(). With @remote, the connector also takes
 * `a=msrp-cema` (session-id matching when both ends have it) and the
 * peer's `a=fingerprint` as [property@Msrp.Connector:remote-fingerprint].
 *
 * Returns: (transfer full) (nullable): a new connector, or %NULL with
 *   @error set (%MSRP_ERROR_FAILED for `a=setup:holdconn`)
 */
MsrpConnector *
msrp_get_connector_for_sdp (MsrpSdpMedia       *local,
                            MsrpSdpMedia       *remote,
                            gboolean            local_is_offerer,
                            MsrpRelaySettings  *relay,
                            GError            **error)
{
  MsrpConnector *connector;
  gboolean active;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (local), NULL);
  g_return_val_if_fail (remote == NULL || MSRP_IS_SDP_MEDIA (remote), NULL);
  g_return_val_if_fail (remote != NULL || local_is_offerer, NULL);

  if (!check_holdconn (local, remote, error))
    return NULL;
  if (remote != NULL)
    active = msrp_sdp_media_is_active (local, remote, local_is_offerer);
  else
    active = msrp_sdp_media_get_setup (local) == MSRP_SDP_SETUP_NONE ||
             msrp_sdp_media_get_setup (local) == MSRP_SDP_SETUP_ACTIVE;
  connector = active ? msrp_get_connector (relay, error) : msrp_get_acceptor (relay, error);
  if (connector != NULL && remote != NULL)
    apply_remote_media (connector, local, remote);
  return connector;
}

/**
 * msrp_connector_negotiate:
 * @connector: a connector made for an offer, prepared or not
 * @local: this end's media section (the offer or the answer)
 * @remote: the peer's media section
 * @local_is_offerer: whether @local is the offer
 * @error: return location for a #GError
 *
 * Applies the other end's SDP to @connector: `a=msrp-cema` and
 * `a=fingerprint` as msrp_get_connector_for_sdp() does, and the role of
 * msrp_sdp_media_is_active(). When the role is the one @connector has,
 * returns it; otherwise (an `a=setup:actpass` offer answered `passive`, or
 * a peer that ignored the offer's role) returns a connector of the other
 * role that keeps @connector's settings and, if it was prepared, its local
 * path and listening socket, so the path already offered stays valid.
 * @connector is then used up.
 *
 * Returns: (transfer full) (nullable): the connector to complete with, or
 *   %NULL with @error set (%MSRP_ERROR_FAILED for `a=setup:holdconn`)
 */
MsrpConnector *
msrp_connector_negotiate (MsrpConnector  *connector,
                          MsrpSdpMedia   *local,
                          MsrpSdpMedia   *remote,
                          gboolean        local_is_offerer,
                          GError        **error)
{
  MsrpConnectorPrivate *priv;
  MsrpConnector *other;
  gboolean active;

  g_return_val_if_fail (MSRP_IS_CONNECTOR (connector), NULL);
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (local), NULL);
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (remote), NULL);
  priv = msrp_connector_get_instance_private (connector);
  g_return_val_if_fail (!priv->complete_started, NULL);

  if (!check_holdconn (local, remote, error))
    return NULL;
  apply_remote_media (connector, local, remote);
  active = msrp_sdp_media_is_active (local, remote, local_is_offerer);
  if (active == priv->active)
    return g_object_ref (connector);
  if (MSRP_IS_RELAY_CONNECTOR (connector) || MSRP_IS_RELAY_ACCEPTOR (connector))
    return msrp_relay_switch_role (connector);
  if (priv->local_path != NULL)
    return msrp_direct_switch_role (connector);
  other = active ? msrp_direct_connector_new () : msrp_direct_acceptor_new ();
  msrp_connector_copy_settings (connector, other);
  return other;
}
