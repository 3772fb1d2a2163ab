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

/* How long closing a standalone session at stop may take before its
 * connection is dropped (a peer that reads nothing would hold it). */
#define STOP_CLOSE_SECONDS 2

typedef struct _SendCtx SendCtx;

struct _GstMsrpLink
{
  gint ref;
  GMainContext *context;
  guint max_queued;
  gint chunk_size;

  /* Standalone: the link's own thread runs @context and makes the
   * connection. Used on that thread only, but for @thread itself. */
  GThread *thread;
  GMainLoop *loop;
  GstMsrpLinkConfig *config;
  MsrpConnector *connector;
  GCancellable *connect_cancellable;
  /* Asynchronous calls under way; the loop ends when none is left after
   * gst_msrp_link_shutdown(). */
  guint ops;
  gboolean stopping;
  GSource *abort_source;
  /* Known once prepared, before gst_msrp_link_new_standalone() returns. */
  char *local_path;
  char *local_fingerprint;

  GMutex lock;
  GCond cond;
  /* Failures are posted as its errors, once; NULL after shutdown. */
  GstElement *element;
  gboolean error_posted;
  GError *prepare_error;
  /* NULL until the connection is made (standalone). */
  MsrpSession *session;
  gulong closed_id;
  gulong received_id;
  gboolean prepared;
  gboolean flushing;
  gboolean shut_down;
  /* The application asked for EOS (gst_msrp_link_request_eos()). */
  gboolean eos_requested;
  /* Threads in g_cond_wait(): a broadcast is a system call, skipped when
   * nobody waits. */
  guint waiters;
  /* Cancelled while flushing and once the session or a send failed, so
   * blocking writes into a stream body end too. */
  GCancellable *cancellable;
  gboolean closed;
  /* Why the session ended (or could not be made), or the first send that
   * failed. */
  GError *error;

  /* Receiving */
  GQueue items;
  /* Runs hand-overs and releases on the session's context: one source for
   * the link's life, made ready per batch, rather than a new one each
   * time. */
  GSource *kick_source;
  gboolean held;
  gboolean release_pending;
  GstClock *clock;
  GstClockID wait_id;
  /* The messages of the batch the session's context is dispatching, handed
   * over together when it is done. That context only, without the lock. */
  GQueue incoming;
  gboolean incoming_kicked;

