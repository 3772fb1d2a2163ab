/* msrp-session.c: one MSRP session (local path, remote path) on a transport
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-session-private.h"
#include "msrp-enums.h"
#include "msrp-alloc-private.h"
#include "msrp-error.h"
#include "msrp-frame-private.h"
#include "msrp-id-table-private.h"
#include "msrp-message-private.h"
#include "msrp-transport-private.h"
#include "msrp-uri.h"
#include "msrp-source-private.h"

/* Finished incoming Message-IDs remembered with the status their chunks get
 * (200 for a delivered or sender-aborted message, the refusal otherwise),
 * so chunks a peer re-sends after the end (SipLib re-sends up to 3 times)
 * are answered and dropped instead of starting a new message. */
#define RECENT_MAX 128
/* Out-of-order pieces one incoming message may hold; each also counts
 * SEGMENT_OVERHEAD bytes against max-buffered, so a peer sending 1-byte
 * chunks backwards cannot make the bookkeeping outgrow the data. */
#define MAX_SEGMENTS 4096
#define SEGMENT_OVERHEAD 64
#define HEARTBEAT_TYPE "text/x-msrp-heartbeat"

typedef struct _SendOp SendOp;
typedef struct _Incoming Incoming;
typedef struct _Link Link;

typedef struct {
  MsrpIdLink link;      /* in the ring's table once used */
  char *id;             /* NULL: not used yet */
  gsize id_size;        /* of its allocation, reused for the next id */
  guint status;
} RecentEntry;

/* The finished Message-IDs: a ring, the oldest replaced first, in a table
 * by id. Once full it allocates only for a longer id. */
typedef struct {
  RecentEntry entries[RECENT_MAX];
  MsrpIdTable table;
  guint head;                     /* the entry written next */
} Recent;

/**
 * MsrpSession:
 *
 * One MSRP session (RFC 4975): the messages exchanged between a local path
 * and a remote path over a [class@Msrp.Transport].
 *
 * ## Sending
 *
 * [method@Msrp.Session.send_async] splits a message into chunks of
 * [property@Msrp.Session:chunk-size] bytes. Several messages in flight are
 * interleaved one chunk each, round robin, so a chat line never waits for a
 * big file; set [property@Msrp.Session:interleave] to %FALSE for peers that
 * reassemble in arrival order (SipLib, sipsimple). Stream bodies are read
 * only while the transport's write queue is below its high-water mark, so
 * memory stays flat whatever the size. Every SEND carries To-Path,
 * From-Path, Message-ID and Byte-Range (`*` as total while a stream's size
 * is unknown; the last chunk gives the real total). The To-Path is the
 * local path without its last URI (the relays the session reaches the peer
 * through, if any) followed by the remote path; the From-Path is the last
 * URI of the local path.
 *
 * A send completes when every chunk was answered 200 (a relay's 200 is only
 * the next hop's) and, if the message asked for it, when the success REPORT
 * covering the whole message arrived, within
 * [property@Msrp.Session:report-timeout]. Cancelling it while it is sent
 * aborts the message on the wire (an end line with `#`).
 *
 * ## Receiving
 *
 * Chunks are reassembled by Byte-Range: out of order, overlapping or
 * repeated chunks are accepted and no byte is delivered twice.
 * [signal@Msrp.Session::incoming-message] announces a message at its first
 * chunk; [signal@Msrp.Session::message-received] or
 * [signal@Msrp.Session::message-failed] ends it. Bodiless SENDs and
 * `text/x-msrp-heartbeat` messages are answered and never announced.
 *
 * A message whose Content-Type is not in
 * [property@Msrp.Session:accept-types] is refused with 415, one larger than
 * [property@Msrp.Session:max-size] with 413, as the transaction response of
 * the chunk that shows it. Success REPORTs are sent when the sender asked
 * for them, failure REPORTs for failures found after a chunk was answered
 * 200 (a write error on the application's stream, an abort with
 * msrp_session_abort_incoming()), and only when the sender's
 * Failure-Report is `yes` (RFC 4975 §7.1.2).
 *
 * A session holds at most [property@Msrp.Session:max-incomplete] incomplete
 * messages and [property@Msrp.Session:max-buffered] bytes of their bodies in
 * memory; a chunk that would go beyond is answered 413 and its message
 * fails, so a hostile peer cannot make a session grow without bound.
 *
 * ## Connections
 *
 * A session runs on [property@Msrp.Session:transport], which it may not
 * have yet: sessions of an #MsrpServer get theirs when the peer's first
 * request binds one, and msrp_session_update_remote_path_async() may move a
 * session made by an #MsrpConnector to a new connection. Messages sent
 * meanwhile wait in the session's queue; none is lost by a move. A session
 * closes with its connection.
 *
 * All signals are emitted, and all callbacks called, on the thread-default
 * main context of the thread that created the session.
 */
struct _MsrpSession
{
  GObject parent_instance;

  GMainContext *context;
  MsrpTransport *transport;
  GPtrArray *local_path;
  GPtrArray *remote_path;
  /* The To-Path and From-Path of our requests, formatted once. */
  char *to_path;
  char *from_path;
  /* A GRefString: the content type of the last send without a message
   * object, which the next ones share when theirs is the same. */
  char *bytes_content_type;
  /* A relay is in the To-Path (RFC 4976). */
  gboolean via_relay;
  char *session_id;
  gboolean bound;       /* the endpoint is bound on ->transport */
  gboolean pending;     /* ...provisionally: no request accepted yet */
  gboolean learned;     /* the remote path came from the pending request */
  gboolean owns_transport;
  MsrpConnector *connector;
  Link *link;           /* the endpoint on ->transport */
  GList *old_links;     /* Link *: connections left, still delivering */
  GTask *update_task;

  guint chunk_size;
  guint64 max_size;
  GStrv accept_types;
  gboolean interleave;
  guint report_timeout;
  guint keepalive_interval;
  MsrpSessionMatching matching;
  guint max_incomplete;
  guint64 max_buffered;

  /* Sends that still have chunks to hand to the transport, round robin:
   * the SendOps' own links. */
  GQueue sending;
  /* Every unfinished send (SendOp) by Message-ID (also those awaiting a
   * REPORT). */
  MsrpIdTable sends;
  gboolean pumping;
  gboolean pump_again;
  GSource *keepalive_source;
  SendOp *keepalive_op;

  /* Incomplete incoming messages by Message-ID. */
  GHashTable *incoming;
  Recent *recent;       /* made at the first finished message */
  Incoming *spare;      /* with its message, cleared: for the next message */
  /* The last URIs of the To-Path and From-Path of the last request that
   * matched: the parser hands out the same URIs while a connection's
   * paths do not change, and URIs cannot change. */
  MsrpUri *matched_to;
  MsrpUri *matched_from;
  guint64 buffered;
  guint64 write_queued;
  /* Body bytes of chunks written and not answered yet: each chunk keeps its
   * body until then, to go again on a new connection. */
  guint64 unanswered;
  gboolean reading_held;
  /* Holds taken with msrp_session_hold_reading(); while there are any, the
   * session holds its transport's reading once. */
  guint app_holds;
  gboolean app_hold_applied;
  GCancellable *cancellable;

  gboolean closed;
};

G_DEFINE_FINAL_TYPE (MsrpSession, msrp_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TRANSPORT,
  PROP_LOCAL_PATH,
  PROP_REMOTE_PATH,
  PROP_CHUNK_SIZE,
  PROP_MAX_SIZE,
  PROP_ACCEPT_TYPES,
  PROP_INTERLEAVE,
  PROP_REPORT_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_MATCHING,
  PROP_MAX_INCOMPLETE,
  PROP_MAX_BUFFERED,
  PROP_OWNS_TRANSPORT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_INCOMING_MESSAGE,
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_MESSAGE_FAILED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- Byte ranges a send has seen success REPORTs for ---------------------- */

typedef struct {
  guint64 start;
  guint64 end;
} Range;

/* Adds [start, end] (inclusive) to the sorted, disjoint @ranges. */
static void
ranges_add (GArray *ranges, guint64 start, guint64 end)
{
  guint i = 0;
  Range merged = { start, end };

  while (i < ranges->len && g_array_index (ranges, Range, i).end + 1 < start)
    i++;
  while (i < ranges->len && g_array_index (ranges, Range, i).start <= end + 1)
    {
      Range *r = &g_array_index (ranges, Range, i);
      merged.start = MIN (merged.start, r->start);
      merged.end = MAX (merged.end, r->end);
      g_array_remove_index (ranges, i);
    }
  g_array_insert_val (ranges, i, merged);
}

static gboolean
ranges_cover (GArray *ranges, guint64 start, guint64 end)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      Range *r = &g_array_index (ranges, Range, i);
      if (r->start <= start && r->end >= end)
        return TRUE;
    }
  return FALSE;
}

/* --- Sending --------------------------------------------------------------- */

typedef struct {
  GBytes *data;
  gboolean last;
  guint64 start;       /* where @data goes, for chunks sent again */
} Chunk;

typedef struct {
  SendOp *op;
  guint64 start;
  GBytes *data;
  gboolean last;
} ChunkSend;

struct _SendOp
{
  grefcount ref;
  MsrpSession *session;
  GList link;          /* in the session's sending queue while ->queued */
  MsrpIdLink id_link;  /* in the session's sends, from the start to the finish */
  gboolean queued;
  /* NULL for a fire-and-forget send: no callback and no cancellable. */
  GTask *task;
  GCancellable *cancellable;
  /* NULL for msrp_session_send_bytes_async() and keepalives: the op then
   * holds the message's settings itself. */
  MsrpOutgoingMessage *message;
  const char *id;
  char own_id[MSRP_ID_LENGTH + 1];
  const char *content_type;
  char *own_content_type;  /* GRefString */
  MsrpReportMode failure_report;
  gboolean empty;
  GBytes *body;
  GInputStream *stream;
  gint64 size;
  guint chunk_size;

  guint64 offset;      /* body bytes handed to the transport */
  guint64 read_total;  /* body bytes read from the stream */
  GQueue ready;        /* Chunk *: read from the stream, not yet sent */
  GQueue resend;       /* Chunk *: to send again on a new connection */
  GBytes *lookahead;   /* a full read held back until the next read says
                          whether it was the last (size unknown) */
  guint8 *read_buffer;
  gsize read_wanted;
  gsize read_got;      /* of @read_wanted, in the reads so far */
  gboolean reading;
  gboolean read_done;  /* the last chunk is in @ready */
  GCancellable *io_cancellable;
  gboolean pollable;   /* @stream is read with read_nonblocking */
  GSource *read_source;  /* pollable: waiting for @stream */

  gboolean last_queued;
  guint in_flight;
  /* The first chunk in flight needs no allocation: most messages are one. */
  ChunkSend chunk_send;
  gboolean chunk_send_busy;
  gboolean want_report;
  GArray *reported;
  gboolean report_ok;
  GSource *report_source;
  GSource *cancel_source;
  gboolean finished;
};

static void pump (MsrpSession *self);

/* The sending queue holds the ops' own links: no allocation per send. */
static void
sending_add (MsrpSession *self, SendOp *op, gboolean first)
{
  if (op->queued)
    return;
  op->queued = TRUE;
  op->link.data = op;
  if (first)
    g_queue_push_head_link (&self->sending, &op->link);
  else
    g_queue_push_tail_link (&self->sending, &op->link);
}

static void
sending_remove (MsrpSession *self, SendOp *op)
{
  if (!op->queued)
    return;
  op->queued = FALSE;
  g_queue_unlink (&self->sending, &op->link);
}

static void
chunk_free (Chunk *chunk)
{
  g_bytes_unref (chunk->data);
  g_free (chunk);
}

/* g_queue_clear_full() without its cost for the usual empty queue. */
static void
chunks_clear (GQueue *chunks)
{
  while (chunks->head != NULL)
    chunk_free (g_queue_pop_head (chunks));
}

static SendOp *
send_op_ref (SendOp *op)
{
  g_ref_count_inc (&op->ref);
  return op;
}

static void
send_op_unref (SendOp *op)
{
  if (!g_ref_count_dec (&op->ref))
    return;
  g_assert (op->report_source == NULL && op->cancel_source == NULL && op->read_source == NULL);
  g_free (op->read_buffer);
  chunks_clear (&op->ready);
  chunks_clear (&op->resend);
  g_clear_pointer (&op->lookahead, g_bytes_unref);
  g_clear_pointer (&op->reported, g_array_unref);
  g_clear_object (&op->io_cancellable);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->task);
  g_clear_object (&op->message);
  g_clear_pointer (&op->body, g_bytes_unref);
  g_clear_pointer (&op->own_content_type, g_ref_string_release);
  g_object_unref (op->session);
  g_free (op);
}

/* The unfinished send of Message-ID @id, or NULL. */
static SendOp *
find_send (MsrpSession *self, const char *id)
{
  MsrpIdLink *link = msrp_id_table_lookup (&self->sends, id);

  return link != NULL ? MSRP_ID_ENTRY (link, SendOp, id_link) : NULL;
}

/* Ends @op: with @error (taken) or successfully when @error is NULL. */
static void
send_op_finish (SendOp *op, GError *error)
{
  MsrpSession *self = op->session;

  if (op->finished)
    {
      g_clear_error (&error);
      return;
    }
  op->finished = TRUE;
  sending_remove (self, op);
  msrp_id_table_remove (&self->sends, &op->id_link);
  msrp_source_clear (&op->report_source);
  msrp_source_clear (&op->cancel_source);
  msrp_source_clear (&op->read_source);
  if (op->io_cancellable != NULL)
    g_cancellable_cancel (op->io_cancellable);
  chunks_clear (&op->ready);
  chunks_clear (&op->resend);
  g_clear_pointer (&op->lookahead, g_bytes_unref);
  if (op->task != NULL)
    {
      if (error != NULL)
        g_task_return_error (op->task, error);
      else
        g_task_return_boolean (op->task, TRUE);
    }
  else if (error != NULL)
    {
      /* Nobody asked for the result (a keepalive has no task): a failure
       * is only logged. */
      if (op == self->keepalive_op)
        g_debug ("keepalive of session %s failed: %s", self->session_id, error->message);
      else
        g_debug ("session %s: message %s not delivered: %s", self->session_id, op->id,
                 error->message);
      g_error_free (error);
    }
  if (op == self->keepalive_op)
    self->keepalive_op = NULL;
  /* The reference the session's tables held. */
  send_op_unref (op);
}

/* The SEND of @data at @start..@end of @op's message. */
static void
build_send (MsrpSession *self, SendOp *op, guint64 start, guint64 end,
            gint64 total, MsrpContinuation flag, GBytes *data, MsrpSendSpec *spec)
{
  *spec = (MsrpSendSpec) {
    .to_path = self->to_path,
    .from_path = self->from_path,
    .message_id = op->id,
    .start = start,
    .end = end,
    .total = total,
    .success_report = op->want_report,
    .failure_report = op->failure_report,
    .content_type = op->empty ? NULL : op->content_type,
    .body = data,
    .flag = flag,
  };
}

/* Whether the session is firmly attached and knows its peer. */
static gboolean
attached (MsrpSession *self)
{
  return self->bound && !self->pending && self->remote_path != NULL;
}

