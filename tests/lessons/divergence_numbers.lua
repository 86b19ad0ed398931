-- SPDX-License-Identifier: MIT
-- Seed 003's exercise 5, as scripts/lessons/divergence.lua measures it: GD on x² + 3y² (Hessian
-- diag(2, 6)) is stable exactly for lr < 2/L = 1/3, is fastest at lr = 2/(λmin + λmax) = 1/4, and a
-- step multiplies the y error by 1 − 6·lr.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local bowl = gd.surface("quadratic", {a = 1, b = 3})
local function run(lr, steps, guard)
  local config = {surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = {2, -1}, steps = steps}
  if not guard then config.bound, config.blowup = math.huge, math.huge end
  return gd.run(config)
end

-- The experiment brackets 1/3 between neighbouring grid rates.
local stable_max, diverged_min, best_lr, best_loss = 0, math.huge, nil, math.huge
for i = 1, 90 do
  local lr = 0.005 * i
  if run(lr, 2000, true).status == "diverged" then
    diverged_min = math.min(diverged_min, lr)
  else
    stable_max = math.max(stable_max, lr)
  end
  local after50 = run(lr, 50, false).loss[51]
  if after50 < best_loss then best_lr, best_loss = lr, after50 end
end
assert(stable_max < 1 / 3 and diverged_min > 1 / 3, ("bracket %g .. %g"):format(stable_max, diverged_min))
check.within(diverged_min - stable_max, 0.005, 1e-12, "the bracket's width (one grid step)")
-- Fastest at 1/4: both errors shrink by 1/2 a step, so the loss after 50 steps is 7·2^−100.
check.within(best_lr, 0.25, 1e-12, "the fastest rate on the grid")
check.near(best_loss, 7 * 2 ^ -100, 1e-9, "loss after 50 steps at lr 1/4")

-- Beyond the limit the y error grows by |1 − 6·lr| every step: ×1.4 at lr = 0.4.
local r = run(0.4, 40, false)
for k = 2, 40 do
  local ratio = r.y[k + 1] / r.y[k]
  check.within(ratio, -1.4, 1e-12, "y ratio at step " .. k)
end
-- Just below it (lr = 0.33) the run survives 2000 steps, just above (0.34) gdlab calls it diverged.
assert(run(0.33, 2000, true).status == "max_steps" and run(0.34, 2000, true).status == "diverged")
print(("divergence_numbers: stable up to %.3f, diverged from %.3f (2/L = %.4f); fastest lr %.2f"):format(
  stable_max, diverged_min, 1 / 3, best_lr))
