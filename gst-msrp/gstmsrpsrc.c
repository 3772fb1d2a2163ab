/* gstmsrpsrc.c: msrpsrc, MSRP messages as a live stream
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-msrpsrc
 * @title: msrpsrc
 * @see_also: msrpsink, textoverlay, matroskamux
 *
 * A live source of the messages of an MSRP session (RFC 4975): each
 * complete message becomes one buffer, timestamped with the running time
 * at which it arrived and lasting #GstMsrpSrc:display-duration.
 *
 * `text/plain` messages are pushed as `text/x-raw, format=utf8`, converted
 * from their charset and made valid UTF-8, so chat text goes straight into
 * textoverlay, a subtitle track of matroskamux, or fdsink (bodies are
 * pushed as they are: no newline is added). `image/jpeg` and `image/png`
 * keep their caps; any other type is pushed as
 * `application/x-msrp, content-type=(string)<type>`. A message of a type
 * downstream refuses is dropped with a warning. Every buffer carries a
 * #GstMsrpMessageMeta (Message-ID, Content-Type, From-Path, size; see
 * `gstmsrpmeta.h` in libgstmsrp-1.0).
 * #GstMsrpSrc:language (the peer's SDP `a=lang`) goes downstream as the
 * stream's #GST_TAG_LANGUAGE_CODE, which matroskamux writes as the track
 * language.
 *
 * The stream is sparse: from the moment it plays, the source sends GAP
 * events every #GstMsrpSrc:gap-interval between messages (and while one is
 * shown), so overlays and muxers never wait for the next message, and it
 * reports that interval as its latency. Its stream-start is flagged sparse
 * and carries a #GstStream of type text. It sends EOS when the session
 * closes cleanly, and an element error with the reason when the session
 * fails. Messages it cannot push yet are queued, at most
 * #GstMsrpSrc:max-queued; beyond that it stops reading from the
 * connection, so TCP slows the sender down instead of memory growing.
 *
 * The session is either an application's (#GstMsrpSrc:session, for example
 * set up from SDP; its main context must be running), or made by the
 * element from #GstMsrpSrc:local-path, #GstMsrpSrc:remote-path,
 * #GstMsrpSrc:setup, #GstMsrpSrc:tls and #GstMsrpSrc:fingerprint on a
 * thread of its own. With only a local path it listens and takes the
 * first peer that connects; the path with the real port can be read from
 * #GstMsrpSrc:local-path once started (gst-launch-1.0 -v prints it).
 * Behind an MSRP relay (RFC 4976; #GstMsrpSrc:relay with
 * #GstMsrpSrc:relay-user and #GstMsrpSrc:relay-password) it authenticates
 * at start, and its local path begins with the relay's URI.
 *
 * ## Example launch lines
 * Chat from a peer drawn over live video:
 * |[
 * gst-launch-1.0 videotestsrc is-live=true ! textoverlay name=o ! autovideosink \
 *   msrpsrc local-path='msrp://127.0.0.1:7655/bob;tcp' ! o.text_sink
 * ]|
 * Chat recorded as a subtitle track beside live audio and video:
 * |[
 * gst-launch-1.0 -e matroskamux name=mux ! filesink location=call.mkv \
 *   videotestsrc is-live=true ! vp8enc deadline=1 ! queue ! mux. \
 *   audiotestsrc is-live=true ! audioconvert ! opusenc ! queue ! mux. \
 *   msrpsrc local-path='msrp://127.0.0.1:7655/bob;tcp' ! queue ! mux.subtitle_%u
 * ]|
 * A peer for both: `echo hello | gst-launch-1.0 fdsrc ! msrpsink mode=line
 * remote-path='msrp://127.0.0.1:7655/bob;tcp'`.
 *
 * Chat received through a relay (the peer sends to the printed local-path):
 * |[
 * gst-launch-1.0 -v msrpsrc relay='msrps://relay.example.com:2855;tcp' \
 *   relay-user=bob relay-password=secret ! fdsink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmsrpsrc.h"
#include "gstmsrpelements.h"
#include "gstmsrplink.h"
#include "gstmsrpmeta.h"
#include "gstmsrpsettings.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_msrp_src_debug);
#define GST_CAT_DEFAULT gst_msrp_src_debug

#define DEFAULT_GAP_INTERVAL (100 * GST_MSECOND)
#define DEFAULT_DISPLAY_DURATION (4 * GST_SECOND)
#define DEFAULT_MAX_QUEUED 64
/* Chat text; is-composing notices and other types would only be dropped
 * by a text sink. */
