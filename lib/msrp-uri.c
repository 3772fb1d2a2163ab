/* msrp-uri.c: MSRP URIs (RFC 4975 §9) and paths
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "msrp-error.h"
#include "msrp-uri.h"

/* The frame parser parses every URI of every To-Path and From-Path, so a
 * URI is one allocation: the struct followed by all of its strings. */
struct _MsrpUri
{
  gatomicrefcount ref_count;
  int port;                /* -1 when absent */
  guint hash;              /* msrp_uri_hash(), computed once */
  guint n_params;
  gboolean secure;
  int ip_family;           /* AF_INET or AF_INET6 when the host is an address, else 0 */
  guint8 ip[16];           /* the address, in network order */
  const char *userinfo;    /* nullable, as written */
  const char *host;        /* as written; IPv6 without brackets */
  const char *host_key;    /* a host name as compared: lower case, unreserved
                            * characters percent-decoded; may be @host itself */
  const char *session_id;  /* nullable */
  const char *transport;   /* lower case */
  const char *params;      /* n_params pairs "name\0value\0"; value "" when absent */
  char strings[];
};

G_DEFINE_BOXED_TYPE (MsrpUri, msrp_uri, msrp_uri_ref, msrp_uri_unref)

/* Where the parts of a URI are in the text being parsed. */
typedef struct
{
  const char *start;       /* NULL when the part is absent */
  gsize len;
} Span;

typedef struct
{
  gboolean secure;
  Span userinfo;
  Span host;
  gboolean ipv6;
  int port;
  Span session_id;
  Span transport;
  Span params;             /* everything after the transport, from its first ';' */
  guint n_params;
} UriParts;

#define QUOTE_MAX 96

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static gboolean
is_sub_delim (guchar c)
{
  return c != '\0' && strchr ("!$&'()*+,;=", c) != NULL;
}

static gboolean
is_session_id_char (guchar c)
{
  return is_unreserved (c) || c == '+' || c == '=' || c == '/';
}

/* RFC 4975 §9: token = 1*(%x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39
 * / %x41-5A / %x5E-7E) */
static gboolean
is_token_char (guchar c)
{
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b ||
         c == 0x2d || c == 0x2e || (c >= 0x30 && c <= 0x39) ||
         (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
}

static void
append_escaped_char (GString *out, guchar c)
{
  if (c >= 0x20 && c < 0x7f && c != '\\')
    g_string_append_c (out, c);
  else
    g_string_append_printf (out, "\\x%02x", c);
}

static gboolean uri_error (GError     **error,
                           const char  *text,
                           gsize        len,
                           gsize        offset,
                           const char  *format,
                           ...) G_GNUC_PRINTF (5, 6);

/* Sets "<what> at offset N in '<text>'", the text escaped and shortened so
 * that any input makes a readable message. */
static gboolean
uri_error (GError     **error,
           const char  *text,
           gsize        len,
           gsize        offset,
           const char  *format,
           ...)
{
  g_autoptr(GString) quoted = g_string_sized_new (QUOTE_MAX + 8);
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  for (gsize i = 0; i < len && i < QUOTE_MAX; i++)
    append_escaped_char (quoted, text[i]);
  if (len > QUOTE_MAX)
    g_string_append (quoted, "...");

  g_set_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI,
               "%s at offset %" G_GSIZE_FORMAT " in '%s'", what, offset, quoted->str);
  return FALSE;
}

static gboolean
invalid_char_error (GError     **error,
                    const char  *text,
                    gsize        len,
                    gsize        offset,
                    const char  *part)
{
  g_autoptr(GString) c = g_string_new (NULL);

  append_escaped_char (c, text[offset]);
  return uri_error (error, text, len, offset, "invalid character '%s' in %s", c->str, part);
}

/* Whether the '%' at @i of @text starts a percent-encoding. */
static gboolean
is_percent_encoding (const char *text,
                     gsize       len,
                     gsize       i)
{
  return i + 2 < len && g_ascii_isxdigit (text[i + 1]) && g_ascii_isxdigit (text[i + 2]);
}

