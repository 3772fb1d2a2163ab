/* test-parser.c: MsrpParser on the RFC examples, quirks, malformed input and
 * hand-made streams, fed whole, byte by byte and in random pieces */
#include <string.h>

#include <msrp.h>

/* What a parser reported for one stream. */
typedef struct {
  GPtrArray  *frames;   /* MsrpFrame, one per frame_head */
  GPtrArray  *bodies;   /* GByteArray, the body bytes of each frame */
  GString    *flags;    /* the flag of each ended frame, in order */
  GString    *trace;    /* everything above and the outcome, as text */
  GError     *error;
  char       *failed_tid;
  gboolean    idle;
  guint       n_body_events;
  /* Zero-copy check: the input block of the current feed. */
  const guint8 *block;
  gsize       block_length;
  guint       n_slices_inside;
  /* Optional stop requests: stop after this event number. */
  guint       stop_at_event;
  guint       n_events;
} Result;

static void
result_free (Result *r)
{
  g_ptr_array_unref (r->frames);
  g_ptr_array_unref (r->bodies);
  g_string_free (r->flags, TRUE);
  g_string_free (r->trace, TRUE);
  g_clear_error (&r->error);
  g_free (r->failed_tid);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static Result *
result_new (void)
{
  Result *r = g_new0 (Result, 1);

  r->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  r->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  r->flags = g_string_new (NULL);
  r->trace = g_string_new (NULL);
  return r;
}

static void
count_event (MsrpParser *parser, Result *r)
{
  if (++r->n_events == r->stop_at_event)
    msrp_parser_stop (parser);
}

static void
on_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Result *r = user_data;
  const GError *perr = msrp_frame_get_parse_error (head);

  g_ptr_array_add (r->frames, msrp_frame_ref (head));
  g_ptr_array_add (r->bodies, g_byte_array_new ());
  g_string_append_printf (r->trace, "head %s %s %s %u perr=%d\n",
                          msrp_frame_get_transaction_id (head),
                          msrp_frame_is_request (head) ? "request" : "response",
                          msrp_frame_is_request (head) ? msrp_frame_get_method_name (head) : "-",
                          msrp_frame_get_status (head), perr ? perr->code : 0);
  count_event (parser, r);
}

static void
on_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  Result *r = user_data;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  g_assert_cmpuint (r->frames->len, >, 0);
  g_assert_true (head == r->frames->pdata[r->frames->len - 1]);
  g_assert_cmpuint (length, >, 0);
  g_byte_array_append (r->bodies->pdata[r->bodies->len - 1], bytes, length);
  if (r->block && bytes >= r->block && bytes + length <= r->block + r->block_length)
    r->n_slices_inside++;
  r->n_body_events++;
  count_event (parser, r);
}

static void
on_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Result *r = user_data;
  GByteArray *body = r->bodies->pdata[r->bodies->len - 1];
  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1, body->data, body->len);

  g_assert_true (head == r->frames->pdata[r->frames->len - 1]);
  g_assert_cmpint (msrp_frame_get_continuation (head), ==, flag);
  g_string_append_c (r->flags, flag);
  g_string_append_printf (r->trace, "body %u %s\nend %c\n", body->len, sum, flag);
  count_event (parser, r);
}

static const MsrpParserCallbacks callbacks = { on_head, on_body, on_end, { NULL } };

typedef enum {
  FEED_WHOLE,
  FEED_BYTES,
  FEED_RANDOM,
  FEED_RANDOM_DATA,
} FeedMode;

/* Feeds @data to @parser in pieces chosen by @mode (random sizes from
 * @seed); the callbacks record into @r. */
static void
feed_all (MsrpParser *parser, Result *r, const guint8 *data, gsize length, FeedMode mode,
          guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gsize pos = 0;

  while (pos < length && r->error == NULL)
    {
      gsize n;

      switch (mode)
        {
        case FEED_WHOLE: n = length; break;
        case FEED_BYTES: n = 1; break;
        case FEED_RANDOM:
        case FEED_RANDOM_DATA:
        default: n = g_rand_int_range (rand, 1, 64); break;
        }
      n = MIN (n, length - pos);
      if (mode == FEED_BYTES || mode == FEED_RANDOM_DATA)
        msrp_parser_feed_data (parser, data + pos, n, &r->error);
      else
        {
          /* A private copy, so zero-copy slices can be recognised. */
          g_autoptr(GBytes) bytes = g_bytes_new (data + pos, n);
          r->block = g_bytes_get_data (bytes, &r->block_length);
          msrp_parser_feed (parser, bytes, &r->error);
          r->block = NULL;
        }
      pos += n;
    }
  if (r->error)
    g_string_append_printf (r->trace, "error %d\n", r->error->code);
  r->failed_tid = g_strdup (msrp_parser_get_failed_request_tid (parser));
  r->idle = msrp_parser_is_idle (parser);
  g_string_append_printf (r->trace, "failed-tid %s idle %d\n",
                          r->failed_tid ? r->failed_tid : "-", r->idle);
}

static Result *
parse (const guint8 *data, gsize length, FeedMode mode, guint32 seed)
{
  Result *r = result_new ();
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);

  feed_all (parser, r, data, length, mode, seed);
  return r;
}

/* Parses @data whole, byte by byte and in random pieces (fixed seeds),
 * asserts that every way reports the same, and returns the whole-feed result. */
static Result *
parse_checked (const guint8 *data, gsize length)
{
  static const struct { FeedMode mode; guint32 seed; } ways[] = {
    { FEED_BYTES, 0 }, { FEED_RANDOM, 1 }, { FEED_RANDOM, 2 }, { FEED_RANDOM, 3 },
    { FEED_RANDOM_DATA, 4 },
  };
  Result *whole = parse (data, length, FEED_WHOLE, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      g_autoptr(Result) other = parse (data, length, ways[i].mode, ways[i].seed);
      g_assert_cmpstr (other->trace->str, ==, whole->trace->str);
    }
  return whole;
}

static Result *
parse_text (const char *text)
{
  return parse_checked ((const guint8 *) text, strlen (text));
}

static guint8 *
load (const char *relative, gsize *length)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSRP_TEST_DATA"), relative, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return (guint8 *) contents;
}

static guint8 *
load_in (const char *directory, const char *file, gsize *length)
{
  g_autofree char *name = g_build_filename (directory, file, NULL);

  return load (name, length);
}

/* The rows of a tab-separated index, without its title row. */
static GPtrArray *
read_tsv (const char *name)
{
  gsize length;
  g_autofree char *text = (char *) load (name, &length);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 1; lines[i]; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));
  return rows;
}

static GByteArray *
body_of (Result *r, guint i)
{
  return r->bodies->pdata[i];
}

static MsrpFrame *
frame_of (Result *r, guint i)
{
  return r->frames->pdata[i];
}

static void
assert_body (Result *r, guint i, const char *expected, gsize length)
{
  GByteArray *body = body_of (r, i);

  g_assert_cmpmem (body->data, body->len, expected, length);
}

/* RFC examples (manifest.tsv): path kind method_or_status tid flag
 * canonical body_length note */
