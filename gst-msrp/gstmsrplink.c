/* gstmsrplink.c: how msrpsrc and msrpsink hold an MsrpSession
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrplink.h"

GST_DEBUG_CATEGORY_STATIC (gst_msrp_link_debug);
#define GST_CAT_DEFAULT gst_msrp_link_debug

struct _GstMsrpLink
{
  gint ref;
  MsrpSession *session;
  GMainContext *context;

  GMutex lock;
  GCond cond;
  gboolean flushing;
  gboolean shut_down;
  /* Threads in g_cond_wait(): a broadcast is a system call, skipped when
   * nobody waits. */
  guint waiters;
  /* Cancelled while flushing and once the session or a send failed, so
   * blocking writes into a stream body end too. */
  GCancellable *cancellable;

  gboolean closed;
  /* Why the session ended, or the first send that failed. */
  GError *error;
  gulong closed_id;

  /* Receiving */
  gulong received_id;
  guint max_queued;
  gboolean wake_pending;
  GQueue items;
  gboolean held;
  gboolean release_pending;
  GstClock *clock;
  GstClockID wait_id;

  /* Sending: messages handed over by the streaming thread wait in the
   * outbox until the session's context takes them all at once. */
  GQueue outbox;
  gboolean outbox_scheduled;
  guint pending;
  guint64 pending_bytes;
  /* A thread in gst_msrp_link_wait_sends() wakes when the sends are down
   * to these. */
  guint wake_pending_sends;
  guint64 wake_pending_bytes;
  gboolean close_done;
};

void
gst_msrp_item_free (GstMsrpItem *item)
{
  g_object_unref (item->message);
  g_free (item);
}

GstMsrpLink *
gst_msrp_link_ref (GstMsrpLink *link)
{
  g_atomic_int_inc (&link->ref);
  return link;
}

void
gst_msrp_link_unref (GstMsrpLink *link)
{
  if (!g_atomic_int_dec_and_test (&link->ref))
    return;
  g_assert (link->closed_id == 0 && link->received_id == 0 && !link->held);
  g_queue_clear_full (&link->items, (GDestroyNotify) gst_msrp_item_free);
  g_assert (g_queue_is_empty (&link->outbox));
  g_clear_object (&link->clock);
  g_clear_error (&link->error);
  g_object_unref (link->cancellable);
  g_object_unref (link->session);
  g_main_context_unref (link->context);
  g_mutex_clear (&link->lock);
  g_cond_clear (&link->cond);
  g_free (link);
}

static void
link_closure_notify (gpointer data, GClosure *closure)
{
  gst_msrp_link_unref (data);
}

/* Wakes whoever waits on the streaming side. Called with the lock held. */
static void
wake (GstMsrpLink *link)
{
  if (link->wait_id != NULL)
    gst_clock_id_unschedule (link->wait_id);
  if (link->waiters > 0)
    g_cond_broadcast (&link->cond);
}

/* Called with the lock held. */
static void
wait_cond (GstMsrpLink *link)
{
  link->waiters++;
  g_cond_wait (&link->cond, &link->lock);
  link->waiters--;
}

/* Records a failure once; later ones are consequences of the first. Called
 * with the lock held. */
static void
fail (GstMsrpLink *link, const GError *error)
{
  if (link->error == NULL)
    link->error = g_error_copy (error);
  g_cancellable_cancel (link->cancellable);
  wake (link);
}

static void
on_closed (MsrpSession *session, const GError *error, GstMsrpLink *link)
{
  g_mutex_lock (&link->lock);
  GST_DEBUG ("session %s closed: %s", msrp_session_get_session_id (session),
             error ? error->message : "cleanly");
  link->closed = TRUE;
  if (error != NULL)
    fail (link, error);
  wake (link);
  g_mutex_unlock (&link->lock);
}

/* The session's context must be running (an application iterating it, or
 * the element's own thread) for anything to happen. */
GstMsrpLink *
gst_msrp_link_new (MsrpSession *session,
                   GError     **error)
{
  GstMsrpLink *link;

  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);

  if (gst_msrp_link_debug == NULL)
    GST_DEBUG_CATEGORY_INIT (gst_msrp_link_debug, "msrplink", 0, "MSRP session links");

  link = g_new0 (GstMsrpLink, 1);
  link->ref = 1;
  link->session = g_object_ref (session);
  link->context = g_main_context_ref (msrp_session_get_context (session));
  link->cancellable = g_cancellable_new ();
  g_mutex_init (&link->lock);
  g_cond_init (&link->cond);
  g_queue_init (&link->items);
  g_queue_init (&link->outbox);

  link->closed_id = g_signal_connect_data (session, "closed", G_CALLBACK (on_closed),
                                           gst_msrp_link_ref (link), link_closure_notify, 0);
  /* Connected first: a session closing now is seen either here or by the
   * handler. */
  if (msrp_session_is_closed (session))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_CLOSED, "The MSRP session is closed");
      gst_msrp_link_shutdown (link);
      gst_msrp_link_unref (link);
      return NULL;
    }
  return link;
}

