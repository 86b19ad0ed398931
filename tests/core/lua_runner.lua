-- SPDX-License-Identifier: MIT
-- gd.runner (a run advanced step by step), record modes and packed results: the same numbers as
-- gd.run, bit for bit; arrays that read like lists; fields derived on demand equal recorded ones.
local gd = require "gdlab"

local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local function bits(v) return string.pack("<d", v) end

local banana = gd.surface("rosenbrock")
local adam = gd.optimizer("adam", {lr = 0.05})
local args = {surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3}
local whole = gd.run(args)
check.equal(whole.status, "converged", "adam's status")
check.equal(whole.stop_step, 1090, "adam converges at step")

-- stepping by hand: 10 steps, the state, then the rest
local runner = gd.runner(args)
local s = runner:state()
assert(s.step == 0 and s.x[1] == -1.2 and s.x[2] == 1 and s.loss == whole.loss[1] and not s.stopped, "state at the start")
check.equal(runner:step(10), false, "10 steps do not stop it")
s = runner:state()
assert(s.step == 10 and bits(s.x[1]) == bits(whole.x[11]) and bits(s.loss) == bits(whole.loss[11]), "state after 10 steps")
assert(s.evals == 11 and bits(s.grad_norm) == bits(whole.grad_norm[11]), "evaluations and gradient norm after 10 steps")
local steps = 10
while not runner:step() do steps = steps + 1 end
check.equal(steps + 1, 1090, "the step it stopped on")
assert(runner:state().stopped and runner:state().status == "converged", "the state says it stopped")
assert(runner:step(5) == true and runner:state().step == 1090, "a stopped run does not move")
local stepped = runner:result()
assert(#stepped.loss == #whole.loss and stepped.status == whole.status and stepped.label == whole.label, "same run")
for k = 1, #whole.loss do
  assert(bits(stepped.loss[k]) == bits(whole.loss[k]) and bits(stepped.y[k]) == bits(whole.y[k]), "point " .. k .. " differs")
end
check.fails(function() runner:step() end, "the run has ended") -- a runner's result ends it

-- a run taken before it stopped ends as max_steps, saying so; the current point is its last
runner = gd.runner(args)
runner:step(7)
local early = runner:result()
assert(early.status == "max_steps" and early.steps == 7 and #early.loss == 8, "ended early after 7 steps")
assert(early.reason:find("before a stop rule", 1, true), early.reason)

-- record modes
local every = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, record = 100}
check.equal(every.record, 100, "record")
check.equal(#every.loss, 12, "every 100th point of 1090: 11 + the last")
check.equal(#every.x, 12, "x at every 100th point")
assert(bits(every.loss[11]) == bits(whole.loss[1001]) and bits(every.loss[12]) == bits(whole.loss[1091]), "the kept points")
check.equal(every.evals[2], 101, "evaluations at the second kept point")
check.equal(every.evals[12], 1091, "evaluations at the last kept point")
local summary = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, record = "summary"}
assert(summary.record == "summary" and #summary.loss == 0 and #summary.x == 0, "the summary keeps no path")
check.equal(summary.status, "converged", "the summary's status")
check.equal(summary.stop_step, 1090, "the summary's stop step")
check.equal(summary.total_evals, 1091, "the summary's evaluations")
assert(bits(summary.final_loss) == bits(whole.loss[#whole.loss]), "final loss")
local lowest = math.huge
for _, f in ipairs(whole.loss) do lowest = math.min(lowest, f) end
check.equal(summary.min_loss, lowest, "the summary's lowest loss")
check.equal(whole.min_loss, lowest, "the run's lowest loss")
check.fails(function() gd.run{surface = banana, optimizer = adam, record = "all"} end,
            "'record' must be \"path\", \"summary\" or a whole number k >= 1")
check.fails(function() gd.run{surface = banana, optimizer = adam, record = 0} end, "got 0")

-- packed arrays read like lists, and are read-only
check.equal(type(whole.loss), "userdata", "a packed array")
check.equal(#whole.loss, 1091, "its length")
local n = 0
for i, f in ipairs(whole.loss) do n = n + 1; check.equal(f, whole.loss[i], "ipairs value " .. i) end
check.equal(n, 1091, "points ipairs visits")
n = 0
for _ in pairs(whole.x) do n = n + 1 end
check.equal(n, 1091, "points pairs visits")
assert(whole.points[1][1] == -1.2 and whole.points[1][2] == 1 and #whole.points == 1091, "points as {x, y}")
assert(whole.loss[0] == nil and whole.loss[1092] == nil and whole.loss.x == nil, "outside is nil")
check.fails(function() whole.loss[1] = 0 end, "read-only")
local copy = {table.unpack(whole.loss, 1, 5)}
assert(#copy == 5 and copy[5] == whole.loss[5], "table.unpack copies")

-- derived on demand equals recorded
local detailed = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, details = true}
check.equal(#detailed.grad_norm, #whole.grad_norm, "the length of grad_norm")
for k = 1, #detailed.grad_norm, 97 do
  assert(bits(detailed.grad_norm[k]) == bits(whole.grad_norm[k]), "grad_norm at " .. k)
  assert(detailed.evals[k] == whole.evals[k] and bits(detailed.lr[k]) == bits(whole.lr[k]), "evals and lr at " .. k)
end
check.nan(whole.lr[1], "lr at the start")
check.equal(whole.lr[2], 0.05, "lr of the first step")

-- Adam's internals, worked out only when read, are the ones of its update: x_k − x_{k−1} = −step_size·m_hat
local inside = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 40, internals = true, record = 10}
local a = inside.internals
check.equal(#a.m_hat[1], 5, "m_hat kept at x_0 and every 10th point")
check.nan(a.m_hat[1][1], "m_hat at x_0")
for i = 2, 5 do
  local t = 10 * (i - 1)
  for c = 1, 2 do
    check.equal(a.m_hat[c][i], a.m[c][i] / (1 - 0.9 ^ t), "m_hat at step " .. t)
    check.equal(a.v_hat[c][i], a.v[c][i] / (1 - 0.999 ^ t), "v_hat at step " .. t)
    check.equal(a.v_max[c][i], 0.0, "no amsgrad: v_max stays 0")
  end
end
local stepwise = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 40, internals = true}
for k = 2, 41 do
  local moved = stepwise.x[k] - stepwise.x[k - 1]
  local predicted = -stepwise.internals.step_size[1][k] * stepwise.internals.m_hat[1][k]
  check.near(predicted, moved, 1e-12, "adam's step " .. k - 1 .. " is -step_size*m_hat")
end

-- A run whose start already meets tol stops at step 0, and stepping it does nothing (gd.run and
-- runner:step used to spin on such a run for 2^63 iterations: the basins lesson starts on minima).
local at_min = gd.run{surface = banana, optimizer = adam, start = {1, 1}, tol = 1e-9}
assert(at_min.status == "converged" and at_min.stop_step == 0 and #at_min.loss == 1, "a start at the minimum")
local stopped = gd.runner{surface = banana, optimizer = adam, start = {1, 1}, tol = 1e-9}
assert(stopped:step(5) == true and stopped:state().step == 0, "stepping a run stopped at its start")

print("lua_runner: all checks passed")
