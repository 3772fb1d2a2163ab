/* bench-gst.c: msrpsrc and msrpsink against the library alone
 *
 * Two sessions over loopback TCP on their own thread (as in the element
 * tests). Each run measures, interleaved:
 *   receiving: the peer sends N messages; the local session counts
 *     them itself (library) or feeds msrpsrc ! fakesink (element);
 *   sending: the local session sends N messages (library), or appsrc !
 *     msrpsink pushes N buffers (element); the peer counts them.
 * The library sends as an application would, and as msrpsink does: with up
 * to 64 messages in flight.
 * for small messages (100-byte text, msg/s) and bulk (1 MiB binary
 * messages in 64 KiB chunks, MB/s). Prints the medians of RUNS runs:
 *   RESULT gst-src-msgs / gst-src-msgs-lib <msg/s>
 *   RESULT gst-src-bulk / gst-src-bulk-lib <MB/s>
 *   RESULT gst-sink-msgs / gst-sink-msgs-lib, gst-sink-bulk / gst-sink-bulk-lib
 *   RESULT gst-src-ratio, gst-sink-ratio: the lower of the two median
 *     ratios (element / library) of each direction; the target is >= 0.8
 * An argument (a case name, such as gst-src-msgs) runs only that case,
 * for profiling.
 */
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

#include "msrp-gst-test.h"

#define RUNS 11
#define SMALL_N 20000
#define SMALL_SIZE 100
#define BULK_N 128
#define BULK_SIZE (1024 * 1024)
#define BULK_CHUNK 65536

typedef struct {
  GMutex lock;
  GCond cond;
  guint count;
  guint target;
} Counter;

static void
counter_add (Counter *counter)
{
  g_mutex_lock (&counter->lock);
  if (++counter->count >= counter->target)
    g_cond_signal (&counter->cond);
  g_mutex_unlock (&counter->lock);
}

static void
counter_wait (Counter *counter)
{
  g_mutex_lock (&counter->lock);
  while (counter->count < counter->target)
    g_cond_wait (&counter->cond, &counter->lock);
  g_mutex_unlock (&counter->lock);
}

/* --- A sender with a window, as an application would write it --------------- */

#define WINDOW 64

typedef struct {
  MsrpSession *session;
  const char *content_type;
  GBytes *body;
  guint to_start;
} Sender;

static void sender_next (Sender *sender);

static void
sent (GObject *source, GAsyncResult *result, gpointer data)
{
  if (!msrp_session_send_finish (MSRP_SESSION (source), result, NULL))
    g_error ("a benchmark send failed");
  sender_next (data);
}

static void
sender_next (Sender *sender)
{
  g_autoptr(MsrpOutgoingMessage) message = NULL;

  if (sender->to_start == 0)
    {
      g_free (sender);
      return;
    }
  sender->to_start--;
  message = msrp_outgoing_message_new_bytes (sender->content_type, sender->body);
  msrp_session_send_async (sender->session, message, NULL, sent, sender);
}

typedef struct {
  gboolean from_local;
  const char *content_type;
  GBytes *body;
  guint n;
} SendArgs;

/* Sends @n messages keeping up to WINDOW in flight (on the pair's thread). */
static void
start_sending (TestPair *pair, gpointer data)
{
  SendArgs *args = data;
  guint window = MIN (WINDOW, args->n);

  for (guint i = 0; i < window; i++)
    {
      Sender *sender = g_new0 (Sender, 1);

      sender->session = args->from_local ? pair->local : pair->peer;
      sender->content_type = args->content_type;
      sender->body = args->body;
      /* Each of the WINDOW chains sends its share. */
      sender->to_start = args->n / window + (i < args->n % window);
      sender_next (sender);
    }
}

static const char *
content_type_of (GBytes *body)
{
  return g_bytes_get_size (body) == SMALL_SIZE ? "text/plain" : "application/octet-stream";
}

static void
peer_sends (TestPair *pair, GBytes *body, guint n)
{
  SendArgs args = { FALSE, content_type_of (body), body, n };

  test_pair_run (pair, start_sending, &args);
}

/* --- Receiving -------------------------------------------------------------- */

static void
on_local_received (MsrpSession *session, MsrpIncomingMessage *message, Counter *counter)
{
  counter_add (counter);
}

static void
connect_counter (TestPair *pair, gpointer data)
{
  g_signal_connect (pair->local, "message-received", G_CALLBACK (on_local_received), data);
}

static void
disconnect_counter (TestPair *pair, gpointer data)
{
  g_signal_handlers_disconnect_by_data (pair->local, data);
}

static double
receive_lib (TestPair *pair, GBytes *body, guint n)
{
  Counter counter = { .target = n };
  gint64 start;
  double seconds;

  test_pair_run (pair, connect_counter, &counter);
  start = g_get_monotonic_time ();
  peer_sends (pair, body, n);
  counter_wait (&counter);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  test_pair_run (pair, disconnect_counter, &counter);
  return seconds;
}

static GstPadProbeReturn
count_buffer (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  counter_add (data);
  return GST_PAD_PROBE_OK;
}

