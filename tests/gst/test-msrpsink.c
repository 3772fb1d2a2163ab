/* test-msrpsink.c: msrpsink's modes, content types, reports, EOS and
 * errors (GstHarness; the session is an application's over loopback TCP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <string.h>

#include "msrp-gst-test.h"

typedef struct {
  TestPair *pair;
  GstElement *sink;
  GstHarness *h;
} Fixture;

static void
setup (Fixture *fx, gconstpointer data)
{
  fx->pair = test_pair_new ();
  fx->sink = gst_element_factory_make ("msrpsink", NULL);
  g_object_set (fx->sink, "session", fx->pair->local, "async", FALSE, NULL);
}

static void
teardown (Fixture *fx, gconstpointer data)
{
  if (fx->h != NULL)
    gst_harness_teardown (fx->h);
  gst_object_unref (fx->sink);
  test_pair_free (fx->pair);
}

/* Caps for the input; the first call also starts the sink (the harness
 * plays it), after the test set its properties. */
static void
set_caps (Fixture *fx, const char *caps)
{
  if (fx->h == NULL)
    fx->h = gst_harness_new_with_element (fx->sink, "sink", NULL);
  gst_harness_set_src_caps_str (fx->h, caps);
}

static GstFlowReturn
push_data (Fixture *fx, const void *data, gsize size)
{
  return gst_harness_push (fx->h, size ? gst_buffer_new_memdup (data, size) : gst_buffer_new ());
}

static GstFlowReturn
push_text (Fixture *fx, const char *text)
{
  return push_data (fx, text, strlen (text));
}

static void
push_eos (Fixture *fx)
{
  g_assert_true (gst_harness_push_event (fx->h, gst_event_new_eos ()));
}

static void
assert_received (Fixture *fx, guint i, const char *content_type, const char *text)
{
  const char *type = NULL;
  GBytes *body;

  test_pair_wait_received (fx->pair, i + 1);
  body = test_pair_received_bytes (fx->pair, i, &type);
  g_assert_cmpstr (type, ==, content_type);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), text, strlen (text));
}

/* One buffer is one message; text is text/plain;charset=utf-8; empty and
 * GAP buffers are skipped. */
static void
test_message_mode (Fixture *fx, gconstpointer data)
{
  GstBuffer *gap = gst_buffer_new_memdup ("gap", 3);

  set_caps (fx, "text/x-raw, format=(string)utf8");
  g_assert_cmpint (push_text (fx, "first"), ==, GST_FLOW_OK);
  g_assert_cmpint (push_data (fx, "", 0), ==, GST_FLOW_OK);
  GST_BUFFER_FLAG_SET (gap, GST_BUFFER_FLAG_GAP);
  g_assert_cmpint (gst_harness_push (fx->h, gap), ==, GST_FLOW_OK);
  g_assert_cmpint (push_text (fx, "second line\nthird"), ==, GST_FLOW_OK);
  push_eos (fx);
  assert_received (fx, 0, "text/plain;charset=utf-8", "first");
  assert_received (fx, 1, "text/plain;charset=utf-8", "second line\nthird");
  test_pair_wait_peer_closed (fx->pair);
  g_assert_cmpuint (fx->pair->received->len, ==, 2);
}

/* subparse output: pango-markup reduced to its text, one message per cue. */
static void
test_markup (Fixture *fx, gconstpointer data)
{
  set_caps (fx, "text/x-raw, format=(string)pango-markup");
  g_assert_cmpint (push_text (fx, "<i>Hello</i> &amp; welcome\nsecond <b>line</b>"), ==,
                   GST_FLOW_OK);
  g_assert_cmpint (push_text (fx, "a < b"), ==, GST_FLOW_OK);
  push_eos (fx);
  assert_received (fx, 0, "text/plain;charset=utf-8", "Hello & welcome\nsecond line");
  /* Not well-formed: sent as it is. */
  assert_received (fx, 1, "text/plain;charset=utf-8", "a < b");
}

