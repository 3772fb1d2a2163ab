/* msrp-direct-connector.c: the active and passive ends of a direct connection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-direct-connector.h"
#include "msrp-connector-private.h"
#include "msrp-error.h"
#include "msrp-frame-private.h"
#include "msrp-listener.h"
#include "msrp-session-private.h"
#include "msrp-socket-private.h"
#include "msrp-source-private.h"

/* How long an active end whose binding SEND was refused 506 (the peer
 * connected to it at the same time, and its connection wins) waits for the
 * peer's connection to bind. */
#define SIMULTANEOUS_WAIT_SECONDS 30

/* Both classes: they listen from prepare on (an active end too, so that
 * two ends that both connect meet on one connection) and bind the session
 * to the first incoming connection whose request it accepts. */
typedef struct
{
  MsrpConnector *connector;
  gboolean active;
  gboolean accept_any_from_path;
  gboolean from_advertised_port;
  gboolean secure;
  GInetAddress *address;     /* where to listen; NULL for every address */
  guint16 port;
  MsrpListener *listener;

  /* While completing (the session is not handed out yet), reconnecting
   * (the active end) or standing by (the passive end after
   * msrp_session_update_remote_path_async(), or a session handed out
   * before a request bound it: listening for the peer's connection until
   * one binds or the session closes). Standing by, the session is held
   * weakly: it holds the connector, and its life is the application's. */
  GTask *task;
  gboolean reconnecting;
  gboolean standby;
  MsrpSession *session;
  gulong notify_id;
  gulong closed_id;
  MsrpTransport *outgoing;   /* the active end's connection, once attached */
  /* Requests held on the connection the session is being bound on, until
   * the application has the session (msrp_connector_hand_out()). */
  MsrpBindHold hold;
  GError *refusal;           /* the 506 an active end got, while it waits */
  GSource *wait_source;
  GSource *cancel_source;
} Direct;

/**
 * MsrpDirectConnector:
 *
 * The active end of a direct connection (no relay): it connects to the
 * first URI of the peer's path and sends the bodiless SEND that binds the
 * connection to the session (RFC 4975 §5.4).
 *
 * It also listens on the port of its local path until the session is
 * bound, so that two ends that both think they are active (RFC 6135 peers
 * that disagree) end up on one connection: the connection opened by the
 * end whose session-id sorts first is kept; the other end accepts it and
 * drops its own, whose binding SEND is answered 506.
 */
struct _MsrpDirectConnector
{
  MsrpConnector parent_instance;
  Direct d;
};

G_DEFINE_FINAL_TYPE (MsrpDirectConnector, msrp_direct_connector, MSRP_TYPE_CONNECTOR)

/**
 * MsrpDirectAcceptor:
 *
 * The passive end of a direct connection (no relay): it listens on the
 * host and port of its local path until a connection binds the session.
 *
 * A connection binds it with the first request for the session that the
 * session accepts (RFC 4975 §5.4): its To-Path names the local URI and its
 * From-Path the peer's, compared as [property@Msrp.Connector:matching]
 * says; [property@Msrp.DirectAcceptor:accept-any-from-path] drops the
 * From-Path check. Requests for other sessions are answered 481; a
 * connection that closes, fails its TLS handshake or sends nothing
 * acceptable within 30 s is dropped, and the acceptor keeps listening.
 *
 * msrp_connector_complete_async() completes with the first request for the
 * session, which reaches the session only after the callback (see
 * [class@Msrp.Connector]). Should the session refuse it (a content type
 * or size it does not accept), the session is not bound yet: the acceptor
 * keeps listening for it until a request it accepts binds it or it
 * closes (or the application drops its last reference: the acceptor does
 * not keep the session alive), and [property@Msrp.Session:transport]
 * stays %NULL until then.
 */
struct _MsrpDirectAcceptor
{
  MsrpConnector parent_instance;
  Direct d;
};

G_DEFINE_FINAL_TYPE (MsrpDirectAcceptor, msrp_direct_acceptor, MSRP_TYPE_CONNECTOR)

enum {
  PROP_0,
  PROP_ACCEPT_ANY_FROM_PATH,
  N_PROPS
};

