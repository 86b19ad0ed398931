/* SPDX-License-Identifier: MIT */
/* test_lua_alloc_faults.c — the Lua bindings and figures when memory runs out (docs/reliability.md,
 * "Memory").
 *
 *   test_lua_alloc_faults MODE CASE [TRIALS]
 *
 * Runs CASE of alloc_work.lua (lesson-like work: runs, a sweep, gd.save, a formula, figures on pngcairo
 * and svg, a book, a GIF) in a fresh Lua state, `require "gdlab"` included, with the N-th allocation
 * failing. MODE says which allocations:
 *   lua     the Lua state's allocator (lua_setallocf's job, given to lua_newstate): every Lua string,
 *           table, userdata and stack the script and the bindings make;
 *   malloc  gdlab's own malloc, calloc, realloc and strdup, in the bindings, the figures and the engine
 *           (alloc_inject.c, counting only gdlab's allocations: PLplot, cairo and the libraries below
 *           them do not check theirs). Not in the sanitizer build (see alloc_inject.h).
 * Each N fails once (Lua then collects garbage and tries again, so this checks that nothing in use is
 * collected) and from then on (memory stays exhausted). Of the case's allocations (an unfailed run
 * counts them) the first two thirds of TRIALS (default 240) are failed one by one, and the last third
 * of TRIALS are spread evenly over the rest.
 *
 * After each trial: the outcome is the unfailed result bit for bit, or an error saying memory ran out
 * (Lua's "not enough memory", gdlab's "out of memory"); never a crash. The state is closed with the
 * failure still in force. No C block stays allocated (counted here, or by LeakSanitizer in the sanitizer
 * build; save where Lua itself dropped a finalizer, see "finalizers Lua drops"), no Lua block either, no temporary is left in the folder, and every output is the old file
 * byte for byte or a whole new one: the unfailed output byte for byte, or, after a failure, a complete
 * file of its format (a figure left open by an error is written as drawn so far when the state closes,
 * docs/reliability.md). LUA_ALLOC_FAULTS_N=N runs that N alone and prints its outcome (and, in malloc
 * mode, the stack of the failed allocation). */
#define _GNU_SOURCE
#include <dirent.h>
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "lgdlab.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define HAVE_MALLOC_INJECTION 0
#define heap_realloc realloc
#define heap_free free
#else
#include "alloc_inject.h"
#define HAVE_MALLOC_INJECTION 1
#define heap_realloc alloc_inject_real_realloc /* Lua's blocks: not gdlab's, outside the C count */
#define heap_free alloc_inject_real_free
#endif


/* ---- the Lua state's allocator ------------------------------------------------------------------- */

static struct {
    long countdown; /* allocations before the failing one; 0: disarmed */
    int sticky, failing;
    long counted; /* allocations since armed */
    long live;    /* blocks of the state not yet freed */
} lua_heap;

/* An allocation is a new block or a larger one; Lua never lets a shrink or a free fail. */
static void *failing_alloc(void *ud, void *block, size_t old_size, size_t size)
{
    (void)ud;
    if (size == 0) {
        if (block) lua_heap.live--;
        heap_free(block);
        return NULL;
    }
    const int grows = !block || size > old_size;
    if (grows && (lua_heap.countdown > 0 || lua_heap.failing)) {
        lua_heap.counted++;
        if (lua_heap.failing) {
            if (lua_heap.sticky) return NULL;
        } else if (--lua_heap.countdown == 0) {
            lua_heap.failing = 1;
            return NULL;
        }
    }
    void *p = heap_realloc(block, size);
    if (p && !block) lua_heap.live++;
    return p;
}

/* ---- finalizers Lua drops ------------------------------------------------------------------------ */

/* Calling a finalizer takes memory of Lua's own: a CallInfo for the call (ldo.c, next_ci) when the
 * collection runs deeper in the C stack than any call kept one, as inside a Lua surface's f under the
 * engine. With memory exhausted for good, that allocation fails too; Lua then warns "error in __gc (not
 * enough memory)" and never calls that finalizer (lgc.c, GCTM): the C blocks its object owned (a
 * collected optimizer's, say) are lost by Lua's rule, with no host code run that could free them. So a
 * trial in which Lua warned so while the script ran is not held to the C-block count (everything else
 * is checked). The state's close is not watched: closing starts at the bottom of the stack, where
 * calls always find a CallInfo kept, and Lua's own standard files warn there (their __gc makes a
 * message). gdlab's finalizers allocate no Lua memory, so this is never one of them failing. */
static struct {
    int watching; /* the script is running */
    int dropped;  /* finalizers Lua dropped for want of memory meanwhile */
    char text[64];
    size_t len;
} finalizers;

