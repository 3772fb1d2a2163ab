/* test-transport.c: MsrpTransport over in-memory pairs and loopback TCP
 *
 * Every case runs over each link in `links`: the in-memory pair in several
 * cutting modes, a TCP connection on 127.0.0.1, the same connection behind
 * streams that cannot poll (the asynchronous fallback), and TLS over it.
 */
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <msrp.h>
#include "msrp-frame-private.h"
#include "msrp-transport-private.h"
#include "msrp-test-stream-pair.h"

/* A hang guard, not a timing check: a test that waits this long is stuck. */
#define GUARD_SECONDS 100

typedef enum {
  LINK_PAIR,
  LINK_TCP,
  LINK_TCP_PLAIN,
  LINK_TLS,
} LinkKind;

typedef struct {
  const char *name;
  LinkKind kind;
  MsrpTestStreamOptions options;
} Link;

static const Link links[] = {
  { "merge", LINK_PAIR, { .mode = MSRP_TEST_STREAM_MERGE } },
  { "split", LINK_PAIR, { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 4975 } },
  { "small-pieces", LINK_PAIR, { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 4976, .max_piece = 97,
                                 .capacity = 16 * 1024 } },
  { "tcp", LINK_TCP, { 0 } },
  { "tcp-not-pollable", LINK_TCP_PLAIN, { 0 } },
  { "tls", LINK_TLS, { 0 } },
};

/* The pair with writes that cannot poll, for the cases that hold their
 * completion. */
static const Link async_writes_link = { "async-writes", LINK_PAIR, { .async_writes = TRUE } };

/* TLS: a throwaway self-signed certificate, made once */

static GTlsCertificate *certificate;

static GTlsCertificate *
get_certificate (void)
{
  gnutls_x509_privkey_t key;
  gnutls_x509_crt_t crt;
  gnutls_datum_t crt_pem = { 0 }, key_pem = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;
  time_t now = time (NULL);

  if (certificate != NULL)
    return certificate;
  g_assert_cmpint (gnutls_x509_privkey_init (&key), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                 GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_version (crt, 3), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_serial (crt, "\x01", 1), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_activation_time (crt, now - 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_expiration_time (crt, now + 24 * 3600), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                  "localhost", 9), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_set_key (crt, key), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &key_pem), ==, 0);
  pem = g_strdup_printf ("%.*s%.*s", (int) crt_pem.size, crt_pem.data,
                         (int) key_pem.size, key_pem.data);
  gnutls_free (crt_pem.data);
  gnutls_free (key_pem.data);
  gnutls_x509_crt_deinit (crt);
  gnutls_x509_privkey_deinit (key);
  certificate = g_tls_certificate_new_from_pem (pem, -1, &error);
  g_assert_no_error (error);
  return certificate;
}

static gboolean
accept_any_certificate (GTlsConnection       *connection,
                        GTlsCertificate      *peer_certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  return TRUE;
}

static void
on_handshake_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Streams that cannot poll, so the transport takes its asynchronous path */

GType test_plain_input_get_type (void);
GType test_plain_output_get_type (void);
GType test_plain_stream_get_type (void);

typedef struct { GFilterInputStream parent; } TestPlainInput;
typedef struct { GFilterInputStreamClass parent; } TestPlainInputClass;
G_DEFINE_TYPE (TestPlainInput, test_plain_input, G_TYPE_FILTER_INPUT_STREAM)
static void test_plain_input_init (TestPlainInput *self) { }
static void test_plain_input_class_init (TestPlainInputClass *klass) { }

typedef struct { GFilterOutputStream parent; } TestPlainOutput;
typedef struct { GFilterOutputStreamClass parent; } TestPlainOutputClass;
G_DEFINE_TYPE (TestPlainOutput, test_plain_output, G_TYPE_FILTER_OUTPUT_STREAM)
static void test_plain_output_init (TestPlainOutput *self) { }
static void test_plain_output_class_init (TestPlainOutputClass *klass) { }

typedef struct {
  GIOStream parent;
  GIOStream *base;
  GInputStream *input;
  GOutputStream *output;
} TestPlainStream;
typedef struct { GIOStreamClass parent; } TestPlainStreamClass;
G_DEFINE_TYPE (TestPlainStream, test_plain_stream, G_TYPE_IO_STREAM)

static GInputStream *
plain_stream_get_input (GIOStream *stream)
{
  return ((TestPlainStream *) stream)->input;
}

static GOutputStream *
plain_stream_get_output (GIOStream *stream)
{
  return ((TestPlainStream *) stream)->output;
}

static gboolean
plain_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  TestPlainStream *self = (TestPlainStream *) stream;

  /* Wakes a read blocked in another thread, which would otherwise keep the
   * socket open. */
  g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->base)),
                     TRUE, TRUE, NULL);
  g_input_stream_close (self->input, cancellable, NULL);
  g_output_stream_close (self->output, cancellable, NULL);
  return g_io_stream_close (self->base, cancellable, error);
}

static void
plain_stream_finalize (GObject *object)
{
  TestPlainStream *self = (TestPlainStream *) object;

  g_object_unref (self->input);
  g_object_unref (self->output);
  g_object_unref (self->base);
  G_OBJECT_CLASS (test_plain_stream_parent_class)->finalize (object);
}

static void test_plain_stream_init (TestPlainStream *self) { }

static void
test_plain_stream_class_init (TestPlainStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = plain_stream_finalize;
  G_IO_STREAM_CLASS (klass)->get_input_stream = plain_stream_get_input;
  G_IO_STREAM_CLASS (klass)->get_output_stream = plain_stream_get_output;
  G_IO_STREAM_CLASS (klass)->close_fn = plain_stream_close;
}

static GIOStream *
plain_stream_new (GIOStream *base)
{
  TestPlainStream *self = g_object_new (test_plain_stream_get_type (), NULL);

  self->base = base;
  self->input = g_object_new (test_plain_input_get_type (),
                              "base-stream", g_io_stream_get_input_stream (base), NULL);
  self->output = g_object_new (test_plain_output_get_type (),
                               "base-stream", g_io_stream_get_output_stream (base), NULL);
  return G_IO_STREAM (self);
}

/* The fixture */

typedef struct {
  const Link *link;
  GMainContext *context;
  GSource *guard;
  GPtrArray *pairs;          /* MsrpTestStreamPair */
  GPtrArray *streams;        /* GIOStream, for teardown */
} Fixture;

static gboolean
on_guard_timeout (gpointer user_data)
{
  g_error ("%s: still waiting after %d s", g_test_get_path (), GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->link = data;
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->guard = g_timeout_source_new_seconds (GUARD_SECONDS);
  g_source_set_callback (f->guard, on_guard_timeout, NULL, NULL);
  g_source_attach (f->guard, f->context);
  f->pairs = g_ptr_array_new_with_free_func (g_object_unref);
  f->streams = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
dispatch_ready (Fixture *f)
{
  while (g_main_context_iteration (f->context, FALSE))
    ;
}

#define WAIT_FOR(f, condition) \
  G_STMT_START { \
    while (!(condition)) \
      g_main_context_iteration ((f)->context, TRUE); \
  } G_STMT_END

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < f->streams->len; i++)
    {
      GIOStream *stream = f->streams->pdata[i];
      gboolean done = g_io_stream_is_closed (stream);

      if (!done)
        {
          g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
          WAIT_FOR (f, g_io_stream_is_closed (stream) && !g_io_stream_has_pending (stream));
        }
    }
  dispatch_ready (f);
  g_ptr_array_unref (f->streams);
  g_ptr_array_unref (f->pairs);
  dispatch_ready (f);
  g_source_destroy (f->guard);
  g_source_unref (f->guard);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

static void
store_object (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GObject **slot = user_data;

  if (G_IS_SOCKET_CLIENT (source))
    *slot = (GObject *) g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);
  else
    *slot = (GObject *) g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result,
                                                         NULL, NULL);
  g_assert_nonnull (*slot);
}

/* Two connected streams of the fixture's kind; the fixture keeps them. */
static void
make_link (Fixture *f, GIOStream **a, GIOStream **b, MsrpTestStreamPair **pair_out)
{
  if (pair_out != NULL)
    *pair_out = NULL;
  if (f->link->kind == LINK_PAIR)
    {
      MsrpTestStreamOptions b_to_a = f->link->options;
      MsrpTestStreamPair *pair;

      b_to_a.seed++;
      pair = msrp_test_stream_pair_new (&f->link->options, &b_to_a);
      g_ptr_array_add (f->pairs, pair);
      *a = msrp_test_stream_pair_get_a (pair);
      *b = msrp_test_stream_pair_get_b (pair);
      if (pair_out != NULL)
        *pair_out = pair;
    }
  else
    {
      g_autoptr(GSocketListener) listener = g_socket_listener_new ();
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) effective = NULL;
      g_autoptr(GError) error = NULL;
      GObject *client_conn = NULL, *server_conn = NULL;

      g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                     G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
      g_assert_no_error (error);
      /* Loopback needs no proxy, and the proxy module would load libproxy. */
      g_socket_client_set_enable_proxy (client, FALSE);
      g_socket_listener_accept_async (listener, NULL, store_object, &server_conn);
      g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (effective), NULL,
                                     store_object, &client_conn);
      WAIT_FOR (f, client_conn != NULL && server_conn != NULL);
      g_socket_listener_close (listener);
      if (f->link->kind == LINK_TCP_PLAIN)
        {
          *a = plain_stream_new (G_IO_STREAM (client_conn));
          *b = plain_stream_new (G_IO_STREAM (server_conn));
        }
      else if (f->link->kind == LINK_TLS)
        {
          gboolean a_done = FALSE, b_done = FALSE;

          *a = g_tls_client_connection_new (G_IO_STREAM (client_conn), NULL, &error);
          g_assert_no_error (error);
          *b = g_tls_server_connection_new (G_IO_STREAM (server_conn), get_certificate (), &error);
          g_assert_no_error (error);
          g_object_unref (client_conn);
          g_object_unref (server_conn);
          g_signal_connect (*a, "accept-certificate", G_CALLBACK (accept_any_certificate), NULL);
          g_tls_connection_handshake_async (G_TLS_CONNECTION (*a), G_PRIORITY_DEFAULT, NULL,
                                            on_handshake_done, &a_done);
          g_tls_connection_handshake_async (G_TLS_CONNECTION (*b), G_PRIORITY_DEFAULT, NULL,
                                            on_handshake_done, &b_done);
          WAIT_FOR (f, a_done && b_done);
        }
      else
        {
          *a = G_IO_STREAM (client_conn);
          *b = G_IO_STREAM (server_conn);
        }
      g_ptr_array_add (f->streams, *a);
      g_ptr_array_add (f->streams, *b);
    }
}

/* Frames */

static GBytes *
make_body (gsize size, guint seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (' ' + (i * 7 + seed + i / 251) % 95);
  return g_bytes_new_take (data, size);
}

static MsrpFrame *
new_request (const char *method, const char *to_session, GBytes *body)
{
  MsrpFrame *frame = msrp_frame_new_request (method, NULL);
  g_autofree char *to = g_strdup_printf ("msrp://127.0.0.1:2855/%s;tcp", to_session);
  g_autofree char *message_id = msrp_generate_id ();

  msrp_frame_set_header (frame, "To-Path", to);
  msrp_frame_set_header (frame, "From-Path", "msrp://127.0.0.1:2856/alice;tcp");
  msrp_frame_set_message_id (frame, message_id);
  if (body != NULL)
    {
      msrp_frame_set_body (frame, body);
      msrp_frame_set_content_type (frame, "text/plain");
    }
  return frame;
}

static MsrpFrame *
new_send (const char *to_session, gsize body_size, MsrpReportMode failure_report)
{
  g_autoptr(GBytes) body = body_size > 0 ? make_body (body_size, (guint) body_size) : NULL;
  MsrpFrame *frame = new_request ("SEND", to_session, body);

  if (failure_report != MSRP_REPORT_YES)
    msrp_frame_set_failure_report (frame, failure_report);
  return frame;
}

static MsrpFrame *
new_report (const char *to_session)
{
  MsrpFrame *frame = new_request ("REPORT", to_session, NULL);

  msrp_frame_set_byte_range (frame, 1, 10, 10);
  msrp_frame_set_status_header (frame, 200, NULL);
  return frame;
}

/* Endpoints: a session stand-in that records what it gets */

typedef struct {
  char *session_id;
  MsrpTransport *transport;
  guint head_status;
  guint end_status;
  GPtrArray *heads;          /* MsrpFrame of every request offered */
  GPtrArray *bodies;         /* GBytes of every request ended */
  GByteArray *body;
  MsrpContinuation last_flag;
  guint n_closed;
  GError *closed_error;
  guint n_writable;
  GPtrArray *failed_ids;     /* Message-IDs of late failures */
  GError *failed_error;      /* the last one's */
} TestEndpoint;

static guint
ep_request_head (gpointer owner, MsrpTransport *transport, MsrpFrame *head)
{
  TestEndpoint *ep = owner;

  g_assert_true (transport == ep->transport);
  g_ptr_array_add (ep->heads, msrp_frame_ref (head));
  g_byte_array_set_size (ep->body, 0);
  return ep->head_status;
}

static void
ep_request_body (gpointer owner, MsrpTransport *transport, MsrpFrame *head, GBytes *data)
{
  TestEndpoint *ep = owner;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  g_assert_cmpuint (ep->head_status, ==, MSRP_STATUS_OK);
  g_byte_array_append (ep->body, bytes, size);
}

static guint
ep_request_end (gpointer owner, MsrpTransport *transport, MsrpFrame *head, MsrpContinuation flag)
{
  TestEndpoint *ep = owner;

  g_assert_cmpuint (ep->head_status, ==, MSRP_STATUS_OK);
  g_ptr_array_add (ep->bodies, g_bytes_new (ep->body->data, ep->body->len));
  ep->last_flag = flag;
  return ep->end_status;
}

static void
ep_closed (gpointer owner, MsrpTransport *transport, const GError *error)
{
  TestEndpoint *ep = owner;

  ep->n_closed++;
  g_clear_error (&ep->closed_error);
  ep->closed_error = error ? g_error_copy (error) : NULL;
}

