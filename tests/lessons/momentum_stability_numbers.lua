-- SPDX-License-Identifier: MIT
-- The momentum_stability lesson's numbers. The sweep's diverged region is the theory's: every run
-- with lr below 0.97 · 2(1 + β)/L stays bounded, every run above 1.03 · 2(1 + β)/L diverges or ends
-- above its starting loss; the sweep agrees with gd.run cell by cell where the lesson reads it; the
-- fastest cell (53 steps at lr 0.2031, β 0.75), Polyak's optimum (77 steps) and the best GD rate
-- 2/(L + μ) (523 steps) are as the lesson says.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local ravine = gd.surface("quadratic", {a = 0.05, b = 5})
local L, mu, start = 10, 0.1, {-4, 1.5}
local lrs, betas = {}, {}
for i = 1, 40 do lrs[i] = 10 ^ (-2 + 1.7 * (i - 1) / 39) end
for j = 1, 34 do betas[j] = 0.99 * (j - 1) / 33 end
local sweep = gd.sweep{surface = ravine, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0}),
                       over = {{"lr", lrs}, {"beta", betas}}, start = start, steps = 1000, tol = 1e-8}
local _, f0 = ravine:gradient(start[1], start[2]) -- the starting loss
local inside, outside, best, at = 0, 0, math.huge, nil
for i, lr in ipairs(lrs) do
  for j, beta in ipairs(betas) do
    local edge, status = 2 * (1 + beta) / L, sweep.status[i][j]
    if lr < 0.97 * edge then
      assert(status ~= "diverged", ("lr %.4f, beta %.3f is inside the edge %.4f but diverged"):format(lr, beta, edge))
      inside = inside + 1
    elseif lr > 1.03 * edge then
      assert(status == "diverged" or sweep.final_loss[i][j] > f0,
             ("lr %.4f, beta %.3f is beyond the edge %.4f: %s, loss %g"):format(lr, beta, edge, status, sweep.final_loss[i][j]))
      outside = outside + 1
    end
    if status == "converged" and sweep.stop_step[i][j] < best then best, at = sweep.stop_step[i][j], {i, j} end
  end
end
assert(inside > 800 and outside > 100, ("cells checked: %d inside, %d beyond"):format(inside, outside))
check.equal(best, 53, "steps of the fastest cell")
check.within(lrs[at[1]], 0.2031, 1e-4, "lr of the fastest cell")
check.equal(betas[at[2]], 0.75, "beta of the fastest cell")
local function steps(name, params)
  local r = gd.run{surface = ravine, optimizer = gd.optimizer(name, params), start = start, steps = 1000, tol = 1e-8}
  return r.status, r.steps
end
local same_status, same_steps = steps("momentum", {lr = lrs[at[1]], beta = betas[at[2]]})
assert(same_status == "converged" and same_steps == best, "gd.run agrees with the sweep's cell")
local rk = math.sqrt(L / mu)
local _, polyak = steps("momentum", {lr = 4 / (math.sqrt(L) + math.sqrt(mu)) ^ 2, beta = ((rk - 1) / (rk + 1)) ^ 2})
local _, plain = steps("gd", {lr = 2 / (L + mu)})
assert(polyak == 77 and plain == 523, ("Polyak %d steps, GD %d"):format(polyak, plain))
print(("momentum_stability_numbers: %d cells inside and %d beyond the edge agree; fastest %d, Polyak %d, GD %d steps"):format(
  inside, outside, best, polyak, plain))
