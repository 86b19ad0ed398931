-- SPDX-License-Identifier: MIT
-- Seed 003's exercise 2, as scripts/lessons/saddle_point.lua runs it: GD (lr 0.1) on x² − y² from
-- (1.5, y₀). Closed form: x_k = 1.5·0.8^k, y_k = y₀·1.2^k.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local saddle = gd.surface("saddle")
local function run(y0)
  return gd.run{surface = saddle, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {1.5, y0}, steps = 100,
                gtol = 1e-8}
end

local r = run(1e-3)
for k = 0, r.steps do
  local x, y = 1.5 * 0.8 ^ k, 1e-3 * 1.2 ^ k
  check.near(r.x[k + 1], x, 1e-13, "x after step " .. k)
  check.near(r.y[k + 1], y, 1e-13, "y after step " .. k)
end
-- |y| first exceeds 1 after ⌈ln(1/y₀)/ln 1.2⌉ = 38 steps.
local escape = 0
while math.abs(r.y[escape + 1]) <= 1 do escape = escape + 1 end
assert(escape == math.ceil(math.log(1e3) / math.log(1.2)) and escape == 38, "escape step " .. escape)

-- The escape is reported as divergence once |y| passes 1000 half-widths of the box (2500):
-- from y₀ = 0.1 that is step ⌈ln(25000)/ln 1.2⌉ = 56.
local fast = run(0.1)
assert(fast.status == "diverged" and fast.stop_step == 56, fast.reason)

-- Exactly on the ridge (y₀ = 0) the gradient 2·1.5·0.8^k reaches gtol 1e-8 at step 88: gdlab says
-- converged, at a point whose Hessian has the eigenvalue −2 — a saddle, not a minimum.
local stuck = run(0)
assert(stuck.status == "converged" and stuck.stop_step == 88, stuck.reason)
check.equal(stuck.y[#stuck.y], 0.0, "y on the ridge")
check.within(stuck.x[#stuck.x], 1.5 * 0.8 ^ 88, 1e-20, "x where it stops")
local h = saddle:hessian(stuck.x[#stuck.x], 0)
assert(h[1] == 2 and h[4] == -2 and h[2] == 0, "Hessian diag(2, -2)")
print("saddle_numbers: closed form, escape at step 38, divergence at 56, false convergence at 88")
