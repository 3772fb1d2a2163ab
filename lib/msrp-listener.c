/* msrp-listener.c: accepting MSRP connections on one port
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-listener.h"
#include "msrp-error.h"
#include "msrp-socket-private.h"
#include "msrp-source-private.h"

typedef struct {
  MsrpListener *listener;
  MsrpTransport *transport;
  guint holds;
  GSource *timeout;
  gulong closed_id;
} Conn;

typedef struct {
  MsrpListener *listener;
  GCancellable *cancellable;
  GSource *timeout;
} Handshake;

struct _MsrpListener
{
  GObject parent_instance;

  GMainContext *context;
  GSocketService *service;
  guint16 port;
  MsrpTlsCredentials *credentials;
  char *client_fingerprint;
  guint bind_timeout;
  MsrpListenerBindFunc func;
  gpointer user_data;
  GHashTable *conns;       /* MsrpTransport * → Conn * */
  GHashTable *handshakes;  /* Handshake * */
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (MsrpListener, msrp_listener, G_TYPE_OBJECT)

enum {
  SIGNAL_TRANSPORT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GSource *
timeout_new (MsrpListener *self, GSourceFunc func, gpointer data)
{
  GSource *source = g_timeout_source_new_seconds (self->bind_timeout);

  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
conn_free (Conn *conn)
{
  msrp_source_clear (&conn->timeout);
  g_signal_handler_disconnect (conn->transport, conn->closed_id);
  g_object_unref (conn->transport);
  g_free (conn);
}

static gboolean
conn_timed_out (gpointer user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&conn->timeout, g_source_unref);
  error = g_error_new (MSRP_ERROR, MSRP_ERROR_TIMEOUT,
                       "No session was bound on the connection within %u s",
                       conn->listener->bind_timeout);
  g_debug ("dropping connection %p: %s", (void *) conn->transport, error->message);
  /* The closed handler frees @conn. */
  msrp_transport_abort (conn->transport, error);
  return G_SOURCE_REMOVE;
}

static void
conn_arm (Conn *conn)
{
  msrp_source_clear (&conn->timeout);
  if (conn->listener->bind_timeout > 0 && conn->holds == 0)
    conn->timeout = timeout_new (conn->listener, conn_timed_out, conn);
}

static void
on_transport_closed (MsrpTransport *transport, const GError *error, gpointer user_data)
{
  MsrpListener *self = user_data;

  g_hash_table_remove (self->conns, transport);
}

static gboolean
on_unbound_request (MsrpTransport *transport, MsrpFrame *head, guint *status, gpointer user_data)
{
  MsrpListener *self = user_data;

  if (self->func == NULL)
    return FALSE;
  return self->func (self, transport, head, status, self->user_data);
}

static void
add_connection (MsrpListener *self, GIOStream *stream)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->listener = self;
  conn->transport = msrp_transport_new (stream);
  conn->closed_id = g_signal_connect (conn->transport, "closed",
                                      G_CALLBACK (on_transport_closed), self);
  msrp_transport_set_unbound_handler (conn->transport, on_unbound_request, self, NULL);
  g_hash_table_insert (self->conns, conn->transport, conn);
  conn_arm (conn);
  g_signal_emit (self, signals[SIGNAL_TRANSPORT_CREATED], 0, conn->transport);
  msrp_transport_start (conn->transport);
}

static void
handshake_free (Handshake *hs)
{
  msrp_source_clear (&hs->timeout);
  g_object_unref (hs->cancellable);
  g_free (hs);
}

static gboolean
handshake_timed_out (gpointer user_data)
{
  Handshake *hs = user_data;

  g_clear_pointer (&hs->timeout, g_source_unref);
  g_cancellable_cancel (hs->cancellable);
  return G_SOURCE_REMOVE;
}

