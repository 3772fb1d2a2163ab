/* msrp-transport.c: one MSRP connection over a GIOStream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-transport-private.h"

#include "msrp-alloc-private.h"
#include "msrp-error.h"
#include "msrp-frame-private.h"
#include "msrp-id-table-private.h"
#include "msrp-parser-private.h"
#include "msrp-uri.h"
#include "msrp-source-private.h"

/**
 * MsrpTransport:
 *
 * One MSRP connection (RFC 4975) over a #GIOStream: a TCP
 * #GSocketConnection, a #GTlsConnection or any other stream.
 *
 * The transport reads and parses incoming frames, answers requests on its
 * own where RFC 4975 says so (400 to malformed requests, 481 to unknown
 * sessions, 501 to unknown methods), hands SEND and REPORT requests to the
 * sessions bound to it, matches responses to the requests sent with
 * msrp_transport_send_request_async() and times them out.
 *
 * Outgoing frames never interleave: a frame that started to go out is
 * finished first. Then responses and every request other than SEND go before
 * queued SEND requests, which keep their order among themselves, so the
 * chunks of one message stay in order while a large transfer never delays
 * a transaction response.
 *
 * All I/O and all signals happen on the #GMainContext that was the
 * thread-default one when the transport was made.
 *
 * Set `G_MESSAGES_DEBUG=Msrp` to see every frame head going in and out
 * (of the transports made after it is set).
 */

/* Reads fill blocks of this size; body slices handed upwards point into them
 * (the session copies small bodies it keeps, so they do not pin a block).
 * A frame that straddles two blocks reaches the session as two slices, each
 * its own write to an output stream. */
#define READ_BLOCK_SIZE MSRP_TRANSPORT_READ_BLOCK_SIZE
/* What one read asks for on streams that cannot poll (a GBytes each). */
#define ASYNC_READ_SIZE (64 * 1024)
/* Bytes read per dispatch before other sources get their turn. */
#define READ_BUDGET (256 * 1024)
/* Bytes offered to one write call, in whole frames where possible. */
#define WRITE_BUDGET (256 * 1024)
/* Vectors per write call: well under IOV_MAX. */
#define MAX_VECTORS 256
/* Write calls per dispatch before other sources get their turn. */
#define WRITES_PER_DISPATCH 4
/* Bodies up to this size are copied next to their head: a small frame is one
 * vector, so it reaches the peer in one piece and batches cheaply. */
#define SMALL_BODY (4 * 1024)
/* SENDs with Failure-Report: partial remembered after their send completed,
 * in case a failure response comes: the most recent ones. */
#define MAX_PARTIALS 4096
/* How long a transport closed by an error tries to deliver its last frames. */
#define ERROR_FLUSH_SECONDS 5
/* How long a clean TLS close waits for its close_notify to go out. */
#define CLOSE_NOTIFY_SECONDS 5
/* Bytes of responses waiting to go out before the transport closes the
 * connection: a peer that sends requests but reads no responses must not
 * make the queue grow without bound. Below it the transport goes on
 * reading however slowly the responses leave: a peer may be blocked writing
 * to us and read its responses only once we read (Kamailio with
 * tcp_async=no), so a transport that stopped reading would deadlock with it
 * until one side's send timeout. 4 MiB is some 30000 responses. */
#define RESPONSE_BACKLOG_MAX (4 * 1024 * 1024)

typedef struct _OutFrame OutFrame;

typedef struct {
  GTask *task;               /* holds the transport; or: */
  MsrpTransactionDone done;  /* ...called with ->done_data, and the */
  gpointer done_data;
  MsrpTransport *transport;  /* reference held for it */
  char tid[MSRP_MAX_TRANSACTION_ID_LENGTH + 1];
  MsrpIdLink link;           /* in ->transactions, by tid */
  MsrpFrame *request;        /* until written: its body is not kept while the
                                response is awaited (chunks in flight) */
  OutFrame *out;             /* while some of the request is not written */
  GList deadline_link;       /* in ->deadlines while the response is awaited */
  gint64 deadline;           /* 0 when not in ->deadlines */
  guint timeout;             /* seconds, for the error message */
  GSource *cancel_source;
  gboolean expects_response;
} Transaction;

struct _OutFrame {
  GList link;                /* in ->control or ->bulk; unlinked when current */
  MsrpFrame *frame;
  /* Head, body and end line, or all in parts[0]; none for a small frame,
   * whose bytes follow the struct in its allocation (a GBytes of their
   * own cost a frame some 250 instructions). */
  GBytes *parts[3];
  guint n_parts;
  gsize size;
  gsize written;
  Transaction *txn;
  gboolean bulk;
  gboolean response;
  gboolean in_flight;        /* part of a pending asynchronous write */
};

typedef struct {
  char *session_id;
  const MsrpEndpointVTable *vtable;
  gpointer owner;
} Endpoint;

/* A SEND with Failure-Report: partial that was written: its send is over,
 * but a failure response may still come until the response timeout. Only
 * what is needed to tell its sender is kept, not the request. */
typedef struct {
  GList link;                /* in ->partial_order, oldest first */
  char *tid;                 /* the key in ->partials */
  char *message_id;
  char *session_id;          /* of the sender: the last From-Path URI */
  gint64 deadline;           /* 0: the response timeout was 0 (none) */
} Partial;

/* The transport's one source in the main loop: it flushes the write queue,
 * reads without polling first, polls a plain socket (its fd is added while
 * a read would block) and times responses out (its ready time is the
 * earliest deadline, or an earlier one gone stale). Every source attached
 * costs each iteration of the main loop some 250 instructions in its
 * prepare and check: four of them cost a ping-pong round trip a thousand.
 *
 * Making work due costs no system call: g_source_set_ready_time() writes
 * to the context's wakeup eventfd every time (GLib 2.74), and the poll then
 * reads it, two system calls per frame queued. The transport runs in the
 * thread that iterates its context, so the next iteration sees the flag
 * without a wakeup. */
typedef struct {
  GSource source;
  MsrpTransport *transport;  /* not a reference: the transport destroys the source */
  gboolean flush_due;
  gboolean read_due;         /* a read without polling */
  gpointer socket_tag;       /* the socket's fd, while it is polled */
  guint dispatching;         /* the source's dispatches running (they nest) */
} TransportSource;

typedef enum {
  IN_IGNORE,
  IN_RESPONSE,
  IN_ACCEPTED,
  IN_REFUSED,
  IN_HELD,                   /* a request held by msrp_transport_hold_requests() */
} InState;

typedef enum {
  CLOSE_NOW,                 /* drop everything queued */
  CLOSE_FLUSH,               /* write everything queued first */
  CLOSE_FLUSH_CURRENT,       /* finish the frame going out, then the last frame */
} CloseMode;

struct _MsrpTransport
{
  GObject parent_instance;

  GIOStream *stream;
  GInputStream *input;
  GOutputStream *output;
  GMainContext *context;
  gboolean pollable_input;
  gboolean trace;            /* G_MESSAGES_DEBUG covers Msrp */
  gboolean pollable_output;
  gboolean coalesce;         /* TLS: one buffer per frame, each vector would be a record */
  guint response_timeout;
  /* The asynchronous fallback for streams that cannot poll */
  GCancellable *read_cancellable;
  GCancellable *write_cancellable;
  gboolean read_pending;
  gboolean write_pending;

  TransportSource *source;

  /* Reading */
  MsrpParser *parser;
  gboolean started;
  guint read_holds;
  GSource *read_source;      /* polls a stream while a read would block */
  GSocket *socket;           /* of a plain GSocketConnection: polled by ->source */
  gboolean in_read;
  GBytes *block;
  guint8 *block_data;
  gsize block_used;
  MsrpFrame *in_head;
  InState in_state;
  Endpoint *in_endpoint;
  guint in_status;
  /* msrp_transport_hold_requests(): the request in ->in_head waits, with
   * its end line when it had no body, and the input after its head. */
  guint request_holds;
  gboolean held;
  gboolean held_end;
  MsrpContinuation held_flag;
  GBytes *held_input;

  /* Writing */
  OutFrame *current;         /* partly written, goes out before anything else */
  GQueue control;
  GQueue bulk;
  guint64 queued_bytes;
  guint64 queued_response_bytes;
  gboolean above_high_water;
  GSource *output_source;    /* waiting for the stream to become writable */
  /* The frames of the write call being made: at most one a vector. */
  OutFrame *batch[MAX_VECTORS];
  guint batch_len;
  GString *scratch;          /* where frames up to SMALL_BODY are formatted */
  GOutputVector vectors[MAX_VECTORS];
  GBytes *vector_bytes[MAX_VECTORS];  /* NULL: in a small frame's allocation */

  /* Transactions */
  MsrpIdTable transactions;  /* Transaction */
  GHashTable *partials;      /* tid → Partial */
  GQueue partial_order;
  GQueue deadlines;          /* Transaction by deadline, earliest first */

  GHashTable *endpoints;     /* session-id → Endpoint */
  Endpoint *last_endpoint;   /* the one the last request went to */
  MsrpUnboundRequestFunc unbound_func;
  gpointer unbound_data;
  GDestroyNotify unbound_destroy;

  /* Closing */
  gboolean closing;          /* no more reads or new frames */
  gboolean announced;        /* `closed` emitted; the property is TRUE */
  gboolean stream_closing;    /* writing is over */
  gboolean stream_close_started;
  gboolean stream_closed;
  gboolean abortive;         /* an error or frames left unwritten: no close_notify */
  GCancellable *close_cancellable;  /* bounds a clean TLS close */
  GSource *close_notify_source;
  gboolean disposing;
  GError *close_error;
  GError *flush_error;
  GSource *error_flush_source;
  GPtrArray *close_tasks;
};

