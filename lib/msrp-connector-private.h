/* msrp-connector-private.h: what connector subclasses share with the base
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-connector.h"

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

G_END_DECLS
