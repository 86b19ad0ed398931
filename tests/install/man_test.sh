#!/bin/sh
# SPDX-License-Identifier: MIT
# The man pages: each renders with groff and with man without a single warning, the compressed pages
# the build installs are these sources, and gdlab(1) documents exactly the options and environment
# variables `gdlab --help` lists (each .TP entry of OPTIONS and ENVIRONMENT), so the two cannot drift.
# usage: man_test.sh GDLAB MAN_SOURCE_DIR BUILT_MAN_DIR
set -eu
gdlab=$1 mansrc=$2 built=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
export LC_ALL=C.UTF-8 MANWIDTH=80

for page in gdlab.1 gdlab-plugin.7; do
    groff -man -ww -z "$mansrc/$page" >"$tmp/groff" 2>&1 || fail "groff $page exited $?"
    [ ! -s "$tmp/groff" ] || { fail "groff -man -ww warns on $page:"; cat "$tmp/groff"; }
    gzip -dc "$built/$page.gz" | cmp -s - "$mansrc/$page" || fail "$built/$page.gz is not $mansrc/$page"
    man --warnings -l "$built/$page.gz" >"$tmp/rendered" 2>"$tmp/man.err" || fail "man -l $page.gz exited $?"
    [ ! -s "$tmp/man.err" ] || { fail "man --warnings -l warns on $page.gz:"; cat "$tmp/man.err"; }
    grep -q "^NAME" "$tmp/rendered" || fail "man -l $page.gz: no NAME section"
done

# Entries of a section of gdlab(1): the first word after each .TP, \- unescaped.
entries() {
    awk -v sec="$1" '
        /^\.SH / { in_sec = ($2 == sec); next }
        in_sec && /^\.TP/ { tag = 1; next }
        in_sec && tag { tag = 0; sub(/^\.[A-Z]+ /, ""); gsub(/\\-/, "-"); split($0, w, " "); print w[1] }
    ' "$mansrc/gdlab.1" | sort -u
}
"$gdlab" --help >"$tmp/help" || fail "gdlab --help exited $?"
# Options in --help: words starting with - or -- after a space, a bracket or a bar; variables GDLAB_*.
grep -oE '(^|[][ |])--?[a-z][a-z-]*' "$tmp/help" | sed 's/^[][ |]//' | sort -u >"$tmp/help.options"
grep -oE 'GDLAB_[A-Z_]+' "$tmp/help" | sort -u >"$tmp/help.env"
entries OPTIONS >"$tmp/man.options"
entries ENVIRONMENT >"$tmp/man.env"
[ -s "$tmp/help.options" ] && [ -s "$tmp/man.options" ] || fail "no options found (help or man page changed form?)"
diff -u "$tmp/help.options" "$tmp/man.options" >"$tmp/d" || { fail "options: gdlab --help (-) vs gdlab.1 (+)"; cat "$tmp/d"; }
diff -u "$tmp/help.env" "$tmp/man.env" >"$tmp/d" || { fail "environment: gdlab --help (-) vs gdlab.1 (+)"; cat "$tmp/d"; }

echo "man pages: $fails failed"
[ "$fails" = 0 ]