#define DEFAULT_ACCEPT_TYPES "text/plain"

/* display-duration 0: subtitle practice, scaled with the length. */
#define AUTO_DURATION_BASE (1500 * GST_MSECOND)
#define AUTO_DURATION_PER_CHAR (60 * GST_MSECOND)
#define AUTO_DURATION_MIN (2 * GST_SECOND)
#define AUTO_DURATION_MAX (7 * GST_SECOND)

struct _GstMsrpSrc
{
  GstPushSrc parent_instance;

  /* Properties, under the object lock. */
  GstMsrpSettings settings;
  GstClockTime gap_interval;
  GstClockTime display_duration;
  guint max_queued;
  char *language;
  /* The language tag is to be sent (at start, and when the property
   * changes while playing). */
  gboolean language_pending;

  /* Set in start(), cleared in stop(); read under the object lock from
   * unlock(), which runs on another thread. */
  GstMsrpLink *link;

  /* Streaming thread only. */
  gboolean started;
  GstClockTime last_gap_end;
  gboolean discont;
  /* The Content-Type the current caps were made for (NULL: none yet), so a
   * run of messages of one type costs no caps work; with its charset for
   * text. */
  char *caps_type;
  gboolean caps_text;
  char *caps_charset;
  /* The From-Path of the last message and its text: the parser gives the
   * frames of one sender the same array, so its text is made once. */
  GPtrArray *from_path;
  char *from_path_text;
};

G_DEFINE_TYPE (GstMsrpSrc, gst_msrp_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (msrpsrc, "msrpsrc", GST_RANK_NONE, GST_TYPE_MSRP_SRC);

enum {
  PROP_0,
  PROP_GAP_INTERVAL,
  PROP_DISPLAY_DURATION,
  PROP_MAX_QUEUED,
  PROP_LANGUAGE,
  N_PROPS,
  /* Then the GST_MSRP_PROP_* of gstmsrpsettings.h. */
  PROP_SETTINGS = N_PROPS
};

static GParamSpec *props[N_PROPS];
static GParamSpec *settings_props[GST_MSRP_N_PROPS];

static GstStaticPadTemplate src_template =
  GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
                           GST_STATIC_CAPS ("text/x-raw, format = (string) utf8; "
                                            "image/jpeg; image/png; application/x-msrp"));

/* --- Content types ---------------------------------------------------------- */

/* The media type of @content_type without parameters, in lower case. */
static char *
media_type_of (const char *content_type)
{
  g_autofree char *type = g_strndup (content_type, strcspn (content_type, ";"));

  return g_ascii_strdown (g_strstrip (type), -1);
}

/* The value of parameter @name of @content_type, unquoted, or NULL. */
static char *
content_type_param (const char *content_type, const char *name)
{
  g_auto(GStrv) params = g_strsplit (content_type, ";", -1);

  for (guint i = 1; params[i] != NULL; i++)
    {
      char *param = g_strstrip (params[i]);
      const char *eq = strchr (param, '=');
      g_autofree char *key = NULL;
      char *value;

      if (eq == NULL)
        continue;
      key = g_strndup (param, eq - param);
      if (g_ascii_strcasecmp (g_strstrip (key), name) != 0)
        continue;
      value = g_strstrip (g_strdup (eq + 1));
      if (value[0] == '"' && strlen (value) >= 2 && value[strlen (value) - 1] == '"')
        {
          char *unquoted = g_strndup (value + 1, strlen (value) - 2);
          g_free (value);
          value = unquoted;
        }
      return value;
    }
  return NULL;
}

