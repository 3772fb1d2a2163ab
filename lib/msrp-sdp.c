/* msrp-sdp.c: the SDP m=message media section of an MSRP session
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "msrp-enums.h"
#include "msrp-error.h"
#include "msrp-sdp.h"
#include "msrp-uri.h"
#include "msrp-frame-private.h"
#include "msrp-string-private.h"

/* Longest piece of peer text quoted in an error message. */
#define EXCERPT_MAX 60

static const char * const setup_names[] = {
  [MSRP_SDP_SETUP_NONE] = NULL,
  [MSRP_SDP_SETUP_ACTIVE] = "active",
  [MSRP_SDP_SETUP_PASSIVE] = "passive",
  [MSRP_SDP_SETUP_ACTPASS] = "actpass",
  [MSRP_SDP_SETUP_HOLDCONN] = "holdconn",
};

static const char * const direction_names[] = {
  [MSRP_SDP_DIRECTION_SENDRECV] = "sendrecv",
  [MSRP_SDP_DIRECTION_SENDONLY] = "sendonly",
  [MSRP_SDP_DIRECTION_RECVONLY] = "recvonly",
  [MSRP_SDP_DIRECTION_INACTIVE] = "inactive",
};

/* The m= protocols of MSRP; the secure ones are at odd indices, each
 * right after its plain counterpart. */
static const char * const protocols[] = {
  MSRP_SDP_PROTOCOL_TCP, MSRP_SDP_PROTOCOL_TLS,
  MSRP_SDP_PROTOCOL_WS, MSRP_SDP_PROTOCOL_WSS,
};

static const char * const no_strings[] = { NULL };

/* ---- lexical helpers ---------------------------------------------------- */

/* token-char of RFC 4566 §9 */
static gboolean
is_token_char (guchar c)
{
  return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B ||
         c == 0x2D || c == 0x2E || (c >= 0x30 && c <= 0x39) ||
         (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
}

static gboolean
is_token (const char *s, gsize len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!is_token_char (s[i]))
      return FALSE;
  return TRUE;
}

/* A language tag (RFC 5646 §2.1 in outline, as RFC 4566 §6 a=lang takes
 * it): subtags of 1 to 8 letters or digits joined by hyphens, the first
 * of letters only. */
static gboolean
is_language_tag (const char *s)
{
  gsize n = 0;
  gboolean first = TRUE;

  for (;; s++)
    {
      if (*s == '-' || *s == '\0')
        {
          if (n == 0 || n > 8)
            return FALSE;
          if (*s == '\0')
            return TRUE;
          n = 0;
          first = FALSE;
        }
      else if (g_ascii_isalpha (*s) || (!first && g_ascii_isdigit (*s)))
        n++;
      else
        return FALSE;
    }
}

static gboolean
is_blank (char c)
{
  return c == ' ' || c == '\t';
}

/* Text that may stand in one SDP line: UTF-8 without line breaks. */
static gboolean
is_line_text (const char *s)
{
  return s != NULL && g_utf8_validate (s, -1, NULL) && strpbrk (s, "\r\n") == NULL;
}

/* An accept-types entry (RFC 4975 §8.6 format-entry): `*`, or
 * type "/" subtype (either may be `*`, a token char), with parameters
 * after `;` tolerated. */
static gboolean
is_media_type (const char *s, gsize len)
{
  const char *slash, *end, *semi;

  if (len == 1 && s[0] == '*')
    return TRUE;
  end = s + len;
  slash = memchr (s, '/', len);
  if (slash == NULL || !is_token (s, slash - s))
    return FALSE;
  semi = memchr (slash + 1, ';', end - (slash + 1));
  if (semi == NULL)
    semi = end;
  if (!is_token (slash + 1, semi - (slash + 1)))
    return FALSE;
  for (const char *p = semi; p < end; p++)
    if ((guchar) *p <= ' ' || *p == 0x7F)
      return FALSE;
  return TRUE;
}

static char *
excerpt (const char *s, gsize len)
{
  gsize n = MIN (len, EXCERPT_MAX);

  /* Input is valid UTF-8 by now: cut on a character boundary. */
  while (n < len && n > 0 && ((guchar) s[n] & 0xC0) == 0x80)
    n--;
  return g_strdup_printf ("“%.*s%s”", (int) n, s, n < len ? "…" : "");
}

static gboolean line_error (GError     **error,
                            guint        line,
                            const char  *format,
                            ...) G_GNUC_PRINTF (3, 4);

static gboolean
line_error (GError     **error,
            guint        line,
            const char  *format,
            ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP, "SDP line %u: %s", line, what);
  return FALSE;
}

/* Parses 1*DIGIT into [0, max]. */
static gboolean
parse_number (const char *s, gsize len, gint64 max, gint64 *out)
{
  guint64 v = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
      if (v > (guint64) max)
        return FALSE;
    }
  *out = (gint64) v;
  return TRUE;
}

/* Appends `HH:HH:…` (RFC 8122 fingerprint, RFC 5547 hash-value) to @out in
 * upper case; lower-case digits are accepted. */
static gboolean
append_hex_pairs (GString *out, const char *s, gsize len)
{
  if (len < 2 || (len + 1) % 3 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i += 3)
    {
      if (!g_ascii_isxdigit (s[i]) || !g_ascii_isxdigit (s[i + 1]))
        return FALSE;
      if (i + 2 < len && s[i + 2] != ':')
        return FALSE;
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (s[i]));
      g_string_append_c (out, g_ascii_toupper (s[i + 1]));
    }
  return TRUE;
}

/* RFC 8122 §5: hash-func SP fingerprint. Hash names are compared without
 * case, so they are kept in lower case; `sha1` stays `sha1`. */
static char *
normalize_fingerprint (const char *s, gsize len)
{
  const char *sp = memchr (s, ' ', len);
  GString *out;

  if (sp == NULL || !is_token (s, sp - s))
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = s; p < sp; p++)
    g_string_append_c (out, g_ascii_tolower (*p));
  g_string_append_c (out, ' ');
  if (!append_hex_pairs (out, sp + 1, s + len - (sp + 1)))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* RFC 5547 hash-selector value: hash-algorithm ":" hash-value. sipsimple
 * once wrote `sha1:`; it means `sha-1`, the only algorithm RFC 5547 names. */
static char *
normalize_file_hash (const char *s, gsize len)
{
  const char *colon = memchr (s, ':', len);
  g_autofree char *algorithm = NULL;
  GString *out;

  if (colon == NULL || !is_token (s, colon - s))
    return NULL;
  algorithm = g_ascii_strdown (s, colon - s);
  out = g_string_new (strcmp (algorithm, "sha1") == 0 ? "sha-1" : algorithm);
  g_string_append_c (out, ':');
  if (!append_hex_pairs (out, colon + 1, s + len - (colon + 1)))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* Where the item starting at @s ends: at the first space or tab outside
 * double quotes. Inside quotes a backslash escapes the next character
 * (peers write `\"` in file names). -1 when a quote is left open. */
static gssize
scan_item (const char *s, gsize len)
{
  gboolean quoted = FALSE;
  gsize i;

  for (i = 0; i < len; i++)
    {
      if (quoted && s[i] == '\\' && i + 1 < len)
        i++;
      else if (s[i] == '"')
        quoted = !quoted;
      else if (!quoted && is_blank (s[i]))
        break;
    }
  return quoted ? -1 : (gssize) i;
}

/* Splits a file-selector or file-date value into its space-separated items. */
static GPtrArray *
split_items (const char *s, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  gsize len = strlen (s), i = 0;

  while (i < len)
    {
      gssize n;

      if (is_blank (s[i]))
        {
          i++;
          continue;
        }
      n = scan_item (s + i, len - i);
      if (n < 0)
        {
          g_autofree char *quoted = excerpt (s + i, len - i);

          g_set_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP,
                       "unterminated quoted string in %s", quoted);
          return NULL;
        }
      g_ptr_array_add (items, g_strndup (s + i, n));
      i += n;
    }
  return g_steal_pointer (&items);
}

/* ---- MsrpFileSelector ------------------------------------------------------ */

struct _MsrpFileSelector
{
  gatomicrefcount ref_count;
  gint64 size;             /* -1 when absent */
  char *name;              /* decoded */
  char *type;              /* with its parameters, as written */
  char *hash;              /* normalized, `sha-1:AB:…` */
};

G_DEFINE_BOXED_TYPE (MsrpFileSelector, msrp_file_selector,
                     msrp_file_selector_ref, msrp_file_selector_unref)

/* A filetype-selector value: type "/" subtype *(";" ft-parameter), which
 * must stay one item when written back. */
static gboolean
is_file_type (const char *s)
{
  gsize len = strlen (s);
  const char *slash = strchr (s, '/');
  const char *end;

  if (!is_line_text (s) || slash == NULL || !is_token (s, slash - s))
    return FALSE;
  end = strchr (slash, ';');
  if (end == NULL)
    end = s + len;
  return is_token (slash + 1, end - (slash + 1)) && scan_item (s, len) == (gssize) len;
}

static MsrpFileSelector *
file_selector_new_take (char *name, char *type, gint64 size, char *hash)
{
  MsrpFileSelector *selector = g_new0 (MsrpFileSelector, 1);

  g_atomic_ref_count_init (&selector->ref_count);
  selector->name = name;
  selector->type = type;
  selector->size = size;
  selector->hash = hash;
  return selector;
}

/**
 * msrp_file_selector_new:
 * @name: (nullable): the file name (any UTF-8 text; it is percent-encoded
 *   where RFC 5547 requires when written)
 * @type: (nullable): the media type with its parameters, such as
 *   `image/jpeg` or `text/plain;charset="UTF-8"`
 * @size: the size in bytes, or -1 when not given
 * @hash: (nullable): the hash as `algorithm:HH:HH:…`, such as
 *   `sha-1:72:24:5F:…`; `sha1:` is taken as `sha-1:` and hex digits are
 *   upper-cased
 *
 * Makes a file selector.
 *
 * Returns: (transfer full): the selector
 */
MsrpFileSelector *
msrp_file_selector_new (const char *name,
                        const char *type,
                        gint64      size,
                        const char *hash)
{
  char *normalized_hash = NULL;

  g_return_val_if_fail (name == NULL || (*name != '\0' && g_utf8_validate (name, -1, NULL)), NULL);
  g_return_val_if_fail (type == NULL || is_file_type (type), NULL);
  g_return_val_if_fail (size >= -1, NULL);
  if (hash != NULL)
    {
      normalized_hash = normalize_file_hash (hash, strlen (hash));
      g_return_val_if_fail (normalized_hash != NULL, NULL);
    }
  return file_selector_new_take (g_strdup (name), g_strdup (type), size, normalized_hash);
}

/* The inside of `name:"…"`: percent-decoded (RFC 5547 §6), with `\"` and
 * `\\` unescaped for peers that escape instead. */
static char *
decode_file_name (const char *s, gsize len, GError **error)
{
  g_autoptr(GString) out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '\\' && i + 1 < len && (s[i + 1] == '"' || s[i + 1] == '\\'))
        g_string_append_c (out, s[++i]);
      else if (s[i] == '%' && i + 2 < len && g_ascii_isxdigit (s[i + 1]) && g_ascii_isxdigit (s[i + 2]))
        {
          char c = (char) (g_ascii_xdigit_value (s[i + 1]) * 16 + g_ascii_xdigit_value (s[i + 2]));

          if (c == '\0')
            {
              g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP, "file name contains %00");
              return NULL;
            }
          g_string_append_c (out, c);
          i += 2;
        }
      else if (s[i] == '"')
        {
          g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP, "unescaped quote in file name");
          return NULL;
        }
      else
        g_string_append_c (out, s[i]);
    }
  if (out->len == 0 || !g_utf8_validate (out->str, out->len, NULL))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP,
                           out->len == 0 ? "empty file name" : "file name is not UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
