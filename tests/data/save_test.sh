#!/bin/sh
# save_test.sh GDLAB DIR — gd.save's files read back by Python's csv and json and by pandas.
set -eu
gdlab=$1 here=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$gdlab" "$here/save_runs.lua" "$out"
/usr/bin/python3 "$here/check_saved.py" "$out"
