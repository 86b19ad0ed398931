-- SPDX-License-Identifier: MIT
-- Lesson: SGD, momentum and Adam racing along Rosenbrock's valley, as an animation.
--
-- Seed 004 (the "ch228" visualizer) promises "animated trajectory plots on several 2D loss surfaces,
-- with side-by-side optimizer comparison" (matplotlib.animation); this is that animation on its
-- Rosenbrock surface, from its start (−1, 2), with its optimizers in its forms (SGD; momentum
-- v ← μ·v + g, w ← w − lr·v, gdlab's `momentum`; Adam) but with rates that survive the valley walls:
-- the seed's lr 0.05 throws SGD and momentum out at once (lesson sgd_momentum_adam).
--   race.gif  left: the three paths growing on the map (log1p contours, plasma, as in the seed);
--             right: their losses, growing with them. 40 frames, every 10th of 400 steps.
-- The walls are steep (curvature about 1000 across the valley), so plain GD must take tiny steps
-- (lr 0.001) and crawls along the nearly flat floor (loss 4.37 after 400 steps); momentum with half
-- that rate bounces between the walls at first, then its velocity builds up along the floor and it
-- rounds the bend first (loss 0.052); Adam divides its step by the root of a long average of squared
-- gradients (β₂ = 0.999) that still remembers the steep start, so on the gentle floor it moves
-- steadily but slowly (loss 1.18).
--
--   gdlab scripts/lessons/race.lua [-o DIR]     (a GIF; with -dev xcairo or xwin it plays live in a window)
local gd = require "gdlab"

local rosenbrock = gd.surface("rosenbrock")
local start, steps, every = {-1, 2}, 400, 10
local racers = {
  {label = "SGD (lr = 0.001)", color = "red", optimizer = gd.optimizer("gd", {lr = 1e-3})},
  {label = "Momentum (lr = 0.0005, μ = 0.9)", color = "blue",
   optimizer = gd.optimizer("momentum", {lr = 5e-4, beta = 0.9})},
  {label = "Adam (lr = 0.1)", color = "green", optimizer = gd.optimizer("adam", {lr = 0.1})},
}

local runs = {}
for i, r in ipairs(racers) do
  local run = gd.run{surface = rosenbrock, optimizer = r.optimizer, start = start, steps = steps, label = r.label}
  local n = #run.x
  print(("%-32s %-9s after %d steps at (%.4f, %.4f), loss %.6g"):format(r.label:gsub("μ", "mu"), run.status,
                                                                      run.steps, run.x[n], run.y[n], run.loss[n]))
  runs[i] = run
end

local anim = gd.animation{name = "race", size = {1000, 420}, fps = 8, layout = {rows = 1, cols = 2},
                          colormap = "plasma"}
for k = every, steps, every do
  local fig = anim:frame{title = ("SGD, momentum and Adam on Rosenbrock — step %d of %d"):format(k, steps)}
  local shown = {}
  for i, run in ipairs(runs) do shown[i] = {run, color = racers[i].color, steps = k} end
  fig:contour{panel = 1, surface = rosenbrock, x = {-2, 2}, y = {-0.5, 3.5}, levels = "log1p", nlevels = 30,
              runs = shown, width = 1.8, marker = "none", legend = false, title = "Trajectories from (−1, 2)",
              xlabel = "w1", ylabel = "w2"}
  fig:loss{panel = 2, runs = shown, xlim = {0, steps}, ylim = {1e-2, 1e3}, grid = true, legend = "upper right",
           title = "Loss over iterations", xlabel = "step", ylabel = "loss (log)"}
end
print(("wrote %s (%d frames)"):format(anim:close(), steps // every))
