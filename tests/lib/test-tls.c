/* test-tls.c: generated certificates, fingerprints and TLS handshakes */
#include <msrp.h>

#include <string.h>
#include <time.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

/* tests/data/tls/test-cert.pem was made once by
 * msrp_tls_credentials_new_self_signed ("msrp-test.example"); these are the
 * output of `openssl x509 -noout -fingerprint -<hash> -in test-cert.pem`,
 * an implementation independent of ours. */
#define TEST_CERT_SHA1 "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:58"
#define TEST_CERT_SHA224 \
  "sha-224 D9:16:AA:80:7D:A4:BA:37:D4:DC:D9:48:FC:4D:21:68:95:4E:EA:09:E6:12:2F:6A:F9:D6:8B:2A"
#define TEST_CERT_SHA256_HEX \
  "AE:65:15:08:E8:FC:6E:78:31:D0:7B:21:88:B8:13:BB:A8:FA:6D:B2:9B:02:5C:DF:E9:61:B5:C6:A9:54:67:65"
#define TEST_CERT_SHA256 "sha-256 " TEST_CERT_SHA256_HEX
#define TEST_CERT_SHA384 \
  "sha-384 6D:05:C5:F6:DF:DF:0C:90:CD:68:1E:E8:5C:1D:BF:EC:41:37:8E:83:95:C2:5A:70:AF:1C:7C:AC:02:38:AF:6A:2E:BF:D9:D9:E2:3B:F2:00:DF:39:94:E4:65:5A:1E:75"
#define TEST_CERT_SHA512 \
  "sha-512 65:9D:30:8A:57:A2:D5:56:80:4B:28:D3:81:BA:C8:64:A1:FB:D5:47:DD:3F:3E:72:E7:06:4D:00:4E:A7:D9:82:D9:87:2E:4E:F6:63:CA:7F:95:58:96:12:DA:EF:6B:8A:C4:B7:86:E3:BB:04:68:1F:64:3B:5D:0B:44:12:9E:52"

/* Bounds every wait on the main loop: a test that would hang fails. */
#define GUARD_SECONDS 30

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

/* Generated once: key generation is what the /tls/generate tests cover. */
static MsrpTlsCredentials *alice;
static MsrpTlsCredentials *bob;
static MsrpTlsCredentials *mallory;

static MsrpTlsCredentials *
load_test_credentials (void)
{
  g_autofree char *cert = g_build_filename (g_getenv ("MSRP_TEST_DATA"), "tls", "test-cert.pem", NULL);
  g_autofree char *key = g_build_filename (g_getenv ("MSRP_TEST_DATA"), "tls", "test-key.pem", NULL);
  g_autoptr(GError) error = NULL;
  MsrpTlsCredentials *credentials = msrp_tls_credentials_new_from_files (cert, key, &error);

  g_assert_no_error (error);
  return credentials;
}

static MsrpTlsCredentials *
generate (const char *common_name)
{
  g_autoptr(GError) error = NULL;
  MsrpTlsCredentials *credentials = msrp_tls_credentials_new_self_signed (common_name, &error);

  g_assert_no_error (error);
  g_assert_true (MSRP_IS_TLS_CREDENTIALS (credentials));
  return credentials;
}

static gnutls_x509_crt_t
import_certificate (MsrpTlsCredentials *credentials)
{
  g_autofree char *pem = NULL;
  gnutls_x509_crt_t crt;
  gnutls_datum_t datum;

  g_object_get (msrp_tls_credentials_get_certificate (credentials), "certificate-pem", &pem, NULL);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----\n"));
  datum.data = (unsigned char *) pem;
  datum.size = strlen (pem);
  g_assert_cmpint (gnutls_x509_crt_init (&crt), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_PEM), ==, 0);
  return crt;
}

static char *
subject_common_name (gnutls_x509_crt_t crt)
{
  char buffer[256];
  size_t size = sizeof buffer;

  g_assert_cmpint (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0,
                                                  buffer, &size), ==, 0);
  return g_strndup (buffer, size);
}

static void
assert_fingerprint_format (const char *fingerprint, const char *hash_name, int bytes)
{
  g_autofree char *pattern = g_strdup_printf ("^%s ([0-9A-F]{2}:){%d}[0-9A-F]{2}$", hash_name, bytes - 1);

  g_assert_true (g_regex_match_simple (pattern, fingerprint, 0, 0));
}

