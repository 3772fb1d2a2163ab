/* msrp-transport.h: one MSRP connection over a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <gio/gio.h>
#include "msrp-version.h"
#include "msrp-frame.h"

G_BEGIN_DECLS

/**
 * MSRP_TRANSPORT_DEFAULT_RESPONSE_TIMEOUT:
 *
 * Seconds a request waits for its transaction response by default (RFC 4975
 * §7.1.1 gives 30 s).
 */
#define MSRP_TRANSPORT_DEFAULT_RESPONSE_TIMEOUT 30

#define MSRP_TYPE_TRANSPORT (msrp_transport_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpTransport, msrp_transport, MSRP, TRANSPORT, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpTransport *msrp_transport_new                  (GIOStream *stream);
MSRP_AVAILABLE_IN_ALL
void           msrp_transport_start                (MsrpTransport *transport);

MSRP_AVAILABLE_IN_ALL
GIOStream     *msrp_transport_get_stream           (MsrpTransport *transport);
MSRP_AVAILABLE_IN_ALL
guint          msrp_transport_get_response_timeout (MsrpTransport *transport);
MSRP_AVAILABLE_IN_ALL
void           msrp_transport_set_response_timeout (MsrpTransport *transport,
                                                    guint          seconds);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_transport_is_closed            (MsrpTransport *transport);
MSRP_AVAILABLE_IN_ALL
guint64        msrp_transport_get_queued_bytes     (MsrpTransport *transport);

MSRP_AVAILABLE_IN_ALL
void           msrp_transport_send_request_async   (MsrpTransport       *transport,
                                                    MsrpFrame           *request,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
MsrpFrame     *msrp_transport_send_request_finish  (MsrpTransport  *transport,
                                                    GAsyncResult   *result,
                                                    GError        **error);
MSRP_AVAILABLE_IN_ALL
void           msrp_transport_send_response        (MsrpTransport *transport,
                                                    MsrpFrame     *response);

MSRP_AVAILABLE_IN_ALL
void           msrp_transport_close_async          (MsrpTransport       *transport,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_transport_close_finish         (MsrpTransport  *transport,
                                                    GAsyncResult   *result,
                                                    GError        **error);
MSRP_AVAILABLE_IN_ALL
void           msrp_transport_abort                (MsrpTransport *transport,
                                                    const GError  *error);

G_END_DECLS