static void
ep_writable (gpointer owner, MsrpTransport *transport)
{
  TestEndpoint *ep = owner;

  ep->n_writable++;
}

static void
ep_send_failed (gpointer owner, MsrpTransport *transport, const char *message_id,
                const GError *error)
{
  TestEndpoint *ep = owner;

  g_assert_true (transport == ep->transport);
  g_ptr_array_add (ep->failed_ids, g_strdup (message_id));
  g_clear_error (&ep->failed_error);
  ep->failed_error = g_error_copy (error);
}

static const MsrpEndpointVTable ep_vtable = {
  .request_head = ep_request_head,
  .request_body = ep_request_body,
  .request_end = ep_request_end,
  .closed = ep_closed,
  .writable = ep_writable,
  .send_failed = ep_send_failed,
};

static TestEndpoint *
endpoint_new (MsrpTransport *transport, const char *session_id)
{
  TestEndpoint *ep = g_new0 (TestEndpoint, 1);

  ep->session_id = g_strdup (session_id);
  ep->transport = transport;
  ep->head_status = MSRP_STATUS_OK;
  ep->end_status = MSRP_STATUS_OK;
  ep->heads = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  ep->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  ep->body = g_byte_array_new ();
  ep->failed_ids = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (msrp_transport_bind_endpoint (transport, session_id, &ep_vtable, ep));
  return ep;
}

static void
endpoint_free (TestEndpoint *ep)
{
  /* A closed transport unbound it already (and may be gone). */
  if (ep->n_closed == 0)
    msrp_transport_unbind_endpoint (ep->transport, ep->session_id);
  g_free (ep->session_id);
  g_ptr_array_unref (ep->heads);
  g_ptr_array_unref (ep->bodies);
  g_byte_array_unref (ep->body);
  g_ptr_array_unref (ep->failed_ids);
  g_clear_error (&ep->failed_error);
  g_clear_error (&ep->closed_error);
  g_free (ep);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestEndpoint, endpoint_free)

/* Watching a transport */

typedef struct {
  guint n_closed;
  GError *error;
  GPtrArray *received;       /* MsrpFrame heads */
  GPtrArray *sent;           /* MsrpFrame */
} Watch;

static void
on_closed (MsrpTransport *transport, const GError *error, Watch *w)
{
  g_assert_true (msrp_transport_is_closed (transport));
  w->n_closed++;
  g_clear_error (&w->error);
  w->error = error ? g_error_copy (error) : NULL;
}

static void
on_frame_received (MsrpTransport *transport, MsrpFrame *head, Watch *w)
{
  g_ptr_array_add (w->received, msrp_frame_ref (head));
}

static void
on_frame_sent (MsrpTransport *transport, MsrpFrame *frame, Watch *w)
{
  g_ptr_array_add (w->sent, msrp_frame_ref (frame));
}

static void
watch_init (Watch *w, MsrpTransport *transport)
{
  memset (w, 0, sizeof *w);
  w->received = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  w->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  g_signal_connect (transport, "closed", G_CALLBACK (on_closed), w);
  g_signal_connect (transport, "frame-received", G_CALLBACK (on_frame_received), w);
  g_signal_connect (transport, "frame-sent", G_CALLBACK (on_frame_sent), w);
}

static void
watch_clear (Watch *w, MsrpTransport *transport)
{
  if (transport != NULL)
    g_signal_handlers_disconnect_by_data (transport, w);
  g_clear_error (&w->error);
  g_ptr_array_unref (w->received);
  g_ptr_array_unref (w->sent);
}

static guint
count_requests (GPtrArray *frames)
{
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    n += msrp_frame_is_request (frames->pdata[i]);
  return n;
}

static guint
count_responses (GPtrArray *frames)
{
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    n += !msrp_frame_is_request (frames->pdata[i]);
  return n;
}

/* Sending */

typedef struct {
  MsrpFrame *response;
  GError *error;
  gboolean done;
} Outcome;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *o = user_data;

  g_assert_false (o->done);
  o->response = msrp_transport_send_request_finish (MSRP_TRANSPORT (source), result, &o->error);
  o->done = TRUE;
}

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->response, msrp_frame_unref);
  g_clear_error (&o->error);
  o->done = FALSE;
}

static void
send (MsrpTransport *transport, MsrpFrame *request, GCancellable *cancellable, Outcome *o)
{
  msrp_transport_send_request_async (transport, request, cancellable, on_sent, o);
}

/* Sends @request and waits for its outcome. */
static void
send_wait (Fixture *f, MsrpTransport *transport, MsrpFrame *request, Outcome *o)
{
  send (transport, request, NULL, o);
  WAIT_FOR (f, o->done);
}

/* A transport on each end, "bob" bound at B and "alice" at A, both started */

typedef struct {
  MsrpTestStreamPair *pair;
  GIOStream *sa, *sb;
  MsrpTransport *a, *b;
  TestEndpoint *alice, *bob;
  Watch wa, wb;
} Duo;

static void
duo_open (Fixture *f, Duo *d)
{
  memset (d, 0, sizeof *d);
  make_link (f, &d->sa, &d->sb, &d->pair);
  d->a = msrp_transport_new (d->sa);
  d->b = msrp_transport_new (d->sb);
  d->alice = endpoint_new (d->a, "alice");
  d->bob = endpoint_new (d->b, "bob");
  watch_init (&d->wa, d->a);
  watch_init (&d->wb, d->b);
  msrp_transport_start (d->a);
  msrp_transport_start (d->b);
}

static void
duo_close (Fixture *f, Duo *d)
{
  watch_clear (&d->wa, d->a);
  watch_clear (&d->wb, d->b);
  endpoint_free (d->alice);
  endpoint_free (d->bob);
  g_clear_object (&d->a);
  g_clear_object (&d->b);
  dispatch_ready (f);
}

/* A raw peer: reads and parses what the transport sends; the test writes
 * bytes of its own */

typedef struct {
  GIOStream *stream;
  MsrpParser *parser;
  GPtrArray *frames;         /* MsrpFrame heads */
  GCancellable *cancellable;
  gboolean reading;
  gboolean eof;
  gboolean failed;
} Raw;

static void
raw_frame_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Raw *r = user_data;

  g_ptr_array_add (r->frames, msrp_frame_ref (head));
}

static const MsrpParserCallbacks raw_callbacks = { .frame_head = raw_frame_head };

static void raw_read (Raw *r);

static void
on_raw_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Raw *r = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  r->reading = FALSE;
  if (bytes == NULL)
    {
      r->failed = TRUE;
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      r->eof = TRUE;
      return;
    }
  g_assert_true (msrp_parser_feed (r->parser, bytes, &error));
  g_assert_no_error (error);
  raw_read (r);
}

static void
raw_read (Raw *r)
{
  r->reading = TRUE;
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (r->stream), 65536,
                                   G_PRIORITY_DEFAULT, r->cancellable, on_raw_read, r);
}

static void
raw_init (Raw *r, GIOStream *stream)
{
  memset (r, 0, sizeof *r);
  r->stream = stream;
  r->parser = msrp_parser_new (&raw_callbacks, r);
  r->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  r->cancellable = g_cancellable_new ();
  raw_read (r);
}

static void
raw_clear (Fixture *f, Raw *r)
{
  g_cancellable_cancel (r->cancellable);
  WAIT_FOR (f, !r->reading);
  msrp_parser_free (r->parser);
  g_ptr_array_unref (r->frames);
  g_object_unref (r->cancellable);
}

static void
raw_write (Raw *r, const void *data, gsize size)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (r->stream), data, size, NULL, NULL,
                             &error);
  g_assert_no_error (error);
}

static void
raw_write_frame (Raw *r, MsrpFrame *frame)
{
  g_autoptr(GBytes) bytes = msrp_frame_to_bytes (frame);

  raw_write (r, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
raw_answer (Raw *r, MsrpFrame *request, guint status)
{
  g_autoptr(MsrpFrame) response = msrp_frame_new_response_for (request, status, NULL);

  raw_write_frame (r, response);
}

/* One transport on A and a raw peer on B */

typedef struct {
  MsrpTestStreamPair *pair;
  GIOStream *sa, *sb;
  MsrpTransport *t;
  TestEndpoint *bob;
  Watch w;
  Raw raw;
} Solo;

static void
solo_open (Fixture *f, Solo *s)
{
  memset (s, 0, sizeof *s);
  make_link (f, &s->sa, &s->sb, &s->pair);
  s->t = msrp_transport_new (s->sa);
  s->bob = endpoint_new (s->t, "bob");
  watch_init (&s->w, s->t);
  msrp_transport_start (s->t);
  raw_init (&s->raw, s->sb);
}

static void
solo_close (Fixture *f, Solo *s)
{
  watch_clear (&s->w, s->t);
  endpoint_free (s->bob);
  g_clear_object (&s->t);
  raw_clear (f, &s->raw);
  dispatch_ready (f);
}

static MsrpFrame *
raw_frame (Raw *r, guint i)
{
  g_assert_cmpuint (i, <, r->frames->len);
  return r->frames->pdata[i];
}

/* Round trips */

static void
round_trip (Fixture *f, gsize body_size)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", body_size, MSRP_REPORT_YES);
  GBytes *body = msrp_frame_get_body (request);

  duo_open (f, &d);
  send_wait (f, d.a, request, &o);
  g_assert_no_error (o.error);
  g_assert_nonnull (o.response);
  g_assert_cmpuint (msrp_frame_get_status (o.response), ==, 200);
  g_assert_cmpstr (msrp_frame_get_transaction_id (o.response), ==,
                   msrp_frame_get_transaction_id (request));

  g_assert_cmpuint (d.bob->heads->len, ==, 1);
  g_assert_cmpuint (d.bob->bodies->len, ==, 1);
  g_assert_cmpuint (d.bob->last_flag, ==, MSRP_CONTINUATION_COMPLETE);
  if (body_size == 0)
    g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[0]), ==, 0);
  else
    g_assert_true (g_bytes_equal (d.bob->bodies->pdata[0], body));
  g_assert_cmpstr (msrp_frame_get_message_id (d.bob->heads->pdata[0]), ==,
                   msrp_frame_get_message_id (request));
  /* An asynchronous write may report its end after the response came. */
  WAIT_FOR (f, msrp_transport_get_queued_bytes (d.a) == 0);
  g_assert_false (msrp_transport_is_closed (d.a));
  g_assert_cmpuint (d.wa.n_closed + d.wb.n_closed, ==, 0);
  outcome_clear (&o);
  duo_close (f, &d);
}

static void
test_round_trip_empty (Fixture *f, gconstpointer data)
{
  round_trip (f, 0);
}

static void
test_round_trip_1 (Fixture *f, gconstpointer data)
{
  round_trip (f, 1);
}

static void
test_round_trip_64k (Fixture *f, gconstpointer data)
{
  round_trip (f, 64 * 1024);
}

static void
test_round_trip_1m (Fixture *f, gconstpointer data)
{
  round_trip (f, 1024 * 1024);
}

static void
test_pipelined (Fixture *f, gconstpointer data)
{
  enum { N = 1000 };
  Duo d;
  Outcome *o = g_new0 (Outcome, N);
  MsrpFrame **requests = g_new0 (MsrpFrame *, N);
  guint done = 0;

  duo_open (f, &d);
  for (guint i = 0; i < N; i++)
    {
      requests[i] = new_send ("bob", i % 300, MSRP_REPORT_YES);
      send (d.a, requests[i], NULL, &o[i]);
    }
  while (done < N)
    {
      g_main_context_iteration (f->context, TRUE);
      for (done = 0; done < N && o[done].done; done++)
        ;
    }
  for (guint i = 0; i < N; i++)
    {
      g_assert_no_error (o[i].error);
      g_assert_cmpstr (msrp_frame_get_transaction_id (o[i].response), ==,
                       msrp_frame_get_transaction_id (requests[i]));
      /* SEND requests arrive in the order they were queued. */
      g_assert_cmpstr (msrp_frame_get_message_id (d.bob->heads->pdata[i]), ==,
                       msrp_frame_get_message_id (requests[i]));
      g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[i]), ==, i % 300);
      outcome_clear (&o[i]);
      msrp_frame_unref (requests[i]);
    }
  g_free (o);
  g_free (requests);
  duo_close (f, &d);
}

static void
test_responses_out_of_order (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o[3] = { 0 };
  MsrpFrame *requests[3];
  const guint order[3] = { 2, 0, 1 };
  const guint status[3] = { 200, 415, 200 };

  solo_open (f, &s);
  for (guint i = 0; i < 3; i++)
    {
      requests[i] = new_send ("bob", 10, MSRP_REPORT_YES);
      send (s.t, requests[i], NULL, &o[i]);
    }
  WAIT_FOR (f, s.raw.frames->len == 3);
  for (guint k = 0; k < 3; k++)
    {
      guint i = order[k];

      raw_answer (&s.raw, raw_frame (&s.raw, i), status[i]);
      WAIT_FOR (f, o[i].done);
      for (guint j = k + 1; j < 3; j++)
        g_assert_false (o[order[j]].done);
    }
  for (guint i = 0; i < 3; i++)
    {
      if (status[i] == 200)
        {
          g_assert_no_error (o[i].error);
          g_assert_cmpstr (msrp_frame_get_transaction_id (o[i].response), ==,
                           msrp_frame_get_transaction_id (requests[i]));
        }
      else
        {
          g_assert_error (o[i].error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);
          g_assert_null (o[i].response);
        }
      outcome_clear (&o[i]);
      msrp_frame_unref (requests[i]);
    }
  solo_close (f, &s);
}

/* A request waiting for its response does not keep its body: a sender with
 * many chunks in flight stays small. */
