-- SPDX-License-Identifier: MIT
-- Seed 004 (the "ch228" visualizer), as scripts/lessons/sgd_momentum_adam.lua and lr_sensitivity.lua
-- run it, against the seed's own code (tests/lessons/seed_reference.lua, gen_seed_reference.py).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local ref = dofile("tests/lessons/seed_reference.lua").seed004

local surfaces = {
  quadratic = {gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1}), {2.5, 2.5}},
  rosenbrock = {gd.surface("rosenbrock"), {-1, 2}},
  saddle = {gd.surface("saddle"), {1.5, 0.1}},
}
local optimizers = {
  sgd = gd.optimizer("gd", {lr = 0.05}),
  momentum = gd.optimizer("momentum", {lr = 0.05, beta = 0.9}), -- the seed's v = μv + g, w −= lr·v
  adam = gd.optimizer("adam", {lr = 0.1}),
}
-- The seed's numbers to 1e-9, relative above 1 and absolute below.
local function close(a, b, what) check.within(a, b, 1e-9 * math.max(1, math.abs(b)), what) end

local verdicts = {}
for _, case in ipairs(ref.runs) do
  local s = surfaces[case.surface]
  local run = gd.run{surface = s[1], optimizer = optimizers[case.optimizer], start = s[2], steps = 150}
  local what = case.surface .. "/" .. case.optimizer
  -- Every point gdlab kept is the seed's point.
  for step, p in pairs(case.points) do
    if step <= run.steps then
      close(run.x[step + 1], p[1], what .. " x at step " .. step)
      close(run.y[step + 1], p[2], what .. " y at step " .. step)
    end
  end
  if case.first_nonfinite_step then
    -- numpy overflowed (the seed's warnings): gdlab must have stopped the run as diverged before that.
    assert(run.status == "diverged" and run.stop_step < case.first_nonfinite_step, what .. ": " .. run.reason)
  elseif run.status == "diverged" then
    -- gdlab stopped a run the seed carried on (the saddle, unbounded below): the seed's run went on
    -- far out of the picture too.
    assert(case.surface == "saddle" and case.final_loss < -1e6, what .. ": " .. run.reason)
  else
    assert(run.steps == 150, what)
    close(run.loss[151], case.final_loss, what .. " final loss")
  end
  verdicts[what] = run.status
end
assert(verdicts["rosenbrock/sgd"] == "diverged" and verdicts["rosenbrock/momentum"] == "diverged" and
       verdicts["rosenbrock/adam"] == "max_steps", "Rosenbrock verdicts")

-- Learning-rate sensitivity: 100 GD steps from (2.5, 2.5). Stable rates match the seed; beyond
-- 2/L = 0.2 the w2 error 1.5·|1 − 10·lr|^k passes gdlab's bound (5000) at step ⌈ln(5000/1.5)/ln|1 − 10·lr|⌉.
local bowl = surfaces.quadratic[1]
for _, case in ipairs(ref.lr_sensitivity) do
  local lr = case.lr
  local run = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = {2.5, 2.5}, steps = 100}
  if lr < 0.2 then
    assert(run.status == "max_steps", "lr " .. lr .. ": " .. run.reason)
    close(run.x[101], case.final[1], "lr " .. lr .. " final w1")
    close(run.y[101], case.final[2], "lr " .. lr .. " final w2")
  else
    local factor = math.abs(1 - 10 * lr)
    local expected = math.ceil(math.log(5000 / 1.5) / math.log(factor))
    assert(run.status == "diverged" and run.stop_step == expected,
           ("lr %g: %s (expected divergence at step %d)"):format(lr, run.reason, expected))
  end
end
print("ch228_numbers: the seed's trajectories reproduced; its overflowing runs reported diverged")