static double
receive_gst (TestPair *pair, GBytes *body, guint n)
{
  GstElement *pipeline = test_parse ("msrpsrc name=src ! fakesink name=sink sync=false");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (test_child (pipeline, "sink"), "sink");
  Counter counter = { .target = n };
  gint64 start;
  double seconds;

  g_object_set (test_child (pipeline, "src"), "session", pair->local, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &counter, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE);
  start = g_get_monotonic_time ();
  peer_sends (pair, body, n);
  counter_wait (&counter);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return seconds;
}

/* --- Sending ---------------------------------------------------------------- */

static double
send_lib (TestPair *pair, GBytes *body, guint n)
{
  SendArgs args = { TRUE, content_type_of (body), body, n };
  guint before = pair->n_received;
  gint64 start = g_get_monotonic_time ();

  test_pair_run (pair, start_sending, &args);
  test_pair_wait_received (pair, before + n);
  return (g_get_monotonic_time () - start) / 1e6;
}

static double
send_gst (TestPair *pair, GBytes *body, guint n)
{
  g_autofree char *description = g_strdup_printf (
    "appsrc name=in block=true caps=application/x-msrp,content-type=%s "
    "! msrpsink name=out close-on-eos=false", content_type_of (body));
  GstElement *pipeline = test_parse (description);
  guint before = pair->n_received;
  gint64 start;
  double seconds;

  g_object_set (test_child (pipeline, "out"), "session", pair->local, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_element_get_state (pipeline, NULL, NULL, GST_CLOCK_TIME_NONE);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    gst_app_src_push_buffer (GST_APP_SRC (test_child (pipeline, "in")),
                             gst_buffer_new_wrapped_bytes (body));
  test_pair_wait_received (pair, before + n);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return seconds;
}

/* --- Runs ------------------------------------------------------------------- */

static void
set_chunk_size (TestPair *pair, gpointer data)
{
  msrp_session_set_chunk_size (pair->local, GPOINTER_TO_UINT (data));
  msrp_session_set_chunk_size (pair->peer, GPOINTER_TO_UINT (data));
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values)
{
  double sorted[RUNS];

  memcpy (sorted, values, sizeof sorted);
  qsort (sorted, RUNS, sizeof (double), compare_doubles);
  return sorted[RUNS / 2];
}

typedef double (*Measure) (TestPair *pair, GBytes *body, guint n);

typedef struct {
  const char *name;
  const char *unit;
  Measure lib;
  Measure element;
  gboolean bulk;
  double lib_rate[RUNS];
  double gst_rate[RUNS];
  double ratio[RUNS];
} Case;

int
main (int argc, char **argv)
{
  Case cases[] = {
    { "gst-src-msgs", "msg/s", receive_lib, receive_gst, FALSE },
    { "gst-src-bulk", "MB/s", receive_lib, receive_gst, TRUE },
    { "gst-sink-msgs", "msg/s", send_lib, send_gst, FALSE },
    { "gst-sink-bulk", "MB/s", send_lib, send_gst, TRUE },
  };
  g_autofree char *text = g_strnfill (SMALL_SIZE, 'x');
  g_autoptr(GBytes) small = g_bytes_new (text, SMALL_SIZE);
  g_autoptr(GBytes) big = test_random_bytes (BULK_SIZE, 4975);
  TestPair *pair;

  gst_init (&argc, &argv);
  pair = test_pair_new ();
  pair->count_only = TRUE;

  for (guint run = 0; run < RUNS; run++)
    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        Case *k = &cases[c];

        if (argc > 1 && strcmp (argv[1], k->name) != 0)
          continue;
        {
        guint n = k->bulk ? BULK_N : SMALL_N;
        GBytes *body = k->bulk ? big : small;
        double units = k->bulk ? (double) BULK_N * BULK_SIZE / 1e6 : SMALL_N;

        test_pair_run (pair, set_chunk_size,
                       GUINT_TO_POINTER (k->bulk ? BULK_CHUNK : MSRP_SESSION_DEFAULT_CHUNK_SIZE));
        /* Alternate which goes first, so neither always gets a warm cache. */
        if (run % 2 == 0)
          {
            k->lib_rate[run] = units / k->lib (pair, body, n);
            k->gst_rate[run] = units / k->element (pair, body, n);
          }
        else
          {
            k->gst_rate[run] = units / k->element (pair, body, n);
            k->lib_rate[run] = units / k->lib (pair, body, n);
          }
        k->ratio[run] = k->gst_rate[run] / k->lib_rate[run];
        }
      }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      if (argc > 1 && strcmp (argv[1], cases[c].name) != 0)
        continue;
      g_print ("RESULT %s %.1f %s\n", cases[c].name, median (cases[c].gst_rate), cases[c].unit);
      g_print ("RESULT %s-lib %.1f %s\n", cases[c].name, median (cases[c].lib_rate), cases[c].unit);
      g_print ("RESULT %s-ratio %.3f ratio\n", cases[c].name, median (cases[c].ratio));
    }
  if (argc == 1)
    {
      g_print ("RESULT gst-src-ratio %.3f ratio\n",
               MIN (median (cases[0].ratio), median (cases[1].ratio)));
      g_print ("RESULT gst-sink-ratio %.3f ratio\n",
               MIN (median (cases[2].ratio), median (cases[3].ratio)));
    }
  test_pair_free (pair);
  return 0;
}
