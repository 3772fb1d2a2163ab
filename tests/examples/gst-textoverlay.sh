#!/bin/sh
# gst-textoverlay.sh: chat text from msrpsrc drawn over live video.
# The video is 100 frames at 25 fps, written as JPEG files; a peer sends
# two lines while it runs. Every frame comes out: msrpsrc's GAP events let
# textoverlay go on between messages.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
. "$(dirname "$0")/msrp-example-lib.sh"

start video videotestsrc is-live=true num-buffers=100 \
  ! video/x-raw,width=320,height=240,framerate=25/1 \
  ! textoverlay name=overlay font-desc='Sans 16' ! videoconvert ! jpegenc \
  ! multifilesink location="$work/frame-%03d.jpg" \
  msrpsrc name=chat local-path='msrp://127.0.0.1:0/overlay;tcp' display-duration=1500000000 \
  ! overlay.text_sink
video=$last_pid
path=$(local_path video chat)

{ echo "First line of chat"; sleep 1; echo "and a second one"; } |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$path"

finish "$video" video
frames=$(ls "$work"/frame-*.jpg | wc -l)
echo "frames written: $frames"
[ "$frames" -eq 100 ]
