/* plugin.c: the GStreamer plugin "msrp"
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpelements.h"

static gboolean
plugin_init (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (msrpsrc, plugin);
  ret |= GST_ELEMENT_REGISTER (msrpsink, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, msrp,
                   "MSRP (RFC 4975) chat and file transfer sessions as a live source and a sink",
                   plugin_init, PACKAGE_VERSION, "LGPL", "gst-msrp",
                   "Unknown package origin")
