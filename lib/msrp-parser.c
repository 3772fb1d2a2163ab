/* msrp-parser.c: the I/O-free, incremental MSRP frame parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "msrp-parser-private.h"
#include "msrp-frame-private.h"
#include "msrp-error.h"

/* Bytes of the end line before its flag: CRLF, 7 dashes, the transaction id. */
#define END_PREFIX_MAX (2 + 7 + MSRP_MAX_TRANSACTION_ID_LENGTH)

typedef enum {
  STATE_HEAD,
  STATE_BODY,
  STATE_DEAD,
} State;

typedef enum {
  HEAD_INCOMPLETE,
  HEAD_COMPLETE,
  HEAD_FAILED,
} HeadResult;

typedef enum {
  MATCH_MORE,
  MATCH_DONE,
  MATCH_FAILED,
} MatchResult;

/* Where a complete head ends. */
typedef struct {
  gsize            head_length;  /* start line and header lines */
  gsize            total;        /* with the empty line or end line */
  gboolean         has_body;
  MsrpContinuation flag;         /* of the end line when !has_body */
  gboolean         glued;        /* the end line followed junk, not CRLF */
} HeadEnd;

struct _MsrpParser {
  MsrpParserCallbacks callbacks;
  gpointer            user_data;
  gsize               max_header_block;
  guint               max_headers;
  gsize               max_uri_length;

  State               state;
  gboolean            stopped;
  gsize               consumed;
  GError             *error;
  gboolean            failed_request;

  /* The head being read, when it spans several feeds. */
  guint8             *hbuf;
  gsize               hbuf_length;
  gsize               hbuf_size;
  gsize               scan;        /* offset of the first line not looked at */
  guint               n_lines;     /* header lines so far */
  gboolean            have_start;
  MsrpStartLine       start;
  char                tid[MSRP_MAX_TRANSACTION_ID_LENGTH + 1];

  /* The body being read: its frame and the end line looked for. */
  MsrpFrame          *frame;
  MsrpFrame          *spare;       /* the last frame, emptied, for the next one */
  char                end_line[END_PREFIX_MAX];
  guint               end_prefix;  /* bytes of end_line before the flag */
  guint               match;       /* bytes of the end line matched and held back */
  guint               match_base;  /* of those, how many were not input (body start) */
  char                match_flag;

  /* Header lines of earlier requests and responses (the paths parsed
   * from request lines too: the paths of a connection rarely change). */
  MsrpLineCache      *request_lines;
  MsrpLineCache      *response_lines;
};

static gboolean
is_flag (guint8 c)
{
  return c == '$' || c == '+' || c == '#';
}

/**
 * msrp_parser_new: (skip)
 * @callbacks: what to call on frame heads, body data and end lines (copied;
 *   any of them may be %NULL)
 * @user_data: passed to the callbacks
 *
 * Makes a parser for one connection's incoming byte stream, with the
 * default limits.
 *
 * Returns: (transfer full): a new parser; free it with msrp_parser_free()
 */
MsrpParser *
msrp_parser_new (const MsrpParserCallbacks *callbacks, gpointer user_data)
{
  MsrpParser *parser;

  g_return_val_if_fail (callbacks != NULL, NULL);

  parser = g_new0 (MsrpParser, 1);
  parser->callbacks = *callbacks;
  parser->user_data = user_data;
  parser->max_header_block = MSRP_PARSER_DEFAULT_MAX_HEADER_BLOCK;
  parser->max_headers = MSRP_PARSER_DEFAULT_MAX_HEADERS;
  parser->max_uri_length = MSRP_PARSER_DEFAULT_MAX_URI_LENGTH;
  parser->state = STATE_HEAD;
  parser->request_lines = msrp_line_cache_new ();
  parser->response_lines = msrp_line_cache_new ();
  return parser;
}

/**
 * msrp_parser_free: (skip)
 * @parser: (transfer full): a parser
 *
 * Frees the parser and the frame it was reading, if any. Not from one of
 * its callbacks.
 */
void
msrp_parser_free (MsrpParser *parser)
{
  g_return_if_fail (parser != NULL);

  g_clear_pointer (&parser->frame, msrp_frame_unref);
  g_clear_pointer (&parser->spare, msrp_frame_free_spare);
  g_clear_error (&parser->error);
  msrp_line_cache_free (parser->request_lines);
  msrp_line_cache_free (parser->response_lines);
  g_free (parser->hbuf);
  g_free (parser);
}

