/* msrp-tls.c: TLS credentials and fingerprint verification for msrps: URIs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-tls.h"
#include "msrp-error.h"

#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

/* Generated certificates are valid from a day ago, for peers whose clocks
 * lag, until a year from now; a long-lived identity should be loaded from
 * files instead. */
#define VALIDITY_BEFORE_NOW (24 * 60 * 60)
#define VALIDITY_AFTER_NOW  (365 * 24 * 60 * 60)

/* RFC 5280 §4.1.2.2 allows up to 20 octets; 16 random ones make clashes
 * between two generated certificates negligible. */
#define SERIAL_LENGTH 16

/* ub-common-name, RFC 5280 appendix A.1 */
#define COMMON_NAME_MAX 64

/* ---- fingerprints (RFC 8122 §5) ---- */

typedef struct
{
  const char *name;
  gnutls_digest_algorithm_t algorithm;
  gsize length;
} HashFunc;

/* The hash-func tokens of RFC 8122 §5 we compute. MD2 and MD5 are in its
 * grammar too, but it forbids using them for fingerprints. */
static const HashFunc hash_funcs[] = {
  { "sha-1", GNUTLS_DIG_SHA1, 20 },
  { "sha-224", GNUTLS_DIG_SHA224, 28 },
  { "sha-256", GNUTLS_DIG_SHA256, 32 },
  { "sha-384", GNUTLS_DIG_SHA384, 48 },
  { "sha-512", GNUTLS_DIG_SHA512, 64 },
};

#define MAX_DIGEST_LENGTH 64

typedef struct
{
  const HashFunc *hash;
  guint8 digest[MAX_DIGEST_LENGTH];
} Fingerprint;

static gboolean
token_equal (const char *token, gsize length, const char *name)
{
  return strlen (name) == length && g_ascii_strncasecmp (token, name, length) == 0;
}

/* @name need not be NUL-terminated; hash-func tokens compare
 * case-insensitively, as quoted strings in ABNF (RFC 5234 §2.3) do. */
static const HashFunc *
hash_func_lookup (const char *name, gsize length, GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hash_funcs); i++)
    if (token_equal (name, length, hash_funcs[i].name))
      return &hash_funcs[i];

  if (token_equal (name, length, "md5") || token_equal (name, length, "md2"))
    g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS,
                 "fingerprint hash function %.*s is not allowed (RFC 8122 §5)",
                 (int) length, name);
  else
    g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS,
                 "unsupported fingerprint hash function “%.*s”", (int) length, name);
  return NULL;
}

static gboolean
certificate_digest (GTlsCertificate  *certificate,
                    const HashFunc   *hash,
                    guint8           *digest,
                    GError          **error)
{
  g_autoptr(GByteArray) der = NULL;
  int ret;

  g_object_get (certificate, "certificate", &der, NULL);
  ret = gnutls_hash_fast (hash->algorithm, der->data, der->len, digest);
  if (ret < 0)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS, "computing a %s digest: %s",
                   hash->name, gnutls_strerror (ret));
      return FALSE;
    }
  return TRUE;
}

/* "sha-256 AB:CD:…", the form RFC 8122 §5 gives: upper-case hex pairs. */
static char *
fingerprint_format (const Fingerprint *fingerprint)
{
  static const char hex[] = "0123456789ABCDEF";
  const HashFunc *hash = fingerprint->hash;
  GString *text = g_string_sized_new (strlen (hash->name) + 3 * hash->length);

  g_string_append (text, hash->name);
  g_string_append_c (text, ' ');
  for (gsize i = 0; i < hash->length; i++)
    {
      if (i > 0)
        g_string_append_c (text, ':');
      g_string_append_c (text, hex[fingerprint->digest[i] >> 4]);
      g_string_append_c (text, hex[fingerprint->digest[i] & 0xf]);
    }
  return g_string_free (text, FALSE);
}

