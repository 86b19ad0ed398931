#!/bin/sh
# SPDX-License-Identifier: MIT
# Make new reference images for the image comparison tests: a deliberate act. Renders every lesson
# (or the lessons named) with the built gdlab, reduces each PNG with figcompare and writes it to
# tests/figures/reference/. Look at every figure that changed before committing its reference:
# the reference is what the tests hold later figures to.
#   tests/figures/update_references.sh [BUILD_DIR] [LESSON...]      (BUILD_DIR default: build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build=$root/$build ;; esac
for tool in "$build/gdlab" "$build/figcompare"; do
    if [ ! -x "$tool" ]; then
        echo "update_references: $tool is missing; build first (cmake --build $build)" >&2
        exit 2
    fi
done
if [ $# -eq 0 ]; then
    set -- $(cd "$root/scripts/lessons" && ls *.lua | sed 's/\.lua$//')
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$root/tests/figures/reference"
cd "$root"
for lesson in "$@"; do
    if [ ! -f "scripts/lessons/$lesson.lua" ]; then
        echo "update_references: no lesson scripts/lessons/$lesson.lua" >&2
        exit 2
    fi
    "$build/gdlab" "scripts/lessons/$lesson.lua" -o "$out/$lesson" >/dev/null
    for png in "$out/$lesson"/*.png; do
        [ -e "$png" ] || continue
        name=$(basename "$png" .png)
        "$build/figcompare" reduce "$png" "tests/figures/reference/$name.png"
        echo "reference: tests/figures/reference/$name.png (from $lesson)"
    done
done
echo "update_references: review the changed references (git status, git diff --stat, look at them) before committing"
