/* msrp-relay-connector.h: the ends of a session reached through a relay
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include "msrp-connector.h"
#include "msrp-relay-client.h"

G_BEGIN_DECLS

#define MSRP_TYPE_RELAY_CONNECTOR (msrp_relay_connector_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpRelayConnector, msrp_relay_connector, MSRP, RELAY_CONNECTOR, MsrpConnector)

MSRP_AVAILABLE_IN_ALL
MsrpConnector   *msrp_relay_connector_new        (MsrpRelaySettings  *settings);
MSRP_AVAILABLE_IN_ALL
MsrpRelayClient *msrp_relay_connector_get_client (MsrpRelayConnector *connector);

#define MSRP_TYPE_RELAY_ACCEPTOR (msrp_relay_acceptor_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpRelayAcceptor, msrp_relay_acceptor, MSRP, RELAY_ACCEPTOR, MsrpConnector)

MSRP_AVAILABLE_IN_ALL
MsrpConnector   *msrp_relay_acceptor_new         (MsrpRelaySettings  *settings);
MSRP_AVAILABLE_IN_ALL
MsrpRelayClient *msrp_relay_acceptor_get_client  (MsrpRelayAcceptor  *acceptor);

G_END_DECLS
