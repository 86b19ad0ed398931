-- SPDX-License-Identifier: MIT
-- The inside_step lesson's numbers. Momentum's step is exactly its two parts, −lr·g and −lr·β·v_prev,
-- read from the recorded velocity; the parts agree in sign along θ1 in 153 and along θ2 in 79 of 199
-- steps; Adagrad's recorded rate is lr/(√G + eps) with G the sum of the squared gradients along its
-- own path (recomputed here from the surface); and the flat coordinate gets the larger rate in all
-- three adaptive methods, by the factors the lesson prints.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local ravine = gd.surface("quadratic", {a = 0.05, b = 5})
local lr, beta = 0.05, 0.9
local run = gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = lr, beta = beta}), start = {-4, 1.5},
                   steps = 200, internals = true}
local same = {0, 0}
for k = 1, 200 do
  local g = ravine:gradient(run.x[k], run.y[k])
  local step = {run.x[k + 1] - run.x[k], run.y[k + 1] - run.y[k]}
  for c = 1, 2 do
    local v_prev = k > 1 and run.internals.velocity[c][k] or 0
    local grad, memory = -lr * g[c], -lr * beta * v_prev
    assert(math.abs(step[c] - (grad + memory)) <= 1e-15 * (1 + math.abs(step[c])) + 1e-17,
           ("step %d, coordinate %d: %.17g is not %.17g + %.17g"):format(k, c, step[c], grad, memory))
    if k > 1 and grad * memory > 0 then same[c] = same[c] + 1 end
  end
end
assert(same[1] == 153 and same[2] == 79, ("the parts agree in %d and %d of 199 steps"):format(same[1], same[2]))

local ada = gd.run{surface = ravine, optimizer = gd.optimizer("adagrad", {lr = 0.5}), start = {-4, 1.5}, steps = 200,
                   internals = true}
local G = {0, 0}
for k = 1, 200 do
  local g = ravine:gradient(ada.x[k], ada.y[k])
  for c = 1, 2 do
    G[c] = G[c] + g[c] ^ 2
    local want = 0.5 / (math.sqrt(G[c]) + 1e-10)
    local got = ada.internals.step_size[c][k + 1]
    check.near(got, want, 1e-12, ("Adagrad rate, step %d coordinate %d"):format(k, c))
  end
end
for _, case in ipairs{{"adagrad", {lr = 0.5}, 19.8}, {"rmsprop", {lr = 0.01}, 14.0}, {"adam", {lr = 0.1}, 24.1}} do
  local r = gd.run{surface = ravine, optimizer = gd.optimizer(case[1], case[2]), start = {-4, 1.5}, steps = 200, internals = true}
  local ratio = r.internals.step_size[1][201] / r.internals.step_size[2][201]
  check.within(ratio, case[3], 0.05, case[1] .. ": θ1's rate over θ2's, as the lesson prints it")
end
print(("inside_step_numbers: parts agree %d (θ1) and %d (θ2) of 199 steps; Adagrad's rate is lr/(√G + eps)"):format(same[1], same[2]))