/* GLib returns NULL or an empty array when a certificate has no such names. */
static void
assert_no_names (GPtrArray *names)
{
  g_assert_true (names == NULL || names->len == 0);
  g_clear_pointer (&names, g_ptr_array_unref);
}

/* ---- generated certificates ---- */

static void
test_backend (void)
{
  g_assert_true (g_tls_backend_supports_tls (g_tls_backend_get_default ()));
}

static void
test_generate_default (void)
{
  g_autoptr(MsrpTlsCredentials) credentials = generate (NULL);
  g_auto(gnutls_x509_crt_t) crt = import_certificate (credentials);
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (credentials);
  g_autofree char *key_pem = NULL;
  g_autofree char *common_name = subject_common_name (crt);
  g_autoptr(GPtrArray) dns_names = g_tls_certificate_get_dns_names (certificate);

  g_object_get (certificate, "private-key-pem", &key_pem, NULL);
  g_assert_true (g_str_has_prefix (key_pem, "-----BEGIN PRIVATE KEY-----\n"));
  g_assert_cmpstr (common_name, ==, MSRP_TLS_DEFAULT_COMMON_NAME);
  g_assert_nonnull (dns_names);
  g_assert_cmpuint (dns_names->len, ==, 1);
  g_assert_cmpmem (g_bytes_get_data (dns_names->pdata[0], NULL), g_bytes_get_size (dns_names->pdata[0]),
                   "gst-msrp", 8);
  assert_no_names (g_tls_certificate_get_ip_addresses (certificate));
}

static void
test_generate_ecdsa_p256 (void)
{
  g_autoptr(MsrpTlsCredentials) credentials = generate ("alice.example.org");
  g_auto(gnutls_x509_crt_t) crt = import_certificate (credentials);
  gnutls_ecc_curve_t curve;
  gnutls_datum_t x, y;
  unsigned int status = G_MAXUINT;
  unsigned int critical, ca = 1;
  guint8 serial[32];
  size_t serial_size = sizeof serial;
  time_t now = time (NULL);
  time_t activation = gnutls_x509_crt_get_activation_time (crt);
  time_t expiration = gnutls_x509_crt_get_expiration_time (crt);

  g_assert_cmpint (gnutls_x509_crt_get_version (crt), ==, 3);
  g_assert_cmpint (gnutls_x509_crt_get_pk_algorithm (crt, NULL), ==, GNUTLS_PK_ECDSA);
  g_assert_cmpint (gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y), ==, 0);
  g_assert_cmpint (curve, ==, GNUTLS_ECC_CURVE_SECP256R1);
  gnutls_free (x.data);
  gnutls_free (y.data);
  g_assert_cmpint (gnutls_x509_crt_get_signature_algorithm (crt), ==, GNUTLS_SIGN_ECDSA_SHA256);

  /* Self-signed: its own signature verifies with it as the only anchor. */
  g_assert_cmpint (gnutls_x509_crt_check_issuer (crt, crt), ==, 1);
  g_assert_cmpint (gnutls_x509_crt_verify (crt, &crt, 1, 0, &status), ==, 0);
  g_assert_cmpuint (status, ==, 0);

  g_assert_cmpint (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, NULL), ==, 0);
  g_assert_cmpuint (ca, ==, 0);

  /* A day back, a year ahead, from the moment it was made. */
  g_assert_cmpint (activation, <=, now - 24 * 60 * 60 + 60);
  g_assert_cmpint (expiration, >, now);
  g_assert_cmpint (expiration - activation, ==, 366 * 24 * 60 * 60);

  g_assert_cmpint (gnutls_x509_crt_get_serial (crt, serial, &serial_size), ==, 0);
  g_assert_cmpuint (serial_size, ==, 16);
  g_assert_cmpuint (serial[0] & 0x80, ==, 0);
}

