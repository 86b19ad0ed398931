-- SPDX-License-Identifier: MIT
-- Lesson: one map, five learning rates.
--
-- Reproduces seed 003 (the "Week 01 — Optimization Intuition" notebook), the learning-rate sweep of
-- section 3: gradient descent on x² + 3y² from (2, −1) for 30 steps at lr = 0.01, 0.05, 0.1, 0.2, 0.5.
--   lr_sweep.png           the five runs on one contour map
--   final_loss_vs_lr.png   the loss after 30 steps against the learning rate
-- Each step multiplies x by 1 − 2·lr and y by 1 − 6·lr, so the loss after k steps is
-- 4·(1 − 2·lr)^(2k) + 3·(1 − 6·lr)^(2k): small lr crawls, lr = 0.2 is fastest of the five, and
-- lr = 0.5 flips y to −2 times itself every step. GD on this bowl is stable only for lr < 2/L = 1/3
-- (L = 6, the largest curvature): scripts/lessons/divergence.lua looks at that limit closely.
--
-- gdlab stops a run once it leaves the plotting box by a factor 1000 and calls it diverged; the
-- notebook instead ran all 30 steps. To print the notebook's final loss for lr = 0.5 (3·2⁶⁰ ≈ 3.5e18)
-- the diverged run is repeated with that guard switched off (bound and blowup = math.huge).
--
--   gdlab scripts/lessons/lr_sweep.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local bowl = gd.surface("quadratic", {a = 1, b = 3}) -- x² + 3y²
local start, steps = {2, -1}, 30
local rates = {0.01, 0.05, 0.1, 0.2, 0.5}

local runs, finals, labels = {}, {}, {}
for i, lr in ipairs(rates) do
  local config = {surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = start, steps = steps}
  local run = gd.run(config)
  local final = run.loss[#run.loss]
  local label = ("LR=%g"):format(lr)
  if run.status == "diverged" then
    label = label .. (" (diverged at step %d)"):format(run.stop_step)
    config.bound, config.blowup = math.huge, math.huge
    final = gd.run(config).loss[steps + 1]
  end
  run.label = label
  runs[i], finals[i], labels[i] = run, final, label
  print(("lr = %-5g final loss after %d steps: %.6g%s"):format(lr, steps, final,
                                                            run.status == "diverged" and "  (diverges)" or ""))
end

local fig = gd.figure{name = "lr_sweep", size = {1200, 500}}
fig:contour{surface = bowl, x = {-3, 3}, y = {-3, 3}, levels = 20, colormap = "viridis", runs = runs,
            marker_size = 3, width = 1.5, grid = true, legend = "upper right",
            title = "Learning Rate Sweep on Quadratic Loss", xlabel = "x", ylabel = "y"}
print("wrote " .. fig:close())

-- The notebook draws this on linear axes, where four of the five points sit on zero next to 3.5e18;
-- on log axes all five are readable, and the stability limit 2/L = 1/3 is marked.
local ticks = {labels = {}}
for i, lr in ipairs(rates) do ticks[i], ticks.labels[i] = lr, tostring(lr) end
fig = gd.figure{name = "final_loss_vs_lr", size = {800, 500}}
fig:lines{series = {{x = rates, y = finals, marker = "o", marker_size = 9, label = "loss after 30 steps"}},
          xlog = true, ylog = true, grid = true, legend = "upper left", xticks = ticks,
          vlines = {{1 / 3, label = "2/L = 1/3"}}, hlines = {{bowl(start[1], start[2]), label = "start loss"}},
          title = "Final Loss vs Learning Rate", xlabel = "Learning Rate", ylabel = "Final Loss"}
print("wrote " .. fig:close())
