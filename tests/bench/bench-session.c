/* bench-session.c: MsrpSession between two processes on loopback TCP
 *
 * Run without --role, the program conducts: it spawns itself twice per
 * measurement, a receiver (which listens on 127.0.0.1 and prints its port)
 * and a sender, so that each side has its own process, CPU time and peak
 * RSS. Every MSRP figure is measured against raw TCP in the same run, with
 * MSRP and raw runs interleaved, and each comparison is made three times:
 * with the two processes free to use both CPUs, with both pinned to CPU 0
 * (as `taskset -c 0` does; stable to a few percent), and split, the sender
 * on CPU 0 and the receiver on CPU 1. Prints
 *
 *   RESULT bulk-1g <MB/s>            one message of --size bytes (1 GiB) from a
 *                                    generator stream, 64 KiB chunks, received
 *                                    into a discard stream; sender's time from
 *                                    the send to its completion (every chunk
 *                                    answered)
 *   RESULT bulk-1g-raw-tcp <MB/s>    the same bytes through blocking 64 KiB
 *                                    GIO writes/reads, then a 1-byte ack
 *   RESULT bulk-1g-ratio <ratio>
 *   RESULT bulk-1g-rss-send / -recv <KiB>  VmHWM of each MSRP process (max of the runs)
 *   RESULT small-msgs <msg/s>        100-byte messages with success REPORTs,
 *                                    --window sends in flight
 *   RESULT pingpong-p50 <us>         A sends 100 bytes, B answers with a
 *                                    message when it arrives, A sends the
 *                                    next when the answer arrives; fire and
 *                                    forget msrp_session_send_bytes_async()
 *   RESULT pingpong-raw-p50 <us>     blocking write 100 / read 100 on a socket
 *   RESULT pingpong-ratio <ratio>
 *   RESULT pingpong-async-p50 <us>   the same with msrp_session_send_async()
 *                                    and a callback for each message
 *   RESULT pingpong-async-ratio <ratio>  against the same raw runs
 *
 * and the same with `-pinned` and `-split` suffixes; lines starting with
 * `#` give each run, with the CPU time of both sides. Figures are medians over the runs
 * (1 MB = 10^6 bytes). The generator produces xorshift64 pseudo-random
 * bytes as they are read; it holds none. `--only bulk,small,pingpong` runs
 * a part, `--size 256M` shrinks the bulk message for quick runs. The
 * generator and the discard stream can poll (always ready), as a pipe or a
 * socket can; `--async-streams` makes them streams that cannot
 * (asynchronous reads and writes through a GTask that completes at once).
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include <msrp.h>
#include "msrp-test-pollable-stream.h"

#define BLOCK (64 * 1024)
#define SMALL_BODY 100
#define RECV_URI "msrp://127.0.0.1:2855/benchrecv;tcp"
#define SEND_URI "msrp://127.0.0.1:2856/benchsend;tcp"
/* A stuck child dies instead of holding the benchmark to its timeout. */
#define CHILD_ALARM_SECONDS 300

static char *opt_role;
static int opt_port;
static char *opt_size = "1G";
static guint64 size;
static int opt_count = 200000;
static int opt_window = 512;
static int opt_rounds = 20000;
static int opt_cpu = -1;
static int opt_runs = 11;
static int opt_pinned_runs = 5;
static int opt_split_runs = 5;
static char *opt_only = "bulk,small,pingpong";
static gboolean opt_async_streams;