selector_error (GError **error, const char *what, const char *item)
{
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP, "bad %s in %s", what, item);
  return FALSE;
}

/* One item of a file-selector; unknown items (extensions) are skipped. */
static gboolean
parse_selector_item (const char  *item,
                     char       **name,
                     char       **type,
                     gint64      *size,
                     char       **hash,
                     GError     **error)
{
  gsize len = strlen (item);

  if (g_str_has_prefix (item, "name:"))
    {
      if (len < 7 || item[5] != '"' || item[len - 1] != '"')
        return selector_error (error, "file name", item);
      g_free (*name);
      *name = decode_file_name (item + 6, len - 7, error);
      return *name != NULL;
    }
  if (g_str_has_prefix (item, "type:"))
    {
      if (!is_file_type (item + 5))
        return selector_error (error, "media type", item);
      g_free (*type);
      *type = g_strdup (item + 5);
    }
  else if (g_str_has_prefix (item, "size:"))
    {
      if (!parse_number (item + 5, len - 5, G_MAXINT64, size))
        return selector_error (error, "size", item);
    }
  else if (g_str_has_prefix (item, "hash:"))
    {
      g_free (*hash);
      *hash = normalize_file_hash (item + 5, len - 5);
      if (*hash == NULL)
        return selector_error (error, "hash", item);
    }
  return TRUE;
}

/**
 * msrp_file_selector_parse:
 * @text: the value of an `a=file-selector` attribute (after the colon);
 *   may be empty
 * @error: return location for a #GError, or %NULL
 *
 * Parses a file selector (RFC 5547 §6): space-separated `name:"…"`,
 * `type:…`, `size:…` and `hash:…` items in any order; unknown items are
 * skipped. Tolerated: `\"` inside the name, the legacy `sha1:` hash
 * prefix of sipsimple, and hex digits in lower case.
 *
 * Returns: (transfer full) (nullable): the selector, or %NULL with @error
 *   set to %MSRP_ERROR_INVALID_SDP
 */
