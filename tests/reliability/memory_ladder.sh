#!/bin/bash
# SPDX-License-Identifier: MIT
# memory_ladder.sh GDLAB SRCDIR LESSON SANITIZE — gdlab under `ulimit -v` at a ladder of limits, from too
# small to start up to enough (docs/reliability.md, "Memory"): memory_work.lua (a formula surface, a
# sweep on every core, gd.save as CSV and JSON, a GIF animation, a PNG figure), the flagship lesson,
# and one figure on every file device `gdlab --devices` lists, drawn first thing (device_work.lua), at
# the limits where PLplot's drivers and the libraries under them are loaded.
# Every outcome must be: exit 0 with every output a whole file; the loader's "error while loading
# shared libraries" (too small to start, 127); or exit 1 whose message says what ran out. A signal is a
# failure, whoever raised it: fontconfig and GLib under pango used to die of the shortage here (SIGSEGV,
# SIGTRAP) until the figure layer learned to refuse a cairo device that would not fit
# (core/figure/headroom.c). Never a hang (every command under `timeout`), never a temporary left, and
# every output either the old file byte for byte or a whole new one. Each ladder must also have ended
# both ways at least once: a run that finished, and a run refused before its device started (by the
# headroom check on the cairo devices; a driver that could not be loaded, on at least one device).
set -u
GDLAB=$1 SRC=$2 LESSON=$3 SANITIZE=${4:-OFF}
if [ "$SANITIZE" = ON ]; then
    echo "skipped: AddressSanitizer reserves terabytes of address space, so it cannot run under ulimit -v"
    exit 0
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-memory.XXXXXX")
trap 'rm -rf "$W"' EXIT
export GDLAB_NATIVE=0 XDG_CACHE_HOME=$W/cache
# fontconfig rewrites its cache when it fails to read it, into the first writable cache folder; as root
# that is /var/cache/fontconfig, and a rewrite made while out of memory is empty (every later figure
# then falls back to another font). Its writes go to a folder of the test's own.
mkdir -p "$W/fontcache"
cat >"$W/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <cachedir>$W/fontcache</cachedir>
  <include ignore_missing="no">/etc/fonts/fonts.conf</include>
</fontconfig>
EOF
export FONTCONFIG_FILE=$W/fonts.conf
failures=0 checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

whole() { # whole FILE: a tool other than gdlab reads all of it
    case $1 in
    *.png | *.gif) /usr/bin/python3 -c "
import sys; from PIL import Image
im = Image.open(sys.argv[1]); n = getattr(im, 'n_frames', 1); im.seek(n - 1); im.load()" "$1" 2>/dev/null ;;
    *.pdf) pdfinfo "$1" >/dev/null 2>&1 && [ -z "$(pdfinfo "$1" 2>&1 >/dev/null)" ] ;; # no error, no repair
    *.ps | *.eps) gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage "$1" </dev/null >/dev/null 2>&1 ;;
    *.svg) xmllint --noout "$1" 2>/dev/null ;;
    *.fig) head -c 8 "$1" | grep -q "^#FIG" ;;
    *.csv) [ "$(wc -l <"$1")" = 402 ] ;;
    *.json) /usr/bin/python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$1" 2>/dev/null ;;
    esac
}

driver_refusals=0 # runs refused because a device's driver could not be loaded, over every ladder

