-- SPDX-License-Identifier: MIT
-- lua_lifetime.lua — objects in use are kept alive or the call is refused, never freed under a
-- running call (docs/reliability.md, "Scripts cannot crash gdlab"). Each case was a crash before.
local gd = require "gdlab"
local pl = gd.pl

-- The call fails, with every piece in its message, at this file's line (tests/check.lua).
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = check.folder()
gd.output.device, gd.output.dir = "svgcairo", dir
local fails = check.fails
local function file_size(path)
  local f = assert(io.open(path, "rb"))
  local n = f:seek("end")
  f:close()
  return n
end

local q = gd.surface("quadratic")
local opt = gd.optimizer("gd", {lr = 0.1})

-- Closing a figure from inside one of its own callbacks is refused; the figure is still usable.
local fig = gd.figure{name = "inside", size = {300, 220}}
fails(function() fig:contour{f = function(x, y) fig:close() return x + y end, x = {0, 1}, y = {0, 1}, resolution = 4} end,
      "fig:close: the figure is in use by fig:contour", "close it after fig:contour returns")
fails(function() fig:contour{f = function(x, y) fig:text{text = "x"} return x end, x = {0, 1}, y = {0, 1}, resolution = 4} end,
      "fig:text: the figure is in use by fig:contour")
fails(function() fig:lines{series = setmetatable({}, {__index = function() fig:close() end, __len = function() return 1 end})} end,
      "fig:close: the figure is in use by fig:lines")
-- a <close> variable on the figure, inside its own callback: the same refusal
fails(function() fig:plplot(nil, function() local f <close> = fig end) end, "the figure is in use by fig:plplot")
fig:text{text = "still drawing"}
local path = fig:close()
assert(file_size(path) > 1000, "the figure was written after the refused closes")

-- Raw PLplot inside fig:plplot may draw, not end or switch the figure's stream.
fig = gd.figure{name = "raw", size = {300, 220}}
fails(function() fig:plplot(nil, function(p) p.plend1() end) end, "pl.plend1", "belongs to a gdlab figure")
fails(function() fig:plplot(nil, function(p) p.plend() end) end, "pl.plend", "belongs to a gdlab figure")
fails(function() fig:plplot(nil, function(p) p.init() end) end, "pl.init", "belongs to a gdlab figure")
fails(function() fig:plplot(nil, function(p) p.sstrm(0) end) end, "pl.sstrm", "belongs to a gdlab figure")
fails(function() fig:plplot(nil, function(p) p.eop() end) end, "pl.eop", "only drawing calls are allowed")
fig:plplot(nil, function(p) p.col0(2); p.line({0.1, 0.9}, {0.1, 0.9}) end)
assert(file_size(fig:close()) > 400, "the raw line was drawn and the figure written")
-- pl.init twice on the script's own stream: refused (PLplot would end the stream and prompt on stdin)
pl.sdev("svgcairo"); pl.sfnam(dir .. "/raw.svg"); pl.init()
fails(function() pl.init() end, "pl.init: the stream is already initialized")
fails(function() pl.sdev("pngcairo") end, "pl.sdev", "before pl.init")
pl.plend1()

-- Drawing after close names the culprit.
fails(function() fig:text{text = "late"} end, "fig:text: the figure is closed")

-- A book cannot close under the figure of its last page; closing the figure first works.
local book = gd.book{name = "book", device = "pdfcairo", size = {300, 220}}
local page = gd.figure{device = "pdfcairo"}
page:text{text = "page 1"}
fails(function() book:close() end, "book:close: the figure on page 1 is still open", "close it first")
page:text{text = "still page 1"}
page:close()
assert(file_size(book:close()) > 500)
-- A book collected with its page still open: the page is closed first, nothing crashes.
do
  local b = gd.book{name = "dropped", device = "pdfcairo", size = {300, 220}}
  local f = gd.figure{device = "pdfcairo"}
  f:text{text = "left open"}
  getmetatable(b).__close(b) -- what a <close> variable or the collector does
  fails(function() f:text{text = "x"} end, "the figure is closed")
end

-- An animation cannot end the frame being drawn from inside that frame's callback.
local anim = gd.animation{name = "anim", size = {60, 50}}
local frame = anim:frame()
fails(function() frame:contour{f = function(x, y) anim:frame() return x end, x = {0, 1}, y = {0, 1}, resolution = 4} end,
      "anim:frame: the figure is in use by fig:contour")
fails(function() frame:contour{f = function(x, y) anim:close() return x end, x = {0, 1}, y = {0, 1}, resolution = 4} end,
      "anim:close: the figure is in use by fig:contour")
