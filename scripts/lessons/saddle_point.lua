-- SPDX-License-Identifier: MIT
-- Lesson: a saddle point stalls gradient descent, and the smallest nudge decides when it escapes.
--
-- Seed 003's exercise 2 ("Saddle Points: create a saddle-point loss function and visualize optimizer
-- behavior"), on f = x² − y² (gdlab's `saddle`): the gradient (2x, −2y) vanishes at (0, 0), but the
-- Hessian diag(2, −2) has a negative eigenvalue, so it is no minimum. GD with lr = 0.1 multiplies x by
-- 1 − 2·lr = 0.8 and y by 1 + 2·lr = 1.2 each step: from (1.5, y₀) it first slides towards the
-- saddle, then leaves along y after about ln(1/y₀)/ln 1.2 steps — or never, if y₀ = 0 exactly.
--   saddle_point.png  left: runs from (1.5, y₀), y₀ = 0.1, 10⁻³, 10⁻⁶ and 0, on the map;
--                     middle: their gradient norms — every run passes through a near-zero gradient,
--                     and the y₀ = 0 run stops there as "converged" (gtol 10⁻⁸) at a point that is not
--                     a minimum; right: the saddle in 3-D with the same runs.
-- The surface is unbounded below, so every escaping run eventually leaves gdlab's bound (diverged).
--
--   gdlab scripts/lessons/saddle_point.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local saddle = gd.surface("saddle") -- x² − y²
local lr, growth = 0.1, 1.2 -- |1 − lr·λ| along y, λ = −2

local runs = {}
for i, y0 in ipairs{0.1, 1e-3, 1e-6, 0} do
  local run = gd.run{surface = saddle, optimizer = gd.optimizer("gd", {lr = lr}), start = {1.5, y0},
                     steps = 100, gtol = 1e-8}
  local smallest = math.huge
  for _, g in ipairs(run.grad_norm) do smallest = math.min(smallest, g) end
  if y0 > 0 then
    run.label = ("y₀ = %g: |y| reaches 1 after ~%.0f steps"):format(y0, math.log(1 / y0) / math.log(growth))
  else
    run.label = ("y₀ = 0: stuck at the saddle (%s)"):format(run.status)
  end
  print(("y0 = %-6g %-9s after %3d steps at (%.3g, %.3g); smallest gradient norm %.2e"):format(
    y0, run.status, run.steps, run.x[#run.x], run.y[#run.y], smallest))
  runs[i] = run
end

local fig = gd.figure{name = "saddle_point", size = {1500, 520}, layout = {rows = 1, cols = 3},
                      title = "Gradient descent at a saddle point: f = x² − y², lr = 0.1"}
fig:contour{panel = 1, surface = saddle, levels = 24, runs = runs, marker_size = 3, width = 1.3,
            legend = "lower left", title = "Paths from (1.5, y₀)", xlabel = "x", ylabel = "y"}
fig:loss{panel = 2, runs = runs, key = "grad_norm", width = 1.6, legend = "lower left", grid = true,
         threshold = {1e-8, label = "gtol"}, ylim = {1e-10, 1e4},
         title = "Gradient norm: small is not the same as a minimum", ylabel = "‖∇f‖"}
fig:surface3d{panel = 3, surface = saddle, runs = runs, azimuth = 60, altitude = 30, colormap = "coolwarm",
              title = "The saddle in 3-D", xlabel = "x", ylabel = "y", zlabel = "f"}
print("wrote " .. fig:close())
