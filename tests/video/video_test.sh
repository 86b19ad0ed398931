#!/bin/sh
# SPDX-License-Identifier: MIT
# video_test.sh GDLAB DIR — animations as MP4 (H.264), WebM (VP9) and GIF, checked by decoders that are not
# gdlab's: ffprobe for codec, size, frame count and duration; ffmpeg and PIL decode frames, which must show
# the same picture in all three files.
set -eu
gdlab=$1 here=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
"$gdlab" "$here/make_videos.lua" "$out"

probe() { # probe FILE: codec,width,height,pix_fmt,frames counted by decoding,duration
    ffprobe -v error -count_frames -select_streams v:0 -of csv=p=0 \
        -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames "$1"
    ffprobe -v error -of csv=p=0 -show_entries format=duration "$1"
}
# 321 x 241 frames become 322 x 242 (4:2:0 needs even sizes); 30 frames at 12 per second last 2.5 s
[ "$(probe "$out/race.mp4" | tr '\n' ' ')" = "h264,322,242,yuv420p,30 2.500000 " ] ||
    fail "race.mp4: $(probe "$out/race.mp4" | tr '\n' ' ')"
[ "$(probe "$out/race.webm" | tr '\n' ' ')" = "vp9,322,242,yuv420p,30 2.500000 " ] ||
    fail "race.webm: $(probe "$out/race.webm" | tr '\n' ' ')"
[ "$(ffprobe -v error -of csv=p=0 -show_entries stream=avg_frame_rate "$out/race.mp4")" = "12/1" ] ||
    fail "race.mp4 is not 12 frames a second"

# frame 20 of each video, decoded by ffmpeg, against frame 20 of the GIF decoded by PIL
for ext in mp4 webm; do
    ffmpeg -v error -i "$out/race.$ext" -vf "select=eq(n\,19),scale=321:241" -frames:v 1 -f rawvideo \
        -pix_fmt rgb24 "$out/frame20.$ext.rgb"
done
/usr/bin/python3 - "$out" <<'PY' || fails=$((fails + 1))
import sys
from PIL import Image, ImageSequence

d = sys.argv[1]
gif = Image.open(d + "/race.gif")
frames = [f.convert("RGB") for f in ImageSequence.Iterator(gif)]
durations = [f.info.get("duration") for f in ImageSequence.Iterator(Image.open(d + "/race.gif"))]
problems = []
if gif.size != (321, 241):
    problems.append("GIF size %s" % (gif.size,))
if len(frames) != 30:
    problems.append("GIF has %d frames, not 30" % len(frames))
if any(ms != 80 for ms in durations):  # 1/12 s is 8 hundredths: PIL reports 80 ms
    problems.append("GIF frame durations %s" % sorted(set(durations)))
for ext in ("mp4", "webm"):
    video20 = open("%s/frame20.%s.rgb" % (d, ext), "rb").read()
    # which GIF frame does the video's frame 20 look like most? (lossy codecs: the nearest, not equal)
    diffs = [sum(abs(a - b) for a, b in zip(f.tobytes(), video20)) / len(video20) for f in frames]
    best = min(range(len(diffs)), key=diffs.__getitem__)
    if len(video20) != 321 * 241 * 3 or best != 19 or diffs[19] > 4.0:
        problems.append("%s frame 20 is nearest GIF frame %d (mean difference %.2f per channel; to frame 20: %.2f)"
                        % (ext, best + 1, diffs[best], diffs[19]))
    print("%s frame 20 vs GIF frame 20: mean difference %.2f per channel; next nearest GIF frame: %.2f"
          % (ext, diffs[19], min(diffs[:19] + diffs[20:])))
for p in problems:
    print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
# with -o DIR a video keeps its format: file = "elsewhere/clip.webm" goes to DIR/clip.webm
cat >"$out/clip.lua" <<'LUA'
local gd = require "gdlab"
local a = gd.animation{file = "elsewhere/clip.webm", size = {100, 80}, fps = 4}
for k = 1, 3 do a:frame():lines{series = {{y = {1, k, 3}}}} end
print(a:close())
LUA
[ "$("$gdlab" "$out/clip.lua" -o "$out/o")" = "$out/o/clip.webm" ] || fail "-o moved the video elsewhere"
[ "$(probe "$out/o/clip.webm" | tr '\n' ' ')" = "vp9,100,80,yuv420p,3 0.750000 " ] ||
    fail "clip.webm: $(probe "$out/o/clip.webm" | tr '\n' ' ')"

leftovers=$(ls -A "$out" | grep '\.tmp$' || true)
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"
[ "$fails" = 0 ] && echo "video_test.sh: ok ($(wc -c <"$out/race.mp4") B mp4, $(wc -c <"$out/race.webm") B webm, $(wc -c <"$out/race.gif") B gif)"
exit "$fails"