G_DEFINE_FINAL_TYPE (MsrpTransport, msrp_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_RESPONSE_TIMEOUT,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_FRAME_RECEIVED,
  SIGNAL_FRAME_SENT,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void flush_queue (MsrpTransport *self);
static void close_stream (MsrpTransport *self);

/* Tracing */

/* Callers check ->trace first: formatting costs. */
static void
trace_frame (MsrpTransport *self, MsrpFrame *frame, const char *direction)
{
  g_autoptr(GString) text = g_string_new (NULL);

  msrp_frame_append_head (frame, text);
  while (text->len > 0 && (text->str[text->len - 1] == '\n' || text->str[text->len - 1] == '\r'))
    g_string_truncate (text, text->len - 1);
  g_string_replace (text, "\r\n", "\n  ", 0);
  g_debug ("%p %s %s", (void *) self, direction, text->str);
}

static gboolean
transport_source_prepare (GSource *source, gint *timeout)
{
  TransportSource *ts = (TransportSource *) source;

  *timeout = -1;
  return ts->flush_due || ts->read_due;
}

static gboolean
transport_source_check (GSource *source)
{
  TransportSource *ts = (TransportSource *) source;

  return ts->flush_due || ts->read_due;
}

static gboolean transport_source_dispatch (GSource *source, GSourceFunc callback,
                                           gpointer user_data);

static GSourceFuncs transport_source_funcs = {
  .prepare = transport_source_prepare,
  .check = transport_source_check,
  .dispatch = transport_source_dispatch,
};

/* Sets @flag of the transport's source. */
static void
make_due (MsrpTransport *self, gboolean *flag)
{
  GMainContext *context = self->context;

  if (*flag)
    return;
  *flag = TRUE;
  /* Called from outside an iteration of the context (before it runs, say).
   * From the source's own dispatch, the next iteration sees the flag. */
  if (self->source->dispatching == 0 && !g_main_context_is_owner (context))
    g_main_context_wakeup (context);
}

/* Transactions */

static void
transaction_unlink_deadline (MsrpTransport *self, Transaction *txn)
{
  if (txn->deadline == 0)
    return;
  g_queue_unlink (&self->deadlines, &txn->deadline_link);
  txn->deadline = 0;
}

/* Takes @txn out of every structure; transaction_return() ends it. */
static Transaction *
transaction_detach (MsrpTransport *self, Transaction *txn)
{
  msrp_id_table_remove (&self->transactions, &txn->link);
  transaction_unlink_deadline (self, txn);
  if (txn->out != NULL)
    txn->out->txn = NULL;
  txn->out = NULL;
  msrp_source_clear (&txn->cancel_source);
  g_clear_pointer (&txn->request, msrp_frame_unref);
  return txn;
}

/* Tells the requester of detached @txn: @response (nullable) or @error
 * (taken), and frees @txn. */
static void
transaction_return (Transaction *txn, MsrpFrame *response, GError *error)
{
  if (txn->task != NULL)
    {
      g_autoptr(GTask) task = txn->task;

      if (error != NULL)
        g_task_return_error (task, error);
      else if (response != NULL)
        g_task_return_pointer (task, msrp_frame_ref (response), (GDestroyNotify) msrp_frame_unref);
      else
        g_task_return_pointer (task, NULL, NULL);
    }
  else
    {
      txn->done (txn->transport, response, error, txn->done_data);
      g_clear_error (&error);
      g_object_unref (txn->transport);
    }
  g_free (txn);
}

/* Completes @txn with @response (nullable) or @error (taken). Callbacks may
 * run from here: callers hold a reference on the transport. */
static void
transaction_complete (MsrpTransport *self, Transaction *txn, MsrpFrame *response, GError *error)
{
  transaction_return (transaction_detach (self, txn), response, error);
}

static void
transaction_start_timer (MsrpTransport *self, Transaction *txn, gint64 now)
{
  GList *l;

  if (self->response_timeout == 0)
    return;
  txn->timeout = self->response_timeout;
  txn->deadline = now + (gint64) txn->timeout * G_USEC_PER_SEC;
  txn->deadline_link.data = txn;
  /* Deadlines mostly arrive in order: look from the tail. */
  for (l = self->deadlines.tail; l != NULL; l = l->prev)
    if (((Transaction *) l->data)->deadline <= txn->deadline)
      break;
  if (l == NULL)
    {
      gint64 armed = g_source_get_ready_time (&self->source->source);

      g_queue_push_head_link (&self->deadlines, &txn->deadline_link);
      /* An earlier ready time that has become stale only costs a dispatch
       * that re-arms; changing it costs a wakeup of the context. */
      if (armed < 0 || txn->deadline < armed)
        g_source_set_ready_time (&self->source->source, txn->deadline);
    }
  else
    g_queue_insert_after_link (&self->deadlines, l, &txn->deadline_link);
}

/* The source's ready time came: fails the transactions past their deadline
 * and sets the next one. The caller holds a reference. */
static void
on_timeouts (MsrpTransport *self, gint64 now)
{
  GList *l;

  while ((l = self->deadlines.head) != NULL && ((Transaction *) l->data)->deadline <= now)
    {
      Transaction *txn = l->data;
      GError *error = g_error_new (MSRP_ERROR, MSRP_ERROR_TIMEOUT, "no response to %s within %u s",
                                   txn->tid, txn->timeout);

      transaction_complete (self, txn, NULL, error);
    }
  if (self->source != NULL)
    g_source_set_ready_time (&self->source->source,
                             l != NULL ? ((Transaction *) l->data)->deadline : -1);
}

/* Partial-report SENDs */

static void
partial_free (Partial *partial)
{
  g_free (partial->tid);
  g_free (partial->message_id);
  g_free (partial->session_id);
  g_free (partial);
}

static void
partial_remove (MsrpTransport *self, Partial *partial)
{
  g_queue_unlink (&self->partial_order, &partial->link);
  g_hash_table_remove (self->partials, partial->tid);
}

/* Whether @request (nullable) is a SEND with `Failure-Report: partial`. */
static gboolean
is_partial_send (MsrpFrame *request)
{
  return request != NULL && msrp_frame_get_method (request) == MSRP_METHOD_SEND
    && msrp_frame_get_failure_report (request) == MSRP_REPORT_PARTIAL;
}

/* Remembers @request, written and over, for a failure response to come.
 * Returns what it remembered, NULL when the request has no From-Path or
 * Message-ID to tell its sender by. */
static Partial *
partial_add (MsrpTransport *self, MsrpFrame *request, gint64 now)
{
  g_autoptr(GPtrArray) from_path = msrp_frame_get_from_path (request, NULL);
  const char *tid = msrp_frame_get_transaction_id (request);
  Partial *partial, *old;

  if (from_path == NULL || from_path->len == 0 || msrp_frame_get_message_id (request) == NULL)
    return NULL;
  /* Expired ones leave when newer ones come; there are never too many. */
  while ((old = g_queue_peek_head (&self->partial_order)) != NULL
         && (self->partial_order.length >= MAX_PARTIALS
             || (old->deadline != 0 && old->deadline <= now)))
    partial_remove (self, old);
  if ((old = g_hash_table_lookup (self->partials, tid)) != NULL)
    partial_remove (self, old);
  partial = g_new0 (Partial, 1);
  partial->link.data = partial;
  partial->tid = g_strdup (tid);
  partial->message_id = g_strdup (msrp_frame_get_message_id (request));
  partial->session_id =
    g_strdup (msrp_uri_get_session_id (g_ptr_array_index (from_path, from_path->len - 1)));
  if (self->response_timeout > 0)
    partial->deadline = now + (gint64) self->response_timeout * G_USEC_PER_SEC;
  g_hash_table_insert (self->partials, partial->tid, partial);
  g_queue_push_tail_link (&self->partial_order, &partial->link);
  return partial;
}

static void
partials_clear (MsrpTransport *self)
{
  g_queue_init (&self->partial_order);
  g_hash_table_remove_all (self->partials);
}

/* The write queue */

static gboolean
queue_is_empty (MsrpTransport *self)
{
  return self->current == NULL && self->control.length == 0 && self->bulk.length == 0;
}

/* The bytes of @text: a copy of the transport's scratch string (reset for
 * the next part; a GString of its own per frame costs more than the copy
 * of a small one), or @text itself. */
static GBytes *
text_to_bytes (MsrpTransport *self, GString *text)
{
  GBytes *bytes;

  if (text != self->scratch)
    return g_string_free_to_bytes (text);
  bytes = g_bytes_new (text->str, text->len);
  g_string_truncate (text, 0);
  return bytes;
}

/* Where the head of a frame with a body of @body_size bytes is formatted:
 * the scratch string for small ones, copied with the body. */
static GString *
head_text (MsrpTransport *self, gsize body_size)
{
  return body_size <= SMALL_BODY ? self->scratch : g_string_sized_new (256);
}

/* A queue entry with the frame after it: the @head_length bytes of head in
 * @text (the scratch string, emptied), the @body_size bytes of @body and
 * the end line after the head in @text. */
static OutFrame *
out_frame_new_small (GString *text, gsize head_length, GBytes *body, gsize body_size)
{
  OutFrame *out = g_malloc (sizeof (OutFrame) + text->len + body_size);
  char *data = (char *) (out + 1);

  memset (out, 0, sizeof (OutFrame));
  memcpy (data, text->str, head_length);
  if (body_size > 0)
    memcpy (data + head_length, g_bytes_get_data (body, NULL), body_size);
  memcpy (data + head_length + body_size, text->str + head_length, text->len - head_length);
  out->size = text->len + body_size;
  g_string_truncate (text, 0);
  return out;
}

/* A queue entry for the frame whose head is in @text (from head_text()),
 * with @body (nullable), and the end line of @tid and @flag. @frame
 * (nullable) is kept for `frame-sent`. */
static OutFrame *
out_frame_new (MsrpTransport *self, MsrpFrame *frame, GString *text, GBytes *body,
               const char *tid, MsrpContinuation flag, gboolean bulk, gboolean response)
{
  OutFrame *out;
  gsize body_size = body != NULL ? g_bytes_get_size (body) : 0;

  if (text == self->scratch)
    {
      gsize head_length = text->len;

      /* The end line goes after the head here, after the body in the entry. */
      msrp_append_end_line (text, tid, body_size, flag);
      out = out_frame_new_small (text, head_length, body, body_size);
    }
  else if (self->coalesce)
    {
      if (body_size > 0)
        g_string_append_len (text, g_bytes_get_data (body, NULL), body_size);
      msrp_append_end_line (text, tid, body_size, flag);
      out = msrp_new0 (OutFrame);
      out->parts[out->n_parts++] = text_to_bytes (self, text);
    }
  else
    {
      out = msrp_new0 (OutFrame);
      out->parts[out->n_parts++] = text_to_bytes (self, text);
      out->parts[out->n_parts++] = g_bytes_ref (body);
      msrp_append_end_line (self->scratch, tid, body_size, flag);
      out->parts[out->n_parts++] = text_to_bytes (self, self->scratch);
    }
  out->link.data = out;
  out->frame = frame != NULL ? msrp_frame_ref (frame) : NULL;
  out->bulk = bulk;
  out->response = response;
  for (guint i = 0; i < out->n_parts; i++)
    out->size += g_bytes_get_size (out->parts[i]);
  return out;
}

static OutFrame *
out_frame_new_for (MsrpTransport *self, MsrpFrame *frame, gboolean bulk)
{
  GBytes *body = msrp_frame_get_body (frame);
  GString *text = head_text (self, body != NULL ? g_bytes_get_size (body) : 0);

  msrp_frame_append_head (frame, text);
  return out_frame_new (self, frame, text, body, msrp_frame_get_transaction_id (frame),
                        msrp_frame_get_continuation (frame), bulk, !msrp_frame_is_request (frame));
}

/* The frames the transport formats itself (chunks and automatic responses)
 * have no MsrpFrame: for `frame-sent` and tracing, one is parsed back from
 * the bytes written. Asking for frames as they are queued instead cost a
 * signal look-up per frame. */

typedef struct {
  MsrpFrame *frame;
  GByteArray *body;
} Reparse;

static void
reparse_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  ((Reparse *) user_data)->frame = msrp_frame_ref (head);
}

