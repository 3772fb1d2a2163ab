/* msrp-relay-client-private.h: how a relay URI becomes connection targets
 *
 * Not installed. Pure functions, so the SRV fallback rules are tested
 * without DNS.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-relay-client.h"

G_BEGIN_DECLS

/* The SRV name to look up for @relay (`_msrps._tcp.<host>` or
 * `_msrp._tcp.<host>`, by its scheme), or NULL when @relay names a port or
 * an IP address: then it is connected to as it is. */
char      *msrp_relay_srv_name (MsrpUri *relay);

/* The URIs to connect to for @relay, in order: one per SRV record of
 * @srv_targets (GSrvTarget, in the order GResolver sorted them; records
 * whose target is "." say there is no service and are skipped) with the
 * record's host and port and @relay's scheme; @relay itself (on
 * MSRP_DEFAULT_PORT when it has no port) when there are none. */
GPtrArray *msrp_relay_targets  (MsrpUri *relay,
                                GList   *srv_targets);

G_END_DECLS
