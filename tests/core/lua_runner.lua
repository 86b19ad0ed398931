-- SPDX-License-Identifier: MIT
-- gd.runner (a run advanced step by step), record modes and packed results: the same numbers as
-- gd.run, bit for bit; arrays that read like lists; fields derived on demand equal recorded ones.
local gd = require "gdlab"

local failures = 0
local function check(cond, what)
  if not cond then
    failures = failures + 1
    io.stderr:write(debug.traceback("check failed: " .. what, 2), "\n")
  end
end
local function error_of(f, ...)
  local ok, msg = pcall(f, ...)
  check(not ok, "expected an error")
  return tostring(msg)
end
local function bits(v) return string.pack("<d", v) end

local banana = gd.surface("rosenbrock")
local adam = gd.optimizer("adam", {lr = 0.05})
local args = {surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3}
local whole = gd.run(args)
check(whole.status == "converged" and whole.stop_step == 1090, "adam converges at step 1090: " .. whole.stop_step)

-- stepping by hand: 10 steps, the state, then the rest
local runner = gd.runner(args)
local s = runner:state()
check(s.step == 0 and s.x[1] == -1.2 and s.x[2] == 1 and s.loss == whole.loss[1] and not s.stopped, "state at the start")
check(runner:step(10) == false, "10 steps do not stop it")
s = runner:state()
check(s.step == 10 and bits(s.x[1]) == bits(whole.x[11]) and bits(s.loss) == bits(whole.loss[11]), "state after 10 steps")
check(s.evals == 11 and bits(s.grad_norm) == bits(whole.grad_norm[11]), "evaluations and gradient norm after 10 steps")
local steps = 10
while not runner:step() do steps = steps + 1 end
check(steps + 1 == 1090, "stopped on step 1090, got " .. steps + 1)
check(runner:state().stopped and runner:state().status == "converged", "the state says it stopped")
check(runner:step(5) == true and runner:state().step == 1090, "a stopped run does not move")
local stepped = runner:result()
check(#stepped.loss == #whole.loss and stepped.status == whole.status and stepped.label == whole.label, "same run")
for k = 1, #whole.loss do
  if bits(stepped.loss[k]) ~= bits(whole.loss[k]) or bits(stepped.y[k]) ~= bits(whole.y[k]) then
    check(false, "point " .. k .. " differs")
    break
  end
end
check(error_of(runner.step, runner):find("the run has ended", 1, true), "a runner's result ends it")

-- a run taken before it stopped ends as max_steps, saying so; the current point is its last
runner = gd.runner(args)
runner:step(7)
local early = runner:result()
check(early.status == "max_steps" and early.steps == 7 and #early.loss == 8, "ended early after 7 steps")
check(early.reason:find("before a stop rule", 1, true), early.reason)

-- record modes
local every = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, record = 100}
check(every.record == 100 and #every.loss == 12 and #every.x == 12, "every 100th point of 1090: 11 + the last, got " .. #every.loss)
check(bits(every.loss[11]) == bits(whole.loss[1001]) and bits(every.loss[12]) == bits(whole.loss[1091]), "the kept points")
check(every.evals[12] == 1091 and every.evals[2] == 101, "evaluations at the kept points")
local summary = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, record = "summary"}
check(summary.record == "summary" and #summary.loss == 0 and #summary.x == 0, "the summary keeps no path")
check(summary.status == "converged" and summary.stop_step == 1090 and summary.total_evals == 1091, "the summary")
check(bits(summary.final_loss) == bits(whole.loss[#whole.loss]), "final loss")
local lowest = math.huge
for _, f in ipairs(whole.loss) do lowest = math.min(lowest, f) end
check(summary.min_loss == lowest and whole.min_loss == lowest, "lowest loss")
check(error_of(gd.run, {surface = banana, optimizer = adam, record = "all"})
      :find("'record' must be \"path\", \"summary\" or a whole number k >= 1", 1, true), "bad record mode")
check(error_of(gd.run, {surface = banana, optimizer = adam, record = 0}):find("got 0", 1, true), "record = 0")

-- packed arrays read like lists, and are read-only
check(type(whole.loss) == "userdata" and #whole.loss == 1091, "a packed array")
local n = 0
for i, f in ipairs(whole.loss) do n = n + 1; check(f == whole.loss[i], "ipairs value") end
check(n == 1091, "ipairs visits every point: " .. n)
n = 0
for _ in pairs(whole.x) do n = n + 1 end
check(n == 1091, "pairs visits every point")
check(whole.points[1][1] == -1.2 and whole.points[1][2] == 1 and #whole.points == 1091, "points as {x, y}")
check(whole.loss[0] == nil and whole.loss[1092] == nil and whole.loss.x == nil, "outside is nil")
check(error_of(function() whole.loss[1] = 0 end):find("read-only", 1, true), "read-only")
local copy = {table.unpack(whole.loss, 1, 5)}
check(#copy == 5 and copy[5] == whole.loss[5], "table.unpack copies")

-- derived on demand equals recorded
local detailed = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 3000, tol = 1e-3, details = true}
check(#detailed.grad_norm == #whole.grad_norm, "same length")
for k = 1, #detailed.grad_norm, 97 do
  check(bits(detailed.grad_norm[k]) == bits(whole.grad_norm[k]), "grad_norm at " .. k)
  check(detailed.evals[k] == whole.evals[k] and bits(detailed.lr[k]) == bits(whole.lr[k]), "evals and lr at " .. k)
end
check(whole.lr[1] ~= whole.lr[1] and whole.lr[2] == 0.05, "lr: NaN, then the rate")

-- Adam's internals, worked out only when read, are the ones of its update: x_k − x_{k−1} = −step_size·m_hat
local inside = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 40, internals = true, record = 10}
local a = inside.internals
check(#a.m_hat[1] == 5 and a.m_hat[1][1] ~= a.m_hat[1][1], "kept at x_0 and every 10th point; NaN at x_0")
for i = 2, 5 do
  local t = 10 * (i - 1)
  for c = 1, 2 do
    check(a.m_hat[c][i] == a.m[c][i] / (1 - 0.9 ^ t), "m_hat at step " .. t)
    check(a.v_hat[c][i] == a.v[c][i] / (1 - 0.999 ^ t), "v_hat at step " .. t)
    check(a.v_max[c][i] == 0, "no amsgrad: v_max stays 0")
  end
end
local stepwise = gd.run{surface = banana, optimizer = adam, start = {-1.2, 1}, steps = 40, internals = true}
for k = 2, 41 do
  local moved = stepwise.x[k] - stepwise.x[k - 1]
  local predicted = -stepwise.internals.step_size[1][k] * stepwise.internals.m_hat[1][k]
  check(math.abs(moved - predicted) <= 1e-12 * math.abs(moved), "adam's step " .. k - 1 .. " is -step_size*m_hat")
end

-- A run whose start already meets tol stops at step 0, and stepping it does nothing (gd.run and
-- runner:step used to spin on such a run for 2^63 iterations: the basins lesson starts on minima).
local at_min = gd.run{surface = banana, optimizer = adam, start = {1, 1}, tol = 1e-9}
check(at_min.status == "converged" and at_min.stop_step == 0 and #at_min.loss == 1, "a start at the minimum")
local stopped = gd.runner{surface = banana, optimizer = adam, start = {1, 1}, tol = 1e-9}
check(stopped:step(5) == true and stopped:state().step == 0, "stepping a run stopped at its start")

if failures > 0 then error(failures .. " checks failed") end
print("lua_runner: all checks passed")
