/* test-frame.c: MsrpFrame fields, header handling, validation, serializer */
#include <string.h>

#include <msrp.h>

#define TO_URI "msrp://bob.example.com:8888/9di4eae923wzd;tcp"
#define FROM_URI "msrp://alice.example.com:7777/iau39soe2843z;tcp"

static char *
to_string (MsrpFrame *frame)
{
  g_autoptr(GBytes) bytes = msrp_frame_to_bytes (frame);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  return g_strndup (data, length);
}

static MsrpFrame *
new_send (const char *tid)
{
  MsrpFrame *frame = msrp_frame_new_request ("SEND", tid);

  msrp_frame_set_header (frame, "To-Path", TO_URI);
  msrp_frame_set_header (frame, "From-Path", FROM_URI);
  msrp_frame_set_message_id (frame, "m1");
  return frame;
}

static gboolean
is_alnum_id (const char *id)
{
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static void
test_generate_id (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };

  for (guint i = 0; i < 10000; i++)
    {
      char *id = msrp_generate_id ();

      g_assert_cmpuint (strlen (id), ==, 16);
      g_assert_true (is_alnum_id (id));
      for (const char *p = id; *p; p++)
        counts[(guint8) *p]++;
      g_assert_true (g_hash_table_add (seen, id));
    }
  /* All 62 characters are used (16 × 10000 draws: each ~2580 times). */
  for (guint c = 0; c < 256; c++)
    if (g_ascii_isalnum (c))
      g_assert_cmpuint (counts[c], >, 1500);
  /* ...and none much more often than the others. */
  for (guint c = 0; c < 256; c++)
    g_assert_cmpuint (counts[c], <, 3600);
}

