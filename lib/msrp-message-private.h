/* msrp-message-private.h: what MsrpSession changes in its messages
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-message.h"

G_BEGIN_DECLS

/* Marks @message as handed to a session; FALSE when it already was (a
 * message is sent once: its stream is consumed). */
gboolean             msrp_outgoing_message_claim            (MsrpOutgoingMessage *message);
void                 msrp_outgoing_message_add_bytes_sent   (MsrpOutgoingMessage *message,
                                                             guint64              bytes);

MsrpIncomingMessage *msrp_incoming_message_new              (const char          *message_id,
                                                             const char          *content_type,
                                                             gint64               size,
                                                             GPtrArray           *from_path);
/* Fills a new or cleared message. */
void                 msrp_incoming_message_set_up           (MsrpIncomingMessage *message,
                                                             const char          *message_id,
                                                             const char          *content_type,
                                                             gint64               size,
                                                             GPtrArray           *from_path);
/* Empties @message to be set up again as another message, when nothing
 * but the caller's reference can reach it or watch it (no other
 * reference, weak reference, data or signal handler): it is then as good
 * as a new one, without the cost of finalizing one and making another.
 * FALSE, and @message unchanged, otherwise. */
gboolean             msrp_incoming_message_clear_for_reuse  (MsrpIncomingMessage *message);
void                 msrp_incoming_message_set_size         (MsrpIncomingMessage *message,
                                                             gint64               size);
/* Distinct body bytes received so far (never decreases). */
void                 msrp_incoming_message_set_bytes_received (MsrpIncomingMessage *message,
                                                               guint64              bytes);
void                 msrp_incoming_message_set_bytes        (MsrpIncomingMessage *message,
                                                             GBytes              *bytes);
/* After this, set_output_stream() is refused: data started to flow. */
void                 msrp_incoming_message_seal_output      (MsrpIncomingMessage *message);

G_END_DECLS