/* Whether the session may send now: attached, on an open connection. */
static gboolean
can_send (MsrpSession *self)
{
  return attached (self) && !msrp_transport_is_closed (self->transport);
}

static void
abort_chunk_sent (MsrpTransport *transport, MsrpFrame *response, const GError *error,
                  gpointer user_data)
{
  if (error != NULL)
    g_debug ("abort chunk not delivered: %s", error->message);
}

/* Ends a message that is part-way on the wire with an empty `#` chunk
 * (Byte-Range N-(N-1)/total), so the receiver drops what it has. */
static void
send_op_abort_on_wire (SendOp *op)
{
  MsrpSession *self = op->session;
  g_autoptr(GBytes) nothing = NULL;
  MsrpSendSpec spec;
  gint64 total;

  if (op->offset == 0 && op->in_flight == 0 && !op->last_queued)
    return;
  if (op->last_queued || !can_send (self))
    return;
  nothing = g_bytes_new_static ("", 0);
  total = op->size >= 0 ? op->size : -1;
  build_send (self, op, op->offset + 1, op->offset, total, MSRP_CONTINUATION_ABORT, nothing, &spec);
  op->last_queued = TRUE;
  msrp_transport_send_chunk (self->transport, &spec, abort_chunk_sent, NULL);
}

static void
send_op_cancel (SendOp *op)
{
  send_op_abort_on_wire (op);
  send_op_finish (op, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The send was cancelled"));
}

static gboolean
send_op_cancelled (GCancellable *cancellable, gpointer user_data)
{
  send_op_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
send_op_report_timed_out (gpointer user_data)
{
  SendOp *op = user_data;
  MsrpSession *self = op->session;

  g_clear_pointer (&op->report_source, g_source_unref);
  send_op_finish (op, g_error_new (MSRP_ERROR, MSRP_ERROR_TIMEOUT,
                                   "No success report within %u s", self->report_timeout));
  return G_SOURCE_REMOVE;
}

static void
send_op_check_done (SendOp *op)
{
  MsrpSession *self = op->session;

  if (op->finished || !op->last_queued || op->in_flight > 0 || !g_queue_is_empty (&op->resend))
    return;
  if (!op->want_report || op->report_ok)
    {
      send_op_finish (op, NULL);
      return;
    }
  if (op->report_source == NULL)
    {
      op->report_source = g_timeout_source_new_seconds (self->report_timeout);
      g_source_set_callback (op->report_source, send_op_report_timed_out, op, NULL);
      g_source_attach (op->report_source, self->context);
    }
}


/* Whether a chunk that failed on @transport should go again on the
 * connection the session has now: it went out on a connection the session
 * has left since, which closed under it or answered 481 (the peer had moved
 * to the new connection first). The receiver drops bytes it already has. */
static gboolean
worth_resending (MsrpSession *self, MsrpTransport *transport, const GError *error)
{
  if (self->closed || transport == self->transport)
    return FALSE;
  if (error->domain != MSRP_ERROR)
    return TRUE;
  return error->code == MSRP_ERROR_CLOSED || error->code == MSRP_ERROR_TIMEOUT ||
         error->code == MSRP_ERROR_SESSION_DOES_NOT_EXIST;
}

static void
chunk_sent (MsrpTransport *transport, MsrpFrame *response, const GError *failure,
            gpointer user_data)
{
  ChunkSend *cs = user_data;
  /* The chunk's reference on @op holds the session until the end. */
  SendOp *op = cs->op;
  MsrpSession *self = op->session;
  g_autoptr(GError) error = failure != NULL ? g_error_copy (failure) : NULL;

  op->in_flight--;
  self->unanswered -= g_bytes_get_size (cs->data);
  if (error != NULL && !op->finished && worth_resending (self, transport, error))
    {
      Chunk *chunk = msrp_new0 (Chunk);

      g_debug ("session %s: chunk %" G_GUINT64_FORMAT " of %s goes again on the new connection",
               self->session_id, cs->start, op->id);
      chunk->start = cs->start;
      chunk->data = g_bytes_ref (cs->data);
      chunk->last = cs->last;
      g_queue_push_tail (&op->resend, chunk);
      sending_add (self, op, FALSE);
    }
  else if (error != NULL)
    send_op_finish (op, g_steal_pointer (&error));
  else if (!op->finished)
    {
      if (op->message != NULL && g_bytes_get_size (cs->data) > 0)
        msrp_outgoing_message_add_bytes_sent (op->message, g_bytes_get_size (cs->data));
      send_op_check_done (op);
    }
  g_bytes_unref (cs->data);
  if (cs == &op->chunk_send)
    op->chunk_send_busy = FALSE;
  else
    g_free (cs);
  /* A response means the queue moved: a fallback to the writable callback. */
  pump (self);
  send_op_unref (op);
}

/* Sends body bytes @data at 1-based @start. */
static void
send_op_send_range (SendOp *op, guint64 start, GBytes *data, gboolean last)
{
  MsrpSession *self = op->session;
  gsize length = g_bytes_get_size (data);
  gint64 total = op->size >= 0 ? op->size : (last ? (gint64) (start - 1 + length) : -1);
  MsrpSendSpec spec;
  ChunkSend *cs;

  build_send (self, op, start, start - 1 + length, total,
              last ? MSRP_CONTINUATION_COMPLETE : MSRP_CONTINUATION_MORE, data, &spec);
  op->in_flight++;
  self->unanswered += length;
  if (!op->chunk_send_busy)
    {
      cs = &op->chunk_send;
      op->chunk_send_busy = TRUE;
    }
  else
    cs = g_new (ChunkSend, 1);
  cs->op = send_op_ref (op);
  cs->start = start;
  cs->data = g_bytes_ref (data);
  cs->last = last;
  msrp_transport_send_chunk (self->transport, &spec, chunk_sent, cs);
}

static void
send_op_send_chunk (SendOp *op, GBytes *data, gboolean last)
{
  MsrpSession *self = op->session;
  guint64 start = op->offset + 1;

  op->offset += g_bytes_get_size (data);
  if (last)
    {
      op->last_queued = TRUE;
      op->size = op->offset;
      sending_remove (self, op);
    }
  send_op_send_range (op, start, data, last);
}

/* Pushes the next read of a stream body into @op->ready. */
static void
send_op_take_read (SendOp *op, GBytes *data)
{
  gsize length = g_bytes_get_size (data);
  Chunk *chunk;

  op->read_total += length;
  if (op->size >= 0)
    {
      chunk = msrp_new0 (Chunk);
      chunk->data = g_bytes_ref (data);
      chunk->last = op->read_total == (guint64) op->size;
      op->read_done = chunk->last;
      g_queue_push_tail (&op->ready, chunk);
      return;
    }

  /* Size unknown: only a short read proves the end, so a full read waits
   * in @lookahead until the next one. */
  if (op->lookahead != NULL)
    {
      chunk = msrp_new0 (Chunk);
      chunk->data = g_steal_pointer (&op->lookahead);
      chunk->last = length == 0;
      g_queue_push_tail (&op->ready, chunk);
      if (length == 0)
        {
          op->read_done = TRUE;
          return;
        }
    }
  if (length == op->read_wanted)
    {
      op->lookahead = g_bytes_ref (data);
      return;
    }
  chunk = msrp_new0 (Chunk);
  chunk->data = g_bytes_ref (data);
  chunk->last = TRUE;
  op->read_done = TRUE;
  g_queue_push_tail (&op->ready, chunk);
}

static void stream_read_more (SendOp *op);

/* A read of the body stream is over: reads the rest of a chunk after a
 * short one, as g_input_stream_read_all_async() would without its own
 * GTask per chunk. */
static void
stream_read_finish (SendOp *op, gssize n, GError *error);

static void
stream_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendOp *op = user_data;
  MsrpSession *self = g_object_ref (op->session);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n > 0 && !op->finished && op->read_got + n < op->read_wanted)
    {
      op->read_got += n;
      stream_read_more (op);
    }
  else
    {
      stream_read_finish (op, n, error);
      pump (self);
    }
  send_op_unref (op);
  g_object_unref (self);
}

static void stream_read_pollable (SendOp *op);

static gboolean
on_body_readable (GObject *stream, gpointer user_data)
{
  SendOp *op = send_op_ref (user_data);
  MsrpSession *self = g_object_ref (op->session);

  g_clear_pointer (&op->read_source, g_source_unref);
  stream_read_pollable (op);
  pump (self);
  send_op_unref (op);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Reads the rest of the chunk from a stream that can poll, in the call (no
 * GTask and no main-loop turn per chunk); waits on the stream's source when
 * it would block. The caller pumps. */
static void
stream_read_pollable (SendOp *op)
{
  GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (op->stream);

  while (op->read_got < op->read_wanted)
    {
      GError *error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (input, op->read_buffer + op->read_got,
                                                           op->read_wanted - op->read_got,
                                                           op->io_cancellable, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_error_free (error);
          /* No reference: send_op_finish() destroys it. */
          op->read_source = g_pollable_input_stream_create_source (input, op->io_cancellable);
          g_source_set_callback (op->read_source, G_SOURCE_FUNC (on_body_readable), op, NULL);
          g_source_set_static_name (op->read_source, "MsrpSession body read");
          g_source_attach (op->read_source, op->session->context);
          return;
        }
      if (n <= 0)
        {
          stream_read_finish (op, n, error);
          return;
        }
      op->read_got += n;
    }
  stream_read_finish (op, 0, NULL);
}

/* The chunk being read is over: @n is the last read's result (0 at the
 * end of the stream or when the chunk is full, < 0 with @error, taken). */
static void
stream_read_finish (SendOp *op, gssize n, GError *error)
{
  gsize n_read = op->read_got + MAX (n, 0);
  guint8 *buffer = g_steal_pointer (&op->read_buffer);

  op->reading = FALSE;
  if (n < 0)
    {
      g_free (buffer);
      if (!op->finished)
        {
          send_op_abort_on_wire (op);
          g_prefix_error (&error, "Reading the message body failed: ");
          send_op_finish (op, g_steal_pointer (&error));
        }
    }
  else if (op->size >= 0 && n_read < op->read_wanted)
    {
      g_free (buffer);
      if (!op->finished)
        {
          send_op_abort_on_wire (op);
          send_op_finish (op, g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                           "The body stream ended after %" G_GUINT64_FORMAT
                                           " of %" G_GINT64_FORMAT " bytes",
                                           op->read_total + n_read, op->size));
        }
    }
  else if (op->finished)
    g_free (buffer);
  else if (g_cancellable_is_cancelled (op->cancellable))
    {
      /* Cancelled while reading: its source may not have run yet, but
       * the writer of a pipe may stop writing right after cancelling,
       * and its end must not complete the message. */
      g_free (buffer);
      send_op_cancel (op);
    }
  else
    {
      g_autoptr(GBytes) data = g_bytes_new_take (g_realloc (buffer, n_read), n_read);
      send_op_take_read (op, data);
    }
  g_clear_error (&error);
}

static void
stream_read_more (SendOp *op)
{
  g_input_stream_read_async (op->stream, op->read_buffer + op->read_got,
                             op->read_wanted - op->read_got, G_PRIORITY_DEFAULT,
                             op->io_cancellable, stream_read_done, send_op_ref (op));
}

static void
send_op_start_read (SendOp *op)
{
  guint64 want = op->chunk_size;

  if (op->size >= 0)
    want = MIN (want, (guint64) op->size - op->read_total);
  op->reading = TRUE;
  op->read_wanted = want;
  op->read_got = 0;
  op->read_buffer = g_malloc (MAX (want, 1));
  if (op->pollable)
    stream_read_pollable (op);
  else
    stream_read_more (op);
}

/* Hands @op's next chunk to the transport if it has one; starts reading the
 * stream otherwise. Returns whether a chunk went out. */
static gboolean
send_op_try_send (SendOp *op)
{
  if (!g_queue_is_empty (&op->resend))
    {
      Chunk *chunk = g_queue_pop_head (&op->resend);
      send_op_send_range (op, chunk->start, chunk->data, chunk->last);
      chunk_free (chunk);
      return TRUE;
    }
  if (op->last_queued)
    {
      /* Back in the queue only for chunks to send again. */
      sending_remove (op->session, op);
      return FALSE;
    }
  if (op->stream == NULL)
    {
      guint64 size = op->size;
      guint64 length = op->chunk_size > 0 ? MIN ((guint64) op->chunk_size, size - op->offset)
                                          : size - op->offset;
      g_autoptr(GBytes) data = op->body != NULL
        ? g_bytes_new_from_bytes (op->body, op->offset, length)
        : g_bytes_new_static ("", 0);

      send_op_send_chunk (op, data, op->offset + length == size);
      return TRUE;
    }

  /* A stream that can poll is read in the call: a read may complete at
   * once (or only fill the look-ahead of a stream of unknown size). */
  while (g_queue_is_empty (&op->ready) && !op->reading && !op->read_done && !op->finished)
    send_op_start_read (op);
  if (!g_queue_is_empty (&op->ready))
    {
      Chunk *chunk = g_queue_pop_head (&op->ready);
      send_op_send_chunk (op, chunk->data, chunk->last);
      chunk_free (chunk);
      return TRUE;
    }
  return FALSE;
}

/* Chunk bodies kept while unanswered: without a bound, a sender's memory
 * grew with what the socket buffers and the receiver's backlog held (a
 * sender's peak RSS 34 MiB in 1 GiB benchmark runs). */
#define MAX_UNANSWERED (4 * 1024 * 1024)

static gboolean
transport_has_room (MsrpSession *self)
{
  return attached (self) && msrp_transport_has_room (self->transport) &&
         self->unanswered <= MAX_UNANSWERED;
}

/* Hands chunks to the transport, one per message in turn, until its queue
 * is above the high-water mark or nothing is ready. */
static void
pump (MsrpSession *self)
{
  if (self->pumping)
    {
      self->pump_again = TRUE;
      return;
    }
  self->pumping = TRUE;
  g_object_ref (self);
  do
    {
      self->pump_again = FALSE;
      while (transport_has_room (self))
        {
          guint n = self->interleave ? g_queue_get_length (&self->sending) : 1;
          gboolean sent = FALSE;
          gboolean left = FALSE;

          for (guint i = 0; i < n && !sent; i++)
            {
              SendOp *op = g_queue_peek_head (&self->sending);
              if (op == NULL)
                break;
              send_op_ref (op);
              sent = send_op_try_send (op);
              /* Round robin: whoever was looked at goes to the back. */
              if (self->interleave && g_queue_peek_head (&self->sending) == op)
                g_queue_push_tail_link (&self->sending, g_queue_pop_head_link (&self->sending));
              /* One that left the queue lets the next one have a go. */
              else if (g_queue_peek_head (&self->sending) != op)
                left = TRUE;
              send_op_unref (op);
            }
          if (!sent && !left)
            break;
        }
    }
  while (self->pump_again);
  self->pumping = FALSE;
  g_object_unref (self);
}

static void
send_op_start (MsrpSession *self, SendOp *op, gboolean first)
{
  /* The tables hold one reference until send_op_finish(). */
  msrp_id_table_add (&self->sends, &op->id_link, op->id);
  sending_add (self, op, first);
  pump (self);
}

