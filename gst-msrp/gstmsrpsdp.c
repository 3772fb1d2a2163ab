/* gstmsrpsdp.c: MsrpSdpMedia to and from GstSDPMedia
 *
 * Both directions go through SDP text, so the library's formatter and its
 * liberal parser (see msrp_sdp_media_parse()) decide every detail, and the
 * bridge cannot drift from them. The text of a GstSDPMedia is written
 * here: gst_sdp_media_as_text() in 1.22 ends an `i=` line without CRLF,
 * which glues it to the next attribute.
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

static void
append_attributes (GString *text, guint n, const GstSDPAttribute *(*get) (gconstpointer, guint),
                   gconstpointer owner)
{
  for (guint i = 0; i < n; i++)
    {
      const GstSDPAttribute *attribute = get (owner, i);

      /* GStreamer's parser gives a flag attribute an empty value. */
      if (attribute->value != NULL && attribute->value[0] != '\0')
        g_string_append_printf (text, "a=%s:%s\r\n", attribute->key, attribute->value);
      else
        g_string_append_printf (text, "a=%s\r\n", attribute->key);
    }
}

static const GstSDPAttribute *
media_attribute (gconstpointer media, guint i)
{
  return gst_sdp_media_get_attribute (media, i);
}

static const GstSDPAttribute *
message_attribute (gconstpointer message, guint i)
{
  return gst_sdp_message_get_attribute (message, i);
}

/* The m= line and the attributes: all the MSRP parser reads of a section. */
static void
append_media (GString *text, const GstSDPMedia *media)
{
  g_string_append_printf (text, "m=%s %u", gst_sdp_media_get_media (media),
                          gst_sdp_media_get_port (media));
  if (gst_sdp_media_get_num_ports (media) > 1)
    g_string_append_printf (text, "/%u", gst_sdp_media_get_num_ports (media));
  g_string_append_printf (text, " %s", gst_sdp_media_get_proto (media));
  for (guint i = 0; i < gst_sdp_media_formats_len (media); i++)
    g_string_append_printf (text, " %s", gst_sdp_media_get_format (media, i));
  g_string_append (text, "\r\n");
  append_attributes (text, gst_sdp_media_attributes_len (media), media_attribute, media);
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
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (media != NULL, NULL);

  append_media (text, media);
  return msrp_sdp_media_parse (text->str, error);
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
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (message != NULL, NULL);

  append_attributes (text, gst_sdp_message_attributes_len (message), message_attribute, message);
  for (guint i = 0; i < gst_sdp_message_medias_len (message); i++)
    append_media (text, gst_sdp_message_get_media (message, i));
  return msrp_sdp_media_parse (text->str, error);
}
