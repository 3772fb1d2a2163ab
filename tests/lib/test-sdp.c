/* test-sdp.c: MsrpSdpMedia and MsrpFileSelector */
#include <msrp.h>

#define RFC5547_HASH "sha-1:72:24:5F:E8:65:3D:DA:F3:71:36:2F:86:D4:71:91:3E:E4:A2:CE:2E"

static char *
load_sdp (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSRP_TEST_DATA"), "sdp", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static MsrpSdpMedia *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  MsrpSdpMedia *media = msrp_sdp_media_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (media);
  return media;
}

/* Parses a data file, writes it back, and checks the written form parses
 * to the same values. Returns the parsed media. */
static MsrpSdpMedia *
parse_file_round_trip (const char *name)
{
  g_autofree char *text = load_sdp (name);
  MsrpSdpMedia *media = parse_ok (text);
  g_autofree char *written = msrp_sdp_media_to_string (media);
  g_autoptr(MsrpSdpMedia) again = parse_ok (written);

  g_assert_true (msrp_sdp_media_equal (media, again));
  return media;
}

static void
assert_strv (const char * const *got, const char *expected)
{
  g_auto(GStrv) want = expected != NULL ? g_strsplit (expected, " ", -1) : NULL;

  if (want == NULL)
    {
      g_assert_null (got);
      return;
    }
  g_assert_nonnull (got);
  g_assert_cmpstrv (got, want);
}

static void
assert_path (MsrpSdpMedia *media, const char *expected)
{
  g_autofree char *path = msrp_path_to_string (msrp_sdp_media_get_path (media));

  g_assert_cmpstr (path, ==, expected);
}

static void
test_rfc4975_example_exchange (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("rfc4975-8.7-offer.sdp");
  g_autoptr(MsrpSdpMedia) answer = parse_file_round_trip ("rfc4975-8.7-answer.sdp");
  g_autofree char *written = msrp_sdp_media_to_string (offer);

  g_assert_cmpuint (msrp_sdp_media_get_port (offer), ==, 7394);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (offer), ==, "TCP/MSRP");
  g_assert_false (msrp_sdp_media_get_secure (offer));
  assert_strv (msrp_sdp_media_get_accept_types (offer), "message/cpim text/plain text/html");
  assert_strv (msrp_sdp_media_get_accept_wrapped_types (offer), NULL);
  assert_path (offer, "msrp://alice.example.com:7394/2s93i9ek2a;tcp");
  g_assert_cmpint (msrp_sdp_media_get_setup (offer), ==, MSRP_SDP_SETUP_NONE);
  g_assert_cmpint (msrp_sdp_media_get_direction (offer), ==, MSRP_SDP_DIRECTION_SENDRECV);
  g_assert_cmpint (msrp_sdp_media_get_max_size (offer), ==, -1);
  g_assert_null (msrp_sdp_media_get_fingerprint (offer));
  g_assert_false (msrp_sdp_media_get_cema (offer));
  g_assert_null (msrp_sdp_media_get_file_selector (offer));
  g_assert_cmpstrv (msrp_sdp_media_get_extra_attributes (offer), ((const char *[]) { NULL }));

  g_assert_cmpstr (written, ==,
                   "m=message 7394 TCP/MSRP *\r\n"
                   "a=sendrecv\r\n"
                   "a=accept-types:message/cpim text/plain text/html\r\n"
                   "a=path:msrp://alice.example.com:7394/2s93i9ek2a;tcp\r\n");

  g_assert_cmpuint (msrp_sdp_media_get_port (answer), ==, 8493);
  assert_strv (msrp_sdp_media_get_accept_types (answer), "message/cpim text/plain");
  assert_path (answer, "msrp://bob.example.com:8493/si438dsaodes;tcp");
  /* No a=setup anywhere: the offerer connects (RFC 4975 §5.4). */
  g_assert_true (msrp_sdp_media_is_active (offer, answer, TRUE));
  g_assert_false (msrp_sdp_media_is_active (answer, offer, FALSE));
}

static void
test_rfc4975_basic_im (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("rfc4975-10.1-offer.sdp");
  g_autoptr(MsrpSdpMedia) answer = parse_file_round_trip ("rfc4975-10.1-answer.sdp");

  g_assert_cmpuint (msrp_sdp_media_get_port (offer), ==, 7654);
  assert_strv (msrp_sdp_media_get_accept_types (offer), "text/plain");
  assert_path (offer, "msrp://atlanta.example.com:7654/jshA7weztas;tcp");
  g_assert_cmpuint (msrp_sdp_media_get_port (answer), ==, 12763);
  assert_path (answer, "msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp");
}

