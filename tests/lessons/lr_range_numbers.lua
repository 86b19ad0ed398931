-- SPDX-License-Identifier: MIT
-- The lr_range_test lesson's numbers: the recorded rates grow exactly by γ = (10/10⁻⁴)^(1/199) a step
-- from 10⁻⁴; λmax is the eigenvalue of the surface's own (constant) Hessian; the loss is 4 times its
-- lowest within 30 % of the stability edge 2/λmax and the run is stopped as diverged below 3 · 2/λmax; the
-- steepest descent lies well below the edge; and trained at constant rates, the pick converges while
-- a tenth of it crawls and 1.1 · 2/λmax diverges.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local data = gd.surface("linreg", {batch = 8})
local f_min = data:landmarks()[1].value
local lo, hi, n = 1e-4, 10, 200
local gamma = (hi / lo) ^ (1 / (n - 1))
local r = gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = lo}), start = {0, 0}, steps = n, seed = 1,
                 schedule = {"exponential", gamma = gamma}, curvature = true}
for k = 1, #r.lr - 1 do
  local want = lo * gamma ^ (k - 1)
  check.near(r.lr[k + 1], want, 1e-12, "rate of step " .. k)
end
local h = data:hessian(0, 0)
local tr, det = h[1] + h[4], h[1] * h[4] - h[2] * h[3]
local lambda = tr / 2 + math.sqrt(tr * tr / 4 - det)
check.near(r.lambda_max[1], lambda, 1e-12, "λmax")
local edge = 2 / lambda

local best = 2
for k = 3, #r.loss do if r.loss[k] < r.loss[best] then best = k end end
local blowup
for k = best, #r.loss do if r.loss[k] > 4 * r.loss[best] then blowup = r.lr[k] break end end
assert(blowup and blowup > 0.7 * edge and blowup < 1.3 * edge, ("loss x4 at lr %s, edge %.4f"):format(tostring(blowup), edge))
assert(r.status == "diverged" and r.lr[#r.lr] < 3 * edge, ("stopped at lr %.4g: %s"):format(r.lr[#r.lr], r.status))
local steepest, slope = nil, math.huge
for k = 3, best - 1 do
  local s = (r.loss[k + 1] - r.loss[k - 1]) / (math.log(r.lr[k + 1], 10) - math.log(r.lr[k - 1], 10))
  if s < slope then steepest, slope = r.lr[k], s end
end
assert(steepest > 0.005 and steepest < edge / 20, ("steepest descent at %.4g"):format(steepest))

local function train(lr)
  local t = gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = lr}), start = {0, 0}, steps = 150, seed = 2}
  return t.status, t.loss[#t.loss]
end
local _, picked = train(steepest)
local _, slow = train(steepest / 10)
local status_past = train(1.1 * edge)
assert(picked - f_min < 0.01 and slow > 1 and status_past == "diverged",
       ("after 150 steps: pick %.4f (f_min %.4f), pick/10 %.4f, past the edge %s"):format(picked, f_min, slow, status_past))
print(("lr_range_numbers: steepest %.4g, loss x4 at %.4g, 2/λmax %.4g; pick ends %.4f above f_min"):format(
  steepest, blowup, edge, picked - f_min))