static void
handshake_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Handshake *hs = user_data;
  MsrpListener *self = hs->listener;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) stream = msrp_tls_server_accept_finish (result, &error);

  if (stream == NULL)
    g_debug ("TLS handshake with an incoming connection failed: %s", error->message);
  else if (!self->closed)
    add_connection (self, stream);
  g_hash_table_remove (self->handshakes, hs);
  g_object_unref (self);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  MsrpListener *self = user_data;
  Handshake *hs;

  if (self->closed)
    return FALSE;
  msrp_socket_set_no_delay (connection);
  if (self->credentials == NULL)
    {
      add_connection (self, G_IO_STREAM (connection));
      return TRUE;
    }
  hs = g_new0 (Handshake, 1);
  /* A handshake keeps the listener; msrp_listener_close() cancels it. */
  hs->listener = g_object_ref (self);
  hs->cancellable = g_cancellable_new ();
  if (self->bind_timeout > 0)
    hs->timeout = timeout_new (self, handshake_timed_out, hs);
  g_hash_table_add (self->handshakes, hs);
  msrp_tls_server_accept_async (G_IO_STREAM (connection), self->credentials,
                                self->client_fingerprint, hs->cancellable, handshake_done, hs);
  return TRUE;
}

static void
msrp_listener_init (MsrpListener *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->bind_timeout = 30;
  self->conns = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) conn_free);
  self->handshakes = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) handshake_free, NULL);
}

static void
msrp_listener_dispose (GObject *object)
{
  msrp_listener_close (MSRP_LISTENER (object));
  G_OBJECT_CLASS (msrp_listener_parent_class)->dispose (object);
}

static void
msrp_listener_finalize (GObject *object)
{
  MsrpListener *self = MSRP_LISTENER (object);

  g_hash_table_unref (self->conns);
  g_hash_table_unref (self->handshakes);
  g_clear_object (&self->service);
  g_clear_object (&self->credentials);
  g_free (self->client_fingerprint);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (msrp_listener_parent_class)->finalize (object);
}

