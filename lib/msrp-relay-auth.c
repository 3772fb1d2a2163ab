/* msrp-relay-auth.c: RFC 4976 AUTH: digest challenges and credentials, Expires
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "msrp-relay-auth.h"
#include "msrp-error.h"

#include <string.h>
#include <gnutls/crypto.h>

/* Random bytes in a generated cnonce: 128 bits, so a relay never sees the
 * same one twice. */
#define CNONCE_BYTES 16

struct _MsrpDigestChallenge
{
  char *realm;
  char *nonce;
  char *opaque;
  char **qop_options;
  /* "auth" when the relay offered it, NULL for an RFC 2069 challenge */
  const char *qop;
  gboolean stale;
};

G_DEFINE_BOXED_TYPE (MsrpDigestChallenge, msrp_digest_challenge,
                     msrp_digest_challenge_ref, msrp_digest_challenge_unref)

static void
digest_challenge_clear (gpointer data)
{
  MsrpDigestChallenge *challenge = data;

  g_free (challenge->realm);
  g_free (challenge->nonce);
  g_free (challenge->opaque);
  g_strfreev (challenge->qop_options);
}

/**
 * msrp_digest_challenge_ref:
 * @challenge: a challenge
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @challenge
 */
MsrpDigestChallenge *
msrp_digest_challenge_ref (MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return g_atomic_rc_box_acquire (challenge);
}

/**
 * msrp_digest_challenge_unref:
 * @challenge: (transfer full): a challenge
 *
 * Drops a reference; the last one frees @challenge.
 */
void
msrp_digest_challenge_unref (MsrpDigestChallenge *challenge)
{
  g_return_if_fail (challenge != NULL);
  g_atomic_rc_box_release_full (challenge, digest_challenge_clear);
}

/* ---- parsing (RFC 2617 §3.2.1 with the RFC 7230 §7 list rules) ---- */

static gboolean
is_ctl (guchar c)
{
  return c < 0x20 || c == 0x7f;
}

/* RFC 2616 §2.2 token characters */
static gboolean
is_token_char (guchar c)
{
  return c > 0x20 && c < 0x7f && strchr ("()<>@,;:\\\"/[]?={}", c) == NULL;
}

static void
skip_lws (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

static gsize
token_length (const char *p)
{
  gsize n = 0;

  while (is_token_char (p[n]))
    n++;
  return n;
}

static gboolean
challenge_malformed (const char *text, const char *why, GError **error)
{
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED,
               "malformed WWW-Authenticate “%s”: %s", text, why);
  return FALSE;
}

/* *p is at the opening quote. Returns the unescaped contents and leaves
 * *p after the closing quote. */
static char *
scan_quoted_string (const char  *text,
                    const char **p,
                    GError     **error)
{
  GString *value = g_string_new (NULL);
  const char *q = *p + 1;

  for (;;)
    {
      guchar c = *q;

      if (c == '\0')
        break;
      if (c == '"')
        {
          *p = q + 1;
          return g_string_free (value, FALSE);
        }
      if (c == '\\')
        {
          c = *++q;
          if (c == '\0')
            break;
        }
      if (is_ctl (c) && c != '\t')
        {
          g_string_free (value, TRUE);
          challenge_malformed (text, "control character in a quoted string", error);
          return NULL;
        }
      g_string_append_c (value, c);
      q++;
    }
  g_string_free (value, TRUE);
  challenge_malformed (text, "unterminated quoted string", error);
  return NULL;
}

/* qop-options: a quoted, comma-separated list of tokens; some relays send a
 * bare token instead, which reads the same way. */
static char **
split_qop_options (const char *text, const char *value, GError **error)
{
  GPtrArray *options = g_ptr_array_new_with_free_func (g_free);
  const char *p = value;

  for (;;)
    {
      gsize n;

      skip_lws (&p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p == '\0')
        break;
      n = token_length (p);
      if (n == 0)
        {
          g_ptr_array_free (options, TRUE);
          challenge_malformed (text, "qop is not a list of tokens", error);
          return NULL;
        }
      g_ptr_array_add (options, g_ascii_strdown (p, n));
      p += n;
    }
  g_ptr_array_add (options, NULL);
  return (char **) g_ptr_array_free (options, FALSE);
}