/**
 * msrp_parser_set_max_header_block: (skip)
 * @parser: a parser
 * @max_bytes: the largest start line plus header block, in bytes, with the
 *   empty line or end line that ends it
 *
 * Limits the memory a head may take; a longer head fails the parser with
 * %MSRP_ERROR_LIMIT_EXCEEDED. Default: %MSRP_PARSER_DEFAULT_MAX_HEADER_BLOCK.
 */
void
msrp_parser_set_max_header_block (MsrpParser *parser, gsize max_bytes)
{
  g_return_if_fail (parser != NULL);
  g_return_if_fail (max_bytes >= 64);
  parser->max_header_block = max_bytes;
}

/**
 * msrp_parser_set_max_headers: (skip)
 * @parser: a parser
 * @max_headers: the most header fields in one frame
 *
 * More header lines fail the parser with %MSRP_ERROR_LIMIT_EXCEEDED.
 * Default: %MSRP_PARSER_DEFAULT_MAX_HEADERS.
 */
void
msrp_parser_set_max_headers (MsrpParser *parser, guint max_headers)
{
  g_return_if_fail (parser != NULL);
  parser->max_headers = max_headers;
}

/**
 * msrp_parser_set_max_uri_length: (skip)
 * @parser: a parser
 * @max_length: the longest URI in a To-Path or From-Path, in bytes
 *
 * A To-Path, From-Path or Use-Path with a longer URI fails the parser with
 * %MSRP_ERROR_LIMIT_EXCEEDED. Default: %MSRP_PARSER_DEFAULT_MAX_URI_LENGTH.
 */
void
msrp_parser_set_max_uri_length (MsrpParser *parser, gsize max_length)
{
  g_return_if_fail (parser != NULL);
  parser->max_uri_length = max_length;
  /* Cached paths were checked against the old limit. */
  msrp_line_cache_clear (parser->request_lines);
  msrp_line_cache_clear (parser->response_lines);
}

static void
fail (MsrpParser *parser, MsrpError code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
fail (MsrpParser *parser, MsrpError code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  parser->error = g_error_new_valist (MSRP_ERROR, code, format, args);
  va_end (args);
  parser->state = STATE_DEAD;
  parser->failed_request = parser->have_start && parser->start.is_request;
}

/* Checks the start line @line (with its CRLF, @length bytes) and keeps
 * what it says in parser->start and parser->tid. */
static gboolean
parse_start_line (MsrpParser *parser, const char *line, gsize length)
{
  MsrpStartLine *start = &parser->start;
  const char *p = line + 5, *end = line + length - 2, *space;
  gsize n;

  if (length < 7 || end[0] != '\r')
    return FALSE;
  space = memchr (p, ' ', end - p);
  if (space == NULL || !msrp_is_transaction_id (p, space - p))
    return FALSE;
  start->tid_offset = p - line;
  start->tid_length = space - p;
  memcpy (parser->tid, p, start->tid_length);
  parser->tid[start->tid_length] = '\0';

  p = space + 1;
  n = end - p;
  start->length = length;
  start->bad_status = FALSE;
  if (n > 0 && g_ascii_isdigit (p[0]))
    {
      /* A response. A status that is not 3 digits does not break the
       * framing: the frame is delivered with a parse error. */
      start->is_request = FALSE;
      start->word_offset = p + MIN (n, 4) - line;
      start->word_length = n > 4 ? n - 4 : 0;
      if (n < 3 || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]) || (n > 3 && p[3] != ' '))
        {
          start->bad_status = TRUE;
          start->status = 0;
          start->word_length = 0;
        }
      else
        start->status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
      for (gsize i = 0; i < start->word_length; i++)
        {
          guint8 c = line[start->word_offset + i];
          if ((c < 0x20 && c != '\t') || c == 0x7f)
            return FALSE;
        }
      return TRUE;
    }
  start->is_request = TRUE;
  start->status = 0;
  start->word_offset = p - line;
  start->word_length = n;
  return msrp_is_method_name (p, n);
}

static gboolean
is_own_end_line (MsrpParser *parser, const guint8 *line, gsize length, MsrpContinuation *flag)
{
  gsize tid_length = parser->start.tid_length;

  if (length != 7 + tid_length + 2 || memcmp (line, "-------", 7) != 0
      || memcmp (line + 7, parser->tid, tid_length) != 0
      || !is_flag (line[7 + tid_length]) || line[8 + tid_length] != '\r')
    return FALSE;
  *flag = line[7 + tid_length];
  return TRUE;
}

