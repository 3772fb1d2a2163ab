/* msrp-cat-recv.c: msrp-cat recv, serve a local URI and write what arrives
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-cat.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <string.h>
#include <unistd.h>

static const char recv_description[] =
  "Serves a local MSRP URI (by default msrp://127.0.0.1:0/<random>;tcp, a free\n"
  "port, msrps: with --tls) and accepts one session. When it is ready it prints\n"
  "its full local path on standard error and writes it on the first line of\n"
  "--path-file (URIs separated by single spaces; with TLS its certificate\n"
  "fingerprint, \"sha-256 AB:CD:…\", on the second line). The file is written\n"
  "whole at once (temporary file and rename), so a script may poll for it.\n"
  "\n"
  "Without --remote-path any From-Path is accepted. Connections that never\n"
  "bind the session (garbage, a wrong session-id) are dropped and the URI keeps\n"
  "being served. With --relay the path starts with the relay's URI: the\n"
  "session runs on a connection to the relay, which stays when the sender\n"
  "leaves (use --count).\n"
  "\n"
  "The body of every message is written as it arrives, never held in memory:\n"
  "to standard output, the bodies one after the other with nothing between\n"
  "them, or with --output-dir to the files DIR/1, DIR/2, … (a message being\n"
  "received sits in a hidden temporary file in DIR until it is complete).\n"
  "Both follow the order in which the messages started to arrive, which is\n"
  "the order they were sent in unless the sender interleaves them; a body\n"
  "that has to wait for stdout waits in a temporary file.\n"
  "\n"
  "It exits 0 after --count messages, or when the peer closes the session\n"
  "cleanly (having sent at least --count messages); 1 when the connection\n"
  "fails or a message fails (the reason is on standard error); 2 for a usage\n"
  "error.\n"
  "\n"
  "Example:\n"
  "  msrp-cat recv --path-file path.txt --count 1 > body &\n"
  "  msrp-cat send --to \"$(head -n 1 path.txt)\" file.bin";

typedef struct _Output Output;

typedef struct {
  MsrpCatCommon common;
  char *listen;
  char *path_file;
  int count;
  char *output_dir;
  char *accept_types;
  gint64 max_size;
  gboolean tls;
  char *cert;
  char *key;
  char *fingerprint;
  char *remote_path;

  GMainLoop *loop;
  int status;
  MsrpConnector *acceptor;
  MsrpSession *session;
  guint received;
  gboolean session_over;
  gboolean closing;
  GOutputStream *stdout_stream;
  /* MsrpIncomingMessage → Output, for the messages being received */
  GHashTable *outputs;
  guint announced;
  /* Without --output-dir: the messages whose bodies are not on stdout yet,
   * in the order they started. The first streams straight to stdout when
   * it started while nothing else was waiting; the others wait in
   * temporary files until it is their turn. */
  GQueue pending;
  gboolean splicing;
} Recv;

struct _Output
{
  Recv *recv;
  guint number;        /* in the order messages started, from 1 */
  gboolean direct;     /* streams to stdout */
  gboolean complete;
  /* A temporary file: a message waiting for stdout, or the partial file in
   * --output-dir; -1 when the message goes to stdout directly. */
  int fd;
  char *partial_path;
  GOutputStream *stream;
  MsrpCatProgress *progress;
};

static void
output_free (Output *output)
{
  msrp_cat_progress_stop (output->progress);
  g_clear_object (&output->stream);
  if (output->fd >= 0)
    g_close (output->fd, NULL);
  if (output->partial_path != NULL)
    g_unlink (output->partial_path);
  g_free (output->partial_path);
  g_free (output);
}

static void
recv_fail (Recv *recv, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
recv_fail (Recv *recv, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  msrp_cat_vprinterr (format, args);
  va_end (args);
  recv->status = MSRP_CAT_EXIT_FAILURE;
}

/* Quits once the session is over and every body is out. */
static void
recv_maybe_quit (Recv *recv)
{
  if (recv->session_over && !recv->closing && g_hash_table_size (recv->outputs) == 0 &&
      !recv->splicing && g_queue_is_empty (&recv->pending))
    g_main_loop_quit (recv->loop);
}

static void pump_stdout (Recv *recv);

static void
spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Output *output = user_data;
  Recv *recv = output->recv;
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    recv_fail (recv, "writing to standard output failed: %s", error->message);
  output_free (output);
  recv->splicing = FALSE;
  pump_stdout (recv);
  recv_maybe_quit (recv);
}