MsrpFileSelector *
msrp_file_selector_parse (const char  *text,
                          GError     **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *hash = NULL;
  gint64 size = -1;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  items = split_items (text, error);
  if (items == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    if (!parse_selector_item (g_ptr_array_index (items, i), &name, &type, &size, &hash, error))
      return NULL;
  return file_selector_new_take (g_steal_pointer (&name), g_steal_pointer (&type), size,
                                 g_steal_pointer (&hash));
}

/**
 * msrp_file_selector_ref:
 * @selector: a file selector
 *
 * Takes a reference on @selector.
 *
 * Returns: (transfer full): @selector
 */
MsrpFileSelector *
msrp_file_selector_ref (MsrpFileSelector *selector)
{
  g_return_val_if_fail (selector != NULL, NULL);

  g_atomic_ref_count_inc (&selector->ref_count);
  return selector;
}

/**
 * msrp_file_selector_unref:
 * @selector: (transfer full): a file selector
 *
 * Drops a reference on @selector, freeing it when it was the last one.
 */
void
msrp_file_selector_unref (MsrpFileSelector *selector)
{
  g_return_if_fail (selector != NULL);

  if (!g_atomic_ref_count_dec (&selector->ref_count))
    return;
  g_free (selector->name);
  g_free (selector->type);
  g_free (selector->hash);
  g_free (selector);
}

/**
 * msrp_file_selector_get_name:
 * @selector: a file selector
 *
 * The file name, decoded.
 *
 * Returns: (nullable): the name, or %NULL when not given
 */
const char *
msrp_file_selector_get_name (const MsrpFileSelector *selector)
{
  g_return_val_if_fail (selector != NULL, NULL);

  return selector->name;
}

/**
 * msrp_file_selector_get_media_type:
 * @selector: a file selector
 *
 * The media type of the file with its parameters, as written.
 *
 * Returns: (nullable): the type, or %NULL when not given
 */
const char *
msrp_file_selector_get_media_type (const MsrpFileSelector *selector)
{
  g_return_val_if_fail (selector != NULL, NULL);

  return selector->type;
}

/**
 * msrp_file_selector_get_size:
 * @selector: a file selector
 *
 * The size of the file in bytes.
 *
 * Returns: the size, or -1 when not given
 */
gint64
msrp_file_selector_get_size (const MsrpFileSelector *selector)
{
  g_return_val_if_fail (selector != NULL, -1);

  return selector->size;
}

/**
 * msrp_file_selector_get_hash:
 * @selector: a file selector
 *
 * The hash of the file as `algorithm:HH:HH:…` in upper case, such as
 * `sha-1:72:24:5F:…`.
 *
 * Returns: (nullable): the hash, or %NULL when not given
 */
const char *
msrp_file_selector_get_hash (const MsrpFileSelector *selector)
{
  g_return_val_if_fail (selector != NULL, NULL);

  return selector->hash;
}

/**
 * msrp_file_selector_to_string:
 * @selector: a file selector
 *
 * Formats @selector as an `a=file-selector` value: `name:"…" type:…
 * size:… hash:…`, leaving out the parts not given. In the name, quotes,
 * percent signs, backslashes and control characters are percent-encoded.
 *
 * Returns: (transfer full): the value; empty when no part is given
 */
char *
msrp_file_selector_to_string (const MsrpFileSelector *selector)
{
  GString *s;

  g_return_val_if_fail (selector != NULL, NULL);

  s = g_string_new (NULL);
  if (selector->name != NULL)
    {
      g_string_append (s, "name:\"");
      for (const guchar *p = (const guchar *) selector->name; *p != '\0'; p++)
        {
          if (*p < 0x20 || *p == 0x7F || *p == '"' || *p == '%' || *p == '\\')
            g_string_append_printf (s, "%%%02X", *p);
          else
            g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  if (selector->type != NULL)
    g_string_append_printf (s, "%stype:%s", s->len > 0 ? " " : "", selector->type);
  if (selector->size >= 0)
    g_string_append_printf (s, "%ssize:%" G_GINT64_FORMAT, s->len > 0 ? " " : "", selector->size);
  if (selector->hash != NULL)
    g_string_append_printf (s, "%shash:%s", s->len > 0 ? " " : "", selector->hash);
  return g_string_free (s, FALSE);
}

/**
 * msrp_file_selector_equal:
 * @a: (nullable): a file selector
 * @b: (nullable): another file selector
 *
 * Compares every part of two selectors, the name and type exactly (RFC 5547
 * §8 matches an answer's selector to the offer's).
 *
 * Returns: %TRUE if both are %NULL or all their parts are equal
 */
gboolean
msrp_file_selector_equal (const MsrpFileSelector *a,
                          const MsrpFileSelector *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->size == b->size && g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->type, b->type) == 0 && g_strcmp0 (a->hash, b->hash) == 0;
}

/* ---- MsrpSdpMedia ---------------------------------------------------------- */

/**
 * MsrpSdpMedia:
 *
 * One `m=message` media section of an SDP offer or answer for an MSRP
 * session (RFC 4975 §8): where to reach the endpoint (`a=path`), what it
 * accepts, how to connect (RFC 6135 `a=setup`, RFC 8122 `a=fingerprint`,
 * RFC 6714 `a=msrp-cema`) and, for file transfer, RFC 5547's attributes.
 *
 * Parse a peer's SDP with msrp_sdp_media_parse(), build ours with
 * msrp_sdp_media_new() and the setters, and write it with
 * msrp_sdp_media_to_string(). Attributes it does not know are kept in
 * order and written back.
 */
struct _MsrpSdpMedia
{
  GObject parent_instance;

  guint port;
  const char *protocol;            /* one of protocols[] */
  GPtrArray *path;                 /* of MsrpUri; never NULL */
  GStrv accept_types;              /* NULL when unset */
  GStrv accept_wrapped_types;      /* NULL when unset */
  GStrv languages;                 /* a=lang, most important first; NULL when none */
  gint64 max_size;                 /* -1 when absent */
  MsrpSdpSetup setup;
  char *fingerprint;
  gboolean cema;
  MsrpSdpDirection direction;
  MsrpFileSelector *file_selector;
  char *file_transfer_id;
  char *file_disposition;
  char *file_dates[3];             /* creation, modification, read */
  char *file_icon;
  gint64 file_range_start;         /* 0 when absent */
  gint64 file_range_stop;          /* -1 for `*` */
  GPtrArray *extra;                /* "name[:value]" strings, NULL-terminated */
};

enum {
  PROP_0,
  PROP_PORT,
  PROP_PROTOCOL,
  PROP_SECURE,
  PROP_PATH,
  PROP_ACCEPT_TYPES,
  PROP_ACCEPT_WRAPPED_TYPES,
  PROP_LANGUAGES,
  PROP_MAX_SIZE,
  PROP_SETUP,
  PROP_FINGERPRINT,
  PROP_CEMA,
  PROP_DIRECTION,
  PROP_FILE_SELECTOR,
  PROP_FILE_TRANSFER_ID,
  PROP_FILE_DISPOSITION,
  PROP_FILE_CREATION_DATE,
  PROP_FILE_MODIFICATION_DATE,
  PROP_FILE_READ_DATE,
  PROP_FILE_ICON,
  PROP_FILE_RANGE_START,
  PROP_FILE_RANGE_STOP,
  PROP_EXTRA_ATTRIBUTES,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The file-date parameters (RFC 5547 §6), in file_dates[] order. */
static const char * const date_names[] = { "creation", "modification", "read" };
static const int date_props[] = {
  PROP_FILE_CREATION_DATE, PROP_FILE_MODIFICATION_DATE, PROP_FILE_READ_DATE
};

G_DEFINE_FINAL_TYPE (MsrpSdpMedia, msrp_sdp_media, G_TYPE_OBJECT)

/* A NULL-terminated GPtrArray leaves pdata NULL until something is added. */
static const char * const *
extra_attributes (MsrpSdpMedia *media)
{
  return media->extra->pdata != NULL ? (const char * const *) media->extra->pdata : no_strings;
}

static void
msrp_sdp_media_finalize (GObject *object)
{
  MsrpSdpMedia *self = MSRP_SDP_MEDIA (object);

  g_ptr_array_unref (self->path);
  g_strfreev (self->accept_types);
  g_strfreev (self->accept_wrapped_types);
  g_strfreev (self->languages);
  g_free (self->fingerprint);
  g_clear_pointer (&self->file_selector, msrp_file_selector_unref);
  g_free (self->file_transfer_id);
  g_free (self->file_disposition);
  for (guint i = 0; i < G_N_ELEMENTS (self->file_dates); i++)
    g_free (self->file_dates[i]);
  g_free (self->file_icon);
  g_ptr_array_unref (self->extra);

  G_OBJECT_CLASS (msrp_sdp_media_parent_class)->finalize (object);
}

static void
msrp_sdp_media_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MsrpSdpMedia *self = MSRP_SDP_MEDIA (object);

  switch (prop_id)
    {
    case PROP_PORT: g_value_set_uint (value, self->port); break;
    case PROP_PROTOCOL: g_value_set_string (value, self->protocol); break;
    case PROP_SECURE: g_value_set_boolean (value, msrp_sdp_media_get_secure (self)); break;
    case PROP_PATH: g_value_set_boxed (value, self->path); break;
    case PROP_ACCEPT_TYPES: g_value_set_boxed (value, self->accept_types); break;
    case PROP_ACCEPT_WRAPPED_TYPES: g_value_set_boxed (value, self->accept_wrapped_types); break;
    case PROP_LANGUAGES: g_value_set_boxed (value, self->languages); break;
    case PROP_MAX_SIZE: g_value_set_int64 (value, self->max_size); break;
    case PROP_SETUP: g_value_set_enum (value, self->setup); break;
    case PROP_FINGERPRINT: g_value_set_string (value, self->fingerprint); break;
    case PROP_CEMA: g_value_set_boolean (value, self->cema); break;
    case PROP_DIRECTION: g_value_set_enum (value, self->direction); break;
    case PROP_FILE_SELECTOR: g_value_set_boxed (value, self->file_selector); break;
    case PROP_FILE_TRANSFER_ID: g_value_set_string (value, self->file_transfer_id); break;
    case PROP_FILE_DISPOSITION: g_value_set_string (value, self->file_disposition); break;
    case PROP_FILE_CREATION_DATE: g_value_set_string (value, self->file_dates[0]); break;
    case PROP_FILE_MODIFICATION_DATE: g_value_set_string (value, self->file_dates[1]); break;
    case PROP_FILE_READ_DATE: g_value_set_string (value, self->file_dates[2]); break;
    case PROP_FILE_ICON: g_value_set_string (value, self->file_icon); break;
    case PROP_FILE_RANGE_START: g_value_set_int64 (value, self->file_range_start); break;
    case PROP_FILE_RANGE_STOP: g_value_set_int64 (value, self->file_range_stop); break;
    case PROP_EXTRA_ATTRIBUTES: g_value_set_boxed (value, extra_attributes (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msrp_sdp_media_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MsrpSdpMedia *self = MSRP_SDP_MEDIA (object);

  switch (prop_id)
    {
    case PROP_PORT: msrp_sdp_media_set_port (self, g_value_get_uint (value)); break;
    case PROP_PROTOCOL: msrp_sdp_media_set_protocol (self, g_value_get_string (value)); break;
    case PROP_SECURE: msrp_sdp_media_set_secure (self, g_value_get_boolean (value)); break;
    case PROP_PATH: msrp_sdp_media_set_path (self, g_value_get_boxed (value)); break;
    case PROP_ACCEPT_TYPES: msrp_sdp_media_set_accept_types (self, g_value_get_boxed (value)); break;
    case PROP_ACCEPT_WRAPPED_TYPES: msrp_sdp_media_set_accept_wrapped_types (self, g_value_get_boxed (value)); break;
    case PROP_LANGUAGES: msrp_sdp_media_set_languages (self, g_value_get_boxed (value)); break;
    case PROP_MAX_SIZE: msrp_sdp_media_set_max_size (self, g_value_get_int64 (value)); break;
    case PROP_SETUP: msrp_sdp_media_set_setup (self, g_value_get_enum (value)); break;
    case PROP_FINGERPRINT: msrp_sdp_media_set_fingerprint (self, g_value_get_string (value)); break;
    case PROP_CEMA: msrp_sdp_media_set_cema (self, g_value_get_boolean (value)); break;
    case PROP_DIRECTION: msrp_sdp_media_set_direction (self, g_value_get_enum (value)); break;
    case PROP_FILE_SELECTOR: msrp_sdp_media_set_file_selector (self, g_value_get_boxed (value)); break;
    case PROP_FILE_TRANSFER_ID: msrp_sdp_media_set_file_transfer_id (self, g_value_get_string (value)); break;
    case PROP_FILE_DISPOSITION: msrp_sdp_media_set_file_disposition (self, g_value_get_string (value)); break;
    case PROP_FILE_CREATION_DATE: msrp_sdp_media_set_file_creation_date (self, g_value_get_string (value)); break;
    case PROP_FILE_MODIFICATION_DATE: msrp_sdp_media_set_file_modification_date (self, g_value_get_string (value)); break;
    case PROP_FILE_READ_DATE: msrp_sdp_media_set_file_read_date (self, g_value_get_string (value)); break;
    case PROP_FILE_ICON: msrp_sdp_media_set_file_icon (self, g_value_get_string (value)); break;
    case PROP_EXTRA_ATTRIBUTES: msrp_sdp_media_set_extra_attributes (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_param (const char *name, const char *nick)
{
  return g_param_spec_string (name, nick, NULL, NULL,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
msrp_sdp_media_class_init (MsrpSdpMediaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = msrp_sdp_media_finalize;
  object_class->get_property = msrp_sdp_media_get_property;
  object_class->set_property = msrp_sdp_media_set_property;

  /**
   * MsrpSdpMedia:port:
   *
   * The port of the `m=` line. MSRP connects to the `a=path` URI, not to
   * this port (RFC 4975 §8); 9 (discard) is usual for an active endpoint.
   */
  props[PROP_PORT] = g_param_spec_uint ("port", "Port", NULL, 0, 65535, 9, rw);
  /**
   * MsrpSdpMedia:protocol:
   *
   * The `m=` protocol: %MSRP_SDP_PROTOCOL_TCP, %MSRP_SDP_PROTOCOL_TLS,
   * %MSRP_SDP_PROTOCOL_WS or %MSRP_SDP_PROTOCOL_WSS.
   */
  props[PROP_PROTOCOL] = g_param_spec_string ("protocol", "Protocol", NULL, MSRP_SDP_PROTOCOL_TCP, rw);
  /**
   * MsrpSdpMedia:secure:
   *
   * Whether the protocol runs over TLS (`TCP/TLS/MSRP`, `TCP/WSS/MSRP`).
   * Setting it switches between `TCP/MSRP` and `TCP/TLS/MSRP` (or between
   * the WebSocket pair).
   */
  props[PROP_SECURE] = g_param_spec_boolean ("secure", "Secure", NULL, FALSE, rw);
  /**
   * MsrpSdpMedia:path: (type GPtrArray(MsrpUri))
   *
   * The `a=path` URIs, the endpoint's own URI last (RFC 4975 §8.2).
   */
  props[PROP_PATH] = g_param_spec_boxed ("path", "Path", NULL, G_TYPE_PTR_ARRAY, rw);
  /**
   * MsrpSdpMedia:accept-types:
   *
   * The media types of `a=accept-types`, %NULL when unset (`*` is written
   * then).
   */
  props[PROP_ACCEPT_TYPES] = g_param_spec_boxed ("accept-types", "Accept types", NULL, G_TYPE_STRV, rw);
  /**
   * MsrpSdpMedia:accept-wrapped-types:
   *
   * The media types of `a=accept-wrapped-types`, or %NULL.
   */
  props[PROP_ACCEPT_WRAPPED_TYPES] =
    g_param_spec_boxed ("accept-wrapped-types", "Accept wrapped types", NULL, G_TYPE_STRV, rw);
  /**
   * MsrpSdpMedia:languages:
   *
   * The language tags of the `a=lang` lines (RFC 4566 §6), most important
   * first, or %NULL. Session-level `a=lang` lines apply to a media section
   * that has none of its own.
   */
  props[PROP_LANGUAGES] = g_param_spec_boxed ("languages", "Languages", NULL, G_TYPE_STRV, rw);
  /**
   * MsrpSdpMedia:max-size:
   *
   * `a=max-size`, the largest message the endpoint wants, or -1.
   */
  props[PROP_MAX_SIZE] = g_param_spec_int64 ("max-size", "Max size", NULL, -1, G_MAXINT64, -1, rw);
  /**
   * MsrpSdpMedia:setup:
   *
   * The `a=setup` role (RFC 6135).
   */
  props[PROP_SETUP] = g_param_spec_enum ("setup", "Setup", NULL, MSRP_TYPE_SDP_SETUP,
                                         MSRP_SDP_SETUP_NONE, rw);
  /**
   * MsrpSdpMedia:fingerprint:
   *
   * The first `a=fingerprint` (RFC 8122) as `hash-function HH:HH:…`, the
   * function in lower case and the digits in upper case, or %NULL.
   */
  props[PROP_FINGERPRINT] = string_param ("fingerprint", "Fingerprint");
  /**
   * MsrpSdpMedia:cema:
   *
   * Whether the endpoint supports CEMA (RFC 6714 `a=msrp-cema`).
   */
  props[PROP_CEMA] = g_param_spec_boolean ("cema", "CEMA", NULL, FALSE, rw);
  /**
   * MsrpSdpMedia:direction:
   *
   * The direction attribute.
   */
  props[PROP_DIRECTION] = g_param_spec_enum ("direction", "Direction", NULL, MSRP_TYPE_SDP_DIRECTION,
                                             MSRP_SDP_DIRECTION_SENDRECV, rw);
  /**
   * MsrpSdpMedia:file-selector:
   *
   * The RFC 5547 `a=file-selector`, or %NULL.
   */
  props[PROP_FILE_SELECTOR] = g_param_spec_boxed ("file-selector", "File selector", NULL,
                                                  MSRP_TYPE_FILE_SELECTOR, rw);
  /**
   * MsrpSdpMedia:file-transfer-id:
   *
   * The RFC 5547 `a=file-transfer-id` token, or %NULL.
   */
  props[PROP_FILE_TRANSFER_ID] = string_param ("file-transfer-id", "File transfer id");
  /**
   * MsrpSdpMedia:file-disposition:
   *
   * The RFC 5547 `a=file-disposition` token (`render`, `attachment`, …),
   * or %NULL.
   */
  props[PROP_FILE_DISPOSITION] = string_param ("file-disposition", "File disposition");
  /**
   * MsrpSdpMedia:file-creation-date:
   *
   * The `creation` date of `a=file-date`, an RFC 5322 date-time as
   * written, or %NULL.
   */
  props[PROP_FILE_CREATION_DATE] = string_param ("file-creation-date", "File creation date");
  /**
   * MsrpSdpMedia:file-modification-date:
   *
   * The `modification` date of `a=file-date`, or %NULL.
   */
  props[PROP_FILE_MODIFICATION_DATE] = string_param ("file-modification-date", "File modification date");
  /**
   * MsrpSdpMedia:file-read-date:
   *
   * The `read` date of `a=file-date`, or %NULL.
   */
  props[PROP_FILE_READ_DATE] = string_param ("file-read-date", "File read date");
  /**
   * MsrpSdpMedia:file-icon:
   *
   * The RFC 5547 `a=file-icon` (a `cid:` URL), or %NULL.
   */
  props[PROP_FILE_ICON] = string_param ("file-icon", "File icon");
  /**
   * MsrpSdpMedia:file-range-start:
   *
   * The first byte (from 1) of `a=file-range`, or 0 when absent. Set with
   * msrp_sdp_media_set_file_range().
   */
  props[PROP_FILE_RANGE_START] = g_param_spec_int64 ("file-range-start", "File range start", NULL,
                                                     0, G_MAXINT64, 0, ro);
  /**
   * MsrpSdpMedia:file-range-stop:
   *
   * The last byte of `a=file-range`, or -1 for `*` (up to the end).
   */
  props[PROP_FILE_RANGE_STOP] = g_param_spec_int64 ("file-range-stop", "File range stop", NULL,
                                                    -1, G_MAXINT64, -1, ro);
  /**
   * MsrpSdpMedia:extra-attributes:
   *
   * The attributes not otherwise known, in order, each as written after
   * `a=` (`name` or `name:value`). Fingerprints after the first are here.
   */
  props[PROP_EXTRA_ATTRIBUTES] = g_param_spec_boxed ("extra-attributes", "Extra attributes", NULL,
                                                     G_TYPE_STRV, rw);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
msrp_sdp_media_init (MsrpSdpMedia *self)
{
  self->port = 9;
  self->protocol = MSRP_SDP_PROTOCOL_TCP;
  self->path = msrp_path_new ();
  self->max_size = -1;
  self->file_range_stop = -1;
  self->extra = g_ptr_array_new_null_terminated (0, g_free, TRUE);
}

/**
 * msrp_sdp_media_new:
 *
 * Makes a media section with the defaults: port 9, `TCP/MSRP`, no path,
 * accept-types unset (written as `*`), `sendrecv`.
 *
 * Returns: (transfer full): the media section
 */
MsrpSdpMedia *
msrp_sdp_media_new (void)
{
  return g_object_new (MSRP_TYPE_SDP_MEDIA, NULL);
}

/* ---- setters --------------------------------------------------------------- */

static void
replace_string (MsrpSdpMedia *self, char **field, const char *value, int prop)
{
  if (msrp_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

static gboolean
strv_equal (const char * const *a, const char * const *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strv_equal (a, b);
}

/* An empty list is stored as NULL (unset). */
static void
replace_strv (MsrpSdpMedia *self, GStrv *field, const char * const *value, int prop)
{
  if (value != NULL && value[0] == NULL)
    value = NULL;
  if (strv_equal ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

static gboolean
are_media_types (const char * const *types)
{
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    if (!is_media_type (types[i], strlen (types[i])))
      return FALSE;
  return TRUE;
}

/**
 * msrp_sdp_media_get_port:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:port].
 *
 * Returns: the port of the `m=` line
 */
guint
msrp_sdp_media_get_port (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), 0);

  return media->port;
}

/**
 * msrp_sdp_media_set_port:
 * @media: a media section
 * @port: the port of the `m=` line, at most 65535
 *
 * Sets [property@Msrp.SdpMedia:port].
 */
void
msrp_sdp_media_set_port (MsrpSdpMedia *media,
                         guint         port)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (port <= 65535);

  if (media->port == port)
    return;
  media->port = port;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_PORT]);
}

static int
protocol_index (const char *protocol, gsize len)
{
  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    if (strlen (protocols[i]) == len && g_ascii_strncasecmp (protocols[i], protocol, len) == 0)
      return (int) i;
  return -1;
}

/**
 * msrp_sdp_media_get_protocol:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:protocol].
 *
 * Returns: the `m=` protocol, such as %MSRP_SDP_PROTOCOL_TLS
 */
const char *
msrp_sdp_media_get_protocol (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->protocol;
}

/**
 * msrp_sdp_media_set_protocol:
 * @media: a media section
 * @protocol: one of %MSRP_SDP_PROTOCOL_TCP, %MSRP_SDP_PROTOCOL_TLS,
 *   %MSRP_SDP_PROTOCOL_WS, %MSRP_SDP_PROTOCOL_WSS (in any case)
 *
 * Sets [property@Msrp.SdpMedia:protocol], and with it
 * [property@Msrp.SdpMedia:secure].
 */
void
msrp_sdp_media_set_protocol (MsrpSdpMedia *media,
                             const char   *protocol)
{
  gboolean was_secure;
  int i;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (protocol != NULL);
  i = protocol_index (protocol, strlen (protocol));
  g_return_if_fail (i >= 0);

  if (media->protocol == protocols[i])
    return;
  was_secure = msrp_sdp_media_get_secure (media);
  media->protocol = protocols[i];
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_PROTOCOL]);
  if (was_secure != msrp_sdp_media_get_secure (media))
    g_object_notify_by_pspec (G_OBJECT (media), props[PROP_SECURE]);
}

/**
 * msrp_sdp_media_get_secure:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:secure].
 *
 * Returns: whether the protocol is `TCP/TLS/MSRP` or `TCP/WSS/MSRP`
 */
gboolean
msrp_sdp_media_get_secure (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), FALSE);

  /* protocols[] has the secure ones at odd indices */
  return media->protocol == protocols[1] || media->protocol == protocols[3];
}

/**
 * msrp_sdp_media_set_secure:
 * @media: a media section
 * @secure: whether to use TLS
 *
 * Switches the protocol between `TCP/MSRP` and `TCP/TLS/MSRP`, or between
 * `TCP/WS/MSRP` and `TCP/WSS/MSRP`.
 */
void
msrp_sdp_media_set_secure (MsrpSdpMedia *media,
                           gboolean      secure)
{
  int i;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));

  i = protocol_index (media->protocol, strlen (media->protocol));
  msrp_sdp_media_set_protocol (media, protocols[(i & ~1) | (secure ? 1 : 0)]);
}

/**
 * msrp_sdp_media_get_path:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:path].
 *
 * Returns: (transfer none) (element-type MsrpUri): the `a=path` URIs;
 *   empty when unset
 */
GPtrArray *
msrp_sdp_media_get_path (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->path;
}

/**
 * msrp_sdp_media_set_path:
 * @media: a media section
 * @path: (nullable) (element-type MsrpUri): the URIs, or %NULL for none
 *
 * Sets [property@Msrp.SdpMedia:path] to a copy of @path.
 */
void
msrp_sdp_media_set_path (MsrpSdpMedia *media,
                         GPtrArray    *path)
{
  GPtrArray *copy;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));

  for (guint i = 0; path != NULL && i < path->len; i++)
    g_return_if_fail (g_ptr_array_index (path, i) != NULL);

  copy = path != NULL ? msrp_path_copy (path) : msrp_path_new ();
  if (msrp_path_equal (media->path, copy))
    {
      g_ptr_array_unref (copy);
      return;
    }
  g_ptr_array_unref (media->path);
  media->path = copy;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_PATH]);
}