/* A header line that ends with the frame's own end line instead of a CRLF
 * before it: Kamailio 5.6's 423 answer to AUTH (msrp_cmap_save()) puts
 * uninitialised bytes where its Min-Expires header should be and no CRLF
 * after them. Reading on would swallow the next frames; ending the frame
 * there keeps the connection, and the frame is delivered as malformed. */
static gboolean
is_glued_end_line (MsrpParser *parser, const guint8 *line, gsize length, MsrpContinuation *flag)
{
  gsize end_length = 7 + parser->start.tid_length + 2;

  return length > end_length
    && is_own_end_line (parser, line + length - end_length, end_length, flag);
}

/* Looks for the end of the head in @buf (the head from its first byte),
 * from the first line not yet looked at. */
static HeadResult
scan_head (MsrpParser *parser, const guint8 *buf, gsize length, HeadEnd *end)
{
  gsize limit = MIN (length, parser->max_header_block);
  /* Kept in locals: the compiler cannot tell the parser from the input. */
  gsize scan = parser->scan, tid_length;
  guint n_lines = parser->n_lines, max_headers = parser->max_headers;
  HeadResult result = HEAD_INCOMPLETE;

  if (!parser->have_start)
    {
      const guint8 *nl;

      if (limit >= 5 ? memcmp (buf, "MSRP ", 5) != 0 : memcmp (buf, "MSRP ", limit) != 0)
        {
          fail (parser, MSRP_ERROR_FRAMING, "no MSRP start line where a frame should begin");
          return HEAD_FAILED;
        }
      nl = memchr (buf, '\n', limit);
      if (nl != NULL)
        {
          if (!parse_start_line (parser, (const char *) buf, nl + 1 - buf))
            {
              fail (parser, MSRP_ERROR_FRAMING, "malformed MSRP start line");
              return HEAD_FAILED;
            }
          parser->have_start = TRUE;
          scan = nl + 1 - buf;
        }
      else
        scan = limit;
    }
  tid_length = parser->start.tid_length;

  while (scan < limit)
    {
      const guint8 *line = buf + scan;
      const guint8 *nl = memchr (line, '\n', limit - scan);
      gsize line_length, next;

      if (nl == NULL)
        break;
      line_length = nl - line;
      next = nl + 1 - buf;
      if (line[0] == '\r' && line_length == 1)
        {
          *end = (HeadEnd) { scan, next, TRUE, MSRP_CONTINUATION_COMPLETE, FALSE };
          result = HEAD_COMPLETE;
          break;
        }
      /* End lines start with a dash, and a header line does not: most
       * lines are told from both by their first byte and their length. */
      if (line[0] == '-' && is_own_end_line (parser, line, line_length, &end->flag))
        {
          *end = (HeadEnd) { scan, next, FALSE, end->flag, FALSE };
          result = HEAD_COMPLETE;
          break;
        }
      if (line_length > 9 + tid_length && line[line_length - 9 - tid_length] == '-'
          && is_glued_end_line (parser, line, line_length, &end->flag))
        {
          *end = (HeadEnd) { scan, next, FALSE, end->flag, TRUE };
          result = HEAD_COMPLETE;
          break;
        }
      if (++n_lines > max_headers)
        {
          parser->n_lines = n_lines;
          fail (parser, MSRP_ERROR_LIMIT_EXCEEDED, "more than %u header fields", max_headers);
          return HEAD_FAILED;
        }
      scan = next;
    }
  parser->n_lines = n_lines;
  if (result == HEAD_COMPLETE)
    return result;
  /* Lines are looked at again only when the head is not complete. */
  if (parser->have_start)
    parser->scan = scan;

  if (length >= parser->max_header_block)
    {
      fail (parser, MSRP_ERROR_LIMIT_EXCEEDED, "frame head longer than %" G_GSIZE_FORMAT " bytes",
            parser->max_header_block);
      return HEAD_FAILED;
    }
  return HEAD_INCOMPLETE;
}

static void
hbuf_append (MsrpParser *parser, const guint8 *data, gsize length)
{
  if (parser->hbuf_length + length > parser->hbuf_size)
    {
      gsize size = MAX (1024, parser->hbuf_size);
      while (size < parser->hbuf_length + length)
        size *= 2;
      parser->hbuf = g_realloc (parser->hbuf, size);
      parser->hbuf_size = size;
    }
  memcpy (parser->hbuf + parser->hbuf_length, data, length);
  parser->hbuf_length += length;
}