static GParamSpec *acceptor_props[N_PROPS];

enum {
  CONNECTOR_PROP_0,
  PROP_CONNECT_FROM_ADVERTISED_PORT,
  N_CONNECTOR_PROPS
};

static GParamSpec *connector_props[N_CONNECTOR_PROPS];

static Direct *
direct_of (gpointer connector)
{
  if (MSRP_IS_DIRECT_CONNECTOR (connector))
    return &MSRP_DIRECT_CONNECTOR (connector)->d;
  return &MSRP_DIRECT_ACCEPTOR (connector)->d;
}

static void
direct_init (Direct *d, MsrpConnector *connector, gboolean active)
{
  d->connector = connector;
  d->active = active;
  msrp_connector_set_active (connector, active);
}

static void
close_listener (Direct *d)
{
  if (d->listener == NULL)
    return;
  msrp_listener_close (d->listener);
  g_clear_object (&d->listener);
}

static void standby_stop (Direct *d);

static void
direct_dispose (Direct *d)
{
  if (d->standby)
    standby_stop (d);
  msrp_bind_hold_clear (&d->hold);
  close_listener (d);
}

static void
direct_finalize (Direct *d)
{
  g_assert (d->task == NULL);
  g_clear_object (&d->address);
}

/* --- Ending a completion or reconnection ---------------------------------- */

/* What only a completion or reconnection in progress has. */
static void
stop_waiting (Direct *d)
{
  msrp_source_clear (&d->wait_source);
  msrp_source_clear (&d->cancel_source);
  g_clear_error (&d->refusal);
  g_clear_object (&d->outgoing);
}

/* Stops waiting; returns the task and gives the caller the session. */
static GTask *
direct_end (Direct *d, MsrpSession **session)
{
  g_clear_signal_handler (&d->notify_id, d->session);
  stop_waiting (d);
  close_listener (d);
  *session = g_steal_pointer (&d->session);
  return g_steal_pointer (&d->task);
}

static void
direct_succeed (Direct *d)
{
  MsrpSession *session = NULL;
  g_autoptr(GTask) task = direct_end (d, &session);

  if (d->reconnecting)
    {
      d->reconnecting = FALSE;
      g_object_unref (session);
      g_task_return_boolean (task, TRUE);
    }
  else
    msrp_connector_hand_out (task, session, &d->hold);
}