static GOptionEntry entries[] = {
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, "Run one side (used by the conductor)", "ROLE" },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_port, "Port of the receiver (sender roles)", "N" },
  { "size", 0, 0, G_OPTION_ARG_STRING, &opt_size, "Bulk message size (K, M, G suffixes; 1G)", "BYTES" },
  { "count", 0, 0, G_OPTION_ARG_INT, &opt_count, "Small messages per run (200000)", "N" },
  { "window", 0, 0, G_OPTION_ARG_INT, &opt_window, "Small messages in flight (512)", "N" },
  { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Ping-pong round trips per run (20000)", "N" },
  { "cpu", 0, 0, G_OPTION_ARG_INT, &opt_cpu, "Pin this process to a CPU", "N" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Interleaved runs on both CPUs (11)", "N" },
  { "pinned-runs", 0, 0, G_OPTION_ARG_INT, &opt_pinned_runs, "Interleaved runs on CPU 0 (5)", "N" },
  { "split-runs", 0, 0, G_OPTION_ARG_INT, &opt_split_runs,
    "Interleaved runs with the sender on CPU 0, the receiver on CPU 1 (5)", "N" },
  { "only", 0, 0, G_OPTION_ARG_STRING, &opt_only, "Comma-separated: bulk, small, pingpong", "LIST" },
  { "async-streams", 0, 0, G_OPTION_ARG_NONE, &opt_async_streams,
    "The bulk generator and discard streams cannot poll", NULL },
  { NULL }
};

/* --- Both sides ---------------------------------------------------------- */

static guint64
parse_size (const char *text)
{
  char *end = NULL;
  guint64 value = g_ascii_strtoull (text, &end, 10);

  switch (g_ascii_toupper (*end))
    {
    case 'K': return value << 10;
    case 'M': return value << 20;
    case 'G': return value << 30;
    case '\0': return value;
    default: g_error ("bad size %s", text);
    }
}

/* VmHWM: the peak resident set of this process, in KiB. */
static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static void
report (const char *key, double value)
{
  g_print ("%s %.6f\n", key, value);
  fflush (stdout);
}

/* What a side reports at its end: peak RSS and the CPU time it used. */
static void
report_usage (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  report ("RSS", peak_rss_kib ());
  report ("CPU", usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6);
}

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Round trips are timed in nanoseconds (g_get_monotonic_time() counts whole
 * microseconds: a p50 of 55 us would be 54.5 or 55.4). */
static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static GSocketConnection *
accept_one (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  if (!g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, &error))
    g_error ("listen: %s", error->message);
  report ("PORT", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  connection = g_socket_listener_accept (listener, NULL, NULL, &error);
  if (connection == NULL)
    g_error ("accept: %s", error->message);
  return connection;
}

static GSocketConnection *
connect_to_receiver (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", opt_port, NULL, &error);
  if (connection == NULL)
    g_error ("connect: %s", error->message);
  return connection;
}

/* --- A generator stream: xorshift64 bytes made as they are read ---------- */

#define BENCH_TYPE_SOURCE (bench_source_get_type ())
G_DECLARE_FINAL_TYPE (BenchSource, bench_source, BENCH, SOURCE, MsrpTestPollableInput)

struct _BenchSource
{
  MsrpTestPollableInput parent_instance;
  guint64 remaining;
  guint64 state[4];
};

G_DEFINE_TYPE (BenchSource, bench_source, MSRP_TEST_TYPE_POLLABLE_INPUT)

static gssize
bench_source_read (GInputStream *stream, void *buffer, gsize count,
                   GCancellable *cancellable, GError **error)
{
  BenchSource *self = BENCH_SOURCE (stream);
  gsize n = MIN (count, self->remaining);
  guint8 *out = buffer;
  gsize i;

  guint64 x[4];

  /* Four independent generators in locals: the CPU runs them in parallel. */
  memcpy (x, self->state, sizeof x);
  for (i = 0; i + sizeof x <= n; i += sizeof x)
    {
      for (guint lane = 0; lane < 4; lane++)
        {
          x[lane] ^= x[lane] << 13;
          x[lane] ^= x[lane] >> 7;
          x[lane] ^= x[lane] << 17;
        }
      memcpy (out + i, x, sizeof x);
    }
  for (; i < n; i++)
    out[i] = (guint8) (x[i & 3] >> (8 * (i & 7)));
  memcpy (self->state, x, sizeof x);
  self->remaining -= n;
  return n;
}

static void
bench_source_init (BenchSource *self)
{
  for (guint lane = 0; lane < 4; lane++)
    self->state[lane] = 0x9e3779b97f4a7c15u * (lane + 1);
}

static void
bench_source_class_init (BenchSourceClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = bench_source_read;
}

/* Reads complete at once (no thread), as a fast local source's would. */
static GInputStream *
bench_source_new (guint64 length)
{
  BenchSource *self = g_object_new (BENCH_TYPE_SOURCE, NULL);

  self->remaining = length;
  msrp_test_pollable_stream_set_pollable (self, !opt_async_streams);
  return G_INPUT_STREAM (self);
}

/* --- A discard stream, counting what it is given ------------------------- */

#define BENCH_TYPE_DISCARD (bench_discard_get_type ())
G_DECLARE_FINAL_TYPE (BenchDiscard, bench_discard, BENCH, DISCARD, MsrpTestPollableOutput)

struct _BenchDiscard
{
  MsrpTestPollableOutput parent_instance;
  guint64 written;
  guint64 n_writes;
};

G_DEFINE_TYPE (BenchDiscard, bench_discard, MSRP_TEST_TYPE_POLLABLE_OUTPUT)

static gssize
bench_discard_write (GOutputStream *stream, const void *buffer, gsize count,
                     GCancellable *cancellable, GError **error)
{
  BENCH_DISCARD (stream)->written += count;
  BENCH_DISCARD (stream)->n_writes++;
  return count;
}

static void
bench_discard_init (BenchDiscard *self)
{
}

static void
bench_discard_class_init (BenchDiscardClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = bench_discard_write;
}

static GOutputStream *
bench_discard_new (void)
{
  BenchDiscard *self = g_object_new (BENCH_TYPE_DISCARD, NULL);

  msrp_test_pollable_stream_set_pollable (self, !opt_async_streams);
  return G_OUTPUT_STREAM (self);
}

/* --- MSRP sides ---------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  MsrpSession *session;
  GOutputStream *discard;
  GBytes *small_body;
  gboolean ping_async;       /* ping: a callback for each send */
  guint64 received;        /* messages */
  guint64 received_bytes;
  guint64 started;         /* sends */
  guint64 completed;
  guint64 failed;
  double t0;
  double t1;
  double sent_at;
  GArray *rtts;            /* double, microseconds */
  guint64 expected;        /* messages a receiver waits for */
  gboolean closing;
  gboolean closed;
} Side;

