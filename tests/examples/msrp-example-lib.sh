# msrp-example-lib.sh: helpers for the gst-launch-1.0 examples (sourced)
#
# Each example runs real gst-launch-1.0 processes over loopback. Waits are
# bounded by the test's timeout (meson kills a stuck example), never by a
# timing assertion.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

work=$(mktemp -d)
pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME ARGS...: runs gst-launch-1.0 -v ARGS in the background, its
# output in $work/NAME.log, its process id in $work/NAME.pid and its exit
# status, once it ended, in $work/NAME.status; sets $last_pid.
start() {
  name=$1
  shift
  {
    gst-launch-1.0 -v "$@" &
    echo $! >"$work/$name.pid"
    status=0
    wait $! || status=$?
    echo $status >"$work/$name.status"
  } >"$work/$name.log" 2>&1 &
  last_pid=$!
  pids="$pids $last_pid"
}

# interrupt NAME: Ctrl-C for the pipeline started as NAME (with -e: EOS).
interrupt() {
  kill -INT "$(cat "$work/$1.pid")"
}

# local_path NAME ELEMENT: the local-path that ELEMENT of the pipeline
# started as NAME reported after start (gst-launch -v prints property
# notifications).
local_path() {
  while :; do
    path=$(sed -n "s|.*:$2: local-path = \(.*\)$|\1|p" "$work/$1.log" | head -n 1)
    if [ -n "$path" ]; then
      echo "$path"
      return 0
    fi
    if [ -e "$work/$1.status" ]; then
      echo "gst-launch-1.0 ended before $2 was listening:" >&2
      cat "$work/$1.log" >&2
      return 1
    fi
    sleep 0.1
  done
}

# finish PID NAME: waits for the pipeline started as NAME; fails with its
# log if it failed.
finish() {
  wait "$1" || true
  if [ "$(cat "$work/$2.status")" != 0 ]; then
    echo "$2 failed:" >&2
    cat "$work/$2.log" >&2
    exit 1
  fi
}

# expect FILE TEXT: FILE holds exactly TEXT.
expect() {
  got=$(cat "$1")
  if [ "$got" != "$2" ]; then
    printf 'expected: %s\ngot:      %s\n' "$2" "$got" >&2
    exit 1
  fi
}
