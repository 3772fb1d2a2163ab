/* test-msrpsrc.c: msrpsrc against the rules of live sparse text
 * (GstHarness + GstTestClock; the session is an application's over
 * loopback TCP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/app/gstappsink.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <string.h>

#include "gstmsrpmeta.h"
#include "msrp-gst-test.h"

#define MS GST_MSECOND

typedef struct {
  TestPair *pair;
  GstHarness *h;
  GstTestClock *clock;
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  fx->pair = test_pair_new ();
  fx->h = gst_harness_new ("msrpsrc");
  g_object_set (fx->h->element, "session", fx->pair->local, NULL);
  gst_harness_use_testclock (fx->h);
  fx->clock = gst_harness_get_testclock (fx->h);
}

static void
play (Fixture *fx)
{
  gst_harness_play (fx->h);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  gst_object_unref (fx->clock);
  gst_harness_teardown (fx->h);
  test_pair_free (fx->pair);
}

/* The next event, which must be of @type. GstBaseSrc repeats the segment
 * with the first buffer (the one the source pushed itself went first, see
 * first-gap): repeats are skipped. */
static GstEvent *
pull_event (Fixture *fx, GstEventType type)
{
  GstEvent *event = gst_harness_pull_event (fx->h);

  g_assert_nonnull (event);
  while (type != GST_EVENT_SEGMENT && GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT)
    {
      gst_event_unref (event);
      event = gst_harness_pull_event (fx->h);
      g_assert_nonnull (event);
    }
  if (GST_EVENT_TYPE (event) != type)
    g_error ("expected %s, got %s", gst_event_type_get_name (type), GST_EVENT_TYPE_NAME (event));
  return event;
}

/* Pulls stream-start, caps, segment and the first GAP. */
static void
pull_start (Fixture *fx)
{
  gst_event_unref (pull_event (fx, GST_EVENT_STREAM_START));
  gst_event_unref (pull_event (fx, GST_EVENT_CAPS));
  gst_event_unref (pull_event (fx, GST_EVENT_SEGMENT));
  gst_event_unref (pull_event (fx, GST_EVENT_GAP));
}

static void
pull_gap (Fixture *fx, GstClockTime *start, GstClockTime *duration)
{
  g_autoptr(GstEvent) event = pull_event (fx, GST_EVENT_GAP);

  gst_event_parse_gap (event, start, duration);
}

/* Advances the test clock to the GAP the source waits for. */
static void
crank (Fixture *fx)
{
  g_assert_true (gst_harness_crank_single_clock_wait (fx->h));
}

static GstBuffer *
pull_buffer (Fixture *fx)
{
  GstBuffer *buffer = gst_harness_pull (fx->h);

  g_assert_nonnull (buffer);
  return buffer;
}

static void
assert_buffer_text (GstBuffer *buffer, const char *text)
{
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, text, strlen (text));
  gst_buffer_unmap (buffer, &map);
}

/* R2: stream-start is sparse and carries a GstStream of type TEXT. */
static void
test_stream_start (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstEvent) event = NULL;
  g_autoptr(GstStream) stream = NULL;
  GstStreamFlags flags = 0;

  play (fx);
  event = pull_event (fx, GST_EVENT_STREAM_START);
  gst_event_parse_stream_flags (event, &flags);
  g_assert_true (flags & GST_STREAM_FLAG_SPARSE);
  gst_event_parse_stream (event, &stream);
  g_assert_nonnull (stream);
  g_assert_cmpint (gst_stream_get_stream_type (stream), ==, GST_STREAM_TYPE_TEXT);
  g_assert_true (gst_stream_get_stream_flags (stream) & GST_STREAM_FLAG_SPARSE);
}

