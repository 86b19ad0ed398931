#!/bin/sh
# SPDX-License-Identifier: MIT
# The gdlab command and devices: --devices lists PLplot's file devices; an unknown -dev is an error
# that lists the valid ones, exits non-zero and never reaches PLplot (no prompt on stdin, no
# PLplot abort); a good -dev writes the figure with that device's extension.
# usage: cli_devices.sh GDLAB SOURCE_DIR
gdlab=$1 src=$2
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
fail() { echo "cli_devices: $*" >&2; exit 1; }

list=$("$gdlab" --devices) || fail "--devices failed"
for d in pngcairo svgcairo pdfcairo svg ps; do
    echo "$list" | grep -q "^$d " || fail "--devices does not list $d"
done

# stdin is closed: a PLplot prompt would read EOF and go wrong; timeout catches a hang.
timeout 30 "$gdlab" -dev nonsense -o "$out" "$src/one_figure.lua" </dev/null >"$out/stdout" 2>"$out/stderr"
rc=$?
[ $rc -ne 0 ] || fail "unknown device accepted"
[ $rc -ne 124 ] || fail "gdlab hung on an unknown device"
grep -q "unknown device 'nonsense'" "$out/stderr" || fail "no 'unknown device' message: $(cat "$out/stderr")"
grep -q "pngcairo" "$out/stderr" || fail "the message does not list the devices"
! grep -q "PLPLOT ERROR" "$out/stderr" || fail "PLplot itself saw the bad device"

for dev in svg pdfcairo; do
    timeout 30 "$gdlab" -dev $dev -o "$out" "$src/one_figure.lua" </dev/null >"$out/stdout" 2>"$out/stderr" ||
        fail "-dev $dev failed: $(cat "$out/stderr")"
done
[ -s "$out/one_figure.svg" ] || fail "-dev svg wrote no one_figure.svg"
head -c 5 "$out/one_figure.pdf" | grep -q "%PDF" || fail "-dev pdfcairo wrote no PDF"
exit 0
