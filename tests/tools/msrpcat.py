"""Running msrp-cat in tests: a receiver in the background, senders, raw peers.

The msrp-cat binary is the MSRP_CAT environment variable (meson sets it).
Every wait is bounded; nothing is timed.
"""
import hashlib
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

MSRP_CAT = os.environ.get('MSRP_CAT', 'msrp-cat')
# Long enough for valgrind-free runs on a loaded machine; a hang fails, it
# does not block the suite.
TIMEOUT = 60


def random_bytes(size, seed):
    return random.Random(seed).randbytes(size)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def wait_for(predicate, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting for ' + what)
        time.sleep(0.02)


class Receiver:
    """msrp-cat recv in the background, with its path read from --path-file."""

    def __init__(self, workdir, *args, stdout_file=None):
        self.path_file = os.path.join(workdir, 'path-%d' % id(self))
        self.stdout_name = stdout_file or os.path.join(workdir, 'recv-out-%d' % id(self))
        self.stderr_name = os.path.join(workdir, 'recv-err-%d' % id(self))
        with open(self.stdout_name, 'wb') as out, open(self.stderr_name, 'wb') as err:
            self.process = subprocess.Popen([MSRP_CAT, 'recv', '--path-file', self.path_file] +
                                            list(args), stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=err)
        wait_for(lambda: os.path.exists(self.path_file) or self.process.poll() is not None,
                 'the path file')
        if self.process.poll() is not None:
            raise AssertionError('msrp-cat recv exited %d: %s' %
                                 (self.process.returncode, self.stderr()))
        with open(self.path_file) as f:
            lines = f.read().split('\n')
        self.path = lines[0]
        self.fingerprint = lines[1] if len(lines) > 2 else None
        match = re.match(r'msrps?://(\[[^\]]+\]|[^:/]+):(\d+)/([^;]+);tcp$', self.path)
        assert match, 'unexpected local path ' + self.path
        self.host = match.group(1).strip('[]')
        self.port = int(match.group(2))
        self.session_id = match.group(3)

    def wait(self, timeout=TIMEOUT):
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError('msrp-cat recv did not exit: ' + self.stderr())

    def stdout(self):
        with open(self.stdout_name, 'rb') as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_name, 'rb') as f:
            return f.read().decode(errors='replace')

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def send(*args, data=b'', timeout=TIMEOUT):
    """Runs msrp-cat send to completion; returns the CompletedProcess."""
    return subprocess.run([MSRP_CAT, 'send'] + list(args), input=data, capture_output=True,
                          timeout=timeout)


TLS_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'tls')
TEST_CERT = os.path.join(TLS_DATA, 'test-cert.pem')
TEST_KEY = os.path.join(TLS_DATA, 'test-key.pem')


def fingerprint_of(cert_file):
    """The SDP a=fingerprint value of a PEM certificate."""
    with open(cert_file) as f:
        digest = hashlib.sha256(ssl.PEM_cert_to_DER_cert(f.read())).hexdigest().upper()
    return 'sha-256 ' + ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def raw_request(host, port, data, read=True, tls=False, cert=None):
    """Sends raw bytes on a new connection (TLS with @tls, presenting
    the certificate @cert if given); returns what came back before the peer
    closed or went quiet for a second."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as plain:
        plain.settimeout(TIMEOUT)
        plain.connect((host, port))
        s = plain
        try:
            if tls:
                # Peers are checked by fingerprint, not by a CA.
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                if cert is not None:
                    context.load_cert_chain(cert, TEST_KEY)
                s = context.wrap_socket(plain)
            s.sendall(data)
        except (ssl.SSLError, ConnectionError):
            # A refused handshake (TLS 1.3 fails the client after it sent).
            if s is not plain:
                s.close()
            return b''

        if not read:
            return b''
        s.settimeout(1.0)
        reply = b''
        try:
            while True:
                piece = s.recv(65536)
                if not piece:
                    break
                reply += piece
                if reply.endswith(b'$\r\n'):
                    break
        except (socket.timeout, ssl.SSLError, ConnectionError):
            pass
        if tls:
            # A clean TLS close (close_notify): the peer sees the end of the
            # session, not a truncated connection.
            try:
                s.unwrap()
            except (ssl.SSLError, OSError):
                pass
            s.close()
        return reply


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class MsrpCatTestCase(unittest.TestCase):
    """A scratch directory and receivers that never outlive a test."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='msrp-cat-test-')
        self.receivers = []

    def tearDown(self):
        for receiver in self.receivers:
            receiver.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def receiver(self, *args, **kwargs):
        receiver = Receiver(self.dir, *args, **kwargs)
        self.receivers.append(receiver)
        return receiver

    def file(self, name, data):
        path = os.path.join(self.dir, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def assertSent(self, result):
        self.assertEqual(result.returncode, 0, 'send failed: ' + result.stderr.decode(errors='replace'))

    def assertReceived(self, receiver):
        self.assertEqual(receiver.wait(), 0, 'recv failed: ' + receiver.stderr())
