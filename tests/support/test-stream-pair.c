/* test-stream-pair.c: the in-memory GIOStream pair the transport tests use */
#include "msrp-test-stream-pair.h"

#include <string.h>

/* A hang guard, not a timing check: a test that waits this long is stuck. */
#define GUARD_SECONDS 60

typedef struct {
  GMainContext *context;
  GSource *guard;
  MsrpTestStreamPair *pair;
  GIOStream *a;
  GIOStream *b;
  GInputStream *a_in;
  GOutputStream *a_out;
  GInputStream *b_in;
  GOutputStream *b_out;
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
  f->context = g_main_context_new ();
  g_main_context_push_thread_default (f->context);
  f->guard = g_timeout_source_new_seconds (GUARD_SECONDS);
  g_source_set_callback (f->guard, on_guard_timeout, NULL, NULL);
  g_source_attach (f->guard, f->context);
}

static void
fixture_open (Fixture                     *f,
              const MsrpTestStreamOptions *a_to_b,
              const MsrpTestStreamOptions *b_to_a)
{
  f->pair = msrp_test_stream_pair_new (a_to_b, b_to_a);
  f->a = msrp_test_stream_pair_get_a (f->pair);
  f->b = msrp_test_stream_pair_get_b (f->pair);
  f->a_in = g_io_stream_get_input_stream (f->a);
  f->a_out = g_io_stream_get_output_stream (f->a);
  f->b_in = g_io_stream_get_input_stream (f->b);
  f->b_out = g_io_stream_get_output_stream (f->b);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->pair);
  g_source_destroy (f->guard);
  g_source_unref (f->guard);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
}

/* Runs what is ready now, without waiting. */
static void
dispatch_ready (Fixture *f)
{
  while (g_main_context_iteration (f->context, FALSE))
    ;
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static void
wait_result (Fixture *f, GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (f->context, TRUE);
}

static void
wait_flag (Fixture *f, gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (f->context, TRUE);
}

static gboolean
set_flag (GObject *stream, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static GSource *
watch (Fixture *f, GSource *source, gboolean *flag)
{
  *flag = FALSE;
  g_source_set_callback (source, G_SOURCE_FUNC (set_flag), flag, NULL);
  g_source_attach (source, f->context);
  return source;
}

static GBytes *
random_bytes (gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  return g_bytes_new_take (data, size);
}

static void
write_all (GOutputStream *out, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Reads once, blocking, and checks what came. */
static void
read_expect (GInputStream *in, const char *expected)
{
  g_autoptr(GError) error = NULL;
  char buffer[256];
  gssize n;

  n = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, expected, strlen (expected));
}

static void
read_nonblocking_expect_error (GInputStream *in, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  char buffer[16];

  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (in), buffer,
                                                             sizeof buffer, NULL, &error), ==, -1);
  g_assert_error (error, domain, code);
}

static void
write_nonblocking_expect (GOutputStream *out, gsize count, gssize expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *zeros = g_malloc0 (count);

  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), zeros,
                                                               count, NULL, &error), ==, expected);
  g_assert_no_error (error);
}

static void
test_sync_round_trip (Fixture *f, gconstpointer data)
{
  fixture_open (f, NULL, NULL);

  write_all (f->a_out, "hello");
  read_expect (f->b_in, "hello");
  write_all (f->b_out, "world");
  read_expect (f->a_in, "world");
  g_assert_false (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (f->a_in)));
  g_assert_false (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (f->b_in)));
}