static void
test_rfc_example (gconstpointer data)
{
  const char *const *row = data;
  gsize length;
  g_autofree guint8 *bytes = load (row[0], &length);
  g_autoptr(Result) r = parse_checked (bytes, length);
  MsrpFrame *frame;
  gboolean canonical = g_str_equal (row[5], "yes");

  g_assert_no_error (r->error);
  g_assert_true (r->idle);
  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_cmpstr (r->flags->str, ==, row[4]);
  frame = frame_of (r, 0);
  g_assert_cmpstr (msrp_frame_get_transaction_id (frame), ==, row[3]);
  if (g_str_equal (row[1], "request"))
    {
      g_assert_true (msrp_frame_is_request (frame));
      g_assert_cmpstr (msrp_frame_get_method_name (frame), ==, row[2]);
    }
  else
    {
      g_assert_false (msrp_frame_is_request (frame));
      g_assert_cmpuint (msrp_frame_get_status (frame), ==, atoi (row[2]));
    }
  g_assert_cmpuint (body_of (r, 0)->len, ==, atoi (row[6]));

  if (!canonical)
    {
      /* The RFC's chunking snippets have no paths: a 400. */
      g_assert_error (msrp_frame_get_parse_error (frame), MSRP_ERROR, MSRP_ERROR_MALFORMED);
      return;
    }
  g_assert_null (msrp_frame_get_parse_error (frame));
  {
    g_autoptr(GPtrArray) to = msrp_frame_get_to_path (frame, NULL);
    g_autoptr(GPtrArray) from = msrp_frame_get_from_path (frame, NULL);
    g_autoptr(GBytes) body = g_bytes_new (body_of (r, 0)->data, body_of (r, 0)->len);
    g_autoptr(GBytes) out = NULL;

    g_assert_cmpuint (to->len, >=, 1);
    g_assert_cmpuint (from->len, >=, 1);
    msrp_frame_set_body (frame, g_bytes_get_size (body) ? body : NULL);
    out = msrp_frame_to_bytes (frame);
    g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), bytes, length);
  }
}

static const char *
first_line_tid (const guint8 *data, gsize length, gboolean *is_request)
{
  static char tid[64];
  const char *crlf = g_strstr_len ((const char *) data, MIN (length, 200), "\r\n");
  g_auto(GStrv) words = NULL;
  g_autofree char *line = NULL;

  *is_request = FALSE;
  if (crlf == NULL)
    return NULL;
  line = g_strndup ((const char *) data, crlf - (const char *) data);
  words = g_strsplit (line, " ", 3);
  if (g_strv_length (words) != 3)
    return NULL;
  *is_request = !g_ascii_isdigit (words[2][0]);
  g_strlcpy (tid, words[1], sizeof tid);
  return tid;
}

/* malformed.tsv: file error_class answer_400 what_is_wrong */
static void
test_malformed_input (gconstpointer data)
{
  const char *const *row = data;
  gsize length;
  g_autofree guint8 *bytes = load_in ("malformed", row[0], &length);
  g_autoptr(Result) r = parse_checked (bytes, length);
  const char *klass = row[1];

  if (g_str_equal (klass, "framing"))
    {
      g_assert_error (r->error, MSRP_ERROR, MSRP_ERROR_FRAMING);
      g_assert_null (r->failed_tid);
      g_assert_false (r->idle);
      /* Frames before the bad one are delivered (f21). */
      g_assert_cmpuint (r->flags->len, ==, r->frames->len);
      if (g_str_has_prefix (row[0], "f21"))
        g_assert_cmpuint (r->frames->len, ==, 1);
    }
  else if (g_str_equal (klass, "limit"))
    {
      gboolean is_request;
      const char *tid = first_line_tid (bytes, length, &is_request);

      g_assert_error (r->error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED);
      g_assert_cmpuint (r->frames->len, ==, 0);
      /* The transport may answer 400 when it knows the request. */
      if (tid && is_request)
        g_assert_cmpstr (r->failed_tid, ==, tid);
      else
        g_assert_null (r->failed_tid);
    }
  else if (g_str_equal (klass, "malformed"))
    {
      MsrpFrame *frame;

      g_assert_no_error (r->error);
      g_assert_true (r->idle);
      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_cmpuint (r->flags->len, ==, 1);
      frame = frame_of (r, 0);
      g_assert_error (msrp_frame_get_parse_error (frame), MSRP_ERROR, MSRP_ERROR_MALFORMED);
      g_assert_cmpint (msrp_frame_is_request (frame), ==, g_str_equal (row[2], "yes"));
    }
  else
    {
      g_assert_cmpstr (klass, ==, "truncated");
      g_assert_no_error (r->error);
      g_assert_false (r->idle);
      g_assert_cmpuint (r->flags->len, ==, 0);
    }
}

static void
assert_header (MsrpFrame *frame, const char *name, const char *value)
{
  g_assert_cmpstr (msrp_frame_get_header (frame, name), ==, value);
}

