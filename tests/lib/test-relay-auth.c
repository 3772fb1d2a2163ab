/* test-relay-auth.c: digest challenges and credentials, Expires decisions */
#include <msrp.h>
#include "msrp-test-cases.h"

#include <string.h>

/* Expected responses were computed with Python's hashlib, an implementation
 * independent of ours, except RFC2617_RESPONSE, which is the RFC's own. */
#define RFC2617_NONCE "dcd98b7102dd2f0e8b11d0f600bfb0c093"
#define RFC2617_OPAQUE "5ccc069c403ebaf9f0171e9517f40e41"
#define RFC2617_CHALLENGE \
  "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", " \
  "nonce=\"" RFC2617_NONCE "\", opaque=\"" RFC2617_OPAQUE "\""
#define RFC2617_RESPONSE "6629fae49393a05397450978507c4ef1"
/* The same credentials without qop (RFC 2069). */
#define RFC2069_RESPONSE "670fd8c2df070c60b045671b8b24ff02"

/* RFC 4976 §5 example challenge, answered for Alice / "secret" with the
 * relay URI of its AUTH request. */
#define RFC4976_URI "msrps://alice@intra.example.com;tcp"
#define RFC4976_AUTH_RESPONSE "750e4fd73ea1221cef6d74424f4cd590"
#define RFC4976_MSRP_RESPONSE "37faf145e333800be2b42e94dc5d60e1"
#define RFC4976_NC_1FF_RESPONSE "633b5f4305f593ba81d677e1c79fa2af"

static MsrpDigestChallenge *
parse_ok (const char *value)
{
  g_autoptr(GError) error = NULL;
  MsrpDigestChallenge *challenge = msrp_digest_challenge_parse (value, &error);

  g_assert_no_error (error);
  g_assert_nonnull (challenge);
  return challenge;
}

static char *
authorization_ok (MsrpDigestChallenge *challenge,
                  const char          *username,
                  const char          *password,
                  const char          *method,
                  const char          *uri,
                  guint32              nc,
                  const char          *cnonce)
{
  g_autoptr(GError) error = NULL;
  char *header = msrp_digest_authorization (challenge, username, password, method, uri,
                                            nc, cnonce, &error);

  g_assert_no_error (error);
  g_assert_nonnull (header);
  return header;
}

/* The WWW-Authenticate value of the RFC 4976 example 401 frame. */
static char *
rfc4976_challenge_text (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSRP_TEST_DATA"), "rfc4976",
                                            "02-401-unauthorized.msrp", NULL);
  g_autofree char *frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *start;
  const char *end;

  g_file_get_contents (path, &frame, NULL, &error);
  g_assert_no_error (error);
  start = strstr (frame, "\r\nWWW-Authenticate: ");
  g_assert_nonnull (start);
  start += strlen ("\r\nWWW-Authenticate: ");
  end = strstr (start, "\r\n");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* ---- challenge parsing ---- */

static void
test_challenge_kamailio (void)
{
  /* as Kamailio 5.6 sends it: no opaque, no algorithm */
  g_autoptr(MsrpDigestChallenge) challenge =
    parse_ok ("Digest realm=\"relay.test\", nonce=\"awdCfmsHQVI/8a8lcpHogDajJYomhMCVAShrAYA=\", "
              "qop=\"auth\"");
  const char *auth_only[] = { "auth", NULL };

  g_assert_cmpstr (msrp_digest_challenge_get_realm (challenge), ==, "relay.test");
  g_assert_cmpstr (msrp_digest_challenge_get_nonce (challenge), ==,
                   "awdCfmsHQVI/8a8lcpHogDajJYomhMCVAShrAYA=");
  g_assert_null (msrp_digest_challenge_get_opaque (challenge));
  g_assert_cmpstr (msrp_digest_challenge_get_algorithm (challenge), ==, "MD5");
  g_assert_cmpstrv (msrp_digest_challenge_get_qop_options (challenge), auth_only);
  g_assert_cmpstr (msrp_digest_challenge_get_qop (challenge), ==, "auth");
  g_assert_false (msrp_digest_challenge_get_stale (challenge));
}

