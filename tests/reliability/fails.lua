-- SPDX-License-Identifier: MIT
-- fails.lua — the `fails` check the reliability specifications share (lua_lifetime.lua,
-- lua_messages.lua): a call must raise, at the script's own file:line (where_pattern), with every
-- given piece in its message. Returns fails and a function giving how many calls it checked.
return function(where_pattern)
  local checks = 0
  local function fails(fn, ...)
    local ok, err = pcall(fn)
    assert(not ok, "expected an error")
    err = tostring(err)
    assert(err:find(where_pattern), ("error %q lacks the script's file:line"):format(err))
    for _, piece in ipairs{...} do
      assert(err:find(piece, 1, true), ("error %q lacks %q"):format(err, piece))
    end
    checks = checks + 1
  end
  return fails, function() return checks end
end