static void
on_body_freed (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
test_body_released_when_written (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  gboolean freed = FALSE;
  g_autoptr(GBytes) content = make_body (100000, 7);
  GBytes *body = g_bytes_new_with_free_func (g_bytes_get_data (content, NULL),
                                             g_bytes_get_size (content), on_body_freed, &freed);
  MsrpFrame *request = new_request ("SEND", "bob", body);

  solo_open (f, &s);
  /* The watch would keep every frame sent. */
  g_signal_handlers_disconnect_by_func (s.t, on_frame_sent, &s.w);
  g_bytes_unref (body);
  send (s.t, request, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  msrp_frame_unref (request);
  WAIT_FOR (f, msrp_transport_get_queued_bytes (s.t) == 0);
  dispatch_ready (f);
  g_assert_false (o.done);
  g_assert_true (freed);
  raw_answer (&s.raw, raw_frame (&s.raw, 0), 200);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  solo_close (f, &s);
}

/* Requests that get no response */

/* Sends a plain SEND after whatever the test did and waits for its
 * response: a response to anything earlier would have arrived before. */
static void
round_trip_barrier (Fixture *f, Duo *d)
{
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", 3, MSRP_REPORT_YES);

  send_wait (f, d->a, request, &o);
  g_assert_no_error (o.error);
  g_assert_cmpuint (msrp_frame_get_status (o.response), ==, 200);
  outcome_clear (&o);
}

static void
test_report_no_response (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) report = new_report ("bob");
  g_autoptr(MsrpFrame) unwatched = new_report ("bob");

  duo_open (f, &d);
  send_wait (f, d.a, report, &o);
  g_assert_no_error (o.error);
  g_assert_null (o.response);
  /* Nobody waiting: it is only written. */
  msrp_transport_send_request_async (d.a, unwatched, NULL, NULL, NULL);
  round_trip_barrier (f, &d);
  g_assert_cmpuint (d.bob->heads->len, ==, 3);
  g_assert_cmpint (msrp_frame_get_method (d.bob->heads->pdata[0]), ==, MSRP_METHOD_REPORT);
  g_assert_cmpstr (msrp_frame_get_transaction_id (d.bob->heads->pdata[1]), ==,
                   msrp_frame_get_transaction_id (unwatched));
  /* Only the barrier's response came back. */
  g_assert_cmpuint (count_responses (d.wa.received), ==, 1);
  WAIT_FOR (f, count_responses (d.wb.sent) == 1);
  duo_close (f, &d);
}

static void
test_failure_report (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) quiet = new_send ("bob", 5, MSRP_REPORT_NO);
  g_autoptr(MsrpFrame) partial = new_send ("bob", 5, MSRP_REPORT_PARTIAL);
  g_autoptr(MsrpFrame) partial_refused = new_send ("bob", 5, MSRP_REPORT_PARTIAL);
  g_autoptr(MsrpFrame) quiet_refused = new_send ("bob", 5, MSRP_REPORT_NO);

  duo_open (f, &d);
  /* Both complete once written, with no response. */
  send_wait (f, d.a, quiet, &o);
  g_assert_no_error (o.error);
  g_assert_null (o.response);
  outcome_clear (&o);
  send_wait (f, d.a, partial, &o);
  g_assert_no_error (o.error);
  g_assert_null (o.response);
  outcome_clear (&o);
  round_trip_barrier (f, &d);
  g_assert_cmpuint (d.bob->bodies->len, ==, 3);
  g_assert_cmpuint (count_responses (d.wa.received), ==, 1);

  /* A failure is answered for partial, not for no. */
  d.bob->head_status = 415;
  send_wait (f, d.a, partial_refused, &o);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  send_wait (f, d.a, quiet_refused, &o);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  /* Written is not yet read: wait until B has seen both. */
  WAIT_FOR (f, d.bob->heads->len == 5);
  d.bob->head_status = MSRP_STATUS_OK;
  round_trip_barrier (f, &d);
  g_assert_cmpuint (count_responses (d.wa.received), ==, 3);
  g_assert_cmpuint (msrp_frame_get_status (d.wa.received->pdata[1]), ==, 415);
  g_assert_cmpstr (msrp_frame_get_transaction_id (d.wa.received->pdata[1]), ==,
                   msrp_frame_get_transaction_id (partial_refused));
  /* The late failure reached the endpoint that sent the request. */
  g_assert_cmpuint (d.alice->failed_ids->len, ==, 1);
  g_assert_cmpstr (d.alice->failed_ids->pdata[0], ==, msrp_frame_get_message_id (partial_refused));
  g_assert_error (d.alice->failed_error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);
  g_assert_cmpuint (d.bob->failed_ids->len, ==, 0);
  g_assert_cmpuint (d.wa.n_closed, ==, 0);
  duo_close (f, &d);
}

/* On a stream whose writes are asynchronous, the peer's response can be
 * read before the write of the request tells its end (a socket write is
 * out before its completion is dispatched). The stream pair holds the
 * completion so that it comes last, every time. */
static void
test_response_before_write_done (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) answered = new_send ("bob", 5, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) refused = new_send ("bob", 5, MSRP_REPORT_PARTIAL);
  g_autoptr(MsrpFrame) quiet = new_send ("bob", 5, MSRP_REPORT_NO);
  g_autoptr(MsrpFrame) again = NULL;

  duo_open (f, &d);
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, TRUE);

  /* Failure-Report: yes: the 200 completes the request, the write's end
   * later only leaves the queue. */
  send (d.a, answered, NULL, &o);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  g_assert_cmpuint (msrp_frame_get_status (o.response), ==, 200);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (d.pair, MSRP_TEST_A_TO_B), ==, 1);
  g_assert_cmpuint (d.wa.sent->len, ==, 0);
  outcome_clear (&o);
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, FALSE);
  WAIT_FOR (f, d.wa.sent->len == 1);
  g_assert_cmpuint (msrp_transport_get_queued_bytes (d.a), ==, 0);

  /* Failure-Report: partial: the failure response reaches the sender
   * though the request is not over yet; it is over once written. */
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, TRUE);
  d.bob->head_status = 415;
  send (d.a, refused, NULL, &o);
  WAIT_FOR (f, count_responses (d.wa.received) == 2);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (d.pair, MSRP_TEST_A_TO_B), ==, 1);
  g_assert_false (o.done);
  g_assert_cmpuint (d.alice->failed_ids->len, ==, 1);
  g_assert_cmpstr (d.alice->failed_ids->pdata[0], ==, msrp_frame_get_message_id (refused));
  g_assert_error (d.alice->failed_error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, FALSE);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  g_assert_null (o.response);
  outcome_clear (&o);
  /* Told once: its write ending did not remember it for another one. */
  again = msrp_frame_new_response_for (d.bob->heads->pdata[1], 415, NULL);
  msrp_transport_send_response (d.b, again);
  d.bob->head_status = MSRP_STATUS_OK;

  /* Failure-Report: no: over only once written. */
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, TRUE);
  send (d.a, quiet, NULL, &o);
  WAIT_FOR (f, d.bob->heads->len == 3);
  g_assert_false (o.done);
  msrp_test_stream_pair_hold_writes (d.pair, MSRP_TEST_A_TO_B, FALSE);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  g_assert_null (o.response);
  outcome_clear (&o);

  round_trip_barrier (f, &d);
  g_assert_cmpuint (count_responses (d.wa.received), ==, 4);
  g_assert_cmpuint (d.alice->failed_ids->len, ==, 1);
  g_assert_cmpuint (d.wa.n_closed + d.wb.n_closed, ==, 0);
  duo_close (f, &d);
}

/* Routing */

static void
test_unknown_session (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) lost = new_send ("nobody", 2000, MSRP_REPORT_YES);

  duo_open (f, &d);
  send_wait (f, d.a, lost, &o);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_SESSION_DOES_NOT_EXIST);
  outcome_clear (&o);
  g_assert_cmpuint (d.bob->heads->len, ==, 0);
  /* The connection is still good. */
  round_trip_barrier (f, &d);
  g_assert_cmpuint (d.bob->bodies->len, ==, 1);
  g_assert_cmpuint (d.wa.n_closed + d.wb.n_closed, ==, 0);
  duo_close (f, &d);
}

typedef struct {
  guint calls;
  guint status;              /* what to refuse with; 0 to bind */
  TestEndpoint *bound;
  gboolean destroyed;
} Unbound;

static gboolean
on_unbound (MsrpTransport *transport, MsrpFrame *head, guint *status, gpointer user_data)
{
  Unbound *u = user_data;
  g_autoptr(GPtrArray) to_path = msrp_frame_get_to_path (head, NULL);

  u->calls++;
  if (u->status != 0)
    {
      *status = u->status;
      return FALSE;
    }
  u->bound = endpoint_new (transport, msrp_uri_get_session_id (to_path->pdata[0]));
  return TRUE;
}

static void
on_unbound_destroy (gpointer user_data)
{
  Unbound *u = user_data;

  u->destroyed = TRUE;
}

static void
test_unbound_handler (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  Unbound u = { 0 };
  g_autoptr(MsrpFrame) first = new_send ("carol", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) second = new_send ("carol", 20, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) refused = new_send ("dave", 20, MSRP_REPORT_YES);

  duo_open (f, &d);
  msrp_transport_set_unbound_handler (d.b, on_unbound, &u, on_unbound_destroy);
  send_wait (f, d.a, first, &o);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  send_wait (f, d.a, second, &o);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  g_assert_cmpuint (u.calls, ==, 1);
  g_assert_nonnull (u.bound);
  g_assert_cmpuint (u.bound->bodies->len, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (u.bound->bodies->pdata[1]), ==, 20);

  /* A refusal is the answer. */
  u.status = 506;
  send_wait (f, d.a, refused, &o);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_WRONG_CONNECTION);
  outcome_clear (&o);
  g_assert_cmpuint (u.calls, ==, 2);

  endpoint_free (u.bound);
  duo_close (f, &d);
  /* With the transport (which a write under way may keep a little longer). */
  WAIT_FOR (f, u.destroyed);
}

static void
test_endpoint_refuses (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) refused = new_send ("bob", 100000, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) failed = new_send ("bob", 10, MSRP_REPORT_YES);

  duo_open (f, &d);
  d.bob->head_status = 415;
  send_wait (f, d.a, refused, &o);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE);
  outcome_clear (&o);
  /* The body was dropped: request_body and request_end never ran. */
  g_assert_cmpuint (d.bob->heads->len, ==, 1);
  g_assert_cmpuint (d.bob->bodies->len, ==, 0);

  /* A failure found at the end line is the answer too. */
  d.bob->head_status = MSRP_STATUS_OK;
  d.bob->end_status = 413;
  send_wait (f, d.a, failed, &o);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_STOP_SENDING);
  outcome_clear (&o);
  g_assert_cmpuint (d.bob->bodies->len, ==, 1);
  duo_close (f, &d);
}

/* Malformed and unknown requests */

static const char malformed_send[] =
  "MSRP bad400tid SEND\r\n"
  "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
  "From-Path: msrp://127.0.0.1:2856/alice;tcp\r\n"
  "Byte-Range: 1-3/3\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "abc\r\n"
  "-------bad400tid$\r\n";

static const char valid_send[] =
  "MSRP good200tid SEND\r\n"
  "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
  "From-Path: msrp://127.0.0.1:2856/alice;tcp\r\n"
  "Message-ID: m42\r\n"
  "Byte-Range: 1-5/5\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "hello\r\n"
  "-------good200tid$\r\n";

static void
test_malformed_400 (Fixture *f, gconstpointer data)
{
  Solo s;

  solo_open (f, &s);
  /* No Message-ID: the framing holds, the request is a 400. */
  raw_write (&s.raw, malformed_send, strlen (malformed_send));
  WAIT_FOR (f, s.raw.frames->len == 1);
  g_assert_cmpuint (msrp_frame_get_status (raw_frame (&s.raw, 0)), ==, 400);
  g_assert_cmpstr (msrp_frame_get_transaction_id (raw_frame (&s.raw, 0)), ==, "bad400tid");
  g_assert_cmpuint (s.bob->heads->len, ==, 0);

  raw_write (&s.raw, valid_send, strlen (valid_send));
  WAIT_FOR (f, s.raw.frames->len == 2);
  g_assert_cmpuint (msrp_frame_get_status (raw_frame (&s.raw, 1)), ==, 200);
  g_assert_cmpuint (s.bob->bodies->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (s.bob->bodies->pdata[0], NULL), 5, "hello", 5);
  g_assert_cmpuint (s.w.n_closed, ==, 0);
  g_assert_false (s.raw.eof);
  solo_close (f, &s);
}

static void
test_unknown_method_501 (Fixture *f, gconstpointer data)
{
  static const char file_offset[] =
    "MSRP offset99 FILE_OFFSET\r\n"
    "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
    "From-Path: msrp://127.0.0.1:2856/alice;tcp\r\n"
    "Message-ID: m43\r\n"
    "-------offset99$\r\n";
  Solo s;
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) nickname = new_request ("NICKNAME", "bob", NULL);

  solo_open (f, &s);
  raw_write (&s.raw, file_offset, strlen (file_offset));
  WAIT_FOR (f, s.raw.frames->len == 1);
  g_assert_cmpuint (msrp_frame_get_status (raw_frame (&s.raw, 0)), ==, 501);
  g_assert_cmpstr (msrp_frame_get_transaction_id (raw_frame (&s.raw, 0)), ==, "offset99");
  g_assert_cmpuint (s.bob->heads->len, ==, 0);
  solo_close (f, &s);

  duo_open (f, &d);
  msrp_frame_set_header (nickname, "Use-Nickname", "\"bob\"");
  send_wait (f, d.a, nickname, &o);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_NOT_IMPLEMENTED);
  outcome_clear (&o);
  g_assert_cmpuint (d.bob->heads->len, ==, 0);
  round_trip_barrier (f, &d);
  duo_close (f, &d);
}

static void
test_unknown_response_ignored (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) stray = msrp_frame_new_response ("nosuchtid", 200, NULL);
  g_autoptr(MsrpFrame) request = new_send ("bob", 4, MSRP_REPORT_YES);

  solo_open (f, &s);
  msrp_frame_set_header (stray, "To-Path", "msrp://127.0.0.1:2856/alice;tcp");
  msrp_frame_set_header (stray, "From-Path", "msrp://127.0.0.1:2855/bob;tcp");
  raw_write_frame (&s.raw, stray);
  WAIT_FOR (f, s.w.received->len == 1);
  send (s.t, request, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  raw_answer (&s.raw, raw_frame (&s.raw, 0), 200);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  g_assert_cmpuint (s.w.n_closed, ==, 0);
  solo_close (f, &s);
}

