-- SPDX-License-Identifier: MIT
-- Lesson: keep what you computed — a sweep as CSV and JSON, the best run as CSV, its path as a video.
--
-- Heavy-ball momentum on the ravine (x² + κy²)/2 with κ = 100. Polyak (1964) gives the best fixed
-- parameters for a quadratic with curvatures μ = 1 and L = κ: lr = 4/(√L + √μ)² ≈ 0.0331 and
-- β = ((√κ − 1)/(√κ + 1))² ≈ 0.669, which contract the error by (√κ − 1)/(√κ + 1) ≈ 0.818 a step,
-- against (κ − 1)/(κ + 1) ≈ 0.980 for the best plain GD. A sweep over lr × β, knowing no theory, finds
-- its fastest cell next to Polyak's: lr = 0.0308, β = 0.70, converged (tol 1e-10) in 72 steps from
-- (1, 1); Polyak's own pair takes 93 (his is the best rate in the long run, not from every start) and
-- the best plain GD 674. The files let pandas or gnuplot look further:
--   sweep.csv    one row per (lr, β): status, steps to converge (tol 1e-10), final and lowest loss
--   sweep.json   the same, with the setup (surface, optimizer, run options) to make it again
--   best.csv     the fastest run step by step: x1, x2, loss, grad_norm, lr, evals
--   best.mp4     its path on the map (H.264; .webm for VP9, .gif by default)
--   best_from_file.png   the run drawn from best.json read back with gd.load_result, as any run is
-- In Python: pandas.read_csv("sweep.csv").pivot(index="beta", columns="lr", values="stop_step").
--
--   gdlab scripts/lessons/keep_results.lua [-o DIR] [-q]      (-q: no progress bar)
local gd = require "gdlab"

local kappa = 100
local ravine = gd.surface("ravine", {kappa = kappa})
local start, tol = {1, 1}, 1e-10
local lrs, betas = {}, {}
for i = 1, 15 do lrs[i] = 0.005 * 1.15 ^ (i - 1) end -- 0.005 .. 0.035
for j = 1, 20 do betas[j] = (j - 1) * 0.05 end -- 0 .. 0.95

local sweep = gd.sweep{surface = ravine, optimizer = gd.optimizer("momentum"), start = start, steps = 2000, tol = tol,
                       over = {{"lr", lrs}, {"beta", betas}}}
local dir = gd.output.dir
os.execute(("mkdir -p '%s'"):format(dir))
gd.save(sweep, dir .. "/sweep.csv")
gd.save(sweep, dir .. "/sweep.json")

local best_i, best_j
for i = 1, #lrs do
  for j = 1, #betas do
    if sweep.status[i][j] == "converged" and
       (not best_i or sweep.stop_step[i][j] < sweep.stop_step[best_i][best_j]) then
      best_i, best_j = i, j
    end
  end
end
local lr, beta = lrs[best_i], betas[best_j]
local polyak_lr, polyak_beta = 4 / (math.sqrt(kappa) + 1) ^ 2, ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ^ 2
print(("fastest cell: lr = %.4f, beta = %.2f, converged in %d steps (Polyak: lr = %.4f, beta = %.3f)"):format(
  lr, beta, sweep.stop_step[best_i][best_j], polyak_lr, polyak_beta))
local polyak = gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = polyak_lr, beta = polyak_beta}),
                      start = start, steps = 2000, tol = tol}
local plain = gd.run{surface = ravine, optimizer = gd.optimizer("gd", {lr = 2 / (1 + kappa)}), start = start,
                     steps = 2000, tol = tol}
print(("Polyak's parameters: %d steps; best plain GD (lr = 2/(1+kappa)): %d steps"):format(polyak.steps, plain.steps))

local best = gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = lr, beta = beta}), start = start,
                    steps = 2000, tol = tol, label = ("momentum lr = %.4f, β = %.2f"):format(lr, beta)}
gd.save(best, dir .. "/best.csv")
gd.save(best, dir .. "/best.json")

-- the path as a video: one frame per step, 15 a second
local anim = gd.animation{file = dir .. "/best.mp4", size = {640, 480}, fps = 15}
local frames = math.min(best.steps, 90) + 1
for k = 0, frames - 1 do
  anim:frame{title = ("heavy ball on the ravine (κ = %d), step %d"):format(kappa, k)}:contour{
    surface = ravine, x = {-1.2, 1.2}, y = {-2.5, 2.5}, levels = "log", filled = true, colorbar = false,
    runs = {{best, steps = k}}, xlabel = "x", ylabel = "y"}
end
print(("wrote %s (%d frames)"):format(anim:close(), frames))

-- what was saved draws like what was computed
local loaded = gd.load_result(dir .. "/best.json")
local fig = gd.figure{name = "best_from_file", size = {900, 400}, layout = {rows = 1, cols = 2},
                      title = "read back from best.json"}
fig:contour{panel = 1, surface = ravine, x = {-1.2, 1.2}, y = {-2.5, 2.5}, levels = "log", runs = {loaded}}
fig:loss{panel = 2, runs = {loaded, plain}, xlabel = "step", ylabel = "loss"}
print(("wrote %s"):format(fig:close()))
