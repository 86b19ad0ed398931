-- SPDX-License-Identifier: MIT
-- Lesson: cosine annealing, and when a schedule helps final convergence.
--
-- Seed 004's second extension challenge: "Implement a learning rate scheduler (e.g., cosine
-- annealing) and observe its effect on final convergence." Cosine annealing (Loshchilov & Hutter,
-- ICLR 2017; gdlab's `cosine` schedule, docs/schedules.md) lowers the rate from its base lr to 0 over
-- the run: lr_t = lr·(1 + cos(π·(t − 1)/T))/2.
--   cosine_annealing.png  the schedules; mini-batch SGD on the `linreg` regression (4 points a batch,
--                         150 steps, excess loss f − f_min, a 10-step running mean of one run); Adam
--                         on the seed's Rosenbrock from (−1, 2), 500 steps.
-- With noisy gradients the final loss is set by the noise floor, which is proportional to the rate
-- (lesson sgd_minibatch): a constant 0.3 gets close fast and then bounces (excess 0.072 over the last
-- 50 steps, mean of 8 seeds), a constant 0.01 is quiet but still on its way down (0.067); annealing
-- 0.3 → 0 has the fast start and ends quiet, twenty times lower (0.0037). Without noise there is no
-- floor to remove: Adam on Rosenbrock still has the valley ahead of it when the annealed rate runs
-- out, and ends at loss 3.0 where the constant rate reaches 0.40. A schedule trades late progress for
-- late quiet (tests/lessons/cosine_numbers.lua).
--   gdlab scripts/lessons/cosine_annealing.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local data = gd.surface("linreg", {batch = 4})
local f_min = data:landmarks()[1].value
local steps, seeds = 150, 8
local cases = {
  {label = "constant 0.3", lr = 0.3, color = "#E05C4B"},
  {label = "constant 0.01", lr = 0.01, color = "#F4A536"},
  {label = "cosine 0.3 → 0", lr = 0.3, schedule = {"cosine", T_max = steps}, color = "#3A7CA5"},
}

local function sgd(case, seed)
  return gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = case.lr}), schedule = case.schedule,
                steps = steps, seed = seed, label = case.label}
end
local function final_excess(r) -- mean excess loss over the last 50 steps
  local sum = 0
  for k = #r.loss - 49, #r.loss do sum = sum + r.loss[k] - f_min end
  return sum / 50
end
local function running_mean(r) -- of the excess, over 10 steps
  local out, sum = {}, 0
  for k = 1, #r.loss do
    sum = sum + r.loss[k] - f_min
    if k > 10 then sum = sum - (r.loss[k - 10] - f_min) end
    out[k] = sum / math.min(k, 10)
  end
  return out
end

local schedules, noisy = {}, {}
for i, case in ipairs(cases) do
  local total = 0
  for seed = 1, seeds do
    local r = sgd(case, seed)
    if seed == 1 then case.run = r end
    total = total + final_excess(r)
  end
  case.final = total / seeds
  print(("SGD %-16s mean excess loss over the last 50 steps (%d seeds): %.4f"):format(case.label, seeds, case.final))
  local its = {}
  for k = 1, #case.run.lr do its[k] = k - 1 end -- the point after step k holds step k's rate
  schedules[i] = {x = its, y = case.run.lr, label = case.label, color = case.color}
  local steps_k = {}
  for k = 1, #case.run.loss do steps_k[k] = k - 1 end
  noisy[i] = {x = steps_k, y = running_mean(case.run), label = case.label, color = case.color}
end

local banana = gd.surface("rosenbrock")
local adam = {}
for i, schedule in ipairs{false, {"cosine", T_max = 500}} do
  local r = gd.run{surface = banana, optimizer = gd.optimizer("adam", {lr = 0.1}), start = {-1, 2}, steps = 500,
                   schedule = schedule or nil, label = schedule and "Adam, cosine 0.1 → 0" or "Adam, constant 0.1"}
  print(("%-22s loss after 500 steps: %.4f"):format(r.label, r.loss[#r.loss]))
  adam[i] = {r, color = schedule and "#2A9D5C" or "#8E6BBF"}
end

local fig = gd.figure{name = "cosine_annealing", size = {1500, 520}, layout = {rows = 1, cols = 3}, key = true,
                      title = "Cosine annealing: the rate falls to 0 over the run"}
fig:lines{panel = 1, series = schedules, title = "Learning rate of each step",
          xlabel = "step", ylabel = "lr"}
fig:lines{panel = 2, series = noisy, ylog = true, ylim = {1e-4, 10},
          title = ("Noisy gradients: SGD on linreg, batch 4\nfinal excess %.3f · %.3f · %.4f"):format(
            cases[1].final, cases[2].final, cases[3].final),
          xlabel = "step", ylabel = "f − f_{min} (10-step mean)"}
fig:loss{panel = 3, runs = adam, title = "No noise: Adam on Rosenbrock\nannealing stops it half-way",
         xlabel = "step", ylabel = "loss"}
print("wrote " .. fig:close())