static void
direct_fail (Direct *d, GError *error)
{
  g_autoptr(MsrpSession) session = NULL;
  g_autoptr(GTask) task = direct_end (d, &session);

  /* A session being completed was never handed out: it goes, with the
   * connection it may have. A session being moved stays where it is. */
  if (!d->reconnecting)
    msrp_session_close_async (session, NULL, NULL, NULL);
  msrp_bind_hold_clear (&d->hold);
  d->reconnecting = FALSE;
  g_task_return_error (task, error);
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Direct *d = user_data;

  g_clear_pointer (&d->cancel_source, g_source_unref);
  direct_fail (d, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "The connection was cancelled"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  Direct *d = user_data;

  g_clear_pointer (&d->wait_source, g_source_unref);
  direct_fail (d, g_steal_pointer (&d->refusal));
  return G_SOURCE_REMOVE;
}

/* --- Incoming connections --------------------------------------------------- */

/* The end whose session-id sorts first keeps its own connection when both
 * connected. */
static gboolean
wins_tie (Direct *d)
{
  MsrpUri *local = g_ptr_array_index (msrp_session_get_local_path (d->session),
                                      msrp_session_get_local_path (d->session)->len - 1);
  GPtrArray *remote_path = msrp_session_get_remote_path (d->session);
  MsrpUri *remote;
  int order;

  if (remote_path == NULL)
    return FALSE;
  remote = g_ptr_array_index (remote_path, remote_path->len - 1);
  order = g_strcmp0 (msrp_uri_get_session_id (local), msrp_uri_get_session_id (remote));
  if (order == 0)
    {
      g_autofree char *a = msrp_uri_to_string (local);
      g_autofree char *b = msrp_uri_to_string (remote);
      order = strcmp (a, b);
    }
  return order < 0;
}

static void
on_session_transport (MsrpSession *session, GParamSpec *pspec, gpointer user_data);

static void
on_standby_session_closed (MsrpSession *session, const GError *error, gpointer user_data)
{
  standby_stop (user_data);
}

/* The application dropped the session without closing it. */
static void
on_standby_session_gone (gpointer user_data, GObject *where_the_session_was)
{
  Direct *d = user_data;

  /* Its signal handlers went before it. */
  d->notify_id = d->closed_id = 0;
  d->session = NULL;
  d->standby = FALSE;
  close_listener (d);
}

/* Stands by for @session, which d->session holds weakly from now on. */
static void
standby_start (Direct *d, MsrpSession *session)
{
  d->standby = TRUE;
  d->session = session;
  g_object_weak_ref (G_OBJECT (session), on_standby_session_gone, d);
  if (d->notify_id == 0)
    d->notify_id = g_signal_connect (session, "notify::transport",
                                     G_CALLBACK (on_session_transport), d);
  d->closed_id = g_signal_connect (session, "closed",
                                   G_CALLBACK (on_standby_session_closed), d);
}

static void
standby_stop (Direct *d)
{
  g_clear_signal_handler (&d->notify_id, d->session);
  g_clear_signal_handler (&d->closed_id, d->session);
  g_object_weak_unref (G_OBJECT (d->session), on_standby_session_gone, d);
  d->session = NULL;
  d->standby = FALSE;
  close_listener (d);
}

/* The session is handed out while the request that binds it provisionally
 * waits; the acceptor stands by until a request is accepted (that one, or
 * one on a later connection when the session refuses it). */
static void
hand_out_pending (Direct *d)
{
  g_autoptr(GTask) task = g_steal_pointer (&d->task);
  MsrpSession *session = d->session;

  stop_waiting (d);
  /* The hand-out takes the reference d->session had. */
  standby_start (d, session);
  msrp_connector_hand_out (task, session, &d->hold);
}

/* Attaches the session to an incoming connection for the request being
 * routed there. While completing, that request waits until the
 * application has the session. */
static gboolean
attach_incoming (Direct *d, MsrpTransport *transport, gboolean provisional)
{
  gboolean completing = d->task != NULL && !d->reconnecting;

  if (completing)
    msrp_bind_hold_now (&d->hold, transport);
  if (!msrp_session_attach (d->session, transport, provisional, NULL))
    {
      msrp_bind_hold_clear (&d->hold);
      return FALSE;
    }
  /* A firm attachment notified MsrpSession:transport, which completed. */
  if (completing && provisional)
    hand_out_pending (d);
  return TRUE;
}

static gboolean
on_unbound_request (MsrpListener  *listener,
                    MsrpTransport *transport,
                    MsrpFrame     *head,
                    guint         *status,
                    gpointer       user_data)
{
  Direct *d = user_data;
  GPtrArray *to_path = msrp_frame_peek_path (head, MSRP_PATH_TO);
  MsrpTransport *current;

  *status = 481;
  if (d->session == NULL || to_path == NULL || to_path->len == 0 ||
      g_strcmp0 (msrp_uri_get_session_id (g_ptr_array_index (to_path, 0)),
                 msrp_session_get_session_id (d->session)) != 0)
    return FALSE;
  if (!d->accept_any_from_path && !msrp_session_matches_request (d->session, head))
    return FALSE;

  current = msrp_session_peek_transport (d->session);
  if (d->active && wins_tie (d))
    {
      *status = 506;
      return FALSE;
    }
  if (current == NULL)
    return attach_incoming (d, transport, TRUE);
  if (!msrp_session_is_attach_pending (d->session) && (d->standby || current == d->outgoing))
    {
      /* The peer's connection replaces the one the session has (a
       * simultaneous connect we lose, or the peer reconnecting). */
      g_clear_object (&d->outgoing);
      /* The peer moved first: what it still had on the old connection is
       * sent again on this one. */
      msrp_session_detach (d->session, TRUE);
      return attach_incoming (d, transport, FALSE);
    }
  *status = 506;
  return FALSE;
}

static void
on_session_transport (MsrpSession *session, GParamSpec *pspec, gpointer user_data)
{
  Direct *d = user_data;
  MsrpTransport *transport = msrp_session_get_transport (session);

  if (transport == NULL || transport == d->outgoing)
    return;
  /* Bound on an incoming connection, which the session now owns. */
  msrp_listener_forget (d->listener, transport);
  if (d->standby)
    standby_stop (d);
  else
    direct_succeed (d);
}

static void
start_listening (Direct *d)
{
  g_signal_connect_object (d->listener, "transport-created",
                           G_CALLBACK (msrp_connector_transport_created), d->connector,
                           G_CONNECT_SWAPPED);
  msrp_listener_set_client_fingerprint (d->listener,
                                        msrp_connector_get_remote_fingerprint (d->connector));
  msrp_listener_start (d->listener, on_unbound_request, d);
}

/* Starts a completion or reconnection of d->session for @task. */
static void
direct_begin (Direct *d, GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  d->task = g_object_ref (task);
  d->notify_id = g_signal_connect (d->session, "notify::transport",
                                   G_CALLBACK (on_session_transport), d);
  if (cancellable != NULL)
    {
      d->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (d->cancel_source, G_SOURCE_FUNC (on_cancelled), d, NULL);
      g_source_attach (d->cancel_source, g_task_get_context (task));
    }
}

/* --- Outgoing connections --------------------------------------------------- */

static void
on_bound (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MsrpConnector) connector = user_data;
  Direct *d = direct_of (connector);
  g_autoptr(GError) error = NULL;
  gboolean ok = msrp_session_bind_finish (MSRP_SESSION (source), result, &error);

  /* Over already, or the session moved to the peer's connection. */
  if (d->task == NULL || d->outgoing == NULL ||
      msrp_session_peek_transport (d->session) != d->outgoing)
    return;
  if (ok)
    {
      msrp_session_close_old_connections (d->session);
      direct_succeed (d);
    }
  else if (g_error_matches (error, MSRP_ERROR, MSRP_ERROR_WRONG_CONNECTION) &&
           d->listener != NULL)
    {
      /* The peer connected to us too and keeps its own connection. */
      msrp_bind_hold_clear (&d->hold);
      d->refusal = g_steal_pointer (&error);
      d->wait_source = g_timeout_source_new_seconds (SIMULTANEOUS_WAIT_SECONDS);
      g_source_set_callback (d->wait_source, on_wait_timeout, d, NULL);
      g_source_attach (d->wait_source, g_task_get_context (d->task));
    }
  else
    direct_fail (d, g_steal_pointer (&error));
}