static GPtrArray *
path (const char *uri)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *result = msrp_path_parse (uri, &error);

  g_assert_no_error (error);
  return result;
}

static MsrpSession *
session_over (GSocketConnection *connection, const char *local, const char *remote)
{
  g_autoptr(MsrpTransport) transport = msrp_transport_new (G_IO_STREAM (connection));
  g_autoptr(GPtrArray) local_path = path (local);
  g_autoptr(GPtrArray) remote_path = path (remote);
  g_autoptr(GError) error = NULL;
  MsrpSession *session = msrp_session_new (transport, local_path, remote_path, &error);

  if (session == NULL)
    g_error ("session: %s", error->message);
  msrp_session_set_chunk_size (session, BLOCK);
  msrp_transport_start (transport);
  return session;
}

/* A receiver stops once the sender closed and every message it expects
 * was delivered (the last may still drain after the close). */
static void
check_receiver_done (Side *side)
{
  if (side->closed && side->received >= side->expected)
    g_main_loop_quit (side->loop);
}

static void
on_closed (MsrpSession *session, GError *error, Side *side)
{
  if (error != NULL && !side->closing)
    g_error ("session closed: %s", error->message);
  side->closed = TRUE;
  check_receiver_done (side);
}

static void
on_session_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Side *side = user_data;

  msrp_session_close_finish (MSRP_SESSION (source), result, NULL);
  g_main_loop_quit (side->loop);
}

static void
close_side (Side *side)
{
  side->closing = TRUE;
  msrp_session_close_async (side->session, NULL, on_session_closed, side);
}

static void
on_failed (MsrpSession *session, MsrpIncomingMessage *message, GError *error, Side *side)
{
  g_error ("message %s failed: %s", msrp_incoming_message_get_message_id (message),
           error->message);
}

/* Runs the receiving side until the sender closes the connection. */
static void
run_receiver (Side *side, GCallback on_incoming, GCallback on_received)
{
  g_autoptr(GSocketConnection) connection = accept_one ();

  side->loop = g_main_loop_new (NULL, FALSE);
  side->session = session_over (connection, RECV_URI, SEND_URI);
  if (on_incoming != NULL)
    g_signal_connect (side->session, "incoming-message", on_incoming, side);
  g_signal_connect (side->session, "message-received", on_received, side);
  g_signal_connect (side->session, "message-failed", G_CALLBACK (on_failed), side);
  g_signal_connect (side->session, "closed", G_CALLBACK (on_closed), side);
  side->closing = TRUE;  /* the sender ends the run by closing */
  g_main_loop_run (side->loop);
  g_clear_object (&side->session);
  g_main_loop_unref (side->loop);
}

