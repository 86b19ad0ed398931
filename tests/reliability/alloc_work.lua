-- SPDX-License-Identifier: MIT
-- alloc_work.lua: lesson-like work that test_lua_alloc_faults.c repeats with the N-th allocation failing
-- (docs/reliability.md, "Memory"). Each case lists the files it writes into the folder it is given and
-- does its work, `require "gdlab"` included, returning a number that every success must reproduce
-- exactly. The host runs a case as work(dir) in a fresh Lua state.
local cases = {}

-- Runs with their paths read back, a C schedule and a Lua schedule function, a sweep, gd.save and
-- gd.load_result.
cases.runs = {outputs = {"run.csv", "run.json", "sweep.json"}, work = function(dir)
  local gd = require "gdlab"
  local rosen = gd.surface("rosenbrock")
  local r = gd.run{surface = rosen, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 150,
                   schedule = {"cosine", T_max = 150, eta_min = 0.001}, curvature = true}
  local sum = 0
  for i = 1, #r.loss do sum = sum + r.x[i] + r.y[i] + r.loss[i] + r.lambda_max[i] end
  for _, lr in ipairs(r.lr) do if lr == lr then sum = sum + lr end end
  for k = 1, #r.points, 10 do sum = sum + r.points[k][2] end
  local bowl = gd.surface("quadratic", {a = 1, b = 3})
  local decayed = gd.run{surface = bowl, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.5}),
                         start = {2, -1}, steps = 40, schedule = function(v) return v.base / math.sqrt(v.t) end,
                         label = "momentum, 1/sqrt(t)"}
  sum = sum + decayed.final_loss + decayed.stop_step
  local sweep = gd.sweep{surface = bowl, optimizer = gd.optimizer("momentum"), start = {2, -1}, steps = 60,
                         over = {{"lr", {0.01, 0.1, 0.3}}, {"beta", {0.5, 0.9}}}}
  for i, row in ipairs(sweep.final_loss) do
    for j, loss in ipairs(row) do sum = sum + i * j * loss end
  end
  local lrs = gd.schedule({"onecycle", total_steps = 30}, 30, 0.1)
  sum = sum + lrs[15]
  gd.save(r, dir .. "/run.csv")
  gd.save(decayed, dir .. "/run.json")
  gd.save(sweep, dir .. "/sweep.json")
  local back = gd.load_result(dir .. "/run.json")
  return sum + back.loss[#back.loss] + #back.x
end}

-- A formula surface (on the tape: the host sets GDLAB_NATIVE=0) and a Lua-function surface, each run.
cases.formulas = {outputs = {}, work = function()
  local gd = require "gdlab"
  local s = gd.surface{expr = "(a - x)^2 + 20*(y - x^2)^2 + 0.1*sin(3*x)", params = {a = 1},
                       domain = {{-2, 2}, {-1, 3}}}
  local r = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 80}
  local f = gd.surface{f = function(x, y) return x * x + 3 * y * y + x * y end, domain = {{-2, 2}, {-2, 2}}}
  local q = gd.run{surface = f, optimizer = gd.optimizer("gd", {lr = 0.1}), start = {1, 1}, steps = 30}
  return r.final_loss + r.x[#r.x] + s:value(0.5, 0.25) + q.final_loss + q.y[10]
end}

-- The lesson's figure: a contour map with two paths and their legend beside a loss panel, on pngcairo
-- and on svg.
local function lesson_figure(gd, dir, device, ext)
  local ravine = gd.surface("ravine", {kappa = 10})
  local runs = {
    gd.run{surface = ravine, optimizer = gd.optimizer("gd", {lr = 0.15}), start = {-4, 2}, steps = 60},
    gd.run{surface = ravine, optimizer = gd.optimizer("momentum", {lr = 0.05, beta = 0.8}), start = {-4, 2},
           steps = 60},
  }
  local fig = gd.figure{file = dir .. "/lesson." .. ext, device = device, size = {640, 300},
                        layout = {rows = 1, cols = 2}, title = "GD and momentum on a ravine (κ = 10)"}
  fig:contour{panel = 1, surface = ravine, runs = runs, levels = "log", resolution = 60, legend = "upper right",
              title = "Paths", xlabel = "θ₁", ylabel = "θ₂"}
  fig:loss{panel = 2, runs = runs, threshold = {1e-3, label = "threshold"}, legend = "lower left"}
  return #fig:close()
end

cases.figure_png = {outputs = {"lesson.png"}, work = function(dir)
  return lesson_figure(require "gdlab", dir, "pngcairo", "png")
end}

cases.figure_svg = {outputs = {"lesson.svg"}, work = function(dir)
  return lesson_figure(require "gdlab", dir, "svg", "svg")
end}

-- A book of two pages (pdfcairo).
cases.book = {outputs = {"book.pdf"}, work = function(dir)
  local gd = require "gdlab"
  local s = gd.surface("himmelblau")
  local r = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.1}), start = {0, 0}, steps = 50}
  gd.output.device = "pdfcairo" -- the book's device: figures on another device keep their own files
  local book = gd.book{file = dir .. "/book.pdf", size = {400, 300}}
  local sum = 0
  for page = 1, 2 do
    local fig = gd.figure{title = "page " .. page}
    if page == 1 then fig:contour{surface = s, runs = {r}, resolution = 40} else fig:loss{runs = {r}} end
    sum = sum + #fig:close() -- a page's figure returns the book's path
  end
  return sum + book.pages + #book:close()
end}

-- A GIF animation of three frames, the path growing.
cases.animation = {outputs = {"race.gif"}, work = function(dir)
  local gd = require "gdlab"
  local s = gd.surface("rosenbrock")
  local r = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 30}
  local anim = gd.animation{file = dir .. "/race.gif", size = {160, 120}, fps = 4}
  for k = 1, 3 do
    anim:frame{title = "step " .. 10 * k}:contour{surface = s, runs = {{r, steps = 10 * k}}, resolution = 30}
  end
  return #anim:close()
end}

return cases
