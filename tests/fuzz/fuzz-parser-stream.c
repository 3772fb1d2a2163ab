/* fuzz-parser-stream.c: libFuzzer target for what a parser carries from
 * one frame to the next (its line cache, cached paths, the spare frame)
 *
 * The input is parsed by one parser that stops after every frame, so the
 * frame boundaries are known. At every boundary the rest of the input is
 * parsed again by a new parser with the same limits: its first frame must
 * read exactly as the long-lived parser read that frame, and a failure
 * must be the same failure. Along the way the first byte's bits keep some
 * frames past their end and change them at the next head (a cache must
 * not point into a frame), and the second byte's bits change the limits in
 * a frame's head callback (cached lines were checked against the old
 * ones). */
#include <stdlib.h>
#include <string.h>

#include <msrp.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef struct {
  gsize  max_header_block;
  guint  max_headers;
  gsize  max_uri_length;
} Limits;

typedef struct {
  GPtrArray *descriptions;   /* of each frame, at its head */
  MsrpFrame *kept;           /* the last frame, kept past its end */
  guint      n_frames;
  guint8     keep_bits;
  guint8     limit_bits;
  Limits     limits;         /* in effect for the frames that follow */
  gboolean   stop_at_end;
} Run;

static const Limits limit_sets[] = {
  { 512, 8, 64 },
  { 4096, 32, 2048 },
  { 256, 4, 40 },
  { 1024 * 1024, 1024, 1024 * 1024 },
};

static void
set_limits (MsrpParser *parser, const Limits *limits)
{
  msrp_parser_set_max_header_block (parser, limits->max_header_block);
  msrp_parser_set_max_headers (parser, limits->max_headers);
  msrp_parser_set_max_uri_length (parser, limits->max_uri_length);
}

static void
describe_path (GString *out, const char *name, GPtrArray *path, GError *error)
{
  g_autofree char *text = path != NULL ? msrp_path_to_string (path) : NULL;

  g_string_append_printf (out, "%s %s %d\n", name, text != NULL ? text : "-",
                          error != NULL ? error->code : 0);
}

/* Everything a frame tells, in a string. */
static char *
describe (MsrpFrame *frame)
{
  GString *out = g_string_new (NULL);
  const GError *perr = msrp_frame_get_parse_error (frame);
  g_autoptr(GError) range_error = NULL;
  g_autoptr(GError) to_error = NULL;
  g_autoptr(GError) from_error = NULL;
  g_autoptr(GError) use_error = NULL;
  g_autoptr(GPtrArray) to = msrp_frame_get_to_path (frame, &to_error);
  g_autoptr(GPtrArray) from = msrp_frame_get_from_path (frame, &from_error);
  g_autoptr(GPtrArray) use = msrp_frame_get_use_path (frame, &use_error);
  gint64 start = 0, end = 0, total = 0;
  gboolean range_ok;

  g_string_append_printf (out, "%s %d %s %u %s perr %d %s\n",
                          msrp_frame_get_transaction_id (frame), msrp_frame_is_request (frame),
                          msrp_frame_is_request (frame) ? msrp_frame_get_method_name (frame) : "-",
                          msrp_frame_get_status (frame),
                          msrp_frame_get_comment (frame) ? msrp_frame_get_comment (frame) : "-",
                          perr ? perr->code : 0, perr ? perr->message : "-");
  for (guint i = 0; i < msrp_frame_get_n_headers (frame); i++)
    {
      const char *name, *value;

      msrp_frame_get_nth_header (frame, i, &name, &value);
      g_string_append_printf (out, "[%s]=[%s]\n", name, value);
    }
  describe_path (out, "to", to, to_error);
  describe_path (out, "from", from, from_error);
  describe_path (out, "use", use, use_error);
  range_ok = msrp_frame_get_byte_range (frame, &start, &end, &total, &range_error);
  g_string_append_printf (out, "range %d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT "\n", range_ok, start, end, total);
  g_string_append_printf (out, "id %s type %s reports %d %d\n",
                          msrp_frame_get_message_id (frame) ? msrp_frame_get_message_id (frame) : "-",
                          msrp_frame_get_content_type (frame) ? msrp_frame_get_content_type (frame) : "-",
                          msrp_frame_get_success_report (frame),
                          msrp_frame_get_failure_report (frame));
  return g_string_free (out, FALSE);
}

static void
on_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Run *run = user_data;
  guint n = run->n_frames++;

  /* The frame kept from before is changed and let go: nothing the parser
   * keeps may depend on it. */
  if (run->kept != NULL)
    {
      msrp_frame_set_header (run->kept, "To-Path", "msrp://changed.example.com:1/x;tcp");
      msrp_frame_set_header (run->kept, "From-Path", "msrp://changed.example.com:2/y;tcp");
      msrp_frame_set_byte_range (run->kept, 5, 6, 7);
      g_clear_pointer (&run->kept, msrp_frame_unref);
    }
  g_ptr_array_add (run->descriptions, describe (head));
  if (n < 8 && (run->keep_bits & (1u << n)) != 0)
    run->kept = msrp_frame_ref (head);
  if (n < 8 && (run->limit_bits & (1u << n)) != 0)
    {
      run->limits = limit_sets[(n + run->limit_bits) % G_N_ELEMENTS (limit_sets)];
      set_limits (parser, &run->limits);
    }
}

