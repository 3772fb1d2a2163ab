/* bench-parser.c: throughput of the I/O-free parser
 *
 * Feeds a prepared stream in 256 KiB GBytes blocks, as a transport's read
 * loop would, with callbacks that only count. Prints
 *   RESULT parser-64k <GB/s>        frames with 64 KiB bodies
 *   RESULT parser-small <chunks/s>  chat-sized SENDs (~100-byte bodies)
 *   RESULT parser-memcpy <GB/s>     memcpy of the same blocks, for scale
 * Each figure is the median of several timed runs of at least 0.3 s.
 * An argument (64k, small or memcpy) runs only that figure, for profiling.
 */
#include <string.h>

#include <msrp.h>

#define BLOCK (256 * 1024)
#define RUNS 7
#define MIN_RUN_USEC 300000

typedef struct {
  guint64 frames;
  guint64 body_bytes;
} Counts;

static void
on_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  if (msrp_frame_get_parse_error (head) != NULL)
    g_error ("benchmark frame did not parse: %s", msrp_frame_get_parse_error (head)->message);
}

static void
on_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  Counts *counts = user_data;

  counts->body_bytes += g_bytes_get_size (data);
}

static void
on_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Counts *counts = user_data;

  counts->frames++;
}

static const MsrpParserCallbacks callbacks = { on_head, on_body, on_end, { NULL } };

/* A stream of SENDs with @body_size-byte bodies, @total bytes or a little more. */
static GBytes *
make_stream (gsize body_size, gsize total, guint *n_frames)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4975);
  g_autofree guint8 *body = g_malloc (body_size);
  GByteArray *stream = g_byte_array_sized_new (total + body_size + 1024);

  *n_frames = 0;
  for (gsize i = 0; i < body_size; i++)
    body[i] = body_size > 200 ? g_rand_int_range (rand, 0, 256) : 'a' + g_rand_int_range (rand, 0, 26);
  while (stream->len < total)
    {
      g_autoptr(MsrpFrame) frame = msrp_frame_new_request ("SEND", NULL);
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, body_size);
      g_autoptr(GBytes) wire = NULL;
      g_autofree char *id = msrp_generate_id ();

      msrp_frame_set_header (frame, "To-Path", "msrp://bob.example.com:8888/9di4eae923wzd;tcp");
      msrp_frame_set_header (frame, "From-Path", "msrp://alice.example.com:7777/iau39soe2843z;tcp");
      msrp_frame_set_message_id (frame, id);
      msrp_frame_set_byte_range (frame, 1, body_size, body_size);
      msrp_frame_set_content_type (frame, "text/plain");
      msrp_frame_set_body (frame, bytes);
      wire = msrp_frame_to_bytes (frame);
      g_byte_array_append (stream, g_bytes_get_data (wire, NULL), g_bytes_get_size (wire));
      (*n_frames)++;
    }
  return g_byte_array_free_to_bytes (stream);
}

/* Parses @stream once in BLOCK-sized slices; returns the seconds it took. */
static double
parse_once (GBytes *stream, guint n_frames)
{
  Counts counts = { 0, 0 };
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, &counts);
  gsize length = g_bytes_get_size (stream);
  gint64 start = g_get_monotonic_time ();

  for (gsize pos = 0; pos < length; pos += BLOCK)
    {
      g_autoptr(GBytes) block = g_bytes_new_from_bytes (stream, pos, MIN (BLOCK, length - pos));
      g_autoptr(GError) error = NULL;

      if (!msrp_parser_feed (parser, block, &error))
        g_error ("benchmark stream failed: %s", error->message);
    }
  if (counts.frames != n_frames || !msrp_parser_is_idle (parser))
    g_error ("parsed %" G_GUINT64_FORMAT " of %u frames", counts.frames, n_frames);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
memcpy_once (GBytes *stream)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (stream, &length);
  g_autofree guint8 *dest = g_malloc (BLOCK);
  gint64 start = g_get_monotonic_time ();
  volatile guint8 sink = 0;

  for (gsize pos = 0; pos < length; pos += BLOCK)
    {
      memcpy (dest, data + pos, MIN (BLOCK, length - pos));
      sink ^= dest[pos % BLOCK];
    }
  (void) sink;
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Median rate (units per second) of RUNS runs, each repeating @stream until
 * MIN_RUN_USEC have passed. */
static double
measure (GBytes *stream, guint n_frames, double units_per_pass, gboolean baseline)
{
  double rates[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      double seconds = 0;
      guint passes = 0;

      while (seconds * 1e6 < MIN_RUN_USEC)
        {
          seconds += baseline ? memcpy_once (stream) : parse_once (stream, n_frames);
          passes++;
        }
      rates[r] = units_per_pass * passes / seconds;
    }
  qsort (rates, RUNS, sizeof rates[0], compare_double);
  return rates[RUNS / 2];
}

int
main (int argc, char **argv)
{
  guint n_big, n_small;
  g_autoptr(GBytes) big = make_stream (64 * 1024, 64 * 1024 * 1024, &n_big);
  g_autoptr(GBytes) small = make_stream (100, 16 * 1024 * 1024, &n_small);
  double big_bytes = g_bytes_get_size (big);

  const char *only = argc > 1 ? argv[1] : NULL;

  /* Warm up caches and the allocator. */
  parse_once (big, n_big);
  parse_once (small, n_small);

  if (only == NULL || g_str_equal (only, "64k"))
    g_print ("RESULT parser-64k %.2f GB/s\n", measure (big, n_big, big_bytes, FALSE) / 1e9);
  if (only == NULL || g_str_equal (only, "small"))
    g_print ("RESULT parser-small %.0f chunks/s\n", measure (small, n_small, n_small, FALSE));
  if (only == NULL || g_str_equal (only, "memcpy"))
    g_print ("RESULT parser-memcpy %.2f GB/s\n", measure (big, n_big, big_bytes, TRUE) / 1e9);
  return 0;
}