static void
finish_frame (MsrpParser *parser, MsrpFrame *frame, MsrpContinuation flag)
{
  msrp_frame_set_continuation (frame, flag);
  if (parser->callbacks.frame_end)
    parser->callbacks.frame_end (parser, frame, flag, parser->user_data);
  if (parser->spare == NULL)
    parser->spare = msrp_frame_unref_to_spare (frame);
  else
    msrp_frame_unref (frame);
}

/* Turns a complete head into a frame and reports it (with its end, when
 * the head ended with the end line). */
static void
complete_head (MsrpParser *parser, const guint8 *head, const HeadEnd *end)
{
  MsrpFrame *frame = msrp_frame_new_parsed (g_steal_pointer (&parser->spare), &parser->start,
                                            (const char *) head, end->head_length,
                                            parser->n_lines, parser->max_uri_length,
                                            parser->start.is_request ? parser->request_lines
                                                                     : parser->response_lines);

  GError *error = NULL;

  /* Over-long URIs are refused like an over-long head: the connection is
   * not worth keeping. */
  if (!msrp_frame_check_uri_lengths (frame, &error))
    {
      msrp_frame_unref (frame);
      parser->state = STATE_DEAD;
      parser->error = error;
      parser->failed_request = parser->start.is_request;
      return;
    }

  msrp_frame_set_body_follows (frame, end->has_body);
  if (end->glued && msrp_frame_get_parse_error (frame) == NULL)
    msrp_frame_take_parse_error (frame, g_error_new_literal (MSRP_ERROR, MSRP_ERROR_MALFORMED,
                                                             "a header line runs into the end line"));
  /* A response is mostly looked at for its transaction id and status only:
   * its paths are parsed when its parse error is asked for. */
  if (msrp_frame_get_parse_error (frame) == NULL)
    {
      if (!parser->start.is_request)
        msrp_frame_defer_validation (frame);
      else if (!msrp_frame_validate (frame, &error))
        msrp_frame_take_parse_error (frame, error);
    }
  if (parser->start.is_request)
    msrp_line_cache_remember_paths (frame);

  parser->hbuf_length = 0;
  parser->scan = 0;
  parser->n_lines = 0;
  parser->have_start = FALSE;

  if (end->has_body)
    {
      parser->state = STATE_BODY;
      parser->frame = frame;
      memcpy (parser->end_line, "\r\n-------", 9);
      memcpy (parser->end_line + 9, parser->tid, parser->start.tid_length);
      parser->end_prefix = 9 + parser->start.tid_length;
      /* The empty line's CRLF may be the one before the end line: an empty
       * body without its own CRLF (liberal reading). */
      parser->match = 2;
      parser->match_base = 2;
      if (parser->callbacks.frame_head)
        parser->callbacks.frame_head (parser, frame, parser->user_data);
    }
  else
    {
      /* The end line was read with the head: report both, even if the
       * frame_head callback stops the parser. */
      if (parser->callbacks.frame_head)
        parser->callbacks.frame_head (parser, frame, parser->user_data);
      finish_frame (parser, frame, end->flag);
    }
}

static gsize
feed_head (MsrpParser *parser, const guint8 *data, gsize length)
{
  HeadEnd end;
  gsize consumed;

  if (parser->hbuf_length == 0)
    {
      /* Fast path: the whole head is in this input. */
      switch (scan_head (parser, data, length, &end))
        {
        case HEAD_FAILED:
          return 0;
        case HEAD_INCOMPLETE:
          hbuf_append (parser, data, length);
          return length;
        case HEAD_COMPLETE:
        default:
          complete_head (parser, data, &end);
          return end.total;
        }
    }

  /* The limit may have been lowered since the head began. */
  consumed = parser->hbuf_length < parser->max_header_block
             ? MIN (length, parser->max_header_block - parser->hbuf_length) : 0;
  hbuf_append (parser, data, consumed);
  switch (scan_head (parser, parser->hbuf, parser->hbuf_length, &end))
    {
    case HEAD_FAILED:
      return 0;
    case HEAD_INCOMPLETE:
      return consumed;
    case HEAD_COMPLETE:
    default:
      /* What was copied beyond the head stays unconsumed. */
      consumed -= parser->hbuf_length - end.total;
      complete_head (parser, parser->hbuf, &end);
      return consumed;
    }
}

