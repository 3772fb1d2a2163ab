/* msrp-relay-client.h: one client connection to an RFC 4976 relay
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
#include "msrp-relay-settings.h"
#include "msrp-tls.h"
#include "msrp-transport.h"

G_BEGIN_DECLS

#define MSRP_TYPE_RELAY_CLIENT (msrp_relay_client_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpRelayClient, msrp_relay_client, MSRP, RELAY_CLIENT, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpRelayClient    *msrp_relay_client_new                  (MsrpRelaySettings   *settings);
MSRP_AVAILABLE_IN_ALL
MsrpRelaySettings  *msrp_relay_client_get_settings         (MsrpRelayClient     *client);

MSRP_AVAILABLE_IN_ALL
GPtrArray          *msrp_relay_client_get_relays           (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_add_relay            (MsrpRelayClient     *client,
                                                            MsrpUri             *relay_uri);
MSRP_AVAILABLE_IN_ALL
guint               msrp_relay_client_get_expires          (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_set_expires          (MsrpRelayClient     *client,
                                                            guint                seconds);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_relay_client_get_tls_fingerprint  (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_set_tls_fingerprint  (MsrpRelayClient     *client,
                                                            const char          *fingerprint);
MSRP_AVAILABLE_IN_ALL
GTlsDatabase       *msrp_relay_client_get_tls_database     (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_set_tls_database     (MsrpRelayClient     *client,
                                                            GTlsDatabase        *database);
MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_relay_client_get_tls_credentials  (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_set_tls_credentials  (MsrpRelayClient     *client,
                                                            MsrpTlsCredentials  *credentials);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_relay_client_get_advertised_host  (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_set_advertised_host  (MsrpRelayClient     *client,
                                                            const char          *host);

MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_connect_async        (MsrpRelayClient     *client,
                                                            const char          *session_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean            msrp_relay_client_connect_finish       (MsrpRelayClient     *client,
                                                            GAsyncResult        *result,
                                                            GError             **error);
MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_authenticate_async   (MsrpRelayClient     *client,
                                                            MsrpTransport       *transport,
                                                            MsrpUri             *relay_uri,
                                                            MsrpUri             *local_uri,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean            msrp_relay_client_authenticate_finish  (MsrpRelayClient     *client,
                                                            GAsyncResult        *result,
                                                            GError             **error);

MSRP_AVAILABLE_IN_ALL
MsrpTransport      *msrp_relay_client_get_transport        (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
MsrpUri            *msrp_relay_client_get_relay_uri        (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
MsrpUri            *msrp_relay_client_get_local_uri        (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
GPtrArray          *msrp_relay_client_get_use_path         (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
GPtrArray          *msrp_relay_client_get_local_path       (MsrpRelayClient     *client);
MSRP_AVAILABLE_IN_ALL
guint               msrp_relay_client_get_granted_expires  (MsrpRelayClient     *client);

MSRP_AVAILABLE_IN_ALL
void                msrp_relay_client_close                (MsrpRelayClient     *client);

G_END_DECLS