static void
test_generate_ip_address (void)
{
  static const struct
  {
    const char *address;
    gsize size;
  } cases[] = {
    { "192.0.2.7", 4 },
    { "2001:db8::1", 16 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MsrpTlsCredentials) credentials = generate (cases[i].address);
      GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (credentials);
      g_autoptr(GPtrArray) addresses = g_tls_certificate_get_ip_addresses (certificate);
      g_autoptr(GInetAddress) expected = g_inet_address_new_from_string (cases[i].address);
      g_auto(gnutls_x509_crt_t) crt = import_certificate (credentials);
      g_autofree char *common_name = subject_common_name (crt);

      g_assert_cmpstr (common_name, ==, cases[i].address);
      g_assert_nonnull (addresses);
      g_assert_cmpuint (addresses->len, ==, 1);
      g_assert_cmpuint (g_inet_address_get_native_size (addresses->pdata[0]), ==, cases[i].size);
      g_assert_true (g_inet_address_equal (addresses->pdata[0], expected));
      assert_no_names (g_tls_certificate_get_dns_names (certificate));
    }
}

static void
test_generate_not_a_host_name (void)
{
  static const char *const names[] = { "Alice Smith", "bad-.example", "Zoë" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MsrpTlsCredentials) credentials = generate (names[i]);
      GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (credentials);
      g_auto(gnutls_x509_crt_t) crt = import_certificate (credentials);
      g_autofree char *common_name = subject_common_name (crt);

      g_assert_cmpstr (common_name, ==, names[i]);
      assert_no_names (g_tls_certificate_get_dns_names (certificate));
      assert_no_names (g_tls_certificate_get_ip_addresses (certificate));
    }
}

static void
test_generate_invalid_common_name (void)
{
  g_autofree char *too_long = g_strnfill (65, 'a');
  g_autofree char *longest = g_strnfill (64, 'a');
  const char *const invalid[] = { "", too_long, "caf\xe9" };
  g_autoptr(MsrpTlsCredentials) longest_accepted = generate (longest);

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsrpTlsCredentials) credentials =
        msrp_tls_credentials_new_self_signed (invalid[i], &error);

      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
      g_assert_null (credentials);
    }
  assert_fingerprint_format (msrp_tls_credentials_get_fingerprint (longest_accepted), "sha-256", 32);
}

static void
test_generate_unique (void)
{
  g_auto(gnutls_x509_crt_t) a = import_certificate (alice);
  g_auto(gnutls_x509_crt_t) b = import_certificate (bob);
  guint8 serial_a[32], serial_b[32];
  size_t size_a = sizeof serial_a, size_b = sizeof serial_b;

  g_assert_cmpint (gnutls_x509_crt_get_serial (a, serial_a, &size_a), ==, 0);
  g_assert_cmpint (gnutls_x509_crt_get_serial (b, serial_b, &size_b), ==, 0);
  g_assert_false (size_a == size_b && memcmp (serial_a, serial_b, size_a) == 0);
  g_assert_cmpstr (msrp_tls_credentials_get_fingerprint (alice), !=,
                   msrp_tls_credentials_get_fingerprint (bob));
}

/* ---- credentials ---- */

static void
test_credentials_properties (void)
{
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (alice);
  g_autoptr(MsrpTlsCredentials) wrapped = msrp_tls_credentials_new (certificate);
  g_autoptr(GTlsCertificate) property_certificate = NULL;
  g_autofree char *property_fingerprint = NULL;

  g_object_get (wrapped, "certificate", &property_certificate,
                "fingerprint", &property_fingerprint, NULL);
  g_assert_true (property_certificate == certificate);
  g_assert_true (msrp_tls_credentials_get_certificate (wrapped) == certificate);
  g_assert_cmpstr (property_fingerprint, ==, msrp_tls_credentials_get_fingerprint (alice));
  g_assert_cmpstr (msrp_tls_credentials_get_fingerprint (wrapped), ==,
                   msrp_tls_credentials_get_fingerprint (alice));
}

static void
test_credentials_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpTlsCredentials) credentials =
    msrp_tls_credentials_new_from_files ("/nonexistent/cert.pem", "/nonexistent/key.pem", &error);

  g_assert_null (credentials);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/nonexistent/cert.pem"));
}

/* ---- fingerprints ---- */

static void
test_fingerprint_format (void)
{
  const char *fingerprint = msrp_tls_credentials_get_fingerprint (alice);

  assert_fingerprint_format (fingerprint, "sha-256", 32);
}

