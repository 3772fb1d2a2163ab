/* msrp-frame.c: one MSRP request or response, and its serializer
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "msrp-frame-private.h"
#include "msrp-error.h"
#include "msrp-uri.h"

/* Default for frames no parser made; the parser sets its own limit. */
#define DEFAULT_MAX_URI_LENGTH 2048
/* Generated ids: 16 characters of 62 carry 95 random bits. */
#define ID_LENGTH MSRP_ID_LENGTH
/* Zeros after a parsed head: a NUL that ends every scan, then room for the
 * whole-vector reads of find_control() (16 bytes) and header_id_padded()
 * (a NameKey from the start of any name, even the last and shortest). */
#define TEXT_PADDING 24
G_STATIC_ASSERT (TEXT_PADDING >= 16 && TEXT_PADDING >= 3 * sizeof (guint64));
/* The least text room of a parsed frame: the heads of a connection's
 * SENDs and responses fit, so one reused frame serves both. */
#define PARSED_TEXT_MIN 512
/* Header fields stored in the frame itself before the array moves to the heap. */
#define N_INLINE_HEADERS 8
/* A Message-ID longer than this is refused (RFC 4975 allows 32 characters;
 * deployed peers send longer ones). */
#define MAX_MESSAGE_ID_LENGTH 256

/* Header fields the frame knows by name. The order of the Content-* ids is
 * their order in serialized frames. */
typedef enum {
  HDR_OTHER,
  HDR_TO_PATH,
  HDR_FROM_PATH,
  HDR_MESSAGE_ID,
  HDR_BYTE_RANGE,
  HDR_SUCCESS_REPORT,
  HDR_FAILURE_REPORT,
  HDR_STATUS,
  HDR_EXPIRES,
  HDR_MIN_EXPIRES,
  HDR_MAX_EXPIRES,
  HDR_USE_PATH,
  HDR_WWW_AUTHENTICATE,
  HDR_AUTHORIZATION,
  HDR_AUTHENTICATION_INFO,
  HDR_USE_NICKNAME,
  HDR_CONTENT_ID,
  HDR_CONTENT_DESCRIPTION,
  HDR_CONTENT_DISPOSITION,
  /* Any other Content-* name: kept as given, serialized with the MIME fields. */
  HDR_CONTENT_OTHER,
  HDR_CONTENT_TYPE,
  N_HDR
} HeaderId;

typedef struct {
  const char *name;
  guint8      length;
} KnownHeader;

static const KnownHeader known_headers[N_HDR] = {
  [HDR_OTHER] = { NULL, 0 },
#define KNOWN(id, text) [id] = { text, sizeof text - 1 }
  KNOWN (HDR_TO_PATH, "To-Path"),
  KNOWN (HDR_FROM_PATH, "From-Path"),
  KNOWN (HDR_MESSAGE_ID, "Message-ID"),
  KNOWN (HDR_BYTE_RANGE, "Byte-Range"),
  KNOWN (HDR_SUCCESS_REPORT, "Success-Report"),
  KNOWN (HDR_FAILURE_REPORT, "Failure-Report"),
  KNOWN (HDR_STATUS, "Status"),
  KNOWN (HDR_EXPIRES, "Expires"),
  KNOWN (HDR_MIN_EXPIRES, "Min-Expires"),
  KNOWN (HDR_MAX_EXPIRES, "Max-Expires"),
  KNOWN (HDR_USE_PATH, "Use-Path"),
  KNOWN (HDR_WWW_AUTHENTICATE, "WWW-Authenticate"),
  KNOWN (HDR_AUTHORIZATION, "Authorization"),
  KNOWN (HDR_AUTHENTICATION_INFO, "Authentication-Info"),
  KNOWN (HDR_USE_NICKNAME, "Use-Nickname"),
  KNOWN (HDR_CONTENT_ID, "Content-ID"),
  KNOWN (HDR_CONTENT_DESCRIPTION, "Content-Description"),
  KNOWN (HDR_CONTENT_DISPOSITION, "Content-Disposition"),
  [HDR_CONTENT_OTHER] = { NULL, 0 },
  KNOWN (HDR_CONTENT_TYPE, "Content-Type"),
#undef KNOWN
};

static const HeaderId path_header[MSRP_N_PATHS] = {
  [MSRP_PATH_TO] = HDR_TO_PATH,
  [MSRP_PATH_FROM] = HDR_FROM_PATH,
  [MSRP_PATH_USE] = HDR_USE_PATH,
};

typedef struct {
  const char *name;
  const char *value;
  guint32     name_length;
  guint32     value_length;
  guint8      id;
} Header;

/* Strings set after construction live in a chain of blocks, so pointers
 * handed out by the getters stay valid while other fields change. */
typedef struct _Block Block;
struct _Block {
  Block *next;
  gsize  used;
  gsize  size;
  char   data[];
};

struct _MsrpFrame {
  gatomicrefcount  ref_count;
  gboolean         is_request;
  MsrpMethod       method;
  guint            status;
  MsrpContinuation continuation;
  const char      *method_name;
  const char      *comment;
  char             tid[MSRP_MAX_TRANSACTION_ID_LENGTH + 1];

  Header          *headers;
  guint            n_headers;
  guint            headers_size;
  /* Where the first field of each known id is (-1: none), and which ids
   * occur more than once; rebuilt after the fields change. */
  gint32           first[N_HDR];
  guint32          repeated;
  gboolean         index_valid;

  GBytes          *body;
  GError          *parse_error;
  GPtrArray       *paths[MSRP_N_PATHS];
  gsize            max_uri_length;
  gboolean         long_path;      /* a path value longer than max_uri_length */
  gboolean         body_follows;
  /* A parsed response not validated yet: msrp_frame_get_parse_error() and
   * the first change to the frame validate it (see complete_head()). */
  gboolean         validation_pending;
  /* While the parser builds a request: the cache slots of its first
   * To-Path and From-Path lines, for msrp_line_cache_remember_paths(). */
  MsrpCachedLine  *path_lines[MSRP_N_PATHS];
  Block           *blocks;
  /* The Byte-Range value parsed last (validation parses it, the session
   * again) and its numbers. Values are never freed or reused while the
   * frame lives, so the pointer tells a changed field. */
  const char      *range_value;
  gint64           range[3];
  gsize            text_size;      /* allocated for text[] */

  Header           inline_headers[N_INLINE_HEADERS];
  /* The head text of a parsed frame; names and values point into it. */
  char             text[];
};

G_DEFINE_BOXED_TYPE (MsrpFrame, msrp_frame, msrp_frame_ref, msrp_frame_unref)

/* Character classes of RFC 4975: token (hname, method names, media types)
 * and ident-char (transaction ids). */
enum {
  TOKEN = 1,
  IDENT = 2,
};

#define TI (TOKEN | IDENT)
static const guint8 char_class[256] = {
  ['!'] = TOKEN, ['#'] = TOKEN, ['$'] = TOKEN, ['&'] = TOKEN, ['\''] = TOKEN, ['*'] = TOKEN,
  ['^'] = TOKEN, ['_'] = TOKEN, ['`'] = TOKEN, ['|'] = TOKEN, ['~'] = TOKEN,
  ['%'] = TI, ['+'] = TI, ['-'] = TI, ['.'] = TI, ['='] = IDENT,
  ['0'] = TI, ['1'] = TI, ['2'] = TI, ['3'] = TI, ['4'] = TI, ['5'] = TI, ['6'] = TI, ['7'] = TI, ['8'] = TI, ['9'] = TI,
  ['A'] = TI, ['B'] = TI, ['C'] = TI, ['D'] = TI, ['E'] = TI, ['F'] = TI, ['G'] = TI, ['H'] = TI, ['I'] = TI,
  ['J'] = TI, ['K'] = TI, ['L'] = TI, ['M'] = TI, ['N'] = TI, ['O'] = TI, ['P'] = TI, ['Q'] = TI, ['R'] = TI,
  ['S'] = TI, ['T'] = TI, ['U'] = TI, ['V'] = TI, ['W'] = TI, ['X'] = TI, ['Y'] = TI, ['Z'] = TI,
  ['a'] = TI, ['b'] = TI, ['c'] = TI, ['d'] = TI, ['e'] = TI, ['f'] = TI, ['g'] = TI, ['h'] = TI, ['i'] = TI,
  ['j'] = TI, ['k'] = TI, ['l'] = TI, ['m'] = TI, ['n'] = TI, ['o'] = TI, ['p'] = TI, ['q'] = TI, ['r'] = TI,
  ['s'] = TI, ['t'] = TI, ['u'] = TI, ['v'] = TI, ['w'] = TI, ['x'] = TI, ['y'] = TI, ['z'] = TI,
};
#undef TI

/* The number of token characters at the start of the string @text. */
static gsize
token_span (const char *text)
{
  gsize n = 0;

  while (char_class[(guint8) text[n]] & TOKEN)
    n++;
  return n;
}

static gboolean
is_token (const char *text, gsize length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!(char_class[(guint8) text[i]] & TOKEN))
      return FALSE;
  return TRUE;
}

static gboolean
is_text_byte (guint8 c)
{
  return (c >= 0x20 && c != 0x7f) || c == '\t';
}

#define ONES G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS (ONES * 0x80)

/* 0x80 in bytes of the 8 at @p that are below 0x20 or are DEL. Borrows may
 * mark bytes after a marked one, so only the first mark is exact; a word
 * without a mark has no such byte. */
static inline guint64
control_marks (const char *p)
{
  guint64 x, del;

  memcpy (&x, p, 8);
  del = x ^ (ONES * 0x7f);
  return (((x - ONES * 0x20) & ~x) | ((del - ONES) & ~del)) & HIGHS;
}

/* The first byte from @p on that is not utf8text of RFC 4975 (checked
 * without UTF-8 validation): a control character other than HTAB, or DEL;
 * and the first ':' before it in @colon (%NULL if none). Sixteen bytes at
 * a time where SSE2 is there, as it runs over every header line the parser
 * reads; the caller guarantees such a byte, and 15 readable bytes after it. */
static const char *
find_control (const char *p, const char **colon)
{
  const char *end;
#ifdef __SSE2__
  const __m128i below = _mm_set1_epi8 (0x1f), del = _mm_set1_epi8 (0x7f);
  const __m128i tab = _mm_set1_epi8 ('\t'), colons = _mm_set1_epi8 (':');

  *colon = NULL;
  for (;; p += 16)
    {
      __m128i x = _mm_loadu_si128 ((const __m128i *) p);
      __m128i control = _mm_or_si128 (_mm_cmpeq_epi8 (_mm_max_epu8 (x, below), below),
                                      _mm_cmpeq_epi8 (x, del));
      int mask = _mm_movemask_epi8 (_mm_andnot_si128 (_mm_cmpeq_epi8 (x, tab), control));
      int colon_mask = *colon ? 0 : _mm_movemask_epi8 (_mm_cmpeq_epi8 (x, colons));

      if (colon_mask != 0)
        *colon = p + __builtin_ctz (colon_mask);
      if (mask != 0)
        {
          end = p + __builtin_ctz (mask);
          break;
        }
    }
#else
  const char *start = p;

  for (;;)
    {
      guint64 marks = control_marks (p);

      if (marks == 0)
        {
          p += 8;
          continue;
        }
      for (end = p; is_text_byte (*end); end++)
        ;
      if (*end != '\t')
        break;
      p = end + 1;
    }
  *colon = memchr (start, ':', end - start);
#endif
  if (*colon && *colon > end)
    *colon = NULL;
  return end;
}