static void
start_sender (Side *side)
{
  g_autoptr(GSocketConnection) connection = connect_to_receiver ();

  side->loop = g_main_loop_new (NULL, FALSE);
  side->session = session_over (connection, SEND_URI, RECV_URI);
  g_signal_connect (side->session, "message-failed", G_CALLBACK (on_failed), side);
  g_signal_connect (side->session, "closed", G_CALLBACK (on_closed), side);
}

static void
finish_sender (Side *side)
{
  g_main_loop_run (side->loop);
  g_clear_object (&side->session);
  g_main_loop_unref (side->loop);
}

/* Bulk */

static void
bulk_incoming (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  msrp_incoming_message_set_output_stream (message, side->discard);
}

static void
bulk_received (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  side->received++;
  side->received_bytes += msrp_incoming_message_get_bytes_received (message);
  check_receiver_done (side);
}

static void
role_bulk_recv (void)
{
  Side side = { 0 };

  side.discard = bench_discard_new ();
  side.expected = 1;
  run_receiver (&side, G_CALLBACK (bulk_incoming), G_CALLBACK (bulk_received));
  if (side.received != 1 || BENCH_DISCARD (side.discard)->written != size)
    g_error ("received %" G_GUINT64_FORMAT " messages, %" G_GUINT64_FORMAT " bytes",
             side.received, BENCH_DISCARD (side.discard)->written);
  report ("WRITES", BENCH_DISCARD (side.discard)->n_writes);
  g_object_unref (side.discard);
  report_usage ();
}

static void
bulk_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Side *side = user_data;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error))
    g_error ("bulk send: %s", error->message);
  side->t1 = now_seconds ();
  close_side (side);
}

static void
role_bulk_send (void)
{
  Side side = { 0 };
  g_autoptr(GInputStream) source = bench_source_new (size);
  g_autoptr(MsrpOutgoingMessage) message =
    msrp_outgoing_message_new_stream ("application/octet-stream", source, size);

  start_sender (&side);
  side.t0 = now_seconds ();
  msrp_session_send_async (side.session, message, NULL, bulk_sent, &side);
  finish_sender (&side);
  report ("SECONDS", side.t1 - side.t0);
  report_usage ();
}

/* Small messages */

static void
small_received (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  side->received++;
  check_receiver_done (side);
}

static void
role_small_recv (void)
{
  Side side = { 0 };

  side.expected = opt_count;
  run_receiver (&side, NULL, G_CALLBACK (small_received));
  if (side.received != (guint64) opt_count)
    g_error ("received %" G_GUINT64_FORMAT " of %d messages", side.received, opt_count);
  report_usage ();
}

static void small_send_next (Side *side);

static void
small_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Side *side = user_data;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error))
    g_error ("small send: %s", error->message);
  side->completed++;
  if (side->completed == (guint64) opt_count)
    {
      side->t1 = now_seconds ();
      close_side (side);
      return;
    }
  small_send_next (side);
}

static void
small_send_next (Side *side)
{
  g_autoptr(MsrpOutgoingMessage) message = NULL;

  if (side->started == (guint64) opt_count)
    return;
  message = msrp_outgoing_message_new_bytes ("text/plain", side->small_body);
  msrp_outgoing_message_set_success_report (message, TRUE);
  side->started++;
  msrp_session_send_async (side->session, message, NULL, small_sent, side);
}

static GBytes *
small_body (void)
{
  static const char text[] =
    "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. "
    "Sphinx of quar";

  G_STATIC_ASSERT (sizeof text == SMALL_BODY + 1);
  return g_bytes_new_static (text, SMALL_BODY);
}

static void
role_small_send (void)
{
  Side side = { 0 };

  side.small_body = small_body ();
  start_sender (&side);
  side.t0 = now_seconds ();
  for (int i = 0; i < opt_window; i++)
    small_send_next (&side);
  finish_sender (&side);
  g_bytes_unref (side.small_body);
  report ("SECONDS", side.t1 - side.t0);
  report_usage ();
}

