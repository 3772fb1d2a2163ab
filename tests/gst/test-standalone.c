/* test-standalone.c: msrpsrc and msrpsink making their own sessions from
 * local-path / remote-path / setup / tls / fingerprint, as gst-launch-1.0
 * users do, over loopback
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

#include "gstmsrpmeta.h"
#include "msrp-gst-test.h"

/* gst-launch style: a passive msrpsrc, an active msrpsink that connects to
 * its local-path; the sink's EOS closes the session, the source ends. */
static void
test_chat (void)
{
  g_autofree char *path = NULL;
  GstElement *bob = test_receiver ("local-path=msrp://127.0.0.1:0/bob;tcp", &path);
  g_autofree char *properties = g_strdup_printf ("remote-path=\"%s\"", path);
  GstElement *alice = test_sender (properties);
  g_autofree char *alice_path = test_get_string (test_child (alice, "sink"), "local-path");

  g_assert_true (g_str_has_suffix (path, "/bob;tcp"));
  g_assert_true (g_str_has_prefix (path, "msrp://127.0.0.1:"));
  /* The active end has a local path too (it listens as well). */
  g_assert_nonnull (alice_path);
  test_push_text (alice, "hello bob");
  test_push_text (alice, "second line");
  test_pull_text (bob, "hello bob");
  test_pull_text (bob, "second line");
  test_leave (alice, bob);
}

/* The other way round: the sink listens (a file served to whoever
 * connects), and what it was given before the peer came waits for it. */
static void
test_passive_sink (void)
{
  GstElement *alice = test_sender ("local-path=msrp://127.0.0.1:0/alice;tcp");
  g_autofree char *path = test_get_string (test_child (alice, "sink"), "local-path");
  g_autofree char *description = NULL;
  GstElement *bob;

  test_push_text (alice, "written before anyone came");
  description = g_strdup_printf ("msrpsrc name=src remote-path=\"%s\" ! appsink name=out sync=false",
                                 path);
  bob = test_parse (description);
  test_play (bob);
  test_pull_text (bob, "written before anyone came");
  test_leave (alice, bob);
}

/* The same over TLS, each end checking the other's certificate
 * fingerprint: the receiver's is known after start; a passive end with no
 * remote path takes any client certificate, so only the sender checks. */
static void
test_tls (void)
{
  g_autofree char *path = NULL;
  GstElement *bob = test_receiver ("local-path=msrps://127.0.0.1:0/bob;tcp", &path);
  g_autofree char *fingerprint = test_get_string (test_child (bob, "src"), "local-fingerprint");
  g_autofree char *properties = NULL;
  GstElement *alice;

  g_assert_true (g_str_has_prefix (path, "msrps://"));
  g_assert_nonnull (fingerprint);
  properties = g_strdup_printf ("tls=true remote-path=\"%s\" fingerprint=\"%s\"", path,
                                fingerprint);
  alice = test_sender (properties);
  test_push_text (alice, "secret");
  test_pull_text (bob, "secret");
  test_leave (alice, bob);
}

/* A certificate that is not the expected one is an element error. */
static void
test_tls_wrong_fingerprint (void)
{
  g_autofree char *path = NULL;
  GstElement *bob = test_receiver ("local-path=msrps://127.0.0.1:0/bob;tcp", &path);
  g_autofree char *properties = g_strdup_printf (
    "tls=true remote-path=\"%s\" fingerprint=\"sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:"
    "CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\"", path);
  GstElement *alice = test_sender (properties);
  g_autoptr(GError) error = NULL;

  test_push_text (alice, "never");
  error = test_wait_error (alice);
  g_assert_true (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_WRITE));
  g_assert_nonnull (strstr (error->message, "ertificate"));
  test_stop (alice);
  test_stop (bob);
}

typedef struct {
  const char *properties;
  const char *text;
} BadCase;

/* Settings that cannot work fail the start with an element error that
 * says why. */
