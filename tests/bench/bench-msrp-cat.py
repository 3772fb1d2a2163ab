"""Benchmark (suite connect): one 512 MiB file between two msrp-cat processes
on loopback, into /dev/null, against a raw TCP copy of the same file with
64 KiB read/write loops (raw-tcp-copy) measured in the same run.

    bench-msrp-cat.py MSRP_CAT RAW_TCP_COPY [RUNS]

Runs alternate (raw, msrp-cat, raw, ...) and the medians compare; a second
series pins both processes to CPU 0, which is steadier on a noisy machine,
and a third sends 64 KiB chunks instead of 1 MiB ones. Peak RSS of each
msrp-cat process comes from /usr/bin/time (package time). Prints
`RESULT <name> <value> <unit>` lines.
"""
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

SIZE = 512 * 1024 * 1024
# Bulk over a direct connection: big chunks (msrp-cat's default of 2048
# bytes suits relays).
CHUNK_SIZE = 1024 * 1024
SMALL_CHUNK_SIZE = 64 * 1024
TIME = '/usr/bin/time'
TIMEOUT = 300


def wait_file(path, process):
    deadline = time.monotonic() + TIMEOUT
    while not os.path.exists(path):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit('bench-msrp-cat: %s did not start' % process.args[0])
        time.sleep(0.01)


def peak_rss(path):
    with open(path) as f:
        return int(f.read().split()[-1])


def run_pair(recv_args, send_args, ready_file, pin, scratch):
    """Starts the receiver, waits until it is ready, then times the sender
    from its start until both have exited. Returns (seconds, recv KiB,
    send KiB)."""
    pinned = ['taskset', '-c', '0'] if pin else []
    recv_rss = os.path.join(scratch, 'recv-rss')
    send_rss = os.path.join(scratch, 'send-rss')
    if os.path.exists(ready_file):
        os.unlink(ready_file)
    receiver = subprocess.Popen([TIME, '-f', '%M', '-o', recv_rss] + pinned + recv_args,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_file(ready_file, receiver)
    start = time.monotonic()
    sender = subprocess.Popen([TIME, '-f', '%M', '-o', send_rss] + pinned + send_args(ready_file))
    send_status = sender.wait(TIMEOUT)
    recv_status = receiver.wait(TIMEOUT)
    seconds = time.monotonic() - start
    if send_status != 0 or recv_status != 0:
        raise SystemExit('bench-msrp-cat: %s exited %d, %s exited %d' %
                         (send_args(ready_file)[0], send_status, recv_args[0], recv_status))
    return seconds, peak_rss(recv_rss), peak_rss(send_rss)


def main():
    msrp_cat, raw_copy = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 11
    with tempfile.TemporaryDirectory(prefix='bench-msrp-cat-') as scratch:
        data = os.path.join(scratch, 'data')
        rng = random.Random(4975)
        with open(data, 'wb') as f:
            for _ in range(SIZE // (64 * 1024 * 1024)):
                f.write(rng.randbytes(64 * 1024 * 1024))
        ready = os.path.join(scratch, 'ready')

        def raw(pin):
            return run_pair([raw_copy, 'recv', ready, '/dev/null'],
                            lambda f: [raw_copy, 'send', open(f).read().strip(), data],
                            ready, pin, scratch)

        def msrp(pin, chunk_size):
            return run_pair([msrp_cat, 'recv', '-q', '--path-file', ready],
                            lambda f: [msrp_cat, 'send', '-q', '--chunk-size', str(chunk_size),
                                       '--to', open(f).readline().strip(), data],
                            ready, pin, scratch)

        if not os.access(TIME, os.X_OK):
            raise SystemExit('bench-msrp-cat: %s is missing (Debian: apt-get install time)' % TIME)
        # Warm the page cache and both programs.
        raw(False)
        msrp(False, CHUNK_SIZE)
        for pin, chunk_size, suffix in ((False, CHUNK_SIZE, ''), (True, CHUNK_SIZE, '-pinned'),
                                        (False, SMALL_CHUNK_SIZE, '-64k')):
            raw_times, msrp_times, recv_rss, send_rss = [], [], [], []
            for _ in range(runs):
                raw_times.append(raw(pin)[0])
                seconds, r, s = msrp(pin, chunk_size)
                msrp_times.append(seconds)
                recv_rss.append(r)
                send_rss.append(s)
            raw_rate = SIZE / statistics.median(raw_times) / 1e6
            msrp_rate = SIZE / statistics.median(msrp_times) / 1e6
            print('RESULT msrp-cat-512m%s %.0f MB/s' % (suffix, msrp_rate))
            print('RESULT msrp-cat-raw-512m%s %.0f MB/s' % (suffix, raw_rate))
            print('RESULT msrp-cat-ratio%s %.2f ratio' % (suffix, msrp_rate / raw_rate))
            print('RESULT msrp-cat-rss-send%s %d KiB' % (suffix, max(send_rss)))
            print('RESULT msrp-cat-rss-recv%s %d KiB' % (suffix, max(recv_rss)))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