static void
test_fingerprint_fixed_certificate (void)
{
  static const struct
  {
    const char *hash_name;
    const char *expected;
    int bytes;
  } cases[] = {
    { "sha-1", TEST_CERT_SHA1, 20 },
    { "sha-224", TEST_CERT_SHA224, 28 },
    { "SHA-256", TEST_CERT_SHA256, 32 },
    { "sha-384", TEST_CERT_SHA384, 48 },
    { "Sha-512", TEST_CERT_SHA512, 64 },
  };
  g_autoptr(MsrpTlsCredentials) credentials = load_test_credentials ();
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (credentials);

  g_assert_cmpstr (msrp_tls_credentials_get_fingerprint (credentials), ==, TEST_CERT_SHA256);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint =
        msrp_tls_fingerprint_for_certificate (certificate, cases[i].hash_name, &error);
      g_autofree char *hash_name = g_ascii_strdown (cases[i].hash_name, -1);

      g_assert_no_error (error);
      g_assert_cmpstr (fingerprint, ==, cases[i].expected);
      assert_fingerprint_format (fingerprint, hash_name, cases[i].bytes);
    }
}

static void
test_fingerprint_unsupported_hash (void)
{
  static const char *const names[] = { "md5", "MD2", "sha-3", "sha256", "" };
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (alice);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *fingerprint =
        msrp_tls_fingerprint_for_certificate (certificate, names[i], &error);

      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
      g_assert_null (fingerprint);
    }
}

static void
test_fingerprint_matches (void)
{
  g_autoptr(MsrpTlsCredentials) credentials = load_test_credentials ();
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (credentials);
  g_autofree char *lower_hex = g_ascii_strdown (TEST_CERT_SHA256, -1);
  g_autofree char *upper_all = g_ascii_strup (TEST_CERT_SHA256, -1);
  g_autofree char *sha1_lower = g_ascii_strdown (TEST_CERT_SHA1, -1);
  const char *const matching[] = {
    TEST_CERT_SHA256, lower_hex, upper_all, "  sha-256 \t" TEST_CERT_SHA256_HEX " \r\n",
    TEST_CERT_SHA1, sha1_lower, TEST_CERT_SHA224, TEST_CERT_SHA384, TEST_CERT_SHA512,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (matching); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (msrp_tls_fingerprint_matches (matching[i], certificate, &error));
      g_assert_no_error (error);
    }
}

static void
test_fingerprint_mismatch (void)
{
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (alice);
  g_autofree char *alice_sha1 = msrp_tls_fingerprint_for_certificate (certificate, "sha-1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sha1_error = NULL;

  g_assert_false (msrp_tls_fingerprint_matches (TEST_CERT_SHA256, certificate, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "does not match"));
  g_assert_nonnull (strstr (error->message, TEST_CERT_SHA256));
  g_assert_nonnull (strstr (error->message, msrp_tls_credentials_get_fingerprint (alice)));

  g_assert_false (msrp_tls_fingerprint_matches (TEST_CERT_SHA1, certificate, &sha1_error));
  g_assert_error (sha1_error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_assert_nonnull (strstr (sha1_error->message, TEST_CERT_SHA1));
  g_assert_nonnull (strstr (sha1_error->message, alice_sha1));
}

static void
test_fingerprint_malformed (void)
{
  static const char *const malformed[] = {
    "",
    "   ",
    "sha-256",
    "sha-256 ",
    "AE:65:15:08",
    "sha-256 AE:65",                                   /* too short */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:58:00", /* too long */
    "sha-1 12CE14A79577558F1D428CD452476B381BB4E958",  /* no colons */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:5",   /* odd digit */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:58:", /* trailing colon */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4::E9:58", /* empty pair */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:5G",  /* not hex */
    "sha-1 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38:1B:B4:E9:58 x",
  };
  static const char *const unsupported[] = {
    "md5 12:CE:14:A7:95:77:55:8F:1D:42:8C:D4:52:47:6B:38",
    "sha-3 12:CE",
  };
  GTlsCertificate *certificate = msrp_tls_credentials_get_certificate (alice);

  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("malformed: “%s”", malformed[i]);
      g_assert_false (msrp_tls_fingerprint_matches (malformed[i], certificate, &error));
      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unsupported); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (msrp_tls_fingerprint_matches (unsupported[i], certificate, &error));
      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_TLS);
    }
}

/* ---- handshakes over loopback TCP ---- */

