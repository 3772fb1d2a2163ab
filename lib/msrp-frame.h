/* msrp-frame.h: one MSRP request or response (RFC 4975 §7, §9)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <glib-object.h>
#include "msrp-version.h"

G_BEGIN_DECLS

/**
 * MSRP_MAX_TRANSACTION_ID_LENGTH:
 *
 * The longest transaction identifier RFC 4975 allows (`ident` is 4 to 32
 * characters).
 */
#define MSRP_MAX_TRANSACTION_ID_LENGTH 32

/**
 * MsrpContinuation:
 * @MSRP_CONTINUATION_COMPLETE: `$`, the last chunk of a message
 * @MSRP_CONTINUATION_MORE: `+`, more chunks of the message follow
 * @MSRP_CONTINUATION_ABORT: `#`, the sender aborted the message
 *
 * The continuation flag of an end line. The values are the flag characters.
 */
typedef enum {
  MSRP_CONTINUATION_COMPLETE = '$',
  MSRP_CONTINUATION_MORE = '+',
  MSRP_CONTINUATION_ABORT = '#',
} MsrpContinuation;

/**
 * MsrpMethod:
 * @MSRP_METHOD_UNKNOWN: any other method name (see
 *   msrp_frame_get_method_name()); answered with 501
 * @MSRP_METHOD_SEND: SEND (RFC 4975)
 * @MSRP_METHOD_REPORT: REPORT (RFC 4975)
 * @MSRP_METHOD_AUTH: AUTH (RFC 4976, relays)
 * @MSRP_METHOD_NICKNAME: NICKNAME (RFC 7701, chat rooms)
 *
 * The request methods libmsrp knows by name.
 */
typedef enum {
  MSRP_METHOD_UNKNOWN,
  MSRP_METHOD_SEND,
  MSRP_METHOD_REPORT,
  MSRP_METHOD_AUTH,
  MSRP_METHOD_NICKNAME,
} MsrpMethod;

/**
 * MsrpReportMode:
 * @MSRP_REPORT_NO: `no`
 * @MSRP_REPORT_YES: `yes`
 * @MSRP_REPORT_PARTIAL: `partial` (Failure-Report only: report failures,
 *   no transaction response on success)
 *
 * The values of the Success-Report and Failure-Report header fields.
 */
typedef enum {
  MSRP_REPORT_NO,
  MSRP_REPORT_YES,
  MSRP_REPORT_PARTIAL,
} MsrpReportMode;

#define MSRP_TYPE_FRAME (msrp_frame_get_type ())

/**
 * MsrpFrame:
 *
 * One MSRP request or response: start line, ordered header fields and an
 * optional body, with the continuation flag of its end line.
 *
 * Frames are reference counted; the reference count is atomic, but a frame
 * must not be changed from two threads at once. Frames that the
 * [struct@Msrp.Parser] delivers have no body (the body arrives as
 * separate pieces) and may carry a parse error
 * (msrp_frame_get_parse_error()).
 */
typedef struct _MsrpFrame MsrpFrame;

MSRP_AVAILABLE_IN_ALL
GType           msrp_frame_get_type            (void) G_GNUC_CONST;

MSRP_AVAILABLE_IN_ALL
char           *msrp_generate_id               (void);

MSRP_AVAILABLE_IN_ALL
MsrpFrame      *msrp_frame_new_request         (const char *method,
                                                const char *transaction_id);
MSRP_AVAILABLE_IN_ALL
MsrpFrame      *msrp_frame_new_response        (const char *transaction_id,
                                                guint       status,
                                                const char *comment);
MSRP_AVAILABLE_IN_ALL
MsrpFrame      *msrp_frame_new_response_for    (MsrpFrame  *request,
                                                guint       status,
                                                const char *comment);
