#!/bin/sh
# SPDX-License-Identifier: MIT
# The gdlab command: exit statuses and messages for the user's mistakes.
# usage: cli_test.sh GDLAB_BINARY TEST_SOURCE_DIR
gdlab=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
expect() { # expect STATUS PATTERN -- command...
    want=$1 pattern=$2
    shift 3
    "$@" >"$tmp/out" 2>&1 </dev/null
    got=$?
    if [ "$got" != "$want" ] || ! grep -q -- "$pattern" "$tmp/out"; then
        echo "FAIL: $* -> status $got (want $want), output:"; cat "$tmp/out"
        echo "      expected to find: $pattern"
        fails=$((fails + 1))
    fi
}

printf 'local x = 1\nerror("boom from the lesson")\n' >"$tmp/fails.lua"
expect 1 "fails.lua:2: boom from the lesson" -- "$gdlab" "$tmp/fails.lua"
expect 1 "stack traceback" -- "$gdlab" "$tmp/fails.lua"
printf 'local x = \n' >"$tmp/syntax.lua"
expect 1 "syntax.lua:2:" -- "$gdlab" "$tmp/syntax.lua"
expect 1 "cannot open" -- "$gdlab" "$tmp/missing.lua"
# before the script runs there is nothing of the user's to trace back: one line, no traceback of gdlab
for script in syntax.lua missing.lua; do
    lines=$("$gdlab" "$tmp/$script" 2>&1 </dev/null | wc -l)
    [ "$lines" = 1 ] || { echo "FAIL: $script: $lines lines of messages, want 1"; fails=$((fails + 1)); }
done
printf 'assert(arg[1] == "a" and arg[2] == "b" and arg[0]:find("args.lua"))\nprint("args ok")\n' >"$tmp/args.lua"
expect 0 "args ok" -- "$gdlab" "$tmp/args.lua" a b
printf 'local gd = require "gdlab"\nprint(gd.output.device, gd.output.dir)\n' >"$tmp/out.lua"
expect 0 "svg	$tmp/figs" -- "$gdlab" -dev svg -o "$tmp/figs" "$tmp/out.lua"
expect 0 "svg	$tmp/figs" -- "$gdlab" "$tmp/out.lua" -dev svg -o "$tmp/figs"
printf 'print(#arg, arg[1], arg[2])\n' >"$tmp/rest.lua"
expect 0 "2	-o	x" -- "$gdlab" "$tmp/rest.lua" -- -o x
expect 2 "unknown option '--frobnicate'" -- "$gdlab" --frobnicate
expect 2 "no script given" -- "$gdlab"
expect 2 "-dev needs a value" -- "$gdlab" -dev
# -dev and -o on the command line win over the script's own device and file
printf 'local gd = require "gdlab"\nlocal f = gd.figure{device = "svg", file = "elsewhere/pic.svg"}\nprint(f:close())\n' >"$tmp/own.lua"
expect 0 "$tmp/cmdline/pic.pdf" -- "$gdlab" "$tmp/own.lua" -dev pdfcairo -o "$tmp/cmdline"
[ -s "$tmp/cmdline/pic.pdf" ] || { echo "FAIL: no $tmp/cmdline/pic.pdf"; fails=$((fails + 1)); }
# a device typo is gdlab's error listing the devices: never PLplot's exit() or its stdin prompt
expect 2 "unknown device 'pngcario'; available:.*pngcairo" -- "$gdlab" -dev pngcario "$tmp/out.lua"
expect 0 "pngcairo" -- "$gdlab" --devices
expect 0 "svg" -- "$gdlab" --devices
expect 0 "optimizer  gd" -- "$gdlab" --list
expect 0 "surface    quadratic" -- "$gdlab" --list
expect 0 "lr .*learning rate" -- "$gdlab" --describe gd
expect 2 "unknown plugin 'adma'; available:" -- "$gdlab" --describe adma
# an optimizer's internals, and the built-in schedules with their options
expect 0 "internals (recorded after each step" -- "$gdlab" --describe adam
expect 0 "step_size *per coordinate *lr/(sqrt(v_hat) + eps)" -- "$gdlab" --describe adam
expect 0 "internals: none" -- "$gdlab" --describe gd
expect 0 "patience *10 *\[0, inf), whole numbers" -- "$gdlab" --describe plateau
expect 0 "T_max *(required)" -- "$gdlab" --describe cosine
expect 0 "schedule   plateau" -- "$gdlab" --list
# a broken plugin on the path is reported by file, and the rest still load
printf 'not an elf file' >"$tmp/broken.so"
expect 0 "broken.so" -- env GDLAB_PLUGIN_PATH="$tmp/broken.so" "$gdlab" --list
expect 0 "optimizer  gd" -- env GDLAB_PLUGIN_PATH="$tmp/broken.so" "$gdlab" --list

echo "cli: $fails failed"
[ "$fails" = 0 ]
