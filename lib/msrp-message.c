/* msrp-message.c: the messages an MsrpSession sends and receives
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "msrp-message-private.h"
#include "msrp-enums.h"

/* Progress is notified at most once per percent of the size (once per MiB
 * when the size is unknown) and when the last byte is counted, so a 1 GiB
 * transfer in 2 KiB chunks makes ~100 notifications, not 500,000. */
#define PROGRESS_STEP_UNKNOWN_SIZE (1024 * 1024)

static gboolean
progress_step_reached (guint64 done, guint64 *last_notified, gint64 size)
{
  guint64 step = size > 0 ? MAX ((guint64) size / 100, 1) : PROGRESS_STEP_UNKNOWN_SIZE;

  if (done - *last_notified < step && (size < 0 || done != (guint64) size))
    return FALSE;
  *last_notified = done;
  return TRUE;
}

static double
progress_of (guint64 done, gint64 size)
{
  if (size < 0)
    return -1.0;
  if (size == 0)
    return 1.0;
  return MIN ((double) done / (double) size, 1.0);
}

/**
 * MsrpOutgoingMessage:
 *
 * A message to send with [method@Msrp.Session.send_async]: a body given as
 * #GBytes or read from a #GInputStream, its content type, and the reports
 * to ask the receiver for.
 *
 * Each message gets a fresh random Message-ID and can be sent once. While it
 * is sent, [property@Msrp.OutgoingMessage:bytes-sent] and
 * [property@Msrp.OutgoingMessage:progress] follow the bytes the next hop
 * acknowledged; their notifications are throttled to about one per percent.
 */
struct _MsrpOutgoingMessage
{
  GObject parent_instance;

  char *message_id;
  char *content_type;
  gint64 size;
  GBytes *body;
  GInputStream *stream;
  gboolean success_report;
  MsrpReportMode failure_report;
  guint64 bytes_sent;
  guint64 notified_bytes;
  gboolean claimed;
};

G_DEFINE_FINAL_TYPE (MsrpOutgoingMessage, msrp_outgoing_message, G_TYPE_OBJECT)

enum {
  OUT_PROP_0,
  OUT_PROP_MESSAGE_ID,
  OUT_PROP_CONTENT_TYPE,
  OUT_PROP_SIZE,
  OUT_PROP_BODY,
  OUT_PROP_STREAM,
  OUT_PROP_SUCCESS_REPORT,
  OUT_PROP_FAILURE_REPORT,
  OUT_PROP_BYTES_SENT,
  OUT_PROP_PROGRESS,
  OUT_N_PROPS
};

static GParamSpec *out_props[OUT_N_PROPS];

static void
msrp_outgoing_message_init (MsrpOutgoingMessage *self)
{
  self->message_id = msrp_generate_id ();
  self->size = -1;
  self->failure_report = MSRP_REPORT_YES;
}

static void
msrp_outgoing_message_constructed (GObject *object)
{
  MsrpOutgoingMessage *self = MSRP_OUTGOING_MESSAGE (object);

  G_OBJECT_CLASS (msrp_outgoing_message_parent_class)->constructed (object);

  if (self->body != NULL)
    self->size = g_bytes_get_size (self->body);
  else if (self->stream == NULL)
    self->size = 0;
}

static void
msrp_outgoing_message_finalize (GObject *object)
{
  MsrpOutgoingMessage *self = MSRP_OUTGOING_MESSAGE (object);

  g_free (self->message_id);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (msrp_outgoing_message_parent_class)->finalize (object);
}

