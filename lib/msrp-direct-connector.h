/* msrp-direct-connector.h: the active and passive ends of a direct connection
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include "msrp-connector.h"

G_BEGIN_DECLS

#define MSRP_TYPE_DIRECT_CONNECTOR (msrp_direct_connector_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpDirectConnector, msrp_direct_connector, MSRP, DIRECT_CONNECTOR, MsrpConnector)

MSRP_AVAILABLE_IN_ALL
MsrpConnector *msrp_direct_connector_new                              (void);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_direct_connector_get_connect_from_advertised_port (MsrpDirectConnector *connector);
MSRP_AVAILABLE_IN_ALL
void           msrp_direct_connector_set_connect_from_advertised_port (MsrpDirectConnector *connector,
                                                                       gboolean             from_port);

#define MSRP_TYPE_DIRECT_ACCEPTOR (msrp_direct_acceptor_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpDirectAcceptor, msrp_direct_acceptor, MSRP, DIRECT_ACCEPTOR, MsrpConnector)

MSRP_AVAILABLE_IN_ALL
MsrpConnector *msrp_direct_acceptor_new                      (void);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_direct_acceptor_get_accept_any_from_path (MsrpDirectAcceptor *acceptor);
MSRP_AVAILABLE_IN_ALL
void           msrp_direct_acceptor_set_accept_any_from_path (MsrpDirectAcceptor *acceptor,
                                                              gboolean            accept_any);

G_END_DECLS
