#!/bin/sh
# A chat over loopback with msrp-cat: a receiver in the background, a sender,
# and what arrived.   Usage: tests/examples/loopback-chat.sh BUILD_DIR
set -eu
build=${1:?usage: loopback-chat.sh BUILD_DIR}
msrp_cat=$build/lib/tools/msrp-cat
dir=$(mktemp -d)
recv_pid=
trap '[ -z "$recv_pid" ] || kill "$recv_pid" 2>/dev/null; rm -rf "$dir"' EXIT

# The receiver serves msrp://127.0.0.1:<free port>/<random>;tcp and writes
# its path to the file when it is ready; bodies go to its stdout.
"$msrp_cat" recv --path-file "$dir/path" > "$dir/received" &
recv_pid=$!
tries=0
until [ -s "$dir/path" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$recv_pid" 2>/dev/null; then
    echo "loopback-chat: the receiver did not start" >&2
    exit 1
  fi
  sleep 0.1
done

echo "sending \"hello\" to $(head -n 1 "$dir/path")"
echo hello | "$msrp_cat" send --to "$(head -n 1 "$dir/path")"
# The receiver exits 0 when the sender has closed the session cleanly.
wait "$recv_pid"
recv_pid=
echo "received: $(cat "$dir/received")"
[ "$(cat "$dir/received")" = hello ]
