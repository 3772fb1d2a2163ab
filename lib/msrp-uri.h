/* msrp-uri.h: MSRP URIs (RFC 4975 §9) and paths
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
 * MSRP_DEFAULT_PORT:
 *
 * The port RFC 4975 registers for MSRP (2855); used to connect when a URI
 * has no port. A URI without a port still compares unequal to one with
 * `:2855` (RFC 4975 §6.1).
 */
#define MSRP_DEFAULT_PORT 2855

#define MSRP_TYPE_URI (msrp_uri_get_type ())

/**
 * MsrpUri:
 *
 * An immutable, reference-counted `msrp:` or `msrps:` URI:
 * `msrp[s]://[userinfo@]host[:port][/session-id];transport[;param…]`.
 *
 * Relay URIs (RFC 4976) have no session-id. Hosts keep their spelling;
 * IPv6 literals are stored without their brackets; schemes and transports
 * are kept in lower case. Paths (To-Path, From-Path, Use-Path, SDP
 * `a=path`) are #GPtrArray of #MsrpUri.
 */
typedef struct _MsrpUri MsrpUri;

MSRP_AVAILABLE_IN_ALL
GType        msrp_uri_get_type        (void) G_GNUC_CONST;

MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_parse           (const char  *text,
                                       GError     **error);
MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_parse_len       (const char  *text,
                                       gssize       length,
                                       GError     **error);
MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_new             (gboolean     secure,
                                       const char  *host,
                                       int          port,
                                       const char  *session_id,
                                       const char  *transport);
MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_ref             (MsrpUri     *uri);
MSRP_AVAILABLE_IN_ALL
void         msrp_uri_unref           (MsrpUri     *uri);

MSRP_AVAILABLE_IN_ALL
gboolean     msrp_uri_is_secure       (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_scheme      (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_userinfo    (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_host        (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
int          msrp_uri_get_port        (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_session_id  (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_transport   (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
const char  *msrp_uri_get_param       (const MsrpUri *uri,
                                       const char    *name);
MSRP_AVAILABLE_IN_ALL
GStrv        msrp_uri_get_params      (const MsrpUri *uri);

MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_with_port       (const MsrpUri *uri,
                                       int            port);
MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_with_host       (const MsrpUri *uri,
                                       const char    *host);
MSRP_AVAILABLE_IN_ALL
MsrpUri     *msrp_uri_with_session_id (const MsrpUri *uri,
                                       const char    *session_id);

MSRP_AVAILABLE_IN_ALL
char        *msrp_uri_to_string       (const MsrpUri *uri);
MSRP_AVAILABLE_IN_ALL
gboolean     msrp_uri_equal           (const MsrpUri *a,
                                       const MsrpUri *b);
MSRP_AVAILABLE_IN_ALL
guint        msrp_uri_hash            (const MsrpUri *uri);

MSRP_AVAILABLE_IN_ALL
GPtrArray   *msrp_path_parse          (const char  *text,
                                       GError     **error);
MSRP_AVAILABLE_IN_ALL
GPtrArray   *msrp_path_parse_len      (const char  *text,
                                       gssize       length,
                                       GError     **error);
MSRP_AVAILABLE_IN_ALL
GPtrArray   *msrp_path_new            (void);
MSRP_AVAILABLE_IN_ALL
char        *msrp_path_to_string      (GPtrArray   *path);
MSRP_AVAILABLE_IN_ALL
gboolean     msrp_path_equal          (GPtrArray   *a,
                                       GPtrArray   *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsrpUri, msrp_uri_unref)

G_END_DECLS