static void
reparse_body (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  Reparse *r = user_data;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  if (r->body == NULL)
    r->body = g_byte_array_new ();
  g_byte_array_append (r->body, bytes, size);
}

static void
reparse_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  Reparse *r = user_data;

  if (r->body != NULL)
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&r->body));

      msrp_frame_set_body (r->frame, body);
    }
  msrp_frame_set_continuation (r->frame, flag);
}

static const MsrpParserCallbacks reparse_callbacks = {
  .frame_head = reparse_head,
  .body_data = reparse_body,
  .frame_end = reparse_end,
};

/* The frame @out holds, parsed from its bytes when it was queued without one. */
static MsrpFrame *
out_frame_get_frame (OutFrame *out)
{
  g_autoptr(MsrpParser) parser = NULL;
  Reparse r = { NULL, NULL };

  if (out->frame != NULL)
    return msrp_frame_ref (out->frame);
  parser = msrp_parser_new (&reparse_callbacks, &r);
  /* Whatever the paths a session was given. */
  msrp_parser_set_max_header_block (parser, G_MAXSIZE);
  msrp_parser_set_max_headers (parser, G_MAXUINT);
  msrp_parser_set_max_uri_length (parser, G_MAXSIZE);
  if (out->n_parts == 0)
    msrp_parser_feed_data (parser, (const guint8 *) (out + 1), out->size, NULL);
  for (guint i = 0; i < out->n_parts; i++)
    msrp_parser_feed (parser, out->parts[i], NULL);
  /* Our own frames parse. */
  g_assert (r.frame != NULL && r.body == NULL);
  return r.frame;
}

static void
out_frame_free (OutFrame *out)
{
  if (out->frame != NULL)
    msrp_frame_unref (out->frame);
  for (guint i = 0; i < out->n_parts; i++)
    g_bytes_unref (out->parts[i]);
  g_free (out);
}

/* Counts @bytes more (or fewer) of @out waiting to be written. */
static void
account_queued (MsrpTransport *self, OutFrame *out, gint64 bytes)
{
  self->queued_bytes += bytes;
  if (self->queued_bytes > MSRP_TRANSPORT_HIGH_WATER)
    self->above_high_water = TRUE;
  if (out->response)
    self->queued_response_bytes += bytes;
}

static void
out_frame_unlink (MsrpTransport *self, OutFrame *out)
{
  if (self->current == out)
    self->current = NULL;
  else
    g_queue_unlink (out->bulk ? &self->bulk : &self->control, &out->link);
  account_queued (self, out, -(gint64) (out->size - out->written));
}

static void
schedule_flush (MsrpTransport *self)
{
  if (!self->write_pending && self->output_source == NULL && self->source != NULL
      && !self->stream_closing)
    make_due (self, &self->source->flush_due);
}

static void
enqueue (MsrpTransport *self, OutFrame *out, Transaction *txn)
{
  gboolean bulk = out->bulk;

  out->txn = txn;
  if (txn != NULL)
    txn->out = out;
  g_queue_push_tail_link (bulk ? &self->bulk : &self->control, &out->link);
  account_queued (self, out, out->size);
  schedule_flush (self);
}

static void
enqueue_frame (MsrpTransport *self, MsrpFrame *frame, gboolean bulk, Transaction *txn)
{
  enqueue (self, out_frame_new_for (self, frame, bulk), txn);
}

/* Takes @out off the queue unwritten; its transaction stays. */
static void
out_frame_drop (MsrpTransport *self, OutFrame *out)
{
  out_frame_unlink (self, out);
  if (out->txn != NULL)
    out->txn->out = NULL;
  out_frame_free (out);
}

/* Drops queued frames; their transactions stay, to fail when the transport
 * announces its close. @keep_current keeps the frame being written. */
static void
drop_queue (MsrpTransport *self, gboolean keep_current)
{
  OutFrame *out;

  /* An asynchronous write in flight finishes its frames on its own. */
  if (self->write_pending)
    self->batch_len = 0;
  if (self->current != NULL && (!keep_current || self->current->in_flight))
    out_frame_drop (self, self->current);
  while ((out = g_queue_peek_head (&self->control)) != NULL)
    out_frame_drop (self, out);
  while ((out = g_queue_peek_head (&self->bulk)) != NULL)
    out_frame_drop (self, out);
}

/* Endpoints */

static void
endpoint_free (Endpoint *ep)
{
  g_free (ep->session_id);
  g_free (ep);
}

static void
notify_writable (MsrpTransport *self)
{
  g_autofree gpointer *ids = NULL;
  guint n_ids;

  /* Callbacks may bind and unbind: look each endpoint up again. */
  ids = g_hash_table_get_keys_as_array (self->endpoints, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    ids[i] = g_strdup (ids[i]);
  for (guint i = 0; i < n_ids; i++)
    {
      Endpoint *ep = g_hash_table_lookup (self->endpoints, ids[i]);

      if (ep != NULL && ep->vtable->writable != NULL && !self->closing)
        ep->vtable->writable (ep->owner, self);
      g_free (ids[i]);
    }
}

/* Tells the endpoints once the queue, after being above the high-water
 * mark, fell below the low-water mark. */
static void
check_low_water (MsrpTransport *self)
{
  if (self->above_high_water && self->queued_bytes < MSRP_TRANSPORT_LOW_WATER)
    {
      self->above_high_water = FALSE;
      notify_writable (self);
    }
}

/* Writing */

/* Fills ->vectors with the next frames to write, in wire order: the frame
 * started, then control frames, then bulk frames, as whole frames within
 * the budget (a single frame may exceed it). Returns the vector count. */
static guint
collect_batch (MsrpTransport *self)
{
  GList *queues[2] = { self->control.head, self->bulk.head };
  OutFrame *out = self->current;
  guint n_vectors = 0;
  gsize bytes = 0;
  guint q = 0;

  self->batch_len = 0;
  if (out == NULL)
    {
      while (q < 2 && queues[q] == NULL)
        q++;
      out = q < 2 ? queues[q]->data : NULL;
    }
  while (out != NULL)
    {
      gsize remaining = out->size - out->written;
      gsize skip = out->written;

      if (self->batch_len > 0
          && (bytes + remaining > WRITE_BUDGET || n_vectors + MAX (out->n_parts, 1) > MAX_VECTORS))
        break;
      if (out->n_parts == 0)
        {
          /* Its bytes follow it; no GBytes holds them. */
          self->vectors[n_vectors] = (GOutputVector) { (const char *) (out + 1) + skip, remaining };
          self->vector_bytes[n_vectors] = NULL;
          n_vectors++;
        }
      for (guint i = 0; i < out->n_parts; i++)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (out->parts[i], &size);

          if (skip >= size)
            {
              skip -= size;
              continue;
            }
          self->vectors[n_vectors] = (GOutputVector) { data + skip, size - skip };
          self->vector_bytes[n_vectors] = out->parts[i];
          n_vectors++;
          skip = 0;
        }
      self->batch[self->batch_len++] = out;
      bytes += remaining;
      if (bytes >= WRITE_BUDGET)
        break;

      /* The next frame in wire order. */
      if (out == self->current)
        {
          while (q < 2 && queues[q] == NULL)
            q++;
        }
      else
        {
          queues[q] = queues[q]->next;
          while (q < 2 && queues[q] == NULL)
            q++;
        }
      out = q < 2 ? queues[q]->data : NULL;
    }
  return n_vectors;
}

static void
make_current (MsrpTransport *self, OutFrame *out)
{
  if (self->current == out)
    return;
  g_queue_unlink (out->bulk ? &self->bulk : &self->control, &out->link);
  self->current = out;
}

/* Accounts @written bytes of the batch: finished frames leave the queue,
 * a partly written one becomes ->current. Then tells the world. */
static void
consume_batch (MsrpTransport *self, gsize written)
{
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) done = NULL;
  gint64 now = 0;
  /* Asked once per batch with frames (those formatted without one have
   * none: nobody wanted them), and the frames kept only for someone. */
  gboolean asked = FALSE;
  gboolean frame_sent_handled = FALSE;
  gboolean tell_sent = FALSE;
  guint n;

  for (n = 0; n < self->batch_len && written > 0; n++)
    {
      OutFrame *out = self->batch[n];
      gsize remaining = out->size - out->written;
      Transaction *txn = out->txn;

      out->in_flight = FALSE;
      if (written < remaining)
        {
          make_current (self, out);
          out->written += written;
          account_queued (self, out, -(gint64) written);
          break;
        }
      written -= remaining;
      out_frame_unlink (self, out);
      if (!asked)
        {
          asked = TRUE;
          frame_sent_handled =
            g_signal_has_handler_pending (self, signals[SIGNAL_FRAME_SENT], 0, FALSE);
          tell_sent = frame_sent_handled || self->trace;
        }
      if (tell_sent)
        {
          if (sent == NULL)
            sent = g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_frame_unref);
          g_ptr_array_add (sent, out_frame_get_frame (out));
        }
      if (txn != NULL)
        {
          txn->out = NULL;
          if (now == 0)
            now = g_get_monotonic_time ();
          if (!txn->expects_response)
            {
              if (is_partial_send (txn->request))
                partial_add (self, txn->request, now);
              if (done == NULL)
                done = g_ptr_array_new ();
              g_ptr_array_add (done, transaction_detach (self, txn));
            }
          else
            {
              g_clear_pointer (&txn->request, msrp_frame_unref);
              transaction_start_timer (self, txn, now);
            }
        }
      out_frame_free (out);
    }
  /* A TLS write that stopped short (or would block) may have left the start
   * of the next frame in a record GnuTLS could not send in full. Its next
   * write sends that record whatever it is given, and counts it for what it
   * was given: the same frame must come next, even if a response was
   * queued in the meantime. */
  if (self->coalesce && n < self->batch_len)
    make_current (self, self->batch[n]);
  self->batch_len = 0;

  /* Everything is consistent now; callbacks may do anything, even close. */
  if (sent != NULL && self->trace)
    for (guint i = 0; i < sent->len; i++)
      trace_frame (self, sent->pdata[i], ">>>");
  if (frame_sent_handled && sent != NULL)
    for (guint i = 0; i < sent->len; i++)
      g_signal_emit (self, signals[SIGNAL_FRAME_SENT], 0, sent->pdata[i]);
  for (guint i = 0; done != NULL && i < done->len; i++)
    transaction_return (done->pdata[i], NULL, NULL);
  check_low_water (self);
}

static void
close_internal (MsrpTransport *self, const GError *error, CloseMode mode, MsrpFrame *last_frame);

