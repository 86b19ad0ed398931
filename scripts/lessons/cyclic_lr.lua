-- SPDX-License-Identifier: MIT
-- Lesson: cyclical learning rates against constant ones.
--
-- Seed 003's exercise 3 ("Cyclical Learning Rates: implement Leslie Smith's cyclical LR and compare
-- to constant LR"). Mini-batch SGD (4 points a batch) on gdlab's `linreg` regression, 300 steps:
--   constant lr 0.01          steady but slow
--   constant lr 0.3           fast, but the mini-batch noise keeps it bouncing (floor ∝ lr, see
--                             scripts/lessons/sgd_minibatch.lua)
--   triangular 0.01 ↔ 0.3     Smith's triangle, 25 steps up and 25 down
--   triangular2 0.01 ↔ 0.3    the same, its height halved every cycle
--   cyclic_lr.png  the four schedules; the excess loss f − f_{min} of one run each (a 10-step running
--                  mean, to see through the noise); and over 8 seeds, how many steps each needs to
--                  first reach f − f_{min} ≤ 0.01 and where it ends (mean excess over the last 50 steps).
-- triangular2 reaches 0.01 about as soon as the large constant rate and ends about as low as the
-- small one: a cycle's high phase covers ground, its low phase settles. The plain triangle keeps
-- climbing back to 0.3, so it ends wherever its last cycle leaves it.
-- Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks", WACV 2017
-- (gdlab's `cyclic` schedule, docs/schedules.md).
--
--   gdlab scripts/lessons/cyclic_lr.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local data = gd.surface("linreg", {batch = 4})
local f_min = data:landmarks()[1].value
local steps, seeds, target = 300, 8, 0.01
local low, high, half_cycle = 0.01, 0.3, 25

local cases = {
  {label = "constant 0.01", lr = low},
  {label = "constant 0.3", lr = high},
  {label = "triangular 0.01 ↔ 0.3", lr = low,
   schedule = {"cyclic", max_lr = high, step_size_up = half_cycle, cycle_momentum = false}},
  {label = "triangular2 0.01 ↔ 0.3", lr = low,
   schedule = {"cyclic", max_lr = high, step_size_up = half_cycle, mode = "triangular2",
               cycle_momentum = false}},
}

local function run(case, seed)
  return gd.run{surface = data, optimizer = gd.optimizer("sgd", {lr = case.lr}), schedule = case.schedule,
                steps = steps, seed = seed, label = case.label}
end

-- The first step at which f − f_{min} ≤ target (steps + 1 if never), and the mean excess at the end.
local function first_below(r)
  for k, f in ipairs(r.loss) do if f - f_min <= target then return k - 1 end end
  return steps + 1
end
local function final_excess(r)
  local sum = 0
  for k = #r.loss - 49, #r.loss do sum = sum + r.loss[k] - f_min end
  return sum / 50
end

local labels, reach, ends = {}, {}, {}
for i, case in ipairs(cases) do
  case.run = run(case, 1)
  local sum_reach, sum_end = 0, 0
  for seed = 1, seeds do
    local r = seed == 1 and case.run or run(case, seed)
    sum_reach, sum_end = sum_reach + first_below(r), sum_end + final_excess(r)
  end
  -- bar labels: the schedule's name only (the colours and the legend above give the rates)
  labels[i], reach[i], ends[i] = case.label:gsub(" 0%.01 ↔ 0%.3", ""), sum_reach / seeds, sum_end / seeds
  local pad = string.rep(" ", 24 - utf8.len(case.label))
  print(("%s%s reaches f - f_min <= %g after %5.1f steps; ends at %.2e (means over %d seeds)"):format(
    case.label, pad, target, reach[i], ends[i], seeds))
end

-- A 10-step running mean of f − f_{min}.
local function smoothed(r)
  local x, y, window = {}, {}, 10
  for k = window, #r.loss do
    local sum = 0
    for j = k - window + 1, k do sum = sum + r.loss[j] - f_min end
    x[#x + 1], y[#y + 1] = k - 1, sum / window
  end
  return x, y
end

local colors = {"#3A7CA5", "#E05C4B", "#F4A536", "#2A9D5C"}
local fig = gd.figure{name = "cyclic_lr", size = {1400, 900}, layout = {rows = 2, cols = 2},
                      title = "Cyclical vs constant learning rates — mini-batch SGD on a linear regression"}
local schedule_runs, curves = {}, {}
for i, case in ipairs(cases) do
  schedule_runs[i] = {case.run, color = colors[i]}
  local x, y = smoothed(case.run)
  curves[i] = {x = x, y = y, label = case.label, color = colors[i], width = 1.6}
end
fig:loss{panel = 1, runs = schedule_runs, key = "lr", log = false, ylim = {0, 0.45}, legend = "upper right",
         grid = true, title = "The learning rate of each step", ylabel = "learning rate"}
fig:lines{panel = 2, series = curves, ylog = true, grid = true, legend = "upper right",
          hlines = {{target, label = "0.01"}},
          title = "Excess loss, one run each (10-step running mean)", xlabel = "step", ylabel = "f − f_{min}"}
fig:bars{panel = 3, values = reach, labels = labels, colors = colors, grid = true,
         title = ("Steps to first reach f − f_{min} ≤ %g (mean of %d seeds)"):format(target, seeds),
         ylabel = "steps"}
fig:bars{panel = 4, values = ends, labels = labels, colors = colors, ylog = true, ylim = {1e-4, 0.3}, grid = true,
         title = ("Where it ends: mean f − f_{min} over the last 50 steps (%d seeds)"):format(seeds),
         ylabel = "f − f_{min}"}
print("wrote " .. fig:close())
