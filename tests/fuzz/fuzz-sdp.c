/* fuzz-sdp.c: msrp_sdp_media_parse() on arbitrary text. Whatever parses
 * must be written back, by both formatters, into SDP that parses to the
 * same values; whatever fails must fail with MSRP_ERROR_INVALID_SDP. */
#include <msrp.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_reparses (MsrpSdpMedia *media, const char *written, gboolean all)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sections = NULL;

  if (all)
    sections = msrp_sdp_parse_all (written, &error);
  else
    {
      sections = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (sections, msrp_sdp_media_parse (written, &error));
    }
  if (error != NULL)
    g_error ("written SDP does not parse: %s\n%s", error->message, written);
  if (sections->len != 1 || !msrp_sdp_media_equal (media, g_ptr_array_index (sections, 0)))
    g_error ("written SDP parses to other values:\n%s", written);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_parse (text, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *written = NULL;
  g_autofree char *session = NULL;

  if (media == NULL)
    {
      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  written = msrp_sdp_media_to_string (media);
  check_reparses (media, written, FALSE);
  session = msrp_sdp_media_to_session_string (media, NULL, NULL);
  check_reparses (media, session, TRUE);

  all = msrp_sdp_parse_all (text, &error);
  if (all != NULL)
    g_assert_true (msrp_sdp_media_equal (media, g_ptr_array_index (all, 0)));
  else
    g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  return 0;
}