static void on_warning(void *ud, const char *piece, int more)
{
    (void)ud;
    const size_t n = strlen(piece), room = sizeof finalizers.text - 1 - finalizers.len;
    memcpy(finalizers.text + finalizers.len, piece, n < room ? n : room);
    finalizers.len += n < room ? n : room;
    finalizers.text[finalizers.len] = '\0';
    if (more) return;
    finalizers.dropped += finalizers.watching && strcmp(finalizers.text, "error in __gc (not enough memory)") == 0;
    finalizers.len = 0;
}

/* ---- one trial ------------------------------------------------------------------------------------ */

static int lua_mode; /* 1: the Lua allocator fails; 0: gdlab's malloc */
static const char *case_name;
static char dir[] = "/tmp/gdlab-luaallocXXXXXX";

static void arm(long n, int keep_failing)
{
    if (lua_mode) {
        lua_heap.countdown = n, lua_heap.sticky = keep_failing, lua_heap.failing = 0, lua_heap.counted = 0;
        return;
    }
#if HAVE_MALLOC_INJECTION
    alloc_inject_arm(n, keep_failing);
#endif
}

/* Disarm; 1 when the failure came. *counted: allocations counted since armed. */
static int disarm(long *counted)
{
    if (lua_mode) {
        const int hit = lua_heap.failing;
        *counted = lua_heap.counted;
        lua_heap.countdown = 0, lua_heap.sticky = 0, lua_heap.failing = 0;
        return hit;
    }
#if HAVE_MALLOC_INJECTION
    *counted = alloc_inject_counted();
    return alloc_inject_disarm();
#else
    return 0;
#endif
}

static long c_blocks(void)
{
#if HAVE_MALLOC_INJECTION
    return alloc_inject_live();
#else
    return 0; /* LeakSanitizer counts them */
#endif
}

typedef struct outcome {
    int status;          /* of lua_pcall */
    double value;        /* what the case returned, when it succeeded */
    char message[512];   /* the error, when it failed */
    int hit;             /* the failure came */
    long counted;        /* allocations counted */
    int dropped;         /* finalizers Lua dropped while the case ran (see above) */
} outcome;

/* The case from alloc_work.lua in a fresh state; the allocation failure is armed around the call and the
 * close of the state, with the setup (standard libraries, the work file) unfailed. */
static void run_case(long n, int keep_failing, outcome *out)
{
    lua_State *L = lua_newstate(failing_alloc, NULL);
    if (!L) fprintf(stderr, "cannot create a Lua state\n"), exit(2);
    luaL_openlibs(L);
    lua_setwarnf(L, on_warning, NULL);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_gdlab);
    lua_setfield(L, -2, "gdlab");
    lua_pop(L, 1);
    if (luaL_dofile(L, GDLAB_RELIABILITY_DIR "/alloc_work.lua") != LUA_OK)
        fprintf(stderr, "%s\n", lua_tostring(L, -1)), exit(2);
    if (lua_getfield(L, -1, case_name) != LUA_TTABLE)
        fprintf(stderr, "alloc_work.lua has no case '%s'\n", case_name), exit(2);
    lua_getfield(L, -1, "work");
    lua_pushstring(L, dir);
    out->value = NAN;
    out->message[0] = '\0';
    finalizers.dropped = 0, finalizers.watching = 1;
    arm(n, keep_failing);
    out->status = lua_pcall(L, 1, 1, 0);
    finalizers.watching = 0;
    out->dropped = finalizers.dropped;
    if (out->status == LUA_OK)
        out->value = lua_tonumber(L, -1);
    else if (lua_type(L, -1) == LUA_TSTRING) /* a string: reading it allocates nothing */
        snprintf(out->message, sizeof out->message, "%s", lua_tostring(L, -1));
    else
        snprintf(out->message, sizeof out->message, "(an error object of type %s)", luaL_typename(L, -1));
    lua_close(L); /* under the failure too: closing figures left open must survive it */
    out->hit = disarm(&out->counted);
}

/* ---- outputs ------------------------------------------------------------------------------------- */

typedef struct file_bytes {
    char *data;
    long len; /* -1: missing */
} file_bytes;

static file_bytes slurp(const char *path)
{
    file_bytes b = {NULL, -1};
    FILE *f = fopen(path, "rb");
    if (!f) return b;
    fseek(f, 0, SEEK_END);
    b.len = ftell(f);
    rewind(f);
    b.data = malloc((size_t)b.len + 1);
    b.len = (long)fread(b.data, 1, (size_t)b.len, f);
    fclose(f);
    return b;
}

static int same(file_bytes a, file_bytes b)
{
    return a.len >= 0 && a.len == b.len && memcmp(a.data, b.data, (size_t)a.len) == 0;
}

static int ends_with(file_bytes b, const void *tail, size_t n)
{
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r')) b.len--;
    return b.len >= (long)n && memcmp(b.data + b.len - n, tail, n) == 0;
}

