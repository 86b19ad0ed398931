-- SPDX-License-Identifier: MIT
-- Lesson: what momentum remembers, and why it overshoots.
--
-- Reproduces the two diagrams of seed 000 (the "Day 2" notes, dark theme):
--   momentum_weights.png    Diagram 1: the velocity V_t = Σ γ^(t−i)·g_i weighs the gradient of
--                           iteration i by γ^(t−i); at t = 10 for γ = 0.5, 0.7, 0.9.
--   momentum_overshoot.png  Diagram 2: momentum on the loss x² from x = −4 (γ = 0.9, lr = 0.1,
--                           50 iterations) races past the minimum; the steps that land beyond
--                           x = 0.1 are the gold "overshoot phase".
-- The notes write the update v ← γ·v + lr·g, x ← x − v. That is gdlab's `momentum` in its PyTorch
-- form (v ← β·v + g, x ← x − lr·v) with β = γ: the notes' velocity is lr times PyTorch's, so the
-- path is the same while lr is constant (tests/lessons/overshoot_numbers.lua checks it point by
-- point against the notes' own loop).
--
--   gdlab scripts/lessons/momentum_overshoot.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

-- The notes' look: a near-black page, red axes, white text, a dark grey legend box.
local theme = {base = "dark", page = "#1e1e1e", panel = "#1e1e1e", frame = "#ff0000", legend = "#333333"}

-- Diagram 1: the weights γ^(t−i) of the gradients in V_t at t = 10.
local t = 10
local iterations = {}
for i = 1, t do iterations[i] = i end
local curves = {}
for k, gamma in ipairs{0.5, 0.7, 0.9} do
  local weights = {}
  for i = 1, t do weights[i] = gamma ^ (t - i) end
  curves[k] = {x = iterations, y = weights, label = ("γ = %.1f"):format(gamma), marker = "o",
               color = ({"#ff7f0e", "#2ca02c", "#1f77b4"})[k]}
  -- The weights sum to (1 − γ^t)/(1 − γ): momentum's step is up to 1/(1 − γ) times a plain step.
  print(("γ = %.1f: gradient 1 still weighs %.3f at t = %d; total weight %.2f (limit %.3g)"):format(
    gamma, weights[1], t, (1 - gamma ^ t) / (1 - gamma), 1 / (1 - gamma)))
end
local fig = gd.figure{name = "momentum_weights", size = {1000, 600}, theme = theme}
fig:lines{series = curves, xticks = iterations, grid = true, legend = "upper left",
          title = ("Exponentially Weighted Sum (at Iteration t = %d)"):format(t),
          xlabel = "Iterations (i)", ylabel = "Weight contribution to V_t"}
print("wrote " .. fig:close())

-- Diagram 2: the overshoot.
local loss = gd.surface("parabola") -- x², drawn on [−5, 5]
local run = gd.run{surface = loss, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9}),
                   start = {-4}, steps = 50}
local threshold = 0.1 -- the notes colour a segment gold when it ends beyond x = 0.1

-- The notes' peak: the largest x among the first 15 points.
local peak = 1
for i = 2, 15 do if run.x[i] > run.x[peak] then peak = i end end
print(("overshoot peak: x = %.4f (loss %.3f) after %d steps; final x = %.4f after %d steps"):format(
  run.x[peak], run.loss[peak], peak - 1, run.x[#run.x], run.steps))

fig = gd.figure{name = "momentum_overshoot", size = {1000, 600}, theme = theme}
fig:curve{surface = loss, label = "Loss surface", color = "#ff0000", width = 3, grid = true,
          legend = "upper center",
          runs = {{run, color = "#ffffff", label = "Descent / settling", marker = "o",
                   highlight = {when = function(_, _, x_next) return x_next > threshold end,
                                color = "#FFD700", width = 3, label = "Overshoot phase"}}},
          title = "Momentum Overshoot Visualized (γ = 0.9)", xlabel = "Parameter θ", ylabel = "Loss"}
fig:annotate{text = "Start", at = {run.x[1], run.loss[1]}, text_at = {-4.5, 18}, color = "#ffffff"}
fig:annotate{text = "Overshoot Peak\n(High Velocity)", at = {run.x[peak], run.loss[peak]},
             text_at = {2, 10}, color = "#FFD700", bold = true}
print("wrote " .. fig:close())
