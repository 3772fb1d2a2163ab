/* msrp-cat-send.c: msrp-cat send, send files or stdin to a remote path
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
#include <sys/stat.h>
#include <unistd.h>

/* Messages handed to the session at a time on a direct connection: enough
 * that the next one is ready when the last chunk of one is answered. The
 * session sends them one after the other (interleave off), so they arrive
 * in order. Through a relay it is one at a time (see through_relay). */
#define FILES_IN_FLIGHT 4
#define LINES_IN_FLIGHT 64

static const char send_description[] =
  "Connects to the first hop of PATH (msrps: means TLS, checked against\n"
  "--fingerprint when given) and sends each FILE as one message, in the order\n"
  "given; \"-\" or no FILE sends standard input, streamed (its size unknown\n"
  "unless it is a regular file). With --lines every line of standard input is\n"
  "one message, without its line end, sent as soon as it is read (empty lines\n"
  "are skipped): a chat from a script.\n"
  "\n"
  "The content type is --content-type, else text/plain for standard input and\n"
  "application/octet-stream for files. Chunks are --chunk-size bytes (2048 by\n"
  "default, which every relay accepts; 65536 or more moves bulk data faster\n"
  "over a direct connection).\n"
  "\n"
  "It waits for every chunk's 200 (and with --success-report for the success\n"
  "REPORT of every message), closes the session and exits 0. Through a relay\n"
  "(a PATH of several URIs, or --relay) a 200 only means that the relay has\n"
  "the chunk, and a relay may reorder messages: messages then go one at a\n"
  "time, and with --relay each asks for a success REPORT that the next waits\n"
  "for, so they arrive in order. When a message fails it says why on\n"
  "standard error, naming the status code the peer answered, aborts the rest\n"
  "and exits 1; 2 for a usage error.\n"
  "\n"
  "Examples:\n"
  "  echo hello | msrp-cat send --to msrp://127.0.0.1:2855/s3ss10n;tcp\n"
  "  msrp-cat send --to \"$PATH_OF_PEER\" --chunk-size 65536 a.bin b.bin\n"
  "  msrp-cat send --to msrps://[::1]:2855/x;tcp --fingerprint \"sha-256 AB:…\" -";

typedef struct {
  MsrpCatCommon common;
  char *to;
  char *from;
  char *content_type;
  int chunk_size;
  gboolean success_report;
  char *fingerprint;
  gboolean lines;
  gboolean from_advertised_port;
  char **files;
  /* A relay answers 200 before it delivers and may reorder messages (its
   * workers forward in parallel): through one, messages go one at a time,
   * and from behind one (--relay) each asks for a success REPORT, which
   * the next waits for. A direct sender gets no REPORT back through a relay
   * that routes by address (Kamailio without cmap): its listener is gone. */
  gboolean through_relay;

  GMainLoop *loop;
  int status;
  GPtrArray *to_path;
  MsrpConnector *connector;
  MsrpSession *session;
  GCancellable *cancellable;
  guint next_file;
  guint n_files;
  GDataInputStream *line_input;
  gboolean reading_line;
  gboolean input_done;
  guint in_flight;
  guint n_messages;
  gboolean failed;
  gboolean closing;
} Send;

typedef struct {
  Send *send;
  char *name;
  MsrpCatProgress *progress;
} Item;

static void send_fill (Send *send);

static void
send_fail (Send *send, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Reports the first failure and aborts what is still being sent. */
static void
send_fail (Send *send, const char *format, ...)
{
  va_list args;

  send->status = MSRP_CAT_EXIT_FAILURE;
  if (send->failed)
    return;
  send->failed = TRUE;
  va_start (args, format);
  msrp_cat_vprinterr (format, args);
  va_end (args);
  g_cancellable_cancel (send->cancellable);
}

static void
session_closed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_close_finish (MSRP_SESSION (source), result, &error) && !send->failed)
    send_fail (send, "closing the session failed: %s", error->message);
  g_main_loop_quit (send->loop);
}

