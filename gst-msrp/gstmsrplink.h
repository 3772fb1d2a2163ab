/* gstmsrplink.h: how msrpsrc and msrpsink hold an MsrpSession
 *
 * Not installed. The library runs on a GMainContext; the elements run on
 * streaming threads. A link calls into the session only on the session's
 * context, and hands what the session reports (messages, send results,
 * its end) to the streaming thread through a mutex and condition, or a
 * clock wait that the session side can cut short.
 *
 * A link holds either a session the application made (its context is the
 * application's), or one it makes itself from the standalone properties:
 * then a thread of its own runs a new context, where the connector
 * prepares the local path and connects (or listens) in the background.
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

/* What a standalone link connects with. */
typedef struct {
  MsrpUri *local_uri;        /* nullable: every address, a free port */
  GPtrArray *remote_path;    /* nullable: passive, any peer */
  gboolean active;
  char *remote_fingerprint;  /* nullable */
  MsrpRelaySettings *relay;  /* nullable */
  GStrv accept_types;        /* nullable: the session's default */
  guint64 max_size;
} GstMsrpLinkConfig;

void gst_msrp_link_config_free (GstMsrpLinkConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstMsrpLinkConfig, gst_msrp_link_config_free)

typedef enum {
  GST_MSRP_WAIT_ITEM,      /* a message is there (or: go on) */
  GST_MSRP_WAIT_TIMEOUT,   /* the deadline passed */
  GST_MSRP_WAIT_FLUSHING,  /* unlocked: the element is flushing or stopping */
  GST_MSRP_WAIT_CLOSED,    /* the session ended cleanly and nothing is left */
  GST_MSRP_WAIT_ERROR,     /* the session failed, or a send failed */
} GstMsrpWaitResult;

/* @element: posts the session's failures (connecting, the connection, a
 * send) as element errors, once, as they happen; the waits then return
 * GST_MSRP_WAIT_ERROR.
 * @max_queued: messages to queue for a source (0: not receiving).
 * @chunk_size: set on the session (-1: leave it). */
GstMsrpLink      *gst_msrp_link_new              (GstElement  *element,
                                                  MsrpSession *session,
                                                  guint        max_queued,
                                                  gint         chunk_size,
                                                  GError     **error);
GstMsrpLink      *gst_msrp_link_new_standalone   (GstElement        *element,
                                                  GstMsrpLinkConfig *config,
                                                  guint              max_queued,
                                                  gint               chunk_size,
                                                  GError           **error);
GstMsrpLink      *gst_msrp_link_ref              (GstMsrpLink *link);
void              gst_msrp_link_unref            (GstMsrpLink *link);
void              gst_msrp_link_shutdown         (GstMsrpLink *link);
const char       *gst_msrp_link_get_local_path   (GstMsrpLink *link);
const char       *gst_msrp_link_get_local_fingerprint (GstMsrpLink *link);

void              gst_msrp_link_request_eos      (GstMsrpLink *link);
void              gst_msrp_link_set_flushing     (GstMsrpLink *link,
                                                  gboolean     flushing);

/* An element's link lives in @slot, under the element's object lock:
 * unlock() runs on another thread than start() and stop(). */
void              gst_msrp_link_slot_set         (GstElement   *element,
                                                  GstMsrpLink **slot,
                                                  GstMsrpLink  *link);
void              gst_msrp_link_slot_close       (GstElement   *element,
                                                  GstMsrpLink **slot);
void              gst_msrp_link_slot_set_flushing (GstElement   *element,
                                                   GstMsrpLink **slot,
                                                   gboolean      flushing);
GstMsrpLink      *gst_msrp_link_slot_get         (GstElement   *element,
                                                  GstMsrpLink **slot);
GCancellable     *gst_msrp_link_get_cancellable  (GstMsrpLink *link);

/* Receiving (msrpsrc). */
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