static GstCaps *
caps_for_type (const char *content_type)
{
  g_autofree char *type = media_type_of (content_type);

  if (strcmp (type, "text/plain") == 0)
    return gst_caps_new_simple ("text/x-raw", "format", G_TYPE_STRING, "utf8", NULL);
  if (strcmp (type, "image/jpeg") == 0 || strcmp (type, "image/png") == 0)
    return gst_caps_new_empty_simple (type);
  return gst_caps_new_simple ("application/x-msrp", "content-type", G_TYPE_STRING, content_type,
                              NULL);
}

/* A text/plain body as valid UTF-8: converted from its charset, bad bytes
 * replaced (chat is untrusted; textoverlay and matroskamux want UTF-8). */
static GBytes *
text_to_utf8 (GstMsrpSrc *self, GBytes *body, const char *charset)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *converted = NULL;
  gsize converted_size = 0;
  char *valid;

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "us-ascii") != 0)
    {
      g_autoptr(GError) error = NULL;

      converted = g_convert (data, size, "UTF-8", charset, NULL, &converted_size, &error);
      if (converted == NULL)
        GST_WARNING_OBJECT (self, "cannot convert from charset %s: %s", charset, error->message);
      else
        {
          data = converted;
          size = converted_size;
        }
    }
  if (g_utf8_validate_len (data, size, NULL))
    return converted ? g_bytes_new_take (g_steal_pointer (&converted), converted_size)
                     : g_bytes_ref (body);
  GST_DEBUG_OBJECT (self, "replacing invalid UTF-8");
  valid = g_utf8_make_valid (data, size);
  return g_bytes_new_take (valid, strlen (valid));
}

/* @duration: the display-duration property. */
static GstClockTime
display_duration (GstClockTime duration, GBytes *text)
{
  glong chars;

  if (duration > 0)
    return duration;
  chars = text ? g_utf8_strlen (g_bytes_get_data (text, NULL), g_bytes_get_size (text)) : 0;
  return CLAMP (AUTO_DURATION_BASE + chars * AUTO_DURATION_PER_CHAR,
                AUTO_DURATION_MIN, AUTO_DURATION_MAX);
}

/* --- Streaming ------------------------------------------------------------ */

static GstClockTime
running_time (GstClock *clock, GstClockTime base)
{
  GstClockTime now;

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  return now > base ? now - base : 0;
}

static void
push_gap (GstMsrpSrc *self, GstClockTime start, GstClockTime end)
{
  GstPad *pad = GST_BASE_SRC_PAD (self);

  GST_LOG_OBJECT (self, "gap %" GST_TIME_FORMAT " - %" GST_TIME_FORMAT,
                  GST_TIME_ARGS (start), GST_TIME_ARGS (end));
  gst_pad_push_event (pad, gst_event_new_gap (start, end - start));
  self->last_gap_end = end;
}

/* GstBaseSrc sends the segment only with the first buffer; until then
 * textoverlay would hold video back and matroskamux write nothing. */
static void
push_segment (GstMsrpSrc *self)
{
  GstBaseSrc *bsrc = GST_BASE_SRC (self);
  GstEvent *event;

  GST_OBJECT_LOCK (self);
  event = gst_event_new_segment (&bsrc->segment);
  GST_OBJECT_UNLOCK (self);
  gst_pad_push_event (GST_BASE_SRC_PAD (self), event);
}

/* The language-code tag (ISO 639: the primary subtag of @language, when
 * it has 2 or 3 letters), or an empty tag list that clears it. */