static gboolean
guard_expired (gpointer user_data)
{
  g_error ("%s: nothing happened for %d s", (const char *) user_data, GUARD_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
wait_until (const gboolean *a, const gboolean *b, const char *what)
{
  guint guard = g_timeout_add_seconds (GUARD_SECONDS, guard_expired, (gpointer) what);

  while (!*a || !*b)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

typedef enum
{
  CANCEL_NONE,
  CANCEL_CLIENT_BEFORE,     /* cancelled before the handshake starts */
  CANCEL_CLIENT_WAITING,    /* cancelled once its ClientHello has arrived */
  CANCEL_SERVER_WAITING,    /* cancelled while it waits for a ClientHello */
} Cancel;

typedef struct
{
  /* what each side does */
  MsrpTlsCredentials *server_own;
  const char *expect_client;
  MsrpTlsCredentials *client_own;
  const char *expect_server;
  const char *server_name;
  Cancel cancel;

  /* what happened */
  GSocketListener *listener;
  GSocketClient *socket_client;
  GCancellable *cancellable;
  GSocketConnection *server_tcp;
  GSocketConnection *client_tcp;
  GIOStream *server;
  GIOStream *client;
  GError *server_error;
  GError *client_error;
  gboolean server_done;
  gboolean client_done;
  guint8 hello[1];
} Pair;

static void
pair_clear (Pair *pair)
{
  g_clear_object (&pair->server);
  g_clear_object (&pair->client);
  g_clear_object (&pair->server_tcp);
  g_clear_object (&pair->client_tcp);
  g_clear_error (&pair->server_error);
  g_clear_error (&pair->client_error);
  g_clear_object (&pair->cancellable);
  g_clear_object (&pair->socket_client);
  if (pair->listener != NULL)
    g_socket_listener_close (pair->listener);
  g_clear_object (&pair->listener);
}

static void
server_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pair *pair = user_data;

  pair->server = msrp_tls_server_accept_finish (result, &pair->server_error);
  pair->server_done = TRUE;
}

static void
client_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pair *pair = user_data;

  pair->client = msrp_tls_client_connect_finish (result, &pair->client_error);
  pair->client_done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
hello_arrived_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pair *pair = user_data;

  g_assert_cmpint (g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL), ==, 1);
  g_cancellable_cancel (pair->cancellable);
  pair->server_done = TRUE;
}

static void
accepted_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pair *pair = user_data;
  g_autoptr(GError) error = NULL;

  pair->server_tcp = g_socket_listener_accept_finish (pair->listener, result, NULL, &error);
  g_assert_no_error (error);

  if (pair->cancel == CANCEL_CLIENT_WAITING)
    {
      /* A server that never answers: the client is surely mid-handshake
       * once the first byte of its ClientHello is here. */
      g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (pair->server_tcp)),
                                 pair->hello, sizeof pair->hello, G_PRIORITY_DEFAULT, NULL,
                                 hello_arrived_cb, pair);
      return;
    }
  msrp_tls_server_accept_async (G_IO_STREAM (pair->server_tcp), pair->server_own,
                                pair->expect_client,
                                pair->cancel == CANCEL_SERVER_WAITING ? pair->cancellable : NULL,
                                server_done_cb, pair);
  if (pair->cancel == CANCEL_SERVER_WAITING)
    g_idle_add (cancel_cb, pair->cancellable);
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pair *pair = user_data;
  g_autoptr(GError) error = NULL;

  pair->client_tcp = g_socket_client_connect_finish (pair->socket_client, result, &error);
  g_assert_no_error (error);

  if (pair->cancel == CANCEL_SERVER_WAITING)
    {
      /* A client that never starts TLS. */
      pair->client_done = TRUE;
      return;
    }
  if (pair->cancel == CANCEL_CLIENT_BEFORE)
    g_cancellable_cancel (pair->cancellable);
  msrp_tls_client_connect_async (G_IO_STREAM (pair->client_tcp), pair->client_own,
                                 pair->expect_server, pair->server_name,
                                 pair->cancel != CANCEL_NONE ? pair->cancellable : NULL,
                                 client_done_cb, pair);
}

/* Connects a client to a server over TCP on @loopback and runs both
 * handshakes; FALSE when @loopback cannot be bound. */
