/* test-pipelines.c: msrpsrc and msrpsink in whole pipelines: the symmetry
 * appsrc ! msrpsink -> msrpsrc ! appsink, a two-way chat on one session,
 * state changes, pipeline EOS, text over live video, a Matroska recording
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <string.h>

#include "gstmsrpmeta.h"
#include "msrp-gst-test.h"

static gboolean
have_elements (const char *first, ...)
{
  va_list args;
  gboolean ok = TRUE;

  va_start (args, first);
  for (const char *name = first; name != NULL; name = va_arg (args, const char *))
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);
      if (factory == NULL)
        {
          g_test_skip_printf ("no %s element", name);
          ok = FALSE;
          break;
        }
    }
  va_end (args);
  return ok;
}

static void
stop (GstElement *pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_NULL), ==, GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

static GstBuffer *
pull_buffer (GstElement *appsink)
{
  g_autoptr(GstSample) sample =
    gst_app_sink_try_pull_sample (GST_APP_SINK (appsink), TEST_WAIT_SECONDS * GST_SECOND);

  g_assert_nonnull (sample);
  return gst_buffer_ref (gst_sample_get_buffer (sample));
}

/* --- Symmetry ------------------------------------------------------------- */

typedef struct {
  const char *caps;
  const char *content_type;
  gsize size;
} SymmetryCase;

/* What appsrc ! msrpsink sends, msrpsrc ! appsink gives back byte for
 * byte, with the meta; EOS on the sending side ends the receiving one. */
static void
test_symmetry (gconstpointer data)
{
  const SymmetryCase *c = data;
  TestPair *pair = test_pair_new ();
  GstElement *sender = test_parse ("appsrc name=in format=time ! msrpsink name=out");
  GstElement *receiver = test_parse ("msrpsrc name=in ! appsink name=out sync=false");
  GstElement *appsink = test_child (receiver, "out");
  g_autoptr(GstCaps) caps = gst_caps_from_string (c->caps);
  g_autoptr(GBytes) body = c->size ? test_random_bytes (c->size, c->size)
                                   : g_bytes_new_static ("Hello, \xc3\xa9t\xc3\xa9!", 13);
  gsize size = g_bytes_get_size (body);
  g_autoptr(GstBuffer) got = NULL;
  GstMsrpMessageMeta *meta;
  GstMapInfo map;

  g_object_set (test_child (sender, "out"), "session", pair->local, "chunk-size", 16384, NULL);
  g_object_set (test_child (sender, "in"), "caps", caps, NULL);
  g_object_set (test_child (receiver, "in"), "session", pair->peer, NULL);
  gst_element_set_state (receiver, GST_STATE_PLAYING);
  gst_element_set_state (sender, GST_STATE_PLAYING);

  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (test_child (sender, "in")),
                                            gst_buffer_new_wrapped_bytes (body)), ==, GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (test_child (sender, "in")));

  got = pull_buffer (appsink);
  g_assert_true (gst_buffer_map (got, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, g_bytes_get_data (body, NULL), size);
  gst_buffer_unmap (got, &map);
  meta = gst_buffer_get_msrp_message_meta (got);
  g_assert_nonnull (meta);
  g_assert_cmpstr (meta->content_type, ==, c->content_type);
  g_assert_cmpuint (meta->size, ==, size);
  g_assert_cmpstr (meta->from_path, ==, "msrp://127.0.0.1:7002/local;tcp");

  test_wait_eos (sender);
  test_wait_eos (receiver);
  stop (sender);
  stop (receiver);
  test_pair_free (pair);
}

/* --- A two-way chat, one session shared by a source and a sink ----------- */

static GstElement *
chat_end (MsrpSession *session)
{
  GstElement *pipeline =
    test_parse ("appsrc name=in format=time caps=text/x-raw,format=utf8 "
           "! msrpsink name=out close-on-eos=false  msrpsrc name=src ! appsink name=got sync=false");

  g_object_set (test_child (pipeline, "out"), "session", session, NULL);
  g_object_set (test_child (pipeline, "src"), "session", session, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  return pipeline;
}

static void
say (GstElement *pipeline, const char *text)
{
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (test_child (pipeline, "in")),
                                            gst_buffer_new_memdup (text, strlen (text))),
                   ==, GST_FLOW_OK);
}

