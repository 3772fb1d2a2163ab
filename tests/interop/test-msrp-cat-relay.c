/* test-msrp-cat-relay.c: msrp-cat through a real Kamailio relay
 *
 * msrp-cat processes (the binary is the MSRP_CAT environment variable)
 * with --relay against Kamailio started by kamailio-harness.c: a receiver
 * behind the relay with a direct sender, both behind it, a wrong password.
 */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include "kamailio-harness.h"
#include "msrp-test-wait.h"

typedef struct {
  KamailioRelay *relay;
  char *dir;
} Fixture;

/* Starts the relay; FALSE when the test is skipped (no Kamailio). */
static gboolean
fixture_start_with (Fixture *fx, KamailioDigestMethod digest_method)
{
  KamailioRelayOptions options;
  g_autoptr(GError) error = NULL;

  kamailio_relay_options_init (&options);
  options.digest_method = digest_method;
  fx->relay = kamailio_relay_start_for_test (&options);
  if (fx->relay == NULL)
    return FALSE;
  fx->dir = g_dir_make_tmp ("msrp-cat-relay-XXXXXX", &error);
  g_assert_no_error (error);
  test_guard_start (120);
  return TRUE;
}

static gboolean
fixture_start (Fixture *fx)
{
  KamailioRelayOptions options;

  kamailio_relay_options_init (&options);
  return fixture_start_with (fx, options.digest_method);
}

static void
fixture_end (Fixture *fx)
{
  g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fx->dir);
  g_free (fx->dir);
  test_guard_stop ();
}

static void
add_relay (GStrvBuilder *args, KamailioRelay *relay, const char *password)
{
  g_strv_builder_add_many (args, "--relay", relay->uri, "--relay-user", relay->username,
                           "--relay-password", password ? password : relay->password, NULL);
}

static GSubprocess *
spawn (GStrvBuilder *args)
{
  g_auto(GStrv) argv = g_strv_builder_end (args);
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_newv ((const char * const *) argv,
                                            G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);

  g_assert_no_error (error);
  return process;
}

static GStrvBuilder *
msrp_cat (const char *command)
{
  GStrvBuilder *args = g_strv_builder_new ();

  g_assert_nonnull (g_getenv ("MSRP_CAT"));
  g_strv_builder_add_many (args, g_getenv ("MSRP_CAT"), command, NULL);
  return args;
}

/* Feeds @input to @process and waits for it; returns its exit status, its
 * stdout in @out and its stderr in @err. */
static int
finish (GSubprocess *process, GBytes *input, GBytes **out, char **err)
{
  g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* Every process has a stdin pipe, closed here after @input. */
  g_subprocess_communicate_async (process, input ? input : nothing, NULL, keep_result, &result);
  WAIT_UNTIL (result != NULL);
  g_subprocess_communicate_finish (process, result, out, &stderr_bytes, &error);
  g_assert_no_error (error);
  *err = g_strndup (g_bytes_get_size (stderr_bytes) > 0 ? g_bytes_get_data (stderr_bytes, NULL) : "",
                    g_bytes_get_size (stderr_bytes));
  g_test_message ("%s", *err);
  return g_subprocess_get_exit_status (process);
}

static gboolean
on_wait_tick (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Set when the process exits; shared with the wait callback, which may run
 * after the caller is gone. */
typedef struct {
  gboolean exited;
} ExitFlag;

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ExitFlag *flag = user_data;

  flag->exited = TRUE;
  g_rc_box_release (flag);
}

/* Starts msrp-cat recv with @args and returns once its path file is
 * written, with the path in @path; NULL when it exited first, with its
 * exit status in @status and its stderr in @path. */
static GSubprocess *
start_recv (Fixture *fx, GStrvBuilder *args, char **path, int *status)
{
  g_autofree char *path_file = g_build_filename (fx->dir, "path", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *contents = NULL;
  ExitFlag *flag = g_rc_box_new0 (ExitFlag);

  g_strv_builder_add_many (args, "--path-file", path_file, NULL);
  process = spawn (args);
  g_subprocess_wait_async (process, NULL, on_exited, g_rc_box_acquire (flag));
  while (!g_file_test (path_file, G_FILE_TEST_EXISTS))
    {
      gboolean tick = FALSE;

      if (flag->exited)
        {
          g_autoptr(GBytes) out = NULL;

          g_rc_box_release (flag);
          *status = finish (process, NULL, &out, path);
          return NULL;
        }
      /* Poll the file: wake up every 10 ms. */
      g_timeout_add (10, on_wait_tick, &tick);
      WAIT_UNTIL (tick);
    }
  g_rc_box_release (flag);
  g_assert_true (g_file_get_contents (path_file, &contents, NULL, NULL));
  *path = g_strndup (contents, strcspn (contents, "\n"));
  return g_steal_pointer (&process);
}

static GBytes *
random_body (gsize size, guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;
  return g_bytes_new_take (data, size);
}

/* The receiver behind the relay, the sender direct to the relay: a body of
 * many chunks. (The relay may reorder separate messages from a direct
 * sender; both-behind-relay checks the order.) */
static void
test_recv_behind_relay (void)
{
  Fixture fx = { 0 };
  g_autoptr(GStrvBuilder) recv_args = msrp_cat ("recv");
  g_autoptr(GStrvBuilder) send_args = msrp_cat ("send");
  g_autoptr(GSubprocess) recv = NULL;
  g_autoptr(GSubprocess) send = NULL;
  g_autoptr(GBytes) body = random_body (100000, 4976);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) send_out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  g_autofree char *send_err = NULL;
  g_autofree char *relay_prefix = NULL;
  g_autofree char *body_file = NULL;
  int status = -1;

  if (!fixture_start (&fx))
    return;
  add_relay (recv_args, fx.relay, NULL);
  /* Its session stays at the relay after the sender has gone: --count says
   * when it is over. */
  g_strv_builder_add_many (recv_args, "--count", "1", NULL);
  recv = start_recv (&fx, recv_args, &path, &status);
  g_assert_nonnull (recv);
  /* The relay's URI first, then the receiver's own. */
  relay_prefix = g_strdup_printf ("msrp://%s:%u/", fx.relay->host, fx.relay->port);
  g_assert_true (g_str_has_prefix (path, relay_prefix));
  g_assert_nonnull (strchr (path, ' '));

  body_file = g_build_filename (fx.dir, "body", NULL);
  g_assert_true (g_file_set_contents (body_file, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL));
  g_strv_builder_add_many (send_args, "--to", path, body_file, NULL);
  send = spawn (send_args);
  g_assert_cmpint (finish (send, NULL, &send_out, &send_err), ==, 0);
  g_assert_cmpint (finish (recv, NULL, &out, &err), ==, 0);
  g_assert_true (g_bytes_equal (out, body));
  fixture_end (&fx);
}

