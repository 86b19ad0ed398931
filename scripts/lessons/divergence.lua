-- SPDX-License-Identifier: MIT
-- Lesson: where gradient descent diverges, and why exactly there.
--
-- Seed 003's exercise 5 ("Divergence Analysis: find learning rates that cause divergence and explain
-- why"), on the notebook's bowl f = x² + 3y² from (2, −1). Its Hessian is diag(2, 6), and one GD step
-- multiplies the error along each eigenvector by 1 − lr·λ (λ = 2, 6). The run converges when both
-- factors have |1 − lr·λ| < 1, i.e. lr < 2/L with L = λmax = 6: lr < 1/3. The slowest factor,
-- max(|1 − 2·lr|, |1 − 6·lr|), is smallest (1/2) at lr = 2/(λmin + λmax) = 1/4.
--   divergence.png  left: the two factors against lr; middle: the loss after 50 steps for 90 rates
--                   (guard off, so diverging runs show how far they got), with the rates gdlab calls
--                   diverged; right: the loss of runs on either side of 2/L, step by step: once the
--                   x error is gone it changes by the factor (1 − 6·lr)² a step
-- The script also finds the limit by experiment: the largest rate on the grid that gdlab does not
-- call diverged within 2000 steps, and the smallest that it does, bracket 1/3.
--
--   gdlab scripts/lessons/divergence.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local bowl = gd.surface("quadratic", {a = 1, b = 3}) -- x² + 3y², Hessian diag(2, 6)
local start = {2, -1}
local curvatures = {2, 6}
local limit = 2 / curvatures[2] -- 2/L

local function run(lr, steps, guard)
  local config = {surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = start, steps = steps}
  if not guard then config.bound, config.blowup = math.huge, math.huge end
  return gd.run(config)
end

-- The rate grid: 0.005, 0.010, ..., 0.450.
local rates, after50, verdict_lr, verdict_loss = {}, {}, {}, {}
local stable_max, diverged_min = 0, math.huge
for i = 1, 90 do
  local lr = 0.005 * i
  rates[i] = lr
  after50[i] = run(lr, 50, false).loss[51]
  if run(lr, 2000, true).status == "diverged" then
    diverged_min = math.min(diverged_min, lr)
    verdict_lr[#verdict_lr + 1], verdict_loss[#verdict_loss + 1] = lr, after50[i]
  else
    stable_max = math.max(stable_max, lr)
  end
end
print(("theory: GD on x² + 3y² is stable for lr < 2/L = %.4f"):format(limit))
print(("experiment: largest lr not diverged in 2000 steps %.3f, smallest diverged %.3f"):format(
  stable_max, diverged_min))

-- The factors |1 − lr·λ| on a fine grid.
local fine, factor_x, factor_y, slowest = {}, {}, {}, {}
for i = 0, 450 do
  local lr = i / 1000
  fine[#fine + 1] = lr
  factor_x[#factor_x + 1] = math.abs(1 - lr * curvatures[1])
  factor_y[#factor_y + 1] = math.abs(1 - lr * curvatures[2])
  slowest[#slowest + 1] = math.max(factor_x[#factor_x], factor_y[#factor_y])
end

local fig = gd.figure{name = "divergence", size = {1500, 520}, layout = {rows = 1, cols = 3},
                      title = "Divergence Analysis — GD on x² + 3y²"}
fig:lines{panel = 1, series = {
            {x = fine, y = factor_x, label = "|1 − 2·lr|  (x, λ = 2)"},
            {x = fine, y = factor_y, label = "|1 − 6·lr|  (y, λ = 6)"},
            {x = fine, y = slowest, label = "the slower of the two", dashed = true, color = "#444444"}},
          hlines = {{1, label = "1: stable below"}},
          vlines = {{0.25, label = "fastest 1/4"}, {limit, label = "2/L = 1/3"}},
          xlim = {0, 0.45}, ylim = {0, 1.8}, grid = true, legend = "upper left",
          title = "Error factor per step", xlabel = "learning rate", ylabel = "|1 − lr·λ|"}
fig:lines{panel = 2, series = {
            {x = rates, y = after50, marker = "o", marker_size = 4, label = "loss after 50 steps"},
            {x = verdict_lr, y = verdict_loss, marker = "x", marker_size = 9, width = 0,
             label = "gdlab: diverged (within 2000 steps)"}},
          vlines = {{limit, label = "2/L"}}, hlines = {{bowl(start[1], start[2]), label = "start loss"}},
          ylog = true, xlim = {0, 0.45}, grid = true, legend = "upper left",
          title = "Loss after 50 steps", xlabel = "learning rate", ylabel = "loss"}
local near = {}
for i, lr in ipairs{0.25, 0.32, 0.34, 0.36} do
  near[i] = run(lr, 100, true)
  near[i].label = ("lr = %.2f: ×%.3f a step"):format(lr, (1 - 6 * lr) ^ 2)
  if near[i].status == "diverged" then
    near[i].label = near[i].label .. (", diverged at step %d"):format(near[i].stop_step)
  end
end
fig:loss{panel = 3, runs = near, grid = true, legend = "upper right", ylim = {1e-30, 1e25},
         title = "Loss step by step: ×(1 − 6·lr)² once x is gone", xlabel = "step", ylabel = "loss"}
print("wrote " .. fig:close())
