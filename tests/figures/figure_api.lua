-- SPDX-License-Identifier: MIT
-- The figure API from Lua: every figure kind on svg and pngcairo into a temporary directory (files
-- exist, are the right format and not trivially small), a three-page book, raw PLplot (gd.pl and
-- require "plplot"), and the errors a script gets for bad input: each names the culprit and lists
-- the valid choices. The pixel-level checks are in test_figure_render.c.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")

local dir = os.tmpname()
os.remove(dir)
gd.output.dir = dir
local written = {}

local function check_file(path, magic, min_size)
  local data = check.read(path)
  assert(#data >= min_size, ("%s: only %d bytes"):format(path, #data))
  assert(data:find(magic, 1, true), ("%s: no %q in it"):format(path, magic))
  written[#written + 1] = path
  return data
end

-- Errors: the call fails at this file's line and the message contains every expected piece.
local fails = check.fails

local q = gd.surface("quadratic", {a = 0.05, b = 5})
local gdr = gd.run{surface = q, optimizer = gd.optimizer("gd", {lr = 0.18}), start = {-4, 1.5}, steps = 120, tol = 1e-3}
local mom = gd.run{surface = q, optimizer = gd.optimizer("momentum", {lr = 0.18, beta = 0.9, form = "ema"}),
                   start = {-4, 1.5}, steps = 120, tol = 1e-3}
local p = gd.surface("parabola")
local over = gd.run{surface = p, optimizer = gd.optimizer("momentum", {lr = 0.1, beta = 0.9}), start = {-4}, steps = 40}
local wild = gd.run{surface = q, optimizer = gd.optimizer("gd", {lr = 0.5}), start = {-4, 1.5}, steps = 200}
local outside = false -- lr 0.5 > 2/10 diverges: the path leaves the map, exercising the clipping
for _, y in ipairs(wild.y) do outside = outside or not (math.abs(y) <= 2.2) end
assert(outside, "the lr 0.5 run must leave the map")

local function all_kinds(device, ext, magic)
  gd.output.device = device
  -- the walking skeleton's figure; the diverged run must draw without trouble
  local fig = gd.figure{name = "map_" .. device, size = {1000, 420}, layout = {rows = 1, cols = 2},
                        title = "GD vs momentum: θ ← θ − α·∇L(θ), β²"}
  assert(fig.device == device)
  fig:contour{panel = 1, surface = q, x = {-5, 5}, y = {-2.2, 2.2}, runs = {gdr, {mom, color = "#3A7CA5", steps = 55}, wild},
              levels = "log", filled = true, title = "Trajectories", xlabel = "θ₁", ylabel = "θ₂"}
  fig:loss{panel = 2, runs = {gdr, mom, wild}, threshold = {1e-3, label = "convergence\nthreshold"}, grid = true}
  local path = fig:close()
  assert(path == dir .. "/map_" .. device .. "." .. ext, path)
  assert(fig:close() == path, "closing twice returns the path again")
  check_file(path, magic, 10000)

  -- a 2 x 3 grid with a spanning panel, a text panel, a dark theme and every other kind
  fig = gd.figure{name = "kinds_" .. device, size = {1500, 900}, layout = {2, 3}, theme = "dark", colormap = "plasma"}
  fig:contour{panel = 1, f = function(x, y) return math.sin(x) * math.cos(y) + 0.1 * (x * x + y * y) end,
              x = {-3, 3}, y = {-3, 3}, levels = 12, colorbar = true, title = "f = function(x, y)"}
  fig:curve{panel = 2, surface = p, runs = {{over, color = "white",
            highlight = {when = function(k, x0, x1) return x1 > 0.1 end, color = "#FFD700", label = "overshoot"}}},
            title = "1-D view", markers = true}
  fig:annotate{panel = 2, text = "start", at = {over.x[1], over.loss[1]}, text_at = {-4.5, 20}}
  local xs, ys, z = {}, {}, {}
  for i = 1, 6 do xs[i] = 10 ^ (i - 4) end
  for j = 1, 4 do ys[j] = j / 5; z[j] = {} for i = 1, 6 do z[j][i] = i == 6 and j < 3 and 0/0 or 10 ^ (j - i) end end
  fig:heatmap{panel = 3, x = xs, y = ys, z = z, log = true, xlog = true, contours = {1e-3}, annotate = true,
              title = "Sweep", colorbar_label = "final loss"}
  fig:lines{panel = {2, 1, cols = 2}, series = {{x = {1, 2, 3, 4}, y = {1, 0.5, 0.25, 0.125}, label = "γ = 0.5", marker = "o"},
            {y = {0.1, 0.3, 0.2, 0.4}, label = "by index", dashed = true}}, hlines = {{0.2, label = "ref"}},
            xticks = {1, 2, 3, 4}, title = "lines"}
  fig:text{panel = 6, text = "Update rules\n  θ ← θ − α·∇L(θ)\n  v ← β·v + (1−β)·∇L(θ)", title = "Notes"}
  check_file(fig:close(), magic, 10000)

  fig = gd.figure{name = "more_" .. device, size = {1200, 450}, layout = {1, 2}}
  fig:surface3d{panel = 1, surface = gd.surface("rosenbrock"), x = {-2, 2}, y = {-1, 3}, log = true,
                runs = {gd.run{surface = gd.surface("rosenbrock"), optimizer = gd.optimizer("adam", {lr = 0.05}),
                               start = {-1.5, 2}, steps = 200}}, title = "3-D"}
  fig:bars{panel = 2, values = {0.3, 0.02, 1e-4}, labels = {"0.01", "0.1", "0.2"}, ylog = true, title = "bars"}
  check_file(fig:close(), magic, 10000)
end

all_kinds("svg", "svg", "<svg")
all_kinds("pngcairo", "png", "\137PNG")

-- A book: three figures are three pages of one PDF.
gd.output.device = "pdfcairo"
local book = gd.book{name = "lesson", size = {1000, 420}}
for i = 1, 3 do
  local fig = gd.figure{name = "ignored", title = "page " .. i}
  fig:loss{runs = {gdr}}
  assert(fig:close() == book.path)
end
assert(book.pages == 3, "pages: " .. tostring(book.pages))
local pdf = check_file(book:close(), "%PDF-", 10000)
local _, pages = pdf:gsub("/Type /Page[^s]", "")
assert(pages == 3, "the book has " .. pages .. " pages")
-- on a one-page-per-file device a book holds nothing and figures keep their own files
gd.output.device = "pngcairo"
local flat = gd.book{name = "flat"}
assert(flat.path == nil)
local f1 = gd.figure{name = "flat1"}
f1:loss{runs = {gdr}}
check_file(f1:close(), "\137PNG", 1000)
flat:close()

-- Raw PLplot: gd.pl is require "plplot"; pages beyond the first get numbered files on pngcairo.
local pl = require "plplot"
assert(pl == gd.pl, "require 'plplot' and gd.pl are one module")
pl.sstrm(0)
pl.sdev("pngcairo")
pl.sfnam(dir .. "/raw.png")
pl.spage(0, 0, 400, 300)
pl.init()
pl.env(0, 1, 0, 1, 0, 0)
pl.line({0, 1}, {0, 1})
pl.adv(0)
pl.env(0, 1, 0, 1, 0, 0)
pl.plend1()
check_file(dir .. "/raw-1.png", "\137PNG", 500)
check_file(dir .. "/raw-2.png", "\137PNG", 500)
pl.sdev("svg")
pl.sfnam(dir .. "/one.svg")
pl.init()
pl.env(0, 1, 0, 1, 0, 0)
pl.plend1()
check_file(dir .. "/one.svg", "<svg", 500) -- one page keeps its name
local fig = gd.figure{name = "raw_panel", layout = {1, 2}}
fig:loss{panel = 1, runs = {gdr}}
fig:plplot(2, function(p2)
  p2.wind(0, 1, 0, 1)
  p2.col0(3)
  p2.fill({0.1, 0.9, 0.5}, {0.1, 0.1, 0.9})
end)
check_file(fig:close(), "\137PNG", 1000)

-- Errors name the culprit and the choices.
fails(function() gd.figure{device = "nonsense"} end, "unknown device 'nonsense'", "pngcairo", "svg")
fails(function() gd.figure{sise = {1, 2}} end, "unknown field 'sise'", "size")
fails(function() gd.figure{theme = "sepia"} end, "light, dark")
fails(function() gd.figure{colormap = "jet"} end, "unknown colour map 'jet'", "viridis")
local bad = gd.figure{name = "bad", layout = {1, 2}}
fails(function() bad:contour{panel = 3, surface = q} end, "'panel' must be a whole number from 1 to 2, got 3")
fails(function() bad:contour{surface = q} end, "panel = n")
fails(function() bad:contour{panel = 1, surface = q, levels = "cubic"} end, "linear, log, log1p")
fails(function() bad:contour{panel = 1, surface = q, runs = gdr} end, "runs must be a list")
fails(function() bad:contour{panel = 1, surface = q, runs = {{gdr, colour = "red"}}} end, "unknown field 'colour'")
fails(function() bad:contour{panel = 1, surface = q, line_color = "#12345"} end, "line_color", "#rrggbb")
fails(function() bad:contour{panel = 1, surface = p} end, "1-dimensional", "fig:curve")
fails(function() bad:contour{panel = 1, f = function() return 0 end} end, "x = {lo, hi}")
fails(function() bad:loss{panel = 1, runs = {gdr}, key = "velocity"} end, "no 'velocity' array")
fails(function() bad:lines{panel = 1, series = {{x = {1, 2}, y = {1}}}} end, "2 x and 1 y")
fails(function() bad:lines{panel = 1, series = {{y = {1, "two"}}}} end, "fig:lines: y[2] must be a number, got the string \"two\"")
fails(function() bad:curve{panel = 1, surface = q} end, "2-dimensional", "1-D")
-- An error inside a Lua-function surface is raised with its own message, not drawn as NaN.
local boom = gd.surface{f = function(x, y) error("boom") end, domain = {{-1, 1}, {-1, 1}}}
fails(function() bad:contour{panel = 1, surface = boom, resolution = 8} end, "boom")
fails(function() bad:surface3d{panel = 1, surface = boom, resolution = 8} end, "boom")
local boom1 = gd.surface{f = function(x) error("boom1") end, domain = {-1, 1}}
fails(function() bad:curve{panel = 1, surface = boom1, resolution = 8} end, "boom1")
fails(function() bad:annotate{panel = 2, text = "x", at = {0, 0}} end, "draw it first")
fails(function() bad:arrows{panel = 2, x = {0}, y = {0}, dx = {1}, dy = {1}} end, "arrows", "draw it first")
fails(function() bad:arrows{panel = 1, x = {0, 1}, y = {0}, dx = {1}, dy = {1}} end, "y has 1 values, x has 2")
fails(function() bad:arrows{panel = 1, x = {0}, y = {0}, dx = {1}} end, "dy = {...}")
fails(function() bad:heatmap{panel = 1, x = {1, 2}, y = {1}, z = {{0, 1}}, categories = {{label = "a"}}} end,
      "categories[1] needs a color")
fails(function() bad:heatmap{panel = 1, x = {1, 2}, y = {1}, z = {{0, 1}}, shade = {{0}}} end, "'shade[1]' must have 2 elements, got 1")
fails(function() bad:heatmap{panel = 1, x = {1, 2}, y = {1}, z = {{0, 1}, {1, 0}}} end, "'z (one row per y value)' must have 1 element, got 2")
fails(function() bad:heatmap{panel = 1, sweep = {axes = {{name = "lr", values = {1, 2}}}}} end, "over two parameters")
fails(function() bad:heatmap{panel = 1, sweep = {}, x = {1}} end, "either sweep = r or x, y and z")
fails(function() gd.figure{font_scale = 20} end, "font_scale 20", "0.2 to 10")
fails(function() gd.figure{key = 7} end, "key of 7 rows", "0 (none) to 4")
fails(function() bad:lines{panel = 1, series = {{y = {1, 2}, marker = "hexagon"}}} end, "unknown marker 'hexagon'", "circle")
fails(function() bad:loss{panel = 1, runs = {gdr}, legend = "middle"} end, "upper right")
bad:close()
fails(function() bad:loss{panel = 1, runs = {gdr}} end, "figure is closed")
fails(function() pl.sdev("nonsense") end, "unknown device 'nonsense'", "pngcairo")
fails(function() pl.line({1, 2}, {1}) end, "x has 2 values but y has 1")
fails(function() pl.line({1, "a"}, {1, 2}) end, "pl.line: x[2] must be a finite number, got the string \"a\"")
fails(function() pl.col1(2) end, "0 to 1")
fails(function() pl.cont({{1, 2}, {3}}, {1}) end, "pl.cont: 'z[2]' must have 2 elements, got 1")
pl.sstrm(7)
fails(function() pl.init() end, "no device", "pl.sdev")

for i = #written, 1, -1 do os.remove(written[i]) end
os.remove(dir .. "/raw-1.png"); os.remove(dir .. "/raw-2.png")
os.remove(dir .. "/bad.png")
os.remove(dir)
print("figure_api: every kind on svg and pngcairo, a 3-page book, raw PLplot and " .. "the error messages checked")