static gboolean
fingerprint_malformed (const char *text, const char *why, GError **error)
{
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP,
               "malformed fingerprint “%s”: %s", text, why);
  return FALSE;
}

/* Parses an SDP a=fingerprint value, `hash-func SP fingerprint`. We are
 * liberal where peers differ without ambiguity: any run of white space
 * around and between the two parts, and lower-case hex digits. */
static gboolean
fingerprint_parse (const char   *text,
                   Fingerprint  *fingerprint,
                   GError      **error)
{
  const char *p = text;
  const char *name;
  gsize n = 0;

  while (g_ascii_isspace (*p))
    p++;
  name = p;
  while (*p != '\0' && !g_ascii_isspace (*p))
    p++;
  if (p == name || *p == '\0')
    return fingerprint_malformed (text, "expected “<hash function> <hex pairs>”", error);

  fingerprint->hash = hash_func_lookup (name, p - name, error);
  if (fingerprint->hash == NULL)
    return FALSE;

  while (g_ascii_isspace (*p))
    p++;
  for (;;)
    {
      int high = g_ascii_xdigit_value (p[0]);
      int low = high < 0 ? -1 : g_ascii_xdigit_value (p[1]);

      if (low < 0)
        return fingerprint_malformed (text, "expected two hex digits", error);
      if (n == fingerprint->hash->length)
        break;
      fingerprint->digest[n++] = (guint8) (high << 4 | low);
      p += 2;
      if (*p != ':')
        break;
      p++;
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || n != fingerprint->hash->length)
    {
      g_autofree char *why = g_strdup_printf ("a %s fingerprint has %" G_GSIZE_FORMAT
                                              " colon-separated hex pairs",
                                              fingerprint->hash->name,
                                              fingerprint->hash->length);
      return fingerprint_malformed (text, why, error);
    }
  return TRUE;
}

static gboolean
fingerprint_check (const Fingerprint  *expected,
                   GTlsCertificate    *peer,
                   GError            **error)
{
  Fingerprint actual = { expected->hash, { 0 } };
  g_autofree char *actual_text = NULL;
  g_autofree char *expected_text = NULL;

  if (!certificate_digest (peer, expected->hash, actual.digest, error))
    return FALSE;
  if (memcmp (actual.digest, expected->digest, expected->hash->length) == 0)
    return TRUE;

  actual_text = fingerprint_format (&actual);
  expected_text = fingerprint_format (expected);
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS,
               "peer certificate fingerprint %s does not match the expected %s",
               actual_text, expected_text);
  return FALSE;
}

/**
 * msrp_tls_fingerprint_for_certificate:
 * @certificate: a certificate
 * @hash_name: an RFC 8122 hash function name: `sha-1`, `sha-224`, `sha-256`,
 *   `sha-384` or `sha-512` (in any case)
 * @error: return location for a #GError
 *
 * Computes the fingerprint of @certificate as SDP `a=fingerprint` carries
 * it (RFC 8122 §5): the hash of its DER form, in upper-case hex pairs
 * separated by colons, after the lower-case hash name and a space, as in
 * `sha-256 AB:CD:…`.
 *
 * Returns: (transfer full) (nullable): the fingerprint, or %NULL with
 *   @error set (%MSRP_ERROR_TLS) when @hash_name is not a supported hash function
 */