/* utf8text: no control characters except HTAB, so a value can never break
 * the framing when written. */
static gboolean
is_text (const char *text, gsize length)
{
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    if (control_marks (text + i))
      break;
  for (; i < length; i++)
    if (!is_text_byte (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * msrp_is_transaction_id:
 * @text: the candidate
 * @length: its length
 *
 * Whether @text is an RFC 4975 `ident`: an alphanumeric character and 3 to
 * 31 more of letters, digits and `.-+%=`.
 *
 * Returns: %TRUE for a valid transaction id
 */
gboolean
msrp_is_transaction_id (const char *text, gsize length)
{
  const guint8 *t = (const guint8 *) text;
  guint8 all = IDENT;
  gsize i = 1;

  if (length < 4 || length > MSRP_MAX_TRANSACTION_ID_LENGTH || !g_ascii_isalnum (text[0]))
    return FALSE;
  /* Every start line's id is checked: four classes a step, no branch per
   * character. */
  for (; i + 4 <= length; i += 4)
    all &= char_class[t[i]] & char_class[t[i + 1]] & char_class[t[i + 2]] & char_class[t[i + 3]];
  for (; i < length; i++)
    all &= char_class[t[i]];
  return (all & IDENT) != 0;
}

/**
 * msrp_is_method_name:
 * @text: the candidate
 * @length: its length
 *
 * Whether @text can be a method: a letter and more token characters. This
 * is wider than RFC 4975's `1*UPALPHA` so that names such as `FILE_OFFSET`
 * parse (and get a 501).
 *
 * Returns: %TRUE when @text is acceptable as a method name
 */
gboolean
msrp_is_method_name (const char *text, gsize length)
{
  return length > 0 && g_ascii_isalpha (text[0]) && is_token (text, length);
}

/* Known names by length (the longest is 19), for a quick lookup. */
static const guint8 headers_by_length[20][4] = {
  [6] = { HDR_STATUS },
  [7] = { HDR_TO_PATH, HDR_EXPIRES },
  [8] = { HDR_USE_PATH },
  [9] = { HDR_FROM_PATH },
  [10] = { HDR_MESSAGE_ID, HDR_BYTE_RANGE, HDR_CONTENT_ID },
  [11] = { HDR_MIN_EXPIRES, HDR_MAX_EXPIRES },
  [12] = { HDR_CONTENT_TYPE, HDR_USE_NICKNAME },
  [13] = { HDR_AUTHORIZATION },
  [14] = { HDR_SUCCESS_REPORT, HDR_FAILURE_REPORT },
  [16] = { HDR_WWW_AUTHENTICATE },
  [19] = { HDR_AUTHENTICATION_INFO, HDR_CONTENT_DESCRIPTION, HDR_CONTENT_DISPOSITION },
};

/* A header name as three words, zero-padded, with 0x20 set in every byte:
 * for names without control characters that is an exact case-insensitive
 * key, since the known names hold only letters and '-' (and `c | 0x20` is
 * '-' only for '-' and CR). */
typedef struct {
  guint64 w[3];
} NameKey;

static NameKey known_keys[N_HDR];
static NameKey content_key;
/* For each name length: all bits of the bytes within the length. */
static NameKey length_masks[G_N_ELEMENTS (headers_by_length)];

static void
make_key (NameKey *key, const char *name, gsize length)
{
  guint8 bytes[sizeof (NameKey)] = { 0 };

  /* The zero padding becomes 0x20 too: keys of equal length still compare
   * exactly. */
  memcpy (bytes, name, length);
  memcpy (key->w, bytes, sizeof bytes);
  for (guint i = 0; i < G_N_ELEMENTS (key->w); i++)
    key->w[i] |= ONES * 0x20;
}

static void
init_known_keys (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint id = 0; id < N_HDR; id++)
        if (known_headers[id].name)
          make_key (&known_keys[id], known_headers[id].name, known_headers[id].length);
      make_key (&content_key, "Content-", 8);
      for (guint length = 0; length < G_N_ELEMENTS (length_masks); length++)
        {
          guint8 bytes[sizeof (NameKey)] = { 0 };
          memset (bytes, 0xff, length);
          memcpy (length_masks[length].w, bytes, sizeof bytes);
        }
      g_once_init_leave (&done, 1);
    }
}

static HeaderId
lookup_key (const NameKey *key, gsize length)
{
  for (const guint8 *id = headers_by_length[length]; *id != HDR_OTHER; id++)
    if (key->w[0] == known_keys[*id].w[0] && key->w[1] == known_keys[*id].w[1]
        && key->w[2] == known_keys[*id].w[2])
      return *id;
  if (length > 8 && key->w[0] == content_key.w[0])
    return HDR_CONTENT_OTHER;
  return HDR_OTHER;
}

/* The id of a header name without control characters (the keys are exact
 * for those, see NameKey). */
static HeaderId
header_id (const char *name, gsize length)
{
  NameKey key;

  init_known_keys ();
  if (length >= G_N_ELEMENTS (headers_by_length))
    {
      make_key (&key, name, 8);
      return key.w[0] == content_key.w[0] ? HDR_CONTENT_OTHER : HDR_OTHER;
    }
  make_key (&key, name, length);
  return lookup_key (&key, length);
}

/* header_id() for a name with at least sizeof (NameKey) readable bytes
 * from its start, as in parsed text (see TEXT_PADDING): no copying. The
 * caller has run init_known_keys(). */
static HeaderId
header_id_padded (const char *name, gsize length)
{
  NameKey key;

  if (length >= G_N_ELEMENTS (headers_by_length))
    return header_id (name, length);
  memcpy (key.w, name, sizeof key.w);
  for (guint i = 0; i < G_N_ELEMENTS (key.w); i++)
    key.w[i] = (key.w[i] & length_masks[length].w[i]) | ONES * 0x20;
  return lookup_key (&key, length);
}

static MsrpMethod
method_from_name (const char *name, gsize length)
{
  /* Method names are case-sensitive (RFC 4975 §9). */
  switch (length)
    {
    case 4:
      if (memcmp (name, "SEND", 4) == 0)
        return MSRP_METHOD_SEND;
      if (memcmp (name, "AUTH", 4) == 0)
        return MSRP_METHOD_AUTH;
      break;
    case 6:
      if (memcmp (name, "REPORT", 6) == 0)
        return MSRP_METHOD_REPORT;
      break;
    case 8:
      if (memcmp (name, "NICKNAME", 8) == 0)
        return MSRP_METHOD_NICKNAME;
      break;
    default:
      break;
    }
  return MSRP_METHOD_UNKNOWN;
}

static const char *
method_static_name (MsrpMethod method)
{
  switch (method)
    {
    case MSRP_METHOD_SEND: return "SEND";
    case MSRP_METHOD_REPORT: return "REPORT";
    case MSRP_METHOD_AUTH: return "AUTH";
    case MSRP_METHOD_NICKNAME: return "NICKNAME";
    case MSRP_METHOD_UNKNOWN:
    default: return NULL;
    }
}

/* A new frame, made of @spare (from msrp_frame_unref_to_spare(), taken)
 * when it is large enough. */
static MsrpFrame *
frame_alloc_from (MsrpFrame *spare, gsize text_size, guint n_headers)
{
  MsrpFrame *frame = spare;

  if (frame == NULL || frame->text_size < text_size)
    {
      g_free (frame);
      frame = g_malloc (sizeof (MsrpFrame) + text_size);
    }
  else
    text_size = frame->text_size;

  /* The inline header slots are written before they are read. */
  memset (frame, 0, G_STRUCT_OFFSET (MsrpFrame, inline_headers));
  frame->text_size = text_size;
  g_atomic_ref_count_init (&frame->ref_count);
  frame->continuation = MSRP_CONTINUATION_COMPLETE;
  frame->max_uri_length = DEFAULT_MAX_URI_LENGTH;
  if (n_headers > N_INLINE_HEADERS)
    {
      frame->headers = g_new (Header, n_headers);
      frame->headers_size = n_headers;
    }
  else
    {
      frame->headers = frame->inline_headers;
      frame->headers_size = N_INLINE_HEADERS;
    }
  return frame;
}

static MsrpFrame *
frame_alloc (gsize text_size, guint n_headers)
{
  return frame_alloc_from (NULL, text_size, n_headers);
}

static void settle_validation (MsrpFrame *frame);

/* Frees what the frame holds besides itself. */
static void
frame_clear (MsrpFrame *frame)
{
  for (guint kind = 0; kind < MSRP_N_PATHS; kind++)
    g_clear_pointer (&frame->paths[kind], g_ptr_array_unref);
  g_clear_pointer (&frame->body, g_bytes_unref);
  /* Mostly there is none: no call then. */
  if (frame->parse_error != NULL)
    g_clear_error (&frame->parse_error);
  if (frame->headers != frame->inline_headers)
    g_free (frame->headers);
  while (frame->blocks)
    {
      Block *next = frame->blocks->next;
      g_free (frame->blocks);
      frame->blocks = next;
    }
}

/* A NUL-terminated copy of @text in the frame's blocks. */
static const char *
frame_strndup (MsrpFrame *frame, const char *text, gsize length)
{
  Block *block = frame->blocks;
  char *copy;

  if (block == NULL || block->size - block->used < length + 1)
    {
      gsize size = MAX (256, length + 1);
      block = g_malloc (sizeof (Block) + size);
      block->next = frame->blocks;
      block->used = 0;
      block->size = size;
      frame->blocks = block;
    }
  copy = block->data + block->used;
  memcpy (copy, text, length);
  copy[length] = '\0';
  block->used += length + 1;
  return copy;
}

static Header *
append_header_slot (MsrpFrame *frame)
{
  frame->index_valid = FALSE;
  if (frame->n_headers == frame->headers_size)
    {
      guint size = frame->headers_size * 2;
      if (frame->headers == frame->inline_headers)
        {
          frame->headers = g_new (Header, size);
          memcpy (frame->headers, frame->inline_headers, sizeof frame->inline_headers);
        }
      else
        frame->headers = g_renew (Header, frame->headers, size);
      frame->headers_size = size;
    }
  return &frame->headers[frame->n_headers++];
}

static void
invalidate_path (MsrpFrame *frame, HeaderId id)
{
  for (guint kind = 0; kind < MSRP_N_PATHS; kind++)
    if (path_header[kind] == id)
      g_clear_pointer (&frame->paths[kind], g_ptr_array_unref);
}

static void
ensure_index (MsrpFrame *frame)
{
  if (frame->index_valid)
    return;
  memset (frame->first, 0xff, sizeof frame->first);
  frame->repeated = 0;
  for (guint i = 0; i < frame->n_headers; i++)
    {
      guint8 id = frame->headers[i].id;
      if (frame->first[id] < 0)
        frame->first[id] = i;
      else
        frame->repeated |= 1u << id;
    }
  frame->index_valid = TRUE;
}

static const Header *
find_header_id (MsrpFrame *frame, HeaderId id)
{
  ensure_index (frame);
  return frame->first[id] < 0 ? NULL : &frame->headers[frame->first[id]];
}

static const char *
get_known (MsrpFrame *frame, HeaderId id)
{
  const Header *header = find_header_id (frame, id);
  return header ? header->value : NULL;
}

static gboolean
header_matches (const Header *header, HeaderId id, const char *name)
{
  if (id != HDR_OTHER && id != HDR_CONTENT_OTHER)
    return header->id == id;
  return header->id == id && g_ascii_strcasecmp (header->name, name) == 0;
}

/* Random bytes drawn 512 at a time (one call costs as much as an id's
 * worth of bytes), per thread; a byte is used once and wiped. */
typedef struct {
  gsize  used;
  guint8 bytes[512];
} RandomPool;

/* The thread's pool. Not inlined: the compiler would find the address of a
 * thread-local variable through a call at each use (some forty per id). */
static G_GNUC_NO_INLINE RandomPool *
random_pool (void)
{
  static _Thread_local RandomPool pool = { .used = sizeof pool.bytes };

  return &pool;
}

/* Writes a random identifier and its NUL into @id (ID_LENGTH + 1 bytes):
 * eight characters from each of two random words. A word's top 58 bits,
 * read as a fraction, give its first eight base-62 digits by repeated
 * multiplication (x * 62 fits 64 bits); 2^58 / 62^8 is about 1322, so no
 * id is more than 1/1300 likelier than another. A character a test and a
 * table look-up each did some 270 instructions an id. */
void
msrp_fill_id (char *id)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const guint64 mask = (G_GUINT64_CONSTANT (1) << 58) - 1;
  RandomPool *pool = random_pool ();

  G_STATIC_ASSERT (sizeof pool->bytes % 8 == 0);
  G_STATIC_ASSERT (ID_LENGTH == 2 * 8);
  for (guint w = 0; w < 2; w++)
    {
      guint64 x;

      if (pool->used == sizeof pool->bytes)
        {
          if (gnutls_rnd (GNUTLS_RND_NONCE, pool->bytes, sizeof pool->bytes) < 0)
            g_error ("gnutls_rnd failed");
          pool->used = 0;
        }
      memcpy (&x, pool->bytes + pool->used, 8);
      memset (pool->bytes + pool->used, 0, 8);
      pool->used += 8;
      x >>= 6;
      for (guint i = 0; i < 8; i++)
        {
          x *= 62;
          *id++ = alphabet[x >> 58];
          x &= mask;
        }
    }
  *id = '\0';
}


