#!/bin/bash
# SPDX-License-Identifier: MIT
# memory_ladder.sh GDLAB SRCDIR LESSON SANITIZE — gdlab under `ulimit -v` at a ladder of limits, from too
# small to start up to enough (docs/reliability.md, "Memory"): memory_work.lua (a formula surface, a
# sweep on every core, gd.save as CSV and JSON, a GIF animation, a PNG figure) and the flagship lesson.
# Every outcome must be: exit 0 with every output a whole file; or a non-zero exit whose message says
# what ran out. Never a hang (every command under `timeout`), never a temporary left, and every output
# either the old file byte for byte or a whole new one. A crash inside a system library that does
# not survive running out of memory (fontconfig, GLib/pango: docs/reliability.md lists them) is
# reported as a note: gdlab cannot catch it, but its cleanup must still have run (checked).
set -u
GDLAB=$1 SRC=$2 LESSON=$3 SANITIZE=${4:-OFF}
if [ "$SANITIZE" = ON ]; then
    echo "skipped: AddressSanitizer reserves terabytes of address space, so it cannot run under ulimit -v"
    exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-memory.XXXXXX")
trap 'rm -rf "$W"' EXIT
export GDLAB_NATIVE=0 XDG_CACHE_HOME=$W/cache
failures=0 checks=0 notes=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

whole() { # whole FILE: a tool other than gdlab reads all of it
    case $1 in
    *.png | *.gif) /usr/bin/python3 -c "
import sys; from PIL import Image
im = Image.open(sys.argv[1]); n = getattr(im, 'n_frames', 1); im.seek(n - 1); im.load()" "$1" 2>/dev/null ;;
    *.csv) [ "$(wc -l <"$1")" = 402 ] ;;
    *.json) /usr/bin/python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$1" 2>/dev/null ;;
    esac
}

# ladder NAME OUTDIR LIMITS -- COMMAND...: the first run (no limit) makes the old outputs
ladder() {
    local name=$1 out=$2 limits=$3
    shift 4
    local old=$out.old
    mkdir -p "$out" "$old"
    timeout 60 "$@" >/dev/null 2>"$W/err" || { fail "$name: fails without a limit: $(head -c 300 "$W/err")"; return; }
    cp "$out"/* "$old/"
    local kb rc f
    for kb in $limits; do
        (ulimit -v "$kb" && exec timeout 60 "$@") >/dev/null 2>"$W/err"
        rc=$?
        local what="$name at ulimit -v $kb"
        checks=$((checks + 1))
        if [ "$rc" = 0 ]; then :
        elif [ "$rc" = 124 ]; then fail "$what: hung (killed by timeout)"
        elif [ "$rc" = 127 ] && grep -q "error while loading shared libraries" "$W/err"; then : # too small to start
        elif [ "$rc" -lt 128 ]; then
            grep -qiE "memory|Cannot allocate|Resource temporarily unavailable" "$W/err" ||
                fail "$what: exit $rc without saying what ran out: $(head -c 300 "$W/err")"
        elif grep -qE "outside any plugin call|GLib-ERROR|Fontconfig error" "$W/err"; then
            notes=$((notes + 1))
            echo "note: $what: a library died of the shortage (signal $((rc - 128))): $(grep -m1 -E 'GLib-ERROR|Fontconfig error|fatal signal' "$W/err" | head -c 160)"
        else fail "$what: killed by signal $((rc - 128)): $(head -c 300 "$W/err")"; fi
        if ls -A "$out" | grep -q gdlab-tmp; then fail "$what: temporary left: $(ls -A "$out" | grep gdlab-tmp)"; rm -f "$out"/.*gdlab-tmp; fi
        for f in "$old"/*; do
            local new=$out/${f##*/}
            cmp -s "$f" "$new" || whole "$new" || fail "$what: ${f##*/} is neither the old file nor a whole new one"
        done
    done
}

# too small to start (127) .. the animation's and fonts' needs .. enough; 4 MB steps where it matters
ladder "memory_work.lua" "$W/work" "20000 120000 180000 192000 196000 200000 204000 208000 216000 224000 232000 240000 260000 400000" \
    -- "$GDLAB" "$SRC/memory_work.lua" "$W/work"
ladder "ravine lesson" "$W/ravine" "100000 200000 220000 240000 300000" -- "$GDLAB" "$LESSON" -o "$W/ravine"
echo "memory_ladder: $checks limits tried, $notes library crashes noted, $failures failed"
[ "$failures" = 0 ]