typedef struct
{
  char *realm;
  char *nonce;
  char *opaque;
  char *algorithm;
  char *qop;
  gboolean stale;
} ChallengeParams;

static void
challenge_params_clear (ChallengeParams *params)
{
  g_free (params->realm);
  g_free (params->nonce);
  g_free (params->opaque);
  g_free (params->algorithm);
  g_free (params->qop);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChallengeParams, challenge_params_clear)

/* Stores @value (taking it) in the slot @name names. Names compare
 * case-insensitively; unknown ones (domain, charset, userhash, …) are
 * ignored, as RFC 2617 §3.2.1 asks. */
static gboolean
challenge_params_set (ChallengeParams  *params,
                      const char       *text,
                      const char       *name,
                      gsize             name_length,
                      char             *value,
                      GError          **error)
{
  static const struct { const char *name; gsize offset; } slots[] = {
    { "realm", G_STRUCT_OFFSET (ChallengeParams, realm) },
    { "nonce", G_STRUCT_OFFSET (ChallengeParams, nonce) },
    { "opaque", G_STRUCT_OFFSET (ChallengeParams, opaque) },
    { "algorithm", G_STRUCT_OFFSET (ChallengeParams, algorithm) },
    { "qop", G_STRUCT_OFFSET (ChallengeParams, qop) },
  };

  if (name_length == 5 && g_ascii_strncasecmp (name, "stale", 5) == 0)
    {
      params->stale = g_ascii_strcasecmp (value, "true") == 0;
      g_free (value);
      return TRUE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      char **slot = G_STRUCT_MEMBER_P (params, slots[i].offset);

      if (strlen (slots[i].name) != name_length
          || g_ascii_strncasecmp (name, slots[i].name, name_length) != 0)
        continue;
      if (*slot != NULL)
        {
          g_autofree char *why = g_strdup_printf ("%s given twice", slots[i].name);

          g_free (value);
          return challenge_malformed (text, why, error);
        }
      *slot = value;
      return TRUE;
    }
  g_free (value);
  return TRUE;
}

/* `Digest` 1*LWS auth-param *( "," auth-param ), empty list elements
 * allowed, values either tokens or quoted strings. */
static gboolean
challenge_params_scan (const char       *text,
                       ChallengeParams  *params,
                       GError          **error)
{
  const char *p = text;
  gsize n;

  skip_lws (&p);
  n = token_length (p);
  if (n == 0)
    return challenge_malformed (text, "no authentication scheme", error);
  if (n != 6 || g_ascii_strncasecmp (p, "Digest", 6) != 0)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                   "the relay asks for “%.*s” authentication; only Digest is supported",
                   (int) n, p);
      return FALSE;
    }
  p += n;
  if (*p != ' ' && *p != '\t')
    return challenge_malformed (text, "no parameters after “Digest”", error);

  for (;;)
    {
      const char *name;
      gsize name_length;
      g_autofree char *value = NULL;

      skip_lws (&p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p == '\0')
        return TRUE;

      name = p;
      name_length = token_length (p);
      if (name_length == 0)
        return challenge_malformed (text, "expected a parameter name", error);
      p += name_length;
      skip_lws (&p);
      if (*p != '=')
        return challenge_malformed (text, "expected “=” after a parameter name", error);
      p++;
      skip_lws (&p);
      if (*p == '"')
        {
          value = scan_quoted_string (text, &p, error);
          if (value == NULL)
            return FALSE;
        }
      else
        {
          n = token_length (p);
          if (n == 0)
            return challenge_malformed (text, "a parameter has no value", error);
          value = g_strndup (p, n);
          p += n;
        }
      skip_lws (&p);
      if (*p != ',' && *p != '\0')
        return challenge_malformed (text, "expected “,” between parameters", error);
      if (!challenge_params_set (params, text, name, name_length, g_steal_pointer (&value),
                                 error))
        return FALSE;
    }
}