guint
msrp_id_hash (gconstpointer key)
{
  const char *s = key;
  gsize length = strlen (s);
  guint64 h = length;
  guint64 word;

  for (; length >= 8; s += 8, length -= 8)
    {
      memcpy (&word, s, 8);
      h = (h ^ word) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
    }
  word = 0;
  memcpy (&word, s, length);
  h = (h ^ word) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return (guint) (h >> 32);
}

/**
 * msrp_generate_id:
 *
 * Makes a random identifier for a transaction id or a Message-ID: 16
 * alphanumeric characters, 95 random bits from the gnutls random generator
 * (GLib's is predictable, and a guessable transaction id would let message
 * content forge an end line).
 *
 * Returns: (transfer full): a new identifier
 */
char *
msrp_generate_id (void)
{
  char *id = g_malloc (ID_LENGTH + 1);

  msrp_fill_id (id);
  return id;
}

static void
set_random_tid (MsrpFrame *frame)
{
  G_STATIC_ASSERT (sizeof frame->tid >= ID_LENGTH + 1);
  msrp_fill_id (frame->tid);
}

/**
 * msrp_frame_new_request:
 * @method: the method, such as `SEND`; any token starting with a letter
 * @transaction_id: (nullable): the transaction id, or %NULL for a random one
 *
 * Makes a request with no header fields and no body; the continuation flag
 * is `$`.
 *
 * Returns: (transfer full): a new request
 */
MsrpFrame *
msrp_frame_new_request (const char *method, const char *transaction_id)
{
  MsrpFrame *frame;
  gsize length;

  g_return_val_if_fail (method != NULL, NULL);
  length = strlen (method);
  g_return_val_if_fail (msrp_is_method_name (method, length), NULL);
  g_return_val_if_fail (transaction_id == NULL
                        || msrp_is_transaction_id (transaction_id, strlen (transaction_id)), NULL);

  frame = frame_alloc (0, 0);
  frame->is_request = TRUE;
  frame->method = method_from_name (method, length);
  frame->method_name = method_static_name (frame->method);
  if (frame->method_name == NULL)
    frame->method_name = frame_strndup (frame, method, length);
  if (transaction_id)
    strcpy (frame->tid, transaction_id);
  else
    set_random_tid (frame);
  return frame;
}

/**
 * msrp_frame_new_response:
 * @transaction_id: the transaction id of the request answered
 * @status: the status code, 100 to 999
 * @comment: (nullable): the comment of the response line, or %NULL for the
 *   reason msrp_status_reason() gives (none when it has none)
 *
 * Makes a response with no header fields. See also
 * msrp_frame_new_response_for(), which also fills in the paths.
 *
 * Returns: (transfer full): a new response
 */
MsrpFrame *
msrp_frame_new_response (const char *transaction_id, guint status, const char *comment)
{
  MsrpFrame *frame;

  g_return_val_if_fail (transaction_id != NULL, NULL);
  g_return_val_if_fail (msrp_is_transaction_id (transaction_id, strlen (transaction_id)), NULL);
  g_return_val_if_fail (status >= 100 && status <= 999, NULL);
  g_return_val_if_fail (comment == NULL || is_text (comment, strlen (comment)), NULL);

  frame = frame_alloc (0, 0);
  frame->status = status;
  strcpy (frame->tid, transaction_id);
  if (comment == NULL)
    comment = msrp_status_reason (status);
  if (comment)
    frame->comment = frame_strndup (frame, comment, strlen (comment));
  return frame;
}

/* The first URI of a path value: up to the first white space. */
static gsize
first_uri_length (const char *value)
{
  return strcspn (value, " \t");
}

/* How much of the request's From-Path @from the To-Path of its response
 * takes: the first URI for a SEND, all of it for other methods. */
static gsize
response_to_path_length (const MsrpFrame *request, const char *from)
{
  return request->method == MSRP_METHOD_SEND ? first_uri_length (from) : strlen (from);
}

/**
 * msrp_frame_new_response_for:
 * @request: the request answered
 * @status: the status code, 100 to 999
 * @comment: (nullable): the comment, or %NULL for the standard reason
 *
 * Makes the transaction response to @request (RFC 4975 §7.2): the same
 * transaction id; a From-Path with the first URI of the request's To-Path
 * (this hop); a To-Path with the first URI of the request's From-Path for a
 * SEND, whose responses go back one hop only, and with the whole From-Path
 * for other methods, whose responses retrace the path. Paths the request
 * lacks are left out.
 *
 * Returns: (transfer full): a new response
 */
MsrpFrame *
msrp_frame_new_response_for (MsrpFrame *request, guint status, const char *comment)
{
  MsrpFrame *response;
  const char *to, *from;

  g_return_val_if_fail (request != NULL && request->is_request, NULL);

  response = msrp_frame_new_response (request->tid, status, comment);
  from = get_known (request, HDR_FROM_PATH);
  to = get_known (request, HDR_TO_PATH);
  if (from)
    {
      gsize length = response_to_path_length (request, from);
      Header *header = append_header_slot (response);
      *header = (Header) { known_headers[HDR_TO_PATH].name, frame_strndup (response, from, length),
                           known_headers[HDR_TO_PATH].length, length, HDR_TO_PATH };
    }
  if (to)
    {
      gsize length = first_uri_length (to);
      Header *header = append_header_slot (response);
      *header = (Header) { known_headers[HDR_FROM_PATH].name, frame_strndup (response, to, length),
                           known_headers[HDR_FROM_PATH].length, length, HDR_FROM_PATH };
    }
  return response;
}

/**
 * msrp_frame_ref:
 * @frame: a frame
 *
 * Takes a reference.
 *
 * Returns: (transfer full): @frame
 */
MsrpFrame *
msrp_frame_ref (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_atomic_ref_count_inc (&frame->ref_count);
  return frame;
}

/**
 * msrp_frame_unref:
 * @frame: (transfer full): a frame
 *
 * Drops a reference; the last one frees the frame.
 */
void
msrp_frame_unref (MsrpFrame *frame)
{
  g_return_if_fail (frame != NULL);
  if (!g_atomic_ref_count_dec (&frame->ref_count))
    return;

  frame_clear (frame);
  g_free (frame);
}

MsrpFrame *
msrp_frame_unref_to_spare (MsrpFrame *frame)
{
  if (!g_atomic_ref_count_compare (&frame->ref_count, 1))
    {
      msrp_frame_unref (frame);
      return NULL;
    }
  frame_clear (frame);
  return frame;
}

void
msrp_frame_free_spare (MsrpFrame *spare)
{
  g_free (spare);
}

/**
 * msrp_frame_is_request:
 * @frame: a frame
 *
 * Whether the frame is a request or a response.
 *
 * Returns: %TRUE for a request, %FALSE for a response
 */
gboolean
msrp_frame_is_request (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, FALSE);
  return frame->is_request;
}

/**
 * msrp_frame_get_method:
 * @frame: a frame
 *
 * The method of a request, as an enumeration.
 *
 * Returns: the method of a request; %MSRP_METHOD_UNKNOWN for a response or
 *   a method libmsrp has no name for
 */
MsrpMethod
msrp_frame_get_method (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, MSRP_METHOD_UNKNOWN);
  return frame->method;
}

/**
 * msrp_frame_get_method_name:
 * @frame: a frame
 *
 * The method of a request, as written on its start line.
 *
 * Returns: (nullable): the method of a request as written, %NULL for a response
 */
const char *
msrp_frame_get_method_name (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->method_name;
}

/**
 * msrp_frame_get_status:
 * @frame: a frame
 *
 * The status code of a response.
 *
 * Returns: the status code of a response, 0 for a request
 */
guint
msrp_frame_get_status (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->status;
}

/**
 * msrp_frame_get_comment:
 * @frame: a frame
 *
 * The comment after the status code of a response line.
 *
 * Returns: (nullable): the comment of a response line, %NULL when it has none
 */
const char *
msrp_frame_get_comment (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->comment;
}

/**
 * msrp_frame_get_transaction_id:
 * @frame: a frame
 *
 * The transaction id of the start line and end line.
 *
 * Returns: the transaction id
 */
const char *
msrp_frame_get_transaction_id (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->tid;
}

/**
 * msrp_frame_get_continuation:
 * @frame: a frame
 *
 * The continuation flag of the end line: the one read for a parsed frame
 * (once its end line arrived), the one set for a frame to send.
 *
 * Returns: the flag
 */
