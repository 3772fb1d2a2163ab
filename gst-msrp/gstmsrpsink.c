/* gstmsrpsink.c: msrpsink, buffers as MSRP messages
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-msrpsink
 * @title: msrpsink
 * @see_also: msrpsrc, subparse
 *
 * Sends what it receives as the messages of an MSRP session (RFC 4975).
 * #GstMsrpSink:mode says how the input is cut: one message per buffer
 * (the default), one per line of a byte stream (filesrc, fdsrc: lines and
 * UTF-8 sequences may be split across buffers), or the whole stream as one
 * message of unknown size that is sent while it flows (a file transfer).
 *
 * The Content-Type is #GstMsrpSink:content-type when set, otherwise it
 * comes from the caps: `text/x-raw` is sent as `text/plain;charset=utf-8`
 * (`format=pango-markup`, as subparse makes it, is first reduced to its
 * plain text), `application/x-msrp` by its `content-type` field, images by
 * their media type. Other input is `application/octet-stream`, or
 * `text/plain;charset=utf-8` in line mode. Empty and GAP buffers are
 * skipped.
 *
 * Sending does not wait for the peer unless #GstMsrpSink:wait-report asks
 * for a success report for each message; up to 64 messages or 4 MiB may be
 * unacknowledged before a buffer waits. At EOS the sink waits until
 * everything was acknowledged and then, with #GstMsrpSink:close-on-eos,
 * closes the session; the peer's msrpsrc then ends with EOS. A failure
 * (the connection, a refused message) is posted as an element error when
 * it happens. #GstBaseSink:sync is %FALSE by default: text goes out when
 * it arrives (with sync=true, timed text from subparse goes out at its
 * running time). #GstBaseSink:async is %FALSE too: chat comes rarely, and
 * a pipeline must not wait for a first message to reach PLAYING.
 *
 * The session is either an application's (#GstMsrpSink:session; its main
 * context must be running), or made by the element from the standalone
 * properties on a thread of its own, as for msrpsrc: with a remote path
 * it connects to the peer (buffers that come before the connection wait
 * for it), with only a local path it listens for the peer.
 *
 * ## Example launch lines
 * Lines typed on stdin, one message each:
 * |[
 * gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path='msrp://127.0.0.1:7655/bob;tcp'
 * ]|
 * A file as one message, over TLS, checking the peer's certificate:
 * |[
 * gst-launch-1.0 filesrc location=report.pdf ! msrpsink mode=stream chunk-size=65536 \
 *   content-type=application/pdf tls=true remote-path='msrps://127.0.0.1:7656/bob;tcp' \
 *   fingerprint='sha-256 4A:AD:...'
 * ]|
 * Subtitles replayed as chat at their times:
 * |[
 * gst-launch-1.0 filesrc location=talk.srt ! subparse ! msrpsink sync=true \
 *   remote-path='msrp://127.0.0.1:7655/bob;tcp'
 * ]|
 * Lines sent from behind an MSRP relay (RFC 4976), which the sink
 * authenticates to at start, in order (each waits for its success report):
 * |[
 * gst-launch-1.0 fdsrc ! msrpsink mode=line wait-report=true \
 *   relay='msrps://relay.example.com:2855;tcp' relay-user=alice relay-password=secret \
 *   remote-path='msrps://relay.example.com:2855/r1;tcp msrp://192.0.2.7:7655/bob;tcp'
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpsink.h"
#include "gstmsrpelements.h"
#include "gstmsrplink.h"
#include "gstmsrpsettings.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (gst_msrp_sink_debug);
#define GST_CAT_DEFAULT gst_msrp_sink_debug

#define TEXT_TYPE "text/plain;charset=utf-8"
#define BINARY_TYPE "application/octet-stream"
/* Unacknowledged sends before render() waits: enough to keep a connection
 * busy, little enough to bound memory. */
#define MAX_PENDING 64
#define MAX_PENDING_BYTES (4 * 1024 * 1024)

struct _GstMsrpSink
{
  GstBaseSink parent_instance;

  /* Properties, under the object lock. */
  GstMsrpSettings settings;
  GstMsrpSinkMode mode;
  char *content_type;
  gint chunk_size;
  gboolean wait_report;
  gboolean close_on_eos;

  /* Set in start(), cleared in stop(); under the object lock for unlock(). */
  GstMsrpLink *link;

