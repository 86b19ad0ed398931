-- SPDX-License-Identifier: MIT
-- The gdlab Lua module's contract: surfaces, optimizers, runs and their errors.
local gd = require "gdlab"

local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")

-- listing and describing
local names = {}
for _, p in ipairs(gd.list()) do names[p.kind .. ":" .. p.name] = p end
assert(names["surface:quadratic"] and names["optimizer:gd"], "gd.list finds quadratic and gd")
for _, p in ipairs(gd.list("surface")) do check.equal(p.kind, "surface", "gd.list('surface') filters") end
assert(gd.describe("gd"):find("lr", 1, true), "describe lists parameters")
check.fails(function() gd.list("surfaces") end,
            [[gd.list: 'kind' must be one of "any", "surface", "optimizer", got the string "surfaces"]])

-- surfaces
local f = gd.surface("quadratic", {a = 1, b = 3})
check.equal(f.dim, 2, "the surface's dim")
check.equal(f.name, "quadratic", "the surface's name")
assert(f:value(1, 1) == 4 and f(1, 1) == 4 and f:value{1, 1} == 4, "x^2 + 3y^2 at (1, 1) is 4")
local g, fx = f:gradient(1, -2)
assert(g[1] == 2 and g[2] == -12 and fx == 13, "gradient (2x, 6y)")
local h = f:hessian(0, 0)
assert(h[1] == 2 and h[2] == 0 and h[3] == 0 and h[4] == 6, "hessian diag(2, 6)")
local lm = f:landmarks()
assert(#lm == 1 and lm[1].kind == "global_min" and lm[1].value == 0, "one global minimum, value 0")
local box = f:domain()
assert(box.lo[1] < box.hi[1] and box.lo[2] < box.hi[2], "domain box")

-- a typo in a parameter name lists the valid names
check.fails(function() gd.surface("quadratic", {a = 1, bb = 3}) end,
            "unknown parameter 'bb' for surface 'quadratic'; valid: a, b, angle, cx, cy")
check.fails(function() gd.optimizer("gd", {lr = -1}) end, "parameter 'lr' of optimizer 'gd' must be in (0, inf)")
check.fails(function() gd.optimizer("no_such_optimizer") end, "unknown optimizer 'no_such_optimizer'; available:", "gd")
check.fails(function() gd.surface("nope") end, "unknown surface 'nope'")

-- runs
local opt = gd.optimizer("gd", {lr = 0.1})
check.equal(tostring(opt), "gd lr=0.1", "optimizer label")
assert(opt.params.lr == 0.1 and opt.name == "gd", "optimizer fields")
local run = gd.run{surface = f, optimizer = opt, start = {2, -1}, steps = 500, tol = 1e-8}
check.equal(run.status, "converged", "gd on x^2+3y^2")
assert(run.steps == #run.loss - 1 and #run.x == #run.loss and #run.points == #run.loss, "array sizes")
assert(run.x[1] == 2 and run.y[1] == -1 and run.points[1][1] == 2, "x[1] is the start")
-- notebook section 2: x_k = 2·0.8^k, y_k = −(0.4)^k
check.within(run.x[11], 2 * 0.8 ^ 10, 1e-14, "x after 10 steps")
check.within(run.y[11], -(0.4 ^ 10), 1e-16, "y after 10 steps")
assert(run.loss[#run.loss] <= 1e-8 and run.loss[#run.loss - 1] > 1e-8, "stops at the first point within tol")
assert(run.label == "gd lr=0.1" and run.optimizer == "gd" and run.surface == "quadratic", "run names")
check.nan(run.lr[1], "lr[1] (no step yet)")
check.equal(run.lr[2], 0.1, "lr[2], the first step's rate")
check.equal(run.evals[#run.evals], #run.loss, "one evaluation per point")

local diverged = gd.run{surface = f, optimizer = gd.optimizer("gd", {lr = 0.34}), start = {2, -1}, steps = 1000}
assert(diverged.status == "diverged" and diverged.reason:find("step", 1, true), "lr > 2/L = 1/3 diverges")

check.fails(function() gd.run{surface = f, optimizer = opt, stpes = 10} end, "unknown field 'stpes'", "steps")
check.fails(function() gd.run{surface = f, optimizer = opt, start = {1, 2, 3}} end,
            "gd.run: 'start' must have 2 elements, got 3")
check.fails(function() gd.run{optimizer = opt} end, "'surface' is missing")

-- sweeps: nested by axis (first axis outer), the same numbers as gd.run
local lrs, betas = {0.01, 0.05, 0.2}, {0, 0.9}
local mom = gd.optimizer("momentum", {form = "ema"})
local sw = gd.sweep{surface = f, optimizer = mom, over = {{"lr", lrs}, {"beta", betas}}, start = {2, -1},
                    steps = 200, tol = 1e-6}
assert(sw.runs == 6 and #sw.status == 3 and #sw.status[1] == 2 and sw.axes[2].name == "beta", "sweep shape")
for i, lr in ipairs(lrs) do
  for j, beta in ipairs(betas) do
    local one = gd.run{surface = f, optimizer = gd.optimizer("momentum", {form = "ema", lr = lr, beta = beta}),
                       start = {2, -1}, steps = 200, tol = 1e-6}
    assert(sw.status[i][j] == one.status and sw.stop_step[i][j] == one.stop_step
          and sw.final_loss[i][j] == one.loss[#one.loss], "sweep cell " .. i .. "," .. j)
  end
end
local one_axis = gd.sweep{surface = f, optimizer = opt, over = {lr = {0.1, 0.34}}, start = {2, -1}, steps = 1000}
assert(one_axis.status[1] == "max_steps" and one_axis.status[2] == "diverged", "lr past 2/L = 1/3 diverges in a sweep")
check.fails(function() gd.sweep{surface = f, optimizer = opt, over = {rate = {0.1}}} end,
            "unknown parameter 'rate' for optimizer 'gd'; valid: lr")
check.fails(function() gd.sweep{surface = f, optimizer = opt, over = {lr = {0.1}}, step = 3} end,
            "gd.sweep: unknown field 'step'")
-- a surface written in Lua is swept on one thread, with the same result
local lua_bowl = gd.surface{f = function(x, y) return x * x + 3 * y * y end, domain = {{-3, 3}, {-3, 3}}}
local lsw = gd.sweep{surface = lua_bowl, optimizer = opt, over = {lr = {0.1, 0.2}}, start = {2, -1}, steps = 50}
local lrun = gd.run{surface = lua_bowl, optimizer = opt, start = {2, -1}, steps = 50}
check.equal(lsw.final_loss[1], lrun.loss[#lrun.loss], "Lua surface sweep")

-- explicit plugin paths: a missing file is an expected failure (nil, message)
local ok, why = gd.load("/nonexistent/plugin.so")
assert(ok == nil and why:find("/nonexistent/plugin.so", 1, true), "gd.load failure")

print("lua_api: all checks passed")