static void
push_language (GstMsrpSrc *self, const char *language)
{
  GstTagList *tags = gst_tag_list_new_empty ();
  gsize primary = language != NULL ? strcspn (language, "-") : 0;

  gst_tag_list_set_scope (tags, GST_TAG_SCOPE_STREAM);
  if (primary == 2 || primary == 3)
    {
      g_autofree char *code = g_ascii_strdown (language, primary);

      gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_LANGUAGE_CODE, code, NULL);
    }
  else if (language != NULL)
    GST_INFO_OBJECT (self, "language %s has no ISO 639 code: no language tag", language);
  gst_pad_push_event (GST_BASE_SRC_PAD (self), gst_event_new_tag (tags));
}

static void
forget_caps_type (GstMsrpSrc *self)
{
  g_clear_pointer (&self->caps_type, g_free);
  g_clear_pointer (&self->caps_charset, g_free);
}

static void
forget_from_path (GstMsrpSrc *self)
{
  g_clear_pointer (&self->from_path, g_ptr_array_unref);
  g_clear_pointer (&self->from_path_text, g_free);
}

/* @path as text. The reference kept on the array means that the same
 * pointer later is the same path. */
static const char *
from_path_text (GstMsrpSrc *self, GPtrArray *path)
{
  if (path != self->from_path || path == NULL)
    {
      forget_from_path (self);
      self->from_path = path ? g_ptr_array_ref (path) : NULL;
      self->from_path_text = path ? msrp_path_to_string (path) : NULL;
    }
  return self->from_path_text;
}

/* Makes the caps for @content_type current. FALSE when downstream refuses
 * them. */
static gboolean
set_caps_for_type (GstMsrpSrc *self, const char *content_type)
{
  GstPad *pad = GST_BASE_SRC_PAD (self);
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstCaps) current = NULL;

  if (g_strcmp0 (self->caps_type, content_type) == 0)
    return TRUE;
  caps = caps_for_type (content_type);
  current = gst_pad_get_current_caps (pad);
  if (current == NULL || !gst_caps_is_equal (current, caps))
    {
      if (!gst_pad_peer_query_accept_caps (pad, caps) ||
          !gst_base_src_set_caps (GST_BASE_SRC (self), caps))
        {
          GST_ELEMENT_WARNING (self, STREAM, FORMAT,
                               ("Dropped an MSRP message of type %s: downstream does not take %"
                                GST_PTR_FORMAT, content_type, caps), (NULL));
          return FALSE;
        }
    }
  forget_caps_type (self);
  self->caps_type = g_strdup (content_type);
  self->caps_text = gst_structure_has_name (gst_caps_get_structure (caps, 0), "text/x-raw");
  if (self->caps_text)
    self->caps_charset = content_type_param (content_type, "charset");
  return TRUE;
}

