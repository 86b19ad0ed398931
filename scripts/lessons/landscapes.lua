-- SPDX-License-Identifier: MIT
-- Lesson: what a loss landscape looks like, flat on a map and in 3-D.
--
-- Reproduces seed 003 (the "Week 01 — Optimization Intuition" notebook), section 1 and exercise 4:
--   loss_landscapes.png     contour maps of the quadratic x² + 3y² and the multimodal
--                           sin x·cos y + 0.1(x² + y²) on [−3, 3]², 20 levels, viridis, colour bars
--   loss_landscapes_3d.png  the same two landscapes as 3-D surfaces, with the notebook's gradient
--                           descent run (start (2, −1), lr 0.1, 50 steps) lifted onto each.
-- The bowl has one minimum; the multimodal surface has a global minimum, two local minima and four
-- saddles in the box (marked: + minima, × saddles), so where gradient descent ends depends on where
-- it starts: from (2, −1) it heads for the local minimum at (1.2655, −2.5720), not the global one
-- (after the notebook's 50 steps, printed below, it is at (1.2634, −2.5553), still short of it).
--
--   gdlab scripts/lessons/landscapes.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local box = {-3, 3}
local landscapes = {
  {title = "Quadratic Loss Landscape", surface = gd.surface("quadratic", {a = 1, b = 3})},
  {title = "Multimodal Loss Landscape", surface = gd.surface("multimodal")},
}

local fig = gd.figure{name = "loss_landscapes", size = {1400, 500}, layout = {rows = 1, cols = 2}}
for i, l in ipairs(landscapes) do
  fig:contour{panel = i, surface = l.surface, x = box, y = box, levels = 20, colormap = "viridis",
              colorbar = true, colorbar_label = "loss", title = l.title, xlabel = "x", ylabel = "y"}
end
print("wrote " .. fig:close())

fig = gd.figure{name = "loss_landscapes_3d", size = {1400, 600}, layout = {rows = 1, cols = 2}}
for i, l in ipairs(landscapes) do
  local run = gd.run{surface = l.surface, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {2, -1},
                     steps = 50, label = "GD from (2, −1)"}
  local last = #run.x
  print(("%-26s GD from (2, -1) ends at (%.4f, %.4f), loss %.6f"):format(l.title, run.x[last], run.y[last],
                                                                         run.loss[last]))
  fig:surface3d{panel = i, surface = l.surface, x = box, y = box, runs = {run}, azimuth = 120, altitude = 35,
                colormap = "viridis", title = l.title .. " (3-D)", xlabel = "x", ylabel = "y", zlabel = "loss"}
end
print("wrote " .. fig:close())
