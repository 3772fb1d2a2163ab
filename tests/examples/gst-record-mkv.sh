#!/bin/sh
# gst-record-mkv.sh: live audio and video encoded into Matroska with the
# chat from msrpsrc as a subtitle track, then read back. Audio and video
# end after 4 s; the chat track ends when the peer leaves. The subtitles
# come back with their timestamps and their 4 s duration (BlockDuration),
# the track with the language msrpsrc was given (language=de).
#
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
. "$(dirname "$0")/msrp-example-lib.sh"

mkv=$work/chat.mkv
start record matroskamux name=mux ! filesink location="$mkv" \
  videotestsrc is-live=true num-buffers=100 ! video/x-raw,width=320,height=240,framerate=25/1 \
  ! vp8enc deadline=1 ! queue ! mux. \
  audiotestsrc is-live=true num-buffers=200 samplesperbuffer=960 ! audio/x-raw,rate=48000 \
  ! audioconvert ! opusenc ! queue ! mux. \
  msrpsrc name=chat local-path='msrp://127.0.0.1:0/rec;tcp' language=de ! queue ! mux.subtitle_%u
record=$last_pid
path=$(local_path record chat)

{ sleep 1; echo "hello from the chat"; sleep 1; echo "bye"; } |
  gst-launch-1.0 fdsrc ! msrpsink mode=line remote-path="$path"
finish "$record" record

gst-discoverer-1.0 "$mkv" | tee "$work/discoverer.txt"
grep -q "subtitles #[0-9]*: Timed Text" "$work/discoverer.txt"
# msrpsrc's language (the peer's a=lang) is the track's language.
sed -n '/subtitles #/,/^$/p' "$work/discoverer.txt" | grep -q "Language: de"

# The subtitle track, with the timestamps and durations of its buffers.
# (async=false: with several tracks, sinks that wait for preroll stall.)
gst-launch-1.0 -v filesrc location="$mkv" ! matroskademux name=d \
  d.subtitle_0 ! fakesink silent=false sync=false async=false \
  d.video_0 ! fakesink sync=false async=false \
  d.audio_0 ! fakesink sync=false async=false >"$work/readback.log" 2>&1
grep 'fakesink0.*chain' "$work/readback.log" | sed 's/.*chain   \*\*\*\*\*\*\* //' |
  tee "$work/subtitles.txt"
[ "$(grep -c 'duration: 0:00:04.000000000' "$work/subtitles.txt")" -eq 2 ]
