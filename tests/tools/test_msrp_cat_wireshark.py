"""Wireshark's MSRP dissector reads msrp-cat traffic: every frame decoded,
none malformed.

Needs tshark and the right to capture on lo (root, as CI runs); skipped only
when tshark is not installed. tshark 4.0 (Debian 12) decodes only the first
MSRP frame of a TCP segment (interop-quirks row 41), so the chat is paced:
each line goes out once the previous one has arrived, and the frames in the
capture are counted here from the TCP payloads and compared with what
tshark decoded. No body puts a `;` right after the headers (row 42).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import taprunner
from msrpcat import MSRP_CAT, TIMEOUT, MsrpCatTestCase, wait_for

LINES = [b'hello from msrp-cat', b'a second line, with a comma', b'third and last: bye']
START_LINE = re.compile(rb'MSRP ([A-Za-z0-9][A-Za-z0-9.+%=-]{3,31}) ([A-Z]+|\d{3})[^\r\n]*\r\n')


def tshark(*args):
    result = subprocess.run(['tshark'] + list(args), capture_output=True, timeout=TIMEOUT)
    if result.returncode != 0:
        raise AssertionError('tshark %s failed: %s' % (' '.join(args), result.stderr.decode()))
    return result.stdout.decode()


def frames_in(stream):
    """The transaction ids of the MSRP frames in one direction of a TCP
    connection, found by their start and end lines."""
    tids = []
    at = 0
    while True:
        match = START_LINE.search(stream, at)
        if match is None:
            return tids
        tid = match.group(1)
        end = re.compile(rb'-------' + re.escape(tid) + rb'[$+#]\r\n')
        end_match = end.search(stream, match.end())
        if end_match is None:
            return tids
        tids.append(tid.decode())
        at = end_match.end()


class Wireshark(MsrpCatTestCase):
    def capture(self, port, path):
        """Starts tshark on the port; returns once it captures."""
        self.capture_log = os.path.join(self.dir, 'tshark-log')
        with open(self.capture_log, 'wb') as log:
            process = subprocess.Popen(['tshark', '-l', '-P', '-i', 'lo', '-f', 'tcp port %d' % port,
                                        '-w', path], stdout=log, stderr=subprocess.STDOUT)
        self.sync_capture(process, port)
        return process

    def sync_capture(self, process, port):
        """Opens connections to the port until tshark shows one: everything
        before it is in the capture then. ("Capturing on" comes before
        tshark really does.)"""
        def syns():
            with open(self.capture_log) as f:
                return len(re.findall(r'\[SYN\]', f.read()))

        def probe_seen(before=syns()):
            if process.poll() is not None:
                with open(self.capture_log) as f:
                    raise AssertionError('tshark could not capture: ' + f.read())
            try:
                # Connected or refused: either way a SYN goes out.
                socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT).close()
            except ConnectionRefusedError:
                pass
            time.sleep(0.05)
            return syns() > before

        wait_for(probe_seen, 'tshark to capture')

    def test_every_frame_decoded(self):
        if shutil.which('tshark') is None:
            self.skipTest('tshark is not installed (Debian: apt-get install tshark)')
        out = os.path.join(self.dir, 'out')
        os.mkdir(out)
        receiver = self.receiver('--output-dir', out)
        pcap = os.path.join(self.dir, 'msrp.pcapng')
        capture = self.capture(receiver.port, pcap)
        try:
            with open(os.path.join(self.dir, 'send-err'), 'wb') as err:
                sender = subprocess.Popen([MSRP_CAT, 'send', '--lines', '--to', receiver.path],
                                          stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=err)
            for n, line in enumerate(LINES, 1):
                sender.stdin.write(line + b'\n')
                sender.stdin.flush()
                # Its SEND and 200 are on the wire before the next line.
                wait_for(lambda: os.path.exists(os.path.join(out, str(n))), 'line %d' % n)
                time.sleep(0.1)
            sender.stdin.close()
            self.assertEqual(sender.wait(TIMEOUT), 0)
            self.assertReceived(receiver)
            self.sync_capture(capture, receiver.port)
        finally:
            capture.send_signal(signal.SIGINT)
            capture.wait(TIMEOUT)

        decode = ['-r', pcap, '-d', 'tcp.port==%d,msrp' % receiver.port]
        # The frames on the wire, per direction.
        streams = {}
        for row in tshark(*decode, '-Y', 'tcp.len > 0', '-T', 'fields',
                          '-e', 'tcp.srcport', '-e', 'tcp.payload').splitlines():
            srcport, payload = row.split('\t')
            streams[srcport] = streams.get(srcport, b'') + bytes.fromhex(payload.replace(':', ''))
        on_wire = sorted(tid for stream in streams.values() for tid in frames_in(stream))
        # Bind SEND, one SEND per line, and a 200 for each.
        self.assertEqual(len(on_wire), 2 * (len(LINES) + 1), on_wire)

        decoded = []
        for row in tshark(*decode, '-Y', 'msrp', '-T', 'fields',
                          '-e', 'msrp.request.line', '-e', 'msrp.response.line').splitlines():
            for line in row.split('\t'):
                decoded += [value.split(' ')[1] for value in line.split(',') if value]
        self.assertEqual(sorted(decoded), on_wire)

        malformed = tshark(*decode, '-Y', '_ws.malformed or msrp.status.code.invalid')
        self.assertEqual(malformed.strip(), '')


if __name__ == '__main__':
    taprunner.main()
