/* msrp-listener.h: accepting MSRP connections on one port
 *
 * Not installed. Shared by MsrpServer and the direct connector and
 * acceptor: a GSocketService that runs the TLS server side when it has
 * credentials, makes an MsrpTransport of each connection and asks its owner,
 * through the transport's unbound-request handler, which session each
 * request is for. A connection no session holds is dropped after the bind
 * timeout.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include "msrp-tls.h"
#include "msrp-transport-private.h"

G_BEGIN_DECLS

#define MSRP_TYPE_LISTENER (msrp_listener_get_type ())
G_DECLARE_FINAL_TYPE (MsrpListener, msrp_listener, MSRP, LISTENER, GObject)

/* Called for a request no endpoint is bound for on one of the listener's
 * connections; as MsrpUnboundRequestFunc. */
typedef gboolean (*MsrpListenerBindFunc) (MsrpListener  *listener,
                                          MsrpTransport *transport,
                                          MsrpFrame     *head,
                                          guint         *status,
                                          gpointer       user_data);

/* Where to listen for a local URI with @host, and what host to advertise:
 * @address is NULL for every address when @host is a wildcard (`0.0.0.0`,
 * `::`) or a name; the advertised host is @advertised_host when set, else
 * @host unless it is a wildcard, else the address of the default route. */
void           msrp_listener_resolve_host     (const char            *host,
                                               const char            *advertised_host,
                                               GInetAddress         **address,
                                               char                 **advertised);

/* Listens on @address (NULL: every address, IPv6 and IPv4) and @port (0:
 * any free port). With @credentials, connections run TLS as the server;
 * a client must then present the certificate @client_fingerprint
 * describes, or any (or none) when it is NULL. Nothing is accepted before
 * msrp_listener_start(). */
MsrpListener  *msrp_listener_new              (GInetAddress          *address,
                                               guint16                port,
                                               MsrpTlsCredentials    *credentials,
                                               const char            *client_fingerprint,
                                               GError               **error);
guint16        msrp_listener_get_port         (MsrpListener          *listener);
/* The certificate TLS clients must present from now on (NULL: any). */
void           msrp_listener_set_client_fingerprint (MsrpListener   *listener,
                                                     const char     *fingerprint);
void           msrp_listener_set_bind_timeout (MsrpListener          *listener,
                                               guint                  seconds);
/* Starts accepting; @func is called on the context of the caller. The
 * listener emits `transport-created` (MsrpTransport *) for each connection
 * it takes, before the transport starts reading. */
void           msrp_listener_start            (MsrpListener          *listener,
                                               MsrpListenerBindFunc   func,
                                               gpointer               user_data);
/* A session is bound on @transport: no bind timeout while one is. */
void           msrp_listener_hold             (MsrpListener          *listener,
                                               MsrpTransport         *transport);
/* One less session on @transport; with none left, the timeout runs again. */
void           msrp_listener_release          (MsrpListener          *listener,
                                               MsrpTransport         *transport);
/* The caller took @transport over: the listener forgets it. */
void           msrp_listener_forget           (MsrpListener          *listener,
                                               MsrpTransport         *transport);
/* Stops listening and closes every connection it still has. */
void           msrp_listener_close            (MsrpListener          *listener);

G_END_DECLS
