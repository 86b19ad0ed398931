-- SPDX-License-Identifier: MIT
-- The nesterov_momentum lesson's numbers. First the two stability edges it draws, on a quadratic
-- with curvature λ = 1 (so h = lr·λ = lr): heavy ball converges for h < 2(1 + μ) = 3.8 and Nesterov
-- for h < 2(1 + μ)/(1 + 2μ) = 3.8/2.8, and both blow up just beyond. Then Rosenbrock from (−1, 2):
-- at lr = 0.0015 Nesterov diverges within a few steps after passing its edge while momentum
-- converges; at lr = 0.001 both converge, Nesterov's path hardly ever turns back (momentum's zigzags),
-- and momentum still gets down first.
local gd = require "gdlab"
local mu = 0.9
local bowl = gd.surface("quadratic", {a = 0.5, b = 0.5}) -- curvature 1 in both directions

local function final(name, lr, surface, start, steps)
  local params = name == "nesterov" and {lr = lr, mu = mu} or {lr = lr, beta = mu}
  return gd.run{surface = surface, optimizer = gd.optimizer(name, params), start = start, steps = steps,
                tol = 0, curvature = surface ~= bowl}
end

local edges = {momentum = 2 * (1 + mu), nesterov = 2 * (1 + mu) / (1 + 2 * mu)}
for name, edge in pairs(edges) do
  local inside, outside = final(name, edge * 0.98, bowl, {1, 1}, 3000), final(name, edge * 1.02, bowl, {1, 1}, 3000)
  assert(inside.status ~= "diverged" and inside.loss[#inside.loss] < 1e-6,
         ("%s at h = %.4f must converge: %s, loss %g"):format(name, edge * 0.98, inside.status, inside.loss[#inside.loss]))
  assert(outside.status == "diverged", ("%s at h = %.4f must diverge: %s"):format(name, edge * 1.02, outside.status))
end

local banana = gd.surface("rosenbrock")
-- Zigzag: how often a step turns back against the step before it (negative dot product).
local function reversals(r)
  local n = 0
  for k = 3, #r.x do
    local dot = (r.x[k] - r.x[k - 1]) * (r.x[k - 1] - r.x[k - 2]) + (r.y[k] - r.y[k - 1]) * (r.y[k - 1] - r.y[k - 2])
    if dot < 0 then n = n + 1 end
  end
  return n
end
local function first_below(r, level)
  for k = 1, #r.loss do if r.loss[k] < level then return k - 1 end end
  return math.huge
end
local nes_fast, mom_fast = final("nesterov", 0.0015, banana, {-1, 2}, 1000), final("momentum", 0.0015, banana, {-1, 2}, 1000)
assert(nes_fast.status == "diverged" and nes_fast.stop_step <= 10, "Nesterov at 0.0015 diverges at once")
local passed = false
for k = 1, #nes_fast.lambda_max - 1 do passed = passed or 0.0015 * nes_fast.lambda_max[k] > edges.nesterov end
assert(passed, "Nesterov passes its edge before it diverges")
assert(mom_fast.status ~= "diverged" and mom_fast.loss[#mom_fast.loss] < 1e-6, "momentum at 0.0015 converges")
local nes, mom = final("nesterov", 0.001, banana, {-1, 2}, 1000), final("momentum", 0.001, banana, {-1, 2}, 1000)
assert(nes.status ~= "diverged" and mom.status ~= "diverged", "both survive lr = 0.001")
assert(reversals(nes) <= 4 and reversals(mom) >= 20,
       ("Nesterov turns back %d times, momentum %d"):format(reversals(nes), reversals(mom)))
assert(first_below(mom, 1e-2) < 100 and first_below(nes, 1e-2) > 3 * first_below(mom, 1e-2),
       ("momentum reaches 0.01 first: step %d against %d"):format(first_below(mom, 1e-2), first_below(nes, 1e-2)))
assert(mom.loss[#mom.loss] < nes.loss[#nes.loss], "momentum ends lower at lr = 0.001")
print(("nesterov_numbers: edges %.4f and %.4f; turns back %d (Nesterov) and %d (momentum) times; loss 0.01 at steps %d and %d"):format(
  edges.nesterov, edges.momentum, reversals(nes), reversals(mom), first_below(nes, 1e-2), first_below(mom, 1e-2)))