  /* Sending: messages handed over by the streaming thread wait in the
   * outbox until the session's context takes them all at once (or, while
   * there is no session yet, until it is connected). */
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

struct _SendCtx
{
  GstMsrpLink *link;
  MsrpOutgoingMessage *message;
  GCancellable *cancellable;
  GObject *keep;
  guint64 size;
};

void
gst_msrp_item_free (GstMsrpItem *item)
{
  g_object_unref (item->message);
  g_free (item);
}

void
gst_msrp_link_config_free (GstMsrpLinkConfig *config)
{
  g_clear_pointer (&config->local_uri, msrp_uri_unref);
  g_clear_pointer (&config->remote_path, g_ptr_array_unref);
  g_free (config->remote_fingerprint);
  g_clear_object (&config->relay);
  g_strfreev (config->accept_types);
  g_free (config);
}

static void
send_ctx_free (SendCtx *ctx)
{
  g_clear_object (&ctx->cancellable);
  g_clear_object (&ctx->keep);
  g_object_unref (ctx->message);
  gst_msrp_link_unref (ctx->link);
  g_free (ctx);
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
  g_assert (link->thread == NULL && link->connector == NULL);
  g_assert (g_queue_is_empty (&link->outbox));
  g_assert (link->kick_source == NULL);
  g_queue_clear_full (&link->items, (GDestroyNotify) gst_msrp_item_free);
  g_queue_clear_full (&link->incoming, (GDestroyNotify) gst_msrp_item_free);
  g_clear_object (&link->clock);
  g_clear_error (&link->error);
  g_object_unref (link->cancellable);
  g_clear_object (&link->session);
  g_clear_pointer (&link->config, gst_msrp_link_config_free);
  g_free (link->local_path);
  g_free (link->local_fingerprint);
  g_main_context_unref (link->context);
  g_mutex_clear (&link->lock);
  g_cond_clear (&link->cond);
  g_free (link);
}

static GstMsrpLink *
link_alloc (GstElement *element, GMainContext *context, guint max_queued, gint chunk_size)
{
  GstMsrpLink *link = g_new0 (GstMsrpLink, 1);

  if (gst_msrp_link_debug == NULL)
    GST_DEBUG_CATEGORY_INIT (gst_msrp_link_debug, "msrplink", 0, "MSRP session links");
  link->ref = 1;
  link->element = element;
  link->context = context;
  link->max_queued = max_queued;
  link->chunk_size = chunk_size;
  link->cancellable = g_cancellable_new ();
  g_mutex_init (&link->lock);
  g_cond_init (&link->cond);
  g_queue_init (&link->items);
  g_queue_init (&link->incoming);
  g_queue_init (&link->outbox);
  return link;
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

/* Records a failure once (later ones are consequences of the first) and
 * posts it as an element error at once, from whichever thread found it: a
 * sink may not get another buffer to report it with. Posted before the
 * waits see it, so the element's error comes before the flow error its
 * streaming thread causes. Called without the lock. */
static void
fail (GstMsrpLink *link, const GError *error)
{
  g_autoptr(GstElement) element = NULL;

  g_mutex_lock (&link->lock);
  if (link->error == NULL && !link->error_posted && link->element != NULL)
    {
      link->error_posted = TRUE;
      element = gst_object_ref (link->element);
    }
  g_mutex_unlock (&link->lock);
  if (element != NULL && link->max_queued > 0)
    GST_ELEMENT_ERROR (element, RESOURCE, READ, ("%s", error->message),
                       ("MSRP session failed (%s %d)", g_quark_to_string (error->domain),
                        error->code));
  else if (element != NULL)
    GST_ELEMENT_ERROR (element, RESOURCE, WRITE, ("%s", error->message),
                       ("MSRP session failed (%s %d)", g_quark_to_string (error->domain),
                        error->code));

  g_mutex_lock (&link->lock);
  if (link->error == NULL)
    link->error = g_error_copy (error);
  g_cancellable_cancel (link->cancellable);
  wake (link);
  g_mutex_unlock (&link->lock);
}

/* Runs @func on the session's context: at once when this thread may run
 * it, otherwise from that context's loop. */
static void
invoke (GstMsrpLink *link, GSourceFunc func)
{
  g_main_context_invoke_full (link->context, G_PRIORITY_DEFAULT, func, gst_msrp_link_ref (link),
                              (GDestroyNotify) gst_msrp_link_unref);
}

static gboolean hand_over (GstMsrpLink *link);

static void
on_closed (MsrpSession *session, const GError *error, GstMsrpLink *link)
{
  GST_DEBUG ("session %s closed: %s", msrp_session_get_session_id (session),
             error ? error->message : "cleanly");
  /* The messages of the batch that ended with the close come before the
   * end. (A hold keeps the holds and releases of the session paired.) */
  if (hand_over (link))
    msrp_session_hold_reading (session);
  if (error != NULL)
    fail (link, error);
  g_mutex_lock (&link->lock);
  link->closed = TRUE;
  wake (link);
  g_mutex_unlock (&link->lock);
}

static void on_message_received (MsrpSession *session, MsrpIncomingMessage *message,
                                 GstMsrpLink *link);
static gboolean send_on_context (gpointer data);

/* Takes @session: connects to its signals and lets queued sends go. */
static void
attach_session (GstMsrpLink *link, MsrpSession *session)
{
  gboolean send;

  g_mutex_lock (&link->lock);
  if (link->shut_down)
    {
      g_mutex_unlock (&link->lock);
      return;
    }
  link->session = g_object_ref (session);
  link->closed_id = g_signal_connect_data (session, "closed", G_CALLBACK (on_closed),
                                           gst_msrp_link_ref (link), link_closure_notify, 0);
  if (link->max_queued > 0)
    link->received_id = g_signal_connect_data (session, "message-received",
                                               G_CALLBACK (on_message_received),
                                               gst_msrp_link_ref (link), link_closure_notify, 0);
  send = !g_queue_is_empty (&link->outbox) && !link->outbox_scheduled;
  link->outbox_scheduled |= send;
  wake (link);
  g_mutex_unlock (&link->lock);
  if (send)
    invoke (link, send_on_context);
}

static gboolean
set_chunk_size_on_context (gpointer data)
{
  GstMsrpLink *link = data;

  msrp_session_set_chunk_size (link->session, link->chunk_size);
  return G_SOURCE_REMOVE;
}

/* A link to a session the application made; its context must be running
 * (an application iterating it) for anything to happen. */
GstMsrpLink *
gst_msrp_link_new (GstElement  *element,
                   MsrpSession *session,
                   guint        max_queued,
                   gint         chunk_size,
                   GError     **error)
{
  GstMsrpLink *link;

  g_return_val_if_fail (MSRP_IS_SESSION (session), NULL);

  link = link_alloc (element, g_main_context_ref (msrp_session_get_context (session)),
                     max_queued, chunk_size);
  /* Connected first: a session closing now is seen either here or by the
   * handler. */
  attach_session (link, session);
  if (msrp_session_is_closed (session))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_CLOSED, "The MSRP session is closed");
      gst_msrp_link_shutdown (link);
      gst_msrp_link_unref (link);
      return NULL;
    }
  if (chunk_size >= 0)
    invoke (link, set_chunk_size_on_context);
  return link;
}

