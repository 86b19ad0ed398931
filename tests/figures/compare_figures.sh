#!/bin/sh
# SPDX-License-Identifier: MIT
# Compare figures with their reviewed references (tests/figures/reference/NAME.png), as matplotlib's
# image tests do: RMS of the difference at most a tolerance (figcompare.c). On a failure the path of
# a difference image is printed; a figure that changed on purpose gets a new reference with
# tests/figures/update_references.sh (after looking at it).
#   compare_figures.sh FIGCOMPARE REFERENCE_DIR FIGURE_DIR NAME...
set -u
if [ $# -lt 4 ]; then
    echo "usage: compare_figures.sh FIGCOMPARE REFERENCE_DIR FIGURE_DIR NAME..." >&2
    exit 2
fi
figcompare=$1 references=$2 figures=$3
shift 3
failed=0
for name in "$@"; do
    if ! "$figcompare" compare "$references/$name.png" "$figures/$name.png" "$figures/$name-diff.png"; then
        failed=$((failed + 1))
    fi
done
if [ "$failed" -gt 0 ]; then
    echo "compare_figures: $failed of $# figure(s) differ from their references" >&2
    exit 1
fi