static void
test_async_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) read_result = NULL;
  g_autoptr(GAsyncResult) write_result = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[64];
  gsize n = 0;

  fixture_open (f, NULL, NULL);

  g_input_stream_read_async (f->b_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &read_result);
  dispatch_ready (f);
  g_assert_null (read_result);

  g_output_stream_write_all_async (f->a_out, "ping", 4, G_PRIORITY_DEFAULT, NULL,
                                   store_result, &write_result);
  wait_result (f, &read_result);
  wait_result (f, &write_result);
  g_assert_true (g_output_stream_write_all_finish (f->a_out, write_result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (g_input_stream_read_finish (f->b_in, read_result, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 4, "ping", 4);

  g_clear_object (&read_result);
  g_clear_object (&write_result);
  g_input_stream_read_all_async (f->a_in, buffer, 4, G_PRIORITY_DEFAULT, NULL,
                                 store_result, &read_result);
  g_output_stream_write_all_async (f->b_out, "pong", 4, G_PRIORITY_DEFAULT, NULL,
                                   store_result, &write_result);
  wait_result (f, &read_result);
  wait_result (f, &write_result);
  g_assert_true (g_output_stream_write_all_finish (f->b_out, write_result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_input_stream_read_all_finish (f->a_in, read_result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, "pong", 4);
}

static void
test_pollable (Fixture *f, gconstpointer data)
{
  GPollableInputStream *b_in;
  GPollableOutputStream *a_out;
  g_autoptr(GSource) readable = NULL;
  g_autoptr(GSource) writable = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read_fired, write_fired;
  char buffer[16];

  fixture_open (f, NULL, NULL);
  b_in = G_POLLABLE_INPUT_STREAM (f->b_in);
  a_out = G_POLLABLE_OUTPUT_STREAM (f->a_out);
  g_assert_true (g_pollable_input_stream_can_poll (b_in));
  g_assert_true (g_pollable_output_stream_can_poll (a_out));

  g_assert_false (g_pollable_input_stream_is_readable (b_in));
  read_nonblocking_expect_error (f->b_in, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  readable = watch (f, g_pollable_input_stream_create_source (b_in, NULL), &read_fired);
  dispatch_ready (f);
  g_assert_false (read_fired);

  g_assert_true (g_pollable_output_stream_is_writable (a_out));
  writable = watch (f, g_pollable_output_stream_create_source (a_out, NULL), &write_fired);
  wait_flag (f, &write_fired);
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (a_out, "abc", 3, NULL, &error), ==, 3);
  g_assert_no_error (error);

  wait_flag (f, &read_fired);
  g_assert_true (g_pollable_input_stream_is_readable (b_in));
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (b_in, buffer, sizeof buffer, NULL, &error),
                   ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, 3, "abc", 3);
  read_nonblocking_expect_error (f->b_in, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}

/* Sends random bytes one way: pollable non-blocking writes of up to
 * TRANSFER_OFFER bytes, then a close; async reads until end-of-file. */
#define TRANSFER_OFFER 100000
#define TRANSFER_READ 65536

typedef struct {
  GPollableOutputStream *out;
  GInputStream *in;
  GBytes *data;
  gsize sent;
  guint short_writes;
  GByteArray *received;
  guint8 *buffer;
  gsize min_read;
  gsize max_read;
  gboolean done;
} Transfer;

static void transfer_read_next (Transfer *t);

static void
transfer_on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (t->in, result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      t->done = TRUE;
      return;
    }
  g_byte_array_append (t->received, t->buffer, (guint) n);
  t->min_read = MIN (t->min_read, (gsize) n);
  t->max_read = MAX (t->max_read, (gsize) n);
  transfer_read_next (t);
}

static void
transfer_read_next (Transfer *t)
{
  g_input_stream_read_async (t->in, t->buffer, TRANSFER_READ, G_PRIORITY_DEFAULT, NULL,
                             transfer_on_read, t);
}

static gboolean
transfer_on_writable (GObject *stream, gpointer user_data)
{
  Transfer *t = user_data;
  g_autoptr(GError) error = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (t->data, &size);
  gsize offer = MIN (size - t->sent, TRANSFER_OFFER);
  gssize n;

  /* The source fires only when a write takes something. */
  n = g_pollable_output_stream_write_nonblocking (t->out, data + t->sent, offer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  if ((gsize) n < offer)
    t->short_writes++;
  t->sent += (gsize) n;
  if (t->sent < size)
    return G_SOURCE_CONTINUE;
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (t->out), NULL, &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static Transfer *
transfer_start (Fixture *f, GIOStream *from, GIOStream *to, gsize size, guint32 seed)
{
  Transfer *t = g_new0 (Transfer, 1);
  GSource *source;

  t->out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (from));
  t->in = g_io_stream_get_input_stream (to);
  t->data = random_bytes (size, seed);
  t->received = g_byte_array_new ();
  t->buffer = g_malloc (TRANSFER_READ);
  t->min_read = G_MAXSIZE;
  source = g_pollable_output_stream_create_source (t->out, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (transfer_on_writable), t, NULL);
  g_source_attach (source, f->context);
  g_source_unref (source);
  transfer_read_next (t);
  return t;
}

/* Checks that every byte arrived in order, and that the pieces varied. */
static void
transfer_finish (Transfer *t)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (t->data, &size);

  g_assert_true (t->done);
  g_assert_cmpmem (t->received->data, t->received->len, data, size);
  g_assert_cmpuint (t->short_writes, >, 0);
  g_assert_cmpuint (t->min_read, <, t->max_read);
  g_bytes_unref (t->data);
  g_byte_array_unref (t->received);
  g_free (t->buffer);
  g_free (t);
}

static void
test_split (Fixture *f, gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data);
  MsrpTestStreamOptions split = { .mode = MSRP_TEST_STREAM_SPLIT, .seed = seed };
  gsize size = 1024 * 1024;
  Transfer *t;

  fixture_open (f, &split, NULL);
  t = transfer_start (f, f->a, f->b, size, seed);
  wait_flag (f, &t->done);
  transfer_finish (t);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_A_TO_B), ==, size);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_read (f->pair, MSRP_TEST_A_TO_B), ==, size);
}