static void
test_rfc5547_offer (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("rfc5547-9.1-offer.sdp");
  MsrpFileSelector *selector = msrp_sdp_media_get_file_selector (offer);
  g_autofree char *written = msrp_sdp_media_to_string (offer);

  g_assert_cmpint (msrp_sdp_media_get_direction (offer), ==, MSRP_SDP_DIRECTION_SENDONLY);
  assert_strv (msrp_sdp_media_get_accept_types (offer), "message/cpim");
  assert_strv (msrp_sdp_media_get_accept_wrapped_types (offer), "*");
  assert_path (offer, "msrp://atlanta.example.com:7654/jshA7we;tcp");
  g_assert_nonnull (selector);
  g_assert_cmpstr (msrp_file_selector_get_name (selector), ==, "My cool picture.jpg");
  g_assert_cmpstr (msrp_file_selector_get_media_type (selector), ==, "image/jpeg");
  g_assert_cmpint (msrp_file_selector_get_size (selector), ==, 32349);
  g_assert_cmpstr (msrp_file_selector_get_hash (selector), ==, RFC5547_HASH);
  g_assert_cmpstr (msrp_sdp_media_get_file_transfer_id (offer), ==, "vBnG916bdberum2fFEABR1FR3ExZMUrd");
  g_assert_cmpstr (msrp_sdp_media_get_file_disposition (offer), ==, "attachment");
  g_assert_cmpstr (msrp_sdp_media_get_file_creation_date (offer), ==, "Mon, 15 May 2006 15:01:31 +0300");
  g_assert_null (msrp_sdp_media_get_file_modification_date (offer));
  g_assert_null (msrp_sdp_media_get_file_read_date (offer));
  g_assert_cmpstr (msrp_sdp_media_get_file_icon (offer), ==, "cid:id2@alicepc.example.com");
  g_assert_cmpint (msrp_sdp_media_get_file_range_start (offer), ==, 1);
  g_assert_cmpint (msrp_sdp_media_get_file_range_stop (offer), ==, 32349);

  /* The RFC's attribute lines come back as they were. */
  g_assert_nonnull (strstr (written, "\r\na=file-selector:name:\"My cool picture.jpg\" type:image/jpeg "
                                     "size:32349 hash:" RFC5547_HASH "\r\n"));
  g_assert_nonnull (strstr (written, "\r\na=file-date:creation:\"Mon, 15 May 2006 15:01:31 +0300\"\r\n"));
  g_assert_nonnull (strstr (written, "\r\na=file-range:1-32349\r\n"));
}

static void
test_rfc5547_answer (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("rfc5547-9.1-offer.sdp");
  g_autoptr(MsrpSdpMedia) answer = parse_file_round_trip ("rfc5547-9.1-answer.sdp");

  g_assert_cmpint (msrp_sdp_media_get_direction (answer), ==, MSRP_SDP_DIRECTION_RECVONLY);
  g_assert_cmpuint (msrp_sdp_media_get_port (answer), ==, 8888);
  /* RFC 5547 §8: the answer accepts the file by repeating its selector. */
  g_assert_true (msrp_file_selector_equal (msrp_sdp_media_get_file_selector (offer),
                                           msrp_sdp_media_get_file_selector (answer)));
  g_assert_null (msrp_sdp_media_get_file_disposition (answer));
  g_assert_null (msrp_sdp_media_get_file_icon (answer));
}

static void
test_rfc6135_roles (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("rfc6135-offer.sdp");
  g_autoptr(MsrpSdpMedia) answer = parse_file_round_trip ("rfc6135-answer.sdp");

  g_assert_cmpint (msrp_sdp_media_get_setup (offer), ==, MSRP_SDP_SETUP_ACTPASS);
  g_assert_cmpint (msrp_sdp_media_get_setup (answer), ==, MSRP_SDP_SETUP_ACTIVE);
  g_assert_cmpint (msrp_sdp_setup_answer (MSRP_SDP_SETUP_ACTPASS), ==, MSRP_SDP_SETUP_ACTIVE);
  g_assert_cmpuint (msrp_sdp_media_get_port (answer), ==, 9);
  g_assert_false (msrp_sdp_media_is_active (offer, answer, TRUE));
  g_assert_true (msrp_sdp_media_is_active (answer, offer, FALSE));
}

static void
test_blink_chat (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("blink-chat-offer.sdp");
  g_autofree char *written = msrp_sdp_media_to_string (media);

  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, "TCP/TLS/MSRP");
  g_assert_true (msrp_sdp_media_get_secure (media));
  g_assert_cmpuint (msrp_sdp_media_get_port (media), ==, 2855);
  assert_strv (msrp_sdp_media_get_accept_types (media),
               "message/cpim text/* image/* application/im-iscomposing+xml");
  assert_strv (msrp_sdp_media_get_accept_wrapped_types (media),
               "text/* image/* application/im-iscomposing+xml");
  g_assert_cmpint (msrp_sdp_media_get_setup (media), ==, MSRP_SDP_SETUP_ACTPASS);
  g_assert_cmpstr (msrp_sdp_media_get_fingerprint (media), ==,
                   "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:04:6A:F9:41:08:B4:D1:C6:23:2D:0A:1F");
  /* What Blink needs back: format `*` and an explicit a=sendrecv. */
  g_assert_true (g_str_has_prefix (written, "m=message 2855 TCP/TLS/MSRP *\r\na=sendrecv\r\n"));
}

static void
test_blink_file (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("blink-file-offer.sdp");
  MsrpFileSelector *selector = msrp_sdp_media_get_file_selector (media);

  g_assert_cmpint (msrp_sdp_media_get_direction (media), ==, MSRP_SDP_DIRECTION_SENDONLY);
  assert_strv (msrp_sdp_media_get_accept_types (media), "*");
  g_assert_cmpstr (msrp_file_selector_get_name (selector), ==, "holiday photo.jpg");
  g_assert_cmpint (msrp_file_selector_get_size (selector), ==, 183742);
  /* Legacy `sha1:` in lower case becomes the RFC form. */
  g_assert_cmpstr (msrp_file_selector_get_hash (selector), ==, RFC5547_HASH);
  g_assert_cmpstr (msrp_sdp_media_get_file_transfer_id (media), ==, "6b2e3c1f-0d4a-4c8e-9f1b-2a7d5e8c9b01");
  g_assert_cmpstr (msrp_sdp_media_lookup_extra_attribute (media, "x-file-offset"), ==, "");
}

