-- SPDX-License-Identifier: MIT
-- pl_raw.lua — raw PLplot (gd.pl) calls that hung gdlab, ended their stream or read the wrong argument
-- (docs/reliability.md, "Scripts cannot crash gdlab"). PLplot walks an axis from tick to tick by
-- adding the spacing: an axis too short for its numbers never ends (the Lua API fuzzer's replay
-- `lua_fuzz.lua 4927 1045` hung in pl.colorbar{values = {2^53, -0.64, 2^53}}), 2^31 subticks take
-- hours, and a spacing PLplot finds too small ends the stream. Each is refused before PLplot starts,
-- naming the call, the argument, its value and what is allowed; the stream stays usable. ctest gives
-- this test a timeout: a hang here is a failure, not a stuck CI job.
local gd = require "gdlab"
local pl = gd.pl

local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local fails = check.fails
local dir = check.folder()
local B = 2 ^ 53 -- the doubles near it are 2 apart: 2^53 + 0.5 is 2^53

pl.sdev("svgcairo"); pl.sfnam(dir .. "/raw.svg"); pl.init()
pl.env(0, 1, 0, 1, 0, 0)

-- the fuzzer's hang, reduced: a colour bar whose first and last values are the same large number
fails(function() pl.colorbar{values = {B, -0.6371660873533731, B}} end,
      "pl.colorbar: the values axis runs from 9007199254740992 to 9007199254740992: its ends must differ")
fails(function() pl.colorbar{values = {B, B + 1, B + 2}} end,
      "pl.colorbar: the values axis runs from 9007199254740992 to 9007199254740994, too short for numbers of that size",
      "at least 1e-10 times its larger end")
fails(function() pl.colorbar{values = {0, 2, 1}} end, "pl.colorbar: 'values' must increase, but values[2] = 2 and values[3] = 1")
fails(function() pl.colorbar{values = {1, 0.5, 0}} end, "'values' must increase, but values[1] = 1 and values[2] = 0.5")
fails(function() pl.colorbar{values = {0, 1}, nsub = 2 ^ 31 - 1} end,
      "pl.colorbar: nsub = 2147483647: 0 to 100 intervals between major ticks")
fails(function() pl.colorbar{values = {0, 1}, tick = 1e-9} end,
      "pl.colorbar: tick = 1e-09 makes 1e+09 ticks on the values axis from 0 to 1: at most 1000")

