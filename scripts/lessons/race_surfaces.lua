-- SPDX-License-Identifier: MIT
-- Lesson: the seed's optimizers racing on all three of its surfaces, and where its rates blow up.
--
-- Seed 004 promises "animated trajectory plots on several 2D loss surfaces, with side-by-side
-- optimizer comparison". This animation runs its SGD (lr 0.05), momentum (lr 0.05, μ 0.9, v ← μ·v + g,
-- w ← w − lr·v) and Adam (lr 0.1) from its starts on its quadratic, Rosenbrock and saddle surfaces, and
-- beside them Rosenbrock again with rates that work (SGD 0.001, momentum 0.0005, Adam 0.1).
--   race_surfaces.gif  2 x 2 maps (log1p contours, plasma), the paths growing together; 30 frames,
--                      every 10th of 300 steps.
-- Why the seed's rates blow up on Rosenbrock and not on the bowl: a gradient step is stable where
-- lr·λmax < 2 (λmax the Hessian's largest eigenvalue; 2(1 + μ) with momentum). The bowl has
-- λmax = 10 everywhere: lr·λmax = 0.5. Rosenbrock's start (−1, 2) has λmax ≈ 713.6, so lr·λmax ≈ 36:
-- the first step overshoots the valley wall, lands where the curvature is larger still, and the
-- path leaves the map at step 2 (gdlab stops both runs as diverged). Adam survives because its step
-- is about lr per coordinate whatever the gradient's size. The saddle has no minimum at all: every
-- method escapes along y, SGD and momentum by a factor of 1 + 2·lr = 1.1 a step (and more with
-- momentum) until they leave gdlab's bound; Adam at about lr a step.
--   gdlab scripts/lessons/race_surfaces.lua [-o DIR]     (always a GIF, whatever -dev says)
local gd = require "gdlab"

local steps, every = 300, 10
local function methods(sgd_lr, momentum_lr)
  return {
    {label = "SGD", color = "red", lr = sgd_lr, optimizer = gd.optimizer("gd", {lr = sgd_lr})},
    {label = "momentum (μ = 0.9)", color = "blue", optimizer = gd.optimizer("momentum", {lr = momentum_lr, beta = 0.9})},
    {label = "Adam", color = "green", optimizer = gd.optimizer("adam", {lr = 0.1})},
  }
end
local rosenbrock = gd.surface("rosenbrock")
-- Each panel's second title line says why: SGD's lr·λmax (the Hessian's largest eigenvalue at the
-- start, recorded by the run) against 2.
local function stability(lr, lambda)
  return ("lr·λ_{max} = %g·%.0f = %.2g %s 2"):format(lr, lambda, lr * lambda, lr * lambda < 2 and "<" or ">")
end
local panels = {
  {surface = gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1}), start = {2.5, 2.5},
   x = {-0.5, 3.5}, y = {-0.5, 3.5}, methods = methods(0.05, 0.05),
   title = function(l) return "Quadratic, the seed's rates: all arrive\n" .. stability(0.05, l) end},
  {surface = rosenbrock, start = {-1, 2}, x = {-2, 2}, y = {-0.5, 3.5}, methods = methods(0.05, 0.05),
   title = function(l) return "Rosenbrock, the seed's rates: two blow up at step 2\n" .. stability(0.05, l) end},
  {surface = gd.surface("saddle"), start = {1.5, 0.1}, x = {-2.5, 2.5}, y = {-2.5, 2.5}, methods = methods(0.05, 0.05),
   title = function() return "Saddle, the seed's rates: no minimum, all escape\n|w_2| grows ×(1 + 2·lr) = ×1.1 a step (SGD)" end},
  {surface = rosenbrock, start = {-1, 2}, x = {-2, 2}, y = {-0.5, 3.5}, methods = methods(0.001, 0.0005),
   title = function(l) return "Rosenbrock, rates that work (momentum 0.0005)\n" .. stability(0.001, l) end},
}

for _, p in ipairs(panels) do
  p.runs = {}
  for i, m in ipairs(p.methods) do
    local run = gd.run{surface = p.surface, optimizer = m.optimizer, start = p.start, steps = steps, curvature = true,
                       label = m.label}
    p.runs[i] = run
    local n = #run.loss
    print(("%-62s %-20s %-9s at step %3d, loss %.4g"):format(p.title(run.lambda_max[1]):gsub("\n.*", ""),
                                                              m.label:gsub("μ", "mu"), run.status, run.steps, run.loss[n]))
  end
  p.title = p.title(p.runs[1].lambda_max[1])
end

local anim = gd.animation{name = "race_surfaces", size = {1100, 860}, fps = 6, layout = {rows = 2, cols = 2},
                          colormap = "plasma", key = true}
for k = every, steps, every do
  local fig = anim:frame{title = ("SGD, momentum and Adam on the seed's surfaces — step %d of %d"):format(k, steps)}
  for i, p in ipairs(panels) do
    local shown = {}
    for m, run in ipairs(p.runs) do shown[m] = {run, color = p.methods[m].color, steps = k} end
    fig:contour{panel = i, surface = p.surface, x = p.x, y = p.y, levels = "log1p", nlevels = 30, runs = shown,
                resolution = 200, -- the seed's 200 x 200 grid: 30 frames of 4 maps stay quick
                width = 1.6, marker = "none", title = p.title, xlabel = "w_1", ylabel = "w_2"}
  end
end
print(("wrote %s (%d frames)"):format(anim:close(), steps // every))