/**
 * msrp_sdp_media_set_path_string:
 * @media: a media section
 * @text: the URIs separated by spaces, as in `a=path`
 * @error: return location for a #GError
 *
 * Sets [property@Msrp.SdpMedia:path] from text, for bindings that cannot
 * pass a list of #MsrpUri into a #GPtrArray (GJS 1.74 with a typelib made
 * by g-ir-scanner alone; the one installed here passes them).
 *
 * Returns: %TRUE, or %FALSE with %MSRP_ERROR_INVALID_URI when @text is not
 *   a path; the media section is then unchanged
 */
gboolean
msrp_sdp_media_set_path_string (MsrpSdpMedia  *media,
                                const char    *text,
                                GError       **error)
{
  g_autoptr(GPtrArray) path = NULL;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = msrp_path_parse (text, error);
  if (path == NULL)
    return FALSE;
  msrp_sdp_media_set_path (media, path);
  return TRUE;
}

/**
 * msrp_sdp_media_get_accept_types:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:accept-types].
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   accepted media types, or %NULL when unset
 */
const char * const *
msrp_sdp_media_get_accept_types (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return (const char * const *) media->accept_types;
}

/**
 * msrp_sdp_media_set_accept_types:
 * @media: a media section
 * @types: (nullable) (array zero-terminated=1): media types such as
 *   `text/plain` or `message/cpim`, where `*` stands for any type or
 *   subtype; %NULL or empty to unset
 *
 * Sets [property@Msrp.SdpMedia:accept-types].
 */
void
msrp_sdp_media_set_accept_types (MsrpSdpMedia       *media,
                                 const char * const *types)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (are_media_types (types));

  replace_strv (media, &media->accept_types, types, PROP_ACCEPT_TYPES);
}

/**
 * msrp_sdp_media_get_accept_wrapped_types:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:accept-wrapped-types].
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   media types accepted inside wrappers such as CPIM, or %NULL
 */
const char * const *
msrp_sdp_media_get_accept_wrapped_types (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return (const char * const *) media->accept_wrapped_types;
}

/**
 * msrp_sdp_media_set_accept_wrapped_types:
 * @media: a media section
 * @types: (nullable) (array zero-terminated=1): media types, or %NULL
 *
 * Sets [property@Msrp.SdpMedia:accept-wrapped-types].
 */
void
msrp_sdp_media_set_accept_wrapped_types (MsrpSdpMedia       *media,
                                         const char * const *types)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (are_media_types (types));

  replace_strv (media, &media->accept_wrapped_types, types, PROP_ACCEPT_WRAPPED_TYPES);
}

static gboolean
are_language_tags (const char * const *tags)
{
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    if (!is_language_tag (tags[i]))
      return FALSE;
  return TRUE;
}

/**
 * msrp_sdp_media_get_languages:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:languages].
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the
 *   `a=lang` language tags, most important first, or %NULL when there are
 *   none
 */
const char * const *
msrp_sdp_media_get_languages (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return (const char * const *) media->languages;
}

/**
 * msrp_sdp_media_set_languages:
 * @media: a media section
 * @languages: (nullable) (array zero-terminated=1): language tags (RFC
 *   5646, such as `en` or `pt-BR`), most important first; %NULL or empty
 *   for none
 *
 * Sets [property@Msrp.SdpMedia:languages], written as one `a=lang` line
 * each.
 */
void
msrp_sdp_media_set_languages (MsrpSdpMedia       *media,
                              const char * const *languages)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (are_language_tags (languages));

  replace_strv (media, &media->languages, languages, PROP_LANGUAGES);
}

/**
 * msrp_sdp_media_get_max_size:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:max-size].
 *
 * Returns: `a=max-size` in bytes, or -1 when absent
 */
gint64
msrp_sdp_media_get_max_size (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), -1);

  return media->max_size;
}

/**
 * msrp_sdp_media_set_max_size:
 * @media: a media section
 * @max_size: the largest message in bytes, or -1 for none
 *
 * Sets [property@Msrp.SdpMedia:max-size].
 */
void
msrp_sdp_media_set_max_size (MsrpSdpMedia *media,
                             gint64        max_size)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (max_size >= -1);

  if (media->max_size == max_size)
    return;
  media->max_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_MAX_SIZE]);
}

/**
 * msrp_sdp_media_get_setup:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:setup].
 *
 * Returns: the `a=setup` role, %MSRP_SDP_SETUP_NONE when absent
 */
MsrpSdpSetup
msrp_sdp_media_get_setup (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), MSRP_SDP_SETUP_NONE);

  return media->setup;
}

/**
 * msrp_sdp_media_set_setup:
 * @media: a media section
 * @setup: the role, or %MSRP_SDP_SETUP_NONE to leave `a=setup` out
 *
 * Sets [property@Msrp.SdpMedia:setup].
 */
void
msrp_sdp_media_set_setup (MsrpSdpMedia *media,
                          MsrpSdpSetup  setup)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (setup <= MSRP_SDP_SETUP_HOLDCONN);

  if (media->setup == setup)
    return;
  media->setup = setup;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_SETUP]);
}

/**
 * msrp_sdp_media_get_fingerprint:
 * @media: a media section
 *
 * Gets the fingerprint of the media section.
 *
 * Returns: (nullable): the certificate fingerprint as
 *   `hash-function HH:HH:…`, such as `sha-256 AB:CD:…`, or %NULL
 */
const char *
msrp_sdp_media_get_fingerprint (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->fingerprint;
}

/**
 * msrp_sdp_media_set_fingerprint:
 * @media: a media section
 * @fingerprint: (nullable): `hash-function HH:HH:…` (RFC 8122 §5), or %NULL
 *
 * Sets [property@Msrp.SdpMedia:fingerprint]; the hash function is stored in
 * lower case and the hex digits in upper case.
 */
void
msrp_sdp_media_set_fingerprint (MsrpSdpMedia *media,
                                const char   *fingerprint)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  if (fingerprint != NULL)
    {
      normalized = normalize_fingerprint (fingerprint, strlen (fingerprint));
      g_return_if_fail (normalized != NULL);
    }

  replace_string (media, &media->fingerprint, normalized, PROP_FINGERPRINT);
}

/**
 * msrp_sdp_media_get_cema:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:cema].
 *
 * Returns: whether `a=msrp-cema` is present
 */
gboolean
msrp_sdp_media_get_cema (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), FALSE);

  return media->cema;
}

