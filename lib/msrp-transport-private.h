/* msrp-transport-private.h: how sessions and the server sit on a transport
 *
 * Not installed. A transport dispatches incoming requests to endpoints bound
 * by the session-id of the first To-Path URI; the owner of an endpoint (an
 * MsrpSession) decides what to answer. The MsrpServer binds endpoints lazily
 * through the unbound-request handler.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-frame-private.h"
#include "msrp-transport.h"

G_BEGIN_DECLS

/* Status values the endpoint callbacks return. */
#define MSRP_STATUS_OK 200

/*
 * MsrpEndpointVTable:
 * @request_head: a SEND or REPORT for this endpoint: the head only, already
 *   checked by msrp_frame_validate().
 *   Return MSRP_STATUS_OK to take its body, or a failure status (>= 400) to
 *   refuse it: the transport drops the body and answers after the end line
 *   (unless Failure-Report forbids); request_body and request_end are not
 *   called. An endpoint unbound during a request it took gets nothing more
 *   of it, and the request is answered 481; one that unbinds itself while
 *   refusing a request has it answered with the status it returned.
 * @request_body: a piece of the body of an accepted request, in order.
 * @request_end: the end line of an accepted request arrived. Return the
 *   status to answer (200, or a failure found while receiving, such as 413).
 *   Never called for a refused request.
 * @closed: the transport closed (error %NULL when the peer or the
 *   application closed it cleanly). The endpoint is unbound after this.
 * @writable: the write queue fell below the low-water mark after having been
 *   above the high-water mark (flow control for chunked sends).
 * @send_failed: a failure response came for a SEND with
 *   `Failure-Report: partial` after its send_request_async() was over
 *   (written, within the response timeout). @message_id is the request's
 *   Message-ID; @error is from msrp_error_new_from_status(). Called for the
 *   endpoint bound for the session-id of the request's last From-Path URI.
 *
 * The transport answers requests per RFC 4975: a SEND gets the returned status
 * unless Failure-Report is "no" (no response at all) or "partial" (failures
 * only); a REPORT never gets a response. It answers 400 itself to frames with
 * a parse error, 501 to any other method (NICKNAME, AUTH at an endpoint,
 * unknown names such as FILE_OFFSET), and 481 to requests no endpoint is bound for (after asking
 * the unbound handler), without calling any endpoint.
 */
typedef struct {
  guint (*request_head) (gpointer owner, MsrpTransport *transport, MsrpFrame *head);
  void  (*request_body) (gpointer owner, MsrpTransport *transport, MsrpFrame *head, GBytes *data);
  guint (*request_end)  (gpointer owner, MsrpTransport *transport, MsrpFrame *head,
                         MsrpContinuation flag);
  void  (*closed)       (gpointer owner, MsrpTransport *transport, const GError *error);
  void  (*writable)     (gpointer owner, MsrpTransport *transport);
  void  (*send_failed)  (gpointer owner, MsrpTransport *transport, const char *message_id,
                         const GError *error);
} MsrpEndpointVTable;

/* Bind @session_id to an endpoint; FALSE when it is already bound on this
 * transport or the transport is closed. @owner is not referenced: unbind
 * before it goes away (not needed after the closed callback). */
gboolean msrp_transport_bind_endpoint   (MsrpTransport            *transport,
                                         const char               *session_id,
                                         const MsrpEndpointVTable *vtable,
                                         gpointer                  owner);
void     msrp_transport_unbind_endpoint (MsrpTransport            *transport,
                                         const char               *session_id);

/*
 * MsrpUnboundRequestFunc:
 * Called for a request whose To-Path session-id no endpoint is bound for.
 * Return TRUE after binding an endpoint for it (the transport then dispatches
 * the request there), or FALSE with *status set to the failure to answer
 * (481 no such session, 506 bound to another connection).
 */
typedef gboolean (*MsrpUnboundRequestFunc) (MsrpTransport *transport,
                                            MsrpFrame     *head,
                                            guint         *status,
                                            gpointer       user_data);