MsrpSession *
gst_msrp_link_get_session (GstMsrpLink *link)
{
  return link->session;
}

/* Runs @func on the session's context: at once when this thread may run
 * it, otherwise from that context's loop. */
void
gst_msrp_link_invoke (GstMsrpLink   *link,
                      GSourceFunc    func,
                      gpointer       data,
                      GDestroyNotify notify)
{
  g_main_context_invoke_full (link->context, G_PRIORITY_DEFAULT, func, data, notify);
}

static gboolean
release_on_context (gpointer data)
{
  GstMsrpLink *link = data;
  gboolean release = FALSE;

  g_mutex_lock (&link->lock);
  link->release_pending = FALSE;
  if (link->held && (link->shut_down || g_queue_get_length (&link->items) < link->max_queued))
    {
      link->held = FALSE;
      release = TRUE;
    }
  g_mutex_unlock (&link->lock);
  if (release)
    msrp_session_release_reading (link->session);
  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
schedule_release (GstMsrpLink *link)
{
  if (!link->held || link->release_pending)
    return;
  link->release_pending = TRUE;
  gst_msrp_link_invoke (link, release_on_context, gst_msrp_link_ref (link),
                        (GDestroyNotify) gst_msrp_link_unref);
}

/* Stops taking anything from the session. Messages not pushed yet are
 * dropped; sends under way go on (the application owns the session). */
void
gst_msrp_link_shutdown (GstMsrpLink *link)
{
  g_mutex_lock (&link->lock);
  link->shut_down = TRUE;
  wake (link);
  schedule_release (link);
  g_mutex_unlock (&link->lock);

  /* Thread-safe; a handler already running finishes first on its thread,
   * and finds the link shut down. */
  if (link->closed_id != 0)
    g_signal_handler_disconnect (link->session, link->closed_id);
  if (link->received_id != 0)
    g_signal_handler_disconnect (link->session, link->received_id);
  link->closed_id = link->received_id = 0;
}

void
gst_msrp_link_set_flushing (GstMsrpLink *link,
                            gboolean     flushing)
{
  g_mutex_lock (&link->lock);
  link->flushing = flushing;
  if (flushing)
    {
      g_cancellable_cancel (link->cancellable);
      wake (link);
    }
  else if (link->error == NULL)
    g_cancellable_reset (link->cancellable);
  g_mutex_unlock (&link->lock);
}

/* Cancelled while the element flushes and after a failure: for blocking
 * calls of the streaming thread. */
GCancellable *
gst_msrp_link_get_cancellable (GstMsrpLink *link)
{
  return link->cancellable;
}

/* --- Receiving ---------------------------------------------------------- */

static gboolean
wake_on_context (gpointer data)
{
  GstMsrpLink *link = data;

  g_mutex_lock (&link->lock);
  link->wake_pending = FALSE;
  wake (link);
  g_mutex_unlock (&link->lock);
  return G_SOURCE_REMOVE;
}

static void
on_message_received (MsrpSession *session, MsrpIncomingMessage *message, GstMsrpLink *link)
{
  GstMsrpItem *item;
  gboolean hold = FALSE;

  /* The application streamed this one to its own output stream. */
  if (msrp_incoming_message_get_bytes (message) == NULL)
    return;

  item = g_new0 (GstMsrpItem, 1);
  item->message = g_object_ref (message);

  g_mutex_lock (&link->lock);
  if (link->shut_down)
    {
      g_mutex_unlock (&link->lock);
      gst_msrp_item_free (item);
      return;
    }
  /* Stamped under the lock: a GAP computed after this cannot end later. */
  item->arrival = link->clock ? gst_clock_get_time (link->clock) : GST_CLOCK_TIME_NONE;
  g_queue_push_tail (&link->items, item);
  if (!link->held && g_queue_get_length (&link->items) >= link->max_queued)
    {
      GST_DEBUG ("%u messages queued, holding reading", link->max_queued);
      link->held = hold = TRUE;
    }
  /* Waking the streaming thread is a system call: once per batch of
   * messages read together, after the session's context dispatched them. */
  if (!link->wake_pending && (link->wait_id != NULL || link->waiters > 0))
    {
      GSource *source = g_idle_source_new ();

      link->wake_pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, wake_on_context, gst_msrp_link_ref (link),
                             (GDestroyNotify) gst_msrp_link_unref);
      g_source_attach (source, link->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&link->lock);

  if (hold)
    msrp_session_hold_reading (session);
}

void
gst_msrp_link_start_receiving (GstMsrpLink *link,
                               guint        max_queued)
{
  link->max_queued = MAX (max_queued, 1);
  link->received_id = g_signal_connect_data (link->session, "message-received",
                                             G_CALLBACK (on_message_received),
                                             gst_msrp_link_ref (link), link_closure_notify, 0);
}

/* Messages that complete while @clock is set are stamped with its time;
 * the element sets it while playing. */
void
gst_msrp_link_set_clock (GstMsrpLink *link,
                         GstClock    *clock)
{
  g_mutex_lock (&link->lock);
  gst_object_replace ((GstObject **) &link->clock, (GstObject *) clock);
  g_mutex_unlock (&link->lock);
}

/* Waits until a message is there, @deadline (absolute time on @clock;
 * GST_CLOCK_TIME_NONE or no clock: no deadline) has passed, the element
 * flushes or the session ends. Queued messages come before the end. */
GstMsrpWaitResult
gst_msrp_link_wait_item (GstMsrpLink  *link,
                         GstClock     *clock,
                         GstClockTime  deadline,
                         GstMsrpItem **item,
                         GError      **error)
{
  GstMsrpWaitResult result;

  g_mutex_lock (&link->lock);
  for (;;)
    {
      GstClockID id;
      GstClockReturn ret;

      if (link->flushing || link->shut_down)
        {
          result = GST_MSRP_WAIT_FLUSHING;
          break;
        }
      if (!g_queue_is_empty (&link->items))
        {
          *item = g_queue_pop_head (&link->items);
          if (g_queue_get_length (&link->items) < link->max_queued / 2 + 1)
            schedule_release (link);
          result = GST_MSRP_WAIT_ITEM;
          break;
        }
      if (link->closed || link->error != NULL)
        {
          result = link->error ? GST_MSRP_WAIT_ERROR : GST_MSRP_WAIT_CLOSED;
          if (link->error != NULL)
            g_propagate_error (error, g_error_copy (link->error));
          break;
        }
      if (clock == NULL || !GST_CLOCK_TIME_IS_VALID (deadline))
        {
          wait_cond (link);
          continue;
        }

      id = link->wait_id = gst_clock_new_single_shot_id (clock, deadline);
      g_mutex_unlock (&link->lock);
      ret = gst_clock_id_wait (id, NULL);
      g_mutex_lock (&link->lock);
      link->wait_id = NULL;
      gst_clock_id_unref (id);
      if (ret == GST_CLOCK_OK || ret == GST_CLOCK_EARLY)
        {
          result = GST_MSRP_WAIT_TIMEOUT;
          break;
        }
    }
  g_mutex_unlock (&link->lock);
  return result;
}

/* --- Sending ------------------------------------------------------------ */

typedef struct {
  GstMsrpLink *link;
  MsrpOutgoingMessage *message;
  GCancellable *cancellable;
  GObject *keep;
  guint64 size;
} SendCtx;

static void
send_ctx_free (SendCtx *ctx)
{
  g_clear_object (&ctx->cancellable);
  g_clear_object (&ctx->keep);
  g_object_unref (ctx->message);
  gst_msrp_link_unref (ctx->link);
  g_free (ctx);
}

static void
send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendCtx *ctx = user_data;
  GstMsrpLink *link = ctx->link;
  g_autoptr(GError) error = NULL;

  msrp_session_send_finish (MSRP_SESSION (source), result, &error);
  g_mutex_lock (&link->lock);
  link->pending--;
  link->pending_bytes -= ctx->size;
  if (error != NULL)
    {
      GST_DEBUG ("sending %s failed: %s",
                 msrp_outgoing_message_get_message_id (ctx->message), error->message);
      fail (link, error);
    }
  else if (link->pending <= link->wake_pending_sends &&
           link->pending_bytes <= link->wake_pending_bytes)
    wake (link);
  g_mutex_unlock (&link->lock);
  send_ctx_free (ctx);
}