/* A send for @task (nullable) of a body of @size bytes (-1: unknown) from
 * @body or @stream (borrowed: the caller holds it for the op). */
static SendOp *
send_op_alloc (MsrpSession *self, GTask *task, GBytes *body, GInputStream *stream, gint64 size)
{
  SendOp *op = msrp_new0 (SendOp);

  g_ref_count_init (&op->ref);
  op->session = g_object_ref (self);
  op->task = task ? g_object_ref (task) : NULL;
  op->body = body != NULL ? g_bytes_ref (body) : NULL;
  op->stream = stream;
  op->size = size;
  op->failure_report = MSRP_REPORT_YES;
  op->chunk_size = self->chunk_size;
  if (op->stream != NULL && op->chunk_size == 0)
    op->chunk_size = MSRP_SESSION_STREAM_CHUNK_SIZE;
  /* A relay in the path (RFC 4976): no frame larger than relays take. */
  if (self->via_relay &&
      (op->chunk_size == 0 || op->chunk_size > MSRP_SESSION_RELAY_MAX_CHUNK_SIZE))
    op->chunk_size = MSRP_SESSION_RELAY_MAX_CHUNK_SIZE;
  g_queue_init (&op->ready);
  g_queue_init (&op->resend);
  return op;
}

static SendOp *
send_op_new (MsrpSession *self, MsrpOutgoingMessage *message, GTask *task)
{
  SendOp *op = send_op_alloc (self, task, msrp_outgoing_message_get_body (message),
                              msrp_outgoing_message_get_stream (message),
                              msrp_outgoing_message_get_size (message));

  op->message = g_object_ref (message);
  op->id = msrp_outgoing_message_get_message_id (message);
  op->empty = msrp_outgoing_message_is_empty (message);
  op->content_type = msrp_outgoing_message_get_content_type (message);
  op->failure_report = msrp_outgoing_message_get_failure_report (message);
  op->pollable = G_IS_POLLABLE_INPUT_STREAM (op->stream)
                 && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (op->stream));
  op->want_report = !op->empty && msrp_outgoing_message_get_success_report (message);
  /* Only stream bodies are read. */
  if (op->stream != NULL)
    op->io_cancellable = g_cancellable_new ();
  return op;
}

/* A send of @body with the default reports and no message object; with
 * @content_type NULL, a bodiless SEND, else a GRefString the op shares. */
static SendOp *
send_op_new_bytes (MsrpSession *self, const char *content_type, GBytes *body, GTask *task)
{
  SendOp *op = send_op_alloc (self, task, body, NULL, body != NULL ? (gint64) g_bytes_get_size (body) : 0);

  msrp_fill_id (op->own_id);
  op->id = op->own_id;
  op->empty = content_type == NULL;
  if (content_type != NULL)
    op->content_type = op->own_content_type = g_ref_string_acquire ((char *) content_type);
  return op;
}

static void
send_op_take_report (SendOp *op, MsrpFrame *report)
{
  guint code = 0;
  g_autofree char *comment = NULL;
  gint64 start, end, total;

  if (!msrp_frame_get_status_header (report, &code, &comment, NULL))
    return;
  if (code != MSRP_STATUS_OK)
    {
      send_op_finish (op, msrp_error_new_from_status (code, comment));
      return;
    }
  if (!op->want_report)
    return;
  /* A REPORT without Byte-Range speaks for the whole message. */
  if (msrp_frame_get_header (report, "Byte-Range") == NULL ||
      !msrp_frame_get_byte_range (report, &start, &end, &total, NULL))
    op->report_ok = TRUE;
  else if (end >= start)
    {
      if (op->reported == NULL)
        op->reported = g_array_new (FALSE, FALSE, sizeof (Range));
      ranges_add (op->reported, start, end);
      if (op->last_queued && op->size >= 0 &&
          (op->size == 0 || ranges_cover (op->reported, 1, op->size)))
        op->report_ok = TRUE;
    }
  else if (op->size == 0 && end == 0)
    op->report_ok = TRUE;

  send_op_check_done (op);
}

/* Tells @task (NULL: the log) that a send cannot start (@error, taken). */
static void
send_refuse (MsrpSession *self, GTask *task, GError *error)
{
  if (task != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_debug ("session %s: a message was not sent: %s", self->session_id, error->message);
  g_error_free (error);
}

/* Whether a send for @task (NULL: fire and forget) may start; tells it
 * why not. */
static gboolean
send_may_start (MsrpSession *self, GTask *task)
{
  if (self->closed)
    {
      send_refuse (self, task,
                   g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED, "The session is closed"));
      return FALSE;
    }
  return task == NULL || !g_task_return_error_if_cancelled (task);
}

/* Queues new @op, which @cancellable (nullable) cancels; @first puts it
 * ahead of the queue. */
static void
send_op_launch (MsrpSession *self, SendOp *op, GCancellable *cancellable, gboolean first)
{
  if (cancellable != NULL)
    {
      op->cancellable = g_object_ref (cancellable);
      op->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (op->cancel_source, G_SOURCE_FUNC (send_op_cancelled), op, NULL);
      g_source_attach (op->cancel_source, self->context);
    }
  send_op_start (self, op, first);
}

/* --- Receiving --------------------------------------------------------------- */

typedef struct {
  guint64 start;   /* 1-based position of data's first byte */
  GBytes *data;
} Segment;

struct _Incoming
{
  grefcount ref;
  MsrpIncomingMessage *message;
  const char *id;      /* the message's */
  /* The head of its first chunk: the paths its REPORTs go back on. */
  MsrpFrame *first;
  gint64 total;
  guint64 next;        /* the first byte not yet delivered in order */
  GList *segments;     /* Segment *, sorted, disjoint, all beyond @next */
  guint n_segments;
  guint64 segment_bytes;
  /* The body, when it is collected in memory: the one piece that held all
   * of it, or the pieces gathered. */
  GBytes *whole;
  GByteArray *buffer;
  GOutputStream *output;
  GQueue writes;       /* GBytes * waiting for @output */
  GBytes *writing;     /* in an asynchronous write (outputs that cannot poll) */
  gboolean pollable;   /* @output is written with writev_nonblocking */
  GSource *output_source;  /* pollable: waiting to be writable, or to report a failure */
  gboolean complete;
  gboolean failed;
  gboolean answered;   /* a chunk of it was answered 200 */
  gboolean success_report;
  MsrpReportMode failure_report;
  /* In ->incoming. A message is put there only when a chunk of it ends
   * and it is still under way: one that arrives whole in one chunk, the
   * usual case, never is. Until then the chunk's link holds it. */
  gboolean listed;
  gboolean delivered;
};

/* A connection the session is bound on: its current one, or one it left
 * (msrp_session_detach()) that still delivers what the peer sent before it
 * moved, until it closes. Each has its own request under way. */
struct _Link
{
  MsrpSession *session;
  MsrpTransport *transport;
  /* The SEND being received: between request_head and request_end. */
  Incoming *cur_in;
  guint64 cur_start;
  gint64 cur_end;
  guint64 cur_received;
  guint cur_status;
};

static void
segment_free (Segment *segment)
{
  g_bytes_unref (segment->data);
  g_free (segment);
}

static Incoming *
incoming_ref (Incoming *in)
{
  g_ref_count_inc (&in->ref);
  return in;
}

/* Frees what @in holds but its message. */
static void
incoming_clear (Incoming *in)
{
  /* Mostly there is nothing of these: no calls for them then. */
  if (in->segments != NULL)
    g_list_free_full (in->segments, (GDestroyNotify) segment_free);
  g_clear_pointer (&in->whole, g_bytes_unref);
  if (in->buffer != NULL)
    g_byte_array_unref (in->buffer);
  if (!g_queue_is_empty (&in->writes))
    g_queue_clear_full (&in->writes, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&in->writing, g_bytes_unref);
  g_assert (in->output_source == NULL);
  g_clear_object (&in->output);
  msrp_frame_unref (in->first);
}

static void
incoming_free (Incoming *in)
{
  g_object_unref (in->message);
  g_free (in);
}

static void
incoming_unref (Incoming *in)
{
  if (!g_ref_count_dec (&in->ref))
    return;
  incoming_clear (in);
  incoming_free (in);
}

/* Drops the caller's reference on @in. When it was the last one and the
 * application kept nothing of the message, the two are kept for the next
 * message instead: making and finalizing a GObject per message costs more
 * than the rest of receiving it. */
static void
incoming_release (MsrpSession *self, Incoming *in)
{
  MsrpIncomingMessage *message = in->message;

  if (self->spare != NULL || !g_ref_count_compare (&in->ref, 1) ||
      !msrp_incoming_message_clear_for_reuse (message))
    {
      incoming_unref (in);
      return;
    }
  incoming_clear (in);
  memset (in, 0, sizeof *in);
  in->message = message;
  self->spare = in;
}

/* The status chunks of finished message @id get; 0 for one not seen. */
static guint
recent_lookup (MsrpSession *self, const char *id)
{
  MsrpIdLink *link;

  if (self->recent == NULL)
    return 0;
  link = msrp_id_table_lookup (&self->recent->table, id);
  return link ? MSRP_ID_ENTRY (link, RecentEntry, link)->status : 0;
}

static void
recent_add (MsrpSession *self, const char *id, guint status)
{
  gsize size = strlen (id) + 1;
  Recent *recent = self->recent;
  RecentEntry *entry;

  if (recent == NULL)
    recent = self->recent = g_new0 (Recent, 1);
  else if (msrp_id_table_lookup (&recent->table, id) != NULL)
    return;

  entry = &recent->entries[recent->head];
  /* The oldest goes. */
  msrp_id_table_remove (&recent->table, &entry->link);
  if (entry->id_size < size)
    {
      g_free (entry->id);
      entry->id = g_malloc (size);
      entry->id_size = size;
    }
  memcpy (entry->id, id, size);
  entry->status = status;
  msrp_id_table_add (&recent->table, &entry->link, entry->id);
  recent->head = (recent->head + 1) % RECENT_MAX;
}

static void
recent_free (Recent *recent)
{
  for (guint i = 0; i < RECENT_MAX; i++)
    g_free (recent->entries[i].id);
  msrp_id_table_clear (&recent->table);
  g_free (recent);
}

static void
incoming_unlist (MsrpSession *self, Incoming *in)
{
  if (!in->listed)
    return;
  in->listed = FALSE;
  g_hash_table_remove (self->incoming, in->id);
}

/* @in leaves the chunk that brought it: one still under way waits in
 * ->incoming for its next chunks. */
static void
incoming_keep (MsrpSession *self, Incoming *in)
{
  if (in->listed || in->failed || in->delivered)
    return;
  in->listed = TRUE;
  g_hash_table_insert (self->incoming, (gpointer) in->id, incoming_ref (in));
}

/* Holds the transport for msrp_session_hold_reading() once the session
 * is firmly attached (a provisional attachment must read its first
 * request). */
static void
apply_app_hold (MsrpSession *self)
{
  if (self->app_holds == 0 || self->app_hold_applied || !self->bound || self->pending ||
      self->closed)
    return;
  msrp_transport_hold_reading (self->transport);
  self->app_hold_applied = TRUE;
}

static void
update_read_hold (MsrpSession *self)
{
  if (!self->bound)
    return;
  apply_app_hold (self);
  if (!self->reading_held && self->write_queued > MSRP_TRANSPORT_HIGH_WATER)
    {
      self->reading_held = TRUE;
      msrp_transport_hold_reading (self->transport);
    }
  else if (self->reading_held && self->write_queued < MSRP_TRANSPORT_LOW_WATER)
    {
      self->reading_held = FALSE;
      msrp_transport_release_reading (self->transport);
    }
}

static void
send_report (MsrpSession *self, Incoming *in, guint status, guint64 end)
{
  g_autoptr(MsrpFrame) report = NULL;

  if (!self->bound || msrp_transport_is_closed (self->transport))
    return;
  report = msrp_frame_new_request ("REPORT", NULL);
  /* The paths as they came: they parsed, and formatting costs. */
  msrp_frame_set_header_unchecked (report, "To-Path", msrp_frame_get_header (in->first, "From-Path"));
  msrp_frame_set_header_unchecked (report, "From-Path", msrp_frame_get_header (in->first, "To-Path"));
  msrp_frame_set_message_id (report, in->id);
  msrp_frame_set_byte_range (report, 1, end, in->total);
  msrp_frame_set_status_header (report, status, msrp_status_reason (status));
  /* Nothing to wait for: a REPORT gets no response. */
  msrp_transport_send_request_async (self->transport, report, NULL, NULL, NULL);
}

/* @in failed: the requests bringing it get nothing more of it, and are
 * answered @status (unless 0). */
static void
forget_current (MsrpSession *self, Incoming *in, guint status)
{
  GList *links = g_list_prepend (g_list_copy (self->old_links), self->link);

  for (GList *l = links; l != NULL; l = l->next)
    {
      Link *link = l->data;

      if (link == NULL || link->cur_in != in)
        continue;
      if (status != 0)
        link->cur_status = status;
      g_clear_pointer (&link->cur_in, incoming_unref);
    }
  g_list_free (links);
}

static void
incoming_drop_segments (MsrpSession *self, Incoming *in)
{
  if (in->segments == NULL)
    return;
  self->buffered -= in->segment_bytes + (guint64) in->n_segments * SEGMENT_OVERHEAD;
  g_list_free_full (g_steal_pointer (&in->segments), (GDestroyNotify) segment_free);
  in->n_segments = 0;
  in->segment_bytes = 0;
}

/* Ends @in unsuccessfully. @status is what later chunks of it get (200 when
 * the sender aborted it); @report sends a failure REPORT with @status when
 * the sender wants those. Emits message-failed. */
static void
incoming_fail (MsrpSession *self, Incoming *in, guint status, gboolean report, GError *error)
{
  if (in->failed)
    {
      g_clear_error (&error);
      return;
    }
  in->failed = TRUE;
  incoming_ref (in);
  incoming_unlist (self, in);
  if (status != 0)
    recent_add (self, in->id, status);
  if (in->whole != NULL)
    {
      self->buffered -= g_bytes_get_size (in->whole);
      g_clear_pointer (&in->whole, g_bytes_unref);
    }
  if (in->buffer != NULL)
    {
      self->buffered -= in->buffer->len;
      g_clear_pointer (&in->buffer, g_byte_array_unref);
    }
  incoming_drop_segments (self, in);
  while (!g_queue_is_empty (&in->writes))
    {
      GBytes *data = g_queue_pop_head (&in->writes);
      self->write_queued -= g_bytes_get_size (data);
      g_bytes_unref (data);
    }
  if (in->output_source != NULL)
    {
      /* Its data holds a reference on @in: drop it. */
      GSource *source = g_steal_pointer (&in->output_source);

      g_source_destroy (source);
      g_source_unref (source);
    }
  update_read_hold (self);
  forget_current (self, in, status);

  /* A failure the sender has not heard of from a response. */
  if (report && in->answered && in->failure_report == MSRP_REPORT_YES)
    send_report (self, in, status, in->next - 1);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_FAILED], 0, in->message, error);
  g_clear_error (&error);
  incoming_unref (in);
}

