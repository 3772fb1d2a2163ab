/* msrp-error.c: the MSRP_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-error.h"

/**
 * msrp_error_quark:
 *
 * The quark that identifies the %MSRP_ERROR domain; use %MSRP_ERROR in C.
 *
 * Returns: the error domain quark
 */
G_DEFINE_QUARK (msrp-error-quark, msrp_error)

/**
 * msrp_status_reason:
 * @status: an MSRP status code
 *
 * The reason phrase RFC 4975 and RFC 4976 give for @status, as used in
 * the comment of a response line.
 *
 * Returns: (nullable): the phrase, or %NULL for a status code no RFC names
 */
const char *
msrp_status_reason (guint status)
{
  switch (status)
    {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 408: return "Request Timeout";
    case 413: return "Stop Sending Message";
    case 415: return "Unsupported Media Type";
    case 423: return "Interval Out-of-Bounds";
    case 481: return "Session Does Not Exist";
    case 501: return "Unknown Method";
    case 506: return "Session Already Bound";
    default: return NULL;
    }
}

/**
 * msrp_error_new_from_status:
 * @status: an MSRP status code of 300 or more
 * @comment: (nullable): the comment of the response line, if any
 *
 * Makes the #GError an application sees when a peer answers a request with
 * a failure status. The code is the status itself when [error@Msrp.Error]
 * has it, %MSRP_ERROR_FAILED otherwise; the message always names the status.
 *
 * Returns: (transfer full): a new #GError in the %MSRP_ERROR domain
 */
GError *
msrp_error_new_from_status (guint status, const char *comment)
{
  const char *reason = msrp_status_reason (status);
  /* msrp_status_reason() names exactly the failure statuses MsrpError has. */
  int code = reason != NULL && status >= 400 ? (int) status : MSRP_ERROR_FAILED;

  if (comment == NULL || *comment == '\0')
    comment = reason ? reason : "no reason given";
  return g_error_new (MSRP_ERROR, code, "peer answered %u %s", status, comment);
}
