#!/bin/bash
# SPDX-License-Identifier: MIT
# signal_moments.sh GDLAB SRCDIR [SEED] — SIGINT, SIGTERM and SIGHUP at random moments (docs/reliability.md,
# "Output files and signals"): draw.lua holding in a sweep, an animation and a formula compile (the fake
# compiler slow_cc.sh) is sent a signal after a random delay from its start, from start-up through
# plugin loading and drawing to the held moment. output_faults.sh covers fixed moments; this one the
# moments between. The seed is printed: `signal_moments.sh GDLAB SRCDIR SEED` replays a failure.
# After each: exit 128 + N, the old file byte for byte, no temporary, the compiler and its child gone.
set -u
set -m # background jobs keep SIGINT (see output_faults.sh)
GDLAB=$1 SRC=$2 SEED=${3:-$(date +%s)}
echo "signal_moments: seed $SEED"
RANDOM=$SEED
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-moments.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
export XDG_CACHE_HOME=$W/cache ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
failures=0 cases=0
fail() { echo "FAIL (seed $SEED): $*"; failures=$((failures + 1)); }
GDLAB_NATIVE=0 timeout 60 "$GDLAB" "$SRC/draw.lua" fig.png pngcairo old >/dev/null 2>&1 || { echo "no good figure"; exit 1; }
cp fig.png fig.old
printf 'local gd = require "gdlab"\nlocal a = gd.animation{file = "anim.gif", size = {100, 80}}\n%s\na:close()\n' \
    'for i = 1, 3 do a:frame{title = tostring(i)} end' >anim3.lua
timeout 60 "$GDLAB" anim3.lua >/dev/null 2>&1 && cp anim.gif anim.old || { echo "no good GIF"; exit 1; }
gone() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); [ -z "$st" ] || [ "${st#Z}" != "$st" ]; }

end=$((SECONDS + ${MOMENTS_SECONDS:-25})) # bounded: as many moments as fit in 25 s
while [ $SECONDS -lt $end ]; do
    for hold in sweep animation compile; do
        sig=$(echo INT TERM HUP | cut -d' ' -f$((RANDOM % 3 + 1)))
        delay_ms=$((RANDOM % 1500))
        target=fig.png old=fig.old
        [ $hold = animation ] && target=anim.gif old=anim.old
        rm -f pids
        GDLAB_NATIVE=$([ $hold = compile ] && echo 1 || echo 0) GDLAB_CC=$SRC/slow_cc.sh SLOW_CC_PIDS=$W/pids \
            "$GDLAB" "$SRC/draw.lua" "$target" pngcairo new $hold >/dev/null 2>err.txt &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
        kill -$sig $pid
        t0=$SECONDS
        for _ in $(seq 100); do gone $pid && break; sleep 0.1; done # a hang ends the case, not the test
        gone $pid || kill -KILL $pid
        wait $pid 2>/dev/null
        rc=$?
        name="$hold, SIG$sig after ${delay_ms} ms"
        cases=$((cases + 1))
        [ "$rc" = $((128 + $(kill -l $sig))) ] || fail "$name: exit status $rc: $(head -c 300 err.txt)"
        [ $((SECONDS - t0)) -le 3 ] || fail "$name: took $((SECONDS - t0)) s to stop"
        cmp -s "$target" "$old" || fail "$name: $target changed"
        ls -A | grep -q gdlab-tmp && { fail "$name: temporary left"; rm -f .*gdlab-tmp; }
        if [ -s pids ]; then
            read -r cc child <pids
            gone "$cc" || fail "$name: the compiler ($cc) still runs"
            gone "$child" || { fail "$name: the compiler's child ($child) still runs"; kill -KILL "$child"; }
        fi
        ls -A "$XDG_CACHE_HOME/gdlab" 2>/dev/null | grep -q '^tmp-' && fail "$name: compiler work folder left"
    done
done
echo "signal_moments: $cases random moments (seed $SEED), $failures failed"
[ "$failures" = 0 ]
