#!/bin/bash
# SPDX-License-Identifier: MIT
# device_messages.sh GDLAB — what a careless user meets with devices, each a single clear line that
# names the culprit, and a non-zero exit (docs/reliability.md, "Devices"): an unknown device (the
# message lists the valid ones), a window device with no display or a display nobody answers, "-" on
# a terminal, a folder, a FIFO or a missing folder as the file, a window device given a file, PLplot's
# drivers folder missing or empty, and a driver that cannot be loaded. Through gd.figure, gd.book,
# gd.animation, raw pl.sdev/pl.sfnam/pl.init and the command line. And a file named for another
# device's files ("x.png" on pdf): refused, or under -dev given the device's extension. After each: gdlab's line is the
# first on stderr (nothing of PLplot's before it: "*** PLPLOT ERROR", "Can't open", "Unable to load
# driver"), and no file was written where none should be.
set -u
GDLAB=$1
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/gdlab-devmsg.XXXXXX")
trap 'stop_x 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
unset WAYLAND_DISPLAY
failures=0 checks=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# lua NAME CODE: a script file NAME.lua holding CODE, with gd and pl ready
lua() { printf 'local gd = require "gdlab"\nlocal pl = gd.pl\n%s\n' "$2" >"$1.lua"; }

# expect NAME STATUS PIECE... -- COMMAND...: COMMAND exits STATUS; the first line on stderr is gdlab's
# and holds every PIECE; nothing of PLplot's anywhere on stderr
expect() {
    local name=$1 status=$2
    shift 2
    local pieces=()
    while [ "$1" != -- ]; do pieces+=("$1"); shift; done
    shift
    timeout 30 "$@" </dev/null >out.txt 2>err.txt
    local rc=$? first
    first=$(head -n 1 err.txt)
    checks=$((checks + 1))
    [ "$rc" = "$status" ] || { fail "$name: exit status $rc, expected $status: $(head -c 300 err.txt)"; return; }
    case $first in gdlab:*) ;; *) [ "$status" = 0 ] || { fail "$name: the first line on stderr is not gdlab's: $first"; return; } ;; esac
    local p
    for p in "${pieces[@]}"; do
        [[ $first == *"$p"* ]] || { fail "$name: the message lacks \"$p\": $first"; return; }
    done
    if grep -qE "PLPLOT (ERROR|WARNING)|Can't open|Unable to load driver|Too many tries" err.txt; then
        fail "$name: PLplot's own words on stderr: $(grep -m1 -E "PLPLOT (ERROR|WARN)|Can't open|Unable to load|Too many" err.txt)"
        return
    fi
    echo "ok: $name: $first"
}

# --- an unknown device: the message lists the valid ones ---------------------------------------------
lua unknown_figure 'gd.figure{device = "nonsense", file = "x.png"}'
expect "gd.figure, unknown device" 1 "unknown_figure.lua:3: gd.figure: unknown device 'nonsense'; available:" \
    "pngcairo" "pdfcairo" -- "$GDLAB" unknown_figure.lua
lua unknown_book 'gd.book{device = "nonsense", file = "x.pdf"}'
expect "gd.book, unknown device" 1 "unknown_book.lua:3: gd.book: unknown device 'nonsense'; available:" "pdfcairo" \
    -- "$GDLAB" unknown_book.lua
lua unknown_anim 'gd.output.device = "nonsense"
gd.animation{file = "x.gif"}'
expect "gd.animation, unknown gd.output.device" 1 \
    "unknown_anim.lua:4: gd.animation: gd.output.device: unknown device 'nonsense'; available:" "pngcairo" \
    -- "$GDLAB" unknown_anim.lua
[ -e x.gif ] && fail "gd.animation with an unknown device wrote x.gif"
lua unknown_raw 'pl.sdev("nonsense")'
expect "pl.sdev, unknown device" 1 "unknown_raw.lua:3: pl.sdev: unknown device 'nonsense'; available:" "pngcairo" \
    -- "$GDLAB" unknown_raw.lua
lua one 'local fig = gd.figure{name = "one", size = {200, 150}}
fig:close()'
expect "-dev nonsense" 2 "unknown device 'nonsense'; available:" "pngcairo" -- "$GDLAB" -dev nonsense one.lua

# --- window devices without a display, and with a display nobody answers ------------------------------
for dev in xcairo xwin; do
    "$GDLAB" --devices | grep -q "^$dev " || { echo "skipped: $dev is not installed"; continue; }
    lua "win_$dev" "gd.figure{device = \"$dev\"}"
    lua "anim_$dev" "gd.output.device = \"$dev\"