static void
test_content_types (Fixture *fx, gconstpointer data)
{
  set_caps (fx, "application/x-msrp, content-type=(string)\"message/cpim\"");
  g_assert_cmpint (push_text (fx, "cpim"), ==, GST_FLOW_OK);
  set_caps (fx, "image/png");
  g_assert_cmpint (push_text (fx, "png"), ==, GST_FLOW_OK);
  set_caps (fx, "video/x-raw");
  g_assert_cmpint (push_text (fx, "raw"), ==, GST_FLOW_OK);
  g_object_set (fx->sink, "content-type", "application/json", NULL);
  g_assert_cmpint (push_text (fx, "{}"), ==, GST_FLOW_OK);
  push_eos (fx);
  assert_received (fx, 0, "message/cpim", "cpim");
  assert_received (fx, 1, "image/png", "png");
  assert_received (fx, 2, "application/octet-stream", "raw");
  assert_received (fx, 3, "application/json", "{}");
}

/* Line mode over a byte stream cut anywhere, also inside UTF-8
 * sequences: LF ends a line, CR is dropped, empty lines are skipped, the
 * rest is sent at EOS. */
static void
test_line_mode (Fixture *fx, gconstpointer data)
{
  static const char input[] = "caf\xc3\xa9 au lait\r\n\nsecond \xe2\x82\xac line\nno newline";
  gsize size = strlen (input);

  g_object_set (fx->sink, "mode", 1, NULL);
  set_caps (fx, "application/octet-stream");
  for (gsize off = 0; off < size; off += 3)
    g_assert_cmpint (push_data (fx, input + off, MIN (3, size - off)), ==, GST_FLOW_OK);
  push_eos (fx);
  assert_received (fx, 0, "text/plain;charset=utf-8", "caf\xc3\xa9 au lait");
  assert_received (fx, 1, "text/plain;charset=utf-8", "second \xe2\x82\xac line");
  assert_received (fx, 2, "text/plain;charset=utf-8", "no newline");
  test_pair_wait_peer_closed (fx->pair);
  g_assert_cmpuint (fx->pair->received->len, ==, 3);
}

/* Stream mode: the whole stream is one message of unknown size, ended at
 * EOS. */
static void
test_stream_mode (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) file = test_random_bytes (3 * 1024 * 1024 + 17, 7);
  const guint8 *bytes = g_bytes_get_data (file, NULL);
  gsize size = g_bytes_get_size (file);
  const char *type = NULL;
  GBytes *got;

  g_object_set (fx->sink, "mode", 2, "chunk-size", 16384, NULL);
  set_caps (fx, "application/x-msrp, content-type=(string)application/pdf");
  for (gsize off = 0; off < size; off += 4096)
    g_assert_cmpint (push_data (fx, bytes + off, MIN (4096, size - off)), ==, GST_FLOW_OK);
  push_eos (fx);
  test_pair_wait_received (fx->pair, 1);
  got = test_pair_received_bytes (fx->pair, 0, &type);
  g_assert_cmpstr (type, ==, "application/pdf");
  g_assert_true (g_bytes_equal (got, file));
}

/* A stream that stops without EOS is aborted, not delivered. */
static void
test_stream_abort (Fixture *fx, gconstpointer data)
{
  g_autoptr(GBytes) part = test_random_bytes (256 * 1024, 8);

  g_object_set (fx->sink, "mode", 2, NULL);
  set_caps (fx, "application/octet-stream");
  g_assert_cmpint (push_data (fx, g_bytes_get_data (part, NULL), g_bytes_get_size (part)), ==,
                   GST_FLOW_OK);
  gst_element_set_state (fx->sink, GST_STATE_NULL);
  test_pair_wait_failed (fx->pair, 1);
  g_assert_cmpuint (fx->pair->received->len, ==, 0);
}

/* wait-report: a buffer returns only after the peer had all of it (the
 * success report comes after that). */
