#!/usr/bin/python3
"""A two-terminal MSRP chat with Msrp-1.0 through gi.

Terminal 1:  python-chat.py answer            (prints "path: msrp://...")
Terminal 2:  python-chat.py connect 'msrp://...'
Type lines in either terminal; end with Ctrl-D.
"""
import sys

import gi
gi.require_version('Msrp', '1.0')
from gi.repository import GLib, Msrp  # noqa: E402

LOCAL = Msrp.Uri.parse('msrp://127.0.0.1:0;tcp')
loop = GLib.MainLoop()


def chat(session):
    """Prints what arrives, sends each line of stdin, stops at end of input."""
    session.connect('message-received', lambda s, message: print(
        'peer:', message.get_bytes().get_data().decode(), flush=True))
    session.connect('closed', lambda s, error: loop.quit())

    def on_stdin(channel, condition):
        line = sys.stdin.readline()
        if not line:
            session.close_async(None, lambda s, result: loop.quit())
            return GLib.SOURCE_REMOVE
        session.send_text_async(line.rstrip('\n'), None,
                                lambda s, result: s.send_finish(result))
        return GLib.SOURCE_CONTINUE

    GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin)


def answer():
    """Listens; the first peer that connects to our path gets the session."""
    server = Msrp.Server.new(LOCAL, None)
    session = server.add_session(None, None)
    print('path:', Msrp.path_to_string(session.get_local_path()), flush=True)
    chat(session)
    loop.run()


def connect(remote_path):
    """Connects to the path the answering side printed."""
    connector = Msrp.get_connector(None)

    def on_complete(c, result):
        chat(c.complete_finish(result))
        print('connected', flush=True)

    def on_prepare(c, result):
        c.prepare_finish(result)
        c.complete_async(Msrp.path_parse(remote_path), None, on_complete)

    connector.prepare_async(LOCAL, None, on_prepare)
    loop.run()


if __name__ == '__main__':
    if sys.argv[1:2] == ['answer']:
        answer()
    elif sys.argv[1:2] == ['connect'] and len(sys.argv) == 3:
        connect(sys.argv[2])
    else:
        sys.exit(__doc__)
