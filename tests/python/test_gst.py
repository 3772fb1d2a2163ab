"""msrpsrc and msrpsink from Python (Gst through gi), over loopback: pipelines
`appsrc ! msrpsink` and `msrpsrc ! appsink` with standalone properties, the
GstMsrpMessageMeta and the SDP bridge through the GstMsrp-1.0 typelib, and
tests/examples/python-gst-chat.py as two processes."""
import os
import subprocess
import sys
import unittest

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstApp', '1.0')
gi.require_version('GstSdp', '1.0')
gi.require_version('GstMsrp', '1.0')
gi.require_version('Msrp', '1.0')
from gi.repository import Gst, GstApp, GstMsrp, GstSdp, Msrp  # noqa: E402,F401

import taprunner  # noqa: E402
import test_python_chat  # noqa: E402
from test_python_chat import read_until  # noqa: E402

SECONDS = 30
CHAT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    '..', 'examples', 'python-gst-chat.py')


class PipelineTest(unittest.TestCase):
    def launch(self, description):
        pipeline = Gst.parse_launch(description)
        self.addCleanup(pipeline.set_state, Gst.State.NULL)
        self.assertNotEqual(pipeline.set_state(Gst.State.PLAYING), Gst.StateChangeReturn.FAILURE)
        return pipeline

    def receiver(self, properties=''):
        """A listening msrpsrc; returns the pipeline and its local path."""
        pipeline = self.launch('msrpsrc name=src local-path="msrp://127.0.0.1:0/bob;tcp" %s '
                               '! appsink name=out sync=false' % properties)
        path = pipeline.get_by_name('src').get_property('local-path')
        self.assertTrue(path.startswith('msrp://127.0.0.1:'))
        self.assertTrue(path.endswith('/bob;tcp'))
        return pipeline, path

    def sender(self, caps, path):
        return self.launch('appsrc name=in format=time caps="%s" ! msrpsink remote-path="%s"'
                           % (caps, path))

    def pull(self, pipeline):
        sample = pipeline.get_by_name('out').try_pull_sample(SECONDS * Gst.SECOND)
        self.assertIsNotNone(sample)
        return sample

    def push(self, pipeline, data):
        self.assertEqual(pipeline.get_by_name('in').push_buffer(Gst.Buffer.new_wrapped(data)),
                         Gst.FlowReturn.OK)

    def test_text_with_meta(self):
        bob, path = self.receiver()
        alice = self.sender('text/x-raw,format=utf8', path)
        for text in ('hello from Python', 'grüße'):
            self.push(alice, text.encode())
        ids = set()
        for text in ('hello from Python', 'grüße'):
            sample = self.pull(bob)
            buffer = sample.get_buffer()
            self.assertEqual(buffer.extract_dup(0, buffer.get_size()).decode(), text)
            self.assertEqual(sample.get_caps().to_string(), 'text/x-raw, format=(string)utf8')
            self.assertEqual(buffer.duration, 4 * Gst.SECOND)
            meta = GstMsrp.buffer_get_msrp_message_meta(buffer)
            self.assertIsNotNone(meta)
            self.assertTrue(meta.content_type.startswith('text/plain'))
            self.assertTrue(meta.from_path.startswith('msrp://'))
            self.assertEqual(meta.size, len(text.encode()))
            ids.add(meta.message_id)
        self.assertEqual(len(ids), 2)

        # Alice's EOS closes the session; Bob's pipeline ends with EOS.
        alice.get_by_name('in').end_of_stream()
        for pipeline in (alice, bob):
            message = pipeline.get_bus().timed_pop_filtered(
                SECONDS * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
            self.assertIsNotNone(message)
            self.assertEqual(message.type, Gst.MessageType.EOS)

    def test_binary(self):
        bob, path = self.receiver('accept-types="image/png"')
        alice = self.sender('image/png', path)
        data = bytes(range(256)) * 4096
        self.push(alice, data)
        sample = self.pull(bob)
        buffer = sample.get_buffer()
        self.assertEqual(buffer.extract_dup(0, buffer.get_size()), data)
        self.assertEqual(sample.get_caps().to_string(), 'image/png')
        meta = GstMsrp.buffer_get_msrp_message_meta(buffer)
        self.assertEqual(meta.content_type, 'image/png')
        self.assertEqual(meta.size, len(data))

    def test_buffer_without_meta(self):
        self.assertIsNone(GstMsrp.buffer_get_msrp_message_meta(Gst.Buffer.new()))

    def test_bad_remote_path(self):
        pipeline = Gst.parse_launch('msrpsrc remote-path="not a path" ! fakesink')
        self.addCleanup(pipeline.set_state, Gst.State.NULL)
        self.assertEqual(pipeline.set_state(Gst.State.PLAYING), Gst.StateChangeReturn.FAILURE)
        message = pipeline.get_bus().timed_pop_filtered(SECONDS * Gst.SECOND,
                                                        Gst.MessageType.ERROR)
        error, debug = message.parse_error()
        self.assertTrue(error.matches(Gst.ResourceError.quark(), Gst.ResourceError.SETTINGS))
        self.assertIn('Invalid remote-path', error.message)


class SdpBridgeTest(unittest.TestCase):
    def test_round_trip(self):
        media = Msrp.SdpMedia.new()
        media.set_path(Msrp.path_parse('msrp://alice.example.com:7777/iau39;tcp'))
        media.set_accept_types(['text/plain', 'message/cpim'])
        media.set_setup(Msrp.SdpSetup.ACTPASS)
        result, gst_media = GstSdp.SDPMedia.new()
        self.assertEqual(result, GstSdp.SDPResult.OK)
        GstMsrp.sdp_media_to_gst(media, gst_media)
        self.assertEqual(gst_media.get_media(), 'message')
        self.assertEqual(gst_media.get_attribute_val('path'),
                         'msrp://alice.example.com:7777/iau39;tcp')
        back = GstMsrp.sdp_media_from_gst(gst_media)
        self.assertTrue(back.equal(media))

    def test_not_msrp(self):
        result, gst_media = GstSdp.SDPMedia.new()
        gst_media.set_media('audio')
        with self.assertRaises(gi.repository.GLib.Error) as caught:
            GstMsrp.sdp_media_from_gst(gst_media)
        self.assertEqual(caught.exception.code, Msrp.Error.INVALID_SDP)


class GstChatExampleTest(unittest.TestCase):
    """tests/examples/python-gst-chat.py in two processes, as two terminals."""

    def start(self, *args):
        return test_python_chat.start(self, CHAT, *args)

    def test_two_terminals(self):
        answer = self.start('answer')
        path = read_until(answer, 'path: ')[len('path: '):]
        connect = self.start('connect', path)
        read_until(connect, 'connected')

        connect.stdin.write('hello through the pipelines\n')
        connect.stdin.flush()
        line = read_until(answer, 'peer:')
        self.assertTrue(line.startswith('peer: hello through the pipelines (from msrp://'), line)
        answer.stdin.write('hi back\n')
        answer.stdin.flush()
        self.assertEqual(read_until(connect, 'peer:'), 'peer: hi back (from %s)' % path)

        # Ctrl-D on one end: its sink closes the session, both end.
        connect.stdin.close()
        self.assertEqual(connect.wait(SECONDS), 0)
        self.assertEqual(answer.wait(SECONDS), 0)

    def test_usage(self):
        result = subprocess.run([sys.executable, CHAT], capture_output=True, text=True,
                                timeout=SECONDS)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('Terminal 1', result.stderr)


if __name__ == '__main__':
    Gst.init(None)
    taprunner.main()
