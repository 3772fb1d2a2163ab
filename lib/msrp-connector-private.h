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

/* Holds the peer's requests on the connection that binds a session, from
 * the request or the response that binds it on, until the application has
 * the session and could connect its handlers (msrp_connector_hand_out()).
 * Kept zeroed in a connector's state; one transport at a time. */
typedef struct {
  MsrpTransport *transport;  /* watched, then held */
  gboolean held;             /* msrp_transport_hold_requests() */
  char *own_session_id;      /* other sessions share the connection: the
                                binding session's (its last local URI's) */
  char *bind_tid;            /* then: the binding SEND's transaction */
  gulong sent_id;
  gulong received_id;
} MsrpBindHold;

/* A passive end: holds @transport's requests now (the request routed to
 * the session waits), dropping any earlier hold or watch. */
void           msrp_bind_hold_now               (MsrpBindHold   *hold,
                                                 MsrpTransport  *transport);

/* An active end, before it binds: holds @transport's requests once the
 * response to the binding SEND arrives. On a connection of its own
 * (@own_session_id %NULL) that is the first response; on a relay
 * connection, where AUTH refreshes and other sessions' chunks go too, the
 * response to the first SEND sent from now on whose From-Path ends in the
 * session @own_session_id. */
void           msrp_bind_hold_watch             (MsrpBindHold   *hold,
                                                 MsrpTransport  *transport,
                                                 const char     *own_session_id);

/* Stops watching and releases the hold, if any. */
void           msrp_bind_hold_clear             (MsrpBindHold   *hold);

/* Returns @session as the result of @task, from an idle on the task's
 * context, and then releases the requests @hold (nullable) held: the
 * request that bound the session reaches it only once the application's
 * callback ran and could connect its handlers. Takes @session, and what
 * @hold held, which it leaves cleared. */
void           msrp_connector_hand_out          (GTask          *task,
                                                 MsrpSession    *session,
                                                 MsrpBindHold   *hold);

G_END_DECLS
