/* SPDX-License-Identifier: MIT */
/* lhold.c — objects in use by a running call (lgdlab.h, lgdlab_hold).
 *
 * A call that keeps a C pointer out of a userdata (a surface, an optimizer, a figure) runs Lua code
 * while it holds it: metamethods of its arguments, a Lua surface's f, a schedule function, drawing
 * callbacks. That code may try to close or free the very object (fig:close(), a <close> variable,
 * an explicit __gc). So the call marks the object in use: a counter inside the object, raised here
 * and lowered by a to-be-closed guard on the stack, which Lua closes when the call returns *or*
 * raises. Closing an object in use is refused with an error (see the __close functions); the guard
 * also keeps the object itself reachable. */
#include "lgdlab.h"

#define HOLD_MT "gdlab.hold"

typedef struct hold {
    int *uses; /* NULL once released */
} hold;

static int hold_release(lua_State *L)
{
    hold *h = luaL_checkudata(L, 1, HOLD_MT);
    if (h->uses) --*h->uses;
    h->uses = NULL;
    return 0;
}

void lgdlab_hold(lua_State *L, int idx, int *uses)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 3, "gdlab: too many objects in use");
    hold *h = lua_newuserdatauv(L, sizeof *h, 1);
    h->uses = NULL;
    if (luaL_newmetatable(L, HOLD_MT)) {
        lua_pushcfunction(L, hold_release);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, hold_release); /* a guard dropped without closing still releases */
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_pushvalue(L, idx);
    lua_setiuservalue(L, -2, 1); /* the object stays alive as long as its guard */
    h->uses = uses;
    ++*uses;
    lua_toclose(L, -1);
}