static void
incoming_delivered (MsrpSession *self, Incoming *in)
{
  in->delivered = TRUE;
  incoming_unlist (self, in);
  recent_add (self, in->id, MSRP_STATUS_OK);
  if (in->success_report)
    send_report (self, in, MSRP_STATUS_OK, in->total);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, in->message);
}

static void write_next (MsrpSession *self, Incoming *in);

typedef struct {
  MsrpSession *session;
  Incoming *in;
  GError *error;   /* a pollable write's failure, reported from a source */
} WriteCtx;

static WriteCtx *
write_ctx_new (MsrpSession *self, Incoming *in)
{
  WriteCtx *ctx = g_new0 (WriteCtx, 1);

  ctx->session = g_object_ref (self);
  ctx->in = incoming_ref (in);
  return ctx;
}

static void
write_ctx_free (WriteCtx *ctx)
{
  incoming_unref (ctx->in);
  g_object_unref (ctx->session);
  g_clear_error (&ctx->error);
  g_free (ctx);
}

static void
output_flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WriteCtx *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_flush_finish (G_OUTPUT_STREAM (source), result, &error))
    incoming_fail (ctx->session, ctx->in, 413, TRUE, g_steal_pointer (&error));
  else if (!ctx->in->failed)
    incoming_delivered (ctx->session, ctx->in);
  write_ctx_free (ctx);
}

/* @size bytes of the queued writes are done with (written, or dropped). */
static void
output_took (MsrpSession *self, gsize size)
{
  self->write_queued -= size;
  /* A closed session still writes out the messages that arrived whole,
   * but its reading is over. */
  if (!self->closed)
    update_read_hold (self);
}

/* Writing @in to its output stream failed with @error (taken). */
static void
output_failed (MsrpSession *self, Incoming *in, GError *error)
{
  g_prefix_error (&error, "Writing the message failed: ");
  incoming_fail (self, in, 413, TRUE, error);
}

static void output_written (GObject *source, GAsyncResult *result, gpointer user_data);

/* Writes @in->writing. g_output_stream_write_all_async() would wrap every
 * write in a second GTask: short writes are continued here instead. */
static void
write_start (MsrpSession *self, Incoming *in)
{
  gsize size;
  gconstpointer ptr = g_bytes_get_data (in->writing, &size);

  g_output_stream_write_async (in->output, ptr, size, G_PRIORITY_DEFAULT, self->cancellable,
                               output_written, write_ctx_new (self, in));
}

static void
output_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WriteCtx *ctx = user_data;
  MsrpSession *self = ctx->session;
  Incoming *in = ctx->in;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_steal_pointer (&in->writing);
  gsize size = g_bytes_get_size (data);
  gssize n = g_output_stream_write_finish (G_OUTPUT_STREAM (source), result, &error);

  if (n == 0 && error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "The stream took no bytes");
  output_took (self, error != NULL || in->failed ? size : (gsize) n);
  if (in->failed)
    ;
  else if (error != NULL)
    output_failed (self, in, g_steal_pointer (&error));
  else if ((gsize) n < size)
    {
      in->writing = g_bytes_new_from_bytes (data, n, size - n);
      write_start (self, in);
    }
  else
    write_next (self, in);
  write_ctx_free (ctx);
}

/* At most this many slices per writev_nonblocking call. */
#define MAX_OUTPUT_VECTORS 16

static void write_pollable (MsrpSession *self, Incoming *in);

static gboolean
on_output_writable (GObject *stream, gpointer user_data)
{
  WriteCtx *ctx = user_data;

  g_clear_pointer (&ctx->in->output_source, g_source_unref);
  write_pollable (ctx->session, ctx->in);
  return G_SOURCE_REMOVE;
}

static gboolean
on_output_failed (gpointer user_data)
{
  WriteCtx *ctx = user_data;

  g_clear_pointer (&ctx->in->output_source, g_source_unref);
  output_failed (ctx->session, ctx->in, g_steal_pointer (&ctx->error));
  return G_SOURCE_REMOVE;
}

static void
output_source_attach (MsrpSession *self, Incoming *in, GSource *source, GSourceFunc func,
                      GError *error)
{
  WriteCtx *ctx = write_ctx_new (self, in);

  ctx->error = error;
  g_source_set_callback (source, func, ctx, (GDestroyNotify) write_ctx_free);
  g_source_set_static_name (source, "MsrpSession output");
  g_source_attach (source, self->context);
  in->output_source = source;
}

/* Writes the queued slices of @in to its pollable output with
 * writev_nonblocking, in the call: no GTask and no main-loop turn per slice
 * (an asynchronous write costs both even when the stream could take the
 * data at once). Waits on the stream's source when it would block. A
 * failure is reported from a source, as an asynchronous write's would be:
 * the caller may be delivering data and go on using @in. */
static void
write_pollable (MsrpSession *self, Incoming *in)
{
  GPollableOutputStream *output = G_POLLABLE_OUTPUT_STREAM (in->output);

  while (!g_queue_is_empty (&in->writes))
    {
      GOutputVector vectors[MAX_OUTPUT_VECTORS];
      GError *error = NULL;
      gsize written = 0;
      guint n = 0;
      GPollableReturn ret;

      for (GList *l = in->writes.head; l != NULL && n < MAX_OUTPUT_VECTORS; l = l->next)
        {
          vectors[n].buffer = g_bytes_get_data (l->data, &vectors[n].size);
          n++;
        }
      ret = g_pollable_output_stream_writev_nonblocking (output, vectors, n, &written,
                                                        self->cancellable, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          output_source_attach (self, in,
                                g_pollable_output_stream_create_source (output, self->cancellable),
                                G_SOURCE_FUNC (on_output_writable), NULL);
          return;
        }
      if (ret == G_POLLABLE_RETURN_OK && written == 0)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "The stream took no bytes");
      if (error != NULL)
        {
          output_source_attach (self, in, g_idle_source_new (),
                                G_SOURCE_FUNC (on_output_failed), error);
          return;
        }
      output_took (self, written);
      while (written > 0)
        {
          GBytes *data = g_queue_pop_head (&in->writes);
          gsize size = g_bytes_get_size (data);

          if (written < size)
            {
              g_queue_push_head (&in->writes, g_bytes_new_from_bytes (data, written, size - written));
              written = 0;
            }
          else
            written -= size;
          g_bytes_unref (data);
        }
    }
  if (in->complete)
    g_output_stream_flush_async (in->output, G_PRIORITY_DEFAULT, self->cancellable,
                                 output_flushed, write_ctx_new (self, in));
}

static void
write_next (MsrpSession *self, Incoming *in)
{
  if (in->writing != NULL || in->output_source != NULL || in->failed)
    return;
  if (in->pollable)
    {
      write_pollable (self, in);
      return;
    }
  if (g_queue_is_empty (&in->writes))
    {
      if (in->complete)
        g_output_stream_flush_async (in->output, G_PRIORITY_DEFAULT, self->cancellable,
                                     output_flushed, write_ctx_new (self, in));
      return;
    }
  in->writing = g_queue_pop_head (&in->writes);
  write_start (self, in);
}

/* Emits incoming-message once; the handler may choose an output stream. */
/* Emits incoming-message; the handler may choose an output stream, or
 * abort the message. The caller holds a reference on @in. */
static gboolean
incoming_announce (MsrpSession *self, Incoming *in)
{
  g_signal_emit (self, signals[SIGNAL_INCOMING_MESSAGE], 0, in->message);
  msrp_incoming_message_seal_output (in->message);
  if (in->failed)
    return FALSE;
  in->output = msrp_incoming_message_get_output_stream (in->message);
  if (in->output != NULL)
    {
      g_object_ref (in->output);
      in->pollable = G_IS_POLLABLE_OUTPUT_STREAM (in->output)
                     && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (in->output));
    }
  return TRUE;
}

static gboolean
over_budget (MsrpSession *self, guint64 more)
{
  return self->max_buffered > 0 && self->buffered + more > self->max_buffered;
}

/* Delivers in-order data at @in->next. FALSE when memory is exhausted. */
static gboolean
incoming_deliver (MsrpSession *self, Incoming *in, GBytes *data)
{
  gsize size = g_bytes_get_size (data);

  if (in->output != NULL)
    {
      g_queue_push_tail (&in->writes, g_bytes_ref (data));
      self->write_queued += size;
      update_read_hold (self);
      write_next (self, in);
    }
  else
    {
      if (over_budget (self, size))
        return FALSE;
      if (in->next == 1 && in->total >= 0 && size == (guint64) in->total)
        /* All of it in one piece, as a short message comes. @data is a
         * slice of the transport's read block: a small body is copied, so
         * that a message the application keeps does not pin the block. */
        in->whole = size < MSRP_TRANSPORT_READ_BLOCK_SIZE / 4
                    ? g_bytes_new (g_bytes_get_data (data, NULL), size)
                    : g_bytes_ref (data);
      else
        {
          if (in->buffer == NULL)
            in->buffer = g_byte_array_sized_new (in->total >= 0 ? MIN (in->total, 65536) : 0);
          g_byte_array_append (in->buffer, g_bytes_get_data (data, NULL), size);
        }
      self->buffered += size;
    }
  in->next += size;
  return TRUE;
}

/* Keeps the parts of [start, start + size) no segment has yet, as copies:
 * a slice would pin the transport's whole read block. */
static gboolean
incoming_hold_segment (MsrpSession *self, Incoming *in, guint64 start, GBytes *data)
{
  guint64 end = start + g_bytes_get_size (data);
  const guint8 *bytes = g_bytes_get_data (data, NULL);
  guint64 pos = start;
  GList *l = in->segments;

  while (pos < end)
    {
      Segment *seg, *next_seg;
      guint64 gap_end;

      while (l != NULL && ((Segment *) l->data)->start + g_bytes_get_size (((Segment *) l->data)->data) <= pos)
        l = l->next;
      next_seg = l ? l->data : NULL;
      if (next_seg != NULL && next_seg->start <= pos)
        {
          pos = next_seg->start + g_bytes_get_size (next_seg->data);
          continue;
        }
      gap_end = next_seg ? MIN (next_seg->start, end) : end;
      if (in->n_segments >= MAX_SEGMENTS || over_budget (self, gap_end - pos + SEGMENT_OVERHEAD))
        return FALSE;
      seg = g_new0 (Segment, 1);
      seg->start = pos;
      seg->data = g_bytes_new (bytes + (pos - start), gap_end - pos);
      in->segments = g_list_insert_before (in->segments, l, seg);
      in->n_segments++;
      in->segment_bytes += gap_end - pos;
      self->buffered += gap_end - pos + SEGMENT_OVERHEAD;
      pos = gap_end;
    }
  return TRUE;
}

/* Takes body bytes at 1-based @start: drops what was seen, delivers what
 * is next, holds what is ahead. FALSE when a memory bound is reached. */
static gboolean
incoming_add (MsrpSession *self, Incoming *in, guint64 start, GBytes *data)
{
  guint64 end = start + g_bytes_get_size (data);

  if (end <= in->next)
    return TRUE;
  if (start > in->next)
    return incoming_hold_segment (self, in, start, data);

  {
    /* Mostly all of @data is new. */
    g_autoptr(GBytes) fresh = start == in->next ? NULL
                              : g_bytes_new_from_bytes (data, in->next - start, end - in->next);
    if (!incoming_deliver (self, in, fresh != NULL ? fresh : data))
      return FALSE;
  }

  /* Held segments that now touch the delivered prefix follow it. */
  while (in->segments != NULL && ((Segment *) in->segments->data)->start <= in->next)
    {
      Segment *seg = in->segments->data;
      gsize seg_size = g_bytes_get_size (seg->data);
      guint64 seg_end = seg->start + seg_size;
      gboolean ok = TRUE;

      in->segments = g_list_delete_link (in->segments, in->segments);
      in->n_segments--;
      in->segment_bytes -= seg_size;
      self->buffered -= seg_size + SEGMENT_OVERHEAD;
      if (seg_end > in->next)
        {
          g_autoptr(GBytes) rest = g_bytes_new_from_bytes (seg->data, in->next - seg->start,
                                                           seg_end - in->next);
          ok = incoming_deliver (self, in, rest);
        }
      segment_free (seg);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
incoming_complete (MsrpSession *self, Incoming *in)
{
  /* Pieces beyond a total the last chunk set are not part of the message. */
  incoming_drop_segments (self, in);
  in->complete = TRUE;
  if (in->output != NULL)
    {
      write_next (self, in);
      return;
    }
  {
    g_autoptr(GBytes) bytes = NULL;

    if (in->whole != NULL)
      bytes = g_steal_pointer (&in->whole);
    else if (in->buffer != NULL)
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&in->buffer));
    else
      bytes = g_bytes_new (NULL, 0);
    self->buffered -= g_bytes_get_size (bytes);
    msrp_incoming_message_set_bytes (in->message, bytes);
  }
  incoming_delivered (self, in);
}

/* @pattern is a type, a type with a wildcard subtype, or a lone `*`;
 * @type may carry parameters. */
static gboolean
type_matches (const char *pattern, const char *type)
{
  const char *slash;
  gsize type_len;

  if (strcmp (pattern, "*") == 0)
    return TRUE;
  while (*type == ' ' || *type == '\t')
    type++;
  type_len = strcspn (type, "; \t");
  slash = strchr (pattern, '/');
  if (slash != NULL && strcmp (slash, "/*") == 0)
    {
      gsize prefix = slash - pattern + 1;
      return type_len > prefix && g_ascii_strncasecmp (pattern, type, prefix) == 0;
    }
  return strlen (pattern) == type_len && g_ascii_strncasecmp (pattern, type, type_len) == 0;
}

/* type_matches (HEARTBEAT_TYPE, @type), without taking the pattern apart:
 * every new message is checked. */
static gboolean
is_heartbeat_type (const char *type)
{
  const gsize length = sizeof HEARTBEAT_TYPE - 1;

  while (*type == ' ' || *type == '\t')
    type++;
  /* The pattern is lower case; a NUL in @type ends the loop as a mismatch. */
  for (gsize i = 0; i < length; i++)
    {
      char c = type[i];

      if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != HEARTBEAT_TYPE[i])
        return FALSE;
    }
  return type[length] == '\0' || type[length] == ';' || type[length] == ' ' || type[length] == '\t';
}

static gboolean
uri_matches (MsrpSession *self, const MsrpUri *a, const MsrpUri *b)
{
  if (self->matching == MSRP_SESSION_MATCHING_STRICT)
    return msrp_uri_equal (a, b);
  return g_strcmp0 (msrp_uri_get_session_id (a), msrp_uri_get_session_id (b)) == 0;
}

static MsrpUri *
path_last (GPtrArray *path)
{
  return path != NULL && path->len > 0 ? path->pdata[path->len - 1] : NULL;
}

static void
forget_matched (MsrpSession *self)
{
  g_clear_pointer (&self->matched_to, msrp_uri_unref);
  g_clear_pointer (&self->matched_from, msrp_uri_unref);
}

