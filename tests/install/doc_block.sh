#!/bin/sh
# SPDX-License-Identifier: MIT
# doc_block.sh DOC NAME: prints the shell block that follows the line "<!-- test: NAME -->" in DOC, so
# that the install tests run exactly the commands the documentation shows. Fails if there is none.
[ $# = 2 ] || { echo "usage: doc_block.sh DOC NAME" >&2; exit 2; }
awk -v name="$2" '
    $0 == "<!-- test: " name " -->" { state = 1; next }
    state == 1 && /^```/ { state = 2; next }
    state == 2 && /^```/ { found = 1; exit }
    state == 2 { print }
    END { if (!found) { printf "doc_block.sh: no block \"%s\" in %s\n", name, FILENAME > "/dev/stderr"; exit 1 } }
' "$1"