char *
msrp_tls_fingerprint_for_certificate (GTlsCertificate  *certificate,
                                      const char       *hash_name,
                                      GError          **error)
{
  Fingerprint fingerprint;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (hash_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fingerprint.hash = hash_func_lookup (hash_name, strlen (hash_name), error);
  if (fingerprint.hash == NULL ||
      !certificate_digest (certificate, fingerprint.hash, fingerprint.digest, error))
    return NULL;
  return fingerprint_format (&fingerprint);
}

/**
 * msrp_tls_fingerprint_matches:
 * @expected: an SDP `a=fingerprint` value, `<hash function> <hex pairs>`
 *   such as `sha-256 AB:CD:…`; the hash name and the hex digits may be in
 *   any case
 * @peer: the certificate the peer presented
 * @error: return location for a #GError
 *
 * Checks that @peer is the certificate @expected describes.
 *
 * Returns: %TRUE if it is; %FALSE with @error set otherwise:
 *   %MSRP_ERROR_TLS when the fingerprints differ (the message shows both)
 *   or the hash function is unsupported, %MSRP_ERROR_INVALID_SDP when
 *   @expected does not parse
 */
gboolean
msrp_tls_fingerprint_matches (const char       *expected,
                              GTlsCertificate  *peer,
                              GError          **error)
{
  Fingerprint fingerprint;

  g_return_val_if_fail (expected != NULL, FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (peer), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return fingerprint_parse (expected, &fingerprint, error) &&
         fingerprint_check (&fingerprint, peer, error);
}

/* ---- certificate generation ---- */

static gboolean
gnutls_check (int ret, const char *what, GError **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS, "generating a TLS certificate: %s: %s",
               what, gnutls_strerror (ret));
  return FALSE;
}

/* An ASCII host name made of RFC 1123 §2.1 labels: what a dNSName
 * subjectAltName holds. */
static gboolean
is_dns_name (const char *name)
{
  gsize label = 0;

  if (strlen (name) > 253)
    return FALSE;
  for (const char *p = name;; p++)
    {
      if (*p == '.' || *p == '\0')
        {
          if (label == 0 || label > 63 || p[-1] == '-')
            return FALSE;
          if (*p == '\0')
            return TRUE;
          label = 0;
        }
      else if (g_ascii_isalnum (*p) || (*p == '-' && label > 0))
        label++;
      else
        return FALSE;
    }
}

static gboolean
set_subject_alt_name (gnutls_x509_crt_t crt, const char *common_name, GError **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (common_name);

  if (address != NULL)
    return gnutls_check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS,
                                                               g_inet_address_to_bytes (address),
                                                               g_inet_address_get_native_size (address),
                                                               GNUTLS_FSAN_SET),
                         "subjectAltName", error);
  if (is_dns_name (common_name))
    return gnutls_check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME,
                                                               common_name, strlen (common_name),
                                                               GNUTLS_FSAN_SET),
                         "subjectAltName", error);
  return TRUE;
}

static gboolean
set_subject_key_id (gnutls_x509_crt_t crt, GError **error)
{
  guint8 id[64];
  size_t size = sizeof id;

  return gnutls_check (gnutls_x509_crt_get_key_id (crt, 0, id, &size), "key id", error) &&
         gnutls_check (gnutls_x509_crt_set_subject_key_id (crt, id, size), "key id", error);
}

/* Frees memory that held a private key after overwriting it. */
static void
free_secret (void *data, gsize size)
{
  if (data == NULL)
    return;
  gnutls_memset (data, 0, size);
  gnutls_free (data);
}

/* Returns the certificate and its PKCS#8 key, both PEM, in one string
 * allocated with gnutls_malloc (free with free_secret()), as
 * g_tls_certificate_new_from_pem() takes them. */