static void
test_challenge_rfc4976_frame (void)
{
  g_autofree char *text = rfc4976_challenge_text ();
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (text);

  g_assert_cmpstr (msrp_digest_challenge_get_realm (challenge), ==, "intra.example.com");
  g_assert_cmpstr (msrp_digest_challenge_get_nonce (challenge), ==, RFC2617_NONCE);
  g_assert_cmpstr (msrp_digest_challenge_get_qop (challenge), ==, "auth");
  g_assert_null (msrp_digest_challenge_get_opaque (challenge));
}

static void
test_challenge_rfc2617 (void)
{
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (RFC2617_CHALLENGE);
  const char *offered[] = { "auth", "auth-int", NULL };

  g_assert_cmpstr (msrp_digest_challenge_get_realm (challenge), ==, "testrealm@host.com");
  g_assert_cmpstr (msrp_digest_challenge_get_opaque (challenge), ==, RFC2617_OPAQUE);
  g_assert_cmpstrv (msrp_digest_challenge_get_qop_options (challenge), offered);
  g_assert_cmpstr (msrp_digest_challenge_get_qop (challenge), ==, "auth");
}

static void
test_challenge_refcount (void)
{
  MsrpDigestChallenge *challenge = parse_ok ("Digest realm=\"r\", nonce=\"n\"");
  MsrpDigestChallenge *copy = g_boxed_copy (MSRP_TYPE_DIGEST_CHALLENGE, challenge);

  g_assert_true (copy == challenge);
  g_assert_true (msrp_digest_challenge_ref (challenge) == challenge);
  msrp_digest_challenge_unref (challenge);
  g_boxed_free (MSRP_TYPE_DIGEST_CHALLENGE, copy);
  g_assert_cmpstr (msrp_digest_challenge_get_nonce (challenge), ==, "n");
  msrp_digest_challenge_unref (challenge);
}

typedef struct
{
  const char *name;
  const char *value;
  const char *realm;
  const char *nonce;
  const char *opaque;
  const char *qop_options; /* joined with "," */
  gboolean stale;
} ChallengeVariant;

static const ChallengeVariant challenge_variants[] = {
  { "case", "digest REALM=\"r\", NoNcE=\"n\", QOP=\"AUTH\"", "r", "n", NULL, "auth", FALSE },
  { "order-and-white-space", "Digest\tnonce = \"n\" ,\t realm=\"r\"", "r", "n", NULL, "", FALSE },
  { "empty-list-elements", "Digest , realm=\"r\",, nonce=\"n\" ,", "r", "n", NULL, "", FALSE },
  { "tokens", "Digest realm=r, nonce=n, qop=auth, algorithm=md5, opaque=o", "r", "n", "o",
    "auth", FALSE },
  { "quoted-algorithm", "Digest realm=\"r\", nonce=\"n\", algorithm=\"MD5\"", "r", "n", NULL, "",
    FALSE },
  { "escapes", "Digest realm=\"a\\\"b\\\\c\", nonce=\"\\n,x\"", "a\"b\\c", "n,x", NULL, "",
    FALSE },
  { "qop-list", "Digest realm=\"r\", nonce=\"n\", qop=\" auth-int ,AUTH, \"", "r", "n", NULL,
    "auth-int,auth", FALSE },
  { "unknown-params", "Digest domain=\"/a /b\", realm=\"r\", charset=UTF-8, userhash=false, "
    "x-foo=\"a=b, c\", nonce=\"n\"", "r", "n", NULL, "", FALSE },
  { "stale-true", "Digest realm=\"r\", nonce=\"n\", stale=true", "r", "n", NULL, "", TRUE },
  { "stale-upper", "Digest realm=\"r\", nonce=\"n\", stale=TRUE", "r", "n", NULL, "", TRUE },
  { "stale-quoted", "Digest realm=\"r\", nonce=\"n\", stale=\"true\"", "r", "n", NULL, "", TRUE },
  { "stale-false", "Digest realm=\"r\", nonce=\"n\", stale=FALSE", "r", "n", NULL, "", FALSE },
  { "stale-other", "Digest realm=\"r\", nonce=\"n\", stale=yes", "r", "n", NULL, "", FALSE },
  { "empty-values", "Digest realm=\"\", nonce=\"\", opaque=\"\"", "", "", "", "", FALSE },
  { "leading-white-space", "  Digest realm=\"r\", nonce=\"n\"", "r", "n", NULL, "", FALSE },
};