gd.animation{}"
    lua "raw_$dev" "pl.sdev(\"$dev\")"
    for d in unset :4093; do # no X server listens on display 4093
        if [ $d = unset ]; then run=(env -u DISPLAY "$GDLAB") want="device '$dev' opens a window but there is no display (DISPLAY is not set)"
        else run=(env DISPLAY=$d "$GDLAB") want="device '$dev' cannot open X display '$d' for its window"; fi
        expect "gd.figure on $dev, DISPLAY $d" 1 "win_$dev.lua:3: gd.figure: $want" -- "${run[@]}" "win_$dev.lua"
        expect "gd.animation on $dev, DISPLAY $d" 1 "anim_$dev.lua:4: gd.animation: $want" -- "${run[@]}" "anim_$dev.lua"
        expect "pl.sdev on $dev, DISPLAY $d" 1 "raw_$dev.lua:3: pl.sdev: $want" -- "${run[@]}" "raw_$dev.lua"
    done
done

# --- a window device given a file ---------------------------------------------------------------------
lua win_file 'gd.figure{device = "xcairo", file = "win.png"}'
expect "gd.figure on xcairo with a file" 1 \
    "win_file.lua:3: gd.figure: device 'xcairo' opens a window and writes no file, but file = 'win.png' was given" \
    -- "$GDLAB" win_file.lua
[ -e win.png ] && fail "a window figure given a file wrote it"
# pl.sdev needs the X server to answer: a private one, when the window tests' Xvfb is there
if command -v Xvfb >/dev/null && command -v xwininfo >/dev/null && command -v xdotool >/dev/null; then
    . "$HERE/../windows/xvfb.sh"
    start_x
    lua raw_win_file 'pl.sdev("xwin")
pl.sfnam("win.png")
pl.init()'
    expect "pl.init on xwin with pl.sfnam" 1 \
        "raw_win_file.lua:5: pl.init: device 'xwin' opens a window and writes no file, but pl.sfnam named 'win.png'" \
        -- "$GDLAB" raw_win_file.lua
    stop_x
    unset DISPLAY
else
    echo "skipped: pl.init on a window device with a file: no Xvfb"
fi

# --- "-", a folder, a FIFO, a missing folder as the file ---------------------------------------------
mkdir folder
mkfifo fifo
for dev in pngcairo pdf; do
    lua "raw_folder_$dev" "pl.sdev(\"$dev\")