  /* Streaming thread only. */
  char *caps_type;
  gboolean markup;
  GByteArray *line;
  GIOStream *stream_writer;
  GCancellable *stream_cancellable;
};

G_DEFINE_TYPE (GstMsrpSink, gst_msrp_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (msrpsink, "msrpsink", GST_RANK_NONE, GST_TYPE_MSRP_SINK);

enum {
  PROP_0,
  PROP_MODE,
  PROP_CONTENT_TYPE,
  PROP_CHUNK_SIZE,
  PROP_WAIT_REPORT,
  PROP_CLOSE_ON_EOS,
  N_PROPS,
  /* Then the GST_MSRP_PROP_* of gstmsrpsettings.h. */
  PROP_SETTINGS = N_PROPS
};

static GParamSpec *props[N_PROPS];
static GParamSpec *settings_props[GST_MSRP_N_PROPS];

static GstStaticPadTemplate sink_template =
  GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

GType
gst_msrp_sink_mode_get_type (void)
{
  static GType type;
  static const GEnumValue values[] = {
    { GST_MSRP_SINK_MODE_MESSAGE, "One message per buffer", "message" },
    { GST_MSRP_SINK_MODE_LINE, "One message per line of text (split at LF, CR dropped)", "line" },
    { GST_MSRP_SINK_MODE_STREAM, "The whole stream as one message, ended at EOS", "stream" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("GstMsrpSinkMode", values));
  return type;
}

/* --- Pango markup to plain text -------------------------------------------- */

static void
markup_text (GMarkupParseContext *context, const gchar *text, gsize text_len,
             gpointer user_data, GError **error)
{
  g_string_append_len (user_data, text, text_len);
}

/* The text of pango markup, tags dropped and entities decoded; NULL when
 * it is not well-formed. */
static char *
markup_to_text (const char *markup, gsize size)
{
  static const GMarkupParser parser = { NULL, NULL, markup_text, NULL, NULL };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GMarkupParseContext) context =
    g_markup_parse_context_new (&parser, 0, text, NULL);

  if (!g_markup_parse_context_parse (context, "<markup>", -1, NULL) ||
      !g_markup_parse_context_parse (context, markup, size, NULL) ||
      !g_markup_parse_context_parse (context, "</markup>", -1, NULL) ||
      !g_markup_parse_context_end_parse (context, NULL))
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* --- Sending ------------------------------------------------------------------ */

static const char *
content_type (GstMsrpSink *self, GstMsrpSinkMode mode, char **owned)
{
  GST_OBJECT_LOCK (self);
  *owned = g_strdup (self->content_type);
  GST_OBJECT_UNLOCK (self);
  if (*owned != NULL)
    return *owned;
  if (self->caps_type != NULL)
    return self->caps_type;
  return mode == GST_MSRP_SINK_MODE_LINE ? TEXT_TYPE : BINARY_TYPE;
}

/* Waits for the session to take what was sent: until at most @max_pending
 * sends (and @max_bytes bytes) are unacknowledged. When the element is
 * unlocked without flushing (PLAYING to PAUSED) it waits for PLAYING in
 * gst_base_sink_wait_preroll() and goes on. */
static GstFlowReturn
wait_sends (GstMsrpSink *self, guint max_pending, guint64 max_bytes)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GstFlowReturn ret;

      switch (gst_msrp_link_wait_sends (self->link, max_pending, max_bytes, &error))
        {
        case GST_MSRP_WAIT_ERROR:
          /* The link posted it. */
          GST_DEBUG_OBJECT (self, "session failed: %s", error->message);
          return GST_FLOW_ERROR;
        case GST_MSRP_WAIT_FLUSHING:
          ret = gst_base_sink_wait_preroll (GST_BASE_SINK (self));
          if (ret != GST_FLOW_OK)
            return ret;
          break;
        default:
          return GST_FLOW_OK;
        }
    }
}

/* Asks for a success report when wait-report is set; returns whether. */
static gboolean
want_report (GstMsrpSink *self, MsrpOutgoingMessage *message)
{
  gboolean wait_report;

  GST_OBJECT_LOCK (self);
  wait_report = self->wait_report;
  GST_OBJECT_UNLOCK (self);
  msrp_outgoing_message_set_success_report (message, wait_report);
  return wait_report;
}

