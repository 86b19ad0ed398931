#!/bin/bash
# SPDX-License-Identifier: MIT
# output_faults.sh GDLAB SRCDIR [LUA_MODULE_DIR] — fault injection for every file gdlab writes
# (docs/reliability.md, "Output files and signals"). For every PLplot file device gdlab lists, a good
# figure is written and checked by a tool that is not gdlab; then the same file is written again while
#   (a) `ulimit -f` is smaller than the figure (and smaller than its last kilobyte),
#   (b) SIGINT, SIGTERM, SIGHUP arrive with the figure open, during a sweep, during an animation and
#       during a formula's compile (a fake compiler that waits, with a child of its own),
#   (c) the target is a FIFO, a symbolic link (followed), a dangling link, a folder, a file in a folder
#       gdlab may not write, a name with '%n' (PLplot's family token: must stay literal), "-";
#   books (three pages on every multi-page device) get the size limit and the signals too;
#   (d) the disk is full (a small tmpfs, where this machine lets us mount one; else skipped, with why);
#   (e) /tmp is full (a private mount namespace; else skipped, with why).
# After each: the exit status, the message (naming the file), the old file byte for byte (cmp), no
# temporary left in the folder, and killed children gone. Bash for `set -m`: background jobs of a
# script without job control start with SIGINT ignored, and gdlab rightly keeps it ignored then.
set -u
set -m
GDLAB=$1
SRC=$2
MODULE_DIR=${3:-}
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-faults.XXXXXX")
chmod 755 "$W" # the unwritable-folder case runs as another user, who must reach its files
trap 'umount "$W/small" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
export GDLAB_NATIVE=0 # no formula compiles unless a case asks for one (they would write to the cache)
export XDG_CACHE_HOME=$W/cache
# In a sanitizer build: no leak report at exit. A write error PLplot treats as fatal (the pdf and xfig
# drivers) abandons its stream with its memory, by design (core/figure/guard.c); the process ends next.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
failures=0
checks=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# --- independent checks of a finished file ----------------------------------------------------------
need() { command -v "$1" >/dev/null || { echo "output_faults: '$1' is missing (./setup.sh installs it)"; exit 1; }; }
need pdfinfo; need xmllint; need gs; need file; need cmp
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import PIL" 2>/dev/null ||
    { echo "output_faults: Debian's python3-pil is missing (./setup.sh installs it)"; exit 1; }

valid() { # valid FILE EXT: 0 when a tool other than gdlab reads it as a whole file of that kind
    case $2 in
    png | gif) /usr/bin/python3 -c "
import sys; from PIL import Image
im = Image.open(sys.argv[1]); n = getattr(im, 'n_frames', 1); im.seek(n - 1); im.load()
assert im.size[0] > 0 and n >= 1" "$1" 2>/dev/null ;;
    svg) xmllint --noout "$1" 2>/dev/null ;;
    pdf) pdfinfo "$1" >/dev/null 2>&1 ;;
    ps | eps) [ -z "$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage "$1" 2>&1 </dev/null)" ] ;;
    fig) file "$1" | grep -q "FIG image text" && tail -c 200 "$1" | grep -q . ;;
    *) return 1 ;;
    esac
}

no_temps() { # no_temps DIR CASE
    local left
    left=$(ls -A "$1" | grep 'gdlab-tmp' || true)
    if [ -n "$left" ]; then fail "$2: temporary left in $1: $left"; rm -f "$1"/.*gdlab-tmp; else ok; fi
}

intact() { # intact FILE COPY CASE
    if cmp -s "$1" "$2"; then ok; else fail "$3: $1 changed (or vanished) although the new one failed"; fi
}

# run CASE EXPECTED_RC MESSAGE_PART -- COMMAND...: exit status and message (stderr) checked
run() {
    local name=$1 want=$2 msg=$3
    shift 4
    "$@" >out.txt 2>err.txt
    local rc=$?
    if [ "$rc" != "$want" ]; then fail "$name: exit status $rc, expected $want; stderr: $(head -c 400 err.txt)"
    else ok; fi
    if [ -n "$msg" ] && ! grep -qF -- "$msg" err.txt; then fail "$name: message lacks '$msg': $(head -c 400 err.txt)"
    else ok; fi
}