/* @duration: the display-duration property. */
static GstBuffer *
buffer_for_item (GstMsrpSrc *self, GstMsrpItem *item, GstClock *clock, GstClockTime base,
                 GstClockTime duration)
{
  MsrpIncomingMessage *message = item->message;
  const char *content_type = msrp_incoming_message_get_content_type (message);
  const char *id = msrp_incoming_message_get_message_id (message);
  GBytes *raw = msrp_incoming_message_get_bytes (message);
  g_autoptr(GBytes) body = NULL;
  GstClockTime pts;
  GstBuffer *buffer;

  if (!set_caps_for_type (self, content_type))
    return NULL;
  body = self->caps_text ? text_to_utf8 (self, raw, self->caps_charset) : g_bytes_ref (raw);

  /* Messages that came before PLAYING are stamped now. */
  if (GST_CLOCK_TIME_IS_VALID (item->arrival))
    pts = item->arrival > base ? item->arrival - base : 0;
  else
    pts = running_time (clock, base);
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    pts = self->last_gap_end;
  if (pts < self->last_gap_end)
    {
      GST_DEBUG_OBJECT (self, "message at %" GST_TIME_FORMAT " moved after the last GAP",
                        GST_TIME_ARGS (pts));
      pts = self->last_gap_end;
    }
  /* GAPs go on from here while the message is shown. */
  self->last_gap_end = pts;

  buffer = gst_buffer_new_wrapped_bytes (body);
  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = display_duration (duration, self->caps_text ? body : NULL);
  if (self->discont)
    {
      GST_BUFFER_FLAG_SET (buffer, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
    }
  gst_buffer_add_msrp_message_meta (buffer, id, content_type,
                                    from_path_text (self,
                                                    msrp_incoming_message_get_from_path (message)),
                                    g_bytes_get_size (raw));
  GST_DEBUG_OBJECT (self, "message %s (%s, %" G_GSIZE_FORMAT " bytes) at %" GST_TIME_FORMAT,
                    id, content_type, g_bytes_get_size (raw), GST_TIME_ARGS (pts));
  return buffer;
}

static GstFlowReturn
gst_msrp_src_create (GstPushSrc *psrc, GstBuffer **outbuf)
{
  GstMsrpSrc *self = GST_MSRP_SRC (psrc);

  for (;;)
    {
      g_autoptr(GstClock) clock = NULL;
      g_autoptr(GstMsrpItem) item = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *language = NULL;
      GstClockTime deadline = GST_CLOCK_TIME_NONE;
      GstClockTime interval, duration, base, now;
      gboolean language_due;

      /* One lock for the element's clock, base time, interval and language. */
      GST_OBJECT_LOCK (self);
      interval = self->gap_interval;
      clock = GST_ELEMENT_CLOCK (self) ? gst_object_ref (GST_ELEMENT_CLOCK (self)) : NULL;
      base = GST_ELEMENT_CAST (self)->base_time;
      language_due = self->language_pending;
      self->language_pending = FALSE;
      if (language_due)
        language = g_strdup (self->language);
      GST_OBJECT_UNLOCK (self);
      now = running_time (clock, base);

      /* Tags come after the segment (sticky event order). */
      if (!self->started)
        push_segment (self);
      if (language_due)
        push_language (self, language);
      if (!self->started)
        {
          push_gap (self, 0, GST_CLOCK_TIME_IS_VALID (now) ? now : 0);
          self->started = TRUE;
        }
      else if (GST_CLOCK_TIME_IS_VALID (now) && now >= self->last_gap_end + interval)
        push_gap (self, self->last_gap_end, now);
      if (clock != NULL)
        deadline = base + self->last_gap_end + interval;

      switch (gst_msrp_link_wait_item (self->link, clock, deadline, &item, &error))
        {
        case GST_MSRP_WAIT_ITEM:
          /* Read now: it may have changed while this thread waited. */
          GST_OBJECT_LOCK (self);
          duration = self->display_duration;
          GST_OBJECT_UNLOCK (self);
          *outbuf = buffer_for_item (self, item, clock, base, duration);
          if (*outbuf != NULL)
            return GST_FLOW_OK;
          break;
        case GST_MSRP_WAIT_TIMEOUT:
          break;
        case GST_MSRP_WAIT_FLUSHING:
          return GST_FLOW_FLUSHING;
        case GST_MSRP_WAIT_CLOSED:
          GST_INFO_OBJECT (self, "the session closed: EOS");
          return GST_FLOW_EOS;
        case GST_MSRP_WAIT_ERROR:
          /* The link posted it. */
          GST_DEBUG_OBJECT (self, "session failed: %s", error->message);
          return GST_FLOW_ERROR;
        }
    }
}

/* The first of the template's formats downstream takes: text, unless
 * only images or other types can go there. Messages change it later. */
static gboolean
gst_msrp_src_negotiate (GstBaseSrc *bsrc)
{
  GstPad *pad = GST_BASE_SRC_PAD (bsrc);
  g_autoptr(GstCaps) current = gst_pad_get_current_caps (pad);
  g_autoptr(GstCaps) templ = NULL;

  forget_caps_type (GST_MSRP_SRC (bsrc));
  if (current != NULL && gst_pad_peer_query_accept_caps (pad, current))
    return gst_base_src_set_caps (bsrc, current);

  templ = gst_pad_get_pad_template_caps (pad);
  for (guint i = 0; i < gst_caps_get_size (templ); i++)
    {
      g_autoptr(GstCaps) caps = gst_caps_copy_nth (templ, i);

      if (gst_pad_peer_query_accept_caps (pad, caps))
        return gst_base_src_set_caps (bsrc, caps);
    }
  GST_DEBUG_OBJECT (bsrc, "downstream takes none of %" GST_PTR_FORMAT, templ);
  return FALSE;
}

static gboolean
gst_msrp_src_query (GstBaseSrc *bsrc, GstQuery *query)
{
  GstMsrpSrc *self = GST_MSRP_SRC (bsrc);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY)
    {
      GstClockTime interval;

      GST_OBJECT_LOCK (self);
      interval = self->gap_interval;
      GST_OBJECT_UNLOCK (self);
      /* A video frame may wait for text up to one interval; messages wait
       * in the queue without loss, so there is no maximum. */
      gst_query_set_latency (query, TRUE, interval, GST_CLOCK_TIME_NONE);
      return TRUE;
    }
  return GST_BASE_SRC_CLASS (gst_msrp_src_parent_class)->query (bsrc, query);
}