MsrpContinuation
msrp_frame_get_continuation (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, MSRP_CONTINUATION_COMPLETE);
  return frame->continuation;
}

/**
 * msrp_frame_set_continuation:
 * @frame: a frame
 * @flag: the continuation flag of the end line
 *
 * Sets the flag the serializer writes; the default is `$`.
 */
void
msrp_frame_set_continuation (MsrpFrame *frame, MsrpContinuation flag)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (flag == MSRP_CONTINUATION_COMPLETE || flag == MSRP_CONTINUATION_MORE
                    || flag == MSRP_CONTINUATION_ABORT);
  frame->continuation = flag;
}

/**
 * msrp_frame_get_header:
 * @frame: a frame
 * @name: a header field name, in any case
 *
 * The value of the first header field named @name, without the white space
 * around it. The string stays valid as long as the frame, whatever is
 * changed later.
 *
 * Returns: (nullable): the value, or %NULL when there is no such field
 */
const char *
msrp_frame_get_header (MsrpFrame *frame, const char *name)
{
  HeaderId id;

  gsize length;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  /* Fields have token names: anything else names none of them. */
  length = strlen (name);
  if (!is_token (name, length))
    return NULL;
  id = header_id (name, length);
  if (id != HDR_OTHER && id != HDR_CONTENT_OTHER)
    return get_known (frame, id);
  for (guint i = 0; i < frame->n_headers; i++)
    if (header_matches (&frame->headers[i], id, name))
      return frame->headers[i].value;
  return NULL;
}

static gboolean
is_field (const char *name, const char *value)
{
  return name != NULL && g_ascii_isalpha (name[0]) && is_token (name, strlen (name))
         && value != NULL && is_text (value, strlen (value));
}

static void
fill_header (MsrpFrame *frame, Header *header, HeaderId id, const char *name, const char *value)
{
  gsize name_length = strlen (name), value_length = strlen (value);

  header->id = id;
  header->name = frame_strndup (frame, name, name_length);
  header->name_length = name_length;
  header->value = frame_strndup (frame, value, value_length);
  header->value_length = value_length;
}

/**
 * msrp_frame_set_header:
 * @frame: a frame
 * @name: a header field name (a token starting with a letter)
 * @value: the value: text without control characters other than tab
 *
 * Replaces the value of the first field named @name (in any case) and
 * removes the others of that name, or adds the field at the end when there
 * is none.
 */
void
msrp_frame_set_header (MsrpFrame *frame, const char *name, const char *value)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (is_field (name, value));

  msrp_frame_set_header_unchecked (frame, name, value);
}

void
msrp_frame_set_header_unchecked (MsrpFrame *frame, const char *name, const char *value)
{
  HeaderId id;
  guint i, kept;

  settle_validation (frame);
  id = header_id (name, strlen (name));
  invalidate_path (frame, id);
  for (i = 0; i < frame->n_headers; i++)
    if (header_matches (&frame->headers[i], id, name))
      break;
  if (i == frame->n_headers)
    {
      fill_header (frame, append_header_slot (frame), id, name, value);
      return;
    }
  fill_header (frame, &frame->headers[i], id, name, value);
  frame->index_valid = FALSE;
  kept = ++i;
  for (; i < frame->n_headers; i++)
    if (!header_matches (&frame->headers[i], id, name))
      frame->headers[kept++] = frame->headers[i];
  frame->n_headers = kept;
}

/**
 * msrp_frame_add_header:
 * @frame: a frame
 * @name: a header field name (a token starting with a letter)
 * @value: the value: text without control characters other than tab
 *
 * Adds a field at the end, even when one of that name exists.
 */
void
msrp_frame_add_header (MsrpFrame *frame, const char *name, const char *value)
{
  HeaderId id;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (is_field (name, value));

  settle_validation (frame);
  id = header_id (name, strlen (name));
  invalidate_path (frame, id);
  fill_header (frame, append_header_slot (frame), id, name, value);
}

/**
 * msrp_frame_remove_header:
 * @frame: a frame
 * @name: a header field name, in any case
 *
 * Removes every field named @name.
 *
 * Returns: %TRUE when there was one
 */
gboolean
msrp_frame_remove_header (MsrpFrame *frame, const char *name)
{
  HeaderId id;
  guint kept = 0;
  gboolean removed;

  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!is_token (name, strlen (name)))
    return FALSE;
  settle_validation (frame);
  id = header_id (name, strlen (name));
  invalidate_path (frame, id);
  for (guint i = 0; i < frame->n_headers; i++)
    if (!header_matches (&frame->headers[i], id, name))
      frame->headers[kept++] = frame->headers[i];
  removed = kept != frame->n_headers;
  frame->n_headers = kept;
  frame->index_valid = FALSE;
  return removed;
}

/**
 * msrp_frame_get_n_headers:
 * @frame: a frame
 *
 * How many header fields the frame has.
 *
 * Returns: the number of header fields
 */
guint
msrp_frame_get_n_headers (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, 0);
  return frame->n_headers;
}

/**
 * msrp_frame_get_nth_header:
 * @frame: a frame
 * @i: the index of a field, from 0, in the order read or added
 * @name: (out) (optional) (transfer none): the name as written
 * @value: (out) (optional) (transfer none): the value
 *
 * Reads one header field, for iterating over all of them.
 *
 * Returns: %FALSE when @i is out of range
 */
gboolean
msrp_frame_get_nth_header (MsrpFrame *frame, guint i, const char **name, const char **value)
{
  g_return_val_if_fail (frame != NULL, FALSE);

  if (i >= frame->n_headers)
    return FALSE;
  if (name)
    *name = frame->headers[i].name;
  if (value)
    *value = frame->headers[i].value;
  return TRUE;
}

static gboolean
uri_lengths_ok (const Header *header, gsize max_length, MsrpError code, GError **error)
{
  const char *p = header->value, *end = p + header->value_length;

  if (header->value_length <= max_length)
    return TRUE;

  while (p < end)
    {
      gsize length = strcspn (p, " \t");
      if (length > max_length)
        {
          g_set_error (error, MSRP_ERROR, code, "a URI in %s is longer than %" G_GSIZE_FORMAT " bytes",
                       known_headers[header->id].name, max_length);
          return FALSE;
        }
      p += length;
      p += strspn (p, " \t");
    }
  return TRUE;
}

/* Parses (and caches) one path field; errors: MALFORMED when absent,
 * INVALID_URI when it does not parse or a URI is too long. */
static GPtrArray *
ensure_path (MsrpFrame *frame, MsrpPathKind kind, GError **error)
{
  const Header *header;

  if (frame->paths[kind])
    return frame->paths[kind];

  header = find_header_id (frame, path_header[kind]);
  if (header == NULL)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "no %s header field",
                   known_headers[path_header[kind]].name);
      return NULL;
    }

  /* Check lengths before parsing, so a huge URI costs nothing. */
  if (!uri_lengths_ok (header, frame->max_uri_length, MSRP_ERROR_INVALID_URI, error))
    return NULL;

  frame->paths[kind] = msrp_path_parse_len (header->value, header->value_length, error);
  return frame->paths[kind];
}

GPtrArray *
msrp_path_copy (GPtrArray *path)
{
  GPtrArray *copy;

  if (path == NULL)
    return NULL;
  copy = msrp_path_new ();
  for (guint i = 0; i < path->len; i++)
    g_ptr_array_add (copy, msrp_uri_ref (path->pdata[i]));
  return copy;
}

/**
 * msrp_frame_get_to_path:
 * @frame: a frame
 * @error: return location for a #GError
 *
 * Parses the To-Path. The frame keeps the parsed path, so asking again
 * costs a copy of the array only.
 *
 * Returns: (transfer container) (element-type MsrpUri) (nullable): the
 *   URIs, first hop first, in an array that holds a reference on each (as
 *   msrp_path_parse() returns them); %NULL with %MSRP_ERROR_MALFORMED when
 *   the field is missing,
 *   with %MSRP_ERROR_INVALID_URI when it does not parse or a URI is longer
 *   than the limit
 */
GPtrArray *
msrp_frame_get_to_path (MsrpFrame *frame, GError **error)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return msrp_path_copy (ensure_path (frame, MSRP_PATH_TO, error));
}

/**
 * msrp_frame_get_from_path:
 * @frame: a frame
 * @error: return location for a #GError
 *
 * Parses the From-Path, like msrp_frame_get_to_path().
 *
 * Returns: (transfer container) (element-type MsrpUri) (nullable): the
 *   URIs, nearest hop first, or %NULL with an error
 */
GPtrArray *
msrp_frame_get_from_path (MsrpFrame *frame, GError **error)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return msrp_path_copy (ensure_path (frame, MSRP_PATH_FROM, error));
}

/**
 * msrp_frame_get_use_path:
 * @frame: a frame
 * @error: return location for a #GError
 *
 * Parses the Use-Path a relay gives in its response to AUTH (RFC 4976),
 * like msrp_frame_get_to_path().
 *
 * Returns: (transfer container) (element-type MsrpUri) (nullable): the
 *   URIs, or %NULL with an error
 */
GPtrArray *
msrp_frame_get_use_path (MsrpFrame *frame, GError **error)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return msrp_path_copy (ensure_path (frame, MSRP_PATH_USE, error));
}

static void
set_path (MsrpFrame *frame, MsrpPathKind kind, GPtrArray *path)
{
  g_autofree char *text = NULL;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (path != NULL && path->len > 0);

  text = msrp_path_to_string (path);
  msrp_frame_set_header_unchecked (frame, known_headers[path_header[kind]].name, text);
  frame->paths[kind] = msrp_path_copy (path);
}

/**
 * msrp_frame_set_to_path:
 * @frame: a frame
 * @path: (element-type MsrpUri): the URIs, first hop first; not empty
 *
 * Sets the To-Path.
 */
void
msrp_frame_set_to_path (MsrpFrame *frame, GPtrArray *path)
{
  set_path (frame, MSRP_PATH_TO, path);
}

/**
 * msrp_frame_set_from_path:
 * @frame: a frame
 * @path: (element-type MsrpUri): the URIs; not empty
 *
 * Sets the From-Path.
 */
void
msrp_frame_set_from_path (MsrpFrame *frame, GPtrArray *path)
{
  set_path (frame, MSRP_PATH_FROM, path);
}

/**
 * msrp_frame_set_use_path:
 * @frame: a frame
 * @path: (element-type MsrpUri): the URIs; not empty
 *
 * Sets the Use-Path (RFC 4976, in a relay's response to AUTH).
 */
void
msrp_frame_set_use_path (MsrpFrame *frame, GPtrArray *path)
{
  set_path (frame, MSRP_PATH_USE, path);
}

/**
 * msrp_frame_get_message_id:
 * @frame: a frame
 *
 * The Message-ID header field.
 *
 * Returns: (nullable): the Message-ID, %NULL when there is none
 */
const char *
msrp_frame_get_message_id (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return get_known (frame, HDR_MESSAGE_ID);
}

/**
 * msrp_frame_set_message_id:
 * @frame: a frame
 * @message_id: (nullable): the Message-ID (see msrp_generate_id()), or
 *   %NULL to remove it
 *
 * Sets the Message-ID.
 */
