#!/bin/sh
# SPDX-License-Identifier: MIT
# progress_test.sh GDLAB DIR — the progress bar: drawn on a terminal (a pseudo-terminal made by
# script(1)) for a sweep of a few seconds, with percentage, count, rate, ETA and the time taken; absent
# for short work, with -q, after gd.progress(false), and when stderr is a pipe.
gdlab=$1 here=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
on_tty() { # on_tty OUTFILE ARGS... : run gdlab on a pseudo-terminal, its output (CRs as newlines) to OUTFILE
    out=$1
    shift
    script -qfec "$*" /dev/null </dev/null | tr '\r' '\n' >"$out" || fail "gdlab $* failed: $(cat "$out")"
}

on_tty "$tmp/long" "$gdlab" "$here/work.lua" long
for piece in "sweep [" "%" "600/600 runs" "/s" ", ETA " "] 100% 600/600 runs" ", done in " "runs	600"; do
    grep -qF -- "$piece" "$tmp/long" || fail "a long sweep on a terminal shows no '$piece':" "$(cat "$tmp/long")"
done
# the bar grows: some line before the last shows less than 100%
grep -q "^sweep \[#*\.\.*\] *[0-9]*% [0-9]*/600 runs" "$tmp/long" || fail "no partial bar: $(cat "$tmp/long")"

on_tty "$tmp/short" "$gdlab" "$here/work.lua" short
grep -q "sweep" "$tmp/short" && fail "a sweep of milliseconds shows a bar: $(cat "$tmp/short")"
grep -qF "runs	4" "$tmp/short" || fail "the short sweep did not finish: $(cat "$tmp/short")"

on_tty "$tmp/quiet" "$gdlab" -q "$here/work.lua" long
grep -q "sweep" "$tmp/quiet" && fail "-q still shows a bar: $(cat "$tmp/quiet")"
grep -qF "runs	600" "$tmp/quiet" || fail "-q: the sweep did not finish"

on_tty "$tmp/off" "$gdlab" "$here/work.lua" off
grep -q "sweep" "$tmp/off" && fail "gd.progress(false) still shows a bar: $(cat "$tmp/off")"

"$gdlab" "$here/work.lua" long 2>"$tmp/pipe_err" | cat >"$tmp/pipe_out"
[ -s "$tmp/pipe_err" ] && fail "stderr a pipe, yet something was written to it: $(cat "$tmp/pipe_err")"
grep -qF "runs	600" "$tmp/pipe_out" || fail "in a pipe the sweep did not finish"

[ "$fails" = 0 ] && echo "progress_test.sh: ok"
exit "$fails"
