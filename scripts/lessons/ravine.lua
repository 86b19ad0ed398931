-- SPDX-License-Identifier: MIT
-- Lesson: why gradient descent zigzags in a ravine, and how momentum fixes it.
--
-- The flagship lesson. It reproduces the "Momentum in Gradient Descent" figure of seed 002 (the article
-- "Why Gradient Descent Zigzags and How Momentum Fixes It", MarkTechPost, 2026-05-05): a stretched bowl
-- f(θ) = 0.05·θ₁² + 5·θ₂² whose Hessian has eigenvalues 0.1 and 10 (condition number 100), plain GD at
-- lr = 0.18 (just under the stability limit 2/λmax = 0.2) against momentum with β = 0.9 and β = 0.99.
-- The article reports 185 steps for GD, 159 for β = 0.9, and β = 0.99 never converging; gdlab
-- reproduces both counts (tests/lessons/ravine_numbers.lua checks them). The article prints no final
-- loss for β = 0.99: the 0.487363 after 300 steps in the figure comes from this reconstruction of its
-- setup (f, start, lr and the EMA form of momentum read off its code), and is checked so that it stays.
--
--   gdlab scripts/lessons/ravine.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local ravine = gd.surface("quadratic", {a = 0.05, b = 5})
local start, lr, steps, threshold = {-4, 1.5}, 0.18, 300, 1e-3
local shown_steps = 55 -- the trajectory panels show the first 55 steps, as the article does

local colors = {gd = "#E05C4B", good = "#3A7CA5", large = "#F4A536", contour = "#D4C9B8"}

-- Each experiment runs twice: once to the threshold (when does it converge?), once for all 300 steps
-- (the loss curve the article plots).
local function experiment(optimizer)
  local to_threshold = gd.run{surface = ravine, optimizer = optimizer, start = start, steps = steps,
                              tol = threshold}
  local full = gd.run{surface = ravine, optimizer = optimizer, start = start, steps = steps}
  return to_threshold, full
end

local function verdict(run)
  if run.status == "converged" then return string.format("%d steps to converge", run.stop_step) end
  if run.status == "diverged" then return "diverges" end
  return string.format("never converges (loss %.3g after %d)", run.loss[#run.loss], run.steps)
end

local cases = {
  {name = "Vanilla gradient descent", short = "Vanilla GD", color = colors.gd,
   optimizer = gd.optimizer("gd", {lr = lr})},
  {name = "Momentum  β = 0.90", short = "Momentum β=0.90", color = colors.good,
   optimizer = gd.optimizer("momentum", {lr = lr, beta = 0.9, form = "ema"})},
  {name = "Momentum  β = 0.99 (too large)", short = "Momentum β=0.99", color = colors.large,
   optimizer = gd.optimizer("momentum", {lr = lr, beta = 0.99, form = "ema"})},
}
for _, case in ipairs(cases) do
  case.to_threshold, case.full = experiment(case.optimizer)
  print(string.format("%-32s %s", case.name, verdict(case.to_threshold)))
end

-- Contour levels spaced geometrically from 0.005 to 3.5, as numpy's geomspace(0.005, 3.5, 28).
local levels = {}
for i = 0, 27 do levels[#levels + 1] = 0.005 * (3.5 / 0.005) ^ (i / 27) end

local fig = gd.figure{name = "ravine", size = {1600, 1000}, layout = {rows = 2, cols = 3},
                      title = "Momentum in Gradient Descent",
                      theme = {page = "#FAFAF8", panel = "#F5F3EE", frame = "#CCCCCC"}}

for col, case in ipairs(cases) do
  fig:contour{panel = col, surface = ravine, levels = levels, line_color = colors.contour,
              xlim = {-5, 5}, ylim = {-2.2, 2.2},
              runs = {{case.full, color = case.color, steps = shown_steps, label = case.short}},
              title = case.name .. "\n" .. verdict(case.to_threshold),
              xlabel = "θ₁ (slow direction)", ylabel = "θ₂ (fast direction)"}
end

local curves = {}
for _, case in ipairs(cases) do
  curves[#curves + 1] = {case.full, color = case.color,
                         label = case.short .. "  (" .. verdict(case.to_threshold) .. ")"}
end
fig:loss{panel = {2, 1, cols = 2}, runs = curves, log = true,
         threshold = {threshold, label = "convergence threshold"},
         title = "Loss vs. optimisation step (log scale, 300 steps)", legend = "lower left"}

fig:text{panel = 6, mono = true, text = [[
Update rules

Vanilla GD
  θ ← θ − α·∇L(θ)

Momentum GD
  v ← β·v + (1−β)·∇L(θ)
  θ ← θ − α·v

Key intuition
  v accumulates past gradients.
  Vertical oscillations cancel out.
  Horizontal steps compound.

Hyperparameter β
  β → 0  :  behaves like GD
  β = 0.9:  typical sweet spot
  β → 1  :  overshoots, never settles]]}

print("wrote " .. fig:close())