static gboolean
gst_msrp_src_start (GstBaseSrc *bsrc)
{
  GstMsrpSrc *self = GST_MSRP_SRC (bsrc);
  guint max_queued;

  GST_OBJECT_LOCK (self);
  max_queued = self->max_queued;
  self->language_pending = self->language != NULL;
  GST_OBJECT_UNLOCK (self);

  self->started = FALSE;
  self->last_gap_end = 0;
  self->discont = TRUE;
  return gst_msrp_settings_start (GST_ELEMENT (self), &self->settings, settings_props,
                                  &self->link, max_queued, -1);
}

static gboolean
gst_msrp_src_stop (GstBaseSrc *bsrc)
{
  GstMsrpSrc *self = GST_MSRP_SRC (bsrc);

  gst_msrp_link_slot_close (GST_ELEMENT (self), &self->link);
  forget_caps_type (self);
  forget_from_path (self);
  return TRUE;
}

static gboolean
gst_msrp_src_unlock (GstBaseSrc *bsrc)
{
  gst_msrp_link_slot_set_flushing (GST_ELEMENT (bsrc), &GST_MSRP_SRC (bsrc)->link, TRUE);
  return TRUE;
}

static gboolean
gst_msrp_src_unlock_stop (GstBaseSrc *bsrc)
{
  gst_msrp_link_slot_set_flushing (GST_ELEMENT (bsrc), &GST_MSRP_SRC (bsrc)->link, FALSE);
  return TRUE;
}

/* An EOS sent to the element (gst-launch-1.0 -e, an application ending a
 * recording) is handed to the streaming thread, which ends with it after
 * what it is pushing. GstBaseSrc's own handling stops the streaming thread
 * and takes its stream lock while the caller holds the pipeline's state
 * lock: with that thread blocked in a sink still prerolling (the pipeline
 * on its way to PLAYING), the state change could never complete. */
static gboolean
gst_msrp_src_send_event (GstElement *element, GstEvent *event)
{
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS)
    {
      g_autoptr(GstMsrpLink) link = gst_msrp_link_slot_get (element, &GST_MSRP_SRC (element)->link);

      if (link != NULL)
        {
          GST_DEBUG_OBJECT (element, "EOS requested");
          gst_msrp_link_request_eos (link);
          gst_event_unref (event);
          return TRUE;
        }
    }
  return GST_ELEMENT_CLASS (gst_msrp_src_parent_class)->send_event (element, event);
}