/* AUTH to a relay: the failure response behind the error, and the second
 * response Kamailio sends with the same transaction id */

typedef struct {
  Outcome outcome;
  MsrpFrame *failure;
} FullOutcome;

static void
on_sent_full (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FullOutcome *o = user_data;

  g_assert_false (o->outcome.done);
  o->outcome.response = msrp_transport_send_request_finish_full (MSRP_TRANSPORT (source), result,
                                                                 &o->failure, &o->outcome.error);
  o->outcome.done = TRUE;
}

static void
full_outcome_clear (FullOutcome *o)
{
  outcome_clear (&o->outcome);
  g_clear_pointer (&o->failure, msrp_frame_unref);
}

static void
test_failure_response (Fixture *f, gconstpointer data)
{
  static const char challenge[] = "Digest realm=\"example.org\", nonce=\"abc\", qop=\"auth\"";
  Solo s;
  FullOutcome o = { { 0 } };
  g_autoptr(MsrpFrame) auth = new_request ("AUTH", "relay", NULL);
  g_autoptr(MsrpFrame) again = new_request ("AUTH", "relay", NULL);
  g_autoptr(MsrpFrame) unauthorized = NULL;
  g_autoptr(MsrpFrame) duplicate = NULL;

  solo_open (f, &s);
  msrp_transport_send_request_async (s.t, auth, NULL, on_sent_full, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  unauthorized = msrp_frame_new_response_for (raw_frame (&s.raw, 0), 401, NULL);
  msrp_frame_set_header (unauthorized, "WWW-Authenticate", challenge);
  raw_write_frame (&s.raw, unauthorized);
  WAIT_FOR (f, o.outcome.done);
  g_assert_error (o.outcome.error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED);
  g_assert_null (o.outcome.response);
  g_assert_nonnull (o.failure);
  g_assert_cmpstr (msrp_frame_get_header (o.failure, "WWW-Authenticate"), ==, challenge);
  full_outcome_clear (&o);

  /* A success has no failure response; a second 200 to the same
   * transaction (a relay's, then the far end's) is ignored. */
  msrp_transport_send_request_async (s.t, again, NULL, on_sent_full, &o);
  WAIT_FOR (f, s.raw.frames->len == 2);
  duplicate = msrp_frame_new_response_for (raw_frame (&s.raw, 1), 200, NULL);
  raw_write_frame (&s.raw, duplicate);
  raw_write_frame (&s.raw, duplicate);
  WAIT_FOR (f, s.w.received->len == 3);
  g_assert_true (o.outcome.done);
  g_assert_no_error (o.outcome.error);
  g_assert_nonnull (o.outcome.response);
  g_assert_null (o.failure);
  full_outcome_clear (&o);
  g_assert_cmpuint (s.w.n_closed, ==, 0);
  solo_close (f, &s);
}

/* Losing the framing */

/* A second pair of transports in the same context, to show it is unaffected. */
static void
check_bystander (Fixture *f, Duo *bystander)
{
  round_trip_barrier (f, bystander);
  g_assert_cmpuint (bystander->wa.n_closed + bystander->wb.n_closed, ==, 0);
}

static void
framing_lost (Fixture *f, const void *bytes, gsize size, int code, const char *answered_tid)
{
  Solo s;
  Duo bystander;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) pending = new_send ("bob", 10, MSRP_REPORT_YES);

  duo_open (f, &bystander);
  solo_open (f, &s);
  send (s.t, pending, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  raw_write (&s.raw, bytes, size);
  WAIT_FOR (f, s.w.n_closed == 1 && o.done);
  g_assert_error (s.w.error, MSRP_ERROR, code);
  g_assert_error (o.error, MSRP_ERROR, code);
  g_assert_true (msrp_transport_is_closed (s.t));
  g_assert_cmpuint (s.bob->n_closed, ==, 1);
  g_assert_error (s.bob->closed_error, MSRP_ERROR, code);

  /* The peer gets the 400 (when there is a transaction to answer), then EOF. */
  WAIT_FOR (f, s.raw.eof || s.raw.failed);
  if (answered_tid != NULL)
    {
      g_assert_cmpuint (s.raw.frames->len, ==, 2);
      g_assert_cmpuint (msrp_frame_get_status (raw_frame (&s.raw, 1)), ==, 400);
      g_assert_cmpstr (msrp_frame_get_transaction_id (raw_frame (&s.raw, 1)), ==, answered_tid);
    }
  else
    g_assert_cmpuint (s.raw.frames->len, ==, 1);

  check_bystander (f, &bystander);
  g_assert_cmpuint (s.w.n_closed, ==, 1);
  outcome_clear (&o);
  solo_close (f, &s);
  duo_close (f, &bystander);
}

static void
test_framing_lost_garbage (Fixture *f, gconstpointer data)
{
  static const char garbage[] = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";

  framing_lost (f, garbage, strlen (garbage), MSRP_ERROR_FRAMING, NULL);
}

static void
test_framing_lost_endless_header (Fixture *f, gconstpointer data)
{
  GString *text = g_string_new ("MSRP endless1 SEND\r\n"
                                "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
                                "Subject: ");

  /* Longer than the 16 KiB head limit, and no end of line in sight. */
  for (guint i = 0; i < 20 * 1024; i++)
    g_string_append_c (text, 'a' + i % 26);
  framing_lost (f, text->str, text->len, MSRP_ERROR_LIMIT_EXCEEDED, "endless1");
  g_string_free (text, TRUE);
}

static void
test_garbage_after_valid_frame (Fixture *f, gconstpointer data)
{
  Solo s;
  g_autofree char *bytes = g_strconcat (valid_send, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc", NULL);

  solo_open (f, &s);
  raw_write (&s.raw, bytes, strlen (bytes));
  WAIT_FOR (f, s.w.n_closed == 1);
  g_assert_error (s.w.error, MSRP_ERROR, MSRP_ERROR_FRAMING);
  /* The valid frame before the garbage was delivered. */
  g_assert_cmpuint (s.bob->bodies->len, ==, 1);
  WAIT_FOR (f, s.raw.eof || s.raw.failed);
  solo_close (f, &s);
}

/* Timeouts and cancellation */

static void
test_timeout (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autofree char *expected = NULL;

  solo_open (f, &s);
  msrp_transport_set_response_timeout (s.t, 1);
  g_assert_cmpuint (msrp_transport_get_response_timeout (s.t), ==, 1);
  send (s.t, request, NULL, &o);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_TIMEOUT);
  expected = g_strdup_printf ("no response to %s within 1 s",
                              msrp_frame_get_transaction_id (request));
  g_assert_cmpstr (o.error->message, ==, expected);
  g_assert_cmpuint (s.raw.frames->len, ==, 1);
  /* The transport itself is fine; a late response is ignored. */
  raw_answer (&s.raw, raw_frame (&s.raw, 0), 200);
  WAIT_FOR (f, s.w.received->len == 1);
  g_assert_false (msrp_transport_is_closed (s.t));
  outcome_clear (&o);
  solo_close (f, &s);
}

static void
on_notify (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
test_properties (Fixture *f, gconstpointer data)
{
  Solo s;
  guint timeout_notified = 0, closed_notified = 0;
  g_autoptr(GIOStream) stream = NULL;
  guint timeout;
  gboolean closed;

  solo_open (f, &s);
  g_signal_connect (s.t, "notify::response-timeout", G_CALLBACK (on_notify), &timeout_notified);
  g_signal_connect (s.t, "notify::closed", G_CALLBACK (on_notify), &closed_notified);
  g_object_get (s.t, "stream", &stream, "response-timeout", &timeout, "closed", &closed, NULL);
  g_assert_true (stream == s.sa);
  g_assert_true (msrp_transport_get_stream (s.t) == s.sa);
  g_assert_cmpuint (timeout, ==, MSRP_TRANSPORT_DEFAULT_RESPONSE_TIMEOUT);
  g_assert_false (closed);
  g_object_set (s.t, "response-timeout", 7, NULL);
  g_object_set (s.t, "response-timeout", 7, NULL);
  g_assert_cmpuint (timeout_notified, ==, 1);
  msrp_transport_abort (s.t, NULL);
  g_assert_cmpuint (closed_notified, ==, 1);
  g_assert_true (msrp_transport_is_closed (s.t));
  g_assert_cmpuint (s.w.n_closed, ==, 1);
  g_assert_null (s.w.error);
  solo_close (f, &s);
}

/* Fills the link until a frame of @t stays queued; the peer must not read. */
static void
fill_until_queued (Fixture *f, MsrpTransport *t, GPtrArray *outcomes)
{
  g_autoptr(GBytes) body = make_body (1024 * 1024, 1);

  while (msrp_transport_get_queued_bytes (t) == 0)
    {
      g_autoptr(MsrpFrame) filler = new_request ("SEND", "bob", body);
      Outcome *o = g_new0 (Outcome, 1);

      msrp_frame_set_failure_report (filler, MSRP_REPORT_NO);
      g_ptr_array_add (outcomes, o);
      send (t, filler, NULL, o);
      /* Write what the link takes now, without waiting for it to take more:
       * a link that is full already takes nothing of this filler (over TLS
       * that is most runs, as a record goes out whole or not at all). */
      dispatch_ready (f);
    }
}

static void
outcome_free (Outcome *o)
{
  outcome_clear (o);
  g_free (o);
}

static void
test_cancel_before_write (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome first = { 0 }, o = { 0 }, after = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) cancelled = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) later = new_send ("bob", 10, MSRP_REPORT_YES);

  duo_open (f, &d);
  /* Cancelled before the transport had a chance to write anything. */
  send (d.a, request, NULL, &first);
  send (d.a, cancelled, cancellable, &o);
  send (d.a, later, NULL, &after);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (f, first.done && o.done && after.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (first.error);
  g_assert_no_error (after.error);
  g_assert_cmpuint (d.bob->heads->len, ==, 2);
  WAIT_FOR (f, d.wa.sent->len >= 2);
  g_assert_cmpuint (d.wa.sent->len, ==, 2);
  g_assert_true (d.wa.sent->pdata[0] == request);
  g_assert_true (d.wa.sent->pdata[1] == later);
  outcome_clear (&first);
  outcome_clear (&o);
  outcome_clear (&after);
  duo_close (f, &d);
}

/* Cancelled while waiting behind frames the link does not take. */
static void
test_cancel_while_queued (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 }, after = { 0 };
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MsrpFrame) cancelled = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) later = new_send ("bob", 10, MSRP_REPORT_YES);
  guint64 queued;

  duo_open (f, &d);
  msrp_transport_hold_reading (d.b);
  fill_until_queued (f, d.a, fillers);
  queued = msrp_transport_get_queued_bytes (d.a);
  send (d.a, cancelled, cancellable, &o);
  send (d.a, later, NULL, &after);
  g_assert_cmpuint (msrp_transport_get_queued_bytes (d.a), >, queued);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  msrp_transport_release_reading (d.b);
  WAIT_FOR (f, after.done);
  g_assert_no_error (after.error);
  /* It never went out: B saw the fillers and the later SEND only. */
  g_assert_cmpuint (d.bob->heads->len, ==, fillers->len + 1);
  for (guint i = 0; i < d.bob->heads->len; i++)
    g_assert_cmpstr (msrp_frame_get_transaction_id (d.bob->heads->pdata[i]), !=,
                     msrp_frame_get_transaction_id (cancelled));
  outcome_clear (&o);
  outcome_clear (&after);
  duo_close (f, &d);
}

static void
test_cancel_after_write (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 }, next = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) request2 = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  send (s.t, request, cancellable, &o);
  WAIT_FOR (f, s.w.sent->len == 1);
  g_cancellable_cancel (cancellable);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The response comes anyway and is ignored; the next request works. */
  WAIT_FOR (f, s.raw.frames->len == 1);
  raw_answer (&s.raw, raw_frame (&s.raw, 0), 200);
  send (s.t, request2, NULL, &next);
  WAIT_FOR (f, s.raw.frames->len == 2);
  raw_answer (&s.raw, raw_frame (&s.raw, 1), 200);
  WAIT_FOR (f, next.done);
  g_assert_no_error (next.error);
  outcome_clear (&o);
  outcome_clear (&next);
  solo_close (f, &s);
}

static void
test_cancelled_already (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  g_cancellable_cancel (cancellable);
  send (s.t, request, cancellable, &o);
  g_assert_false (o.done);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (s.w.sent->len, ==, 0);
  outcome_clear (&o);
  solo_close (f, &s);
}

static void
test_duplicate_tid (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 }, again = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  send (s.t, request, NULL, &o);
  send (s.t, request, NULL, &again);
  WAIT_FOR (f, again.done);
  g_assert_error (again.error, MSRP_ERROR, MSRP_ERROR_FAILED);
  WAIT_FOR (f, s.raw.frames->len == 1);
  raw_answer (&s.raw, raw_frame (&s.raw, 0), 200);
  WAIT_FOR (f, o.done);
  g_assert_no_error (o.error);
  outcome_clear (&o);
  outcome_clear (&again);
  solo_close (f, &s);
}

/* Closing */

static void
on_close_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *o = user_data;

  g_assert_true (msrp_transport_close_finish (MSRP_TRANSPORT (source), result, &o->error));
  o->done = TRUE;
}