static void
set_remote_path (MsrpSession *self, GPtrArray *remote_path)
{
  g_autoptr(GPtrArray) to_path = NULL;

  forget_matched (self);
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  g_clear_pointer (&self->to_path, g_free);
  self->via_relay = FALSE;
  if (remote_path == NULL)
    return;
  /* A copy: the caller's array need not own its URIs (one a language
   * binding made for a call does not), and nothing else holds them. */
  self->remote_path = msrp_path_copy (remote_path);
  to_path = g_ptr_array_new ();
  for (guint i = 0; i + 1 < self->local_path->len; i++)
    g_ptr_array_add (to_path, self->local_path->pdata[i]);
  for (guint i = 0; i < remote_path->len; i++)
    g_ptr_array_add (to_path, remote_path->pdata[i]);
  self->to_path = msrp_path_to_string (to_path);
  self->via_relay = to_path->len > 1;
}

/* The peer's path as learned from the From-Path of its request: the relays
 * of our own local path that the request came through (RFC 4976: each
 * relay puts itself first) are not the peer's, and set_remote_path() puts
 * them in front again. */
static GPtrArray *
learned_remote_path (MsrpSession *self, GPtrArray *from_path)
{
  GPtrArray *path = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_uri_unref);
  guint skip = 0;

  while (skip + 1 < self->local_path->len && skip + 1 < from_path->len &&
         msrp_uri_equal (self->local_path->pdata[skip], from_path->pdata[skip]))
    skip++;
  for (guint i = skip; i < from_path->len; i++)
    g_ptr_array_add (path, msrp_uri_ref (from_path->pdata[i]));
  return path;
}

static gboolean
request_matches (MsrpSession *self, MsrpFrame *head)
{
  if (!msrp_session_matches_request (self, head))
    return FALSE;
  if (self->remote_path == NULL)
    {
      /* Learn the peer from its first request (MsrpServer sessions made
       * before the peer's path was known). */
      g_autoptr(GPtrArray) from = learned_remote_path (self, msrp_frame_peek_path (head, MSRP_PATH_FROM));

      set_remote_path (self, from);
      self->learned = self->pending;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_PATH]);
      /* Messages sent before may go now. */
      pump (self);
    }
  return TRUE;
}

static void
clear_current (Link *link)
{
  if (link->cur_in != NULL)
    incoming_keep (link->session, link->cur_in);
  g_clear_pointer (&link->cur_in, incoming_unref);
  link->cur_status = MSRP_STATUS_OK;
  link->cur_received = 0;
}

/* The first chunk of a message we have no record of. */
static guint
incoming_begin (MsrpSession *self, Link *link, MsrpFrame *head, const char *id, gint64 end,
                gint64 total)
{
  const char *type = msrp_frame_get_content_type (head);
  Incoming *in;
  gboolean ok;

  /* The transport refuses a body without Content-Type, so a new message
   * without one is a bodiless SEND, which binds or keeps alive. */
  if (type == NULL || is_heartbeat_type (type))
    return MSRP_STATUS_OK;
  if (!msrp_session_accepts_type (self, type))
    {
      recent_add (self, id, 415);
      return 415;
    }
  if (self->max_size > 0 && (total > (gint64) self->max_size || end > (gint64) self->max_size))
    {
      recent_add (self, id, 413);
      return 413;
    }
  if (g_hash_table_size (self->incoming) >= self->max_incomplete)
    {
      g_debug ("session %s: more than %u incomplete messages, refusing %s",
               self->session_id, self->max_incomplete, id);
      recent_add (self, id, 413);
      return 413;
    }

  if (self->spare != NULL)
    {
      in = g_steal_pointer (&self->spare);
      msrp_incoming_message_set_up (in->message, id, type, total,
                                    msrp_frame_peek_path (head, MSRP_PATH_FROM));
    }
  else
    {
      in = g_new0 (Incoming, 1);
      in->message = msrp_incoming_message_new (id, type, total,
                                               msrp_frame_peek_path (head, MSRP_PATH_FROM));
    }
  g_ref_count_init (&in->ref);
  in->total = total;
  in->next = 1;
  in->first = msrp_frame_ref (head);
  in->id = msrp_incoming_message_get_message_id (in->message);
  in->success_report = msrp_frame_get_success_report (head) == MSRP_REPORT_YES;
  in->failure_report = msrp_frame_get_failure_report (head);
  g_queue_init (&in->writes);
  link->cur_in = in;

  incoming_ref (in);
  ok = incoming_announce (self, in);
  incoming_unref (in);
  return ok ? MSRP_STATUS_OK : 413;
}

/* The message @id under way: waiting for more chunks, or in a chunk on
 * some connection. */
static Incoming *
find_incoming (MsrpSession *self, const char *id)
{
  Incoming *in = NULL;

  if (g_hash_table_size (self->incoming) > 0)
    in = g_hash_table_lookup (self->incoming, id);
  if (in == NULL && self->link != NULL && self->link->cur_in != NULL &&
      strcmp (self->link->cur_in->id, id) == 0)
    in = self->link->cur_in;
  for (GList *l = self->old_links; in == NULL && l != NULL; l = l->next)
    {
      Link *link = l->data;

      if (link->cur_in != NULL && strcmp (link->cur_in->id, id) == 0)
        in = link->cur_in;
    }
  return in;
}

static guint
handle_send_head (MsrpSession *self, Link *link, MsrpFrame *head)
{
  const char *id = msrp_frame_get_message_id (head);
  gint64 start = 1, end = -1, total = -1;
  Incoming *in;
  guint status;

  /* The transport validated Message-ID and Byte-Range (RFC 4975 rules). */
  if (id == NULL || !msrp_frame_get_byte_range (head, &start, &end, &total, NULL))
    return 400;

  in = find_incoming (self, id);
  if (in == NULL)
    {
      status = recent_lookup (self, id);
      if (status != 0)
        return status;
      status = incoming_begin (self, link, head, id, end, total);
      if (status != MSRP_STATUS_OK || link->cur_in == NULL)
        return status;
      in = link->cur_in;
    }
  else
    {
      if (in->complete)
        return MSRP_STATUS_OK;  /* a re-sent chunk while the output drains */
      if (total >= 0 && in->total >= 0 && total != in->total)
        {
          incoming_fail (self, in, 400, FALSE,
                         g_error_new (MSRP_ERROR, MSRP_ERROR_BAD_REQUEST,
                                      "Chunks of message %s disagree on its size", id));
          return 400;
        }
      if (self->max_size > 0 && end > (gint64) self->max_size)
        {
          incoming_fail (self, in, 413, FALSE,
                         g_error_new (MSRP_ERROR, MSRP_ERROR_STOP_SENDING,
                                      "Message %s grew beyond max-size", id));
          return 413;
        }
      if (total >= 0 && in->total < 0)
        {
          if (self->max_size > 0 && total > (gint64) self->max_size)
            {
              incoming_fail (self, in, 413, FALSE,
                             g_error_new (MSRP_ERROR, MSRP_ERROR_STOP_SENDING,
                                          "Message %s is larger than max-size", id));
              return 413;
            }
          in->total = total;
          msrp_incoming_message_set_size (in->message, total);
        }
      link->cur_in = incoming_ref (in);
    }

  if (msrp_frame_get_success_report (head) == MSRP_REPORT_YES)
    in->success_report = TRUE;
  in->failure_report = msrp_frame_get_failure_report (head);
  link->cur_start = start;
  link->cur_end = end;
  return MSRP_STATUS_OK;
}

static void release_reading (MsrpSession *self);
static void restart_keepalive (MsrpSession *self);

static void
link_free (Link *link)
{
  msrp_transport_unbind_endpoint (link->transport, link->session->session_id);
  clear_current (link);
  g_object_unref (link->transport);
  g_free (link);
}

/* A provisional attachment ends: the session is unattached again. */
static void
attach_rollback (MsrpSession *self)
{
  release_reading (self);
  g_clear_pointer (&self->link, link_free);
  g_clear_object (&self->transport);
  self->bound = FALSE;
  self->pending = FALSE;
  if (self->learned)
    {
      self->learned = FALSE;
      set_remote_path (self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_PATH]);
    }
}

/* A provisional attachment holds: the first request was accepted. */
static void
attach_commit (MsrpSession *self)
{
  self->pending = FALSE;
  self->learned = FALSE;
  restart_keepalive (self);
  update_read_hold (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TRANSPORT]);
  pump (self);
}

static guint
endpoint_request_head (gpointer owner, MsrpTransport *transport, MsrpFrame *head)
{
  Link *link = owner;
  MsrpSession *self = link->session;
  guint status = MSRP_STATUS_OK;

  clear_current (link);
  /* Handlers run from here may drop the application's last reference. */
  g_object_ref (self);
  if (!request_matches (self, head))
    status = 481;
  else if (msrp_frame_get_method (head) == MSRP_METHOD_REPORT)
    {
      const char *id = msrp_frame_get_message_id (head);
      SendOp *op = id ? find_send (self, id) : NULL;

      /* A REPORT for a message we are not waiting on is ignored (§7.1.2). */
      if (op != NULL)
        {
          send_op_ref (op);
          send_op_take_report (op, head);
          send_op_unref (op);
        }
    }
  else
    status = handle_send_head (self, link, head);
  if (status != MSRP_STATUS_OK)
    {
      clear_current (link);
      if (self->pending && link == self->link)
        attach_rollback (self);
    }
  g_object_unref (self);
  return status;
}

static void receive_data (MsrpSession *self, Link *link, Incoming *in, guint64 start,
                          guint64 last, GBytes *data);

static void
endpoint_request_body (gpointer owner, MsrpTransport *transport, MsrpFrame *head, GBytes *data)
{
  Link *link = owner;
  MsrpSession *self = link->session;
  gsize size = g_bytes_get_size (data);
  guint64 start = link->cur_start + link->cur_received;
  guint64 last = start + size - 1;
  Incoming *in;

  link->cur_received += size;
  if (link->cur_in == NULL || size == 0)
    return;
  g_object_ref (self);
  in = incoming_ref (link->cur_in);
  receive_data (self, link, in, start, last, data);
  incoming_unref (in);
  g_object_unref (self);
}

static void
receive_data (MsrpSession *self, Link *link, Incoming *in, guint64 start, guint64 last,
              GBytes *data)
{
  if ((link->cur_end >= 0 && last > (guint64) link->cur_end) ||
      (in->total >= 0 && last > (guint64) in->total))
    {
      incoming_fail (self, in, 400, FALSE,
                     g_error_new (MSRP_ERROR, MSRP_ERROR_BAD_REQUEST,
                                  "A chunk of message %s carries more than its Byte-Range",
                                  in->id));
      return;
    }
  if (self->max_size > 0 && last > self->max_size)
    {
      incoming_fail (self, in, 413, FALSE,
                     g_error_new (MSRP_ERROR, MSRP_ERROR_STOP_SENDING,
                                  "Message %s grew beyond max-size", in->id));
      return;
    }
  if (!incoming_add (self, in, start, data))
    {
      incoming_fail (self, in, 413, FALSE,
                     g_error_new (MSRP_ERROR, MSRP_ERROR_STOP_SENDING,
                                  "Too much of incomplete messages held in memory"));
      return;
    }
  /* Held pieces are all beyond @next: this counts each byte once. */
  msrp_incoming_message_set_bytes_received (in->message, in->next - 1 + in->segment_bytes);
}

static guint
endpoint_request_end (gpointer owner, MsrpTransport *transport, MsrpFrame *head,
                      MsrpContinuation flag)
{
  Link *link = owner;
  MsrpSession *self = g_object_ref (link->session);
  Incoming *in = g_steal_pointer (&link->cur_in);
  guint status = link->cur_status;
  gint64 chunk_end = link->cur_start + link->cur_received - 1;

  clear_current (link);
  if (in == NULL || in->failed)
    goto out;

  if (flag == MSRP_CONTINUATION_ABORT)
    {
      incoming_fail (self, in, MSRP_STATUS_OK, FALSE,
                     g_error_new (MSRP_ERROR, MSRP_ERROR_ABORTED,
                                  "The sender aborted message %s", in->id));
      goto out;
    }
  /* An end flag is trusted only where Byte-Range does not say otherwise
   * (old msrp-java flags intermediate chunks `$`). */
  if (flag == MSRP_CONTINUATION_COMPLETE && in->total < 0)
    {
      if (chunk_end < (gint64) in->next - 1)
        {
          incoming_fail (self, in, 400, FALSE,
                         g_error_new (MSRP_ERROR, MSRP_ERROR_BAD_REQUEST,
                                      "Message %s ends before bytes it already sent", in->id));
          status = 400;
          goto out;
        }
      in->total = chunk_end;
      msrp_incoming_message_set_size (in->message, in->total);
    }
  in->answered = TRUE;
  if (in->total >= 0 && in->next > (guint64) in->total && !in->complete)
    incoming_complete (self, in);

out:
  if (in != NULL)
    {
      incoming_keep (self, in);
      incoming_release (self, in);
    }
  if (self->pending && link == self->link && !self->closed)
    {
      if (status == MSRP_STATUS_OK)
        attach_commit (self);
      else
        attach_rollback (self);
    }
  g_object_unref (self);
  return status;
}

/* --- Lifetime -------------------------------------------------------------- */

static void
fail_everything (MsrpSession *self, const GError *error)
{
  GList *ops, *ins;

  g_object_ref (self);
  if (self->link != NULL)
    clear_current (self->link);
  g_list_foreach (self->old_links, (GFunc) clear_current, NULL);
  /* Finishing one may run code that finishes others: hold them all. */
  ops = msrp_id_table_get_entries (&self->sends, G_STRUCT_OFFSET (SendOp, id_link));
  for (GList *l = ops; l != NULL; l = l->next)
    send_op_ref (l->data);
  for (GList *l = ops; l != NULL; l = l->next)
    send_op_finish (l->data, g_error_copy (error));
  g_list_free_full (ops, (GDestroyNotify) send_op_unref);

  /* A message whose every byte arrived is only waiting for the
   * application's output stream: it goes on and is delivered. */
  ins = g_hash_table_get_values (self->incoming);
  for (GList *l = ins; l != NULL; l = l->next)
    incoming_ref (l->data);
  /* A message that arrived whole was answered 200 all through: the sender
   * counts it delivered, so its writes to the output stream go on and
   * message-received follows them. */
  for (GList *l = ins; l != NULL; l = l->next)
    if (!((Incoming *) l->data)->complete)
      incoming_fail (self, l->data, 0, FALSE, g_error_copy (error));
  g_list_free_full (ins, (GDestroyNotify) incoming_unref);
  g_object_unref (self);
}

static void
stop_keepalive (MsrpSession *self)
{
  msrp_source_clear (&self->keepalive_source);
}

static void
release_reading (MsrpSession *self)
{
  if (self->reading_held && self->transport != NULL)
    {
      self->reading_held = FALSE;
      msrp_transport_release_reading (self->transport);
    }
  if (self->app_hold_applied && self->transport != NULL)
    {
      self->app_hold_applied = FALSE;
      msrp_transport_release_reading (self->transport);
    }
}

