/* test-message.c: MsrpOutgoingMessage on its own (MsrpIncomingMessage is
 * made by sessions; test-session.c covers it) */
#include <msrp.h>

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_bytes (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body_prop = NULL;
  gint64 size;

  g_assert_cmpstr (msrp_outgoing_message_get_content_type (message), ==, "text/plain");
  g_assert_cmpint (msrp_outgoing_message_get_size (message), ==, 5);
  g_assert_true (msrp_outgoing_message_get_body (message) == body);
  g_assert_null (msrp_outgoing_message_get_stream (message));
  g_assert_false (msrp_outgoing_message_is_empty (message));
  g_assert_false (msrp_outgoing_message_get_success_report (message));
  g_assert_cmpint (msrp_outgoing_message_get_failure_report (message), ==, MSRP_REPORT_YES);
  g_assert_cmpuint (msrp_outgoing_message_get_bytes_sent (message), ==, 0);
  g_assert_cmpfloat (msrp_outgoing_message_get_progress (message), ==, 0.0);

  g_object_get (message, "content-type", &content_type, "size", &size, "body", &body_prop, NULL);
  g_assert_cmpstr (content_type, ==, "text/plain");
  g_assert_cmpint (size, ==, 5);
  g_assert_true (g_bytes_equal (body_prop, body));
}

static void
test_zero_bytes (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("", 0);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);

  /* A 0-byte body with a type is a message, not the bodiless SEND. */
  g_assert_false (msrp_outgoing_message_is_empty (message));
  g_assert_cmpint (msrp_outgoing_message_get_size (message), ==, 0);
  g_assert_cmpfloat (msrp_outgoing_message_get_progress (message), ==, 1.0);
}

static void
test_stream (void)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data ("abc", 3, NULL);
  g_autoptr(MsrpOutgoingMessage) unknown = msrp_outgoing_message_new_stream ("application/octet-stream",
                                                                             stream, -1);
  g_autoptr(MsrpOutgoingMessage) known = msrp_outgoing_message_new_stream ("application/octet-stream",
                                                                           stream, 3);

  g_assert_true (msrp_outgoing_message_get_stream (unknown) == stream);
  g_assert_null (msrp_outgoing_message_get_body (unknown));
  g_assert_cmpint (msrp_outgoing_message_get_size (unknown), ==, -1);
  g_assert_cmpfloat (msrp_outgoing_message_get_progress (unknown), ==, -1.0);
  g_assert_cmpint (msrp_outgoing_message_get_size (known), ==, 3);
  g_assert_cmpfloat (msrp_outgoing_message_get_progress (known), ==, 0.0);
}

static void
test_empty (void)
{
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_empty ();

  g_assert_true (msrp_outgoing_message_is_empty (message));
  g_assert_null (msrp_outgoing_message_get_content_type (message));
  g_assert_cmpint (msrp_outgoing_message_get_size (message), ==, 0);
  g_assert_null (msrp_outgoing_message_get_body (message));
  g_assert_null (msrp_outgoing_message_get_stream (message));
}

static void
test_report_properties (void)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);
  g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_bytes ("text/plain", body);
  guint success_notified = 0, failure_notified = 0;
  gboolean success;
  MsrpReportMode failure;

  g_signal_connect (message, "notify::success-report", G_CALLBACK (count_notify), &success_notified);
  g_signal_connect (message, "notify::failure-report", G_CALLBACK (count_notify), &failure_notified);

  msrp_outgoing_message_set_success_report (message, TRUE);
  msrp_outgoing_message_set_success_report (message, TRUE);
  g_object_set (message, "failure-report", MSRP_REPORT_PARTIAL, NULL);
  msrp_outgoing_message_set_failure_report (message, MSRP_REPORT_PARTIAL);
  g_assert_cmpuint (success_notified, ==, 1);
  g_assert_cmpuint (failure_notified, ==, 1);

  g_object_get (message, "success-report", &success, "failure-report", &failure, NULL);
  g_assert_true (success);
  g_assert_cmpint (failure, ==, MSRP_REPORT_PARTIAL);
  msrp_outgoing_message_set_failure_report (message, MSRP_REPORT_NO);
  g_assert_cmpint (msrp_outgoing_message_get_failure_report (message), ==, MSRP_REPORT_NO);
}

static void
test_ids_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(MsrpOutgoingMessage) message = msrp_outgoing_message_new_empty ();
      const char *id = msrp_outgoing_message_get_message_id (message);
      g_autofree char *prop = NULL;

      /* RFC 4975 ident: 4 to 32 alphanumerics and a few punctuation marks;
       * at least 80 random bits. */
      g_assert_cmpuint (strlen (id), >=, 14);
      g_assert_cmpuint (strlen (id), <=, 32);
      for (const char *p = id; *p; p++)
        g_assert_true (g_ascii_isalnum (*p) || strchr (".-+%=", *p) != NULL);
      g_object_get (message, "message-id", &prop, NULL);
      g_assert_cmpstr (prop, ==, id);
      g_assert_true (g_hash_table_add (seen, g_strdup (id)));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/message/outgoing/bytes", test_bytes);
  g_test_add_func ("/message/outgoing/zero-bytes", test_zero_bytes);
  g_test_add_func ("/message/outgoing/stream", test_stream);
  g_test_add_func ("/message/outgoing/empty", test_empty);
  g_test_add_func ("/message/outgoing/report-properties", test_report_properties);
  g_test_add_func ("/message/outgoing/ids-unique", test_ids_unique);
  return g_test_run ();
}
