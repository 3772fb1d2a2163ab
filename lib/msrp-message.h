/* msrp-message.h: the messages an MsrpSession sends and receives
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

#define MSRP_TYPE_OUTGOING_MESSAGE (msrp_outgoing_message_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpOutgoingMessage, msrp_outgoing_message, MSRP, OUTGOING_MESSAGE, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpOutgoingMessage *msrp_outgoing_message_new_bytes       (const char   *content_type,
                                                            GBytes       *body);
MSRP_AVAILABLE_IN_ALL
MsrpOutgoingMessage *msrp_outgoing_message_new_stream      (const char   *content_type,
                                                            GInputStream *stream,
                                                            gint64        size);
MSRP_AVAILABLE_IN_ALL
MsrpOutgoingMessage *msrp_outgoing_message_new_empty       (void);

MSRP_AVAILABLE_IN_ALL
const char          *msrp_outgoing_message_get_message_id  (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_outgoing_message_get_content_type (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
gint64               msrp_outgoing_message_get_size        (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
GBytes              *msrp_outgoing_message_get_body        (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
GInputStream        *msrp_outgoing_message_get_stream      (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
gboolean             msrp_outgoing_message_is_empty        (MsrpOutgoingMessage *message);

MSRP_AVAILABLE_IN_ALL
gboolean             msrp_outgoing_message_get_success_report (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
void                 msrp_outgoing_message_set_success_report (MsrpOutgoingMessage *message,
                                                               gboolean             report);
MSRP_AVAILABLE_IN_ALL
MsrpReportMode       msrp_outgoing_message_get_failure_report (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
void                 msrp_outgoing_message_set_failure_report (MsrpOutgoingMessage *message,
                                                               MsrpReportMode       mode);

MSRP_AVAILABLE_IN_ALL
guint64              msrp_outgoing_message_get_bytes_sent  (MsrpOutgoingMessage *message);
MSRP_AVAILABLE_IN_ALL
double               msrp_outgoing_message_get_progress    (MsrpOutgoingMessage *message);

#define MSRP_TYPE_INCOMING_MESSAGE (msrp_incoming_message_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpIncomingMessage, msrp_incoming_message, MSRP, INCOMING_MESSAGE, GObject)

MSRP_AVAILABLE_IN_ALL
const char          *msrp_incoming_message_get_message_id  (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_incoming_message_get_content_type (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
gint64               msrp_incoming_message_get_size        (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
GPtrArray           *msrp_incoming_message_get_from_path   (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
guint64              msrp_incoming_message_get_bytes_received (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
GBytes              *msrp_incoming_message_get_bytes       (MsrpIncomingMessage *message);
MSRP_AVAILABLE_IN_ALL
void                 msrp_incoming_message_set_output_stream (MsrpIncomingMessage *message,
                                                              GOutputStream       *stream);
MSRP_AVAILABLE_IN_ALL
GOutputStream       *msrp_incoming_message_get_output_stream (MsrpIncomingMessage *message);

G_END_DECLS
