-- SPDX-License-Identifier: MIT
-- Lesson: SGD, momentum and Adam on three kinds of terrain.
--
-- Reproduces the trajectory figures of seed 004 (the "ch228" gradient-descent visualizer): on each
-- surface, SGD (lr 0.05), momentum (lr 0.05, μ 0.9, in the form v ← μ·v + g, w ← w − lr·v, which is
-- gdlab's `momentum` with form = "pytorch") and Adam (lr 0.1, PyTorch's defaults otherwise) for 150
-- steps, on a log1p-scaled plasma contour map beside the loss per step:
--   trajectories_quadratic.png   (w1 − 1)² + 5(w2 − 1)² on [−0.5, 3.5]², from (2.5, 2.5)
--   trajectories_rosenbrock.png  (1 − x)² + 100(y − x²)² on [−2, 2] × [−0.5, 3.5], from (−1, 2)
--   trajectories_saddle.png      x² − y² on [−2.5, 2.5]², from (1.5, 0.1)
-- What to see: on the bowl all three arrive (momentum circles in, Adam walks at about lr a step); on
-- Rosenbrock lr 0.05 is far too large for the steep valley walls (curvature ~ 200·(3x² − y) + 2,
-- about 400 at the start, so 2/L ≈ 0.005): SGD and momentum are thrown out at once — the seed's
-- notebook shows numpy overflow warnings, gdlab reports them diverged at step 2 — while Adam's
-- normalised step survives and creeps along the valley; on the saddle every method escapes along y,
-- GD and momentum exponentially, Adam at a steady ~lr per step. The saddle is unbounded below, so the
-- escaping runs leave gdlab's bound and are reported diverged: its loss panel is linear, since the
-- loss goes negative. The seed also animates these trajectories: lessons race (Rosenbrock) and
-- race_surfaces (all three surfaces, with rates that work beside the seed's), both GIFs.
--
--   gdlab scripts/lessons/sgd_momentum_adam.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local terrains = {
  {name = "Quadratic (ideal)", file = "trajectories_quadratic",
   surface = gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1}), start = {2.5, 2.5},
   x = {-0.5, 3.5}, y = {-0.5, 3.5}},
  {name = "Rosenbrock (valley)", file = "trajectories_rosenbrock", surface = gd.surface("rosenbrock"),
   start = {-1, 2}, x = {-2, 2}, y = {-0.5, 3.5}, loss_range = {0.1, 1e5}},
  {name = "Saddle Point", file = "trajectories_saddle", surface = gd.surface("saddle"), start = {1.5, 0.1},
   x = {-2.5, 2.5}, y = {-2.5, 2.5}, linear_loss = {-30, 5}},
}
local methods = {
  -- SGD is drawn wider: momentum's first step is SGD's (v₁ = g₁), so on Rosenbrock, where both are
  -- thrown out within two steps, the blue path would hide the red one.
  {label = "SGD (lr=0.05)", color = "red", width = 2.8, optimizer = gd.optimizer("gd", {lr = 0.05})},
  {label = "Momentum (lr=0.05)", color = "blue", optimizer = gd.optimizer("momentum", {lr = 0.05, beta = 0.9})},
  {label = "Adam (lr=0.1)", color = "green", optimizer = gd.optimizer("adam", {lr = 0.1})},
}

for _, terrain in ipairs(terrains) do
  local runs = {}
  for i, m in ipairs(methods) do
    local run = gd.run{surface = terrain.surface, optimizer = m.optimizer, start = terrain.start, steps = 150}
    local label = m.label
    if run.status == "diverged" then label = label .. (" — diverged at step %d"):format(run.stop_step) end
    runs[i] = {run, color = m.color, label = label, width = m.width}
    print(("%-20s %-20s %-9s after %3d steps, loss %.6g"):format(terrain.name, m.label, run.status, run.steps,
                                                                 run.loss[#run.loss]))
  end
  local fig = gd.figure{name = terrain.file, size = {1400, 500}, layout = {rows = 1, cols = 2},
                        title = terrain.name, colormap = "plasma", key = true} -- one key for both panels
  fig:contour{panel = 1, surface = terrain.surface, x = terrain.x, y = terrain.y, levels = "log1p",
              nlevels = 30, runs = runs, marker = "none", width = 1.5,
              title = terrain.name .. " — Trajectories", xlabel = "w_1", ylabel = "w_2"}
  if terrain.linear_loss then
    fig:loss{panel = 2, runs = runs, log = false, ylim = terrain.linear_loss, grid = true,
             title = "Loss over Iterations (linear: it falls below 0)", xlabel = "Step", ylabel = "Loss"}
  else
    fig:loss{panel = 2, runs = runs, ylim = terrain.loss_range, grid = true,
             title = "Loss over Iterations",
             xlabel = "Step", ylabel = "Loss (log)"}
  end
  print("wrote " .. fig:close())
end