static void
write_failed (MsrpTransport *self, GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "cannot write to the connection: ");
  g_debug ("%p write failed: %s", (void *) self, error->message);
  if (self->flush_error == NULL)
    self->flush_error = g_error_copy (error);
  if (!self->closing)
    close_internal (self, error, CLOSE_NOW, NULL);
  else
    {
      if (!self->announced && self->close_error == NULL)
        self->close_error = g_error_copy (error);
      drop_queue (self, FALSE);
      close_stream (self);
    }
  g_error_free (error);
}

static gboolean
on_writable (GObject *stream, gpointer user_data)
{
  MsrpTransport *self = g_object_ref (user_data);

  g_clear_pointer (&self->output_source, g_source_unref);
  flush_queue (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
flush_pollable (MsrpTransport *self)
{
  for (guint round = 0; round < WRITES_PER_DISPATCH; round++)
    {
      g_autoptr(GError) error = NULL;
      guint n_vectors;
      gsize written = 0;
      GPollableReturn ret;

      if (self->stream_closing || self->output_source != NULL)
        return;
      n_vectors = collect_batch (self);
      if (n_vectors == 0)
        break;
      /* A plain connection's output stream only hands its vectors to the
       * socket, through a few hundred instructions of stream layers. */
      if (self->socket != NULL)
        ret = g_socket_send_message_with_timeout (self->socket, NULL, self->vectors, n_vectors,
                                                  NULL, 0, G_SOCKET_MSG_NONE, 0, &written,
                                                  NULL, &error);
      else
        ret = g_pollable_output_stream_writev_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->output),
                                                          self->vectors, n_vectors, &written,
                                                          NULL, &error);
      if (ret == G_POLLABLE_RETURN_WOULD_BLOCK)
        {
          /* Nothing written, but on TLS the first frame is pinned. */
          consume_batch (self, 0);
          if (self->stream_closing)
            return;
          self->output_source =
            g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->output), NULL);
          g_source_set_callback (self->output_source, G_SOURCE_FUNC (on_writable), self, NULL);
          g_source_set_static_name (self->output_source, "MsrpTransport writable");
          g_source_attach (self->output_source, self->context);
          return;
        }
      if (ret == G_POLLABLE_RETURN_FAILED)
        {
          self->batch_len = 0;
          write_failed (self, g_steal_pointer (&error));
          return;
        }
      consume_batch (self, written);
    }
  if (!queue_is_empty (self))
    schedule_flush (self);
}

typedef struct {
  MsrpTransport *transport;  /* a reference: the frames written belong to it */
  GOutputVector *vectors;
  GBytes **bytes;
  guint n_vectors;
} WriteOp;

static void
write_op_free (WriteOp *op)
{
  for (guint i = 0; i < op->n_vectors; i++)
    g_bytes_unref (op->bytes[i]);
  g_free (op->bytes);
  g_free (op->vectors);
  g_object_unref (op->transport);
  g_free (op);
}

static void
close_stream_now (MsrpTransport *self);

static void
on_writev_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WriteOp *op = user_data;
  MsrpTransport *self = op->transport;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  g_output_stream_writev_all_finish (G_OUTPUT_STREAM (source), result, &written, &error);
  self->write_pending = FALSE;
  if (error != NULL)
    {
      self->batch_len = 0;
      if (!self->stream_closing)
        write_failed (self, g_steal_pointer (&error));
    }
  else
    consume_batch (self, written);
  if (self->stream_closing)
    {
      if (!self->read_pending)
        close_stream_now (self);
    }
  else if (queue_is_empty (self))
    {
      if (self->closing)
        close_stream (self);
    }
  else
    schedule_flush (self);
  write_op_free (op);
}

static void
flush_async (MsrpTransport *self)
{
  WriteOp *op;
  guint n_vectors;

  if (self->write_pending)
    return;
  n_vectors = collect_batch (self);
  if (n_vectors == 0)
    return;
  op = g_new0 (WriteOp, 1);
  op->transport = g_object_ref (self);
  op->n_vectors = n_vectors;
  op->vectors = g_memdup2 (self->vectors, n_vectors * sizeof (GOutputVector));
  op->bytes = g_new (GBytes *, n_vectors);
  /* The frames may leave the queue while the write runs: it holds their
   * bytes, a copy of those of small ones. */
  for (guint i = 0; i < n_vectors; i++)
    if (self->vector_bytes[i] != NULL)
      op->bytes[i] = g_bytes_ref (self->vector_bytes[i]);
    else
      {
        op->bytes[i] = g_bytes_new (op->vectors[i].buffer, op->vectors[i].size);
        op->vectors[i].buffer = g_bytes_get_data (op->bytes[i], NULL);
      }
  for (guint i = 0; i < self->batch_len; i++)
    self->batch[i]->in_flight = TRUE;
  self->write_pending = TRUE;
  g_output_stream_writev_all_async (self->output, op->vectors, n_vectors, G_PRIORITY_DEFAULT,
                                    self->write_cancellable, on_writev_done, op);
}

/* Callbacks may run from here: callers hold a reference. */
static void
flush_queue (MsrpTransport *self)
{
  if (self->pollable_output)
    flush_pollable (self);
  else
    flush_async (self);
  if (self->closing && !self->stream_closing && queue_is_empty (self) && !self->write_pending)
    close_stream (self);
}

/* Closing */

static GError *
transaction_close_error (MsrpTransport *self)
{
  if (self->close_error != NULL)
    return g_error_copy (self->close_error);
  return g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED, "connection closed");
}

/* Fails the transactions, tells the endpoints and emits `closed`, once. */
static void
announce_closed (MsrpTransport *self)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GList) transactions = NULL;
  g_auto(GStrv) ids = NULL;

  if (self->announced)
    return;
  self->announced = TRUE;
  g_object_ref (self);
  g_debug ("%p closed%s%s", (void *) self, self->close_error ? ": " : "",
           self->close_error ? self->close_error->message : "");

  /* Detach everything first: the callbacks may do anything. */
  tasks = g_ptr_array_new ();
  transactions = msrp_id_table_get_entries (&self->transactions, G_STRUCT_OFFSET (Transaction, link));
  for (GList *l = transactions; l != NULL; l = l->next)
    g_ptr_array_add (tasks, transaction_detach (self, l->data));
  partials_clear (self);
  /* Copies: an endpoint unbound by a callback frees its id. */
  ids = (GStrv) g_hash_table_get_keys_as_array (self->endpoints, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    ids[i] = g_strdup (ids[i]);
  self->in_endpoint = NULL;
  g_clear_pointer (&self->in_head, msrp_frame_unref);
  g_clear_pointer (&self->held_input, g_bytes_unref);
  self->in_state = IN_IGNORE;

  for (guint i = 0; i < tasks->len; i++)
    transaction_return (tasks->pdata[i], NULL, transaction_close_error (self));
  /* Each endpoint is unbound before it is told; one unbound by the code
   * the transactions ran is not told at all. */
  for (guint i = 0; ids[i] != NULL; i++)
    {
      Endpoint *ep = NULL;

      if (!g_hash_table_steal_extended (self->endpoints, ids[i], NULL, (gpointer *) &ep))
        continue;
      if (self->last_endpoint == ep)
        self->last_endpoint = NULL;
      if (ep->vtable->closed != NULL)
        ep->vtable->closed (ep->owner, self, self->close_error);
      endpoint_free (ep);
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CLOSED]);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, self->close_error);
  g_object_unref (self);
}

static void
complete_close_tasks (MsrpTransport *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->close_tasks);

  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    {
      if (self->flush_error != NULL)
        g_task_return_error (tasks->pdata[i], g_error_copy (self->flush_error));
      else
        g_task_return_boolean (tasks->pdata[i], TRUE);
    }
}

static void
on_stream_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  MsrpTransport *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_debug ("%p closing the stream: %s", (void *) self, error->message);
  msrp_source_clear (&self->close_notify_source);
  self->stream_closed = TRUE;
  complete_close_tasks (self);
  g_object_unref (self);
}

/* A TLS close sends a close_notify, in a GnuTLS thread that waits until
 * the peer reads it: for ever when the peer reads no more. An abortive
 * close closes the connection under the TLS one first, so the TLS close
 * fails at once and no thread waits. */
static void
close_tls_base (MsrpTransport *self)
{
  g_autoptr(GIOStream) base = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (self->stream, "base-io-stream", &base, NULL);
  if (base != NULL && !g_io_stream_close (base, NULL, &error))
    g_debug ("%p closing the stream under TLS: %s", (void *) self, error->message);
}

/* A clean close whose close_notify finds the peer's buffers full: cancelling
 * wakes the GnuTLS thread, and the TLS close closes the base stream all the
 * same. */
static gboolean
on_close_notify_timeout (gpointer user_data)
{
  MsrpTransport *self = user_data;

  g_debug ("%p peer does not read the close_notify: closing without it", (void *) self);
  g_clear_pointer (&self->close_notify_source, g_source_unref);
  g_cancellable_cancel (self->close_cancellable);
  return G_SOURCE_REMOVE;
}

static void
close_stream_now (MsrpTransport *self)
{
  if (self->stream_close_started)
    return;
  self->stream_close_started = TRUE;
  if (G_IS_TLS_CONNECTION (self->stream) && (self->abortive || self->disposing))
    close_tls_base (self);
  else if (G_IS_TLS_CONNECTION (self->stream))
    {
      self->close_cancellable = g_cancellable_new ();
      self->close_notify_source = g_timeout_source_new_seconds (CLOSE_NOTIFY_SECONDS);
      g_source_set_callback (self->close_notify_source, on_close_notify_timeout, self, NULL);
      g_source_set_static_name (self->close_notify_source, "MsrpTransport close_notify");
      g_source_attach (self->close_notify_source, self->context);
    }
  if (self->disposing)
    {
      g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }
  g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, self->close_cancellable,
                           on_stream_closed, g_object_ref (self));
}

/* Writing is over: announce, then close the stream once no asynchronous
 * operation uses it. */
static void
close_stream (MsrpTransport *self)
{
  if (self->stream_closing)
    return;
  self->stream_closing = TRUE;
  /* Only a flush that wrote everything ends cleanly: otherwise the peer
   * may read no more. */
  self->abortive = self->close_error != NULL || self->flush_error != NULL
    || !queue_is_empty (self) || self->write_pending;
  msrp_source_clear (&self->output_source);
  msrp_source_clear (&self->error_flush_source);
  drop_queue (self, FALSE);
  announce_closed (self);
  if (self->read_pending || self->write_pending)
    {
      /* The last operation to finish closes the stream. */
      g_cancellable_cancel (self->read_cancellable);
      g_cancellable_cancel (self->write_cancellable);
      return;
    }
  close_stream_now (self);
}

