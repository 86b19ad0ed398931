#!/bin/bash
# SPDX-License-Identifier: MIT
# plugin_faults.sh GDLAB FIXTURES — plugins that misbehave inside a real run and sweep, with a figure
# open over an old file (docs/reliability.md, "Misbehaving plugins"): a step that calls exit(3) (the
# atexit cleanup removes the temporary; exit status 3; ten times in a sweep), a step that never returns
# in a sweep's worker threads ended by SIGTERM and SIGINT (143/130 within 2 s), a step that crashes on a
# worker thread (the message names plugin and call). After each: old figure byte for byte, no temporary.
set -u
set -m # background jobs keep SIGINT (see output_faults.sh)
GDLAB=$1 FIX=$2
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-plugins.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
# in a sanitizer build, gdlab's own crash handler (not ASan's) takes the plugin's SIGSEGV, as in a normal build
export GDLAB_PLUGIN_PATH=$FIX GDLAB_NATIVE=0 ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:handle_segv=0
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
cat >lesson.lua <<'LUA'
-- lesson.lua OPTIMIZER MODE: a figure open over fig.png, then a run or a sweep with OPTIMIZER
local gd = require "gdlab"
local name, mode = arg[1], arg[2]
local fig = gd.figure{file = "fig.png", size = {200, 150}, title = "old"}
fig:text{text = "open"}
io.open("ready", "w"):close()
local o = gd.optimizer(name, {lr = 0.1})
if mode == "sweep" then
  gd.sweep{surface = gd.surface("quadratic"), optimizer = o, steps = 100, over = {lr = {0.1, 0.2, 0.3, 0.4}}}
else
  gd.run{surface = gd.surface("quadratic"), optimizer = o, steps = 100}
end
fig:close()
LUA
"$GDLAB" lesson.lua gd run -o . >/dev/null 2>err.txt || { echo "plugin_faults: the good lesson failed: $(cat err.txt)"; exit 1; }
cp fig.png old.png
check() { # check CASE: old figure intact, no temporary
    cmp -s fig.png old.png || fail "$1: fig.png changed"
    ls -A | grep -q gdlab-tmp && { fail "$1: temporary left: $(ls -A | grep gdlab-tmp)"; rm -f .*gdlab-tmp; }
}

for mode in run sweep; do
    # a sweep's workers call exit() at once; a race between them showed in a few runs of ten
    for _ in $(seq $([ $mode = sweep ] && echo 10 || echo 1)); do
        timeout 20 "$GDLAB" lesson.lua exit_step $mode -o . >/dev/null 2>err.txt
        rc=$?
        [ "$rc" = 3 ] || fail "exit() in a $mode: exit status $rc, expected the plugin's 3: $(grep -v 'warning: plugin' err.txt | head -c 300)"
        check "exit() in a $mode"
    done
    timeout 20 "$GDLAB" lesson.lua crash_step $mode -o . >/dev/null 2>err.txt
    rc=$?
    [ "$rc" -gt 128 ] && [ "$rc" != 137 ] || fail "crash in a $mode: exit status $rc"
    grep -q "inside the optimizer 'crash_step'" err.txt && grep -q "in its step function" err.txt ||
        fail "crash in a $mode: the message does not name plugin and call: $(head -c 300 err.txt)"
    check "crash in a $mode"
done
for sig in TERM INT HUP; do
    rm -f ready
    timeout 30 "$GDLAB" lesson.lua loop_step sweep -o . >/dev/null 2>err.txt &
    pid=$!
    for _ in $(seq 100); do [ -e ready ] && break; sleep 0.1; done
    sleep 0.5 # inside the sweep's endless steps
    t0=$SECONDS
    kill -$sig $(pgrep -P $pid) 2>/dev/null # gdlab itself (timeout is its parent)
    wait $pid
    rc=$?
    [ "$rc" = $((128 + $(kill -l $sig))) ] || fail "endless step, SIG$sig: exit status $rc"
    [ $((SECONDS - t0)) -le 2 ] || fail "endless step, SIG$sig: took $((SECONDS - t0)) s"
    check "endless step, SIG$sig"
done
echo "plugin_faults: $failures failed"
[ "$failures" = 0 ]