pl.sfnam(\"folder\")
pl.init()"
    expect "pl.init on $dev into a folder" 1 \
        "raw_folder_$dev.lua:5: pl.init: cannot write 'folder' (pl.sfnam): it is a folder; PLplot writes only regular files" \
        -- "$GDLAB" "raw_folder_$dev.lua"
done
lua raw_fifo 'pl.sdev("ps")
pl.sfnam("fifo")
pl.init()'
expect "pl.init on ps into a FIFO" 1 "raw_fifo.lua:5: pl.init: cannot write 'fifo' (pl.sfnam): it is a FIFO (named pipe)" \
    -- "$GDLAB" raw_fifo.lua
lua raw_nodir 'pl.sdev("pdf")
pl.sfnam("nodir/x.pdf")
pl.init()'
expect "pl.init on pdf into a missing folder" 1 \
    "raw_nodir.lua:5: pl.init: cannot write 'nodir/x.pdf' (pl.sfnam): its folder 'nodir' does not exist" \
    -- "$GDLAB" raw_nodir.lua
ls -A | grep -q -- "^folder-" && fail "pl.init into a folder left $(ls -A | grep -- '^folder-')"
lua fig_folder 'gd.figure{device = "pdf", file = "folder"}'
expect "gd.figure on pdf into a folder" 1 "fig_folder.lua:3: gd.figure: cannot write figure 'folder': it is a folder" \
    -- "$GDLAB" fig_folder.lua
lua book_folder 'gd.book{device = "pdfcairo", file = "folder"}'
expect "gd.book into a folder" 1 "book_folder.lua:3: gd.book: cannot write book 'folder': it is a folder" \
    -- "$GDLAB" book_folder.lua
# "-" is standard output: into a pipe it is the figure, on a terminal it is refused
lua raw_dash 'pl.sdev("pngcairo")
pl.sfnam("-")
pl.spage(0, 0, 200, 150)
pl.init()
pl.env(0, 1, 0, 1, 0, 0)
pl.plend1()'
checks=$((checks + 1))
if "$GDLAB" raw_dash.lua 2>err.txt | head -c 4 | od -An -c | grep -q "211   P   N   G"; then echo "ok: pl.sfnam('-') into a pipe: a PNG on standard output"
else fail "pl.sfnam('-') into a pipe wrote no PNG on standard output: $(head -c 300 err.txt)"; fi
ls -A | grep -q -- "^-" && fail "pl.sfnam('-') made a file named $(ls -A | grep -- '^-')"
lua fig_dash 'gd.figure{device = "pdf", file = "-"}'
for script in raw_dash fig_dash; do
    checks=$((checks + 1))
    script -qec "$GDLAB $script.lua" /dev/null >tty.txt 2>&1 </dev/null
    rc=$?
    if [ "$rc" = 1 ] && grep -q "cannot write .*'-' (standard output): it is a terminal" tty.txt &&
        ! grep -q "PNG\|%PDF" tty.txt; then echo "ok: $script.lua on a terminal: $(grep -m1 gdlab: tty.txt | tr -d '\r')"
    else fail "$script.lua with a terminal as standard output: exit $rc: $(head -c 300 tty.txt)"; fi
done

# --- a file named for another device's files: refused in the script; under -dev, given the device's own
lua ext_mismatch 'gd.figure{device = "pdf", file = "sub/x.png"}'
expect "gd.figure on pdf into x.png" 1 \
    "ext_mismatch.lua:3: gd.figure: file 'sub/x.png' is named as a .png file, but its device writes .pdf: name it 'sub/x.pdf', or choose a device that writes .png, such as pngcairo" \
    -- "$GDLAB" ext_mismatch.lua
lua ext_dev 'local fig = gd.figure{file = "ext.png", size = {200, 150}}
print(fig:close())'
checks=$((checks + 1))
if [ "$("$GDLAB" -dev pdfcairo ext_dev.lua 2>err.txt)" = ext.pdf ] && [ ! -e ext.png ] &&
    head -c 5 ext.pdf | grep -q "%PDF"; then echo "ok: -dev pdfcairo on a script's ext.png: ext.pdf, a PDF"
else fail "-dev pdfcairo on a script's ext.png: $(ls ext.* 2>&1) $(head -c 300 err.txt)"; fi

# --- PLplot's drivers: a folder that is missing, one without drivers, a driver that cannot be loaded --
lua pdf_figure 'local fig = gd.figure{device = "pdf", file = "fig.pdf", size = {200, 150}}
fig:close()'
expect "PLPLOT_DRV_DIR missing" 1 \
    "pdf_figure.lua:3: gd.figure: cannot use device 'pdf': PLplot could not open its drivers folder $W/none (No such file or directory), named by PLPLOT_DRV_DIR" \
    -- env PLPLOT_DRV_DIR="$W/none" "$GDLAB" pdf_figure.lua
expect "gdlab --devices, PLPLOT_DRV_DIR missing" 1 "gdlab: no devices: PLplot could not open its drivers folder $W/none" \
    -- env PLPLOT_DRV_DIR="$W/none" "$GDLAB" --devices
mkdir empty
expect "PLPLOT_DRV_DIR empty" 1 \
    "pdf_figure.lua:3: gd.figure: cannot use device 'pdf': PLplot found no drivers (*.driver_info files) in its drivers folder $W/empty" \
    -- env PLPLOT_DRV_DIR="$W/empty" "$GDLAB" pdf_figure.lua
# PLplot's own drivers, but pdf.so is not a shared object: dlopen's reason, with the file
drivers=$(pkg-config --variable=drvdir plplot)
if [ -r "$drivers/pdf.driver_info" ]; then
    mkdir drv
    ln -s "$drivers"/* drv/
    rm drv/pdf.so
    echo "not a shared object" >drv/pdf.so
    expect "a driver that cannot be loaded" 1 \
        "pdf_figure.lua:3: gd.figure: figure 'fig.pdf': cannot start PLplot's pdf device: its driver $W/drv/pdf.so could not be loaded ($W/drv/pdf.so: " \
        -- env PLPLOT_DRV_DIR="$W/drv" "$GDLAB" pdf_figure.lua
    [ -e fig.pdf ] && fail "the figure whose driver could not be loaded wrote fig.pdf"
    expect "the same driver folder, another driver" 0 -- env PLPLOT_DRV_DIR="$W/drv" "$GDLAB" one.lua
else
    echo "skipped: a driver that cannot be loaded: no $drivers/pdf.driver_info"
fi

echo "device_messages: $checks cases, $failures failed"
[ "$failures" = 0 ]