static void
hear (GstElement *pipeline, const char *text)
{
  g_autoptr(GstBuffer) buffer = pull_buffer (test_child (pipeline, "got"));
  GstMapInfo map;

  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, text, strlen (text));
  gst_buffer_unmap (buffer, &map);
}

static void
test_two_way_chat (void)
{
  TestPair *pair = test_pair_new ();
  GstElement *alice = chat_end (pair->local);
  GstElement *bob = chat_end (pair->peer);

  say (alice, "Hi Bob");
  hear (bob, "Hi Bob");
  say (bob, "Hi Alice");
  hear (alice, "Hi Alice");
  say (alice, "Bye");
  say (alice, "for now");
  hear (bob, "Bye");
  hear (bob, "for now");
  stop (alice);
  stop (bob);
  test_pair_free (pair);
}

/* --- State changes ----------------------------------------------------------- */

static void
set_state (GstElement *pipeline, GstState state)
{
  GstStateChangeReturn ret = gst_element_set_state (pipeline, state);

  g_assert_cmpint (ret, !=, GST_STATE_CHANGE_FAILURE);
  ret = gst_element_get_state (pipeline, NULL, NULL, TEST_WAIT_SECONDS * GST_SECOND);
  g_assert_cmpint (ret, !=, GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (ret, !=, GST_STATE_CHANGE_ASYNC);
}

/* NULL <-> PLAYING, PAUSED <-> PLAYING, READY <-> PLAYING, over and over,
 * with messages coming and without: no hang, and (under valgrind) no leak. */
static void
test_state_changes (void)
{
  TestPair *pair = test_pair_new ();
  GstElement *pipeline = test_parse ("msrpsrc name=src ! fakesink sync=true "
                                "appsrc name=in format=time caps=text/x-raw,format=utf8 "
                                "! msrpsink name=out close-on-eos=false");

  g_object_set (test_child (pipeline, "src"), "session", pair->peer, NULL);
  g_object_set (test_child (pipeline, "out"), "session", pair->peer, NULL);
  for (guint i = 0; i < 10; i++)
    {
      set_state (pipeline, GST_STATE_PLAYING);
      if (i % 2 == 0)
        {
          say (pipeline, "pong");
          test_pair_send_text (pair, "ping");
        }
      set_state (pipeline, i % 3 == 0 ? GST_STATE_NULL : i % 3 == 1 ? GST_STATE_READY
                                                                     : GST_STATE_PAUSED);
    }
  set_state (pipeline, GST_STATE_PLAYING);
  stop (pipeline);
  test_pair_free (pair);
}

/* gst-launch -e: an EOS sent to the pipeline ends a source that waits for
 * messages. */
static void
test_pipeline_eos (void)
{
  TestPair *pair = test_pair_new ();
  GstElement *pipeline = test_parse ("msrpsrc name=in ! fakesink");

  g_object_set (test_child (pipeline, "in"), "session", pair->local, NULL);
  set_state (pipeline, GST_STATE_PLAYING);
  g_assert_true (gst_element_send_event (pipeline, gst_event_new_eos ()));
  test_wait_eos (pipeline);
  stop (pipeline);
  test_pair_free (pair);
}

/* --- Text over live video -------------------------------------------------- */

typedef struct {
  TestPair *pair;
  guint count;
  /* Frame numbers at which the peer sends a message. */
  guint send_at[2];
} Counter;

static GstPadProbeReturn
count_buffers (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Counter *counter = data;

  counter->count++;
  for (guint i = 0; i < G_N_ELEMENTS (counter->send_at); i++)
    if (counter->pair != NULL && counter->count == counter->send_at[i])
      test_pair_send_text (counter->pair, "a line of chat");
  return GST_PAD_PROBE_OK;
}

/* Calls @probe with @data for every buffer through a pad. */
static void
probe_buffers (GstElement *pipeline, const char *element, const char *pad_name,
               GstPadProbeCallback probe, gpointer data)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (test_child (pipeline, element), pad_name);

  g_assert_nonnull (pad);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, probe, data, NULL);
}

