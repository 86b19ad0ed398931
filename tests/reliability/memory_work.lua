-- SPDX-License-Identifier: MIT
-- memory_work.lua OUTDIR: a little of everything that allocates, for memory_ladder.sh: a formula
-- surface compiled, a sweep on every core, a run and the sweep saved (CSV, JSON), an animation of four
-- frames (GIF), a figure (PNG), a book of two pages (PDF) and a page of raw PLplot (PNG), all into
-- OUTDIR. Prints "done" at the end.
local gd = require "gdlab"
local dir = assert(arg[1], "usage: memory_work.lua OUTDIR")

local s = gd.surface{expr = "(1 - x)^2 + 20*(y - x^2)^2 + 0.1*sin(3*x)", domain = {{-2, 2}, {-1, 3}}}
local lrs = {}
for i = 1, 32 do lrs[i] = 2e-4 * i end
local sweep = gd.sweep{surface = s, optimizer = gd.optimizer("momentum", {lr = 1e-3}), start = {-1.5, 2},
                       steps = 3000, over = {lr = lrs}}
local run = gd.run{surface = s, optimizer = gd.optimizer("adam", {lr = 0.05}), start = {-1.5, 2}, steps = 400}
gd.save(run, dir .. "/run.csv")
gd.save(sweep, dir .. "/sweep.json")

local anim = gd.animation{file = dir .. "/anim.gif", size = {240, 180}}
for i = 1, 4 do anim:frame{title = "frame " .. i}:contour{surface = s, runs = {run}} end
anim:close()

local fig = gd.figure{file = dir .. "/fig.png", size = {320, 240}, title = "memory ladder"}
fig:contour{surface = s, runs = {run}}
fig:close()

gd.output.device = "pdfcairo" -- figures opened while the book is open become its pages
local book = gd.book{file = dir .. "/book.pdf", size = {400, 300}}
for i = 1, 2 do
  local page = gd.figure{title = "page " .. i}
  page:contour{surface = s, runs = {run}}
  page:close()
end
book:close()

local pl = gd.pl
pl.sdev("pngcairo")
pl.sfnam(dir .. "/raw.png")
pl.spage(0, 0, 200, 150)
pl.init()
pl.env(0, 1, 0, 1, 0, 0)
pl.lab("x", "y", "raw PLplot")
pl.plend1()
print("done")