static gboolean
parse_scheme (const char  *text,
              gsize        len,
              UriParts    *parts,
              gsize       *pos,
              GError     **error)
{
  gsize i = 0;

  if (len >= 7 && g_ascii_strncasecmp (text, "msrp://", 7) == 0)
    {
      parts->secure = FALSE;
      *pos = 7;
      return TRUE;
    }
  if (len >= 8 && g_ascii_strncasecmp (text, "msrps://", 8) == 0)
    {
      parts->secure = TRUE;
      *pos = 8;
      return TRUE;
    }

  while (i < len && (g_ascii_isalnum (text[i]) || text[i] == '+' || text[i] == '-' || text[i] == '.'))
    i++;
  if (i > 0 && i < len && text[i] == ':' &&
      !(i == 4 && g_ascii_strncasecmp (text, "msrp", 4) == 0) &&
      !(i == 5 && g_ascii_strncasecmp (text, "msrps", 5) == 0))
    return uri_error (error, text, len, 0, "unsupported scheme '%.*s'", (int) i, text);
  return uri_error (error, text, len, 0, "expected 'msrp://' or 'msrps://'");
}

/* userinfo = *( unreserved / pct-encoded / sub-delims / ":" ) (RFC 3986) */
static gboolean
parse_userinfo (const char  *text,
                gsize        len,
                gsize        start,
                gsize        end,
                UriParts    *parts,
                GError     **error)
{
  for (gsize i = start; i < end; i++)
    {
      guchar c = text[i];

      if (c == '%')
        {
          if (!is_percent_encoding (text, end, i))
            return uri_error (error, text, len, i, "invalid percent-encoding in userinfo");
          i += 2;
        }
      else if (!is_unreserved (c) && !is_sub_delim (c) && c != ':')
        return invalid_char_error (error, text, len, i, "userinfo");
    }
  parts->userinfo.start = text + start;
  parts->userinfo.len = end - start;
  return TRUE;
}

static gboolean
parse_ipv6 (const char  *text,
            gsize        len,
            gsize       *pos,
            UriParts    *parts,
            GError     **error)
{
  gsize start = *pos + 1;
  const char *close = memchr (text + start, ']', len - start);
  char buf[INET6_ADDRSTRLEN];
  guint8 addr[16];
  gsize n;

  if (close == NULL)
    return uri_error (error, text, len, *pos, "unterminated IPv6 address");
  n = close - (text + start);
  if (n == 0)
    return uri_error (error, text, len, start, "empty host");
  if (n >= sizeof buf || memchr (text + start, '\0', n) != NULL)
    return uri_error (error, text, len, start, "invalid IPv6 address");
  memcpy (buf, text + start, n);
  buf[n] = '\0';
  if (inet_pton (AF_INET6, buf, addr) != 1)
    return uri_error (error, text, len, start, "invalid IPv6 address");

  parts->host.start = text + start;
  parts->host.len = n;
  parts->ipv6 = TRUE;
  *pos = start + n + 1;
  if (*pos < len && text[*pos] != ':' && text[*pos] != '/' && text[*pos] != ';')
    return invalid_char_error (error, text, len, *pos, "authority after the IPv6 address");
  return TRUE;
}

/* A host name: unreserved characters and percent-encodings. That is
 * RFC 3986's reg-name without its sub-delims: ';' starts the transport,
 * and the others are in no name that DNS resolves. */
static gboolean
parse_host_name (const char  *text,
                 gsize        len,
                 gsize       *pos,
                 UriParts    *parts,
                 GError     **error)
{
  gsize i = *pos;

  while (i < len && text[i] != ':' && text[i] != '/' && text[i] != ';')
    {
      if (text[i] == '%')
        {
          if (!is_percent_encoding (text, len, i))
            return uri_error (error, text, len, i, "invalid percent-encoding in host");
          i += 3;
        }
      else if (is_unreserved (text[i]))
        i++;
      else
        return invalid_char_error (error, text, len, i, "host");
    }
  if (i == *pos)
    return uri_error (error, text, len, i, "empty host");
  parts->host.start = text + *pos;
  parts->host.len = i - *pos;
  *pos = i;
  return TRUE;
}

