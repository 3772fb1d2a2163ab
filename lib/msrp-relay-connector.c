/* msrp-relay-connector.c: the ends of a session reached through a relay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-relay-connector.h"

#include "msrp-connector-private.h"
#include "msrp-error.h"
#include "msrp-frame-private.h"
#include "msrp-relay-settings.h"
#include "msrp-session-private.h"

/* Both classes share this; @active tells them apart. Preparing connects to
 * the relay and authenticates (MsrpRelayClient); the local path is the
 * relay's Use-Path and the client's own URI. The session then runs on the
 * relay connection, which it owns: closing the session closes it. */
typedef struct
{
  MsrpConnector *connector;
  gboolean active;
  MsrpRelayClient *client;

  /* While completing */
  GTask *task;
  MsrpSession *session;
  MsrpTransport *transport;
  gulong frame_handler;
  gulong closed_handler;
  GSource *cancel_source;
  /* The requests of @transport from the one that binds the session (the
   * passive end) or the response to the binding SEND (the active end) on,
   * until the application has the session. */
  MsrpBindHold hold;
} Relay;

/**
 * MsrpRelayConnector:
 *
 * The active end of a session whose local end is behind a relay (RFC
 * 4976). Preparing connects to the relay of its [class@Msrp.RelaySettings]
 * and authenticates (see [class@Msrp.RelayClient], which
 * msrp_relay_connector_get_client() gives for more settings: more relays,
 * Expires, TLS checks); the local path is the relay's `Use-Path` followed
 * by the client's own URI. Completing binds the session with a bodiless
 * SEND sent through the relay to the peer's path; what the peer sends
 * after that waits until the application has the session, so handlers
 * connected in the completion callback see it.
 *
 * The session runs on the relay connection and owns it: closing the
 * session closes the connection and ends the relay registration. The
 * connection is refreshed (AUTH again) for as long as it lives; a refresh
 * the relay refuses closes it, and the session with it. With a relay in
 * its path a session sends chunks of at most
 * %MSRP_SESSION_RELAY_MAX_CHUNK_SIZE bytes.
 */
struct _MsrpRelayConnector
{
  MsrpConnector parent_instance;
  Relay r;
};

G_DEFINE_FINAL_TYPE (MsrpRelayConnector, msrp_relay_connector, MSRP_TYPE_CONNECTOR)

/**
 * MsrpRelayAcceptor:
 *
 * The passive end of a session whose local end is behind a relay (RFC
 * 4976): prepared like [class@Msrp.RelayConnector], it completes when the
 * peer's first request for the session (usually a bodiless SEND) arrives
 * through the relay; requests for the session from anyone else are
 * answered 481 and do not use it up. The peer may reach the relay directly
 * or through relays of its own.
 */
struct _MsrpRelayAcceptor
{
  MsrpConnector parent_instance;
  Relay r;
};

G_DEFINE_FINAL_TYPE (MsrpRelayAcceptor, msrp_relay_acceptor, MSRP_TYPE_CONNECTOR)

static Relay *
relay_of (gpointer connector)
{
  if (MSRP_IS_RELAY_CONNECTOR (connector))
    return &MSRP_RELAY_CONNECTOR (connector)->r;
  return &MSRP_RELAY_ACCEPTOR (connector)->r;
}

static void
relay_init (Relay *r, MsrpConnector *connector, gboolean active)
{
  r->connector = connector;
  r->active = active;
  msrp_connector_set_active (connector, active);
}

static void
relay_set_client (Relay *r, MsrpRelaySettings *settings)
{
  r->client = msrp_relay_client_new (settings);
}

/* --- Ending a completion ----------------------------------------------------- */

static GTask *
relay_end (Relay *r, MsrpSession **session)
{
  if (r->frame_handler != 0)
    g_clear_signal_handler (&r->frame_handler, r->transport);
  if (r->closed_handler != 0)
    g_clear_signal_handler (&r->closed_handler, r->transport);
  g_clear_object (&r->transport);
  if (r->cancel_source != NULL)
    {
      g_source_destroy (r->cancel_source);
      g_clear_pointer (&r->cancel_source, g_source_unref);
    }
  *session = g_steal_pointer (&r->session);
  return g_steal_pointer (&r->task);
}

/* Hands the session out, and then releases the requests held. */
static void
relay_succeed (Relay *r)
{
  MsrpSession *session = NULL;
  g_autoptr(GTask) task = relay_end (r, &session);

  msrp_connector_hand_out (task, session, &r->hold);
}