void
msrp_frame_set_message_id (MsrpFrame *frame, const char *message_id)
{
  g_return_if_fail (frame != NULL);
  if (message_id)
    msrp_frame_set_header (frame, "Message-ID", message_id);
  else
    msrp_frame_remove_header (frame, "Message-ID");
}

/* Reads 1*DIGIT, or `*` when @star_ok (-1); FALSE on anything else or
 * overflow beyond G_MAXINT64. */
static gboolean
parse_number (const char **p, gboolean star_ok, gint64 *value)
{
  const char *s = *p;
  guint64 v = 0;
  guint digit;

  if (star_ok && *s == '*')
    {
      *value = -1;
      *p = s + 1;
      return TRUE;
    }
  if ((guint) (*s - '0') > 9)
    return FALSE;
  for (; (digit = (guint) (*s - '0')) <= 9; s++)
    {
      /* One comparison while far from the limit. */
      if (G_UNLIKELY (v >= G_MAXINT64 / 10)
          && (v > G_MAXINT64 / 10 || digit > G_MAXINT64 % 10))
        return FALSE;
      v = v * 10 + digit;
    }
  *value = v;
  *p = s;
  return TRUE;
}

static gboolean
parse_byte_range (const char *value, gint64 *start, gint64 *end, gint64 *total, GError **error)
{
  const char *p = value;

  if (!parse_number (&p, FALSE, start) || *p++ != '-'
      || !parse_number (&p, TRUE, end) || *p++ != '/'
      || !parse_number (&p, TRUE, total) || *p != '\0')
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Byte-Range “%s”", value);
      return FALSE;
    }
  if (*start < 1)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED,
                   "Byte-Range “%s” does not start at 1 or later", value);
      return FALSE;
    }
  if (*end >= 0 && *end < *start - 1)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED,
                   "Byte-Range “%s” ends before it starts", value);
      return FALSE;
    }
  if (*total >= 0 && (*end > *total || *start - 1 > *total))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED,
                   "Byte-Range “%s” goes beyond its total", value);
      return FALSE;
    }
  return TRUE;
}

/**
 * msrp_frame_get_byte_range:
 * @frame: a frame
 * @start: (out) (optional): the position of the first byte of the body, from 1
 * @end: (out) (optional): the position of the last byte, -1 for `*`
 * @total: (out) (optional): the size of the whole message, -1 for `*`
 * @error: return location for a #GError
 *
 * Reads the Byte-Range. A frame without one reads as start 1 with end and
 * total unknown (RFC 4975 §7.1.1: the whole message, or its first chunk). Besides the syntax, the
 * rules of RFC 4975 are checked: start at least 1 (a range from 0 is a
 * 400), end not before start − 1 (`1-0/0` is the range of an empty body),
 * end and start − 1 not beyond a known total.
 *
 * Returns: %TRUE on success, %FALSE with %MSRP_ERROR_MALFORMED
 */
gboolean
msrp_frame_get_byte_range (MsrpFrame *frame, gint64 *start, gint64 *end, gint64 *total,
                           GError **error)
{
  const char *value;
  gint64 s = 1, e = -1, t = -1;

  g_return_val_if_fail (frame != NULL, FALSE);

  value = get_known (frame, HDR_BYTE_RANGE);
  if (value != NULL && value == frame->range_value)
    {
      s = frame->range[0];
      e = frame->range[1];
      t = frame->range[2];
    }
  else if (value != NULL)
    {
      if (!parse_byte_range (value, &s, &e, &t, error))
        return FALSE;
      frame->range_value = value;
      frame->range[0] = s;
      frame->range[1] = e;
      frame->range[2] = t;
    }
  if (start)
    *start = s;
  if (end)
    *end = e;
  if (total)
    *total = t;
  return TRUE;
}

/* Writes the digits of @value at @p (at most 20) and returns their end. */
static char *
put_uint (char *p, guint64 value)
{
  guint64 rest = value;
  char *end;

  do
    p++;
  while ((rest /= 10) != 0);
  end = p;
  do
    *--p = '0' + value % 10;
  while ((value /= 10) != 0);
  return end;
}

/* A number of a Byte-Range value at @p, `*` when negative; returns its end. */
static inline char *
put_range_number (char *p, gint64 value)
{
  if (value < 0)
    {
      *p = '*';
      return p + 1;
    }
  return put_uint (p, value);
}

/* Writes the Byte-Range value @start-@end/@total at @p and returns its end. */
static char *
put_byte_range (char *p, gint64 start, gint64 end, gint64 total)
{
  p = put_range_number (p, start);
  *p++ = '-';
  p = put_range_number (p, end);
  *p++ = '/';
  return put_range_number (p, total);
}

/* Writes the three digits of a status code at @p and returns their end. */
static char *
put_status (char *p, guint status)
{
  *p++ = '0' + status / 100 % 10;
  *p++ = '0' + status / 10 % 10;
  *p++ = '0' + status % 10;
  return p;
}

/* @value in decimal, NUL-terminated, in @buf. */
static char *
format_uint (char buf[24], guint64 value)
{
  *put_uint (buf, value) = '\0';
  return buf;
}

/**
 * msrp_frame_set_byte_range:
 * @frame: a frame
 * @start: the position of the first byte of the body, from 1
 * @end: the position of the last byte, or -1 for `*`
 * @total: the size of the whole message, or -1 for `*`
 *
 * Sets the Byte-Range.
 */
void
msrp_frame_set_byte_range (MsrpFrame *frame, gint64 start, gint64 end, gint64 total)
{
  char buf[80];

  g_return_if_fail (frame != NULL);
  g_return_if_fail (start >= 1 && end >= -1 && total >= -1);

  *put_byte_range (buf, start, end, total) = '\0';
  msrp_frame_set_header_unchecked (frame, "Byte-Range", buf);
}

static gboolean
parse_report_mode (const char *value, gboolean partial_ok, MsrpReportMode *mode)
{
  if (g_ascii_strcasecmp (value, "yes") == 0)
    *mode = MSRP_REPORT_YES;
  else if (g_ascii_strcasecmp (value, "no") == 0)
    *mode = MSRP_REPORT_NO;
  else if (partial_ok && g_ascii_strcasecmp (value, "partial") == 0)
    *mode = MSRP_REPORT_PARTIAL;
  else
    return FALSE;
  return TRUE;
}

static const char *
report_mode_text (MsrpReportMode mode)
{
  switch (mode)
    {
    case MSRP_REPORT_YES: return "yes";
    case MSRP_REPORT_PARTIAL: return "partial";
    case MSRP_REPORT_NO:
    default: return "no";
    }
}

/**
 * msrp_frame_get_success_report:
 * @frame: a frame
 *
 * The Success-Report mode, in any case on input. Without the field, or
 * with a value other than yes or no (msrp_frame_validate() refuses that),
 * it is %MSRP_REPORT_NO, the RFC 4975 default.
 *
 * Returns: %MSRP_REPORT_YES or %MSRP_REPORT_NO
 */
MsrpReportMode
msrp_frame_get_success_report (MsrpFrame *frame)
{
  const char *value;
  MsrpReportMode mode = MSRP_REPORT_NO;

  g_return_val_if_fail (frame != NULL, MSRP_REPORT_NO);
  value = get_known (frame, HDR_SUCCESS_REPORT);
  if (value == NULL || !parse_report_mode (value, FALSE, &mode))
    return MSRP_REPORT_NO;
  return mode;
}

/**
 * msrp_frame_set_success_report:
 * @frame: a frame
 * @mode: %MSRP_REPORT_YES or %MSRP_REPORT_NO
 *
 * Sets the Success-Report field (written in lower case).
 */
void
msrp_frame_set_success_report (MsrpFrame *frame, MsrpReportMode mode)
{
  g_return_if_fail (mode == MSRP_REPORT_YES || mode == MSRP_REPORT_NO);
  msrp_frame_set_header_unchecked (frame, "Success-Report", report_mode_text (mode));
}

/**
 * msrp_frame_get_failure_report:
 * @frame: a frame
 *
 * The Failure-Report mode, in any case on input. Without the field, or
 * with an invalid value (msrp_frame_validate() refuses that), it is
 * %MSRP_REPORT_YES, the RFC 4975 default.
 *
 * Returns: the mode
 */
MsrpReportMode
msrp_frame_get_failure_report (MsrpFrame *frame)
{
  const char *value;
  MsrpReportMode mode = MSRP_REPORT_YES;

  g_return_val_if_fail (frame != NULL, MSRP_REPORT_YES);
  value = get_known (frame, HDR_FAILURE_REPORT);
  if (value == NULL || !parse_report_mode (value, TRUE, &mode))
    return MSRP_REPORT_YES;
  return mode;
}

/**
 * msrp_frame_set_failure_report:
 * @frame: a frame
 * @mode: the mode
 *
 * Sets the Failure-Report field (written in lower case).
 */
void
msrp_frame_set_failure_report (MsrpFrame *frame, MsrpReportMode mode)
{
  g_return_if_fail (mode == MSRP_REPORT_YES || mode == MSRP_REPORT_NO
                    || mode == MSRP_REPORT_PARTIAL);
  msrp_frame_set_header_unchecked (frame, "Failure-Report", report_mode_text (mode));
}

static gboolean
parse_3digit (const char *p, guint *value)
{
  if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
    return FALSE;
  *value = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  return TRUE;
}

/**
 * msrp_frame_get_status_header:
 * @frame: a frame (a REPORT)
 * @code: (out) (optional): the status code
 * @comment: (out) (optional) (nullable) (transfer full): the comment, %NULL
 *   when there is none
 * @error: return location for a #GError
 *
 * Reads the Status field of a REPORT: `000 200 OK` (namespace, code,
 * optional comment).
 *
 * Returns: %TRUE on success; %FALSE with %MSRP_ERROR_FAILED when the frame
 *   has no Status, with %MSRP_ERROR_MALFORMED when it does not parse
 */
gboolean
msrp_frame_get_status_header (MsrpFrame *frame, guint *code, char **comment, GError **error)
{
  const char *value;
  guint namespace, status;

  g_return_val_if_fail (frame != NULL, FALSE);

  value = get_known (frame, HDR_STATUS);
  if (value == NULL)
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_FAILED, "no Status header field");
      return FALSE;
    }
  if (!parse_3digit (value, &namespace) || value[3] != ' ' || !parse_3digit (value + 4, &status)
      || (value[7] != '\0' && value[7] != ' '))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Status “%s”", value);
      return FALSE;
    }
  if (code)
    *code = status;
  if (comment)
    *comment = value[7] == ' ' && value[8] != '\0' ? g_strdup (value + 8) : NULL;
  return TRUE;
}

/**
 * msrp_frame_set_status_header:
 * @frame: a frame (a REPORT)
 * @code: the status code, 100 to 999
 * @comment: (nullable): the comment, or %NULL for msrp_status_reason()
 *
 * Sets the Status field, in the `000` namespace of RFC 4975.
 */
