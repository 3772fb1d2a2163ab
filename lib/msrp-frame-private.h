/* msrp-frame-private.h: what the parser needs from MsrpFrame
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-frame.h"

G_BEGIN_DECLS

/* The three path header fields, indexes of the frame's parsed-path cache. */
typedef enum {
  MSRP_PATH_TO,
  MSRP_PATH_FROM,
  MSRP_PATH_USE,
  MSRP_N_PATHS
} MsrpPathKind;

/* A start line the parser has checked; offsets are into the head text
 * handed to msrp_frame_new_parsed(), which begins with the start line. */
typedef struct {
  gboolean is_request;
  guint    status;
  /* A response whose status is not 3 digits: delivered with a parse error. */
  gboolean bad_status;
  guint    tid_offset;
  guint    tid_length;
  /* The method of a request, the comment of a response (length 0: none). */
  gsize    word_offset;
  gsize    word_length;
  /* The start line with its CRLF. */
  gsize    length;
} MsrpStartLine;

gboolean   msrp_is_transaction_id   (const char *text,
                                     gsize       length);
gboolean   msrp_is_method_name      (const char *text,
                                     gsize       length);

/* The header lines of earlier heads, by position, so that lines that
 * repeat are not read again; a parser keeps one for requests and one for
 * responses. Lines longer than MSRP_CACHED_LINE_MAX are not kept. */
#define MSRP_CACHED_LINE_MAX 160
#define MSRP_CACHED_LINES 8
typedef struct _MsrpCachedLine MsrpCachedLine;
typedef struct _MsrpLineCache MsrpLineCache;

MsrpLineCache *msrp_line_cache_new  (void);
/* Forgets every line (after a limit changed). */
void       msrp_line_cache_clear    (MsrpLineCache       *cache);
void       msrp_line_cache_free     (MsrpLineCache       *cache);
/* Once the parser is done with a request made with a line cache (and
 * validated it, when it parsed): its first To-Path and From-Path lines
 * keep the paths parsed from them, which the next request with the same
 * lines takes instead of parsing them. The frame forgets the lines. */
void       msrp_line_cache_remember_paths (MsrpFrame *frame);

MsrpFrame *msrp_frame_new_parsed    (MsrpFrame           *spare,
                                     const MsrpStartLine *start,
                                     const char          *head,
                                     gsize                head_length,
                                     guint                n_lines,
                                     gsize                max_uri_length,
                                     MsrpLineCache       *cache);
/* Drops a reference on @frame; when it was the last, returns the frame
 * emptied, for msrp_frame_new_parsed() to reuse (or
 * msrp_frame_free_spare()): a parser saves an allocation per frame. */
MsrpFrame *msrp_frame_unref_to_spare (MsrpFrame *frame);
void       msrp_frame_free_spare    (MsrpFrame           *spare);
void       msrp_frame_set_body_follows (MsrpFrame *frame,
                                        gboolean   body_follows);
gboolean   msrp_frame_check_uri_lengths (MsrpFrame  *frame,
                                         GError    **error);
GPtrArray *msrp_frame_peek_path     (MsrpFrame    *frame,
                                     MsrpPathKind  kind);
void       msrp_frame_take_parse_error (MsrpFrame *frame,
                                        GError    *error);
/* msrp_frame_validate() runs, and sets the parse error, when the parse
 * error is asked for or the frame is changed: a transport checks only a
 * response's transaction id and status. */
void       msrp_frame_defer_validation (MsrpFrame *frame);
/* A new path holding its own references on the URIs of @path (which need
 * not own them); NULL for NULL. */
GPtrArray *msrp_path_copy           (GPtrArray    *path);
/* The length of the identifiers msrp_generate_id() makes. */
#define MSRP_ID_LENGTH 16
/* msrp_generate_id() into @id: MSRP_ID_LENGTH characters and a NUL. */
void       msrp_fill_id             (char         *id);
/* A GHashFunc for strings such as transaction ids and Message-IDs, eight
 * bytes at a time: g_str_hash() takes some 130 instructions for one of
 * ours. */
guint      msrp_id_hash             (gconstpointer key);
/* Whether @value may be a header field value: text without control
 * characters other than tab. */
gboolean   msrp_is_field_value      (const char   *value);

/* A SEND the library makes, serialized without making an MsrpFrame:
 * msrp_send_spec_to_frame() makes the frame whose msrp_frame_append_head()
 * and msrp_frame_append_end() write what msrp_send_spec_append_head() and
 * msrp_append_end_line() do. All strings are valid field values. */
typedef struct {
  const char       *to_path;         /* formatted paths */
  const char       *from_path;
  const char       *message_id;
  guint64           start;           /* Byte-Range */
  guint64           end;
  gint64            total;           /* -1: `*` */
  gboolean          success_report;  /* `Success-Report: yes` */
  MsrpReportMode    failure_report;  /* the field unless yes */
  const char       *content_type;    /* NULL: a bodiless SEND */
  GBytes           *body;            /* with @content_type */
  MsrpContinuation  flag;
} MsrpSendSpec;

MsrpFrame *msrp_send_spec_to_frame    (const MsrpSendSpec *spec,
                                       const char         *transaction_id);
void       msrp_send_spec_append_head (const MsrpSendSpec *spec,
                                       const char         *transaction_id,
                                       GString            *out);
/* What msrp_frame_append_head() writes for
 * msrp_frame_new_response_for (@request, @status, NULL). */
void       msrp_response_append_head  (MsrpFrame          *request,
                                       guint               status,
                                       GString            *out);
/* What msrp_frame_append_end() writes for a frame with @transaction_id,
 * a body of @body_size bytes and @flag. */
void       msrp_append_end_line       (GString            *out,
                                       const char         *transaction_id,
                                       gsize               body_size,
                                       MsrpContinuation    flag);
/* msrp_frame_set_header() for a name and value known to be valid: made by
 * the library, or taken from a frame that parsed. */
void       msrp_frame_set_header_unchecked (MsrpFrame  *frame,
                                            const char *name,
                                            const char *value);

G_END_DECLS
