-- SPDX-License-Identifier: MIT
-- The seeds' figures, redrawn with gdlab: one of every figure kind but the text panel (the lesson ravine
-- has one, and its test renders it). docs/figures.md shows them:
--   gdlab -o docs/img tests/figures/gallery.lua          (PNGs for the docs)
--   gdlab tests/figures/gallery.lua OUT_DIR              (as a test: every file must appear)
-- Seeds: 000 (momentum weights, overshoot; dark), 003 (landscapes, learning-rate sweep), 004 (trajectories,
-- lr sensitivity, a 3-D view). Seed 002's explainer (three maps, a spanning loss panel, a text panel) is
-- the lesson scripts/lessons/ravine.lua, not drawn again here.
local gd = require "gdlab"
if arg and arg[1] then gd.output.dir = arg[1] end
local made = {}
local function done(fig)
  made[#made + 1] = fig:close()
end

-- 1. The first figure: a map with trajectories beside a log-scale loss curve (seed 004's layout).
local ravine = gd.surface("ravine", {kappa = 10})
local r_gd = gd.run{surface = ravine, optimizer = gd.optimizer("gd", {lr = 0.15}), start = {-4, 2}, steps = 150, tol = 1e-3}
local r_mom = gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = 0.05, beta = 0.8}), start = {-4, 2},
                     steps = 150, tol = 1e-3}
local r_adam = gd.run{surface = ravine, optimizer = gd.optimizer("adam", {lr = 0.3}), start = {-4, 2}, steps = 150, tol = 1e-3}
local fig = gd.figure{name = "ravine", size = {1200, 480}, layout = {rows = 1, cols = 2},
                      title = "GD, momentum and Adam on a ravine (κ = 10)"}
fig:contour{panel = 1, surface = ravine, runs = {r_gd, r_mom, r_adam}, levels = "log", filled = true,
            title = "Trajectories", xlabel = "θ₁", ylabel = "θ₂", colorbar_label = "f(θ)"}
fig:loss{panel = 2, runs = {r_gd, r_mom, r_adam}, threshold = {1e-3, label = "convergence threshold"},
         title = "Loss (log scale)", grid = true}
done(fig)

-- 2. Seed 000, diagram 1 (dark): the weight of gradient i in V_t is γ^(t−i).
local series, its = {}, {}
for i = 1, 10 do its[i] = i end
for k, g in ipairs{0.5, 0.7, 0.9} do
  local y = {}
  for i = 1, 10 do y[i] = g ^ (10 - i) end
  series[k] = {x = its, y = y, label = ("γ = %.1f"):format(g), marker = "o", color = ({"#ff7f0e", "#2ca02c", "#1f77b4"})[k]}
end
fig = gd.figure{name = "weights", size = {900, 520}, theme = {base = "dark", frame = "#ff0000"}}
fig:lines{series = series, xticks = its, grid = true, legend = "upper left", xlabel = "Iterations (i)",
          ylabel = "Weight contribution to V_t", title = "Exponentially Weighted Sum (at iteration t = 10)"}
done(fig)

-- 3. Seed 000, diagram 2 (dark): momentum overshoots the minimum of x²; that phase in gold.
local parabola = gd.surface("parabola")
local r = gd.run{surface = parabola, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9}), start = {-4}, steps = 50}
fig = gd.figure{name = "overshoot", size = {900, 520}, theme = {base = "dark", frame = "#ff0000"}}
fig:curve{surface = parabola, label = "loss surface", color = "#ff0000", grid = true, legend = "upper center",
          runs = {{r, color = "#ffffff", label = "descent / settling",
                   highlight = {when = function(k, x0, x1) return x1 > 0.1 end, color = "#FFD700", label = "overshoot phase"}}},
          title = "Momentum Overshoot Visualized (γ = 0.9)", xlabel = "Parameter θ", ylabel = "Loss"}
local peak = 1
for i = 1, 15 do if r.x[i] > r.x[peak] then peak = i end end
fig:annotate{text = "Start", at = {r.x[1], r.loss[1]}, text_at = {-4.5, 20}}
fig:annotate{text = "Overshoot peak\n(high velocity)", at = {r.x[peak], r.loss[peak]}, text_at = {2, 13},
             color = "#FFD700", bold = true}
done(fig)

-- 4. Seed 003: loss landscapes, contour lines with a colour bar; filled, with the landmarks.
fig = gd.figure{name = "landscapes", size = {1200, 440}, layout = {1, 2}}
fig:contour{panel = 1, surface = gd.surface("quadratic", {a = 1, b = 3}), x = {-3, 3}, y = {-3, 3}, levels = 20,
            colorbar = true, markers = false, title = "Quadratic loss landscape", xlabel = "x", ylabel = "y"}