/* --- Standalone: the link's own thread and connection ------------------- */

static gpointer
run_thread (gpointer data)
{
  GstMsrpLink *link = data;

  g_main_context_push_thread_default (link->context);
  g_main_loop_run (link->loop);
  /* What the session and the connector left to do (idle callbacks that
   * drop references) runs before the context goes. */
  while (g_main_context_iteration (link->context, FALSE))
    ;
  g_clear_object (&link->connector);
  g_clear_object (&link->connect_cancellable);
  g_mutex_lock (&link->lock);
  g_clear_object (&link->session);
  g_mutex_unlock (&link->lock);
  while (g_main_context_iteration (link->context, FALSE))
    ;
  g_main_context_pop_thread_default (link->context);
  return NULL;
}

/* Called on the link's thread after each asynchronous call ended. */
static void
op_done (GstMsrpLink *link)
{
  if (--link->ops == 0 && link->stopping)
    g_main_loop_quit (link->loop);
}

/* Preparing failed: gst_msrp_link_new_standalone() fails with @error. */
static void
fail_preparing (GstMsrpLink *link, GError *error)
{
  g_mutex_lock (&link->lock);
  link->prepare_error = error;
  link->prepared = TRUE;
  g_cond_broadcast (&link->cond);
  g_mutex_unlock (&link->lock);
}

static void
completed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GstMsrpLink *link = user_data;
  GstMsrpLinkConfig *config = link->config;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpSession) session =
    msrp_connector_complete_finish (MSRP_CONNECTOR (source), result, &error);

  if (session == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GST_DEBUG ("connecting failed: %s", error->message);
          fail (link, error);
        }
    }
  else if (link->stopping)
    msrp_session_close_async (session, NULL, NULL, NULL);
  else
    {
      GST_DEBUG ("session %s connected", msrp_session_get_session_id (session));
      if (config->accept_types != NULL)
        msrp_session_set_accept_types (session, (const char * const *) config->accept_types);
      msrp_session_set_max_size (session, config->max_size);
      if (link->chunk_size >= 0)
        msrp_session_set_chunk_size (session, link->chunk_size);
      attach_session (link, session);
    }
  op_done (link);
  gst_msrp_link_unref (link);
}