static void
test_merge (Fixture *f, gconstpointer data)
{
  fixture_open (f, NULL, NULL);

  write_all (f->a_out, "ab");
  write_all (f->a_out, "cd");
  write_all (f->a_out, "ef");
  read_expect (f->b_in, "abcdef");

  write_all (f->a_out, "gh");
  write_all (f->a_out, "ij");
  {
    g_autoptr(GError) error = NULL;
    char buffer[3];

    g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, NULL, &error), ==, 3);
    g_assert_no_error (error);
    g_assert_cmpmem (buffer, 3, "ghi", 3);
  }
  read_expect (f->b_in, "j");
}

static void
test_back_pressure_async (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions small = { .capacity = 1000 };
  g_autoptr(GBytes) bytes = random_bytes (3000, 1);
  g_autoptr(GAsyncResult) write_result = NULL;
  g_autoptr(GAsyncResult) read_result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 received[3000];
  gsize n = 0;

  fixture_open (f, &small, NULL);
  g_output_stream_write_all_async (f->a_out, g_bytes_get_data (bytes, NULL), 3000,
                                   G_PRIORITY_DEFAULT, NULL, store_result, &write_result);
  dispatch_ready (f);
  g_assert_null (write_result);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 1000);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_A_TO_B), ==, 1000);

  g_assert_cmpint (g_input_stream_read (f->b_in, received, 600, NULL, &error), ==, 600);
  g_assert_no_error (error);
  dispatch_ready (f);
  g_assert_null (write_result);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_A_TO_B), ==, 1600);

  g_input_stream_read_all_async (f->b_in, received + 600, 2400, G_PRIORITY_DEFAULT, NULL,
                                 store_result, &read_result);
  wait_result (f, &write_result);
  wait_result (f, &read_result);
  g_assert_true (g_output_stream_write_all_finish (f->a_out, write_result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3000);
  g_assert_true (g_input_stream_read_all_finish (f->b_in, read_result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2400);
  g_assert_cmpmem (received, sizeof received, g_bytes_get_data (bytes, NULL), 3000);
}

static void
test_back_pressure_pollable (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions small = { .capacity = 100 };
  GPollableOutputStream *a_out;
  g_autoptr(GSource) writable = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fired;
  char buffer[10];

  fixture_open (f, &small, NULL);
  a_out = G_POLLABLE_OUTPUT_STREAM (f->a_out);
  write_nonblocking_expect (f->a_out, 150, 100);
  g_assert_false (g_pollable_output_stream_is_writable (a_out));
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (a_out, "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);

  writable = watch (f, g_pollable_output_stream_create_source (a_out, NULL), &fired);
  dispatch_ready (f);
  g_assert_false (fired);

  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, NULL, NULL), ==, 10);
  wait_flag (f, &fired);
  g_assert_true (g_pollable_output_stream_is_writable (a_out));
  write_nonblocking_expect (f->a_out, 50, 10);
  g_assert_false (g_pollable_output_stream_is_writable (a_out));
}

