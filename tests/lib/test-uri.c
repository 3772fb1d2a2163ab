/* test-uri.c: MsrpUri parsing, formatting, RFC 4975 §6.1 comparison, paths */
#include <string.h>

#include <msrp.h>

static MsrpUri *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  MsrpUri *uri = msrp_uri_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uri);
  return uri;
}

static void
assert_round_trip (const char *text,
                   const char *canonical)
{
  g_autoptr(MsrpUri) uri = parse_ok (text);
  g_autofree char *out = msrp_uri_to_string (uri);
  g_autoptr(MsrpUri) again = parse_ok (out);
  g_autofree char *out_again = msrp_uri_to_string (again);

  g_assert_cmpstr (out, ==, canonical);
  g_assert_cmpstr (out_again, ==, canonical);
  g_assert_true (msrp_uri_equal (uri, again));
}

static void
assert_invalid (const char *text,
                gssize      length,
                const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = msrp_uri_parse_len (text, length, &error);

  g_assert_null (uri);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
  if (strstr (error->message, message_part) == NULL)
    g_error ("parsing '%s': expected '%s' in the message, got '%s'",
             text, message_part, error->message);
}

/* RFC 4975 §7 and §9, RFC 4976 §3 and §8 */
static void
test_rfc_examples (void)
{
  static const char *examples[] = {
    "msrp://atlanta.example.com:7654/jshA7weztas;tcp",
    "msrps://bob.example.com:8888/9di4eae923wzd;tcp",
    "msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp",
    "msrp://alicepc.example.com:7777/iau39soe2843z;tcp",
    "msrp://bobpc.example.com:8888/9di4ea;tcp",
    "msrps://relay.example.com;tcp",
    "msrps://alice@intra.example.com;tcp",
    "msrps://relay.example.net:2855;tcp",
    "msrps://bob.example.net:8493/9ds55rws;tcp",
    "msrps://relay1.example.com/hjdhfha;tcp",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    assert_round_trip (examples[i], examples[i]);
}

static void
test_getters (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrps://alice@atlanta.example.com:7654/jshA7weztas;tcp;foo=bar;flag");

  g_assert_true (msrp_uri_is_secure (uri));
  g_assert_cmpstr (msrp_uri_get_scheme (uri), ==, "msrps");
  g_assert_cmpstr (msrp_uri_get_userinfo (uri), ==, "alice");
  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "atlanta.example.com");
  g_assert_cmpint (msrp_uri_get_port (uri), ==, 7654);
  g_assert_cmpstr (msrp_uri_get_session_id (uri), ==, "jshA7weztas");
  g_assert_cmpstr (msrp_uri_get_transport (uri), ==, "tcp");
  g_assert_cmpstr (msrp_uri_get_param (uri, "foo"), ==, "bar");
  g_assert_cmpstr (msrp_uri_get_param (uri, "flag"), ==, "");
  g_assert_null (msrp_uri_get_param (uri, "tcp"));
}

static void
test_relay (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://relay.example.com:2855;tcp");
  g_autoptr(MsrpUri) plain = parse_ok ("msrp://relay.example.com;tcp");

  g_assert_false (msrp_uri_is_secure (uri));
  g_assert_cmpstr (msrp_uri_get_scheme (uri), ==, "msrp");
  g_assert_null (msrp_uri_get_session_id (uri));
  g_assert_null (msrp_uri_get_userinfo (uri));
  g_assert_cmpint (msrp_uri_get_port (uri), ==, 2855);
  g_assert_cmpint (msrp_uri_get_port (plain), ==, -1);
  g_assert_null (msrp_uri_get_session_id (plain));
}

static void
test_canonical_form (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "MSRP://Atlanta.Example.COM:7654/jshA7weztas;TCP", "msrp://Atlanta.Example.COM:7654/jshA7weztas;tcp" },
    { "MsRpS://relay.example.com;Tcp", "msrps://relay.example.com;tcp" },
    { "msrp://a.example:02855/x;tcp", "msrp://a.example:2855/x;tcp" },
    { "msrp://[2001:DB8::1]:9/x;tcp", "msrp://[2001:DB8::1]:9/x;tcp" },
    { "msrp://a.example/x;tcp;z=1;a;m=2", "msrp://a.example/x;tcp;z=1;a;m=2" },
    { "msrp://al%69ce@a.example/x;tcp", "msrp://al%69ce@a.example/x;tcp" },
    { "msrp://a.example/x;WSS;Q=V", "msrp://a.example/x;wss;Q=V" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_round_trip (cases[i].in, cases[i].out);
}

static void
test_scheme_case (void)
{
  g_autoptr(MsrpUri) upper = parse_ok ("MSRPS://bob.example.com:8888/9di4eae923wzd;tcp");
  g_autoptr(MsrpUri) lower = parse_ok ("msrps://bob.example.com:8888/9di4eae923wzd;tcp");

  g_assert_true (msrp_uri_is_secure (upper));
  g_assert_cmpstr (msrp_uri_get_scheme (upper), ==, "msrps");
  g_assert_true (msrp_uri_equal (upper, lower));
}