/* Ping-pong: `pong`/`ping` send fire and forget, `pong-async`/`ping-async`
 * send an MsrpOutgoingMessage each with a callback. */

static void
pong_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  /* The last answer may still wait for its response when the pinger closes. */
  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error) &&
      !g_error_matches (error, MSRP_ERROR, MSRP_ERROR_CLOSED))
    g_error ("pong: %s", error->message);
}

static void
pong_received_async (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  g_autoptr(MsrpOutgoingMessage) answer =
    msrp_outgoing_message_new_bytes ("text/plain", side->small_body);

  side->received++;
  msrp_session_send_async (session, answer, NULL, pong_sent, side);
}

static void
pong_received (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  side->received++;
  msrp_session_send_bytes_async (session, "text/plain", side->small_body, NULL, NULL, NULL);
}

static void
run_pong (GCallback received)
{
  Side side = { 0 };

  side.small_body = small_body ();
  run_receiver (&side, NULL, received);
  g_bytes_unref (side.small_body);
  report_usage ();
}

static void
role_pong (void)
{
  run_pong (G_CALLBACK (pong_received));
}

static void
role_pong_async (void)
{
  run_pong (G_CALLBACK (pong_received_async));
}

static void
ping_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error))
    g_error ("ping: %s", error->message);
}

static void
ping_send (Side *side)
{
  side->sent_at = now_us ();
  if (side->ping_async)
    {
      g_autoptr(MsrpOutgoingMessage) message =
        msrp_outgoing_message_new_bytes ("text/plain", side->small_body);

      msrp_session_send_async (side->session, message, NULL, ping_sent, side);
    }
  else
    msrp_session_send_bytes_async (side->session, "text/plain", side->small_body, NULL, NULL, NULL);
}

static void
ping_received (MsrpSession *session, MsrpIncomingMessage *message, Side *side)
{
  double rtt = now_us () - side->sent_at;

  g_array_append_val (side->rtts, rtt);
  if (side->rtts->len == (guint) opt_rounds)
    close_side (side);
  else
    ping_send (side);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len > 0 ? g_array_index (values, double, values->len / 2) : 0;
}

/* The first tenth of the round trips warms up, and is not counted. */
static void
report_rtts (GArray *rtts)
{
  guint warmup = rtts->len / 10;

  g_array_remove_range (rtts, 0, warmup);
  g_array_sort (rtts, compare_double);
  report ("P50", g_array_index (rtts, double, rtts->len / 2));
  report ("P99", g_array_index (rtts, double, rtts->len * 99 / 100));
}

static void
run_ping (gboolean with_callback)
{
  Side side = { 0 };

  side.ping_async = with_callback;
  side.small_body = small_body ();
  side.rtts = g_array_new (FALSE, FALSE, sizeof (double));
  start_sender (&side);
  g_signal_connect (side.session, "message-received", G_CALLBACK (ping_received), &side);
  ping_send (&side);
  finish_sender (&side);
  report_rtts (side.rtts);
  g_array_unref (side.rtts);
  g_bytes_unref (side.small_body);
  report_usage ();
}

static void
role_ping (void)
{
  run_ping (FALSE);
}

static void
role_ping_async (void)
{
  run_ping (TRUE);
}

/* --- Raw TCP sides: blocking GIO calls ----------------------------------- */

static void
read_exactly (GInputStream *input, void *buffer, gsize count)
{
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all (input, buffer, count, &n, NULL, &error) || n != count)
    g_error ("raw read: %s", error ? error->message : "early end of stream");
}

static void
write_all (GOutputStream *output, const void *buffer, gsize count)
{
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all (output, buffer, count, NULL, NULL, &error))
    g_error ("raw write: %s", error->message);
}

static void
role_raw_recv (void)
{
  g_autoptr(GSocketConnection) connection = accept_one ();
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autofree guint8 *buffer = g_malloc (BLOCK);
  guint64 total = 0;
  g_autoptr(GError) error = NULL;

  while (total < size)
    {
      gssize n = g_input_stream_read (input, buffer, BLOCK, NULL, &error);

      if (n <= 0)
        g_error ("raw receive: %s", error ? error->message : "early end of stream");
      total += n;
    }
  write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), "!", 1);
  /* The sender closes first. */
  (void) g_input_stream_read (input, buffer, BLOCK, NULL, NULL);
  report_usage ();
}