static gboolean
parse_port (const char  *text,
            gsize        len,
            gsize       *pos,
            UriParts    *parts,
            GError     **error)
{
  gsize start = *pos;
  gsize i = start;
  int port = 0;

  while (i < len && g_ascii_isdigit (text[i]))
    {
      port = port * 10 + (text[i] - '0');
      if (port > 65535)
        return uri_error (error, text, len, start, "port out of range (more than 65535)");
      i++;
    }
  if (i < len && text[i] != '/' && text[i] != ';')
    return invalid_char_error (error, text, len, i, "port");
  if (i == start)
    return uri_error (error, text, len, i, "empty port");
  parts->port = port;
  *pos = i;
  return TRUE;
}

static gboolean
parse_authority (const char  *text,
                 gsize        len,
                 gsize       *pos,
                 UriParts    *parts,
                 GError     **error)
{
  gsize i = *pos;
  const char *slash = memchr (text + i, '/', len - i);
  gsize authority_end = slash ? (gsize) (slash - text) : len;
  const char *at = memchr (text + i, '@', authority_end - i);

  /* Userinfo may hold ';' but never '@', and nothing after the authority
   * may hold '@', so the first '@' before any '/' ends the userinfo. */
  if (at != NULL)
    {
      gsize at_pos = at - text;

      if (!parse_userinfo (text, len, i, at_pos, parts, error))
        return FALSE;
      i = at_pos + 1;
    }

  if (i < len && text[i] == '[')
    {
      if (!parse_ipv6 (text, len, &i, parts, error))
        return FALSE;
    }
  else if (!parse_host_name (text, len, &i, parts, error))
    return FALSE;

  if (i < len && text[i] == ':')
    {
      i++;
      if (!parse_port (text, len, &i, parts, error))
        return FALSE;
    }
  *pos = i;
  return TRUE;
}

/* Scans @text into @parts, checking all of RFC 4975's MSRP-URI syntax. */
static gboolean
parse_parts (const char  *text,
             gsize        len,
             UriParts    *parts,
             GError     **error)
{
  gsize i = 0, start;

  memset (parts, 0, sizeof *parts);
  parts->port = -1;

  if (!parse_scheme (text, len, parts, &i, error) ||
      !parse_authority (text, len, &i, parts, error))
    return FALSE;

  if (i < len && text[i] == '/')
    {
      start = ++i;
      while (i < len && text[i] != ';')
        {
          if (!is_session_id_char (text[i]))
            return invalid_char_error (error, text, len, i, "session-id");
          i++;
        }
      if (i == start)
        return uri_error (error, text, len, i, "empty session-id");
      parts->session_id.start = text + start;
      parts->session_id.len = i - start;
    }

  if (i >= len)
    return uri_error (error, text, len, i, "missing transport parameter");

  /* transport = "tcp" / 1*ALPHANUM */
  start = ++i;
  while (i < len && text[i] != ';')
    {
      if (!g_ascii_isalnum (text[i]))
        return invalid_char_error (error, text, len, i, "transport");
      i++;
    }
  if (i == start)
    return uri_error (error, text, len, i, "empty transport");
  parts->transport.start = text + start;
  parts->transport.len = i - start;

  /* *( ";" URI-parameter ), URI-parameter = token ["=" token] */
  parts->params.start = text + i;
  parts->params.len = len - i;
  while (i < len)
    {
      start = ++i;
      while (i < len && is_token_char (text[i]))
        i++;
      if (i == start && (i == len || text[i] == ';'))
        return uri_error (error, text, len, i, "empty parameter");
      if (i < len && text[i] == '=' && i > start)
        {
          start = ++i;
          while (i < len && is_token_char (text[i]))
            i++;
          if (i == start && (i == len || text[i] == ';'))
            return uri_error (error, text, len, i, "empty parameter value");
        }
      if (i < len && text[i] != ';')
        return invalid_char_error (error, text, len, i, "parameter");
      parts->n_params++;
    }
  return TRUE;
}

static int
hex_value (char c)
{
  return g_ascii_isdigit (c) ? c - '0' : g_ascii_tolower (c) - 'a' + 10;
}

/* RFC 4975 §6.1 compares host names case-insensitively; percent-encoded
 * unreserved characters are the same characters (RFC 3986 §6.2.2.2).
 * Returns the length written to @out, which has room for @len bytes. */