static gboolean
pair_run (Pair *pair, const char *loopback)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  pair->cancellable = g_cancellable_new ();
  pair->listener = g_socket_listener_new ();
  if (!g_socket_listener_add_address (pair->listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error))
    {
      g_test_message ("cannot listen on %s: %s", loopback, error->message);
      return FALSE;
    }
  g_socket_listener_accept_async (pair->listener, NULL, accepted_cb, pair);
  pair->socket_client = g_socket_client_new ();
  /* Loopback needs no proxy, and libproxy's C++ exceptions upset ASan. */
  g_socket_client_set_enable_proxy (pair->socket_client, FALSE);
  g_socket_client_connect_async (pair->socket_client, G_SOCKET_CONNECTABLE (bound), NULL,
                                 connected_cb, pair);
  wait_until (&pair->server_done, &pair->client_done, "handshake");
  g_test_message ("server: %s", pair->server_error ? pair->server_error->message : "ok");
  g_test_message ("client: %s", pair->client_error ? pair->client_error->message : "ok");
  return TRUE;
}

static void
pair_run_ok (Pair *pair)
{
  g_assert_true (pair_run (pair, "127.0.0.1"));
  g_assert_no_error (pair->server_error);
  g_assert_no_error (pair->client_error);
}

typedef struct
{
  gboolean written;
  gboolean read;
  gsize read_size;
  GError *error;
} Transfer;

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *transfer = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &transfer->error);
  g_assert_no_error (transfer->error);
  transfer->written = TRUE;
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Transfer *transfer = user_data;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &transfer->read_size,
                                  &transfer->error);
  transfer->read = TRUE;
}

static void
assert_data_flows (GIOStream *from, GIOStream *to, const char *text)
{
  Transfer transfer = { FALSE, FALSE, 0, NULL };
  char buffer[64];
  gsize size = strlen (text);

  g_assert_cmpuint (size, <=, sizeof buffer);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (from), text, size,
                                   G_PRIORITY_DEFAULT, NULL, written_cb, &transfer);
  g_input_stream_read_all_async (g_io_stream_get_input_stream (to), buffer, size,
                                 G_PRIORITY_DEFAULT, NULL, read_cb, &transfer);
  wait_until (&transfer.written, &transfer.read, "data transfer");
  g_assert_no_error (transfer.error);
  g_assert_cmpmem (buffer, transfer.read_size, text, size);
}

/* The peer refused us after our side of the handshake was over (TLS 1.3
 * client certificates): nothing arrives, the read fails or sees EOF. */
static void
assert_nothing_arrives (GIOStream *stream)
{
  Transfer transfer = { TRUE, FALSE, 0, NULL };
  char buffer[1];

  g_input_stream_read_all_async (g_io_stream_get_input_stream (stream), buffer, sizeof buffer,
                                 G_PRIORITY_DEFAULT, NULL, read_cb, &transfer);
  wait_until (&transfer.written, &transfer.read, "refused read");
  g_assert_cmpuint (transfer.read_size, ==, 0);
  g_clear_error (&transfer.error);
}

static void
assert_peer_fingerprint (GIOStream *stream, MsrpTlsCredentials *expected)
{
  GTlsCertificate *peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (stream));
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (peer);
  g_assert_true (msrp_tls_fingerprint_matches (msrp_tls_credentials_get_fingerprint (expected),
                                               peer, &error));
  g_assert_no_error (error);
}

static void
assert_mutual_success (const char *loopback)
{
  Pair pair = {
    .server_own = bob,
    .expect_client = msrp_tls_credentials_get_fingerprint (alice),
    .client_own = alice,
    .expect_server = msrp_tls_credentials_get_fingerprint (bob),
  };

  if (!pair_run (&pair, loopback))
    {
      g_test_skip ("loopback address unavailable");
      pair_clear (&pair);
      return;
    }
  g_assert_no_error (pair.server_error);
  g_assert_no_error (pair.client_error);
  g_assert_true (G_IS_TLS_SERVER_CONNECTION (pair.server));
  g_assert_true (G_IS_TLS_CLIENT_CONNECTION (pair.client));
  assert_peer_fingerprint (pair.client, bob);
  assert_peer_fingerprint (pair.server, alice);
  assert_data_flows (pair.client, pair.server, "MSRP a786hjs2 SEND\r\n");
  assert_data_flows (pair.server, pair.client, "MSRP a786hjs2 200 OK\r\n");
  pair_clear (&pair);
}

static void
test_handshake_ipv4 (void)
{
  assert_mutual_success ("127.0.0.1");
}

static void
test_handshake_ipv6 (void)
{
  assert_mutual_success ("::1");
}