/* Closes the session once nothing is in flight and nothing more comes. */
static void
send_maybe_finish (Send *send)
{
  if (send->closing || send->in_flight > 0 || send->reading_line ||
      !(send->input_done || send->failed))
    return;
  send->closing = TRUE;
  msrp_session_close_async (send->session, NULL, session_closed_cb, send);
}

static void
message_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Item *item = user_data;
  Send *send = item->send;
  g_autoptr(GError) error = NULL;

  msrp_cat_progress_stop (item->progress);
  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *reason = msrp_cat_describe_error (error);
      send_fail (send, "%s: %s", item->name, reason);
    }
  send->in_flight--;
  g_free (item->name);
  g_free (item);
  send_fill (send);
}

static void
send_message (Send *send, MsrpOutgoingMessage *message, char *name)
{
  Item *item = g_new0 (Item, 1);

  item->send = send;
  item->name = name;
  msrp_outgoing_message_set_success_report (message,
                                            send->success_report || send->common.relay != NULL);
  item->progress = msrp_cat_progress_start (&send->common, "sending", G_OBJECT (message));
  send->in_flight++;
  send->n_messages++;
  msrp_session_send_async (send->session, message, send->cancellable, message_sent, item);
}

/* A stream over @fd and its size, when it is a regular file (from the
 * current offset: stdin may be a file half read). */
static MsrpOutgoingMessage *
message_for_fd (Send *send, int fd, gboolean close_fd, const char *default_type, GError **error)
{
  struct stat st;
  gint64 size = -1;
  g_autoptr(GInputStream) stream = NULL;

  if (fstat (fd, &st) < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "is a directory");
      return NULL;
    }
  if (S_ISREG (st.st_mode))
    {
      off_t at = lseek (fd, 0, SEEK_CUR);
      size = st.st_size - MAX (at, 0);
      /* The file stream closes what it is given. */
      if (!close_fd)
        fd = dup (fd);
      if (fd < 0)
        {
          int saved = errno;
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
          return NULL;
        }
      stream = msrp_cat_file_input_new (fd);
    }
  else
    stream = g_unix_input_stream_new (fd, close_fd);
  return msrp_outgoing_message_new_stream (send->content_type ? send->content_type : default_type,
                                           stream, size);
}

static gboolean
send_next_file (Send *send)
{
  const char *name = send->n_files > 0 ? send->files[send->next_file] : "-";
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpOutgoingMessage) message = NULL;

  send->next_file++;
  if (g_str_equal (name, "-"))
    message = message_for_fd (send, STDIN_FILENO, FALSE, "text/plain", &error);
  else
    {
      int fd = g_open (name, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        {
          send_fail (send, "%s: %s", name, g_strerror (errno));
          return FALSE;
        }
      message = message_for_fd (send, fd, TRUE, "application/octet-stream", &error);
      if (message == NULL)
        g_close (fd, NULL);
    }
  if (message == NULL)
    {
      send_fail (send, "%s: %s", name, error->message);
      return FALSE;
    }
  send_message (send, message, g_strdup (g_str_equal (name, "-") ? "standard input" : name));
  return TRUE;
}

static void
line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                      &length, &error);

  send->reading_line = FALSE;
  if (line == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        send_fail (send, "reading standard input failed: %s", error->message);
      send->input_done = TRUE;
    }
  else
    {
      if (length > 0 && line[length - 1] == '\r')
        length--;
      if (length > 0 && !send->failed)
        {
          g_autoptr(GBytes) body = g_bytes_new_take (line, length);
          g_autoptr(MsrpOutgoingMessage) message =
            msrp_outgoing_message_new_bytes (send->content_type ? send->content_type : "text/plain",
                                             body);
          send_message (send, message, g_strdup_printf ("line %u", send->n_messages + 1));
          line = NULL;
        }
      g_free (line);
    }
  send_fill (send);
}

/* Hands messages to the session while the window has room; finishes when
 * all are done. */
