/* kamailio-harness.c: a real Kamailio MSRP relay (RFC 4976) for tests
 *
 * Each relay runs in a fresh directory under the build directory, from
 * kamailio-relay.cfg.in with its placeholders filled in, on a loopback port
 * that was free a moment before. It is stopped by kamailio_relay_stop(), at
 * exit, and, should the test process die, by the kernel: the child asks for
 * SIGTERM when its parent goes (PR_SET_PDEATHSIG).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "kamailio-harness.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* Logged by the config once a worker runs, i.e. after the bind. */
#define READY_MARKER "gst-msrp test relay ready"
/* Kamailio's words when the port was taken between our check and its bind. */
#define ADDRESS_IN_USE "Address already in use"
/* Ports tried before giving up, each after another process took one. */
#define START_ATTEMPTS 5
#define POLL_INTERVAL_US (50 * 1000)
/* 10 s for Kamailio to come up, 5 s for it to go after SIGTERM */
#define START_POLLS 200
#define STOP_POLLS 100

static const char *const run_files[] = {
  "kamailio.cfg", "kamailio.log", "kamailio.pid", "tls.cfg", "cert.pem", "key.pem",
};

/* Relays not stopped yet, for the exit handler. */
static GMutex running_lock;
static GPtrArray *running;

void
kamailio_relay_options_init (KamailioRelayOptions *options)
{
  options->username = "alice";
  options->password = "secret";
  options->realm = "relay.test";
  options->digest_method = KAMAILIO_DIGEST_METHOD_AUTH;
  options->min_expires = 1;
  options->max_expires = 3600;
  options->nonce_expire = 300;
  options->qop = TRUE;
  options->forbid_wrong_password = TRUE;
  options->tls_certificate = NULL;
}

static gboolean
options_check (const KamailioRelayOptions *options, GError **error)
{
  const char *texts[] = { options->username, options->password, options->realm };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] == NULL || *texts[i] == '\0' || strpbrk (texts[i], "\"\\\r\n") != NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     "relay account “%s” cannot go into a Kamailio string",
                     texts[i] ? texts[i] : "(null)");
        return FALSE;
      }
  if (options->max_expires == 0 || options->min_expires > options->max_expires)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "relay Expires bounds %u..%u are empty",
                   options->min_expires, options->max_expires);
      return FALSE;
    }
  return TRUE;
}

static char *
find_kamailio (GError **error)
{
  const char *chosen = g_getenv (KAMAILIO_BINARY_ENV);
  char *path = NULL;

  if (chosen != NULL)
    {
      if (g_file_test (chosen, G_FILE_TEST_IS_EXECUTABLE))
        path = g_strdup (chosen);
    }
  else
    {
      path = g_find_program_in_path ("kamailio");
      if (path == NULL && g_file_test ("/usr/sbin/kamailio", G_FILE_TEST_IS_EXECUTABLE))
        path = g_strdup ("/usr/sbin/kamailio");
    }
  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "kamailio is not installed%s%s: install the Debian package “kamailio” "
                 "(CI does, from .ci/debian-packages), or set %s=1 to skip the tests "
                 "that need it", chosen ? " at " : "", chosen ? chosen : "",
                 KAMAILIO_ALLOW_MISSING_ENV);
  return path;
}

/* A loopback port nobody listens on right now. Kamailio binds it a moment
 * later; if another process was quicker, the caller tries again. */
static guint16
pick_free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL || !g_socket_bind (socket, any_port, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_accepts (guint16 port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  return socket != NULL && g_socket_connect (socket, address, NULL, NULL);
}

/* Replaces every @NAME@ in @text; a placeholder without a value is an
 * error, so the template and this file cannot drift apart silently. */
static char *
render_config (const char *text, GHashTable *values, GError **error)
{
  GString *config = g_string_sized_new (strlen (text));
  const char *p = text;

  while (*p != '\0')
    {
      const char *end = NULL;
      g_autofree char *name = NULL;
      const char *value;

      if (*p == '@')
        {
          end = p + 1;
          while (g_ascii_isupper (*end) || *end == '_')
            end++;
          if (*end != '@' || end == p + 1)
            end = NULL;
        }
      if (end == NULL)
        {
          g_string_append_c (config, *p++);
          continue;
        }
      name = g_strndup (p + 1, end - p - 1);
      value = g_hash_table_lookup (values, name);
      if (value == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "the Kamailio template has a placeholder @%s@ the harness does not fill",
                       name);
          g_string_free (config, TRUE);
          return NULL;
        }
      g_string_append (config, value);
      p = end + 1;
    }
  return g_string_free (config, FALSE);
}

