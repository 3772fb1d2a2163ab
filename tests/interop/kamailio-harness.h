/* kamailio-harness.h: a real Kamailio MSRP relay (RFC 4976) for tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Set to 1 to skip, instead of fail, the tests that need Kamailio when it is
 * not installed. CI installs it (.ci/debian-packages) and must not set this. */
#define KAMAILIO_ALLOW_MISSING_ENV "MSRP_TESTS_ALLOW_MISSING_KAMAILIO"
/* The kamailio binary to run, instead of the one on PATH or /usr/sbin. */
#define KAMAILIO_BINARY_ENV "MSRP_TESTS_KAMAILIO"

/* Which method the relay puts into the digest it checks. */
typedef enum {
  /* pv_www_authenticate (…, "$msrp(method)"): "AUTH", as RFC 4976 says */
  KAMAILIO_DIGEST_METHOD_AUTH,
  /* the method of the SIP request Kamailio builds from the frame: "MSRP" */
  KAMAILIO_DIGEST_METHOD_MSRP,
} KamailioDigestMethod;

typedef struct
{
  /* the one account; no `"` or `\` in these three */
  const char *username;
  const char *password;
  const char *realm;
  KamailioDigestMethod digest_method;
  /* Expires bounds; AUTH without Expires gets max_expires */
  guint min_expires;
  guint max_expires;
  /* nonce lifetime in seconds; later credentials get 401 with stale=true */
  guint nonce_expire;
  /* challenge with qop="auth" (TRUE) or in the RFC 2069 form (FALSE) */
  gboolean qop;
  /* a wrong password gets 403 (TRUE) or a new 401 challenge (FALSE, as the
   * example configuration in Kamailio's README does) */
  gboolean forbid_wrong_password;
  /* with a certificate (and its private key), the relay listens for TLS
   * (msrps) instead of TCP; needs Kamailio's tls module
   * (kamailio-tls-modules) */
  GTlsCertificate *tls_certificate;
} KamailioRelayOptions;

typedef struct
{
  /* msrp://127.0.0.1:PORT;tcp, or msrps:// with a TLS certificate */
  char *uri;
  char *host;
  guint16 port;
  char *username;
  char *password;
  char *realm;
  /* the directory with kamailio.cfg and kamailio.log */
  char *run_dir;
  char *log_path;
  GSubprocess *process;
} KamailioRelay;

void           kamailio_relay_options_init   (KamailioRelayOptions        *options);

KamailioRelay *kamailio_relay_start          (const char                  *build_dir,
                                              const KamailioRelayOptions  *options,
                                              GError                     **error);
void           kamailio_relay_stop           (KamailioRelay               *relay);
char          *kamailio_relay_get_log        (KamailioRelay               *relay);
/* Kills the relay at once (SIGKILL to its process group), as a crash
 * would; kamailio_relay_stop() still cleans up after it. */
void           kamailio_relay_kill           (KamailioRelay               *relay);

KamailioRelay *kamailio_relay_start_for_test (const KamailioRelayOptions  *options);

G_END_DECLS