static GstFlowReturn
send_bytes (GstMsrpSink *self, GstMsrpSinkMode mode, GBytes *body)
{
  g_autofree char *owned = NULL;
  const char *type = content_type (self, mode, &owned);
  g_autoptr(GBytes) text = NULL;
  g_autoptr(MsrpOutgoingMessage) message = NULL;
  gboolean wait_report;

  if (self->markup)
    {
      gsize size;
      const char *data = g_bytes_get_data (body, &size);
      char *plain = markup_to_text (data, size);

      if (plain != NULL)
        text = g_bytes_new_take (plain, strlen (plain));
      else
        GST_WARNING_OBJECT (self, "not well-formed pango markup, sent as it is");
      if (text != NULL && g_bytes_get_size (text) == 0)
        return GST_FLOW_OK;
    }
  message = msrp_outgoing_message_new_bytes (type, text ? text : body);
  wait_report = want_report (self, message);
  gst_msrp_link_send (self->link, message, NULL, NULL);
  return wait_report ? wait_sends (self, 0, 0) : wait_sends (self, MAX_PENDING, MAX_PENDING_BYTES);
}

static void
unmap_buffer (gpointer data)
{
  GstMapInfo *map = data;
  GstBuffer *buffer = map->user_data[0];

  gst_buffer_unmap (buffer, map);
  gst_buffer_unref (buffer);
  g_free (map);
}

/* The bytes of @buffer without a copy. */
static GBytes *
buffer_bytes (GstBuffer *buffer)
{
  GstMapInfo *map = g_new0 (GstMapInfo, 1);

  if (!gst_buffer_map (buffer, map, GST_MAP_READ))
    {
      g_free (map);
      return NULL;
    }
  map->user_data[0] = gst_buffer_ref (buffer);
  return g_bytes_new_with_free_func (map->data, map->size, unmap_buffer, map);
}

/* Sends the complete lines in self->line; with @flush also the rest. */
static GstFlowReturn
send_lines (GstMsrpSink *self, gboolean flush)
{
  GByteArray *line = self->line;
  guint start = 0;
  GstFlowReturn ret = GST_FLOW_OK;

  while (ret == GST_FLOW_OK && start < line->len)
    {
      const guint8 *lf = memchr (line->data + start, '\n', line->len - start);
      guint end = lf ? (guint) (lf - line->data) : line->len;
      guint next = lf ? end + 1 : end;

      if (lf == NULL && !flush)
        break;
      if (end > start && line->data[end - 1] == '\r')
        end--;
      if (end > start)
        {
          g_autoptr(GBytes) body = g_bytes_new (line->data + start, end - start);
          ret = send_bytes (self, GST_MSRP_SINK_MODE_LINE, body);
        }
      start = next;
    }
  g_byte_array_remove_range (line, 0, start);
  return ret;
}

static GstFlowReturn
start_stream (GstMsrpSink *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) writer = NULL;
  g_autoptr(GSocket) reader = NULL;
  g_autoptr(GSocketConnection) reader_connection = NULL;
  g_autoptr(MsrpOutgoingMessage) message = NULL;
  g_autofree char *owned = NULL;
  int fds[2];

  /* A socket pair rather than a pipe: GSocket waits on a cancellable and
   * never raises SIGPIPE. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("Cannot make a socket pair: %s",
                                                  g_strerror (errno)), (NULL));
      return GST_FLOW_ERROR;
    }
  writer = g_socket_new_from_fd (fds[0], &error);
  if (writer == NULL)
    close (fds[0]);
  reader = g_socket_new_from_fd (fds[1], error ? NULL : &error);
  if (reader == NULL)
    close (fds[1]);
  if (error != NULL)
    {
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("%s", error->message), (NULL));
      return GST_FLOW_ERROR;
    }
  self->stream_writer = G_IO_STREAM (g_socket_connection_factory_create_connection (writer));
  reader_connection = g_socket_connection_factory_create_connection (reader);
  self->stream_cancellable = g_cancellable_new ();

  message = msrp_outgoing_message_new_stream (
    content_type (self, GST_MSRP_SINK_MODE_STREAM, &owned),
    g_io_stream_get_input_stream (G_IO_STREAM (reader_connection)), -1);
  want_report (self, message);
  /* The session reads the other end on its context, so that end is let go
   * there, after the send. */
  gst_msrp_link_send (self->link, message, self->stream_cancellable,
                      G_OBJECT (reader_connection));
  return GST_FLOW_OK;
}