void     msrp_transport_set_unbound_handler (MsrpTransport          *transport,
                                             MsrpUnboundRequestFunc  func,
                                             gpointer                user_data,
                                             GDestroyNotify          destroy);

/* The size of the blocks a pollable stream is read into (a read asks for
 * the room left in the current block); tests line TLS records up with it. */
#define MSRP_TRANSPORT_READ_BLOCK_SIZE (64 * 1024)

/* Flow control marks on msrp_transport_get_queued_bytes(). */
#define MSRP_TRANSPORT_HIGH_WATER (1024 * 1024)
#define MSRP_TRANSPORT_LOW_WATER  (256 * 1024)

/* Whether @transport is open and its queue at most at the high-water
 * mark: msrp_transport_is_closed() and msrp_transport_get_queued_bytes()
 * without their checks, for a sender's loop. */
gboolean msrp_transport_has_room        (MsrpTransport *transport);

/* Receive flow control: while held (the holds are counted), the transport
 * reads nothing more from its stream; what it already read is still parsed
 * and dispatched (on streams that cannot poll, that includes the one read
 * already under way). A session holds reading while the application's output
 * stream lags behind the chunks it receives, and releases it when the
 * writes caught up; TCP then slows the sender down. Holding a closed
 * transport is allowed (and does nothing). Unread responses never hold
 * reading (a peer may be blocked writing to us); too many close the
 * connection instead. */
void     msrp_transport_hold_reading    (MsrpTransport *transport);
void     msrp_transport_release_reading (MsrpTransport *transport);

/* Holds requests back, counted: the transport stops at the next request
 * head (at the request being routed, when called from the unbound-request
 * handler): neither that request nor anything after it is routed or even
 * parsed, and nothing more is read, until the holds are released; the
 * request is then routed from the start (the unbound-request handler may
 * be asked again). Responses ahead of it are handled as usual. A
 * connector holds the request that binds a session until the application
 * has the session, so that it can see everything that request brings. */
void     msrp_transport_hold_requests    (MsrpTransport *transport);
void     msrp_transport_release_requests (MsrpTransport *transport);

/* msrp_transport_send_request_finish() that also gives the failure
 * response (status 300 or more) behind the error, for the header fields a
 * caller needs from it (the challenge of a 401, the bounds of a 423); *failure
 * stays NULL when the transaction failed otherwise. */
MsrpFrame *msrp_transport_send_request_finish_full (MsrpTransport  *transport,
                                                   GAsyncResult   *result,
                                                   MsrpFrame     **failure,
                                                   GError        **error);

/* Ends a transaction of msrp_transport_send_request_full(): @response is the
 * 2xx response, or NULL for a request that gets none on success; or @error
 * (a failure response's, from msrp_error_new_from_status()). */
typedef void (*MsrpTransactionDone) (MsrpTransport *transport,
                                     MsrpFrame     *response,
                                     const GError  *error,
                                     gpointer       user_data);

/* msrp_transport_send_request_async() without a GTask, a cancellable or
 * a failure frame: @done is called once, from the main context (never
 * from within this call); it may run while the transport reads or writes,
 * as the GTask callbacks do. For the session's chunks, one per SEND. */
void msrp_transport_send_request_full (MsrpTransport       *transport,
                                       MsrpFrame           *request,
                                       MsrpTransactionDone  done,
                                       gpointer             user_data);

/* msrp_transport_send_request_full() for the SEND @spec describes, with a
 * random transaction id: serialized straight into the write queue, with no
 * MsrpFrame made unless `Failure-Report: partial` needs one (`frame-sent`
 * parses one back from the bytes). */
void msrp_transport_send_chunk        (MsrpTransport       *transport,
                                       const MsrpSendSpec  *spec,
                                       MsrpTransactionDone  done,
                                       gpointer             user_data);

G_END_DECLS
