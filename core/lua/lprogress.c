/* SPDX-License-Identifier: MIT */
/* lprogress.c — gd.progress(on): progress bars (core/engine/progress.c) on or off for the rest of the
 * script, as `gdlab -q` turns them off. Returns the previous setting. Bars appear only on a terminal,
 * and only for work that takes more than about a second. */
#include "gdlab/progress.h"
#include "lgdlab.h"

static int l_progress(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TBOOLEAN);
    lua_pushboolean(L, gdlab_progress_enable(lua_toboolean(L, 1)));
    return 1;
}

void lgdlab_open_progress(lua_State *L)
{
    lua_pushcfunction(L, l_progress);
    lua_setfield(L, -2, "progress");
}