static gboolean
on_error_flush_timeout (gpointer user_data)
{
  MsrpTransport *self = user_data;

  g_debug ("%p peer does not read: closing without the last frames", (void *) self);
  g_clear_pointer (&self->error_flush_source, g_source_unref);
  g_object_ref (self);
  close_stream (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static gboolean on_stream_readable (GObject *stream, gpointer user_data);
static void start_async_read (MsrpTransport *self);

/* Polls the input for the next read: the socket's fd on the transport's
 * source, or a source of the stream's. */
static void
watch_input (MsrpTransport *self)
{
  if (self->socket != NULL)
    {
#ifdef G_OS_UNIX
      if (self->source->socket_tag == NULL)
        self->source->socket_tag = g_source_add_unix_fd (&self->source->source,
                                                         g_socket_get_fd (self->socket), G_IO_IN);
#endif
      return;
    }
  if (self->read_source != NULL)
    return;
  self->read_source =
    g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->input), NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_stream_readable), self, NULL);
  g_source_set_static_name (self->read_source, "MsrpTransport read");
  g_source_attach (self->read_source, self->context);
}

/* Polls the input no more. An fd left in with no events would still poll
 * as hung up, every iteration: it is taken out. */
static void
unwatch_input (MsrpTransport *self)
{
#ifdef G_OS_UNIX
  if (self->source != NULL && self->source->socket_tag != NULL)
    {
      g_source_remove_unix_fd (&self->source->source, self->source->socket_tag);
      self->source->socket_tag = NULL;
    }
#endif
  msrp_source_clear (&self->read_source);
}

static void
resume_reading (MsrpTransport *self)
{
  if (!self->started || self->closing || self->read_holds > 0)
    return;
  if (!self->pollable_input)
    {
      if (!self->read_pending)
        start_async_read (self);
      return;
    }
  /* Read before polling: the stream may hold bytes its source does not see
   * (see on_readable()). */
  make_due (self, &self->source->read_due);
}

static void
stop_reading (MsrpTransport *self)
{
  unwatch_input (self);
  if (self->read_pending)
    g_cancellable_cancel (self->read_cancellable);
}

static void
close_internal (MsrpTransport *self, const GError *error, CloseMode mode, MsrpFrame *last_frame)
{
  if (self->closing)
    return;
  self->closing = TRUE;
  g_object_ref (self);
  if (error != NULL)
    self->close_error = g_error_copy (error);
  /* Closed from a parser callback: parse no further. */
  msrp_parser_stop (self->parser);
  stop_reading (self);
  if (mode != CLOSE_FLUSH)
    {
      drop_queue (self, mode == CLOSE_FLUSH_CURRENT);
      if (last_frame != NULL)
        enqueue_frame (self, last_frame, FALSE, NULL);
      announce_closed (self);
      if (!queue_is_empty (self) && !self->stream_closing)
        {
          self->error_flush_source = g_timeout_source_new_seconds (ERROR_FLUSH_SECONDS);
          g_source_set_callback (self->error_flush_source, on_error_flush_timeout, self, NULL);
          g_source_set_static_name (self->error_flush_source, "MsrpTransport last flush");
          g_source_attach (self->error_flush_source, self->context);
        }
    }
  if (!self->stream_closing)
    {
      /* An abort does not wait for an asynchronous write in flight (a
       * stream that cannot poll): to a peer that reads no more, it would
       * never finish. close_stream() cancels it. */
      if (queue_is_empty (self) && (!self->write_pending || mode == CLOSE_NOW))
        close_stream (self);
      else
        schedule_flush (self);
    }
  g_object_unref (self);
}

/* Reading */

static void
answer_request (MsrpTransport *self, MsrpFrame *request, guint status)
{
  GString *text;

  switch (msrp_frame_get_method (request))
    {
    case MSRP_METHOD_REPORT:
      return;
    case MSRP_METHOD_SEND:
      switch (msrp_frame_get_failure_report (request))
        {
        case MSRP_REPORT_NO:
          return;
        case MSRP_REPORT_PARTIAL:
          if (status == MSRP_STATUS_OK)
            return;
          break;
        case MSRP_REPORT_YES:
          break;
        }
      break;
    case MSRP_METHOD_UNKNOWN:
    case MSRP_METHOD_AUTH:
    case MSRP_METHOD_NICKNAME:
      break;
    }
  if (self->closing)
    return;
  if (self->queued_response_bytes >= RESPONSE_BACKLOG_MAX)
    {
      g_autoptr(GError) error =
        g_error_new (MSRP_ERROR, MSRP_ERROR_LIMIT_EXCEEDED,
                     "the peer does not read its responses: %u KiB of them wait unread",
                     (guint) (self->queued_response_bytes / 1024));

      g_debug ("%p %s", (void *) self, error->message);
      close_internal (self, error, CLOSE_NOW, NULL);
      return;
    }
  text = head_text (self, 0);
  msrp_response_append_head (request, status, text);
  enqueue (self, out_frame_new (self, NULL, text, NULL, msrp_frame_get_transaction_id (request),
                                MSRP_CONTINUATION_COMPLETE, FALSE, TRUE), NULL);
}

static const char *
request_session_id (MsrpFrame *head)
{
  /* The parser validated the head, which parsed its paths. */
  GPtrArray *to_path = msrp_frame_peek_path (head, MSRP_PATH_TO);

  if (to_path == NULL || to_path->len == 0)
    return NULL;
  return msrp_uri_get_session_id (g_ptr_array_index (to_path, 0));
}

static void hold_request (MsrpTransport *self);

/* The requests of a connection mostly go to the one session. */
static Endpoint *
find_endpoint (MsrpTransport *self, const char *session_id)
{
  Endpoint *ep = self->last_endpoint;

  if (ep != NULL && strcmp (ep->session_id, session_id) == 0)
    return ep;
  ep = g_hash_table_lookup (self->endpoints, session_id);
  if (ep != NULL)
    self->last_endpoint = ep;
  return ep;
}

/* Finds the endpoint for a request and asks it; sets ->in_state. */
static void
route_request (MsrpTransport *self, MsrpFrame *head)
{
  MsrpMethod method = msrp_frame_get_method (head);
  const GError *error = msrp_frame_get_parse_error (head);
  const char *session_id;
  Endpoint *ep;
  guint status;

  self->in_state = IN_REFUSED;
  if (error != NULL)
    {
      g_debug ("%p request %s is malformed: %s", (void *) self,
               msrp_frame_get_transaction_id (head), error->message);
      self->in_status = 400;
      return;
    }
  if (method != MSRP_METHOD_SEND && method != MSRP_METHOD_REPORT)
    {
      self->in_status = 501;
      return;
    }
  self->in_status = 481;
  session_id = request_session_id (head);
  if (session_id == NULL)
    return;
  ep = find_endpoint (self, session_id);
  if (ep == NULL && self->unbound_func != NULL)
    {
      status = 481;
      if (!self->unbound_func (self, head, &status, self->unbound_data))
        {
          self->in_status = status;
          return;
        }
      if (self->closing)
        return;
      if (self->request_holds > 0)
        {
          hold_request (self);
          return;
        }
      ep = find_endpoint (self, session_id);
    }
  if (ep == NULL)
    return;

  /* Set first: an unbind from the callback clears it. */
  self->in_endpoint = ep;
  status = ep->vtable->request_head (ep->owner, self, head);
  if (self->in_endpoint == NULL)
    {
      /* An endpoint may unbind itself as it refuses (a session whose
       * provisional binding the request undid); a request it took is 481. */
      if (status != MSRP_STATUS_OK)
        self->in_status = status;
      return;
    }
  if (status == MSRP_STATUS_OK)
    self->in_state = IN_ACCEPTED;
  else
    {
      self->in_endpoint = NULL;
      self->in_status = status;
    }
}

/* Stops at the request in ->in_head until the holds are released. */
static void
hold_request (MsrpTransport *self)
{
  self->in_state = IN_HELD;
  self->held = TRUE;
  self->read_holds++;
  msrp_parser_stop (self->parser);
}

static void
on_frame_head (MsrpParser *parser, MsrpFrame *head, gpointer user_data)
{
  MsrpTransport *self = user_data;

  if (self->closing)
    return;
  if (self->trace)
    trace_frame (self, head, "<<<");
  g_clear_pointer (&self->in_head, msrp_frame_unref);
  self->in_head = msrp_frame_ref (head);
  self->in_endpoint = NULL;
  self->in_state = IN_IGNORE;
  if (g_signal_has_handler_pending (self, signals[SIGNAL_FRAME_RECEIVED], 0, FALSE))
    {
      g_signal_emit (self, signals[SIGNAL_FRAME_RECEIVED], 0, head);
      if (self->closing)
        return;
    }
  if (!msrp_frame_is_request (head))
    self->in_state = IN_RESPONSE;
  else if (self->request_holds > 0)
    hold_request (self);
  else
    route_request (self, head);
}

static void
on_body_data (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data)
{
  MsrpTransport *self = user_data;
  Endpoint *ep = self->in_endpoint;

  if (self->in_state == IN_ACCEPTED && ep != NULL && ep->vtable->request_body != NULL)
    ep->vtable->request_body (ep->owner, self, head, data);
}

/* A response to a partial-report SEND whose send is over: a failure goes
 * to the endpoint that sent it. */
static void
handle_partial_response (MsrpTransport *self, Partial *partial, MsrpFrame *response)
{
  guint status = msrp_frame_get_status (response);
  g_autoptr(GError) error = NULL;
  Endpoint *ep;

  g_queue_unlink (&self->partial_order, &partial->link);
  g_hash_table_steal (self->partials, partial->tid);
  if (partial->deadline != 0 && partial->deadline <= g_get_monotonic_time ())
    g_debug ("%p ignoring response %u to %s after its timeout", (void *) self, status,
             partial->tid);
  else if (status >= 300)
    {
      ep = g_hash_table_lookup (self->endpoints, partial->session_id);
      error = msrp_error_new_from_status (status, msrp_frame_get_comment (response));
      g_debug ("%p message %s failed after it was sent: %s", (void *) self, partial->message_id,
               error->message);
      if (ep != NULL && ep->vtable->send_failed != NULL)
        ep->vtable->send_failed (ep->owner, self, partial->message_id, error);
    }
  partial_free (partial);
}

static void
handle_response (MsrpTransport *self, MsrpFrame *response)
{
  const char *tid = msrp_frame_get_transaction_id (response);
  MsrpIdLink *link = msrp_id_table_lookup (&self->transactions, tid);
  Transaction *txn = link != NULL ? MSRP_ID_ENTRY (link, Transaction, link) : NULL;
  guint status = msrp_frame_get_status (response);

  if (txn == NULL || !txn->expects_response)
    {
      Partial *partial = NULL;

      if (txn == NULL)
        partial = g_hash_table_lookup (self->partials, tid);
      else if (is_partial_send (txn->request))
        {
          /* A partial-report SEND whose asynchronous write has not told
           * its end yet (the peer's answer may be read first): it is over
           * as far as a response goes, and is not remembered again when
           * the write tells. */
          partial = partial_add (self, txn->request, g_get_monotonic_time ());
          g_clear_pointer (&txn->request, msrp_frame_unref);
        }
      if (partial != NULL)
        handle_partial_response (self, partial, response);
      else
        g_debug ("%p ignoring response %u to unknown transaction %s", (void *) self, status, tid);
      return;
    }
  if (status >= 300)
    {
      /* For msrp_transport_send_request_finish_full(). */
      if (txn->task != NULL)
        g_task_set_task_data (txn->task, msrp_frame_ref (response),
                              (GDestroyNotify) msrp_frame_unref);
      transaction_return (transaction_detach (self, txn), NULL,
                          msrp_error_new_from_status (status, msrp_frame_get_comment (response)));
    }
  else
    transaction_return (transaction_detach (self, txn), response, NULL);
}

