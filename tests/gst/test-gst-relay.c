/* test-gst-relay.c: the relay, relay-user and relay-password properties of
 * msrpsrc and msrpsink against a real Kamailio relay (RFC 4976), started
 * by tests/interop/kamailio-harness.c on a free loopback port
 *
 * Without Kamailio the tests fail, unless
 * MSRP_TESTS_ALLOW_MISSING_KAMAILIO=1 lets them skip.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

#include "gstmsrpmeta.h"
#include "kamailio-harness.h"
#include "msrp-gst-test.h"

static KamailioRelay *
start_relay (void)
{
  KamailioRelayOptions options;

  kamailio_relay_options_init (&options);
  return kamailio_relay_start_for_test (&options);
}

/* The properties that put an element behind @relay. */
static char *
relay_properties (KamailioRelay *relay, const char *password)
{
  return g_strdup_printf ("relay=\"%s\" relay-user=\"%s\" relay-password=\"%s\"", relay->uri,
                          relay->username, password ? password : relay->password);
}

/* A passive msrpsrc behind the relay: its local-path is the relay's
 * Use-Path followed by its own URI. */
static GstElement *
receiver_behind (KamailioRelay *relay, char **path)
{
  g_autofree char *properties = relay_properties (relay, NULL);
  g_autofree char *prefix = g_strdup_printf ("msrp://%s:%u/", relay->host, relay->port);
  GstElement *bob = test_receiver (properties, path);
  g_auto(GStrv) uris = g_strsplit (*path, " ", -1);

  g_assert_cmpuint (g_strv_length (uris), ==, 2);
  g_assert_true (g_str_has_prefix (uris[0], prefix));
  return bob;
}

/* The next buffer of bob's appsink: @text, from a From-Path that starts
 * with @from_prefix. */
static void
pull_from (GstElement *bob, const char *text, const char *from_prefix)
{
  g_autoptr(GstSample) sample =
    gst_app_sink_try_pull_sample (GST_APP_SINK (test_child (bob, "out")),
                                  TEST_WAIT_SECONDS * GST_SECOND);
  GstMsrpMessageMeta *meta;
  GstBuffer *buffer;
  GstMapInfo map;

  g_assert_nonnull (sample);
  buffer = gst_sample_get_buffer (sample);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
  g_assert_cmpmem (map.data, map.size, text, strlen (text));
  gst_buffer_unmap (buffer, &map);
  meta = gst_buffer_get_msrp_message_meta (buffer);
  g_assert_nonnull (meta);
  if (!g_str_has_prefix (meta->from_path, from_prefix))
    g_error ("From-Path %s does not start with %s", meta->from_path, from_prefix);
}

/* Bob's session stays registered at the relay after Alice has gone (a
 * relay does not pass a connection's end on): Alice's EOS ends her
 * pipeline, Bob is stopped. */
static void
finish (GstElement *alice, GstElement *bob)
{
  gst_app_src_end_of_stream (GST_APP_SRC (test_child (alice, "in")));
  test_wait_eos (alice);
  test_stop (alice);
  test_stop (bob);
}

/* msrpsrc behind the relay, msrpsink connecting to the relay directly (as
 * a peer that is not behind one does). */
static void
test_receiver_behind_relay (void)
{
  KamailioRelay *relay = start_relay ();
  g_autofree char *path = NULL;
  g_autofree char *properties = NULL;
  GstElement *alice, *bob;

  if (relay == NULL)
    return;
  bob = receiver_behind (relay, &path);
  properties = g_strdup_printf ("remote-path=\"%s\"", path);
  alice = test_sender (properties);
  test_push_text (alice, "hello through the relay");
  pull_from (bob, "hello through the relay", "msrp://127.0.0.1:");
  finish (alice, bob);
}

/* Both ends behind the relay: the sender's From-Path starts at the relay,
 * and with wait-report the messages arrive in order (the relay forwards
 * in parallel), the last one of many chunks. */
static void
test_both_behind_relay (void)
{
  KamailioRelay *relay = start_relay ();
  g_autofree char *path = NULL;
  g_autofree char *properties = NULL;
  g_autofree char *relay_prefix = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *relay_props = NULL;
  GstElement *alice, *bob;

  if (relay == NULL)
    return;
  bob = receiver_behind (relay, &path);
  relay_props = relay_properties (relay, NULL);
  properties = g_strdup_printf ("wait-report=true remote-path=\"%s\" %s", path, relay_props);
  alice = test_sender (properties);
  relay_prefix = g_strdup_printf ("msrp://%s:%u/", relay->host, relay->port);
  /* 20 000 bytes: ten chunks of the default 2048 bytes. */
  long_text = g_strnfill (20000, 'x');
  test_push_text (alice, "one");
  test_push_text (alice, "two");
  test_push_text (alice, long_text);
  pull_from (bob, "one", relay_prefix);
  pull_from (bob, "two", relay_prefix);
  pull_from (bob, long_text, relay_prefix);
  finish (alice, bob);
}

/* The relay refuses the credentials: the start fails with an element
 * error that says so. */
static void
test_wrong_password (void)
{
  KamailioRelay *relay = start_relay ();
  g_autofree char *properties = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  GstElement *pipeline;

  if (relay == NULL)
    return;
  properties = relay_properties (relay, "not the password");
  description = g_strdup_printf ("msrpsrc %s ! fakesink", properties);
  pipeline = test_parse (description);
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), ==,
                   GST_STATE_CHANGE_FAILURE);
  error = test_wait_error (pipeline);
  g_assert_true (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE));
  /* 403, or 401 from a relay that challenges again */
  if (strstr (error->message, "403") == NULL && strstr (error->message, "401") == NULL)
    g_error ("\"%s\" does not give the relay's answer", error->message);
  test_stop (pipeline);
}

int
main (int argc, char **argv)
{
  test_gst_init (&argc, &argv);
  g_test_add_func ("/gst-relay/receiver-behind-relay", test_receiver_behind_relay);
  g_test_add_func ("/gst-relay/both-behind-relay", test_both_behind_relay);
  g_test_add_func ("/gst-relay/wrong-password", test_wrong_password);
  return g_test_run ();
}