static void
prepared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GstMsrpLink *link = user_data;
  MsrpConnector *connector = MSRP_CONNECTOR (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = msrp_connector_prepare_finish (connector, result, &error);
  GPtrArray *remote_path = link->config->remote_path;

  if (path == NULL)
    fail_preparing (link, g_steal_pointer (&error));
  else
    {
      g_mutex_lock (&link->lock);
      link->local_path = msrp_path_to_string (path);
      link->local_fingerprint = g_strdup (msrp_connector_get_fingerprint (connector));
      link->prepared = TRUE;
      g_cond_broadcast (&link->cond);
      g_mutex_unlock (&link->lock);
      GST_DEBUG ("local path %s", link->local_path);

      /* A passive end with no peer given takes whoever binds (directly,
       * or through its relay) and learns the peer's path from the first
       * request. */
      link->ops++;
      msrp_connector_complete_async (connector, remote_path, link->connect_cancellable, completed,
                                     gst_msrp_link_ref (link));
    }
  op_done (link);
  gst_msrp_link_unref (link);
}

static gboolean
connect_on_context (gpointer data)
{
  GstMsrpLink *link = data;
  GstMsrpLinkConfig *config = link->config;
  GError *error = NULL;

  link->connector = config->active ? msrp_get_connector (config->relay, &error)
                                   : msrp_get_acceptor (config->relay, &error);
  if (link->connector == NULL)
    {
      fail_preparing (link, error);
      return G_SOURCE_REMOVE;
    }
  if (config->remote_fingerprint != NULL)
    msrp_connector_set_remote_fingerprint (link->connector, config->remote_fingerprint);
  link->connect_cancellable = g_cancellable_new ();
  link->ops++;
  msrp_connector_prepare_async (link->connector, config->local_uri, link->connect_cancellable,
                                prepared, gst_msrp_link_ref (link));
  return G_SOURCE_REMOVE;
}

/* A link that makes its own session from @config (taken) on a thread of
 * its own. Returns once the local path is known (a port was bound); the
 * connection is made in the background. */
GstMsrpLink *
gst_msrp_link_new_standalone (GstElement        *element,
                              GstMsrpLinkConfig *config,
                              guint              max_queued,
                              gint               chunk_size,
                              GError           **error)
{
  GstMsrpLink *link = link_alloc (element, g_main_context_new (), max_queued, chunk_size);

  link->config = config;
  link->loop = g_main_loop_new (link->context, FALSE);
  link->thread = g_thread_new ("msrp-link", run_thread, link);
  invoke (link, connect_on_context);

  g_mutex_lock (&link->lock);
  while (!link->prepared)
    wait_cond (link);
  if (link->prepare_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&link->prepare_error));
      g_mutex_unlock (&link->lock);
      gst_msrp_link_shutdown (link);
      gst_msrp_link_unref (link);
      return NULL;
    }
  g_mutex_unlock (&link->lock);
  return link;
}

const char *
gst_msrp_link_get_local_path (GstMsrpLink *link)
{
  return link->local_path;
}

const char *
gst_msrp_link_get_local_fingerprint (GstMsrpLink *link)
{
  return link->local_fingerprint;
}

static gboolean
abort_connection (gpointer data)
{
  GstMsrpLink *link = data;
  MsrpTransport *transport = link->session ? msrp_session_get_transport (link->session) : NULL;

  GST_DEBUG ("the session did not close within %u s: dropping its connection",
             STOP_CLOSE_SECONDS);
  g_clear_pointer (&link->abort_source, g_source_unref);
  if (transport != NULL)
    msrp_transport_abort (transport, NULL);
  return G_SOURCE_REMOVE;
}

static void
stop_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GstMsrpLink *link = user_data;

  msrp_session_close_finish (MSRP_SESSION (source), result, NULL);
  if (link->abort_source != NULL)
    {
      g_source_destroy (link->abort_source);
      g_clear_pointer (&link->abort_source, g_source_unref);
    }
  op_done (link);
  gst_msrp_link_unref (link);
}