frame:text{text = "1"}
frame = nil
collectgarbage() -- the frame keeps the animation alive, and the animation its frame
assert(file_size(anim:close()) > 100)
-- anim:frame whose argument's __index closes the animation (reading the title): refused, not a frame
-- drawn on the ended animation
do
  local closing = gd.animation{name = "closing", size = {60, 50}}
  closing:frame():text{text = "1"}
  fails(function() closing:frame(setmetatable({}, {__index = function() closing:close() end})) end,
        "anim:frame: the animation is closed")
  assert(file_size(closing.path) > 100, "the animation was written by the close inside the metamethod")
end

-- Surfaces and optimizers cannot be freed while a run, sweep or figure uses them.
local ls = gd.surface{f = function(x, y) return x * x + y * y end}
fails(function()
  gd.run{surface = ls, optimizer = opt, steps = 5, schedule = function(t) do local c <close> = ls end return 0.1 end}
end, "surface 'lua' is in use by a running call")
fails(function()
  gd.run{surface = q, optimizer = opt, steps = 5, schedule = function(t) do local c <close> = opt end return 0.1 end}
end, "the optimizer is in use by a running call")
local s3 = gd.surface{f = function(x, y) return x * y end, domain = {{-1, 1}, {-1, 1}}}
fig = gd.figure{name = "s3d", size = {300, 220}}
fails(function() fig:surface3d{surface = s3, resolution = 4, runs = setmetatable({}, {__len = function() getmetatable(s3).__gc(s3); return 0 end})} end,
      "surface 'lua' is in use")
assert(s3:value(1, 1) == 1, "the surface survived")
fig:close()
-- and a run still works with both afterwards
local r = gd.run{surface = ls, optimizer = opt, steps = 3, start = {1, 1}}
assert(r.steps == 3 and math.abs(r.x[2] - 0.8) < 1e-12, "x1 = x0 - lr * 2 x0")

-- A Lua surface whose f calls gd.run on itself: a clear error, not "attempt to call a table value".
local selfish
selfish = gd.surface{f = function(x, y) gd.run{surface = selfish, optimizer = opt, steps = 1}; return x * x + y * y end}
fails(function() gd.run{surface = selfish, optimizer = opt, steps = 2} end,
      "gd.run: surface 'lua' is being evaluated: gd.run was called from inside its own f")
-- but a surface may evaluate itself from inside f (f re-enters on the surface's own thread)
local rec
rec = gd.surface{f = function(x, y) if x > 1 then return rec:value(x / 2, y) end return x + y end, dim = 2}
assert(rec:value(8, 1) == 2, "8 -> 4 -> 2 -> 1, plus y")

-- A Lua surface whose f closes that very surface, from a run's grad_norm derived on first use and
-- from gd.run's first evaluation: refused, not freed under its own evaluation (issue #8: the fuzzer's
-- SIGSEGV in "the surface 'lua', in its eval (with gradient)"). Both calls hold the surface.
local suicidal, armed = nil, false
suicidal = gd.surface{f = function(x, y)
  if armed then armed = false; local c <close> = suicidal end
  return x * x + 3 * y * y end, domain = {{-2, 2}, {-2, 2}}}
local lazy = gd.run{surface = suicidal, optimizer = opt, steps = 2, start = {1, 1}}
armed = true
fails(function() return lazy.grad_norm[1] end, "surface 'lua' is in use by a running call")
armed = true
fails(function() gd.run{surface = suicidal, optimizer = opt, steps = 2, start = {1, 1}} end,
      "surface 'lua' is in use by a running call")
-- the surface survived both: ‖∇f(1, 1)‖ = ‖(2, 6)‖, and it still runs
assert(math.abs(lazy.grad_norm[1] - math.sqrt(40)) < 1e-12, "grad_norm at the start (1, 1)")
assert(suicidal:value(1, 1) == 4 and gd.run{surface = suicidal, optimizer = opt, steps = 1, start = {1, 1}}.steps == 1)

-- Closed objects say so.
local dead = gd.surface("quadratic")
getmetatable(dead).__close(dead)
getmetatable(dead).__close(dead) -- idempotent
fails(function() dead:value(1, 1) end, "s:value: the surface 'quadratic' is closed")
fails(function() gd.run{surface = dead, optimizer = opt} end, "gd.run: the surface 'quadratic' is closed")
assert(tostring(dead) == "gdlab.surface(quadratic, closed)")

os.execute("rm -rf '" .. dir .. "'")
print(("lua_lifetime: %d refused calls with their culprit named; objects in use survived"):format(check.count()))