static GstStateChangeReturn
gst_msrp_src_change_state (GstElement *element, GstStateChange transition)
{
  GstMsrpSrc *self = GST_MSRP_SRC (element);
  GstStateChangeReturn ret;

  /* Messages are stamped on arrival only while playing; others when they
   * are pushed. */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING)
    {
      g_autoptr(GstMsrpLink) link = gst_msrp_link_slot_get (element, &self->link);
      g_autoptr(GstClock) clock = gst_element_get_clock (element);

      if (link != NULL)
        gst_msrp_link_set_clock (link, clock);
    }
  ret = GST_ELEMENT_CLASS (gst_msrp_src_parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PLAYING_TO_PAUSED)
    {
      g_autoptr(GstMsrpLink) link = gst_msrp_link_slot_get (element, &self->link);

      if (link != NULL)
        gst_msrp_link_set_clock (link, NULL);
    }
  return ret;
}

/* GstBaseSrc builds the stream-start itself, without a way to flag it:
 * mark it sparse here, so multiqueue, playsink and streamsynchronizer do
 * not wait for text. */
static GstPadProbeReturn
stream_start_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstStreamFlags flags = GST_STREAM_FLAG_NONE;
  const gchar *stream_id = NULL;
  g_autoptr(GstStream) stream = NULL;

  if (GST_EVENT_TYPE (event) != GST_EVENT_STREAM_START)
    return GST_PAD_PROBE_OK;
  event = gst_event_make_writable (event);
  gst_event_parse_stream_flags (event, &flags);
  flags |= GST_STREAM_FLAG_SPARSE;
  gst_event_set_stream_flags (event, flags);
  gst_event_parse_stream_start (event, &stream_id);
  stream = gst_stream_new (stream_id, NULL, GST_STREAM_TYPE_TEXT, flags);
  gst_event_set_stream (event, stream);
  GST_PAD_PROBE_INFO_DATA (info) = event;
  return GST_PAD_PROBE_OK;
}

static void
gst_msrp_src_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  GstMsrpSrc *self = GST_MSRP_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_GAP_INTERVAL:
      self->gap_interval = g_value_get_uint64 (value);
      break;
    case PROP_DISPLAY_DURATION:
      self->display_duration = g_value_get_uint64 (value);
      break;
    case PROP_MAX_QUEUED:
      self->max_queued = g_value_get_uint (value);
      break;
    case PROP_LANGUAGE:
      g_free (self->language);
      self->language = g_value_dup_string (value);
      self->language_pending = TRUE;
      break;
    default:
      gst_msrp_settings_set_property (&self->settings, object, PROP_SETTINGS, prop_id, value,
                                      pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_msrp_src_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GstMsrpSrc *self = GST_MSRP_SRC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id)
    {
    case PROP_GAP_INTERVAL:
      g_value_set_uint64 (value, self->gap_interval);
      break;
    case PROP_DISPLAY_DURATION:
      g_value_set_uint64 (value, self->display_duration);
      break;
    case PROP_MAX_QUEUED:
      g_value_set_uint (value, self->max_queued);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      gst_msrp_settings_get_property (&self->settings, object, PROP_SETTINGS, prop_id, value,
                                      pspec);
      break;
    }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_msrp_src_finalize (GObject *object)
{
  GstMsrpSrc *self = GST_MSRP_SRC (object);

  gst_msrp_settings_clear (&self->settings);
  g_free (self->language);
  G_OBJECT_CLASS (gst_msrp_src_parent_class)->finalize (object);
}

static void
gst_msrp_src_init (GstMsrpSrc *self)
{
  gst_msrp_settings_init (&self->settings, DEFAULT_ACCEPT_TYPES);
  self->gap_interval = DEFAULT_GAP_INTERVAL;
  self->display_duration = DEFAULT_DISPLAY_DURATION;
  self->max_queued = DEFAULT_MAX_QUEUED;
  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_pad_add_probe (GST_BASE_SRC_PAD (self), GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                     stream_start_probe, NULL, NULL);
}

