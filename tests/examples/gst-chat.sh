#!/bin/sh
# gst-chat.sh: two gst-launch-1.0 pipelines chatting over loopback.
# Bob listens; Alice connects to Bob's local-path, sends two lines and
# leaves; Bob's pipeline ends with EOS. msrpsrc pushes message bodies
# as they are (no newline added), so fdsink/filesink runs them together.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
. "$(dirname "$0")/msrp-example-lib.sh"

start bob msrpsrc name=bob local-path='msrp://127.0.0.1:0/bob;tcp' \
  ! filesink location="$work/bob.txt"
bob=$last_pid
path=$(local_path bob bob)
echo "Bob listens on $path"

printf 'Hello Bob\nHow are you?\n' |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$path"

finish "$bob" bob
expect "$work/bob.txt" "Hello BobHow are you?"
echo "Bob got: $(cat "$work/bob.txt")"
