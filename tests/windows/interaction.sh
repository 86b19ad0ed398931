#!/bin/bash
# SPDX-License-Identifier: MIT
# interaction.sh GDLAB SRCDIR — a reader at the window, under a private Xvfb with a window manager
# (openbox): a click on the playground starts runs whose paths begin at the clicked point (checked in
# numbers and on a screenshot); space pauses them, n steps them, c clears the map; the window
# manager's close button ends the lesson with status 0; fig:pick returns the clicked data point; a key
# sent to a closed figure's window does not reach the next figure's (ids are not reused); a
# window killed (xdotool windowkill), destroyed (windowclose) or an X server that dies ends gdlab with
# a message and status 1, never a hang; without a display or on a file device the playground and
# fig:pick refuse at once.
set -u
GDLAB=$1
SRC=$2
. "$SRC/tests/windows/xvfb.sh"
need wmctrl; need import
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import PIL" 2>/dev/null ||
    { echo "interaction: Debian's python3-pil is missing (./setup.sh installs it)"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-interaction.XXXXXX")
trap 'stop_x; rm -rf "$W"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
PID=

# launch NAME DEVICE SCRIPT: gdlab in the background, output in $W/NAME.{out,err}; waits for its hint
launch() {
    (cd "$SRC" && exec timeout 300 "$GDLAB" "$3" -dev "$2" -o "$W/$1") >"$W/$1.out" 2>"$W/$1.err" &
    PID=$!
    local i
    for i in $(seq 1 600); do
        grep -q "the window waits" "$W/$1.err" && return 0
        kill -0 $PID 2>/dev/null || break
        sleep 0.1
    done
    fail "$1: no waiting window: $(tail -2 "$W/$1.err")"
    return 1
}

# finish NAME SECONDS: the exit status of the gdlab started last, or 124 if it is still alive after SECONDS
finish() {
    local i
    for i in $(seq 1 $(($2 * 10))); do
        kill -0 $PID 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 $PID 2>/dev/null; then
        kill $PID
        wait $PID
        return 124
    fi
    wait $PID
}

# lines NAME PATTERN: how many lines of its output match
lines() { grep -c "$2" "$W/$1.out"; }

start_x wm

# --- the playground: a click starts three runs at the clicked point; space pauses; the WM closes -----
if launch playground xcairo scripts/lessons/playground.lua; then
    win=$(wait_window 10)
    import -window "$win" "$W/before.png"
    xdotool mousemove --window "$win" 300 300 click 1 key --window "$win" space
    for i in $(seq 1 100); do [ "$(lines playground '^start (')" = 1 ] && break; sleep 0.1; done
    start=$(grep '^start (' "$W/playground.out")
    # "start (x, y) at pixel (px, py)": the paths' first point, mapped back to the window
    echo "$start" | awk -F'[(), ]+' '{ if ($6 < 299 || $6 > 301 || $7 < 299 || $7 > 301) exit 1 }' ||
        fail "playground: the paths start at '$start', not at the clicked pixel (300, 300)"
    sleep 2
    [ "$(lines playground 'converged\|max_steps')" = 0 ] || fail "playground: runs went on while paused"
    import -window "$win" "$W/paused.png"
    for i in 1 2 3 4 5; do xdotool key --window "$win" n; sleep 0.3; done # five frames of 4 steps
    import -window "$win" "$W/stepped.png"
    red_pixels() { /usr/bin/python3 -c "
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert('RGB')
print(sum(1 for p in im.crop((0, 0, im.size[0] // 2, im.size[1])).getdata() if p[0] > 180 and p[1] < 80 and p[2] < 80))" "$1"; }
    paused=$(red_pixels "$W/paused.png") stepped=$(red_pixels "$W/stepped.png")
    [ "$stepped" -gt "$paused" ] || fail "playground: n did not step ($paused red pixels before, $stepped after)"
    echo "playground: n steps while paused: $paused red path pixels, then $stepped"
    xdotool key --window "$win" space
    for i in $(seq 1 300); do [ "$(lines playground 'converged\|max_steps')" = 3 ] && break; sleep 0.1; done
    [ "$(lines playground 'converged')" = 3 ] || fail "playground: $(lines playground 'converged') of 3 runs converged"
    import -window "$win" "$W/after.png"
    # the screenshot: a white start marker where the click was, the red GD path leaving it
    /usr/bin/python3 - "$W/before.png" "$W/after.png" <<'EOF' || fail "playground: screenshot check"
import sys
from PIL import Image
before, after = (Image.open(p).convert("RGB") for p in sys.argv[1:3])
box = [after.getpixel((300 + dx, 300 + dy)) for dx in range(-2, 3) for dy in range(-2, 3)]
white = sum(1 for p in box if min(p) > 220)
red = sum(1 for dx in range(-60, 61) for dy in range(-60, 61)
          if (lambda p: p[0] > 180 and p[1] < 80 and p[2] < 80)(after.getpixel((300 + dx, 300 + dy))))
red_before = sum(1 for dx in range(-60, 61) for dy in range(-60, 61)
                 if (lambda p: p[0] > 180 and p[1] < 80 and p[2] < 80)(before.getpixel((300 + dx, 300 + dy))))
print(f"playground screenshot: {white}/25 white pixels at the click, {red} red path pixels near it ({red_before} before)")
sys.exit(0 if white >= 10 and red >= 20 and red_before == 0 else 1)
EOF
    xdotool key --window "$win" c # clears the map: the paths are gone
    sleep 2
    import -window "$win" "$W/cleared.png"
    cleared=$(red_pixels "$W/cleared.png")
    [ "$cleared" = 0 ] || fail "playground: c left $cleared red path pixels on the map"
    wmctrl -c "gdlab: " # the window manager's close: WM_DELETE_WINDOW
    finish playground 20
    status=$?
    [ $status = 0 ] || fail "playground: status $status after the window manager closed it: $(tail -2 "$W/playground.err")"
    grep -q "^wrote xcairo window" "$W/playground.out" || fail "playground: no 'wrote xcairo window'"
    echo "playground: $start; status $status after the window manager's close"
fi

# --- fig:pick: the data point under a left click; a right click is not a pick ----------------------
cat >"$W/pick_window.lua" <<'EOF'
local gd = require "gdlab"
local fig = gd.figure{name = "pick", size = {600, 500}, layout = {1, 2}}
fig:contour{panel = 1, surface = gd.surface("himmelblau"), x = {-5, 5}, y = {-5, 5}}
fig:text{panel = 2, text = "not a map"}
local px, py = fig:to_pixel(1, 1.25, -2.5)
print(("target pixel %.0f %.0f"):format(px, py))
io.stdout:flush()
local x, y, panel = fig:pick{panel = 1}
print(("picked %.4f %.4f in panel %d"):format(x, y, panel))
print("wrote " .. fig:close())
EOF
(cd "$W" && exec timeout 120 "$GDLAB" pick_window.lua -dev xwin) >"$W/pick_window.out" 2>"$W/pick_window.err" &
PID=$!
for i in $(seq 1 300); do grep -q "click a point" "$W/pick_window.err" && break; sleep 0.1; done
read -r _ _ tx ty <<<"$(grep '^target pixel' "$W/pick_window.out")"
win=$(wait_window 10)
xdotool mousemove --window "$win" "$tx" "$ty" click 3 sleep 0.5 click 1 sleep 0.5
press q "$win"
finish pick_window 30
status=$?
picked=$(grep '^picked' "$W/pick_window.out")
# one pixel of this 600 x 500 map is about 0.04 data units
echo "$picked" | awk '{ exit !($2 > 1.15 && $2 < 1.35 && $3 > -2.6 && $3 < -2.4 && $6 == 1) }' ||
    fail "fig:pick: '$picked' for a click at the pixel of (1.25, -2.5); status $status"
[ $status = 0 ] || fail "fig:pick: status $status: $(tail -2 "$W/pick_window.err")"
echo "fig:pick on xwin: clicked pixel ($tx, $ty) of (1.25, -2.5): $picked"

# --- a key for a closed window: window ids are never reused within a process (core/figure/window.c),
# so what a reader or a tool sends to a closed figure's window cannot reach the next figure's ---------
for device in xcairo xwin; do
    if launch "stale_$device" $device scripts/lessons/gd_vs_momentum.lua; then
        first=$(wait_window 10)
        press q "$first"
        second=
        for _ in $(seq 1 300); do # up to 60 s
            second=$(xdotool search --onlyvisible --name '^gdlab: gd_vs_momentum$' 2>/dev/null | head -1)
            [ -n "$second" ] && break
            sleep 0.2
        done
        [ -n "$second" ] || fail "stale key on $device: no second window"
        [ "$second" != "$first" ] || fail "stale key on $device: the second window got the first one's id ($first)"
        xdotool key --window "$first" q 2>/dev/null # the reader's q again, for the window already closed
        sleep 3 # long enough for the second figure to be drawn and waiting, even in a sanitizer build
        if kill -0 $PID 2>/dev/null && [ -n "$(gdlab_windows)" ]; then :
        else fail "stale key on $device: a q for the closed first window closed the second"; fi
        press q "$second"
        finish "stale_$device" 30
        status=$?
        [ $status = 0 ] || fail "stale key on $device: status $status: $(tail -2 "$W/stale_$device.err")"
        [ "$(lines "stale_$device" "^wrote $device window")" = 2 ] ||
            fail "stale key on $device: $(lines "stale_$device" "^wrote") figures written, 2 expected"
        echo "a key for a closed window on $device: windows $first and $second, status $status"
    fi
done

# --- windows ended from outside ---------------------------------------------------------------------
for device in xcairo xwin; do
    if launch "kill_$device" $device scripts/lessons/ravine.lua; then
        xdotool windowkill "$(wait_window 10)"
        finish "kill_$device" 20
        status=$?
        [ $status = 1 ] || fail "windowkill on $device: status $status"
        grep -q "connection to X display .* was lost" "$W/kill_$device.err" ||
            fail "windowkill on $device: no message: $(tail -2 "$W/kill_$device.err")"
        echo "windowkill on $device: status $status, $(grep -o 'the connection.*lost' "$W/kill_$device.err")"
    fi
    if launch "destroy_$device" $device scripts/lessons/ravine.lua; then
        xdotool windowclose "$(wait_window 10)"
        finish "destroy_$device" 20
        status=$?
        [ $status = 1 ] || fail "windowclose on $device: status $status"
        grep -q "was destroyed from outside" "$W/destroy_$device.err" ||
            fail "windowclose on $device: no message: $(tail -2 "$W/destroy_$device.err")"
        echo "windowclose on $device: status $status, $(grep -o "the window.*outside" "$W/destroy_$device.err")"
    fi
done

# --- no display, a file device --------------------------------------------------------------------
(cd "$SRC" && DISPLAY= timeout 30 "$GDLAB" scripts/lessons/playground.lua -dev xcairo -o "$W/nodisplay") \
    >"$W/nodisplay.out" 2>"$W/nodisplay.err"
status=$?
[ $status = 1 ] && grep -q "no display" "$W/nodisplay.err" || fail "playground without a display: status $status: $(cat "$W/nodisplay.err")"
(cd "$SRC" && timeout 30 "$GDLAB" scripts/lessons/playground.lua -dev pngcairo -o "$W/file") >"$W/file.out" 2>"$W/file.err"
status=$?
[ $status = 1 ] && grep -q "needs a window" "$W/file.err" || fail "playground on pngcairo: status $status: $(cat "$W/file.err")"
cat >"$W/pick.lua" <<'EOF'
local gd = require "gdlab"
local fig = gd.figure{name = "pick", device = "pngcairo"}
fig:contour{surface = gd.surface("himmelblau"), x = {-5, 5}, y = {-5, 5}}
local ok, err = pcall(fig.pick, fig)
assert(not ok and err:find("fig:pick: device 'pngcairo' writes a file: events need a window device", 1, true), err)
print("pick on a file device: " .. err)
EOF
(cd "$W" && timeout 30 "$GDLAB" pick.lua) || fail "fig:pick on a file device"

# --- the X server dies while a window waits -----------------------------------------------------------
if launch lost_x xcairo scripts/lessons/ravine.lua; then
    kill $X_PID
    finish lost_x 20
    status=$?
    [ $status = 1 ] || fail "X server killed: status $status"
    grep -q "connection to X display .* was lost" "$W/lost_x.err" || fail "X server killed: no message: $(tail -2 "$W/lost_x.err")"
    echo "X server killed: status $status"
fi

[ $failures = 0 ] && echo "every interaction behaved" && exit 0
echo "$failures failure(s)"
exit 1