static void
send_fill (Send *send)
{
  while (!send->failed && !send->input_done)
    {
      if (send->lines)
        {
          if (send->reading_line || send->in_flight >= (send->through_relay ? 1 : LINES_IN_FLIGHT))
            break;
          send->reading_line = TRUE;
          g_data_input_stream_read_line_async (send->line_input, G_PRIORITY_DEFAULT,
                                               send->cancellable, line_read, send);
          break;
        }
      if (send->next_file >= MAX (send->n_files, 1))
        {
          send->input_done = TRUE;
          break;
        }
      if (send->in_flight >= (send->through_relay ? 1 : FILES_IN_FLIGHT) || !send_next_file (send))
        break;
    }
  send_maybe_finish (send);
}

static void
session_closed (MsrpSession *session, const GError *error, gpointer user_data)
{
  Send *send = user_data;

  if (send->closing)
    return;
  if (error != NULL)
    {
      g_autofree char *reason = msrp_cat_describe_error (error);
      send_fail (send, "the session ended: %s", reason);
    }
  else
    send_fail (send, "the peer closed the session");
  send_maybe_finish (send);
}

static void
connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = msrp_uri_to_string (g_ptr_array_index (send->to_path, 0));

  send->session = msrp_connector_complete_finish (send->connector, result, &error);
  if (send->session == NULL)
    {
      g_autofree char *reason = msrp_cat_describe_error (error);
      msrp_cat_printerr ("cannot connect to %s: %s", to, reason);
      send->status = MSRP_CAT_EXIT_FAILURE;
      g_main_loop_quit (send->loop);
      return;
    }
  msrp_session_set_interleave (send->session, FALSE);
  if (send->chunk_size > 0)
    msrp_session_set_chunk_size (send->session, send->chunk_size);
  g_signal_connect (send->session, "closed", G_CALLBACK (session_closed), send);
  if (send->lines)
    {
      g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      send->line_input = g_data_input_stream_new (input);
    }
  send_fill (send);
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) local_path = msrp_connector_prepare_finish (send->connector, result, &error);

  if (local_path == NULL)
    {
      msrp_cat_printerr ("%s", error->message);
      send->status = MSRP_CAT_EXIT_FAILURE;
      g_main_loop_quit (send->loop);
      return;
    }
  msrp_connector_complete_async (send->connector, send->to_path, send->cancellable, connected, send);
}

static gboolean
interrupted (gpointer user_data)
{
  Send *send = user_data;

  send_fail (send, "interrupted");
  if (send->session == NULL)
    g_main_loop_quit (send->loop);
  else
    send_maybe_finish (send);
  return G_SOURCE_CONTINUE;
}

/* Checks the options; the local URI to prepare in @local_uri. FALSE after
 * printing why. */
static gboolean
send_check_options (Send *send, int argc, char **argv, MsrpUri **local_uri)
{
  g_autoptr(GError) error = NULL;

  if (send->to == NULL)
    {
      msrp_cat_printerr ("send needs --to PATH");
      return FALSE;
    }
  send->to_path = msrp_path_parse (send->to, &error);
  if (send->to_path == NULL)
    {
      msrp_cat_printerr ("--to %s: %s", send->to, error->message);
      return FALSE;
    }
  send->through_relay = send->to_path->len > 1 || send->common.relay != NULL;
  if (send->chunk_size < 0)
    {
      msrp_cat_printerr ("--chunk-size must be positive");
      return FALSE;
    }
  if (send->from_advertised_port && send->common.relay != NULL)
    {
      msrp_cat_printerr ("--from-advertised-port is for direct connections, not --relay");
      return FALSE;
    }
  if (send->lines && argc > 1)
    {
      msrp_cat_printerr ("--lines reads standard input; it takes no FILE");
      return FALSE;
    }
  if (send->from != NULL)
    {
      *local_uri = msrp_uri_parse (send->from, &error);
      if (*local_uri == NULL)
        {
          msrp_cat_printerr ("--from %s: %s", send->from, error->message);
          return FALSE;
        }
    }
  else
    /* The connector's default (every address, a free port), with the
     * scheme of the first hop: an msrps: peer sees an msrps: From-Path. */
    *local_uri = msrp_uri_new (msrp_uri_is_secure (g_ptr_array_index (send->to_path, 0)),
                               "::", 0, NULL, "tcp");
  send->files = g_new0 (char *, argc);
  for (int i = 1; i < argc; i++)
    send->files[i - 1] = g_strdup (argv[i]);
  send->n_files = argc - 1;
  return TRUE;
}

