/* msrp-error.h: the MSRP_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <glib.h>
#include "msrp-version.h"

G_BEGIN_DECLS

/**
 * MSRP_ERROR:
 *
 * The error domain of libmsrp. Errors in this domain are from the
 * [error@Msrp.Error] enumeration.
 */
#define MSRP_ERROR (msrp_error_quark ())

/**
 * MsrpError:
 * @MSRP_ERROR_FAILED: a failure with no more specific code
 * @MSRP_ERROR_INVALID_URI: an MSRP URI or path did not parse
 * @MSRP_ERROR_MALFORMED: a frame is syntactically wrong but its framing is
 *   intact, so the request can still be answered with 400
 * @MSRP_ERROR_FRAMING: the byte stream no longer splits into frames (garbage,
 *   broken start line); the connection must be closed
 * @MSRP_ERROR_LIMIT_EXCEEDED: a parser limit (header block size, header count,
 *   URI length) was exceeded; the connection must be closed
 * @MSRP_ERROR_CLOSED: the connection was closed
 * @MSRP_ERROR_TIMEOUT: no response arrived in time (408 semantics)
 * @MSRP_ERROR_ABORTED: the peer aborted the message (end line with `#`)
 * @MSRP_ERROR_TLS: TLS setup failed or the peer's certificate did not match
 *   the expected fingerprint
 * @MSRP_ERROR_INVALID_SDP: an SDP description did not parse
 * @MSRP_ERROR_BAD_REQUEST: status 400, the request was malformed
 * @MSRP_ERROR_UNAUTHORIZED: status 401, authentication required
 * @MSRP_ERROR_FORBIDDEN: status 403, the action is not allowed
 * @MSRP_ERROR_REQUEST_TIMEOUT: status 408, the downstream transaction timed out
 * @MSRP_ERROR_STOP_SENDING: status 413, the receiver wants no more of the message
 * @MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE: status 415, the content type is not accepted
 * @MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS: status 423, Expires out of the allowed range
 * @MSRP_ERROR_SESSION_DOES_NOT_EXIST: status 481, no such session
 * @MSRP_ERROR_NOT_IMPLEMENTED: status 501, unknown method
 * @MSRP_ERROR_WRONG_CONNECTION: status 506, the session is bound to another connection
 *
 * Error codes of the %MSRP_ERROR domain. Codes that stand for an MSRP status
 * code have that status as their value, so `error->code == 413` reads as it
 * should; any other status code a peer answers with is reported as
 * %MSRP_ERROR_FAILED with the code and comment in the message.
 */
typedef enum {
  MSRP_ERROR_FAILED = 1,
  MSRP_ERROR_INVALID_URI,
  MSRP_ERROR_MALFORMED,
  MSRP_ERROR_FRAMING,
  MSRP_ERROR_LIMIT_EXCEEDED,
  MSRP_ERROR_CLOSED,
  MSRP_ERROR_TIMEOUT,
  MSRP_ERROR_ABORTED,
  MSRP_ERROR_TLS,
  MSRP_ERROR_INVALID_SDP,

  MSRP_ERROR_BAD_REQUEST = 400,
  MSRP_ERROR_UNAUTHORIZED = 401,
  MSRP_ERROR_FORBIDDEN = 403,
  MSRP_ERROR_REQUEST_TIMEOUT = 408,
  MSRP_ERROR_STOP_SENDING = 413,
  MSRP_ERROR_UNSUPPORTED_MEDIA_TYPE = 415,
  MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS = 423,
  MSRP_ERROR_SESSION_DOES_NOT_EXIST = 481,
  MSRP_ERROR_NOT_IMPLEMENTED = 501,
  MSRP_ERROR_WRONG_CONNECTION = 506,
} MsrpError;

MSRP_AVAILABLE_IN_ALL
GQuark msrp_error_quark (void);

MSRP_AVAILABLE_IN_ALL
const char *msrp_status_reason (guint status);

MSRP_AVAILABLE_IN_ALL
GError *msrp_error_new_from_status (guint status, const char *comment);

G_END_DECLS