static void
test_close_flushes (Fixture *f, gconstpointer data)
{
  enum { N = 6 };
  Duo d;
  Outcome o[N] = { 0 }, closed = { 0 }, refused = { 0 };
  MsrpFrame *requests[N];
  g_autoptr(MsrpFrame) too_late = new_send ("bob", 1, MSRP_REPORT_NO);

  duo_open (f, &d);
  for (guint i = 0; i < N; i++)
    {
      /* The last awaits a response that cannot come any more. */
      requests[i] = new_send ("bob", 40000 * i, i < N - 1 ? MSRP_REPORT_NO : MSRP_REPORT_YES);
      send (d.a, requests[i], NULL, &o[i]);
    }
  msrp_transport_close_async (d.a, NULL, on_close_done, &closed);
  send (d.a, too_late, NULL, &refused);
  WAIT_FOR (f, closed.done && refused.done);
  g_assert_no_error (closed.error);
  g_assert_error (refused.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  for (guint i = 0; i < N; i++)
    {
      g_assert_true (o[i].done);
      if (i < N - 1)
        g_assert_no_error (o[i].error);
      else
        g_assert_error (o[i].error, MSRP_ERROR, MSRP_ERROR_CLOSED);
    }
  g_assert_cmpuint (d.wa.n_closed, ==, 1);
  g_assert_null (d.wa.error);
  g_assert_cmpuint (d.alice->n_closed, ==, 1);

  /* B got every frame, then the end of the stream. */
  WAIT_FOR (f, d.wb.n_closed == 1);
  g_assert_cmpuint (d.bob->bodies->len, ==, N);
  for (guint i = 0; i < N; i++)
    {
      g_assert_cmpstr (msrp_frame_get_message_id (d.bob->heads->pdata[i]), ==,
                       msrp_frame_get_message_id (requests[i]));
      g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[i]), ==, 40000 * i);
      outcome_clear (&o[i]);
      msrp_frame_unref (requests[i]);
    }
  outcome_clear (&closed);
  outcome_clear (&refused);

  /* Closing again is fine. */
  msrp_transport_close_async (d.a, NULL, on_close_done, &closed);
  WAIT_FOR (f, closed.done);
  outcome_clear (&closed);
  duo_close (f, &d);
}

static void
test_peer_eof_mid_frame (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) pending = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  send (s.t, pending, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  raw_write (&s.raw, valid_send, strlen (valid_send) - 10);
  WAIT_FOR (f, s.bob->heads->len == 1);
  g_io_stream_close (s.sb, NULL, NULL);
  WAIT_FOR (f, s.w.n_closed == 1 && o.done);
  g_assert_error (s.w.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  g_assert_cmpstr (s.w.error->message, ==, "connection closed in the middle of a frame");
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  g_assert_cmpuint (s.bob->n_closed, ==, 1);
  g_assert_cmpuint (s.bob->bodies->len, ==, 0);
  outcome_clear (&o);
  solo_close (f, &s);
}

static void
test_peer_clean_eof (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) pending = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  send (s.t, pending, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  g_io_stream_close (s.sb, NULL, NULL);
  WAIT_FOR (f, s.w.n_closed == 1 && o.done);
  g_assert_null (s.w.error);
  g_assert_null (s.bob->closed_error);
  g_assert_cmpuint (s.bob->n_closed, ==, 1);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  outcome_clear (&o);
  solo_close (f, &s);
}

typedef struct {
  TestEndpoint *ep;
  gboolean done;
} UnbindOnFailure;

static void
unbind_on_failure (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UnbindOnFailure *u = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpFrame) response = NULL;

  response = msrp_transport_send_request_finish (MSRP_TRANSPORT (source), result, &error);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  msrp_transport_unbind_endpoint (u->ep->transport, u->ep->session_id);
  u->done = TRUE;
}

/* The pending requests fail before the endpoints hear of the close: one
 * unbound by that code (a session giving up its connection) is not told,
 * as its owner may be gone. */
static void
test_unbind_while_closing (Fixture *f, gconstpointer data)
{
  Solo s;
  UnbindOnFailure u = { 0 };
  g_autoptr(MsrpFrame) pending = new_send ("bob", 10, MSRP_REPORT_YES);

  solo_open (f, &s);
  u.ep = s.bob;
  msrp_transport_send_request_async (s.t, pending, NULL, unbind_on_failure, &u);
  WAIT_FOR (f, s.raw.frames->len == 1);
  g_io_stream_close (s.sb, NULL, NULL);
  WAIT_FOR (f, s.w.n_closed == 1 && u.done);
  g_assert_cmpuint (s.bob->n_closed, ==, 0);
  solo_close (f, &s);
}

static void
test_abort (Fixture *f, gconstpointer data)
{
  Solo s;
  Outcome o = { 0 }, late = { 0 };
  g_autoptr(MsrpFrame) pending = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) too_late = new_send ("bob", 10, MSRP_REPORT_YES);
  g_autoptr(GError) why = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_FAILED, "session over");

  solo_open (f, &s);
  send (s.t, pending, NULL, &o);
  WAIT_FOR (f, s.raw.frames->len == 1);
  msrp_transport_abort (s.t, why);
  g_assert_cmpuint (s.w.n_closed, ==, 1);
  g_assert_error (s.w.error, MSRP_ERROR, MSRP_ERROR_FAILED);
  g_assert_cmpstr (s.w.error->message, ==, "session over");
  g_assert_error (s.bob->closed_error, MSRP_ERROR, MSRP_ERROR_FAILED);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_FAILED);
  send (s.t, too_late, NULL, &late);
  WAIT_FOR (f, late.done);
  g_assert_error (late.error, MSRP_ERROR, MSRP_ERROR_CLOSED);
  WAIT_FOR (f, s.raw.eof || s.raw.failed);
  /* Once only. */
  msrp_transport_abort (s.t, NULL);
  dispatch_ready (f);
  g_assert_cmpuint (s.w.n_closed, ==, 1);
  outcome_clear (&o);
  outcome_clear (&late);
  solo_close (f, &s);
}

static void
test_write_error (Fixture *f, gconstpointer data)
{
  enum { N = 5 };
  Duo d;
  Outcome o[N] = { 0 };
  g_autoptr(GError) injected = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                    "link went down");

  duo_open (f, &d);
  msrp_test_stream_pair_fail_writes (d.pair, MSRP_TEST_A_TO_B, 100000, injected);
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(MsrpFrame) request = new_send ("bob", 30000, MSRP_REPORT_YES);

      send (d.a, request, NULL, &o[i]);
    }
  WAIT_FOR (f, d.wa.n_closed == 1);
  g_assert_error (d.wa.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_nonnull (strstr (d.wa.error->message, "link went down"));
  g_assert_nonnull (strstr (d.wa.error->message, "write"));
  for (guint i = 0; i < N; i++)
    {
      WAIT_FOR (f, o[i].done);
      /* Some made it before the failure and were answered. */
      if (o[i].error != NULL)
        g_assert_error (o[i].error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
      outcome_clear (&o[i]);
    }
  g_assert_nonnull (d.alice->closed_error);
  dispatch_ready (f);
  g_assert_cmpuint (d.wa.n_closed, ==, 1);
  duo_close (f, &d);
}

/* Write order and flow control */

/* The transaction ids of the requests @w saw arrive, in order. */
static GPtrArray *
arrived_tids (Watch *w)
{
  GPtrArray *tids = g_ptr_array_new ();

  for (guint i = 0; i < w->received->len; i++)
    if (msrp_frame_is_request (w->received->pdata[i]))
      g_ptr_array_add (tids, (gpointer) msrp_frame_get_transaction_id (w->received->pdata[i]));
  return tids;
}

static void
test_control_before_bulk (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o[4] = { 0 };
  MsrpFrame *frames[4] = { new_send ("bob", 100, MSRP_REPORT_NO),
                           new_send ("bob", 100, MSRP_REPORT_NO),
                           new_report ("bob"),
                           new_request ("NICKNAME", "bob", NULL) };
  const guint expected[4] = { 2, 3, 0, 1 };
  g_autoptr(GPtrArray) tids = NULL;

  duo_open (f, &d);
  /* Queued together: the REPORT and the NICKNAME go first, the SENDs keep
   * their order. */
  for (guint i = 0; i < 4; i++)
    send (d.a, frames[i], NULL, &o[i]);
  WAIT_FOR (f, o[0].done && o[1].done && o[2].done && o[3].done);
  g_assert_error (o[3].error, MSRP_ERROR, MSRP_ERROR_NOT_IMPLEMENTED);
  /* The SENDs, written after the NICKNAME, may still be on their way. */
  WAIT_FOR (f, count_requests (d.wb.received) == 4);
  tids = arrived_tids (&d.wb);
  g_assert_cmpuint (tids->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (tids->pdata[i], ==, msrp_frame_get_transaction_id (frames[expected[i]]));
  for (guint i = 0; i < 4; i++)
    {
      outcome_clear (&o[i]);
      msrp_frame_unref (frames[i]);
    }
  duo_close (f, &d);
}

static void
test_partial_frame_first (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome big = { 0 }, o[2] = { 0 }, report = { 0 }, nick = { 0 };
  g_autoptr(MsrpFrame) big_send = new_send ("bob", 4 * 1024 * 1024, MSRP_REPORT_NO);
  MsrpFrame *sends[2] = { new_send ("bob", 100, MSRP_REPORT_NO),
                          new_send ("bob", 100, MSRP_REPORT_NO) };
  g_autoptr(MsrpFrame) report_frame = new_report ("bob");
  g_autoptr(MsrpFrame) nick_frame = new_request ("NICKNAME", "bob", NULL);
  g_autoptr(GPtrArray) order = NULL;

  duo_open (f, &d);
  /* A big SEND that starts going out, then more SENDs, a REPORT and another
   * request: the big one finishes first, then the control frames overtake
   * the queued SENDs, which stay in their order. */
  msrp_transport_hold_reading (d.b);
  send (d.a, big_send, NULL, &big);
  WAIT_FOR (f, msrp_transport_get_queued_bytes (d.a) > 0
               && msrp_transport_get_queued_bytes (d.a) < g_bytes_get_size (msrp_frame_get_body (big_send)));
  send (d.a, sends[0], NULL, &o[0]);
  send (d.a, sends[1], NULL, &o[1]);
  send (d.a, report_frame, NULL, &report);
  send (d.a, nick_frame, NULL, &nick);
  msrp_transport_release_reading (d.b);
  WAIT_FOR (f, big.done && o[0].done && o[1].done && report.done && nick.done);
  g_assert_error (nick.error, MSRP_ERROR, MSRP_ERROR_NOT_IMPLEMENTED);
  WAIT_FOR (f, count_requests (d.wb.received) == 5 && d.bob->bodies->len == 4);

  order = arrived_tids (&d.wb);
  g_assert_cmpuint (order->len, ==, 5);
  g_assert_cmpstr (order->pdata[0], ==, msrp_frame_get_transaction_id (big_send));
  g_assert_cmpstr (order->pdata[1], ==, msrp_frame_get_transaction_id (report_frame));
  g_assert_cmpstr (order->pdata[2], ==, msrp_frame_get_transaction_id (nick_frame));
  g_assert_cmpstr (order->pdata[3], ==, msrp_frame_get_transaction_id (sends[0]));
  g_assert_cmpstr (order->pdata[4], ==, msrp_frame_get_transaction_id (sends[1]));
  g_assert_cmpuint (d.bob->bodies->len, ==, 4);
  g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[0]), ==, 4 * 1024 * 1024);
  outcome_clear (&big);
  outcome_clear (&o[0]);
  outcome_clear (&o[1]);
  outcome_clear (&report);
  outcome_clear (&nick);
  msrp_frame_unref (sends[0]);
  msrp_frame_unref (sends[1]);
  duo_close (f, &d);
}

static void
test_queued_bytes_writable (Fixture *f, gconstpointer data)
{
  enum { N = 6 };
  Duo d;
  Outcome o[N] = { 0 };
  g_autoptr(GBytes) body = make_body (512 * 1024, 3);
  guint64 total = 0;

  duo_open (f, &d);
  msrp_transport_hold_reading (d.b);
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(MsrpFrame) request = new_request ("SEND", "bob", body);

      msrp_frame_set_failure_report (request, MSRP_REPORT_NO);
      send (d.a, request, NULL, &o[i]);
      total = msrp_transport_get_queued_bytes (d.a);
    }
  g_assert_cmpuint (total, >, N * g_bytes_get_size (body));
  g_assert_cmpuint (total, >, MSRP_TRANSPORT_HIGH_WATER);
  g_assert_cmpuint (d.alice->n_writable, ==, 0);
  msrp_transport_release_reading (d.b);
  WAIT_FOR (f, msrp_transport_get_queued_bytes (d.a) == 0 && o[N - 1].done);
  /* Called once when the queue fell below the low-water mark. */
  g_assert_cmpuint (d.alice->n_writable, ==, 1);
  WAIT_FOR (f, d.bob->bodies->len == N);
  for (guint i = 0; i < N; i++)
    {
      g_assert_no_error (o[i].error);
      g_assert_true (g_bytes_equal (d.bob->bodies->pdata[i], body));
      outcome_clear (&o[i]);
    }
  duo_close (f, &d);
}

static void
test_hold_reading (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o[3] = { 0 };
  MsrpFrame *requests[3];
  guint before;

  duo_open (f, &d);
  for (guint i = 0; i < 3; i++)
    requests[i] = new_send ("bob", 1000, MSRP_REPORT_YES);
  send_wait (f, d.a, requests[0], &o[0]);
  msrp_transport_hold_reading (d.b);
  msrp_transport_hold_reading (d.b);
  send (d.a, requests[1], NULL, &o[1]);
  WAIT_FOR (f, d.wa.sent->len == 2);
  if (f->link->kind == LINK_TCP_PLAIN)
    {
      /* A read already under way still delivers what it got. */
      WAIT_FOR (f, d.bob->heads->len == 2);
      send (d.a, requests[2], NULL, &o[2]);
      WAIT_FOR (f, d.wa.sent->len == 3);
    }
  before = d.bob->heads->len;
  dispatch_ready (f);
  g_assert_cmpuint (d.bob->heads->len, ==, before);
  msrp_transport_release_reading (d.b);
  dispatch_ready (f);
  g_assert_cmpuint (d.bob->heads->len, ==, before);
  msrp_transport_release_reading (d.b);
  if (f->link->kind != LINK_TCP_PLAIN)
    send (d.a, requests[2], NULL, &o[2]);
  WAIT_FOR (f, o[1].done && o[2].done);
  g_assert_cmpuint (d.bob->bodies->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_error (o[i].error);
      outcome_clear (&o[i]);
      msrp_frame_unref (requests[i]);
    }
  duo_close (f, &d);
}

