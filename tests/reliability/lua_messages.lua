-- SPDX-License-Identifier: MIT
-- lua_messages.lua — bad values from scripts get a message that names the culprit, the value and what
-- is allowed, at the script's file:line; lengths read from Lua (through __len) are bounded before
-- anything is allocated (docs/reliability.md, "Scripts cannot crash gdlab").
local gd = require "gdlab"

-- The call fails, with every piece in its message, at this file's line (tests/check.lua).
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = check.folder()
gd.output.device, gd.output.dir = "svgcairo", dir
local fails = check.fails

local q = gd.surface("quadratic")
local opt = gd.optimizer("gd", {lr = 0.1})
local function run(extra)
  local t = {surface = q, optimizer = opt, steps = 3}
  for k, v in pairs(extra) do t[k] = v end
  return gd.run(t)
end

-- steps and seed: whole numbers in range (these printed "invalid option '%g'" before)
fails(function() run{steps = 2.5} end, "gd.run: 'steps' must be a whole number from 0 to 1000000000, got 2.5")
fails(function() run{steps = -1} end, "gd.run: 'steps' must be a whole number from 0 to 1000000000, got -1")
fails(function() run{steps = 1e12} end, "gd.run: 'steps' must be a whole number from 0 to 1000000000, got 1000000000000")
fails(function() run{seed = -1} end, "gd.run: 'seed' must be a whole number from 0 to 9007199254740992, got -1")
fails(function() run{steps = "many"} end, "'steps' must be a whole number", "got the string \"many\"")
fails(function() run{tol = -1} end, "gd.run: 'tol' must be a number in [0, inf], got -1")
fails(function() run{bound = 0 / 0} end, "gd.run: 'bound' must be a number in", "got nan")
assert(run{steps = 3.0}.steps == 3, "3.0 is a whole number")

-- a sweep with a NaN start (said "out of memory?")
fails(function() gd.sweep{surface = q, optimizer = opt, over = {lr = {0.1, 0.2}}, start = {0 / 0, 1}} end,
      "gd.sweep: start[1] must be a finite number, got nan")
fails(function() gd.sweep{surface = q, optimizer = opt, over = {lr = {0.1, math.huge}}} end,
      "gd.sweep: over.lr[2] must be a finite number, got inf")
fails(function() gd.sweep{surface = q, optimizer = opt, over = {lr = {0.1}}, threads = 1000} end,
      "gd.sweep: 'threads' must be a whole number from 0 to 256, got 1000")

-- s:value with the wrong number of coordinates (said "got userdata")
fails(function() q:value(1) end, "s:value: the surface is 2-D: give 2 coordinates or one table of them, got 1 argument")
fails(function() q:value{1, 2, 3} end, "s:value: 'point' must have 2 elements, got 3")
fails(function() q:gradient(1, "y") end, "s:gradient: 'x[2]' must be a number", "got the string \"y\"")
local q13 = gd.surface("quadratic", {a = 1, b = 3})
assert(q13:value(1, 1) == 4 and q13:value{1, 1} == 4, "x^2 + 3y^2 at (1, 1), as two numbers or one table")

-- lengths that lie: a __len of 2^61 is an error, never a wrapped allocation
local function liar(n, values)
  return setmetatable({}, {__len = function() return n end, __index = function(_, i) return values and values[i] or 1 end})
end
local huge = 2 ^ 61
fails(function() gd.figure{size = liar(huge)} end, "gd.figure: 'size' must have 2 elements, got 2305843009213693952")
fails(function() gd.sweep{surface = q, optimizer = opt, over = {lr = liar(huge)}} end,
      "gd.sweep: 'over.lr' has 2305843009213693952 elements; 1 to 10000000 allowed")
fails(function() gd.sweep{surface = q, optimizer = opt, over = liar(huge)} end, "gd.sweep: 'over' has 2305843009213693952 elements")
fails(function() gd.surface{expr = "x + y", vars = liar(huge)} end, "gd.surface: 'vars' has 2305843009213693952 elements; 0 to 100 allowed")
fails(function() gd.schedule({"multistep", milestones = liar(huge), gamma = 0.5}, 10) end,
      "schedule: 'milestones' has 2305843009213693952 elements; 0 to 100000 allowed")