static void
test_ribbon (void)
{
  g_autoptr(MsrpSdpMedia) offer = parse_file_round_trip ("ribbon-offer.sdp");
  g_autoptr(MsrpSdpMedia) answer = parse_file_round_trip ("ribbon-answer-active.sdp");
  g_autofree char *written = msrp_sdp_media_to_string (answer);

  g_assert_true (msrp_sdp_media_get_cema (offer));
  g_assert_true (msrp_sdp_media_get_cema (answer));
  g_assert_cmpuint (msrp_sdp_media_get_port (answer), ==, 9);
  g_assert_cmpint (msrp_sdp_media_get_setup (answer), ==, MSRP_SDP_SETUP_ACTIVE);
  g_assert_true (msrp_sdp_media_use_session_matching (offer, answer));
  /* We are the offerer here; the SBC answered active, so we wait. */
  g_assert_false (msrp_sdp_media_is_active (offer, answer, TRUE));
  /* Written with the RFC 6714 spelling. */
  g_assert_nonnull (strstr (written, "\r\na=msrp-cema\r\n"));
  g_assert_null (strstr (written, "msrp_cema"));
}

static void
test_doubango_connection (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("doubango-connection.sdp");
  g_autofree char *written = msrp_sdp_media_to_string (media);

  g_assert_cmpint (msrp_sdp_media_get_setup (media), ==, MSRP_SDP_SETUP_PASSIVE);
  g_assert_null (msrp_sdp_media_lookup_extra_attribute (media, "connection"));
  g_assert_null (strstr (written, "connection"));
}

static void
test_lf_only (void)
{
  g_autofree char *crlf = load_sdp ("rfc4975-8.7-offer.sdp");
  g_autofree char *lf = load_sdp ("lf-only-offer.sdp");
  g_autoptr(MsrpSdpMedia) a = parse_ok (crlf);
  g_autoptr(MsrpSdpMedia) b = parse_ok (lf);

  g_assert_null (strchr (lf, '\r'));
  g_assert_true (msrp_sdp_media_equal (a, b));
}

static void
test_canonical_byte_identical (gconstpointer data)
{
  g_autofree char *text = load_sdp (data);
  g_autoptr(MsrpSdpMedia) media = parse_ok (text);
  g_autofree char *written = msrp_sdp_media_to_string (media);

  g_assert_cmpstr (written, ==, text);
}

static void
test_canonical_file_fields (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("canonical-file.sdp");
  MsrpFileSelector *selector = msrp_sdp_media_get_file_selector (media);

  g_assert_cmpstr (msrp_file_selector_get_name (selector), ==, "My \"best\" 100% photo.jpg");
  g_assert_cmpstr (msrp_sdp_media_get_file_modification_date (media), ==, "Tue, 16 May 2006 10:00:00 +0300");
  g_assert_cmpint (msrp_sdp_media_get_file_range_start (media), ==, 1);
  g_assert_cmpint (msrp_sdp_media_get_file_range_stop (media), ==, -1);
}

static void
test_relay_path (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("relay-path.sdp");
  g_autofree char *written = msrp_sdp_media_to_string (media);

  assert_path (media, "msrps://relay.example.net:2855/kjfjan;tcp msrps://alicepc.example.com:7777/iau39soe2843z;tcp");
  g_assert_cmpint (msrp_sdp_media_get_max_size (media), ==, 65536);
  /* Session-level attributes apply to the media section. */
  g_assert_cmpint (msrp_sdp_media_get_setup (media), ==, MSRP_SDP_SETUP_PASSIVE);
  g_assert_cmpstr (msrp_sdp_media_get_fingerprint (media), ==,
                   "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB");
  /* One a=path line on output. */
  g_assert_nonnull (strstr (written, "\r\na=path:msrps://relay.example.net:2855/kjfjan;tcp "
                                     "msrps://alicepc.example.com:7777/iau39soe2843z;tcp\r\n"));
}

static void
test_websocket (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_file_round_trip ("websocket.sdp");

  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_WSS);
  g_assert_true (msrp_sdp_media_get_secure (media));
  msrp_sdp_media_set_secure (media, FALSE);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_WS);
}

static void
test_parse_all (void)
{
  g_autofree char *text = load_sdp ("multi-media.sdp");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = msrp_sdp_parse_all (text, &error);
  g_autoptr(MsrpSdpMedia) first = parse_ok (text);
  MsrpSdpMedia *chat, *file;

  g_assert_no_error (error);
  /* The audio and the data channel sections are not MSRP over TCP. */
  g_assert_cmpuint (all->len, ==, 2);
  chat = g_ptr_array_index (all, 0);
  file = g_ptr_array_index (all, 1);
  g_assert_true (msrp_sdp_media_equal (first, chat));
  assert_path (chat, "msrp://[2001:db8::10]:2855/chat1;tcp");
  g_assert_cmpint (msrp_sdp_media_get_direction (file), ==, MSRP_SDP_DIRECTION_SENDONLY);
  g_assert_cmpstr (msrp_file_selector_get_name (msrp_sdp_media_get_file_selector (file)), ==, "report.pdf");
}

static void
test_first_section_only (void)
{
  const char *text =
    "m=message 9 TCP/MSRP *\r\n"
    "a=accept-types:text/plain\r\n"
    "a=path:msrp://a.example.com:2855/one;tcp\r\n"
    "m=message 9 TCP/MSRP *\r\n"
    "a=accept-types:text/plain\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = parse_ok (text);
  g_autoptr(GPtrArray) all = msrp_sdp_parse_all (text, &error);

  assert_path (media, "msrp://a.example.com:2855/one;tcp");
  g_assert_null (all);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  g_assert_nonnull (strstr (error->message, "line 4"));
}

typedef struct
{
  const char *name;
  const char *sdp;
  guint line;              /* the line the message must name; 0: none */
} Malformed;

#define M_HEAD "m=message 9 TCP/MSRP *\r\n"
#define M_TYPES "a=accept-types:text/plain\r\n"
#define M_PATH "a=path:msrp://a.example.com:2855/s1;tcp\r\n"
#define M_OK M_HEAD M_TYPES M_PATH

