#!/bin/sh
# SPDX-License-Identifier: MIT
# save_test.sh GDLAB DIR — gd.save's files read back by Python's csv and json and by pandas.
set -eu
gdlab=$1 here=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$gdlab" "$here/save_runs.lua" "$out"
/usr/bin/python3 "$here/check_saved.py" "$out"

# gnuplot picks columns by header name; nan is an undefined point (skipped), inf a number
gnuplot -e 'set datafile separator ","' -e "stats '$out/bowl.csv' using 'lr' nooutput" \
    -e 'print sprintf("lr %d %d %.17g", STATS_records, STATS_invalid, STATS_max)' \
    -e "stats '$out/blown.csv' using 'loss' nooutput" -e 'print sprintf("loss %d %g", STATS_records, STATS_max)' \
    -e "stats '$out/saddle.csv' using 'loss' nooutput" -e 'print sprintf("saddle %g", STATS_min)' \
    >"$out/gnuplot.txt" 2>&1
[ "$(cat "$out/gnuplot.txt")" = "$(printf 'lr 40 1 0.01\nloss 122 inf\nsaddle -inf')" ] ||
    { echo "FAIL: gnuplot read: $(cat "$out/gnuplot.txt")"; exit 1; }

# gdlab --save-runs DIR: every run and sweep a script makes, numbered in order, without a line of saving code
cat >"$out/script.lua" <<'LUA'
local gd = require "gdlab"
local s = gd.surface("quadratic")
gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {1, 1}, steps = 5}
gd.sweep{surface = s, optimizer = gd.optimizer("gd"), over = {lr = {0.01, 0.1}}, start = {1, 1}, steps = 5}
gd.run{surface = s, optimizer = gd.optimizer("adam"), start = {1, 1}, steps = 3, label = "third"}
LUA
"$gdlab" "$out/script.lua" --save-runs "$out/runs"
"$gdlab" --save-runs "$out/csv" --save-format csv "$out/script.lua"
/usr/bin/python3 - "$out" <<'PY'
import csv, json, os, sys
d = sys.argv[1]
assert sorted(os.listdir(d + "/runs")) == ["run-001.json", "run-003.json", "sweep-002.json"], os.listdir(d + "/runs")
first = json.load(open(d + "/runs/run-001.json"))
assert first["steps"] == 5 and abs(first["columns"]["x1"][5] - 0.8 ** 5) < 1e-15, first["columns"]["x1"]
assert json.load(open(d + "/runs/sweep-002.json"))["columns"]["lr"] == [0.01, 0.1]
assert json.load(open(d + "/runs/run-003.json"))["setup"]["label"] == "third"
assert sorted(os.listdir(d + "/csv")) == ["run-001.csv", "run-003.csv", "sweep-002.csv"], os.listdir(d + "/csv")
rows = list(csv.DictReader(open(d + "/csv/run-003.csv")))
assert len(rows) == 4 and rows[0]["lr"] == "nan", rows
print("--save-runs: ok")
PY
# command-line mistakes are usage errors (status 2) naming the culprit
status=0
"$gdlab" "$out/script.lua" --save-runs "$out/x" --save-format xlsx 2>"$out/err" || status=$?
[ "$status" = 2 ] && grep -q "save-format 'xlsx' is not a format; available: json, csv" "$out/err" ||
    { echo "FAIL: --save-format xlsx: status $status, $(cat "$out/err")"; exit 1; }
status=0
"$gdlab" "$out/script.lua" --save-runs 2>"$out/err" || status=$?
[ "$status" = 2 ] && grep -q -- "--save-runs needs a value" "$out/err" ||
    { echo "FAIL: --save-runs without DIR: status $status"; exit 1; }
status=0
"$gdlab" "$out/script.lua" --save-runs "$out/no/such/dir" 2>"$out/err" || status=$?
[ "$status" = 1 ] && grep -q "cannot create directory '$out/no/such/dir'" "$out/err" ||
    { echo "FAIL: --save-runs into a missing folder: status $status, $(cat "$out/err")"; exit 1; }
echo "save_test.sh: ok"