static void
test_new_request (void)
{
  g_autoptr(MsrpFrame) send = msrp_frame_new_request ("SEND", NULL);
  g_autoptr(MsrpFrame) other = msrp_frame_new_request ("SEND", NULL);
  g_autoptr(MsrpFrame) report = msrp_frame_new_request ("REPORT", "abcd");
  g_autoptr(MsrpFrame) auth = msrp_frame_new_request ("AUTH", "a.b-c+d%e=f");
  g_autoptr(MsrpFrame) nick = msrp_frame_new_request ("NICKNAME", NULL);
  g_autoptr(MsrpFrame) unknown = msrp_frame_new_request ("FILE_OFFSET", NULL);

  g_assert_true (msrp_frame_is_request (send));
  g_assert_cmpint (msrp_frame_get_method (send), ==, MSRP_METHOD_SEND);
  g_assert_cmpstr (msrp_frame_get_method_name (send), ==, "SEND");
  g_assert_cmpuint (strlen (msrp_frame_get_transaction_id (send)), ==, 16);
  g_assert_true (is_alnum_id (msrp_frame_get_transaction_id (send)));
  g_assert_cmpstr (msrp_frame_get_transaction_id (send), !=, msrp_frame_get_transaction_id (other));
  g_assert_cmpuint (msrp_frame_get_status (send), ==, 0);
  g_assert_cmpint (msrp_frame_get_continuation (send), ==, MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpuint (msrp_frame_get_n_headers (send), ==, 0);
  g_assert_null (msrp_frame_get_body (send));
  g_assert_null (msrp_frame_get_parse_error (send));

  g_assert_cmpint (msrp_frame_get_method (report), ==, MSRP_METHOD_REPORT);
  g_assert_cmpstr (msrp_frame_get_transaction_id (report), ==, "abcd");
  g_assert_cmpint (msrp_frame_get_method (auth), ==, MSRP_METHOD_AUTH);
  g_assert_cmpstr (msrp_frame_get_transaction_id (auth), ==, "a.b-c+d%e=f");
  g_assert_cmpint (msrp_frame_get_method (nick), ==, MSRP_METHOD_NICKNAME);
  g_assert_cmpint (msrp_frame_get_method (unknown), ==, MSRP_METHOD_UNKNOWN);
  g_assert_cmpstr (msrp_frame_get_method_name (unknown), ==, "FILE_OFFSET");
}

static void
test_new_response (void)
{
  g_autoptr(MsrpFrame) ok = msrp_frame_new_response ("abcd", 200, NULL);
  g_autoptr(MsrpFrame) custom = msrp_frame_new_response ("abcd", 413, "too big, sorry");
  g_autoptr(MsrpFrame) nameless = msrp_frame_new_response ("abcd", 299, NULL);
  g_autofree char *ok_text = NULL, *nameless_text = NULL;

  g_assert_false (msrp_frame_is_request (ok));
  g_assert_cmpuint (msrp_frame_get_status (ok), ==, 200);
  g_assert_cmpstr (msrp_frame_get_comment (ok), ==, "OK");
  g_assert_null (msrp_frame_get_method_name (ok));
  g_assert_cmpint (msrp_frame_get_method (ok), ==, MSRP_METHOD_UNKNOWN);
  g_assert_cmpstr (msrp_frame_get_comment (custom), ==, "too big, sorry");
  g_assert_null (msrp_frame_get_comment (nameless));

  ok_text = to_string (ok);
  g_assert_cmpstr (ok_text, ==, "MSRP abcd 200 OK\r\n-------abcd$\r\n");
  nameless_text = to_string (nameless);
  g_assert_cmpstr (nameless_text, ==, "MSRP abcd 299\r\n-------abcd$\r\n");
}

static void
test_response_for (void)
{
  g_autoptr(MsrpFrame) send = msrp_frame_new_request ("SEND", "tr01");
  g_autoptr(MsrpFrame) auth = msrp_frame_new_request ("NICKNAME", "tr02");
  g_autoptr(MsrpFrame) bare = msrp_frame_new_request ("SEND", "tr03");
  g_autoptr(MsrpFrame) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autofree char *text = NULL;

  msrp_frame_set_header (send, "To-Path", "msrp://relay.example.com;tcp " TO_URI);
  msrp_frame_set_header (send, "From-Path", FROM_URI " msrp://relay0.example.com;tcp");
  msrp_frame_set_header (auth, "To-Path", "msrp://relay.example.com;tcp " TO_URI);
  msrp_frame_set_header (auth, "From-Path", FROM_URI " msrp://relay0.example.com;tcp");

  /* SEND: hop by hop, one URI each way. */
  r1 = msrp_frame_new_response_for (send, 200, NULL);
  g_assert_cmpstr (msrp_frame_get_transaction_id (r1), ==, "tr01");
  g_assert_cmpstr (msrp_frame_get_header (r1, "To-Path"), ==, FROM_URI);
  g_assert_cmpstr (msrp_frame_get_header (r1, "From-Path"), ==, "msrp://relay.example.com;tcp");
  g_assert_null (msrp_frame_get_message_id (r1));
  text = to_string (r1);
  g_assert_cmpstr (text, ==, "MSRP tr01 200 OK\r\nTo-Path: " FROM_URI "\r\n"
                             "From-Path: msrp://relay.example.com;tcp\r\n-------tr01$\r\n");

  /* Other methods: the response retraces the whole From-Path. */
  r2 = msrp_frame_new_response_for (auth, 403, "no");
  g_assert_cmpstr (msrp_frame_get_header (r2, "To-Path"), ==, FROM_URI " msrp://relay0.example.com;tcp");
  g_assert_cmpstr (msrp_frame_get_header (r2, "From-Path"), ==, "msrp://relay.example.com;tcp");
  g_assert_cmpstr (msrp_frame_get_comment (r2), ==, "no");

  /* Missing paths stay missing. */
  r3 = msrp_frame_new_response_for (bare, 400, NULL);
  g_assert_cmpuint (msrp_frame_get_n_headers (r3), ==, 0);
  g_assert_cmpstr (msrp_frame_get_comment (r3), ==, "Bad Request");
}

static void
test_headers (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "hd01");
  const char *name, *value, *kept;

  msrp_frame_add_header (frame, "X-Foo", "1");
  msrp_frame_add_header (frame, "message-id", "m1");
  msrp_frame_add_header (frame, "x-foo", "2");
  msrp_frame_add_header (frame, "X-Bar", "  padded ");
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 4);
  g_assert_cmpstr (msrp_frame_get_header (frame, "X-FOO"), ==, "1");
  g_assert_cmpstr (msrp_frame_get_header (frame, "MESSAGE-ID"), ==, "m1");
  g_assert_cmpstr (msrp_frame_get_message_id (frame), ==, "m1");
  g_assert_null (msrp_frame_get_header (frame, "X-Baz"));

  /* Values stay valid while the frame changes. */
  kept = msrp_frame_get_header (frame, "x-foo");
  msrp_frame_set_header (frame, "X-FOO", "3");
  g_assert_cmpstr (kept, ==, "1");
  g_assert_cmpstr (msrp_frame_get_header (frame, "x-foo"), ==, "3");
  /* set_header replaced the first and removed the second. */
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 3);
  g_assert_true (msrp_frame_get_nth_header (frame, 0, &name, &value));
  g_assert_cmpstr (name, ==, "X-FOO");
  g_assert_cmpstr (value, ==, "3");
  g_assert_true (msrp_frame_get_nth_header (frame, 1, &name, NULL));
  g_assert_cmpstr (name, ==, "message-id");
  g_assert_true (msrp_frame_get_nth_header (frame, 2, NULL, &value));
  g_assert_cmpstr (value, ==, "  padded ");
  g_assert_false (msrp_frame_get_nth_header (frame, 3, &name, &value));

  msrp_frame_set_header (frame, "X-New", "n");
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 4);
  g_assert_true (msrp_frame_remove_header (frame, "x-bar"));
  g_assert_false (msrp_frame_remove_header (frame, "x-bar"));
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 3);
  msrp_frame_set_message_id (frame, NULL);
  g_assert_null (msrp_frame_get_message_id (frame));
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 2);
}