static void
send_run (Send *send, MsrpUri *local_uri)
{
  guint sigint, sigterm;

  send->connector = msrp_cat_get_connector (&send->common, FALSE);
  if (send->connector == NULL)
    {
      send->status = MSRP_CAT_EXIT_FAILURE;
      return;
    }
  if (send->fingerprint != NULL)
    msrp_connector_set_remote_fingerprint (send->connector, send->fingerprint);
  if (send->from_advertised_port)
    msrp_direct_connector_set_connect_from_advertised_port (MSRP_DIRECT_CONNECTOR (send->connector),
                                                            TRUE);

  send->loop = g_main_loop_new (NULL, FALSE);
  send->cancellable = g_cancellable_new ();
  sigint = g_unix_signal_add (SIGINT, interrupted, send);
  sigterm = g_unix_signal_add (SIGTERM, interrupted, send);

  msrp_connector_prepare_async (send->connector, local_uri, send->cancellable, prepared, send);
  g_main_loop_run (send->loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (send->session != NULL)
    g_signal_handlers_disconnect_by_data (send->session, send);
  g_clear_object (&send->session);
  g_clear_object (&send->connector);
  g_clear_object (&send->line_input);
  g_clear_object (&send->cancellable);
  g_main_loop_unref (send->loop);
}

int
msrp_cat_send (int argc, char **argv)
{
  Send send = { .status = MSRP_CAT_EXIT_OK };
  const GOptionEntry entries[] = {
    { "to", 't', 0, G_OPTION_ARG_STRING, &send.to,
      "The remote path (URIs separated by spaces, as recv writes it)", "PATH" },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &send.from,
      "The local URI (default: chosen by the connection)", "URI" },
    { "content-type", 'T', 0, G_OPTION_ARG_STRING, &send.content_type,
      "Content type of the messages", "TYPE" },
    { "chunk-size", 0, 0, G_OPTION_ARG_INT, &send.chunk_size,
      "Bytes per chunk (default 2048)", "N" },
    { "success-report", 0, 0, G_OPTION_ARG_NONE, &send.success_report,
      "Ask for success REPORTs and wait for them", NULL },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &send.fingerprint,
      "Accept only a TLS peer with this certificate fingerprint (\"sha-256 AB:CD:…\")", "FP" },
    { "lines", 0, 0, G_OPTION_ARG_NONE, &send.lines,
      "Send each line of standard input as one message", NULL },
    { "from-advertised-port", 0, 0, G_OPTION_ARG_NONE, &send.from_advertised_port,
      "Connect from the port of the local URI, for peers that take connections only from "
      "the port in a=path (SipLib)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MsrpUri) local_uri = NULL;

  context = msrp_cat_option_context_new ("send", "[FILE…]",
                                         "Send files or standard input as MSRP messages.",
                                         send_description, entries, &send.common);
  if (!msrp_cat_parse_options (context, &send.common, &argc, &argv) ||
      !send_check_options (&send, argc, argv, &local_uri))
    send.status = MSRP_CAT_EXIT_USAGE;
  else
    send_run (&send, local_uri);

  g_clear_pointer (&send.to_path, g_ptr_array_unref);
  g_strfreev (send.files);
  g_free (send.to);
  g_free (send.from);
  g_free (send.content_type);
  g_free (send.fingerprint);
  msrp_cat_common_clear (&send.common);
  return send.status;
}