static void
test_transport_case (void)
{
  g_autoptr(MsrpUri) upper = parse_ok ("msrp://a.example.com/abc;TCP");
  g_autoptr(MsrpUri) lower = parse_ok ("msrp://a.example.com/abc;tcp");

  g_assert_cmpstr (msrp_uri_get_transport (upper), ==, "tcp");
  g_assert_true (msrp_uri_equal (upper, lower));
  g_assert_cmpuint (msrp_uri_hash (upper), ==, msrp_uri_hash (lower));
}

/* interop quirk 28: browser clients (crocodile-msrp, opensips-js) use a
 * random *.invalid host and the WebSocket transports of RFC 7977. */
static void
test_websocket_invalid_host (void)
{
  g_autoptr(MsrpUri) ws = parse_ok ("msrp://df7jal23ls0d.invalid/98cjs;ws");
  g_autoptr(MsrpUri) wss = parse_ok ("msrps://3a9hk2x8.invalid:2856/9di4eae923wzd;WSS");

  g_assert_cmpstr (msrp_uri_get_host (ws), ==, "df7jal23ls0d.invalid");
  g_assert_cmpstr (msrp_uri_get_transport (ws), ==, "ws");
  g_assert_cmpint (msrp_uri_get_port (ws), ==, -1);
  g_assert_cmpstr (msrp_uri_get_transport (wss), ==, "wss");
  g_assert_cmpint (msrp_uri_get_port (wss), ==, 2856);
  assert_round_trip ("msrp://df7jal23ls0d.invalid/98cjs;ws", "msrp://df7jal23ls0d.invalid/98cjs;ws");
}

/* interop quirk 6: FreeSWITCH puts a 36-character UUID in its paths. */
static void
test_uuid_session_id (void)
{
  const char *text = "msrp://192.0.2.10:2855/6a1f0e0c-3b0c-4a5e-9a4e-1f2d3c4b5a69;tcp";
  g_autoptr(MsrpUri) uri = parse_ok (text);

  g_assert_cmpstr (msrp_uri_get_session_id (uri), ==, "6a1f0e0c-3b0c-4a5e-9a4e-1f2d3c4b5a69");
  g_assert_cmpuint (strlen (msrp_uri_get_session_id (uri)), ==, 36);
  assert_round_trip (text, text);
}

static void
test_session_id_lengths_and_chars (void)
{
  g_autoptr(GString) text = g_string_new ("msrp://a.example/");
  g_autoptr(MsrpUri) one = parse_ok ("msrp://a.example/x;tcp");
  g_autoptr(MsrpUri) all = parse_ok ("msrp://a.example/AZaz09-._~+=/;tcp");
  g_autoptr(MsrpUri) slashes = parse_ok ("msrp://a.example//a//b;tcp");
  g_autoptr(MsrpUri) long_uri = NULL;

  g_assert_cmpstr (msrp_uri_get_session_id (one), ==, "x");
  g_assert_cmpstr (msrp_uri_get_session_id (all), ==, "AZaz09-._~+=/");
  g_assert_cmpstr (msrp_uri_get_session_id (slashes), ==, "/a//b");

  for (int i = 0; i < 4096; i++)
    g_string_append_c (text, "abcdefghij"[i % 10]);
  g_string_append (text, ";tcp");
  long_uri = parse_ok (text->str);
  g_assert_cmpuint (strlen (msrp_uri_get_session_id (long_uri)), ==, 4096);
}

static void
test_ipv6 (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://[2001:db8::1]:2855/abc;tcp");
  g_autoptr(MsrpUri) loopback = parse_ok ("msrps://[::1];tcp");
  g_autoptr(MsrpUri) mapped = parse_ok ("msrp://[::ffff:192.0.2.1]/abc;tcp");
  g_autofree char *text = msrp_uri_to_string (uri);

  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "2001:db8::1");
  g_assert_cmpint (msrp_uri_get_port (uri), ==, 2855);
  g_assert_cmpstr (text, ==, "msrp://[2001:db8::1]:2855/abc;tcp");
  g_assert_cmpstr (msrp_uri_get_host (loopback), ==, "::1");
  g_assert_null (msrp_uri_get_session_id (loopback));
  g_assert_cmpstr (msrp_uri_get_host (mapped), ==, "::ffff:192.0.2.1");
  assert_round_trip ("msrps://[::1];tcp", "msrps://[::1];tcp");
}

static void
test_ipv4 (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://192.0.2.1:9/abc;tcp");

  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "192.0.2.1");
  g_assert_cmpint (msrp_uri_get_port (uri), ==, 9);
}

static void
test_percent_encoded_userinfo (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrps://alice%40example.com:pa%3Ass@relay.example.com;tcp");
  g_autoptr(MsrpUri) sub_delims = parse_ok ("msrp://a!$&'()*+,;=:b@relay.example.com;tcp");

  g_assert_cmpstr (msrp_uri_get_userinfo (uri), ==, "alice%40example.com:pa%3Ass");
  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "relay.example.com");
  g_assert_cmpstr (msrp_uri_get_userinfo (sub_delims), ==, "a!$&'()*+,;=:b");
  g_assert_cmpstr (msrp_uri_get_host (sub_delims), ==, "relay.example.com");
  assert_round_trip ("msrps://alice%40example.com@relay.example.com;tcp",
                     "msrps://alice%40example.com@relay.example.com;tcp");
}

