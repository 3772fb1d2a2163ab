/* msrp-cat.c: send and receive MSRP messages from the command line
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "msrp-cat.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
  "Usage:\n"
  "  msrp-cat recv [OPTION…]\n"
  "  msrp-cat send --to PATH [OPTION…] [FILE…]\n"
  "  msrp-cat --help | --version\n"
  "\n"
  "Send and receive MSRP (RFC 4975) messages from the command line, like netcat.\n"
  "\n"
  "Commands:\n"
  "  recv      serve a local MSRP URI and write the body of every message that\n"
  "            arrives to standard output or to numbered files\n"
  "  send      connect to a remote MSRP path and send files, standard input or\n"
  "            its lines as messages\n"
  "\n"
  "Options:\n"
  "  -h, --help       show this help; \"msrp-cat COMMAND --help\" shows the\n"
  "                   options of a command\n"
  "  -V, --version    show the version\n"
  "\n"
  "Standard output carries message bodies only; the local path, errors, the\n"
  "-v trace and the progress line go to standard error.\n"
  "\n"
  "Example, a chat on one machine:\n"
  "  msrp-cat recv --path-file path.txt &\n"
  "  echo hello | msrp-cat send --to \"$(head -n 1 path.txt)\"\n"
  "\n"
  "Exit status: 0 on success, 1 when a message or the connection failed (the\n"
  "reason is on standard error), 2 for a usage error.\n";

void
msrp_cat_vprinterr (const char *format, va_list args)
{
  g_autofree char *text = g_strdup_vprintf (format, args);

  /* One write per line, so lines of two processes sharing a terminal do not
   * mix. */
  g_printerr ("msrp-cat: %s\n", text);
}

void
msrp_cat_printerr (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  msrp_cat_vprinterr (format, args);
  va_end (args);
}

/* A statement of what went wrong that names the MSRP status code when the
 * peer gave one. */
char *
msrp_cat_describe_error (const GError *error)
{
  if (error->domain == MSRP_ERROR && error->code >= 400 &&
      strstr (error->message, "answered") == NULL)
    return g_strdup_printf ("%d %s: %s", error->code,
                            msrp_status_reason (error->code), error->message);
  return g_strdup (error->message);
}

GOptionContext *
msrp_cat_option_context_new (const char         *command,
                             const char         *parameters,
                             const char         *summary,
                             const char         *description,
                             const GOptionEntry *entries,
                             MsrpCatCommon      *common)
{
  const GOptionEntry common_entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &common->verbose,
      "Trace every frame's start line and headers on standard error", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &common->quiet,
      "Show no progress line", NULL },
    { "relay", 0, 0, G_OPTION_ARG_STRING, &common->relay,
      "Reach the peer through this RFC 4976 relay", "URI" },
    { "relay-user", 0, 0, G_OPTION_ARG_STRING, &common->relay_user,
      "User name for the relay's digest authentication", "USER" },
    { "relay-password", 0, 0, G_OPTION_ARG_STRING, &common->relay_password,
      "Password for the relay's digest authentication", "PW" },
    { "relay-digest-method", 0, 0, G_OPTION_ARG_STRING, &common->relay_digest_method,
      "Method name in the relay's digest (default AUTH; Kamailio's msrp module may want MSRP)",
      "METHOD" },
    { NULL }
  };
  g_autofree char *prgname = g_strdup_printf ("msrp-cat %s", command);
  GOptionContext *context = g_option_context_new (parameters);

  /* The usage line reads "msrp-cat recv [OPTION…]". */
  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, common_entries, NULL);
  return context;
}

/* Parses the command line; FALSE after printing why it is wrong. */
gboolean
msrp_cat_parse_options (GOptionContext *context,
                        MsrpCatCommon  *common,
                        int            *argc,
                        char         ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) relay = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\nTry \"%s --help\".\n", g_get_prgname (), error->message,
                  g_get_prgname ());
      return FALSE;
    }
  if (common->relay == NULL)
    {
      if (common->relay_user == NULL && common->relay_password == NULL &&
          common->relay_digest_method == NULL)
        return TRUE;
      msrp_cat_printerr ("--relay-user, --relay-password and --relay-digest-method need --relay");
      return FALSE;
    }
  relay = msrp_uri_parse (common->relay, &error);
  if (relay == NULL)
    {
      msrp_cat_printerr ("--relay %s: %s", common->relay, error->message);
      return FALSE;
    }
  if (common->relay_user == NULL || common->relay_password == NULL)
    {
      msrp_cat_printerr ("--relay needs --relay-user and --relay-password");
      return FALSE;
    }
  return TRUE;
}