static gboolean
stop_on_context (gpointer data)
{
  GstMsrpLink *link = data;

  link->stopping = TRUE;
  if (link->connect_cancellable != NULL)
    g_cancellable_cancel (link->connect_cancellable);
  if (link->session != NULL && !msrp_session_is_closed (link->session))
    {
      link->ops++;
      msrp_session_close_async (link->session, NULL, stop_closed, gst_msrp_link_ref (link));
      link->abort_source = g_timeout_source_new_seconds (STOP_CLOSE_SECONDS);
      g_source_set_callback (link->abort_source, abort_connection, link, NULL);
      g_source_attach (link->abort_source, link->context);
    }
  if (link->ops == 0)
    g_main_loop_quit (link->loop);
  return G_SOURCE_REMOVE;
}

static gboolean release_on_context (gpointer data);
static void kick (GstMsrpLink *link);

/* Called with the lock held. */
static void
schedule_release (GstMsrpLink *link)
{
  if (!link->held || link->release_pending)
    return;
  link->release_pending = TRUE;
  kick (link);
}

/* Stops taking anything from the session. Messages not pushed yet are
 * dropped. An application's session goes on (with the sends under way);
 * a standalone one is closed and its thread ends. */
void
gst_msrp_link_shutdown (GstMsrpLink *link)
{
  MsrpSession *session;
  gulong closed_id, received_id;
  GSource *kick_source;

  g_mutex_lock (&link->lock);
  link->shut_down = TRUE;
  link->element = NULL;
  wake (link);
  /* A held session is released once more, by a source of its own: the
   * link's goes now. */
  if (link->held)
    {
      link->release_pending = TRUE;
      invoke (link, release_on_context);
    }
  kick_source = g_steal_pointer (&link->kick_source);
  session = link->session ? g_object_ref (link->session) : NULL;
  closed_id = link->closed_id;
  received_id = link->received_id;
  link->closed_id = link->received_id = 0;
  g_mutex_unlock (&link->lock);

  if (kick_source != NULL)
    {
      g_source_destroy (kick_source);
      g_source_unref (kick_source);
    }

  /* Thread-safe; a handler already running finishes first on its thread,
   * and finds the link shut down. */
  if (closed_id != 0)
    g_signal_handler_disconnect (session, closed_id);
  if (received_id != 0)
    g_signal_handler_disconnect (session, received_id);
  g_clear_object (&session);

  if (link->thread != NULL)
    {
      invoke (link, stop_on_context);
      g_thread_join (link->thread);
      link->thread = NULL;
      g_clear_pointer (&link->loop, g_main_loop_unref);
    }
  /* Sends that never found a session (no peer came). */
  g_queue_clear_full (&link->outbox, (GDestroyNotify) send_ctx_free);
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

void
gst_msrp_link_slot_set (GstElement   *element,
                        GstMsrpLink **slot,
                        GstMsrpLink  *link)
{
  GST_OBJECT_LOCK (element);
  *slot = link;
  GST_OBJECT_UNLOCK (element);
}

/* Empties @slot, and shuts its link down. */
void
gst_msrp_link_slot_close (GstElement   *element,
                          GstMsrpLink **slot)
{
  GstMsrpLink *link;

  GST_OBJECT_LOCK (element);
  link = g_steal_pointer (slot);
  GST_OBJECT_UNLOCK (element);
  if (link != NULL)
    {
      gst_msrp_link_shutdown (link);
      gst_msrp_link_unref (link);
    }
}

/* Makes the streaming side's waits end with GST_MSRP_WAIT_CLOSED from now
 * on, without flushing: an EOS sent to the element goes out after what
 * the streaming thread is pushing. */
void
gst_msrp_link_request_eos (GstMsrpLink *link)
{
  g_mutex_lock (&link->lock);
  link->eos_requested = TRUE;
  wake (link);
  g_mutex_unlock (&link->lock);
}

/* A reference to the link in @slot, or NULL. */
GstMsrpLink *
gst_msrp_link_slot_get (GstElement   *element,
                        GstMsrpLink **slot)
{
  GstMsrpLink *link;

  GST_OBJECT_LOCK (element);
  link = *slot ? gst_msrp_link_ref (*slot) : NULL;
  GST_OBJECT_UNLOCK (element);
  return link;
}

/* unlock() and unlock_stop(): nothing to do before start. */
void
gst_msrp_link_slot_set_flushing (GstElement   *element,
                                 GstMsrpLink **slot,
                                 gboolean      flushing)
{
  g_autoptr(GstMsrpLink) link = gst_msrp_link_slot_get (element, slot);

  if (link != NULL)
    gst_msrp_link_set_flushing (link, flushing);
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
release_on_context (gpointer data)
{
  GstMsrpLink *link = data;
  MsrpSession *session = NULL;

  g_mutex_lock (&link->lock);
  link->release_pending = FALSE;
  if (link->held && (link->shut_down || g_queue_get_length (&link->items) < link->max_queued))
    {
      link->held = FALSE;
      session = link->session ? g_object_ref (link->session) : NULL;
    }
  g_mutex_unlock (&link->lock);
  if (session != NULL)
    {
      msrp_session_release_reading (session);
      g_object_unref (session);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
kick_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  g_source_set_ready_time (source, -1);
  return callback (data);
}

static GSourceFuncs kick_funcs = {
  .dispatch = kick_dispatch,
};

/* Moves @batch to the end of @queue. */
static void
queue_append (GQueue *queue, GQueue *batch)
{
  if (batch->head == NULL)
    return;
  if (queue->tail == NULL)
    queue->head = batch->head;
  else
    {
      queue->tail->next = batch->head;
      batch->head->prev = queue->tail;
    }
  queue->tail = batch->tail;
  queue->length += batch->length;
  g_queue_init (batch);
}

/* Hands the messages of the batch the session dispatched to the streaming
 * thread, under one lock and with one wake. On the session's context.
 * TRUE when they are too many for a busy streaming thread: the caller
 * stops the session's reading. */
static gboolean
hand_over (GstMsrpLink *link)
{
  GQueue batch = link->incoming;
  gboolean hold = FALSE;

  g_queue_init (&link->incoming);
  link->incoming_kicked = FALSE;
  if (batch.length == 0)
    return FALSE;

  g_mutex_lock (&link->lock);
  if (!link->shut_down)
    {
      /* Stamped under the lock: a GAP computed after this cannot end
       * later. The messages of one batch completed within it. */
      GstClockTime arrival = link->clock ? gst_clock_get_time (link->clock) : GST_CLOCK_TIME_NONE;

      for (GList *l = batch.head; l != NULL; l = l->next)
        ((GstMsrpItem *) l->data)->arrival = arrival;
      queue_append (&link->items, &batch);
      /* Reading stops for a streaming thread that is slow (busy pushing,
       * or blocked downstream), not for one that waits for messages: it
       * takes this batch at once, and holding would only cost a round
       * trip to release. */
      if (!link->held && link->items.length >= link->max_queued &&
          link->wait_id == NULL && link->waiters == 0)
        {
          GST_DEBUG ("%u messages queued, holding reading", link->items.length);
          link->held = hold = TRUE;
        }
      wake (link);
    }
  g_mutex_unlock (&link->lock);
  g_queue_clear_full (&batch, (GDestroyNotify) gst_msrp_item_free);
  return hold;
}

/* After a batch the session dispatched: hands it over, and does a release
 * the streaming thread asked for. */
static gboolean
on_kick (gpointer data)
{
  GstMsrpLink *link = data;
  MsrpSession *session = NULL;
  gboolean hold = hand_over (link);
  gboolean release;

  g_mutex_lock (&link->lock);
  release = link->release_pending;
  if (hold && link->session != NULL)
    session = g_object_ref (link->session);
  g_mutex_unlock (&link->lock);

  if (session != NULL)
    {
      msrp_session_hold_reading (session);
      g_object_unref (session);
    }
  if (release)
    release_on_context (link);
  return G_SOURCE_CONTINUE;
}

/* Has on_kick() run on the session's context soon, after what it is
 * dispatching now. Called with the lock held; nothing after shutdown. */
static void
kick (GstMsrpLink *link)
{
  if (link->shut_down)
    return;
  if (link->kick_source == NULL)
    {
      link->kick_source = g_source_new (&kick_funcs, sizeof (GSource));
      g_source_set_priority (link->kick_source, G_PRIORITY_DEFAULT);
      g_source_set_callback (link->kick_source, on_kick, gst_msrp_link_ref (link),
                             (GDestroyNotify) gst_msrp_link_unref);
      g_source_attach (link->kick_source, link->context);
    }
  g_source_set_ready_time (link->kick_source, 0);
}

static void
on_message_received (MsrpSession *session, MsrpIncomingMessage *message, GstMsrpLink *link)
{
  GstMsrpItem *item;

  /* The application streamed this one to its own output stream. */
  if (msrp_incoming_message_get_bytes (message) == NULL)
    return;

  item = g_new0 (GstMsrpItem, 1);
  item->message = g_object_ref (message);
  g_queue_push_tail (&link->incoming, item);
  /* Handed over once the session's context dispatched the batch: waking
   * the streaming thread is a system call, and the lock is shared with it. */
  if (!link->incoming_kicked)
    {
      link->incoming_kicked = TRUE;
      g_mutex_lock (&link->lock);
      kick (link);
      g_mutex_unlock (&link->lock);
    }
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
      if (link->eos_requested)
        {
          result = GST_MSRP_WAIT_CLOSED;
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

static void
send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SendCtx *ctx = user_data;
  GstMsrpLink *link = ctx->link;
  g_autoptr(GError) error = NULL;

  if (!msrp_session_send_finish (MSRP_SESSION (source), result, &error))
    {
      GST_DEBUG ("sending %s failed: %s",
                 msrp_outgoing_message_get_message_id (ctx->message), error->message);
      fail (link, error);
    }
  g_mutex_lock (&link->lock);
  link->pending--;
  link->pending_bytes -= ctx->size;
  if (link->pending <= link->wake_pending_sends && link->pending_bytes <= link->wake_pending_bytes)
    wake (link);
  g_mutex_unlock (&link->lock);
  send_ctx_free (ctx);
}

static gboolean
send_on_context (gpointer data)
{
  GstMsrpLink *link = data;
  MsrpSession *session;
  GQueue batch;

  g_mutex_lock (&link->lock);
  batch = link->outbox;
  g_queue_init (&link->outbox);
  link->outbox_scheduled = FALSE;
  session = link->session ? g_object_ref (link->session) : NULL;
  g_mutex_unlock (&link->lock);
  /* Without a session any more (the link's thread ended), the batch goes. */
  if (session == NULL)
    {
      g_queue_clear_full (&batch, (GDestroyNotify) send_ctx_free);
      return G_SOURCE_REMOVE;
    }
  for (GList *l = batch.head; l != NULL; l = l->next)
    {
      SendCtx *ctx = l->data;

      msrp_session_send_async (session, ctx->message, ctx->cancellable, send_done, ctx);
    }
  g_queue_clear (&batch);
  g_object_unref (session);
  return G_SOURCE_REMOVE;
}

/* Hands @message to the session; cancelling @cancellable aborts it. The
 * result counts in gst_msrp_link_wait_sends(). @keep (the stream a body is
 * read from) is released on the session's context when the send is over.
 * Without a session yet, the message waits for it. */
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
  schedule = link->session != NULL && !link->outbox_scheduled;
  link->outbox_scheduled |= schedule;
  g_mutex_unlock (&link->lock);
  if (schedule)
    invoke (link, send_on_context);
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
 * what is queued first). GST_MSRP_WAIT_CLOSED then, also when there is no
 * session (no peer ever came). */
GstMsrpWaitResult
gst_msrp_link_close_session (GstMsrpLink *link,
                             GError     **error)
{
  GstMsrpWaitResult result = GST_MSRP_WAIT_CLOSED;

  g_mutex_lock (&link->lock);
  if (link->session == NULL)
    {
      g_mutex_unlock (&link->lock);
      return result;
    }
  g_mutex_unlock (&link->lock);
  invoke (link, close_on_context);
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
