"""Msrp-1.0 through gi: SDP, a chat with the async API, a big message with a
success report, errors, and TLS with fingerprints, over loopback."""
import gi

gi.require_version('Gio', '2.0')
gi.require_version('Msrp', '1.0')
from gi.repository import Gio, GLib, Msrp  # noqa: E402

import taprunner  # noqa: E402
import unittest  # noqa: E402

PLAIN = 'msrp://127.0.0.1:0;tcp'
SECURE = 'msrps://127.0.0.1:0;tcp'
OFFER_ANSWER = '''v=0\r
o=bob 2890844527 2890844527 IN IP4 bob.example.com\r
s=-\r
c=IN IP4 bob.example.com\r
t=0 0\r
m=message 7394 TCP/MSRP *\r
a=accept-types:text/plain message/cpim\r
a=path:msrp://bob.example.com:7394/9di4ea;tcp\r
a=max-size:65536\r
'''


class LoopTest(unittest.TestCase):
    """Runs a GLib main loop until a result arrives, at most 60 s."""

    def setUp(self):
        self.loop = GLib.MainLoop()

    def wait(self, results, count=1):
        def timed_out():
            self.loop.quit()
            return GLib.SOURCE_REMOVE

        def check():
            if len(results) >= count:
                self.loop.quit()
            return GLib.SOURCE_CONTINUE

        timeout = GLib.timeout_add_seconds(60, timed_out)
        check = GLib.timeout_add(10, check)
        self.loop.run()
        GLib.source_remove(check)
        if len(results) < count:
            raise AssertionError('timed out waiting for %d results' % count)
        GLib.source_remove(timeout)
        return results

    def call(self, start, finish):
        """Calls an async pair; returns the value or the GLib.Error."""
        results = []

        def done(source, result):
            try:
                results.append(finish(source, result))
            except GLib.Error as error:
                results.append(error)

        start(done)
        return self.wait(results)[0]

    def pair(self, local=PLAIN):
        """Two connected sessions through a connector and an acceptor."""
        active, passive = Msrp.get_connector(None), Msrp.get_acceptor(None)
        paths = [self.call(lambda cb, c=c: c.prepare_async(Msrp.Uri.parse(local), None, cb),
                           Msrp.Connector.prepare_finish) for c in (active, passive)]
        return active, passive, paths

    def connect(self, active, passive, paths):
        sessions = []

        def done(connector, result):
            try:
                sessions.append((connector, connector.complete_finish(result)))
            except GLib.Error as error:
                sessions.append((connector, error))

        active.complete_async(paths[1], None, done)
        passive.complete_async(paths[0], None, done)
        return dict(self.wait(sessions, 2))


class SdpTest(unittest.TestCase):
    def test_offer_and_answer(self):
        offer = Msrp.SdpMedia.new()
        offer.set_path(Msrp.path_parse('msrp://alice.example.com:7777/iau39;tcp'))
        offer.set_accept_types(['text/plain', 'message/cpim'])
        offer.set_setup(Msrp.SdpSetup.ACTPASS)
        text = offer.to_string()
        self.assertIn('a=path:msrp://alice.example.com:7777/iau39;tcp', text)
        self.assertIn('a=accept-types:text/plain message/cpim', text)
        self.assertIn('a=setup:actpass', text)
        self.assertTrue(offer.equal(Msrp.SdpMedia.parse(text)))

        answer = Msrp.SdpMedia.parse(OFFER_ANSWER)
        self.assertEqual(Msrp.path_to_string(answer.get_path()),
                         'msrp://bob.example.com:7394/9di4ea;tcp')
        self.assertEqual(list(answer.get_accept_types()), ['text/plain', 'message/cpim'])
        self.assertEqual(answer.get_max_size(), 65536)

    def test_path_string(self):
        media = Msrp.SdpMedia.new()
        self.assertTrue(media.set_path_string('msrp://a.example:1/x;tcp'))
        self.assertEqual(media.get_path()[0].get_session_id(), 'x')
        with self.assertRaises(GLib.Error) as caught:
            media.set_path_string('http://a.example/')
        self.assertTrue(caught.exception.matches(Msrp.error_quark(), Msrp.Error.INVALID_URI))

    def test_bad_sdp(self):
        with self.assertRaises(GLib.Error) as caught:
            Msrp.SdpMedia.parse('v=0\r\nm=message x TCP/MSRP *\r\n')
        self.assertEqual(caught.exception.domain, 'msrp-error-quark')
        self.assertEqual(caught.exception.code, Msrp.Error.INVALID_SDP)


