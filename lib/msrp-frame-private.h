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

MsrpFrame *msrp_frame_new_parsed    (MsrpFrame           *spare,
                                     const MsrpStartLine *start,
                                     const char          *head,
                                     gsize                head_length,
                                     guint                n_lines,
                                     gsize                max_uri_length);
/* Drops a reference on @frame; when it was the last, returns the frame
 * emptied, for msrp_frame_new_parsed() to reuse (or
 * msrp_frame_free_spare()): a parser saves an allocation per frame. */
MsrpFrame *msrp_frame_unref_to_spare (MsrpFrame *frame);
void       msrp_frame_free_spare    (MsrpFrame           *spare);
void       msrp_frame_set_body_follows (MsrpFrame *frame,
                                        gboolean   body_follows);
gboolean   msrp_frame_check_uri_lengths (MsrpFrame  *frame,
                                         GError    **error);
const char *msrp_frame_get_path_text (MsrpFrame    *frame,
                                      MsrpPathKind  kind,
                                      gsize        *length);
GPtrArray *msrp_frame_peek_path     (MsrpFrame    *frame,
                                     MsrpPathKind  kind);
void       msrp_frame_prime_path    (MsrpFrame    *frame,
                                     MsrpPathKind  kind,
                                     GPtrArray    *path);
void       msrp_frame_take_parse_error (MsrpFrame *frame,
                                        GError    *error);
/* A new path holding its own references on the URIs of @path (which need
 * not own them); NULL for NULL. */
GPtrArray *msrp_path_copy           (GPtrArray    *path);
/* msrp_frame_set_header() for a name and value known to be valid: made by
 * the library, or taken from a frame that parsed. */
void       msrp_frame_set_header_unchecked (MsrpFrame  *frame,
                                            const char *name,
                                            const char *value);

G_END_DECLS
