/* SPDX-License-Identifier: MIT */
/* main.c — the gdlab command: runs a lesson script; lists and describes plugins.
 *
 *   gdlab SCRIPT.lua [-dev DEVICE] [-o DIR] [--save-runs DIR [--save-format csv]] [-q] [ARGS...] [-- ARGS...]
 *   gdlab --list | --describe NAME | --check-plugin FILE | --devices | --version | --help
 *
 * Exit status: 0 success, 1 the script failed (--check-plugin: problems found), 2 bad command line;
 * killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE after removing its temporary files (the shell shows
 * 128 + N: 130, 143, 129, 141). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lualib.h>

#include "gdlab/addrspace.h"
#include "gdlab/figure.h"
#include "gdlab/output.h"
#include "gdlab/progress.h"
#include "gdlab/schedule.h"
#include "../lua/lgdlab.h"
#include "check_plugin.h"
#ifdef GDLAB_HAVE_MPI
#include "../mpi/gdlab_mpi.h"
#endif

static const char usage[] =
    "usage: gdlab SCRIPT.lua [options] [ARGS...]   run a lesson script (ARGS: its arg table)\n"
    "       gdlab --list                          every surface, optimizer and schedule\n"
    "       gdlab --describe NAME                 a plugin's or schedule's parameters, defaults,\n"
    "                                             bounds, help, and an optimizer's internals\n"
    "       gdlab --check-plugin FILE             exercise a plugin and report its problems (for authors)\n"
    "       gdlab --devices                       the PLplot output devices available\n"
    "       gdlab --version | --help\n"
    "options (before or after the script; after \"--\" everything is the script's):\n"
    "  -dev DEVICE   PLplot output device for the script's figures (default pngcairo)\n"
    "  -o DIR        folder the figures are written to (default out)\n"
    "  --save-runs DIR  also write every run and sweep the script makes to DIR, numbered in order:\n"
    "                DIR/run-001.json, DIR/sweep-002.json ... (docs/data.md)\n"
    "  --save-format json|csv  the format of --save-runs files (default json: with the setup)\n"
    "  -q            quiet: no progress bars (they are shown only on a terminal anyway)\n"
    "environment:\n"
    "  GDLAB_PLUGIN_PATH   ':'-separated plugin files or folders, searched before the built-in ones\n"
    "  GDLAB_CHECK_TIMEOUT seconds --check-plugin lets one group of checks run (default 10)\n";

static int usage_error(const char *fmt, const char *what)
{
    fprintf(stderr, "gdlab: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static void print_diagnostics(const gdlab_registry *reg)
{
    for (size_t i = 0; i < gdlab_registry_diagnostic_count(reg); i++)
        fprintf(stderr, "gdlab: warning: %s\n", gdlab_registry_diagnostic(reg, i));
}

static int list_plugins(void)
{
    gdlab_registry *reg = gdlab_registry_new();
    if (!reg) return 1;
    gdlab_registry_scan_default(reg);
    print_diagnostics(reg);
    for (uint32_t kind = GDLAB_KIND_SURFACE; kind <= GDLAB_KIND_OPTIMIZER; kind++)
        for (size_t i = 0; i < gdlab_registry_count(reg); i++) {
            const gdlab_header *h = gdlab_registry_get(reg, i, NULL);
            if (h->kind == kind)
                printf("%-10s %-20s %s\n", gdlab_kind_name(h->kind), h->name, h->summary);
        }
    for (size_t i = 0; gdlab_schedule_kind_header(i); i++) {
        const gdlab_header *h = gdlab_schedule_kind_header(i);
        printf("%-10s %-20s %s\n", gdlab_kind_name(h->kind), h->name, h->summary);
    }
    gdlab_registry_free(reg);
    return 0;
}

static int describe_plugin(const char *name)
{
    gdlab_registry *reg = gdlab_registry_new();
    if (!reg) return 1;
    gdlab_registry_scan_default(reg);
    print_diagnostics(reg);
    int found = 0;
    for (size_t i = 0; i < gdlab_registry_count(reg); i++) {
        const char *path;
        const gdlab_header *h = gdlab_registry_get(reg, i, &path);
        if (strcmp(h->name, name) != 0) continue;
        if (found++) putchar('\n');
        gdlab_describe(h, path, stdout);
    }
    for (size_t i = 0; gdlab_schedule_kind_header(i); i++) { /* the built-in schedules */
        const gdlab_header *h = gdlab_schedule_kind_header(i);
        if (strcmp(h->name, name) != 0) continue;
        if (found++) putchar('\n');
        gdlab_describe(h, NULL, stdout);
        printf("\nevery schedule also takes param (default lr): the optimizer parameter it drives\n");
    }
    if (!found) {
        char err[GDLAB_ERRLEN * 4];
        gdlab_registry_unknown(reg, 0, name, err, sizeof err);
        fprintf(stderr, "gdlab: %s\n", err);
    }
    gdlab_registry_free(reg);
    return found ? 0 : 2;
}

