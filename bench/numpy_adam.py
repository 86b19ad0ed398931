# SPDX-License-Identifier: MIT
"""The seeds' NumPy loop (tests/lessons/gen_seed_reference.py: Adam as the notebooks write it) on
Rosenbrock for STEPS steps; prints the seconds it took and the final loss. Run with Debian's python:
/usr/bin/python3 bench/numpy_adam.py STEPS"""
import sys
import time

import numpy as np


def grad_rosenbrock(w):
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def adam_loop(steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w = np.array([-1.0, 2.0])
    state = {}
    path = [w.copy()]
    for _ in range(steps):
        g = grad_rosenbrock(w)
        t = state.get('t', 0) + 1
        m = beta1 * state.get('m', np.zeros_like(w)) + (1 - beta1) * g
        v = beta2 * state.get('v', np.zeros_like(w)) + (1 - beta2) * g ** 2
        state.update({'t': t, 'm': m, 'v': v})
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(w.copy())
    x, y = w
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


steps = int(sys.argv[1])
t0 = time.perf_counter()
loss = adam_loop(steps)
print(f"{time.perf_counter() - t0:.6f} {loss:.17g}")
