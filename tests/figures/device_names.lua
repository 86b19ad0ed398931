-- SPDX-License-Identifier: MIT
-- device_names.lua — every way a script can ask which device it is on gives the device it chose:
-- fig.device, pl.gdev() inside fig:plplot, on a book's page and on the script's own stream, and the
-- messages that name a device. pscairo and epscairo are drawn through PLplot's extcairo driver on a
-- PostScript surface of gdlab's (core/figure/pscairo.c), where PLplot's own name is "extcairo".
local gd = require "gdlab"
local pl = gd.pl
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local dir = check.folder()

-- the two lists agree: gd.devices() and pl.devices() name the same devices, in the same order
local listed, names = gd.devices(), pl.devices()
check.equal(#names, #listed, "pl.devices() and gd.devices() count")
local file_devices = {}
for i, d in ipairs(listed) do
  check.equal(names[i], d.name, "pl.devices()[" .. i .. "]")
  if not d.interactive then file_devices[#file_devices + 1] = d end
end
assert(#file_devices >= 5, "fewer than 5 file devices listed")
local seen_ps = false

check.equal(pl.gdev(), "", "pl.gdev() before pl.sdev")
for _, d in ipairs(file_devices) do
  local fig = gd.figure{device = d.name, file = dir .. "/fig." .. d.extension, size = {300, 200}}
  check.equal(fig.device, d.name, "fig.device")
  local inside
  fig:plplot(1, function(p) inside = p.gdev() end)
  check.equal(inside, d.name, "pl.gdev() inside fig:plplot on " .. d.name)
  check.equal(pl.gdev(), "", "pl.gdev() after fig:plplot on " .. d.name .. " (the script's stream again)")
  -- a message that names the device names the one chosen
  check.fails(function() fig:pick() end, "device '" .. d.name .. "' writes a file")
  check.equal(fig:close(), dir .. "/fig." .. d.extension, "fig:close() on " .. d.name)
  seen_ps = seen_ps or d.name == "pscairo"

  if d.multipage then -- a book's pages: the figure on a page is on the book's device
    gd.output.device = d.name
    local book = gd.book{file = dir .. "/book." .. d.extension, size = {300, 200}}
    for page = 1, 2 do
      local f = gd.figure{title = "page " .. page}
      check.equal(f.device, d.name, "fig.device on page " .. page .. " of a " .. d.name .. " book")
      f:plplot(1, function(p) inside = p.gdev() end)
      check.equal(inside, d.name, "pl.gdev() on page " .. page .. " of a " .. d.name .. " book")
      f:close()
    end
    check.equal(book:close(), dir .. "/book." .. d.extension, "book:close() on " .. d.name)
    gd.output.device = "pngcairo"
  end
end
assert(seen_ps, "pscairo is not among the devices: the case this test is for did not run")

-- the script's own stream: what pl.sdev set, also for pscairo (PLplot's own driver there)
for _, name in ipairs{"pscairo", "epscairo", "svg"} do
  pl.sdev(name)
  check.equal(pl.gdev(), name, "pl.gdev() after pl.sdev('" .. name .. "')")
end
pl.sfnam(dir .. "/raw.svg")
pl.init()
pl.env(0, 1, 0, 1, 0, 0)
check.equal(pl.gdev(), "svg", "pl.gdev() after pl.init on svg")
pl.plend1()
print(("device_names: %d checks passed"):format(check.count()))