/* R1: fixed text/x-raw, format=utf8. */
static void
test_caps (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstEvent) event = NULL;
  g_autoptr(GstCaps) expected = gst_caps_from_string ("text/x-raw, format=(string)utf8");
  GstCaps *caps;

  play (fx);
  gst_event_unref (pull_event (fx, GST_EVENT_STREAM_START));
  event = pull_event (fx, GST_EVENT_CAPS);
  gst_event_parse_caps (event, &caps);
  g_assert_true (gst_caps_is_fixed (caps));
  g_assert_true (gst_caps_is_equal (caps, expected));
}

/* R3: SEGMENT and a first GAP as soon as it plays, before any message. */
static void
test_first_gap (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstEvent) segment_event = NULL;
  const GstSegment *segment;
  GstClockTime start, duration;

  play (fx);
  gst_event_unref (pull_event (fx, GST_EVENT_STREAM_START));
  gst_event_unref (pull_event (fx, GST_EVENT_CAPS));
  segment_event = pull_event (fx, GST_EVENT_SEGMENT);
  gst_event_parse_segment (segment_event, &segment);
  g_assert_cmpint (segment->format, ==, GST_FORMAT_TIME);
  pull_gap (fx, &start, &duration);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (duration, ==, 0);
  g_assert_cmpuint (gst_harness_buffers_received (fx->h), ==, 0);
}

static char *
pull_language (Fixture *fx)
{
  g_autoptr(GstEvent) event = pull_event (fx, GST_EVENT_TAG);
  GstTagList *tags;
  char *code = NULL;

  gst_event_parse_tag (event, &tags);
  g_assert_cmpint (gst_tag_list_get_scope (tags), ==, GST_TAG_SCOPE_STREAM);
  if (!gst_tag_list_get_string (tags, GST_TAG_LANGUAGE_CODE, &code))
    g_assert_null (code);
  return code;
}

/* The peer's a=lang, set as language, goes downstream as the stream's
 * language-code tag after the segment, and again when it changes. */
static void
test_language (Fixture *fx, gconstpointer data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *cleared = NULL;

  g_object_set (fx->h->element, "language", "pt-BR", NULL);
  play (fx);
  gst_event_unref (pull_event (fx, GST_EVENT_STREAM_START));
  gst_event_unref (pull_event (fx, GST_EVENT_CAPS));
  gst_event_unref (pull_event (fx, GST_EVENT_SEGMENT));
  first = pull_language (fx);
  g_assert_cmpstr (first, ==, "pt");
  gst_event_unref (pull_event (fx, GST_EVENT_GAP));

  g_object_set (fx->h->element, "language", "DE", NULL);
  crank (fx);
  second = pull_language (fx);
  g_assert_cmpstr (second, ==, "de");
  gst_event_unref (pull_event (fx, GST_EVENT_GAP));

  /* No ISO 639 code in it: the tag goes. */
  g_object_set (fx->h->element, "language", "x-klingon", NULL);
  crank (fx);
  cleared = pull_language (fx);
  g_assert_null (cleared);
}

/* R4: contiguous GAPs every gap-interval, driven by the clock. */
static void
test_gap_cadence (Fixture *fx, gconstpointer data)
{
  GstClockTime interval = GPOINTER_TO_UINT (data) * MS;
  GstClockTime start, duration;

  g_object_set (fx->h->element, "gap-interval", interval, NULL);
  play (fx);
  pull_start (fx);
  for (guint i = 0; i < 5; i++)
    {
      crank (fx);
      pull_gap (fx, &start, &duration);
      g_assert_cmpuint (start, ==, i * interval);
      g_assert_cmpuint (duration, ==, interval);
    }
}

/* R6: live, min = gap-interval, max = none. */
static void
test_latency (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstQuery) query = gst_query_new_latency ();
  gboolean live = FALSE;
  GstClockTime min = 0, max = 0;

  g_object_set (fx->h->element, "gap-interval", 40 * MS, NULL);
  play (fx);
  g_assert_true (gst_pad_peer_query (fx->h->sinkpad, query));
  gst_query_parse_latency (query, &live, &min, &max);
  g_assert_true (live);
  g_assert_cmpuint (min, ==, 40 * MS);
  g_assert_cmpuint (max, ==, GST_CLOCK_TIME_NONE);
}