static void
test_challenge_variant (gconstpointer data)
{
  const ChallengeVariant *variant = data;
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (variant->value);
  g_autofree char *options =
    g_strjoinv (",", (char **) msrp_digest_challenge_get_qop_options (challenge));

  g_assert_cmpstr (msrp_digest_challenge_get_realm (challenge), ==, variant->realm);
  g_assert_cmpstr (msrp_digest_challenge_get_nonce (challenge), ==, variant->nonce);
  g_assert_cmpstr (msrp_digest_challenge_get_opaque (challenge), ==, variant->opaque);
  g_assert_cmpstr (options, ==, variant->qop_options);
  g_assert_cmpstr (msrp_digest_challenge_get_qop (challenge), ==,
                   *variant->qop_options != '\0' ? "auth" : NULL);
  g_assert_cmpint (msrp_digest_challenge_get_stale (challenge), ==, variant->stale);
}

typedef struct
{
  const char *name;
  const char *value;
  MsrpError code;
} BadChallenge;

static const BadChallenge bad_challenges[] = {
  { "empty", "", MSRP_ERROR_MALFORMED },
  { "scheme-only", "Digest", MSRP_ERROR_MALFORMED },
  { "scheme-glued", "Digest,realm=\"r\", nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "no-nonce", "Digest realm=\"r\", qop=\"auth\"", MSRP_ERROR_MALFORMED },
  { "no-realm", "Digest nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "unterminated", "Digest realm=\"r, nonce=\"n", MSRP_ERROR_MALFORMED },
  { "escape-at-end", "Digest nonce=\"n\", realm=\"r\\", MSRP_ERROR_MALFORMED },
  { "no-equals", "Digest realm \"r\", nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "no-value", "Digest realm=, nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "no-comma", "Digest realm=\"r\" nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "duplicate", "Digest realm=\"r\", nonce=\"n\", Realm=\"s\"", MSRP_ERROR_MALFORMED },
  { "control-character", "Digest realm=\"a\rb\", nonce=\"n\"", MSRP_ERROR_MALFORMED },
  { "qop-not-tokens", "Digest realm=\"r\", nonce=\"n\", qop=\"auth;x\"", MSRP_ERROR_MALFORMED },
  { "two-challenges", "Digest realm=\"r\", nonce=\"n\", Digest realm=\"s\", nonce=\"m\"",
    MSRP_ERROR_MALFORMED },
  { "basic", "Basic realm=\"r\"", MSRP_ERROR_UNAUTHORIZED },
  { "sha-256", "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256", MSRP_ERROR_UNAUTHORIZED },
  { "md5-sess", "Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess", MSRP_ERROR_UNAUTHORIZED },
  { "auth-int-only", "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", MSRP_ERROR_UNAUTHORIZED },
};

static void
test_challenge_bad (gconstpointer data)
{
  const BadChallenge *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpDigestChallenge) challenge = msrp_digest_challenge_parse (bad->value, &error);

  g_assert_null (challenge);
  g_assert_error (error, MSRP_ERROR, (gint) bad->code);
}

/* ---- credentials ---- */

static void
test_digest_rfc2617 (void)
{
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (RFC2617_CHALLENGE);
  g_autofree char *header = authorization_ok (challenge, "Mufasa", "Circle Of Life", "GET",
                                              "/dir/index.html", 1, "0a4f113b");

  g_assert_cmpstr (header, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"" RFC2617_NONCE "\", uri=\"/dir/index.html\", qop=auth, "
                   "nc=00000001, cnonce=\"0a4f113b\", response=\"" RFC2617_RESPONSE "\", "
                   "algorithm=MD5, opaque=\"" RFC2617_OPAQUE "\"");
}