static void
gst_msrp_src_class_init (GstMsrpSrcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_msrp_src_debug, "msrpsrc", 0, "MSRP source");

  object_class->set_property = gst_msrp_src_set_property;
  object_class->get_property = gst_msrp_src_get_property;
  object_class->finalize = gst_msrp_src_finalize;

  /**
   * GstMsrpSrc:gap-interval:
   *
   * How often GAP events tell downstream that no message came, and the
   * latency the source reports. Keep it at or below 200 ms: textoverlay
   * holds each video frame until the text stream reaches it, and muxers
   * write nothing meanwhile.
   */
  props[PROP_GAP_INTERVAL] =
    g_param_spec_uint64 ("gap-interval", "GAP interval",
                         "Nanoseconds between the GAP events sent while no message comes; "
                         "also the latency reported (keep it <= 200 ms)",
                         GST_MSECOND, 10 * GST_SECOND, DEFAULT_GAP_INTERVAL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         GST_PARAM_MUTABLE_READY);
  /**
   * GstMsrpSrc:display-duration:
   *
   * The duration of every buffer: how long textoverlay shows a message,
   * and the BlockDuration of a Matroska subtitle. 0 scales it with the
   * length of the text (1.5 s + 60 ms per character, 2 to 7 s).
   * textoverlay shows one text at a time, so in a burst of messages each
   * waits for the one before to end.
   */
  props[PROP_DISPLAY_DURATION] =
    g_param_spec_uint64 ("display-duration", "Display duration",
                         "Duration of each buffer in nanoseconds: how long a message is shown "
                         "(0: 1.5 s + 60 ms per character, 2 to 7 s)",
                         0, G_MAXUINT64, DEFAULT_DISPLAY_DURATION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         GST_PARAM_MUTABLE_PLAYING);
  /**
   * GstMsrpSrc:max-queued:
   *
   * How many complete messages may wait for downstream. When that many
   * wait while the streaming thread is busy (pushing, or blocked
   * downstream), the source stops reading from the connection until half
   * of them went out, so TCP slows the sender down. A streaming thread
   * that is waiting for messages takes the batch the session just read
   * (up to 256 KiB of the connection) at once, so that batch may go past
   * the bound.
   */
  props[PROP_MAX_QUEUED] =
    g_param_spec_uint ("max-queued", "Max queued",
                       "Messages waiting for downstream before the connection is no longer "
                       "read (TCP back-pressure to the sender)",
                       1, G_MAXINT, DEFAULT_MAX_QUEUED,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                       GST_PARAM_MUTABLE_READY);
  /**
   * GstMsrpSrc:language:
   *
   * The language of the peer's messages: a language tag (RFC 5646) such
   * as `en` or `pt-BR`, usually the first `a=lang` of the peer's SDP
   * (msrp_sdp_media_get_languages()). Sent downstream as a stream tag,
   * #GST_TAG_LANGUAGE_CODE with its primary subtag (`pt`), so that
   * matroskamux writes it as the track language; again when it changes
   * while playing.
   */
  props[PROP_LANGUAGE] =
    g_param_spec_string ("language", "Language",
                         "Language tag of the peer's messages (its SDP a=lang, such as \"en\" "
                         "or \"pt-BR\"), sent downstream as the language-code tag",
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                         GST_PARAM_MUTABLE_PLAYING);
  g_object_class_install_properties (object_class, N_PROPS, props);
  gst_msrp_settings_install (object_class, PROP_SETTINGS, DEFAULT_ACCEPT_TYPES, settings_props);

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "MSRP source", "Source/Network",
                                         "Receives the messages of an MSRP (RFC 4975) session "
                                         "as a live, sparse stream: chat text as timed "
                                         "UTF-8 text",
                                         "gst-msrp");
  element_class->change_state = gst_msrp_src_change_state;
  element_class->send_event = gst_msrp_src_send_event;

  basesrc_class->start = gst_msrp_src_start;
  basesrc_class->stop = gst_msrp_src_stop;
  basesrc_class->unlock = gst_msrp_src_unlock;
  basesrc_class->unlock_stop = gst_msrp_src_unlock_stop;
  basesrc_class->negotiate = gst_msrp_src_negotiate;
  basesrc_class->query = gst_msrp_src_query;
  pushsrc_class->create = gst_msrp_src_create;
}