/* R5, R7: one message = one buffer, PTS = running time of arrival,
 * display-duration, DISCONT on the first, the meta; GAPs go on while it is
 * shown, from its PTS. */
static void
test_message (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstBuffer) first = NULL;
  g_autoptr(GstBuffer) second = NULL;
  GstMsrpMessageMeta *meta;
  GstClockTime start, duration;

  play (fx);
  pull_start (fx);
  crank (fx);
  pull_gap (fx, &start, &duration);
  g_assert_cmpuint (start + duration, ==, 100 * MS);

  gst_test_clock_set_time (fx->clock, 130 * MS);
  test_pair_send_text (fx->pair, "hello");
  first = pull_buffer (fx);
  assert_buffer_text (first, "hello");
  g_assert_cmpuint (GST_BUFFER_PTS (first), ==, 130 * MS);
  g_assert_false (GST_BUFFER_DTS_IS_VALID (first));
  g_assert_cmpuint (GST_BUFFER_DURATION (first), ==, 4 * GST_SECOND);
  g_assert_true (GST_BUFFER_FLAG_IS_SET (first, GST_BUFFER_FLAG_DISCONT));
  meta = gst_buffer_get_msrp_message_meta (first);
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->content_type, ==, "text/plain");
  g_assert_cmpstr (meta->from_path, ==, "msrp://127.0.0.1:7001/peer;tcp");
  g_assert_cmpuint (meta->size, ==, 5);
  g_assert_cmpuint (strlen (meta->message_id), >, 0);

  /* The next GAP starts at the message. */
  crank (fx);
  pull_gap (fx, &start, &duration);
  g_assert_cmpuint (start, ==, 130 * MS);
  g_assert_cmpuint (start + duration, ==, 230 * MS);

  g_object_set (fx->h->element, "display-duration", 2 * GST_SECOND, NULL);
  test_pair_send_text (fx->pair, "world");
  second = pull_buffer (fx);
  assert_buffer_text (second, "world");
  g_assert_cmpuint (GST_BUFFER_PTS (second), ==, 230 * MS);
  g_assert_cmpuint (GST_BUFFER_DURATION (second), ==, 2 * GST_SECOND);
  g_assert_false (GST_BUFFER_FLAG_IS_SET (second, GST_BUFFER_FLAG_DISCONT));
  g_assert_cmpstr (gst_buffer_get_msrp_message_meta (second)->message_id, !=, meta->message_id);
  test_pair_wait_sends (fx->pair, 2);
}

/* R5: never before the end of the last GAP, even when the running time
 * goes back (a new base time). */
static void
test_pts_clamp (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstBuffer) buffer = NULL;
  GstClockTime start, duration;

  play (fx);
  pull_start (fx);
  crank (fx);
  crank (fx);
  pull_gap (fx, &start, &duration);
  pull_gap (fx, &start, &duration);
  g_assert_cmpuint (start + duration, ==, 200 * MS);

  gst_element_set_base_time (fx->h->element, 150 * MS);
  test_pair_send_text (fx->pair, "late");
  buffer = pull_buffer (fx);
  g_assert_cmpuint (GST_BUFFER_PTS (buffer), ==, 200 * MS);
}

/* R1: charset conversion, bad bytes replaced, no NUL or newline added;
 * R7: display-duration 0 scales with the length. */