void
msrp_frame_set_status_header (MsrpFrame *frame, guint code, const char *comment)
{
  char n[24];
  g_autofree char *value = NULL;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (code >= 100 && code <= 999);

  if (comment == NULL)
    comment = msrp_status_reason (code);
  value = g_strconcat ("000 ", format_uint (n, code), comment ? " " : NULL, comment, NULL);
  msrp_frame_set_header (frame, "Status", value);
}

/**
 * msrp_frame_get_content_type:
 * @frame: a frame
 *
 * The Content-Type header field.
 *
 * Returns: (nullable): the Content-Type, %NULL when there is none
 */
const char *
msrp_frame_get_content_type (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return get_known (frame, HDR_CONTENT_TYPE);
}

/**
 * msrp_frame_set_content_type:
 * @frame: a frame
 * @content_type: (nullable): a MIME type, or %NULL to remove it
 *
 * Sets the Content-Type; the serializer writes it last, as RFC 4975 asks.
 */
void
msrp_frame_set_content_type (MsrpFrame *frame, const char *content_type)
{
  g_return_if_fail (frame != NULL);
  if (content_type)
    msrp_frame_set_header (frame, "Content-Type", content_type);
  else
    msrp_frame_remove_header (frame, "Content-Type");
}

/**
 * msrp_frame_get_uint_header:
 * @frame: a frame
 * @name: a header field name, such as `Expires`, `Min-Expires` or
 *   `Max-Expires` (RFC 4976)
 * @value: (out) (optional): the number
 * @error: return location for a #GError
 *
 * Reads a header field whose value is a decimal number (`1*DIGIT`).
 *
 * Returns: %TRUE on success; %FALSE with %MSRP_ERROR_FAILED when there is no
 *   such field, with %MSRP_ERROR_MALFORMED when it is not a number
 */
gboolean
msrp_frame_get_uint_header (MsrpFrame *frame, const char *name, guint64 *value, GError **error)
{
  const char *text, *p;
  gint64 number;

  g_return_val_if_fail (frame != NULL, FALSE);

  text = msrp_frame_get_header (frame, name);
  if (text == NULL)
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_FAILED, "no %s header field", name);
      return FALSE;
    }
  p = text;
  if (!parse_number (&p, FALSE, &number) || *p != '\0')
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed %s “%s”", name, text);
      return FALSE;
    }
  if (value)
    *value = number;
  return TRUE;
}

/**
 * msrp_frame_set_uint_header:
 * @frame: a frame
 * @name: a header field name
 * @value: the number
 *
 * Sets a header field to a decimal number.
 */
void
msrp_frame_set_uint_header (MsrpFrame *frame, const char *name, guint64 value)
{
  char n[24];

  msrp_frame_set_header (frame, name, format_uint (n, value));
}

/**
 * msrp_frame_get_body:
 * @frame: a frame
 *
 * The body of a frame to send. Frames from the parser have none: their
 * body arrives in pieces.
 *
 * Returns: (nullable) (transfer none): the body, %NULL when there is none
 */
GBytes *
msrp_frame_get_body (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  return frame->body;
}

/**
 * msrp_frame_set_body:
 * @frame: a frame
 * @body: (nullable): the body, or %NULL for none
 *
 * Sets the body. A request with a non-empty body also needs a Content-Type.
 */
void
msrp_frame_set_body (MsrpFrame *frame, GBytes *body)
{
  g_return_if_fail (frame != NULL);
  settle_validation (frame);
  if (body)
    g_bytes_ref (body);
  g_clear_pointer (&frame->body, g_bytes_unref);
  frame->body = body;
}

/**
 * msrp_frame_get_parse_error:
 * @frame: a frame
 *
 * Why a frame the parser read is invalid although its framing held: a
 * header line that does not parse, or a failed msrp_frame_validate(). A
 * request with a parse error is answered with 400.
 *
 * Returns: (nullable) (transfer none): the error (%MSRP_ERROR_MALFORMED),
 *   or %NULL for a valid frame
 */
const GError *
msrp_frame_get_parse_error (MsrpFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  settle_validation (frame);
  return frame->parse_error;
}

static gsize
body_length (MsrpFrame *frame)
{
  return frame->body ? g_bytes_get_size (frame->body) : 0;
}

static gboolean
is_message_id (const char *value, gsize length)
{
  /* Wider than ident: peers use other printable characters (quirk 34).
   * Values are trimmed, so no space or tab can be at either end, and
   * utf8text leaves only tabs and spaces inside to refuse. */
  if (length == 0 || length > MAX_MESSAGE_ID_LENGTH)
    return FALSE;
  return strpbrk (value, " \t") == NULL;
}

/* type "/" subtype, then nothing or parameters after ";" (their syntax is
 * the application's business). */
static gboolean
is_media_type (const char *value)
{
  gsize type = token_span (value), subtype;

  if (type == 0 || value[type] != '/')
    return FALSE;
  value += type + 1;
  subtype = token_span (value);
  if (subtype == 0)
    return FALSE;
  value += subtype;
  value += strspn (value, " \t");
  return *value == '\0' || *value == ';';
}

static gboolean
check_path (MsrpFrame *frame, MsrpPathKind kind, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (ensure_path (frame, kind, &local))
    return TRUE;
  g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "%s", local->message);
  return FALSE;
}

/**
 * msrp_frame_validate:
 * @frame: a frame
 * @error: return location for a #GError
 *
 * Checks what makes a request a 400 under RFC 4975: To-Path and From-Path
 * present once each and parsing as paths (each URI within the URI length
 * limit of the parser that read the frame); a Message-ID on SEND (a REPORT
 * without one is tolerated, as some peers send them); Message-ID,
 * Byte-Range, Success-Report, Failure-Report, Status and Content-Type at
 * most once each, with valid values (see msrp_frame_get_byte_range()); a
 * Content-Type (`type/subtype`) when there is a body; a Status field that
 * parses on REPORT; numeric Expires, Min-Expires and Max-Expires; a status
 * of 100 to 999 on a response. Whether a body matches its Byte-Range is
 * left to the session.
 *
 * The parser runs this on every frame it reads and keeps the failure as
 * the frame's parse error.
 *
 * Returns: %TRUE for a valid frame, %FALSE with %MSRP_ERROR_MALFORMED
 */