/**
 * msrp_sdp_media_set_cema:
 * @media: a media section
 * @cema: whether to advertise CEMA support (RFC 6714)
 *
 * Sets [property@Msrp.SdpMedia:cema].
 */
void
msrp_sdp_media_set_cema (MsrpSdpMedia *media,
                         gboolean      cema)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));

  cema = !!cema;
  if (media->cema == cema)
    return;
  media->cema = cema;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_CEMA]);
}

/**
 * msrp_sdp_media_get_direction:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:direction].
 *
 * Returns: the direction
 */
MsrpSdpDirection
msrp_sdp_media_get_direction (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), MSRP_SDP_DIRECTION_SENDRECV);

  return media->direction;
}

/**
 * msrp_sdp_media_set_direction:
 * @media: a media section
 * @direction: the direction
 *
 * Sets [property@Msrp.SdpMedia:direction].
 */
void
msrp_sdp_media_set_direction (MsrpSdpMedia     *media,
                              MsrpSdpDirection  direction)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (direction <= MSRP_SDP_DIRECTION_INACTIVE);

  if (media->direction == direction)
    return;
  media->direction = direction;
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_DIRECTION]);
}

/**
 * msrp_sdp_media_get_file_selector:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:file-selector].
 *
 * Returns: (transfer none) (nullable): the `a=file-selector`, or %NULL
 */
MsrpFileSelector *
msrp_sdp_media_get_file_selector (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_selector;
}

/**
 * msrp_sdp_media_set_file_selector:
 * @media: a media section
 * @selector: (nullable): the file selector, or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-selector].
 */
void
msrp_sdp_media_set_file_selector (MsrpSdpMedia     *media,
                                  MsrpFileSelector *selector)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));

  if (msrp_file_selector_equal (media->file_selector, selector))
    return;
  g_clear_pointer (&media->file_selector, msrp_file_selector_unref);
  if (selector != NULL)
    media->file_selector = msrp_file_selector_ref (selector);
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_FILE_SELECTOR]);
}

/**
 * msrp_sdp_media_get_file_transfer_id:
 * @media: a media section
 *
 * Gets the file transfer id of the media section.
 *
 * Returns: (nullable): the `a=file-transfer-id`, or %NULL
 */
const char *
msrp_sdp_media_get_file_transfer_id (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_transfer_id;
}

/**
 * msrp_sdp_media_set_file_transfer_id:
 * @media: a media section
 * @id: (nullable): a token (RFC 4566), or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-transfer-id].
 */
void
msrp_sdp_media_set_file_transfer_id (MsrpSdpMedia *media,
                                     const char   *id)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (id == NULL || is_token (id, strlen (id)));

  replace_string (media, &media->file_transfer_id, id, PROP_FILE_TRANSFER_ID);
}

/**
 * msrp_sdp_media_get_file_disposition:
 * @media: a media section
 *
 * Gets the file disposition of the media section.
 *
 * Returns: (nullable): the `a=file-disposition`, or %NULL
 */
const char *
msrp_sdp_media_get_file_disposition (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_disposition;
}

/**
 * msrp_sdp_media_set_file_disposition:
 * @media: a media section
 * @disposition: (nullable): a token such as `render` or `attachment`, or
 *   %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-disposition].
 */
void
msrp_sdp_media_set_file_disposition (MsrpSdpMedia *media,
                                     const char   *disposition)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (disposition == NULL || is_token (disposition, strlen (disposition)));

  replace_string (media, &media->file_disposition, disposition, PROP_FILE_DISPOSITION);
}

/* A date stands between double quotes in a=file-date. */
static gboolean
is_file_date (const char *date)
{
  return *date != '\0' && is_line_text (date) && strpbrk (date, "\"\\") == NULL;
}

static void
set_file_date (MsrpSdpMedia *media, guint which, const char *date)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (date == NULL || is_file_date (date));

  replace_string (media, &media->file_dates[which], date, date_props[which]);
}

/**
 * msrp_sdp_media_get_file_creation_date:
 * @media: a media section
 *
 * Gets the file creation date of the media section.
 *
 * Returns: (nullable): the `creation` date of `a=file-date`, as written
 *   (an RFC 5322 date-time), or %NULL
 */
const char *
msrp_sdp_media_get_file_creation_date (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_dates[0];
}

/**
 * msrp_sdp_media_set_file_creation_date:
 * @media: a media section
 * @date: (nullable): an RFC 5322 date-time such as
 *   `Mon, 15 May 2006 15:01:31 +0300`, or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-creation-date].
 */
void
msrp_sdp_media_set_file_creation_date (MsrpSdpMedia *media,
                                       const char   *date)
{
  set_file_date (media, 0, date);
}

/**
 * msrp_sdp_media_get_file_modification_date:
 * @media: a media section
 *
 * Gets the file modification date of the media section.
 *
 * Returns: (nullable): the `modification` date of `a=file-date`, or %NULL
 */
const char *
msrp_sdp_media_get_file_modification_date (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_dates[1];
}

/**
 * msrp_sdp_media_set_file_modification_date:
 * @media: a media section
 * @date: (nullable): an RFC 5322 date-time, or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-modification-date].
 */
void
msrp_sdp_media_set_file_modification_date (MsrpSdpMedia *media,
                                           const char   *date)
{
  set_file_date (media, 1, date);
}

/**
 * msrp_sdp_media_get_file_read_date:
 * @media: a media section
 *
 * Gets the file read date of the media section.
 *
 * Returns: (nullable): the `read` date of `a=file-date`, or %NULL
 */
const char *
msrp_sdp_media_get_file_read_date (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_dates[2];
}

/**
 * msrp_sdp_media_set_file_read_date:
 * @media: a media section
 * @date: (nullable): an RFC 5322 date-time, or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-read-date].
 */
void
msrp_sdp_media_set_file_read_date (MsrpSdpMedia *media,
                                   const char   *date)
{
  set_file_date (media, 2, date);
}

/**
 * msrp_sdp_media_get_file_icon:
 * @media: a media section
 *
 * Gets the file icon of the media section.
 *
 * Returns: (nullable): the `a=file-icon` URL, or %NULL
 */
const char *
msrp_sdp_media_get_file_icon (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return media->file_icon;
}

/**
 * msrp_sdp_media_set_file_icon:
 * @media: a media section
 * @icon: (nullable): a `cid:` URL (RFC 2392) naming the icon's body part,
 *   or %NULL
 *
 * Sets [property@Msrp.SdpMedia:file-icon].
 */
void
msrp_sdp_media_set_file_icon (MsrpSdpMedia *media,
                              const char   *icon)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (icon == NULL || (*icon != '\0' && is_line_text (icon)));

  replace_string (media, &media->file_icon, icon, PROP_FILE_ICON);
}

/**
 * msrp_sdp_media_get_file_range_start:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:file-range-start].
 *
 * Returns: the first byte (counted from 1) of `a=file-range`, or 0 when
 *   absent
 */
gint64
msrp_sdp_media_get_file_range_start (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), 0);

  return media->file_range_start;
}

/**
 * msrp_sdp_media_get_file_range_stop:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:file-range-stop].
 *
 * Returns: the last byte of `a=file-range`, or -1 for `*` or when absent
 */
gint64
msrp_sdp_media_get_file_range_stop (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), -1);

  return media->file_range_stop;
}

/**
 * msrp_sdp_media_set_file_range:
 * @media: a media section
 * @start: the first byte, counted from 1, or 0 to remove `a=file-range`
 * @stop: the last byte (at least @start), or -1 for `*`
 *
 * Sets `a=file-range` (RFC 5547 §6), the part of the file to transfer.
 */
void
msrp_sdp_media_set_file_range (MsrpSdpMedia *media,
                               gint64        start,
                               gint64        stop)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (start >= 0);
  g_return_if_fail (stop == -1 || (start > 0 && stop >= start));

  if (start == 0)
    stop = -1;
  g_object_freeze_notify (G_OBJECT (media));
  if (media->file_range_start != start)
    {
      media->file_range_start = start;
      g_object_notify_by_pspec (G_OBJECT (media), props[PROP_FILE_RANGE_START]);
    }
  if (media->file_range_stop != stop)
    {
      media->file_range_stop = stop;
      g_object_notify_by_pspec (G_OBJECT (media), props[PROP_FILE_RANGE_STOP]);
    }
  g_object_thaw_notify (G_OBJECT (media));
}

/* Attributes with a meaning of their own here; the extra attributes may not
 * use these names (a second a=fingerprint is the exception, see below). */
static gboolean
is_known_attribute (const char *name, gsize len)
{
  static const char * const known[] = {
    "accept-types", "accept-wrapped-types", "max-size", "path", "setup",
    "msrp-cema", "msrp_cema", "sendrecv", "sendonly", "recvonly", "inactive",
    "connection", "file-selector", "file-transfer-id", "file-disposition",
    "file-date", "file-icon", "file-range", "lang",
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (strlen (known[i]) == len && memcmp (known[i], name, len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_extra_attribute (const char *attribute)
{
  const char *colon;
  gsize name_len;

  if (!is_line_text (attribute))
    return FALSE;
  colon = strchr (attribute, ':');
  name_len = colon != NULL ? (gsize) (colon - attribute) : strlen (attribute);
  return is_token (attribute, name_len) && !is_known_attribute (attribute, name_len);
}

/**
 * msrp_sdp_media_get_extra_attributes:
 * @media: a media section
 *
 * Gets [property@Msrp.SdpMedia:extra-attributes].
 *
 * Returns: (transfer none) (array zero-terminated=1): the attributes not
 *   otherwise known, each as written after `a=`
 */
const char * const *
msrp_sdp_media_get_extra_attributes (MsrpSdpMedia *media)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  return extra_attributes (media);
}

/**
 * msrp_sdp_media_set_extra_attributes:
 * @media: a media section
 * @attributes: (nullable) (array zero-terminated=1): attributes as
 *   `name` or `name:value`, none of them one this type handles itself
 *
 * Sets [property@Msrp.SdpMedia:extra-attributes].
 */
void
msrp_sdp_media_set_extra_attributes (MsrpSdpMedia       *media,
                                     const char * const *attributes)
{
  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  for (guint i = 0; attributes != NULL && attributes[i] != NULL; i++)
    g_return_if_fail (is_extra_attribute (attributes[i]));

  if (attributes == NULL)
    attributes = no_strings;
  if (strv_equal (extra_attributes (media), attributes))
    return;
  g_ptr_array_set_size (media->extra, 0);
  for (guint i = 0; attributes != NULL && attributes[i] != NULL; i++)
    g_ptr_array_add (media->extra, g_strdup (attributes[i]));
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_EXTRA_ATTRIBUTES]);
}

/**
 * msrp_sdp_media_add_extra_attribute:
 * @media: a media section
 * @name: the attribute name, a token
 * @value: (nullable): its value, or %NULL for a flag attribute
 *
 * Appends `a=name:value` (or `a=name`) to the extra attributes, such as
 * sipsimple's `a=x-file-offset`.
 */
void
msrp_sdp_media_add_extra_attribute (MsrpSdpMedia *media,
                                    const char   *name,
                                    const char   *value)
{
  g_autofree char *attribute = NULL;

  g_return_if_fail (MSRP_IS_SDP_MEDIA (media));
  g_return_if_fail (name != NULL && strchr (name, ':') == NULL);

  attribute = value != NULL ? g_strconcat (name, ":", value, NULL) : g_strdup (name);
  g_return_if_fail (is_extra_attribute (attribute));
  g_ptr_array_add (media->extra, g_steal_pointer (&attribute));
  g_object_notify_by_pspec (G_OBJECT (media), props[PROP_EXTRA_ATTRIBUTES]);
}

/**
 * msrp_sdp_media_lookup_extra_attribute:
 * @media: a media section
 * @name: an attribute name
 *
 * Finds the first extra attribute called @name (compared exactly, as SDP
 * attribute names are).
 *
 * Returns: (nullable): its value, "" for a flag attribute, or %NULL when
 *   there is none
 */
const char *
msrp_sdp_media_lookup_extra_attribute (MsrpSdpMedia *media,
                                       const char   *name)
{
  gsize len;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  len = strlen (name);
  for (guint i = 0; i < media->extra->len; i++)
    {
      const char *attribute = g_ptr_array_index (media->extra, i);

      if (strncmp (attribute, name, len) == 0 && (attribute[len] == '\0' || attribute[len] == ':'))
        return attribute[len] == ':' ? attribute + len + 1 : attribute + len;
    }
  return NULL;
}

/* ---- parsing --------------------------------------------------------------- */

typedef struct
{
  const char *text;        /* `x=value`, without the line break */
  gsize len;
  guint number;            /* from 1 */
} SdpLine;

/* One m=message section being parsed. */
typedef struct
{
  MsrpSdpMedia *media;
  guint m_line;
  gboolean have_direction;
  gboolean have_file_date;
} Section;

typedef gboolean (*AttributeParser) (Section     *section,
                                     const char  *value,
                                     guint        line,
                                     GError     **error);

static gboolean
duplicate_error (GError **error, guint line, const char *name)
{
  return line_error (error, line, "a=%s given twice", name);
}

static GStrv
parse_media_types (const char *value, guint line, const char *name, GError **error)
{
  g_auto(GStrv) words = g_strsplit_set (value, " \t", -1);
  g_autoptr(GStrvBuilder) types = g_strv_builder_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (words[i][0] == '\0')
        continue;
      if (is_media_type (words[i], strlen (words[i])))
        {
          g_strv_builder_add (types, words[i]);
          continue;
        }
      quoted = excerpt (words[i], strlen (words[i]));
      line_error (error, line, "bad media type %s in a=%s", quoted, name);
      return NULL;
    }
  return g_strv_builder_end (types);
}

