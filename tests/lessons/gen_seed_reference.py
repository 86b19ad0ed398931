#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference numbers for the lesson tests: the seeds' own code, run in float64.

    /usr/bin/python3 tests/lessons/gen_seed_reference.py      (Debian's python3-numpy)

writes tests/lessons/seed_reference.lua, a Lua table the *_numbers.lua tests load with dofile.

The loops below are the seeds' simulation code, retyped statement for statement (plotting left out):
  seed 000  "Day 2" notes, Diagram 2: momentum v = γv + lr·g, x −= v on x² from −4 (γ 0.9, lr 0.1)
  seed 003  "Week 01 — Optimization Intuition" notebook: gradient_descent, gradient_descent_momentum
            and the learning-rate sweep on x² + 3y² from (2, −1)
  seed 004  "ch228" visualizer: SGD, MomentumSGD (v = μv + g) and Adam on its three surfaces, and the
            learning-rate sensitivity study
numpy's overflow warnings (seed 004's Rosenbrock) are silenced here; where a path overflows, the
table records the first step whose point is not finite.
"""
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "seed_reference.lua")


# ---- seed 000, Diagram 2 ---------------------------------------------------------------------------

def seed000_overshoot():
    x_start, velocity, gamma, learning_rate, iterations = -4.0, 0.0, 0.9, 0.1, 50
    path_x = [x_start]
    x_current = x_start
    for _ in range(iterations):
        velocity = gamma * velocity + learning_rate * (2 * x_current)
        x_current = x_current - velocity
        path_x.append(x_current)
    peak = int(np.argmax(path_x[0:15]))  # the seed's "Overshoot Peak" annotation
    return {"path_x": path_x, "peak_index": peak + 1, "peak_x": path_x[peak],
            "peak_loss": path_x[peak] ** 2}


# ---- seed 003 --------------------------------------------------------------------------------------

def quad_gradient(x, y):
    return (2 * x, 6 * y)


def gradient_descent(x0, y0, grad_fn, lr=0.1, n_steps=50):
    trajectory = [(x0, y0)]
    x, y = x0, y0
    for _ in range(n_steps):
        gx, gy = grad_fn(x, y)
        x -= lr * gx
        y -= lr * gy
        trajectory.append((x, y))
    return trajectory


def gradient_descent_momentum(x0, y0, grad_fn, lr=0.1, momentum=0.9, n_steps=50):
    trajectory = [(x0, y0)]
    x, y = x0, y0
    vx, vy = 0.0, 0.0
    for _ in range(n_steps):
        gx, gy = grad_fn(x, y)
        vx = momentum * vx - lr * gx
        vy = momentum * vy - lr * gy
        x += vx
        y += vy
        trajectory.append((x, y))
    return trajectory


def quadratic003(x, y):
    return x ** 2 + 3 * y ** 2


def seed003():
    gd = gradient_descent(2.0, -1.0, quad_gradient, lr=0.1, n_steps=50)
    mom = gradient_descent_momentum(2.0, -1.0, quad_gradient, lr=0.1, momentum=0.9, n_steps=50)
    sweep = []
    for lr in [0.01, 0.05, 0.1, 0.2, 0.5]:
        t = gradient_descent(2.0, -1.0, quad_gradient, lr=lr, n_steps=30)
        sweep.append({"lr": lr, "final_loss": quadratic003(*t[-1])})
    return {
        "gd_final": list(gd[-1]), "gd_final_loss": quadratic003(*gd[-1]),
        "gd_printed": "Final position: (%.4f, %.4f) / Final loss: %.6f" % (gd[-1][0], gd[-1][1],
                                                                        quadratic003(*gd[-1])),
        "momentum_final": list(mom[-1]), "momentum_final_loss": quadratic003(*mom[-1]),
        "momentum_printed": "Momentum final loss: %.6f" % quadratic003(*mom[-1]),
        "sweep": sweep,
    }


# ---- seed 004 --------------------------------------------------------------------------------------

def quadratic(w):
    w1, w2 = w
    return (w1 - 1) ** 2 + 5 * (w2 - 1) ** 2


def grad_quadratic(w):
    w1, w2 = w
    return np.array([2 * (w1 - 1), 10 * (w2 - 1)])


def rosenbrock(w):
    x, y = w
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def grad_rosenbrock(w):
    x, y = w
    dx = -2 * (1 - x) - 400 * x * (y - x ** 2)
    dy = 200 * (y - x ** 2)
    return np.array([dx, dy])


def saddle(w):
    x, y = w
    return x ** 2 - y ** 2


def grad_saddle(w):
    x, y = w
    return np.array([2 * x, -2 * y])


SURFACES = [
    ("quadratic", quadratic, grad_quadratic, [2.5, 2.5]),
    ("rosenbrock", rosenbrock, grad_rosenbrock, [-1.0, 2.0]),
    ("saddle", saddle, grad_saddle, [1.5, 0.1]),
]


class SGD:
    def __init__(self, lr):
        self.lr, self.state = lr, {}

    def step(self, w, grad):
        return w - self.lr * grad


class MomentumSGD(SGD):
    def __init__(self, lr, mu=0.9):
        super().__init__(lr)
        self.mu = mu

    def step(self, w, grad):
        v = self.state.get('v', np.zeros_like(w))
        v = self.mu * v + grad
        self.state['v'] = v
        return w - self.lr * v


class Adam(SGD):
    def __init__(self, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def step(self, w, grad):
        t = self.state.get('t', 0) + 1
        m = self.beta1 * self.state.get('m', np.zeros_like(w)) + (1 - self.beta1) * grad
        v = self.beta2 * self.state.get('v', np.zeros_like(w)) + (1 - self.beta2) * grad ** 2
        self.state.update({'t': t, 'm': m, 'v': v})
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        return w - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def run_optimizer(opt, grad_fn, w0, n_steps=200):
    w = w0.copy().astype(float)
    path = [w.copy()]
    for _ in range(n_steps):
        g = grad_fn(w)
        w = opt.step(w, g)
        path.append(w.copy())
    return np.array(path)


CHECKPOINTS = [1, 2, 5, 10, 25, 50, 100, 150]


def seed004():
    runs = []
    for name, loss_fn, grad_fn, w0 in SURFACES:
        for key, opt in [("sgd", SGD(lr=0.05)), ("momentum", MomentumSGD(lr=0.05)), ("adam", Adam(lr=0.1))]:
            path = run_optimizer(opt, grad_fn, np.array(w0), 150)
            finite = [bool(np.all(np.isfinite(p))) for p in path]
            first_bad = finite.index(False) if False in finite else None
            runs.append({"surface": name, "optimizer": key,
                         "points": {k: list(path[k]) for k in CHECKPOINTS if finite[k]},
                         "final_loss": loss_fn(path[-1]) if finite[-1] else None,
                         "first_nonfinite_step": first_bad})
    sens = []
    for lr in [0.01, 0.05, 0.1, 0.18, 0.22, 0.25]:
        path = run_optimizer(SGD(lr=lr), grad_quadratic, np.array([2.5, 2.5]), 100)
        sens.append({"lr": lr, "final": list(path[-1]), "final_loss": quadratic(path[-1])})
    return {"runs": runs, "lr_sensitivity": sens}


# ---- output ----------------------------------------------------------------------------------------

def lua(v, indent=""):
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return "1/0" if v == math.inf else "-1/0" if v == -math.inf else "0/0" if v != v else repr(v)
    if isinstance(v, str):
        return '"' + v.replace('\\', '\\\\').replace('"', '\\"') + '"'
    inner = indent + "  "
    if isinstance(v, dict):
        items = []
        for k, x in v.items():
            key = "[%d]" % k if isinstance(k, int) else k
            items.append("%s%s = %s" % (inner, key, lua(x, inner)))
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if all(isinstance(x, (int, float, np.floating)) for x in v):
        return "{" + ", ".join(lua(x) for x in v) + "}"
    return "{\n" + ",\n".join(inner + lua(x, inner) for x in v) + "\n" + indent + "}"


def main():
    with np.errstate(over="ignore", invalid="ignore"):
        data = {"seed000": seed000_overshoot(), "seed003": seed003(), "seed004": seed004()}
    with open(OUT, "w") as f:
        f.write("-- Generated by tests/lessons/gen_seed_reference.py from the seeds' own code (numpy, "
                "float64). Do not edit.\n")
        f.write("-- Checkpoint tables are keyed by step (0 is the start).\n")
        f.write("return " + lua(data) + "\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
