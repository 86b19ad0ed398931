#!/bin/sh
# setup.sh — everything from a fresh Debian 12 machine to a result, in one command.
#   ./setup.sh lesson   install what is missing, build, render the flagship lesson into out/ravine/
#   ./setup.sh test     install what is missing, build, run the whole test suite
#   ./setup.sh build    install what is missing and build (into build/)
set -eu
cd "$(dirname "$0")"

# Debian 12 packages gdlab needs to build and test: the toolchain, Lua 5.4, PLplot with its cairo
# drivers, libpng (figure tests decode PNGs), a font with Greek and arrows, and clang with its
# libFuzzer runtime (the formula fuzz test).
PACKAGES="cmake make gcc pkg-config liblua5.4-dev lua5.4 libplplot-dev plplot-driver-cairo
libpng-dev fonts-dejavu-core clang libclang-rt-14-dev"

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

build() {
    install_missing
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$(nproc)"
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
*)
    echo "usage: ./setup.sh lesson | test | build" >&2
    exit 2
    ;;
esac
