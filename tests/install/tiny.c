/* tiny.c: a program built against the installed libmsrp, as an application
 * would build it (see check-installed.sh)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <msrp/msrp.h>
#include <stdio.h>

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = NULL;
  g_autoptr(MsrpUri) bad = NULL;
  g_autofree char *text = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s MSRP-URI\n", argv[0]);
      return 2;
    }

  uri = msrp_uri_parse (argv[1], &error);
  if (uri == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  text = msrp_uri_to_string (uri);
  printf ("%s host=%s port=%d session-id=%s\n", text, msrp_uri_get_host (uri),
          msrp_uri_get_port (uri), msrp_uri_get_session_id (uri));

  bad = msrp_uri_parse ("http://example.com/", &error);
  printf ("%s %s\n", g_quark_to_string (msrp_error_quark ()),
          bad == NULL && g_error_matches (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI)
          ? "invalid-uri" : "unexpected");
  printf ("version %s %s\n", MSRP_VERSION_STRING,
          MSRP_CHECK_VERSION (MSRP_MAJOR_VERSION, MSRP_MINOR_VERSION, MSRP_MICRO_VERSION)
          ? "checks" : "does not check");
  return 0;
}
