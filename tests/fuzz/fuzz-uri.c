/* fuzz-uri.c: libFuzzer target for MsrpUri and path parsing
 *
 * Any input parses or fails cleanly; whatever parses must format to text
 * that parses again to an equal URI (or path) and formats the same. */
#include <stdlib.h>

#include <msrp.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A parse that fails must say so with the URI error code. */
static void
check_failure (const GError *error)
{
  if (!g_error_matches (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI))
    abort ();
}

static void
check_uri (const char *text,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = msrp_uri_parse_len (text, len, &error);
  g_autoptr(MsrpUri) again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out_again = NULL;

  if (uri == NULL)
    {
      check_failure (error);
      return;
    }
  out = msrp_uri_to_string (uri);
  again = msrp_uri_parse (out, NULL);
  if (again == NULL || !msrp_uri_equal (uri, again) ||
      msrp_uri_hash (uri) != msrp_uri_hash (again))
    abort ();
  out_again = msrp_uri_to_string (again);
  if (g_strcmp0 (out, out_again) != 0)
    abort ();
}

static void
check_path (const char *text,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = msrp_path_parse_len (text, len, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *out = NULL;

  if (path == NULL)
    {
      check_failure (error);
      return;
    }
  if (path->len == 0)
    abort ();
  out = msrp_path_to_string (path);
  again = msrp_path_parse (out, NULL);
  if (again == NULL || !msrp_path_equal (path, again))
    abort ();
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  check_uri ((const char *) data, size);
  check_path ((const char *) data, size);
  return 0;
}