DRAW=$SRC/draw.lua
mapfile -t DEVICES < <("$GDLAB" --devices | awk 'NR > 1 && $2 != "window" {print $1 " " $2}')
[ ${#DEVICES[@]} -ge 5 ] || { echo "output_faults: only ${#DEVICES[@]} file devices: ${DEVICES[*]}"; exit 1; }

# --- wait for a script to reach its moment, kill it, check what is left ---------------------------
wait_for() { # wait_for FILE: up to 60 s
    for _ in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.1; done
    return 1
}
gone() { # gone PID: not running (a zombie waiting for a parent that does not reap counts as gone)
    local st
    st=$(ps -o stat= -p "$1" 2>/dev/null)
    [ -z "$st" ] || [ "${st#Z}" != "$st" ]
}

signal_case() { # signal_case SIG HOLD TARGET EXT DEVICE
    local sig=$1 hold=$2 target=$3 ext=$4 device=$5 name="$5 $2 SIG$1"
    local want
    want=$((128 + $(kill -l "$sig")))
    rm -f ready pids
    cp "$target" old.copy
    GDLAB_NATIVE=$([ "$hold" = compile ] && echo 1 || echo 0) GDLAB_CC=$SRC/slow_cc.sh SLOW_CC_PIDS=$W/pids \
        "$GDLAB" "$DRAW" "$target" "$device" "signal title" "$hold" "$W/ready" >out.txt 2>err.txt &
    local pid=$!
    if ! wait_for "$([ "$hold" = compile ] && echo pids || echo ready)"; then
        fail "$name: the script never reached its moment: $(head -c 400 err.txt)"
        kill -KILL $pid; wait $pid 2>/dev/null
        return
    fi
    sleep 0.2 # well inside the moment: drawing, sweeping, compiling
    if [ -z "$(ls -A . | grep gdlab-tmp)" ]; then fail "$name: no temporary while writing: not the moment meant"
    else ok; fi
    local t0=$SECONDS
    kill -"$sig" $pid
    wait $pid 2>/dev/null
    local rc=$?
    [ "$rc" = "$want" ] && ok || fail "$name: exit status $rc, expected $want; $(head -c 300 err.txt)"
    [ $((SECONDS - t0)) -le 2 ] && ok || fail "$name: took $((SECONDS - t0)) s to stop"
    intact "$target" old.copy "$name"
    no_temps . "$name"
    if [ "$hold" = compile ]; then
        local cc child
        read -r cc child <pids
        gone "$cc" && ok || fail "$name: the compiler ($cc) still runs"
        gone "$child" && ok || { fail "$name: the compiler's child ($child) still runs"; kill -KILL "$child"; }
        local work
        work=$(ls -A "$XDG_CACHE_HOME/gdlab" 2>/dev/null | grep '^tmp-' || true)
        [ -z "$work" ] && ok || fail "$name: the compiler's work folder is left in the cache: $work"
    fi
}

# --- every file device ------------------------------------------------------------------------------
for entry in "${DEVICES[@]}"; do
    read -r dev ext <<<"$entry"
    f=fig.$ext
    rm -f "$f"
    run "$dev good" 0 "" -- "$GDLAB" "$DRAW" "$f" "$dev" "first title"
    if ! valid "$f" "$ext"; then fail "$dev: the good figure $f is not a valid $ext file"; continue; fi
    ok
    cp "$f" good.copy
    size_kb=$((($(stat -c %s "$f") + 1023) / 1024))

    # (a) file size limits: at 2 KiB, and within the last kilobyte of the figure
    for limit in 2 $((size_kb - 1)); do
        name="$dev ulimit -f $limit"
        title=$([ "$limit" = 2 ] && echo "other title" || echo "first title") # the same size as the old
        # in a sanitizer build, a memory error found in a library (see below) aborts, so the crash cleanup runs
        { (ulimit -f "$limit" && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1 \
               exec "$GDLAB" "$DRAW" "$f" "$dev" "$title") >out.txt 2>err.txt; } 2>/dev/null
        rc=$?
        if [ "$rc" = 1 ] && grep -qF "'$f'" err.txt && grep -q "File too large" err.txt; then ok
        else fail "$name: exit status $rc, expected 1 with 'File too large' naming '$f': $(head -c 400 err.txt)"; fi
        intact "$f" good.copy "$name"
        no_temps . "$name"
    done

    # (b) signals with the figure open
    for sig in INT TERM HUP; do signal_case $sig figure "$f" "$ext" "$dev"; done

    # (c) targets that are not plain files
    rm -f fifo.$ext && mkfifo fifo.$ext
    run "$dev FIFO" 1 "it is a FIFO" -- timeout 20 "$GDLAB" "$DRAW" fifo.$ext "$dev" t
    [ -p fifo.$ext ] && ok || fail "$dev FIFO: the FIFO was replaced"
    rm -rf folder.$ext && mkdir folder.$ext
    run "$dev folder" 1 "it is a folder" -- "$GDLAB" "$DRAW" folder.$ext "$dev" t
    rm -f dangling.$ext && ln -s nowhere/x.$ext dangling.$ext
    run "$dev dangling link" 1 "symbolic link to a file that cannot be reached" -- \
        "$GDLAB" "$DRAW" dangling.$ext "$dev" t
    mkdir -p real && cp good.copy real/linked.$ext && rm -f link.$ext && ln -s real/linked.$ext link.$ext
    run "$dev symlink" 0 "" -- "$GDLAB" "$DRAW" link.$ext "$dev" "through a link"
    if [ -L link.$ext ] && valid real/linked.$ext "$ext" && ! cmp -s real/linked.$ext good.copy; then ok
    else fail "$dev symlink: the link should stay and its target get the new figure"; fi
    no_temps real "$dev symlink"
    rm -f 'pct%n.'$ext
    run "$dev %n" 0 "" -- "$GDLAB" "$DRAW" "pct%n.$ext" "$dev" t
    [ -f "pct%n.$ext" ] && valid "pct%n.$ext" "$ext" && ok || fail "$dev %n: 'pct%n.$ext' not written literally"
    ls | grep -q '^pct\.' && fail "$dev %n: PLplot's family name was used" || ok
    no_temps . "$dev targets"
done

# books: three pages in one file on every multi-page file device; a size limit and each signal with
# the book open after two pages leave the old book as it was
pages() { # pages FILE EXT: the page count another tool sees
    case $2 in
    pdf) pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}' ;;
    *) valid "$1" ps && grep -c '^%%Page:' "$1" ;;
    esac
}
mapfile -t BOOK_DEVICES < <("$GDLAB" --devices | awk 'NR > 1 && $2 != "window" && $3 == "many" {print $1 " " $2}')
for entry in "${BOOK_DEVICES[@]}"; do
    read -r dev ext <<<"$entry"
    f=book.$ext
    run "$dev book" 0 "" -- "$GDLAB" "$SRC/book.lua" "$f" "$dev" "first"
    [ "$(pages "$f" "$ext")" = 3 ] && ok || fail "$dev book: $f does not hold 3 pages ($(pages "$f" "$ext"))"
    cp "$f" book.copy
    { (ulimit -f 2 && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1 \
           exec "$GDLAB" "$SRC/book.lua" "$f" "$dev" "other") >out.txt 2>err.txt; } 2>/dev/null
    rc=$?
    if [ "$rc" = 1 ] && grep -qF "'$f'" err.txt && grep -q "File too large" err.txt; then ok
    else fail "$dev book ulimit: exit status $rc: $(head -c 300 err.txt)"; fi
    intact "$f" book.copy "$dev book ulimit"
    no_temps . "$dev book ulimit"
    for sig in INT TERM HUP; do
        rm -f ready
        "$GDLAB" "$SRC/book.lua" "$f" "$dev" "signal" hold "$W/ready" >out.txt 2>err.txt &
        pid=$!
        if wait_for ready; then
            kill -$sig $pid
            wait $pid 2>/dev/null
            rc=$?
            [ "$rc" = $((128 + $(kill -l $sig))) ] && ok || fail "$dev book SIG$sig: exit status $rc"
        else
            fail "$dev book SIG$sig: never ready: $(head -c 300 err.txt)"
            kill -KILL $pid
        fi
        intact "$f" book.copy "$dev book SIG$sig"
        no_temps . "$dev book SIG$sig"
    done