static gsize
normalize_host (const char *host,
                gsize       len,
                char       *out)
{
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (host[i] == '%')
        {
          char c = (char) (hex_value (host[i + 1]) * 16 + hex_value (host[i + 2]));

          if (is_unreserved (c))
            {
              out[n++] = g_ascii_tolower (c);
              i += 2;
              continue;
            }
        }
      out[n++] = g_ascii_tolower (host[i]);
    }
  return n;
}

static gboolean
host_needs_key (Span host)
{
  for (gsize i = 0; i < host.len; i++)
    if (g_ascii_isupper (host.start[i]) || host.start[i] == '%')
      return TRUE;
  return FALSE;
}

/* FNV-1a */
static guint
hash_bytes (guint       hash,
            const void *data,
            gsize       len)
{
  const guint8 *p = data;

  for (gsize i = 0; i < len; i++)
    hash = (hash ^ p[i]) * 16777619u;
  return hash;
}

/* Mirrors msrp_uri_equal(): every field it compares, and nothing else. */
static guint
compute_hash (const MsrpUri *uri)
{
  guint hash = 2166136261u;
  guint8 fixed[3] = { uri->secure, uri->session_id != NULL, uri->ip_family != 0 };

  hash = hash_bytes (hash, fixed, sizeof fixed);
  hash = hash_bytes (hash, &uri->port, sizeof uri->port);
  if (uri->ip_family == AF_INET6)
    hash = hash_bytes (hash, uri->ip, 16);
  else if (uri->ip_family == AF_INET)
    hash = hash_bytes (hash, uri->ip, 4);
  else
    hash = hash_bytes (hash, uri->host_key, strlen (uri->host_key));
  if (uri->session_id != NULL)
    hash = hash_bytes (hash, uri->session_id, strlen (uri->session_id) + 1);
  return hash_bytes (hash, uri->transport, strlen (uri->transport));
}

static char *
copy_span (char    **cursor,
           Span      span)
{
  char *s = *cursor;

  memcpy (s, span.start, span.len);
  s[span.len] = '\0';
  *cursor = s + span.len + 1;
  return s;
}

/* Copies the parameters as "name\0value\0" pairs. */
static char *
copy_params (char **cursor,
             Span   params)
{
  char *out = *cursor;
  char *p = out;
  gboolean has_value = FALSE;

  /* params.start[0] is the ';' of the first parameter */
  for (gsize i = 1; i < params.len; i++)
    {
      char c = params.start[i];

      if (c == ';' || c == '=')
        {
          if (c == ';' && !has_value)
            *p++ = '\0';
          *p++ = '\0';
          has_value = c == '=';
        }
      else
        *p++ = c;
    }
  if (params.len > 0)
    {
      if (!has_value)
        *p++ = '\0';
      *p++ = '\0';
    }
  *cursor = p;
  return out;
}

static MsrpUri *
uri_new_from_parts (const UriParts *parts)
{
  gboolean needs_key = !parts->ipv6 && host_needs_key (parts->host);
  /* The parameters need one byte more than their text for each of them
   * without a value, and a last terminator. */
  gsize size = sizeof (MsrpUri) +
               parts->userinfo.len + 1 +
               parts->host.len + 1 +
               (needs_key ? parts->host.len + 1 : 0) +
               parts->session_id.len + 1 +
               parts->transport.len + 1 +
               parts->params.len + parts->n_params + 1;
  MsrpUri *uri = g_malloc (size);
  char *cursor = uri->strings;
  char *transport;

  g_atomic_ref_count_init (&uri->ref_count);
  uri->secure = parts->secure;
  uri->port = parts->port;
  uri->n_params = parts->n_params;
  uri->userinfo = parts->userinfo.start ? copy_span (&cursor, parts->userinfo) : NULL;
  uri->host = copy_span (&cursor, parts->host);
  uri->session_id = parts->session_id.start ? copy_span (&cursor, parts->session_id) : NULL;
  transport = copy_span (&cursor, parts->transport);
  for (char *t = transport; *t != '\0'; t++)
    *t = g_ascii_tolower (*t);
  uri->transport = transport;
  uri->params = copy_params (&cursor, parts->params);

  memset (uri->ip, 0, sizeof uri->ip);
  uri->ip_family = 0;
  uri->host_key = uri->host;
  if (parts->ipv6)
    {
      uri->ip_family = AF_INET6;
      inet_pton (AF_INET6, uri->host, uri->ip);
    }
  else
    {
      if (needs_key)
        {
          char *key = cursor;

          cursor[normalize_host (parts->host.start, parts->host.len, key)] = '\0';
          uri->host_key = key;
        }
      if (g_ascii_isdigit (uri->host_key[0]) &&
          inet_pton (AF_INET, uri->host_key, uri->ip) == 1)
        uri->ip_family = AF_INET;
    }

  uri->hash = compute_hash (uri);
  return uri;
}