/**
 * msrp_digest_challenge_parse:
 * @header_value: the value of a `WWW-Authenticate` header, e.g.
 *   `Digest realm="relay.example", nonce="…", qop="auth"`
 * @error: return location for a #GError
 *
 * Parses one Digest challenge (RFC 2617 §3.2.1, as RFC 4976 §5 uses it):
 * parameters in any order, separated by commas with optional white space;
 * names and the `Digest` scheme compared case-insensitively; values as
 * quoted strings (with `\` escapes) or tokens; unknown parameters ignored.
 * `realm` and `nonce` are required; `opaque` is optional (Kamailio sends
 * none); `algorithm` defaults to MD5; of the `qop` options, `auth` is
 * picked, and a challenge without `qop` is answered the RFC 2069 way.
 *
 * Errors: %MSRP_ERROR_MALFORMED when the value does not parse or lacks
 * `realm` or `nonce`; %MSRP_ERROR_UNAUTHORIZED when it asks for something
 * this library cannot answer: another scheme, an algorithm other than MD5
 * (MD5-sess, SHA-256, …), or `qop` options without `auth`.
 *
 * Returns: (transfer full) (nullable): the challenge, or %NULL with @error set
 */
MsrpDigestChallenge *
msrp_digest_challenge_parse (const char  *header_value,
                             GError     **error)
{
  g_auto(ChallengeParams) params = { NULL };
  g_auto(GStrv) qop_options = NULL;
  const char *qop = NULL;
  MsrpDigestChallenge *challenge;

  g_return_val_if_fail (header_value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!challenge_params_scan (header_value, &params, error))
    return NULL;
  if (params.realm == NULL)
    {
      challenge_malformed (header_value, "no realm", error);
      return NULL;
    }
  if (params.nonce == NULL)
    {
      challenge_malformed (header_value, "no nonce", error);
      return NULL;
    }
  if (params.algorithm != NULL && g_ascii_strcasecmp (params.algorithm, "MD5") != 0)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                   "the relay asks for digest algorithm %s; only MD5 is supported",
                   params.algorithm);
      return NULL;
    }

  qop_options = split_qop_options (header_value, params.qop ? params.qop : "", error);
  if (qop_options == NULL)
    return NULL;
  if (qop_options[0] != NULL)
    {
      if (!g_strv_contains ((const char * const *) qop_options, "auth"))
        {
          g_autofree char *offered = g_strjoinv (", ", qop_options);

          g_set_error (error, MSRP_ERROR, MSRP_ERROR_UNAUTHORIZED,
                       "the relay offers digest qop %s; only auth is supported", offered);
          return NULL;
        }
      qop = "auth";
    }

  challenge = g_atomic_rc_box_new0 (MsrpDigestChallenge);
  challenge->realm = g_steal_pointer (&params.realm);
  challenge->nonce = g_steal_pointer (&params.nonce);
  challenge->opaque = g_steal_pointer (&params.opaque);
  challenge->qop_options = g_steal_pointer (&qop_options);
  challenge->qop = qop;
  challenge->stale = params.stale;
  return challenge;
}

/**
 * msrp_digest_challenge_get_realm:
 * @challenge: a challenge
 *
 * The protection space, unquoted and unescaped.
 *
 * Returns: (transfer none): the realm
 */
const char *
msrp_digest_challenge_get_realm (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return challenge->realm;
}

/**
 * msrp_digest_challenge_get_nonce:
 * @challenge: a challenge
 *
 * The server nonce, unquoted and unescaped.
 *
 * Returns: (transfer none): the nonce
 */
const char *
msrp_digest_challenge_get_nonce (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return challenge->nonce;
}

/**
 * msrp_digest_challenge_get_opaque:
 * @challenge: a challenge
 *
 * The opaque string the credentials must echo, when the relay sent one.
 *
 * Returns: (transfer none) (nullable): the opaque value, or %NULL
 */
const char *
msrp_digest_challenge_get_opaque (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return challenge->opaque;
}

