#!/bin/bash
# SPDX-License-Identifier: MIT
# lessons_in_windows.sh GDLAB SRCDIR DEVICE — every lesson in scripts/lessons on a window device
# (xcairo or xwin) under a private Xvfb, driven by a reader who presses q on every window gdlab shows.
# Checks: status 0; the first window still waits a second after the hint (it does not close by
# itself); the hint is printed once; "wrote ..." lines name the window, never nil; gd_vs_momentum
# shows two windows; race.lua plays live (a window, no GIF written).
set -u
GDLAB=$1
SRC=$2
DEVICE=$3
. "$SRC/tests/windows/xvfb.sh"
start_x
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-windows.XXXXXX")
trap 'stop_x; rm -rf "$W"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for lesson in "$SRC"/scripts/lessons/*.lua; do
    name=$(basename "$lesson" .lua)
    (cd "$SRC" && exec timeout 600 "$GDLAB" "$lesson" -dev "$DEVICE" -o "$W/$name") >"$W/$name.out" 2>"$W/$name.err" &
    pid=$!
    # windows are counted by id: one gdlab process never reuses one (core/figure/window.c), and each
    # waits for its q, which is pressed only on a window seen here, so none goes by uncounted
    : >"$W/$name.ids"
    waited=no
    while kill -0 $pid 2>/dev/null; do
        now=$(gdlab_windows)
        for w in $now; do
            echo "$w" >>"$W/$name.ids"
            if [ $waited = no ] && grep -q "the window waits" "$W/$name.err"; then
                sleep 1 # a window left alone must stay
                kill -0 $pid 2>/dev/null || fail "$name: the window closed by itself"
                waited=yes
            fi
            [ $waited = yes ] && press q "$w"
        done
        sleep 0.3
    done
    wait $pid
    status=$?
    windows=$(sort -u "$W/$name.ids" | wc -l)
    hints=$(grep -c "the window waits" "$W/$name.err")
    [ $status = 0 ] || fail "$name on $DEVICE: status $status: $(grep -v 'the window waits' "$W/$name.err" | head -4)"
    [ "$windows" -ge 1 ] || fail "$name on $DEVICE: no window was shown"
    [ "$hints" = 1 ] || fail "$name on $DEVICE: the hint was printed $hints times"
    grep -q "wrote nil\|attempt to" "$W/$name.out" "$W/$name.err" && fail "$name on $DEVICE: $(grep -h 'nil\|attempt' "$W/$name.out" "$W/$name.err")"
    if grep -q "^wrote " "$W/$name.out" && ! grep -q "^wrote $DEVICE window" "$W/$name.out"; then
        fail "$name on $DEVICE: a 'wrote' line does not name the window: $(grep '^wrote' "$W/$name.out" | head -2)"
    fi
    case $name in
        gd_vs_momentum) [ "$windows" -ge 2 ] && [ "$(grep -c "^wrote $DEVICE window" "$W/$name.out")" = 2 ] ||
                        fail "gd_vs_momentum on $DEVICE: $windows window(s) shown, 2 expected" ;;
        race) [ -e "$W/race/race.gif" ] && fail "race on $DEVICE: wrote a GIF instead of playing live"
              grep -q "^wrote $DEVICE window (40 frames)" "$W/race.out" || fail "race on $DEVICE: $(tail -1 "$W/race.out")" ;;
    esac
    echo "$name on $DEVICE: status $status, $windows window(s)"
done
[ $failures = 0 ] && echo "every lesson ran to its end on $DEVICE" && exit 0
echo "$failures failure(s)"
exit 1
