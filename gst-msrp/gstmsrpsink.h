/* gstmsrpsink.h: msrpsink, buffers as MSRP messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/base/gstbasesink.h>

G_BEGIN_DECLS

/**
 * GstMsrpSinkMode:
 * @GST_MSRP_SINK_MODE_MESSAGE: each buffer is one message
 * @GST_MSRP_SINK_MODE_LINE: each line of the byte stream is one message
 * @GST_MSRP_SINK_MODE_STREAM: the whole stream is one message, sent while
 *   it flows and ended at EOS
 *
 * How msrpsink cuts its input into messages.
 */
typedef enum {
  GST_MSRP_SINK_MODE_MESSAGE,
  GST_MSRP_SINK_MODE_LINE,
  GST_MSRP_SINK_MODE_STREAM,
} GstMsrpSinkMode;

#define GST_TYPE_MSRP_SINK_MODE (gst_msrp_sink_mode_get_type ())
GType gst_msrp_sink_mode_get_type (void);

#define GST_TYPE_MSRP_SINK (gst_msrp_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstMsrpSink, gst_msrp_sink, GST, MSRP_SINK, GstBaseSink)

G_END_DECLS
