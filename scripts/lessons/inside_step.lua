-- SPDX-License-Identifier: MIT
-- Lesson: inside the step — what momentum adds to each step, and what adaptive methods do to the rate.
--
-- No seed draws this; it is the picture behind seed 002's "vertical oscillations cancel out,
-- horizontal steps compound" and seed 004's "Adam adapts". On the seeds' ravine f = 0.05·θ₁² + 5·θ₂²
-- (curvatures 0.1 and 10) from (−4, 1.5), momentum (v ← β·v + g, θ ← θ − lr·v, lr 0.05, β 0.9) takes
-- the step −lr·v = −lr·g + (−lr·β·v_prev): the gradient's part and the momentum term, both read off
-- the recorded internals (gd.run{internals = true}).
--   inside_step.png  1: every 3rd of the first 45 steps on the map: −lr·g (red), the momentum term
--                    (blue) and the step taken (black), each from the point where the step starts;
--                    2, 3: the two parts along θ₁ and along θ₂, step by step;
--                    4: the per-coordinate rate Adagrad, RMSprop and Adam apply (internals.step_size),
--                    θ₁ solid, θ₂ dashed.
-- What to see: along the steep θ₂ the momentum term agrees with the gradient's part in only 79 of
-- 199 steps (it remembers the last swing and pulls against the next), so the zigzag is damped; along
-- the flat θ₁ they agree in 153 of 199 steps and the momentum term grows to six times the gradient's
-- part (for a constant gradient it would approach β/(1 − β) = 9 times): progress compounds. The
-- adaptive methods divide lr by a running size of each coordinate's gradient, so the flat coordinate
-- gets the larger rate: at step 200 θ₁'s is 20 (Adagrad), 14 (RMSprop) and 24 (Adam) times θ₂'s,
-- what plain GD, one rate for all, cannot do (tests/lessons/inside_step_numbers.lua).
--   gdlab scripts/lessons/inside_step.lua [-dev DEVICE] [-o DIR]
local gd = require "gdlab"

local ravine = gd.surface("quadratic", {a = 0.05, b = 5})
local start, lr, beta = {-4, 1.5}, 0.05, 0.9
local run = gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = lr, beta = beta}), start = start,
                   steps = 200, internals = true, label = "momentum (lr 0.05, β 0.9)"}

-- Step k goes from point k to point k + 1; velocity[c][k + 1] is v after step k (velocity[c][1] is nan).
local parts = {grad = {{}, {}}, memory = {{}, {}}}
for k = 1, #run.x - 1 do
  local g = ravine:gradient(run.x[k], run.y[k])
  for c = 1, 2 do
    local v_prev = k > 1 and run.internals.velocity[c][k] or 0
    parts.grad[c][k], parts.memory[c][k] = -lr * g[c], -lr * beta * v_prev
  end
end
local same = {0, 0}
for k = 2, #parts.grad[1] do
  for c = 1, 2 do
    if parts.grad[c][k] * parts.memory[c][k] > 0 then same[c] = same[c] + 1 end
  end
end
local n = #parts.grad[1] - 1
print(("momentum term along the gradient's part: θ1 in %d of %d steps, θ2 in %d of %d"):format(same[1], n, same[2], n))
print(("along θ1 at step 200 the momentum term is %.2f times the gradient's part"):format(parts.memory[1][200] / parts.grad[1][200]))

local fig = gd.figure{name = "inside_step", size = {1400, 920}, layout = {rows = 2, cols = 2}, key = 2,
                      title = "Inside the step: momentum's two parts on a ravine, and adaptive rates"}
fig:contour{panel = 1, surface = ravine, x = {-4.5, 0.5}, y = {-2, 2}, levels = "log", nlevels = 14,
            runs = {{run, color = "#9A9A9A", width = 1, steps = 45}}, marker = "none",
            title = "Every 3rd of the first 45 steps\nthe step (black) = −lr·g (red) + momentum term (blue)",
            xlabel = "θ_1", ylabel = "θ_2"}