fails(function() gd.schedule({"multistep", milestones = liar(-1)}, 10) end, "'milestones' has -1 elements")
fails(function() gd.figure{size = liar(2.5)} end, "the length of 'size' must be a whole number, its __len gave 2.5")
local fig = gd.figure{name = "lengths", size = {300, 220}}
fails(function() fig:contour{z = liar(huge), x = {0, 1}, y = {0, 1}} end, "fig:contour: 'z' has 2305843009213693952 elements; 2 to 4000 allowed")
fails(function() fig:contour{z = {liar(huge), {1, 2}}, x = {0, 1}, y = {0, 1}} end, "fig:contour: 'z[1]' has 2305843009213693952 elements")
fails(function() fig:lines{series = {{y = liar(huge)}}} end, "fig:lines: 'y' has 2305843009213693952 elements")
fails(function() gd.run{surface = q, optimizer = opt, start = liar(huge)} end, "gd.run: 'start' must have 2 elements, got 2305843009213693952")
fails(function() fig:plplot(nil, function(p) p.line(liar(huge), {1}) end) end, "pl.line: 'x' has 2305843009213693952 elements")
fails(function() gd.pl.join(0, 0, 1, 1) end, "pl.join: set a window first") -- was a SIGSEGV inside PLplot
fails(function() fig:lines{series = setmetatable({}, {__len = function() error("lying __len") end})} end, "lying __len")
-- an honest __len/__index object (a run result may be one) is read like a table
local r = gd.run{surface = q, optimizer = opt, steps = 5, start = {1, 1}}
local proxy_x = setmetatable({}, {__len = function() return #r.x end, __index = function(_, i) return r.x[i] end})
local proxy_run = setmetatable({}, {__index = function(_, k) if k == "x" then return proxy_x end return r[k] end})
fig:contour{surface = q, runs = {proxy_run}, resolution = 8}
fig:lines{series = {{y = liar(3, {1, 4, 9})}}}
fig:close()

-- options list their choices; counts and ranges name the field
fails(function() gd.list("surfaces") end, [[gd.list: 'kind' must be one of "any", "surface", "optimizer", got the string "surfaces"]])
fig = gd.figure{name = "options", size = {300, 220}, layout = {1, 2}}
fails(function() fig:contour{panel = 3, surface = q} end, "fig:contour: 'panel' must be a whole number from 1 to 2, got 3")
fails(function() fig:contour{panel = 1, surface = q, resolution = 1.5} end, "'resolution' must be a whole number from 2 to 4000, got 1.5")
fails(function() fig:contour{panel = 1, surface = q, levels = 1000} end, "'levels' must be a whole number from 1 to 256, got 1000")
fails(function() fig:contour{panel = 1, surface = q, width = 0 / 0} end, "fig:contour: 'width' must be a finite number, got nan")
fails(function() fig:contour(nil) end, "fig:contour: expected a table of options", "got nil")
fails(function() gd.figure{layout = {1, 17}} end, "gd.figure: 'layout[2] (columns)' must be a whole number from 1 to 16, got 17")
fails(function() gd.figure{size = {1e300, 100}} end, "gd.figure: 'size[1] (width)' must be a whole number from 50 to 20000, got 1e+300")
fails(function() gd.pl.sfont("sans", "slanted") end, [[pl.sfont: 'style' must be one of "upright", "italic", "oblique", got the string "slanted"]])
fails(function() gd.pl.sfont(7) end, "pl.sfont: 'family' must be a whole number from -1 to 4, got 7")
fig:close()

-- a panel too small for its labels: PLplot refused the viewport ("plvpor: Invalid limits") and the
-- script was told to set a window first; the figure still draws afterwards
fig = gd.figure{name = "tiny", size = {100, 80}}
fails(function() fig:plplot(1, function(pl) pl.line({0, 1}, {0, 1}) end) end,
      "fig:plplot: panel at row 1, column 1 is too small for its labels (figure 100x80): make the figure larger")
fig:lines{series = {{x = {0, 1}, y = {0, 1}}}}
fig:close()
-- pl.env (and pl.hist, which calls it) start a new page: inside fig:plplot the figure's one page
-- came out blank, with exit 0; refused, and pl.wind + pl.box draw in the panel instead
fig = gd.figure{file = dir .. "/new_page.png", device = "pngcairo", size = {300, 220}}
fails(function() fig:plplot(1, function(pl) pl.env(0, 1, 0, 1, 0, 0) end) end,
      "pl.env: inside fig:plplot the page is the figure's, and pl.env starts a new one (the figure would come out blank)")
fails(function() fig:plplot(1, function(pl) pl.hist({1, 2, 3}, 0, 4, 4) end) end,
      "give pl.hist the option PL_HIST_NOSCALING")
fig:plplot(1, function(pl)
  pl.wind(0, 4, 0, 2)
  pl.box("bcnst", 0, 0, "bcnstv", 0, 0)
  pl.hist({1, 2, 3}, 0, 4, 4, pl.PL_HIST_NOSCALING)
end)
local png = fig:close()
check.equal(check.read(png):sub(2, 4), "PNG", "the figure is a PNG")
local dark = 0 -- the box and the bars are drawn: many dark pixels, not a blank page
do
  local f = assert(io.popen(("/usr/bin/python3 -c \"from PIL import Image; im = Image.open('%s').convert('L'); "
    .. "print(sum(1 for p in im.getdata() if p < 128))\""):format(png)))
  dark = tonumber(f:read("a")) or 0
  f:close()
end
check.equal(dark > 500, true, ("dark pixels of the box and bars (%d)"):format(dark))

fig = gd.figure{name = "tiny_cells", size = {200, 150}, layout = {2, 2}}
fails(function() fig:lines{panel = 4, series = {{x = {0, 1}, y = {0, 1}}}, title = "t", xlabel = "x", ylabel = "y"} end,
      "fig:lines: panel at row 2, column 2 is too small for its labels (figure 200x150): make the figure larger or give the panel more cells")
fig:close()

-- a dual number (the x a Lua surface's f sees) in arithmetic with a string: Lua's string arithmetic
-- calls the dual's metamethod from C, and the message still carries the script's line
local escaped
gd.surface{f = function(x, y) escaped = x; return x * x + y end}:gradient(1, 2)
fails(function() return "a" - escaped end, "gd.math: arithmetic on a dual number and a string value")
fails(function() return escaped * {} end, "gd.math: arithmetic on a dual number and a table value")

os.execute("rm -rf '" .. dir .. "'")
print(("lua_messages: %d bad values, each named with its value and what is allowed"):format(check.count()))
