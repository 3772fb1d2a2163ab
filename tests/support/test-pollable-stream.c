/* test-pollable-stream.c: the bases of the session tests' and the bench's generator and sink */
#include "msrp-test-pollable-stream.h"
#include "msrp-test-wait.h"

/* A counter: reads give 0, 1, 2, … (mod 256). */

#define TEST_TYPE_COUNTER (test_counter_get_type ())
G_DECLARE_FINAL_TYPE (TestCounter, test_counter, TEST, COUNTER, MsrpTestPollableInput)

struct _TestCounter
{
  MsrpTestPollableInput parent_instance;
  guint8 next;
};

G_DEFINE_TYPE (TestCounter, test_counter, MSRP_TEST_TYPE_POLLABLE_INPUT)

static gssize
test_counter_read (GInputStream *stream, void *buffer, gsize count,
                   GCancellable *cancellable, GError **error)
{
  TestCounter *self = TEST_COUNTER (stream);
  guint8 *out = buffer;

  for (gsize i = 0; i < count; i++)
    out[i] = self->next++;
  return count;
}

static void
test_counter_init (TestCounter *self)
{
}

static void
test_counter_class_init (TestCounterClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_counter_read;
}

/* A tally: counts what it is given; fails once it has `room` bytes. */

#define TEST_TYPE_TALLY (test_tally_get_type ())
G_DECLARE_FINAL_TYPE (TestTally, test_tally, TEST, TALLY, MsrpTestPollableOutput)

struct _TestTally
{
  MsrpTestPollableOutput parent_instance;
  gsize written;
  gsize room;
};

G_DEFINE_TYPE (TestTally, test_tally, MSRP_TEST_TYPE_POLLABLE_OUTPUT)

static gssize
test_tally_write (GOutputStream *stream, const void *buffer, gsize count,
                  GCancellable *cancellable, GError **error)
{
  TestTally *self = TEST_TALLY (stream);

  if (self->written + count > self->room)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "tally is full");
      return -1;
    }
  self->written += count;
  return count;
}

static void
test_tally_init (TestTally *self)
{
  self->room = G_MAXSIZE;
}

static void
test_tally_class_init (TestTallyClass *klass)
{
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_tally_write;
}