static gboolean
send_on_context (gpointer data)
{
  GstMsrpLink *link = data;
  GQueue batch;

  g_mutex_lock (&link->lock);
  batch = link->outbox;
  g_queue_init (&link->outbox);
  link->outbox_scheduled = FALSE;
  g_mutex_unlock (&link->lock);
  for (GList *l = batch.head; l != NULL; l = l->next)
    {
      SendCtx *ctx = l->data;

      msrp_session_send_async (link->session, ctx->message, ctx->cancellable, send_done, ctx);
    }
  g_queue_clear (&batch);
  return G_SOURCE_REMOVE;
}

/* Hands @message to the session; cancelling @cancellable aborts it. The
 * result counts in gst_msrp_link_wait_sends(). @keep (the stream a body is
 * read from) is released on the session's context when the send is over. */
void
gst_msrp_link_send (GstMsrpLink         *link,
                    MsrpOutgoingMessage *message,
                    GCancellable        *cancellable,
                    GObject             *keep)
{
  SendCtx *ctx = g_new0 (SendCtx, 1);
  gint64 size = msrp_outgoing_message_get_size (message);
  gboolean schedule;

  ctx->link = gst_msrp_link_ref (link);
  ctx->message = g_object_ref (message);
  ctx->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  ctx->keep = keep ? g_object_ref (keep) : NULL;
  ctx->size = size > 0 ? size : 0;
  g_mutex_lock (&link->lock);
  link->pending++;
  link->pending_bytes += ctx->size;
  g_queue_push_tail (&link->outbox, ctx);
  /* Waking the session's context is a system call: once per batch. */
  schedule = !link->outbox_scheduled;
  link->outbox_scheduled = TRUE;
  g_mutex_unlock (&link->lock);
  if (schedule)
    gst_msrp_link_invoke (link, send_on_context, gst_msrp_link_ref (link),
                          (GDestroyNotify) gst_msrp_link_unref);
}