static void
test_bad_settings (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *description = g_strdup_printf ("msrpsrc %s ! fakesink", c->properties);
  GstElement *pipeline = test_parse (description);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), ==,
                   GST_STATE_CHANGE_FAILURE);
  error = test_wait_error (pipeline);
  if (strstr (error->message, c->text) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, c->text);
  test_stop (pipeline);
}

/* A peer that is not there: the connection error, with its reason. */
static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *description = NULL;
  GstElement *pipeline;
  g_autoptr(GError) error = NULL;

  /* A port that was free a moment ago, and is closed now. */
  g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  description = g_strdup_printf (
    "msrpsrc remote-path=msrp://127.0.0.1:%u/gone;tcp ! fakesink",
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  pipeline = test_parse (description);
  test_play (pipeline);
  error = test_wait_error (pipeline);
  g_assert_true (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ));
  g_assert_nonnull (strstr (error->message, "refused"));
  test_stop (pipeline);
}

/* Only text/plain by default: a peer's image is refused with 415, which
 * the sending msrpsink reports. */
static void
test_accept_types (void)
{
  g_autofree char *path = NULL;
  GstElement *bob = test_receiver ("local-path=msrp://127.0.0.1:0/bob;tcp", &path);
  g_autofree char *description = g_strdup_printf (
    "appsrc name=in caps=image/png ! msrpsink name=sink wait-report=true remote-path=\"%s\"", path);
  GstElement *alice = test_parse (description);
  g_autoptr(GError) error = NULL;

  test_play (alice);
  test_push_text (alice, "not really a png");
  error = test_wait_error (alice);
  g_assert_nonnull (strstr (error->message, "415"));
  test_stop (alice);
  test_stop (bob);
}

/* Nobody connects: state changes and a pipeline EOS (gst-launch -e) do not
 * hang. */
static void
test_no_peer (void)
{
  GstElement *pipeline = test_parse ("msrpsrc name=src local-path=msrp://127.0.0.1:0/alone;tcp "
                                "! fakesink sync=true");

  for (guint i = 0; i < 5; i++)
    {
      test_play (pipeline);
      g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL, TEST_WAIT_SECONDS * GST_SECOND),
                       ==, GST_STATE_CHANGE_SUCCESS);
      g_assert_cmpint (gst_element_set_state (pipeline, i % 2 ? GST_STATE_NULL : GST_STATE_READY),
                       ==, GST_STATE_CHANGE_SUCCESS);
    }
  test_play (pipeline);
  g_assert_true (gst_element_send_event (pipeline, gst_event_new_eos ()));
  test_wait_eos (pipeline);
  test_stop (pipeline);
}

int
main (int argc, char **argv)
{
  static const BadCase bad[] = {
    { "remote-path=\"not a path\"", "Invalid remote-path" },
    { "local-path=http://example.com/", "Invalid local-path" },
    { "setup=active", "setup=active needs a remote-path" },
    { "relay=msrps://relay.example.com:2855;tcp", "relay-user" },
    /* nothing listens on port 1 */
    { "relay=msrp://127.0.0.1:1;tcp relay-user=u relay-password=p", "refused" },
    { "local-path=msrp://192.0.2.1:7000/x;tcp", "192.0.2.1" },
  };
  static const char * const bad_names[] = {
    "bad-remote-path", "bad-local-path", "active-without-remote-path", "relay-without-user",
    "relay-unreachable",
    "address-not-local",
  };

  test_gst_init (&argc, &argv);
  g_test_add_func ("/standalone/chat", test_chat);
  g_test_add_func ("/standalone/passive-sink", test_passive_sink);
  g_test_add_func ("/standalone/tls", test_tls);
  g_test_add_func ("/standalone/tls-wrong-fingerprint", test_tls_wrong_fingerprint);
  g_test_add_func ("/standalone/connection-refused", test_connection_refused);
  g_test_add_func ("/standalone/accept-types", test_accept_types);
  g_test_add_func ("/standalone/no-peer", test_no_peer);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/standalone/%s", bad_names[i]);
      g_test_add_data_func (path, &bad[i], test_bad_settings);
    }
  return g_test_run ();
}