static void
relay_fail (Relay *r, GError *error)
{
  g_autoptr(MsrpSession) session = NULL;
  g_autoptr(GTask) task = relay_end (r, &session);

  msrp_bind_hold_clear (&r->hold);
  /* Never handed out: it goes, and the relay connection with it. */
  msrp_session_close_async (session, NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static gboolean
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Relay *r = user_data;

  g_clear_pointer (&r->cancel_source, g_source_unref);
  relay_fail (r, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                      "The connection was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
on_relay_closed (MsrpTransport *transport, const GError *error, gpointer user_data)
{
  Relay *r = user_data;

  relay_fail (r, error ? g_error_copy (error)
                       : g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED,
                                              "The relay closed the connection"));
}

/* The passive end: the peer's first request for the session. It waits
 * until the session is handed out, so that the application sees whatever
 * that request brings. */
static void
on_frame (MsrpTransport *transport, MsrpFrame *head, gpointer user_data)
{
  Relay *r = user_data;
  GPtrArray *to_path;

  if (!msrp_frame_is_request (head) || msrp_frame_get_parse_error (head) != NULL)
    return;
  to_path = msrp_frame_peek_path (head, MSRP_PATH_TO);
  if (to_path == NULL || to_path->len == 0 ||
      g_strcmp0 (msrp_uri_get_session_id (g_ptr_array_index (to_path, 0)),
                 msrp_session_get_session_id (r->session)) != 0 ||
      !msrp_session_matches_request (r->session, head))
    return;
  msrp_bind_hold_now (&r->hold, transport);
  relay_succeed (r);
}

/* The active end: the bodiless SEND went through. */
static void
on_bound (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(MsrpConnector) connector = user_data;
  Relay *r = relay_of (connector);
  g_autoptr(GError) error = NULL;
  gboolean ok = msrp_session_bind_finish (MSRP_SESSION (source), result, &error);

  if (r->task == NULL)
    return;
  if (ok)
    relay_succeed (r);
  else
    relay_fail (r, g_steal_pointer (&error));
}

/* --- The virtual functions ------------------------------------------------- */

static void
relay_prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  MsrpRelayClient *client = MSRP_RELAY_CLIENT (source);
  GError *error = NULL;

  if (!msrp_relay_client_connect_finish (client, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, msrp_relay_client_get_local_path (client),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
relay_prepare_async (MsrpConnector       *connector,
                     MsrpUri             *local_uri,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Relay *r = relay_of (connector);
  GTask *task = g_task_new (connector, cancellable, callback, user_data);

  g_task_set_source_tag (task, relay_prepare_async);
  g_signal_connect_object (r->client, "transport-created", G_CALLBACK (msrp_connector_transport_created),
                           connector, G_CONNECT_SWAPPED);
  if (msrp_relay_client_get_advertised_host (r->client) == NULL)
    msrp_relay_client_set_advertised_host (r->client,
                                           msrp_connector_get_advertised_host (connector));
  msrp_relay_client_connect_async (r->client, msrp_uri_get_session_id (local_uri), cancellable,
                                   relay_prepared, task);
}

static GPtrArray *
relay_prepare_finish (MsrpConnector  *connector,
                      GAsyncResult   *result,
                      GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
relay_complete_async (MsrpConnector       *connector,
                      GPtrArray           *remote_path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  Relay *r = relay_of (connector);
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);
  MsrpTransport *transport = msrp_relay_client_get_transport (r->client);
  GError *error = NULL;

  g_task_set_source_tag (task, relay_complete_async);
  if (transport == NULL || msrp_transport_is_closed (transport))
    {
      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_CLOSED,
                               "The relay connection is closed");
      return;
    }
  r->session = msrp_session_new (NULL, msrp_connector_get_local_path (connector), remote_path,
                                 NULL);
  msrp_session_set_matching (r->session, msrp_connector_get_matching (connector));
  if (!msrp_session_attach (r->session, transport, FALSE, &error))
    {
      g_clear_object (&r->session);
      g_task_return_error (task, error);
      return;
    }
  r->task = g_steal_pointer (&task);
  r->transport = g_object_ref (transport);
  r->closed_handler = g_signal_connect (transport, "closed", G_CALLBACK (on_relay_closed), r);
  if (cancellable != NULL)
    {
      r->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (r->cancel_source, G_SOURCE_FUNC (on_cancelled), r, NULL);
      g_source_attach (r->cancel_source, g_task_get_context (r->task));
    }
  if (r->active)
    {
      /* What the peer sends after answering the binding SEND waits until
       * the application has the session (and its signals). AUTH refreshes
       * and other sessions' chunks share the connection. */
      msrp_bind_hold_watch (&r->hold, transport, msrp_session_get_session_id (r->session));
      msrp_session_bind_async (r->session, cancellable, on_bound, g_object_ref (connector));
    }
  else
    r->frame_handler = g_signal_connect (transport, "frame-received", G_CALLBACK (on_frame), r);
}

static MsrpSession *
relay_complete_finish (MsrpConnector  *connector,
                       GAsyncResult   *result,
                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A new remote path needs no new connection: everything goes through the
 * relay, which forwards to whatever the To-Path names. */
static void
relay_reconnect_async (MsrpConnector       *connector,
                       MsrpSession         *session,
                       GPtrArray           *remote_path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (connector, cancellable, callback, user_data);

  g_task_set_source_tag (task, relay_reconnect_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
relay_reconnect_finish (MsrpConnector  *connector,
                        GAsyncResult   *result,
                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, connector), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
relay_class_init (MsrpConnectorClass *klass)
{
  klass->prepare_async = relay_prepare_async;
  klass->prepare_finish = relay_prepare_finish;
  klass->complete_async = relay_complete_async;
  klass->complete_finish = relay_complete_finish;
  klass->reconnect_async = relay_reconnect_async;
  klass->reconnect_finish = relay_reconnect_finish;
}

static void
relay_dispose (Relay *r)
{
  /* A completion holds a reference on the connector: none is under way. */
  g_clear_object (&r->client);
}

MsrpConnector *
msrp_relay_switch_role (MsrpConnector *connector)
{
  Relay *from = relay_of (connector);
  MsrpConnector *other = g_object_new (from->active ? MSRP_TYPE_RELAY_ACCEPTOR
                                                    : MSRP_TYPE_RELAY_CONNECTOR, NULL);
  Relay *to = relay_of (other);

  msrp_connector_copy_settings (connector, other);
  to->client = g_object_ref (from->client);
  return other;
}

/* --- MsrpRelayConnector ------------------------------------------------------ */

static void
msrp_relay_connector_init (MsrpRelayConnector *self)
{
  relay_init (&self->r, MSRP_CONNECTOR (self), TRUE);
}

static void
msrp_relay_connector_dispose (GObject *object)
{
  relay_dispose (&MSRP_RELAY_CONNECTOR (object)->r);
  G_OBJECT_CLASS (msrp_relay_connector_parent_class)->dispose (object);
}

static void
msrp_relay_connector_class_init (MsrpRelayConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = msrp_relay_connector_dispose;
  relay_class_init (MSRP_CONNECTOR_CLASS (klass));
}

/**
 * msrp_relay_connector_new:
 * @settings: the relay and the credentials for it
 *
 * Makes the active end of a session behind the relay of @settings.
 *
 * Returns: (transfer full): a new #MsrpRelayConnector
 */
MsrpConnector *
msrp_relay_connector_new (MsrpRelaySettings *settings)
{
  MsrpRelayConnector *self;

  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);

  self = g_object_new (MSRP_TYPE_RELAY_CONNECTOR, NULL);
  relay_set_client (&self->r, settings);
  return MSRP_CONNECTOR (self);
}

/**
 * msrp_relay_connector_get_client:
 * @connector: a #MsrpRelayConnector
 *
 * Gets the relay client, to set more of it before preparing.
 *
 * Returns: (transfer none): the #MsrpRelayClient @connector uses
 */
MsrpRelayClient *
msrp_relay_connector_get_client (MsrpRelayConnector *connector)
{
  g_return_val_if_fail (MSRP_IS_RELAY_CONNECTOR (connector), NULL);
  return connector->r.client;
}

/* --- MsrpRelayAcceptor ------------------------------------------------------- */

static void
msrp_relay_acceptor_init (MsrpRelayAcceptor *self)
{
  relay_init (&self->r, MSRP_CONNECTOR (self), FALSE);
}

static void
msrp_relay_acceptor_dispose (GObject *object)
{
  relay_dispose (&MSRP_RELAY_ACCEPTOR (object)->r);
  G_OBJECT_CLASS (msrp_relay_acceptor_parent_class)->dispose (object);
}

static void
msrp_relay_acceptor_class_init (MsrpRelayAcceptorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = msrp_relay_acceptor_dispose;
  relay_class_init (MSRP_CONNECTOR_CLASS (klass));
}

/**
 * msrp_relay_acceptor_new:
 * @settings: the relay and the credentials for it
 *
 * Makes the passive end of a session behind the relay of @settings.
 *
 * Returns: (transfer full): a new #MsrpRelayAcceptor
 */
MsrpConnector *
msrp_relay_acceptor_new (MsrpRelaySettings *settings)
{
  MsrpRelayAcceptor *self;

  g_return_val_if_fail (MSRP_IS_RELAY_SETTINGS (settings), NULL);

  self = g_object_new (MSRP_TYPE_RELAY_ACCEPTOR, NULL);
  relay_set_client (&self->r, settings);
  return MSRP_CONNECTOR (self);
}

/**
 * msrp_relay_acceptor_get_client:
 * @acceptor: a #MsrpRelayAcceptor
 *
 * Gets the relay client, to set more of it before preparing.
 *
 * Returns: (transfer none): the #MsrpRelayClient @acceptor uses
 */
MsrpRelayClient *
msrp_relay_acceptor_get_client (MsrpRelayAcceptor *acceptor)
{
  g_return_val_if_fail (MSRP_IS_RELAY_ACCEPTOR (acceptor), NULL);
  return acceptor->r.client;
}