static void
count_on (GstElement *pipeline, const char *element, const char *pad_name, Counter *counter)
{
  probe_buffers (pipeline, element, pad_name, count_buffers, counter);
}

/* textoverlay holds every frame until the text stream has reached it: with
 * msrpsrc's GAPs every frame goes through, while messages come and while
 * none does (without them the pipeline would stall at the first frame). */
static void
test_textoverlay (void)
{
  TestPair *pair;
  GstElement *pipeline;
  Counter video = { 0 }, out = { 0 }, text = { 0 };

  if (!have_elements ("textoverlay", "videotestsrc", NULL))
    return;
  pair = test_pair_new ();
  pipeline = test_parse ("videotestsrc name=v is-live=true num-buffers=75 "
                    "! video/x-raw,width=160,height=120,framerate=25/1 "
                    "! textoverlay name=o ! fakesink name=sink sync=true "
                    "msrpsrc name=chat display-duration=1000000000 ! o.text_sink");
  g_object_set (test_child (pipeline, "chat"), "session", pair->local, NULL);
  video.pair = pair;
  video.send_at[0] = 20;
  video.send_at[1] = 40;
  count_on (pipeline, "v", "src", &video);
  count_on (pipeline, "sink", "sink", &out);
  count_on (pipeline, "o", "text_sink", &text);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  test_wait_eos (pipeline);
  g_assert_cmpuint (video.count, ==, 75);
  g_assert_cmpuint (out.count, ==, 75);
  g_assert_cmpuint (text.count, ==, 2);
  stop (pipeline);
  test_pair_free (pair);
}

/* --- Recording chat as a subtitle track of Matroska ------------------------ */

typedef struct {
  GstClockTime pts[8];
  GstClockTime duration[8];
  char *text[8];
  guint n;
} TextLog;