static const Malformed malformed[] = {
  { "empty", "", 0 },
  { "no-message-section", "v=0\r\ns=-\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\n", 0 },
  { "port-not-a-number", "m=message abc TCP/MSRP *\r\n" M_TYPES M_PATH, 1 },
  { "port-too-big", "m=message 70000 TCP/MSRP *\r\n" M_TYPES M_PATH, 1 },
  { "port-count", "m=message 9/2 TCP/MSRP *\r\n" M_TYPES M_PATH, 1 },
  { "no-formats", "m=message 9 TCP/MSRP\r\n" M_TYPES M_PATH, 1 },
  { "bad-format", "m=message 9 TCP/MSRP foo\r\n" M_TYPES M_PATH, 1 },
  { "short-m-line", "m=message 9\r\n" M_TYPES M_PATH, 1 },
  { "no-path", "v=0\r\n" M_HEAD M_TYPES, 2 },
  { "bad-path-uri", M_HEAD M_TYPES "a=path:http://a.example.com/x\r\n", 3 },
  { "empty-path", M_HEAD M_TYPES "a=path:\r\n", 3 },
  { "no-accept-types", M_HEAD M_PATH, 1 },
  { "empty-accept-types", M_HEAD "a=accept-types:\r\n" M_PATH, 2 },
  { "bad-accept-type", M_HEAD "a=accept-types:text\r\n" M_PATH, 2 },
  { "duplicate-accept-types", M_OK M_TYPES, 4 },
  { "bad-setup", M_OK "a=setup:sideways\r\n", 4 },
  { "duplicate-setup", M_OK "a=setup:active\r\na=setup:passive\r\n", 5 },
  { "bad-session-setup", "a=setup:both\r\n" M_OK, 1 },
  { "fingerprint-no-hash", M_OK "a=fingerprint:sha-256\r\n", 4 },
  { "fingerprint-bad-hex", M_OK "a=fingerprint:sha-256 AB:CD:E\r\n", 4 },
  { "fingerprint-not-hex", M_OK "a=fingerprint:sha-256 AB:XY\r\n", 4 },
  { "max-size-negative", M_OK "a=max-size:-5\r\n", 4 },
  { "max-size-overflow", M_OK "a=max-size:99999999999999999999\r\n", 4 },
  { "garbage-line", M_OK "hello world\r\n", 4 },
  { "upper-case-type", M_OK "A=foo\r\n", 4 },
  { "stray-cr", M_HEAD "a=accept-types:text/plain\rfoo\r\n" M_PATH, 2 },
  { "invalid-utf8", M_OK "a=x-note:\xff\xfe\r\n", 4 },
  { "session-line-in-media", M_OK "v=0\r\n", 4 },
  { "bad-attribute-name", M_OK "a=:foo\r\n", 4 },
  { "conflicting-direction", M_OK "a=sendonly\r\na=recvonly\r\n", 5 },
  { "selector-bad-hash", M_OK "a=file-selector:name:\"a.txt\" hash:sha-1:XY:Z\r\n", 4 },
  { "selector-unterminated", M_OK "a=file-selector:name:\"a.txt\r\n", 4 },
  { "selector-bad-size", M_OK "a=file-selector:size:12k\r\n", 4 },
  { "selector-empty-name", M_OK "a=file-selector:name:\"\"\r\n", 4 },
  { "selector-nul-name", M_OK "a=file-selector:name:\"a%00b\"\r\n", 4 },
  { "file-range-reversed", M_OK "a=file-range:5-2\r\n", 4 },
  { "file-range-zero", M_OK "a=file-range:0-10\r\n", 4 },
  { "file-transfer-id-space", M_OK "a=file-transfer-id:a b\r\n", 4 },
  { "file-date-unquoted", M_OK "a=file-date:creation:Mon\r\n", 4 },
  { "file-icon-empty", M_OK "a=file-icon:\r\n", 4 },
  { "lang-underscore", M_OK "a=lang:en_US\r\n", 4 },
  { "lang-empty", M_OK "a=lang:\r\n", 4 },
  { "lang-digit-first", M_OK "a=lang:1en\r\n", 4 },
  { "lang-long-subtag", M_OK "a=lang:en-abcdefghi\r\n", 4 },
  { "lang-empty-subtag", M_OK "a=lang:en--US\r\n", 4 },
  { "bad-session-lang", "a=lang:en US\r\n" M_OK, 1 },
};

static void
test_malformed (gconstpointer data)
{
  const Malformed *m = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_parse (m->sdp, &error);

  g_assert_null (media);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  if (m->line > 0)
    {
      g_autofree char *where = g_strdup_printf ("SDP line %u: ", m->line);

      g_assert_true (g_str_has_prefix (error->message, where));
    }
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_malformed_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_parse (M_OK "a=setup:sideways\r\n", &error);

  g_assert_null (media);
  g_assert_cmpstr (error->message, ==, "SDP line 4: bad a=setup value “sideways”");
  g_clear_error (&error);
  media = msrp_sdp_media_parse (M_HEAD M_TYPES, &error);
  g_assert_cmpstr (error->message, ==, "SDP line 1: m=message section has no a=path");
}

static void
test_liberal_input (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_ok (
    "\r\n"
    "m=message 0009 tcp/tls/msrp * text/plain\r\n"
    "a=accept-types:  text/plain   message/cpim \r\n"
    "a=path: msrps://a.example.com:2855/s1;tcp \r\n"
    "a=setup:ACTPASS\r\n"
    "a=msrp-cema\r\n"
    "a=msrp_cema\r\n"
    "a=sendonly\r\n"
    "a=sendonly\r\n"
    "b=AS:64\r\n"
    "\r\n");

  g_assert_cmpuint (msrp_sdp_media_get_port (media), ==, 9);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_TLS);
  assert_strv (msrp_sdp_media_get_accept_types (media), "text/plain message/cpim");
  g_assert_cmpint (msrp_sdp_media_get_setup (media), ==, MSRP_SDP_SETUP_ACTPASS);
  g_assert_true (msrp_sdp_media_get_cema (media));
  g_assert_cmpint (msrp_sdp_media_get_direction (media), ==, MSRP_SDP_DIRECTION_SENDONLY);
}

