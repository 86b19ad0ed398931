-- SPDX-License-Identifier: MIT
-- gd.surface{...}: formula and Lua-function surfaces, their exact derivatives, and their errors.
local gd = require "gdlab"

local failures = 0
local function check(cond, what)
  if not cond then
    failures = failures + 1
    io.stderr:write(debug.traceback("check failed: " .. what, 2), "\n")
  end
end
local function close(got, want, rel, what)
  check(math.abs(got - want) <= rel * math.max(math.abs(want), 1e-300),
        string.format("%s = %.17g, want %.17g", what, got, want))
end
-- The error message of calling fn(...), which must fail.
local function error_of(fn, ...)
  local ok, msg = pcall(fn, ...)
  check(not ok, "expected an error")
  return tostring(msg)
end
local function contains(haystack, needle, what)
  check(haystack:find(needle, 1, true) ~= nil, string.format("%s: %q does not contain %q", what, haystack, needle))
end

-- Exact derivatives of f(x, y) = sin x·cos y + k·(x² + y²), by hand.
local k = 0.1
local function grad_by_hand(x, y) return math.cos(x) * math.cos(y) + 2 * k * x, -math.sin(x) * math.sin(y) + 2 * k * y end
local function hess_by_hand(x, y)
  local hxx = -math.sin(x) * math.cos(y) + 2 * k
  local hxy = -math.cos(x) * math.sin(y)
  return {hxx, hxy, hxy, hxx}
end
local points = {{0.3, -0.7}, {2, 1}, {-1.5, 2.5}}

-- A formula with a parameter, a frame and landmarks given in any order.
local s = gd.surface{expr = "sin(x)*cos(y) + k*(x^2 + y^2)", params = {k = k},
                     domain = {{-3, 3}, {-3, 3}}, start = {2, -1}, name = "mine",
                     minima = {{1.26551354906476888, 2.5719535574342798398}, {-1.3064400083695109598, 0}},
                     saddles = {{0.33547151047966501167, 1.6419115188491759715}}}
check(s.dim == 2 and s.name == "mine", "dim and name")
for _, p in ipairs(points) do
  local x, y = p[1], p[2]
  close(s:value(x, y), math.sin(x) * math.cos(y) + k * (x * x + y * y), 1e-15, "formula value")
  local g, gx, gy = s:gradient(x, y), grad_by_hand(x, y)
  close(g[1], gx, 1e-14, "formula gx")
  close(g[2], gy, 1e-14, "formula gy")
  local h, want = s:hessian(x, y), hess_by_hand(x, y)
  for i = 1, 4 do close(h[i], want[i], 1e-14, "formula hessian") end
