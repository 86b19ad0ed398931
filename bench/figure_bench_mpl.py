# SPDX-License-Identifier: MIT
"""The matplotlib side of bench/figure_bench.c: the same picture, drawn the usual way.

Prints the in-process time (figure built and saved; imports and start-up excluded) in seconds.
Usage: /usr/bin/python3 figure_bench_mpl.py out.png
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import time  # noqa: E402

N, STEPS = 500, 300


def trajectories():
    paths = []
    for beta in (0.0, 0.9, 0.99):
        x, y, vx, vy = -4.0, 1.5, 0.0, 0.0
        xs, ys = [], []
        for _ in range(STEPS + 1):
            xs.append(x)
            ys.append(y)
            gx, gy = 0.1 * x, 10.0 * y
            vx, vy = beta * vx + (1 - beta) * gx, beta * vy + (1 - beta) * gy
            x, y = x - 0.18 * vx, y - 0.18 * vy
        paths.append((xs, ys))
    return paths


t0 = time.perf_counter()
X, Y = np.meshgrid(np.linspace(-5, 5, N), np.linspace(-2.2, 2.2, N))
Z = 0.05 * X**2 + 5 * Y**2
fig, ax = plt.subplots(figsize=(8, 6), dpi=100)
cs = ax.contourf(X, Y, Z, levels=20, cmap="viridis")
fig.colorbar(cs, ax=ax)
for (xs, ys), color, label in zip(trajectories(), ("#E05C4B", "#3A7CA5", "#F4A536"),
                                  ("GD", "momentum 0.9", "momentum 0.99")):
    ax.plot(xs, ys, "-o", color=color, lw=1.5, ms=3, label=label)
ax.set_xlim(-5, 5)
ax.set_ylim(-2.2, 2.2)
ax.set_title("Ravine: GD and momentum", loc="left")
ax.set_xlabel("θ₁")
ax.set_ylabel("θ₂")
ax.legend()
fig.savefig(sys.argv[1])
print(f"{time.perf_counter() - t0:.6f}")