static void
test_second_fingerprint_kept (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_ok (M_OK
                                            "a=fingerprint:sha-256 ab:cd\r\n"
                                            "a=fingerprint:SHA-1 01:02:03\r\n");
  g_autofree char *written = msrp_sdp_media_to_string (media);
  g_autoptr(MsrpSdpMedia) again = parse_ok (written);

  g_assert_cmpstr (msrp_sdp_media_get_fingerprint (media), ==, "sha-256 AB:CD");
  g_assert_cmpstr (msrp_sdp_media_lookup_extra_attribute (media, "fingerprint"), ==, "sha-1 01:02:03");
  g_assert_true (msrp_sdp_media_equal (media, again));
}

static void
test_setup_answer (void)
{
  static const struct { MsrpSdpSetup offer, answer; } table[] = {
    { MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_PASSIVE },
    { MSRP_SDP_SETUP_ACTIVE, MSRP_SDP_SETUP_PASSIVE },
    { MSRP_SDP_SETUP_PASSIVE, MSRP_SDP_SETUP_ACTIVE },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_ACTIVE },
    { MSRP_SDP_SETUP_HOLDCONN, MSRP_SDP_SETUP_HOLDCONN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpint (msrp_sdp_setup_answer (table[i].offer), ==, table[i].answer);
}

static void
test_is_active_table (void)
{
  enum { OFFERER, ANSWERER, NOBODY };
  static const struct { MsrpSdpSetup offer, answer; int connects; } table[] = {
    { MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_NONE, OFFERER },          /* RFC 4975 */
    { MSRP_SDP_SETUP_ACTIVE, MSRP_SDP_SETUP_NONE, OFFERER },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_NONE, OFFERER },       /* answer defaults to passive */
    { MSRP_SDP_SETUP_PASSIVE, MSRP_SDP_SETUP_NONE, ANSWERER },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_ACTIVE, ANSWERER },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_PASSIVE, OFFERER },
    { MSRP_SDP_SETUP_ACTIVE, MSRP_SDP_SETUP_PASSIVE, OFFERER },
    { MSRP_SDP_SETUP_PASSIVE, MSRP_SDP_SETUP_ACTIVE, ANSWERER },
    { MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_ACTIVE, ANSWERER },        /* Ribbon-style answer */
    { MSRP_SDP_SETUP_NONE, MSRP_SDP_SETUP_PASSIVE, OFFERER },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_ACTPASS, OFFERER },     /* invalid answer: default */
    { MSRP_SDP_SETUP_HOLDCONN, MSRP_SDP_SETUP_HOLDCONN, NOBODY },
    { MSRP_SDP_SETUP_HOLDCONN, MSRP_SDP_SETUP_NONE, NOBODY },
    { MSRP_SDP_SETUP_ACTPASS, MSRP_SDP_SETUP_HOLDCONN, NOBODY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(MsrpSdpMedia) offer = msrp_sdp_media_new ();
      g_autoptr(MsrpSdpMedia) answer = msrp_sdp_media_new ();

      msrp_sdp_media_set_setup (offer, table[i].offer);
      msrp_sdp_media_set_setup (answer, table[i].answer);
      g_assert_cmpint (msrp_sdp_media_is_active (offer, answer, TRUE), ==, table[i].connects == OFFERER);
      g_assert_cmpint (msrp_sdp_media_is_active (answer, offer, FALSE), ==, table[i].connects == ANSWERER);
    }
}

static void
test_session_matching (void)
{
  g_autoptr(MsrpSdpMedia) a = msrp_sdp_media_new ();
  g_autoptr(MsrpSdpMedia) b = msrp_sdp_media_new ();

  g_assert_false (msrp_sdp_media_use_session_matching (a, b));
  msrp_sdp_media_set_cema (a, TRUE);
  g_assert_false (msrp_sdp_media_use_session_matching (a, b));
  g_assert_false (msrp_sdp_media_use_session_matching (b, a));
  msrp_sdp_media_set_cema (b, TRUE);
  g_assert_true (msrp_sdp_media_use_session_matching (a, b));
}

/* RFC 4566 §6: several a=lang lines, most important first; session-level
 * ones apply to a section with none of its own. */
static void
test_lang (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSdpMedia) media = parse_ok (M_OK "a=lang:de\r\na=lang:en-GB\r\n");
  g_autoptr(MsrpSdpMedia) none = parse_ok (M_OK);
  g_autoptr(GPtrArray) all = msrp_sdp_parse_all ("v=0\r\n"
                                                 "a=lang:fr\r\n"
                                                 "a=lang:x-klingon\r\n"
                                                 M_OK
                                                 M_OK "a=lang:sgn-CH-DE\r\n",
                                                 &error);
  g_autofree char *written = msrp_sdp_media_to_string (media);
  g_autoptr(MsrpSdpMedia) again = parse_ok (written);
  const char *empty[] = { NULL };

  g_assert_no_error (error);
  assert_strv (msrp_sdp_media_get_languages (media), "de en-GB");
  g_assert_null (msrp_sdp_media_get_languages (none));
  g_assert_nonnull (strstr (written, "a=lang:de\r\na=lang:en-GB\r\n"));
  g_assert_true (msrp_sdp_media_equal (media, again));
  g_assert_false (msrp_sdp_media_equal (media, none));

  g_assert_cmpuint (all->len, ==, 2);
  assert_strv (msrp_sdp_media_get_languages (all->pdata[0]), "fr x-klingon");
  assert_strv (msrp_sdp_media_get_languages (all->pdata[1]), "sgn-CH-DE");

  /* Empty is none. */
  msrp_sdp_media_set_languages (media, empty);
  g_assert_null (msrp_sdp_media_get_languages (media));
  g_assert_true (msrp_sdp_media_equal (media, none));
}

