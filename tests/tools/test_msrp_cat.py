"""msrp-cat end to end: recv and send as processes on 127.0.0.1 and ::1."""
import os
import pty
import re
import select
import signal
import socket
import subprocess
import time
import unittest

import taprunner
from msrpcat import (MSRP_CAT, TEST_CERT, TEST_KEY, TIMEOUT, MsrpCatTestCase, fingerprint_of,
                     free_port, random_bytes, raw_request, send, sha256)


def traced_frames(trace, prefix):
    """The frames of a -v trace going one way ('>' sent, '<' received),
    in order, each as the list of its lines."""
    frames, lines = [], []
    for line in trace.splitlines():
        if line == prefix:
            frames.append(lines)
            lines = []
        elif line.startswith(prefix + ' '):
            lines.append(line[len(prefix) + 1:])
    return frames


class CommandLine(MsrpCatTestCase):
    def run_cat(self, *args):
        return subprocess.run([MSRP_CAT] + list(args), capture_output=True, timeout=TIMEOUT)

    def test_version(self):
        result = self.run_cat('--version')
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.decode(), r'^msrp-cat \(gst-msrp\) \d+\.\d+\.\d+\n$')

    def test_help(self):
        result = self.run_cat('--help')
        self.assertEqual(result.returncode, 0)
        for word in ('recv', 'send', 'Exit status'):
            self.assertIn(word, result.stdout.decode())
        recv = self.run_cat('recv', '--help').stdout.decode()
        self.assertIn('msrp-cat recv [OPTION', recv)
        for option in ('--path-file', '--output-dir', '--count', '--tls', '--remote-path', '--relay'):
            self.assertIn(option, recv)
        send_help = self.run_cat('send', '--help').stdout.decode()
        self.assertIn('msrp-cat send [OPTION', send_help)
        for option in ('--to', '--lines', '--chunk-size', '--success-report', '--fingerprint'):
            self.assertIn(option, send_help)

    def test_usage_errors(self):
        for args in ([], ['frobnicate'], ['send'], ['send', '--to', 'not a uri'],
                     ['recv', '--no-such-option'], ['recv', 'extra'],
                     ['send', '--to', 'msrp://h:1/s;tcp', '--lines', 'file']):
            result = self.run_cat(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertEqual(result.stdout, b'', args)
            self.assertNotEqual(result.stderr, b'', args)

    def test_relay_options(self):
        """--relay needs its credentials (msrp-cat through a real relay:
        tests/interop/test-msrp-cat-relay.c)."""
        for args in (['recv', '--relay', 'msrps://relay.example.com;tcp'],
                     ['send', '--to', 'msrp://127.0.0.1:9/s;tcp', '--relay-user', 'u'],
                     ['recv', '--relay', 'not a uri', '--relay-user', 'u', '--relay-password', 'p']):
            result = self.run_cat(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn('--relay', result.stderr.decode(), args)

    def test_relay_unreachable(self):
        # Nothing listens on the discard port of loopback: both ends fail
        # at once, naming the relay they could not reach.
        relay = ['--relay', 'msrp://127.0.0.1:9;tcp', '--relay-user', 'u',
                 '--relay-password', 'p']
        for args in (['recv'] + relay, ['send', '--to', 'msrp://127.0.0.1:9/s;tcp'] + relay):
            result = self.run_cat(*args)
            self.assertEqual(result.returncode, 1)
            self.assertIn('could not connect to 127.0.0.1', result.stderr.decode().lower())


class Transfer(MsrpCatTestCase):
    def test_text(self):
        receiver = self.receiver()
        self.assertIn('listening on ' + receiver.path, receiver.stderr())
        self.assertSent(send('--to', receiver.path, data=b'hello\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'hello\n')

    def test_ipv6(self):
        receiver = self.receiver('--listen', 'msrp://[::1]:0;tcp')
        self.assertEqual(receiver.host, '::1')
        self.assertSent(send('--to', receiver.path, data=b'over IPv6\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'over IPv6\n')

    def test_lines(self):
        out = os.path.join(self.dir, 'out')
        os.mkdir(out)
        receiver = self.receiver('--output-dir', out)
        self.assertSent(send('--lines', '--to', receiver.path,
                             data=b'first line\n\nsecond line\r\nthird'))
        self.assertReceived(receiver)
        self.assertEqual(sorted(os.listdir(out)), ['1', '2', '3'])
        for name, text in (('1', b'first line'), ('2', b'second line'), ('3', b'third')):
            with open(os.path.join(out, name), 'rb') as f:
                self.assertEqual(f.read(), text)

    def test_files_in_order(self):
        bodies = [random_bytes(300000, 1), b'short one\n', random_bytes(70000, 2), b'x']
        files = [self.file('f%d' % i, body) for i, body in enumerate(bodies)]
        receiver = self.receiver()
        self.assertSent(send('--to', receiver.path, '--chunk-size', '10000', *files))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b''.join(bodies))

    def test_output_dir(self):
        out = os.path.join(self.dir, 'out')
        os.mkdir(out)
        bodies = [random_bytes(100000, 3), b'two\n', random_bytes(5000, 4)]
        files = [self.file('f%d' % i, body) for i, body in enumerate(bodies)]
        receiver = self.receiver('--output-dir', out)
        self.assertSent(send('--to', receiver.path, *files))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'')
        self.assertEqual(sorted(os.listdir(out)), ['1', '2', '3'])
        for i, body in enumerate(bodies):
            with open(os.path.join(out, str(i + 1)), 'rb') as f:
                self.assertEqual(f.read(), body)

    def test_20mib_file(self):
        body = random_bytes(20 * 1024 * 1024, 5)
        path = self.file('big', body)
        receiver = self.receiver()
        self.assertSent(send('--to', receiver.path, path))
        self.assertReceived(receiver)
        self.assertEqual(sha256(receiver.stdout()), sha256(body))

    def test_stdin_streamed(self):
        """A pipe of unknown size goes out as it comes, with Byte-Range total `*`."""
        body = random_bytes(3 * 1024 * 1024 + 17, 6)
        receiver = self.receiver()
        err_name = os.path.join(self.dir, 'send-err')
        with open(err_name, 'wb') as err:
            sender = subprocess.Popen([MSRP_CAT, 'send', '-v', '--to', receiver.path],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        # Written in pieces while msrp-cat reads and sends.
        for at in range(0, len(body), 100000):
            sender.stdin.write(body[at:at + 100000])
            sender.stdin.flush()
        sender.stdin.close()
        stdout = sender.stdout.read()
        sender.stdout.close()
        sender.wait(TIMEOUT)
        with open(err_name, 'rb') as err:
            stderr = err.read()
        self.assertEqual(sender.returncode, 0, stderr.decode(errors='replace'))
        self.assertEqual(stdout, b'')
        self.assertRegex(stderr.decode(), r'> Byte-Range: 1-2048/\*\n')
        self.assertRegex(stderr.decode(), r'> Byte-Range: \d+-%d/%d\n' % (len(body), len(body)))
        self.assertReceived(receiver)
        self.assertEqual(sha256(receiver.stdout()), sha256(body))

    def test_count(self):
        """recv exits 0 after --count messages while the sender is still connected."""
        receiver = self.receiver('--count', '2')
        sender = subprocess.Popen([MSRP_CAT, 'send', '--lines', '--to', receiver.path],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        sender.stdin.write(b'one\ntwo\n')
        sender.stdin.flush()
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'onetwo')
        # The sender learns that the session is gone (and may be gone itself).
        try:
            sender.stdin.write(b'three\n')
            sender.stdin.close()
        except BrokenPipeError:
            pass
        self.assertEqual(sender.wait(TIMEOUT), 1)
        self.assertIn('closed', sender.stderr.read().decode())
        sender.stderr.close()

    def test_count_not_reached(self):
        receiver = self.receiver('--count', '3')
        self.assertSent(send('--lines', '--to', receiver.path, data=b'one\ntwo\n'))
        self.assertEqual(receiver.wait(), 1)
        self.assertIn('after 2 of 3 messages', receiver.stderr())

    def test_success_report(self):
        receiver = self.receiver()
        result = send('-v', '--success-report', '--to', receiver.path, data=b'report me\n')
        self.assertSent(result)
        trace = result.stderr.decode()
        self.assertIn('> Success-Report: yes\n', trace)
        self.assertRegex(trace, r'< MSRP \S+ REPORT\n')
        self.assertIn('< Status: 000 200 OK\n', trace)
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'report me\n')

    def test_trace(self):
        """-v traces frames on stderr; stdout carries the bodies only."""
        receiver = self.receiver('-v')
        result = send('-v', '--to', receiver.path, data=b'body only\n')
        self.assertSent(result)
        self.assertEqual(result.stdout, b'')
        self.assertRegex(result.stderr.decode(), r'> MSRP \S+ SEND\n> To-Path: %s\n' %
                         re.escape(receiver.path))
        self.assertRegex(result.stderr.decode(), r'< MSRP \S+ 200 OK\n')
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'body only\n')
        self.assertRegex(receiver.stderr(), r'< MSRP \S+ SEND\n')
        self.assertRegex(receiver.stderr(), r'> MSRP \S+ 200 OK\n')
        self.assertNotIn('\r', receiver.stderr())
        # Connections are traced from their first frame: the binding SEND
        # (bodiless, Byte-Range 1-0/0) on both sides.
        sent = traced_frames(result.stderr.decode(), '>')
        self.assertRegex(sent[0][0], r'^MSRP \S+ SEND$')
        self.assertIn('Byte-Range: 1-0/0', sent[0])
        received = traced_frames(receiver.stderr(), '<')
        self.assertEqual(received[0][0], sent[0][0])


class Progress(MsrpCatTestCase):
    def send_on_terminal(self, *args):
        """Sends a message that takes at least a second (its stdin pauses
        half way) with stderr on a pseudo terminal; returns what appeared
        there."""
        receiver = self.receiver()
        master, slave = pty.openpty()
        sender = subprocess.Popen([MSRP_CAT, 'send', '--to', receiver.path] + list(args),
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        sender.stdin.write(random_bytes(100000, 9))
        sender.stdin.flush()
        time.sleep(1.0)
        sender.stdin.write(random_bytes(100000, 10))
        sender.stdin.close()
        self.assertEqual(sender.wait(TIMEOUT), 0)
        output = b''
        while select.select([master], [], [], 0)[0]:
            try:
                piece = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not piece:
                break
            output += piece
        os.close(master)
        self.assertReceived(receiver)
        return output.decode(errors='replace')

    def test_progress_on_terminal(self):
        output = self.send_on_terminal()
        self.assertIn('\rsending ', output)
        self.assertRegex(output, r'sending 200\.0\skB .* in \d+\.\d s')

    def test_quiet(self):
        self.assertEqual(self.send_on_terminal('-q'), '')

    def test_not_on_a_file(self):
        receiver = self.receiver()
        sender = subprocess.Popen([MSRP_CAT, 'send', '--to', receiver.path],
                                  stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        sender.stdin.write(b'slow ')
        sender.stdin.flush()
        time.sleep(1.0)
        sender.stdin.write(b'message\n')
        sender.stdin.close()
        self.assertEqual(sender.stderr.read(), b'')
        sender.stderr.close()
        self.assertEqual(sender.wait(TIMEOUT), 0)
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'slow message\n')


class Refusals(MsrpCatTestCase):
    def test_unreachable(self):
        for to in ('msrp://127.0.0.1:%d/nobody;tcp' % free_port(),
                   'msrp://[::1]:%d/nobody;tcp' % free_port()):
            result = send('--to', to, data=b'lost\n')
            self.assertEqual(result.returncode, 1)
            self.assertIn('cannot connect to ' + to, result.stderr.decode())

    def test_accept_types(self):
        receiver = self.receiver('--accept-types', 'text/plain, message/cpim')
        result = send('--to', receiver.path, '--content-type', 'image/png', data=b'\x89PNG')
        self.assertEqual(result.returncode, 1)
        self.assertIn('415', result.stderr.decode())
        receiver.wait()
        self.assertEqual(receiver.stdout(), b'')

    def test_max_size(self):
        receiver = self.receiver('--max-size', '10')
        result = send('--to', receiver.path, data=b'more than ten bytes\n')
        self.assertEqual(result.returncode, 1)
        self.assertIn('413', result.stderr.decode())

    def test_remote_path(self):
        port = free_port()
        allowed = 'msrp://127.0.0.1:%d/allowed;tcp' % port
        receiver = self.receiver('--remote-path', allowed)
        # Another From-Path binds nothing (481) and recv keeps waiting...
        result = send('--to', receiver.path, '--from', 'msrp://127.0.0.1:0/intruder;tcp',
                      data=b'no\n')
        self.assertEqual(result.returncode, 1)
        self.assertIn('481', result.stderr.decode())
        # ...for the peer it was told about.
        self.assertSent(send('--to', receiver.path, '--from', allowed, data=b'yes\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'yes\n')

    def test_bad_clients(self):
        """Garbage, a wrong session-id and a silent close do not end recv."""
        receiver = self.receiver()
        host, port = receiver.host, receiver.port
        raw_request(host, port, b'GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\xfe garbage\r\n')
        reply = raw_request(host, port, (
            'MSRP wrongsid1 SEND\r\nTo-Path: msrp://%s:%d/not-this-one;tcp\r\n'
            'From-Path: msrp://127.0.0.1:9/peer;tcp\r\nMessage-ID: m1\r\n'
            'Byte-Range: 1-0/0\r\n-------wrongsid1$\r\n' % (host, port)).encode())
        self.assertTrue(reply.startswith(b'MSRP wrongsid1 481 '), reply)
        raw_request(host, port, b'', read=False)
        self.assertIsNone(receiver.process.poll())
        self.assertSent(send('--to', receiver.path, data=b'still here\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'still here\n')

    def test_interrupted(self):
        receiver = self.receiver()
        receiver.process.send_signal(signal.SIGTERM)
        self.assertEqual(receiver.wait(), 1)
        self.assertIn('interrupted', receiver.stderr())

    def test_first_send_with_body(self):
        """A peer that binds the session with its first message, not with a
        bodiless SEND: the acceptor hands the session out before that
        request reaches it, so msrp-cat sees the message."""
        receiver = self.receiver()
        host, port = receiver.host, receiver.port
        reply = raw_request(host, port, (
            'MSRP firstsend SEND\r\nTo-Path: %s\r\n'
            'From-Path: msrp://127.0.0.1:9/peer;tcp\r\nMessage-ID: m1\r\n'
            'Byte-Range: 1-6/6\r\nContent-Type: text/plain\r\n\r\nfirst\n\r\n'
            '-------firstsend$\r\n' % receiver.path).encode())
        self.assertTrue(reply.startswith(b'MSRP firstsend 200 '), reply)
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'first\n')



def answer_sends(conn):
    """A minimal passive MSRP peer on the accepted socket @conn: answers
    every SEND 200 until the other end closes; returns the bodies of the
    SENDs that had one."""
    data, bodies = b'', []
    conn.settimeout(TIMEOUT)
    while True:
        match = re.match(rb'MSRP (\S+) SEND\r\n', data)
        end = data.find(b'-------%s' % match.group(1)) if match else -1
        if end < 0 or len(data) < end + len(match.group(1)) + 10:
            piece = conn.recv(65536)
            if not piece:
                return bodies
            data += piece
            continue
        tid = match.group(1)
        frame, data = data[:end], data[end + len(tid) + 10:]
        head, _, body = frame.partition(b'\r\n\r\n')
        fields = dict(line.split(b': ', 1) for line in head.split(b'\r\n')[1:] if b': ' in line)
        if body:
            bodies.append(body[:-2])
        conn.sendall(b'MSRP %s 200 OK\r\nTo-Path: %s\r\nFrom-Path: %s\r\n-------%s$\r\n' %
                     (tid, fields[b'From-Path'].strip(), fields[b'To-Path'].split()[-1], tid))


class Interop(MsrpCatTestCase):
    def test_from_advertised_port(self):
        """A SipLib-like passive peer takes a connection only from the port
        of the offerer's a=path: --from-advertised-port connects from it."""
        port = free_port()
        with socket.socket() as server:
            server.bind(('127.0.0.1', 0))
            server.listen(1)
            server.settimeout(TIMEOUT)
            sender = subprocess.Popen(
                [MSRP_CAT, 'send', '--from-advertised-port',
                 '--from', 'msrp://127.0.0.1:%d/me;tcp' % port,
                 '--to', 'msrp://127.0.0.1:%d/peer;tcp' % server.getsockname()[1]],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            sender.stdin.write(b'from the advertised port\n')
            sender.stdin.close()
            conn, address = server.accept()
            with conn:
                self.assertEqual(address[1], port)
                bodies = answer_sends(conn)
        status = sender.wait(TIMEOUT)
        stderr = sender.stderr.read().decode()
        sender.stderr.close()
        self.assertEqual(status, 0, stderr)
        self.assertEqual(bodies, [b'from the advertised port\n'])


class Tls(MsrpCatTestCase):
    def test_without_fingerprint(self):
        receiver = self.receiver('--tls')
        self.assertTrue(receiver.path.startswith('msrps://'))
        self.assertRegex(receiver.fingerprint, r'^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$')
        self.assertIn('fingerprint ' + receiver.fingerprint, receiver.stderr())
        self.assertSent(send('--to', receiver.path, data=b'secret\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'secret\n')

    def test_with_fingerprint(self):
        body = random_bytes(1024 * 1024, 7)
        receiver = self.receiver('--tls')
        self.assertSent(send('--to', receiver.path, '--fingerprint', receiver.fingerprint,
                             '--chunk-size', '65536', self.file('body', body)))
        self.assertReceived(receiver)
        self.assertEqual(sha256(receiver.stdout()), sha256(body))

    def bind_request(self, receiver, body=b''):
        """A SEND for the receiver's session, as a raw peer sends it."""
        head = ('MSRP rawpeer1 SEND\r\nTo-Path: %s\r\nFrom-Path: msrps://127.0.0.1:9/rawpeer;tcp\r\n'
                'Message-ID: m1\r\nByte-Range: 1-%d/%d\r\n' % (receiver.path, len(body), len(body)))
        if body:
            head += 'Content-Type: text/plain\r\n\r\n'
            return head.encode() + body + b'\r\n-------rawpeer1$\r\n'
        return head.encode() + b'-------rawpeer1$\r\n'

    def test_client_without_certificate(self):
        """Without --fingerprint, a client that presents no certificate is
        accepted."""
        receiver = self.receiver('--tls')
        reply = raw_request(receiver.host, receiver.port, self.bind_request(receiver), tls=True)
        self.assertTrue(reply.startswith(b'MSRP rawpeer1 200 '), reply)
        receiver.wait()
        self.assertEqual(receiver.process.returncode, 0, receiver.stderr())

    def test_own_certificate(self):
        receiver = self.receiver('--tls', '--cert', TEST_CERT, '--key', TEST_KEY)
        self.assertEqual(receiver.fingerprint, fingerprint_of(TEST_CERT))
        self.assertSent(send('--to', receiver.path, '--fingerprint', receiver.fingerprint,
                             data=b'known certificate\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'known certificate\n')

    def test_client_fingerprint(self):
        """With --fingerprint only that client certificate binds the session:
        none, or another one, are refused and recv goes on waiting."""
        receiver = self.receiver('--tls', '--fingerprint', fingerprint_of(TEST_CERT))
        request = self.bind_request(receiver, b'hello\n')
        self.assertEqual(raw_request(receiver.host, receiver.port, request, tls=True), b'')
        result = send('--to', receiver.path, data=b'not me\n')
        self.assertEqual(result.returncode, 1)
        self.assertIsNone(receiver.process.poll())
        reply = raw_request(receiver.host, receiver.port, request, tls=True, cert=TEST_CERT)
        self.assertTrue(reply.startswith(b'MSRP rawpeer1 200 '), reply)

    def test_wrong_fingerprint(self):
        receiver = self.receiver('--tls', '--listen', 'msrps://[::1]:0;tcp')
        wrong = 'sha-256 ' + ':'.join(['AB'] * 32)
        result = send('--to', receiver.path, '--fingerprint', wrong, data=b'to an impostor?\n')
        self.assertEqual(result.returncode, 1)
        self.assertIn('fingerprint', result.stderr.decode())
        self.assertIn(wrong, result.stderr.decode())
        # The refused handshake did not end the receiver.
        self.assertIsNone(receiver.process.poll())
        self.assertSent(send('--to', receiver.path, '--fingerprint', receiver.fingerprint,
                             data=b'right one\n'))
        self.assertReceived(receiver)
        self.assertEqual(receiver.stdout(), b'right one\n')


if __name__ == '__main__':
    taprunner.main()