/* The certificate, its key and the tls module's configuration, in @run_dir. */
static gboolean
write_tls_files (GTlsCertificate *certificate, const char *run_dir, GError **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_path = g_build_filename (run_dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (run_dir, "key.pem", NULL);
  g_autofree char *tls_path = g_build_filename (run_dir, "tls.cfg", NULL);
  g_autofree char *tls_cfg = NULL;

  g_object_get (certificate, "certificate-pem", &cert_pem, "private-key-pem", &key_pem, NULL);
  if (cert_pem == NULL || key_pem == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the relay's TLS certificate has no PEM text or no private key");
      return FALSE;
    }
  tls_cfg = g_strdup_printf ("[server:default]\n"
                             "method = TLSv1.2+\n"
                             "verify_certificate = no\n"
                             "require_certificate = no\n"
                             "certificate = %s\n"
                             "private_key = %s\n", cert_path, key_path);
  return g_file_set_contents (cert_path, cert_pem, -1, error)
    && g_file_set_contents_full (key_path, key_pem, -1, G_FILE_SET_CONTENTS_NONE, 0600, error)
    && g_file_set_contents (tls_path, tls_cfg, -1, error);
}

static char *
make_config (const KamailioRelayOptions *options,
             guint16                     port,
             const char                 *run_dir,
             GError                    **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *template_text = NULL;
  gboolean tls = options->tls_certificate != NULL;

  if (!g_file_get_contents (KAMAILIO_RELAY_TEMPLATE, &template_text, NULL, error))
    return NULL;
  if (tls && !write_tls_files (options->tls_certificate, run_dir, error))
    return NULL;
  g_hash_table_insert (values, "PORT", g_strdup_printf ("%u", port));
  g_hash_table_insert (values, "TLS", g_strdup (tls ? "#!define WITH_TLS" : ""));
  g_hash_table_insert (values, "LISTEN_PROTO", g_strdup (tls ? "tls" : "tcp"));
  g_hash_table_insert (values, "SCHEME", g_strdup (tls ? "msrps" : "msrp"));
  g_hash_table_insert (values, "RUN_DIR", g_strdup (run_dir));
  g_hash_table_insert (values, "USERNAME", g_strdup (options->username));
  g_hash_table_insert (values, "PASSWORD", g_strdup (options->password));
  g_hash_table_insert (values, "REALM", g_strdup (options->realm));
  g_hash_table_insert (values, "DIGEST_METHOD",
                       g_strdup (options->digest_method == KAMAILIO_DIGEST_METHOD_AUTH
                                 ? "$msrp(method)" : "MSRP"));
  g_hash_table_insert (values, "MIN_EXPIRES", g_strdup_printf ("%u", options->min_expires));
  g_hash_table_insert (values, "MAX_EXPIRES", g_strdup_printf ("%u", options->max_expires));
  g_hash_table_insert (values, "NONCE_EXPIRE", g_strdup_printf ("%u", options->nonce_expire));
  g_hash_table_insert (values, "QOP", g_strdup (options->qop ? "auth" : ""));
  g_hash_table_insert (values, "CHALLENGE_FLAGS", g_strdup (options->qop ? "1" : "0"));
  g_hash_table_insert (values, "FORBID_WRONG_PASSWORD",
                       g_strdup (options->forbid_wrong_password ? "1" : "0"));
  /* idle connections live as long as the longest registration, and at
   * least Kamailio's default of two minutes */
  g_hash_table_insert (values, "CONNECTION_LIFETIME",
                       g_strdup_printf ("%u", MAX (options->max_expires + 60, 120)));
  g_hash_table_insert (values, "READY_MARKER", g_strdup (READY_MARKER));
  return render_config (template_text, values, error);
}

static void
child_setup (gpointer data)
{
  /* its own process group, so a SIGKILL reaches the workers too */
  setpgid (0, 0);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
process_running (GSubprocess *process)
{
  /* GLib reaps the child on its worker thread; the identifier goes then. */
  return g_subprocess_get_identifier (process) != NULL;
}

static void
terminate (GSubprocess *process)
{
  if (process_running (process))
    {
      g_subprocess_send_signal (process, SIGTERM);
      for (guint i = 0; i < STOP_POLLS && process_running (process); i++)
        g_usleep (POLL_INTERVAL_US);
    }
  if (process_running (process))
    {
      /* Not reaped yet, so the group id cannot have been reused. */
      const char *identifier = g_subprocess_get_identifier (process);

      if (identifier != NULL)
        kill (-atoi (identifier), SIGKILL);
    }
  g_subprocess_wait (process, NULL, NULL);
}

char *
kamailio_relay_get_log (KamailioRelay *relay)
{
  char *text = NULL;

  if (!g_file_get_contents (relay->log_path, &text, NULL, NULL))
    text = g_strdup ("(no log)");
  return text;
}

static GSubprocess *
launch (const char *binary, const char *run_dir, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *config = g_build_filename (run_dir, "kamailio.cfg", NULL);
  g_autofree char *log = g_build_filename (run_dir, "kamailio.log", NULL);
  g_autofree char *pid_file = g_build_filename (run_dir, "kamailio.pid", NULL);

  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* -DD: stay in the foreground, -E: log to stderr, -Y/-w: runtime and
   * working directory of our own */
  return g_subprocess_launcher_spawn (launcher, error, binary, "-f", config, "-DD", "-E",
                                      "-P", pid_file, "-Y", run_dir, "-w", run_dir, NULL);
}

typedef enum {
  WAIT_READY,
  WAIT_PORT_TAKEN,
  WAIT_FAILED,
} WaitResult;

static WaitResult
wait_ready (KamailioRelay *relay, GError **error)
{
  for (guint i = 0; i < START_POLLS; i++)
    {
      g_autofree char *log = kamailio_relay_get_log (relay);

      if (!process_running (relay->process))
        {
          if (strstr (log, ADDRESS_IN_USE) != NULL)
            return WAIT_PORT_TAKEN;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "kamailio exited while starting; its log:\n%s", log);
          return WAIT_FAILED;
        }
      if (strstr (log, READY_MARKER) != NULL && port_accepts (relay->port))
        return WAIT_READY;
      g_usleep (POLL_INTERVAL_US);
    }
  {
    g_autofree char *log = kamailio_relay_get_log (relay);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                 "kamailio did not accept connections on port %u within %u ms; its log:\n%s",
                 relay->port, START_POLLS * POLL_INTERVAL_US / 1000, log);
  }
  return WAIT_FAILED;
}

