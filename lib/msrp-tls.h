/* msrp-tls.h: TLS credentials and fingerprint verification for msrps: URIs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MSRP_H_INSIDE__) && !defined(MSRP_COMPILATION)
#error "Only <msrp/msrp.h> can be included directly."
#endif

#include <gio/gio.h>
#include "msrp-version.h"

G_BEGIN_DECLS

/**
 * MSRP_TLS_DEFAULT_COMMON_NAME:
 *
 * The subject common name of a generated certificate when the caller gives
 * none.
 */
#define MSRP_TLS_DEFAULT_COMMON_NAME "gst-msrp"

#define MSRP_TYPE_TLS_CREDENTIALS (msrp_tls_credentials_get_type ())
MSRP_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MsrpTlsCredentials, msrp_tls_credentials, MSRP, TLS_CREDENTIALS, GObject)

MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_tls_credentials_new_self_signed (const char       *common_name,
                                                          GError          **error);
MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_tls_credentials_new_from_files  (const char       *cert_file,
                                                          const char       *key_file,
                                                          GError          **error);
MSRP_AVAILABLE_IN_ALL
MsrpTlsCredentials *msrp_tls_credentials_new             (GTlsCertificate  *certificate);

MSRP_AVAILABLE_IN_ALL
GTlsCertificate    *msrp_tls_credentials_get_certificate (MsrpTlsCredentials *credentials);
MSRP_AVAILABLE_IN_ALL
const char         *msrp_tls_credentials_get_fingerprint (MsrpTlsCredentials *credentials);

MSRP_AVAILABLE_IN_ALL
char               *msrp_tls_fingerprint_for_certificate (GTlsCertificate  *certificate,
                                                          const char       *hash_name,
                                                          GError          **error);
MSRP_AVAILABLE_IN_ALL
gboolean            msrp_tls_fingerprint_matches         (const char       *expected,
                                                          GTlsCertificate  *peer,
                                                          GError          **error);

MSRP_AVAILABLE_IN_ALL
void                msrp_tls_client_connect_async        (GIOStream           *base,
                                                          MsrpTlsCredentials  *own,
                                                          const char          *expected_fingerprint,
                                                          const char          *server_name,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
GIOStream          *msrp_tls_client_connect_finish       (GAsyncResult  *result,
                                                          GError       **error);

MSRP_AVAILABLE_IN_ALL
void                msrp_tls_server_accept_async         (GIOStream           *base,
                                                          MsrpTlsCredentials  *own,
                                                          const char          *expected_client_fingerprint,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
MSRP_AVAILABLE_IN_ALL
GIOStream          *msrp_tls_server_accept_finish        (GAsyncResult  *result,
                                                          GError       **error);

G_END_DECLS
