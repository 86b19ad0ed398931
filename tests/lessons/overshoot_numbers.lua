-- SPDX-License-Identifier: MIT
-- Seed 000 ("Day 2" notes), checked against the notes' own loop (tests/lessons/seed_reference.lua,
-- written by gen_seed_reference.py): scripts/lessons/momentum_overshoot.lua draws gdlab's `momentum`
-- (PyTorch form, β = γ = 0.9, lr = 0.1) as the notes' v ← γ·v + lr·g, x ← x − v. The two differ only
-- in where lr multiplies (the notes' v is lr times PyTorch's), so the paths agree to rounding.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local ref = dofile("tests/lessons/seed_reference.lua").seed000

local parabola = gd.surface("parabola")
local run = gd.run{surface = parabola, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9}),
                   start = {-4}, steps = 50, internals = true}
assert(run.status == "max_steps" and run.steps == 50, run.reason)
assert(#ref.path_x == 51)
local worst = 0
for k = 1, 51 do
  worst = math.max(worst, math.abs(run.x[k] - ref.path_x[k]) / math.max(1, math.abs(ref.path_x[k])))
end
assert(worst < 1e-12, "path differs from the notes' loop by " .. worst)

-- The notes' "Overshoot Peak": the largest x of the first 15 points: x = 2.835896 after 6 steps.
local peak = 1
for i = 2, 15 do if run.x[i] > run.x[peak] then peak = i end end
assert(peak == ref.peak_index and peak == 7, "peak at point " .. peak)
check.within(run.x[peak], 2.835896, 1e-9, "x at the peak")
check.within(run.loss[peak], ref.peak_loss, 1e-9, "loss at the peak")
-- The first step that lands beyond x = 0.1 (the start of the gold "overshoot phase") is step 4.
local first = 0
while run.x[first + 2] <= 0.1 do first = first + 1 end
assert(first + 1 == 4, "first overshoot step " .. first + 1)

-- Diagram 1's claim: the velocity after t steps is Σ γ^(t−i)·g_i, g_i the gradient 2·x at step i.
-- The plugin's recorded velocity must be exactly that weighted sum.
local velocity = run.internals.velocity[1]
for _, t in ipairs{1, 2, 10, 50} do
  local sum = 0
  for i = 1, t do sum = sum + 0.9 ^ (t - i) * 2 * run.x[i] end
  check.within(velocity[t + 1], sum, 1e-12 * math.max(1, math.abs(sum)), "velocity (the weighted sum) at t = " .. t)
end
print(("overshoot_numbers: path matches the notes to %.1e; peak x = %.6f after %d steps"):format(
  worst, run.x[peak], peak - 1))