static GstFlowReturn
write_stream (GstMsrpSink *self, GstBuffer *buffer)
{
  GOutputStream *out;
  GstMapInfo map;
  gsize done = 0;
  GstFlowReturn ret = GST_FLOW_OK;

  if (self->stream_writer == NULL && (ret = start_stream (self)) != GST_FLOW_OK)
    return ret;
  out = g_io_stream_get_output_stream (self->stream_writer);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;
  while (done < map.size)
    {
      g_autoptr(GError) error = NULL;
      gsize written = 0;

      if (g_output_stream_write_all (out, map.data + done, map.size - done, &written,
                                     gst_msrp_link_get_cancellable (self->link), &error))
        break;
      done += written;
      /* Cancelled: a failed send (reported here) or an unlock. */
      ret = wait_sends (self, G_MAXUINT, G_MAXUINT64);
      if (ret != GST_FLOW_OK)
        break;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
                             ("Writing the message body failed: %s", error->message), (NULL));
          ret = GST_FLOW_ERROR;
          break;
        }
    }
  gst_buffer_unmap (buffer, &map);
  return ret;
}

static void
stop_stream (GstMsrpSink *self, gboolean abort)
{
  if (abort && self->stream_cancellable != NULL)
    g_cancellable_cancel (self->stream_cancellable);
  if (self->stream_writer != NULL)
    g_io_stream_close (self->stream_writer, NULL, NULL);
  g_clear_object (&self->stream_writer);
  g_clear_object (&self->stream_cancellable);
}

static GstMsrpSinkMode
get_mode (GstMsrpSink *self)
{
  GstMsrpSinkMode mode;

  GST_OBJECT_LOCK (self);
  mode = self->mode;
  GST_OBJECT_UNLOCK (self);
  return mode;
}

static GstFlowReturn
gst_msrp_sink_render (GstBaseSink *bsink, GstBuffer *buffer)
{
  GstMsrpSink *self = GST_MSRP_SINK (bsink);
  GstMsrpSinkMode mode = get_mode (self);
  g_autoptr(GBytes) body = NULL;

  if (gst_buffer_get_size (buffer) == 0 || GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_GAP))
    return GST_FLOW_OK;

  switch (mode)
    {
    case GST_MSRP_SINK_MODE_STREAM:
      return write_stream (self, buffer);
    case GST_MSRP_SINK_MODE_LINE:
      {
        GstMapInfo map;

        if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
          return GST_FLOW_ERROR;
        g_byte_array_append (self->line, map.data, map.size);
        gst_buffer_unmap (buffer, &map);
        return send_lines (self, FALSE);
      }
    case GST_MSRP_SINK_MODE_MESSAGE:
    default:
      body = buffer_bytes (buffer);
      if (body == NULL)
        return GST_FLOW_ERROR;
      return send_bytes (self, mode, body);
    }
}

/* EOS: the last line, the end of a streamed message, then everything
 * acknowledged, then the session closed. */
static GstFlowReturn
finish (GstMsrpSink *self)
{
  GstMsrpSinkMode mode = get_mode (self);
  GstFlowReturn ret = GST_FLOW_OK;
  gboolean close_on_eos;

  if (mode == GST_MSRP_SINK_MODE_LINE)
    ret = send_lines (self, TRUE);
  if (self->stream_writer != NULL)
    stop_stream (self, FALSE);
  if (ret == GST_FLOW_OK)
    ret = wait_sends (self, 0, 0);
  GST_OBJECT_LOCK (self);
  close_on_eos = self->close_on_eos;
  GST_OBJECT_UNLOCK (self);
  if (ret == GST_FLOW_OK && close_on_eos)
    {
      g_autoptr(GError) error = NULL;

      GST_DEBUG_OBJECT (self, "everything acknowledged, closing the session");
      while (gst_msrp_link_close_session (self->link, &error) == GST_MSRP_WAIT_FLUSHING)
        {
          ret = gst_base_sink_wait_preroll (GST_BASE_SINK (self));
          if (ret != GST_FLOW_OK)
            break;
        }
    }
  return ret;
}

