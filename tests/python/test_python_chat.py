"""Runs tests/examples/python-chat.py as two processes, as two terminals would."""
import os
import selectors
import subprocess
import sys
import time
import unittest

import taprunner

CHAT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    '..', 'examples', 'python-chat.py')
SECONDS = 30


def read_until(process, wanted):
    """Returns the first stdout line of process starting with wanted."""
    deadline = time.monotonic() + SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise AssertionError('no %r from %s' % (wanted, process.args))
            line = process.stdout.readline()
            if not line:
                raise AssertionError('%s ended before %r' % (process.args, wanted))
            if line.startswith(wanted):
                return line.rstrip('\n')


def start(test, script, *args):
    """Starts the chat script with args, killed when test ends."""
    process = subprocess.Popen([sys.executable, script] + list(args), text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    test.addCleanup(process.kill)
    test.addCleanup(process.stdout.close)
    return process


class PythonChatTest(unittest.TestCase):
    def start(self, *args):
        return start(self, CHAT, *args)

    def test_two_terminals(self):
        answer = self.start('answer')
        path = read_until(answer, 'path: ')[len('path: '):]
        self.assertTrue(path.startswith('msrp://127.0.0.1:'))
        connect = self.start('connect', path)
        read_until(connect, 'connected')

        connect.stdin.write('hello from terminal 2\n')
        connect.stdin.flush()
        self.assertEqual(read_until(answer, 'peer:'), 'peer: hello from terminal 2')
        answer.stdin.write('hi back\n')
        answer.stdin.flush()
        self.assertEqual(read_until(connect, 'peer:'), 'peer: hi back')

        connect.stdin.close()
        self.assertEqual(connect.wait(SECONDS), 0)
        answer.stdin.close()
        self.assertEqual(answer.wait(SECONDS), 0)

    def test_usage(self):
        result = subprocess.run([sys.executable, CHAT], capture_output=True,
                                text=True, timeout=SECONDS)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn('python-chat.py answer', result.stderr)


if __name__ == '__main__':
    taprunner.main()
