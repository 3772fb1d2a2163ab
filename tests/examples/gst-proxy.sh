#!/bin/sh
# gst-proxy.sh: an anchoring proxy. Alice and Bob never talk to each
# other: each MSRP session ends at the proxy, whose pipeline relays each
# direction with msrpsrc ! msrpsink (a new session, its own Message-IDs
# and paths, the text unchanged).
#
#   alice-out -> proxy (from-alice ! to-bob)   -> bob-in
#   bob-out   -> proxy (from-bob ! to-alice)   -> alice-in
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
. "$(dirname "$0")/msrp-example-lib.sh"

start alice_in msrpsrc name=inbox local-path='msrp://127.0.0.1:0/alice;tcp' \
  ! filesink location="$work/alice.txt"
alice_in=$last_pid
start bob_in msrpsrc name=inbox local-path='msrp://127.0.0.1:0/bob;tcp' \
  ! filesink location="$work/bob.txt"
bob_in=$last_pid
alice=$(local_path alice_in inbox)
bob=$(local_path bob_in inbox)

start proxy \
  msrpsrc name=from-alice local-path='msrp://127.0.0.1:0/from-alice;tcp' \
  ! msrpsink name=to-bob remote-path="$bob" \
  msrpsrc name=from-bob local-path='msrp://127.0.0.1:0/from-bob;tcp' \
  ! msrpsink name=to-alice remote-path="$alice"
proxy=$last_pid
proxy_for_alice=$(local_path proxy from-alice)
proxy_for_bob=$(local_path proxy from-bob)
echo "Alice talks to $proxy_for_alice, Bob to $proxy_for_bob"

printf 'Hi Bob, this is Alice.\n' |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$proxy_for_alice"
printf 'Hi Alice!\n' |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$proxy_for_bob"

# Each sender's EOS closes its session; the proxy passes the EOS on and
# closes the session to the other end; everyone's pipeline ends.
finish "$proxy" proxy
finish "$alice_in" alice_in
finish "$bob_in" bob_in
expect "$work/bob.txt" "Hi Bob, this is Alice."
expect "$work/alice.txt" "Hi Alice!"
echo "Bob got: $(cat "$work/bob.txt")"
echo "Alice got: $(cat "$work/alice.txt")"