static void
relay_free (KamailioRelay *relay)
{
  g_clear_object (&relay->process);
  g_free (relay->uri);
  g_free (relay->host);
  g_free (relay->username);
  g_free (relay->password);
  g_free (relay->realm);
  g_free (relay->run_dir);
  g_free (relay->log_path);
  g_free (relay);
}

static void
remove_run_dir (const char *run_dir)
{
  for (gsize i = 0; i < G_N_ELEMENTS (run_files); i++)
    {
      g_autofree char *path = g_build_filename (run_dir, run_files[i], NULL);

      g_unlink (path);
    }
  g_rmdir (run_dir);
}

static void
stop_all_at_exit (void)
{
  g_autoptr(GPtrArray) left = NULL;

  g_mutex_lock (&running_lock);
  left = g_steal_pointer (&running);
  g_mutex_unlock (&running_lock);
  if (left == NULL)
    return;
  for (guint i = 0; i < left->len; i++)
    kamailio_relay_stop (g_ptr_array_index (left, i));
}

static void
track (KamailioRelay *relay)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      atexit (stop_all_at_exit);
      g_once_init_leave (&registered, 1);
    }
  g_mutex_lock (&running_lock);
  if (running == NULL)
    running = g_ptr_array_new ();
  g_ptr_array_add (running, relay);
  g_mutex_unlock (&running_lock);
}