static void
test_digest_rfc2069 (void)
{
  g_autoptr(MsrpDigestChallenge) challenge =
    parse_ok ("Digest realm=\"testrealm@host.com\", nonce=\"" RFC2617_NONCE "\", "
              "opaque=\"" RFC2617_OPAQUE "\"");
  /* without qop, nc and cnonce are not used */
  g_autofree char *header = authorization_ok (challenge, "Mufasa", "Circle Of Life", "GET",
                                              "/dir/index.html", 0, NULL);

  g_assert_null (msrp_digest_challenge_get_qop (challenge));
  g_assert_cmpstr (header, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"" RFC2617_NONCE "\", uri=\"/dir/index.html\", "
                   "response=\"" RFC2069_RESPONSE "\", algorithm=MD5, "
                   "opaque=\"" RFC2617_OPAQUE "\"");
}

static void
test_digest_rfc4976_auth (void)
{
  g_autofree char *text = rfc4976_challenge_text ();
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (text);
  /* NULL means AUTH */
  g_autofree char *header = authorization_ok (challenge, "Alice", "secret", NULL, RFC4976_URI,
                                              1, "0a4f113b");
  g_autofree char *explicit = authorization_ok (challenge, "Alice", "secret",
                                                MSRP_DIGEST_METHOD_AUTH, RFC4976_URI, 1,
                                                "0a4f113b");

  /* no opaque in the challenge, none in the answer */
  g_assert_cmpstr (header, ==,
                   "Digest username=\"Alice\", realm=\"intra.example.com\", "
                   "nonce=\"" RFC2617_NONCE "\", uri=\"" RFC4976_URI "\", qop=auth, "
                   "nc=00000001, cnonce=\"0a4f113b\", response=\"" RFC4976_AUTH_RESPONSE "\", "
                   "algorithm=MD5");
  g_assert_cmpstr (explicit, ==, header);
}

static void
test_digest_method_msrp (void)
{
  g_autofree char *text = rfc4976_challenge_text ();
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (text);
  g_autofree char *header = authorization_ok (challenge, "Alice", "secret",
                                              MSRP_DIGEST_METHOD_MSRP, RFC4976_URI, 1,
                                              "0a4f113b");

  g_assert_nonnull (strstr (header, "response=\"" RFC4976_MSRP_RESPONSE "\""));
}

static void
test_digest_nonce_count (void)
{
  g_autofree char *text = rfc4976_challenge_text ();
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok (text);
  g_autofree char *header = authorization_ok (challenge, "Alice", "secret", NULL, RFC4976_URI,
                                              0x1ff, "0a4f113b");

  g_assert_nonnull (strstr (header, ", nc=000001ff, "));
  g_assert_nonnull (strstr (header, "response=\"" RFC4976_NC_1FF_RESPONSE "\""));
}

static void
test_digest_escaping (void)
{
  g_autoptr(MsrpDigestChallenge) challenge =
    parse_ok ("Digest realm=\"r\\\"x\\\\y\", nonce=\"n\\\"1\", qop=auth, opaque=\"o\\\"p\"");
  /* HA1 and the response are over the unescaped values */
  g_autofree char *header = authorization_ok (challenge, "a\"b\\c", "pw", NULL,
                                              "msrp://relay.example;tcp", 1, "c\"n");

  g_assert_cmpstr (header, ==,
                   "Digest username=\"a\\\"b\\\\c\", realm=\"r\\\"x\\\\y\", nonce=\"n\\\"1\", "
                   "uri=\"msrp://relay.example;tcp\", qop=auth, nc=00000001, "
                   "cnonce=\"c\\\"n\", response=\"f0bc5d4d78df925146912fc76d6fcb53\", "
                   "algorithm=MD5, opaque=\"o\\\"p\"");
}

