#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""How far agreement with torch can go: the numbers behind docs/optimizers.md, "When gdlab and torch
agree". Not part of ctest (it needs Debian's python3-torch and a built gdlab):

    /usr/bin/python3 tests/optimizers/measure_sensitivity.py build/gdlab

For each case: torch.optim.SGD (float64) for 300 steps from the start and from the start with its
first coordinate moved by one ulp (math.nextafter), and gdlab's sgd from the same start. Printed: the
largest coordinate difference after 300 steps between torch and its 1-ulp-moved self, and between
gdlab and torch. Where the path is well conditioned both stay at rounding level; beyond the edge of
stability (lr > 2/λmax ≈ 0.001997 at Rosenbrock's minimum) the map is chaotic and both grow alike:
gdlab's difference from torch is no larger than torch's difference from itself.
"""
import math
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_reference as ref  # noqa: E402  (the surfaces' gradients, operation for operation)

torch.set_default_dtype(torch.float64)
STEPS = 300
CASES = [  # lr, surface, start
    (0.001, "rosenbrock", [-1.2, 1.0]),
    (0.0019, "rosenbrock", [1.1, 1.2]),
    (0.003, "rosenbrock", [1.1, 1.2]),
    (0.004, "rosenbrock", [-1.2, 1.0]),
    (0.0045, "rosenbrock", [-1.2, 1.0]),
    (0.02, "quadratic", [-3.0, 2.0]),
]
GRADS = {"rosenbrock": ref.rosenbrock_grad({}),
         "quadratic": ref.quadratic_grad({"a": 1.0, "b": 10.0, "angle": 30.0, "cx": 1.0, "cy": -0.5})}
SURFACE_ARGS = {"rosenbrock": "{}", "quadratic": "{a = 1, b = 10, angle = 30, cx = 1, cy = -0.5}"}


def torch_end(lr, surface, start):
    x = list(start)
    opt = ref.torch_optimizer(torch.optim.SGD, x, lr=lr, foreach=False)
    for _ in range(STEPS):
        opt.step(GRADS[surface](opt.x))
    return opt.x


def gdlab_end(gdlab, lr, surface, start):
    script = ('local gd = require "gdlab"\n'
              'local r = gd.run{surface = gd.surface("%s", %s), optimizer = gd.optimizer("sgd", '
              '{lr = %r}), start = {%r, %r}, steps = %d, bound = 1e6}\n'
              'print(string.format("%%.17g %%.17g", r.x[#r.x], r.y[#r.y]))\n'
              % (surface, SURFACE_ARGS[surface], lr, start[0], start[1], STEPS))
    path = "/tmp/gdlab_measure_sensitivity.lua"
    with open(path, "w") as f:
        f.write(script)
    out = subprocess.run([gdlab, path], capture_output=True, text=True, check=True).stdout
    return [float(v) for v in out.split()]


def main():
    gdlab = sys.argv[1] if len(sys.argv) > 1 else "build/gdlab"
    print("%-7s %-11s %-12s %-22s %-22s" % ("lr", "surface", "start", "torch vs torch(+1ulp)",
                                           "gdlab vs torch"))
    for lr, surface, start in CASES:
        base = torch_end(lr, surface, start)
        moved = torch_end(lr, surface, [math.nextafter(start[0], math.inf), start[1]])
        ours = gdlab_end(gdlab, lr, surface, start)
        self_diff = max(abs(a - b) for a, b in zip(base, moved))
        our_diff = max(abs(a - b) for a, b in zip(base, ours))
        print("%-7g %-11s %-12s %-22.2e %-22.2e" % (lr, surface, "(%g, %g)" % tuple(start), self_diff,
                                                    our_diff))


if __name__ == "__main__":
    main()