static void
test_percent_encoded_host (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://%61tlanta.example.com/x;tcp");
  g_autoptr(MsrpUri) plain = parse_ok ("msrp://atlanta.example.com/x;tcp");

  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "%61tlanta.example.com");
  g_assert_true (msrp_uri_equal (uri, plain));
}

static void
test_port (void)
{
  g_autoptr(MsrpUri) zero = parse_ok ("msrp://a.example:0/x;tcp");
  g_autoptr(MsrpUri) max = parse_ok ("msrp://a.example:65535/x;tcp");
  g_autoptr(MsrpUri) none = parse_ok ("msrp://a.example/x;tcp");
  g_autoptr(MsrpUri) zeros = parse_ok ("msrp://a.example:0000000000000080/x;tcp");

  g_assert_cmpint (msrp_uri_get_port (zero), ==, 0);
  g_assert_cmpint (msrp_uri_get_port (max), ==, 65535);
  g_assert_cmpint (msrp_uri_get_port (none), ==, -1);
  g_assert_cmpint (msrp_uri_get_port (zeros), ==, 80);
  assert_round_trip ("msrp://a.example:0/x;tcp", "msrp://a.example:0/x;tcp");
  assert_invalid ("msrp://a.example:65536/x;tcp", -1, "port out of range");
}

static void
test_params (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://a.example/x;tcp;Foo=Bar;lr;n=%41;foo=second;x-Y_z.!~*'=`^{}|#$&");
  g_autoptr(MsrpUri) none = parse_ok ("msrp://a.example/x;tcp");
  g_auto(GStrv) params = msrp_uri_get_params (uri);
  g_auto(GStrv) no_params = msrp_uri_get_params (none);

  g_assert_cmpstr (msrp_uri_get_param (uri, "foo"), ==, "Bar");
  g_assert_cmpstr (msrp_uri_get_param (uri, "FOO"), ==, "Bar");
  g_assert_cmpstr (msrp_uri_get_param (uri, "lr"), ==, "");
  g_assert_cmpstr (msrp_uri_get_param (uri, "n"), ==, "%41");
  g_assert_cmpstr (msrp_uri_get_param (uri, "x-y_z.!~*'"), ==, "`^{}|#$&");
  g_assert_null (msrp_uri_get_param (uri, "missing"));
  g_assert_null (msrp_uri_get_param (none, "foo"));
  g_assert_cmpuint (g_strv_length (params), ==, 5);
  g_assert_cmpstr (params[0], ==, "Foo=Bar");
  g_assert_cmpstr (params[1], ==, "lr");
  g_assert_cmpstr (params[2], ==, "n=%41");
  g_assert_cmpstr (params[3], ==, "foo=second");
  g_assert_cmpstr (params[4], ==, "x-Y_z.!~*'=`^{}|#$&");
  g_assert_nonnull (no_params);
  g_assert_cmpuint (g_strv_length (no_params), ==, 0);
  assert_round_trip ("msrp://a.example/x;tcp;Foo=Bar;lr;n=%41", "msrp://a.example/x;tcp;Foo=Bar;lr;n=%41");
}

typedef struct
{
  const char *a;
  const char *b;
  gboolean equal;
} EqualCase;