static void
test_digest_random_cnonce (void)
{
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok ("Digest realm=\"r\", nonce=\"n\", qop=auth");
  g_autofree char *first = authorization_ok (challenge, "u", "p", NULL, "msrp://r;tcp", 1, NULL);
  g_autofree char *second = authorization_ok (challenge, "u", "p", NULL, "msrp://r;tcp", 1, NULL);
  g_autofree char *cnonce = NULL;
  g_autofree char *again = NULL;
  const char *start = strstr (first, "cnonce=\"");
  const char *end;

  g_assert_cmpstr (first, !=, second);
  g_assert_nonnull (start);
  start += strlen ("cnonce=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);
  cnonce = g_strndup (start, end - start);
  g_assert_cmpuint (strlen (cnonce), ==, 32);
  for (const char *p = cnonce; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p));
  /* the response was computed with the cnonce that was sent */
  again = authorization_ok (challenge, "u", "p", NULL, "msrp://r;tcp", 1, cnonce);
  g_assert_cmpstr (again, ==, first);
}

typedef struct
{
  const char *name;
  const char *username;
  const char *method;
  const char *uri;
  const char *cnonce;
} BadCredentials;

static const BadCredentials bad_credentials[] = {
  { "username-crlf", "alice\r\nX: y", NULL, "msrp://r;tcp", "c" },
  { "username-empty", "", NULL, "msrp://r;tcp", "c" },
  { "method-lf", "alice", "AU\nTH", "msrp://r;tcp", "c" },
  { "uri-empty", "alice", NULL, "", "c" },
  { "uri-del", "alice", NULL, "msrp://r;tcp\x7f", "c" },
  { "cnonce-empty", "alice", NULL, "msrp://r;tcp", "" },
};

static void
test_digest_bad_input (gconstpointer data)
{
  const BadCredentials *bad = data;
  g_autoptr(MsrpDigestChallenge) challenge = parse_ok ("Digest realm=\"r\", nonce=\"n\", qop=auth");
  g_autoptr(GError) error = NULL;
  g_autofree char *header = msrp_digest_authorization (challenge, bad->username, "secret",
                                                       bad->method, bad->uri, 1, bad->cnonce,
                                                       &error);

  g_assert_null (header);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_FAILED);
}

/* ---- Expires ---- */

typedef struct
{
  const char *text;
  gboolean ok;
  guint32 seconds;
} ExpiresCase;

static const ExpiresCase expires_cases[] = {
  { "900", TRUE, 900 },
  { " 60\t", TRUE, 60 },
  { "0", TRUE, 0 },
  { "007", TRUE, 7 },
  { "4294967295", TRUE, G_MAXUINT32 },
  { "99999999999999999999999", TRUE, G_MAXUINT32 },
  { "", FALSE, 0 },
  { " ", FALSE, 0 },
  { "-1", FALSE, 0 },
  { "+5", FALSE, 0 },
  { "1.5", FALSE, 0 },
  { "12 3", FALSE, 0 },
  { "abc", FALSE, 0 },
};

static void
test_expires_parse (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expires_cases); i++)
    {
      const ExpiresCase *c = &expires_cases[i];
      g_autoptr(GError) error = NULL;
      guint32 seconds = 12345;
      gboolean ok = msrp_expires_parse (c->text, &seconds, &error);

      g_test_message ("Expires “%s”", c->text);
      g_assert_cmpint (ok, ==, c->ok);
      if (c->ok)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (seconds, ==, c->seconds);
        }
      else
        {
          g_assert_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED);
          g_assert_cmpuint (seconds, ==, 12345);
        }
    }
}

typedef struct
{
  guint32 requested;
  const char *min;
  const char *max;
  gint64 retry; /* -1: no retry, with this error code */
  MsrpError code;
} RetryCase;

static const RetryCase retry_cases[] = {
  { 2, "5", NULL, 5, 0 },
  { 7200, NULL, "3600", 3600, 0 },
  { 10, "30", "60", 30, 0 },
  { 100, "30", "60", 60, 0 },
  { 0, "1", NULL, 1, 0 },
  { 45, "30", "60", -1, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS },
  { 45, NULL, NULL, -1, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS },
  { 45, "60", "30", -1, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS },
  { 45, NULL, "0", -1, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS },
  { 45, "soon", NULL, -1, MSRP_ERROR_MALFORMED },
  { 45, NULL, "-1", -1, MSRP_ERROR_MALFORMED },
};

