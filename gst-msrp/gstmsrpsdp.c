/* gstmsrpsdp.c: MsrpSdpMedia to and from GstSDPMedia
 *
 * Both directions go through SDP text, so the library's formatter and its
 * liberal parser (see msrp_sdp_media_parse()) decide every detail, and the
 * bridge cannot drift from them.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpsdp.h"

#include <stdlib.h>
#include <string.h>

static void
take_media_line (GstSDPMedia *out, const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, " ", -1);
  guint n = g_strv_length (parts);
  char *slash;

  if (n < 3)
    return;
  gst_sdp_media_set_media (out, parts[0]);
  slash = strchr (parts[1], '/');
  gst_sdp_media_set_port_info (out, strtoul (parts[1], NULL, 10),
                               slash ? strtoul (slash + 1, NULL, 10) : 1);
  gst_sdp_media_set_proto (out, parts[2]);
  for (guint i = 3; i < n; i++)
    gst_sdp_media_add_format (out, parts[i]);
}

/**
 * gst_msrp_sdp_media_to_gst:
 * @media: an MSRP media section
 * @out: a #GstSDPMedia initialised with gst_sdp_media_init() (or made by
 *   gst_sdp_media_new()) and still empty
 *
 * Fills @out with the `m=message` line and the attributes of @media, as
 * msrp_sdp_media_to_string() formats them. #MsrpSdpMedia has no connection
 * address: add the `c=` line to @out or to its message yourself.
 */
void
gst_msrp_sdp_media_to_gst (MsrpSdpMedia *media,
                           GstSDPMedia  *out)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (out != NULL);

  text = msrp_sdp_media_to_string (media);
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "m="))
        take_media_line (out, line + 2);
      else if (g_str_has_prefix (line, "a="))
        {
          const char *colon = strchr (line + 2, ':');
          g_autofree char *key = colon ? g_strndup (line + 2, colon - line - 2) : g_strdup (line + 2);

          gst_sdp_media_add_attribute (out, key, colon ? colon + 1 : NULL);
        }
    }
}

/**
 * gst_msrp_sdp_media_from_gst:
 * @media: a media section of a parsed SDP
 * @error: return location for a #GError
 *
 * Reads an `m=message` media section. Session-level attributes that apply
 * to it (`a=setup`, `a=fingerprint`) are not in a #GstSDPMedia: use
 * gst_msrp_sdp_media_from_gst_message() to have them as defaults.
 *
 * Returns: (transfer full) (nullable): the MSRP media, or %NULL with
 *   @error set (%MSRP_ERROR_INVALID_SDP)
 */
MsrpSdpMedia *
gst_msrp_sdp_media_from_gst (const GstSDPMedia  *media,
                             GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (media != NULL, NULL);

  text = gst_sdp_media_as_text (media);
  return msrp_sdp_media_parse (text, error);
}

/**
 * gst_msrp_sdp_media_from_gst_message:
 * @message: a parsed SDP
 * @error: return location for a #GError
 *
 * Reads the first `m=message` section with an MSRP protocol of @message,
 * with its session-level `a=setup` and `a=fingerprint` as defaults.
 *
 * Returns: (transfer full) (nullable): the MSRP media, or %NULL with
 *   @error set (%MSRP_ERROR_INVALID_SDP, also when there is no such section)
 */
MsrpSdpMedia *
gst_msrp_sdp_media_from_gst_message (const GstSDPMessage  *message,
                                     GError              **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  text = gst_sdp_message_as_text (message);
  return msrp_sdp_media_parse (text, error);
}