static void
assert_range (MsrpFrame *frame, gint64 start, gint64 end, gint64 total)
{
  g_autoptr(GError) error = NULL;
  gint64 s, e, t;

  g_assert_true (msrp_frame_get_byte_range (frame, &s, &e, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s, ==, start);
  g_assert_cmpint (e, ==, end);
  g_assert_cmpint (t, ==, total);
}

static MsrpUri *
path_uri (MsrpFrame *frame, gboolean to, guint i, guint expected_length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = to ? msrp_frame_get_to_path (frame, &error)
                                 : msrp_frame_get_from_path (frame, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (path->len, ==, expected_length);
  return msrp_uri_ref (path->pdata[i]);
}

/* quirks.tsv: file quirk parser_must_report. Every quirk is accepted
 * without a parse error; what each must report is checked here. */
static void
test_quirk (gconstpointer data)
{
  const char *const *row = data;
  gsize length;
  g_autofree guint8 *bytes = load_in ("quirks", row[0], &length);
  g_autoptr(Result) r = parse_checked (bytes, length);
  MsrpFrame *frame;
  guint n;

  g_assert_no_error (r->error);
  g_assert_true (r->idle);
  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_cmpuint (r->flags->len, ==, 1);
  frame = frame_of (r, 0);
  g_assert_no_error (msrp_frame_get_parse_error (frame));
  n = atoi (row[0] + 1);

  switch (n)
    {
    case 1:
    case 2:
    case 3:
      {
        const char *ids[] = { NULL, "q01", "q02", "q03" };
        g_assert_cmpstr (msrp_frame_get_message_id (frame), ==, ids[n]);
        g_assert_nonnull (msrp_frame_get_header (frame, "To-Path"));
        g_assert_nonnull (msrp_frame_get_header (frame, "FROM-PATH"));
        assert_range (frame, 1, n == 3 ? 5 : 16, n == 3 ? 5 : 16);
        if (n == 1)
          {
            g_autoptr(GBytes) out = msrp_frame_to_bytes (frame);
            g_assert_cmpstr (msrp_frame_get_content_type (frame), ==, "text/plain");
            g_assert_cmpuint (body_of (r, 0)->len, ==, 16);
            /* Written back with the canonical names. */
            g_assert_nonnull (g_strstr_len (g_bytes_get_data (out, NULL), -1, "\r\nTo-Path: "));
            g_assert_nonnull (g_strstr_len (g_bytes_get_data (out, NULL), -1, "\r\nMessage-ID: q01"));
          }
        break;
      }
    case 4:
      g_assert_true (msrp_frame_is_request (frame));
      g_assert_cmpint (msrp_frame_get_method (frame), ==, MSRP_METHOD_UNKNOWN);
      g_assert_cmpstr (msrp_frame_get_method_name (frame), ==, "FILE_OFFSET");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 0);
      break;
    case 5:
      g_assert_cmpuint (msrp_frame_get_status (frame), ==, 200);
      g_assert_cmpstr (msrp_frame_get_comment (frame), ==, "OK");
      assert_header (frame, "Offset", "4096");
      break;
    case 6:
      g_assert_null (msrp_frame_get_header (frame, "Byte-Range"));
      assert_range (frame, 1, -1, -1);
      g_assert_cmpuint (body_of (r, 0)->len, ==, 18);
      break;
    case 7:
      g_assert_cmpint (msrp_frame_get_method (frame), ==, MSRP_METHOD_SEND);
      g_assert_null (msrp_frame_get_header (frame, "Byte-Range"));
      g_assert_null (msrp_frame_get_content_type (frame));
      g_assert_cmpuint (body_of (r, 0)->len, ==, 0);
      g_assert_cmpstr (r->flags->str, ==, "$");
      break;
    case 8:
      assert_range (frame, 1, 0, 0);
      g_assert_null (msrp_frame_get_content_type (frame));
      g_assert_cmpuint (body_of (r, 0)->len, ==, 0);
      break;
    case 9:
      g_assert_cmpuint (msrp_frame_get_status (frame), ==, 413);
      g_assert_cmpstr (msrp_frame_get_comment (frame), ==, "Message too large");
      g_assert_null (msrp_frame_get_message_id (frame));
      break;
    case 10:
      {
        guint code = 0;
        g_autofree char *comment = NULL;
        g_assert_cmpint (msrp_frame_get_method (frame), ==, MSRP_METHOD_REPORT);
        g_assert_true (msrp_frame_get_status_header (frame, &code, &comment, NULL));
        g_assert_cmpuint (code, ==, 200);
        g_assert_cmpstr (comment, ==, "OK");
        g_assert_null (msrp_frame_get_message_id (frame));
        break;
      }
    case 11:
      g_assert_cmpstr (msrp_frame_get_message_id (frame), ==, "00:1A:2B:3C:4D:5E-1234");
      break;
    case 12:
      {
        g_autoptr(MsrpUri) to = path_uri (frame, TRUE, 0, 1);
        g_autoptr(MsrpUri) from = path_uri (frame, FALSE, 0, 1);
        g_assert_cmpstr (msrp_uri_get_host (to), ==, "df7jal23ls0d.invalid");
        g_assert_cmpint (msrp_uri_get_port (to), ==, -1);
        g_assert_cmpstr (msrp_uri_get_transport (to), ==, "ws");
        g_assert_cmpstr (msrp_uri_get_host (from), ==, "4ub6z8qk.invalid");
        g_assert_cmpint (msrp_uri_get_port (from), ==, 2855);
        g_assert_cmpstr (msrp_uri_get_transport (from), ==, "ws");
        break;
      }
    case 13:
      {
        g_autoptr(MsrpUri) to = path_uri (frame, TRUE, 0, 1);
        g_assert_cmpstr (msrp_uri_get_session_id (to), ==, "0a7f3b9e-52c4-4e8d-9d3f-6b1c2a4e8f10");
        break;
      }
    case 14:
      assert_range (frame, 1, -1, -1);
      g_assert_cmpstr (r->flags->str, ==, "+");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 23);
      break;
    case 15:
      g_assert_cmpstr (msrp_frame_get_message_id (frame), ==, "q15");
      g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_NO);
      g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_YES);
      break;
    case 16:
      assert_header (frame, "X-Foo", "bar");
      assert_header (frame, "x-foo", "bar");
      break;
    case 17:
      {
        g_autoptr(MsrpUri) to0 = path_uri (frame, TRUE, 0, 3);
        g_autoptr(MsrpUri) to2 = path_uri (frame, TRUE, 2, 3);
        g_autoptr(MsrpUri) from1 = path_uri (frame, FALSE, 1, 2);
        g_assert_false (msrp_uri_equal (to0, to2));
        g_assert_nonnull (from1);
        break;
      }
    case 18:
      {
        g_autoptr(MsrpUri) to = path_uri (frame, TRUE, 0, 1);
        g_autoptr(MsrpUri) from = path_uri (frame, FALSE, 0, 1);
        g_assert_cmpstr (msrp_uri_get_host (to), ==, "2001:db8::1");
        g_assert_cmpint (msrp_uri_get_port (to), ==, 2855);
        g_assert_cmpstr (msrp_uri_get_host (from), ==, "2001:db8::2");
        g_assert_cmpint (msrp_uri_get_port (from), ==, -1);
        break;
      }
    case 19:
      g_assert_cmpint (msrp_frame_get_success_report (frame), ==, MSRP_REPORT_YES);
      g_assert_cmpint (msrp_frame_get_failure_report (frame), ==, MSRP_REPORT_NO);
      break;
    case 20:
      g_assert_cmpuint (body_of (r, 0)->len, ==, 221);
      g_assert_cmpstr (r->flags->str, ==, "$");
      break;
    case 21:
      {
        GByteArray *body = body_of (r, 0);
        g_assert_cmpuint (body->len, ==, 312);
        for (guint i = 0; i < 256; i++)
          g_assert_cmpuint (body->data[i], ==, i);
        g_assert_cmpuint (body->data[311], ==, '\r');
        break;
      }
    case 22:
      g_assert_cmpstr (msrp_frame_get_content_type (frame), ==, "text/x-msrp-heartbeat");
      assert_body (r, 0, "HEARTBEAT", 9);
      break;
    case 23:
      assert_body (r, 0, " ", 1);
      break;
    case 24:
      assert_range (frame, 1, 13, -1);
      g_assert_cmpstr (r->flags->str, ==, "+");
      break;
    case 25:
      g_assert_cmpstr (msrp_frame_get_message_id (frame), ==, "q25");
      assert_range (frame, 1, 8, 8);
      g_assert_cmpstr (msrp_frame_get_content_type (frame), ==, "text/plain");
      break;
    case 26:
    case 27:
      g_assert_nonnull (msrp_frame_get_message_id (frame));
      g_assert_false (g_ascii_isspace (msrp_frame_get_message_id (frame)[0]));
      g_assert_false (g_ascii_isspace (msrp_frame_get_header (frame, "To-Path")[0]));
      break;
    case 28:
      g_assert_cmpint (msrp_frame_get_method (frame), ==, MSRP_METHOD_NICKNAME);
      g_assert_cmpstr (msrp_frame_get_method_name (frame), ==, "NICKNAME");
      g_assert_nonnull (msrp_frame_get_header (frame, "Use-Nickname"));
      break;
    case 29:
      g_assert_cmpstr (msrp_frame_get_content_type (frame), ==, "text/plain");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 0);
      g_assert_cmpuint (r->n_body_events, ==, 0);
      break;
    case 30:
      g_assert_cmpstr (r->flags->str, ==, "#");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 12);
      assert_range (frame, 1, 12, 100);
      break;
    case 31:
      g_assert_cmpstr (r->flags->str, ==, "+");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 5);
      break;
    case 32:
      g_assert_cmpuint (msrp_frame_get_n_headers (frame), ==, 64);
      break;
    case 33:
      {
        g_autoptr(MsrpUri) to = path_uri (frame, TRUE, 0, 1);
        g_assert_cmpuint (strlen (msrp_uri_get_session_id (to)), ==, 2016);
        break;
      }
    case 34:
      g_assert_cmpuint (msrp_frame_get_n_headers (frame), >, 10);
      break;
    default:
      g_error ("no checks for quirk %s", row[0]);
    }
}