gboolean
msrp_frame_validate (MsrpFrame *frame, GError **error)
{
  static const HeaderId singletons[] = {
    HDR_TO_PATH, HDR_FROM_PATH, HDR_MESSAGE_ID, HDR_BYTE_RANGE,
    HDR_SUCCESS_REPORT, HDR_FAILURE_REPORT, HDR_STATUS, HDR_CONTENT_TYPE,
  };
  const Header *id;
  const char *value;
  MsrpReportMode mode;

  g_return_val_if_fail (frame != NULL, FALSE);

  ensure_index (frame);
  for (guint i = 0; frame->repeated && i < G_N_ELEMENTS (singletons); i++)
    if (frame->repeated & (1u << singletons[i]))
      {
        g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "more than one %s header field",
                     known_headers[singletons[i]].name);
        return FALSE;
      }

  if (!frame->is_request && (frame->status < 100 || frame->status > 999))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "status %u is not 3 digits",
                   frame->status);
      return FALSE;
    }
  if (!check_path (frame, MSRP_PATH_TO, error) || !check_path (frame, MSRP_PATH_FROM, error))
    return FALSE;

  id = find_header_id (frame, HDR_MESSAGE_ID);
  if (id == NULL && frame->method == MSRP_METHOD_SEND)
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "SEND without Message-ID");
      return FALSE;
    }
  if (id && !is_message_id (id->value, id->value_length))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Message-ID");
      return FALSE;
    }

  value = get_known (frame, HDR_CONTENT_TYPE);
  if (value == NULL && (frame->body_follows || body_length (frame) > 0))
    {
      g_set_error_literal (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "a body without Content-Type");
      return FALSE;
    }
  if (value && !is_media_type (value))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Content-Type “%s”", value);
      return FALSE;
    }

  for (guint i = 0; i < frame->n_headers; i++)
    {
      const Header *header = &frame->headers[i];
      const char *p = header->value;
      gint64 number;

      if (header->id < HDR_EXPIRES || header->id > HDR_MAX_EXPIRES)
        continue;
      if (!parse_number (&p, FALSE, &number) || *p != '\0')
        {
          g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed %s “%s”",
                       known_headers[header->id].name, header->value);
          return FALSE;
        }
    }

  if (!msrp_frame_get_byte_range (frame, NULL, NULL, NULL, error))
    return FALSE;

  value = get_known (frame, HDR_SUCCESS_REPORT);
  if (value && !parse_report_mode (value, FALSE, &mode))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Success-Report “%s”", value);
      return FALSE;
    }
  value = get_known (frame, HDR_FAILURE_REPORT);
  if (value && !parse_report_mode (value, TRUE, &mode))
    {
      g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "malformed Failure-Report “%s”", value);
      return FALSE;
    }

  if (frame->method == MSRP_METHOD_REPORT || frame->first[HDR_STATUS] >= 0)
    {
      g_autoptr(GError) local = NULL;
      if (!msrp_frame_get_status_header (frame, NULL, NULL, &local))
        {
          g_set_error (error, MSRP_ERROR, MSRP_ERROR_MALFORMED, "%s", local->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* Serializer. Header order (what strict peers need, quirks 20, 25, 29):
 * To-Path, From-Path, Message-ID, Byte-Range, other fields as added, then
 * the MIME fields with Content-Type last. */
enum {
  RANK_TO_PATH,
  RANK_FROM_PATH,
  RANK_MESSAGE_ID,
  RANK_BYTE_RANGE,
  RANK_OTHER,
  RANK_MIME,
  RANK_CONTENT_TYPE,
  N_RANKS
};

static guint
header_rank (guint8 id)
{
  switch (id)
    {
    case HDR_TO_PATH: return RANK_TO_PATH;
    case HDR_FROM_PATH: return RANK_FROM_PATH;
    case HDR_MESSAGE_ID: return RANK_MESSAGE_ID;
    case HDR_BYTE_RANGE: return RANK_BYTE_RANGE;
    case HDR_CONTENT_ID:
    case HDR_CONTENT_DESCRIPTION:
    case HDR_CONTENT_DISPOSITION:
    case HDR_CONTENT_OTHER: return RANK_MIME;
    case HDR_CONTENT_TYPE: return RANK_CONTENT_TYPE;
    default: return RANK_OTHER;
    }
}

/* g_string_append_len() is a call into g_string_insert_len() (before GLib
 * 2.76), some sixty instructions for the two-byte pieces a head is made of. */
static inline void
append (GString *out, const char *text, gsize length)
{
  if (G_UNLIKELY (out->len + length >= out->allocated_len))
    {
      g_string_append_len (out, text, length);
      return;
    }
  memcpy (out->str + out->len, text, length);
  out->len += length;
  out->str[out->len] = '\0';
}

static void
append_uint (GString *out, guint64 value)
{
  char n[24];

  append (out, n, put_uint (n, value) - n);
}

static void
append_header (GString *out, const Header *header)
{
  const KnownHeader *known = &known_headers[header->id];

  if (known->name)
    append (out, known->name, known->length);
  else
    append (out, header->name, header->name_length);
  append (out, ": ", 2);
  if (header->id == HDR_SUCCESS_REPORT || header->id == HDR_FAILURE_REPORT)
    {
      /* Some peers only know the lower-case spelling (quirk 7). */
      gsize at = out->len;
      append (out, header->value, header->value_length);
      for (gsize i = at; i < out->len; i++)
        out->str[i] = g_ascii_tolower (out->str[i]);
    }
  else
    append (out, header->value, header->value_length);
  append (out, "\r\n", 2);
}

/**
 * msrp_frame_append_head:
 * @frame: a frame
 * @out: where to write
 *
 * Writes the start line and the header fields, and the empty line that
 * separates a non-empty body from them. Output is canonical: To-Path,
 * From-Path, Message-ID, Byte-Range, other fields in the order added, MIME
 * fields with Content-Type last; known names in their RFC spelling; one
 * space after the colon; report modes in lower case. A SEND without a
 * Byte-Range gets `1-N/N` for its body of N bytes (`1-0/0` without a body).
 *
 * With msrp_frame_append_end() this lets a transport write head, body and
 * end line as three vectors without copying the body.
 */
void
msrp_frame_append_head (MsrpFrame *frame, GString *out)
{
  guint present = 0;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (out != NULL);

  append (out, "MSRP ", 5);
  append (out, frame->tid, strlen (frame->tid));
  append (out, " ", 1);
  if (frame->is_request)
    append (out, frame->method_name, strlen (frame->method_name));
  else
    {
      char digits[3];

      append (out, digits, put_status (digits, frame->status) - digits);
      if (frame->comment)
        {
          append (out, " ", 1);
          append (out, frame->comment, strlen (frame->comment));
        }
    }
  append (out, "\r\n", 2);

  for (guint i = 0; i < frame->n_headers; i++)
    present |= 1u << header_rank (frame->headers[i].id);
  for (guint rank = 0; rank < N_RANKS; rank++)
    {
      if (rank == RANK_BYTE_RANGE && !(present & (1u << rank))
          && frame->method == MSRP_METHOD_SEND)
        {
          gsize n = body_length (frame);
          append (out, "Byte-Range: 1-", 14);
          append_uint (out, n);
          append (out, "/", 1);
          append_uint (out, n);
          append (out, "\r\n", 2);
          continue;
        }
      if (!(present & (1u << rank)))
        continue;
      for (guint i = 0; i < frame->n_headers; i++)
        if (header_rank (frame->headers[i].id) == rank)
          append_header (out, &frame->headers[i]);
    }
  if (body_length (frame) > 0)
    append (out, "\r\n", 2);
}

/**
 * msrp_frame_append_end:
 * @frame: a frame
 * @out: where to write
 *
 * Writes what follows the body: the CRLF that ends a non-empty body, then
 * the end line `-------` transaction-id flag CRLF.
 */
void
msrp_frame_append_end (MsrpFrame *frame, GString *out)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (out != NULL);

  msrp_append_end_line (out, frame->tid, body_length (frame), frame->continuation);
}

/* The heads the transport formats per frame are written with one capacity
 * check: room is made for the most they can take, then the pieces are
 * copied without one each (a SEND head took some 630 instructions in
 * appends, 85 a number). put_end() sets the length. */

/* Room for @max more bytes and their NUL; returns where they go. */
static char *
put_begin (GString *out, gsize max)
{
  gsize len = out->len;

  if (G_UNLIKELY (len + max >= out->allocated_len))
    {
      g_string_set_size (out, len + max);
      out->len = len;
    }
  return out->str + len;
}

static void
put_end (GString *out, char *end)
{
  *end = '\0';
  out->len = end - out->str;
}

static inline char *
put (char *p, const char *text, gsize length)
{
  memcpy (p, text, length);
  return p + length;
}

#define PUT_LITERAL(p, text) put ((p), (text), sizeof (text) - 1)


void
msrp_append_end_line (GString *out, const char *transaction_id, gsize body_size,
                      MsrpContinuation flag)
{
  gsize tid_length = strlen (transaction_id);
  /* The CRLF before, seven dashes, the flag and the CRLF after. */
  char *p = put_begin (out, tid_length + 12);

  if (body_size > 0)
    p = PUT_LITERAL (p, "\r\n");
  p = PUT_LITERAL (p, "-------");
  p = put (p, transaction_id, tid_length);
  *p++ = flag;
  p = PUT_LITERAL (p, "\r\n");
  put_end (out, p);
}

gboolean
msrp_is_field_value (const char *value)
{
  return is_text (value, strlen (value));
}

MsrpFrame *
msrp_send_spec_to_frame (const MsrpSendSpec *spec, const char *transaction_id)
{
  MsrpFrame *frame = msrp_frame_new_request ("SEND", transaction_id);

  msrp_frame_set_header_unchecked (frame, "To-Path", spec->to_path);
  msrp_frame_set_header_unchecked (frame, "From-Path", spec->from_path);
  msrp_frame_set_message_id (frame, spec->message_id);
  msrp_frame_set_byte_range (frame, spec->start, spec->end, spec->total);
  if (spec->success_report)
    msrp_frame_set_success_report (frame, MSRP_REPORT_YES);
  if (spec->failure_report != MSRP_REPORT_YES)
    msrp_frame_set_failure_report (frame, spec->failure_report);
  if (spec->content_type != NULL)
    {
      msrp_frame_set_header_unchecked (frame, "Content-Type", spec->content_type);
      msrp_frame_set_body (frame, spec->body);
    }
  msrp_frame_set_continuation (frame, spec->flag);
  return frame;
}

/* The literals of a SEND head, three numbers and a failure report mode. */
#define SEND_HEAD_FIXED 256

/* In the order msrp_frame_append_head() puts the fields of
 * msrp_send_spec_to_frame(). */
void
msrp_send_spec_append_head (const MsrpSendSpec *spec, const char *transaction_id, GString *out)
{
  gsize tid_length = strlen (transaction_id);
  gsize to_length = strlen (spec->to_path);
  gsize from_length = strlen (spec->from_path);
  gsize id_length = strlen (spec->message_id);
  gsize type_length = spec->content_type != NULL ? strlen (spec->content_type) : 0;
  char *p = put_begin (out, SEND_HEAD_FIXED + tid_length + to_length + from_length + id_length
                            + type_length);

  p = PUT_LITERAL (p, "MSRP ");
  p = put (p, transaction_id, tid_length);
  p = PUT_LITERAL (p, " SEND\r\nTo-Path: ");
  p = put (p, spec->to_path, to_length);
  p = PUT_LITERAL (p, "\r\nFrom-Path: ");
  p = put (p, spec->from_path, from_length);
  p = PUT_LITERAL (p, "\r\nMessage-ID: ");
  p = put (p, spec->message_id, id_length);
  p = PUT_LITERAL (p, "\r\nByte-Range: ");
  /* As msrp_frame_set_byte_range() gets them from msrp_send_spec_to_frame(). */
  p = put_byte_range (p, spec->start, spec->end, spec->total);
  p = PUT_LITERAL (p, "\r\n");
  if (spec->success_report)
    p = PUT_LITERAL (p, "Success-Report: yes\r\n");
  if (spec->failure_report != MSRP_REPORT_YES)
    {
      const char *mode = report_mode_text (spec->failure_report);

      p = PUT_LITERAL (p, "Failure-Report: ");
      p = put (p, mode, strlen (mode));
      p = PUT_LITERAL (p, "\r\n");
    }
  if (spec->content_type != NULL)
    {
      p = PUT_LITERAL (p, "Content-Type: ");
      p = put (p, spec->content_type, type_length);
      p = PUT_LITERAL (p, "\r\n");
      if (spec->body != NULL && g_bytes_get_size (spec->body) > 0)
        p = PUT_LITERAL (p, "\r\n");
    }
  put_end (out, p);
}

/* The literals of a response head and its status. */
#define RESPONSE_HEAD_FIXED 64

/* As msrp_frame_new_response_for() makes it: a To-Path with the first URI
 * of the request's From-Path (all of it but for a SEND), a From-Path with
 * the first URI of its To-Path, no body. */
void
msrp_response_append_head (MsrpFrame *request, guint status, GString *out)
{
  const char *reason = msrp_status_reason (status);
  const char *to = get_known (request, HDR_TO_PATH);
  const char *from = get_known (request, HDR_FROM_PATH);
  gsize tid_length = strlen (request->tid);
  gsize reason_length = reason != NULL ? strlen (reason) : 0;
  gsize to_length = to != NULL ? first_uri_length (to) : 0;
  gsize from_length = from != NULL ? response_to_path_length (request, from) : 0;
  char *p = put_begin (out, RESPONSE_HEAD_FIXED + tid_length + reason_length + to_length
                            + from_length);

  p = PUT_LITERAL (p, "MSRP ");
  p = put (p, request->tid, tid_length);
  *p++ = ' ';
  p = put_status (p, status);
  if (reason != NULL)
    {
      *p++ = ' ';
      p = put (p, reason, reason_length);
    }
  p = PUT_LITERAL (p, "\r\n");
  if (from != NULL)
    {
      p = PUT_LITERAL (p, "To-Path: ");
      p = put (p, from, from_length);
      p = PUT_LITERAL (p, "\r\n");
    }
  if (to != NULL)
    {
      p = PUT_LITERAL (p, "From-Path: ");
      p = put (p, to, to_length);
      p = PUT_LITERAL (p, "\r\n");
    }
  put_end (out, p);
}

/**
 * msrp_frame_to_bytes:
 * @frame: a frame
 *
 * Serializes the whole frame: msrp_frame_append_head(), the body,
 * msrp_frame_append_end().
 *
 * Returns: (transfer full): the frame on the wire
 */
GBytes *
msrp_frame_to_bytes (MsrpFrame *frame)
{
  GString *out;
  gsize n;

  g_return_val_if_fail (frame != NULL, NULL);

  n = body_length (frame);
  out = g_string_sized_new (256 + n);
  msrp_frame_append_head (frame, out);
  if (n > 0)
    append (out, g_bytes_get_data (frame->body, NULL), n);
  msrp_frame_append_end (frame, out);
  return g_string_free_to_bytes (out);
}

/* Parser support. */

static void
set_parse_error (MsrpFrame *frame, GError *error)
{
  if (frame->parse_error)
    g_error_free (error);
  else
    frame->parse_error = error;
}

/* Where the parts of a header line are, from its first byte. */
typedef struct {
  guint32 length;         /* with its CRLF */
  guint32 name_length;
  guint32 value_offset;
  guint32 value_length;
  guint8  id;
} LineShape;

/* Reads the header line at @line of the frame's own text into @shape.
 * FALSE when the line is not a header field. The text ends with
 * TEXT_PADDING zeros, which stop and bound every scan. */
static gboolean
read_header_line (const char *line, LineShape *shape)
{
  /* No control characters but the CRLF at the end: this checks the name
   * and the value at once. */
  const char *colon;
  const char *end = find_control (line, &colon);
  const char *name_end, *value, *value_end;
  HeaderId id;

  if (end[0] != '\r' || end[1] != '\n' || colon == NULL || !g_ascii_isalpha (line[0]))
    return FALSE;
  name_end = colon;
  while (name_end[-1] == ' ' || name_end[-1] == '\t')
    name_end--;
  /* A known name is all token characters; check the others. */
  id = header_id_padded (line, name_end - line);
  if ((id == HDR_OTHER || id == HDR_CONTENT_OTHER) && !is_token (line, name_end - line))
    return FALSE;
  value = colon + 1;
  while (*value == ' ' || *value == '\t')
    value++;
  value_end = end;
  while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t'))
    value_end--;

  shape->length = end + 2 - line;
  shape->name_length = name_end - line;
  shape->value_offset = value - line;
  shape->value_length = value_end - value;
  shape->id = id;
  return TRUE;
}

/* Splits the header line at @line of the frame's own text in place as
 * @shape says, adding the field. */
G_ALWAYS_INLINE static inline void
add_header_line (MsrpFrame *frame, char *line, const LineShape *shape)
{
  Header *header;
  HeaderId id = shape->id;

  line[shape->name_length] = '\0';
  line[shape->value_offset + shape->value_length] = '\0';
  /* The array was sized for the lines, and the index is built as they
   * are read. */
  if (frame->n_headers < frame->headers_size)
    header = &frame->headers[frame->n_headers++];
  else
    header = append_header_slot (frame);
  if (frame->first[id] < 0)
    frame->first[id] = header - frame->headers;
  else
    frame->repeated |= 1u << id;
  header->name = line;
  header->name_length = shape->name_length;
  header->value = line + shape->value_offset;
  header->value_length = shape->value_length;
  header->id = id;
  if (shape->value_length > frame->max_uri_length
      && (id == HDR_TO_PATH || id == HDR_FROM_PATH || id == HDR_USE_PATH))
    frame->long_path = TRUE;
}

/* A header line of an earlier head, as it was read. */
struct _MsrpCachedLine {
  LineShape shape;        /* length 0: none */
  /* A Byte-Range line: whether its value parsed, and its numbers. */
  gboolean  range_ok;
  gint64    range[3];
  /* A To-Path or From-Path line: its path, once a request with it
   * validated. */
  GPtrArray *path;
  char      text[MSRP_CACHED_LINE_MAX];
};

struct _MsrpLineCache {
  MsrpCachedLine lines[MSRP_CACHED_LINES];
};

MsrpLineCache *
msrp_line_cache_new (void)
{
  return g_new0 (MsrpLineCache, 1);
}

void
msrp_line_cache_clear (MsrpLineCache *cache)
{
  for (guint i = 0; i < G_N_ELEMENTS (cache->lines); i++)
    {
      cache->lines[i].shape.length = 0;
      g_clear_pointer (&cache->lines[i].path, g_ptr_array_unref);
    }
}

void
msrp_line_cache_free (MsrpLineCache *cache)
{
  msrp_line_cache_clear (cache);
  g_free (cache);
}

void
msrp_line_cache_remember_paths (MsrpFrame *frame)
{
  for (guint kind = MSRP_PATH_TO; kind <= MSRP_PATH_FROM; kind++)
    {
      MsrpCachedLine *line = g_steal_pointer (&frame->path_lines[kind]);

      if (line != NULL && frame->paths[kind] != NULL && line->path != frame->paths[kind])
        {
          g_clear_pointer (&line->path, g_ptr_array_unref);
          line->path = g_ptr_array_ref (frame->paths[kind]);
        }
    }
}

/* The path kind of a To-Path or From-Path line of a request the parser is
 * building, when it is the first of its name (the one validation parses);
 * MSRP_N_PATHS otherwise. */
static MsrpPathKind
first_path_line (MsrpFrame *frame, const LineShape *shape, gboolean is_request)
{
  MsrpPathKind kind = shape->id == HDR_TO_PATH ? MSRP_PATH_TO
                      : shape->id == HDR_FROM_PATH ? MSRP_PATH_FROM : MSRP_N_PATHS;

  if (kind == MSRP_N_PATHS || !is_request
      || frame->first[shape->id] != (gint32) frame->n_headers - 1)
    return MSRP_N_PATHS;
  return kind;
}

/* Gives the frame the numbers of the Byte-Range line at @p that @cached
 * holds, when they parsed: what msrp_frame_get_byte_range() would parse
 * again. */
static inline void
take_cached_range (MsrpFrame *frame, char *p, const MsrpCachedLine *cached)
{
  if (!cached->range_ok)
    return;
  frame->range_value = p + cached->shape.value_offset;
  memcpy (frame->range, cached->range, sizeof frame->range);
}

/* Adds the header line at @p of the frame's text: as @cached says when
 * the line is the same text, else read, and then kept in @cached when it
 * parsed and fits. Returns where the next line starts, or %NULL when the
 * line is not a header field. */
static char *
parse_header_line (MsrpFrame *frame, char *p, const char *end, MsrpCachedLine *cached,
                   gboolean is_request)
{
  LineShape shape;
  MsrpPathKind kind;

  /* The same text reads the same: a connection's heads repeat most of
   * their lines (paths, Content-Type, often Byte-Range). */
  if (cached != NULL && cached->shape.length > 0 && cached->shape.length <= end - p
      && memcmp (p, cached->text, cached->shape.length) == 0)
    {
      add_header_line (frame, p, &cached->shape);
      take_cached_range (frame, p, cached);
      kind = first_path_line (frame, &cached->shape, is_request);
      if (kind != MSRP_N_PATHS)
        {
          /* What validation would parse again. */
          if (cached->path != NULL)
            frame->paths[kind] = g_ptr_array_ref (cached->path);
          frame->path_lines[kind] = cached;
        }
      return p + cached->shape.length;
    }
  if (!read_header_line (p, &shape))
    return NULL;
  if (cached != NULL)
    {
      cached->shape.length = 0;
      cached->range_ok = FALSE;
      g_clear_pointer (&cached->path, g_ptr_array_unref);
      if (shape.length <= MSRP_CACHED_LINE_MAX)
        {
          memcpy (cached->text, p, shape.length);
          cached->shape = shape;
        }
    }
  add_header_line (frame, p, &shape);
  if (cached != NULL && cached->shape.length > 0)
    {
      if (shape.id == HDR_BYTE_RANGE)
        {
          cached->range_ok = parse_byte_range (p + shape.value_offset, &cached->range[0],
                                               &cached->range[1], &cached->range[2], NULL);
          take_cached_range (frame, p, cached);
        }
      kind = first_path_line (frame, &shape, is_request);
      if (kind != MSRP_N_PATHS)
        frame->path_lines[kind] = cached;
    }
  return p + shape.length;
}

/*
 * msrp_frame_new_parsed:
 * @spare: (transfer full) (nullable): a frame from msrp_frame_unref_to_spare()
 *   to make the new one of, when it is large enough
 * @start: the checked start line
 * @head: the start line and the header lines, each ending in LF (the
 *   terminating empty line or end line not included)
 * @head_length: the length of @head
 * @n_lines: the number of header lines (to size the field array)
 * @max_uri_length: the URI length limit of the parser
 * @cache: (nullable): the lines of earlier heads of the parser, the n-th
 *   line of a head cached in the n-th slot
 *
 * Builds a frame from a head the parser has delimited; lines that do not
 * parse as header fields set the parse error and are left out.
 */
MsrpFrame *
msrp_frame_new_parsed (MsrpFrame *spare, const MsrpStartLine *start, const char *head,
                       gsize head_length, guint n_lines, gsize max_uri_length,
                       MsrpLineCache *cache)
{
  /* Room for the heads that follow, which the frame may be reused for. */
  MsrpFrame *frame = frame_alloc_from (spare, MAX (head_length + TEXT_PADDING, PARSED_TEXT_MIN),
                                       n_lines);
  char *text = frame->text, *p, *end;
  guint line_number = 1;

  memcpy (text, head, head_length);
  memset (text + head_length, 0, TEXT_PADDING);
  frame->max_uri_length = max_uri_length;
  memset (frame->first, 0xff, sizeof frame->first);
  init_known_keys ();

  memcpy (frame->tid, text + start->tid_offset, start->tid_length);
  frame->tid[start->tid_length] = '\0';
  frame->is_request = start->is_request;
  if (start->is_request)
    {
      frame->method = method_from_name (text + start->word_offset, start->word_length);
      text[start->word_offset + start->word_length] = '\0';
      frame->method_name = text + start->word_offset;
    }
  else
    {
      frame->status = start->status;
      if (start->bad_status)
        set_parse_error (frame, g_error_new_literal (MSRP_ERROR, MSRP_ERROR_MALFORMED,
                                                     "status code of the response line is not 3 digits"));
      else if (start->word_length > 0)
        {
          text[start->word_offset + start->word_length] = '\0';
          frame->comment = text + start->word_offset;
        }
    }

  /* The head is made of whole lines, each ending in LF. */
  p = text + start->length;
  end = text + head_length;
  for (guint i = 0; p < end; i++)
    {
      MsrpCachedLine *cached = cache != NULL && i < G_N_ELEMENTS (cache->lines)
                               ? &cache->lines[i] : NULL;
      char *next = parse_header_line (frame, p, end, cached, start->is_request);

      line_number++;
      if (next == NULL)
        {
          set_parse_error (frame, g_error_new (MSRP_ERROR, MSRP_ERROR_MALFORMED,
                                               "malformed header line %u", line_number));
          next = (char *) memchr (p, '\n', end - p) + 1;
        }
      p = next;
    }
  frame->index_valid = TRUE;
  return frame;
}

void
msrp_frame_set_body_follows (MsrpFrame *frame, gboolean body_follows)
{
  frame->body_follows = body_follows;
}

/* Every URI of every path field of a parsed frame within its parser's
 * limit, or %MSRP_ERROR_LIMIT_EXCEEDED. */
gboolean
msrp_frame_check_uri_lengths (MsrpFrame *frame, GError **error)
{
  if (!frame->long_path)
    return TRUE;
  for (guint i = 0; i < frame->n_headers; i++)
    {
      const Header *header = &frame->headers[i];

      if ((header->id == HDR_TO_PATH || header->id == HDR_FROM_PATH || header->id == HDR_USE_PATH)
          && !uri_lengths_ok (header, frame->max_uri_length, MSRP_ERROR_LIMIT_EXCEEDED, error))
        return FALSE;
    }
  return TRUE;
}


void
msrp_frame_take_parse_error (MsrpFrame *frame, GError *error)
{
  set_parse_error (frame, error);
}

void
msrp_frame_defer_validation (MsrpFrame *frame)
{
  frame->validation_pending = TRUE;
}

/* Runs the validation a parsed response put off, as the parser would have. */
static void
settle_validation (MsrpFrame *frame)
{
  GError *error = NULL;

  if (!frame->validation_pending)
    return;
  frame->validation_pending = FALSE;
  if (!msrp_frame_validate (frame, &error))
    set_parse_error (frame, error);
}

/* The paths validation parsed: a response's only once it ran. */
GPtrArray *
msrp_frame_peek_path (MsrpFrame *frame, MsrpPathKind kind)
{
  settle_validation (frame);
  return frame->paths[kind];
}