/* Copies the next body to stdout when it is complete and stdout is free. */
static void
pump_stdout (Recv *recv)
{
  Output *output = g_queue_peek_head (&recv->pending);
  g_autoptr(GInputStream) input = NULL;

  if (recv->splicing || output == NULL || output->direct || !output->complete)
    return;
  g_queue_pop_head (&recv->pending);
  g_clear_object (&output->stream);
  if (lseek (output->fd, 0, SEEK_SET) < 0)
    {
      recv_fail (recv, "rewinding a temporary file failed: %s", g_strerror (errno));
      output_free (output);
      pump_stdout (recv);
      return;
    }
  input = g_unix_input_stream_new (output->fd, TRUE);
  output->fd = -1;
  recv->splicing = TRUE;
  g_output_stream_splice_async (recv->stdout_stream, input, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                G_PRIORITY_DEFAULT, NULL, spliced, output);
}

static Output *
output_new (Recv *recv, GError **error)
{
  Output *output = g_new0 (Output, 1);

  output->recv = recv;
  output->number = ++recv->announced;
  output->fd = -1;
  if (recv->output_dir != NULL)
    {
      output->partial_path = g_build_filename (recv->output_dir, ".msrp-cat-XXXXXX", NULL);
      output->fd = g_mkstemp_full (output->partial_path, O_WRONLY | O_CLOEXEC, 0666);
      if (output->fd < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "cannot create a file in %s: %s", recv->output_dir, g_strerror (saved));
          g_clear_pointer (&output->partial_path, g_free);
          output_free (output);
          return NULL;
        }
      output->stream = msrp_cat_output_stream_new (output->fd, FALSE);
    }
  else if (!recv->splicing && g_queue_is_empty (&recv->pending))
    {
      output->direct = TRUE;
      output->stream = g_object_ref (recv->stdout_stream);
    }
  else
    {
      g_autofree char *name = NULL;

      output->fd = g_file_open_tmp ("msrp-cat-XXXXXX", &name, error);
      if (output->fd < 0)
        {
          output_free (output);
          return NULL;
        }
      /* Nothing else needs the name; the file goes when it is closed. */
      g_unlink (name);
      output->stream = msrp_cat_output_stream_new (output->fd, FALSE);
    }
  if (recv->output_dir == NULL)
    g_queue_push_tail (&recv->pending, output);
  return output;
}

static void
incoming_message (MsrpSession *session, MsrpIncomingMessage *message, gpointer user_data)
{
  Recv *recv = user_data;
  g_autoptr(GError) error = NULL;
  Output *output = output_new (recv, &error);

  if (output == NULL)
    {
      recv_fail (recv, "%s", error->message);
      msrp_session_abort_incoming (session, message);
      return;
    }
  msrp_incoming_message_set_output_stream (message, output->stream);
  output->progress = msrp_cat_progress_start (&recv->common, "receiving", G_OBJECT (message));
  g_hash_table_insert (recv->outputs, g_object_ref (message), output);
}

static void
session_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Recv *recv = user_data;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_close_finish (MSRP_SESSION (source), result, &error))
    recv_fail (recv, "closing the session failed: %s", error->message);
  recv->closing = FALSE;
  recv_maybe_quit (recv);
}

static void
recv_close (Recv *recv)
{
  if (recv->closing || recv->session_over)
    return;
  recv->closing = TRUE;
  msrp_session_close_async (recv->session, NULL, session_closed_cb, recv);
}