/**
 * msrp_uri_parse_len:
 * @text: (array length=length) (element-type guint8): the URI text; need
 *   not be nul-terminated when @length is given
 * @length: the length of @text in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Parses an `msrp:` or `msrps:` URI (RFC 4975 §9) from a slice of text,
 * such as one URI of a To-Path header value, without copying it first.
 *
 * Parsing is liberal where deployed peers differ from the RFC but the
 * meaning stays clear: schemes and transports in any case, any transport
 * made of letters and digits (`ws`, `wss`, …), session-ids of any length,
 * percent-encoded userinfo and host names, and `*.invalid` hosts.
 * Bracketed IPv6 addresses must be valid addresses.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with @error set
 *   to %MSRP_ERROR_INVALID_URI saying what is wrong and where
 */
MsrpUri *
msrp_uri_parse_len (const char  *text,
                    gssize       length,
                    GError     **error)
{
  UriParts parts;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (!parse_parts (text, len, &parts, error))
    return NULL;
  return uri_new_from_parts (&parts);
}

/**
 * msrp_uri_parse:
 * @text: a nul-terminated URI
 * @error: return location for a #GError, or %NULL
 *
 * Parses an `msrp:` or `msrps:` URI; see msrp_uri_parse_len().
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with @error set
 *   to %MSRP_ERROR_INVALID_URI
 */
MsrpUri *
msrp_uri_parse (const char  *text,
                GError     **error)
{
  return msrp_uri_parse_len (text, -1, error);
}

/**
 * msrp_uri_ref:
 * @uri: a URI
 *
 * Takes a reference on @uri.
 *
 * Returns: (transfer full): @uri
 */
MsrpUri *
msrp_uri_ref (MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  g_atomic_ref_count_inc (&uri->ref_count);
  return uri;
}

/**
 * msrp_uri_unref:
 * @uri: (transfer full): a URI
 *
 * Drops a reference on @uri, freeing it when it was the last one.
 */
void
msrp_uri_unref (MsrpUri *uri)
{
  g_return_if_fail (uri != NULL);

  if (g_atomic_ref_count_dec (&uri->ref_count))
    g_free (uri);
}

static gboolean
host_needs_brackets (const char *host)
{
  return host[0] != '[' && strchr (host, ':') != NULL;
}

/* The canonical text of a URI without its parameters. */
static GString *
format_uri (gboolean    secure,
            const char *userinfo,
            const char *host,
            int         port,
            const char *session_id,
            const char *transport)
{
  GString *s = g_string_sized_new (64);
  gboolean brackets = host_needs_brackets (host);

  g_string_append (s, secure ? "msrps://" : "msrp://");
  if (userinfo != NULL)
    {
      g_string_append (s, userinfo);
      g_string_append_c (s, '@');
    }
  if (brackets)
    g_string_append_c (s, '[');
  g_string_append (s, host);
  if (brackets)
    g_string_append_c (s, ']');
  if (port >= 0)
    g_string_append_printf (s, ":%d", port);
  if (session_id != NULL)
    {
      g_string_append_c (s, '/');
      g_string_append (s, session_id);
    }
  g_string_append_c (s, ';');
  g_string_append (s, transport);
  return s;
}

static void
append_params (GString       *s,
               const MsrpUri *uri)
{
  const char *p = uri->params;

  for (guint i = 0; i < uri->n_params; i++)
    {
      const char *value = p + strlen (p) + 1;

      g_string_append_c (s, ';');
      g_string_append (s, p);
      if (*value != '\0')
        {
          g_string_append_c (s, '=');
          g_string_append (s, value);
        }
      p = value + strlen (value) + 1;
    }
}