static gboolean
parse_accept_types (Section *section, const char *value, guint line, GError **error)
{
  MsrpSdpMedia *media = section->media;

  if (media->accept_types != NULL)
    return duplicate_error (error, line, "accept-types");
  media->accept_types = parse_media_types (value, line, "accept-types", error);
  if (media->accept_types == NULL)
    return FALSE;
  if (media->accept_types[0] == NULL)
    return line_error (error, line, "a=accept-types lists no media type");
  return TRUE;
}

static gboolean
parse_accept_wrapped_types (Section *section, const char *value, guint line, GError **error)
{
  MsrpSdpMedia *media = section->media;
  GStrv types;

  if (media->accept_wrapped_types != NULL)
    return duplicate_error (error, line, "accept-wrapped-types");
  types = parse_media_types (value, line, "accept-wrapped-types", error);
  if (types == NULL)
    return FALSE;
  if (types[0] == NULL)
    g_strfreev (types);
  else
    media->accept_wrapped_types = types;
  return TRUE;
}

/* One a=lang line, appended to @languages (several lines list several
 * languages, most important first). */
static gboolean
parse_lang_value (GStrv *languages, const char *value, guint line, GError **error)
{
  g_autofree char *quoted = NULL;
  guint n = *languages != NULL ? g_strv_length (*languages) : 0;

  if (!is_language_tag (value))
    {
      quoted = excerpt (value, strlen (value));
      return line_error (error, line, "bad a=lang %s (want a language tag such as “en”)", quoted);
    }
  *languages = g_renew (char *, *languages, n + 2);
  (*languages)[n] = g_strdup (value);
  (*languages)[n + 1] = NULL;
  return TRUE;
}

static gboolean
parse_lang (Section *section, const char *value, guint line, GError **error)
{
  return parse_lang_value (&section->media->languages, value, line, error);
}

static gboolean
parse_max_size (Section *section, const char *value, guint line, GError **error)
{
  g_autofree char *quoted = NULL;

  if (section->media->max_size >= 0)
    return duplicate_error (error, line, "max-size");
  if (parse_number (value, strlen (value), G_MAXINT64, &section->media->max_size))
    return TRUE;
  quoted = excerpt (value, strlen (value));
  return line_error (error, line, "bad a=max-size %s", quoted);
}

static gboolean
parse_path (Section *section, const char *value, guint line, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) path = msrp_path_parse (value, &local_error);

  if (path == NULL)
    return line_error (error, line, "bad a=path: %s", local_error->message);
  /* Several a=path lines make one path (some peers split long ones). */
  for (guint i = 0; i < path->len; i++)
    g_ptr_array_add (section->media->path, msrp_uri_ref (g_ptr_array_index (path, i)));
  return TRUE;
}