static void
message_received (MsrpSession *session, MsrpIncomingMessage *message, gpointer user_data)
{
  Recv *recv = user_data;
  Output *output = NULL;

  if (!g_hash_table_steal_extended (recv->outputs, message, NULL, (gpointer *) &output))
    return;
  g_object_unref (message);
  recv->received++;
  g_clear_pointer (&output->progress, msrp_cat_progress_stop);
  if (recv->output_dir != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%u", output->number);
      g_autofree char *path = g_build_filename (recv->output_dir, name, NULL);

      g_clear_object (&output->stream);
      if (g_close (output->fd, NULL) && g_rename (output->partial_path, path) == 0)
        g_clear_pointer (&output->partial_path, g_free);
      else
        recv_fail (recv, "cannot write %s: %s", path, g_strerror (errno));
      output->fd = -1;
      output_free (output);
    }
  else
    {
      output->complete = TRUE;
      if (output->direct)
        {
          g_queue_remove (&recv->pending, output);
          output_free (output);
        }
      pump_stdout (recv);
    }

  if (recv->count > 0 && recv->received >= (guint) recv->count)
    recv_close (recv);
  recv_maybe_quit (recv);
}

static void
message_failed (MsrpSession *session, MsrpIncomingMessage *message, const GError *error,
                gpointer user_data)
{
  Recv *recv = user_data;
  Output *output = NULL;
  g_autofree char *reason = msrp_cat_describe_error (error);

  if (!g_hash_table_steal_extended (recv->outputs, message, NULL, (gpointer *) &output))
    return;
  g_object_unref (message);
  /* Messages cut short by our own close after --count are no failure. */
  if (!recv->closing)
    recv_fail (recv, "message %s failed: %s", msrp_incoming_message_get_message_id (message), reason);
  g_queue_remove (&recv->pending, output);
  output_free (output);
  pump_stdout (recv);
  recv_maybe_quit (recv);
}

static void
session_closed (MsrpSession *session, const GError *error, gpointer user_data)
{
  Recv *recv = user_data;

  if (error != NULL)
    {
      g_autofree char *reason = msrp_cat_describe_error (error);
      recv_fail (recv, "the session ended: %s", reason);
    }
  recv->session_over = TRUE;
  recv_maybe_quit (recv);
}

static void
configure_session (Recv *recv, MsrpSession *session)
{
  if (recv->accept_types != NULL)
    {
      g_auto(GStrv) types = g_strsplit_set (recv->accept_types, ", ", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) list = NULL;

      for (guint i = 0; types[i] != NULL; i++)
        if (*types[i] != '\0')
          g_strv_builder_add (builder, types[i]);
      list = g_strv_builder_end (builder);
      msrp_session_set_accept_types (session, (const char * const *) list);
    }
  if (recv->max_size > 0)
    msrp_session_set_max_size (session, recv->max_size);
  g_signal_connect (session, "incoming-message", G_CALLBACK (incoming_message), recv);
  g_signal_connect (session, "message-received", G_CALLBACK (message_received), recv);
  g_signal_connect (session, "message-failed", G_CALLBACK (message_failed), recv);
  g_signal_connect (session, "closed", G_CALLBACK (session_closed), recv);
}

static void
session_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Recv *recv = user_data;
  g_autoptr(GError) error = NULL;

  recv->session = msrp_connector_complete_finish (MSRP_CONNECTOR (source), result, &error);
  if (recv->session == NULL)
    {
      recv_fail (recv, "%s", error->message);
      g_main_loop_quit (recv->loop);
      return;
    }
  configure_session (recv, recv->session);
  if (msrp_session_is_closed (recv->session))
    {
      recv->session_over = TRUE;
      recv_maybe_quit (recv);
    }
}

static gboolean
write_path_file (Recv *recv, GPtrArray *local_path, GError **error)
{
  g_autofree char *path = msrp_path_to_string (local_path);
  g_autofree char *contents = NULL;
  const char *fingerprint = recv->tls ? msrp_connector_get_fingerprint (recv->acceptor) : NULL;

  msrp_cat_printerr ("listening on %s", path);
  if (fingerprint != NULL)
    msrp_cat_printerr ("fingerprint %s", fingerprint);
  if (recv->path_file == NULL)
    return TRUE;
  contents = g_strconcat (path, "\n", fingerprint ? fingerprint : "", fingerprint ? "\n" : "", NULL);
  return g_file_set_contents_full (recv->path_file, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT,
                                   0644, error);
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Recv *recv = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) local_path = NULL;
  g_autoptr(GPtrArray) remote_path = NULL;

  local_path = msrp_connector_prepare_finish (recv->acceptor, result, &error);
  if (local_path == NULL)
    {
      recv_fail (recv, "cannot listen: %s", error->message);
      g_main_loop_quit (recv->loop);
      return;
    }
  if (!write_path_file (recv, local_path, &error))
    {
      recv_fail (recv, "%s", error->message);
      g_main_loop_quit (recv->loop);
      return;
    }
  /* Without --remote-path the acceptor takes any From-Path and learns the
   * peer's path from the request that binds the session. */
  if (recv->remote_path != NULL)
    remote_path = msrp_path_parse (recv->remote_path, NULL);
  msrp_connector_complete_async (recv->acceptor, remote_path, NULL, session_ready, recv);
}