/* Marks the session closed and emits ::closed once. */
static void
session_end (MsrpSession *self, const GError *reason, const GError *signal_error)
{
  if (self->closed)
    return;
  self->closed = TRUE;
  g_object_ref (self);
  stop_keepalive (self);
  fail_everything (self, reason);
  release_reading (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, signal_error);
  g_object_unref (self);
}

static void
endpoint_closed (gpointer owner, MsrpTransport *transport, const GError *error)
{
  Link *link = owner;
  MsrpSession *self = link->session;
  g_autoptr(GError) reason = NULL;

  if (link != self->link)
    {
      /* A connection the session had left. */
      self->old_links = g_list_remove (self->old_links, link);
      link_free (link);
      return;
    }
  /* The transport unbound every endpoint. */
  self->bound = FALSE;
  if (self->pending)
    {
      attach_rollback (self);
      return;
    }
  reason = error ? g_error_copy (error)
                 : g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED, "The connection was closed");
  session_end (self, reason, error);
}

static void
endpoint_writable (gpointer owner, MsrpTransport *transport)
{
  Link *link = owner;

  if (link == link->session->link)
    pump (link->session);
}

/* A failure response to a chunk sent with Failure-Report: partial, which
 * the transport no longer waited for. */
static void
endpoint_send_failed (gpointer owner, MsrpTransport *transport, const char *message_id,
                      const GError *error)
{
  Link *link = owner;
  MsrpSession *self = link->session;
  SendOp *op = find_send (self, message_id);

  if (op == NULL)
    {
      g_debug ("session %s: message %s failed after its send was over: %s", self->session_id,
               message_id, error->message);
      return;
    }
  g_object_ref (self);
  send_op_ref (op);
  send_op_finish (op, g_error_copy (error));
  send_op_unref (op);
  g_object_unref (self);
}

static const MsrpEndpointVTable endpoint_vtable = {
  endpoint_request_head,
  endpoint_request_body,
  endpoint_request_end,
  endpoint_closed,
  endpoint_writable,
  endpoint_send_failed,
};

static gboolean
keepalive_tick (gpointer user_data)
{
  MsrpSession *self = user_data;

  if (self->keepalive_op != NULL || self->closed || !can_send (self))
    return G_SOURCE_CONTINUE;
  self->keepalive_op = send_op_new_bytes (self, NULL, NULL, NULL);
  send_op_start (self, self->keepalive_op, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
restart_keepalive (MsrpSession *self)
{
  stop_keepalive (self);
  if (self->keepalive_interval == 0 || self->closed)
    return;
  self->keepalive_source = g_timeout_source_new_seconds (self->keepalive_interval);
  g_source_set_callback (self->keepalive_source, keepalive_tick, self, NULL);
  g_source_attach (self->keepalive_source, self->context);
}

static void
msrp_session_init (MsrpSession *self)
{
  static const char * const any[] = { "*", NULL };

  self->context = g_main_context_ref_thread_default ();
  self->chunk_size = MSRP_SESSION_DEFAULT_CHUNK_SIZE;
  self->accept_types = g_strdupv ((char **) any);
  self->interleave = TRUE;
  self->report_timeout = MSRP_SESSION_DEFAULT_REPORT_TIMEOUT;
  self->max_incomplete = MSRP_SESSION_DEFAULT_MAX_INCOMPLETE;
  self->max_buffered = MSRP_SESSION_DEFAULT_MAX_BUFFERED;
  self->owns_transport = TRUE;
  self->incoming = g_hash_table_new_full (msrp_id_hash, g_str_equal, NULL,
                                          (GDestroyNotify) incoming_unref);
  g_queue_init (&self->sending);
  self->cancellable = g_cancellable_new ();
}

static void
msrp_session_dispose (GObject *object)
{
  MsrpSession *self = MSRP_SESSION (object);

  stop_keepalive (self);
  g_cancellable_cancel (self->cancellable);
  release_reading (self);
  g_clear_pointer (&self->link, link_free);
  self->bound = FALSE;
  g_list_free_full (g_steal_pointer (&self->old_links), (GDestroyNotify) link_free);
  g_hash_table_remove_all (self->incoming);

  G_OBJECT_CLASS (msrp_session_parent_class)->dispose (object);
}

static void
msrp_session_finalize (GObject *object)
{
  MsrpSession *self = MSRP_SESSION (object);

  /* Every send holds a reference on the session until it finishes. */
  g_assert (self->sends.size == 0);
  msrp_id_table_clear (&self->sends);
  g_assert (self->update_task == NULL);
  g_clear_object (&self->connector);
  g_hash_table_unref (self->incoming);
  g_clear_pointer (&self->recent, recent_free);
  g_clear_pointer (&self->spare, incoming_free);
  forget_matched (self);
  g_clear_object (&self->transport);
  g_clear_pointer (&self->local_path, g_ptr_array_unref);
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  g_free (self->to_path);
  g_free (self->from_path);
  g_clear_pointer (&self->bytes_content_type, g_ref_string_release);
  g_free (self->session_id);
  g_strfreev (self->accept_types);
  g_object_unref (self->cancellable);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (msrp_session_parent_class)->finalize (object);
}

static void
msrp_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MsrpSession *self = MSRP_SESSION (object);

  switch (prop_id)
    {
    case PROP_TRANSPORT:
      g_value_set_object (value, msrp_session_get_transport (self));
      break;
    case PROP_LOCAL_PATH:
      g_value_set_boxed (value, self->local_path);
      break;
    case PROP_REMOTE_PATH:
      g_value_set_boxed (value, self->remote_path);
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint (value, self->chunk_size);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;
    case PROP_ACCEPT_TYPES:
      g_value_set_boxed (value, self->accept_types);
      break;
    case PROP_INTERLEAVE:
      g_value_set_boolean (value, self->interleave);
      break;
    case PROP_REPORT_TIMEOUT:
      g_value_set_uint (value, self->report_timeout);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    case PROP_MATCHING:
      g_value_set_enum (value, self->matching);
      break;
    case PROP_MAX_INCOMPLETE:
      g_value_set_uint (value, self->max_incomplete);
      break;
    case PROP_MAX_BUFFERED:
      g_value_set_uint64 (value, self->max_buffered);
      break;
    case PROP_OWNS_TRANSPORT:
      g_value_set_boolean (value, self->owns_transport);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MsrpSession *self = MSRP_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOCAL_PATH:
      self->local_path = msrp_path_copy (g_value_get_boxed (value));
      break;
    case PROP_REMOTE_PATH:
      self->remote_path = msrp_path_copy (g_value_get_boxed (value));
      break;
    case PROP_CHUNK_SIZE:
      msrp_session_set_chunk_size (self, g_value_get_uint (value));
      break;
    case PROP_MAX_SIZE:
      msrp_session_set_max_size (self, g_value_get_uint64 (value));
      break;
    case PROP_ACCEPT_TYPES:
      msrp_session_set_accept_types (self, g_value_get_boxed (value));
      break;
    case PROP_INTERLEAVE:
      msrp_session_set_interleave (self, g_value_get_boolean (value));
      break;
    case PROP_REPORT_TIMEOUT:
      msrp_session_set_report_timeout (self, g_value_get_uint (value));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      msrp_session_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    case PROP_MATCHING:
      msrp_session_set_matching (self, g_value_get_enum (value));
      break;
    case PROP_MAX_INCOMPLETE:
      msrp_session_set_max_incomplete (self, g_value_get_uint (value));
      break;
    case PROP_MAX_BUFFERED:
      msrp_session_set_max_buffered (self, g_value_get_uint64 (value));
      break;
    case PROP_OWNS_TRANSPORT:
      self->owns_transport = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_session_constructed (GObject *object)
{
  MsrpSession *self = MSRP_SESSION (object);
  MsrpUri *local;

  G_OBJECT_CLASS (msrp_session_parent_class)->constructed (object);

  g_return_if_fail (self->local_path != NULL && self->local_path->len > 0);
  local = path_last (self->local_path);
  self->session_id = g_strdup (msrp_uri_get_session_id (local));
  self->from_path = msrp_uri_to_string (local);
  if (self->remote_path != NULL)
    {
      g_autoptr(GPtrArray) remote = g_ptr_array_ref (self->remote_path);
      set_remote_path (self, remote);
    }
}

/* g_cclosure_marshal_VOID__OBJECTv() without its reference on the
 * message, for incoming-message and message-received: the session holds
 * the message through their emissions, which come with every message. */
static void
marshal_message_v (GClosure *closure,
                   GValue   *return_value,
                   gpointer  instance,
                   va_list   args,
                   gpointer  marshal_data,
                   int       n_params,
                   GType    *param_types)
{
  typedef void (*MessageFunc) (gpointer data1, gpointer message, gpointer data2);
  GCClosure *cc = (GCClosure *) closure;
  MessageFunc callback = (MessageFunc) (marshal_data ? marshal_data : cc->callback);
  gpointer message;
  va_list args_copy;

  G_VA_COPY (args_copy, args);
  message = va_arg (args_copy, gpointer);
  va_end (args_copy);
  if (G_CCLOSURE_SWAP_DATA (closure))
    callback (closure->data, message, instance);
  else
    callback (instance, message, closure->data);
}

static void
msrp_session_class_init (MsrpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msrp_session_constructed;
  object_class->dispose = msrp_session_dispose;
  object_class->finalize = msrp_session_finalize;
  object_class->get_property = msrp_session_get_property;
  object_class->set_property = msrp_session_set_property;

  /**
   * MsrpSession:transport:
   *
   * The connection the session runs on, %NULL while it has none: a
   * session made without a transport gets one from an #MsrpServer or an
   * #MsrpConnector, and msrp_session_update_remote_path_async() may move it
   * to another. Notified when it changes.
   */
  props[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, MSRP_TYPE_TRANSPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:local-path: (type GLib.PtrArray(Msrp.Uri))
   *
   * The local path as advertised in SDP `a=path`: the relays that reach
   * this endpoint, then its own URI, whose session-id names the session.
   */
  props[PROP_LOCAL_PATH] =
    g_param_spec_boxed ("local-path", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:remote-path: (type GLib.PtrArray(Msrp.Uri))
   *
   * The peer's path (its `a=path`). When the session was made without
   * one, it is learned from the From-Path of the first request that
   * matches the session and notified.
   */
  props[PROP_REMOTE_PATH] =
    g_param_spec_boxed ("remote-path", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:chunk-size:
   *
   * The largest body of one SEND, in bytes. 0 never splits a message given
   * as bytes (for peers that cannot reassemble, such as FreeSWITCH); stream
   * bodies are then sent in chunks of %MSRP_SESSION_STREAM_CHUNK_SIZE.
   * When a relay is in the path (a local or remote path of more than one
   * URI), chunks never exceed %MSRP_SESSION_RELAY_MAX_CHUNK_SIZE, whatever
   * this says. Applies to messages sent after the change.
   */
  props[PROP_CHUNK_SIZE] =
    g_param_spec_uint ("chunk-size", NULL, NULL, 0, G_MAXINT32, MSRP_SESSION_DEFAULT_CHUNK_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:max-size:
   *
   * The largest incoming message in bytes (SDP `a=max-size`), 0 for no
   * limit. Larger messages are refused with 413.
   */
  props[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL, 0, G_MAXINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:accept-types:
   *
   * The content types accepted from the peer (SDP `a=accept-types`):
   * exact types, wildcard subtypes (such as text/&ast;) or &ast; alone;
   * compared without case and without parameters. Others are refused with 415. Defaults to `*`.
   */
  props[PROP_ACCEPT_TYPES] =
    g_param_spec_boxed ("accept-types", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:interleave:
   *
   * Whether chunks of several messages in flight are interleaved. %FALSE
   * sends one message after the other, for peers that reassemble in
   * arrival order.
   */
  props[PROP_INTERLEAVE] =
    g_param_spec_boolean ("interleave", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:report-timeout:
   *
   * Seconds a send waits, after its last chunk was answered, for the
   * success REPORT it asked for before it fails with %MSRP_ERROR_TIMEOUT.
   */
  props[PROP_REPORT_TIMEOUT] =
    g_param_spec_uint ("report-timeout", NULL, NULL, 1, G_MAXUINT32 / 1000,
                       MSRP_SESSION_DEFAULT_REPORT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:keepalive-interval:
   *
   * Seconds between the bodiless SENDs that keep the connection alive
   * through NATs and relays, 0 (the default) for none. The first goes out
   * one interval after the property is set.
   */
  props[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, G_MAXUINT32 / 1000, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:matching:
   *
   * How requests are matched to the session.
   */
  props[PROP_MATCHING] =
    g_param_spec_enum ("matching", NULL, NULL, MSRP_TYPE_SESSION_MATCHING,
                       MSRP_SESSION_MATCHING_STRICT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:max-incomplete:
   *
   * The most incoming messages that may be incomplete at once; the first
   * chunk of one more is refused with 413.
   */
  props[PROP_MAX_INCOMPLETE] =
    g_param_spec_uint ("max-incomplete", NULL, NULL, 1, G_MAXUINT, MSRP_SESSION_DEFAULT_MAX_INCOMPLETE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:max-buffered:
   *
   * The most bytes of incomplete incoming messages held in memory: bodies
   * collected in memory and chunks waiting for the ones before them, 0 for
   * no limit. A chunk that would go beyond is answered 413 and its message
   * fails; stream a big message with
   * msrp_incoming_message_set_output_stream() instead.
   */
  props[PROP_MAX_BUFFERED] =
    g_param_spec_uint64 ("max-buffered", NULL, NULL, 0, G_MAXUINT64, MSRP_SESSION_DEFAULT_MAX_BUFFERED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MsrpSession:owns-transport:
   *
   * Whether msrp_session_close_async() closes the transport too. Set it to
   * %FALSE when other sessions share the connection (an #MsrpServer).
   */
  props[PROP_OWNS_TRANSPORT] =
    g_param_spec_boolean ("owns-transport", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * MsrpSession::incoming-message:
   * @session: the session
   * @message: the message that started to arrive
   *
   * The first chunk of a message arrived. A handler may call
   * msrp_incoming_message_set_output_stream() to stream its body, or
   * msrp_session_abort_incoming() to refuse it; otherwise the body is
   * collected in memory. Exactly one of
   * [signal@Msrp.Session::message-received] and
   * [signal@Msrp.Session::message-failed] follows.
   */
  signals[SIGNAL_INCOMING_MESSAGE] =
    g_signal_new ("incoming-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1,
                  MSRP_TYPE_INCOMING_MESSAGE);
  g_signal_set_va_marshaller (signals[SIGNAL_INCOMING_MESSAGE], G_TYPE_FROM_CLASS (klass),
                              marshal_message_v);
  /**
   * MsrpSession::message-received:
   * @session: the session
   * @message: the complete message
   *
   * All of a message arrived (and, when streamed, was written and
   * flushed). msrp_incoming_message_get_bytes() gives a body collected in
   * memory.
   */
  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, g_cclosure_marshal_VOID__OBJECT, G_TYPE_NONE, 1,
                  MSRP_TYPE_INCOMING_MESSAGE);
  g_signal_set_va_marshaller (signals[SIGNAL_MESSAGE_RECEIVED], G_TYPE_FROM_CLASS (klass),
                              marshal_message_v);
  /**
   * MsrpSession::message-failed:
   * @session: the session
   * @message: the message that will not complete
   * @error: why: %MSRP_ERROR_ABORTED when the sender aborted it,
   *   %MSRP_ERROR_CLOSED (or the connection's error) when the connection
   *   ended first, %MSRP_ERROR_STOP_SENDING when a limit refused it,
   *   %MSRP_ERROR_BAD_REQUEST when its chunks contradict each other,
   *   %G_IO_ERROR_CANCELLED after msrp_session_abort_incoming(), or the
   *   error of its output stream
   *
   * An announced message failed; what arrived of it is dropped.
   */
  signals[SIGNAL_MESSAGE_FAILED] =
    g_signal_new ("message-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, MSRP_TYPE_INCOMING_MESSAGE, G_TYPE_ERROR);
  /**
   * MsrpSession::closed:
   * @session: the session
   * @error: (nullable): why the connection ended, %NULL when it was closed
   *   cleanly (by either side) or by msrp_session_close_async()
   *
   * The session ended. Pending sends have failed and incomplete incoming
   * messages were reported with [signal@Msrp.Session::message-failed]
   * before this is emitted. A message that arrived whole but is still
   * being written to its output stream is not failed:
   * [signal@Msrp.Session::message-received] follows once it is written.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

/**
 * msrp_session_new:
 * @transport: (nullable): the connection to run on, or %NULL for a session
 *   that waits for one
 * @local_path: (element-type MsrpUri): the local path; the session-id of its
 *   last URI names the session on @transport
 * @remote_path: (nullable) (element-type MsrpUri): the peer's path, or %NULL
 *   to learn it from the first request
 * @error: return location for a #GError
 *
 * Makes a session and binds it on @transport, which then hands it the
 * requests whose To-Path carries its session-id. The session keeps a
 * reference on @transport.
 *
 * A session made without a transport is not connected yet: messages sent
 * on it wait in its queue until an #MsrpServer or an #MsrpConnector gives it
 * a connection (see [property@Msrp.Session:transport]), and fail if the
 * session is closed first. Applications usually get such sessions from
 * msrp_server_add_session() or msrp_connector_complete_async() rather than
 * from here. Likewise, messages sent before the peer's path is known wait
 * until its first request tells it.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL with @error
 *   set (%MSRP_ERROR_CLOSED when @transport is closed, %G_IO_ERROR_EXISTS
 *   when a session with the same session-id is bound on it)
 */
MsrpSession *
msrp_session_new (MsrpTransport  *transport,
                  GPtrArray      *local_path,
                  GPtrArray      *remote_path,
                  GError        **error)
{
  g_autoptr(MsrpSession) self = NULL;

  g_return_val_if_fail (transport == NULL || MSRP_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (local_path != NULL && local_path->len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (msrp_uri_get_session_id (path_last (local_path)) != NULL, NULL);

  self = g_object_new (MSRP_TYPE_SESSION,
                       "local-path", local_path,
                       "remote-path", remote_path,
                       NULL);
  if (transport != NULL && !msrp_session_attach (self, transport, FALSE, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * msrp_session_get_transport:
 * @session: a #MsrpSession
 *
 * Gets the transport of @session.
 *
 * Returns: (transfer none) (nullable): the transport @session runs on,
 *   %NULL while it has none
 */
MsrpTransport *
msrp_session_get_transport (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->pending ? NULL : session->transport;
}

/**
 * msrp_session_get_local_path:
 * @session: a #MsrpSession
 *
 * Gets the local path of @session.
 *
 * Returns: (transfer none) (element-type MsrpUri): the local path
 */
GPtrArray *
msrp_session_get_local_path (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->local_path;
}

/**
 * msrp_session_get_remote_path:
 * @session: a #MsrpSession
 *
 * Gets the remote path of @session.
 *
 * Returns: (transfer none) (nullable) (element-type MsrpUri): the peer's
 *   path, %NULL until it is known
 */
GPtrArray *
msrp_session_get_remote_path (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->remote_path;
}

/**
 * msrp_session_get_session_id:
 * @session: a #MsrpSession
 *
 * Gets the session id of @session.
 *
 * Returns: the session-id of the last URI of the local path
 */
const char *
msrp_session_get_session_id (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->session_id;
}

/**
 * msrp_session_get_chunk_size:
 * @session: a #MsrpSession
 *
 * Gets the chunk size of @session.
 *
 * Returns: [property@Msrp.Session:chunk-size]
 */
guint
msrp_session_get_chunk_size (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->chunk_size;
}

/**
 * msrp_session_set_chunk_size:
 * @session: a #MsrpSession
 * @chunk_size: the largest SEND body in bytes, 0 not to split
 *
 * Sets [property@Msrp.Session:chunk-size].
 */
void
msrp_session_set_chunk_size (MsrpSession *session,
                             guint        chunk_size)
{
  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (chunk_size <= G_MAXINT32);

  if (session->chunk_size == chunk_size)
    return;
  session->chunk_size = chunk_size;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_CHUNK_SIZE]);
}

/**
 * msrp_session_get_max_size:
 * @session: a #MsrpSession
 *
 * Gets the max size of @session.
 *
 * Returns: [property@Msrp.Session:max-size]
 */
guint64
msrp_session_get_max_size (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->max_size;
}

/**
 * msrp_session_set_max_size:
 * @session: a #MsrpSession
 * @max_size: the largest incoming message, 0 for no limit
 *
 * Sets [property@Msrp.Session:max-size].
 */
void
msrp_session_set_max_size (MsrpSession *session,
                           guint64      max_size)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  if (session->max_size == max_size)
    return;
  session->max_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_MAX_SIZE]);
}

/**
 * msrp_session_get_accept_types:
 * @session: a #MsrpSession
 *
 * Gets the accept types of @session.
 *
 * Returns: (transfer none) (array zero-terminated=1): the accepted content
 *   types
 */
const char * const *
msrp_session_get_accept_types (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return (const char * const *) session->accept_types;
}

/**
 * msrp_session_set_accept_types:
 * @session: a #MsrpSession
 * @types: (nullable) (array zero-terminated=1): the accepted content types;
 *   %NULL for `*`
 *
 * Sets [property@Msrp.Session:accept-types].
 */
void
msrp_session_set_accept_types (MsrpSession        *session,
                               const char * const *types)
{
  static const char * const any[] = { "*", NULL };

  g_return_if_fail (MSRP_IS_SESSION (session));

  if (types == NULL)
    types = any;
  if (g_strv_equal ((const char * const *) session->accept_types, types))
    return;
  g_strfreev (session->accept_types);
  session->accept_types = g_strdupv ((char **) types);
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_ACCEPT_TYPES]);
}

/**
 * msrp_session_accepts_type:
 * @session: a #MsrpSession
 * @content_type: a content type, possibly with parameters
 *
 * Checks @content_type against the session's accepted types.
 *
 * Returns: whether [property@Msrp.Session:accept-types] lets @content_type in
 */
gboolean
msrp_session_accepts_type (MsrpSession *session,
                           const char  *content_type)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (content_type != NULL, FALSE);

  for (guint i = 0; session->accept_types[i] != NULL; i++)
    if (type_matches (session->accept_types[i], content_type))
      return TRUE;
  return FALSE;
}

/**
 * msrp_session_get_interleave:
 * @session: a #MsrpSession
 *
 * Gets the interleave of @session.
 *
 * Returns: [property@Msrp.Session:interleave]
 */
gboolean
msrp_session_get_interleave (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  return session->interleave;
}

/**
 * msrp_session_set_interleave:
 * @session: a #MsrpSession
 * @interleave: whether to interleave messages in flight
 *
 * Sets [property@Msrp.Session:interleave].
 */
void
msrp_session_set_interleave (MsrpSession *session,
                             gboolean     interleave)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  interleave = !!interleave;
  if (session->interleave == interleave)
    return;
  session->interleave = interleave;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_INTERLEAVE]);
}

/**
 * msrp_session_get_report_timeout:
 * @session: a #MsrpSession
 *
 * Gets the report timeout of @session.
 *
 * Returns: [property@Msrp.Session:report-timeout] in seconds
 */
guint
msrp_session_get_report_timeout (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->report_timeout;
}

/**
 * msrp_session_set_report_timeout:
 * @session: a #MsrpSession
 * @seconds: how long to wait for a success REPORT (at least 1)
 *
 * Sets [property@Msrp.Session:report-timeout] for sends whose wait starts
 * after the change.
 */
void
msrp_session_set_report_timeout (MsrpSession *session,
                                 guint        seconds)
{
  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (seconds > 0);

  if (session->report_timeout == seconds)
    return;
  session->report_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_REPORT_TIMEOUT]);
}

/**
 * msrp_session_get_keepalive_interval:
 * @session: a #MsrpSession
 *
 * Gets the keepalive interval of @session.
 *
 * Returns: [property@Msrp.Session:keepalive-interval] in seconds
 */
guint
msrp_session_get_keepalive_interval (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->keepalive_interval;
}

/**
 * msrp_session_set_keepalive_interval:
 * @session: a #MsrpSession
 * @seconds: seconds between keepalive SENDs, 0 for none
 *
 * Sets [property@Msrp.Session:keepalive-interval].
 */
void
msrp_session_set_keepalive_interval (MsrpSession *session,
                                     guint        seconds)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  if (session->keepalive_interval == seconds)
    return;
  session->keepalive_interval = seconds;
  if (session->bound)
    restart_keepalive (session);
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_KEEPALIVE_INTERVAL]);
}

/**
 * msrp_session_get_matching:
 * @session: a #MsrpSession
 *
 * Gets the matching of @session.
 *
 * Returns: [property@Msrp.Session:matching]
 */
MsrpSessionMatching
msrp_session_get_matching (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), MSRP_SESSION_MATCHING_STRICT);
  return session->matching;
}

/**
 * msrp_session_set_matching:
 * @session: a #MsrpSession
 * @matching: how to match requests
 *
 * Sets [property@Msrp.Session:matching].
 */
void
msrp_session_set_matching (MsrpSession         *session,
                           MsrpSessionMatching  matching)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  if (session->matching == matching)
    return;
  session->matching = matching;
  forget_matched (session);
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_MATCHING]);
}

/**
 * msrp_session_get_max_incomplete:
 * @session: a #MsrpSession
 *
 * Gets the max incomplete of @session.
 *
 * Returns: [property@Msrp.Session:max-incomplete]
 */
guint
msrp_session_get_max_incomplete (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->max_incomplete;
}

/**
 * msrp_session_set_max_incomplete:
 * @session: a #MsrpSession
 * @max_incomplete: the most incomplete incoming messages (at least 1)
 *
 * Sets [property@Msrp.Session:max-incomplete].
 */
void
msrp_session_set_max_incomplete (MsrpSession *session,
                                 guint        max_incomplete)
{
  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (max_incomplete > 0);

  if (session->max_incomplete == max_incomplete)
    return;
  session->max_incomplete = max_incomplete;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_MAX_INCOMPLETE]);
}