static void
role_raw_send (void)
{
  g_autoptr(GSocketConnection) connection = connect_to_receiver ();
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GInputStream) source = bench_source_new (size);
  g_autofree guint8 *buffer = g_malloc (BLOCK);
  double t0 = now_seconds (), t1;
  gssize n;

  while ((n = g_input_stream_read (source, buffer, BLOCK, NULL, NULL)) > 0)
    write_all (output, buffer, n);
  read_exactly (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer, 1);
  t1 = now_seconds ();
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  report ("SECONDS", t1 - t0);
  report_usage ();
}

static void
role_raw_pong (void)
{
  g_autoptr(GSocketConnection) connection = accept_one ();
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint8 buffer[SMALL_BODY];
  gsize n;

  while (g_input_stream_read_all (input, buffer, SMALL_BODY, &n, NULL, NULL) && n == SMALL_BODY)
    write_all (output, buffer, SMALL_BODY);
  report_usage ();
}

static void
role_raw_ping (void)
{
  g_autoptr(GSocketConnection) connection = connect_to_receiver ();
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GBytes) body = small_body ();
  g_autoptr(GArray) rtts = g_array_new (FALSE, FALSE, sizeof (double));
  guint8 buffer[SMALL_BODY];

  for (int i = 0; i < opt_rounds; i++)
    {
      double t0 = now_us ();
      double rtt;

      write_all (output, g_bytes_get_data (body, NULL), SMALL_BODY);
      read_exactly (input, buffer, SMALL_BODY);
      rtt = now_us () - t0;
      g_array_append_val (rtts, rtt);
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  report_rtts (rtts);
  report_usage ();
}

static const struct {
  const char *name;
  void (*run) (void);
} roles[] = {
  { "bulk-recv", role_bulk_recv },
  { "bulk-send", role_bulk_send },
  { "raw-recv", role_raw_recv },
  { "raw-send", role_raw_send },
  { "small-recv", role_small_recv },
  { "small-send", role_small_send },
  { "pong", role_pong },
  { "ping", role_ping },
  { "pong-async", role_pong_async },
  { "ping-async", role_ping_async },
  { "raw-pong", role_raw_pong },
  { "raw-ping", role_raw_ping },
};

/* --- The conductor ------------------------------------------------------- */

static char *self_exe;

/* "KEY value" lines a child printed. */
static void
parse_lines (GHashTable *values, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *space = strchr (lines[i], ' ');

      if (space == NULL)
        continue;
      *space = '\0';
      g_hash_table_insert (values, g_strdup (lines[i]),
                           g_memdup2 (&(double) { g_ascii_strtod (space + 1, NULL) }, sizeof (double)));
    }
}

static GSubprocess *
spawn (const char *role, int port, int cpu, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (self_exe));
  g_ptr_array_add (argv, g_strdup_printf ("--role=%s", role));
  g_ptr_array_add (argv, g_strdup_printf ("--port=%d", port));
  g_ptr_array_add (argv, g_strdup_printf ("--size=%" G_GUINT64_FORMAT, size));
  g_ptr_array_add (argv, g_strdup_printf ("--count=%d", opt_count));
  g_ptr_array_add (argv, g_strdup_printf ("--window=%d", opt_window));
  g_ptr_array_add (argv, g_strdup_printf ("--rounds=%d", opt_rounds));
  g_ptr_array_add (argv, g_strdup_printf ("--cpu=%d", cpu));
  if (opt_async_streams)
    g_ptr_array_add (argv, g_strdup ("--async-streams"));
  g_ptr_array_add (argv, NULL);
  return g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                            error);
}

typedef struct {
  GHashTable *sender;
  GHashTable *receiver;
} Run;

/* Where the two processes run. Left free, the scheduler of this 2-CPU VM
 * puts them on one CPU in some runs and on two in others, which changes
 * raw TCP by a third and MSRP by half: the pinned and split runs say which
 * is which. */
typedef struct {
  const char *suffix;        /* of the RESULT names */
  int sender_cpu;            /* -1: free */
  int receiver_cpu;
} Placement;

static const Placement FREE = { "", -1, -1 };
static const Placement PINNED = { "-pinned", 0, 0 };
static const Placement SPLIT = { "-split", 0, 1 };