static gboolean
interrupted (gpointer user_data)
{
  Recv *recv = user_data;

  recv_fail (recv, "interrupted");
  g_main_loop_quit (recv->loop);
  return G_SOURCE_CONTINUE;
}

/* Checks the options and makes the local URI; NULL after printing why. */
static MsrpUri *
recv_local_uri (Recv *recv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = NULL;
  g_autofree char *session_id = NULL;

  if (recv->count < 0)
    {
      msrp_cat_printerr ("--count must not be negative");
      return NULL;
    }
  if ((recv->cert == NULL) != (recv->key == NULL))
    {
      msrp_cat_printerr ("--cert and --key go together");
      return NULL;
    }
  if (recv->remote_path != NULL)
    {
      g_autoptr(GPtrArray) path = msrp_path_parse (recv->remote_path, &error);
      if (path == NULL)
        {
          msrp_cat_printerr ("--remote-path: %s", error->message);
          return NULL;
        }
    }
  if (recv->output_dir != NULL && !g_file_test (recv->output_dir, G_FILE_TEST_IS_DIR))
    {
      msrp_cat_printerr ("--output-dir %s: not a directory", recv->output_dir);
      return NULL;
    }

  if (recv->listen == NULL)
    {
      session_id = msrp_generate_id ();
      return msrp_uri_new (recv->tls, "127.0.0.1", 0, session_id, "tcp");
    }
  uri = msrp_uri_parse (recv->listen, &error);
  if (uri == NULL)
    {
      msrp_cat_printerr ("--listen %s: %s", recv->listen, error->message);
      return NULL;
    }
  if (msrp_uri_is_secure (uri))
    recv->tls = TRUE;
  else if (recv->tls)
    {
      msrp_cat_printerr ("--listen %s: --tls needs an msrps: URI", recv->listen);
      return NULL;
    }
  if (msrp_uri_get_session_id (uri) == NULL)
    {
      session_id = msrp_generate_id ();
      return msrp_uri_with_session_id (uri, session_id);
    }
  return g_steal_pointer (&uri);
}

static gboolean
recv_setup_acceptor (Recv *recv)
{
  g_autoptr(GError) error = NULL;

  recv->acceptor = msrp_cat_get_connector (&recv->common, TRUE);
  if (recv->acceptor == NULL)
    return FALSE;
  if (recv->tls)
    {
      g_autoptr(MsrpTlsCredentials) credentials = NULL;

      if (recv->cert != NULL)
        credentials = msrp_tls_credentials_new_from_files (recv->cert, recv->key, &error);
      else
        credentials = msrp_tls_credentials_new_self_signed (NULL, &error);
      if (credentials == NULL)
        {
          msrp_cat_printerr ("TLS credentials: %s", error->message);
          return FALSE;
        }
      msrp_connector_set_credentials (recv->acceptor, credentials);
      if (recv->fingerprint != NULL)
        msrp_connector_set_remote_fingerprint (recv->acceptor, recv->fingerprint);
    }
  else if (recv->fingerprint != NULL || recv->cert != NULL)
    {
      msrp_cat_printerr ("--fingerprint, --cert and --key need --tls");
      return FALSE;
    }
  return TRUE;
}