#define TO "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
#define FROM "From-Path: msrp://alice.example.com:7777/iau39soe2843z;tcp\r\n"
#define PATHS TO FROM

/* A SEND of @body (any bytes) with transaction id @tid, as a new string. */
static GByteArray *
make_send (const char *tid, const guint8 *body, gsize length, char flag)
{
  GByteArray *out = g_byte_array_new ();
  g_autofree char *head = g_strdup_printf ("MSRP %s SEND\r\n" PATHS "Message-ID: m1\r\n"
                                           "Byte-Range: 1-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n"
                                           "Content-Type: application/octet-stream\r\n\r\n",
                                           tid, length, length);
  g_autofree char *end = g_strdup_printf ("\r\n-------%s%c\r\n", tid, flag);

  g_byte_array_append (out, (const guint8 *) head, strlen (head));
  g_byte_array_append (out, body, length);
  g_byte_array_append (out, (const guint8 *) end, strlen (end));
  return out;
}

static void
test_lookalike_end_lines (void)
{
  static const char *const lookalikes[] = {
    "\r\n-------other99$\r\n",      /* another transaction's end line */
    "\r\n-------look1",             /* own tid without flag */
    "\r\n-------look1\r\n",         /* own tid, CRLF but no flag */
    "\r\n-------look1$",            /* own tid and flag without CRLF */
    "\r\n-------look1$ text\r\n",   /* own tid and flag, then text */
    "\r\n-------look1$\r",          /* own tid and flag, CR only */
    "\r\n-------look1x$\r\n",       /* a longer tid */
    "\r\n-------look$\r\n",         /* a shorter tid */
    "\r\n------look1$\r\n",         /* six dashes */
    "\r\n-------LOOK1$\r\n",        /* other case */
    "-------look1$\r\n",            /* no CRLF before it */
    "\r\r\n-------look1!\r\n",      /* not a flag */
    "\n-------look1$\r\n",          /* LF only before it */
  };

  for (guint i = 0; i < G_N_ELEMENTS (lookalikes); i++)
    {
      g_autofree char *body = g_strconcat ("x", lookalikes[i], "y", NULL);
      g_autoptr(GByteArray) frame = make_send ("look1", (const guint8 *) body, strlen (body), '$');
      g_autoptr(Result) r = parse_checked (frame->data, frame->len);

      g_assert_no_error (r->error);
      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_cmpstr (r->flags->str, ==, "$");
      assert_body (r, 0, body, strlen (body));
    }
}

static void
test_body_ending_in_lookalike (void)
{
  /* The body itself ends with what could have been an end line. */
  static const char *const bodies[] = {
    "abc\r\n-------end1", "abc\r\n-------end1$\r", "abc\r\n", "\r", "\r\n-", "-------end1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GByteArray) frame = make_send ("end1", (const guint8 *) bodies[i], strlen (bodies[i]), '+');
      g_autoptr(Result) r = parse_checked (frame->data, frame->len);

      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_cmpstr (r->flags->str, ==, "+");
      assert_body (r, 0, bodies[i], strlen (bodies[i]));
    }
}

static void
test_empty_bodies (void)
{
  /* Strict (content-stuff with empty data), liberal (no CRLF of its own),
   * and no body at all. */
  static const char *const frames[] = {
    "MSRP e1e1 SEND\r\n" PATHS "Message-ID: a\r\nContent-Type: text/plain\r\n\r\n\r\n-------e1e1$\r\n",
    "MSRP e1e1 SEND\r\n" PATHS "Message-ID: a\r\nContent-Type: text/plain\r\n\r\n-------e1e1$\r\n",
    "MSRP e1e1 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------e1e1$\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(Result) r = parse_text (frames[i]);

      g_assert_no_error (r->error);
      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 0)));
      g_assert_cmpstr (r->flags->str, ==, "$");
      g_assert_cmpuint (body_of (r, 0)->len, ==, 0);
      g_assert_cmpuint (r->n_body_events, ==, 0);
    }
}

/* Whether @body would end early when sent with @tid: it contains the end
 * line (its own CRLF may come from the frame's), or starts with it. */
static gboolean
has_end_line (GByteArray *body, const char *tid)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();
  const char *flags = "$+#";

  g_byte_array_append (text, (const guint8 *) "\r\n", 2);
  g_byte_array_append (text, body->data, body->len);
  g_byte_array_append (text, (const guint8 *) "\r\n", 2);
  for (guint f = 0; f < 3; f++)
    {
      g_autofree char *line = g_strdup_printf ("\r\n-------%s%c\r\n", tid, flags[f]);
      gsize n = strlen (line);

      for (gsize i = 0; i + n <= text->len; i++)
        if (memcmp (text->data + i, line, n) == 0)
          return TRUE;
    }
  return FALSE;
}

static void
test_binary_bodies (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4975);
  static const char *const pieces[] = {
    "\r\n", "\r", "\n", "\0\0\0", "\r\n-------bin1", "\r\n-------bin1$", "\r\n-------bin1$\r",
    "\r\n-------bin", "-------bin1$\r\n", "\r\r\n\n",
  };

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GByteArray) body = g_byte_array_new ();
      g_autoptr(GByteArray) frame = NULL;
      g_autoptr(Result) r = NULL;
      guint n = g_rand_int_range (rand, 0, 60);

      for (guint i = 0; i < n; i++)
        {
          if (g_rand_boolean (rand))
            {
              const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
              /* "\0\0\0" is the one piece whose length strlen misses. */
              gsize len = piece[0] == '\0' ? 3 : strlen (piece);
              g_byte_array_append (body, (const guint8 *) piece, len);
            }
          else
            {
              guint8 byte = g_rand_int_range (rand, 0, 256);
              g_byte_array_append (body, &byte, 1);
            }
        }
      /* Pieces can join into a real end line; such a body cannot be sent
       * with this transaction id. */
      if (has_end_line (body, "bin1"))
        continue;
      frame = make_send ("bin1", body->data, body->len, '$');
      r = parse_checked (frame->data, frame->len);
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_cmpmem (body_of (r, 0)->data, body_of (r, 0)->len, body->data, body->len);
    }
}

static void
test_byte_range_star (void)
{
  g_autoptr(Result) r = parse_text ("MSRP st4r SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-*/*\r\n"
                                    "Content-Type: text/plain\r\n\r\nhi\r\n-------st4r+\r\n");

  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 0)));
  assert_range (frame_of (r, 0), 1, -1, -1);
  g_assert_cmpstr (r->flags->str, ==, "+");
}