static void
msrp_outgoing_message_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MsrpOutgoingMessage *self = MSRP_OUTGOING_MESSAGE (object);

  switch (prop_id)
    {
    case OUT_PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case OUT_PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case OUT_PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case OUT_PROP_BODY:
      g_value_set_boxed (value, self->body);
      break;
    case OUT_PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case OUT_PROP_SUCCESS_REPORT:
      g_value_set_boolean (value, self->success_report);
      break;
    case OUT_PROP_FAILURE_REPORT:
      g_value_set_enum (value, self->failure_report);
      break;
    case OUT_PROP_BYTES_SENT:
      g_value_set_uint64 (value, self->bytes_sent);
      break;
    case OUT_PROP_PROGRESS:
      g_value_set_double (value, msrp_outgoing_message_get_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_outgoing_message_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MsrpOutgoingMessage *self = MSRP_OUTGOING_MESSAGE (object);

  switch (prop_id)
    {
    case OUT_PROP_CONTENT_TYPE:
      self->content_type = g_value_dup_string (value);
      break;
    case OUT_PROP_SIZE:
      self->size = g_value_get_int64 (value);
      break;
    case OUT_PROP_BODY:
      self->body = g_value_dup_boxed (value);
      break;
    case OUT_PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case OUT_PROP_SUCCESS_REPORT:
      msrp_outgoing_message_set_success_report (self, g_value_get_boolean (value));
      break;
    case OUT_PROP_FAILURE_REPORT:
      msrp_outgoing_message_set_failure_report (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_outgoing_message_class_init (MsrpOutgoingMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msrp_outgoing_message_constructed;
  object_class->finalize = msrp_outgoing_message_finalize;
  object_class->get_property = msrp_outgoing_message_get_property;
  object_class->set_property = msrp_outgoing_message_set_property;

  /**
   * MsrpOutgoingMessage:message-id:
   *
   * The Message-ID every chunk of this message carries: random, generated
   * when the message is made.
   */
  out_props[OUT_PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:content-type:
   *
   * The MIME type of the body; %NULL for the bodiless message of
   * msrp_outgoing_message_new_empty().
   */
  out_props[OUT_PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:size:
   *
   * The size of the body in bytes, or -1 when a stream body's size is
   * unknown (the chunks then carry `*` as total until the last one).
   */
  out_props[OUT_PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:body:
   *
   * The body when it is given in memory.
   */
  out_props[OUT_PROP_BODY] =
    g_param_spec_boxed ("body", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:stream:
   *
   * The stream the body is read from, chunk by chunk, when it is not in
   * memory.
   */
  out_props[OUT_PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_INPUT_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:success-report:
   *
   * Whether to ask for a success REPORT (`Success-Report: yes`); the send
   * then completes only when the REPORT covering the whole message arrives.
   */
  out_props[OUT_PROP_SUCCESS_REPORT] =
    g_param_spec_boolean ("success-report", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:failure-report:
   *
   * The Failure-Report mode: %MSRP_REPORT_YES (the default) gets a
   * response to every chunk, %MSRP_REPORT_PARTIAL only failure
   * responses, %MSRP_REPORT_NO none.
   *
   * With %MSRP_REPORT_PARTIAL a send does not wait for responses: a
   * failure response fails it when it comes while the send is still going
   * on (chunks to send, or a success REPORT awaited); one that comes after
   * the send completed is only logged.
   */
  out_props[OUT_PROP_FAILURE_REPORT] =
    g_param_spec_enum ("failure-report", NULL, NULL, MSRP_TYPE_REPORT_MODE, MSRP_REPORT_YES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:bytes-sent:
   *
   * Bytes of the body the next hop has taken (acknowledged, or written
   * when no response is expected). Notified throttled.
   */
  out_props[OUT_PROP_BYTES_SENT] =
    g_param_spec_uint64 ("bytes-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpOutgoingMessage:progress:
   *
   * [property@Msrp.OutgoingMessage:bytes-sent] as a fraction of the size
   * (0 to 1), or -1 when the size is unknown. Notified with bytes-sent.
   */
  out_props[OUT_PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, OUT_N_PROPS, out_props);
}

/**
 * msrp_outgoing_message_new_bytes:
 * @content_type: the MIME type of @body, such as `text/plain`
 * @body: the body (may be empty)
 *
 * Makes a message whose body is in memory. The session sends it in slices
 * of @body, without copying it.
 *
 * Returns: (transfer full): a new #MsrpOutgoingMessage
 */
MsrpOutgoingMessage *
msrp_outgoing_message_new_bytes (const char *content_type,
                                 GBytes     *body)
{
  MsrpOutgoingMessage *self;

  g_return_val_if_fail (content_type != NULL && *content_type != '\0', NULL);
  g_return_val_if_fail (body != NULL, NULL);

  /* The fields directly: setting construct properties by name is a good
   * part of the cost of a small message. */
  self = g_object_new (MSRP_TYPE_OUTGOING_MESSAGE, NULL);
  self->content_type = g_strdup (content_type);
  self->body = g_bytes_ref (body);
  self->size = g_bytes_get_size (body);
  return self;
}

/**
 * msrp_outgoing_message_new_stream:
 * @content_type: the MIME type of the body
 * @stream: the stream to read the body from
 * @size: the number of bytes to send from @stream, or -1 to send until its
 *   end (the size is then unknown until the end is reached)
 *
 * Makes a message whose body is read from @stream asynchronously, one chunk
 * at a time, and only as fast as the connection takes it: memory stays flat
 * whatever the size. When @size is given and @stream ends before, the send
 * is aborted and fails with %G_IO_ERROR_PARTIAL_INPUT. The stream is not
 * closed by the session.
 *
 * Returns: (transfer full): a new #MsrpOutgoingMessage
 */
MsrpOutgoingMessage *
msrp_outgoing_message_new_stream (const char   *content_type,
                                  GInputStream *stream,
                                  gint64        size)
{
  g_return_val_if_fail (content_type != NULL && *content_type != '\0', NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (size >= -1, NULL);

  return g_object_new (MSRP_TYPE_OUTGOING_MESSAGE,
                       "content-type", content_type,
                       "stream", stream,
                       "size", size,
                       NULL);
}

/**
 * msrp_outgoing_message_new_empty:
 *
 * Makes the bodiless message (no Content-Type, `Byte-Range: 1-0/0`) an
 * endpoint sends to bind a connection to a session (RFC 4975 §5.4) or to
 * keep it alive. The receiver answers it and never shows it to its
 * application.
 *
 * Returns: (transfer full): a new #MsrpOutgoingMessage
 */
MsrpOutgoingMessage *
msrp_outgoing_message_new_empty (void)
{
  return g_object_new (MSRP_TYPE_OUTGOING_MESSAGE, NULL);
}

/**
 * msrp_outgoing_message_get_message_id:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the message id of @message.
 *
 * Returns: the Message-ID of @message
 */
const char *
msrp_outgoing_message_get_message_id (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), NULL);
  return message->message_id;
}

/**
 * msrp_outgoing_message_get_content_type:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the content type of @message.
 *
 * Returns: (nullable): the content type, %NULL for an empty message
 */
const char *
msrp_outgoing_message_get_content_type (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), NULL);
  return message->content_type;
}

/**
 * msrp_outgoing_message_get_size:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the size of @message.
 *
 * Returns: the size of the body, or -1 when unknown
 */
gint64
msrp_outgoing_message_get_size (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), -1);
  return message->size;
}

/**
 * msrp_outgoing_message_get_body:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the body of @message.
 *
 * Returns: (nullable) (transfer none): the body when given in memory
 */
GBytes *
msrp_outgoing_message_get_body (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), NULL);
  return message->body;
}

/**
 * msrp_outgoing_message_get_stream:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the stream of @message.
 *
 * Returns: (nullable) (transfer none): the stream the body is read from
 */
GInputStream *
msrp_outgoing_message_get_stream (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), NULL);
  return message->stream;
}

/**
 * msrp_outgoing_message_is_empty:
 * @message: a #MsrpOutgoingMessage
 *
 * Whether @message is empty.
 *
 * Returns: whether @message is the bodiless message of
 *   msrp_outgoing_message_new_empty() (a message with a 0-byte body and a
 *   content type is not empty in this sense)
 */
gboolean
msrp_outgoing_message_is_empty (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), FALSE);
  return message->content_type == NULL;
}

/**
 * msrp_outgoing_message_get_success_report:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the success report of @message.
 *
 * Returns: whether a success REPORT is asked for
 */
gboolean
msrp_outgoing_message_get_success_report (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), FALSE);
  return message->success_report;
}