static void
test_defaults (void)
{
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();
  g_autofree char *written = msrp_sdp_media_to_string (media);

  g_assert_cmpuint (msrp_sdp_media_get_port (media), ==, 9);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_TCP);
  g_assert_cmpuint (msrp_sdp_media_get_path (media)->len, ==, 0);
  g_assert_null (msrp_sdp_media_get_accept_types (media));
  g_assert_null (msrp_sdp_media_get_languages (media));
  g_assert_cmpint (msrp_sdp_media_get_max_size (media), ==, -1);
  g_assert_cmpint (msrp_sdp_media_get_file_range_start (media), ==, 0);
  g_assert_cmpint (msrp_sdp_media_get_file_range_stop (media), ==, -1);
  g_assert_cmpstr (written, ==, "m=message 9 TCP/MSRP *\r\na=sendrecv\r\na=accept-types:*\r\n");
}

static MsrpSdpMedia *
make_full_media (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = msrp_path_parse ("msrps://relay.example.net:2855/r1;tcp "
                                               "msrps://[2001:db8::1]:7777/s1;tcp", &error);
  g_autoptr(MsrpFileSelector) selector = msrp_file_selector_new ("tab\there \"q\" 50% \\ é.txt",
                                                                 "text/plain;charset=\"UTF-8\"", 0,
                                                                 "sha1:0a:0b");
  const char *types[] = { "message/cpim", "text/plain", NULL };
  const char *wrapped[] = { "text/*", "image/png", NULL };
  const char *extra[] = { "x-file-offset", "chatroom:nickname private-messages", NULL };
  const char *languages[] = { "pt-BR", "en", NULL };
  MsrpSdpMedia *media;

  g_assert_no_error (error);
  media = g_object_new (MSRP_TYPE_SDP_MEDIA,
                        "port", 2855,
                        "secure", TRUE,
                        "path", path,
                        "accept-types", types,
                        "accept-wrapped-types", wrapped,
                        "max-size", (gint64) 1 << 40,
                        "setup", MSRP_SDP_SETUP_HOLDCONN,
                        "fingerprint", "SHA-512 0a:1b",
                        "cema", TRUE,
                        "languages", languages,
                        "direction", MSRP_SDP_DIRECTION_INACTIVE,
                        "file-selector", selector,
                        "file-transfer-id", "id-1",
                        "file-disposition", "render",
                        "file-creation-date", "Mon, 15 May 2006 15:01:31 +0300",
                        "file-modification-date", "Tue, 16 May 2006 15:01:31 +0300",
                        "file-read-date", "Wed, 17 May 2006 15:01:31 +0300",
                        "file-icon", "cid:icon@example.com",
                        "extra-attributes", extra,
                        NULL);
  msrp_sdp_media_set_file_range (media, 100, 200);
  return media;
}