static void
test_delay (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions delayed = { .delay_ms = 20 };
  GPollableInputStream *b_in;
  g_autoptr(GSource) readable = NULL;
  gboolean fired;

  fixture_open (f, &delayed, NULL);
  b_in = G_POLLABLE_INPUT_STREAM (f->b_in);

  /* Delayed bytes move only when the context runs the timer. */
  write_all (f->a_out, "late");
  g_assert_false (g_pollable_input_stream_is_readable (b_in));
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 4);
  readable = watch (f, g_pollable_input_stream_create_source (b_in, NULL), &fired);
  wait_flag (f, &fired);
  read_expect (f->b_in, "late");

  /* Bytes written without a delay still wait for the delayed ones. */
  write_all (f->a_out, "1");
  msrp_test_stream_pair_set_options (f->pair, MSRP_TEST_A_TO_B, NULL);
  write_all (f->a_out, "2");
  g_assert_false (g_pollable_input_stream_is_readable (b_in));
  read_expect (f->b_in, "12");

  write_all (f->a_out, "3");
  read_expect (f->b_in, "3");
}

/* An output that cannot poll: GIO's async writes (here without threads)
 * take the bytes at once; a held completion waits for the release. */
static void
test_async_writes (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions async = { .async_writes = TRUE, .capacity = 1000 };
  g_autoptr(GBytes) bytes = random_bytes (3000, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 received[3000];
  gsize n = 0;

  fixture_open (f, &async, NULL);
  g_assert_false (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (f->a_out)));
  g_assert_true (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (f->b_out)));

  msrp_test_stream_pair_hold_writes (f->pair, MSRP_TEST_A_TO_B, TRUE);
  g_output_stream_write_all_async (f->a_out, "held", 4, G_PRIORITY_DEFAULT, NULL, store_result,
                                   &result);
  read_expect (f->b_in, "held");
  dispatch_ready (f);
  g_assert_null (result);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (f->pair, MSRP_TEST_A_TO_B), ==, 1);
  msrp_test_stream_pair_hold_writes (f->pair, MSRP_TEST_A_TO_B, FALSE);
  g_assert_cmpuint (msrp_test_stream_pair_get_held_writes (f->pair, MSRP_TEST_A_TO_B), ==, 0);
  wait_result (f, &result);
  g_assert_true (g_output_stream_write_all_finish (f->a_out, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);

  /* Not held, a write bigger than the capacity waits for room. */
  g_clear_object (&result);
  g_output_stream_write_all_async (f->a_out, g_bytes_get_data (bytes, NULL), 3000,
                                   G_PRIORITY_DEFAULT, NULL, store_result, &result);
  dispatch_ready (f);
  g_assert_null (result);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 1000);
  g_assert_true (g_input_stream_read_all (f->b_in, received, sizeof received, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (received, n, g_bytes_get_data (bytes, NULL), 3000);
  wait_result (f, &result);
  g_assert_true (g_output_stream_write_all_finish (f->a_out, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3000);
}

static void
test_close_eof (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions delayed = { .delay_ms = 10 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[16];

  fixture_open (f, NULL, &delayed);

  write_all (f->a_out, "tail");
  g_assert_true (g_output_stream_close (f->a_out, NULL, &error));
  g_assert_no_error (error);
  read_expect (f->b_in, "tail");
  read_expect (f->b_in, "");
  g_assert_true (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (f->b_in)));
  g_input_stream_read_async (f->b_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  wait_result (f, &result);
  g_assert_cmpint (g_input_stream_read_finish (f->b_in, result, &error), ==, 0);
  g_assert_no_error (error);

  /* The other direction stays open, and its end-of-file waits for the
   * delayed bytes. */
  write_all (f->b_out, "back");
  g_clear_object (&result);
  g_output_stream_flush_async (f->b_out, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  wait_result (f, &result);
  g_assert_true (g_output_stream_flush_finish (f->b_out, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_output_stream_close_async (f->b_out, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  wait_result (f, &result);
  g_assert_true (g_output_stream_close_finish (f->b_out, result, &error));
  g_assert_no_error (error);
  /* Whether the delay has run out by now depends on the machine's speed
   * (under valgrind it has): only the order is asserted. */
  read_expect (f->a_in, "back");
  read_expect (f->a_in, "");
}

static void
test_close_wakes_reader (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSource) readable = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fired;
  char buffer[16];

  fixture_open (f, NULL, NULL);
  readable = watch (f, g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (f->b_in), NULL),
                    &fired);
  g_input_stream_read_async (f->b_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  dispatch_ready (f);
  g_assert_false (fired);
  g_assert_null (result);

  g_assert_true (g_output_stream_close (f->a_out, NULL, &error));
  g_assert_no_error (error);
  wait_flag (f, &fired);
  wait_result (f, &result);
  g_assert_cmpint (g_input_stream_read_finish (f->b_in, result, &error), ==, 0);
  g_assert_no_error (error);
}

static void
expect_write_error (GOutputStream *out, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_output_stream_write (out, "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, domain, code);
}

static void
test_write_to_closed_peer (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions small = { .capacity = 10 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 zeros[100] = { 0 };
  gsize n = 0;

  fixture_open (f, &small, NULL);

  /* A write waiting for room wakes up when the reader goes away. */
  g_output_stream_write_all_async (f->a_out, zeros, sizeof zeros, G_PRIORITY_DEFAULT, NULL,
                                   store_result, &result);
  dispatch_ready (f);
  g_assert_null (result);
  g_input_stream_close_async (f->b_in, G_PRIORITY_DEFAULT, NULL, store_result, &close_result);
  wait_result (f, &close_result);
  g_assert_true (g_input_stream_close_finish (f->b_in, close_result, &error));
  g_assert_no_error (error);
  wait_result (f, &result);
  g_assert_false (g_output_stream_write_all_finish (f->a_out, result, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpuint (n, ==, 10);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 0);
  g_clear_error (&error);

  expect_write_error (f->a_out, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (f->a_out),
                                                               "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
  g_clear_error (&error);

  g_assert_true (g_output_stream_close (f->a_out, NULL, &error));
  g_assert_no_error (error);
  expect_write_error (f->a_out, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (f->a_out),
                                                               "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_fail_writes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                   "injected");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gsize n = 0;

  fixture_open (f, NULL, NULL);
  msrp_test_stream_pair_fail_writes (f->pair, MSRP_TEST_A_TO_B, 10, failure);

  g_assert_false (g_output_stream_write_all (f->a_out, "0123456789abcdefghij", 20, &n, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_cmpstr (error->message, ==, "injected");
  g_assert_cmpuint (n, ==, 10);
  g_clear_error (&error);
  read_expect (f->b_in, "0123456789");

  /* Writable: a write fails at once instead of waiting. */
  g_assert_true (g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (f->a_out)));
  g_output_stream_write_async (f->a_out, "x", 1, G_PRIORITY_DEFAULT, NULL, store_result, &result);
  wait_result (f, &result);
  g_assert_cmpint (g_output_stream_write_finish (f->a_out, result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_A_TO_B), ==, 10);

  /* The other direction is not affected; clearing the failure heals. */
  write_all (f->b_out, "fine");
  read_expect (f->a_in, "fine");
  msrp_test_stream_pair_fail_writes (f->pair, MSRP_TEST_A_TO_B, 0, NULL);
  write_all (f->a_out, "again");
  read_expect (f->b_in, "again");
}

static void
test_fail_reads (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                   "injected");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) readable = NULL;
  gboolean fired;
  char buffer[64];

  fixture_open (f, NULL, NULL);
  msrp_test_stream_pair_fail_reads (f->pair, MSRP_TEST_A_TO_B, 5, failure);
  write_all (f->a_out, "0123456789");

  read_expect (f->b_in, "01234");
  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&error);

  readable = watch (f, g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (f->b_in), NULL),
                    &fired);
  wait_flag (f, &fired);
  read_nonblocking_expect_error (f->b_in, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_input_stream_read_async (f->b_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &result);
  wait_result (f, &result);
  g_assert_cmpint (g_input_stream_read_finish (f->b_in, result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_read (f->pair, MSRP_TEST_A_TO_B), ==, 5);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 5);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_read (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) source_cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) sync_cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) readable = NULL;
  g_autoptr(GSource) idle = NULL;
  gboolean fired;
  char buffer[16];

  fixture_open (f, NULL, NULL);

  g_input_stream_read_async (f->b_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, cancellable,
                             store_result, &result);
  dispatch_ready (f);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  wait_result (f, &result);
  g_assert_cmpint (g_input_stream_read_finish (f->b_in, result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A cancelled source fires although the stream is not readable. */
  readable = watch (f, g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (f->b_in),
                                                               source_cancellable), &fired);
  dispatch_ready (f);
  g_assert_false (fired);
  g_cancellable_cancel (source_cancellable);
  wait_flag (f, &fired);
  g_assert_false (g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (f->b_in)));

  /* A blocking read waits on the context, where the cancel comes from. */
  idle = g_idle_source_new ();
  g_source_set_callback (idle, cancel_later, sync_cancellable, NULL);
  g_source_attach (idle, f->context);
  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, sync_cancellable, &error),
                   ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The stream still works. */
  write_all (f->a_out, "after");
  read_expect (f->b_in, "after");
}

static void
test_cancel_write (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions small = { .capacity = 16 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 zeros[64] = { 0 };
  char buffer[64];
  gsize n = 0;

  fixture_open (f, &small, NULL);
  g_output_stream_write_all_async (f->a_out, zeros, sizeof zeros, G_PRIORITY_DEFAULT, cancellable,
                                   store_result, &result);
  dispatch_ready (f);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  wait_result (f, &result);
  g_assert_false (g_output_stream_write_all_finish (f->a_out, result, &n, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (n, ==, 16);

  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, NULL, NULL), ==, 16);
  write_all (f->a_out, "after");
  read_expect (f->b_in, "after");
}

static void
test_io_stream_close_async (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GAsyncResult) read_result = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[16];

  fixture_open (f, NULL, NULL);
  write_all (f->a_out, "bye");

  /* A read pending on the closing side fails, as on a socket. */
  g_input_stream_read_async (f->a_in, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             store_result, &read_result);
  dispatch_ready (f);
  g_assert_null (read_result);

  g_io_stream_close_async (f->a, G_PRIORITY_DEFAULT, NULL, store_result, &close_result);
  wait_result (f, &close_result);
  g_assert_true (g_io_stream_close_finish (f->a, close_result, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_is_closed (f->a));
  wait_result (f, &read_result);
  g_assert_cmpint (g_input_stream_read_finish (f->a_in, read_result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  read_expect (f->b_in, "bye");
  read_expect (f->b_in, "");
  expect_write_error (f->b_out, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE);
}

static void
test_both_directions (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions ab = { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 11, .capacity = 4096 };
  MsrpTestStreamOptions ba = { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 12, .capacity = 4096 };
  Transfer *to_b, *to_a;

  fixture_open (f, &ab, &ba);
  to_b = transfer_start (f, f->a, f->b, 256 * 1024, 21);
  to_a = transfer_start (f, f->b, f->a, 256 * 1024 + 17, 22);
  wait_flag (f, &to_b->done);
  wait_flag (f, &to_a->done);
  transfer_finish (to_b);
  transfer_finish (to_a);
}

/* Five vectors over 1000 bytes, one of them empty; writev_all changes them. */
static void
fill_vectors (GOutputVector *vectors, const guint8 *data)
{
  static const gsize sizes[5] = { 100, 0, 1, 499, 400 };
  gsize i, offset = 0;

  for (i = 0; i < 5; i++)
    {
      vectors[i].buffer = data + offset;
      vectors[i].size = sizes[i];
      offset += sizes[i];
    }
}

static void
test_writev_split (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions split = { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 5, .max_piece = 7 };
  MsrpTestStreamOptions small = { .mode = MSRP_TEST_STREAM_SPLIT, .seed = 6, .capacity = 64 };
  g_autoptr(GBytes) bytes = random_bytes (1000, 5);
  const guint8 *expected = g_bytes_get_data (bytes, NULL);
  GOutputVector vectors[5];
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) read_result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 received[1000];
  gsize n = 0, first = 0;

  fixture_open (f, &split, &small);
  fill_vectors (vectors, expected);

  g_assert_cmpint (g_pollable_output_stream_writev_nonblocking (G_POLLABLE_OUTPUT_STREAM (f->a_out),
                                                                vectors, G_N_ELEMENTS (vectors),
                                                                &first, NULL, &error),
                   ==, G_POLLABLE_RETURN_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (first, >=, 1);
  g_assert_cmpuint (first, <=, 7);
  g_assert_true (g_input_stream_read_all (f->b_in, received, first, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (received, n, expected, first);

  g_output_stream_writev_all_async (f->a_out, vectors, G_N_ELEMENTS (vectors), G_PRIORITY_DEFAULT,
                                    NULL, store_result, &result);
  wait_result (f, &result);
  g_assert_true (g_output_stream_writev_all_finish (f->a_out, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1000);
  g_assert_true (g_input_stream_read_all (f->b_in, received, sizeof received, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (received, n, expected, 1000);

  /* The other way, the vectors wait for room. */
  g_clear_object (&result);
  fill_vectors (vectors, expected);
  g_output_stream_writev_all_async (f->b_out, vectors, G_N_ELEMENTS (vectors), G_PRIORITY_DEFAULT,
                                    NULL, store_result, &result);
  dispatch_ready (f);
  g_assert_null (result);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_B_TO_A), ==, 64);
  g_input_stream_read_all_async (f->a_in, received, sizeof received, G_PRIORITY_DEFAULT, NULL,
                                 store_result, &read_result);
  wait_result (f, &result);
  wait_result (f, &read_result);
  g_assert_true (g_output_stream_writev_all_finish (f->b_out, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1000);
  g_assert_true (g_input_stream_read_all_finish (f->a_in, read_result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (received, n, expected, 1000);
}

static void
test_counters (Fixture *f, gconstpointer data)
{
  char buffer[4];

  fixture_open (f, NULL, NULL);
  write_all (f->a_out, "0123456789");
  write_all (f->b_out, "abc");
  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, 4, NULL, NULL), ==, 4);

  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_A_TO_B), ==, 10);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_read (f->pair, MSRP_TEST_A_TO_B), ==, 4);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_A_TO_B), ==, 6);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_written (f->pair, MSRP_TEST_B_TO_A), ==, 3);
  g_assert_cmpuint (msrp_test_stream_pair_get_bytes_read (f->pair, MSRP_TEST_B_TO_A), ==, 0);
  g_assert_cmpuint (msrp_test_stream_pair_get_buffered (f->pair, MSRP_TEST_B_TO_A), ==, 3);
}

static void
test_blocking_write (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions small = { .capacity = 1024, .mode = MSRP_TEST_STREAM_SPLIT, .seed = 3 };
  g_autoptr(GBytes) bytes = random_bytes (10000, 3);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 received[10000];
  gsize n = 0;

  fixture_open (f, &small, NULL);
  g_input_stream_read_all_async (f->b_in, received, sizeof received, G_PRIORITY_DEFAULT, NULL,
                                 store_result, &result);
  /* Ten times the capacity: the write waits while the async reader drains. */
  g_assert_true (g_output_stream_write_all (f->a_out, g_bytes_get_data (bytes, NULL), 10000, &n,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 10000);
  wait_result (f, &result);
  g_assert_true (g_input_stream_read_all_finish (f->b_in, result, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (received, n, g_bytes_get_data (bytes, NULL), 10000);
}

static void
test_set_options_later (Fixture *f, gconstpointer data)
{
  MsrpTestStreamOptions bytewise = { .mode = MSRP_TEST_STREAM_SPLIT, .max_piece = 1 };
  g_autoptr(GError) error = NULL;
  char buffer[16];

  fixture_open (f, NULL, NULL);
  write_all (f->a_out, "merged");
  read_expect (f->b_in, "merged");

  msrp_test_stream_pair_set_options (f->pair, MSRP_TEST_A_TO_B, &bytewise);
  g_assert_cmpint (g_output_stream_write (f->a_out, "split", 5, NULL, &error), ==, 1);
  g_assert_no_error (error);
  write_all (f->a_out, "plit");
  read_expect (f->b_in, "s");
  read_expect (f->b_in, "p");
  g_assert_cmpint (g_input_stream_read (f->b_in, buffer, sizeof buffer, NULL, &error), ==, 1);
  g_assert_no_error (error);

  /* A smaller capacity applies to what is already buffered. */
  msrp_test_stream_pair_set_options (f->pair, MSRP_TEST_A_TO_B,
                                     &(MsrpTestStreamOptions) { .capacity = 1 });
  g_assert_false (g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (f->a_out)));
  read_expect (f->b_in, "it");
  write_nonblocking_expect (f->a_out, 5, 1);
}

static void
add (const char *path, gconstpointer data, void (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, data, fixture_setup, test, fixture_teardown);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add ("/stream-pair/sync-round-trip", NULL, test_sync_round_trip);
  add ("/stream-pair/async-round-trip", NULL, test_async_round_trip);
  add ("/stream-pair/pollable", NULL, test_pollable);
  add ("/stream-pair/split/seed-1", GUINT_TO_POINTER (1), test_split);
  add ("/stream-pair/split/seed-2", GUINT_TO_POINTER (2), test_split);
  add ("/stream-pair/split/seed-3", GUINT_TO_POINTER (3), test_split);
  add ("/stream-pair/merge", NULL, test_merge);
  add ("/stream-pair/back-pressure/async", NULL, test_back_pressure_async);
  add ("/stream-pair/back-pressure/pollable", NULL, test_back_pressure_pollable);
  add ("/stream-pair/delay", NULL, test_delay);
  add ("/stream-pair/async-writes", NULL, test_async_writes);
  add ("/stream-pair/close/eof-after-drain", NULL, test_close_eof);
  add ("/stream-pair/close/wakes-pending-reader", NULL, test_close_wakes_reader);
  add ("/stream-pair/close/write-to-closed-peer", NULL, test_write_to_closed_peer);
  add ("/stream-pair/close/io-stream-async", NULL, test_io_stream_close_async);
  add ("/stream-pair/fail/writes", NULL, test_fail_writes);
  add ("/stream-pair/fail/reads", NULL, test_fail_reads);
  add ("/stream-pair/cancel/read", NULL, test_cancel_read);
  add ("/stream-pair/cancel/write", NULL, test_cancel_write);
  add ("/stream-pair/both-directions", NULL, test_both_directions);
  add ("/stream-pair/writev-split", NULL, test_writev_split);
  add ("/stream-pair/counters", NULL, test_counters);
  add ("/stream-pair/blocking-write", NULL, test_blocking_write);
  add ("/stream-pair/set-options-later", NULL, test_set_options_later);
  return g_test_run ();
}