/* A GPollableSourceFunc. */
static gboolean
set_flag (GObject *stream, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A source made for @stream, with a callback that sets @fired. */
static GSource *
watch (gpointer stream, gboolean *fired)
{
  GSource *source = G_IS_INPUT_STREAM (stream)
    ? g_pollable_input_stream_create_source (stream, NULL)
    : g_pollable_output_stream_create_source (stream, NULL);

  *fired = FALSE;
  g_source_set_callback (source, (GSourceFunc) set_flag, fired, NULL);
  g_source_attach (source, NULL);
  return source;
}

static void
test_async_read (void)
{
  g_autoptr(GInputStream) counter = g_object_new (TEST_TYPE_COUNTER, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[4];

  test_guard_start (10);
  g_input_stream_read_async (counter, buffer, sizeof buffer, G_PRIORITY_DEFAULT, NULL,
                             keep_result, &result);
  g_assert_cmpint (g_input_stream_read_finish (counter, wait_result (&result), &error), ==, 4);
  g_assert_no_error (error);
  g_assert_cmpuint (buffer[0], ==, 0);
  g_assert_cmpuint (buffer[3], ==, 3);
  test_guard_stop ();
}

static void
test_async_write_error (void)
{
  g_autoptr(GOutputStream) tally = g_object_new (TEST_TYPE_TALLY, NULL);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;

  TEST_TALLY (tally)->room = 5;
  test_guard_start (10);
  g_output_stream_write_async (tally, "abc", 3, G_PRIORITY_DEFAULT, NULL, keep_result, &first);
  g_assert_cmpint (g_output_stream_write_finish (tally, wait_result (&first), &error), ==, 3);
  g_assert_no_error (error);
  g_output_stream_write_async (tally, "abc", 3, G_PRIORITY_DEFAULT, NULL, keep_result, &second);
  g_assert_cmpint (g_output_stream_write_finish (tally, wait_result (&second), &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (TEST_TALLY (tally)->written, ==, 3);
  test_guard_stop ();
}

static void
test_async_cancelled (void)
{
  g_autoptr(GInputStream) counter = g_object_new (TEST_TYPE_COUNTER, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[4];

  g_cancellable_cancel (cancellable);
  test_guard_start (10);
  g_input_stream_read_async (counter, buffer, sizeof buffer, G_PRIORITY_DEFAULT, cancellable,
                             keep_result, &result);
  g_assert_cmpint (g_input_stream_read_finish (counter, wait_result (&result), &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (TEST_COUNTER (counter)->next, ==, 0);
  test_guard_stop ();
}

static void
test_can_poll (void)
{
  g_autoptr(GInputStream) counter = g_object_new (TEST_TYPE_COUNTER, NULL);
  g_autoptr(GOutputStream) tally = g_object_new (TEST_TYPE_TALLY, NULL);

  g_assert_true (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (counter)));
  g_assert_true (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (tally)));
  msrp_test_pollable_stream_set_pollable (counter, FALSE);
  msrp_test_pollable_stream_set_pollable (tally, FALSE);
  g_assert_false (g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (counter)));
  g_assert_false (g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (tally)));
}

/* Busy: would block until a source is made, which is ready at once. */
static void
test_busy (void)
{
  g_autoptr(GInputStream) counter = g_object_new (TEST_TYPE_COUNTER, NULL);
  GPollableInputStream *pollable = G_POLLABLE_INPUT_STREAM (counter);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) source = NULL;
  gboolean fired;
  guint8 buffer[2];

  g_assert_true (g_pollable_input_stream_is_readable (pollable));
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (pollable, buffer, 2, NULL, &error),
                   ==, 2);
  g_assert_no_error (error);

  msrp_test_pollable_stream_set_busy (counter, TRUE);
  g_assert_false (g_pollable_input_stream_is_readable (pollable));
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (pollable, buffer, 2, NULL, &error),
                   ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  g_assert_cmpuint (TEST_COUNTER (counter)->next, ==, 2);

  test_guard_start (10);
  source = watch (counter, &fired);
  WAIT_UNTIL (fired);
  g_source_destroy (source);
  g_assert_true (g_pollable_input_stream_is_readable (pollable));
  g_assert_cmpint (g_pollable_input_stream_read_nonblocking (pollable, buffer, 2, NULL, &error),
                   ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (buffer[0], ==, 2);
  test_guard_stop ();
}

/* Held: sources wait until released. */
static void
test_held (void)
{
  g_autoptr(GOutputStream) tally = g_object_new (TEST_TYPE_TALLY, NULL);
  GPollableOutputStream *pollable = G_POLLABLE_OUTPUT_STREAM (tally);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) source = NULL;
  gboolean fired;

  msrp_test_pollable_stream_set_held (tally, TRUE);
  g_assert_false (g_pollable_output_stream_is_writable (pollable));
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (pollable, "ab", 2, NULL, &error),
                   ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  test_guard_start (10);
  source = watch (tally, &fired);
  /* Let other ready sources run: the held one is not among them. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (fired);

  msrp_test_pollable_stream_set_held (tally, FALSE);
  WAIT_UNTIL (fired);
  g_source_destroy (source);
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (pollable, "ab", 2, NULL, &error),
                   ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (TEST_TALLY (tally)->written, ==, 2);
  test_guard_stop ();
}

/* A source still waiting when the stream goes is dropped with it. */
static void
test_held_finalize (void)
{
  GOutputStream *tally = g_object_new (TEST_TYPE_TALLY, NULL);
  GSource *source;
  gboolean fired;

  msrp_test_pollable_stream_set_held (tally, TRUE);
  source = watch (tally, &fired);
  g_source_destroy (source);
  g_source_unref (source);
  g_object_unref (tally);
  g_assert_false (fired);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pollable-stream/async-read", test_async_read);
  g_test_add_func ("/pollable-stream/async-write-error", test_async_write_error);
  g_test_add_func ("/pollable-stream/async-cancelled", test_async_cancelled);
  g_test_add_func ("/pollable-stream/can-poll", test_can_poll);
  g_test_add_func ("/pollable-stream/busy", test_busy);
  g_test_add_func ("/pollable-stream/held", test_held);
  g_test_add_func ("/pollable-stream/held-finalize", test_held_finalize);
  return g_test_run ();
}