static void
on_frame_end (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data)
{
  MsrpTransport *self = user_data;
  g_autoptr(MsrpFrame) frame = NULL;
  Endpoint *ep = self->in_endpoint;
  InState state = self->in_state;
  guint status = self->in_status;

  if (state == IN_HELD)
    {
      /* A bodiless request ends as it is held. */
      self->held_end = TRUE;
      self->held_flag = flag;
      return;
    }
  frame = g_steal_pointer (&self->in_head);
  self->in_endpoint = NULL;
  self->in_state = IN_IGNORE;
  if (frame == NULL || self->closing)
    return;
  switch (state)
    {
    case IN_IGNORE:
      break;
    case IN_RESPONSE:
      handle_response (self, frame);
      break;
    case IN_ACCEPTED:
      status = 481;
      if (ep != NULL)
        {
          self->in_endpoint = ep;
          status = ep->vtable->request_end (ep->owner, self, frame, flag);
          self->in_endpoint = NULL;
        }
      answer_request (self, frame, status);
      break;
    case IN_REFUSED:
      answer_request (self, frame, status);
      break;
    case IN_HELD:
      g_assert_not_reached ();
    }
}

static const MsrpParserCallbacks parser_callbacks = {
  .frame_head = on_frame_head,
  .body_data = on_body_data,
  .frame_end = on_frame_end,
};

static void
read_eof (MsrpTransport *self)
{
  g_autoptr(GError) error = NULL;

  if (!msrp_parser_is_idle (self->parser))
    error = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED,
                                 "connection closed in the middle of a frame");
  g_debug ("%p peer closed the connection", (void *) self);
  close_internal (self, error, CLOSE_NOW, NULL);
}

static void
read_failed (MsrpTransport *self, GError *error)
{
  g_prefix_error (&error, "cannot read from the connection: ");
  close_internal (self, error, CLOSE_NOW, NULL);
  g_error_free (error);
}

/* Feeds the @length bytes of @data at @offset to the parser; FALSE when
 * the transport closed. */
static gboolean
feed_parser (MsrpTransport *self, GBytes *data, gsize offset, gsize length)
{
  g_autoptr(GError) error = NULL;

  if (msrp_parser_feed_range (self->parser, data, offset, length, &error))
    {
      gsize used = msrp_parser_get_consumed (self->parser);

      if (self->held && !self->closing && used < length)
        self->held_input = g_bytes_new_from_bytes (data, offset + used, length - used);
      return !self->closing;
    }
  if (!self->closing)
    {
      const char *tid = msrp_parser_get_failed_request_tid (self->parser);
      g_autoptr(MsrpFrame) answer = tid ? msrp_frame_new_response (tid, 400, NULL) : NULL;

      g_debug ("%p framing lost: %s", (void *) self, error->message);
      close_internal (self, error, CLOSE_FLUSH_CURRENT, answer);
    }
  return FALSE;
}

/* A pollable source fires for what the underlying socket has, not for
 * what the stream itself buffers: a GTlsConnection holds the rest of a TLS
 * record it decrypted but could not hand over (our block had less room than
 * the record), and its source only polls the socket, which may be empty
 * for good. So the loop below polls only after a read that would block;
 * when it stops for any other reason (the budget, a hold) the next read is
 * made without polling first. */
static void
on_readable (MsrpTransport *self)
{
  gboolean would_block = FALSE;
  gsize total = 0;

  self->in_read = TRUE;
  while (total < READ_BUDGET && !self->closing && self->read_holds == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) block = NULL;
      gsize space;
      gssize n;

      if (self->block == NULL || self->block_used == READ_BLOCK_SIZE)
        {
          g_clear_pointer (&self->block, g_bytes_unref);
          /* Slices of the old block live on in frames and messages. */
          self->block_data = g_malloc (READ_BLOCK_SIZE);
          self->block = g_bytes_new_take (self->block_data, READ_BLOCK_SIZE);
          self->block_used = 0;
        }
      space = READ_BLOCK_SIZE - self->block_used;
      /* A socket stream's read is this, under layers that cost more than
       * the read itself. */
      if (self->socket != NULL)
        n = g_socket_receive_with_blocking (self->socket, (char *) self->block_data + self->block_used,
                                            space, FALSE, NULL, &error);
      else
        n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->input),
                                                      self->block_data + self->block_used, space,
                                                      NULL, &error);
      if (n < 0)
        {
          would_block = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          if (!would_block)
            read_failed (self, g_steal_pointer (&error));
          break;
        }
      if (n == 0)
        {
          read_eof (self);
          break;
        }
      block = g_bytes_ref (self->block);
      self->block_used += n;
      total += n;
      if (!feed_parser (self, block, self->block_used - n, n))
        break;
      /* On a plain socket a short read emptied the kernel's buffer: the
       * next read would only say so, and the socket's source sees what
       * comes next. A TLS stream may hold more than its source shows. */
      if (self->socket != NULL && (gsize) n < space)
        {
          would_block = TRUE;
          break;
        }
    }
  self->in_read = FALSE;
  if (self->closing || self->read_holds > 0)
    unwatch_input (self);
  else if (!would_block)
    make_due (self, &self->source->read_due);
  else
    watch_input (self);
  /* Answers and the requests callbacks made go out now, in one write,
   * rather than after another turn of the main loop. */
  if (self->source != NULL && self->source->flush_due)
    {
      self->source->flush_due = FALSE;
      flush_queue (self);
    }
}

/* The input polls readable. */
static void
on_poll_readable (MsrpTransport *self)
{
  if (self->in_read)
    {
      /* A main loop run from a callback of the read: the parser is in the
       * middle of a feed. Not again until that read is over. */
      unwatch_input (self);
      return;
    }
  /* A read without polling is due: that one reads, so no turn of the main
   * loop reads more than the budget. */
  if (self->source->read_due)
    return;
  on_readable (self);
}

static gboolean
on_stream_readable (GObject *stream, gpointer user_data)
{
  MsrpTransport *self = g_object_ref (user_data);

  on_poll_readable (self);
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

/* Dispatched with its fds polled and its flags and ready time checked:
 * it may dispatch again from a main loop run by a callback of its own
 * (it may recurse: GLib would otherwise take its fd out of the poll set
 * and put it back around each dispatch, each a write to the context's
 * wakeup eventfd). The reads guard themselves with ->in_read. */
static gboolean
transport_source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  TransportSource *ts = (TransportSource *) source;
  MsrpTransport *self = g_object_ref (ts->transport);
  gint64 ready_time;

  ts->dispatching++;
  if (ts->read_due)
    {
      ts->read_due = FALSE;
      /* Due again once the read a nested main loop interrupted is over. */
      if (!self->in_read)
        on_readable (self);
    }
#ifdef G_OS_UNIX
  else if (ts->socket_tag != NULL && g_source_query_unix_fd (source, ts->socket_tag) != 0)
    on_poll_readable (self);
#endif
  ready_time = g_source_get_ready_time (source);
  if (ready_time >= 0)
    {
      /* Not g_source_get_time(), which locks the context: a clock read later
       * than the check's sees every deadline the check saw. */
      gint64 now = g_get_monotonic_time ();

      if (ready_time <= now)
        on_timeouts (self, now);
    }
  if (ts->flush_due)
    {
      ts->flush_due = FALSE;
      flush_queue (self);
    }
  ts->dispatching--;
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

typedef struct {
  GWeakRef transport;
  GIOStream *stream;         /* closed here when the transport is gone */
} ReadOp;

static void start_async_read (MsrpTransport *self);

static void
on_read_bytes (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadOp *op = user_data;
  g_autoptr(MsrpTransport) self = g_weak_ref_get (&op->transport);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (self == NULL)
    g_io_stream_close_async (op->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_weak_ref_clear (&op->transport);
  g_object_unref (op->stream);
  g_free (op);
  if (self == NULL)
    return;

  self->read_pending = FALSE;
  if (self->stream_closing)
    {
      if (!self->write_pending)
        close_stream_now (self);
      return;
    }
  if (self->closing)
    return;
  if (bytes == NULL)
    read_failed (self, g_steal_pointer (&error));
  else if (g_bytes_get_size (bytes) == 0)
    read_eof (self);
  else if (feed_parser (self, bytes, 0, g_bytes_get_size (bytes)) && self->read_holds == 0)
    start_async_read (self);
}

static void
start_async_read (MsrpTransport *self)
{
  ReadOp *op = g_new0 (ReadOp, 1);

  g_weak_ref_init (&op->transport, self);
  op->stream = g_object_ref (self->stream);
  self->read_pending = TRUE;
  g_input_stream_read_bytes_async (self->input, ASYNC_READ_SIZE, G_PRIORITY_DEFAULT,
                                   self->read_cancellable, on_read_bytes, op);
}

/* GObject */

static void
msrp_transport_init (MsrpTransport *self)
{
  self->response_timeout = MSRP_TRANSPORT_DEFAULT_RESPONSE_TIMEOUT;
  /* Once: GLib reads the environment on every call. */
  self->trace = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
  self->read_cancellable = g_cancellable_new ();
  self->write_cancellable = g_cancellable_new ();
  self->parser = msrp_parser_new (&parser_callbacks, self);
  self->scratch = g_string_sized_new (SMALL_BODY + 1024);
  self->partials = g_hash_table_new_full (msrp_id_hash, g_str_equal, NULL,
                                          (GDestroyNotify) partial_free);
  g_queue_init (&self->partial_order);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) endpoint_free);
  self->close_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->control);
  g_queue_init (&self->bulk);
  g_queue_init (&self->deadlines);
}

static void
msrp_transport_constructed (GObject *object)
{
  MsrpTransport *self = MSRP_TRANSPORT (object);

  G_OBJECT_CLASS (msrp_transport_parent_class)->constructed (object);

  self->context = g_main_context_ref_thread_default ();
  self->input = g_io_stream_get_input_stream (self->stream);
  self->output = g_io_stream_get_output_stream (self->stream);
  self->pollable_input = G_IS_POLLABLE_INPUT_STREAM (self->input)
    && g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->input));
  self->pollable_output = G_IS_POLLABLE_OUTPUT_STREAM (self->output)
    && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->output));
  self->coalesce = G_IS_TLS_CONNECTION (self->stream);