static void
msrp_listener_class_init (MsrpListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = msrp_listener_dispose;
  object_class->finalize = msrp_listener_finalize;

  signals[SIGNAL_TRANSPORT_CREATED] =
    g_signal_new ("transport-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, MSRP_TYPE_TRANSPORT);
}

static gboolean
is_wildcard (GInetAddress *address)
{
  return address != NULL && g_inet_address_get_is_any (address);
}

/* The address this host sends from by default: the local end of a UDP
 * socket "connected" towards a documentation address (no packet is sent). */
static char *
default_route_address (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  target = g_inet_socket_address_new_from_string ("192.0.2.1", 9);
  if (socket != NULL && g_socket_connect (socket, target, NULL, NULL))
    local = g_socket_get_local_address (socket, NULL);
  if (local == NULL)
    return g_strdup ("127.0.0.1");
  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
}

void
msrp_listener_resolve_host (const char    *host,
                            const char    *advertised_host,
                            GInetAddress **address,
                            char         **advertised)
{
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (host);

  *address = literal != NULL && !is_wildcard (literal) ? g_object_ref (literal) : NULL;
  if (advertised_host != NULL)
    *advertised = g_strdup (advertised_host);
  else if (literal == NULL || !is_wildcard (literal))
    *advertised = g_strdup (host);
  else
    *advertised = default_route_address ();
}

MsrpListener *
msrp_listener_new (GInetAddress        *address,
                   guint16              port,
                   MsrpTlsCredentials  *credentials,
                   const char          *client_fingerprint,
                   GError             **error)
{
  g_autoptr(MsrpListener) self = g_object_new (MSRP_TYPE_LISTENER, NULL);
  GSocketListener *listener;

  self->service = g_socket_service_new ();
  listener = G_SOCKET_LISTENER (self->service);
  g_socket_service_stop (self->service);
  if (address == NULL && port == 0)
    {
      self->port = g_socket_listener_add_any_inet_port (listener, NULL, error);
      if (self->port == 0)
        return NULL;
    }
  else if (address == NULL)
    {
      if (!g_socket_listener_add_inet_port (listener, port, NULL, error))
        return NULL;
      self->port = port;
    }
  else
    {
      g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (address, port);
      g_autoptr(GSocketAddress) effective = NULL;

      if (!g_socket_listener_add_address (listener, wanted, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
        return NULL;
      self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
    }
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  self->credentials = credentials ? g_object_ref (credentials) : NULL;
  self->client_fingerprint = g_strdup (client_fingerprint);
  return g_steal_pointer (&self);
}

guint16
msrp_listener_get_port (MsrpListener *listener)
{
  g_return_val_if_fail (MSRP_IS_LISTENER (listener), 0);
  return listener->port;
}

void
msrp_listener_set_client_fingerprint (MsrpListener *listener,
                                      const char   *fingerprint)
{
  g_return_if_fail (MSRP_IS_LISTENER (listener));

  g_free (listener->client_fingerprint);
  listener->client_fingerprint = g_strdup (fingerprint);
}

void
msrp_listener_set_bind_timeout (MsrpListener *listener,
                                guint         seconds)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (MSRP_IS_LISTENER (listener));

  listener->bind_timeout = seconds;
  g_hash_table_iter_init (&iter, listener->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    conn_arm (value);
}

void
msrp_listener_start (MsrpListener         *listener,
                     MsrpListenerBindFunc  func,
                     gpointer              user_data)
{
  g_return_if_fail (MSRP_IS_LISTENER (listener));
  g_return_if_fail (!listener->closed);

  listener->func = func;
  listener->user_data = user_data;
  g_socket_service_start (listener->service);
}

void
msrp_listener_hold (MsrpListener  *listener,
                    MsrpTransport *transport)
{
  Conn *conn;

  g_return_if_fail (MSRP_IS_LISTENER (listener));

  conn = g_hash_table_lookup (listener->conns, transport);
  if (conn == NULL)
    return;
  conn->holds++;
  msrp_source_clear (&conn->timeout);
}

void
msrp_listener_release (MsrpListener  *listener,
                       MsrpTransport *transport)
{
  Conn *conn;

  g_return_if_fail (MSRP_IS_LISTENER (listener));

  conn = g_hash_table_lookup (listener->conns, transport);
  if (conn == NULL || conn->holds == 0)
    return;
  conn->holds--;
  conn_arm (conn);
}

void
msrp_listener_forget (MsrpListener  *listener,
                      MsrpTransport *transport)
{
  g_return_if_fail (MSRP_IS_LISTENER (listener));

  if (!g_hash_table_contains (listener->conns, transport))
    return;
  msrp_transport_set_unbound_handler (transport, NULL, NULL, NULL);
  g_hash_table_remove (listener->conns, transport);
}

void
msrp_listener_close (MsrpListener *listener)
{
  g_autoptr(GList) handshakes = NULL;
  g_autoptr(GList) transports = NULL;

  g_return_if_fail (MSRP_IS_LISTENER (listener));

  if (listener->closed)
    return;
  listener->closed = TRUE;
  listener->func = NULL;
  if (listener->service != NULL)
    {
      g_socket_service_stop (listener->service);
      g_socket_listener_close (G_SOCKET_LISTENER (listener->service));
    }
  handshakes = g_hash_table_get_keys (listener->handshakes);
  for (GList *l = handshakes; l != NULL; l = l->next)
    g_cancellable_cancel (((Handshake *) l->data)->cancellable);
  /* Each abort removes its entry (the closed handler). */
  transports = g_hash_table_get_keys (listener->conns);
  for (GList *l = transports; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = transports; l != NULL; l = l->next)
    {
      msrp_transport_set_unbound_handler (l->data, NULL, NULL, NULL);
      msrp_transport_abort (l->data, NULL);
      g_object_unref (l->data);
    }
}