static double
get (GHashTable *values, const char *key)
{
  double *value = g_hash_table_lookup (values, key);

  if (value == NULL)
    g_error ("a child did not report %s", key);
  return *value;
}

/* One receiver and one sender, placed as @where says. */
static Run
run_pair (const char *receiver_role, const char *sender_role, const Placement *where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) receiver = spawn (receiver_role, 0, where->receiver_cpu, &error);
  g_autoptr(GSubprocess) sender = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *sender_out = NULL;
  g_autoptr(GString) receiver_out = g_string_new (NULL);
  Run run = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
              g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  char *line;

  if (receiver == NULL)
    g_error ("spawn: %s", error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  port_line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  if (port_line == NULL || !g_str_has_prefix (port_line, "PORT "))
    g_error ("%s did not print its port", receiver_role);
  sender = spawn (sender_role, (int) g_ascii_strtod (port_line + 5, NULL), where->sender_cpu,
                  &error);
  if (sender == NULL)
    g_error ("spawn: %s", error->message);
  if (!g_subprocess_communicate_utf8 (sender, NULL, NULL, &sender_out, NULL, &error) ||
      !g_subprocess_wait_check (sender, NULL, &error))
    g_error ("%s: %s", sender_role, error->message);
  while ((line = g_data_input_stream_read_line (lines, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (receiver_out, "%s\n", line);
      g_free (line);
    }
  if (!g_subprocess_wait_check (receiver, NULL, &error))
    g_error ("%s: %s", receiver_role, error->message);
  parse_lines (run.sender, sender_out);
  parse_lines (run.receiver, receiver_out->str);
  return run;
}

static void
run_clear (Run *run)
{
  g_hash_table_unref (run->sender);
  g_hash_table_unref (run->receiver);
}

static void
result (const char *name, const char *suffix, double value, const char *unit)
{
  int decimals = value < 10 ? 3 : strcmp (unit, "us") == 0 ? 1 : 0;

  g_print ("RESULT %s%s %.*f %s\n", name, suffix, decimals, value, unit);
}

static void
bench_bulk (const Placement *where, int runs)
{
  const char *suffix = where->suffix;
  g_autoptr(GArray) msrp = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (double));
  double rss_send = 0, rss_recv = 0, m, r;

  for (int i = 0; i < runs; i++)
    {
      Run run = run_pair ("bulk-recv", "bulk-send", where);
      double mbs = size / get (run.sender, "SECONDS") / 1e6;
      g_autofree char *msrp_cpu = g_strdup_printf ("cpu %.2f + %.2f s, %.1f writes per chunk",
                                                   get (run.sender, "CPU"),
                                                   get (run.receiver, "CPU"),
                                                   get (run.receiver, "WRITES") / (size / BLOCK));

      g_array_append_val (msrp, mbs);
      rss_send = MAX (rss_send, get (run.sender, "RSS"));
      rss_recv = MAX (rss_recv, get (run.receiver, "RSS"));
      run_clear (&run);

      run = run_pair ("raw-recv", "raw-send", where);
      r = size / get (run.sender, "SECONDS") / 1e6;
      g_array_append_val (raw, r);
      g_print ("# bulk%s run %d: msrp %.0f MB/s (%s), raw %.0f MB/s (cpu %.2f + %.2f s)\n",
               suffix, i + 1, mbs, msrp_cpu, r, get (run.sender, "CPU"), get (run.receiver, "CPU"));
      run_clear (&run);
    }
  m = median (msrp);
  r = median (raw);
  g_print ("# bulk%s: %" G_GUINT64_FORMAT " bytes, medians of %d interleaved runs\n",
           suffix, size, runs);
  result ("bulk-1g", suffix, m, "MB/s");
  result ("bulk-1g-raw-tcp", suffix, r, "MB/s");
  result ("bulk-1g-ratio", suffix, m / r, "ratio");
  result ("bulk-1g-rss-send", suffix, rss_send, "KiB");
  result ("bulk-1g-rss-recv", suffix, rss_recv, "KiB");
}

static void
bench_small (const Placement *where, int runs)
{
  const char *suffix = where->suffix;
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < runs; i++)
    {
      Run run = run_pair ("small-recv", "small-send", where);
      double rate = opt_count / get (run.sender, "SECONDS");

      g_array_append_val (rates, rate);
      g_print ("# small-msgs%s run %d: %.0f msg/s (cpu %.2f + %.2f s, RSS %.0f + %.0f KiB)\n",
               suffix, i + 1, rate, get (run.sender, "CPU"), get (run.receiver, "CPU"),
               get (run.sender, "RSS"), get (run.receiver, "RSS"));
      run_clear (&run);
    }
  g_print ("# small-msgs%s: %d messages, %d in flight, median of %d runs\n", suffix, opt_count,
           opt_window, runs);
  result ("small-msgs", suffix, median (rates), "msg/s");
}

