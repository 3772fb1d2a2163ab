/* msrp-relay-auth.h: RFC 4976 AUTH: digest challenges and credentials, Expires
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
 * MSRP_DIGEST_METHOD_AUTH:
 *
 * The method RFC 4976 §5 puts into the digest (`A2 = "AUTH:" digest-uri`),
 * the default of msrp_digest_authorization().
 */
#define MSRP_DIGEST_METHOD_AUTH "AUTH"

/**
 * MSRP_DIGEST_METHOD_MSRP:
 *
 * The method Kamailio's `pv_www_authenticate()` digests when its
 * configuration does not pass `$msrp(method)`: the method of the SIP request
 * it builds from each MSRP frame. Relays configured that way refuse
 * credentials computed with %MSRP_DIGEST_METHOD_AUTH.
 */
#define MSRP_DIGEST_METHOD_MSRP "MSRP"

#define MSRP_TYPE_DIGEST_CHALLENGE (msrp_digest_challenge_get_type ())

/**
 * MsrpDigestChallenge:
 *
 * An immutable, reference-counted HTTP Digest challenge (RFC 2617 §3.2.1)
 * as a relay sends it in the `WWW-Authenticate` header of a 401 answer to
 * AUTH (RFC 4976 §5). Only the MD5 algorithm is supported; a challenge for
 * any other algorithm does not parse.
 */
typedef struct _MsrpDigestChallenge MsrpDigestChallenge;

MSRP_AVAILABLE_IN_ALL
GType                msrp_digest_challenge_get_type        (void) G_GNUC_CONST;

MSRP_AVAILABLE_IN_ALL
MsrpDigestChallenge *msrp_digest_challenge_parse           (const char  *header_value,
                                                            GError     **error);
MSRP_AVAILABLE_IN_ALL
MsrpDigestChallenge *msrp_digest_challenge_ref             (MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
void                 msrp_digest_challenge_unref           (MsrpDigestChallenge *challenge);

MSRP_AVAILABLE_IN_ALL
const char          *msrp_digest_challenge_get_realm       (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_digest_challenge_get_nonce       (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_digest_challenge_get_opaque      (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_digest_challenge_get_algorithm   (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
const char * const  *msrp_digest_challenge_get_qop_options (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
const char          *msrp_digest_challenge_get_qop         (const MsrpDigestChallenge *challenge);
MSRP_AVAILABLE_IN_ALL
gboolean             msrp_digest_challenge_get_stale       (const MsrpDigestChallenge *challenge);

MSRP_AVAILABLE_IN_ALL
char                *msrp_digest_authorization             (const MsrpDigestChallenge  *challenge,
                                                            const char                 *username,
                                                            const char                 *password,
                                                            const char                 *method,
                                                            const char                 *digest_uri,
                                                            guint32                     nc,
                                                            const char                 *cnonce,
                                                            GError                    **error);

MSRP_AVAILABLE_IN_ALL
gboolean             msrp_expires_parse                    (const char  *header_value,
                                                            guint32     *seconds,
                                                            GError     **error);
MSRP_AVAILABLE_IN_ALL
gboolean             msrp_relay_auth_retry_expires         (guint32      requested,
                                                            const char  *min_expires,
                                                            const char  *max_expires,
                                                            guint32     *retry_expires,
                                                            GError     **error);
MSRP_AVAILABLE_IN_ALL
guint                msrp_relay_auth_refresh_delay         (guint32      expires);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MsrpDigestChallenge, msrp_digest_challenge_unref)

G_END_DECLS
