/* fuzz-parser.c: libFuzzer target for MsrpParser and the frame serializer
 *
 * The first byte chooses the limits, the feed function and the number of
 * split points; the next bytes are the lengths of the pieces. The rest is
 * parsed twice, whole and in those pieces: both must report the same frames,
 * body bytes, flags and outcome. Every valid frame must serialize to bytes
 * that parse back to a valid frame with the same start line and fields. */
#include <stdlib.h>
#include <string.h>

#include <msrp.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef struct {
  GString    *trace;
  GByteArray *body;
  gboolean    small_limits;
} Run;

static void
round_trip (MsrpFrame *frame);

static void
on_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Run *run = user_data;
  const GError *perr = msrp_frame_get_parse_error (head);
  gint64 start, end, total;
  guint code;
  guint64 value;
  g_autofree char *comment = NULL;
  g_autoptr(GPtrArray) to = msrp_frame_get_to_path (head, NULL);
  g_autoptr(GPtrArray) from = msrp_frame_get_from_path (head, NULL);
  g_autoptr(GPtrArray) use = msrp_frame_get_use_path (head, NULL);

  /* Exercise the getters on whatever was parsed. */
  msrp_frame_get_byte_range (head, &start, &end, &total, NULL);
  msrp_frame_get_status_header (head, &code, &comment, NULL);
  msrp_frame_get_uint_header (head, "Expires", &value, NULL);
  msrp_frame_get_success_report (head);
  msrp_frame_get_failure_report (head);

  g_string_append_printf (run->trace, "paths %d %d %d\n", to ? (int) to->len : -1,
                          from ? (int) from->len : -1, use ? (int) use->len : -1);
  g_string_append_printf (run->trace, "head %s %d %s %u %d %u\n",
                          msrp_frame_get_transaction_id (head), msrp_frame_is_request (head),
                          msrp_frame_is_request (head) ? msrp_frame_get_method_name (head) : "-",
                          msrp_frame_get_status (head), perr ? perr->code : 0,
                          msrp_frame_get_n_headers (head));
  g_byte_array_set_size (run->body, 0);
}

static void
on_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  Run *run = user_data;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);

  if (length == 0)
    abort ();
  g_byte_array_append (run->body, bytes, length);
}

static void
on_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Run *run = user_data;
  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, run->body->data,
                                                      run->body->len);

  g_string_append_printf (run->trace, "body %u %s end %c\n", run->body->len, sum, flag);
  if (msrp_frame_get_parse_error (head) == NULL)
    round_trip (head);
}

static const MsrpParserCallbacks callbacks = { on_head, on_body, on_end, { NULL } };

static MsrpParser *
new_parser (Run *run)
{
  MsrpParser *parser = msrp_parser_new (&callbacks, run);

  if (run->small_limits)
    {
      msrp_parser_set_max_header_block (parser, 512);
      msrp_parser_set_max_headers (parser, 8);
      msrp_parser_set_max_uri_length (parser, 64);
    }
  return parser;
}

static void
finish (MsrpParser *parser, Run *run, const GError *error)
{
  const char *tid = msrp_parser_get_failed_request_tid (parser);

  /* The body of a cut-off frame is compared too: only an end line
   * candidate at the very end may be held back, the same in both runs. */
  g_string_append_printf (run->trace, "error %d tid %s idle %d pending %u\n",
                          error ? error->code : 0, tid ? tid : "-", msrp_parser_is_idle (parser),
                          msrp_parser_is_idle (parser) ? 0 : run->body->len);
  if (error && !g_error_matches (error, MSRP_ERROR, MSRP_ERROR_FRAMING)
      && !g_error_matches (error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED))
    abort ();
}

typedef struct {
  MsrpFrame *frame;
  guint      n_frames;
} Reparsed;

static void
reparsed_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Reparsed *r = user_data;

  if (r->n_frames++ == 0)
    r->frame = msrp_frame_ref (head);
}

