-- SPDX-License-Identifier: MIT
-- The checks every Lua test uses (tests/check.lua) pass what they must and stop a test, at the test's
-- own line with what was expected and what came, on anything else; a test built on them can fail.
local gd = require "gdlab"
local check = dofile((arg[0]:match("^.*/") or "./") .. "../check.lua")
local here = debug.getinfo(1, "S").short_src

-- f() must raise at this file's line, with every piece in the message (else the error names the
-- line that called stops).
local function stops(f, ...)
  local ok, err = pcall(f)
  if ok then error("the check passed where it must fail", 2) end
  err = tostring(err)
  if not (err:sub(1, #here + 1) == here .. ":" and err:find("^%d+: ", #here + 2)) then
    error("not at the test's line: " .. err, 2)
  end
  for _, piece in ipairs{...} do
    if not err:find(piece, 1, true) then error(("%q lacks %q"):format(err, piece), 2) end
  end
end

-- equal: == (a NaN equals nothing, not even a NaN); nan: a NaN
check.equal(3, 3, "equal numbers")
check.equal("a", "a", "equal strings")
stops(function() check.equal(0.1 + 0.2, 0.3, "the sum") end, "the sum: expected 0.3, got 0.30000000000000004")
stops(function() check.equal(nil, "x", "a field") end, 'a field: expected "x", got nil')
stops(function() check.equal(0 / 0, 0 / 0, "two NaNs") end, "two NaNs: expected nan, got nan")
check.nan(0 / 0, "a NaN")
stops(function() check.nan(1, "the rate") end, "the rate: expected nan, got 1")
stops(function() check.nan(nil, "missing") end, "missing: expected nan, got nil")

-- near: relative to want; 0 means exactly; not a number is named
check.near(1 + 1e-13, 1, 1e-12, "close enough")
check.near(1e-300 * 1.5, 1.5e-300, 1e-12, "tiny values are relative too")
check.near(math.huge, math.huge, 0, "infinity is infinity")
stops(function() check.near(1 + 1e-11, 1, 1e-12, "x") end, "x: expected 1, got 1.00000000001", "relative error 1e-11 > 1e-12")
stops(function() check.near(1e-20, 0, 1e-3, "at zero") end, "at zero: expected 0, got 1e-20")
stops(function() check.near(0 / 0, 1, 1, "nan") end, "nan: expected 1, got")
stops(function() check.near(nil, 2, 1, "missing") end, "missing: expected a number near 2, got nil")

-- within: absolute
check.within(1e-20, 0, 1e-19, "absolute")
stops(function() check.within(0.5, 0.25, 0.2, "y") end, "y: expected 0.25, got 0.5 (off by 0.25 > 0.2)")

-- fails: the error must start at this file's line and hold every piece
local msg = check.fails(function() gd.surface("nope") end, "unknown surface 'nope'")
assert(msg:find("unknown surface 'nope'", 1, true), msg)
check.fails(function() error("raised by the script") end, "raised by the script")
stops(function() check.fails(function() end) end, "expected an error, the call returned")
stops(function() check.fails(function() gd.surface("nope") end, "unknown optimizer") end, "lacks \"unknown optimizer\"")
stops(function() check.fails(function() error("no position", 0) end, "no position") end,
      "does not start with " .. here .. ":LINE:")
stops(function() check.fails(function() error({}) end) end, "does not start with")

-- read: a file's content, or the missing file named
local path = os.tmpname()
local f = assert(io.open(path, "wb"))
f:write("a\0b")
f:close()
check.equal(check.read(path), "a\0b", "the bytes read back")
os.remove(path)
stops(function() check.read(path) end, "expected a file: " .. path)

-- folder: a new, empty, writable folder each time
local folder, other = check.folder(), check.folder()
assert(folder ~= other, "two folders, not one")
assert(io.open(folder .. "/probe", "w")):close()
os.execute("rm -rf '" .. folder .. "' '" .. other .. "'")

check.equal(check.count(), 10, "checks passed so far (a failed one does not count)")
print(("lua_checks: %d passing checks and every failing one stopped at its line"):format(check.count()))