#ifdef G_OS_UNIX
  /* A wrapper connection's streams are not the socket's. The transport's
   * source polls the socket's fd: Unix only. */
  if (self->pollable_input && G_IS_SOCKET_CONNECTION (self->stream)
      && !G_IS_TCP_WRAPPER_CONNECTION (self->stream))
    self->socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (self->stream));
#endif
  self->source = (TransportSource *) g_source_new (&transport_source_funcs,
                                                   sizeof (TransportSource));
  self->source->transport = self;
  g_source_set_can_recurse (&self->source->source, TRUE);
  g_source_set_static_name (&self->source->source, "MsrpTransport");
  g_source_attach (&self->source->source, self->context);
}

static void
msrp_transport_dispose (GObject *object)
{
  MsrpTransport *self = MSRP_TRANSPORT (object);

  if (self->stream != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (MSRP_ERROR, MSRP_ERROR_CLOSED,
                                                     "transport disposed");
      self->disposing = TRUE;
      close_internal (self, error, CLOSE_NOW, NULL);
      /* After an error, the last frames may still be going out: not any more.
       * A read in flight holds the stream and closes it when it ends. */
      close_stream (self);
    }
  msrp_source_clear (&self->read_source);
  if (self->source != NULL)
    {
      g_source_destroy (&self->source->source);
      g_source_unref (&self->source->source);
      self->source = NULL;
    }
  msrp_source_clear (&self->output_source);
  msrp_source_clear (&self->error_flush_source);
  if (self->unbound_destroy != NULL)
    self->unbound_destroy (self->unbound_data);
  self->unbound_func = NULL;
  self->unbound_destroy = NULL;
  G_OBJECT_CLASS (msrp_transport_parent_class)->dispose (object);
}

static void
msrp_transport_finalize (GObject *object)
{
  MsrpTransport *self = MSRP_TRANSPORT (object);

  msrp_parser_free (self->parser);
  g_clear_pointer (&self->in_head, msrp_frame_unref);
  g_clear_pointer (&self->held_input, g_bytes_unref);
  g_clear_pointer (&self->block, g_bytes_unref);
  g_string_free (self->scratch, TRUE);
  msrp_id_table_clear (&self->transactions);
  g_hash_table_unref (self->partials);
  g_hash_table_unref (self->endpoints);
  g_ptr_array_unref (self->close_tasks);
  g_clear_error (&self->close_error);
  g_clear_error (&self->flush_error);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->write_cancellable);
  g_clear_object (&self->close_cancellable);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (msrp_transport_parent_class)->finalize (object);
}

static void
msrp_transport_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MsrpTransport *self = MSRP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      g_value_set_object (value, self->stream);
      break;
    case PROP_RESPONSE_TIMEOUT:
      g_value_set_uint (value, self->response_timeout);
      break;
    case PROP_CLOSED:
      g_value_set_boolean (value, self->announced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_transport_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  MsrpTransport *self = MSRP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_STREAM:
      self->stream = g_value_dup_object (value);
      break;
    case PROP_RESPONSE_TIMEOUT:
      msrp_transport_set_response_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_transport_class_init (MsrpTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msrp_transport_constructed;
  object_class->dispose = msrp_transport_dispose;
  object_class->finalize = msrp_transport_finalize;
  object_class->get_property = msrp_transport_get_property;
  object_class->set_property = msrp_transport_set_property;

  /**
   * MsrpTransport:stream:
   *
   * The connection the transport reads and writes. The transport owns it
   * and closes it when it closes.
   */
  props[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, G_TYPE_IO_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpTransport:response-timeout:
   *
   * Seconds a request waits for its transaction response, counted from the
   * moment its last byte was written; 0 waits for ever. A change applies to
   * requests written afterwards.
   */
  props[PROP_RESPONSE_TIMEOUT] =
    g_param_spec_uint ("response-timeout", NULL, NULL, 0, G_MAXUINT,
                       MSRP_TRANSPORT_DEFAULT_RESPONSE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MsrpTransport:closed:
   *
   * Whether the transport has closed: it neither reads nor sends any more.
   * Becomes %TRUE just before [signal@Msrp.Transport::closed] is emitted.
   */
  props[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * MsrpTransport::frame-received:
   * @transport: the transport
   * @head: the frame head (start line and headers; no body)
   *
   * Emitted for every incoming frame, requests and responses alike, as soon
   * as its head has been parsed and before the transport acts on it. For
   * tracing: take a reference to keep @head, and do not change it.
   */
  signals[SIGNAL_FRAME_RECEIVED] =
    g_signal_new ("frame-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  MSRP_TYPE_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MsrpTransport::frame-sent:
   * @transport: the transport
   * @frame: the frame
   *
   * Emitted when the last byte of an outgoing frame (request or response)
   * has been written to the stream.
   *
   * The chunks of sessions and the automatic transaction responses are
   * formatted straight into the write queue: for them @frame is parsed
   * back from the bytes written.
   */
  signals[SIGNAL_FRAME_SENT] =
    g_signal_new ("frame-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  MSRP_TYPE_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MsrpTransport::closed:
   * @transport: the transport
   * @error: (nullable): why it closed; %NULL when the peer or the application
   *   closed it cleanly
   *
   * Emitted once when the transport closes, after every pending request has
   * failed and every bound endpoint has been told. Errors are from
   * %MSRP_ERROR (%MSRP_ERROR_FRAMING, %MSRP_ERROR_LIMIT_EXCEEDED,
   * %MSRP_ERROR_CLOSED) or the %G_IO_ERROR of a failed read or write.
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/* Public API */

/**
 * msrp_transport_new:
 * @stream: an open connection
 *
 * Makes a transport over @stream; it does not read until
 * msrp_transport_start(). It runs on the thread-default #GMainContext of
 * the caller.
 *
 * Returns: (transfer full): a new transport
 */
MsrpTransport *
msrp_transport_new (GIOStream *stream)
{
  g_return_val_if_fail (G_IS_IO_STREAM (stream), NULL);

  return g_object_new (MSRP_TYPE_TRANSPORT, "stream", stream, NULL);
}

/**
 * msrp_transport_start:
 * @transport: a transport
 *
 * Starts reading. Bind endpoints or set the unbound-request handler before,
 * or requests arriving first are answered 481.
 */
void
msrp_transport_start (MsrpTransport *transport)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  if (transport->started)
    return;
  transport->started = TRUE;
  resume_reading (transport);
}

/**
 * msrp_transport_get_stream:
 * @transport: a transport
 *
 * Gets the stream @transport reads and writes.
 *
 * Returns: (transfer none): the stream of @transport
 */
GIOStream *
msrp_transport_get_stream (MsrpTransport *transport)
{
  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), NULL);

  return transport->stream;
}

/**
 * msrp_transport_get_response_timeout:
 * @transport: a transport
 *
 * Gets how long a request waits for its response.
 *
 * Returns: the [property@Msrp.Transport:response-timeout] in seconds
 */
guint
msrp_transport_get_response_timeout (MsrpTransport *transport)
{
  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), 0);

  return transport->response_timeout;
}

/**
 * msrp_transport_set_response_timeout:
 * @transport: a transport
 * @seconds: how long requests wait for their response; 0 for ever
 *
 * Sets [property@Msrp.Transport:response-timeout].
 */
void
msrp_transport_set_response_timeout (MsrpTransport *transport, guint seconds)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  if (transport->response_timeout == seconds)
    return;
  transport->response_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (transport), props[PROP_RESPONSE_TIMEOUT]);
}

/**
 * msrp_transport_is_closed:
 * @transport: a transport
 *
 * Whether @transport has closed.
 *
 * Returns: the [property@Msrp.Transport:closed] property
 */
gboolean
msrp_transport_is_closed (MsrpTransport *transport)
{
  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), TRUE);

  return transport->announced;
}

/**
 * msrp_transport_get_queued_bytes:
 * @transport: a transport
 *
 * How many bytes of outgoing frames are waiting to be written. Senders of
 * large messages stop producing chunks while this is high.
 *
 * Returns: the bytes queued
 */
guint64
msrp_transport_get_queued_bytes (MsrpTransport *transport)
{
  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), 0);

  return transport->queued_bytes;
}

static gboolean
on_send_cancelled (GCancellable *cancellable, gpointer user_data)
{
  Transaction *txn = user_data;
  /* Only GTask transactions have a cancellable. */
  MsrpTransport *self = g_object_ref (g_task_get_source_object (txn->task));
  OutFrame *out = txn->out;

  /* Not a byte written yet: it never goes out. Otherwise it is finished
   * (frames never interleave), but nobody waits for it any more. */
  if (out != NULL && out->written == 0 && !out->in_flight && out != self->current)
    out_frame_drop (self, out);
  transaction_complete (self, txn, NULL,
                        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "Operation was cancelled"));
  check_low_water (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Registers @txn (a new one with its requester set) for @request and
 * queues the request. */
static void
queue_request (MsrpTransport *transport, MsrpFrame *request, Transaction *txn,
               GCancellable *cancellable)
{
  MsrpMethod method = msrp_frame_get_method (request);

  g_strlcpy (txn->tid, msrp_frame_get_transaction_id (request), sizeof txn->tid);
  txn->request = msrp_frame_ref (request);
  txn->expects_response = method != MSRP_METHOD_REPORT
    && !(method == MSRP_METHOD_SEND && msrp_frame_get_failure_report (request) != MSRP_REPORT_YES);
  msrp_id_table_add (&transport->transactions, &txn->link, txn->tid);
  if (cancellable != NULL)
    {
      txn->cancel_source = g_cancellable_source_new (cancellable);
      /* Ahead of the writes: a request cancelled before they ran never goes out. */
      g_source_set_priority (txn->cancel_source, G_PRIORITY_DEFAULT - 1);
      g_source_set_callback (txn->cancel_source, G_SOURCE_FUNC (on_send_cancelled), txn, NULL);
      g_source_set_static_name (txn->cancel_source, "MsrpTransport cancel");
      g_source_attach (txn->cancel_source, transport->context);
    }
  enqueue_frame (transport, request, method == MSRP_METHOD_SEND, txn);
}

/**
 * msrp_transport_send_request_async:
 * @transport: a transport
 * @request: a request frame; do not change it afterwards
 * @cancellable: (nullable): a #GCancellable
 * @callback: (nullable): called when the transaction is over
 * @user_data: data for @callback
 *
 * Queues @request for sending and waits for its transaction response.
 * A REPORT queued with neither @callback nor @cancellable is only written
 * (when the transport is still open then).
 *
 * SEND requests go out in the order they were queued, after any other
 * frame waiting. The transaction is over when the response arrives; for a
 * REPORT, and a SEND with `Failure-Report: no` or `partial`, which get no
 * response on success, when the request has been written. A request that
 * got no response within [property@Msrp.Transport:response-timeout] of
 * being written fails with %MSRP_ERROR_TIMEOUT.
 *
 * A failure response to a `partial` SEND may still come after that: the
 * transport remembers such SENDs (the most recent 4096) until the response
 * timeout has passed since they were written, and hands a failure response
 * to the session that sent the request, which fails its message.
 *
 * Cancelling before any byte of @request was written takes it out of the
 * queue; afterwards, the request is written in full but its response is
 * no longer awaited. A transaction id already waiting on this transport
 * fails with %MSRP_ERROR_FAILED; a closed (or closing) transport fails
 * with %MSRP_ERROR_CLOSED.
 */
void
msrp_transport_send_request_async (MsrpTransport       *transport,
                                   MsrpFrame           *request,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MsrpMethod method;
  Transaction *txn;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (request != NULL && msrp_frame_is_request (request));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  method = msrp_frame_get_method (request);
  /* A REPORT gets no response: nobody waiting, it needs no transaction. */
  if (method == MSRP_METHOD_REPORT && callback == NULL && cancellable == NULL)
    {
      if (!transport->closing)
        enqueue_frame (transport, request, FALSE, NULL);
      return;
    }

  task = g_task_new (transport, cancellable, callback, user_data);
  /* The function: GLib 2.74's macro also names the task, a copy per send. */
  (g_task_set_source_tag) (task, msrp_transport_send_request_async);
  if (transport->closing)
    {
      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_CLOSED, "connection closed");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (msrp_id_table_lookup (&transport->transactions, msrp_frame_get_transaction_id (request)))
    {
      g_task_return_new_error (task, MSRP_ERROR, MSRP_ERROR_FAILED,
                               "transaction id %s is already in use",
                               msrp_frame_get_transaction_id (request));
      return;
    }

  txn = msrp_new0 (Transaction);
  txn->task = g_steal_pointer (&task);
  queue_request (transport, request, txn, cancellable);
}

/* A transaction that ends by calling @done, with its own reference on
 * @transport. */
static Transaction *
transaction_new_done (MsrpTransport *transport, MsrpTransactionDone done, gpointer user_data)
{
  Transaction *txn = msrp_new0 (Transaction);

  txn->done = done;
  txn->done_data = user_data;
  txn->transport = g_object_ref (transport);
  return txn;
}

typedef struct {
  MsrpTransactionDone done;
  gpointer data;
} DoneCtx;

static void
done_from_task (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DoneCtx *ctx = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpFrame) response = NULL;

  response = msrp_transport_send_request_finish (MSRP_TRANSPORT (source), result, &error);
  ctx->done (MSRP_TRANSPORT (source), response, error, ctx->data);
  g_free (ctx);
}

