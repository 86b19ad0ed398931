#!/bin/sh
# SPDX-License-Identifier: MIT
# lesson_test.sh GDLAB REPO — the keep_results lesson: its CSV, JSON and video, read by pandas and ffprobe,
# hold the numbers its text states.
set -eu
gdlab=$1 repo=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$gdlab" "$repo/scripts/lessons/keep_results.lua" -o "$out" -q >"$out/stdout"
grep -q "fastest cell: lr = 0.0308, beta = 0.70, converged in 72 steps" "$out/stdout"
grep -q "Polyak's parameters: 93 steps; best plain GD (lr = 2/(1+kappa)): 674 steps" "$out/stdout"
[ "$(ffprobe -v error -count_frames -of csv=p=0 -show_entries stream=codec_name,width,height,nb_read_frames \
    "$out/best.mp4")" = "h264,640,480,73" ]
/usr/bin/python3 - "$out" <<'PY'
import json, sys
import pandas as pd
d = sys.argv[1]
sweep = pd.read_csv(d + "/sweep.csv", float_precision="round_trip")
assert len(sweep) == 15 * 20, len(sweep)
fastest = sweep[sweep.status == "converged"].sort_values("stop_step").iloc[0]
assert abs(fastest.lr - 0.005 * 1.15 ** 13) < 1e-15 and abs(fastest.beta - 0.7) < 1e-12 and fastest.stop_step == 72, fastest
best = pd.read_csv(d + "/best.csv")
assert len(best) == 73 and best.loss.iloc[-1] <= 1e-10 < best.loss.iloc[-2], best.loss.tail(2)
setup = json.load(open(d + "/sweep.json"))["setup"]
assert setup["surface"] == {"name": "ravine", "params": {"kappa": 100}} and setup["config"]["tol"] == 1e-10
print("lesson keep_results: ok")
PY
