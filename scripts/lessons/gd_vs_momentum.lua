-- SPDX-License-Identifier: MIT
-- Lesson: gradient descent, then gradient descent with momentum, on the bowl x² + 3y².
--
-- Reproduces seed 003 (the "Week 01 — Optimization Intuition" notebook), section 2 and the first
-- figure of section 3:
--   gd_trajectory.png   gradient descent from (2, −1), lr 0.1, 50 steps, on the contour map
--   gd_vs_momentum.png  the same run beside momentum (lr 0.1, μ 0.9) in the notebook's form
--                       v ← μ·v − lr·∇f, x ← x + v  (gdlab's `momentum_notebook`)
-- and prints the notebook's numbers. On this bowl GD has a closed form: each step multiplies x by
-- 1 − 2·lr = 0.8 and y by 1 − 6·lr = 0.4, so after 50 steps x = 2·0.8⁵⁰ ≈ 2.9e-5 and y ≈ −1.3e-20.
-- Momentum with μ = 0.9 is underdamped here: it spirals around the minimum and after 50 steps is
-- still farther from it (loss 0.0196) than plain GD (8e-10). Momentum pays off on ill-conditioned
-- valleys (scripts/lessons/ravine.lua), not on a round-ish bowl with a well-chosen lr.
--
--   gdlab scripts/lessons/gd_vs_momentum.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local bowl = gd.surface("quadratic", {a = 1, b = 3}) -- x² + 3y²
local box = {-3, 3}
local start, steps = {2, -1}, 50

local plain = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = 0.1}), start = start,
                     steps = steps, label = "GD trajectory"}
local heavy = gd.run{surface = bowl, optimizer = gd.optimizer("momentum_notebook", {lr = 0.1, mu = 0.9}),
                     start = start, steps = steps, label = "GD + Momentum"}

local last = #plain.x
print(("Final position: (%.4f, %.4f)"):format(plain.x[last], plain.y[last]))
print(("Final loss: %.6f"):format(plain.loss[last]))
print(("GD final loss: %.6f"):format(plain.loss[last]))
print(("Momentum final loss: %.6f"):format(heavy.loss[#heavy.loss]))

local fig = gd.figure{name = "gd_trajectory", size = {800, 600}}
fig:contour{surface = bowl, x = box, y = box, levels = 20, colormap = "viridis", grid = true,
            runs = {{plain, color = "red"}}, legend = "upper right",
            title = "Gradient Descent on Quadratic Loss", xlabel = "x", ylabel = "y"}
print("wrote " .. fig:close())

fig = gd.figure{name = "gd_vs_momentum", size = {800, 600}}
fig:contour{surface = bowl, x = box, y = box, levels = 20, colormap = "viridis", grid = true,
            runs = {{plain, color = "blue", label = "Vanilla GD"}, {heavy, color = "red"}},
            marker_size = 3.5, width = 1.5, legend = "upper right",
            title = "Gradient Descent: Vanilla vs Momentum", xlabel = "x", ylabel = "y"}
print("wrote " .. fig:close())
