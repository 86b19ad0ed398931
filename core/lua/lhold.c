/* SPDX-License-Identifier: MIT */
/* lhold.c — objects in use by a running call (lgdlab.h, lgdlab_hold), and C resources owned by one
 * (lgdlab_own).
 *
 * A call that keeps a C pointer out of a userdata (a surface, an optimizer, a figure) runs Lua code
 * while it holds it: metamethods of its arguments, a Lua surface's f, a schedule function, drawing
 * callbacks. That code may try to close or free the very object (fig:close(), a <close> variable,
 * an explicit __gc). So the call marks the object in use: a counter inside the object, raised here
 * and lowered by a to-be-closed guard on the stack, which Lua closes when the call returns *or*
 * raises. Closing an object in use is refused with an error (see the __close functions); the guard
 * also keeps the object itself reachable.
 *
 * Hold first, then read: making the guard allocates, and so does nearly every Lua call; any
 * allocation may run a collector step and with it a pending __gc metamethod, which may close the
 * object (any script code can). So a call takes the object's userdata, holds it, and only then
 * checks that it is open and reads its pointers (lgdlab_use_surface, lgdlab_use_optimizer,
 * lfig_use; tests/reliability/lua_hold_first.lua closes the object at every allocation of a call). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lgdlab.h"

#define HOLD_MT "gdlab.hold"
#define OWN_MT "gdlab.own"

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

/* A C resource owned by the call: every Lua value the call makes may raise Lua's memory error, which
 * longjmps over the C code that would have freed it. The owner is a to-be-closed userdata holding the
 * resource's handle itself; Lua closes it when the call returns or raises (and collects it, releasing
 * too, should it never be closed). */
typedef struct owner {
    void (*release)(void *); /* NULL once released */
    max_align_t handle[];    /* the caller's bytes */
} owner;

static int own_release(lua_State *L)
{
    owner *o = luaL_checkudata(L, 1, OWN_MT);
    void (*release)(void *) = o->release;
    o->release = NULL;
    if (release) release(o->handle);
    return 0;
}

void *lgdlab_own(lua_State *L, size_t size, void (*release)(void *))
{
    luaL_checkstack(L, 3, "gdlab: too many resources in use");
    owner *o = lua_newuserdatauv(L, sizeof *o + size, 0);
    o->release = NULL; /* nothing to release until the metatable is set (making it may raise) */
    memset(o->handle, 0, size);
    if (luaL_newmetatable(L, OWN_MT)) {
        lua_pushcfunction(L, own_release);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, own_release);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    o->release = release;
    lua_toclose(L, -1);
    return o->handle;
}

static void text_release(void *handle)
{
    lgdlab_text *t = handle;
    if (t->f) fclose(t->f);
    free(t->text);
    t->f = NULL, t->text = NULL;
}

lgdlab_text *lgdlab_open_text(lua_State *L, const char *what)
{
    lgdlab_text *t = lgdlab_own(L, sizeof *t, text_release);
    t->slot = lua_gettop(L);
    t->f = open_memstream(&t->text, &t->len);
    if (!t->f) luaL_error(L, "%s: out of memory", what);
    return t;
}

void lgdlab_push_text(lua_State *L, lgdlab_text *t, const char *what)
{
    const int failed = ferror(t->f);
    FILE *f = t->f;
    t->f = NULL;
    if (fclose(f) != 0 || failed || !t->text) luaL_error(L, "%s: out of memory", what);
    lua_pushlstring(L, t->text, t->len);
    lua_closeslot(L, t->slot);
}
