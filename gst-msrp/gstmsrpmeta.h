/* gstmsrpmeta.h: per-buffer metadata of the messages msrpsrc pushes
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include "gstmsrp-prelude.h"

G_BEGIN_DECLS

/**
 * GstMsrpMessageMeta:
 * @meta: the parent #GstMeta
 * @message_id: the Message-ID of the MSRP message
 * @content_type: its Content-Type as the sender gave it (parameters
 *   included), also when the buffer's caps say less
 * @from_path: the sender's From-Path, URIs separated by spaces
 * @size: the size of the body as received, in bytes; the buffer may differ
 *   for text that had to be converted to UTF-8
 *
 * Where a buffer from msrpsrc came from. The strings belong to the meta.
 */
typedef struct {
  GstMeta meta;

  gchar *message_id;
  gchar *content_type;
  gchar *from_path;
  guint64 size;
} GstMsrpMessageMeta;

GST_MSRP_API
GType gst_msrp_message_meta_api_get_type (void);
#define GST_MSRP_MESSAGE_META_API_TYPE (gst_msrp_message_meta_api_get_type ())

GST_MSRP_API
const GstMetaInfo *gst_msrp_message_meta_get_info (void);
#define GST_MSRP_MESSAGE_META_INFO (gst_msrp_message_meta_get_info ())

GST_MSRP_API
GstMsrpMessageMeta *gst_buffer_get_msrp_message_meta (GstBuffer *buffer);

GST_MSRP_API
GstMsrpMessageMeta *gst_buffer_add_msrp_message_meta (GstBuffer   *buffer,
                                                      const gchar *message_id,
                                                      const gchar *content_type,
                                                      const gchar *from_path,
                                                      guint64      size);

G_END_DECLS