static void
test_multi_uri_and_ipv6 (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP mu1t SEND\r\n"
    "To-Path: msrps://relay1.example.com:2855;tcp msrps://[2001:db8::7]:9000;tcp msrp://[::1]/s1d;tcp\r\n"
    "From-Path: msrp://[fe80::1]:7777/s2d;tcp\r\n"
    "Message-ID: a\r\nContent-Type: text/plain\r\n\r\nhi\r\n-------mu1t$\r\n");
  MsrpFrame *frame = frame_of (r, 0);
  g_autoptr(MsrpUri) relay = path_uri (frame, TRUE, 1, 3);
  g_autoptr(MsrpUri) last = path_uri (frame, TRUE, 2, 3);
  g_autoptr(MsrpUri) from = path_uri (frame, FALSE, 0, 1);

  g_assert_no_error (msrp_frame_get_parse_error (frame));
  g_assert_cmpstr (msrp_uri_get_host (relay), ==, "2001:db8::7");
  g_assert_cmpint (msrp_uri_get_port (relay), ==, 9000);
  g_assert_cmpstr (msrp_uri_get_host (last), ==, "::1");
  g_assert_cmpstr (msrp_uri_get_session_id (last), ==, "s1d");
  g_assert_cmpstr (msrp_uri_get_host (from), ==, "fe80::1");
}

static void
test_pipelined (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP p1p1 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-3/6\r\nContent-Type: text/plain\r\n\r\n"
    "abc\r\n-------p1p1+\r\n"
    "MSRP p1p1 200 OK\r\n" PATHS "-------p1p1$\r\n"
    "MSRP p2p2 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 4-6/6\r\nContent-Type: text/plain\r\n\r\n"
    "def\r\n-------p2p2$\r\n"
    "MSRP p3p3 SEND\r\n" PATHS "Message-ID: b\r\nByte-Range: 1-0/0\r\n-------p3p3$\r\n");

  g_assert_no_error (r->error);
  g_assert_true (r->idle);
  g_assert_cmpuint (r->frames->len, ==, 4);
  g_assert_cmpstr (r->flags->str, ==, "+$$$");
  assert_body (r, 0, "abc", 3);
  assert_body (r, 1, "", 0);
  assert_body (r, 2, "def", 3);
  g_assert_cmpuint (msrp_frame_get_status (frame_of (r, 1)), ==, 200);
  g_assert_cmpstr (msrp_frame_get_transaction_id (frame_of (r, 2)), ==, "p2p2");
  for (guint i = 0; i < 4; i++)
    g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, i)));
}

static void
test_zero_copy (void)
{
  gsize n = 64 * 1024;
  g_autofree guint8 *body = g_malloc (n);
  g_autoptr(GByteArray) frame = NULL;
  g_autoptr(Result) r = NULL;

  for (gsize i = 0; i < n; i++)
    body[i] = (i * 7919) % 251;
  frame = make_send ("zc01", body, n, '$');
  r = parse (frame->data, frame->len, FEED_WHOLE, 0);
  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_cmpmem (body_of (r, 0)->data, body_of (r, 0)->len, body, n);
  /* One slice, inside the block that was fed. */
  g_assert_cmpuint (r->n_body_events, ==, 1);
  g_assert_cmpuint (r->n_slices_inside, ==, 1);

  /* Fed in pieces, only end-line candidates at a piece's end are copied. */
  {
    g_autoptr(Result) pieces = parse (frame->data, frame->len, FEED_RANDOM, 7);
    g_assert_cmpuint (pieces->n_slices_inside, >, pieces->n_body_events * 9 / 10);
    g_assert_cmpstr (pieces->trace->str, ==, r->trace->str);
  }
}

static const char stop_stream[] =
  "MSRP s1s1 SEND\r\n" PATHS "Message-ID: a\r\nContent-Type: text/plain\r\n\r\nabc\r\ndef\r\n-------s1s1+\r\n"
  "MSRP s1s1 200 OK\r\n" PATHS "-------s1s1$\r\n"
  "MSRP s2s2 SEND\r\n" PATHS "Message-ID: a\r\nContent-Type: text/plain\r\n\r\n\r\n-------s2s2$\r\n";

static void
test_stop_and_resume (void)
{
  gsize length = strlen (stop_stream);
  g_autoptr(Result) reference = parse ((const guint8 *) stop_stream, length, FEED_WHOLE, 0);

  g_assert_cmpuint (reference->n_events, >, 5);
  for (guint k = 1; k <= reference->n_events; k++)
    {
      g_autoptr(Result) r = result_new ();
      g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);
      gsize pos = 0;
      guint feeds = 0;

      r->stop_at_event = k;
      while (pos < length)
        {
          g_autoptr(GBytes) rest = g_bytes_new_static (stop_stream + pos, length - pos);
          g_assert_true (msrp_parser_feed (parser, rest, &r->error));
          g_assert_cmpuint (msrp_parser_get_consumed (parser), <=, length - pos);
          pos += msrp_parser_get_consumed (parser);
          g_assert_cmpuint (++feeds, <, 10);
        }
      g_assert_cmpuint (r->n_events, ==, reference->n_events);
      r->failed_tid = NULL;
      r->idle = msrp_parser_is_idle (parser);
      g_string_append_printf (r->trace, "failed-tid - idle %d\n", r->idle);
      g_assert_cmpstr (r->trace->str, ==, reference->trace->str);
    }
}

static void
test_idle (void)
{
  g_autoptr(Result) r = result_new ();
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);
  const char *frame = "MSRP idle SEND\r\n" PATHS "Message-ID: a\r\nContent-Type: text/plain\r\n\r\n"
                      "body\r\n-------idle$\r\n";
  gsize length = strlen (frame), head = strstr (frame, "body") - frame;

  g_assert_true (msrp_parser_is_idle (parser));
  g_assert_true (msrp_parser_feed_data (parser, (const guint8 *) frame, 3, NULL));
  g_assert_false (msrp_parser_is_idle (parser));
  g_assert_true (msrp_parser_feed_data (parser, (const guint8 *) frame + 3, head - 3, NULL));
  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_false (msrp_parser_is_idle (parser));
  g_assert_true (msrp_parser_feed_data (parser, (const guint8 *) frame + head, length - head - 1, NULL));
  g_assert_false (msrp_parser_is_idle (parser));
  g_assert_cmpuint (r->flags->len, ==, 0);
  g_assert_true (msrp_parser_feed_data (parser, (const guint8 *) frame + length - 1, 1, NULL));
  g_assert_true (msrp_parser_is_idle (parser));
  g_assert_cmpstr (r->flags->str, ==, "$");
  assert_body (r, 0, "body", 4);
}

