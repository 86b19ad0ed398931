-- SPDX-License-Identifier: MIT
-- docs/examples/run_adam.c's run through the Lua module, printed in the same format: the install tests
-- diff the two outputs, so the C API and the Lua API on the same installed library agree to the bit.
-- usage: gdlab run_adam_reference.lua LR   (or a stock lua5.4 that finds the module)
local gd = require "gdlab"
local lr = assert(tonumber(arg[1]), "usage: run_adam_reference.lua LR")
local start = {-1.5, 2}
local run = gd.run{surface = gd.surface("rosenbrock"), optimizer = gd.optimizer("adam", {lr = lr}),
                   start = start, steps = 5000, tol = 1e-8}
local last = #run.loss
assert(run.status == "converged" and run.loss[last] <= 1e-8, "adam did not converge: " .. run.reason)
assert(math.abs(run.x[last] - 1) < 1e-3 and math.abs(run.y[last] - 1) < 1e-3, "not at the minimum (1, 1)")
print(string.format("adam (lr %g) on rosenbrock from (%g, %g)", lr, start[1], start[2]))
print(string.format("status: %s at step %d", run.status, run.stop_step))
print(string.format("x: %.17g %.17g", run.x[last], run.y[last]))
print(string.format("loss: %.17g", run.loss[last]))
