/* SPDX-License-Identifier: MIT */
/* lresult_storage.c — where a run started from Lua records its path: blocks of Lua userdata, lent to
 * the engine as its gdlab_record_storage. The engine asks for each array once, at the run's whole
 * capacity, and writes every point in place; the result (lresult.c) then adopts the blocks as they
 * are. So Lua's collector counts the path's memory (24 bytes per 2-D point) with no copy after the
 * run, and no fresh pages touched twice.
 *
 * The blocks live in a table keyed by their address (light userdata), which the runner, and then the
 * result, keeps as a user value. The engine is C, so nothing it calls may raise: every allocation
 * happens in a protected call, and a failure is the NULL the engine turns into its own message. */
#include <string.h>

#include "lgdlab.h"

/* What the engine asked for, passed to the protected call. */
typedef struct block_request {
    void *from;   /* the block being resized or freed; NULL: none */
    size_t keep;  /* bytes of it to copy into the new block */
    size_t bytes; /* the new block's size; 0: only let `from` go */
    void *block;  /* out: the new block */
} block_request;

/* In protected mode: the blocks' table at 1, the request at 2. The new block joins the table before
 * the old one leaves it, so a failure leaves the old one in place. */
static int resize_protected(lua_State *L)
{
    block_request *rq = lua_touserdata(L, 2);
    if (rq->bytes) {
        void *block = lua_newuserdatauv(L, rq->bytes, 0);
        if (rq->keep) memcpy(block, rq->from, rq->keep);
        lua_rawsetp(L, 1, block);
        rq->block = block;
    }
    if (rq->from) {
        lua_pushnil(L);
        lua_rawsetp(L, 1, rq->from);
    }
    return 0;
}

static void *storage_resize(void *ud, void *block, size_t old_bytes, size_t bytes)
{
    lgdlab_storage *s = ud;
    /* a run that kept at least half its capacity keeps its blocks as they are: a copy would cost a
     * pass over the path for a saving of at most as much memory, never touched (so never resident) */
    if (block && bytes && bytes <= old_bytes && bytes >= old_bytes / 2) return block;
    block_request rq = {block, block ? (old_bytes < bytes ? old_bytes : bytes) : 0, bytes, NULL};
    lua_State *L = s->L;
    lua_pushcfunction(L, resize_protected);
    lua_pushvalue(L, s->blocks);
    lua_pushlightuserdata(L, &rq);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        lua_pop(L, 1); /* the error (out of memory): the engine says what could not be recorded */
        return NULL;
    }
    return rq.block;
}

void lgdlab_storage_init(lua_State *L, lgdlab_storage *s)
{
    *s = (lgdlab_storage){.api = {storage_resize, s}, .L = L, .blocks = 0};
    lua_newtable(L);
}

void lgdlab_storage_bind(lua_State *L, lgdlab_storage *s, int blocks)
{
    luaL_checkstack(L, 4, "gdlab: recording a run"); /* raises here, never inside the engine */
    s->L = L;
    s->blocks = lua_absindex(L, blocks);
}