/**
 * msrp_outgoing_message_set_success_report:
 * @message: a #MsrpOutgoingMessage
 * @report: whether to ask for a success REPORT
 *
 * Sets [property@Msrp.OutgoingMessage:success-report]. Change it before
 * the message is sent.
 */
void
msrp_outgoing_message_set_success_report (MsrpOutgoingMessage *message,
                                          gboolean             report)
{
  g_return_if_fail (MSRP_IS_OUTGOING_MESSAGE (message));
  g_return_if_fail (!message->claimed);

  report = !!report;
  if (message->success_report == report)
    return;
  message->success_report = report;
  g_object_notify_by_pspec (G_OBJECT (message), out_props[OUT_PROP_SUCCESS_REPORT]);
}

/**
 * msrp_outgoing_message_get_failure_report:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the failure report of @message.
 *
 * Returns: the Failure-Report mode
 */
MsrpReportMode
msrp_outgoing_message_get_failure_report (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), MSRP_REPORT_YES);
  return message->failure_report;
}

/**
 * msrp_outgoing_message_set_failure_report:
 * @message: a #MsrpOutgoingMessage
 * @mode: the Failure-Report mode
 *
 * Sets [property@Msrp.OutgoingMessage:failure-report]. Change it before
 * the message is sent.
 */