/* Held requests wait, neither routed nor parsed beyond the first head,
 * until every hold is released; then they all arrive in order and whole
 * (a bodiless one, whose end line the parser reports with its head, and
 * ones with bodies, one larger than a read). */
static void
test_hold_requests (Fixture *f, gconstpointer data)
{
  static const gsize sizes[] = { 0, 1000, 200000 };
  Duo d;
  Outcome o[G_N_ELEMENTS (sizes)] = { 0 };
  MsrpFrame *requests[G_N_ELEMENTS (sizes)];

  duo_open (f, &d);
  msrp_transport_hold_requests (d.b);
  msrp_transport_hold_requests (d.b);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      requests[i] = new_send ("bob", sizes[i], MSRP_REPORT_YES);
      send (d.a, requests[i], NULL, &o[i]);
    }
  WAIT_FOR (f, d.wb.received->len == 1);
  dispatch_ready (f);
  g_assert_cmpuint (d.wb.received->len, ==, 1);
  g_assert_cmpuint (d.bob->heads->len, ==, 0);
  g_assert_false (o[0].done);
  msrp_transport_release_requests (d.b);
  dispatch_ready (f);
  g_assert_cmpuint (d.bob->heads->len, ==, 0);
  msrp_transport_release_requests (d.b);
  WAIT_FOR (f, o[0].done && o[1].done && o[2].done);
  g_assert_cmpuint (d.bob->bodies->len, ==, G_N_ELEMENTS (sizes));
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_assert_no_error (o[i].error);
      g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[i]), ==, sizes[i]);
      g_assert_cmpstr (msrp_frame_get_transaction_id (d.bob->heads->pdata[i]), ==,
                       msrp_frame_get_transaction_id (requests[i]));
      outcome_clear (&o[i]);
      msrp_frame_unref (requests[i]);
    }
  duo_close (f, &d);
}

/* A handler runs a main loop (a modal dialog, say) while the transport is
 * in the middle of parsing, and more arrives meanwhile: the read goes on
 * after the handler returns, in order. */
typedef struct {
  Fixture *f;
  Duo *d;
  MsrpFrame *second;
  Outcome *o2;
  gboolean nested;
} Nest;

static void
on_frame_run_loop (MsrpTransport *transport, MsrpFrame *head, Nest *n)
{
  if (n->nested || !msrp_frame_is_request (head))
    return;
  n->nested = TRUE;
  send (n->d->a, n->second, NULL, n->o2);
  WAIT_FOR (n->f, n->d->wa.sent->len == 2);
  /* Written is readable at B on every link but the plain one, whose read
   * is only started after this frame. */
  dispatch_ready (n->f);
}

static void
test_nested_main_loop (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o1 = { 0 }, o2 = { 0 };
  g_autoptr(MsrpFrame) first = new_send ("bob", 2000, MSRP_REPORT_YES);
  g_autoptr(MsrpFrame) second = new_send ("bob", 3000, MSRP_REPORT_YES);
  Nest n = { f, &d, second, &o2, FALSE };

  duo_open (f, &d);
  g_signal_connect (d.b, "frame-received", G_CALLBACK (on_frame_run_loop), &n);
  send (d.a, first, NULL, &o1);
  WAIT_FOR (f, o1.done && o2.done);
  g_assert_no_error (o1.error);
  g_assert_no_error (o2.error);
  g_assert_cmpuint (d.bob->bodies->len, ==, 2);
  g_assert_cmpstr (msrp_frame_get_message_id (d.bob->heads->pdata[0]), ==,
                   msrp_frame_get_message_id (first));
  g_assert_cmpstr (msrp_frame_get_message_id (d.bob->heads->pdata[1]), ==,
                   msrp_frame_get_message_id (second));
  g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[0]), ==, 2000);
  g_assert_cmpuint (g_bytes_get_size (d.bob->bodies->pdata[1]), ==, 3000);
  g_assert_cmpuint (d.wb.n_closed, ==, 0);
  g_signal_handlers_disconnect_by_data (d.b, &n);
  outcome_clear (&o1);
  outcome_clear (&o2);
  duo_close (f, &d);
}

/* Appends a SEND without a response of exactly @size bytes to @text. */
static void
append_send_of_size (GString *text, const char *tid, gsize size)
{
  gsize body = 0;
  gsize start = text->len;

  /* The head grows with the digits of the body size: settle on a size. */
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *head =
        g_strdup_printf ("MSRP %s SEND\r\n"
                         "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
                         "From-Path: msrp://127.0.0.1:2856/alice;tcp\r\n"
                         "Message-ID: %s\r\n"
                         "Failure-Report: no\r\n"
                         "Byte-Range: 1-%" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT "\r\n"
                         "Content-Type: text/plain\r\n\r\n", tid, tid, body, body);
      gsize overhead = strlen (head) + strlen ("\r\n-------$\r\n") + strlen (tid);

      g_assert_cmpuint (size, >, overhead);
      body = size - overhead;
      if (round == 2)
        {
          g_string_append (text, head);
          for (gsize i = 0; i < body; i++)
            g_string_append_c (text, 'a' + i % 26);
          g_string_append_printf (text, "\r\n-------%s$\r\n", tid);
        }
    }
  g_assert_cmpuint (text->len - start, ==, size);
}

static void
hold_on_tid (MsrpTransport *transport, MsrpFrame *head, gboolean *held)
{
  if (g_strcmp0 (msrp_frame_get_transaction_id (head), "held") == 0)
    {
      msrp_transport_hold_reading (transport);
      *held = TRUE;
    }
}

/* A hold taken in the middle of a TLS record: the peer's frames fill the
 * transport's first read block but for one frame's worth, then one record
 * carries two frames. The read that fills the block takes the first of
 * them, which takes a hold; the other stays decrypted inside the TLS
 * connection, whose socket has nothing more. After the release the
 * transport must still read it, although no source polls readable. On the
 * other links this is a hold and release at the end of a block. */
static void
test_hold_mid_record (Fixture *f, gconstpointer data)
{
  enum { N_BEFORE = 5, FRAME = 300 };
  Solo s;
  gboolean held = FALSE;
  gsize before = MSRP_TRANSPORT_READ_BLOCK_SIZE - FRAME;
  g_autoptr(GString) last = g_string_new (NULL);

  solo_open (f, &s);
  g_signal_connect (s.t, "frame-received", G_CALLBACK (hold_on_tid), &held);
  /* One write is one TLS record: at most 16 KiB each. */
  for (guint i = 0; i < N_BEFORE; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *tid = g_strdup_printf ("before%u", i);
      gsize size = i + 1 < N_BEFORE ? before / N_BEFORE : before - (N_BEFORE - 1) * (before / N_BEFORE);

      append_send_of_size (text, tid, size);
      raw_write (&s.raw, text->str, text->len);
    }
  append_send_of_size (last, "held", FRAME);
  append_send_of_size (last, "after", FRAME);
  raw_write (&s.raw, last->str, last->len);

  WAIT_FOR (f, held);
  dispatch_ready (f);
  /* The block ends with the held frame; without polling, a read already
   * under way may have taken the next one too. */
  if (f->link->kind != LINK_TCP_PLAIN)
    g_assert_cmpuint (s.bob->heads->len, ==, N_BEFORE + 1);
  msrp_transport_release_reading (s.t);
  WAIT_FOR (f, s.bob->bodies->len == N_BEFORE + 2);
  g_assert_cmpstr (msrp_frame_get_transaction_id (s.bob->heads->pdata[N_BEFORE]), ==, "held");
  g_assert_cmpstr (msrp_frame_get_transaction_id (s.bob->heads->pdata[N_BEFORE + 1]), ==, "after");
  solo_close (f, &s);
}

static void
test_frame_signals (Fixture *f, gconstpointer data)
{
  Duo d;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", 70000, MSRP_REPORT_YES);

  duo_open (f, &d);
  send_wait (f, d.a, request, &o);
  g_assert_no_error (o.error);
  /* Asynchronous writes may report their end after the response came. */
  WAIT_FOR (f, d.wa.sent->len == 1 && d.wb.sent->len == 1);
  g_assert_true (d.wa.sent->pdata[0] == request);
  g_assert_cmpuint (d.wb.received->len, ==, 1);
  g_assert_cmpstr (msrp_frame_get_transaction_id (d.wb.received->pdata[0]), ==,
                   msrp_frame_get_transaction_id (request));
  /* Heads only: the body went to the endpoint. */
  g_assert_null (msrp_frame_get_body (d.wb.received->pdata[0]));
  g_assert_cmpuint (msrp_frame_get_status (d.wb.sent->pdata[0]), ==, 200);
  g_assert_cmpuint (d.wa.received->len, ==, 1);
  g_assert_true (d.wa.received->pdata[0] == o.response);
  outcome_clear (&o);
  duo_close (f, &d);
}

static void
keep_sent (MsrpTransport *transport, MsrpFrame *frame, GPtrArray *frames)
{
  g_ptr_array_add (frames, msrp_frame_ref (frame));
}

static void
on_chunk_done (MsrpTransport *transport, MsrpFrame *response, const GError *error,
               gpointer user_data)
{
  Outcome *o = user_data;

  g_assert_false (o->done);
  o->response = response != NULL ? msrp_frame_ref (response) : NULL;
  o->error = error != NULL ? g_error_copy (error) : NULL;
  o->done = TRUE;
}

/* Whether the last frame of @sent has transaction id @tid. */
static gboolean
last_sent_is (GPtrArray *sent, MsrpFrame *response)
{
  return sent->len > 0
    && g_strcmp0 (msrp_frame_get_transaction_id (sent->pdata[sent->len - 1]),
                  msrp_frame_get_transaction_id (response)) == 0;
}

/* SENDs of msrp_transport_send_chunk() and their 200s, formatted straight
 * into the queue: `frame-sent` gets them parsed back, as the frames they
 * stand for. A frame queued before the handler was connected may be
 * emitted too when its write ends later (an asynchronous write). */
static void
test_send_chunk (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  g_autoptr(MsrpTransport) a = NULL;
  g_autoptr(MsrpTransport) b = NULL;
  g_autoptr(TestEndpoint) bob = NULL;
  g_autoptr(GPtrArray) sent_a = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  g_autoptr(GPtrArray) sent_b = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  g_autoptr(GBytes) body = make_body (100, 3);
  MsrpSendSpec spec = {
    .to_path = "msrp://127.0.0.1:2855/bob;tcp",
    .from_path = "msrp://127.0.0.1:2856/alice;tcp",
    .message_id = "chunk0001",
    .total = 300,
    .failure_report = MSRP_REPORT_YES,
    .content_type = "text/plain",
    .body = body,
    .flag = MSRP_CONTINUATION_MORE,
  };
  Outcome o[2] = { 0 };

  make_link (f, &sa, &sb, NULL);
  a = msrp_transport_new (sa);
  b = msrp_transport_new (sb);
  bob = endpoint_new (b, "bob");
  msrp_transport_start (a);
  msrp_transport_start (b);
  for (guint i = 0; i < 2; i++)
    {
      MsrpFrame *head;
      gint64 start, end, total;

      if (i == 1)
        {
          g_signal_connect (a, "frame-sent", G_CALLBACK (keep_sent), sent_a);
          g_signal_connect (b, "frame-sent", G_CALLBACK (keep_sent), sent_b);
        }
      spec.start = 1 + 100 * i;
      spec.end = 100 * (i + 1);
      msrp_transport_send_chunk (a, &spec, on_chunk_done, &o[i]);
      WAIT_FOR (f, o[i].done);
      g_assert_no_error (o[i].error);
      g_assert_cmpuint (msrp_frame_get_status (o[i].response), ==, 200);
      g_assert_cmpstr (msrp_frame_get_header (o[i].response, "To-Path"), ==, spec.from_path);
      g_assert_cmpstr (msrp_frame_get_header (o[i].response, "From-Path"), ==, spec.to_path);
      g_assert_cmpuint (bob->heads->len, ==, i + 1);
      head = bob->heads->pdata[i];
      g_assert_cmpstr (msrp_frame_get_transaction_id (head), ==,
                       msrp_frame_get_transaction_id (o[i].response));
      g_assert_cmpstr (msrp_frame_get_message_id (head), ==, "chunk0001");
      g_assert_true (msrp_frame_get_byte_range (head, &start, &end, &total, NULL));
      g_assert_cmpint (start, ==, spec.start);
      g_assert_cmpint (end, ==, spec.end);
      g_assert_cmpint (total, ==, 300);
      g_assert_cmpstr (msrp_frame_get_content_type (head), ==, "text/plain");
      g_assert_true (g_bytes_equal (bob->bodies->pdata[i], body));
      g_assert_cmpuint (bob->last_flag, ==, MSRP_CONTINUATION_MORE);
    }
  WAIT_FOR (f, last_sent_is (sent_a, o[1].response) && last_sent_is (sent_b, o[1].response));
  g_assert_cmpuint (sent_a->len, <=, 2);
  g_assert_cmpuint (sent_b->len, <=, 2);
  g_ptr_array_remove_range (sent_a, 0, sent_a->len - 1);
  g_ptr_array_remove_range (sent_b, 0, sent_b->len - 1);
  g_assert_cmpstr (msrp_frame_get_transaction_id (sent_a->pdata[0]), ==,
                   msrp_frame_get_transaction_id (o[1].response));
  g_assert_true (g_bytes_equal (msrp_frame_get_body (sent_a->pdata[0]), body));
  {
    g_autoptr(MsrpFrame) expected =
      msrp_send_spec_to_frame (&spec, msrp_frame_get_transaction_id (sent_a->pdata[0]));
    g_autoptr(GBytes) expected_bytes = msrp_frame_to_bytes (expected);
    g_autoptr(GBytes) sent_bytes = msrp_frame_to_bytes (sent_a->pdata[0]);

    g_assert_true (g_bytes_equal (sent_bytes, expected_bytes));
    g_assert_cmpint (msrp_frame_get_continuation (sent_a->pdata[0]), ==, MSRP_CONTINUATION_MORE);
  }
  g_assert_cmpuint (msrp_frame_get_status (sent_b->pdata[0]), ==, 200);
  g_assert_cmpstr (msrp_frame_get_transaction_id (sent_b->pdata[0]), ==,
                   msrp_frame_get_transaction_id (o[1].response));
  g_signal_handlers_disconnect_by_data (a, sent_a);
  g_signal_handlers_disconnect_by_data (b, sent_b);
  outcome_clear (&o[0]);
  outcome_clear (&o[1]);
  g_clear_pointer (&bob, endpoint_free);
  g_clear_object (&a);
  g_clear_object (&b);
  dispatch_ready (f);
}