static void
test_expires_retry (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (retry_cases); i++)
    {
      const RetryCase *c = &retry_cases[i];
      g_autoptr(GError) error = NULL;
      guint32 retry = 0;
      gboolean ok = msrp_relay_auth_retry_expires (c->requested, c->min, c->max, &retry, &error);

      g_test_message ("requested %u, Min-Expires %s, Max-Expires %s", c->requested,
                      c->min ? c->min : "-", c->max ? c->max : "-");
      if (c->retry >= 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpuint (retry, ==, c->retry);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, MSRP_ERROR, (gint) c->code);
        }
    }
}

static void
test_expires_refresh_examples (void)
{
  static const guint32 table[][2] = {
    { 3600, 2880 }, { 900, 720 }, { 60, 48 }, { 50, 40 }, { 30, 20 }, { 20, 10 },
    { 19, 10 }, { 10, 5 }, { 3, 2 }, { 2, 1 }, { 1, 1 }, { 0, 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("Expires %u", table[i][0]);
      g_assert_cmpuint (msrp_relay_auth_refresh_delay (table[i][0]), ==, table[i][1]);
    }
  g_assert_cmpuint (msrp_relay_auth_refresh_delay (G_MAXUINT32), ==,
                    G_MAXUINT32 - G_MAXUINT32 / 5);
}

/* The documented rules, over a range: never after expiry (except the 1 s
 * floor), at most 80 %, a margin of 10 s or half, and later for longer
 * lifetimes. */
static void
test_expires_refresh_rules (void)
{
  guint previous = 0;

  for (guint32 expires = 0; expires <= 100000; expires++)
    {
      guint delay = msrp_relay_auth_refresh_delay (expires);

      g_assert_cmpuint (delay, >=, 1);
      g_assert_cmpuint (delay, >=, previous);
      if (expires >= 2)
        {
          g_assert_cmpuint (delay, <=, (guint64) expires * 4 / 5 + 1);
          g_assert_cmpuint (expires - delay, >=, MIN (10, expires / 2));
        }
      previous = delay;
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/relay-auth/challenge/kamailio", test_challenge_kamailio);
  g_test_add_func ("/relay-auth/challenge/rfc4976-frame", test_challenge_rfc4976_frame);
  g_test_add_func ("/relay-auth/challenge/rfc2617", test_challenge_rfc2617);
  g_test_add_func ("/relay-auth/challenge/refcount", test_challenge_refcount);
  MSRP_TEST_ADD_CASES ("/relay-auth/challenge/variant", challenge_variants,
                       test_challenge_variant);
  MSRP_TEST_ADD_CASES ("/relay-auth/challenge/bad", bad_challenges, test_challenge_bad);

  g_test_add_func ("/relay-auth/digest/rfc2617", test_digest_rfc2617);
  g_test_add_func ("/relay-auth/digest/rfc2069", test_digest_rfc2069);
  g_test_add_func ("/relay-auth/digest/rfc4976-auth", test_digest_rfc4976_auth);
  g_test_add_func ("/relay-auth/digest/method-msrp", test_digest_method_msrp);
  g_test_add_func ("/relay-auth/digest/nonce-count", test_digest_nonce_count);
  g_test_add_func ("/relay-auth/digest/escaping", test_digest_escaping);
  g_test_add_func ("/relay-auth/digest/random-cnonce", test_digest_random_cnonce);
  MSRP_TEST_ADD_CASES ("/relay-auth/digest/bad", bad_credentials, test_digest_bad_input);

  g_test_add_func ("/relay-auth/expires/parse", test_expires_parse);
  g_test_add_func ("/relay-auth/expires/retry", test_expires_retry);
  g_test_add_func ("/relay-auth/expires/refresh-examples", test_expires_refresh_examples);
  g_test_add_func ("/relay-auth/expires/refresh-rules", test_expires_refresh_rules);

  return g_test_run ();
}