static void
test_dead_parser (void)
{
  g_autoptr(Result) r = result_new ();
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  const char *good = "MSRP d1d1 200 OK\r\n" PATHS "-------d1d1$\r\n";

  g_assert_false (msrp_parser_feed_data (parser, (const guint8 *) "HELLO", 5, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_FRAMING);
  g_assert_false (msrp_parser_feed_data (parser, (const guint8 *) good, strlen (good), &again));
  g_assert_error (again, MSRP_ERROR, MSRP_ERROR_FRAMING);
  g_assert_cmpuint (r->frames->len, ==, 0);
  g_assert_null (msrp_parser_get_failed_request_tid (parser));
  g_assert_false (msrp_parser_is_idle (parser));
}

static GString *
many_headers (const char *start, guint n)
{
  GString *text = g_string_new (start);

  g_string_append (text, PATHS);
  for (guint i = 2; i < n; i++)
    g_string_append_printf (text, "X-H%u: v\r\n", i);
  g_string_append (text, "-------lim1$\r\n");
  return text;
}

static void
test_header_count_limit (void)
{
  g_autoptr(GString) request = many_headers ("MSRP lim1 NICKNAME\r\n", 65);
  g_autoptr(GString) response = many_headers ("MSRP lim1 200 OK\r\n", 65);
  g_autoptr(GString) fits = many_headers ("MSRP lim1 NICKNAME\r\n", 64);
  g_autoptr(Result) r1 = parse_text (request->str);
  g_autoptr(Result) r2 = parse_text (response->str);
  g_autoptr(Result) r3 = parse_text (fits->str);

  g_assert_error (r1->error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED);
  g_assert_cmpstr (r1->failed_tid, ==, "lim1");
  g_assert_error (r2->error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED);
  g_assert_null (r2->failed_tid);
  g_assert_no_error (r3->error);
  g_assert_cmpuint (msrp_frame_get_n_headers (frame_of (r3, 0)), ==, 64);
}

static void
test_limit_setters (void)
{
  const char *frame = "MSRP set1 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------set1$\r\n";
  gsize length = strlen (frame);

  for (guint which = 0; which < 4; which++)
    {
      g_autoptr(Result) r = result_new ();
      g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);

      switch (which)
        {
        case 0: msrp_parser_set_max_headers (parser, 3); break;
        case 1: msrp_parser_set_max_header_block (parser, 100); break;
        case 2: msrp_parser_set_max_uri_length (parser, 40); break;
        case 3:
        default:
          msrp_parser_set_max_headers (parser, 4);
          msrp_parser_set_max_header_block (parser, length);
          msrp_parser_set_max_uri_length (parser, 48);
          break;
        }
      feed_all (parser, r, (const guint8 *) frame, length, FEED_BYTES, 0);
      if (which < 3)
        {
          g_assert_error (r->error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED);
          g_assert_cmpstr (r->failed_tid, ==, "set1");
          g_assert_cmpuint (r->frames->len, ==, 0);
        }
      else
        {
          /* Exactly at every limit. */
          g_assert_no_error (r->error);
          g_assert_cmpuint (r->frames->len, ==, 1);
          g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 0)));
        }
    }
}

static void
test_path_cache (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP c1c1 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------c1c1$\r\n"
    "MSRP c2c2 SEND\r\n" PATHS "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------c2c2$\r\n"
    "MSRP c3c3 SEND\r\nTo-Path: msrp://carol.example.com:9/s3;tcp\r\n" FROM
    "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------c3c3$\r\n"
    "MSRP c4c4 SEND\r\nTo-Path: msrp://carol.example.com:9/s3;tcp\r\nFrom-Path: msrp://bad\r\n"
    "Message-ID: a\r\nByte-Range: 1-0/0\r\n-------c4c4$\r\n");
  const char *hosts[] = { "bob.example.com", "bob.example.com", "carol.example.com" };

  g_assert_cmpuint (r->frames->len, ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MsrpUri) to = path_uri (frame_of (r, i), TRUE, 0, 1);
      g_autoptr(MsrpUri) from = path_uri (frame_of (r, i), FALSE, 0, 1);

      g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, i)));
      g_assert_cmpstr (msrp_uri_get_host (to), ==, hosts[i]);
      g_assert_cmpstr (msrp_uri_get_host (from), ==, "alice.example.com");
    }
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 3)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
}

static void
test_held_back_release (void)
{
  /* Every split point of a body that holds candidate end lines. */
  const char *body = "abc\r\n-------hb01\r\n-------hb01$x\r\n-------hb0\r";
  g_autoptr(GByteArray) frame = make_send ("hb01", (const guint8 *) body, strlen (body), '#');
  g_autoptr(Result) whole = parse (frame->data, frame->len, FEED_WHOLE, 0);

  assert_body (whole, 0, body, strlen (body));
  g_assert_cmpstr (whole->flags->str, ==, "#");
  for (gsize split = 1; split < frame->len; split++)
    for (gsize split2 = split + 1; split2 <= frame->len; split2 += 7)
      {
        g_autoptr(Result) r = result_new ();
        g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);

        g_assert_true (msrp_parser_feed_data (parser, frame->data, split, NULL));
        g_assert_true (msrp_parser_feed_data (parser, frame->data + split, split2 - split, NULL));
        g_assert_true (msrp_parser_feed_data (parser, frame->data + split2, frame->len - split2, NULL));
        g_assert_cmpuint (r->frames->len, ==, 1);
        assert_body (r, 0, body, strlen (body));
        g_assert_cmpstr (r->flags->str, ==, "#");
      }
}

static void
test_malformed_header_not_fatal (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP bad1 SEND\r\n" PATHS "Message-ID: a\r\nthis is not a header\r\nContent-Type: text/plain\r\n\r\n"
    "x\r\n-------bad1$\r\n"
    "MSRP bad2 SEND\r\n" PATHS "Message-ID: a\r\n-------bad2$\r\n");

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->frames->len, ==, 2);
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 0)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_cmpstr (msrp_frame_get_content_type (frame_of (r, 0)), ==, "text/plain");
  assert_body (r, 0, "x", 1);
  g_assert_cmpstr (r->flags->str, ==, "$$");
  g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 1)));
}

/* A response's validation waits until its parse error is asked for, or
 * until it is changed: what it finds is what the parser would have found. */
static void
test_response_validated_late (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP resp1 200 OK\r\nTo-Path: not a path\r\nFrom-Path: msrp://b.example.com/s2;tcp\r\n-------resp1$\r\n"
    "MSRP resp2 200 OK\r\nTo-Path: msrp://a.example.com/s1;tcp\r\n-------resp2$\r\n"
    "MSRP resp3 200 OK\r\n" PATHS "-------resp3$\r\n");

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->frames->len, ==, 3);
  g_assert_cmpuint (msrp_frame_get_status (frame_of (r, 0)), ==, 200);
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 0)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  /* Adding the missing field does not make the frame that was read valid. */
  msrp_frame_set_header (frame_of (r, 1), "From-Path", "msrp://b.example.com/s2;tcp");
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 1)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 2)));
}

/* What a frame says, fields in order, for comparing frames. */
static char *
describe_frame (MsrpFrame *frame)
{
  const GError *perr = msrp_frame_get_parse_error (frame);
  GString *out = g_string_new (NULL);
  gint64 start, end, total;

  g_string_append_printf (out, "%s %s %u perr=%s\n", msrp_frame_get_transaction_id (frame),
                          msrp_frame_is_request (frame) ? msrp_frame_get_method_name (frame) : "-",
                          msrp_frame_get_status (frame), perr ? perr->message : "-");
  for (guint i = 0; i < msrp_frame_get_n_headers (frame); i++)
    {
      const char *name, *value;

      msrp_frame_get_nth_header (frame, i, &name, &value);
      g_string_append_printf (out, "[%s]=[%s]\n", name, value);
    }
  g_string_append_printf (out, "message-id %s content-type %s\n",
                          msrp_frame_get_message_id (frame), msrp_frame_get_content_type (frame));
  if (msrp_frame_get_byte_range (frame, &start, &end, &total, NULL))
    g_string_append_printf (out, "range %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
                            start, end, total);
  else
    g_string_append (out, "bad range\n");
  return g_string_free (out, FALSE);
}