static void
on_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Run *run = user_data;

  if (run->stop_at_end)
    msrp_parser_stop (parser);
}

static const MsrpParserCallbacks callbacks = { on_head, NULL, on_end, { NULL } };

/* The first frame of @data as a new parser with @limits reads it, or the
 * failure it meets first. */
static char *
parse_alone (const guint8 *data, gsize size, const Limits *limits, int *error_code)
{
  Run run = { g_ptr_array_new_with_free_func (g_free), NULL, 0, 0, 0, *limits, TRUE };
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, &run);
  g_autoptr(GError) error = NULL;
  char *first;

  set_limits (parser, limits);
  msrp_parser_feed_data (parser, data, size, &error);
  *error_code = error != NULL ? error->code : 0;
  first = run.descriptions->len > 0 ? g_strdup (run.descriptions->pdata[0]) : NULL;
  g_ptr_array_unref (run.descriptions);
  return first;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  Run run = { g_ptr_array_new_with_free_func (g_free), NULL, 0, 0, 0, limit_sets[0], TRUE };
  g_autoptr(MsrpParser) parser = NULL;
  gsize pos = 0;

  if (size < 2)
    return 0;
  run.keep_bits = data[0];
  run.limit_bits = data[1];
  run.limits = limit_sets[data[0] % G_N_ELEMENTS (limit_sets)];
  data += 2;
  size -= 2;
  parser = msrp_parser_new (&callbacks, &run);
  set_limits (parser, &run.limits);

  while (pos < size)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *alone = NULL;
      Limits limits = run.limits;
      guint before = run.n_frames;
      int alone_error;
      gboolean ok;

      /* The frame at @pos, read alone. */
      alone = parse_alone (data + pos, size - pos, &limits, &alone_error);
      ok = msrp_parser_feed_data (parser, data + pos, size - pos, &error);
      if (!ok)
        {
          /* Failed at the frame that starts here (a cut-off frame waits). */
          if (alone_error != error->code)
            abort ();
          if (run.n_frames > before && g_strcmp0 (alone, run.descriptions->pdata[before]) != 0)
            abort ();
          break;
        }
      if (run.n_frames == before)
        {
          /* The rest is the start of a frame that does not end. */
          if (alone != NULL || alone_error != 0)
            abort ();
          break;
        }
      if (alone == NULL || strcmp (alone, run.descriptions->pdata[before]) != 0)
        abort ();
      if (msrp_parser_get_consumed (parser) == 0 || !msrp_parser_is_idle (parser))
        {
          /* Stopped in a body: the rest is that frame's. */
          break;
        }
      pos += msrp_parser_get_consumed (parser);
    }

  g_clear_pointer (&run.kept, msrp_frame_unref);
  g_ptr_array_unref (run.descriptions);
  return 0;
}
