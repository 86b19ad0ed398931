/* SPDX-License-Identifier: MIT */
/* lfigure_anim.c — animations from Lua: gd.animation{...} returns an animation; anim:frame() returns
 * a figure to draw the next frame into, exactly like a gd.figure (same methods); anim:close() writes
 * the looping GIF (or the .mp4 / .webm video file = names) and returns its path. docs/figures.md, "Animations", is the reference.
 *
 * The animation userdata keeps the strings of its frame configuration and the frame being drawn as
 * user values; each frame keeps its animation alive (its own user value). Before the animation ends
 * a frame it marks the frame's figure userdata closed, so a frame outliving its animation is merely
 * closed; a frame still being drawn (a method of it is running) cannot be ended. */
#include <string.h>

#include "lfigure.h"
#include "lgdlab.h"

#define ANIMATION_MT "gdlab.animation"

typedef struct lanim {
    gdlab_animation *anim;
    char path[1024];
} lanim;

static lanim *check_anim(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, ANIMATION_MT);
}

/* Mark the frame being drawn (user value 2) closed: the animation is about to end it. Raises if a
 * method is drawing on it (what is called from one of its callbacks). */
static void detach_frame(lua_State *L, int idx, const char *what)
{
    luaL_checkstack(L, 2, what);
    if (lua_getiuservalue(L, idx, 2) == LUA_TUSERDATA) {
        lfig_check_idle(L, -1, what);
        lfigure *lf = luaL_testudata(L, -1, LFIGURE_MT);
        if (lf) lf->fig = NULL;
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_setiuservalue(L, idx, 2);
}

static const char *const frame_keys[] = {"title", NULL};

/* anim:frame() or anim:frame{title = "step 3"}: ends the frame before, returns a figure. */
static int l_frame(lua_State *L)
{
    const char *what = "anim:frame";
    lanim *a = check_anim(L, 1);
    lua_settop(L, 2);
    const char *title = NULL; /* stays on the stack (lfig_opt_string) */
    if (lua_type(L, 2) == LUA_TSTRING) {
        title = lua_tostring(L, 2);
    } else if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lgdlab_check_keys(L, 2, what, frame_keys);
        title = lfig_opt_string(L, 2, "title", NULL, what);
    }
    detach_frame(L, 1, what);
    lfigure *lf = lfig_new(L); /* closed until the frame exists */
    /* open? only now: reading the title and making the figure may run Lua code (a metamethod, a __gc)
     * that closes the animation */
    if (!a->anim) return luaL_error(L, "%s: the animation is closed", what);
    lf->anim = a->anim;
    snprintf(lf->path, sizeof lf->path, "%s", a->path);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1); /* the frame keeps its animation alive */
    char err[GDLAB_ERRLEN];
    gdlab_figure *fig = gdlab_animation_frame(a->anim, title, err, sizeof err);
    if (!fig) return luaL_error(L, "%s: %s", what, err);
    lf->fig = fig;
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, 1, 2);
    return 1;
}

/* anim:close() -> the path of the GIF. Closing twice is harmless. */
static int l_anim_close(lua_State *L)
{
    lanim *a = check_anim(L, 1);
    if (a->anim) {
        detach_frame(L, 1, "anim:close");
        gdlab_animation *anim = a->anim;
        a->anim = NULL;
        char err[GDLAB_ERRLEN];
        if (gdlab_animation_close(anim, err, sizeof err)) return luaL_error(L, "anim:close: %s", err);
    }
    lua_pushstring(L, a->path);
    return 1;
}

static int l_anim_gc(lua_State *L)
{
    lanim *a = check_anim(L, 1);
    if (a->anim) {
        detach_frame(L, 1, "the animation's __close");
        gdlab_animation *anim = a->anim;
        a->anim = NULL;
        gdlab_animation_dispose(anim); /* collected: a live window does not wait for its reader */
    }
    return 0;
}

static int l_anim_index(lua_State *L)
{
    lanim *a = check_anim(L, 1);
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    const char *key = lua_tostring(L, 2);
    if (strcmp(key, "path") == 0) {
        lua_pushstring(L, a->path);
        return 1;
    }
    if (strcmp(key, "frames") == 0) { /* frames ended so far */
        lua_pushinteger(L, a->anim ? (lua_Integer)gdlab_animation_frames(a->anim) : 0);
        return 1;
    }
    if (strcmp(key, "frame") == 0) {
        lua_pushcfunction(L, l_frame);
        return 1;
    }
    if (strcmp(key, "close") == 0) {
        lua_pushcfunction(L, l_anim_close);
        return 1;
    }
    return 0;
}

