-- SPDX-License-Identifier: MIT
-- Lesson: Nesterov's look-ahead against plain momentum on Rosenbrock.
--
-- Seed 004's first extension challenge: "Add Nesterov momentum (look-ahead gradient evaluation) and
-- compare its path on the Rosenbrock surface to standard momentum." From the seed's start (−1, 2),
-- μ = 0.9, the seed's momentum (v ← μ·v + g, w ← w − lr·v: gdlab's `momentum`) against Nesterov
-- (the gradient taken at the look-ahead point w + μ·v: gdlab's `nesterov`, the same velocity in lr
-- units), 1000 steps at lr = 0.001 and at lr = 0.0015.
--   nesterov_momentum.png  the paths at lr = 0.001; lr·λmax (the Hessian's largest eigenvalue,
--                          recorded along each run) at lr = 0.0015 against each method's stability
--                          edge; the four loss curves.
-- On a quadratic with curvature λ a step multiplies the error by the roots of
--   heavy ball  z² − (1 + μ − h)·z + μ = 0,               stable while h = lr·λ < 2(1 + μ) = 3.8
--   Nesterov    z² − (1 − h)(1 + μ)·z + (1 − h)·μ = 0,     stable while h < 2(1 + μ)/(1 + 2μ) ≈ 1.357
-- The look-ahead corrects the velocity before the step, so across the valley (large λ) Nesterov's
-- path is damped where momentum's zigzags (at lr = 0.001 it turns back 2 times in 1000 steps,
-- momentum 33 times), but damped also means slower here: momentum reaches loss 0.01 at step 44,
-- Nesterov at step 339. And the same correction makes Nesterov unstable at a third of the
-- curvature: at lr = 0.0015 it meets a wall with lr·λmax > 1.357 and diverges within 4 steps, while
-- momentum (edge 3.8) survives and converges (tests/lessons/nesterov_numbers.lua).
--   gdlab scripts/lessons/nesterov_momentum.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local banana = gd.surface("rosenbrock")
local start, steps, mu = {-1, 2}, 1000, 0.9
local edge = {momentum = 2 * (1 + mu), nesterov = 2 * (1 + mu) / (1 + 2 * mu)}
local colors = {momentum = "#3A7CA5", nesterov = "#E05C4B"}

local function race(name, lr)
  local params = name == "nesterov" and {lr = lr, mu = mu} or {lr = lr, beta = mu}
  local run = gd.run{surface = banana, optimizer = gd.optimizer(name, params), start = start, steps = steps,
                     tol = 1e-10, curvature = true, label = ("%s, lr = %g"):format(name, lr)}
  local n = #run.loss
  print(("%-26s %-9s after %4d steps: loss %.3g at (%.4f, %.4f); largest lr·λmax %.3f (edge %.3f)"):format(
    run.label, run.status, run.steps, run.loss[n], run.x[n], run.y[n],
    (function() local m = 0 for k = 1, #run.lambda_max do m = math.max(m, lr * run.lambda_max[k]) end return m end)(),
    edge[name]))
  return run
end

local runs = {}
for _, lr in ipairs{0.001, 0.0015} do
  for _, name in ipairs{"momentum", "nesterov"} do runs[#runs + 1] = {race(name, lr), name = name, lr = lr} end
end

local fig = gd.figure{name = "nesterov_momentum", size = {1500, 520}, layout = {rows = 1, cols = 3}, key = true,
                      title = "Nesterov vs momentum on Rosenbrock (μ = 0.9, from (−1, 2))"}
local paths, stability, losses = {}, {}, {}
for _, r in ipairs(runs) do
  local dashed = r.lr > 0.001
  if not dashed then paths[#paths + 1] = {r[1], color = colors[r.name]} end
  losses[#losses + 1] = {r[1], color = colors[r.name], dashed = dashed}
  if dashed then
    local steps_k, h = {}, {}
    for k = 1, #r[1].lambda_max do steps_k[k], h[k] = k - 1, r.lr * r[1].lambda_max[k] end
    stability[#stability + 1] = {x = steps_k, y = h, color = colors[r.name], dashed = true, label = r[1].label}
  end
end
fig:contour{panel = 1, surface = banana, x = {-2, 2}, y = {-0.5, 3.5}, levels = "log1p", nlevels = 30,
            runs = paths, width = 1.4, marker = "none", colormap = "plasma",
            title = "Paths at lr = 0.001\nNesterov (red) zigzags less, momentum gets there first", xlabel = "w_1", ylabel = "w_2"}
fig:lines{panel = 2, series = stability, xlog = false, xlim = {0, 60}, ylim = {0, 4.5},
          hlines = {{edge.momentum, label = "heavy ball: 2(1+μ) = 3.8", color = colors.momentum},
                    {edge.nesterov, label = "Nesterov: 2(1+μ)/(1+2μ) ≈ 1.36", color = colors.nesterov}},
          title = "lr·λ_{max} along the runs at lr = 0.0015\nbeyond its edge a method diverges",
          xlabel = "step", ylabel = "lr·λ_{max}"}
fig:loss{panel = 3, runs = losses, ylim = {1e-10, 1e4}, title = "Loss (dashed: lr = 0.0015)",
         xlabel = "step", ylabel = "loss"}
print("wrote " .. fig:close())