static void
emit_body (MsrpParser *parser, GBytes *bytes, const guint8 *data, gsize offset, gsize length)
{
  GBytes *slice;

  if (length == 0 || parser->callbacks.body_data == NULL)
    return;
  /* What g_bytes_new_from_bytes() makes of an input that is not itself a
   * slice, without its checks and search for the owner: a piece per body. */
  slice = bytes ? g_bytes_new_with_free_func (data + offset, length, (GDestroyNotify) g_bytes_unref,
                                              g_bytes_ref (bytes))
                : g_bytes_new (data + offset, length);
  parser->callbacks.body_data (parser, parser->frame, slice, parser->user_data);
  g_bytes_unref (slice);
}

static MatchResult
match_step (MsrpParser *parser, guint8 c)
{
  guint m = parser->match;
  gboolean ok;

  if (m < parser->end_prefix)
    ok = c == (guint8) parser->end_line[m];
  else if (m == parser->end_prefix)
    {
      ok = is_flag (c);
      parser->match_flag = c;
    }
  else if (m == parser->end_prefix + 1)
    ok = c == '\r';
  else
    ok = c == '\n';
  if (!ok)
    return MATCH_FAILED;
  return ++parser->match == parser->end_prefix + 3 ? MATCH_DONE : MATCH_MORE;
}

/* The held-back bytes were not the end line after all: they are body. */
static void
release_match (MsrpParser *parser)
{
  char held[END_PREFIX_MAX + 2];
  guint n = 0, m = parser->match;

  for (guint i = parser->match_base; i < MIN (m, parser->end_prefix); i++)
    held[n++] = parser->end_line[i];
  if (m > parser->end_prefix)
    held[n++] = parser->match_flag;
  if (m > parser->end_prefix + 1)
    held[n++] = '\r';
  parser->match = 0;
  emit_body (parser, NULL, (const guint8 *) held, 0, n);
}

static void
end_body (MsrpParser *parser, MsrpContinuation flag)
{
  MsrpFrame *frame = parser->frame;

  parser->frame = NULL;
  parser->state = STATE_HEAD;
  parser->match = 0;
  finish_frame (parser, frame, flag);
}

/* Reads body from data[offset, length) (offsets into @bytes when it is not
 * %NULL) until the frame's own end line. */
static gsize
feed_body (MsrpParser *parser, GBytes *bytes, const guint8 *data, gsize offset, gsize length)
{
  gsize pos = offset, run;
  const guint8 *cur, *end = data + length;
  guint end_total = parser->end_prefix + 3;

  /* Continue an end line that began in earlier input (or at body start). */
  while (parser->match > 0 && pos < length)
    {
      switch (match_step (parser, data[pos]))
        {
        case MATCH_DONE:
          end_body (parser, parser->match_flag);
          return pos + 1 - offset;
        case MATCH_MORE:
          pos++;
          break;
        case MATCH_FAILED:
        default:
          release_match (parser);
          if (parser->stopped)
            return pos - offset;
          break;
        }
    }
  if (parser->match > 0)
    return pos - offset;

  run = pos;
  cur = data + pos;
  while (cur < end)
    {
      const guint8 *cr = memchr (cur, '\r', end - cur);
      gsize avail;

      if (cr == NULL)
        break;
      avail = end - cr;
      if (avail >= end_total)
        {
          if (cr[1] == '\n' && memcmp (cr, parser->end_line, parser->end_prefix) == 0
              && is_flag (cr[parser->end_prefix]) && cr[parser->end_prefix + 1] == '\r'
              && cr[parser->end_prefix + 2] == '\n')
            {
              emit_body (parser, bytes, data, run, cr - data - run);
              if (parser->stopped)
                return cr - data - offset;
              end_body (parser, cr[parser->end_prefix]);
              return cr + end_total - data - offset;
            }
        }
      else
        {
          /* Too close to the end to decide: hold back a possible end line. */
          guint i;

          parser->match = 0;
          parser->match_base = 0;
          for (i = 0; i < avail; i++)
            if (match_step (parser, cr[i]) != MATCH_MORE)
              break;
          if (i == avail)
            {
              emit_body (parser, bytes, data, run, cr - data - run);
              return length - offset;
            }
          parser->match = 0;
        }
      cur = cr + 1;
    }
  emit_body (parser, bytes, data, run, length - run);
  return length - offset;
}