static void
test_many_headers (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "many");

  /* Past the fields stored in the frame itself. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("X-H%u", i);
      g_autofree char *value = g_strnfill (i * 7, 'v');
      msrp_frame_add_header (frame, name, value);
    }
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 100);
  for (guint i = 0; i < 100; i += 9)
    {
      g_autofree char *name = g_strdup_printf ("x-h%u", i);
      g_assert_cmpuint (strlen (msrp_frame_get_header (frame, name)), ==, i * 7);
    }
}

static void
test_serializer_order (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "or01");
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autofree char *text = NULL;

  /* Added in the worst order, with odd spellings. */
  msrp_frame_add_header (frame, "content-type", "text/plain");
  msrp_frame_add_header (frame, "CONTENT-ID", "<c1>");
  msrp_frame_add_header (frame, "failure-report", "PARTIAL");
  msrp_frame_add_header (frame, "x-Custom", "keep me");
  msrp_frame_add_header (frame, "byte-range", "1-5/5");
  msrp_frame_add_header (frame, "Content-Disposition", "inline");
  msrp_frame_add_header (frame, "message-id", "m1");
  msrp_frame_add_header (frame, "success-report", "Yes");
  msrp_frame_add_header (frame, "from-path", FROM_URI);
  msrp_frame_add_header (frame, "www-authenticate", "Digest realm=\"x\"");
  msrp_frame_add_header (frame, "to-path", TO_URI);
  msrp_frame_add_header (frame, "Content-X-Other", "1");
  msrp_frame_set_body (frame, body);
  msrp_frame_set_continuation (frame, MSRP_CONTINUATION_MORE);

  text = to_string (frame);
  g_assert_cmpstr (text, ==,
                   "MSRP or01 SEND\r\n"
                   "To-Path: " TO_URI "\r\n"
                   "From-Path: " FROM_URI "\r\n"
                   "Message-ID: m1\r\n"
                   "Byte-Range: 1-5/5\r\n"
                   "Failure-Report: partial\r\n"
                   "x-Custom: keep me\r\n"
                   "Success-Report: yes\r\n"
                   "WWW-Authenticate: Digest realm=\"x\"\r\n"
                   "Content-ID: <c1>\r\n"
                   "Content-Disposition: inline\r\n"
                   "Content-X-Other: 1\r\n"
                   "Content-Type: text/plain\r\n"
                   "\r\n"
                   "hello\r\n"
                   "-------or01+\r\n");
}

static void
test_serializer_head_end (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("he01");
  g_autoptr(GBytes) body = g_bytes_new_static ("a\r\nb", 4);
  g_autoptr(GString) out = g_string_new ("prefix|");
  g_autofree char *whole = NULL;

  msrp_frame_set_content_type (frame, "text/plain");
  msrp_frame_set_body (frame, body);
  msrp_frame_append_head (frame, out);
  g_string_append_len (out, "a\r\nb", 4);
  msrp_frame_append_end (frame, out);
  whole = to_string (frame);
  g_assert_true (g_str_has_prefix (out->str, "prefix|"));
  g_assert_cmpstr (out->str + 7, ==, whole);
  g_assert_true (g_str_has_suffix (whole, "\r\n\r\na\r\nb\r\n-------he01$\r\n"));
}

static void
test_byte_range_defaults (void)
{
  g_autoptr(MsrpFrame) send = new_send ("br01");
  g_autoptr(MsrpFrame) report = msrp_frame_new_request ("REPORT", "br02");
  g_autoptr(GBytes) body = g_bytes_new_static ("0123456789", 10);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *bodiless = NULL, *with_body = NULL, *with_empty = NULL, *report_text = NULL;

  bodiless = to_string (send);
  g_assert_cmpstr (bodiless, ==, "MSRP br01 SEND\r\nTo-Path: " TO_URI "\r\nFrom-Path: " FROM_URI
                                 "\r\nMessage-ID: m1\r\nByte-Range: 1-0/0\r\n-------br01$\r\n");
  msrp_frame_set_content_type (send, "text/plain");
  msrp_frame_set_body (send, body);
  with_body = to_string (send);
  g_assert_nonnull (strstr (with_body, "\r\nMessage-ID: m1\r\nByte-Range: 1-10/10\r\nContent-Type: "));
  /* An empty body is no body: no empty line, no CRLF before the end line. */
  msrp_frame_set_body (send, empty);
  with_empty = to_string (send);
  g_assert_true (g_str_has_suffix (with_empty, "Byte-Range: 1-0/0\r\nContent-Type: text/plain\r\n-------br01$\r\n"));
  /* Only SEND gets a default. */
  report_text = to_string (report);
  g_assert_null (strstr (report_text, "Byte-Range"));
  /* The frame itself is unchanged. */
  g_assert_null (msrp_frame_get_header (send, "Byte-Range"));
}