/* A parser reads a line the same whether or not an earlier head of the
 * connection had it: each frame of a stream against the same frame alone
 * on a new parser. The stream repeats lines, at the same place and
 * elsewhere, and lines that differ from earlier ones only at their end,
 * in case or in white space. */
static void
test_repeated_lines (void)
{
  static const char *const frames[] = {
    "MSRP rep1 SEND\r\n" PATHS "Message-ID: m1\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n\r\nx\r\n-------rep1$\r\n",
    "MSRP rep2 SEND\r\n" PATHS "Message-ID: m2\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n\r\ny\r\n-------rep2$\r\n",
    "MSRP rep3 SEND\r\n" PATHS "Message-ID: m3\r\nByte-Range: 1-1/11\r\nContent-Type: text/plain;a=b\r\n\r\nz\r\n-------rep3+\r\n",
    "MSRP rep4 SEND\r\n" PATHS "Message-ID: m3\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain \r\n\r\nz\r\n-------rep4$\r\n",
    "MSRP rep5 SEND\r\n" PATHS "message-id:m5\r\nbyte-range: 1-1/1\r\nContent-Type:  text/plain\r\n\r\nz\r\n-------rep5$\r\n",
    "MSRP rep6 SEND\r\n" PATHS "Message-ID: m6\r\nByte-Range: 1-1/1\r\nContent-Type text/plain\r\n\r\nz\r\n-------rep6$\r\n",
    "MSRP rep7 SEND\r\n" PATHS "Message-ID: m7\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n\r\nz\r\n-------rep7$\r\n",
    "MSRP rep8 SEND\r\n" FROM TO "Message-ID: m8\r\nContent-Type: text/plain\r\nByte-Range: 1-1/1\r\n\r\nz\r\n-------rep8$\r\n",
    "MSRP rep9 SEND\r\n" PATHS "Message-ID: m9\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n"
    "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\nX-E: 5\r\n\r\nz\r\n-------rep9$\r\n",
    "MSRP repa SEND\r\n" PATHS "Message-ID: ma\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n"
    "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\nX-D: 4\r\nX-E: 5\r\n\r\nz\r\n-------repa$\r\n",
    "MSRP repg SEND\r\n" PATHS "Message-ID: mg\r\nByte-Range: 1-1/0\r\nContent-Type: text/plain\r\n\r\nz\r\n-------repg$\r\n",
    "MSRP reph SEND\r\n" PATHS "Message-ID: mh\r\nByte-Range: 1-1/0\r\nContent-Type: text/plain\r\n\r\nz\r\n-------reph$\r\n",
    "MSRP repi SEND\r\n" PATHS "Message-ID: mi\r\nByte-Range: 2-2/2\r\nByte-Range: 1-1/1\r\n\r\nz\r\n-------repi$\r\n",
    "MSRP repj SEND\r\n" PATHS "Message-ID: mj\r\nByte-Range: 1-1/1\r\nByte-Range: 2-2/2\r\n\r\nz\r\n-------repj$\r\n",
    "MSRP repb 200 OK\r\n" PATHS "-------repb$\r\n",
    "MSRP repc 200 OK\r\n" PATHS "-------repc$\r\n",
    "MSRP repd 200 OK\r\n" TO "-------repd$\r\n",
    "MSRP repe 200 OK\r\n" PATHS "X-A: 1\r\n-------repe$\r\n",
    "MSRP repf SEND\r\n" PATHS "Message-ID: mf\r\nByte-Range: 1-1/1\r\nContent-Type: text/plain\r\n\r\nz\r\n-------repf$\r\n",
  };
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(Result) all = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    g_string_append (stream, frames[i]);
  all = parse_text (stream->str);
  g_assert_no_error (all->error);
  g_assert_cmpuint (all->frames->len, ==, G_N_ELEMENTS (frames));
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(Result) alone = parse_text (frames[i]);
      g_autofree char *expected = NULL, *got = NULL;

      g_assert_cmpuint (alone->frames->len, ==, 1);
      expected = describe_frame (frame_of (alone, 0));
      got = describe_frame (frame_of (all, i));
      g_assert_cmpstr (got, ==, expected);
    }
}

static void
test_nul_in_header (void)
{
  static const char frame[] = "MSRP nul1 SEND\r\n" PATHS "Message-ID: a\r\nX-Nul: a\0b\r\n-------nul1$\r\n";
  g_autoptr(Result) r = parse_checked ((const guint8 *) frame, sizeof frame - 1);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 0)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_null (msrp_frame_get_header (frame_of (r, 0), "X-Nul"));
}

static void
test_short_last_header (void)
{
  /* Regression (fuzz-parser): a short name with an empty value as the
   * last line of the head left fewer bytes after the name than the name
   * lookup reads. Valgrind and ASan see the overread. */
  static const char *const heads[] = {
    "MSRP sh01 SEND\r\n" PATHS "Message-ID: a\r\nA:\r\n-------sh01$\r\n",
    "MSRP sh01 SEND\r\n" PATHS "Message-ID: a\r\nX-Y:\r\n\r\n-------sh01$\r\n",
    "MSRP sh01 200 OK\r\n" PATHS "Expi:\r\n-------sh01$\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr(Result) r = parse_text (heads[i]);

      g_assert_no_error (r->error);
      g_assert_cmpuint (r->frames->len, ==, 1);
      g_assert_cmpuint (msrp_frame_get_n_headers (frame_of (r, 0)), ==, 4 - (i == 2));
    }
}

static void
test_end_line_in_head_of_other_tid (void)
{
  g_autoptr(Result) r = parse_text ("MSRP ot01 SEND\r\n" PATHS "Message-ID: a\r\n-------zz99$\r\n"
                                    "-------ot01$\r\n");

  g_assert_cmpuint (r->frames->len, ==, 1);
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 0)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_cmpstr (r->flags->str, ==, "$");
  g_assert_true (r->idle);
}

static void
test_end_line_glued_to_header (void)
{
  /* Kamailio 5.6.3's 423 to AUTH from msrp_cmap_save(), as captured: stack
   * bytes instead of Min-Expires, no CRLF before the end line (the
   * transaction ids made long enough for RFC 4975). The frame
   * ends there, malformed; the next frame parses. */
  static const char frames[] =
    "MSRP t2ab 423 Interval Out Of Bounds\r\nTo-Path: msrp://127.0.0.1:60572/abc;tcp\r\n"
    "From-Path: msrp://127.0.0.1:28555;tcp\r\n"
    "secret\x00\x00\xc0\xc0\xc0\xc0\x00\x00\x00\x00\xed-------t2ab$\r\n"
    "MSRP t3ab 200 OK\r\nTo-Path: msrp://127.0.0.1:60572/abc;tcp\r\n"
    "From-Path: msrp://127.0.0.1:28555;tcp\r\n-------t3ab$\r\n";
  g_autoptr(Result) r = parse_checked ((const guint8 *) frames, sizeof frames - 1);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->frames->len, ==, 2);
  g_assert_cmpuint (msrp_frame_get_status (frame_of (r, 0)), ==, 423);
  g_assert_error (msrp_frame_get_parse_error (frame_of (r, 0)), MSRP_ERROR, MSRP_ERROR_MALFORMED);
  g_assert_cmpuint (msrp_frame_get_n_headers (frame_of (r, 0)), ==, 2);
  g_assert_cmpuint (msrp_frame_get_status (frame_of (r, 1)), ==, 200);
  g_assert_no_error (msrp_frame_get_parse_error (frame_of (r, 1)));
  g_assert_cmpstr (r->flags->str, ==, "$$");
  g_assert_true (r->idle);
}

