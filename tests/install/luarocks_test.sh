#!/bin/sh
# SPDX-License-Identifier: MIT
# The LuaRocks rock, as docs/install.md shows it (its block, run as written with HOME in a temporary
# folder): `luarocks make` builds the module with CMake into ~/lua, a stock lua5.4 with that tree's
# path loads it with the rock's own plugins and reproduces seed 002's published numbers
# (tests/lessons/ravine_numbers.lua), and `luarocks remove` takes every file away again. .ci/run runs
# it after the suite (it builds gdlab once more, in the source folder's build.luarocks/).
# usage: tests/install/luarocks_test.sh   (from the source folder)
set -eu
src=$(pwd -P)
[ -f "$src/gdlab-0.1.0-1.rockspec" ] || { echo "luarocks_test.sh: run it from the source folder" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $*"; }
unset GDLAB_PLUGIN_PATH LD_LIBRARY_PATH LUA_PATH LUA_CPATH LUA_PATH_5_4 LUA_CPATH_5_4 LUA_INIT LUA_INIT_5_4 || true
export HOME="$tmp/home"
mkdir -p "$HOME"
tree=$HOME/lua

step "luarocks lint"
luarocks --lua-version 5.4 lint gdlab-0.1.0-1.rockspec || die "luarocks lint"

step "docs/install.md: luarocks make into ~/lua, then lua5.4 with its path"
sh "$src/tests/install/doc_block.sh" "$src/docs/install.md" luarocks >"$tmp/block.sh" || die "no luarocks block"
(cd "$src" && sh -eux "$tmp/block.sh") >"$tmp/make.log" 2>&1 || { tail -40 "$tmp/make.log"; die "luarocks block"; }
tail -n 1 "$tmp/make.log" | grep -qE '^0\.1\.0	[0-9]+$' || { tail -5 "$tmp/make.log"; die "the block did not print the version and plugin count"; }
[ -f "$tree/lib/lua/5.4/gdlab.so" ] || die "no module in $tree/lib/lua/5.4"
[ -f "$tree/lib/lua/5.4/gdlab/libgdlab.so.0" ] || die "no libgdlab beside the module"

step "the rock's module and plugins, and seed 002's numbers from them"
cat >"$tmp/from_tree.lua" <<'LUA'
local tree = arg[1]
local gd = require "gdlab"
assert(package.searchpath("gdlab", package.cpath):find(tree, 1, true) == 1, "module not from the rock tree")
local plugins = gd.list("any")
assert(#plugins >= 40, "only " .. #plugins .. " plugins")
for _, p in ipairs(plugins) do
    assert(p.path:find(tree .. "/lib/lua/5.4/gdlab/plugins/", 1, true) == 1, p.path .. " is not the rock's")
end
print("module and " .. #plugins .. " plugins from " .. tree)
LUA
(eval "$(luarocks --lua-version 5.4 --tree "$tree" path)" && lua5.4 "$tmp/from_tree.lua" "$tree" &&
    lua5.4 "$src/tests/lessons/ravine_numbers.lua") || die "the rock's module"

step "luarocks remove leaves nothing of gdlab in the tree"
luarocks --lua-version 5.4 --tree "$tree" remove gdlab >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; die "luarocks remove"; }
left=$(find "$tree" -type f -o -type l | grep -v "/lib/luarocks/rocks-5.4/manifest$" || true)
[ -z "$left" ] || die "left in the tree after luarocks remove: $left"
echo "luarocks: ok"