static gboolean
feed (MsrpParser *parser, GBytes *bytes, const guint8 *data, gsize length, GError **error)
{
  gsize pos = 0;

  parser->stopped = FALSE;
  parser->consumed = 0;
  if (parser->state == STATE_DEAD)
    {
      g_propagate_error (error, g_error_copy (parser->error));
      return FALSE;
    }

  while (pos < length && !parser->stopped)
    {
      if (parser->state == STATE_HEAD)
        pos += feed_head (parser, data + pos, length - pos);
      else
        pos += feed_body (parser, bytes, data, pos, length);
      if (parser->state == STATE_DEAD)
        {
          parser->consumed = pos;
          g_propagate_error (error, g_error_copy (parser->error));
          return FALSE;
        }
    }
  parser->consumed = pos;
  return TRUE;
}

/**
 * msrp_parser_feed: (skip)
 * @parser: a parser
 * @data: the next bytes of the stream, any amount
 * @error: return location for a #GError
 *
 * Parses @data and calls the callbacks for what it completes. Body pieces
 * are slices of @data (g_bytes_new_from_bytes()), so a transport can hand
 * up large bodies without copying; the parser only holds back the few
 * bytes that may be the start of an end line. Feeding the stream in any
 * pieces, one byte at a time included, reports the same frames, body bytes
 * and flags.
 *
 * Returns: %TRUE when the input was parsed (or msrp_parser_stop() was
 *   called); %FALSE with %MSRP_ERROR_FRAMING (no start line where one
 *   should be, a malformed start line or transaction id) or
 *   %MSRP_ERROR_LIMIT_EXCEEDED (a head, a header count or a URI over the
 *   limits). A frame whose framing holds but which is invalid is not a
 *   failure: it is delivered with msrp_frame_get_parse_error(). After a failure
 *   the parser is dead: every feed fails the same way; close the
 *   connection, first answering msrp_parser_get_failed_request_tid() with
 *   400 when there is one.
 */
gboolean
msrp_parser_feed (MsrpParser *parser, GBytes *data, GError **error)
{
  gsize length;
  const guint8 *bytes;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &length);
  return feed (parser, data, bytes, length, error);
}

gboolean
msrp_parser_feed_range (MsrpParser *parser, GBytes *bytes, gsize offset, gsize length,
                        GError **error)
{
  return feed (parser, bytes, (const guint8 *) g_bytes_get_data (bytes, NULL) + offset,
               length, error);
}

/**
 * msrp_parser_feed_data: (skip)
 * @parser: a parser
 * @data: (array length=length): the next bytes of the stream
 * @length: the number of bytes
 * @error: return location for a #GError
 *
 * Like msrp_parser_feed(), but the body pieces are copies.
 *
 * Returns: %TRUE on success, %FALSE with an error (see msrp_parser_feed())
 */
gboolean
msrp_parser_feed_data (MsrpParser *parser, const guint8 *data, gsize length, GError **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  return feed (parser, NULL, data, length, error);
}

/**
 * msrp_parser_stop: (skip)
 * @parser: a parser
 *
 * Called from a callback, makes the running feed return %TRUE after that
 * callback without parsing further; msrp_parser_get_consumed() then says
 * how much of the input was used, and the rest can be fed later. A frame
 * without body reports its head and its end even when stopped in between.
 */
void
msrp_parser_stop (MsrpParser *parser)
{
  g_return_if_fail (parser != NULL);
  parser->stopped = TRUE;
}

/**
 * msrp_parser_get_consumed: (skip)
 * @parser: a parser
 *
 * How many bytes of the last input the parser used: all of them, unless
 * msrp_parser_stop() cut the feed short or the feed failed.
 *
 * Returns: the number of bytes
 */
gsize
msrp_parser_get_consumed (MsrpParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);
  return parser->consumed;
}

/**
 * msrp_parser_is_idle: (skip)
 * @parser: a parser
 *
 * Whether the parser is between frames, with nothing of a next frame read:
 * at the end of the stream, %FALSE means the last frame was cut off.
 *
 * Returns: %TRUE between frames; %FALSE within a frame or after a failure
 */
gboolean
msrp_parser_is_idle (MsrpParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  return parser->state == STATE_HEAD && parser->hbuf_length == 0;
}

/**
 * msrp_parser_get_failed_request_tid: (skip)
 * @parser: a parser
 *
 * After a failed feed: the transaction id of the request whose head failed
 * the parser (a limit exceeded after its start line was read), so the
 * transport can answer it with 400 before closing.
 *
 * Returns: (nullable): the transaction id, or %NULL when the failure was
 *   not within a request or its start line could not be read
 */
const char *
msrp_parser_get_failed_request_tid (MsrpParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);
  return parser->state == STATE_DEAD && parser->failed_request ? parser->tid : NULL;
}