static int starts_with(file_bytes b, const void *head, size_t n)
{
    return b.len >= (long)n && memcmp(b.data, head, n) == 0;
}

/* A whole file of the format its extension names: begins as the format does and ends as a complete one
 * does (the last chunk, closing tag, trailer or end-of-file marker). */
static int complete(const char *name, file_bytes b)
{
    const char *ext = strrchr(name, '.');
    if (!strcmp(ext, ".png")) return starts_with(b, "\x89PNG\r\n\x1a\n", 8) && ends_with(b, "IEND\xae\x42\x60\x82", 8);
    if (!strcmp(ext, ".svg")) return starts_with(b, "<?xml", 5) && ends_with(b, "</svg>", 6);
    if (!strcmp(ext, ".gif")) return starts_with(b, "GIF89a", 6) && ends_with(b, "\x3b", 1);
    if (!strcmp(ext, ".pdf")) return starts_with(b, "%PDF-", 5) && ends_with(b, "%%EOF", 5);
    return 0; /* data files (csv, json): only the unfailed output itself is whole */
}

/* cairo writes the time into a PDF: two unfailed runs differ there, so only completeness is compared */
static int reproducible(const char *name) { return strcmp(strrchr(name, '.'), ".pdf") != 0; }

static char outputs[8][64];
static file_bytes wanted[8]; /* each output of the unfailed case */
static int n_outputs;

static void path_of(int i, char *path, size_t len) { snprintf(path, len, "%s/%s", dir, outputs[i]); }

/* Put the "old" file in place of each output: what a failure must leave untouched. */
static void plant_old_outputs(void)
{
    for (int i = 0; i < n_outputs; i++) {
        char path[640];
        path_of(i, path, sizeof path);
        FILE *f = fopen(path, "wb");
        fprintf(f, "the old %s\n", outputs[i]);
        fclose(f);
    }
}

static int temporaries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strstr(e->d_name, "gdlab-tmp") != NULL;
    if (d) closedir(d);
    return n;
}

static void read_case_outputs(void)
{
    lua_State *L = luaL_newstate();
    luaL_dofile(L, GDLAB_RELIABILITY_DIR "/alloc_work.lua");
    if (lua_getfield(L, -1, case_name) != LUA_TTABLE)
        fprintf(stderr, "alloc_work.lua has no case '%s'\n", case_name), exit(2);
    lua_getfield(L, -1, "outputs");
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING && n_outputs < 8; i++, lua_pop(L, 1))
        snprintf(outputs[n_outputs++], sizeof outputs[0], "%s", lua_tostring(L, -1));
    lua_close(L);
}

/* ---- the driver ---------------------------------------------------------------------------------- */

/* A check of one trial, counted whether it holds or not; the caller says why when it does not. */
static int verify(int ok)
{
    CHECK(ok);
    return ok;
}

static const char *mode_name(int keep_failing) { return keep_failing ? "from then on" : "once"; }

static int says_memory(const outcome *o)
{
    return o->status == LUA_ERRMEM || strstr(o->message, "memory"); /* not enough memory, out of memory, strerror(ENOMEM) */
}

