-- SPDX-License-Identifier: MIT
-- Lesson: curvature along the path, and the edge of stability.
--
-- Plain GD is stable near a point only while lr·λmax < 2, λmax being the largest eigenvalue of the
-- Hessian there (on a quadratic this is the whole story: docs/lessons.md, divergence). On Rosenbrock
-- the curvature changes along the way, so the same lr can be too large in one place and fine in
-- another. gd.run{curvature = true} records the Hessian's extreme eigenvalues at every point; where
-- λmax sits above 2/lr the path zigzags across the valley, and where it drops below, the zigzag dies.
-- With lr = 0.0015 the path even settles where λmax hovers at 2/lr for a while: GD's "edge of
-- stability" (Cohen et al., "Gradient Descent on Neural Networks Typically Occurs at the Edge of
-- Stability", ICLR 2021).
--   curvature.png  left: the paths on the map; middle: λmax along each path against its 2/lr line;
--                  right: the loss
--
--   gdlab scripts/lessons/curvature.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local banana = gd.surface("rosenbrock")
local start, steps = {-1.5, 2}, 3000
local cases = {
  {lr = 0.0015, color = "#E05C4B"}, -- 2/lr = 1333: above λmax ≈ 1002 at the minimum, below it at the start
  {lr = 0.0005, color = "#3A7CA5"}, -- 2/lr = 4000: stable everywhere on this path
}
local runs, curves, edges = {}, {}, {}
for i, case in ipairs(cases) do
  local run = gd.run{surface = banana, optimizer = gd.optimizer("gd", {lr = case.lr}), start = start,
                     steps = steps, tol = 1e-8, curvature = true}
  local above = 0
  for k = 1, #run.lambda_max do
    if case.lr * run.lambda_max[k] > 2 then above = above + 1 end
  end
  print(string.format("gd lr=%g: %s at step %d; lr·λmax > 2 at %d of %d points (λmax from %.0f to %.0f)",
                      case.lr, run.status, run.stop_step, above, #run.lambda_max, run.lambda_max[1],
                      run.lambda_max[#run.lambda_max]))
  local step_numbers = {}
  for k = 1, #run.lambda_max do step_numbers[k] = k - 1 end
  runs[i] = {run, color = case.color}
  curves[i] = {x = step_numbers, y = run.lambda_max, color = case.color, label = "λ_{max} along " .. run.label}
  edges[i] = {2 / case.lr, label = string.format("2/lr = %g", 2 / case.lr), color = case.color}
end

local fig = gd.figure{name = "curvature", size = {1500, 480}, layout = {rows = 1, cols = 3},
                      title = "Curvature along the path: GD on Rosenbrock", key = true}
fig:contour{panel = 1, surface = banana, runs = runs, levels = "log", xlim = {-2, 2}, ylim = {-1, 3},
            title = "Paths from (−1.5, 2)", xlabel = "x", ylabel = "y"}
fig:lines{panel = 2, series = curves, hlines = edges, xlog = true, ylim = {0, 4500},
          title = "Largest Hessian eigenvalue vs. the stability edge", xlabel = "step",
          ylabel = "λ_{max} of ∇²f"}
fig:loss{panel = 3, runs = runs, log = true, title = "Loss"}
print("wrote " .. fig:close())
