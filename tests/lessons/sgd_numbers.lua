-- SPDX-License-Identifier: MIT
-- Seed 003's exercises 1 and 3, as scripts/lessons/sgd_minibatch.lua and cyclic_lr.lua run them:
-- mini-batch SGD on gdlab's `linreg` (64 points), whose loss with a constant rate settles at a floor
-- proportional to lr/batch (Mandt, Hoffman & Blei, JMLR 2017), and Smith's cyclical rates (WACV 2017).
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local function data(batch) return gd.surface("linreg", {batch = batch}) end
local f_min = data(1):landmarks()[1].value

-- A run is a function of its seed: the same seed draws the same batches, another seed others.
local function sgd(batch, lr, seed, steps, schedule)
  return gd.run{surface = data(batch), optimizer = gd.optimizer("sgd", {lr = lr}), steps = steps, seed = seed,
                schedule = schedule}
end
local a, b, c = sgd(4, 0.05, 1, 50), sgd(4, 0.05, 1, 50), sgd(4, 0.05, 2, 50)
assert(a.loss[51] == b.loss[51] and a.loss[51] ~= c.loss[51], "runs must be reproducible by seed")

-- The floor: mean f − f_min over steps 200..600 and 4 seeds, as the lesson computes it.
local function floor(batch, lr)
  local sum, count = 0, 0
  for seed = 1, 4 do
    local r = sgd(batch, lr, seed, 600)
    for k = 201, #r.loss do sum, count = sum + r.loss[k] - f_min, count + 1 end
  end
  return sum / count
end
local one, sixty_four = floor(1, 0.05), floor(64, 0.05)
assert(one / sixty_four > 45 and one / sixty_four < 90, "batch 1 vs 64: ratio " .. one / sixty_four .. ", ~64 expected")
local half, double = floor(8, 0.05), floor(8, 0.1)
assert(double / half > 1.6 and double / half < 2.4, "lr 0.1 vs 0.05: ratio " .. double / half .. ", ~2 expected")

-- Cyclical rates: triangular2 from 0.01 to 0.3 (25 steps up, 25 down, height halved every cycle).
local tri2 = {"cyclic", max_lr = 0.3, step_size_up = 25, mode = "triangular2", cycle_momentum = false}
local r = sgd(4, 0.01, 1, 300, tri2)
for step, expected in pairs{[1] = 0.01, [26] = 0.3, [51] = 0.01, [76] = 0.155, [126] = 0.0825} do
  check.within(r.lr[step + 1], expected, 1e-12, "lr of step " .. step)
end
-- Against the constant rates at its two ends (8 seeds): it reaches f − f_min ≤ 0.01 almost as soon as
-- lr 0.3 and ends almost as low as lr 0.01.
local function summary(lr, schedule)
  local reach, final = 0, 0
  for seed = 1, 8 do
    local run = sgd(4, lr, seed, 300, schedule)
    local first = 301
    for k, f in ipairs(run.loss) do if f - f_min <= 0.01 then first = k - 1 break end end
    local sum = 0
    for k = #run.loss - 49, #run.loss do sum = sum + run.loss[k] - f_min end
    reach, final = reach + first / 8, final + sum / 50 / 8
  end
  return reach, final
end
local slow_reach, slow_end = summary(0.01)
local fast_reach, fast_end = summary(0.3)
local cyc_reach, cyc_end = summary(0.01, tri2)
assert(cyc_reach < 2 * fast_reach and cyc_reach < slow_reach / 4,
       ("steps to 0.01: cyclic %.1f, lr 0.3 %.1f, lr 0.01 %.1f"):format(cyc_reach, fast_reach, slow_reach))
assert(cyc_end < 2 * slow_end and cyc_end < fast_end / 10,
       ("final excess: cyclic %.2e, lr 0.01 %.2e, lr 0.3 %.2e"):format(cyc_end, slow_end, fast_end))
print(("sgd_numbers: floor ratio batch 1/64 = %.1f, lr 0.1/0.05 = %.2f; cyclic reaches 0.01 in %.1f steps, ends at %.1e"):format(
  one / sixty_four, double / half, cyc_reach, cyc_end))
