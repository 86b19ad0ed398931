-- SPDX-License-Identifier: MIT
-- Schedules and optimizers from Lua: gd.schedule, the `schedule` field of gd.run (tables and
-- functions), CHOICE and BOOLEAN parameters by name, and errors that name the culprit.
local gd = require "gdlab"

local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")

-- gd.schedule: the closed forms at their landmarks
local lr = gd.schedule({"cosine", T_max = 10, eta_min = 0.01}, 11, 0.1)
check.equal(#lr, 11, "gd.schedule returns one lr per step")
check.near(lr[1], 0.1, 1e-15, "cosine starts at the base lr")
check.near(lr[6], 0.055, 1e-15, "cosine is half way at T_max/2")
check.near(lr[11], 0.01, 1e-14, "cosine reaches eta_min at T_max")

lr = gd.schedule({"multistep", milestones = {2, 4}, gamma = 0.5}, 6)
local want = {1, 1, 0.5, 0.5, 0.25, 0.25}
for t = 1, 6 do check.near(lr[t], want[t], 0, "multistep lr of step " .. t) end

lr = gd.schedule({"onecycle", total_steps = 20, three_phase = true, anneal_strategy = "linear"}, 20, 1.0)
check.near(lr[1], 1 / 25, 1e-15, "onecycle starts at max_lr/div_factor")
check.near(lr[20], 1 / 25 / 1e4, 1e-12, "onecycle ends at start/final_div_factor")

lr = gd.schedule(function(v) return v.base / v.t end, 4, 2)
for t = 1, 4 do check.near(lr[t], 2 / t, 1e-15, "function schedule at step " .. t) end

-- torch's lambdas take the scheduler's step count e = t - 1
lr = gd.schedule({"lambda", lr_lambda = function(e) return 0.5 ^ e end}, 4, 1)
for t = 1, 4 do check.near(lr[t], 0.5 ^ (t - 1), 0, "lambda schedule at step " .. t) end
lr = gd.schedule({"multiplicative", lr_lambda = function(e) return e end}, 4, 1)
for t = 1, 4 do check.near(lr[t], ({1, 1, 2, 6})[t], 0, "multiplicative: the product of e at step " .. t) end

-- compositions: parts are the array entries after the kind
lr = gd.schedule({"sequential", milestones = {2}, {"constant", factor = 0.5, total_iters = 2},
                  {"exponential", gamma = 0.1}}, 4, 1)
want = {0.5, 0.5, 1, 0.1}
for t = 1, 4 do check.near(lr[t], want[t], 1e-15, "sequential at step " .. t) end
lr = gd.schedule({"chained", {"constant", factor = 0.5, total_iters = 2}, {"exponential", gamma = 0.1}},
                 3, 1)
want = {0.5, 0.05, 0.01}
for t = 1, 3 do check.near(lr[t], want[t], 1e-14, "chained at step " .. t) end

-- cyclic and onecycle return the momentum they cycle too
local lrs, momenta = gd.schedule({"cyclic", max_lr = 1, step_size_up = 2}, 5, 0)
want = {0.9, 0.85, 0.8, 0.85, 0.9}
for t = 1, 5 do check.near(momenta[t], want[t], 1e-15, "cyclic momentum at step " .. t) end
check.equal(select("#", gd.schedule({"cyclic", max_lr = 1, cycle_momentum = false}, 3)), 1,
            "tables returned without cycle_momentum (no momentum)")

-- plateau from a given loss sequence: a flat loss halves the lr after patience + 1 steps
lr = gd.schedule({"plateau", factor = 0.5, patience = 1}, 6, 1, {1, 1, 1, 1, 1})
want = {1, 1, 1, 0.5, 0.5, 0.25}
for t = 1, 6 do check.near(lr[t], want[t], 0, "plateau at step " .. t) end
check.fails(function() gd.schedule({"plateau"}, 3) end, "schedule 'plateau' watches the run")

-- gd.run uses the schedule: lr[k + 1] is the rate of step k
local s = gd.surface("quadratic", {a = 1, b = 4})
local r = gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 0.1}), steps = 7,
                 schedule = {"step", step_size = 3, gamma = 0.1}}
check.nan(r.lr[1], "lr[1] (no step yet)")
for k = 1, 7 do check.near(r.lr[k + 1], 0.1 * 0.1 ^ ((k - 1) // 3), 1e-15, "run lr of step " .. k) end
r = gd.run{surface = s, optimizer = gd.optimizer("momentum", {lr = 0.01}), steps = 5,
           schedule = function(v) return v.base * v.t end}
for k = 1, 5 do check.near(r.lr[k + 1], 0.01 * k, 1e-15, "function-scheduled run, step " .. k) end

-- a function sees the run: the loss and gradient norm at the current point, the same the run records
local seen = {}
r = gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 0.1}), steps = 4,
           schedule = function(v) seen[v.t] = {v.loss, v.grad_norm}; return v.base end}
for k = 1, 4 do
  assert(seen[k][1] == r.loss[k] and seen[k][2] == r.grad_norm[k], "the view of step " .. k)
end

-- several schedules, each driving its own parameter: lr by cosine, momentum by a function
r = gd.run{surface = s, optimizer = gd.optimizer("sgd", {lr = 0.05, momentum = 0.5}), steps = 3,
           schedule = {{"cosine", T_max = 2}, {"function", param = "momentum", fn = function(v) return 0 end}}}
check.near(r.lr[3], 0.025, 1e-15, "cosine lr with a momentum schedule beside it")

