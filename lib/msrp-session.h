/* msrp-session.h: one MSRP session (local path, remote path) on a transport
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <gio/gio.h>
#include "msrp-version.h"
#include "msrp-message.h"
#include "msrp-transport.h"

G_BEGIN_DECLS

/**
 * MsrpSessionMatching:
 * @MSRP_SESSION_MATCHING_STRICT: the last To-Path URI of a request must
 *   equal the session's own URI, and the last From-Path URI the remote one,
 *   compared as RFC 4975 §6.1 says
 * @MSRP_SESSION_MATCHING_SESSION_ID: only the session-ids of those URIs are
 *   compared (RFC 6714 CEMA; for peers behind NATs, ALGs and SBCs that
 *   rewrite `a=path` but not the paths inside MSRP)
 *
 * How a [class@Msrp.Session] decides that a request is for it; a request
 * that does not match is answered 481.
 */
typedef enum {
  MSRP_SESSION_MATCHING_STRICT,
  MSRP_SESSION_MATCHING_SESSION_ID,
} MsrpSessionMatching;

/**
 * MSRP_SESSION_DEFAULT_CHUNK_SIZE:
 *
 * The default [property@Msrp.Session:chunk-size]: 2048 bytes, small enough
 * for every relay.
 */
#define MSRP_SESSION_DEFAULT_CHUNK_SIZE 2048

/**
 * MSRP_SESSION_RELAY_MAX_CHUNK_SIZE:
 *
 * The largest chunk body a session sends when a relay (RFC 4976) is in
 * its path, whatever [property@Msrp.Session:chunk-size] says: Kamailio 5.6
 * cannot route frames longer than about 11 KiB, headers included (see
 * `docs/relays.md`).
 */
#define MSRP_SESSION_RELAY_MAX_CHUNK_SIZE 8192

/**
 * MSRP_SESSION_STREAM_CHUNK_SIZE:
 *
 * The chunk size used for a stream body when
 * [property@Msrp.Session:chunk-size] is 0: a stream is never read whole
 * into memory, so it is always chunked.
 */
#define MSRP_SESSION_STREAM_CHUNK_SIZE (64 * 1024)

/**
 * MSRP_SESSION_DEFAULT_REPORT_TIMEOUT:
 *
 * Seconds a send waits for the success REPORT it asked for, by default.
 */
#define MSRP_SESSION_DEFAULT_REPORT_TIMEOUT 120

/**
 * MSRP_SESSION_DEFAULT_MAX_INCOMPLETE:
 *
 * The default [property@Msrp.Session:max-incomplete].
 */
#define MSRP_SESSION_DEFAULT_MAX_INCOMPLETE 256

/**
 * MSRP_SESSION_DEFAULT_MAX_BUFFERED:
 *
 * The default [property@Msrp.Session:max-buffered]: 256 MiB.
 */
#define MSRP_SESSION_DEFAULT_MAX_BUFFERED (G_GUINT64_CONSTANT (256) * 1024 * 1024)

#define MSRP_TYPE_SESSION (msrp_session_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpSession, msrp_session, MSRP, SESSION, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpSession   *msrp_session_new                  (MsrpTransport  *transport,
                                                  GPtrArray      *local_path,
                                                  GPtrArray      *remote_path,
                                                  GError        **error);

MSRP_AVAILABLE_IN_ALL
MsrpTransport *msrp_session_get_transport        (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
GPtrArray     *msrp_session_get_local_path       (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
GPtrArray     *msrp_session_get_remote_path      (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
const char    *msrp_session_get_session_id       (MsrpSession *session);

MSRP_AVAILABLE_IN_ALL
guint          msrp_session_get_chunk_size       (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_chunk_size       (MsrpSession *session,
                                                  guint        chunk_size);
MSRP_AVAILABLE_IN_ALL
guint64        msrp_session_get_max_size         (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_max_size         (MsrpSession *session,
                                                  guint64      max_size);
MSRP_AVAILABLE_IN_ALL
const char * const *msrp_session_get_accept_types (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_accept_types     (MsrpSession        *session,
                                                  const char * const *types);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_accepts_type         (MsrpSession *session,
                                                  const char  *content_type);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_get_interleave       (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_interleave       (MsrpSession *session,
                                                  gboolean     interleave);
MSRP_AVAILABLE_IN_ALL
guint          msrp_session_get_report_timeout   (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_report_timeout   (MsrpSession *session,
                                                  guint        seconds);
MSRP_AVAILABLE_IN_ALL
guint          msrp_session_get_keepalive_interval (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_keepalive_interval (MsrpSession *session,
                                                    guint        seconds);
MSRP_AVAILABLE_IN_ALL
MsrpSessionMatching msrp_session_get_matching    (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_matching         (MsrpSession         *session,
                                                  MsrpSessionMatching  matching);
MSRP_AVAILABLE_IN_ALL
guint          msrp_session_get_max_incomplete   (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_max_incomplete   (MsrpSession *session,
                                                  guint        max_incomplete);
MSRP_AVAILABLE_IN_ALL
guint64        msrp_session_get_max_buffered     (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_set_max_buffered     (MsrpSession *session,
                                                  guint64      max_buffered);

MSRP_AVAILABLE_IN_ALL
void           msrp_session_send_async           (MsrpSession         *session,
                                                  MsrpOutgoingMessage *message,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_send_text_async      (MsrpSession         *session,
                                                  const char          *text,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_send_bytes_async     (MsrpSession         *session,
                                                  const char          *content_type,
                                                  GBytes              *body,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_send_finish          (MsrpSession   *session,
                                                  GAsyncResult  *result,
                                                  GError       **error);

MSRP_AVAILABLE_IN_ALL
void           msrp_session_abort_incoming       (MsrpSession         *session,
                                                  MsrpIncomingMessage *message);

MSRP_AVAILABLE_IN_ALL
void           msrp_session_hold_reading         (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_release_reading      (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
GMainContext  *msrp_session_get_context          (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_update_remote_path_async  (MsrpSession         *session,
                                                       GPtrArray           *remote_path,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_update_remote_path_finish (MsrpSession   *session,
                                                       GAsyncResult  *result,
                                                       GError       **error);

MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_is_closed            (MsrpSession *session);
MSRP_AVAILABLE_IN_ALL
void           msrp_session_close_async          (MsrpSession         *session,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
gboolean       msrp_session_close_finish         (MsrpSession   *session,
                                                  GAsyncResult  *result,
                                                  GError       **error);

G_END_DECLS
