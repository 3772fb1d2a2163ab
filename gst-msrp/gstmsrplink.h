/* gstmsrplink.h: how msrpsrc and msrpsink hold an MsrpSession
 *
 * Not installed. The library runs on a GMainContext; the elements run on
 * streaming threads. A link calls into the session only on the session's
 * context, and hands what the session reports (messages, send results,
 * its end) to the streaming thread through a mutex and condition, or a
 * clock wait that the session side can cut short.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <msrp.h>

G_BEGIN_DECLS

typedef struct _GstMsrpLink GstMsrpLink;

/* One complete incoming message, as the source pushes it. What the
 * streaming thread reads of @message (id, type, From-Path, body) no longer
 * changes, and its references are atomic, so it can leave the session's
 * thread without copies. */
typedef struct {
  MsrpIncomingMessage *message;
  /* Absolute clock time at which the message was complete, or
   * GST_CLOCK_TIME_NONE when it came while the element was not playing. */
  GstClockTime arrival;
} GstMsrpItem;

void gst_msrp_item_free (GstMsrpItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstMsrpItem, gst_msrp_item_free)

typedef enum {
  GST_MSRP_WAIT_ITEM,      /* a message is there */
  GST_MSRP_WAIT_TIMEOUT,   /* the deadline passed */
  GST_MSRP_WAIT_FLUSHING,  /* unlocked: the element is flushing or stopping */
  GST_MSRP_WAIT_CLOSED,    /* the session ended cleanly and nothing is left */
  GST_MSRP_WAIT_ERROR,     /* the session failed, or a send failed */
} GstMsrpWaitResult;

GstMsrpLink      *gst_msrp_link_new              (MsrpSession *session,
                                                  GError     **error);
GstMsrpLink      *gst_msrp_link_ref              (GstMsrpLink *link);
void              gst_msrp_link_unref            (GstMsrpLink *link);
void              gst_msrp_link_shutdown         (GstMsrpLink *link);
MsrpSession      *gst_msrp_link_get_session      (GstMsrpLink *link);

void              gst_msrp_link_invoke           (GstMsrpLink *link,
                                                  GSourceFunc  func,
                                                  gpointer     data,
                                                  GDestroyNotify notify);
void              gst_msrp_link_set_flushing     (GstMsrpLink *link,
                                                  gboolean     flushing);
GCancellable     *gst_msrp_link_get_cancellable  (GstMsrpLink *link);

/* Receiving (msrpsrc). */
void              gst_msrp_link_start_receiving  (GstMsrpLink *link,
                                                  guint        max_queued);
void              gst_msrp_link_set_clock        (GstMsrpLink *link,
                                                  GstClock    *clock);
GstMsrpWaitResult gst_msrp_link_wait_item        (GstMsrpLink  *link,
                                                  GstClock     *clock,
                                                  GstClockTime  deadline,
                                                  GstMsrpItem **item,
                                                  GError      **error);

/* Sending (msrpsink). */
void              gst_msrp_link_send             (GstMsrpLink         *link,
                                                  MsrpOutgoingMessage *message,
                                                  GCancellable        *cancellable,
                                                  GObject             *keep);
GstMsrpWaitResult gst_msrp_link_wait_sends       (GstMsrpLink *link,
                                                  guint        max_pending,
                                                  guint64      max_pending_bytes,
                                                  GError     **error);
GstMsrpWaitResult gst_msrp_link_close_session    (GstMsrpLink *link,
                                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstMsrpLink, gst_msrp_link_unref)

G_END_DECLS