/* Parses what a constructor built, so that every MsrpUri, however made,
 * has valid syntax and survives msrp_uri_to_string(). */
static MsrpUri *
uri_new_from_string (GString *s)
{
  g_autoptr(GError) error = NULL;
  MsrpUri *uri = msrp_uri_parse_len (s->str, s->len, &error);

  if (uri == NULL)
    g_critical ("invalid MSRP URI parts: %s", error->message);
  g_string_free (s, TRUE);
  return uri;
}

/**
 * msrp_uri_new:
 * @secure: %TRUE for an `msrps:` URI
 * @host: a host name, IPv4 address or IPv6 address (brackets optional)
 * @port: the port, or -1 for none
 * @session_id: (nullable): the session-id, or %NULL for a relay URI
 * @transport: the transport, usually `tcp`
 *
 * Makes a URI from its parts. The parts must fit RFC 4975's syntax, as
 * the parts of a parsed URI always do.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with a critical
 *   warning if a part is not valid
 */
MsrpUri *
msrp_uri_new (gboolean    secure,
              const char *host,
              int         port,
              const char *session_id,
              const char *transport)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port >= -1 && port <= 65535, NULL);
  g_return_val_if_fail (transport != NULL, NULL);

  return uri_new_from_string (format_uri (secure, NULL, host, port, session_id, transport));
}

static MsrpUri *
uri_new_changed (const MsrpUri *uri,
                 const char    *host,
                 int            port,
                 const char    *session_id)
{
  GString *s = format_uri (uri->secure, uri->userinfo, host, port, session_id, uri->transport);

  append_params (s, uri);
  return uri_new_from_string (s);
}

/**
 * msrp_uri_with_port:
 * @uri: a URI
 * @port: the new port, or -1 for none
 *
 * Makes a copy of @uri with another port, such as the port a listening
 * socket was given for a URI that asked for port 0.
 *
 * Returns: (transfer full): a new URI
 */
MsrpUri *
msrp_uri_with_port (const MsrpUri *uri,
                    int            port)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (port >= -1 && port <= 65535, NULL);

  return uri_new_changed (uri, uri->host, port, uri->session_id);
}

/**
 * msrp_uri_with_host:
 * @uri: a URI
 * @host: the new host name, IPv4 address or IPv6 address (brackets optional)
 *
 * Makes a copy of @uri with another host, such as the address to
 * advertise in place of the one a socket is bound to.
 *
 * Returns: (transfer full) (nullable): a new URI, or %NULL with a critical
 *   warning if @host is not a valid host
 */
MsrpUri *
msrp_uri_with_host (const MsrpUri *uri,
                    const char    *host)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);

  return uri_new_changed (uri, host, uri->port, uri->session_id);
}

/**
 * msrp_uri_with_session_id:
 * @uri: a URI
 * @session_id: (nullable): the new session-id, or %NULL for none
 *
 * Makes a copy of @uri with another session-id, or without one.
 *
 * Returns: (transfer full) (nullable): a new URI, or %NULL with a critical
 *   warning if @session_id is not a valid session-id
 */
MsrpUri *
msrp_uri_with_session_id (const MsrpUri *uri,
                          const char    *session_id)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri_new_changed (uri, uri->host, uri->port, session_id);
}

/**
 * msrp_uri_is_secure:
 * @uri: a URI
 *
 * Whether @uri is an `msrps:` URI, which asks for TLS.
 *
 * Returns: %TRUE for `msrps:`, %FALSE for `msrp:`
 */
gboolean
msrp_uri_is_secure (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);

  return uri->secure;
}

/**
 * msrp_uri_get_scheme:
 * @uri: a URI
 *
 * The scheme of @uri, in lower case.
 *
 * Returns: `msrp` or `msrps`
 */
const char *
msrp_uri_get_scheme (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri->secure ? "msrps" : "msrp";
}

/**
 * msrp_uri_get_userinfo:
 * @uri: a URI
 *
 * The userinfo of @uri as written, still percent-encoded.
 *
 * Returns: (nullable): the userinfo, or %NULL if there is none
 */