static gboolean
lookup_setup (const char *value, MsrpSdpSetup *setup)
{
  for (guint i = MSRP_SDP_SETUP_ACTIVE; i < G_N_ELEMENTS (setup_names); i++)
    if (g_ascii_strcasecmp (value, setup_names[i]) == 0)
      {
        *setup = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_setup_value (const char *value, guint line, MsrpSdpSetup *setup, GError **error)
{
  g_autofree char *quoted = NULL;

  if (*setup != MSRP_SDP_SETUP_NONE)
    return duplicate_error (error, line, "setup");
  if (lookup_setup (value, setup))
    return TRUE;
  quoted = excerpt (value, strlen (value));
  return line_error (error, line, "bad a=setup value %s", quoted);
}

static gboolean
parse_setup (Section *section, const char *value, guint line, GError **error)
{
  return parse_setup_value (value, line, &section->media->setup, error);
}

static char *
parse_fingerprint_value (const char *value, guint line, GError **error)
{
  char *normalized = normalize_fingerprint (value, strlen (value));
  g_autofree char *quoted = NULL;

  if (normalized != NULL)
    return normalized;
  quoted = excerpt (value, strlen (value));
  line_error (error, line, "bad a=fingerprint %s (want “hash-function HH:HH:…”)", quoted);
  return NULL;
}

static gboolean
parse_fingerprint (Section *section, const char *value, guint line, GError **error)
{
  MsrpSdpMedia *media = section->media;
  char *fingerprint = parse_fingerprint_value (value, line, error);

  if (fingerprint == NULL)
    return FALSE;
  /* RFC 8122 §5 allows one per hash function; the first is the one we
   * check, the others go back out as they came. */
  if (media->fingerprint == NULL)
    media->fingerprint = fingerprint;
  else
    {
      g_ptr_array_add (media->extra, g_strconcat ("fingerprint:", fingerprint, NULL));
      g_free (fingerprint);
    }
  return TRUE;
}

static gboolean
parse_cema (Section *section, const char *value, guint line, GError **error)
{
  section->media->cema = TRUE;
  return TRUE;
}

/* RFC 6135 says a=connection MUST NOT be used with MSRP; Doubango
 * sends it anyway. Parsed, then forgotten. */
static gboolean
parse_connection (Section *section, const char *value, guint line, GError **error)
{
  return TRUE;
}

static gboolean
set_direction (Section *section, MsrpSdpDirection direction, guint line, GError **error)
{
  if (section->have_direction && section->media->direction != direction)
    return line_error (error, line, "a=%s conflicts with a=%s", direction_names[direction],
                       direction_names[section->media->direction]);
  section->have_direction = TRUE;
  section->media->direction = direction;
  return TRUE;
}

static gboolean
parse_sendrecv (Section *section, const char *value, guint line, GError **error)
{
  return set_direction (section, MSRP_SDP_DIRECTION_SENDRECV, line, error);
}

static gboolean
parse_sendonly (Section *section, const char *value, guint line, GError **error)
{
  return set_direction (section, MSRP_SDP_DIRECTION_SENDONLY, line, error);
}

static gboolean
parse_recvonly (Section *section, const char *value, guint line, GError **error)
{
  return set_direction (section, MSRP_SDP_DIRECTION_RECVONLY, line, error);
}

static gboolean
parse_inactive (Section *section, const char *value, guint line, GError **error)
{
  return set_direction (section, MSRP_SDP_DIRECTION_INACTIVE, line, error);
}

static gboolean
parse_file_selector (Section *section, const char *value, guint line, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (section->media->file_selector != NULL)
    return duplicate_error (error, line, "file-selector");
  section->media->file_selector = msrp_file_selector_parse (value, &local_error);
  if (section->media->file_selector == NULL)
    return line_error (error, line, "a=file-selector: %s", local_error->message);
  return TRUE;
}

static gboolean
parse_token_attribute (char **field, const char *name, const char *value, guint line, GError **error)
{
  g_autofree char *quoted = NULL;

  if (*field != NULL)
    return duplicate_error (error, line, name);
  if (is_token (value, strlen (value)))
    {
      *field = g_strdup (value);
      return TRUE;
    }
  quoted = excerpt (value, strlen (value));
  return line_error (error, line, "bad a=%s %s", name, quoted);
}

static gboolean
parse_file_transfer_id (Section *section, const char *value, guint line, GError **error)
{
  return parse_token_attribute (&section->media->file_transfer_id, "file-transfer-id", value, line, error);
}

static gboolean
parse_file_disposition (Section *section, const char *value, guint line, GError **error)
{
  return parse_token_attribute (&section->media->file_disposition, "file-disposition", value, line, error);
}

/* One `creation:"date"` item of a=file-date; unknown parameters are skipped. */
static gboolean
parse_date_item (MsrpSdpMedia *media, const char *item, guint line, GError **error)
{
  const char *colon = strchr (item, ':');
  gsize len = strlen (item), name_len;
  g_autofree char *quoted = NULL;

  if (colon == NULL || !is_token (item, colon - item))
    goto bad;
  name_len = colon - item;
  for (guint i = 0; i < G_N_ELEMENTS (date_names); i++)
    {
      const char *value = colon + 1;
      gsize value_len = item + len - value;
      g_autofree char *date = NULL;

      if (strlen (date_names[i]) != name_len || strncmp (item, date_names[i], name_len) != 0)
        continue;
      if (value_len < 2 || value[0] != '"' || value[value_len - 1] != '"')
        goto bad;
      date = g_strndup (value + 1, value_len - 2);
      if (!is_file_date (date))
        goto bad;
      g_free (media->file_dates[i]);
      media->file_dates[i] = g_steal_pointer (&date);
      return TRUE;
    }
  return TRUE;

bad:
  quoted = excerpt (item, len);
  return line_error (error, line, "bad a=file-date item %s", quoted);
}

static gboolean
parse_file_date (Section *section, const char *value, guint line, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  if (section->have_file_date)
    return duplicate_error (error, line, "file-date");
  section->have_file_date = TRUE;
  items = split_items (value, &local_error);
  if (items == NULL)
    return line_error (error, line, "a=file-date: %s", local_error->message);
  for (guint i = 0; i < items->len; i++)
    if (!parse_date_item (section->media, g_ptr_array_index (items, i), line, error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_file_icon (Section *section, const char *value, guint line, GError **error)
{
  if (section->media->file_icon != NULL)
    return duplicate_error (error, line, "file-icon");
  if (*value == '\0')
    return line_error (error, line, "empty a=file-icon");
  section->media->file_icon = g_strdup (value);
  return TRUE;
}

static gboolean
parse_file_range (Section *section, const char *value, guint line, GError **error)
{
  MsrpSdpMedia *media = section->media;
  const char *dash = strchr (value, '-');
  g_autofree char *quoted = NULL;
  gint64 start, stop = -1;

  if (media->file_range_start > 0)
    return duplicate_error (error, line, "file-range");
  if (dash != NULL && parse_number (value, dash - value, G_MAXINT64, &start) && start > 0 &&
      (strcmp (dash + 1, "*") == 0 ||
       (parse_number (dash + 1, strlen (dash + 1), G_MAXINT64, &stop) && stop >= start)))
    {
      media->file_range_start = start;
      media->file_range_stop = stop;
      return TRUE;
    }
  quoted = excerpt (value, strlen (value));
  return line_error (error, line, "bad a=file-range %s", quoted);
}

static const struct
{
  const char *name;
  AttributeParser parse;
} attribute_parsers[] = {
  { "accept-types", parse_accept_types },
  { "accept-wrapped-types", parse_accept_wrapped_types },
  { "lang", parse_lang },
  { "max-size", parse_max_size },
  { "path", parse_path },
  { "setup", parse_setup },
  { "fingerprint", parse_fingerprint },
  { "msrp-cema", parse_cema },
  { "msrp_cema", parse_cema },           /* Ribbon's spelling */
  { "connection", parse_connection },
  { "sendrecv", parse_sendrecv },
  { "sendonly", parse_sendonly },
  { "recvonly", parse_recvonly },
  { "inactive", parse_inactive },
  { "file-selector", parse_file_selector },
  { "file-transfer-id", parse_file_transfer_id },
  { "file-disposition", parse_file_disposition },
  { "file-date", parse_file_date },
  { "file-icon", parse_file_icon },
  { "file-range", parse_file_range },
};

/* Splits `a=name[:value]`; the value loses surrounding blanks. */
static gboolean
split_attribute (const SdpLine  *line,
                 gsize          *name_len,
                 char          **value,
                 GError        **error)
{
  const char *s = line->text + 2;
  gsize len = line->len - 2;
  const char *colon = memchr (s, ':', len);
  const char *start, *end = s + len;

  *name_len = colon != NULL ? (gsize) (colon - s) : len;
  if (!is_token (s, *name_len))
    {
      g_autofree char *quoted = excerpt (s, *name_len);

      return line_error (error, line->number, "bad attribute name %s", quoted);
    }
  start = colon != NULL ? colon + 1 : end;
  while (start < end && is_blank (*start))
    start++;
  while (end > start && is_blank (end[-1]))
    end--;
  *value = g_strndup (start, end - start);
  return TRUE;
}

static gboolean
parse_media_attribute (Section *section, const SdpLine *line, GError **error)
{
  g_autofree char *value = NULL;
  const char *name = line->text + 2;
  gsize name_len;

  if (!split_attribute (line, &name_len, &value, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (attribute_parsers); i++)
    if (strlen (attribute_parsers[i].name) == name_len &&
        memcmp (attribute_parsers[i].name, name, name_len) == 0)
      return attribute_parsers[i].parse (section, value, line->number, error);
  g_ptr_array_add (section->media->extra, g_strndup (name, line->len - 2));
  return TRUE;
}

/* Session-level a=setup, a=fingerprint and a=lang (RFC 4145 §4, RFC 8122
 * §5, RFC 4566 §6) apply to media sections that have none of their own. */
typedef struct
{
  MsrpSdpSetup setup;
  char *fingerprint;
  GStrv languages;
} SessionDefaults;

static gboolean
parse_session_attribute (SessionDefaults *defaults, const SdpLine *line, GError **error)
{
  g_autofree char *value = NULL;
  const char *name = line->text + 2;
  gsize name_len;

  if (!split_attribute (line, &name_len, &value, error))
    return FALSE;
  if (name_len == 5 && memcmp (name, "setup", 5) == 0)
    return parse_setup_value (value, line->number, &defaults->setup, error);
  if (name_len == 11 && memcmp (name, "fingerprint", 11) == 0 && defaults->fingerprint == NULL)
    {
      defaults->fingerprint = parse_fingerprint_value (value, line->number, error);
      return defaults->fingerprint != NULL;
    }
  if (name_len == 4 && memcmp (name, "lang", 4) == 0)
    return parse_lang_value (&defaults->languages, value, line->number, error);
  return TRUE;
}

/* Parses an m= line. Sets *media to NULL, without error, for sections that
 * are not MSRP over TCP (other media, MSRP over data channels). */
static gboolean
parse_m_line (const SdpLine *line, MsrpSdpMedia **media, GError **error)
{
  g_autofree char *text = g_strndup (line->text + 2, line->len - 2);
  g_auto(GStrv) fields = g_strsplit_set (text, " \t", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) words = NULL;
  g_autofree char *quoted = NULL;
  gint64 port;
  int protocol;

  *media = NULL;
  for (guint i = 0; fields[i] != NULL; i++)
    if (fields[i][0] != '\0')
      g_strv_builder_add (builder, fields[i]);
  words = g_strv_builder_end (builder);
  if (g_strv_length (words) < 3)
    return line_error (error, line->number, "m= line needs media, port, protocol and formats");
  if (g_ascii_strcasecmp (words[0], "message") != 0)
    return TRUE;
  protocol = protocol_index (words[2], strlen (words[2]));
  if (protocol < 0)
    return TRUE;
  if (!parse_number (words[1], strlen (words[1]), 65535, &port))
    {
      quoted = excerpt (words[1], strlen (words[1]));
      return line_error (error, line->number, "bad port %s in m= line", quoted);
    }
  if (words[3] == NULL)
    return line_error (error, line->number, "m= line has no formats (want “*”)");
  for (guint i = 3; words[i] != NULL; i++)
    if (!is_media_type (words[i], strlen (words[i])))
      {
        quoted = excerpt (words[i], strlen (words[i]));
        return line_error (error, line->number, "bad format %s in m= line (want “*” or media types)", quoted);
      }
  *media = msrp_sdp_media_new ();
  (*media)->port = (guint) port;
  (*media)->protocol = protocols[protocol];
  return TRUE;
}

static gboolean
finish_section (Section *section, const SessionDefaults *defaults, GError **error)
{
  MsrpSdpMedia *media = section->media;

  if (media->path->len == 0)
    return line_error (error, section->m_line, "m=message section has no a=path");
  if (media->accept_types == NULL)
    return line_error (error, section->m_line, "m=message section has no a=accept-types");
  if (media->setup == MSRP_SDP_SETUP_NONE)
    media->setup = defaults->setup;
  if (media->fingerprint == NULL)
    media->fingerprint = g_strdup (defaults->fingerprint);
  if (media->languages == NULL)
    media->languages = g_strdupv (defaults->languages);
  return TRUE;
}

/* Splits @sdp into lines (LF or CRLF), checking that each is `x=…`. */
static GArray *
split_lines (const char *sdp, GError **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (SdpLine));
  const char *invalid, *p = sdp;
  guint number = 1;

  if (!g_utf8_validate (sdp, -1, &invalid))
    {
      for (p = sdp; p < invalid; p++)
        number += *p == '\n';
      line_error (error, number, "not valid UTF-8");
      return NULL;
    }
  for (; *p != '\0'; number++)
    {
      const char *nl = strchr (p, '\n');
      gsize len = nl != NULL ? (gsize) (nl - p) : strlen (p);
      SdpLine line = { p, len, number };

      p += len + (nl != NULL);
      if (line.len > 0 && line.text[line.len - 1] == '\r')
        line.len--;
      if (line.len == 0)
        continue;
      if (memchr (line.text, '\r', line.len) != NULL)
        {
          line_error (error, number, "stray carriage return");
          return NULL;
        }
      if (line.len < 2 || !g_ascii_islower (line.text[0]) || line.text[1] != '=')
        {
          g_autofree char *quoted = excerpt (line.text, line.len);

          line_error (error, number, "%s is not an SDP “x=value” line", quoted);
          return NULL;
        }
      g_array_append_val (lines, line);
    }
  return g_steal_pointer (&lines);
}

static gboolean
parse_sdp (const char *sdp, gboolean first_only, GPtrArray *out, GError **error)
{
  g_autoptr(GArray) lines = split_lines (sdp, error);
  SessionDefaults defaults = { MSRP_SDP_SETUP_NONE, NULL, NULL };
  Section section = { NULL, 0, FALSE, FALSE };
  gboolean in_media = FALSE, ok = TRUE;

  if (lines == NULL)
    return FALSE;
  for (guint i = 0; ok && i < lines->len; i++)
    {
      const SdpLine *line = &g_array_index (lines, SdpLine, i);

      if (line->text[0] == 'm')
        {
          if (section.media != NULL)
            {
              ok = finish_section (&section, &defaults, error);
              if (!ok)
                break;
              g_ptr_array_add (out, g_steal_pointer (&section.media));
              if (first_only)
                break;
            }
          in_media = TRUE;
          section = (Section) { NULL, line->number, FALSE, FALSE };
          ok = parse_m_line (line, &section.media, error);
        }
      else if (!in_media)
        ok = line->text[0] != 'a' || parse_session_attribute (&defaults, line, error);
      else if (section.media == NULL)
        continue;
      else if (line->text[0] == 'a')
        ok = parse_media_attribute (&section, line, error);
      else if (strchr ("icbk", line->text[0]) == NULL)
        ok = line_error (error, line->number, "unexpected “%c=” line in a media section", line->text[0]);
    }
  if (ok && section.media != NULL)
    {
      ok = finish_section (&section, &defaults, error);
      if (ok)
        g_ptr_array_add (out, g_steal_pointer (&section.media));
    }
  g_clear_object (&section.media);
  g_free (defaults.fingerprint);
  g_strfreev (defaults.languages);
  if (ok && out->len == 0)
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_INVALID_SDP,
                           "SDP has no m=message section with an MSRP protocol");
      return FALSE;
    }
  return ok;
}

/**
 * msrp_sdp_media_parse:
 * @sdp: a whole SDP body, or only a media section
 * @error: return location for a #GError, or %NULL
 *
 * Parses the first `m=message` section with an MSRP protocol of @sdp.
 * Lines may end in CRLF or LF. Media sections of other kinds are skipped.
 *
 * Liberal where deployed peers differ from the RFCs: `a=msrp_cema`
 * (Ribbon) for `a=msrp-cema`, `a=connection` (Doubango) ignored, several
 * `a=path` lines joined, session-level `a=setup` and `a=fingerprint` taken
 * as defaults, hash names and hex digits in any case. Strict where the RFCs
 * require: `a=path` and `a=accept-types` must be present.
 *
 * Returns: (transfer full) (nullable): the media section, or %NULL with
 *   @error set to %MSRP_ERROR_INVALID_SDP naming the line and the problem
 */
MsrpSdpMedia *
msrp_sdp_media_parse (const char  *sdp,
                      GError     **error)
{
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (sdp != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  all = g_ptr_array_new_with_free_func (g_object_unref);
  if (!parse_sdp (sdp, TRUE, all, error))
    return NULL;
  return g_object_ref (g_ptr_array_index (all, 0));
}

/**
 * msrp_sdp_parse_all:
 * @sdp: a whole SDP body
 * @error: return location for a #GError, or %NULL
 *
 * Parses every `m=message` section with an MSRP protocol of @sdp, as
 * msrp_sdp_media_parse() does the first; one bad section fails the whole.
 *
 * Returns: (transfer container) (element-type MsrpSdpMedia) (nullable): the
 *   media sections in order (at least one), or %NULL with @error set to
 *   %MSRP_ERROR_INVALID_SDP
 */
GPtrArray *
msrp_sdp_parse_all (const char  *sdp,
                    GError     **error)
{
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (sdp != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  all = g_ptr_array_new_with_free_func (g_object_unref);
  if (!parse_sdp (sdp, FALSE, all, error))
    return NULL;
  return g_steal_pointer (&all);
}

/* ---- formatting ------------------------------------------------------------ */

static void
append_list (GString *s, const char *name, const char * const *list)
{
  g_string_append_printf (s, "a=%s:", name);
  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "", list[i]);
  g_string_append (s, "\r\n");
}

static void
append_file_attributes (GString *s, MsrpSdpMedia *media)
{
  gboolean have_date = FALSE;

  if (media->file_selector != NULL)
    {
      g_autofree char *selector = msrp_file_selector_to_string (media->file_selector);

      g_string_append_printf (s, "a=file-selector%s%s\r\n", *selector != '\0' ? ":" : "", selector);
    }
  if (media->file_transfer_id != NULL)
    g_string_append_printf (s, "a=file-transfer-id:%s\r\n", media->file_transfer_id);
  if (media->file_disposition != NULL)
    g_string_append_printf (s, "a=file-disposition:%s\r\n", media->file_disposition);
  for (guint i = 0; i < G_N_ELEMENTS (media->file_dates); i++)
    {
      if (media->file_dates[i] == NULL)
        continue;
      g_string_append_printf (s, "%s%s:\"%s\"", have_date ? " " : "a=file-date:",
                              date_names[i], media->file_dates[i]);
      have_date = TRUE;
    }
  if (have_date)
    g_string_append (s, "\r\n");
  if (media->file_icon != NULL)
    g_string_append_printf (s, "a=file-icon:%s\r\n", media->file_icon);
  if (media->file_range_start > 0 && media->file_range_stop >= 0)
    g_string_append_printf (s, "a=file-range:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\r\n",
                            media->file_range_start, media->file_range_stop);
  else if (media->file_range_start > 0)
    g_string_append_printf (s, "a=file-range:%" G_GINT64_FORMAT "-*\r\n", media->file_range_start);
}

static void
append_media (GString *s, MsrpSdpMedia *media)
{
  static const char * const any[] = { "*", NULL };

  /* The format list is `*`: sipsimple/Blink refuse anything else. */
  g_string_append_printf (s, "m=message %u %s *\r\n", media->port, media->protocol);
  /* Always written: Blink refuses a chat stream without a=sendrecv. */
  g_string_append_printf (s, "a=%s\r\n", direction_names[media->direction]);
  append_list (s, "accept-types",
               media->accept_types != NULL ? (const char * const *) media->accept_types : any);
  if (media->accept_wrapped_types != NULL)
    append_list (s, "accept-wrapped-types", (const char * const *) media->accept_wrapped_types);
  if (media->max_size >= 0)
    g_string_append_printf (s, "a=max-size:%" G_GINT64_FORMAT "\r\n", media->max_size);
  if (media->path->len > 0)
    {
      g_autofree char *path = msrp_path_to_string (media->path);

      g_string_append_printf (s, "a=path:%s\r\n", path);
    }
  if (media->setup != MSRP_SDP_SETUP_NONE)
    g_string_append_printf (s, "a=setup:%s\r\n", setup_names[media->setup]);
  if (media->fingerprint != NULL)
    g_string_append_printf (s, "a=fingerprint:%s\r\n", media->fingerprint);
  if (media->cema)
    g_string_append (s, "a=msrp-cema\r\n");
  for (guint i = 0; media->languages != NULL && media->languages[i] != NULL; i++)
    g_string_append_printf (s, "a=lang:%s\r\n", media->languages[i]);
  append_file_attributes (s, media);
  for (guint i = 0; i < media->extra->len; i++)
    g_string_append_printf (s, "a=%s\r\n", (const char *) g_ptr_array_index (media->extra, i));
}

/**
 * msrp_sdp_media_to_string:
 * @media: a media section
 *
 * Formats @media as an SDP media section with CRLF line endings: the
 * `m=message` line with the format `*`, the direction (always, as Blink
 * wants `a=sendrecv` for chat), `a=accept-types` (always; `*` when unset),
 * then those of `a=accept-wrapped-types`, `a=max-size`, `a=path` (one
 * line), `a=setup`, `a=fingerprint`, `a=msrp-cema`, `a=lang` (one line a
 * language), the RFC 5547 attributes and the extra attributes that are set.
 *
 * Returns: (transfer full): the media section
 */
char *
msrp_sdp_media_to_string (MsrpSdpMedia *media)
{
  GString *s;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);

  s = g_string_new (NULL);
  append_media (s, media);
  return g_string_free (s, FALSE);
}

static gboolean
is_address (const char *address)
{
  return *address != '\0' && is_line_text (address) && strpbrk (address, " \t") == NULL;
}

static const char *
address_type (const char *address)
{
  return strchr (address, ':') != NULL ? "IP6" : "IP4";
}

/**
 * msrp_sdp_media_to_session_string:
 * @media: a media section
 * @origin_address: (nullable): the address for the `o=` line; %NULL for
 *   the host of the first `a=path` URI
 * @session_name: (nullable): the `s=` text; %NULL for `-`
 *
 * Formats a whole SDP body holding @media: `v=0`, `o=` (user `-`, session
 * id and version from the clock), `s=`, `c=` with the host of the first
 * `a=path` URI (the one the peer connects to), `t=0 0`, then
 * the media section.
 *
 * Returns: (transfer full): the SDP body
 */
char *
msrp_sdp_media_to_session_string (MsrpSdpMedia *media,
                                  const char   *origin_address,
                                  const char   *session_name)
{
  const char *host = "0.0.0.0";
  guint64 id;
  GString *s;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (media), NULL);
  g_return_val_if_fail (origin_address == NULL || is_address (origin_address), NULL);
  g_return_val_if_fail (session_name == NULL || is_line_text (session_name), NULL);

  if (media->path->len > 0)
    host = msrp_uri_get_host (g_ptr_array_index (media->path, 0));
  if (origin_address == NULL)
    origin_address = host;
  if (session_name == NULL || *session_name == '\0')
    session_name = "-";
  /* RFC 4566 §5.2 suggests an NTP timestamp for the session id. */
  id = (guint64) (g_get_real_time () / G_USEC_PER_SEC) + G_GUINT64_CONSTANT (2208988800);

  s = g_string_new ("v=0\r\n");
  g_string_append_printf (s, "o=- %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " IN %s %s\r\n",
                          id, id, address_type (origin_address), origin_address);
  g_string_append_printf (s, "s=%s\r\n", session_name);
  g_string_append_printf (s, "c=IN %s %s\r\n", address_type (host), host);
  g_string_append (s, "t=0 0\r\n");
  append_media (s, media);
  return g_string_free (s, FALSE);
}

/**
 * msrp_sdp_media_equal:
 * @a: a media section
 * @b: another media section
 *
 * Compares every property of two media sections; paths with
 * msrp_path_equal(). A re-offer that is equal needs no new connection.
 *
 * Returns: %TRUE if all properties are equal
 */
gboolean
msrp_sdp_media_equal (MsrpSdpMedia *a,
                      MsrpSdpMedia *b)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (a), FALSE);
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (b), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (a->file_dates); i++)
    if (g_strcmp0 (a->file_dates[i], b->file_dates[i]) != 0)
      return FALSE;
  return a->port == b->port && a->protocol == b->protocol &&
         msrp_path_equal (a->path, b->path) &&
         strv_equal ((const char * const *) a->accept_types, (const char * const *) b->accept_types) &&
         strv_equal ((const char * const *) a->accept_wrapped_types,
                     (const char * const *) b->accept_wrapped_types) &&
         strv_equal ((const char * const *) a->languages, (const char * const *) b->languages) &&
         a->max_size == b->max_size && a->setup == b->setup &&
         g_strcmp0 (a->fingerprint, b->fingerprint) == 0 && a->cema == b->cema &&
         a->direction == b->direction &&
         msrp_file_selector_equal (a->file_selector, b->file_selector) &&
         g_strcmp0 (a->file_transfer_id, b->file_transfer_id) == 0 &&
         g_strcmp0 (a->file_disposition, b->file_disposition) == 0 &&
         g_strcmp0 (a->file_icon, b->file_icon) == 0 &&
         a->file_range_start == b->file_range_start && a->file_range_stop == b->file_range_stop &&
         strv_equal (extra_attributes (a), extra_attributes (b));
}