void
msrp_outgoing_message_set_failure_report (MsrpOutgoingMessage *message,
                                          MsrpReportMode       mode)
{
  g_return_if_fail (MSRP_IS_OUTGOING_MESSAGE (message));
  g_return_if_fail (!message->claimed);

  if (message->failure_report == mode)
    return;
  message->failure_report = mode;
  g_object_notify_by_pspec (G_OBJECT (message), out_props[OUT_PROP_FAILURE_REPORT]);
}

/**
 * msrp_outgoing_message_get_bytes_sent:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the bytes sent of @message.
 *
 * Returns: the bytes of the body the next hop has taken so far
 */
guint64
msrp_outgoing_message_get_bytes_sent (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), 0);
  return message->bytes_sent;
}

/**
 * msrp_outgoing_message_get_progress:
 * @message: a #MsrpOutgoingMessage
 *
 * Gets the progress of @message.
 *
 * Returns: the fraction of the body sent, from 0 to 1, or -1 when the size
 *   is unknown
 */
double
msrp_outgoing_message_get_progress (MsrpOutgoingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_OUTGOING_MESSAGE (message), -1.0);
  return progress_of (message->bytes_sent, message->size);
}

gboolean
msrp_outgoing_message_claim (MsrpOutgoingMessage *message)
{
  if (message->claimed)
    return FALSE;
  message->claimed = TRUE;
  return TRUE;
}

void
msrp_outgoing_message_add_bytes_sent (MsrpOutgoingMessage *message,
                                      guint64              bytes)
{
  message->bytes_sent += bytes;
  if (!progress_step_reached (message->bytes_sent, &message->notified_bytes, message->size))
    return;
  g_object_notify_by_pspec (G_OBJECT (message), out_props[OUT_PROP_BYTES_SENT]);
  g_object_notify_by_pspec (G_OBJECT (message), out_props[OUT_PROP_PROGRESS]);
}

/**
 * MsrpIncomingMessage:
 *
 * A message a [class@Msrp.Session] is receiving or has received.
 *
 * The session announces it with [signal@Msrp.Session::incoming-message] when
 * its first chunk arrives. A handler of that signal may give it a
 * #GOutputStream with msrp_incoming_message_set_output_stream(): the body is
 * then written there, in order, and never held whole in memory. Otherwise
 * the body is collected in memory and msrp_incoming_message_get_bytes()
 * returns it once [signal@Msrp.Session::message-received] is emitted.
 */
struct _MsrpIncomingMessage
{
  GObject parent_instance;

  char *message_id;     /* one block with the content type, */
  char *content_type;
  gsize strings_size;   /* ...this large */
  gint64 size;
  GPtrArray *from_path;
  guint64 bytes_received;
  guint64 notified_bytes;
  GBytes *bytes;
  GOutputStream *output;
  gboolean output_sealed;
};

G_DEFINE_FINAL_TYPE (MsrpIncomingMessage, msrp_incoming_message, G_TYPE_OBJECT)

enum {
  IN_PROP_0,
  IN_PROP_MESSAGE_ID,
  IN_PROP_CONTENT_TYPE,
  IN_PROP_SIZE,
  IN_PROP_FROM_PATH,
  IN_PROP_BYTES_RECEIVED,
  IN_N_PROPS
};

static GParamSpec *in_props[IN_N_PROPS];
static guint notify_signal_id;

static void
msrp_incoming_message_init (MsrpIncomingMessage *self)
{
  self->size = -1;
}

/* Frees what @self holds but the block of its strings. */
static void
incoming_message_clear (MsrpIncomingMessage *self)
{
  g_clear_pointer (&self->from_path, g_ptr_array_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->output);
}