/* What the queue gets without a frame: the bytes of the frame it stands for. */
static void
check_spec_bytes (const MsrpSendSpec *spec)
{
  g_autoptr(MsrpFrame) frame = msrp_send_spec_to_frame (spec, "tid00042");
  g_autoptr(GBytes) expected = msrp_frame_to_bytes (frame);
  g_autoptr(GString) text = g_string_new (NULL);
  GBytes *body = spec->content_type != NULL ? spec->body : NULL;
  gsize body_size = body != NULL ? g_bytes_get_size (body) : 0;

  msrp_send_spec_append_head (spec, "tid00042", text);
  if (body_size > 0)
    g_string_append_len (text, g_bytes_get_data (body, NULL), body_size);
  msrp_append_end_line (text, "tid00042", body_size, spec->flag);
  g_assert_cmpmem (text->str, text->len, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
}

static void
check_response_bytes (MsrpFrame *request, guint status)
{
  g_autoptr(MsrpFrame) response = msrp_frame_new_response_for (request, status, NULL);
  g_autoptr(GBytes) expected = msrp_frame_to_bytes (response);
  g_autoptr(GString) text = g_string_new (NULL);

  msrp_response_append_head (request, status, text);
  msrp_append_end_line (text, msrp_frame_get_transaction_id (request), 0,
                        MSRP_CONTINUATION_COMPLETE);
  g_assert_cmpmem (text->str, text->len, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));
}

static void
test_preformatted_frames (void)
{
  g_autoptr(GBytes) body = make_body (5000, 9);
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  static const MsrpReportMode modes[] = { MSRP_REPORT_YES, MSRP_REPORT_NO, MSRP_REPORT_PARTIAL };
  static const guint statuses[] = { 200, 400, 413, 481, 599 };
  static const char *const methods[] = { "SEND", "REPORT", "NICKNAME", "FOO" };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint flag = 0; flag < 3; flag++)
      {
        MsrpSendSpec spec = {
          .to_path = "msrp://relay.example.com:2855/r1;tcp msrp://127.0.0.1:2855/bob;tcp",
          .from_path = "msrp://127.0.0.1:2856/alice;tcp",
          .message_id = "m-42",
          .start = 1,
          .end = 5000,
          .total = flag == 1 ? -1 : 5000,
          .success_report = flag == 2,
          .failure_report = modes[m],
          .content_type = "application/octet-stream",
          .body = body,
          .flag = "$+#"[flag],
        };

        check_spec_bytes (&spec);
        spec.body = nothing;
        spec.end = 0;
        check_spec_bytes (&spec);
        spec.content_type = NULL;
        spec.body = NULL;
        check_spec_bytes (&spec);
        /* Numbers of every length up to the most a Byte-Range holds. */
        spec.start = 999999999999999999;
        spec.end = G_MAXINT64;
        spec.total = flag == 1 ? -1 : G_MAXINT64;
        check_spec_bytes (&spec);
        spec.start = 10;
        spec.end = 99;
        check_spec_bytes (&spec);
      }
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
      {
        g_autoptr(MsrpFrame) request = msrp_frame_new_request (methods[m], "req00001");
        g_autoptr(MsrpFrame) bare = msrp_frame_new_request (methods[m], "req00002");

        msrp_frame_set_header (request, "To-Path",
                               "msrp://127.0.0.1:2855/bob;tcp msrp://b.example.com:2855/x;tcp");
        msrp_frame_set_header (request, "From-Path",
                               "msrp://a.example.com:2855/y;tcp msrp://127.0.0.1:2856/alice;tcp");
        check_response_bytes (request, statuses[s]);
        check_response_bytes (bare, statuses[s]);
      }
}

static void
keep_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  g_ptr_array_add (user_data, msrp_frame_ref (head));
}

/* A parsed response is validated only when asked (the parser defers it),
 * and msrp_frame_peek_path(), which routing reads, asks: its paths are
 * there as a request's are. */
static void
test_response_paths_peeked (void)
{
  static const MsrpParserCallbacks callbacks = { .frame_head = keep_head };
  static const char text[] =
    "MSRP resp1 200 OK\r\nTo-Path: msrp://a.example.com/s1;tcp\r\n"
    "From-Path: msrp://b.example.com/s2;tcp\r\n-------resp1$\r\n";
  g_autoptr(GPtrArray) heads = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, heads);
  g_autoptr(GError) error = NULL;
  GPtrArray *to, *from;

  g_assert_true (msrp_parser_feed_data (parser, (const guint8 *) text, strlen (text), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (heads->len, ==, 1);
  to = msrp_frame_peek_path (heads->pdata[0], MSRP_PATH_TO);
  from = msrp_frame_peek_path (heads->pdata[0], MSRP_PATH_FROM);
  g_assert_nonnull (to);
  g_assert_nonnull (from);
  g_assert_cmpuint (to->len, ==, 1);
  g_assert_cmpstr (msrp_uri_get_session_id (to->pdata[0]), ==, "s1");
  g_assert_cmpstr (msrp_uri_get_session_id (from->pdata[0]), ==, "s2");
}

/* msrp_id_hash(): equal strings hash alike whatever their length, and
 * random ids spread over the buckets. */
static void
test_id_hash (void)
{
  static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  guint buckets[61] = { 0 };

  for (gsize length = 0; length < sizeof text; length++)
    {
      g_autofree char *a = g_strndup (text, length);
      g_autofree char *b = g_strndup (text, length);

      g_assert_cmpuint (msrp_id_hash (a), ==, msrp_id_hash (b));
      if (length > 0)
        {
          b[length - 1] = '!';
          g_assert_cmpuint (msrp_id_hash (a), !=, msrp_id_hash (b));
        }
    }
  for (guint i = 0; i < 6100; i++)
    {
      char id[MSRP_ID_LENGTH + 1];

      msrp_fill_id (id);
      buckets[msrp_id_hash (id) % G_N_ELEMENTS (buckets)]++;
    }
  /* 100 each on average. */
  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    g_assert_cmpuint (buckets[i], >, 50);
}

static void
test_send_response (Fixture *f, gconstpointer data)
{
  Solo s;
  g_autoptr(MsrpFrame) response = msrp_frame_new_response ("byhand01", 200, NULL);

  solo_open (f, &s);
  msrp_frame_set_header (response, "To-Path", "msrp://127.0.0.1:2856/alice;tcp");
  msrp_frame_set_header (response, "From-Path", "msrp://127.0.0.1:2855/bob;tcp");
  msrp_transport_send_response (s.t, response);
  WAIT_FOR (f, s.raw.frames->len == 1);
  g_assert_cmpstr (msrp_frame_get_transaction_id (raw_frame (&s.raw, 0)), ==, "byhand01");
  WAIT_FOR (f, s.w.sent->len == 1);
  solo_close (f, &s);
}

/* A SEND whose response is about 1 KiB: the response's To-Path is the
 * request's From-Path, made long here. */
static void
append_flood_request (GString *text, guint i)
{
  g_string_append_printf (text,
                          "MSRP flood%05u SEND\r\n"
                          "To-Path: msrp://127.0.0.1:2855/bob;tcp\r\n"
                          "From-Path: msrp://127.0.0.1:2856/", i);
  for (guint j = 0; j < 1000; j++)
    g_string_append_c (text, 'a' + j % 26);
  g_string_append_printf (text,
                          ";tcp\r\n"
                          "Message-ID: m%u\r\n"
                          "Byte-Range: 1-0/0\r\n"
                          "-------flood%05u$\r\n", i, i);
}

/* Writes @text to @stream as fast as it takes it, reading nothing, while
 * the context runs; FALSE when the write failed or @t closed first. */
static gboolean
write_without_reading (Fixture *f, GIOStream *stream, GString *text, MsrpTransport *t)
{
  GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  gsize offset = 0;

  while (offset < text->len && !msrp_transport_is_closed (t))
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (out, text->str + offset,
                                                             text->len - offset, NULL, &error);

      if (n > 0)
        offset += n;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_main_context_iteration (f->context, TRUE);
      else
        return FALSE;
    }
  return offset == text->len;
}

/* A peer that writes all its requests before it reads a response (a relay
 * blocked writing to us, which reads again only once its write is done):
 * the transport must go on reading although its responses pile up, or
 * both sides wait for each other for ever. */
static void
test_peer_reads_late (Fixture *f, gconstpointer data)
{
  /* Some 1.5 MiB of responses: more than the stream pair holds. */
  enum { N = 1500 };
  GIOStream *sa, *sb;
  MsrpTransport *t;
  TestEndpoint *bob;
  Raw raw;
  g_autoptr(GString) text = g_string_new (NULL);

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  bob = endpoint_new (t, "bob");
  msrp_transport_start (t);
  for (guint i = 0; i < N; i++)
    append_flood_request (text, i);
  g_assert_true (write_without_reading (f, sb, text, t));
  WAIT_FOR (f, bob->bodies->len == N);
  /* The pair holds less than the responses; kernel socket buffers may
   * have taken them all. */
  if (f->link->kind == LINK_PAIR)
    g_assert_cmpuint (msrp_transport_get_queued_bytes (t), >, 0);

  /* Once the peer reads, everything is answered. */
  raw_init (&raw, sb);
  WAIT_FOR (f, raw.frames->len == N);
  for (guint i = 0; i < N; i++)
    g_assert_cmpuint (msrp_frame_get_status (raw.frames->pdata[i]), ==, 200);
  g_assert_false (msrp_transport_is_closed (t));
  endpoint_free (bob);
  g_object_unref (t);
  raw_clear (f, &raw);
}

/* Both ends send many requests at once, each with a response of about
 * 1 KiB (a long From-Path), and A reads nothing at first: B's responses
 * pile up unread, then A's do while B is busy writing. Neither end may
 * stop reading for it, or each waits for the other for ever. */
static void
test_both_flood (Fixture *f, gconstpointer data)
{
  guint n = g_getenv ("MSRP_TEST_VALGRIND") != NULL ? 300 : 3000;
  Duo d;
  g_autofree Outcome *oa = g_new0 (Outcome, n);
  g_autofree Outcome *ob = g_new0 (Outcome, n);
  g_autoptr(GString) long_id = g_string_new (NULL);

  for (guint j = 0; j < 1000; j++)
    g_string_append_c (long_id, 'a' + j % 26);
  duo_open (f, &d);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MsrpFrame) to_bob = new_request ("SEND", "bob", NULL);
      g_autoptr(MsrpFrame) to_alice = new_request ("SEND", "alice", NULL);
      g_autofree char *from_alice = g_strdup_printf ("msrp://127.0.0.1:2856/%s;tcp", long_id->str);
      g_autofree char *from_bob = g_strdup_printf ("msrp://127.0.0.1:2855/%s;tcp", long_id->str);

      msrp_frame_set_header (to_bob, "From-Path", from_alice);
      msrp_frame_set_header (to_alice, "From-Path", from_bob);
      send (d.a, to_bob, NULL, &oa[i]);
      send (d.b, to_alice, NULL, &ob[i]);
    }
  msrp_transport_hold_reading (d.a);
  dispatch_ready (f);
  msrp_transport_release_reading (d.a);
  for (guint i = 0; i < n; i++)
    {
      WAIT_FOR (f, oa[i].done && ob[i].done);
      g_assert_no_error (oa[i].error);
      g_assert_no_error (ob[i].error);
      outcome_clear (&oa[i]);
      outcome_clear (&ob[i]);
    }
  g_assert_cmpuint (d.bob->bodies->len, ==, n);
  g_assert_cmpuint (d.alice->bodies->len, ==, n);
  duo_close (f, &d);
}

static void
store_closed_error (MsrpTransport *transport, const GError *error, GError **slot)
{
  g_assert_null (*slot);
  g_assert_nonnull (error);
  *slot = g_error_copy (error);
}

/* Whether the object @weak points to is finalized. */
static gboolean
is_gone (GWeakRef *weak)
{
  g_autoptr(GObject) object = g_weak_ref_get (weak);

  return object == NULL;
}

typedef struct {
  MsrpTransport *t;          /* the only reference, dropped by the handler */
  guint n_frames;
} DropInHandler;

static void
drop_on_frame_received (MsrpTransport *t, MsrpFrame *frame, DropInHandler *d)
{
  g_autoptr(GError) why = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_FAILED, "enough");

  d->n_frames++;
  msrp_transport_abort (t, why);
  g_clear_object (&d->t);
}

/* A frame-received handler that aborts the transport and drops its last
 * reference in the middle of a read with more frames behind (the parser's
 * spare frame, line cache and read block): the frames behind are not
 * parsed, and the transport goes. */
static void
test_drop_in_frame_received (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  Raw raw;
  DropInHandler d = { 0 };
  GWeakRef weak;
  g_autoptr(GString) text = g_string_new (NULL);

  make_link (f, &sa, &sb, NULL);
  d.t = msrp_transport_new (sa);
  g_weak_ref_init (&weak, d.t);
  g_signal_connect (d.t, "frame-received", G_CALLBACK (drop_on_frame_received), &d);
  msrp_transport_start (d.t);
  raw_init (&raw, sb);
  for (guint i = 0; i < 3; i++)
    g_string_append (text, valid_send);
  raw_write (&raw, text->str, text->len);
  WAIT_FOR (f, is_gone (&weak));
  g_weak_ref_clear (&weak);
  g_assert_cmpuint (d.n_frames, ==, 1);
  WAIT_FOR (f, raw.eof || raw.failed);
  raw_clear (f, &raw);
}