static void
test_text_conversion (Fixture *fx, gconstpointer data)
{
  static const char latin1[] = "caf\xe9";
  static const char broken[] = "ok\xff\xfe";
  g_autoptr(GBytes) latin1_body = g_bytes_new_static (latin1, 4);
  g_autoptr(GBytes) broken_body = g_bytes_new_static (broken, 4);
  g_autoptr(GstBuffer) a = NULL;
  g_autoptr(GstBuffer) b = NULL;
  g_autoptr(GstBuffer) c = NULL;
  g_autofree char *long_text = g_strnfill (200, 'x');

  g_object_set (fx->h->element, "display-duration", G_GUINT64_CONSTANT (0), NULL);
  play (fx);
  pull_start (fx);
  test_pair_send (fx->pair, "text/plain; charset=\"ISO-8859-1\"", latin1_body);
  a = pull_buffer (fx);
  assert_buffer_text (a, "caf\xc3\xa9");
  g_assert_cmpuint (gst_buffer_get_msrp_message_meta (a)->size, ==, 4);
  /* 1.5 s + 4 x 60 ms is below the minimum. */
  g_assert_cmpuint (GST_BUFFER_DURATION (a), ==, 2 * GST_SECOND);

  test_pair_send (fx->pair, "text/plain;charset=utf-8", broken_body);
  b = pull_buffer (fx);
  assert_buffer_text (b, "ok\xef\xbf\xbd\xef\xbf\xbd");

  test_pair_send_text (fx->pair, long_text);
  c = pull_buffer (fx);
  g_assert_cmpuint (GST_BUFFER_DURATION (c), ==, 7 * GST_SECOND);
}

/* Images keep their caps, other types become application/x-msrp; the caps
 * change with the messages. */
static void
test_other_types (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) png = test_random_bytes (1000, 1);
  g_autoptr(GBytes) pdf = test_random_bytes (3000, 2);
  g_autoptr(GstBuffer) a = NULL;
  g_autoptr(GstBuffer) b = NULL;
  g_autoptr(GstBuffer) c = NULL;
  g_autoptr(GstEvent) png_caps = NULL;
  g_autoptr(GstEvent) pdf_caps = NULL;
  g_autoptr(GstEvent) text_caps = NULL;
  GstCaps *caps;
  GstMapInfo map;

  play (fx);
  pull_start (fx);
  test_pair_send (fx->pair, "image/png", png);
  a = pull_buffer (fx);
  png_caps = pull_event (fx, GST_EVENT_CAPS);
  gst_event_parse_caps (png_caps, &caps);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "image/png"));
  g_assert_true (gst_buffer_map (a, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, g_bytes_get_data (png, NULL), 1000);
  gst_buffer_unmap (a, &map);

  test_pair_send (fx->pair, "application/pdf", pdf);
  b = pull_buffer (fx);
  pdf_caps = pull_event (fx, GST_EVENT_CAPS);
  gst_event_parse_caps (pdf_caps, &caps);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "application/x-msrp"));
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (caps, 0), "content-type"), ==,
                   "application/pdf");
  g_assert_cmpuint (gst_buffer_get_size (b), ==, 3000);

  test_pair_send_text (fx->pair, "back to text");
  c = pull_buffer (fx);
  text_caps = pull_event (fx, GST_EVENT_CAPS);
  gst_event_parse_caps (text_caps, &caps);
  g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "text/x-raw"));
}

/* R8: EOS when the peer closes cleanly, after what was queued. */
static void
test_eos (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstBuffer) buffer = NULL;

  play (fx);
  pull_start (fx);
  test_pair_send_text (fx->pair, "last words");
  /* Without the wait, the message and the close may be read in one go:
   * the message still comes first. */
  if (GPOINTER_TO_INT (data))
    test_pair_wait_sends (fx->pair, 1);
  test_pair_close_peer (fx->pair);
  buffer = pull_buffer (fx);
  assert_buffer_text (buffer, "last words");
  for (;;)
    {
      g_autoptr(GstEvent) event = gst_harness_pull_event (fx->h);

      g_assert_nonnull (event);
      if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
        break;
      g_assert_true (GST_EVENT_TYPE (event) == GST_EVENT_GAP ||
                     GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT);
    }
}