static const EqualCase equal_cases[] = {
  { "msrp://a.example.com:1234/abc;tcp", "msrp://a.example.com:1234/abc;tcp", TRUE },
  { "MSRP://a.example.com:1234/abc;tcp", "msrp://a.example.com:1234/abc;tcp", TRUE },
  { "msrps://a.example.com:1234/abc;tcp", "msrp://a.example.com:1234/abc;tcp", FALSE },
  { "msrp://A.Example.COM:1234/abc;tcp", "msrp://a.example.com:1234/abc;tcp", TRUE },
  { "msrp://a.example.com:1234/abc;tcp", "msrp://a.example.com:1235/abc;tcp", FALSE },
  { "msrp://a.example.com:1234/abc;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://a.example.com:2855/abc;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://a.example.com:0/abc;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://a.example.com/ABC;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://a.example.com/abc;tcp", "msrp://a.example.com/abd;tcp", FALSE },
  { "msrp://a.example.com;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://relay.example.com:2855;tcp", "msrp://RELAY.example.com:2855;tcp", TRUE },
  { "msrp://a.example.com/abc;TCP", "msrp://a.example.com/abc;tcp", TRUE },
  { "msrp://a.example.com/abc;tcp", "msrp://a.example.com/abc;ws", FALSE },
  { "msrp://alice@a.example.com/abc;tcp", "msrp://a.example.com/abc;tcp", TRUE },
  { "msrp://alice@a.example.com/abc;tcp", "msrp://bob@a.example.com/abc;tcp", TRUE },
  { "msrp://a.example.com/abc;tcp;foo=bar", "msrp://a.example.com/abc;tcp", TRUE },
  { "msrp://a.example.com/abc;tcp;foo=bar", "msrp://a.example.com/abc;tcp;foo=baz", TRUE },
  { "msrp://%61.example.com/abc;tcp", "msrp://a.example.com/abc;tcp", TRUE },
  { "msrp://%41.EXAMPLE.com/abc;tcp", "msrp://a.example.com/abc;tcp", TRUE },
  { "msrp://a%2d%2Eexample.com/abc;tcp", "msrp://a-.example.com/abc;tcp", TRUE },
  { "msrp://b.example.com/abc;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://a.example.com./abc;tcp", "msrp://a.example.com/abc;tcp", FALSE },
  { "msrp://[2001:db8::1]/abc;tcp", "msrp://[2001:0db8:0:0:0:0:0:1]/abc;tcp", TRUE },
  { "msrp://[2001:DB8::1]:9/abc;tcp", "msrp://[2001:db8::1]:9/abc;tcp", TRUE },
  { "msrp://[::1]/abc;tcp", "msrp://[0:0:0:0:0:0:0:1]/abc;tcp", TRUE },
  { "msrp://[2001:db8::1]/abc;tcp", "msrp://[2001:db8::2]/abc;tcp", FALSE },
  { "msrp://[::ffff:192.0.2.1]/abc;tcp", "msrp://[::ffff:c000:201]/abc;tcp", TRUE },
  { "msrp://[::ffff:192.0.2.1]/abc;tcp", "msrp://192.0.2.1/abc;tcp", FALSE },
  { "msrp://192.0.2.1/abc;tcp", "msrp://192.0.2.1/abc;tcp", TRUE },
  { "msrp://192.0.2.1/abc;tcp", "msrp://192.0.2.2/abc;tcp", FALSE },
  { "msrp://%31%39%32.0.2.1/abc;tcp", "msrp://192.0.2.1/abc;tcp", TRUE },
  { "msrp://localhost/abc;tcp", "msrp://127.0.0.1/abc;tcp", FALSE },
  { "msrp://a.example.com/abc;tcp", "msrp://a.example.com/abc/;tcp", FALSE },
  { "msrp://a%3a.example.com/abc;tcp", "msrp://a%3A.example.com/abc;tcp", TRUE },
};

static void
test_equal_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      g_autoptr(MsrpUri) a = parse_ok (equal_cases[i].a);
      g_autoptr(MsrpUri) b = parse_ok (equal_cases[i].b);

      if (msrp_uri_equal (a, b) != equal_cases[i].equal ||
          msrp_uri_equal (b, a) != equal_cases[i].equal)
        g_error ("'%s' and '%s' should%s be equal", equal_cases[i].a, equal_cases[i].b,
                 equal_cases[i].equal ? "" : " not");
      g_assert_true (msrp_uri_equal (a, a));
    }
}

static void
test_hash (void)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full ((GHashFunc) msrp_uri_hash,
                                                       (GEqualFunc) msrp_uri_equal,
                                                       (GDestroyNotify) msrp_uri_unref, NULL);
  guint distinct = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      g_autoptr(MsrpUri) a = parse_ok (equal_cases[i].a);
      g_autoptr(MsrpUri) b = parse_ok (equal_cases[i].b);

      if (equal_cases[i].equal)
        g_assert_cmpuint (msrp_uri_hash (a), ==, msrp_uri_hash (b));
      g_hash_table_add (table, msrp_uri_ref (a));
    }

  /* every b is found exactly when it equals its a */
  for (gsize i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      g_autoptr(MsrpUri) b = parse_ok (equal_cases[i].b);

      if (equal_cases[i].equal)
        g_assert_true (g_hash_table_contains (table, b));
    }

  /* distinct URIs rarely collide */
  for (gsize i = 0; i < G_N_ELEMENTS (equal_cases); i++)
    {
      g_autoptr(MsrpUri) a = parse_ok (equal_cases[i].a);
      g_autoptr(MsrpUri) b = parse_ok (equal_cases[i].b);

      if (!equal_cases[i].equal && msrp_uri_hash (a) != msrp_uri_hash (b))
        distinct++;
    }
  g_assert_cmpuint (distinct, >=, 10);
}