/* A peer that sends requests and never reads: the transport reads on, but
 * its queue of responses stays bounded; past the bound it closes. */
static void
test_unread_responses (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  TestEndpoint *bob;
  Raw raw;
  g_autoptr(GError) closed_error = NULL;
  guint64 most_queued = 0;
  GWeakRef weak;
  guint sent = 0;

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  bob = endpoint_new (t, "bob");
  g_signal_connect (t, "closed", G_CALLBACK (store_closed_error), &closed_error);
  msrp_transport_start (t);
  while (!msrp_transport_is_closed (t))
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < 100; i++)
        append_flood_request (text, sent++);
      if (!write_without_reading (f, sb, text, t))
        break;
      most_queued = MAX (most_queued, msrp_transport_get_queued_bytes (t));
    }
  WAIT_FOR (f, closed_error != NULL);
  g_assert_error (closed_error, MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED);
  /* The bound is 4 MiB of responses. */
  g_assert_cmpuint (most_queued, <=, 4 * 1024 * 1024 + 2048);
  g_assert_cmpuint (bob->n_closed, ==, 1);
  endpoint_free (bob);
  g_weak_ref_init (&weak, t);
  g_object_unref (t);
  /* The stream closes while the peer still reads nothing (over TLS: no
   * close_notify, which would wait for room), and the transport goes. */
  WAIT_FOR (f, is_gone (&weak));
  g_weak_ref_clear (&weak);
  raw_init (&raw, sb);
  WAIT_FOR (f, raw.eof || raw.failed);
  raw_clear (f, &raw);
}

/* Aborted with an error while a peer that reads nothing keeps its output
 * blocked: the stream closes at once (over TLS without a close_notify,
 * which would wait for room), the transport goes, the peer sees the end.
 * On a stream that cannot poll, the asynchronous write in flight is
 * cancelled rather than waited for. */
static void
test_abort_unread (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  Raw raw;
  Outcome o = { 0 };
  /* More than loopback socket buffers take. */
  g_autoptr(MsrpFrame) big = new_send ("bob", 16 * 1024 * 1024, MSRP_REPORT_NO);
  g_autoptr(GError) why = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_FAILED, "giving up");
  GWeakRef weak;

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  g_weak_ref_init (&weak, t);
  msrp_transport_start (t);
  send (t, big, NULL, &o);
  /* Written until the link is full. */
  dispatch_ready (f);
  g_assert_cmpuint (msrp_transport_get_queued_bytes (t), >, 0);
  msrp_transport_abort (t, why);
  g_object_unref (t);
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_FAILED);
  WAIT_FOR (f, is_gone (&weak));
  g_weak_ref_clear (&weak);
  raw_init (&raw, sb);
  WAIT_FOR (f, raw.eof || raw.failed);
  outcome_clear (&o);
  raw_clear (f, &raw);
}

/* Lifetime */

static void
test_dispose_idle (Fixture *f, gconstpointer data)
{
  Solo s;

  solo_open (f, &s);
  g_clear_object (&s.t);
  /* The binding's owner is told; the peer sees the end of the stream. */
  WAIT_FOR (f, s.bob->n_closed == 1);
  WAIT_FOR (f, s.raw.eof || s.raw.failed);
  g_assert_cmpuint (s.w.n_closed, ==, 1);
  solo_close (f, &s);
}

static void
drop_in_handler (MsrpTransport *transport, MsrpFrame *head, MsrpTransport **slot)
{
  g_clear_object (slot);
}

static void
test_dispose_mid_frame (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  Raw raw;

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  msrp_transport_start (t);
  raw_init (&raw, sb);
  /* Drop the last reference from a signal handler, in the middle of a frame. */
  g_signal_connect (t, "frame-received", G_CALLBACK (drop_in_handler), &t);
  raw_write (&raw, valid_send, strlen (valid_send) - 12);
  WAIT_FOR (f, t == NULL);
  WAIT_FOR (f, raw.eof || raw.failed);
  raw_clear (f, &raw);
}

static void
test_pending_request_keeps_transport (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  Raw raw;
  Outcome o = { 0 };
  g_autoptr(MsrpFrame) request = new_send ("bob", 10, MSRP_REPORT_YES);
  GWeakRef weak;

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  g_weak_ref_init (&weak, t);
  msrp_transport_set_response_timeout (t, 1);
  msrp_transport_start (t);
  raw_init (&raw, sb);
  send (t, request, NULL, &o);
  g_object_unref (t);
  /* Alive until the request is over (here: timed out), then gone. */
  WAIT_FOR (f, o.done);
  g_assert_error (o.error, MSRP_ERROR, MSRP_ERROR_TIMEOUT);
  g_assert_cmpuint (raw.frames->len, ==, 1);
  WAIT_FOR (f, raw.eof || raw.failed);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  outcome_clear (&o);
  raw_clear (f, &raw);
}

static void
unref_on_closed (MsrpTransport *transport, const GError *error, MsrpTransport **slot)
{
  g_clear_object (slot);
}

static void
test_unref_in_closed_handler (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  Raw raw;
  static const char garbage[] = "\x00\x01garbage\r\n";

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  msrp_transport_start (t);
  raw_init (&raw, sb);
  g_signal_connect (t, "closed", G_CALLBACK (unref_on_closed), &t);
  raw_write (&raw, garbage, sizeof garbage - 1);
  WAIT_FOR (f, t == NULL);
  WAIT_FOR (f, raw.eof || raw.failed);
  raw_clear (f, &raw);
}

static void
abort_on_frame_sent (MsrpTransport *transport, MsrpFrame *frame, gpointer user_data)
{
  g_autoptr(GError) error = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_FAILED, "enough");

  msrp_transport_abort (transport, error);
}

/* Closing from `frame-sent` while other frames of the same write complete. */
static void
test_abort_in_frame_sent (Fixture *f, gconstpointer data)
{
  enum { N = 3 };
  Duo d;
  Outcome o[N] = { 0 };

  duo_open (f, &d);
  g_signal_connect (d.a, "frame-sent", G_CALLBACK (abort_on_frame_sent), NULL);
  for (guint i = 0; i < N; i++)
    {
      g_autoptr(MsrpFrame) request = new_send ("bob", 100, MSRP_REPORT_NO);

      send (d.a, request, NULL, &o[i]);
    }
  WAIT_FOR (f, o[0].done && o[1].done && o[2].done);
  /* The first was written; the others were, or failed with the abort. */
  g_assert_no_error (o[0].error);
  for (guint i = 0; i < N; i++)
    {
      if (o[i].error != NULL)
        g_assert_cmpstr (o[i].error->message, ==, "enough");
      outcome_clear (&o[i]);
    }
  g_assert_cmpuint (d.wa.n_closed, ==, 1);
  duo_close (f, &d);
}

/* A clean close whose flush wrote everything, into buffers the peer then
 * stops draining (filled here behind the transport's back): over TLS the
 * close_notify cannot go out, and the close gives up on it after a while
 * instead of waiting for ever. */
static void
test_close_into_full_link (Fixture *f, gconstpointer data)
{
  GIOStream *sa, *sb;
  MsrpTransport *t;
  Raw raw;
  Outcome o = { 0 };
  GPollableOutputStream *out;
  g_autoptr(MsrpFrame) filler = new_send ("bob", 4000, MSRP_REPORT_NO);
  g_autoptr(GBytes) bytes = msrp_frame_to_bytes (filler);
  gsize size, offset = 0;
  const char *text = g_bytes_get_data (bytes, &size);
  gssize n;
  GWeakRef weak;

  make_link (f, &sa, &sb, NULL);
  t = msrp_transport_new (sa);
  g_weak_ref_init (&weak, t);
  msrp_transport_start (t);
  out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (sa));
  /* The same frame again and again, until the link is full. */
  while ((n = g_pollable_output_stream_write_nonblocking (out, text + offset, size - offset,
                                                         NULL, NULL)) > 0)
    offset = (offset + n) % size;
  msrp_transport_close_async (t, NULL, on_close_done, &o);
  g_object_unref (t);
  WAIT_FOR (f, o.done);
  WAIT_FOR (f, is_gone (&weak));
  g_weak_ref_clear (&weak);
  raw_init (&raw, sb);
  WAIT_FOR (f, raw.eof || raw.failed);
  raw_clear (f, &raw);
}

typedef void (*TestFunc) (Fixture *, gconstpointer);

typedef enum {
  ALL_LINKS,
  PAIRS_ONLY,                /* needs failures injected */
  POLLABLE_ONLY,             /* needs to see partial writes */
} LinkFilter;

static void
add_tests (const char *name, TestFunc func, LinkFilter filter)
{
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autofree char *path = NULL;

      if ((filter == PAIRS_ONLY && links[i].kind != LINK_PAIR)
          || (filter == POLLABLE_ONLY && links[i].kind == LINK_TCP_PLAIN))
        continue;
      path = g_strdup_printf ("/transport/%s/%s", links[i].name, name);
      g_test_add (path, Fixture, &links[i], fixture_setup, func, fixture_teardown);
    }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  add_tests ("round-trip-empty", test_round_trip_empty, ALL_LINKS);
  add_tests ("round-trip-1", test_round_trip_1, ALL_LINKS);
  add_tests ("round-trip-64k", test_round_trip_64k, ALL_LINKS);
  add_tests ("round-trip-1m", test_round_trip_1m, ALL_LINKS);
  add_tests ("pipelined", test_pipelined, ALL_LINKS);
  add_tests ("responses-out-of-order", test_responses_out_of_order, ALL_LINKS);
  add_tests ("body-released-when-written", test_body_released_when_written, ALL_LINKS);
  add_tests ("report-no-response", test_report_no_response, ALL_LINKS);
  add_tests ("failure-report", test_failure_report, ALL_LINKS);
  g_test_add ("/transport/async-writes/response-before-write-done", Fixture, &async_writes_link,
              fixture_setup, test_response_before_write_done, fixture_teardown);
  add_tests ("unknown-session", test_unknown_session, ALL_LINKS);
  add_tests ("unbound-handler", test_unbound_handler, ALL_LINKS);
  add_tests ("hold-requests", test_hold_requests, ALL_LINKS);
  add_tests ("endpoint-refuses", test_endpoint_refuses, ALL_LINKS);
  add_tests ("malformed-400", test_malformed_400, ALL_LINKS);
  add_tests ("unknown-method-501", test_unknown_method_501, ALL_LINKS);
  add_tests ("unknown-response-ignored", test_unknown_response_ignored, ALL_LINKS);
  add_tests ("failure-response", test_failure_response, ALL_LINKS);
  add_tests ("framing-lost-garbage", test_framing_lost_garbage, ALL_LINKS);
  add_tests ("framing-lost-endless-header", test_framing_lost_endless_header, ALL_LINKS);
  add_tests ("garbage-after-valid-frame", test_garbage_after_valid_frame, ALL_LINKS);
  add_tests ("timeout", test_timeout, ALL_LINKS);
  add_tests ("properties", test_properties, ALL_LINKS);
  add_tests ("cancel-before-write", test_cancel_before_write, ALL_LINKS);
  add_tests ("cancel-while-queued", test_cancel_while_queued, POLLABLE_ONLY);
  add_tests ("cancel-after-write", test_cancel_after_write, ALL_LINKS);
  add_tests ("cancelled-already", test_cancelled_already, ALL_LINKS);
  add_tests ("duplicate-tid", test_duplicate_tid, ALL_LINKS);
  add_tests ("close-flushes", test_close_flushes, ALL_LINKS);
  add_tests ("peer-eof-mid-frame", test_peer_eof_mid_frame, ALL_LINKS);
  add_tests ("peer-clean-eof", test_peer_clean_eof, ALL_LINKS);
  add_tests ("abort", test_abort, ALL_LINKS);
  add_tests ("unbind-while-closing", test_unbind_while_closing, ALL_LINKS);
  add_tests ("abort-in-frame-sent", test_abort_in_frame_sent, ALL_LINKS);
  add_tests ("write-error", test_write_error, PAIRS_ONLY);
  add_tests ("control-before-bulk", test_control_before_bulk, ALL_LINKS);
  add_tests ("partial-frame-first", test_partial_frame_first, POLLABLE_ONLY);
  add_tests ("queued-bytes-writable", test_queued_bytes_writable, ALL_LINKS);
  add_tests ("peer-reads-late", test_peer_reads_late, POLLABLE_ONLY);
  add_tests ("unread-responses", test_unread_responses, POLLABLE_ONLY);
  add_tests ("abort-unread", test_abort_unread, ALL_LINKS);
  add_tests ("close-into-full-link", test_close_into_full_link, POLLABLE_ONLY);
  add_tests ("both-flood", test_both_flood, ALL_LINKS);
  add_tests ("hold-reading", test_hold_reading, ALL_LINKS);
  add_tests ("nested-main-loop", test_nested_main_loop, ALL_LINKS);
  add_tests ("drop-in-frame-received", test_drop_in_frame_received, ALL_LINKS);
  add_tests ("hold-mid-record", test_hold_mid_record, ALL_LINKS);
  add_tests ("frame-signals", test_frame_signals, ALL_LINKS);
  add_tests ("send-response", test_send_response, ALL_LINKS);
  add_tests ("send-chunk", test_send_chunk, ALL_LINKS);
  g_test_add_func ("/transport/preformatted-frames", test_preformatted_frames);
  g_test_add_func ("/transport/id-hash", test_id_hash);
  g_test_add_func ("/transport/response-paths-peeked", test_response_paths_peeked);
  add_tests ("dispose-idle", test_dispose_idle, ALL_LINKS);
  add_tests ("dispose-mid-frame", test_dispose_mid_frame, ALL_LINKS);
  add_tests ("pending-request-keeps-transport", test_pending_request_keeps_transport, ALL_LINKS);
  add_tests ("unref-in-closed-handler", test_unref_in_closed_handler, ALL_LINKS);

  ret = g_test_run ();
  g_clear_object (&certificate);
  return ret;
}
