/* msrp-parser.h: the I/O-free, incremental MSRP frame parser
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <glib-object.h>
#include "msrp-version.h"
#include "msrp-frame.h"

G_BEGIN_DECLS

/**
 * MSRP_PARSER_DEFAULT_MAX_HEADER_BLOCK:
 *
 * Default limit on the bytes of a start line plus its headers (16 KiB).
 */
#define MSRP_PARSER_DEFAULT_MAX_HEADER_BLOCK (16 * 1024)
/**
 * MSRP_PARSER_DEFAULT_MAX_HEADERS:
 *
 * Default limit on the number of header fields in one frame.
 */
#define MSRP_PARSER_DEFAULT_MAX_HEADERS 64
/**
 * MSRP_PARSER_DEFAULT_MAX_URI_LENGTH:
 *
 * Default limit on the length of one URI in a path header.
 */
#define MSRP_PARSER_DEFAULT_MAX_URI_LENGTH 2048

/**
 * MsrpParser:
 *
 * The incremental parser of one connection's incoming bytes: feed it any
 * pieces, it calls back with frame heads, body pieces and end lines. It is
 * a C API (its callbacks are a struct of function pointers), left out of
 * introspection.
 */
typedef struct _MsrpParser MsrpParser;

/**
 * MsrpParserCallbacks: (skip)
 * @frame_head: a start line and its headers are complete. @head has no body
 *   yet; it is borrowed, take a reference to keep it. When a header line was
 *   malformed but the framing held, msrp_frame_get_parse_error() on @head
 *   says why (answer a request with 400 after its end line).
 * @body_data: a piece of the body of the current frame, in order; @data
 *   is a slice of what was fed (zero-copy where the input was #GBytes).
 * @frame_end: the end line of the current frame, with its continuation flag.
 *
 * What a [struct@Msrp.Parser] reports while it is fed. The callbacks may not
 * free the parser or feed it; they may stop it with msrp_parser_stop().
 */
typedef struct {
  void (*frame_head) (MsrpParser *parser, MsrpFrame *head, gpointer user_data);
  void (*body_data)  (MsrpParser *parser, MsrpFrame *head, GBytes *data, gpointer user_data);
  void (*frame_end)  (MsrpParser *parser, MsrpFrame *head, MsrpContinuation flag, gpointer user_data);
  /*< private >*/
  gpointer padding[4];
} MsrpParserCallbacks;

MSRP_AVAILABLE_IN_ALL
MsrpParser  *msrp_parser_new                 (const MsrpParserCallbacks *callbacks,
                                              gpointer                   user_data);
MSRP_AVAILABLE_IN_ALL
void         msrp_parser_free                (MsrpParser *parser);

MSRP_AVAILABLE_IN_ALL
void         msrp_parser_set_max_header_block (MsrpParser *parser, gsize max_bytes);
MSRP_AVAILABLE_IN_ALL
void         msrp_parser_set_max_headers      (MsrpParser *parser, guint max_headers);
MSRP_AVAILABLE_IN_ALL
void         msrp_parser_set_max_uri_length   (MsrpParser *parser, gsize max_length);

MSRP_AVAILABLE_IN_ALL
gboolean     msrp_parser_feed                (MsrpParser  *parser,
                                              GBytes      *data,
                                              GError     **error);
MSRP_AVAILABLE_IN_ALL
gboolean     msrp_parser_feed_data           (MsrpParser    *parser,
                                              const guint8  *data,
                                              gsize          length,
                                              GError       **error);
MSRP_AVAILABLE_IN_ALL
void         msrp_parser_stop                (MsrpParser *parser);
MSRP_AVAILABLE_IN_ALL
gsize        msrp_parser_get_consumed        (MsrpParser *parser);
MSRP_AVAILABLE_IN_ALL
gboolean     msrp_parser_is_idle             (MsrpParser *parser);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_parser_get_failed_request_tid (MsrpParser *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsrpParser, msrp_parser_free)

G_END_DECLS