end
local marks = s:landmarks()
check(#marks == 3, "three landmarks")
check(marks[1].kind == "global_min" and marks[1].x[1] < 0, "the lowest listed minimum is global and first")
check(marks[2].kind == "local_min" and marks[3].kind == "saddle", "then the local minimum and the saddle")
local box = s:domain()
check(box.lo[1] == -3 and box.hi[2] == 3, "domain")
check(s:start()[1] == 2 and s:start()[2] == -1, "start")

-- One variable, default frame; the same domain for every axis with {lo, hi}.
local p = gd.surface{expr = "x^4 - 2*x^2"}
check(p.dim == 1, "x alone is 1-D")
close(p:gradient(1.5)[1], 4 * 1.5 ^ 3 - 4 * 1.5, 1e-15, "1-D gradient")
local q = gd.surface{expr = "x1*x2*x3", domain = {-2, 2}}
check(q.dim == 3 and q:domain().hi[3] == 2, "x1..x3 and a shared domain")

-- Errors in formulas and fields name the culprit.
contains(error_of(gd.surface, {expr = "(x + 1"}),
         "column 7: expected ')' to close the '(' at column 1, found the end of the formula", "unclosed")
contains(error_of(gd.surface, {expr = "x + z"}), "unknown name 'z'; known names: x, pi, e", "unknown name")
contains(error_of(gd.surface, {expr = "x", minimum = {{0}}}), "unknown field 'minimum'; valid: expr, f", "typo")
contains(error_of(gd.surface, {expr = "x^2", domain = {{1, -1}}}), "domain needs lo < hi", "domain")
contains(error_of(gd.surface, {expr = "x+y", start = {1}}), "'start' must have 2 elements, got 1", "start")
contains(error_of(gd.surface, {expr = "x", params = {k = "big"}}), "gd.surface: 'params.k' must be a finite number, got the string \"big\"", "params")
contains(error_of(gd.surface, {}), "needs either expr", "nothing")

-- A Lua function with its gradient: no Hessian.
local r = gd.surface{f = function(x, y) return x * x + 3 * y * y end, grad = function(x, y) return 2 * x, 6 * y end}
check(r.name == "lua" and r.dim == 2, "dim from f's parameters")
check(r:value(1, 2) == 13 and r:gradient(1, 2)[2] == 12, "given gradient")
check(r:hessian(1, 2) == nil, "no Hessian without dual numbers")
local rt = gd.surface{f = function(x, y) return x * y end, grad = function(x, y) return {y, x} end}
check(rt:gradient(3, 5)[1] == 5, "gradient as a table")
local short = gd.surface{f = function(x, y) return x * y end, grad = function(x, y) return y end}
contains(error_of(short.gradient, short, 3, 5), "grad must return 2 numbers (or a table of them), got nil as number 2",
         "short gradient")

-- A Lua function without gradient: dual numbers give the exact gradient and Hessian.
local m = gd.math
local d = gd.surface{f = function(x, y) return m.sin(x) * m.cos(y) + k * (x ^ 2 + y ^ 2) end}
for _, pt in ipairs(points) do
  local x, y = pt[1], pt[2]
  local g, gx, gy = d:gradient(x, y), grad_by_hand(x, y)
  close(g[1], gx, 1e-14, "dual gx")
  close(g[2], gy, 1e-14, "dual gy")
  local h, want = d:hessian(x, y), hess_by_hand(x, y)
  for i = 1, 4 do close(h[i], want[i], 1e-14, "dual hessian") end
end
-- every gd.math function and operator, against the formula compiler
local formula = "tan(x/3)*tanh(y) + exp(-x^2)*log(1 + y^2) + sqrt(4 + x)/(1.5 + cos(y)) + abs(x - y)" ..
                " + min(x, y^2) + max(sin(x), 0.2) + pow(2, y) + x^y - 1/x"
local ref = gd.surface{expr = formula}
local dual = gd.surface{f = function(x, y)
  return m.tan(x / 3) * m.tanh(y) + m.exp(-x ^ 2) * m.log(1 + y ^ 2) + m.sqrt(4 + x) / (1.5 + m.cos(y)) +
         m.abs(x - y) + m.min(x, y ^ 2) + m.max(m.sin(x), 0.2) + m.pow(2, y) + x ^ y - 1 / x
end}
for _, pt in ipairs{{0.7, 1.3}, {2.1, -0.4}, {1.2, 0.5}} do
  close(dual:value(pt), ref:value(pt), 1e-15, "dual value")
  local g1, g2 = dual:gradient(pt), ref:gradient(pt)
  local h1, h2 = dual:hessian(pt), ref:hessian(pt)
  for i = 1, 2 do close(g1[i], g2[i], 1e-13, "dual gradient vs formula") end
  for i = 1, 4 do close(h1[i], h2[i], 1e-12, "dual Hessian vs formula") end
end
-- the dual numbers' metamethods refuse plain numbers when called by hand
local captured
local capture = gd.surface{f = function(x, y) captured = x; return x + y end}
capture:gradient(1, 2)
check(tostring(captured):find("^dual%(") ~= nil, "f sees dual numbers")
contains(error_of(getmetatable(captured).__add, 1, 2), "a dual number was expected", "metamethod by hand")
-- minima of a Lua surface are classified by value too
local w = gd.surface{f = function(x) return (x * x - 1) ^ 2 + 0.3 * x end, minima = {{0.96}, {-1.04}}}
check(w:landmarks()[1].kind == "global_min" and w:landmarks()[1].x[1] == -1.04, "Lua surface global minimum")

-- Errors inside a Lua surface come back as Lua errors with this script's file and line.
local line = debug.getinfo(1, "l").currentline + 1
local boom = gd.surface{f = function(x, y) if x < 0 then error("boom") end return x + y end}
contains(error_of(boom.value, boom, -1, 0), "surface_table.lua:" .. line .. ": boom", "error position")
check(boom:value(0, 1) == 1, "the surface works again after an error")
contains(error_of(gd.run, {surface = boom, optimizer = gd.optimizer("gd", {lr = 0.5}), start = {0.5, 0}, steps = 10}),
         "surface_table.lua:" .. line .. ": boom", "error in a run")
local plain = gd.surface{f = function(x, y) return math.sin(x) + y end}
contains(error_of(plain.gradient, plain, 1, 2), "take sin, exp, ... from gd.math", "math instead of gd.math")
contains(error_of(gd.surface{f = function(x) return "x" end}.value, gd.surface{f = function(x) return "x" end}, 1),
         "f must return a number, got string", "wrong return type")

-- Runs on both kinds of surface reach the minimum.
local o = gd.optimizer("gd", {lr = 0.1})
for _, surface in ipairs{gd.surface{expr = "(x - 1)^2 + 2*(y + 0.5)^2"},
                         gd.surface{f = function(x, y) return (x - 1) ^ 2 + 2 * (y + 0.5) ^ 2 end}} do
  local run = gd.run{surface = surface, optimizer = o, start = {3, 2}, steps = 500, gtol = 1e-10}
  check(run.status == "converged", "run converges on " .. surface.name)
  close(run.x[#run.x], 1, 1e-9, "x of the minimum")
  close(run.y[#run.y], -0.5, 1e-9, "y of the minimum")
end

if failures > 0 then
  io.stderr:write(failures, " checks failed\n")
  os.exit(1)
end
print("surface_table: all checks passed")
