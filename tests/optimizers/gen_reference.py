#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference data for tests/optimizers: PyTorch's optimizers and lr schedulers, float64.

    /usr/bin/python3 tests/optimizers/gen_reference.py        (Debian's python3-torch, 1.13)

writes tests/optimizers/ref/<optimizer>.txt (200-step trajectories on three surfaces, two to four
hyper-parameter sets each, maximize climbing multimodal), ref/scheduled.txt (optimizers driven by
schedulers: cycled momentum and beta1, ReduceLROnPlateau fed the loss, a warm-up sequence) and
ref/schedules.txt (the schedulers' lr and momentum sequences). test_reference.c and
test_schedules.c replay them through the registry and gdlab_run and compare to 1e-12.

The gradients fed to torch are computed here with the same formulas, in the same order, as the
surface plugins (plugins/surfaces/*.c): float64 arithmetic and libm's sin/cos are the same in
Python and C, so torch and the plugins see the same gradients; what is compared is the optimizers.

Where torch 1.13 is not the reference:
  - lion: torch has no Lion. `lion_reference` below is written from the paper's Algorithm 2
    (Chen et al. 2023, arXiv:2302.06675).
  - nadam: torch 1.13 multiplies mu_t into the product for step t+1 twice (mu_product * mu *
    mu_next), fixed in PyTorch 2.0 (pytorch/pytorch#92699). `nadam_reference` runs 1.13's
    single-tensor update with torch ops but with that product fixed, and adds 2.1's
    decoupled_weight_decay.
  - radam with maximize or decoupled_weight_decay: torch 1.13 has neither; `radam_reference` is
    1.13's single-tensor update with PyTorch 2.1's documented additions. nadam's maximize likewise.
  - momentum (form=pytorch) is torch.optim.SGD(momentum=beta); form=ema has no torch counterpart
    and is checked by hand in test_classics.c.

Each case is also rerun from a start moved by one ulp; a case whose trajectory moves by more than
1e-13 (relative to max(|x|, 1)) is too ill-conditioned to be compared at 1e-12 and is refused.
"""
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)  # also makes torch's scalar state (NAdam's mu_product) float64

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ref")
STEPS = 200


# ---- surfaces: their gradients, operation for operation as in plugins/surfaces/*.c ---------------

def quadratic_frame(params):
    """a, b and the rotated coordinates (u, v) of a point, as plugins/surfaces/quadratic.c has them."""
    a, b, angle, cx, cy = (params[k] for k in ("a", "b", "angle", "cx", "cy"))
    theta = angle * math.pi / 180.0
    c, s = math.cos(theta), math.sin(theta)

    def uv(x):
        dx, dy = x[0] - cx, x[1] - cy
        return c * dx + s * dy, -s * dx + c * dy
    return a, b, c, s, uv


def quadratic_grad(params):
    a, b, c, s, uv = quadratic_frame(params)

    def grad(x):
        u, v = uv(x)
        gu, gv = 2.0 * a * u, 2.0 * b * v
        return [c * gu - s * gv, s * gu + c * gv]
    return grad


def rosenbrock_grad(params):
    a, b = params.get("a", 1.0), params.get("b", 100.0)

    def grad(x):
        u, v = a - x[0], x[1] - x[0] * x[0]
        return [-2.0 * u - 4.0 * b * x[0] * v, 2.0 * b * v]
    return grad


def multimodal_grad(params):
    def grad(x):
        sx, cx, sy, cy = math.sin(x[0]), math.cos(x[0]), math.sin(x[1]), math.cos(x[1])
        return [cx * cy + 0.2 * x[0], -sx * sy + 0.2 * x[1]]
    return grad


def quadratic_loss(params):
    a, b, _, _, uv = quadratic_frame(params)

    def loss(x):
        u, v = uv(x)
        return a * u * u + b * v * v
    return loss


def rosenbrock_loss(params):
    a, b = params.get("a", 1.0), params.get("b", 100.0)

    def loss(x):
        u, v = a - x[0], x[1] - x[0] * x[0]
        return u * u + b * v * v
    return loss


def multimodal_loss(params):
    def loss(x):
        return math.sin(x[0]) * math.cos(x[1]) + 0.1 * (x[0] * x[0] + x[1] * x[1])
    return loss


LOSSES = {"quadratic": quadratic_loss, "rosenbrock": rosenbrock_loss, "multimodal": multimodal_loss}

# name, gdlab parameters, gradient, start, and a scale for the lr of optimizers whose step is
# proportional to the gradient (Rosenbrock's gradients are ~100 times larger).
SURFACES = [
    ("quadratic", {"a": 1.0, "b": 10.0, "angle": 30.0, "cx": 1.0, "cy": -0.5}, quadratic_grad,
     [-3.0, 2.0], 1.0),
    ("rosenbrock", {}, rosenbrock_grad, [-1.2, 1.0], 0.02),
    ("multimodal", {}, multimodal_grad, [2.0, -1.0], 1.0),
]


# ---- reference loops where torch 1.13 is not the reference ----------------------------------------

class lion_reference:
    """Lion, Algorithm 2 of Chen et al. (2023): c = b1*m + (1-b1)*g; x -= lr*(sign(c) + wd*x);
    m = b2*m + (1-b2)*g. The decay is applied as x*(1 - lr*wd), which is the same update."""

    def __init__(self, x, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0):
        self.x, self.lr, self.b1, self.b2, self.wd = x, lr, beta1, beta2, weight_decay
        self.m = [0.0] * len(x)

    def step(self, g):
        for i, gi in enumerate(g):
            c = self.m[i] * self.b1 + (1.0 - self.b1) * gi
            sign = (c > 0) - (c < 0)
            self.x[i] = self.x[i] * (1.0 - self.lr * self.wd) - self.lr * sign
            self.m[i] = self.m[i] * self.b2 + (1.0 - self.b2) * gi


class nadam_reference:
    """torch 1.13's single-tensor NAdam with torch ops, the product for step t+1 fixed to
    mu_product * mu_next (PyTorch >= 2.0), and 2.1's decoupled_weight_decay."""

    def __init__(self, x, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, maximize=False):
        self.p = torch.tensor(x)
        self.lr, self.b1, self.b2, self.eps = lr, beta1, beta2, eps
        self.wd, self.psi, self.decoupled = weight_decay, momentum_decay, decoupled_weight_decay
        self.maximize = maximize
        self.m, self.v = torch.zeros_like(self.p), torch.zeros_like(self.p)
        self.mu_product, self.t = torch.tensor(1.0), 0.0
        self.x = x

    def step(self, g):
        grad = torch.tensor(g)
        if self.maximize:  # PyTorch >= 2.1: the gradient is negated before anything else
            grad = -grad
        self.t += 1.0
        t, lr = self.t, self.lr
        bias_correction2 = 1 - self.b2 ** t
        if self.wd != 0:
            if self.decoupled:
                self.p.mul_(1 - lr * self.wd)
            else:
                grad = grad.add(self.p, alpha=self.wd)
        mu = self.b1 * (1. - 0.5 * (0.96 ** (t * self.psi)))
        mu_next = self.b1 * (1. - 0.5 * (0.96 ** ((t + 1) * self.psi)))
        self.mu_product *= mu
        self.m.mul_(self.b1).add_(grad, alpha=1 - self.b1)
        self.v.mul_(self.b2).addcmul_(grad, grad, value=1 - self.b2)
        denom = self.v.div(bias_correction2).sqrt().add_(self.eps)
        self.p.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - self.mu_product.item()))
        self.p.addcdiv_(self.m, denom, value=-lr * mu_next / (1. - self.mu_product.item() * mu_next))
        self.x[:] = self.p.tolist()


class radam_reference:
    """torch 1.13's single-tensor RAdam with torch ops, plus PyTorch 2.1's maximize (the gradient
    negated first) and decoupled_weight_decay (x <- x*(1 - lr*wd) instead of the L2 term), written
    from 2.1's documented algorithm: Debian's torch 1.13 has neither."""

    def __init__(self, x, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, maximize=False,
                 decoupled_weight_decay=False):
        self.p = torch.tensor(x)
        self.lr, self.b1, self.b2, self.eps, self.wd = lr, beta1, beta2, eps, weight_decay
        self.maximize, self.decoupled = maximize, decoupled_weight_decay
        self.m, self.v = torch.zeros_like(self.p), torch.zeros_like(self.p)
        self.t = 0
        self.x = x

    def step(self, g):
        grad = torch.tensor(g)
        if self.maximize:
            grad = -grad
        self.t += 1
        step, lr = self.t, self.lr
        bias_correction1 = 1 - self.b1 ** step
        bias_correction2 = 1 - self.b2 ** step
        if self.wd != 0:
            if self.decoupled:
                self.p.mul_(1 - lr * self.wd)
            else:
                grad = grad.add(self.p, alpha=self.wd)
        self.m.mul_(self.b1).add_(grad, alpha=1 - self.b1)
        self.v.mul_(self.b2).addcmul_(grad, grad, value=1 - self.b2)
        bias_corrected_exp_avg = self.m / bias_correction1
        rho_inf = 2 / (1 - self.b2) - 1
        rho_t = rho_inf - 2 * step * (self.b2 ** step) / bias_correction2
        if rho_t > 5.:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            adaptive_lr = math.sqrt(bias_correction2) / self.v.sqrt().add_(self.eps)
            self.p.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
        else:
            self.p.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
        self.x[:] = self.p.tolist()


class torch_optimizer:
    """A torch.optim class driven with gradients computed here."""

    def __init__(self, cls, x, **kwargs):
        self.p = torch.tensor(x, requires_grad=True)
        self.opt = cls([self.p], **kwargs)
        self.x = x

    def step(self, g):
        self.p.grad = torch.tensor(g)
        self.opt.step()
        self.x[:] = self.p.detach().tolist()


def torch_kwargs(params):
    """gdlab parameter names to torch's: beta1/beta2 become betas, momentum's beta is momentum."""
    kw = dict(params)
    if "beta1" in kw:
        kw["betas"] = (kw.pop("beta1"), kw.pop("beta2"))
    if "beta" in kw:
        kw["momentum"] = kw.pop("beta")
    for k in ("nesterov", "amsgrad", "centered", "maximize"):
        if k in kw:
            kw[k] = bool(kw[k])
    kw.pop("form", None)
    return kw


def make_torch(cls):
    def make(x, params):
        kw = torch_kwargs(params)
        kw["foreach"] = False  # the single-tensor path, whose order of operations the plugins follow
        return torch_optimizer(cls, x, **kw)
    return make


def make_reference(cls):
    def make(x, params):
        kw = dict(params)
        for k in ("decoupled_weight_decay", "maximize"):
            if k in kw:
                kw[k] = bool(kw[k])
        return cls(x, **kw)
    return make


# gdlab optimizer, how to build the reference, whether lr scales with the surface's gradient size,
# and two hyper-parameter sets (the second away from the defaults).
OPTIMIZERS = [
    ("sgd", make_torch(torch.optim.SGD), True, [
        {"lr": 0.02, "momentum": 0.5, "weight_decay": 0.05, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.02},
        {"lr": 0.01, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.05},
        {"lr": 0.01, "momentum": 0.9, "nesterov": 1},
    ]),
    ("momentum", make_torch(torch.optim.SGD), True, [
        {"lr": 0.01, "beta": 0.9},
        {"lr": 0.005, "beta": 0.7},
    ]),
    ("adagrad", make_torch(torch.optim.Adagrad), False, [
        {"lr": 0.3, "weight_decay": 0.02, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.3},
        {"lr": 0.5, "lr_decay": 0.01, "weight_decay": 0.02, "initial_accumulator_value": 0.1,
         "eps": 1e-6},
    ]),
    ("rmsprop", make_torch(torch.optim.RMSprop), False, [
        {"lr": 0.01, "momentum": 0.5, "centered": 1, "weight_decay": 0.01, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.01},
        {"lr": 0.002, "alpha": 0.95, "eps": 1e-6, "weight_decay": 0.01, "momentum": 0.5,
         "centered": 1},
    ]),
    ("adadelta", make_torch(torch.optim.Adadelta), False, [
        {"lr": 1.0, "weight_decay": 0.01, "maximize": 1, "_on": "multimodal"},
        {"lr": 1.0},
        {"lr": 1.0, "rho": 0.8, "eps": 1e-5, "weight_decay": 0.01},
    ]),
    ("adam", make_torch(torch.optim.Adam), False, [
        {"lr": 0.05, "weight_decay": 0.01, "amsgrad": 1, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.05},
        {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01, "amsgrad": 1},
    ]),
    ("adamw", make_torch(torch.optim.AdamW), False, [
        {"lr": 0.05, "weight_decay": 0.1, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.05},
        {"lr": 0.03, "beta1": 0.85, "beta2": 0.995, "eps": 1e-7, "weight_decay": 0.1, "amsgrad": 1},
    ]),
    ("adamax", make_torch(torch.optim.Adamax), False, [
        {"lr": 0.05, "weight_decay": 0.01, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.05},
        {"lr": 0.02, "beta1": 0.7, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01},
    ]),
    ("nadam", make_reference(nadam_reference), False, [
        {"lr": 0.02, "weight_decay": 0.01, "maximize": 1, "_on": "multimodal"},
        {"lr": 0.05},
        {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01,
         "momentum_decay": 0.01},
        {"lr": 0.02, "weight_decay": 0.05, "decoupled_weight_decay": 1},
    ]),
    ("radam", make_torch(torch.optim.RAdam), True, [
        {"lr": 0.05},
        {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.01},
    ]),
    ("radam", make_reference(radam_reference), True, [
        {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": 1},
        {"lr": 0.02, "beta2": 0.99, "weight_decay": 0.01, "maximize": 1, "_on": "multimodal"},
    ]),
    ("lion", make_reference(lion_reference), False, [
        {"lr": 0.01},
        {"lr": 0.003, "beta1": 0.8, "beta2": 0.95, "weight_decay": 0.1},
    ]),
]


def trajectory(make, params, grad, start):
    x = list(start)
    opt = make(x, params)
    points = []
    for _ in range(STEPS):
        opt.step(grad(opt.x))
        points.append(list(opt.x))
    return points


def deviation(a, b):
    return max(abs(p - q) / max(abs(q), 1.0) for pa, pb in zip(a, b) for p, q in zip(pa, pb))


def fmt_params(params):
    return " ".join("%s=%r" % (k, v) for k, v in params.items())


def write_optimizers():
    files, refused = {}, []
    for name, make, grad_scaled, sets in OPTIMIZERS:
        lines = files.setdefault(name, [])
        for params in sets:
            for surface, sparams, make_grad, start, lr_scale in SURFACES:
                p = dict(params)
                if p.pop("_on", surface) != surface:
                    continue
                if grad_scaled:
                    p["lr"] = p["lr"] * lr_scale
                grad = make_grad(sparams)
                ref = trajectory(make, p, grad, start)
                nudged = [start[0] * (1 + 2.0 ** -52), start[1]]
                sensitivity = deviation(trajectory(make, p, grad, nudged), ref)
                flat = [abs(v) for pt in ref for v in pt]
                if not all(math.isfinite(v) for v in flat) or max(flat) > 1e6:
                    refused.append("%s %s on %s diverges" % (name, p, surface))
                elif sensitivity > 1e-13:
                    refused.append("%s %s on %s: a 1-ulp change of the start moves the path by %.1e: "
                                   "too ill-conditioned to compare at 1e-12" % (name, p, surface,
                                                                                sensitivity))
                lines.append("case %s %s" % (name, fmt_params(p)))
                lines.append("surface %s %s" % (surface, fmt_params(sparams)))
                lines.append("start %r %r" % tuple(start))
                lines.append("steps %d" % STEPS)
                lines.extend("%r %r" % tuple(pt) for pt in ref)
                print("%-9s %-26s %-10s end (%.6g, %.6g)  1-ulp sensitivity %.1e"
                      % (name, fmt_params(p)[:26], surface, ref[-1][0], ref[-1][1], sensitivity))
    if refused:
        sys.exit("pick other parameters for:\n  " + "\n  ".join(refused))
    for name, lines in files.items():
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write("# %s: %d-step float64 reference trajectories written by gen_reference.py "
                    "(torch %s).\n" % (name, STEPS, torch.__version__))
            f.write("# case OPTIMIZER PARAMS / surface NAME PARAMS / start X Y / steps N / N lines "
                    "of x_k y_k, k = 1..N\n")
            f.write("\n".join(lines) + "\n")


# ---- optimizers driven by schedules --------------------------------------------------------------

# gdlab optimizer and parameters, schedule spec (as test_schedules.c reads it), surface, torch
# optimizer and scheduler. The cycled momentum is SGD's and RMSprop's momentum and Adam's beta1;
# ReduceLROnPlateau's k-th step() gets the loss after optimizer step k.
SCHEDULED = [
    ("sgd", {"lr": 0.01, "momentum": 0.9}, "cyclic max_lr=0.04 step_size_up=15", "quadratic",
     torch.optim.SGD, lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.04, step_size_up=15)),
    ("adam", {"lr": 0.05}, "onecycle total_steps=200 pct_start=0.2", "rosenbrock", torch.optim.Adam,
     lambda o: S.OneCycleLR(o, max_lr=0.05, total_steps=200, pct_start=0.2)),
    ("rmsprop", {"lr": 0.01, "momentum": 0.5}, "onecycle total_steps=200 three_phase=1", "multimodal",
     torch.optim.RMSprop, lambda o: S.OneCycleLR(o, max_lr=0.01, total_steps=200, three_phase=True)),
    ("sgd", {"lr": 0.002, "momentum": 0.8}, "plateau factor=0.5 patience=4 threshold=0.001",
     "rosenbrock", torch.optim.SGD,
     lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=4, threshold=0.001)),
    ("adam", {"lr": 0.3}, "plateau factor=0.3 patience=2 threshold_mode=abs threshold=1e-6 cooldown=3",
     "quadratic", torch.optim.Adam,
     lambda o: S.ReduceLROnPlateau(o, factor=0.3, patience=2, threshold_mode="abs", threshold=1e-6,
                                   cooldown=3)),
    ("sgd", {"lr": 0.04}, "sequential milestones=10 | linear start_factor=0.1 total_iters=10 | "
     "cosine T_max=190 eta_min=0.001", "quadratic", torch.optim.SGD,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=10),
                                  S.CosineAnnealingLR(o, T_max=190, eta_min=0.001)], milestones=[10])),
]

S = torch.optim.lr_scheduler


def scheduled_trajectory(name, params, make_scheduler, cls, surface, start):
    sparams, make_grad = next((sp, mg) for n, sp, mg, _, _ in SURFACES if n == surface)
    grad, loss = make_grad(sparams), LOSSES[surface](sparams)
    x = list(start)
    opt = torch_optimizer(cls, x, **dict(torch_kwargs(params), foreach=False))
    sched = make_scheduler(opt.opt)
    plateau = isinstance(sched, S.ReduceLROnPlateau)
    points = []
    for _ in range(STEPS):
        opt.step(grad(opt.x))
        points.append(list(opt.x))
        if plateau:
            sched.step(loss(opt.x))
        else:
            sched.step()
    return points


def write_scheduled():
    lines = []
    for name, params, spec, surface, cls, make_scheduler in SCHEDULED:
        sparams, start = next((sp, st) for n, sp, _, st, _ in SURFACES if n == surface)
        ref = scheduled_trajectory(name, params, make_scheduler, cls, surface, start)
        nudged = [start[0] * (1 + 2.0 ** -52), start[1]]
        sensitivity = deviation(scheduled_trajectory(name, params, make_scheduler, cls, surface, nudged),
                                ref)
        if sensitivity > 1e-13 or not all(math.isfinite(v) for pt in ref for v in pt):
            sys.exit("%s with %s on %s: 1-ulp sensitivity %.1e, pick another case"
                     % (name, spec, surface, sensitivity))
        lines.append("case %s %s" % (name, fmt_params(params)))
        lines.append("schedule %s" % spec)
        lines.append("surface %s %s" % (surface, fmt_params(sparams)))
        lines.append("start %r %r" % tuple(start))
        lines.append("steps %d" % STEPS)
        lines.extend("%r %r" % tuple(pt) for pt in ref)
        print("%-8s %-50s %-10s end (%.6g, %.6g)  1-ulp sensitivity %.1e"
              % (name, spec[:50], surface, ref[-1][0], ref[-1][1], sensitivity))
    with open(os.path.join(OUT, "scheduled.txt"), "w") as f:
        f.write("# optimizers driven by schedules: %d-step float64 reference trajectories written by "
                "gen_reference.py (torch %s).\n" % (STEPS, torch.__version__))
        f.write("# case OPTIMIZER PARAMS / schedule SPEC / surface NAME PARAMS / start X Y / steps N / "
                "N lines of x_k y_k\n")
        f.write("\n".join(lines) + "\n")


# ---- schedules -------------------------------------------------------------------------------------

# The functions of LambdaLR and MultiplicativeLR cases, by the name the reference file gives them;
# test_schedules.c has the same ones.
LAMBDAS = {
    "inverse": lambda e: 1.0 / (1.0 + 0.1 * e),
    "warmup": lambda e: min(1.0, e / 10.0),
    "bump": lambda e: 1.05 if e % 4 == 0 else 0.95,
}


def plateau_losses(steps):
    """A loss that falls, stalls on plateaus with small wiggles, and falls again: what
    ReduceLROnPlateau is for. Deterministic, written to the file, so C reads the same numbers."""
    out = []
    for k in range(1, steps + 1):
        level = 1.0 / (1.0 + 0.05 * min(k, 15)) + (0.3 / (1.0 + 0.05 * (k - 40)) if k > 40 else 0.0)
        out.append(level + 0.002 * math.sin(1.7 * k) + (0.01 if k % 9 == 0 else 0.0))
    return out


def schedule_sequence(make_scheduler, base_lr, steps, optimizer="sgd", losses=None):
    """The lr (and momentum) each optimizer step t = 1..steps uses: the scheduler's after t-1 step()
    calls; ReduceLROnPlateau's k-th call gets losses[k-1], the loss after step k."""
    p = torch.zeros(1, requires_grad=True)
    opt = (torch.optim.SGD([p], lr=base_lr, momentum=0.9) if optimizer == "sgd"
           else torch.optim.Adam([p], lr=base_lr))
    sched = make_scheduler(opt)
    rows = []
    for t in range(steps):
        group = opt.param_groups[0]
        rows.append((group["lr"], group["momentum"] if "momentum" in group else group["betas"][0]))
        opt.step()
        if losses is None:
            sched.step()
        else:
            sched.step(losses[t])
    return rows


S = torch.optim.lr_scheduler
# gdlab spec (kind and options; parts after " | "), base lr, steps, torch scheduler, and what is
# compared: "lr", "lr momentum" (CyclicLR, OneCycleLR with cycle_momentum) or "lr loss" (plateau:
# the loss column is the input). Cases with momentum run SGD(momentum=0.9), or Adam where named.
SCHEDULES = [
    ("constant factor=0.5 total_iters=4", 0.1, 20, lambda o: S.ConstantLR(o, factor=0.5, total_iters=4)),
    ("constant factor=0.25 total_iters=10", 0.3, 30,
     lambda o: S.ConstantLR(o, factor=0.25, total_iters=10)),
    ("step step_size=7 gamma=0.5", 0.1, 60, lambda o: S.StepLR(o, step_size=7, gamma=0.5)),
    ("step step_size=30", 1.0, 100, lambda o: S.StepLR(o, step_size=30)),
    ("multistep milestones=10,25,60 gamma=0.5", 0.1, 80,
     lambda o: S.MultiStepLR(o, milestones=[10, 25, 60], gamma=0.5)),
    ("multistep milestones=70,20,20", 0.2, 100, lambda o: S.MultiStepLR(o, milestones=[70, 20, 20])),
    ("exponential gamma=0.97", 0.1, 150, lambda o: S.ExponentialLR(o, gamma=0.97)),
    ("exponential gamma=0.9", 2.0, 100, lambda o: S.ExponentialLR(o, gamma=0.9)),
    ("cosine T_max=50", 0.1, 120, lambda o: S.CosineAnnealingLR(o, T_max=50)),
    ("cosine T_max=100 eta_min=0.001", 0.05, 100,
     lambda o: S.CosineAnnealingLR(o, T_max=100, eta_min=0.001)),
    ("cosine_restarts T_0=10", 0.1, 50, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10)),
    ("cosine_restarts T_0=5 T_mult=2 eta_min=0.01", 0.1, 100,
     lambda o: S.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=0.01)),
    ("cyclic max_lr=0.5 step_size_up=10 cycle_momentum=0", 0.01, 70,
     lambda o: S.CyclicLR(o, base_lr=0.01, max_lr=0.5, step_size_up=10, cycle_momentum=False)),
    ("cyclic max_lr=0.2 step_size_up=8 step_size_down=12 mode=triangular2", 0.02, 100,
     lambda o: S.CyclicLR(o, base_lr=0.02, max_lr=0.2, step_size_up=8, step_size_down=12,
                          mode="triangular2")),
    ("cyclic max_lr=1.0 step_size_up=5 mode=exp_range gamma=0.99 base_momentum=0.7 max_momentum=0.95",
     0.1, 80, lambda o: S.CyclicLR(o, base_lr=0.1, max_lr=1.0, step_size_up=5, mode="exp_range",
                                   gamma=0.99, base_momentum=0.7, max_momentum=0.95)),
    ("onecycle total_steps=100", 0.1, 100, lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=100)),
    ("onecycle total_steps=100 cycle_momentum=0", 0.1, 100,
     lambda o: S.OneCycleLR(o, max_lr=0.1, total_steps=100, cycle_momentum=False)),
    ("onecycle total_steps=120 pct_start=0.25 anneal_strategy=linear div_factor=10.0 "
     "final_div_factor=100.0 three_phase=1 base_momentum=0.8 max_momentum=0.9", 0.5, 120,
     lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=120, pct_start=0.25, anneal_strategy="linear",
                            div_factor=10.0, final_div_factor=100.0, three_phase=True,
                            base_momentum=0.8, max_momentum=0.9), "adam"),
    ("linear", 0.1, 20, lambda o: S.LinearLR(o)),
    ("linear start_factor=0.1 end_factor=0.5 total_iters=30", 0.2, 50,
     lambda o: S.LinearLR(o, start_factor=0.1, end_factor=0.5, total_iters=30)),
    ("polynomial", 0.1, 20, lambda o: S.PolynomialLR(o)),
    ("polynomial total_iters=40 power=2.5", 0.3, 60, lambda o: S.PolynomialLR(o, total_iters=40, power=2.5)),
    ("lambda lr_lambda=inverse", 0.1, 50, lambda o: S.LambdaLR(o, LAMBDAS["inverse"])),
    ("lambda lr_lambda=warmup", 0.2, 30, lambda o: S.LambdaLR(o, LAMBDAS["warmup"])),
    ("multiplicative lr_lambda=bump", 0.1, 60, lambda o: S.MultiplicativeLR(o, LAMBDAS["bump"])),
    ("sequential milestones=5 | linear start_factor=0.1 total_iters=5 | cosine T_max=45", 0.1, 60,
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                  S.CosineAnnealingLR(o, T_max=45)], milestones=[5])),
    ("sequential milestones=10,30 | constant factor=0.5 total_iters=10 | exponential gamma=0.9 | "
     "step step_size=5 gamma=0.5", 0.2, 60,
     lambda o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=10),
                                  S.ExponentialLR(o, gamma=0.9), S.StepLR(o, step_size=5, gamma=0.5)],
                              milestones=[10, 30])),
    ("chained | constant factor=0.1 total_iters=3 | exponential gamma=0.9", 1.0, 30,
     lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=3),
                                   S.ExponentialLR(o, gamma=0.9)])),
    ("chained | linear start_factor=0.2 total_iters=8 | multistep milestones=12,20 gamma=0.5 | "
     "polynomial total_iters=30 power=2.0", 0.5, 40,
     lambda o: S.ChainedScheduler([S.LinearLR(o, start_factor=0.2, total_iters=8),
                                   S.MultiStepLR(o, milestones=[12, 20], gamma=0.5),
                                   S.PolynomialLR(o, total_iters=30, power=2.0)])),
    ("plateau", 0.1, 120, lambda o: S.ReduceLROnPlateau(o), "sgd", True),
    ("plateau factor=0.5 patience=3 threshold=0.01 threshold_mode=abs cooldown=2 min_lr=0.02 eps=1e-3",
     0.5, 120, lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=3, threshold=0.01,
                                            threshold_mode="abs", cooldown=2, min_lr=0.02, eps=1e-3),
     "sgd", True),
    ("plateau mode=max factor=0.7 patience=2 threshold=0.05", 1.0, 120,
     lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.7, patience=2, threshold=0.05), "sgd", True),
]


def write_schedules():
    lines = []
    for case in SCHEDULES:
        spec, base_lr, steps, make = case[:4]
        optimizer = case[4] if len(case) > 4 else "sgd"
        losses = plateau_losses(steps) if len(case) > 5 else None
        rows = schedule_sequence(make, base_lr, steps, optimizer, losses)
        cycled = spec.startswith(("cyclic", "onecycle")) and "cycle_momentum=0" not in spec
        columns = "lr loss" if losses else ("lr momentum" if cycled else "lr")
        lines.append("schedule %s" % spec)
        lines.append("base_lr %r" % base_lr)
        lines.append("steps %d" % steps)
        lines.append("columns %s" % columns)
        for t, (lr, momentum) in enumerate(rows):
            extra = (" %r" % losses[t]) if losses else ((" %r" % momentum) if cycled else "")
            lines.append("%r%s" % (lr, extra))
    with open(os.path.join(OUT, "schedules.txt"), "w") as f:
        f.write("# value of optimizer steps t = 1..N: torch.optim.lr_scheduler's after t-1 step() calls, "
                "written by gen_reference.py (torch %s).\n" % torch.__version__)
        f.write("# schedule KIND OPTIONS [| PART OPTIONS ...] (lists comma-separated) / base_lr LR / "
                "steps N / columns NAMES / N lines: lr_t, and momentum_t (cycled momentum: SGD's "
                "momentum or Adam's beta1) or loss_t (the loss after step t, given to plateau)\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_optimizers()
    write_scheduled()
    write_schedules()
