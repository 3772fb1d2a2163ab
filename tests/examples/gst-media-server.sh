#!/bin/sh
# gst-media-server.sh: a media-server sketch. One pipeline takes an RTP
# Opus stream (udpsrc, rtpbin on 127.0.0.1) and an MSRP chat, and records
# both into one Matroska file. Text and audio share the running time:
# rtpbin's jitter buffer and msrpsrc both stamp with it. The chat leg's
# GAP events keep the muxer writing through chat silence. udpsrc never
# ends, so the recording is stopped like gst-launch -e on Ctrl-C: with
# SIGINT, which sends EOS through the pipeline.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
. "$(dirname "$0")/msrp-example-lib.sh"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkv=$work/call.mkv
start server -e matroskamux name=mux ! filesink location="$mkv" \
  rtpbin name=rtp latency=200 \
  udpsrc address=127.0.0.1 port="$port" \
    caps='application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS,encoding-params=(string)2,payload=96' \
  ! rtp.recv_rtp_sink_0 rtp. ! rtpopusdepay ! queue ! mux. \
  msrpsrc name=chat local-path='msrp://127.0.0.1:0/call;tcp' ! queue ! mux.subtitle_%u
server=$last_pid
path=$(local_path server chat)

# The caller: 3 s of audio over RTP, and two chat lines meanwhile.
gst-launch-1.0 audiotestsrc is-live=true num-buffers=150 samplesperbuffer=960 \
  ! audio/x-raw,rate=48000 ! audioconvert ! opusenc ! rtpopuspay pt=96 \
  ! udpsink host=127.0.0.1 port="$port" >"$work/caller-audio.log" 2>&1 &
audio=$!
{ sleep 1; echo "can you hear me?"; sleep 1; echo "yes, loud and clear"; } |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$path" >"$work/caller-chat.log" 2>&1
wait "$audio"

interrupt server
finish "$server" server

gst-discoverer-1.0 "$mkv" | tee "$work/discoverer.txt"
grep -q "audio #[0-9]*: Opus" "$work/discoverer.txt"
grep -q "subtitles #[0-9]*: Timed Text" "$work/discoverer.txt"
gst-launch-1.0 -v filesrc location="$mkv" ! matroskademux name=d \
  d.subtitle_0 ! fakesink silent=false sync=false async=false \
  d.audio_0 ! fakesink sync=false async=false >"$work/readback.log" 2>&1
grep 'fakesink0.*chain' "$work/readback.log" | sed 's/.*chain   \*\*\*\*\*\*\* //' |
  tee "$work/subtitles.txt"
[ "$(wc -l <"$work/subtitles.txt")" -eq 2 ]
