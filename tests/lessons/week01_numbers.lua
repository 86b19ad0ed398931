-- SPDX-License-Identifier: MIT
-- Seed 003 ("Week 01 — Optimization Intuition" notebook): the numbers behind
-- scripts/lessons/gd_vs_momentum.lua, lr_sweep.lua and landscapes.lua. References: the closed form
-- of GD on x² + 3y² (x_k = x0·(1 − 2·lr)^k, y_k = y0·(1 − 6·lr)^k) and the notebook's own code
-- (tests/lessons/seed_reference.lua, written by gen_seed_reference.py).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local ref = dofile("tests/lessons/seed_reference.lua").seed003

local bowl = gd.surface("quadratic", {a = 1, b = 3})

-- Section 2: GD from (2, −1), lr 0.1, 50 steps follows the closed form point by point.
local plain = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {2, -1}, steps = 50}
assert(plain.status == "max_steps" and plain.steps == 50, plain.reason)
for k = 0, 50 do
  check.near(plain.x[k + 1], 2 * 0.8 ^ k, 1e-13, "x_" .. k)
  check.near(plain.y[k + 1], -(0.4 ^ k), 1e-13, "y_" .. k)
end
check.near(plain.loss[51], ref.gd_final_loss, 1e-12, "GD final loss")
local printed = ("Final position: (%.4f, %.4f) / Final loss: %.6f"):format(plain.x[51], plain.y[51], plain.loss[51])
assert(printed == ref.gd_printed, printed)

-- Section 3: momentum in the notebook's form v = μv − lr·g, x += v (lr 0.1, μ 0.9).
local heavy = gd.run{surface = bowl, optimizer = gd.optimizer("momentum_notebook", {lr = 0.1, mu = 0.9}),
                     start = {2, -1}, steps = 50}
check.near(heavy.x[51], ref.momentum_final[1], 1e-10, "momentum final x")
check.near(heavy.y[51], ref.momentum_final[2], 1e-10, "momentum final y")
check.near(heavy.loss[51], ref.momentum_final_loss, 1e-10, "momentum final loss")
assert(("Momentum final loss: %.6f"):format(heavy.loss[51]) == ref.momentum_printed)
-- ... and the PyTorch form with β = μ is the same path (the notebook's v is −lr times PyTorch's).
local torch_form = gd.run{surface = bowl, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9}),
                          start = {2, -1}, steps = 50}
check.near(torch_form.loss[51], heavy.loss[51], 1e-9, "momentum, PyTorch form")

-- The learning-rate sweep: 30 steps; loss 4·(1 − 2·lr)^60 + 3·(1 − 6·lr)^60.
for _, case in ipairs(ref.sweep) do
  local lr = case.lr
  local config = {surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = {2, -1}, steps = 30}
  local run = gd.run(config)
  local closed = 4 * (1 - 2 * lr) ^ 60 + 3 * (1 - 6 * lr) ^ 60
  check.near(case.final_loss, closed, 1e-9, "notebook's loss at lr " .. lr)
  if lr < 1 / 3 then
    assert(run.status == "max_steps" and run.steps == 30, run.reason)
    check.near(run.loss[31], closed, 1e-9, "loss after 30 steps at lr " .. lr)
  else -- lr = 0.5: y doubles and flips sign every step; gdlab stops it, the notebook did not
    assert(run.status == "diverged" and run.stop_step < 30, "lr 0.5: " .. run.reason)
    config.bound, config.blowup = math.huge, math.huge
    local unguarded = gd.run(config)
    assert(unguarded.steps == 30 and unguarded.loss[31] == 3 * 2 ^ 60, "lr 0.5 unguarded: " .. unguarded.loss[31])
  end
end

-- Section 1 / exercise 4: from (2, −1) GD on the multimodal surface settles in the local minimum at
-- (1.26551, −2.57195), f = 0.0184881, not in the global one at (−1.30644, 0).
local multi = gd.surface("multimodal")
local local_min
for _, l in ipairs(multi:landmarks()) do
  if l.kind == "local_min" and l.x[2] < 0 then local_min = l end
end
assert(local_min, "a local minimum with y < 0")
check.within(local_min.x[1], 1.26551, 1e-5, "the local minimum's x")
check.within(local_min.x[2], -2.57195, 1e-5, "the local minimum's y")
local settle = gd.run{surface = multi, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {2, -1}, steps = 500}
check.within(settle.x[#settle.x], local_min.x[1], 1e-8, "x where GD from (2, -1) ends")
check.within(settle.y[#settle.y], local_min.x[2], 1e-8, "y where GD from (2, -1) ends")
check.near(settle.loss[#settle.loss], 0.0184881, 1e-5, "local minimum value")
print("week01_numbers: closed forms, the notebook's prints and its sweep reproduced")
