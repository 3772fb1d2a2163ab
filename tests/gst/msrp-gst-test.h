/* msrp-gst-test.h: two MSRP sessions over loopback TCP for the element tests
 *
 * The sessions run on a main context of their own thread, as an
 * application's would, so a test can block in GstHarness calls while
 * messages flow. "local" is the session handed to an element, "peer" the
 * far end the test drives.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <msrp.h>

G_BEGIN_DECLS

/* Bounds every wait of a test, so a bug fails it instead of hanging. */
#define TEST_WAIT_SECONDS 60

typedef struct _TestPair TestPair;

typedef void (*TestPairFunc) (TestPair *pair, gpointer data);

struct _TestPair
{
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;

  MsrpTransport *local_transport;
  MsrpTransport *peer_transport;
  MsrpSession *local;
  MsrpSession *peer;

  /* Under lock: what the peer received, and how the peer's sends ended. */
  GMutex lock;
  GCond cond;
  GPtrArray *received;   /* MsrpIncomingMessage, unless only counted */
  gboolean count_only;
  guint n_received;
  guint failed;          /* incoming messages that failed (aborted) */
  guint sends_done;
  guint sends_failed;
  gboolean peer_closed;
  GError *peer_error;
};

void       test_gst_init          (int *argc, char ***argv);
TestPair  *test_pair_new          (void);
void       test_pair_free         (TestPair *pair);
void       test_pair_run          (TestPair *pair, TestPairFunc func, gpointer data);
void       test_pair_send         (TestPair *pair, const char *content_type, GBytes *body);
void       test_pair_send_text    (TestPair *pair, const char *text);
void       test_pair_wait_sends   (TestPair *pair, guint n);
void       test_pair_wait_received (TestPair *pair, guint n);
void       test_pair_send_many    (TestPair *pair, const char *content_type, GBytes *body,
                                   guint n);
void       test_pair_wait_peer_closed (TestPair *pair);
void       test_pair_wait_failed  (TestPair *pair, guint n);
GBytes    *test_pair_received_bytes (TestPair *pair, guint i, const char **content_type);
void       test_pair_hold_peer    (TestPair *pair, gboolean hold);
void       test_pair_close_peer   (TestPair *pair);
void       test_pair_abort_peer   (TestPair *pair);

GBytes    *test_random_bytes      (gsize size, guint32 seed);
GstMessage *test_bus_wait         (GstBus *bus, GstMessageType types);
GstElement *test_parse            (const char *description);
GstElement *test_child            (GstElement *pipeline, const char *name);
void       test_wait_eos          (GstElement *pipeline);
GError    *test_wait_error        (GstElement *pipeline);

void       test_play              (GstElement *pipeline);
void       test_stop              (GstElement *pipeline);
char      *test_get_string        (GstElement *element, const char *property);
void       test_push_text         (GstElement *pipeline, const char *text);
void       test_pull_text         (GstElement *pipeline, const char *text);
GstElement *test_receiver         (const char *properties, char **local_path);
GstElement *test_sender           (const char *properties);
void       test_leave             (GstElement *alice, GstElement *bob);

G_END_DECLS
