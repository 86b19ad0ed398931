-- SPDX-License-Identifier: MIT
-- The cosine_annealing lesson's numbers: the rate a run records is the closed form
-- lr·(1 + cos(π(t − 1)/T))/2; with mini-batch noise annealing ends at least ten times lower than
-- either constant rate (mean excess over the last 50 of 150 steps, 8 seeds), while on noiseless
-- Rosenbrock Adam ends higher annealed than constant.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local data = gd.surface("linreg", {batch = 4})
local f_min = data:landmarks()[1].value
local steps = 150

local function final_excess(lr, schedule)
  local total = 0
  for seed = 1, 8 do
    local r = gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = lr}), schedule = schedule, steps = steps, seed = seed}
    if schedule then
      assert(#r.lr == steps + 1 and r.lr[1] ~= r.lr[1], "one rate per point, none (NaN) at the start")
      for t = 1, steps do -- the point after step t records that step's rate
        local want = lr * (1 + math.cos(math.pi * (t - 1) / steps)) / 2
        check.within(r.lr[t + 1], want, 1e-15, "lr of step " .. t)
      end
    end
    local sum = 0
    for k = #r.loss - 49, #r.loss do sum = sum + r.loss[k] - f_min end
    total = total + sum / 50
  end
  return total / 8
end
local high, low, cosine = final_excess(0.3), final_excess(0.01), final_excess(0.3, {"cosine", T_max = steps})
assert(cosine * 10 < high and cosine * 10 < low,
       ("annealed %.4f must be ten times below constant 0.3 (%.4f) and 0.01 (%.4f)"):format(cosine, high, low))
check.within(high, 0.0718, 0.002, "the lesson's printed excess at lr 0.3")
check.within(low, 0.0669, 0.002, "the lesson's printed excess at lr 0.01")
check.within(cosine, 0.0037, 0.0003, "the lesson's printed excess with cosine annealing")

local banana = gd.surface("rosenbrock")
local function adam(schedule)
  local r = gd.run{surface = banana, optimizer = gd.optimizer("adam", {lr = 0.1}), start = {-1, 2}, steps = 500, schedule = schedule}
  return r.loss[#r.loss]
end
local constant, annealed = adam(nil), adam({"cosine", T_max = 500})
assert(constant < 0.5 and annealed > 2.5, ("Adam: constant %.4f, annealed %.4f"):format(constant, annealed))
print(("cosine_numbers: SGD final excess %.4f (0.3), %.4f (0.01), %.4f (cosine); Adam %.4f vs %.4f"):format(
  high, low, cosine, constant, annealed))