static int l_anim_tostring(lua_State *L)
{
    lanim *a = check_anim(L, 1);
    lua_pushfstring(L, "gdlab.animation(%s%s)", a->path, a->anim ? "" : ", closed");
    return 1;
}

static const char *const animation_keys[] = {"name", "file", "size", "fps", "loop", "scale", "layout", "title",
                                             "theme", "colormap", "font_scale", "key", NULL};

/* gd.animation{name =, file =, size = {w, h}, fps = 10, loop = true, scale =, layout =, title =,
 * theme =, colormap =}: a GIF, or an MP4 or WebM video when file = names one, in gd.output.dir, whatever
 * file device gd.output.device is; on a window device (xcairo, xwin) the frames play live in a window
 * instead and nothing is written. */
static int l_animation(lua_State *L)
{
    const char *what = "gd.animation";
    if (lua_isnoneornil(L, 1)) lua_newtable(L), lua_replace(L, 1);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lgdlab_check_keys(L, 1, what, animation_keys);
    lfig_output out; /* frames are drawn in memory whatever the device: only the folder matters */
    lfig_output_defaults(L, &out);
    gdlab_animation_config cfg;
    memset(&cfg, 0, sizeof cfg);
    lfig_read_page(L, 1, &cfg.frame, what);
    cfg.fps = lcheck_opt_number(L, 1, "fps", 10, 0.5, 50, what);
    cfg.once = !lfig_opt_bool(L, 1, "loop", 1);
    char err[GDLAB_ERRLEN * 2];
    if (cfg.frame.colormap && gdlab_colormap_check(cfg.frame.colormap, err, sizeof err))
        return luaL_error(L, "%s: %s", what, err);
    /* The strings of cfg.frame are on the stack above the argument table (lfig_opt_string leaves
     * them there): a table of them stays with the animation, which keeps pointers to them. */
    const int strings = lua_gettop(L) - 1;
    lua_createtable(L, strings, 0);
    for (int i = 1; i <= strings; i++) {
        lua_pushvalue(L, 1 + i);
        lua_rawseti(L, -2, i);
    }
    lanim *a = lua_newuserdatauv(L, sizeof *a, 2); /* closed until the animation exists */
    a->anim = NULL, a->path[0] = '\0';
    luaL_setmetatable(L, ANIMATION_MT);
    lua_insert(L, -2);
    lua_setiuservalue(L, -2, 1);
    const int anim = lua_gettop(L);
    /* frames are drawn in memory whatever the device, but a window device plays them live and a name
     * that is no device is the script's mistake, not a reason to pick one */
    const gdlab_device_info *dev = gdlab_device_find(out.device, err, sizeof err);
    if (!dev) return luaL_error(L, "%s: gd.output.device: %s", what, err);
    if (dev->interactive) { /* live: what anim:close() returns names the window */
        if (gdlab_device_prepare(dev, err, sizeof err)) return luaL_error(L, "%s: %s", what, err);
        cfg.window = dev->name;
        snprintf(a->path, sizeof a->path, "%s window", dev->name);
    } else {
        /* the file's extension picks GIF or a video (core/figure/frame_sink.c); a name alone is a GIF */
        const char *file = lfig_opt_string(L, 1, "file", NULL, what), *dot = file ? strrchr(file, '.') : NULL;
        const int has_ext = dot && (!strchr(dot, '/'));
        lfig_output_path(L, 1, "animation", has_ext ? dot + 1 : "gif", &out, a->path, sizeof a->path, what);
    }
    cfg.path = a->path;
    a->anim = gdlab_animation_open(&cfg, err, sizeof err);
    if (!a->anim) return luaL_error(L, "%s: %s", what, err);
    lua_settop(L, anim);
    return 1;
}

void lfig_open_animation(lua_State *L, int module)
{
    luaL_newmetatable(L, ANIMATION_MT);
    lua_pushcfunction(L, l_anim_index), lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_anim_gc), lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_anim_gc), lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, l_anim_tostring), lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);
    lua_pushvalue(L, module);
    lua_pushcclosure(L, l_animation, 1);
    lua_setfield(L, module, "animation");
}