static void
test_round_trip_every_property (void)
{
  g_autoptr(MsrpSdpMedia) media = make_full_media ();
  g_autofree char *written = msrp_sdp_media_to_string (media);
  g_autoptr(MsrpSdpMedia) again = parse_ok (written);
  g_autoptr(MsrpFileSelector) selector = NULL;
  g_auto(GStrv) types = NULL;
  g_autofree char *protocol = NULL;
  g_autofree char *fingerprint = NULL;
  gint64 max_size, range_start, range_stop;
  MsrpSdpSetup setup;

  g_assert_true (msrp_sdp_media_equal (media, again));
  g_object_get (again,
                "protocol", &protocol,
                "accept-types", &types,
                "max-size", &max_size,
                "setup", &setup,
                "fingerprint", &fingerprint,
                "file-selector", &selector,
                "file-range-start", &range_start,
                "file-range-stop", &range_stop,
                NULL);
  g_assert_cmpstr (protocol, ==, MSRP_SDP_PROTOCOL_TLS);
  assert_strv ((const char * const *) types, "message/cpim text/plain");
  g_assert_cmpint (max_size, ==, (gint64) 1 << 40);
  g_assert_cmpint (setup, ==, MSRP_SDP_SETUP_HOLDCONN);
  g_assert_cmpstr (fingerprint, ==, "sha-512 0A:1B");
  g_assert_cmpstr (msrp_file_selector_get_name (selector), ==, "tab\there \"q\" 50% \\ é.txt");
  g_assert_cmpstr (msrp_file_selector_get_media_type (selector), ==, "text/plain;charset=\"UTF-8\"");
  g_assert_cmpint (msrp_file_selector_get_size (selector), ==, 0);
  g_assert_cmpstr (msrp_file_selector_get_hash (selector), ==, "sha-1:0A:0B");
  g_assert_cmpint (range_start, ==, 100);
  g_assert_cmpint (range_stop, ==, 200);
  g_assert_cmpstr (msrp_sdp_media_get_file_read_date (again), ==, "Wed, 17 May 2006 15:01:31 +0300");
  assert_path (again, "msrps://relay.example.net:2855/r1;tcp msrps://[2001:db8::1]:7777/s1;tcp");
  g_assert_cmpstr (written, ==,
                   "m=message 2855 TCP/TLS/MSRP *\r\n"
                   "a=inactive\r\n"
                   "a=accept-types:message/cpim text/plain\r\n"
                   "a=accept-wrapped-types:text/* image/png\r\n"
                   "a=max-size:1099511627776\r\n"
                   "a=path:msrps://relay.example.net:2855/r1;tcp msrps://[2001:db8::1]:7777/s1;tcp\r\n"
                   "a=setup:holdconn\r\n"
                   "a=fingerprint:sha-512 0A:1B\r\n"
                   "a=msrp-cema\r\n"
                   "a=lang:pt-BR\r\n"
                   "a=lang:en\r\n"
                   "a=file-selector:name:\"tab%09here %22q%22 50%25 %5C é.txt\" "
                   "type:text/plain;charset=\"UTF-8\" size:0 hash:sha-1:0A:0B\r\n"
                   "a=file-transfer-id:id-1\r\n"
                   "a=file-disposition:render\r\n"
                   "a=file-date:creation:\"Mon, 15 May 2006 15:01:31 +0300\" "
                   "modification:\"Tue, 16 May 2006 15:01:31 +0300\" read:\"Wed, 17 May 2006 15:01:31 +0300\"\r\n"
                   "a=file-icon:cid:icon@example.com\r\n"
                   "a=file-range:100-200\r\n"
                   "a=x-file-offset\r\n"
                   "a=chatroom:nickname private-messages\r\n");
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count_of (GHashTable *counts, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_notify (void)
{
  g_autoptr(MsrpSdpMedia) full = make_full_media ();
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_signal_connect (media, "notify", G_CALLBACK (count_notify), counts);
  /* Copy every writable property over, twice: one notify each. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (full), &n_pspecs);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < n_pspecs; i++)
      {
        g_auto(GValue) value = G_VALUE_INIT;

        if (!(pspecs[i]->flags & G_PARAM_WRITABLE))
          continue;
        g_value_init (&value, pspecs[i]->value_type);
        g_object_get_property (G_OBJECT (full), pspecs[i]->name, &value);
        g_object_set_property (G_OBJECT (media), pspecs[i]->name, &value);
      }
  msrp_sdp_media_set_file_range (media, 100, 200);
  msrp_sdp_media_set_file_range (media, 100, 200);
  g_assert_true (msrp_sdp_media_equal (media, full));

  for (guint i = 0; i < n_pspecs; i++)
    {
      /* secure and protocol change together: still once each */
      g_test_message ("%s", pspecs[i]->name);
      g_assert_cmpuint (count_of (counts, pspecs[i]->name), ==, 1);
    }
  g_assert_true (G_PARAM_SPEC (g_object_class_find_property (G_OBJECT_GET_CLASS (media), "port"))->flags &
                 G_PARAM_EXPLICIT_NOTIFY);
}

static void
test_secure_protocol (void)
{
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();

  msrp_sdp_media_set_secure (media, TRUE);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_TLS);
  msrp_sdp_media_set_protocol (media, "tcp/ws/msrp");
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_WS);
  g_assert_false (msrp_sdp_media_get_secure (media));
  msrp_sdp_media_set_secure (media, TRUE);
  g_assert_cmpstr (msrp_sdp_media_get_protocol (media), ==, MSRP_SDP_PROTOCOL_WSS);
  msrp_sdp_media_set_secure (media, FALSE);
  msrp_sdp_media_set_protocol (media, MSRP_SDP_PROTOCOL_TCP);
  g_assert_false (msrp_sdp_media_get_secure (media));
}

static void
test_file_selector_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpFileSelector) a =
    msrp_file_selector_parse ("size:10  hash:SHA1:ab:CD name:\"say \\\"hi\\\" %41.txt\" x-ext:1 type:text/plain;a=\"b c\"", &error);
  g_autoptr(MsrpFileSelector) empty = msrp_file_selector_parse ("", &error);
  g_autofree char *a_text = NULL;
  g_autofree char *empty_text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (msrp_file_selector_get_name (a), ==, "say \"hi\" A.txt");
  g_assert_cmpstr (msrp_file_selector_get_media_type (a), ==, "text/plain;a=\"b c\"");
  g_assert_cmpint (msrp_file_selector_get_size (a), ==, 10);
  g_assert_cmpstr (msrp_file_selector_get_hash (a), ==, "sha-1:AB:CD");
  a_text = msrp_file_selector_to_string (a);
  g_assert_cmpstr (a_text, ==, "name:\"say %22hi%22 A.txt\" type:text/plain;a=\"b c\" size:10 hash:sha-1:AB:CD");

  g_assert_null (msrp_file_selector_get_name (empty));
  g_assert_cmpint (msrp_file_selector_get_size (empty), ==, -1);
  empty_text = msrp_file_selector_to_string (empty);
  g_assert_cmpstr (empty_text, ==, "");
  g_assert_false (msrp_file_selector_equal (a, empty));
  g_assert_true (msrp_file_selector_equal (NULL, NULL));
  g_assert_false (msrp_file_selector_equal (a, NULL));
}

static void
test_file_selector_round_trip (void)
{
  const char *names[] = { "plain.txt", "with spaces and \"quotes\".doc", "100%", "back\\slash\\",
                          "new\r\nline", "ünïcödé 文件.png", "%41 not decoded twice" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MsrpFileSelector) selector = msrp_file_selector_new (names[i], NULL, -1, NULL);
      g_autofree char *text = msrp_file_selector_to_string (selector);
      g_autoptr(GError) error = NULL;
      g_autoptr(MsrpFileSelector) again = msrp_file_selector_parse (text, &error);

      g_assert_no_error (error);
      g_assert_null (strpbrk (text, "\r\n"));
      g_assert_cmpstr (msrp_file_selector_get_name (again), ==, names[i]);
    }
}

static void
test_fingerprint_normalized (void)
{
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();

  msrp_sdp_media_set_fingerprint (media, "SHA1 aa:bb:cc");
  g_assert_cmpstr (msrp_sdp_media_get_fingerprint (media), ==, "sha1 AA:BB:CC");
  msrp_sdp_media_set_fingerprint (media, NULL);
  g_assert_null (msrp_sdp_media_get_fingerprint (media));
}