-- boxes on the current window (set by pl.wind here; by a figure's panel in fig:plplot)
fails(function() pl.wind(B, B + 2, 0, 1); pl.box("bcnst", 0, 0, "bcnst", 0, 0) end,
      "pl.box: the x axis runs from 9007199254740992 to 9007199254740994, too short")
fails(function() pl.wind(0, 1, 1e12, 1e12 + 1e-4); pl.box("bcnst", 0, 0, "bcnst", 0, 0) end,
      "pl.box: the y axis runs from 1000000000000 to 1000000000000.0001, too short")
pl.wind(0, 1, 0, 1)
fails(function() pl.box("bcnst", 0, 2 ^ 31 - 1, "bcnst", 0, 0) end, "pl.box: nxsub = 2147483647: 0 to 100")
fails(function() pl.box("bcnst", 0, 0, "bcnst", 0, -1) end, "pl.box: nysub = -1: 0 to 100")
fails(function() pl.box("bcnst", 1e-300, 0, "bcnst", 0, 0) end,
      "pl.box: xtick = 1e-300 makes 1e+300 ticks on the x axis from 0 to 1: at most 1000 (0 lets PLplot choose)")
fails(function() pl.box("bcnst", 0.0005, 0, "bcnst", 0, 0) end, "xtick = 0.0005 makes 2000 ticks")
fails(function() pl.box("bcnst", 0, 0, "bcnst", 0 / 0, 0) end, "pl.box: ytick = nan: a tick spacing must be a finite number")
fails(function() pl.wind(-1e9, 1e9, 0, 1); pl.box("bcnstl", 0, 0, "bcnst", 0, 0) end,
      "pl.box: the log x axis spans 2e+09 decades (its range is in powers of ten): at most 1000")
fails(function() pl.wind(-1e308, 1e308, 0, 1); pl.box("bc", 0, 0, "bc", 0, 0) end,
      "pl.box: the x axis runs from -1e+308 to 1e+308: both ends must be finite and their difference too")

-- date labels on a y axis without numeric x labels: PLplot 5.15 formats them with a NULL time format
-- (SIGSEGV in strfqsas; the fuzzer's seeds 1135 and 5062 before its targets changed)
pl.wind(0, 1e6, 0, 1e6)
fails(function() pl.box("bc", 0, 0, "bcnstd", 0, 0) end,
      [[pl.box: date labels on the y axis ('d' in "bcnstd") need numeric labels on the x axis too]])
fails(function() pl.colorbar{values = {0, 0.5, 1}, axis_opt = "bcvtmd"} end,
      [[pl.colorbar: date labels ('d' in axis_opt "bcvtmd") on a vertical colour bar crash PLplot 5.15]])
pl.wind(0, 1, 0, 1)

-- the calls that draw a box themselves: env, hist (unless told not to scale), box3 on pl.w3d's world
fails(function() pl.env(B, B + 2, 0, 1, 0, 0) end, "pl.env: the x axis runs from 9007199254740992 to 9007199254740994")
fails(function() pl.env(0, 1, 5, 5, 0, 0) end, "pl.env: the y axis runs from 5 to 5: its ends must differ")
fails(function() pl.env(1, 2e6, 0, 1, 0, 10) end, "pl.env: the log x axis spans 2e+06 decades")
fails(function() pl.hist({1, 2}, B, B + 2, 10) end, "pl.hist: the x axis runs from 9007199254740992 to 9007199254740994")
-- no value in a bin: the y axis would run from 0 to 0 (PLplot said "plenv: Invalid ymin and ymax arguments")
fails(function() pl.hist({}, 0, 1, 4) end, "pl.hist: no value of 'data' (0 values) falls in a bin",
      "pl.PL_HIST_NOSCALING")
fails(function() pl.hist({5, -2}, 0, 1, 4, pl.PL_HIST_IGNORE_OUTLIERS) end, "no value of 'data' (2 values) falls in a bin")
fails(function() pl.env(0 / 0, 1, 0, 1, 0, 0) end, "pl.env: the x axis runs from nan to 1: both ends must be finite")
pl.env(0, 1, 0, 1, 0, 0)
fails(function() pl.box3("bnstu", "x", 0, 0, "bnstu", "y", 0, 0, "bnstu", "z", 0, 0) end,
      "pl.box3: no 3-D world on this stream: call pl.w3d first")
pl.w3d(1, 1, 1, 0, 1, 0, 1, B, B + 2, 30, 30)
fails(function() pl.box3("bnstu", "x", 0, 0, "bnstu", "y", 0, 0, "bnstu", "z", 0, 0) end,
      "pl.box3: the z axis runs from 9007199254740992 to 9007199254740994, too short")
pl.w3d(1, 1, 1, 0, 1, 0, 1, 0, 1, 30, 30)
fails(function() pl.box3("bnstu", "x", 0, 0, "bnstu", "y", 0, 500, "bnstu", "z", 0, 0) end, "pl.box3: nysub = 500: 0 to 100")

-- what is allowed still draws, on the same stream (a tick spacing PLplot found too small used to end it)
pl.env(0, 1, 0, 1, 0, 0)
pl.box("bcnst", 0.005, 100, "bcnstg", 0, 0) -- 200 ticks, 100 intervals each
pl.wind(1e9, 1e9 + 1, -300, 300); pl.box("bcnst", 0, 0, "bcnstl", 0, 0) -- 1e-9 of its end; 600 decades
local w, h = pl.colorbar{values = {0, 0.5, 1}}
assert(w > 0 and w < 1 and h > 0 and h < 1, ("a colour bar of %s x %s (a fraction of the subpage)"):format(w, h))
w, h = pl.colorbar{values = {B, B + 2 ^ 19, B + 2 ^ 20}} -- 2^20 is a length PLplot can walk at 2^53
assert(w > 0 and h > 0, "the colour bar over 2^53 .. 2^53 + 2^20")
pl.hist({1, 2, 2, 3}, 0, 4, 4)
pl.wind(0, 1e6, 0, 1e6); pl.box("bcnstd", 0, 0, "bcnstd", 0, 0) -- dates on both axes draw
w, h = pl.colorbar{values = {0, 5e5, 1e6}, axis_opt = "bcvtmd", position = pl.PL_POSITION_BOTTOM}
assert(w > 0 and h > 0, "a horizontal colour bar with date labels")
pl.hist({-0.1, 0.5}, 0, 1, 4, pl.PL_HIST_IGNORE_OUTLIERS) -- -0.1 is dropped, PLplot counts 0.5 (no 0-to-0 axis)
pl.w3d(1, 1, 1, 0, 1, 0, 1, B, B + 2 ^ 20, 30, 30)
pl.box3("bnstu", "x", 0, 0, "bnstu", "y", 0, 0, "bnstu", "z", 0, 0)

-- optional arguments after arrays: the arrays' buffers on the stack were read as the absent
-- argument ('xg' must be an array, got the string "pl.cont"; pl.string wrote "pl.string")
local z = {{1, 2, 3}, {2, 3, 4}, {3, 4, 5}}
pl.env(0, 1, 0, 1, 0, 0)
pl.cont(z, {2, 3})
pl.shades(z, 0, 1, 0, 1, {1, 3, 5})
pl.image(z, 0, 1, 0, 1, 1, 5)
pl.hist({0.1, 0.5}, 0, 1, 4)
pl.scmap1l(true, {0, 1}, {0, 1}, {0, 1}, {0, 1})
fails(function() pl.string({0.5}, {0.5}) end, "bad argument #3", "string expected, got nil")
pl.w3d(1, 1, 1, 0, 1, 0, 1, 0, 5, 30, 30)
pl.surf3d({0, 0.5, 1}, {0, 0.5, 1}, z, 0)
fails(function() pl.mesh({0, 0.5, 1}, {0, 0.5, 1}, z) end, "bad argument #4", "number expected, got nil")
pl.plend1()

-- one page per pl.env and per scaled pl.hist (svgcairo writes one file a page: raw-1.svg, ...)
for page = 1, 7 do
  local svg = check.read(("%s/raw-%d.svg"):format(dir, page))
  assert(svg:find("^<%?xml") and svg:find("</svg>%s*$"), "a whole SVG page after the refused calls")
  assert(#svg > 5000, ("page %d holds what was drawn: %d bytes"):format(page, #svg))
end
assert(not io.open(dir .. "/raw-8.svg"), "seven pages")

-- inside a figure, on its panel's window: the same checks, and the figure is not harmed
local fig = gd.figure{file = dir .. "/fig.svg", device = "svgcairo", size = {300, 220}}
fig:lines{series = {{x = {0, 1}, y = {0, 1}}}}
fails(function() fig:plplot(1, function(p) p.box("bcnst", 1e-7, 0, "bcnst", 0, 0) end) end,
      "pl.box: xtick = 1e-07 makes")
fails(function() fig:plplot(1, function(p) p.box3("bnstu", "x", 0, 0, "bnstu", "y", 0, 0, "bnstu", "z", 0, 0) end) end,
      "pl.box3: no 3-D world on this stream: call pl.w3d first")
fig:plplot(1, function(p) p.box("g", 0.25, 0, "g", 0.25, 0) end)
fig:close()
assert(#check.read(dir .. "/fig.svg") > 1000, "the figure was written")

os.execute("rm -rf '" .. dir .. "'")
print(("pl_raw: %d refused calls, each naming its argument and what is allowed; the stream drew on"):format(check.count()))