/* ---- connection roles ------------------------------------------------------ */

/**
 * msrp_sdp_setup_answer:
 * @offered: the `a=setup` of an offer
 *
 * The role an answerer takes (RFC 4145 §4.1): `active` answers `passive`
 * and the reverse, `holdconn` answers `holdconn`. To `actpass` it answers
 * `active`: RFC 4145 lets the answerer choose, and connecting out is what
 * RFC 6135 is for (the endpoint behind a NAT opens the connection) and
 * what sipsimple does. An offer without `a=setup` makes the offerer active
 * (RFC 4975 §5.4, RFC 6135 §1), so the answer is `passive`, said
 * explicitly.
 *
 * Returns: the answer's role
 */
MsrpSdpSetup
msrp_sdp_setup_answer (MsrpSdpSetup offered)
{
  switch (offered)
    {
    case MSRP_SDP_SETUP_PASSIVE:
    case MSRP_SDP_SETUP_ACTPASS:
      return MSRP_SDP_SETUP_ACTIVE;
    case MSRP_SDP_SETUP_HOLDCONN:
      return MSRP_SDP_SETUP_HOLDCONN;
    case MSRP_SDP_SETUP_ACTIVE:
    case MSRP_SDP_SETUP_NONE:
    default:
      return MSRP_SDP_SETUP_PASSIVE;
    }
}

/**
 * msrp_sdp_media_is_active:
 * @local: our media section
 * @remote: the peer's media section
 * @local_is_offerer: whether @local was the offer
 *
 * Decides who opens the connection once offer and answer are known. The
 * answer's `a=setup` decides when it has a usable one (`active`, `passive`,
 * `holdconn`). Otherwise the offer's does: `passive` makes the answerer
 * connect, `holdconn` makes nobody connect, and `active`, `actpass` or no
 * attribute leave it to the offerer, the RFC 4975 §5.4 rule (also RFC
 * 4145's defaults, `active` in offers and `passive` in answers). With
 * `holdconn` on either side neither endpoint is active.
 *
 * Returns: %TRUE if this endpoint connects to the peer's path
 */
gboolean
msrp_sdp_media_is_active (MsrpSdpMedia *local,
                          MsrpSdpMedia *remote,
                          gboolean      local_is_offerer)
{
  MsrpSdpSetup offer, answer;
  gboolean answerer_active;

  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (local), FALSE);
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (remote), FALSE);

  offer = local_is_offerer ? local->setup : remote->setup;
  answer = local_is_offerer ? remote->setup : local->setup;
  if (offer == MSRP_SDP_SETUP_HOLDCONN || answer == MSRP_SDP_SETUP_HOLDCONN)
    return FALSE;
  if (answer == MSRP_SDP_SETUP_ACTIVE || answer == MSRP_SDP_SETUP_PASSIVE)
    answerer_active = answer == MSRP_SDP_SETUP_ACTIVE;
  else
    answerer_active = offer == MSRP_SDP_SETUP_PASSIVE;
  return local_is_offerer ? !answerer_active : answerer_active;
}

/**
 * msrp_sdp_media_use_session_matching:
 * @local: our media section
 * @remote: the peer's media section
 *
 * Whether incoming requests are matched to the session by session-id
 * only, as RFC 6714 has endpoints do when both advertise CEMA (a
 * middlebox may then rewrite `a=path` without touching To-Path).
 *
 * Returns: %TRUE when both sections have `a=msrp-cema`
 */
gboolean
msrp_sdp_media_use_session_matching (MsrpSdpMedia *local,
                                     MsrpSdpMedia *remote)
{
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (local), FALSE);
  g_return_val_if_fail (MSRP_IS_SDP_MEDIA (remote), FALSE);

  return local->cema && remote->cema;
}