static void
untrack (KamailioRelay *relay)
{
  g_mutex_lock (&running_lock);
  if (running != NULL)
    g_ptr_array_remove (running, relay);
  g_mutex_unlock (&running_lock);
}

KamailioRelay *
kamailio_relay_start (const char                  *build_dir,
                      const KamailioRelayOptions  *options,
                      GError                     **error)
{
  KamailioRelayOptions defaults;
  g_autofree char *binary = NULL;
  g_autoptr(GError) local_error = NULL;
  KamailioRelay *relay;

  if (options == NULL)
    {
      kamailio_relay_options_init (&defaults);
      options = &defaults;
    }
  if (!options_check (options, error))
    return NULL;
  binary = find_kamailio (error);
  if (binary == NULL)
    return NULL;

  relay = g_new0 (KamailioRelay, 1);
  relay->host = g_strdup ("127.0.0.1");
  relay->username = g_strdup (options->username);
  relay->password = g_strdup (options->password);
  relay->realm = g_strdup (options->realm);
  relay->run_dir = g_build_filename (build_dir, "kamailio-XXXXXX", NULL);
  if (g_mkdtemp (relay->run_dir) == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot make a directory for kamailio in %s: %s", build_dir,
                   g_strerror (errno));
      g_clear_pointer (&relay->run_dir, g_free);
      relay_free (relay);
      return NULL;
    }
  relay->log_path = g_build_filename (relay->run_dir, "kamailio.log", NULL);

  for (guint attempt = 0; attempt < START_ATTEMPTS; attempt++)
    {
      g_autofree char *config = NULL;
      g_autofree char *config_path = g_build_filename (relay->run_dir, "kamailio.cfg", NULL);

      relay->port = pick_free_port (&local_error);
      if (relay->port == 0)
        break;
      config = make_config (options, relay->port, relay->run_dir, &local_error);
      if (config == NULL || !g_file_set_contents (config_path, config, -1, &local_error))
        break;
      relay->process = launch (binary, relay->run_dir, &local_error);
      if (relay->process == NULL)
        break;
      switch (wait_ready (relay, &local_error))
        {
        case WAIT_READY:
          relay->uri = g_strdup_printf ("%s://%s:%u;tcp",
                                        options->tls_certificate ? "msrps" : "msrp",
                                        relay->host, relay->port);
          track (relay);
          return relay;
        case WAIT_PORT_TAKEN:
          terminate (relay->process);
          g_clear_object (&relay->process);
          continue;
        case WAIT_FAILED:
          break;
        }
      break;
    }

  if (local_error == NULL)
    g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                 "kamailio found its port taken %u times in a row", START_ATTEMPTS);
  g_propagate_error (error, g_steal_pointer (&local_error));
  if (relay->process != NULL)
    terminate (relay->process);
  remove_run_dir (relay->run_dir);
  relay_free (relay);
  return NULL;
}

void
kamailio_relay_stop (KamailioRelay *relay)
{
  if (relay == NULL)
    return;
  untrack (relay);
  terminate (relay->process);
  remove_run_dir (relay->run_dir);
  relay_free (relay);
}

void
kamailio_relay_kill (KamailioRelay *relay)
{
  const char *identifier = g_subprocess_get_identifier (relay->process);

  /* Not reaped yet, so the group id cannot have been reused. */
  if (identifier != NULL)
    kill (-atoi (identifier), SIGKILL);
  g_subprocess_wait (relay->process, NULL, NULL);
}

KamailioRelay *
kamailio_relay_start_for_test (const KamailioRelayOptions *options)
{
  const char *build_dir = g_getenv ("MSRP_TEST_BUILD_DIR");
  g_autoptr(GError) error = NULL;
  KamailioRelay *relay;

  g_assert_nonnull (build_dir);
  relay = kamailio_relay_start (build_dir, options, &error);
  if (relay == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
      && g_strcmp0 (g_getenv (KAMAILIO_ALLOW_MISSING_ENV), "1") == 0)
    {
      g_test_skip (error->message);
      return NULL;
    }
  g_assert_no_error (error);
  g_test_queue_destroy ((GDestroyNotify) kamailio_relay_stop, relay);
  return relay;
}