/* Fail the n-th allocation; check everything the header promises. Returns 1 when the failure came. */
static int trial(long n, int keep_failing, double want, int *failures, int *dropped)
{
    plant_old_outputs();
    const long before = c_blocks();
    outcome o;
    run_case(n, keep_failing, &o);
    const int hit = o.hit;
    const long leaked = c_blocks() - before; /* before printing: stdout's buffer is made on first use */
    *dropped += o.dropped > 0;
    if (getenv("LUA_ALLOC_FAULTS_N")) /* replaying one N: say what came of it */
        printf("%s: allocation %ld failed (%s): %s%s\n", case_name, n, mode_name(keep_failing),
               o.status == LUA_OK ? "success" : o.message,
               o.dropped ? " (Lua dropped a finalizer: C blocks not counted)" : "");
    const char *how = mode_name(keep_failing);
    if (!verify((leaked == 0 || o.dropped) && lua_heap.live == 0))
        fprintf(stderr, "%s: allocation %ld failed (%s): %ld C blocks and %ld Lua blocks leaked; '%s'\n",
                case_name, n, how, leaked, lua_heap.live, o.message);
    if (o.status == LUA_OK) {
        if (!verify(o.value == want))
            fprintf(stderr, "%s: allocation %ld failed (%s): success with %.17g, not %.17g\n", case_name, n, how,
                    o.value, want);
    } else {
        ++*failures;
        if (!verify(says_memory(&o) && hit))
            fprintf(stderr, "%s: allocation %ld failed (%s): status %d, message '%s' does not say memory\n",
                    case_name, n, how, o.status, o.message);
    }
    for (int i = 0; i < n_outputs; i++) {
        char path[640], old[80];
        path_of(i, path, sizeof path);
        const int old_len = snprintf(old, sizeof old, "the old %s\n", outputs[i]);
        file_bytes now = slurp(path);
        const int untouched = now.len == old_len && memcmp(now.data, old, (size_t)old_len) == 0;
        const int as_unfailed = reproducible(outputs[i]) ? same(now, wanted[i]) : complete(outputs[i], now);
        const int ok = o.status == LUA_OK ? as_unfailed : untouched || as_unfailed || complete(outputs[i], now);
        if (!verify(ok))
            fprintf(stderr, "%s: allocation %ld failed (%s): %s is %s (%ld bytes) after %s\n", case_name, n, how,
                    outputs[i], untouched ? "the old file" : "neither the old file nor a whole new one", now.len,
                    o.status == LUA_OK ? "a success" : o.message);
        free(now.data);
    }
    if (!verify(temporaries() == 0))
        fprintf(stderr, "%s: allocation %ld failed (%s): a temporary is left in %s\n", case_name, n, how, dir);
    return hit;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3 || (strcmp(argv[1], "lua") && strcmp(argv[1], "malloc"))) {
        fprintf(stderr, "usage: %s lua|malloc CASE [TRIALS]  (CASE: a case of alloc_work.lua)\n", argv[0]);
        return 2;
    }
    lua_mode = strcmp(argv[1], "lua") == 0;
    case_name = argv[2];
    const long budget = argc > 3 ? atol(argv[3]) : 240, dense = budget * 2 / 3, spread = budget - dense;
    if (dense < 1 || spread < 1) return fprintf(stderr, "TRIALS must be 3 or more\n"), 2;
    if (!lua_mode && !HAVE_MALLOC_INJECTION) {
        printf("skipped: no malloc injection in the sanitizer build (alloc_inject.h says why)\n");
        return 0;
    }
    setenv("GDLAB_NATIVE", "0", 1); /* formulas on the tape: no compiler child under a failing allocator */
    if (!mkdtemp(dir)) return perror("mkdtemp"), 2;
    read_case_outputs();

    /* unfailed, twice (one-time lazy allocations done), counting its allocations */
    outcome o;
    long total = 0;
    for (int warm = 0; warm < 2; warm++) {
        run_case(LONG_MAX, 0, &o);
        total = o.counted;
        if (o.status != LUA_OK) fprintf(stderr, "%s unfailed: %s\n", case_name, o.message), exit(1);
    }
    const double want = o.value;
    for (int i = 0; i < n_outputs; i++) {
        char path[640];
        path_of(i, path, sizeof path);
        wanted[i] = slurp(path);
        CHECK(complete(outputs[i], wanted[i]) || reproducible(outputs[i]));
    }
#if HAVE_MALLOC_INJECTION
    if (!lua_mode) {
        alloc_inject_only_gdlab();
        run_case(LONG_MAX, 0, &o);
        total = o.counted;
    }
    alloc_inject_trace(getenv("LUA_ALLOC_FAULTS_N") != NULL);
#endif
    const char *only = getenv("LUA_ALLOC_FAULTS_N");
    int dropped_in_all = 0; /* trials in which Lua dropped a finalizer */
    for (int keep = 0; keep < 2; keep++) {
        int failures = 0, trials = 0, dropped = 0;
        long n = only ? atol(only) : 1;
        while (n <= total) {
            trials++;
            if (!trial(n, keep, want, &failures, &dropped)) break;
            if (only) break;
            n = n < dense ? n + 1 : n + (total - dense) / spread + 1;
        }
        printf("%-10s %-6s %-12s %ld allocations; %d failed one by one (every one up to %ld, then a stride of "
               "%ld): %d errors, %d recovered; Lua dropped a finalizer in %d\n",
               case_name, lua_mode ? "lua" : "malloc", mode_name(keep), total, trials, dense,
               total > dense ? (total - dense) / spread + 1 : 1, failures, trials - failures, dropped);
        dropped_in_all += dropped;
    }
    for (int i = 0; i < n_outputs; i++) {
        char path[640];
        path_of(i, path, sizeof path);
        unlink(path);
        free(wanted[i].data);
    }
    rmdir(dir);
#ifdef __SANITIZE_ADDRESS__
    /* any C block lost by a failed trial; LeakSanitizer cannot tell those of a finalizer Lua dropped */
    if (dropped_in_all)
        printf("LeakSanitizer not asked: Lua dropped a finalizer in %d trials (their C blocks are lost)\n",
               dropped_in_all);
    else
        CHECK(__lsan_do_recoverable_leak_check() == 0);
#endif
    return CHECK_RESULT();
}