static gboolean
gst_msrp_sink_event (GstBaseSink *bsink, GstEvent *event)
{
  GstMsrpSink *self = GST_MSRP_SINK (bsink);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && finish (self) != GST_FLOW_OK)
    {
      gst_event_unref (event);
      return FALSE;
    }
  return GST_BASE_SINK_CLASS (gst_msrp_sink_parent_class)->event (bsink, event);
}

static gboolean
gst_msrp_sink_set_caps (GstBaseSink *bsink, GstCaps *caps)
{
  GstMsrpSink *self = GST_MSRP_SINK (bsink);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const char *name = gst_structure_get_name (s);

  g_clear_pointer (&self->caps_type, g_free);
  self->markup = FALSE;
  if (strcmp (name, "text/x-raw") == 0)
    {
      self->caps_type = g_strdup (TEXT_TYPE);
      self->markup = g_strcmp0 (gst_structure_get_string (s, "format"), "pango-markup") == 0;
    }
  else if (strcmp (name, "application/x-msrp") == 0)
    self->caps_type = g_strdup (gst_structure_get_string (s, "content-type"));
  else if (g_str_has_prefix (name, "image/"))
    self->caps_type = g_strdup (name);
  GST_DEBUG_OBJECT (self, "content type from caps: %s", self->caps_type);
  return TRUE;
}

static gboolean
gst_msrp_sink_start (GstBaseSink *bsink)
{
  GstMsrpSink *self = GST_MSRP_SINK (bsink);
  gint chunk_size;

  GST_OBJECT_LOCK (self);
  chunk_size = self->chunk_size;
  GST_OBJECT_UNLOCK (self);

  if (!gst_msrp_settings_start (GST_ELEMENT (self), &self->settings, settings_props, &self->link,
                                0, chunk_size))
    return FALSE;
  self->line = g_byte_array_new ();
  return TRUE;
}

static gboolean
gst_msrp_sink_stop (GstBaseSink *bsink)
{
  GstMsrpSink *self = GST_MSRP_SINK (bsink);

  /* A stream that never saw EOS is aborted, not ended as if complete. */
  stop_stream (self, TRUE);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->caps_type, g_free);
  gst_msrp_link_slot_close (GST_ELEMENT (self), &self->link);
  return TRUE;
}

static gboolean
gst_msrp_sink_unlock (GstBaseSink *bsink)
{
  gst_msrp_link_slot_set_flushing (GST_ELEMENT (bsink), &GST_MSRP_SINK (bsink)->link, TRUE);
  return TRUE;
}

static gboolean
gst_msrp_sink_unlock_stop (GstBaseSink *bsink)
{
  gst_msrp_link_slot_set_flushing (GST_ELEMENT (bsink), &GST_MSRP_SINK (bsink)->link, FALSE);
  return TRUE;
}

