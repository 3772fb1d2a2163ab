/* msrp-connector-private.h: what connector subclasses share with the base
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-connector.h"
#include "msrp-transport-private.h"

G_BEGIN_DECLS

/* Subclasses say their role once, from their init function. */
void           msrp_connector_set_active        (MsrpConnector  *connector,
                                                 gboolean        active);

/* The settings a connector made by msrp_connector_negotiate() inherits. */
void           msrp_connector_copy_settings     (MsrpConnector  *from,
                                                 MsrpConnector  *to);

/* msrp_connector_negotiate() for a prepared direct connector or acceptor
 * whose role the answer changed: a connector of the other role that takes
 * over its listening socket and local path. */
MsrpConnector *msrp_direct_switch_role          (MsrpConnector  *connector);

/* The same for a relay connector or acceptor, prepared or not: the other
 * role on the same relay client (and relay connection, once prepared). */
MsrpConnector *msrp_relay_switch_role           (MsrpConnector  *connector);

/* Emits MsrpConnector::transport-created. */
void           msrp_connector_transport_created (MsrpConnector  *connector,
                                                 MsrpTransport  *transport);

/* Returns @session as the result of @task, from an idle on the task's
 * context, and then releases the requests the caller held on @held
 * (nullable; msrp_transport_hold_requests()): the request that bound the
 * session reaches it only once the application's callback ran and could
 * connect its handlers. Takes @session, and @held with its hold. */
void           msrp_connector_hand_out          (GTask          *task,
                                                 MsrpSession    *session,
                                                 MsrpTransport  *held);

G_END_DECLS