/**
 * msrp_session_get_max_buffered:
 * @session: a #MsrpSession
 *
 * Gets the max buffered of @session.
 *
 * Returns: [property@Msrp.Session:max-buffered]
 */
guint64
msrp_session_get_max_buffered (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), 0);
  return session->max_buffered;
}

/**
 * msrp_session_set_max_buffered:
 * @session: a #MsrpSession
 * @max_buffered: the most bytes of incomplete messages in memory, 0 for
 *   no limit
 *
 * Sets [property@Msrp.Session:max-buffered].
 */
void
msrp_session_set_max_buffered (MsrpSession *session,
                               guint64      max_buffered)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  if (session->max_buffered == max_buffered)
    return;
  session->max_buffered = max_buffered;
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_MAX_BUFFERED]);
}

/* The task of a send, or NULL for a fire-and-forget one: neither
 * @callback nor @cancellable, nobody wants its result. */
static GTask *
send_task_new (MsrpSession         *self,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GTask *task;

  if (callback == NULL && cancellable == NULL)
    return NULL;
  task = g_task_new (self, cancellable, callback, user_data);
  /* The function: GLib 2.74's macro also names the task, a copy per send. */
  (g_task_set_source_tag) (task, source_tag);
  return task;
}

/**
 * msrp_session_send_async:
 * @session: a #MsrpSession
 * @message: the message to send; a message is sent once
 * @cancellable: (nullable): a #GCancellable to abort the send
 * @callback: (scope async) (nullable): called when the send is over
 * @user_data: data for @callback
 *
 * Sends @message to the peer, in chunks, interleaved with the other
 * messages in flight. The send is over when every chunk was answered and,
 * if @message asked for a success REPORT, that REPORT arrived. Cancelling
 * @cancellable while chunks are still to go ends the message on the wire
 * with `#` and fails the send with %G_IO_ERROR_CANCELLED.
 *
 * With neither @callback nor @cancellable the send is fire and forget
 * (nobody wants its result, as with other GIO calls): it costs less, and
 * its failure is only logged with g_debug(). A connection that fails still
 * shows in [signal@Msrp.Session::closed].
 */
void
msrp_session_send_async (MsrpSession         *session,
                         MsrpOutgoingMessage *message,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *content_type;

  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (MSRP_IS_OUTGOING_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = send_task_new (session, cancellable, callback, user_data, msrp_session_send_async);

  if (!msrp_outgoing_message_claim (message))
    {
      send_refuse (session, task,
                   g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                "Message %s was already sent",
                                msrp_outgoing_message_get_message_id (message)));
      return;
    }
  /* Chunks are formatted without the checks of msrp_frame_set_header(). */
  content_type = msrp_outgoing_message_get_content_type (message);
  if (content_type != NULL && !msrp_is_field_value (content_type))
    {
      send_refuse (session, task,
                   g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                "Content type of message %s is not a valid field value",
                                msrp_outgoing_message_get_message_id (message)));
      return;
    }
  if (send_may_start (session, task))
    send_op_launch (session, send_op_new (session, message, task), cancellable, FALSE);
}

/**
 * msrp_session_send_bytes_async:
 * @session: a #MsrpSession
 * @content_type: the MIME type of @body
 * @body: the body
 * @cancellable: (nullable): a #GCancellable to abort the send
 * @callback: (scope async) (nullable): called when the send is over
 * @user_data: data for @callback
 *
 * Sends @body as a message of type @content_type with the default reports
 * (no success REPORT, `Failure-Report: yes`), as msrp_session_send_async()
 * sends one made by msrp_outgoing_message_new_bytes(), without making that
 * object: the caller does not see its Message-ID or progress. Finish with
 * msrp_session_send_finish().
 *
 * With neither @callback nor @cancellable the send is fire and forget,
 * the cheapest way to send a message: its failure is only logged with
 * g_debug(); a connection that fails still shows in
 * [signal@Msrp.Session::closed].
 */