static void
gst_msrp_sink_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GstMsrpSink *self = GST_MSRP_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_CONTENT_TYPE:
      g_free (self->content_type);
      self->content_type = g_value_dup_string (value);
      break;
    case PROP_CHUNK_SIZE:
      self->chunk_size = g_value_get_int (value);
      break;
    case PROP_WAIT_REPORT:
      self->wait_report = g_value_get_boolean (value);
      break;
    case PROP_CLOSE_ON_EOS:
      self->close_on_eos = g_value_get_boolean (value);
      break;
    default:
      gst_msrp_settings_set_property (&self->settings, object, PROP_SETTINGS, prop_id, value,
                                      pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_msrp_sink_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GstMsrpSink *self = GST_MSRP_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_int (value, self->chunk_size);
      break;
    case PROP_WAIT_REPORT:
      g_value_set_boolean (value, self->wait_report);
      break;
    case PROP_CLOSE_ON_EOS:
      g_value_set_boolean (value, self->close_on_eos);
      break;
    default:
      gst_msrp_settings_get_property (&self->settings, object, PROP_SETTINGS, prop_id, value,
                                      pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_msrp_sink_finalize (GObject *object)
{
  GstMsrpSink *self = GST_MSRP_SINK (object);

  gst_msrp_settings_clear (&self->settings);
  g_free (self->content_type);
  G_OBJECT_CLASS (gst_msrp_sink_parent_class)->finalize (object);
}

static void
gst_msrp_sink_init (GstMsrpSink *self)
{
  gst_msrp_settings_init (&self->settings, "*");
  self->mode = GST_MSRP_SINK_MODE_MESSAGE;
  self->chunk_size = -1;
  self->close_on_eos = TRUE;
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
  /* Chat comes rarely: a pipeline must not wait for a first message to
   * reach PLAYING. */
  gst_base_sink_set_async_enabled (GST_BASE_SINK (self), FALSE);
}

static void
gst_msrp_sink_class_init (GstMsrpSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_msrp_sink_debug, "msrpsink", 0, "MSRP sink");

  object_class->set_property = gst_msrp_sink_set_property;
  object_class->get_property = gst_msrp_sink_get_property;
  object_class->finalize = gst_msrp_sink_finalize;

  /**
   * GstMsrpSink:mode:
   *
   * How the input is cut into messages. In line mode a line may be split
   * across buffers, and the rest after the last LF is sent at EOS. In
   * stream mode the message is sent while it flows, with an unknown total
   * size (a Byte-Range total of `*`), and ends at EOS; a stream that stops
   * without EOS is aborted on the wire.
   */
  props[PROP_MODE] =
    g_param_spec_enum ("mode", "Mode",
                       "How the input is cut into messages: a message per buffer, per line, "
                       "or the whole stream as one message ended at EOS",
                       GST_TYPE_MSRP_SINK_MODE, GST_MSRP_SINK_MODE_MESSAGE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                       GST_PARAM_MUTABLE_READY);
  /**
   * GstMsrpSink:content-type:
   *
   * The Content-Type of the messages; %NULL takes it from the caps.
   */
  props[PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", "Content-Type",
                         "Content-Type of the messages (default: from the caps; text/x-raw is "
                         "text/plain;charset=utf-8, unknown input application/octet-stream)",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         GST_PARAM_MUTABLE_PLAYING);
  /**
   * GstMsrpSink:chunk-size:
   *
   * The largest body of one SEND in bytes, set on the session at start;
   * -1 leaves the session's (2048 by default, small enough for relays).
   * Use 16 KiB or more for bulk transfers when no relay is in the way;
   * 0 sends every message in one piece.
   */
  props[PROP_CHUNK_SIZE] =
    g_param_spec_int ("chunk-size", "Chunk size",
                      "Largest body of one SEND in bytes (-1: the session's, 2048 unless the "
                      "application changed it; 0: never split)",
                      -1, G_MAXINT32, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                      GST_PARAM_MUTABLE_READY);
  /**
   * GstMsrpSink:wait-report:
   *
   * Asks the peer for a success report for each message, and blocks each
   * buffer until it arrived (or the session's report-timeout passed,
   * which is an error).
   */
  props[PROP_WAIT_REPORT] =
    g_param_spec_boolean ("wait-report", "Wait for report",
                          "Ask for a success report for each message and wait for it before "
                          "taking the next buffer",
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                          GST_PARAM_MUTABLE_PLAYING);
  /**
   * GstMsrpSink:close-on-eos:
   *
   * Closes the session at EOS, once every message was acknowledged. The
   * peer's msrpsrc then ends with EOS. Turn it off when the session lives
   * on (it is shared with an msrpsrc, or the application closes it).
   */
  props[PROP_CLOSE_ON_EOS] =
    g_param_spec_boolean ("close-on-eos", "Close on EOS",
                          "Close the session at EOS, after every message was acknowledged",
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                          GST_PARAM_MUTABLE_READY);
  g_object_class_install_properties (object_class, N_PROPS, props);
  gst_msrp_settings_install (object_class, PROP_SETTINGS, "*", settings_props);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "MSRP sink", "Sink/Network",
                                         "Sends buffers, lines or a whole stream as the "
                                         "messages of an MSRP (RFC 4975) session",
                                         "gst-msrp");

  basesink_class->start = gst_msrp_sink_start;
  basesink_class->stop = gst_msrp_sink_stop;
  basesink_class->unlock = gst_msrp_sink_unlock;
  basesink_class->unlock_stop = gst_msrp_sink_unlock_stop;
  basesink_class->render = gst_msrp_sink_render;
  basesink_class->event = gst_msrp_sink_event;
  basesink_class->set_caps = gst_msrp_sink_set_caps;

  gst_type_mark_as_plugin_api (GST_TYPE_MSRP_SINK_MODE, 0);
}