/* Called with the lock held: the result for a waiting streaming thread
 * when it must stop waiting, or GST_MSRP_WAIT_ITEM to go on. */
static GstMsrpWaitResult
send_wait_check (GstMsrpLink *link, GError **error)
{
  if (link->error != NULL)
    {
      g_propagate_error (error, g_error_copy (link->error));
      return GST_MSRP_WAIT_ERROR;
    }
  if (link->flushing || link->shut_down)
    return GST_MSRP_WAIT_FLUSHING;
  return GST_MSRP_WAIT_ITEM;
}

/* When more than @max_pending sends or @max_pending_bytes bytes of them
 * are unfinished, waits until half as many are (0, 0: all finished), so a
 * steady stream wakes the caller once per half window rather than once per
 * message. GST_MSRP_WAIT_ITEM then. */
GstMsrpWaitResult
gst_msrp_link_wait_sends (GstMsrpLink *link,
                          guint        max_pending,
                          guint64      max_pending_bytes,
                          GError     **error)
{
  GstMsrpWaitResult result;

  g_mutex_lock (&link->lock);
  result = send_wait_check (link, error);
  if (result == GST_MSRP_WAIT_ITEM &&
      (link->pending > max_pending || link->pending_bytes > max_pending_bytes))
    {
      link->wake_pending_sends = max_pending / 2;
      link->wake_pending_bytes = max_pending_bytes / 2;
      do
        {
          /* A session that ends fails its sends, which wakes this up. */
          wait_cond (link);
          result = send_wait_check (link, error);
        }
      while (result == GST_MSRP_WAIT_ITEM &&
             (link->pending > link->wake_pending_sends ||
              link->pending_bytes > link->wake_pending_bytes));
    }
  g_mutex_unlock (&link->lock);
  return result;
}

static void
close_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GstMsrpLink *link = user_data;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_close_finish (MSRP_SESSION (source), result, &error))
    GST_DEBUG ("closing the session: %s", error->message);
  g_mutex_lock (&link->lock);
  link->close_done = TRUE;
  wake (link);
  g_mutex_unlock (&link->lock);
  gst_msrp_link_unref (link);
}

static gboolean
close_on_context (gpointer data)
{
  GstMsrpLink *link = data;

  msrp_session_close_async (link->session, NULL, close_done, gst_msrp_link_ref (link));
  return G_SOURCE_REMOVE;
}

/* Closes the session and waits until that is done (the close writes out
 * what is queued first). GST_MSRP_WAIT_CLOSED then. */
GstMsrpWaitResult
gst_msrp_link_close_session (GstMsrpLink *link,
                             GError     **error)
{
  GstMsrpWaitResult result = GST_MSRP_WAIT_CLOSED;

  gst_msrp_link_invoke (link, close_on_context, gst_msrp_link_ref (link),
                        (GDestroyNotify) gst_msrp_link_unref);
  g_mutex_lock (&link->lock);
  while (!link->close_done)
    {
      if (link->flushing || link->shut_down)
        {
          result = GST_MSRP_WAIT_FLUSHING;
          break;
        }
      wait_cond (link);
    }
  g_mutex_unlock (&link->lock);
  return result;
}