static void
test_byte_range (void)
{
  static const struct {
    const char *value;
    gboolean ok;
    gint64 start, end, total;
  } cases[] = {
    { "1-25/25", TRUE, 1, 25, 25 },
    { "1-*/*", TRUE, 1, -1, -1 },
    { "1-0/0", TRUE, 1, 0, 0 },
    { "5-4/10", TRUE, 5, 4, 10 },
    { "11-*/10", TRUE, 11, -1, 10 },
    { "1-13/*", TRUE, 1, 13, -1 },
    { "9223372036854775800-9223372036854775800/9223372036854775800", TRUE,
      G_GINT64_CONSTANT (9223372036854775800), G_GINT64_CONSTANT (9223372036854775800),
      G_GINT64_CONSTANT (9223372036854775800) },
    { "0-10/10", FALSE, 0, 0, 0 },
    { "0-0/0", FALSE, 0, 0, 0 },
    { "5-3/10", FALSE, 0, 0, 0 },
    { "1-11/10", FALSE, 0, 0, 0 },
    { "12-*/10", FALSE, 0, 0, 0 },
    { "1-5/0", FALSE, 0, 0, 0 },
    { "*-5/5", FALSE, 0, 0, 0 },
    { "1-5", FALSE, 0, 0, 0 },
    { "1-5/5 ", FALSE, 0, 0, 0 },
    { "1 -5/5", FALSE, 0, 0, 0 },
    { "-1-5/5", FALSE, 0, 0, 0 },
    { "1-5/-5", FALSE, 0, 0, 0 },
    { "1-5/99999999999999999999", FALSE, 0, 0, 0 },
    /* The largest number there is, and one more. */
    { "1-*/9223372036854775807", TRUE, 1, -1, G_MAXINT64 },
    { "1-*/9223372036854775808", FALSE, 0, 0, 0 },
    { "1-*/9223372036854775810", FALSE, 0, 0, 0 },
    { "1-*/0009223372036854775807", TRUE, 1, -1, G_MAXINT64 },
    { "abc", FALSE, 0, 0, 0 },
    { "", FALSE, 0, 0, 0 },
  };
  g_autoptr(MsrpFrame) absent = new_send ("br03");
  gint64 s = 0, e = 0, t = 0;

  g_assert_true (msrp_frame_get_byte_range (absent, &s, &e, &t, NULL));
  g_assert_cmpint (s, ==, 1);
  g_assert_cmpint (e, ==, -1);
  g_assert_cmpint (t, ==, -1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MsrpFrame) frame = new_send ("br04");
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) invalid = NULL;

      msrp_frame_set_header (frame, "Byte-Range", cases[i].value);
      g_assert_cmpint (msrp_frame_get_byte_range (frame, &s, &e, &t, &error), ==, cases[i].ok);
      g_assert_cmpint (msrp_frame_validate (frame, &invalid), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpint (s, ==, cases[i].start);
          g_assert_cmpint (e, ==, cases[i].end);
          g_assert_cmpint (t, ==, cases[i].total);
        }
      else
        {
          g_assert_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED);
          g_assert_error (invalid, MSRP_ERROR, MSRP_ERROR_MALFORMED);
        }
    }
}

static void
test_set_byte_range (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("br05");

  msrp_frame_set_byte_range (frame, 1, -1, -1);
  g_assert_cmpstr (msrp_frame_get_header (frame, "Byte-Range"), ==, "1-*/*");
  msrp_frame_set_byte_range (frame, 2049, 4096, -1);
  g_assert_cmpstr (msrp_frame_get_header (frame, "Byte-Range"), ==, "2049-4096/*");
  msrp_frame_set_byte_range (frame, 1, 0, 0);
  g_assert_cmpstr (msrp_frame_get_header (frame, "byte-range"), ==, "1-0/0");
  msrp_frame_set_byte_range (frame, 1, G_MAXINT64 - 1, G_MAXINT64 - 1);
  g_assert_cmpstr (msrp_frame_get_header (frame, "byte-range"), ==,
                   "1-9223372036854775806/9223372036854775806");
  g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 4);
}