static void
outgoing_ready (Direct *d, GIOStream *stream)
{
  g_autoptr(MsrpTransport) transport = NULL;
  GError *error = NULL;

  if (d->task == NULL || (!d->reconnecting && msrp_session_peek_transport (d->session) != NULL))
    {
      /* Done already, or the peer's connection is binding the session. */
      g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  transport = msrp_transport_new (stream);
  msrp_connector_transport_created (d->connector, transport);
  /* The old connection stays until the peer answers on the new one. */
  if (d->reconnecting)
    msrp_session_detach (d->session, FALSE);
  /* Set first: attaching notifies. */
  d->outgoing = g_object_ref (transport);
  /* What the peer sends after answering the binding SEND waits until the
   * application has the session. */
  if (!d->reconnecting)
    msrp_bind_hold_watch (&d->hold, transport, NULL);
  if (!msrp_session_attach (d->session, transport, FALSE, &error))
    {
      msrp_bind_hold_clear (&d->hold);
      g_clear_object (&d->outgoing);
      msrp_transport_abort (transport, NULL);
      direct_fail (d, error);
      return;
    }
  msrp_transport_start (transport);
  msrp_session_bind_async (d->session, g_task_get_cancellable (d->task), on_bound,
                           g_object_ref (d->connector));
}

static void
on_tls_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MsrpConnector) connector = user_data;
  Direct *d = direct_of (connector);
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = msrp_tls_client_connect_finish (result, &error);

  if (stream != NULL)
    outgoing_ready (d, stream);
  else if (d->task != NULL)
    direct_fail (d, g_steal_pointer (&error));
}