MSRP_AVAILABLE_IN_ALL
MsrpFrame      *msrp_frame_ref                 (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_unref               (MsrpFrame *frame);

MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_is_request          (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
MsrpMethod      msrp_frame_get_method          (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_method_name     (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
guint           msrp_frame_get_status          (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_comment         (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_transaction_id  (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
MsrpContinuation msrp_frame_get_continuation   (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_continuation    (MsrpFrame        *frame,
                                                MsrpContinuation  flag);

MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_header          (MsrpFrame  *frame,
                                                const char *name);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_header          (MsrpFrame  *frame,
                                                const char *name,
                                                const char *value);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_add_header          (MsrpFrame  *frame,
                                                const char *name,
                                                const char *value);
MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_remove_header       (MsrpFrame  *frame,
                                                const char *name);
MSRP_AVAILABLE_IN_ALL
guint           msrp_frame_get_n_headers       (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_get_nth_header      (MsrpFrame   *frame,
                                                guint        i,
                                                const char **name,
                                                const char **value);

MSRP_AVAILABLE_IN_ALL
GPtrArray      *msrp_frame_get_to_path         (MsrpFrame  *frame,
                                                GError    **error);
MSRP_AVAILABLE_IN_ALL
GPtrArray      *msrp_frame_get_from_path       (MsrpFrame  *frame,
                                                GError    **error);
MSRP_AVAILABLE_IN_ALL
GPtrArray      *msrp_frame_get_use_path        (MsrpFrame  *frame,
                                                GError    **error);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_to_path         (MsrpFrame *frame,
                                                GPtrArray *path);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_from_path       (MsrpFrame *frame,
                                                GPtrArray *path);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_use_path        (MsrpFrame *frame,
                                                GPtrArray *path);

MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_message_id      (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_message_id      (MsrpFrame  *frame,
                                                const char *message_id);

MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_get_byte_range      (MsrpFrame  *frame,
                                                gint64     *start,
                                                gint64     *end,
                                                gint64     *total,
                                                GError    **error);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_byte_range      (MsrpFrame *frame,
                                                gint64     start,
                                                gint64     end,
                                                gint64     total);

MSRP_AVAILABLE_IN_ALL
MsrpReportMode  msrp_frame_get_success_report  (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_success_report  (MsrpFrame      *frame,
                                                MsrpReportMode  mode);
MSRP_AVAILABLE_IN_ALL
MsrpReportMode  msrp_frame_get_failure_report  (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_failure_report  (MsrpFrame      *frame,
                                                MsrpReportMode  mode);

MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_get_status_header   (MsrpFrame  *frame,
                                                guint      *code,
                                                char      **comment,
                                                GError    **error);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_status_header   (MsrpFrame  *frame,
                                                guint       code,
                                                const char *comment);

MSRP_AVAILABLE_IN_ALL
const char     *msrp_frame_get_content_type    (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_content_type    (MsrpFrame  *frame,
                                                const char *content_type);

MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_get_uint_header     (MsrpFrame   *frame,
                                                const char  *name,
                                                guint64     *value,
                                                GError     **error);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_uint_header     (MsrpFrame  *frame,
                                                const char *name,
                                                guint64     value);

MSRP_AVAILABLE_IN_ALL
GBytes         *msrp_frame_get_body            (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_set_body            (MsrpFrame *frame,
                                                GBytes    *body);

MSRP_AVAILABLE_IN_ALL
const GError   *msrp_frame_get_parse_error     (MsrpFrame *frame);
MSRP_AVAILABLE_IN_ALL
gboolean        msrp_frame_validate            (MsrpFrame  *frame,
                                                GError    **error);

MSRP_AVAILABLE_IN_ALL
void            msrp_frame_append_head         (MsrpFrame *frame,
                                                GString   *out);
MSRP_AVAILABLE_IN_ALL
void            msrp_frame_append_end          (MsrpFrame *frame,
                                                GString   *out);
MSRP_AVAILABLE_IN_ALL
GBytes         *msrp_frame_to_bytes            (MsrpFrame *frame);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsrpFrame, msrp_frame_unref)

G_END_DECLS