static void
bench_pingpong (const Placement *where, int runs)
{
  const char *suffix = where->suffix;
  g_autoptr(GArray) msrp = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) msrp_async = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (double));
  double m, a, r;

  for (int i = 0; i < runs; i++)
    {
      Run run = run_pair ("pong", "ping", where);
      double p50 = get (run.sender, "P50"), p99 = get (run.sender, "P99");
      double async_p50, async_p99;

      g_array_append_val (msrp, p50);
      run_clear (&run);
      run = run_pair ("pong-async", "ping-async", where);
      async_p50 = get (run.sender, "P50");
      async_p99 = get (run.sender, "P99");
      g_array_append_val (msrp_async, async_p50);
      run_clear (&run);
      run = run_pair ("raw-pong", "raw-ping", where);
      r = get (run.sender, "P50");
      g_array_append_val (raw, r);
      g_print ("# pingpong%s run %d: msrp p50 %.1f us (p99 %.1f), with callbacks %.1f us "
               "(p99 %.1f), raw p50 %.1f us (p99 %.1f)\n",
               suffix, i + 1, p50, p99, async_p50, async_p99, r, get (run.sender, "P99"));
      run_clear (&run);
    }
  m = median (msrp);
  a = median (msrp_async);
  r = median (raw);
  g_print ("# pingpong%s: %d round trips per run (the first tenth not counted), "
           "medians of %d interleaved runs\n", suffix, opt_rounds, runs);
  result ("pingpong-p50", suffix, m, "us");
  result ("pingpong-raw-p50", suffix, r, "us");
  result ("pingpong-ratio", suffix, m / r, "ratio");
  result ("pingpong-async-p50", suffix, a, "us");
  result ("pingpong-async-ratio", suffix, a / r, "ratio");
}

static void
print_load (const char *when)
{
  g_autofree char *load = NULL;

  if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
    g_print ("# load average %s: %s", when, load);
}

static void
conduct (void)
{
  g_auto(GStrv) parts = g_strsplit (opt_only, ",", -1);
  static const struct {
    const char *name;
    void (*run) (const Placement *where, int runs);
  } benches[] = {
    { "bulk", bench_bulk },
    { "small", bench_small },
    { "pingpong", bench_pingpong },
  };

  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  if (self_exe == NULL)
    g_error ("cannot find my own executable");
  /* Figures taken while other processes load the CPUs mean little. */
  print_load ("before");
  for (guint b = 0; b < G_N_ELEMENTS (benches); b++)
    {
      if (!g_strv_contains ((const char * const *) parts, benches[b].name))
        continue;
      if (opt_runs > 0)
        benches[b].run (&FREE, opt_runs);
      if (opt_pinned_runs > 0)
        benches[b].run (&PINNED, opt_pinned_runs);
      if (opt_split_runs > 0 && g_get_num_processors () >= 2)
        benches[b].run (&SPLIT, opt_split_runs);
    }
  print_load ("after");
  g_free (self_exe);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- MsrpSession benchmarks");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  size = parse_size (opt_size);
  if (opt_cpu >= 0)
    {
      cpu_set_t set;

      CPU_ZERO (&set);
      CPU_SET (opt_cpu, &set);
      if (sched_setaffinity (0, sizeof set, &set) != 0)
        g_error ("cannot pin to CPU %d", opt_cpu);
    }
  if (opt_role == NULL)
    {
      conduct ();
      return 0;
    }
  alarm (CHILD_ALARM_SECONDS);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_str_equal (opt_role, roles[i].name))
      {
        roles[i].run ();
        return 0;
      }
  g_printerr ("unknown role %s\n", opt_role);
  return 2;
}
