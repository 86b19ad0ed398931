-- SPDX-License-Identifier: MIT
-- Lesson: Leslie Smith's learning-rate range test.
--
-- Seed 003's "next steps" ("explore Leslie Smith's LR range test"): one run whose rate grows
-- exponentially, from 10⁻⁴ to 10 over 200 steps, loss read against the rate. Mini-batch SGD (8 points
-- a batch) on gdlab's `linreg` regression from (0, 0); the loss is the full-data loss at each point
-- (gdlab records it; Smith smooths the mini-batch loss instead).
--   lr_range_test.png  left: loss against lr (log-log) with the usual picks marked: the steepest
--                      descent of the loss, a tenth of the rate at the lowest loss, and where the run
--                      blows up; right: 150 steps of plain SGD at some of those rates.
-- Reading it: at small rates nothing happens (loss flat), then the loss falls fastest at lr ≈ 0.0097
-- (the usual pick, Smith 2017; "a tenth of the rate at the lowest loss" gives 0.029), is lowest at
-- 0.29 (on a wide, noisy floor), is four times its lowest at 0.62 and blows up just past
-- 2/λmax = 0.58, the stability edge of a gradient step on this quadratic (λmax = 3.43, the Hessian's
-- largest eigenvalue): gdlab stops the run at step 167 as diverged. Trained at constant rates the
-- pick converges steadily (loss 0.180 after 150 steps, f_min = 0.176); the rate at the lowest loss
-- gets there in a few steps on this easy, convex problem, then bounces on the mini-batch noise; a
-- tenth of the pick crawls; 1.1 · 2/λmax blows up, as the test said.
-- Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017, §3.3.
--   gdlab scripts/lessons/lr_range_test.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local data = gd.surface("linreg", {batch = 8})
local f_min = data:landmarks()[1].value
local lo, hi, n = 1e-4, 10, 200
local sweep = gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = lo}), start = {0, 0}, steps = n, seed = 1,
                     schedule = {"exponential", gamma = (hi / lo) ^ (1 / (n - 1))}, curvature = true}
local lambda = sweep.lambda_max[1] -- the loss is quadratic: one Hessian everywhere

-- The rate of step k is recorded at point k + 1 (the point it produced), with that point's loss.
local lrs, losses = {}, {}
for k = 2, #sweep.loss do lrs[#lrs + 1], losses[#losses + 1] = sweep.lr[k], sweep.loss[k] end
local best = 1
for i = 2, #losses do if losses[i] < losses[best] then best = i end end
local steepest, slope = 1, math.huge -- d loss / d log10(lr), central differences, before the minimum
for i = 2, best - 1 do
  local s = (losses[i + 1] - losses[i - 1]) / (math.log(lrs[i + 1], 10) - math.log(lrs[i - 1], 10))
  if s < slope then steepest, slope = i, s end
end
local blowup = #lrs -- the first rate past the minimum at which the loss is 4 times the lowest
for i = best, #lrs do if losses[i] > 4 * losses[best] then blowup = i break end end
local picks = {steepest = lrs[steepest], tenth = lrs[best] / 10, lowest = lrs[best], blowup = lrs[blowup], edge = 2 / lambda}
print(("range test: %s at step %d; lowest loss %.4f at lr %.4g; steepest descent at lr %.4g; loss x4 at lr %.4g; 2/λmax = %.4g"):format(
  sweep.status, sweep.steps, losses[best], picks.lowest, picks.steepest, picks.blowup, picks.edge))

local trials, colors = {}, {"#3A7CA5", "#2A9D5C", "#F4A536", "#E05C4B"}
for i, t in ipairs{{picks.steepest / 10, "pick / 10"}, {picks.steepest, "the pick (steepest)"},
                   {picks.lowest, "lr at the lowest loss"}, {1.1 * picks.edge, "1.1 · 2/λ_{max}"}} do
  local r = gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = t[1]}), start = {0, 0}, steps = 150, seed = 2,
                   label = ("%s: %.3g"):format(t[2], t[1])}
  print(("  SGD at lr %-8.4g (%s): %s, loss after %d steps %.4g"):format(t[1], t[2], r.status, r.steps, r.loss[#r.loss]))
  trials[i] = {r, color = colors[i]}
end

local fig = gd.figure{name = "lr_range_test", size = {1400, 520}, layout = {rows = 1, cols = 2},
                      title = "The learning-rate range test (Smith 2017): one run, lr × 1.06 a step"}
fig:lines{panel = 1, series = {{x = lrs, y = losses, label = "loss during the test", color = "#222222"}},
          xlog = true, ylog = true, ylim = {0.1, 1e3}, legend = "lower left",
          vlines = {{picks.steepest, label = ("steepest: %.3g"):format(picks.steepest), color = "#2A9D5C"},
                    {picks.lowest, label = ("lowest: %.3g"):format(picks.lowest), color = "#F4A536"},
                    {picks.edge, label = ("\n\n2/λ_{max} = %.2f"):format(picks.edge), color = "#E05C4B"}}, -- below the others
          title = "Loss against the rate\nflat · falling fastest · lowest · blowing up",
          xlabel = "learning rate (grows 10⁻⁴ → 10 over 200 steps)", ylabel = "loss"}
fig:loss{panel = 2, runs = trials, ylim = {0.1, 20}, legend = "upper right",
         title = "Then trained at a constant rate (150 steps)\nthe pick converges; past 2/λ_{max} it blows up",
         xlabel = "step", ylabel = "loss"}
print("wrote " .. fig:close())