local arrows = {grad = {x = {}, y = {}, dx = {}, dy = {}}, memory = {x = {}, y = {}, dx = {}, dy = {}},
                step = {x = {}, y = {}, dx = {}, dy = {}}}
for k = 1, 45, 3 do
  local function add(a, dx, dy)
    a.x[#a.x + 1], a.y[#a.y + 1], a.dx[#a.dx + 1], a.dy[#a.dy + 1] = run.x[k], run.y[k], dx, dy
  end
  add(arrows.grad, parts.grad[1][k], parts.grad[2][k])
  add(arrows.memory, parts.memory[1][k], parts.memory[2][k])
  add(arrows.step, run.x[k + 1] - run.x[k], run.y[k + 1] - run.y[k])
end
fig:arrows{panel = 1, x = arrows.grad.x, y = arrows.grad.y, dx = arrows.grad.dx, dy = arrows.grad.dy,
           color = "#E05C4B", label = "−lr·g"}
fig:arrows{panel = 1, x = arrows.memory.x, y = arrows.memory.y, dx = arrows.memory.dx, dy = arrows.memory.dy,
           color = "#3A7CA5", label = "momentum term −lr·β·v"}
fig:arrows{panel = 1, x = arrows.step.x, y = arrows.step.y, dx = arrows.step.dx, dy = arrows.step.dy,
           color = "#222222", width = 2, label = "the step"}

local steps_k = {}
for k = 1, 60 do steps_k[k] = k end
local function first(t, m) local out = {} for k = 1, m do out[k] = t[k] end return out end
for c = 1, 2 do
  fig:lines{panel = 1 + c, series = {{x = steps_k, y = first(parts.grad[c], 60), color = "#E05C4B", marker = "o", marker_size = 4,
                                      label = "−lr·g"},
                                     {x = steps_k, y = first(parts.memory[c], 60), color = "#3A7CA5", marker = "o", marker_size = 4,
                                      label = "momentum term −lr·β·v"}},
            hlines = {{0}},
            title = c == 1 and ("Along θ_1 (flat): the parts agree in %d of %d steps\nprogress compounds"):format(same[1], n)
                           or ("Along θ_2 (steep): the parts agree in only %d of %d steps\nthe zigzag is damped"):format(same[2], n),
            xlabel = "step", ylabel = ("part of the step along θ_%d"):format(c)}
end

local adaptive = {{"adagrad", {lr = 0.5}, "Adagrad (lr 0.5)", "#8E6BBF"}, {"rmsprop", {lr = 0.01}, "RMSprop (lr 0.01)", "#F4A536"},
                  {"adam", {lr = 0.1}, "Adam (lr 0.1)", "#2A9D5C"}}
local rates = {}
for _, a in ipairs(adaptive) do
  local r = gd.run{surface = ravine, optimizer = gd.optimizer(a[1], a[2]), start = start, steps = 200, internals = true}
  local its = {}
  for k = 1, #r.x do its[k] = k - 1 end
  local size = r.internals.step_size
  print(("%-18s effective rate at step 200: θ1 %.4g, θ2 %.4g (ratio %.1f); loss %.3g"):format(a[3], size[1][201], size[2][201],
        size[1][201] / size[2][201], r.loss[#r.loss]))
  rates[#rates + 1] = {x = its, y = size[1], color = a[4], label = a[3] .. ", θ_1"}
  rates[#rates + 1] = {x = its, y = size[2], color = a[4], dashed = true, label = a[3] .. ", θ_2"}
end
fig:lines{panel = 4, series = rates, ylog = true, title = "The rate each coordinate gets (internals.step_size)\nflat θ_1 (solid) gets more than steep θ_2 (dashed)",
          xlabel = "step", ylabel = "effective lr"}
print("wrote " .. fig:close())