typedef struct {
  MsrpConnector *connector;
  MsrpUri *uri;
  GError *bind_error;
} ConnectCtx;

/* MsrpDirectConnector:connect-from-advertised-port: binds each socket
 * GSocketClient tries to the port of the local path before it connects. */
static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  ConnectCtx *ctx = user_data;
  Direct *d = direct_of (ctx->connector);
  GSocket *socket;
  GSocketFamily family;
  g_autoptr(GInetAddress) any = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  if (event != G_SOCKET_CLIENT_CONNECTING)
    return;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection));
  family = g_socket_get_family (socket);
  if (d->address != NULL && g_inet_address_get_family (d->address) == family)
    local = g_inet_socket_address_new (d->address, d->port);
  else
    {
      any = g_inet_address_new_any (family);
      local = g_inet_socket_address_new (any, d->port);
    }
  /* SO_REUSEADDR: earlier connections from the port may linger in
   * TIME_WAIT. */
  if (!g_socket_bind (socket, local, TRUE, &error) && ctx->bind_error == NULL)
    ctx->bind_error = g_steal_pointer (&error);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ConnectCtx *ctx = user_data;
  Direct *d = direct_of (ctx->connector);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  const char *host = msrp_uri_get_host (ctx->uri);

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_signal_handlers_disconnect_by_data (source, ctx);
  if (connection != NULL && ctx->bind_error != NULL)
    {
      /* It went out from another port, which the peer would refuse. */
      g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&connection);
      g_clear_error (&error);
      error = g_steal_pointer (&ctx->bind_error);
      g_prefix_error (&error, "Cannot connect from port %u: ", d->port);
    }
  if (connection != NULL)
    msrp_socket_set_no_delay (connection);
  if (connection == NULL)
    {
      if (d->task != NULL)
        direct_fail (d, g_steal_pointer (&error));
    }
  else if (!msrp_uri_is_secure (ctx->uri))
    outgoing_ready (d, G_IO_STREAM (connection));
  else if (d->task != NULL)
    /* SNI only for names: RFC 6066 forbids addresses there. */
    msrp_tls_client_connect_async (G_IO_STREAM (connection),
                                   msrp_connector_get_credentials (ctx->connector),
                                   msrp_connector_get_remote_fingerprint (ctx->connector),
                                   g_hostname_is_ip_address (host) ? NULL : host,
                                   g_task_get_cancellable (d->task), on_tls_connected,
                                   g_object_ref (ctx->connector));
  msrp_uri_unref (ctx->uri);
  g_object_unref (ctx->connector);
  g_clear_error (&ctx->bind_error);
  g_free (ctx);
}

/* Connects to the first hop of @remote_path. */
static void
connect_outgoing (Direct *d, GPtrArray *remote_path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = NULL;
  MsrpUri *uri = g_ptr_array_index (remote_path, 0);
  int port = msrp_uri_get_port (uri);
  ConnectCtx *ctx = g_new0 (ConnectCtx, 1);

  ctx->connector = g_object_ref (d->connector);
  ctx->uri = msrp_uri_ref (uri);
  address = g_network_address_new (msrp_uri_get_host (uri), port >= 0 ? port : MSRP_DEFAULT_PORT);
  /* MSRP has no business with HTTP proxies. */
  g_socket_client_set_enable_proxy (client, FALSE);
  if (d->from_advertised_port)
    g_signal_connect (client, "event", G_CALLBACK (on_client_event), ctx);
  g_socket_client_connect_async (client, address, g_task_get_cancellable (d->task), on_connected,
                                 ctx);
}

/* --- The virtual functions ------------------------------------------------- */

