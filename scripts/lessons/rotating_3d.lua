-- SPDX-License-Identifier: MIT
-- Lesson: a rotating 3-D view in step with the 2-D map, side by side.
--
-- Seed 004's third extension challenge: "Add a 3D surface plot that rotates in sync with the 2D
-- trajectory animation." SGD (lr 0.001), momentum (lr 0.0005, μ 0.9) and Adam (lr 0.1) from the
-- seed's Rosenbrock start (−1, 2), the rates that survive its valley walls (lesson race_surfaces).
--   rotating_3d.gif  left: log₁₀ of the surface in 3-D, the paths lifted onto it, the camera turning
--                    once around (12° a frame); right: the same paths on the map. 30 frames, every
--                    13th of 390 steps.
-- What the turn shows that the map cannot: the valley is a deep, curved trench with steep walls
-- (log scale: the walls are four decades above the floor), and the floor itself falls gently towards
-- (1, 1); SGD crawls along the wall it started on, momentum rides down into the trench and along it,
-- Adam walks steadily down the side.
--   gdlab scripts/lessons/rotating_3d.lua [-o DIR]     (always a GIF, whatever -dev says)
local gd = require "gdlab"

local banana = gd.surface("rosenbrock")
local start, steps, every = {-1, 2}, 390, 13
local racers = {
  {label = "SGD (lr = 0.001)", color = "red", optimizer = gd.optimizer("gd", {lr = 1e-3})},
  {label = "momentum (lr = 0.0005)", color = "blue", optimizer = gd.optimizer("momentum", {lr = 5e-4, beta = 0.9})},
  {label = "Adam (lr = 0.1)", color = "green", optimizer = gd.optimizer("adam", {lr = 0.1})},
}
for _, r in ipairs(racers) do
  r.run = gd.run{surface = banana, optimizer = r.optimizer, start = start, steps = steps, label = r.label}
  local n = #r.run.loss
  print(("%-24s loss after %d steps %.4g at (%.4f, %.4f)"):format(r.label, r.run.steps, r.run.loss[n], r.run.x[n], r.run.y[n]))
end

local frames = steps // every
local anim = gd.animation{name = "rotating_3d", size = {960, 440}, fps = 6, layout = {rows = 1, cols = 2},
                          colormap = "plasma", key = true}
for f = 1, frames do
  local k, azimuth = f * every, 30 + 360 * (f - 1) / frames
  local fig = anim:frame{title = ("Rosenbrock from (−1, 2): step %d of %d, camera at %d°"):format(k, steps, azimuth)}
  local shown = {}
  for i, r in ipairs(racers) do shown[i] = {r.run, color = r.color, steps = k} end
  fig:surface3d{panel = 1, surface = banana, x = {-2, 2}, y = {-0.5, 3.5}, runs = shown, log = true,
                azimuth = azimuth, altitude = 35, resolution = 44, xlabel = "w_1", ylabel = "w_2", zlabel = "loss"}
  fig:contour{panel = 2, surface = banana, x = {-2, 2}, y = {-0.5, 3.5}, levels = "log1p", nlevels = 30, runs = shown,
              resolution = 200,
              width = 1.6, marker = "none", xlabel = "w_1", ylabel = "w_2"}
end
print(("wrote %s (%d frames)"):format(anim:close(), frames))
