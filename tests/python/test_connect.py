"""Msrp-1.0 through gi: connectors and the server on loopback."""
import gi

gi.require_version('Gio', '2.0')
gi.require_version('Msrp', '1.0')
from gi.repository import GLib, Msrp  # noqa: E402

import taprunner  # noqa: E402
import unittest  # noqa: E402

LOCAL = 'msrp://127.0.0.1:0;tcp'


def run_until(loop_context, predicate, seconds=30):
    """Iterates the default main context until predicate() holds."""
    deadline = GLib.get_monotonic_time() + seconds * 1000000
    while not predicate():
        if GLib.get_monotonic_time() > deadline:
            raise AssertionError('timed out')
        loop_context.iteration(True)


class ConnectorTest(unittest.TestCase):
    def setUp(self):
        self.context = GLib.MainContext.default()
        # Bounds every blocking iteration: the loop wakes at least this often.
        self.tick = GLib.timeout_add(100, lambda: True)

    def tearDown(self):
        GLib.source_remove(self.tick)

    def prepare(self, connector):
        results = []
        connector.prepare_async(Msrp.Uri.parse(LOCAL), None,
                                lambda c, r: results.append(c.prepare_finish(r)))
        run_until(self.context, lambda: results)
        return results[0]

    def test_connect_and_chat(self):
        active = Msrp.get_connector(None)
        passive = Msrp.get_acceptor(None)
        self.assertTrue(active.is_active())
        self.assertFalse(passive.is_active())
        active_path = self.prepare(active)
        passive_path = self.prepare(passive)
        self.assertIsInstance(active_path[0], Msrp.Uri)
        self.assertGreater(passive_path[0].get_port(), 0)

        sessions = {}
        active.complete_async(passive_path, None,
                              lambda c, r: sessions.update(a=c.complete_finish(r)))
        passive.complete_async(active_path, None,
                               lambda c, r: sessions.update(p=c.complete_finish(r)))
        run_until(self.context, lambda: len(sessions) == 2)

        received = []
        sessions['p'].connect('message-received',
                              lambda s, m: received.append(m.get_bytes().get_data()))
        sessions['a'].send_text_async('hello', None, lambda s, r: s.send_finish(r))
        run_until(self.context, lambda: received)
        self.assertEqual(received[0], b'hello')
        for session in sessions.values():
            session.close_async(None, None)

    def test_relay_classes(self):
        relay = Msrp.RelaySettings.new(Msrp.Uri.parse('msrps://relay.example.net;tcp'),
                                       'alice', 'secret')
        connector = Msrp.get_connector(relay)
        acceptor = Msrp.get_acceptor(relay)
        self.assertIsInstance(connector, Msrp.RelayConnector)
        self.assertIsInstance(acceptor, Msrp.RelayAcceptor)
        self.assertTrue(connector.is_active())
        self.assertFalse(acceptor.is_active())
        # the relay client takes the settings themselves, and reads the
        # digest method from them at each AUTH
        client = connector.get_client()
        self.assertIs(client.get_settings(), relay)
        self.assertIs(client.props.settings, relay)
        relay.props.digest_method = 'MSRP'
        self.assertEqual(client.get_settings().get_digest_method(), 'MSRP')
        self.assertEqual([uri.to_string() for uri in client.get_relays()],
                         ['msrps://relay.example.net;tcp'])
        standalone = Msrp.RelayClient.new(relay)
        self.assertIs(standalone.get_settings(), relay)

    def test_server_session(self):
        server = Msrp.Server.new(Msrp.Uri.parse(LOCAL), None)
        session = server.add_session(None, None)
        self.assertIsNone(session.get_transport())
        local = session.get_local_path()
        self.assertEqual(local[0].get_port(), server.get_local_uri().get_port())
        self.assertEqual(server.get_n_sessions(), 1)
        server.remove_session(session)
        self.assertTrue(session.is_closed())
        self.assertEqual(server.get_n_sessions(), 0)


if __name__ == '__main__':
    taprunner.main()
