/* gstmsrpelements.h: the elements of the msrp plugin
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (msrpsrc);
GST_ELEMENT_REGISTER_DECLARE (msrpsink);

G_END_DECLS