/**
 * msrp_digest_challenge_get_algorithm:
 * @challenge: a challenge
 *
 * The digest algorithm. Only MD5 challenges parse, so this is always
 * `MD5`, whether the relay named it or left it to the default.
 *
 * Returns: (transfer none): `MD5`
 */
const char *
msrp_digest_challenge_get_algorithm (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return "MD5";
}

/**
 * msrp_digest_challenge_get_qop_options:
 * @challenge: a challenge
 *
 * The quality-of-protection options the relay offered, in lower case and
 * in its order; empty for an RFC 2069 challenge.
 *
 * Returns: (transfer none) (array zero-terminated=1): the options
 */
const char * const *
msrp_digest_challenge_get_qop_options (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return (const char * const *) challenge->qop_options;
}

/**
 * msrp_digest_challenge_get_qop:
 * @challenge: a challenge
 *
 * The option msrp_digest_authorization() answers with.
 *
 * Returns: (transfer none) (nullable): `auth`, or %NULL when the relay
 *   offered no qop and gets RFC 2069 credentials
 */
const char *
msrp_digest_challenge_get_qop (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, NULL);
  return challenge->qop;
}

/**
 * msrp_digest_challenge_get_stale:
 * @challenge: a challenge
 *
 * Whether the relay marked the previous nonce stale (`stale=true`): the
 * credentials were right and may be sent again for the new nonce without
 * asking the user.
 *
 * Returns: %TRUE for a stale nonce
 */
gboolean
msrp_digest_challenge_get_stale (const MsrpDigestChallenge *challenge)
{
  g_return_val_if_fail (challenge != NULL, FALSE);
  return challenge->stale;
}

/* ---- credentials (RFC 2617 §3.2.2) ---- */

static gboolean
check_text (const char *what, const char *value, GError **error)
{
  if (*value == '\0')
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_FAILED, "empty digest %s", what);
      return FALSE;
    }
  for (const char *p = value; *p != '\0'; p++)
    if (is_ctl (*p))
      {
        g_set_error (error, MSRP_ERROR, MSRP_ERROR_FAILED,
                     "digest %s “%s” contains a control character", what, value);
        return FALSE;
      }
  return TRUE;
}

/* The inside of a quoted-string: `"` and `\` get a `\` before them. */
static void
append_escaped (GString *header, const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (header, '\\');
      g_string_append_c (header, *p);
    }
}

static void
append_quoted (GString *header, const char *name, const char *value)
{
  g_string_append_printf (header, ", %s=\"", name);
  append_escaped (header, value);
  g_string_append_c (header, '"');
}

static char *
md5_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

static char *
random_cnonce (GError **error)
{
  guint8 bytes[CNONCE_BYTES];
  int ret = gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes);
  GString *cnonce;

  if (ret < 0)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_FAILED, "no random cnonce: %s",
                   gnutls_strerror (ret));
      return NULL;
    }
  cnonce = g_string_sized_new (2 * sizeof bytes);
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (cnonce, "%02x", bytes[i]);
  return g_string_free (cnonce, FALSE);
}

/* HA1 = MD5(username ":" realm ":" password); the buffer that held the
 * password is wiped before it is freed. */
static char *
digest_ha1 (const char *username, const char *realm, const char *password)
{
  GString *a1 = g_string_new (NULL);
  char *ha1;

  g_string_append_printf (a1, "%s:%s:%s", username, realm, password);
  ha1 = md5_hex (a1->str);
  memset (a1->str, 0, a1->len);
  g_string_free (a1, TRUE);
  return ha1;
}

