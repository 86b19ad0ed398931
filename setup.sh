#!/bin/sh
# SPDX-License-Identifier: MIT
# setup.sh — everything from a fresh Debian 12 machine to a result, in one command.
#   ./setup.sh lesson   install what is missing, build, render the flagship lesson into out/ravine/
#   ./setup.sh test     install what is missing, build, run the whole test suite
#   ./setup.sh build    install what is missing and build (into build/)
#   ./setup.sh sanitize the test suite again, built with AddressSanitizer and UBSan (build-sanitize/)
set -eu
cd "$(dirname "$0")"

# Debian 12 packages gdlab needs to build and test: the toolchain, Lua 5.4, PLplot with its cairo
# drivers, cairo's headers (pscairo/epscairo figures make their cairo PostScript surface themselves),
# libpng (figure tests decode PNGs), a font with Greek and arrows, clang with its
# libFuzzer runtime (the formula fuzz test), OpenSSL's libcrypto (SHA-256 of formula cache entries),
# FFmpeg's libraries (MP4 and WebM animations), and passwd (useradd: the loader tests create a second
# user). Tests read gdlab's files with programs that are not gdlab: poppler-utils (pdfinfo),
# libxml2-utils (xmllint), ghostscript, file, ffmpeg/ffprobe, Debian's Python with pandas and PIL,
# gnuplot; they watch processes with procps (ps) and drive a pseudo-terminal with script(1) (bsdutils).
# Open MPI (libopenmpi-dev, openmpi-bin with its mpirun) builds the gdlab command with sweeps over MPI
# ranks and runs tests/mpi; without it gdlab builds the same, without them (docs/mpi.md).
PACKAGES="cmake make gcc pkg-config liblua5.4-dev lua5.4 libplplot-dev plplot-driver-cairo
libcairo2-dev libpng-dev fonts-dejavu-core clang libclang-rt-14-dev libssl-dev passwd
libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
poppler-utils libxml2-utils ghostscript file procps ffmpeg python3-pandas python3-pil gnuplot-nox bsdutils
libopenmpi-dev openmpi-bin"

# Windows (xcairo, xwin; core/figure/window.c) need Xlib (libx11-dev) and PLplot's xwin driver; their
# tests (tests/windows) run a private X server with a reader's keys and clicks: xvfb, xauth, xdotool,
# x11-utils (xwininfo), openbox and wmctrl (a window manager's close button), imagemagick
# (screenshots), and fig2dev checks xfig files.
PACKAGES="$PACKAGES libx11-dev plplot-driver-xwin xvfb xauth xdotool x11-utils openbox wmctrl imagemagick fig2dev"

# The packaging tests (tests/install/): man and groff render the man pages, dpkg-dev (dpkg-shlibdeps)
# and file make and check the .deb, lintian judges it, luarocks builds the rock.
PACKAGES="$PACKAGES man-db groff-base dpkg-dev file lintian luarocks"

install_missing() {
    missing=""
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    echo "setup.sh: installing Debian packages:$missing"
    if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
        echo "setup.sh: need root to install:$missing" >&2; exit 1
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

build() { # build [DIR [CMAKE OPTIONS...]]
    install_missing
    dir=${1:-build}
    [ $# -gt 0 ] && shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j"$(nproc)"
}

case "${1:-}" in
lesson)
    build
    rm -rf out/ravine
    ./build/gdlab scripts/lessons/ravine.lua -o out/ravine
    echo "setup.sh: figures written to out/ravine/:"
    ls -l out/ravine
    ;;
test)
    build
    ctest --test-dir build --output-on-failure -j"$(nproc)"
    ;;
build)
    build
    ;;
sanitize)
    build build-sanitize -DGDLAB_SANITIZE=ON
    # system libraries (fontconfig, PLplot's drivers) keep caches until exit: tests/lsan.supp
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
        ctest --test-dir build-sanitize --output-on-failure -j"$(nproc)"
    ;;
*)
    echo "usage: ./setup.sh lesson | test | build | sanitize" >&2
    exit 2
    ;;
esac