static void
test_handshake_wrong_server_fingerprint (void)
{
  Pair pair = {
    .server_own = bob,
    .client_own = alice,
    .expect_server = msrp_tls_credentials_get_fingerprint (mallory),
  };

  g_assert_true (pair_run (&pair, "127.0.0.1"));
  g_assert_error (pair.client_error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_assert_nonnull (strstr (pair.client_error->message,
                            msrp_tls_credentials_get_fingerprint (bob)));
  g_assert_nonnull (strstr (pair.client_error->message,
                            msrp_tls_credentials_get_fingerprint (mallory)));
  g_assert_null (pair.client);
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (pair.client_tcp)));
  /* The client's alert ends the server's handshake too. */
  g_assert_nonnull (pair.server_error);
  g_assert_null (pair.server);
  pair_clear (&pair);
}

static void
test_handshake_missing_client_certificate (void)
{
  Pair pair = {
    .server_own = bob,
    .expect_client = msrp_tls_credentials_get_fingerprint (alice),
    .expect_server = msrp_tls_credentials_get_fingerprint (bob),
  };

  g_assert_true (pair_run (&pair, "127.0.0.1"));
  g_assert_error (pair.server_error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_assert_nonnull (strstr (pair.server_error->message,
                            msrp_tls_credentials_get_fingerprint (alice)));
  g_assert_null (pair.server);
  if (pair.client != NULL)
    assert_nothing_arrives (pair.client);
  pair_clear (&pair);
}

static void
test_handshake_wrong_client_fingerprint (void)
{
  Pair pair = {
    .server_own = bob,
    .expect_client = msrp_tls_credentials_get_fingerprint (alice),
    .client_own = mallory,
    .expect_server = msrp_tls_credentials_get_fingerprint (bob),
  };

  g_assert_true (pair_run (&pair, "127.0.0.1"));
  g_assert_error (pair.server_error, MSRP_ERROR, MSRP_ERROR_TLS);
  g_assert_nonnull (strstr (pair.server_error->message, "does not match"));
  g_assert_nonnull (strstr (pair.server_error->message,
                            msrp_tls_credentials_get_fingerprint (mallory)));
  g_assert_null (pair.server);
  if (pair.client != NULL)
    assert_nothing_arrives (pair.client);
  pair_clear (&pair);
}

static void
test_handshake_no_expectations (void)
{
  Pair pair = { .server_own = bob };

  pair_run_ok (&pair);
  g_assert_null (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (pair.server)));
  assert_peer_fingerprint (pair.client, bob);
  assert_data_flows (pair.client, pair.server, "ping");
  assert_data_flows (pair.server, pair.client, "pong");
  pair_clear (&pair);
}

static void
test_handshake_client_certificate_unchecked (void)
{
  Pair pair = { .server_own = bob, .client_own = mallory };

  pair_run_ok (&pair);
  /* Requested though not required, so the application can read it. */
  assert_peer_fingerprint (pair.server, mallory);
  assert_data_flows (pair.client, pair.server, "ping");
  pair_clear (&pair);
}

static void
test_handshake_server_name_irrelevant (void)
{
  Pair pair = {
    .server_own = bob,
    .client_own = alice,
    .expect_server = msrp_tls_credentials_get_fingerprint (bob),
    .server_name = "not-bob.example.org",
  };

  pair_run_ok (&pair);
  assert_data_flows (pair.client, pair.server, "ping");
  pair_clear (&pair);
}

static void
test_handshake_certificate_from_files (void)
{
  g_autoptr(MsrpTlsCredentials) server_own = load_test_credentials ();
  g_autofree char *expected = g_ascii_strdown (TEST_CERT_SHA1, -1);
  Pair pair = {
    .server_own = server_own,
    .expect_client = msrp_tls_credentials_get_fingerprint (alice),
    .client_own = alice,
    .expect_server = expected,
    .server_name = "msrp-test.example",
  };

  pair_run_ok (&pair);
  assert_data_flows (pair.server, pair.client, "pong");
  pair_clear (&pair);
}

static void
test_handshake_malformed_expectation (void)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new ();
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GIOStream) base = g_simple_io_stream_new (input, output);
  Pair pair = { 0 };

  msrp_tls_client_connect_async (base, NULL, "sha-256 AE:65", NULL, NULL, client_done_cb, &pair);
  msrp_tls_server_accept_async (base, bob, "sha-256", NULL, server_done_cb, &pair);
  wait_until (&pair.server_done, &pair.client_done, "malformed fingerprint");
  g_assert_error (pair.client_error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  g_assert_error (pair.server_error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP);
  pair_clear (&pair);
}