# ladder NAME OUTDIR LIMITS REFUSAL -- COMMAND...: the first run (no limit) makes the old outputs.
# REFUSAL "headroom": the headroom check must refuse a device at one limit at least; "any": no such need.
ladder() {
    local name=$1 out=$2 limits=$3 refusal=$4
    shift 5
    local old=$out.old finished=0 refused=0 outcomes=""
    mkdir -p "$out" "$old"
    timeout 60 "$@" >/dev/null 2>"$W/err" || { fail "$name: fails without a limit: $(head -c 300 "$W/err")"; return; }
    cp "$out"/* "$old/"
    local kb rc f
    for kb in $limits; do
        (ulimit -v "$kb" && exec timeout 60 "$@") >/dev/null 2>"$W/err"
        rc=$?
        local what="$name at ulimit -v $kb"
        checks=$((checks + 1))
        local mb=$((kb / 1000))
        [ $((kb % 1000)) = 0 ] || mb=$mb.$((kb % 1000 / 10))
        outcomes="$outcomes $mb:$rc"
        if [ "$rc" = 0 ]; then finished=$((finished + 1))
        elif [ "$rc" = 124 ]; then fail "$what: hung (killed by timeout)"
        elif [ "$rc" = 127 ] && grep -q "error while loading shared libraries" "$W/err"; then : # too small to start
        elif [ "$rc" -ge 128 ]; then
            fail "$what: killed by signal $((rc - 128)): $(grep -m1 -E 'GLib-ERROR|Fontconfig error|fatal signal' "$W/err" | head -c 200)"
        elif grep -q "not enough memory to start PLplot's .* device: .* need about [0-9]* MB of address space and \`ulimit -v $kb\` leaves [0-9]* MB free; raise the limit" "$W/err"; then
            refused=$((refused + 1))
        elif grep -q "not enough memory to start PLplot's .* device: its driver .*/[a-z]*\.so could not be loaded (.*) and \`ulimit -v $kb\` leaves [0-9]* MB free; raise the limit" "$W/err"; then
            driver_refusals=$((driver_refusals + 1))
            outcomes="${outcomes}D" # refused: the driver did not fit
        elif ! grep -qiE "memory|Cannot allocate|Resource temporarily unavailable" "$W/err"; then
            fail "$what: exit $rc without saying what ran out: $(head -c 300 "$W/err")"
        fi
        # a plugin that did not fit, reported as if it did not exist
        if grep -qE "unknown (surface|optimizer)" "$W/err"; then fail "$what: $(grep -m1 -E 'unknown (surface|optimizer)' "$W/err" | head -c 300)"; fi
        # PLplot's own words for a driver it could not load, in place of gdlab's (device.c loads it first)
        if grep -q "Unable to load driver" "$W/err"; then fail "$what: PLplot's \"Unable to load driver\": $(head -c 300 "$W/err")"; fi
        if ls -A "$out" | grep -q gdlab-tmp; then fail "$what: temporary left: $(ls -A "$out" | grep gdlab-tmp)"; rm -f "$out"/.*gdlab-tmp; fi
        for f in "$old"/*; do
            local new=$out/${f##*/}
            cmp -s "$f" "$new" || whole "$new" || fail "$what: ${f##*/} is neither the old file nor a whole new one"
        done
    done
    echo "$name: $finished limits finished, $refused refused by the headroom check (MB:status$outcomes)"
    [ "$finished" -gt 0 ] || fail "$name: no limit of the ladder was enough to finish"
    [ "$refusal" != headroom ] || [ "$refused" -gt 0 ] ||
        fail "$name: the headroom check never refused a device (is core/figure/headroom.c called?)"
}

# too small to start (127) .. what used to crash in fontconfig/GLib (196 to 350 MB, glibc's arenas made
# it come and go) in 4 MB steps .. enough
ladder "memory_work.lua" "$W/work" "20000 120000 180000 $(seq -s ' ' 188000 4000 300000) 320000 340000 360000 400000" \
    headroom -- "$GDLAB" "$SRC/memory_work.lua" "$W/work"
ladder "ravine lesson" "$W/ravine" "100000 $(seq -s ' ' 188000 8000 300000)" headroom -- "$GDLAB" "$LESSON" -o "$W/ravine"

# A run with no figure, where the plugins stop fitting (about 193 to 196 MB on Debian 12): a plugin
# that could not be mapped was a warning and the run then failed with "unknown surface 'quadratic'";
# Lua's own memory error came without the script's name ("gdlab: not enough memory").
cat >"$W/run.lua" <<'LUA'
local gd = require "gdlab"
local r = gd.run{surface = gd.surface("quadratic"), optimizer = gd.optimizer("adam", {lr = 0.1}), steps = 400}
gd.save(r, arg[1] .. "/run.csv")
LUA
ladder "a run" "$W/run" "$(seq -s ' ' 193000 250 197000)" any -- "$GDLAB" "$W/run.lua" "$W/run"

# Every file device, its figure the script's first: PLplot loads the device's driver (and the
# libraries it needs) there. On Debian 12 that happens between about 194 and 198 MB, the span gdlab
# needs to start at all; pdf's driver brings libharu, and is refused at a few of these limits with
# "its driver .../pdf.so could not be loaded (libhpdf...: failed to map segment ...)", which PLplot
# alone reported as "Unable to load driver". Finer steps for pdf, so that the refusal is met; the
# cairo devices are refused by the headroom check here and finish higher up.
mapfile -t FILE_DEVICES < <("$GDLAB" --devices | awk 'NR > 1 && $2 != "window" {print $1 " " $2}')
[ "${#FILE_DEVICES[@]}" -ge 5 ] || fail "gdlab --devices lists ${#FILE_DEVICES[@]} file devices"
for entry in "${FILE_DEVICES[@]}"; do
    read -r dev ext <<<"$entry"
    case $dev in
    *cairo) limits="$(seq -s ' ' 192000 2000 200000) $(seq -s ' ' 216000 16000 312000)" refusal=headroom ;;
    pdf) limits="$(seq -s ' ' 192000 250 200000)" refusal=any ;;
    *) limits="$(seq -s ' ' 192000 1000 200000)" refusal=any ;;
    esac
    ladder "$dev figure" "$W/dev-$dev" "$limits" $refusal -- "$GDLAB" "$SRC/device_work.lua" "$dev" "$W/dev-$dev/fig.$ext"
done
[ "$driver_refusals" -gt 0 ] ||
    fail "no device was refused for want of memory to load its driver (is gdlab_device_ready called before plinit?)"
echo "memory_ladder: $checks limits tried, $failures failed"
[ "$failures" = 0 ]