/* A valid parsed frame, written canonically, reads back the same. */
static void
round_trip (MsrpFrame *frame)
{
  static const MsrpParserCallbacks reparse = { reparsed_head, NULL, NULL, { NULL } };
  Reparsed r = { NULL, 0 };
  g_autoptr(GBytes) wire = msrp_frame_to_bytes (frame);
  g_autoptr(MsrpParser) parser = msrp_parser_new (&reparse, &r);
  g_autoptr(MsrpFrame) again = NULL;
  guint added;

  msrp_parser_set_max_header_block (parser, 1024 * 1024);
  msrp_parser_set_max_headers (parser, 1024);
  if (!msrp_parser_feed (parser, wire, NULL) || !msrp_parser_is_idle (parser) || r.n_frames != 1)
    abort ();
  again = r.frame;
  added = msrp_frame_get_method (frame) == MSRP_METHOD_SEND
          && msrp_frame_get_header (frame, "Byte-Range") == NULL;
  if (msrp_frame_get_parse_error (again) != NULL
      || strcmp (msrp_frame_get_transaction_id (again), msrp_frame_get_transaction_id (frame)) != 0
      || msrp_frame_is_request (again) != msrp_frame_is_request (frame)
      || g_strcmp0 (msrp_frame_get_method_name (again), msrp_frame_get_method_name (frame)) != 0
      || msrp_frame_get_status (again) != msrp_frame_get_status (frame)
      || g_strcmp0 (msrp_frame_get_comment (again), msrp_frame_get_comment (frame)) != 0
      || msrp_frame_get_continuation (again) != msrp_frame_get_continuation (frame)
      || msrp_frame_get_n_headers (again) != msrp_frame_get_n_headers (frame) + added)
    abort ();
  for (guint i = 0; i < msrp_frame_get_n_headers (frame); i++)
    {
      const char *name, *value;

      msrp_frame_get_nth_header (frame, i, &name, &value);
      if (msrp_frame_get_header (again, name) == NULL)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  Run whole = { g_string_new (NULL), g_byte_array_new (), FALSE };
  Run pieces = { g_string_new (NULL), g_byte_array_new (), FALSE };
  g_autoptr(GError) whole_error = NULL;
  g_autoptr(GError) pieces_error = NULL;
  g_autoptr(MsrpParser) a = NULL;
  g_autoptr(MsrpParser) b = NULL;
  g_autoptr(GBytes) input = NULL;
  guint n_splits;
  gboolean use_data;
  gsize pos;

  if (size < 1)
    return 0;
  n_splits = data[0] & 0x0f;
  whole.small_limits = pieces.small_limits = (data[0] & 0x10) != 0;
  use_data = (data[0] & 0x20) != 0;
  if (size < 1 + n_splits)
    return 0;
  pos = 1 + n_splits;
  input = g_bytes_new (data + pos, size - pos);

  a = new_parser (&whole);
  msrp_parser_feed (a, input, &whole_error);
  finish (a, &whole, whole_error);

  b = new_parser (&pieces);
  for (guint i = 0; i <= n_splits && pos <= size && pieces_error == NULL; i++)
    {
      gsize n = i < n_splits ? MIN ((gsize) data[1 + i] * 3 + 1, size - pos) : size - pos;
      g_autoptr(GBytes) piece = g_bytes_new_from_bytes (input, pos - 1 - n_splits, n);

      if (use_data)
        msrp_parser_feed_data (b, data + pos, n, &pieces_error);
      else
        msrp_parser_feed (b, piece, &pieces_error);
      pos += n;
    }
  finish (b, &pieces, pieces_error);

  if (strcmp (whole.trace->str, pieces.trace->str) != 0)
    abort ();

  g_string_free (whole.trace, TRUE);
  g_string_free (pieces.trace, TRUE);
  g_byte_array_unref (whole.body);
  g_byte_array_unref (pieces.body);
  return 0;
}
