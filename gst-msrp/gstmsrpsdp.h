/* gstmsrpsdp.h: MsrpSdpMedia to and from GstSDPMedia
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <msrp.h>
#include "gstmsrp-prelude.h"

G_BEGIN_DECLS

GST_MSRP_API
void          gst_msrp_sdp_media_to_gst           (MsrpSdpMedia       *media,
                                                   GstSDPMedia        *out);
GST_MSRP_API
MsrpSdpMedia *gst_msrp_sdp_media_from_gst         (const GstSDPMedia  *media,
                                                   GError            **error);
GST_MSRP_API
MsrpSdpMedia *gst_msrp_sdp_media_from_gst_message (const GstSDPMessage *message,
                                                   GError             **error);

G_END_DECLS