static char *
generate_self_signed_pem (const char *common_name, gsize *size, GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t cert_pem = { NULL, 0 };
  gnutls_datum_t key_pem = { NULL, 0 };
  guint8 serial[SERIAL_LENGTH];
  time_t now = time (NULL);
  char *pem = NULL;

  if (gnutls_check (gnutls_x509_privkey_init (&key), "key", error) &&
      gnutls_check (gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                                   0, NULL, 0),
                    "ECDSA P-256 key", error) &&
      gnutls_check (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial", error) &&
      gnutls_check (gnutls_x509_crt_init (&crt), "certificate", error))
    {
      /* Positive (RFC 5280 §4.1.2.2) and without a leading zero octet. */
      serial[0] = (serial[0] & 0x7f) | 0x40;

      if (gnutls_check (gnutls_x509_crt_set_version (crt, 3), "version", error) &&
          gnutls_check (gnutls_x509_crt_set_key (crt, key), "public key", error) &&
          gnutls_check (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) &&
          gnutls_check (gnutls_x509_crt_set_activation_time (crt, now - VALIDITY_BEFORE_NOW),
                        "validity", error) &&
          gnutls_check (gnutls_x509_crt_set_expiration_time (crt, now + VALIDITY_AFTER_NOW),
                        "validity", error) &&
          gnutls_check (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                       common_name, strlen (common_name)),
                        "common name", error) &&
          set_subject_alt_name (crt, common_name, error) &&
          gnutls_check (gnutls_x509_crt_set_basic_constraints (crt, 0, -1),
                        "basic constraints", error) &&
          gnutls_check (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE),
                        "key usage", error) &&
          /* MSRP peers are servers or clients depending on a=setup. */
          gnutls_check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
                        "extended key usage", error) &&
          gnutls_check (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0),
                        "extended key usage", error) &&
          set_subject_key_id (crt, error) &&
          gnutls_check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0),
                        "signature", error) &&
          gnutls_check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_pem),
                        "PEM export", error) &&
          gnutls_check (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                           GNUTLS_PKCS_PLAIN, &key_pem),
                        "PEM export", error))
        {
          *size = cert_pem.size + key_pem.size + 1;
          pem = gnutls_malloc (*size);
          memcpy (pem, cert_pem.data, cert_pem.size);
          memcpy (pem + cert_pem.size, key_pem.data, key_pem.size);
          pem[*size - 1] = '\0';
        }
    }

  gnutls_free (cert_pem.data);
  free_secret (key_pem.data, key_pem.size);
  return pem;
}

/* ---- MsrpTlsCredentials ---- */

/**
 * MsrpTlsCredentials:
 *
 * The certificate and private key one side of an `msrps:` connection
 * presents, and its SHA-256 fingerprint for SDP `a=fingerprint`.
 *
 * MSRP over TLS authenticates peers by the fingerprints exchanged in the
 * signalling (RFC 4975 §14.2, RFC 8122), not by certificate authorities,
 * so a self-signed certificate generated on the spot
 * ([ctor@Msrp.TlsCredentials.new_self_signed]) is the usual choice.
 *
 * Credentials are immutable: one instance may serve any number of
 * connections, in any thread.
 */
struct _MsrpTlsCredentials
{
  GObject parent_instance;

  GTlsCertificate *certificate;
  char *fingerprint;
};