/* What the getter reads follows every change of the field. */
static void
test_byte_range_changes (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("br06");
  gint64 s, e, t;

  msrp_frame_set_byte_range (frame, 1, 5, 10);
  g_assert_true (msrp_frame_get_byte_range (frame, &s, &e, &t, NULL));
  g_assert_cmpint (s, ==, 1);
  g_assert_cmpint (e, ==, 5);
  g_assert_cmpint (t, ==, 10);
  msrp_frame_set_byte_range (frame, 6, 10, 10);
  g_assert_true (msrp_frame_get_byte_range (frame, &s, &e, &t, NULL));
  g_assert_cmpint (s, ==, 6);
  g_assert_cmpint (e, ==, 10);
  g_assert_cmpint (t, ==, 10);
  msrp_frame_remove_header (frame, "Byte-Range");
  g_assert_true (msrp_frame_get_byte_range (frame, &s, &e, &t, NULL));
  g_assert_cmpint (s, ==, 1);
  g_assert_cmpint (e, ==, -1);
  g_assert_cmpint (t, ==, -1);
  msrp_frame_add_header (frame, "Byte-Range", "3-1/9");
  g_assert_false (msrp_frame_get_byte_range (frame, &s, &e, &t, NULL));
}

static void
test_report_modes (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("rm01");

  /* RFC 4975 defaults. */
  g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_NO);
  g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_YES);

  msrp_frame_set_success_report (frame, MSRP_REPORT_YES);
  msrp_frame_set_failure_report (frame, MSRP_REPORT_PARTIAL);
  g_assert_cmpstr (msrp_frame_get_header (frame, "Success-Report"), ==, "yes");
  g_assert_cmpstr (msrp_frame_get_header (frame, "Failure-Report"), ==, "partial");
  g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_YES);
  g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_PARTIAL);

  msrp_frame_set_header (frame, "success-report", "YES");
  msrp_frame_set_header (frame, "failure-report", "No");
  g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_YES);
  g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_NO);
  g_assert_true (msrp_frame_validate (frame, NULL));

  /* partial is for Failure-Report only. */
  msrp_frame_set_header (frame, "Success-Report", "partial");
  g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_NO);
  g_assert_false (msrp_frame_validate (frame, NULL));
  msrp_frame_set_success_report (frame, MSRP_REPORT_NO);
  msrp_frame_set_header (frame, "Failure-Report", "maybe");
  g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_YES);
  g_assert_false (msrp_frame_validate (frame, NULL));
}

static void
test_status_header (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("REPORT", "st01");
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) bad = NULL;
  guint code = 0;
  char *comment = NULL;

  g_assert_false (msrp_frame_get_status_header (frame, &code, &comment, &missing));
  g_assert_error (missing, MSRP_ERROR, MSRP_ERROR_FAILED);

  msrp_frame_set_status_header (frame, 200, NULL);
  g_assert_cmpstr (msrp_frame_get_header (frame, "Status"), ==, "000 200 OK");
  g_assert_true (msrp_frame_get_status_header (frame, &code, &comment, NULL));
  g_assert_cmpuint (code, ==, 200);
  g_assert_cmpstr (comment, ==, "OK");
  g_clear_pointer (&comment, g_free);

  msrp_frame_set_status_header (frame, 299, NULL);
  g_assert_cmpstr (msrp_frame_get_header (frame, "Status"), ==, "000 299");
  g_assert_true (msrp_frame_get_status_header (frame, &code, &comment, NULL));
  g_assert_cmpuint (code, ==, 299);
  g_assert_null (comment);

  msrp_frame_set_status_header (frame, 413, "Too big today");
  g_assert_true (msrp_frame_get_status_header (frame, &code, &comment, NULL));
  g_assert_cmpstr (comment, ==, "Too big today");
  g_free (comment);

  msrp_frame_set_header (frame, "Status", "200 OK");
  g_assert_false (msrp_frame_get_status_header (frame, NULL, NULL, &bad));
  g_assert_error (bad, MSRP_ERROR, MSRP_ERROR_MALFORMED);
}

static void
test_uint_header (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("AUTH", "ui01");
  guint64 value = 0;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) bad = NULL;

  g_assert_false (msrp_frame_get_uint_header (frame, "Expires", &value, &missing));
  g_assert_error (missing, MSRP_ERROR, MSRP_ERROR_FAILED);
  msrp_frame_set_uint_header (frame, "Expires", 900);
  msrp_frame_set_uint_header (frame, "Max-Expires", G_GUINT64_CONSTANT (3600));
  g_assert_cmpstr (msrp_frame_get_header (frame, "expires"), ==, "900");
  g_assert_true (msrp_frame_get_uint_header (frame, "EXPIRES", &value, NULL));
  g_assert_cmpuint (value, ==, 900);
  g_assert_true (msrp_frame_get_uint_header (frame, "Max-Expires", &value, NULL));
  g_assert_cmpuint (value, ==, 3600);
  msrp_frame_set_header (frame, "Min-Expires", "soon");
  g_assert_false (msrp_frame_get_uint_header (frame, "Min-Expires", &value, &bad));
  g_assert_error (bad, MSRP_ERROR, MSRP_ERROR_MALFORMED);
}