/**
 * msrp_digest_authorization:
 * @challenge: the relay's challenge
 * @username: the user name
 * @password: the password
 * @method: (nullable): the method to digest, %MSRP_DIGEST_METHOD_AUTH when
 *   %NULL; %MSRP_DIGEST_METHOD_MSRP for Kamailio relays configured without
 *   `$msrp(method)`
 * @digest_uri: the `uri` to digest and send, normally the relay's URI as
 *   written in the AUTH request's To-Path (Kamailio refuses credentials
 *   without `uri`)
 * @nc: the nonce count, 1 for the first use of this nonce, then one more
 *   for each further AUTH answered with it; ignored without qop
 * @cnonce: (nullable): the client nonce, or %NULL for 128 random bits;
 *   ignored without qop
 * @error: return location for a #GError
 *
 * Makes the value of the `Authorization` header that answers @challenge:
 *
 * |[
 * Digest username="…", realm="…", nonce="…", uri="…", qop=auth, nc=00000001,
 *   cnonce="…", response="…", algorithm=MD5, opaque="…"
 * ]|
 *
 * on one line, with `opaque` only when the challenge had one. With `qop=auth`
 * the response is `MD5(HA1 ":" nonce ":" nc ":" cnonce ":auth:" HA2)`; a
 * challenge without qop gets the RFC 2069 form without `qop`, `nc` and
 * `cnonce`, whose response is `MD5(HA1 ":" nonce ":" HA2)`. Here
 * `HA1 = MD5(username ":" realm ":" password)` and
 * `HA2 = MD5(method ":" digest-uri)`. Quoted values are escaped with `\`
 * where they contain `"` or `\`; the digest is computed over the values
 * themselves.
 *
 * Errors: %MSRP_ERROR_FAILED when @username, @method, @digest_uri or
 * @cnonce is empty or contains a control character (it could not be sent
 * in an MSRP header), or when no random cnonce could be made.
 *
 * Returns: (transfer full) (nullable): the header value, or %NULL with
 *   @error set
 */
