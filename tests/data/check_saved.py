# SPDX-License-Identifier: MIT
"""check_saved.py DIR — reads what save_runs.lua wrote with readers that are not gdlab's: Python's csv and
json modules and pandas, and checks the numbers against closed forms and against each other."""
import csv
import json
import math
import os
import sys

import pandas as pd

d = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * max(1.0, abs(b))


# --- bowl.csv with the csv module: GD on x² + 10y², lr = 0.01 halved every 10 steps ------------------
with open(os.path.join(d, "bowl.csv"), newline="") as f:
    rows = list(csv.reader(f))
check(rows[0] == ["step", "x1", "x2", "loss", "grad_norm", "lr", "evals"], "bowl.csv header: %s" % rows[0])
check(len(rows) == 42, "bowl.csv has 41 points + header, got %d rows" % len(rows))
x, y = 1.0, 1.0
for k, row in enumerate(rows[1:]):
    v = [float(c) for c in row]  # float() reads nan/inf as written
    lr = 0.01 * 0.5 ** ((k - 1) // 10)  # StepLR: step t uses gamma^((t-1) // step_size)
    if k > 0:
        x, y = x * (1 - 2 * lr), y * (1 - 20 * lr)
    check(int(row[0]) == k, "step column row %d" % k)
    check(close(v[1], x) and close(v[2], y), "bowl.csv row %d: (%r, %r) != (%r, %r)" % (k, v[1], v[2], x, y))
    check(close(v[3], x * x + 10 * y * y), "bowl.csv row %d loss" % k)
    check(close(v[4], math.hypot(2 * x, 20 * y)), "bowl.csv row %d grad_norm" % k)
    check(math.isnan(v[5]) if k == 0 else close(v[5], lr), "bowl.csv row %d lr %r" % (k, v[5]))

# --- bowl.json with the json module: same columns, null for NaN, setup to run it again -------------------
with open(os.path.join(d, "bowl.json")) as f:
    doc = json.load(f)
check(doc["format"] == "gdlab-run" and doc["format_version"] == 1, "bowl.json format")
check(doc["status"] == "max_steps" and doc["steps"] == 40 and doc["dim"] == 2, "bowl.json outcome")
cols = doc["columns"]
check(cols["lr"][0] is None, "JSON NaN must be null")
for k in range(41):
    check(float(rows[k + 1][1]) == cols["x1"][k] and float(rows[k + 1][3]) == cols["loss"][k],
          "CSV and JSON differ at row %d" % k)
setup = doc["setup"]
check(setup["surface"] == {"name": "quadratic", "params": {"a": 1, "b": 10, "angle": 0, "cx": 0, "cy": 0}},
      "surface setup %s" % setup["surface"])
check(setup["optimizer"]["name"] == "gd" and setup["optimizer"]["params"]["lr"] == 0.01, "optimizer setup")
check(setup["schedule"] == {"kind": "step", "step_size": 10, "gamma": 0.5}, "schedule %s" % setup["schedule"])
check(setup["config"]["start"] == [1, 1] and setup["config"]["steps"] == 40, "config %s" % setup["config"])
check(setup["label"] == "gd on a bowl" and setup["gdlab_version"] == doc["gdlab_version"], "label/version")
with open(os.path.join(d, "bowl_again.json")) as f:
    check(json.load(f) == doc, "a loaded run saved again must give the same document")

# --- pandas reads both the same (its default CSV float parser may be off in the last bit: round_trip) -----------------------------------------------------------------------
csv_frame = pd.read_csv(os.path.join(d, "bowl.csv"), float_precision="round_trip")
json_frame = pd.DataFrame(cols)
check(list(csv_frame.columns) == list(json_frame.columns), "pandas columns")
check(csv_frame["lr"].isna().tolist() == json_frame["lr"].isna().tolist() == [True] + [False] * 40, "pandas NaN")
check((csv_frame.drop(columns="lr").values == json_frame.drop(columns="lr").values).all(), "pandas values")

# --- non-finite values: inf, -inf and nan as words pandas, csv and float() understand ---------------------
blown = pd.read_csv(os.path.join(d, "blown.csv"), float_precision="round_trip")
check(blown["loss"].iloc[-1] == math.inf and blown["grad_norm"].iloc[-1] == math.inf, "pandas reads inf")
check(blown["loss"].dtype == "float64", "inf must not turn the column into text")
saddle = pd.read_csv(os.path.join(d, "saddle.csv"))
check(saddle["loss"].iloc[-1] == -math.inf, "pandas reads -inf, got %r" % saddle["loss"].iloc[-1])
with open(os.path.join(d, "blown.json")) as f:
    blown_doc = json.load(f)
check(blown_doc["status"] == "diverged" and blown_doc["columns"]["loss"][-1] is None, "JSON inf must be null")
check(blown_doc["columns"]["loss"][:-1] == blown["loss"].iloc[:-1].tolist(), "blown: JSON and CSV agree")

# --- the sweep: one row per cell, last axis fastest, statuses as words ------------------------------------
sweep = pd.read_csv(os.path.join(d, "sweep.csv"))
check(list(sweep.columns) == ["lr", "beta", "status", "stop_step", "final_loss", "min_loss", "evals"], "sweep header")
check(sweep["lr"].tolist() == [0.001] * 3 + [0.01] * 3 + [0.2] * 3, "sweep lr column")
check(sweep["beta"].tolist() == [0, 0.5, 0.9] * 3, "sweep beta column")
check(set(sweep["status"]) <= {"converged", "diverged", "max_steps", "failed"}, "sweep statuses")
# heavy ball on b = 10 (curvature 20): lr = 0.2 with beta = 0 has factor 1 - 4 = -3: diverges
check(sweep["status"].iloc[6] == "diverged", "lr 0.2, beta 0 must diverge")
check(sweep["status"].iloc[5] == "converged" and sweep["status"].iloc[4] == "max_steps",
      "lr 0.01: beta 0.9 converges within 200 steps, beta 0.5 does not")
with open(os.path.join(d, "sweep.json")) as f:
    sdoc = json.load(f)
check(sdoc["axes"] == [{"name": "lr", "values": [0.001, 0.01, 0.2]}, {"name": "beta", "values": [0, 0.5, 0.9]}],
      "sweep axes")
check(sdoc["columns"]["status"] == sweep["status"].tolist() and sdoc["runs"] == 9, "sweep JSON vs CSV")

# --- 3-D: every coordinate ------------------------------------------------------------------------------
sphere = pd.read_csv(os.path.join(d, "sphere.csv"))
check(list(sphere.columns[:4]) == ["step", "x1", "x2", "x3"], "3-D header")
check(close(sphere["x3"].iloc[5], (1 - 0.6) ** 5), "3-D x3 after 5 steps: %r" % sphere["x3"].iloc[5])

# --- nothing half-written is left behind -------------------------------------------------------------------
leftovers = [n for n in os.listdir(d) if n.endswith(".tmp")]
check(not leftovers, "temporary files left: %s" % leftovers)

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print("check_saved.py: ok")