static void
test_plain_string_headers (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_response ("ps01", 401, NULL);
  g_autofree char *text = NULL;

  msrp_frame_set_header (frame, "To-Path", TO_URI);
  msrp_frame_set_header (frame, "From-Path", FROM_URI);
  msrp_frame_set_header (frame, "www-authenticate", "Digest realm=\"r\", qop=\"auth\", nonce=\"n\"");
  msrp_frame_set_header (frame, "AUTHENTICATION-INFO", "nextnonce=\"x\"");
  msrp_frame_set_header (frame, "authorization", "Digest username=\"u\"");
  g_assert_cmpstr (msrp_frame_get_header (frame, "WWW-Authenticate"), ==,
                   "Digest realm=\"r\", qop=\"auth\", nonce=\"n\"");
  text = to_string (frame);
  g_assert_nonnull (strstr (text, "\r\nWWW-Authenticate: Digest realm=\"r\", qop=\"auth\", nonce=\"n\"\r\n"
                                  "Authentication-Info: nextnonce=\"x\"\r\n"
                                  "Authorization: Digest username=\"u\"\r\n"));
  g_assert_true (msrp_frame_validate (frame, NULL));
}

static void
test_content_type (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("ct01");
  g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (msrp_frame_get_content_type (frame));
  msrp_frame_set_body (frame, body);
  g_assert_false (msrp_frame_validate (frame, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED);
  msrp_frame_set_content_type (frame, "text/plain; charset=UTF-8");
  g_assert_cmpstr (msrp_frame_get_content_type (frame), ==, "text/plain; charset=UTF-8");
  g_assert_true (msrp_frame_validate (frame, NULL));
  msrp_frame_set_content_type (frame, "message/cpim");
  g_assert_true (msrp_frame_validate (frame, NULL));
  msrp_frame_set_content_type (frame, "text");
  g_assert_false (msrp_frame_validate (frame, NULL));
  msrp_frame_set_content_type (frame, "text/");
  g_assert_false (msrp_frame_validate (frame, NULL));
  msrp_frame_set_content_type (frame, NULL);
  g_assert_null (msrp_frame_get_content_type (frame));
  g_assert_false (msrp_frame_validate (frame, NULL));
  msrp_frame_set_body (frame, NULL);
  g_assert_true (msrp_frame_validate (frame, NULL));
}

static void
test_paths (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", "pa01");
  g_autoptr(GPtrArray) path = msrp_path_parse ("msrp://relay.example.com;tcp " TO_URI, NULL);
  g_autoptr(GPtrArray) from = msrp_path_parse (FROM_URI, NULL);
  g_autoptr(GPtrArray) got = NULL, again = NULL, changed = NULL, use = NULL;
  g_autoptr(GError) missing = NULL;
  g_autoptr(GError) bad = NULL;

  g_assert_null (msrp_frame_get_to_path (frame, &missing));
  g_assert_error (missing, MSRP_ERROR, MSRP_ERROR_MALFORMED);

  msrp_frame_set_to_path (frame, path);
  msrp_frame_set_from_path (frame, from);
  g_assert_cmpstr (msrp_frame_get_header (frame, "To-Path"), ==, "msrp://relay.example.com;tcp " TO_URI);
  g_assert_cmpstr (msrp_frame_get_header (frame, "From-Path"), ==, FROM_URI);
  got = msrp_frame_get_to_path (frame, NULL);
  g_assert_true (msrp_path_equal (got, path));
  g_assert_true (got != path);
  /* The caller owns the copy. */
  g_ptr_array_set_size (got, 0);
  again = msrp_frame_get_to_path (frame, NULL);
  g_assert_cmpuint (again->len, ==, 2);

  /* Changing the field drops the parsed path. */
  msrp_frame_set_header (frame, "To-Path", "msrp://carol.example.com/s;tcp");
  changed = msrp_frame_get_to_path (frame, NULL);
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpstr (msrp_uri_get_host (changed->pdata[0]), ==, "carol.example.com");

  msrp_frame_set_header (frame, "To-Path", "http://example.com/");
  g_assert_null (msrp_frame_get_to_path (frame, &bad));
  g_assert_error (bad, MSRP_ERROR, MSRP_ERROR_INVALID_URI);

  msrp_frame_set_use_path (frame, path);
  use = msrp_frame_get_use_path (frame, NULL);
  g_assert_true (msrp_path_equal (use, path));
}

static void
test_uri_length (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("ul01");
  g_autofree char *session = g_strnfill (2048 - strlen ("msrp://h.example/;tcp"), 's');
  g_autofree char *fits = g_strdup_printf ("msrp://h.example/%s;tcp", session);
  g_autofree char *longer = g_strdup_printf ("msrp://h.example/%ss;tcp", session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) invalid = NULL;

  g_assert_cmpuint (strlen (fits), ==, 2048);
  msrp_frame_set_header (frame, "To-Path", fits);
  g_assert_true (msrp_frame_validate (frame, NULL));
  msrp_frame_set_header (frame, "To-Path", longer);
  g_assert_false (msrp_frame_validate (frame, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_null (msrp_frame_get_to_path (frame, &invalid));
  g_assert_error (invalid, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
}

typedef void (*Mutate) (MsrpFrame *frame);

static void no_to_path (MsrpFrame *f) { msrp_frame_remove_header (f, "To-Path"); }
static void no_from_path (MsrpFrame *f) { msrp_frame_remove_header (f, "From-Path"); }
static void two_to_paths (MsrpFrame *f) { msrp_frame_add_header (f, "To-Path", TO_URI); }
static void bad_to_path (MsrpFrame *f) { msrp_frame_set_header (f, "To-Path", "msrp://x"); }
static void no_message_id (MsrpFrame *f) { msrp_frame_set_message_id (f, NULL); }
static void odd_message_id (MsrpFrame *f) { msrp_frame_set_message_id (f, "a b"); }
static void two_message_ids (MsrpFrame *f) { msrp_frame_add_header (f, "Message-ID", "m2"); }
static void two_content_types (MsrpFrame *f)
{
  msrp_frame_add_header (f, "Content-Type", "text/plain");
  msrp_frame_add_header (f, "Content-Type", "text/html");
}
static void bad_expires (MsrpFrame *f) { msrp_frame_set_header (f, "Expires", "-5"); }
static void bad_status (MsrpFrame *f) { msrp_frame_set_header (f, "Status", "000 2x0"); }

static void
test_validate (void)
{
  static const struct { const char *what; Mutate mutate; } invalid[] = {
    { "no To-Path", no_to_path },
    { "no From-Path", no_from_path },
    { "two To-Path", two_to_paths },
    { "bad To-Path", bad_to_path },
    { "no Message-ID", no_message_id },
    { "odd Message-ID", odd_message_id },
    { "two Message-ID", two_message_ids },
    { "two Content-Type", two_content_types },
    { "bad Expires", bad_expires },
    { "bad Status", bad_status },
  };
  g_autoptr(MsrpFrame) valid = new_send ("va01");
  g_autoptr(MsrpFrame) report = msrp_frame_new_request ("REPORT", "va02");
  g_autoptr(MsrpFrame) response = msrp_frame_new_response ("va03", 200, NULL);
  g_autoptr(MsrpFrame) auth = msrp_frame_new_request ("AUTH", "va04");

  g_assert_true (msrp_frame_validate (valid, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(MsrpFrame) frame = new_send ("va05");
      g_autoptr(GError) error = NULL;

      invalid[i].mutate (frame);
      if (msrp_frame_validate (frame, &error))
        g_error ("%s: accepted", invalid[i].what);
      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED);
    }

  /* A REPORT needs a Status; a Message-ID is tolerated missing. */
  msrp_frame_set_header (report, "To-Path", TO_URI);
  msrp_frame_set_header (report, "From-Path", FROM_URI);
  g_assert_false (msrp_frame_validate (report, NULL));
  msrp_frame_set_status_header (report, 200, NULL);
  g_assert_true (msrp_frame_validate (report, NULL));

  /* Responses need paths but no Message-ID. */
  g_assert_false (msrp_frame_validate (response, NULL));
  msrp_frame_set_header (response, "To-Path", TO_URI);
  msrp_frame_set_header (response, "From-Path", FROM_URI);
  g_assert_true (msrp_frame_validate (response, NULL));

  /* AUTH has no Message-ID. */
  msrp_frame_set_header (auth, "To-Path", "msrps://relay.example.com;tcp");
  msrp_frame_set_header (auth, "From-Path", FROM_URI);
  g_assert_true (msrp_frame_validate (auth, NULL));
}

static void
round_trip_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  MsrpFrame **out = user_data;

  g_assert_null (*out);
  *out = msrp_frame_ref (head);
}

static void
test_round_trip (void)
{
  static const MsrpParserCallbacks callbacks = { round_trip_head, NULL, NULL, { NULL } };
  g_autoptr(MsrpFrame) frame = new_send ("rt01");
  g_autoptr(MsrpFrame) parsed = NULL;
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, &parsed);
  g_autoptr(GBytes) body = g_bytes_new_static ("body", 4);
  g_autoptr(GBytes) wire = NULL;
  g_autoptr(GBytes) again = NULL;

  msrp_frame_set_success_report (frame, MSRP_REPORT_YES);
  msrp_frame_set_content_type (frame, "text/plain");
  msrp_frame_add_header (frame, "X-Extension", "value with  spaces");
  msrp_frame_set_body (frame, body);
  wire = msrp_frame_to_bytes (frame);
  g_assert_true (msrp_parser_feed (parser, wire, NULL));
  g_assert_nonnull (parsed);
  g_assert_null (msrp_frame_get_parse_error (parsed));
  g_assert_cmpstr (msrp_frame_get_transaction_id (parsed), ==, "rt01");
  g_assert_cmpstr (msrp_frame_get_header (parsed, "x-extension"), ==, "value with  spaces");
  g_assert_cmpint (msrp_frame_get_success_report (parsed), ==, MSRP_REPORT_YES);
  msrp_frame_set_body (parsed, body);
  again = msrp_frame_to_bytes (parsed);
  g_assert_true (g_bytes_equal (again, wire));
}

static void
test_boxed (void)
{
  g_autoptr(MsrpFrame) frame = new_send ("bx01");
  MsrpFrame *copy = g_boxed_copy (MSRP_TYPE_FRAME, frame);
  GValue value = G_VALUE_INIT;

  g_assert_true (copy == frame);
  g_boxed_free (MSRP_TYPE_FRAME, copy);
  g_value_init (&value, MSRP_TYPE_FRAME);
  g_value_set_boxed (&value, frame);
  g_assert_true (g_value_get_boxed (&value) == frame);
  g_value_unset (&value);
  g_assert_cmpstr (msrp_frame_get_transaction_id (frame), ==, "bx01");
}

static void
test_enums (void)
{
  g_autoptr(GEnumClass) method = g_type_class_ref (MSRP_TYPE_METHOD);
  g_autoptr(GEnumClass) flag = g_type_class_ref (MSRP_TYPE_CONTINUATION);
  g_autoptr(GEnumClass) mode = g_type_class_ref (MSRP_TYPE_REPORT_MODE);

  g_assert_cmpstr (g_enum_get_value (method, MSRP_METHOD_SEND)->value_nick, ==, "send");
  g_assert_cmpstr (g_enum_get_value (flag, '#')->value_nick, ==, "abort");
  g_assert_cmpstr (g_enum_get_value (mode, MSRP_REPORT_PARTIAL)->value_nick, ==, "partial");
}

static void
test_continuation (void)
{
  g_autoptr(MsrpFrame) frame = msrp_frame_new_response ("cn01", 200, NULL);
  const char flags[] = { MSRP_CONTINUATION_COMPLETE, MSRP_CONTINUATION_MORE, MSRP_CONTINUATION_ABORT };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *end = g_strdup_printf ("-------cn01%c\r\n", flags[i]);

      msrp_frame_set_continuation (frame, flags[i]);
      g_assert_cmpint (msrp_frame_get_continuation (frame), ==, flags[i]);
      text = to_string (frame);
      g_assert_true (g_str_has_suffix (text, end));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame/generate-id", test_generate_id);
  g_test_add_func ("/frame/new-request", test_new_request);
  g_test_add_func ("/frame/new-response", test_new_response);
  g_test_add_func ("/frame/response-for", test_response_for);
  g_test_add_func ("/frame/headers", test_headers);
  g_test_add_func ("/frame/many-headers", test_many_headers);
  g_test_add_func ("/frame/serializer/order", test_serializer_order);
  g_test_add_func ("/frame/serializer/head-end", test_serializer_head_end);
  g_test_add_func ("/frame/serializer/byte-range-defaults", test_byte_range_defaults);
  g_test_add_func ("/frame/serializer/continuation", test_continuation);
  g_test_add_func ("/frame/serializer/round-trip", test_round_trip);
  g_test_add_func ("/frame/byte-range", test_byte_range);
  g_test_add_func ("/frame/set-byte-range", test_set_byte_range);
  g_test_add_func ("/frame/byte-range-changes", test_byte_range_changes);
  g_test_add_func ("/frame/report-modes", test_report_modes);
  g_test_add_func ("/frame/status-header", test_status_header);
  g_test_add_func ("/frame/uint-header", test_uint_header);
  g_test_add_func ("/frame/plain-string-headers", test_plain_string_headers);
  g_test_add_func ("/frame/content-type", test_content_type);
  g_test_add_func ("/frame/paths", test_paths);
  g_test_add_func ("/frame/uri-length", test_uri_length);
  g_test_add_func ("/frame/validate", test_validate);
  g_test_add_func ("/frame/boxed", test_boxed);
  g_test_add_func ("/frame/enums", test_enums);
  return g_test_run ();
}
