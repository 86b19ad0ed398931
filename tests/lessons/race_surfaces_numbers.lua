-- SPDX-License-Identifier: MIT
-- The race_surfaces lesson's numbers: a gradient step is stable where lr·λmax < 2. The seed's bowl
-- has λmax = 10 (lr·λmax = 0.5: all three methods converge); Rosenbrock's start (−1, 2) has
-- λmax = 301 + √(101² + 400²) ≈ 713.6 from its Hessian [[402, 400], [400, 200]] (lr·λmax ≈ 36: SGD
-- and momentum leave at step 2, Adam does not); on the saddle SGD's |w2| grows exactly ×1.1 a step
-- (w2 ← w2 + 2·lr·w2); Rosenbrock with SGD 0.001 (lr·λmax ≈ 0.71) and momentum 0.0005 never diverges.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local function run(surface, name, params, start)
  return gd.run{surface = surface, optimizer = gd.optimizer(name, params), start = start, steps = 300, curvature = true}
end
local seed = {{"gd", {lr = 0.05}}, {"momentum", {lr = 0.05, beta = 0.9}}, {"adam", {lr = 0.1}}}

local bowl = gd.surface("quadratic", {a = 1, b = 5, cx = 1, cy = 1})
for _, m in ipairs(seed) do
  local r = run(bowl, m[1], m[2], {2.5, 2.5})
  assert(r.lambda_max[1] == 10 and r.status ~= "diverged" and r.loss[#r.loss] < 1e-10,
         ("%s on the bowl: %s, loss %g"):format(m[1], r.status, r.loss[#r.loss]))
end

local banana = gd.surface("rosenbrock")
local lambda = 301 + math.sqrt(101 ^ 2 + 400 ^ 2)
for i, m in ipairs(seed) do
  local r = run(banana, m[1], m[2], {-1, 2})
  check.within(r.lambda_max[1], lambda, 1e-9, "λmax at (−1, 2)")
  if i < 3 then
    assert(r.status == "diverged" and r.stop_step == 2, ("%s must leave at step 2: %s at %s"):format(m[1], r.status, r.stop_step))
  else
    assert(r.status ~= "diverged" and r.loss[#r.loss] < 3, ("Adam survives: %s, loss %g"):format(r.status, r.loss[#r.loss]))
  end
end
for _, m in ipairs{{"gd", {lr = 0.001}}, {"momentum", {lr = 0.0005, beta = 0.9}}} do
  local r = run(banana, m[1], m[2], {-1, 2})
  assert(r.status ~= "diverged" and r.loss[#r.loss] < 5, ("%s with a working rate: %s"):format(m[1], r.status))
end

local saddle = run(gd.surface("saddle"), "gd", {lr = 0.05}, {1.5, 0.1})
for k = 1, 50 do
  local want = 0.1 * 1.1 ^ (k - 1)
  check.near(saddle.y[k], want, 1e-12, ("|w2| after %d steps"):format(k - 1))
end
assert(saddle.status == "diverged", "SGD escapes the saddle until it leaves the bound")
print(("race_surfaces_numbers: λmax(−1, 2) = %.4f, lr·λmax = %.2f; saddle ×1.1 a step for 50 steps"):format(lambda, 0.05 * lambda))