-- optimizers take CHOICE parameters by name and BOOLEAN ones as booleans
r = gd.run{surface = s, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9, form = "ema"}),
           start = {1, 0}, steps = 1, internals = true}
check.near(r.internals.velocity[1][2], 0.1 * 2, 1e-15, "ema's first velocity is (1 - beta)*g") -- g = 2x = 2
r = gd.run{surface = s, optimizer = gd.optimizer("nesterov", {lr = 0.05}), steps = 10}
check.equal(r.evals[11] - r.evals[2], 18, "nesterov: 2 evaluations per step after the first")
r = gd.run{surface = s, optimizer = gd.optimizer("cg", {exact = true, beta = "fletcher_reeves"}),
           steps = 2}
assert(r.grad_norm[3] < 1e-12 * r.grad_norm[1], "exact CG: a 2-D quadratic in two steps")

-- a wrapper takes the optimizer it wraps: an optimizer object or a name
local plain = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.1}), steps = 12}
local wrapped = gd.run{surface = s, steps = 12,
                       optimizer = gd.optimizer("lookahead", {k = 4, alpha = 1, inner = gd.optimizer("adam", {lr = 0.1})})}
for k = 1, 13 do check.near(wrapped.x[k], plain.x[k], 1e-14, "lookahead with alpha = 1 is adam, point " .. k) end
wrapped = gd.run{surface = s, steps = 4, internals = true,
                 optimizer = gd.optimizer("lookahead", {k = 2, alpha = 0.5, inner = "gd"})}
check.near(wrapped.internals.slow[1][3], wrapped.x[3], 0, "lookahead's slow weights are x after a sync")
check.fails(function() gd.optimizer("lookahead", {k = 3}) end,
            "optimizer 'lookahead' wraps another: give inner = gd.optimizer(\"adam\", {...}) or a name, got none")
check.fails(function() gd.optimizer("lookahead", {inner = "adma"}) end,
                         "unknown optimizer 'adma'; available: adabelief")

-- errors name the culprit
local deep = {"chained", {"exponential", gamma = 0.9}}
for _ = 1, 20 do deep = {"chained", deep} end
check.fails(function() gd.schedule(deep, 3) end, "schedule: parts nested more than 16 deep")
check.fails(function() gd.schedule({"cosin"}, 3) end, "unknown schedule 'cosin'; valid: constant, step")
check.fails(function() gd.schedule({"cosine"}, 3) end, "schedule 'cosine' needs parameter 'T_max'")
check.fails(function() gd.schedule({"cosine", Tmax = 3}, 3) end,
            "unknown parameter 'Tmax' for schedule 'cosine'; valid: T_max, eta_min, param")
check.fails(function() gd.schedule({"cyclic", max_lr = 1, mode = "saw"}, 3) end,
            "must be one of: triangular, triangular2, exp_range; got 'saw'")
check.fails(function() gd.schedule({T_max = 3}, 3) end, "the first entry must be the kind's name")
check.fails(function() gd.run{surface = s, optimizer = gd.optimizer("gd", {}), schedule = 0.1} end,
            "schedule must be a table")
check.fails(function() gd.schedule(0.1, 3) end,
            "schedule: expected a table such as {\"cosine\", T_max = 100} or a function(view), got a number")
check.fails(function() gd.schedule({"sequential", milestones = {1}, {"linear"}, 7}, 3) end,
            "schedule: expected a table such as")
check.fails(function()
              gd.run{surface = s, optimizer = gd.optimizer("adam", {}), schedule = {"cosine", T_max = 3, param = "momentum"}}
            end,
            "schedule 'cosine' drives 'momentum': unknown parameter 'momentum' for optimizer 'adam'; valid: lr, beta1")
check.fails(function() gd.run{surface = s, optimizer = gd.optimizer("gd", {}), schedule = {"cyclic", max_lr = 1}} end,
            "schedule 'cyclic' cycles the momentum (cycle_momentum = true, torch's default) and optimizer 'gd' has none")
r = gd.run{surface = s, optimizer = gd.optimizer("gd", {lr = 0.1}), steps = 5,
           schedule = function(v) return v.t == 3 and 0 / 0 or v.base end}
assert(r.status == "failed" and r.reason:find("schedule 'function' at step 3: parameter 'lr' of optimizer 'gd' must be in (0, inf), got nan", 1, true),
      "a NaN from a schedule stops the run by name: " .. r.reason)
check.fails(function() gd.schedule({"lambda", lr_lambda = 0.5}, 3) end,
            "schedule: option 'lr_lambda' of schedule 'lambda' takes a function, not a number")
check.fails(function() gd.schedule(function(v) if v.t == 2 then error("boom", 0) end return 1 end, 3) end,
            "schedule function failed at step 2: boom")
check.fails(function() gd.schedule(function() return "x" end, 3) end,
            "schedule function returned a string at step 1")
check.fails(function() gd.run{surface = s, optimizer = gd.optimizer("gd", {}), schedule = {"cosine", T_max = 0.5}} end,
            "schedule: parameter 'T_max' of schedule 'cosine' must be in [1, inf), whole numbers, got 0.5")
check.fails(function() gd.optimizer("momentum", {form = "heavy"}) end,
            "parameter 'form' of optimizer 'momentum' must be one of: pytorch, ema; got 'heavy'")
check.fails(function() gd.optimizer("adam", {beta1 = 1}) end,
            "parameter 'beta1' of optimizer 'adam' must be in [0, 1)")

print("lua_schedules: all checks passed")