fig:contour{panel = 2, surface = gd.surface("multimodal"), x = {-3, 3}, y = {-3, 3}, levels = 20, filled = true,
            lines = true, title = "Multimodal loss landscape", xlabel = "x", ylabel = "y", colorbar_label = "f(x, y)"}
done(fig)

-- 5. Seed 003: a learning-rate sweep on one map, final loss against the rate, as a line and as bars.
local bowl = gd.surface("quadratic", {a = 1, b = 3})
local lrs, runs, finals, labels = {0.01, 0.05, 0.1, 0.2, 0.5}, {}, {}, {}
for i, lr in ipairs(lrs) do
  runs[i] = gd.run{surface = bowl, optimizer = gd.optimizer("gd", {lr = lr}), start = {2, -1}, steps = 30, label = "lr = " .. lr}
  finals[i], labels[i] = runs[i].loss[#runs[i].loss], tostring(lr)
end
fig = gd.figure{name = "lr_sweep", size = {1300, 440}, layout = {1, 3}}
fig:contour{panel = 1, surface = bowl, x = {-3, 3}, y = {-3, 3}, runs = runs, marker_size = 3,
            title = "Learning-rate sweep", xlabel = "x", ylabel = "y"}
fig:lines{panel = 2, series = {{x = lrs, y = finals, marker = "o", label = "after 30 steps"}}, xlog = true, ylog = true,
          grid = true, title = "Final loss vs learning rate", xlabel = "learning rate", ylabel = "final loss"}
fig:bars{panel = 3, values = finals, labels = labels, ylog = true, hlines = {{1e-3, label = "tol"}},
         title = "The same as bars", xlabel = "learning rate", ylabel = "final loss"}
done(fig)

-- 6. A sweep as a heatmap: momentum on the ravine over lr x β, log colours, the 10⁻³ boundary.
local k20 = gd.surface("ravine", {kappa = 20})
local xs, ys, z = {}, {}, {}
for i = 1, 24 do xs[i] = 10 ^ (-3 + 3 * (i - 1) / 23) end
for j = 1, 20 do ys[j] = (j - 1) / 20 end
for j, beta in ipairs(ys) do
  z[j] = {}
  for i, lr in ipairs(xs) do
    local run = gd.run{surface = k20, optimizer = gd.optimizer("momentum", {lr = lr, beta = beta}), steps = 200}
    z[j][i] = run.status == "diverged" and 0/0 or run.loss[#run.loss]
  end
end
fig = gd.figure{name = "heatmap", size = {850, 520}}
fig:heatmap{x = xs, y = ys, z = z, log = true, xlog = true, contours = {1e-3}, colorbar_label = "final loss",
            title = "Momentum on a ravine (κ = 20): final loss after 200 steps\ngrey: diverged; white line: loss = 10⁻³",
            xlabel = "learning rate", ylabel = "momentum β"}
done(fig)

-- 7. Seed 004's extension: a 3-D view with the run lifted onto the surface, beside its map.
local rosen = gd.surface("rosenbrock")
local ra = gd.run{surface = rosen, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 500}
fig = gd.figure{name = "surface3d", size = {1200, 500}, layout = {1, 2}}
fig:surface3d{panel = 1, surface = rosen, x = {-2, 2}, y = {-1, 3}, runs = {ra}, log = true, azimuth = 35,
              title = "Rosenbrock, log₁₀ f", xlabel = "x", ylabel = "y"}
fig:contour{panel = 2, surface = rosen, x = {-2, 2}, y = {-1, 3}, runs = {ra}, levels = "log", filled = true,
            marker_size = 2.5, width = 1.2, title = "The same run on the map"}
done(fig)

-- 8. Seed 004: learning-rate sensitivity, plasma on log1p levels, a 2 x 3 grid.
local qq = gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1})
fig = gd.figure{name = "lr_sensitivity", size = {1300, 760}, layout = {2, 3}, colormap = "plasma",
                title = "Learning-Rate Sensitivity — SGD on Quadratic"}
for i, lr in ipairs{0.01, 0.05, 0.1, 0.18, 0.22, 0.25} do
  local run = gd.run{surface = qq, optimizer = gd.optimizer("gd", {lr = lr}), start = {2.5, 2.5}, steps = 100}
  fig:contour{panel = i, surface = qq, x = {-0.5, 3.5}, y = {-0.5, 3.5}, levels = "log1p",
              runs = {{run, color = "red"}}, title = ("lr = %g  (%s)"):format(lr, run.status), marker_size = 3, width = 1}
end
done(fig)

for _, path in ipairs(made) do
  local f = assert(io.open(path, "rb"), "missing " .. path)
  local size = f:seek("end")
  f:close()
  assert(size > 10000, path .. " is only " .. size .. " bytes")
end
print(("gallery: %d figures in %s"):format(#made, gd.output.dir))