/* Both ends behind the relay: the sender's path goes through it too, and
 * its messages arrive in order although the relay forwards in parallel
 * (each waits for the success REPORT of the one before). */
static void
test_both_behind_relay (void)
{
  Fixture fx = { 0 };
  g_autoptr(GStrvBuilder) recv_args = msrp_cat ("recv");
  g_autoptr(GStrvBuilder) send_args = msrp_cat ("send");
  g_autoptr(GSubprocess) recv = NULL;
  g_autoptr(GSubprocess) send = NULL;
  g_autoptr(GBytes) lines = g_bytes_new_static ("one\ntwo\nthree\nfour\nfive\n", 24);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) send_out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  g_autofree char *send_err = NULL;
  int status = -1;

  if (!fixture_start (&fx))
    return;
  add_relay (recv_args, fx.relay, NULL);
  g_strv_builder_add_many (recv_args, "--count", "5", "-v", NULL);
  recv = start_recv (&fx, recv_args, &path, &status);
  g_assert_nonnull (recv);
  add_relay (send_args, fx.relay, NULL);
  g_strv_builder_add_many (send_args, "--lines", "--to", path, NULL);
  send = spawn (send_args);
  g_assert_cmpint (finish (send, lines, &send_out, &send_err), ==, 0);
  g_assert_cmpint (finish (recv, NULL, &out, &err), ==, 0);
  g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "onetwothreefourfive", 19);
  /* The sender's From-Path, as the receiver saw it, starts at the relay. */
  g_assert_nonnull (strstr (err, "< From-Path: msrp://"));
  fixture_end (&fx);
}

/* The relay refuses the credentials: recv says so and exits 1. */
static void
test_wrong_password (void)
{
  Fixture fx = { 0 };
  g_autoptr(GStrvBuilder) recv_args = msrp_cat ("recv");
  g_autoptr(GSubprocess) recv = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!fixture_start (&fx))
    return;
  add_relay (recv_args, fx.relay, "not the password");
  recv = start_recv (&fx, recv_args, &err, &status);
  g_assert_null (recv);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "msrp-cat: cannot listen: "));
  /* 403, or 401 from a relay that challenges again */
  g_assert_true (strstr (err, "refused AUTH: peer answered 403") != NULL ||
                 strstr (err, "refused AUTH: peer answered 401") != NULL);
  fixture_end (&fx);
}

/* A relay that digests the method name "MSRP" (Kamailio's default): recv
 * is refused with the RFC 4976 default, and admitted with
 * --relay-digest-method MSRP. */
static void
test_digest_method (void)
{
  Fixture fx = { 0 };
  g_autoptr(GStrvBuilder) refused_args = msrp_cat ("recv");
  g_autoptr(GStrvBuilder) recv_args = msrp_cat ("recv");
  g_autoptr(GStrvBuilder) send_args = msrp_cat ("send");
  g_autoptr(GSubprocess) refused = NULL;
  g_autoptr(GSubprocess) recv = NULL;
  g_autoptr(GSubprocess) send = NULL;
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) send_out = NULL;
  g_autofree char *send_err = NULL;
  g_autofree char *refused_err = NULL;
  g_autofree char *path = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  if (!fixture_start_with (&fx, KAMAILIO_DIGEST_METHOD_MSRP))
    return;
  add_relay (refused_args, fx.relay, NULL);
  refused = start_recv (&fx, refused_args, &refused_err, &status);
  g_assert_null (refused);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (refused_err, "refused AUTH"));

  add_relay (recv_args, fx.relay, NULL);
  g_strv_builder_add_many (recv_args, "--relay-digest-method", "MSRP", "--count", "1", NULL);
  recv = start_recv (&fx, recv_args, &path, &status);
  g_assert_nonnull (recv);
  g_strv_builder_add_many (send_args, "--to", path, NULL);
  send = spawn (send_args);
  g_assert_cmpint (finish (send, hello, &send_out, &send_err), ==, 0);
  g_assert_cmpint (finish (recv, NULL, &out, &err), ==, 0);
  g_assert_true (g_bytes_equal (out, hello));
  fixture_end (&fx);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/msrp-cat/relay/recv-behind-relay", test_recv_behind_relay);
  g_test_add_func ("/msrp-cat/relay/both-behind-relay", test_both_behind_relay);
  g_test_add_func ("/msrp-cat/relay/wrong-password", test_wrong_password);
  g_test_add_func ("/msrp-cat/relay/digest-method", test_digest_method);

  return g_test_run ();
}
