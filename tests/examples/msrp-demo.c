/* msrp-demo: parse the RFC 4975 §7.1 example SEND one byte at a time, print
 * its fields, and serialize it again in canonical form. */
#include <msrp.h>
#include <stdio.h>

static const char example[] =
  "MSRP a786hjs2 SEND\r\n"
  "To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\n"
  "From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n"
  "Message-ID: 87652491\r\n"
  "Byte-Range: 1-25/25\r\n"
  "Content-Type: text/plain\r\n"
  "\r\n"
  "Hey Bob, are you there?\r\n"
  "-------a786hjs2$\r\n";

typedef struct {
  MsrpFrame *frame;
  GByteArray *body;
} Demo;

static void
on_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  Demo *demo = user_data;

  demo->frame = msrp_frame_ref (head);
}

static void
on_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  Demo *demo = user_data;
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  g_byte_array_append (demo->body, p, len);
}

static void
on_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Demo *demo = user_data;

  msrp_frame_set_body (demo->frame, g_byte_array_free_to_bytes (g_steal_pointer (&demo->body)));
  msrp_frame_set_continuation (demo->frame, flag);
}

static void
print_path (const char *name, GPtrArray *path)
{
  g_autofree char *text = msrp_path_to_string (path);

  printf ("  %-13s %s\n", name, text);
}

int
main (void)
{
  static const MsrpParserCallbacks callbacks = { on_head, on_body, on_end };
  g_autoptr(GError) error = NULL;
  Demo demo = { NULL, g_byte_array_new () };
  g_autoptr(MsrpParser) parser = msrp_parser_new (&callbacks, &demo);
  g_autoptr(GPtrArray) to = NULL, from = NULL;
  g_autoptr(GBytes) wire = NULL;
  gint64 start, end, total;

  for (gsize i = 0; i < sizeof example - 1; i++)
    if (!msrp_parser_feed_data (parser, (const guint8 *) example + i, 1, &error))
      {
        fprintf (stderr, "msrp-demo: %s\n", error->message);
        return 1;
      }
  if (demo.frame == NULL || !msrp_parser_is_idle (parser))
    {
      fprintf (stderr, "msrp-demo: the example did not parse into one frame\n");
      return 1;
    }

  to = msrp_frame_get_to_path (demo.frame, &error);
  from = to ? msrp_frame_get_from_path (demo.frame, &error) : NULL;
  if (from == NULL || !msrp_frame_get_byte_range (demo.frame, &start, &end, &total, &error))
    {
      fprintf (stderr, "msrp-demo: %s\n", error->message);
      return 1;
    }

  printf ("Parsed %zu bytes, fed one at a time:\n", sizeof example - 1);
  printf ("  %-13s %s\n", "method", msrp_frame_get_method_name (demo.frame));
  printf ("  %-13s %s\n", "transaction", msrp_frame_get_transaction_id (demo.frame));
  print_path ("To-Path", to);
  print_path ("From-Path", from);
  printf ("  %-13s %s\n", "Message-ID", msrp_frame_get_message_id (demo.frame));
  printf ("  %-13s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "\n",
          "Byte-Range", start, end, total);
  printf ("  %-13s %s\n", "Content-Type", msrp_frame_get_content_type (demo.frame));
  printf ("  %-13s %.*s\n", "body", (int) g_bytes_get_size (msrp_frame_get_body (demo.frame)),
          (const char *) g_bytes_get_data (msrp_frame_get_body (demo.frame), NULL));

  wire = msrp_frame_to_bytes (demo.frame);
  printf ("\nSerialized again:\n%.*s", (int) g_bytes_get_size (wire),
          (const char *) g_bytes_get_data (wire, NULL));
  msrp_frame_unref (demo.frame);
  return 0;
}
