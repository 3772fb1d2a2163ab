/* test-msrpsdp.c: MsrpSdpMedia to and from GstSDPMedia
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <string.h>

#include "gstmsrpsdp.h"

static char *
read_data (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSRP_TEST_DATA"), "sdp", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
has_attribute (const GstSDPMedia *media, const char *key)
{
  for (guint i = 0; i < gst_sdp_media_attributes_len (media); i++)
    if (strcmp (gst_sdp_media_get_attribute (media, i)->key, key) == 0)
      return TRUE;
  return FALSE;
}

static MsrpSdpMedia *
make_media (void)
{
  static const char * const types[] = { "message/cpim", "text/plain", NULL };
  static const char * const wrapped[] = { "text/plain", "image/*", NULL };
  MsrpSdpMedia *media = msrp_sdp_media_new ();
  g_autoptr(GPtrArray) path = msrp_path_parse (
    "msrps://relay.example.com:2855/r1;tcp msrps://192.0.2.1:7394/s9x;tcp", NULL);

  msrp_sdp_media_set_port (media, 7394);
  msrp_sdp_media_set_protocol (media, MSRP_SDP_PROTOCOL_TLS);
  msrp_sdp_media_set_path (media, path);
  msrp_sdp_media_set_accept_types (media, types);
  msrp_sdp_media_set_accept_wrapped_types (media, wrapped);
  msrp_sdp_media_set_max_size (media, 65536);
  msrp_sdp_media_set_setup (media, MSRP_SDP_SETUP_PASSIVE);
  msrp_sdp_media_set_fingerprint (media, "SHA-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:"
                                         "19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF");
  msrp_sdp_media_set_cema (media, TRUE);
  return media;
}

/* Every field lands in the GstSDPMedia, and comes back equal. */
static void
test_round_trip (void)
{
  g_autoptr(MsrpSdpMedia) media = make_media ();
  g_autoptr(MsrpSdpMedia) back = NULL;
  g_autoptr(GError) error = NULL;
  GstSDPMedia *gst_media = NULL;

  g_assert_cmpint (gst_sdp_media_new (&gst_media), ==, GST_SDP_OK);
  gst_msrp_sdp_media_to_gst (media, gst_media);
  g_assert_cmpstr (gst_sdp_media_get_media (gst_media), ==, "message");
  g_assert_cmpuint (gst_sdp_media_get_port (gst_media), ==, 7394);
  g_assert_cmpstr (gst_sdp_media_get_proto (gst_media), ==, "TCP/TLS/MSRP");
  g_assert_cmpuint (gst_sdp_media_formats_len (gst_media), ==, 1);
  g_assert_cmpstr (gst_sdp_media_get_format (gst_media, 0), ==, "*");
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (gst_media, "accept-types"), ==,
                   "message/cpim text/plain");
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (gst_media, "path"), ==,
                   "msrps://relay.example.com:2855/r1;tcp msrps://192.0.2.1:7394/s9x;tcp");
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (gst_media, "max-size"), ==, "65536");
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (gst_media, "setup"), ==, "passive");
  g_assert_true (has_attribute (gst_media, "msrp-cema"));
  g_assert_true (has_attribute (gst_media, "fingerprint"));

  back = gst_msrp_sdp_media_from_gst (gst_media, &error);
  g_assert_no_error (error);
  g_assert_true (msrp_sdp_media_equal (media, back));
  gst_sdp_media_free (gst_media);
}

/* From a whole SDP parsed by GStreamer: the MSRP section (not the audio
 * one before it, not the data channel) with the session-level defaults. */
static void
test_from_message (void)
{
  static const char sdp[] =
    "v=0\r\n"
    "o=- 1 1 IN IP4 192.0.2.7\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.7\r\n"
    "t=0 0\r\n"
    "a=setup:active\r\n"
    "m=audio 49170 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "m=message 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "m=message 2855 TCP/MSRP *\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrp://192.0.2.7:2855/abc;tcp\r\n";
  GstSDPMessage *message = NULL;
  g_autoptr(MsrpSdpMedia) media = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (gst_sdp_message_new_from_text (sdp, &message), ==, GST_SDP_OK);
  media = gst_msrp_sdp_media_from_gst_message (message, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msrp_sdp_media_get_port (media), ==, 2855);
  g_assert_cmpint (msrp_sdp_media_get_setup (media), ==, MSRP_SDP_SETUP_ACTIVE);
  path = msrp_path_to_string (msrp_sdp_media_get_path (media));
  g_assert_cmpstr (path, ==, "msrp://192.0.2.7:2855/abc;tcp");
  gst_sdp_message_free (message);
}

/* The offers in tests/data go through GStreamer's parser and back. */
static void
test_corpus (void)
{
  static const char * const files[] = {
    "blink-chat-offer.sdp", "blink-file-offer.sdp", "canonical-chat.sdp", "canonical-file.sdp",
    "relay-path.sdp", "rfc4975-10.1-offer.sdp", "rfc5547-9.1-offer.sdp", "rfc6135-offer.sdp",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *text = read_data (files[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(MsrpSdpMedia) direct = msrp_sdp_media_parse (text, &error);
      g_autoptr(MsrpSdpMedia) via_gst = NULL;
      g_autoptr(MsrpSdpMedia) back = NULL;
      GstSDPMessage *message = NULL;
      GstSDPMedia *gst_media = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (gst_sdp_message_new_from_text (text, &message), ==, GST_SDP_OK);
      via_gst = gst_msrp_sdp_media_from_gst_message (message, &error);
      g_assert_no_error (error);
      g_assert_true (msrp_sdp_media_equal (direct, via_gst));

      gst_sdp_media_new (&gst_media);
      gst_msrp_sdp_media_to_gst (direct, gst_media);
      back = gst_msrp_sdp_media_from_gst (gst_media, &error);
      g_assert_no_error (error);
      /* Session-level defaults were applied to @direct, and now sit in
       * the media section itself. */
      g_assert_true (msrp_sdp_media_equal (direct, back));
      gst_sdp_media_free (gst_media);
      gst_sdp_message_free (message);
    }
}

static void
test_not_msrp (void)
{
  GstSDPMedia *audio = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = NULL;

  gst_sdp_media_new (&audio);
  gst_sdp_media_set_media (audio, "audio");
  gst_sdp_media_set_port_info (audio, 5004, 1);
  gst_sdp_media_set_proto (audio, "RTP/AVP");
  gst_sdp_media_add_format (audio, "0");
  media = gst_msrp_sdp_media_from_gst (audio, &error);
  g_assert_null (media);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  gst_sdp_media_free (audio);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  g_test_add_func ("/msrpsdp/round-trip", test_round_trip);
  g_test_add_func ("/msrpsdp/from-message", test_from_message);
  g_test_add_func ("/msrpsdp/corpus", test_corpus);
  g_test_add_func ("/msrpsdp/not-msrp", test_not_msrp);
  return g_test_run ();
}