class ChatTest(LoopTest):
    def test_chat_both_ways(self):
        sessions = self.connect(*self.pair())
        active, passive = [s for c, s in sorted(sessions.items(),
                                                key=lambda i: not i[0].is_active())]
        got = []
        for session in (active, passive):
            session.connect('message-received',
                            lambda s, m: got.append((s, m.get_bytes().get_data())))
        for text in ('one', 'two'):
            self.assertTrue(self.call(lambda cb, t=text: active.send_text_async(t, None, cb),
                                      Msrp.Session.send_finish))
        self.assertTrue(self.call(lambda cb: passive.send_text_async('three', None, cb),
                                  Msrp.Session.send_finish))
        self.wait(got, 3)
        self.assertEqual([(s is passive, body) for s, body in got],
                         [(True, b'one'), (True, b'two'), (False, b'three')])
        self.call(lambda cb: active.close_async(None, cb), Msrp.Session.close_finish)
        self.wait_closed(passive)

    def test_send_bytes(self):
        sessions = self.connect(*self.pair())
        active, passive = [s for c, s in sorted(sessions.items(),
                                                key=lambda i: not i[0].is_active())]
        got = []
        passive.connect('message-received',
                        lambda s, m: got.append((m.get_content_type(), m.get_bytes().get_data())))
        # Fire and forget: no callback.
        active.send_bytes_async('application/x-test', GLib.Bytes.new(b'fire'), None, None)
        self.assertTrue(self.call(
            lambda cb: active.send_bytes_async('text/plain', GLib.Bytes.new(b'two'), None, cb),
            Msrp.Session.send_finish))
        self.wait(got, 2)
        self.assertEqual(got, [('application/x-test', b'fire'), ('text/plain', b'two')])

    def wait_closed(self, session):
        closed = []
        if session.is_closed():
            return
        session.connect('closed', lambda s, error: closed.append(error))
        self.wait(closed)

    def test_big_message_with_success_report(self):
        by_role = {c.is_active(): s for c, s in self.connect(*self.pair()).items()}
        sender, receiver = by_role[True], by_role[False]
        body = bytes(range(256)) * (5 * 1024 * 1024 // 256)
        received = []
        receiver.connect('message-received', lambda s, m: received.append(m))
        message = Msrp.OutgoingMessage.new_bytes('application/octet-stream',
                                                 GLib.Bytes.new(body))
        message.set_success_report(True)
        self.assertTrue(self.call(lambda cb: sender.send_async(message, None, cb),
                                  Msrp.Session.send_finish))
        self.assertEqual(message.get_progress(), 1.0)
        self.wait(received)
        self.assertEqual(received[0].get_size(), len(body))
        self.assertEqual(received[0].get_bytes().get_data(), body)

    def test_refused_content_type(self):
        by_role = {c.is_active(): s for c, s in self.connect(*self.pair()).items()}
        by_role[False].set_accept_types(['text/plain'])
        message = Msrp.OutgoingMessage.new_bytes('image/png', GLib.Bytes.new(b'\x89PNG'))
        error = self.call(lambda cb: by_role[True].send_async(message, None, cb),
                          Msrp.Session.send_finish)
        self.assertIsInstance(error, GLib.Error)
        self.assertTrue(error.matches(Msrp.error_quark(), Msrp.Error.UNSUPPORTED_MEDIA_TYPE))
        self.assertEqual(int(Msrp.Error.UNSUPPORTED_MEDIA_TYPE), 415)

    def test_invalid_uri(self):
        with self.assertRaises(GLib.Error) as caught:
            Msrp.Uri.parse('msrp://')
        self.assertTrue(caught.exception.matches(Msrp.error_quark(), Msrp.Error.INVALID_URI))
        error = self.call(lambda cb: Msrp.get_connector(None).complete_string_async(
            'not a path', None, cb), Msrp.Connector.complete_string_finish)
        self.assertTrue(error.matches(Msrp.error_quark(), Msrp.Error.INVALID_URI))


class TlsTest(LoopTest):
    def test_right_fingerprint(self):
        active, passive, paths = self.pair(SECURE)
        self.assertTrue(paths[0][0].is_secure())
        active.set_remote_fingerprint(passive.get_fingerprint())
        passive.set_remote_fingerprint(active.get_fingerprint())
        sessions = self.connect(active, passive, paths)
        self.assertTrue(all(isinstance(s, Msrp.Session) for s in sessions.values()))
        got = []
        sessions[passive].connect('message-received',
                                  lambda s, m: got.append(m.get_bytes().get_data()))
        self.assertTrue(self.call(lambda cb: sessions[active].send_text_async('secret', None, cb),
                                  Msrp.Session.send_finish))
        self.assertEqual(self.wait(got), [b'secret'])

    def test_wrong_fingerprint(self):
        active, passive, paths = self.pair(SECURE)
        other = Msrp.TlsCredentials.new_self_signed('127.0.0.1')
        active.set_remote_fingerprint(other.get_fingerprint())
        # The acceptor waits for a connection it accepts; this one never comes.
        cancellable = Gio.Cancellable()
        passive_results = []
        passive.complete_async(paths[0], cancellable,
                               lambda c, r: passive_results.append(r))
        error = self.call(lambda cb: active.complete_async(paths[1], None, cb),
                          Msrp.Connector.complete_finish)
        self.assertIsInstance(error, GLib.Error)
        self.assertTrue(error.matches(Msrp.error_quark(), Msrp.Error.TLS))
        cancellable.cancel()
        with self.assertRaises(GLib.Error) as caught:
            passive.complete_finish(self.wait(passive_results)[0])
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED))


if __name__ == '__main__':
    taprunner.main()
