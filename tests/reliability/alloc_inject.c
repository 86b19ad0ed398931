/* SPDX-License-Identifier: MIT */
/* alloc_inject.c — the allocator in front of glibc's that fails on demand (alloc_inject.h). */
#define _GNU_SOURCE
#include "alloc_inject.h"

#include <errno.h>
#include <execinfo.h>
#include <link.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t k, size_t n);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static _Atomic long countdown = 0; /* counted allocations before the failing one; 0: disarmed */
static _Atomic int sticky;         /* keep failing once the first failure came */
static _Atomic int failing;        /* the failure has come (and, when sticky, goes on) */
static _Atomic long live;          /* blocks handed out and not yet freed */
static _Atomic long counted;       /* counted allocations since armed */
static int trace;

/* ---- whose allocation is it ---------------------------------------------------------------------- */

typedef struct text_range {
    uintptr_t lo, hi;
} text_range;
static text_range gdlab_text[16], libc_text[4];
static int n_gdlab_text, n_libc_text, only_gdlab;
static __thread int unwinding; /* backtrace may allocate: that allocation is not gdlab's */

static int within(const text_range *r, int n, uintptr_t address)
{
    for (int i = 0; i < n; i++)
        if (address >= r[i].lo && address < r[i].hi) return 1;
    return 0;
}

/* Is the allocation whose return address is caller gdlab's? A C library function between gdlab and
 * the allocator (strdup, open_memstream's growing buffer, fopen) is looked through: the first frame
 * above the C library decides. The frames below the first C library frame are this file's. */
static int gdlab_allocation(const void *caller)
{
    const uintptr_t at = (uintptr_t)caller;
    if (within(gdlab_text, n_gdlab_text, at)) return 1;
    if (!within(libc_text, n_libc_text, at) || unwinding) return 0;
    unwinding = 1;
    void *frames[12];
    const int n = backtrace(frames, 12);
    int i = 0, mine = 0;
    while (i < n && !within(libc_text, n_libc_text, (uintptr_t)frames[i])) i++;
    while (i < n && within(libc_text, n_libc_text, (uintptr_t)frames[i])) i++;
    if (i < n) mine = within(gdlab_text, n_gdlab_text, (uintptr_t)frames[i]);
    unwinding = 0;
    return mine;
}

static int add_text(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    const char *name = info->dlpi_name, *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    text_range *table = NULL;
    int *n = NULL, cap = 0;
    if (name[0] == '\0' || strncmp(base, "libgdlab", 8) == 0) /* the program, libgdlab, libgdlab-figure */
        table = gdlab_text, n = &n_gdlab_text, cap = 16;
    else if (strncmp(base, "libc.so", 7) == 0)
        table = libc_text, n = &n_libc_text, cap = 4;
    for (int i = 0; table && i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) || *n >= cap) continue;
        table[*n].lo = info->dlpi_addr + ph->p_vaddr;
        table[*n].hi = table[*n].lo + ph->p_memsz;
        ++*n;
    }
    return 0;
}

void alloc_inject_only_gdlab(void)
{
    void *warm[2];
    backtrace(warm, 2); /* loads the unwinder now, not inside an allocation */
    n_gdlab_text = n_libc_text = 0;
    dl_iterate_phdr(add_text, NULL);
    only_gdlab = 1;
}

/* ---- the allocator ------------------------------------------------------------------------------- */

static int fail_now(const void *caller)
{
    if (atomic_load(&countdown) <= 0 && !atomic_load(&failing)) return 0; /* disarmed: the common case */
    if (only_gdlab && !gdlab_allocation(caller)) return 0;
    atomic_fetch_add(&counted, 1);
    if (atomic_load(&failing)) return atomic_load(&sticky);
    if (atomic_load(&countdown) <= 0) return 0;
    if (atomic_fetch_sub(&countdown, 1) != 1) return 0;
    atomic_store(&failing, 1);
    if (trace) {
        void *frames[16];
        write(STDERR_FILENO, "-- failed allocation:\n", 22);
        backtrace_symbols_fd(frames, backtrace(frames, 16), STDERR_FILENO);
    }
    return 1;
}

/* exported: libraries bind to the program's definitions only when they are visible (gdlab builds with
 * hidden visibility by default) */
#define EXPORTED __attribute__((visibility("default")))
#define CALLER __builtin_return_address(0)

static void *counted_malloc(size_t n, const void *caller)
{
    if (fail_now(caller)) return errno = ENOMEM, NULL;
    void *p = __libc_malloc(n);
    if (p) atomic_fetch_add(&live, 1);
    return p;
}

EXPORTED void *malloc(size_t n) { return counted_malloc(n, CALLER); }

EXPORTED void *calloc(size_t k, size_t n)
{
    if (fail_now(CALLER)) return errno = ENOMEM, NULL;
    void *p = __libc_calloc(k, n);
    if (p) atomic_fetch_add(&live, 1);
    return p;
}

EXPORTED void *realloc(void *old, size_t n)
{
    if (fail_now(CALLER)) return errno = ENOMEM, NULL;
    void *p = __libc_realloc(old, n);
    if (p && !old) atomic_fetch_add(&live, 1);
    return p;
}

EXPORTED void free(void *p)
{
    if (p) atomic_fetch_sub(&live, 1);
    __libc_free(p);
}

/* strdup and strndup here too, so that the caller seen is the one that asked for the copy */
EXPORTED char *strdup(const char *s)
{
    const size_t n = strlen(s) + 1;
    char *copy = counted_malloc(n, CALLER);
    return copy ? memcpy(copy, s, n) : NULL;
}

EXPORTED char *strndup(const char *s, size_t max)
{
    const size_t n = strnlen(s, max);
    char *copy = counted_malloc(n + 1, CALLER);
    if (!copy) return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

void alloc_inject_arm(long n, int keep_failing)
{
    atomic_store(&failing, 0);
    atomic_store(&counted, 0);
    atomic_store(&sticky, keep_failing);
    atomic_store(&countdown, n);
}

int alloc_inject_disarm(void)
{
    atomic_store(&countdown, 0);
    atomic_store(&sticky, 0);
    return atomic_exchange(&failing, 0);
}

long alloc_inject_live(void) { return atomic_load(&live); }

long alloc_inject_counted(void) { return atomic_load(&counted); }

void alloc_inject_trace(int on)
{
    if (on) {
        void *warm[1];
        backtrace(warm, 1); /* loads what backtrace needs now, not inside a failing malloc */
    }
    trace = on;
}

void *alloc_inject_real_malloc(size_t n) { return __libc_malloc(n); }
void *alloc_inject_real_realloc(void *p, size_t n) { return __libc_realloc(p, n); }
void alloc_inject_real_free(void *p) { __libc_free(p); }