static void
msrp_incoming_message_finalize (GObject *object)
{
  MsrpIncomingMessage *self = MSRP_INCOMING_MESSAGE (object);

  incoming_message_clear (self);
  g_free (self->message_id);

  G_OBJECT_CLASS (msrp_incoming_message_parent_class)->finalize (object);
}

static void
msrp_incoming_message_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MsrpIncomingMessage *self = MSRP_INCOMING_MESSAGE (object);

  switch (prop_id)
    {
    case IN_PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case IN_PROP_CONTENT_TYPE:
      g_value_set_string (value, self->content_type);
      break;
    case IN_PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case IN_PROP_FROM_PATH:
      g_value_set_boxed (value, self->from_path);
      break;
    case IN_PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_incoming_message_class_init (MsrpIncomingMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = msrp_incoming_message_finalize;
  object_class->get_property = msrp_incoming_message_get_property;
  /* The only signal a message has. */
  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);

  /**
   * MsrpIncomingMessage:message-id:
   *
   * The Message-ID the sender gave the message.
   */
  in_props[IN_PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpIncomingMessage:content-type:
   *
   * The Content-Type of the message, %NULL when the sender gave none.
   */
  in_props[IN_PROP_CONTENT_TYPE] =
    g_param_spec_string ("content-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpIncomingMessage:size:
   *
   * The total size from the Byte-Range header, or -1 while the sender
   * has not said it (`*`); it is set when the last chunk arrives.
   */
  in_props[IN_PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpIncomingMessage:from-path: (type GLib.PtrArray(Msrp.Uri))
   *
   * The From-Path of the first chunk: the sender and the relays in between.
   */
  in_props[IN_PROP_FROM_PATH] =
    g_param_spec_boxed ("from-path", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpIncomingMessage:bytes-received:
   *
   * Distinct bytes of the body received so far (duplicates not counted).
   * Notified at most once per percent of the size.
   */
  in_props[IN_PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, IN_N_PROPS, in_props);
}

MsrpIncomingMessage *
msrp_incoming_message_new (const char *message_id,
                           const char *content_type,
                           gint64      size,
                           GPtrArray  *from_path)
{
  MsrpIncomingMessage *self = g_object_new (MSRP_TYPE_INCOMING_MESSAGE, NULL);

  msrp_incoming_message_set_up (self, message_id, content_type, size, from_path);
  return self;
}

void
msrp_incoming_message_set_up (MsrpIncomingMessage *message,
                              const char          *message_id,
                              const char          *content_type,
                              gint64               size,
                              GPtrArray           *from_path)
{
  gsize id_size = strlen (message_id) + 1;
  gsize type_size = content_type ? strlen (content_type) + 1 : 0;

  /* One block for both strings; a cleared message's, when large enough. */
  if (message->strings_size < id_size + type_size)
    {
      g_free (message->message_id);
      message->message_id = g_malloc (id_size + type_size);
      message->strings_size = id_size + type_size;
    }
  memcpy (message->message_id, message_id, id_size);
  message->content_type = NULL;
  if (content_type != NULL)
    {
      message->content_type = message->message_id + id_size;
      memcpy (message->content_type, content_type, type_size);
    }
  message->size = size;
  message->from_path = from_path ? g_ptr_array_ref (from_path) : NULL;
}

gboolean
msrp_incoming_message_clear_for_reuse (MsrpIncomingMessage *message)
{
  GObject *object = (GObject *) message;

  /* Weak references, toggle references (language bindings), bindings
   * and data set on it all live in its qdata; signal handlers do not. */
  if (g_atomic_int_get (&object->ref_count) != 1 || g_atomic_pointer_get (&object->qdata) != NULL
      || g_signal_handler_find (message, G_SIGNAL_MATCH_ID, notify_signal_id, 0, NULL, NULL,
                                NULL) != 0)
    return FALSE;
  incoming_message_clear (message);
  message->size = -1;
  message->bytes_received = 0;
  message->notified_bytes = 0;
  message->output_sealed = FALSE;
  return TRUE;
}

/**
 * msrp_incoming_message_get_message_id:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the message id of @message.
 *
 * Returns: the Message-ID of @message
 */
const char *
msrp_incoming_message_get_message_id (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), NULL);
  return message->message_id;
}

/**
 * msrp_incoming_message_get_content_type:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the content type of @message.
 *
 * Returns: (nullable): the content type of @message
 */
const char *
msrp_incoming_message_get_content_type (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), NULL);
  return message->content_type;
}