const char *
msrp_uri_get_userinfo (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri->userinfo;
}

/**
 * msrp_uri_get_host:
 * @uri: a URI
 *
 * The host of @uri as written; an IPv6 address without its brackets.
 *
 * Returns: the host
 */
const char *
msrp_uri_get_host (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri->host;
}

/**
 * msrp_uri_get_port:
 * @uri: a URI
 *
 * The port of @uri. Port 0 is valid: applications use it to ask for any
 * free port when listening.
 *
 * Returns: the port, or -1 if @uri has none (connect to %MSRP_DEFAULT_PORT)
 */
int
msrp_uri_get_port (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, -1);

  return uri->port;
}

/**
 * msrp_uri_get_session_id:
 * @uri: a URI
 *
 * The session-id of @uri.
 *
 * Returns: (nullable): the session-id, or %NULL for a relay URI
 */
const char *
msrp_uri_get_session_id (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri->session_id;
}

/**
 * msrp_uri_get_transport:
 * @uri: a URI
 *
 * The transport of @uri, in lower case: `tcp`, or `ws`/`wss` (RFC 7977).
 *
 * Returns: the transport
 */
const char *
msrp_uri_get_transport (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, NULL);

  return uri->transport;
}

/**
 * msrp_uri_get_param:
 * @uri: a URI
 * @name: a parameter name, compared without regard to case
 *
 * The value of the first `;name=value` parameter after the transport
 * named @name.
 *
 * Returns: (nullable): the value, the empty string for a parameter
 *   without a value, or %NULL if @uri has no such parameter
 */
const char *
msrp_uri_get_param (const MsrpUri *uri,
                    const char    *name)
{
  const char *p;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  p = uri->params;
  for (guint i = 0; i < uri->n_params; i++)
    {
      const char *value = p + strlen (p) + 1;

      if (g_ascii_strcasecmp (p, name) == 0)
        return value;
      p = value + strlen (value) + 1;
    }
  return NULL;
}

/**
 * msrp_uri_get_params:
 * @uri: a URI
 *
 * The parameters after the transport, in their order, each as `name` or
 * `name=value` (a token never holds `=`).
 *
 * Returns: (transfer full): the parameters; empty when there are none
 */
GStrv
msrp_uri_get_params (const MsrpUri *uri)
{
  GPtrArray *params;
  const char *p;

  g_return_val_if_fail (uri != NULL, NULL);

  params = g_ptr_array_new_full (uri->n_params + 1, NULL);
  p = uri->params;
  for (guint i = 0; i < uri->n_params; i++)
    {
      const char *value = p + strlen (p) + 1;

      g_ptr_array_add (params, *value ? g_strconcat (p, "=", value, NULL) : g_strdup (p));
      p = value + strlen (value) + 1;
    }
  g_ptr_array_add (params, NULL);
  return (GStrv) g_ptr_array_free (params, FALSE);
}

/**
 * msrp_uri_to_string:
 * @uri: a URI
 *
 * Formats @uri in canonical form: lower-case scheme and transport, the
 * host as written (IPv6 in brackets), the port only if @uri has one, and
 * the parameters in their original order.
 *
 * Returns: (transfer full): the URI text
 */
char *
msrp_uri_to_string (const MsrpUri *uri)
{
  GString *s;

  g_return_val_if_fail (uri != NULL, NULL);

  s = format_uri (uri->secure, uri->userinfo, uri->host, uri->port, uri->session_id, uri->transport);
  append_params (s, uri);
  return g_string_free (s, FALSE);
}

/**
 * msrp_uri_equal:
 * @a: a URI
 * @b: another URI
 *
 * Compares two URIs by RFC 4975 §6.1: the schemes must match; host names
 * are compared without regard to case once percent-encoded unreserved
 * characters are decoded, and IP addresses as addresses; a port must match,
 * and a URI with a port never equals one without; session-ids must match
 * exactly, and a URI with one never equals one without; transports are
 * compared without regard to case. Userinfo and parameters are ignored.
 *
 * Returns: %TRUE if @a and @b identify the same resource
 */