static void
test_session_string (void)
{
  g_autoptr(MsrpSdpMedia) media = parse_ok ("m=message 2855 TCP/MSRP *\r\n"
                                            "a=accept-types:text/plain\r\n"
                                            "a=path:msrp://[2001:db8::5]:2855/s1;tcp\r\n");
  g_autofree char *text = msrp_sdp_media_to_session_string (media, "192.0.2.1", "chat");
  g_autofree char *defaulted = msrp_sdp_media_to_session_string (media, NULL, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (lines[0], ==, "v=0");
  g_assert_true (g_str_has_prefix (lines[1], "o=- "));
  g_assert_true (g_str_has_suffix (lines[1], " IN IP4 192.0.2.1"));
  g_assert_cmpstr (lines[2], ==, "s=chat");
  g_assert_cmpstr (lines[3], ==, "c=IN IP6 2001:db8::5");
  g_assert_cmpstr (lines[4], ==, "t=0 0");
  g_assert_cmpstr (lines[5], ==, "m=message 2855 TCP/MSRP *");
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  g_assert_nonnull (strstr (defaulted, " IN IP6 2001:db8::5\r\ns=-\r\n"));

  all = msrp_sdp_parse_all (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_true (msrp_sdp_media_equal (media, g_ptr_array_index (all, 0)));
}

static void
test_extra_attributes (void)
{
  g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();
  const char *set[] = { "a:1", "b", NULL };

  g_assert_cmpstrv (msrp_sdp_media_get_extra_attributes (media), ((const char *[]) { NULL }));
  msrp_sdp_media_add_extra_attribute (media, "x-file-offset", NULL);
  msrp_sdp_media_add_extra_attribute (media, "chatroom", "nickname");
  g_assert_cmpstr (msrp_sdp_media_lookup_extra_attribute (media, "x-file-offset"), ==, "");
  g_assert_cmpstr (msrp_sdp_media_lookup_extra_attribute (media, "chatroom"), ==, "nickname");
  g_assert_null (msrp_sdp_media_lookup_extra_attribute (media, "chat"));
  msrp_sdp_media_set_extra_attributes (media, set);
  g_assert_cmpstrv (msrp_sdp_media_get_extra_attributes (media), set);
  msrp_sdp_media_set_extra_attributes (media, NULL);
  g_assert_cmpstrv (msrp_sdp_media_get_extra_attributes (media), ((const char *[]) { NULL }));
}

static void
test_setter_refuses_injection (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();

      msrp_sdp_media_set_file_icon (media, "cid:x\r\na=setup:active");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

static void
test_setter_refuses_bad_language (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(MsrpSdpMedia) media = msrp_sdp_media_new ();
      const char *languages[] = { "en", "en\r\na=setup:active", NULL };

      msrp_sdp_media_set_languages (media, languages);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp/rfc4975/example-exchange", test_rfc4975_example_exchange);
  g_test_add_func ("/sdp/rfc4975/basic-im", test_rfc4975_basic_im);
  g_test_add_func ("/sdp/rfc5547/offer", test_rfc5547_offer);
  g_test_add_func ("/sdp/rfc5547/answer", test_rfc5547_answer);
  g_test_add_func ("/sdp/rfc6135/roles", test_rfc6135_roles);
  g_test_add_func ("/sdp/peers/blink-chat", test_blink_chat);
  g_test_add_func ("/sdp/peers/blink-file", test_blink_file);
  g_test_add_func ("/sdp/peers/ribbon", test_ribbon);
  g_test_add_func ("/sdp/peers/doubango-connection", test_doubango_connection);
  g_test_add_func ("/sdp/parse/lf-only", test_lf_only);
  g_test_add_data_func ("/sdp/canonical/chat", "canonical-chat.sdp", test_canonical_byte_identical);
  g_test_add_data_func ("/sdp/canonical/file", "canonical-file.sdp", test_canonical_byte_identical);
  g_test_add_func ("/sdp/canonical/file-fields", test_canonical_file_fields);
  g_test_add_func ("/sdp/parse/relay-path", test_relay_path);
  g_test_add_func ("/sdp/parse/websocket", test_websocket);
  g_test_add_func ("/sdp/parse/all", test_parse_all);
  g_test_add_func ("/sdp/parse/first-section-only", test_first_section_only);
  g_test_add_func ("/sdp/parse/liberal", test_liberal_input);
  g_test_add_func ("/sdp/parse/second-fingerprint", test_second_fingerprint_kept);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *name = g_strdup_printf ("/sdp/malformed/%s", malformed[i].name);

      g_test_add_data_func (name, &malformed[i], test_malformed);
    }
  g_test_add_func ("/sdp/malformed-messages", test_malformed_messages);
  g_test_add_func ("/sdp/setup/answer", test_setup_answer);
  g_test_add_func ("/sdp/setup/is-active", test_is_active_table);
  g_test_add_func ("/sdp/cema/session-matching", test_session_matching);
  g_test_add_func ("/sdp/properties/defaults", test_defaults);
  g_test_add_func ("/sdp/lang", test_lang);
  g_test_add_func ("/sdp/properties/round-trip", test_round_trip_every_property);
  g_test_add_func ("/sdp/properties/notify", test_notify);
  g_test_add_func ("/sdp/properties/secure-protocol", test_secure_protocol);
  g_test_add_func ("/sdp/properties/fingerprint", test_fingerprint_normalized);
  g_test_add_func ("/sdp/properties/extra-attributes", test_extra_attributes);
  g_test_add_func ("/sdp/properties/no-injection", test_setter_refuses_injection);
  g_test_add_func ("/sdp/properties/no-injection-lang", test_setter_refuses_bad_language);
  g_test_add_func ("/sdp/file-selector/parse", test_file_selector_parse);
  g_test_add_func ("/sdp/file-selector/round-trip", test_file_selector_round_trip);
  g_test_add_func ("/sdp/session-string", test_session_string);
  return g_test_run ();
}