static void
test_handshake_cancel_client (gconstpointer data)
{
  Pair pair = {
    .server_own = bob,
    .expect_server = msrp_tls_credentials_get_fingerprint (bob),
    .cancel = GPOINTER_TO_INT (data),
  };

  g_assert_true (pair_run (&pair, "127.0.0.1"));
  g_assert_error (pair.client_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pair.client);
  g_assert_true (g_io_stream_is_closed (G_IO_STREAM (pair.client_tcp)));
  pair_clear (&pair);
}

static void
test_handshake_cancel_server_waiting (void)
{
  Pair pair = {
    .server_own = bob,
    .expect_client = msrp_tls_credentials_get_fingerprint (alice),
    .cancel = CANCEL_SERVER_WAITING,
  };

  g_assert_true (pair_run (&pair, "127.0.0.1"));
  g_assert_error (pair.server_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (pair.server);
  pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  alice = generate ("alice.example.org");
  bob = generate ("bob.example.org");
  mallory = generate ("bob.example.org");

  g_test_add_func ("/tls/backend", test_backend);
  g_test_add_func ("/tls/generate/default", test_generate_default);
  g_test_add_func ("/tls/generate/ecdsa-p256", test_generate_ecdsa_p256);
  g_test_add_func ("/tls/generate/ip-address", test_generate_ip_address);
  g_test_add_func ("/tls/generate/not-a-host-name", test_generate_not_a_host_name);
  g_test_add_func ("/tls/generate/invalid-common-name", test_generate_invalid_common_name);
  g_test_add_func ("/tls/generate/unique", test_generate_unique);
  g_test_add_func ("/tls/credentials/properties", test_credentials_properties);
  g_test_add_func ("/tls/credentials/missing-file", test_credentials_missing_file);
  g_test_add_func ("/tls/fingerprint/format", test_fingerprint_format);
  g_test_add_func ("/tls/fingerprint/fixed-certificate", test_fingerprint_fixed_certificate);
  g_test_add_func ("/tls/fingerprint/unsupported-hash", test_fingerprint_unsupported_hash);
  g_test_add_func ("/tls/fingerprint/matches", test_fingerprint_matches);
  g_test_add_func ("/tls/fingerprint/mismatch", test_fingerprint_mismatch);
  g_test_add_func ("/tls/fingerprint/malformed", test_fingerprint_malformed);
  g_test_add_func ("/tls/handshake/ipv4", test_handshake_ipv4);
  g_test_add_func ("/tls/handshake/ipv6", test_handshake_ipv6);
  g_test_add_func ("/tls/handshake/wrong-server-fingerprint", test_handshake_wrong_server_fingerprint);
  g_test_add_func ("/tls/handshake/missing-client-certificate",
                   test_handshake_missing_client_certificate);
  g_test_add_func ("/tls/handshake/wrong-client-fingerprint", test_handshake_wrong_client_fingerprint);
  g_test_add_func ("/tls/handshake/no-expectations", test_handshake_no_expectations);
  g_test_add_func ("/tls/handshake/client-certificate-unchecked",
                   test_handshake_client_certificate_unchecked);
  g_test_add_func ("/tls/handshake/server-name-irrelevant", test_handshake_server_name_irrelevant);
  g_test_add_func ("/tls/handshake/certificate-from-files", test_handshake_certificate_from_files);
  g_test_add_func ("/tls/handshake/malformed-expectation", test_handshake_malformed_expectation);
  g_test_add_data_func ("/tls/handshake/cancel-client-before", GINT_TO_POINTER (CANCEL_CLIENT_BEFORE),
                        test_handshake_cancel_client);
  g_test_add_data_func ("/tls/handshake/cancel-client-waiting", GINT_TO_POINTER (CANCEL_CLIENT_WAITING),
                        test_handshake_cancel_client);
  g_test_add_func ("/tls/handshake/cancel-server-waiting", test_handshake_cancel_server_waiting);

  status = g_test_run ();

  g_clear_object (&alice);
  g_clear_object (&bob);
  g_clear_object (&mallory);
  return status;
}
