/* gstmsrp-prelude.h: the export macro of libgstmsrp-1.0
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#ifdef BUILDING_GST_MSRP
#define GST_MSRP_API GST_API_EXPORT
#else
#define GST_MSRP_API GST_API_IMPORT
#endif
