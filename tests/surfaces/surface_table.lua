-- SPDX-License-Identifier: MIT
-- gd.surface{...}: formula and Lua-function surfaces, their exact derivatives, and their errors.
local gd = require "gdlab"

local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")

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
check.equal(s.dim, 2, "dim")
check.equal(s.name, "mine", "name")
for _, p in ipairs(points) do
  local x, y = p[1], p[2]
  check.near(s:value(x, y), math.sin(x) * math.cos(y) + k * (x * x + y * y), 1e-15, "formula value")
  local g, gx, gy = s:gradient(x, y), grad_by_hand(x, y)
  check.near(g[1], gx, 1e-14, "formula gx")
  check.near(g[2], gy, 1e-14, "formula gy")
  local h, want = s:hessian(x, y), hess_by_hand(x, y)
  for i = 1, 4 do check.near(h[i], want[i], 1e-14, "formula hessian") end
end
local marks = s:landmarks()
check.equal(#marks, 3, "landmarks")
assert(marks[1].kind == "global_min" and marks[1].x[1] < 0, "the lowest listed minimum is global and first")
assert(marks[2].kind == "local_min" and marks[3].kind == "saddle", "then the local minimum and the saddle")
local box = s:domain()
assert(box.lo[1] == -3 and box.hi[2] == 3, "domain")
assert(s:start()[1] == 2 and s:start()[2] == -1, "start")

-- One variable, default frame; the same domain for every axis with {lo, hi}.
local p = gd.surface{expr = "x^4 - 2*x^2"}
check.equal(p.dim, 1, "x alone: dim")
check.near(p:gradient(1.5)[1], 4 * 1.5 ^ 3 - 4 * 1.5, 1e-15, "1-D gradient")
local q = gd.surface{expr = "x1*x2*x3", domain = {-2, 2}}
assert(q.dim == 3 and q:domain().hi[3] == 2, "x1..x3 and a shared domain")

-- Errors in formulas and fields name the culprit.
check.fails(function() gd.surface{expr = "(x + 1"} end,
            "column 7: expected ')' to close the '(' at column 1, found the end of the formula")
check.fails(function() gd.surface{expr = "x + z"} end, "unknown name 'z'; known names: x, pi, e")
check.fails(function() gd.surface{expr = "x", minimum = {{0}}} end, "unknown field 'minimum'; valid: expr, f")
check.fails(function() gd.surface{expr = "x^2", domain = {{1, -1}}} end, "domain needs lo < hi")
check.fails(function() gd.surface{expr = "x+y", start = {1}} end, "'start' must have 2 elements, got 1")
check.fails(function() gd.surface{expr = "x", params = {k = "big"}} end,
            "gd.surface: 'params.k' must be a finite number, got the string \"big\"")
check.fails(function() gd.surface{} end, "needs either expr")

-- A Lua function with its gradient: no Hessian.
local r = gd.surface{f = function(x, y) return x * x + 3 * y * y end, grad = function(x, y) return 2 * x, 6 * y end}
assert(r.name == "lua" and r.dim == 2, "dim from f's parameters")
assert(r:value(1, 2) == 13 and r:gradient(1, 2)[2] == 12, "given gradient")
check.equal(r:hessian(1, 2), nil, "no Hessian without dual numbers")
local rt = gd.surface{f = function(x, y) return x * y end, grad = function(x, y) return {y, x} end}
check.equal(rt:gradient(3, 5)[1], 5, "gradient as a table")
local short = gd.surface{f = function(x, y) return x * y end, grad = function(x, y) return y end}
-- what f or grad returned is placed where that function is defined (the culprit), here line 66
check.fails(function() short:gradient(3, 5) end,
            "surface_table.lua:" .. debug.getinfo(1, "l").currentline - 3 .. ": grad must return 2 numbers (or a table of them), got nil as number 2")

-- A Lua function without gradient: dual numbers give the exact gradient and Hessian.
local m = gd.math
local d = gd.surface{f = function(x, y) return m.sin(x) * m.cos(y) + k * (x ^ 2 + y ^ 2) end}
for _, pt in ipairs(points) do
  local x, y = pt[1], pt[2]
  local g, gx, gy = d:gradient(x, y), grad_by_hand(x, y)
  check.near(g[1], gx, 1e-14, "dual gx")
  check.near(g[2], gy, 1e-14, "dual gy")
  local h, want = d:hessian(x, y), hess_by_hand(x, y)
  for i = 1, 4 do check.near(h[i], want[i], 1e-14, "dual hessian") end
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
  check.near(dual:value(pt), ref:value(pt), 1e-15, "dual value")
  local g1, g2 = dual:gradient(pt), ref:gradient(pt)
  local h1, h2 = dual:hessian(pt), ref:hessian(pt)
  for i = 1, 2 do check.near(g1[i], g2[i], 1e-13, "dual gradient vs formula") end
  for i = 1, 4 do check.near(h1[i], h2[i], 1e-12, "dual Hessian vs formula") end
end
-- the dual numbers' metamethods refuse plain numbers when called by hand
local captured
local capture = gd.surface{f = function(x, y) captured = x; return x + y end}
capture:gradient(1, 2)
assert(tostring(captured):find("^dual%("), "f sees dual numbers")
check.fails(function() getmetatable(captured).__add(1, 2) end, "a dual number was expected")
-- minima of a Lua surface are classified by value too
local w = gd.surface{f = function(x) return (x * x - 1) ^ 2 + 0.3 * x end, minima = {{0.96}, {-1.04}}}
assert(w:landmarks()[1].kind == "global_min" and w:landmarks()[1].x[1] == -1.04, "Lua surface global minimum")

-- Errors inside a Lua surface come back as Lua errors with this script's file and line.
local line = debug.getinfo(1, "l").currentline + 1
local boom = gd.surface{f = function(x, y) if x < 0 then error("boom") end return x + y end}
check.fails(function() boom:value(-1, 0) end, "surface_table.lua:" .. line .. ": boom")
check.equal(boom:value(0, 1), 1, "the surface works again after an error")
check.fails(function() gd.run{surface = boom, optimizer = gd.optimizer("gd", {lr = 0.5}), start = {0.5, 0}, steps = 10} end,
            "surface_table.lua:" .. line .. ": boom")
local plain = gd.surface{f = function(x, y) return math.sin(x) + y end}
check.fails(function() plain:gradient(1, 2) end, "take sin, exp, ... from gd.math")
local wrong = gd.surface{f = function(x) return "x" end}
check.fails(function() wrong:value(1) end,
            "surface_table.lua:" .. debug.getinfo(1, "l").currentline - 2 .. ": f must return a number, got string")

-- Runs on both kinds of surface reach the minimum.
local o = gd.optimizer("gd", {lr = 0.1})
for _, surface in ipairs{gd.surface{expr = "(x - 1)^2 + 2*(y + 0.5)^2"},
                         gd.surface{f = function(x, y) return (x - 1) ^ 2 + 2 * (y + 0.5) ^ 2 end}} do
  local run = gd.run{surface = surface, optimizer = o, start = {3, 2}, steps = 500, gtol = 1e-10}
  check.equal(run.status, "converged", "the run on " .. surface.name)
  check.near(run.x[#run.x], 1, 1e-9, "x of the minimum")
  check.near(run.y[#run.y], -0.5, 1e-9, "y of the minimum")
end

print("surface_table: all checks passed")