/* A connection that fails is an element error with the GError's text. */
static void
test_error (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstBus) bus = gst_bus_new ();
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  gst_element_set_bus (fx->h->element, bus);
  play (fx);
  pull_start (fx);
  test_pair_abort_peer (fx->pair);
  message = test_bus_wait (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, NULL);
  g_assert_true (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  g_assert_nonnull (strstr (error->message, "reset"));
  gst_element_set_bus (fx->h->element, NULL);
}

static void
test_closed_session (void)
{
  TestPair *pair = test_pair_new ();
  GstElement *src = gst_element_factory_make ("msrpsrc", NULL);
  GstBus *bus = gst_bus_new ();
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  test_pair_close_peer (pair);
  test_pair_wait_peer_closed (pair);
  g_object_set (src, "session", pair->peer, NULL);
  gst_element_set_bus (src, bus);
  g_assert_cmpint (gst_element_set_state (src, GST_STATE_PAUSED), ==, GST_STATE_CHANGE_FAILURE);
  message = test_bus_wait (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, NULL);
  g_assert_nonnull (strstr (error->message, "closed"));
  gst_element_set_state (src, GST_STATE_NULL);
  gst_element_set_bus (src, NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  test_pair_free (pair);
}

/* A slow downstream: with max-queued=2 the source stops reading while two
 * messages wait, and reads on once they went out; every message comes, in
 * order, each with its own meta (the From-Path text is reused from one
 * message to the next). */
static void
test_back_pressure (void)
{
  TestPair *pair = test_pair_new ();
  GstElement *pipeline =
    test_parse ("msrpsrc name=src max-queued=2 ! appsink name=out sync=false max-buffers=1");
  GstAppSink *out = GST_APP_SINK (test_child (pipeline, "out"));
  char text[16];

  g_object_set (test_child (pipeline, "src"), "session", pair->local, NULL);
  test_play (pipeline);
  for (guint i = 0; i < 20; i++)
    {
      g_snprintf (text, sizeof text, "message %u", i);
      test_pair_send_text (pair, text);
    }
  /* The sends finish only as the source reads on. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (out, TEST_WAIT_SECONDS * GST_SECOND);
      GstMsrpMessageMeta *meta;

      g_assert_nonnull (sample);
      g_snprintf (text, sizeof text, "message %u", i);
      assert_buffer_text (gst_sample_get_buffer (sample), text);
      meta = gst_buffer_get_msrp_message_meta (gst_sample_get_buffer (sample));
      g_assert_cmpstr (meta->from_path, ==, "msrp://127.0.0.1:7001/peer;tcp");
    }
  test_pair_wait_sends (pair, 20);
  test_stop (pipeline);
  test_pair_free (pair);
}

int
main (int argc, char **argv)
{
  test_gst_init (&argc, &argv);

#define ADD(path, func, data)                                                 \
  g_test_add ("/msrpsrc/" path, Fixture, data, setup, func, teardown)
  ADD ("stream-start-sparse", test_stream_start, NULL);
  ADD ("caps-utf8", test_caps, NULL);
  ADD ("first-gap", test_first_gap, NULL);
  ADD ("language", test_language, NULL);
  ADD ("gap-cadence-100ms", test_gap_cadence, GUINT_TO_POINTER (100));
  ADD ("gap-cadence-40ms", test_gap_cadence, GUINT_TO_POINTER (40));
  ADD ("latency", test_latency, NULL);
  ADD ("message", test_message, NULL);
  ADD ("pts-clamp", test_pts_clamp, NULL);
  ADD ("text-conversion", test_text_conversion, NULL);
  ADD ("other-types", test_other_types, NULL);
  ADD ("eos", test_eos, GINT_TO_POINTER (TRUE));
  ADD ("eos-right-after-message", test_eos, GINT_TO_POINTER (FALSE));
  ADD ("error", test_error, NULL);
#undef ADD
  g_test_add_func ("/msrpsrc/closed-session", test_closed_session);
  g_test_add_func ("/msrpsrc/back-pressure", test_back_pressure);
  return g_test_run ();
}