static void
test_malformed (void)
{
  static const struct { const char *text, *message; } cases[] = {
    { "", "expected 'msrp://' or 'msrps://'" },
    { "msrp:", "expected 'msrp://' or 'msrps://'" },
    { "msrp:/a.example.com;tcp", "expected 'msrp://' or 'msrps://'" },
    { " msrp://a.example.com/x;tcp", "expected 'msrp://' or 'msrps://'" },
    { "http://a.example.com/x;tcp", "unsupported scheme 'http'" },
    { "sip:alice@example.com", "unsupported scheme 'sip'" },
    { "msrp://a.example/x", "missing transport parameter" },
    { "msrp://a.example:2855", "missing transport parameter" },
    { "msrp://", "empty host" },
    { "msrp://;tcp", "empty host" },
    { "msrp://:2855/x;tcp", "empty host" },
    { "msrp://alice@;tcp", "empty host" },
    { "msrp://::1/x;tcp", "empty host" },
    { "msrp://a.example.com:65536/x;tcp", "port out of range" },
    { "msrp://a.example.com:99999999999999999999999/x;tcp", "port out of range" },
    { "msrp://a.example.com:/x;tcp", "empty port" },
    { "msrp://a.example.com:12a/x;tcp", "invalid character 'a' in port" },
    { "msrp://a.example.com:-1/x;tcp", "invalid character '-' in port" },
    { "msrp://a.example.com/;tcp", "empty session-id" },
    { "msrp://a.example.com/ab c;tcp", "invalid character ' ' in session-id" },
    { "msrp://a.example.com/ab%20c;tcp", "invalid character '%' in session-id" },
    { "msrp://a.example.com/ab@c;tcp", "invalid character '@' in session-id" },
    { "msrp://a@b@c.example.com/abc;tcp", "invalid character '@' in host" },
    { "msrp://a.example.com/abc\r\n;tcp", "invalid character '\\x0d' in session-id" },
    { "msrp://a.example.com/abc;", "empty transport" },
    { "msrp://a.example.com/abc;t-cp", "invalid character '-' in transport" },
    { "msrp://a.example.com/abc;tcp ", "invalid character ' ' in transport" },
    { "msrp://a.example.com/abc;transport=tcp", "invalid character '=' in transport" },
    { "msrp://a.example.com/abc;tcp;", "empty parameter" },
    { "msrp://a.example.com/abc;tcp;;x", "empty parameter" },
    { "msrp://a.example.com/abc;tcp;=x", "invalid character '=' in parameter" },
    { "msrp://a.example.com/abc;tcp;a=", "empty parameter value" },
    { "msrp://a.example.com/abc;tcp;a=;b", "empty parameter value" },
    { "msrp://a.example.com/abc;tcp;a=b=c", "invalid character '=' in parameter" },
    { "msrp://a.example.com/abc;tcp;a b", "invalid character ' ' in parameter" },
    { "msrp://a.example.com/abc;tcp;a\"b", "invalid character '\"' in parameter" },
    { "msrp://[::1/abc;tcp", "unterminated IPv6 address" },
    { "msrp://[]/abc;tcp", "empty host" },
    { "msrp://[::g]/abc;tcp", "invalid IPv6 address" },
    { "msrp://[1:2:3:4:5:6:7:8:9]/abc;tcp", "invalid IPv6 address" },
    { "msrp://[192.0.2.1]/abc;tcp", "invalid IPv6 address" },
    { "msrp://[fe80::1%25eth0]/abc;tcp", "invalid IPv6 address" },
    { "msrp://[::1]x/abc;tcp", "invalid character 'x' in authority after the IPv6 address" },
    { "msrp://a[::1]/abc;tcp", "invalid character '[' in host" },
    { "msrp://a%zz.example/abc;tcp", "invalid percent-encoding in host" },
    { "msrp://a%2/abc;tcp", "invalid percent-encoding in host" },
    { "msrp://a.example%", "invalid percent-encoding in host" },
    { "msrp://al ice@a.example/abc;tcp", "invalid character ' ' in userinfo" },
    { "msrp://alice%@a.example/abc;tcp", "invalid percent-encoding in userinfo" },
    { "msrp://a,b.example/abc;tcp", "invalid character ',' in host" },
    { "msrp://a.example.com\xc3\xa9/abc;tcp", "invalid character '\\xc3' in host" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_invalid (cases[i].text, -1, cases[i].message);
}

static void
test_error_messages (void)
{
  static const struct { const char *text, *message; } cases[] = {
    { "msrp://a.example/x", "missing transport parameter at offset 18 in 'msrp://a.example/x'" },
    { "msrp://a.example:70000/x;tcp", "port out of range (more than 65535) at offset 17 in 'msrp://a.example:70000/x;tcp'" },
    { "msrp://:1/x;tcp", "empty host at offset 7 in 'msrp://:1/x;tcp'" },
    { "msrp://a.example/a\\b;tcp", "invalid character '\\x5c' in session-id at offset 18 in 'msrp://a.example/a\\x5cb;tcp'" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MsrpUri) uri = msrp_uri_parse (cases[i].text, &error);

      g_assert_null (uri);
      g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_embedded_nul (void)
{
  static const char with_nul[] = "msrp://a.example/ab\0cd;tcp";
  static const char nul_in_host[] = "msrp://a.exa\0mple/abcd;tcp";
  static const char nul_in_ipv6[] = "msrp://[::1\0]/abcd;tcp";
  static const char nul_in_scheme[] = "msrp\0://a.example/abcd;tcp";
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = NULL;

  assert_invalid (with_nul, sizeof with_nul - 1, "invalid character '\\x00' in session-id");
  assert_invalid (nul_in_host, sizeof nul_in_host - 1, "invalid character '\\x00' in host");
  assert_invalid (nul_in_ipv6, sizeof nul_in_ipv6 - 1, "invalid IPv6 address");
  assert_invalid (nul_in_scheme, sizeof nul_in_scheme - 1, "expected 'msrp://'");

  /* the message shows the NUL escaped and the text after it */
  uri = msrp_uri_parse_len (with_nul, sizeof with_nul - 1, &error);
  g_assert_null (uri);
  g_assert_nonnull (strstr (error->message, "'msrp://a.example/ab\\x00cd;tcp'"));
}

/* The frame parser hands over slices of a header block, not strings. */
static void
test_parse_len_slice (void)
{
  static const char header[] = "To-Path: msrp://a.example:1/abc;tcp msrp://b.example/def;tcp\r\n";
  g_autoptr(MsrpUri) first = msrp_uri_parse_len (header + 9, 26, NULL);
  g_autoptr(MsrpUri) zero = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (first);
  text = msrp_uri_to_string (first);
  g_assert_cmpstr (text, ==, "msrp://a.example:1/abc;tcp");

  zero = msrp_uri_parse_len (header + 9, 0, &error);
  g_assert_null (zero);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
}

/* Linear time and no recursion, whatever the input; the messages of long
 * inputs stay short. */
static void
test_long_input (void)
{
  const gsize n = 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (n + 64);
  g_autoptr(GError) error = NULL;
  g_autoptr(MsrpUri) uri = NULL;
  g_autoptr(MsrpUri) params = NULL;

  g_string_append (text, "msrp://");
  for (gsize i = 0; i < n; i++)
    g_string_append_c (text, 'h');
  g_string_append (text, "/s;tcp");
  uri = parse_ok (text->str);
  g_assert_cmpuint (strlen (msrp_uri_get_host (uri)), ==, n);

  g_string_truncate (text, 0);
  g_string_append (text, "msrp://a.example/s;tcp");
  for (gsize i = 0; i < n / 4; i++)
    g_string_append (text, ";p=");
  g_assert_null (msrp_uri_parse (text->str, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_clear_error (&error);

  g_string_truncate (text, 0);
  g_string_append (text, "msrp://a.example/s;tcp");
  for (gsize i = 0; i < n / 4; i++)
    g_string_append (text, ";p");
  params = parse_ok (text->str);
  g_assert_cmpstr (msrp_uri_get_param (params, "p"), ==, "");

  g_string_truncate (text, 0);
  g_string_append (text, "msrp://");
  for (gsize i = 0; i < n; i++)
    g_string_append_c (text, '@');
  g_assert_null (msrp_uri_parse (text->str, &error));
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
}

static void
test_new (void)
{
  g_autoptr(MsrpUri) uri = msrp_uri_new (FALSE, "a.example.com", 2855, "abc", "tcp");
  g_autoptr(MsrpUri) relay = msrp_uri_new (TRUE, "relay.example.com", -1, NULL, "tcp");
  g_autoptr(MsrpUri) v6 = msrp_uri_new (FALSE, "2001:db8::1", 0, "abc", "tcp");
  g_autoptr(MsrpUri) v6_brackets = msrp_uri_new (FALSE, "[2001:db8::1]", 0, "abc", "TCP");
  g_autofree char *text = msrp_uri_to_string (uri);
  g_autofree char *relay_text = msrp_uri_to_string (relay);
  g_autofree char *v6_text = msrp_uri_to_string (v6);

  g_assert_cmpstr (text, ==, "msrp://a.example.com:2855/abc;tcp");
  g_assert_cmpstr (relay_text, ==, "msrps://relay.example.com;tcp");
  g_assert_cmpstr (v6_text, ==, "msrp://[2001:db8::1]:0/abc;tcp");
  g_assert_cmpstr (msrp_uri_get_host (v6), ==, "2001:db8::1");
  g_assert_true (msrp_uri_equal (v6, v6_brackets));
  g_assert_cmpstr (msrp_uri_get_transport (v6_brackets), ==, "tcp");
}

static void
test_new_invalid (void)
{
  MsrpUri *uri;

  g_test_expect_message ("Msrp", G_LOG_LEVEL_CRITICAL, "*invalid MSRP URI parts*empty session-id*");
  uri = msrp_uri_new (FALSE, "a.example.com", -1, "", "tcp");
  g_test_assert_expected_messages ();
  g_assert_null (uri);

  g_test_expect_message ("Msrp", G_LOG_LEVEL_CRITICAL, "*invalid MSRP URI parts*in host*");
  uri = msrp_uri_new (FALSE, "a b", -1, "abc", "tcp");
  g_test_assert_expected_messages ();
  g_assert_null (uri);

  g_test_expect_message ("Msrp", G_LOG_LEVEL_CRITICAL, "*port >= -1*");
  uri = msrp_uri_new (FALSE, "a.example.com", 65536, "abc", "tcp");
  g_test_assert_expected_messages ();
  g_assert_null (uri);
}

static void
test_with_port (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://alice@a.example.com:0/abc;tcp;foo=bar");
  g_autoptr(MsrpUri) bound = msrp_uri_with_port (uri, 40123);
  g_autoptr(MsrpUri) none = msrp_uri_with_port (uri, -1);
  g_autofree char *text = msrp_uri_to_string (bound);
  g_autofree char *none_text = msrp_uri_to_string (none);

  g_assert_cmpstr (text, ==, "msrp://alice@a.example.com:40123/abc;tcp;foo=bar");
  g_assert_cmpstr (none_text, ==, "msrp://alice@a.example.com/abc;tcp;foo=bar");
  g_assert_cmpint (msrp_uri_get_port (uri), ==, 0);
  g_assert_false (msrp_uri_equal (uri, bound));
}

static void
test_with_host (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrps://0.0.0.0:2855/abc;tcp;x");
  g_autoptr(MsrpUri) named = msrp_uri_with_host (uri, "alice.example.com");
  g_autoptr(MsrpUri) v6 = msrp_uri_with_host (uri, "2001:db8::7");
  g_autoptr(MsrpUri) v4 = msrp_uri_with_host (v6, "192.0.2.7");
  g_autofree char *named_text = msrp_uri_to_string (named);
  g_autofree char *v6_text = msrp_uri_to_string (v6);
  g_autofree char *v4_text = msrp_uri_to_string (v4);

  g_assert_cmpstr (named_text, ==, "msrps://alice.example.com:2855/abc;tcp;x");
  g_assert_cmpstr (v6_text, ==, "msrps://[2001:db8::7]:2855/abc;tcp;x");
  g_assert_cmpstr (v4_text, ==, "msrps://192.0.2.7:2855/abc;tcp;x");
  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "0.0.0.0");
}

static void
test_with_session_id (void)
{
  g_autoptr(MsrpUri) relay = parse_ok ("msrps://relay.example.com:2855;tcp");
  g_autoptr(MsrpUri) session = msrp_uri_with_session_id (relay, "hjdhfha");
  g_autoptr(MsrpUri) back = msrp_uri_with_session_id (session, NULL);
  g_autofree char *text = msrp_uri_to_string (session);

  g_assert_cmpstr (text, ==, "msrps://relay.example.com:2855/hjdhfha;tcp");
  g_assert_null (msrp_uri_get_session_id (back));
  g_assert_true (msrp_uri_equal (back, relay));
  g_assert_false (msrp_uri_equal (session, relay));
}

static void
test_boxed (void)
{
  g_autoptr(MsrpUri) uri = parse_ok ("msrp://a.example/x;tcp");
  MsrpUri *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (MSRP_TYPE_URI));
  copy = g_boxed_copy (MSRP_TYPE_URI, uri);
  g_assert_true (copy == uri);
  g_boxed_free (MSRP_TYPE_URI, copy);

  g_value_init (&value, MSRP_TYPE_URI);
  g_value_set_boxed (&value, uri);
  g_assert_true (g_value_get_boxed (&value) == uri);
  g_value_unset (&value);

  g_assert_true (msrp_uri_ref (uri) == uri);
  msrp_uri_unref (uri);
  g_assert_cmpstr (msrp_uri_get_host (uri), ==, "a.example");
}

static void
test_path_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = msrp_path_parse (
      "msrps://relay.example.com;tcp msrp://[2001:db8::1]:2855/abc;tcp  msrp://192.0.2.1:9/def;ws",
      &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpuint (path->len, ==, 3);
  g_assert_cmpstr (msrp_uri_get_host (g_ptr_array_index (path, 0)), ==, "relay.example.com");
  g_assert_cmpstr (msrp_uri_get_host (g_ptr_array_index (path, 1)), ==, "2001:db8::1");
  g_assert_cmpstr (msrp_uri_get_transport (g_ptr_array_index (path, 2)), ==, "ws");
  text = msrp_path_to_string (path);
  g_assert_cmpstr (text, ==, "msrps://relay.example.com;tcp msrp://[2001:db8::1]:2855/abc;tcp msrp://192.0.2.1:9/def;ws");
}

static void
test_path_whitespace (void)
{
  g_autoptr(GPtrArray) path = msrp_path_parse (" \t msrp://a.example/x;tcp \t\t  msrp://b.example/y;tcp\t ", NULL);
  g_autoptr(GPtrArray) single = msrp_path_parse ("msrp://a.example/x;tcp", NULL);
  static const char slice[] = "msrp://a.example/x;tcp msrp://b.example/y;tcp msrp://c.example/z;tcp";
  g_autoptr(GPtrArray) two = msrp_path_parse_len (slice, 45, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (path);
  g_assert_cmpuint (path->len, ==, 2);
  text = msrp_path_to_string (path);
  g_assert_cmpstr (text, ==, "msrp://a.example/x;tcp msrp://b.example/y;tcp");
  g_assert_nonnull (single);
  g_assert_cmpuint (single->len, ==, 1);
  g_assert_nonnull (two);
  g_assert_cmpuint (two->len, ==, 2);
}

static void
test_path_errors (void)
{
  static const char *cases[] = { "", "   ", "\t", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = NULL;

  for (gsize i = 0; cases[i] != NULL; i++)
    {
      g_autoptr(GError) empty_error = NULL;
      g_autoptr(GPtrArray) empty = msrp_path_parse (cases[i], &empty_error);

      g_assert_null (empty);
      g_assert_error (empty_error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
      g_assert_cmpstr (empty_error->message, ==, "empty path");
    }

  path = msrp_path_parse ("msrp://a.example/x;tcp msrp://b.example/y msrp://c.example/z;tcp", &error);
  g_assert_null (path);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
  g_assert_true (g_str_has_prefix (error->message, "URI 2 of path: missing transport parameter"));
  g_clear_error (&error);

  path = msrp_path_parse ("msrp://a.example/x;tcp\r\nmsrp://b.example/y;tcp", &error);
  g_assert_null (path);
  g_assert_error (error, MSRP_ERROR, MSRP_ERROR_INVALID_URI);
}

static void
test_path_equal (void)
{
  g_autoptr(GPtrArray) a = msrp_path_parse ("msrp://relay.example.com;tcp MSRP://[::1]:9/abc;TCP", NULL);
  g_autoptr(GPtrArray) b = msrp_path_parse ("msrp://RELAY.example.com;tcp msrp://[0::1]:9/abc;tcp", NULL);
  g_autoptr(GPtrArray) c = msrp_path_parse ("msrp://relay.example.com;tcp msrp://[::1]:9/abd;tcp", NULL);
  g_autoptr(GPtrArray) d = msrp_path_parse ("msrp://relay.example.com;tcp", NULL);
  g_autoptr(GPtrArray) reversed = msrp_path_parse ("msrp://[::1]:9/abc;tcp msrp://relay.example.com;tcp", NULL);

  g_assert_true (msrp_path_equal (a, b));
  g_assert_true (msrp_path_equal (a, a));
  g_assert_false (msrp_path_equal (a, c));
  g_assert_false (msrp_path_equal (a, d));
  g_assert_false (msrp_path_equal (d, a));
  g_assert_false (msrp_path_equal (a, reversed));
}

static void
test_path_new (void)
{
  g_autoptr(GPtrArray) path = msrp_path_new ();
  g_autoptr(GPtrArray) other = msrp_path_new ();
  g_autofree char *empty_text = msrp_path_to_string (path);
  g_autofree char *text = NULL;

  g_assert_cmpuint (path->len, ==, 0);
  g_assert_cmpstr (empty_text, ==, "");
  g_assert_true (msrp_path_equal (path, other));

  g_ptr_array_add (path, msrp_uri_new (TRUE, "relay.example.com", -1, NULL, "tcp"));
  g_ptr_array_add (path, msrp_uri_new (TRUE, "bob.example.com", 8493, "9ds55rws", "tcp"));
  text = msrp_path_to_string (path);
  g_assert_cmpstr (text, ==, "msrps://relay.example.com;tcp msrps://bob.example.com:8493/9ds55rws;tcp");
}

static void
test_path_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) path = NULL;
  g_autofree char *out = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append_printf (text, "%smsrp://h%d.example:%d/s%d;tcp", i ? " " : "", i, i % 65536, i);
  path = msrp_path_parse (text->str, NULL);
  g_assert_nonnull (path);
  g_assert_cmpuint (path->len, ==, 10000);
  out = msrp_path_to_string (path);
  g_assert_cmpstr (out, ==, text->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uri/rfc-examples", test_rfc_examples);
  g_test_add_func ("/uri/getters", test_getters);
  g_test_add_func ("/uri/relay", test_relay);
  g_test_add_func ("/uri/canonical-form", test_canonical_form);
  g_test_add_func ("/uri/scheme-case", test_scheme_case);
  g_test_add_func ("/uri/transport-case", test_transport_case);
  g_test_add_func ("/uri/websocket-invalid-host", test_websocket_invalid_host);
  g_test_add_func ("/uri/uuid-session-id", test_uuid_session_id);
  g_test_add_func ("/uri/session-id-lengths-and-chars", test_session_id_lengths_and_chars);
  g_test_add_func ("/uri/ipv6", test_ipv6);
  g_test_add_func ("/uri/ipv4", test_ipv4);
  g_test_add_func ("/uri/percent-encoded-userinfo", test_percent_encoded_userinfo);
  g_test_add_func ("/uri/percent-encoded-host", test_percent_encoded_host);
  g_test_add_func ("/uri/port", test_port);
  g_test_add_func ("/uri/params", test_params);
  g_test_add_func ("/uri/equal-table", test_equal_table);
  g_test_add_func ("/uri/hash", test_hash);
  g_test_add_func ("/uri/malformed", test_malformed);
  g_test_add_func ("/uri/error-messages", test_error_messages);
  g_test_add_func ("/uri/embedded-nul", test_embedded_nul);
  g_test_add_func ("/uri/parse-len-slice", test_parse_len_slice);
  g_test_add_func ("/uri/long-input", test_long_input);
  g_test_add_func ("/uri/new", test_new);
  g_test_add_func ("/uri/new-invalid", test_new_invalid);
  g_test_add_func ("/uri/with-port", test_with_port);
  g_test_add_func ("/uri/with-host", test_with_host);
  g_test_add_func ("/uri/with-session-id", test_with_session_id);
  g_test_add_func ("/uri/boxed", test_boxed);
  g_test_add_func ("/path/parse", test_path_parse);
  g_test_add_func ("/path/whitespace", test_path_whitespace);
  g_test_add_func ("/path/errors", test_path_errors);
  g_test_add_func ("/path/equal", test_path_equal);
  g_test_add_func ("/path/new", test_path_new);
  g_test_add_func ("/path/long", test_path_long);

  return g_test_run ();
}