gboolean
msrp_uri_equal (const MsrpUri *a,
                const MsrpUri *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (a->hash != b->hash || a->secure != b->secure || a->port != b->port ||
      a->ip_family != b->ip_family || (a->session_id == NULL) != (b->session_id == NULL))
    return FALSE;
  if (a->ip_family != 0 ? memcmp (a->ip, b->ip, sizeof a->ip) != 0
                        : strcmp (a->host_key, b->host_key) != 0)
    return FALSE;
  if (a->session_id != NULL && strcmp (a->session_id, b->session_id) != 0)
    return FALSE;
  return strcmp (a->transport, b->transport) == 0;
}

/**
 * msrp_uri_hash:
 * @uri: a URI
 *
 * A hash of @uri consistent with msrp_uri_equal(), for #GHashTable.
 *
 * Returns: the hash
 */
guint
msrp_uri_hash (const MsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, 0);

  return uri->hash;
}

/**
 * msrp_path_new:
 *
 * Makes an empty path that owns the URIs added to it.
 *
 * Returns: (transfer full) (element-type MsrpUri): an empty array that
 *   unrefs its elements
 */
GPtrArray *
msrp_path_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) msrp_uri_unref);
}

/**
 * msrp_path_parse_len:
 * @text: (array length=length) (element-type guint8): the path text; need
 *   not be nul-terminated when @length is given
 * @length: the length of @text in bytes, or -1 if it is nul-terminated
 * @error: return location for a #GError, or %NULL
 *
 * Parses a path: one or more URIs separated by spaces (a To-Path,
 * From-Path or Use-Path header value, or an SDP `a=path` value). Runs of
 * spaces and tabs, and leading and trailing ones, are tolerated.
 *
 * Returns: (transfer full) (element-type MsrpUri) (nullable): the URIs in
 *   order, or %NULL with @error set to %MSRP_ERROR_INVALID_URI
 */
GPtrArray *
msrp_path_parse_len (const char  *text,
                     gssize       length,
                     GError     **error)
{
  g_autoptr(GPtrArray) path = NULL;
  gsize len, i = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  path = msrp_path_new ();
  for (;;)
    {
      GError *local_error = NULL;
      MsrpUri *uri;
      gsize start;

      while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
      if (i == len)
        break;
      start = i;
      while (i < len && text[i] != ' ' && text[i] != '\t')
        i++;
      uri = msrp_uri_parse_len (text + start, i - start, &local_error);
      if (uri == NULL)
        {
          g_propagate_prefixed_error (error, local_error, "URI %u of path: ", path->len + 1);
          return NULL;
        }
      g_ptr_array_add (path, uri);
    }

  if (path->len == 0)
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI, "empty path");
      return NULL;
    }
  return g_steal_pointer (&path);
}

/**
 * msrp_path_parse:
 * @text: a nul-terminated path
 * @error: return location for a #GError, or %NULL
 *
 * Parses a space-separated list of URIs; see msrp_path_parse_len().
 *
 * Returns: (transfer full) (element-type MsrpUri) (nullable): the URIs in
 *   order, or %NULL with @error set to %MSRP_ERROR_INVALID_URI
 */
GPtrArray *
msrp_path_parse (const char  *text,
                 GError     **error)
{
  return msrp_path_parse_len (text, -1, error);
}

/**
 * msrp_path_to_string:
 * @path: (element-type MsrpUri): a path
 *
 * Formats @path as its URIs in canonical form, separated by single spaces.
 *
 * Returns: (transfer full): the path text; empty for an empty path
 */
char *
msrp_path_to_string (GPtrArray *path)
{
  GString *s;

  g_return_val_if_fail (path != NULL, NULL);

  s = g_string_sized_new (80 * path->len + 1);
  for (guint i = 0; i < path->len; i++)
    {
      g_autofree char *text = msrp_uri_to_string (g_ptr_array_index (path, i));

      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, text);
    }
  return g_string_free (s, FALSE);
}

/**
 * msrp_path_equal:
 * @a: (element-type MsrpUri): a path
 * @b: (element-type MsrpUri): another path
 *
 * Compares two paths URI by URI with msrp_uri_equal().
 *
 * Returns: %TRUE if the paths have the same length and equal URIs
 */
gboolean
msrp_path_equal (GPtrArray *a,
                 GPtrArray *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!msrp_uri_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}