static GstPadProbeReturn
log_text (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  TextLog *log = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;

  g_assert_cmpuint (log->n, <, G_N_ELEMENTS (log->pts));
  log->pts[log->n] = GST_BUFFER_PTS (buffer);
  log->duration[log->n] = GST_BUFFER_DURATION (buffer);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  log->text[log->n] = g_strndup ((const char *) map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  log->n++;
  return GST_PAD_PROBE_OK;
}

static void
log_on (GstElement *pipeline, const char *element, const char *pad_name, TextLog *log)
{
  probe_buffers (pipeline, element, pad_name, log_text, log);
}

static void
text_log_clear (TextLog *log)
{
  for (guint i = 0; i < log->n; i++)
    g_free (log->text[i]);
}

/* Audio and video from live sources encoded and muxed with the chat as
 * subtitles: no frame is lost around the messages, and the text comes
 * back from the file with the timestamps and durations msrpsrc gave it. */
static void
test_matroska (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *description = NULL;
  TestPair *pair;
  GstElement *pipeline;
  Counter video_in = { 0 }, video_enc = { 0 }, audio_in = { 0 }, audio_enc = { 0 };
  Counter video_back = { 0 }, audio_back = { 0 };
  TextLog sent = { 0 }, back = { 0 };

  if (!have_elements ("matroskamux", "matroskademux", "vp8enc", "opusenc", NULL))
    return;
  dir = g_dir_make_tmp ("msrp-mkv-XXXXXX", NULL);
  file = g_build_filename (dir, "chat.mkv", NULL);
  pair = test_pair_new ();
  description = g_strdup_printf (
    "matroskamux name=mux ! filesink location=%s "
    "videotestsrc name=v is-live=true num-buffers=75 ! video/x-raw,width=160,height=120,framerate=25/1 "
    "! vp8enc name=ve deadline=1 ! queue ! mux. "
    "audiotestsrc name=a is-live=true num-buffers=150 samplesperbuffer=960 ! audio/x-raw,rate=48000 "
    "! audioconvert ! opusenc name=ae ! queue ! mux. "
    "msrpsrc name=chat ! queue ! mux.subtitle_%%u", file);
  pipeline = test_parse (description);
  g_object_set (test_child (pipeline, "chat"), "session", pair->local, NULL);
  video_in.pair = pair;
  video_in.send_at[0] = 25;
  video_in.send_at[1] = 50;
  count_on (pipeline, "v", "src", &video_in);
  count_on (pipeline, "ve", "src", &video_enc);
  count_on (pipeline, "a", "src", &audio_in);
  count_on (pipeline, "ae", "src", &audio_enc);
  log_on (pipeline, "chat", "src", &sent);

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  /* Audio and video end by themselves; the chat when the peer leaves,
   * which may be long before (the muxer goes on with the others). */
  test_pair_wait_sends (pair, 2);
  test_pair_close_peer (pair);
  test_wait_eos (pipeline);
  stop (pipeline);
  g_assert_cmpuint (sent.n, ==, 2);

  g_free (description);
  description = g_strdup_printf (
    "filesrc location=%s ! matroskademux name=d "
    "d.video_0 ! fakesink name=vs async=false d.audio_0 ! fakesink name=as async=false "
    "d.subtitle_0 ! fakesink name=ts async=false", file);
  pipeline = test_parse (description);
  count_on (pipeline, "vs", "sink", &video_back);
  count_on (pipeline, "as", "sink", &audio_back);
  log_on (pipeline, "ts", "sink", &back);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  test_wait_eos (pipeline);
  stop (pipeline);

  g_assert_cmpuint (video_in.count, ==, 75);
  g_assert_cmpuint (video_enc.count, ==, video_in.count);
  g_assert_cmpuint (video_back.count, ==, video_enc.count);
  /* opusenc makes a packet per 20 ms buffer, and may flush one more. */
  g_assert_cmpuint (audio_in.count, ==, 150);
  g_assert_cmpuint (audio_enc.count, >=, audio_in.count);
  g_assert_cmpuint (audio_back.count, ==, audio_enc.count);
  g_assert_cmpuint (back.n, ==, sent.n);
  for (guint i = 0; i < back.n; i++)
    {
      g_assert_cmpstr (back.text[i], ==, sent.text[i]);
      /* Matroska keeps milliseconds. */
      g_assert_cmpint (ABS ((gint64) back.pts[i] - (gint64) sent.pts[i]), <=, GST_MSECOND);
      g_assert_cmpuint (back.duration[i], ==, sent.duration[i]);
    }
  text_log_clear (&sent);
  text_log_clear (&back);
  g_unlink (file);
  g_rmdir (dir);
  test_pair_free (pair);
}

int
main (int argc, char **argv)
{
  static const SymmetryCase text = { "text/x-raw,format=utf8", "text/plain;charset=utf-8", 0 };
  static const SymmetryCase one_byte = {
    "application/x-msrp,content-type=application/octet-stream", "application/octet-stream", 1
  };
  static const SymmetryCase big = {
    "application/x-msrp,content-type=application/octet-stream", "application/octet-stream",
    5 * 1024 * 1024
  };

  test_gst_init (&argc, &argv);
  g_test_add_data_func ("/pipelines/symmetry/text", &text, test_symmetry);
  g_test_add_data_func ("/pipelines/symmetry/1-byte", &one_byte, test_symmetry);
  g_test_add_data_func ("/pipelines/symmetry/5-mib", &big, test_symmetry);
  g_test_add_func ("/pipelines/two-way-chat", test_two_way_chat);
  g_test_add_func ("/pipelines/state-changes", test_state_changes);
  g_test_add_func ("/pipelines/pipeline-eos", test_pipeline_eos);
  g_test_add_func ("/pipelines/textoverlay", test_textoverlay);
  g_test_add_func ("/pipelines/matroska", test_matroska);
  return g_test_run ();
}
