#!/usr/bin/python3
"""A two-terminal MSRP chat through GStreamer pipelines, from Python.

Terminal 1:  python-gst-chat.py answer            (prints "path: msrp://...")
Terminal 2:  python-gst-chat.py connect 'msrp://...'
Type lines in either terminal; end with Ctrl-D.

The session comes from Msrp-1.0 (as in python-chat.py); the text goes
through `appsrc ! msrpsink` one way and `msrpsrc ! appsink` the other, both
on that one session. The GstMsrp-1.0 typelib reads each buffer's meta.
"""
import sys

import gi
gi.require_version('Msrp', '1.0')
gi.require_version('Gst', '1.0')
gi.require_version('GstMsrp', '1.0')
from gi.repository import GLib, Gst, GstMsrp, Msrp  # noqa: E402

LOCAL = Msrp.Uri.parse('msrp://127.0.0.1:0;tcp')
loop = GLib.MainLoop()


def on_sample(appsink):
    """Prints a message msrpsrc pushed, with the sender's From-Path."""
    buffer = appsink.emit('pull-sample').get_buffer()
    meta = GstMsrp.buffer_get_msrp_message_meta(buffer)
    text = buffer.extract_dup(0, buffer.get_size()).decode()
    print('peer:', text, '(from %s)' % meta.from_path, flush=True)
    return Gst.FlowReturn.OK


def chat(session):
    """Runs the two pipelines on session until stdin ends or the peer leaves."""
    pipeline = Gst.parse_launch(
        'appsrc name=typed format=time caps=text/x-raw,format=utf8 ! msrpsink name=out '
        'msrpsrc name=in ! appsink name=shown emit-signals=true sync=false')
    pipeline.get_by_name('out').set_property('session', session)
    pipeline.get_by_name('in').set_property('session', session)
    pipeline.get_by_name('shown').connect('new-sample', on_sample)
    typed = pipeline.get_by_name('typed')
    # The sink closes the session at the end of our input; either end's
    # close ends the source with EOS.
    session.connect('closed', lambda s, error: loop.quit())
    pipeline.set_state(Gst.State.PLAYING)

    def on_stdin(channel, condition):
        line = sys.stdin.readline()
        if not line:
            typed.emit('end-of-stream')
            return GLib.SOURCE_REMOVE
        typed.emit('push-buffer', Gst.Buffer.new_wrapped(line.rstrip('\n').encode()))
        return GLib.SOURCE_CONTINUE

    GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin)
    return pipeline


def answer():
    """Listens; the first peer that connects to our path gets the session."""
    server = Msrp.Server.new(LOCAL, None)
    session = server.add_session(None, None)
    print('path:', Msrp.path_to_string(session.get_local_path()), flush=True)
    pipeline = chat(session)
    loop.run()
    pipeline.set_state(Gst.State.NULL)


def connect(remote_path):
    """Connects to the path the answering side printed."""
    connector = Msrp.get_connector(None)
    pipelines = []

    def on_complete(c, result):
        pipelines.append(chat(c.complete_finish(result)))
        print('connected', flush=True)

    def on_prepare(c, result):
        c.prepare_finish(result)
        c.complete_async(Msrp.path_parse(remote_path), None, on_complete)

    connector.prepare_async(LOCAL, None, on_prepare)
    loop.run()
    for pipeline in pipelines:
        pipeline.set_state(Gst.State.NULL)


if __name__ == '__main__':
    Gst.init(None)
    if sys.argv[1:2] == ['answer']:
        answer()
    elif sys.argv[1:2] == ['connect'] and len(sys.argv) == 3:
        connect(sys.argv[2])
    else:
        sys.exit(__doc__)
