/* msrp-session-private.h: attaching sessions to connections
 *
 * Not installed. A session may exist without a connection: made with a
 * NULL transport (MsrpServer, MsrpDirectAcceptor), or between two
 * connections while msrp_session_update_remote_path_async() reconnects.
 * Sends made while it is unattached wait in its queue and go out once it
 * is attached (they fail if the session closes first).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-session.h"
#include "msrp-connector.h"

G_BEGIN_DECLS

/* Attaches an unattached, open @session to @transport: binds its endpoint
 * there. FALSE with MSRP_ERROR_CLOSED when the session or the transport is
 * closed, G_IO_ERROR_EXISTS when its session-id is bound on @transport
 * already.
 *
 * A provisional attachment holds only once the session accepts a request
 * on @transport (answers it 200, or takes it without an answer): that
 * commits it, notifies MsrpSession:transport and lets queued sends go out.
 * A request it refuses, or @transport closing first, detaches it again and
 * leaves it open and unattached, its remote path as before. Nothing is sent
 * while the attachment is provisional. Whoever attaches provisionally owns
 * @transport; a firm attachment shares it (see MsrpSession:owns-transport).
 */
gboolean       msrp_session_attach             (MsrpSession   *session,
                                                MsrpTransport *transport,
                                                gboolean       provisional,
                                                GError       **error);

/* Moves @session off its transport: sends go nowhere until the next
 * attach (queued, as while unattached). The session stays bound there to
 * take what the peer sent before it moved, until that connection closes:
 * with @close_it, now (when the session owns it), else when
 * msrp_session_close_old_connections() or the session's close does.
 * Chunks that fail on a connection the session left (closed under them,
 * or answered 481 by a peer that moved first) are sent again on the
 * current one. Does nothing when unattached. */
void           msrp_session_detach             (MsrpSession   *session,
                                                gboolean       close_it);
/* Closes the connections @session left, if it owns them: call once the
 * peer is known to have moved (it answered on the new one). */
void           msrp_session_close_old_connections (MsrpSession *session);

/* The transport @session is attached to, provisionally or not (NULL when
 * unattached). */
MsrpTransport *msrp_session_peek_transport     (MsrpSession   *session);
gboolean       msrp_session_is_attach_pending  (MsrpSession   *session);

/* Whether the To-Path and From-Path of @head name @session and its peer
 * under its matching rule (a session without a remote path takes any
 * From-Path). */
gboolean       msrp_session_matches_request    (MsrpSession   *session,
                                                MsrpFrame     *head);

/* Sends a bodiless SEND ahead of anything queued: the request that binds a
 * new connection to the session at the peer (RFC 4975 §5.4). Completes
 * when it is answered; fails with the peer's refusal. */
void           msrp_session_bind_async         (MsrpSession         *session,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       msrp_session_bind_finish        (MsrpSession   *session,
                                                GAsyncResult  *result,
                                                GError       **error);

/* The connector msrp_session_update_remote_path_async() asks for a new
 * connection. The session keeps a reference. */
void           msrp_session_set_connector      (MsrpSession   *session,
                                                MsrpConnector *connector);

G_END_DECLS