static void
direct_prepare_async (MsrpConnector       *connector,
                      MsrpUri             *local_uri,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Direct *d = direct_of (connector);
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *advertised = NULL;
  g_autoptr(GPtrArray) path = msrp_path_new ();
  GError *error = NULL;

  g_task_set_source_tag (task, direct_prepare_async);
  msrp_listener_resolve_host (msrp_uri_get_host (local_uri),
                              msrp_connector_get_advertised_host (connector),
                              &address, &advertised);
  d->secure = msrp_uri_is_secure (local_uri);
  d->listener = msrp_listener_new (address, msrp_uri_get_port (local_uri),
                                   d->secure ? msrp_connector_get_credentials (connector) : NULL,
                                   NULL, &error);
  if (d->listener == NULL)
    {
      g_prefix_error (&error, "Cannot listen on %s: ", msrp_uri_get_host (local_uri));
      g_task_return_error (task, error);
      return;
    }
  d->address = g_steal_pointer (&address);
  d->port = msrp_listener_get_port (d->listener);
  g_ptr_array_add (path, msrp_uri_new (d->secure, advertised, d->port,
                                       msrp_uri_get_session_id (local_uri),
                                       msrp_uri_get_transport (local_uri)));
  g_task_return_pointer (task, g_steal_pointer (&path), (GDestroyNotify) g_ptr_array_unref);
}

static GPtrArray *
direct_prepare_finish (MsrpConnector  *connector,
                       GAsyncResult   *result,
                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
direct_complete_async (MsrpConnector       *connector,
                       GPtrArray           *remote_path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Direct *d = direct_of (connector);
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);

  g_task_set_source_tag (task, direct_complete_async);
  if (d->listener == NULL)
    {
      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_FAILED,
                               "This connector was handed over by msrp_connector_negotiate()");
      return;
    }
  d->session = msrp_session_new (NULL, msrp_connector_get_local_path (connector),
                                 d->accept_any_from_path ? NULL : remote_path, NULL);
  msrp_session_set_matching (d->session, msrp_connector_get_matching (connector));
  direct_begin (d, task);
  /* The port is needed for connecting from it: no meeting halfway. */
  if (d->active && d->from_advertised_port)
    close_listener (d);
  else
    start_listening (d);
  if (d->active)
    connect_outgoing (d, remote_path);
}

