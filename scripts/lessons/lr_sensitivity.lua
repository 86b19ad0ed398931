-- SPDX-License-Identifier: MIT
-- Lesson: how the learning rate decides between crawling, zigzagging and blowing up.
--
-- Reproduces seed 004's "Learning Rate Sensitivity — SGD on Quadratic" figure: plain gradient descent
-- on (w1 − 1)² + 5(w2 − 1)² from (2.5, 2.5), 100 steps, at lr = 0.01, 0.05, 0.1, 0.18, 0.22, 0.25,
-- each on its own log1p-scaled plasma contour map.
--   lr_sensitivity.png
-- The Hessian is diag(2, 10): a step multiplies the w1 error by 1 − 2·lr and the w2 error by
-- 1 − 10·lr. So lr = 0.01 crawls (w1 is still 0.2 off after 100 steps), lr = 0.1 removes the w2 error
-- in one step, lr = 0.18 zigzags in w2 (factor −0.8) but converges, and beyond 2/L = 2/10 = 0.2 the
-- w2 error grows by 1.2 (lr = 0.22) or 1.5 (lr = 0.25) a step: gdlab stops those runs as diverged
-- when they leave its bound, and the panel titles say so.
--
--   gdlab scripts/lessons/lr_sensitivity.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local bowl = gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1})
local start, steps, box = {2.5, 2.5}, 100, {-0.5, 3.5}
local curvature = 10 -- the larger eigenvalue of the Hessian diag(2, 10)

local fig = gd.figure{name = "lr_sensitivity", size = {1400, 850}, layout = {rows = 2, cols = 3},
                      title = "Learning Rate Sensitivity — SGD on Quadratic", colormap = "plasma",
                      key = true} -- one key for the six maps
for i, lr in ipairs{0.01, 0.05, 0.1, 0.18, 0.22, 0.25} do
  local run = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = start, steps = steps}
  local verdict = run.status == "diverged" and ("diverged at step %d"):format(run.stop_step)
                  or ("loss %.2g after %d steps"):format(run.loss[#run.loss], run.steps)
  print(("lr = %-5g w2 factor %5.2f  %s"):format(lr, 1 - curvature * lr, verdict))
  fig:contour{panel = i, surface = bowl, x = box, y = box, levels = "log1p", nlevels = 20,
              runs = {{run, color = "red", label = "SGD path"}}, marker_size = 3, width = 1, grid = true,
              title = ("lr = %g\n%s (w_2 × %.2f a step)"):format(lr, verdict,
                                                                                    1 - curvature * lr),
              xlabel = "w_1", ylabel = "w_2"}
end
print("wrote " .. fig:close())
