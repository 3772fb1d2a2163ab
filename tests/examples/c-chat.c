/* c-chat: two MSRP endpoints in one process, over loopback TCP.
 *
 * Bob's acceptor listens; Alice's connector connects to Bob's path; Alice
 * sends a line and Bob prints it. Each side would normally learn the other's
 * path from SDP (a=path); here they just swap them. */
#include <msrp.h>
#include <stdio.h>

typedef struct {
  GMainLoop *loop;
  MsrpConnector *alice, *bob;
  GPtrArray *alice_path, *bob_path;
  MsrpSession *alice_session, *bob_session;
  int status;
} Chat;

static void
fail (Chat *chat, const char *what, GError *error)
{
  fprintf (stderr, "c-chat: %s: %s\n", what, error->message);
  chat->status = 1;
  g_main_loop_quit (chat->loop);
}

static void
on_message (MsrpSession *session, MsrpIncomingMessage *message, Chat *chat)
{
  GBytes *body = msrp_incoming_message_get_bytes (message);

  printf ("Bob got %s: %.*s\n", msrp_incoming_message_get_content_type (message),
          (int) g_bytes_get_size (body), (const char *) g_bytes_get_data (body, NULL));
  g_main_loop_quit (chat->loop);
}

static void
on_sent (GObject *session, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!msrp_session_send_finish (MSRP_SESSION (session), result, &error))
    fail (data, "send", error);
}

static void
on_complete (GObject *connector, GAsyncResult *result, gpointer data)
{
  Chat *chat = data;
  g_autoptr(GError) error = NULL;
  MsrpSession *session = msrp_connector_complete_finish (MSRP_CONNECTOR (connector), result, &error);

  if (session == NULL)
    return fail (chat, "connect", error);
  if (MSRP_CONNECTOR (connector) == chat->bob)
    {
      chat->bob_session = session;
      g_signal_connect (session, "message-received", G_CALLBACK (on_message), chat);
    }
  else
    {
      chat->alice_session = session;
      msrp_session_send_text_async (session, "Hello, Bob!", NULL, on_sent, chat);
    }
}

static void
on_prepared (GObject *connector, GAsyncResult *result, gpointer data)
{
  Chat *chat = data;
  g_autoptr(GError) error = NULL;
  GPtrArray *path = msrp_connector_prepare_finish (MSRP_CONNECTOR (connector), result, &error);

  if (path == NULL)
    return fail (chat, "prepare", error);
  *(MSRP_CONNECTOR (connector) == chat->bob ? &chat->bob_path : &chat->alice_path) = path;
  if (chat->bob_path == NULL || chat->alice_path == NULL)
    return;
  g_autofree char *text = msrp_path_to_string (chat->bob_path);
  printf ("Bob listens at %s\n", text);
  msrp_connector_complete_async (chat->bob, chat->alice_path, NULL, on_complete, chat);
  msrp_connector_complete_async (chat->alice, chat->bob_path, NULL, on_complete, chat);
}

int
main (void)
{
  g_autoptr(MsrpUri) local = msrp_uri_parse ("msrp://127.0.0.1:0;tcp", NULL);
  Chat chat = { g_main_loop_new (NULL, FALSE), msrp_direct_connector_new (),
                msrp_direct_acceptor_new (), NULL, NULL, NULL, NULL, 0 };

  msrp_connector_prepare_async (chat.bob, local, NULL, on_prepared, &chat);
  msrp_connector_prepare_async (chat.alice, local, NULL, on_prepared, &chat);
  g_main_loop_run (chat.loop);

  g_clear_object (&chat.alice_session);
  g_clear_object (&chat.bob_session);
  g_clear_pointer (&chat.alice_path, g_ptr_array_unref);
  g_clear_pointer (&chat.bob_path, g_ptr_array_unref);
  g_object_unref (chat.alice);
  g_object_unref (chat.bob);
  g_main_loop_unref (chat.loop);
  return chat.status;
}