char *
msrp_digest_authorization (const MsrpDigestChallenge  *challenge,
                           const char                 *username,
                           const char                 *password,
                           const char                 *method,
                           const char                 *digest_uri,
                           guint32                     nc,
                           const char                 *cnonce,
                           GError                    **error)
{
  g_autofree char *own_cnonce = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *kd = NULL;
  g_autofree char *response = NULL;
  char nc_text[9];
  GString *header;

  g_return_val_if_fail (challenge != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (digest_uri != NULL, NULL);
  g_return_val_if_fail (challenge->qop == NULL || nc > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (method == NULL)
    method = MSRP_DIGEST_METHOD_AUTH;
  if (!check_text ("username", username, error)
      || !check_text ("method", method, error)
      || !check_text ("uri", digest_uri, error))
    return NULL;
  if (challenge->qop != NULL)
    {
      if (cnonce == NULL)
        {
          own_cnonce = random_cnonce (error);
          if (own_cnonce == NULL)
            return NULL;
          cnonce = own_cnonce;
        }
      else if (!check_text ("cnonce", cnonce, error))
        return NULL;
    }

  ha1 = digest_ha1 (username, challenge->realm, password);
  a2 = g_strdup_printf ("%s:%s", method, digest_uri);
  ha2 = md5_hex (a2);
  g_snprintf (nc_text, sizeof nc_text, "%08x", nc);
  if (challenge->qop != NULL)
    kd = g_strdup_printf ("%s:%s:%s:%s:%s:%s", ha1, challenge->nonce, nc_text, cnonce,
                          challenge->qop, ha2);
  else
    kd = g_strdup_printf ("%s:%s:%s", ha1, challenge->nonce, ha2);
  response = md5_hex (kd);

  header = g_string_new ("Digest username=\"");
  append_escaped (header, username);
  g_string_append_c (header, '"');
  append_quoted (header, "realm", challenge->realm);
  append_quoted (header, "nonce", challenge->nonce);
  append_quoted (header, "uri", digest_uri);
  if (challenge->qop != NULL)
    {
      g_string_append_printf (header, ", qop=%s, nc=%s", challenge->qop, nc_text);
      append_quoted (header, "cnonce", cnonce);
    }
  append_quoted (header, "response", response);
  g_string_append (header, ", algorithm=MD5");
  if (challenge->opaque != NULL)
    append_quoted (header, "opaque", challenge->opaque);
  return g_string_free (header, FALSE);
}

/* ---- Expires, Min-Expires, Max-Expires (RFC 4976 §5, §8) ---- */

/**
 * msrp_expires_parse:
 * @header_value: the value of an `Expires`, `Min-Expires` or `Max-Expires`
 *   header: a number of seconds (`1*DIGIT`)
 * @seconds: (out): return location for the value
 * @error: return location for a #GError
 *
 * Parses a delta-seconds value. White space around the digits is allowed;
 * values beyond 2³² − 1 read as 2³² − 1, the SIP rule for delta-seconds
 * (RFC 3261 §20.19).
 *
 * Returns: %TRUE on success; %FALSE with %MSRP_ERROR_MALFORMED otherwise
 */
gboolean
msrp_expires_parse (const char  *header_value,
                    guint32     *seconds,
                    GError     **error)
{
  const char *p = header_value;
  guint64 value = 0;

  g_return_val_if_fail (header_value != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);

  skip_lws (&p);
  if (!g_ascii_isdigit (*p))
    goto malformed;
  for (; g_ascii_isdigit (*p); p++)
    value = MIN (value * 10 + (*p - '0'), (guint64) G_MAXUINT32);
  skip_lws (&p);
  if (*p != '\0')
    goto malformed;
  *seconds = (guint32) value;
  return TRUE;

malformed:
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED,
               "“%s” is not a number of seconds", header_value);
  return FALSE;
}

/**
 * msrp_relay_auth_retry_expires:
 * @requested: the Expires value the refused AUTH asked for
 * @min_expires: (nullable): the 423 response's `Min-Expires` value, if any
 * @max_expires: (nullable): the 423 response's `Max-Expires` value, if any
 * @retry_expires: (out): return location for the Expires value to retry with
 * @error: return location for a #GError
 *
 * Decides how to answer a 423 (Interval Out-of-Bounds) to an AUTH: retry
 * with the allowed value closest to @requested, i.e. @requested clamped to
 * [Min-Expires, Max-Expires] (either bound may be missing).
 *
 * Errors: %MSRP_ERROR_MALFORMED when a bound does not parse;
 * %MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS when no retry can succeed: the 423 gave
 * no bound, the bounds contradict each other, Max-Expires is 0, or
 * @requested already lies within them.
 *
 * Returns: %TRUE when the AUTH should be sent again with @retry_expires
 */
gboolean
msrp_relay_auth_retry_expires (guint32      requested,
                               const char  *min_expires,
                               const char  *max_expires,
                               guint32     *retry_expires,
                               GError     **error)
{
  guint32 low = 0;
  guint32 high = G_MAXUINT32;
  guint32 value;

  g_return_val_if_fail (retry_expires != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (min_expires == NULL && max_expires == NULL)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS,
                   "the relay refused Expires %u without a Min-Expires or Max-Expires",
                   requested);
      return FALSE;
    }
  if (min_expires != NULL && !msrp_expires_parse (min_expires, &low, error))
    return FALSE;
  if (max_expires != NULL && !msrp_expires_parse (max_expires, &high, error))
    return FALSE;
  if (low > high || high == 0)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS,
                   "the relay allows no Expires (Min-Expires %u, Max-Expires %u)",
                   low, high);
      return FALSE;
    }
  value = CLAMP (requested, low, high);
  if (value == requested)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_INTERVAL_OUT_OF_BOUNDS,
                   "the relay refused Expires %u, which its own bounds allow", requested);
      return FALSE;
    }
  *retry_expires = value;
  return TRUE;
}

/**
 * msrp_relay_auth_refresh_delay:
 * @expires: the Expires value of the relay's 200 answer to AUTH, in seconds
 *
 * When to send the AUTH that refreshes a Use-Path, counted in seconds from
 * the 200 that granted it: after 80 % of the lifetime, but leaving at least
 * 10 s for the new AUTH and a possible second challenge, or half the
 * lifetime when that is shorter; never sooner than 1 s. For example 900 →
 * 720, 30 → 20, 10 → 5, 1 → 1.
 *
 * Returns: the delay in seconds, at least 1
 */
guint
msrp_relay_auth_refresh_delay (guint32 expires)
{
  guint32 margin = MAX (expires / 5, MIN (10, expires / 2));

  return MAX (expires - margin, 1);
}