void
msrp_cat_common_clear (MsrpCatCommon *common)
{
  g_clear_pointer (&common->relay, g_free);
  g_clear_pointer (&common->relay_user, g_free);
  g_clear_pointer (&common->relay_password, g_free);
  g_clear_pointer (&common->relay_digest_method, g_free);
}

static void
trace_frame (MsrpFrame *frame, const char *prefix)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *line = NULL;
  const char *end;

  msrp_frame_append_head (frame, head);
  for (line = head->str; *line != '\0'; line = end + 2)
    {
      end = strstr (line, "\r\n");
      if (end == NULL || end == line)
        break;
      g_string_append_printf (out, "%s %.*s\n", prefix, (int) (end - line), line);
    }
  if (msrp_frame_get_body (frame) != NULL && g_bytes_get_size (msrp_frame_get_body (frame)) > 0)
    g_string_append_printf (out, "%s (%" G_GSIZE_FORMAT " bytes of body)\n",
                            prefix, g_bytes_get_size (msrp_frame_get_body (frame)));
  g_string_append_printf (out, "%s\n", prefix);
  fputs (out->str, stderr);
}

static void
frame_sent (MsrpTransport *transport, MsrpFrame *frame, gpointer user_data)
{
  trace_frame (frame, ">");
}

static void
frame_received (MsrpTransport *transport, MsrpFrame *head, gpointer user_data)
{
  trace_frame (head, "<");
}

/* -v: the start line and header fields of every frame on stderr, from the
 * first, on every connection the connector makes. */
static void
trace_transport (MsrpConnector *connector, MsrpTransport *transport, gpointer user_data)
{
  g_signal_connect (transport, "frame-sent", G_CALLBACK (frame_sent), NULL);
  g_signal_connect (transport, "frame-received", G_CALLBACK (frame_received), NULL);
}

/* The connector (or acceptor) for the options: direct, or through the relay
 * of --relay, tracing its connections with -v. Prints the reason and
 * returns NULL when there is none. */
MsrpConnector *
msrp_cat_get_connector (MsrpCatCommon *common,
                        gboolean       acceptor)
{
  g_autoptr(MsrpRelaySettings) relay = NULL;
  g_autoptr(GError) error = NULL;
  MsrpConnector *connector;

  /* msrp_cat_parse_options() checked these. */
  if (common->relay != NULL)
    {
      g_autoptr(MsrpUri) uri = msrp_uri_parse (common->relay, NULL);

      relay = msrp_relay_settings_new (uri, common->relay_user, common->relay_password);
      if (common->relay_digest_method != NULL)
        msrp_relay_settings_set_digest_method (relay, common->relay_digest_method);
    }

  connector = acceptor ? msrp_get_acceptor (relay, &error) : msrp_get_connector (relay, &error);
  if (connector == NULL)
    msrp_cat_printerr ("%s", error->message);
  else if (common->verbose)
    g_signal_connect (connector, "transport-created", G_CALLBACK (trace_transport), NULL);
  return connector;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* GLib writes info and debug messages to stdout by default; stdout is for
   * message bodies only. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* A closed stdout or connection is an error to report, not a reason to
   * die silently. */
  signal (SIGPIPE, SIG_IGN);

  if (argc < 2)
    {
      fputs (usage_text, stderr);
      return MSRP_CAT_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "recv"))
    return msrp_cat_recv (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "send"))
    return msrp_cat_send (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      fputs (usage_text, stdout);
      return MSRP_CAT_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "-V"))
    {
      printf ("msrp-cat (gst-msrp) %s\n", MSRP_VERSION_STRING);
      return MSRP_CAT_EXIT_OK;
    }
  msrp_cat_printerr ("unknown command \"%s\"; try \"msrp-cat --help\"", argv[1]);
  return MSRP_CAT_EXIT_USAGE;
}
