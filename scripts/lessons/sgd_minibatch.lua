-- SPDX-License-Identifier: MIT
-- Lesson: stochastic gradient descent with mini-batches, and the noise floor it settles on.
--
-- Seed 003's exercise 1 ("Explore SGD: implement stochastic gradient descent with mini-batches on a
-- simple regression dataset"). The data set is gdlab's `linreg` surface: 64 points y = 2x − 1 + noise
-- (σ = 0.5), the loss the mean squared error of a line y = w·x + b; each step's gradient comes from a
-- mini-batch drawn with replacement (gd.run's seed picks the draws), the loss plotted is the full one.
--   sgd_minibatch.png  left: SGD (lr 0.05) with batches of 1, 8 and 64 points on the (w, b) map;
--                      middle: their excess loss f − f_{min}; right: the level it settles at (the
--                      mean excess over steps 200–600, 4 seeds) against the batch size, for three
--                      learning rates.
-- With a constant lr, SGD does not converge: it jitters around the least-squares line, and the
-- jitter's loss is proportional to lr / batch — halve the rate or double the batch and the floor
-- halves (the stationary spread of SGD: S. Mandt, M. D. Hoffman, D. M. Blei, "Stochastic Gradient
-- Descent as Approximate Bayesian Inference", JMLR 18, 2017, eq. 13; for a quadratic loss the
-- excess is lr·tr(H·C)/(4·batch) to first order in lr, C the per-point gradient covariance).
--
--   gdlab scripts/lessons/sgd_minibatch.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local function data(batch) return gd.surface("linreg", {batch = batch}) end
local f_min = data(1):landmarks()[1].value -- the least-squares loss: the noise in the data

local function excess(run)
  local e = {}
  for k, f in ipairs(run.loss) do e[k] = f - f_min end
  return e
end

-- The three runs on the map.
local shown = {}
for i, batch in ipairs{1, 8, 64} do
  local run = gd.run{surface = data(batch), optimizer = gd.optimizer("sgd", {lr = 0.05}), steps = 200,
                     seed = 1, label = ("batch %d"):format(batch)}
  shown[i] = {run, label = run.label, excess = excess(run)}
end

-- The floor: the mean excess over steps 200..600, averaged over 4 seeds.
local batches, rates = {1, 2, 4, 8, 16, 32, 64}, {0.02, 0.05, 0.1}
local floors = {}
for r, lr in ipairs(rates) do
  floors[r] = {}
  for b, batch in ipairs(batches) do
    local sum, count = 0, 0
    for seed = 1, 4 do
      local run = gd.run{surface = data(batch), optimizer = gd.optimizer("sgd", {lr = lr}), steps = 600, seed = seed}
      for k = 201, #run.loss do sum, count = sum + run.loss[k] - f_min, count + 1 end
    end
    floors[r][b] = sum / count
  end
  print(("lr = %-4g noise floor: batch 1 %.2e, batch 64 %.2e (ratio %.1f; lr/batch predicts 64)"):format(
    lr, floors[r][1], floors[r][#batches], floors[r][1] / floors[r][#batches]))
end

local fig = gd.figure{name = "sgd_minibatch", size = {1500, 520}, layout = {rows = 1, cols = 3},
                      title = "Mini-batch SGD on a linear regression (64 points)"}
local map_runs = {}
for i, s in ipairs(shown) do map_runs[i] = {s[1], label = s.label} end
fig:contour{panel = 1, surface = data(1), x = {-1.5, 3}, y = {-2.2, 2}, levels = "log", runs = map_runs, marker_size = 2.5, width = 1.2,
            legend = "upper right", title = "SGD, lr = 0.05, 200 steps", xlabel = "slope w",
            ylabel = "intercept b"}
local curves = {}
for i, s in ipairs(shown) do
  local steps = {}
  for k = 1, #s.excess do steps[k] = k - 1 end
  curves[i] = {x = steps, y = s.excess, label = s.label, width = 1.2}
end
fig:lines{panel = 2, series = curves, ylog = true, grid = true, legend = "upper right",
          title = "Excess loss f − f_{min}", xlabel = "step", ylabel = "f − f_{min}"}
local series = {}
for r, lr in ipairs(rates) do
  series[#series + 1] = {x = batches, y = floors[r], marker = "o", label = ("lr = %g"):format(lr)}
end
local slope = {} -- the prediction ∝ lr/batch, through the lr = 0.05, batch 1 point
for b, batch in ipairs(batches) do slope[b] = floors[2][1] / batch end
series[#series + 1] = {x = batches, y = slope, dashed = true, color = "#888888", label = "∝ 1/batch"}
local ticks = {labels = {}}
for b, batch in ipairs(batches) do ticks[b], ticks.labels[b] = batch, tostring(batch) end
fig:lines{panel = 3, series = series, xlog = true, ylog = true, grid = true, legend = "upper right", xticks = ticks,
          title = "Where SGD settles: ∝ lr / batch", xlabel = "batch size",
          ylabel = "mean f − f_{min}, steps 200–600"}
print("wrote " .. fig:close())
