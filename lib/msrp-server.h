/* msrp-server.h: many MSRP sessions on one listening port
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <gio/gio.h>
#include "msrp-version.h"
#include "msrp-uri.h"
#include "msrp-tls.h"
#include "msrp-session.h"

G_BEGIN_DECLS

/**
 * MSRP_SERVER_DEFAULT_BIND_TIMEOUT:
 *
 * Seconds an incoming connection may take to bind a session before the
 * server drops it, by default.
 */
#define MSRP_SERVER_DEFAULT_BIND_TIMEOUT 30

#define MSRP_TYPE_SERVER (msrp_server_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpServer, msrp_server, MSRP, SERVER, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpServer         *msrp_server_new                 (MsrpUri             *listen_uri,
                                                     MsrpTlsCredentials  *credentials,
                                                     GError             **error);
MSRP_AVAILABLE_IN_ALL
MsrpUri            *msrp_server_get_listen_uri      (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
MsrpUri            *msrp_server_get_local_uri       (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_server_get_advertised_host (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
void                msrp_server_set_advertised_host (MsrpServer          *server,
                                                     const char          *host);
MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_server_get_credentials     (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_server_get_fingerprint     (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
guint               msrp_server_get_bind_timeout    (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
void                msrp_server_set_bind_timeout    (MsrpServer          *server,
                                                     guint                seconds);
MSRP_AVAILABLE_IN_ALL
MsrpSessionMatching msrp_server_get_matching        (MsrpServer          *server);
MSRP_AVAILABLE_IN_ALL
void                msrp_server_set_matching        (MsrpServer          *server,
                                                     MsrpSessionMatching  matching);

MSRP_AVAILABLE_IN_ALL
MsrpSession        *msrp_server_add_session         (MsrpServer          *server,
                                                     GPtrArray           *remote_path,
                                                     const char          *remote_fingerprint);
MSRP_AVAILABLE_IN_ALL
void                msrp_server_remove_session      (MsrpServer          *server,
                                                     MsrpSession         *session);
MSRP_AVAILABLE_IN_ALL
guint               msrp_server_get_n_sessions      (MsrpServer          *server);

MSRP_AVAILABLE_IN_ALL
void                msrp_server_close               (MsrpServer          *server);

G_END_DECLS