/**
 * msrp_incoming_message_get_size:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the size of @message.
 *
 * Returns: the total size, or -1 while unknown
 */
gint64
msrp_incoming_message_get_size (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), -1);
  return message->size;
}

/**
 * msrp_incoming_message_get_from_path:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the from path of @message.
 *
 * Returns: (transfer none) (element-type MsrpUri): the From-Path of the
 *   message's first chunk
 */
GPtrArray *
msrp_incoming_message_get_from_path (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), NULL);
  return message->from_path;
}

/**
 * msrp_incoming_message_get_bytes_received:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the bytes received of @message.
 *
 * Returns: the distinct bytes of the body received so far
 */
guint64
msrp_incoming_message_get_bytes_received (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), 0);
  return message->bytes_received;
}

/**
 * msrp_incoming_message_get_bytes:
 * @message: a #MsrpIncomingMessage
 *
 * The body of a message collected in memory, once it is complete.
 *
 * Returns: (nullable) (transfer none): the body, or %NULL while the message
 *   is incomplete, when it failed, or when it went to an output stream
 */
GBytes *
msrp_incoming_message_get_bytes (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), NULL);
  return message->bytes;
}

/**
 * msrp_incoming_message_set_output_stream:
 * @message: a #MsrpIncomingMessage
 * @stream: where to write the body
 *
 * Streams the body to @stream instead of collecting it in memory. Call it
 * from a handler of [signal@Msrp.Session::incoming-message], before any of
 * the body has arrived.
 *
 * The session writes the body in order with asynchronous writes, one at a
 * time, and flushes @stream before it emits
 * [signal@Msrp.Session::message-received]; it never closes @stream. When
 * writes fall more than 1 MiB behind, the session stops reading its
 * connection until they catch up, so a slow stream slows the sender down
 * instead of filling memory. Chunks that arrive out of order wait in memory
 * (they count against [property@Msrp.Session:max-buffered]) until the bytes
 * before them have arrived: the stream is never seeked, so it may be a
 * pipe or a socket. A write error fails the message.
 */
void
msrp_incoming_message_set_output_stream (MsrpIncomingMessage *message,
                                         GOutputStream       *stream)
{
  g_return_if_fail (MSRP_IS_INCOMING_MESSAGE (message));
  g_return_if_fail (G_IS_OUTPUT_STREAM (stream));
  g_return_if_fail (!message->output_sealed);

  g_set_object (&message->output, stream);
}

/**
 * msrp_incoming_message_get_output_stream:
 * @message: a #MsrpIncomingMessage
 *
 * Gets the output stream of @message.
 *
 * Returns: (nullable) (transfer none): the stream the body goes to, if any
 */
GOutputStream *
msrp_incoming_message_get_output_stream (MsrpIncomingMessage *message)
{
  g_return_val_if_fail (MSRP_IS_INCOMING_MESSAGE (message), NULL);
  return message->output;
}

/* The private setters are called with the session's own messages: plain
 * casts, no checked ones, on the path every message takes. */
void
msrp_incoming_message_set_size (MsrpIncomingMessage *message,
                                gint64               size)
{
  if (message->size == size)
    return;
  message->size = size;
  g_object_notify_by_pspec ((GObject *) message, in_props[IN_PROP_SIZE]);
}

void
msrp_incoming_message_set_bytes_received (MsrpIncomingMessage *message,
                                          guint64              bytes)
{
  message->bytes_received = bytes;
  if (progress_step_reached (message->bytes_received, &message->notified_bytes, message->size))
    g_object_notify_by_pspec ((GObject *) message, in_props[IN_PROP_BYTES_RECEIVED]);
}

void
msrp_incoming_message_set_bytes (MsrpIncomingMessage *message,
                                 GBytes              *bytes)
{
  g_clear_pointer (&message->bytes, g_bytes_unref);
  message->bytes = g_bytes_ref (bytes);
}

void
msrp_incoming_message_seal_output (MsrpIncomingMessage *message)
{
  message->output_sealed = TRUE;
}