/* Is any Lua function (the script, not only gdlab's C start-up) on the stack? */
static int in_lua_code(lua_State *L)
{
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "S", &ar) && strcmp(ar.what, "C") != 0) return 1;
    return 0;
}

/* Message handler: the error with a traceback, as lua.c does; an error before the script runs (it
 * cannot be read, it does not parse) is one line, without a traceback of gdlab's start-up. */
static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    if (in_lua_code(L))
        luaL_traceback(L, L, msg, 1);
    else
        lua_pushstring(L, msg);
    return 1;
}

typedef struct options {
    const char *device, *dir, *script;
    const char *save_runs, *save_format; /* --save-runs DIR, --save-format EXT */
    int quiet;
    int n_args;       /* the script's own arguments, in order */
    char **args;
} options;

/* The script sees its arguments as the global `arg`, as with lua: arg[0] is the script. */
static void set_arg_table(lua_State *L, const options *o)
{
    lua_createtable(L, o->n_args, 1);
    lua_pushstring(L, o->script);
    lua_rawseti(L, -2, 0);
    for (int i = 0; i < o->n_args; i++) {
        lua_pushstring(L, o->args[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setglobal(L, "arg");
}

/* Protected part of running a script: open libraries, configure gdlab, run. */
static int run_protected(lua_State *L)
{
    const options *o = lua_touserdata(L, 1);
    luaL_openlibs(L);
    luaL_requiref(L, "plplot", luaopen_plplot, 0);
    lua_pop(L, 1);
    luaL_requiref(L, "gdlab", luaopen_gdlab, 0);
#ifdef GDLAB_HAVE_MPI
    if (gdlab_mpi_distributor()) lgdlab_set_sweep_distributor(L, gdlab_mpi_distributor());
#endif
    lua_getfield(L, -1, "output");
    /* chosen on the command line: fixed, so they win over the script's own choices */
    if (o->device) {
        lua_pushstring(L, o->device);
        lua_setfield(L, -2, "device");
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "device_fixed");
    }
    if (o->dir) {
        lua_pushstring(L, o->dir);
        lua_setfield(L, -2, "dir");
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "dir_fixed");
    }
    if (o->save_runs) { /* read by gd.run and gd.sweep (core/lua/lsave.c) */
        lua_pushstring(L, o->save_runs);
        lua_setfield(L, -2, "save_runs");
        lua_pushstring(L, o->save_format ? o->save_format : "json");
        lua_setfield(L, -2, "save_format");
    }
    lua_pop(L, 2);
    if (o->quiet) gdlab_progress_enable(0);
    set_arg_table(L, o);
    if (luaL_loadfile(L, o->script) != LUA_OK) return lua_error(L);
    lua_call(L, 0, 0);
    return 0;
}

/* Under mpirun, messages of ranks other than 0 say which rank they come from. */
static const char *rank_tag(void)
{
#ifdef GDLAB_HAVE_MPI
    static char tag[32];
    if (gdlab_mpi_rank() != 0) {
        snprintf(tag, sizeof tag, " (rank %d)", gdlab_mpi_rank());
        return tag;
    }
#endif
    return "";
}

static int run_script(const options *o)
{
    lua_State *L = luaL_newstate();
    if (!L) {
        fprintf(stderr, "gdlab: cannot create a Lua state: out of memory\n");
        return 1;
    }
    lua_pushcfunction(L, traceback);
    lua_pushcfunction(L, run_protected);
    lua_pushlightuserdata(L, (void *)o);
    int status = lua_pcall(L, 1, 0, 1);
    if (status == LUA_ERRMEM) /* Lua gives a memory error no position and calls no message handler */
        fprintf(stderr, "gdlab%s: %s: not enough memory to run the script%s\n", rank_tag(), o->script,
                gdlab_address_space_limit() ? ": free memory or raise the limit (ulimit -v)" : "");
    else if (status != LUA_OK)
        fprintf(stderr, "gdlab%s: %s\n", rank_tag(), lua_tostring(L, -1));
    lua_close(L); /* closes figures still open, writing their files */
    return status == LUA_OK ? 0 : 1;
}

/* -dev and -o may come before or after the script (gdlab lesson.lua -dev svg -o figs/); the
 * script's own arguments are the other words after it, and everything after "--". */
int main(int argc, char **argv)
{
    /* Signals remove temporaries and kill a formula compiler (core/engine/cleanup.c); installed
     * first, so that the crash report below names the plugin and then hands over to that cleanup. */
    gdlab_signals_install(0);
    gdlab_fault_report_install(); /* a crash inside a plugin names it (core/engine/fault.c) */
    /* The script's arguments are gathered at the front of argv itself: each is written at or before
     * the place it was read from. */
    options o = {.args = argv + 1};
    int only_script_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **value = strcmp(a, "-dev") == 0 || strcmp(a, "--dev") == 0 ? &o.device
                             : strcmp(a, "-o") == 0                             ? &o.dir
                             : strcmp(a, "--save-runs") == 0                    ? &o.save_runs
                             : strcmp(a, "--save-format") == 0                  ? &o.save_format
                                                                                : NULL;
        if (only_script_args || a[0] != '-' ||
            (o.script && strcmp(a, "--") != 0 && !value && strcmp(a, "-q") != 0)) {
            if (!o.script)
                o.script = a;
            else
                o.args[o.n_args++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_script_args = 1;
            continue;
        }
        if (value) {
            if (i + 1 >= argc) return usage_error("%s needs a value", a);
            if (!argv[i + 1][0]) return usage_error("%s needs a value, not an empty string", a);
            *value = argv[++i];
            continue;
        }
        if (strcmp(a, "-q") == 0) {
            o.quiet = 1;
            continue;
        }
        if (strcmp(a, "--list") == 0) return list_plugins();
        if (strcmp(a, "--describe") == 0) {
            if (i + 1 >= argc) return usage_error("%s needs a plugin name", a);
            return describe_plugin(argv[i + 1]);
        }
        if (strcmp(a, "--check-plugin") == 0) {
            if (i + 1 >= argc) return usage_error("%s needs a plugin file", a);
            return gdlab_check_plugin(argv[i + 1]);
        }
        if (strcmp(a, "--devices") == 0) {
            char err[GDLAB_ERRLEN * 2];
            if (gdlab_devices_print(stdout, err, sizeof err) == 0) return 0;
            fprintf(stderr, "gdlab: %s\n", err);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("gdlab %s (plugin ABI %u, %s)\n", GDLAB_VERSION, GDLAB_ABI_VERSION, LUA_RELEASE);
            return 0;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        return usage_error("unknown option '%s'", a);
    }
    if (!o.script) return usage_error("%s", "no script given");
    char err[GDLAB_ERRLEN * 4];
    if (o.device && !gdlab_device_find(o.device, err, sizeof err)) return usage_error("%s", err);
    if (o.save_format && strcmp(o.save_format, "json") != 0 && strcmp(o.save_format, "csv") != 0)
        return usage_error("--save-format '%s' is not a format; available: json, csv", o.save_format);
    if (o.save_format && !o.save_runs) return usage_error("%s", "--save-format needs --save-runs DIR");
#ifdef GDLAB_HAVE_MPI
    /* every rank runs the script; only rank 0's figures are the user's (docs/mpi.md) */
    if (gdlab_mpi_start(err, sizeof err)) {
        fprintf(stderr, "gdlab%s: %s\n", rank_tag(), err);
        return gdlab_mpi_finish(2);
    }
    if (gdlab_mpi_scratch_dir()) {
        o.dir = gdlab_mpi_scratch_dir();
        o.save_runs = NULL; /* rank 0 saves every sweep, whole */
        const gdlab_device_info *dev = o.device ? gdlab_device_find(o.device, err, sizeof err) : NULL;
        if (dev && !dev->extension) o.device = "pngcairo"; /* no windows from other ranks */
    }
    return gdlab_mpi_finish(run_script(&o));
#else
    return run_script(&o);
#endif
}