void
msrp_transport_send_request_full (MsrpTransport       *transport,
                                  MsrpFrame           *request,
                                  MsrpTransactionDone  done,
                                  gpointer             user_data)
{
  Transaction *txn;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (request != NULL && msrp_frame_is_request (request));
  g_return_if_fail (done != NULL);

  /* Refused at once: through a GTask, which tells in a later iteration. */
  if (transport->closing
      || msrp_id_table_lookup (&transport->transactions, msrp_frame_get_transaction_id (request)))
    {
      DoneCtx *ctx = g_new (DoneCtx, 1);

      ctx->done = done;
      ctx->data = user_data;
      msrp_transport_send_request_async (transport, request, NULL, done_from_task, ctx);
      return;
    }
  txn = transaction_new_done (transport, done, user_data);
  queue_request (transport, request, txn, NULL);
}

void
msrp_transport_send_chunk (MsrpTransport       *transport,
                           const MsrpSendSpec  *spec,
                           MsrpTransactionDone  done,
                           gpointer             user_data)
{
  GBytes *body = spec->content_type != NULL ? spec->body : NULL;
  Transaction *txn;
  GString *text;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (done != NULL);

  /* A partial SEND is remembered from its frame once written; a closing
   * transport refuses through msrp_transport_send_request_full(). */
  if (transport->closing || spec->failure_report == MSRP_REPORT_PARTIAL)
    {
      g_autoptr(MsrpFrame) frame = msrp_send_spec_to_frame (spec, NULL);

      msrp_transport_send_request_full (transport, frame, done, user_data);
      return;
    }

  txn = transaction_new_done (transport, done, user_data);
  /* 95 random bits: a clash with a transaction under way is only possible
   * (and not at all without one, as in a ping-pong). */
  do
    msrp_fill_id (txn->tid);
  while (transport->transactions.size > 0
         && msrp_id_table_lookup (&transport->transactions, txn->tid) != NULL);
  txn->expects_response = spec->failure_report == MSRP_REPORT_YES;
  msrp_id_table_add (&transport->transactions, &txn->link, txn->tid);
  text = head_text (transport, body != NULL ? g_bytes_get_size (body) : 0);
  msrp_send_spec_append_head (spec, txn->tid, text);
  enqueue (transport, out_frame_new (transport, NULL, text, body, txn->tid, spec->flag, TRUE, FALSE),
           txn);
}

/**
 * msrp_transport_send_request_finish:
 * @transport: a transport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes msrp_transport_send_request_async(). A failure response
 * (status 300 or more) is an error from msrp_error_new_from_status().
 *
 * Returns: (transfer full) (nullable): the response, or %NULL for a request
 *   that gets no response on success (then @error tells whether it failed)
 */
MsrpFrame *
msrp_transport_send_request_finish (MsrpTransport  *transport,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == msrp_transport_send_request_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MsrpFrame *
msrp_transport_send_request_finish_full (MsrpTransport  *transport,
                                         GAsyncResult   *result,
                                         MsrpFrame     **failure,
                                         GError        **error)
{
  MsrpFrame *failure_response;

  g_return_val_if_fail (g_task_is_valid (result, transport), NULL);
  g_return_val_if_fail (failure != NULL && *failure == NULL, NULL);

  failure_response = g_task_get_task_data (G_TASK (result));
  if (failure_response != NULL)
    *failure = msrp_frame_ref (failure_response);
  return msrp_transport_send_request_finish (transport, result, error);
}

/**
 * msrp_transport_send_response:
 * @transport: a transport
 * @response: a response frame
 *
 * Queues @response ahead of any SEND request waiting. Does nothing once
 * the transport is closed.
 */
void
msrp_transport_send_response (MsrpTransport *transport, MsrpFrame *response)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (response != NULL && !msrp_frame_is_request (response));

  if (transport->closing)
    return;
  enqueue_frame (transport, response, FALSE, NULL);
}

/**
 * msrp_transport_close_async:
 * @transport: a transport
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the stream is closed
 * @user_data: data for @callback
 *
 * Stops reading, writes every frame queued, then closes the stream.
 * Requests still waiting for a response fail with %MSRP_ERROR_CLOSED.
 * A peer that does not read keeps the flush waiting: call
 * msrp_transport_abort() to give up.
 */
void
msrp_transport_close_async (MsrpTransport       *transport,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  task = g_task_new (transport, cancellable, callback, user_data);
  g_task_set_source_tag (task, msrp_transport_close_async);
  if (transport->stream_closed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (transport->close_tasks, g_steal_pointer (&task));
  close_internal (transport, NULL, CLOSE_FLUSH, NULL);
}

/**
 * msrp_transport_close_finish:
 * @transport: a transport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes msrp_transport_close_async().
 *
 * Returns: %TRUE when every queued frame was written before the close
 */
gboolean
msrp_transport_close_finish (MsrpTransport  *transport,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * msrp_transport_abort:
 * @transport: a transport
 * @error: (nullable): why, passed on to [signal@Msrp.Transport::closed] and
 *   to pending requests; %NULL for a plain close
 *
 * Closes at once, dropping every frame not yet written.
 */
void
msrp_transport_abort (MsrpTransport *transport, const GError *error)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  g_object_ref (transport);
  if (!transport->closing)
    close_internal (transport, error, CLOSE_NOW, NULL);
  else
    close_stream (transport);
  g_object_unref (transport);
}

/* Private API */

gboolean
msrp_transport_has_room (MsrpTransport *transport)
{
  return !transport->announced && transport->queued_bytes <= MSRP_TRANSPORT_HIGH_WATER;
}

gboolean
msrp_transport_bind_endpoint (MsrpTransport            *transport,
                              const char               *session_id,
                              const MsrpEndpointVTable *vtable,
                              gpointer                  owner)
{
  Endpoint *ep;

  g_return_val_if_fail (MSRP_IS_TRANSPORT (transport), FALSE);
  g_return_val_if_fail (session_id != NULL && vtable != NULL, FALSE);

  if (transport->closing || g_hash_table_contains (transport->endpoints, session_id))
    return FALSE;
  ep = g_new0 (Endpoint, 1);
  ep->session_id = g_strdup (session_id);
  ep->vtable = vtable;
  ep->owner = owner;
  g_hash_table_insert (transport->endpoints, ep->session_id, ep);
  return TRUE;
}

void
msrp_transport_unbind_endpoint (MsrpTransport *transport, const char *session_id)
{
  Endpoint *ep;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (session_id != NULL);

  ep = g_hash_table_lookup (transport->endpoints, session_id);
  if (ep == NULL)
    return;
  if (transport->in_endpoint == ep)
    transport->in_endpoint = NULL;
  if (transport->last_endpoint == ep)
    transport->last_endpoint = NULL;
  g_hash_table_remove (transport->endpoints, session_id);
}

void
msrp_transport_set_unbound_handler (MsrpTransport          *transport,
                                    MsrpUnboundRequestFunc  func,
                                    gpointer                user_data,
                                    GDestroyNotify          destroy)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  if (transport->unbound_destroy != NULL)
    transport->unbound_destroy (transport->unbound_data);
  transport->unbound_func = func;
  transport->unbound_data = user_data;
  transport->unbound_destroy = destroy;
}

void
msrp_transport_hold_requests (MsrpTransport *transport)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  transport->request_holds++;
}

void
msrp_transport_release_requests (MsrpTransport *transport)
{
  g_autoptr(MsrpTransport) self = NULL;
  g_autoptr(GBytes) input = NULL;

  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (transport->request_holds > 0);

  if (--transport->request_holds > 0 || !transport->held)
    return;
  self = g_object_ref (transport);
  self->held = FALSE;
  self->read_holds--;
  if (self->closing)
    return;
  /* Routed again from the start: what it was held for may be gone. */
  route_request (self, self->in_head);
  if (self->held || self->closing)
    return;
  if (self->held_end)
    {
      self->held_end = FALSE;
      on_frame_end (self->parser, self->in_head, self->held_flag, self);
    }
  input = g_steal_pointer (&self->held_input);
  if (input != NULL && !feed_parser (self, input, 0, g_bytes_get_size (input)))
    return;
  if (!self->held)
    resume_reading (self);
}

void
msrp_transport_hold_reading (MsrpTransport *transport)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));

  /* The read loop checks the count and drops its source. */
  transport->read_holds++;
}

void
msrp_transport_release_reading (MsrpTransport *transport)
{
  g_return_if_fail (MSRP_IS_TRANSPORT (transport));
  g_return_if_fail (transport->read_holds > 0);

  if (--transport->read_holds == 0)
    resume_reading (transport);
}