G_DEFINE_FINAL_TYPE (MsrpTlsCredentials, msrp_tls_credentials, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CERTIFICATE,
  PROP_FINGERPRINT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
msrp_tls_credentials_constructed (GObject *object)
{
  MsrpTlsCredentials *self = MSRP_TLS_CREDENTIALS (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (msrp_tls_credentials_parent_class)->constructed (object);

  self->fingerprint = msrp_tls_fingerprint_for_certificate (self->certificate, "sha-256", &error);
  /* SHA-256 over bytes the certificate always has cannot fail short of a
   * broken gnutls. */
  if (self->fingerprint == NULL)
    g_critical ("%s", error->message);
}

static void
msrp_tls_credentials_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MsrpTlsCredentials *self = MSRP_TLS_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      g_value_set_object (value, self->certificate);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_tls_credentials_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MsrpTlsCredentials *self = MSRP_TLS_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_CERTIFICATE:
      self->certificate = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_tls_credentials_finalize (GObject *object)
{
  MsrpTlsCredentials *self = MSRP_TLS_CREDENTIALS (object);

  g_clear_object (&self->certificate);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (msrp_tls_credentials_parent_class)->finalize (object);
}

static void
msrp_tls_credentials_class_init (MsrpTlsCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msrp_tls_credentials_constructed;
  object_class->get_property = msrp_tls_credentials_get_property;
  object_class->set_property = msrp_tls_credentials_set_property;
  object_class->finalize = msrp_tls_credentials_finalize;

  /**
   * MsrpTlsCredentials:certificate:
   *
   * The certificate, with its private key.
   */
  props[PROP_CERTIFICATE] =
    g_param_spec_object ("certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MsrpTlsCredentials:fingerprint:
   *
   * The SHA-256 fingerprint of [property@Msrp.TlsCredentials:certificate]
   * as SDP `a=fingerprint` carries it: `sha-256 AB:CD:…`.
   */
  props[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
msrp_tls_credentials_init (MsrpTlsCredentials *self)
{
}

/**
 * msrp_tls_credentials_new:
 * @certificate: a certificate with its private key
 *
 * Wraps a certificate the application already has.
 *
 * Returns: (transfer full): new credentials
 */
MsrpTlsCredentials *
msrp_tls_credentials_new (GTlsCertificate *certificate)
{
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  return g_object_new (MSRP_TYPE_TLS_CREDENTIALS, "certificate", certificate, NULL);
}

/**
 * msrp_tls_credentials_new_from_files:
 * @cert_file: (type filename): a PEM file with the certificate (and the
 *   chain, if any)
 * @key_file: (type filename): a PEM file with its private key; may be
 *   @cert_file itself
 * @error: return location for a #GError
 *
 * Loads a certificate and key, as g_tls_certificate_new_from_files() does.
 *
 * Returns: (transfer full) (nullable): new credentials, or %NULL with
 *   @error set (in the domain of g_tls_certificate_new_from_files(), with the file names
 *   in the message)
 */
MsrpTlsCredentials *
msrp_tls_credentials_new_from_files (const char  *cert_file,
                                     const char  *key_file,
                                     GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (certificate == NULL)
    {
      g_prefix_error (error, "loading the TLS certificate %s and key %s: ", cert_file, key_file);
      return NULL;
    }
  return msrp_tls_credentials_new (certificate);
}

/**
 * msrp_tls_credentials_new_self_signed:
 * @common_name: (nullable): the subject common name, 1 to 64 bytes of
 *   UTF-8; %NULL for %MSRP_TLS_DEFAULT_COMMON_NAME
 * @error: return location for a #GError
 *
 * Generates a fresh ECDSA P-256 key and a self-signed X.509 v3 certificate
 * for it, signed with SHA-256: a random 128-bit serial number, valid from
 * one day ago (for peers whose clocks lag) for one year, usable by TLS
 * servers and clients. When @common_name is an IP address or an ASCII host
 * name, the certificate also carries it as subjectAltName.
 *
 * Returns: (transfer full) (nullable): new credentials, or %NULL with
 *   @error set (%MSRP_ERROR_TLS)
 */
MsrpTlsCredentials *
msrp_tls_credentials_new_self_signed (const char  *common_name,
                                      GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  char *pem;
  gsize size;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (common_name == NULL)
    common_name = MSRP_TLS_DEFAULT_COMMON_NAME;
  if (*common_name == '\0' || strlen (common_name) > COMMON_NAME_MAX ||
      !g_utf8_validate (common_name, -1, NULL))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_TLS,
                   "a certificate common name must be 1 to %d bytes of UTF-8",
                   COMMON_NAME_MAX);
      return NULL;
    }

  pem = generate_self_signed_pem (common_name, &size, error);
  if (pem == NULL)
    return NULL;
  certificate = g_tls_certificate_new_from_pem (pem, -1, error);
  free_secret (pem, size);
  if (certificate == NULL)
    {
      g_prefix_error (error, "loading the generated TLS certificate: ");
      return NULL;
    }
  return msrp_tls_credentials_new (certificate);
}

/**
 * msrp_tls_credentials_get_certificate:
 * @credentials: credentials
 *
 * The certificate this side presents in the TLS handshake.
 *
 * Returns: (transfer none): the certificate, with its private key
 */
GTlsCertificate *
msrp_tls_credentials_get_certificate (MsrpTlsCredentials *credentials)
{
  g_return_val_if_fail (MSRP_IS_TLS_CREDENTIALS (credentials), NULL);

  return credentials->certificate;
}

/**
 * msrp_tls_credentials_get_fingerprint:
 * @credentials: credentials
 *
 * The value to advertise in SDP `a=fingerprint`, so the peer can check
 * the certificate this side presents.
 *
 * Returns: (transfer none): the SHA-256 fingerprint of the certificate,
 *   `sha-256 AB:CD:…`
 */
const char *
msrp_tls_credentials_get_fingerprint (MsrpTlsCredentials *credentials)
{
  g_return_val_if_fail (MSRP_IS_TLS_CREDENTIALS (credentials), NULL);

  return credentials->fingerprint;
}

/* ---- handshakes ---- */

typedef struct
{
  GTlsConnection *connection;
  GIOStream *base;
  gboolean has_expected;
  Fingerprint expected;
  gulong accept_handler;
  GError *rejection;  /* why accept-certificate refused the peer's certificate */
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_clear_signal_handler (&handshake->accept_handler, handshake->connection);
  g_clear_object (&handshake->connection);
  g_clear_object (&handshake->base);
  g_clear_error (&handshake->rejection);
  g_free (handshake);
}

/* What glib-networking 2.74 does: the handshake thread stops at the peer's
 * certificate and has this signal emitted on the context the handshake was
 * started from. A server connection emits it for every client certificate
 * (a missing one is refused only under G_TLS_AUTHENTICATION_REQUIRED); a
 * client connection only when the certificate has errors its (deprecated)
 * validation flags cover, which is always here, as handshake_start() leaves
 * no database to trust anything and every certificate gets
 * G_TLS_CERTIFICATE_UNKNOWN_CA. Resumed sessions skip it. Those CA,
 * identity and expiry errors do not matter: the fingerprint the peer sent
 * through the signalling decides. */
static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Handshake *handshake = user_data;

  if (!handshake->has_expected)
    return TRUE;
  g_clear_error (&handshake->rejection);
  return fingerprint_check (&handshake->expected, peer, &handshake->rejection);
}

static const char *
handshake_peer_role (Handshake *handshake)
{
  return G_IS_TLS_CLIENT_CONNECTION (handshake->connection) ? "server" : "client";
}

/* @detail: (nullable): GLib's words for it, if GLib noticed */
static GError *
handshake_no_certificate_error (Handshake *handshake, const char *detail)
{
  g_autofree char *expected = fingerprint_format (&handshake->expected);

  return g_error_new (MSRP_ERROR, MSRP_ERROR_TLS,
                      "the TLS %s presented no certificate; expected one with fingerprint %s%s%s%s",
                      handshake_peer_role (handshake), expected,
                      detail ? " (" : "", detail ? detail : "", detail ? ")" : "");
}

static gboolean
handshake_check_peer (Handshake *handshake, GError **error)
{
  GTlsCertificate *peer = g_tls_connection_get_peer_certificate (handshake->connection);

  if (peer == NULL)
    {
      g_propagate_error (error, handshake_no_certificate_error (handshake, NULL));
      return FALSE;
    }
  return fingerprint_check (&handshake->expected, peer, error);
}

/* The reason to give for a failed handshake: our own verdict on the peer's
 * certificate when that is what failed it, else GLib's error with context. */
static GError *
handshake_failure (Handshake *handshake, GError *error)
{
  GError *reason;

  if (handshake->rejection != NULL)
    reason = g_steal_pointer (&handshake->rejection);
  else if (handshake->has_expected &&
           g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    reason = handshake_no_certificate_error (handshake, error->message);
  else
    {
      g_prefix_error (&error, "TLS handshake with the %s failed: ", handshake_peer_role (handshake));
      return error;
    }
  g_error_free (error);
  return reason;
}

/* Every failure closes the base stream, so callers need not tell a
 * failure before any I/O from one that left half a TLS exchange on it. */
static void
handshake_fail (GTask *task, GError *error)
{
  Handshake *handshake = g_task_get_task_data (task);

  g_io_stream_close (handshake->base, NULL, NULL);
  g_task_return_error (task, error);
}

static void
handshake_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Handshake *handshake = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_signal_handler (&handshake->accept_handler, handshake->connection);

  /* accept-certificate is not emitted for a resumed TLS session, so the
   * certificate is checked again once the handshake is over. */
  if (!g_tls_connection_handshake_finish (handshake->connection, result, &error))
    error = handshake_failure (handshake, error);
  else if (handshake->has_expected)
    handshake_check_peer (handshake, &error);

  if (error != NULL)
    {
      handshake_fail (task, error);
      return;
    }
  g_task_return_pointer (task, g_object_ref (handshake->connection), g_object_unref);
}

static GTask *
handshake_task_new (GIOStream           *base,
                    const char          *expected_fingerprint,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Handshake *handshake = g_new0 (Handshake, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  handshake->base = g_object_ref (base);
  g_task_set_task_data (task, handshake, (GDestroyNotify) handshake_free);

  if (expected_fingerprint != NULL)
    {
      if (!fingerprint_parse (expected_fingerprint, &handshake->expected, &error))
        {
          handshake_fail (task, error);
          g_object_unref (task);
          return NULL;
        }
      handshake->has_expected = TRUE;
    }
  return task;
}

/* Takes @task and @connection (NULL with @error set when it could not be
 * made). */
static void
handshake_start (GTask              *task,
                 GIOStream          *connection,
                 MsrpTlsCredentials *own,
                 GError             *error)
{
  Handshake *handshake = g_task_get_task_data (task);

  if (connection == NULL)
    {
      g_prefix_error (&error, "starting TLS: ");
      handshake_fail (task, error);
      g_object_unref (task);
      return;
    }

  handshake->connection = G_TLS_CONNECTION (connection);
  /* Without a database no certificate is trusted, so every one reaches
   * accept-certificate, and the system trust store is never loaded. */
  g_tls_connection_set_database (handshake->connection, NULL);
  if (own != NULL)
    g_tls_connection_set_certificate (handshake->connection, own->certificate);
  handshake->accept_handler = g_signal_connect (handshake->connection, "accept-certificate",
                                                G_CALLBACK (accept_certificate_cb), handshake);
  g_tls_connection_handshake_async (handshake->connection, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), handshake_done, task);
}

/**
 * msrp_tls_client_connect_async:
 * @base: the connected stream to run TLS over, usually a #GSocketConnection
 * @own: (nullable): the certificate to present if the server asks for one;
 *   %NULL to present none
 * @expected_fingerprint: (nullable): the server's SDP `a=fingerprint` value,
 *   as for msrp_tls_fingerprint_matches(); %NULL to accept any certificate
 *   (only for tools talking to a known peer: nothing is authenticated then)
 * @server_name: (nullable): the host name to send as SNI
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the handshake is over
 * @user_data: data for @callback
 *
 * Starts TLS as the client on @base and completes the handshake. The
 * server's certificate is accepted only if it matches
 * @expected_fingerprint; certificate authorities, host names and validity
 * dates play no part.
 *
 * With TLS 1.3 the client finishes its handshake before the server has
 * judged the client's certificate, so a server refusing it shows up as an
 * error on the first read, not here.
 */
void
msrp_tls_client_connect_async (GIOStream           *base,
                               MsrpTlsCredentials  *own,
                               const char          *expected_fingerprint,
                               const char          *server_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GError *error = NULL;
  GIOStream *connection;
  GTask *task;

  g_return_if_fail (G_IS_IO_STREAM (base));
  g_return_if_fail (own == NULL || MSRP_IS_TLS_CREDENTIALS (own));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = handshake_task_new (base, expected_fingerprint, cancellable, callback, user_data,
                             msrp_tls_client_connect_async);
  if (task == NULL)
    return;

  if (server_name != NULL)
    identity = g_network_address_new (server_name, 0);
  connection = g_tls_client_connection_new (base, identity, &error);
  handshake_start (task, connection, own, error);
}

static GIOStream *
handshake_finish (GAsyncResult *result,
                  gpointer      source_tag,
                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * msrp_tls_client_connect_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes msrp_tls_client_connect_async().
 *
 * Returns: (transfer full) (nullable): the #GTlsClientConnection, ready
 *   for MSRP, or %NULL with @error set: %MSRP_ERROR_TLS when the server's certificate
 *   does not match the expected fingerprint (or its hash function is not
 *   supported), %MSRP_ERROR_INVALID_SDP when
 *   the expected fingerprint does not parse, %G_IO_ERROR_CANCELLED, or the
 *   #GTlsError or #GIOError that failed the handshake. On failure the base
 *   stream has been closed.
 */
GIOStream *
msrp_tls_client_connect_finish (GAsyncResult  *result,
                                GError       **error)
{
  return handshake_finish (result, msrp_tls_client_connect_async, error);
}

/**
 * msrp_tls_server_accept_async:
 * @base: the accepted stream to run TLS over, usually a #GSocketConnection
 * @own: the certificate to present
 * @expected_client_fingerprint: (nullable): the client's SDP
 *   `a=fingerprint` value, as for msrp_tls_fingerprint_matches(); %NULL to
 *   accept clients with any certificate or none
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the handshake is over
 * @user_data: data for @callback
 *
 * Starts TLS as the server on @base and completes the handshake. The
 * client is always asked for a certificate, so its fingerprint can be read
 * from the connection's #GTlsConnection:peer-certificate; with
 * @expected_client_fingerprint it must present one, and one that matches.
 */
void
msrp_tls_server_accept_async (GIOStream           *base,
                              MsrpTlsCredentials  *own,
                              const char          *expected_client_fingerprint,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GError *error = NULL;
  GIOStream *connection;
  GTask *task;

  g_return_if_fail (G_IS_IO_STREAM (base));
  g_return_if_fail (MSRP_IS_TLS_CREDENTIALS (own));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = handshake_task_new (base, expected_client_fingerprint, cancellable, callback, user_data,
                             msrp_tls_server_accept_async);
  if (task == NULL)
    return;

  connection = g_tls_server_connection_new (base, own->certificate, &error);
  if (connection != NULL)
    g_object_set (connection, "authentication-mode",
                  expected_client_fingerprint != NULL ? G_TLS_AUTHENTICATION_REQUIRED
                                                      : G_TLS_AUTHENTICATION_REQUESTED,
                  NULL);
  handshake_start (task, connection, own, error);
}

/**
 * msrp_tls_server_accept_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes msrp_tls_server_accept_async().
 *
 * Returns: (transfer full) (nullable): the #GTlsServerConnection, ready
 *   for MSRP, or %NULL with @error set: %MSRP_ERROR_TLS when a client certificate was
 *   expected and is missing or does not match (or the expected
 *   fingerprint's hash function is not supported), %MSRP_ERROR_INVALID_SDP when
 *   the expected fingerprint does not parse, %G_IO_ERROR_CANCELLED, or the
 *   #GTlsError or #GIOError that failed the handshake. On failure the base
 *   stream has been closed.
 */
GIOStream *
msrp_tls_server_accept_finish (GAsyncResult  *result,
                               GError       **error)
{
  return handshake_finish (result, msrp_tls_server_accept_async, error);
}