done
[ ${#BOOK_DEVICES[@]} -ge 3 ] && ok || fail "only ${#BOOK_DEVICES[@]} multi-page devices: ${BOOK_DEVICES[*]}"

# unwritable folder: a user who may not write there (root may write anywhere, so run as nobody)
mkdir -p locked && cp fig.png locked/fig.png && chmod 555 locked
if [ "$(id -u)" = 0 ]; then as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"; else as_user=""; fi
if [ "$(id -u)" != 0 ] || command -v setpriv >/dev/null; then
    cp locked/fig.png locked.copy
    run "unwritable folder" 1 "cannot create a file in its folder 'locked': Permission denied" -- \
        env HOME=/nonexistent $as_user "$GDLAB" "$DRAW" locked/fig.png pngcairo t
    intact locked/fig.png locked.copy "unwritable folder"
else echo "skipped: unwritable folder (root without setpriv cannot be refused a write)"; fi
chmod 755 locked

# "-": standard output when it is not a terminal (here a file), checked whole
"$GDLAB" "$DRAW" - svgcairo t >stdout.svg 2>err.txt && head -n -1 stdout.svg >stdout_only.svg
if xmllint --noout stdout_only.svg 2>/dev/null; then ok; else fail "'-': standard output is not a whole SVG"; fi

# (b) signals at the other moments: a sweep (C threads), an animation, a formula compile
printf 'local gd = require "gdlab"\nlocal a = gd.animation{file = "anim.gif", size = {100, 80}}\n%s\n%s\n' \
    'for i = 1, 3 do a:frame{title = tostring(i)} end' 'a:close()' >anim3.lua
run "animation good" 0 "" -- "$GDLAB" anim3.lua
valid anim.gif gif && ok || fail "animation: anim.gif is not a valid GIF"
for sig in INT TERM HUP; do
    signal_case $sig sweep fig.png png pngcairo
    signal_case $sig animation anim.gif gif pngcairo
    signal_case $sig compile fig.png png pngcairo
done

# a 0-frame animation is an error and leaves the old GIF alone
cp anim.gif anim.copy
printf 'local gd = require "gdlab"\nlocal a = gd.animation{file = "anim.gif"}\na:close()\n' >anim0.lua
run "0-frame animation" 1 "has no frames" -- "$GDLAB" anim0.lua
intact anim.gif anim.copy "0-frame animation"
no_temps . "0-frame animation"

# two figures with one path in one process: the second is refused while the first is open
cat >twice.lua <<'EOF'
local gd = require "gdlab"
local a = gd.figure{file = "twice.png", size = {200, 150}}
local ok, err = pcall(gd.figure, {file = "./twice.png", size = {200, 150}})
assert(not ok and err:find("another open figure is writing the same file", 1, true), err)
a:text{text = "first"}
a:close()
local b = gd.figure{file = "twice.png", size = {200, 150}} -- closed: the path is free again
b:close()
EOF
run "same path twice" 0 "" -- "$GDLAB" twice.lua
valid twice.png png && ok || fail "same path twice: twice.png is not a valid PNG"

# two processes on one path: each writes a whole file, the last rename wins, never a mixture
"$GDLAB" "$DRAW" ref-a.png pngcairo "process A" >/dev/null 2>&1
"$GDLAB" "$DRAW" ref-b.png pngcairo "process B" >/dev/null 2>&1
for round in 1 2 3 4 5; do
    "$GDLAB" "$DRAW" same.png pngcairo "process A" >/dev/null 2>&1 &
    a=$!
    "$GDLAB" "$DRAW" same.png pngcairo "process B" >/dev/null 2>&1 &
    b=$!
    wait $a 2>/dev/null; ra=$?
    wait $b 2>/dev/null; rb=$?
    if [ "$ra$rb" = 00 ] && { cmp -s same.png ref-a.png || cmp -s same.png ref-b.png; }; then ok
    else fail "two processes, round $round: exit $ra/$rb, same.png is neither A's figure nor B's"; fi
done
no_temps . "two processes"

# names that cannot be written as given
run "-o empty" 2 "-o needs a value, not an empty string" -- "$GDLAB" "$DRAW" x.png pngcairo t -o ""
run "file empty" 1 "file must be a file name, not an empty string" -- "$GDLAB" "$DRAW" "" pngcairo t
long=$(printf 'd%.0s' $(seq 1100))
run "long path" 1 "bytes long, more than the 1023 allowed" -- "$GDLAB" "$DRAW" "$long.png" pngcairo t

# (d) a full disk: a 1 MiB tmpfs (root only; skipped with the reason elsewhere)
mkdir -p small
if mount -t tmpfs -o size=1m tmpfs small 2>mount.err; then
    "$GDLAB" "$DRAW" small/fig.png pngcairo t >/dev/null 2>&1 && cp small/fig.png small.copy
    head -c 2000000 /dev/zero >small/filler 2>/dev/null # fills it, leaving less than a figure
    run "disk full" 1 "No space left on device" -- "$GDLAB" "$DRAW" small/fig.png pngcairo "other title"
    intact small/fig.png small.copy "disk full"
    no_temps small "disk full"
    umount small
else
    echo "skipped: disk full on a small tmpfs: cannot mount one here ($(head -c 200 mount.err))"
fi

# (e) a full /tmp. cairo's PostScript surface keeps its pages in a file of its own there (tmpfile(),
# which ignores TMPDIR; core/figure/pscairo.c). In a private mount namespace a 16 KiB tmpfs, filled,
# covers /tmp (root only; skipped with the reason elsewhere); PLplot, which lists its drivers through
# a temporary file in $TMPDIR, gets a folder of its own. Every file device writes either a valid new
# file, or exits 1 with "No space left on device" naming the file and leaves the old one; pscairo and
# epscairo must fail so (their pages go through /tmp), as must a pscairo book; no temporary is left.
# Then PLplot's folder is /tmp too: gdlab says PLplot could not list its drivers, and why.
full_tmp() { # full_tmp COMMAND...: COMMAND with a full /tmp, in this folder ($W stays reachable as such)
    TMPDIR=plplot-tmp unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs /tmp &&
        { head -c 100000 /dev/zero >/tmp/fill; } 2>/dev/null; exec "$@"' full_tmp "$@"
}
mkdir -p plplot-tmp
case "$GDLAB $SRC" in
/tmp/*) why="gdlab or its tests lie under /tmp, which the test covers" ;;
*) unshare -m sh -c 'mount -t tmpfs -o size=16k tmpfs /tmp' 2>unshare.err && why="" ||
       why="no private mount namespace here ($(head -c 200 unshare.err))" ;;
esac
if [ -z "$why" ]; then
    tmp_case() { # tmp_case NAME MUST_FAIL FILE SCRIPT DEVICE
        local name=$1 must=$2 f=$3 script=$4 dev=$5
        "$GDLAB" "$script" "$f" "$dev" "first" >/dev/null 2>&1 && cp "$f" tmpfull.copy
        full_tmp "$GDLAB" "$script" "$f" "$dev" "other title" >out.txt 2>err.txt
        local rc=$?
        if [ "$rc" = 0 ] && [ "$must" = 0 ] && valid "$f" "${f##*.}"; then ok
        elif [ "$rc" = 1 ] && grep -qF "'$f'" err.txt && grep -q "No space left on device" err.txt; then
            ok
            intact "$f" tmpfull.copy "$name"
        else fail "$name: exit status $rc, expected $([ "$must" = 1 ] || echo "0 or ")1 with 'No space left on device' naming '$f': $(head -c 400 err.txt)"; fi
        no_temps . "$name"
    }
    for entry in "${DEVICES[@]}"; do
        read -r dev ext <<<"$entry"
        case $dev in pscairo | epscairo) must=1 ;; *) must=0 ;; esac
        tmp_case "$dev /tmp full" $must "tmpfull.$ext" "$DRAW" "$dev"
    done
    tmp_case "pscairo book /tmp full" 1 tmpbook.ps "$SRC/book.lua" pscairo
    # PLplot's own list of drivers, in a full /tmp too: a clear refusal before any file is touched
    cp tmpfull.png tmpfull.copy
    full_tmp env -u TMPDIR "$GDLAB" "$DRAW" tmpfull.png pngcairo t >out.txt 2>err.txt
    rc=$?
    if [ "$rc" = 1 ] && grep -qF "cannot use device 'pngcairo': PLplot could not list its device drivers" err.txt &&
        grep -qF "temporary file in TMPDIR, else /tmp: is that folder full or not writable?" err.txt; then ok
    else fail "PLplot's driver list with /tmp full: exit status $rc: $(head -c 400 err.txt)"; fi
    intact tmpfull.png tmpfull.copy "PLplot's driver list with /tmp full"
else
    echo "skipped: a full /tmp: $why"
fi

# the Lua module in a stock lua5.4: SIGTERM with a figure open leaves no temporary, the old file intact
if [ -n "$MODULE_DIR" ] && command -v lua5.4 >/dev/null; then
    cp fig.png lua.copy
    rm -f ready
    # a sanitizer build's module needs its runtime loaded first into the uninstrumented lua5.4
    asan=$(ldd "$MODULE_DIR/gdlab.so" 2>/dev/null | awk '/libasan/ {print $3}')
    LD_PRELOAD=$asan LUA_CPATH="$MODULE_DIR/?.so;;" lua5.4 "$DRAW" fig.png pngcairo t figure "$W/ready" \
        >out.txt 2>err.txt &
    pid=$!
    if wait_for ready; then
        kill -TERM $pid
        wait $pid 2>/dev/null
        rc=$?
        [ "$rc" = 143 ] && ok || fail "lua5.4 SIGTERM: exit status $rc, expected 143"
        intact fig.png lua.copy "lua5.4 SIGTERM"
        no_temps . "lua5.4 SIGTERM"
    else
        fail "lua5.4: the script never got ready: $(head -c 300 err.txt)"
        kill -KILL $pid
    fi
fi

echo "output_faults: ${#DEVICES[@]} file devices (${DEVICES[*]}), $checks checks passed, $failures failed"
[ "$failures" = 0 ]