static MsrpSession *
direct_complete_finish (MsrpConnector  *connector,
                        GAsyncResult   *result,
                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
direct_reconnect_async (MsrpConnector       *connector,
                        MsrpSession         *session,
                        GPtrArray           *remote_path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Direct *d = direct_of (connector);
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, direct_reconnect_async);
  if (d->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The connector is still connecting");
      return;
    }
  if (d->active)
    {
      d->reconnecting = TRUE;
      d->session = g_object_ref (session);
      direct_begin (d, task);
      connect_outgoing (d, remote_path);
      return;
    }

  /* The passive end cannot tell whether the peer will reconnect: it
   * listens again, in the background, for as long as the session lives
   * (the application's references keep it, not this one). */
  if (!d->standby)
    {
      d->listener = msrp_listener_new (d->address, d->port,
                                       d->secure ? msrp_connector_get_credentials (connector) : NULL,
                                       NULL, &error);
      if (d->listener == NULL)
        {
          g_prefix_error (&error, "Cannot listen on port %u again: ", d->port);
          g_task_return_error (task, error);
          return;
        }
      standby_start (d, session);
      start_listening (d);
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
direct_reconnect_finish (MsrpConnector  *connector,
                         GAsyncResult   *result,
                         GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
direct_class_init (MsrpConnectorClass *klass)
{
  klass->prepare_async = direct_prepare_async;
  klass->prepare_finish = direct_prepare_finish;
  klass->complete_async = direct_complete_async;
  klass->complete_finish = direct_complete_finish;
  klass->reconnect_async = direct_reconnect_async;
  klass->reconnect_finish = direct_reconnect_finish;
}

MsrpConnector *
msrp_direct_switch_role (MsrpConnector *connector)
{
  Direct *from = direct_of (connector);
  MsrpConnector *other = from->active ? msrp_direct_acceptor_new () : msrp_direct_connector_new ();
  Direct *to = direct_of (other);

  msrp_connector_copy_settings (connector, other);
  to->secure = from->secure;
  to->address = g_steal_pointer (&from->address);
  to->port = from->port;
  to->listener = g_steal_pointer (&from->listener);
  return other;
}

/* --- MsrpDirectConnector ----------------------------------------------------- */

static void
msrp_direct_connector_init (MsrpDirectConnector *self)
{
  direct_init (&self->d, MSRP_CONNECTOR (self), TRUE);
}

static void
msrp_direct_connector_dispose (GObject *object)
{
  direct_dispose (&MSRP_DIRECT_CONNECTOR (object)->d);
  G_OBJECT_CLASS (msrp_direct_connector_parent_class)->dispose (object);
}

static void
msrp_direct_connector_finalize (GObject *object)
{
  direct_finalize (&MSRP_DIRECT_CONNECTOR (object)->d);
  G_OBJECT_CLASS (msrp_direct_connector_parent_class)->finalize (object);
}

static void
msrp_direct_connector_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MsrpDirectConnector *self = MSRP_DIRECT_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_CONNECT_FROM_ADVERTISED_PORT:
      g_value_set_boolean (value, self->d.from_advertised_port);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_direct_connector_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MsrpDirectConnector *self = MSRP_DIRECT_CONNECTOR (object);

  switch (prop_id)
    {
    case PROP_CONNECT_FROM_ADVERTISED_PORT:
      msrp_direct_connector_set_connect_from_advertised_port (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_direct_connector_class_init (MsrpDirectConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = msrp_direct_connector_dispose;
  object_class->finalize = msrp_direct_connector_finalize;
  object_class->get_property = msrp_direct_connector_get_property;
  object_class->set_property = msrp_direct_connector_set_property;
  direct_class_init (MSRP_CONNECTOR_CLASS (klass));

  /**
   * MsrpDirectConnector:connect-from-advertised-port:
   *
   * Whether connections are opened from the port of the local path (the
   * one advertised in SDP `a=path`) rather than from any free port. For
   * peers that accept a connection only from the address and port of the
   * offerer's `a=path`, such as SipLib (NG911). The connector then does
   * not listen while it connects (the port is in use for connecting), so
   * a peer that connects at the same time is not met halfway; and the
   * advertised port is where the connection comes from only when nothing
   * (a NAT, [property@Msrp.Connector:advertised-host] naming another
   * machine) stands between. Set it before completing.
   */
  connector_props[PROP_CONNECT_FROM_ADVERTISED_PORT] =
    g_param_spec_boolean ("connect-from-advertised-port", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_CONNECTOR_PROPS, connector_props);
}

/**
 * msrp_direct_connector_get_connect_from_advertised_port:
 * @connector: a #MsrpDirectConnector
 *
 * Gets whether connections are opened from the port of the local path.
 *
 * Returns: [property@Msrp.DirectConnector:connect-from-advertised-port]
 */
gboolean
msrp_direct_connector_get_connect_from_advertised_port (MsrpDirectConnector *connector)
{
  g_return_val_if_fail (MSRP_IS_DIRECT_CONNECTOR (connector), FALSE);
  return connector->d.from_advertised_port;
}

/**
 * msrp_direct_connector_set_connect_from_advertised_port:
 * @connector: a #MsrpDirectConnector
 * @from_port: whether to connect from the port of the local path
 *
 * Sets [property@Msrp.DirectConnector:connect-from-advertised-port].
 */
void
msrp_direct_connector_set_connect_from_advertised_port (MsrpDirectConnector *connector,
                                                        gboolean             from_port)
{
  g_return_if_fail (MSRP_IS_DIRECT_CONNECTOR (connector));

  from_port = !!from_port;
  if (connector->d.from_advertised_port == from_port)
    return;
  connector->d.from_advertised_port = from_port;
  g_object_notify_by_pspec (G_OBJECT (connector), connector_props[PROP_CONNECT_FROM_ADVERTISED_PORT]);
}

/**
 * msrp_direct_connector_new:
 *
 * Makes the active end of a direct connection.
 *
 * Returns: (transfer full): a new #MsrpDirectConnector
 */
MsrpConnector *
msrp_direct_connector_new (void)
{
  return g_object_new (MSRP_TYPE_DIRECT_CONNECTOR, NULL);
}

/* --- MsrpDirectAcceptor ------------------------------------------------------ */

static void
msrp_direct_acceptor_init (MsrpDirectAcceptor *self)
{
  direct_init (&self->d, MSRP_CONNECTOR (self), FALSE);
}

static void
msrp_direct_acceptor_dispose (GObject *object)
{
  direct_dispose (&MSRP_DIRECT_ACCEPTOR (object)->d);
  G_OBJECT_CLASS (msrp_direct_acceptor_parent_class)->dispose (object);
}

static void
msrp_direct_acceptor_finalize (GObject *object)
{
  direct_finalize (&MSRP_DIRECT_ACCEPTOR (object)->d);
  G_OBJECT_CLASS (msrp_direct_acceptor_parent_class)->finalize (object);
}

static void
msrp_direct_acceptor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MsrpDirectAcceptor *self = MSRP_DIRECT_ACCEPTOR (object);

  switch (prop_id)
    {
    case PROP_ACCEPT_ANY_FROM_PATH:
      g_value_set_boolean (value, self->d.accept_any_from_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_direct_acceptor_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MsrpDirectAcceptor *self = MSRP_DIRECT_ACCEPTOR (object);

  switch (prop_id)
    {
    case PROP_ACCEPT_ANY_FROM_PATH:
      msrp_direct_acceptor_set_accept_any_from_path (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_direct_acceptor_class_init (MsrpDirectAcceptorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = msrp_direct_acceptor_dispose;
  object_class->finalize = msrp_direct_acceptor_finalize;
  object_class->get_property = msrp_direct_acceptor_get_property;
  object_class->set_property = msrp_direct_acceptor_set_property;
  direct_class_init (MSRP_CONNECTOR_CLASS (klass));

  /**
   * MsrpDirectAcceptor:accept-any-from-path:
   *
   * Whether the request that binds the session may come from any
   * From-Path. The session then learns the peer's path from that request
   * instead of taking the one given to msrp_connector_complete_async(), for
   * peers behind middleboxes that rewrite `a=path` when session-id matching
   * was not negotiated. Set it before completing.
   */
  acceptor_props[PROP_ACCEPT_ANY_FROM_PATH] =
    g_param_spec_boolean ("accept-any-from-path", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, acceptor_props);
}

/**
 * msrp_direct_acceptor_new:
 *
 * Makes the passive end of a direct connection.
 *
 * Returns: (transfer full): a new #MsrpDirectAcceptor
 */
MsrpConnector *
msrp_direct_acceptor_new (void)
{
  return g_object_new (MSRP_TYPE_DIRECT_ACCEPTOR, NULL);
}

/**
 * msrp_direct_acceptor_get_accept_any_from_path:
 * @acceptor: a #MsrpDirectAcceptor
 *
 * Gets whether any From-Path may bind the session.
 *
 * Returns: [property@Msrp.DirectAcceptor:accept-any-from-path]
 */
gboolean
msrp_direct_acceptor_get_accept_any_from_path (MsrpDirectAcceptor *acceptor)
{
  g_return_val_if_fail (MSRP_IS_DIRECT_ACCEPTOR (acceptor), FALSE);
  return acceptor->d.accept_any_from_path;
}

/**
 * msrp_direct_acceptor_set_accept_any_from_path:
 * @acceptor: a #MsrpDirectAcceptor
 * @accept_any: whether any From-Path may bind the session
 *
 * Sets [property@Msrp.DirectAcceptor:accept-any-from-path].
 */
void
msrp_direct_acceptor_set_accept_any_from_path (MsrpDirectAcceptor *acceptor,
                                               gboolean            accept_any)
{
  g_return_if_fail (MSRP_IS_DIRECT_ACCEPTOR (acceptor));

  accept_any = !!accept_any;
  if (acceptor->d.accept_any_from_path == accept_any)
    return;
  acceptor->d.accept_any_from_path = accept_any;
  g_object_notify_by_pspec (G_OBJECT (acceptor), acceptor_props[PROP_ACCEPT_ANY_FROM_PATH]);
}