void
msrp_session_send_bytes_async (MsrpSession         *session,
                               const char          *content_type,
                               GBytes              *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean same_type;

  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (content_type != NULL && *content_type != '\0');
  /* The same as the last one sent: it went through the check already, and
   * the new send shares its copy. */
  same_type = session->bytes_content_type != NULL
              && strcmp (session->bytes_content_type, content_type) == 0;
  g_return_if_fail (same_type || msrp_is_field_value (content_type));
  g_return_if_fail (body != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = send_task_new (session, cancellable, callback, user_data, msrp_session_send_bytes_async);
  if (!send_may_start (session, task))
    return;
  if (!same_type)
    {
      g_clear_pointer (&session->bytes_content_type, g_ref_string_release);
      session->bytes_content_type = g_ref_string_new (content_type);
    }
  send_op_launch (session, send_op_new_bytes (session, session->bytes_content_type, body, task),
                  cancellable, FALSE);
}

/**
 * msrp_session_send_text_async:
 * @session: a #MsrpSession
 * @text: UTF-8 text
 * @cancellable: (nullable): a #GCancellable to abort the send
 * @callback: (scope async) (nullable): called when the send is over
 * @user_data: data for @callback
 *
 * Sends @text as a `text/plain;charset=UTF-8` message with the default
 * reports (no success REPORT). Finish with msrp_session_send_finish().
 *
 * With neither @callback nor @cancellable the send is fire and forget, as
 * with msrp_session_send_async(): its failure is only logged with
 * g_debug().
 */
void
msrp_session_send_text_async (MsrpSession         *session,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (text != NULL);

  body = g_bytes_new (text, strlen (text));
  msrp_session_send_bytes_async (session, "text/plain;charset=UTF-8", body, cancellable, callback,
                                 user_data);
}

/**
 * msrp_session_send_finish:
 * @session: a #MsrpSession
 * @result: the #GAsyncResult of msrp_session_send_async(),
 *   msrp_session_send_bytes_async() or msrp_session_send_text_async()
 * @error: return location for a #GError
 *
 * Errors: a failure status from the peer or a relay (as
 * msrp_error_new_from_status() makes it, such as %MSRP_ERROR_STOP_SENDING
 * or %MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE), a failure REPORT likewise,
 * %MSRP_ERROR_TIMEOUT when no response or success REPORT came in time,
 * %MSRP_ERROR_CLOSED (or the connection's own error) when the session
 * ended first, %G_IO_ERROR_CANCELLED, or the error of the body stream.
 *
 * Returns: %TRUE when the message was delivered
 */
gboolean
msrp_session_send_finish (MsrpSession   *session,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * msrp_session_abort_incoming:
 * @session: a #MsrpSession
 * @message: a message @session announced and has not finished
 *
 * Refuses the rest of @message: later chunks of it are answered 413, a
 * failure REPORT (413) tells the sender when it asked for those, and
 * [signal@Msrp.Session::message-failed] is emitted with
 * %G_IO_ERROR_CANCELLED. Does nothing when @message is already over.
 */
void
msrp_session_abort_incoming (MsrpSession         *session,
                             MsrpIncomingMessage *message)
{
  Incoming *in;

  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (MSRP_IS_INCOMING_MESSAGE (message));

  in = find_incoming (session, msrp_incoming_message_get_message_id (message));
  if (in == NULL || in->message != message || in->complete)
    return;
  incoming_fail (session, in, 413, TRUE,
                 g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                      "The message was aborted by the receiver"));
}

/**
 * msrp_session_hold_reading:
 * @session: a #MsrpSession
 *
 * Stops reading from the session's connection until
 * msrp_session_release_reading() was called as often as this. What was
 * already read is still delivered; TCP then slows the sender down, so an
 * application that cannot keep up with incoming messages (a GStreamer
 * source whose downstream is blocked) bounds its memory without refusing
 * anything. Other sessions on the same connection are held too. Holding a
 * closed session does nothing; a hold on a session without a connection
 * applies to the connection it gets.
 */
void
msrp_session_hold_reading (MsrpSession *session)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  session->app_holds++;
  apply_app_hold (session);
}

/**
 * msrp_session_release_reading:
 * @session: a #MsrpSession
 *
 * Undoes one msrp_session_hold_reading(); the last release resumes reading.
 */
void
msrp_session_release_reading (MsrpSession *session)
{
  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (session->app_holds > 0);

  if (--session->app_holds > 0 || !session->app_hold_applied)
    return;
  session->app_hold_applied = FALSE;
  msrp_transport_release_reading (session->transport);
}

/**
 * msrp_session_get_context:
 * @session: a #MsrpSession
 *
 * Gets the main context @session runs on: the thread-default context of
 * the thread that created it. Its signals are emitted there, and code on
 * other threads calls into @session through it (g_main_context_invoke()),
 * as the GStreamer elements do.
 *
 * Returns: (transfer none): the main context of @session
 */
GMainContext *
msrp_session_get_context (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->context;
}

/**
 * msrp_session_is_closed:
 * @session: a #MsrpSession
 *
 * Whether @session is closed.
 *
 * Returns: whether @session has ended (see [signal@Msrp.Session::closed])
 */
gboolean
msrp_session_is_closed (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), TRUE);
  return session->closed;
}

/* Lets go of the connections the session left, closing those it owns. */
static void
close_old_links (MsrpSession *self)
{
  GList *links = g_steal_pointer (&self->old_links);

  for (GList *l = links; l != NULL; l = l->next)
    {
      Link *link = l->data;

      if (self->owns_transport && !msrp_transport_is_closed (link->transport))
        msrp_transport_close_async (link->transport, NULL, NULL, NULL);
      link_free (link);
    }
  g_list_free (links);
}

static void
transport_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!msrp_transport_close_finish (MSRP_TRANSPORT (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * msrp_session_close_async:
 * @session: a #MsrpSession
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session is closed
 * @user_data: data for @callback
 *
 * Ends the session. It does not wait for pending sends: messages still
 * being sent are aborted on the wire (`#`) and every unfinished send fails
 * with %MSRP_ERROR_CLOSED, incomplete incoming messages fail likewise, and
 * [signal@Msrp.Session::closed] is emitted with no error. The session then
 * unbinds from the transport and, when
 * [property@Msrp.Session:owns-transport] is set (the default), closes it;
 * that close writes out what is already queued (the abort chunks
 * included) before the connection goes down. Closing a closed session
 * succeeds at once.
 */
void
msrp_session_close_async (MsrpSession         *session,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) reason = NULL;

  g_return_if_fail (MSRP_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_session_close_async);
  if (session->closed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  stop_keepalive (session);
  {
    GList *ops = msrp_id_table_get_entries (&session->sends, G_STRUCT_OFFSET (SendOp, id_link));
    for (GList *l = ops; l != NULL; l = l->next)
      send_op_abort_on_wire (l->data);
    g_list_free (ops);
  }
  reason = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED, "The session was closed");
  session_end (session, reason, NULL);
  if (session->pending)
    {
      /* Whoever attached it keeps the connection. */
      attach_rollback (session);
    }
  g_clear_pointer (&session->link, link_free);
  session->bound = FALSE;
  close_old_links (session);
  if (session->transport != NULL && session->owns_transport &&
      !msrp_transport_is_closed (session->transport))
    msrp_transport_close_async (session->transport, cancellable, transport_closed,
                                g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * msrp_session_close_finish:
 * @session: a #MsrpSession
 * @result: the #GAsyncResult of msrp_session_close_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_session_close_async().
 *
 * Returns: %TRUE when the session (and the transport it owns) closed
 *   cleanly
 */
gboolean
msrp_session_close_finish (MsrpSession   *session,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
same_first_hop (GPtrArray *a, GPtrArray *b)
{
  MsrpUri *x = a != NULL && a->len > 0 ? a->pdata[0] : NULL;
  MsrpUri *y = b != NULL && b->len > 0 ? b->pdata[0] : NULL;

  return x != NULL && y != NULL &&
         msrp_uri_is_secure (x) == msrp_uri_is_secure (y) &&
         g_ascii_strcasecmp (msrp_uri_get_host (x), msrp_uri_get_host (y)) == 0 &&
         msrp_uri_get_port (x) == msrp_uri_get_port (y) &&
         g_ascii_strcasecmp (msrp_uri_get_transport (x), msrp_uri_get_transport (y)) == 0;
}

static void
reconnected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MsrpSession *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->update_task);
  GError *error = NULL;

  if (MSRP_CONNECTOR_GET_CLASS (source)->reconnect_finish (MSRP_CONNECTOR (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  g_object_unref (self);
}

/**
 * msrp_session_update_remote_path_async:
 * @session: a #MsrpSession
 * @remote_path: (element-type MsrpUri): the peer's new path, from the
 *   `a=path` of a new offer or answer (a SIP re-INVITE)
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the session runs on the new path
 * @user_data: data for @callback
 *
 * Changes the peer's path without losing a message. Requests sent from now
 * on carry the new To-Path, and incoming ones are matched against it.
 *
 * A session made by an #MsrpConnector may also move to a new connection.
 * The active end does when the first hop of the path changed (host, port,
 * scheme or transport): it connects there and binds the session with a
 * bodiless SEND; this completes when that is answered. The passive end
 * cannot know whether the peer will reconnect: it listens again on its
 * own port, in the background, until a new connection from the peer binds
 * the session (which then moves to it) or the session closes; this
 * completes at once. Messages keep flowing on the old connection
 * meanwhile; after the move, queued messages and the remaining chunks of
 * messages part-way sent go on the new one, while chunks already on the
 * old one are answered there before it closes.
 *
 * If the active end cannot connect, the session stays on its old
 * connection. If the peer refuses the binding SEND, the session stays on
 * the new connection, which the peer does not know it on: close it. A
 * session made on a given transport, or by an #MsrpServer, only changes its
 * path and this completes at once.
 */
void
msrp_session_update_remote_path_async (MsrpSession         *session,
                                       GPtrArray           *remote_path,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) old = NULL;
  gboolean reconnect;

  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (remote_path != NULL && remote_path->len > 0);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_session_update_remote_path_async);
  if (session->closed)
    {
      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_CLOSED, "The session is closed");
      return;
    }
  if (session->update_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The session is already moving to a new path");
      return;
    }

  old = session->remote_path ? g_ptr_array_ref (session->remote_path) : NULL;
  reconnect = session->connector != NULL && session->bound && !session->pending &&
              (!msrp_connector_is_active (session->connector) ||
               !same_first_hop (old, remote_path));
  set_remote_path (session, remote_path);
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_REMOTE_PATH]);
  if (!reconnect)
    {
      pump (session);
      g_task_return_boolean (task, TRUE);
      return;
    }
  session->update_task = g_steal_pointer (&task);
  MSRP_CONNECTOR_GET_CLASS (session->connector)->reconnect_async (session->connector, session,
                                                                   remote_path, cancellable,
                                                                   reconnected,
                                                                   g_object_ref (session));
}

/**
 * msrp_session_update_remote_path_finish:
 * @session: a #MsrpSession
 * @result: the #GAsyncResult of msrp_session_update_remote_path_async()
 * @error: return location for a #GError
 *
 * Finishes msrp_session_update_remote_path_async().
 *
 * Returns: %TRUE when the session runs on the new path; %FALSE with
 *   @error set when the new connection failed (the session stays on the old
 *   one), the session is closed, or another update is under way
 *   (%G_IO_ERROR_PENDING)
 */
gboolean
msrp_session_update_remote_path_finish (MsrpSession   *session,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Private API (msrp-session-private.h) --------------------------------- */

gboolean
msrp_session_attach (MsrpSession   *session,
                     MsrpTransport *transport,
                     gboolean       provisional,
                     GError       **error)
{
  Link *link;

  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), FALSE);
  g_return_val_if_fail (session->transport == NULL || !session->bound, FALSE);

  if (session->closed)
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_CLOSED, "The session is closed");
      return FALSE;
    }
  if (msrp_transport_is_closed (transport))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_CLOSED, "The connection is closed");
      return FALSE;
    }
  link = g_new0 (Link, 1);
  link->session = session;
  link->cur_status = MSRP_STATUS_OK;
  if (!msrp_transport_bind_endpoint (transport, session->session_id, &endpoint_vtable, link))
    {
      g_free (link);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "Session %s is already bound on this connection", session->session_id);
      return FALSE;
    }
  link->transport = g_object_ref (transport);
  session->link = link;
  g_set_object (&session->transport, transport);
  session->bound = TRUE;
  session->pending = provisional;
  if (!provisional)
    {
      restart_keepalive (session);
      update_read_hold (session);
      g_object_notify_by_pspec (G_OBJECT (session), props[PROP_TRANSPORT]);
      pump (session);
    }
  return TRUE;
}

void
msrp_session_detach (MsrpSession *session,
                     gboolean     close_it)
{
  Link *link;

  g_return_if_fail (MSRP_IS_SESSION (session));

  if (session->pending)
    {
      attach_rollback (session);
      return;
    }
  if (session->link == NULL)
    return;
  stop_keepalive (session);
  release_reading (session);
  link = g_steal_pointer (&session->link);
  g_clear_object (&session->transport);
  session->bound = FALSE;
  if (msrp_transport_is_closed (link->transport))
    link_free (link);
  else
    {
      session->old_links = g_list_prepend (session->old_links, link);
      if (close_it && session->owns_transport)
        msrp_transport_close_async (link->transport, NULL, NULL, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (session), props[PROP_TRANSPORT]);
}

void
msrp_session_close_old_connections (MsrpSession *session)
{
  g_return_if_fail (MSRP_IS_SESSION (session));

  for (GList *l = session->old_links; l != NULL; l = l->next)
    {
      Link *link = l->data;

      if (session->owns_transport && !msrp_transport_is_closed (link->transport))
        msrp_transport_close_async (link->transport, NULL, NULL, NULL);
    }
}

MsrpTransport *
msrp_session_peek_transport (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);
  return session->transport;
}

gboolean
msrp_session_is_attach_pending (MsrpSession *session)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  return session->pending;
}

gboolean
msrp_session_matches_request (MsrpSession *session,
                              MsrpFrame   *head)
{
  MsrpUri *to, *from;

  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (head != NULL, FALSE);

  to = path_last (msrp_frame_peek_path (head, MSRP_PATH_TO));
  from = path_last (msrp_frame_peek_path (head, MSRP_PATH_FROM));
  if (to == NULL || from == NULL)
    return FALSE;
  if (to == session->matched_to && from == session->matched_from)
    return TRUE;
  if (!uri_matches (session, to, path_last (session->local_path)))
    return FALSE;
  if (session->remote_path == NULL)
    return TRUE;
  if (!uri_matches (session, from, path_last (session->remote_path)))
    return FALSE;
  forget_matched (session);
  session->matched_to = msrp_uri_ref (to);
  session->matched_from = msrp_uri_ref (from);
  return TRUE;
}

void
msrp_session_bind_async (MsrpSession         *session,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MSRP_IS_SESSION (session));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_session_bind_async);
  if (send_may_start (session, task))
    send_op_launch (session, send_op_new_bytes (session, NULL, NULL, task), cancellable, TRUE);
}

gboolean
msrp_session_bind_finish (MsrpSession   *session,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (MSRP_IS_SESSION (session), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, session), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
msrp_session_set_connector (MsrpSession   *session,
                            MsrpConnector *connector)
{
  g_return_if_fail (MSRP_IS_SESSION (session));
  g_return_if_fail (connector == NULL || MSRP_IS_CONNECTOR (connector));

  g_set_object (&session->connector, connector);
}