static void
recv_run (Recv *recv, MsrpUri *local_uri)
{
  guint sigint, sigterm;

  recv->loop = g_main_loop_new (NULL, FALSE);
  recv->outputs = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) output_free);
  recv->stdout_stream = msrp_cat_output_stream_new (STDOUT_FILENO, FALSE);
  g_queue_init (&recv->pending);
  sigint = g_unix_signal_add (SIGINT, interrupted, recv);
  sigterm = g_unix_signal_add (SIGTERM, interrupted, recv);

  msrp_connector_prepare_async (recv->acceptor, local_uri, NULL, prepared, recv);
  g_main_loop_run (recv->loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  /* Counted only now: messages that arrived whole may still be written out
   * after the session closed. */
  if (recv->status == MSRP_CAT_EXIT_OK && recv->count > 0 && recv->received < (guint) recv->count)
    recv_fail (recv, "the session ended after %u of %d messages", recv->received, recv->count);
  if (recv->session != NULL)
    g_signal_handlers_disconnect_by_data (recv->session, recv);
  /* Complete messages wait only in pending, the others are in outputs. */
  while (!g_queue_is_empty (&recv->pending))
    {
      Output *output = g_queue_pop_head (&recv->pending);
      if (output->complete)
        output_free (output);
    }
  g_hash_table_destroy (recv->outputs);
  g_clear_object (&recv->session);
  g_clear_object (&recv->stdout_stream);
  g_main_loop_unref (recv->loop);
}

int
msrp_cat_recv (int argc, char **argv)
{
  Recv recv = { .max_size = 0, .status = MSRP_CAT_EXIT_OK };
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &recv.listen,
      "The local URI to serve (default msrp://127.0.0.1:0/<random>;tcp)", "URI" },
    { "path-file", 'p', 0, G_OPTION_ARG_FILENAME, &recv.path_file,
      "Write the local path (and the TLS fingerprint) to FILE when ready", "FILE" },
    { "count", 'c', 0, G_OPTION_ARG_INT, &recv.count,
      "Exit after N messages", "N" },
    { "output-dir", 'o', 0, G_OPTION_ARG_FILENAME, &recv.output_dir,
      "Write the bodies to DIR/1, DIR/2, … instead of standard output", "DIR" },
    { "accept-types", 0, 0, G_OPTION_ARG_STRING, &recv.accept_types,
      "Accept only these content types (comma-separated, * wildcards; default *)", "LIST" },
    { "max-size", 0, 0, G_OPTION_ARG_INT64, &recv.max_size,
      "Refuse messages larger than BYTES (413)", "BYTES" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &recv.tls,
      "Serve an msrps: URI (TLS; a self-signed certificate unless --cert)", NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &recv.cert,
      "PEM certificate for TLS", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &recv.key,
      "PEM private key for TLS", "FILE" },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &recv.fingerprint,
      "Require a client certificate with this fingerprint (\"sha-256 AB:CD:…\")", "FP" },
    { "remote-path", 0, 0, G_OPTION_ARG_STRING, &recv.remote_path,
      "Accept only this From-Path (default: any)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MsrpUri) local_uri = NULL;

  context = msrp_cat_option_context_new ("recv", NULL,
                                         "Receive MSRP messages and write their bodies to standard output.",
                                         recv_description, entries, &recv.common);
  if (!msrp_cat_parse_options (context, &recv.common, &argc, &argv))
    recv.status = MSRP_CAT_EXIT_USAGE;
  else if (argc > 1)
    {
      msrp_cat_printerr ("recv takes no arguments (\"%s\")", argv[1]);
      recv.status = MSRP_CAT_EXIT_USAGE;
    }
  else if ((local_uri = recv_local_uri (&recv)) == NULL)
    recv.status = MSRP_CAT_EXIT_USAGE;
  else if (!recv_setup_acceptor (&recv))
    recv.status = MSRP_CAT_EXIT_FAILURE;
  else
    recv_run (&recv, local_uri);

  g_clear_object (&recv.acceptor);
  g_free (recv.listen);
  g_free (recv.path_file);
  g_free (recv.output_dir);
  g_free (recv.accept_types);
  g_free (recv.cert);
  g_free (recv.key);
  g_free (recv.fingerprint);
  g_free (recv.remote_path);
  msrp_cat_common_clear (&recv.common);
  return recv.status;
}
