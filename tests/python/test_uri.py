"""Msrp-1.0 through gi: URIs, paths, the error domain and TLS credentials."""
import gi

gi.require_version('Gio', '2.0')
gi.require_version('Msrp', '1.0')
from gi.repository import Gio, GLib, Msrp  # noqa: E402

import taprunner  # noqa: E402
import unittest  # noqa: E402

ALICE = 'msrp://atlanta.example.com:7654/jshA7weztas;tcp'
BOB = 'msrps://bob@Biloxi.Example.com:8888/9di4ea;tcp'
RELAY = 'msrps://relay.example.net:2855;tcp'


class UriTest(unittest.TestCase):
    def test_parse_is_a_static_method(self):
        uri = Msrp.Uri.parse(ALICE)
        self.assertIsInstance(uri, Msrp.Uri)
        self.assertEqual(uri.to_string(), ALICE)

    def test_getters(self):
        uri = Msrp.Uri.parse(BOB)
        self.assertTrue(uri.is_secure())
        self.assertEqual(uri.get_scheme(), 'msrps')
        self.assertEqual(uri.get_userinfo(), 'bob')
        self.assertEqual(uri.get_host(), 'Biloxi.Example.com')
        self.assertEqual(uri.get_port(), 8888)
        self.assertEqual(uri.get_session_id(), '9di4ea')
        self.assertEqual(uri.get_transport(), 'tcp')

    def test_relay_uri_and_params(self):
        uri = Msrp.Uri.parse('MSRP://[2001:db8::1]:2855;TCP;ws;x=1')
        self.assertFalse(uri.is_secure())
        self.assertEqual(uri.get_host(), '2001:db8::1')
        self.assertIsNone(uri.get_session_id())
        self.assertIsNone(uri.get_userinfo())
        self.assertEqual(uri.get_params(), ['ws', 'x=1'])
        self.assertEqual(uri.get_param('x'), '1')
        self.assertEqual(uri.to_string(), 'msrp://[2001:db8::1]:2855;tcp;ws;x=1')

    def test_bad_uri_raises_glib_error(self):
        with self.assertRaises(GLib.Error) as caught:
            Msrp.Uri.parse('http://example.com/')
        error = caught.exception
        self.assertEqual(error.domain, 'msrp-error-quark')
        self.assertEqual(error.code, Msrp.Error.INVALID_URI)
        self.assertTrue(error.matches(Msrp.Error.quark(), Msrp.Error.INVALID_URI))

    def test_new_equal_hash(self):
        made = Msrp.Uri.new(False, 'ATLANTA.example.com', 7654, 'jshA7weztas', 'tcp')
        parsed = Msrp.Uri.parse(ALICE)
        self.assertTrue(made.equal(parsed))
        self.assertEqual(made.hash(), parsed.hash())
        self.assertFalse(made.equal(Msrp.Uri.parse(BOB)))

    def test_with_copies(self):
        uri = Msrp.Uri.parse(ALICE)
        moved = uri.with_port(9999).with_session_id('other')
        self.assertEqual(moved.to_string(), 'msrp://atlanta.example.com:9999/other;tcp')
        self.assertEqual(uri.to_string(), ALICE)


class PathTest(unittest.TestCase):
    def test_parse_gives_list_of_uris(self):
        path = Msrp.path_parse(RELAY + ' ' + BOB)
        self.assertIsInstance(path, list)
        self.assertEqual(len(path), 2)
        self.assertTrue(all(isinstance(uri, Msrp.Uri) for uri in path))
        # The list owns its URIs: they must outlive the C array they came in.
        self.assertEqual([uri.to_string() for uri in path], [RELAY, BOB])
        self.assertEqual([uri.to_string() for uri in Msrp.path_parse(BOB + ' ' + RELAY)],
                         [BOB, RELAY])

    def test_to_string_and_equal(self):
        path = Msrp.path_parse(RELAY + ' ' + BOB)
        self.assertEqual(Msrp.path_to_string(path), RELAY + ' ' + BOB)
        self.assertTrue(Msrp.path_equal(path, Msrp.path_parse(RELAY + ' ' + BOB)))
        self.assertFalse(Msrp.path_equal(path, Msrp.path_parse(BOB)))

    def test_bad_path_raises(self):
        with self.assertRaises(GLib.Error) as caught:
            Msrp.path_parse(ALICE + ' not-a-uri')
        self.assertEqual(caught.exception.code, Msrp.Error.INVALID_URI)


class ErrorTest(unittest.TestCase):
    def test_status_codes(self):
        self.assertEqual(Msrp.Error.STOP_SENDING, 413)
        self.assertEqual(Msrp.status_reason(481), 'Session Does Not Exist')
        self.assertIsNone(Msrp.status_reason(299))


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.credentials = Msrp.TlsCredentials.new_self_signed('python.example')

    def test_fingerprint(self):
        fingerprint = self.credentials.get_fingerprint()
        name, hexpairs = fingerprint.split(' ')
        self.assertEqual(name, 'sha-256')
        self.assertEqual(len(hexpairs.split(':')), 32)
        certificate = self.credentials.get_certificate()
        self.assertIsInstance(certificate, Gio.TlsCertificate)
        self.assertEqual(Msrp.tls_fingerprint_for_certificate(certificate, 'SHA-256'),
                         fingerprint)
        self.assertTrue(Msrp.tls_fingerprint_matches(fingerprint.lower(), certificate))

    def test_other_certificate_does_not_match(self):
        other = Msrp.TlsCredentials.new_self_signed(None)
        with self.assertRaises(GLib.Error) as caught:
            Msrp.tls_fingerprint_matches(self.credentials.get_fingerprint(),
                                         other.get_certificate())
        self.assertEqual(caught.exception.code, Msrp.Error.TLS)

    def test_bad_common_name_raises(self):
        with self.assertRaises(GLib.Error) as caught:
            Msrp.TlsCredentials.new_self_signed('')
        self.assertEqual(caught.exception.code, Msrp.Error.TLS)


if __name__ == '__main__':
    taprunner.main()
