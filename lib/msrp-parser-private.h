/* msrp-parser-private.h: what the transport needs from MsrpParser
 *
 * Not installed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "msrp-parser.h"

G_BEGIN_DECLS

/* msrp_parser_feed() of the @length bytes of @bytes at @offset: body
 * pieces are slices of @bytes, and the input needs no slice of its own. */
gboolean msrp_parser_feed_range (MsrpParser  *parser,
                                 GBytes      *bytes,
                                 gsize        offset,
                                 gsize        length,
                                 GError     **error);

G_END_DECLS