static void
test_wait_report (Fixture *fx, gconstpointer data)
{
  g_object_set (fx->sink, "wait-report", TRUE, NULL);
  set_caps (fx, "text/x-raw, format=(string)utf8");
  g_assert_cmpint (push_text (fx, "reported"), ==, GST_FLOW_OK);
  g_mutex_lock (&fx->pair->lock);
  g_assert_cmpuint (fx->pair->received->len, ==, 1);
  g_mutex_unlock (&fx->pair->lock);
}

/* close-on-eos=false leaves the session open. */
static void
test_no_close_on_eos (Fixture *fx, gconstpointer data)
{
  g_object_set (fx->sink, "close-on-eos", FALSE, "wait-report", TRUE, NULL);
  set_caps (fx, "text/x-raw, format=(string)utf8");
  g_assert_cmpint (push_text (fx, "stay"), ==, GST_FLOW_OK);
  push_eos (fx);
  g_assert_false (msrp_session_is_closed (fx->pair->local));
  g_assert_false (fx->pair->peer_closed);
}

typedef struct {
  Fixture *fx;
  GstFlowReturn ret;
} PushCtx;

static gpointer
push_thread (gpointer data)
{
  PushCtx *ctx = data;

  ctx->ret = push_text (ctx->fx, "never acknowledged");
  return NULL;
}

/* A render waiting for the peer ends at a flush (unlock), without hang. */
static void
test_unlock (Fixture *fx, gconstpointer data)
{
  PushCtx ctx = { fx, GST_FLOW_OK };
  GThread *thread;

  g_object_set (fx->sink, "wait-report", TRUE, NULL);
  set_caps (fx, "text/x-raw, format=(string)utf8");
  test_pair_hold_peer (fx->pair, TRUE);
  thread = g_thread_new ("push", push_thread, &ctx);
  /* Whether the flush comes before or during render, the push ends. */
  g_usleep (G_USEC_PER_SEC / 10);
  gst_harness_push_event (fx->h, gst_event_new_flush_start ());
  g_thread_join (thread);
  g_assert_cmpint (ctx.ret, ==, GST_FLOW_FLUSHING);
  gst_harness_push_event (fx->h, gst_event_new_flush_stop (TRUE));
  test_pair_hold_peer (fx->pair, FALSE);
}

/* A failed connection makes the next buffer fail with an element error
 * that carries the reason. */
static void
test_error (Fixture *fx, gconstpointer data)
{
  g_autoptr(GstBus) bus = gst_bus_new ();
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (fx->sink, "wait-report", TRUE, NULL);
  gst_element_set_bus (fx->sink, bus);
  set_caps (fx, "text/x-raw, format=(string)utf8");
  g_assert_cmpint (push_text (fx, "before"), ==, GST_FLOW_OK);
  test_pair_abort_peer (fx->pair);
  g_assert_cmpint (push_text (fx, "after"), ==, GST_FLOW_ERROR);
  message = test_bus_wait (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (message, &error, NULL);
  g_assert_true (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE));
  g_assert_cmpstr (error->message, !=, "");
  gst_element_set_bus (fx->sink, NULL);
}

int
main (int argc, char **argv)
{
  test_gst_init (&argc, &argv);

#define ADD(path, func)                                                       \
  g_test_add ("/msrpsink/" path, Fixture, NULL, setup, func, teardown)
  ADD ("message-mode", test_message_mode);
  ADD ("markup", test_markup);
  ADD ("content-types", test_content_types);
  ADD ("line-mode", test_line_mode);
  ADD ("stream-mode", test_stream_mode);
  ADD ("stream-abort", test_stream_abort);
  ADD ("wait-report", test_wait_report);
  ADD ("no-close-on-eos", test_no_close_on_eos);
  ADD ("unlock", test_unlock);
  ADD ("error", test_error);
#undef ADD
  return g_test_run ();
}