static void
test_start_lines (void)
{
  g_autoptr(Result) r = parse_text (
    "MSRP a.b-c+d%e=f 413 Message too large, sorry\r\n" PATHS "-------a.b-c+d%e=f$\r\n"
    "MSRP 0123456789abcdefABCDEF0123456789 FILE_OFFSET\r\n" PATHS "-------0123456789abcdefABCDEF0123456789$\r\n"
    "MSRP s3s3 send\r\n" PATHS "-------s3s3$\r\n"
    "MSRP s4s4 200\r\n" PATHS "-------s4s4$\r\n"
    "MSRP s5s5 99x\r\n" PATHS "-------s5s5$\r\n");
  MsrpFrame *f;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->frames->len, ==, 5);
  f = frame_of (r, 0);
  g_assert_cmpuint (msrp_frame_get_status (f), ==, 413);
  g_assert_cmpstr (msrp_frame_get_comment (f), ==, "Message too large, sorry");
  g_assert_no_error (msrp_frame_get_parse_error (f));
  f = frame_of (r, 1);
  g_assert_cmpstr (msrp_frame_get_transaction_id (f), ==, "0123456789abcdefABCDEF0123456789");
  g_assert_cmpint (msrp_frame_get_method (f), ==, MSRP_METHOD_UNKNOWN);
  g_assert_cmpstr (msrp_frame_get_method_name (f), ==, "FILE_OFFSET");
  /* Method names are case-sensitive. */
  f = frame_of (r, 2);
  g_assert_cmpint (msrp_frame_get_method (f), ==, MSRP_METHOD_UNKNOWN);
  g_assert_cmpstr (msrp_frame_get_method_name (f), ==, "send");
  f = frame_of (r, 3);
  g_assert_cmpuint (msrp_frame_get_status (f), ==, 200);
  g_assert_null (msrp_frame_get_comment (f));
  /* A broken status is a malformed response, not lost framing. */
  f = frame_of (r, 4);
  g_assert_false (msrp_frame_is_request (f));
  g_assert_error (msrp_frame_get_parse_error (f), MSRP_ERROR, MSRP_ERROR_MALFORMED);
}

static void
test_feed_data_equals_feed (void)
{
  gsize length = strlen (stop_stream);
  g_autoptr(Result) a = parse ((const guint8 *) stop_stream, length, FEED_WHOLE, 0);
  g_autoptr(Result) b = parse ((const guint8 *) stop_stream, length, FEED_RANDOM_DATA, 9);
  g_autoptr(Result) c = parse ((const guint8 *) stop_stream, length, FEED_RANDOM, 9);

  g_assert_cmpstr (a->trace->str, ==, b->trace->str);
  g_assert_cmpstr (a->trace->str, ==, c->trace->str);
  g_assert_cmpuint (b->n_slices_inside, ==, 0);
}

static void
test_every_split (void)
{
  /* Two frames fed in two pieces, at every position. */
  gsize length = strlen (stop_stream);
  g_autoptr(Result) reference = parse ((const guint8 *) stop_stream, length, FEED_WHOLE, 0);

  for (gsize split = 0; split <= length; split++)
    {
      g_autoptr(Result) r = result_new ();
      g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, r);
      g_autoptr(GBytes) all = g_bytes_new_static (stop_stream, length);
      g_autoptr(GBytes) first = g_bytes_new_from_bytes (all, 0, split);
      g_autoptr(GBytes) second = g_bytes_new_from_bytes (all, split, length - split);

      g_assert_true (msrp_parser_feed (parser, first, NULL));
      g_assert_true (msrp_parser_feed (parser, second, NULL));
      g_string_append_printf (r->trace, "failed-tid - idle %d\n", msrp_parser_is_idle (parser));
      g_assert_cmpstr (r->trace->str, ==, reference->trace->str);
    }
}

static void
add_tsv_tests (const char *tsv, const char *prefix, GTestDataFunc func)
{
  GPtrArray *rows = read_tsv (tsv);

  for (guint i = 0; i < rows->len; i++)
    {
      GStrv row = g_strdupv (rows->pdata[i]);
      g_autofree char *base = g_path_get_basename (row[0]);
      g_autofree char *name = g_strconcat (prefix, base, NULL);

      g_test_add_data_func_full (name, row, func, (GDestroyNotify) g_strfreev);
    }
  g_ptr_array_unref (rows);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_tsv_tests ("manifest.tsv", "/parser/rfc/", test_rfc_example);
  add_tsv_tests ("quirks.tsv", "/parser/quirk/", test_quirk);
  add_tsv_tests ("malformed.tsv", "/parser/malformed/", test_malformed_input);

  g_test_add_func ("/parser/body/lookalike-end-lines", test_lookalike_end_lines);
  g_test_add_func ("/parser/body/ending-in-lookalike", test_body_ending_in_lookalike);
  g_test_add_func ("/parser/body/empty", test_empty_bodies);
  g_test_add_func ("/parser/body/binary", test_binary_bodies);
  g_test_add_func ("/parser/body/held-back-release", test_held_back_release);
  g_test_add_func ("/parser/body/zero-copy", test_zero_copy);
  g_test_add_func ("/parser/head/byte-range-star", test_byte_range_star);
  g_test_add_func ("/parser/head/multi-uri-ipv6", test_multi_uri_and_ipv6);
  g_test_add_func ("/parser/head/start-lines", test_start_lines);
  g_test_add_func ("/parser/head/malformed-not-fatal", test_malformed_header_not_fatal);
  g_test_add_func ("/parser/head/nul-in-header", test_nul_in_header);
  g_test_add_func ("/parser/head/repeated-lines", test_repeated_lines);
  g_test_add_func ("/parser/head/response-validated-late", test_response_validated_late);
  g_test_add_func ("/parser/head/short-last-header", test_short_last_header);
  g_test_add_func ("/parser/head/other-end-line-in-head", test_end_line_in_head_of_other_tid);
  g_test_add_func ("/parser/head/end-line-glued-to-header", test_end_line_glued_to_header);
  g_test_add_func ("/parser/head/path-cache", test_path_cache);
  g_test_add_func ("/parser/stream/pipelined", test_pipelined);
  g_test_add_func ("/parser/stream/every-split", test_every_split);
  g_test_add_func ("/parser/stream/feed-data-equals-feed", test_feed_data_equals_feed);
  g_test_add_func ("/parser/stream/stop-and-resume", test_stop_and_resume);
  g_test_add_func ("/parser/stream/idle", test_idle);
  g_test_add_func ("/parser/stream/dead", test_dead_parser);
  g_test_add_func ("/parser/limits/header-count", test_header_count_limit);
  g_test_add_func ("/parser/limits/setters", test_limit_setters);

  return g_test_run ();
}
