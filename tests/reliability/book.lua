-- SPDX-License-Identifier: MIT
-- book.lua FILE DEVICE TITLE [hold READY]: a book of three pages into FILE. With "hold", after the
-- second page the script writes READY and waits to be killed, the book open. Used by output_faults.sh.
local gd = require "gdlab"
local file, device, title, hold, ready = arg[1], arg[2], arg[3] or "title", arg[4], arg[5]
local s = gd.surface("rosenbrock")
local book = gd.book{file = file, device = device, size = {500, 400}}
for i = 1, 3 do
  if hold == "hold" and i == 3 then
    local f = assert(io.open(ready, "w"))
    f:write("ready\n")
    f:close()
    local deadline = os.time() + 60
    while os.time() < deadline do end
    error("book.lua: still alive 60 s after the signal should have come")
  end
  local fig = gd.figure{device = device, title = title .. ", page " .. i}
  fig:contour{surface = s}
  fig:close()
end
print(book:close())
